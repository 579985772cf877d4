//! Values of the `router` chart.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Values of the `router` chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouterValues {
    /// Overrides the chart name used in resource names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_override: Option<String>,
    /// Overrides the full name used in resource names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fullname_override: Option<String>,
    /// Sidecar containers of the router chart: Envoy, oauth2-proxy and friends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecars: Option<crate::values::sidecars::RouterSidecars>,
}
