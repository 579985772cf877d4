//! Value shapes shared by the four charts: Kubernetes structures people get
//! wrong (resources, tolerations, probes, security contexts) as small strict
//! types, image tags and pull policies, and the free-form maps the charts pass
//! through verbatim.
//!
//! Every field is an `Option`: a values file sets only what it overrides, and
//! an explicit `null` is how Helm deletes a chart default.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};

/// A free-form map of strings (labels, annotations, node selectors).
pub type StringMap = BTreeMap<String, String>;

/// A free-form object the chart copies into a manifest unchecked
/// (affinity, extra pod fields, Envoy route objects).
pub type FreeObject = serde_json::Map<String, serde_json::Value>;

/// A free-form list the chart copies into a manifest unchecked
/// (extra containers, volumes, volume mounts, environment variables).
pub type FreeList = Vec<serde_json::Value>;

/// Reads a key whose explicit `null` must survive a round trip: a missing key
/// stays `None`, while `key: null` becomes `Some(None)` and is written back as
/// `null` (Helm's way to delete a chart default). Use it with
/// `#[serde(default, deserialize_with = "explicit_null")]` on an
/// `Option<Option<T>>` field.
///
/// ```
/// use osmo_values::values::common::explicit_null;
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct S {
///     #[serde(default, deserialize_with = "explicit_null", skip_serializing_if = "Option::is_none")]
///     k: Option<Option<String>>,
/// }
/// let s: S = serde_json::from_str(r#"{"k": null}"#).unwrap();
/// assert_eq!(s.k, Some(None));
/// assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"k":null}"#);
/// let s: S = serde_json::from_str("{}").unwrap();
/// assert_eq!(s.k, None);
/// ```
pub fn explicit_null<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A scalar the chart renders through `quote`: a string, a number or a
/// boolean all end up as the same quoted text in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// A boolean, rendered as `"true"` or `"false"`.
    Bool(bool),
    /// A number, rendered as its decimal text.
    Number(serde_json::Number),
    /// A string, rendered as is.
    String(String),
}

/// A map whose values the chart quotes one by one, so numbers and booleans
/// are as good as strings.
pub type ScalarMap = BTreeMap<String, Scalar>;

/// An extra ConfigMap the chart creates from values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExtraConfigMap {
    /// Name of the ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Entries of the ConfigMap, file name to text content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<StringMap>,
}

/// What the scheduler does when a spread constraint cannot be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum WhenUnsatisfiable {
    /// Keep the pod pending until the constraint can be met.
    DoNotSchedule,
    /// Schedule anyway, preferring nodes that reduce the skew.
    ScheduleAnyway,
}

/// Whether node affinity or taints are honoured when counting spread domains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum NodeInclusionPolicy {
    /// Count only nodes the pod could be placed on.
    Honor,
    /// Count every node.
    Ignore,
}

/// How a Deployment's pods are spread over nodes or zones.
///
/// The charts add the label selector themselves and write every other key as
/// a plain `key: value` line, so nested objects (a `labelSelector`) are
/// refused and a list renders inline (only a one-item list comes out right).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TopologySpreadConstraint {
    /// Node label whose values define the domains, such as topology.kubernetes.io/zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology_key: Option<String>,
    /// Largest allowed difference in pod count between two domains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_skew: Option<u32>,
    /// What to do when the constraint cannot be met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_unsatisfiable: Option<WhenUnsatisfiable>,
    /// Fewest eligible domains assumed when counting the skew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_domains: Option<u32>,
    /// Whether the pod's node affinity limits the domains counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity_policy: Option<NodeInclusionPolicy>,
    /// Whether node taints limit the domains counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_taints_policy: Option<NodeInclusionPolicy>,
    /// One pod label key whose values also group the pods (the chart writes the list inline, so at most one key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1))]
    pub match_label_keys: Option<Vec<String>>,
}

/// A Kubernetes quantity such as `250m`, `1.5`, `64Mi` or `2`.
///
/// YAML lets people write `cpu: 2` or `cpu: "2"`; both are accepted. A
/// string must be a valid quantity, so `memory: 64MB` is rejected.
///
/// ```
/// use osmo_values::values::common::Quantity;
/// let q: Quantity = serde_json::from_str("\"500m\"").unwrap();
/// assert_eq!(q.as_text(), "500m");
/// assert!(serde_json::from_str::<Quantity>("\"64MB\"").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Quantity {
    /// A bare number (`2`, `0.5`).
    Number(serde_json::Number),
    /// A quantity string (`500m`, `1Gi`).
    Text(String),
}

