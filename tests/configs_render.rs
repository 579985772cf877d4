//! `services.configs` rendered by the real 6.3.1 service chart (Helm engine
//! from PyPI `helm-python-sdk`, offline) against our own rendering: for each
//! fixture under `tests/fixtures/configs/` and a few tricky scalars, the
//! ConfigMap's `config.yaml` as the service reads it (PyYAML) must equal
//! [`osmo_values::configs::render_config_map`] of the same values merged
//! over the chart's defaults, and the mounted Secrets must be the
//! `secretRefs`.
//!
//! Needs `../shared` and the `.venv`; without them it prints a notice and
//! skips, except under CI.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use osmo_values::configs::render::{Misread, misread};
use osmo_values::configs::render_config_map;
use serde_json::{Value, json};
use support::{root, shared_or_skip, tool, yaml_to_json};

fn python_with_helm() -> Option<PathBuf> {
    let python = tool("python3")?;
    let ok = Command::new(&python)
        .args(["-c", "import helm_python, yaml"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "helm-python-sdk is missing under CI: .ci/run must install it"
        );
        eprintln!("notice: helm-python-sdk is not installed; skipping the Helm render checks");
        return None;
    }
    Some(python)
}

fn helm_render(python: &Path, chart: &Path, values: &Path) -> Value {
    let out = Command::new(python)
        .arg(root().join("tests/helm/render_configs.py"))
        .arg(chart)
        .arg(values)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

/// Helm's coalescing as measured with the Helm SDK: maps merge, anything
/// else replaces, and `null` deletes a key the defaults have but stays (and
/// is rendered) where they have none.
fn helm_coalesce(defaults: &mut Value, user: &Value) {
    match (defaults, user) {
        (Value::Object(d), Value::Object(u)) => {
            for (k, v) in u {
                match (d.get_mut(k), v) {
                    (Some(_), Value::Null) => {
                        d.remove(k);
                    }
                    (Some(dv @ Value::Object(_)), Value::Object(_)) => helm_coalesce(dv, v),
                    _ => {
                        d.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (d, u) => *d = u.clone(),
    }
}

/// Our side: the values over the chart's own defaults, rendered.
fn ours(chart_defaults: &Value, user: &Value) -> Value {
    let mut values = chart_defaults.clone();
    helm_coalesce(&mut values, user);
    let host = values
        .pointer("/services/service/hostname")
        .and_then(Value::as_str);
    render_config_map(&values["services"]["configs"], host)
}

/// The worst way the service misreads text in a rendered document.
fn misreads(v: &Value) -> Option<Misread> {
    let found: Vec<Misread> = match v {
        Value::Object(m) => m
            .iter()
            .flat_map(|(k, v)| [misread(k), misreads(v)])
            .flatten()
            .collect(),
        Value::Array(items) => items.iter().filter_map(misreads).collect(),
        Value::String(s) => misread(s).into_iter().collect(),
        _ => Vec::new(),
    };
    found
        .iter()
        .copied()
        .find(|m| *m == Misread::Unreadable)
        .or(found.first().copied())
}

/// Fixtures Helm refuses to render (a `secretRefs` entry that is not a map:
/// OV607 says so).
const HELM_REFUSES: [&str; 1] = ["bad-secret-refs.yaml"];

#[test]
fn the_chart_renders_the_configmap_as_we_do() {
    let Some(shared) = shared_or_skip("rendering the configs ConfigMap with the real chart") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "../shared is required under CI"
        );
        return;
    };
    let Some(python) = python_with_helm() else {
        return;
    };
    let chart = shared.join("reference/osmo-6.3.1/service");
    let chart_defaults = yaml_to_json(&std::fs::read_to_string(chart.join("values.yaml")).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, String)> = std::fs::read_dir(root().join("tests/fixtures/configs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    cases.sort();
    // Text YAML readers disagree on, in a text setting and a free-form map.
    // Each is either read back as written, or our `misread` says how not.
    let tricky = [
        "2024-01-01",
        "1_000",
        "0x1F",
        "010",
        "0o17",
        "1e3",
        ".5",
        "+1",
        "~",
        "null",
        "yes",
        "on",
        "=",
        "<<",
        "12:30",
        "1:20:30",
        "0b101",
        ".inf",
        "-.nan",
        "1.0e+3",
        "1,000",
        "2001-12-14 21:59:43",
        "2001-12-14 21:59:43Z",
        "2001-12-14 21:59:43 Z",
        "2001-12-14 21:59:43+01:00",
        "2001-12-14 21:59:43.5+01",
        "2001-1-4 1:59:43",
        "2001-12-14T21:59:43Z",
        "2001-12-14T21:59:43 +01:00",
        "2001-12-14T21:59:43.1",
        "2001-12-14t21:59:43",
        "2001-13-14",
        "2001-02-30",
        "2000-02-29",
        "2001-12-14 25:59:43",
        "2001-12-14 23:59:60Z",
        "a = b",
        "=a",
        "<<a",
    ];
    for (i, t) in tricky.iter().enumerate() {
        let name = format!("tricky-{i}");
        cases.push((
            name,
            format!(
                "services:\n  configs:\n    enabled: true\n    workflow:\n      force_cleanup_delay: \"{t}\"\n    pools:\n      default:\n        common_default_variables:\n          B: \"{t}\"\n"
            ),
        ));
    }
    for (i, t) in ["~", "1e3", "yes", "0x1F", "1_000"].iter().enumerate() {
        cases.push((
            format!("plain-{i}"),
            format!("services:\n  configs:\n    enabled: true\n    workflow:\n      max_num_tasks: {t}\n    pools:\n      default:\n        common_default_variables:\n          A: {t}\n"),
        ));
    }
    let mut compared = 0;
    for (name, text) in &cases {
        let path = dir.path().join("values.yaml");
        std::fs::write(&path, text).unwrap();
        let helm = helm_render(&python, &chart, &path);
        if let Some(err) = helm.get("error") {
            assert!(
                HELM_REFUSES.contains(&name.as_str()),
                "{name}: Helm refuses to render: {err}"
            );
            continue;
        }
        assert!(
            !HELM_REFUSES.contains(&name.as_str()),
            "{name}: Helm renders it"
        );
        let user = yaml_to_json(text);
        let want = ours(&chart_defaults, &user);
        let enabled = user
            .pointer("/services/configs/enabled")
            .is_some_and(|e| e == &json!(true));
        let got = helm["config"].clone();
        if !enabled {
            assert!(got.is_null(), "{name}: ConfigMap rendered while off");
            continue;
        }
        let want_doc = if want.as_object().is_some_and(|m| m.is_empty()) {
            Value::Null
        } else {
            want
        };
        if let Some(how) = misreads(&want_doc) {
            let unreadable = helm.get("unreadable").is_some();
            match how {
                Misread::Unreadable => assert!(unreadable, "{name}: the service reads it: {helm}"),
                Misread::DateTime => assert!(
                    !unreadable && got != want_doc,
                    "{name}: the service does not read it as a date: {helm}"
                ),
            }
            continue;
        }
        assert!(
            helm.get("unreadable").is_none(),
            "{name}: the service cannot read it: {helm}"
        );
        assert_eq!(
            got, want_doc,
            "{name}: the chart's config.yaml differs from ours"
        );
        let refs: Vec<Value> = user
            .pointer("/services/configs/secretRefs")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|e| e.get("secretName").cloned())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            helm["secret_volumes"],
            Value::Array(refs),
            "{name}: mounted Secrets"
        );
        compared += 1;
    }
    println!("{compared} renders of the 6.3.1 chart compared with ours");
    assert!(compared > 20);
}
