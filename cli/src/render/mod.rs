//! Renders lint findings: rustc-style text, JSON, GitHub workflow commands
//! and SARIF 2.1.0.
//!
//! Every renderer takes the files linted (as the user named them, with their
//! contents) and the findings, whose `file` indexes point into those files,
//! and returns the whole output as a string.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use osmo_values::diagnostic::{Diagnostic, Severity, Span};

/// The output formats of `osmo-values lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text with source snippets, for people.
    Text,
    /// One JSON array of findings (see docs/output-formats.md).
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// One file that was linted: its name as the user gave it, and its bytes.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given on the command line.
    pub name: String,
    /// The contents: text when valid UTF-8, raw bytes otherwise.
    contents: Result<String, Vec<u8>>,
}

impl SourceFile {
    /// A file from its name and bytes.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> SourceFile {
        SourceFile {
            name: name.into(),
            contents: String::from_utf8(bytes).map_err(|e| e.into_bytes()),
        }
    }

    /// The raw bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.contents {
            Ok(text) => text.as_bytes(),
            Err(bytes) => bytes,
        }
    }

    /// The text, when the file is valid UTF-8.
    pub fn text(&self) -> Option<&str> {
        self.contents.as_deref().ok()
    }

    /// Replaces the contents (after fixes were applied).
    pub fn set_text(&mut self, text: String) {
        self.contents = Ok(text);
    }
}

/// What a renderer needs to know of a rule (SARIF lists the rules).
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta<'a> {
    /// Stable code, such as `OV101`.
    pub code: &'a str,
    /// Kebab-case name.
    pub name: &'a str,
    /// Default severity.
    pub severity: Severity,
    /// One line.
    pub summary: &'a str,
    /// Markdown explanation.
    pub explanation: &'a str,
}

/// One Helm install of a deployment, as the renderers name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallInfo {
    /// The chart (and its release).
    pub chart: osmo_values::Chart,
    /// The backend this backend-operator install serves, when known.
    pub backend: Option<String>,
    /// Global indexes of its files, in merge order.
    pub files: Vec<usize>,
}

impl InstallInfo {
    /// The install in words: `service chart 1.2.1` or
    /// `backend-operator chart 1.3.1, backend gpu`.
    pub fn describe(&self) -> String {
        match &self.backend {
            Some(b) => format!(
                "{} chart {}, backend `{b}`",
                self.chart.name,
                self.chart.version()
            ),
            None => format!("{} chart {}", self.chart.name, self.chart.version()),
        }
    }
}

/// What the JSON output says of a file: its release and its install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePlan {
    /// The release the file was judged against.
    pub release: osmo_values::Release,
    /// The install it is a layer of.
    pub install: InstallInfo,
}

/// Line and column (both from 1, column in characters) of byte `offset` in
/// `text`. Offsets past the end or inside a character are clamped back.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The largest char boundary of `text` at or before `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The span of a finding, made sane: lines and columns at least 1 and the
/// end not before the start.
pub fn sane_span(span: Span) -> Span {
    let mut s = span;
    s.start.line = s.start.line.max(1);
    s.start.column = s.start.column.max(1);
    if (s.end.line, s.end.column) < (s.start.line, s.start.column) {
        s.end = s.start;
    }
    s.end.offset = s.end.offset.max(s.start.offset);
    s
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
}

impl Counts {
    /// Counts `diagnostics` by severity.
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }

    /// `2 errors, 1 warning`: the non-zero counts, or `no findings`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.errors, "error"),
            (self.warnings, "warning"),
            (self.infos, "info"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}{}", if n == 1 { "" } else { "s" }))
        .collect();
        if parts.is_empty() {
            "no findings".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

#[cfg(test)]
pub(crate) mod testdata {
    //! Hand-made findings for the renderers' unit tests.

    use osmo_values::diagnostic::{Diagnostic, Edit, Fix, Pos, Related, Severity, Span};
    use osmo_values::path::Path;

    use super::{RuleMeta, SourceFile};

    pub const VALUES: &str = "# Service values\nservices:\n  service:\n    hostnme: osmo.example.com # typo\n    replicas: \"two\"\n";

    /// The span of the first occurrence of `needle` in `VALUES`.
    pub fn span_of(text: &str, needle: &str) -> Span {
        let start = text.find(needle).expect("needle in text");
        let end = start + needle.len();
        let pos = |offset: usize| {
            let (line, column) = super::line_col(text, offset);
            Pos {
                offset,
                line,
                column,
            }
        };
        Span {
            start: pos(start),
            end: pos(end),
        }
    }

    pub fn files() -> Vec<SourceFile> {
        vec![
            SourceFile::new("deploy/osmo_values.yaml", VALUES.as_bytes().to_vec()),
            SourceFile::new(
                "deploy/router_values.yaml",
                b"services:\n  service:\n    hostname: other.example.com\n".to_vec(),
            ),
        ]
    }

    pub fn rules() -> Vec<RuleMeta<'static>> {
        vec![
            RuleMeta {
                code: "OV101",
                name: "unknown-key",
                severity: Severity::Error,
                summary: "A key the chart does not know",
                explanation: "The chart ignores keys it does not know.",
            },
            RuleMeta {
                code: "OV102",
                name: "wrong-type",
                severity: Severity::Error,
                summary: "A value of the wrong type",
                explanation: "Helm refuses it.",
            },
            RuleMeta {
                code: "OV501",
                name: "hostname-mismatch",
                severity: Severity::Warning,
                summary: "Charts disagree on the hostname",
                explanation: "They must agree.",
            },
        ]
    }

    pub fn diagnostics() -> Vec<Diagnostic> {
        let key = span_of(VALUES, "hostnme");
        let fix = Fix {
            description: "rename `hostnme` to `hostname`".into(),
            edits: vec![Edit {
                file: 0,
                start: key.start.offset,
                end: key.end.offset,
                replacement: "hostname".into(),
            }],
            machine_applicable: true,
        };
        let router = files()[1].text().unwrap().to_owned();
        vec![
            Diagnostic::new("OV101", Severity::Error, "unknown key `hostnme`")
                .with_help("did you mean `hostname`?")
                .at(0, key)
                .with_path(Path::keys("services.service.hostnme"))
                .with_fix(fix),
            Diagnostic::new(
                "OV102",
                Severity::Error,
                "expected an integer, found a string: a, b, 50%",
            )
            .at(0, span_of(VALUES, "\"two\""))
            .with_path(Path::keys("services.service.replicas")),
            Diagnostic::new("OV501", Severity::Warning, "the router's hostname differs")
                .at(0, span_of(VALUES, "osmo.example.com"))
                .with_related(Related {
                    file: 1,
                    span: span_of(&router, "other.example.com"),
                    message: "the router says this".into(),
                }),
            Diagnostic::new("OV001", Severity::Info, "file-wide note"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "a: 1\nbé: x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 5), (2, 1));
        // `x` is after a two-byte character: byte 10, column 5.
        assert_eq!(line_col(text, text.find('x').unwrap()), (2, 5));
        // Inside `é` and past the end are clamped.
        assert_eq!(line_col(text, 7), (2, 2));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn counts_describe_plurals() {
        let d = testdata::diagnostics();
        assert_eq!(Counts::of(&d).describe(), "2 errors, 1 warning, 1 info");
        assert_eq!(Counts::of(&[]).describe(), "no findings");
    }

    #[test]
    fn invalid_utf8_keeps_bytes() {
        let f = SourceFile::new("x.yaml", vec![b'a', 0xff]);
        assert!(f.text().is_none());
        assert_eq!(f.bytes(), &[b'a', 0xff]);
    }
}
