//! Checks a value against the JSON Schema generated from the models,
//! reading it the way the service reads it, and reports every problem at
//! its path.
//!
//! The schema is the one source of truth (it comes from the typed models);
//! this walker understands the keywords schemars emits, accepts numbers and
//! booleans the way Pydantic's lax mode does, runs the service's own text
//! checks (`x-osmo-check`) and the linter's advice (`x-osmo-advice`), and
//! treats a mapping naming a Kubernetes Secret (`secretName`, `secret_file`)
//! as the service does: its keys come from the Secret at start, so only the
//! keys written beside the reference are checked.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::formats::{self, Check};
use super::lax;
use crate::path::{Path, Segment};

/// Advice on a value the service accepts at start but cannot use later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advice {
    /// A duration the service parses when it uses it.
    Duration,
    /// A duration, or empty for "the `workflow` section's".
    DurationOrEmpty,
    /// A bucket mode: `read-only` or `read-write`.
    BucketMode,
}

impl Advice {
    fn from_name(name: &str) -> Option<Advice> {
        match name {
            "duration" => Some(Advice::Duration),
            "duration-or-empty" => Some(Advice::DurationOrEmpty),
            "bucket-mode" => Some(Advice::BucketMode),
            _ => None,
        }
    }

    fn check(self, text: &str) -> Result<(), String> {
        match self {
            Advice::Duration => formats::duration(text),
            Advice::DurationOrEmpty if text.is_empty() => Ok(()),
            Advice::DurationOrEmpty => formats::duration(text),
            Advice::BucketMode if text == "read-only" || text == "read-write" => Ok(()),
            Advice::BucketMode => Err(
                "is not `read-only` or `read-write`; the service then refuses every read \
                 and write to the bucket"
                    .into(),
            ),
        }
    }
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// A key the model refuses; the known keys of the map.
    Unknown(Vec<String>),
    /// A key the model silently ignores; the known keys of the map.
    Ignored(Vec<String>),
    /// A value of another type; the accepted types.
    Type(Vec<String>),
    /// A value outside a closed set; the accepted values.
    Enum(Vec<Value>),
    /// A number, list or text out of range; what it must do, in words
    /// ("be greater than 0", "have at least 1 item").
    Range(String),
    /// A required key is missing (the path is the map).
    Required(String),
    /// Text the service's own check refuses.
    Format(Check, String),
    /// Keys that may not be given together.
    Conflict(Vec<String>),
    /// Accepted at start, but unusable when the service uses it.
    Advice(Advice, String),
}

impl IssueKind {
    /// Whether the service refuses the value (advice and ignored keys do not).
    pub fn rejects(&self) -> bool {
        !matches!(self, IssueKind::Ignored(_) | IssueKind::Advice(..))
    }
}

/// One problem at a path (relative to the value validated).
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Where.
    pub path: Path,
    /// What.
    pub kind: IssueKind,
}

/// Whether the service's secret resolution walks into a value.
#[derive(Debug, Clone, Copy)]
pub struct Reach {
    /// The loader looks at this value's keys.
    pub walked: bool,
    /// This value, if a mapping, may be a Secret reference.
    pub may_be_secret: bool,
}

impl Reach {
    /// The root of a section: its keys are walked, it is not replaced.
    pub const SECTION: Reach = Reach {
        walked: true,
        may_be_secret: false,
    };
    /// Not walked at all (inside a list, or outside the ConfigMap).
    pub const NONE: Reach = Reach {
        walked: false,
        may_be_secret: false,
    };
    fn child(self) -> Reach {
        Reach {
            walked: self.walked,
            may_be_secret: self.walked,
        }
    }
}

/// Python truthiness of a YAML value.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Whether the service reads this mapping from a Secret at start.
pub fn is_secret_reference(map: &Map<String, Value>) -> bool {
    map.get("secret_file").is_some_and(truthy) || map.get("secretName").is_some_and(truthy)
}

/// The keys of a Secret reference, removed once the Secret is read.
pub const SECRET_KEYS: [&str; 3] = ["secretName", "secretKey", "secret_file"];

/// A validator over one generated schema (with its `definitions`).
pub struct Validator<'s> {
    root: &'s Value,
}

impl<'s> Validator<'s> {
    /// A validator for `root`, a schema generated by schemars.
    pub fn new(root: &'s Value) -> Self {
        Validator { root }
    }

