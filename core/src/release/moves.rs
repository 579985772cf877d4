//! Where the keys of the OSMO 6.2.10 charts went in 6.3.1: one typed table,
//! read by the linter (a 6.2 key left in a 6.3.1 file, rule `OV106`) and by
//! `osmo-values migrate`.
//!
//! OSMO 6.3 merged the router and web-ui charts into the service chart and
//! replaced the per-pod sidecars (`sidecars.envoy`, `.oauth2Proxy`,
//! `.authz`, `.rateLimit`) by one gateway tier (`gateway.*`). The 6.3.1
//! charts refuse nothing, so a 6.2 key left in a 6.3.1 file is silently
//! ignored. Each [`Move`] says where one 6.2 key (and everything below it)
//! lives now, or why it has no home.
//!
//! Patterns are dotted values paths; `*` stands for any one key. A move
//! covers the keys below its path too, with the same names under the new
//! path, except where a longer pattern says otherwise ([`lookup`] finds the
//! most specific move).
//!
//! ```
//! use osmo_values::release::moves::{lookup, Effect};
//! use osmo_values::{ChartName, path::Path};
//! let m = lookup(ChartName::Service, &Path::keys("sidecars.envoy.idp.host")).unwrap();
//! assert_eq!(m.to, Some("gateway.envoy"));
//! assert_eq!(m.target(&Path::keys("sidecars.envoy.idp.host")), Some(Path::keys("gateway.envoy.idp.host")));
//! let gone = lookup(ChartName::WebUi, &Path::keys("services.ui.hostname")).unwrap();
//! assert_eq!((gone.chart, gone.to, gone.effect), (ChartName::Service, None, Effect::Lost));
//! ```

use crate::ChartName;
use crate::path::{Path, Segment};

/// What leaving a 6.2 key in place does at 6.3.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The 6.2 chart read it; at 6.3.1 the setting is silently lost.
    Lost,
    /// The 6.2.10 chart already ignored it: nothing changes, the key is
    /// only clutter.
    AlreadyIgnored,
}

/// Where one key of a 6.2.10 chart lives at 6.3.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    /// The 6.2.10 chart whose values had the key.
    pub from_chart: ChartName,
    /// The key's values path there (dotted; `*` is any one key).
    pub from: &'static str,
    /// The 6.3.1 chart that has its settings now.
    pub chart: ChartName,
    /// Its values path there (the keys below keep their names), or `None`
    /// when 6.3.1 has no such setting.
    pub to: Option<&'static str>,
    /// Why, and what to do instead, in the operator's words.
    pub why: &'static str,
    /// What leaving it in a 6.3.1 file does.
    pub effect: Effect,
}

impl Move {
    /// The pattern's segments.
    fn pattern(&self) -> impl Iterator<Item = &'static str> {
        self.from.split('.')
    }

    /// Whether the pattern names `path` itself (not a key below it).
    pub fn names(&self, path: &Path) -> bool {
        self.prefix_len(path) == Some(path.0.len())
    }

    /// When the pattern is `path` or one of its ancestors: how many of the
    /// path's segments it covers.
    fn prefix_len(&self, path: &Path) -> Option<usize> {
        let mut n = 0;
        for want in self.pattern() {
            let Some(Segment::Key(k)) = path.0.get(n) else {
                return None;
            };
            if want != "*" && want != k {
                return None;
            }
            n += 1;
        }
        Some(n)
    }

    /// Where the 6.2 key at `path` (the pattern's path or one below it)
    /// lives at 6.3.1: the move's target with the rest of `path` appended.
    /// `None` when the setting has no 6.3.1 home or `path` is not covered.
    pub fn target(&self, path: &Path) -> Option<Path> {
        let n = self.prefix_len(path)?;
        let mut to = Path::keys(self.to?);
        for seg in &path.0[n..] {
            to.push(seg.clone());
        }
        Some(to)
    }

    /// Whether the key keeps its path (a chart merged into another one at
    /// the same place, such as the web UI's `services.ui`).
    pub fn same_path(&self) -> bool {
        self.to == Some(self.from)
    }
}

