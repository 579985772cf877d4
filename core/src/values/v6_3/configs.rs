//! `services.configs` of the `service` chart 1.3.1: ConfigMap mode.
//!
//! When `enabled`, the chart writes OSMO's configuration into the ConfigMap
//! `<services.service.serviceName>-configs` (key `config.yaml`), which the
//! API service, worker, logger, agent and authz read instead of the database.
//! This module models the Helm side exactly: the thirteen keys, which of them
//! are maps of named entries, and `secretRefs`. The content of each section
//! is free-form JSON for now; each section has its own type alias below
//! ([`ServiceSection`], [`PoolEntry`], ...), so a strict model of a section
//! replaces one alias and nothing else.
//!
//! The chart renames the four camelCase keys (`podTemplates` →
//! `pod_templates`, `resourceValidations`, `backendTests`, `groupTemplates`)
//! and drops any other key, so a snake_case key here is refused.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::common::{FreeObject, StringMap};

/// The `service` section (`ServiceConfig`: service_base_url, cli_config, ...), free-form for now.
pub type ServiceSection = FreeObject;
/// The `workflow` section (`WorkflowConfig`: storage credentials, backend images, limits, ...), free-form for now.
pub type WorkflowSection = FreeObject;
/// The `dataset` section (`DatasetConfig`: buckets and the default bucket), free-form for now.
pub type DatasetSection = FreeObject;
/// One pod template: a pod-spec fragment merged into workflow pods, free-form.
pub type PodTemplateEntry = FreeObject;
/// One resource validation: a list of assertions (operator, operands, message), each free-form for now.
pub type ResourceValidationEntry = Vec<FreeObject>;
/// One role (description, policies, immutable, external_roles), free-form for now.
pub type RoleEntry = FreeObject;
/// One backend (scheduler settings, router address, node conditions, ...), free-form for now.
pub type BackendEntry = FreeObject;
/// One pool (backend, platforms, templates, validations, ...), free-form for now.
pub type PoolEntry = FreeObject;
/// One backend test (schedule, timeout, node conditions, templates), free-form for now.
pub type BackendTestEntry = FreeObject;
/// One group template: a Kubernetes object created with each task group, free-form.
pub type GroupTemplateEntry = FreeObject;

/// Entries of a section keyed by name. Helm merges the map with the chart
/// defaults name by name, so an entry set to `null` deletes a default one.
pub type Named<T> = BTreeMap<String, Option<T>>;

/// ConfigMap mode of the `service` chart.
///
/// ```
/// use osmo_values::values::v6_3::ConfigsValues;
/// let configs: ConfigsValues = serde_json::from_value(serde_json::json!({
///     "enabled": true,
///     "service": {"service_base_url": "https://osmo.example.com"},
///     "pools": {"default": null, "gpu": {"backend": "default"}},
///     "secretRefs": [{"secretName": "osmo-workflow-data-cred"}]
/// })).unwrap();
/// assert_eq!(configs.pools.unwrap()["default"], None);
/// // The chart only reads the camelCase key.
/// assert!(serde_json::from_value::<ConfigsValues>(serde_json::json!({"pod_templates": {}})).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConfigsValues {
    /// Render the configuration ConfigMap and mount it (and the Secrets in secretRefs) into the API service, worker, logger and agent; authz then reads its roles from it. Off by default: the configuration stays in the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Annotations of the configuration ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_annotations: Option<StringMap>,
    /// The `service` section: service_base_url (filled from services.service.hostname when unset and this section is not empty), cli_config, max_pod_restart_limit, agent_queue_size. Left out of the ConfigMap while empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceSection>,
    /// The `workflow` section: storage of workflow logs, data and apps (workflow_log, workflow_data, workflow_app), backend_images, limits and timeouts (durations are strings such as "7d").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<WorkflowSection>,
    /// The `dataset` section: buckets by name and default_bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<DatasetSection>,
    /// Pod templates by name (`pod_templates` in the ConfigMap), merged into workflow pods; the defaults are default_ctrl and default_user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_templates: Option<Named<PodTemplateEntry>>,
    /// Resource validations by name (`resource_validations` in the ConfigMap): lists of assertions on the requested resources; defaults for cpu, memory, gpu and storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_validations: Option<Named<ResourceValidationEntry>>,
    /// Roles by name: description, policies (actions such as `workflow:Create` on resources such as `pool/<name>`), external_roles. The defaults are osmo-admin, osmo-user, osmo-default, osmo-ctrl and osmo-backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Named<RoleEntry>>,
    /// Backends by name; every backend operator's global.backendName must be one of them. The default backend is `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backends: Option<Named<BackendEntry>>,
    /// Pools by name, each on a backend of `backends`; the default pool is `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pools: Option<Named<PoolEntry>>,
    /// Backend tests by name (`backend_tests` in the ConfigMap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_tests: Option<Named<BackendTestEntry>>,
    /// Group templates by name (`group_templates` in the ConfigMap): Kubernetes objects created with each task group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_templates: Option<Named<GroupTemplateEntry>>,
    /// Secrets mounted at `/etc/osmo/secrets/<secretName>/` in the API service, worker, logger and agent; list every Secret a section names as `secretName`, or the service refuses to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_refs: Option<Vec<SecretRef>>,
}

/// A Secret mounted for ConfigMap-mode credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretRef {
    /// Name of the Secret; also part of the volume name `secret-<name>`, so at most 56 characters without dots.
    pub secret_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::deserialize_json;
    use serde_json::json;

    #[test]
    fn sections_keep_their_content_and_null_entries() {
        let input = json!({
            "enabled": true,
            "workflow": {"max_num_tasks": 100, "backend_images": {"init": "r/init:6.3.1"}},
            "roles": {"osmo-user": null, "team": {"description": "Team", "policies": []}},
            "resourceValidations": {"default_cpu": [{"operator": "LE"}]},
            "secretRefs": [{"secretName": "osmo-workflow-log-cred"}]
        });
        let configs: ConfigsValues = deserialize_json(input.clone()).unwrap();
        assert_eq!(serde_json::to_value(&configs).unwrap(), input);
    }

    #[test]
    fn shapes_are_checked_where_the_chart_needs_them() {
        for (values, path) in [
            (json!({"secretRefs": ["db-secret"]}), "secretRefs[0]"),
            (json!({"secretRefs": [{"name": "x"}]}), "secretRefs[0].name"),
            (json!({"service": "https://osmo.example.com"}), "service"),
            (json!({"pools": {"gpu": "default"}}), "pools.gpu"),
            (
                json!({"resourceValidations": {"cpu": {"operator": "LE"}}}),
                "resourceValidations.cpu",
            ),
            (json!({"backend_tests": {}}), "backend_tests"),
        ] {
            let err = deserialize_json::<ConfigsValues>(values).unwrap_err();
            assert_eq!(err.path.to_string(), path, "{}", err.message);
        }
    }
}
