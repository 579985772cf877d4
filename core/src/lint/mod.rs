//! The linter: reads OSMO values files exactly as Helm does and reports
//! every problem the 6.2 charts would refuse or silently mishandle, at the
//! exact line and column, with the fix.
//!
//! ```
//! use osmo_values::lint::{lint, LintInput, LintOptions};
//! let input = LintInput { name: "osmo_values.yaml", source: b"global:\n  osmoImageTag: 6.10\n" };
//! let found = lint(&[input], &LintOptions::default()).unwrap();
//! assert_eq!(found[0].code, "OV004");
//! assert_eq!(found[0].span.unwrap().start.line, 2);
//! ```

mod cross;
pub mod defaults;
mod fixes;
pub mod merge;
mod overrides;
pub mod quantity;
mod refused;
mod rules;
mod runtime;
mod sanity;
#[cfg(feature = "validate")]
mod schema_check;
mod schema_rules;
mod source;
pub mod suggest;

use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, Related, Severity, Span};
use crate::path::Path;
use crate::{Chart, ChartName};

pub use fixes::apply_fixes;
pub use rules::{RULES, Rule, code, rules_markdown};
pub use runtime::find_placeholder;

use merge::Group;
use source::SourceFile;
use suggest::Shape;

/// One file to lint.
#[derive(Debug, Clone, Copy)]
pub struct LintInput<'a> {
    /// The path as given by the user (used to detect the chart and in messages).
    pub name: &'a str,
    /// The file's bytes.
    pub source: &'a [u8],
}

/// How to lint.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// The chart of every file; when `None`, detected from each file's name.
    pub chart: Option<ChartName>,
}

/// A usage error: the linter cannot tell what to check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LintError {
    /// The chart of a file cannot be told from its name.
    #[error(
        "cannot tell which chart `{file}` is for: name it osmo_values.yaml, router_values.yaml, \
         ui_values.yaml or backend_operator_values.yaml, or pass the chart"
    )]
    NoChart {
        /// The file's name as given.
        file: String,
    },
    /// A chart was given, but a file's name says it is for another chart.
    #[error("`{file}` looks like a values file of the {detected} chart, not of the {chart} chart")]
    MixedCharts {
        /// The file's name as given.
        file: String,
        /// The chart given in the options.
        chart: ChartName,
        /// The chart its name suggests.
        detected: ChartName,
    },
}

/// Every rule, ordered by code.
pub fn rules() -> &'static [Rule] {
    RULES
}

/// The rule with this code (`OV101`) or name (`unknown-key`), case-insensitively.
///
/// ```
/// use osmo_values::lint::rule;
/// assert_eq!(rule("ov204").unwrap().name, "oauth-cluster");
/// assert_eq!(rule("unknown-key").unwrap().code, "OV101");
/// assert!(rule("nope").is_none());
/// ```
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// The chart a values file is for, from its base name: `osmo_values.yaml`
/// (service), `router_values.yaml`, `ui_values.yaml` (web-ui),
/// `backend_operator_values.yaml`, also with a suffix such as
/// `osmo_values.prod.yaml` or `osmo_values-prod.yml`.
///
/// ```
/// use osmo_values::{lint::detect_chart, ChartName};
/// assert_eq!(detect_chart("deploy/osmo_values.prod.yaml"), Some(ChartName::Service));
/// assert_eq!(detect_chart("C:\\x\\ui_values-staging.yml"), Some(ChartName::WebUi));
/// assert_eq!(detect_chart("values.yaml"), None);
/// ```
pub fn detect_chart(file_name: &str) -> Option<ChartName> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = base
        .strip_suffix(".yaml")
        .or_else(|| base.strip_suffix(".yml"))?;
    ChartName::ALL.into_iter().find(|c| {
        let file = Chart::latest(*c).values_file();
        let want = file.strip_suffix(".yaml").unwrap_or(file);
        stem.strip_prefix(want)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '-', '_']))
    })
}

/// The slot of a chart in the per-chart caches below.
fn chart_index(chart: ChartName) -> usize {
    ChartName::ALL.iter().position(|c| *c == chart).unwrap_or(0)
}

/// The key structure of a chart's schema (built once).
pub(crate) fn shape(chart: ChartName) -> &'static Shape {
    static CELLS: [OnceLock<Shape>; 4] = [const { OnceLock::new() }; 4];
    CELLS[chart_index(chart)].get_or_init(|| Shape::of_chart(chart))
}

