//! The preflight check of a backend cluster: what `kubectl` shows of it
//! ([`cluster::Cluster`]) judged against the guides' requirements for its kind
//! ([`crate::backend::requirements`]) and the placement its spec expects.
//!
//! Pure: the caller runs kubectl (or reads saved outputs) and prints the
//! [`Report`]. Each requirement becomes one [`Check`] with a status, what was
//! found and what is needed; what kubectl cannot show is a warning that says
//! how to check it by hand. Checks that do not apply (GPU drivers on a cluster
//! without GPUs, the control plane of a managed cloud) are left out.
//!
//! ```
//! use osmo_values::backend::BackendKind;
//! use osmo_values::Release;
//! use osmo_values::preflight::{Expected, Requirement, Status, check, cluster::Cluster};
//! let nodes = r#"{"items": [{"metadata": {"name": "n1", "labels": {"node-type": "compute"}},
//!   "status": {"capacity": {"cpu": "8", "memory": "32Gi"},
//!              "nodeInfo": {"containerRuntimeVersion": "containerd://1.7.11", "architecture": "amd64"}}}]}"#;
//! let classes = r#"{"items": []}"#;
//! let version = r#"{"serverVersion": {"gitVersion": "v1.31.2"}}"#;
//! let cluster = Cluster::parse(nodes, classes, version).unwrap();
//! let report = check(&cluster, &Expected::guides(BackendKind::Other, Release::LATEST));
//! assert_eq!(report.status(), Status::Fail);
//! let containerd = report.get(Requirement::Containerd).unwrap();
//! assert_eq!(containerd.status, Status::Fail);
//! assert_eq!(containerd.nodes, ["n1"]);
//! assert_eq!(report.get(Requirement::KubernetesVersion).unwrap().status, Status::Pass);
//! ```

pub mod cluster;
mod judge;

use serde::Serialize;

use crate::backend::{BackendKind, Placement};
use crate::release::Release;
use crate::spec::{Backend, DeploymentSpec};
use cluster::Cluster;

/// How a requirement fares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Met.
    Pass,
    /// Not visible to kubectl, or recommended and not met: check or decide by hand.
    Warn,
    /// Not met: the backend will not work as the guides describe.
    Fail,
}

impl Status {
    /// `PASS`, `WARN` or `FAIL`.
    pub fn mark(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        }
    }
}

/// The requirements the preflight judges, each with a stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum Requirement {
    /// The API server's version against the guide's minimum.
    KubernetesVersion,
    /// The kind the spec declares against what the cluster looks like.
    BackendKind,
    /// Control-plane nodes' CPU, memory and disk (on premises).
    ControlPlane,
    /// Three or more control-plane nodes (on premises).
    ControlPlaneHa,
    /// Every node amd64 or arm64.
    NodeArchitecture,
    /// containerd, at the guide's version, on every node.
    Containerd,
    /// One default StorageClass.
    DefaultStorageClass,
    /// Nodes carrying the operator label, ready for pods.
    OperatorNodes,
    /// Operator nodes' CPU, memory and disk.
    OperatorNodeSize,
    /// Operator nodes' taints: the declared one present, none the operator does not tolerate.
    OperatorNodeTaints,
    /// Nodes carrying the compute pool labels.
    ComputeNodes,
    /// The operating system of x86_64 compute nodes (on premises).
    ComputeOs,
    /// The NVIDIA driver on GPU nodes.
    GpuDriver,
    /// The CUDA version on GPU nodes.
    Cuda,
    /// JetPack on Jetson nodes.
    Jetpack,
    /// Registries every node pulls from.
    Registries,
}

impl Requirement {
    /// Every requirement, in report order.
    pub const ALL: [Requirement; 16] = [
        Requirement::KubernetesVersion,
        Requirement::BackendKind,
        Requirement::ControlPlane,
        Requirement::ControlPlaneHa,
        Requirement::NodeArchitecture,
        Requirement::Containerd,
        Requirement::DefaultStorageClass,
        Requirement::OperatorNodes,
        Requirement::OperatorNodeSize,
        Requirement::OperatorNodeTaints,
        Requirement::ComputeNodes,
        Requirement::ComputeOs,
        Requirement::GpuDriver,
        Requirement::Cuda,
        Requirement::Jetpack,
        Requirement::Registries,
    ];

    /// The stable id, such as `containerd` or `operator-node-size`.
    pub fn id(self) -> &'static str {
        match self {
            Requirement::KubernetesVersion => "kubernetes-version",
            Requirement::BackendKind => "backend-kind",
            Requirement::ControlPlane => "control-plane",
            Requirement::ControlPlaneHa => "control-plane-ha",
            Requirement::NodeArchitecture => "node-architecture",
            Requirement::Containerd => "containerd",
            Requirement::DefaultStorageClass => "default-storage-class",
            Requirement::OperatorNodes => "operator-nodes",
            Requirement::OperatorNodeSize => "operator-node-size",
            Requirement::OperatorNodeTaints => "operator-node-taints",
            Requirement::ComputeNodes => "compute-nodes",
            Requirement::ComputeOs => "compute-os",
            Requirement::GpuDriver => "gpu-driver",
            Requirement::Cuda => "cuda",
            Requirement::Jetpack => "jetpack",
            Requirement::Registries => "registries",
        }
    }

    /// What it is about, in a few words.
    pub fn title(self) -> &'static str {
        match self {
            Requirement::KubernetesVersion => "Kubernetes version",
            Requirement::BackendKind => "kind of cluster",
            Requirement::ControlPlane => "control-plane node size",
            Requirement::ControlPlaneHa => "control-plane high availability",
            Requirement::NodeArchitecture => "node architecture",
            Requirement::Containerd => "container runtime",
            Requirement::DefaultStorageClass => "default StorageClass",
            Requirement::OperatorNodes => "dedicated operator nodes",
            Requirement::OperatorNodeSize => "operator node size",
            Requirement::OperatorNodeTaints => "operator node taints",
            Requirement::ComputeNodes => "compute node pools",
            Requirement::ComputeOs => "compute node operating system",
            Requirement::GpuDriver => "NVIDIA driver",
            Requirement::Cuda => "CUDA version",
            Requirement::Jetpack => "JetPack on Jetson nodes",
            Requirement::Registries => "image registries",
        }
    }

    /// When the check appears in a report.
    pub fn applies(self) -> &'static str {
        match self {
            Requirement::ControlPlane | Requirement::ControlPlaneHa => {
                "kind onPremises (control-plane-ha only when control-plane nodes are visible)"
            }
            Requirement::OperatorNodeSize | Requirement::OperatorNodeTaints => {
                "when nodes carry the operator label"
            }
            Requirement::ComputeOs => "kind onPremises, with x86_64 compute nodes",
            Requirement::GpuDriver | Requirement::Cuda => "when the cluster has GPU nodes",
            Requirement::Jetpack => "when the cluster has Jetson nodes",
            _ => "always",
        }
    }
}

