//! Values of the `web-ui` chart.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::router::{ContainerPort, Ingress, Protocol, Redis};
use crate::values::common::{
    ExecAction, ExtraConfigMap, FreeList, HttpHeader, HttpScheme, ImagePullPolicy, ImageTag,
    IntOrString, Resources, StringMap, Toleration, TopologySpreadConstraint,
};

/// Values of the `web-ui` chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WebUiValues {
    /// Overrides the chart name used in resource names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_override: Option<String>,
    /// No effect: only a helper that no template calls reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fullname_override: Option<String>,
    /// Settings shared by every container of the web UI release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<WebUiGlobal>,
    /// No effect: read only by a helper the chart's manifests never use; pods use `services.ui.serviceAccountName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<WebUiServiceAccount>,
    /// The web UI deployment and the services it connects to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<WebUiServices>,
    /// Sidecar containers of the UI pods: Envoy and oauth2-proxy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecars: Option<crate::values::sidecars::WebUiSidecars>,
    /// Additional ConfigMaps the chart creates in the release namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_config_maps: Option<Vec<ExtraConfigMap>>,
    /// Additional containers appended to the web UI pod as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_containers: Option<FreeList>,
    /// Additional annotations put on the web UI pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
}

/// Release-wide settings of the web UI chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct WebUiGlobal {
    /// Registry path the OSMO images are pulled from, without image name or tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osmo_image_location: Option<String>,
    /// Tag of the web UI image; quote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osmo_image_tag: Option<ImageTag>,
    /// Name of an existing docker-registry Secret used to pull images; `null` for none.
    #[serde(
        default,
        deserialize_with = "crate::values::common::explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_pull_secret: Option<Option<String>>,
    /// Node labels the web UI pods must be scheduled on, before `services.ui.nodeSelector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Logging of the web UI pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<WebUiLogs>,
}

/// Logging of the web UI pods.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct WebUiLogs {
    /// Add a shared `/logs` volume to the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// ServiceAccount naming of the web UI chart (it creates no ServiceAccount).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct WebUiServiceAccount {
    /// Whether a chart-named ServiceAccount is assumed; has no effect on the manifests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<bool>,
    /// ServiceAccount name override; has no effect (pods use `services.ui.serviceAccountName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The web UI deployment and the backing services it talks to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct WebUiServices {
    /// The web UI Deployment, Service, Ingress and autoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<UiService>,
    /// The Redis server holding OAuth2 Proxy sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<Redis>,
}

/// The web UI Deployment and the objects around it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct UiService {
    /// Number of pods when autoscaling is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Image name of the web UI, appended to `global.osmoImageLocation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// When Kubernetes pulls the web UI image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Name of the Deployment, Service, Ingress and autoscaler of the web UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Public host name the web UI is served at (the Ingress host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Host (and port) of the OSMO API server the UI's server side calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_hostname: Option<String>,
    /// Offer port forwarding through the web UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_forward_enabled: Option<bool>,
    /// Call the OSMO API server over HTTPS from the UI's server side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nextjs_ssl_enabled: Option<bool>,
    /// Port the web UI server listens on inside its container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<u16>,
    /// ServiceAccount the web UI pods run as.
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
    /// The web UI's HorizontalPodAutoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<UiScaling>,
    /// The Kubernetes Service in front of the web UI pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<UiKubeService>,
    /// The Ingress that exposes the web UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<Ingress>,
    /// Node labels the web UI pods must be scheduled on, after `global.nodeSelector`.
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
    /// No effect: the chart's templates never read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_ports: Option<Vec<ContainerPort>>,
    /// Additional environment variables (name with value or valueFrom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_envs: Option<FreeList>,
    /// ConfigMaps and Secrets whose entries become environment variables, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_from: Option<FreeList>,
    /// Additional volume mounts of the web UI container, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional volumes of the web UI pod, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// Init containers of the web UI pod, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_containers: Option<FreeList>,
    /// Check that restarts the web UI container when it stops answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<UiProbe>,
    /// Check that holds the other probes until the web UI has started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<UiProbe>,
    /// Check that decides whether the web UI receives traffic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<UiProbe>,
}

