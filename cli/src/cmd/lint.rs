//! `osmo-values lint`: lint values files, print the findings, exit 0 (clean),
//! 1 (findings at or above `--deny`) or 2 (usage or I/O error).
//!
//! Files in the same directory are one deployment: they are linted together
//! (files of one chart merged the Helm way, the charts compared with each
//! other). Directories are independent of each other and are linted in
//! parallel, one worker thread per core; the output follows the order of
//! the files on the command line, whatever the threads' timing.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use osmo_values::diagnostic::{Diagnostic, Severity};
use osmo_values::lint::{self, LayerOrder, LintError, LintInput, LintOptions, LintReport};
use osmo_values::{Chart, ChartName, Release};

use crate::fsutil;
use crate::render::{self, Counts, Format, RuleMeta, SourceFile};

/// Lint values files like a compiler: findings with the line, the column and the fix.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The chart of every file (service, router, web-ui, backend-operator);
    /// by default each file's chart comes from its name (osmo_values.yaml,
    /// router_values.yaml, ui_values.yaml, backend_operator_values.yaml, also
    /// with a suffix such as osmo_values.prod.yaml).
    #[arg(long, value_name = "NAME")]
    chart: Option<ChartName>,
    /// The OSMO release the files are for (6.2.10 or 6.3.1); by default read
    /// off the files (their schema line, then their content), else the newest.
    #[arg(long, value_name = "RELEASE")]
    release: Option<Release>,
    /// How the files of one chart merge: `base-first` (the guides' file name
    /// first, then its overlays by name, whatever the argument order) or
    /// `given` (in the order given, like `helm -f a -f b`).
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = Order::BaseFirst)]
    order: Order,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = DenyLevel::Error)]
    deny: DenyLevel,
    /// Apply the machine-applicable fixes in place, then report what remains.
    #[arg(long)]
    fix: bool,
    /// Lint all the files as one deployment, even across directories (by
    /// default each directory is a deployment of its own).
    #[arg(long)]
    together: bool,
    /// When to colour the text output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// The values files.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

/// How the files of one chart merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Order {
    /// The base file (the guides' name) first, then its overlays by name.
    BaseFirst,
    /// In the order given on the command line.
    Given,
}

/// The least severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DenyLevel {
    /// Only errors fail.
    Error,
    /// Warnings and errors fail.
    Warning,
    /// Every finding fails.
    Info,
}

impl DenyLevel {
    fn severity(self) -> Severity {
        match self {
            DenyLevel::Error => Severity::Error,
            DenyLevel::Warning => Severity::Warning,
            DenyLevel::Info => Severity::Info,
        }
    }
}

/// Whether to colour the text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// How many times `--fix` re-lints and fixes again (fixes that overlap
/// another are applied on a later pass).
const FIX_PASSES: usize = 4;

/// What linting one group of files produced.
#[derive(Debug, Default)]
struct Outcome {
    /// Files of the group that could be read, with their global index.
    files: Vec<(usize, SourceFile)>,
    /// Findings, with global file indexes.
    diagnostics: Vec<Diagnostic>,
    /// Errors that make the run exit with 2.
    errors: Vec<String>,
    /// Files rewritten by `--fix`.
    fixed: Vec<usize>,
    /// How the files were read (release, installs with global indexes).
    plan: Option<Plan>,
}

/// How one deployment's files were read: the release and the installs,
/// with global file indexes.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The release, and why, in words.
    pub release: Release,
    /// Why that release, in words.
    pub why: String,
    /// Each Helm install: chart, backend, files in merge order.
    pub installs: Vec<render::InstallInfo>,
}

