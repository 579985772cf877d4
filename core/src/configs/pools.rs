//! `pools`: where users submit workflows, each on one backend, with its
//! platforms (node types), templates and limits.
//!
//! The service builds a pool's model only when the pool is used, so a bad
//! value shows up as failing API calls rather than a crash; unknown keys
//! are ignored (FACTS-6.3 §5.3).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::lax::{LaxBool, LaxInt};
use super::workflow::{DownloadType, advised_string};

advised_string!(
    /// A pool's timeout: empty to use the `workflow` section's, or a
    /// duration such as `7d`.
    PoolDuration, "duration-or-empty"
);

/// A pool's state (the service computes it; a value set here is replaced).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum PoolStatus {
    /// Accepting workflows.
    Online,
    /// Its backend does not answer.
    Offline,
    /// Under maintenance.
    Maintenance,
}

/// One pool (unknown keys are ignored by the service).
///
/// ```
/// use osmo_values::configs::Pool;
/// let p: Pool = serde_json::from_value(serde_json::json!({
///     "backend": "default", "platforms": {"a100": {}}})).unwrap();
/// assert_eq!(p.backend, "default");
/// assert!(serde_json::from_value::<Pool>(serde_json::json!({"description": "x"})).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Pool {
    /// The pool's name (the service uses the key instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the pool is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Computed by the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub status: Option<PoolStatus>,
    /// How data reaches the containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub download_type: Option<DownloadType>,
    /// Put the pool under maintenance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_maintenance: Option<LaxBool>,
    /// The backend the pool runs on: a key of `backends`. Required.
    pub backend: String,
    /// The platform used when a workflow names none: a key of `platforms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub default_platform: Option<String>,
    /// Run time of a workflow that sets none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_exec_timeout: Option<PoolDuration>,
    /// Queue time of a workflow that sets none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_queue_timeout: Option<PoolDuration>,
    /// Longest run time a workflow may ask for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_exec_timeout: Option<PoolDuration>,
    /// Longest queue time a workflow may ask for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_queue_timeout: Option<PoolDuration>,
    /// What to do when a task exits with a code, by code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_exit_actions: Option<BTreeMap<String, String>>,
    /// Quotas for schedulers that support them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<PoolResources>,
    /// Node labels tasks may ask to be placed together by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology_keys: Option<Vec<TopologyKey>>,
    /// Default values of template variables (`USER_CPU`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_default_variables: Option<serde_json::Map<String, serde_json::Value>>,
    /// Resource validations applied to every task: keys of `resourceValidations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_resource_validations: Option<Vec<String>>,
    /// Pod templates merged into every task, in order: keys of `podTemplates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_pod_template: Option<Vec<String>>,
    /// Group templates created with every workflow: keys of `groupTemplates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_group_templates: Option<Vec<String>>,
    /// Platforms (node types) by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<BTreeMap<String, Platform>>,
}

/// One platform of a pool (unknown keys are ignored by the service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Platform {
    /// What the platform is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether tasks may use the host network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_network_allowed: Option<LaxBool>,
    /// Whether tasks may run privileged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileged_allowed: Option<LaxBool>,
    /// Host paths tasks may mount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_mounts: Option<Vec<String>>,
    /// Template variables of this platform, over the pool's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_variables: Option<serde_json::Map<String, serde_json::Value>>,
    /// Extra resource validations: keys of `resourceValidations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_validations: Option<Vec<String>>,
    /// Pod templates merged over the pool's: keys of `podTemplates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_pod_template: Option<Vec<String>>,
}

/// Platform keys the service derives from the merged pod template; a value
/// written here is replaced.
pub const DERIVED_PLATFORM_KEYS: [&str; 3] = ["tolerations", "labels", "default_mounts"];

/// `resources` (unknown keys are ignored by the service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PoolResources {
    /// GPU quota.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub gpu: Option<ResourceQuota>,
}

/// A quota; -1 means no limit (unknown keys are ignored by the service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ResourceQuota {
    /// Guaranteed amount (-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guarantee: Option<LaxInt>,
    /// Largest amount (-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<LaxInt>,
    /// Share weight (1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<LaxInt>,
}

/// A topology key (unknown keys are ignored by the service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TopologyKey {
    /// The name users give (`rack`, `zone`).
    pub key: String,
    /// The node label (`topology.kubernetes.io/zone`).
    pub label: String,
}
