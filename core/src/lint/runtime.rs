//! Values the charts accept but that break at run time (OV3xx): identity
//! provider wiring, Envoy clusters, oauth2-proxy, cookies and placeholders.
//!
//! Rules that judge the merged values only speak when the user's files
//! changed one of the values involved: restating the chart defaults is
//! never the user's finding.

// Its OV3xx rules judge 6.2.10 files only: without the feature `release-6-2` (the browser
// wizard) `lint` leaves them out; the placeholder and URL helpers stay for every release.
#![cfg_attr(not(feature = "release-6-2"), allow(dead_code, unused_imports))]

use serde_json::Value;

use crate::ChartName;
use crate::diagnostic::{Diagnostic, Span};
use crate::path::Path;
use crate::yaml::{Node, NodeValue};

use super::merge::{Group, Side, merge_overwrite, overwrite_side, overwritten_at, truthy};
use super::source::{SourceFile, Step, path_of, span};
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
    // Most strings hold no `<` at all: one scan says so.
    if !bytes.contains(&b'<') {
        return None;
    }
    let mut i = 0;
    // `<` is ASCII: a byte search finds the same offsets as a char search.
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
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

/// Reports placeholders left in the key and the string value of one node
/// of a file's walk (the steps down to it as `walk_steps` gives them).
pub(crate) fn placeholders_at(
    file: &SourceFile<'_>,
    steps: &[Step<'_>],
    key: Option<&Node>,
    node: &Node,
    sink: &mut Sink,
) {
    if let Some(k) = key
        && let NodeValue::String(text) = &k.value
        && let Some(p) = find_placeholder(text)
    {
        let path = path_of(steps);
        sink.push(
            diag(
                code::PLACEHOLDER,
                file.index,
                span(k.span),
                format!("placeholder `{p}` left in a key"),
            )
            .with_path(path)
            .with_help("replace it with your real value"),
        );
    }
    if let NodeValue::String(text) = &node.value {
        let found = placeholders(text);
        if found.is_empty() {
            return;
        }
        let path = path_of(steps);
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
            .with_path(path)
            .with_help("replace it with your real value"),
        );
    }
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

/// The values path of the host name the chart serves.
pub(crate) fn hostname_path(chart: crate::Chart) -> Option<Path> {
    chart.facts().hostname.map(Path::keys)
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
    let empty = Value::Object(Default::default());
    let base = g.get(&Path::keys("sidecars.envoy")).unwrap_or(&empty);
    let shared = Envoy::shared(base);
    oauth2_route(g, sink);
    providers(g, &shared, sink);
    oauth2_proxy(g, &shared, sink);
    cookie_domain(g, sink);
    for env in Envoy::per_service(g, base) {
        providers(g, &env, sink);
        if let Some(found) = proxy_providers(g, &env) {
            sink.push(found);
        }
    }
}

/// The services of the service chart whose Envoy configuration a
/// `services.<name>.envoy` override is merged into, with the words that
/// name their Envoy in messages.
const ENVOY_SERVICES: [(&str, &str); 3] = [
    ("service", "the API service's Envoy"),
    ("logger", "the logger's Envoy"),
    ("agent", "the agent's Envoy"),
];

/// One Envoy configuration the chart renders: `sidecars.envoy` itself, or
/// a service's `services.<name>.envoy` merged over it (Sprig's
/// `mergeOverwrite`), with where each of its values was set.
struct Envoy<'v> {
    /// The service whose override is merged in (key, words), or `None`
    /// for `sidecars.envoy` as every service without an override sees it.
    service: Option<(&'static str, &'static str)>,
    /// `sidecars.envoy` after the Helm merge.
    base: &'v Value,
    /// The override as the users' files wrote it (`null`s kept).
    over: Option<&'v Value>,
    /// The merged configuration, when there is an override.
    merged: Option<Value>,
}

impl<'v> Envoy<'v> {
    /// `sidecars.envoy` itself.
    fn shared(base: &'v Value) -> Self {
        Envoy {
            service: None,
            base,
            over: None,
            merged: None,
        }
    }

    /// Each service's configuration whose override is a non-empty map and
    /// leaves Envoy enabled (the chart renders no configuration otherwise).
    fn per_service(g: &'v Group<'_, '_>, base: &'v Value) -> Vec<Self> {
        if g.chart.name != ChartName::Service {
            return Vec::new();
        }
        let mut out = Vec::new();
        for service in ENVOY_SERVICES {
            let path = Path::keys("services").key(service.0).key("envoy");
            let Some(over) = super::merge::get(&g.user, &path).filter(|v| truthy(v)) else {
                continue;
            };
            if !over.is_object() {
                continue;
            }
            let mut merged = base.clone();
            merge_overwrite(&mut merged, over);
            if !merged.get("enabled").is_some_and(truthy) {
                continue;
            }
            out.push(Envoy {
                service: Some(service),
                base,
                over: Some(over),
                merged: Some(merged),
            });
        }
        out
    }

