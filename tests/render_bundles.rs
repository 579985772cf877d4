//! Truth by construction: every bundle the generator makes is rendered with
//! the real Helm engine against the real charts of its release
//! (`../shared/reference/osmo-<release>`) and judged on what it would deploy:
//! no render error, every object valid against the Kubernetes schema (1.30,
//! strict), every Envoy cluster that a route, JWT provider, ext_authz, gRPC
//! service or rate limit names defined (6.2's `static_resources` per service,
//! 6.3.1's gateway `lds.yaml`/`cds.yaml`), every JWT provider fetching its
//! keys from the host and with the scheme its cluster speaks, no placeholder
//! left. At 6.3.1 the rendered `osmo-service-configs` ConfigMap is read the
//! way the service reads it (only the Secrets of `secretRefs` are mounted and
//! resolved) and checked against the schema derived from the service's own
//! models, and the chart's effective `services.configs` passes the project's
//! configs checks. The generated values files lint clean. The examples of
//! both releases and 50 random specs per release from a fixed seed.
//!
//! The checks live in `tests/helm/render.py` (one process renders the whole
//! batch) and `tests/support/configmap.rs`; this file builds the bundles and
//! the jobs, and asserts. It also proves the checks can fail: the defects they
//! exist for are rendered on purpose and must be reported, for the 6.2
//! per-service Envoy configs and for the 6.3.1 gateway's lds/cds layout.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use osmo_values::generate::secrets::{ExistingSecrets, parse_secrets};
use osmo_values::generate::{Options, generate_with};
use osmo_values::spec::{Authentication, DeploymentSpec};
use osmo_values::{Bundle, Release};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};
use support::configmap::{self, DerivedSchema};
use support::render::{self, Figures, Job};
use support::spec_gen;

/// The seed of the random specs: fixed, so a failure reproduces.
const SEED: u64 = 6210;
/// Random specs rendered per run and release.
const RANDOM_SPECS: usize = 50;

/// The example specs of one release: `examples/*.yaml` are 6.2.10's,
/// `examples/6.3.1/*.yaml` 6.3.1's.
fn examples(release: Release) -> Vec<(String, DeploymentSpec)> {
    let dir = match release {
        Release::V6_2_10 => support::root().join("examples"),
        Release::V6_3_1 => support::root().join("examples/6.3.1"),
    };
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
            assert_eq!(spec.release, release, "{}", p.display());
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (format!("{release}-{stem}"), spec)
        })
        .collect()
}

fn bundle(spec: &DeploymentSpec, seed: u64) -> Bundle {
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

/// What each rendered job is, for the checks that depend on the spec.
struct JobInfo {
    release: Release,
    has_idp: bool,
    backend_operator: bool,
    secrets: ExistingSecrets,
}

/// The categories every run of random specs must cover, per release: each
/// provider, exposure, TLS choice, sizing preset, backend count, placement and
/// which servers ask for a password;
/// at 6.3.1 also each storage credential kind (and none), both ConfigMap modes
/// and upstream TLS on and off.
fn expected_coverage(release: Release) -> BTreeMap<&'static str, usize> {
    let mut c = BTreeMap::from([
        ("provider", spec_gen::PROVIDERS.len()),
        ("sizing", 3),
        ("backends", 2),
        ("placement", 3),
        ("passwords", spec_gen::PASSWORDS.len()),
    ]);
    if release.has_gateway() {
        c.insert("exposure", spec_gen::EXPOSURES.len());
        c.insert("tls", 5);
        c.insert("storage", spec_gen::STORAGE_KINDS.len() + 1);
        c.insert("config", 2);
        c.insert("upstream tls", 2);
    } else {
        c.insert("exposure", spec_gen::INGRESS_KINDS.len());
        c.insert("tls", 3);
    }
    c
}

