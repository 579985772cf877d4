//! `gateway.oauth2Proxy` and `gateway.authz` of the `service` chart 1.3.1:
//! the browser login and the role-based authorization service, each its own
//! Deployment (`<gateway.name>-oauth2-proxy`, `<gateway.name>-authz`) with an
//! autoscaler. The oauth2-proxy keys of the 6.2 sidecar keep their meaning
//! (`oauth2_proxy_struct!`); the gateway adds scheduling, scaling and its
//! own Redis settings.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::HpaScaling;
use crate::values::common::{
    FreeList, ImagePullPolicy, ImageTag, Probe, Resources, SecurityContext, StringMap, Toleration,
};
use crate::values::sidecars::{AuthzCache, AuthzPostgres, oauth2_proxy_struct};

oauth2_proxy_struct! {
    /// The gateway's oauth2-proxy (Envoy cluster `oauth2-proxy`, routes
    /// /oauth2/ and /signout). Enabled by default, but it needs
    /// oidcIssuerUrl, clientId and its secrets before it can start.
    ///
    /// ```
    /// use osmo_values::values::v6_3::auth::GatewayOAuth2Proxy;
    /// let proxy: GatewayOAuth2Proxy = serde_json::from_value(serde_json::json!({
    ///     "useKubernetesSecrets": true,
    ///     "redis": {"serviceName": "redis", "tlsEnabled": false}
    /// })).unwrap();
    /// assert_eq!(proxy.redis.unwrap().tls_enabled, Some(false));
    /// ```
    GatewayOAuth2Proxy(GatewaySecretPaths) {
        /// Keep sessions in Redis (see `redis`; its host falls back to services.redis.serviceName) instead of in cookies.
        redis_session_store,
        /// Autoscaling of the oauth2-proxy pods.
        scaling: Option<HpaScaling>,
        /// Additional environment variables of the oauth2-proxy container, as written (for example OAUTH2_PROXY_REDIS_PASSWORD from a Secret for an authenticated Redis).
        extra_env: Option<FreeList>,
        /// The Redis that stores sessions when redisSessionStore is on.
        redis: Option<OAuth2ProxyRedis>,
        /// Node labels the oauth2-proxy pods must match (global.nodeSelector is not added).
        node_selector: Option<StringMap>,
        /// Taints the oauth2-proxy pods tolerate.
        tolerations: Option<Vec<Toleration>>,
        /// Annotations added to the oauth2-proxy pods.
        extra_pod_annotations: Option<StringMap>,
        /// Additional volumes of the oauth2-proxy pods, as written.
        extra_volumes: Option<FreeList>,
        /// ServiceAccount of the oauth2-proxy pods; empty uses global.serviceAccountName.
        service_account_name: Option<String>,
    }
}

/// Where oauth2-proxy reads its secrets when `useKubernetesSecrets` is false.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewaySecretPaths {
    /// Has no effect in chart 1.3.1: with useKubernetesSecrets false the client secret must be inside the cookieSecret file; with it true the chart reads secretName / clientSecretKey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Configuration file passed as --config (it must hold the client and cookie secrets) when useKubernetesSecrets is false; only an injector such as Vault's provides it, so set useKubernetesSecrets true otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie_secret: Option<String>,
}

/// The Redis session store of the gateway's oauth2-proxy (no password is
/// passed; add one through extraEnv).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OAuth2ProxyRedis {
    /// Redis host name; services.redis.serviceName when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Redis port; 6379 when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Connect with TLS (rediss://).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_enabled: Option<bool>,
    /// Redis logical database number; 0 when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_number: Option<u32>,
}

/// The gateway's authorization service (Envoy cluster `authz`): it checks
/// every request against the roles, read from PostgreSQL or, in ConfigMap
/// mode, from the configuration ConfigMap.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewayAuthz {
    /// Deploy authz and make Envoy check every request with it (not the UI and oauth2 routes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Autoscaling of the authz pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<HpaScaling>,
    /// Image name under global.osmoImageLocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// Tag of the authz image; empty uses global.osmoImageTag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<ImageTag>,
    /// When Kubernetes pulls the authz image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// gRPC port of authz (also its Service's port and the authz Envoy cluster's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc_port: Option<u16>,
    /// Additional environment variables of the authz container, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_env: Option<FreeList>,
    /// Database connection pool (not used in ConfigMap mode); host, database, user and password come from services.postgres (password from db-secret with services.configFile.enabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<AuthzPostgres>,
    /// Cache of role policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<AuthzCache>,
    /// Security context of the authz container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// Compute resources of the authz container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Liveness probe of the authz container (a gRPC check by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// Readiness probe of the authz container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// Node labels the authz pods must match (global.nodeSelector is not added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Taints the authz pods tolerate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Annotations added to the authz pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
    /// Additional volume mounts of the authz container, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional volumes of the authz pods, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// ServiceAccount of the authz pods; empty uses global.serviceAccountName.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
}
