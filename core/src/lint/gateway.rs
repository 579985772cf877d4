//! The 6.3.1 gateway's authentication, judged on the effective values (the
//! chart defaults with the users' files merged over them): JWT providers
//! against the Envoy clusters the gateway defines (OV301, OV302), their
//! `jwks_uri` scheme against upstream TLS (OV312), routes naming clusters
//! (OV302), oauth2-proxy's settings (OV303, OV315) and its agreement with
//! the JWT providers and the host name (OV304, OV305, OV306).
//!
//! Unlike the 6.2 rules, a breaker that comes from a chart default left in
//! place is reported too (oauth2-proxy is on by default with no identity
//! provider): at the place in the users' file where the missing setting
//! belongs, or at its first line, saying which default is in effect.

use serde_json::Value;

use crate::ChartName;
use crate::diagnostic::{Diagnostic, Edit, Fix, Pos, Span};
use crate::path::Path;
use crate::release::{Defined, v6_3};

use super::merge::Group;
use super::runtime::{has_placeholder, url_host};
use super::{Sink, code, diag, related};

/// The span of a file's first line: where a finding about something the
/// file does not say at all is reported.
pub(crate) fn first_line() -> Span {
    let start = Pos {
        offset: 0,
        line: 1,
        column: 1,
    };
    Span { start, end: start }
}

/// Where to report a finding about a setting the users' files may not
/// write: the first of `paths` whose key a file writes, else the nearest
/// ancestor of one of them a file writes, else the first line of the
/// install's first file.
pub(crate) fn anchor(g: &Group<'_, '_>, paths: &[Path]) -> (usize, Span) {
    if let Some(at) = paths.iter().find_map(|p| g.last_key(p)) {
        return at;
    }
    for p in paths {
        let mut up = p.parent();
        while let Some(a) = up {
            if a.is_root() {
                break;
            }
            if let Some(at) = g.last_key(&a) {
                return at;
            }
            up = a.parent();
        }
    }
    (g.files.first().map_or(0, |f| f.index), first_line())
}

/// Words saying that the effective value at `path` is the chart's default
/// (empty when a file changed it), to append to a message.
pub(crate) fn default_note(g: &Group<'_, '_>, path: &Path) -> String {
    if g.changed(path) {
        return String::new();
    }
    match g.get(path) {
        Some(v) => format!(" (`{path}: {}` is the chart's default)", show(v)),
        None => String::new(),
    }
}

