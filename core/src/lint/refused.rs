//! Values the 6.2 charts refuse (OV2xx), and keys removed in chart 1.2.1
//! (OV308): reported as these specific rules, with migration steps and
//! fixes, rather than as generic unknown keys.

// Only 6.2.10 charts refuse values: without the feature `release-6-2` (the browser wizard)
// `lint` leaves these rules out; the fix helpers stay for the 6.3.1 rules.
#![cfg_attr(not(feature = "release-6-2"), allow(dead_code, unused_imports))]

use serde_json::Value;

use crate::ChartName;
use crate::diagnostic::{Edit, Fix, Severity};
use crate::path::Path;
use crate::yaml::NodeValue;

use super::merge::truthy;
use super::source::{SourceFile, raw};
use super::{Handled, Sink, code, diag};

/// Reports refused and removed keys of one file; returns the paths handled.
pub(crate) fn check_file(chart: ChartName, file: &SourceFile<'_>, sink: &mut Sink) -> Handled {
    let mut handled = Vec::new();
    for block in envoy_blocks(chart) {
        oauth2_filter(file, &block, sink, &mut handled);
        use_kubernetes_secrets(file, &block, sink, &mut handled);
        secret_paths(file, &block, sink, &mut handled);
        oauth_cluster(file, &block, sink);
    }
    removed(chart, file, sink, &mut handled);
    handled
}

/// An Envoy block the refused keys are looked for in.
struct EnvoyBlock {
    /// Its path: `sidecars.envoy` or `services.<name>.envoy`.
    path: Path,
    /// The service of a per-service override; `None` for `sidecars.envoy`.
    /// Helm checks only `sidecars.envoy`: in an override the same keys are
    /// accepted and then ignored (or, for a provider cluster, break Envoy).
    service: Option<&'static str>,
}

impl EnvoyBlock {
    /// The path of `key` (dotted) inside the block.
    fn at(&self, key: &str) -> Path {
        let mut p = self.path.clone();
        for k in key.split('.') {
            p = p.key(k);
        }
        p
    }
}

/// The Envoy blocks of a chart: `sidecars.envoy`, and in the service chart
/// the per-service overrides merged over it.
fn envoy_blocks(chart: ChartName) -> Vec<EnvoyBlock> {
    let mut out = Vec::new();
    if chart == ChartName::BackendOperator {
        return out;
    }
    out.push(EnvoyBlock {
        path: Path::keys("sidecars.envoy"),
        service: None,
    });
    if chart == ChartName::Service {
        for service in ["service", "logger", "agent"] {
            out.push(EnvoyBlock {
                path: Path::keys("services").key(service).key("envoy"),
                service: Some(service),
            });
        }
    }
    out
}

/// The entry to delete to remove `path`: the path itself, or its nearest
/// ancestor that would otherwise be left empty (an empty `key:` is `null`,
/// and a `null` deletes the chart's whole default block).
pub(crate) fn deletable(file: &SourceFile<'_>, path: &Path) -> Path {
    let mut p = path.clone();
    while let Some(parent) = p.parent() {
        if parent.is_root() {
            break;
        }
        match file.node(&parent).map(|n| &n.value) {
            Some(NodeValue::Map(entries)) if entries.len() == 1 => p = parent,
            _ => break,
        }
    }
    p
}

/// A fix deleting the whole lines of the entry at `path` (or of the
/// ancestor it is the only entry of).
pub(crate) fn delete_entry(
    file: &SourceFile<'_>,
    path: &Path,
    what: &str,
    machine: bool,
) -> Option<Fix> {
    let (start, end) = file.entry_lines(&deletable(file, path))?;
    Some(Fix {
        description: what.to_owned(),
        edits: vec![Edit {
            file: file.index,
            start,
            end,
            replacement: String::new(),
        }],
        machine_applicable: machine,
    })
}

