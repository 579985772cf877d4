//! rustc-style text: a title line with the code, the source lines with a
//! caret under the problem, related places, `help:` lines and the fix.

use std::ops::Range;

use annotate_snippets::{
    Annotation, AnnotationKind, Group, Level, Origin, Patch, Renderer, Snippet,
};
use osmo_values::diagnostic::{Diagnostic, Severity, Span};

use super::{SourceFile, floor_char_boundary, sane_span};

/// Renders every finding, each followed by an empty line.
/// The lines saying how one deployment's files were read: the release and
/// why, then each install with its files in merge order.
///
/// ```text
/// note: OSMO 6.2.10 (from the schema line of a/osmo_values.yaml)
///   service chart 1.2.1: a/osmo_values.yaml, then a/osmo_values.prod.yaml
/// ```
pub fn plan(files: &[SourceFile], why: &str, installs: &[super::InstallInfo]) -> String {
    let mut out = format!("note: {why}\n");
    for install in installs {
        let names: Vec<&str> = install
            .files
            .iter()
            .filter_map(|&i| files.get(i).map(|f| f.name.as_str()))
            .collect();
        out.push_str(&format!(
            "  {}: {}\n",
            install.describe(),
            names.join(", then ")
        ));
    }
    out
}

/// Renders the findings rustc-style.
pub fn render(files: &[SourceFile], diagnostics: &[Diagnostic], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&render_one(&renderer, files, d));
        out.push_str("\n\n");
    }
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// The byte range of the whole lines of `text` that hold `ranges`.
fn window(text: &str, ranges: &[Range<usize>]) -> Range<usize> {
    let lo = ranges.iter().map(|r| r.start).min().unwrap_or(0);
    let hi = ranges.iter().map(|r| r.end).max().unwrap_or(0);
    let lo = floor_char_boundary(text, lo);
    let hi = floor_char_boundary(text, hi.max(lo));
    let start = text[..lo].rfind('\n').map_or(0, |i| i + 1);
    let end = text[hi..].find('\n').map_or(text.len(), |i| hi + i);
    start..end.max(start)
}

/// The byte range of `span` in `text`, clamped to char boundaries.
fn byte_range(text: &str, span: Span) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.offset);
    let end = floor_char_boundary(text, span.end.offset.max(start));
    start..end
}

/// One file's part of a finding: a snippet with the primary span (when it
/// is in this file) and the related places in this file.
fn snippet<'a>(
    file: &'a SourceFile,
    text: &'a str,
    primary: Option<Span>,
    related: &[(Span, &'a str)],
) -> Snippet<'a, Annotation<'a>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    if let Some(span) = primary {
        ranges.push(byte_range(text, span));
    }
    for (span, _) in related {
        ranges.push(byte_range(text, *span));
    }
    let win = window(text, &ranges);
    // Count the line of the window's start from the text itself: spans may
    // disagree with offsets, the text cannot.
    let line_start = text[..win.start].bytes().filter(|&b| b == b'\n').count() + 1;
    let rel = |r: &Range<usize>| {
        (r.start - win.start)..(r.end.min(win.end) - win.start).max(r.start - win.start)
    };
    let mut snip = Snippet::source(&text[win.clone()])
        .line_start(line_start)
        .path(file.name.as_str())
        .fold(true);
    let mut i = 0;
    if primary.is_some() {
        snip = snip.annotation(AnnotationKind::Primary.span(rel(&ranges[0])));
        i = 1;
    }
    for (k, (_, message)) in related.iter().enumerate() {
        snip = snip.annotation(
            AnnotationKind::Context
                .span(rel(&ranges[i + k]))
                .label(*message),
        );
    }
    snip
}

fn origin<'a>(file: &'a SourceFile, span: Option<Span>) -> Origin<'a> {
    match span {
        Some(span) => {
            let span = sane_span(span);
            Origin::path(file.name.as_str())
                .line(span.start.line)
                .char_column(span.start.column)
        }
        None => Origin::path(file.name.as_str()),
    }
}

