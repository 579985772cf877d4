//! The table of lint rules: stable codes, names, severities and explanations.
//!
//! The command-line tool's `rules` and `explain` commands and `docs/rules.md`
//! all read this one table.

use crate::Release;
use crate::diagnostic::Severity;

/// The release a rule judges from: the one given, else the oldest.
const fn first_release(given: &[Release]) -> Release {
    match given {
        [r] => *r,
        _ => Release::ALL[0],
    }
}

/// The release a rule judges up to: the one given, else the newest.
const fn last_release(given: &[Release]) -> Release {
    match given {
        [r] => *r,
        _ => Release::ALL[Release::ALL.len() - 1],
    }
}

/// One lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable code such as `OV101`; never reused for another meaning.
    pub code: &'static str,
    /// Stable kebab-case name such as `unknown-key`.
    pub name: &'static str,
    /// The rule's usual severity (a few rules lower it for harmless cases,
    /// as their explanation says).
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Markdown: what, why, an example and the fix.
    pub explanation: &'static str,
    /// The oldest release the rule judges.
    pub since: Release,
    /// The newest release the rule judges.
    pub until: Release,
}

impl Rule {
    /// Whether the rule judges files of `release`.
    ///
    /// ```
    /// use osmo_values::{lint::rule, Release};
    /// assert!(rule("OV201").unwrap().applies_to(Release::V6_2_10));
    /// assert!(!rule("OV201").unwrap().applies_to(Release::V6_3_1));
    /// assert!(rule("OV101").unwrap().applies_to(Release::V6_3_1));
    /// ```
    pub fn applies_to(&self, release: Release) -> bool {
        self.since <= release && release <= self.until
    }

    /// The releases the rule judges, in words: `all releases`, `6.2.10`,
    /// `6.3.1 and later`.
    pub fn releases(&self) -> String {
        let first = Release::ALL[0];
        let last = Release::ALL[Release::ALL.len() - 1];
        match (self.since == first, self.until == last) {
            (true, true) => "all releases".to_owned(),
            _ if self.since == self.until => self.since.to_string(),
            (false, true) => format!("{} and later", self.since),
            (true, false) => format!("up to {}", self.until),
            (false, false) => format!("{} to {}", self.since, self.until),
        }
    }
}

/// The rules that judge files of `release`, ordered by code.
pub fn rules_for(release: Release) -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(move |r| r.applies_to(release))
}

macro_rules! rules {
    ($( $konst:ident = $code:literal, $name:literal, $sev:ident $(, since $since:ident)? $(, until $until:ident)?, $summary:literal, $expl:literal; )*) => {
        /// Rule codes, as constants.
        pub mod code {
            $(
                #[doc = $summary]
                pub const $konst: &str = $code;
            )*
        }
        /// Every rule, ordered by code.
        pub static RULES: &[Rule] = &[
            $( Rule {
                code: $code,
                name: $name,
                severity: Severity::$sev,
                summary: $summary,
                explanation: $expl,
                since: first_release(&[$(Release::$since)?]),
                until: last_release(&[$(Release::$until)?]),
            }, )*
        ];
        /// The usual severity of the rule with this exact code (`OV101`). Unlike a
        /// lookup in [`RULES`], it does not reach the summaries and explanations, so a
        /// program that only lints (the browser wizard) does not carry them.
        pub fn severity(code: &str) -> Option<Severity> {
            match code {
                $( $code => Some(Severity::$sev), )*
                _ => None,
            }
        }
    };
}

