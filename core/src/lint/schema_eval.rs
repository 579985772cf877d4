//! A validator for the draft-07 keywords the models' schemas use, read
//! straight from the schema: nothing is compiled, so checking one file costs
//! as much as the file has values, not as much as the chart's schema has
//! nodes (compiling the 6.3.1 service schema with a general-purpose
//! validator costs more than reading and checking a 2,000-line file).
//!
//! It reports what `jsonschema` reports for these keywords (the tests
//! compare the two on every fixture): `$ref` (its siblings ignored, as
//! draft 7 wants), `type`, `properties`, `patternProperties`,
//! `additionalProperties`, `required`, `items`, `minItems`, `maxItems`,
//! `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
//! `minLength`, `maxLength`, `pattern`, `const`, `enum`, `anyOf`, `oneOf`,
//! `allOf` and boolean schemas. Annotations are ignored. A keyword outside
//! this list is ignored too: a test fails if the generated schemas use one.

use std::collections::HashMap;
use std::sync::Mutex;

use regex::Regex;
use serde_json::{Map, Number, Value};

use crate::path::{Path, Segment};

/// The keywords [`Evaluator`] understands (everything else in a schema is
/// ignored; a test checks that the generated schemas use no other).
#[cfg(test)]
pub(crate) const KEYWORDS: &[&str] = &[
    "$ref",
    "$schema",
    "$id",
    "definitions",
    "type",
    "properties",
    "patternProperties",
    "additionalProperties",
    "required",
    "items",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "const",
    "enum",
    "anyOf",
    "oneOf",
    "allOf",
];

/// One validation failure, with what the linter needs to explain it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fault {
    /// No branch of an `anyOf`/`oneOf` accepts the value: each branch's faults.
    Branches {
        /// Where, in the instance.
        path: Path,
        /// The faults of every branch, in order.
        branches: Vec<Vec<Fault>>,
    },
    /// Keys `additionalProperties: false` refuses (in the instance's order).
    Unknown {
        /// The map.
        path: Path,
        /// The keys.
        keys: Vec<String>,
    },
    /// A value of another type: the expected type names.
    Type {
        /// Where.
        path: Path,
        /// Expected types, in `jsonschema`'s order.
        names: Vec<String>,
    },
    /// A value outside `const`/`enum`.
    Enum {
        /// Where.
        path: Path,
        /// The allowed values.
        options: Vec<Value>,
    },
    /// A number, text or list out of range: the bound in words.
    Range {
        /// Where.
        path: Path,
        /// The bound (`at least 0`).
        what: String,
    },
    /// Text that does not match `pattern`.
    Pattern {
        /// Where.
        path: Path,
        /// The pattern.
        pattern: String,
    },
    /// Anything else, in `jsonschema`'s words.
    Other {
        /// Where.
        path: Path,
        /// The message.
        message: String,
    },
}

/// A schema ready to judge values: the schema, and its patterns compiled
/// as they are first needed.
#[derive(Debug)]
pub(crate) struct Evaluator<'s> {
    root: &'s Value,
    regexes: Mutex<HashMap<&'s str, Option<Regex>>>,
}

/// The JSON types in the order `jsonschema` lists them.
const TYPE_ORDER: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

impl<'s> Evaluator<'s> {
    /// An evaluator of `root`.
    pub fn new(root: &'s Value) -> Evaluator<'s> {
        Evaluator {
            root,
            regexes: Mutex::new(HashMap::new()),
        }
    }

    /// Every fault of `instance`.
    pub fn faults(&self, instance: &Value) -> Vec<Fault> {
        let mut out = Vec::new();
        let mut path = Path::root();
        self.eval(self.root, instance, &mut path, &mut out, 0);
        out
    }

    /// The schema a local `$ref` (`#/definitions/Name`) points at. The
    /// models' references need no JSON-pointer unescaping, so each segment
    /// is looked up as it is (a `~` falls back to the full pointer rules).
    fn resolve(&self, reference: &str) -> Option<&'s Value> {
        let pointer = reference.strip_prefix('#')?;
        if pointer.contains('~') {
            return self.root.pointer(pointer);
        }
        pointer
            .split('/')
            .skip(1)
            .try_fold(self.root, |v, seg| match v {
                Value::Object(m) => m.get(seg),
                Value::Array(a) => a.get(seg.parse::<usize>().ok()?),
                _ => None,
            })
    }

