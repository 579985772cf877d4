//! Where every key of the OSMO 6.2.10 charts went in 6.3.1: the one table
//! that the migration (`osmo_values::migrate`) and the linter's "moved key"
//! rule read.
//!
//! 6.3.1 merged the `router` and `web-ui` charts into `service`, replaced the
//! Envoy, oauth2-proxy, authz and rate-limit sidecars of every pod by one
//! gateway (`gateway.*`), and replaced the backend operator's
//! `global.network.*` by `global.networkPolicy.*`. Its charts refuse nothing,
//! so a key left at its 6.2 path is silently ignored.
//!
//! One row ([`Move`]) per key or block of a 6.2.10 chart: the chart, the key's
//! path pattern (`*` is any one key; a row covers the whole block below the
//! path) and what became of it ([`To`]): a 6.3.1 path (in the `service`
//! chart for the service, router and web-ui charts, in `backend-operator` for
//! the operator), possibly with its value rewritten ([`Rewrite`]), or dropped
//! with the reason, or a question the operator must answer. The most specific
//! row wins: the one whose pattern has the most keys, then the fewest `*`.
//! A test keeps the table complete (every key of the 6.2.10 models has a row)
//! and every 6.3.1 path real (a key of the 6.3.1 models).
//!
//! Beyond single keys, one rule is deployment-wide: while a 6.2 chart's Envoy
//! was off ([`ENVOY_SWITCH`] false), nothing reached its oauth2-proxy, authz
//! or rate-limit sidecars either, so every other `sidecars.*` key of that
//! chart had no effect and is dropped.
//!
//! ```
//! use osmo_values::ChartName;
//! use osmo_values::path::Path;
//! use osmo_values::release::moves::{self, To};
//! let found = moves::lookup(ChartName::Router, &Path::keys("services.service.scaling.minReplicas")).unwrap();
//! assert_eq!(found.target.unwrap().to_string(), "services.router.scaling.minReplicas");
//! let found = moves::lookup(ChartName::Service, &Path::keys("sidecars.envoy.idp.host")).unwrap();
//! assert_eq!(found.row.to, To::Path("gateway.envoy.idp"));
//! assert_eq!(found.target.unwrap().to_string(), "gateway.envoy.idp.host");
//! let found = moves::lookup(ChartName::Service, &Path::keys("sidecars.envoy.initImage")).unwrap();
//! assert!(matches!(found.row.to, To::Dropped(_)));
//! ```

use crate::ChartName;
use crate::path::{Path, Segment};

use super::{v6_2, v6_3};

/// The switch of a 6.2 chart's Envoy sidecar. While it is off, every other
/// `sidecars.*` key of the chart had no effect (see the module docs).
pub const ENVOY_SWITCH: &str = "sidecars.envoy.enabled";

/// The 6.3.1 path OSMO's own token provider points at, with the gateway's
/// upstream TLS on (`gateway.tls.enabled`, the default): the API service's
/// keys, fetched through [`v6_3::INTERNAL_JWKS_CLUSTER`].
pub const INTERNAL_JWKS_URI_TLS: &str = "https://osmo-service/api/auth/keys";

/// The same with the gateway's upstream TLS off.
pub const INTERNAL_JWKS_URI_PLAIN: &str = "http://osmo-service/api/auth/keys";

/// Envoy cluster renames from 6.2 to 6.3.1, for routes and JWT providers:
/// (6.2 name, 6.3.1 name). `idp`, `oauth2-proxy` and `rate-limit` keep
/// their names.
pub const CLUSTER_RENAMES: &[(&str, &str)] = &[
    ("service", "osmo-service"),
    ("authz-sidecar", "authz"),
    ("osmoauth", v6_3::INTERNAL_JWKS_CLUSTER),
];

/// The JWKS URIs of OSMO's own tokens in 6.2: the service chart's sidecar
/// fetched them from its own pod, the router's through the `osmoauth`
/// cluster.
pub const OSMO_JWKS_URIS_6_2: &[&str] = &[
    "http://localhost:8000/api/auth/keys",
    "http://127.0.0.1:8000/api/auth/keys",
    "http://osmo-service/api/auth/keys",
    "http://osmo-service:80/api/auth/keys",
];

/// One key (or block) of a 6.2.10 chart and what became of it in 6.3.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    /// The 6.2.10 chart the key belongs to.
    pub chart: ChartName,
    /// Its path, dotted; `*` stands for any one key. The row covers the
    /// block below the path too.
    pub from: &'static str,
    /// What became of it.
    pub to: To,
}

