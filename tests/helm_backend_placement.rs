//! The generated `backend_operator_values*.yaml` of every example, rendered by
//! the real backend-operator chart (OSMO 6.2.10, from `../shared`) with the
//! Helm engine (`helm-python-sdk`): it renders clean, and the listener and
//! worker Deployments carry the placement the spec asks for: the operator
//! nodes' label as nodeSelector, and the chart's toleration plus the one for
//! the operator taint.
//!
//! Skips with a notice when `../shared` or helm-python-sdk is absent (fails
//! under CI).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use osmo_values::Release;
use osmo_values::spec::DeploymentSpec;
use rand::SeedableRng;
use serde::Deserialize;
use serde_json::{Value, json};
use support::{root, shared_dir, tool};

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
        eprintln!("notice: helm-python-sdk is not installed; skipping the Helm render");
        return None;
    }
    Some(python)
}

fn examples() -> Vec<(String, DeploymentSpec)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let (spec, _) = DeploymentSpec::parse(&text).unwrap();
            (p.file_stem().unwrap().to_string_lossy().into_owned(), spec)
        })
        .collect()
}

/// Renders the chart with one values file; the manifests by template path.
fn render(python: &Path, chart: &Path, values: &Path, namespace: &str) -> Vec<(String, String)> {
    let out = Command::new(python)
        .arg(root().join("tests/helm/render.py"))
        .arg(chart)
        .arg(values)
        .arg("osmo-operator")
        .arg(namespace)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdict: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");
    assert_eq!(
        verdict["ok"],
        true,
        "{}: {}",
        values.display(),
        verdict["error"]
    );
    verdict["manifests"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

fn documents(text: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(text)
        .map(|d| Value::deserialize(d).expect("Helm renders YAML"))
        .filter(|v| !v.is_null())
        .collect()
}

#[test]
fn operator_pods_are_placed_as_the_spec_says() {
    let (Some(shared), Some(python)) = (shared_dir(), python_with_helm()) else {
        return;
    };
    let chart = shared.join("reference/osmo-6.2.10/backend-operator");
    let scratch =
        std::env::temp_dir().join(format!("osmo-values-placement-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut checked = 0;
    for (name, spec) in examples() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let bundle = osmo_values::generate(&spec, &mut rng).unwrap();
        for (i, backend) in spec.backends.iter().enumerate() {
            let file = if spec.backends.len() == 1 {
                "backend_operator_values.yaml".to_owned()
            } else {
                format!("backend_operator_values.{}.yaml", backend.name)
            };
            let values = scratch.join(format!("{name}-{i}.yaml"));
            std::fs::write(&values, &bundle.get(&file).unwrap().contents).unwrap();
            let manifests = render(&python, &chart, &values, &backend.operator_namespace);
            let placement = backend.placement(Release::LATEST);
            let selector = match &placement.operator_nodes {
                Some(l) => json!({ l.key.clone(): l.value.clone() }),
                None => Value::Null,
            };
            let mut tolerations =
                vec![json!({"key": "ops", "operator": "Exists", "effect": "NoSchedule"})];
            if let Some(t) = &placement.operator_taint {
                let mut tol =
                    json!({"key": t.key, "effect": osmo_values::backend::effect_name(t.effect)});
                match &t.value {
                    Some(v) => {
                        tol["operator"] = json!("Equal");
                        tol["value"] = json!(v);
                    }
                    None => tol["operator"] = json!("Exists"),
                }
                tolerations.push(tol);
            }
            for template in ["backend-listener.yaml", "backend-worker.yaml"] {
                let (_, text) = manifests
                    .iter()
                    .find(|(path, _)| path.ends_with(template))
                    .unwrap_or_else(|| panic!("{name}: {template} rendered"));
                let deployment = documents(text)
                    .into_iter()
                    .find(|d| d["kind"] == "Deployment")
                    .unwrap_or_else(|| panic!("{name}: a Deployment in {template}"));
                let pod = &deployment["spec"]["template"]["spec"];
                assert_eq!(
                    pod["nodeSelector"], selector,
                    "{name}/{file}: {template} nodeSelector"
                );
                assert_eq!(
                    pod["tolerations"],
                    json!(tolerations),
                    "{name}/{file}: {template} tolerations"
                );
                checked += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        checked >= 2 * 9,
        "every backend of every example: {checked}"
    );
    println!("{checked} operator Deployments rendered by the real chart with their placement");
}
