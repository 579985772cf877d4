//! Values set on keys the chart never reads (OV311).
//!
//! Which keys those are comes from the models: a key whose description starts
//! with [`NO_EFFECT`](super::suggest::NO_EFFECT) carries the rest of it in the
//! chart's key tree (`core/src/lint/keys/`), and this rule reports any value
//! set there, with what the chart uses instead. The template scan in
//! `tests/template_keys.rs` keeps those descriptions true to the real charts.

use std::collections::HashSet;
use std::sync::OnceLock;

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
    let live = live(chart);
    if live.contains(&address(shape(chart))) {
        visit(
            &file.doc.root,
            shape(chart),
            live,
            &mut Vec::new(),
            handled,
            &mut found,
        );
    }
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
    live: &HashSet<usize>,
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
                        None if live.contains(&address(child)) => {
                            visit(&e.value, child, live, steps, handled, found)
                        }
                        None => {}
                    }
                }
                steps.pop();
            }
        }
        NodeValue::Seq(items) => {
            let Some(item) = shape.items.as_deref() else {
                return;
            };
            if !live.contains(&address(item)) {
                return;
            }
            for (i, n) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                visit(n, item, live, steps, handled, found);
                steps.pop();
            }
        }
        _ => {}
    }
}

/// A node of a chart's key tree, by address (the trees are built once and
/// never move).
fn address(shape: &Shape) -> usize {
    shape as *const Shape as usize
}

/// The nodes of `chart`'s key tree with a no-effect key below them (built
/// once per chart): [`visit`] goes down only into those, so a file is
/// compared with the key tree only where the rule can find something.
fn live(chart: Chart) -> &'static HashSet<usize> {
    static CELLS: [OnceLock<HashSet<usize>>; super::CHART_SLOTS] =
        [const { OnceLock::new() }; super::CHART_SLOTS];
    CELLS[super::chart_slot(chart)].get_or_init(|| {
        let mut live = HashSet::new();
        mark(shape(chart), &mut live);
        live
    })
}

/// Whether `shape` has a no-effect key below it (as [`visit`] reads the
/// tree: a map's keys, or its free-form values, then list items), adding
/// every such node to `live`.
fn mark(shape: &Shape, live: &mut HashSet<usize>) -> bool {
    let mut below = false;
    for child in shape.props.values().chain(shape.additional.as_deref()) {
        // `|` rather than `||`: every subtree is marked.
        below |= child.no_effect.is_some() | mark(child, live);
    }
    if let Some(item) = shape.items.as_deref() {
        below |= mark(item, live);
    }
    if below {
        live.insert(address(shape));
    }
    below
}
