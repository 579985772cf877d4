//! Migration of an OSMO 6.2.10 deployment to 6.3.1: the values files of the
//! four 6.2.10 charts in, the values files of the two 6.3.1 charts, a report
//! of what became of every key and an upgrade script out.
//!
//! Every key of the input ends up in exactly one of three places: moved (to
//! where, with any rewrite), dropped (why), or waiting for the operator's
//! decision (the question). Where each key goes is the table in
//! [`crate::release::moves`]; this module applies it to a deployment:
//! - the router's and the web UI's values merge into the service chart's file
//!   (`services.router`, `services.ui`), the sidecars into `gateway.*`; where
//!   two 6.2 charts set the same 6.3.1 key, equal values merge and different
//!   ones become a decision (the service chart's value is written);
//! - the operator's layering is kept: `osmo_values.yaml`, `router_values.yaml`
//!   and `ui_values.yaml` become one `osmo_values.yaml`, and
//!   `osmo_values.prod.yaml` with `router_values.prod.yaml` one
//!   `osmo_values.prod.yaml`, so each overlay still only overrides;
//!   backend-operator files keep their names;
//! - comments travel with the keys they sit on; comments on blocks go with
//!   the block, and comments on nothing are listed in the report;
//! - no default the operator never set is written, with a few exceptions
//!   the report lists ("written by the migration"): the image tag (6.3.1's
//!   default is `latest`), and what keeps a 6.2 setting working where 6.3.1
//!   reads it elsewhere (the Ingress's class and TLS, the gateway's host
//!   name and Service type, oauth2-proxy's Redis).
//!
//! ```
//! use osmo_values::migrate::{migrate, MigrateInput, MigrateOptions, Fate};
//! let router = b"services:\n  service:\n    # three at least\n    scaling:\n      minReplicas: 3\n";
//! let service = b"sidecars:\n  envoy:\n    idp:\n      host: login.example.com\n";
//! let inputs = [
//!     MigrateInput { name: "osmo_values.yaml", source: service },
//!     MigrateInput { name: "router_values.yaml", source: router },
//! ];
//! let migration = migrate(&inputs, &MigrateOptions::default()).unwrap();
//! let values = &migration.file("osmo_values.yaml").unwrap().contents;
//! assert!(values.contains("  router:\n    # three at least\n    scaling:\n      minReplicas: 3\n"));
//! assert!(values.contains("gateway:\n  envoy:\n    idp:\n      host: login.example.com\n"));
//! let fate = &migration.report.keys[0];
//! assert_eq!(fate.path.to_string(), "sidecars.envoy.idp.host");
//! assert!(matches!(&fate.fate, Fate::Moved { to, .. } if to[0].path.to_string() == "gateway.envoy.idp.host"));
//! assert_eq!(migration.report.open_decisions(), 0);
//! assert!(migration.file("upgrade.sh").unwrap().contents.contains("helm uninstall"));
//! ```

mod deploy;
mod emit;
mod input;
mod place;
mod report;
mod resolve;
mod rewrite;
mod script;
pub mod tree;

use serde_json::Value;

use crate::generate::GeneratedFile;
use crate::lint::LayerOrder;
use crate::path::Path;
use crate::{ChartName, Release};

pub use report::{DECISION_MARKER, REPORT_FILE};
pub use script::SCRIPT_FILE;

/// One 6.2.10 values file.
#[derive(Debug, Clone, Copy)]
pub struct MigrateInput<'a> {
    /// The path as given (its file name tells the chart, as for lint).
    pub name: &'a str,
    /// The file's bytes.
    pub source: &'a [u8],
}

/// How to migrate.
#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// The release to migrate to (only 6.3.1 from 6.2.10).
    pub to: Release,
    /// The chart of every file; by default each file's chart comes from its
    /// name or its schema line, as for lint.
    pub chart: Option<ChartName>,
    /// How the layers of one chart are ordered (as for lint).
    pub order: LayerOrder,
    /// The deployment's backends (from its `spec.yaml`), when known: which
    /// `backend_operator_values.<name>.yaml` files are installs of their own,
    /// and where each operator runs.
    pub backends: Option<Vec<BackendTarget>>,
}

