//! `osmo-values schema`: print one chart's schema or write all of them.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use osmo_values::{Chart, ChartName, Release, schema};

use crate::fsutil;

/// Print or write the JSON Schemas of the charts' values.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the schema of this chart (service, router, web-ui, backend-operator).
    #[arg(long, value_name = "NAME")]
    chart: Option<ChartName>,
    /// The OSMO release of the chart (6.2.10 or 6.3.1; default: the newest).
    /// With --out, only this release's schemas are written.
    #[arg(long, value_name = "RELEASE")]
    release: Option<Release>,
    /// Write the schemas into this directory, one folder per release
    /// (<release>/<chart>.values.schema.json).
    #[arg(long, value_name = "DIR", conflicts_with = "chart")]
    out: Option<PathBuf>,
}

/// Runs `osmo-values schema`.
pub fn run(args: Args) -> Result<ExitCode> {
    match (args.chart, args.out) {
        (Some(name), None) => {
            let release = args.release.unwrap_or(Release::LATEST);
            let Some(chart) = Chart::new(release, name) else {
                bail!(
                    "OSMO {release} has no {name} chart (its charts: {}); pass --release 6.2.10 for the {name} chart",
                    release
                        .charts()
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            };
            print!("{}", schema::to_pretty(&chart.schema()));
        }
        (None, Some(dir)) => {
            let releases: Vec<Release> = match args.release {
                Some(r) => vec![r],
                None => Release::ALL.to_vec(),
            };
            for chart in releases.into_iter().flat_map(Chart::all) {
                let path = dir.join(chart.schema_file());
                if let Some(parent) = path.parent() {
                    fsutil::ensure_dir(parent)?;
                }
                fsutil::write_atomic(&path, schema::to_pretty(&chart.schema()).as_bytes(), None)?;
                println!("wrote {}", path.display());
            }
        }
        _ => bail!("give either --chart NAME (print one schema) or --out DIR (write all)"),
    }
    Ok(ExitCode::SUCCESS)
}
