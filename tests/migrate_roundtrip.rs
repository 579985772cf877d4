//! The migration's proof: every 6.2.10 deployment the generator makes (every
//! example and random specs from a fixed seed) and our fixtures written
//! after upstream's 6.2.10 guide values are migrated to 6.3.1, and
//! - every input key is reported exactly once (moved, dropped or to decide);
//! - the new files lint with no error under 6.3.1;
//! - they render with the real Helm engine against the real 6.3.1 charts
//!   (`../shared/reference`) into a gateway whose every named cluster is
//!   defined and whose JWT providers' JWKS schemes match their clusters' TLS
//!   (ConfigMap mode stays off: 6.2 has none, so there is no ConfigMap to
//!   validate);
//! - the old files rendered with the 6.2.10 charts and the new ones with the
//!   6.3.1 charts agree, per Deployment, on image repository, resources, node
//!   selector, tolerations and autoscaler bounds (the 6.2 sidecars against
//!   the gateway's Deployments), on the IdP JWT providers (issuer, audience,
//!   JWKS URI) and on oauth2-proxy's issuer, client id and cookie domain. A
//!   difference passes only where the operator never set the value and the
//!   6.3.1 default differs; those are counted and printed.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use osmo_values::diagnostic::Severity;
use osmo_values::generate::{Options, generate_with};
use osmo_values::lint::{LintInput, LintOptions, lint_report};
use osmo_values::migrate::{BackendTarget, Fate, MigrateInput, MigrateOptions, Migration, migrate};
use osmo_values::spec::DeploymentSpec;
use osmo_values::{Chart, ChartName, Release};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::Value;
use support::roundtrip::{self, Job};
use support::spec_gen;

/// The seed of the random specs: fixed, so a failure reproduces.
const SEED: u64 = 6310;
/// Random specs per run (24 or more cover every provider with every ingress kind).
const RANDOM_SPECS: usize = 30;

/// One 6.2.10 deployment to migrate.
struct Case {
    name: String,
    files: Vec<(String, String)>,
    backends: Option<Vec<BackendTarget>>,
}

fn examples() -> Vec<(String, DeploymentSpec)> {
    let dir = support::root().join("examples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
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

fn bundle_case(name: &str, spec: &DeploymentSpec, seed: u64) -> Case {
    let bundle = generate_with(spec, &Options::default(), &mut StdRng::seed_from_u64(seed))
        .expect("a valid spec generates");
    let files = bundle
        .files
        .iter()
        .filter(|f| osmo_values::lint::detect_chart(&f.name).is_some())
        .map(|f| (f.name.clone(), f.contents.clone()))
        .collect();
    Case {
        name: name.to_owned(),
        files,
        backends: Some(
            spec.backends
                .iter()
                .map(|b| BackendTarget {
                    name: b.name.clone(),
                    operator_namespace: b.operator_namespace.clone(),
                    kube_context: b.kube_context.clone(),
                })
                .collect(),
        ),
    }
}

/// Our 6.2.10 deployments written after upstream's guide values
/// (`tests/fixtures/migrate/<case>/`).
fn fixture_cases() -> Vec<Case> {
    let dir = support::root().join("tests/fixtures/migrate");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/migrate")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let mut files: Vec<(String, String)> = std::fs::read_dir(&d)
                .expect("fixture dir")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .map(|p| {
                    (
                        p.file_name().unwrap().to_string_lossy().into_owned(),
                        std::fs::read_to_string(&p).expect("fixture"),
                    )
                })
                .collect();
            files.sort();
            Case {
                name: format!("fixture-{}", d.file_name().unwrap().to_string_lossy()),
                files,
                backends: None,
            }
        })
        .collect()
}

fn migrate_case(case: &Case) -> Migration {
    let inputs: Vec<MigrateInput<'_>> = case
        .files
        .iter()
        .map(|(n, t)| MigrateInput {
            name: n,
            source: t.as_bytes(),
        })
        .collect();
    let options = MigrateOptions {
        backends: case.backends.clone(),
        ..MigrateOptions::default()
    };
    migrate(&inputs, &options).unwrap_or_else(|e| panic!("{}: {e}", case.name))
}

