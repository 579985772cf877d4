//! The OSMO 6.3.1 rules as a whole: whole deployments written after the
//! upstream guides and scripts (`tests/fixtures/lint-6.3.1-good/<case>/`)
//! lint without an error or a warning; the chart's own defaults, linted as
//! a user's file, produce exactly the findings their not-deployable
//! defaults deserve; near misses are quiet; and the data the rules read
//! (the chart defaults, the moves from 6.2, the maps the templates
//! dereference) agrees with the charts and with the models' key trees.

mod common;

use std::fmt::Write as _;
use std::path::{Path as FsPath, PathBuf};

use osmo_values::diagnostic::{Diagnostic, Severity};
use osmo_values::lint::suggest::Shape;
use osmo_values::lint::{LintInput, LintOptions, lint};
use osmo_values::path::{Path, Segment};
use osmo_values::{Chart, ChartName, Release};

fn options() -> LintOptions {
    LintOptions {
        release: Some(Release::V6_3_1),
        ..LintOptions::default()
    }
}

fn lint_texts(files: &[(String, String)], options: &LintOptions) -> Vec<Diagnostic> {
    let inputs: Vec<LintInput<'_>> = files
        .iter()
        .map(|(n, t)| LintInput {
            name: n,
            source: t.as_bytes(),
        })
        .collect();
    lint(&inputs, options).unwrap()
}

fn show(names: &[String], found: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in found {
        let at = d.span.map(|s| s.start).unwrap_or_default();
        writeln!(
            out,
            "{}:{}:{} {}[{}] {}",
            names[d.file], at.line, at.column, d.severity, d.code, d.message
        )
        .unwrap();
    }
    out
}

fn read_dir(dir: &FsPath) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect()
}

/// Whole deployments after the upstream samples: no error, no warning; the
/// findings that remain (reminders) are a snapshot.
#[test]
fn good_deployments_lint_clean() {
    let root = common::fixtures_dir().join("lint-6.3.1-good");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "the good deployments are missing");
    for dir in cases {
        let files = read_dir(&dir);
        let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        // Also without --release: the files say which release they are for.
        for options in [options(), LintOptions::default()] {
            let found = lint_texts(&files, &options);
            let bad: Vec<&Diagnostic> = found
                .iter()
                .filter(|d| d.severity != Severity::Info)
                .collect();
            assert!(
                bad.is_empty(),
                "{}:\n{}",
                dir.display(),
                show(&names, &found)
            );
            assert!(
                found.iter().all(|d| d.code == "OV316"),
                "{}: only the default admin's reminder is expected:\n{}",
                dir.display(),
                show(&names, &found)
            );
            let admin = files
                .iter()
                .any(|(_, t)| t.contains("defaultAdmin:\n    enabled: true"));
            assert_eq!(found.len(), usize::from(admin), "{}", dir.display());
        }
    }
}

