//! Values the charts accept but that break at run time (OV3xx): identity
//! provider wiring, Envoy clusters, oauth2-proxy, cookies and placeholders.
//!
//! Rules that judge the merged values only speak when the user's files
//! changed one of the values involved: restating the chart defaults is
//! never the user's finding.

use serde_json::Value;

use crate::ChartName;
use crate::diagnostic::{Diagnostic, Span};
use crate::path::Path;
use crate::yaml::NodeValue;

use super::merge::Group;
use super::source::{SourceFile, span, walk};
use super::{Sink, code, diag, related};

/// The first template placeholder in `s`, such as `<your-domain>`: a `<`,
/// a letter, then letters, digits, `-`, `_` or `.`, then `>`.
///
/// ```
/// use osmo_values::lint::find_placeholder;
/// assert_eq!(find_placeholder(".<your-domain>"), Some("<your-domain>"));
/// assert_eq!(find_placeholder("a < b and c > d"), None);
/// assert_eq!(find_placeholder("osmo.example.com"), None);
/// ```
pub fn find_placeholder(s: &str) -> Option<&str> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(off) = s[i..].find('<') {
        let start = i + off;
        let mut j = start + 1;
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'-' | b'_' | b'.'))
        {
            j += 1;
        }
        let inner = &s[start + 1..j];
        if j < bytes.len()
            && bytes[j] == b'>'
            && inner.len() >= 2
            && inner.as_bytes()[0].is_ascii_alphabetic()
        {
            return Some(&s[start..=j]);
        }
        i = start + 1;
    }
    None
}

/// Every placeholder in `s`.
fn placeholders(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(p) = find_placeholder(rest) {
        out.push(p);
        let at = rest.find(p).unwrap_or(0) + p.len();
        rest = &rest[at..];
    }
    out
}

/// Reports placeholders left in string values and keys of one file.
pub(crate) fn check_file_strings(file: &SourceFile<'_>, sink: &mut Sink) {
    let mut root = Path::root();
    walk(&file.doc.root, &mut root, &mut |path, key, node| {
        if let Some(k) = key
            && let NodeValue::String(text) = &k.value
            && let Some(p) = find_placeholder(text)
        {
            sink.push(
                diag(
                    code::PLACEHOLDER,
                    file.index,
                    span(k.span),
                    format!("placeholder `{p}` left in a key"),
                )
                .with_path(path.clone())
                .with_help("replace it with your real value"),
            );
        }
        if let NodeValue::String(text) = &node.value {
            let found = placeholders(text);
            if found.is_empty() {
                return;
            }
            let list = found
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            sink.push(
                diag(
                    code::PLACEHOLDER,
                    file.index,
                    span(node.span),
                    format!("placeholder {list} left in `{path}`: Helm renders it as is"),
                )
                .with_path(path.clone())
                .with_help("replace it with your real value"),
            );
        }
    });
}

/// Whether a value still holds a placeholder.
pub(crate) fn has_placeholder(s: &str) -> bool {
    find_placeholder(s).is_some()
}

/// The host of a URL (`https://host:443/path` → `host`).
pub(crate) fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next()?
    } else {
        authority.split(':').next()?
    };
    (!host.is_empty()).then_some(host)
}

/// Where to point for a finding about `paths`: the first one a file set.
fn point(g: &Group<'_, '_>, paths: &[Path]) -> Option<(usize, Span)> {
    paths.iter().find_map(|p| g.value_at(p))
}

/// The host name the chart serves.
pub(crate) fn hostname_path(chart: ChartName) -> Option<Path> {
    match chart {
        ChartName::Service | ChartName::Router => Some(Path::keys("services.service.hostname")),
        ChartName::WebUi => Some(Path::keys("services.ui.hostname")),
        ChartName::BackendOperator => None,
    }
}

