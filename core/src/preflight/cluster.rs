//! What `kubectl` shows of a cluster, read from the JSON of three commands:
//! `kubectl get nodes -o json`, `kubectl get storageclass -o json` and
//! `kubectl version -o json`. Only the fields the checks read are kept; every
//! other field is ignored, so newer Kubernetes versions read the same.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::lint::quantity::Quantity;

/// Which of the three kubectl outputs a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// `kubectl get nodes -o json`.
    Nodes,
    /// `kubectl get storageclass -o json`.
    StorageClasses,
    /// `kubectl version -o json`.
    Version,
}

impl Source {
    /// All three, in the order they are read.
    pub const ALL: [Source; 3] = [Source::Nodes, Source::StorageClasses, Source::Version];

    /// The kubectl arguments that print it.
    pub fn kubectl_args(self) -> &'static [&'static str] {
        match self {
            Source::Nodes => &["get", "nodes", "-o", "json"],
            Source::StorageClasses => &["get", "storageclass", "-o", "json"],
            Source::Version => &["version", "-o", "json"],
        }
    }

    /// The command line, for messages: `kubectl get nodes -o json`.
    pub fn command(self) -> String {
        format!("kubectl {}", self.kubectl_args().join(" "))
    }

    /// The file `osmo-values preflight --from DIR` reads it from.
    pub fn file_name(self) -> &'static str {
        match self {
            Source::Nodes => "nodes.json",
            Source::StorageClasses => "storageclasses.json",
            Source::Version => "version.json",
        }
    }
}

/// A kubectl output that cannot be read: where and why. The caller names the file or command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    /// Which output.
    pub output: Source,
    /// 1-based line of the problem, when it has a place.
    pub line: Option<usize>,
    /// 1-based column of the problem, when it has a place.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "line {l} column {c}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A taint on a node.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Taint {
    /// Taint key.
    pub key: String,
    /// Taint value, if any.
    #[serde(default)]
    pub value: Option<String>,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    #[serde(default)]
    pub effect: String,
}

impl fmt::Display for Taint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value.as_deref() {
            Some(v) if !v.is_empty() => write!(f, "{}={}:{}", self.key, v, self.effect),
            _ => write!(f, "{}:{}", self.key, self.effect),
        }
    }
}

/// One node, as much as the checks read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Node {
    /// Node name.
    pub name: String,
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// Its taints.
    pub taints: Vec<Taint>,
    /// `status.capacity`: what the machine has (`cpu`, `memory`, `ephemeral-storage`,
    /// `nvidia.com/gpu`).
    pub capacity: BTreeMap<String, String>,
    /// `status.allocatable`: what pods may use after the system's reservations.
    pub allocatable: BTreeMap<String, String>,
    /// `status.nodeInfo.containerRuntimeVersion`, such as `containerd://1.7.27`.
    pub container_runtime: String,
    /// `status.nodeInfo.kubeletVersion`.
    pub kubelet_version: String,
    /// `status.nodeInfo.kernelVersion`, such as `5.15.148-tegra`.
    pub kernel_version: String,
    /// `status.nodeInfo.osImage`, such as `Ubuntu 22.04.4 LTS`.
    pub os_image: String,
    /// `status.nodeInfo.architecture`: `amd64`, `arm64`, ...
    pub architecture: String,
    /// The `Ready` condition: `Some(true)` ready, `Some(false)` not, `None` not reported.
    pub ready: Option<bool>,
    /// Cordoned (`spec.unschedulable`).
    pub unschedulable: bool,
    /// `spec.providerID`, such as `aws:///us-west-2a/i-0abc`.
    pub provider_id: String,
}

impl Node {
    /// A quantity of `status.capacity`, or of `status.allocatable` when the capacity is not
    /// reported.
    pub fn capacity_of(&self, resource: &str) -> Option<Quantity> {
        self.capacity
            .get(resource)
            .or_else(|| self.allocatable.get(resource))
            .and_then(|q| Quantity::parse(q))
    }

    /// A quantity of `status.allocatable`.
    pub fn allocatable_of(&self, resource: &str) -> Option<Quantity> {
        self.allocatable
            .get(resource)
            .and_then(|q| Quantity::parse(q))
    }

    /// Whether new pods can be scheduled on it: ready and not cordoned.
    pub fn takes_pods(&self) -> bool {
        self.ready != Some(false) && !self.unschedulable
    }
}

/// A StorageClass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageClass {
    /// Its name.
    pub name: String,
    /// Its provisioner, such as `ebs.csi.aws.com`.
    pub provisioner: String,
    /// Marked as the cluster's default.
    pub default: bool,
}

/// The annotations that make a StorageClass the default (the current one and the older beta one).
pub const DEFAULT_CLASS_ANNOTATIONS: [&str; 2] = [
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
];

/// Everything the checks read about one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The nodes, sorted by name.
    pub nodes: Vec<Node>,
    /// The StorageClasses.
    pub storage_classes: Vec<StorageClass>,
    /// The API server's `gitVersion`, such as `v1.30.4-eks-a737599`.
    pub server_version: String,
}