fn oauth2_filter(
    file: &SourceFile<'_>,
    block: &EnvoyBlock,
    sink: &mut Sink,
    handled: &mut Handled,
) {
    let path = block.at("oauth2Filter");
    let Some(node) = file.node(&path) else { return };
    let Some(span) = file.key_span(&path) else {
        return;
    };
    handled.push(path.clone());
    let enabled = truthy(
        &node
            .to_json()
            .get("enabled")
            .cloned()
            .unwrap_or(Value::Null),
    );
    let (message, help) = match block.service {
        None => (
            if enabled {
                "`sidecars.envoy.oauth2Filter` was removed in OSMO 6.2; `helm install` refuses it while enabled".to_owned()
            } else {
                "`sidecars.envoy.oauth2Filter` was removed in OSMO 6.2 and has no effect".to_owned()
            },
            "migrate to the oauth2-proxy sidecar: remove this block and `sidecars.envoy.secretPaths.hmacSecret`, \
             move `sidecars.envoy.secretPaths.clientSecret` to `sidecars.oauth2Proxy.secretPaths.clientSecret`, \
             configure `sidecars.oauth2Proxy` (oidcIssuerUrl, clientId, cookieDomain) and register \
             `https://<hostname>/oauth2/callback` as redirect URI with your identity provider",
        ),
        Some(_) => (
            if enabled {
                format!(
                    "`{path}` is silently ignored: OSMO 6.2 removed Envoy's OAuth2 filter, and Helm \
                     does not check per-service overrides, so this service gets no OAuth2 filter"
                )
            } else {
                format!("`{path}` was removed in OSMO 6.2 and has no effect")
            },
            "delete this block; browser login now comes from the oauth2-proxy sidecar, configured once \
             for every service under `sidecars.oauth2Proxy` (oidcIssuerUrl, clientId, cookieDomain), with \
             `https://<hostname>/oauth2/callback` registered as redirect URI with your identity provider",
        ),
    };
    let mut d = diag(code::ENVOY_OAUTH2_FILTER, file.index, span, message)
        .with_path(path.clone())
        .with_help(help);
    if !enabled {
        d.severity = Severity::Warning;
    }
    let description = match block.service {
        None => "delete the oauth2Filter block (then configure sidecars.oauth2Proxy)".to_owned(),
        Some(_) => format!("delete {path} (then configure sidecars.oauth2Proxy)"),
    };
    if let Some(fix) = delete_entry(file, &path, &description, !enabled) {
        d = d.with_fix(fix);
    }
    sink.push(d);
}

