//! `gateway.envoy` of the `service` chart 1.3.1: the Envoy Deployment every
//! request enters through, its configuration (listener, routes, JWT
//! providers, clusters), its Service, optional Ingress and autoscaler.
//!
//! Envoy clusters the configuration defines: `osmo-service` (always),
//! `osmo-router`, `osmo-ui`, `osmo-agent`, `osmo-logger` (per upstream),
//! `oauth2-proxy`, `authz`, `rate-limit` (per component), `idp` (when
//! `idp.host` is set), the internal JWKS cluster (`internalJwks.cluster`,
//! default `osmo-service-jwks`) and every `extraClusters` entry.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};

use super::shared::HpaScaling;
use crate::values::common::{
    FreeList, FreeObject, ImagePullPolicy, Probe, Resources, Scalar, ScalarMap, SecurityContext,
    StringMap, Toleration, explicit_null,
};
use crate::values::sidecars::IdpHost;

/// The gateway's Envoy.
///
/// ```
/// use osmo_values::values::v6_3::envoy::GatewayEnvoy;
/// let envoy: GatewayEnvoy = serde_json::from_value(serde_json::json!({
///     "hostname": "osmo.example.com",
///     "extraSkipAuthPaths": ["/api/health"],
///     "jwt": {"user_header": "x-osmo-user", "providers": [{
///         "issuer": "osmo", "audience": "osmo", "user_claim": "unique_name",
///         "jwks_uri": "https://osmo-service/api/auth/keys", "cluster": "osmo-service-jwks"}]}
/// })).unwrap();
/// assert_eq!(envoy.jwt.unwrap().providers.unwrap()[0].cluster.as_deref(), Some("osmo-service-jwks"));
/// // 6.2 sidecar keys are not gateway keys.
/// assert!(serde_json::from_value::<GatewayEnvoy>(serde_json::json!({"routes": []})).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewayEnvoy {
    /// Deploy Envoy with its configuration, Service, Ingress and autoscaler; oauth2-proxy and authz still deploy when it is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Autoscaling of the Envoy pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<HpaScaling>,
    /// Envoy image reference with tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// When Kubernetes pulls the Envoy image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Envoy log level: trace, debug, info, warning, error, critical or off (info when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Port of the plain-HTTP listener (the Service's ports 80 and httpsPort forward to it); with ssl on, Envoy listens on 443 instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_port: Option<u16>,
    /// Largest total size of request headers Envoy accepts, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_headers_size_kb: Option<u32>,
    /// Client IP addresses Envoy answers with 403 (checked against every x-forwarded-for entry).
    #[serde(
        default,
        rename = "blockedIPs",
        skip_serializing_if = "Option::is_none"
    )]
    pub blocked_ips: Option<Vec<String>>,
    /// Public host name: the Ingress host and TLS host, and oauth2-proxy's redirect URL `https://<hostname>/oauth2/callback`; global.hostname when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// ServiceAccount of the Envoy pods; empty uses global.serviceAccountName.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Identity headers added to requests that carry none. For demos without oauth2-proxy, authz and JWT providers only; leave empty in production.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_identity: Option<DefaultIdentity>,
    /// The Kubernetes Service `<gateway.name>` in front of Envoy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<EnvoyService>,
    /// An Ingress to the gateway Service, for a load balancer shared by several namespaces (set service.type to ClusterIP with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<GatewayIngress>,
    /// TLS termination in Envoy itself (downstream).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl: Option<EnvoySsl>,
    /// Security context of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// Compute resources of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Liveness probe of the Envoy container (the default asks the admin port 9901 for /ready).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// Readiness probe of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// Startup probe of the Envoy container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
    /// Node labels the Envoy pods must match (global.nodeSelector is not added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Taints the Envoy pods tolerate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Annotations added to the Envoy pods (not a chart default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
    /// Additional volume mounts of the Envoy container, such as Secrets custom routes need, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional volumes of the Envoy pods, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// The external identity provider; setting `host` defines the `idp` cluster (TLS to host:443) that JWT providers with cluster `idp` fetch keys through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp: Option<IdpHost>,
    /// The cluster through which Envoy fetches the keys of OSMO-issued tokens from the API service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_jwks: Option<InternalJwks>,
    /// Validation of JSON Web Tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<GatewayJwt>,
    /// Path prefixes that skip oauth2-proxy, JWT validation and authz. Replaces the whole default list (which includes /api/auth/keys and /api/version): add paths with extraSkipAuthPaths instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_auth_paths: Option<Vec<String>>,
    /// Path prefixes that skip authentication, added to skipAuthPaths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_skip_auth_paths: Option<Vec<String>>,
    /// The route to the router (cluster osmo-router), with cookie-based affinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router_route: Option<RouterRoute>,
    /// Envoy route objects (match and route) for the API service; when not empty they replace the default /api/ and /client/ routes (cluster osmo-service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_routes: Option<Vec<FreeObject>>,
    /// Envoy route objects inserted before the API service and UI routes, such as routes to an extraClusters entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_routes: Option<Vec<FreeObject>>,
    /// Envoy cluster objects added to the configuration, as written (the only way to fetch JWKS from a second external host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_clusters: Option<Vec<FreeObject>>,
    /// Circuit-breaker limit of concurrent requests to the osmo-service cluster; 0 means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_requests: Option<u32>,
}

