//! A validator for the draft-07 keywords the models' schemas use, read
//! straight from the schema. Nothing is compiled: building an evaluator
//! only sorts each schema map's keywords into a table once (one pass over
//! the schema, a fraction of what parsing it costs; references resolved,
//! `properties` indexed with a cheap hash, patterns compiled on first use),
//! so checking one file costs as much as the file has values, not as much
//! as the chart's schema has nodes (compiling the 6.3.1 service schema with
//! a general-purpose validator costs more than reading and checking a
//! 2,000-line file).
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
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Number, Value};

use crate::path::{Path, Trail};

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

/// A schema ready to judge values: the schema, the keywords of each of its
/// schema maps sorted into a table (by the map's address), and its
/// patterns, compiled as they are first needed.
#[derive(Debug)]
pub(crate) struct Evaluator<'s> {
    root: &'s Value,
    /// The keywords of every schema map reachable from the root, by address.
    tables: HashMap<usize, Keywords<'s>, Fx>,
    /// Each distinct pattern's regular expression (`None`: not one), compiled on first use.
    regexes: Vec<OnceLock<Option<Regex>>>,
}

/// The JSON types in the order `jsonschema` lists them.
const TYPE_ORDER: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

impl<'s> Evaluator<'s> {
    /// An evaluator of `root`.
    pub fn new(root: &'s Value) -> Evaluator<'s> {
        let mut tables: HashMap<usize, Keywords<'s>, Fx> = HashMap::default();
        let mut patterns: HashMap<&'s str, usize, Fx> = HashMap::default();
        let mut stack = vec![root];
        while let Some(schema) = stack.pop() {
            let Value::Object(map) = schema else { continue };
            if tables.contains_key(&address(map)) {
                continue;
            }
            let kw = Keywords::of(root, map, &mut patterns);
            stack.extend(kw.subschemas(map));
            tables.insert(address(map), kw);
        }
        Evaluator {
            root,
            tables,
            regexes: (0..patterns.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Every fault of `instance`.
    pub fn faults(&self, instance: &Value) -> Vec<Fault> {
        let mut out = Vec::new();
        let mut path = Trail::default();
        self.eval(self.root, instance, &mut path, &mut out, 0);
        out
    }

    /// Whether `text` matches pattern number `slot` (a pattern that is no
    /// regular expression matches everything: the tests keep the schemas' valid).
    fn matches(&self, slot: usize, pattern: &str, text: &str) -> bool {
        self.regexes[slot]
            .get_or_init(|| Regex::new(pattern).ok())
            .as_ref()
            .is_none_or(|r| r.is_match(text))
    }

    /// Whether `instance` passes `schema`, without collecting anything.
    fn valid<'v>(&self, schema: &'s Value, instance: &'v Value, depth: usize) -> bool {
        let mut faults = Vec::new();
        let mut path = Trail::default();
        self.eval(schema, instance, &mut path, &mut faults, depth);
        faults.is_empty()
    }

    fn eval<'v>(
        &self,
        schema: &'s Value,
        instance: &'v Value,
        path: &mut Trail<'v>,
        out: &mut Vec<Fault>,
        depth: usize,
    ) {
        let map = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                out.push(Fault::Other {
                    path: path.path(),
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
        let Some(kw) = self.tables.get(&address(map)) else {
            // Every schema map reachable from the root is in the table; a
            // map that is not is no schema of ours.
            return;
        };
        if let Some(reference) = kw.reference {
            if let Some(target) = reference {
                self.eval(target, instance, path, out, depth + 1);
            }
            return;
        }
        if let Some(t) = &kw.ty {
            check_type(t, instance, path, out);
        }
        if let Some(c) = kw.konst
            && !equal(c, instance)
        {
            out.push(Fault::Enum {
                path: path.path(),
                options: vec![c.clone()],
            });
        }
        if let Some(options) = kw.enumeration
            && !options.iter().any(|o| equal(o, instance))
        {
            out.push(Fault::Enum {
                path: path.path(),
                options: options.clone(),
            });
        }
        match instance {
            Value::Object(object) => self.object(kw, object, path, out, depth),
            Value::Array(items) => self.array(kw, items, path, out, depth),
            Value::Number(n) => number(kw, n, path, out),
            Value::String(s) => self.string(kw, s, path, out),
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
                    path: path.path(),
                    message: format!(
                        "{instance} is valid under more than one of the schemas listed in the 'oneOf' keyword"
                    ),
                }),
            }
        }
    }

    fn branches<'v>(
        &self,
        branches: &'s [Value],
        instance: &'v Value,
        path: &mut Trail<'v>,
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
            path: path.path(),
            branches: all,
        }
    }

    fn object<'v>(
        &self,
        kw: &Keywords<'s>,
        object: &'v Map<String, Value>,
        path: &mut Trail<'v>,
        out: &mut Vec<Fault>,
        depth: usize,
    ) {
        if let Some(required) = kw.required {
            for name in required {
                if let Value::String(n) = name
                    && !object.contains_key(n)
                {
                    out.push(Fault::Other {
                        path: path.path(),
                        message: format!("{name} is a required property"),
                    });
                }
            }
        }
        let (props, patterns, additional) = (&kw.properties, &kw.pattern_properties, kw.additional);
        let mut unknown = Vec::new();
        for (key, value) in object {
            let mut named = false;
            if let Some(sub) = props.as_ref().and_then(|p| p.get(key.as_str())) {
                named = true;
                path.key(key);
                self.eval(sub, value, path, out, depth + 1);
                path.pop();
            }
            if let Some(patterns) = patterns {
                for &(slot, pattern, sub) in patterns {
                    if self.matches(slot, pattern, key) {
                        named = true;
                        path.key(key);
                        self.eval(sub, value, path, out, depth + 1);
                        path.pop();
                    }
                }
            }
            if named {
                continue;
            }
            match additional {
                Some(Value::Bool(false)) => unknown.push(key.clone()),
                Some(sub @ Value::Object(_)) => {
                    path.key(key);
                    self.eval(sub, value, path, out, depth + 1);
                    path.pop();
                }
                _ => {}
            }
        }
        if !unknown.is_empty() {
            out.push(Fault::Unknown {
                path: path.path(),
                keys: unknown,
            });
        }
    }

    fn array<'v>(
        &self,
        kw: &Keywords<'s>,
        items: &'v [Value],
        path: &mut Trail<'v>,
        out: &mut Vec<Fault>,
        depth: usize,
    ) {
        if let Some(limit) = kw.max_items
            && items.len() as u64 > limit
        {
            out.push(Fault::Range {
                path: path.path(),
                what: format!("a list of at most {limit} items"),
            });
        }
        if let Some(limit) = kw.min_items
            && (items.len() as u64) < limit
        {
            out.push(Fault::Range {
                path: path.path(),
                what: format!("a list of at least {limit} items"),
            });
        }
        match kw.items {
            Some(Value::Array(tuple)) => {
                for (i, (sub, item)) in tuple.iter().zip(items).enumerate() {
                    path.index(i);
                    self.eval(sub, item, path, out, depth + 1);
                    path.pop();
                }
            }
            Some(sub) => {
                for (i, item) in items.iter().enumerate() {
                    path.index(i);
                    self.eval(sub, item, path, out, depth + 1);
                    path.pop();
                }
            }
            None => {}
        }
    }

    fn string(&self, kw: &Keywords<'s>, s: &str, path: &Trail<'_>, out: &mut Vec<Fault>) {
        let chars = || s.chars().count() as u64;
        if let Some(limit) = kw.min_length
            && chars() < limit
        {
            out.push(Fault::Range {
                path: path.path(),
                what: format!("at least {limit} characters long"),
            });
        }
        if let Some(limit) = kw.max_length
            && chars() > limit
        {
            out.push(Fault::Range {
                path: path.path(),
                what: format!("at most {limit} characters long"),
            });
        }
        if let Some((slot, pattern)) = kw.pattern
            && !self.matches(slot, pattern, s)
        {
            out.push(Fault::Pattern {
                path: path.path(),
                pattern: pattern.to_owned(),
            });
        }
    }
}

