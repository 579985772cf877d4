//! Typed models of the OSMO 6.3.1 chart values: `service` 1.3.1 and
//! `backend-operator` 1.3.1.
//!
//! At 6.3.1 the `router` and `web-ui` charts are merged into `service`
//! (`services.router`, `services.ui`), and the per-pod 6.2 sidecars are
//! replaced by the stand-alone `gateway` tier. Keys of 6.2 that 6.3.1 no
//! longer reads (`sidecars.*`, `services.service.ingress`,
//! `services.ui.hostname`, the backend operator's `global.network`, ...) are
//! not in these models, so they are refused as unknown keys. Keys 6.3.1 keeps
//! in its defaults but never reads are modelled, and their descriptions say
//! they have no effect and what the chart uses instead.
//!
//! Where a block is unchanged since 6.2 the 6.2 type is reused (the Kubernetes
//! shapes of [`crate::values::common`], PostgreSQL, Redis, the migration Job,
//! the UI's Service and probes, the backend test runner, ...); where 6.3.1
//! only adds keys, the 6.2 struct's macro is reused with the extra fields.

pub mod auth;
pub mod backend_operator;
pub mod configs;
pub mod envoy;
pub mod gateway;
pub mod router;
pub mod service;
pub mod shared;
pub mod ui;

pub use backend_operator::BackendOperatorValues;
pub use configs::ConfigsValues;
pub use gateway::GatewayValues;
pub use router::RouterServiceValues;
pub use service::ServiceValues;
pub use ui::UiValues;
