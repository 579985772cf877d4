//! Values of the `backend-operator` chart 1.3.1 (OSMO 6.3.1).
//!
//! Same shape as chart 1.2.1 except: `global.network` (the egress
//! restriction and Squid proxy) is gone, replaced by `global.networkPolicy`;
//! `global.logs.logFormat` and the listener's and worker's `startupProbe`
//! timings are new; the 1.2.0 `sidecars` block is no longer accepted. The
//! test runner, priority classes, PodMonitor and extra ConfigMaps are the
//! 1.2.1 blocks unchanged. Template-only keys: `nameOverride`,
//! `fullnameOverride`, `backendTestRunner.hostAliases`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::LogFormat;
use crate::values::backend_operator::{
    BackendTestRunner, ExtraConfigMap, PodMonitor, backend_listener_struct,
    backend_operator_global_struct, backend_worker_struct,
};
use crate::values::common::FreeObject;

/// Values of the `backend-operator` chart 1.3.1.
///
/// ```
/// use osmo_values::values::v6_3::BackendOperatorValues;
/// let values: BackendOperatorValues = serde_json::from_value(serde_json::json!({
///     "global": {"serviceUrl": "https://osmo.example.com", "loginMethod": "token",
///                "networkPolicy": {"enabled": true, "clusterCIDRs": ["10.0.0.0/8"]}},
///     "services": {"backendWorker": {"startupProbe": {"failureThreshold": 60}}}
/// })).unwrap();
/// assert!(values.global.unwrap().network_policy.unwrap().enabled.unwrap());
/// // The 1.2.1 egress settings are gone.
/// let old = serde_json::json!({"global": {"network": {"restrictEgress": true}}});
/// assert!(serde_json::from_value::<BackendOperatorValues>(old).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BackendOperatorValues {
    /// Replaces the chart name in the `app.kubernetes.io/name` label of the extra ConfigMaps (not a chart default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_override: Option<String>,
    /// Has no effect in chart 1.3.1: only a helper no template calls reads it (not a chart default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fullname_override: Option<String>,
    /// Settings shared by every component of the operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<BackendOperatorGlobal>,
    /// Prometheus Operator PodMonitor that scrapes the listener and worker (off by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_monitor: Option<PodMonitor>,
    /// The two operator deployments: backend listener and backend worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<OperatorServices>,
    /// The CronJob template the worker uses to run backend validation tests (unchanged since chart 1.2.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_test_runner: Option<BackendTestRunner>,
    /// Additional ConfigMaps to create in the agent namespace, keyed by name suffix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_config_maps: Option<BTreeMap<String, ExtraConfigMap>>,
}

backend_operator_global_struct! {
    /// Settings shared by every component of the backend operator.
    #[schemars(inline)]
    BackendOperatorGlobal {
        egress {}
        logs: OperatorLogs,
        extra {
            /// A NetworkPolicy on the workflow pods (backendNamespace): internet egress allowed except the clusterCIDRs, plus their own namespace, DNS and allowedNamespaces.
            network_policy: Option<WorkflowNetworkPolicy>,
        }
    }
}

/// Logging of the operator processes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OperatorLogs {
    /// Level of the operator's own logs (DEBUG, INFO, WARNING, ERROR, CRITICAL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Level of the Kubernetes client library logs (DEBUG to CRITICAL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k8s_log_level: Option<String>,
    /// Format of the listener's and worker's log records: `text` (default) or `json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<LogFormat>,
}

/// The NetworkPolicy `osmo-workflow-network-policy` on the workflow namespace.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WorkflowNetworkPolicy {
    /// Create the NetworkPolicy; without it workflow pods may reach anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Cluster-internal ranges (pod, Service and node CIDRs) excluded from the internet egress rule; without them the policy isolates nothing.
    #[serde(
        default,
        rename = "clusterCIDRs",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_cidrs: Option<Vec<String>>,
    /// Namespace of the cluster DNS pods, which workflow pods may reach on port 53.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_namespace: Option<String>,
    /// Further namespaces whose pods workflow pods may reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_namespaces: Option<Vec<String>>,
    /// NetworkPolicy egress rules added as written (for example an ipBlock for the DNS Service IP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_egress_rules: Option<Vec<FreeObject>>,
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

backend_listener_struct! {
    /// The backend listener deployment.
    BackendListener {
        /// Timing of the listener's startup probe (the check itself is fixed).
        startup_probe: Option<StartupProbeTiming>,
    }
}

backend_worker_struct! {
    /// The backend worker deployment.
    BackendWorker {
        /// Timing of the worker's startup probe (the check itself is fixed).
        startup_probe: Option<StartupProbeTiming>,
    }
}

/// The timing of a startup probe whose check the chart fixes; the chart
/// writes each of the four numbers, so keep all of them set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StartupProbeTiming {
    /// Consecutive failures before the container is restarted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_threshold: Option<u32>,
    /// Seconds between probes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_seconds: Option<u32>,
    /// Seconds before a probe attempt times out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u32>,
    /// Seconds after the container starts before the first probe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_delay_seconds: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::deserialize_json;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<BackendOperatorValues, crate::ModelError> {
        deserialize_json(value)
    }

    #[test]
    fn keys_gone_since_1_2_1_are_refused() {
        for (values, path) in [
            (json!({"global": {"network": {}}}), "global.network"),
            (
                json!({"sidecars": {"otel": {"enabled": false}}}),
                "sidecars",
            ),
            (
                json!({"services": {"backendListener": {"startupProbe": {"exec": {}}}}}),
                "services.backendListener.startupProbe.exec",
            ),
        ] {
            assert_eq!(parse(values).unwrap_err().path.to_string(), path);
        }
    }

    #[test]
    fn explicit_nulls_and_template_only_keys_survive() {
        let input = json!({
            "nameOverride": "op",
            "global": {"name": null, "imagePullSecret": null, "backendTestNamespace": null,
                       "logs": {"logFormat": "json"}},
            "backendTestRunner": {"hostAliases": [{"ip": "10.0.0.1", "hostnames": ["a"]}]}
        });
        let values = parse(input.clone()).unwrap();
        assert_eq!(values.global.as_ref().unwrap().name, Some(None));
        assert_eq!(serde_json::to_value(&values).unwrap(), input);
    }
}
