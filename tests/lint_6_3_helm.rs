//! The 6.3.1 linter's facts about Helm itself, checked with the real Helm
//! engine (PyPI `helm-python-sdk`, offline) against the charts in
//! `../shared/reference/osmo-6.3.1`:
//!
//! - the maps the templates dereference (rule OV205): deleting each one
//!   makes Helm fail under the switches the table names and only then, and
//!   deleting any other map of the defaults does not;
//! - the deployments our 6.3.1 rules call good
//!   (`tests/fixtures/lint-6.3.1-good/`) render.
//!
//! Without the charts or the Helm SDK the tests print a notice and skip;
//! under CI they fail.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use osmo_values::release::RequiredMap;
use osmo_values::{ChartName, Release};
use serde_json::{Map, Value, json};
use support::{root, tool};

fn reference() -> Option<PathBuf> {
    let dir = root().join("../shared/reference/osmo-6.3.1");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing under CI",
        dir.display()
    );
    eprintln!("notice: {} is absent; skipping", dir.display());
    None
}

fn python_with_helm() -> Option<PathBuf> {
    let python = tool("python3")?;
    let ok = Command::new(&python)
        .args(["-c", "import helm_python"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "helm-python-sdk is missing under CI: .ci/run must install it"
        );
        eprintln!("notice: helm-python-sdk is not installed; skipping the Helm checks");
        return None;
    }
    Some(python)
}

/// Runs the render script over `jobs` and returns its results by id.
fn run(python: &Path, jobs: &Value) -> Map<String, Value> {
    let mut child = Command::new(python)
        .arg(root().join("tests/helm/render_check.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), jobs.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON results");
    results
        .into_iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r))
        .collect()
}

/// Sets the value at a dotted path, making the maps on the way.
fn set(values: &mut Value, path: &str, v: Value) {
    let mut cur = values;
    let keys: Vec<&str> = path.split('.').collect();
    for k in &keys[..keys.len() - 1] {
        cur = cur
            .as_object_mut()
            .unwrap()
            .entry(k.to_string())
            .or_insert_with(|| json!({}));
    }
    cur.as_object_mut()
        .unwrap()
        .insert(keys[keys.len() - 1].to_owned(), v);
}

fn release_name(chart: ChartName) -> (&'static str, &'static str) {
    match chart {
        ChartName::BackendOperator => ("osmo-operator", "osmo-operator"),
        _ => ("osmo", "osmo"),
    }
}

/// Every switch any map of the chart depends on, turned on (or off, as the
/// map needs it to be read): the profile under which every map is read.
fn all_read(maps: &[RequiredMap], extra: &[(&str, Value)]) -> Value {
    let mut v = json!({});
    for m in maps {
        for (switch, on) in m.when {
            set(&mut v, switch, json!(*on));
        }
    }
    for (p, x) in extra {
        set(&mut v, p, x.clone());
    }
    v
}

#[test]
fn required_maps_are_the_ones_helm_fails_on() {
    let (Some(reference), Some(python)) = (reference(), python_with_helm()) else {
        return;
    };
    for chart in Release::V6_3_1.charts() {
        let chart_dir = reference.join(chart.as_str());
        let (name, namespace) = release_name(*chart);
        let maps = Release::V6_3_1.facts(*chart).unwrap().required_maps;
        let mut jobs = Vec::new();
        for m in maps {
            // Read: every switch as the map needs it.
            let mut on = json!({});
            for (switch, want) in m.when {
                set(&mut on, switch, json!(*want));
            }
            let mut nulled = on.clone();
            set(&mut nulled, m.path, Value::Null);
            jobs.push(json!({"id": format!("{}|read", m.path), "kind": "render",
                "chart_dir": chart_dir, "release_name": name, "namespace": namespace, "values": nulled}));
            // Not read: one switch the other way round.
            for (i, (switch, want)) in m.when.iter().enumerate() {
                let mut off = on.clone();
                set(&mut off, switch, json!(!*want));
                set(&mut off, m.path, Value::Null);
                jobs.push(json!({"id": format!("{}|off{i}", m.path), "kind": "render",
                    "chart_dir": chart_dir, "release_name": name, "namespace": namespace,
                    "values": off, "switch": switch}));
            }
        }
        // Every other map, deleted while everything is read: Helm renders.
        // (`gateway.authz.postgres` wants ConfigMap mode off; the profile
        // turns it on, which reads more maps.)
        let profile = all_read(
            maps,
            &[
                ("services.configs.enabled", json!(true)),
                ("gateway.envoy.ssl.enabled", json!(true)),
                ("gateway.tls.caSecret", json!("osmo-ca")),
                ("services.defaultAdmin.enabled", json!(true)),
                ("services.migration.enabled", json!(true)),
                ("podMonitor.enabled", json!(true)),
            ],
        );
        let skip: Vec<&str> = maps.iter().map(|m| m.path).collect();
        jobs.push(
            json!({"id": "others", "kind": "null-every-map", "chart_dir": chart_dir,
            "release_name": name, "namespace": namespace, "values": profile, "skip": skip}),
        );
        let results = run(&python, &Value::Array(jobs));
        for m in maps {
            let read = &results[&format!("{}|read", m.path)]["error"];
            assert!(
                read.as_str().is_some_and(|e| e.contains("nil pointer")),
                "{chart}: deleting `{}` should fail to render: {read}",
                m.path
            );
            for i in 0..m.when.len() {
                let off = &results[&format!("{}|off{i}", m.path)]["error"];
                assert!(
                    off.is_null(),
                    "{chart}: deleting `{}` with `{}` the other way should render: {off}",
                    m.path,
                    m.when[i].0
                );
            }
        }
        let others = results["others"]["failing"].as_object().unwrap();
        assert!(
            others.is_empty(),
            "{chart}: maps Helm fails on that the table lacks: {:?}",
            others.keys().collect::<Vec<_>>()
        );
    }
}

#[test]
fn good_deployments_render() {
    let (Some(reference), Some(python)) = (reference(), python_with_helm()) else {
        return;
    };
    let root_dir = root().join("tests/fixtures/lint-6.3.1-good");
    let mut jobs = Vec::new();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    for dir in &cases {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        // The base file first, then its overlays by name: the linter's order.
        files.sort_by_key(|p| (p.file_name().unwrap().len(), p.clone()));
        for chart in Release::V6_3_1.charts() {
            let mine: Vec<&PathBuf> = files
                .iter()
                .filter(|p| osmo_values::lint::detect_chart(&p.to_string_lossy()) == Some(*chart))
                .collect();
            if mine.is_empty() {
                continue;
            }
            let mut ordered: Vec<&PathBuf> = mine.clone();
            ordered.sort_by_key(|p| {
                let n = p.file_name().unwrap().to_string_lossy().into_owned();
                (n.matches('.').count(), n)
            });
            let (name, namespace) = release_name(*chart);
            jobs.push(
                json!({"id": format!("{}/{chart}", dir.file_name().unwrap().to_string_lossy()),
                "kind": "render", "chart_dir": reference.join(chart.as_str()),
                "release_name": name, "namespace": namespace, "values_files": ordered}),
            );
        }
    }
    assert!(jobs.len() >= 10, "the good deployments are missing");
    let results = run(&python, &Value::Array(jobs));
    for (id, r) in &results {
        assert!(r["error"].is_null(), "{id} does not render: {}", r["error"]);
    }
}