    /// Validates `value` against the root schema.
    pub fn validate_root(&self, value: &Value, reach: Reach) -> Vec<Issue> {
        let mut out = Vec::new();
        self.validate(self.root, value, &mut Path::root(), reach, false, &mut out);
        out
    }

    /// Validates `value` against `schema`, a part of the root schema.
    pub fn validate_schema(&self, schema: &'s Value, value: &Value, reach: Reach) -> Vec<Issue> {
        let mut out = Vec::new();
        self.validate(schema, value, &mut Path::root(), reach, false, &mut out);
        out
    }

    /// Validates `value` against the definition `name` of the root schema.
    pub fn validate_definition(&self, name: &str, value: &Value, reach: Reach) -> Vec<Issue> {
        let mut out = Vec::new();
        if let Some(schema) = self.root.pointer(&format!("/definitions/{name}")) {
            self.validate(schema, value, &mut Path::root(), reach, false, &mut out);
        }
        out
    }

    /// `value` as the service's models turn it into plain JSON types where
    /// they accept it: `"50"` becomes `50` where a whole number is expected,
    /// `"yes"` becomes `true` where a boolean is. Values the models refuse
    /// are left as they are.
    ///
    /// ```
    /// use serde_json::json;
    /// use osmo_values::configs::{document_schema, validate::Validator};
    /// let schema = document_schema();
    /// let v = Validator::new(schema);
    /// let doc = json!({"workflow": {"max_num_tasks": "50", "default_exec_timeout": "7d"}});
    /// assert_eq!(v.coerce(schema, &doc),
    ///            json!({"workflow": {"max_num_tasks": 50, "default_exec_timeout": "7d"}}));
    /// ```
    pub fn coerce(&self, schema: &'s Value, value: &Value) -> Value {
        let Some(s) = schema.as_object() else {
            return value.clone();
        };
        if let Some(Value::String(r)) = s.get("$ref")
            && let Some(target) = self.resolve(r)
        {
            return self.coerce(target, value);
        }
        if let Some(Value::Array(all)) = s.get("allOf") {
            return all
                .iter()
                .fold(value.clone(), |v, sub| self.coerce(sub, &v));
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = s.get(key) {
                let fits = branches.iter().find(|b| {
                    let mut found = Vec::new();
                    self.validate(b, value, &mut Path::root(), Reach::NONE, false, &mut found);
                    !found.iter().any(|i| i.kind.rejects())
                });
                return fits.map_or_else(|| value.clone(), |b| self.coerce(b, value));
            }
        }
        match value {
            Value::Object(map) => {
                let props = s.get("properties").and_then(Value::as_object);
                let extra = s.get("additionalProperties").filter(|e| e.is_object());
                Value::Object(
                    map.iter()
                        .map(|(k, v)| {
                            let sub = props.and_then(|p| p.get(k)).or(extra);
                            (
                                k.clone(),
                                sub.map_or_else(|| v.clone(), |sub| self.coerce(sub, v)),
                            )
                        })
                        .collect(),
                )
            }
            Value::Array(items) => match s.get("items") {
                Some(sub) => Value::Array(items.iter().map(|i| self.coerce(sub, i)).collect()),
                None => value.clone(),
            },
            scalar => {
                let Some(t) = s.get("type") else {
                    return scalar.clone();
                };
                let names = type_names(t);
                let strict = names.iter().any(|n| match n.as_str() {
                    "string" => scalar.is_string(),
                    "integer" => scalar.as_f64().is_some_and(|f| f.fract() == 0.0),
                    "number" => scalar.is_number(),
                    "boolean" => scalar.is_boolean(),
                    "null" => scalar.is_null(),
                    _ => false,
                });
                if strict {
                    return scalar.clone();
                }
                for n in &names {
                    let coerced = match n.as_str() {
                        "integer" => lax::int(scalar)
                            .and_then(|i| i64::try_from(i).ok())
                            .map(Value::from),
                        "number" => lax::float(scalar)
                            .and_then(serde_json::Number::from_f64)
                            .map(Value::Number),
                        "boolean" => lax::boolean(scalar).map(Value::Bool),
                        _ => None,
                    };
                    if let Some(c) = coerced {
                        return c;
                    }
                }
                scalar.clone()
            }
        }
    }

