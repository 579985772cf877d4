//! The table of lint rules: stable codes, names, severities and explanations.
//!
//! The command-line tool's `rules` and `explain` commands and `docs/rules.md`
//! all read this one table.

use crate::diagnostic::Severity;

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
}

macro_rules! rules {
    ($( $konst:ident = $code:literal, $name:literal, $sev:ident, $summary:literal, $expl:literal; )*) => {
        /// Rule codes, as constants.
        pub mod code {
            $(
                #[doc = $summary]
                pub const $konst: &str = $code;
            )*
        }
        /// Every rule, ordered by code.
        pub static RULES: &[Rule] = &[
            $( Rule { code: $code, name: $name, severity: Severity::$sev, summary: $summary, explanation: $expl }, )*
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
        "An image tag written as a bare number is read as a number, not as the tag.",
        "An unquoted `6.10` is the number 6.1, and `6.2.0`-style tags are fine but `6.20` is \
20 hundredths. Helm passes the number to the template, which renders the image reference \
with the wrong tag (`osmo/service:6.1`) or fails.\n\n\
```yaml\nglobal:\n  osmoImageTag: 6.10    # renders as 6.1\n```\n\n\
**Fix:** quote the tag exactly as written: `osmoImageTag: \"6.10\"`. The fix is \
machine-applicable.\n";
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
    ENVOY_OAUTH2_FILTER = "OV201", "envoy-oauth2-filter", Error,
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
    ENVOY_USE_KUBERNETES_SECRETS = "OV202", "envoy-use-kubernetes-secrets", Error,
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
    ENVOY_SECRET_PATHS = "OV203", "envoy-secret-paths", Warning,
        "`sidecars.envoy.secretPaths` is not read by the 6.2 charts (`hmacSecret` is gone, `clientSecret` moved).",
        "With the Envoy OAuth2 filter gone, Envoy no longer reads secret files: \
`sidecars.envoy.secretPaths.hmacSecret` has no use at all, and the client secret is now \
read by oauth2-proxy from `sidecars.oauth2Proxy.secretPaths.clientSecret`. The same holds \
for `secretPaths` in a per-service override (`services.<name>.envoy`).\n\n\
**Fix:** delete `hmacSecret` (machine-applicable); move `clientSecret` to \
`sidecars.oauth2Proxy.secretPaths.clientSecret`.\n";
    OAUTH_CLUSTER = "OV204", "oauth-cluster", Error,
        "JWT provider `cluster: oauth` was renamed `idp` in OSMO 6.2; the charts refuse it.",
        "The Envoy cluster used to fetch an identity provider's signing keys is now called \
`idp`. `helm install` fails when any `sidecars.envoy.jwt.providers[].cluster` is `oauth`. \
In a per-service override (`services.<name>.envoy.jwt.providers`) Helm does not check it, \
but that service's Envoy has no `oauth` cluster, cannot fetch the provider's keys and \
refuses its tokens.\n\n\
```yaml\njwt:\n  providers:\n  - issuer: https://accounts.google.com\n    cluster: oauth      # now: idp\n```\n\n\
**Fix:** write `cluster: idp` (machine-applicable) and set `sidecars.envoy.idp.host` to \
the host name of the provider's `jwks_uri`.\n";
    IDP_HOST = "OV301", "idp-host", Error,
        "A JWT provider uses cluster `idp` but `sidecars.envoy.idp.host` is missing or is not the host of its `jwks_uri`.",
        "The chart defines Envoy's `idp` cluster only when `sidecars.envoy.idp.host` is set, \
and connects it to that host on port 443. A provider on cluster `idp` with no host points \
at a cluster that does not exist; with another host, Envoy fetches the keys from the \
wrong server. Either way no token from the identity provider validates. A service's \
override (`services.<name>.envoy`) is merged over `sidecars.envoy` for that service's \
Envoy, key by key, an empty value included: the check runs on each service's merged \
configuration and points at the override when it set the offending value (its own \
providers, or an `idp.host` emptied or changed for that service).\n\n\
```yaml\nsidecars:\n  envoy:\n    idp:\n      host: login.microsoftonline.com\n    jwt:\n      providers:\n      - jwks_uri: https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys\n        cluster: idp\n```\n\n\
**Fix:** set `sidecars.envoy.idp.host` to the host of the provider's `jwks_uri`.\n";
    UNDEFINED_CLUSTER = "OV302", "undefined-cluster", Error,
        "A JWT provider names an Envoy cluster the chart does not define.",
        "Each chart defines a fixed set of Envoy clusters: the service chart `service`, `idp` \
(when `sidecars.envoy.idp.host` is set), `oauth2-proxy`, `authz-sidecar` and `rate-limit` \
(when enabled); the router chart `service`, `osmoauth` (when \
`sidecars.envoy.osmoauth.enabled`), `idp`, `oauth2-proxy`, `authz-sidecar`; the web-ui \
chart `service`, `idp` and `oauth2-proxy`. A provider naming another cluster cannot fetch \
its keys. OSMO-issued tokens use cluster `service` in the service chart and `osmoauth` \
in the router chart. Providers set in a per-service override (`services.<name>.envoy`) \
are checked the same way.\n\n\
**Fix:** use one of the chart's clusters (or enable the one you need).\n";
    OAUTH2_PROXY_INCOMPLETE = "OV303", "oauth2-proxy-incomplete", Error,
        "oauth2-proxy is enabled without an issuer URL or a client id.",
        "The oauth2-proxy sidecar starts with `--oidc-issuer-url` and `--client-id` taken from \
`sidecars.oauth2Proxy.oidcIssuerUrl` and `clientId`. Empty, the sidecar cannot start and \
browser log-in fails.\n\n\
**Fix:** set both from your identity provider's application registration, or set \
`sidecars.oauth2Proxy.enabled: false` if you do not use an identity provider.\n";
    ISSUER_MISMATCH = "OV304", "issuer-mismatch", Error,
        "No JWT provider has the issuer oauth2-proxy logs in with.",
        "oauth2-proxy obtains tokens from `sidecars.oauth2Proxy.oidcIssuerUrl` and Envoy then \
validates them with the JWT provider whose `issuer` matches the token's `iss` claim \
exactly. If no provider has that issuer (a trailing slash counts), every browser request \
is refused after log-in. oauth2-proxy runs in the API service, logger and agent pods \
alike, so a per-service override that replaces `jwt.providers` must keep that provider \
too.\n\n\
**Fix:** make one provider's `issuer` equal to `oidcIssuerUrl`.\n";
    AUDIENCE_MISMATCH = "OV305", "audience-mismatch", Error,
        "The JWT provider for oauth2-proxy's issuer expects another audience than the client id.",
        "Tokens oauth2-proxy obtains are issued for its `clientId`; the JWT provider with the \
same issuer must list that client id as `audience`, or Envoy refuses the tokens. (For \
Google the audience is the full `<id>.apps.googleusercontent.com`.) Providers set in a \
per-service override (`services.<name>.envoy`) are checked the same way.\n\n\
**Fix:** set the provider's `audience` to `sidecars.oauth2Proxy.clientId`.\n";
    COOKIE_DOMAIN = "OV306", "cookie-domain", Error,
        "`sidecars.oauth2Proxy.cookieDomain` does not cover the service's host name.",
        "Browsers only send the session cookie to hosts within the cookie's domain. When \
`cookieDomain` is not the host name or a parent domain of it, the cookie is refused \
and log-in loops.\n\n\
```yaml\nservices:\n  service:\n    hostname: osmo.example.com\nsidecars:\n  oauth2Proxy:\n    cookieDomain: .example.com   # covers osmo.example.com\n```\n\n\
**Fix:** use the host name itself or one of its parent domains (with or without the \
leading dot).\n";
    PLACEHOLDER = "OV307", "placeholder", Error,
        "A template placeholder such as `<your-domain>` is still in the file.",
        "Guides write placeholders such as `<your-domain>`, `<version>` or \
`<insert-osmo-image-tag>` for you to replace. Helm renders them into the manifests \
without complaint, and the deployment then points at hosts and images that do not exist.\n\n\
**Fix:** replace the placeholder with your real value.\n";
    REMOVED_KEY = "OV308", "removed-key", Warning,
        "A key removed in chart 1.2.1 (`sidecars.logAgent`, `sidecars.otel`, backend-operator `sidecars`).",
        "The 1.2.1 charts no longer read `sidecars.logAgent` (service, router, web-ui), \
`sidecars.otel` (service) or the whole `sidecars` block of the backend-operator chart. \
Values there are silently ignored; nothing breaks.\n\n\
**Fix:** delete the block (machine-applicable).\n";
    ENVOY_OVERRIDE_IGNORED = "OV309", "envoy-override-ignored", Warning,
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
    ENVOY_OVERRIDE_MISMATCH = "OV310", "envoy-override-mismatch", Error,
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
`/api/auth/keys`, `/api/version`...) makes those paths require a token, so log-in, \
token refresh and version checks fail.\n\n\
**Fix:** include every default path in your list, then your own.\n";
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
    HOSTNAME_MISMATCH = "OV501", "hostname-mismatch", Error,
        "The charts linted together use different host names.",
        "The service, router and web-ui charts serve the same OSMO domain: their host names \
(`services.service.hostname` in service and router, `services.ui.hostname` in web-ui) \
must agree, or requests and cookies go to the wrong host.\n\n\
**Fix:** use one host name everywhere.\n";
    CLIENT_ID_MISMATCH = "OV502", "client-id-mismatch", Error,
        "The charts linted together use different oauth2-proxy client ids.",
        "The service, router and web-ui charts log in through the same identity-provider \
application; different `sidecars.oauth2Proxy.clientId` values break log-in on some of them.\n\n\
**Fix:** use one client id everywhere.\n";
    ISSUER_CROSS_MISMATCH = "OV503", "issuer-cross-mismatch", Error,
        "The charts linted together use different oauth2-proxy issuers.",
        "The service, router and web-ui charts must trust the same identity provider: their \
`sidecars.oauth2Proxy.oidcIssuerUrl` values must agree.\n\n\
**Fix:** use one issuer everywhere.\n";
    IMAGE_TAG_MISMATCH = "OV504", "image-tag-mismatch", Warning,
        "The charts linted together deploy different OSMO image tags.",
        "OSMO's components are released together; mixing `global.osmoImageTag` values across \
the charts runs components of different releases against each other.\n\n\
**Fix:** use one tag everywhere.\n";
    SERVICE_URL_MISMATCH = "OV505", "service-url-mismatch", Error,
        "The backend operator's `global.serviceUrl` is not the service's host name.",
        "The backend operator connects to OSMO at `global.serviceUrl`; its host must be the \
service chart's `services.service.hostname`, or the operator never registers.\n\n\
**Fix:** set `serviceUrl` to `https://<service hostname>`.\n";
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
by the 6.2 charts, OV3xx breaks at run time, OV4xx sanity, OV5xx across charts.\n\n\
| code | name | severity | summary |\n| --- | --- | --- | --- |\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [{code}](#{anchor}) | `{name}` | {sev} | {summary} |\n",
            code = r.code,
            anchor = format!("{}-{}", r.code, r.name).to_ascii_lowercase(),
            name = r.name,
            sev = r.severity,
            summary = r.summary.replace('|', "\\|"),
        ));
    }
    for r in RULES {
        out.push_str(&format!(
            "\n## {} `{}`\n\n*Severity: {}.* {}\n\n{}",
            r.code, r.name, r.severity, r.summary, r.explanation
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