/// Keys of a values text counted independently of the migration: scalars,
/// lists and empty maps, every occurrence of a duplicate key included.
fn count_keys(text: &str) -> usize {
    fn count(node: &osmo_values::Node) -> usize {
        match &node.value {
            osmo_values::NodeValue::Map(entries) => entries
                .iter()
                .map(|e| match &e.value.value {
                    osmo_values::NodeValue::Map(m) if !m.is_empty() => count(&e.value),
                    _ => 1,
                })
                .sum(),
            _ => 0,
        }
    }
    count(&osmo_values::yaml::parse(text).expect("input parses").root)
}

/// The Helm installs of some values files (lint's plan), as render jobs.
fn jobs_for(
    id: &str,
    files: &[(String, String)],
    dir: &Path,
    release: Release,
    backends: &Option<Vec<BackendTarget>>,
    charts_dir: &Path,
) -> Vec<Job> {
    std::fs::create_dir_all(dir).expect("case dir");
    let inputs: Vec<LintInput<'_>> = files
        .iter()
        .map(|(n, t)| LintInput {
            name: n,
            source: t.as_bytes(),
        })
        .collect();
    for (n, t) in files {
        std::fs::write(dir.join(n), t).expect("file written");
    }
    let options = LintOptions {
        release: Some(release),
        backends: backends
            .as_ref()
            .map(|b| b.iter().map(|b| b.name.clone()).collect()),
        ..LintOptions::default()
    };
    let plan = lint_report(&inputs, &options).expect("the files have charts");
    plan.installs
        .iter()
        .map(|install| {
            let chart = install.chart;
            let namespace = match (&install.backend, backends) {
                (Some(b), Some(list)) => list
                    .iter()
                    .find(|t| &t.name == b)
                    .map_or("osmo-operator".to_owned(), |t| t.operator_namespace.clone()),
                _ => chart.namespace().to_owned(),
            };
            Job {
                id: format!(
                    "{id}/{}/{}",
                    chart.name,
                    install.backend.as_deref().unwrap_or("")
                ),
                chart_dir: charts_dir.join(chart.name.as_str()),
                release_name: chart.release_name().to_owned(),
                namespace,
                values_files: install
                    .files
                    .iter()
                    .map(|&i| dir.join(&files[i].0))
                    .collect(),
                values: None,
                objects: None,
                coalesced_values: false,
            }
        })
        .collect()
}

/// What the comparison checks of one workload, and the 6.2.10 keys an
/// operator sets it with.
struct Workload {
    old: (&'static str, &'static str),
    new: (&'static str, &'static str),
    chart: ChartName,
    prefix: &'static str,
}

const WORKLOADS: &[Workload] = &[
    w(
        ("osmo-service", "osmo-service"),
        ("osmo-service", "osmo-service"),
        ChartName::Service,
        "services.service",
    ),
    w(
        ("osmo-worker", "osmo-worker"),
        ("osmo-worker", "osmo-worker"),
        ChartName::Service,
        "services.worker",
    ),
    w(
        ("osmo-logger", "osmo-logger"),
        ("osmo-logger", "osmo-logger"),
        ChartName::Service,
        "services.logger",
    ),
    w(
        ("osmo-agent", "osmo-agent"),
        ("osmo-agent", "osmo-agent"),
        ChartName::Service,
        "services.agent",
    ),
    w(
        ("osmo-delayed-job-monitor", "osmo-delayed-job-monitor"),
        ("osmo-delayed-job-monitor", "osmo-delayed-job-monitor"),
        ChartName::Service,
        "services.delayedJobMonitor",
    ),
    w(
        ("osmo-router", "osmo-router"),
        ("osmo-router", "osmo-router"),
        ChartName::Router,
        "services.service",
    ),
    w(
        ("osmo-ui", "osmo-ui"),
        ("osmo-ui", "osmo-ui"),
        ChartName::WebUi,
        "services.ui",
    ),
    w(
        ("osmo-service", "envoy"),
        ("osmo-gateway-envoy", "envoy"),
        ChartName::Service,
        "sidecars.envoy",
    ),
    w(
        ("osmo-service", "oauth2-proxy"),
        ("osmo-gateway-oauth2-proxy", "oauth2-proxy"),
        ChartName::Service,
        "sidecars.oauth2Proxy",
    ),
    w(
        ("osmo-service", "authz-sidecar"),
        ("osmo-gateway-authz", "authz"),
        ChartName::Service,
        "sidecars.authz",
    ),
    w(
        ("osmo-operator-osmo-backend-listener", "backend-listener"),
        ("osmo-operator-osmo-backend-listener", "backend-listener"),
        ChartName::BackendOperator,
        "services.backendListener",
    ),
    w(
        ("osmo-operator-osmo-backend-worker", "backend-worker"),
        ("osmo-operator-osmo-backend-worker", "backend-worker"),
        ChartName::BackendOperator,
        "services.backendWorker",
    ),
];

