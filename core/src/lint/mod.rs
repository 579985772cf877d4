//! The linter: reads OSMO values files exactly as Helm does and reports
//! every problem the charts of their release would refuse or silently
//! mishandle, at the exact line and column, with the fix.
//!
//! One call lints one deployment: the files are judged against one OSMO
//! [`Release`] (given, or read off the files; see [`plan`]), each file on its
//! own, the files of each Helm install merged over the chart defaults the
//! way Helm merges them, and the installs against each other.
//!
//! ```
//! use osmo_values::lint::{lint, LintInput, LintOptions};
//! let input = LintInput { name: "osmo_values.yaml", source: b"global:\n  osmoImageTag: 6.10\n" };
//! let found = lint(&[input], &LintOptions::default()).unwrap();
//! let tag = found.iter().find(|d| d.code == "OV004").unwrap();
//! assert_eq!(tag.span.unwrap().start.line, 2);
//! ```

mod clients;
mod configs;
mod cross;
mod fixes;
mod gateway;
pub mod merge;
mod moved;
mod no_effect;
mod nulls;
mod operator;
mod overrides;
pub mod plan;
pub mod quantity;
mod refused;
pub(crate) mod rules;
mod runtime;
mod sanity;
#[cfg(feature = "validate")]
mod schema_check;
#[cfg(feature = "validate")]
mod schema_eval;
mod schema_rules;
mod source;
mod startup;
pub mod suggest;

use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, Related, Severity, Span};
use crate::path::Path;
use crate::{Chart, ChartName, Release};

pub use fixes::apply_fixes;
pub use overrides::CONTAINER_ONLY as ENVOY_OVERRIDE_CONTAINER_ONLY;
pub use plan::{Install, LayerOrder, ReleaseChoice, ReleaseReason, detect_chart, schema_target};
pub use rules::{RULES, Rule, code, rules_for, rules_markdown};
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
    /// The chart of every file; when `None`, detected from each file's name
    /// (or its schema line).
    pub chart: Option<ChartName>,
    /// The OSMO release to judge the files against; when `None`, read off
    /// the files (schema line, then content), else the newest.
    pub release: Option<Release>,
    /// How the layers of one install are ordered.
    pub order: LayerOrder,
    /// The backends of the deployment (from its `spec.yaml`), when known:
    /// `backend_operator_values.<name>.yaml` is then the install of backend
    /// `<name>`, not an overlay.
    pub backends: Option<Vec<String>>,
    /// The Secrets the deployment creates beside its values (from the
    /// `secrets.yaml` of a generated bundle), when known: a Secret the
    /// values name that is among them is not a reminder (OV316).
    pub secrets: Option<Vec<String>>,
}

/// What linting a deployment found, and how it read the files.
#[derive(Debug, Clone, PartialEq)]
pub struct LintReport {
    /// The findings, sorted by file, then position.
    pub diagnostics: Vec<Diagnostic>,
    /// The release the files were judged against, and why.
    pub release: ReleaseChoice,
    /// The Helm installs the files make up, each with its files in merge order.
    pub installs: Vec<Install>,
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

/// The slot of a chart in the per-chart caches below.
fn chart_slot(chart: Chart) -> usize {
    Chart::every().position(|c| c == chart).unwrap_or(0)
}

/// The number of charts of every release (the size of the caches).
const CHART_SLOTS: usize = 6;

/// The key structure of a chart's schema (built once).
pub(crate) fn shape(chart: Chart) -> &'static Shape {
    static CELLS: [OnceLock<Shape>; CHART_SLOTS] = [const { OnceLock::new() }; CHART_SLOTS];
    CELLS[chart_slot(chart)].get_or_init(|| Shape::of_chart(chart))
}

/// How many files of one chart make [`prepare`] on another thread worth
/// starting the thread: below that, the first file reads what it needs.
pub const PREPARE_FROM_FILES: usize = 4;

/// Reads what linting files of `chart` needs (its key shape and, with the
/// `validate` feature, its validation schema with its patterns compiled)
/// ahead of the first [`lint`] call, which otherwise reads them on first
/// use.
///
/// Everything is read once per process and shared by every thread, so a
/// caller with spare cores can prepare on another thread while it reads
/// files; the findings are the same either way.
///
/// ```
/// use osmo_values::{lint, Chart, ChartName, Release};
/// let router = Chart::new(Release::V6_2_10, ChartName::Router).unwrap();
/// std::thread::scope(|s| {
///     s.spawn(|| lint::prepare(router));
/// });
/// let source = b"sidecars: {envoy: {enabled: false}, oauth2Proxy: {enabled: false}}";
/// let input = lint::LintInput { name: "router_values.yaml", source };
/// assert!(lint::lint(&[input], &lint::LintOptions::default()).unwrap().is_empty());
/// ```
pub fn prepare(chart: Chart) {
    #[cfg(feature = "validate")]
    schema_check::prepare(chart);
    shape(chart);
}

