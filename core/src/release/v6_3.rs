//! Facts about the OSMO 6.3.1 charts (1.3.1) that the linter and the
//! generator read: the defaults the rules judge merged values against (only
//! the keys the rules read, written as data), the clusters the gateway's
//! Envoy defines (`cds.yaml`) and when, the paths it lets through without a
//! token, the host-name keys and the OSMO images.
//!
//! At 6.3.1 the router and the web UI are part of the `service` chart, and
//! one Envoy gateway (`gateway.*`) replaced the per-pod sidecars of 6.2.

use serde_json::Value;

use super::{ChartFacts, Defined, EnvoyCluster, Image, RequiredMap};
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

const fn always(path: &'static str) -> RequiredMap {
    RequiredMap { path, when: &[] }
}

const fn when(path: &'static str, when: &'static [(&'static str, bool)]) -> RequiredMap {
    RequiredMap { path, when }
}

const ENVOY_ON: &[(&str, bool)] = &[("gateway.envoy.enabled", true)];
const OAUTH2_PROXY_ON: &[(&str, bool)] = &[("gateway.oauth2Proxy.enabled", true)];
const AUTHZ_ON: &[(&str, bool)] = &[("gateway.authz.enabled", true)];
const RATE_LIMIT_ON: &[(&str, bool)] = &[("gateway.rateLimit.enabled", true)];
const UI_ON: &[(&str, bool)] = &[("services.ui.enabled", true)];

/// The service chart's maps the templates dereference (found by rendering
/// the chart with each map of its defaults deleted, under each switch; a
/// test renders this table again with the real Helm engine).
const SERVICE_REQUIRED_MAPS: &[RequiredMap] = &[
    always("global"),
    always("global.logs"),
    always("serviceAccount"),
    always("podMonitor"),
    always("services"),
    always("services.configFile"),
    always("services.configs"),
    always("services.defaultAdmin"),
    always("services.migration"),
    always("services.postgres"),
    always("services.redis"),
    always("services.service"),
    always("services.service.auth"),
    always("services.service.scaling"),
    always("services.worker"),
    always("services.worker.scaling"),
    always("services.logger"),
    always("services.logger.scaling"),
    always("services.agent"),
    always("services.agent.scaling"),
    always("services.delayedJobMonitor"),
    always("services.router"),
    always("services.router.scaling"),
    always("services.ui"),
    when("services.ui.scaling", UI_ON),
    when("services.ui.service", UI_ON),
    when(
        "services.localstackS3.persistence",
        &[("services.localstackS3.enabled", true)],
    ),
    always("gateway"),
    always("gateway.envoy"),
    when("gateway.envoy.scaling", ENVOY_ON),
    when("gateway.envoy.service", ENVOY_ON),
    when("gateway.envoy.ingress", ENVOY_ON),
    when(
        "gateway.envoy.ingress.albAnnotations",
        &[
            ("gateway.envoy.enabled", true),
            ("gateway.envoy.ingress.enabled", true),
        ],
    ),
    when("gateway.envoy.ssl", ENVOY_ON),
    when("gateway.envoy.idp", ENVOY_ON),
    when("gateway.envoy.internalJwks", ENVOY_ON),
    when("gateway.envoy.jwt", ENVOY_ON),
    when(
        "gateway.envoy.routerRoute",
        &[
            ("gateway.envoy.enabled", true),
            ("gateway.upstreams.router.enabled", true),
        ],
    ),
    when(
        "gateway.envoy.routerRoute.cookie",
        &[
            ("gateway.envoy.enabled", true),
            ("gateway.upstreams.router.enabled", true),
        ],
    ),
    when("gateway.upstreams", ENVOY_ON),
    when("gateway.upstreams.service", ENVOY_ON),
    when("gateway.upstreams.router", ENVOY_ON),
    when("gateway.upstreams.ui", ENVOY_ON),
    when("gateway.upstreams.agent", ENVOY_ON),
    when("gateway.upstreams.logger", ENVOY_ON),
    always("gateway.oauth2Proxy"),
    when("gateway.oauth2Proxy.scaling", OAUTH2_PROXY_ON),
    when("gateway.oauth2Proxy.redis", OAUTH2_PROXY_ON),
    when(
        "gateway.oauth2Proxy.secretPaths",
        &[
            ("gateway.oauth2Proxy.enabled", true),
            ("gateway.oauth2Proxy.useKubernetesSecrets", false),
        ],
    ),
    always("gateway.authz"),
    when("gateway.authz.scaling", AUTHZ_ON),
    when("gateway.authz.cache", AUTHZ_ON),
    when(
        "gateway.authz.postgres",
        &[
            ("gateway.authz.enabled", true),
            ("services.configs.enabled", false),
        ],
    ),
    always("gateway.rateLimit"),
    when("gateway.rateLimit.config", RATE_LIMIT_ON),
    when("gateway.rateLimit.redis", RATE_LIMIT_ON),
    always("gateway.networkPolicies"),
    always("gateway.tls"),
    always("gateway.tls.upstreamCerts"),
];

const TEST_RUNNER_ON: &[(&str, bool)] = &[("backendTestRunner.enabled", true)];
const NON_CLUSTER_ROLES: &[(&str, bool)] = &[("global.enableNonClusterRoles", true)];

/// The backend-operator chart's maps the templates dereference.
const BACKEND_OPERATOR_REQUIRED_MAPS: &[RequiredMap] = &[
    always("global"),
    when("global.logs", NON_CLUSTER_ROLES),
    always("global.networkPolicy"),
    always("global.priorityClasses"),
    always("podMonitor"),
    always("services"),
    always("services.backendListener"),
    when("services.backendListener.startupProbe", NON_CLUSTER_ROLES),
    always("services.backendWorker"),
    when("services.backendWorker.startupProbe", NON_CLUSTER_ROLES),
    always("backendTestRunner"),
    when("backendTestRunner.annotations", TEST_RUNNER_ON),
    when("backendTestRunner.configMap", TEST_RUNNER_ON),
    when("backendTestRunner.cronJob", TEST_RUNNER_ON),
    when("backendTestRunner.env", TEST_RUNNER_ON),
    when("backendTestRunner.jobTemplate", TEST_RUNNER_ON),
    when("backendTestRunner.podTemplate", TEST_RUNNER_ON),
    when("backendTestRunner.podTemplate.container", TEST_RUNNER_ON),
    when(
        "backendTestRunner.podTemplate.containerSecurityContext",
        TEST_RUNNER_ON,
    ),
    when(
        "backendTestRunner.podTemplate.containerSecurityContext.capabilities",
        TEST_RUNNER_ON,
    ),
    when("backendTestRunner.podTemplate.image", TEST_RUNNER_ON),
    when(
        "backendTestRunner.podTemplate.initContainer",
        TEST_RUNNER_ON,
    ),
    when(
        "backendTestRunner.podTemplate.securityContext",
        TEST_RUNNER_ON,
    ),
    when(
        "backendTestRunner.podTemplate.securityContext.seccompProfile",
        TEST_RUNNER_ON,
    ),
    when("backendTestRunner.volumes", TEST_RUNNER_ON),
];

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
    required_maps: SERVICE_REQUIRED_MAPS,
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
    required_maps: BACKEND_OPERATOR_REQUIRED_MAPS,
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
///
/// ```
/// use osmo_values::{ChartName, release::v6_3};
/// let service = v6_3::defaults(ChartName::Service);
/// assert_eq!(service["gateway"]["name"], v6_3::GATEWAY_NAME);
/// assert_eq!(service["services"]["redis"]["port"], 6379);
/// assert_eq!(v6_3::defaults(ChartName::BackendOperator)["global"]["backendName"], "default");
/// ```
pub fn defaults(chart: ChartName) -> Value {
    // Data, not `json!`: the browser wizard carries the text, much smaller than the code the
    // macro expands to. The lint tests read it (a broken text fails them).
    let text = match chart {
        ChartName::BackendOperator => BACKEND_OPERATOR_DEFAULTS,
        _ => SERVICE_DEFAULTS,
    };
    let mut value: Value = serde_json::from_str(text).unwrap_or_default();
    if chart != ChartName::BackendOperator {
        // The values that have one source of truth elsewhere, in place of the text's `null`s.
        value["services"]["configs"] = crate::configs::default_configs();
        let gateway = &mut value["gateway"];
        gateway["name"] = GATEWAY_NAME.into();
        gateway["envoy"]["internalJwks"]["cluster"] = INTERNAL_JWKS_CLUSTER.into();
        gateway["envoy"]["skipAuthPaths"] = SKIP_AUTH_PATHS.into();
    }
    value
}

/// The backend-operator chart's defaults that the rules read, as JSON text.
const BACKEND_OPERATOR_DEFAULTS: &str = r#"{
 "global": {
  "osmoImageTag": "latest",
  "serviceUrl": "",
  "backendName": "default",
  "enableNonClusterRoles": true,
  "logs": {"logLevel": "DEBUG", "k8sLogLevel": "WARNING", "logFormat": "text"}
 },
 "backendTestRunner": {"enabled": true}
}"#;

/// The service chart's defaults that the rules read, as JSON text; each `null` is filled in
/// by [`defaults`] from its own source.
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
  "postgres": {"enabled": false, "passwordSecretName": "db-secret", "passwordSecretKey": "db-password"},
  "redis": {"serviceName": "redis", "port": 6379},
  "localstackS3": {"enabled": false},
  "service": {"serviceName": "osmo-service", "hostname": ""},
  "worker": {"serviceName": "osmo-worker"},
  "logger": {"serviceName": "osmo-logger"},
  "agent": {"serviceName": "osmo-agent"},
  "delayedJobMonitor": {"serviceName": "osmo-delayed-job-monitor"},
  "router": {"serviceName": "osmo-router", "hostname": ""},
  "ui": {
   "enabled": true,
   "serviceName": "osmo-ui",
   "apiHostname": "osmo-gateway:80",
   "nextjsSslEnabled": false,
   "extraEnvs": []
  },
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
   "clientSecretKey": "client_secret",
   "cookieSecretKey": "cookie_secret",
   "secretPaths": {
    "clientSecret": "/etc/oauth2-proxy/client-secret",
    "cookieSecret": "/etc/oauth2-proxy/cookie-secret"
   },
   "extraArgs": [],
   "extraEnv": [],
   "extraPodAnnotations": {},
   "extraVolumeMounts": [],
   "extraVolumes": [],
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