    /// Whether `text` matches `pattern` (a pattern that is no regular
    /// expression matches everything: the tests keep the schemas' valid).
    fn matches(&self, pattern: &'s str, text: &str) -> bool {
        let mut cache = self
            .regexes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(pattern)
            .or_insert_with(|| Regex::new(pattern).ok())
            .as_ref()
            .is_none_or(|r| r.is_match(text))
    }

    /// Whether `instance` passes `schema`, without collecting anything.
    fn valid(&self, schema: &'s Value, instance: &Value, depth: usize) -> bool {
        let mut faults = Vec::new();
        let mut path = Path::root();
        self.eval(schema, instance, &mut path, &mut faults, depth);
        faults.is_empty()
    }

    fn eval(
        &self,
        schema: &'s Value,
        instance: &Value,
        path: &mut Path,
        out: &mut Vec<Fault>,
        depth: usize,
    ) {
        let map = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                out.push(Fault::Other {
                    path: path.clone(),
                    message: format!("False schema does not allow {instance}"),
                });
                return;
            }
            Value::Object(map) => map,
            _ => return,
        };
        // A reference cycle the instance does not end would be a bug in
        // the models; stop rather than overflow.
        if depth > 256 {
            return;
        }
        let kw = Keywords::of(map);
        if let Some(reference) = kw.reference {
            if let Some(target) = self.resolve(reference) {
                self.eval(target, instance, path, out, depth + 1);
            }
            return;
        }
        if let Some(t) = kw.ty {
            self.check_type(t, instance, path, out);
        }
        if let Some(c) = kw.konst
            && !equal(c, instance)
        {
            out.push(Fault::Enum {
                path: path.clone(),
                options: vec![c.clone()],
            });
        }
        if let Some(options) = kw.enumeration
            && !options.iter().any(|o| equal(o, instance))
        {
            out.push(Fault::Enum {
                path: path.clone(),
                options: options.clone(),
            });
        }
        match instance {
            Value::Object(object) => self.object(&kw, object, path, out, depth),
            Value::Array(items) => self.array(&kw, items, path, out, depth),
            Value::Number(n) => number(&kw, n, path, out),
            Value::String(s) => self.string(&kw, s, path, out),
            _ => {}
        }
        if let Some(branches) = kw.all_of {
            for b in branches {
                self.eval(b, instance, path, out, depth + 1);
            }
        }
        if let Some(branches) = kw.any_of
            && !branches.iter().any(|b| self.valid(b, instance, depth + 1))
        {
            out.push(self.branches(branches, instance, path, depth));
        }
        if let Some(branches) = kw.one_of {
            let valid = branches
                .iter()
                .filter(|b| self.valid(b, instance, depth + 1))
                .take(2)
                .count();
            match valid {
                1 => {}
                0 => out.push(self.branches(branches, instance, path, depth)),
                _ => out.push(Fault::Other {
                    path: path.clone(),
                    message: format!(
                        "{instance} is valid under more than one of the schemas listed in the 'oneOf' keyword"
                    ),
                }),
            }
        }
    }

    fn branches(
        &self,
        branches: &'s [Value],
        instance: &Value,
        path: &mut Path,
        depth: usize,
    ) -> Fault {
        let all = branches
            .iter()
            .map(|b| {
                let mut faults = Vec::new();
                self.eval(b, instance, path, &mut faults, depth + 1);
                faults
            })
            .collect();
        Fault::Branches {
            path: path.clone(),
            branches: all,
        }
    }

    fn check_type(&self, t: &Value, instance: &Value, path: &Path, out: &mut Vec<Fault>) {
        let names: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        if names.iter().any(|n| is_type(n, instance)) {
            return;
        }
        let mut ordered: Vec<String> = TYPE_ORDER
            .iter()
            .filter(|t| names.contains(t))
            .map(|t| (*t).to_owned())
            .collect();
        if let Value::String(s) = t {
            ordered = vec![s.clone()];
        }
        out.push(Fault::Type {
            path: path.clone(),
            names: ordered,
        });
    }

    fn object(
        &self,
        kw: &Keywords<'s>,
        object: &Map<String, Value>,
        path: &mut Path,
        out: &mut Vec<Fault>,
        depth: usize,
    ) {
        if let Some(required) = kw.required {
            for name in required {
                if let Value::String(n) = name
                    && !object.contains_key(n)
                {
                    out.push(Fault::Other {
                        path: path.clone(),
                        message: format!("{name} is a required property"),
                    });
                }
            }
        }
        let (props, patterns, additional) = (kw.properties, kw.pattern_properties, kw.additional);
        let mut unknown = Vec::new();
        for (key, value) in object {
            let mut named = false;
            if let Some(sub) = props.and_then(|p| p.get(key)) {
                named = true;
                path.push(Segment::Key(key.clone()));
                self.eval(sub, value, path, out, depth + 1);
                path.0.pop();
            }
            if let Some(patterns) = patterns {
                for (pattern, sub) in patterns {
                    if self.matches(pattern, key) {
                        named = true;
                        path.push(Segment::Key(key.clone()));
                        self.eval(sub, value, path, out, depth + 1);
                        path.0.pop();
                    }
                }
            }
            if named {
                continue;
            }
            match additional {
                Some(Value::Bool(false)) => unknown.push(key.clone()),
                Some(sub @ Value::Object(_)) => {
                    path.push(Segment::Key(key.clone()));
                    self.eval(sub, value, path, out, depth + 1);
                    path.0.pop();
                }
                _ => {}
            }
        }
        if !unknown.is_empty() {
            out.push(Fault::Unknown {
                path: path.clone(),
                keys: unknown,
            });
        }
    }

    fn array(
        &self,
        kw: &Keywords<'s>,
        items: &[Value],
        path: &mut Path,
        out: &mut Vec<Fault>,
        depth: usize,
    ) {
        if let Some(limit) = kw.max_items
            && items.len() as u64 > limit
        {
            out.push(Fault::Range {
                path: path.clone(),
                what: format!("a list of at most {limit} items"),
            });
        }
        if let Some(limit) = kw.min_items
            && (items.len() as u64) < limit
        {
            out.push(Fault::Range {
                path: path.clone(),
                what: format!("a list of at least {limit} items"),
            });
        }
        match kw.items {
            Some(Value::Array(tuple)) => {
                for (i, (sub, item)) in tuple.iter().zip(items).enumerate() {
                    path.push(Segment::Index(i));
                    self.eval(sub, item, path, out, depth + 1);
                    path.0.pop();
                }
            }
            Some(sub) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Segment::Index(i));
                    self.eval(sub, item, path, out, depth + 1);
                    path.0.pop();
                }
            }
            None => {}
        }
    }

    fn string(&self, kw: &Keywords<'s>, s: &str, path: &Path, out: &mut Vec<Fault>) {
        let chars = || s.chars().count() as u64;
        if let Some(limit) = kw.min_length
            && chars() < limit
        {
            out.push(Fault::Range {
                path: path.clone(),
                what: format!("at least {limit} characters long"),
            });
        }
        if let Some(limit) = kw.max_length
            && chars() > limit
        {
            out.push(Fault::Range {
                path: path.clone(),
                what: format!("at most {limit} characters long"),
            });
        }
        if let Some(pattern) = kw.pattern
            && !self.matches(pattern, s)
        {
            out.push(Fault::Pattern {
                path: path.clone(),
                pattern: pattern.to_owned(),
            });
        }
    }
}

