//! Typed models, JSON Schemas, generation, linting and migration of the values of
//! NVIDIA OSMO's Helm charts, for every supported [`Release`]: 6.2.10
//! (`service`, `router`, `web-ui`, `backend-operator`) and 6.3.1 (`service`
//! with the router, web UI and gateway merged in, and `backend-operator`).
//!
//! This crate does no I/O and builds for `wasm32-unknown-unknown`: the
//! command-line tool and the browser wizard both stand on it.
//!
//! ```
//! use osmo_values::{Chart, ChartName, Release};
//! let chart = Chart::new(Release::V6_2_10, ChartName::Service).unwrap();
//! assert_eq!(chart.values_file(), "osmo_values.yaml");
//! let schema = chart.schema();
//! assert_eq!(schema["additionalProperties"], false);
//! ```

pub mod backend;
pub mod chart;
pub mod configs;
pub mod diagnostic;
pub mod generate;
pub mod idp;
pub mod lint;
pub mod migrate;
pub mod parse;
pub mod path;
pub mod preflight;
pub mod release;
pub mod schema;
pub mod sizing;
pub mod spec;
pub mod values;
pub mod yaml;

pub use chart::{Chart, ChartName, ChartValues, ModelError};
pub use generate::{
    Bundle, GenerateError, GeneratedFile, UserSecrets, generate, generate_with,
    generate_with_secrets,
};
pub use lint::{LintError, LintInput, LintOptions, lint};
pub use migrate::{MigrateError, MigrateInput, MigrateOptions, Migration, migrate};
pub use parse::{ParseError, parse_as};
pub use release::Release;
pub use spec::DeploymentSpec;
pub use yaml::{Document, Node, NodeValue, YamlError};

/// The README's Rust examples, compiled and run as doc tests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
