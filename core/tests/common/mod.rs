//! Helpers shared by the generator's tests.
#![allow(dead_code)]

use std::path::PathBuf;

use osmo_values::spec::DeploymentSpec;

/// The repository's `examples/` directory.
pub fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// Every example spec: (name, spec). The OSMO 6.2.10 examples are `examples/*.yaml`, named
/// by their file stem; the OSMO 6.3.1 ones are `examples/6.3.1/*.yaml`, named
/// `6.3.1-<stem>`.
pub fn examples() -> Vec<(String, DeploymentSpec)> {
    let mut out = examples_in(&examples_dir(), "");
    out.extend(examples_in(&examples_dir().join("6.3.1"), "6.3.1-"));
    out
}

/// The example specs of one OSMO release.
pub fn examples_of(release: osmo_values::Release) -> Vec<(String, DeploymentSpec)> {
    examples()
        .into_iter()
        .filter(|(_, s)| s.release == release)
        .collect()
}

fn examples_in(dir: &std::path::Path, prefix: &str) -> Vec<(String, DeploymentSpec)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable example");
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let spec = parse_spec(&text).unwrap_or_else(|e| panic!("{stem}: {e}"));
            (format!("{prefix}{stem}"), spec)
        })
        .collect()
}

/// Parses a spec from YAML text.
pub fn parse_spec(text: &str) -> Result<DeploymentSpec, String> {
    DeploymentSpec::parse(text)
        .map(|(spec, _)| spec)
        .map_err(|e| e.to_string())
}

/// `../shared` beside the checkout, when it exists.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if dir.join("reference").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "notice: {} is absent; skipping reference checks",
            dir.display()
        );
        None
    }
}

/// `../shared/reference/<release>/` beside the checkout, for tests that read
/// the upstream charts. Absent, it prints a notice and returns `None` (a
/// user's clone); under CI (`CI` set) an absent directory is a failure.
pub fn reference_release(release: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference")
        .join(release);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing under CI: the reference charts are required there",
        dir.display()
    );
    eprintln!(
        "notice: {} is absent; skipping the checks against the upstream charts",
        dir.display()
    );
    None
}

/// The repository's `tests/fixtures/` directory.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Parses YAML into JSON the way Helm does, with the project's own reader.
pub fn yaml_to_json(text: &str) -> serde_json::Value {
    osmo_values::yaml::parse(text)
        .unwrap_or_else(|e| panic!("invalid YAML: {e}"))
        .root
        .to_json()
}

/// Every leaf of a JSON document with its JSON Pointer: a scalar, a null, a
/// non-empty list's items, or an empty map or list (a key the model must know).
pub fn leaves(value: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    fn walk(
        value: &serde_json::Value,
        pointer: String,
        out: &mut Vec<(String, serde_json::Value)>,
    ) {
        match value {
            serde_json::Value::Object(map) if !map.is_empty() => {
                for (k, v) in map {
                    let key = k.replace('~', "~0").replace('/', "~1");
                    walk(v, format!("{pointer}/{key}"), out);
                }
            }
            serde_json::Value::Array(items) if !items.is_empty() => {
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
