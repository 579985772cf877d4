//! `osmo-values preflight`: judge one backend cluster against the
//! create-backend guides' requirements, read-only. Exit 0 when nothing fails,
//! 1 when a check fails, 2 on an error (no kubectl, an unreadable output or spec).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use osmo_values::Release;
use osmo_values::backend::BackendKind;
use osmo_values::preflight::cluster::{Cluster, Source};
use osmo_values::preflight::{self, Expected, Report, Status};
use osmo_values::spec::DeploymentSpec;
use serde_json::json;

use super::generate::load_spec;

/// Check that a backend cluster meets the create-backend guides' requirements.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "By default kubectl is run against the current context (or the \
backend's kubeContext from the spec): `kubectl get nodes -o json`, `kubectl get storageclass \
-o json` and `kubectl version -o json`; nothing is changed. With --from DIR, the three outputs \
are read from DIR/nodes.json, DIR/storageclasses.json and DIR/version.json instead.

Each requirement is PASS, WARN (kubectl cannot show it, or a recommendation is not followed: \
the line says how to check by hand) or FAIL. Exit codes: 0 nothing failed, 1 a check failed, \
2 error (kubectl missing or failing, a file or the spec unreadable)."
)]
pub struct Args {
    /// Read the kubectl outputs from DIR (nodes.json, storageclasses.json, version.json)
    /// instead of running kubectl.
    #[arg(long, value_name = "DIR", conflicts_with = "context")]
    from: Option<PathBuf>,
    /// kubectl context of the cluster (default: the backend's kubeContext in the spec, else
    /// the current context).
    #[arg(long, value_name = "NAME")]
    context: Option<String>,
    /// Deployment spec (such as a bundle's spec.yaml) that says the backend's kind and where
    /// its operator and workflows run.
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// The backend of the spec to check (needed when the spec has several).
    #[arg(long, value_name = "NAME", requires = "spec")]
    backend: Option<String>,
    /// The kind of cluster, without a spec: onPremises, eks, aks, gke or other.
    #[arg(
        long,
        value_name = "KIND",
        conflicts_with = "spec",
        default_value = "other"
    )]
    kind: BackendKind,
    /// The OSMO release whose requirements apply: 6.2.10 or 6.3.1 (default: the spec's
    /// release with --spec, else the newest).
    #[arg(long, value_name = "VERSION")]
    release: Option<Release>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A line per check for people.
    Text,
    /// One JSON object (docs/output-formats.md).
    Json,
}

/// Where the cluster's state came from.
enum Origin {
    Files(PathBuf),
    Kubectl(Option<String>),
}

impl Origin {
    fn describe(&self) -> String {
        match self {
            Origin::Files(dir) => format!("the kubectl outputs in {}", dir.display()),
            Origin::Kubectl(Some(ctx)) => format!("kubectl context {ctx}"),
            Origin::Kubectl(None) => "the current kubectl context".to_owned(),
        }
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            Origin::Files(dir) => json!({"from": dir.display().to_string()}),
            Origin::Kubectl(ctx) => json!({"kubectl_context": ctx}),
        }
    }
}

