//! Values of the `service` chart 1.3.1 (OSMO 6.3.1): the top level, `global`,
//! and the OSMO components under `services` (API service, worker, logger,
//! agent, delayed-job monitor, the optional in-cluster PostgreSQL, Redis and
//! Localstack S3, the migration Job). The UI, the router, the ConfigMap-mode
//! `configs` and the `gateway` tier have their own modules.
//!
//! Keys the templates read without a chart default are modelled too:
//! `nameOverride`, `fullnameOverride`, `targetSchema`,
//! `services.postgres.password`, `services.agent.hostAliases`,
//! `services.logger.hostAliases`, `services.localstackS3.nodeSelector` and
//! `services.localstackS3.persistence.hostPath`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::configs::ConfigsValues;
use super::gateway::GatewayValues;
use super::router::RouterServiceValues;
use super::shared::{HpaScaling, LogFormat};
use super::ui::UiValues;
use crate::values::common::{
    ExtraConfigMap, FreeList, FreeObject, ImagePullPolicy, ImageTag, Probe, Resources, StringMap,
    Toleration, TopologySpreadConstraint, explicit_null,
};
use crate::values::service::{
    ApiAuthValues, ConfigFileValues, DefaultAdminValues, MigrationValues, PodMonitorValues,
    PostgresValues, RedisValues, ServiceAccountValues, localstack_s3_struct,
};

/// Values of the `service` chart 1.3.1 (OSMO 6.3.1), which also deploys the
/// router, the web UI and the gateway.
///
/// ```
/// use osmo_values::values::v6_3::ServiceValues;
/// let v: ServiceValues = serde_json::from_value(serde_json::json!({
///     "global": {"hostname": "osmo.example.com", "logs": {"logFormat": "json"}},
///     "gateway": {"envoy": {"idp": {"host": "login.microsoftonline.com"}}}
/// })).unwrap();
/// assert_eq!(v.global.unwrap().hostname.as_deref(), Some("osmo.example.com"));
/// // The 6.2 sidecars block is gone in 6.3.1.
/// assert!(serde_json::from_value::<ServiceValues>(serde_json::json!({"sidecars": {}})).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceValues {
    /// Replaces the chart name in the `app.kubernetes.io/name` label of the UI objects and the extra ConfigMaps (not a chart default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_override: Option<String>,
    /// Has no effect in chart 1.3.1: only a helper no template calls reads it (not a chart default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fullname_override: Option<String>,
    /// Settings every component shares: images, pull secret, scheduling, public host name, logging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<GlobalValues>,
    /// The ServiceAccount the chart creates (or reuses) for the OSMO pods; its name is also the subject of the ConfigMap-mode RoleBinding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<ServiceAccountValues>,
    /// Per-component settings: API service, UI, router, worker, logger, agent, databases, ConfigMap-mode configuration and helpers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<ServicesValues>,
    /// Prometheus Operator PodMonitors of the OSMO pods (and of the gateway's Envoy and oauth2-proxy when they run); off by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_monitor: Option<PodMonitorValues>,
    /// Additional ConfigMaps the chart creates in the release namespace (a list of name and data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_config_maps: Option<Vec<ExtraConfigMap>>,
    /// The gateway tier in front of every service: Envoy, oauth2-proxy, authz, optional rate limiting, its Service, Ingress, NetworkPolicies and upstream TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<GatewayValues>,
    /// Database schema the router reads and writes (env OSMO_SCHEMA_VERSION, `public` when empty); the other services use services.migration.targetSchema, and only when migration is enabled (not a chart default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_schema: Option<String>,
}

/// Settings shared by all components of the chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct GlobalValues {
    /// Registry path the OSMO images are pulled from, without image name or tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osmo_image_location: Option<String>,
    /// Tag of every OSMO image, such as "6.3.1" (quote it); the chart default is `latest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osmo_image_tag: Option<ImageTag>,
    /// Name of a docker-registry Secret used to pull images; null or empty for none.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_pull_secret: Option<Option<String>>,
    /// Node labels the OSMO service pods must match, merged with each component's own selector (the gateway pods use only their own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// ServiceAccount of every pod that does not name its own; also the name of the ServiceAccount the chart creates when serviceAccount.name is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Public host name of the deployment, such as osmo.example.com: used when services.service.hostname, services.router.hostname or gateway.envoy.hostname is empty (not for the ConfigMap-mode service_base_url).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Logging of the OSMO components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<LogsValues>,
}

/// Logging of the OSMO components.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LogsValues {
    /// Write logs to a shared /logs volume and pass the log levels and format to the components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Level of the OSMO application logs: DEBUG, INFO, WARNING, ERROR or CRITICAL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Level of the Kubernetes client library logs: DEBUG, INFO, WARNING, ERROR or CRITICAL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k8s_log_level: Option<String>,
    /// Format of the log records of the OSMO services and authz: `text` (default) or `json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<LogFormat>,
}