/// What became of a 6.2.10 key in 6.3.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    /// Same meaning at this 6.3.1 path; each `*` is the key the matching
    /// `*` of [`Move::from`] stood for, in order.
    Path(&'static str),
    /// At this path, with several files' lists joined into one (the 6.3.1
    /// chart has one list where each 6.2 chart had its own).
    Join(&'static str),
    /// At this path, with the value rewritten.
    Rewrite(&'static str, Rewrite),
    /// A router or web-ui copy of a setting the service chart also has (its
    /// database, Redis, images, ingress, the node selector 6.3.1 applies to
    /// every pod): the 6.3.1 chart has one. Dropped when the chart's merged
    /// value equals what the service chart's files set at `path` (or, when
    /// they set nothing, `default`, the 6.2.10 service chart's default, as
    /// JSON text); otherwise a decision, or a move to `otherwise` when given
    /// (a per-component key that keeps the difference).
    SameAsService {
        /// The service chart's 6.2.10 path (`*` as in [`To::Path`]).
        path: &'static str,
        /// Its 6.2.10 default, JSON (`null` when there is none).
        default: &'static str,
        /// Where the value goes when it differs, if anywhere.
        otherwise: Option<&'static str>,
    },
    /// A key with no effect while the boolean at `switch` (same chart; its
    /// 6.2.10 default is `default_on`) is false: then dropped with
    /// `reason`; when it is on, a decision (`question`).
    Inert {
        /// Path of the switch in the same 6.2.10 chart.
        switch: &'static str,
        /// The switch's 6.2.10 default.
        default_on: bool,
        /// Why it can go while the switch is off.
        reason: &'static str,
        /// What to decide while it is on.
        question: &'static str,
    },
    /// Dropped when its value is `value` (JSON text), else a decision.
    DroppedIf {
        /// The value that makes it safe to drop, JSON.
        value: &'static str,
        /// Why.
        reason: &'static str,
        /// What to decide for any other value.
        question: &'static str,
    },
    /// Gone, for this reason.
    Dropped(&'static str),
    /// The operator must decide: this question.
    Decide(&'static str),
}

/// How a value is rewritten on its way to 6.3.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewrite {
    /// An OSMO image tag: becomes the target release's tag.
    ReleaseTag,
    /// A third-party image (`repository:tag`). The 6.2.10 chart's default
    /// `was` is dropped (6.3.1 brings `now`); another repository with
    /// `was`'s tag (a mirror) keeps its repository and gets `now`'s tag;
    /// another tag is a decision.
    Image {
        /// The 6.2.10 chart's default image.
        was: &'static str,
        /// The 6.3.1 chart's default image.
        now: &'static str,
    },
    /// JWT providers: cluster `service`/`osmoauth` becomes the internal
    /// JWKS cluster and their JWKS URI the API service's through the
    /// gateway ([`INTERNAL_JWKS_URI_TLS`]); the charts' lists are joined.
    JwtProviders,
    /// A chart's `skipAuthPaths` (which replaced the chart's default
    /// `default`): paths 6.3.1's default list lacks go to the target
    /// (`extraSkipAuthPaths`), removed defaults are a decision.
    SkipAuthPaths {
        /// The 6.2.10 chart's default list.
        default: &'static [&'static str],
    },
    /// Envoy routes: clusters renamed ([`CLUSTER_RENAMES`]); always a
    /// decision (6.3.1 routes the router, agent, logger and UI itself).
    Routes,
    /// The service chart's Ingress becomes the gateway's: the same keys
    /// under `gateway.envoy.ingress`, the 6.2.10 defaults the operator
    /// relied on written out (class nginx, TLS on), the gateway's Service
    /// made ClusterIP and its host name set.
    GatewayIngress,
    /// A chart's Envoy switch: on stays on; off becomes the gateway's
    /// minimal mode (oauth2-proxy and authz off), as nothing checked
    /// requests.
    EnvoySwitch,
    /// The rate limiter's switch: off stays off; on is a decision (6.3.1's
    /// default routes carry no rate limits).
    RateLimitSwitch,
    /// The web UI's API host: an `osmo-service` address is dropped (6.3.1's
    /// UI must call the gateway, its default), other in-cluster names are a
    /// decision.
    UiApiHostname,
    /// The backend operator's service URL: an in-cluster `osmo-agent` or
    /// `osmo-service` address becomes the gateway's.
    ServiceUrl,
    /// The router's ServiceAccount: the router release's own account goes
    /// with the release (dropped); any other account name moves.
    RouterServiceAccount,
    /// A `services.redis` key of the service chart, which 6.2's
    /// oauth2-proxy read too: also copied to `copy_to` while oauth2-proxy
    /// keeps sessions in Redis and the value differs from `default` (the
    /// 6.3.1 default there, JSON), since 6.3.1's oauth2-proxy reads its own.
    OAuth2ProxyRedis {
        /// The 6.3.1 oauth2-proxy key.
        copy_to: &'static str,
        /// Its 6.3.1 default, JSON.
        default: &'static str,
    },
}

/// A row found for a path, and the path's 6.3.1 place when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The row.
    pub row: &'static Move,
    /// How many leading segments of the path the row's pattern matched.
    pub matched: usize,
    /// The keys the pattern's `*`s stood for, in order.
    pub captured: Vec<String>,
    /// The 6.3.1 path ([`To::Path`], [`To::Join`], [`To::Rewrite`],
    /// [`To::SameAsService`]'s `otherwise`), wildcards and the rest of the
    /// path filled in.
    pub target: Option<Path>,
}

/// The most specific row for `path` of a 6.2.10 `chart`, with the 6.3.1
/// path it leads to. `None` when no row covers it. A row covers its whole
/// block, so whether `path` is a key of the 6.2.10 chart at all is a
/// question for the chart's model, not for this table.
pub fn lookup(chart: ChartName, path: &Path) -> Option<Found> {
    let mut best: Option<(&'static Move, Vec<String>, usize, usize)> = None;
    for row in MOVES.iter().filter(|m| m.chart == chart) {
        let Some(captured) = match_prefix(row.from, path) else {
            continue;
        };
        let len = row.from.split('.').count();
        let wild = row.from.split('.').filter(|s| *s == "*").count();
        let better = match &best {
            None => true,
            Some((_, _, blen, bwild)) => len > *blen || (len == *blen && wild < *bwild),
        };
        if better {
            best = Some((row, captured, len, wild));
        }
    }
    let (row, captured, len, _) = best?;
    let target = row_target(row).map(|pattern| instantiate(pattern, &captured, &path.0[len..]));
    Some(Found {
        row,
        matched: len,
        captured,
        target,
    })
}

/// The 6.2.10 charts whose keys a 6.3.1 values file of `chart` may still
/// hold at their old paths, most likely first: its own 6.2 chart and, for
/// the service chart, the web-ui chart (the guides add the UI's block to
/// `osmo_values.yaml`). The router chart is not among them: its
/// `services.service` block would read as the service's own.
pub fn lineage(chart: ChartName) -> &'static [ChartName] {
    match chart {
        ChartName::BackendOperator => &[ChartName::BackendOperator],
        _ => &[ChartName::Service, ChartName::WebUi],
    }
}

/// The row that names exactly the key at `path` in a 6.3.1 values file of
/// `chart` (a key of a 6.2.10 chart of its [`lineage`]), with where it went.
/// Rows that keep the path are left out: such a key is simply unknown.
///
/// ```
/// use osmo_values::release::moves::named_in_file;
/// use osmo_values::{ChartName, path::Path};
/// let found = named_in_file(ChartName::Service, &Path::keys("sidecars.envoy.idp")).unwrap();
/// assert_eq!(found.target.unwrap().to_string(), "gateway.envoy.idp");
/// assert!(named_in_file(ChartName::Service, &Path::keys("services.ui")).is_none());
/// ```
pub fn named_in_file(chart: ChartName, path: &Path) -> Option<Found> {
    lineage(chart).iter().find_map(|&from| {
        let found = lookup(from, path)?;
        (found.matched == path.0.len() && found.target.as_ref() != Some(path)).then_some(found)
    })
}

/// `pattern` with its `*`s filled from `captured`, then `rest` appended:
/// where a path below a row's pattern lands under another pattern.
pub fn instantiate(pattern: &str, captured: &[String], rest: &[Segment]) -> Path {
    let mut out = fill(pattern, captured);
    out.0.extend(rest.iter().cloned());
    out
}

/// The 6.3.1 path pattern a row leads to, if any.
pub fn row_target(row: &Move) -> Option<&'static str> {
    match row.to {
        To::Path(p) | To::Join(p) | To::Rewrite(p, _) => Some(p),
        To::SameAsService { otherwise, .. } => otherwise,
        _ => None,
    }
}