const fn w(
    old: (&'static str, &'static str),
    new: (&'static str, &'static str),
    chart: ChartName,
    prefix: &'static str,
) -> Workload {
    Workload {
        old,
        new,
        chart,
        prefix,
    }
}

/// The keys below which the operator sets one aspect of a workload.
fn aspect_keys(w: &Workload, aspect: &str) -> Vec<String> {
    let p = w.prefix;
    match aspect {
        "image repository" => vec![
            "global.osmoImageLocation".into(),
            format!("{p}.imageName"),
            format!("{p}.image"),
            format!("{p}.images"),
        ],
        "resources" if p == "services.delayedJobMonitor" => {
            vec![
                format!("{p}.resources"),
                "services.service.resources".into(),
            ]
        }
        "resources" => vec![format!("{p}.resources")],
        // A 6.2 sidecar ran in the API service's pod, and was placed with it.
        "node selector" if p.starts_with("sidecars.") => vec![
            format!("{p}.nodeSelector"),
            "global.nodeSelector".into(),
            "services.service.nodeSelector".into(),
        ],
        "tolerations" if p.starts_with("sidecars.") => {
            vec![
                format!("{p}.tolerations"),
                "services.service.tolerations".into(),
            ]
        }
        "node selector" => vec![format!("{p}.nodeSelector"), "global.nodeSelector".into()],
        "tolerations" => vec![format!("{p}.tolerations")],
        "autoscaler bounds" => vec![format!("{p}.scaling"), format!("{p}.replicas")],
        _ => Vec::new(),
    }
}

fn get<'v>(v: &'v Value, dotted: &str) -> Option<&'v Value> {
    dotted.split('.').try_fold(v, |v, k| v.get(k))
}

fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(e) if e.is_object() && v.is_object() => merge(e, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// Each chart's merged 6.2.10 values (operators: all their files).
fn old_values(case: &Case) -> BTreeMap<ChartName, Value> {
    let mut out: BTreeMap<ChartName, Value> = BTreeMap::new();
    for (name, text) in &case.files {
        let chart = osmo_values::lint::detect_chart(name).expect("chart");
        let v = support::yaml_to_json(text);
        merge(
            out.entry(chart)
                .or_insert_with(|| Value::Object(Default::default())),
            &v,
        );
    }
    out
}

/// (deployment, container) → the container, the pod spec, and from the
/// autoscaler of the same name its bounds.
struct Rendered<'r> {
    containers: BTreeMap<(String, String), (&'r Value, &'r Value)>,
    hpa: BTreeMap<String, (Value, Value)>,
}

fn rendered<'r>(results: &[&'r Value]) -> Rendered<'r> {
    let mut containers = BTreeMap::new();
    for (name, d) in roundtrip::by_kind(results, "Deployment") {
        let pod = &d["spec"]["template"]["spec"];
        for c in pod["containers"].as_array().into_iter().flatten() {
            let cname = c["name"].as_str().unwrap_or_default().to_owned();
            containers.insert((name.clone(), cname), (c, pod));
        }
    }
    let hpa = roundtrip::by_kind(results, "HorizontalPodAutoscaler")
        .into_iter()
        .map(|(n, h)| {
            (
                n,
                (
                    h["spec"]["minReplicas"].clone(),
                    h["spec"]["maxReplicas"].clone(),
                ),
            )
        })
        .collect();
    Rendered { containers, hpa }
}

