//! Sanity checks (OV4xx): resources, replicas, `skipAuthPaths`, ingress.

use serde_json::Value;

use crate::diagnostic::{Edit, Fix};
use crate::path::{Path, Trail};

use super::merge::Group;
use super::quantity::Quantity;
use super::{Sink, code, diag, related};

/// The sanity checks of one chart's merged values.
pub(crate) fn check(g: &Group<'_, '_>, sink: &mut Sink) {
    visit(g, &g.user, &mut Trail::default(), sink);
    missing_auth_paths(g, sink);
    ingress(g, sink);
}

fn quantity(v: &Value) -> Option<Quantity> {
    match v {
        Value::Number(n) => Quantity::parse(&n.to_string()),
        Value::String(s) => Quantity::parse(s),
        _ => None,
    }
}

/// The keys of one map that the sanity rules read.
#[derive(Default)]
struct Picked<'v> {
    requests: Option<&'v Value>,
    limits: Option<&'v Value>,
    min_replicas: Option<&'v Value>,
    max_replicas: Option<&'v Value>,
    skip_auth_paths: Option<&'v Value>,
    extra_skip_auth_paths: Option<&'v Value>,
}

impl<'v> Picked<'v> {
    /// One pass over the map's keys (cheaper than a lookup per rule: most
    /// maps of a values file are small).
    fn of(map: &'v serde_json::Map<String, Value>) -> Self {
        let mut picked = Picked::default();
        for (k, v) in map {
            match k.as_str() {
                "requests" => picked.requests = Some(v),
                "limits" => picked.limits = Some(v),
                "minReplicas" => picked.min_replicas = Some(v),
                "maxReplicas" => picked.max_replicas = Some(v),
                "skipAuthPaths" => picked.skip_auth_paths = Some(v),
                "extraSkipAuthPaths" => picked.extra_skip_auth_paths = Some(v),
                _ => {}
            }
        }
        picked
    }

    /// Whether the map holds any key the rules read.
    fn any(&self) -> bool {
        self.requests.is_some()
            || self.limits.is_some()
            || self.min_replicas.is_some()
            || self.max_replicas.is_some()
            || self.skip_auth_paths.is_some()
            || self.extra_skip_auth_paths.is_some()
    }
}

fn visit<'v>(g: &Group<'_, '_>, v: &'v Value, trail: &mut Trail<'v>, sink: &mut Sink) {
    match v {
        Value::Object(map) => {
            let picked = Picked::of(map);
            // The rules read only these keys: the path is made only for a map holding one.
            if picked.any() {
                let path = &trail.path();
                resources(g, &picked, path, sink);
                replicas(g, &picked, path, sink);
                for (key, list) in [
                    ("skipAuthPaths", picked.skip_auth_paths),
                    ("extraSkipAuthPaths", picked.extra_skip_auth_paths),
                ] {
                    if let Some(Value::Array(items)) = list {
                        skip_paths(g, items, &path.clone().key(key), sink);
                    }
                }
            }
            for (k, child) in map {
                // Only maps and lists hold what the rules look for.
                if !matches!(child, Value::Object(_) | Value::Array(_)) {
                    continue;
                }
                trail.key(k);
                visit(g, child, trail, sink);
                trail.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                if !matches!(child, Value::Object(_) | Value::Array(_)) {
                    continue;
                }
                trail.index(i);
                visit(g, child, trail, sink);
                trail.pop();
            }
        }
        _ => {}
    }
}

