//! Values of the `service` chart: the API service, worker, logger, agent and
//! delayed-job monitor, the optional in-cluster PostgreSQL, Redis and
//! Localstack S3, the database migration job, and their shared settings.
//!
//! Keys the templates read without a chart default are modelled too:
//! `services.postgres.password`, `services.agent.hostAliases`,
//! `services.logger.hostAliases` and `services.localstackS3.persistence.hostPath`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::common::{
    ExtraConfigMap, FreeList, ImagePullPolicy, ImageTag, Probe, Quantity, Resources, StringMap,
    Toleration, TopologySpreadConstraint, explicit_null,
};
use crate::values::sidecars::ServiceEnvoy;

/// Values of the `service` chart.
///
/// ```
/// use osmo_values::values::ServiceValues;
/// let v: ServiceValues = serde_json::from_value(serde_json::json!({
///     "services": {"agent": {"hostAliases": [{"ip": "10.0.0.1", "hostnames": ["db"]}]}}
/// })).unwrap();
/// assert!(v.services.unwrap().agent.unwrap().host_aliases.is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceValues {
    /// Overrides the chart name used in resource names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_override: Option<String>,
    /// No effect: only a helper that no template calls reads it; resource names are fixed by `serviceName` keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fullname_override: Option<String>,
    /// Settings every OSMO component of the chart shares: images, pull secret, scheduling, logging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<GlobalValues>,
    /// The ServiceAccount the chart creates (or reuses) for the OSMO pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<ServiceAccountValues>,
    /// Per-component settings: API service, worker, logger, agent, databases and helpers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<ServicesValues>,
    /// The Prometheus Operator PodMonitor that scrapes the OSMO pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_monitor: Option<PodMonitorValues>,
    /// Additional ConfigMaps the chart creates in the release namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_config_maps: Option<Vec<ExtraConfigMap>>,
    /// Sidecar containers of the API pods: Envoy, oauth2-proxy, rate limiting, authorization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecars: Option<crate::values::sidecars::ServiceSidecars>,
}

/// Settings shared by all OSMO components of the chart.
///
/// Inlined in the schema (not a `$ref` inside `anyOf` with null), so a
/// validator reports a bad key such as a numeric `osmoImageTag` at its own path.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct GlobalValues {
    /// Registry path the OSMO images are pulled from, without image name or tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osmo_image_location: Option<String>,
    /// Tag of every OSMO image, such as "6.2.10" (quote it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osmo_image_tag: Option<ImageTag>,
    /// Name of a docker-registry Secret used to pull images; null or empty for none.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_pull_secret: Option<Option<String>>,
    /// Node labels every OSMO pod must match, merged with each component's own selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// ServiceAccount used by components that do not name their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Logging of the OSMO components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<LogsValues>,
}

/// Logging of the OSMO components.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LogsValues {
    /// Write logs to a shared /logs volume and pass the log levels below to the components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Level of the OSMO application logs: DEBUG, INFO, WARNING, ERROR or CRITICAL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Level of the Kubernetes client library logs: DEBUG, INFO, WARNING, ERROR or CRITICAL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k8s_log_level: Option<String>,
}

/// The ServiceAccount of the OSMO pods.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceAccountValues {
    /// Whether the chart creates the ServiceAccount; false reuses an existing one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<bool>,
    /// Name of the created ServiceAccount; empty falls back to global.serviceAccountName.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Annotations on the ServiceAccount, for example for cloud workload identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<StringMap>,
}

/// Settings of each component the chart deploys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServicesValues {
    /// Mounting the MEK configuration file (ConfigMap mek-config) into the components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_file: Option<ConfigFileValues>,
    /// The pgroll database migration Job run before installs and upgrades.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<MigrationValues>,
    /// PostgreSQL: connection settings, and an optional in-cluster instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<PostgresValues>,
    /// An administrator account created when the service starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_admin: Option<DefaultAdminValues>,
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
    /// The API service Deployment, its Service, Ingress and autoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ApiServiceValues>,
    /// The logger Deployment that receives workflow logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logger: Option<ProxiedServiceValues>,
    /// The agent Deployment that backends connect to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<ProxiedServiceValues>,
}