const fn lost(
    from_chart: ChartName,
    from: &'static str,
    to: Option<&'static str>,
    why: &'static str,
) -> Move {
    Move {
        from_chart,
        from,
        chart: match from_chart {
            ChartName::BackendOperator => ChartName::BackendOperator,
            _ => ChartName::Service,
        },
        to,
        why,
        effect: Effect::Lost,
    }
}

const fn ignored(from_chart: ChartName, from: &'static str, why: &'static str) -> Move {
    Move {
        effect: Effect::AlreadyIgnored,
        ..lost(from_chart, from, None, why)
    }
}

use ChartName::{BackendOperator as Bo, Router, Service, WebUi};

const GATEWAY_TIER: &str = "6.3.1 has no per-pod sidecars: Envoy, oauth2-proxy, authz and rate \
limiting run once, in front of every service, as the gateway (`gateway.envoy`, \
`gateway.oauth2Proxy`, `gateway.authz`, `gateway.rateLimit`)";

/// Every 6.2.10 key whose place changed at 6.3.1 (FACTS-6.3 §6).
pub static MOVES: &[Move] = &[
    // --- service chart: the sidecars became the gateway ----------------
    lost(Service, "sidecars", None, GATEWAY_TIER),
    lost(
        Service,
        "sidecars.envoy",
        Some("gateway.envoy"),
        "the per-pod Envoy is now the gateway's Envoy; its keys kept their names",
    ),
    lost(
        Service,
        "sidecars.envoy.service",
        None,
        "the 6.2 block named the API service's address; `gateway.envoy.service` is now the \
         gateway's own Kubernetes Service, a different thing: the host name is \
         `gateway.envoy.hostname` (or `global.hostname`), the address and port are \
         `gateway.upstreams.service.host` and `.port`",
    ),
    lost(
        Service,
        "sidecars.envoy.service.hostname",
        Some("gateway.envoy.hostname"),
        "the public host name (oauth2-proxy's redirect URL); `global.hostname` sets it for \
         every service at once",
    ),
    lost(
        Service,
        "sidecars.envoy.service.address",
        Some("gateway.upstreams.service.host"),
        "the gateway reaches the API service at `gateway.upstreams.service`",
    ),
    lost(
        Service,
        "sidecars.envoy.service.port",
        Some("gateway.upstreams.service.port"),
        "the gateway reaches the API service at `gateway.upstreams.service`",
    ),
    lost(
        Service,
        "sidecars.envoy.ssl.cert",
        Some("gateway.envoy.ssl.secretName"),
        "the certificate is one `kubernetes.io/tls` Secret (keys `tls.crt` and `tls.key`) \
         named by `gateway.envoy.ssl.secretName`",
    ),
    lost(
        Service,
        "sidecars.envoy.ssl.privateKey",
        Some("gateway.envoy.ssl.secretName"),
        "the key is in the same `kubernetes.io/tls` Secret as the certificate (key `tls.key`), \
         named by `gateway.envoy.ssl.secretName`",
    ),
    lost(
        Service,
        "sidecars.envoy.routes",
        Some("gateway.envoy.serviceRoutes"),
        "a non-empty `serviceRoutes` replaces the gateway's API routes (cluster `service` is now \
         `osmo-service`); `gateway.envoy.extraRoutes` adds routes before them instead",
    ),
    lost(
        Service,
        "sidecars.envoy.inClusterPaths",
        None,
        "there is no in-cluster listener any more: in-cluster clients go through the gateway's \
         Service",
    ),
    lost(
        Service,
        "sidecars.envoy.serviceName",
        None,
        "the gateway names its upstreams in `gateway.upstreams`",
    ),
    lost(
        Service,
        "sidecars.envoy.initImage",
        None,
        "the gateway needs no init container",
    ),
    lost(
        Service,
        "sidecars.envoy.lua",
        None,
        "the gateway's Lua filter is fixed; there is no hook for your own scripts",
    ),
    lost(
        Service,
        "sidecars.envoy.oauth2Filter",
        None,
        "Envoy's OAuth2 filter was removed in 6.2; browser log-in is oauth2-proxy \
         (`gateway.oauth2Proxy`)",
    ),
    lost(
        Service,
        "sidecars.envoy.useKubernetesSecrets",
        Some("gateway.oauth2Proxy.useKubernetesSecrets"),
        "the setting belongs to oauth2-proxy",
    ),
    ignored(
        Service,
        "sidecars.envoy.secretPaths",
        "Envoy reads no secret files; oauth2-proxy's client secret file is \
         `gateway.oauth2Proxy.secretPaths.clientSecret`",
    ),
    lost(
        Service,
        "sidecars.oauth2Proxy",
        Some("gateway.oauth2Proxy"),
        "oauth2-proxy runs once, in front of every service; its keys kept their names, and it \
         has its own `redis` block instead of reusing `services.redis`",
    ),
    lost(
        Service,
        "sidecars.authz",
        Some("gateway.authz"),
        "authz runs once, as its own Deployment; its keys kept their names",
    ),
    lost(
        Service,
        "sidecars.rateLimit",
        Some("gateway.rateLimit"),
        "rate limiting runs once, as its own Deployment, off by default; the limits are \
         `gateway.rateLimit.config.descriptors`",
    ),
    lost(
        Service,
        "sidecars.rateLimit.configName",
        None,
        "the limits are written in `gateway.rateLimit.config` (domain and descriptors)",
    ),
    lost(
        Service,
        "sidecars.rateLimit.serviceName",
        None,
        "the rate-limit Service is named after the gateway",
    ),
    lost(
        Service,
        "sidecars.rateLimit.debugPort",
        None,
        "the rate-limit service has `grpcPort` and `httpPort` only",
    ),
    ignored(
        Service,
        "sidecars.logAgent",
        "removed in chart 1.2.1 already: no chart reads it",
    ),
    ignored(
        Service,
        "sidecars.otel",
        "removed in chart 1.2.1 already: no chart reads it",
    ),
    lost(
        Service,
        "services.service.ingress",
        Some("gateway.envoy.ingress"),
        "traffic enters through the gateway: one Ingress in front of it (class `alb` and off \
         by default), or its LoadBalancer Service (`gateway.envoy.service`)",
    ),
    lost(
        Service,
        "services.service.envoy",
        None,
        "per-service Envoy overrides are gone: the one gateway Envoy is `gateway.envoy`",
    ),
    ignored(
        Service,
        "services.logger.envoy",
        "per-service Envoy overrides are gone (6.3.1 still accepts the key and ignores it)",
    ),
    ignored(
        Service,
        "services.agent.envoy",
        "per-service Envoy overrides are gone (6.3.1 still accepts the key and ignores it)",
    ),
    // --- web-ui chart: merged into the service chart at the same path ---
    lost(
        WebUi,
        "services.ui",
        Some("services.ui"),
        "the UI's keys kept their place in the service chart",
    ),
    lost(
        WebUi,
        "services.ui.hostname",
        None,
        "the UI is served by the gateway, at `gateway.envoy.hostname` (or `global.hostname`)",
    ),
    lost(
        WebUi,
        "services.ui.ingress",
        None,
        "the UI is reached through the gateway: its Ingress is `gateway.envoy.ingress`",
    ),
    lost(
        WebUi,
        "extraContainers",
        Some("services.ui.extraContainers"),
        "the UI's extra containers (the router's are `services.router.extraContainers`)",
    ),
    lost(
        WebUi,
        "extraPodAnnotations",
        Some("services.ui.extraPodAnnotations"),
        "the UI's pod annotations (the router's are `services.router.extraPodAnnotations`)",
    ),
    lost(
        WebUi,
        "global",
        Some("global"),
        "the service chart's `global` serves the UI too",
    ),
    lost(WebUi, "services.redis", None, "the UI does not use Redis"),
    lost(
        WebUi,
        "sidecars",
        None,
        "the gateway authenticates requests for the UI (`gateway.*`)",
    ),
    // --- router chart: merged into the service chart under services.router
    lost(
        Router,
        "services.service",
        Some("services.router"),
        "the router's settings are `services.router` of the service chart, with the same names \
         (its `serviceAccountName` now defaults to the chart's `osmo`)",
    ),
    lost(
        Router,
        "services.service.ingress",
        None,
        "the router is reached through the gateway (`gateway.envoy.ingress` or its \
         LoadBalancer Service)",
    ),
    lost(
        Router,
        "extraContainers",
        Some("services.router.extraContainers"),
        "the router's extra containers",
    ),
    lost(
        Router,
        "extraVolumes",
        Some("services.router.extraVolumes"),
        "the router's extra volumes",
    ),
    lost(
        Router,
        "extraVolumeMounts",
        Some("services.router.extraVolumeMounts"),
        "the router's extra volume mounts",
    ),
    lost(
        Router,
        "extraPodLabels",
        Some("services.router.extraPodLabels"),
        "the router's pod labels",
    ),
    lost(
        Router,
        "extraPodAnnotations",
        Some("services.router.extraPodAnnotations"),
        "the router's pod annotations",
    ),
    lost(
        Router,
        "extraEnvs",
        Some("services.router.extraEnvs"),
        "the router's environment (still a list of `name` with `value` or `valueFrom`)",
    ),
    lost(
        Router,
        "extraArgs",
        Some("services.router.extraArgs"),
        "the router's extra arguments",
    ),
    lost(
        Router,
        "extraPorts",
        Some("services.router.extraPorts"),
        "the router's extra ports",
    ),
    lost(
        Router,
        "extraConfigMaps",
        Some("extraConfigMaps"),
        "one list of extra ConfigMaps for the whole release",
    ),
    lost(
        Router,
        "targetSchema",
        Some("targetSchema"),
        "read at the top of the service chart, by the router only",
    ),
    lost(
        Router,
        "serviceAccount.annotations",
        Some("serviceAccount.annotations"),
        "one ServiceAccount for the release: merge the annotations into the service chart's",
    ),
    lost(
        Router,
        "global",
        None,
        "the router uses the service chart's `global`",
    ),
    lost(
        Router,
        "services.postgres",
        None,
        "the router uses the service chart's `services.postgres`",
    ),
    lost(
        Router,
        "services.redis",
        None,
        "the router uses the service chart's `services.redis`",
    ),
    lost(
        Router,
        "services.configFile",
        None,
        "the router uses the service chart's `services.configFile` (set its `path` if the \
         router used another one)",
    ),
    lost(Router, "sidecars", None, GATEWAY_TIER),
    lost(
        Router,
        "sidecars.envoy",
        Some("gateway.envoy"),
        "the router's Envoy is the gateway's Envoy (routes to the router: \
         `gateway.envoy.routerRoute`)",
    ),
    lost(
        Router,
        "sidecars.envoy.osmoauth",
        Some("gateway.envoy.internalJwks"),
        "OSMO's own signing keys are fetched over the cluster named by \
         `gateway.envoy.internalJwks.cluster`",
    ),
    lost(
        Router,
        "sidecars.oauth2Proxy",
        Some("gateway.oauth2Proxy"),
        "oauth2-proxy runs once, in front of every service",
    ),
    lost(
        Router,
        "sidecars.authz",
        Some("gateway.authz"),
        "authz runs once, in front of every service",
    ),
    // --- backend-operator chart ------------------------------------------
    lost(
        Bo,
        "global.network",
        None,
        "replaced by `global.networkPolicy`, a different model: workflow pods may reach the \
         internet but not the cluster networks listed in `clusterCIDRs`, besides their own \
         namespace, DNS and `allowedNamespaces`; there is no egress allow-list proxy any more",
    ),
    ignored(
        Bo,
        "sidecars",
        "removed in chart 1.2.1 already: the backend operator runs no sidecars",
    ),
];

