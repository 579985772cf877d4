//! Builds the [`Node`] tree from saphyr-parser's events, without recursion:
//! an explicit stack of open maps and lists, a depth limit, an alias budget.

use std::borrow::Cow;
use std::collections::HashMap;

use base64::Engine as _;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle as SaphyrStyle, ScanError, Tag};

use super::resolve::{Resolved, resolve};
use super::{
    DuplicateKey, Entry, MAX_ALIAS_NODES, MAX_DEPTH, Node, NodeValue, Pos, ScalarInfo, ScalarStyle,
    Span,
};
use crate::path::{Path, Segment};
use crate::yaml::{Document, YamlError};

/// The prefix of the YAML core schema tags (`!!str` is `tag:yaml.org,2002:str`).
const CORE: &str = "tag:yaml.org,2002:";

/// Parses one values document; see [`super::parse`].
pub(super) fn parse_document(text: &str) -> Result<Document, YamlError> {
    check_characters(text)?;
    check_version_directive(text)?;
    let mut builder = Builder::new(text);
    builder.run()?;
    builder.finish()
}

/// The position of byte `offset`, given the text before it.
pub(super) fn pos_of(prefix: &str, offset: usize) -> Pos {
    let line = 1 + prefix.bytes().filter(|&b| b == b'\n').count();
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    let column = 1 + prefix[line_start..].chars().count();
    Pos {
        offset,
        line,
        column,
    }
}

fn error_at(text: &str, offset: usize, message: impl Into<String>) -> YamlError {
    YamlError {
        message: message.into(),
        pos: pos_of(&text[..offset], offset),
    }
}

/// Refuses the characters go-yaml refuses ("control characters are not
/// allowed"), NUL included: a file holding them is not a values file.
fn check_characters(text: &str) -> Result<(), YamlError> {
    // The common case first: printable ASCII, tabs and line breaks.
    if plain_ascii(text.as_bytes()) {
        return Ok(());
    }
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}')
            || ('\u{A0}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    match text.char_indices().find(|&(_, c)| !allowed(c)) {
        None => Ok(()),
        Some((offset, c)) => {
            let what = if c == '\0' {
                "a NUL byte: is this a binary file?".to_owned()
            } else {
                format!(
                    "the control character U+{:04X}, which YAML does not allow",
                    c as u32
                )
            };
            Err(error_at(text, offset, format!("found {what}")))
        }
    }
}

/// Whether every byte is printable ASCII, a tab or a line break. Checked
/// 32 bytes at a time without stopping inside a block, which the compiler
/// turns into vector instructions (a byte-by-byte loop costs several
/// instructions per byte of every file).
fn plain_ascii(bytes: &[u8]) -> bool {
    fn bad(b: u8) -> u8 {
        u8::from(b.wrapping_sub(b' ') > b'~' - b' ' && b != b'\t' && b != b'\n' && b != b'\r')
    }
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        if block.iter().fold(0, |acc, &b| acc | bad(b)) != 0 {
            return false;
        }
    }
    blocks.remainder().iter().all(|&b| bad(b) == 0)
}

/// go-yaml accepts only `%YAML 1.1` (or no directive at all).
fn check_version_directive(text: &str) -> Result<(), YamlError> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches('\u{feff}').trim_end();
        if let Some(version) = trimmed.strip_prefix("%YAML") {
            let version = version.split('#').next().unwrap_or("").trim();
            if version != "1.1" {
                return Err(error_at(
                    text,
                    offset,
                    format!(
                        "`%YAML {version}`: Helm's YAML reader only accepts `%YAML 1.1` (or no directive)"
                    ),
                ));
            }
        } else if !(trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('%')) {
            break;
        }
        offset += line.len();
    }
    Ok(())
}

/// Converts saphyr's character indexes to byte offsets.
struct PosMap {
    /// Byte offset of every 64th character; empty for ASCII text.
    checkpoints: Vec<usize>,
    ascii: bool,
}

impl PosMap {
    const STEP: usize = 64;