/// Mounting of the MEK configuration file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConfigFileValues {
    /// Mount mek.yaml from ConfigMap mek-config and read database passwords from db-secret and redis-secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Where the MEK file is mounted in the containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// The pgroll database migration Job (a Helm pre-install/pre-upgrade hook).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MigrationValues {
    /// Run the migration Job and tell the components which schema to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// pgroll schema to migrate to and use, such as public_v6_2_10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_schema: Option<String>,
    /// Full image reference of the Job container (needs bash, psql and curl).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// pgroll release the Job downloads, such as v0.16.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pgroll_version: Option<String>,
    /// ServiceAccount of the Job; empty uses global.serviceAccountName.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Node labels the Job pod must match (the global selector is not added here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Taints the Job pod tolerates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Compute resources of the Job container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Annotations added to the Job and its ConfigMap, for example hooks of other deployment tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_annotations: Option<StringMap>,
    /// Annotations added to the Job's pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
    /// Additional environment variables of the Job container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_env: Option<FreeList>,
    /// Additional volume mounts of the Job container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional volumes of the Job pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// Init containers run before the migration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_containers: Option<FreeList>,
}

/// PostgreSQL connection settings and the optional in-cluster database.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PostgresValues {
    /// Deploy a PostgreSQL instance in the cluster; false when an external database is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Full image reference of the in-cluster PostgreSQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Pull policy of the in-cluster PostgreSQL image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Host name of the database the components connect to (the in-cluster Service name or an external host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Port of the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Name of the OSMO database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db: Option<String>,
    /// Expose the in-cluster PostgreSQL through a NodePort Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_node_port: Option<bool>,
    /// Node port used when enableNodePort is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_port: Option<u16>,
    /// Size of the in-cluster PostgreSQL volume, such as 20Gi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_size: Option<Quantity>,
    /// StorageClass of the in-cluster PostgreSQL volume; empty for the cluster default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// Node labels the in-cluster PostgreSQL pod must match, added to the global selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Taints the in-cluster PostgreSQL pod tolerates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Database user the components log in as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Database password in plain text (not a chart default); when set it is written into the manifests instead of read from a Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Secret holding the database password, read by the migration Job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_secret_name: Option<String>,
    /// Key of the database password in that Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_secret_key: Option<String>,
}

/// The administrator account created at start-up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DefaultAdminValues {
    /// Create the administrator (useful without an identity provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// User name of the administrator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Secret holding the administrator's password (also its access token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_secret_name: Option<String>,
    /// Key of the password in that Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_secret_key: Option<String>,
}

/// Redis connection settings and the optional in-cluster instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RedisValues {
    /// Deploy a Redis instance in the cluster; false when an external Redis is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Full image reference of the in-cluster Redis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Pull policy of the in-cluster Redis image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Host name of the Redis the components connect to (the in-cluster Service name or an external host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Port of Redis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Redis logical database number OSMO uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_number: Option<u32>,
    /// Expose the in-cluster Redis through a NodePort Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_node_port: Option<bool>,
    /// Node port used when enableNodePort is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_port: Option<u16>,
    /// Size of the in-cluster Redis volume, such as 20Gi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_size: Option<Quantity>,
    /// StorageClass of the in-cluster Redis volume; empty for the cluster default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// Node labels the in-cluster Redis pod must match, added to the global selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Taints the in-cluster Redis pod tolerates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Connect to Redis over TLS (rediss://).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_enabled: Option<bool>,
}

