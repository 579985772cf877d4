//! Values of the `backend-operator` chart (chart 1.2.1, OSMO 6.2.10).
//!
//! The chart deploys the backend listener and backend worker that connect a
//! compute cluster to OSMO, their RBAC, an optional Squid egress proxy,
//! scheduling priority classes, a PodMonitor and the CronJob template of the
//! backend test runner. Every key of the chart defaults is modelled, plus the
//! keys the templates read without a default (`nameOverride`,
//! `fullnameOverride`, `backendTestRunner.hostAliases`,
//! `backendTestRunner.serviceAccount`).
//!
//! ```
//! use osmo_values::values::BackendOperatorValues;
//! let values: BackendOperatorValues = serde_json::from_value(serde_json::json!({
//!     "global": {"osmoImageTag": "6.2.10", "backendName": "gpu-cluster"},
//!     "services": {"backendListener": {"extraArgs": ["--workers", 4]}}
//! }))
//! .unwrap();
//! assert_eq!(values.global.unwrap().backend_name.as_deref(), Some("gpu-cluster"));
//! ```

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::common::{
    FreeList, FreeObject, ImagePullPolicy, ImageTag, PodSecurityContext, Removed, Resources,
    ScalarMap, SecurityContext, StringMap, Toleration,
};

/// Permission bits of mounted files, from 0 to 0777 (511).
///
/// Helm reads an unquoted `0644` as the octal number 420; a quoted `"0644"`
/// is rendered unquoted into the test-runner template and read as octal
/// later, so both forms work and both are accepted.
///
/// ```
/// use osmo_values::values::backend_operator::FileMode;
/// assert!(serde_json::from_str::<FileMode>("420").is_ok());
/// assert!(serde_json::from_str::<FileMode>("\"0644\"").is_ok());
/// assert!(serde_json::from_str::<FileMode>("\"0888\"").is_err());
/// assert!(serde_json::from_str::<FileMode>("1000").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FileMode {
    /// The mode as a number (decimal, or octal as Helm parsed it).
    Number(u32),
    /// The mode as text: octal with a leading zero, or decimal.
    Text(String),
}

/// Largest file mode Kubernetes accepts (0777).
pub const MAX_FILE_MODE: u32 = 0o777;

/// Text forms of a file mode: octal with a leading zero, or decimal.
pub const FILE_MODE_PATTERN: &str = "^(0[0-7]{0,3}|[1-9][0-9]{0,2})$";

impl FileMode {
    /// The mode's numeric value, reading text with a leading zero as octal.
    pub fn value(&self) -> Option<u32> {
        match self {
            FileMode::Number(n) => Some(*n),
            FileMode::Text(s) if s.len() > 1 && s.starts_with('0') => {
                u32::from_str_radix(&s[1..], 8).ok()
            }
            FileMode::Text(s) => s.parse().ok(),
        }
    }
}

fn is_file_mode_text(s: &str) -> bool {
    let bytes = s.as_bytes();
    match bytes {
        [b'0', rest @ ..] => rest.len() <= 3 && rest.iter().all(|b| (b'0'..=b'7').contains(b)),
        [b'1'..=b'9', rest @ ..] => rest.len() <= 2 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

impl<'de> Deserialize<'de> for FileMode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u32),
            Text(String),
        }
        let mode = match Raw::deserialize(deserializer)
            .map_err(|_| serde::de::Error::custom("expected a file mode such as 0644 or 420"))?
        {
            Raw::Number(n) => FileMode::Number(n),
            Raw::Text(s) if is_file_mode_text(&s) => FileMode::Text(s),
            Raw::Text(s) => {
                return Err(serde::de::Error::custom(format!(
                    "`{s}` is not a file mode (examples: 0644, 0755, 420)"
                )));
            }
        };
        match mode.value() {
            Some(v) if v <= MAX_FILE_MODE => Ok(mode),
            _ => Err(serde::de::Error::custom(
                "a file mode must be between 0 and 0777 (511)",
            )),
        }
    }
}

