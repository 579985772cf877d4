//! The `sidecars` block of the `service`, `router` and `web-ui` charts: the
//! Envoy proxy that authenticates every request (JWT providers, clusters,
//! routes, paths that skip authentication), the oauth2-proxy that runs the
//! browser login, the authorization sidecar and the rate-limit service.
//!
//! The three charts read different keys under `sidecars.envoy`, so each chart
//! has its own Envoy container struct ([`ServiceEnvoy`], [`RouterEnvoy`],
//! [`WebUiEnvoy`]); a key one chart ignores is an unknown key for that chart.
//! The leaves they share ([`Jwt`], [`JwtProvider`], [`EnvoyUpstream`],
//! [`IdpHost`], ...) are common types.
//!
//! Keys the 6.2 charts refuse outright (`sidecars.envoy.oauth2Filter`,
//! `sidecars.envoy.useKubernetesSecrets`, `sidecars.envoy.secretPaths`) are
//! deliberately absent, so they are reported as unknown keys.
//!
//! ```
//! use osmo_values::values::sidecars::ServiceSidecars;
//! let ok: ServiceSidecars = serde_json::from_value(serde_json::json!({
//!     "envoy": {"idp": {"host": "login.microsoftonline.com"},
//!               "jwt": {"providers": [{"issuer": "osmo", "jwks_uri": "http://localhost:8000/api/auth/keys",
//!                                      "user_claim": "unique_name", "cluster": "service"}]}}
//! })).unwrap();
//! assert_eq!(ok.envoy.unwrap().idp.unwrap().host.as_deref(), Some("login.microsoftonline.com"));
//! let refused = serde_json::json!({"envoy": {"useKubernetesSecrets": true}});
//! assert!(serde_json::from_value::<ServiceSidecars>(refused).is_err());
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{
    FreeList, FreeObject, ImagePullPolicy, Probe, Removed, Resources, SecurityContext, StringMap,
    Toleration, explicit_null,
};

// ---------------------------------------------------------------------------
// Shared Envoy leaves
// ---------------------------------------------------------------------------

/// One issuer whose JSON Web Tokens Envoy accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JwtProvider {
    /// The `iss` claim a token must carry, such as `https://login.microsoftonline.com/<tenant-id>/v2.0` or `osmo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The single audience (`aud`) a token must carry, usually the IdP client ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// URL where Envoy fetches the issuer's signing keys; its host must be reachable through `cluster`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// Token claim copied into the user header, such as `preferred_username`, `email` or `unique_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_claim: Option<String>,
    /// Envoy cluster used to fetch `jwks_uri`: `idp` (defined only when `sidecars.envoy.idp.host` is set) for an external IdP in every chart; `service` for OSMO-issued tokens in the service chart; `osmoauth` (when `sidecars.envoy.osmoauth.enabled`) in the router chart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

/// JWT validation of the service and web-ui Envoy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Jwt {
    /// Request header that receives the authenticated user's name, normally `x-osmo-user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_header: Option<String>,
    /// Accepted token issuers; a token valid for any one of them passes. Replaces the whole default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<Vec<JwtProvider>>,
}

/// JWT validation of the router Envoy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouterJwt {
    /// No effect: chart 1.2.1 never reads it; the router always validates tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Request header that receives the authenticated user's name, `x-osmo-user` when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_header: Option<String>,
    /// Accepted token issuers (IdP with cluster `idp`, OSMO tokens with cluster `osmoauth`). Replaces the whole default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<Vec<JwtProvider>>,
}

/// The identity provider Envoy fetches signing keys from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdpHost {
    /// Host name of the IdP's JWKS endpoint (e.g. `login.microsoftonline.com`); empty means no `idp` cluster, so providers with `cluster: idp` cannot fetch keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