/// Defines the Localstack S3 struct: the keys chart 1.2.1 reads, plus extra
/// fields (the 6.3 model adds `nodeSelector`). The description of
/// `imagePullPolicy` is given by each release (the key has no effect in
/// either). Types are named by their full path, so the macro works from any
/// module.
macro_rules! localstack_s3_struct {
    (
        $(#[$meta:meta])*
        $name:ident {
            $(#[$pull_meta:meta])* image_pull_policy,
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
            /// Deploy Localstack S3 in the cluster (never in production).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub enabled: Option<bool>,
            /// Full image reference of Localstack.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image: Option<String>,
            $(#[$pull_meta])*
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image_pull_policy: Option<$crate::values::common::ImagePullPolicy>,
            /// Name of the Localstack Service.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub service_name: Option<String>,
            /// Port Localstack listens on.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub port: Option<u16>,
            /// Expose Localstack through a NodePort Service.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub enable_node_port: Option<bool>,
            /// Node port used when enableNodePort is true.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub node_port: Option<u16>,
            /// AWS region Localstack reports.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub region: Option<String>,
            /// Access key id the bucket set-up Job uses.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub access_key_id: Option<String>,
            /// Secret access key the bucket set-up Job uses.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub access_key: Option<String>,
            /// Names of buckets a Job creates once Localstack is ready.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub buckets: Option<Vec<String>>,
            /// Full image reference of the AWS CLI used by the bucket set-up Job.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub bucket_init_image: Option<String>,
            /// Storage of the Localstack data.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub persistence: Option<$crate::values::service::LocalstackPersistence>,
            /// Compute resources of the Localstack container.
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

pub(crate) use localstack_s3_struct;

localstack_s3_struct! {
    /// The development-only Localstack S3 store.
    LocalstackS3Values {
        /// No effect: the 6.2.10 templates never read it; the Localstack container always uses `IfNotPresent`.
        image_pull_policy,
        /// Node labels the Localstack pod must run on, added to `global.nodeSelector`.
        node_selector: Option<StringMap>,
    }
}

/// Storage of the Localstack data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LocalstackPersistence {
    /// Keep the data on a PersistentVolumeClaim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Size of the claim, such as 5Gi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Quantity>,
    /// StorageClass of the claim (ignored when hostPath is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// Directory on the node to keep the data in, through a hostPath PersistentVolume (not a chart default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<String>,
}

/// Autoscaling of a Deployment by memory and CPU use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ScalingValues {
    /// Fewest replicas the autoscaler keeps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<u32>,
    /// Most replicas the autoscaler starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replicas: Option<u32>,
    /// Average memory use, in percent of the request, the autoscaler aims for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hpa_memory_target: Option<u32>,
    /// Average CPU use, in percent of the request, the autoscaler aims for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hpa_cpu_target: Option<u32>,
}

/// The delayed-job monitor, which runs jobs scheduled for later.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DelayedJobMonitorValues {
    /// Number of monitor pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// OSMO image name of the monitor, joined to global.osmoImageLocation and global.osmoImageTag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// Pull policy of the monitor image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Name of the monitor Deployment and its pods' app label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Init containers of the monitor pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_containers: Option<FreeList>,
    /// Node labels the monitor pods must match, added to the global selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Volumes of the monitor pod; the default holds the progress files its probes check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<FreeList>,
    /// Volume mounts of the monitor container; the default mounts the progress files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mounts: Option<FreeList>,
    /// No effect: the 6.2.10 templates never read it; the monitor's container gets `services.service.resources`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Taints the monitor pods tolerate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Annotations added to the monitor pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
    /// Labels added to the monitor pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_labels: Option<StringMap>,
    /// Additional environment variables of the monitor container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_env: Option<FreeList>,
    /// Additional command-line arguments of the monitor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_args: Option<Vec<String>>,
    /// Additional volume mounts of the monitor container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional volumes of the monitor pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// Additional containers in the monitor pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_sidecars: Option<FreeList>,
    /// ServiceAccount of the monitor pods; empty uses global.serviceAccountName.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
}

/// The worker, which processes background jobs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WorkerValues {
    /// Autoscaling of the worker pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<ScalingValues>,
    /// OSMO image name of the worker, joined to global.osmoImageLocation and global.osmoImageTag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// Pull policy of the worker image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Name of the worker Deployment and its pods' app label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Init containers of the worker pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_containers: Option<FreeList>,
    /// Node labels the worker pods must match, added to the global selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// No effect: the 6.2.10 templates never read it; the worker pods get `services.service.topologySpreadConstraints`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology_spread_constraints: Option<Vec<TopologySpreadConstraint>>,
    /// Compute resources of the worker container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Taints the worker pods tolerate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Annotations added to the worker pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
    /// Labels added to the worker pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_labels: Option<StringMap>,
    /// Additional environment variables of the worker container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_env: Option<FreeList>,
    /// Additional command-line arguments of the worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_args: Option<Vec<String>>,
    /// Additional volume mounts of the worker container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional volumes of the worker pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// Additional containers in the worker pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_sidecars: Option<FreeList>,
    /// ServiceAccount of the worker pods; empty uses global.serviceAccountName.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
}

/// The API service, the entry point of users and clients.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiServiceValues {
    /// Autoscaling of the API service pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<ScalingValues>,
    /// OSMO image name of the API service, joined to global.osmoImageLocation and global.osmoImageTag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// Pull policy of the API service image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Name of the API service Deployment, Service, Ingress and autoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Init containers of the API service pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_containers: Option<FreeList>,
    /// Public host name of OSMO, used by the Ingress rules and TLS and passed to the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Extra /etc/hosts entries of the API service pods (ip and hostnames).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<FreeList>,
    /// Address of the client install script shown in upgrade hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_install_url: Option<String>,
    /// Turn off the collection of task metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_task_metrics: Option<bool>,
    /// Identity-provider endpoints the service hands to CLI and browser logins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<ApiAuthValues>,
    /// The Ingress that publishes the API service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<IngressValues>,
    /// Liveness check of the API service container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// Node labels the API service pods must match, added to the global selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Spread of the API service pods (the 1.2.1 chart applies it to the worker pods too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology_spread_constraints: Option<Vec<TopologySpreadConstraint>>,
    /// Compute resources of the API service container (the delayed-job monitor uses them too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Taints the API service pods tolerate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Annotations added to the API service pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
    /// Labels added to the API service pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_labels: Option<StringMap>,
    /// Additional environment variables of the API service container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_env: Option<FreeList>,
    /// Additional command-line arguments of the API service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_args: Option<Vec<String>>,
    /// Additional volume mounts of the API service container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional volumes of the API service pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// Additional containers in the API service pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_sidecars: Option<FreeList>,
    /// ServiceAccount of the API service pods; empty uses global.serviceAccountName.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Envoy settings for this service only: the same keys as `sidecars.envoy`, merged over
    /// it key by key for this service's Envoy configuration. Only the keys the Envoy
    /// configuration and its volumes read take effect here (routes, paths, JWT providers,
    /// `idp.host`, ports, TLS, limits); the container's image, resources and probes come from
    /// `sidecars.envoy` alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envoy: Option<ServiceEnvoy>,
}

/// Identity-provider endpoints the API service hands to clients for login.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiAuthValues {
    /// Pass the endpoints below to the API service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Device-code endpoint of the identity provider, for CLI logins.
    #[serde(
        default,
        rename = "device_endpoint",
        skip_serializing_if = "Option::is_none"
    )]
    pub device_endpoint: Option<String>,
    /// Client id used for device-code logins.
    #[serde(
        default,
        rename = "device_client_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub device_client_id: Option<String>,
    /// Authorization endpoint of the identity provider, for browser logins.
    #[serde(
        default,
        rename = "browser_endpoint",
        skip_serializing_if = "Option::is_none"
    )]
    pub browser_endpoint: Option<String>,
    /// Client id used for browser logins.
    #[serde(
        default,
        rename = "browser_client_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub browser_client_id: Option<String>,
    /// Token endpoint of the identity provider.
    #[serde(
        default,
        rename = "token_endpoint",
        skip_serializing_if = "Option::is_none"
    )]
    pub token_endpoint: Option<String>,
    /// Logout endpoint of the identity provider.
    #[serde(
        default,
        rename = "logout_endpoint",
        skip_serializing_if = "Option::is_none"
    )]
    pub logout_endpoint: Option<String>,
}