impl JsonSchema for FileMode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FileMode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Permission bits of mounted files: a number up to 511, or text such as 0644 (octal) or 420.",
            "anyOf": [
                { "type": "integer", "minimum": 0, "maximum": MAX_FILE_MODE },
                { "type": "string", "pattern": FILE_MODE_PATTERN }
            ]
        })
    }
}

/// Values of the `backend-operator` chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BackendOperatorValues {
    /// Overrides the chart name used in resource names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_override: Option<String>,
    /// No effect: only a helper that no template calls reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fullname_override: Option<String>,
    /// Settings shared by every component of the operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<BackendOperatorGlobal>,
    /// Prometheus Operator PodMonitor that scrapes the listener and worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_monitor: Option<PodMonitor>,
    /// The two operator deployments: backend listener and backend worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<OperatorServices>,
    /// The CronJob template the worker uses to run backend validation tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_test_runner: Option<BackendTestRunner>,
    /// Additional ConfigMaps to create in the agent namespace, keyed by name suffix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_config_maps: Option<BTreeMap<String, ExtraConfigMap>>,
    /// No effect: removed in chart 1.2.1, the backend operator runs no sidecars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecars: Option<Removed>,
}

// Inlined in the schema, so that a validator reports a bad value at its own
// path (`/global/osmoImageTag`) rather than at a nullable `$ref` wrapper.
/// Defines the backend operator's `global` struct. Chart 1.2.1 has the egress
/// settings (`network`) after `nodeSelector`; 1.3.1 has none there and adds
/// its own keys at the end. `logs` differs by release too. Types are named by
/// their full path, so the macro works from any module.
macro_rules! backend_operator_global_struct {
    (
        $(#[$meta:meta])*
        $name:ident {
            egress { $($(#[$emeta:meta])* $efield:ident : $ety:ty,)* }
            logs: $logs:ty,
            extra { $($(#[$fmeta:meta])* $field:ident : $ty:ty,)* }
        }
    ) => {
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
        $(#[$meta])*
        pub struct $name {
            /// Prefix of resource names; the Helm release name when unset.
            #[serde(
                default,
                deserialize_with = "crate::values::common::explicit_null",
                skip_serializing_if = "Option::is_none"
            )]
            pub name: Option<Option<String>>,
            /// Registry path that holds the OSMO images, without a trailing slash.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub osmo_image_location: Option<String>,
            /// Tag of the OSMO listener, worker and test-runner images.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub osmo_image_tag: Option<$crate::values::common::ImageTag>,
            /// Name of the docker-registry secret used to pull images, if any.
            #[serde(
                default,
                deserialize_with = "crate::values::common::explicit_null",
                skip_serializing_if = "Option::is_none"
            )]
            pub image_pull_secret: Option<Option<String>>,
            /// Node labels every operator pod must match.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub node_selector: Option<$crate::values::common::StringMap>,
            $(
                $(#[$emeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $efield: $ety,
            )*
            /// Address of the OSMO service the listener connects to.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub service_url: Option<String>,
            /// OSMO user name the listener logs in as with the password method.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub account_username: Option<String>,
            /// Secret holding that user's password.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub account_password_secret: Option<String>,
            /// Key of the password inside its secret.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub account_password_secret_key: Option<String>,
            /// Secret holding the access token used with the token method.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub account_token_secret: Option<String>,
            /// Key of the token inside its secret.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub account_token_secret_key: Option<String>,
            /// How the operator authenticates to the OSMO service.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub login_method: Option<$crate::values::backend_operator::LoginMethod>,
            /// Namespace the listener and worker run in.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub agent_namespace: Option<String>,
            /// Name under which this cluster is registered in OSMO.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub backend_name: Option<String>,
            /// Namespace where workflow pods are created.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub backend_namespace: Option<String>,
            /// Namespace for backend validation test jobs; no test RBAC when unset.
            #[serde(
                default,
                deserialize_with = "crate::values::common::explicit_null",
                skip_serializing_if = "Option::is_none"
            )]
            pub backend_test_namespace: Option<Option<String>>,
            /// Prefix put before the node condition and test label names; may be empty.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub node_condition_prefix: Option<String>,
            /// Log levels of the operator processes.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub logs: Option<$logs>,
            /// Comma-separated namespaces whose resource usage is also reported.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub include_namespace_usage: Option<String>,
            /// Create the cluster-scoped RBAC objects and service accounts.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub enable_cluster_roles: Option<bool>,
            /// Deploy the listener and worker (and the namespaced pieces they need).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub enable_non_cluster_roles: Option<bool>,
            /// Tolerations of the operator pods (and of test pods that set none).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub tolerations: Option<Vec<$crate::values::common::Toleration>>,
            /// PriorityClasses created for workflow scheduling (used with KAI scheduler).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub priority_classes: Option<$crate::values::backend_operator::PriorityClasses>,
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: $ty,
            )*
        }
    };
}

pub(crate) use backend_operator_global_struct;

backend_operator_global_struct! {
    /// Settings shared by every component of the backend operator.
    #[schemars(inline)]
    BackendOperatorGlobal {
        egress {
            /// Egress restrictions for workflow pods and the optional egress proxy.
            network: Option<NetworkSettings>,
        }
        logs: OperatorLogs,
        extra {}
    }
}

/// How the operator authenticates to the OSMO service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LoginMethod {
    /// User name plus a password read from `accountPasswordSecret`.
    Password,
    /// An access token read from `accountTokenSecret`.
    Token,
}

/// Log levels of the operator processes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OperatorLogs {
    /// Level of the operator's own logs (DEBUG, INFO, WARNING, ERROR, CRITICAL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Level of the Kubernetes client library logs (DEBUG to CRITICAL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k8s_log_level: Option<String>,
}