impl Default for MigrateOptions {
    fn default() -> Self {
        MigrateOptions {
            to: Release::V6_3_1,
            chart: None,
            order: LayerOrder::BaseFirst,
            backends: None,
        }
    }
}

/// Where one backend's operator runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendTarget {
    /// The backend's name.
    pub name: String,
    /// The namespace its operator is installed in.
    pub operator_namespace: String,
    /// The kubectl context of its cluster, when not the current one.
    pub kube_context: Option<String>,
}

/// A deployment migrated: the files to write and the report.
#[derive(Debug, Clone)]
pub struct Migration {
    /// The 6.3.1 values files, then `MIGRATION.md` and `upgrade.sh`.
    pub files: Vec<GeneratedFile>,
    /// What became of every key.
    pub report: Report,
}

impl Migration {
    /// The file named `name`, if written.
    pub fn file(&self, name: &str) -> Option<&GeneratedFile> {
        self.files.iter().find(|f| f.name == name)
    }
}

/// What became of every key of a deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The release migrated from.
    pub from: Release,
    /// The release migrated to.
    pub to: Release,
    /// The input files, in input order.
    pub inputs: Vec<InputFile>,
    /// The written values files, in Helm merge order per install.
    pub outputs: Vec<OutputFile>,
    /// One entry per key of the input, file by file in source order.
    pub keys: Vec<KeyFate>,
    /// Values the migration wrote that no input key set.
    pub added: Vec<Added>,
    /// Questions about the deployment as a whole.
    pub decisions: Vec<String>,
    /// Comments that sat on no key: (input file, line, text).
    pub loose_comments: Vec<(usize, usize, String)>,
    /// 6.2.10 defaults this deployment relied on that 6.3.1 changed.
    pub default_changes: Vec<&'static crate::release::moves::DefaultChange>,
}

impl Report {
    /// The decisions still open: one per key that needs one, plus the
    /// deployment-wide ones.
    pub fn open_decisions(&self) -> usize {
        self.decisions.len()
            + self
                .keys
                .iter()
                .filter(|k| matches!(k.fate, Fate::Decide { .. }))
                .count()
    }

    /// How many keys moved, were dropped, and need a decision.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for k in &self.keys {
            match k.fate {
                Fate::Moved { .. } => c.0 += 1,
                Fate::Dropped { .. } => c.1 += 1,
                Fate::Decide { .. } => c.2 += 1,
            }
        }
        c
    }
}

/// An input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The name as given.
    pub name: String,
    /// Its 6.2.10 chart.
    pub chart: ChartName,
}

/// A written values file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// The file name.
    pub name: String,
    /// Its 6.3.1 chart.
    pub chart: ChartName,
    /// For a backend operator, the install it belongs to (the backend, or
    /// its first file's name).
    pub install: Option<String>,
}

/// What became of one key.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFate {
    /// Index of the input file.
    pub file: usize,
    /// Line of the key, from 1.
    pub line: usize,
    /// Column of the key, from 1.
    pub column: usize,
    /// The key's path in the 6.2.10 file.
    pub path: Path,
    /// Its value as Helm read it.
    pub value: Value,
    /// Comments on it (or on its block) that were not written anywhere.
    pub comments: Vec<String>,
    /// Moved, dropped or waiting for a decision.
    pub fate: Fate,
}

/// Moved, dropped or waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Written to 6.3.1 places (a rewritten value says so in `note`).
    Moved {
        /// Where.
        to: Vec<Place>,
        /// What changed on the way, if anything.
        note: Option<String>,
    },
    /// Not written, for this reason.
    Dropped {
        /// Why.
        reason: String,
    },
    /// The operator must decide.
    Decide {
        /// What to decide.
        question: String,
        /// What was written meanwhile (possibly nothing).
        written: Vec<Place>,
    },
}

