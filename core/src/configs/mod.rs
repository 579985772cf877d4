//! OSMO's own configuration in ConfigMap mode: `services.configs` of the
//! 6.3 service chart.
//!
//! With `services.configs.enabled: true` the chart writes the block into the
//! ConfigMap `osmo-service-configs`, and the service, worker, agent and
//! logger read it at start and whenever it changes. The `service`,
//! `workflow` and `dataset` sections are checked strictly at start: an
//! unknown key, a number where text is expected or a storage URI with the
//! wrong scheme stops the service (CrashLoopBackOff), and on a live change
//! the new configuration is refused. The Go authorization service reads
//! `roles` at start and stops on a list written as a single string. Pools,
//! backends, templates and tests are read when used, so their mistakes show
//! up later, as failing API calls or silently smaller pod templates.
//!
//! This module holds typed models of every section ([`Configs`] is the
//! Helm-side block), the checks the linter runs on the effective block
//! ([`check`]), the chart's defaults ([`default_configs`]) and a builder of a
//! minimal working block for the generator ([`minimal_configs`]).
//!
//! For the linter: merge [`default_configs`] under the user's
//! `services.configs` the way Helm does, then call [`check`] with the merged
//! block, `services.service.hostname` and the user's own block in a
//! [`CheckContext`]. Every [`ConfigFinding`] names the values path of the
//! offending key (`services.configs.pools.gpu.backend`) and, where useful,
//! related paths; a path the user's files do not write comes from the
//! chart's defaults. The cross-file rule is [`check_backend_name`] (or
//! [`has_backend`] / [`backend_names`]).
//!
//! ```
//! use serde_json::json;
//! use osmo_values::configs::{check, CheckContext};
//! let configs = json!({
//!     "enabled": true,
//!     "workflow": {"default_exec_timeout": 7}
//! });
//! let found = check(&configs, &CheckContext::default());
//! let bad = found.iter().find(|f| f.code == "OV601").unwrap();
//! assert_eq!(bad.path.to_string(), "services.configs.workflow.default_exec_timeout");
//! ```

pub mod backends;
mod check;
pub mod credential;
pub mod dataset;
mod defaults;
pub mod formats;
pub mod lax;
pub mod minimal;
pub mod pools;
pub mod render;
pub mod roles;
pub mod service;
pub mod templates;
pub mod validate;
pub mod workflow;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use backends::Backend;
pub use check::{
    CheckContext, ConfigFinding, ConfigFix, RelatedPath, backend_names, check, check_backend_name,
    has_backend,
};
pub use credential::{
    DataCredential, RegistryCredential, SecretRef, StaticCredential, StorageEndpoint,
    WorkloadIdentityCredential,
};
pub use dataset::DatasetConfig;
pub use defaults::default_configs;
pub use minimal::{
    BackendAnswer, ConfigAnswers, DATA_SECRET, LOG_SECRET, PlatformAnswer, PoolAnswer,
    StorageAnswer, StorageAuth, minimal_configs,
};
pub use pools::Pool;
pub use render::{prepare_document, render_config_map};
pub use roles::Role;
pub use service::ServiceConfig;
pub use templates::{BackendTest, GroupTemplate, PodTemplate, ResourceAssertion};
pub use workflow::WorkflowConfig;

use crate::path::Path;

/// The values path of the block: `services.configs`.
pub fn configs_path() -> Path {
    Path::keys("services.configs")
}

/// A section of the ConfigMap, with its Helm key and its ConfigMap key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// `service`: validated at start.
    Service,
    /// `workflow`: validated at start.
    Workflow,
    /// `dataset`: validated at start.
    Dataset,
    /// `pools`.
    Pools,
    /// `podTemplates` / `pod_templates`.
    PodTemplates,
    /// `resourceValidations` / `resource_validations`.
    ResourceValidations,
    /// `backends`.
    Backends,
    /// `backendTests` / `backend_tests`.
    BackendTests,
    /// `groupTemplates` / `group_templates`.
    GroupTemplates,
    /// `roles`.
    Roles,
}