#[test]
fn every_generated_bundle_renders_into_a_deployment_that_works() {
    let Some(shared) = support::shared_or_skip("rendering the generated bundles") else {
        return;
    };
    let Some(python) = render::python() else {
        return;
    };
    let reference = shared.join("reference");
    let derived = DerivedSchema::load(&reference.join("osmo-6.3.1/configs-models.schema.json"));
    let tmp = tempfile::tempdir().expect("temp dir");

    let mut specs = Vec::new();
    let mut per_release: BTreeMap<Release, (usize, usize)> = BTreeMap::new();
    for release in Release::ALL {
        let ex = examples(release);
        let random = spec_gen::random_specs(SEED, RANDOM_SPECS, release);
        let mut covered: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for (_, spec) in &random {
            for (category, value) in spec_gen::categories(spec) {
                covered.entry(category).or_default().insert(value);
            }
        }
        for (category, n) in expected_coverage(release) {
            let seen = covered.get(category).cloned().unwrap_or_default();
            assert_eq!(seen.len(), n, "{release} {category}: {seen:?}");
        }
        per_release.insert(release, (ex.len(), random.len()));
        specs.extend(ex);
        specs.extend(random);
    }

    let mut jobs = Vec::new();
    let mut info = BTreeMap::new();
    let mut lint_findings = Vec::new();
    for (i, (name, spec)) in specs.iter().enumerate() {
        let b = bundle(spec, i as u64);
        let secrets = b
            .get("secrets.yaml")
            .map(|f| parse_secrets(&f.contents).expect("secrets.yaml reads back"))
            .unwrap_or_default();
        lint_findings.extend(lint_bundle(name, spec, &b, &secrets));
        let mut new = render::bundle_jobs(name, &b, spec, &tmp.path().join(name), &reference);
        for j in &mut new {
            let backend_operator = j.id.contains("backend_operator");
            if spec.release.has_gateway() && !backend_operator {
                j.objects = Some(true);
                j.coalesced_values = true;
            }
            info.insert(
                j.id.clone(),
                JobInfo {
                    release: spec.release,
                    has_idp: !matches!(spec.authentication, Authentication::None),
                    backend_operator,
                    secrets: secrets.clone(),
                },
            );
        }
        jobs.extend(new);
    }

    let started = Instant::now();
    let rendered = render::run(&python, &jobs, false);
    let took = started.elapsed();

    let mut figures: BTreeMap<Release, Figures> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut custom = BTreeSet::new();
    let mut configmaps = 0;
    let mut config_units = 0;
    let mut resolved = 0;
    let mut config_checks = 0;
    for job in &rendered.jobs {
        let id = job["id"].as_str().unwrap_or_default();
        let ji = &info[id];
        figures.entry(ji.release).or_default().add(job);
        problems.extend(render::problems(job));
        for kind in render::custom_resource_kinds(job) {
            custom.insert(kind.split('/').next().unwrap_or_default().to_owned());
        }
        let configs = envoy_configs(job);
        if ji.backend_operator {
            if !configs.is_empty() {
                problems.push(format!("{id}: Envoy in a backend operator: {configs:?}"));
            }
            continue;
        }
        if ji.release.has_gateway() {
            problems.extend(gateway_problems(id, ji, &configs));
            let objects = job["objects"].as_array().cloned().unwrap_or_default();
            if let Some(checked) = configmap::check(&objects, &ji.secrets, &derived) {
                configmaps += 1;
                config_units += checked.units;
                resolved += checked.resolved;
                problems.extend(
                    checked
                        .problems
                        .iter()
                        .map(|p| format!("{id}: configs: {p}")),
                );
            }
            let values = &job["values"];
            let ctx = osmo_values::configs::CheckContext {
                service_hostname: values["services"]["service"]["hostname"].as_str(),
                user_configs: None,
            };
            config_checks += 1;
            for f in osmo_values::configs::check(&values["services"]["configs"], &ctx) {
                problems.push(format!(
                    "{id}: configs check {}: {} at {}",
                    f.code, f.message, f.path
                ));
            }
            continue;
        }
        // 6.2.10: without an identity provider no control-plane chart runs Envoy (see
        // core/templates/NEXT_STEPS.md); with one, each Envoy defines the clusters it
        // routes to.
        if ji.has_idp {
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

    let total: usize = figures.values().map(|f| f.renders).sum();
    println!(
        "render: {} bundles, {total} Helm renders in {:.1} s (random specs: seed {SEED})",
        specs.len(),
        took.as_secs_f64()
    );
    for (release, f) in &figures {
        let (ex, random) = per_release[release];
        println!(
            "render {release}: {} bundles ({ex} examples + {random} random), {} renders, {} objects, {} validated against Kubernetes {} (strict), {} PodMonitors without a schema",
            ex + random,
            f.renders,
            f.objects,
            f.validated,
            rendered.kubernetes_version,
            f.custom_resources
        );
        println!(
            "render {release}: {} Envoy configs, {} cluster references checked ({} to the rate-limit cluster the chart names unconditionally: its filter fails open), {} JWT providers",
            f.envoy_configs, f.cluster_references, f.tolerated, f.jwt_providers
        );
    }
    println!(
        "render 6.3.1: {configmaps} osmo-service-configs ConfigMaps read as the service reads them ({resolved} Secret references resolved from mounted Secrets), {config_units} units checked against the derived models; {config_checks} effective services.configs blocks checked"
    );
    println!("lint: every values file of the {} bundles", specs.len());
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        lint_findings.is_empty(),
        "{} lint findings:\n{}",
        lint_findings.len(),
        lint_findings.join("\n")
    );
    for f in figures.values() {
        assert!(f.validated > 0 && f.cluster_references > 0);
    }
    assert!(configmaps > 0 && config_units > 0 && resolved > 0);
}

/// The clusters a 6.3.1 gateway must define for the bundle: OSMO's services and the
/// internal JWKS cluster always, the authorization service (on in every bundle), and with
/// an identity provider its `idp` cluster, oauth2-proxy and the web UI.
fn gateway_problems(id: &str, ji: &JobInfo, configs: &[(String, Vec<String>)]) -> Vec<String> {
    let mut out = Vec::new();
    if configs.len() != 1 || configs[0].0 != "ConfigMap/osmo-gateway-envoy-config" {
        return vec![format!(
            "{id}: expected the gateway's Envoy config only: {configs:?}"
        )];
    }
    let clusters = &configs[0].1;
    let mut needed = vec![
        "osmo-service",
        "osmo-service-jwks",
        "osmo-router",
        "osmo-agent",
        "osmo-logger",
        "authz",
    ];
    let idp_only = ["idp", "oauth2-proxy", "osmo-ui"];
    if ji.has_idp {
        needed.extend(idp_only);
    } else {
        for c in idp_only {
            if clusters.iter().any(|d| d == c) {
                out.push(format!("{id}: cluster {c} without an identity provider"));
            }
        }
    }
    for c in needed {
        if !clusters.iter().any(|d| d == c) {
            out.push(format!("{id}: no cluster {c} in {clusters:?}"));
        }
    }
    out
}

/// Lints a bundle's values files together, as `osmo-values lint` lints its folder: the
/// backends from its spec, the Secrets it creates from its `secrets.yaml`.
fn lint_bundle(
    name: &str,
    spec: &DeploymentSpec,
    b: &Bundle,
    secrets: &ExistingSecrets,
) -> Vec<String> {
    use osmo_values::{LintInput, LintOptions, lint};
    let inputs: Vec<LintInput> = b
        .files
        .iter()
        .filter(|f| osmo_values::lint::detect_chart(&f.name).is_some())
        .map(|f| LintInput {
            name: &f.name,
            source: f.contents.as_bytes(),
        })
        .collect();
    let mut names: Vec<String> = secrets.iter().map(|(s, _, _)| s.to_owned()).collect();
    names.dedup();
    let options = LintOptions {
        backends: Some(spec.backends.iter().map(|b| b.name.clone()).collect()),
        secrets: Some(names),
        ..LintOptions::default()
    };
    let found = lint(&inputs, &options).expect("the bundle's files are values files");
    found
        .into_iter()
        .map(|d| format!("{name}/{}: {} {}", inputs[d.file].name, d.code, d.message))
        .collect()
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
    let spec = examples(Release::V6_2_10)
        .into_iter()
        .find(|(n, _)| n == "6.2.10-default-admin-nginx")
        .expect("example")
        .1;
    let tmp = tempfile::tempdir().unwrap();
    let mut jobs = render::bundle_jobs(
        "admin",
        &bundle(&spec, 1),
        &spec,
        tmp.path(),
        &shared.join("reference"),
    );
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
        objects: None,
        coalesced_values: false,
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
            objects: None,
            coalesced_values: false,
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

/// The ConfigMap checks fail on what they exist for: a static-storage bundle whose
/// `secretRefs` were dropped leaves `secretName` references the service cannot read
/// (it would refuse to start), and one without `service_base_url` breaks workflows.
#[test]
fn the_configmap_checks_report_unmounted_secrets_and_missing_settings() {
    let Some(shared) = support::shared_or_skip("the ConfigMap checks' self-test") else {
        return;
    };
    let Some(python) = render::python() else {
        return;
    };
    let reference = shared.join("reference");
    let derived = DerivedSchema::load(&reference.join("osmo-6.3.1/configs-models.schema.json"));
    let (name, spec) = examples(Release::V6_3_1)
        .into_iter()
        .find(|(n, _)| n == "6.3.1-keycloak-traefik")
        .expect("example");
    let b = bundle(&spec, 1);
    let secrets = parse_secrets(&b.get("secrets.yaml").unwrap().contents).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut jobs = render::bundle_jobs(&name, &b, &spec, tmp.path(), &reference);
    jobs.retain(|j| j.id.ends_with("osmo_values.yaml"));
    let mut job = jobs.remove(0);
    job.objects = Some(true);
    job.coalesced_values = true;
    let mut unmounted = job.clone();
    unmounted.id = "no-secret-refs".into();
    unmounted.values = Some(json!({"services": {"configs": {"secretRefs": []}}}));
    let mut no_url = job.clone();
    no_url.id = "no-service-url".into();
    no_url.values = Some(json!({"services": {"configs": {"service": {"service_base_url": null}}}}));
    let rendered = render::run(&python, &[job, unmounted, no_url], true);

    let check = |j: &Value| {
        let objects = j["objects"].as_array().cloned().unwrap_or_default();
        configmap::check(&objects, &secrets, &derived).expect("ConfigMap mode")
    };
    let clean = check(&rendered.jobs[0]);
    assert!(clean.problems.is_empty(), "{:?}", clean.problems);
    assert_eq!(
        clean.mounted,
        BTreeSet::from([
            "osmo-workflow-data-cred".to_owned(),
            "osmo-workflow-log-cred".to_owned()
        ])
    );
    assert_eq!(clean.resolved, 2);

    let broken = check(&rendered.jobs[1]);
    assert!(broken.mounted.is_empty() && broken.resolved == 0);
    let refs: Vec<&String> = broken
        .problems
        .iter()
        .filter(|p| p.contains("secretName"))
        .collect();
    assert!(
        refs.iter().any(|p| p.starts_with("workflow/workflow_log"))
            && refs.iter().any(|p| p.starts_with("workflow/workflow_data")),
        "{:?}",
        broken.problems
    );

    let values = &rendered.jobs[2]["values"];
    let found = osmo_values::configs::check(
        &values["services"]["configs"],
        &osmo_values::configs::CheckContext::default(),
    );
    assert!(
        found.iter().any(
            |f| f.path.to_string() == "services.configs.service.service_base_url"
                || f.message.contains("service_base_url")
        ),
        "{found:#?}"
    );
}