fn use_kubernetes_secrets(
    file: &SourceFile<'_>,
    block: &EnvoyBlock,
    sink: &mut Sink,
    handled: &mut Handled,
) {
    let path = block.at("useKubernetesSecrets");
    let Some(node) = file.node(&path) else { return };
    let Some(span) = file.key_span(&path) else {
        return;
    };
    handled.push(path.clone());
    let on = truthy(&node.to_json());
    if block.service.is_some() {
        // Only oauth2-proxy reads secrets now, and its settings are shared:
        // delete the key; moving it is a choice for every service.
        let mut d = diag(
            code::ENVOY_USE_KUBERNETES_SECRETS,
            file.index,
            span,
            if on {
                format!(
                    "`{path}` is silently ignored: the setting moved to \
                     `sidecars.oauth2Proxy.useKubernetesSecrets` in OSMO 6.2, and Helm does not check \
                     per-service overrides"
                )
            } else {
                format!(
                    "`{path}` moved to `sidecars.oauth2Proxy.useKubernetesSecrets` in OSMO 6.2; here it has no effect"
                )
            },
        )
        .with_path(path.clone())
        .with_help(
            "delete it here; to read oauth2-proxy's secrets from Kubernetes, set \
             `sidecars.oauth2Proxy.useKubernetesSecrets: true` with `sidecars.oauth2Proxy.secretName` \
             (oauth2-proxy's settings apply to every service)",
        );
        if !on {
            d.severity = Severity::Warning;
        }
        if let Some(fix) = delete_entry(file, &path, &format!("delete {path}"), !on) {
            d = d.with_fix(fix);
        }
        sink.push(d);
        return;
    }
    let mut d = diag(
        code::ENVOY_USE_KUBERNETES_SECRETS,
        file.index,
        span,
        if on {
            "`sidecars.envoy.useKubernetesSecrets` moved to `sidecars.oauth2Proxy.useKubernetesSecrets` in OSMO 6.2; `helm install` refuses it"
        } else {
            "`sidecars.envoy.useKubernetesSecrets` moved to `sidecars.oauth2Proxy.useKubernetesSecrets` in OSMO 6.2; here it has no effect"
        },
    )
    .with_path(path.clone())
    .with_help(
        "delete it here and set `sidecars.oauth2Proxy.useKubernetesSecrets: true` with \
         `sidecars.oauth2Proxy.secretName` (the secret holding client_secret and cookie_secret)",
    );
    if !on {
        d.severity = Severity::Warning;
    }
    let Some((start, end)) = file.entry_lines(&deletable(file, &path)) else {
        sink.push(d);
        return;
    };
    let mut edits = vec![Edit {
        file: file.index,
        start,
        end,
        replacement: String::new(),
    }];
    let mut machine = !on;
    if on {
        let proxy = Path::keys("sidecars.oauth2Proxy");
        let target = proxy.clone().key("useKubernetesSecrets");
        match file.node(&target) {
            Some(n) if matches!(n.value, NodeValue::Bool(true)) => machine = true,
            Some(n) => {
                if n.scalar.is_some() {
                    edits.push(Edit {
                        file: file.index,
                        start: n.span.start.offset,
                        end: n.span.end.offset,
                        replacement: "true".into(),
                    });
                    machine = true;
                }
            }
            None => {
                if let (Some(indent), Some(NodeValue::Map(entries))) = (
                    file.child_indent(&proxy),
                    file.node(&proxy).map(|n| &n.value),
                ) && let Some(first) = entries.first()
                {
                    let at = file.line_start(first.key.span.start.offset);
                    edits.push(Edit {
                        file: file.index,
                        start: at,
                        end: at,
                        replacement: format!("{}useKubernetesSecrets: true\n", " ".repeat(indent)),
                    });
                    machine = true;
                }
            }
        }
    }
    edits.sort_by_key(|e| e.start);
    let overlapping = edits.windows(2).any(|w| w[1].start < w[0].end);
    if !overlapping {
        d = d.with_fix(Fix {
            description: if on && machine {
                "move useKubernetesSecrets from sidecars.envoy to sidecars.oauth2Proxy".into()
            } else if on {
                "delete sidecars.envoy.useKubernetesSecrets (then set sidecars.oauth2Proxy.useKubernetesSecrets: true)".into()
            } else {
                "delete sidecars.envoy.useKubernetesSecrets".into()
            },
            edits,
            machine_applicable: machine,
        });
    }
    sink.push(d);
}

fn secret_paths(file: &SourceFile<'_>, block: &EnvoyBlock, sink: &mut Sink, handled: &mut Handled) {
    let path = block.at("secretPaths");
    let Some(node) = file.node(&path) else { return };
    handled.push(path.clone());
    let entries = match &node.value {
        NodeValue::Map(entries) if !entries.is_empty() => entries,
        _ => {
            if let Some(span) = file.key_span(&path) {
                let mut d = diag(
                    code::ENVOY_SECRET_PATHS,
                    file.index,
                    span,
                    format!("`{path}` is not read by the 6.2 charts"),
                )
                .with_path(path.clone())
                .with_help("delete it");
                if let Some(fix) = delete_entry(file, &path, &format!("delete {path}"), true) {
                    d = d.with_fix(fix);
                }
                sink.push(d);
            }
            return;
        }
    };
    let only_one = entries.len() == 1;
    for e in entries {
        let Some(k) = e.key.key_text() else { continue };
        let child = path.clone().key(k.clone());
        let span = super::source::span(e.key.span);
        let (message, help, fix) = match k.as_str() {
            "hmacSecret" => {
                let target = if only_one { path.clone() } else { child.clone() };
                (
                    format!("`{child}` is no longer used: the Envoy OAuth2 filter was removed in OSMO 6.2"),
                    "delete it".to_owned(),
                    delete_entry(file, &target, "delete the unused hmacSecret", true),
                )
            }
            "clientSecret" if block.service.is_none() => (
                "`sidecars.envoy.secretPaths.clientSecret` moved to `sidecars.oauth2Proxy.secretPaths.clientSecret` in OSMO 6.2".to_owned(),
                "move this entry under `sidecars.oauth2Proxy.secretPaths`".to_owned(),
                None,
            ),
            "clientSecret" => (
                format!(
                    "`{child}` is not read by the 6.2 charts: oauth2-proxy reads the client secret \
                     from `sidecars.oauth2Proxy.secretPaths.clientSecret`"
                ),
                "delete it here and set `sidecars.oauth2Proxy.secretPaths.clientSecret` (shared by every service)".to_owned(),
                None,
            ),
            _ => (
                format!("`{child}` is not read by the 6.2 charts"),
                "delete it; oauth2-proxy's secret files are set under `sidecars.oauth2Proxy.secretPaths`".to_owned(),
                None,
            ),
        };
        let mut d = diag(code::ENVOY_SECRET_PATHS, file.index, span, message)
            .with_path(child)
            .with_help(help);
        if let Some(fix) = fix {
            d = d.with_fix(fix);
        }
        sink.push(d);
    }
}