impl From<Requirement> for &'static str {
    fn from(r: Requirement) -> Self {
        r.id()
    }
}

/// One requirement, judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Which requirement.
    pub requirement: Requirement,
    /// Its title ([`Requirement::title`]).
    pub title: &'static str,
    /// Pass, warn or fail.
    pub status: Status,
    /// What the cluster shows.
    pub found: String,
    /// What the guide asks for.
    pub needed: String,
    /// The nodes involved: those at fault for a warning or failure, those judged for a pass.
    pub nodes: Vec<String>,
    /// How to fix it, or how to check by hand what kubectl cannot show.
    pub hint: Option<String>,
}

/// Every check of one cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The backend judged, when a spec named one.
    pub backend: Option<String>,
    /// The kind whose requirements were applied.
    pub kind: BackendKind,
    /// The OSMO release whose requirements were applied, such as `6.2.10`.
    pub release: &'static str,
    /// The checks, in [`Requirement::ALL`] order.
    pub checks: Vec<Check>,
}

impl Report {
    /// The worst status of any check (`Pass` for none).
    pub fn status(&self) -> Status {
        self.checks
            .iter()
            .map(|c| c.status)
            .max()
            .unwrap_or(Status::Pass)
    }

    /// How many checks have `status`.
    pub fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }

    /// The check of a requirement, when it applied.
    pub fn get(&self, requirement: Requirement) -> Option<&Check> {
        self.checks.iter().find(|c| c.requirement == requirement)
    }
}

/// What the cluster is judged against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The backend's name, for the report.
    pub backend: Option<String>,
    /// The kind of cluster, which chooses the requirements.
    pub kind: BackendKind,
    /// The OSMO release.
    pub release: Release,
    /// Where the operator and the workflows should run.
    pub placement: Placement,
    /// Registry hosts the nodes must reach besides the guides' (the spec's image registry).
    pub extra_registries: Vec<String>,
}

impl Expected {
    /// The guides' expectations for a kind, with no spec.
    pub fn guides(kind: BackendKind, release: Release) -> Expected {
        Expected {
            backend: None,
            kind,
            release,
            placement: Placement::guides(kind, release),
            extra_registries: Vec::new(),
        }
    }

    /// What a spec expects of one of its backends.
    ///
    /// ```
    /// use osmo_values::Release;
    /// use osmo_values::preflight::Expected;
    /// use osmo_values::spec::DeploymentSpec;
    /// let mut spec = DeploymentSpec::minimal("osmo.example.com", "db", "redis");
    /// spec.images.registry = "123456789012.dkr.ecr.us-west-2.amazonaws.com/osmo".into();
    /// let e = Expected::for_backend(&spec, &spec.backends[0], Release::LATEST);
    /// assert_eq!(e.backend.as_deref(), Some("default"));
    /// assert_eq!(e.extra_registries, ["123456789012.dkr.ecr.us-west-2.amazonaws.com"]);
    /// ```
    pub fn for_backend(spec: &DeploymentSpec, backend: &Backend, release: Release) -> Expected {
        let requirements = crate::backend::requirements::requirements(backend.kind, release);
        let host = registry_host(&spec.images.registry);
        Expected {
            backend: Some(backend.name.clone()),
            kind: backend.kind,
            release,
            placement: backend.placement(release),
            extra_registries: if requirements.registries.contains(&host.as_str()) {
                Vec::new()
            } else {
                vec![host]
            },
        }
    }
}

/// The registry host of an image path: its first segment when that names a host (has a `.` or
/// `:`, or is `localhost`), else `docker.io`.
///
/// ```
/// use osmo_values::preflight::registry_host;
/// assert_eq!(registry_host("nvcr.io/nvidia/osmo"), "nvcr.io");
/// assert_eq!(registry_host("registry.local:5000/osmo"), "registry.local:5000");
/// assert_eq!(registry_host("myorg/osmo"), "docker.io");
/// ```
pub fn registry_host(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => first.to_owned(),
        _ => "docker.io".to_owned(),
    }
}

/// Judges a cluster against what is expected of it.
pub fn check(cluster: &Cluster, expected: &Expected) -> Report {
    let mut checks = judge::all(cluster, expected);
    checks.sort_by_key(|c| {
        Requirement::ALL
            .iter()
            .position(|r| *r == c.requirement)
            .unwrap_or(usize::MAX)
    });
    Report {
        backend: expected.backend.clone(),
        kind: expected.kind,
        release: expected.release.as_str(),
        checks,
    }
}