/// The upstream Envoy forwards to (cluster `service`), and the public host name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvoyUpstream {
    /// Port of the application container behind Envoy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Public host name of the deployment; oauth2-proxy's redirect URL is `https://<hostname>/oauth2/callback`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Address of the application behind Envoy, normally `127.0.0.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// The router's connection to the OSMO service that issues OSMO tokens (cluster `osmoauth`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OsmoAuth {
    /// Define the `osmoauth` Envoy cluster, needed by providers with `cluster: osmoauth`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Port of the OSMO service (80 when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// No effect: chart 1.2.1 never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// In-cluster address of the OSMO service (`osmo-service` when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A second, unauthenticated Envoy listener for callers inside the cluster.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InClusterPaths {
    /// Open the in-cluster listener (and, in the service chart, its `-internal` Service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Port of the in-cluster listener.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Exact paths served without authentication to GET requests on that listener.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paths: Option<Vec<String>>,
}

/// The web UI's in-cluster listener settings: only the container port opens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebUiInClusterPaths {
    /// Open the in-cluster container port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Port of the in-cluster container port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// No effect: the web-ui chart defines no in-cluster listener, so no path is served there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paths: Option<Vec<String>>,
}

/// One key of a Kubernetes Secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretKeyRef {
    /// Name of the Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_name: Option<String>,
    /// Key inside the Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<String>,
}

/// TLS termination in Envoy itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnvoySsl {
    /// Terminate TLS in Envoy on port 443 instead of plain HTTP on the listener port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Secret key holding the PEM certificate chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert: Option<SecretKeyRef>,
    /// Secret key holding the PEM private key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<SecretKeyRef>,
}

// ---------------------------------------------------------------------------
// Per-chart Envoy
// ---------------------------------------------------------------------------

/// The Envoy sidecar of the service chart (API service, logger, agent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceEnvoy {
    /// Client IP addresses Envoy answers with 403.
    #[serde(
        default,
        rename = "blockedIPs",
        skip_serializing_if = "Option::is_none"
    )]
    pub blocked_ips: Option<Vec<String>>,
    /// Run the Envoy sidecar in front of the services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Liveness probe of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// Readiness probe of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// Startup probe of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
    /// The identity provider; setting `host` defines the `idp` cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp: Option<IdpHost>,
    /// Unauthenticated listener for in-cluster callers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_cluster_paths: Option<InClusterPaths>,
    /// Circuit-breaker limit of concurrent requests to the `service` cluster; empty or 0 means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_requests: Option<u32>,
    /// Name used for the Envoy ConfigMap when a service does not name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Path prefixes that need no authentication. Replaces the whole default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_auth_paths: Option<Vec<String>>,
    /// Envoy route objects copied verbatim; clusters: `service`, `oauth2-proxy`, `rate-limit`, `authz-sidecar`, `idp` (each only when defined). Replaces the whole default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<Vec<FreeObject>>,
    /// Envoy image reference with tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// No effect: chart 1.2.1 never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_image: Option<String>,
    /// When Kubernetes pulls the Envoy image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Security context of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// Extra volume mounts of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Port Envoy listens on when TLS is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_port: Option<u16>,
    /// Largest total size of request headers Envoy accepts, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_headers_size_kb: Option<u32>,
    /// Envoy log level: trace, debug, info, warning, error, critical or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Compute resources of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// TLS termination in Envoy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl: Option<EnvoySsl>,
    /// The application behind Envoy (cluster `service`) and the public host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<EnvoyUpstream>,
    /// Validation of JSON Web Tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<Jwt>,
    /// Body of an extra Envoy Lua filter (e.g. `default_source_code`), inserted after JWT validation when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lua: Option<FreeObject>,
}

