//! Findings about a values file: where, how bad, what is wrong, how to fix it.
//!
//! The linter produces [`Diagnostic`]s; the command-line tool renders them as
//! text, JSON, GitHub annotations or SARIF, and the wizard shows them beside
//! the fields. Positions are [`Span`]s into the source text of one file.

use std::fmt;

use serde::Serialize;

use crate::path::Path;

/// A position in a source text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Pos {
    /// Byte offset from the start of the text.
    pub offset: usize,
    /// Line number, from 1.
    pub line: usize,
    /// Column number in characters, from 1.
    pub column: usize,
}

/// A range of a source text, from `start` (inclusive) to `end` (exclusive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First character of the range.
    pub start: Pos,
    /// Just past the last character of the range.
    pub end: Pos,
}

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing breaks.
    Info,
    /// A key with no effect, or something risky.
    Warning,
    /// Helm refuses it, the deployment breaks, or the intent is silently lost.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One text replacement of a fix: `range` of file `file` becomes `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Index of the file, as in [`Diagnostic::file`].
    pub file: usize,
    /// Byte range to replace.
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
    /// The new text.
    pub replacement: String,
}

/// A fix for a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, in a few words.
    pub description: String,
    /// The edits; applied together or not at all.
    pub edits: Vec<Edit>,
    /// Whether `--fix` may apply it without a person looking.
    pub machine_applicable: bool,
}

/// A secondary location that explains a finding ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Index of the file, as in [`Diagnostic::file`].
    pub file: usize,
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One finding of the linter.
///
/// ```
/// use osmo_values::diagnostic::{Diagnostic, Severity};
/// let d = Diagnostic::new("OV001", Severity::Error, "unknown key `hostnme`");
/// assert_eq!(d.to_string(), "error[OV001]: unknown key `hostnme`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule's stable code, such as `OV001`.
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// One line saying what is wrong.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
    /// Index of the file the finding is in, among the files linted together.
    pub file: usize,
    /// Where in the file; `None` for a finding about the file as a whole.
    pub span: Option<Span>,
    /// The values path the finding is about, when it is about a key.
    pub path: Option<Path>,
    /// Other places that explain the finding.
    pub related: Vec<Related>,
    /// A fix, when one is known.
    pub fix: Option<Fix>,
    /// Background the finding rests on, such as the chart default that
    /// causes it when the files never set the value.
    pub note: Option<String>,
}

impl Diagnostic {
    /// A finding with a code, a severity and a message, in file 0, with no
    /// position yet.
    pub fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            help: None,
            file: 0,
            span: None,
            path: None,
            related: Vec::new(),
            fix: None,
            note: None,
        }
    }

    /// Sets the note.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.note = Some(note.into());
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Sets the file and span.
    pub fn at(mut self, file: usize, span: Span) -> Diagnostic {
        self.file = file;
        self.span = Some(span);
        self
    }

    /// Sets the values path.
    pub fn with_path(mut self, path: Path) -> Diagnostic {
        self.path = Some(path);
        self
    }

    /// Adds a related location.
    pub fn with_related(mut self, related: Related) -> Diagnostic {
        self.related.push(related);
        self
    }

    /// Sets the fix.
    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}