fn oauth_cluster(file: &SourceFile<'_>, block: &EnvoyBlock, sink: &mut Sink) {
    let providers = block.at("jwt.providers");
    let Some(NodeValue::Seq(items)) = file.node(&providers).map(|n| &n.value) else {
        return;
    };
    for (i, _) in items.iter().enumerate() {
        let path = providers.clone().index(i).key("cluster");
        let Some(node) = file.node(&path) else {
            continue;
        };
        if !matches!(&node.value, NodeValue::String(s) if s == "oauth") {
            continue;
        }
        let raw_text = raw(node).unwrap_or("oauth");
        let replacement = raw_text.replacen("oauth", "idp", 1);
        let span = super::source::span(node.span);
        let (message, help) = match block.service {
            None => (
                "JWT provider cluster `oauth` was renamed `idp` in OSMO 6.2; `helm install` refuses it".to_owned(),
                "write `cluster: idp` and set `sidecars.envoy.idp.host` to the host of this provider's `jwks_uri`".to_owned(),
            ),
            Some(_) => (
                "JWT provider cluster `oauth` was renamed `idp` in OSMO 6.2: Helm does not check per-service \
                 overrides, but the chart defines no `oauth` cluster, so this service's Envoy cannot fetch \
                 the provider's signing keys and refuses its tokens"
                    .to_owned(),
                format!(
                    "write `cluster: idp` and set `{}` (or `sidecars.envoy.idp.host`) to the host of this provider's `jwks_uri`",
                    block.at("idp.host")
                ),
            ),
        };
        sink.push(
            diag(code::OAUTH_CLUSTER, file.index, span, message)
                .with_path(path)
                .with_help(help)
                .with_fix(Fix {
                    description: "rename cluster oauth to idp".into(),
                    edits: vec![Edit {
                        file: file.index,
                        start: node.span.start.offset,
                        end: node.span.end.offset,
                        replacement,
                    }],
                    machine_applicable: true,
                }),
        );
    }
}

fn removed(chart: ChartName, file: &SourceFile<'_>, sink: &mut Sink, handled: &mut Handled) {
    let paths: &[&str] = match chart {
        ChartName::Service => &["sidecars.logAgent", "sidecars.otel"],
        ChartName::Router | ChartName::WebUi => &["sidecars.logAgent"],
        ChartName::BackendOperator => &["sidecars"],
    };
    let present: Vec<Path> = paths
        .iter()
        .map(|p| Path::keys(p))
        .filter(|p| file.has(p))
        .collect();
    for p in paths {
        let path = Path::keys(p);
        if !file.has(&path) {
            continue;
        }
        // When every entry of the parent map is removed, delete the parent
        // (the fixes of the siblings then overlap and apply once).
        let parent = path.parent().unwrap_or_default();
        let all_removed = !parent.is_root()
            && matches!(file.node(&parent).map(|n| &n.value), Some(NodeValue::Map(entries))
                if entries.iter().all(|e| e.key.key_text().is_some_and(|k| present.contains(&parent.clone().key(k)))));
        let target = if all_removed { parent } else { path.clone() };
        let Some(span) = file.key_span(&path) else {
            continue;
        };
        handled.push(path.clone());
        let mut d = diag(
            code::REMOVED_KEY,
            file.index,
            span,
            format!("`{p}` was removed in chart 1.2.1 and has no effect"),
        )
        .with_path(path.clone())
        .with_help("delete the block");
        if let Some(fix) = delete_entry(file, &target, &format!("delete {p}"), true) {
            d = d.with_fix(fix);
        }
        sink.push(d);
    }
}