/// The Envoy sidecar of the router chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouterEnvoy {
    /// Circuit-breaker limit of concurrent requests to the `service` and `osmoauth` clusters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_requests: Option<u32>,
    /// Run the Envoy sidecar in front of the router.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Path prefixes that need no authentication. Replaces the whole default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_auth_paths: Option<Vec<String>>,
    /// Envoy image reference with tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// When Kubernetes pulls the Envoy image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Port Envoy listens on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_port: Option<u16>,
    /// Largest total size of request headers Envoy accepts, in KiB (128 when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_headers_size_kb: Option<u32>,
    /// Envoy log level: trace, debug, info, warning, error, critical or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Security context of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// Compute resources of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// The router behind Envoy (cluster `service`) and the public host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<EnvoyUpstream>,
    /// Envoy route objects copied verbatim; clusters: `service`, `osmoauth`, `oauth2-proxy`, `authz-sidecar`, `idp` (each only when defined). Replaces the whole default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<Vec<FreeObject>>,
    /// The identity provider; setting `host` defines the `idp` cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp: Option<IdpHost>,
    /// Validation of JSON Web Tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<RouterJwt>,
    /// The OSMO service that checks OSMO-issued tokens (cluster `osmoauth`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osmoauth: Option<OsmoAuth>,
    /// Extra volume mounts of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Liveness probe of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// Readiness probe of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// Startup probe of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
}

/// Images of the web-ui Envoy sidecar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WebUiEnvoyImages {
    /// No effect: chart 1.2.1 never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init: Option<String>,
    /// Envoy image reference with tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envoy: Option<String>,
    /// When Kubernetes pulls the Envoy image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_policy: Option<ImagePullPolicy>,
}

/// How a web-ui route matches a request path; set exactly one key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebUiRouteMatch {
    /// Match paths starting with this prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Match exactly this path (used when `prefix` is empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Match paths against this RE2 regular expression (used when `prefix` and `path` are empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
}

/// Where a web-ui route sends matching requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebUiRouteTarget {
    /// Envoy cluster: `service` (always), `oauth2-proxy` (when oauth2Proxy is enabled) or `idp` (when `idp.host` is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Envoy duration such as `0s` (no timeout) or `60s`; Envoy's 15s default when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// One web-ui route. The chart rebuilds it from these keys only, so any other key would be lost.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebUiRoute {
    /// Which request paths the route takes.
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub matches: Option<WebUiRouteMatch>,
    /// Where matching requests go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<WebUiRouteTarget>,
}

/// A volume mount of the web-ui Envoy container; only name and path are read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WebUiVolumeMount {
    /// Name of a pod volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the volume appears in the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
}

/// The Envoy sidecar of the web-ui chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WebUiEnvoy {
    /// Run the Envoy sidecar in front of the UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Largest total size of request headers Envoy accepts, in KiB; chart 1.2.1 applies it only when `maxRequests` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_headers_size_kb: Option<u32>,
    /// Opens the in-cluster container port (chart 1.2.1 defines no listener or paths for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_cluster_paths: Option<WebUiInClusterPaths>,
    /// No effect: chart 1.2.1 never reads it; the web UI's Envoy probes are fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// No effect: chart 1.2.1 never reads it; the web UI's Envoy probes are fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// No effect: chart 1.2.1 never reads it; the web UI's Envoy probes are fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
    /// No effect: chart 1.2.1 never reads it; the web UI's Envoy security context is fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// Only switches `maxHeadersSizeKb` on in chart 1.2.1 (no circuit breaker); null by default.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_requests: Option<Option<u32>>,
    /// Path prefixes that need no authentication. Replaces the whole default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_auth_paths: Option<Vec<String>>,
    /// Images of the Envoy sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<WebUiEnvoyImages>,
    /// Compute resources of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Validate JSON Web Tokens (and set the roles headers) in Envoy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt_enable: Option<bool>,
    /// The identity provider; setting `host` defines the `idp` cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp: Option<IdpHost>,
    /// Routes in the chart's simplified form (match prefix/path/regex, cluster, timeout). Replaces the whole default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<Vec<WebUiRoute>>,
    /// Port Envoy listens on when TLS is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_port: Option<u16>,
    /// The UI behind Envoy (cluster `service`) and the public host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<EnvoyUpstream>,
    /// TLS termination in Envoy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl: Option<EnvoySsl>,
    /// Volume mounts of the Envoy container (name and mountPath only). Replaces the whole default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mounts: Option<Vec<WebUiVolumeMount>>,
    /// Validation of JSON Web Tokens, used when `jwtEnable` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<Jwt>,
}

