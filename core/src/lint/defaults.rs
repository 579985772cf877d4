//! The chart defaults (OSMO 6.2.10, charts 1.2.1) that the rules need to
//! judge merged values: only the keys the rules read, written as data.
//!
//! A list in a values file replaces the chart's list, so rules such as
//! "auth paths missing from `skipAuthPaths`" compare with these defaults.

use std::sync::OnceLock;

use serde_json::{Value, json};

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

/// The chart's default `skipAuthPaths`.
pub fn skip_auth_paths(chart: ChartName) -> &'static [&'static str] {
    match chart {
        ChartName::Service => SERVICE_SKIP_AUTH_PATHS,
        ChartName::Router => ROUTER_SKIP_AUTH_PATHS,
        ChartName::WebUi | ChartName::BackendOperator => &[],
    }
}

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

/// [`defaults`] of `chart`, built once per process.
pub(crate) fn shared(chart: ChartName) -> &'static Value {
    static CELLS: [OnceLock<Value>; 4] = [const { OnceLock::new() }; 4];
    let slot = ChartName::ALL.iter().position(|c| *c == chart).unwrap_or(0);
    CELLS[slot].get_or_init(|| defaults(chart))
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
