//! One values file as the linter sees it: its text, its parsed document,
//! and lookups from values paths to positions.

use crate::diagnostic::{Pos, Span};
use crate::path::{Path, Segment};
use crate::yaml::{self, Document, Entry, Node, NodeValue, ScalarStyle};

/// A parsed values file.
#[derive(Debug)]
pub(crate) struct SourceFile<'a> {
    /// Index among the linted inputs.
    pub index: usize,
    /// The text (valid UTF-8: the file parsed).
    pub text: &'a str,
    /// The parsed document.
    pub doc: Document,
    /// The document as the JSON Helm reads, built once for every rule that
    /// needs it (the schema check, the merge).
    pub json: serde_json::Value,
}

/// Converts a reader span to a diagnostic span.
pub(crate) fn span(s: yaml::Span) -> Span {
    Span {
        start: pos(s.start),
        end: pos(s.end),
    }
}

/// Converts a reader position to a diagnostic position.
pub(crate) fn pos(p: yaml::Pos) -> Pos {
    Pos {
        offset: p.offset,
        line: p.line,
        column: p.column,
    }
}

impl<'a> SourceFile<'a> {
    /// The value node at `path`.
    pub fn node(&self, path: &Path) -> Option<&Node> {
        self.doc.root.at(path)
    }

    /// The span of the value at `path`.
    pub fn value_span(&self, path: &Path) -> Option<Span> {
        self.node(path).map(|n| span(n.span))
    }

    /// The span of the key of `path` (the value's span for list items).
    pub fn key_span(&self, path: &Path) -> Option<Span> {
        match path.last() {
            Some(Segment::Key(_)) => self.doc.root.key_at(path).map(|n| span(n.span)),
            _ => self.value_span(path),
        }
    }

    /// The span of the key of `path`, or of its nearest ancestor present
    /// in the file; `None` only when nothing of the path is in the file.
    #[cfg_attr(not(feature = "validate"), allow(dead_code))]
    pub fn nearest_key_span(&self, path: &Path) -> Option<Span> {
        let mut p = path.clone();
        loop {
            if p.is_root() {
                return None;
            }
            if let Some(s) = self.key_span(&p) {
                return Some(s);
            }
            p = p.parent()?;
        }
    }

    /// Whether the file writes something at `path`.
    pub fn has(&self, path: &Path) -> bool {
        self.node(path).is_some()
    }

    /// Byte offset of the start of the line holding `offset`.
    pub fn line_start(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1)
    }

    /// Byte offset just past the newline ending the line holding `offset`.
    pub fn line_end(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i + 1)
    }

    /// The byte range of whole lines holding the entry `path` (key and
    /// value), when the entry stands alone on its lines (block style, with
    /// nothing but a comment after its value). Used for deletion fixes.
    pub fn entry_lines(&self, path: &Path) -> Option<(usize, usize)> {
        let key = self.doc.root.key_at(path)?;
        let value = self.node(path)?;
        let start = self.line_start(key.span.start.offset);
        if !self.text[start..key.span.start.offset].trim().is_empty() {
            return None;
        }
        let end_off = self.content_end(value).max(key.span.end.offset);
        let end = self.line_end(end_off);
        let rest = &self.text[end_off..end];
        let rest = rest.trim();
        if !(rest.is_empty() || rest.starts_with('#')) {
            return None;
        }
        Some((start, end))
    }

    /// Byte offset just past the last character written for `node` (its
    /// last scalar for block collections, the closing bracket for flow ones).
    pub fn content_end(&self, node: &Node) -> usize {
        let flow = matches!(
            self.text.as_bytes().get(node.span.start.offset),
            Some(b'[' | b'{')
        );
        match &node.value {
            NodeValue::Map(entries) if !flow => entries
                .iter()
                .map(|e| self.content_end(&e.value).max(e.key.span.end.offset))
                .max()
                .unwrap_or(node.span.end.offset),
            NodeValue::Seq(items) if !flow => items
                .iter()
                .map(|n| self.content_end(n))
                .max()
                .unwrap_or(node.span.end.offset),
            _ => node.span.end.offset,
        }
    }

    /// The column (from 0, in bytes) where the children of the block map at
    /// `path` start, if it is a block map with at least one entry.
    pub fn child_indent(&self, path: &Path) -> Option<usize> {
        let node = self.node(path)?;
        let NodeValue::Map(entries) = &node.value else {
            return None;
        };
        let first = entries.first()?;
        let ls = self.line_start(first.key.span.start.offset);
        let indent = first.key.span.start.offset - ls;
        self.text[ls..first.key.span.start.offset]
            .trim()
            .is_empty()
            .then_some(indent)
    }
}

