//! Facts about the OSMO 6.2.10 charts (1.2.1) that the linter and the
//! generator read: the defaults the rules judge merged values against (only
//! the keys the rules read, written as data), the Envoy clusters each
//! chart's sidecar defines, the paths it lets through without a token, the
//! host-name and ingress keys, keys removed in 1.2.1 and the OSMO images.
//!
//! A list in a values file replaces the chart's list, so rules such as
//! "auth paths missing from `skipAuthPaths`" compare with these defaults.

use serde_json::{Value, json};

use super::{ChartFacts, Defined, EnvoyCluster, Image};
use crate::ChartName;

/// The paths the service chart lets through Envoy without authentication.
pub const SERVICE_SKIP_AUTH_PATHS: &[&str] = &[
    "/api/version",
    "/api/auth/login",
    "/api/auth/keys",
    "/api/auth/refresh_token",
    "/api/auth/jwt/refresh_token",
    "/api/auth/jwt/access_token",
    "/client/version",
];

/// The paths the router chart lets through without authentication.
pub const ROUTER_SKIP_AUTH_PATHS: &[&str] = &["/api/router/version"];

fn ingress() -> Value {
    json!({
        "enabled": true,
        "prefix": "/",
        "ingressClass": "nginx",
        "albAnnotations": {
            "enabled": false,
            "sslCertArn": "arn:aws:acm:us-west-2:XXXXXXXXX:certificate/YYYYYYYY"
        },
        "sslEnabled": true,
        "sslSecret": "osmo-tls",
        "annotations": {}
    })
}

fn oauth2_proxy() -> Value {
    json!({
        "enabled": true,
        "oidcIssuerUrl": "",
        "clientId": "",
        "cookieDomain": "",
        "useKubernetesSecrets": false
    })
}

fn empty_providers() -> Value {
    json!([
        {"issuer": "", "audience": "", "jwks_uri": "", "user_claim": "unique_name", "cluster": "idp"},
        {"issuer": "", "audience": "", "jwks_uri": "", "user_claim": "preferred_username", "cluster": "idp"}
    ])
}

/// The service chart's providers: two empty IdP slots and OSMO's own tokens.
fn service_providers() -> Value {
    let mut list = empty_providers();
    if let Value::Array(items) = &mut list {
        items.push(json!({
            "issuer": "osmo", "audience": "osmo",
            "jwks_uri": "http://localhost:8000/api/auth/keys",
            "user_claim": "unique_name", "cluster": "service"
        }));
    }
    list
}

/// The defaults of `chart` that the rules read.
pub fn defaults(chart: ChartName) -> Value {
    match chart {
        ChartName::Service => json!({
            "global": {"osmoImageTag": "6.2"},
            "services": {"service": {"hostname": "", "ingress": ingress()}},
            "sidecars": {
                "envoy": {
                    "enabled": true,
                    "idp": {"host": ""},
                    "skipAuthPaths": SERVICE_SKIP_AUTH_PATHS,
                    "listenerPort": 8080,
                    "ssl": {"enabled": false},
                    "inClusterPaths": {"enabled": false, "port": 8081},
                    "service": {"port": 8000, "hostname": "", "address": "127.0.0.1"},
                    "jwt": {"user_header": "x-osmo-user", "providers": service_providers()}
                },
                "oauth2Proxy": oauth2_proxy(),
                "rateLimit": {"enabled": true},
                "authz": {"enabled": true}
            }
        }),
        ChartName::Router => json!({
            "global": {"osmoImageTag": "6.2"},
            "services": {"service": {"hostname": "", "ingress": ingress()}},
            "sidecars": {
                "envoy": {
                    "enabled": true,
                    "idp": {"host": ""},
                    "skipAuthPaths": ROUTER_SKIP_AUTH_PATHS,
                    "service": {"port": 8000, "hostname": "", "address": "127.0.0.1"},
                    "jwt": {"enabled": true, "user_header": "x-osmo-user", "providers": []},
                    "osmoauth": {"enabled": true, "port": 80, "hostname": "", "address": "osmo-service"}
                },
                "oauth2Proxy": oauth2_proxy(),
                "authz": {"enabled": true}
            }
        }),
        ChartName::WebUi => json!({
            "global": {"osmoImageTag": "6.2"},
            "services": {"ui": {"hostname": "", "ingress": ingress()}},
            "sidecars": {
                "envoy": {
                    "enabled": true,
                    "idp": {"host": ""},
                    "skipAuthPaths": [],
                    "service": {"port": 8000, "hostname": "", "address": "127.0.0.1"},
                    "jwt": {"user_header": "x-osmo-user", "providers": empty_providers()}
                },
                "oauth2Proxy": oauth2_proxy()
            }
        }),
        ChartName::BackendOperator => json!({
            "global": {"osmoImageTag": "6.2", "serviceUrl": ""}
        }),
    }
}

