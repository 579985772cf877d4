//! What a backend cluster must look like, as the create-backend guides say
//! (Create Backend: On-Premises, and Cloud), per kind of cluster and per OSMO
//! release: one typed table that the CLI, the wizard, `NEXT_STEPS.md` and
//! `osmo-values preflight` all read.
//!
//! The figures are the guides' facts in our own words. Where the project adds
//! something the guides do not state (how a JetPack release shows on a node),
//! the field's documentation says so.
//!
//! ```
//! use osmo_values::backend::BackendKind;
//! use osmo_values::Release;
//! use osmo_values::backend::requirements::requirements;
//! let eks = requirements(BackendKind::Eks, Release::LATEST);
//! assert_eq!(eks.kubernetes.unwrap().text, "v1.30.0");
//! assert_eq!(eks.operator_pool.instance_type, Some("m5.xlarge"));
//! assert_eq!(eks.operator_pool.label.to_string(), "node-type=operator");
//! let on_prem = requirements(BackendKind::OnPremises, Release::LATEST);
//! assert!(on_prem.kubernetes.is_none());
//! assert_eq!(on_prem.control_plane.unwrap().cpu, 12);
//! ```

use std::fmt;

use super::BackendKind;
use super::version::{Floor, Version};
use crate::release::Release;

/// A node label the guides name, `key=value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuideLabel {
    /// Label key, such as `node-type`.
    pub key: &'static str,
    /// Label value, such as `operator`.
    pub value: &'static str,
}

impl fmt::Display for GuideLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

/// What a compute pool runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PoolPurpose {
    /// CPU-only workflows.
    Cpu,
    /// Workflows on NVIDIA data-centre GPUs (x86_64).
    Gpu,
    /// Workflows on NVIDIA Jetson modules (arm64).
    Jetson,
}

impl PoolPurpose {
    /// A few words for people: `CPU`, `GPU`, `Jetson`.
    pub fn title(self) -> &'static str {
        match self {
            PoolPurpose::Cpu => "CPU",
            PoolPurpose::Gpu => "GPU",
            PoolPurpose::Jetson => "Jetson",
        }
    }
}

/// The dedicated node pool the backend operator runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorPool {
    /// The label the guides put on the pool's nodes.
    pub label: GuideLabel,
    /// Least CPU cores (vCPUs) per node.
    pub cpu: u32,
    /// Least memory per node, in GB (10^9 bytes: an "8 GB" machine reports a little under
    /// 8 GiB to Kubernetes).
    pub memory_gb: u32,
    /// Least disk per node, in GB.
    pub disk_gb: u32,
    /// Autoscaling bounds the guide suggests (least and most nodes), when it does.
    pub autoscale: Option<(u32, u32)>,
    /// The guide's example instance type for this kind of cluster, when it gives one.
    pub instance_type: Option<&'static str>,
    /// Whether the guide makes a taint on the pool optional (to keep workflow pods off it).
    pub taint_optional: bool,
}

/// One kind of compute pool the guides describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComputePool {
    /// What it runs.
    pub purpose: PoolPurpose,
    /// The label the guides put on its nodes.
    pub label: GuideLabel,
    /// The guide's example instance type for this kind of cluster, when it gives one.
    pub instance_type: Option<&'static str>,
    /// The guide's description of the machines, when it gives one instead of an instance type.
    pub hardware: Option<&'static str>,
}

/// The NVIDIA software on GPU compute nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GpuStack {
    /// Least NVIDIA driver.
    pub driver: Floor,
    /// Least CUDA version the driver supports.
    pub cuda: Floor,
}

/// The software on Jetson compute nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JetsonStack {
    /// The JetPack release the guide names.
    pub jetpack: &'static str,
    /// The CUDA version that JetPack includes.
    pub cuda: Floor,
    /// The Jetson Linux (L4T) release of that JetPack, for a check by hand on the node
    /// (`/etc/nv_tegra_release`). Not in the guides: NVIDIA's JetPack release notes.
    pub l4t: &'static str,
    /// The least Linux kernel of that JetPack line (JetPack 6 ships Linux 5.15 `-tegra`;
    /// JetPack 5 and older ship older kernels). Not in the guides: the one sign of the
    /// JetPack line a node shows to `kubectl`.
    pub kernel: Floor,
}

