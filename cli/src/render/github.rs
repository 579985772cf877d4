//! `--format github`: GitHub Actions workflow commands, which the runner
//! turns into annotations on the pull request's changed lines.
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message`

use osmo_values::diagnostic::{Diagnostic, Severity};

use super::{SourceFile, sane_span};

/// Escapes the message part of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders one workflow command per finding.
pub fn render(files: &[SourceFile], diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(file) = files.get(d.file) {
            props.push(format!("file={}", escape_property(&file.name)));
        }
        if let Some(s) = d.span.map(sane_span) {
            props.push(format!("line={}", s.start.line));
            props.push(format!("col={}", s.start.column));
            props.push(format!("endLine={}", s.end.line));
            props.push(format!("endColumn={}", s.end.column));
        }
        props.push(format!("title={}", escape_property(d.code)));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        if let Some(note) = &d.note {
            message.push_str("\nnote: ");
            message.push_str(note);
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testdata;

    #[test]
    fn one_command_per_finding() {
        let out = render(&testdata::files(), &testdata::diagnostics());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert_eq!(
            lines[0],
            "::error file=deploy/osmo_values.yaml,line=4,col=5,endLine=4,endColumn=12,title=OV101::unknown key `hostnme`%0Ahelp: did you mean `hostname`?"
        );
        assert!(
            lines[2].starts_with("::warning file=deploy/osmo_values.yaml,line=4,"),
            "{out}"
        );
        assert_eq!(
            lines[3],
            "::notice file=deploy/osmo_values.yaml,title=OV001::file-wide note"
        );
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("C:\\x,y%\n"), "C%3A\\x%2Cy%25%0A");
        let files = vec![SourceFile::new("a,b:c.yaml", Vec::new())];
        let d = vec![osmo_values::diagnostic::Diagnostic::new(
            "OV1",
            Severity::Error,
            "x: y, 100%\nz",
        )];
        assert_eq!(
            render(&files, &d),
            "::error file=a%2Cb%3Ac.yaml,title=OV1::x: y, 100%25%0Az\n"
        );
    }
}