rules! {
    UNREADABLE = "OV001", "unreadable", Error,
        "The file cannot be read as a Helm values file.",
        "The file is not valid UTF-8, is not valid YAML, holds more than one document, \
nests too deeply, or has a top level that is not a map. Helm refuses such a file, or \
(for a second document) silently reads only part of it.\n\n\
**Fix:** correct the syntax at the position shown. A values file is one YAML map.\n";
    DUPLICATE_KEY = "OV002", "duplicate-key", Error,
        "A key is written twice in the same map; Helm silently keeps the last one.",
        "When a map repeats a key, Helm keeps only the last value: everything set under the \
first occurrence is silently lost. This usually comes from pasting a block from a guide \
into a file that already has it.\n\n\
```yaml\nservices:\n  service:\n    hostname: osmo.example.com\n  service:        # replaces the block above\n    scaling:\n      minReplicas: 2\n```\n\n\
**Fix:** merge the two blocks into one.\n";
    YAML11_BOOLEAN = "OV003", "yaml11-boolean", Error,
        "An unquoted `yes`, `no`, `on`, `off`, `y` or `n` is a boolean where text is expected.",
        "Helm reads values with YAML 1.1 rules: an unquoted `yes`, `no`, `on`, `off`, `y` or \
`n` (in any capitalisation go-yaml knows) is the boolean `true` or `false`, not the word. \
Where the chart expects text (an annotation, a label, a log level), the manifest receives \
`true`/`false` instead, or Kubernetes refuses a boolean annotation.\n\n\
```yaml\nannotations:\n  example.com/enabled: yes   # the boolean true\n```\n\n\
**Fix:** quote the value: `\"yes\"`. The fix is machine-applicable.\n";
    NUMERIC_IMAGE_TAG = "OV004", "numeric-image-tag", Error,
        "An image tag written as a bare number: an error when Helm prints it differently (`6.10` → `6.1`), else a warning.",
        "YAML reads an unquoted `6.10` as the number 6.1, and Helm prints that number into \
the image reference: the deployment pulls `osmo/service:6.1`, another image or none. That \
is an error. A number that prints exactly as written, such as the charts' own default \
`6.2`, renders the right image and works; it is reported as a warning, because a later \
edit to `6.20` or `6.10` would silently change what is pulled.\n\n\
```yaml\nglobal:\n  osmoImageTag: 6.10    # error: renders as 6.1\n  osmoImageTag: 6.2     # warning: renders as 6.2\n```\n\n\
**Fix:** quote the tag exactly as written: `osmoImageTag: \"6.10\"`. The fix is \
machine-applicable.\n";
    CHART_NOT_IN_RELEASE = "OV006", "chart-not-in-release", Error, since V6_3_1,
        "A values file for a chart the release no longer ships (the 6.2 router or web-ui chart).",
        "OSMO 6.3 merged the `router` and `web-ui` charts into the `service` chart: there is \
no router or UI release to install these values into, and the service chart does not read \
them from here. Router settings now live under `services.router` and UI settings under \
`services.ui` of `osmo_values.yaml`; the 6.2 `router` and `ui` releases must be uninstalled \
before the service chart is upgraded, because they own the `osmo-router` and `osmo-ui` \
objects.\n\n\
**Fix:** `osmo-values migrate --to 6.3.1 osmo_values.yaml router_values.yaml ui_values.yaml` \
moves every key to its new home and writes the upgrade steps. If the deployment still runs \
6.2, lint it with `--release 6.2.10`.\n";
    UNKNOWN_KEY = "OV101", "unknown-key", Error,
        "A key the chart does not know: a typo or a misindented block.",
        "The chart never reads this key, so whatever it sets is silently ignored. It is nearly \
always a typo (`hostnme`) or a block indented under the wrong parent (an `ingress:` block \
under `services.defaultAdmin` instead of `services.service`). The finding suggests the \
closest known key among the siblings and, when the key exists elsewhere in the chart, \
the place where it belongs.\n\n\
```yaml\nservices:\n  defaultAdmin:\n    enabled: false\n    ingress:          # belongs at services.service.ingress\n      ingressClass: nginx\n```\n\n\
**Fix:** rename the key, or move the block to the place shown.\n";
    WRONG_TYPE = "OV102", "wrong-type", Error,
        "A value of the wrong type (text where a number is expected, a list for a map...).",
        "The chart expects another type here: a number, a boolean, a map, a list or text. \
Helm does not check, so the template either fails to render or renders something \
Kubernetes refuses.\n\n\
```yaml\nservices:\n  service:\n    scaling:\n      minReplicas: \"two\"\n```\n\n\
**Fix:** write a value of the expected type.\n";
    BAD_ENUM = "OV103", "bad-enum", Error,
        "A value outside the closed set the chart or Kubernetes accepts.",
        "Some keys accept only a few values, such as an image pull policy (`Always`, \
`IfNotPresent`, `Never`) or a toleration operator. Kubernetes refuses anything else, \
including a different capitalisation.\n\n\
```yaml\nimagePullPolicy: always   # must be Always\n```\n\n\
**Fix:** use one of the listed values.\n";
    OUT_OF_RANGE = "OV104", "out-of-range", Error,
        "A number, text or list outside the allowed range (a port above 65535...).",
        "The value is of the right type but outside what the key accepts: a negative count, \
a port above 65535, an empty list where one item is required.\n\n\
```yaml\nsidecars:\n  oauth2Proxy:\n    httpPort: 70000\n```\n\n\
**Fix:** use a value within the range shown.\n";
    INVALID_FORMAT = "OV105", "invalid-format", Error,
        "Text that does not have the required form (a Kubernetes quantity such as `64MB`...).",
        "The value is text but not of the required form, for example a resource quantity \
written `64MB` (Kubernetes wants `64M` or `64Mi`). Kubernetes refuses the manifest.\n\n\
```yaml\nresources:\n  limits:\n    memory: 512MB\n```\n\n\
**Fix:** write the value in the form shown.\n";
    MOVED_KEY = "OV106", "moved-key", Error, since V6_3_1,
        "An OSMO 6.2 key in a 6.3.1 file: 6.3.1 reads the setting elsewhere, or not at all.",
        "OSMO 6.3 replaced the per-pod sidecars (`sidecars.envoy`, `sidecars.oauth2Proxy`, \
`sidecars.authz`, `sidecars.rateLimit`) by one gateway (`gateway.*`), moved the API \
service's Ingress to the gateway, and merged the router and web-ui charts into the service \
chart. Unlike 6.2, the 6.3.1 charts refuse nothing: a key left at its 6.2 place is silently \
ignored, so authentication, the Ingress or the UI settings quietly fall back to the \
defaults. The finding names the key's 6.3.1 home, or says why it has none; the table of \
moves is the one `osmo-values migrate` uses. Keys the 6.2.10 charts already ignored \
(`sidecars.otel`, the backend operator's `sidecars`) are reported as warnings, with a fix \
that deletes them.\n\n\
```yaml\nsidecars:          # 6.2\n  oauth2Proxy:\n    clientId: osmo-browser\nservices:\n  service:\n    ingress:       # 6.2: the gateway's Ingress is gateway.envoy.ingress\n      enabled: true\n```\n\n\
**Fix:** move the block to the place shown (`gateway.oauth2Proxy`, `gateway.envoy.ingress`), \
or run `osmo-values migrate --to 6.3.1` on the file.\n";
    ENVOY_OAUTH2_FILTER = "OV201", "envoy-oauth2-filter", Error, until V6_2_10,
        "`sidecars.envoy.oauth2Filter` was removed in OSMO 6.2; the charts refuse it when enabled.",
        "OSMO 6.2 replaced Envoy's OAuth2 filter with the oauth2-proxy sidecar. When \
`sidecars.envoy.oauth2Filter.enabled` is true, `helm install` fails with a BREAKING CHANGE \
message; when the block is present but disabled it has no effect (reported as a warning). \
In a per-service override (`services.service.envoy`, `services.logger.envoy`, \
`services.agent.envoy`) Helm does not check it: the block is accepted and ignored, an \
error while enabled (the filter asked for is silently missing), a warning otherwise.\n\n\
**Fix:** migrate to the oauth2-proxy sidecar.\n\n\
1. Remove the whole `sidecars.envoy.oauth2Filter` block.\n\
2. Remove `sidecars.envoy.secretPaths.hmacSecret` (no longer used).\n\
3. Move `sidecars.envoy.secretPaths.clientSecret` to `sidecars.oauth2Proxy.secretPaths.clientSecret`.\n\
4. Configure `sidecars.oauth2Proxy`: `enabled`, `oidcIssuerUrl`, `clientId`, `cookieDomain`.\n\
5. Set the redirect URI registered with your identity provider to `https://<hostname>/oauth2/callback`.\n";
    ENVOY_USE_KUBERNETES_SECRETS = "OV202", "envoy-use-kubernetes-secrets", Error, until V6_2_10,
        "`sidecars.envoy.useKubernetesSecrets` moved to `sidecars.oauth2Proxy.useKubernetesSecrets` in OSMO 6.2.",
        "The 6.2 charts refuse to install when `sidecars.envoy.useKubernetesSecrets` is true: \
the setting now belongs to the oauth2-proxy sidecar. Set to false, the key has no effect \
(reported as a warning). In a per-service override (`services.<name>.envoy`) Helm does not \
check it and the key is ignored: an error when true (its intent is silently lost), a \
warning otherwise.\n\n\
```yaml\nsidecars:\n  envoy:\n    useKubernetesSecrets: true      # refused\n  oauth2Proxy:\n    useKubernetesSecrets: true      # here instead\n    secretName: oauth2-proxy-secrets\n```\n\n\
**Fix:** delete the key under `envoy` and set `sidecars.oauth2Proxy.useKubernetesSecrets: true` \
with `sidecars.oauth2Proxy.secretName`. The fix is machine-applicable when the file has an \
`oauth2Proxy` block.\n";
    ENVOY_SECRET_PATHS = "OV203", "envoy-secret-paths", Warning, until V6_2_10,
        "`sidecars.envoy.secretPaths` is not read by the 6.2 charts (`hmacSecret` is gone, `clientSecret` moved).",
        "With the Envoy OAuth2 filter gone, Envoy no longer reads secret files: \
`sidecars.envoy.secretPaths.hmacSecret` has no use at all, and the client secret is now \
read by oauth2-proxy from `sidecars.oauth2Proxy.secretPaths.clientSecret`. The same holds \
for `secretPaths` in a per-service override (`services.<name>.envoy`).\n\n\
**Fix:** delete `hmacSecret` (machine-applicable); move `clientSecret` to \
`sidecars.oauth2Proxy.secretPaths.clientSecret`.\n";
    OAUTH_CLUSTER = "OV204", "oauth-cluster", Error, until V6_2_10,
        "JWT provider `cluster: oauth` was renamed `idp` in OSMO 6.2; the charts refuse it.",
        "The Envoy cluster used to fetch an identity provider's signing keys is now called \
`idp`. `helm install` fails when any `sidecars.envoy.jwt.providers[].cluster` is `oauth`. \
In a per-service override (`services.<name>.envoy.jwt.providers`) Helm does not check it, \
but that service's Envoy has no `oauth` cluster, cannot fetch the provider's keys and \
refuses its tokens.\n\n\
```yaml\njwt:\n  providers:\n  - issuer: https://accounts.google.com\n    cluster: oauth      # now: idp\n```\n\n\
**Fix:** write `cluster: idp` (machine-applicable) and set `sidecars.envoy.idp.host` to \
the host name of the provider's `jwks_uri`.\n";
    NULL_REQUIRED_MAP = "OV205", "null-required-map", Error, since V6_3_1,
        "A `null` (or an empty `key:`) deletes a map the templates read: Helm fails to render.",
        "In a values file, `null` deletes the chart's default, and a key written with nothing \
after the colon is `null` too. The 6.3.1 templates read keys inside many of their maps \
without checking that the map exists (`gateway.envoy.idp.host`, `global.logs.enabled`, \
`gateway.oauth2Proxy.redis.port`...): once such a map is deleted, `helm install` stops with \
a nil pointer error. The finding names the map; the table of such maps was found by \
rendering the chart with each of its maps deleted.\n\n\
```yaml\ngateway:\n  envoy:\n    idp:            # nothing below: null, deletes the chart's idp map\n```\n\n\
**Fix:** write `{}` to keep the chart's defaults (machine-applicable), set the keys you \
want under it, or delete the line.\n";
    IDP_HOST = "OV301", "idp-host", Error,
        "A JWT provider uses cluster `idp` but the Envoy `idp.host` is missing or is not the host of its `jwks_uri`.",
        "Envoy's `idp` cluster exists only when `idp.host` is set (`sidecars.envoy.idp.host` in \
6.2, `gateway.envoy.idp.host` in 6.3.1), and it connects to that host on port 443. A \
provider on cluster `idp` with no host points at a cluster that does not exist; with \
another host, Envoy fetches the keys from the wrong server. Either way no token from the \
identity provider validates: every request is refused with 401 and Envoy logs failed \
JWKS fetches. There is only one `idp` host, and it must be the host of the `jwks_uri`, \
which is not always the issuer's host (Google: `www.googleapis.com`). In 6.2 a service's \
override (`services.<name>.envoy`) is merged over `sidecars.envoy` for that service's \
Envoy, key by key, an empty value included: the check runs on each service's merged \
configuration and points at the override when it set the offending value (its own \
providers, or an `idp.host` emptied or changed for that service). The charts' own \
defaults put providers on cluster `idp` with an empty `idp.host` (two in 6.2): files that \
leave them in place are reported too, where `idp.host` belongs, with a note naming the \
default.\n\n\
```yaml\ngateway:                # 6.3.1; sidecars: in 6.2\n  envoy:\n    idp:\n      host: login.microsoftonline.com\n    jwt:\n      providers:\n      - jwks_uri: https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys\n        cluster: idp\n```\n\n\
**Fix:** set `idp.host` to the host of the provider's `jwks_uri`.\n";
    UNDEFINED_CLUSTER = "OV302", "undefined-cluster", Error,
        "A JWT provider or a route names an Envoy cluster the chart does not define.",
        "Each chart defines a fixed set of Envoy clusters. In 6.2: the service chart `service`, \
`idp` (when `sidecars.envoy.idp.host` is set), `oauth2-proxy`, `authz-sidecar` and \
`rate-limit` (when enabled); the router chart `service`, `osmoauth` (when \
`sidecars.envoy.osmoauth.enabled`), `idp`, `oauth2-proxy`, `authz-sidecar`; the web-ui \
chart `service`, `idp` and `oauth2-proxy`; OSMO-issued tokens use cluster `service` in the \
service chart and `osmoauth` in the router chart, and providers set in a per-service \
override (`services.<name>.envoy`) are checked the same way. The 6.2 charts also route \
`/oauth2/` to cluster `oauth2-proxy` whenever Envoy is on, while they define that cluster \
only with `sidecars.oauth2Proxy.enabled`, so Envoy on with oauth2-proxy off is reported \
too. In 6.3.1 the gateway defines `osmo-service`, `osmo-router`, `osmo-ui`, `osmo-agent`, \
`osmo-logger` (unless their `gateway.upstreams.<name>.enabled` is false), `oauth2-proxy`, \
`authz`, `rate-limit` (when enabled), `idp` (when `gateway.envoy.idp.host` is set), the \
cluster named by `gateway.envoy.internalJwks.cluster` (default `osmo-service-jwks`, while \
`internalJwks` is enabled) for OSMO-issued tokens, and each of \
`gateway.envoy.extraClusters`; the 6.2 names `service`, `osmoauth` and `authz-sidecar` are \
gone. A provider naming another cluster cannot fetch its keys, so its tokens are refused; \
a route naming one (`gateway.envoy.serviceRoutes` or `extraRoutes` in 6.3.1) makes Envoy \
refuse the whole route table.\n\n\
```yaml\ngateway:\n  envoy:\n    jwt:\n      providers:\n      - issuer: osmo\n        jwks_uri: https://osmo-service/api/auth/keys\n        cluster: service          # 6.2 name; now osmo-service-jwks\n```\n\n\
**Fix:** use one of the chart's clusters (or enable the one you need); without an \
identity provider in 6.2, turn Envoy off together with oauth2-proxy.\n";
    OAUTH2_PROXY_INCOMPLETE = "OV303", "oauth2-proxy-incomplete", Error,
        "oauth2-proxy is enabled without an issuer URL, a client id or (6.3.1) its secrets.",
        "oauth2-proxy starts with `--oidc-issuer-url` and `--client-id` taken from \
`oidcIssuerUrl` and `clientId` (`sidecars.oauth2Proxy` in 6.2, `gateway.oauth2Proxy` in \
6.3.1). Empty, it cannot start and browser log-in fails. The charts' defaults are exactly \
that (on, both empty): files that never configure oauth2-proxy are reported where its \
settings belong, with a note naming the default. In 6.3.1 its client and cookie secrets \
come from the Kubernetes Secret `secretName` only with `useKubernetesSecrets: true`; \
otherwise (the default) it reads them from the file `secretPaths.cookieSecret`, which only \
an injector (pod annotations) or extra volumes can provide: without either it \
crash-loops.\n\n\
```yaml\ngateway:\n  oauth2Proxy:\n    oidcIssuerUrl: https://login.microsoftonline.com/<tenant>/v2.0\n    clientId: <client-id>\n    useKubernetesSecrets: true\n    secretName: oauth2-proxy-secrets\n```\n\n\
**Fix:** set them from your identity provider's application registration, or turn \
oauth2-proxy off (`enabled: false`) if you do not use an identity provider.\n";
    ISSUER_MISMATCH = "OV304", "issuer-mismatch", Error,
        "No JWT provider has the issuer oauth2-proxy logs in with.",
        "oauth2-proxy obtains tokens from its `oidcIssuerUrl` and hands them on; Envoy then \
validates them with the JWT provider whose `issuer` matches the token's `iss` claim \
exactly. If no provider has that issuer (a trailing slash counts), every browser request \
is refused right after a successful log-in. In 6.2 oauth2-proxy runs in the API service, \
logger and agent pods alike, so a per-service override that replaces `jwt.providers` must \
keep that provider too; in 6.3.1 the gateway's `gateway.envoy.jwt.providers` must have \
it (the default list is empty).\n\n\
**Fix:** make one provider's `issuer` equal to `oidcIssuerUrl`.\n";
    AUDIENCE_MISMATCH = "OV305", "audience-mismatch", Error,
        "The JWT provider for oauth2-proxy's issuer expects another audience than the client id.",
        "Tokens oauth2-proxy obtains are issued for its `clientId`; the JWT provider with the \
same issuer must list that client id as `audience`, or Envoy refuses the tokens. (For \
Google the audience is the full `<id>.apps.googleusercontent.com`.) In 6.2, providers set \
in a per-service override (`services.<name>.envoy`) are checked the same way.\n\n\
**Fix:** set the provider's `audience` to oauth2-proxy's `clientId`.\n";
    COOKIE_DOMAIN = "OV306", "cookie-domain", Error,
        "oauth2-proxy's `cookieDomain` does not cover the public host name.",
        "Browsers only send the session cookie to hosts within the cookie's domain. When \
`cookieDomain` is not the host name or a parent domain of it, the cookie is refused and \
log-in loops. The host name is `services.service.hostname` in 6.2 and \
`gateway.envoy.hostname` (else `global.hostname`) in 6.3.1.\n\n\
```yaml\ngateway:\n  envoy:\n    hostname: osmo.example.com\n  oauth2Proxy:\n    cookieDomain: .example.com   # covers osmo.example.com\n```\n\n\
**Fix:** use the host name itself or one of its parent domains (with or without the \
leading dot).\n";
    PLACEHOLDER = "OV307", "placeholder", Error,
        "A template placeholder such as `<your-domain>` is still in the file.",
        "Guides write placeholders such as `<your-domain>`, `<version>` or \
`<insert-osmo-image-tag>` for you to replace. Helm renders them into the manifests \
without complaint, and the deployment then points at hosts and images that do not exist.\n\n\
**Fix:** replace the placeholder with your real value.\n";
    REMOVED_KEY = "OV308", "removed-key", Warning, until V6_2_10,
        "A key removed in chart 1.2.1 (`sidecars.logAgent`, `sidecars.otel`, backend-operator `sidecars`).",
        "The 1.2.1 charts no longer read `sidecars.logAgent` (service, router, web-ui), \
`sidecars.otel` (service) or the whole `sidecars` block of the backend-operator chart. \
Values there are silently ignored; nothing breaks.\n\n\
**Fix:** delete the block (machine-applicable).\n";
    ENVOY_OVERRIDE_IGNORED = "OV309", "envoy-override-ignored", Warning, until V6_2_10,
        "A per-service Envoy override sets a key only the Envoy container reads; the container uses `sidecars.envoy` alone.",
        "The service chart merges `services.service.envoy`, `services.logger.envoy` and \
`services.agent.envoy` over `sidecars.envoy` for that service's Envoy configuration and \
its volumes only. The Envoy container itself is built from `sidecars.envoy`: in an \
override, `image`, `imagePullPolicy`, `securityContext`, `logLevel`, `resources`, the \
three probes, `extraVolumeMounts` and `service.hostname` (read only for oauth2-proxy's \
redirect URL) are accepted and ignored. So is `listenerPort` while TLS is on, since Envoy \
then listens on 443.\n\n\
```yaml\nservices:\n  logger:\n    envoy:\n      logLevel: debug      # ignored: sidecars.envoy.logLevel applies\n```\n\n\
**Fix:** delete the key (machine-applicable); to change it, set it under \
`sidecars.envoy`, which applies to every service.\n";
    ENVOY_OVERRIDE_MISMATCH = "OV310", "envoy-override-mismatch", Error, until V6_2_10,
        "A per-service Envoy override changes `enabled`, `ssl.enabled`, `listenerPort` or `inClusterPaths`, which its container takes from `sidecars.envoy`.",
        "An override (`services.<name>.envoy`) changes that service's Envoy configuration and \
volumes, but the Envoy container, its ports and TLS mounts, the config map's presence \
and the Services' target ports follow `sidecars.envoy`. When the two disagree the pod \
breaks:\n\n\
- `enabled: false` in an override (with `sidecars.envoy.enabled: true`) removes the \
config volume the Envoy container still mounts, so Kubernetes refuses the pod; \
`enabled: true` with Envoy off in `sidecars.envoy` adds a volume for a config map the \
chart never creates, so the pod never starts.\n\
- Another `ssl.enabled` leaves the certificate either unmounted (Envoy cannot load its \
configuration) or mounted from a volume that does not exist.\n\
- Another `listenerPort` (or in-cluster listener `inClusterPaths.enabled`/`port`) makes \
Envoy listen where the container and its Service do not send traffic.\n\n\
```yaml\nservices:\n  agent:\n    envoy:\n      listenerPort: 8080   # the container and Service still use sidecars.envoy's port\n```\n\n\
**Fix:** delete the key from the override, or set it under `sidecars.envoy` so every \
service agrees.\n";
    NO_EFFECT_KEY = "OV311", "no-effect-key", Warning,
        "A value set on a key the chart never reads; the finding says what the chart uses instead.",
        "Some keys are in the charts' default values (or their guides) but no template of the \
6.2.10 charts reads them, so a value there changes nothing: \
`services.delayedJobMonitor.resources` (the monitor's container gets \
`services.service.resources`), `services.worker.topologySpreadConstraints` (the worker \
pods get the API service's), the router's `sidecars.envoy.jwt.enabled` and \
`sidecars.envoy.osmoauth.hostname`, `services.localstackS3.imagePullPolicy` and others. \
The schema describes each as `No effect:` and what the chart uses instead; a scan of the \
real templates keeps that list true.\n\n\
```yaml\nservices:\n  delayedJobMonitor:\n    resources:          # no effect: set services.service.resources\n      limits:\n        memory: 2Gi\n```\n\n\
**Fix:** delete the key, and set what the chart uses instead if that was the intent \
(the suggested deletion is not applied by `--fix`: emptying a map would make Helm read \
it as null and drop the chart's defaults there).\n";
    JWKS_SCHEME = "OV312", "jwks-scheme", Error, since V6_3_1,
        "A JWT provider's `jwks_uri` scheme does not match what its Envoy cluster speaks.",
        "Envoy fetches a provider's signing keys over the cluster the provider names. The \
`idp` cluster always speaks TLS to port 443, so its providers need an `https://` \
`jwks_uri`. The clusters to OSMO's own services (the one for OSMO-issued tokens, \
`gateway.envoy.internalJwks.cluster`, and `osmo-service`, `osmo-router`, `osmo-agent`, \
`osmo-logger`) speak TLS exactly when `gateway.tls.enabled` is true (the default): the \
OSMO-token provider's `jwks_uri` is then `https://osmo-service/api/auth/keys`, and \
`http://...` once upstream TLS is turned off. When they disagree the keys are never \
fetched (Envoy logs `Jwks async fetching ... failed`) and the CLI's and access tokens \
are refused with 401.\n\n\
```yaml\ngateway:\n  tls:\n    enabled: true                # the default\n  envoy:\n    jwt:\n      providers:\n      - issuer: osmo\n        jwks_uri: http://osmo-service/api/auth/keys   # must be https://\n        cluster: osmo-service-jwks\n```\n\n\
**Fix:** write the `jwks_uri` with the scheme shown (or change `gateway.tls.enabled`).\n";
    GATEWAY_BYPASS = "OV313", "gateway-bypass", Error, since V6_3_1,
        "The UI's `apiHostname` or the backend operator's `serviceUrl` does not go through the gateway.",
        "In 6.3.1 every request to OSMO enters through the gateway (`<gateway.name>`, default \
`osmo-gateway`), which authenticates it and adds the user's identity. A client pointed \
straight at an OSMO service (`osmo-service`, `osmo-agent`..., the 6.2 habit) gets no \
identity, misses the routes the gateway adds, and with upstream TLS on (the default) \
finds the service speaking only HTTPS on port 8000. The UI's `services.ui.apiHostname` \
must name the gateway (`osmo-gateway:80`, or `<gateway.name>:80` when the gateway is \
renamed); the backend operator's `global.serviceUrl` must be the public URL or the \
gateway's in-cluster address (`http://osmo-gateway.<namespace>.svc.cluster.local`).\n\n\
```yaml\nglobal:\n  serviceUrl: http://osmo-agent.osmo.svc.cluster.local   # 6.2 habit\n```\n\n\
**Fix:** use the gateway's name or the public URL.\n";
    TLS_SCHEME_MISMATCH = "OV314", "tls-scheme-mismatch", Error, since V6_3_1,
        "A client speaks plain HTTP to the gateway while it listens with TLS, or HTTPS while it does not.",
        "With `gateway.envoy.ssl.enabled: true` Envoy listens with TLS on 443 and both ports \
of the gateway's Service (80 and `httpsPort`) lead there, so `osmo-gateway:80` no longer \
speaks plain HTTP; without it, both ports speak plain HTTP. The UI speaks HTTPS to \
`apiHostname` unless `services.ui.nextjsSslEnabled` is false (the default, also settable \
through the `NEXT_PUBLIC_OSMO_SSL_ENABLED` entry of `extraEnvs`); the backend operator \
speaks the scheme of `global.serviceUrl`. When the two ends disagree every connection \
fails (resets, 502, TLS handshake errors). The operator is checked when its file is linted \
together with the service's.\n\n\
```yaml\ngateway:\n  envoy:\n    ssl:\n      enabled: true\nservices:\n  ui:\n    apiHostname: osmo-gateway:80   # the UI still speaks http://\n```\n\n\
**Fix:** make the client's scheme match the gateway (`nextjsSslEnabled: true`, \
`serviceUrl: https://...`, with a host name the gateway's certificate is valid for), or \
change `gateway.envoy.ssl.enabled`.\n";
    OAUTH2_REDIRECT_HOST = "OV315", "oauth2-redirect-host", Error, since V6_3_1,
        "oauth2-proxy is enabled but no host name is set: it redirects to `https:///oauth2/callback`.",
        "oauth2-proxy sends browsers back to `https://<host>/oauth2/callback` after log-in, where \
`<host>` is `gateway.envoy.hostname`, else `global.hostname`. With both empty (the \
default) the redirect URL has no host and every log-in fails. Register the same URL with \
your identity provider's application.\n\n\
**Fix:** set `global.hostname` (or `gateway.envoy.hostname`) to the public host name, or \
turn oauth2-proxy off.\n";
    DEFAULT_ADMIN_SECRET = "OV316", "default-admin-secret", Error, since V6_3_1,
        "The default admin is enabled without a complete Secret reference; or a reminder that its Secret must exist.",
        "With `services.defaultAdmin.enabled` the API service creates the user `username` with \
the password read from the Secret `passwordSecretName`, key `passwordSecretKey`. An empty \
user name, Secret name or key makes Kubernetes refuse or break the pod (an error). With a \
complete reference the chart still does not create the Secret: until it exists in the \
release's namespace the API pod stays in `CreateContainerConfigError` (the minimal guide \
enables the admin without creating it). A values file cannot tell whether the Secret \
exists, so that case is an `info` reminder, left out when the files are linted beside a \
`secrets.yaml` that creates the Secret (a bundle from `osmo-values generate`).\n\n\
```sh\nkubectl create secret generic default-admin-secret --namespace osmo \\\n  --from-literal=password=\"$(openssl rand -base64 32)\"\n```\n\n\
**Fix:** fill in the three keys, and create the Secret before installing.\n";
    CONFIG_FILE_OFF = "OV317", "config-file-off", Error, since V6_3_1,
        "`services.configFile.enabled` is off and no database password is set: no pod gets one.",
        "`services.configFile.enabled` (off by default) does two things in the 6.3.1 service \
chart: it mounts the MEK ConfigMap `mek-config` and it gives the service, worker, agent, \
logger, delayed-job monitor and authz the PostgreSQL and Redis passwords from the \
Secrets `db-secret` (key `db-password`) and `redis-secret` (key `redis-password`). Off, \
and without a plain-text `services.postgres.password`, no pod gets a database password and \
none can start. Every deployment guide turns it on. A file that leaves the default in \
place is reported too, at its `services` block or first line.\n\n\
**Fix:** set `services.configFile.enabled: true` and create `db-secret`, `redis-secret` \
and `mek-config` in the release's namespace.\n";
    LIMIT_BELOW_REQUEST = "OV401", "limit-below-request", Error,
        "A resource limit is lower than the request; Kubernetes refuses the pod.",
        "A container's limit must be at least its request. Quantities are compared exactly: \
`1Gi` is more than `1000Mi`, `500m` is less than `1`.\n\n\
```yaml\nresources:\n  requests:\n    memory: 1Gi\n  limits:\n    memory: 1000Mi    # 1000Mi < 1Gi = 1024Mi\n```\n\n\
**Fix:** raise the limit or lower the request.\n";
    MIN_ABOVE_MAX_REPLICAS = "OV402", "min-above-max-replicas", Error,
        "`minReplicas` is above `maxReplicas`; the autoscaler is refused.",
        "A HorizontalPodAutoscaler needs `minReplicas` ≤ `maxReplicas`; Kubernetes refuses \
it otherwise.\n\n\
**Fix:** lower `minReplicas` or raise `maxReplicas`.\n";
    SKIP_AUTH_PATH = "OV403", "skip-auth-path", Error,
        "A `skipAuthPaths` entry that does not start with `/` never matches a request.",
        "Envoy compares each entry with the start of the request path, which always starts \
with `/`. An entry without the leading slash never matches, so the path keeps requiring \
authentication.\n\n\
**Fix:** start the entry with `/` (machine-applicable).\n";
    SKIP_AUTH_PATH_DUPLICATE = "OV404", "skip-auth-path-duplicate", Warning,
        "A `skipAuthPaths` entry is repeated.",
        "The second occurrence has no effect.\n\n\
**Fix:** delete it (machine-applicable).\n";
    SKIP_AUTH_PATH_MISSING = "OV405", "skip-auth-path-missing", Error,
        "`skipAuthPaths` replaces the chart's list and drops paths OSMO needs without authentication.",
        "A list in a values file replaces the chart's default list; it is not appended to it. \
A `skipAuthPaths` that leaves out the chart's defaults (`/api/auth/login`, \
`/api/auth/keys`, `/api/version`, in 6.3.1 also `/api/router/version`...) makes those \
paths require a token, so log-in, token refresh and version checks fail. In 6.3.1, \
`gateway.envoy.extraSkipAuthPaths` adds paths without replacing the defaults.\n\n\
**Fix:** in 6.3.1 put only your own paths in `gateway.envoy.extraSkipAuthPaths`; in 6.2 \
include every default path in your list, then your own.\n";
    ALB_ANNOTATIONS = "OV406", "alb-annotations", Warning,
        "AWS ALB annotations on an ingress whose class is not `alb` have no effect.",
        "`ingress.albAnnotations.enabled` and `alb.ingress.kubernetes.io/...` annotations are \
only read by the AWS Load Balancer Controller, which handles ingress class `alb`. With \
another class (such as `nginx`) they do nothing.\n\n\
**Fix:** set `ingressClass: alb`, or disable the ALB annotations.\n";
    TLS_WITHOUT_SECRET = "OV407", "tls-without-secret", Error,
        "Ingress TLS is enabled without a certificate secret.",
        "With `ingress.sslEnabled: true` the chart adds a TLS section naming \
`ingress.sslSecret`. Empty, the ingress controller serves its default certificate, \
which browsers and the OSMO client refuse.\n\n\
**Fix:** set `sslSecret` to the name of a `kubernetes.io/tls` secret, or disable \
`sslEnabled` when TLS ends before the ingress.\n";
    HOSTNAME_MISMATCH = "OV501", "hostname-mismatch", Error, until V6_2_10,
        "The charts linted together use different host names.",
        "The service, router and web-ui charts serve the same OSMO domain: their host names \
(`services.service.hostname` in service and router, `services.ui.hostname` in web-ui) \
must agree, or requests and cookies go to the wrong host.\n\n\
**Fix:** use one host name everywhere.\n";
    CLIENT_ID_MISMATCH = "OV502", "client-id-mismatch", Error, until V6_2_10,
        "The charts linted together use different oauth2-proxy client ids.",
        "The service, router and web-ui charts log in through the same identity-provider \
application; different `sidecars.oauth2Proxy.clientId` values break log-in on some of them.\n\n\
**Fix:** use one client id everywhere.\n";
    ISSUER_CROSS_MISMATCH = "OV503", "issuer-cross-mismatch", Error, until V6_2_10,
        "The charts linted together use different oauth2-proxy issuers.",
        "The service, router and web-ui charts must trust the same identity provider: their \
`sidecars.oauth2Proxy.oidcIssuerUrl` values must agree.\n\n\
**Fix:** use one issuer everywhere.\n";
    IMAGE_TAG_MISMATCH = "OV504", "image-tag-mismatch", Warning,
        "The charts linted together deploy different OSMO image tags.",
        "OSMO's components are released together; mixing `global.osmoImageTag` values across \
the charts (in 6.3.1: the service chart and each backend operator) runs components of \
different releases against each other.\n\n\
**Fix:** use one tag everywhere.\n";
    SERVICE_URL_MISMATCH = "OV505", "service-url-mismatch", Error,
        "The backend operator's `global.serviceUrl` is not the service's host name.",
        "The backend operator connects to OSMO at `global.serviceUrl`; its host must be the \
service's public host name (6.2: `services.service.hostname`; 6.3.1: \
`gateway.envoy.hostname`, else `global.hostname`), or in 6.3.1 the gateway's in-cluster \
name, or the operator never registers.\n\n\
**Fix:** set `serviceUrl` to `https://<service hostname>`.\n";
    CONFIGS_STARTUP_INVALID = "OV601", "configs-startup-invalid", Error, since V6_3_1,
        "`services.configs` holds something the service refuses when it starts: it crash-loops.",
        "In ConfigMap mode (`services.configs.enabled: true`) the service, worker, agent and \
logger check the `service`, `workflow` and `dataset` sections when they start and at every \
change of the ConfigMap. Any unknown key, a value of the wrong type (a number where text is \
expected: durations are text such as `\"7d\"`), a value outside its closed set, a number out \
of range, a missing required key, a storage URI with the wrong scheme or a CLI version not \
written `major.minor.revision` stops them: `Refusing to serve`, CrashLoopBackOff, and the \
rolling update stalls. On a live change the new configuration is refused and the API pod \
records a `ConfigMapReloadFailed` Event. The same happens when a named section (`pools`, \
`podTemplates`...) is not a map, when every section is empty, and when a pool uses a pod or \
group template the service cannot merge (a template that is not a map, `spec.containers` \
that is not a list of maps).\n\n\
```yaml\nservices:\n  configs:\n    enabled: true\n    workflow:\n      default_exec_timeout: 7      # a number: refused, write \"7d\"\n      max_tasks: 100               # not a setting: refused\n```\n\n\
**Fix:** correct the value or the key name as the finding says.\n";
    CONFIGS_AUTHZ_ROLES = "OV602", "configs-authz-roles", Error, since V6_3_1,
        "A role the authorization service cannot read: it stops at start, or skips the role.",
        "In ConfigMap mode the Go authorization service reads `roles` from the ConfigMap at \
start with a strict YAML decoder. `external_roles`, `policies`, `actions` and `resources` \
must be lists (a single string is refused, even though the Python service accepts one for \
`actions`), `policies` must hold maps, `immutable` must be a boolean: otherwise the \
authorization service exits and every API call fails until it is fixed. An action that is \
neither text nor a map makes it skip the whole role, so its users lose every permission it \
gave.\n\n\
```yaml\nroles:\n  gpu-team:\n    description: GPU team\n    policies:\n    - actions: workflow:*        # must be a list: [\"workflow:*\"]\n      resources: [pool/gpu]\n```\n\n\
**Fix:** write each of these as a YAML list, even of one item.\n";
    CONFIGS_ENTRY_INVALID = "OV603", "configs-entry-invalid", Error, since V6_3_1,
        "A pool, backend, template, validation, test or role the service cannot use.",
        "Pools, platforms, backends, resource validations, backend tests and roles are checked \
when the service uses them, not at start. A value of the wrong type, a missing required key \
(a pool's `backend`, a role's `description`), an action not written `resource:Action`, a \
comparison operator other than `GT`, `GE`, `LT`, `LE`, `EQ`, or a backend test whose name, \
schedule or timeout the service refuses makes every API call that touches the entry fail, or \
the entry is skipped. A role that repeats its own `name` breaks the listing of all roles.\n\n\
```yaml\npools:\n  gpu:\n    description: GPU pool     # no `backend`: the pool cannot be used\n```\n\n\
**Fix:** correct the entry as the finding says.\n";
    CONFIGS_IGNORED_KEY = "OV604", "configs-ignored-key", Error, since V6_3_1,
        "A key the service silently ignores: a typo, or a value the service computes itself.",
        "Pools, platforms, backends, roles, policies and a few nested settings ignore keys they \
do not know, so a misspelt key is silently lost. Platform `tolerations`, `labels` and \
`default_mounts` are derived from the pod templates and replaced. Keys a backend gets from \
the backend operator (`k8s_uid`, `k8s_namespace`, `version`, heartbeats) are read from the \
database; written here they have no effect (a warning).\n\n\
```yaml\npools:\n  gpu:\n    backend: default\n    common_pod_templates: [gpu]   # ignored: the key is common_pod_template\n```\n\n\
**Fix:** correct the key name, or move the setting where the service reads it.\n";
    CONFIGS_DROPPED_KEY = "OV605", "configs-dropped-key", Error, since V6_3_1,
        "A `services.configs` key spelt the ConfigMap's way (`pod_templates`): the chart drops it.",
        "The chart reads `podTemplates`, `resourceValidations`, `backendTests`, \
`groupTemplates`, `secretRefs` and `extraAnnotations` under `services.configs` and writes the \
first four into the ConfigMap as `pod_templates`, `resource_validations`, `backend_tests` and \
`group_templates`. A key written in the ConfigMap's spelling, or in another case, is not read: \
the whole block is silently dropped.\n\n\
```yaml\nservices:\n  configs:\n    pod_templates:       # dropped: write podTemplates\n      gpu: {}\n```\n\n\
**Fix:** rename the key to its camelCase spelling. The fix is machine-applicable when the \
camelCase key is not there already.\n";
    CONFIGS_SECRET_NOT_MOUNTED = "OV606", "configs-secret-not-mounted", Error, since V6_3_1,
        "A `secretName` that is not listed in `services.configs.secretRefs`: never mounted, the service stops.",
        "A mapping in the `service`, `workflow` or `dataset` section may name a Kubernetes \
Secret (`secretName`, optionally `secretKey`); the service reads it at start from \
`/etc/osmo/secrets/<name>/`. The chart mounts only the Secrets listed in \
`services.configs.secretRefs`, so an unlisted one cannot be read, its `secretName` key stays \
in place, and the strict check of the section refuses it: the service, worker, agent and \
logger crash-loop.\n\n\
```yaml\nservices:\n  configs:\n    secretRefs:\n    - secretName: osmo-workflow-log-cred\n    workflow:\n      workflow_data:\n        credential:\n          secretName: osmo-workflow-data-cred   # not in secretRefs\n```\n\n\
**Fix:** add `- secretName: <name>` to `services.configs.secretRefs`.\n";
    CONFIGS_SECRET_REF_INVALID = "OV607", "configs-secret-ref-invalid", Error, since V6_3_1,
        "A `secretRefs` entry the chart cannot mount.",
        "Each `services.configs.secretRefs` entry becomes a volume `secret-<secretName>` in four \
Deployments. The entry must be a map with a `secretName` that is a Kubernetes name of \
lowercase letters, digits and `-` (at most 56 characters, so that the volume name fits in \
63); the list must not name a Secret twice. Otherwise Helm fails to render or Kubernetes \
refuses the Deployments.\n\n\
```yaml\nsecretRefs:\n- secretName: Workflow_Cred      # not a valid volume name\n- osmo-log-cred                  # not a map\n```\n\n\
**Fix:** write entries as `- secretName: <lowercase-name>`, each once.\n";
    CONFIGS_UNKNOWN_REFERENCE = "OV608", "configs-unknown-reference", Error, since V6_3_1,
        "A name that refers to nothing: a pool's backend, a template, a validation, a platform, a test or a bucket.",
        "Pools name their backend (a key of `backends`), their pod templates, resource \
validations and group templates (keys of `podTemplates`, `resourceValidations`, \
`groupTemplates`) and their `default_platform` (a key of the pool's `platforms`); backends \
name their tests (keys of `backendTests`); `dataset.default_bucket` names a bucket. The \
service only logs a missing template or validation, so pods silently get a smaller template \
and tasks go unchecked; a missing backend or platform makes submissions fail.\n\n\
```yaml\npools:\n  gpu:\n    backend: gpu-cluster          # not a key of backends\n    common_pod_template: [default_ctrl, gpu-tolerations]   # gpu-tolerations missing\n```\n\n\
**Fix:** correct the name, or add the missing entry.\n";
    CONFIGS_BACKEND_NOT_CONFIGURED = "OV609", "configs-backend-not-configured", Error, since V6_3_1,
        "The backend operator's `backendName` is not a backend of `services.configs.backends`.",
        "In ConfigMap mode the service serves backends from `services.configs.backends` only. \
A backend operator whose `global.backendName` is not one of its keys fails to register \
(`Backend ... is not found`), and no workflow can run on that cluster. Changing only \
`pools.default.backend` is not enough.\n\n\
**Fix:** add the operator's backend name under `services.configs.backends` (with its \
`router_address`), or set `global.backendName` to an existing key.\n";
    CONFIGS_SERVICE_BASE_URL = "OV610", "configs-service-base-url-missing", Error, since V6_3_1,
        "ConfigMap mode without `service.service_base_url`: workflow pods cannot call back.",
        "In database mode the service fills `service_base_url` in on its first start; in \
ConfigMap mode it does not. The chart sets it to `https://<services.service.hostname>` only \
when `services.configs.service` has at least one key and `services.service.hostname` is set \
(`global.hostname` is not used). Without it, workflow pods get no URL to reach OSMO.\n\n\
**Fix:** set `services.configs.service.service_base_url: https://<your hostname>`.\n";
    CONFIGS_BACKEND_IMAGES = "OV611", "configs-backend-images-missing", Error, since V6_3_1,
        "ConfigMap mode without `workflow.backend_images.init` / `client`: workflow pods get no image.",
        "In database mode the service fills the init and client images of workflow pods in on \
its first start; in ConfigMap mode it does not, and the chart has no default. Workflow pods \
are then created with an empty image and never start.\n\n\
**Fix:** set `services.configs.workflow.backend_images.init: <registry>/init-container:<tag>` \
and `client: <registry>/client:<tag>`, with the registry and tag of your OSMO images.\n";
    CONFIGS_ROUTER_ADDRESS = "OV612", "configs-router-address-missing", Warning, since V6_3_1,
        "A backend without `router_address` in ConfigMap mode: exec, port-forward and rsync fail.",
        "In database mode a backend's `router_address` is filled in as `wss://<hostname>`; in \
ConfigMap mode it is not. Workflows still run, but `osmo workflow exec`, port-forward and \
rsync have no router to connect to.\n\n\
**Fix:** set `services.configs.backends.<name>.router_address: wss://<your hostname>`.\n";
    CONFIGS_POOL_NOT_SUBMITTABLE = "OV613", "configs-pool-not-submittable", Warning, since V6_3_1,
        "A pool that no role except administrators may submit workflows to.",
        "A user may submit to a pool when one of their roles allows `workflow:Create` on \
`pool/<name>` (through `workflow:*`, `pool/*`, `*`...). The chart's `osmo-user` role allows \
it only on `pool/default`, so a new pool answers 403 to everyone but administrators. Setting \
a role's `policies` replaces the chart's list, so repeat the default policies you keep.\n\n\
```yaml\nroles:\n  osmo-user:\n    policies:\n    - actions: [\"workflow:*\"]\n      resources: [\"pool/default\", \"pool/gpu\"]\n```\n\n\
**Fix:** allow `workflow:*` on `pool/<name>` in the role your users have. This is a warning: \
a pool may be meant for administrators only.\n";
    CONFIGS_UNUSABLE_VALUE = "OV614", "configs-unusable-value", Error, since V6_3_1,
        "A value the service accepts at start but cannot use: a duration it cannot read, a bucket mode it does not know.",
        "Durations are read only when they are used: a workflow submission, a timer. A \
duration must be a whole number with one unit (`d`, `h`, `m`, `s`, `ms`, `us`), such as \
`7d`, or ISO 8601 such as `P7D`; `1h30m` and `7 days` are refused then. A bucket `mode` other \
than `read-only` or `read-write` makes every access to the bucket fail.\n\n\
**Fix:** write the value in the form shown.\n";
    CONFIGS_SERVICE_AUTH = "OV615", "configs-service-auth-set", Warning, since V6_3_1,
        "`service.service_auth` set in the ConfigMap: private signing keys in a ConfigMap.",
        "The service creates its token-signing keys on first start and keeps them in its \
database; in ConfigMap mode it adds them to the configuration itself. Setting \
`service_auth` here replaces them, puts private keys in a ConfigMap that anyone who can read \
ConfigMaps in the namespace can read, and must name every key, the active key, issuer and \
audience.\n\n\
**Fix:** remove `service_auth`, unless you mean to pin the keys (then use `secretName` to \
read them from a Secret).\n";
    CONFIGS_DISABLED = "OV616", "configs-disabled", Warning, since V6_3_1,
        "Settings under `services.configs` while ConfigMap mode is off: they have no effect.",
        "The chart renders the ConfigMap only when `services.configs.enabled` is true; until \
then the service reads its configuration from the database and everything else under \
`services.configs` is ignored.\n\n\
**Fix:** set `services.configs.enabled: true` (the 6.3 install guide does), or remove the \
settings.\n";
}