    fn new(text: &str) -> PosMap {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(Self::STEP)
                .map(|(byte, _)| byte)
                .collect()
        };
        PosMap { checkpoints, ascii }
    }

    #[inline]
    fn byte(&self, text: &str, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(text.len());
        }
        let Some(&start) = self.checkpoints.get(char_index / Self::STEP) else {
            return text.len();
        };
        text[start..]
            .char_indices()
            .nth(char_index % Self::STEP)
            .map_or(text.len(), |(b, _)| start + b)
    }
}

/// A key waiting for its value.
struct PendingKey {
    node: Node,
    /// Helm's string for the key when it is not the node's own string
    /// (`true` for `y`, `<<` for a merge key).
    text: Option<String>,
    merge: bool,
}

impl PendingKey {
    /// The string Helm uses for the key.
    fn text(&self) -> &str {
        match (&self.text, &self.node.value) {
            (Some(text), _) => text,
            (None, NodeValue::String(text)) => text,
            (None, _) => "",
        }
    }
}

/// An open list or map. Its items or entries so far are the top of the
/// builder's `items` or `entries` from `first` on (the children of the
/// collections open inside it are above them until those close): each
/// collection is then moved into a vector of its exact size once, instead
/// of growing one vector per collection.
enum Open {
    Seq {
        first: usize,
    },
    Map {
        first: usize,
        pending: Option<Box<PendingKey>>,
        /// Written keys and the span of their first occurrence.
        seen: SeenKeys,
    },
}

/// The keys written so far in one map beyond the first few: while the map
/// is small, a scan of its entries finds a repeated key (most maps of a
/// values file have a handful of keys: a scan beats hashing); beyond, a
/// hash map of each written key's first span.
#[derive(Default)]
struct SeenKeys {
    /// Whether `many` holds the map's written keys.
    hashed: bool,
    many: HashMap<String, Span>,
}

impl SeenKeys {
    /// Entries scanned before moving to the hash map.
    const FEW: usize = 16;
}

/// A map or list being read.
struct Frame {
    open: Open,
    start: Pos,
    anchor: usize,
}

/// An anchored node, kept for its aliases.
struct Anchored {
    node: Node,
    /// Nodes in the subtree, itself included.
    count: usize,
    /// Levels of maps and lists in the subtree (0 for a scalar).
    height: usize,
}

