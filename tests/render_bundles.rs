//! Truth by construction: every bundle the generator makes is rendered with
//! the real Helm engine against the real 6.2.10 charts (`../shared/reference`)
//! and judged on what it would deploy: no render error, every object valid
//! against the Kubernetes schema (1.30, strict), every Envoy cluster that a
//! route, JWT provider, ext_authz, gRPC service or rate limit names defined,
//! every JWT provider on cluster `idp` fetching its keys from `idp.host`, no
//! placeholder left. The examples and 50 random specs from a fixed seed.
//!
//! The checks live in `tests/helm/render.py` (one process renders the whole
//! batch); this file builds the bundles and the jobs, and asserts. It also
//! proves the checks can fail: the defects they exist for are rendered on
//! purpose and must be reported, for the 6.2 per-service Envoy configs and
//! for the 6.3.1 gateway's lds/cds layout.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use osmo_values::generate::{Options, generate_with};
use osmo_values::spec::{Authentication, DeploymentSpec};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};
use support::render::{self, Figures, Job};
use support::spec_gen;

/// The seed of the random specs: fixed, so a failure reproduces.
const SEED: u64 = 6210;
/// Random specs rendered per run.
const RANDOM_SPECS: usize = 50;

fn examples() -> Vec<(String, DeploymentSpec)> {
    let dir = support::root().join("examples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("example");
            let (spec, _) = DeploymentSpec::parse(&text).expect("example parses");
            (p.file_stem().unwrap().to_string_lossy().into_owned(), spec)
        })
        .collect()
}

fn bundle(spec: &DeploymentSpec, seed: u64) -> osmo_values::Bundle {
    generate_with(spec, &Options::default(), &mut StdRng::seed_from_u64(seed))
        .expect("a valid spec generates")
}

