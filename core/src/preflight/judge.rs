//! One function per requirement: what the cluster shows against what the
//! guides ask for.

use std::collections::BTreeMap;

use crate::backend::requirements::{GPU_LABEL, JETSON_LABEL, Requirements, requirements};
use crate::backend::version::{Floor, Version};
use crate::backend::{BackendKind, NodeLabel, effect_name, tolerates};
use crate::lint::quantity::Quantity;
use crate::values::common::TaintEffect;

use super::cluster::{Cluster, Node};
use super::{Check, Expected, Requirement, Status};

/// Every check that applies.
pub(super) fn all(cluster: &Cluster, expected: &Expected) -> Vec<Check> {
    let req = requirements(expected.kind, expected.release);
    let ctx = Ctx {
        cluster,
        expected,
        req,
    };
    let mut out = vec![
        ctx.kubernetes_version(),
        ctx.backend_kind(),
        ctx.node_architecture(),
        ctx.containerd(),
        ctx.default_storage_class(),
        ctx.operator_nodes_check(),
        ctx.compute_nodes(),
        ctx.registries(),
    ];
    out.extend(ctx.control_plane());
    out.extend(ctx.operator_node_size());
    out.extend(ctx.operator_node_taints());
    out.extend(ctx.compute_os());
    out.extend(ctx.gpu_driver());
    out.extend(ctx.cuda());
    out.extend(ctx.jetpack());
    out
}

struct Ctx<'a> {
    cluster: &'a Cluster,
    expected: &'a Expected,
    req: &'static Requirements,
}

fn check(
    requirement: Requirement,
    status: Status,
    found: impl Into<String>,
    needed: impl Into<String>,
) -> Check {
    Check {
        requirement,
        title: requirement.title(),
        status,
        found: found.into(),
        needed: needed.into(),
        nodes: Vec::new(),
        hint: None,
    }
}

impl Check {
    fn nodes<'n>(mut self, nodes: impl IntoIterator<Item = &'n Node>) -> Check {
        self.nodes = nodes.into_iter().map(|n| n.name.clone()).collect();
        self
    }

    fn hint(mut self, hint: impl Into<String>) -> Check {
        self.hint = Some(hint.into());
        self
    }
}

/// "1 node" / "3 nodes".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `a, b, c` (at most `max` names, then "and N more").
fn names(nodes: &[&Node], max: usize) -> String {
    let mut out: Vec<String> = nodes.iter().take(max).map(|n| n.name.clone()).collect();
    if nodes.len() > max {
        out.push(format!("and {} more", nodes.len() - max));
    }
    out.join(", ")
}

