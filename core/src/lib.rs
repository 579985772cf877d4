//! Typed models, JSON Schemas, generation and linting of the values of
//! NVIDIA OSMO's four Helm charts: `service`, `router`, `web-ui` and
//! `backend-operator`.
//!
//! This crate does no I/O and builds for `wasm32-unknown-unknown`: the
//! command-line tool and the browser wizard both stand on it.
//!
//! ```
//! use osmo_values::{Chart, ChartName};
//! let chart = Chart::latest(ChartName::Service);
//! assert_eq!(chart.values_file(), "osmo_values.yaml");
//! let schema = chart.schema();
//! assert_eq!(schema["additionalProperties"], false);
//! ```

pub mod chart;
pub mod diagnostic;
pub mod generate;
pub mod idp;
pub mod lint;
pub mod parse;
pub mod path;
pub mod schema;
pub mod sizing;
pub mod spec;
pub mod values;
pub mod yaml;

pub use chart::{Chart, ChartName, ChartValues, ModelError, Release};
pub use generate::{
    Bundle, GenerateError, GeneratedFile, UserSecrets, generate, generate_with,
    generate_with_secrets,
};
pub use lint::{LintError, LintInput, LintOptions, lint};
pub use parse::{ParseError, parse_as};
pub use spec::DeploymentSpec;
pub use yaml::{Document, Node, NodeValue, YamlError};

/// The README's Rust examples, compiled and run as doc tests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
