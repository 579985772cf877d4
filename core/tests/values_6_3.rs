//! The OSMO 6.3.1 models (`osmo_values::values::v6_3`): against the charts'
//! own defaults (`../shared/reference/osmo-6.3.1`, skipped with a notice when
//! absent, required under CI), against our fixtures in
//! `tests/fixtures/values-6.3.1/`, and through their JSON Schemas.

mod common;

use std::path::PathBuf;

use osmo_values::chart::deserialize_json;
use osmo_values::values::v6_3::{BackendOperatorValues, ServiceValues};
use osmo_values::{parse_as, schema};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

const RELEASE: &str = "osmo-6.3.1";

/// One 6.3.1 chart: its directory name and what the tests do with its model.
struct Chart {
    name: &'static str,
    /// Deserializes JSON into the model and serializes it back.
    round_trip: fn(Value) -> Result<Value, osmo_values::ModelError>,
    /// Parses YAML text into the model, errors placed in the text.
    parse: fn(&str) -> Result<(), osmo_values::ParseError>,
    /// The model's published (inlined) JSON Schema.
    schema: fn() -> Value,
}

fn round_trip<T: DeserializeOwned + Serialize>(v: Value) -> Result<Value, osmo_values::ModelError> {
    let typed: T = deserialize_json(v)?;
    Ok(serde_json::to_value(&typed).expect("typed values serialize"))
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<(), osmo_values::ParseError> {
    parse_as::<T>(text).map(|_| ())
}

const CHARTS: [Chart; 2] = [
    Chart {
        name: "service",
        round_trip: round_trip::<ServiceValues>,
        parse: parse::<ServiceValues>,
        schema: || {
            schema::generate::<ServiceValues>("Values of the OSMO service chart 1.3.1 (OSMO 6.3.1)")
        },
    },
    Chart {
        name: "backend-operator",
        round_trip: round_trip::<BackendOperatorValues>,
        parse: parse::<BackendOperatorValues>,
        schema: || {
            schema::generate::<BackendOperatorValues>(
                "Values of the OSMO backend-operator chart 1.3.1 (OSMO 6.3.1)",
            )
        },
    },
];

fn chart_defaults(reference: &std::path::Path, chart: &Chart) -> Value {
    let path = reference.join(chart.name).join("values.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    common::yaml_to_json(&text)
}

#[test]
fn chart_defaults_round_trip_through_the_typed_model() {
    let Some(reference) = common::reference_release(RELEASE) else {
        return;
    };
    for chart in &CHARTS {
        let defaults = chart_defaults(&reference, chart);
        let typed = (chart.round_trip)(defaults.clone()).unwrap_or_else(|e| {
            panic!(
                "{}: the chart defaults do not fit the model: {e}",
                chart.name
            )
        });
        let (before, after) = (common::leaves(&defaults), common::leaves(&typed));
        let lost: Vec<_> = before.iter().filter(|l| !after.contains(l)).collect();
        let added: Vec<_> = after.iter().filter(|l| !before.contains(l)).collect();
        assert!(
            lost.is_empty() && added.is_empty(),
            "{}: lost {lost:?}\nadded {added:?}",
            chart.name
        );
        assert_eq!(
            typed, defaults,
            "{}: the round trip changed the document",
            chart.name
        );
        let nulls = before.iter().filter(|(_, v)| v.is_null()).count();
        println!(
            "{} 1.3.1: {} leaves in the chart defaults ({nulls} explicit nulls), all kept by the typed model",
            chart.name,
            before.len()
        );
    }
}

#[test]
fn chart_defaults_validate_against_the_schema() {
    let Some(reference) = common::reference_release(RELEASE) else {
        return;
    };
    for chart in &CHARTS {
        let validator = jsonschema::draft7::new(&(chart.schema)()).expect("the schema compiles");
        let defaults = chart_defaults(&reference, chart);
        let errors: Vec<_> = validator
            .iter_errors(&defaults)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", chart.name);
    }
}

/// The chart's fixtures whose file name starts with `prefix`, with their text.
fn fixtures(chart: &Chart, prefix: &str) -> Vec<(PathBuf, String)> {
    let dir = common::fixtures_dir().join("values-6.3.1").join(chart.name);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "yaml")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no {prefix}*.yaml in {}", dir.display());
    paths
        .into_iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, text)
        })
        .collect()
}