/// The web UI's HorizontalPodAutoscaler, which scales on memory use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct UiScaling {
    /// Create the autoscaler; `replicas` is then replaced by `minReplicas`.
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
}

/// The Kubernetes Service of the web UI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct UiKubeService {
    /// Service type; empty leaves the cluster default (ClusterIP).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<ServiceType>,
    /// Port the Service listens on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Name of the Service's main port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_name: Option<String>,
    /// Transport protocol of the main port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// Additional labels on the Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<StringMap>,
    /// Annotations on the Service, such as load balancer settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<StringMap>,
    /// Additional ports of the Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_ports: Option<Vec<ServicePort>>,
    /// Additional pod labels the Service selects on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<StringMap>,
}

/// The kind of a Kubernetes Service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ServiceType {
    /// Not set: Kubernetes picks ClusterIP.
    #[serde(rename = "")]
    Unset,
    /// A virtual IP reachable inside the cluster.
    ClusterIP,
    /// A ClusterIP also opened on a port of every node.
    NodePort,
    /// A NodePort fronted by a cloud load balancer.
    LoadBalancer,
    /// A DNS alias of an outside name.
    ExternalName,
}

/// One extra port of the web UI Service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct ServicePort {
    /// Name of the port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Port the Service listens on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Container port number or name traffic goes to (`port` when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<IntOrString>,
    /// Transport protocol (TCP when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// Port opened on every node, for NodePort and LoadBalancer Services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_port: Option<u16>,
}

/// A web UI health check; the chart copies only the fields listed here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct UiProbe {
    /// Probe by an HTTP GET request (used first when set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_get: Option<UiHttpGet>,
    /// Probe by opening a TCP connection (used when there is no httpGet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<UiTcpSocket>,
    /// Probe by running a command (used when there is neither httpGet nor tcpSocket).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecAction>,
    /// Consecutive failures before the probe counts as failed.
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
    /// Consecutive successes before the probe counts as passed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_threshold: Option<u32>,
}

/// The HTTP GET check of a web UI probe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct UiHttpGet {
    /// Path to request (`/` when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Container port number or name (`services.ui.containerPort` when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<IntOrString>,
    /// HTTP or HTTPS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<HttpScheme>,
    /// Extra request headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_headers: Option<Vec<HttpHeader>>,
}

/// The TCP check of a web UI probe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct UiTcpSocket {
    /// Container port number or name (`services.ui.containerPort` when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<IntOrString>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_port_may_be_left_to_the_chart() {
        let probe: UiProbe =
            serde_json::from_str(r#"{"httpGet": {"path": "/health"}, "periodSeconds": 5}"#)
                .unwrap();
        assert_eq!(probe.http_get.unwrap().port, None);
        // The chart drops a gRPC check, so it is refused rather than lost.
        assert!(serde_json::from_str::<UiProbe>(r#"{"grpc": {"port": 1}}"#).is_err());
    }

    #[test]
    fn service_type_accepts_empty_and_refuses_typos() {
        let svc: UiKubeService = serde_json::from_str(r#"{"type": ""}"#).unwrap();
        assert_eq!(svc.kind, Some(ServiceType::Unset));
        assert!(serde_json::from_str::<UiKubeService>(r#"{"type": "Loadbalancer"}"#).is_err());
    }

    #[test]
    fn template_only_keys_are_known() {
        let v: WebUiValues = serde_json::from_str(
            r#"{"serviceAccount": {"create": false, "name": "ui"},
                "services": {"ui": {"initContainers": [{"name": "wait"}]}}}"#,
        )
        .unwrap();
        assert_eq!(v.service_account.unwrap().name.as_deref(), Some("ui"));
        assert_eq!(
            v.services
                .unwrap()
                .ui
                .unwrap()
                .init_containers
                .unwrap()
                .len(),
            1
        );
        assert!(
            serde_json::from_str::<WebUiValues>(r#"{"global": {"logs": {"logLevel": "INFO"}}}"#)
                .is_err()
        );
    }
}
