//! Importing an existing deployment's values files on the first screen: core reads them
//! back into a spec ([`osmo_values::spec::from_values`]); this module turns what it found
//! into the report shown above the form (the keys the spec does not carry, the settings the
//! files do not hold, the files' lint findings) and offers OSMO 6.3.1 for 6.2.10 files.

use osmo_values::Release;
use osmo_values::spec::DeploymentSpec;
use osmo_values::spec::from_values::{Comparison, ValuesFile, for_latest, from_values};
use yew::prelude::*;

use crate::app::rich;

/// What an import of values files found, in words, for [`view`].
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// One sentence: how many files, which release and why.
    pub summary: String,
    /// For 6.2.10 files: the bundle is generated for 6.3.1, and how to upgrade.
    pub migration: Option<String>,
    /// How the unmapped keys were found, when no generated bundle could be compared (the
    /// list then holds every key not read, and stays folded).
    pub note: Option<String>,
    /// `file:line:column`, and the key (in backticks) with why the spec does not carry it.
    pub unmapped: Vec<(String, String)>,
    /// Spec settings the files do not hold: (field, why).
    pub missing: Vec<(String, String)>,
    /// The imported files' lint findings: (`file:line`, severity and message).
    pub findings: Vec<(String, String)>,
}

/// Reads `files` (name, text) into a spec the page can generate, with the report.
pub fn import(files: &[(String, String)]) -> Result<(DeploymentSpec, Report), String> {
    let inputs: Vec<ValuesFile<'_>> = files
        .iter()
        .map(|(name, text)| ValuesFile { name, text })
        .collect();
    let imported = from_values(&inputs).map_err(|e| e.to_string())?;
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let from = imported.spec.release;
    let spec = if from != Release::LATEST && !osmo_values::generate::GENERATES_6_2 {
        for_latest(&imported.spec)
    } else {
        imported.spec.clone()
    };
    let migration = (spec.release != from).then(|| {
        format!(
            "These are OSMO {from} files; this page generates OSMO {to}, so the answers were \
             read into a spec for {to}. Generate a new deployment from it, or upgrade the \
             installed one with `osmo-values migrate --to {to} --out <folder> {files}`.",
            to = spec.release,
            files = names.join(" "),
        )
    });
    let name = |i: usize| names.get(i).copied().unwrap_or("?").to_owned();
    let report = Report {
        summary: format!(
            "Read {} values file{}: {}.",
            files.len(),
            if files.len() == 1 { "" } else { "s" },
            imported.release.describe(&names)
        ),
        migration,
        note: match &imported.comparison {
            Comparison::Generated => None,
            Comparison::KeysRead { why } => Some(why.clone()),
        },
        unmapped: imported
            .unmapped
            .iter()
            .map(|u| {
                (
                    format!("`{}:{}:{}`", name(u.file), u.line, u.column),
                    format!("`{}`: {}", u.path, u.reason),
                )
            })
            .collect(),
        missing: imported
            .missing
            .iter()
            .map(|m| (format!("`{}`", m.field), m.why.to_owned()))
            .collect(),
        findings: imported
            .findings
            .iter()
            .map(|d| {
                let line = d.span.map_or(0, |s| s.start.line);
                (
                    format!("`{}:{line}`", name(d.file)),
                    format!("{} {}: {}", d.severity.as_str(), d.code, d.message),
                )
            })
            .collect(),
    };
    Ok((spec, report))
}

/// The report, as a section the page focuses after an import (`#values-import`).
pub fn view(report: &Report) -> Html {
    let rows = |items: &[(String, String)]| -> Html {
        items
            .iter()
            .map(|(at, what)| html! { <li>{ rich(at) }{ " " }{ rich(what) }</li> })
            .collect()
    };
    let n = report.unmapped.len();
    let s = if n == 1 { "" } else { "s" };
    let unmapped_title = if report.note.is_none() {
        format!("{n} key{s} the spec does not carry")
    } else {
        format!(
            "{n} key{s} not read into the spec (`osmo-values spec --from` compares them exactly)"
        )
    };
    html! {
        <section class="values-import" aria-labelledby="values-import">
            <h2 id="values-import" tabindex="-1">{ "Imported values files" }</h2>
            <p>{ rich(&report.summary) }</p>
            if let Some(m) = &report.migration { <p class="migration">{ rich(m) }</p> }
            if let Some(n) = &report.note { <p class="note">{ rich(n) }</p> }
            if report.unmapped.is_empty() {
                <p>{ "Every key of the files is carried by the spec." }</p>
            } else {
                <details open={report.note.is_none()}>
                    <summary>{ rich(&unmapped_title) }</summary>
                    <ul class="unmapped">{ rows(&report.unmapped) }</ul>
                </details>
            }
            if !report.missing.is_empty() {
                <details>
                    <summary>{ format!("{} setting{} the files do not hold: check them in the form", report.missing.len(), if report.missing.len() == 1 { "" } else { "s" }) }</summary>
                    <ul>{ rows(&report.missing) }</ul>
                </details>
            }
            if !report.findings.is_empty() {
                <details>
                    <summary>{ format!("{} lint finding{} in the imported files", report.findings.len(), if report.findings.len() == 1 { "" } else { "s" }) }</summary>
                    <ul>{ rows(&report.findings) }</ul>
                </details>
            }
        </section>
    }
}
