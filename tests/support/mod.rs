//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use osmo_values::ChartName;
use serde_json::Value;

/// `../shared` beside the checkout, when it exists. Tests that need it call
/// this and skip, with a printed notice, when it is absent.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join("reference").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "notice: {} is absent; skipping the checks against the upstream reference files",
            dir.display()
        );
        None
    }
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