#[test]
fn good_fixtures_parse_validate_and_round_trip() {
    for chart in &CHARTS {
        let validator = jsonschema::draft7::new(&(chart.schema)()).unwrap();
        for (path, text) in fixtures(chart, "good") {
            if let Err(e) = (chart.parse)(&text) {
                panic!("{}:{e}", path.display());
            }
            let value = common::yaml_to_json(&text);
            assert_eq!(
                (chart.round_trip)(value.clone()).unwrap(),
                value,
                "{}",
                path.display()
            );
            let errors: Vec<_> = validator
                .iter_errors(&value)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        }
    }
}

/// Each bad fixture starts with `# expect: <line>:<column> <key path>`; both
/// the typed model and the schema refuse it.
#[test]
fn bad_fixtures_fail_at_the_expected_place() {
    for chart in &CHARTS {
        let validator = jsonschema::draft7::new(&(chart.schema)()).unwrap();
        let bad = fixtures(chart, "bad-");
        assert!(
            bad.len() >= 2,
            "{}: a typo and a wrong type at least",
            chart.name
        );
        for (path, text) in bad {
            let expected = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# expect: "))
                .unwrap_or_else(|| panic!("{}: no `# expect:` line", path.display()));
            let err = (chart.parse)(&text).expect_err("a bad fixture must be refused");
            let found = format!(
                "{}:{} {}",
                err.line,
                err.column,
                err.path.map(|p| p.to_string()).unwrap_or_default()
            );
            assert_eq!(found, expected, "{}: {}", path.display(), err.message);
            let value = common::yaml_to_json(&text);
            assert!(
                !validator.is_valid(&value),
                "{}: the schema accepts it",
                path.display()
            );
        }
    }
}

/// Calls `f` on every subschema with its JSON Pointer.
fn walk_schema(schema: &Value, pointer: &str, f: &mut dyn FnMut(&str, &Value)) {
    f(pointer, schema);
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                walk_schema(v, &format!("{pointer}/{k}"), f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk_schema(v, &format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            root,
            root.pointer(&r[1..])
                .unwrap_or_else(|| panic!("dangling {r}")),
        ),
        None => schema,
    }
}

fn described(root: &Value, schema: &Value) -> bool {
    let own = schema
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| !d.trim().is_empty());
    own || resolve(root, schema) != schema && described(root, resolve(root, schema))
        || ["anyOf", "oneOf"].iter().any(|c| {
            schema
                .get(c)
                .and_then(Value::as_array)
                .is_some_and(|options| options.iter().any(|o| described(root, o)))
        })
}

fn accepts_null(root: &Value, schema: &Value) -> bool {
    let schema = resolve(root, schema);
    let in_options = ["anyOf", "oneOf"].iter().any(|c| {
        schema
            .get(c)
            .and_then(Value::as_array)
            .is_some_and(|options| options.iter().any(|o| accepts_null(root, o)))
    });
    in_options
        || match schema.get("type") {
            Some(Value::String(t)) => t == "null",
            Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
            _ => schema.get("anyOf").is_none() && schema.get("oneOf").is_none(),
        }
}

#[test]
fn every_key_is_described_and_every_optional_key_accepts_null() {
    for chart in &CHARTS {
        let root = (chart.schema)();
        assert_eq!(root["$schema"], "http://json-schema.org/draft-07/schema#");
        let (mut undescribed, mut refusing_null) = (Vec::new(), Vec::new());
        walk_schema(&root, "", &mut |pointer, node| {
            let Some(Value::Object(props)) = node.get("properties") else {
                return;
            };
            let required: Vec<&str> = node
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (key, sub) in props {
                if !described(&root, sub) {
                    undescribed.push(format!("{pointer}/properties/{key}"));
                }
                if !required.contains(&key.as_str()) && !accepts_null(&root, sub) {
                    refusing_null.push(format!("{pointer}/properties/{key}"));
                }
            }
            if let Some(Value::String(format)) = node.get("format") {
                assert!(
                    schema::STANDARD_FORMATS.contains(&format.as_str()),
                    "{format} at {pointer}"
                );
            }
        });
        assert!(
            undescribed.is_empty(),
            "{}: keys without a description: {undescribed:#?}",
            chart.name
        );
        assert!(
            refusing_null.is_empty(),
            "{}: optional keys refusing null: {refusing_null:#?}",
            chart.name
        );
    }
}