/// Identity headers Envoy adds when a request has none (`x-osmo-user`,
/// `x-osmo-roles`, `x-osmo-allowed-pools`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DefaultIdentity {
    /// User name for requests without one, such as admin; empty adds no headers at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Comma-separated roles for those requests, such as osmo-admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<String>,
    /// Comma-separated pools for those requests, such as default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_pools: Option<String>,
}

/// The type of the gateway Service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum GatewayServiceType {
    /// Not set: the chart uses LoadBalancer.
    #[serde(rename = "")]
    Unset,
    /// A cloud load balancer per deployment (the default).
    LoadBalancer,
    /// Reachable inside the cluster only; use it with the gateway Ingress.
    ClusterIP,
    /// Opened on a port of every node, as for KIND port mappings.
    NodePort,
}

/// The Kubernetes Service of the gateway.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnvoyService {
    /// Service type: LoadBalancer (default), ClusterIP (with the Ingress) or NodePort.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<GatewayServiceType>,
    /// Second Service port, forwarding to Envoy like port 80 (a load balancer terminating TLS sends plain HTTP here unless ssl is on); null (kept as written) or 0 exposes port 80 only.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub https_port: Option<Option<u16>>,
    /// Fixed node port of port 80 for a NodePort Service; null lets Kubernetes choose.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub node_port: Option<Option<u16>>,
    /// Annotations of the Service, such as AWS load balancer settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<StringMap>,
}

/// The Ingress in front of the gateway Service (one rule, path /).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewayIngress {
    /// Create the Ingress; its host is gateway.envoy.hostname (or global.hostname).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// IngressClass that serves the Ingress (alb by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_class: Option<String>,
    /// Annotations for the AWS Load Balancer Controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alb_annotations: Option<GatewayAlbAnnotations>,
    /// Terminate TLS at the Ingress with the certificate in sslSecret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_enabled: Option<bool>,
    /// TLS Secret of the host name; osmo-tls when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_secret: Option<String>,
    /// Additional annotations of the Ingress; each value is written as a quoted string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<ScalarMap>,
}

/// AWS Application Load Balancer annotations of the gateway Ingress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewayAlbAnnotations {
    /// Add the ALB annotations (IP targets, group, order, certificate, health check on /api/version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// ALB group the Ingress joins, shared by namespaces that share one load balancer; osmo when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// Order of this Ingress's rules within the group; 10 when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_order: Option<Scalar>,
    /// ARN of the ACM certificate the load balancer presents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_cert_arn: Option<String>,
}

/// TLS termination in Envoy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnvoySsl {
    /// Listen with TLS on 443; both Service ports then speak TLS, so in-cluster clients of the gateway need https.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// kubernetes.io/tls Secret with tls.crt and tls.key; envoy-ssl-cert when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_name: Option<String>,
}

