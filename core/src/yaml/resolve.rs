//! The YAML 1.1 scalar resolver of Helm's reader (go-yaml v2 behind
//! `sigs.k8s.io/yaml`), rebuilt table by table.
//!
//! go-yaml v2 resolves a plain scalar in three steps: a table of exact words
//! (booleans, nulls, infinities), then a hint from the first character
//! (digit or sign: maybe a number; `.`: maybe a float), then Go's own number
//! parsers on the text with every `_` removed. Everything else is a string.
//! Sexagesimal numbers (`1:30`) and timestamps stay strings.

use super::NodeValue;

/// What go-yaml v2 makes of a plain scalar, before the conversion to JSON.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Resolved {
    /// `~`, `null`, empty.
    Null,
    /// `true`, `yes`, `on`, `y` ... in the spellings go-yaml accepts.
    Bool(bool),
    /// An integer that fits `int64`.
    Int(i64),
    /// An integer that only fits `uint64` (Helm refuses it as a map key).
    Uint(u64),
    /// A float, possibly infinite or NaN (`.inf`, `.nan`).
    Float(f64),
    /// Not a number, boolean or null: the text itself.
    Str,
}

/// The exact words go-yaml v2 resolves by lookup, before trying numbers.
const WORDS: &[(&str, Resolved)] = &[
    ("y", Resolved::Bool(true)),
    ("Y", Resolved::Bool(true)),
    ("yes", Resolved::Bool(true)),
    ("Yes", Resolved::Bool(true)),
    ("YES", Resolved::Bool(true)),
    ("true", Resolved::Bool(true)),
    ("True", Resolved::Bool(true)),
    ("TRUE", Resolved::Bool(true)),
    ("on", Resolved::Bool(true)),
    ("On", Resolved::Bool(true)),
    ("ON", Resolved::Bool(true)),
    ("n", Resolved::Bool(false)),
    ("N", Resolved::Bool(false)),
    ("no", Resolved::Bool(false)),
    ("No", Resolved::Bool(false)),
    ("NO", Resolved::Bool(false)),
    ("false", Resolved::Bool(false)),
    ("False", Resolved::Bool(false)),
    ("FALSE", Resolved::Bool(false)),
    ("off", Resolved::Bool(false)),
    ("Off", Resolved::Bool(false)),
    ("OFF", Resolved::Bool(false)),
    ("", Resolved::Null),
    ("~", Resolved::Null),
    ("null", Resolved::Null),
    ("Null", Resolved::Null),
    ("NULL", Resolved::Null),
    (".nan", Resolved::Float(f64::NAN)),
    (".NaN", Resolved::Float(f64::NAN)),
    (".NAN", Resolved::Float(f64::NAN)),
    (".inf", Resolved::Float(f64::INFINITY)),
    (".Inf", Resolved::Float(f64::INFINITY)),
    (".INF", Resolved::Float(f64::INFINITY)),
    ("+.inf", Resolved::Float(f64::INFINITY)),
    ("+.Inf", Resolved::Float(f64::INFINITY)),
    ("+.INF", Resolved::Float(f64::INFINITY)),
    ("-.inf", Resolved::Float(f64::NEG_INFINITY)),
    ("-.Inf", Resolved::Float(f64::NEG_INFINITY)),
    ("-.INF", Resolved::Float(f64::NEG_INFINITY)),
];

/// The hint go-yaml v2 takes from a scalar's first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    /// Cannot be anything but a string.
    None,
    /// Only an exact word of [`WORDS`] makes it something else.
    Word,
    /// A digit or a sign: maybe an integer or a float.
    Number,
    /// A dot: maybe a float such as `.5`.
    Dot,
}

fn hint(text: &str) -> Hint {
    match text.as_bytes().first() {
        None => Hint::Word,
        Some(b'0'..=b'9' | b'+' | b'-') => Hint::Number,
        Some(b'.') => Hint::Dot,
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => {
            Hint::Word
        }
        Some(_) => Hint::None,
    }
}