/// The JSON Schema the linter validates `chart`'s values files against,
/// generated from the models: the published schema with its nullable
/// references left as references (smaller to compile than written out at
/// every use) and without annotations (descriptions, titles, defaults),
/// which validation does not read. The linter reads the copy committed in
/// `core/src/lint/schemas/` (a test keeps it equal to this).
///
/// ```
/// use osmo_values::{lint, Chart, ChartName, Release};
/// let chart = Chart::new(Release::V6_3_1, ChartName::Service).unwrap();
/// let schema = lint::validation_schema(chart);
/// assert!(schema["properties"]["gateway"].is_object());
/// assert!(!schema.to_string().contains("\"description\""));
/// ```
pub fn validation_schema(chart: Chart) -> serde_json::Value {
    let mut schema = chart.schema_with_refs();
    strip_annotations(&mut schema);
    schema
}

/// Removes the annotation keywords of a schema (not properties that happen
/// to have such names).
fn strip_annotations(schema: &mut serde_json::Value) {
    use serde_json::Value;
    const ANNOTATIONS: [&str; 4] = ["description", "title", "default", "examples"];
    match schema {
        Value::Object(map) => {
            map.retain(|k, _| !ANNOTATIONS.contains(&k.as_str()));
            for (k, v) in map.iter_mut() {
                match (k.as_str(), v) {
                    ("properties" | "patternProperties" | "definitions", Value::Object(named)) => {
                        named.values_mut().for_each(strip_annotations)
                    }
                    ("enum" | "const", _) => {}
                    (_, v) => strip_annotations(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_annotations),
        _ => {}
    }
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

/// Lints the values files of one deployment and returns the findings
/// (see [`lint_report`] for how the files were read).
pub fn lint(inputs: &[LintInput<'_>], options: &LintOptions) -> Result<Vec<Diagnostic>, LintError> {
    lint_report(inputs, options).map(|r| r.diagnostics)
}

/// The release [`lint_report`] would judge the files against, and why,
/// without linting them (cheap: the files are only parsed).
///
/// ```
/// use osmo_values::lint::{choose_release, LintInput, LintOptions, ReleaseReason};
/// use osmo_values::Release;
/// let ui = LintInput { name: "ui_values.yaml", source: b"{}" };
/// let choice = choose_release(&[ui], &LintOptions::default()).unwrap();
/// assert_eq!(choice.release, Release::V6_2_10);
/// ```
pub fn choose_release(
    inputs: &[LintInput<'_>],
    options: &LintOptions,
) -> Result<ReleaseChoice, LintError> {
    let docs: Vec<Option<crate::yaml::Document>> = inputs
        .iter()
        .map(|i| crate::yaml::parse_bytes(i.source).ok())
        .collect();
    let files: Vec<plan::PlanFile<'_>> = inputs
        .iter()
        .zip(&docs)
        .map(|(input, doc)| plan::PlanFile {
            name: input.name,
            text: std::str::from_utf8(input.source).ok(),
            doc: doc.as_ref(),
        })
        .collect();
    let charts = plan::charts(&files, options)?;
    Ok(plan::release(&files, &charts, options))
}

/// Lints the values files of one deployment: each file alone, the files of
/// each Helm install merged the Helm way over the chart defaults, and the
/// installs against each other, all judged against one release.
///
/// Findings are sorted by file, then position. Unreadable files are findings
/// (`OV001`), not errors; the only errors are usage errors (which chart).
///
/// ```
/// use osmo_values::lint::{lint_report, LintInput, LintOptions, ReleaseReason};
/// use osmo_values::Release;
/// let base = LintInput { name: "osmo_values.yaml", source: b"gateway:\n  name: osmo-gateway\n" };
/// let prod = LintInput { name: "osmo_values.prod.yaml", source: b"{}" };
/// let report = lint_report(&[prod, base], &LintOptions::default()).unwrap();
/// assert_eq!(report.release.release, Release::V6_3_1);
/// assert!(matches!(report.release.reason, ReleaseReason::Content { file: 1, .. }));
/// assert_eq!(report.installs[0].files, [1, 0], "the base file first");
/// ```
pub fn lint_report(
    inputs: &[LintInput<'_>],
    options: &LintOptions,
) -> Result<LintReport, LintError> {
    let mut sink = Sink::default();
    let texts: Vec<Option<&str>> = inputs
        .iter()
        .map(|i| std::str::from_utf8(i.source).ok())
        .collect();
    let mut docs: Vec<Option<crate::yaml::Document>> = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.iter().enumerate() {
        // The text is checked once: only bytes that are not UTF-8 go to
        // `parse_bytes`, for its error.
        let parsed = match texts[index] {
            Some(text) => crate::yaml::parse(text),
            None => crate::yaml::parse_bytes(input.source),
        };
        match parsed {
            Ok(doc) => docs.push(Some(doc)),
            Err(err) => {
                docs.push(None);
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
    let plan_files: Vec<plan::PlanFile<'_>> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| plan::PlanFile {
            name: input.name,
            text: texts[i],
            doc: docs[i].as_ref(),
        })
        .collect();
    let charts = plan::charts(&plan_files, options)?;
    let choice = plan::release(&plan_files, &charts, options);
    let release = choice.release;

    let mut files: Vec<(Chart, SourceFile<'_>)> = Vec::new();
    for (index, doc) in docs.into_iter().enumerate() {
        let Some(doc) = doc else { continue };
        let Some(chart) = Chart::new(release, charts[index]) else {
            sink.push(chart_not_in_release(index, charts[index], release));
            continue;
        };
        // The document parsed, so the bytes are UTF-8.
        let text = texts[index].unwrap_or_default();
        let json = doc.root.to_json();
        files.push((
            chart,
            SourceFile {
                index,
                text,
                doc,
                json,
            },
        ));
    }

    for (chart, file) in &files {
        lint_file(*chart, file, &mut sink);
    }

    let names: Vec<&str> = files.iter().map(|(_, f)| inputs[f.index].name).collect();
    let file_charts: Vec<ChartName> = files.iter().map(|(c, _)| c.name).collect();
    let mut installs = plan::installs(&names, &file_charts, release, options);
    let mut groups = Vec::with_capacity(installs.len());
    for install in &mut installs {
        let members: Vec<&SourceFile<'_>> = install.files.iter().map(|&k| &files[k].1).collect();
        // Report input indexes, not indexes among the readable files.
        for k in &mut install.files {
            *k = files[*k].1.index;
        }
        groups.push(Group::new(install.chart, members));
    }
    for g in &groups {
        if release.has_gateway() {
            nulls::check(g, &mut sink);
            gateway::check(g, &mut sink);
            clients::check(g, &mut sink);
            startup::check(g, options.secrets.as_deref(), &mut sink);
        } else {
            // 6.2.10's run-time rules: only in builds that lint 6.2.10 (feature `release-6-2`).
            #[cfg(feature = "release-6-2")]
            {
                runtime::check(g, &mut sink);
                overrides::check(g, &mut sink);
            }
        }
        sanity::check(g, &mut sink);
        configs::check(g, &mut sink);
    }
    if release.has_gateway() {
        operator::check(&groups, &mut sink);
    } else {
        #[cfg(feature = "release-6-2")]
        cross::check(&groups, &mut sink);
    }
    configs::cross(&groups, &mut sink);

    let mut out = sink.out;
    // A snake_case key under `services.configs` is an unknown key of the
    // chart; the ConfigMap rule says what it was meant to be: report it once.
    let dropped: Vec<(usize, Option<Path>)> = out
        .iter()
        .filter(|d| d.code == code::CONFIGS_DROPPED_KEY)
        .map(|d| (d.file, d.path.clone()))
        .collect();
    out.retain(|d| d.code != code::UNKNOWN_KEY || !dropped.contains(&(d.file, d.path.clone())));
    out.sort_by(|a, b| {
        (a.file, a.span.map(|s| s.start.offset), a.code, &a.message).cmp(&(
            b.file,
            b.span.map(|s| s.start.offset),
            b.code,
            &b.message,
        ))
    });
    out.dedup();
    Ok(LintReport {
        diagnostics: out,
        release: choice,
        installs,
    })
}

/// The finding for a file of a chart the release does not ship.
fn chart_not_in_release(file: usize, chart: ChartName, release: Release) -> Diagnostic {
    let start = crate::diagnostic::Pos {
        offset: 0,
        line: 1,
        column: 1,
    };
    let home = match chart {
        ChartName::Router => "`services.router` of the service chart (osmo_values.yaml)",
        ChartName::WebUi => "`services.ui` of the service chart (osmo_values.yaml)",
        _ => "another chart",
    };
    diag(
        code::CHART_NOT_IN_RELEASE,
        file,
        Span { start, end: start },
        format!("OSMO {release} has no {chart} chart: nothing installs these values"),
    )
    .with_help(format!(
        "its settings belong under {home}; `osmo-values migrate --to {release}` moves them, \
         or lint with `--release 6.2.10` if this deployment still runs 6.2"
    ))
}

/// The checks of one file on its own.
fn lint_file(chart: Chart, file: &SourceFile<'_>, sink: &mut Sink) {
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
    #[cfg(feature = "release-6-2")]
    let handled = if chart.release.refuses_bad_values() {
        refused::check_file(chart.name, file, sink)
    } else {
        Handled::new()
    };
    // Only 6.2.10's charts refuse values; this build does not lint 6.2.10.
    #[cfg(not(feature = "release-6-2"))]
    let handled = Handled::new();
    // One walk for the rules that look at every node on its own (their
    // findings are sorted with the others at the end).
    let mut reported = Vec::new();
    source::walk_steps(&file.doc.root, &mut Vec::new(), &mut |steps, key, node| {
        schema_rules::numeric_tag_at(file, &handled, steps, node, &mut reported, sink);
        runtime::placeholders_at(file, steps, key, node, sink);
    });
    schema_rules::check_file(chart, file, &handled, &reported, sink);
    no_effect::check_file(chart, file, &handled, sink);
}

/// Paths whose problems a specific rule already reports (so the generic
/// unknown-key rule stays quiet there).
pub(crate) type Handled = Vec<Path>;