/// The Ingress in front of a service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressValues {
    /// Create the Ingress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Path prefix put before the api and client paths; ends with a slash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// IngressClass that serves the Ingress, such as nginx or alb.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_class: Option<String>,
    /// Annotations for the AWS Load Balancer Controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alb_annotations: Option<AlbAnnotationsValues>,
    /// Terminate TLS at the Ingress for the host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_enabled: Option<bool>,
    /// TLS Secret of the host name, used when sslEnabled is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_secret: Option<String>,
    /// Additional annotations of the Ingress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<StringMap>,
}

/// Annotations for the AWS Load Balancer Controller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlbAnnotationsValues {
    /// Add the ALB annotations (IP targets, group osmo, certificate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// ARN of the ACM certificate the load balancer presents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_cert_arn: Option<String>,
}

/// A service behind the Envoy sidecar: the logger or the agent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProxiedServiceValues {
    /// Autoscaling of the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<ScalingValues>,
    /// OSMO image name, joined to global.osmoImageLocation and global.osmoImageTag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// Pull policy of the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Name of the Deployment, Service and autoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Init containers of the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_containers: Option<FreeList>,
    /// Extra /etc/hosts entries of the pods (ip and hostnames); not a chart default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<FreeList>,
    /// Node labels the pods must match, added to the global selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Spread of the pods over nodes or zones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology_spread_constraints: Option<Vec<TopologySpreadConstraint>>,
    /// Compute resources of the main container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Taints the pods tolerate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Annotations added to the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
    /// Labels added to the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_labels: Option<StringMap>,
    /// Additional environment variables of the main container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_env: Option<FreeList>,
    /// Additional command-line arguments of the main container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_args: Option<Vec<String>>,
    /// Additional volume mounts of the main container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional volumes of the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// Additional containers in the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_sidecars: Option<FreeList>,
    /// ServiceAccount of the pods; empty uses global.serviceAccountName.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Envoy settings for this service only: the same keys as `sidecars.envoy`, merged over
    /// it key by key for this service's Envoy configuration. Only the keys the Envoy
    /// configuration and its volumes read take effect here (routes, paths, JWT providers,
    /// `idp.host`, ports, TLS, limits); the container's image, resources and probes come from
    /// `sidecars.envoy` alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envoy: Option<ServiceEnvoy>,
}