/// Egress restrictions for workflow pods and the optional egress proxy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkSettings {
    /// Add a NetworkPolicy limiting egress from the backend namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrict_egress: Option<bool>,
    /// A Squid proxy deployment that workflow traffic may leave through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowlist_egress: Option<AllowlistEgress>,
}

/// The Squid egress proxy deployment and its allowlist.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AllowlistEgress {
    /// Deploy the proxy, its Service and its configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Number of proxy pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_replicas: Option<u32>,
    /// Node labels the proxy pods must match (values are quoted by the chart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<ScalarMap>,
    /// Namespace the proxy is deployed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_namespace: Option<String>,
    /// Destination domains allowed besides `.nvidia.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_allowed_domains: Option<Vec<String>>,
    /// Source address ranges (CIDR) allowed besides `10.0.0.0/8`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_allowed_source_ips: Option<Vec<String>>,
    /// Requests and limits of the proxy container (the chart reads requests.cpu, requests.memory and limits.memory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Extra containers in the proxy pod; only the fields below are rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecar_containers: Option<Vec<ProxySidecarContainer>>,
    /// Extra volumes of the proxy pod, from a ConfigMap or a Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_volumes: Option<Vec<ProxyVolume>>,
    /// Static host name entries added to the proxy pods' /etc/hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<Vec<HostAlias>>,
}

/// A container added to the proxy pod; the chart copies only these fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProxySidecarContainer {
    /// Container name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Container image reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Entrypoint and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Ports the container exposes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<ProxyContainerPort>>,
    /// Volumes mounted into the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mounts: Option<Vec<ProxyVolumeMount>>,
}

/// A named port of a proxy sidecar container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProxyContainerPort {
    /// Port number the container listens on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<u16>,
    /// Port name, referenced by Services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A volume mount of a proxy sidecar container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProxyVolumeMount {
    /// Name of the pod volume to mount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Directory in the container where it appears.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
}

/// An extra volume of the proxy pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProxyVolume {
    /// Volume name, used by the sidecars' volume mounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fill the volume from a ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<ProxyConfigMapSource>,
    /// Fill the volume from a Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<ProxySecretSource>,
}

/// The ConfigMap a proxy volume is filled from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProxyConfigMapSource {
    /// ConfigMap name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The Secret a proxy volume is filled from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProxySecretSource {
    /// Secret name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_name: Option<String>,
}

