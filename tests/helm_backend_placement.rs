//! The generated `backend_operator_values*.yaml` of every example, rendered by
//! the real backend-operator chart (OSMO 6.2.10, from `../shared`) with the
//! Helm engine (`helm-python-sdk`): it renders clean, and the listener and
//! worker Deployments carry the placement the spec asks for: the operator
//! nodes' label as nodeSelector, and the chart's toleration plus the one for
//! the operator taint.
//!
//! Rendered in one batch by `tests/helm/render.py`, which also checks every
//! object against the Kubernetes schema. Skips with a notice when `../shared`
//! or the Python tools are absent (fails under CI).

mod support;

use std::path::PathBuf;

use osmo_values::Release;
use osmo_values::spec::DeploymentSpec;
use rand::SeedableRng;
use serde_json::{Value, json};
use support::render::{self, Job};
use support::root;

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

#[test]
fn operator_pods_are_placed_as_the_spec_says() {
    let Some(shared) = support::shared_or_skip("rendering the backend placement") else {
        return;
    };
    let Some(python) = render::python() else {
        return;
    };
    let chart = shared.join("reference/osmo-6.2.10/backend-operator");
    let scratch = tempfile::tempdir().unwrap();
    // Every backend of every example, rendered in one batch.
    let mut jobs = Vec::new();
    let mut expected = Vec::new();
    for (name, spec) in examples() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let bundle = osmo_values::generate(&spec, &mut rng).unwrap();
        for (i, backend) in spec.backends.iter().enumerate() {
            let file = if spec.backends.len() == 1 {
                "backend_operator_values.yaml".to_owned()
            } else {
                format!("backend_operator_values.{}.yaml", backend.name)
            };
            let values = scratch.path().join(format!("{name}-{i}.yaml"));
            std::fs::write(&values, &bundle.get(&file).unwrap().contents).unwrap();
            jobs.push(Job {
                id: format!("{name}/{file}"),
                chart_dir: chart.clone(),
                release_name: "osmo-operator".into(),
                namespace: backend.operator_namespace.clone(),
                values_files: vec![values],
                values: None,
            });
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
            expected.push((selector, json!(tolerations)));
        }
    }
    let rendered = render::run(&python, &jobs, true);
    let mut checked = 0;
    for (job, (selector, tolerations)) in rendered.jobs.iter().zip(&expected) {
        let id = job["id"].as_str().unwrap();
        assert_eq!(job["error"], Value::Null, "{id}: {}", job["error"]);
        assert_eq!(render::problems(job), Vec::<String>::new());
        for template in ["backend-listener.yaml", "backend-worker.yaml"] {
            let deployment = job["objects"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| {
                    o["kind"] == "Deployment"
                        && o["template"]
                            .as_str()
                            .is_some_and(|t| t.ends_with(template))
                })
                .unwrap_or_else(|| panic!("{id}: a Deployment in {template}"));
            let pod = &deployment["object"]["spec"]["template"]["spec"];
            assert_eq!(
                pod["nodeSelector"], *selector,
                "{id}: {template} nodeSelector"
            );
            assert_eq!(
                pod["tolerations"], *tolerations,
                "{id}: {template} tolerations"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 2 * 9,
        "every backend of every example: {checked}"
    );
    println!("{checked} operator Deployments rendered by the real chart with their placement");
}