/// A value as an operator would write it.
pub(crate) fn show(v: &Value) -> String {
    match v {
        Value::String(s) if s.is_empty() => "\"\"".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The public host name of the service chart at 6.3.1 and where it comes
/// from: `gateway.envoy.hostname`, else `global.hostname`.
pub(crate) fn public_host(effective: &Value) -> Option<(&str, Path)> {
    ["gateway.envoy.hostname", "global.hostname"]
        .into_iter()
        .map(Path::keys)
        .find_map(|p| {
            super::merge::get(effective, &p)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(|s| (s, p))
        })
}

/// The 6.3.1 gateway checks of the service chart's effective values.
pub(crate) fn check(g: &Group<'_, '_>, sink: &mut Sink) {
    if g.chart.name != ChartName::Service || !g.chart.release.has_gateway() {
        return;
    }
    let envoy = g.truthy(&Path::keys("gateway.envoy.enabled"));
    if envoy {
        let clusters = Clusters::of(g);
        providers(g, &clusters, sink);
        routes(g, &clusters, sink);
    }
    oauth2_proxy(g, sink);
    if envoy {
        proxy_providers(g, sink);
    }
    cookie_domain(g, sink);
}

/// Whether the gateway defines an Envoy cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// It does.
    Defined,
    /// Only when the switch at this path is on (it is off).
    Off(String),
    /// Never (with a hint, if the name is a known mistake).
    Undefined(Option<String>),
}

/// The clusters of the effective gateway configuration.
struct Clusters {
    /// Every cluster the gateway can define: name, whether it is defined now,
    /// and the switch that defines it.
    known: Vec<(String, bool, Option<String>)>,
    /// The name of the cluster for OSMO-issued tokens.
    internal: String,
    /// Whether that cluster is on.
    internal_on: bool,
}

impl Clusters {
    fn of(g: &Group<'_, '_>) -> Clusters {
        let mut known = Vec::new();
        for c in g.chart.facts().envoy_clusters {
            let (defined, switch) = match c.defined {
                Defined::Always => (true, None),
                Defined::Switch(p) => (g.truthy(&Path::keys(p)), Some(p.to_owned())),
                Defined::NonEmpty(p) => (g.str(&Path::keys(p)).is_some(), Some(p.to_owned())),
            };
            known.push((c.name.to_owned(), defined, switch));
        }
        let jwks = Path::keys("gateway.envoy.internalJwks");
        let internal = g
            .str(&jwks.clone().key("cluster"))
            .unwrap_or(v6_3::INTERNAL_JWKS_CLUSTER)
            .to_owned();
        let internal_on = g.truthy(&jwks.clone().key("enabled"));
        known.push((
            internal.clone(),
            internal_on,
            Some("gateway.envoy.internalJwks.enabled".to_owned()),
        ));
        if let Some(Value::Array(extra)) = g.get(&Path::keys("gateway.envoy.extraClusters")) {
            for c in extra {
                if let Some(name) = c.get("name").and_then(Value::as_str) {
                    known.push((name.to_owned(), true, None));
                }
            }
        }
        Clusters {
            known,
            internal,
            internal_on,
        }
    }

    fn state(&self, name: &str, route: bool) -> State {
        let found: Vec<&(String, bool, Option<String>)> =
            self.known.iter().filter(|(n, _, _)| n == name).collect();
        if found.iter().any(|(_, on, _)| *on) {
            return State::Defined;
        }
        if let Some((_, _, Some(switch))) = found.first() {
            return State::Off(switch.clone());
        }
        let internal = if self.internal_on {
            format!(
                "OSMO-issued tokens use cluster `{}` (`gateway.envoy.internalJwks.cluster`)",
                self.internal
            )
        } else {
            "OSMO-issued tokens need `gateway.envoy.internalJwks.enabled: true` and its cluster"
                .to_owned()
        };
        let hint = match name {
            "service" if route => Some(
                "`service` is the 6.2 name of the API service's cluster; it is now `osmo-service`"
                    .to_owned(),
            ),
            "service" | "osmoauth" => Some(format!(
                "`{name}` is the 6.2 cluster for OSMO's own signing keys; {internal}"
            )),
            "authz-sidecar" => Some("the 6.2 cluster `authz-sidecar` is now `authz`".to_owned()),
            "oauth" => Some("the identity provider's cluster is `idp`".to_owned()),
            n if n == v6_3::INTERNAL_JWKS_CLUSTER => Some(internal),
            _ => None,
        };
        State::Undefined(hint)
    }

    /// The clusters defined now, for a help text.
    fn defined_list(&self) -> String {
        let mut names: Vec<&str> = self
            .known
            .iter()
            .filter(|(_, on, _)| *on)
            .map(|(n, _, _)| n.as_str())
            .collect();
        names.dedup();
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether the cluster speaks TLS when upstream TLS is on (and plain
    /// HTTP when it is off): the clusters to OSMO's own services.
    fn follows_upstream_tls(&self, name: &str) -> bool {
        (self.internal_on && name == self.internal)
            || ["osmo-service", "osmo-router", "osmo-agent", "osmo-logger"].contains(&name)
    }
}

/// The finding for something naming a cluster the gateway does not define.
fn cluster_finding(
    clusters: &Clusters,
    what: &str,
    cluster: &str,
    file: usize,
    at: Span,
    path: &Path,
    consequence: &str,
) -> Option<Diagnostic> {
    let (message, help) = match clusters.state(cluster, what.starts_with("route")) {
        State::Defined => return None,
        State::Off(switch) => (
            format!(
                "{what} uses cluster `{cluster}`, which the gateway defines only while `{switch}` is on: {consequence}"
            ),
            format!("turn on `{switch}`, or use another cluster"),
        ),
        State::Undefined(hint) => (
            format!(
                "{what} uses cluster `{cluster}`, which the gateway does not define: {consequence}"
            ),
            match hint {
                Some(h) => h,
                None => format!(
                    "use one of {} (or add it to `gateway.envoy.extraClusters`)",
                    clusters.defined_list()
                ),
            },
        ),
    };
    Some(
        diag(code::UNDEFINED_CLUSTER, file, at, message)
            .with_path(path.clone())
            .with_help(help),
    )
}

/// JWT providers: their cluster, the `idp` host and the `jwks_uri` scheme.
fn providers(g: &Group<'_, '_>, clusters: &Clusters, sink: &mut Sink) {
    let list_p = Path::keys("gateway.envoy.jwt.providers");
    let host_p = Path::keys("gateway.envoy.idp.host");
    let Some(Value::Array(list)) = g.get(&list_p) else {
        return;
    };
    let host = g.str(&host_p);
    for (i, p) in list.iter().enumerate() {
        let item = list_p.clone().index(i);
        let cluster_p = item.clone().key("cluster");
        let jwks_p = item.clone().key("jwks_uri");
        let Some(cluster) = p.get("cluster").and_then(Value::as_str) else {
            continue;
        };
        let Some((file, at)) = g.value_at(&cluster_p) else {
            continue;
        };
        let jwks = p.get("jwks_uri").and_then(Value::as_str).unwrap_or("");
        let jwks_host = url_host(jwks).filter(|h| !has_placeholder(h));
        let what = format!("JWT provider {i}");
        if cluster == "idp" {
            match host {
                None => sink.push(
                    diag(
                        code::IDP_HOST,
                        file,
                        at,
                        format!(
                            "{what} uses cluster `idp`, but `gateway.envoy.idp.host` is not set: the gateway \
                             defines no `idp` cluster, cannot fetch the signing keys, and refuses every token \
                             of this identity provider"
                        ),
                    )
                    .with_path(cluster_p.clone())
                    .with_help(match jwks_host {
                        Some(h) => format!(
                            "set `gateway.envoy.idp.host: {h}` (the host of this provider's jwks_uri)"
                        ),
                        None => "set `gateway.envoy.idp.host` to the host name of this provider's jwks_uri"
                            .to_owned(),
                    }),
                ),
                Some(h) => {
                    if let Some(jh) = jwks_host
                        && !has_placeholder(h)
                        && !jh.eq_ignore_ascii_case(h)
                    {
                        let (hf, hs) = g.value_at(&host_p).unwrap_or((file, at));
                        let mut d = diag(
                            code::IDP_HOST,
                            hf,
                            hs,
                            format!(
                                "`gateway.envoy.idp.host` is `{h}`, but {what} fetches its keys from `{jh}`: \
                                 the `idp` cluster connects to the wrong server"
                            ),
                        )
                        .with_path(host_p.clone())
                        .with_help(format!(
                            "set `gateway.envoy.idp.host: {jh}`; every provider on cluster `idp` must fetch \
                             its keys from that one host (add another host with `gateway.envoy.extraClusters`)"
                        ));
                        if let Some((jf, js)) = g.value_at(&jwks_p) {
                            d = d.with_related(related(jf, js, "the provider's jwks_uri"));
                        }
                        sink.push(d);
                    }
                }
            }
            if let Some(d) = scheme(g, &what, jwks, &jwks_p, "idp", true, None) {
                sink.push(d);
            }
            continue;
        }
        if let Some(d) = cluster_finding(
            clusters,
            &what,
            cluster,
            file,
            at,
            &cluster_p,
            "Envoy cannot fetch its signing keys and refuses its tokens",
        ) {
            sink.push(d);
            continue;
        }
        let tls_p = Path::keys("gateway.tls.enabled");
        if clusters.follows_upstream_tls(cluster) {
            let tls = g.truthy(&tls_p);
            if let Some(d) = scheme(g, &what, jwks, &jwks_p, cluster, tls, Some(&tls_p)) {
                sink.push(d);
            }
        } else if cluster == "osmo-ui"
            && let Some(d) = scheme(g, &what, jwks, &jwks_p, cluster, false, None)
        {
            sink.push(d);
        }
    }
}

/// OV312: a `jwks_uri` whose scheme does not match what its cluster speaks.
fn scheme(
    g: &Group<'_, '_>,
    what: &str,
    jwks: &str,
    jwks_p: &Path,
    cluster: &str,
    tls: bool,
    tls_p: Option<&Path>,
) -> Option<Diagnostic> {
    let (written, rest) = jwks.split_once("://")?;
    let written = written.to_ascii_lowercase();
    let want = if tls { "https" } else { "http" };
    if !matches!(written.as_str(), "http" | "https") || written == want {
        return None;
    }
    let (file, at) = g.value_at(jwks_p)?;
    let why = match tls_p {
        Some(p) => format!(
            "cluster `{cluster}` speaks {} because `{p}` is {tls}{}",
            if tls { "TLS" } else { "plain HTTP" },
            if g.changed(p) {
                ""
            } else {
                " (the chart's default)"
            }
        ),
        None if tls => format!("cluster `{cluster}` always speaks TLS (port 443)"),
        None => format!("cluster `{cluster}` always speaks plain HTTP"),
    };
    let fixed = format!("{want}://{rest}");
    let mut d = diag(
        code::JWKS_SCHEME,
        file,
        at,
        format!(
            "{what}'s jwks_uri `{jwks}` is {}, but {why}: the signing keys are never fetched and its tokens are refused",
            if written == "https" { "HTTPS" } else { "plain HTTP" }
        ),
    )
    .with_path(jwks_p.clone())
    .with_help(match tls_p {
        Some(p) => format!("write `{fixed}` (or set `{p}: {}`)", !tls),
        None => format!("write `{fixed}`"),
    });
    if let Some((src, node)) = g.origin(jwks_p)
        && let Some(raw) = node.scalar.as_ref().map(|x| x.raw.as_str())
    {
        let quoted = usize::from(raw.starts_with(['"', '\'']));
        let start = node.span.start.offset + quoted;
        d = d.with_fix(Fix {
            description: format!("write {fixed}"),
            edits: vec![Edit {
                file: src.index,
                start,
                end: start + written.len(),
                replacement: want.to_owned(),
            }],
            machine_applicable: false,
        });
    }
    if let Some(p) = tls_p
        && let Some((f, s)) = g.value_at(p)
    {
        d = d.with_related(related(f, s, "upstream TLS"));
    }
    Some(d)
}

/// Routes naming clusters (`extraRoutes`, and `serviceRoutes` when set).
fn routes(g: &Group<'_, '_>, clusters: &Clusters, sink: &mut Sink) {
    for key in ["extraRoutes", "serviceRoutes"] {
        let list_p = Path::keys("gateway.envoy").key(key);
        let Some(Value::Array(list)) = g.get(&list_p) else {
            continue;
        };
        for (i, r) in list.iter().enumerate() {
            let Some(cluster) = r
                .get("route")
                .and_then(|x| x.get("cluster"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let p = list_p.clone().index(i).key("route").key("cluster");
            let Some((file, at)) = g.value_at(&p) else {
                continue;
            };
            if let Some(d) = cluster_finding(
                clusters,
                &format!("route {i} of `{list_p}`"),
                cluster,
                file,
                at,
                &p,
                "Envoy refuses the whole route table and the gateway serves nothing",
            ) {
                sink.push(d);
            }
        }
    }
}

/// OV303 (identity provider or secrets missing) and OV315 (no host name
/// for the redirect URL) while oauth2-proxy is on.
fn oauth2_proxy(g: &Group<'_, '_>, sink: &mut Sink) {
    let base = Path::keys("gateway.oauth2Proxy");
    let enabled_p = base.clone().key("enabled");
    if !g.truthy(&enabled_p) {
        return;
    }
    let on = if g.changed(&enabled_p) {
        "oauth2-proxy is enabled".to_owned()
    } else {
        "oauth2-proxy is on by the chart's default (`gateway.oauth2Proxy.enabled: true`)".to_owned()
    };
    let off = "or set `gateway.oauth2Proxy.enabled: false` if you use no identity provider";
    let issuer_p = base.clone().key("oidcIssuerUrl");
    let client_p = base.clone().key("clientId");
    let missing: Vec<&Path> = [&issuer_p, &client_p]
        .into_iter()
        .filter(|p| g.str(p).is_none())
        .collect();
    if !missing.is_empty() {
        let (file, at) = missing
            .iter()
            .find_map(|p| g.value_at(p))
            .unwrap_or_else(|| anchor(g, &[base.clone(), enabled_p.clone()]));
        let names = missing
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        sink.push(
            diag(
                code::OAUTH2_PROXY_INCOMPLETE,
                file,
                at,
                format!("{on} without {names}: it cannot start and browser log-in fails"),
            )
            .with_path(base.clone())
            .with_help(format!(
                "set `oidcIssuerUrl` and `clientId` from your identity provider's application registration, {off}"
            )),
        );
    }
    let k8s_p = base.clone().key("useKubernetesSecrets");
    let injected = ["extraPodAnnotations", "extraVolumes", "extraVolumeMounts"]
        .iter()
        .any(|k| g.truthy(&base.clone().key(*k)));
    if !g.truthy(&k8s_p) && !injected {
        let file_p = base.clone().key("secretPaths").key("cookieSecret");
        let file = g.str(&file_p).unwrap_or("/etc/oauth2-proxy/cookie-secret");
        let (f, at) = g
            .value_at(&k8s_p)
            .unwrap_or_else(|| anchor(g, &[k8s_p.clone(), base.clone(), enabled_p.clone()]));
        sink.push(
            diag(
                code::OAUTH2_PROXY_INCOMPLETE,
                f,
                at,
                format!(
                    "{on} with `useKubernetesSecrets: false`{}: it reads its client and cookie secrets from the file \
                     `{file}`, which nothing mounts (no extra volumes, no injector annotations), so it crash-loops",
                    if g.changed(&k8s_p) { "" } else { " (the chart's default)" }
                ),
            )
            .with_path(k8s_p.clone())
            .with_help(format!(
                "set `useKubernetesSecrets: true` and create the Secret `{}` with the keys `client_secret` and \
                 `cookie_secret`, {off}",
                g.str(&base.clone().key("secretName")).unwrap_or("oauth2-proxy-secrets")
            )),
        );
    }
    if public_host(&g.effective).is_none() {
        let (file, at) = anchor(
            g,
            &[
                Path::keys("global.hostname"),
                Path::keys("gateway.envoy.hostname"),
                base.clone(),
            ],
        );
        sink.push(
            diag(
                code::OAUTH2_REDIRECT_HOST,
                file,
                at,
                format!(
                    "{on}, but neither `gateway.envoy.hostname` nor `global.hostname` is set: it sends browsers \
                     back to `https:///oauth2/callback` after log-in, which fails"
                ),
            )
            .with_path(Path::keys("global.hostname"))
            .with_help(format!(
                "set `global.hostname` to the public host name (and register `https://<host>/oauth2/callback` \
                 with your identity provider), {off}"
            )),
        );
    }
}

/// OV304, OV305: the tokens oauth2-proxy obtains must pass the gateway's
/// JWT validation.
fn proxy_providers(g: &Group<'_, '_>, sink: &mut Sink) {
    let base = Path::keys("gateway.oauth2Proxy");
    let issuer_p = base.clone().key("oidcIssuerUrl");
    let client_p = base.clone().key("clientId");
    let list_p = Path::keys("gateway.envoy.jwt.providers");
    if !g.truthy(&base.clone().key("enabled")) {
        return;
    }
    let (Some(issuer), Some(client)) = (g.str(&issuer_p), g.str(&client_p)) else {
        return;
    };
    let empty = Vec::new();
    let list = match g.get(&list_p) {
        Some(Value::Array(l)) => l,
        _ => &empty,
    };
    let matching: Vec<usize> = list
        .iter()
        .enumerate()
        .filter(|(_, p)| p.get("issuer").and_then(Value::as_str) == Some(issuer))
        .map(|(i, _)| i)
        .collect();
    if matching.is_empty() {
        let Some((file, at)) = g.value_at(&issuer_p) else {
            return;
        };
        let mut d = diag(
            code::ISSUER_MISMATCH,
            file,
            at,
            if list.is_empty() {
                format!(
                    "the gateway has no JWT provider (`{list_p}` is empty), so the tokens oauth2-proxy obtains \
                     from `{issuer}` are never read: no user identity reaches OSMO after log-in"
                )
            } else {
                format!(
                    "no JWT provider has the issuer `{issuer}` that oauth2-proxy logs in with: the gateway \
                     refuses its tokens right after log-in"
                )
            },
        )
        .with_path(issuer_p.clone());
        let near = list.iter().enumerate().find(|(_, p)| {
            p.get("issuer")
                .and_then(Value::as_str)
                .is_some_and(|s| s.trim_end_matches('/') == issuer.trim_end_matches('/'))
        });
        d = match near {
            Some((i, p)) => {
                let other = p.get("issuer").and_then(Value::as_str).unwrap_or_default();
                if let Some((f, s)) = g.value_at(&list_p.clone().index(i).key("issuer")) {
                    d = d.with_related(related(
                        f,
                        s,
                        "this provider's issuer differs only by a trailing slash",
                    ));
                }
                d.with_help(format!(
                    "issuers must match exactly: `{other}` vs `{issuer}`"
                ))
            }
            None => d.with_help(format!(
                "add a provider to `{list_p}` with `issuer: {issuer}`, `audience: {client}`, the identity \
                 provider's jwks_uri and `cluster: idp`"
            )),
        };
        sink.push(d);
        return;
    }
    if matching
        .iter()
        .any(|&i| list[i].get("audience").and_then(Value::as_str) == Some(client))
    {
        return;
    }
    let i = matching[0];
    let aud_p = list_p.clone().index(i).key("audience");
    let audience = list[i]
        .get("audience")
        .and_then(Value::as_str)
        .unwrap_or("");
    let Some((file, at)) = g
        .value_at(&aud_p)
        .or_else(|| g.value_at(&list_p.clone().index(i).key("issuer")))
    else {
        return;
    };
    let mut d = diag(
        code::AUDIENCE_MISMATCH,
        file,
        at,
        format!(
            "JWT provider {i} expects audience `{audience}`, but oauth2-proxy logs in as client `{client}`: \
             the gateway refuses its tokens"
        ),
    )
    .with_path(aud_p)
    .with_help(format!("set `audience: {client}`"));
    if let Some((f, s)) = g.value_at(&client_p) {
        d = d.with_related(related(f, s, "the oauth2-proxy client id"));
    }
    sink.push(d);
}

/// OV306: the session cookie's domain must cover the public host name.
fn cookie_domain(g: &Group<'_, '_>, sink: &mut Sink) {
    let domain_p = Path::keys("gateway.oauth2Proxy.cookieDomain");
    if !g.truthy(&Path::keys("gateway.oauth2Proxy.enabled")) {
        return;
    }
    let Some(domain) = g.str(&domain_p) else {
        return;
    };
    let Some((host, host_p)) = public_host(&g.effective) else {
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
        format!(
            "cookie domain `{domain}` does not cover the host name `{host}`: browsers will not send the session cookie"
        ),
    )
    .with_path(domain_p.clone())
    .with_help(format!("use `{host}` or one of its parent domains"));
    if let Some((f, s)) = g.value_at(&host_p) {
        d = d.with_related(related(f, s, "the host name"));
    }
    sink.push(d);
}
