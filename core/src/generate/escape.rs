//! Escaping of user text into the generated files.
//!
//! Every value a template prints goes through [`format_value`], installed as
//! minijinja's formatter with an auto-escape mode chosen by file name, so no
//! template can forget a filter:
//! - `.yaml`: strings become YAML double-quoted scalars ([`yaml_quote`]),
//!   which YAML 1.1 (go-yaml v2, Helm) and 1.2 read back verbatim: no
//!   `yes`/`017`/`1e3` surprises, and every non-printable character written
//!   as `\uXXXX`;
//! - `.sh`: strings become single-quoted shell words ([`shell_quote`]);
//! - `.md`: strings have their line breaks and control characters made
//!   visible ([`one_line`]).
//!
//! Text placed in a comment goes through the `comment` filter ([`one_line`]),
//! so user text can never end the comment line.

use std::fmt::Write as _;

use minijinja::value::ValueKind;
use minijinja::{AutoEscape, Error, ErrorKind, Output, State, Value};

/// Auto-escape mode of YAML files.
pub const YAML: &str = "yaml";
/// Auto-escape mode of shell scripts.
pub const SHELL: &str = "shell";
/// Auto-escape mode of Markdown files.
pub const MARKDOWN: &str = "markdown";

/// Whether a character must be written as an escape inside a YAML double-quoted scalar:
/// `\`, `"`, C0 controls, DEL, C1 controls (with NEL U+0085), the line and paragraph
/// separators U+2028/U+2029, the byte-order mark U+FEFF and the non-characters U+FFFE/U+FFFF.
pub fn yaml_needs_escape(c: char) -> bool {
    matches!(c,
        '\\' | '"' | '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// Writes `s` as a YAML double-quoted scalar.
///
/// ```
/// use osmo_values::generate::escape::yaml_quote;
/// assert_eq!(yaml_quote("yes"), r#""yes""#);
/// assert_eq!(yaml_quote("a\"b\\c\nd\u{2028}"), r#""a\"b\\c\u000ad\u2028""#);
/// ```
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_yaml_quoted(&mut out, s);
    out
}

/// Appends `s` as a YAML double-quoted scalar.
pub fn push_yaml_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if yaml_needs_escape(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether a character would break a line or hide text in a one-line context (comments,
/// Markdown lines): every control character, NEL, U+2028/U+2029 and U+FEFF.
pub fn breaks_line(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// `s` on one line: every character for which [`breaks_line`] holds becomes a visible
/// `\uXXXX`, so text embedded in a comment can never end the comment.
///
/// ```
/// use osmo_values::generate::escape::one_line;
/// assert_eq!(one_line("a\nkey: x"), "a\\u000akey: x");
/// ```
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if breaks_line(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` as one single-quoted POSIX shell word.
///
/// ```
/// use osmo_values::generate::escape::shell_quote;
/// assert_eq!(shell_quote("it's $HOME"), r#"'it'\''s $HOME'"#);
/// ```
pub fn shell_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// Writes a JSON value as block-style YAML, every string value double-quoted
/// and every key plain unless it needs quotes (see [`is_plain_key`]). Used
/// for `spec.yaml`.
///
/// ```
/// use osmo_values::generate::escape::to_yaml_block;
/// let text = to_yaml_block(&serde_json::json!({"a": {"b": ["x", 1]}, "c": {}, "on": 1}));
/// assert_eq!(text, "a:\n  b:\n    - \"x\"\n    - 1\nc: {}\n\"on\": 1\n");
/// ```
pub fn to_yaml_block(value: &serde_json::Value) -> String {
    let mut out = String::new();
    block(&mut out, value, 0);
    out
}

/// Whether `key` reads back as the same string when written unquoted, under
/// YAML 1.1 (Helm) and 1.2 alike: an identifier-like word that is not a
/// boolean or null word (`y`, `on`, `no`, `null`, ...).
///
/// ```
/// use osmo_values::generate::escape::is_plain_key;
/// assert!(is_plain_key("tenantId") && is_plain_key("ephemeral-storage"));
/// assert!(!is_plain_key("on") && !is_plain_key("Y") && !is_plain_key("1a") && !is_plain_key("a b"));
/// ```
pub fn is_plain_key(key: &str) -> bool {
    const WORDS: [&str; 11] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf",
    ];
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !WORDS.contains(&key.to_ascii_lowercase().as_str())
}

fn block(out: &mut String, value: &serde_json::Value, indent: usize) {
    use serde_json::Value as J;
    let pad = " ".repeat(indent);
    match value {
        J::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                out.push_str(&pad);
                if is_plain_key(k) {
                    out.push_str(k);
                } else {
                    push_yaml_quoted(out, k);
                }
                out.push(':');
                nested(out, v, indent + 2);
            }
        }
        J::Array(items) if !items.is_empty() => {
            for v in items {
                out.push_str(&pad);
                out.push('-');
                nested(out, v, indent + 2);
            }
        }
        other => {
            out.push_str(&pad);
            scalar(out, other);
            out.push('\n');
        }
    }
}

fn nested(out: &mut String, v: &serde_json::Value, indent: usize) {
    use serde_json::Value as J;
    match v {
        J::Object(m) if !m.is_empty() => {
            out.push('\n');
            block(out, v, indent);
        }
        J::Array(a) if !a.is_empty() => {
            out.push('\n');
            block(out, v, indent);
        }
        _ => {
            out.push(' ');
            scalar(out, v);
            out.push('\n');
        }
    }
}

fn scalar(out: &mut String, v: &serde_json::Value) {
    use serde_json::Value as J;
    match v {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Number(n) => out.push_str(&n.to_string()),
        J::String(s) => push_yaml_quoted(out, s),
        J::Array(_) => out.push_str("[]"),
        J::Object(_) => out.push_str("{}"),
    }
}

/// Writes a template value as a YAML flow value: strings double-quoted, lists and maps in
/// flow style.
fn yaml_flow(out: &mut String, value: &Value) -> Result<(), Error> {
    match value.kind() {
        ValueKind::Undefined => {
            return Err(Error::new(
                ErrorKind::UndefinedError,
                "a template printed an undefined value",
            ));
        }
        ValueKind::None => out.push_str("null"),
        ValueKind::Bool => out.push_str(if value.is_true() { "true" } else { "false" }),
        ValueKind::Number => {
            let text = value.to_string();
            if text.contains(['n', 'N', 'i']) {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    "a non-finite number cannot be written to YAML",
                ));
            }
            out.push_str(&text);
        }
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            for (i, item) in value.try_iter()?.enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                yaml_flow(out, &item)?;
            }
            out.push(']');
        }
        ValueKind::Map => {
            out.push('{');
            for (i, key) in value.try_iter()?.enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let item = value.get_item(&key)?;
                match key.as_str() {
                    Some(k) => push_yaml_quoted(out, k),
                    None => yaml_flow(out, &key)?,
                }
                out.push_str(": ");
                yaml_flow(out, &item)?;
            }
            out.push('}');
        }
        _ => match value.as_str() {
            Some(s) => push_yaml_quoted(out, s),
            None => push_yaml_quoted(out, &value.to_string()),
        },
    }
    Ok(())
}

