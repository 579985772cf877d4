//! Values of the `router` chart.
//!
//! Besides the router's own model, this module holds a few shapes the
//! `web-ui` chart renders the same way (ingress, Redis, topology spread,
//! extra ConfigMaps, container ports), which [`super::web_ui`] reuses.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::common::{
    ExtraConfigMap, FreeList, ImagePullPolicy, ImageTag, Probe, Resources, ScalarMap, StringMap,
    Toleration, TopologySpreadConstraint, explicit_null,
};

/// Values of the `router` chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouterValues {
    /// No effect: no template of the router chart reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_override: Option<String>,
    /// No effect: no template of the router chart reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fullname_override: Option<String>,
    /// Settings shared by every container of the router release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<RouterGlobal>,
    /// Database schema the router uses as its search path (`public` when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_schema: Option<String>,
    /// The ServiceAccount the chart may create for the router.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<ServiceAccount>,
    /// The router deployment and the services it connects to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<RouterServices>,
    /// Sidecar containers of the router pods: Envoy, oauth2-proxy, authorization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecars: Option<crate::values::sidecars::RouterSidecars>,
    /// Additional containers appended to the router pod as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_containers: Option<FreeList>,
    /// Additional pod volumes appended as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volumes: Option<FreeList>,
    /// Additional labels put on the router pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_labels: Option<StringMap>,
    /// Additional annotations put on the router pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_pod_annotations: Option<StringMap>,
    /// Additional environment variables of the router container (name with value or valueFrom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_envs: Option<FreeList>,
    /// Additional command-line arguments appended to the router command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_args: Option<Vec<String>>,
    /// Additional ports the router container exposes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_ports: Option<Vec<ContainerPort>>,
    /// Additional volume mounts of the router container, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_volume_mounts: Option<FreeList>,
    /// Additional ConfigMaps the chart creates beside the router.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_config_maps: Option<Vec<ExtraConfigMap>>,
}

/// Release-wide settings of the router chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct RouterGlobal {
    /// Registry path the OSMO images are pulled from, without image name or tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osmo_image_location: Option<String>,
    /// Tag of the OSMO images (router and authz sidecar); quote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osmo_image_tag: Option<ImageTag>,
    /// Name of an existing docker-registry Secret used to pull images; `null` for none.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_pull_secret: Option<Option<String>>,
    /// No effect: the router chart's templates never read it; use `services.service.nodeSelector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<StringMap>,
    /// Logging of the router process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<RouterLogs>,
}

/// Logging of the router process.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct RouterLogs {
    /// Write logs to a shared `/logs` volume and pass the log levels to the router.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Level of the router's own log: DEBUG, INFO, WARNING, ERROR or CRITICAL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Level of the Kubernetes client's log: DEBUG, INFO, WARNING, ERROR or CRITICAL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k8s_log_level: Option<String>,
}

/// The ServiceAccount the router chart creates or reuses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct ServiceAccount {
    /// Create the ServiceAccount; turn off to reuse one that already exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<bool>,
    /// Name of the created ServiceAccount (`router` when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Annotations on the ServiceAccount, such as workload-identity client ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<StringMap>,
}

/// The router deployment and the backing services it talks to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct RouterServices {
    /// Mounting the master encryption key file from the `mek-config` ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_file: Option<ConfigFile>,
    /// The router deployment itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<RouterService>,
    /// The PostgreSQL database the router and its authz sidecar use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<Postgres>,
    /// The Redis server holding OAuth2 Proxy sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<Redis>,
}

/// Where the router reads its configuration file from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct ConfigFile {
    /// Mount `mek.yaml` from the `mek-config` ConfigMap and read the database password from `db-secret`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Path of the file inside the router container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// The router Deployment, its Service, Ingress and autoscaler.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct RouterService {
    /// Replica bounds and utilisation targets of the router autoscaler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<RouterScaling>,
    /// Image name of the router, appended to `global.osmoImageLocation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// When Kubernetes pulls the router image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Name of the Deployment, Service, Ingress and autoscaler of the router.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Init containers of the router pod, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_containers: Option<FreeList>,
    /// Public host name the router is reached at (ingress host and `--hostname`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Also route every subdomain of the host name (`*.hostname`) to the router.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webserver_enabled: Option<bool>,
    /// No effect: the templates never read it; the router takes the top-level `extraArgs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_args: Option<Vec<String>>,
    /// ServiceAccount the router pods run as (`default` when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Extra /etc/hosts entries of the router pods, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<FreeList>,
    /// The Ingress that exposes the router.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<Ingress>,
    /// Node labels the router pods must be scheduled on.
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
    /// Check that restarts the router container when it stops answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// Check that holds the other probes until the router has started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
    /// Check that decides whether the router receives traffic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
}

