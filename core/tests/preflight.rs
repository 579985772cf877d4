//! The preflight check over the fixture clusters in `tests/fixtures/preflight/`:
//! one folder per case with the three kubectl outputs and the backend's
//! spec.yaml. Each case's verdict is asserted here (which requirements fail
//! and warn), and its whole report is a snapshot.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use osmo_values::Release;
use osmo_values::preflight::cluster::Cluster;
use osmo_values::preflight::{Expected, Report, Requirement, Status, check};
use osmo_values::spec::DeploymentSpec;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/preflight")
}

fn report_of(dir: &Path) -> Report {
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|e| panic!("{}/{name}: {e}", dir.display()))
    };
    let (spec, _) = DeploymentSpec::parse(&read("spec.yaml"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    assert!(spec.validate().is_empty(), "{}", dir.display());
    let cluster = Cluster::parse(
        &read("nodes.json"),
        &read("storageclasses.json"),
        &read("version.json"),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let expected = Expected::for_backend(&spec, &spec.backends[0], Release::LATEST);
    check(&cluster, &expected)
}

fn ids(report: &Report, status: Status) -> BTreeSet<&'static str> {
    report
        .checks
        .iter()
        .filter(|c| c.status == status)
        .map(|c| c.requirement.id())
        .collect()
}

/// Every case: the requirements that fail, and those that warn.
const VERDICTS: &[(&str, &[&str], &[&str])] = &[
    ("good-aks", &[], &["registries"]),
    ("good-eks", &[], &["registries"]),
    ("good-gke", &[], &["registries"]),
    ("good-onprem", &[], &["registries"]),
    ("good-other", &[], &["registries"]),
    ("fail-containerd-old", &["containerd"], &["registries"]),
    (
        "fail-kubernetes-old",
        &["kubernetes-version"],
        &["registries"],
    ),
    (
        "fail-no-default-storageclass",
        &["default-storage-class"],
        &["registries"],
    ),
    ("fail-driver-old", &["gpu-driver"], &["cuda", "registries"]),
    (
        "fail-operator-too-small",
        &["operator-node-size"],
        &["registries"],
    ),
    (
        "fail-labels-missing",
        &["compute-nodes", "operator-nodes"],
        &["registries"],
    ),
    ("fail-jetson-jetpack5", &["jetpack"], &["registries"]),
    (
        "fail-operator-taint",
        &["operator-node-taints"],
        &["registries"],
    ),
    (
        "warn-no-gpu-labels",
        &[],
        &["control-plane-ha", "cuda", "gpu-driver", "registries"],
    ),
];

#[test]
fn every_case_has_its_verdict() {
    let mut dirs: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut listed: Vec<String> = VERDICTS.iter().map(|v| v.0.to_owned()).collect();
    listed.sort();
    assert_eq!(
        dirs, listed,
        "every fixture folder has a verdict, and only those"
    );
    for (case, fails, warns) in VERDICTS {
        let report = report_of(&fixtures().join(case));
        let fail_ids: BTreeSet<&str> = fails.iter().copied().collect();
        let warn_ids: BTreeSet<&str> = warns.iter().copied().collect();
        assert_eq!(ids(&report, Status::Fail), fail_ids, "{case}: failing");
        assert_eq!(ids(&report, Status::Warn), warn_ids, "{case}: warning");
        assert_eq!(
            report.status() == Status::Fail,
            !fails.is_empty(),
            "{case}: overall"
        );
        for c in &report.checks {
            assert!(!c.found.is_empty(), "{case}: {} found", c.requirement.id());
            assert!(
                !c.needed.is_empty(),
                "{case}: {} needed",
                c.requirement.id()
            );
            if c.status != Status::Pass {
                assert!(
                    c.hint.is_some(),
                    "{case}: {} has no hint",
                    c.requirement.id()
                );
            }
        }
    }
}

#[test]
fn reports_snapshot() {
    insta::glob!("../../tests/fixtures/preflight", "*/spec.yaml", |path| {
        let report = report_of(path.parent().unwrap());
        insta::assert_json_snapshot!(report);
    });
}

#[test]
fn failing_checks_name_the_nodes_at_fault() {
    let report = report_of(&fixtures().join("fail-containerd-old"));
    let c = report.get(Requirement::Containerd).unwrap();
    assert_eq!(
        c.nodes,
        [
            "ip-10-0-3-31.us-west-2.compute.internal",
            "ip-10-0-3-32.us-west-2.compute.internal"
        ]
    );
    assert!(
        c.found.contains("containerd 1.7.11 on 2 nodes"),
        "{}",
        c.found
    );
    assert!(c.needed.contains("1.7.27"), "{}", c.needed);
    let report = report_of(&fixtures().join("fail-operator-too-small"));
    let c = report.get(Requirement::OperatorNodeSize).unwrap();
    assert_eq!(c.nodes.len(), 2);
    assert!(c.found.contains("2 CPU"), "{}", c.found);
    assert!(c.found.contains("GB memory"), "{}", c.found);
}

#[test]
fn the_kind_decides_which_checks_apply() {
    let dir = fixtures().join("good-onprem");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    let cluster = Cluster::parse(
        &read("nodes.json"),
        &read("storageclasses.json"),
        &read("version.json"),
    )
    .unwrap();
    let on_prem = check(
        &cluster,
        &Expected::guides(
            osmo_values::backend::BackendKind::OnPremises,
            Release::LATEST,
        ),
    );
    assert!(on_prem.get(Requirement::ControlPlane).is_some());
    assert!(on_prem.get(Requirement::ComputeOs).is_some());
    // The same cluster declared as EKS: no control-plane checks, and a warning that it does
    // not look like EKS.
    let eks = check(
        &cluster,
        &Expected::guides(osmo_values::backend::BackendKind::Eks, Release::LATEST),
    );
    assert!(eks.get(Requirement::ControlPlane).is_none());
    assert_eq!(
        eks.get(Requirement::BackendKind).unwrap().status,
        Status::Warn
    );
    // An EKS cluster declared as on premises: the kind check says what it looks like.
    let dir = fixtures().join("good-eks");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    let cluster = Cluster::parse(
        &read("nodes.json"),
        &read("storageclasses.json"),
        &read("version.json"),
    )
    .unwrap();
    let r = check(
        &cluster,
        &Expected::guides(
            osmo_values::backend::BackendKind::OnPremises,
            Release::LATEST,
        ),
    );
    let kind = r.get(Requirement::BackendKind).unwrap();
    assert_eq!(kind.status, Status::Warn);
    assert!(kind.hint.as_deref().unwrap().contains("kind: eks"));
}

#[test]
fn placement_off_is_a_warning_and_skips_the_operator_node_checks() {
    let dir = fixtures().join("fail-labels-missing");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    let cluster = Cluster::parse(
        &read("nodes.json"),
        &read("storageclasses.json"),
        &read("version.json"),
    )
    .unwrap();
    let mut expected = Expected::guides(osmo_values::backend::BackendKind::Eks, Release::LATEST);
    expected.placement.operator_nodes = None;
    let r = check(&cluster, &expected);
    assert_eq!(
        r.get(Requirement::OperatorNodes).unwrap().status,
        Status::Warn
    );
    assert!(r.get(Requirement::OperatorNodeSize).is_none());
    assert!(r.get(Requirement::OperatorNodeTaints).is_none());
}
