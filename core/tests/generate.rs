//! The generated bundle: snapshots of every example, file set, secrets,
//! install script, and agreement with the charts' models.

mod common;

use std::collections::BTreeSet;

use osmo_values::generate::{
    FILL_ME, Options, ROUTER_SKIP_AUTH_PATHS, SERVICE_SKIP_AUTH_PATHS, SecretSource, UserSecrets,
    generate_with,
};
use osmo_values::spec::{
    Authentication, Backend, DeploymentSpec, Exposure, Google, StaticKeys, Storage,
    StorageCredentials,
};
use osmo_values::{Bundle, Chart, ChartName, Release, generate, generate_with_secrets};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::Value;

fn rng() -> StdRng {
    StdRng::seed_from_u64(20260301)
}

fn bundle(spec: &DeploymentSpec) -> Bundle {
    generate(spec, &mut rng()).expect("example generates")
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("generated YAML parses")
}

fn yaml_docs(text: &str) -> Vec<Value> {
    use serde::Deserialize;
    serde_yaml::Deserializer::from_str(text)
        .map(|d| Value::deserialize(d).expect("document parses"))
        .filter(|v| !v.is_null())
        .collect()
}

fn chart_of(release: Release, file: &str) -> Option<Chart> {
    let name = match file {
        "osmo_values.yaml" => ChartName::Service,
        "router_values.yaml" => ChartName::Router,
        "ui_values.yaml" => ChartName::WebUi,
        f if f.starts_with("backend_operator_values") => ChartName::BackendOperator,
        _ => return None,
    };
    Chart::new(release, name)
}

/// A 6.3.1 spec: the minimal one, with storage by access keys.
fn minimal_631() -> DeploymentSpec {
    let mut spec = DeploymentSpec::minimal("osmo.example.com", "db", "redis");
    spec.storage = Some(Storage {
        log_uri: "s3://osmo/logs".into(),
        data_uri: "s3://osmo/data".into(),
        region: Some("us-east-1".into()),
        override_url: None,
        credentials: StorageCredentials::Static(StaticKeys::default()),
    });
    spec
}

/// The minimal spec of each release.
fn minimal_specs() -> [DeploymentSpec; 2] {
    let mut old = DeploymentSpec::minimal("osmo.example.com", "db", "redis");
    old.release = Release::V6_2_10;
    [old, minimal_631()]
}