/// Replica bounds and targets of the router's HorizontalPodAutoscaler.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
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
}

/// Connection settings of the PostgreSQL database.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct Postgres {
    /// Host name (usually a Service name) of the database server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// TCP port of the database server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Name of the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db: Option<String>,
    /// User the router logs in as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Password in clear text in the pod spec; leave empty to read it from `db-secret`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// Connection settings of the Redis server used as the OAuth2 Proxy session store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct Redis {
    /// Host name (usually a Service name) of the Redis server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// TCP port of the Redis server (6379 when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Redis logical database number, usually 0 to 15.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_number: Option<u32>,
    /// Connect with TLS (`rediss://`) instead of plain TCP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_enabled: Option<bool>,
}

/// An Ingress in front of a chart's Service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct Ingress {
    /// Create the Ingress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Path prefix the Ingress rules start with, ending in `/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// IngressClass that serves the Ingress, such as `nginx` or `alb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_class: Option<String>,
    /// Annotations for the AWS Load Balancer Controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alb_annotations: Option<AlbAnnotations>,
    /// Terminate TLS at the Ingress with the certificate in `sslSecret`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_enabled: Option<bool>,
    /// Name of the TLS Secret holding the certificate and key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_secret: Option<String>,
    /// Extra Ingress annotations; each value is written as a quoted string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<ScalarMap>,
}

/// AWS Application Load Balancer settings of an Ingress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct AlbAnnotations {
    /// Add the AWS load balancer annotations (group, target type, certificate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// ARN of the ACM certificate the load balancer serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_cert_arn: Option<String>,
}

/// A port a container exposes, as the charts render it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(inline)]
pub struct ContainerPort {
    /// Name of the port, at most 15 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Port number inside the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<u16>,
    /// Transport protocol (TCP when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
}

/// Transport protocol of a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Protocol {
    /// Transmission Control Protocol.
    #[serde(rename = "TCP")]
    Tcp,
    /// User Datagram Protocol.
    #[serde(rename = "UDP")]
    Udp,
    /// Stream Control Transmission Protocol.
    #[serde(rename = "SCTP")]
    Sctp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::common::Scalar;

    #[test]
    fn ingress_annotations_accept_any_scalar() {
        let ingress: Ingress = serde_json::from_str(
            r#"{"annotations": {"a": "x", "b": 10, "c": true}, "ingressClass": "nginx"}"#,
        )
        .unwrap();
        let annotations = ingress.annotations.unwrap();
        assert_eq!(annotations["b"], Scalar::Number(10.into()));
        assert_eq!(annotations["c"], Scalar::Bool(true));
        assert!(serde_json::from_str::<Ingress>(r#"{"annotations": {"a": [1]}}"#).is_err());
    }

    #[test]
    fn topology_spread_refuses_label_selector_and_bad_policy() {
        assert!(
            serde_json::from_str::<TopologySpreadConstraint>(
                r#"{"topologyKey": "zone", "labelSelector": {}}"#
            )
            .is_err()
        );
        assert!(
            serde_json::from_str::<TopologySpreadConstraint>(r#"{"whenUnsatisfiable": "Always"}"#)
                .is_err()
        );
    }

    /// Nested structs are inlined, so a schema error points at the bad key
    /// instead of at an `anyOf` around its parent.
    #[cfg(feature = "validate")]
    #[test]
    fn schema_errors_name_the_nested_key() {
        let schema = crate::schema::generate::<RouterValues>("router");
        let validator = jsonschema::draft7::new(&schema).unwrap();
        let bad =
            serde_json::json!({"services": {"service": {"scaling": {"minReplicas": "three"}}}});
        let paths: Vec<String> = validator
            .iter_errors(&bad)
            .map(|e| e.instance_path().to_string())
            .collect();
        assert_eq!(paths, ["/services/service/scaling/minReplicas"]);
        let null_secret = serde_json::json!({"global": {"imagePullSecret": null}});
        assert!(validator.is_valid(&null_secret));
    }

    #[test]
    fn router_values_refuse_misplaced_keys() {
        let err = serde_json::from_str::<RouterValues>(
            r#"{"services": {"service": {"ingress": {"sslEnable": true}}}}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("sslEnable"), "{err}");
        let ok: RouterValues = serde_json::from_str(
            r#"{"services": {"redis": {"port": 6380, "tlsEnabled": false}}, "global": {"imagePullSecret": null}}"#,
        )
        .unwrap();
        let redis = ok.services.unwrap().redis.unwrap();
        assert_eq!(redis.port, Some(6380));
        assert_eq!(redis.tls_enabled, Some(false));
    }
}