/// The minijinja formatter: safe strings verbatim, everything else escaped for the file's
/// auto-escape mode.
pub fn format_value(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    if value.is_safe() {
        return out
            .write_str(value.as_str().unwrap_or_default())
            .map_err(Error::from);
    }
    let mut text = String::new();
    match state.auto_escape() {
        AutoEscape::Custom(YAML) => yaml_flow(&mut text, value)?,
        AutoEscape::Custom(SHELL) => match value.kind() {
            ValueKind::Number | ValueKind::Bool => text = value.to_string(),
            ValueKind::Undefined | ValueKind::None => {
                return Err(Error::new(
                    ErrorKind::UndefinedError,
                    "a shell template printed an undefined value",
                ));
            }
            _ => text = shell_quote(&value_text(value)),
        },
        AutoEscape::Custom(MARKDOWN) => text = one_line(&value_text(value)),
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "template has no known escaping mode",
            ));
        }
    }
    out.write_str(&text).map_err(Error::from)
}

fn value_text(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_owned(),
        None => value.to_string(),
    }
}

/// The auto-escape mode of a template, from its file name.
pub fn auto_escape_for(name: &str) -> AutoEscape {
    if name.ends_with(".sh") {
        AutoEscape::Custom(SHELL)
    } else if name.ends_with(".md") {
        AutoEscape::Custom(MARKDOWN)
    } else {
        AutoEscape::Custom(YAML)
    }
}

/// Filter `comment`: the value on one line, safe inside a `#` comment.
pub fn comment_filter(value: Value) -> Value {
    Value::from_safe_string(one_line(&value_text(&value)))
}

/// Filter `sh`: the value as one single-quoted shell word (for commands in Markdown).
pub fn sh_filter(value: Value) -> Value {
    Value::from_safe_string(one_line(&shell_quote(&value_text(&value))))
}

/// Filter `chomp`: drops one trailing line break, keeping a safe value (macro output) safe.
pub fn chomp_filter(value: Value) -> Value {
    let text = value_text(&value);
    let trimmed = text.strip_suffix('\n').unwrap_or(&text).to_owned();
    if value.is_safe() {
        Value::from_safe_string(trimmed)
    } else {
        Value::from(trimmed)
    }
}

/// `text` with every line indented by `by` spaces, without the final line break.
///
/// ```
/// assert_eq!(osmo_values::generate::escape::indent("a:\n  b: 1\n", 2), "  a:\n    b: 1");
/// ```
pub fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|line| format!("{pad}{line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
