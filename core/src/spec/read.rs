//! Reading a spec from JSON, with every problem of its shape (a wrong type,
//! an unknown key, a missing answer, a value outside a closed set) in the
//! operator's words, at the path of the field: "a port is a number from 1 to
//! 65535", not a parser's "invalid type: string, expected u16".
//!
//! The reader walks the spec's published JSON Schema
//! (`schemas/deployment-spec.schema.json`, which a test keeps equal to what
//! the models generate), so the words follow the models. Only a value the
//! walk finds nothing wrong with is handed to serde.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::{DeploymentSpec, SpecProblem};
use crate::chart::ModelError;
use crate::lint::suggest::closest;
use crate::path::{Path, Segment};

/// What a port is, in words: the one message for a port of the wrong type or out of range.
pub const PORT_MESSAGE: &str = "a port is a number from 1 to 65535";

/// What `postgres.password` and `redis.password` hold, for one given a password as text: the
/// spec says only whether there is one.
pub const PASSWORD_FLAG_MESSAGE: &str = "the spec holds no passwords (it can be committed): \
write true when the server asks for one, and give the password itself when generating \
(OSMO_DB_PASSWORD, OSMO_REDIS_PASSWORD) or in secrets.yaml; write false when it has none";

/// The committed JSON Schema of the spec, as text.
pub const SCHEMA_TEXT: &str = include_str!("../../../schemas/deployment-spec.schema.json");

/// The committed JSON Schema of the spec (parsed once). The browser wizard reads its fields,
/// defaults and hints from it; [`DeploymentSpec::schema`] generates the same from the models.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_TEXT).unwrap_or(Value::Null))
}

/// Every problem of the spec's shape, each at its field's path, in words. Empty when the
/// value can be read as a spec (then [`DeploymentSpec::validate`] judges the answers).
///
/// ```
/// use osmo_values::spec::read::shape_problems;
/// let found = shape_problems(&serde_json::json!({
///     "domain": "osmo.example.com",
///     "postgres": {"host": "db", "port": "abc"},
///     "redis": {"host": "r", "tlss": true},
/// }));
/// let words: Vec<String> = found.iter().map(ToString::to_string).collect();
/// assert_eq!(words, [
///     "postgres.port: a port is a number from 1 to 65535",
///     "redis.tlss: unknown key `tlss`; did you mean `tls`?",
/// ]);
/// ```
pub fn shape_problems(value: &Value) -> Vec<SpecProblem> {
    let root = schema();
    let mut out = Vec::new();
    Walker { root }.walk(root, value, &Path::root(), &mut out);
    out
}

/// Reads a spec from JSON: the first problem of its shape, in words, or the spec.
pub(crate) fn from_json(value: Value) -> Result<DeploymentSpec, ModelError> {
    if let Some(p) = shape_problems(&value).into_iter().next() {
        return Err(ModelError {
            path: p.path,
            message: p.message,
        });
    }
    serde_json::from_value(value).map_err(|e| ModelError {
        path: Path::root(),
        message: format!("the spec cannot be read: {e}"),
    })
}

/// What the schema says of one field of a spec, for repairing answers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldInfo {
    /// The schema's default.
    pub default: Option<Value>,
    /// May be left out (not required, or nullable).
    pub optional: bool,
    /// Holds text.
    pub string: bool,
    /// Holds a map of settings.
    pub object: bool,
}

/// The field at `path` of `spec` (a union's variant chosen by the value), if the schema has it.
pub(crate) fn field(spec: &Value, path: &Path) -> Option<FieldInfo> {
    let root = schema();
    let w = Walker { root };
    let mut s = root;
    let mut value = Some(spec);
    let mut optional = false;
    let mut default = None;
    for seg in &path.0 {
        let d = w.unwrap(s, value);
        match seg {
            Segment::Key(k) => {
                let props = d.get("properties").and_then(Value::as_object);
                s = match props.and_then(|p| p.get(k)) {
                    Some(p) => p,
                    None => match d.get("additionalProperties") {
                        Some(extra) if extra.is_object() => extra,
                        _ => return None,
                    },
                };
                optional = props.is_none_or(|p| !p.contains_key(k))
                    || !d
                        .get("required")
                        .and_then(Value::as_array)
                        .is_some_and(|r| r.iter().any(|x| x == k.as_str()));
                value = value.and_then(|v| v.get(k));
            }
            Segment::Index(i) => {
                s = d.get("items")?;
                optional = true;
                value = value.and_then(|v| v.get(*i));
            }
        }
        default = s.get("default").cloned();
    }
    let d = w.resolve(s);
    let nullable = types(d).contains(&"null") || d.get("anyOf").is_some();
    let inner = w.unwrap(s, value);
    let t = types(inner);
    Some(FieldInfo {
        default,
        optional: optional || nullable,
        string: t.contains(&"string"),
        object: t.contains(&"object") || (t.is_empty() && inner.get("oneOf").is_some()),
    })
}

