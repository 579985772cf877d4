//! Rendering for the migration round trip: values files in, the objects the
//! real Helm engine renders out (through `tests/helm/render.py`, see
//! [`super::render`]), and what the 6.3.1 gateway needs checked.

use serde_json::Value;

#[allow(unused_imports)]
pub use super::render::{Job, python};

/// Renders every job in one process; one result per job, in order, with
/// the rendered objects.
pub fn render(python: &std::path::Path, jobs: &[Job]) -> Vec<Value> {
    super::render::run(python, jobs, true).jobs
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

/// What `render.py`'s checks found in one render (an object Kubernetes
/// refuses, a cluster a route, filter or JWT provider names but `cds.yaml`
/// does not define, a JWKS URI whose scheme does not match its cluster's
/// TLS, a placeholder), and no gateway configuration at all.
pub fn gateway_problems(result: &Value) -> Vec<String> {
    let configs = envoy_configs(&[result]);
    let mut problems: Vec<String> = result["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect();
    if !configs.iter().any(|(n, _)| n.ends_with("-envoy-config")) {
        problems.push("no gateway Envoy configuration (lds.yaml, cds.yaml) rendered".to_owned());
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