#[test]
fn bundle_snapshots() {
    for (name, spec) in common::examples() {
        let b = bundle(&spec);
        let mut text = String::new();
        for f in &b.files {
            text.push_str(&format!(
                "===== {} (sensitive: {}, executable: {})\n{}",
                f.name, f.sensitive, f.executable, f.contents
            ));
        }
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn file_names_follow_the_guides() {
    for (name, spec) in common::examples() {
        let b = bundle(&spec);
        let names: Vec<&str> = b.files.iter().map(|f| f.name.as_str()).collect();
        let mut expected = if spec.release.has_gateway() {
            vec!["osmo_values.yaml"]
        } else {
            vec!["osmo_values.yaml", "router_values.yaml", "ui_values.yaml"]
        };
        let backend_files: Vec<String> = if spec.backends.len() == 1 {
            vec!["backend_operator_values.yaml".into()]
        } else {
            spec.backends
                .iter()
                .map(|b| format!("backend_operator_values.{}.yaml", b.name))
                .collect()
        };
        expected.extend(backend_files.iter().map(String::as_str));
        expected.extend([
            "mek-configmap.yaml",
            "secrets.yaml",
            "install.sh",
            "NEXT_STEPS.md",
            "spec.yaml",
        ]);
        assert_eq!(names, expected, "{name}");
        for f in &b.files {
            let sensitive = matches!(f.name.as_str(), "mek-configmap.yaml" | "secrets.yaml");
            assert_eq!(f.sensitive, sensitive, "{name}: {}", f.name);
            assert_eq!(f.executable, f.name == "install.sh", "{name}: {}", f.name);
        }
    }
}

#[test]
fn values_files_carry_their_schema_and_parse() {
    for (name, spec) in common::examples() {
        for f in bundle(&spec).files {
            let Some(chart) = chart_of(spec.release, &f.name) else {
                continue;
            };
            let first = f.contents.lines().next().unwrap_or_default();
            assert_eq!(
                first,
                format!(
                    "# yaml-language-server: $schema={}{}",
                    osmo_values::chart::SCHEMA_BASE_URL,
                    chart.schema_file()
                ),
                "{name}/{}",
                f.name
            );
            let value = yaml(&f.contents);
            assert!(value.is_object(), "{name}/{}", f.name);
        }
    }
}

/// Fails until the chart models land on main: that is expected.
#[test]
fn values_files_validate_against_the_chart_models() {
    let mut failures = Vec::new();
    for (name, spec) in common::examples() {
        for f in bundle(&spec).files {
            let Some(chart) = chart_of(spec.release, &f.name) else {
                continue;
            };
            let value = yaml(&f.contents);
            let schema = chart.schema();
            let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
            for e in validator.iter_errors(&value) {
                failures.push(format!(
                    "{name}/{}: schema: {} at {}",
                    f.name,
                    e,
                    e.instance_path()
                ));
            }
            if let Err(e) = chart.parse(&f.contents) {
                failures.push(format!("{name}/{}: model: {e}", f.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn envoy_idp_host_is_the_jwks_host_and_providers_use_known_clusters() {
    for (name, spec) in common::examples_of(Release::V6_2_10) {
        for f in bundle(&spec).files {
            let Some(chart) = chart_of(spec.release, &f.name) else {
                continue;
            };
            if chart.name == ChartName::BackendOperator {
                continue;
            }
            let v = yaml(&f.contents);
            let envoy = &v["sidecars"]["envoy"];
            let providers = envoy["jwt"]["providers"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let allowed: &[&str] = match chart.name {
                ChartName::Service => &["idp", "service"],
                ChartName::Router => &["idp", "osmoauth"],
                _ => &["idp"],
            };
            for p in &providers {
                let cluster = p["cluster"].as_str().unwrap();
                assert!(
                    allowed.contains(&cluster),
                    "{name}/{}: cluster {cluster}",
                    f.name
                );
                if cluster == "idp" {
                    let jwks = p["jwks_uri"].as_str().unwrap();
                    let host = jwks
                        .trim_start_matches("https://")
                        .split('/')
                        .next()
                        .unwrap();
                    assert_eq!(envoy["idp"]["host"], host, "{name}/{}", f.name);
                    assert_eq!(
                        v["sidecars"]["oauth2Proxy"]["oidcIssuerUrl"], p["issuer"],
                        "{name}/{}",
                        f.name
                    );
                    assert_eq!(
                        v["sidecars"]["oauth2Proxy"]["clientId"], p["audience"],
                        "{name}/{}",
                        f.name
                    );
                    assert_eq!(
                        v["sidecars"]["oauth2Proxy"]["cookieDomain"],
                        format!(".{}", spec.domain)
                    );
                }
                if cluster == "osmoauth" {
                    assert_eq!(p["jwks_uri"], "http://osmo-service/api/auth/keys");
                    assert_eq!(envoy["osmoauth"]["enabled"], true);
                    assert_eq!(envoy["osmoauth"]["address"], "osmo-service");
                }
                if cluster == "service" {
                    assert_eq!(p["jwks_uri"], "http://localhost:8000/api/auth/keys");
                }
            }
            let has_idp = !matches!(spec.authentication, Authentication::None);
            assert_eq!(
                providers.iter().any(|p| p["cluster"] == "idp"),
                has_idp,
                "{name}/{}",
                f.name
            );
            assert_eq!(v["sidecars"]["oauth2Proxy"]["enabled"], has_idp);
            let text = f.contents.as_str();
            for refused in [
                "oauth2Filter",
                "useKubernetesSecrets: true\n    secretPaths",
                "hmacSecret",
            ] {
                assert!(!text.contains(refused), "{name}/{}: {refused}", f.name);
            }
            assert!(envoy.get("useKubernetesSecrets").is_none());
        }
    }
}

#[test]
fn ingress_annotations_follow_the_class() {
    for (name, spec) in common::examples() {
        let b = bundle(&spec);
        let v = yaml(&b.get("osmo_values.yaml").unwrap().contents);
        let ingress = if spec.release.has_gateway() {
            let envoy = &v["gateway"]["envoy"];
            if spec.gateway.exposure == Exposure::LoadBalancer {
                assert_eq!(envoy["service"]["type"], "LoadBalancer", "{name}");
                assert_eq!(envoy["ingress"]["enabled"], false, "{name}");
                continue;
            }
            // The Ingress leads to the gateway's ClusterIP Service.
            assert_eq!(envoy["service"]["type"], "ClusterIP", "{name}");
            &envoy["ingress"]
        } else {
            &v["services"]["service"]["ingress"]
        };
        assert_eq!(ingress["enabled"], true, "{name}");
        let ann = ingress["annotations"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let nginx = spec.ingress.class_name == "nginx";
        let has_idp = !matches!(spec.authentication, Authentication::None);
        assert_eq!(
            ann.contains_key("nginx.ingress.kubernetes.io/proxy-buffer-size"),
            nginx && has_idp,
            "{name}"
        );
        assert_eq!(
            ann.keys().any(|k| k.starts_with("alb.")),
            spec.is_alb(),
            "{name}"
        );
        assert_eq!(
            ingress["albAnnotations"]["enabled"],
            spec.is_alb(),
            "{name}"
        );
        assert_eq!(ingress["ingressClass"], spec.ingress.class_name.as_str());
    }
}

#[test]
fn skip_auth_lists_repeat_the_chart_defaults() {
    let Some(shared) = common::shared_or_skip("the checks against the upstream reference files")
    else {
        return;
    };
    for (chart, ours) in [
        ("service", SERVICE_SKIP_AUTH_PATHS),
        ("router", ROUTER_SKIP_AUTH_PATHS),
    ] {
        let text = std::fs::read_to_string(
            shared.join(format!("reference/osmo-6.2.10/{chart}/values.yaml")),
        )
        .unwrap();
        let defaults = yaml(&text);
        let list: Vec<&str> = defaults["sidecars"]["envoy"]["skipAuthPaths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(list, ours, "{chart}");
    }
    let spec = &common::examples_of(Release::V6_2_10)[0].1;
    let b = bundle(spec);
    let service = yaml(&b.get("osmo_values.yaml").unwrap().contents);
    assert_eq!(
        service["sidecars"]["envoy"]["skipAuthPaths"],
        serde_json::json!(SERVICE_SKIP_AUTH_PATHS)
    );
    let router = yaml(&b.get("router_values.yaml").unwrap().contents);
    assert_eq!(
        router["sidecars"]["envoy"]["skipAuthPaths"],
        serde_json::json!(ROUTER_SKIP_AUTH_PATHS)
    );
}

#[test]
fn secrets_hold_markers_until_supplied() {
    let spec = common::examples()
        .into_iter()
        .find(|(n, _)| n == "entra-nginx")
        .unwrap()
        .1;
    let b = bundle(&spec);
    let text = &b.get("secrets.yaml").unwrap().contents;
    assert_eq!(
        text.matches(FILL_ME).count(),
        4,
        "3 markers + the header mention"
    );
    let docs = yaml_docs(text);
    let kinds: Vec<(String, String)> = docs
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap().to_owned(),
                d["metadata"]["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("Namespace", "osmo"),
        ("Namespace", "osmo-operator"),
        ("Namespace", "osmo-workflows"),
        ("Secret", "db-secret"),
        ("Secret", "redis-secret"),
        ("Secret", "oauth2-proxy-secrets"),
    ] {
        assert!(
            kinds.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {kinds:?}"
        );
    }
    let oauth = docs
        .iter()
        .find(|d| d["metadata"]["name"] == "oauth2-proxy-secrets")
        .unwrap();
    let cookie = oauth["stringData"]["cookie_secret"].as_str().unwrap();
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::URL_SAFE
        .decode(cookie)
        .unwrap();
    assert_eq!(raw.len(), 32, "oauth2-proxy needs a 32-byte cookie secret");

    let secrets = UserSecrets {
        idp_client_secret: Some("s3cr\"et: #x".into()),
        db_password: Some("yes".into()),
        redis_password: Some(String::new()),
        ..UserSecrets::default()
    };
    let b = generate_with_secrets(&spec, &secrets, &mut rng()).unwrap();
    let text = &b.get("secrets.yaml").unwrap().contents;
    assert!(!text.contains(&format!("{FILL_ME}:")));
    let docs = yaml_docs(text);
    let get = |name: &str, key: &str| {
        docs.iter().find(|d| d["metadata"]["name"] == name).unwrap()["stringData"][key].clone()
    };
    assert_eq!(get("oauth2-proxy-secrets", "client_secret"), "s3cr\"et: #x");
    assert_eq!(get("db-secret", "db-password"), "yes");
    assert_eq!(get("redis-secret", "redis-password"), "");
    // The spec file never holds a secret.
    assert!(!b.get("spec.yaml").unwrap().contents.contains("s3cr"));
}

#[test]
fn default_admin_gets_a_generated_password() {
    for spec in minimal_specs() {
        default_admin_password(&spec);
    }
}

fn default_admin_password(spec: &DeploymentSpec) {
    let b = bundle(spec);
    let docs = yaml_docs(&b.get("secrets.yaml").unwrap().contents);
    let admin = docs
        .iter()
        .find(|d| d["metadata"]["name"] == "default-admin-secret")
        .expect("default-admin-secret");
    let pw = admin["stringData"]["password"].as_str().unwrap();
    // The API service refuses to start unless the password has 43 characters.
    assert_eq!(pw.len(), osmo_values::generate::ADMIN_PASSWORD_LEN);
    assert_eq!(pw.len(), 43);
    assert!(pw.chars().all(|c| c.is_ascii_alphanumeric()));
    assert!(
        !docs
            .iter()
            .any(|d| d["metadata"]["name"] == "oauth2-proxy-secrets")
    );
    let service = yaml(&b.get("osmo_values.yaml").unwrap().contents);
    assert_eq!(service["services"]["defaultAdmin"]["enabled"], true);
    assert_eq!(service["services"]["service"]["auth"]["enabled"], false);
}

/// Issue 9, defect 1: without an identity provider the bundle turned Envoy on and
/// oauth2-proxy off, and the 6.2.10 service chart's Envoy then routes `/oauth2/` to a
/// cluster it does not define. No-IdP bundles now run no Envoy (nor the services only
/// Envoy calls), as the charts' own setups without an IdP do; tests/render_bundles.rs
/// renders them with the real charts.
#[test]
fn without_an_identity_provider_no_chart_runs_envoy() {
    let [spec, _] = minimal_specs();
    let b = bundle(&spec);
    for file in ["osmo_values.yaml", "router_values.yaml", "ui_values.yaml"] {
        let v = yaml(&b.get(file).unwrap().contents);
        let sidecars = &v["sidecars"];
        assert_eq!(sidecars["envoy"]["enabled"], false, "{file}");
        assert_eq!(sidecars["oauth2Proxy"]["enabled"], false, "{file}");
        if file != "ui_values.yaml" {
            assert_eq!(sidecars["authz"]["enabled"], false, "{file}");
        }
    }
    let next = &b.get("NEXT_STEPS.md").unwrap().contents;
    assert!(next.contains("osmo login 'https://osmo.example.com' --method dev --username admin"));
}

#[test]
fn install_script_is_strict_pinned_and_keeps_the_mek() {
    for (name, spec) in common::examples() {
        let b = bundle(&spec);
        let sh = &b.get("install.sh").unwrap().contents;
        assert!(sh.starts_with("#!/usr/bin/env bash\n"), "{name}");
        assert!(sh.contains("\nset -euo pipefail\n"), "{name}");
        assert!(sh.contains(&format!(
            "chart_version='{}'\n",
            spec.release.chart_version()
        )));
        let helm_lines: Vec<&str> = sh
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with("helm upgrade"))
            .collect();
        // One release of the service chart (router, UI and gateway inside) at 6.3.1.
        let control_plane = spec.release.charts().len() - 1;
        assert_eq!(
            helm_lines.len(),
            control_plane + spec.backends.len(),
            "{name}"
        );
        assert!(
            helm_lines
                .iter()
                .all(|l| l.contains("--version \"$chart_version\""))
        );
        let charts: &[&str] = if spec.release.has_gateway() {
            &["osmo/service", "osmo/backend-operator"]
        } else {
            &[
                "osmo/service",
                "osmo/router",
                "osmo/web-ui",
                "osmo/backend-operator",
            ]
        };
        let order: Vec<usize> = charts
            .iter()
            .map(|c| sh.find(c).unwrap_or_else(|| panic!("{name}: {c}")))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{name}: guide order");
        assert!(sh.contains("kubectl get configmap mek-config -n osmo"));
        assert!(!sh.contains("kubectl apply -f mek-configmap.yaml"));
        assert!(sh.contains(&format!("grep -v '^#' secrets.yaml | grep -q '{FILL_ME}'")));
    }
}

#[test]
fn secrets_from_the_environment_write_no_secret_file() {
    let spec = common::examples()
        .into_iter()
        .find(|(n, _)| n == "google-nginx")
        .unwrap()
        .1;
    let options = Options {
        secrets: SecretSource::Environment,
    };
    let b = generate_with(&spec, &options, &mut rng()).unwrap();
    assert!(b.get("secrets.yaml").is_none());
    let sh = &b.get("install.sh").unwrap().contents;
    for var in [
        "OSMO_DB_PASSWORD",
        "OSMO_REDIS_PASSWORD",
        "OSMO_IDP_CLIENT_SECRET",
    ] {
        assert!(
            sh.contains(&format!("${{{var}:")) || sh.contains(&format!("${{{var}?")),
            "{var}"
        );
    }
    assert!(sh.contains("kubectl create secret generic 'oauth2-proxy-secrets'"));
    assert!(!sh.contains("secrets.yaml"));
}

#[test]
fn generation_is_deterministic_per_seed() {
    let spec = &common::examples()[0].1;
    assert_eq!(bundle(spec), bundle(spec));
    let other = generate(spec, &mut StdRng::seed_from_u64(1)).unwrap();
    assert_ne!(
        bundle(spec).get("mek-configmap.yaml"),
        other.get("mek-configmap.yaml")
    );
}

#[test]
fn spec_yaml_reads_back_to_the_same_spec() {
    for (name, spec) in common::examples() {
        let b = bundle(&spec);
        let again = common::parse_spec(&b.get("spec.yaml").unwrap().contents).unwrap();
        assert_eq!(again, spec, "{name}");
    }
}

#[test]
fn invalid_specs_are_refused_with_every_problem() {
    let mut spec = DeploymentSpec::minimal("Osmo.Example.com", "", "redis");
    spec.authentication = Authentication::Google(Google {
        client_id: "1234".into(),
    });
    spec.backends = vec![Backend::named("a"), Backend::named("a")];
    let err = generate(&spec, &mut rng()).unwrap_err();
    let osmo_values::GenerateError::InvalidSpec(problems) = err else {
        panic!("expected InvalidSpec");
    };
    let paths: BTreeSet<String> = problems.iter().map(|p| p.path.to_string()).collect();
    let expected: BTreeSet<String> = [
        "domain",
        "authentication.clientId",
        "storage",
        "postgres.host",
        "backends[1].name",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(paths, expected);
}

#[test]
fn install_scripts_are_valid_bash() {
    if std::process::Command::new("bash")
        .arg("-c")
        .arg("true")
        .status()
        .is_err()
    {
        eprintln!("notice: bash is absent; skipping the syntax check");
        return;
    }
    let dir = std::env::temp_dir().join(format!("osmo-values-bash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, spec) in common::examples() {
        for options in [
            Options::default(),
            Options {
                secrets: SecretSource::Environment,
            },
        ] {
            let b = generate_with(&spec, &options, &mut rng()).unwrap();
            let path = dir.join(format!("{name}.sh"));
            std::fs::write(&path, &b.get("install.sh").unwrap().contents).unwrap();
            let out = std::process::Command::new("bash")
                .arg("-n")
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Lints every values file of a bundle as one deployment, the way
/// `osmo-values lint` lints a bundle folder (its spec names the backends, its
/// `secrets.yaml` the Secrets it creates).
fn lint_bundle(spec: &DeploymentSpec, b: &Bundle) -> Vec<osmo_values::diagnostic::Diagnostic> {
    lint_bundle_knowing(spec, b, true)
}

/// [`lint_bundle`], telling the linter the bundle's Secrets or not.
fn lint_bundle_knowing(
    spec: &DeploymentSpec,
    b: &Bundle,
    secrets: bool,
) -> Vec<osmo_values::diagnostic::Diagnostic> {
    use osmo_values::{LintInput, LintOptions, lint};
    let inputs: Vec<LintInput> = b
        .files
        .iter()
        .filter(|f| chart_of(spec.release, &f.name).is_some())
        .map(|f| LintInput {
            name: &f.name,
            source: f.contents.as_bytes(),
        })
        .collect();
    let secrets = b.get("secrets.yaml").filter(|_| secrets).map(|f| {
        let parsed = osmo_values::generate::secrets::parse_secrets(&f.contents).unwrap();
        let mut names: Vec<String> = parsed.iter().map(|(s, _, _)| s.to_owned()).collect();
        names.dedup();
        names
    });
    let options = LintOptions {
        backends: Some(spec.backends.iter().map(|b| b.name.clone()).collect()),
        secrets,
        ..LintOptions::default()
    };
    lint(&inputs, &options).unwrap()
}

#[test]
fn the_linter_finds_nothing_in_generated_values() {
    let mut findings = Vec::new();
    for (name, spec) in common::examples() {
        let b = bundle(&spec);
        findings.extend(
            lint_bundle(&spec, &b)
                .into_iter()
                .map(|d| format!("{name}: {d:?}")),
        );
        // Without the bundle's secrets.yaml the linter cannot know the default admin's
        // Secret is created: exactly one reminder (info, OV316) then, for a 6.3.1 bundle
        // with the default admin.
        let blind: Vec<_> = lint_bundle_knowing(&spec, &b, false)
            .into_iter()
            .map(|d| (d.code, d.severity))
            .collect();
        let admin = spec.release.has_gateway() && spec.authentication == Authentication::None;
        let expected = if admin {
            vec![("OV316", osmo_values::diagnostic::Severity::Info)]
        } else {
            vec![]
        };
        assert_eq!(blind, expected, "{name}");
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

#[test]
fn backend_operators_are_placed_as_the_spec_says() {
    let mut tainted = 0;
    for (name, spec) in common::examples() {
        let b = bundle(&spec);
        for backend in &spec.backends {
            let file = if spec.backends.len() == 1 {
                "backend_operator_values.yaml".to_owned()
            } else {
                format!("backend_operator_values.{}.yaml", backend.name)
            };
            let v = yaml(&b.get(&file).unwrap().contents);
            let placement = backend.placement(spec.release);
            for service in ["backendListener", "backendWorker"] {
                let selector = &v["services"][service]["nodeSelector"];
                match &placement.operator_nodes {
                    Some(l) => assert_eq!(
                        selector,
                        &serde_json::json!({ l.key.clone(): l.value.clone() }),
                        "{name}/{file}"
                    ),
                    None => assert!(selector.is_null(), "{name}/{file}"),
                }
            }
            let tolerations = &v["global"]["tolerations"];
            match &placement.operator_taint {
                Some(t) => {
                    tainted += 1;
                    let list = tolerations.as_array().expect("tolerations with a taint");
                    // The chart's own first (the list replaces it), then the taint's.
                    assert_eq!(list[0]["key"], "ops", "{name}");
                    assert_eq!(list[1]["key"], t.key.as_str(), "{name}");
                    assert_eq!(list.len(), 2);
                }
                None => assert!(tolerations.is_null(), "{name}: the chart's default stays"),
            }
        }
        let next = &b.get("NEXT_STEPS.md").unwrap().contents;
        for backend in &spec.backends {
            assert!(
                next.contains(&format!(
                    "osmo-values preflight --spec spec.yaml --backend '{}'",
                    backend.name
                )),
                "{name}"
            );
        }
        let sh = &b.get("install.sh").unwrap().contents;
        assert_eq!(
            sh.matches("\n  preflight '").count(),
            spec.backends.len(),
            "{name}: a preflight before each operator"
        );
    }
    assert!(tainted > 0, "an example sets operatorTaint");
}

#[test]
fn next_steps_suggest_the_guides_node_pools_for_the_kind() {
    let spec = common::examples()
        .into_iter()
        .find(|(n, _)| n == "aws-alb")
        .unwrap()
        .1;
    let next = bundle(&spec).get("NEXT_STEPS.md").unwrap().contents.clone();
    for expected in [
        "### Backend `eks-gpu` (Amazon EKS)",
        "Kubernetes v1.30.0 or later; containerd 1.7.27 or later",
        "such as `gp3`",
        "general purpose, such as `m5.xlarge`; at least 4 CPU, 8 GB memory and 50 GB disk per node, 1 to 3 nodes",
        "tainted `dedicated=osmo-operator:NoSchedule`",
        "labelled `node-type=compute`: general purpose, such as `m5.2xlarge`",
        "labelled `node-type=gpu`: GPU instances such as `p3.2xlarge`",
        "NVIDIA driver 535.216.03+ and CUDA 12.6+",
        "123456789012.dkr.ecr.us-west-2.amazonaws.com",
    ] {
        assert!(next.contains(expected), "{expected}\n{next}");
    }
}

/// Each backend operator is its own Helm install: a wrong service URL on the
/// first of two backends is found (merged as overlays, the second hid it).
#[test]
fn a_wrong_service_url_on_any_backend_is_found() {
    let [spec, _] = minimal_specs();
    a_wrong_service_url_is_found(spec);
}

fn a_wrong_service_url_is_found(mut spec: DeploymentSpec) {
    spec.backends = vec![Backend::named("gpu"), Backend::named("cpu")];
    // The spec refuses a service URL on another host...
    let mut wrong = spec.clone();
    wrong.backends[0].service_url = Some("https://osmo.elsewhere.example.com".into());
    assert!(
        wrong
            .validate()
            .iter()
            .any(|p| p.path.to_string() == "backends[0].serviceUrl"),
        "{:?}",
        wrong.validate()
    );
    // ...so a hand edit of the first backend's file puts it there.
    let mut b = bundle(&spec);
    let file = b
        .files
        .iter_mut()
        .find(|f| f.name == "backend_operator_values.gpu.yaml")
        .unwrap();
    assert!(file.contents.contains("https://osmo.example.com"));
    file.contents = file.contents.replace(
        "https://osmo.example.com",
        "https://osmo.elsewhere.example.com",
    );
    let inputs: Vec<String> = b
        .files
        .iter()
        .filter(|f| chart_of(spec.release, &f.name).is_some())
        .map(|f| f.name.clone())
        .collect();
    let found = lint_bundle(&spec, &b);
    let wrong: Vec<&str> = found
        .iter()
        .filter(|d| d.code == "OV505")
        .map(|d| inputs[d.file].as_str())
        .collect();
    assert_eq!(wrong, ["backend_operator_values.gpu.yaml"], "{found:#?}");
}

fn str_at<'v>(v: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(v, |v, k| &v[k])
}

/// Everything the 6.3.1 install guide's sample leaves out, and what the gateway needs to
/// work, is in each 6.3.1 example's `osmo_values.yaml`.
#[test]
fn the_631_values_carry_what_the_guide_leaves_out() {
    use osmo_values::idp::Idp;
    for (name, spec) in common::examples_of(Release::V6_3_1) {
        let b = bundle(&spec);
        let v = yaml(&b.get("osmo_values.yaml").unwrap().contents);
        let at = |path: &str| str_at(&v, path).clone();
        assert_eq!(at("global.hostname"), spec.domain.as_str(), "{name}");
        assert_eq!(at("global.osmoImageTag"), spec.image_tag(), "{name}");
        assert_eq!(at("services.configFile.enabled"), true, "{name}");
        let envoy = &v["gateway"]["envoy"];
        assert!(
            envoy.get("skipAuthPaths").is_none(),
            "{name}: never replaced"
        );
        assert_eq!(envoy["extraSkipAuthPaths"], serde_json::json!([]), "{name}");
        // OSMO's own tokens: the internal JWKS cluster, the scheme of upstream TLS.
        let providers = envoy["jwt"]["providers"].as_array().unwrap();
        let osmo = providers.iter().find(|p| p["issuer"] == "osmo").unwrap();
        assert_eq!(osmo["cluster"], envoy["internalJwks"]["cluster"], "{name}");
        assert_eq!(envoy["internalJwks"]["enabled"], true, "{name}");
        let scheme = if spec.gateway.upstream_tls {
            "https"
        } else {
            "http"
        };
        assert_eq!(
            osmo["jwks_uri"],
            format!("{scheme}://osmo-service/api/auth/keys"),
            "{name}"
        );
        assert_eq!(
            at("gateway.tls.enabled"),
            spec.gateway.upstream_tls,
            "{name}"
        );
        assert_eq!(at("gateway.authz.enabled"), true, "{name}");
        assert_eq!(
            at("gateway.envoy.ssl.enabled"),
            if spec.gateway.tls_secret.is_some() {
                Value::Bool(true)
            } else {
                Value::Null
            },
            "{name}"
        );
        match Idp::from_auth(&spec.authentication) {
            Some(idp) => {
                assert_eq!(envoy["idp"]["host"], idp.jwks_host.as_str(), "{name}");
                let p = providers.iter().find(|p| p["cluster"] == "idp").unwrap();
                assert_eq!(p["jwks_uri"], idp.jwks_uri.as_str(), "{name}");
                assert!(
                    idp.jwks_uri
                        .starts_with(&format!("https://{}/", idp.jwks_host))
                );
                let proxy = &v["gateway"]["oauth2Proxy"];
                assert_eq!(proxy["enabled"], true, "{name}");
                assert_eq!(proxy["oidcIssuerUrl"], p["issuer"], "{name}");
                assert_eq!(proxy["clientId"], p["audience"], "{name}");
                assert_eq!(proxy["cookieDomain"], format!(".{}", spec.domain), "{name}");
                assert_eq!(proxy["useKubernetesSecrets"], true, "{name}");
                assert_eq!(proxy["redis"]["tlsEnabled"], spec.redis.tls, "{name}");
                let password = &proxy["extraEnv"][0]["valueFrom"]["secretKeyRef"]["name"];
                match spec.redis.password {
                    true => assert_eq!(password, "redis-secret", "{name}"),
                    false => assert_eq!(proxy.get("extraEnv"), None, "{name}"),
                }
                assert_eq!(at("services.defaultAdmin.enabled"), false, "{name}");
                assert_eq!(at("services.ui.enabled"), true, "{name}");
                let (host, ssl) = match spec.gateway.tls_secret {
                    Some(_) => (format!("{}:443", spec.domain), Value::Bool(true)),
                    None => ("osmo-gateway:80".to_owned(), Value::Null),
                };
                assert_eq!(at("services.ui.apiHostname"), host.as_str(), "{name}");
                assert_eq!(at("services.ui.nextjsSslEnabled"), ssl, "{name}");
            }
            None => {
                // No IdP: OSMO's tokens and roles still guard every request; no browser
                // sign-in, so no oauth2-proxy and no web UI.
                assert_eq!(providers.len(), 1, "{name}");
                assert!(envoy.get("idp").is_none(), "{name}");
                assert_eq!(at("gateway.oauth2Proxy.enabled"), false, "{name}");
                assert_eq!(at("services.ui.enabled"), false, "{name}");
                assert_eq!(at("gateway.upstreams.ui.enabled"), false, "{name}");
                assert_eq!(at("services.defaultAdmin.enabled"), true, "{name}");
                assert!(envoy.get("defaultIdentity").is_none(), "{name}");
            }
        }
        // The cloud identity of the storage on the ServiceAccount, and Azure's pod label.
        let storage = spec.storage.as_ref();
        match storage.and_then(|st| st.credentials.service_account_annotation()) {
            Some((key, value)) => {
                assert_eq!(v["serviceAccount"]["annotations"][key], value, "{name}")
            }
            None => assert!(v.get("serviceAccount").is_none(), "{name}"),
        }
        let azure = matches!(
            storage.map(|s| &s.credentials),
            Some(StorageCredentials::AzureWorkloadIdentity(_))
        );
        for pod in osmo_values::generate::STORAGE_PODS {
            let label = &v["services"][pod]["extraPodLabels"]
                [osmo_values::generate::AZURE_WORKLOAD_IDENTITY_LABEL];
            assert_eq!(label == "true", azure, "{name}: {pod}");
        }
        let configs = &v["services"]["configs"];
        if !spec.config_map_mode {
            assert_eq!(configs, &serde_json::json!({"enabled": false}), "{name}");
            continue;
        }
        assert_eq!(configs["enabled"], true, "{name}");
        assert_eq!(
            configs["service"]["service_base_url"],
            format!("https://{}", spec.domain)
        );
        let images = &configs["workflow"]["backend_images"];
        assert_eq!(
            images["init"],
            format!(
                "{}/init-container:{}",
                spec.images.registry,
                spec.image_tag()
            )
        );
        assert_eq!(
            images["client"],
            format!("{}/client:{}", spec.images.registry, spec.image_tag())
        );
        // A backend per backend operator, with its router address; the default pool on
        // the first; each pool's platforms on the backend's compute nodes.
        for (i, backend) in spec.backends.iter().enumerate() {
            assert_eq!(
                configs["backends"][&backend.name]["router_address"],
                format!("wss://{}", spec.domain),
                "{name}"
            );
            let pool = osmo_values::generate::pool_of(&spec, i);
            assert_eq!(
                configs["pools"][&pool.name]["backend"],
                backend.name.as_str()
            );
            let labels = backend.placement(spec.release).compute_pools;
            assert_eq!(pool.platforms.len(), labels.len(), "{name}");
            for (platform, label) in pool.platforms.iter().zip(&labels) {
                let template = configs["pools"][&pool.name]["platforms"][&platform.name]
                    ["override_pod_template"][0]
                    .as_str()
                    .unwrap();
                assert_eq!(
                    configs["podTemplates"][template]["spec"]["nodeSelector"][&label.key],
                    label.value.as_str(),
                    "{name}"
                );
            }
        }
        assert_eq!(
            configs["pools"]["default"]["backend"],
            spec.backends[0].name.as_str()
        );
        let st = storage.unwrap();
        let log = &configs["workflow"]["workflow_log"]["credential"];
        assert_eq!(log["endpoint"], st.log_uri.as_str(), "{name}");
        let data = &configs["workflow"]["workflow_data"]["credential"];
        assert_eq!(data["endpoint"], st.data_uri.as_str(), "{name}");
        if matches!(st.credentials, StorageCredentials::Static(_)) {
            assert_eq!(log["secretName"], "osmo-workflow-log-cred", "{name}");
            assert_eq!(data["secretName"], "osmo-workflow-data-cred", "{name}");
            let refs: BTreeSet<&str> = configs["secretRefs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["secretName"].as_str().unwrap())
                .collect();
            assert_eq!(
                refs,
                BTreeSet::from(["osmo-workflow-log-cred", "osmo-workflow-data-cred"])
            );
        } else {
            assert!(log.get("secretName").is_none() && configs.get("secretRefs").is_none());
        }
    }
}

/// Static storage keys: in `secrets.yaml` (markers until supplied) beside the storage's
/// URI and region, or read by install.sh from the environment; kept when generating again.
#[test]
fn static_storage_keys_are_secrets() {
    use osmo_values::generate::{Existing, generate_reusing, secrets::parse_secrets};
    let spec = common::examples_of(Release::V6_3_1)
        .into_iter()
        .find(|(n, _)| n == "6.3.1-keycloak-traefik")
        .unwrap()
        .1;
    let b = bundle(&spec);
    let text = &b.get("secrets.yaml").unwrap().contents;
    let docs = yaml_docs(text);
    for (secret, uri) in [
        ("osmo-workflow-log-cred", "s3://osmo-logs"),
        ("osmo-workflow-data-cred", "s3://osmo-data"),
    ] {
        let data = &docs
            .iter()
            .find(|d| d["metadata"]["name"] == secret)
            .unwrap()["stringData"];
        assert_eq!(data["endpoint"], uri);
        assert_eq!(data["region"], "us-east-1");
        assert_eq!(data["override_url"], "https://minio.lab.example.net:9000");
        assert!(data["access_key_id"].as_str().unwrap().starts_with(FILL_ME));
        assert!(data["access_key"].as_str().unwrap().starts_with(FILL_ME));
    }
    let user = UserSecrets {
        storage_access_key_id: Some("AKIAEXAMPLE".into()),
        storage_access_key: Some("secret/key+".into()),
        ..UserSecrets::default()
    };
    let filled = generate_with_secrets(&spec, &user, &mut rng()).unwrap();
    let parsed = parse_secrets(&filled.get("secrets.yaml").unwrap().contents).unwrap();
    assert_eq!(
        parsed.get("osmo-workflow-data-cred", "access_key"),
        Some("secret/key+")
    );
    assert_eq!(
        parsed.get("osmo-workflow-log-cred", "access_key_id"),
        Some("AKIAEXAMPLE")
    );

    // Generating again keeps the keys; a new storage URI replaces the Secret's endpoint.
    let existing = Existing {
        mek: None,
        secrets: Some(parsed),
    };
    let mut moved = spec.clone();
    moved.storage.as_mut().unwrap().log_uri = "s3://osmo-logs-2".into();
    let again = generate_reusing(&moved, &Options::default(), &existing, &mut rng()).unwrap();
    let kept: Vec<String> = again.reuse.kept.iter().map(ToString::to_string).collect();
    assert!(
        kept.contains(&"osmo-workflow-log-cred/access_key".to_owned()),
        "{kept:?}"
    );
    let replaced: Vec<String> = again
        .reuse
        .replaced
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(replaced, ["osmo-workflow-log-cred/endpoint"]);
    let written = parse_secrets(&again.bundle.get("secrets.yaml").unwrap().contents).unwrap();
    assert_eq!(
        written.get("osmo-workflow-log-cred", "endpoint"),
        Some("s3://osmo-logs-2")
    );
    assert_eq!(
        written.get("osmo-workflow-log-cred", "access_key"),
        Some("secret/key+")
    );

    // From the environment: install.sh creates the Secrets with the spec's values quoted.
    let options = Options {
        secrets: SecretSource::Environment,
    };
    let b = generate_with(&spec, &options, &mut rng()).unwrap();
    let sh = &b.get("install.sh").unwrap().contents;
    assert!(
        sh.contains("--from-literal='endpoint=s3://osmo-logs'"),
        "{sh}"
    );
    assert!(sh.contains("--from-literal='access_key'=\"${OSMO_STORAGE_ACCESS_KEY}\""));
    assert!(sh.contains(": \"${OSMO_STORAGE_ACCESS_KEY_ID:?"));
    let next = &b.get("NEXT_STEPS.md").unwrap().contents;
    assert_eq!(
        next.matches("`OSMO_STORAGE_ACCESS_KEY`").count(),
        1,
        "{next}"
    );
}

/// NEXT_STEPS.md of 6.3.1 names both redirect URIs, the DNS record to the gateway, the
/// operator token, and without an IdP how the admin signs in with its token.
#[test]
fn next_steps_of_631_say_what_the_guide_does_not() {
    for (name, spec) in common::examples_of(Release::V6_3_1) {
        let b = bundle(&spec);
        let next = &b.get("NEXT_STEPS.md").unwrap().contents;
        let has_idp = spec.authentication != Authentication::None;
        for uri in osmo_values::idp::redirect_uris(&spec.domain) {
            assert_eq!(next.contains(&format!("`{uri}`")), has_idp, "{name}: {uri}");
        }
        let dns = match spec.gateway.exposure {
            Exposure::Ingress => "kubectl get ingress 'osmo-gateway' -n osmo",
            Exposure::LoadBalancer => "kubectl get service 'osmo-gateway' -n osmo   # EXTERNAL-IP",
        };
        assert!(next.contains(dns), "{name}");
        assert!(next.contains("osmo token set backend-token"), "{name}");
        assert!(next.contains("osmo-operator-token"), "{name}");
        assert_eq!(
            next.contains("--method token --token \"$ADMIN_PASSWORD\""),
            !has_idp,
            "{name}"
        );
        assert!(!next.contains("--method dev"), "{name}");
        assert_eq!(
            next.contains("osmo config update WORKFLOW"),
            !spec.config_map_mode,
            "{name}"
        );
    }
}

/// A spec whose Redis (and PostgreSQL, with `both`) has no password, with an identity
/// provider so that 6.3.1's oauth2-proxy reads Redis too.
fn without_passwords(release: Release, both: bool) -> DeploymentSpec {
    let mut spec = minimal_specs()
        .into_iter()
        .find(|s| s.release == release)
        .unwrap();
    spec.authentication = Authentication::Google(Google {
        client_id: "1-a.apps.googleusercontent.com".into(),
    });
    spec.redis.password = false;
    spec.postgres.password = !both;
    spec
}

#[test]
fn a_server_without_a_password_gets_an_empty_secret_and_no_marker() {
    for release in Release::ALL {
        for both in [false, true] {
            let spec = without_passwords(release, both);
            let b = bundle(&spec);
            let text = &b.get("secrets.yaml").unwrap().contents;
            let docs = yaml_docs(text);
            let get = |name: &str, key: &str| {
                docs.iter().find(|d| d["metadata"]["name"] == name).unwrap()["stringData"][key]
                    .clone()
            };
            // The charts' pods read both Secrets whatever the values say: they stay, empty.
            assert_eq!(get("redis-secret", "redis-password"), "", "{release}");
            let markers: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with('#') && l.contains(FILL_ME))
                .collect();
            assert!(markers.iter().all(|l| !l.contains("Redis")), "{markers:?}");
            let db_marker = markers.iter().any(|l| l.contains("db-password"));
            assert_eq!(db_marker, !both, "{release}: {markers:?}");
            assert!(markers.iter().any(|l| l.contains("client_secret")));
            if both {
                assert_eq!(get("db-secret", "db-password"), "", "{release}");
            }
            assert!(
                text.contains("# none: Redis has no password (spec.yaml: redis.password false)")
            );
            let next = &b.get("NEXT_STEPS.md").unwrap().contents;
            assert!(
                !next.contains("`redis-secret` / `redis-password`"),
                "{release}"
            );
            assert_eq!(next.contains("PGPASSWORD"), !both, "{release}");
            // 6.3.1's oauth2-proxy gets no password variable for a Redis without one.
            if release == Release::V6_3_1 {
                let values = &b.get("osmo_values.yaml").unwrap().contents;
                assert!(!values.contains("OAUTH2_PROXY_REDIS_PASSWORD"));
                let mut with = spec.clone();
                with.redis.password = true;
                let with = bundle(&with);
                let values = &with.get("osmo_values.yaml").unwrap().contents;
                assert!(values.contains("OAUTH2_PROXY_REDIS_PASSWORD"));
            }
            // The spec says it, and reads back the same.
            let spec_yaml = &b.get("spec.yaml").unwrap().contents;
            let (back, _) = DeploymentSpec::parse(spec_yaml).unwrap();
            assert!(!back.redis.password);
            assert_eq!(back.postgres.password, !both);

            // From the environment: install.sh asks only for what there is.
            let options = Options {
                secrets: SecretSource::Environment,
            };
            let b = generate_with(&spec, &options, &mut rng()).unwrap();
            let sh = &b.get("install.sh").unwrap().contents;
            assert!(!sh.contains("OSMO_REDIS_PASSWORD"), "{release}");
            assert!(sh.contains("--from-literal='redis-password='"), "{release}");
            assert_eq!(sh.contains("OSMO_DB_PASSWORD"), !both, "{release}");
        }
    }
}

#[test]
fn a_password_given_for_a_server_without_one_is_refused() {
    let spec = without_passwords(Release::V6_3_1, true);
    let given = UserSecrets {
        redis_password: Some("pw".into()),
        db_password: Some("pw".into()),
        ..UserSecrets::default()
    };
    let err = generate_with_secrets(&spec, &given, &mut rng()).unwrap_err();
    let osmo_values::generate::GenerateError::InvalidSpec(problems) = err else {
        panic!("{err}")
    };
    let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        words,
        [
            "postgres.password: the spec says PostgreSQL has no password, but one was given (OSMO_DB_PASSWORD): set postgres.password: true to use it, or give none",
            "redis.password: the spec says Redis has no password, but one was given (OSMO_REDIS_PASSWORD): set redis.password: true to use it, or give none",
        ]
    );
    // An empty one agrees with the spec.
    let empty = UserSecrets {
        redis_password: Some(String::new()),
        ..UserSecrets::default()
    };
    assert!(generate_with_secrets(&spec, &empty, &mut rng()).is_ok());
}