/// The Kubernetes quantity grammar: a signed decimal number with an optional
/// exponent, binary suffix (`Ki`..`Ei`) or decimal suffix (`n`..`E`).
pub const QUANTITY_PATTERN: &str =
    r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$";

impl Quantity {
    /// The quantity as Kubernetes would read it from YAML.
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            Quantity::Number(n) => Cow::Owned(n.to_string()),
            Quantity::Text(s) => Cow::Borrowed(s),
        }
    }
}

/// Whether `s` follows the Kubernetes quantity grammar.
///
/// ```
/// use osmo_values::values::common::is_quantity;
/// assert!(is_quantity("1.5Gi") && is_quantity("100m") && is_quantity("1e3"));
/// assert!(!is_quantity("1.5 Gi") && !is_quantity("64MB") && !is_quantity(""));
/// ```
pub fn is_quantity(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let digits_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(digits_end);
    let dots = number.matches('.').count();
    let has_digit = number.chars().any(|c| c.is_ascii_digit());
    if !has_digit || dots > 1 {
        return false;
    }
    match suffix {
        "" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "n" | "u" | "m" | "k" | "M" | "G" | "T"
        | "P" | "E" => true,
        exp => {
            let Some(rest) = exp.strip_prefix(['e', 'E']) else {
                return false;
            };
            let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
        }
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(serde_json::Number),
            Text(String),
        }
        match Raw::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom("expected a Kubernetes quantity such as 500m, 2 or 1Gi")
        })? {
            Raw::Number(n) => Ok(Quantity::Number(n)),
            Raw::Text(s) if is_quantity(&s) => Ok(Quantity::Text(s)),
            Raw::Text(s) => Err(serde::de::Error::custom(format!(
                "`{s}` is not a Kubernetes quantity (examples: 500m, 2, 1Gi, 512Mi)"
            ))),
        }
    }
}

impl JsonSchema for Quantity {
    fn schema_name() -> Cow<'static, str> {
        "Quantity".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A Kubernetes quantity: a number, or a string such as 500m, 1.5, 64Mi or 2Gi.",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": QUANTITY_PATTERN }
            ]
        })
    }
}

/// Amounts of compute resources, keyed by resource name.
///
/// `cpu`, `memory` and `ephemeral-storage` are the usual names; extended
/// resources (`nvidia.com/gpu`) and `hugepages-<size>` are accepted too. Any
/// other bare name is rejected: it is nearly always a typo such as `memroy`.
/// A `null` amount deletes the chart's default for that resource (a common
/// way to drop a CPU limit).
///
/// ```
/// use osmo_values::values::common::ResourceList;
/// let r: ResourceList = serde_json::from_str(r#"{"cpu": null, "memory": "1Gi"}"#).unwrap();
/// assert_eq!(r.0["cpu"], None);
/// assert!(serde_json::from_str::<ResourceList>(r#"{"memroy": "1Gi"}"#).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ResourceList(pub BTreeMap<String, Option<Quantity>>);

/// Resource names Kubernetes knows without a domain prefix.
pub const CORE_RESOURCE_NAMES: [&str; 3] = ["cpu", "memory", "ephemeral-storage"];

/// Whether `name` is a resource name Kubernetes accepts in requests/limits.
pub fn is_resource_name(name: &str) -> bool {
    CORE_RESOURCE_NAMES.contains(&name) || name.starts_with("hugepages-") || name.contains('/')
}

impl<'de> Deserialize<'de> for ResourceList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, Option<Quantity>>::deserialize(deserializer)?;
        if let Some(bad) = map.keys().find(|k| !is_resource_name(k)) {
            return Err(serde::de::Error::custom(format!(
                "unknown resource `{bad}`, expected one of `cpu`, `memory`, `ephemeral-storage`, \
                 `hugepages-<size>` or a domain-prefixed name such as `nvidia.com/gpu`"
            )));
        }
        Ok(ResourceList(map))
    }
}

impl JsonSchema for ResourceList {
    fn schema_name() -> Cow<'static, str> {
        "ResourceList".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let amount = json_schema!({
            "description": "A Kubernetes quantity (500m, 2, 1Gi), or null to delete the chart's default.",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": QUANTITY_PATTERN },
                { "type": "null" }
            ]
        });
        json_schema!({
            "description": "Resource amounts by name: cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource such as nvidia.com/gpu.",
            "type": "object",
            "properties": {
                "cpu": amount,
                "memory": amount,
                "ephemeral-storage": amount
            },
            "patternProperties": {
                "^hugepages-": amount,
                "/": amount
            },
            "additionalProperties": false
        })
    }
}