struct Builder<'t> {
    text: &'t str,
    pos: PosMap,
    frames: Vec<Frame>,
    /// The items of the open lists (see [`Open`]).
    items: Vec<Node>,
    /// The entries of the open maps (see [`Open`]).
    entries: Vec<Entry>,
    /// For each of `entries`, whether its key is written there (not
    /// brought by a merge key `<<`, which a later key may override).
    written: Vec<bool>,
    anchors: HashMap<usize, Anchored>,
    alias_nodes: usize,
    duplicates: Vec<DuplicateKey>,
    root: Option<Node>,
    documents: usize,
    second_document: Option<Pos>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Builder<'t> {
        Builder {
            text,
            pos: PosMap::new(text),
            frames: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            written: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            duplicates: Vec::new(),
            root: None,
            documents: 0,
            second_document: None,
        }
    }

    #[inline]
    fn pos(&self, marker: &Marker) -> Pos {
        Pos {
            offset: self.pos.byte(self.text, marker.index()),
            line: marker.line(),
            column: marker.col() + 1,
        }
    }

    #[inline]
    fn span(&self, span: &saphyr_parser::Span) -> Span {
        Span {
            start: self.pos(&span.start),
            end: self.pos(&span.end),
        }
    }

    fn err(&self, pos: Pos, message: impl Into<String>) -> YamlError {
        YamlError {
            message: message.into(),
            pos,
        }
    }

    fn second_document_error(&self, pos: Pos) -> YamlError {
        self.err(
            pos,
            "a second YAML document starts here; Helm reads only the first document of a \
             values file and silently ignores the rest: remove the `---` or split the file",
        )
    }

    fn scan_error(&self, e: &ScanError) -> YamlError {
        if let Some(pos) = self.second_document {
            return self.second_document_error(pos);
        }
        self.err(self.pos(e.marker()), e.info().to_owned())
    }

    fn run(&mut self) -> Result<(), YamlError> {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| self.scan_error(&e))?;
            if let Some(pos) = self.second_document {
                // Only an empty trailing document (`---` at the very end) is tolerated.
                match &event {
                    Event::Scalar(value, SaphyrStyle::Plain, 0, None)
                        if value.is_empty() && span.start == span.end => {}
                    Event::DocumentStart(_)
                    | Event::DocumentEnd
                    | Event::StreamEnd
                    | Event::Nothing => {}
                    _ => return Err(self.second_document_error(pos)),
                }
                continue;
            }
            match event {
                Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        self.second_document = Some(self.pos(&span.start));
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let node = self.scalar(value, style, tag, &span)?;
                    self.push(node, anchor)?;
                }
                Event::Alias(id) => {
                    let node = self.alias(id, &span)?;
                    self.push(node, 0)?;
                }
                Event::SequenceStart(anchor, _) => self.open(
                    Open::Seq {
                        first: self.items.len(),
                    },
                    anchor,
                    &span,
                )?,
                Event::MappingStart(anchor, _) => self.open(
                    Open::Map {
                        first: self.entries.len(),
                        pending: None,
                        seen: SeenKeys::default(),
                    },
                    anchor,
                    &span,
                )?,
                Event::SequenceEnd | Event::MappingEnd => self.close(&span)?,
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Document, YamlError> {
        let start = Pos {
            offset: 0,
            line: 1,
            column: 1,
        };
        let empty = |span| Node {
            value: NodeValue::Map(Vec::new()),
            span,
            scalar: None,
        };
        let root = match self.root {
            None => empty(Span { start, end: start }),
            Some(node) => match &node.value {
                NodeValue::Map(_) => node,
                NodeValue::Null => empty(node.span),
                other => {
                    let what = match other {
                        NodeValue::Seq(_) => "a list",
                        NodeValue::String(_) => "a string",
                        NodeValue::Bool(_) => "a boolean",
                        _ => "a number",
                    };
                    return Err(YamlError {
                        message: format!(
                            "the top level of a values file must be a map of keys, not {what} \
                             (Helm refuses it)"
                        ),
                        pos: node.span.start,
                    });
                }
            },
        };
        Ok(Document {
            root,
            duplicates: self.duplicates,
        })
    }

    /// The path of the innermost open node: each open node is the child
    /// its parent is reading (a map's pending key, a list's next item).
    fn path(&self) -> Path {
        let open = self.frames.len().saturating_sub(1);
        let mut path = Path::root();
        for (i, frame) in self.frames.iter().enumerate().take(open) {
            match &frame.open {
                Open::Seq { first } => {
                    // The list's items end where the next open list's start.
                    let end = self.frames[i + 1..]
                        .iter()
                        .find_map(|f| match f.open {
                            Open::Seq { first } => Some(first),
                            Open::Map { .. } => None,
                        })
                        .unwrap_or(self.items.len());
                    path.push(Segment::Index(end - first));
                }
                Open::Map {
                    pending: Some(key), ..
                } => path.push(Segment::Key(key.text().to_owned())),
                Open::Map { pending: None, .. } => {}
            }
        }
        path
    }

    /// Errors if a new child of the innermost open node would be a map key
    /// (Helm refuses lists and maps as keys).
    fn check_not_key(&self, what: &str, pos: Pos) -> Result<(), YamlError> {
        match self.frames.last().map(|f| &f.open) {
            Some(Open::Map { pending: None, .. }) => {
                Err(self.err(pos, format!("{what} cannot be a map key (Helm refuses it)")))
            }
            _ => Ok(()),
        }
    }

    fn open(
        &mut self,
        open: Open,
        anchor: usize,
        span: &saphyr_parser::Span,
    ) -> Result<(), YamlError> {
        let start = self.skip_properties(self.span(span)).start;
        let what = match open {
            Open::Seq { .. } => "a list",
            Open::Map { .. } => "a map",
        };
        self.check_not_key(what, start)?;
        if self.frames.len() >= MAX_DEPTH {
            return Err(self.err(
                start,
                format!("the document nests maps and lists deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.frames.push(Frame {
            open,
            start,
            anchor,
        });
        Ok(())
    }

    fn close(&mut self, span: &saphyr_parser::Span) -> Result<(), YamlError> {
        let end_span = self.span(span);
        let Some(frame) = self.frames.pop() else {
            return Err(self.err(end_span.start, "unbalanced end of a map or list"));
        };
        let (value, last_end) = match frame.open {
            Open::Seq { first } => {
                let items = self.items.split_off(first);
                let last = items.last().map(|n| n.span.end);
                (NodeValue::Seq(items), last)
            }
            Open::Map { first, pending, .. } => {
                if let Some(key) = pending {
                    return Err(self.err(key.node.span.start, "a map key without a value"));
                }
                let entries = self.entries.split_off(first);
                self.written.truncate(first);
                let last = entries.last().map(|e| e.value.span.end.max(e.key.span.end));
                (NodeValue::Map(entries), last)
            }
        };
        // Flow collections end with their `]` or `}`; block ones with their last child.
        let end = if end_span.start != end_span.end {
            end_span.end
        } else {
            last_end.unwrap_or(end_span.end).max(frame.start)
        };
        let node = Node {
            value,
            span: Span {
                start: frame.start,
                end,
            },
            scalar: None,
        };
        self.push(node, frame.anchor)
    }

    fn alias(&mut self, id: usize, span: &saphyr_parser::Span) -> Result<Node, YamlError> {
        let span = self.span(span);
        let name = self.text[span.start.offset..span.end.offset].trim_start_matches('*');
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(self.err(
                span.start,
                format!("the alias `*{name}` refers to a node that contains it"),
            ));
        };
        if self.frames.len() + anchored.height > MAX_DEPTH {
            return Err(self.err(
                span.start,
                format!(
                    "the alias `*{name}` makes the document nest deeper than {MAX_DEPTH} levels"
                ),
            ));
        }
        self.alias_nodes += anchored.count;
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(self.err(
                span.start,
                format!(
                    "aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); \
                     Helm refuses excessive aliasing too"
                ),
            ));
        }
        let mut node = anchored.node.clone();
        node.span = span;
        Ok(node)
    }

    /// Adds a finished node to the innermost open map or list (or makes it
    /// the root), remembering it if it carries an anchor.
    fn push(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            let (count, height) = measure(&node);
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    count,
                    height,
                },
            );
        }
        let is_key = matches!(
            self.frames.last().map(|f| &f.open),
            Some(Open::Map { pending: None, .. })
        );
        if !is_key
            && let NodeValue::Float(f) = node.value
            && !f.is_finite()
        {
            let raw = node.scalar.as_ref().map_or("", |s| s.raw.as_str());
            return Err(self.err(
                node.span.start,
                format!(
                    "`{raw}` is not a value Helm can read: it cannot convert infinity or NaN \
                     to JSON (quote it if you mean a string)"
                ),
            ));
        }
        // The path of the map, for a duplicate key's finding (built only then).
        let mut duplicate: Option<DuplicateKey> = None;
        let Some(frame) = self.frames.last_mut() else {
            if self.root.is_none() {
                self.root = Some(node);
            }
            return Ok(());
        };
        match &mut frame.open {
            Open::Seq { .. } => self.items.push(node),
            Open::Map {
                first,
                pending,
                seen,
            } => match pending.take() {
                None => {
                    let key = key_of(node).map_err(|(pos, message)| YamlError { message, pos })?;
                    if !key.merge {
                        let first_span = first_written(
                            &self.entries[*first..],
                            &self.written[*first..],
                            seen,
                            key.text(),
                        );
                        match first_span {
                            Some(first) => {
                                duplicate = Some(DuplicateKey {
                                    path: Path::root(),
                                    key: key.text().to_owned(),
                                    first,
                                    second: key.node.span,
                                });
                            }
                            None if seen.hashed => {
                                seen.many.insert(key.text().to_owned(), key.node.span);
                            }
                            None => {}
                        }
                    }
                    *pending = Some(Box::new(key));
                }
                Some(key) if key.merge => {
                    let before = self.entries.len();
                    merge(&mut self.entries, node)?;
                    self.written.resize(self.entries.len().max(before), false);
                }
                Some(key) => {
                    self.entries.push(Entry {
                        key: key.node,
                        value: node,
                    });
                    self.written.push(true);
                }
            },
        }
        if let Some(mut duplicate) = duplicate {
            duplicate.path = self.path();
            self.duplicates.push(duplicate);
        }
        Ok(())
    }

    /// Builds a scalar node: tag, style and Helm's resolution.
    fn scalar(
        &self,
        value: Cow<'_, str>,
        style: SaphyrStyle,
        tag: Option<Cow<'_, Tag>>,
        span: &saphyr_parser::Span,
    ) -> Result<Node, YamlError> {
        let span = self.span(span);
        let style = match style {
            SaphyrStyle::Plain => ScalarStyle::Plain,
            SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            SaphyrStyle::Literal => ScalarStyle::Literal,
            SaphyrStyle::Folded => ScalarStyle::Folded,
        };
        let span = match style {
            ScalarStyle::Literal | ScalarStyle::Folded => self.block_scalar_span(span),
            _ => self.skip_properties(span),
        };
        let raw = self.text[span.start.offset..span.end.offset].to_owned();
        let full_tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
        let is_key = matches!(
            self.frames.last().map(|f| &f.open),
            Some(Open::Map { pending: None, .. })
        );
        let bad = |value: &str, what: &str| {
            self.err(
                span.start,
                format!("cannot read `{value}` as {what} (Helm refuses it)"),
            )
        };
        let resolved = match full_tag.as_deref().and_then(|t| t.strip_prefix(CORE)) {
            None if full_tag.is_none() && style == ScalarStyle::Plain => {
                let resolved = resolve(&value);
                if is_key && let Resolved::Uint(_) = resolved {
                    return Err(self.err(
                        span.start,
                        format!(
                            "the key `{value}` is an integer beyond int64, which Helm refuses \
                             as a map key (quote it)"
                        ),
                    ));
                }
                from_resolved(resolved, value)
            }
            Some("int") => match resolve(&value) {
                Resolved::Int(i) => NodeValue::Int(i),
                Resolved::Uint(u) => NodeValue::Float(u as f64),
                _ => return Err(bad(&value, "!!int")),
            },
            Some("float") => match resolve(&value) {
                Resolved::Int(i) => NodeValue::Float(i as f64),
                Resolved::Uint(u) => NodeValue::Float(u as f64),
                Resolved::Float(f) => NodeValue::Float(f),
                _ => return Err(bad(&value, "!!float")),
            },
            Some("bool") => match resolve(&value) {
                Resolved::Bool(b) => NodeValue::Bool(b),
                _ => return Err(bad(&value, "!!bool")),
            },
            Some("null") => match resolve(&value) {
                Resolved::Null => NodeValue::Null,
                _ => return Err(bad(&value, "!!null")),
            },
            Some("binary") => {
                let compact: String = value
                    .chars()
                    .filter(|c| !matches!(c, '\r' | '\n'))
                    .collect();
                match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
                    Ok(bytes) => NodeValue::String(String::from_utf8_lossy(&bytes).into_owned()),
                    Err(_) => {
                        return Err(self.err(
                            span.start,
                            "the !!binary value is not valid base64 (Helm refuses it)",
                        ));
                    }
                }
            }
            // `!!str`, `!!timestamp` (a string for Helm), other and custom tags.
            _ => NodeValue::String(value.into_owned()),
        };
        let tag = full_tag.map(|t| match t.strip_prefix(CORE) {
            Some(suffix) => format!("!!{suffix}"),
            None => t,
        });
        Ok(Node {
            value: resolved,
            span,
            scalar: Some(ScalarInfo { style, raw, tag }),
        })
    }

    /// The position of byte `offset`, knowing a position at or after it
    /// on a later (or the same) line.
    fn pos_before(&self, offset: usize, after: Pos) -> Pos {
        let between = &self.text[offset..after.offset];
        let line = after.line - between.bytes().filter(|&b| b == b'\n').count();
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let column = 1 + self.text[line_start..offset].chars().count();
        Pos {
            offset,
            line,
            column,
        }
    }

    /// The position of byte `offset`, knowing a position at or before it.
    fn pos_after(&self, before: Pos, offset: usize) -> Pos {
        let between = &self.text[before.offset..offset];
        let newlines = between.bytes().filter(|&b| b == b'\n').count();
        let column = match between.rfind('\n') {
            Some(i) => 1 + between[i + 1..].chars().count(),
            None => before.column + between.chars().count(),
        };
        Pos {
            offset,
            line: before.line + newlines,
            column,
        }
    }

    /// saphyr's span of a plain or quoted scalar includes its anchor and
    /// tag; keep only the scalar.
    #[inline]
    fn skip_properties(&self, span: Span) -> Span {
        let slice = &self.text[span.start.offset..span.end.offset];
        // Most scalars carry no anchor or tag.
        if !matches!(slice.as_bytes().first(), Some(b'&' | b'!')) {
            return span;
        }
        let mut rest = slice;
        while rest.starts_with(['&', '!']) {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            rest = rest[end..].trim_start();
        }
        if rest.len() == slice.len() {
            return span;
        }
        let offset = span.end.offset - rest.len();
        Span {
            start: self.pos_after(span.start, offset),
            end: span.end,
        }
    }

    /// saphyr's span of a block scalar covers its content only: start it
    /// at the `|` or `>` header instead, and end it after the last line.
    fn block_scalar_span(&self, span: Span) -> Span {
        let text = self.text;
        let content = span.start.offset;
        let mut line_start = text[..content].rfind('\n').map_or(0, |i| i + 1);
        let mut line_end = content;
        let mut header = None;
        loop {
            let line = &text[line_start..line_end];
            if let Some(i) = header_in(line) {
                header = Some(line_start + i);
                break;
            }
            // Only blank lines may stand between the header and the content.
            if !line.trim().is_empty() || line_start == 0 {
                break;
            }
            line_end = line_start - 1; // the '\n' ending the previous line
            if text[..line_end].ends_with('\r') {
                line_end -= 1;
            }
            line_start = text[..line_end].rfind('\n').map_or(0, |i| i + 1);
        }
        let start = match header {
            Some(offset) => self.pos_before(offset, span.start),
            None => span.start,
        };
        // The end: trim the next line's indentation saphyr includes.
        let trimmed = text[start.offset..span.end.offset.max(start.offset)]
            .trim_end_matches([' ', '\t'])
            .len();
        let end_offset = start.offset + trimmed;
        let end = if end_offset >= span.end.offset {
            span.end
        } else {
            self.pos_after(start, end_offset)
        };
        Span { start, end }
    }
}