/// The operating system the guide names for compute nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OsNeed {
    /// Distribution, as nodes report it at the start of `osImage`.
    pub name: &'static str,
    /// Least release.
    pub release: Floor,
}

/// The control plane of a cluster the operator runs itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlPlane {
    /// Least CPU cores per control-plane node.
    pub cpu: u32,
    /// Least memory per control-plane node, in GB.
    pub memory_gb: u32,
    /// Least free disk per control-plane node, in GB.
    pub disk_gb: u32,
    /// Control-plane nodes recommended for production (high availability).
    pub ha_nodes: u32,
}

/// Everything one kind of backend cluster must have at one OSMO release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirements {
    /// The kind of cluster.
    pub kind: BackendKind,
    /// The release.
    pub release: Release,
    /// The guide the figures come from.
    pub guide: &'static str,
    /// Least Kubernetes version of the cluster; `None` when the guide sets none.
    pub kubernetes: Option<Floor>,
    /// Least containerd on every node (the only container runtime the guides name).
    pub containerd: Floor,
    /// CPU architectures nodes may have, as Kubernetes names them.
    pub architectures: &'static [&'static str],
    /// The dedicated operator pool.
    pub operator_pool: OperatorPool,
    /// The compute pools, with their labels.
    pub compute_pools: &'static [ComputePool],
    /// NVIDIA driver and CUDA on GPU nodes.
    pub gpu: GpuStack,
    /// JetPack on Jetson nodes.
    pub jetson: JetsonStack,
    /// Operating system of x86_64 compute nodes, when the guide names one.
    pub compute_os: Option<OsNeed>,
    /// Control plane sizes, for clusters whose control plane the operator runs.
    pub control_plane: Option<ControlPlane>,
    /// A default StorageClass must exist; the guide's example of one for this kind.
    pub storage_class_example: Option<&'static str>,
    /// Registries every node must be able to pull from (or a mirror of them).
    pub registries: &'static [&'static str],
}

/// The label of the dedicated operator nodes.
pub const OPERATOR_LABEL: GuideLabel = GuideLabel {
    key: "node-type",
    value: "operator",
};
/// The label of CPU compute nodes.
pub const COMPUTE_LABEL: GuideLabel = GuideLabel {
    key: "node-type",
    value: "compute",
};
/// The label of GPU compute nodes.
pub const GPU_LABEL: GuideLabel = GuideLabel {
    key: "node-type",
    value: "gpu",
};
/// The label of Jetson compute nodes.
pub const JETSON_LABEL: GuideLabel = GuideLabel {
    key: "node-type",
    value: "jetson",
};

/// The registries both guides list.
pub const REGISTRIES: &[&str] = &["nvcr.io", "ghcr.io", "docker.io"];

/// Node architectures both guides allow (x86_64 and arm64, in Kubernetes' names).
pub const ARCHITECTURES: &[&str] = &["amd64", "arm64"];

const CONTAINERD: Floor = Floor {
    text: "1.7.27",
    version: Version::new(&[1, 7, 27]),
};

const MANAGED_KUBERNETES: Floor = Floor {
    text: "v1.30.0",
    version: Version::new(&[1, 30, 0]),
};

const GPU: GpuStack = GpuStack {
    driver: Floor {
        text: "535.216.03",
        version: Version::new(&[535, 216, 3]),
    },
    cuda: Floor {
        text: "12.6",
        version: Version::new(&[12, 6]),
    },
};

const JETSON: JetsonStack = JetsonStack {
    jetpack: "6.2",
    cuda: Floor {
        text: "12.6",
        version: Version::new(&[12, 6]),
    },
    l4t: "36.4.3",
    kernel: Floor {
        text: "5.15",
        version: Version::new(&[5, 15]),
    },
};

const fn operator_pool(
    autoscale: Option<(u32, u32)>,
    instance_type: Option<&'static str>,
) -> OperatorPool {
    OperatorPool {
        label: OPERATOR_LABEL,
        cpu: 4,
        memory_gb: 8,
        disk_gb: 50,
        autoscale,
        instance_type,
        taint_optional: true,
    }
}