impl Section {
    /// Every section, in the order the chart writes them.
    pub const ALL: [Section; 10] = [
        Section::Service,
        Section::Workflow,
        Section::Dataset,
        Section::Pools,
        Section::PodTemplates,
        Section::ResourceValidations,
        Section::Backends,
        Section::BackendTests,
        Section::GroupTemplates,
        Section::Roles,
    ];

    /// The key under `services.configs` (camelCase).
    ///
    /// ```
    /// use osmo_values::configs::Section;
    /// assert_eq!(Section::PodTemplates.helm_key(), "podTemplates");
    /// assert_eq!(Section::PodTemplates.configmap_key(), "pod_templates");
    /// ```
    pub fn helm_key(self) -> &'static str {
        match self {
            Section::Service => "service",
            Section::Workflow => "workflow",
            Section::Dataset => "dataset",
            Section::Pools => "pools",
            Section::PodTemplates => "podTemplates",
            Section::ResourceValidations => "resourceValidations",
            Section::Backends => "backends",
            Section::BackendTests => "backendTests",
            Section::GroupTemplates => "groupTemplates",
            Section::Roles => "roles",
        }
    }

    /// The key in the ConfigMap's `config.yaml` (snake_case).
    pub fn configmap_key(self) -> &'static str {
        match self {
            Section::PodTemplates => "pod_templates",
            Section::ResourceValidations => "resource_validations",
            Section::BackendTests => "backend_tests",
            Section::GroupTemplates => "group_templates",
            other => other.helm_key(),
        }
    }

    /// The section whose ConfigMap key is `key`.
    pub fn from_configmap_key(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.configmap_key() == key)
    }

    /// Whether the service validates the section at start (a mistake stops it).
    pub fn validated_at_start(self) -> bool {
        matches!(
            self,
            Section::Service | Section::Workflow | Section::Dataset
        )
    }
}

/// The keys of `services.configs` that the chart reads.
pub const HELM_KEYS: [&str; 13] = [
    "enabled",
    "extraAnnotations",
    "service",
    "workflow",
    "dataset",
    "podTemplates",
    "resourceValidations",
    "roles",
    "backends",
    "pools",
    "backendTests",
    "groupTemplates",
    "secretRefs",
];

/// `services.configs`, the Helm-side block (camelCase keys).
///
/// ```
/// use osmo_values::configs::Configs;
/// let c: Configs = serde_json::from_value(osmo_values::configs::default_configs()).unwrap();
/// assert_eq!(c.enabled, Some(false));
/// assert!(c.pools.unwrap().contains_key("default"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Configs {
    /// Serve OSMO's configuration from the ConfigMap (API and CLI writes then
    /// answer 409) instead of the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Annotations of the ConfigMap (such as Argo CD sync options).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_annotations: Option<BTreeMap<String, String>>,
    /// The `service` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceConfig>,
    /// The `workflow` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<WorkflowConfig>,
    /// The `dataset` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<DatasetConfig>,
    /// Pod templates by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_templates: Option<BTreeMap<String, PodTemplate>>,
    /// Resource validations by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_validations: Option<BTreeMap<String, Vec<ResourceAssertion>>>,
    /// Roles by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<BTreeMap<String, Role>>,
    /// Backends by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backends: Option<BTreeMap<String, Backend>>,
    /// Pools by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pools: Option<BTreeMap<String, Pool>>,
    /// Backend tests by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_tests: Option<BTreeMap<String, BackendTest>>,
    /// Group templates by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_templates: Option<BTreeMap<String, GroupTemplate>>,
    /// Secrets to mount for `secretName` references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_refs: Option<Vec<SecretRef>>,
}

/// The ConfigMap's `config.yaml` as the service reads it (snake_case keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConfigMapDocument {
    /// The `service` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceConfig>,
    /// The `workflow` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<WorkflowConfig>,
    /// The `dataset` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<DatasetConfig>,
    /// Pools by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pools: Option<BTreeMap<String, Pool>>,
    /// Pod templates by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_templates: Option<BTreeMap<String, PodTemplate>>,
    /// Resource validations by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_validations: Option<BTreeMap<String, Vec<ResourceAssertion>>>,
    /// Backends by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backends: Option<BTreeMap<String, Backend>>,
    /// Backend tests by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_tests: Option<BTreeMap<String, BackendTest>>,
    /// Group templates by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_templates: Option<BTreeMap<String, GroupTemplate>>,
    /// Roles by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<BTreeMap<String, Role>>,
}

