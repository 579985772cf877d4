//! A YAML reader that keeps the line and column of every key and value and
//! reads plain scalars exactly as Helm does (YAML 1.1 through go-yaml v2 and
//! `sigs.k8s.io/yaml`).
//!
//! ```
//! use osmo_values::yaml;
//! use osmo_values::path::Path;
//! let doc = yaml::parse("image:\n  tag: 6.10\nenabled: yes\n").unwrap();
//! let tag = doc.root.at(&Path::keys("image.tag")).unwrap();
//! assert_eq!((tag.span.start.line, tag.span.start.column), (2, 8));
//! assert_eq!(tag.scalar.as_ref().unwrap().raw, "6.10");
//! assert_eq!(doc.root.to_json(), serde_json::json!({"image": {"tag": 6.1}, "enabled": true}));
//! ```
//!
//! What Helm does and this reader does too: `yes`/`no`/`on`/`off`/`y`/`n`
//! are booleans (in keys as well), `017` is octal, duplicate keys keep the
//! last value, merge keys `<<` are applied, non-string keys are written as
//! strings. Where Helm would silently read something else than the author
//! meant, this reader refuses with a clear error instead: a second document
//! in the file, NUL bytes and other control characters. Where Helm fails,
//! so does this reader: `.inf`/`.nan` values, null keys, lists as the top
//! level.

mod build;
mod resolve;

use std::fmt;

use serde_json::{Map, Number, Value};

use crate::path::{Path, Segment};

pub use resolve::resolve_plain;

/// Most levels of nesting a document may have (maps and lists).
pub const MAX_DEPTH: usize = 1000;

/// Largest text accepted, in bytes (8 MiB). The tree keeps spans, style
/// and source text of every scalar, so it takes up to about 70 times the
/// size of a dense input (`[1,1,1,...]`); values files are a few kilobytes.
pub const MAX_INPUT_BYTES: usize = 8 << 20;

/// Most nodes that alias expansion (`*anchor`) may create in one document.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// A position in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Pos {
    /// Byte offset from the start of the text.
    pub offset: usize,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, counted in characters.
    pub column: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A range of the source text: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The first character.
    pub start: Pos,
    /// Just past the last character.
    pub end: Pos,
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    /// Unquoted: resolved by the YAML 1.1 rules (`yes` is a boolean).
    Plain,
    /// `'single quoted'`: always a string.
    SingleQuoted,
    /// `"double quoted"`: always a string.
    DoubleQuoted,
    /// A `|` block: always a string.
    Literal,
    /// A `>` block: always a string.
    Folded,
}

/// How a scalar node was written in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarInfo {
    /// Plain, quoted or block.
    pub style: ScalarStyle,
    /// The source text of the scalar itself, quotes and block header
    /// included, anchor and tag excluded (`6.10`, `"yes"`, `|\n  text\n`).
    pub raw: String,
    /// The explicit tag, if any: `!!str`, `!!int`, `!custom`, `!`.
    pub tag: Option<String>,
}

/// A value of the document with its place in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value, resolved as Helm resolves it.
    pub value: NodeValue,
    /// Where the node is written. A node copied from an anchor by an alias
    /// has the alias's span; its children keep the anchor's spans.
    pub span: Span,
    /// For scalars, how they were written; `None` for maps and lists.
    pub scalar: Option<ScalarInfo>,
}

/// The value of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// `~`, `null`, empty.
    Null,
    /// `true`, `yes`, `on`, `y` and their false counterparts.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// A float, or an integer too large for `i64`.
    Float(f64),
    /// A string.
    String(String),
    /// A list.
    Seq(Vec<Node>),
    /// A map, entries in source order. Duplicate keys stay (the last one
    /// wins, as in Helm); merge keys (`<<`) are replaced by the entries
    /// they bring, so the last entry of a key is always its value.
    Map(Vec<Entry>),
}

/// One `key: value` pair of a map.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key node; [`Node::key_text`] gives the string Helm uses.
    pub key: Node,
    /// The value node.
    pub value: Node,
}

/// A parsed values document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The top-level map (an empty map for an empty file).
    pub root: Node,
    /// Every key written more than once in the same map.
    pub duplicates: Vec<DuplicateKey>,
}

/// A key written twice in the same map: Helm silently keeps the last value.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateKey {
    /// The path of the map holding the key.
    pub path: Path,
    /// The key, as Helm sees it (`y` is `true`).
    pub key: String,
    /// The span of the key's first occurrence.
    pub first: Span,
    /// The span of the later occurrence.
    pub second: Span,
}

/// A document that cannot be read, with the position of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {}, column {}: {message}", pos.line, pos.column)]
pub struct YamlError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub pos: Pos,
}

/// Reads a values document.
///
/// Errors on invalid YAML, control characters, a second document, a top
/// level that is not a map, and everything Helm refuses (null keys, lists
/// as keys, `.inf`/`.nan` values, `!!int abc`, excessive aliasing, nesting
/// deeper than [`MAX_DEPTH`]), and texts longer than [`MAX_INPUT_BYTES`].
///
/// ```
/// let err = osmo_values::yaml::parse("a: 1\n---\nb: 2\n").unwrap_err();
/// assert_eq!(err.pos.line, 2);
/// assert!(err.to_string().starts_with("line 2, column 1: "));
/// ```
pub fn parse(text: &str) -> Result<Document, YamlError> {
    check_size(text.len())?;
    build::parse_document(text)
}

