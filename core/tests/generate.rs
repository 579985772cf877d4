//! The generated bundle: snapshots of every example, file set, secrets,
//! install script, and agreement with the charts' models.

mod common;

use std::collections::BTreeSet;

use osmo_values::generate::{
    FILL_ME, Options, ROUTER_SKIP_AUTH_PATHS, SERVICE_SKIP_AUTH_PATHS, SecretSource, UserSecrets,
    generate_with,
};
use osmo_values::spec::{Authentication, Backend, DeploymentSpec, Google};
use osmo_values::{Bundle, Chart, ChartName, generate, generate_with_secrets};
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

fn chart_of(file: &str) -> Option<Chart> {
    let name = match file {
        "osmo_values.yaml" => ChartName::Service,
        "router_values.yaml" => ChartName::Router,
        "ui_values.yaml" => ChartName::WebUi,
        f if f.starts_with("backend_operator_values") => ChartName::BackendOperator,
        _ => return None,
    };
    Chart::new(osmo_values::Release::V6_2_10, name)
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
        let mut expected = vec!["osmo_values.yaml", "router_values.yaml", "ui_values.yaml"];
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
            let Some(chart) = chart_of(&f.name) else {
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
            let Some(chart) = chart_of(&f.name) else {
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
    for (name, spec) in common::examples() {
        for f in bundle(&spec).files {
            let Some(chart) = chart_of(&f.name) else {
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
        let ingress = &v["services"]["service"]["ingress"];
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
    let spec = &common::examples()[0].1;
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
    let spec = DeploymentSpec::minimal("osmo.example.com", "db", "redis");
    let b = bundle(&spec);
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
    let spec = DeploymentSpec::minimal("osmo.example.com", "db", "redis");
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
            osmo_values::Release::V6_2_10.chart_version()
        )));
        let helm_lines: Vec<&str> = sh
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with("helm upgrade"))
            .collect();
        assert_eq!(helm_lines.len(), 3 + spec.backends.len(), "{name}");
        assert!(
            helm_lines
                .iter()
                .all(|l| l.contains("--version \"$chart_version\""))
        );
        let order: Vec<usize> = [
            "osmo/service",
            "osmo/router",
            "osmo/web-ui",
            "osmo/backend-operator",
        ]
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
/// `osmo-values lint` lints a bundle folder (its spec names the backends).
fn lint_bundle(spec: &DeploymentSpec, b: &Bundle) -> Vec<osmo_values::diagnostic::Diagnostic> {
    use osmo_values::{LintInput, LintOptions, lint};
    let inputs: Vec<LintInput> = b
        .files
        .iter()
        .filter(|f| chart_of(&f.name).is_some())
        .map(|f| LintInput {
            name: &f.name,
            source: f.contents.as_bytes(),
        })
        .collect();
    let options = LintOptions {
        backends: Some(spec.backends.iter().map(|b| b.name.clone()).collect()),
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
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

#[test]
fn backend_operators_are_placed_as_the_spec_says() {
    use osmo_values::Release;
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
            let placement = backend.placement(Release::LATEST);
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
    let mut spec =
        DeploymentSpec::minimal("osmo.example.com", "db.example.com", "redis.example.com");
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
        .filter(|f| chart_of(&f.name).is_some())
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
