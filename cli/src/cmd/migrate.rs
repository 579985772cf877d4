//! `osmo-values migrate`: migrate a 6.2.10 deployment's values files to
//! 6.3.1; exit 0 (done), 1 (written, decisions open) or 2 (error, nothing
//! written).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use osmo_values::migrate::{self, BackendTarget, MigrateInput, MigrateOptions};
use osmo_values::{ChartName, Release};

use super::lint::Order;
use crate::fsutil::{self, FileToWrite};

/// Migrate an OSMO 6.2.10 deployment's values files to 6.3.1.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The release to migrate to (6.3.1).
    #[arg(long, value_name = "RELEASE")]
    to: Release,
    /// Directory to write the migrated files, MIGRATION.md and upgrade.sh into
    /// (created when missing; never the folder of the input files' own names).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The chart of every file (service, router, web-ui, backend-operator);
    /// by default each file's chart comes from its name, as for lint.
    #[arg(long, value_name = "NAME")]
    chart: Option<ChartName>,
    /// How the files of one chart merge: `base-first` (the guides' file name
    /// first, then its overlays by name) or `given` (in the order given).
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = Order::BaseFirst)]
    order: Order,
    /// Replace files of the same names already in DIR.
    #[arg(long)]
    force: bool,
    /// The 6.2.10 values files: any of osmo_values.yaml, router_values.yaml,
    /// ui_values.yaml, backend_operator_values.yaml, with their overlays.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut sources = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let bytes = std::fs::read(path)
            .with_context(|| format!("{}: cannot read the file", path.display()))?;
        sources.push((path.display().to_string(), bytes));
    }
    let inputs: Vec<MigrateInput<'_>> = sources
        .iter()
        .map(|(name, bytes)| MigrateInput {
            name,
            source: bytes,
        })
        .collect();
    let options = MigrateOptions {
        to: args.to,
        chart: args.chart,
        order: args.order.into(),
        backends: spec_backends(&args.files),
    };
    let migration = match migrate::migrate(&inputs, &options) {
        Ok(m) => m,
        Err(err) => {
            eprintln!("error: {err}");
            eprintln!("error: nothing was written");
            return Ok(ExitCode::from(2));
        }
    };
    fsutil::ensure_dir(&args.out)?;
    refuse_clobbering(&args, &migration)?;
    let files: Vec<FileToWrite<'_>> = migration
        .files
        .iter()
        .map(|f| FileToWrite {
            name: &f.name,
            contents: f.contents.as_bytes(),
            mode: if f.executable { 0o755 } else { 0o644 },
        })
        .collect();
    let written = fsutil::write_all_atomic(&args.out, &files)?;
    let report = &migration.report;
    let (moved, dropped, decide) = report.counts();
    eprintln!(
        "migrated {} keys of {} file(s) from OSMO {} to {}: {moved} moved, {dropped} dropped, {decide} need a decision",
        report.keys.len(),
        report.inputs.len(),
        report.from,
        report.to
    );
    for path in &written {
        eprintln!("wrote {}", path.display());
    }
    let open = report.open_decisions();
    if open > 0 {
        eprintln!(
            "{open} decision(s) open: see {}; upgrade.sh refuses to run until each is marked done",
            args.out.join(migrate::REPORT_FILE).display()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

impl From<Order> for osmo_values::lint::LayerOrder {
    fn from(o: Order) -> Self {
        match o {
            Order::BaseFirst => osmo_values::lint::LayerOrder::BaseFirst,
            Order::Given => osmo_values::lint::LayerOrder::AsGiven,
        }
    }
}

/// Refuses to replace an input file (never, even with `--force`) or any
/// existing file of the same name (without `--force`).
fn refuse_clobbering(args: &Args, migration: &migrate::Migration) -> Result<()> {
    let inputs: Vec<PathBuf> = args
        .files
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut existing = Vec::new();
    for f in &migration.files {
        let path = args.out.join(&f.name);
        let Ok(canonical) = path.canonicalize() else {
            continue;
        };
        if inputs.contains(&canonical) {
            bail!(
                "{} is an input file, and migrate never touches its input: write into another --out folder; nothing was written",
                path.display()
            );
        }
        existing.push(path);
    }
    if !existing.is_empty() && !args.force {
        let names: Vec<String> = existing.iter().map(|p| p.display().to_string()).collect();
        bail!(
            "{} already exist(s); pass --force to replace them; nothing was written",
            names.join(", ")
        );
    }
    Ok(())
}

/// The backends of the `spec.yaml` beside the first file, if there is one.
fn spec_backends(files: &[PathBuf]) -> Option<Vec<BackendTarget>> {
    let dir = files
        .first()
        .and_then(|p| p.parent())
        .unwrap_or(Path::new(""));
    let path = dir.join("spec.yaml");
    let text = std::fs::read_to_string(&path).ok()?;
    match osmo_values::DeploymentSpec::parse(&text) {
        Ok((spec, _)) => Some(
            spec.backends
                .iter()
                .map(|b| BackendTarget {
                    name: b.name.clone(),
                    operator_namespace: b.operator_namespace.clone(),
                    kube_context: b.kube_context.clone(),
                })
                .collect(),
        ),
        Err(err) => {
            eprintln!("warning: {}: {err}; migrating without it", path.display());
            None
        }
    }
}
