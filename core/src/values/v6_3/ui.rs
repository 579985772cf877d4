//! `services.ui` of the `service` chart 1.3.1: the web UI, which was the
//! separate `web-ui` chart in 6.2. Its Ingress and `hostname` are gone (the
//! UI is reached through the gateway); the Service and the probes keep the
//! 6.2 shapes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::NamedEnvVar;
use crate::values::common::{
    FreeList, FreeObject, ImagePullPolicy, ImageTag, Resources, StringMap, Toleration,
    TopologySpreadConstraint,
};
use crate::values::router::ContainerPort;
use crate::values::web_ui::{UiKubeService, UiProbe};

/// The web UI Deployment, its Service and optional autoscaler.
///
/// ```
/// use osmo_values::values::v6_3::ui::UiValues;
/// let ui: UiValues = serde_json::from_value(serde_json::json!({
///     "apiHostname": "osmo-gateway:80",
///     "extraEnvs": [{"name": "TZ", "value": "UTC"}]
/// })).unwrap();
/// assert_eq!(ui.api_hostname.as_deref(), Some("osmo-gateway:80"));
/// // The UI has no Ingress or hostname of its own any more.
/// assert!(serde_json::from_value::<UiValues>(serde_json::json!({"hostname": "x"})).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UiValues {
    /// Deploy the web UI (Deployment, Service, autoscaler). Turning it off keeps the gateway's route to it: set gateway.upstreams.ui.enabled false too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Number of pods when autoscaling is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Image name of the web UI, appended to global.osmoImageLocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// Tag of the web UI image; empty uses global.osmoImageTag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<ImageTag>,
    /// When Kubernetes pulls the web UI image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Name of the Deployment, Service and autoscaler of the web UI (the gateway's `ui` upstream host must match it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Host and port the UI's server side calls the OSMO API at: the gateway (`<gateway.name>:80`, default osmo-gateway:80), not osmo-service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_hostname: Option<String>,
    /// Offer port forwarding through the web UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_forward_enabled: Option<bool>,
    /// Call apiHostname over HTTPS from the UI's server side (needed when gateway.envoy.ssl is on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nextjs_ssl_enabled: Option<bool>,
    /// Port the web UI server listens on inside its container (also the Service's target port and the probes' default port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<u16>,
    /// ServiceAccount the web UI pods run as; empty uses global.serviceAccountName.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Largest total size of request headers, in KiB, the UI server accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_http_header_size_kb: Option<u32>,
    /// Replaces the image's entrypoint when not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Replaces the image's arguments when not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<String>>,
    /// Additional labels put on the web UI pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_labels: Option<StringMap>,
    /// Base address of the user guide the UI links to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_base_url: Option<String>,
    /// Address of the CLI install script the UI shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cli_install_script_url: Option<String>,
    /// The web UI's HorizontalPodAutoscaler, which scales on memory use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<UiScaling>,
    /// The Kubernetes Service in front of the web UI pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<UiKubeService>,
    /// Node labels the web UI pods must be scheduled on, after global.nodeSelector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// How web UI pods are spread over nodes or zones; the chart adds the label selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology_spread_constraints: Option<Vec<TopologySpreadConstraint>>,
    /// Extra /etc/hosts entries of the web UI pods, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<FreeList>,
    /// Taints the web UI pods tolerate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    /// Compute requests and limits of the web UI container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Has no effect in chart 1.3.1: the UI container declares only containerPort (Service ports can still be added under service.extraPorts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_ports: Option<Vec<ContainerPort>>,
    /// Additional environment variables of the web UI container (name with value or valueFrom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_envs: Option<Vec<NamedEnvVar>>,
    /// ConfigMaps and Secrets whose entries become environment variables, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_from: Option<FreeList>,
    /// Additional volume mounts of the web UI container, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional volumes of the web UI pod, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// Annotations added to the web UI pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
    /// Additional containers in the web UI pod, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_containers: Option<FreeList>,
    /// Init containers of the web UI pod, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_containers: Option<FreeList>,
    /// Check that restarts the web UI container when it stops answering (the chart copies only the keys modelled here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<UiProbe>,
    /// Check that holds the other probes until the web UI has started (the chart copies only the keys modelled here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<UiProbe>,
    /// Check that decides whether the web UI receives traffic (the chart copies only the keys modelled here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<UiProbe>,
}

/// The web UI's HorizontalPodAutoscaler.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UiScaling {
    /// Create the autoscaler; the Deployment then starts with minReplicas instead of replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Fewest web UI replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<u32>,
    /// Most web UI replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replicas: Option<u32>,
    /// Average memory use, in percent of the request, the autoscaler aims for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hpa_target: Option<u32>,
    /// More autoscaling/v2 metric specs appended to the memory one, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metrics: Option<Vec<FreeObject>>,
}