/// The Envoy cluster for the keys of OSMO-issued tokens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InternalJwks {
    /// Define the cluster; the OSMO JWT provider needs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Name of the cluster; the OSMO provider's `cluster` must be the same (osmo-service-jwks by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Host of the API service; gateway.upstreams.service.host when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Port of the API service; gateway.upstreams.service.port when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<PortOrEmpty>,
}

/// A port number, or the empty string for "use the default".
///
/// ```
/// use osmo_values::values::v6_3::envoy::PortOrEmpty;
/// assert!(serde_json::from_str::<PortOrEmpty>("80").is_ok());
/// assert!(serde_json::from_str::<PortOrEmpty>("\"\"").is_ok());
/// assert!(serde_json::from_str::<PortOrEmpty>("\"8080\"").is_ok());
/// assert!(serde_json::from_str::<PortOrEmpty>("\"http\"").is_err());
/// assert!(serde_json::from_str::<PortOrEmpty>("70000").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PortOrEmpty {
    /// A port number.
    Number(u16),
    /// Empty, or a port number written as text.
    Text(String),
}

/// Text forms of a [`PortOrEmpty`]: empty, or one to five digits.
pub const PORT_TEXT_PATTERN: &str = "^([0-9]{1,5})?$";

impl<'de> Deserialize<'de> for PortOrEmpty {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u16),
            Text(String),
        }
        let raw = Raw::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom("expected a port number from 0 to 65535, or \"\"")
        })?;
        match raw {
            Raw::Number(n) => Ok(PortOrEmpty::Number(n)),
            Raw::Text(s) if s.is_empty() || s.parse::<u16>().is_ok() => Ok(PortOrEmpty::Text(s)),
            Raw::Text(s) => Err(serde::de::Error::custom(format!(
                "`{s}` is not a port number (0 to 65535) or \"\""
            ))),
        }
    }
}

impl JsonSchema for PortOrEmpty {
    fn schema_name() -> Cow<'static, str> {
        "PortOrEmpty".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A port number, or \"\" for the default.",
            "anyOf": [
                { "type": "integer", "minimum": 0, "maximum": 65535 },
                { "type": "string", "pattern": PORT_TEXT_PATTERN }
            ]
        })
    }
}

/// JWT validation in the gateway.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayJwt {
    /// Request header that receives the authenticated user's name, normally x-osmo-user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_header: Option<String>,
    /// Accepted token issuers; a token valid for any one of them passes (tokens are read from Authorization: Bearer and x-osmo-auth). Empty turns JWT validation off. Replaces the whole default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<Vec<GatewayJwtProvider>>,
}

/// One issuer whose JSON Web Tokens the gateway accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayJwtProvider {
    /// The `iss` claim a token must carry: the IdP's issuer URL (equal to gateway.oauth2Proxy.oidcIssuerUrl), or `osmo` for OSMO-issued tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The single audience (`aud`) a token must carry: the IdP client ID (equal to gateway.oauth2Proxy.clientId), or `osmo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// URL of the issuer's signing keys, fetched through `cluster`: the IdP's JWKS URL, or https://osmo-service/api/auth/keys for OSMO tokens (http:// only with gateway.tls off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// Token claim copied into the user header, such as preferred_username, email, or unique_name for OSMO tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_claim: Option<String>,
    /// Envoy cluster that fetches jwks_uri: `idp` for an external IdP (defined when gateway.envoy.idp.host is set to the JWKS host), internalJwks.cluster (osmo-service-jwks) for OSMO tokens, or an extraClusters entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

/// The route to the router.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouterRoute {
    /// Path prefix routed to the router; /api/router when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Envoy route timeout, such as 0s (none, the default) or 60s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// The affinity cookie that pins a client to one router pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie: Option<RouterCookie>,
}

/// The cookie Envoy hashes on to pick a router pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouterCookie {
    /// Name of the cookie; _osmo_router_affinity when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Lifetime of the cookie Envoy sets, as an Envoy duration; 0s (a session cookie) when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
}
