//! Applying machine-applicable fixes to a file's text.

use crate::diagnostic::{Diagnostic, Edit};

/// Applies the machine-applicable fixes of file `file` to `source`.
///
/// Fixes are taken in order of position; a fix whose edits overlap an
/// already accepted one is skipped (run the linter again to apply it).
/// Returns `None` when no fix applies.
///
/// ```
/// use osmo_values::lint::{apply_fixes, lint, LintInput, LintOptions};
/// let text = "global:\n  osmoImageTag: 6.10\n";
/// let found = lint(&[LintInput { name: "osmo_values.yaml", source: text.as_bytes() }], &LintOptions::default()).unwrap();
/// assert_eq!(apply_fixes(text, &found, 0).unwrap(), "global:\n  osmoImageTag: \"6.10\"\n");
/// ```
pub fn apply_fixes(source: &str, diagnostics: &[Diagnostic], file: usize) -> Option<String> {
    let mut candidates: Vec<&[Edit]> = diagnostics
        .iter()
        .filter(|d| d.file == file)
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.machine_applicable && !f.edits.is_empty())
        .filter(|f| {
            f.edits.iter().all(|e| {
                e.file == file
                    && e.start <= e.end
                    && e.end <= source.len()
                    && source.is_char_boundary(e.start)
                    && source.is_char_boundary(e.end)
            })
        })
        .map(|f| f.edits.as_slice())
        .collect();
    candidates.sort_by_key(|edits| edits.iter().map(|e| e.start).min().unwrap_or(0));
    let mut accepted: Vec<&Edit> = Vec::new();
    for edits in candidates {
        let clashes = edits.iter().any(|e| {
            accepted.iter().any(|a| {
                (e.start < a.end && a.start < e.end)
                    || (e.start == a.start && e.end == a.end && e.start != e.end)
            })
        });
        let self_clash = edits.iter().enumerate().any(|(i, e)| {
            edits[i + 1..]
                .iter()
                .any(|a| e.start < a.end && a.start < e.end)
        });
        if !clashes && !self_clash {
            accepted.extend(edits.iter());
        }
    }
    if accepted.is_empty() {
        return None;
    }
    accepted.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for e in accepted {
        if e.start < at {
            continue;
        }
        out.push_str(&source[at..e.start]);
        out.push_str(&e.replacement);
        at = e.end;
    }
    out.push_str(&source[at..]);
    Some(out)
}
