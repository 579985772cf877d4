//! Typed models of the values of the OSMO charts.
//!
//! One module per chart of OSMO 6.2.10, each modelling every key of that
//! chart's default values plus the keys its templates read without a
//! default. Shared shapes live in [`common`]. The OSMO 6.3.1 charts
//! (`service` and `backend-operator` 1.3.1) are modelled in [`v6_3`], which
//! reuses the 6.2 blocks that did not change.

pub mod backend_operator;
pub mod common;
pub mod router;
pub mod service;
pub mod sidecars;
pub mod v6_3;
pub mod web_ui;

pub use backend_operator::BackendOperatorValues;
pub use router::RouterValues;
pub use service::ServiceValues;
pub use web_ui::WebUiValues;
