//! The generated schemas under real validators: our own (the `jsonschema`
//! crate), `check-jsonschema` (PyPI) and the Helm engine itself (PyPI
//! `helm-python-sdk`, the Helm Go SDK, offline), over our own fixtures and,
//! when `../shared` is present, over the charts' default values.
//!
//! The external tools come from `.venv/` (made by `.ci/run`) or the PATH.
//! Without them the tests print a notice and skip, except under CI, where a
//! missing tool is a failure.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use osmo_values::{Chart, ChartName};
use serde_json::Value;
use support::{root, tool};

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

fn fixture(chart: ChartName, case: &str) -> PathBuf {
    root()
        .join("tests/fixtures/values")
        .join(chart.as_str())
        .join(format!("{case}.yaml"))
}

const CASES: [(&str, bool); 3] = [("good", true), ("bad-typo", false), ("bad-type", false)];

fn write_schema(dir: &Path, chart: Chart) -> PathBuf {
    let path = dir.join("values.schema.json");
    std::fs::write(&path, osmo_values::schema::to_pretty(&chart.schema())).unwrap();
    path
}

#[test]
fn our_validator_agrees_with_the_fixtures() {
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
        let validator = jsonschema::draft7::new(&chart.schema()).unwrap();
        for (case, good) in CASES {
            let text = std::fs::read_to_string(fixture(chart.name, case)).unwrap();
            let value = support::yaml_to_json(&text);
            let errors: Vec<_> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert_eq!(errors.is_empty(), good, "{} {case}: {errors:?}", chart.name);
            assert_eq!(
                chart.from_json(value).is_ok(),
                good,
                "{} {case} (typed)",
                chart.name
            );
        }
    }
}

#[test]
fn check_jsonschema_agrees_with_the_fixtures() {
    let Some(check) = tool("check-jsonschema") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let shared = support::shared_or_skip("the checks against the chart defaults");
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
        let schema = write_schema(dir.path(), chart);
        let mut files: Vec<(PathBuf, bool)> = CASES
            .iter()
            .map(|(case, good)| (fixture(chart.name, case), *good))
            .collect();
        if let Some(shared) = &shared {
            // As JSON: check-jsonschema reads YAML 1.2 (`0644` is 644 there,
            // 420 for Helm), so it gets exactly the values Helm reads.
            let defaults = support::yaml_to_json(&support::reference_values(shared, chart.name));
            let path = dir.path().join(format!("{}-defaults.json", chart.name));
            std::fs::write(&path, support::with_quoted_tag(defaults).to_string()).unwrap();
            files.push((path, true));
        }
        for (file, good) in files {
            let out = Command::new(&check)
                .arg("--schemafile")
                .arg(&schema)
                .arg(&file)
                .output()
                .expect("check-jsonschema runs");
            let text = String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.success(),
                good,
                "{} {}:\n{text}",
                chart.name,
                file.display()
            );
            println!(
                "check-jsonschema {} {}: {}",
                chart.name,
                file.display(),
                if good { "accepted" } else { "refused" }
            );
        }
    }
}

/// Builds a throwaway chart (our own Chart.yaml, the generated schema and
/// the given default values) that the Helm SDK loads like any chart.
fn throwaway_chart(dir: &Path, chart: Chart, defaults: &str) -> PathBuf {
    let chart_dir = dir.join(format!("check-{}", chart.name));
    std::fs::create_dir_all(&chart_dir).unwrap();
    let meta = format!(
        "apiVersion: v2\nname: check-{}\ndescription: schema check\ntype: application\nversion: {}\nappVersion: \"{}\"\n",
        chart.name,
        chart.version(),
        chart.release.app_version()
    );
    std::fs::write(chart_dir.join("Chart.yaml"), meta).unwrap();
    std::fs::write(chart_dir.join("values.yaml"), defaults).unwrap();
    write_schema(&chart_dir, chart);
    chart_dir
}

fn helm_check(python: &Path, chart_dir: &Path, values: &Path) -> Value {
    let out = Command::new(python)
        .arg(root().join("tests/helm/schema_check.py"))
        .arg(chart_dir)
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

#[test]
fn helm_accepts_the_schemas_as_a_chart_schema() {
    let Some(python) = python_with_helm() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let shared = support::shared_or_skip("the checks against the chart defaults");
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "{}\n").unwrap();
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
        // The chart's own defaults where we have them (with the numeric
        // default tag quoted, see tests/reference_values.rs), else none.
        let defaults = match &shared {
            Some(shared) => support::with_quoted_tag(support::yaml_to_json(
                &support::reference_values(shared, chart.name),
            ))
            .to_string(),
            None => "{}\n".to_owned(),
        };
        let chart_dir = throwaway_chart(dir.path(), chart, &defaults);
        let verdict = helm_check(&python, &chart_dir, &empty);
        assert_eq!(
            verdict["ok"], true,
            "{}: Helm refused the defaults: {verdict}",
            chart.name
        );
        println!("helm {}: defaults accepted", chart.name);
        for (case, good) in CASES {
            let verdict = helm_check(&python, &chart_dir, &fixture(chart.name, case));
            assert_eq!(verdict["ok"], good, "{} {case}: {verdict}", chart.name);
            if !good {
                let error = verdict["error"].as_str().unwrap_or_default();
                println!(
                    "helm {} {case}: refused: {}",
                    chart.name,
                    error.lines().next().unwrap_or("")
                );
            }
        }
    }
}