/// `pattern` with each `*` replaced by the next captured key.
pub fn fill(pattern: &str, captured: &[String]) -> Path {
    let mut next = captured.iter();
    pattern
        .split('.')
        .map(|s| {
            if s == "*" {
                Segment::Key(next.next().cloned().unwrap_or_default())
            } else {
                Segment::Key(s.to_owned())
            }
        })
        .collect()
}

/// The keys `*` matched when `pattern` is a prefix of `path`.
fn match_prefix(pattern: &str, path: &Path) -> Option<Vec<String>> {
    let mut captured = Vec::new();
    let mut segments = path.0.iter();
    for part in pattern.split('.') {
        let Some(Segment::Key(key)) = segments.next() else {
            return None;
        };
        if part == "*" {
            captured.push(key.clone());
        } else if part != key {
            return None;
        }
    }
    Some(captured)
}

use ChartName::{BackendOperator as Operator, Router, Service, WebUi as Ui};

const fn row(chart: ChartName, from: &'static str, to: To) -> Move {
    Move { chart, from, to }
}

const fn path(chart: ChartName, from: &'static str, to: &'static str) -> Move {
    row(chart, from, To::Path(to))
}

const fn same(chart: ChartName, at: &'static str) -> Move {
    row(chart, at, To::Path(at))
}

const fn same_as(
    chart: ChartName,
    from: &'static str,
    service: &'static str,
    default: &'static str,
) -> Move {
    row(
        chart,
        from,
        To::SameAsService {
            path: service,
            default,
            otherwise: None,
        },
    )
}

const fn dropped(chart: ChartName, from: &'static str, reason: &'static str) -> Move {
    row(chart, from, To::Dropped(reason))
}

const fn decide(chart: ChartName, from: &'static str, question: &'static str) -> Move {
    row(chart, from, To::Decide(question))
}

const ENVOY_IMAGE: Rewrite = Rewrite::Image {
    was: "envoyproxy/envoy:v1.29.0",
    now: "envoyproxy/envoy:v1.38.1",
};
const OAUTH2_PROXY_IMAGE: Rewrite = Rewrite::Image {
    was: "quay.io/oauth2-proxy/oauth2-proxy:v7.14.2",
    now: "quay.io/oauth2-proxy/oauth2-proxy:v7.14.2",
};
const RATE_LIMIT_IMAGE: Rewrite = Rewrite::Image {
    was: "envoyproxy/ratelimit:9d8d70a8",
    now: "envoyproxy/ratelimit:9d8d70a8",
};

const NO_SIDECAR: &str = "6.3.1 runs no Envoy in the API service, logger or agent pods: the gateway's \
    Envoy (gateway.envoy.*) serves them all, and per-pod Envoy settings have no equivalent";
const NO_SIDECAR_AUTH: &str = "this pod's own Envoy changed who gets in; 6.3.1 checks every request \
    at the gateway with one configuration: carry the setting over to gateway.envoy.* (skip paths to \
    gateway.envoy.extraSkipAuthPaths), or let the gateway's apply";
const LOCAL_UPSTREAM: &str = "the sidecar's address of the service in its own pod; the 6.3.1 gateway \
    reaches each service through its Service (gateway.upstreams.*)";
const REMOVED_1_2_1: &str = "removed in chart 1.2.1 already: it had no effect in 6.2.10";
const ONE_TAG: &str = "6.3.1 runs every OSMO image of the service chart at one tag, \
    global.osmoImageTag, which the migration sets to the new release";
const SSL_QUESTION: &str = "6.2's Envoy ended TLS itself with a certificate and a key from two secret \
    keys; 6.3.1's gateway reads one kubernetes.io/tls Secret (keys tls.crt and tls.key) named by \
    gateway.envoy.ssl.secretName, and then both Service ports speak TLS: create that Secret and \
    check gateway.envoy.ssl.* and every client of osmo-gateway";

