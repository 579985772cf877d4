//! The `service` section: the API service's own settings.
//!
//! Validated when the service starts and at every reload; an unknown key or
//! a value of the wrong type stops the service (FACTS-6.3 §5.3).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::credential::checked_string;
use super::formats::Check;
use super::lax::LaxInt;
use super::workflow::Duration;

checked_string!(
    /// A CLI version `major.minor.revision` (optionally `.build`), or empty.
    ///
    /// ```
    /// use osmo_values::configs::service::CliVersion;
    /// assert!(CliVersion::new("6.3.1").is_ok());
    /// assert!(CliVersion::new("6.3").is_err());
    /// ```
    CliVersion, Check::CliVersion
);

/// The `service` section.
///
/// ```
/// use osmo_values::configs::ServiceConfig;
/// let ok: ServiceConfig = serde_json::from_value(serde_json::json!({
///     "service_base_url": "https://osmo.example.com", "agent_queue_size": "2048"})).unwrap();
/// assert_eq!(ok.agent_queue_size.unwrap().0, 2048);
/// let typo = serde_json::from_value::<ServiceConfig>(serde_json::json!({"service_url": "x"}));
/// assert!(typo.is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    /// The URL users and workflow pods reach OSMO at, such as
    /// `https://osmo.example.com`. In ConfigMap mode nothing fills it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_base_url: Option<String>,
    /// The keys OSMO signs its tokens with. The service creates and keeps
    /// them itself; setting them here puts private keys in a ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_auth: Option<ServiceAuth>,
    /// What the service tells the CLI about versions and where to get it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cli_config: Option<CliConfig>,
    /// Longest time over which a task's pod restarts are counted (`30m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pod_restart_limit: Option<Duration>,
    /// Length of the agent's message queue (1024).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_queue_size: Option<LaxInt>,
}

/// The token-signing settings (unknown keys are ignored here).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ServiceAuth {
    /// Signing key pairs by key id.
    pub keys: BTreeMap<String, KeyPair>,
    /// The key id used to sign new tokens.
    pub active_key: String,
    /// The tokens' issuer.
    pub issuer: String,
    /// The tokens' audience.
    pub audience: String,
    /// Roles every user gets (`[osmo-user]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_roles: Option<Vec<String>>,
    /// Roles of OSMO's own containers (`[osmo-user, osmo-ctrl]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctrl_roles: Option<Vec<String>>,
    /// Identity-provider endpoints the CLI logs in through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_info: Option<LoginInfo>,
    /// Longest lifetime of an access token (`365d`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_token_duration: Option<String>,
}

/// One signing key pair.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KeyPair {
    /// PEM public key.
    pub public_key: String,
    /// PEM private key.
    pub private_key: String,
}

/// Identity-provider endpoints for CLI log-in (unknown keys are ignored).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LoginInfo {
    /// Device-code endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub device_endpoint: Option<String>,
    /// Client id for the device flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub device_client_id: Option<String>,
    /// Browser log-in endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub browser_endpoint: Option<String>,
    /// Client id for the browser flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub browser_client_id: Option<String>,
    /// Token endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub token_endpoint: Option<String>,
    /// Log-out endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub logout_endpoint: Option<String>,
}

/// What the service tells the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CliConfig {
    /// Newest CLI version, `major.minor.revision`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub latest_version: Option<CliVersion>,
    /// Oldest CLI version still served, `major.minor.revision`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub min_supported_version: Option<CliVersion>,
    /// Where users download the CLI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub client_install_url: Option<String>,
}