/// A static /etc/hosts entry of a pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HostAlias {
    /// IP address the names resolve to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// Host names that resolve to that address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostnames: Option<Vec<String>>,
}

/// PriorityClasses the chart creates for workflow pods.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PriorityClasses {
    /// Create the listed PriorityClasses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The PriorityClasses to create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<PriorityClassSpec>>,
}

/// One PriorityClass the chart creates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PriorityClassSpec {
    /// Cluster-wide name of the PriorityClass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Priority value; higher values are scheduled first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// Human-readable explanation of when to use the class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The PodMonitor that lets Prometheus scrape the operator's metrics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PodMonitor {
    /// Create the PodMonitor; needs the Prometheus Operator CRDs installed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// The two deployments of the operator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OperatorServices {
    /// The listener that streams cluster state to OSMO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_listener: Option<BackendListener>,
    /// The worker that carries out jobs OSMO sends to the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_worker: Option<BackendWorker>,
}

/// Defines the BackendListener struct: the keys chart 1.2.1 reads, plus extra fields
/// (the 6.3 model adds `startupProbe`). Types are named by their full path,
/// so the macro works from any module.
macro_rules! backend_listener_struct {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty,)* }
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
            /// Let the listener patch node labels (also grants it that RBAC right).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub enable_node_label_update: Option<bool>,
            /// Image name under `global.osmoImageLocation`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image_name: Option<String>,
            /// When the listener image is pulled.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image_pull_policy: Option<$crate::values::common::ImagePullPolicy>,
            /// Name of the deployment and its `app` label, after the global name.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub service_name: Option<String>,
            /// Init containers of the listener pod, copied verbatim.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub init_containers: Option<$crate::values::common::FreeList>,
            /// Suffix of the listener's service account name.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub service_account: Option<String>,
            /// Most websocket messages that may await acknowledgement at once.
            #[serde(
                default,
                rename = "max_unacked_messages",
                skip_serializing_if = "Option::is_none"
            )]
            pub max_unacked_messages: Option<u32>,
            /// Seconds a cached pod event is kept.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub pod_cache_ttl: Option<u32>,
            /// Extra command-line arguments, each quoted by the chart.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_args: Option<Vec<$crate::values::common::Scalar>>,
            /// Extra environment variables of the listener container, copied verbatim.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_envs: Option<$crate::values::common::FreeList>,
            /// Extra annotations of the listener pod.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_pod_annotations: Option<$crate::values::common::StringMap>,
            /// Extra labels of the listener pod.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_pod_labels: Option<$crate::values::common::StringMap>,
            /// Extra containers of the listener pod, copied verbatim.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_sidecar_containers: Option<$crate::values::common::FreeList>,
            /// Node labels the listener pod must match, added to the global ones (values are quoted).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub node_selector: Option<$crate::values::common::ScalarMap>,
            /// Static /etc/hosts entries of the listener pod, copied verbatim.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub host_aliases: Option<$crate::values::common::FreeList>,
            /// Volumes of the listener pod; the default holds the liveness progress files.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub volumes: Option<$crate::values::common::FreeList>,
            /// Volume mounts of the listener container, copied verbatim.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub volume_mounts: Option<$crate::values::common::FreeList>,
            /// Requests and limits of the listener container.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub resources: Option<$crate::values::common::Resources>,
            /// Steady rate of Kubernetes API calls per second.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub api_qps: Option<u32>,
            /// Short burst of Kubernetes API calls allowed above the steady rate.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub api_burst: Option<u32>,
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: $ty,
            )*
        }
    };
}

pub(crate) use backend_listener_struct;

backend_listener_struct! {
    /// The backend listener deployment.
    BackendListener {}
}

