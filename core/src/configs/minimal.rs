//! A minimal working `services.configs` block from a few answers, for the
//! generator: everything ConfigMap mode does not fill in by itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::defaults::default_configs;

/// How workflow pods reach the storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StorageAuth {
    /// The pods' cloud identity (IRSA, GKE or Azure workload identity): no keys.
    WorkloadIdentity,
    /// Access keys in the Secrets `osmo-workflow-data-cred` and
    /// `osmo-workflow-log-cred` (keys `access_key_id`, `access_key`).
    StaticSecrets,
}

/// Where workflow data and logs are stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageAnswer {
    /// How the pods authenticate.
    pub auth: StorageAuth,
    /// Storage URI of workflow data, such as `s3://osmo-data/workflows`.
    pub data_uri: String,
    /// Storage URI of task logs, such as `s3://osmo-data/logs`.
    pub log_uri: String,
    /// Region of the buckets, when the provider needs one.
    pub region: Option<String>,
    /// URL of an S3-compatible service (MinIO...), when not a cloud provider's.
    pub override_url: Option<String>,
}

/// A backend: a Kubernetes cluster running the backend operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackendAnswer {
    /// The name the operator registers with (its `global.backendName`).
    pub name: String,
}

/// A pool users submit workflows to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolAnswer {
    /// The pool's name.
    pub name: String,
    /// Its backend; the first backend when `None`.
    pub backend: Option<String>,
    /// Its platforms (node types); `default` when empty. The first is the
    /// pool's default platform.
    pub platforms: Vec<PlatformAnswer>,
}

/// A platform of a pool: a kind of node workflows can ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformAnswer {
    /// The platform's name, such as `gpu`.
    pub name: String,
    /// The node labels the platform's pods must run on (their `nodeSelector`,
    /// through a pod template of their own); empty for any node.
    pub node_selector: BTreeMap<String, String>,
}

impl PlatformAnswer {
    /// A platform that runs on any node.
    pub fn named(name: &str) -> PlatformAnswer {
        PlatformAnswer {
            name: name.to_owned(),
            node_selector: BTreeMap::new(),
        }
    }

    /// The name of the pod template that places the platform's pods in pool
    /// `pool`, when it has a node selector.
    pub fn template_name(&self, pool: &str) -> Option<String> {
        (!self.node_selector.is_empty()).then(|| format!("placement-{pool}-{}", self.name))
    }
}

/// The answers a minimal block is built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigAnswers {
    /// The host name users reach OSMO at (`osmo.example.com`).
    pub hostname: String,
    /// Registry of the OSMO images, such as `nvcr.io/nvidia/osmo`.
    pub image_registry: String,
    /// Tag of the OSMO images, such as `6.3.1`.
    pub image_tag: String,
    /// Workflow storage.
    pub storage: StorageAnswer,
    /// Backends; one named `default` when empty.
    pub backends: Vec<BackendAnswer>,
    /// Pools; one named `default` on the first backend when empty.
    pub pools: Vec<PoolAnswer>,
}

/// The Secret holding the data credential in [`StorageAuth::StaticSecrets`].
pub const DATA_SECRET: &str = "osmo-workflow-data-cred";
/// The Secret holding the log credential in [`StorageAuth::StaticSecrets`].
pub const LOG_SECRET: &str = "osmo-workflow-log-cred";

fn credential(storage: &StorageAnswer, uri: &str, secret: &str) -> Value {
    let mut c = Map::new();
    if storage.auth == StorageAuth::StaticSecrets {
        c.insert("secretName".into(), json!(secret));
    }
    c.insert("endpoint".into(), json!(uri));
    if let Some(r) = &storage.region {
        c.insert("region".into(), json!(r));
    }
    if let Some(u) = &storage.override_url {
        c.insert("override_url".into(), json!(u));
    }
    Value::Object(c)
}

