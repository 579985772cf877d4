//! Numbers and booleans as OSMO's Python models accept them.
//!
//! The service validates its configuration with Pydantic in lax mode: a
//! numeric string such as `"50"` is accepted where a whole number is
//! expected, and `"yes"` where a boolean is, but a number is never accepted
//! where text is expected (`default_exec_timeout: 7` is refused; it must be
//! `"7d"`). These types accept exactly what the service accepts and write
//! back the plain JSON value.
//!
//! Helm passes every number through JSON, so `100.0` in a values file
//! reaches the service as `100`: a whole float counts as a whole number.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::formats::{python_int, underscored_digits};

/// The whole number the service reads from `value`, if it accepts one.
///
/// ```
/// use serde_json::json;
/// use osmo_values::configs::lax::int;
/// assert_eq!(int(&json!("50")), Some(50));
/// assert_eq!(int(&json!(50.0)), Some(50));
/// assert_eq!(int(&json!(true)), Some(1));
/// assert_eq!(int(&json!("7d")), None);
/// assert_eq!(int(&json!(1.5)), None);
/// ```
pub fn int(value: &Value) -> Option<i128> {
    match value {
        Value::Bool(b) => Some(i128::from(*b)),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i128::from(i))
            } else if let Some(u) = n.as_u64() {
                Some(i128::from(u))
            } else {
                let f = n.as_f64()?;
                // Only floats that fit a 64-bit integer, as the service checks.
                (f.fract() == 0.0 && f.abs() < 9.223_372_036_854_775e18).then_some(f as i128)
            }
        }
        Value::String(s) => {
            let t = s.trim();
            match t.split_once('.') {
                None => python_int(t),
                Some((whole, zeros)) => {
                    let zeros_ok = !zeros.is_empty() && zeros.bytes().all(|b| b == b'0');
                    if zeros_ok { python_int(whole) } else { None }
                }
            }
        }
        _ => None,
    }
}

/// The number the service reads from `value`, if it accepts one.
///
/// ```
/// use serde_json::json;
/// use osmo_values::configs::lax::float;
/// assert_eq!(float(&json!("0.5")), Some(0.5));
/// assert_eq!(float(&json!(2)), Some(2.0));
/// assert_eq!(float(&json!("fast")), None);
/// ```
pub fn float(value: &Value) -> Option<f64> {
    match value {
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Number(n) => n.as_f64(),
        Value::String(s) => python_float(s),
        _ => None,
    }
}