/// Defines the BackendWorker struct: the keys chart 1.2.1 reads, plus extra fields
/// (the 6.3 model adds `startupProbe`). Types are named by their full path,
/// so the macro works from any module.
macro_rules! backend_worker_struct {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty,)* }
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
            /// Image name under `global.osmoImageLocation`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image_name: Option<String>,
            /// When the worker image is pulled.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image_pull_policy: Option<$crate::values::common::ImagePullPolicy>,
            /// Name of the deployment and its `app` label, after the global name.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub service_name: Option<String>,
            /// Init containers of the worker pod, copied verbatim.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub init_containers: Option<$crate::values::common::FreeList>,
            /// Suffix of the worker's service account name.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub service_account: Option<String>,
            /// How often the worker records progress while busy, as a duration such as `15s`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub progress_iter_frequency: Option<String>,
            /// Extra command-line arguments, each quoted by the chart.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_args: Option<Vec<$crate::values::common::Scalar>>,
            /// Extra environment variables of the worker container, copied verbatim.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_envs: Option<$crate::values::common::FreeList>,
            /// Extra annotations of the worker pod.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_pod_annotations: Option<$crate::values::common::StringMap>,
            /// Extra labels of the worker pod.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_pod_labels: Option<$crate::values::common::StringMap>,
            /// Additional permissions of the worker in the backend namespace, for resources group templates create.
            #[serde(
                default,
                rename = "extraRBACRules",
                skip_serializing_if = "Option::is_none"
            )]
            pub extra_rbac_rules: Option<Vec<$crate::values::backend_operator::PolicyRule>>,
            /// Extra containers of the worker pod, copied verbatim.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra_sidecar_containers: Option<$crate::values::common::FreeList>,
            /// Node labels the worker pod must match, added to the global ones (values are quoted).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub node_selector: Option<$crate::values::common::ScalarMap>,
            /// Static /etc/hosts entries of the worker pod, copied verbatim.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub host_aliases: Option<$crate::values::common::FreeList>,
            /// Volumes of the worker pod; the default holds the liveness progress files.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub volumes: Option<$crate::values::common::FreeList>,
            /// Volume mounts of the worker container, copied verbatim.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub volume_mounts: Option<$crate::values::common::FreeList>,
            /// Requests and limits of the worker container.
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

pub(crate) use backend_worker_struct;

backend_worker_struct! {
    /// The backend worker deployment.
    BackendWorker {}
}

/// One Kubernetes RBAC rule: which verbs are allowed on which resources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PolicyRule {
    /// API groups of the resources; `""` is the core group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_groups: Option<Vec<String>>,
    /// Resource types, such as `configmaps` or `pods/log`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
    /// Allowed actions, such as `get`, `list`, `create` or `*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verbs: Option<Vec<String>>,
    /// Restricts the rule to these object names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_names: Option<Vec<String>>,
    /// URL paths outside the resource API, such as `/healthz` (ClusterRoles only).
    #[serde(
        default,
        rename = "nonResourceURLs",
        skip_serializing_if = "Option::is_none"
    )]
    pub non_resource_urls: Option<Vec<String>>,
}

/// The backend test runner: a CronJob template the worker fills in per test.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BackendTestRunner {
    /// Render the CronJob template and mount it into the worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Suffix of the test-runner service account name (`test-runner` when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// Schedule and history settings of the CronJob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron_job: Option<TestRunnerCronJob>,
    /// Settings of each Job the CronJob starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_template: Option<TestRunnerJobTemplate>,
    /// Settings of the test pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_template: Option<TestRunnerPodTemplate>,
    /// The per-test ConfigMap mounted into the test pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<TestRunnerConfigMap>,
    /// Environment of the test-runner container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<TestRunnerEnv>,
    /// Name and mount path of the test configuration volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<TestRunnerVolumes>,
    /// Labels of the template ConfigMap and the CronJobs (values are quoted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<ScalarMap>,
    /// The two annotations the chart puts on each CronJob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<TestRunnerAnnotations>,
    /// Additional RBAC objects (Roles, RoleBindings) created verbatim for the tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_roles: Option<FreeList>,
    /// Static /etc/hosts entries of the test pods, copied verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<FreeList>,
}

