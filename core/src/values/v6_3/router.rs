//! `services.router` of the `service` chart 1.3.1: the router, which was the
//! separate `router` chart in 6.2. Its former top-level `extra*` keys now
//! live here; its own Ingress is gone (traffic enters through the gateway).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::NamedEnvVar;
use crate::values::common::{
    FreeList, FreeObject, ImagePullPolicy, ImageTag, Probe, Resources, StringMap, Toleration,
    TopologySpreadConstraint,
};
use crate::values::router::ContainerPort;

/// The router Deployment, its Services (`<serviceName>` and
/// `<serviceName>-headless`) and autoscaler.
///
/// ```
/// use osmo_values::values::v6_3::router::RouterServiceValues;
/// let router: RouterServiceValues = serde_json::from_value(serde_json::json!({
///     "scaling": {"minReplicas": 2, "memoryTarget": 75},
///     "extraEnvs": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]
/// })).unwrap();
/// assert_eq!(router.scaling.unwrap().memory_target, Some(75));
/// // The router has no Ingress of its own any more.
/// assert!(serde_json::from_value::<RouterServiceValues>(serde_json::json!({"ingress": {}})).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouterServiceValues {
    /// Replica bounds and utilisation targets of the router autoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<RouterScaling>,
    /// Image name of the router, appended to global.osmoImageLocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// Tag of the router image; empty uses global.osmoImageTag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<ImageTag>,
    /// When Kubernetes pulls the router image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Name of the Deployment, Services (plus `-headless`) and autoscaler of the router; the gateway's `router` upstream host must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Init containers of the router pod, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_containers: Option<FreeList>,
    /// Public host name passed to the router (--hostname); global.hostname when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Has no effect in chart 1.3.1: it added a wildcard rule to the router's own Ingress, which is gone; wildcard hosts now go on the gateway's Ingress or load balancer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webserver_enabled: Option<bool>,
    /// Additional command-line arguments appended to the router command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_args: Option<Vec<String>>,
    /// ServiceAccount the router pods run as; empty uses global.serviceAccountName (the 6.2 router chart used `router`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Additional labels put on the router pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_labels: Option<StringMap>,
    /// Additional annotations put on the router pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
    /// Additional environment variables of the router container (name with value or valueFrom; an empty value falls back to valueFrom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_envs: Option<Vec<NamedEnvVar>>,
    /// Additional ports the router container exposes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_ports: Option<Vec<ContainerPort>>,
    /// Additional volumes of the router pod, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// Additional volume mounts of the router container, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional containers in the router pod, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_containers: Option<FreeList>,
    /// Extra /etc/hosts entries of the router pods, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<FreeList>,
    /// Node labels the router pods must match, added to the global selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Taints the router pods tolerate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// How router pods are spread over zones or nodes; the chart adds the label selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology_spread_constraints: Option<Vec<TopologySpreadConstraint>>,
    /// Compute requests and limits of the router container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Check that restarts the router container when it stops answering; an httpGet check gets scheme HTTPS while gateway.tls.enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// Check that holds the other probes until the router has started; an httpGet check gets scheme HTTPS while gateway.tls.enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
    /// Check that decides whether the router receives traffic; an httpGet check gets scheme HTTPS while gateway.tls.enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
}

/// Replica bounds and targets of the router's HorizontalPodAutoscaler (note
/// `memoryTarget`, where the other services say `hpaMemoryTarget`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouterScaling {
    /// Fewest router replicas, also the Deployment's initial replica count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<u32>,
    /// Most router replicas the autoscaler may run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replicas: Option<u32>,
    /// Average memory use, in percent of the request, the autoscaler aims for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_target: Option<u32>,
    /// Average CPU use, in percent of the request, the autoscaler aims for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hpa_cpu_target: Option<u32>,
    /// More autoscaling/v2 metric specs appended to the memory and CPU ones, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metrics: Option<Vec<FreeObject>>,
}
