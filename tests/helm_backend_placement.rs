//! The generated `backend_operator_values*.yaml` of every example, rendered by
//! the real backend-operator chart of its release (OSMO 6.2.10 or 6.3.1, from
//! `../shared`) with the
//! Helm engine (`helm-python-sdk`): it renders clean, and the listener and
//! worker Deployments carry the placement the spec asks for: the operator
//! nodes' label as nodeSelector, and the chart's toleration plus the one for
//! the operator taint. At 6.3.1 also the workflow pods' placement: the
//! generated `services.configs`, rendered by the real service chart, gives
//! each backend a pool whose platforms select its compute nodes.
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
        .chain(std::fs::read_dir(root().join("examples/6.3.1")).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let (spec, _) = DeploymentSpec::parse(&text).unwrap();
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (format!("{}-{stem}", spec.release), spec)
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
    let chart_of =
        |release: Release| shared.join(format!("reference/osmo-{release}/backend-operator"));
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
                chart_dir: chart_of(spec.release),
                release_name: "osmo-operator".into(),
                namespace: backend.operator_namespace.clone(),
                values_files: vec![values],
                values: None,
                objects: None,
                coalesced_values: false,
            });
            let placement = backend.placement(spec.release);
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

/// The platforms of a rendered pool: name → the `nodeSelector` its pods get from the pod
/// templates the service merges for it (`common_pod_template`, then the platform's
/// `override_pod_template`, later ones winning key by key), or a problem.
fn platform_selectors(
    config: &Value,
    pool: &str,
) -> Result<std::collections::BTreeMap<String, Value>, String> {
    let p = &config["pools"][pool];
    let templates = &config["pod_templates"];
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect()
    };
    let mut out = std::collections::BTreeMap::new();
    for (platform, body) in p["platforms"].as_object().ok_or("no platforms")? {
        let mut selector = serde_json::Map::new();
        for name in names(&p["common_pod_template"])
            .into_iter()
            .chain(names(&body["override_pod_template"]))
        {
            let template = templates
                .get(&name)
                .ok_or_else(|| format!("platform {platform}: no pod template {name}"))?;
            if let Some(s) = template["spec"]["nodeSelector"].as_object() {
                selector.extend(s.clone());
            }
        }
        out.insert(platform.clone(), Value::Object(selector));
    }
    Ok(out)
}

/// At 6.3.1 workflow pods are placed by OSMO's own configuration: the generated
/// `services.configs`, rendered by the real service chart over its defaults into the
/// ConfigMap `osmo-service-configs`, gives each backend a pool (`default` on the first)
/// whose platforms are exactly the backend's compute pools, each placing its pods with a
/// pod template whose `nodeSelector` is the pool's node label; the chart's own `default`
/// platform and `default` backend do not survive where the spec has none.
#[test]
fn workflow_pods_are_placed_on_the_compute_nodes() {
    let Some(shared) = support::shared_or_skip("rendering the workflow placement") else {
        return;
    };
    let Some(python) = render::python() else {
        return;
    };
    let chart = shared.join("reference/osmo-6.3.1/service");
    let scratch = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, DeploymentSpec)> = examples()
        .into_iter()
        .filter(|(_, s)| s.release == Release::V6_3_1)
        .collect();
    cases.extend(support::spec_gen::random_specs(631, 30, Release::V6_3_1));
    cases.retain(|(_, s)| s.config_map_mode);
    let mut jobs = Vec::new();
    for (i, (name, spec)) in cases.iter().enumerate() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(i as u64);
        let bundle = osmo_values::generate(spec, &mut rng).unwrap();
        let values = scratch.path().join(format!("{name}.yaml"));
        std::fs::write(&values, &bundle.get("osmo_values.yaml").unwrap().contents).unwrap();
        jobs.push(Job {
            id: name.clone(),
            chart_dir: chart.clone(),
            release_name: "service".into(),
            namespace: "osmo".into(),
            values_files: vec![values],
            values: None,
            objects: None,
            coalesced_values: false,
        });
    }
    let rendered = render::run(&python, &jobs, true);
    let (mut pools, mut platforms) = (0, 0);
    for (job, (name, spec)) in rendered.jobs.iter().zip(&cases) {
        assert_eq!(job["error"], Value::Null, "{name}: {}", job["error"]);
        let configmap = job["objects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["kind"] == "ConfigMap" && o["name"] == "osmo-service-configs")
            .unwrap_or_else(|| panic!("{name}: no ConfigMap osmo-service-configs"));
        let config =
            support::yaml_to_json(configmap["object"]["data"]["config.yaml"].as_str().unwrap());
        let backends: Vec<&str> = spec.backends.iter().map(|b| b.name.as_str()).collect();
        let rendered_backends: Vec<&String> =
            config["backends"].as_object().unwrap().keys().collect();
        assert_eq!(
            rendered_backends.len(),
            backends.len(),
            "{name}: backends {rendered_backends:?}, the spec's {backends:?}"
        );
        for (i, backend) in spec.backends.iter().enumerate() {
            let pool = osmo_values::generate::pool_of(spec, i);
            if i == 0 {
                assert_eq!(pool.name, "default", "{name}: OSMO's default pool");
            }
            let p = &config["pools"][&pool.name];
            assert_eq!(
                p["backend"],
                json!(backend.name),
                "{name}: pool {}",
                pool.name
            );
            assert!(
                config["backends"][&backend.name]["router_address"]
                    .as_str()
                    .is_some_and(|a| a.starts_with("wss://")),
                "{name}: backend {} has no router address",
                backend.name
            );
            let selectors = platform_selectors(&config, &pool.name)
                .unwrap_or_else(|e| panic!("{name}: pool {}: {e}", pool.name));
            let expected: std::collections::BTreeMap<String, Value> = {
                let labels = backend.placement(spec.release).compute_pools;
                assert!(
                    !labels.is_empty(),
                    "{name}: {} has no compute pool",
                    backend.name
                );
                pool.platforms
                    .iter()
                    .map(|pl| (pl.name.clone(), json!(pl.node_selector)))
                    .collect()
            };
            // The platforms carry exactly the backend's compute-pool labels.
            let labels: Vec<Value> = backend
                .placement(spec.release)
                .compute_pools
                .iter()
                .map(|l| json!({ l.key.clone(): l.value.clone() }))
                .collect();
            let got: Vec<Value> = selectors.values().cloned().collect();
            for l in &labels {
                assert!(
                    got.contains(l),
                    "{name}: pool {}: no platform on {l}",
                    pool.name
                );
            }
            assert_eq!(selectors, expected, "{name}: pool {}", pool.name);
            assert!(
                p["default_platform"]
                    .as_str()
                    .is_some_and(|d| selectors.contains_key(d)),
                "{name}: pool {}: default platform {}",
                pool.name,
                p["default_platform"]
            );
            pools += 1;
            platforms += selectors.len();
        }
        let rendered_pools = config["pools"].as_object().unwrap().len();
        assert_eq!(rendered_pools, spec.backends.len(), "{name}: pools");
    }
    assert!(pools >= cases.len() && platforms > pools);
    println!(
        "{} service charts rendered: {pools} pools, {platforms} platforms placing workflow pods on their compute nodes",
        cases.len()
    );
}