/// Compute resource requests and limits of a container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// Resources the scheduler reserves for the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<ResourceList>,
    /// Most the container may use; exceeding the memory limit kills it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceList>,
    /// Dynamic resource claims the container uses, by claim name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<ResourceClaim>>,
}

/// A reference to one of the pod's dynamic resource claims.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceClaim {
    /// Name of the claim in the pod's resourceClaims.
    pub name: String,
    /// Request within the claim to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
}

/// When Kubernetes pulls a container image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ImagePullPolicy {
    /// Pull on every container start.
    Always,
    /// Pull only when the node lacks the image.
    IfNotPresent,
    /// Never pull; the image must already be on the node.
    Never,
}

/// A container image tag. Always a string: an unquoted `6.10` is the YAML
/// number 6.1, so a bare number is rejected.
///
/// ```
/// use osmo_values::values::common::ImageTag;
/// assert!(serde_json::from_str::<ImageTag>("\"6.2.10\"").is_ok());
/// assert!(serde_json::from_str::<ImageTag>("6.10").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(
    description = "A container image tag, always a quoted string (6.10 unquoted is the number 6.1)."
)]
pub struct ImageTag(pub String);

/// A value Kubernetes accepts as either an integer or a string
/// (container ports by number or by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum IntOrString {
    /// A number, such as a port number.
    Int(i64),
    /// A name, such as a named container port.
    String(String),
}

/// How a taint's key is matched by a toleration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TolerationOperator {
    /// Tolerates any value of the key.
    Exists,
    /// Tolerates only the given value.
    Equal,
}

/// The effect of a taint a toleration matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TaintEffect {
    /// New pods are not scheduled on the node.
    NoSchedule,
    /// The scheduler avoids the node when it can.
    PreferNoSchedule,
    /// Running pods are evicted from the node.
    NoExecute,
}

/// Lets a pod be scheduled onto nodes with a matching taint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Toleration {
    /// Taint key to match; empty with operator Exists matches every taint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// How the key is matched (Equal when omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<TolerationOperator>,
    /// Taint value to match when the operator is Equal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Taint effect to match; empty matches every effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<TaintEffect>,
    /// Seconds a NoExecute taint is tolerated before eviction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

/// A health check Kubernetes runs against a container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probe {
    /// Probe by an HTTP GET request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_get: Option<HttpGetAction>,
    /// Probe by a gRPC health check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc: Option<GrpcAction>,
    /// Probe by opening a TCP connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<TcpSocketAction>,
    /// Probe by running a command in the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecAction>,
    /// Seconds after the container starts before the first probe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_delay_seconds: Option<u32>,
    /// Seconds between probes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_seconds: Option<u32>,
    /// Seconds before a probe attempt times out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u32>,
    /// Consecutive failures before the probe counts as failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_threshold: Option<u32>,
    /// Consecutive successes before the probe counts as passed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_threshold: Option<u32>,
    /// Grace period in seconds when a failed probe kills the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
}

/// An HTTP GET health check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HttpGetAction {
    /// Path to request, such as `/health`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Container port number or name to connect to.
    pub port: IntOrString,
    /// Host to connect to; the pod IP when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// HTTP or HTTPS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<HttpScheme>,
    /// Extra request headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_headers: Option<Vec<HttpHeader>>,
}

/// The scheme of an HTTP probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum HttpScheme {
    /// Plain HTTP.
    #[serde(rename = "HTTP")]
    Http,
    /// HTTP over TLS, without certificate verification.
    #[serde(rename = "HTTPS")]
    Https,
}

/// One HTTP header sent by a probe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpHeader {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
}

/// A gRPC health check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrpcAction {
    /// Port of the gRPC server.
    pub port: u16,
    /// Service name passed to the health check; empty checks the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

/// A TCP connection health check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TcpSocketAction {
    /// Container port number or name to connect to.
    pub port: IntOrString,
    /// Host to connect to; the pod IP when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

/// A command health check; exit status 0 is healthy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecAction {
    /// Command and arguments, run without a shell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
}

/// Linux capabilities added to or dropped from a container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// Capabilities to add, such as `NET_ADMIN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add: Option<Vec<String>>,
    /// Capabilities to drop, such as `ALL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<Vec<String>>,
}