fn resources(g: &Group<'_, '_>, picked: &Picked<'_>, path: &Path, sink: &mut Sink) {
    let (Some(Value::Object(req)), Some(Value::Object(lim))) = (picked.requests, picked.limits)
    else {
        return;
    };
    for (name, lv) in lim {
        let Some(rv) = req.get(name) else { continue };
        let (Some(l), Some(r)) = (quantity(lv), quantity(rv)) else {
            continue;
        };
        if l >= r {
            continue;
        }
        let lp = path.clone().key("limits").key(name.clone());
        let rp = path.clone().key("requests").key(name.clone());
        let Some((file, at)) = g.value_at(&lp) else {
            continue;
        };
        let show = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        let mut d = diag(
            code::LIMIT_BELOW_REQUEST,
            file,
            at,
            format!(
                "{name} limit {} is below the request {}: Kubernetes refuses the pod",
                show(lv),
                show(rv)
            ),
        )
        .with_path(lp.clone())
        .with_help(format!(
            "raise the limit to at least {} or lower the request",
            show(rv)
        ));
        if let Some((f, s)) = g.value_at(&rp) {
            d = d.with_related(related(f, s, "the request"));
        }
        sink.push(d);
    }
}

fn replicas(g: &Group<'_, '_>, picked: &Picked<'_>, path: &Path, sink: &mut Sink) {
    let (Some(min), Some(max)) = (
        picked.min_replicas.and_then(Value::as_f64),
        picked.max_replicas.and_then(Value::as_f64),
    ) else {
        return;
    };
    if min <= max {
        return;
    }
    let minp = path.clone().key("minReplicas");
    let Some((file, at)) = g.value_at(&minp) else {
        return;
    };
    let mut d = diag(
        code::MIN_ABOVE_MAX_REPLICAS,
        file,
        at,
        format!("minReplicas {min} is above maxReplicas {max}: the autoscaler is refused"),
    )
    .with_path(minp)
    .with_help("lower minReplicas or raise maxReplicas");
    if let Some((f, s)) = g.value_at(&path.clone().key("maxReplicas")) {
        d = d.with_related(related(f, s, "maxReplicas"));
    }
    sink.push(d);
}

fn skip_paths(g: &Group<'_, '_>, items: &[Value], list: &Path, sink: &mut Sink) {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(s) = item.as_str() else { continue };
        let ip = list.clone().index(i);
        let Some((file, at)) = g.value_at(&ip) else {
            continue;
        };
        if !s.starts_with('/') {
            let mut d = diag(
                code::SKIP_AUTH_PATH,
                file,
                at,
                format!("`{s}` does not start with `/`: it never matches a request path"),
            )
            .with_path(ip.clone())
            .with_help(format!("write `/{s}`"));
            if let Some((src, node)) = g.origin(&ip)
                && let Some(raw) = node.scalar.as_ref().map(|x| x.raw.as_str())
            {
                let quoted = raw.starts_with(['"', '\'']);
                let start = node.span.start.offset + usize::from(quoted);
                d = d.with_fix(Fix {
                    description: format!("write /{s}"),
                    edits: vec![Edit {
                        file: src.index,
                        start,
                        end: start,
                        replacement: "/".into(),
                    }],
                    machine_applicable: true,
                });
            }
            sink.push(d);
        }
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == s) {
            let mut d = diag(
                code::SKIP_AUTH_PATH_DUPLICATE,
                file,
                at,
                format!("`{s}` is already in the list"),
            )
            .with_path(ip.clone())
            .with_help("delete this entry");
            if let Some((f, sp)) = g.value_at(&list.clone().index(*first)) {
                d = d.with_related(related(f, sp, "first listed here"));
            }
            if let Some((src, node)) = g.origin(&ip) {
                let ls = src.line_start(node.span.start.offset);
                let before = src.text[ls..node.span.start.offset].trim();
                let le = src.line_end(node.span.end.offset);
                let after = src.text[node.span.end.offset..le].trim();
                if before == "-" && (after.is_empty() || after.starts_with('#')) {
                    d = d.with_fix(Fix {
                        description: format!("delete the repeated {s}"),
                        edits: vec![Edit {
                            file: src.index,
                            start: ls,
                            end: le,
                            replacement: String::new(),
                        }],
                        machine_applicable: true,
                    });
                }
            }
            sink.push(d);
        } else {
            seen.push((s, i));
        }
    }
}

