//! The linter on arbitrary input: the bytes are split into up to four files
//! (named for the four charts, or two files of one chart to exercise the
//! merge), linted together, and every finding is checked to point inside
//! its file. Then the machine-applicable fixes are applied and the fixed
//! files linted again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use osmo_values::diagnostic::Diagnostic;
use osmo_values::lint::{LintInput, LintOptions, apply_fixes, lint};

const NAMES: [&str; 4] = [
    "osmo_values.yaml",
    "router_values.yaml",
    "ui_values.yaml",
    "backend_operator_values.yaml",
];
const SAME_CHART: [&str; 4] = [
    "osmo_values.yaml",
    "osmo_values.prod.yaml",
    "osmo_values-a.yaml",
    "osmo_values-b.yaml",
];

/// Every position a finding holds is inside its file and on a character
/// boundary; every index names one of the files.
fn check(inputs: &[LintInput], diagnostics: &[Diagnostic]) {
    let in_file = |file: usize, offset: usize| {
        let source = inputs[file].source;
        assert!(offset <= source.len(), "offset {offset} past the end of file {file}");
        if let Ok(text) = std::str::from_utf8(source) {
            assert!(text.is_char_boundary(offset), "offset {offset} inside a character");
        }
    };
    for d in diagnostics {
        assert!(d.file < inputs.len(), "{d:?}");
        if let Some(span) = d.span {
            assert!(span.start.offset <= span.end.offset, "{d:?}");
            assert!(span.start.line >= 1 && span.start.column >= 1, "{d:?}");
            in_file(d.file, span.start.offset);
            in_file(d.file, span.end.offset);
        }
        for r in &d.related {
            assert!(r.file < inputs.len(), "{d:?}");
            in_file(r.file, r.span.start.offset);
            in_file(r.file, r.span.end.offset);
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                assert!(e.file < inputs.len() && e.start <= e.end, "{d:?}");
                in_file(e.file, e.start);
                in_file(e.file, e.end);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let names = if selector & 1 == 0 { NAMES } else { SAME_CHART };
    // Files are separated by a NUL byte (which YAML text never holds).
    let sources: Vec<&[u8]> = rest.split(|&b| b == 0).take(4).collect();
    let inputs: Vec<LintInput> = sources
        .iter()
        .zip(names)
        .map(|(source, name)| LintInput { name, source })
        .collect();
    let options = LintOptions::default();
    let Ok(found) = lint(&inputs, &options) else { return };
    check(&inputs, &found);

    let fixed: Vec<Option<String>> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| apply_fixes(std::str::from_utf8(input.source).ok()?, &found, i))
        .collect();
    if fixed.iter().all(Option::is_none) {
        return;
    }
    let again: Vec<LintInput> = inputs
        .iter()
        .zip(&fixed)
        .map(|(input, fixed)| LintInput {
            name: input.name,
            source: fixed.as_deref().map_or(input.source, str::as_bytes),
        })
        .collect();
    if let Ok(found) = lint(&again, &options) {
        check(&again, &found);
    }
});