/// Resolves a plain scalar exactly as go-yaml v2 does.
pub(crate) fn resolve(text: &str) -> Resolved {
    let hint = hint(text);
    if hint == Hint::None {
        return Resolved::Str;
    }
    if let Some((_, value)) = WORDS.iter().find(|(word, _)| *word == text) {
        return *value;
    }
    match hint {
        Hint::None | Hint::Word => Resolved::Str,
        Hint::Dot => match go_parse_float(text) {
            Some(f) => Resolved::Float(f),
            None => Resolved::Str,
        },
        Hint::Number => {
            let plain = text.replace('_', "");
            if let Some(i) = go_parse_int(&plain) {
                return Resolved::Int(i);
            }
            if let Some(u) = go_parse_uint(&plain) {
                return Resolved::Uint(u);
            }
            if yaml_style_float(&plain)
                && let Some(f) = go_parse_float(&plain)
            {
                return Resolved::Float(f);
            }
            Resolved::Str
        }
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)` on text without underscores: base
/// prefixes `0x`, `0o`, `0b`, and a bare leading `0` for octal.
fn go_parse_uint(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let bytes = s.as_bytes();
    let (radix, digits) = if bytes[0] == b'0' {
        match bytes.get(1).map(u8::to_ascii_lowercase) {
            Some(b'b') if s.len() >= 3 => (2, &s[2..]),
            Some(b'o') if s.len() >= 3 => (8, &s[2..]),
            Some(b'x') if s.len() >= 3 => (16, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else {
        (10, s)
    };
    let mut n: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        n = n.checked_mul(u64::from(radix))?.checked_add(u64::from(d))?;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, 0, 64)`: an optional sign, then [`go_parse_uint`].
fn go_parse_int(s: &str) -> Option<i64> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = go_parse_uint(rest)?;
    if negative {
        if magnitude <= i64::MAX as u64 {
            Some(-(magnitude as i64))
        } else if magnitude == i64::MIN.unsigned_abs() {
            Some(i64::MIN)
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for the texts go-yaml hands it: a
/// decimal float. Overflow to infinity is an error in Go (the scalar then
/// stays a string); underflow to zero is not.
fn go_parse_float(s: &str) -> Option<f64> {
    // Rust also reads `inf`, `nan` and `infinity`; go-yaml never passes
    // those here (they start with neither a digit, a sign nor a dot, or
    // fail the float pattern), but guard anyway.
    if s.bytes()
        .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(f)
}

/// go-yaml v2's `yamlStyleFloat`:
/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Resolves a plain scalar the way Helm reads values files (YAML 1.1 through
/// go-yaml v2): booleans in go-yaml's spellings, nulls, octal `017`, `0x`,
/// `0o`, `0b`, underscores, floats; everything else is a string.
///
/// Integers beyond `int64` but within `uint64` become [`NodeValue::Float`]
/// (Helm ends with a float64 for them too); `.inf` and `.nan` become
/// non-finite floats, which [`crate::yaml::parse`] refuses as values since
/// Helm cannot convert them to JSON.
///
/// ```
/// use osmo_values::yaml::{resolve_plain, NodeValue};
/// assert_eq!(resolve_plain("017"), NodeValue::Int(15));
/// assert_eq!(resolve_plain("yes"), NodeValue::Bool(true));
/// assert_eq!(resolve_plain("nO"), NodeValue::String("nO".into()));
/// assert_eq!(resolve_plain("6.10"), NodeValue::Float(6.1));
/// assert_eq!(resolve_plain("1:30"), NodeValue::String("1:30".into()));
/// ```
pub fn resolve_plain(text: &str) -> NodeValue {
    match resolve(text) {
        Resolved::Null => NodeValue::Null,
        Resolved::Bool(b) => NodeValue::Bool(b),
        Resolved::Int(i) => NodeValue::Int(i),
        Resolved::Uint(u) => NodeValue::Float(u as f64),
        Resolved::Float(f) => NodeValue::Float(f),
        Resolved::Str => NodeValue::String(text.to_owned()),
    }
}

/// How `sigs.k8s.io/yaml` writes a float map key: Go's
/// `strconv.FormatFloat(f, 'g', -1, 32)`, with YAML's names for the
/// infinities and NaN.
pub(crate) fn float_key(f: f64) -> String {
    let f = f as f32;
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    let negative = f.is_sign_negative();
    let sign = if negative { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0");
    }
    // Shortest round-trip digits and decimal exponent, from Rust's `{:e}`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let nd = digits.len() as i32;
    if !(-4..6).contains(&exp) {
        // %e: d.ddde±XX with at least two exponent digits.
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.unsigned_abs());
    }
    // %f with just the digits needed.
    let dp = exp + 1; // position of the decimal point within `digits`
    let body = if dp <= 0 {
        format!("0.{}{}", "0".repeat((-dp) as usize), digits)
    } else if dp >= nd {
        format!("{}{}", digits, "0".repeat((dp - nd) as usize))
    } else {
        let (int, frac) = digits.split_at(dp as usize);
        format!("{int}.{frac}")
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_keys_follow_go_formatting() {
        for (f, want) in [
            (1.5, "1.5"),
            (1.1, "1.1"),
            (0.1, "0.1"),
            (1000.0, "1000"),
            (123456789.0, "1.2345679e+08"),
            (1e21, "1e+21"),
            (1e20, "1e+20"),
            (100000.0, "100000"),
            (1e6, "1e+06"),
            (16777217.0, "1.6777216e+07"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0"),
            (0.0, "0"),
            (-2.5, "-2.5"),
            (f64::INFINITY, ".inf"),
            (f64::NEG_INFINITY, "-.inf"),
            (f64::NAN, ".nan"),
        ] {
            assert_eq!(float_key(f), want, "{f}");
        }
    }

    #[test]
    fn go_integer_syntax() {
        assert_eq!(go_parse_int("0"), Some(0));
        assert_eq!(go_parse_int("0x"), None);
        assert_eq!(go_parse_int("-0x8000000000000000"), Some(i64::MIN));
        assert_eq!(go_parse_int("0x8000000000000000"), None);
        assert_eq!(go_parse_uint("0x8000000000000000"), Some(1 << 63));
        assert_eq!(go_parse_uint("+1"), None);
        assert!(yaml_style_float("1."));
        assert!(yaml_style_float("-.5e3"));
        assert!(!yaml_style_float("."));
        assert!(!yaml_style_float("1e"));
    }
}
