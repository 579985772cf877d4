//! `osmo-values rules` (the table of lint rules) and `osmo-values explain
//! CODE` (one rule's explanation), both read from the one rules table of the
//! library.

use std::process::ExitCode;

use anyhow::{Result, bail};
use osmo_values::Release;
use osmo_values::lint::{self, Rule};
use serde_json::json;

/// The output formats of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    /// An aligned table.
    Text,
    /// A JSON array of `{code, name, severity, since, until, summary}`.
    Json,
}

/// List every lint rule: code, name, severity and summary.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    format: RulesFormat,
    /// Only the rules that judge files of this OSMO release (6.2.10, 6.3.1).
    #[arg(long, value_name = "RELEASE")]
    release: Option<Release>,
}

/// Explain one lint rule: what it finds, why it matters, an example, the fix.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule's code (OV101) or name (unknown-key).
    #[arg(value_name = "CODE")]
    code: String,
    /// Say whether the rule judges files of this OSMO release.
    #[arg(long, value_name = "RELEASE")]
    release: Option<Release>,
}

/// The rules as an aligned table with a header line.
pub fn table(rules: &[&Rule]) -> String {
    let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0).max(4);
    let code_width = rules.iter().map(|r| r.code.len()).max().unwrap_or(0).max(4);
    let releases: Vec<String> = rules.iter().map(|r| r.releases()).collect();
    let rel_width = releases.iter().map(String::len).max().unwrap_or(0).max(8);
    let mut out = format!(
        "{:code_width$}  {:name_width$}  {:8}  {:rel_width$}  SUMMARY\n",
        "CODE", "NAME", "SEVERITY", "RELEASES"
    );
    for (r, rel) in rules.iter().zip(&releases) {
        out.push_str(&format!(
            "{:code_width$}  {:name_width$}  {:8}  {:rel_width$}  {}\n",
            r.code,
            r.name,
            r.severity.as_str(),
            rel,
            r.summary
        ));
    }
    out
}

/// One rule's explanation: a Markdown heading, the releases it judges,
/// the summary and the text.
pub fn explanation(rule: &Rule) -> String {
    format!(
        "# {}: {} ({})\n\nReleases: {}.\n\n{}\n\n{}\n",
        rule.code,
        rule.name,
        rule.severity,
        rule.releases(),
        rule.summary,
        rule.explanation.trim_end()
    )
}

/// Runs `osmo-values rules`.
pub fn run_rules(args: RulesArgs) -> Result<ExitCode> {
    let rules: Vec<&Rule> = match args.release {
        Some(release) => lint::rules_for(release).collect(),
        None => lint::rules().iter().collect(),
    };
    match args.format {
        RulesFormat::Text => print!("{}", table(&rules)),
        RulesFormat::Json => {
            let items: Vec<_> = rules
                .iter()
                .map(|r| {
                    json!({
                        "code": r.code,
                        "name": r.name,
                        "severity": r.severity.as_str(),
                        "since": r.since.as_str(),
                        "until": r.until.as_str(),
                        "summary": r.summary,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&items)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `osmo-values explain CODE`.
pub fn run_explain(args: ExplainArgs) -> Result<ExitCode> {
    let Some(rule) = lint::rule(args.code.trim()) else {
        bail!(
            "no rule `{}`: `osmo-values rules` lists the codes and names",
            args.code
        );
    };
    print!("{}", explanation(rule));
    if let Some(release) = args.release
        && !rule.applies_to(release)
    {
        println!(
            "\nNote: {} does not judge OSMO {release} files (it judges {}).",
            rule.code,
            rule.releases()
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_every_rule_aligned() {
        let rules: Vec<&Rule> = lint::rules().iter().collect();
        let text = table(&rules);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), rules.len() + 1);
        assert!(lines[0].starts_with("CODE"));
        let summary_at = lines[0].find("SUMMARY").unwrap();
        for (line, rule) in lines[1..].iter().zip(&rules) {
            assert!(line.starts_with(rule.code), "{line}");
            assert_eq!(&line[summary_at..], rule.summary, "{line}");
        }
    }

    #[test]
    fn explanation_has_heading_and_text() {
        let rule = &lint::rules()[0];
        let text = explanation(rule);
        assert!(text.starts_with(&format!("# {}: {}", rule.code, rule.name)));
        assert!(text.contains(rule.explanation.trim_end()));
    }
}