/// The JSON Schema of [`ConfigMapDocument`] the checks read: the one
/// [`generate_document_schema`] makes, committed as `document.schema.json`
/// and read once. Reading the committed text keeps the schema generator out
/// of programs that only check (the browser wizard); a test keeps the file
/// equal to what the models generate.
///
/// ```
/// let schema = osmo_values::configs::document_schema();
/// assert!(schema["definitions"]["WorkflowConfig"]["properties"]["backend_images"].is_object());
/// assert_eq!(schema, &osmo_values::configs::generate_document_schema());
/// ```
pub fn document_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(DOCUMENT_SCHEMA).unwrap_or(Value::Null))
}

/// The committed text of [`document_schema`] (compact JSON).
pub const DOCUMENT_SCHEMA: &str = include_str!("document.schema.json");

/// Generates the JSON Schema of [`ConfigMapDocument`] from the models, as the
/// checks read it: `null` refused where the service refuses it, and without
/// the annotations no check reads (descriptions, titles, examples).
pub fn generate_document_schema() -> Value {
    let mut schema =
        crate::schema::generate_with_refs::<ConfigMapDocument>("OSMO ConfigMap configuration");
    refuse_null_fields(&mut schema);
    strip_annotations(&mut schema);
    schema
}

/// Removes the annotation keywords (`description`, `title`, `examples`,
/// `$schema`) everywhere but in the names of `properties` and `definitions`.
fn strip_annotations(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for k in ["description", "title", "examples", "$schema"] {
                if !matches!(map.get(k), Some(Value::Object(_))) {
                    map.shift_remove(k);
                }
            }
            map.values_mut().for_each(strip_annotations);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_annotations),
        _ => {}
    }
}

/// The models read an absent key as `None`; the service distinguishes: only
/// the settings it declares optional (marked `x-nullable`) accept `null`.
/// (A `null` rarely reaches it: Helm deletes map keys set to `null`, but not
/// inside lists, such as a role's policies.)
fn refuse_null_fields(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                for prop in props.values_mut() {
                    let Value::Object(p) = prop else { continue };
                    if p.remove("x-nullable").is_some() {
                        continue;
                    }
                    if let Some(Value::Array(types)) = p.get_mut("type") {
                        types.retain(|t| t != "null");
                        if types.len() == 1 {
                            let only = types[0].clone();
                            p.insert("type".into(), only);
                        }
                    }
                    if let Some(Value::Array(branches)) = p.get("anyOf") {
                        let kept: Vec<Value> = branches
                            .iter()
                            .filter(|b| b.get("type") != Some(&Value::from("null")))
                            .cloned()
                            .collect();
                        if kept.len() == 1 {
                            p.remove("anyOf");
                            if let Value::Object(only) = &kept[0] {
                                for (k, v) in only {
                                    p.entry(k.clone()).or_insert_with(|| v.clone());
                                }
                            }
                        } else {
                            p.insert("anyOf".into(), Value::Array(kept));
                        }
                    }
                }
            }
            map.values_mut().for_each(refuse_null_fields);
        }
        Value::Array(items) => items.iter_mut().for_each(refuse_null_fields),
        _ => {}
    }
}

/// The JSON Schema of [`Configs`], the Helm-side block (every key optional,
/// `null` accepted: in a values file it deletes a chart default).
///
/// ```
/// let schema = osmo_values::configs::configs_schema();
/// assert_eq!(schema["additionalProperties"], false);
/// assert!(schema["properties"]["podTemplates"].is_object());
/// assert!(!schema.to_string().contains("```"), "no code examples in descriptions");
/// ```
pub fn configs_schema() -> Value {
    let mut schema = crate::schema::generate::<Configs>("services.configs");
    strip_examples(&mut schema);
    schema
}

/// Removes the Rust examples of the doc comments from the descriptions.
fn strip_examples(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(d)) = map.get_mut("description")
                && let Some(at) = d.find("```")
            {
                *d = d[..at].trim_end().to_owned();
            }
            map.values_mut().for_each(strip_examples);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_examples),
        _ => {}
    }
}