/// The seccomp profile applied to a container or pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SeccompProfile {
    /// RuntimeDefault, Localhost or Unconfined.
    #[serde(rename = "type")]
    pub kind: SeccompProfileType,
    /// Profile file on the node, for type Localhost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localhost_profile: Option<String>,
}

/// Which seccomp profile to use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SeccompProfileType {
    /// The container runtime's default profile.
    #[default]
    RuntimeDefault,
    /// A profile file on the node.
    Localhost,
    /// No seccomp filtering.
    Unconfined,
}

/// Security settings of one container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecurityContext {
    /// Whether a process may gain more privileges than its parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_privilege_escalation: Option<bool>,
    /// Linux capabilities to add or drop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Capabilities>,
    /// Run the container privileged (root on the host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileged: Option<bool>,
    /// Mount the root filesystem read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_root_filesystem: Option<bool>,
    /// Refuse to start when the image would run as root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_non_root: Option<bool>,
    /// User id the process runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_user: Option<i64>,
    /// Primary group id the process runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_group: Option<i64>,
    /// The seccomp profile of the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp_profile: Option<SeccompProfile>,
    /// SELinux context of the container (user, role, type, level).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub se_linux_options: Option<StringMap>,
    /// Which /proc mount to use: Default or Unmasked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proc_mount: Option<String>,
}

/// Security settings of a whole pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PodSecurityContext {
    /// Group that owns mounted volumes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_group: Option<i64>,
    /// When volume ownership is changed: OnRootMismatch or Always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_group_change_policy: Option<String>,
    /// Refuse to start containers that would run as root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_non_root: Option<bool>,
    /// User id the containers run as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_user: Option<i64>,
    /// Primary group id the containers run as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_group: Option<i64>,
    /// Extra group ids of the containers' processes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplemental_groups: Option<Vec<i64>>,
    /// The seccomp profile of the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp_profile: Option<SeccompProfile>,
    /// Namespaced kernel parameters, as name/value objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sysctls: Option<Vec<Sysctl>>,
    /// SELinux context of the pod (user, role, type, level).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub se_linux_options: Option<StringMap>,
}

/// One namespaced kernel parameter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sysctl {
    /// Parameter name, such as `net.core.somaxconn`.
    pub name: String,
    /// Parameter value.
    pub value: String,
}

/// A key removed from the chart in 1.2.1. Accepted so that older files still
/// install, but it has no effect; the linter warns about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Removed(pub serde_json::Value);

impl JsonSchema for Removed {
    fn schema_name() -> Cow<'static, str> {
        "Removed".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Removed from the chart in 1.2.1: accepted, but has no effect. Delete it."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_grammar_matches_kubernetes() {
        for good in [
            "1", "0.5", ".5", "1.", "500m", "64Mi", "1Gi", "2e3", "1E-2", "+1", "-1k",
        ] {
            assert!(is_quantity(good), "{good} should be a quantity");
        }
        for bad in [
            "", "m", "1.2.3", "64MB", "1 Gi", "1e", "1ki", "Gi1", "0x10", ".",
        ] {
            assert!(!is_quantity(bad), "{bad} should not be a quantity");
        }
    }

    #[test]
    fn quantity_pattern_agrees_with_parser() {
        let re = regex_lite_match;
        for s in [
            "1", "0.5", ".5", "500m", "64Mi", "2e3", "64MB", "1 Gi", "1e", ".",
        ] {
            assert_eq!(
                is_quantity(s),
                re(s),
                "pattern and parser disagree on {s:?}"
            );
        }
    }

    /// Validates `s` against [`QUANTITY_PATTERN`] through a JSON Schema, so
    /// the pattern in the published schema is the one under test.
    fn regex_lite_match(s: &str) -> bool {
        #[cfg(feature = "validate")]
        {
            let schema = serde_json::json!({"type": "string", "pattern": QUANTITY_PATTERN});
            jsonschema::is_valid(&schema, &serde_json::json!(s))
        }
        #[cfg(not(feature = "validate"))]
        {
            is_quantity(s)
        }
    }

    #[test]
    fn resource_list_rejects_typos_and_accepts_extended_names() {
        let ok: ResourceList =
            serde_json::from_str(r#"{"cpu": 1, "memory": "1Gi", "nvidia.com/gpu": 1}"#).unwrap();
        assert_eq!(ok.0.len(), 3);
        let err = serde_json::from_str::<ResourceList>(r#"{"memroy": "1Gi"}"#).unwrap_err();
        assert!(err.to_string().contains("memroy"), "{err}");
    }
}