fn number(kw: &Keywords<'_>, n: &Number, path: &Path, out: &mut Vec<Fault>) {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let bounds: [(Option<&Number>, &[std::cmp::Ordering], &str); 4] = [
        (kw.minimum, &[Less], "at least"),
        (kw.maximum, &[Greater], "at most"),
        (kw.exclusive_minimum, &[Less, Equal], "more than"),
        (kw.exclusive_maximum, &[Greater, Equal], "less than"),
    ];
    for (limit, refused, words) in bounds {
        let Some(limit) = limit else { continue };
        if compare(n, limit).is_some_and(|o| refused.contains(&o)) {
            out.push(Fault::Range {
                path: path.clone(),
                what: format!("{words} {limit}"),
            });
        }
    }
}

/// The keywords of one schema map, read in one pass (no lookups by name).
#[derive(Default)]
struct Keywords<'s> {
    reference: Option<&'s str>,
    ty: Option<&'s Value>,
    konst: Option<&'s Value>,
    enumeration: Option<&'s Vec<Value>>,
    properties: Option<&'s Map<String, Value>>,
    pattern_properties: Option<&'s Map<String, Value>>,
    additional: Option<&'s Value>,
    required: Option<&'s Vec<Value>>,
    items: Option<&'s Value>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    minimum: Option<&'s Number>,
    maximum: Option<&'s Number>,
    exclusive_minimum: Option<&'s Number>,
    exclusive_maximum: Option<&'s Number>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<&'s str>,
    all_of: Option<&'s Vec<Value>>,
    any_of: Option<&'s Vec<Value>>,
    one_of: Option<&'s Vec<Value>>,
}