fn missing_auth_paths(g: &Group<'_, '_>, sink: &mut Sink) {
    let facts = g.chart.facts();
    let defaults = facts.skip_auth_paths;
    let Some(list_p) = facts.skip_auth_key.map(Path::keys) else {
        return;
    };
    if defaults.is_empty() || !g.changed(&list_p) {
        return;
    }
    let Some(Value::Array(items)) = g.get(&list_p) else {
        return;
    };
    let entries: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
    let missing: Vec<&str> = defaults
        .iter()
        .copied()
        .filter(|d| !entries.iter().any(|e| !e.is_empty() && d.starts_with(e)))
        .collect();
    if missing.is_empty() {
        return;
    }
    let Some((file, at)) = g.key_at(&list_p) else {
        return;
    };
    sink.push(
        diag(
            code::SKIP_AUTH_PATH_MISSING,
            file,
            at,
            format!(
                "this list replaces the chart's `skipAuthPaths` and leaves out {}: those paths now require a token",
                missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
            ),
        )
        .with_path(list_p)
        .with_help(match facts.extra_skip_auth_key {
            Some(extra) => format!(
                "a values list replaces the chart default instead of extending it: delete this list and put only your own paths in `{extra}`, or add {}",
                missing.join(", ")
            ),
            None => format!(
                "a values list replaces the chart default instead of extending it; add {}",
                missing.join(", ")
            ),
        }),
    );
}

fn ingress(g: &Group<'_, '_>, sink: &mut Sink) {
    let Some(base) = g.chart.facts().ingress.map(Path::keys) else {
        return;
    };
    if !g.truthy(&base.clone().key("enabled")) {
        return;
    }
    let class_p = base.clone().key("ingressClass");
    let class = g.str(&class_p).unwrap_or("");
    let alb_p = base.clone().key("albAnnotations").key("enabled");
    if class != "alb" && !super::runtime::has_placeholder(class) {
        let mut alb_keys: Vec<Path> = Vec::new();
        if g.truthy(&alb_p) && g.changed(&alb_p) {
            alb_keys.push(alb_p.clone());
        }
        if let Some(Value::Object(ann)) = g.get(&base.clone().key("annotations")) {
            for k in ann
                .keys()
                .filter(|k| k.starts_with("alb.ingress.kubernetes.io/"))
            {
                alb_keys.push(base.clone().key("annotations").key(k.clone()));
            }
        }
        for p in alb_keys {
            let Some((file, at)) = g.key_at(&p) else {
                continue;
            };
            let mut d = diag(
                code::ALB_ANNOTATIONS,
                file,
                at,
                format!("AWS ALB settings on an ingress of class `{class}`: only the `alb` class reads them"),
            )
            .with_path(p)
            .with_help("set `ingressClass: alb`, or remove the ALB settings");
            if let Some((f, s)) = g.value_at(&class_p) {
                d = d.with_related(related(f, s, "the ingress class"));
            }
            sink.push(d);
        }
    }
    let ssl_p = base.clone().key("sslEnabled");
    let secret_p = base.clone().key("sslSecret");
    if g.truthy(&ssl_p) && g.str(&secret_p).is_none() && (g.changed(&ssl_p) || g.changed(&secret_p))
    {
        let Some((file, at)) = g
            .value_at(&secret_p)
            .or_else(|| g.last_key(&secret_p))
            .or_else(|| g.key_at(&ssl_p))
        else {
            return;
        };
        sink.push(
            diag(
                code::TLS_WITHOUT_SECRET,
                file,
                at,
                format!("`{ssl_p}` is true but `{secret_p}` names no secret: the ingress serves the controller's default certificate"),
            )
            .with_path(secret_p.clone())
            .with_help("set `sslSecret` to a kubernetes.io/tls secret, or set `sslEnabled: false` when TLS ends before the ingress"),
        );
    }
}
