//! `--format sarif`: a SARIF 2.1.0 log with one run, for GitHub code
//! scanning and other SARIF viewers.

use osmo_values::diagnostic::{Diagnostic, Severity, Span};
use serde_json::{Map, Value, json};

use super::{RuleMeta, SourceFile, line_col, sane_span};

/// The schema URI written into the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file name as a URI reference: relative paths stay relative (resolved
/// against the directory the tool ran in), absolute ones become `file://`
/// URIs; everything outside the unreserved characters is percent-encoded.
pub fn uri(name: &str) -> String {
    let mut out = String::new();
    let path = if let Some(rest) = name.strip_prefix('/') {
        out.push_str("file:///");
        rest
    } else {
        name.strip_prefix("./").unwrap_or(name)
    };
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn artifact(files: &[SourceFile], index: usize) -> Value {
    let name = files.get(index).map_or("", |f| f.name.as_str());
    json!({ "uri": uri(name) })
}

fn region(span: Span) -> Value {
    let s = sane_span(span);
    json!({
        "startLine": s.start.line,
        "startColumn": s.start.column,
        "endLine": s.end.line,
        "endColumn": s.end.column,
    })
}

fn location(files: &[SourceFile], index: usize, span: Option<Span>) -> Value {
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), artifact(files, index));
    if let Some(span) = span {
        physical.insert("region".into(), region(span));
    }
    json!({ "physicalLocation": physical })
}

fn fixes(files: &[SourceFile], d: &Diagnostic) -> Option<Value> {
    let fix = d.fix.as_ref()?;
    let mut touched: Vec<usize> = fix.edits.iter().map(|e| e.file).collect();
    touched.sort_unstable();
    touched.dedup();
    let changes: Vec<Value> = touched
        .into_iter()
        .map(|index| {
            let text = files.get(index).and_then(SourceFile::text);
            let replacements: Vec<Value> = fix
                .edits
                .iter()
                .filter(|e| e.file == index)
                .map(|e| {
                    let end = e.end.max(e.start);
                    let deleted = match text {
                        Some(text) => {
                            let (l, c) = line_col(text, e.start);
                            let (el, ec) = line_col(text, end);
                            json!({ "startLine": l, "startColumn": c, "endLine": el, "endColumn": ec })
                        }
                        None => json!({ "byteOffset": e.start, "byteLength": end - e.start }),
                    };
                    json!({ "deletedRegion": deleted, "insertedContent": { "text": e.replacement } })
                })
                .collect();
            json!({ "artifactLocation": artifact(files, index), "replacements": replacements })
        })
        .collect();
    Some(json!([{ "description": { "text": fix.description }, "artifactChanges": changes }]))
}

/// Renders a SARIF 2.1.0 log: the rules table as `tool.driver.rules`, one
/// result per finding.
pub fn render(files: &[SourceFile], diagnostics: &[Diagnostic], rules: &[RuleMeta]) -> String {
    let rule_objects: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.explanation, "markdown": r.explanation },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "severity": r.severity.as_str() },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            if let Some(note) = &d.note {
                text.push_str("\nnote: ");
                text.push_str(note);
            }
            let mut result = Map::new();
            result.insert("ruleId".into(), d.code.into());
            if let Some(i) = rules.iter().position(|r| r.code == d.code) {
                result.insert("ruleIndex".into(), i.into());
            }
            result.insert("level".into(), level(d.severity).into());
            result.insert("message".into(), json!({ "text": text }));
            result.insert("locations".into(), json!([location(files, d.file, d.span)]));
            if !d.related.is_empty() {
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let mut loc = location(files, r.file, Some(r.span));
                        loc["id"] = i.into();
                        loc["message"] = json!({ "text": r.message });
                        loc
                    })
                    .collect();
                result.insert("relatedLocations".into(), related.into());
            }
            if let Some(fixes) = fixes(files, d) {
                result.insert("fixes".into(), fixes);
            }
            if let Some(path) = &d.path {
                result.insert(
                    "properties".into(),
                    json!({ "valuesPath": path.to_string() }),
                );
            }
            Value::Object(result)
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "osmo-values",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rule_objects,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testdata;

    #[test]
    fn uris() {
        assert_eq!(uri("deploy/osmo_values.yaml"), "deploy/osmo_values.yaml");
        assert_eq!(uri("./a b/x%.yaml"), "a%20b/x%25.yaml");
        assert_eq!(uri("/abs/osmo_values.yaml"), "file:///abs/osmo_values.yaml");
        assert_eq!(uri("é.yaml"), "%C3%A9.yaml");
    }

    #[test]
    fn results_rules_locations_fixes() {
        let rules = testdata::rules();
        let out = render(&testdata::files(), &testdata::diagnostics(), &rules);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "osmo-values");
        assert_eq!(run["tool"]["driver"]["rules"][1]["id"], "OV102");
        let r0 = &run["results"][0];
        assert_eq!(r0["ruleId"], "OV101");
        assert_eq!(r0["ruleIndex"], 0);
        assert_eq!(r0["level"], "error");
        let region = &r0["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            region,
            &json!({"startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 12})
        );
        let change = &r0["fixes"][0]["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "deploy/osmo_values.yaml");
        assert_eq!(
            change["replacements"][0]["insertedContent"]["text"],
            "hostname"
        );
        assert_eq!(run["results"][2]["level"], "warning");
        assert_eq!(
            run["results"][2]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "deploy/router_values.yaml"
        );
        // Unknown to the rules table: no ruleIndex; no span: no region.
        let last = &run["results"][3];
        assert_eq!(last["level"], "note");
        assert!(last.get("ruleIndex").is_none());
        assert!(
            last["locations"][0]["physicalLocation"]
                .get("region")
                .is_none()
        );
    }
}