/// Every Envoy configuration of a job, as (ConfigMap, defined clusters).
fn envoy_configs(job: &Value) -> Vec<(String, Vec<String>)> {
    job["checks"]["envoy"]["configs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["object"].as_str().unwrap_or_default().to_owned(),
                c["clusters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|n| n.as_str().unwrap_or_default().to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn every_generated_bundle_renders_into_a_deployment_that_works() {
    let Some(shared) = support::shared_or_skip("rendering the generated bundles") else {
        return;
    };
    let Some(python) = render::python() else {
        return;
    };
    let release_dir = shared.join("reference/osmo-6.2.10");
    let tmp = tempfile::tempdir().expect("temp dir");

    let mut specs = examples();
    let random = spec_gen::random_specs(SEED, RANDOM_SPECS);
    let mut covered: [BTreeSet<String>; 5] = Default::default();
    for (_, spec) in &random {
        for (set, value) in covered.iter_mut().zip(spec_gen::categories(spec)) {
            set.insert(value);
        }
    }
    assert_eq!(
        covered[0].len(),
        spec_gen::PROVIDERS.len(),
        "providers: {:?}",
        covered[0]
    );
    assert_eq!(
        covered[1].len(),
        spec_gen::INGRESS_KINDS.len(),
        "ingress kinds: {:?}",
        covered[1]
    );
    assert_eq!(covered[2].len(), 3, "TLS choices: {:?}", covered[2]);
    assert_eq!(covered[3].len(), 3, "sizing presets: {:?}", covered[3]);
    assert_eq!(covered[4].len(), 2, "backend counts: {:?}", covered[4]);
    specs.extend(random);

    let mut jobs = Vec::new();
    let mut has_idp = BTreeMap::new();
    for (i, (name, spec)) in specs.iter().enumerate() {
        let b = bundle(spec, i as u64);
        let new = render::bundle_jobs(name, &b, spec, &tmp.path().join(name), &release_dir);
        for j in &new {
            has_idp.insert(
                j.id.clone(),
                !matches!(spec.authentication, Authentication::None),
            );
        }
        jobs.extend(new);
    }

    let started = Instant::now();
    let rendered = render::run(&python, &jobs, false);
    let took = started.elapsed();

    let mut figures = Figures::default();
    let mut problems = Vec::new();
    let mut custom = BTreeSet::new();
    for job in &rendered.jobs {
        figures.add(job);
        problems.extend(render::problems(job));
        for kind in render::custom_resource_kinds(job) {
            custom.insert(kind.split('/').next().unwrap_or_default().to_owned());
        }
        // Without an identity provider no control-plane chart runs Envoy (see
        // charts/NEXT_STEPS.md); with one, each Envoy defines the clusters it routes to.
        let id = job["id"].as_str().unwrap_or_default();
        let configs = envoy_configs(job);
        if id.contains("backend_operator") {
            if !configs.is_empty() {
                problems.push(format!("{id}: Envoy in a backend operator: {configs:?}"));
            }
        } else if has_idp[id] {
            let expected = if id.ends_with("osmo_values.yaml") {
                3
            } else {
                1
            };
            if configs.len() != expected {
                problems.push(format!(
                    "{id}: {} Envoy configs, expected {expected}: {configs:?}",
                    configs.len()
                ));
            }
            for (cm, clusters) in &configs {
                for needed in ["service", "idp", "oauth2-proxy"] {
                    if !clusters.iter().any(|c| c == needed) {
                        problems.push(format!("{id} {cm}: no cluster {needed} in {clusters:?}"));
                    }
                }
            }
        } else if !configs.is_empty() {
            problems.push(format!(
                "{id}: Envoy runs without an identity provider: {configs:?}"
            ));
        }
    }
    let custom: Vec<String> = custom.into_iter().collect();
    assert!(
        custom.iter().all(|k| k == "PodMonitor"),
        "custom resources other than the opt-in PodMonitors: {custom:?}"
    );

    println!(
        "render: {} bundles ({} examples + {RANDOM_SPECS} random, seed {SEED}), {} Helm renders in {:.1} s",
        specs.len(),
        specs.len() - RANDOM_SPECS,
        figures.renders,
        took.as_secs_f64()
    );
    println!(
        "render: {} objects, {} validated against Kubernetes {} (strict), {} PodMonitors without a schema",
        figures.objects, figures.validated, rendered.kubernetes_version, figures.custom_resources
    );
    println!(
        "render: {} Envoy configs, {} cluster references checked ({} to the rate-limit cluster the chart names unconditionally: its filter fails open), {} JWT providers",
        figures.envoy_configs, figures.cluster_references, figures.tolerated, figures.jwt_providers
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(figures.validated > 0 && figures.cluster_references > 0);
}

/// The checks are only worth something if they fail on the defects they exist for.
/// Defect 1 of issue 9, at the chart level: the 6.2.10 service chart routes `/oauth2/`
/// to cluster `oauth2-proxy` unconditionally, so Envoy on with oauth2-proxy off
/// leaves the API service, agent and logger with a route table Envoy refuses.
#[test]
fn the_checks_report_envoy_on_without_oauth2_proxy() {
    let Some(shared) = support::shared_or_skip("the render checks' self-test") else {
        return;
    };
    let Some(python) = render::python() else {
        return;
    };
    let spec = examples()
        .into_iter()
        .find(|(n, _)| n == "default-admin-nginx")
        .expect("example")
        .1;
    let tmp = tempfile::tempdir().unwrap();
    let release_dir = shared.join("reference/osmo-6.2.10");
    let mut jobs = render::bundle_jobs("admin", &bundle(&spec, 1), &spec, tmp.path(), &release_dir);
    jobs.retain(|j| j.id.ends_with("osmo_values.yaml"));
    let mut envoy_on = jobs[0].clone();
    envoy_on.id = "admin/envoy-on".into();
    // What the generator wrote before the fix: Envoy on, checking OSMO's own tokens only.
    envoy_on.values = Some(json!({"sidecars": {
        "envoy": {"enabled": true, "jwt": {"providers": [{
            "issuer": "osmo", "audience": "osmo", "jwks_uri": "http://localhost:8000/api/auth/keys",
            "user_claim": "unique_name", "cluster": "service"}]}},
        "oauth2Proxy": {"enabled": false}}}));
    let rendered = render::run(&python, &[envoy_on], false);
    let problems = render::problems(&rendered.jobs[0]);
    let undefined: BTreeSet<String> = rendered.jobs[0]["checks"]["envoy"]["undefined"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} -> {} ({})",
                r["config"].as_str().unwrap(),
                r["cluster"].as_str().unwrap(),
                r["effect"].as_str().unwrap()
            )
        })
        .collect();
    let expected: BTreeSet<String> = ["osmo-service", "osmo-agent", "osmo-logger"]
        .iter()
        .map(|s| format!("ConfigMap/{s}-envoy-config -> oauth2-proxy (refused)"))
        .collect();
    assert_eq!(undefined, expected, "{problems:#?}");
}

fn fixture_631(name: &str) -> std::path::PathBuf {
    support::root()
        .join("tests/fixtures/render/osmo-6.3.1")
        .join(name)
}