/// Python's `float(text)`, with single `_` between digits.
fn python_float(text: &str) -> Option<f64> {
    let t = text.trim();
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    match body.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => return Some(sign * f64::INFINITY),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    // Pydantic judges the underscores on the whole text, sign included
    // (`+_5` passes, `_5` does not).
    if body.is_empty() || t.starts_with('_') || t.ends_with('_') || t.contains("__") {
        return None;
    }
    let plain: String = body.chars().filter(|c| *c != '_').collect();
    let (mantissa, exponent) = match plain.find(['e', 'E']) {
        Some(i) => (&plain[..i], Some(&plain[i + 1..])),
        None => (plain.as_str(), None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        underscored_digits(e)?;
    }
    plain.parse::<f64>().ok().map(|f| sign * f)
}

/// The boolean the service reads from `value`, if it accepts one.
///
/// ```
/// use serde_json::json;
/// use osmo_values::configs::lax::boolean;
/// assert_eq!(boolean(&json!("yes")), Some(true));
/// assert_eq!(boolean(&json!(0)), Some(false));
/// assert_eq!(boolean(&json!("enabled")), None);
/// ```
pub fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_f64() {
            Some(0.0) => Some(false),
            Some(1.0) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "1" | "on" | "t" | "true" | "y" | "yes" => Some(true),
            "0" | "off" | "f" | "false" | "n" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

macro_rules! lax_number {
    ($(#[$doc:meta])* $name:ident($inner:ty), $read:ident, $schema:expr, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
        pub struct $name(pub $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = Value::deserialize(d)?;
                let n = $read(&v).ok_or_else(|| D::Error::custom(concat!("expected ", $what)))?;
                let out = <$inner>::try_from(n).map_err(|_| D::Error::custom("number out of range"))?;
                $name::new(out).ok_or_else(|| D::Error::custom(concat!("expected ", $what)))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

fn int_i128(v: &Value) -> Option<i128> {
    int(v)
}

fn float_f64(v: &Value) -> Option<f64> {
    float(v)
}

lax_number!(
    /// A whole number (Pydantic `int`): also `"50"`, `50.0` and `true`.
    LaxInt(i64), int_i128, json_schema!({"type": "integer"}), "a whole number"
);
lax_number!(
    /// A whole number greater than 0 (Pydantic `int` with `gt=0`).
    PositiveInt(i64), int_i128, json_schema!({"type": "integer", "exclusiveMinimum": 0}),
    "a whole number greater than 0"
);
lax_number!(
    /// A whole number of at least 0 (Pydantic `int` with `ge=0`).
    NonNegativeInt(i64), int_i128, json_schema!({"type": "integer", "minimum": 0}),
    "a whole number of at least 0"
);
lax_number!(
    /// A number (Pydantic `float`): also `"0.5"` and booleans.
    LaxFloat(f64), float_f64, json_schema!({"type": "number"}), "a number"
);
lax_number!(
    /// A number greater than 0 (Pydantic `float` with `gt=0`).
    PositiveFloat(f64), float_f64, json_schema!({"type": "number", "exclusiveMinimum": 0}),
    "a number greater than 0"
);

impl LaxInt {
    fn new(n: i64) -> Option<Self> {
        Some(LaxInt(n))
    }
}
impl PositiveInt {
    fn new(n: i64) -> Option<Self> {
        (n > 0).then_some(PositiveInt(n))
    }
}
impl NonNegativeInt {
    fn new(n: i64) -> Option<Self> {
        (n >= 0).then_some(NonNegativeInt(n))
    }
}
impl LaxFloat {
    fn new(n: f64) -> Option<Self> {
        Some(LaxFloat(n))
    }
}
impl PositiveFloat {
    fn new(n: f64) -> Option<Self> {
        (n > 0.0).then_some(PositiveFloat(n))
    }
}

/// A boolean (Pydantic `bool`): also `"yes"`, `"on"`, `"true"`, `1`, `0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LaxBool(pub bool);

impl<'de> Deserialize<'de> for LaxBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        boolean(&v)
            .map(LaxBool)
            .ok_or_else(|| D::Error::custom("expected a boolean"))
    }
}

impl Serialize for LaxBool {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl JsonSchema for LaxBool {
    fn schema_name() -> Cow<'static, str> {
        "LaxBool".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "boolean"})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ints_as_pydantic_reads_them() {
        for (v, want) in [
            (json!("50"), Some(50)),
            (json!(" 50 "), Some(50)),
            (json!("5_0"), Some(50)),
            (json!("+5"), Some(5)),
            (json!("-5"), Some(-5)),
            (json!("50.00"), Some(50)),
            (json!("1_000.0"), Some(1000)),
            (json!(false), Some(0)),
            (json!("50."), None),
            (json!("1e3"), None),
            (json!("0x10"), None),
            (json!("5__0"), None),
            (json!("1.0_0"), None),
            (json!(""), None),
            (json!(1e20), None),
            (json!([1]), None),
            (json!(null), None),
        ] {
            assert_eq!(int(&v), want, "{v}");
        }
    }

    #[test]
    fn floats_and_booleans() {
        for (s, want) in [
            ("1.", Some(1.0)),
            (".5", Some(0.5)),
            ("1e5", Some(1e5)),
            ("1_0e1_0", Some(1e11)),
            ("1._5", Some(1.5)),
            (" -inf ", Some(f64::NEG_INFINITY)),
            ("1e", None),
            ("_1", None),
            ("1__0", None),
            ("+_83", Some(83.0)),
            ("0x1", None),
            ("", None),
        ] {
            assert_eq!(python_float(s), want, "{s}");
        }
        assert!(python_float("nan").is_some_and(f64::is_nan));
        for (v, want) in [
            (json!("Yes"), Some(true)),
            (json!("oFF"), Some(false)),
            (json!(1.0), Some(true)),
            (json!(2), None),
            (json!(" true"), None),
            (json!("01"), None),
        ] {
            assert_eq!(boolean(&v), want, "{v}");
        }
    }

    #[test]
    fn typed_values_round_trip() {
        let n: PositiveInt = serde_json::from_value(json!("3")).unwrap();
        assert_eq!(serde_json::to_value(n).unwrap(), json!(3));
        assert!(serde_json::from_value::<PositiveInt>(json!(0)).is_err());
        assert!(serde_json::from_value::<LaxInt>(json!("7d")).is_err());
        let b: LaxBool = serde_json::from_value(json!("on")).unwrap();
        assert!(b.0);
    }
}