/// CPU cores as people write them: `4`, `3.92`.
fn cores(q: Quantity) -> String {
    let v = q.to_f64();
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Bytes in GB (10^9), one decimal: `16.5 GB`.
fn gb(q: Quantity) -> String {
    format!("{:.1} GB", q.to_f64() / 1e9)
}

fn gb_quantity(n: u32) -> Quantity {
    Quantity::parse(&format!("{n}G")).expect("a whole number of GB is a quantity")
}

fn cpu_quantity(n: u32) -> Quantity {
    Quantity::parse(&n.to_string()).expect("a whole number is a quantity")
}

/// The shortfalls of a node against a size: CPU, memory and disk below the figures, or not
/// reported. Also the node's size, for the message.
struct Size {
    text: String,
    short: Vec<String>,
    unknown: Vec<&'static str>,
}

fn size(node: &Node, cpu: u32, memory_gb: u32, disk_gb: u32) -> Size {
    let mut parts = Vec::new();
    let mut short = Vec::new();
    let mut unknown = Vec::new();
    match node.capacity_of("cpu") {
        Some(q) => {
            parts.push(format!("{} CPU", cores(q)));
            if q < cpu_quantity(cpu) {
                short.push(format!("{} CPU", cores(q)));
            }
        }
        None => unknown.push("CPU"),
    }
    match node.capacity_of("memory") {
        Some(q) => {
            parts.push(format!("{} memory", gb(q)));
            if q < gb_quantity(memory_gb) {
                short.push(format!("{} memory", gb(q)));
            }
        }
        None => unknown.push("memory"),
    }
    match node.capacity_of("ephemeral-storage") {
        Some(q) => {
            parts.push(format!("{} disk", gb(q)));
            if q < gb_quantity(disk_gb) {
                short.push(format!("{} disk", gb(q)));
            }
        }
        None => unknown.push("disk"),
    }
    Size {
        text: parts.join(", "),
        short,
        unknown,
    }
}

fn is_control_plane(node: &Node) -> bool {
    node.labels
        .contains_key("node-role.kubernetes.io/control-plane")
        || node.labels.contains_key("node-role.kubernetes.io/master")
}

/// A Jetson module: a `-tegra` kernel, or the guides' Jetson label.
fn is_jetson(node: &Node) -> bool {
    node.kernel_version.contains("tegra") || NodeLabel::from(JETSON_LABEL).is_on(&node.labels)
}

/// A node with NVIDIA data-centre GPUs: GPUs in its capacity, GPU feature discovery's
/// `gpu.present` label, or the guides' GPU label; Jetson modules are counted apart.
fn is_gpu(node: &Node) -> bool {
    let has_gpus = node
        .capacity_of("nvidia.com/gpu")
        .is_some_and(|q| q > Quantity::parse("0").expect("zero"));
    let present = node
        .labels
        .get("nvidia.com/gpu.present")
        .is_some_and(|v| v == "true");
    (has_gpus || present || NodeLabel::from(GPU_LABEL).is_on(&node.labels)) && !is_jetson(node)
}

/// A version from GPU feature discovery's labels: the `-version.full` label, else the
/// numbered parts under either naming (`cuda.driver-version.major` or the older
/// `cuda.driver.major`). Returns the text as labelled and the version.
fn labelled_version(node: &Node, full: &str, parts: &[&[&str]]) -> Option<(String, Version)> {
    if let Some(text) = node.labels.get(full)
        && let Some(v) = Version::parse(text)
    {
        return Some((text.clone(), v));
    }
    for names in parts {
        let values: Option<Vec<&String>> = names.iter().map(|n| node.labels.get(*n)).collect();
        if let Some(values) = values {
            let text = values
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(".");
            if let Some(v) = Version::parse(&text) {
                return Some((text, v));
            }
        }
    }
    None
}

fn driver_version(node: &Node) -> Option<(String, Version)> {
    labelled_version(
        node,
        "nvidia.com/cuda.driver-version.full",
        &[
            &[
                "nvidia.com/cuda.driver-version.major",
                "nvidia.com/cuda.driver-version.minor",
                "nvidia.com/cuda.driver-version.revision",
            ],
            &[
                "nvidia.com/cuda.driver.major",
                "nvidia.com/cuda.driver.minor",
                "nvidia.com/cuda.driver.rev",
            ],
        ],
    )
}

fn cuda_version(node: &Node) -> Option<(String, Version)> {
    labelled_version(
        node,
        "nvidia.com/cuda.runtime-version.full",
        &[
            &[
                "nvidia.com/cuda.runtime-version.major",
                "nvidia.com/cuda.runtime-version.minor",
            ],
            &[
                "nvidia.com/cuda.runtime.major",
                "nvidia.com/cuda.runtime.minor",
            ],
        ],
    )
}

/// Groups nodes by a text (a version, an architecture): `1.7.27 on 3 nodes, 1.7.11 on 1 node`.
fn grouped<'n>(nodes: impl IntoIterator<Item = (&'n Node, String)>) -> String {
    let mut groups: BTreeMap<String, usize> = BTreeMap::new();
    for (_, text) in nodes {
        *groups.entry(text).or_default() += 1;
    }
    groups
        .into_iter()
        .map(|(text, n)| format!("{text} on {}", count(n, "node")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The taints of the operator nodes, all tolerated: "no taints" or the list.
fn tolerated_taints(nodes: &[&Node]) -> String {
    let mut taints: Vec<String> = nodes
        .iter()
        .flat_map(|n| n.taints.iter().map(ToString::to_string))
        .collect();
    taints.sort();
    taints.dedup();
    if taints.is_empty() {
        "no taints".to_owned()
    } else {
        format!("only tolerated taints: {}", taints.join(", "))
    }
}

/// How to look at something on a node when kubectl cannot show it.
const ON_A_NODE: &str =
    "run it on the node, or in `kubectl debug node/NODE -it --image=ubuntu` after `chroot /host`";

/// Which cloud a cluster looks like, and the sign of it.
fn detect_kind(cluster: &Cluster) -> Option<(BackendKind, String)> {
    let git = &cluster.server_version;
    if git.contains("-eks-") {
        return Some((BackendKind::Eks, format!("server version {git}")));
    }
    if git.contains("-gke.") {
        return Some((BackendKind::Gke, format!("server version {git}")));
    }
    let signs = [
        (BackendKind::Aks, "kubernetes.azure.com/cluster"),
        (BackendKind::Eks, "eks.amazonaws.com/nodegroup"),
        (BackendKind::Gke, "cloud.google.com/gke-nodepool"),
    ];
    for (kind, label) in signs {
        if let Some(n) = cluster.nodes.iter().find(|n| n.labels.contains_key(label)) {
            return Some((kind, format!("label {label} on node {}", n.name)));
        }
    }
    None
}

impl Ctx<'_> {
    fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.cluster.nodes.iter()
    }

    fn operator_node_list(&self) -> Vec<&Node> {
        match &self.expected.placement.operator_nodes {
            Some(label) => self.nodes().filter(|n| label.is_on(&n.labels)).collect(),
            None => Vec::new(),
        }
    }

    fn kubernetes_version(&self) -> Check {
        let git = &self.cluster.server_version;
        let r = Requirement::KubernetesVersion;
        let Some(floor) = self.req.kubernetes else {
            return check(
                r,
                Status::Pass,
                format!("Kubernetes {git}"),
                format!("no minimum (the {} guide sets none)", self.req.guide),
            );
        };
        let needed = format!("{floor} or later");
        match Version::parse(git) {
            None => check(
                r,
                Status::Warn,
                format!("an unreadable version `{git}`"),
                needed,
            )
            .hint("check the version with `kubectl version`"),
            Some(v) if floor.met_by(&v) => {
                check(r, Status::Pass, format!("Kubernetes {git}"), needed)
            }
            Some(_) => check(r, Status::Fail, format!("Kubernetes {git}"), needed).hint(format!(
                "upgrade the cluster's control plane to {floor} or later, then its node pools"
            )),
        }
    }

    fn backend_kind(&self) -> Check {
        let r = Requirement::BackendKind;
        let declared = self.expected.kind;
        let needed = format!("kind {declared} ({}), as the spec says", declared.title());
        match detect_kind(self.cluster) {
            Some((kind, sign)) if kind == declared => check(
                r,
                Status::Pass,
                format!("{} ({sign})", kind.title()),
                needed,
            ),
            Some((kind, sign)) => check(
                r,
                Status::Warn,
                format!("a cluster that looks like {} ({sign})", kind.title()),
                needed,
            )
            .hint(format!(
                "set `kind: {kind}` on the backend in the spec, so that the checks and NEXT_STEPS.md follow the guide for {}",
                kind.title()
            )),
            None if declared.is_managed() => check(
                r,
                Status::Warn,
                format!(
                    "no sign of {} (server version {}, no node label of the service)",
                    declared.title(),
                    self.cluster.server_version
                ),
                needed,
            )
            .hint("check that kubectl points at the backend's cluster, or correct `kind` in the spec"),
            None => check(
                r,
                Status::Pass,
                "no sign of a managed cloud service",
                needed,
            ),
        }
    }

    fn node_architecture(&self) -> Check {
        let r = Requirement::NodeArchitecture;
        let allowed = self.req.architectures;
        let needed = format!("{} nodes", allowed.join(" or "));
        let all: Vec<&Node> = self.nodes().collect();
        let found = grouped(all.iter().map(|n| {
            let arch = if n.architecture.is_empty() {
                "an unreported architecture".to_owned()
            } else {
                n.architecture.clone()
            };
            (*n, arch)
        }));
        let bad: Vec<&Node> = all
            .iter()
            .copied()
            .filter(|n| !allowed.contains(&n.architecture.as_str()))
            .collect();
        if all.is_empty() {
            check(r, Status::Fail, "no nodes", needed)
                .hint("add node pools to the cluster (see NEXT_STEPS.md)")
        } else if bad.is_empty() {
            check(r, Status::Pass, found, needed).nodes(all)
        } else {
            check(r, Status::Fail, found, needed)
                .nodes(bad)
                .hint("run OSMO on x86_64 (amd64) or arm64 nodes only")
        }
    }

    fn containerd(&self) -> Check {
        let r = Requirement::Containerd;
        let floor = self.req.containerd;
        let needed = format!("containerd {floor} or later on every node");
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        let mut seen = Vec::new();
        for n in self.nodes() {
            let runtime = &n.container_runtime;
            let (name, version) = runtime.split_once("://").unwrap_or((runtime.as_str(), ""));
            let shown = if runtime.is_empty() {
                "an unreported runtime".to_owned()
            } else {
                format!("{name} {version}").trim().to_owned()
            };
            seen.push((n, shown));
            match (name, Version::parse(version)) {
                ("", _) => unknown.push(n),
                ("containerd", Some(v)) if floor.met_by(&v) => {}
                _ => bad.push(n),
            }
        }
        let found = if seen.is_empty() {
            "no nodes".to_owned()
        } else {
            grouped(seen)
        };
        if !bad.is_empty() {
            check(r, Status::Fail, found, needed).nodes(bad).hint(format!(
                "upgrade containerd to {floor} or later on these nodes (on a managed cloud: a newer node image or node pool version)"
            ))
        } else if !unknown.is_empty() {
            check(r, Status::Warn, found, needed)
                .nodes(unknown)
                .hint(format!(
                    "check by hand with `containerd --version`; {ON_A_NODE}"
                ))
        } else if self.cluster.nodes.is_empty() {
            check(r, Status::Fail, found, needed)
        } else {
            check(r, Status::Pass, found, needed).nodes(self.nodes())
        }
    }

    fn default_storage_class(&self) -> Check {
        let r = Requirement::DefaultStorageClass;
        let needed = match self.req.storage_class_example {
            Some(e) => format!("one default StorageClass, such as {e}"),
            None => "one default StorageClass".to_owned(),
        };
        let classes = &self.cluster.storage_classes;
        let defaults: Vec<_> = classes.iter().filter(|c| c.default).collect();
        let describe = |c: &super::cluster::StorageClass| {
            if c.provisioner.is_empty() {
                c.name.clone()
            } else {
                format!("{} ({})", c.name, c.provisioner)
            }
        };
        match defaults.as_slice() {
            [] => {
                let found = if classes.is_empty() {
                    "no StorageClass".to_owned()
                } else {
                    format!(
                        "no default among {}",
                        classes.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                    )
                };
                check(r, Status::Fail, found, needed).hint(
                    "mark one as the default: kubectl patch storageclass NAME -p '{\"metadata\": {\"annotations\": {\"storageclass.kubernetes.io/is-default-class\": \"true\"}}}'",
                )
            }
            [one] => check(r, Status::Pass, format!("default {}", describe(one)), needed),
            many => check(
                r,
                Status::Warn,
                format!(
                    "{} defaults: {}",
                    many.len(),
                    many.iter().map(|c| describe(c)).collect::<Vec<_>>().join(", ")
                ),
                needed,
            )
            .hint("keep one default: with several, Kubernetes picks the newest for claims that name no class"),
        }
    }

    fn operator_nodes_check(&self) -> Check {
        let r = Requirement::OperatorNodes;
        let pool = &self.req.operator_pool;
        let Some(label) = &self.expected.placement.operator_nodes else {
            return check(
                r,
                Status::Warn,
                "none: operatorNodes is off, so the operator may run on any node",
                format!("a dedicated node pool labelled {} (recommended for production)", pool.label),
            )
            .hint("set operatorNodes on the backend in the spec once the cluster has a pool for the operator");
        };
        let scale = match pool.autoscale {
            Some((lo, hi)) => format!(", {lo} to {hi} nodes"),
            None => String::new(),
        };
        let needed = format!("a dedicated node pool labelled {label}{scale}");
        let nodes = self.operator_node_list();
        let (ready, not_ready): (Vec<&Node>, Vec<&Node>) =
            nodes.iter().copied().partition(|n| n.takes_pods());
        if nodes.is_empty() {
            check(r, Status::Fail, format!("no node labelled {label}"), needed).hint(format!(
                "label the operator pool's nodes {label} (kubectl label nodes NODE {label}, or in the node pool's settings), or set operatorNodes in the spec to the label they carry"
            ))
        } else if ready.is_empty() {
            check(
                r,
                Status::Fail,
                format!(
                    "{} labelled {label}, none taking pods (not ready or cordoned)",
                    count(nodes.len(), "node")
                ),
                needed,
            )
            .nodes(not_ready)
            .hint("make the nodes ready, or uncordon them: kubectl uncordon NODE")
        } else if !not_ready.is_empty() {
            check(
                r,
                Status::Warn,
                format!(
                    "{} labelled {label}, {} of them not taking pods",
                    count(nodes.len(), "node"),
                    not_ready.len()
                ),
                needed,
            )
            .nodes(not_ready)
            .hint("the operator runs on the others; make these ready or uncordon them")
        } else {
            check(
                r,
                Status::Pass,
                format!(
                    "{} labelled {label}, all taking pods",
                    count(nodes.len(), "node")
                ),
                needed,
            )
            .nodes(nodes)
        }
    }

    fn operator_node_size(&self) -> Option<Check> {
        let nodes = self.operator_node_list();
        if nodes.is_empty() {
            return None;
        }
        let r = Requirement::OperatorNodeSize;
        let p = &self.req.operator_pool;
        let mut needed = format!(
            "at least {} CPU, {} GB memory and {} GB disk per node",
            p.cpu, p.memory_gb, p.disk_gb
        );
        if let Some(t) = p.instance_type {
            needed.push_str(&format!(", such as {t}"));
        }
        Some(self.sizes(r, &nodes, p.cpu, p.memory_gb, p.disk_gb, needed))
    }

    /// The size check of a group of nodes against figures.
    fn sizes(
        &self,
        r: Requirement,
        nodes: &[&Node],
        cpu: u32,
        memory_gb: u32,
        disk_gb: u32,
        needed: String,
    ) -> Check {
        let mut short = Vec::new();
        let mut unknown = Vec::new();
        let mut smallest: Option<(&Node, Size)> = None;
        for n in nodes {
            let s = size(n, cpu, memory_gb, disk_gb);
            if !s.short.is_empty() {
                short.push((*n, s));
            } else if !s.unknown.is_empty() {
                unknown.push((*n, s));
            } else {
                let key = n.capacity_of("memory");
                if smallest
                    .as_ref()
                    .is_none_or(|(m, _)| key < m.capacity_of("memory"))
                {
                    smallest = Some((n, s));
                }
            }
        }
        if !short.is_empty() {
            let found = short
                .iter()
                .take(3)
                .map(|(n, s)| format!("{}: {}", n.name, s.short.join(", ")))
                .collect::<Vec<_>>()
                .join("; ");
            let more = if short.len() > 3 {
                format!("; and {} more", short.len() - 3)
            } else {
                String::new()
            };
            return check(r, Status::Fail, format!("{found}{more}"), needed)
                .nodes(short.iter().map(|(n, _)| *n))
                .hint("give these nodes a larger machine type (a new node pool), or move the label to larger nodes");
        }
        if !unknown.is_empty() {
            let (n, s) = &unknown[0];
            return check(
                r,
                Status::Warn,
                format!(
                    "{}: {} not reported{}",
                    n.name,
                    s.unknown.join(" and "),
                    if s.text.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", s.text)
                    },
                ),
                needed,
            )
            .nodes(unknown.iter().map(|(n, _)| *n))
            .hint(format!(
                "check by hand with `nproc`, `free -g` and `df -h /`; {ON_A_NODE}"
            ));
        }
        let found = match smallest {
            Some((n, s)) if nodes.len() > 1 => format!("the smallest, {}: {}", n.name, s.text),
            Some((n, s)) => format!("{}: {}", n.name, s.text),
            None => String::new(),
        };
        check(r, Status::Pass, found, needed).nodes(nodes.iter().copied())
    }

    fn operator_node_taints(&self) -> Option<Check> {
        let nodes = self.operator_node_list();
        if nodes.is_empty() {
            return None;
        }
        let r = Requirement::OperatorNodeTaints;
        let placement = &self.expected.placement;
        let tolerations = placement.operator_tolerations();
        let declared = placement.operator_taint.as_ref();
        let needed = match declared {
            Some(t) => format!(
                "taint {t} on every operator node, and no taint the operator does not tolerate"
            ),
            None => "no taint the operator does not tolerate".to_owned(),
        };
        let blocking = |n: &Node| -> Vec<String> {
            n.taints
                .iter()
                .filter(|t| matches!(t.effect.as_str(), "NoSchedule" | "NoExecute"))
                .filter(|t| {
                    let effect = match t.effect.as_str() {
                        "NoSchedule" => Some(TaintEffect::NoSchedule),
                        _ => Some(TaintEffect::NoExecute),
                    };
                    !tolerates(&tolerations, &t.key, t.value.as_deref(), effect)
                })
                .map(ToString::to_string)
                .collect()
        };
        let blocked: Vec<(&Node, Vec<String>)> = nodes
            .iter()
            .map(|n| (*n, blocking(n)))
            .filter(|(_, b)| !b.is_empty())
            .collect();
        if !blocked.is_empty() {
            let found = blocked
                .iter()
                .take(3)
                .map(|(n, b)| format!("{}: {}", n.name, b.join(", ")))
                .collect::<Vec<_>>()
                .join("; ");
            return Some(
                check(r, Status::Fail, format!("taints the operator does not tolerate ({found})"), needed)
                    .nodes(blocked.iter().map(|(n, _)| *n))
                    .hint("set operatorTaint in the spec to the nodes' taint (the operator then tolerates it) and regenerate, or remove the taint: kubectl taint nodes NODE KEY-"),
            );
        }
        let Some(taint) = declared else {
            return Some(check(r, Status::Pass, tolerated_taints(&nodes), needed).nodes(nodes));
        };
        let carries = |n: &Node| {
            n.taints.iter().any(|t| {
                t.key == taint.key
                    && t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
                    && t.effect == effect_name(taint.effect)
            })
        };
        let missing: Vec<&Node> = nodes.iter().copied().filter(|n| !carries(n)).collect();
        if missing.is_empty() {
            Some(
                check(
                    r,
                    Status::Pass,
                    format!("{taint} on every operator node"),
                    needed,
                )
                .nodes(nodes),
            )
        } else {
            Some(
                check(
                    r,
                    Status::Warn,
                    format!("{} without {taint}: {}", count(missing.len(), "operator node"), names(&missing, 5)),
                    needed,
                )
                .nodes(missing)
                .hint(format!(
                    "workflow pods may be scheduled there; taint them: kubectl taint nodes NODE {taint} (or in the node pool's settings)"
                )),
            )
        }
    }

    fn compute_nodes(&self) -> Check {
        let r = Requirement::ComputeNodes;
        let pools = &self.expected.placement.compute_pools;
        let labels = pools.iter().map(ToString::to_string).collect::<Vec<_>>();
        let needed = format!("node pools labelled {}", labels.join(" or "));
        let operator = &self.expected.placement.operator_nodes;
        let mut by_pool: BTreeMap<String, usize> = BTreeMap::new();
        let mut compute = Vec::new();
        for n in self.nodes() {
            let on: Vec<&NodeLabel> = pools.iter().filter(|p| p.is_on(&n.labels)).collect();
            for p in &on {
                *by_pool.entry(p.to_string()).or_default() += 1;
            }
            if !on.is_empty() {
                compute.push(n);
            }
        }
        let unlabelled: Vec<&Node> = self
            .nodes()
            .filter(|n| is_gpu(n) || is_jetson(n))
            .filter(|n| !compute.contains(n))
            .filter(|n| !operator.as_ref().is_some_and(|l| l.is_on(&n.labels)))
            .collect();
        if compute.is_empty() {
            return check(r, Status::Fail, format!("no node labelled {}", labels.join(" or ")), needed)
                .hint(format!(
                    "label each compute pool's nodes (kubectl label nodes NODE {}, or in the node pool's settings), or set computePools in the spec to the labels they carry",
                    labels.first().map_or("node-type=compute", String::as_str)
                ));
        }
        let found = by_pool
            .iter()
            .map(|(l, n)| format!("{l} on {}", count(*n, "node")))
            .collect::<Vec<_>>()
            .join(", ");
        if unlabelled.is_empty() {
            check(r, Status::Pass, found, needed).nodes(compute)
        } else {
            check(
                r,
                Status::Warn,
                format!(
                    "{found}; {} without a pool label: {}",
                    count(unlabelled.len(), "GPU or Jetson node"),
                    names(&unlabelled, 5)
                ),
                needed,
            )
            .nodes(unlabelled)
            .hint("OSMO's pools select nodes by these labels: label these nodes too, or they stay unused")
        }
    }

    fn compute_os(&self) -> Option<Check> {
        let os = self.req.compute_os?;
        let pools = &self.expected.placement.compute_pools;
        let nodes: Vec<&Node> = self
            .nodes()
            .filter(|n| pools.iter().any(|p| p.is_on(&n.labels)) || is_gpu(n))
            .filter(|n| !is_jetson(n) && n.architecture == "amd64")
            .collect();
        if nodes.is_empty() {
            return None;
        }
        let r = Requirement::ComputeOs;
        let needed = format!(
            "{} {} or later, or an equivalent distribution",
            os.name, os.release
        );
        let meets = |n: &Node| {
            n.os_image
                .strip_prefix(os.name)
                .and_then(|rest| Version::parse(rest.trim_start()))
                .is_some_and(|v| os.release.met_by(&v))
        };
        let found = grouped(nodes.iter().map(|n| {
            (
                *n,
                if n.os_image.is_empty() {
                    "an unreported OS".to_owned()
                } else {
                    n.os_image.clone()
                },
            )
        }));
        let other: Vec<&Node> = nodes.iter().copied().filter(|n| !meets(n)).collect();
        Some(if other.is_empty() {
            check(r, Status::Pass, found, needed).nodes(nodes)
        } else {
            check(r, Status::Warn, found, needed).nodes(other).hint(format!(
                "the on-premises guide names {} {}+: make sure the other systems are equivalent (NVIDIA driver and containerd support)",
                os.name, os.release
            ))
        })
    }

    /// A version check over GPU nodes, from GPU feature discovery's labels.
    fn gpu_labels(
        &self,
        r: Requirement,
        floor: Floor,
        read: fn(&Node) -> Option<(String, Version)>,
        what: &str,
        by_hand: &str,
        below: (Status, &str),
    ) -> Option<Check> {
        let nodes: Vec<&Node> = self.nodes().filter(|n| is_gpu(n)).collect();
        if nodes.is_empty() {
            return None;
        }
        let needed = format!("{what} {floor} or later on every GPU node");
        let mut low = Vec::new();
        let mut unknown = Vec::new();
        let mut seen = Vec::new();
        for n in &nodes {
            match read(n) {
                Some((text, v)) => {
                    if !floor.met_by(&v) {
                        low.push(*n);
                    }
                    seen.push((*n, format!("{what} {text}")));
                }
                None => unknown.push(*n),
            }
        }
        let mut found = grouped(seen);
        if !unknown.is_empty() {
            if !found.is_empty() {
                found.push_str("; ");
            }
            found.push_str(&format!(
                "no {what} labels on {}",
                count(unknown.len(), "node")
            ));
        }
        Some(if !low.is_empty() {
            check(r, below.0, found, needed).nodes(low).hint(below.1)
        } else if !unknown.is_empty() {
            check(r, Status::Warn, found, needed).nodes(unknown).hint(format!(
                "the NVIDIA GPU feature discovery labels (nvidia.com/cuda.*) are missing; deploy it (it comes with the NVIDIA GPU Operator) or check by hand: {by_hand}; {ON_A_NODE}"
            ))
        } else {
            check(r, Status::Pass, found, needed).nodes(nodes)
        })
    }

    fn gpu_driver(&self) -> Option<Check> {
        self.gpu_labels(
            Requirement::GpuDriver,
            self.req.gpu.driver,
            driver_version,
            "driver",
            "`nvidia-smi --query-gpu=driver_version --format=csv,noheader`",
            (
                Status::Fail,
                "upgrade the NVIDIA driver on these nodes (on a managed cloud: a newer GPU node image or driver version)",
            ),
        )
    }

    fn cuda(&self) -> Option<Check> {
        self.gpu_labels(
            Requirement::Cuda,
            self.req.gpu.cuda,
            cuda_version,
            "CUDA",
            "`nvidia-smi` prints the CUDA version in its header",
            (
                Status::Warn,
                "the label is the newest CUDA the driver supports: CUDA 12.6 workloads need a newer driver, or the CUDA forward-compatibility package on data-centre GPUs",
            ),
        )
    }

    fn jetpack(&self) -> Option<Check> {
        let nodes: Vec<&Node> = self.nodes().filter(|n| is_jetson(n)).collect();
        if nodes.is_empty() {
            return None;
        }
        let r = Requirement::Jetpack;
        let j = self.req.jetson;
        let needed = format!(
            "JetPack {} (CUDA {}) on arm64 Jetson nodes",
            j.jetpack, j.cuda
        );
        let mut fails: Vec<(&Node, String)> = Vec::new();
        let mut warns: Vec<(&Node, String)> = Vec::new();
        let mut passes: Vec<(&Node, String)> = Vec::new();
        for n in &nodes {
            let mut problems = Vec::new();
            let mut unsure = Vec::new();
            if n.architecture != "arm64" {
                let arch = if n.architecture.is_empty() {
                    "unreported"
                } else {
                    n.architecture.as_str()
                };
                problems.push(format!("architecture {arch}, Jetson modules are arm64"));
            }
            let kernel = &n.kernel_version;
            let line = if kernel.contains("tegra") {
                match Version::parse(kernel) {
                    Some(v) if j.kernel.met_by(&v) => format!("kernel {kernel} (JetPack 6 line)"),
                    Some(_) => {
                        problems.push(format!("kernel {kernel} (JetPack 5 or older)"));
                        String::new()
                    }
                    None => {
                        unsure.push(format!("kernel {kernel} unreadable"));
                        String::new()
                    }
                }
            } else {
                let k = if kernel.is_empty() {
                    "unreported"
                } else {
                    kernel.as_str()
                };
                unsure.push(format!("kernel {k} is not a Jetson (tegra) kernel"));
                String::new()
            };
            match cuda_version(n) {
                Some((text, v)) if !j.cuda.met_by(&v) => problems.push(format!("CUDA {text}")),
                Some((text, _)) if !line.is_empty() => {
                    passes.push((*n, format!("{line}, CUDA {text}")));
                    if problems.is_empty() && unsure.is_empty() {
                        continue;
                    }
                }
                Some(_) => {}
                None => unsure.push("no CUDA labels".to_owned()),
            }
            if !problems.is_empty() {
                fails.push((*n, problems.join(", ")));
            } else if !unsure.is_empty() {
                let mut what = unsure;
                if !line.is_empty() {
                    what.insert(0, line);
                }
                warns.push((*n, what.join(", ")));
            } else {
                passes.push((*n, line));
            }
        }
        let describe = |list: &[(&Node, String)]| {
            list.iter()
                .take(3)
                .map(|(n, s)| format!("{}: {s}", n.name))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let by_hand = format!(
            "`cat /etc/nv_tegra_release` on the node shows R{} (release), REVISION: {} for JetPack {} (Jetson Linux {})",
            j.l4t.split('.').next().unwrap_or_default(),
            j.l4t.split_once('.').map_or("", |(_, rest)| rest),
            j.jetpack,
            j.l4t
        );
        Some(if !fails.is_empty() {
            check(r, Status::Fail, describe(&fails), needed)
                .nodes(fails.iter().map(|(n, _)| *n))
                .hint(format!(
                    "flash these modules with JetPack {}; {by_hand}",
                    j.jetpack
                ))
        } else if !warns.is_empty() {
            check(r, Status::Warn, describe(&warns), needed)
                .nodes(warns.iter().map(|(n, _)| *n))
                .hint(format!(
                    "kubectl shows only the JetPack line; check by hand: {by_hand}"
                ))
        } else {
            check(r, Status::Pass, describe(&passes), needed).nodes(nodes)
        })
    }

    fn control_plane(&self) -> Vec<Check> {
        let Some(cp) = self.req.control_plane else {
            return Vec::new();
        };
        let nodes: Vec<&Node> = self.nodes().filter(|n| is_control_plane(n)).collect();
        let needed = format!(
            "at least {} CPU, {} GB memory and {} GB disk per control-plane node",
            cp.cpu, cp.memory_gb, cp.disk_gb
        );
        if nodes.is_empty() {
            return vec![
                check(
                    Requirement::ControlPlane,
                    Status::Warn,
                    "no node with the control-plane role label",
                    needed,
                )
                .hint(format!(
                    "check the control-plane machines by hand (`nproc`, `free -g`, `df -h /`), and run {}+ of them for production",
                    cp.ha_nodes
                )),
            ];
        }
        let size = self.sizes(
            Requirement::ControlPlane,
            &nodes,
            cp.cpu,
            cp.memory_gb,
            cp.disk_gb,
            needed,
        );
        let ha_needed = format!("{} or more control-plane nodes for production", cp.ha_nodes);
        let ha = if nodes.len() as u32 >= cp.ha_nodes {
            check(
                Requirement::ControlPlaneHa,
                Status::Pass,
                count(nodes.len(), "control-plane node"),
                ha_needed,
            )
            .nodes(nodes)
        } else {
            check(
                Requirement::ControlPlaneHa,
                Status::Warn,
                count(nodes.len(), "control-plane node"),
                ha_needed,
            )
            .nodes(nodes)
            .hint("one control-plane node is a single point of failure; the guide recommends three or more in production")
        };
        vec![size, ha]
    }

    fn registries(&self) -> Check {
        let mut hosts: Vec<String> = self
            .req
            .registries
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        hosts.extend(self.expected.extra_registries.iter().cloned());
        let urls = hosts
            .iter()
            .map(|h| {
                let api = if h == "docker.io" {
                    "registry-1.docker.io"
                } else {
                    h.as_str()
                };
                format!("https://{api}/v2/")
            })
            .collect::<Vec<_>>()
            .join(" ");
        check(
            Requirement::Registries,
            Status::Warn,
            "not visible to kubectl",
            format!("every node pulls images from {}, or from a mirror of them", hosts.join(", ")),
        )
        .hint(format!(
            "from a node, `curl -sSI URL` for each of {urls}: an HTTP 401 answer means the registry is reachable, a timeout means it is blocked"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::cluster::{StorageClass, Taint};
    use super::super::{Expected, Requirement, Status, check};
    use super::*;
    use crate::release::Release;

    fn node(name: &str, labels: &[(&str, &str)]) -> Node {
        Node {
            name: name.into(),
            labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            capacity: [
                ("cpu", "4"),
                ("memory", "16Gi"),
                ("ephemeral-storage", "80Gi"),
            ]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
            container_runtime: "containerd://1.7.27".into(),
            architecture: "amd64".into(),
            ready: Some(true),
            ..Node::default()
        }
    }

    fn cluster(nodes: Vec<Node>) -> Cluster {
        Cluster {
            nodes,
            storage_classes: vec![StorageClass {
                name: "gp3".into(),
                provisioner: "ebs.csi.aws.com".into(),
                default: true,
            }],
            server_version: "v1.31.2".into(),
        }
    }

    fn status(c: &Cluster, r: Requirement) -> Option<Status> {
        let report = check(c, &Expected::guides(BackendKind::Other, Release::LATEST));
        report.get(r).map(|c| c.status)
    }

    #[test]
    fn runtimes_other_than_containerd_fail_and_unreported_ones_warn() {
        let mut crio = node("a", &[]);
        crio.container_runtime = "cri-o://1.31.1".into();
        assert_eq!(
            status(&cluster(vec![crio]), Requirement::Containerd),
            Some(Status::Fail)
        );
        let mut none = node("a", &[]);
        none.container_runtime = String::new();
        assert_eq!(
            status(&cluster(vec![none]), Requirement::Containerd),
            Some(Status::Warn)
        );
        let mut newer = node("a", &[]);
        newer.container_runtime = "containerd://2.0.4".into();
        assert_eq!(
            status(&cluster(vec![newer]), Requirement::Containerd),
            Some(Status::Pass)
        );
    }

    #[test]
    fn operator_nodes_that_take_no_pods_fail_and_sizes_fall_back_to_allocatable() {
        let mut op = node("op", &[("node-type", "operator")]);
        op.unschedulable = true;
        let c = cluster(vec![op.clone(), node("c", &[("node-type", "compute")])]);
        assert_eq!(status(&c, Requirement::OperatorNodes), Some(Status::Fail));
        op.unschedulable = false;
        op.capacity.clear();
        op.allocatable = [
            ("cpu", "3920m"),
            ("memory", "15Gi"),
            ("ephemeral-storage", "76Gi"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let c = cluster(vec![op, node("c", &[("node-type", "compute")])]);
        // Only allocatable is reported: 3920m is below 4 CPU.
        let report = check(&c, &Expected::guides(BackendKind::Other, Release::LATEST));
        let size = report.get(Requirement::OperatorNodeSize).unwrap();
        assert_eq!(size.status, Status::Fail);
        assert_eq!(size.found, "op: 3.92 CPU");
    }

    #[test]
    fn taints_the_operator_tolerates_pass_and_others_fail() {
        let mut op = node("op", &[("node-type", "operator")]);
        op.taints = vec![
            Taint {
                key: "ops".into(),
                value: Some("x".into()),
                effect: "NoSchedule".into(),
            },
            Taint {
                key: "soft".into(),
                value: None,
                effect: "PreferNoSchedule".into(),
            },
        ];
        let c = cluster(vec![op.clone(), node("c", &[("node-type", "compute")])]);
        assert_eq!(
            status(&c, Requirement::OperatorNodeTaints),
            Some(Status::Pass)
        );
        op.taints.push(Taint {
            key: "ops".into(),
            value: None,
            effect: "NoExecute".into(),
        });
        let c = cluster(vec![op, node("c", &[("node-type", "compute")])]);
        assert_eq!(
            status(&c, Requirement::OperatorNodeTaints),
            Some(Status::Fail)
        );
    }

    #[test]
    fn several_default_classes_warn_and_gpu_nodes_without_a_pool_label_warn() {
        let mut c = cluster(vec![
            node("op", &[("node-type", "operator")]),
            node("c", &[("node-type", "compute")]),
            node("g", &[("nvidia.com/gpu.present", "true")]),
        ]);
        c.storage_classes.push(StorageClass {
            name: "gp2".into(),
            provisioner: "kubernetes.io/aws-ebs".into(),
            default: true,
        });
        assert_eq!(
            status(&c, Requirement::DefaultStorageClass),
            Some(Status::Warn)
        );
        assert_eq!(status(&c, Requirement::ComputeNodes), Some(Status::Warn));
        // The GPU node is judged for its driver even without a pool label (no labels: a warning).
        assert_eq!(status(&c, Requirement::GpuDriver), Some(Status::Warn));
        assert_eq!(status(&c, Requirement::Jetpack), None);
    }

    #[test]
    fn figures_print_as_people_write_them() {
        assert_eq!(cores(Quantity::parse("3920m").unwrap()), "3.92");
        assert_eq!(cores(Quantity::parse("4").unwrap()), "4");
        assert_eq!(gb(Quantity::parse("16073436Ki").unwrap()), "16.5 GB");
        assert_eq!(count(1, "node"), "1 node");
        assert_eq!(count(2, "node"), "2 nodes");
    }
}
