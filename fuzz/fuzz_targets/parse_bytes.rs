//! The YAML reader on arbitrary bytes: never panics, every node it reports
//! lies inside the input on character boundaries, and what it reads
//! converts to JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use osmo_values::yaml::{Node, NodeValue, Span};

fn check_span(text: &str, span: Span) {
    assert!(span.start.offset <= span.end.offset, "{span:?}");
    assert!(span.end.offset <= text.len(), "{span:?} past the end ({})", text.len());
    assert!(text.is_char_boundary(span.start.offset) && text.is_char_boundary(span.end.offset), "{span:?}");
    assert!(span.start.line >= 1 && span.start.column >= 1, "{span:?}");
}

fn walk(text: &str, node: &Node, depth: usize) {
    check_span(text, node.span);
    // Aliases can make the tree large; the spans are what matters here.
    if depth > 64 {
        return;
    }
    match &node.value {
        NodeValue::Seq(items) => items.iter().for_each(|n| walk(text, n, depth + 1)),
        NodeValue::Map(entries) => {
            for e in entries {
                walk(text, &e.key, depth + 1);
                walk(text, &e.value, depth + 1);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    match osmo_values::yaml::parse_bytes(data) {
        Ok(doc) => {
            // Reading succeeded, so the bytes are UTF-8.
            let text = std::str::from_utf8(data).expect("read, so UTF-8");
            walk(text, &doc.root, 0);
            let _ = doc.root.to_json();
            for dup in &doc.duplicates {
                check_span(text, dup.first);
                check_span(text, dup.second);
                let _ = doc.root.at(&dup.path);
            }
        }
        Err(err) => {
            assert!(err.pos.offset <= data.len(), "{err:?}");
        }
    }
});