/// Every 6.2.10 key's fate, by chart.
pub const MOVES: &[Move] = &[
    // ------------------------------------------------------------------
    // service chart (1.2.1) → service chart (1.3.1)
    same(Service, "nameOverride"),
    same(Service, "fullnameOverride"),
    same(Service, "global"),
    row(
        Service,
        "global.osmoImageTag",
        To::Rewrite("global.osmoImageTag", Rewrite::ReleaseTag),
    ),
    same(Service, "serviceAccount"),
    same(Service, "services.configFile"),
    same(Service, "services.migration"),
    same(Service, "services.postgres"),
    same(Service, "services.defaultAdmin"),
    same(Service, "services.redis"),
    row(
        Service,
        "services.redis.port",
        To::Rewrite(
            "services.redis.port",
            Rewrite::OAuth2ProxyRedis {
                copy_to: "gateway.oauth2Proxy.redis.port",
                default: "6379",
            },
        ),
    ),
    row(
        Service,
        "services.redis.tlsEnabled",
        To::Rewrite(
            "services.redis.tlsEnabled",
            Rewrite::OAuth2ProxyRedis {
                copy_to: "gateway.oauth2Proxy.redis.tlsEnabled",
                default: "true",
            },
        ),
    ),
    row(
        Service,
        "services.redis.dbNumber",
        To::Rewrite(
            "services.redis.dbNumber",
            Rewrite::OAuth2ProxyRedis {
                copy_to: "gateway.oauth2Proxy.redis.dbNumber",
                default: "0",
            },
        ),
    ),
    same(Service, "services.localstackS3"),
    same(Service, "services.delayedJobMonitor"),
    same(Service, "services.worker"),
    same(Service, "services.service"),
    same(Service, "services.logger"),
    same(Service, "services.agent"),
    row(
        Service,
        "services.service.ingress",
        To::Rewrite("gateway.envoy.ingress", Rewrite::GatewayIngress),
    ),
    row(
        Service,
        "services.service.ingress.prefix",
        To::DroppedIf {
            value: "\"/\"",
            reason: "the gateway's Ingress sends every path (`/`) to Envoy, which routes by path itself",
            question: "the 6.2 Ingress served the API under a path prefix; the gateway's Ingress serves `/` \
                and routes /api/, /api/router, /api/agent, /api/logger and the UI itself: put your own \
                path rewriting in front of it, or serve OSMO at the root",
        },
    ),
    dropped(Service, "services.*.envoy", NO_SIDECAR),
    decide(Service, "services.*.envoy.skipAuthPaths", NO_SIDECAR_AUTH),
    decide(Service, "services.*.envoy.idp", NO_SIDECAR_AUTH),
    decide(Service, "services.*.envoy.jwt", NO_SIDECAR_AUTH),
    row(
        Service,
        "services.*.envoy.enabled",
        To::DroppedIf {
            value: "true",
            reason: NO_SIDECAR,
            question: "6.2 ran this pod without its Envoy, so its requests were not checked; in 6.3.1 \
                every request goes through the gateway, which checks it: make sure its clients can \
                authenticate",
        },
    ),
    same(Service, "podMonitor"),
    row(Service, "extraConfigMaps", To::Join("extraConfigMaps")),
    // The Envoy sidecar → the gateway's Envoy (what no row below names keeps
    // its name there).
    path(Service, "sidecars.envoy", "gateway.envoy"),
    row(
        Service,
        ENVOY_SWITCH,
        To::Rewrite("gateway.envoy.enabled", Rewrite::EnvoySwitch),
    ),
    path(
        Service,
        "sidecars.envoy.blockedIPs",
        "gateway.envoy.blockedIPs",
    ),
    path(
        Service,
        "sidecars.envoy.livenessProbe",
        "gateway.envoy.livenessProbe",
    ),
    path(
        Service,
        "sidecars.envoy.readinessProbe",
        "gateway.envoy.readinessProbe",
    ),
    path(
        Service,
        "sidecars.envoy.startupProbe",
        "gateway.envoy.startupProbe",
    ),
    path(Service, "sidecars.envoy.idp", "gateway.envoy.idp"),
    row(
        Service,
        "sidecars.envoy.inClusterPaths",
        To::Inert {
            switch: "sidecars.envoy.inClusterPaths.enabled",
            default_on: false,
            reason: "off in 6.2.10, and gone in 6.3.1",
            question: "6.2's sidecar opened a second, unauthenticated port for in-cluster callers; \
                6.3.1 has none: in-cluster clients go through the gateway (osmo-gateway) and \
                authenticate, or use gateway.envoy.extraSkipAuthPaths",
        },
    ),
    path(
        Service,
        "sidecars.envoy.maxRequests",
        "gateway.envoy.maxRequests",
    ),
    dropped(
        Service,
        "sidecars.envoy.serviceName",
        "gone in 6.3.1: the gateway's Envoy is its own Deployment",
    ),
    row(
        Service,
        "sidecars.envoy.skipAuthPaths",
        To::Rewrite(
            "gateway.envoy.extraSkipAuthPaths",
            Rewrite::SkipAuthPaths {
                default: v6_2::SERVICE_SKIP_AUTH_PATHS,
            },
        ),
    ),
    row(
        Service,
        "sidecars.envoy.routes",
        To::Rewrite("gateway.envoy.serviceRoutes", Rewrite::Routes),
    ),
    row(
        Service,
        "sidecars.envoy.image",
        To::Rewrite("gateway.envoy.image", ENVOY_IMAGE),
    ),
    dropped(
        Service,
        "sidecars.envoy.initImage",
        "gone in 6.3.1: the gateway's Envoy has no init container",
    ),
    path(
        Service,
        "sidecars.envoy.imagePullPolicy",
        "gateway.envoy.imagePullPolicy",
    ),
    path(
        Service,
        "sidecars.envoy.securityContext",
        "gateway.envoy.securityContext",
    ),
    path(
        Service,
        "sidecars.envoy.extraVolumeMounts",
        "gateway.envoy.extraVolumeMounts",
    ),
    path(
        Service,
        "sidecars.envoy.listenerPort",
        "gateway.envoy.listenerPort",
    ),
    path(
        Service,
        "sidecars.envoy.maxHeadersSizeKb",
        "gateway.envoy.maxHeadersSizeKb",
    ),
    path(Service, "sidecars.envoy.logLevel", "gateway.envoy.logLevel"),
    path(
        Service,
        "sidecars.envoy.resources",
        "gateway.envoy.resources",
    ),
    row(
        Service,
        "sidecars.envoy.ssl",
        To::Inert {
            switch: "sidecars.envoy.ssl.enabled",
            default_on: false,
            reason: "TLS at Envoy was off; 6.3.1's gateway.envoy.ssl is off by default too",
            question: SSL_QUESTION,
        },
    ),
    path(
        Service,
        "sidecars.envoy.service.hostname",
        "gateway.envoy.hostname",
    ),
    row(
        Service,
        "sidecars.envoy.service.port",
        To::DroppedIf {
            value: "8000",
            reason: LOCAL_UPSTREAM,
            question: LOCAL_UPSTREAM,
        },
    ),
    row(
        Service,
        "sidecars.envoy.service.address",
        To::DroppedIf {
            value: "\"127.0.0.1\"",
            reason: LOCAL_UPSTREAM,
            question: LOCAL_UPSTREAM,
        },
    ),
    path(
        Service,
        "sidecars.envoy.jwt.user_header",
        "gateway.envoy.jwt.user_header",
    ),
    row(
        Service,
        "sidecars.envoy.jwt.providers",
        To::Rewrite("gateway.envoy.jwt.providers", Rewrite::JwtProviders),
    ),
    decide(
        Service,
        "sidecars.envoy.lua",
        "6.2's sidecar ran this Lua filter on the service's requests; 6.3.1's gateway has no Lua \
         filter: carry the logic elsewhere (gateway.envoy.extraRoutes, the service) or drop it",
    ),
    // oauth2-proxy, authz and the rate limiter → the gateway's own Deployments.
    path(Service, "sidecars.oauth2Proxy", "gateway.oauth2Proxy"),
    row(
        Service,
        "sidecars.oauth2Proxy.image",
        To::Rewrite("gateway.oauth2Proxy.image", OAUTH2_PROXY_IMAGE),
    ),
    path(Service, "sidecars.authz", "gateway.authz"),
    row(
        Service,
        "sidecars.rateLimit.enabled",
        To::Rewrite("gateway.rateLimit.enabled", Rewrite::RateLimitSwitch),
    ),
    row(
        Service,
        "sidecars.rateLimit.image",
        To::Rewrite("gateway.rateLimit.image", RATE_LIMIT_IMAGE),
    ),
    path(
        Service,
        "sidecars.rateLimit.imagePullPolicy",
        "gateway.rateLimit.imagePullPolicy",
    ),
    path(
        Service,
        "sidecars.rateLimit.redis",
        "gateway.rateLimit.redis",
    ),
    path(
        Service,
        "sidecars.rateLimit.nodeSelector",
        "gateway.rateLimit.nodeSelector",
    ),
    path(
        Service,
        "sidecars.rateLimit.tolerations",
        "gateway.rateLimit.tolerations",
    ),
    path(
        Service,
        "sidecars.rateLimit.resources",
        "gateway.rateLimit.resources",
    ),
    path(
        Service,
        "sidecars.rateLimit.httpPort",
        "gateway.rateLimit.httpPort",
    ),
    path(
        Service,
        "sidecars.rateLimit.grpcPort",
        "gateway.rateLimit.grpcPort",
    ),
    dropped(
        Service,
        "sidecars.rateLimit.configName",
        "6.3.1 writes the rate limiter's configuration itself (gateway.rateLimit.config)",
    ),
    dropped(
        Service,
        "sidecars.rateLimit.serviceName",
        "gone in 6.3.1: the rate limiter is the gateway's `<gateway>-ratelimit`",
    ),
    dropped(Service, "sidecars.rateLimit.debugPort", "gone in 6.3.1"),
    row(
        Service,
        "sidecars.rateLimit.args",
        To::Inert {
            switch: "sidecars.rateLimit.enabled",
            default_on: true,
            reason: "the rate limiter was off",
            question: "6.3.1's rate limiter takes no extra arguments: drop them or find a 6.3.1 setting",
        },
    ),
    row(
        Service,
        "sidecars.rateLimit.extraArgs",
        To::Inert {
            switch: "sidecars.rateLimit.enabled",
            default_on: true,
            reason: "the rate limiter was off",
            question: "6.3.1's rate limiter takes no extra arguments: drop them or find a 6.3.1 setting",
        },
    ),
    dropped(Service, "sidecars.logAgent", REMOVED_1_2_1),
    dropped(Service, "sidecars.otel", REMOVED_1_2_1),
    // ------------------------------------------------------------------
    // router chart (1.2.1) → services.router of the service chart (1.3.1)
    same_as(Router, "nameOverride", "nameOverride", "null"),
    same_as(Router, "fullnameOverride", "fullnameOverride", "null"),
    same_as(
        Router,
        "global.osmoImageLocation",
        "global.osmoImageLocation",
        "\"nvcr.io/nvidia/osmo\"",
    ),
    dropped(Router, "global.osmoImageTag", ONE_TAG),
    same_as(
        Router,
        "global.imagePullSecret",
        "global.imagePullSecret",
        "null",
    ),
    dropped(
        Router,
        "global.nodeSelector",
        "the 6.2.10 router chart never read it (its pods used services.service.nodeSelector, \
         which moves to services.router.nodeSelector)",
    ),
    same_as(Router, "global.logs.enabled", "global.logs.enabled", "true"),
    same_as(
        Router,
        "global.logs.logLevel",
        "global.logs.logLevel",
        "\"DEBUG\"",
    ),
    same_as(
        Router,
        "global.logs.k8sLogLevel",
        "global.logs.k8sLogLevel",
        "\"WARNING\"",
    ),
    path(Router, "targetSchema", "targetSchema"),
    dropped(
        Router,
        "serviceAccount.create",
        "the router release's own ServiceAccount goes with the release; 6.3.1 runs the router as \
         the service chart's account unless services.router.serviceAccountName names another",
    ),
    dropped(
        Router,
        "serviceAccount.name",
        "the router release's own ServiceAccount goes with the release; 6.3.1 runs the router as \
         the service chart's account unless services.router.serviceAccountName names another",
    ),
    path(
        Router,
        "serviceAccount.annotations",
        "serviceAccount.annotations",
    ),
    same_as(
        Router,
        "services.configFile.enabled",
        "services.configFile.enabled",
        "false",
    ),
    same_as(
        Router,
        "services.configFile.path",
        "services.configFile.path",
        "\"/opt/osmo/config.yaml\"",
    ),
    path(Router, "services.service", "services.router"),
    row(
        Router,
        "services.service.nodeSelector.*",
        To::SameAsService {
            path: "global.nodeSelector.*",
            default: "null",
            otherwise: Some("services.router.nodeSelector.*"),
        },
    ),
    row(
        Router,
        "services.service.serviceAccountName",
        To::Rewrite(
            "services.router.serviceAccountName",
            Rewrite::RouterServiceAccount,
        ),
    ),
    dropped(
        Router,
        "services.service.webserverEnabled",
        "the 6.3.1 chart no longer reads it",
    ),
    same_as(
        Router,
        "services.service.ingress",
        "services.service.ingress",
        "null",
    ),
    same_as(
        Router,
        "services.service.ingress.enabled",
        "services.service.ingress.enabled",
        "true",
    ),
    dropped(
        Router,
        "services.service.ingress.prefix",
        "the gateway routes /api/router to the router itself",
    ),
    same_as(
        Router,
        "services.service.ingress.ingressClass",
        "services.service.ingress.ingressClass",
        "\"nginx\"",
    ),
    same_as(
        Router,
        "services.service.ingress.albAnnotations.enabled",
        "services.service.ingress.albAnnotations.enabled",
        "false",
    ),
    same_as(
        Router,
        "services.service.ingress.albAnnotations.sslCertArn",
        "services.service.ingress.albAnnotations.sslCertArn",
        "\"arn:aws:acm:us-west-2:XXXXXXXXX:certificate/YYYYYYYY\"",
    ),
    same_as(
        Router,
        "services.service.ingress.sslEnabled",
        "services.service.ingress.sslEnabled",
        "true",
    ),
    same_as(
        Router,
        "services.service.ingress.sslSecret",
        "services.service.ingress.sslSecret",
        "\"osmo-tls\"",
    ),
    same_as(
        Router,
        "services.service.ingress.annotations.*",
        "services.service.ingress.annotations.*",
        "null",
    ),
    same_as(
        Router,
        "services.service.hostname",
        "services.service.hostname",
        "\"\"",
    ),
    same_as(
        Router,
        "services.postgres.serviceName",
        "services.postgres.serviceName",
        "\"postgres\"",
    ),
    same_as(
        Router,
        "services.postgres.port",
        "services.postgres.port",
        "5432",
    ),
    same_as(
        Router,
        "services.postgres.db",
        "services.postgres.db",
        "\"osmo\"",
    ),
    same_as(
        Router,
        "services.postgres.user",
        "services.postgres.user",
        "\"postgres\"",
    ),
    same_as(
        Router,
        "services.postgres.password",
        "services.postgres.password",
        "null",
    ),
    same_as(
        Router,
        "services.redis.serviceName",
        "services.redis.serviceName",
        "\"redis\"",
    ),
    same_as(Router, "services.redis.port", "services.redis.port", "6379"),
    same_as(
        Router,
        "services.redis.dbNumber",
        "services.redis.dbNumber",
        "0",
    ),
    same_as(
        Router,
        "services.redis.tlsEnabled",
        "services.redis.tlsEnabled",
        "true",
    ),
    path(Router, "sidecars.envoy", "gateway.envoy"),
    row(
        Router,
        "sidecars.envoy.routes",
        To::Rewrite("gateway.envoy.serviceRoutes", Rewrite::Routes),
    ),
    row(
        Router,
        ENVOY_SWITCH,
        To::SameAsService {
            path: ENVOY_SWITCH,
            default: "true",
            otherwise: None,
        },
    ),
    path(
        Router,
        "sidecars.envoy.maxRequests",
        "gateway.envoy.maxRequests",
    ),
    row(
        Router,
        "sidecars.envoy.skipAuthPaths",
        To::Rewrite(
            "gateway.envoy.extraSkipAuthPaths",
            Rewrite::SkipAuthPaths {
                default: v6_2::ROUTER_SKIP_AUTH_PATHS,
            },
        ),
    ),
    row(
        Router,
        "sidecars.envoy.image",
        To::Rewrite("gateway.envoy.image", ENVOY_IMAGE),
    ),
    path(
        Router,
        "sidecars.envoy.imagePullPolicy",
        "gateway.envoy.imagePullPolicy",
    ),
    path(
        Router,
        "sidecars.envoy.listenerPort",
        "gateway.envoy.listenerPort",
    ),
    path(
        Router,
        "sidecars.envoy.maxHeadersSizeKb",
        "gateway.envoy.maxHeadersSizeKb",
    ),
    path(Router, "sidecars.envoy.logLevel", "gateway.envoy.logLevel"),
    path(
        Router,
        "sidecars.envoy.service.hostname",
        "gateway.envoy.hostname",
    ),
    row(
        Router,
        "sidecars.envoy.service.port",
        To::DroppedIf {
            value: "8000",
            reason: LOCAL_UPSTREAM,
            question: LOCAL_UPSTREAM,
        },
    ),
    row(
        Router,
        "sidecars.envoy.service.address",
        To::DroppedIf {
            value: "\"127.0.0.1\"",
            reason: LOCAL_UPSTREAM,
            question: LOCAL_UPSTREAM,
        },
    ),
    path(Router, "sidecars.envoy.idp", "gateway.envoy.idp"),
    dropped(
        Router,
        "sidecars.envoy.jwt.enabled",
        "the 6.2.10 router chart never read it; 6.3.1's gateway checks tokens on every route",
    ),
    path(
        Router,
        "sidecars.envoy.jwt.user_header",
        "gateway.envoy.jwt.user_header",
    ),
    row(
        Router,
        "sidecars.envoy.jwt.providers",
        To::Rewrite("gateway.envoy.jwt.providers", Rewrite::JwtProviders),
    ),
    row(
        Router,
        "sidecars.envoy.osmoauth.enabled",
        To::DroppedIf {
            value: "true",
            reason: "the gateway fetches OSMO's own keys through its internal JWKS cluster \
                (gateway.envoy.internalJwks, on by default)",
            question: "the router did not check OSMO-issued tokens itself; 6.3.1's gateway checks \
                them for every route through gateway.envoy.internalJwks: keep it on (the default) \
                unless you know why not",
        },
    ),
    row(
        Router,
        "sidecars.envoy.osmoauth.port",
        To::DroppedIf {
            value: "80",
            reason: "the internal JWKS cluster reaches the API service on its Service port by default",
            question: "the router fetched OSMO's keys from another port; set gateway.envoy.internalJwks.port \
                if the API service is not on gateway.upstreams.service.port",
        },
    ),
    dropped(
        Router,
        "sidecars.envoy.osmoauth.hostname",
        "the 6.2.10 router chart never read it",
    ),
    row(
        Router,
        "sidecars.envoy.osmoauth.address",
        To::DroppedIf {
            value: "\"osmo-service\"",
            reason: "the internal JWKS cluster reaches the API service at gateway.upstreams.service.host \
                (osmo-service) by default",
            question: "the router fetched OSMO's keys from another host; set gateway.envoy.internalJwks.host",
        },
    ),
    path(Router, "sidecars.oauth2Proxy", "gateway.oauth2Proxy"),
    row(
        Router,
        "sidecars.oauth2Proxy.image",
        To::Rewrite("gateway.oauth2Proxy.image", OAUTH2_PROXY_IMAGE),
    ),
    path(Router, "sidecars.authz", "gateway.authz"),
    dropped(Router, "sidecars.logAgent", REMOVED_1_2_1),
    path(Router, "extraContainers", "services.router.extraContainers"),
    path(Router, "extraVolumes", "services.router.extraVolumes"),
    path(Router, "extraPodLabels", "services.router.extraPodLabels"),
    path(
        Router,
        "extraPodAnnotations",
        "services.router.extraPodAnnotations",
    ),
    path(Router, "extraEnvs", "services.router.extraEnvs"),
    row(Router, "extraArgs", To::Join("services.router.extraArgs")),
    row(
        Router,
        "services.service.extraArgs",
        To::Join("services.router.extraArgs"),
    ),
    path(Router, "extraPorts", "services.router.extraPorts"),
    path(
        Router,
        "extraVolumeMounts",
        "services.router.extraVolumeMounts",
    ),
    row(Router, "extraConfigMaps", To::Join("extraConfigMaps")),
    // ------------------------------------------------------------------
    // web-ui chart (1.2.1) → services.ui of the service chart (1.3.1)
    same_as(Ui, "nameOverride", "nameOverride", "null"),
    same_as(Ui, "fullnameOverride", "fullnameOverride", "null"),
    same_as(
        Ui,
        "global.osmoImageLocation",
        "global.osmoImageLocation",
        "\"nvcr.io/nvidia/osmo\"",
    ),
    dropped(Ui, "global.osmoImageTag", ONE_TAG),
    same_as(
        Ui,
        "global.imagePullSecret",
        "global.imagePullSecret",
        "null",
    ),
    row(
        Ui,
        "global.nodeSelector.*",
        To::SameAsService {
            path: "global.nodeSelector.*",
            default: "null",
            otherwise: Some("services.ui.nodeSelector.*"),
        },
    ),
    same_as(Ui, "global.logs", "global.logs", "null"),
    same_as(Ui, "global.logs.enabled", "global.logs.enabled", "true"),
    dropped(
        Ui,
        "serviceAccount",
        "the 6.2.10 web-ui chart created no ServiceAccount; 6.3.1 runs the UI as \
         services.ui.serviceAccountName",
    ),
    path(Ui, "services.ui", "services.ui"),
    row(
        Ui,
        "services.ui.nodeSelector.*",
        To::SameAsService {
            path: "global.nodeSelector.*",
            default: "null",
            otherwise: Some("services.ui.nodeSelector.*"),
        },
    ),
    same_as(
        Ui,
        "services.ui.hostname",
        "services.service.hostname",
        "\"\"",
    ),
    row(
        Ui,
        "services.ui.apiHostname",
        To::Rewrite("services.ui.apiHostname", Rewrite::UiApiHostname),
    ),
    same_as(
        Ui,
        "services.ui.ingress",
        "services.service.ingress",
        "null",
    ),
    same_as(
        Ui,
        "services.ui.ingress.enabled",
        "services.service.ingress.enabled",
        "true",
    ),
    dropped(
        Ui,
        "services.ui.ingress.prefix",
        "the gateway sends every path it does not route elsewhere to the UI",
    ),
    same_as(
        Ui,
        "services.ui.ingress.ingressClass",
        "services.service.ingress.ingressClass",
        "\"nginx\"",
    ),
    same_as(
        Ui,
        "services.ui.ingress.albAnnotations.enabled",
        "services.service.ingress.albAnnotations.enabled",
        "false",
    ),
    same_as(
        Ui,
        "services.ui.ingress.albAnnotations.sslCertArn",
        "services.service.ingress.albAnnotations.sslCertArn",
        "\"arn:aws:acm:us-west-2:XXXXXXXXX:certificate/YYYYYYYY\"",
    ),
    same_as(
        Ui,
        "services.ui.ingress.sslEnabled",
        "services.service.ingress.sslEnabled",
        "true",
    ),
    same_as(
        Ui,
        "services.ui.ingress.sslSecret",
        "services.service.ingress.sslSecret",
        "\"osmo-tls\"",
    ),
    same_as(
        Ui,
        "services.ui.ingress.annotations.*",
        "services.service.ingress.annotations.*",
        "null",
    ),
    same_as(
        Ui,
        "services.redis.serviceName",
        "services.redis.serviceName",
        "\"redis\"",
    ),
    same_as(Ui, "services.redis.port", "services.redis.port", "6379"),
    same_as(
        Ui,
        "services.redis.dbNumber",
        "services.redis.dbNumber",
        "0",
    ),
    same_as(
        Ui,
        "services.redis.tlsEnabled",
        "services.redis.tlsEnabled",
        "true",
    ),
    path(Ui, "sidecars.envoy", "gateway.envoy"),
    row(
        Ui,
        "sidecars.envoy.routes",
        To::Rewrite("gateway.envoy.serviceRoutes", Rewrite::Routes),
    ),
    decide(
        Ui,
        "sidecars.envoy.volumeMounts",
        "the UI's Envoy sidecar mounted these; the gateway's Envoy takes gateway.envoy.extraVolumeMounts \
         together with gateway.envoy.extraVolumes: carry them over if the gateway needs them",
    ),
    row(
        Ui,
        ENVOY_SWITCH,
        To::SameAsService {
            path: ENVOY_SWITCH,
            default: "true",
            otherwise: None,
        },
    ),
    path(
        Ui,
        "sidecars.envoy.maxHeadersSizeKb",
        "gateway.envoy.maxHeadersSizeKb",
    ),
    row(
        Ui,
        "sidecars.envoy.inClusterPaths",
        To::Inert {
            switch: "sidecars.envoy.inClusterPaths.enabled",
            default_on: false,
            reason: "off in 6.2.10, and gone in 6.3.1",
            question: "6.2's UI sidecar opened a second, unauthenticated port for in-cluster callers; \
                6.3.1 has none: in-cluster clients go through the gateway (osmo-gateway)",
        },
    ),
    path(
        Ui,
        "sidecars.envoy.maxRequests",
        "gateway.envoy.maxRequests",
    ),
    row(
        Ui,
        "sidecars.envoy.skipAuthPaths",
        To::Rewrite(
            "gateway.envoy.extraSkipAuthPaths",
            Rewrite::SkipAuthPaths { default: &[] },
        ),
    ),
    dropped(
        Ui,
        "sidecars.envoy.images.init",
        "gone in 6.3.1: the gateway's Envoy has no init container",
    ),
    row(
        Ui,
        "sidecars.envoy.images.envoy",
        To::Rewrite("gateway.envoy.image", ENVOY_IMAGE),
    ),
    path(
        Ui,
        "sidecars.envoy.images.pullPolicy",
        "gateway.envoy.imagePullPolicy",
    ),
    dropped(
        Ui,
        "sidecars.envoy.jwtEnable",
        "6.3.1's gateway checks tokens with one list of providers for every route; the UI route \
         itself needs no authorization there",
    ),
    path(Ui, "sidecars.envoy.idp", "gateway.envoy.idp"),
    path(
        Ui,
        "sidecars.envoy.listenerPort",
        "gateway.envoy.listenerPort",
    ),
    path(
        Ui,
        "sidecars.envoy.service.hostname",
        "gateway.envoy.hostname",
    ),
    row(
        Ui,
        "sidecars.envoy.service.port",
        To::DroppedIf {
            value: "8000",
            reason: LOCAL_UPSTREAM,
            question: LOCAL_UPSTREAM,
        },
    ),
    row(
        Ui,
        "sidecars.envoy.service.address",
        To::DroppedIf {
            value: "\"127.0.0.1\"",
            reason: LOCAL_UPSTREAM,
            question: LOCAL_UPSTREAM,
        },
    ),
    row(
        Ui,
        "sidecars.envoy.ssl",
        To::Inert {
            switch: "sidecars.envoy.ssl.enabled",
            default_on: false,
            reason: "TLS at Envoy was off; 6.3.1's gateway.envoy.ssl is off by default too",
            question: SSL_QUESTION,
        },
    ),
    path(
        Ui,
        "sidecars.envoy.jwt.user_header",
        "gateway.envoy.jwt.user_header",
    ),
    row(
        Ui,
        "sidecars.envoy.jwt.providers",
        To::Rewrite("gateway.envoy.jwt.providers", Rewrite::JwtProviders),
    ),
    path(Ui, "sidecars.envoy.resources", "gateway.envoy.resources"),
    path(Ui, "sidecars.oauth2Proxy", "gateway.oauth2Proxy"),
    row(
        Ui,
        "sidecars.oauth2Proxy.image",
        To::Rewrite("gateway.oauth2Proxy.image", OAUTH2_PROXY_IMAGE),
    ),
    path(
        Ui,
        "sidecars.oauth2Proxy.oidcEndSessionUrl",
        "services.service.auth.logout_endpoint",
    ),
    dropped(Ui, "sidecars.logAgent", REMOVED_1_2_1),
    row(Ui, "extraConfigMaps", To::Join("extraConfigMaps")),
    path(Ui, "extraContainers", "services.ui.extraContainers"),
    path(Ui, "extraPodAnnotations", "services.ui.extraPodAnnotations"),
    // ------------------------------------------------------------------
    // backend-operator chart 1.2.1 → 1.3.1
    same(Operator, "nameOverride"),
    same(Operator, "fullnameOverride"),
    same(Operator, "global"),
    row(
        Operator,
        "global.osmoImageTag",
        To::Rewrite("global.osmoImageTag", Rewrite::ReleaseTag),
    ),
    row(
        Operator,
        "global.serviceUrl",
        To::Rewrite("global.serviceUrl", Rewrite::ServiceUrl),
    ),
    row(
        Operator,
        "global.network",
        To::Inert {
            switch: "global.network.restrictEgress",
            default_on: false,
            reason: "egress was not restricted; 6.3.1's replacement, global.networkPolicy, is off by \
                default too",
            question: NETWORK_QUESTION,
        },
    ),
    row(
        Operator,
        "global.network.allowlistEgress",
        To::Inert {
            switch: "global.network.allowlistEgress.enabled",
            default_on: false,
            reason: "the squid allowlist proxy was off, and 6.3.1 has none",
            question: NETWORK_QUESTION,
        },
    ),
    same(Operator, "podMonitor"),
    same(Operator, "services"),
    same(Operator, "backendTestRunner"),
    same(Operator, "extraConfigMaps"),
    dropped(Operator, "sidecars", REMOVED_1_2_1),
];