fn render_one(renderer: &Renderer, files: &[SourceFile], d: &Diagnostic) -> String {
    let Some(file) = files.get(d.file) else {
        return renderer.render(&[Group::with_title(
            level(d.severity).primary_title(&d.message).id(d.code),
        )]);
    };
    let mut group = Group::with_title(level(d.severity).primary_title(&d.message).id(d.code));

    let same_file: Vec<(Span, &str)> = d
        .related
        .iter()
        .filter(|r| r.file == d.file)
        .map(|r| (r.span, r.message.as_str()))
        .collect();
    match (d.span, file.text()) {
        (Some(span), Some(text)) => {
            group = group.element(snippet(file, text, Some(span), &same_file));
        }
        (span, _) => {
            group = group.element(origin(file, span));
            for (span, message) in &same_file {
                group = group
                    .element(origin(file, Some(*span)))
                    .element(Level::NOTE.message(*message));
            }
        }
    }
    for r in d.related.iter().filter(|r| r.file != d.file) {
        let Some(other) = files.get(r.file) else {
            continue;
        };
        match other.text() {
            Some(text) => {
                group = group.element(snippet(other, text, None, &[(r.span, r.message.as_str())]));
            }
            None => {
                group = group
                    .element(origin(other, Some(r.span)))
                    .element(Level::NOTE.message(r.message.as_str()));
            }
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    if let Some(note) = &d.note {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(path) = &d.path
        && !path.is_root()
    {
        group = group.element(Level::NOTE.message(format!("at `{path}`")));
    }

    let mut report = vec![group];
    if let Some(fix) = &d.fix {
        let title = if fix.machine_applicable {
            format!("{} (osmo-values lint --fix applies it)", fix.description)
        } else {
            fix.description.clone()
        };
        let mut suggestion = Group::with_title(Level::HELP.secondary_title(title));
        let mut shown = false;
        // One suggestion snippet per file touched by the fix.
        let mut touched: Vec<usize> = fix.edits.iter().map(|e| e.file).collect();
        touched.sort_unstable();
        touched.dedup();
        for index in touched {
            let Some(text) = files.get(index).and_then(SourceFile::text) else {
                continue;
            };
            let edits: Vec<_> = fix.edits.iter().filter(|e| e.file == index).collect();
            let valid = edits.iter().all(|e| {
                e.start <= e.end
                    && e.end <= text.len()
                    && text.is_char_boundary(e.start)
                    && text.is_char_boundary(e.end)
            });
            if !valid {
                continue;
            }
            let ranges: Vec<Range<usize>> = edits.iter().map(|e| e.start..e.end).collect();
            let win = window(text, &ranges);
            let line_start = text[..win.start].bytes().filter(|&b| b == b'\n').count() + 1;
            let mut snip = Snippet::source(&text[win.clone()])
                .line_start(line_start)
                .path(files[index].name.as_str())
                .fold(true);
            for e in edits {
                snip = snip.patch(Patch::new(
                    (e.start - win.start)..(e.end - win.start),
                    e.replacement.as_str(),
                ));
            }
            suggestion = suggestion.element(snip);
            shown = true;
        }
        if !shown {
            suggestion = Group::with_title(Level::HELP.secondary_title(fix.description.as_str()));
        }
        report.push(suggestion);
    }
    renderer.render(&report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testdata;

    #[test]
    fn snippet_with_caret_help_and_fix() {
        let out = render(&testdata::files(), &testdata::diagnostics(), false);
        println!("{out}");
        assert!(out.contains("error[OV101]: unknown key `hostnme`"), "{out}");
        assert!(out.contains("--> deploy/osmo_values.yaml:4:5"), "{out}");
        assert!(
            out.contains("4 |     hostnme: osmo.example.com # typo"),
            "{out}"
        );
        assert!(out.contains("^^^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `hostname`?"), "{out}");
        assert!(
            out.contains(
                "help: rename `hostnme` to `hostname` (osmo-values lint --fix applies it)"
            ),
            "{out}"
        );
        assert!(
            out.contains("hostname: osmo.example.com"),
            "the suggestion shows the fixed line: {out}"
        );
        assert!(!out.contains('\u{1b}'), "no colour when asked for none");
    }

    #[test]
    fn related_places_in_other_files() {
        let out = render(&testdata::files(), &testdata::diagnostics()[2..3], false);
        assert!(
            out.contains("warning[OV501]: the router's hostname differs"),
            "{out}"
        );
        assert!(out.contains("deploy/router_values.yaml:3:15"), "{out}");
        assert!(out.contains("the router says this"), "{out}");
    }

    #[test]
    fn whole_file_findings_and_colour() {
        let out = render(&testdata::files(), &testdata::diagnostics()[3..], true);
        assert!(out.contains("OV001"), "{out}");
        assert!(out.contains("deploy/osmo_values.yaml"), "{out}");
        assert!(out.contains('\u{1b}'), "colour when asked: {out}");
    }

    #[test]
    fn bad_spans_do_not_panic() {
        let mut d = testdata::diagnostics();
        for x in &mut d {
            if let Some(s) = &mut x.span {
                s.start.offset = 10_000;
                s.end.offset = 3;
            }
        }
        d[0].fix.as_mut().unwrap().edits[0].end = 99_999;
        let out = render(&testdata::files(), &d, false);
        assert!(out.contains("OV101"));
    }

    #[test]
    fn invalid_utf8_shows_the_place_without_a_snippet() {
        let files = vec![crate::render::SourceFile::new(
            "a.yaml",
            vec![b'a', b':', b' ', 0xff],
        )];
        let d = vec![
            Diagnostic::new("OV001", Severity::Error, "not UTF-8")
                .at(0, testdata::span_of("a: x", "x")),
        ];
        let out = render(&files, &d, false);
        assert!(out.contains("a.yaml:1:4"), "{out}");
    }
}