fn aspects(c: &Value, pod: &Value) -> Vec<(&'static str, Value)> {
    let image = c["image"].as_str().unwrap_or_default();
    let empty_null = |v: &Value| match v {
        Value::Array(a) if a.is_empty() => Value::Null,
        Value::Object(o) if o.is_empty() => Value::Null,
        other => other.clone(),
    };
    vec![
        (
            "image repository",
            Value::String(roundtrip::repository(image).to_owned()),
        ),
        ("resources", empty_null(&c["resources"])),
        ("node selector", empty_null(&pod["nodeSelector"])),
        ("tolerations", empty_null(&pod["tolerations"])),
    ]
}

#[derive(Default)]
struct Tally {
    cases: usize,
    with_decisions: usize,
    keys: (usize, usize, usize),
    compared: usize,
    default_changes: BTreeMap<String, usize>,
    idp_providers: usize,
    oauth2_proxies: usize,
    renders: usize,
    objects: usize,
    decided: BTreeMap<String, usize>,
    dropped: BTreeMap<String, usize>,
    added: BTreeMap<String, usize>,
}

/// Runs the whole round trip on `cases`; returns the failures.
fn round_trip(cases: &[Case], shared: &Path, python: &Path, tally: &mut Tally) -> Vec<String> {
    let tmp = tempfile::tempdir().expect("temp dir");
    let old_charts = shared.join("reference/osmo-6.2.10");
    let new_charts = shared.join("reference/osmo-6.3.1");
    let mut failures = Vec::new();
    let mut jobs = Vec::new();
    let mut spans = Vec::new();
    let mut migrations = Vec::new();
    for (k, case) in cases.iter().enumerate() {
        let m = migrate_case(case);
        let keys: usize = case.files.iter().map(|(_, t)| count_keys(t)).sum();
        if keys != m.report.keys.len() {
            failures.push(format!(
                "{}: {} keys in the input, {} in the report",
                case.name,
                keys,
                m.report.keys.len()
            ));
        }
        let (a, b, c) = m.report.counts();
        tally.keys = (tally.keys.0 + a, tally.keys.1 + b, tally.keys.2 + c);
        tally.cases += 1;
        if m.report.open_decisions() > 0 {
            tally.with_decisions += 1;
        }
        for key in &m.report.keys {
            let (map, why) = match &key.fate {
                Fate::Dropped { reason } => (&mut tally.dropped, reason),
                Fate::Decide { question, .. } => (&mut tally.decided, question),
                Fate::Moved { .. } => continue,
            };
            *map.entry(category(why)).or_default() += 1;
        }
        for a in &m.report.added {
            *tally.added.entry(a.place.path.to_string()).or_default() += 1;
        }
        for d in &m.report.decisions {
            let first: String = d.chars().take(80).collect();
            *tally
                .decided
                .entry(format!("(deployment) {first}"))
                .or_default() += 1;
        }
        let new_files: Vec<(String, String)> = m
            .files
            .iter()
            .filter(|f| osmo_values::lint::detect_chart(&f.name).is_some())
            .map(|f| (f.name.clone(), f.contents.clone()))
            .collect();
        let inputs: Vec<LintInput<'_>> = new_files
            .iter()
            .map(|(n, t)| LintInput {
                name: n,
                source: t.as_bytes(),
            })
            .collect();
        let options = LintOptions {
            release: Some(Release::V6_3_1),
            backends: case
                .backends
                .as_ref()
                .map(|b| b.iter().map(|b| b.name.clone()).collect()),
            ..LintOptions::default()
        };
        let report = lint_report(&inputs, &options).expect("lint runs");
        for d in report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            failures.push(format!(
                "{}: lint under 6.3.1: {} {} {}",
                case.name, new_files[d.file].0, d.code, d.message
            ));
        }
        let dir = tmp.path().join(k.to_string());
        let old = jobs_for(
            &case.name,
            &case.files,
            &dir.join("old"),
            Release::V6_2_10,
            &case.backends,
            &old_charts,
        );
        let new = jobs_for(
            &case.name,
            &new_files,
            &dir.join("new"),
            Release::V6_3_1,
            &case.backends,
            &new_charts,
        );
        let start = jobs.len();
        jobs.extend(old);
        let mid = jobs.len();
        jobs.extend(new);
        spans.push((start, mid, jobs.len()));
        migrations.push(m);
    }
    let results = roundtrip::render(python, &jobs);
    tally.renders += results.len();
    tally.objects += results
        .iter()
        .map(|r| r["objects"].as_array().map_or(0, Vec::len))
        .sum::<usize>();
    for (k, case) in cases.iter().enumerate() {
        let (start, mid, end) = spans[k];
        let old: Vec<&Value> = results[start..mid].iter().collect();
        let new: Vec<&Value> = results[mid..end].iter().collect();
        for r in old.iter().chain(&new) {
            if let Some(e) = r["error"].as_str() {
                failures.push(format!("{}: {} does not render: {e}", case.name, r["id"]));
            }
        }
        if let Some(service) = new
            .iter()
            .find(|r| r["id"].as_str().is_some_and(|i| i.contains("/service/")))
        {
            for p in roundtrip::gateway_problems(service) {
                failures.push(format!("{}: {p}", case.name));
            }
        }
        if roundtrip::by_kind(&new, "ConfigMap")
            .iter()
            .any(|(n, _)| n.ends_with("-configs"))
        {
            failures.push(format!(
                "{}: ConfigMap mode is on, but 6.2 had none",
                case.name
            ));
        }
        compare(case, &migrations[k], &old, &new, tally, &mut failures);
    }
    failures
}

