//! 6.2 keys left in a 6.3.1 values file (OV106): the 6.3.1 charts refuse
//! nothing, so a key that moved (`sidecars.envoy` → `gateway.envoy`) or
//! went away (`services.ui.hostname`) is silently ignored. The table of
//! moves is data shared with `osmo-values migrate`
//! ([`crate::release::moves`]); this rule only reads it.

use crate::diagnostic::Severity;
use crate::path::{Path, Segment};
use crate::release::moves::{Found, To, lookup, named_in_file};
use crate::yaml::{Node, NodeValue};
use crate::{Chart, ChartName, Release};

use super::refused::delete_entry;
use super::source::{SourceFile, walk};
use super::suggest::Shape;
use super::{Sink, code, diag, shape};

/// Explains the unknown key at `top` of a 6.3.1 file when it is (or holds)
/// an OSMO 6.2 key: reports where each 6.2 key under it went and returns
/// `true`, so the unknown-key rule stays quiet there. Returns `false` (and
/// reports nothing) for an unknown key that is no 6.2 key.
pub(crate) fn explain(chart: Chart, file: &SourceFile<'_>, top: &Path, sink: &mut Sink) -> bool {
    if !chart.release.has_gateway() {
        return false;
    }
    let Some(node) = file.node(top) else {
        return false;
    };
    let mut found: Vec<(Path, Found)> = Vec::new();
    collect(chart, top, node, &mut found);
    if found.is_empty() {
        return false;
    }
    let kept = keep(&found, top, node);
    let explained =
        kept.iter().any(|(p, _)| p == top) || uncovered_children(top, node, &kept).is_empty();
    for (path, m) in kept {
        report(chart, file, &path, &m, sink);
    }
    explained
}

/// Whether `path` is at or below `prefix`.
fn under(path: &Path, prefix: &Path) -> bool {
    path.0.len() >= prefix.0.len() && path.0[..prefix.0.len()] == prefix.0[..]
}

/// Whether the chart's key tree has no key at `path` where its parent is a
/// map with named keys only.
fn is_unknown(shape: &Shape, path: &Path) -> bool {
    let (Some(Segment::Key(k)), Some(parent)) = (path.last(), path.parent()) else {
        return false;
    };
    let Some(known) = shape.at(&parent) else {
        return false;
    };
    !(known.props.is_empty()
        || known.open
        || known.additional.is_some()
        || known.props.contains_key(k))
}

/// Every key at or below `path` that a move names exactly.
fn collect(chart: Chart, path: &Path, node: &Node, out: &mut Vec<(Path, Found)>) {
    if let Some(m) = named_in_file(chart.name, path) {
        out.push((path.clone(), m));
    }
    if let NodeValue::Map(entries) = &node.value {
        for e in entries {
            let Some(k) = e.key.key_text() else { continue };
            collect(chart, &path.clone().key(k), &e.value, out);
        }
    }
}

/// The moves worth a finding: a move to a new home always (the keys below
/// it that moved elsewhere are findings of their own); a key with no home
/// only when nothing more specific below it explains all of its children
/// (a bare `sidecars:` block is one finding; `sidecars.envoy` and
/// `sidecars.oauth2Proxy` are two, with their homes).
fn keep(found: &[(Path, Found)], top: &Path, top_node: &Node) -> Vec<(Path, Found)> {
    found
        .iter()
        .filter(|(path, m)| {
            if m.target.is_some() {
                return true;
            }
            let below: Vec<(Path, Found)> = found
                .iter()
                .filter(|(p, _)| p != path && under(p, path))
                .cloned()
                .collect();
            if below.is_empty() {
                return true;
            }
            let rel = Path(path.0[top.0.len()..].to_vec());
            top_node
                .at(&rel)
                .is_some_and(|n| !uncovered_children(path, n, &below).is_empty())
        })
        .cloned()
        .collect()
}

/// The children of the map at `path` that no move in `moves` names or
/// reaches below.
fn uncovered_children(path: &Path, node: &Node, moves: &[(Path, Found)]) -> Vec<String> {
    let NodeValue::Map(entries) = &node.value else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|e| e.key.key_text())
        .filter(|k| {
            let child = path.clone().key(k.clone());
            !moves
                .iter()
                .any(|(p, _)| under(p, &child) || under(&child, p))
        })
        .collect()
}

/// What leaving a 6.2 key in a 6.3.1 file does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// The 6.2 chart read it; at 6.3.1 the setting is silently lost.
    Lost,
    /// The 6.2.10 chart did not read it either: only clutter.
    AlreadyIgnored,
}