/// Schedule and history settings of the test CronJob.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRunnerCronJob {
    /// Default cron expression, used when a test sets no schedule of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// Default time zone of the schedule, such as `UTC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Seconds after a missed start during which the run may still begin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_deadline_seconds: Option<u32>,
    /// What to do when a run is due while the previous one is still going.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency_policy: Option<ConcurrencyPolicy>,
    /// Pause scheduling of new runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    /// Number of finished successful Jobs to keep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_jobs_history_limit: Option<u32>,
    /// Number of failed Jobs to keep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_jobs_history_limit: Option<u32>,
}

/// How a CronJob treats overlapping runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ConcurrencyPolicy {
    /// Runs may overlap.
    Allow,
    /// Skip a run while the previous one is active.
    Forbid,
    /// Stop the active run and start the new one.
    Replace,
}

/// Settings of each Job the test CronJob starts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRunnerJobTemplate {
    /// Pods of the Job that may run at the same time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<u32>,
    /// Successful pods needed for the Job to complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completions: Option<u32>,
    /// Retries before the Job is marked failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_limit: Option<u32>,
    /// Seconds the Job (and its pod) may run before it is stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<u32>,
    /// Seconds a finished Job is kept before deletion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds_after_finished: Option<u32>,
    /// Whether pods get a completion index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_mode: Option<CompletionMode>,
    /// Create the Job suspended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
}

/// How a Job counts its completions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum CompletionMode {
    /// Any successful pods count alike.
    NonIndexed,
    /// Each pod gets an index and every index must succeed once.
    Indexed,
}

/// Settings of the test pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRunnerPodTemplate {
    /// Image of the test-runner container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<TestRunnerImage>,
    /// The init container that checks the test configuration is present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_container: Option<TestRunnerInitContainer>,
    /// Arguments and resources of the test-runner container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<TestRunnerContainer>,
    /// Pod security settings (the chart reads runAsNonRoot, runAsUser, runAsGroup, fsGroup, seccompProfile.type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<PodSecurityContext>,
    /// Container security settings (the chart reads allowPrivilegeEscalation, capabilities, readOnlyRootFilesystem).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_security_context: Option<SecurityContext>,
    /// No effect: the chart never reads it; the test pods use `backendTestRunner.serviceAccount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// Mount the service account token into the test pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    /// Restart policy of the test pod; Jobs allow only Never or OnFailure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<JobRestartPolicy>,
    /// Seconds the pod gets to stop after being asked to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<u32>,
    /// No effect: the chart never reads the test pod's DNS policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<String>,
    /// No effect: the chart never reads the test pod's DNS settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<FreeObject>,
    /// No effect: the chart never reads the test pod's host name pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname_template: Option<String>,
    /// No effect: the chart never reads the test pod's subdomain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdomain: Option<String>,
    /// Labels of the test pod (values are quoted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<ScalarMap>,
    /// Annotations of the test pod (values are quoted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<ScalarMap>,
    /// Node labels the test pod must match; the global ones when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Tolerations of the test pod; the global ones when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// No effect: the chart never reads it; the test pods take `backendTestRunner.hostAliases`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<FreeList>,
    /// Affinity rules of the test pod, copied verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<FreeObject>,
}

/// Image of the test-runner container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRunnerImage {
    /// Full image repository; `global.osmoImageLocation` when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Image tag; `global.osmoImageTag` when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<ImageTag>,
    /// When the test-runner image is pulled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_policy: Option<ImagePullPolicy>,
}

/// The init container that checks the test configuration file exists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRunnerInitContainer {
    /// Full image reference with a shell, such as `ubuntu:22.04`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// When the init image is pulled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Requests and limits of the init container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
}

/// Arguments and resources of the test-runner container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRunnerContainer {
    /// Arguments of the test-runner command, as strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<String>>,
    /// Requests and limits of the test-runner container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
}

/// Restart policies a Job's pod may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum JobRestartPolicy {
    /// A failed pod is replaced by a new one.
    Never,
    /// A failed container is restarted in the same pod.
    OnFailure,
}

