//! A values document as the migration moves it: keys, values as written,
//! and the comments that sit on them, read from the source text by the
//! reader's spans (the YAML reader itself keeps no comments).
//!
//! A comment sits on a key (or list item) when it is on the lines right above
//! it, with no blank line between, or after it on the same line. Comments
//! that sit on nothing (a file's header, a block followed by a blank line)
//! are kept apart as [`Loose`] comments, so that the report can show them.

use std::collections::HashSet;

use serde_json::Value;

use crate::generate::escape::yaml_quote;
use crate::yaml::{Document, Node, NodeValue, Pos, ScalarStyle, resolve_plain};

/// The comments on one key or list item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comments {
    /// Whole comment lines right above, `#` included, indentation removed.
    pub before: Vec<String>,
    /// The comment after it on the same line, `#` included.
    pub trailing: Option<String>,
}

impl Comments {
    /// Whether there is no comment.
    pub fn is_empty(&self) -> bool {
        self.before.is_empty() && self.trailing.is_none()
    }

    /// Adds `other`'s comments after these (same lines are not repeated).
    pub fn absorb(&mut self, other: &Comments) {
        for line in &other.before {
            if !self.before.contains(line) {
                self.before.push(line.clone());
            }
        }
        if self.trailing.is_none() {
            self.trailing = other.trailing.clone();
        }
    }
}

/// A value with the comments on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The value.
    pub value: Tree,
    /// Its comments.
    pub comments: Comments,
}

/// A value as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    /// A scalar.
    Scalar(Scalar),
    /// A list.
    Seq(Vec<Item>),
    /// A map, entries in order.
    Map(Vec<Entry>),
}

/// A scalar: the text to write and the value Helm reads from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// YAML text that reads back as `json` (the source's own text when it
    /// can be reused, so `6.10` stays `6.10` and `"yes"` stays quoted).
    pub text: String,
    /// The value Helm reads.
    pub json: Value,
}

/// A `key: value` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: Key,
    /// The value, with the comments on the key.
    pub item: Item,
    /// An earlier entry of a key written twice: Helm ignores it.
    pub shadowed: bool,
    /// Where the key is written (for the report), when it comes from a file.
    pub pos: Option<Pos>,
}

/// A map key: the name Helm uses and the text to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The key as Helm reads it.
    pub name: String,
    /// YAML text that reads back as `name`.
    pub text: String,
}

impl Key {
    /// A key written plainly when that reads back the same, else quoted.
    pub fn new(name: &str) -> Key {
        Key {
            name: name.to_owned(),
            text: key_text(name),
        }
    }
}

/// A comment that sits on no key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loose {
    /// Line, from 1.
    pub line: usize,
    /// The comment, `#` included.
    pub text: String,
}

impl Item {
    /// A value with no comments.
    pub fn bare(value: Tree) -> Item {
        Item {
            value,
            comments: Comments::default(),
        }
    }

    /// A scalar from a JSON value, written so that YAML 1.1 reads it back
    /// unchanged (strings double-quoted).
    pub fn scalar(json: Value) -> Item {
        Item::bare(Tree::Scalar(Scalar::of(json)))
    }

    /// A value written from JSON: maps and lists in block style, scalars
    /// as [`Item::scalar`] writes them.
    pub fn from_json(json: &Value) -> Item {
        Item::bare(match json {
            Value::Object(map) => Tree::Map(
                map.iter()
                    .map(|(k, v)| Entry {
                        key: Key::new(k),
                        item: Item::from_json(v),
                        shadowed: false,
                        pos: None,
                    })
                    .collect(),
            ),
            Value::Array(items) => Tree::Seq(items.iter().map(Item::from_json).collect()),
            other => Tree::Scalar(Scalar::of(other.clone())),
        })
    }

    /// The value as Helm reads it (the last of duplicate keys wins).
    pub fn to_json(&self) -> Value {
        match &self.value {
            Tree::Scalar(s) => s.json.clone(),
            Tree::Seq(items) => Value::Array(items.iter().map(Item::to_json).collect()),
            Tree::Map(entries) => {
                let mut map = serde_json::Map::new();
                for e in entries.iter().filter(|e| !e.shadowed) {
                    map.insert(e.key.name.clone(), e.item.to_json());
                }
                Value::Object(map)
            }
        }
    }
}

impl Scalar {
    /// A scalar written from its value.
    pub fn of(json: Value) -> Scalar {
        let text = match &json {
            Value::String(s) => yaml_quote(s),
            Value::Null => "null".to_owned(),
            other => other.to_string(),
        };
        Scalar { text, json }
    }
}

