//! The YAML reader against serde_yaml (YAML 1.2, an oracle for ordinary
//! documents) on the charts' default values from `../shared`.

mod common;

use osmo_values::ChartName;
use osmo_values::yaml::parse;
use serde_json::{Value, json};

/// Where Helm (YAML 1.1) and serde_yaml (YAML 1.2) read the chart defaults
/// differently, with Helm's value (checked with the Helm SDK).
const YAML_1_1_DIFFERENCES: &[(&str, &str, i64)] = &[
    // `defaultMode: 0644` is octal for Helm, the string "0644" for serde_yaml.
    (
        "backend-operator",
        "/backendTestRunner/configMap/defaultMode",
        0o644,
    ),
];

/// The chart defaults read by this reader and by serde_yaml (YAML 1.2, our
/// oracle for ordinary documents): they must agree, numbers compared by
/// value, except where YAML 1.1 differs ([`YAML_1_1_DIFFERENCES`]).
#[test]
fn chart_defaults_match_serde_yaml() {
    let Some(shared) = common::shared_or_skip("the checks against the upstream reference files")
    else {
        return;
    };
    let dir = shared.join("reference/osmo-6.2.10");
    for chart in ChartName::ALL {
        let path = dir.join(chart.as_str()).join("values.yaml");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ours = parse(&text)
            .unwrap_or_else(|e| panic!("{chart}: {e}"))
            .root
            .to_json();
        let oracle: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let mut oracle = serde_json::to_value(oracle).unwrap();
        for (_, pointer, helm) in YAML_1_1_DIFFERENCES
            .iter()
            .filter(|d| d.0 == chart.as_str())
        {
            let slot = oracle
                .pointer_mut(pointer)
                .unwrap_or_else(|| panic!("{chart}: no {pointer}"));
            assert_ne!(
                *slot,
                json!(helm),
                "{chart}{pointer}: not a difference any more"
            );
            *slot = json!(helm);
        }
        let mut differences = Vec::new();
        compare(&ours, &oracle, String::new(), &mut differences);
        assert!(
            differences.is_empty(),
            "{chart}:\n{}",
            differences.join("\n")
        );
        eprintln!("{chart}: {} bytes read identically", text.len());
    }
}

fn compare(ours: &Value, oracle: &Value, pointer: String, out: &mut Vec<String>) {
    match (ours, oracle) {
        (Value::Object(a), Value::Object(b)) => {
            let keys_a: Vec<_> = a.keys().collect();
            let keys_b: Vec<_> = b.keys().collect();
            if keys_a != keys_b {
                out.push(format!("{pointer}: keys {keys_a:?} vs {keys_b:?}"));
            }
            for (k, v) in a {
                if let Some(w) = b.get(k) {
                    compare(v, w, format!("{pointer}/{k}"), out);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                compare(v, w, format!("{pointer}/{i}"), out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        _ if ours == oracle => {}
        _ => out.push(format!("{pointer}: ours {ours} vs serde_yaml {oracle}")),
    }
}
