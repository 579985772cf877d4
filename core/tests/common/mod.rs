//! Helpers shared by the generator's tests.
#![allow(dead_code)]

use std::path::PathBuf;

use osmo_values::spec::DeploymentSpec;

/// The repository's `examples/` directory.
pub fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// Every example spec: (file stem, spec).
pub fn examples() -> Vec<(String, DeploymentSpec)> {
    let mut paths: Vec<_> = std::fs::read_dir(examples_dir())
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable example");
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let spec = parse_spec(&text).unwrap_or_else(|e| panic!("{stem}: {e}"));
            (stem, spec)
        })
        .collect()
}

/// Parses a spec from YAML text.
pub fn parse_spec(text: &str) -> Result<DeploymentSpec, String> {
    DeploymentSpec::parse(text)
        .map(|(spec, _)| spec)
        .map_err(|e| e.to_string())
}

/// The root package's test helpers, one copy for both test crates.
#[path = "../../../tests/support/mod.rs"]
mod support;

// Not every test crate that includes this module asks for ../shared.
#[allow(unused_imports)]
pub use support::shared_or_skip;
