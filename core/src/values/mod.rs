//! Typed models of the values of the four OSMO charts.
//!
//! One module per chart, each modelling every key of that chart's default
//! values plus the keys its templates read without a default. Shared shapes
//! live in [`common`].

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