    /// The effective configuration.
    fn value(&self) -> &Value {
        self.merged.as_ref().unwrap_or(self.base)
    }

    /// The effective value at `rel` (a path inside the Envoy block).
    fn get(&self, rel: &Path) -> Option<&Value> {
        super::merge::get(self.value(), rel)
    }

    /// The effective string at `rel`, if it is a non-empty string.
    fn str(&self, rel: &Path) -> Option<&str> {
        self.get(rel)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Whether the service's override set the value at `rel`.
    fn set_by_override(&self, rel: &Path) -> bool {
        self.over
            .is_some_and(|o| overwrite_side(self.base, o, rel) == Side::Over)
    }

    /// Whether the service's override set the value at `rel` to something
    /// other than `sidecars.envoy` has: only then is a finding about it
    /// this service's own (otherwise the shared check reports it). A value
    /// in a list counts as changed when the override's list differs.
    fn overridden(&self, rel: &Path) -> bool {
        let Some(over) = self.over else {
            return false;
        };
        overwritten_at(self.base, over, rel).is_some_and(|at| {
            super::merge::get(self.value(), &at) != super::merge::get(self.base, &at)
        })
    }

    /// The values path that set the value at `rel`.
    fn path(&self, rel: &Path) -> Path {
        let mut p = match self.service {
            Some((name, _)) if self.set_by_override(rel) => {
                Path::keys("services").key(name).key("envoy")
            }
            _ => Path::keys("sidecars.envoy"),
        };
        for seg in &rel.0 {
            p.push(seg.clone());
        }
        p
    }

    /// The override's own path for `rel` (`services.<name>.envoy...`), where
    /// a per-service fix belongs.
    fn override_path(&self, rel: &Path) -> Option<Path> {
        let (name, _) = self.service?;
        let mut p = Path::keys("services").key(name).key("envoy");
        for seg in &rel.0 {
            p.push(seg.clone());
        }
        Some(p)
    }

    /// How messages name JWT provider `i` of this configuration.
    fn provider(&self, i: usize) -> String {
        match self.service {
            None => format!("JWT provider {i}"),
            Some((_, words)) => format!("JWT provider {i} of {words}"),
        }
    }
}

fn providers(g: &Group<'_, '_>, env: &Envoy<'_>, sink: &mut Sink) {
    let list_rel = Path::keys("jwt.providers");
    let host_rel = Path::keys("idp.host");
    let list_path = env.path(&list_rel);
    let host_path = env.path(&host_rel);
    let shared = env.service.is_none();
    if shared && !g.changed(&list_path) && !g.changed(&host_path) {
        default_providers(g, env, sink);
        return;
    }
    let Some(Value::Array(list)) = env.get(&list_rel) else {
        return;
    };
    let host = env.str(&host_rel);
    for (i, p) in list.iter().enumerate() {
        let item_rel = list_rel.clone().index(i);
        let cluster_rel = item_rel.clone().key("cluster");
        let jwks_rel = item_rel.clone().key("jwks_uri");
        let cluster_path = env.path(&cluster_rel);
        let Some(cluster) = p.get("cluster").and_then(Value::as_str) else {
            continue;
        };
        let jwks = p.get("jwks_uri").and_then(Value::as_str).unwrap_or("");
        let jwks_host = url_host(jwks).filter(|h| !has_placeholder(h));
        let cluster_at = g.value_at(&cluster_path);
        if shared && cluster_at.is_none() {
            continue;
        }
        let provider = env.provider(i);
        match cluster {
            "oauth" => {} // refused or broken: reported by OV204
            "idp" => match host {
                None if shared => {
                    let Some((file, at)) = cluster_at else {
                        continue;
                    };
                    let mut d = diag(
                        code::IDP_HOST,
                        file,
                        at,
                        format!(
                            "{provider} uses cluster `idp`, but `sidecars.envoy.idp.host` is not set: \
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
                None => {
                    if let Some(d) =
                        per_service_missing_host(g, env, i, cluster_at, jwks_host, &cluster_path)
                    {
                        sink.push(d);
                    }
                }
                Some(h) => {
                    let Some(jh) = jwks_host else { continue };
                    if has_placeholder(h) || jh.eq_ignore_ascii_case(h) {
                        continue;
                    }
                    if !(shared || env.overridden(&host_rel) || env.overridden(&jwks_rel)) {
                        continue;
                    }
                    let Some((hf, hs)) = g.value_at(&host_path).or(cluster_at) else {
                        continue;
                    };
                    let fix_path = env.override_path(&host_rel).unwrap_or(host_path.clone());
                    let mut d = diag(
                        code::IDP_HOST,
                        hf,
                        hs,
                        format!(
                            "`{host_path}` is `{h}`, but {provider} fetches its keys from `{jh}`"
                        ),
                    )
                    .with_path(host_path.clone())
                    .with_help(format!("set `{fix_path}: {jh}`"));
                    if let Some((jf, js)) = g.value_at(&env.path(&jwks_rel)) {
                        d = d.with_related(related(jf, js, "the provider's jwks_uri"));
                    }
                    sink.push(d);
                }
            },
            other => {
                if !shared && !env.overridden(&cluster_rel) {
                    continue;
                }
                let Some((file, at)) = cluster_at else {
                    continue;
                };
                if let Some(d) = undefined_cluster(g, other, &provider, file, at, &cluster_path) {
                    sink.push(d);
                }
            }
        }
    }
}

/// OV301 when the files leave both the chart's default JWT providers and its
/// empty `idp.host` in place: the defaults put providers on cluster `idp`,
/// which the chart only defines once `idp.host` is set.
fn default_providers(g: &Group<'_, '_>, env: &Envoy<'_>, sink: &mut Sink) {
    let list_rel = Path::keys("jwt.providers");
    let host_rel = Path::keys("idp.host");
    if env.str(&host_rel).is_some() {
        return;
    }
    let Some(Value::Array(list)) = env.get(&list_rel) else {
        return;
    };
    let on_idp = list
        .iter()
        .filter(|p| p.get("cluster").and_then(Value::as_str) == Some("idp"))
        .count();
    if on_idp == 0 {
        return;
    }
    let host_path = env.path(&host_rel);
    let (file, at) = g.missing_at(&host_path);
    sink.push(
        diag(
            code::IDP_HOST,
            file,
            at,
            format!(
                "the chart's default JWT providers use cluster `idp`, but `{host_path}` is not set: \
                 Envoy has no `idp` cluster and cannot fetch any identity provider's signing keys"
            ),
        )
        .with_path(host_path.clone())
        .with_note(format!(
            "chart default: `{}` lists {on_idp} provider{} on cluster `idp` with no issuer, and `{host_path}` is empty; these files leave both in place",
            env.path(&list_rel),
            if on_idp == 1 { "" } else { "s" }
        ))
        .with_help(
            "configure your identity provider: `jwt.providers` with its issuer, audience and jwks_uri, \
             and `idp.host` set to the host of that jwks_uri; without an identity provider, turn Envoy \
             off together with oauth2-proxy",
        ),
    );
}

/// OV302 for the `/oauth2/` route: the 6.2 charts route it to cluster
/// `oauth2-proxy` whenever Envoy is on, but define that cluster only when
/// oauth2-proxy is on, and Envoy refuses a route to an undefined cluster.
fn oauth2_route(g: &Group<'_, '_>, sink: &mut Sink) {
    let proxy = Path::keys("sidecars.oauth2Proxy.enabled");
    if g.truthy(&proxy) {
        return;
    }
    let envoy = Path::keys("sidecars.envoy.enabled");
    let (file, at) = g
        .value_at(&proxy)
        .or_else(|| g.last_key(&proxy))
        .unwrap_or_else(|| g.missing_at(&proxy));
    let mut d = diag(
        code::UNDEFINED_CLUSTER,
        file,
        at,
        "oauth2-proxy is off while Envoy is on: the chart still routes `/oauth2/` to cluster \
         `oauth2-proxy`, which it only defines with oauth2-proxy on, so Envoy refuses its \
         configuration and the pod does not start",
    )
    .with_path(proxy.clone())
    .with_help(
        "without an identity provider, turn Envoy off too (`sidecars.envoy.enabled: false`), as \
         the guides' setups without one do; with one, turn oauth2-proxy on and configure it",
    );
    if let Some((f, s)) = g.value_at(&envoy) {
        d = d.with_related(related(f, s, "Envoy is turned on here"));
    }
    if !g.changed(&envoy) {
        d = d.with_note("chart default: `sidecars.envoy.enabled` is true");
    }
    sink.push(d);
}

/// OV301 for a service's own configuration: one of its providers uses
/// cluster `idp` while it has no `idp.host`, and its override is the
/// cause (it set the provider, or it emptied a host `sidecars.envoy` has).
fn per_service_missing_host(
    g: &Group<'_, '_>,
    env: &Envoy<'_>,
    i: usize,
    cluster_at: Option<(usize, Span)>,
    jwks_host: Option<&str>,
    cluster_path: &Path,
) -> Option<Diagnostic> {
    let (_, words) = env.service?;
    let host_rel = Path::keys("idp.host");
    let cluster_rel = Path::keys("jwt.providers").index(i).key("cluster");
    let own_host = env.override_path(&host_rel)?;
    if env.overridden(&host_rel) {
        // The override emptied the host `sidecars.envoy` sets.
        let (file, at) = g.last_key(&own_host)?;
        let mut d = diag(
            code::IDP_HOST,
            file,
            at,
            format!(
                "`{own_host}` empties the `idp.host` that `sidecars.envoy` sets, so {words} has no \
                 `idp` cluster, but its JWT provider {i} uses cluster `idp`: Envoy cannot fetch the signing keys"
            ),
        )
        .with_path(own_host.clone())
        .with_help(match jwks_host {
            Some(h) => format!("delete this override, or set it to `{h}` (the host of this provider's jwks_uri)"),
            None => "delete this override, or set it to the host name of this provider's jwks_uri".to_owned(),
        });
        if let Some((cf, cs)) = cluster_at {
            d = d.with_related(related(cf, cs, "the provider using cluster `idp`"));
        }
        return Some(d);
    }
    if !env.overridden(&cluster_rel) {
        return None;
    }
    let (file, at) = cluster_at?;
    let provider = env.provider(i);
    let help = match jwks_host {
        Some(h) => format!("set `{own_host}: {h}` (the host of this provider's jwks_uri)"),
        None => format!("set `{own_host}` to the host name of this provider's jwks_uri"),
    };
    Some(
        diag(
            code::IDP_HOST,
            file,
            at,
            format!(
                "{provider} uses cluster `idp`, but neither `{own_host}` nor `sidecars.envoy.idp.host` \
                 is set: {words} has no `idp` cluster and cannot fetch the signing keys"
            ),
        )
        .with_path(cluster_path.clone())
        .with_help(help),
    )
}

/// The finding for a provider naming a cluster the chart does not define.
fn undefined_cluster(
    g: &Group<'_, '_>,
    cluster: &str,
    provider: &str,
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
                    format!("{provider} uses cluster `{cluster}`, which the {} chart only defines when `{switch}` is true", g.chart.name),
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
                    format!(
                        "{provider} uses cluster `{cluster}`, which the {} chart does not define",
                        g.chart.name
                    ),
                )
                .with_path(path.clone())
                .with_help(format!(
                    "use one of {}{}",
                    known
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    hint.unwrap_or("")
                )),
            )
        }
    }
}

