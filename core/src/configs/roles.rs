//! `roles`: who may do what, read both by the Python service (when roles are
//! listed or assigned) and by the Go authorization service (at start, for
//! every request).
//!
//! The role's name is its key. Each policy allows or denies `actions`
//! (`resource:Action`) on `resources` (`*`, `pool/<name>`, `bucket/*`);
//! without resources a policy matches only requests not scoped to a
//! resource. The authorization service reads the lists with a strict YAML
//! decoder: a single string where a list is expected stops it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::credential::checked_string;
use super::formats::Check;
use super::lax::LaxBool;

checked_string!(
    /// A policy action `resource:Action`, such as `workflow:Create`,
    /// `pool:List`, `workflow:*` or `*:*`.
    ///
    /// ```
    /// use osmo_values::configs::roles::Action;
    /// assert!(Action::new("dataset:*").is_ok());
    /// assert!(Action::new("dataset").is_err());
    /// ```
    Action, Check::Action
);

/// Whether a matching policy allows or denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Effect {
    /// Allows (the default).
    Allow,
    /// Denies, over any Allow of the same role.
    Deny,
}

/// How identity-provider claims assign the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SyncMode {
    /// Given to every user.
    Force,
    /// Taken from the identity provider's groups (the default).
    Import,
    /// Managed by hand.
    Ignore,
}

/// One role (unknown keys are ignored by the service).
///
/// ```
/// use osmo_values::configs::Role;
/// let r: Role = serde_json::from_value(serde_json::json!({
///     "description": "GPU team",
///     "policies": [{"actions": ["workflow:*"], "resources": ["pool/gpu"]}],
///     "external_roles": ["gpu-team"]})).unwrap();
/// assert_eq!(r.policies.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Role {
    /// What the role is for. Required by the service.
    pub description: String,
    /// The role's policies. Required.
    pub policies: Vec<Policy>,
    /// Whether the role may be changed through the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<LaxBool>,
    /// How identity-provider claims assign it (`import`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_mode: Option<SyncMode>,
    /// Identity-provider groups that receive the role; missing or empty, the
    /// group with the role's own name does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub external_roles: Option<Vec<String>>,
}

/// One policy of a role (unknown keys are ignored by the service).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Policy {
    /// `Allow` (the default) or `Deny`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
    /// Actions, `resource:Action`. A list, even of one.
    pub actions: Vec<Action>,
    /// Resources: `*`, `pool/<name>`, `pool/*`, `bucket/<name>`. A list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
}
