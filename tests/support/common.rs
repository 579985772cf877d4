//! Test helpers both test crates share: the root package's integration tests
//! (`tests/support/mod.rs` re-exports them) and core's (`core/tests/common/`
//! includes this file). It may use only `std`, `serde_json` and `osmo_values`.
#![allow(dead_code)]

use std::path::PathBuf;

use osmo_values::ChartName;
use serde_json::Value;

/// `../shared` beside the checkout, for a test that cannot run without it.
/// Absent, it prints a notice naming `what` is skipped and returns `None`;
/// under CI (the environment variable `CI` set) an absent `../shared` is a
/// failure instead, so CI never passes by skipping.
pub fn shared_or_skip(what: &str) -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.join("reference").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is absent under CI: {what} cannot run (CI must lay ../shared beside the clone)",
        dir.display()
    );
    eprintln!("notice: {} is absent; skipping {what}", dir.display());
    None
}

/// The chart's default values.yaml from `../shared/reference`, as text.
pub fn reference_values(shared: &std::path::Path, chart: ChartName) -> String {
    let path = shared
        .join("reference/osmo-6.2.10")
        .join(chart.as_str())
        .join("values.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses YAML into JSON the way Helm does (YAML 1.1 scalars), with the
/// project's own reader.
pub fn yaml_to_json(text: &str) -> Value {
    osmo_values::yaml::parse(text)
        .unwrap_or_else(|e| panic!("invalid YAML: {e}"))
        .root
        .to_json()
}

/// Every leaf of a JSON document with its JSON Pointer. Empty maps and lists
/// count as leaves: they are keys the model must know.
pub fn leaves(value: &Value) -> Vec<(String, Value)> {
    fn walk(value: &Value, pointer: String, out: &mut Vec<(String, Value)>) {
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (k, v) in map {
                    let key = k.replace('~', "~0").replace('/', "~1");
                    walk(v, format!("{pointer}/{key}"), out);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, format!("{pointer}/{i}"), out);
                }
            }
            _ => out.push((pointer, value.clone())),
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// The chart defaults set `global.osmoImageTag: 6.2`, an unquoted number.
/// Our schema types image tags as strings (an unquoted `6.10` is the number
/// 6.1), so that one default is the single error we expect; every real
/// install overrides it with a quoted tag.
pub const NUMERIC_DEFAULT_TAG: &str = "/global/osmoImageTag";

/// The values with the numeric default tag turned into the string Helm
/// renders for it.
pub fn with_quoted_tag(mut values: Value) -> Value {
    if let Some(tag) = values.pointer_mut(NUMERIC_DEFAULT_TAG)
        && tag.is_number()
    {
        *tag = Value::String(tag.to_string());
    }
    values
}

/// The checkout's root directory: the nearest directory above the test's
/// crate holding the workspace's `Cargo.lock` (the crate's own directory for
/// the root package, its parent for core).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .map(PathBuf::from)
        .unwrap_or(manifest)
}

/// Finds a tool in `.venv/bin` (made by `.ci/run`) or on the PATH. When it
/// is missing the caller skips, after this prints a notice; under CI a
/// missing tool is a failure.
pub fn tool(name: &str) -> Option<PathBuf> {
    let venv = root().join(".venv/bin").join(name);
    if venv.is_file() {
        return Some(venv);
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is missing under CI: .ci/run must install it"
        );
        eprintln!("notice: {name} not found (run .ci/run or make .venv); skipping");
    }
    found
}
