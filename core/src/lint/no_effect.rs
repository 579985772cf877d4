//! Values set on keys the chart never reads (OV311).
//!
//! Which keys those are comes from the models: a key whose description starts
//! with [`NO_EFFECT`](super::suggest::NO_EFFECT) carries the rest of it in the
//! chart's key tree (`core/src/lint/keys/`), and this rule reports any value
//! set there, with what the chart uses instead. The template scan in
//! `tests/template_keys.rs` keeps those descriptions true to the real charts.

use crate::Chart;
use crate::path::Path;
use crate::yaml::{Node, NodeValue};

use super::refused::delete_entry;
use super::source::{SourceFile, Step, path_of};
use super::suggest::Shape;
use super::{Handled, Sink, code, diag, shape};

/// Reports every non-null value set on a no-effect key of `chart` (at its release).
pub(crate) fn check_file(chart: Chart, file: &SourceFile<'_>, handled: &Handled, sink: &mut Sink) {
    let mut found: Vec<(Path, String)> = Vec::new();
    visit(
        &file.doc.root,
        shape(chart),
        &mut Vec::new(),
        handled,
        &mut found,
    );
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

/// Descends the document and the chart's key tree together (one lookup per
/// key), collecting each no-effect key set to a value; nothing below such a
/// key, nor below a path another rule handled, is looked at. The steps down
/// become a path only for a key found (or to compare with handled paths).
fn visit<'n>(
    node: &'n Node,
    shape: &Shape,
    steps: &mut Vec<Step<'n>>,
    handled: &Handled,
    found: &mut Vec<(Path, String)>,
) {
    match &node.value {
        NodeValue::Map(entries) => {
            for e in entries {
                let Some(key) = e.key.key_str() else {
                    continue;
                };
                let Some(child) = shape
                    .props
                    .get(key.as_ref())
                    .or(shape.additional.as_deref())
                else {
                    continue;
                };
                steps.push(Step::Entry(e));
                if handled.is_empty() || {
                    let path = path_of(steps);
                    !handled.iter().any(|h| path.0.starts_with(&h.0))
                } {
                    match &child.no_effect {
                        Some(text) if !matches!(e.value.value, NodeValue::Null) => {
                            found.push((path_of(steps), text.clone()));
                        }
                        Some(_) => {}
                        None => visit(&e.value, child, steps, handled, found),
                    }
                }
                steps.pop();
            }
        }
        NodeValue::Seq(items) => {
            let Some(item) = shape.items.as_deref() else {
                return;
            };
            for (i, n) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                visit(n, item, steps, handled, found);
                steps.pop();
            }
        }
        _ => {}
    }
}
