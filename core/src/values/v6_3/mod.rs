//! Values of the OSMO 6.3.1 charts (1.3.1). Placeholder until the typed
//! models land: any map is accepted.

use crate::values::common::FreeObject;

/// Values of the `service` chart 1.3.1.
pub type ServiceValues = FreeObject;

/// Values of the `backend-operator` chart 1.3.1.
pub type BackendOperatorValues = FreeObject;