impl Cluster {
    /// Reads the three outputs.
    ///
    /// ```
    /// use osmo_values::preflight::cluster::{Cluster, Source};
    /// let nodes = r#"{"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "n1"},
    ///   "status": {"nodeInfo": {"containerRuntimeVersion": "containerd://1.7.27"}}}]}"#;
    /// let classes = r#"{"items": []}"#;
    /// let version = r#"{"serverVersion": {"gitVersion": "v1.30.4"}}"#;
    /// let cluster = Cluster::parse(nodes, classes, version).unwrap();
    /// assert_eq!(cluster.nodes[0].container_runtime, "containerd://1.7.27");
    ///
    /// let err = Cluster::parse("{\n  \"items\": [\n    {,", classes, version).unwrap_err();
    /// assert_eq!(err.output, Source::Nodes);
    /// assert_eq!((err.line, err.column), (Some(3), Some(6)));
    /// ```
    pub fn parse(nodes: &str, storage_classes: &str, version: &str) -> Result<Cluster, InputError> {
        Ok(Cluster {
            nodes: parse_nodes(nodes)?,
            storage_classes: parse_storage_classes(storage_classes)?,
            server_version: parse_server_version(version)?,
        })
    }
}

/// Reads `kubectl get nodes -o json`.
pub fn parse_nodes(text: &str) -> Result<Vec<Node>, InputError> {
    let list: RawList<RawNode> = read(Source::Nodes, text)?;
    let items = list_items(Source::Nodes, list, "Node")?;
    let mut nodes: Vec<Node> = items
        .into_iter()
        .map(|n| {
            let status = n.status.unwrap_or_default();
            let info = status.node_info.unwrap_or_default();
            let spec = n.spec.unwrap_or_default();
            let ready = status
                .conditions
                .unwrap_or_default()
                .into_iter()
                .find(|c| c.kind == "Ready")
                .map(|c| c.status == "True");
            Node {
                name: n.metadata.name,
                labels: n.metadata.labels.unwrap_or_default(),
                taints: spec.taints.unwrap_or_default(),
                capacity: status.capacity.unwrap_or_default(),
                allocatable: status.allocatable.unwrap_or_default(),
                container_runtime: info.container_runtime_version,
                kubelet_version: info.kubelet_version,
                kernel_version: info.kernel_version,
                os_image: info.os_image,
                architecture: info.architecture,
                ready,
                unschedulable: spec.unschedulable.unwrap_or(false),
                provider_id: spec.provider_id.unwrap_or_default(),
            }
        })
        .collect();
    nodes.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(nodes)
}

/// Reads `kubectl get storageclass -o json`.
pub fn parse_storage_classes(text: &str) -> Result<Vec<StorageClass>, InputError> {
    let list: RawList<RawStorageClass> = read(Source::StorageClasses, text)?;
    let items = list_items(Source::StorageClasses, list, "StorageClass")?;
    Ok(items
        .into_iter()
        .map(|c| {
            let annotations = c.metadata.annotations.unwrap_or_default();
            StorageClass {
                default: DEFAULT_CLASS_ANNOTATIONS
                    .iter()
                    .any(|a| annotations.get(*a).is_some_and(|v| v == "true")),
                name: c.metadata.name,
                provisioner: c.provisioner.unwrap_or_default(),
            }
        })
        .collect())
}

/// Reads `kubectl version -o json`: the server's `gitVersion`.
pub fn parse_server_version(text: &str) -> Result<String, InputError> {
    let v: RawVersion = read(Source::Version, text)?;
    match v.server_version.and_then(|s| s.git_version) {
        Some(git) if !git.is_empty() => Ok(git),
        _ => Err(InputError {
            output: Source::Version,
            line: None,
            column: None,
            message: "no serverVersion.gitVersion: kubectl printed only its own version, so it could not reach the cluster".into(),
        }),
    }
}

fn read<T: DeserializeOwned>(source: Source, text: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (line, column) = (inner.line(), inner.column());
        let mut message = serde_message(&inner);
        if inner.classify() == serde_json::error::Category::Data && !path.is_empty() && path != "."
        {
            message = format!("at {path}: {message}");
        }
        InputError {
            output: source,
            line: (line > 0).then_some(line),
            column: (line > 0).then_some(column),
            message,
        }
    })?;
    de.end().map_err(|e| InputError {
        output: source,
        line: Some(e.line()),
        column: Some(e.column()),
        message: "more text after the JSON document".into(),
    })?;
    Ok(value)
}

/// serde_json's message without its trailing " at line L column C" (the place is given
/// separately) and with an empty input named as such.
fn serde_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    };
    if message == "EOF while parsing a value" && e.line() == 1 && e.column() == 0 {
        return "the file is empty: it should hold the JSON that kubectl printed".into();
    }
    // "invalid type: integer `4`, expected a string" → "expected a string, found integer `4`"
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("expected {}, found {found}", plain_type(expected));
    }
    message
}

/// serde's name of an expected type in JSON's words: our structs and maps are objects.
fn plain_type(expected: &str) -> String {
    if expected.starts_with("struct ") || expected == "a map" {
        "an object".to_owned()
    } else {
        expected.to_owned()
    }
}