const fn pool(
    purpose: PoolPurpose,
    label: GuideLabel,
    instance_type: Option<&'static str>,
) -> ComputePool {
    ComputePool {
        purpose,
        label,
        instance_type,
        hardware: None,
    }
}

const fn machines(purpose: PoolPurpose, label: GuideLabel, hardware: &'static str) -> ComputePool {
    ComputePool {
        purpose,
        label,
        instance_type: None,
        hardware: Some(hardware),
    }
}

const ON_PREMISES_GUIDE: &str = "Create Backend (On-Premises)";
const CLOUD_GUIDE: &str = "Create Backend (Cloud)";

/// A row of the cloud guide.
const fn cloud(
    kind: BackendKind,
    release: Release,
    operator: Option<&'static str>,
    pools: &'static [ComputePool],
    storage: Option<&'static str>,
) -> Requirements {
    Requirements {
        kind,
        release,
        guide: CLOUD_GUIDE,
        kubernetes: Some(MANAGED_KUBERNETES),
        containerd: CONTAINERD,
        architectures: ARCHITECTURES,
        operator_pool: operator_pool(Some((1, 3)), operator),
        compute_pools: pools,
        gpu: GPU,
        jetson: JETSON,
        compute_os: None,
        control_plane: None,
        storage_class_example: storage,
        registries: REGISTRIES,
    }
}

/// One row: the figures of a kind at a release. The guides give the same figures for every
/// modelled release; a release whose guide differs gets its own arm here.
const fn row(kind: BackendKind, release: Release) -> Requirements {
    match kind {
        BackendKind::OnPremises => Requirements {
            kind,
            release,
            guide: ON_PREMISES_GUIDE,
            kubernetes: None,
            containerd: CONTAINERD,
            architectures: ARCHITECTURES,
            operator_pool: operator_pool(None, None),
            compute_pools: ON_PREMISES_POOLS,
            gpu: GPU,
            jetson: JETSON,
            compute_os: Some(OsNeed {
                name: "Ubuntu",
                release: Floor {
                    text: "22.04",
                    version: Version::new(&[22, 4]),
                },
            }),
            control_plane: Some(ControlPlane {
                cpu: 12,
                memory_gb: 24,
                disk_gb: 200,
                ha_nodes: 3,
            }),
            storage_class_example: None,
            registries: REGISTRIES,
        },
        BackendKind::Eks => cloud(kind, release, Some("m5.xlarge"), EKS_POOLS, Some("gp3")),
        BackendKind::Gke => cloud(
            kind,
            release,
            Some("n1-standard-4"),
            GKE_POOLS,
            Some("pd-standard"),
        ),
        BackendKind::Aks => cloud(
            kind,
            release,
            Some("Standard_D4s_v3"),
            AKS_POOLS,
            Some("managed-premium"),
        ),
        BackendKind::Other => cloud(kind, release, None, OTHER_POOLS, None),
    }
}

const ON_PREMISES_POOLS: &[ComputePool] = &[
    pool(PoolPurpose::Cpu, COMPUTE_LABEL, None),
    machines(
        PoolPurpose::Gpu,
        GPU_LABEL,
        "x86_64 GPU servers such as OVX or DGX",
    ),
    machines(PoolPurpose::Jetson, JETSON_LABEL, "Jetson modules"),
];
const EKS_POOLS: &[ComputePool] = &[
    pool(PoolPurpose::Cpu, COMPUTE_LABEL, Some("m5.2xlarge")),
    pool(PoolPurpose::Gpu, GPU_LABEL, Some("p3.2xlarge")),
];
const GKE_POOLS: &[ComputePool] = &[
    pool(PoolPurpose::Cpu, COMPUTE_LABEL, Some("n1-standard-8")),
    pool(PoolPurpose::Gpu, GPU_LABEL, Some("n1-standard-4-nvidia-t4")),
];
const AKS_POOLS: &[ComputePool] = &[
    pool(PoolPurpose::Cpu, COMPUTE_LABEL, Some("Standard_D8s_v3")),
    pool(PoolPurpose::Gpu, GPU_LABEL, Some("Standard_NC6s_v3")),
];
const OTHER_POOLS: &[ComputePool] = &[
    pool(PoolPurpose::Cpu, COMPUTE_LABEL, None),
    pool(PoolPurpose::Gpu, GPU_LABEL, None),
    pool(PoolPurpose::Jetson, JETSON_LABEL, None),
];

