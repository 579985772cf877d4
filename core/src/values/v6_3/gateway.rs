//! `gateway` of the `service` chart 1.3.1: the tier every request enters
//! through. It replaces the 6.2 per-pod sidecars (`sidecars.*`) with
//! stand-alone Deployments named `<gateway.name>-envoy`, `-oauth2-proxy`,
//! `-authz` and `-ratelimit`, and a Service `<gateway.name>`.
//!
//! This module holds the top level, the upstreams Envoy routes to, the
//! NetworkPolicies, upstream TLS and rate limiting; [`super::envoy`] holds
//! `gateway.envoy`, [`super::auth`] `gateway.oauth2Proxy` and `gateway.authz`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::auth::{GatewayAuthz, GatewayOAuth2Proxy};
use super::envoy::GatewayEnvoy;
use crate::values::common::{
    FreeObject, ImagePullPolicy, Resources, SecurityContext, StringMap, Toleration,
};

/// The gateway tier.
///
/// ```
/// use osmo_values::values::v6_3::GatewayValues;
/// let gateway: GatewayValues = serde_json::from_value(serde_json::json!({
///     "name": "osmo-gateway",
///     "upstreams": {"router": {"host": "osmo-router-headless", "port": 8000}},
///     "tls": {"upstreamCerts": {"service": "osmo-service-tls"}}
/// })).unwrap();
/// assert_eq!(gateway.upstreams.unwrap().router.unwrap().port, Some(8000));
/// // There is no switch for the whole tier: each component has its own.
/// assert!(serde_json::from_value::<GatewayValues>(serde_json::json!({"enabled": true})).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewayValues {
    /// Prefix of every gateway object (`<name>-envoy`, `<name>-oauth2-proxy`, ...) and the name of its Service, which clients and the UI's apiHostname use; osmo-gateway when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The Envoy proxy: listener, routes, JWT validation, Service, Ingress, autoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envoy: Option<GatewayEnvoy>,
    /// The in-cluster services Envoy routes to, one Envoy cluster each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstreams: Option<Upstreams>,
    /// oauth2-proxy, which runs the browser login (enabled by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth2_proxy: Option<GatewayOAuth2Proxy>,
    /// The authorization service Envoy asks about every request (enabled by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authz: Option<GatewayAuthz>,
    /// The Envoy rate-limit service (off by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<GatewayRateLimit>,
    /// NetworkPolicies that let only the gateway's Envoy reach the listed upstream pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_policies: Option<NetworkPolicies>,
    /// TLS between Envoy and the API service, router, agent and logger (on by default; the UI stays plain HTTP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<GatewayTls>,
}

/// The services Envoy routes to. A disabled upstream loses its cluster and
/// its route (its paths then fall through to the API service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Upstreams {
    /// The API service (cluster osmo-service: /api/ and /client/, or gateway.envoy.serviceRoutes); also the default host and port of the internal JWKS cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceUpstream>,
    /// The router (cluster osmo-router on gateway.envoy.routerRoute.prefix, cookie affinity); the default headless Service on port 8000 lets Envoy hash over the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<Upstream>,
    /// The web UI (cluster osmo-ui, the catch-all route /, always plain HTTP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<Upstream>,
    /// The agent (cluster osmo-agent, route /api/agent/).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Upstream>,
    /// The logger (cluster osmo-logger, route /api/logger/); the default headless Service on port 8000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logger: Option<Upstream>,
}

/// One upstream service of the gateway.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Upstream {
    /// Define the Envoy cluster and its route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// DNS name of the Service (a full name such as svc.ns.svc.cluster.local when the gateway runs in another namespace); also the TLS SNI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Port Envoy connects to: the Service port, or the pod port (8000) for a headless Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// The API service upstream, which Envoy always defines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceUpstream {
    /// Has no effect in chart 1.3.1: the osmo-service cluster and its routes are always defined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// DNS name of the API service's Service (a full name when the gateway runs in another namespace); also the TLS SNI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Port of the API service's Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// NetworkPolicies that admit only the gateway's Envoy to upstream pods
/// (they need a CNI that enforces NetworkPolicy).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkPolicies {
    /// Create one NetworkPolicy per entry of `upstreams`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The protected upstreams. A list: setting it replaces the default three (service, router, UI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstreams: Option<Vec<NetworkPolicyUpstream>>,
}

/// Pods that only the gateway's Envoy may reach.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkPolicyUpstream {
    /// Suffix of the policy name `<gateway.name>-allow-envoy-to-<name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Labels of the protected pods, such as app: osmo-service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_selector: Option<StringMap>,
    /// TCP port Envoy may reach on those pods; 8000 when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// TLS between the gateway and its upstreams.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewayTls {
    /// The API service, router, agent and logger serve HTTPS only on port 8000 and Envoy connects with TLS; in-cluster clients must then use https:// (or go through the gateway), including the OSMO JWT provider's jwks_uri.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Per upstream, a kubernetes.io/tls Secret (tls.crt, tls.key) it serves; empty mints a self-signed certificate at start-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream_certs: Option<UpstreamCerts>,
    /// Secret with a ca.crt Envoy validates the upstream certificates against; empty encrypts without validating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_secret: Option<String>,
}

/// The certificate Secret of each TLS upstream.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpstreamCerts {
    /// TLS Secret of the API service; empty for a self-signed certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// TLS Secret of the router; empty for a self-signed certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<String>,
    /// TLS Secret of the agent; empty for a self-signed certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// TLS Secret of the logger; empty for a self-signed certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logger: Option<String>,
}

/// The Envoy rate-limit service (Deployment `<gateway.name>-ratelimit`,
/// Envoy cluster `rate-limit`). The default routes carry no rate-limit
/// actions, so it limits nothing until serviceRoutes or extraRoutes add some.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewayRateLimit {
    /// Deploy the rate-limit service and add Envoy's rate-limit filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Number of rate-limit pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Rate-limit service image reference with tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// When Kubernetes pulls the rate-limit image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// gRPC port of the service (also the rate-limit Envoy cluster's port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc_port: Option<u16>,
    /// HTTP port of the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_port: Option<u16>,
    /// Redis that stores the counters (no fallback to services.redis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<RateLimitRedis>,
    /// The rules of the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<RateLimitConfig>,
    /// Security context of the rate-limit container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// Compute resources of the rate-limit container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Node labels the rate-limit pods must match (global.nodeSelector is not added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Taints the rate-limit pods tolerate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
}

/// Redis used by the rate-limit service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RateLimitRedis {
    /// Redis host name; must be set (empty connects to ":6379").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Redis port; 6379 when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Connect with TLS. Chart 1.3.1 always connects with TLS: false is replaced by its default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_enabled: Option<bool>,
}

/// The rules of the rate-limit service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RateLimitConfig {
    /// Rule domain; keep `ratelimit`, the domain Envoy's filter always asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Rate-limit descriptors (key, value, rate_limit, nested descriptors), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptors: Option<Vec<FreeObject>>,
}
