//! Rendering with the real Helm engine: the Rust side of `tests/helm/render.py`.
//!
//! A test builds [`Job`]s (a chart directory, a release, values files and/or
//! values), [`run`] hands them all to one Python process, and the
//! [`Rendered`] result holds, per job, Helm's error or the rendered objects
//! and the checks' findings. [`bundle_jobs`] turns a generated bundle into
//! one job per values file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use osmo_values::{Bundle, Chart, ChartName};
use serde::Serialize;
use serde_json::Value;

use super::{root, tool};

/// One deployment to render: `helm template <release> <chart_dir> -n <namespace> -f ...`.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    /// Echoed back in the result, such as `entra-nginx/service`.
    pub id: String,
    /// The chart directory.
    pub chart_dir: PathBuf,
    /// Release name (`.Release.Name`).
    pub release_name: String,
    /// Release namespace (`.Release.Namespace`).
    pub namespace: String,
    /// Values files, merged in order as `helm -f a -f b` merges them.
    pub values_files: Vec<PathBuf>,
    /// Values merged over the files (like a last `-f`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Value>,
    /// Whether the result carries the rendered objects, when it differs from the batch's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objects: Option<bool>,
    /// Whether the result carries the values the templates saw (the chart's defaults
    /// merged in).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub coalesced_values: bool,
}

/// The Python of `.venv` when it has the Helm SDK and kubernetes-validate.
/// Missing, it prints a notice and returns `None`; under CI it fails.
pub fn python() -> Option<PathBuf> {
    let python = tool("python")?;
    let ok = Command::new(&python)
        .args(["-c", "import helm_python, kubernetes_validate"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "helm-python-sdk or kubernetes-validate is missing from .venv under CI: .ci/run installs tests/requirements.txt"
    );
    eprintln!(
        "notice: .venv lacks helm-python-sdk or kubernetes-validate; skipping the render tests"
    );
    None
}

/// What `render.py` printed: the Kubernetes version the objects were validated
/// against and one result per job, in the jobs' order.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Such as `1.30`.
    pub kubernetes_version: String,
    /// The per-job results (see the format in `tests/helm/render.py`).
    pub jobs: Vec<Value>,
}

/// Renders every job in one `render.py` process. `objects: false` leaves the
/// rendered objects out of the output (the checks still run on them).
pub fn run(python: &Path, jobs: &[Job], objects: bool) -> Rendered {
    let mut cmd = Command::new(python);
    cmd.arg(root().join("tests/helm/render.py"));
    if !objects {
        cmd.arg("--no-objects");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("render.py starts");
    let input = serde_json::to_vec(jobs).expect("jobs serialise");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("render.py runs");
    writer.join().expect("writer thread").expect("jobs written");
    assert!(
        out.status.success(),
        "render.py failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let value: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "render.py printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let jobs_out = value["jobs"].as_array().cloned().unwrap_or_default();
    assert_eq!(jobs_out.len(), jobs.len(), "one result per job");
    Rendered {
        kubernetes_version: value["kubernetes_version"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        jobs: jobs_out,
    }
}

/// Writes a bundle's files into `dir` and makes one job per values file,
/// against the charts of the spec's release under `reference` (such as
/// `../shared/reference`: `osmo-<release>/<chart>`), with the guides' release
/// names and namespaces (a backend operator in its backend's operator
/// namespace).
pub fn bundle_jobs(
    id: &str,
    bundle: &Bundle,
    spec: &osmo_values::spec::DeploymentSpec,
    dir: &Path,
    reference: &Path,
) -> Vec<Job> {
    let release_dir = reference.join(format!("osmo-{}", spec.release));
    std::fs::create_dir_all(dir).expect("bundle directory");
    let mut jobs = Vec::new();
    for f in &bundle.files {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.contents).expect("bundle file written");
        let Some(name) = osmo_values::lint::detect_chart(&f.name) else {
            continue;
        };
        let chart = Chart::new(spec.release, name)
            .unwrap_or_else(|| panic!("{id}: OSMO {} has no {name} chart", spec.release));
        let namespace = if name == ChartName::BackendOperator {
            let backend = if spec.backends.len() == 1 {
                &spec.backends[0]
            } else {
                spec.backends
                    .iter()
                    .find(|b| f.name == format!("backend_operator_values.{}.yaml", b.name))
                    .unwrap_or_else(|| panic!("{id}: no backend for {}", f.name))
            };
            backend.operator_namespace.clone()
        } else {
            chart.namespace().to_owned()
        };
        jobs.push(Job {
            id: format!("{id}/{}", f.name),
            chart_dir: release_dir.join(name.as_str()),
            release_name: chart.release_name().to_owned(),
            namespace,
            values_files: vec![path],
            values: None,
            objects: None,
            coalesced_values: false,
        });
    }
    jobs
}

/// Totals over many results, for the figures a test prints.
#[derive(Debug, Default, Clone)]
pub struct Figures {
    /// Jobs rendered.
    pub renders: usize,
    /// Objects rendered.
    pub objects: usize,
    /// Objects validated against the Kubernetes schema.
    pub validated: usize,
    /// Custom resources, which have no schema to validate against.
    pub custom_resources: usize,
    /// Envoy configurations found.
    pub envoy_configs: usize,
    /// Places an Envoy configuration names a cluster.
    pub cluster_references: usize,
    /// References to undefined clusters that Envoy lets pass (a filter failing open).
    pub tolerated: usize,
    /// JWT providers checked.
    pub jwt_providers: usize,
}

impl Figures {
    /// Adds one job's result.
    pub fn add(&mut self, job: &Value) {
        self.renders += 1;
        let checks = &job["checks"];
        let k8s = &checks["kubernetes"];
        self.validated += k8s["validated"].as_u64().unwrap_or(0) as usize;
        let unvalidated = k8s["unvalidated"].as_array().map_or(0, Vec::len);
        self.custom_resources += unvalidated;
        self.objects += job["object_count"].as_u64().unwrap_or(0) as usize;
        let envoy = &checks["envoy"];
        self.envoy_configs += envoy["configs"].as_array().map_or(0, Vec::len);
        self.cluster_references += envoy["references"].as_u64().unwrap_or(0) as usize;
        self.tolerated += envoy["tolerated"].as_array().map_or(0, Vec::len);
        self.jwt_providers += checks["jwt"].as_array().map_or(0, Vec::len);
    }
}

/// Every problem of a job, each prefixed with the job's id.
pub fn problems(job: &Value) -> Vec<String> {
    let id = job["id"].as_str().unwrap_or("?");
    job["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| format!("{id}: {}", p.as_str().unwrap_or_default()))
        .collect()
}

/// The kinds of the custom resources a job rendered (validated by no schema).
pub fn custom_resource_kinds(job: &Value) -> Vec<String> {
    job["checks"]["kubernetes"]["unvalidated"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|u| u["custom_resource"] == true)
        .map(|u| u["object"].as_str().unwrap_or_default().to_owned())
        .collect()
}