fn number(kw: &Keywords<'_>, n: &Number, path: &Trail<'_>, out: &mut Vec<Fault>) {
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
                path: path.path(),
                what: format!("{words} {limit}"),
            });
        }
    }
}

/// The keywords of one schema map, sorted out once when the evaluator is built.
#[derive(Debug, Default)]
struct Keywords<'s> {
    /// `$ref`, resolved (`Some(None)`: a reference to nothing, which passes).
    reference: Option<Option<&'s Value>>,
    ty: Option<Types>,
    konst: Option<&'s Value>,
    enumeration: Option<&'s Vec<Value>>,
    properties: Option<HashMap<&'s str, &'s Value, Fx>>,
    /// Pattern slot, pattern and schema of each `patternProperties` entry, in order.
    pattern_properties: Option<Vec<(usize, &'s str, &'s Value)>>,
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
    /// Pattern slot and pattern.
    pattern: Option<(usize, &'s str)>,
    all_of: Option<&'s Vec<Value>>,
    any_of: Option<&'s Vec<Value>>,
    one_of: Option<&'s Vec<Value>>,
}

/// A `type` keyword: the accepted types as bits of [`TYPE_ORDER`], and the
/// names a fault reports.
#[derive(Debug)]
struct Types {
    accepted: u8,
    names: Vec<String>,
}