/// The rules table as a markdown document (`docs/rules.md`).
///
/// ```
/// let doc = osmo_values::lint::rules_markdown();
/// assert!(doc.contains("## OV101 `unknown-key`"));
/// ```
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Lint rules\n\n\
<!-- Generated from the rules table in core/src/lint/rules.rs; do not edit by hand.\n     \
Regenerate with: cargo xtask codegen -->\n\n\
Codes are stable and never reused. Families: OV0xx reading, OV1xx schema, OV2xx refused \
by the charts (6.2's refusals, 6.3's render failures), OV3xx breaks at run time, OV4xx \
sanity, OV5xx across charts, OV6xx OSMO's own configuration in ConfigMap mode \
(`services.configs`, 6.3). Each rule judges the releases its row names.\n\n\
| code | name | severity | releases | summary |\n| --- | --- | --- | --- | --- |\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [{code}](#{anchor}) | `{name}` | {sev} | {releases} | {summary} |\n",
            code = r.code,
            anchor = format!("{}-{}", r.code, r.name).to_ascii_lowercase(),
            name = r.name,
            sev = r.severity,
            releases = r.releases(),
            summary = r.summary.replace('|', "\\|"),
        ));
    }
    for r in RULES {
        out.push_str(&format!(
            "\n## {} `{}`\n\n*Severity: {}. Releases: {}.* {}\n\n{}",
            r.code,
            r.name,
            r.severity,
            r.releases(),
            r.summary,
            r.explanation
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_agrees_with_the_table() {
        for r in RULES {
            assert_eq!(severity(r.code), Some(r.severity), "{}", r.code);
        }
        assert_eq!(severity("OV999"), None);
        assert_eq!(severity("unknown-key"), None, "codes only, not names");
    }
}