/// A key's text: plain when YAML 1.1 reads the plain text back as the same
/// string and nothing in it needs quoting, else double-quoted.
pub fn key_text(name: &str) -> String {
    let safe = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && !name.starts_with(['-', '.', '/'])
        && resolve_plain(name) == NodeValue::String(name.to_owned());
    if safe {
        name.to_owned()
    } else {
        yaml_quote(name)
    }
}

/// Builds the tree of a parsed document, with the comments of `text`, and
/// the comments that sit on no key.
pub fn build(doc: &Document, text: &str) -> (Item, Vec<Loose>) {
    let mut b = Builder::new(text, doc);
    let value = b.value(&doc.root);
    let root = Item::bare(value);
    let loose = b.loose();
    (root, loose)
}

struct Builder<'a> {
    text: &'a str,
    /// Byte offset where each line starts (line `i + 1` at `starts[i]`).
    starts: Vec<usize>,
    /// Lines inside multi-line scalars: their `#` is text, not a comment.
    in_scalar: HashSet<usize>,
    /// Comment lines already attached.
    claimed: HashSet<usize>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, doc: &Document) -> Builder<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut in_scalar = HashSet::new();
        mark_scalars(&doc.root, &mut in_scalar);
        Builder {
            text,
            starts,
            in_scalar,
            claimed: HashSet::new(),
        }
    }

    /// Line `n` (from 1) without its line break.
    fn line(&self, n: usize) -> &'a str {
        let Some(&start) = self.starts.get(n.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(n).map_or(self.text.len(), |&e| e);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    fn is_comment_line(&self, n: usize) -> bool {
        !self.in_scalar.contains(&n) && self.line(n).trim_start().starts_with('#')
    }

    /// The unclaimed comment lines right above line `n`, claimed.
    fn above(&mut self, n: usize) -> Vec<String> {
        let mut lines = Vec::new();
        let mut k = n;
        while k > 1 && self.is_comment_line(k - 1) && !self.claimed.contains(&(k - 1)) {
            k -= 1;
            lines.push(self.line(k).trim().to_owned());
            self.claimed.insert(k);
        }
        lines.reverse();
        lines
    }

    /// The comment after byte offset `offset`, on its line.
    fn trailing_after(&self, offset: usize) -> Option<String> {
        let offset = offset.min(self.text.len());
        let rest = &self.text[offset..];
        let rest = rest.split('\n').next().unwrap_or("");
        let rest = rest.trim_start_matches([' ', '\t', ':']).trim_end();
        rest.starts_with('#').then(|| rest.to_owned())
    }

    fn value(&mut self, node: &Node) -> Tree {
        match &node.value {
            NodeValue::Seq(items) => Tree::Seq(
                items
                    .iter()
                    .map(|n| {
                        let before = self.above(n.span.start.line);
                        let value = self.value(n);
                        let trailing = match &value {
                            Tree::Scalar(_) => self.trailing_after(n.span.end.offset),
                            _ => None,
                        };
                        Item {
                            value,
                            comments: Comments { before, trailing },
                        }
                    })
                    .collect(),
            ),
            NodeValue::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                let names: Vec<Option<String>> = entries.iter().map(|e| e.key.key_text()).collect();
                for (i, e) in entries.iter().enumerate() {
                    let Some(name) = names[i].clone() else {
                        continue;
                    };
                    let shadowed = names[i + 1..].iter().any(|n| n.as_deref() == Some(&name));
                    let key_line = e.key.span.start.line;
                    let before = self.above(key_line);
                    let value = self.value(&e.value);
                    let after = match self.flow_end(&e.value, key_line) {
                        Some(end) => end,
                        None if e.value.span.end.line == key_line
                            && e.value.span.end.offset > e.key.span.end.offset =>
                        {
                            e.value.span.end.offset
                        }
                        None => e.key.span.end.offset,
                    };
                    let trailing = self.trailing_after(after);
                    out.push(Entry {
                        key: Key {
                            text: scalar_text(&e.key).unwrap_or_else(|| key_text(&name)),
                            name,
                        },
                        item: Item {
                            value,
                            comments: Comments { before, trailing },
                        },
                        shadowed,
                        pos: Some(e.key.span.start),
                    });
                }
                Tree::Map(out)
            }
            _ => Tree::Scalar(Scalar {
                text: scalar_text(node).unwrap_or_else(|| Scalar::of(node.to_json()).text),
                json: node.to_json(),
            }),
        }
    }

    /// Just past a one-line flow collection (`[1, 2]`, `{a: 1}`) written on
    /// line `line` (the reader's span of a flow collection runs on past it).
    fn flow_end(&self, node: &Node, line: usize) -> Option<usize> {
        let start = node.span.start.offset;
        let open = self.text[start.min(self.text.len())..].chars().next()?;
        let close = match open {
            '[' => ']',
            '{' => '}',
            _ => return None,
        };
        if node.span.start.line != line {
            return None;
        }
        let rest = &self.text[start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        line_text.rfind(close).map(|i| start + i + 1)
    }

    /// Comment lines no key claimed.
    fn loose(&self) -> Vec<Loose> {
        (1..=self.starts.len())
            .filter(|&n| self.is_comment_line(n) && !self.claimed.contains(&n))
            .map(|n| Loose {
                line: n,
                text: self.line(n).trim().to_owned(),
            })
            .collect()
    }
}

