//! `osmo-values schema`: print one chart's schema or write all of them.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use osmo_values::{Chart, ChartName, schema};

use crate::fsutil;

/// Print or write the JSON Schemas of the charts' values.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the schema of this chart (service, router, web-ui, backend-operator).
    #[arg(long, value_name = "NAME")]
    chart: Option<ChartName>,
    /// Write every schema into this directory (as <chart>.values.schema.json).
    #[arg(long, value_name = "DIR", conflicts_with = "chart")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    match (args.chart, args.out) {
        (Some(name), None) => {
            print!("{}", schema::to_pretty(&Chart::latest(name).schema()));
        }
        (None, Some(dir)) => {
            fsutil::ensure_dir(&dir)?;
            for chart in Chart::all() {
                let path = dir.join(chart.schema_file());
                fsutil::write_atomic(&path, schema::to_pretty(&chart.schema()).as_bytes(), None)?;
                println!("wrote {}", path.display());
            }
        }
        _ => bail!("give either --chart NAME (print one schema) or --out DIR (write all)"),
    }
    Ok(ExitCode::SUCCESS)
}