struct Walker<'s> {
    root: &'s Value,
}

impl<'s> Walker<'s> {
    /// Follows `$ref` and single-element `allOf`.
    fn resolve(&self, mut s: &'s Value) -> &'s Value {
        for _ in 0..16 {
            if let Some(r) = s.get("$ref").and_then(Value::as_str) {
                match r
                    .strip_prefix("#/definitions/")
                    .and_then(|n| self.root.get("definitions")?.get(n))
                {
                    Some(d) => s = d,
                    None => return s,
                }
            } else if let Some([one]) = s.get("allOf").and_then(Value::as_array).map(Vec::as_slice)
            {
                s = one;
            } else {
                return s;
            }
        }
        s
    }

    /// The schema of a value at `s`: references followed, the non-null branch of a nullable
    /// `anyOf`, and the variant of a union `value` selects.
    fn unwrap(&self, s: &'s Value, value: Option<&Value>) -> &'s Value {
        let mut d = self.resolve(s);
        if let Some(any) = d.get("anyOf").and_then(Value::as_array)
            && let Some(inner) = any.iter().find(|a| a.get("type") != Some(&"null".into()))
        {
            d = self.resolve(inner);
        }
        self.variant(d, value)
    }

    /// The variant of a discriminated union that `value` selects (the union itself when
    /// nothing matches), or `s` when it is no union.
    fn variant(&self, s: &'s Value, value: Option<&Value>) -> &'s Value {
        let Some(variants) = s.get("oneOf").and_then(Value::as_array) else {
            return s;
        };
        variants
            .iter()
            .find(|v| {
                v.get("properties")
                    .and_then(Value::as_object)
                    .is_some_and(|props| {
                        props.iter().any(|(k, p)| {
                            p.get("const")
                                .is_some_and(|c| value.and_then(|v| v.get(k)) == Some(c))
                        })
                    })
            })
            .map_or(s, |v| self.resolve(v))
    }

    fn walk(&self, schema: &'s Value, value: &Value, path: &Path, out: &mut Vec<SpecProblem>) {
        let s = self.resolve(schema);
        if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
            if value.is_null() && any.iter().any(|a| a.get("type") == Some(&"null".into())) {
                return;
            }
            if let Some(inner) = any.iter().find(|a| a.get("type") != Some(&"null".into())) {
                self.walk(inner, value, path, out);
            }
            return;
        }
        if let Some(variants) = s.get("oneOf").and_then(Value::as_array) {
            self.one_of(variants, value, path, out);
            return;
        }
        let types = types(s);
        if value.is_null() && types.contains(&"null") {
            return;
        }
        if !types.is_empty() && !types.iter().any(|t| has_type(value, t)) {
            out.push(problem(path, expectation(s, path, value)));
            return;
        }
        if let Some(allowed) = s.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            out.push(problem(path, one_of_words(allowed.iter(), value)));
            return;
        }
        match value {
            Value::Number(_) => {
                let n = value.as_f64().unwrap_or(0.0);
                let below = s
                    .get("minimum")
                    .and_then(Value::as_f64)
                    .is_some_and(|m| n < m);
                let above = s
                    .get("maximum")
                    .and_then(Value::as_f64)
                    .is_some_and(|m| n > m);
                if below || above {
                    out.push(problem(path, expectation(s, path, value)));
                }
            }
            Value::Object(map) => self.object(s, map, path, out),
            Value::Array(items) => {
                if let Some(item) = s.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        self.walk(item, v, &path.clone().index(i), out);
                    }
                }
            }
            _ => {}
        }
    }

    fn object(
        &self,
        s: &'s Value,
        map: &Map<String, Value>,
        path: &Path,
        out: &mut Vec<SpecProblem>,
    ) {
        let props = s.get("properties").and_then(Value::as_object);
        if let Some(required) = s.get("required").and_then(Value::as_array) {
            for key in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(key) {
                    out.push(problem(&path.clone().key(key), "is required".to_owned()));
                }
            }
        }
        for (key, v) in map {
            let at = path.clone().key(key.clone());
            match (
                props.and_then(|p| p.get(key)),
                s.get("additionalProperties"),
            ) {
                (Some(prop), _) => self.walk(prop, v, &at, out),
                (None, Some(Value::Bool(false))) => {
                    let known = props.into_iter().flat_map(|p| p.keys().map(String::as_str));
                    out.push(problem(&at, unknown_key(key, known)));
                }
                (None, Some(extra)) if extra.is_object() => self.walk(extra, v, &at, out),
                (None, _) => {}
            }
        }
    }

    /// A closed set of texts, or a union chosen by a discriminator (`provider`).
    fn one_of(
        &self,
        variants: &'s [Value],
        value: &Value,
        path: &Path,
        out: &mut Vec<SpecProblem>,
    ) {
        let consts: Vec<&Value> = variants.iter().filter_map(|v| v.get("const")).collect();
        if consts.len() == variants.len() {
            if !consts.contains(&value) {
                out.push(problem(path, one_of_words(consts.into_iter(), value)));
            }
            return;
        }
        let Some(map) = value.as_object() else {
            out.push(problem(
                path,
                "must be a map of settings (`key: value` lines)".into(),
            ));
            return;
        };
        // The discriminator: the property every variant fixes with a `const`.
        let tags: Vec<(&str, &Value, &'s Value)> = variants
            .iter()
            .filter_map(|v| {
                let (k, p) = v
                    .get("properties")?
                    .as_object()?
                    .iter()
                    .find(|(_, p)| p.get("const").is_some())?;
                Some((k.as_str(), p.get("const")?, v))
            })
            .collect();
        let Some(&(key, _, _)) = tags.first() else {
            return;
        };
        match map.get(key) {
            None => out.push(problem(&path.clone().key(key), "is required".to_owned())),
            Some(tag) => match tags.iter().find(|(_, c, _)| *c == tag) {
                Some((_, _, variant)) => self.walk(variant, value, path, out),
                None => out.push(problem(
                    &path.clone().key(key),
                    one_of_words(tags.iter().map(|(_, c, _)| *c), tag),
                )),
            },
        }
    }
}