/// The Prometheus Operator PodMonitor of the OSMO pods.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PodMonitorValues {
    /// Create the PodMonitor; needs the monitoring.coreos.com CRDs in the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::deserialize_json;
    use serde_json::json;

    #[test]
    fn explicit_null_survives_and_absence_stays_absent() {
        let with_null: GlobalValues = deserialize_json(json!({"imagePullSecret": null})).unwrap();
        assert_eq!(with_null.image_pull_secret, Some(None));
        assert_eq!(
            serde_json::to_value(&with_null).unwrap(),
            json!({"imagePullSecret": null})
        );
        let absent: GlobalValues = deserialize_json(json!({})).unwrap();
        assert_eq!(absent.image_pull_secret, None);
        assert_eq!(serde_json::to_value(&absent).unwrap(), json!({}));
        let set: GlobalValues = deserialize_json(json!({"imagePullSecret": "nvcr"})).unwrap();
        assert_eq!(set.image_pull_secret, Some(Some("nvcr".to_owned())));
    }

    #[test]
    fn template_only_keys_are_accepted() {
        let v: ServiceValues = deserialize_json(json!({
            "services": {
                "postgres": {"password": "pw"},
                "logger": {"hostAliases": [{"ip": "10.0.0.2", "hostnames": ["a"]}]},
                "localstackS3": {"persistence": {"hostPath": "/data/s3"}}
            }
        }))
        .unwrap();
        let services = v.services.unwrap();
        assert_eq!(services.postgres.unwrap().password.as_deref(), Some("pw"));
        assert_eq!(services.logger.unwrap().host_aliases.unwrap().len(), 1);
        assert_eq!(
            services
                .localstack_s3
                .unwrap()
                .persistence
                .unwrap()
                .host_path
                .as_deref(),
            Some("/data/s3")
        );
    }

    #[test]
    fn misplaced_keys_are_refused_with_their_path() {
        // The seed guide's misindentation: ingress under defaultAdmin.
        let err = deserialize_json::<ServiceValues>(json!({
            "services": {"defaultAdmin": {"enabled": true, "ingress": {"enabled": true}}}
        }))
        .unwrap_err();
        assert_eq!(err.path.to_string(), "services.defaultAdmin.ingress");
        // The worker has no hostAliases in 1.2.1.
        let err = deserialize_json::<ServiceValues>(json!({
            "services": {"worker": {"hostAliases": []}}
        }))
        .unwrap_err();
        assert_eq!(err.path.to_string(), "services.worker.hostAliases");
    }

    #[test]
    fn wrong_types_are_refused() {
        assert!(deserialize_json::<GlobalValues>(json!({"osmoImageTag": 6.1})).is_err());
        assert!(deserialize_json::<PostgresValues>(json!({"port": 70000})).is_err());
        assert!(deserialize_json::<PostgresValues>(json!({"storageSize": "20GB"})).is_err());
        assert!(
            deserialize_json::<TopologySpreadConstraint>(json!({"whenUnsatisfiable": "Maybe"}))
                .is_err()
        );
        assert!(deserialize_json::<ApiAuthValues>(json!({"deviceEndpoint": "x"})).is_err());
    }
}
