//! Shapes several 6.3.1 modules share: the log format, the autoscaler block
//! of the OSMO services and gateway pods, and the environment variables the
//! router and the UI rebuild field by field.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::common::{FreeObject, Scalar};

/// How the OSMO processes write their log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line per record (the default).
    Text,
    /// One JSON object per record, ready for Loki or Elasticsearch without a parser.
    Json,
}

/// A HorizontalPodAutoscaler that scales a Deployment on CPU and memory use
/// (the API service, worker, logger, agent and the gateway's Envoy,
/// oauth2-proxy and authz pods).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HpaScaling {
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
    /// More autoscaling/v2 metric specs (type Pods, Object, External, ...) appended to the CPU and memory ones, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metrics: Option<Vec<FreeObject>>,
}

/// An environment variable the chart rebuilds from `name`, `value` and
/// `valueFrom` only (any other key would be dropped, so it is refused).
///
/// ```
/// use osmo_values::values::v6_3::shared::NamedEnvVar;
/// let env: NamedEnvVar = serde_json::from_str(r#"{"name": "PORT", "value": 8080}"#).unwrap();
/// assert_eq!(env.name, "PORT");
/// assert!(serde_json::from_str::<NamedEnvVar>(r#"{"name": "A", "valueFom": {}}"#).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamedEnvVar {
    /// Name of the variable.
    pub name: String,
    /// Value of the variable; the chart quotes it, so numbers and booleans become text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Scalar>,
    /// Where the value comes from when `value` is not set (secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<FreeObject>,
}
