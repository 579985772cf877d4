//! Helpers shared by the integration tests.
//!
//! core's tests include this file too (`core/tests/common/mod.rs`): it may use only `std`,
//! `serde_json` and `osmo_values`.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Output;

use osmo_values::ChartName;
use serde_json::Value;

/// `../shared` beside the checkout: the upstream reference charts and the
/// guides' samples. When it is absent (a user's clone) this prints a notice
/// and returns `None`, and the caller skips; under CI (the environment
/// variable `CI` set) its absence fails the test instead, so that no test
/// passes there while checking nothing.
pub fn shared_or_skip() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.join("reference").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is absent under CI: the tests against the upstream reference files cannot run",
        dir.display()
    );
    eprintln!(
        "notice: {} is absent; skipping the checks against the upstream reference files",
        dir.display()
    );
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

/// A finished command's standard output, as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A finished command's standard error, as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts a command succeeded, showing what it printed when it did not.
pub fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    );
}

/// Asserts a command exited with 2 (usage or I/O error).
pub fn assert_exit2(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}