fn compare(
    case: &Case,
    m: &Migration,
    old: &[&Value],
    new: &[&Value],
    tally: &mut Tally,
    failures: &mut Vec<String>,
) {
    let values = old_values(case);
    let (o, n) = (rendered(old), rendered(new));
    let set_by_operator = |w: &Workload, aspect: &str| {
        values
            .get(&w.chart)
            .is_some_and(|v| aspect_keys(w, aspect).iter().any(|k| get(v, k).is_some()))
    };
    for w in WORKLOADS {
        let key = |(d, c): (&str, &str)| (d.to_owned(), c.to_owned());
        let Some(&(oc, opod)) = o.containers.get(&key(w.old)) else {
            continue;
        };
        let envoy_off = w.prefix.starts_with("sidecars.")
            && get(&values[&w.chart], "sidecars.envoy.enabled") == Some(&Value::Bool(false));
        let Some(&(nc, npod)) = n.containers.get(&key(w.new)) else {
            if !envoy_off {
                failures.push(format!(
                    "{}: {}/{} is gone after the migration",
                    case.name, w.new.0, w.new.1
                ));
            }
            continue;
        };
        tally.compared += 1;
        let mut pairs = aspects(oc, opod)
            .into_iter()
            .zip(aspects(nc, npod))
            .collect::<Vec<_>>();
        if let Some(ob) = o.hpa.get(w.old.0).filter(|_| w.old.0 == w.new.0) {
            let nb = n
                .hpa
                .get(w.new.0)
                .cloned()
                .unwrap_or((Value::Null, Value::Null));
            let pack = |b: &(Value, Value)| Value::Array(vec![b.0.clone(), b.1.clone()]);
            pairs.push((
                ("autoscaler bounds", pack(ob)),
                ("autoscaler bounds", pack(&nb)),
            ));
        }
        for ((aspect, was), (_, now)) in pairs {
            if was == now {
                continue;
            }
            if set_by_operator(w, aspect) {
                failures.push(format!(
                    "{}: {}/{} {aspect}: the operator set {was}, 6.3.1 renders {now}",
                    case.name, w.new.0, w.new.1
                ));
            } else {
                *tally
                    .default_changes
                    .entry(format!("{}/{} {aspect}", w.new.0, w.new.1))
                    .or_default() += 1;
            }
        }
    }
    // IdP JWT providers: every 6.2 Envoy's, against the gateway's.
    let idp = |configs: Vec<(String, Value)>| -> BTreeSet<(String, String, String)> {
        configs
            .iter()
            .flat_map(|(_, c)| roundtrip::jwt_providers(c))
            .filter(|(issuer, ..)| !issuer.is_empty() && issuer != "osmo")
            .map(|(i, a, u, _)| (i, a, u))
            .collect()
    };
    let old_envoys: Vec<(String, Value)> = roundtrip::envoy_configs(old);
    let old_idp = idp(old_envoys);
    let new_idp = idp(roundtrip::envoy_configs(new));
    tally.idp_providers += new_idp.len();
    if old_idp != new_idp {
        failures.push(format!(
            "{}: IdP providers {old_idp:?} became {new_idp:?}",
            case.name
        ));
    }
    // oauth2-proxy, where a 6.2 Envoy sent requests to it.
    let old_proxies: BTreeSet<(String, String, String)> = o
        .containers
        .iter()
        .filter(|((d, c), _)| {
            c == "oauth2-proxy" && o.containers.contains_key(&(d.clone(), "envoy".to_owned()))
        })
        .map(|(_, (c, _))| roundtrip::oauth2_settings(c))
        .collect();
    let new_proxy = n
        .containers
        .get(&(
            "osmo-gateway-oauth2-proxy".to_owned(),
            "oauth2-proxy".to_owned(),
        ))
        .map(|(c, _)| roundtrip::oauth2_settings(c));
    match (old_proxies.len(), new_proxy) {
        (0, None) => {}
        (1, Some(p)) if old_proxies.contains(&p) => tally.oauth2_proxies += 1,
        (_, p) if m.report.open_decisions() > 0 && old_proxies.len() > 1 => {
            let _ = p;
        }
        (_, p) => failures.push(format!(
            "{}: oauth2-proxy (issuer, client id, cookie domain) {old_proxies:?} became {p:?}",
            case.name
        )),
    }
}

