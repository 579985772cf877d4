//! What only the OSMO 6.3.1 templates read: the gateway (exposure, TLS both
//! ways, the OSMO-token JWT provider, the web UI's way to the API), the
//! workflow storage (the ServiceAccount's cloud identity, static keys) and
//! the ConfigMap-mode block `services.configs`, built by
//! [`crate::configs::minimal_configs`] from the spec.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::configs::{
    BackendAnswer, ConfigAnswers, PlatformAnswer, PoolAnswer, StorageAnswer, StorageAuth,
    minimal_configs,
};
use crate::release::v6_3::{GATEWAY_NAME, INTERNAL_JWKS_CLUSTER};
use crate::spec::{DeploymentSpec, Exposure, Storage, StorageCredentials};

/// The in-cluster host of OSMO's API service, where the gateway fetches OSMO's own signing
/// keys (`gateway.upstreams.service.host`, the chart's default).
const SERVICE_HOST: &str = "osmo-service";

/// The pods of the service chart that read or write the workflow storage: the ones the
/// chart gives the ConfigMap and the storage Secrets (API service, worker, logger, agent).
/// With Azure Workload Identity each is labelled to use the ServiceAccount's identity.
pub const STORAGE_PODS: [&str; 4] = ["service", "worker", "logger", "agent"];

/// The label that makes Azure Workload Identity give a pod its ServiceAccount's identity.
pub const AZURE_WORKLOAD_IDENTITY_LABEL: &str = "azure.workload.identity/use";

/// The gateway as the 6.3.1 templates see it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct GatewayCtx {
    /// `gateway.name`: the Service, and the prefix of the gateway's objects.
    name: &'static str,
    /// `ingress` or `loadBalancer`.
    exposure: &'static str,
    /// The type of the gateway's Service.
    service_type: &'static str,
    service_annotations: BTreeMap<String, String>,
    /// Downstream TLS: the Secret Envoy serves HTTPS with.
    tls_secret: Option<String>,
    /// Upstream TLS: the gateway speaks HTTPS to OSMO's services.
    upstream_tls: bool,
    /// The cluster of OSMO's own signing keys (`internalJwks.cluster`).
    internal_jwks_cluster: &'static str,
    /// Where the gateway fetches OSMO's own signing keys: https exactly when upstream TLS is on.
    osmo_jwks_uri: String,
    /// The web UI runs (it needs browser sign-in, so an identity provider).
    ui_enabled: bool,
    /// Where the web UI's server reaches the API: the gateway.
    ui_api_hostname: String,
    /// The web UI speaks HTTPS to `ui_api_hostname`.
    ui_ssl: bool,
    /// The gateway's address inside the cluster, for in-cluster clients.
    in_cluster_url: String,
}

impl GatewayCtx {
    pub(super) fn new(spec: &DeploymentSpec, has_idp: bool) -> GatewayCtx {
        let gw = &spec.gateway;
        let downstream_tls = gw.tls_secret.is_some();
        GatewayCtx {
            name: GATEWAY_NAME,
            exposure: gw.exposure.as_str(),
            service_type: match gw.exposure {
                Exposure::Ingress => "ClusterIP",
                Exposure::LoadBalancer => "LoadBalancer",
            },
            service_annotations: gw.service_annotations.clone(),
            tls_secret: gw.tls_secret.clone(),
            upstream_tls: gw.upstream_tls,
            internal_jwks_cluster: INTERNAL_JWKS_CLUSTER,
            osmo_jwks_uri: format!(
                "{}://{SERVICE_HOST}/api/auth/keys",
                if gw.upstream_tls { "https" } else { "http" }
            ),
            ui_enabled: has_idp,
            // With TLS at the gateway both of its ports speak TLS with the domain's
            // certificate: the UI then goes to the domain, which the certificate names.
            ui_api_hostname: if downstream_tls {
                format!("{}:443", spec.domain)
            } else {
                format!("{GATEWAY_NAME}:80")
            },
            ui_ssl: downstream_tls,
            in_cluster_url: format!("http://{GATEWAY_NAME}.osmo.svc.cluster.local"),
        }
    }
}

/// The workflow storage as the 6.3.1 templates see it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct StorageCtx {
    log_uri: String,
    data_uri: String,
    region: Option<String>,
    override_url: Option<String>,
    /// The credential kind as the spec writes it.
    kind: &'static str,
    /// The ServiceAccount annotation of a workload identity: `key`, `value`.
    annotation: Option<[String; 2]>,
    /// Pods to label for Azure Workload Identity (`services.<name>`); empty otherwise.
    labelled_pods: &'static [&'static str],
    label: &'static str,
    /// Static access keys.
    static_keys: bool,
    /// Static access keys in the Secrets `secrets.yaml` creates (ConfigMap mode).
    keys_in_secrets: bool,
    /// The storage section of the `WORKFLOW` configuration, for deployments that keep their
    /// configuration in the database: JSON indented for a Markdown code block, with every
    /// backtick escaped (`\u0060`) so that no value can end the block.
    workflow_json: String,
}