/// Settings of each component the chart deploys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServicesValues {
    /// Mounting the MEK file (ConfigMap mek-config) and wiring the db-secret and redis-secret passwords into the components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_file: Option<ConfigFileValues>,
    /// The web UI Deployment, its Service and optional autoscaler (the former web-ui chart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<UiValues>,
    /// The pgroll database migration Job run before installs and upgrades.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<MigrationValues>,
    /// PostgreSQL: connection settings, and an optional in-cluster instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<PostgresValues>,
    /// An administrator account created when the service starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_admin: Option<DefaultAdminValues>,
    /// ConfigMap mode: OSMO's configuration (service, workflow, pools, backends, roles, ...) kept in a ConfigMap the services read, instead of in the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configs: Option<ConfigsValues>,
    /// Redis: connection settings, and an optional in-cluster instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<RedisValues>,
    /// An in-cluster Localstack S3 store, for development and tests only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localstack_s3: Option<LocalstackS3Values>,
    /// The delayed-job monitor Deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delayed_job_monitor: Option<DelayedJobMonitorValues>,
    /// The worker Deployment that runs background jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerValues>,
    /// The API service Deployment, its Service and autoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ApiServiceValues>,
    /// The router Deployment (osmo-router), its Services (also osmo-router-headless) and autoscaler (the former router chart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<RouterServiceValues>,
    /// The logger Deployment that receives workflow logs, its Services and autoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logger: Option<LoggerAgentValues>,
    /// The agent Deployment that backend operators connect to, its Service and autoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<LoggerAgentValues>,
}

localstack_s3_struct! {
    /// The development-only Localstack S3 store.
    LocalstackS3Values {
        /// Has no effect in chart 1.3.1: the Localstack container always uses pull policy IfNotPresent.
        image_pull_policy,
        /// Node labels the Localstack pod must match, added to the global selector (not a chart default).
        node_selector: Option<StringMap>,
    }
}

/// Defines the struct of one OSMO component Deployment (API service, worker,
/// logger, agent, delayed-job monitor): its own fields first, then the keys
/// all five read the same way.
macro_rules! component_struct {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty,)* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields, rename_all = "camelCase")]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: $ty,
            )*
            /// OSMO image name, joined to global.osmoImageLocation and global.osmoImageTag.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image_name: Option<String>,
            /// Pull policy of the image.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image_pull_policy: Option<ImagePullPolicy>,
            /// Name of the Deployment, its pods' `app` label and container, its Service and autoscaler.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub service_name: Option<String>,
            /// Init containers of the pods, as written.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub init_containers: Option<FreeList>,
            /// Startup probe of the main container; the other probes wait until it passes. Merged key by key with the chart default.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub startup_probe: Option<Probe>,
            /// Node labels the pods must match, added to the global selector.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub node_selector: Option<StringMap>,
            /// Taints the pods tolerate.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub tolerations: Option<Vec<Toleration>>,
            /// Annotations added to the pods.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_pod_annotations: Option<StringMap>,
            /// Labels added to the pods.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_pod_labels: Option<StringMap>,
            /// Additional environment variables of the main container, as written.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_env: Option<FreeList>,
            /// Additional command-line arguments of the main container (each quoted).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_args: Option<Vec<String>>,
            /// Additional volume mounts of the main container, as written.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_volume_mounts: Option<FreeList>,
            /// Additional volumes of the pods, as written.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_volumes: Option<FreeList>,
            /// Additional containers in the pods, as written.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_sidecars: Option<FreeList>,
            /// ServiceAccount of the pods; empty uses global.serviceAccountName.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub service_account_name: Option<String>,
        }
    };
}

component_struct! {
    /// The API service, the entry point of users and clients behind the gateway.
    ApiServiceValues {
        /// Autoscaling of the API service pods.
        scaling: Option<HpaScaling>,
        /// Public host name passed to the service (--service_hostname), global.hostname when empty; in ConfigMap mode it also fills an unset service_base_url (as `https://<hostname>`) when services.configs.service is not empty.
        hostname: Option<String>,
        /// Extra /etc/hosts entries of the API service pods (ip and hostnames), as written.
        host_aliases: Option<FreeList>,
        /// Address of the client install script shown in upgrade hints.
        client_install_url: Option<String>,
        /// Turn off the collection of task metrics.
        disable_task_metrics: Option<bool>,
        /// Identity-provider endpoints the service hands to CLI and browser logins; `logout_endpoint` is also where the gateway's /signout sends the browser after oauth2-proxy.
        auth: Option<ApiAuthValues>,
        /// Liveness probe of the API service container; an httpGet check gets scheme HTTPS while gateway.tls.enabled.
        liveness_probe: Option<Probe>,
        /// Spread of the API service pods (chart 1.3.1 applies it to the worker pods too).
        topology_spread_constraints: Option<Vec<TopologySpreadConstraint>>,
        /// Compute resources of the API service container (chart 1.3.1 gives them to the delayed-job monitor too).
        resources: Option<Resources>,
    }
}