impl<'s> Keywords<'s> {
    fn of(map: &'s Map<String, Value>) -> Keywords<'s> {
        let mut kw = Keywords::default();
        for (k, v) in map {
            match (k.as_str(), v) {
                ("$ref", Value::String(r)) => kw.reference = Some(r),
                ("type", _) => kw.ty = Some(v),
                ("const", _) => kw.konst = Some(v),
                ("enum", Value::Array(a)) => kw.enumeration = Some(a),
                ("properties", Value::Object(m)) => kw.properties = Some(m),
                ("patternProperties", Value::Object(m)) => kw.pattern_properties = Some(m),
                ("additionalProperties", _) => kw.additional = Some(v),
                ("required", Value::Array(a)) => kw.required = Some(a),
                ("items", _) => kw.items = Some(v),
                ("minItems", _) => kw.min_items = v.as_u64(),
                ("maxItems", _) => kw.max_items = v.as_u64(),
                ("minimum", Value::Number(n)) => kw.minimum = Some(n),
                ("maximum", Value::Number(n)) => kw.maximum = Some(n),
                ("exclusiveMinimum", Value::Number(n)) => kw.exclusive_minimum = Some(n),
                ("exclusiveMaximum", Value::Number(n)) => kw.exclusive_maximum = Some(n),
                ("minLength", _) => kw.min_length = v.as_u64(),
                ("maxLength", _) => kw.max_length = v.as_u64(),
                ("pattern", Value::String(p)) => kw.pattern = Some(p),
                ("allOf", Value::Array(a)) => kw.all_of = Some(a),
                ("anyOf", Value::Array(a)) => kw.any_of = Some(a),
                ("oneOf", Value::Array(a)) => kw.one_of = Some(a),
                _ => {}
            }
        }
        kw
    }
}

/// Compares two JSON numbers by value (`1` and `1.0` are equal).
fn compare(a: &Number, b: &Number) -> Option<std::cmp::Ordering> {
    let exact = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (exact(a), exact(b)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// Whether `instance` is of the JSON type `name` (an integer is also a
/// number; a number without a fraction is an integer, as in draft 7).
fn is_type(name: &str, instance: &Value) -> bool {
    match (name, instance) {
        ("null", Value::Null)
        | ("boolean", Value::Bool(_))
        | ("string", Value::String(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_))
        | ("number", Value::Number(_)) => true,
        ("integer", Value::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// JSON equality with numbers compared by value.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare(x, y) == Some(std::cmp::Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}
