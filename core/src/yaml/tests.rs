//! Tests of the YAML reader. The expected values of the resolver table and
//! of the document tests were measured with the real Helm v4 SDK
//! (`helm_python.chart.values_from_yaml`).

use proptest::prelude::*;
use serde_json::json;

use super::*;

/// `a: <plain>` as Helm reads it: the JSON value of `a`, or `None` when
/// Helm refuses the file.
const HELM_VALUES: &[(&str, Option<&str>)] = &[
    // Booleans: go-yaml v2's spellings only.
    ("y", Some("true")),
    ("Y", Some("true")),
    ("yes", Some("true")),
    ("Yes", Some("true")),
    ("YES", Some("true")),
    ("yEs", Some(r#""yEs""#)),
    ("on", Some("true")),
    ("On", Some("true")),
    ("ON", Some("true")),
    ("oN", Some(r#""oN""#)),
    ("true", Some("true")),
    ("True", Some("true")),
    ("TRUE", Some("true")),
    ("tRue", Some(r#""tRue""#)),
    ("n", Some("false")),
    ("N", Some("false")),
    ("no", Some("false")),
    ("No", Some("false")),
    ("NO", Some("false")),
    ("nO", Some(r#""nO""#)),
    ("off", Some("false")),
    ("Off", Some("false")),
    ("OFF", Some("false")),
    ("false", Some("false")),
    ("False", Some("false")),
    ("FALSE", Some("false")),
    ("fAlse", Some(r#""fAlse""#)),
    // Nulls.
    ("~", Some("null")),
    ("null", Some("null")),
    ("Null", Some("null")),
    ("NULL", Some("null")),
    ("nULL", Some(r#""nULL""#)),
    ("", Some("null")),
    // Integers: octal with a bare 0, prefixes, underscores, signs.
    ("017", Some("15")),
    ("08", Some("8")),
    ("09", Some("9")),
    ("00", Some("0")),
    ("0777", Some("511")),
    ("07_7", Some("63")),
    ("-017", Some("-15")),
    ("+017", Some("15")),
    ("0o17", Some("15")),
    ("0O17", Some("15")),
    ("0o777", Some("511")),
    ("0x10", Some("16")),
    ("0X10", Some("16")),
    ("-0x1A", Some("-26")),
    ("0x_10", Some("16")),
    ("0x1_0", Some("16")),
    ("0b101", Some("5")),
    ("0B101", Some("5")),
    ("-0b101", Some("-5")),
    ("0b1_0", Some("2")),
    ("1_000", Some("1000")),
    ("1__0", Some("10")),
    ("1_", Some("1")),
    ("0_1", Some("1")),
    ("0_8", Some("8")),
    ("_1", Some(r#""_1""#)),
    ("+12", Some("12")),
    ("-12", Some("-12")),
    ("+0", Some("0")),
    ("-0", Some("0")),
    // Floats.
    ("1_0.5", Some("10.5")),
    ("1e3", Some("1000")),
    ("1E3", Some("1000")),
    ("1e+3", Some("1000")),
    ("1e-3", Some("0.001")),
    ("1.e3", Some("1000")),
    ("0e0", Some("0")),
    (".5", Some("0.5")),
    ("-.5", Some("-0.5")),
    ("+.5", Some("0.5")),
    ("0.", Some("0")),
    ("0.0", Some("0")),
    ("-0.0", Some("0")),
    ("1.0", Some("1")),
    ("0.1", Some("0.1")),
    ("6.10", Some("6.1")),
    ("6.2", Some("6.2")),
    ("3.14159", Some("3.14159")),
    ("1e-400", Some("0")),
    ("4.9e-324", Some("5e-324")),
    ("0.000001", Some("0.000001")),
    ("1.7976931348623157e308", Some("1.7976931348623157e308")),
    ("1e20", Some("1e20")),
    ("1e21", Some("1e21")),
    ("123456789012345678901234", Some("1.2345678901234569e23")),
    // Integers beyond int64: a float64 for Helm.
    ("9223372036854775807", Some("9223372036854775807")),
    ("9223372036854775808", Some("9223372036854775808")),
    ("-9223372036854775808", Some("-9223372036854775808")),
    ("-9223372036854775809", Some("-9223372036854775808")),
    ("0x8000000000000000", Some("9223372036854775808")),
    ("-0x8000000000000000", Some("-9223372036854775808")),
    ("18446744073709551615", Some("18446744073709551616.0")),
    ("18446744073709551616", Some("18446744073709551616.0")),
    ("0xffffffffffffffff", Some("18446744073709551616.0")),
    // Strings that look like numbers.
    ("1e400", Some(r#""1e400""#)),
    ("1:30", Some(r#""1:30""#)),
    ("190:20:30", Some(r#""190:20:30""#)),
    ("2001-12-14", Some(r#""2001-12-14""#)),
    (
        "2001-12-14T21:59:43.10-05:00",
        Some(r#""2001-12-14T21:59:43.10-05:00""#),
    ),
    ("0b", Some(r#""0b""#)),
    ("0x", Some(r#""0x""#)),
    ("0o", Some(r#""0o""#)),
    ("-0b", Some(r#""-0b""#)),
    ("0b2", Some(r#""0b2""#)),
    ("0o8", Some(r#""0o8""#)),
    ("0x1p3", Some(r#""0x1p3""#)),
    ("0xG", Some(r#""0xG""#)),
    ("0x-1", Some(r#""0x-1""#)),
    ("1.5e", Some(r#""1.5e""#)),
    ("1e", Some(r#""1e""#)),
    ("+-1", Some(r#""+-1""#)),
    ("0.0.1", Some(r#""0.0.1""#)),
    ("1,000", Some(r#""1,000""#)),
    ("inf", Some(r#""inf""#)),
    ("Infinity", Some(r#""Infinity""#)),
    ("nan", Some(r#""nan""#)),
    ("NaN", Some(r#""NaN""#)),
    (".iNf", Some(r#"".iNf""#)),
    ("=", Some(r#""=""#)),
    ("<<", Some(r#""<<""#)),
    // Infinities and NaN: Helm cannot convert them to JSON.
    (".inf", None),
    (".Inf", None),
    (".INF", None),
    ("+.inf", None),
    ("-.inf", None),
    (".nan", None),
    (".NaN", None),
];

#[test]
fn resolver_matches_helm() {
    let mut failures = Vec::new();
    for (plain, want) in HELM_VALUES {
        let got = parse(&format!("a: {plain}\n")).map(|d| d.root.to_json()["a"].clone());
        let want = want.map(|w| serde_json::from_str::<Value>(w).unwrap());
        match (&got, &want) {
            (Ok(g), Some(w)) if g == w => {}
            (Err(_), None) => {}
            _ => failures.push(format!("{plain:?}: got {got:?}, Helm {want:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn resolve_plain_types() {
    assert_eq!(resolve_plain("017"), NodeValue::Int(15));
    assert_eq!(resolve_plain("08"), NodeValue::Float(8.0));
    assert_eq!(resolve_plain("1e3"), NodeValue::Float(1000.0));
    assert_eq!(resolve_plain("on"), NodeValue::Bool(true));
    assert_eq!(resolve_plain("Off"), NodeValue::Bool(false));
    assert_eq!(resolve_plain(""), NodeValue::Null);
    assert_eq!(resolve_plain("1_0.5"), NodeValue::Float(10.5));
    assert_eq!(
        resolve_plain("9223372036854775808"),
        NodeValue::Float(9_223_372_036_854_775_808.0)
    );
    assert!(matches!(resolve_plain(".inf"), NodeValue::Float(f) if f == f64::INFINITY));
    assert!(matches!(resolve_plain(".nan"), NodeValue::Float(f) if f.is_nan()));
    assert_eq!(resolve_plain("tRue"), NodeValue::String("tRue".into()));
}

fn json_of(text: &str) -> Value {
    match parse(text) {
        Ok(doc) => doc.root.to_json(),
        Err(e) => panic!("{text:?}: {e}"),
    }
}

fn error_of(text: &str) -> YamlError {
    match parse(text) {
        Ok(doc) => panic!("{text:?} should fail, got {}", doc.root.to_json()),
        Err(e) => e,
    }
}

#[test]
fn keys_as_helm_writes_them() {
    assert_eq!(json_of("y: 1\nn: 2\n"), json!({"true": 1, "false": 2}));
    assert_eq!(
        json_of("1: a\n1.5: d\ntrue: b\n"),
        json!({"1": "a", "1.5": "d", "true": "b"})
    );
    assert_eq!(
        json_of("1.1: a\n0.1: b\n1e3: c\n123456789.0: d\n1e21: e\n017: f\n0x10: g\n-0.0: h\n"),
        json!({"1.1": "a", "0.1": "b", "1000": "c", "1.2345679e+08": "d", "1e+21": "e",
               "15": "f", "16": "g", "-0": "h"})
    );
    assert_eq!(json_of(".inf: a\n"), json!({".inf": "a"}));
    assert_eq!(json_of(".nan: a\n"), json!({".nan": "a"}));
    assert_eq!(json_of("16777217.0: x\n"), json!({"1.6777216e+07": "x"}));
    assert_eq!(
        json_of("yes: x\nno: y\n"),
        json!({"true": "x", "false": true})
    );
    assert_eq!(json_of("!!binary aGVsbG8=: x\n"), json!({"hello": "x"}));
    assert_eq!(json_of("!!str 1: x\n"), json!({"1": "x"}));
    assert_eq!(json_of("? |\n  x\n: 1\n"), json!({"x\n": 1}));
    assert_eq!(json_of("\"\": 1\n"), json!({"": 1}));
    assert_eq!(json_of("? a\n"), json!({"a": null}));
    assert_eq!(json_of("1: a\n\"1\": b\n"), json!({"1": "b"}));
    assert_eq!(json_of("&x a: 1\nb: *x\n"), json!({"a": 1, "b": "a"}));
    // Helm refuses these keys.
    assert!(error_of("~: 1\n").message.contains("null key"));
    assert!(error_of(" : 1\n").message.contains("null key"));
    assert!(error_of("[1, 2]: a\n").message.contains("map key"));
    assert!(error_of("{a: 1}: b\n").message.contains("map key"));
    assert!(
        error_of("9223372036854775808: x\n")
            .message
            .contains("int64")
    );
}

#[test]
fn tags_as_helm_reads_them() {
    assert_eq!(
        json_of(
            "a: !!str 12\nb: !!int \"12\"\nc: !!float 1\nd: !!bool yes\ne: !!binary aGVsbG8=\n"
        ),
        json!({"a": "12", "b": 12, "c": 1, "d": true, "e": "hello"})
    );
    assert_eq!(json_of("a: !!bool \"yes\"\n"), json!({"a": true}));
    assert_eq!(
        json_of("a: !custom 12\nb: ! 12\n"),
        json!({"a": "12", "b": "12"})
    );
    assert_eq!(
        json_of("a: !!null \"\"\nb: !!str ~\n"),
        json!({"a": null, "b": "~"})
    );
    assert_eq!(json_of("a: !!str\nb: 1\n"), json!({"a": "", "b": 1}));
    assert_eq!(json_of("a: !!float \"1.5\"\n"), json!({"a": 1.5}));
    assert_eq!(json_of("a: !!float 0x10\n"), json!({"a": 16}));
    assert_eq!(json_of("a: !!int 0x10\n"), json!({"a": 16}));
    assert_eq!(
        json_of("a: !!map {x: 1}\nb: !!seq [1]\n"),
        json!({"a": {"x": 1}, "b": [1]})
    );
    assert_eq!(json_of("a: !!int [1]\n"), json!({"a": [1]}));
    assert_eq!(
        json_of("a: !<tag:yaml.org,2002:int> \"5\"\n"),
        json!({"a": 5})
    );
    assert_eq!(
        json_of("%TAG !e! tag:yaml.org,2002:\n---\na: !e!int \"5\"\n"),
        json!({"a": 5})
    );
    assert_eq!(
        json_of("a: !!binary |\n  aGVs\n  bG8=\n"),
        json!({"a": "hello"})
    );
    assert_eq!(json_of("a: !!binary /w==\n"), json!({"a": "\u{fffd}"}));
    assert_eq!(
        json_of("a: !!timestamp 2001-12-14\n"),
        json!({"a": "2001-12-14"})
    );
    for bad in [
        "a: !!int abc\n",
        "a: !!float abc\n",
        "a: !!bool 1\n",
        "a: !!null x\n",
        "a: !!int 1.5\n",
        "a: !!int 08\n",
        "a: !!binary \"!!!\"\n",
    ] {
        let err = error_of(bad);
        assert_eq!(err.pos.line, 1, "{bad}");
    }
    let doc = parse("a: !!str 12\n").unwrap();
    let info = doc
        .root
        .at(&Path::keys("a"))
        .unwrap()
        .scalar
        .clone()
        .unwrap();
    assert_eq!(
        (info.raw.as_str(), info.tag.as_deref()),
        ("12", Some("!!str"))
    );
}

#[test]
fn quoted_and_block_scalars_are_strings() {
    assert_eq!(
        json_of("a: \"yes\"\nb: 'on'\nc: |\n  yes\nd: >\n  017\n"),
        json!({"a": "yes", "b": "on", "c": "yes\n", "d": "017\n"})
    );
    assert_eq!(json_of("a: >-\n  x\n  y\n\n  z\n"), json!({"a": "x y\nz"}));
    assert_eq!(json_of("a: |+\n  x\n\n"), json!({"a": "x\n\n"}));
    assert_eq!(
        json_of("a: \"\\t\\u00e9\\x41\"\n"),
        json!({"a": "\té\u{41}"})
    );
    assert_eq!(json_of("a: 'x\n  y'\n"), json!({"a": "x y"}));
    assert_eq!(json_of("a: \"\\U0001F600\"\n"), json!({"a": "😀"}));
    assert_eq!(
        json_of("a: 1 # comment\nb: 1#x\n"),
        json!({"a": 1, "b": "1#x"})
    );
}

fn at<'d>(doc: &'d Document, pointer: &str) -> &'d Node {
    doc.root
        .at(&Path::parse_pointer(pointer))
        .unwrap_or_else(|| panic!("no node at {pointer}"))
}

fn start(node: &Node) -> (usize, usize) {
    (node.span.start.line, node.span.start.column)
}

fn end(node: &Node) -> (usize, usize) {
    (node.span.end.line, node.span.end.column)
}

#[test]
fn spans_of_keys_and_values() {
    let text = "a: 1\nbb:\n  - \"x y\"\n  - |\n    lit\n    more\n  - {k: v, \"q\": [1, 2]}\nc: >- # folded\n  fold\nd: plain\n  multi\ne: &x !!str y\nf: *x\ng:\n  h: 6.10\n";
    let doc = parse(text).unwrap();
    assert_eq!(start(at(&doc, "/a")), (1, 4));
    assert_eq!(end(at(&doc, "/a")), (1, 5));
    let key = doc.root.key_at(&Path::keys("bb")).unwrap();
    assert_eq!((start(key), end(key)), ((2, 1), (2, 3)));
    assert_eq!(start(at(&doc, "/bb")), (3, 3));
    assert_eq!(end(at(&doc, "/bb")), (7, 24));
    let quoted = at(&doc, "/bb/0");
    assert_eq!((start(quoted), end(quoted)), ((3, 5), (3, 10)));
    let info = quoted.scalar.as_ref().unwrap();
    assert_eq!(
        (info.style, info.raw.as_str()),
        (ScalarStyle::DoubleQuoted, "\"x y\"")
    );
    // A block scalar starts at its header.
    let lit = at(&doc, "/bb/1");
    assert_eq!(start(lit), (4, 5));
    let info = lit.scalar.as_ref().unwrap();
    assert_eq!(
        (info.style, info.raw.as_str()),
        (ScalarStyle::Literal, "|\n    lit\n    more\n")
    );
    // Flow style.
    let flow = at(&doc, "/bb/2");
    assert_eq!((start(flow), end(flow)), ((7, 5), (7, 24)));
    assert_eq!(start(at(&doc, "/bb/2/k")), (7, 9));
    assert_eq!(
        start(doc.root.key_at(&Path::parse_pointer("/bb/2/q")).unwrap()),
        (7, 12)
    );
    assert_eq!(start(at(&doc, "/bb/2/q")), (7, 17));
    assert_eq!(start(at(&doc, "/bb/2/q/1")), (7, 21));
    let folded = at(&doc, "/c");
    assert_eq!(start(folded), (8, 4));
    assert_eq!(folded.scalar.as_ref().unwrap().style, ScalarStyle::Folded);
    assert_eq!(folded.value, NodeValue::String("fold".into()));
    let multi = at(&doc, "/d");
    assert_eq!((start(multi), end(multi)), ((10, 4), (11, 8)));
    assert_eq!(multi.value, NodeValue::String("plain multi".into()));
    // Anchor and tag are not part of the scalar; an alias has its own span.
    let tagged = at(&doc, "/e");
    assert_eq!(start(tagged), (12, 13));
    assert_eq!(tagged.scalar.as_ref().unwrap().raw, "y");
    assert_eq!(start(at(&doc, "/f")), (13, 4));
    let h = at(&doc, "/g/h");
    assert_eq!(start(h), (15, 6));
    assert_eq!(h.scalar.as_ref().unwrap().raw, "6.10");
    assert_eq!(h.value, NodeValue::Float(6.1));
    // Byte offsets.
    assert_eq!(&text[h.span.start.offset..h.span.end.offset], "6.10");
}

#[test]
fn columns_count_characters_and_offsets_bytes() {
    let text = "é: \"ü\"\nkey: [ü, 日本]\n";
    let doc = parse(text).unwrap();
    let value = at(&doc, "/é");
    assert_eq!(start(value), (1, 4));
    assert_eq!(value.span.start.offset, 4);
    let item = at(&doc, "/key/1");
    assert_eq!(start(item), (2, 10));
    assert_eq!(&text[item.span.start.offset..item.span.end.offset], "日本");
    // A byte order mark is not a column.
    let doc = parse("\u{feff}a: 1\n").unwrap();
    assert_eq!(start(at(&doc, "/a")), (1, 4));
}

#[test]
fn plain_yes_is_visible_to_the_linter() {
    let doc = parse("enabled: yes\ntag: 6.10\n").unwrap();
    let yes = at(&doc, "/enabled");
    assert_eq!(yes.value, NodeValue::Bool(true));
    let info = yes.scalar.as_ref().unwrap();
    assert_eq!((info.style, info.raw.as_str()), (ScalarStyle::Plain, "yes"));
}

#[test]
fn duplicates_keep_the_last_and_are_recorded() {
    let text = "a:\n  b: 1\n  c: 2\n  b: 3\nlist:\n  - {x: 1, x: 2, x: 3}\na: {y: 2}\n";
    let doc = parse(text).unwrap();
    assert_eq!(
        doc.root.to_json(),
        json!({"a": {"true": 2}, "list": [{"x": 3}]})
    );
    let found: Vec<_> = doc
        .duplicates
        .iter()
        .map(|d| {
            (
                d.path.to_string(),
                d.key.clone(),
                start_of(d.first),
                start_of(d.second),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("a".to_owned(), "b".to_owned(), (2, 3), (4, 3)),
            ("list[0]".to_owned(), "x".to_owned(), (6, 6), (6, 12)),
            ("list[0]".to_owned(), "x".to_owned(), (6, 6), (6, 18)),
            ("(root)".to_owned(), "a".to_owned(), (1, 1), (7, 1)),
        ]
    );
    // `at` and `key_at` see the last one, as Helm does.
    assert_eq!(start(at(&doc, "/a")), (7, 4));
    assert_eq!(start(doc.root.key_at(&Path::keys("a")).unwrap()), (7, 1));
    // Keys equal after resolution are duplicates too.
    let doc = parse("y: 1\ntrue: 2\n").unwrap();
    assert_eq!(doc.duplicates.len(), 1);
    assert_eq!(doc.duplicates[0].key, "true");
}

/// A duplicate's path counts the items of every open list (lists in lists
/// too), and keys a merge key `<<` brings are never duplicates, however
/// large the map; a key written twice after them still is.
#[test]
fn duplicate_paths_through_nested_lists_and_merges() {
    let text = "a:\n  - x\n  - - 1\n    - {k: 1, k: 2}\n  - m: {j: 1, j: 2}\n";
    let doc = parse(text).unwrap();
    let found: Vec<_> = doc
        .duplicates
        .iter()
        .map(|d| (d.path.to_string(), d.key.clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("a[1][1]".to_owned(), "k".to_owned()),
            ("a[2].m".to_owned(), "j".to_owned()),
        ]
    );
    let mut text = String::from("base: &b\n");
    for i in 0..20 {
        text.push_str(&format!("  k{i}: {i}\n"));
    }
    text.push_str("big:\n  <<: *b\n");
    for i in 0..20 {
        text.push_str(&format!("  k{i}: x\n"));
    }
    // Line 44: `k3` again, first written on line 27 (line 5 of `base` is merged, not written).
    text.push_str("  k3: again\n");
    let doc = parse(&text).unwrap();
    let found: Vec<_> = doc
        .duplicates
        .iter()
        .map(|d| {
            (
                d.path.to_string(),
                d.key.clone(),
                d.first.start.line,
                d.second.start.line,
            )
        })
        .collect();
    assert_eq!(found, vec![("big".to_owned(), "k3".to_owned(), 27, 44)]);
    assert_eq!(doc.root.to_json()["big"]["k3"], json!("again"));
}

/// Maps of any size find their duplicates: small ones scan their keys, large
/// ones (past 16 keys) hash them; duplicates on both sides of the switch.
#[test]
fn duplicates_in_large_maps() {
    let mut text = String::from("big:\n");
    for i in 0..40 {
        text.push_str(&format!("  k{i}: {i}\n"));
    }
    // Line 42: a duplicate of the 3rd key (kept in the list), line 43: of the 30th (hashed).
    text.push_str("  k2: again\n  k29: again\n");
    let doc = parse(&text).unwrap();
    let found: Vec<_> = doc
        .duplicates
        .iter()
        .map(|d| {
            (
                d.path.to_string(),
                d.key.clone(),
                d.first.start.line,
                d.second.start.line,
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("big".to_owned(), "k2".to_owned(), 4, 42),
            ("big".to_owned(), "k29".to_owned(), 31, 43),
        ]
    );
    assert_eq!(doc.root.to_json()["big"]["k29"], json!("again"));
}

fn start_of(span: Span) -> (usize, usize) {
    (span.start.line, span.start.column)
}

#[test]
fn merge_keys_are_applied() {
    assert_eq!(
        json_of("b: &x {p: 1, q: 2}\nc:\n  <<: *x\n  q: 3\n"),
        json!({"b": {"p": 1, "q": 2}, "c": {"p": 1, "q": 3}})
    );
    assert_eq!(
        json_of("a: &a {p: 1}\nb: &b {q: 2, p: 5}\nc:\n  <<: [*a, *b]\n"),
        json!({"a": {"p": 1}, "b": {"p": 5, "q": 2}, "c": {"p": 1, "q": 2}})
    );
    // go-yaml applies entries in order: a merge after a key overrides it.
    assert_eq!(
        json_of("c:\n  r: 0\n  <<: {r: 1}\n"),
        json!({"c": {"r": 1}})
    );
    assert_eq!(
        json_of("c:\n  <<: {r: 1}\n  r: 0\n"),
        json!({"c": {"r": 0}})
    );
    assert_eq!(
        json_of("c:\n  <<: {r: 1}\n  <<: {s: 2}\n"),
        json!({"c": {"r": 1, "s": 2}})
    );
    assert_eq!(
        json_of("x: &a {p: 1}\nk: &b\n  <<: *a\nz:\n  <<: *b\n"),
        json!({"x": {"p": 1}, "k": {"p": 1}, "z": {"p": 1}})
    );
    assert_eq!(
        json_of("c:\n  !!merge <<: {r: 1}\n"),
        json!({"c": {"r": 1}})
    );
    // Quoted, `<<` is an ordinary key.
    assert_eq!(
        json_of("c:\n  \"<<\": {r: 1}\n"),
        json!({"c": {"<<": {"r": 1}}})
    );
    for bad in [
        "c:\n  <<: 1\n",
        "c:\n  <<: [1]\n",
        "c:\n  <<: ~\n",
        "x: &a [1]\ny:\n  <<: *a\n",
        "y:\n  <<: [{q: 2}, [1]]\n",
    ] {
        assert!(error_of(bad).message.contains("merge key"), "{bad}");
    }
    // A merged key is not a duplicate; its node keeps the anchor's position.
    let doc = parse("b: &x {p: 1}\nc:\n  <<: *x\n  p: 2\n  q: 3\n").unwrap();
    assert!(doc.duplicates.is_empty());
    let doc = parse("b: &x {p: 1, q: 2}\nc:\n  <<: *x\n").unwrap();
    assert_eq!(start(at(&doc, "/c/q")), (1, 17));
}

#[test]
fn aliases_and_their_limits() {
    assert_eq!(json_of("a: &x 1\nb: *x\n"), json!({"a": 1, "b": 1}));
    assert!(error_of("a: *x\n").message.contains("anchor"));
    assert!(error_of("a: &x [*x]\n").message.contains("contains it"));
    let bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n\
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n\
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    let err = error_of(bomb);
    assert!(err.message.contains("alias bomb"), "{err}");
    assert_eq!(err.pos.line, 7);
    // Aliases cannot nest deeper than the limit either.
    let mut deep = "a: &a ".to_owned();
    deep.push_str(&"[".repeat(200));
    deep.push_str(&"]".repeat(200));
    deep.push('\n');
    for i in 0..6 {
        deep.push_str(&format!(
            "b{i}: &b{i} [*{}]\n",
            if i == 0 {
                "a".to_owned()
            } else {
                format!("b{}", i - 1)
            }
        ));
    }
    assert!(parse(&deep).is_ok());
    let mut deeper = "a: &a ".to_owned();
    deeper.push_str(&"[".repeat(250));
    deeper.push_str(&"]".repeat(250));
    deeper.push('\n');
    let mut current = "a".to_owned();
    for i in 0..800 {
        deeper.push_str(&format!("x{i}: &x{i} [*{current}]\n"));
        current = format!("x{i}");
    }
    assert!(error_of(&deeper).message.contains("deeper"));
}

#[test]
fn multiple_documents() {
    let err = error_of("a: 1\n---\nb: 2\n");
    assert_eq!((err.pos.line, err.pos.column), (2, 1));
    assert!(err.message.contains("second YAML document"));
    let err = error_of("a: 1\n...\n---\nb: 2\n");
    assert_eq!(err.pos.line, 3);
    let err = error_of("---\na: 1\n---\n~\n");
    assert_eq!(err.pos.line, 3);
    // A broken second document is still reported as a second document.
    let err = error_of("a: 1\n---\nb: [\n");
    assert!(err.message.contains("second YAML document"));
    // Helm tolerates an empty trailing document, and so do we.
    assert_eq!(json_of("a: 1\n---\n"), json!({"a": 1}));
    assert_eq!(json_of("a: 1\n---"), json!({"a": 1}));
    assert_eq!(json_of("a: 1\n---\n# end\n"), json!({"a": 1}));
    assert_eq!(json_of("---\na: 1\n"), json!({"a": 1}));
    assert_eq!(json_of("a: 1\n...\n"), json!({"a": 1}));
}

#[test]
fn top_level_must_be_a_map() {
    for empty in [
        "",
        "# only a comment\n",
        "---\n",
        "--- \n",
        "~\n",
        "null\n",
        "\n\n",
    ] {
        assert_eq!(json_of(empty), json!({}), "{empty:?}");
    }
    for (bad, what) in [
        ("- 1\n", "a list"),
        ("---\n- 1\n", "a list"),
        ("hello\n", "a string"),
        ("12\n", "a number"),
    ] {
        let err = error_of(bad);
        assert!(err.message.contains(what), "{bad:?}: {err}");
    }
}

#[test]
fn version_directive() {
    assert_eq!(json_of("%YAML 1.1\n---\na: yes\n"), json!({"a": true}));
    let err = error_of("# c\n%YAML 1.2\n---\na: yes\n");
    assert_eq!(err.pos.line, 2);
}

#[test]
fn syntax_errors_have_positions() {
    let err = error_of("a: b: c\n");
    assert_eq!((err.pos.line, err.pos.column), (1, 5));
    let err = error_of("a: 1\n b: 2\n");
    assert_eq!(err.pos.line, 2);
    let err = error_of("a: \"\\ud800\"\n");
    assert_eq!(err.pos.line, 1);
    let err = error_of("é: [1,\n");
    assert_eq!(err.to_string().split(':').next(), Some("line 2, column 1"));
}

#[test]
fn non_finite_values_are_refused() {
    let err = error_of("a:\n  b: .inf\n");
    assert_eq!((err.pos.line, err.pos.column), (2, 6));
    assert!(err.message.contains(".inf"), "{err}");
    error_of("a: [-.inf]\n");
    error_of("a: !!float .nan\n");
    error_of("&x .inf: 1\nb: *x\n");
}

#[test]
fn deep_nesting_fails_cleanly() {
    let err = error_of(&"[".repeat(100_000));
    assert!(err.pos.line == 1, "{err}");
    let mut text = "a: ".to_owned();
    text.push_str(&"[".repeat(200));
    text.push_str(&"]".repeat(200));
    assert!(parse(&text).is_ok());
    // Block nesting has no parser limit: ours applies.
    let block: String = (0..2000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let err = error_of(&block);
    assert!(err.message.contains("deeper than 1000"), "{err}");
    assert_eq!(err.pos.line, 1001);
    let block: String = (0..999).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    assert!(parse(&block).is_ok());
    let block: String = (0..50_000).map(|_| "- ").collect::<String>() + "x\n";
    error_of(&block);
}

#[test]
fn bad_bytes_fail_with_positions() {
    let err = parse_bytes(b"a: 1\nb: \"x\xff\"\n").unwrap_err();
    assert_eq!((err.pos.line, err.pos.column, err.pos.offset), (2, 6, 10));
    assert!(err.message.contains("UTF-8"));
    let err = parse_bytes(b"\x89PNG\r\n\x1a\n\0\0").unwrap_err();
    assert_eq!(err.pos.offset, 0);
    let err = parse("a: b\0c\n").unwrap_err();
    assert_eq!((err.pos.line, err.pos.column), (1, 5));
    assert!(err.message.contains("NUL"));
    let err = parse("a: 1\nb: x\u{1}\n").unwrap_err();
    assert_eq!((err.pos.line, err.pos.column), (2, 5));
    assert!(parse("a: b\u{7f}\n").is_err());
    assert_eq!(
        parse_bytes(b"a: b\r\nc:\r\n  - d\r\n")
            .unwrap()
            .root
            .to_json(),
        json!({"a": "b", "c": ["d"]})
    );
}

#[test]
fn large_documents_work() {
    let mut text = String::with_capacity(600_000);
    for i in 0..20_000 {
        text.push_str(&format!("key{i}:\n  value: \"{i}\"\n  list: [a, b]\n"));
    }
    let doc = parse(&text).unwrap();
    let NodeValue::Map(entries) = &doc.root.value else {
        panic!("not a map")
    };
    assert_eq!(entries.len(), 20_000);
    assert_eq!(start(at(&doc, "/key19999/list/1")), (60_000, 13));
}

#[test]
fn oversized_input_fails_cleanly() {
    let text = "k: v\n".repeat((100 << 20) / 5);
    let err = parse(&text).unwrap_err();
    assert!(err.message.contains("100.0 MiB"), "{err}");
    let err = parse_bytes(text.as_bytes()).unwrap_err();
    assert_eq!((err.pos.line, err.pos.column), (1, 1));
    let text = "k: v\n".repeat(MAX_INPUT_BYTES / 5 + 1);
    assert!(parse(&text).unwrap_err().message.contains("8 MiB"));
    // A dense list is fine.
    let text = "k: [".to_owned() + &"1,".repeat(50_000) + "1]";
    assert_eq!(
        parse(&text).unwrap().root.to_json()["k"]
            .as_array()
            .map(Vec::len),
        Some(50_001)
    );
}

#[test]
fn at_and_key_at() {
    let doc = parse("a:\n  - b: 1\n").unwrap();
    assert!(doc.root.at(&Path::root()).is_some());
    assert!(doc.root.key_at(&Path::root()).is_none());
    assert!(doc.root.at(&Path::keys("a.b")).is_none());
    assert!(doc.root.key_at(&Path::parse_pointer("/a/0")).is_none());
    assert_eq!(
        start(doc.root.key_at(&Path::parse_pointer("/a/0/b")).unwrap()),
        (2, 5)
    );
    assert!(doc.root.key_at(&Path::parse_pointer("/a/0/c")).is_none());
}

#[test]
fn yaml_error_display() {
    let err = YamlError {
        message: "boom".into(),
        pos: Pos {
            offset: 7,
            line: 3,
            column: 2,
        },
    };
    assert_eq!(err.to_string(), "line 3, column 2: boom");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_arbitrary_text(text in ".{0,200}") {
        let _ = parse(&text);
    }

    #[test]
    fn never_panics_on_yamlish_text(text in "[-:?|>!&*\\[\\]{}#,'\" \\n\\ta-c01.~<\\\\]{0,120}") {
        if let Ok(doc) = parse(&text) {
            let _ = doc.root.to_json();
        }
    }

    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_bytes(&bytes);
    }

    #[test]
    fn plain_integers_round_trip(n in any::<i64>()) {
        prop_assert_eq!(resolve_plain(&n.to_string()), NodeValue::Int(n));
    }
}