// ---------------------------------------------------------------------------
// oauth2-proxy
// ---------------------------------------------------------------------------

/// Where oauth2-proxy reads its secrets when they do not come from a Kubernetes Secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OAuth2SecretPaths {
    /// No effect: chart 1.2.1 never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// File passed to oauth2-proxy as `--config` (holding client and cookie secrets) when `useKubernetesSecrets` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie_secret: Option<String>,
}

/// Defines an oauth2-proxy struct with the keys every chart reads, plus extra fields.
///
/// `$secret_paths` is the type of `secretPaths`, and the description of
/// `redisSessionStore` is given by each caller (both depend on the chart
/// release: the 6.3 gateway has its own Redis settings). Used by the 6.2 sidecars and the 6.3 gateway
/// ([`crate::values::v6_3::auth`]); every type is named by its full path, so
/// the macro works from any module.
macro_rules! oauth2_proxy_struct {
    (
        $(#[$meta:meta])*
        $name:ident ($secret_paths:ty) {
            $(#[$redis_meta:meta])* redis_session_store,
            $($(#[$fmeta:meta])* $field:ident : $ty:ty,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Default,
            PartialEq,
            ::serde::Serialize,
            ::serde::Deserialize,
            ::schemars::JsonSchema
        )]
        #[serde(deny_unknown_fields, rename_all = "camelCase")]
        pub struct $name {
            /// Run oauth2-proxy for browser logins; Envoy then sends unauthenticated requests through it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub enabled: Option<bool>,
            /// oauth2-proxy image reference with tag.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image: Option<String>,
            /// When Kubernetes pulls the oauth2-proxy image.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image_pull_policy: Option<$crate::values::common::ImagePullPolicy>,
            /// Port oauth2-proxy serves on (also the `oauth2-proxy` Envoy cluster's port).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub http_port: Option<u16>,
            /// Port of oauth2-proxy's Prometheus metrics.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub metrics_port: Option<u16>,
            /// oauth2-proxy provider type, normally `oidc`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub provider: Option<String>,
            /// Issuer URL of the OIDC identity provider (same as the JWT issuer).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub oidc_issuer_url: Option<String>,
            /// OAuth2 client ID registered at the identity provider.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub client_id: Option<String>,
            /// Name of the session cookie.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cookie_name: Option<String>,
            /// Send the session cookie over HTTPS only.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cookie_secure: Option<bool>,
            /// Domain of the session cookie, such as `.example.com`; the request host when empty.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cookie_domain: Option<String>,
            /// Session lifetime as a Go duration, such as `168h`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cookie_expire: Option<String>,
            /// How often the session is refreshed, as a Go duration such as `1h`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cookie_refresh: Option<String>,
            /// OAuth2 scopes requested, separated by spaces.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub scope: Option<String>,
            /// Forward the IdP access token upstream (makes the cookie larger).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub pass_access_token: Option<bool>,
            $(#[$redis_meta])*
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub redis_session_store: Option<bool>,
            /// Read the client and cookie secrets from the Kubernetes Secret `secretName`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub use_kubernetes_secrets: Option<bool>,
            /// Secret holding the client and cookie secrets (`oauth2-proxy-secrets` when empty).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub secret_name: Option<String>,
            /// Key of the client secret in that Secret (`client_secret` when empty).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub client_secret_key: Option<String>,
            /// Key of the cookie secret in that Secret (`cookie_secret` when empty).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cookie_secret_key: Option<String>,
            /// Secret file locations used when `useKubernetesSecrets` is false.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub secret_paths: Option<$secret_paths>,
            /// Extra command-line flags for oauth2-proxy, such as `--whitelist-domain=...`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_args: Option<Vec<String>>,
            /// Extra volume mounts of the oauth2-proxy container.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_volume_mounts: Option<$crate::values::common::FreeList>,
            /// Security context of the oauth2-proxy container.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub security_context: Option<$crate::values::common::SecurityContext>,
            /// Compute resources of the oauth2-proxy container.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub resources: Option<$crate::values::common::Resources>,
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: $ty,
            )*
        }
    };
}

pub(crate) use oauth2_proxy_struct;

oauth2_proxy_struct! {
    /// The oauth2-proxy sidecar of the service and router charts.
    OAuth2Proxy(OAuth2SecretPaths) {
        /// Keep sessions in the chart's Redis (`services.redis`) instead of in cookies.
        redis_session_store,
    }
}

oauth2_proxy_struct! {
    /// The oauth2-proxy sidecar of the web-ui chart.
    WebUiOAuth2Proxy(OAuth2SecretPaths) {
        /// Keep sessions in the chart's Redis (`services.redis`) instead of in cookies.
        redis_session_store,
        /// IdP logout URL; when set, `/signout` also ends the IdP session (needs `--whitelist-domain` in `extraArgs`).
        oidc_end_session_url: Option<String>,
    }
}

// ---------------------------------------------------------------------------
// Authorization sidecar
// ---------------------------------------------------------------------------

/// Connection pool of the authorization sidecar (host, database and user come from `services.postgres`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AuthzPostgres {
    /// PostgreSQL SSL mode: disable, allow, prefer, require, verify-ca or verify-full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_mode: Option<String>,
    /// Largest number of pooled connections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_conns: Option<u32>,
    /// Number of connections kept open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_conns: Option<u32>,
    /// Minutes after which a pooled connection is replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_conn_lifetime_min: Option<u32>,
}

/// Cache of role policies in the authorization sidecar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AuthzCache {
    /// Seconds a cached role policy stays valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
    /// Largest number of cached role combinations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<u32>,
}

/// The role-based authorization sidecar Envoy asks before forwarding (cluster `authz-sidecar`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Authz {
    /// Run the sidecar and make Envoy check every request with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Image name under `global.osmoImageLocation`, tagged with `global.osmoImageTag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// When Kubernetes pulls the sidecar image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// gRPC port of the sidecar (also the `authz-sidecar` Envoy cluster's port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc_port: Option<u16>,
    /// Extra environment variables of the sidecar container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_env: Option<FreeList>,
    /// Database connection pool settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<AuthzPostgres>,
    /// Role policy cache settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<AuthzCache>,
    /// Compute resources of the sidecar container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Liveness probe of the sidecar container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// Readiness probe of the sidecar container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// Security context of the sidecar container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
}

