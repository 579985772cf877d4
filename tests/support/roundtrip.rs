//! Rendering for the migration round trip: values files in, the objects the
//! real Helm engine renders out, and what the 6.3.1 gateway needs checked.
//!
//! The jobs are those of `tests/helm/render.py` (id, chart directory,
//! release, namespace, values files) and the objects come back in its
//! format, so the batch renderer with its Kubernetes-schema checks can take
//! over from the small `tests/helm/render_objects.py` by changing
//! [`RENDER_SCRIPT`] (render.py also reports the gateway problems that
//! [`gateway_problems`] finds).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;
use serde_json::Value;

use super::{root, tool};

/// The renderer: reads jobs on stdin, prints `{"jobs": [{"id", "error", "objects"}]}`.
pub const RENDER_SCRIPT: &str = "tests/helm/render_objects.py";

/// One `helm template <release> <chart_dir> -n <namespace> -f ...`.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    /// Echoed back.
    pub id: String,
    /// The chart directory.
    pub chart_dir: PathBuf,
    /// `.Release.Name`.
    pub release_name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// Values files, merged in order.
    pub values_files: Vec<PathBuf>,
}

/// The Python of `.venv` when it has the Helm SDK; missing, a notice and
/// `None` (a failure under CI).
pub fn python() -> Option<PathBuf> {
    let python = tool("python")?;
    let ok = Command::new(&python)
        .args(["-c", "import helm_python"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "helm-python-sdk is missing from .venv under CI: .ci/run installs tests/requirements.txt"
    );
    eprintln!("notice: .venv lacks helm-python-sdk; skipping the render tests");
    None
}

/// Renders every job in one process; one result per job, in order.
pub fn render(python: &Path, jobs: &[Job]) -> Vec<Value> {
    let mut child = Command::new(python)
        .arg(root().join(RENDER_SCRIPT))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the renderer starts");
    let input = serde_json::to_vec(jobs).expect("jobs serialise");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("the renderer runs");
    writer.join().expect("writer").expect("jobs written");
    assert!(
        out.status.success(),
        "the renderer failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: Value = serde_json::from_slice(&out.stdout).expect("the renderer prints JSON");
    let results = value["jobs"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), jobs.len(), "one result per job");
    results
}

/// The rendered objects of a result.
pub fn objects(result: &Value) -> impl Iterator<Item = &Value> {
    result["objects"].as_array().into_iter().flatten()
}

/// The objects of `kind`, by name.
pub fn by_kind<'r>(results: &[&'r Value], kind: &str) -> Vec<(String, &'r Value)> {
    results
        .iter()
        .flat_map(|r| objects(r))
        .filter(|o| o["kind"] == kind)
        .map(|o| {
            (
                o["name"].as_str().unwrap_or_default().to_owned(),
                &o["object"],
            )
        })
        .collect()
}

/// Every value below `v` with its key, depth first.
fn walk<'v>(v: &'v Value, out: &mut Vec<(&'v str, &'v Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.push((k.as_str(), x));
                walk(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
        _ => {}
    }
}

/// The JWT providers of an Envoy configuration: (issuer, audience, JWKS URI, cluster).
pub fn jwt_providers(config: &Value) -> Vec<(String, String, String, String)> {
    let mut all = Vec::new();
    walk(config, &mut all);
    let mut out = Vec::new();
    for (_, v) in all {
        let is_jwt = v
            .get("@type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.ends_with("JwtAuthentication"));
        if !is_jwt {
            continue;
        }
        for p in v["providers"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            let text = |x: &Value| x.as_str().unwrap_or_default().to_owned();
            out.push((
                text(&p["issuer"]),
                text(&p["audiences"][0]),
                text(&p["remote_jwks"]["http_uri"]["uri"]),
                text(&p["remote_jwks"]["http_uri"]["cluster"]),
            ));
        }
    }
    out
}

/// Every Envoy configuration in the rendered ConfigMaps: a 6.2 bootstrap
/// with `static_resources`, or the 6.3 gateway's `lds.yaml` + `cds.yaml`
/// (as one value `{"listeners", "clusters"}`).
pub fn envoy_configs(results: &[&Value]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (name, cm) in by_kind(results, "ConfigMap") {
        let Some(data) = cm["data"].as_object() else {
            continue;
        };
        let parse = |k: &str| -> Option<Value> {
            serde_yaml::from_str::<Value>(data.get(k)?.as_str()?).ok()
        };
        if data.contains_key("lds.yaml") {
            let lds = parse("lds.yaml").unwrap_or(Value::Null);
            let cds = parse("cds.yaml").unwrap_or(Value::Null);
            out.push((
                name.clone(),
                serde_json::json!({"listeners": lds["resources"], "clusters": cds["resources"]}),
            ));
            continue;
        }
        for key in data.keys() {
            if let Some(v) = parse(key)
                && v.get("static_resources").is_some()
            {
                out.push((format!("{name}:{key}"), v["static_resources"].clone()));
            }
        }
    }
    out
}

/// What breaks the 6.3.1 gateway although Helm renders it: a cluster a
/// route, filter or JWT provider names but `cds.yaml` does not define, a
/// JWKS URI whose scheme does not match its cluster's TLS, no gateway
/// configuration at all.
pub fn gateway_problems(result: &Value) -> Vec<String> {
    let configs = envoy_configs(&[result]);
    let gateway: Vec<&(String, Value)> = configs
        .iter()
        .filter(|(n, _)| n.ends_with("-envoy-config"))
        .collect();
    if gateway.is_empty() {
        return vec!["no gateway Envoy configuration (lds.yaml, cds.yaml) rendered".to_owned()];
    }
    let mut problems = Vec::new();
    for (name, config) in gateway {
        let clusters: Vec<&Value> = config["clusters"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        let defined = |c: &str| clusters.iter().find(|x| x["name"] == c);
        let mut all = Vec::new();
        walk(&config["listeners"], &mut all);
        for (key, v) in all {
            if (key == "cluster" || key == "cluster_name")
                && let Some(c) = v.as_str()
                && defined(c).is_none()
            {
                problems.push(format!("{name}: cluster {c} is named but not defined"));
            }
        }
        for (issuer, _, uri, cluster) in jwt_providers(&config["listeners"]) {
            let Some(c) = defined(&cluster) else {
                continue;
            };
            let tls = c.get("transport_socket").is_some();
            let https = uri.starts_with("https://");
            if tls != https {
                problems.push(format!(
                    "{name}: JWT provider {issuer}: JWKS URI {uri} over {} but cluster {cluster} {}",
                    if https { "TLS" } else { "plain HTTP" },
                    if tls { "speaks TLS" } else { "does not" }
                ));
            }
        }
    }
    problems
}

/// `repository` of `repository:tag` (a registry port is not a tag).
pub fn repository(image: &str) -> &str {
    match image.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => image,
    }
}

/// oauth2-proxy's issuer, client id and cookie domain from its container's arguments.
pub fn oauth2_settings(container: &Value) -> (String, String, String) {
    let args: Vec<&str> = container["args"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let arg = |flag: &str| {
        args.iter()
            .find_map(|a| a.strip_prefix(flag).and_then(|r| r.strip_prefix('=')))
            .unwrap_or_default()
            .to_owned()
    };
    (
        arg("--oidc-issuer-url"),
        arg("--client-id"),
        arg("--cookie-domain"),
    )
}