/// The per-test ConfigMap mounted into the test pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRunnerConfigMap {
    /// ConfigMap name pattern; `{{.TestName}}` becomes the test name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_template: Option<String>,
    /// Permission bits of the mounted files, such as `0644` (octal) or `420`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<FileMode>,
    /// Start the pod even when the ConfigMap is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Environment of the test-runner container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRunnerEnv {
    /// Extra environment variables by name (values are quoted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional: Option<ScalarMap>,
}

/// Name and mount path of the test configuration volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRunnerVolumes {
    /// Name of the volume holding the test configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_config_name: Option<String>,
    /// Directory where the test configuration is mounted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_config_mount_path: Option<String>,
}

/// The two annotations the chart puts on each test CronJob.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRunnerAnnotations {
    /// Description text; `{{.BackendName}}` and `{{.TestName}}` are filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Value of the `scheduler` annotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<String>,
}

/// An additional ConfigMap the chart creates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExtraConfigMap {
    /// File names and their text contents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<StringMap>,
    /// Labels added to the chart's standard labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<StringMap>,
    /// Annotations of the ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<StringMap>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<BackendOperatorValues, String> {
        crate::chart::deserialize_json(value).map_err(|e| e.to_string())
    }

    #[test]
    fn template_only_keys_are_accepted() {
        let values = parse(json!({
            "nameOverride": "op",
            "backendTestRunner": {
                "serviceAccount": "tests",
                "hostAliases": [{"ip": "10.0.0.1", "hostnames": ["a.local"]}]
            }
        }))
        .unwrap();
        let runner = values.backend_test_runner.unwrap();
        assert_eq!(runner.service_account.as_deref(), Some("tests"));
        assert_eq!(runner.host_aliases.unwrap().len(), 1);
    }

    #[test]
    fn explicit_nulls_survive_a_round_trip() {
        let input = json!({"global": {"name": null, "backendTestNamespace": "tests"}});
        let values = parse(input.clone()).unwrap();
        let global = values.global.as_ref().unwrap();
        assert_eq!(global.name, Some(None));
        assert_eq!(global.image_pull_secret, None);
        assert_eq!(serde_json::to_value(&values).unwrap(), input);
    }

    #[test]
    fn quoted_scalars_accept_numbers_and_booleans() {
        let input = json!({
            "services": {"backendWorker": {"extraArgs": ["--workers", 4, true]}},
            "backendTestRunner": {"env": {"additional": {"PORT": 8080}}}
        });
        let values = parse(input.clone()).unwrap();
        assert_eq!(serde_json::to_value(&values).unwrap(), input);
        let err = parse(json!({"services": {"backendWorker": {"extraArgs": [{"a": 1}]}}}));
        assert!(err.is_err());
    }

    #[test]
    fn removed_sidecars_block_is_accepted() {
        let values = parse(json!({"sidecars": {"logAgent": {"enabled": true}}})).unwrap();
        assert!(values.sidecars.is_some());
    }

    #[test]
    fn keys_the_chart_would_drop_are_refused() {
        let err = parse(json!({"global": {"network": {"allowlistEgress": {
            "sidecarContainers": [{"name": "x", "env": []}]
        }}}}))
        .unwrap_err();
        assert!(err.contains("env"), "{err}");
        let err = parse(json!({"services": {"backendWorker": {"extraRBACRules": [
            {"apiGroups": [""], "resources": ["pods"], "verb": ["get"]}
        ]}}}))
        .unwrap_err();
        assert!(err.contains("verb"), "{err}");
        assert!(parse(json!({"global": {"loginMethod": "oauth"}})).is_err());
        assert!(parse(json!({"podMonitor": {"enable": true}})).is_err());
    }

    #[test]
    fn rbac_rules_use_kubernetes_key_names() {
        let input = json!({"services": {"backendWorker": {"extraRBACRules": [
            {"nonResourceURLs": ["/healthz"], "verbs": ["get"], "resourceNames": ["x"]}
        ]}}});
        let values = parse(input.clone()).unwrap();
        assert_eq!(serde_json::to_value(&values).unwrap(), input);
    }
}