/// The files in command-line order without repeats, and the groups that are
/// linted together (indexes into the files).
fn plan(files: &[PathBuf], together: bool) -> (Vec<PathBuf>, Vec<Vec<usize>>) {
    let mut seen = std::collections::HashSet::new();
    let files: Vec<PathBuf> = files
        .iter()
        .filter(|f| seen.insert(f.as_path()))
        .cloned()
        .collect();
    if together {
        return (files.clone(), vec![(0..files.len()).collect()]);
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_dir: HashMap<PathBuf, usize> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir = dir.strip_prefix(".").map(Path::to_path_buf).unwrap_or(dir);
        let g = *by_dir.entry(dir).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    (files, groups)
}

/// Renumbers a group's findings from group-local to global file indexes.
fn globalize(mut d: Diagnostic, members: &[usize]) -> Diagnostic {
    let map = |i: usize| members.get(i).copied().unwrap_or(i);
    d.file = map(d.file);
    for r in &mut d.related {
        r.file = map(r.file);
    }
    if let Some(fix) = &mut d.fix {
        for e in &mut fix.edits {
            e.file = map(e.file);
        }
    }
    d
}

/// The backends the `spec.yaml` beside the group's files names, if there is one.
fn spec_backends(paths: &[PathBuf], members: &[usize]) -> Option<Vec<String>> {
    let dir = members.iter().find_map(|&i| paths[i].parent())?;
    let text = std::fs::read_to_string(dir.join("spec.yaml")).ok()?;
    match osmo_values::DeploymentSpec::parse(&text) {
        Ok((spec, _)) => Some(spec.backends.iter().map(|b| b.name.clone()).collect()),
        Err(err) => {
            eprintln!(
                "warning: {}: {err}; reading the files without it",
                dir.join("spec.yaml").display()
            );
            None
        }
    }
}

/// The Secrets the `secrets.yaml` beside the group's files creates (a generated bundle's),
/// if there is one.
fn bundle_secrets(paths: &[PathBuf], members: &[usize]) -> Option<Vec<String>> {
    let dir = members.iter().find_map(|&i| paths[i].parent())?;
    let path = dir.join("secrets.yaml");
    let text = std::fs::read_to_string(&path).ok()?;
    match osmo_values::generate::secrets::parse_secrets(&text) {
        Ok(secrets) => Some(secrets.names()),
        Err(err) => {
            eprintln!(
                "warning: {}: {err}; reading the files without it",
                path.display()
            );
            None
        }
    }
}

fn lint_group(paths: &[PathBuf], members: &[usize], options: &LintOptions, fix: bool) -> Outcome {
    let mut out = Outcome::default();
    let mut options = options.clone();
    if options.backends.is_none() {
        options.backends = spec_backends(paths, members);
    }
    if options.secrets.is_none() {
        options.secrets = bundle_secrets(paths, members);
    }
    let options = &options;
    let mut local: Vec<usize> = Vec::new();
    let mut sources: Vec<SourceFile> = Vec::new();
    for &i in members {
        let path = &paths[i];
        match std::fs::read(path) {
            Ok(bytes) => {
                local.push(i);
                sources.push(SourceFile::new(path.display().to_string(), bytes));
            }
            Err(err) => out
                .errors
                .push(format!("cannot read {}: {err}", path.display())),
        }
    }
    let run = |sources: &[SourceFile]| {
        let inputs: Vec<LintInput> = sources
            .iter()
            .map(|s| LintInput {
                name: &s.name,
                source: s.bytes(),
            })
            .collect();
        lint::lint_report(&inputs, options)
    };
    let mut report: LintReport = match run(&sources) {
        Ok(r) => r,
        Err(err) => {
            out.errors.push(usage_message(&err));
            return out;
        }
    };
    if fix {
        let mut changed = vec![false; sources.len()];
        for _ in 0..FIX_PASSES {
            let mut any = false;
            for (k, source) in sources.iter_mut().enumerate() {
                let Some(text) = source.text() else { continue };
                if let Some(new) = lint::apply_fixes(text, &report.diagnostics, k)
                    && new != text
                {
                    source.set_text(new);
                    changed[k] = true;
                    any = true;
                }
            }
            if !any {
                break;
            }
            report = match run(&sources) {
                Ok(r) => r,
                Err(err) => {
                    out.errors.push(usage_message(&err));
                    return out;
                }
            };
        }
        for (k, source) in sources.iter().enumerate() {
            if !changed[k] {
                continue;
            }
            match write_back(&paths[local[k]], source.bytes()) {
                Ok(()) => out.fixed.push(local[k]),
                Err(err) => out.errors.push(format!("{err:#}")),
            }
        }
    }
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    out.plan = Some(Plan {
        release: report.release.release,
        why: report.release.describe(&names),
        installs: report
            .installs
            .iter()
            .map(|i| render::InstallInfo {
                chart: i.chart,
                backend: i.backend.clone(),
                files: i.files.iter().map(|&k| local[k]).collect(),
            })
            .collect(),
    });
    out.diagnostics = report
        .diagnostics
        .into_iter()
        .map(|d| globalize(d, &local))
        .collect();
    out.files = local.into_iter().zip(sources).collect();
    out
}

/// Replaces a file atomically with its fixed text, keeping its permissions
/// and writing through a symbolic link to the file it points at.
fn write_back(path: &Path, contents: &[u8]) -> Result<()> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(&target)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    };
    #[cfg(not(unix))]
    let mode = None;
    fsutil::write_atomic(&target, contents, mode)
}