fn list_items<T: Kinded>(
    source: Source,
    list: RawList<T>,
    expected: &str,
) -> Result<Vec<T>, InputError> {
    let wrong = |message: String| InputError {
        output: source,
        line: None,
        column: None,
        message,
    };
    let Some(items) = list.items else {
        return Err(wrong(match list.kind.as_deref() {
            Some(k) if !k.is_empty() && !k.ends_with("List") => format!(
                "this is a single {k}, not a list: write the output of `{}`",
                source.command()
            ),
            _ => format!(
                "no `items` list: this is not the output of `{}`",
                source.command()
            ),
        }));
    };
    if let Some(other) = items
        .iter()
        .filter_map(|i| i.kind())
        .find(|k| !k.is_empty() && *k != expected)
    {
        return Err(wrong(format!(
            "the items are {other} objects, not {expected}s: this is not the output of `{}`",
            source.command()
        )));
    }
    Ok(items)
}

trait Kinded {
    fn kind(&self) -> Option<&str>;
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct RawList<T> {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    items: Option<Vec<T>>,
}

#[derive(Deserialize, Default)]
struct RawMetadata {
    #[serde(default)]
    name: String,
    #[serde(default)]
    labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    annotations: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
struct RawNode {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    metadata: RawMetadata,
    #[serde(default)]
    spec: Option<RawNodeSpec>,
    #[serde(default)]
    status: Option<RawNodeStatus>,
}

impl Kinded for RawNode {
    fn kind(&self) -> Option<&str> {
        self.kind.as_deref()
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawNodeSpec {
    #[serde(default)]
    taints: Option<Vec<Taint>>,
    #[serde(default)]
    unschedulable: Option<bool>,
    #[serde(default, rename = "providerID")]
    provider_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawNodeStatus {
    #[serde(default)]
    capacity: Option<BTreeMap<String, String>>,
    #[serde(default)]
    allocatable: Option<BTreeMap<String, String>>,
    #[serde(default)]
    node_info: Option<RawNodeInfo>,
    #[serde(default)]
    conditions: Option<Vec<RawCondition>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawNodeInfo {
    container_runtime_version: String,
    kubelet_version: String,
    kernel_version: String,
    os_image: String,
    architecture: String,
}

#[derive(Deserialize)]
struct RawCondition {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    status: String,
}

#[derive(Deserialize)]
struct RawStorageClass {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    metadata: RawMetadata,
    #[serde(default)]
    provisioner: Option<String>,
}

impl Kinded for RawStorageClass {
    fn kind(&self) -> Option<&str> {
        self.kind.as_deref()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawVersion {
    #[serde(default)]
    server_version: Option<RawServerVersion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawServerVersion {
    #[serde(default)]
    git_version: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_place_and_the_problem() {
        let err = parse_nodes("").unwrap_err();
        assert!(err.message.contains("empty"), "{err}");
        let err =
            parse_nodes("{\"items\": [{\"metadata\": {\"labels\": {\"a\": 1}}}]}").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(
            err.message == "at items[0].metadata.labels.a: expected a string, found integer `1`",
            "{err}"
        );
        let err = parse_nodes("[]").unwrap_err();
        assert!(err.message.starts_with("no `items` list"), "{err}");
        let err = parse_nodes("{\"items\": [1]}").unwrap_err();
        assert_eq!(
            err.message,
            "at items[0]: expected an object, found integer `1`"
        );
        let err = parse_nodes("{\"items\": [{\"metadata\": {\"labels\": []}}]}").unwrap_err();
        assert_eq!(
            err.message,
            "at items[0].metadata.labels: expected an object, found sequence"
        );
        let err = parse_nodes("{\"items\": []} x").unwrap_err();
        assert!(err.message.contains("more text"), "{err}");
    }

    #[test]
    fn swapped_files_are_named() {
        let classes =
            r#"{"kind": "List", "items": [{"kind": "StorageClass", "metadata": {"name": "gp3"}}]}"#;
        let err = parse_nodes(classes).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the items are StorageClass objects, not Nodes: this is not the output of `kubectl get nodes -o json`"
        );
        let one = r#"{"kind": "Node", "metadata": {"name": "n1"}}"#;
        assert!(
            parse_nodes(one)
                .unwrap_err()
                .message
                .contains("single Node")
        );
        let err =
            parse_server_version(r#"{"clientVersion": {"gitVersion": "v1.31.0"}}"#).unwrap_err();
        assert!(err.message.contains("could not reach"), "{err}");
    }

    #[test]
    fn default_classes_by_either_annotation() {
        let text = r#"{"items": [
            {"metadata": {"name": "a", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}},
            {"metadata": {"name": "b", "annotations": {"storageclass.beta.kubernetes.io/is-default-class": "true"}}},
            {"metadata": {"name": "c", "annotations": {"storageclass.kubernetes.io/is-default-class": "false"}}},
            {"metadata": {"name": "d"}}
        ]}"#;
        let defaults: Vec<bool> = parse_storage_classes(text)
            .unwrap()
            .iter()
            .map(|c| c.default)
            .collect();
        assert_eq!(defaults, [true, true, false, false]);
    }
}
