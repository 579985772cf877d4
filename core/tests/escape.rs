//! Property tests of the escaping: any user string rendered into a YAML
//! template reads back as itself, and text in a comment adds no keys.

use std::collections::BTreeSet;

use minijinja::Environment;
use osmo_values::generate::configure;
use osmo_values::generate::escape::{one_line, shell_quote, yaml_quote};
use proptest::prelude::*;
use saphyr_parser::{Event, Parser};
use serde_json::{Value, json};

const TEMPLATE: &str = "\
# {{ v|comment }}
key: {{ v }}   # trailing {{ v|comment }}
list:
  - {{ v }}
  # {{ v|comment }}
  - {{ [v, v] }}
map: {{ m }}
keys:
  {{ v }}: 1
end: true
";

fn render(v: &str) -> String {
    let mut env = Environment::new();
    configure(&mut env);
    env.add_template("t.yaml", TEMPLATE).unwrap();
    let mut m = std::collections::BTreeMap::new();
    m.insert(v.to_owned(), v.to_owned());
    env.get_template("t.yaml")
        .unwrap()
        .render(minijinja::context! { v => v, m => m })
        .unwrap()
}

fn expected(v: &str) -> Value {
    json!({
        "key": v,
        "list": [v, [v, v]],
        "map": {v: v},
        "keys": {v: 1},
        "end": true,
    })
}

/// A second, independent YAML 1.2 reader: saphyr's event parser, scalars as strings.
fn saphyr_load(text: &str) -> Value {
    fn scalar(s: &str, style: saphyr_parser::ScalarStyle) -> Value {
        if style == saphyr_parser::ScalarStyle::Plain {
            match s {
                "true" => return Value::Bool(true),
                "1" => return json!(1),
                _ => {}
            }
        }
        Value::String(s.to_owned())
    }
    let mut stack: Vec<(Value, Option<String>)> = Vec::new();
    let mut root = Value::Null;
    for item in Parser::new_from_str(text) {
        let (event, _) = item.expect("saphyr parses the rendered text");
        let node = match event {
            Event::Scalar(s, style, ..) => scalar(&s, style),
            Event::SequenceStart(..) => {
                stack.push((json!([]), None));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push((json!({}), None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => stack.pop().unwrap().0,
            _ => continue,
        };
        match stack.last_mut() {
            None => root = node,
            Some((Value::Array(items), _)) => items.push(node),
            Some((Value::Object(map), key)) => match key.take() {
                Some(k) => {
                    assert!(map.insert(k, node).is_none(), "duplicate key");
                }
                None => *key = Some(node.as_str().expect("string key").to_owned()),
            },
            _ => unreachable!(),
        }
    }
    root
}

fn tricky() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just(": ".to_owned()),
        Just(" #".to_owned()),
        Just("# ".to_owned()),
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just("*a".to_owned()),
        Just("&a".to_owned()),
        Just("!tag".to_owned()),
        Just("|".to_owned()),
        Just(">".to_owned()),
        Just("- ".to_owned()),
        Just("{".to_owned()),
        Just("[".to_owned()),
        Just("%".to_owned()),
        Just("@".to_owned()),
        Just("`".to_owned()),
        Just("yes".to_owned()),
        Just("no".to_owned()),
        Just("on".to_owned()),
        Just("off".to_owned()),
        Just("y".to_owned()),
        Just("n".to_owned()),
        Just("~".to_owned()),
        Just("null".to_owned()),
        Just("1e3".to_owned()),
        Just("0x10".to_owned()),
        Just("017".to_owned()),
        Just(".inf".to_owned()),
        Just("6.10".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\t".to_owned()),
        Just(" ".to_owned()),
        Just("---".to_owned()),
        Just("...".to_owned()),
        Just("\u{0}".to_owned()),
        Just("\u{1b}".to_owned()),
        Just("\u{7f}".to_owned()),
        Just("\u{85}".to_owned()),
        Just("\u{9f}".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("\u{2029}".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("\u{fffe}".to_owned()),
        Just("\u{1f600}".to_owned()),
        any::<char>().prop_map(String::from),
        "[a-z]{1,4}",
    ];
    prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn user_text_reads_back_verbatim(v in tricky()) {
        // Keys the template itself uses would collide with the user key in `keys:` only
        // inside that nested map, so every string is fair.
        let text = render(&v);
        let want = expected(&v);
        let via_serde_yaml: Value = serde_yaml::from_str(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&via_serde_yaml, &want, "serde_yaml\n{}", text);
        prop_assert_eq!(&saphyr_load(&text), &want, "saphyr\n{}", text);
        let ours = osmo_values::yaml::parse(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&ours.root.to_json(), &want, "osmo_values::yaml\n{}", text);
        let keys: BTreeSet<&String> = via_serde_yaml.as_object().unwrap().keys().collect();
        prop_assert_eq!(keys.len(), 5);
    }

    #[test]
    fn one_line_never_breaks_a_line(v in tricky()) {
        let s = one_line(&v);
        let breaking = s
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'));
        prop_assert!(!breaking);
        let doc = format!("a: 1 # {s}\n# {s}\nb: 2\n");
        let parsed: Value = serde_yaml::from_str(&doc).unwrap();
        prop_assert_eq!(parsed, json!({"a": 1, "b": 2}));
    }

    #[test]
    fn quoted_scalars_are_plain_ascii_safe(v in tricky()) {
        let q = yaml_quote(&v);
        prop_assert!(q.starts_with('"') && q.ends_with('"'));
        let parsed: String = serde_yaml::from_str(&q).unwrap();
        prop_assert_eq!(parsed, v.clone());
        let sh = shell_quote(&v);
        prop_assert!(sh.starts_with('\'') && sh.ends_with('\''));
    }
}

#[test]
fn the_hard_cases_by_name() {
    for v in [
        "yes", "no", "on", "off", "y", "n", "1e3", "0x10", "017", "6.10", "", "a: b", "# x",
        "x\ny: 1",
    ] {
        let text = render(v);
        let got: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(got, expected(v), "{v:?}\n{text}");
        let ours = osmo_values::yaml::parse(&text).unwrap().root.to_json();
        assert_eq!(ours, expected(v), "{v:?}\n{text}");
    }
    // A comment holding a line break stays one line.
    let text = render("x\nevil: 1");
    assert!(!text.contains("\nevil: 1"));
}