fn usage_message(err: &LintError) -> String {
    match err {
        LintError::NoChart { .. } => format!("{err} with --chart NAME"),
        _ => err.to_string(),
    }
}

/// The release a file's schema line names, else the one its content says.
fn guess_release(path: &Path) -> Option<Release> {
    let bytes = std::fs::read(path).ok()?;
    let input = LintInput {
        name: &path.to_string_lossy(),
        source: &bytes,
    };
    lint::choose_release(&[input], &LintOptions::default())
        .ok()
        .filter(|c| c.reason != lint::ReleaseReason::Latest)
        .map(|c| c.release)
}

/// For each file (global index), its release and install, for the JSON output.
fn file_plans(plans: &[Plan], count: usize) -> Vec<Option<render::FilePlan>> {
    let mut out = vec![None; count];
    for plan in plans {
        for install in &plan.installs {
            for &i in &install.files {
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some(render::FilePlan {
                        release: plan.release,
                        install: install.clone(),
                    });
                }
            }
        }
    }
    out
}

/// The rules table, as the renderers see it.
pub fn rule_metas() -> Vec<RuleMeta<'static>> {
    lint::rules()
        .iter()
        .map(|r| RuleMeta {
            code: r.code,
            name: r.name,
            severity: r.severity,
            summary: r.summary,
            explanation: r.explanation,
        })
        .collect()
}