impl Types {
    fn of(t: &Value) -> Option<Types> {
        let names: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            _ => return None,
        };
        let accepted = TYPE_ORDER
            .iter()
            .enumerate()
            .filter(|(_, t)| names.contains(t))
            .fold(0u8, |bits, (i, _)| bits | 1 << i);
        let names = match t {
            Value::String(s) => vec![s.clone()],
            _ => TYPE_ORDER
                .iter()
                .filter(|t| names.contains(t))
                .map(|t| (*t).to_owned())
                .collect(),
        };
        Some(Types { accepted, names })
    }
}

/// The bits of [`TYPE_ORDER`] an instance is of (an integer is also a
/// number; a number without a fraction is an integer, as in draft 7).
fn type_bits(instance: &Value) -> u8 {
    match instance {
        Value::Null => 1,
        Value::Bool(_) => 1 << 1,
        Value::Number(n) => {
            let integral = n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
            1 << 3 | if integral { 1 << 2 } else { 0 }
        }
        Value::String(_) => 1 << 4,
        Value::Array(_) => 1 << 5,
        Value::Object(_) => 1 << 6,
    }
}

fn check_type(t: &Types, instance: &Value, path: &Trail<'_>, out: &mut Vec<Fault>) {
    if t.accepted & type_bits(instance) != 0 {
        return;
    }
    out.push(Fault::Type {
        path: path.path(),
        names: t.names.clone(),
    });
}

impl<'s> Keywords<'s> {
    /// Reads the keywords of `map`, a schema map of `root`; `patterns`
    /// numbers the distinct patterns.
    fn of(
        root: &'s Value,
        map: &'s Map<String, Value>,
        patterns: &mut HashMap<&'s str, usize, Fx>,
    ) -> Keywords<'s> {
        let mut slot = |p: &'s str| {
            let next = patterns.len();
            *patterns.entry(p).or_insert(next)
        };
        let mut kw = Keywords::default();
        for (k, v) in map {
            match (k.as_str(), v) {
                ("$ref", Value::String(r)) => kw.reference = Some(resolve(root, r)),
                ("type", _) => kw.ty = Types::of(v),
                ("const", _) => kw.konst = Some(v),
                ("enum", Value::Array(a)) => kw.enumeration = Some(a),
                ("properties", Value::Object(m)) => {
                    kw.properties = Some(m.iter().map(|(k, v)| (k.as_str(), v)).collect())
                }
                ("patternProperties", Value::Object(m)) => {
                    kw.pattern_properties =
                        Some(m.iter().map(|(p, v)| (slot(p), p.as_str(), v)).collect())
                }
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
                ("pattern", Value::String(p)) => kw.pattern = Some((slot(p), p.as_str())),
                ("allOf", Value::Array(a)) => kw.all_of = Some(a),
                ("anyOf", Value::Array(a)) => kw.any_of = Some(a),
                ("oneOf", Value::Array(a)) => kw.one_of = Some(a),
                _ => {}
            }
        }
        kw
    }

    /// The schemas these keywords may evaluate next (read from `map`, the
    /// keywords' map).
    fn subschemas(&self, map: &'s Map<String, Value>) -> Vec<&'s Value> {
        let mut out: Vec<&'s Value> = Vec::new();
        if let Some(Some(target)) = self.reference {
            out.push(target);
            // Draft 7 ignores a `$ref`'s siblings.
            return out;
        }
        if let Some(Value::Object(m)) = map.get("properties") {
            out.extend(m.values());
        }
        if let Some(p) = &self.pattern_properties {
            out.extend(p.iter().map(|(_, _, v)| *v));
        }
        out.extend(self.additional);
        match self.items {
            Some(Value::Array(tuple)) => out.extend(tuple),
            Some(v) => out.push(v),
            None => {}
        }
        for branches in [self.all_of, self.any_of, self.one_of]
            .into_iter()
            .flatten()
        {
            out.extend(branches);
        }
        out
    }
}

/// The schema a local `$ref` (`#/definitions/Name`) of `root` points at.
/// The models' references need no JSON-pointer unescaping, so each segment
/// is looked up as it is (a `~` falls back to the full pointer rules).
fn resolve<'s>(root: &'s Value, reference: &str) -> Option<&'s Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.contains('~') {
        return root.pointer(pointer);
    }
    pointer.split('/').skip(1).try_fold(root, |v, seg| match v {
        Value::Object(m) => m.get(seg),
        Value::Array(a) => a.get(seg.parse::<usize>().ok()?),
        _ => None,
    })
}

/// The address of a schema map: its key in [`Evaluator`]'s table.
fn address(map: &Map<String, Value>) -> usize {
    std::ptr::from_ref(map) as usize
}

/// A small, fast, non-cryptographic hasher for the evaluator's tables (the
/// keys are schema addresses and property names of our own schemas, not
/// input an attacker chooses): the multiply-rotate scheme of rustc's FxHash.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher(u64);

type Fx = BuildHasherDefault<FxHasher>;

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
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