/// The offset of a block scalar header (`|`, `>-`, `|2+ # note`) in a
/// line, if the line ends with one.
fn header_in(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    (0..bytes.len()).find(|&i| {
        if !matches!(bytes[i], b'|' | b'>') || (i > 0 && !matches!(bytes[i - 1], b' ' | b'\t')) {
            return false;
        }
        let indicators =
            line[i + 1..].trim_start_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit());
        let rest = indicators.trim();
        rest.is_empty() || (rest.starts_with('#') && indicators.starts_with([' ', '\t']))
    })
}

fn from_resolved(resolved: Resolved, text: Cow<'_, str>) -> NodeValue {
    match resolved {
        Resolved::Null => NodeValue::Null,
        Resolved::Bool(b) => NodeValue::Bool(b),
        Resolved::Int(i) => NodeValue::Int(i),
        Resolved::Uint(u) => NodeValue::Float(u as f64),
        Resolved::Float(f) => NodeValue::Float(f),
        Resolved::Str => NodeValue::String(text.into_owned()),
    }
}

/// Where `key` was first written among a map's `entries` so far (`written`
/// tells which keys are written there rather than merged in), switching
/// `seen` to its hash map once the map is no longer small.
fn first_written(
    entries: &[Entry],
    written: &[bool],
    seen: &mut SeenKeys,
    key: &str,
) -> Option<Span> {
    if !seen.hashed && entries.len() >= SeenKeys::FEW {
        seen.hashed = true;
        for (e, _) in entries.iter().zip(written).filter(|(_, w)| **w) {
            if let Some(text) = e.key.key_str() {
                seen.many.entry(text.into_owned()).or_insert(e.key.span);
            }
        }
    }
    if seen.hashed {
        return seen.many.get(key).copied();
    }
    entries
        .iter()
        .zip(written)
        .find(|(e, w)| **w && e.key.is_key(key))
        .map(|(e, _)| e.key.span)
}