/// schemars names each definition after its type; two types of one name in
/// one schema would get a numbered name and two meanings.
#[test]
fn definition_names_are_unique_type_names() {
    for chart in &CHARTS {
        let root = (chart.schema)();
        let names: Vec<&String> = root
            .get("definitions")
            .and_then(Value::as_object)
            .map(|d| d.keys().collect())
            .unwrap_or_default();
        let numbered: Vec<_> = names
            .iter()
            .filter(|n| n.ends_with(|c: char| c.is_ascii_digit()))
            .collect();
        assert!(numbered.is_empty(), "{}: {numbered:?}", chart.name);
    }
}

/// Every key path the schema models, at all depths (`[]` for list items,
/// `*` for the entries of a map with a modelled entry shape).
fn modelled_keys(root: &Value, schema: &Value, path: &str, out: &mut Vec<String>) {
    let schema = resolve(root, schema);
    for combinator in ["anyOf", "oneOf", "allOf"] {
        for option in schema
            .get(combinator)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            modelled_keys(root, option, path, out);
        }
    }
    if let Some(Value::Object(props)) = schema.get("properties") {
        for (key, sub) in props {
            let child = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            out.push(child.clone());
            modelled_keys(root, sub, &child, out);
        }
    }
    if let Some(items) = schema.get("items") {
        modelled_keys(root, items, &format!("{path}[]"), out);
    }
    if let Some(entry @ Value::Object(_)) = schema.get("additionalProperties") {
        modelled_keys(root, entry, &format!("{path}.*"), out);
    }
}

#[test]
fn the_models_cover_the_keys_and_the_counts_are_printed() {
    for chart in &CHARTS {
        let root = (chart.schema)();
        let mut keys = Vec::new();
        modelled_keys(&root, &root, "", &mut keys);
        keys.sort();
        keys.dedup();
        println!(
            "{} 1.3.1: {} keys modelled (all depths)",
            chart.name,
            keys.len()
        );
        // The chart's top-level keys, plus the template-only ones.
        let top: Vec<_> = keys
            .iter()
            .filter(|k| !k.contains(['.', '[']))
            .cloned()
            .collect();
        let expected: &[&str] = match chart.name {
            "service" => &[
                "extraConfigMaps",
                "fullnameOverride",
                "gateway",
                "global",
                "nameOverride",
                "podMonitor",
                "serviceAccount",
                "services",
                "targetSchema",
            ],
            _ => &[
                "backendTestRunner",
                "extraConfigMaps",
                "fullnameOverride",
                "global",
                "nameOverride",
                "podMonitor",
                "services",
            ],
        };
        assert_eq!(top, expected, "{}", chart.name);
    }
}

/// The subschema describing the key at a dotted path.
fn schema_at<'a>(root: &'a Value, dotted: &str) -> &'a Value {
    dotted.split('.').fold(resolve(root, root), |node, key| {
        let node = resolve(root, node);
        let sub = node
            .get("properties")
            .and_then(|p| p.get(key))
            .unwrap_or_else(|| panic!("{dotted}: no key {key}"));
        resolve(root, sub)
    })
}

/// Keys in the chart defaults (and `fullnameOverride`) that no 1.3.1
/// template reads are modelled, so upstream files still validate, and their
/// description says so and what the chart uses instead.
#[test]
fn keys_the_templates_never_read_say_so() {
    let root = (CHARTS[0].schema)();
    for key in [
        "fullnameOverride",
        "services.ui.extraPorts",
        "services.router.webserverEnabled",
        "services.logger.envoy",
        "services.agent.envoy",
        "services.localstackS3.imagePullPolicy",
        "services.delayedJobMonitor.resources",
        "services.worker.topologySpreadConstraints",
        "gateway.upstreams.service.enabled",
        "gateway.oauth2Proxy.secretPaths.clientSecret",
    ] {
        let description = schema_at(&root, key)["description"]
            .as_str()
            .unwrap_or_default();
        assert!(
            description.starts_with("Has no effect in chart 1.3.1"),
            "{key}: {description:?}"
        );
    }
}