/// Lints every group, spread over the cores, and puts the results back in
/// command-line order.
fn lint_all(
    paths: &[PathBuf],
    groups: &[Vec<usize>],
    options: &LintOptions,
    fix: bool,
) -> Vec<Outcome> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(groups.len())
        .max(1);
    if workers == 1 {
        // One deployment (or one core): on this thread, which saves starting
        // a thread and growing a second allocator arena for it.
        return groups
            .iter()
            .map(|members| lint_group(paths, members, options, fix))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Outcome)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let g = next.fetch_add(1, Ordering::Relaxed);
                        let Some(members) = groups.get(g) else { break };
                        mine.push((g, lint_group(paths, members, options, fix)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_by_key(|(g, _)| *g);
    done.into_iter().map(|(_, o)| o).collect()
}

/// Runs `osmo-values lint`.
pub fn run(args: Args) -> Result<ExitCode> {
    let (paths, groups) = plan(&args.files, args.together);
    // Usage errors first, before any file is read.
    if args.chart.is_none() {
        let unknown: Vec<String> = paths
            .iter()
            .map(|p| p.display().to_string())
            .filter(|name| lint::detect_chart(name).is_none())
            .collect();
        if !unknown.is_empty() {
            for name in unknown {
                eprintln!(
                    "error: {}",
                    usage_message(&LintError::NoChart { file: name })
                );
            }
            return Ok(ExitCode::from(2));
        }
    }
    let options = LintOptions {
        chart: args.chart,
        release: args.release,
        order: match args.order {
            Order::BaseFirst => LayerOrder::BaseFirst,
            Order::Given => LayerOrder::AsGiven,
        },
        backends: None,
        secrets: None,
    };
    // For many files, read each chart's validation schema and key tree on a
    // thread of its own while the files are read (for a few, starting the
    // thread costs more than it saves), for the release the first file
    // names (or the one asked for).
    let release = args
        .release
        .or_else(|| paths.first().and_then(|p| guess_release(p)))
        .unwrap_or(Release::LATEST);
    let mut charts: Vec<(Chart, usize)> = Vec::new();
    for chart in paths.iter().filter_map(|p| {
        args.chart
            .or_else(|| lint::detect_chart(&p.to_string_lossy()))
            .and_then(|name| Chart::new(release, name))
    }) {
        match charts.iter_mut().find(|(c, _)| *c == chart) {
            Some((_, n)) => *n += 1,
            None => charts.push((chart, 1)),
        }
    }
    let charts: Vec<Chart> = charts
        .into_iter()
        .filter(|(_, n)| *n >= lint::PREPARE_FROM_FILES)
        .map(|(c, _)| c)
        .collect();
    let outcomes = std::thread::scope(|scope| {
        for chart in charts {
            scope.spawn(move || lint::prepare(chart));
        }
        lint_all(&paths, &groups, &options, args.fix)
    });

    let mut files: Vec<Option<SourceFile>> = vec![None; paths.len()];
    let mut diagnostics = Vec::new();
    let mut errors = Vec::new();
    let mut fixed = Vec::new();
    let mut plans: Vec<Plan> = Vec::new();
    for o in outcomes {
        plans.extend(o.plan);
        for (i, f) in o.files {
            files[i] = Some(f);
        }
        diagnostics.extend(o.diagnostics);
        errors.extend(o.errors);
        fixed.extend(o.fixed);
    }
    // Findings by file in command-line order; within a file the engine's
    // order (by position) is kept.
    diagnostics.sort_by_key(|d| d.file);
    fixed.sort_unstable();
    let files: Vec<SourceFile> = files
        .into_iter()
        .zip(&paths)
        .map(|(f, p)| f.unwrap_or_else(|| SourceFile::new(p.display().to_string(), Vec::new())))
        .collect();

    for i in &fixed {
        eprintln!("fixed {}", files[*i].name);
    }
    if !errors.is_empty() {
        for e in &errors {
            eprintln!("error: {e}");
        }
        return Ok(ExitCode::from(2));
    }

    let output = match args.format {
        Format::Text => {
            let mut s = String::new();
            for plan in &plans {
                s.push_str(&render::text::plan(&files, &plan.why, &plan.installs));
            }
            s.push_str(&render::text::render(
                &files,
                &diagnostics,
                args.color.enabled(),
            ));
            if !diagnostics.is_empty() {
                let mut with = diagnostics.iter().map(|d| d.file).collect::<Vec<_>>();
                with.dedup();
                s.push_str(&format!(
                    "{} in {} of {} file{}\n",
                    Counts::of(&diagnostics).describe(),
                    with.len(),
                    files.len(),
                    if files.len() == 1 { "" } else { "s" }
                ));
            }
            s
        }
        Format::Json => {
            render::json::render(&files, &diagnostics, &file_plans(&plans, files.len()))
        }
        Format::Github => render::github::render(&files, &diagnostics),
        Format::Sarif => render::sarif::render(&files, &diagnostics, &rule_metas()),
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the output: {err}");
        return Ok(ExitCode::from(2));
    }
    let deny = args.deny.severity();
    Ok(if diagnostics.iter().any(|d| d.severity >= deny) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_groups_by_directory_in_order_without_repeats() {
        let files: Vec<PathBuf> = [
            "a/osmo_values.yaml",
            "b/osmo_values.yaml",
            "./a/router_values.yaml",
            "a/osmo_values.yaml",
            "x.yaml",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let (paths, groups) = plan(&files, false);
        assert_eq!(paths.len(), 4);
        assert_eq!(groups, vec![vec![0, 2], vec![1], vec![3]]);
        let (_, together) = plan(&files, true);
        assert_eq!(together, vec![vec![0, 1, 2, 3]]);
    }

    #[test]
    fn globalize_renumbers_every_index() {
        use osmo_values::diagnostic::{Edit, Fix, Related, Span};
        let d = Diagnostic::new("OV101", Severity::Error, "x")
            .at(1, Span::default())
            .with_related(Related {
                file: 0,
                span: Span::default(),
                message: "y".into(),
            })
            .with_fix(Fix {
                description: "z".into(),
                edits: vec![Edit {
                    file: 1,
                    start: 0,
                    end: 0,
                    replacement: String::new(),
                }],
                machine_applicable: true,
            });
        let g = globalize(d, &[7, 9]);
        assert_eq!(
            (g.file, g.related[0].file, g.fix.unwrap().edits[0].file),
            (9, 7, 9)
        );
    }
}