/// A 6.2.10 default that 6.3.1 changed: a deployment that never set the
/// key gets the new behaviour after the upgrade. The migration writes no
/// default the operator never set; it lists these instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultChange {
    /// The 6.2.10 chart whose default it is.
    pub chart: ChartName,
    /// The 6.2.10 key: the note applies when the deployment does not set it
    /// (an empty path: always).
    pub key: &'static str,
    /// What the 6.2.10 default did.
    pub was: &'static str,
    /// What 6.3.1 does instead.
    pub now: &'static str,
}

/// The 6.2.10 defaults 6.3.1 changed that a migrated deployment notices.
pub const DEFAULT_CHANGES: &[DefaultChange] = &[
    DefaultChange {
        chart: Service,
        key: "",
        was: "the API service, router, agent and logger served plain HTTP to their own Envoy sidecar",
        now: "they serve HTTPS only (gateway.tls.enabled is on by default): in-cluster clients that \
            called osmo-service or osmo-agent directly must go through the gateway (osmo-gateway)",
    },
    DefaultChange {
        chart: Service,
        key: "services.service.ingress",
        was: "an nginx Ingress with TLS (secret osmo-tls) for services.service.hostname",
        now: "no Ingress: the gateway's Service osmo-gateway is a LoadBalancer (gateway.envoy.service, \
            gateway.envoy.ingress)",
    },
    DefaultChange {
        chart: Service,
        key: "podMonitor.enabled",
        was: "PodMonitors for Prometheus (podMonitor.enabled: true)",
        now: "no PodMonitors unless podMonitor.enabled is set",
    },
    DefaultChange {
        chart: Service,
        key: "sidecars.rateLimit.enabled",
        was: "a rate-limit sidecar with the chart's rules, on",
        now: "no rate limiter (gateway.rateLimit.enabled: false)",
    },
    DefaultChange {
        chart: Service,
        key: "services.agent.resources",
        was: "a 500Mi memory limit for the agent",
        now: "a 1Gi memory limit",
    },
    DefaultChange {
        chart: Router,
        key: "services.service.serviceAccountName",
        was: "the router ran as its own ServiceAccount `router`, which its release created",
        now: "the router runs as the service chart's account (global.serviceAccountName, `osmo`)",
    },
    DefaultChange {
        chart: Operator,
        key: "podMonitor.enabled",
        was: "a PodMonitor for Prometheus (podMonitor.enabled: true)",
        now: "no PodMonitor unless podMonitor.enabled is set",
    },
];