/// The source text of a one-line plain or quoted scalar without a tag,
/// which reads back exactly as it did.
fn scalar_text(node: &Node) -> Option<String> {
    let info = node.scalar.as_ref()?;
    let reusable = info.tag.is_none()
        && !info.raw.contains(['\n', '\r'])
        && matches!(
            info.style,
            ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
        )
        && !info.raw.is_empty();
    reusable.then(|| info.raw.clone())
}

/// Marks the lines after the first of every multi-line scalar.
fn mark_scalars(node: &Node, out: &mut HashSet<usize>) {
    match &node.value {
        NodeValue::Seq(items) => items.iter().for_each(|n| mark_scalars(n, out)),
        NodeValue::Map(entries) => entries.iter().for_each(|e| {
            mark_scalars(&e.key, out);
            mark_scalars(&e.value, out);
        }),
        _ => {
            let (s, e) = (node.span.start, node.span.end);
            let last = if e.column > 1 {
                e.line
            } else {
                e.line.saturating_sub(1)
            };
            out.extend(s.line + 1..=last);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> (Item, Vec<Loose>) {
        build(&crate::yaml::parse(text).unwrap(), text)
    }

    fn entry<'a>(item: &'a Item, name: &str) -> &'a Entry {
        match &item.value {
            Tree::Map(es) => es.iter().rev().find(|e| e.key.name == name).unwrap(),
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn comments_sit_on_the_keys_below_and_beside_them() {
        let text = "# header\n\n# on a\na:\n  # on b\n  b: 1 # beside b\n  c: |\n    # text\n  d: [1, 2]  # beside d\nl:\n  # first\n  - x: 1\n    y: 2\n  - 3 # three\n# loose\n";
        let (root, loose) = tree(text);
        let a = entry(&root, "a");
        assert_eq!(a.item.comments.before, ["# on a"]);
        let b = entry(&a.item, "b");
        assert_eq!(b.item.comments.before, ["# on b"]);
        assert_eq!(b.item.comments.trailing.as_deref(), Some("# beside b"));
        assert_eq!(b.key.text, "b");
        let c = entry(&a.item, "c");
        assert!(c.item.comments.is_empty(), "{c:?}");
        let d = entry(&a.item, "d");
        assert_eq!(d.item.comments.trailing.as_deref(), Some("# beside d"));
        let Tree::Seq(items) = &entry(&root, "l").item.value else {
            panic!()
        };
        assert_eq!(items[0].comments.before, ["# first"]);
        assert!(entry(&items[0], "x").item.comments.is_empty());
        assert_eq!(items[1].comments.trailing.as_deref(), Some("# three"));
        let loose: Vec<&str> = loose.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(loose, ["# header", "# loose"]);
    }

    #[test]
    fn scalars_keep_their_text_and_duplicates_are_marked() {
        let (root, _) = tree("tag: 6.10\nq: \"yes\"\nt: !!str 12\nb: |\n  x\na: 1\na: 2\n");
        let text = |n: &str| match &entry(&root, n).item.value {
            Tree::Scalar(s) => s.text.clone(),
            _ => panic!(),
        };
        assert_eq!(text("tag"), "6.10");
        assert_eq!(text("q"), "\"yes\"");
        assert_eq!(text("t"), "\"12\"");
        assert_eq!(text("b"), "\"x\\u000a\"");
        let Tree::Map(es) = &root.value else { panic!() };
        let a: Vec<bool> = es
            .iter()
            .filter(|e| e.key.name == "a")
            .map(|e| e.shadowed)
            .collect();
        assert_eq!(a, [true, false]);
        assert_eq!(root.to_json()["a"], 2);
    }

    #[test]
    fn keys_are_quoted_only_when_needed() {
        assert_eq!(key_text("osmoImageTag"), "osmoImageTag");
        assert_eq!(
            key_text("nginx.ingress.kubernetes.io/proxy-buffers"),
            "nginx.ingress.kubernetes.io/proxy-buffers"
        );
        assert_eq!(key_text("y"), "\"y\"");
        assert_eq!(key_text("on"), "\"on\"");
        assert_eq!(key_text("017"), "\"017\"");
        assert_eq!(key_text("a b"), "\"a b\"");
        assert_eq!(key_text(""), "\"\"");
    }
}