fn problem(path: &Path, message: String) -> SpecProblem {
    SpecProblem {
        path: path.clone(),
        message,
    }
}

fn types(s: &Value) -> Vec<&str> {
    match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "string" => value.is_string(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

/// What the field expects, in words.
fn expectation(s: &Value, path: &Path, value: &Value) -> String {
    if matches!(path.last(), Some(Segment::Key(k)) if k == "port") {
        return PORT_MESSAGE.to_owned();
    }
    let types = types(s);
    let min = s.get("minimum").and_then(Value::as_i64);
    let max = s.get("maximum").and_then(Value::as_i64);
    if types.contains(&"integer") {
        return match (min, max) {
            (Some(lo), Some(hi)) => format!("must be a whole number from {lo} to {hi}"),
            (Some(lo), None) if lo > 0 => format!("must be a whole number, at least {lo}"),
            _ => "must be a whole number, such as 2".to_owned(),
        };
    }
    if types.contains(&"boolean") {
        if value.is_string() && matches!(path.last(), Some(Segment::Key(k)) if k == "password") {
            return PASSWORD_FLAG_MESSAGE.to_owned();
        }
        return "must be true or false".to_owned();
    }
    if types.contains(&"string") {
        return match value {
            Value::Null => "must not be empty".to_owned(),
            Value::Number(_) | Value::Bool(_) => format!(
                "must be text: write it in quotes, such as `\"{value}\"` (YAML reads `{value}` unquoted as a {})",
                if value.is_boolean() {
                    "yes/no value"
                } else {
                    "number"
                }
            ),
            _ => "must be text".to_owned(),
        };
    }
    if types.contains(&"array") {
        return "must be a list (`- item` lines)".to_owned();
    }
    "must be a map of settings (`key: value` lines)".to_owned()
}

/// "must be one of `a`, `b` or `c` (not `d`)".
fn one_of_words<'a>(allowed: impl Iterator<Item = &'a Value>, given: &Value) -> String {
    let code = |v: &Value| match v {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    };
    let words: Vec<String> = allowed.map(code).collect();
    let not = format!(" (not {})", code(given));
    match words.split_last() {
        Some((last, [])) => format!("must be {last}{not}"),
        Some((last, rest)) => format!("must be one of {} or {last}{not}", rest.join(", ")),
        None => "has no allowed value".to_owned(),
    }
}

/// "unknown key `tsl`; did you mean `tls`?", or the keys that are known there.
fn unknown_key<'k>(key: &str, known: impl Iterator<Item = &'k str> + Clone) -> String {
    match closest(key, known.clone()) {
        Some(near) => format!("unknown key `{key}`; did you mean `{near}`?"),
        None => {
            let names: Vec<String> = known.map(|k| format!("`{k}`")).collect();
            format!(
                "unknown key `{key}`; the keys here are {}",
                names.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(v: Value) -> Vec<String> {
        shape_problems(&v).iter().map(ToString::to_string).collect()
    }

    fn minimal() -> Value {
        json!({"domain": "osmo.example.com", "postgres": {"host": "db"}, "redis": {"host": "r"}})
    }

    #[test]
    fn the_committed_schema_is_the_models() {
        assert_eq!(schema(), &DeploymentSpec::schema());
    }

    #[test]
    fn a_readable_spec_has_no_problem_and_reads() {
        assert_eq!(words(minimal()), Vec::<String>::new());
        assert!(from_json(minimal()).is_ok());
        let full = DeploymentSpec::minimal("osmo.example.com", "db", "r").to_json();
        assert_eq!(words(full.clone()), Vec::<String>::new());
        assert!(from_json(full).is_ok());
    }

    #[test]
    fn wrong_types_are_named_in_words() {
        let mut v = minimal();
        v["redis"]["port"] = json!("abc");
        v["redis"]["tls"] = json!("yes");
        v["images"] = json!({"tag": 6.2});
        v["sizing"] = json!({"preset": "huge", "overrides": {"worker": {"replicas": -1}}});
        v["backends"] = json!("default");
        assert_eq!(
            words(v),
            [
                "redis.port: a port is a number from 1 to 65535",
                "redis.tls: must be true or false",
                "images.tag: must be text: write it in quotes, such as `\"6.2\"` (YAML reads `6.2` unquoted as a number)",
                "sizing.preset: must be one of `small`, `medium` or `large` (not `huge`)",
                "sizing.overrides.worker.replicas: must be a whole number, such as 2",
                "backends: must be a list (`- item` lines)",
            ]
        );
    }

    #[test]
    fn a_password_written_into_the_spec_is_refused_with_where_it_goes() {
        let mut v = minimal();
        v["redis"]["password"] = json!("s3cret");
        v["postgres"]["password"] = json!(false);
        assert_eq!(
            words(v.clone()),
            [format!("redis.password: {PASSWORD_FLAG_MESSAGE}")]
        );
        v["redis"]["password"] = json!(false);
        let spec = from_json(v).unwrap();
        assert!(!spec.redis.password && !spec.postgres.password);
    }

    #[test]
    fn keys_missing_unknown_and_providers() {
        let mut v = minimal();
        v.as_object_mut().unwrap().remove("domain");
        v["ingres"] = json!({});
        v["authentication"] = json!({"provider": "entra"});
        assert_eq!(
            words(v.clone()),
            [
                "domain: is required",
                "ingres: unknown key `ingres`; did you mean `ingress`?",
                "authentication.provider: must be one of `microsoftEntraId`, `google`, `awsIdentityCenter`, `keycloak`, `okta`, `auth0`, `oidc` or `none` (not `entra`)",
            ]
        );
        v["domain"] = json!("osmo.example.com");
        v.as_object_mut().unwrap().remove("ingres");
        v["authentication"] = json!({"provider": "google", "clientID": "x"});
        assert_eq!(
            words(v),
            [
                "authentication.clientId: is required",
                "authentication.clientID: unknown key `clientID`; did you mean `clientId`?",
            ]
        );
    }

    #[test]
    fn every_wrong_shape_is_caught_before_serde() {
        // For each field, a value of every other JSON type: whatever serde refuses, the
        // walk reports (it may refuse more: serde reads a struct from a list).
        let base = DeploymentSpec::minimal("osmo.example.com", "db", "r").to_json();
        let mut paths = Vec::new();
        fn leaves(v: &Value, at: Path, out: &mut Vec<Path>) {
            match v {
                Value::Object(m) => {
                    out.push(at.clone());
                    for (k, x) in m {
                        leaves(x, at.clone().key(k.clone()), out);
                    }
                }
                Value::Array(a) => {
                    out.push(at.clone());
                    for (i, x) in a.iter().enumerate() {
                        leaves(x, at.clone().index(i), out);
                    }
                }
                _ => out.push(at),
            }
        }
        leaves(&base, Path::root(), &mut paths);
        let samples = [
            json!(null),
            json!(true),
            json!(7),
            json!(-3),
            json!(70000),
            json!(1.5),
            json!("text"),
            json!([]),
            json!({}),
        ];
        for path in paths.iter().filter(|p| !p.is_root()) {
            for sample in &samples {
                let mut v = base.clone();
                let slot = path
                    .0
                    .iter()
                    .try_fold(&mut v, |v, seg| match seg {
                        Segment::Key(k) => v.get_mut(k),
                        Segment::Index(i) => v.get_mut(*i),
                    })
                    .unwrap();
                *slot = sample.clone();
                let serde_ok = serde_json::from_value::<DeploymentSpec>(v.clone()).is_ok();
                let walk = shape_problems(&v);
                assert!(
                    serde_ok || !walk.is_empty(),
                    "{path} = {sample}: serde refuses it"
                );
            }
        }
    }
}
