//! The `workflow` section: storage, images, limits and timeouts of workflows.
//!
//! Validated when the service starts and at every reload; an unknown key or
//! a value of the wrong type stops the service (FACTS-6.3 §5.3).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::credential::{DataCredential, RegistryCredential, registry_credential};
use super::lax::{LaxBool, LaxFloat, LaxInt, NonNegativeInt, PositiveFloat, PositiveInt};

macro_rules! advised_string {
    ($(#[$doc:meta])* $name:ident, $advice:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({"type": "string", "x-osmo-advice": $advice})
            }
        }
    };
}
pub(crate) use advised_string;

advised_string!(
    /// A duration as text: `7d`, `30m`, `10s`, `500ms` or ISO 8601 `P7D`.
    /// Text is required (`7` alone is refused at start); the service reads
    /// the unit only when it uses the value, so the linter checks it too.
    Duration, "duration"
);

/// How workflow data reaches the task containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DownloadType {
    /// Downloaded into the container before the task starts.
    Download,
}

/// The `workflow` section.
///
/// ```
/// use osmo_values::configs::WorkflowConfig;
/// let ok: WorkflowConfig = serde_json::from_value(serde_json::json!({
///     "max_num_tasks": 100, "default_exec_timeout": "7d"})).unwrap();
/// assert_eq!(ok.max_num_tasks.unwrap().0, 100);
/// let number = serde_json::from_value::<WorkflowConfig>(serde_json::json!({
///     "default_exec_timeout": 7}));
/// assert!(number.is_err(), "a duration must be text");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowConfig {
    /// Where workflow inputs and outputs are stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_data: Option<DataConfig>,
    /// Where task logs are stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_log: Option<LogConfig>,
    /// Where workflow apps are stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_app: Option<LogConfig>,
    /// Tags and name length of workflows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_info: Option<WorkflowInfo>,
    /// The init and client images OSMO adds to every workflow pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_images: Option<BackendImages>,
    /// Slack and e-mail notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_alerts: Option<WorkflowAlerts>,
    /// Registries and storage whose credentials are not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_config: Option<CredentialChecks>,
    /// Per-user limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_workflow_limits: Option<UserWorkflowLimits>,
    /// Plugin settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugins_config: Option<PluginsConfig>,
    /// Most tasks in one workflow (20; the chart sets 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_num_tasks: Option<LaxInt>,
    /// Most ports one task may expose (30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_num_ports_per_task: Option<LaxInt>,
    /// Retries of a failed task (0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retry_per_task: Option<LaxInt>,
    /// Retries of a failed job (5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retry_per_job: Option<LaxInt>,
    /// Scheduling timeout (30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_schedule_timeout: Option<LaxInt>,
    /// Run time of a workflow that sets none (`60d`; the chart sets `7d`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_exec_timeout: Option<Duration>,
    /// Queue time of a workflow that sets none (`60d`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_queue_timeout: Option<Duration>,
    /// Longest run time a workflow may ask for (`60d`; the chart sets `30d`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_exec_timeout: Option<Duration>,
    /// Longest queue time a workflow may ask for (`60d`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_queue_timeout: Option<Duration>,
    /// Wait before a finished workflow's resources are removed by force (`1h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_cleanup_delay: Option<Duration>,
    /// Most log lines kept per workflow (10000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_log_lines: Option<LaxInt>,
    /// Most log lines kept per task (1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_task_log_lines: Option<LaxInt>,
    /// Most error-log lines kept (100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_error_log_lines: Option<LaxInt>,
    /// Most event-log lines kept (100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_event_log_lines: Option<LaxInt>,
    /// How often tasks report that they are alive (`10m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_heartbeat_frequency: Option<Duration>,
}

/// `workflow_data`: storage of workflow inputs and outputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// The storage credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub credential: Option<DataCredential>,
    /// Storage URI under which workflow data is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Minutes a task's control container keeps retrying to reach OSMO (1440).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub websocket_timeout: Option<LaxInt>,
    /// Minutes before an upload or download is retried (10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_timeout: Option<LaxInt>,
    /// How data reaches the containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_type: Option<DownloadType>,
}

/// `workflow_log` / `workflow_app`: a storage credential.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// The storage credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub credential: Option<DataCredential>,
}

/// `workflow_info`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowInfo {
    /// Tags users may put on workflows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Longest workflow name (64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_name_length: Option<LaxInt>,
}

/// `backend_images`: the images OSMO adds to workflow pods. In ConfigMap
/// mode nothing fills `init` and `client` in: set them to
/// `<registry>/init-container:<tag>` and `<registry>/client:<tag>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackendImages {
    /// The init container image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init: Option<String>,
    /// The client (control) container image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// Registry credentials to pull both.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "registry_credential"
    )]
    pub credential: Option<RegistryCredential>,
}

/// `workflow_alerts` (unknown keys are ignored here).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WorkflowAlerts {
    /// Slack bot token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slack_token: Option<String>,
    /// Mail server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_settings: Option<SmtpSettings>,
}

/// Mail server settings (unknown keys are ignored here).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SmtpSettings {
    /// Mail server host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Sender address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// Password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// `credential_config`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialChecks {
    /// Registries whose user credentials are not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_registry_validation: Option<Vec<String>>,
    /// Storage whose user credentials are not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_data_validation: Option<Vec<String>>,
}

/// `user_workflow_limits`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserWorkflowLimits {
    /// Most workflows one user may run (no limit when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub max_num_workflows: Option<PositiveInt>,
    /// Most tasks one user may run (no limit when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub max_num_tasks: Option<PositiveInt>,
    /// Workers rendering workflow templates (2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jinja_sandbox_workers: Option<LaxInt>,
    /// Seconds one template may render (0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jinja_sandbox_max_time: Option<LaxFloat>,
    /// Bytes one template render may use (104857600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jinja_sandbox_memory_limit: Option<LaxInt>,
}

/// `plugins_config`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PluginsConfig {
    /// The rsync plugin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rsync: Option<RsyncConfig>,
}

/// `plugins_config.rsync`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RsyncConfig {
    /// Whether users may rsync into running tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<LaxBool>,
    /// Whether rsync reports telemetry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_telemetry: Option<LaxBool>,
    /// Read bandwidth per pod in bytes per second; 0 means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_bandwidth_limit: Option<NonNegativeInt>,
    /// Write bandwidth per pod in bytes per second; 0 means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_bandwidth_limit: Option<NonNegativeInt>,
    /// Paths users may sync, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_paths: Option<BTreeMap<String, RsyncAllowedPath>>,
    /// Seconds the daemon waits for changes to settle (30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemon_debounce_delay: Option<PositiveFloat>,
    /// Seconds between the daemon's polls (120).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemon_poll_interval: Option<PositiveFloat>,
    /// Seconds between full reconciliations (60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemon_reconcile_interval: Option<PositiveFloat>,
    /// Client upload rate in bytes per second; 0 means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_upload_rate_limit: Option<NonNegativeInt>,
}

/// One path users may sync (unknown keys are ignored here).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RsyncAllowedPath {
    /// The path in the container.
    pub path: String,
    /// Whether users may write to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writable: Option<LaxBool>,
}