    fn resolve(&self, reference: &str) -> Option<&'s Value> {
        let pointer = reference.strip_prefix('#')?;
        self.root.pointer(pointer)
    }

    /// Validates; `partial` means a Secret supplies the missing keys.
    fn validate(
        &self,
        schema: &'s Value,
        value: &Value,
        path: &mut Path,
        reach: Reach,
        partial: bool,
        out: &mut Vec<Issue>,
    ) {
        let Some(s) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                out.push(issue(path, IssueKind::Type(Vec::new())));
            }
            return;
        };
        if let Some(Value::Object(map)) = Some(value)
            && reach.may_be_secret
            && !partial
            && is_secret_reference(map)
        {
            self.secret_reference(schema, map, path, out);
            return;
        }
        if let Some(Value::String(r)) = s.get("$ref")
            && let Some(target) = self.resolve(r)
        {
            self.validate(target, value, path, reach, partial, out);
        }
        if let Some(Value::Array(all)) = s.get("allOf") {
            for sub in all {
                self.validate(sub, value, path, reach, partial, out);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = s.get(key) {
                self.any_of(branches, value, path, reach, partial, out);
            }
        }
        if let Some(not) = s.get("not") {
            let mut inner = Vec::new();
            // Judged on the keys written, even beside a Secret reference.
            self.validate(not, value, path, reach, false, &mut inner);
            if !inner.iter().any(|i| i.kind.rejects()) {
                let keys = not
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| {
                        r.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(issue(path, IssueKind::Conflict(keys)));
            }
        }
        if partial && type_allows(s, "string") && !type_allows(s, "object") {
            // A Secret holding `{value: ...}` replaces the mapping with text.
            return;
        }
        if let Some(t) = s.get("type")
            && !type_matches(t, value)
        {
            out.push(issue(path, IssueKind::Type(type_names(t))));
            return;
        }
        if let Some(Value::Array(allowed)) = s.get("enum")
            && !allowed.contains(value)
        {
            out.push(issue(path, IssueKind::Enum(allowed.clone())));
            return;
        }
        if let Some(c) = s.get("const")
            && c != value
        {
            out.push(issue(path, IssueKind::Enum(vec![c.clone()])));
            return;
        }
        match value {
            Value::Object(map) => self.object(s, map, path, reach, partial, out),
            Value::Array(items) => {
                if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                    && (items.len() as u64) < min
                {
                    let unit = if min == 1 { "item" } else { "items" };
                    out.push(issue(
                        path,
                        IssueKind::Range(format!("have at least {min} {unit}")),
                    ));
                }
                if let Some(item_schema) = s.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        path.push(Segment::Index(i));
                        self.validate(item_schema, item, path, Reach::NONE, false, out);
                        path.0.pop();
                    }
                }
            }
            Value::String(text) => {
                if let Some(min) = s.get("minLength").and_then(Value::as_u64)
                    && (text.chars().count() as u64) < min
                {
                    out.push(issue(path, IssueKind::Range("not be empty".into())));
                    return;
                }
                if let Some(check) = s
                    .get("x-osmo-check")
                    .and_then(Value::as_str)
                    .and_then(Check::from_name)
                    && let Err(why) = check.check(text)
                {
                    out.push(issue(path, IssueKind::Format(check, why)));
                }
                if let Some(advice) = s
                    .get("x-osmo-advice")
                    .and_then(Value::as_str)
                    .and_then(Advice::from_name)
                    && let Err(why) = advice.check(text)
                {
                    out.push(issue(path, IssueKind::Advice(advice, why)));
                }
            }
            _ => {}
        }
        self.numeric_bounds(s, value, path, out);
    }

    fn numeric_bounds(
        &self,
        s: &Map<String, Value>,
        value: &Value,
        path: &Path,
        out: &mut Vec<Issue>,
    ) {
        let number = if type_allows(s, "integer") {
            lax::int(value).map(|i| i as f64)
        } else if type_allows(s, "number") {
            lax::float(value)
        } else {
            None
        };
        let Some(n) = number else { return };
        if let Some(min) = s.get("minimum").and_then(Value::as_f64)
            && !matches!(
                n.partial_cmp(&min),
                Some(Ordering::Greater | Ordering::Equal)
            )
        {
            out.push(issue(path, IssueKind::Range(format!("be at least {min}"))));
        }
        if let Some(min) = s.get("exclusiveMinimum").and_then(Value::as_f64)
            && n.partial_cmp(&min) != Some(Ordering::Greater)
        {
            out.push(issue(
                path,
                IssueKind::Range(format!("be greater than {min}")),
            ));
        }
        if let Some(max) = s.get("maximum").and_then(Value::as_f64)
            && !matches!(n.partial_cmp(&max), Some(Ordering::Less | Ordering::Equal))
        {
            out.push(issue(path, IssueKind::Range(format!("be at most {max}"))));
        }
    }

    fn object(
        &self,
        s: &'s Map<String, Value>,
        map: &Map<String, Value>,
        path: &mut Path,
        reach: Reach,
        partial: bool,
        out: &mut Vec<Issue>,
    ) {
        let props = s.get("properties").and_then(Value::as_object);
        if !partial && let Some(Value::Array(required)) = s.get("required") {
            for r in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(r) {
                    out.push(issue(path, IssueKind::Required(r.to_owned())));
                }
            }
        }
        let known = || -> Vec<String> {
            props
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default()
        };
        for (key, v) in map {
            path.push(Segment::Key(key.clone()));
            let child = reach.child();
            if let Some(prop) = props.and_then(|p| p.get(key)) {
                self.validate(prop, v, path, child, false, out);
            } else {
                match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => out.push(issue(path, IssueKind::Unknown(known()))),
                    Some(Value::Bool(true)) => {}
                    Some(extra @ Value::Object(_)) => {
                        self.validate(extra, v, path, child, false, out)
                    }
                    _ if props.is_some() => out.push(issue(path, IssueKind::Ignored(known()))),
                    _ => {}
                }
            }
            path.0.pop();
        }
    }

    /// A mapping the service fills from a Secret: check its name and the
    /// keys written beside it; the Secret supplies the rest.
    fn secret_reference(
        &self,
        schema: &'s Value,
        map: &Map<String, Value>,
        path: &mut Path,
        out: &mut Vec<Issue>,
    ) {
        for key in ["secretName", "secretKey", "secret_file"] {
            if let Some(v) = map.get(key)
                && truthy(v)
                && !v.is_string()
            {
                path.push(Segment::Key(key.into()));
                out.push(issue(path, IssueKind::Type(vec!["string".into()])));
                path.0.pop();
            }
        }
        let rest: Map<String, Value> = map
            .iter()
            .filter(|(k, _)| !SECRET_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let reach = Reach {
            walked: true,
            may_be_secret: false,
        };
        self.validate(schema, &Value::Object(rest), path, reach, true, out);
    }

    fn any_of(
        &self,
        branches: &'s [Value],
        value: &Value,
        path: &mut Path,
        reach: Reach,
        partial: bool,
        out: &mut Vec<Issue>,
    ) {
        let mut results: Vec<Vec<Issue>> = Vec::with_capacity(branches.len());
        for b in branches {
            let mut found = Vec::new();
            self.validate(b, value, path, reach, partial, &mut found);
            if !found.iter().any(|i| i.kind.rejects()) {
                out.extend(found);
                return;
            }
            results.push(found);
        }
        // Every branch fails. When each fails only at this value itself
        // (wrong type or value), say what would be accepted.
        let here_only = results.iter().all(|r| {
            r.iter().filter(|i| i.kind.rejects()).all(|i| {
                &i.path == path && matches!(i.kind, IssueKind::Type(_) | IssueKind::Enum(_))
            })
        });
        if here_only {
            let mut types: Vec<String> = Vec::new();
            let mut values: Vec<Value> = Vec::new();
            for r in &results {
                for i in r.iter().filter(|i| i.kind.rejects()) {
                    match &i.kind {
                        IssueKind::Type(t) => types.extend(t.iter().cloned()),
                        IssueKind::Enum(v) => values.extend(v.iter().cloned()),
                        _ => {}
                    }
                }
            }
            types.dedup();
            let only_values =
                types.is_empty() || (value_is_one_of(value, &types) && !values.is_empty());
            if !values.is_empty() && only_values {
                out.push(issue(path, IssueKind::Enum(values)));
                return;
            }
            if !types.is_empty() && values.is_empty() {
                let mut seen = Vec::new();
                for t in types {
                    if !seen.contains(&t) {
                        seen.push(t);
                    }
                }
                out.push(issue(path, IssueKind::Type(seen)));
                return;
            }
        }
        let best = results
            .into_iter()
            .min_by_key(|r| {
                let rejecting: Vec<&Issue> = r.iter().filter(|i| i.kind.rejects()).collect();
                let unknown = rejecting
                    .iter()
                    .filter(|i| matches!(i.kind, IssueKind::Unknown(_)))
                    .count();
                let mismatch = rejecting.iter().any(|i| {
                    &i.path == path && matches!(i.kind, IssueKind::Type(_) | IssueKind::Enum(_))
                });
                (mismatch, unknown, rejecting.len())
            })
            .unwrap_or_default();
        out.extend(best);
    }
}