fn job_631(release_dir: &Path, id: &str, values: Option<Value>) -> Job {
    Job {
        id: id.into(),
        chart_dir: release_dir.join("service"),
        release_name: "service".into(),
        namespace: "osmo".into(),
        values_files: vec![fixture_631("service.entra.values.yaml")],
        values,
    }
}

/// The harness is reused for OSMO 6.3.1, whose gateway keeps its Envoy config in
/// `lds.yaml`/`cds.yaml` (+ `bootstrap.yaml`) of ConfigMap `osmo-gateway-envoy-config`.
/// A complete values file of our own renders clean; the run-time faults of that
/// layout (no `idp.host`, OSMO's key URI on https while upstream TLS is off, the
/// internal JWKS cluster switched off) are reported.
#[test]
fn the_631_gateway_layout_is_checked_too() {
    let Some(shared) = support::shared_or_skip("rendering the 6.3.1 charts") else {
        return;
    };
    let Some(python) = render::python() else {
        return;
    };
    let release_dir = shared.join("reference/osmo-6.3.1");
    let jobs = vec![
        job_631(&release_dir, "6.3.1/complete", None),
        job_631(
            &release_dir,
            "6.3.1/no-idp-host",
            Some(json!({"gateway": {"envoy": {"idp": {"host": ""}}}})),
        ),
        job_631(
            &release_dir,
            "6.3.1/upstream-tls-off",
            Some(json!({"gateway": {"tls": {"enabled": false}}})),
        ),
        job_631(
            &release_dir,
            "6.3.1/internal-jwks-off",
            Some(json!({"gateway": {"envoy": {"internalJwks": {"enabled": false}}}})),
        ),
        Job {
            id: "6.3.1/backend-operator".into(),
            chart_dir: release_dir.join("backend-operator"),
            release_name: "osmo-operator".into(),
            namespace: "osmo-operator".into(),
            values_files: vec![fixture_631("backend-operator.values.yaml")],
            values: None,
        },
    ];
    let rendered = render::run(&python, &jobs, true);
    let by_id: BTreeMap<&str, &Value> = rendered
        .jobs
        .iter()
        .map(|j| (j["id"].as_str().unwrap(), j))
        .collect();

    let complete = by_id["6.3.1/complete"];
    assert_eq!(render::problems(complete), Vec::<String>::new());
    let configs = envoy_configs(complete);
    assert_eq!(configs.len(), 1, "{configs:?}");
    assert_eq!(configs[0].0, "ConfigMap/osmo-gateway-envoy-config");
    let gateway = &complete["checks"]["envoy"]["configs"][0];
    assert_eq!(gateway["layout"], "files");
    for cluster in [
        "osmo-service",
        "osmo-router",
        "osmo-ui",
        "osmo-agent",
        "osmo-logger",
        "oauth2-proxy",
        "authz",
        "idp",
        "osmo-service-jwks",
    ] {
        assert!(
            configs[0].1.iter().any(|c| c == cluster),
            "{cluster} in {:?}",
            configs[0].1
        );
    }
    let kinds: BTreeSet<&str> = gateway["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["route", "jwt", "ext_authz"]),
        "{gateway:#}"
    );
    let objects = complete["objects"].as_array().unwrap();
    assert!(
        objects
            .iter()
            .any(|o| o["kind"] == "ConfigMap" && o["name"] == "osmo-service-configs"),
        "the ConfigMap-mode configs are among the objects"
    );

    let undefined = |id: &str| -> Vec<String> {
        by_id[id]["checks"]["envoy"]["undefined"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{} ({})",
                    r["cluster"].as_str().unwrap(),
                    r["kind"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(undefined("6.3.1/no-idp-host"), ["idp (jwt)"]);
    assert_eq!(
        undefined("6.3.1/internal-jwks-off"),
        ["osmo-service-jwks (jwt)"]
    );
    let tls_off = render::problems(by_id["6.3.1/upstream-tls-off"]);
    assert_eq!(tls_off.len(), 1, "{tls_off:#?}");
    assert!(
        tls_off[0].contains("is https, but cluster osmo-service-jwks speaks plain HTTP"),
        "{tls_off:#?}"
    );
    assert_eq!(
        render::problems(by_id["6.3.1/backend-operator"]),
        Vec::<String>::new()
    );

    let mut figures = Figures::default();
    for job in &rendered.jobs {
        figures.add(job);
    }
    println!(
        "render 6.3.1: {} renders, {} objects ({} validated against Kubernetes {}), {} cluster references checked",
        figures.renders,
        figures.objects,
        figures.validated,
        rendered.kubernetes_version,
        figures.cluster_references
    );
}