/// The run-time checks of one chart's merged values.
pub(crate) fn check(g: &Group<'_, '_>, sink: &mut Sink) {
    if g.chart.name == ChartName::BackendOperator {
        return;
    }
    // Without Envoy there are no JWT providers, clusters or auth checks.
    if !g.truthy(&Path::keys("sidecars.envoy.enabled")) {
        return;
    }
    providers(g, sink);
    oauth2_proxy(g, sink);
    cookie_domain(g, sink);
}

fn providers(g: &Group<'_, '_>, sink: &mut Sink) {
    let list_path = Path::keys("sidecars.envoy.jwt.providers");
    let host_path = Path::keys("sidecars.envoy.idp.host");
    if !g.changed(&list_path) && !g.changed(&host_path) {
        return;
    }
    let Some(Value::Array(list)) = g.get(&list_path) else {
        return;
    };
    let host = g.str(&host_path);
    for (i, p) in list.iter().enumerate() {
        let cluster_path = list_path.clone().index(i).key("cluster");
        let Some(cluster) = p.get("cluster").and_then(Value::as_str) else {
            continue;
        };
        let jwks = p.get("jwks_uri").and_then(Value::as_str).unwrap_or("");
        let jwks_host = url_host(jwks).filter(|h| !has_placeholder(h));
        let Some((file, at)) = g.value_at(&cluster_path) else {
            continue;
        };
        match cluster {
            "oauth" => {} // refused: reported by OV204
            "idp" => match host {
                None => {
                    let mut d = diag(
                        code::IDP_HOST,
                        file,
                        at,
                        format!(
                            "JWT provider {i} uses cluster `idp`, but `sidecars.envoy.idp.host` is not set: \
                             the chart defines no `idp` cluster and Envoy cannot fetch the signing keys"
                        ),
                    )
                    .with_path(cluster_path.clone());
                    d = d.with_help(match jwks_host {
                        Some(h) => format!("set `sidecars.envoy.idp.host: {h}` (the host of this provider's jwks_uri)"),
                        None => "set `sidecars.envoy.idp.host` to the host name of this provider's jwks_uri".to_owned(),
                    });
                    sink.push(d);
                }
                Some(h) => {
                    if let Some(jh) = jwks_host
                        && !has_placeholder(h)
                        && !jh.eq_ignore_ascii_case(h)
                    {
                        let (hf, hs) = g.value_at(&host_path).unwrap_or((file, at));
                        let mut d = diag(
                            code::IDP_HOST,
                            hf,
                            hs,
                            format!(
                                "`sidecars.envoy.idp.host` is `{h}`, but JWT provider {i} fetches its keys from `{jh}`"
                            ),
                        )
                        .with_path(host_path.clone())
                        .with_help(format!("set `sidecars.envoy.idp.host: {jh}`"));
                        if let Some((jf, js)) =
                            g.value_at(&list_path.clone().index(i).key("jwks_uri"))
                        {
                            d = d.with_related(related(jf, js, "the provider's jwks_uri"));
                        }
                        sink.push(d);
                    }
                }
            },
            other => {
                if let Some(d) = undefined_cluster(g, other, i, file, at, &cluster_path) {
                    sink.push(d);
                }
            }
        }
    }
}

