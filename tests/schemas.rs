//! The committed schemas in `schemas/`: fresh, self-contained, described,
//! standard draft-07.

use std::path::PathBuf;

use osmo_values::{Chart, schema};
use serde_json::Value;

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

#[test]
fn committed_chart_schemas_are_fresh() {
    let mut stale = Vec::new();
    for chart in Chart::all() {
        let path = schemas_dir().join(chart.schema_file());
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != schema::to_pretty(&chart.schema()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas (regenerate with `cargo run -- schema --out schemas`): {stale:?}"
    );
}

/// Calls `f` on every subschema of `schema`, with its JSON Pointer.
fn walk(schema: &Value, pointer: &str, f: &mut dyn FnMut(&str, &Value)) {
    f(pointer, schema);
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                walk(v, &format!("{pointer}/{k}"), f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}

fn described(root: &Value, schema: &Value) -> bool {
    if schema
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| !d.trim().is_empty())
    {
        return true;
    }
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return root
            .pointer(r.trim_start_matches('#'))
            .is_some_and(|t| described(root, t));
    }
    ["anyOf", "oneOf", "allOf"].iter().any(|c| {
        schema
            .get(c)
            .and_then(Value::as_array)
            .is_some_and(|options| options.iter().any(|o| described(root, o)))
    })
}

#[test]
fn every_key_has_a_description() {
    let mut missing = Vec::new();
    for chart in Chart::all() {
        let root = chart.schema();
        walk(&root, "", &mut |pointer, node| {
            if let Some(Value::Object(props)) = node.get("properties") {
                for (key, sub) in props {
                    if !described(&root, sub) {
                        missing.push(format!("{}: {pointer}/properties/{key}", chart.name));
                    }
                }
            }
        });
    }
    assert!(
        missing.is_empty(),
        "keys without a description:\n{}",
        missing.join("\n")
    );
}

#[test]
fn schemas_are_self_contained_draft07_with_standard_formats() {
    for chart in Chart::all() {
        let root = chart.schema();
        assert_eq!(root["$schema"], "http://json-schema.org/draft-07/schema#");
        walk(&root, "", &mut |pointer, node| {
            if let Some(r) = node.get("$ref").and_then(Value::as_str) {
                assert!(
                    r.starts_with("#/definitions/"),
                    "{}: remote $ref {r} at {pointer}",
                    chart.name
                );
                assert!(
                    root.pointer(&r[1..]).is_some(),
                    "{}: dangling $ref {r}",
                    chart.name
                );
            }
            if let Some(Value::String(format)) = node.get("format") {
                assert!(
                    schema::STANDARD_FORMATS.contains(&format.as_str()),
                    "{}: non-standard format {format} at {pointer}",
                    chart.name
                );
            }
        });
        jsonschema::draft7::new(&root).expect("the schema compiles as draft-07");
    }
}