const fn cluster(name: &'static str, defined: Defined) -> EnvoyCluster {
    EnvoyCluster { name, defined }
}

/// The IdP cluster: defined only when `sidecars.envoy.idp.host` is set.
const IDP: EnvoyCluster = cluster("idp", Defined::NonEmpty("sidecars.envoy.idp.host"));
/// The local service behind the sidecar: always defined.
const SERVICE: EnvoyCluster = cluster("service", Defined::Always);
/// oauth2-proxy: defined only when the sidecar is on.
const OAUTH2_PROXY: EnvoyCluster = cluster(
    "oauth2-proxy",
    Defined::Switch("sidecars.oauth2Proxy.enabled"),
);
/// The authorization sidecar.
const AUTHZ: EnvoyCluster = cluster("authz-sidecar", Defined::Switch("sidecars.authz.enabled"));

const SERVICE_FACTS: ChartFacts = ChartFacts {
    hostname: Some("services.service.hostname"),
    ingress: Some("services.service.ingress"),
    skip_auth_paths: SERVICE_SKIP_AUTH_PATHS,
    skip_auth_key: Some("sidecars.envoy.skipAuthPaths"),
    extra_skip_auth_key: None,
    envoy_clusters: &[
        IDP,
        SERVICE,
        OAUTH2_PROXY,
        AUTHZ,
        cluster("rate-limit", Defined::Switch("sidecars.rateLimit.enabled")),
    ],
    removed_keys: &["sidecars.logAgent", "sidecars.otel"],
    required_maps: &[],
    images: &[
        Image::osmo("services.service.imageName", "service"),
        Image::osmo("services.worker.imageName", "worker"),
        Image::osmo("services.logger.imageName", "logger"),
        Image::osmo("services.agent.imageName", "agent"),
        Image::osmo(
            "services.delayedJobMonitor.imageName",
            "delayed-job-monitor",
        ),
        Image::osmo("sidecars.authz.imageName", "authz-sidecar"),
    ],
};

const ROUTER_FACTS: ChartFacts = ChartFacts {
    hostname: Some("services.service.hostname"),
    ingress: Some("services.service.ingress"),
    skip_auth_paths: ROUTER_SKIP_AUTH_PATHS,
    skip_auth_key: Some("sidecars.envoy.skipAuthPaths"),
    extra_skip_auth_key: None,
    envoy_clusters: &[
        IDP,
        SERVICE,
        cluster(
            "osmoauth",
            Defined::Switch("sidecars.envoy.osmoauth.enabled"),
        ),
        OAUTH2_PROXY,
        AUTHZ,
    ],
    removed_keys: &["sidecars.logAgent"],
    required_maps: &[],
    images: &[
        Image::osmo("services.service.imageName", "router"),
        Image::osmo("sidecars.authz.imageName", "authz-sidecar"),
    ],
};

const WEB_UI_FACTS: ChartFacts = ChartFacts {
    hostname: Some("services.ui.hostname"),
    ingress: Some("services.ui.ingress"),
    skip_auth_paths: &[],
    skip_auth_key: Some("sidecars.envoy.skipAuthPaths"),
    extra_skip_auth_key: None,
    envoy_clusters: &[IDP, SERVICE, OAUTH2_PROXY],
    removed_keys: &["sidecars.logAgent"],
    required_maps: &[],
    images: &[Image::osmo("services.ui.imageName", "web-ui")],
};

const BACKEND_OPERATOR_FACTS: ChartFacts = ChartFacts {
    hostname: None,
    ingress: None,
    skip_auth_paths: &[],
    skip_auth_key: None,
    extra_skip_auth_key: None,
    envoy_clusters: &[],
    removed_keys: &["sidecars"],
    required_maps: &[],
    images: &[
        Image::osmo("services.backendListener.imageName", "backend-listener"),
        Image::osmo("services.backendWorker.imageName", "backend-worker"),
    ],
};

/// The facts of one 6.2.10 chart.
pub fn facts(chart: ChartName) -> &'static ChartFacts {
    match chart {
        ChartName::Service => &SERVICE_FACTS,
        ChartName::Router => &ROUTER_FACTS,
        ChartName::WebUi => &WEB_UI_FACTS,
        ChartName::BackendOperator => &BACKEND_OPERATOR_FACTS,
    }
}
