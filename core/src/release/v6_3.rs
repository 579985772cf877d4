//! Facts about the OSMO 6.3.1 charts (1.3.1) that the linter and the
//! generator read: the defaults the rules judge merged values against (only
//! the keys the rules read, written as data), the clusters the gateway's
//! Envoy defines (`cds.yaml`) and when, the paths it lets through without a
//! token, the host-name keys and the OSMO images.
//!
//! At 6.3.1 the router and the web UI are part of the `service` chart, and
//! one Envoy gateway (`gateway.*`) replaced the per-pod sidecars of 6.2.

use serde_json::{Value, json};

use super::{ChartFacts, Defined, EnvoyCluster, Image};
use crate::ChartName;

/// The paths the gateway lets through without authentication by default
/// (`gateway.envoy.skipAuthPaths`). A values list replaces it; paths are
/// added with `gateway.envoy.extraSkipAuthPaths`.
pub const SKIP_AUTH_PATHS: &[&str] = &[
    "/api/version",
    "/api/auth/login",
    "/api/auth/keys",
    "/api/auth/refresh_token",
    "/api/auth/jwt/refresh_token",
    "/api/auth/jwt/access_token",
    "/api/router/version",
    "/client/version",
];

/// The default name of the gateway (`gateway.name`): its Service, and the
/// prefix of its Deployments and ConfigMaps.
pub const GATEWAY_NAME: &str = "osmo-gateway";

/// The default name of the cluster that fetches OSMO's own signing keys
/// (`gateway.envoy.internalJwks.cluster`).
pub const INTERNAL_JWKS_CLUSTER: &str = "osmo-service-jwks";

const fn cluster(name: &'static str, defined: Defined) -> EnvoyCluster {
    EnvoyCluster { name, defined }
}

const SERVICE_FACTS: ChartFacts = ChartFacts {
    hostname: Some("gateway.envoy.hostname"),
    ingress: Some("gateway.envoy.ingress"),
    skip_auth_paths: SKIP_AUTH_PATHS,
    skip_auth_key: Some("gateway.envoy.skipAuthPaths"),
    extra_skip_auth_key: Some("gateway.envoy.extraSkipAuthPaths"),
    // The name of the internal-JWKS cluster is itself a value
    // (`gateway.envoy.internalJwks.cluster`); the rules read it there.
    envoy_clusters: &[
        cluster("osmo-service", Defined::Always),
        cluster(
            "osmo-router",
            Defined::Switch("gateway.upstreams.router.enabled"),
        ),
        cluster("osmo-ui", Defined::Switch("gateway.upstreams.ui.enabled")),
        cluster(
            "osmo-agent",
            Defined::Switch("gateway.upstreams.agent.enabled"),
        ),
        cluster(
            "osmo-logger",
            Defined::Switch("gateway.upstreams.logger.enabled"),
        ),
        cluster(
            "oauth2-proxy",
            Defined::Switch("gateway.oauth2Proxy.enabled"),
        ),
        cluster("authz", Defined::Switch("gateway.authz.enabled")),
        cluster("rate-limit", Defined::Switch("gateway.rateLimit.enabled")),
        cluster("idp", Defined::NonEmpty("gateway.envoy.idp.host")),
    ],
    removed_keys: &[],
    images: &[
        Image::osmo("services.service.imageName", "service"),
        Image::osmo("services.worker.imageName", "worker"),
        Image::osmo("services.logger.imageName", "logger"),
        Image::osmo("services.agent.imageName", "agent"),
        Image::osmo(
            "services.delayedJobMonitor.imageName",
            "delayed-job-monitor",
        ),
        Image::osmo("services.router.imageName", "router"),
        Image::osmo("services.ui.imageName", "web-ui"),
        Image::osmo("gateway.authz.imageName", "authz-sidecar"),
    ],
};

const BACKEND_OPERATOR_FACTS: ChartFacts = ChartFacts {
    hostname: None,
    ingress: None,
    skip_auth_paths: &[],
    skip_auth_key: None,
    extra_skip_auth_key: None,
    envoy_clusters: &[],
    removed_keys: &[],
    images: &[
        Image::osmo("services.backendListener.imageName", "backend-listener"),
        Image::osmo("services.backendWorker.imageName", "backend-worker"),
    ],
};

/// The facts of one 6.3.1 chart (`service` or `backend-operator`; the
/// router and web-ui charts of 6.2 have none here).
pub fn facts(chart: ChartName) -> &'static ChartFacts {
    match chart {
        ChartName::BackendOperator => &BACKEND_OPERATOR_FACTS,
        _ => &SERVICE_FACTS,
    }
}