/// Whether the 6.2.10 chart `from` read the key at `path`: its model has
/// it, and does not describe it as having no effect.
fn read_in_6_2(from: ChartName, path: &Path) -> bool {
    let Some(chart) = Chart::new(Release::V6_2_10, from) else {
        return false;
    };
    let shape = shape(chart);
    shape.allows(path) && shape.no_effect_on(path).is_none()
}

/// Why the key moved or went, in the operator's words, from the row.
fn why(found: &Found) -> String {
    let row = found.row;
    let merged = match row.chart {
        ChartName::Router | ChartName::WebUi => {
            "OSMO 6.3 merged the router and web-ui charts into the service chart"
        }
        ChartName::BackendOperator => "the 6.3.1 backend operator chart reads it there",
        _ if row.from.starts_with("sidecars") => {
            "OSMO 6.3 replaced each pod's Envoy, oauth2-proxy, authz and rate-limit sidecars by one gateway in front of every service"
        }
        _ => "the 6.3.1 service chart reads it there",
    };
    match row.to {
        To::Path(_) => merged.to_owned(),
        To::Join(_) => format!("{merged}; the lists of every 6.2 chart become one"),
        To::Rewrite(..) => format!("{merged}, and its value changes on the way"),
        To::SameAsService { .. } => {
            format!("{merged}: 6.3.1 has one such setting for every service, the service chart's")
        }
        To::Dropped(reason) => reason.to_owned(),
        To::Decide(question) | To::Inert { question, .. } | To::DroppedIf { question, .. } => {
            question.to_owned()
        }
    }
}

fn report(chart: Chart, file: &SourceFile<'_>, path: &Path, m: &Found, sink: &mut Sink) {
    let Some(at) = file.key_span(path) else {
        return;
    };
    let release = chart.release;
    let migrate = format!("`osmo-values migrate --to {release}` rewrites the file");
    let effect = if m.target.is_none() && !read_in_6_2(m.row.chart, path) {
        Effect::AlreadyIgnored
    } else {
        Effect::Lost
    };
    let why = why(m);
    let mut d = match (&m.target, effect) {
        (Some(to), _) => {
            let stray = strays(shape(chart), file, path, m);
            let mut help = format!("move it to `{to}`: {why}");
            if !stray.is_empty() {
                help.push_str(&format!(
                    "; {} {} no counterpart there",
                    stray
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if stray.len() == 1 { "has" } else { "have" }
                ));
            }
            help.push_str(&format!(". {migrate}"));
            diag(
                code::MOVED_KEY,
                file.index,
                at,
                format!(
                    "`{path}` is where OSMO 6.2 read this; {release} reads it at `{to}`: here it is silently ignored"
                ),
            )
            .with_help(help)
        }
        (None, Effect::Lost) => diag(
            code::MOVED_KEY,
            file.index,
            at,
            format!(
                "`{path}` is an OSMO 6.2 key that {release} no longer reads: it is silently ignored"
            ),
        )
        .with_help(format!(
            "{}. {migrate}",
            capitalize(why.trim_end_matches('.'))
        )),
        (None, Effect::AlreadyIgnored) => {
            let mut d = diag(
                code::MOVED_KEY,
                file.index,
                at,
                format!("`{path}` has no effect: {why}"),
            )
            .with_help("delete it");
            d.severity = Severity::Warning;
            if let Some(fix) = delete_entry(file, path, &format!("delete {path}"), true) {
                d = d.with_fix(fix);
            }
            d
        }
    };
    d = d.with_path(path.clone());
    sink.push(d);
}

/// The keys written below a moved block that have no counterpart at its
/// new home (relative to the block), except those a more specific move
/// explains.
fn strays(shape: &Shape, file: &SourceFile<'_>, path: &Path, m: &Found) -> Vec<Path> {
    let mut out: Vec<Path> = Vec::new();
    let Some(node) = file.node(path) else {
        return out;
    };
    let mut rel = Path::root();
    walk(node, &mut rel, &mut |r, key, _| {
        if key.is_none() || out.iter().any(|o| under(r, o)) {
            return;
        }
        let mut full = path.clone();
        for seg in &r.0 {
            full.push(seg.clone());
        }
        let Some(below) = lookup(m.row.chart, &full) else {
            return;
        };
        if below.row != m.row {
            return;
        }
        if below.target.is_some_and(|t| is_unknown(shape, &t)) {
            out.push(r.clone());
        }
    });
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