/// The service chart's defaults are not deployable as they are: oauth2-proxy
/// is on with no identity provider, no secrets and no host name, and no pod
/// gets a database password (and its ConfigMap settings do nothing while
/// ConfigMap mode is off). Linted as a user's file, they produce exactly
/// those findings, at the keys that hold the defaults; the backend
/// operator's defaults produce none.
#[test]
fn chart_defaults_produce_exactly_their_own_breakers() {
    let Some(reference) = common::reference_release("osmo-6.3.1") else {
        return;
    };
    let text = std::fs::read_to_string(reference.join("service/values.yaml")).unwrap();
    let files = vec![("osmo_values.yaml".to_owned(), text.clone())];
    let found = lint_texts(&files, &options());
    let got: Vec<(&str, String)> = found
        .iter()
        .map(|d| {
            (
                d.code,
                d.path.as_ref().map(|p| p.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    let mut want = vec![
        ("OV315", "global.hostname".to_owned()),
        ("OV317", "services.configFile.enabled".to_owned()),
        ("OV303", "gateway.oauth2Proxy".to_owned()),
        (
            "OV303",
            "gateway.oauth2Proxy.useKubernetesSecrets".to_owned(),
        ),
        // The chart's ConfigMap settings while ConfigMap mode is off: a
        // warning, as they do nothing.
        ("OV616", "services.configs.workflow".to_owned()),
    ];
    let mut sorted = got.clone();
    sorted.sort();
    want.sort();
    assert_eq!(sorted, want, "\n{}", show(&["values.yaml".into()], &found));
    // Each at the key that holds the default in question.
    let line = |needle: &str| {
        text.lines()
            .position(|l| l.trim_start().starts_with(needle))
            .unwrap()
            + 1
    };
    for d in &found {
        let at = d.span.unwrap().start.line;
        let key = match d.path.as_ref().unwrap().to_string().as_str() {
            "global.hostname" => "hostname:",
            "services.configFile.enabled" => "configFile:",
            "gateway.oauth2Proxy" => "oidcIssuerUrl:",
            "services.configs.workflow" => "configs:",
            _ => "useKubernetesSecrets:",
        };
        assert!(at >= line(key), "{} at line {at}, before `{key}`", d.code);
    }
    let bo = std::fs::read_to_string(reference.join("backend-operator/values.yaml")).unwrap();
    let found = lint_texts(
        &[("backend_operator_values.yaml".to_owned(), bo)],
        &options(),
    );
    // Only the keys of the test runner's pod template that no template reads
    // (OV311, a warning): nothing breaks.
    let no_effect: Vec<String> = found
        .iter()
        .filter(|d| d.code == "OV311")
        .map(|d| d.path.as_ref().unwrap().to_string())
        .collect();
    assert!(
        !no_effect.is_empty()
            && no_effect
                .iter()
                .all(|p| p.starts_with("backendTestRunner.podTemplate.")),
        "{no_effect:?}"
    );
    assert!(
        found.iter().all(|d| d.code == "OV311"),
        "{}",
        show(&["values.yaml".into()], &found)
    );
}

/// Values that look close to a finding but are right.
#[test]
fn quiet_cases() {
    let base =
        "global:\n  hostname: osmo.example.com\nservices:\n  configFile:\n    enabled: true\n";
    let cases: &[&str] = &[
        // oauth2-proxy off: its empty settings do not matter.
        "gateway:\n  oauth2Proxy:\n    enabled: false\n    useKubernetesSecrets: false\n",
        // Secrets through an injector's annotations.
        "gateway:\n  envoy:\n    idp:\n      host: sso.example.com\n    jwt:\n      providers:\n\
         \x20     - issuer: https://sso.example.com/realms/osmo\n        audience: osmo-browser\n\
         \x20       jwks_uri: https://sso.example.com/realms/osmo/protocol/openid-connect/certs\n\
         \x20       user_claim: preferred_username\n        cluster: idp\n\
         \x20 oauth2Proxy:\n    oidcIssuerUrl: https://sso.example.com/realms/osmo\n    clientId: osmo-browser\n\
         \x20   extraPodAnnotations:\n      vault.hashicorp.com/agent-inject: \"true\"\n",
        // Upstream TLS off and OSMO's keys over http: in step.
        "gateway:\n  tls:\n    enabled: false\n  oauth2Proxy:\n    enabled: false\n  envoy:\n    jwt:\n      providers:\n\
         \x20     - issuer: osmo\n        audience: osmo\n        jwks_uri: http://osmo-service/api/auth/keys\n\
         \x20       user_claim: unique_name\n        cluster: osmo-service-jwks\n",
        // A renamed internal JWKS cluster, used by its new name; an extra cluster.
        "gateway:\n  oauth2Proxy:\n    enabled: false\n  envoy:\n    internalJwks:\n      cluster: osmo-keys\n\
         \x20   extraClusters:\n      - name: google-keys\n    jwt:\n      providers:\n\
         \x20     - issuer: osmo\n        audience: osmo\n        jwks_uri: https://osmo-service/api/auth/keys\n\
         \x20       user_claim: unique_name\n        cluster: osmo-keys\n\
         \x20     - issuer: https://accounts.google.com\n        audience: x.apps.googleusercontent.com\n\
         \x20       jwks_uri: https://www.googleapis.com/oauth2/v3/certs\n        user_claim: email\n        cluster: google-keys\n",
        // TLS at the gateway and a UI that speaks HTTPS to it.
        "gateway:\n  oauth2Proxy:\n    enabled: false\n  envoy:\n    ssl:\n      enabled: true\nservices:\n  ui:\n    nextjsSslEnabled: true\n",
        // The UI on an external host name, or off.
        "gateway:\n  oauth2Proxy:\n    enabled: false\nservices:\n  ui:\n    apiHostname: api.osmo.example.com:443\n",
        "gateway:\n  oauth2Proxy:\n    enabled: false\nservices:\n  ui:\n    enabled: false\n    apiHostname: osmo-service:80\n",
        // A plain-text database password instead of configFile.
        "services:\n  configFile:\n    enabled: false\n  postgres:\n    password: local-only\ngateway:\n  oauth2Proxy:\n    enabled: false\n",
        // A null that deletes a map the templates only read while a switch is on.
        "gateway:\n  oauth2Proxy:\n    enabled: false\n    redis: null\n  rateLimit:\n    config: null\n",
        // `{}` keeps the defaults; extraSkipAuthPaths extends them.
        "global:\n  logs: {}\ngateway:\n  oauth2Proxy:\n    enabled: false\n  envoy:\n    idp: {}\n    extraSkipAuthPaths: [/api/health]\n",
        // Routes to clusters the gateway defines.
        "gateway:\n  oauth2Proxy:\n    enabled: false\n  envoy:\n    extraRoutes:\n      - match: {prefix: /api/special}\n        route: {cluster: osmo-service}\n",
        // Keys that exist in both releases at the same place.
        "services:\n  ui:\n    apiHostname: osmo-gateway:80\n  service:\n    hostname: osmo.example.com\ngateway:\n  oauth2Proxy:\n    enabled: false\n",
    ];
    for case in cases {
        let text = merge_base(base, case);
        let files = vec![("osmo_values.yaml".to_owned(), text.clone())];
        let found = lint_texts(&files, &options());
        assert!(
            found.is_empty(),
            "{text}\n{}",
            show(&["osmo_values.yaml".into()], &found)
        );
    }
    // The operator, alone and with the service: through the gateway or the
    // public URL.
    for url in [
        "https://osmo.example.com",
        "http://osmo-gateway.osmo.svc.cluster.local",
    ] {
        let op = format!("global:\n  serviceUrl: {url}\n  backendName: default\n");
        let service = merge_base(base, "gateway:\n  oauth2Proxy:\n    enabled: false\n");
        for files in [
            vec![("backend_operator_values.yaml".to_owned(), op.clone())],
            vec![
                ("osmo_values.yaml".to_owned(), service.clone()),
                ("backend_operator_values.yaml".to_owned(), op.clone()),
            ],
        ] {
            let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
            let found = lint_texts(&files, &options());
            assert!(found.is_empty(), "{op}\n{}", show(&names, &found));
        }
    }
}

/// `base` followed by `case`, the `services` and `global` blocks of `case`
/// written after `base`'s (a later key of the same name would replace the
/// whole block).
fn merge_base(base: &str, case: &str) -> String {
    let base_doc = osmo_values::yaml::parse(base).unwrap().root.to_json();
    let case_doc = osmo_values::yaml::parse(case).unwrap().root.to_json();
    let mut merged = base_doc;
    osmo_values::lint::merge::overlay(&mut merged, &case_doc);
    serde_json::to_string_pretty(&merged).unwrap()
}

fn shape(release: Release, chart: ChartName) -> Shape {
    Shape::of_chart(Chart::new(release, chart).unwrap())
}

/// Whether the key tree knows `path` (a free-form map knows every key).
fn knows(shape: &Shape, path: &Path) -> bool {
    let mut s = shape;
    for seg in &path.0 {
        let Segment::Key(k) = seg else { return false };
        s = match s.props.get(k) {
            Some(p) => p,
            None if s.open => return true,
            None => match s.additional.as_deref() {
                Some(a) => a,
                None => return false,
            },
        };
    }
    true
}

/// Every map the templates dereference is a key of the 6.3.1 models, and
/// so is every switch it depends on.
#[test]
fn required_maps_name_keys_of_the_models() {
    for chart in Release::V6_3_1.charts() {
        let s = shape(Release::V6_3_1, *chart);
        for m in Release::V6_3_1.facts(*chart).unwrap().required_maps {
            assert!(knows(&s, &Path::keys(m.path)), "{chart}: {}", m.path);
            for (switch, _) in m.when {
                assert!(knows(&s, &Path::keys(switch)), "{chart}: {switch}");
            }
        }
    }
}

/// The defaults the 6.3.1 rules read are the charts' own.
#[test]
fn rule_defaults_are_the_charts() {
    let Some(reference) = common::reference_release("osmo-6.3.1") else {
        return;
    };
    for chart in Release::V6_3_1.charts() {
        let text =
            std::fs::read_to_string(reference.join(chart.as_str()).join("values.yaml")).unwrap();
        let real = common::yaml_to_json(&text);
        let ours = Release::V6_3_1.rule_defaults(*chart);
        for (pointer, value) in common::leaves(&ours) {
            // Prose (roles' descriptions, the resource checks' messages) is
            // in our own words; the rules never read it.
            if pointer.ends_with("/assert_message") || pointer.ends_with("/description") {
                continue;
            }
            assert_eq!(
                real.pointer(&pointer),
                Some(&value),
                "{chart}: the rules' default at {pointer} is not the chart's"
            );
        }
    }
}