/// The finding for a provider naming a cluster the chart does not define.
fn undefined_cluster(
    g: &Group<'_, '_>,
    cluster: &str,
    i: usize,
    file: usize,
    at: Span,
    path: &Path,
) -> Option<Diagnostic> {
    // (cluster, the switch that defines it, if any)
    let table: &[(&str, Option<&str>)] = match g.chart.name {
        ChartName::Service => &[
            ("service", None),
            ("oauth2-proxy", Some("sidecars.oauth2Proxy.enabled")),
            ("authz-sidecar", Some("sidecars.authz.enabled")),
            ("rate-limit", Some("sidecars.rateLimit.enabled")),
        ],
        ChartName::Router => &[
            ("service", None),
            ("osmoauth", Some("sidecars.envoy.osmoauth.enabled")),
            ("oauth2-proxy", Some("sidecars.oauth2Proxy.enabled")),
            ("authz-sidecar", Some("sidecars.authz.enabled")),
        ],
        ChartName::WebUi => &[
            ("service", None),
            ("oauth2-proxy", Some("sidecars.oauth2Proxy.enabled")),
        ],
        ChartName::BackendOperator => &[],
    };
    let known: Vec<String> = std::iter::once("idp".to_owned())
        .chain(table.iter().map(|(c, _)| (*c).to_owned()))
        .collect();
    match table.iter().find(|(c, _)| *c == cluster) {
        Some((_, None)) => None,
        Some((_, Some(switch))) => {
            if g.truthy(&Path::keys(switch)) {
                return None;
            }
            Some(
                diag(
                    code::UNDEFINED_CLUSTER,
                    file,
                    at,
                    format!("JWT provider {i} uses cluster `{cluster}`, which the {} chart only defines when `{switch}` is true", g.chart.name),
                )
                .with_path(path.clone())
                .with_help(format!("set `{switch}: true`, or use another cluster")),
            )
        }
        None => {
            let hint = match (g.chart.name, cluster) {
                (ChartName::Router, "service") => None,
                (ChartName::Service, "osmoauth") => {
                    Some(" (OSMO-issued tokens use cluster `service` in the service chart)")
                }
                (ChartName::WebUi, "osmoauth") => {
                    Some(" (the web-ui chart has no `osmoauth` cluster)")
                }
                _ => None,
            };
            Some(
                diag(
                    code::UNDEFINED_CLUSTER,
                    file,
                    at,
                    format!("JWT provider {i} uses cluster `{cluster}`, which the {} chart does not define", g.chart.name),
                )
                .with_path(path.clone())
                .with_help(format!(
                    "use one of {}{}",
                    known.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
                    hint.unwrap_or("")
                )),
            )
        }
    }
}