/// Builds what linting files of `chart` needs (its key shape and, with the
/// `validate` feature, its schema and compiled validator) ahead of the
/// first [`lint`] call, which otherwise builds them on first use.
///
/// Everything is built once per process and shared by every thread, so a
/// caller with spare cores can prepare on another thread while it reads
/// files; the results are the same either way.
///
/// ```
/// use osmo_values::{lint, ChartName};
/// std::thread::scope(|s| {
///     s.spawn(|| lint::prepare(ChartName::Router));
/// });
/// let input = lint::LintInput { name: "router_values.yaml", source: b"{}" };
/// assert!(lint::lint(&[input], &lint::LintOptions::default()).unwrap().is_empty());
/// ```
pub fn prepare(chart: ChartName) {
    #[cfg(feature = "validate")]
    schema_check::prepare(chart);
    shape(chart);
}

/// Collected findings.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub out: Vec<Diagnostic>,
}

impl Sink {
    /// Adds a finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }
}

/// A finding of rule `code` at `file`/`span`, with the rule's severity.
pub(crate) fn diag(
    code: &'static str,
    file: usize,
    span: Span,
    message: impl Into<String>,
) -> Diagnostic {
    let severity = rules::severity(code).unwrap_or(Severity::Error);
    Diagnostic::new(code, severity, message).at(file, span)
}

/// A related location.
pub(crate) fn related(file: usize, span: Span, message: impl Into<String>) -> Related {
    Related {
        file,
        span,
        message: message.into(),
    }
}

/// Lints values files: each file alone, the files of one chart merged the
/// Helm way, and the charts against each other.
///
/// Findings are sorted by file, then position. Unreadable files are findings
/// (`OV001`), not errors; the only errors are usage errors (which chart).
pub fn lint(inputs: &[LintInput<'_>], options: &LintOptions) -> Result<Vec<Diagnostic>, LintError> {
    let mut charts = Vec::with_capacity(inputs.len());
    for input in inputs {
        let detected = detect_chart(input.name);
        let chart = match (options.chart, detected) {
            (Some(c), Some(d)) if c != d => {
                return Err(LintError::MixedCharts {
                    file: input.name.to_owned(),
                    chart: c,
                    detected: d,
                });
            }
            (Some(c), _) => c,
            (None, Some(d)) => d,
            (None, None) => {
                return Err(LintError::NoChart {
                    file: input.name.to_owned(),
                });
            }
        };
        charts.push(chart);
    }

    let mut sink = Sink::default();
    let mut files: Vec<(ChartName, SourceFile<'_>)> = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        match crate::yaml::parse_bytes(input.source) {
            Ok(doc) => {
                // parse_bytes succeeded, so the bytes are UTF-8.
                let text = std::str::from_utf8(input.source).unwrap_or_default();
                let json = doc.root.to_json();
                files.push((
                    charts[index],
                    SourceFile {
                        index,
                        text,
                        doc,
                        json,
                    },
                ));
            }
            Err(err) => {
                let p = source::pos(err.pos);
                sink.push(
                    diag(
                        code::UNREADABLE,
                        index,
                        Span { start: p, end: p },
                        err.message.clone(),
                    )
                    .with_help("Helm cannot read this file; fix the syntax at this position"),
                );
            }
        }
    }

    for (chart, file) in &files {
        lint_file(*chart, file, &mut sink);
    }

    let mut groups = Vec::new();
    for chart in ChartName::ALL {
        let members: Vec<&SourceFile<'_>> = files
            .iter()
            .filter(|(c, _)| *c == chart)
            .map(|(_, f)| f)
            .collect();
        if !members.is_empty() {
            groups.push(Group::new(Chart::latest(chart), members));
        }
    }
    for g in &groups {
        runtime::check(g, &mut sink);
        overrides::check(g, &mut sink);
        sanity::check(g, &mut sink);
    }
    cross::check(&groups, &mut sink);

    let mut out = sink.out;
    out.sort_by(|a, b| {
        (a.file, a.span.map(|s| s.start.offset), a.code, &a.message).cmp(&(
            b.file,
            b.span.map(|s| s.start.offset),
            b.code,
            &b.message,
        ))
    });
    out.dedup();
    Ok(out)
}

/// The checks of one file on its own.
fn lint_file(chart: ChartName, file: &SourceFile<'_>, sink: &mut Sink) {
    for dup in &file.doc.duplicates {
        let path = dup.path.clone().key(dup.key.clone());
        sink.push(
            diag(
                code::DUPLICATE_KEY,
                file.index,
                source::span(dup.second),
                format!("`{}` is written twice; Helm keeps only this one", path),
            )
            .with_path(path)
            .with_related(related(
                file.index,
                source::span(dup.first),
                "first written here; everything set there is lost",
            ))
            .with_help("merge the two blocks into one"),
        );
    }
    let handled = refused::check_file(chart, file, sink);
    schema_rules::check_file(chart, file, &handled, sink);
    runtime::check_file_strings(file, sink);
}

/// Paths whose problems a specific rule already reports (so the generic
/// unknown-key rule stays quiet there).
pub(crate) type Handled = Vec<Path>;