component_struct! {
    /// The worker, which processes background jobs.
    WorkerValues {
        /// Autoscaling of the worker pods.
        scaling: Option<HpaScaling>,
        /// Has no effect in chart 1.3.1: the worker pods are spread by services.service.topologySpreadConstraints (with a selector on the API service's pods).
        topology_spread_constraints: Option<Vec<TopologySpreadConstraint>>,
        /// Compute resources of the worker container.
        resources: Option<Resources>,
    }
}

component_struct! {
    /// The logger or the agent: Deployments behind the gateway's /api/logger/ and /api/agent/ routes.
    LoggerAgentValues {
        /// Autoscaling of the pods.
        scaling: Option<HpaScaling>,
        /// Extra /etc/hosts entries of the pods (ip and hostnames), as written (not a chart default).
        host_aliases: Option<FreeList>,
        /// Spread of the pods over nodes or zones.
        topology_spread_constraints: Option<Vec<TopologySpreadConstraint>>,
        /// Compute resources of the main container.
        resources: Option<Resources>,
        /// Has no effect in chart 1.3.1 (left over from the 6.2 per-pod Envoy sidecar): routing and authentication are set under gateway.envoy.
        envoy: Option<FreeObject>,
    }
}

component_struct! {
    /// The delayed-job monitor, which runs jobs scheduled for later.
    DelayedJobMonitorValues {
        /// Number of monitor pods.
        replicas: Option<u32>,
        /// Volumes of the monitor pod; the default holds the progress files its probes check.
        volumes: Option<FreeList>,
        /// Volume mounts of the monitor container; the default mounts the progress files.
        volume_mounts: Option<FreeList>,
        /// Has no effect in chart 1.3.1: the monitor container gets services.service.resources instead.
        resources: Option<Resources>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::deserialize_json;
    use serde_json::json;

    #[test]
    fn template_only_keys_are_accepted() {
        let v: ServiceValues = deserialize_json(json!({
            "nameOverride": "osmo",
            "targetSchema": "public_v6_3_1",
            "services": {
                "postgres": {"password": "pw"},
                "agent": {"hostAliases": [{"ip": "10.0.0.1", "hostnames": ["db"]}]},
                "logger": {"hostAliases": [{"ip": "10.0.0.2", "hostnames": ["a"]}]},
                "localstackS3": {"nodeSelector": {"pool": "dev"}, "persistence": {"hostPath": "/data"}}
            }
        }))
        .unwrap();
        let services = v.services.unwrap();
        assert_eq!(services.agent.unwrap().host_aliases.unwrap().len(), 1);
        assert_eq!(
            services.localstack_s3.unwrap().node_selector.unwrap()["pool"],
            "dev"
        );
        assert_eq!(v.target_schema.as_deref(), Some("public_v6_3_1"));
    }

    #[test]
    fn keys_gone_since_6_2_are_refused_with_their_path() {
        for (values, path) in [
            (json!({"sidecars": {"envoy": {}}}), "sidecars"),
            (
                json!({"services": {"service": {"ingress": {"enabled": true}}}}),
                "services.service.ingress",
            ),
            (
                json!({"services": {"service": {"envoy": {}}}}),
                "services.service.envoy",
            ),
            (
                json!({"services": {"redis": {"passwordSecretName": "redis-secret"}}}),
                "services.redis.passwordSecretName",
            ),
            (
                json!({"services": {"worker": {"hostAliases": []}}}),
                "services.worker.hostAliases",
            ),
        ] {
            let err = deserialize_json::<ServiceValues>(values).unwrap_err();
            assert_eq!(err.path.to_string(), path);
        }
    }

    #[test]
    fn log_format_is_text_or_json() {
        let ok: LogsValues = deserialize_json(json!({"logFormat": "json"})).unwrap();
        assert_eq!(ok.log_format, Some(LogFormat::Json));
        let err =
            deserialize_json::<ServiceValues>(json!({"global": {"logs": {"logFormat": "yaml"}}}))
                .unwrap_err();
        assert_eq!(err.path.to_string(), "global.logs.logFormat");
    }

    #[test]
    fn explicit_null_pull_secret_survives_a_round_trip() {
        let input = json!({"global": {"imagePullSecret": null}});
        let v: ServiceValues = deserialize_json(input.clone()).unwrap();
        assert_eq!(serde_json::to_value(&v).unwrap(), input);
    }

    #[test]
    fn every_component_has_a_startup_probe() {
        let probe = json!({"startupProbe": {"failureThreshold": 30}});
        let v: ServiceValues = deserialize_json(json!({"services": {
            "service": probe, "worker": probe, "logger": probe, "agent": probe,
            "delayedJobMonitor": probe, "router": probe
        }}))
        .unwrap();
        let s = v.services.unwrap();
        let threshold = |p: Option<Probe>| p.unwrap().failure_threshold;
        assert_eq!(threshold(s.service.unwrap().startup_probe), Some(30));
        assert_eq!(
            threshold(s.delayed_job_monitor.unwrap().startup_probe),
            Some(30)
        );
        assert_eq!(threshold(s.router.unwrap().startup_probe), Some(30));
    }
}