/// The defaults of `chart` that the rules read.
pub fn defaults(chart: ChartName) -> Value {
    // Data, not `json!`: the browser wizard carries the text, much smaller than the code the
    // macro expands to. The names and lists defined above are set after reading it.
    let text = match chart {
        ChartName::BackendOperator => BACKEND_OPERATOR_DEFAULTS,
        _ => SERVICE_DEFAULTS,
    };
    let mut value: Value = serde_json::from_str(text).unwrap_or_default();
    if chart != ChartName::BackendOperator {
        let mut set = |pointer: &str, v: Value| {
            if let Some(slot) = value.pointer_mut(pointer) {
                *slot = v;
            }
        };
        set("/services/configs", crate::configs::default_configs());
        set("/gateway/name", json!(GATEWAY_NAME));
        set(
            "/gateway/envoy/internalJwks/cluster",
            json!(INTERNAL_JWKS_CLUSTER),
        );
        set("/gateway/envoy/skipAuthPaths", json!(SKIP_AUTH_PATHS));
    }
    value
}

/// The backend operator chart's defaults that the rules read.
const BACKEND_OPERATOR_DEFAULTS: &str = r#"{
    "global": {
        "osmoImageTag": "latest",
        "serviceUrl": "",
        "backendName": "default",
        "logs": {"logLevel": "DEBUG", "k8sLogLevel": "WARNING", "logFormat": "text"}
    }
}"#;

/// The service chart's defaults that the rules read (`null` where [`defaults`] puts a name,
/// a list or the ConfigMap-mode defaults defined elsewhere).
const SERVICE_DEFAULTS: &str = r#"{
    "global": {
        "osmoImageTag": "latest",
        "hostname": "",
        "logs": {"enabled": true, "logLevel": "DEBUG", "k8sLogLevel": "WARNING", "logFormat": "text"}
    },
    "services": {
        "configFile": {"enabled": false, "path": "/opt/osmo/config.yaml"},
        "defaultAdmin": {
            "enabled": false,
            "username": "admin",
            "passwordSecretName": "default-admin-secret",
            "passwordSecretKey": "password"
        },
        "redis": {"serviceName": "redis", "port": 6379},
        "service": {"serviceName": "osmo-service", "hostname": ""},
        "router": {"hostname": ""},
        "ui": {"enabled": true, "apiHostname": "osmo-gateway:80"},
        "configs": null
    },
    "gateway": {
        "name": null,
        "envoy": {
            "enabled": true,
            "listenerPort": 8080,
            "hostname": "",
            "service": {"type": "LoadBalancer", "httpsPort": 443},
            "ingress": {
                "enabled": false,
                "ingressClass": "alb",
                "albAnnotations": {"enabled": false, "groupName": "osmo", "groupOrder": "10", "sslCertArn": ""},
                "sslEnabled": false,
                "sslSecret": "osmo-tls",
                "annotations": {}
            },
            "ssl": {"enabled": false, "secretName": "envoy-ssl-cert"},
            "idp": {"host": ""},
            "internalJwks": {"enabled": true, "cluster": null, "host": "", "port": ""},
            "jwt": {"user_header": "x-osmo-user", "providers": []},
            "skipAuthPaths": null,
            "extraSkipAuthPaths": [],
            "routerRoute": {"prefix": "/api/router", "timeout": "0s", "cookie": {"name": "_osmo_router_affinity", "ttl": "0s"}},
            "serviceRoutes": [],
            "extraRoutes": [],
            "extraClusters": [],
            "defaultIdentity": {"user": "", "roles": "", "allowedPools": ""}
        },
        "upstreams": {
            "service": {"enabled": true, "host": "osmo-service", "port": 80},
            "router": {"enabled": true, "host": "osmo-router-headless", "port": 8000},
            "ui": {"enabled": true, "host": "osmo-ui", "port": 80},
            "agent": {"enabled": true, "host": "osmo-agent", "port": 80},
            "logger": {"enabled": true, "host": "osmo-logger-headless", "port": 8000}
        },
        "oauth2Proxy": {
            "enabled": true,
            "scaling": {"minReplicas": 1, "maxReplicas": 3},
            "oidcIssuerUrl": "",
            "clientId": "",
            "cookieDomain": "",
            "useKubernetesSecrets": false,
            "secretName": "oauth2-proxy-secrets",
            "redisSessionStore": true,
            "redis": {"serviceName": "", "port": 6379, "tlsEnabled": true, "dbNumber": 0}
        },
        "authz": {"enabled": true, "scaling": {"minReplicas": 1, "maxReplicas": 3}},
        "rateLimit": {
            "enabled": false,
            "redis": {"serviceName": "", "port": 6379, "tlsEnabled": true},
            "config": {"domain": "ratelimit", "descriptors": []}
        },
        "tls": {
            "enabled": true,
            "upstreamCerts": {"service": "", "router": "", "agent": "", "logger": ""},
            "caSecret": ""
        }
    }
}"#;