// ---------------------------------------------------------------------------
// Rate limiting (service chart)
// ---------------------------------------------------------------------------

/// One argument or a list of arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Args {
    /// A single argument.
    One(String),
    /// Several arguments, in order.
    Many(Vec<String>),
}

/// Redis used by the rate-limit service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RateLimitRedis {
    /// Redis host name; the service always connects on port 6379 with TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// No effect: chart 1.2.1 never reads it; the rate limiter always connects to port 6379.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// The Envoy rate-limit service beside the API service (cluster `rate-limit`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RateLimit {
    /// Run the rate-limit sidecar and define the `rate-limit` Envoy cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Rate-limit service image reference with tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// When Kubernetes pulls the rate-limit image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Redis that stores the counters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<RateLimitRedis>,
    /// Name of the ConfigMap with the rate-limit rules (and of its volume).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_name: Option<String>,
    /// No effect: chart 1.2.1 never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// No effect: chart 1.2.1 never reads it; the rate limiter runs as a sidecar in the service's pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// No effect: chart 1.2.1 never reads it; the rate limiter runs as a sidecar in the service's pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Compute resources of the rate-limit container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// No effect: chart 1.2.1 never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_port: Option<u16>,
    /// gRPC port of the rate-limit service (also the `rate-limit` Envoy cluster's port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc_port: Option<u16>,
    /// No effect: chart 1.2.1 never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debug_port: Option<u16>,
    /// Replaces the container's arguments to `sh -c` (the default runs `/bin/ratelimit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Args>,
    /// Arguments appended after `/bin/ratelimit` when `args` is not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_args: Option<Args>,
}