/// Runs the subcommand.
pub fn run(args: Args) -> Result<ExitCode> {
    let (expected, spec_context) = match &args.spec {
        Some(path) => match expected_from_spec(path, args.backend.as_deref(), args.release)? {
            Some(found) => found,
            None => return Ok(ExitCode::from(2)),
        },
        None => (
            Expected::guides(args.kind, args.release.unwrap_or(Release::LATEST)),
            None,
        ),
    };
    let origin = match &args.from {
        Some(dir) => Origin::Files(dir.clone()),
        None => Origin::Kubectl(args.context.clone().or(spec_context)),
    };
    let cluster = read_cluster(&origin)?;
    let report = preflight::check(&cluster, &expected);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => out.write_all(text(&report, &origin).as_bytes())?,
        Format::Json => {
            let mut value = serde_json::to_value(&report)?;
            if let Some(map) = value.as_object_mut() {
                map.insert("source".into(), origin.to_json());
                map.insert("status".into(), json!(report.status()));
                map.insert(
                    "counts".into(),
                    json!({
                        "pass": report.count(Status::Pass),
                        "warn": report.count(Status::Warn),
                        "fail": report.count(Status::Fail),
                    }),
                );
            }
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(match report.status() {
        Status::Fail => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}

/// The expectations of one backend of a spec (at `release`, else the spec's own), and its
/// kubectl context; `None` after the spec's problems were printed.
fn expected_from_spec(
    path: &Path,
    backend: Option<&str>,
    release: Option<Release>,
) -> Result<Option<(Expected, Option<String>)>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let spec: DeploymentSpec = match load_spec(&bytes) {
        Ok(spec) => spec,
        Err(problems) => {
            for p in &problems {
                eprintln!("{}:{}:{}: {}", path.display(), p.line, p.column, p.message);
            }
            eprintln!(
                "error: {}: {} problem(s) in the deployment spec",
                path.display(),
                problems.len()
            );
            return Ok(None);
        }
    };
    let names = || {
        spec.backends
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match backend {
        Some(name) => spec
            .backends
            .iter()
            .find(|b| b.name == name)
            .with_context(|| {
                format!(
                    "{}: no backend named `{name}`; the spec has {}",
                    path.display(),
                    names()
                )
            })?,
        None => match spec.backends.as_slice() {
            [one] => one,
            _ => bail!(
                "{}: the spec has {} backends ({}); choose one with --backend NAME",
                path.display(),
                spec.backends.len(),
                names()
            ),
        },
    };
    let release = release.unwrap_or(spec.release);
    Ok(Some((
        Expected::for_backend(&spec, chosen, release),
        chosen.kube_context.clone(),
    )))
}

/// Reads the three outputs and parses them, naming the file or command of any problem.
fn read_cluster(origin: &Origin) -> Result<Cluster> {
    let mut texts = Vec::new();
    for source in Source::ALL {
        let text = match origin {
            Origin::Files(dir) => {
                let path = dir.join(source.file_name());
                std::fs::read_to_string(&path)
                    .with_context(|| format!("{}: cannot read", path.display()))?
            }
            Origin::Kubectl(ctx) => kubectl(ctx.as_deref(), source)?,
        };
        texts.push(text);
    }
    Cluster::parse(&texts[0], &texts[1], &texts[2]).map_err(|e| {
        let label = match origin {
            Origin::Files(dir) => dir.join(e.output.file_name()).display().to_string(),
            Origin::Kubectl(ctx) => {
                format!("the output of `{}`", command_line(ctx.as_deref(), e.output))
            }
        };
        anyhow::anyhow!("{label}: {e}")
    })
}

fn command_line(context: Option<&str>, source: Source) -> String {
    match context {
        Some(ctx) => format!(
            "kubectl --context {ctx} {}",
            source.kubectl_args().join(" ")
        ),
        None => source.command(),
    }
}

/// Runs kubectl, read-only, and returns what it printed.
fn kubectl(context: Option<&str>, source: Source) -> Result<String> {
    let mut cmd = Command::new("kubectl");
    if let Some(ctx) = context {
        cmd.args(["--context", ctx]);
    }
    cmd.args(source.kubectl_args());
    let shown = command_line(context, source);
    let output = match cmd.output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "kubectl is not on the PATH: install it, or give saved outputs with --from DIR ({})",
            Source::ALL.map(Source::file_name).join(", ")
        ),
        Err(e) => bail!("cannot run `{shown}`: {e}"),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let said: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(5)
            .collect();
        bail!(
            "`{shown}` failed ({}){}{}",
            output.status,
            if said.is_empty() { "" } else { ": " },
            said.join(" / ")
        );
    }
    String::from_utf8(output.stdout)
        .with_context(|| format!("`{shown}` printed text that is not UTF-8"))
}

/// The report for people: a heading, one line per check (with the nodes and a hint under
/// warnings and failures), and a summary.
fn text(report: &Report, origin: &Origin) -> String {
    let mut out = String::new();
    let who = match &report.backend {
        Some(b) => format!("backend {b}"),
        None => "a backend cluster".to_owned(),
    };
    out.push_str(&format!(
        "Preflight of {who}: {} (kind {}), OSMO {} requirements, from {}\n\n",
        report.kind.title(),
        report.kind,
        report.release,
        origin.describe()
    ));
    let width = report
        .checks
        .iter()
        .map(|c| c.requirement.id().len())
        .max()
        .unwrap_or(0);
    for c in &report.checks {
        out.push_str(&format!(
            "{}  {:width$}  {}; needs {}\n",
            c.status.mark(),
            c.requirement.id(),
            c.found,
            c.needed
        ));
        if c.status != Status::Pass {
            let pad = " ".repeat(6 + width);
            if !c.nodes.is_empty() {
                let mut names: Vec<&str> = c.nodes.iter().take(10).map(String::as_str).collect();
                let more = c.nodes.len().saturating_sub(10);
                let tail = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                names.sort_unstable();
                out.push_str(&format!("{pad}nodes: {}{tail}\n", names.join(", ")));
            }
            if let Some(h) = &c.hint {
                out.push_str(&format!("{pad}help: {h}\n"));
            }
        }
    }
    let (pass, warn, fail) = (
        report.count(Status::Pass),
        report.count(Status::Warn),
        report.count(Status::Fail),
    );
    let verdict = match report.status() {
        Status::Fail => "the cluster does not meet the requirements",
        Status::Warn => "no requirement fails; check the warnings by hand",
        Status::Pass => "the cluster meets every requirement",
    };
    out.push_str(&format!(
        "\n{fail} failed, {warn} {}, {pass} passed: {verdict}.\n",
        if warn == 1 { "warning" } else { "warnings" }
    ));
    out
}