/// Reads a values document from bytes: invalid UTF-8 is an error at the
/// position of the first bad byte.
///
/// ```
/// let err = osmo_values::yaml::parse_bytes(b"a: 1\nb: \xff\n").unwrap_err();
/// assert_eq!((err.pos.line, err.pos.column), (2, 4));
/// ```
pub fn parse_bytes(bytes: &[u8]) -> Result<Document, YamlError> {
    check_size(bytes.len())?;
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(err) => {
            let good = err.valid_up_to();
            // The prefix is valid UTF-8 by construction.
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
            let pos = build::pos_of(prefix, good);
            Err(YamlError {
                message: format!(
                    "the file is not valid UTF-8 text (byte 0x{:02x}); is it binary?",
                    bytes[good]
                ),
                pos,
            })
        }
    }
}

impl Node {
    /// The value as Helm gets it, in JSON.
    ///
    /// Floats with an integral value become JSON integers, as Go's JSON
    /// encoder writes them (`1e3` → `1000`, `08` → `8`); keys become strings
    /// ([`Node::key_text`]); the last of duplicate keys wins.
    pub fn to_json(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::from(*i),
            NodeValue::Float(f) => float_to_json(*f),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for entry in entries {
                    if let Some(key) = entry.key.key_text() {
                        map.insert(key, entry.value.to_json());
                    }
                }
                Value::Object(map)
            }
        }
    }

    /// The string Helm uses for this node as a map key: strings as they
    /// are, `true`/`false`, integers in decimal, floats as Go writes them.
    /// `None` for nulls, lists and maps (Helm refuses those keys).
    pub fn key_text(&self) -> Option<String> {
        match &self.value {
            NodeValue::String(s) => Some(s.clone()),
            NodeValue::Bool(b) => Some(b.to_string()),
            NodeValue::Int(i) => Some(i.to_string()),
            NodeValue::Float(f) => Some(resolve::float_key(*f)),
            NodeValue::Null | NodeValue::Seq(_) | NodeValue::Map(_) => None,
        }
    }

    /// [`Node::key_text`], borrowed from the node when it is a string.
    pub(crate) fn key_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        match &self.value {
            NodeValue::String(s) => Some(std::borrow::Cow::Borrowed(s)),
            _ => self.key_text().map(std::borrow::Cow::Owned),
        }
    }

    /// Whether Helm's string for this node as a map key is `key`
    /// ([`Node::key_text`], without building it for a string key).
    fn is_key(&self, key: &str) -> bool {
        match &self.value {
            NodeValue::String(s) => s == key,
            _ => self.key_text().as_deref() == Some(key),
        }
    }

    /// The value node at `path` (the last of duplicate keys, as in Helm).
    ///
    /// ```
    /// use osmo_values::{path::Path, yaml};
    /// let doc = yaml::parse("a: [x, {b: 1}]\na: [y, {b: 2}]\n").unwrap();
    /// let node = doc.root.at(&Path::parse_pointer("/a/1/b")).unwrap();
    /// assert_eq!(node.span.start.line, 2);
    /// ```
    pub fn at(&self, path: &Path) -> Option<&Node> {
        let mut node = self;
        for segment in &path.0 {
            node = node.child(segment)?.1;
        }
        Some(node)
    }

    /// The key node of the last map segment of `path` (where to point for
    /// an unknown key). `None` if the path is empty, ends with a list
    /// index, or does not exist.
    ///
    /// ```
    /// use osmo_values::{path::Path, yaml};
    /// let doc = yaml::parse("a:\n  bogus: 1\n").unwrap();
    /// let key = doc.root.key_at(&Path::keys("a.bogus")).unwrap();
    /// assert_eq!((key.span.start.line, key.span.start.column), (2, 3));
    /// ```
    pub fn key_at(&self, path: &Path) -> Option<&Node> {
        let (last, parent) = path.0.split_last()?;
        let parent = self.at(&Path(parent.to_vec()))?;
        parent.child(last)?.0
    }

    /// The child at one step: its key node (for maps) and its value node.
    fn child(&self, segment: &Segment) -> Option<(Option<&Node>, &Node)> {
        match (&self.value, segment) {
            (NodeValue::Map(entries), Segment::Key(k)) => entries
                .iter()
                .rev()
                .find(|e| e.key.is_key(k))
                .map(|e| (Some(&e.key), &e.value)),
            (NodeValue::Seq(items), Segment::Index(i)) => items.get(*i).map(|n| (None, n)),
            _ => None,
        }
    }

    /// Whether the node is a map.
    pub fn is_map(&self) -> bool {
        matches!(self.value, NodeValue::Map(_))
    }
}

fn check_size(len: usize) -> Result<(), YamlError> {
    if len <= MAX_INPUT_BYTES {
        return Ok(());
    }
    Err(YamlError {
        message: format!(
            "the text is {}.{} MiB long; values files longer than {} MiB are refused",
            len >> 20,
            // One decimal by integers: float formatting stays out of the browser wizard.
            ((len & ((1 << 20) - 1)) * 10) >> 20,
            MAX_INPUT_BYTES >> 20
        ),
        pos: Pos {
            offset: 0,
            line: 1,
            column: 1,
        },
    })
}

/// A float as Go's JSON encoder writes it and Helm reads it back: integral
/// values as integers.
fn float_to_json(f: f64) -> Value {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    const TWO_64: f64 = 18_446_744_073_709_551_616.0;
    if !f.is_finite() {
        // Unreachable from `parse`, which refuses non-finite values as Helm does.
        return Value::Null;
    }
    if f.fract() == 0.0 {
        if (-TWO_63..TWO_63).contains(&f) {
            return Value::from(f as i64);
        }
        if (0.0..TWO_64).contains(&f) {
            return Value::from(f as u64);
        }
    }
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests;