fn issue(path: &Path, kind: IssueKind) -> Issue {
    Issue {
        path: path.clone(),
        kind,
    }
}

fn type_allows(s: &Map<String, Value>, name: &str) -> bool {
    match s.get("type") {
        Some(Value::String(t)) => t == name,
        Some(Value::Array(ts)) => ts.iter().any(|t| t == name),
        _ => false,
    }
}

fn type_names(t: &Value) -> Vec<String> {
    match t {
        Value::String(s) => vec![s.clone()],
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether `value` is of one of the JSON types, the service's lax way.
fn one_type(name: &str, value: &Value) -> bool {
    match name {
        "string" => value.is_string(),
        "integer" => lax::int(value).is_some(),
        "number" => lax::float(value).is_some(),
        "boolean" => lax::boolean(value).is_some(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        _ => true,
    }
}

fn type_matches(t: &Value, value: &Value) -> bool {
    type_names(t).iter().any(|n| one_type(n, value))
}

fn value_is_one_of(value: &Value, types: &[String]) -> bool {
    types.iter().any(|t| one_type(t, value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["backend"],
            "properties": {
                "backend": {"type": "string"},
                "count": {"type": "integer", "exclusiveMinimum": 0},
                "mode": {"type": "string", "enum": ["a", "b"]},
                "names": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "loose": {"type": "object", "properties": {"x": {"type": "boolean"}}},
                "when": {"type": "string", "x-osmo-advice": "duration"}
            }
        })
    }

    #[test]
    fn reports_each_problem_at_its_path() {
        let root = schema();
        let v = Validator::new(&root);
        let found = v.validate_root(
            &json!({"count": "0", "mode": "c", "names": [], "loose": {"x": "yes", "y": 1},
                    "when": "7", "typo": 1}),
            Reach::NONE,
        );
        let shown: Vec<String> = found
            .iter()
            .map(|i| format!("{} {:?}", i.path, i.kind))
            .collect();
        assert_eq!(shown.len(), 7, "{shown:#?}");
        assert!(shown[0].starts_with("(root) Required(\"backend\")"));
        assert!(shown.iter().any(|s| s.starts_with("count Range")));
        assert!(shown.iter().any(|s| s.starts_with("mode Enum")));
        assert!(shown.iter().any(|s| s.starts_with("names Range")));
        assert!(shown.iter().any(|s| s.starts_with("loose.y Ignored")));
        assert!(shown.iter().any(|s| s.starts_with("when Advice")));
        assert!(shown.iter().any(|s| s.starts_with("typo Unknown")));
    }

    #[test]
    fn secret_references_supply_missing_keys() {
        let root = json!({"type": "object", "properties": {"cred": {
            "type": "object", "additionalProperties": false, "required": ["key"],
            "properties": {"key": {"type": "string"}, "region": {"type": "string"}}}}});
        let v = Validator::new(&root);
        let ok = v.validate_root(
            &json!({"cred": {"secretName": "s", "region": "r"}}),
            Reach::SECTION,
        );
        assert!(ok.is_empty(), "{ok:?}");
        let bad = v.validate_root(
            &json!({"cred": {"secretName": "s", "regio": "r"}}),
            Reach::SECTION,
        );
        assert_eq!(bad.len(), 1);
        let unresolved = v.validate_root(
            &json!({"cred": {"secretName": "", "key": "k"}}),
            Reach::SECTION,
        );
        assert!(matches!(unresolved[0].kind, IssueKind::Unknown(_)));
    }
}