/// A key of a written file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file name.
    pub file: String,
    /// The key's path.
    pub path: Path,
}

/// A value the migration wrote that no input key set.
#[derive(Debug, Clone, PartialEq)]
pub struct Added {
    /// Where.
    pub place: Place,
    /// The value.
    pub value: Value,
    /// Why.
    pub why: String,
}

/// Why a deployment cannot be migrated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrateError {
    /// A file is not YAML Helm can read.
    #[error("{file}:{line}:{column}: {message}")]
    Unreadable {
        /// The name as given.
        file: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A file's chart cannot be told.
    #[error(
        "{file}:1:1: cannot tell which chart this file is for: name it osmo_values.yaml, \
         router_values.yaml, ui_values.yaml or backend_operator_values.yaml, or pass the chart"
    )]
    UnknownChart {
        /// The name as given.
        file: String,
    },
    /// A chart was given, but a file's name says it is for another chart.
    #[error(
        "{file}:1:1: this looks like a values file of the {detected} chart, not of the {chart} chart"
    )]
    MixedCharts {
        /// The name as given.
        file: String,
        /// The chart given.
        chart: ChartName,
        /// The chart its name suggests.
        detected: ChartName,
    },
    /// A file is already for a later release.
    #[error(
        "{file}:{line}:{column}: this file is for OSMO {release} already ({evidence}); migrate reads OSMO 6.2.10 files"
    )]
    NotFrom {
        /// The name as given.
        file: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The release it is for.
        release: Release,
        /// What says so.
        evidence: String,
    },
    /// Two files would be written under the same name.
    #[error("two input files would both become {0}: migrate the deployments one at a time")]
    SameOutput(String),
    /// No release path to the target.
    #[error("migrate moves OSMO 6.2.10 deployments to 6.3.1, not to {0}")]
    Target(Release),
    /// Nothing to migrate.
    #[error("no values files to migrate")]
    NoInput,
}

/// Migrates a 6.2.10 deployment (any of its values files, bases and
/// overlays) to `options.to`.
///
/// The files are read as Helm reads them; an unreadable file, a file whose
/// chart cannot be told, or a file already for 6.3 is an error naming the
/// file, line and column. Otherwise the result holds every file to write
/// and the report; `report.open_decisions()` says whether the operator has
/// questions to answer before running `upgrade.sh`.
pub fn migrate(
    inputs: &[MigrateInput<'_>],
    options: &MigrateOptions,
) -> Result<Migration, MigrateError> {
    if options.to != Release::V6_3_1 {
        return Err(MigrateError::Target(options.to));
    }
    let dep = input::Deployment::read(inputs, options)?;
    let outs = place::Outputs::plan(&dep, options)?;
    let ctx = resolve::Ctx::new(&dep, options.to);
    let verdicts: Vec<resolve::Verdict> =
        dep.leaves.iter().map(|l| resolve::leaf(&ctx, l)).collect();
    let mut placed = place::Placed::new(&dep, &outs, verdicts);
    placed.settle(&dep);
    let mut decisions = Vec::new();
    let added = deploy::complete(&ctx, &outs, &mut placed, &mut decisions);
    let (trees, leftover) = placed.build(&dep, &outs);
    let report = report::assemble(&dep, &outs, &placed, leftover, added, decisions, options.to);
    let mut files = Vec::new();
    for (out, tree) in outs.files.iter().zip(&trees) {
        files.push(GeneratedFile {
            name: out.name.clone(),
            contents: place::file_text(out, tree, &dep),
            sensitive: false,
            executable: false,
        });
    }
    files.push(GeneratedFile {
        name: REPORT_FILE.to_owned(),
        contents: report::markdown(&report),
        sensitive: false,
        executable: false,
    });
    files.push(GeneratedFile {
        name: SCRIPT_FILE.to_owned(),
        contents: script::upgrade_sh(&dep, &outs, &report, options),
        sensitive: false,
        executable: true,
    });
    Ok(Migration { files, report })
}
