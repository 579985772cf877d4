//! Writes a [`Tree`] as block YAML with its comments: two spaces per level,
//! lists under their key, a blank line between the top-level blocks and
//! between the blocks one level down.

use super::tree::{Comments, Entry, Item, Tree};

/// The YAML text of a top-level map (an empty map gives `{}`).
pub fn document(root: &Item) -> String {
    let mut out = String::new();
    match &root.value {
        Tree::Map(entries) if !entries.is_empty() => map(&mut out, entries, 0),
        _ => out.push_str("{}\n"),
    }
    out
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn before(out: &mut String, comments: &Comments, indent: usize) {
    for line in &comments.before {
        pad(out, indent);
        out.push_str(line);
        out.push('\n');
    }
}

fn trailing(out: &mut String, comments: &Comments) {
    if let Some(t) = &comments.trailing {
        out.push_str("  ");
        out.push_str(t);
    }
}

fn map(out: &mut String, entries: &[Entry], indent: usize) {
    let mut first = true;
    for e in entries.iter().filter(|e| !e.shadowed) {
        let block = matches!(&e.item.value, Tree::Map(m) if !m.is_empty());
        if indent <= 2 && !first && (block || !e.item.comments.before.is_empty()) {
            out.push('\n');
        }
        first = false;
        before(out, &e.item.comments, indent);
        pad(out, indent);
        out.push_str(&e.key.text);
        out.push(':');
        value(out, &e.item, indent);
    }
}

/// Writes the value after `key:` or `- `: a scalar or an empty collection on
/// the same line, else the block below at `indent + 2`.
fn value(out: &mut String, item: &Item, indent: usize) {
    match &item.value {
        Tree::Scalar(s) => {
            out.push(' ');
            out.push_str(&s.text);
            trailing(out, &item.comments);
            out.push('\n');
        }
        Tree::Map(entries) if entries.iter().all(|e| e.shadowed) => {
            out.push_str(" {}");
            trailing(out, &item.comments);
            out.push('\n');
        }
        Tree::Seq(items) if items.is_empty() => {
            out.push_str(" []");
            trailing(out, &item.comments);
            out.push('\n');
        }
        Tree::Map(entries) => {
            trailing(out, &item.comments);
            out.push('\n');
            map(out, entries, indent + 2);
        }
        Tree::Seq(items) => {
            trailing(out, &item.comments);
            out.push('\n');
            seq(out, items, indent + 2);
        }
    }
}

fn seq(out: &mut String, items: &[Item], indent: usize) {
    for item in items {
        before(out, &item.comments, indent);
        pad(out, indent);
        out.push('-');
        match &item.value {
            Tree::Map(entries) if entries.iter().any(|e| !e.shadowed) => {
                let mut live = entries.iter().filter(|e| !e.shadowed);
                let first = live.next().expect("a live entry");
                if !first.item.comments.before.is_empty() {
                    // Comments cannot sit between `-` and the first key.
                    out.push('\n');
                    before(out, &first.item.comments, indent + 2);
                    pad(out, indent + 2);
                } else {
                    out.push(' ');
                }
                out.push_str(&first.key.text);
                out.push(':');
                value(out, &first.item, indent + 2);
                let rest: Vec<Entry> = live.cloned().collect();
                map_no_gaps(out, &rest, indent + 2);
            }
            Tree::Seq(inner) if !inner.is_empty() => {
                trailing(out, &item.comments);
                out.push('\n');
                seq(out, inner, indent + 2);
            }
            _ => value(out, item, indent),
        }
    }
}

/// The entries of a map inside a list item: no blank lines between them.
fn map_no_gaps(out: &mut String, entries: &[Entry], indent: usize) {
    for e in entries {
        before(out, &e.item.comments, indent);
        pad(out, indent);
        out.push_str(&e.key.text);
        out.push(':');
        value(out, &e.item, indent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::tree::build;

    fn round_trip(text: &str) -> String {
        let doc = crate::yaml::parse(text).unwrap();
        let (root, _) = build(&doc, text);
        let out = document(&root);
        let again = crate::yaml::parse(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert_eq!(again.root.to_json(), doc.root.to_json(), "{out}");
        out
    }

    #[test]
    fn what_is_written_reads_back_the_same_with_the_comments() {
        let text = "# on a\na:\n  b: 1 # beside\n  e: {}\n  f: []\n  g: |\n    two\n    lines\nl:\n  # first\n  - x: \"yes\"\n    # on y\n    y: [1, {z: 2}]\n  - - nested\n  - 6.10\nm:\n  - k: v # on k\n";
        let out = round_trip(text);
        assert_eq!(
            out,
            "# on a\na:\n  b: 1  # beside\n  e: {}\n  f: []\n  g: \"two\\u000alines\\u000a\"\nl:\n  # first\n  - x: \"yes\"\n    # on y\n    y:\n      - 1\n      - z: 2\n  -\n    - nested\n  - 6.10\nm:\n  - k: v  # on k\n"
        );
    }

    #[test]
    fn odd_keys_and_values_survive() {
        round_trip("\"y\": on\n'a b': ~\n\"017\": 0x1f\nk: 'it''s'\nempty: \"\"\n");
    }
}