fn oauth2_proxy(g: &Group<'_, '_>, sink: &mut Sink) {
    let enabled = Path::keys("sidecars.oauth2Proxy.enabled");
    let issuer_p = Path::keys("sidecars.oauth2Proxy.oidcIssuerUrl");
    let client_p = Path::keys("sidecars.oauth2Proxy.clientId");
    let providers_p = Path::keys("sidecars.envoy.jwt.providers");
    if !g.truthy(&enabled) {
        return;
    }
    // Only once the user configures oauth2-proxy's identity provider: the
    // chart's own defaults (enabled, both empty) are not the user's finding.
    if !(g.changed(&issuer_p) || g.changed(&client_p)) {
        return;
    }
    let issuer = g.str(&issuer_p);
    let client = g.str(&client_p);
    if issuer.is_none() || client.is_none() {
        let missing: Vec<&str> = [("oidcIssuerUrl", issuer), ("clientId", client)]
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| *n)
            .collect();
        let at = point(g, &[issuer_p.clone(), client_p.clone(), enabled.clone()]).or_else(|| {
            let proxy = Path::keys("sidecars.oauth2Proxy");
            g.key_at(&proxy).or_else(|| g.key_at(&providers_p))
        });
        if let Some((file, at)) = at {
            sink.push(
                diag(
                    code::OAUTH2_PROXY_INCOMPLETE,
                    file,
                    at,
                    format!(
                        "oauth2-proxy is enabled without {}: the sidecar cannot start",
                        missing.iter().map(|m| format!("`sidecars.oauth2Proxy.{m}`")).collect::<Vec<_>>().join(" and ")
                    ),
                )
                .with_path(Path::keys("sidecars.oauth2Proxy"))
                .with_help("set them from your identity provider's application registration, or set `sidecars.oauth2Proxy.enabled: false`"),
            );
        }
        return;
    }
    let (Some(issuer), Some(client)) = (issuer, client) else {
        return;
    };
    let Some(Value::Array(list)) = g.get(&providers_p) else {
        return;
    };
    if list.is_empty() {
        return;
    }
    let matching: Vec<usize> = list
        .iter()
        .enumerate()
        .filter(|(_, p)| p.get("issuer").and_then(Value::as_str) == Some(issuer))
        .map(|(i, _)| i)
        .collect();
    if matching.is_empty() {
        if !(g.changed(&issuer_p) || g.changed(&providers_p)) {
            return;
        }
        let Some((file, at)) = g.value_at(&issuer_p) else {
            return;
        };
        let near = list.iter().enumerate().find(|(_, p)| {
            p.get("issuer")
                .and_then(Value::as_str)
                .is_some_and(|s| s.trim_end_matches('/') == issuer.trim_end_matches('/'))
        });
        let mut d = diag(
            code::ISSUER_MISMATCH,
            file,
            at,
            format!("no JWT provider has the issuer `{issuer}` that oauth2-proxy logs in with: Envoy refuses its tokens"),
        )
        .with_path(issuer_p.clone());
        d = match near {
            Some((i, p)) => {
                let other = p.get("issuer").and_then(Value::as_str).unwrap_or_default();
                if let Some((f, s)) = g.value_at(&providers_p.clone().index(i).key("issuer")) {
                    d = d.with_related(related(f, s, "this provider's issuer differs only by a trailing slash"));
                }
                d.with_help(format!("issuers must match exactly: `{other}` vs `{issuer}`"))
            }
            None => d.with_help("add a JWT provider with this issuer (and `audience` = the client id), or fix `oidcIssuerUrl`"),
        };
        sink.push(d);
        return;
    }
    // Several providers may share the issuer (ID and access tokens); one
    // of them must accept the client id.
    if matching
        .iter()
        .any(|&i| list[i].get("audience").and_then(Value::as_str) == Some(client))
    {
        return;
    }
    let i = matching[0];
    let aud_p = providers_p.clone().index(i).key("audience");
    let audience = list[i]
        .get("audience")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !(g.changed(&aud_p) || g.changed(&client_p) || g.changed(&providers_p)) {
        return;
    }
    let Some((file, at)) = point(
        g,
        &[aud_p.clone(), providers_p.clone().index(i).key("issuer")],
    ) else {
        return;
    };
    let mut d = diag(
        code::AUDIENCE_MISMATCH,
        file,
        at,
        format!("JWT provider {i} expects audience `{audience}`, but oauth2-proxy logs in as client `{client}`"),
    )
    .with_path(aud_p.clone())
    .with_help(format!("set `audience: {client}`"));
    if let Some((f, s)) = g.value_at(&client_p) {
        d = d.with_related(related(f, s, "the oauth2-proxy client id"));
    }
    sink.push(d);
}

fn cookie_domain(g: &Group<'_, '_>, sink: &mut Sink) {
    let domain_p = Path::keys("sidecars.oauth2Proxy.cookieDomain");
    let Some(host_p) = hostname_path(g.chart.name) else {
        return;
    };
    if !g.truthy(&Path::keys("sidecars.oauth2Proxy.enabled"))
        || !(g.changed(&domain_p) || g.changed(&host_p))
    {
        return;
    }
    let (Some(domain), Some(host)) = (g.str(&domain_p), g.str(&host_p)) else {
        return;
    };
    if has_placeholder(domain) || has_placeholder(host) {
        return;
    }
    let bare = domain.trim_start_matches('.').to_ascii_lowercase();
    let host_l = host.to_ascii_lowercase();
    if host_l == bare || host_l.ends_with(&format!(".{bare}")) {
        return;
    }
    let Some((file, at)) = g.value_at(&domain_p) else {
        return;
    };
    let mut d = diag(
        code::COOKIE_DOMAIN,
        file,
        at,
        format!("cookie domain `{domain}` does not cover the host name `{host}`: browsers will not send the session cookie"),
    )
    .with_path(domain_p.clone())
    .with_help(format!("use `{host}` or one of its parent domains"));
    if let Some((f, s)) = g.value_at(&host_p) {
        d = d.with_related(related(f, s, "the host name"));
    }
    sink.push(d);
}