/// Whether a scalar node was written unquoted.
pub(crate) fn is_plain(node: &Node) -> bool {
    node.scalar
        .as_ref()
        .is_some_and(|s| s.style == ScalarStyle::Plain && s.tag.is_none())
}

/// The source text of a scalar node.
pub(crate) fn raw(node: &Node) -> Option<&str> {
    node.scalar.as_ref().map(|s| s.raw.as_str())
}

/// Visits every node of a tree with its path.
pub(crate) fn walk<'n>(
    node: &'n Node,
    path: &mut Path,
    f: &mut dyn FnMut(&Path, Option<&'n Node>, &'n Node),
) {
    walk_reusing(node, path, f, &mut Vec::new());
}

/// [`walk`], reusing the strings of the key segments it pops for the next
/// keys (a handful of allocations per file instead of one per key).
fn walk_reusing<'n>(
    node: &'n Node,
    path: &mut Path,
    f: &mut dyn FnMut(&Path, Option<&'n Node>, &'n Node),
    spare: &mut Vec<String>,
) {
    match &node.value {
        NodeValue::Map(entries) => {
            for e in entries {
                let key = match &e.key.value {
                    NodeValue::String(text) => {
                        let mut key = spare.pop().unwrap_or_default();
                        key.clear();
                        key.push_str(text);
                        key
                    }
                    _ => match e.key.key_text() {
                        Some(key) => key,
                        None => continue,
                    },
                };
                path.push(Segment::Key(key));
                f(path, Some(&e.key), &e.value);
                walk_reusing(&e.value, path, f, spare);
                if let Some(Segment::Key(key)) = path.0.pop() {
                    spare.push(key);
                }
            }
        }
        NodeValue::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Segment::Index(i));
                f(path, None, item);
                walk_reusing(item, path, f, spare);
                path.0.pop();
            }
        }
        _ => {}
    }
}

/// One step down to a node in [`walk_steps`]: a map entry or a list position.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'n> {
    /// The entry whose value the step goes to.
    Entry(&'n Entry),
    /// The position in a list.
    Index(usize),
}

/// The path of the node that `steps` lead to.
pub(crate) fn path_of(steps: &[Step<'_>]) -> Path {
    Path(
        steps
            .iter()
            .map(|step| match step {
                Step::Entry(e) => Segment::Key(e.key.key_text().unwrap_or_default()),
                Step::Index(i) => Segment::Index(*i),
            })
            .collect(),
    )
}

/// What [`walk_steps`] calls at every node: the steps down to it, its key
/// node (`None` for list items) and the node.
pub(crate) type StepVisitor<'n, 'f> = dyn FnMut(&[Step<'n>], Option<&'n Node>, &'n Node) + 'f;

/// Visits every node of a tree as [`walk`] does, giving the steps down to
/// it instead of its path: no key is copied on the way, and a rule builds
/// the path with [`path_of`] only for the nodes it reports.
pub(crate) fn walk_steps<'n>(
    node: &'n Node,
    steps: &mut Vec<Step<'n>>,
    f: &mut StepVisitor<'n, '_>,
) {
    match &node.value {
        NodeValue::Map(entries) => {
            for e in entries {
                // Keys without a string (null, list, map) are skipped, as in `walk`.
                if matches!(
                    e.key.value,
                    NodeValue::Null | NodeValue::Seq(_) | NodeValue::Map(_)
                ) {
                    continue;
                }
                steps.push(Step::Entry(e));
                f(steps, Some(&e.key), &e.value);
                walk_steps(&e.value, steps, f);
                steps.pop();
            }
        }
        NodeValue::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                f(steps, None, item);
                walk_steps(item, steps, f);
                steps.pop();
            }
        }
        _ => {}
    }
}