/// Builds the `services.configs` block of a values file (to be merged over
/// the chart's defaults, as Helm does) that turns ConfigMap mode on with
/// everything it needs: `service_base_url`, the workflow images, storage
/// credentials, backends with their router address, pools (each platform
/// with a node selector gets a pod template that places its pods), and an
/// `osmo-user` role that may submit to every pool. Chart-default backends
/// and pools that are not among the answers are removed (`null`).
///
/// ```
/// use osmo_values::configs::{minimal_configs, ConfigAnswers, StorageAnswer, StorageAuth};
/// let answers = ConfigAnswers {
///     hostname: "osmo.example.com".into(),
///     image_registry: "nvcr.io/nvidia/osmo".into(),
///     image_tag: "6.3.1".into(),
///     storage: StorageAnswer {
///         auth: StorageAuth::WorkloadIdentity,
///         data_uri: "s3://osmo-data/workflows".into(),
///         log_uri: "s3://osmo-data/logs".into(),
///         region: Some("us-east-1".into()),
///         override_url: None,
///     },
///     backends: vec![],
///     pools: vec![],
/// };
/// let block = minimal_configs(&answers);
/// assert_eq!(block["workflow"]["backend_images"]["init"], "nvcr.io/nvidia/osmo/init-container:6.3.1");
/// assert_eq!(block["backends"]["default"]["router_address"], "wss://osmo.example.com");
/// ```
pub fn minimal_configs(answers: &ConfigAnswers) -> Value {
    let registry = answers.image_registry.trim_end_matches('/');
    let tag = &answers.image_tag;
    let backends: Vec<String> = if answers.backends.is_empty() {
        vec!["default".into()]
    } else {
        answers.backends.iter().map(|b| b.name.clone()).collect()
    };
    let first = backends[0].clone();
    let pools: Vec<PoolAnswer> = if answers.pools.is_empty() {
        vec![PoolAnswer {
            name: "default".into(),
            backend: None,
            platforms: Vec::new(),
        }]
    } else {
        answers.pools.clone()
    };
    let defaults = default_configs();

    let mut backend_map = Map::new();
    for name in defaults["backends"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        if !backends.contains(name) {
            backend_map.insert(name.clone(), Value::Null);
        }
    }
    for name in &backends {
        backend_map.insert(
            name.clone(),
            json!({
                "router_address": format!("wss://{}", answers.hostname),
                "scheduler_settings": {"scheduler_type": "kai"}
            }),
        );
    }

    let mut pool_map = Map::new();
    for name in defaults["pools"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        if !pools.iter().any(|p| &p.name == name) {
            pool_map.insert(name.clone(), Value::Null);
        }
    }
    let default_pool = &defaults["pools"]["default"];
    let mut templates = Map::new();
    for pool in &pools {
        let platforms = if pool.platforms.is_empty() {
            vec![PlatformAnswer::named("default")]
        } else {
            pool.platforms.clone()
        };
        let mut platform_map = Map::new();
        // The chart's platforms of a pool of the same name stay unless removed.
        for name in defaults["pools"][&pool.name]["platforms"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            if !platforms.iter().any(|p| &p.name == name) {
                platform_map.insert(name.clone(), Value::Null);
            }
        }
        for p in &platforms {
            let mut platform = Map::new();
            if let Some(name) = p.template_name(&pool.name) {
                templates.insert(
                    name.clone(),
                    json!({"spec": {"nodeSelector": p.node_selector}}),
                );
                platform.insert("override_pod_template".into(), json!([name]));
            }
            platform_map.insert(p.name.clone(), Value::Object(platform));
        }
        pool_map.insert(
            pool.name.clone(),
            json!({
                "backend": pool.backend.clone().unwrap_or_else(|| first.clone()),
                "default_platform": platforms[0].name,
                "common_pod_template": default_pool["common_pod_template"],
                "common_resource_validations": default_pool["common_resource_validations"],
                "common_default_variables": default_pool["common_default_variables"],
                "platforms": platform_map
            }),
        );
    }

    // Setting `policies` replaces the chart's list: keep its policies that
    // are not about submitting, and allow submitting to every pool.
    let mut user_policies: Vec<Value> = defaults["roles"]["osmo-user"]["policies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| {
            !p["actions"]
                .as_array()
                .is_some_and(|a| a.contains(&json!("workflow:*")))
        })
        .cloned()
        .collect();
    let resources: Vec<String> = pools.iter().map(|p| format!("pool/{}", p.name)).collect();
    user_policies
        .push(json!({"effect": "Allow", "actions": ["workflow:*"], "resources": resources}));

    let storage = &answers.storage;
    let mut block = json!({
        "enabled": true,
        "service": {"service_base_url": format!("https://{}", answers.hostname)},
        "workflow": {
            "backend_images": {
                "init": format!("{registry}/init-container:{tag}"),
                "client": format!("{registry}/client:{tag}")
            },
            "workflow_data": {
                "credential": credential(storage, &storage.data_uri, DATA_SECRET),
                "base_url": storage.data_uri
            },
            "workflow_log": {"credential": credential(storage, &storage.log_uri, LOG_SECRET)}
        },
        "backends": backend_map,
        "pools": pool_map,
        "roles": {"osmo-user": {"policies": user_policies}}
    });
    if !templates.is_empty() {
        block["podTemplates"] = Value::Object(templates);
    }
    if storage.auth == StorageAuth::StaticSecrets {
        block["secretRefs"] = json!([{"secretName": DATA_SECRET}, {"secretName": LOG_SECRET}]);
    }
    block
}
