//! Values set on keys the chart never reads (OV311).
//!
//! Which keys those are comes from the models: a key whose description starts
//! with [`NO_EFFECT`](super::suggest::NO_EFFECT) carries the rest of it in the
//! chart's key tree (`core/src/lint/keys/`), and this rule reports any value
//! set there, with what the chart uses instead. The template scan in
//! `tests/template_keys.rs` keeps those descriptions true to the real charts.

use crate::Chart;
use crate::path::Path;
use crate::yaml::NodeValue;

use super::refused::delete_entry;
use super::source::{SourceFile, walk};
use super::{Handled, Sink, code, diag, shape};

/// Reports every non-null value set on a no-effect key of `chart` (at its release).
pub(crate) fn check_file(chart: Chart, file: &SourceFile<'_>, handled: &Handled, sink: &mut Sink) {
    let shape = shape(chart);
    let mut root = Path::root();
    let mut found: Vec<(Path, String)> = Vec::new();
    walk(&file.doc.root, &mut root, &mut |path, key, node| {
        if key.is_none() || matches!(node.value, NodeValue::Null) {
            return;
        }
        if handled.iter().any(|h| path.0.starts_with(&h.0)) {
            return;
        }
        if found.iter().any(|(p, _)| path.0.starts_with(&p.0)) {
            return;
        }
        if let Some(text) = shape.at(path).and_then(|s| s.no_effect.as_ref()) {
            found.push((path.clone(), text.clone()));
        }
    });
    for (path, text) in found {
        let Some(at) = file.key_span(&path) else {
            continue;
        };
        let mut d = diag(
            code::NO_EFFECT_KEY,
            file.index,
            at,
            format!("`{path}` has no effect: {text}"),
        )
        .with_path(path.clone())
        .with_help("delete it; the value is never used");
        // Not machine-applicable: deleting several keys of one map could leave the map
        // empty, which Helm reads as null and uses to delete the chart's defaults.
        if let Some(fix) = delete_entry(file, &path, &format!("delete {path}"), false) {
            d = d.with_fix(fix);
        }
        sink.push(d);
    }
}