/// Checks a finished node as a map key and computes Helm's string for it.
fn key_of(node: Node) -> Result<PendingKey, (Pos, String)> {
    let merge = node.scalar.as_ref().is_some_and(|s| {
        s.raw == "<<"
            && ((s.style == ScalarStyle::Plain && s.tag.is_none())
                || s.tag.as_deref() == Some("!!merge"))
    });
    let text = match (&node.value, merge) {
        (NodeValue::String(text), true) if text == "<<" => None,
        (_, true) => Some("<<".to_owned()),
        (NodeValue::Null, _) => {
            return Err((
                node.span.start,
                "a null key (empty, `~` or `null`) is not allowed: Helm refuses it".to_owned(),
            ));
        }
        (NodeValue::Seq(_) | NodeValue::Map(_), _) => {
            return Err((
                node.span.start,
                "a list or map cannot be a map key (Helm refuses it)".to_owned(),
            ));
        }
        (NodeValue::String(_), _) => None,
        _ => Some(node.key_text().unwrap_or_default()),
    };
    Ok(PendingKey { node, text, merge })
}

/// Applies a merge key `<<`: the entries of the map (or maps, the first
/// taking precedence) are added where the `<<` stands, so that keys written
/// after it override them, and keys written before are overridden, exactly
/// as go-yaml does.
fn merge(entries: &mut Vec<Entry>, value: Node) -> Result<(), YamlError> {
    let refuse = |pos| YamlError {
        message: "the merge key `<<` needs a map or a list of maps (Helm refuses anything else)"
            .to_owned(),
        pos,
    };
    match value.value {
        NodeValue::Map(merged) => entries.extend(merged),
        NodeValue::Seq(items) => {
            if let Some(bad) = items.iter().find(|n| !n.is_map()) {
                return Err(refuse(bad.span.start));
            }
            for item in items.into_iter().rev() {
                if let NodeValue::Map(merged) = item.value {
                    entries.extend(merged);
                }
            }
        }
        _ => return Err(refuse(value.span.start)),
    }
    Ok(())
}

/// Node count and height of a subtree, without recursion.
fn measure(node: &Node) -> (usize, usize) {
    let mut count = 0;
    let mut height = 0;
    let mut stack = vec![(node, 0usize)];
    while let Some((n, depth)) = stack.pop() {
        count += 1;
        match &n.value {
            NodeValue::Seq(items) => {
                height = height.max(depth + 1);
                stack.extend(items.iter().map(|c| (c, depth + 1)));
            }
            NodeValue::Map(entries) => {
                height = height.max(depth + 1);
                for e in entries {
                    count += 1; // the key
                    stack.push((&e.value, depth + 1));
                }
            }
            _ => {}
        }
    }
    (count, height)
}