// ---------------------------------------------------------------------------
// The three sidecars blocks
// ---------------------------------------------------------------------------

/// The `sidecars` block of the service chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceSidecars {
    /// Envoy in front of the API service, logger and agent (each may override it under `services.<name>.envoy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envoy: Option<ServiceEnvoy>,
    /// oauth2-proxy for browser logins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth2_proxy: Option<OAuth2Proxy>,
    /// Rate-limit service beside the API service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// Role-based authorization sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authz: Option<Authz>,
    /// Removed in chart 1.2.1: the log agent sidecar no longer exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_agent: Option<Removed>,
    /// Removed in chart 1.2.1: the OpenTelemetry sidecar no longer exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otel: Option<Removed>,
}

/// The `sidecars` block of the router chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouterSidecars {
    /// Envoy in front of the router.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envoy: Option<RouterEnvoy>,
    /// oauth2-proxy for browser logins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth2_proxy: Option<OAuth2Proxy>,
    /// Role-based authorization sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authz: Option<Authz>,
    /// Removed in chart 1.2.1: the log agent sidecar no longer exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_agent: Option<Removed>,
}

/// The `sidecars` block of the web-ui chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WebUiSidecars {
    /// Envoy in front of the UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envoy: Option<WebUiEnvoy>,
    /// oauth2-proxy for browser logins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth2_proxy: Option<WebUiOAuth2Proxy>,
    /// Removed in chart 1.2.1: the log agent sidecar no longer exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_agent: Option<Removed>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn service(v: Value) -> Result<ServiceSidecars, serde_json::Error> {
        serde_json::from_value(v)
    }
    fn router(v: Value) -> Result<RouterSidecars, serde_json::Error> {
        serde_json::from_value(v)
    }
    fn web_ui(v: Value) -> Result<WebUiSidecars, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn keys_the_6_2_charts_refuse_are_unknown_in_every_chart() {
        for refused in [
            json!({"envoy": {"oauth2Filter": {"enabled": false}}}),
            json!({"envoy": {"useKubernetesSecrets": true}}),
            json!({"envoy": {"secretPaths": {"hmacSecret": "/etc/hmac"}}}),
        ] {
            assert!(service(refused.clone()).is_err(), "service took {refused}");
            assert!(router(refused.clone()).is_err(), "router took {refused}");
            assert!(web_ui(refused.clone()).is_err(), "web-ui took {refused}");
        }
    }

    #[test]
    fn each_chart_refuses_keys_only_other_charts_read() {
        assert!(router(json!({"rateLimit": {"enabled": true}})).is_err());
        assert!(web_ui(json!({"authz": {"enabled": true}})).is_err());
        assert!(service(json!({"envoy": {"osmoauth": {"enabled": true}}})).is_err());
        assert!(service(json!({"envoy": {"jwtEnable": true}})).is_err());
        assert!(router(json!({"envoy": {"idp": {"host": "x"}, "lua": {}}})).is_err());
        assert!(web_ui(json!({"envoy": {"image": "envoyproxy/envoy:v1.29.0"}})).is_err());
        assert!(web_ui(json!({"envoy": {"jwt": {"enabled": true}}})).is_err());
        assert!(service(json!({"oauth2Proxy": {"oidcEndSessionUrl": "https://x"}})).is_err());
        assert!(web_ui(json!({"oauth2Proxy": {"oidcEndSessionUrl": "https://x"}})).is_ok());
        assert!(router(json!({"envoy": {"jwt": {"enabled": true}}})).is_ok());
    }

    #[test]
    fn removed_keys_are_accepted_where_they_once_existed() {
        let old = json!({"logAgent": {"enabled": false, "cloudwatch": {"region": "x"}}});
        assert!(service(old.clone()).is_ok());
        assert!(router(old.clone()).is_ok());
        assert!(web_ui(old).is_ok());
        assert!(service(json!({"otel": {"enabled": false}})).is_ok());
        assert!(router(json!({"otel": {"enabled": false}})).is_err());
    }

    #[test]
    fn jwt_provider_keys_are_snake_case() {
        let provider = json!({"issuer": "osmo", "jwks_uri": "http://osmo-service/api/auth/keys",
                              "user_claim": "unique_name", "cluster": "osmoauth"});
        let parsed = router(json!({"envoy": {"jwt": {"user_header": "x-osmo-user",
                                                     "providers": [provider]}}}))
        .unwrap();
        let jwt = parsed.envoy.unwrap().jwt.unwrap();
        let first = &jwt.providers.unwrap()[0];
        assert_eq!(
            first.jwks_uri.as_deref(),
            Some("http://osmo-service/api/auth/keys")
        );
        assert_eq!(first.cluster.as_deref(), Some("osmoauth"));
        assert!(router(json!({"envoy": {"jwt": {"providers": [{"jwksUri": "x"}]}}})).is_err());
        assert!(service(json!({"envoy": {"jwt": {"userHeader": "x"}}})).is_err());
    }

    #[test]
    fn web_ui_routes_take_only_the_keys_the_chart_rebuilds() {
        let ok = json!({"envoy": {"routes": [{"match": {"regex": "^/api/.*"},
                                              "route": {"cluster": "service", "timeout": "0s"}}]}});
        assert!(web_ui(ok).is_ok());
        let service_style = json!({"envoy": {"routes": [{"match": {"safe_regex": {"regex": "^/x"}},
                                                         "route": {"cluster": "service"}}]}});
        assert!(web_ui(service_style.clone()).is_err());
        assert!(service(service_style).is_ok());
        let extra_mount_key = json!({"envoy": {"volumeMounts": [{"name": "logs", "mountPath": "/logs", "readOnly": true}]}});
        assert!(web_ui(extra_mount_key).is_err());
    }

    #[test]
    fn an_explicit_null_max_requests_survives_a_round_trip() {
        let with_null = json!({"envoy": {"maxRequests": null}});
        let parsed = web_ui(with_null.clone()).unwrap();
        assert_eq!(parsed.envoy.as_ref().unwrap().max_requests, Some(None));
        assert_eq!(serde_json::to_value(&parsed).unwrap(), with_null);
        let absent = web_ui(json!({"envoy": {}})).unwrap();
        assert_eq!(absent.envoy.unwrap().max_requests, None);
        let set = web_ui(json!({"envoy": {"maxRequests": 50}})).unwrap();
        assert_eq!(set.envoy.unwrap().max_requests, Some(Some(50)));
    }

    #[test]
    fn rate_limit_args_are_a_string_or_a_list() {
        let one = service(json!({"rateLimit": {"args": "/bin/ratelimit -v"}})).unwrap();
        assert_eq!(
            one.rate_limit.unwrap().args,
            Some(Args::One("/bin/ratelimit -v".into()))
        );
        let many = service(json!({"rateLimit": {"extraArgs": ["-a", "-b"]}})).unwrap();
        assert_eq!(
            many.rate_limit.unwrap().extra_args,
            Some(Args::Many(vec!["-a".into(), "-b".into()]))
        );
        assert!(service(json!({"rateLimit": {"args": {"a": 1}}})).is_err());
    }

    #[test]
    fn ports_and_pull_policies_are_checked() {
        assert!(service(json!({"envoy": {"listenerPort": 70000}})).is_err());
        assert!(router(json!({"oauth2Proxy": {"imagePullPolicy": "Sometimes"}})).is_err());
        assert!(web_ui(json!({"envoy": {"images": {"pullPolicy": "Always"}}})).is_ok());
    }
}
