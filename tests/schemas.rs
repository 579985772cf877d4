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
    for chart in Chart::every() {
        let path = schemas_dir().join(chart.schema_file());
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != schema::to_pretty(&chart.schema()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas (run `cargo xtask codegen`): {stale:?}"
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
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
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
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
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

/// Whether a subschema accepts `null`, judged from its keywords.
fn accepts_null(root: &Value, schema: &Value) -> bool {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return root
            .pointer(r.trim_start_matches('#'))
            .is_some_and(|t| accepts_null(root, t));
    }
    if ["anyOf", "oneOf"].iter().any(|c| {
        schema
            .get(c)
            .and_then(Value::as_array)
            .is_some_and(|options| options.iter().any(|o| accepts_null(root, o)))
    }) {
        return true;
    }
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        None => {
            schema
                .get("enum")
                .and_then(Value::as_array)
                .is_none_or(|e| e.contains(&Value::Null))
                && schema.get("anyOf").is_none()
                && schema.get("oneOf").is_none()
        }
        _ => false,
    }
}

/// Helm deletes a default when a values file sets the key to `null`, so
/// every optional key of every chart accepts `null`.
#[test]
fn every_optional_key_accepts_null() {
    let mut refused = Vec::new();
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
        let root = chart.schema();
        walk(&root, "", &mut |pointer, node| {
            let Some(Value::Object(props)) = node.get("properties") else {
                return;
            };
            let required: Vec<&str> = node
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (key, sub) in props {
                if !required.contains(&key.as_str()) && !accepts_null(&root, sub) {
                    refused.push(format!("{}: {pointer}/properties/{key}", chart.name));
                }
            }
        });
    }
    assert!(
        refused.is_empty(),
        "optional keys refusing null:\n{}",
        refused.join("\n")
    );
}

/// The keys the 6.2 charts refuse are not in the models.
#[test]
fn keys_refused_by_the_charts_are_not_modelled() {
    let refused = [
        serde_json::json!({"sidecars": {"envoy": {"oauth2Filter": {"enabled": false}}}}),
        serde_json::json!({"sidecars": {"envoy": {"useKubernetesSecrets": false}}}),
        serde_json::json!({"sidecars": {"envoy": {"secretPaths": {"hmacSecret": "/x"}}}}),
    ];
    for chart in Chart::all(osmo_values::Release::V6_2_10)
        .filter(|c| c.name != osmo_values::ChartName::BackendOperator)
    {
        let validator = jsonschema::draft7::new(&chart.schema()).unwrap();
        for values in &refused {
            assert!(
                !validator.is_valid(values),
                "{} accepts {values}",
                chart.name
            );
            assert!(
                chart.from_json(values.clone()).is_err(),
                "{} models {values}",
                chart.name
            );
        }
    }
}