/// The kind of reason or question, for the figures: its words up to the
/// first place name, file position or value.
fn category(why: &str) -> String {
    if let Some(rest) = why.strip_prefix('`')
        && let Some((_, after)) = rest.split_once('`')
    {
        return format!("… {}", category(after));
    }
    let cut = why
        .find([';', ':', '`', '(', '{'])
        .unwrap_or(why.len())
        .min(90);
    let mut end = cut;
    while !why.is_char_boundary(end) {
        end -= 1;
    }
    why[..end].trim().to_owned()
}

fn print(tally: &Tally) {
    eprintln!(
        "migrated {} deployments ({} with a decision open): {} keys, {} moved, {} dropped, {} to decide; \
         {} renders, {} objects; {} workloads compared, {} IdP providers, {} oauth2-proxies",
        tally.cases,
        tally.with_decisions,
        tally.keys.0 + tally.keys.1 + tally.keys.2,
        tally.keys.0,
        tally.keys.1,
        tally.keys.2,
        tally.renders,
        tally.objects,
        tally.compared,
        tally.idp_providers,
        tally.oauth2_proxies
    );
    for (what, n) in &tally.default_changes {
        eprintln!("  allowed (not set by the operator, 6.3.1 default differs): {what} ×{n}");
    }
    for (what, n) in &tally.added {
        eprintln!("  written by the migration ×{n}: {what}");
    }
    for (what, n) in &tally.dropped {
        eprintln!("  dropped ×{n}: {what}");
    }
    for (what, n) in &tally.decided {
        eprintln!("  to decide ×{n}: {what}");
    }
}

#[test]
fn every_generated_bundle_migrates_and_keeps_what_the_operator_set() {
    let Some(shared) = support::shared_or_skip("the migration round trip") else {
        return;
    };
    let Some(python) = roundtrip::python() else {
        return;
    };
    let mut cases: Vec<Case> = examples()
        .iter()
        .enumerate()
        .map(|(i, (name, spec))| bundle_case(name, spec, i as u64))
        .collect();
    for (i, (name, spec)) in
        spec_gen::random_specs(SEED, RANDOM_SPECS, osmo_values::Release::V6_2_10)
            .iter()
            .enumerate()
    {
        cases.push(bundle_case(name, spec, 1000 + i as u64));
    }
    let mut tally = Tally::default();
    let failures = round_trip(&cases, &shared, &python, &mut tally);
    print(&tally);
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(tally.cases, cases.len());
    assert!(
        tally.compared >= cases.len() * 7,
        "every deployment compared"
    );
}