impl StorageCtx {
    pub(super) fn new(st: &Storage, config_map_mode: bool) -> StorageCtx {
        let static_keys = matches!(st.credentials, StorageCredentials::Static(_));
        let mut workflow = minimal_configs(&ConfigAnswers {
            hostname: String::new(),
            image_registry: String::new(),
            image_tag: String::new(),
            storage: storage_answer(st, StorageAuth::WorkloadIdentity),
            backends: Vec::new(),
            pools: Vec::new(),
        })["workflow"]
            .take();
        let mut section = serde_json::Map::new();
        for key in ["workflow_log", "workflow_data"] {
            let mut v = workflow[key].take();
            if static_keys && let Some(c) = v["credential"].as_object_mut() {
                c.insert("access_key_id".into(), "<access-key-id>".into());
                c.insert("access_key".into(), "<secret-access-key>".into());
            }
            section.insert(key.into(), v);
        }
        StorageCtx {
            log_uri: st.log_uri.clone(),
            data_uri: st.data_uri.clone(),
            region: st.region.clone(),
            override_url: st.override_url.clone(),
            kind: st.credentials.kind(),
            annotation: st
                .credentials
                .service_account_annotation()
                .map(|(k, v)| [k.to_owned(), v.to_owned()]),
            labelled_pods: match st.credentials {
                StorageCredentials::AzureWorkloadIdentity(_) => &STORAGE_PODS,
                _ => &[],
            },
            label: AZURE_WORKLOAD_IDENTITY_LABEL,
            static_keys,
            keys_in_secrets: static_keys && config_map_mode,
            workflow_json: serde_json::to_string_pretty(&Value::Object(section))
                .unwrap_or_default()
                .replace('`', "\\u0060")
                .lines()
                .map(|l| format!("  {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

fn storage_answer(st: &Storage, auth: StorageAuth) -> StorageAnswer {
    StorageAnswer {
        auth,
        data_uri: st.data_uri.clone(),
        log_uri: st.log_uri.clone(),
        region: st.region.clone(),
        override_url: st.override_url.clone(),
    }
}

/// The pool that submits to backend number `index` of the spec: `default` for the first
/// (OSMO's default pool), the backend's name for the others; one platform per compute
/// pool of the backend, named after its label's value, placing its pods with the label.
///
/// ```
/// use osmo_values::backend::BackendKind;
/// use osmo_values::spec::{Backend, DeploymentSpec};
/// let mut spec = DeploymentSpec::minimal("osmo.example.com", "db", "redis");
/// let mut gpu = Backend::named("gpu-east");
/// gpu.kind = BackendKind::Eks;
/// spec.backends.push(gpu);
/// let pool = osmo_values::generate::pool_of(&spec, 1);
/// assert_eq!(pool.name, "gpu-east");
/// let names: Vec<&str> = pool.platforms.iter().map(|p| p.name.as_str()).collect();
/// assert_eq!(names, ["compute", "gpu"]);
/// assert_eq!(pool.platforms[1].node_selector["node-type"], "gpu");
/// assert_eq!(osmo_values::generate::pool_of(&spec, 0).name, "default");
/// ```
pub fn pool_of(spec: &DeploymentSpec, index: usize) -> PoolAnswer {
    let backend = &spec.backends[index];
    let name = if index == 0 {
        "default".to_owned()
    } else if backend.name == "default" {
        format!("{}-pool", backend.name)
    } else {
        backend.name.clone()
    };
    let labels = backend.placement(spec.release).compute_pools;
    let mut platforms: Vec<PlatformAnswer> = Vec::new();
    for label in &labels {
        let taken = labels.iter().filter(|l| l.value == label.value).count() > 1;
        let platform = if taken {
            format!("{}-{}", label.key, label.value).replace(['/', '.', '_'], "-")
        } else {
            label.value.clone()
        };
        platforms.push(PlatformAnswer {
            name: platform,
            node_selector: [(label.key.clone(), label.value.clone())].into(),
        });
    }
    PoolAnswer {
        name,
        backend: Some(backend.name.clone()),
        platforms,
    }
}

/// `services.configs` of a spec in ConfigMap mode (`None` without storage, which the spec's
/// validation refuses in ConfigMap mode).
pub(super) fn configs_block(spec: &DeploymentSpec) -> Option<Value> {
    let st = spec.storage.as_ref()?;
    let auth = match st.credentials {
        StorageCredentials::Static(_) => StorageAuth::StaticSecrets,
        _ => StorageAuth::WorkloadIdentity,
    };
    Some(minimal_configs(&ConfigAnswers {
        hostname: spec.domain.clone(),
        image_registry: spec.images.registry.clone(),
        image_tag: spec.image_tag().to_owned(),
        storage: storage_answer(st, auth),
        backends: spec
            .backends
            .iter()
            .map(|b| BackendAnswer {
                name: b.name.clone(),
            })
            .collect(),
        pools: (0..spec.backends.len()).map(|i| pool_of(spec, i)).collect(),
    }))
}
