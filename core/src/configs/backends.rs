//! `backends`: the Kubernetes clusters workflows run on, by name.
//!
//! The service reads only the keys modelled here, when a backend is used;
//! the cluster's id, namespace, version and heartbeat come from the
//! database, where the backend operator writes them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::lax::LaxInt;

/// One backend (unknown keys are ignored by the service).
///
/// ```
/// use osmo_values::configs::Backend;
/// let b: Backend = serde_json::from_value(serde_json::json!({
///     "router_address": "wss://osmo.example.com",
///     "scheduler_settings": {"scheduler_type": "kai"}})).unwrap();
/// assert_eq!(b.router_address.as_deref(), Some("wss://osmo.example.com"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Backend {
    /// What the backend is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Link to the cluster's dashboard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dashboard_url: Option<String>,
    /// Link to the cluster's Grafana.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grafana_url: Option<String>,
    /// Backend tests to run, by name (keys of `backendTests`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests: Option<Vec<String>>,
    /// WebSocket URL of OSMO's router, `wss://<hostname>`, used by
    /// `osmo workflow exec`, port-forward and rsync. In ConfigMap mode
    /// nothing fills it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router_address: Option<String>,
    /// How pods are scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler_settings: Option<SchedulerSettings>,
    /// Node conditions that make a node unusable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_conditions: Option<NodeConditions>,
}

/// The scheduler of a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SchedulerType {
    /// The KAI scheduler.
    Kai,
}

/// `scheduler_settings` (unknown keys are ignored by the service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SchedulerSettings {
    /// The scheduler (`kai`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler_type: Option<SchedulerType>,
    /// Scheduler name on the pods (`kai-scheduler`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler_name: Option<String>,
    /// Seconds to wait for scheduling (30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler_timeout: Option<LaxInt>,
}

/// `node_conditions` (unknown keys are ignored by the service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NodeConditions {
    /// Condition type to the status that marks a node unusable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub rules: Option<std::collections::BTreeMap<String, String>>,
    /// Prefix of OSMO's own node conditions (`osmo.nvidia.com/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

/// Keys the service reads from its database, not from the ConfigMap: set
/// here, they are ignored.
pub const DATABASE_KEYS: [&str; 7] = [
    "name",
    "k8s_uid",
    "k8s_namespace",
    "version",
    "last_heartbeat",
    "created_date",
    "online",
];