/// The table: every kind at every release.
pub const TABLE: [Requirements; 10] = [
    row(BackendKind::OnPremises, Release::V6_2_10),
    row(BackendKind::Eks, Release::V6_2_10),
    row(BackendKind::Aks, Release::V6_2_10),
    row(BackendKind::Gke, Release::V6_2_10),
    row(BackendKind::Other, Release::V6_2_10),
    row(BackendKind::OnPremises, Release::V6_3_1),
    row(BackendKind::Eks, Release::V6_3_1),
    row(BackendKind::Aks, Release::V6_3_1),
    row(BackendKind::Gke, Release::V6_3_1),
    row(BackendKind::Other, Release::V6_3_1),
];

/// The requirements of a kind of cluster at a release.
pub fn requirements(kind: BackendKind, release: Release) -> &'static Requirements {
    TABLE
        .iter()
        .find(|r| r.kind == kind && r.release == release)
        .expect("the table has a row for every kind and release")
}

impl Requirements {
    /// The compute pool with this purpose, if the kind has one.
    pub fn pool(&self, purpose: PoolPurpose) -> Option<&ComputePool> {
        self.compute_pools.iter().find(|p| p.purpose == purpose)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_release_has_one_row() {
        for kind in BackendKind::ALL {
            for release in Release::ALL {
                let n = TABLE
                    .iter()
                    .filter(|r| r.kind == kind && r.release == release)
                    .count();
                assert_eq!(n, 1, "{kind:?} {release:?}");
                assert_eq!(requirements(kind, release).kind, kind);
            }
        }
    }

    #[test]
    fn floors_say_what_they_mean() {
        for r in &TABLE {
            let floors = [
                r.kubernetes,
                Some(r.containerd),
                Some(r.gpu.driver),
                Some(r.gpu.cuda),
                Some(r.jetson.cuda),
                Some(r.jetson.kernel),
                r.compute_os.map(|o| o.release),
            ];
            for f in floors.into_iter().flatten() {
                assert_eq!(Version::parse(f.text), Some(f.version), "{}", f.text);
            }
        }
    }

    #[test]
    fn the_guides_figures() {
        let eks = requirements(BackendKind::Eks, Release::V6_2_10);
        assert_eq!(eks.containerd.text, "1.7.27");
        assert_eq!(eks.gpu.driver.text, "535.216.03");
        assert_eq!(eks.gpu.cuda.text, "12.6");
        assert_eq!(eks.jetson.jetpack, "6.2");
        assert_eq!(
            (
                eks.operator_pool.cpu,
                eks.operator_pool.memory_gb,
                eks.operator_pool.disk_gb
            ),
            (4, 8, 50)
        );
        assert_eq!(eks.operator_pool.autoscale, Some((1, 3)));
        assert_eq!(eks.registries, ["nvcr.io", "ghcr.io", "docker.io"]);
        let gpu = |k| {
            requirements(k, Release::V6_2_10)
                .pool(PoolPurpose::Gpu)
                .unwrap()
                .instance_type
        };
        assert_eq!(gpu(BackendKind::Gke), Some("n1-standard-4-nvidia-t4"));
        assert_eq!(gpu(BackendKind::Aks), Some("Standard_NC6s_v3"));
        let on_prem = requirements(BackendKind::OnPremises, Release::V6_2_10);
        assert_eq!(on_prem.compute_os.unwrap().release.text, "22.04");
        assert!(on_prem.pool(PoolPurpose::Jetson).is_some());
        assert!(eks.pool(PoolPurpose::Jetson).is_none());
        let labels: Vec<String> = on_prem
            .compute_pools
            .iter()
            .map(|p| p.label.to_string())
            .collect();
        assert_eq!(
            labels,
            ["node-type=compute", "node-type=gpu", "node-type=jetson"]
        );
    }
}