const NETWORK_QUESTION: &str = "6.2's restrictEgress (with the optional squid allowlist proxy) is \
    gone; 6.3.1's global.networkPolicy works the other way round: workflow pods may reach the \
    internet but not the cluster networks listed in clusterCIDRs (own namespace, DNS and \
    allowedNamespaces stay reachable). Decide whether to turn it on, and with which clusterCIDRs, \
    allowedNamespaces and additionalEgressRules";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_row_wins() {
        let f = lookup(Service, &Path::keys("services.service.ingress.prefix")).unwrap();
        assert!(matches!(f.row.to, To::DroppedIf { .. }));
        let f = lookup(
            Service,
            &Path::keys("services.service.ingress.annotations.a"),
        )
        .unwrap();
        assert_eq!(
            f.target.unwrap().to_string(),
            "gateway.envoy.ingress.annotations.a"
        );
        let f = lookup(Service, &Path::keys("services.logger.envoy.idp.host")).unwrap();
        assert!(matches!(f.row.to, To::Decide(_)));
        let f = lookup(Service, &Path::keys("services.logger.envoy.resources")).unwrap();
        assert!(matches!(f.row.to, To::Dropped(_)));
        let f = lookup(Ui, &Path::keys("global.nodeSelector.pool")).unwrap();
        assert_eq!(
            f.target.unwrap().to_string(),
            "services.ui.nodeSelector.pool"
        );
        // A row covers its block, known keys or not: whether a key exists is
        // the chart model's question.
        let f = lookup(Service, &Path::keys("sidecars.envoy.oauth2Filter")).unwrap();
        assert_eq!(f.row.from, "sidecars.envoy");
        assert!(lookup(Service, &Path::keys("sidecars")).is_none());
        assert!(lookup(Operator, &Path::keys("bogus")).is_none());
    }

    #[test]
    fn every_row_names_a_chart_of_6_2() {
        for m in MOVES {
            assert!(
                crate::Release::V6_2_10.has_chart(m.chart),
                "{}: {}",
                m.chart,
                m.from
            );
            assert!(!m.from.is_empty() && !m.from.contains(".."), "{}", m.from);
        }
    }
}