/// The most specific move covering the 6.2.10 key at `path` of
/// `from_chart`'s values (the longest pattern naming it or an ancestor).
pub fn lookup(from_chart: ChartName, path: &Path) -> Option<&'static Move> {
    MOVES
        .iter()
        .filter(|m| m.from_chart == from_chart)
        .filter_map(|m| m.prefix_len(path).map(|n| (n, m)))
        .max_by_key(|(n, m)| (*n, !m.from.contains('*')))
        .map(|(_, m)| m)
}

/// The 6.2.10 charts whose values a 6.3.1 values file of `chart` may still
/// hold at the same paths, most likely first: its own 6.2 chart, and for the
/// service chart the web-ui chart (the guides add the UI's block to
/// `osmo_values.yaml`). The router chart is not among them: its
/// `services.service` block would collide with the service's own.
pub fn lineage(chart: ChartName) -> &'static [ChartName] {
    match chart {
        ChartName::BackendOperator => &[ChartName::BackendOperator],
        _ => &[ChartName::Service, ChartName::WebUi],
    }
}

/// The move that names exactly the key at `path` in a 6.3.1 file of
/// `chart`, from the 6.2 charts of its [`lineage`]; moves that keep the
/// path are left out (the key is then simply unknown).
///
/// ```
/// use osmo_values::release::moves::named_in_file;
/// use osmo_values::{ChartName, path::Path};
/// let m = named_in_file(ChartName::Service, &Path::keys("services.service.ingress")).unwrap();
/// assert_eq!(m.to, Some("gateway.envoy.ingress"));
/// assert!(named_in_file(ChartName::Service, &Path::keys("services.service.ingress.enabled")).is_none());
/// assert!(named_in_file(ChartName::Service, &Path::keys("services.ui")).is_none());
/// ```
pub fn named_in_file(chart: ChartName, path: &Path) -> Option<&'static Move> {
    lineage(chart).iter().find_map(|&from| {
        MOVES
            .iter()
            .find(|m| m.from_chart == from && m.chart == chart && !m.same_path() && m.names(path))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_well_formed_and_unique() {
        for (i, m) in MOVES.iter().enumerate() {
            assert!(
                !m.from.is_empty() && m.from.split('.').all(|s| !s.is_empty()),
                "{}",
                m.from
            );
            assert!(m.why.len() > 10, "{}: say why", m.from);
            assert!(
                !MOVES[..i]
                    .iter()
                    .any(|o| o.from_chart == m.from_chart && o.from == m.from),
                "{} {} twice",
                m.from_chart,
                m.from
            );
            if m.effect == Effect::AlreadyIgnored {
                assert_eq!(m.to, None, "{}: an ignored key has no home", m.from);
            }
        }
    }

    #[test]
    fn the_most_specific_move_wins() {
        let p = Path::keys("sidecars.envoy.service.hostname");
        assert_eq!(
            lookup(Service, &p).unwrap().target(&p),
            Some(Path::keys("gateway.envoy.hostname"))
        );
        let p = Path::keys("sidecars.envoy.service.other");
        assert_eq!(lookup(Service, &p).unwrap().to, None);
        let p = Path::keys("services.service.scaling.minReplicas");
        assert_eq!(
            lookup(Router, &p).unwrap().target(&p),
            Some(Path::keys("services.router.scaling.minReplicas"))
        );
        assert!(lookup(Service, &Path::keys("services.service.hostname")).is_none());
        assert_eq!(
            named_in_file(ChartName::Service, &Path::keys("extraContainers"))
                .unwrap()
                .to,
            Some("services.ui.extraContainers")
        );
    }
}