#[test]
fn fixtures_after_upstream_guides_migrate_and_keep_what_the_operator_set() {
    let Some(shared) = support::shared_or_skip("the migration round trip") else {
        return;
    };
    let Some(python) = roundtrip::python() else {
        return;
    };
    let cases = fixture_cases();
    assert!(!cases.is_empty(), "tests/fixtures/migrate has cases");
    let mut tally = Tally::default();
    let failures = round_trip(&cases, &shared, &python, &mut tally);
    print(&tally);
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The checks fail when they should: a migration that forgot the JWKS
/// rewrite, an undefined cluster, and lost resources are caught.
#[test]
fn the_round_trip_checks_can_fail() {
    let Some(shared) = support::shared_or_skip("the migration round trip") else {
        return;
    };
    let Some(python) = roundtrip::python() else {
        return;
    };
    let chart = Chart::new(Release::V6_3_1, ChartName::Service).expect("chart");
    let tmp = tempfile::tempdir().expect("temp dir");
    let bad = "gateway:\n  envoy:\n    jwt:\n      providers:\n        - issuer: osmo\n          audience: osmo\n          jwks_uri: http://localhost:8000/api/auth/keys\n          user_claim: unique_name\n          cluster: service\n";
    let path = tmp.path().join("osmo_values.yaml");
    std::fs::write(&path, bad).expect("written");
    let job = Job {
        id: "bad".into(),
        chart_dir: shared.join("reference/osmo-6.3.1/service"),
        release_name: chart.release_name().into(),
        namespace: chart.namespace().into(),
        values_files: vec![path],
        values: None,
        objects: None,
        coalesced_values: false,
    };
    let results = roundtrip::render(&python, &[job]);
    let problems = roundtrip::gateway_problems(&results[0]);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("undefined cluster service")),
        "{problems:?}"
    );
    let tls = "gateway:\n  tls:\n    enabled: false\n  envoy:\n    jwt:\n      providers:\n        - issuer: osmo\n          audience: osmo\n          jwks_uri: https://osmo-service/api/auth/keys\n          user_claim: unique_name\n          cluster: osmo-service-jwks\n";
    let path = tmp.path().join("tls.yaml");
    std::fs::write(&path, tls).expect("written");
    let job = Job {
        id: "tls".into(),
        chart_dir: shared.join("reference/osmo-6.3.1/service"),
        release_name: "service".into(),
        namespace: "osmo".into(),
        values_files: vec![path],
        values: None,
        objects: None,
        coalesced_values: false,
    };
    let results = roundtrip::render(&python, &[job]);
    let problems = roundtrip::gateway_problems(&results[0]);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("is https, but cluster osmo-service-jwks speaks plain HTTP")),
        "{problems:?}"
    );

    // A migration that lost the operator's resources is a failure.
    let case = Case {
        name: "lost-resources".into(),
        files: vec![(
            "osmo_values.yaml".into(),
            "services:\n  worker:\n    resources:\n      limits:\n        memory: 3Gi\n".into(),
        )],
        backends: None,
    };
    let m = migrate_case(&case);
    let old_dir = tmp.path().join("old");
    let new_dir = tmp.path().join("new");
    let old = jobs_for(
        "x",
        &case.files,
        &old_dir,
        Release::V6_2_10,
        &None,
        &shared.join("reference/osmo-6.2.10"),
    );
    let forgetful: Vec<(String, String)> = vec![("osmo_values.yaml".into(), "{}\n".into())];
    let new = jobs_for(
        "x",
        &forgetful,
        &new_dir,
        Release::V6_3_1,
        &None,
        &shared.join("reference/osmo-6.3.1"),
    );
    let mut all = old.clone();
    all.extend(new);
    let results = roundtrip::render(&python, &all);
    let (o, n): (Vec<&Value>, Vec<&Value>) = (vec![&results[0]], vec![&results[1]]);
    let mut failures = Vec::new();
    compare(&case, &m, &o, &n, &mut Tally::default(), &mut failures);
    assert!(
        failures
            .iter()
            .any(|f| f.contains("osmo-worker/osmo-worker resources")),
        "{failures:?}"
    );
}