fn oauth2_proxy(g: &Group<'_, '_>, env: &Envoy<'_>, sink: &mut Sink) {
    let enabled = Path::keys("sidecars.oauth2Proxy.enabled");
    let issuer_p = Path::keys("sidecars.oauth2Proxy.oidcIssuerUrl");
    let client_p = Path::keys("sidecars.oauth2Proxy.clientId");
    let providers_p = Path::keys("sidecars.envoy.jwt.providers");
    if !g.truthy(&enabled) {
        return;
    }
    // The chart's own defaults (enabled, both empty) left in place: broken
    // too, reported where oauth2-proxy's settings belong.
    if !(g.changed(&issuer_p) || g.changed(&client_p)) {
        if g.str(&issuer_p).is_some() && g.str(&client_p).is_some() {
            return;
        }
        let (file, at) = g.missing_at(&issuer_p);
        let mut d = diag(
            code::OAUTH2_PROXY_INCOMPLETE,
            file,
            at,
            "oauth2-proxy is on without an issuer or a client id: the sidecar cannot start",
        )
        .with_path(Path::keys("sidecars.oauth2Proxy"))
        .with_help(
            "set `sidecars.oauth2Proxy.oidcIssuerUrl` and `clientId` from your identity provider's \
             application registration; without an identity provider, turn oauth2-proxy and Envoy off",
        );
        if let Some((f, s)) = g.value_at(&enabled) {
            d = d.with_related(related(f, s, "oauth2-proxy is turned on here"));
        }
        if !g.changed(&enabled) {
            d = d.with_note(
                "chart default: oauth2-proxy is on, with an empty `oidcIssuerUrl` and `clientId`; these files leave that in place",
            );
        }
        sink.push(d);
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
    if let Some(found) = proxy_providers(g, env) {
        sink.push(found);
    }
}

/// oauth2-proxy's issuer and client id (configured, and oauth2-proxy
/// enabled) against the JWT providers of one Envoy configuration: the
/// tokens oauth2-proxy obtains must pass JWT validation.
fn proxy_providers(g: &Group<'_, '_>, env: &Envoy<'_>) -> Option<Diagnostic> {
    let enabled = Path::keys("sidecars.oauth2Proxy.enabled");
    let issuer_p = Path::keys("sidecars.oauth2Proxy.oidcIssuerUrl");
    let client_p = Path::keys("sidecars.oauth2Proxy.clientId");
    let list_rel = Path::keys("jwt.providers");
    let providers_p = env.path(&list_rel);
    let shared = env.service.is_none();
    if !g.truthy(&enabled) || !(g.changed(&issuer_p) || g.changed(&client_p)) {
        return None;
    }
    // A service's configuration is its own only when its override
    // replaced the list; otherwise the shared check covers it.
    if !shared && !env.overridden(&list_rel) {
        return None;
    }
    let (Some(issuer), Some(client)) = (g.str(&issuer_p), g.str(&client_p)) else {
        return None;
    };
    let Some(Value::Array(list)) = env.get(&list_rel) else {
        return None;
    };
    if list.is_empty() {
        return None;
    }
    let matching: Vec<usize> = list
        .iter()
        .enumerate()
        .filter(|(_, p)| p.get("issuer").and_then(Value::as_str) == Some(issuer))
        .map(|(i, _)| i)
        .collect();
    if matching.is_empty() {
        if shared && !(g.changed(&issuer_p) || g.changed(&providers_p)) {
            return None;
        }
        // A service's list is its finding: point at it, with the issuer.
        let (file, at) = if shared {
            g.value_at(&issuer_p)?
        } else {
            g.key_at(&providers_p)?
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
            match env.service {
                None => format!("no JWT provider has the issuer `{issuer}` that oauth2-proxy logs in with: Envoy refuses its tokens"),
                Some((_, words)) => format!("no JWT provider of {words} has the issuer `{issuer}` that oauth2-proxy logs in with: that Envoy refuses its tokens"),
            },
        )
        .with_path(if shared { issuer_p.clone() } else { providers_p.clone() });
        if !shared && let Some((f, s)) = g.value_at(&issuer_p) {
            d = d.with_related(related(f, s, "oauth2-proxy's issuer"));
        }
        d = match near {
            Some((i, p)) => {
                let other = p.get("issuer").and_then(Value::as_str).unwrap_or_default();
                if let Some((f, s)) = g.value_at(&env.path(&list_rel.clone().index(i).key("issuer"))) {
                    d = d.with_related(related(f, s, "this provider's issuer differs only by a trailing slash"));
                }
                d.with_help(format!("issuers must match exactly: `{other}` vs `{issuer}`"))
            }
            None => d.with_help("add a JWT provider with this issuer (and `audience` = the client id), or fix `oidcIssuerUrl`"),
        };
        return Some(d);
    }
    // Several providers may share the issuer (ID and access tokens); one
    // of them must accept the client id.
    if matching
        .iter()
        .any(|&i| list[i].get("audience").and_then(Value::as_str) == Some(client))
    {
        return None;
    }
    let i = matching[0];
    let aud_p = env.path(&list_rel.clone().index(i).key("audience"));
    let audience = list[i]
        .get("audience")
        .and_then(Value::as_str)
        .unwrap_or("");
    if shared && !(g.changed(&aud_p) || g.changed(&client_p) || g.changed(&providers_p)) {
        return None;
    }
    let (file, at) = point(
        g,
        &[
            aud_p.clone(),
            env.path(&list_rel.clone().index(i).key("issuer")),
        ],
    )?;
    let mut d = diag(
        code::AUDIENCE_MISMATCH,
        file,
        at,
        format!(
            "{} expects audience `{audience}`, but oauth2-proxy logs in as client `{client}`",
            env.provider(i)
        ),
    )
    .with_path(aud_p.clone())
    .with_help(format!("set `audience: {client}`"));
    if let Some((f, s)) = g.value_at(&client_p) {
        d = d.with_related(related(f, s, "the oauth2-proxy client id"));
    }
    Some(d)
}

fn cookie_domain(g: &Group<'_, '_>, sink: &mut Sink) {
    let domain_p = Path::keys("sidecars.oauth2Proxy.cookieDomain");
    let Some(host_p) = hostname_path(g.chart) else {
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
