//! The models against the charts' own default values (`../shared/reference`):
//! every key is known, the defaults validate, and nothing is lost on a round
//! trip through the typed model.

mod support;

use osmo_values::path::{Path, Segment};
use osmo_values::{Chart, ChartName};
use serde_json::Value;
use support::{
    NUMERIC_DEFAULT_TAG, leaves, reference_values, shared_or_skip, with_quoted_tag, yaml_to_json,
};

/// Follows `path` through a draft-07 schema, answering whether the schema
/// describes a node there (rather than refusing it as an unknown key).
fn schema_knows(root: &Value, schema: &Value, path: &[Segment]) -> bool {
    let schema = resolve(root, schema);
    let Some((first, rest)) = path.split_first() else {
        return true;
    };
    for combinator in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(options)) = schema.get(combinator)
            && options.iter().any(|o| schema_knows(root, o, path))
        {
            return true;
        }
    }
    match first {
        Segment::Key(key) => {
            if let Some(sub) = schema.get("properties").and_then(|p| p.get(key)) {
                return schema_knows(root, sub, rest);
            }
            if let Some(Value::Object(patterns)) = schema.get("patternProperties") {
                for (pattern, sub) in patterns {
                    let re = serde_json::json!({"type": "string", "pattern": pattern});
                    if jsonschema::is_valid(&re, &Value::String(key.clone())) {
                        return schema_knows(root, sub, rest);
                    }
                }
            }
            match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => false,
                Some(sub @ Value::Object(_)) => schema_knows(root, sub, rest),
                _ => schema.get("properties").is_none() || schema.get("type").is_none(),
            }
        }
        Segment::Index(_) => match schema.get("items") {
            Some(sub) => schema_knows(root, sub, rest),
            None => true,
        },
    }
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let target = root
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("dangling $ref {r}"));
            resolve(root, target)
        }
        None => schema,
    }
}

#[test]
fn every_reference_key_is_known_to_the_model() {
    let Some(shared) = shared_or_skip("the checks against the upstream chart defaults") else {
        return;
    };
    let mut failures = Vec::new();
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
        let values = yaml_to_json(&reference_values(&shared, chart.name));
        let schema = chart.schema();
        let leaves = leaves(&values);
        let unknown: Vec<_> = leaves
            .iter()
            .filter(|(pointer, _)| !schema_knows(&schema, &schema, &Path::parse_pointer(pointer).0))
            .map(|(pointer, _)| pointer.clone())
            .collect();
        println!(
            "{}: {} leaf keys in the chart defaults, {} known to the model",
            chart.name,
            leaves.len(),
            leaves.len() - unknown.len()
        );
        failures.extend(unknown.into_iter().map(|p| format!("{}: {p}", chart.name)));
    }
    assert!(
        failures.is_empty(),
        "keys unknown to the model:\n{}",
        failures.join("\n")
    );
}

#[test]
fn chart_defaults_validate_against_the_schemas() {
    let Some(shared) = shared_or_skip("the checks against the upstream chart defaults") else {
        return;
    };
    let mut failures = Vec::new();
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
        let values = yaml_to_json(&reference_values(&shared, chart.name));
        let validator = jsonschema::draft7::new(&chart.schema()).expect("schema compiles");
        let errors: Vec<_> = validator
            .iter_errors(&values)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        let only_the_tag = errors.len() == 1 && errors[0].ends_with(NUMERIC_DEFAULT_TAG);
        if !only_the_tag {
            failures.push(format!(
                "{}: expected only the numeric default tag to be refused, got:\n  {}",
                chart.name,
                errors.join("\n  ")
            ));
        }
        let quoted = with_quoted_tag(values);
        let errors: Vec<_> = validator
            .iter_errors(&quoted)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        println!(
            "{}: {} schema errors in the defaults with a quoted tag",
            chart.name,
            errors.len()
        );
        if !errors.is_empty() {
            failures.push(format!(
                "{} (tag quoted):\n  {}",
                chart.name,
                errors.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn chart_defaults_round_trip_through_the_typed_model() {
    let Some(shared) = shared_or_skip("the checks against the upstream chart defaults") else {
        return;
    };
    let mut failures = Vec::new();
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
        let values = with_quoted_tag(yaml_to_json(&reference_values(&shared, chart.name)));
        let typed = match chart.from_json(values.clone()) {
            Ok(typed) => typed,
            Err(e) => {
                failures.push(format!("{}: {e}", chart.name));
                continue;
            }
        };
        let normalize = |v: &Value| {
            let mut l: Vec<_> = leaves(v)
                .into_iter()
                .map(|(p, v)| (p, number_as_f64(v)))
                .collect();
            l.sort_by(|x, y| x.0.cmp(&y.0));
            l
        };
        let (a, b) = (normalize(&values), normalize(&typed.to_json()));
        let lost: Vec<_> = a.iter().filter(|x| !b.contains(x)).collect();
        let added: Vec<_> = b.iter().filter(|x| !a.contains(x)).collect();
        if !lost.is_empty() || !added.is_empty() {
            failures.push(format!("{}: lost {lost:?}\n  added {added:?}", chart.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn number_as_f64(v: Value) -> Value {
    match v.as_f64() {
        Some(f) if v.is_number() => serde_json::json!(f),
        _ => v,
    }
}

#[test]
fn a_typo_and_a_wrong_type_are_refused() {
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
        let validator = jsonschema::draft7::new(&chart.schema()).expect("schema compiles");
        let typo = serde_json::json!({"globl": {}});
        assert!(!validator.is_valid(&typo), "{}: typo accepted", chart.name);
        let wrong = serde_json::json!({"global": {"osmoImageTag": 6.2}});
        assert!(
            !validator.is_valid(&wrong),
            "{}: numeric tag accepted",
            chart.name
        );
        let err = chart.from_json(typo).unwrap_err();
        assert_eq!(err.path.to_string(), "globl", "{}", chart.name);
    }
    let _ = ChartName::ALL;
}
