//! Validation of one values file against its chart's JSON Schema, with the
//! errors turned into findings at the right node.
//!
//! `jsonschema` reports an unknown key at the parent map and collapses the
//! failures of `anyOf`/`oneOf` branches into one error; this module digs
//! into the branches and reports the deepest real cause instead.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::path::Path;
use crate::{Chart, ChartName, Release};

/// One schema problem, independent of the validator's types.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    /// Where, in the instance.
    pub path: Path,
    /// What.
    pub kind: IssueKind,
}

/// The kinds of schema problems the linter distinguishes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum IssueKind {
    /// A key the schema does not allow (the path ends with the key).
    Unknown,
    /// A value of another type; the expected type names.
    Type(Vec<String>),
    /// A value outside a closed set.
    Enum(Vec<Value>),
    /// A value out of range; a description of the bound.
    Range(String),
    /// Text that does not match a pattern or format.
    Format(String),
    /// Anything else, in the validator's words.
    Other(String),
}

/// The chart's whole validator, once [`prepare`] built it.
static VALIDATORS: [OnceLock<Option<Validator>>; super::CHART_SLOTS] =
    [const { OnceLock::new() }; super::CHART_SLOTS];

/// The chart's validation schema ([`super::validation_schema`]) as
/// committed in `core/src/lint/schemas/` (reading it is cheaper than
/// generating it; a test keeps the two equal).
fn committed(chart: Chart) -> &'static str {
    match (chart.release, chart.name) {
        (Release::V6_2_10, ChartName::Service) => include_str!("schemas/6.2.10/service.json"),
        (Release::V6_2_10, ChartName::Router) => include_str!("schemas/6.2.10/router.json"),
        (Release::V6_2_10, ChartName::WebUi) => include_str!("schemas/6.2.10/web-ui.json"),
        (Release::V6_2_10, ChartName::BackendOperator) => {
            include_str!("schemas/6.2.10/backend-operator.json")
        }
        (Release::V6_3_1, ChartName::BackendOperator) => {
            include_str!("schemas/6.3.1/backend-operator.json")
        }
        (Release::V6_3_1, _) => include_str!("schemas/6.3.1/service.json"),
    }
}

/// The chart's validation schema, read once.
fn schema(chart: Chart) -> &'static Value {
    static CELLS: [OnceLock<Value>; super::CHART_SLOTS] =
        [const { OnceLock::new() }; super::CHART_SLOTS];
    CELLS[super::chart_slot(chart)].get_or_init(|| {
        serde_json::from_str(committed(chart)).unwrap_or_else(|_| super::validation_schema(chart))
    })
}

/// Instances with more values than this are checked with the chart's whole
/// validator (compiled once, kept for the files after): they reach most of
/// the schema, so pruning it first would only add work.
const PRUNE_UP_TO: usize = 800;

/// How many values (maps, lists and scalars) `v` holds, counting up to `limit`.
fn size(v: &Value, limit: usize) -> usize {
    let mut n = 1;
    match v {
        Value::Object(m) => {
            for x in m.values() {
                if n > limit {
                    break;
                }
                n += size(x, limit - n.min(limit));
            }
        }
        Value::Array(a) => {
            for x in a {
                if n > limit {
                    break;
                }
                n += size(x, limit - n.min(limit));
            }
        }
        _ => {}
    }
    n
}

/// Compiles the chart's whole validator now (see [`super::prepare`]):
/// worth it before linting many files of the chart.
pub(crate) fn prepare(chart: Chart) {
    PREPARING[super::chart_slot(chart)].store(true, Ordering::Release);
    VALIDATORS[super::chart_slot(chart)]
        .get_or_init(|| jsonschema::draft7::new(schema(chart)).ok());
}

/// Whether [`prepare`] was asked for the chart: files checked meanwhile wait
/// for its validator instead of compiling one of their own.
static PREPARING: [AtomicBool; super::CHART_SLOTS] =
    [const { AtomicBool::new(false) }; super::CHART_SLOTS];

/// Validates `instance` against the chart's schema: with the whole
/// validator when [`prepare`] built it, else with a validator compiled from
/// only the part of the schema the instance reaches ([`prune`]), which for
/// one file costs a fraction of compiling the whole schema. Both give the
/// same errors.
pub(crate) fn check(chart: Chart, instance: &Value) -> Vec<Issue> {
    let own;
    let cell = &VALIDATORS[super::chart_slot(chart)];
    let whole = match cell.get() {
        Some(v) => Some(v),
        None if PREPARING[super::chart_slot(chart)].load(Ordering::Acquire)
            || size(instance, PRUNE_UP_TO) > PRUNE_UP_TO =>
        {
            Some(cell.get_or_init(|| jsonschema::draft7::new(schema(chart)).ok()))
        }
        None => None,
    };
    let v = match whole {
        Some(Some(v)) => v,
        Some(None) => return Vec::new(),
        None => {
            let Ok(v) = jsonschema::draft7::new(&pruned(schema(chart), instance)) else {
                return Vec::new();
            };
            own = v;
            &own
        }
    };
    let mut out = Vec::new();
    for err in v.iter_errors(instance) {
        out.extend(flatten(&err));
    }
    out.dedup();
    out
}

/// The part of `root` (a draft-07 schema whose references point into its
/// `definitions`) that judging `instance` needs, with the references it
/// follows written out in place: the properties the instance does not have,
/// list items of lists it does not have, and annotations are left out.
/// Validating `instance` against the result gives the same errors as
/// against `root`: a property's schema only applies to a value the instance
/// has, `required` and `additionalProperties: false` are kept, and every
/// branch of `anyOf`/`oneOf`/`allOf` is pruned for the same values.
/// Keywords whose reach depends on more than the key names (pattern
/// properties and the rest) keep their whole subschemas, which may refer
/// to `definitions`: then the result carries them too.
pub(crate) fn pruned(root: &Value, instance: &Value) -> Value {
    let mut refs = false;
    let mut out = prune(root, root, &[instance], 0, &mut refs);
    if let (Value::Object(map), Some(defs)) = (&mut out, root.get("definitions"))
        && refs
    {
        map.insert("definitions".to_owned(), defs.clone());
    }
    out
}

/// How many references deep [`prune`] writes out before it keeps the rest
/// as references (values files are not that deep; this only bounds work).
const PRUNE_DEPTH: usize = 64;

fn resolve<'v>(root: &'v Value, reference: &str) -> Option<&'v Value> {
    root.pointer(reference.strip_prefix('#')?)
}

fn has_ref(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key("$ref") || m.values().any(has_ref),
        Value::Array(a) => a.iter().any(has_ref),
        _ => false,
    }
}

/// [`pruned`] of `schema` for every value in `instances` (the values it
/// applies to); `refs` records that a kept subschema still refers to
/// `definitions`.
fn prune(
    schema: &Value,
    root: &Value,
    instances: &[&Value],
    depth: usize,
    refs: &mut bool,
) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let keep = |v: &Value, refs: &mut bool| {
        *refs |= has_ref(v);
        v.clone()
    };
    if let Some(Value::String(reference)) = map.get("$ref") {
        // Draft 7 ignores the keywords beside a reference.
        return match resolve(root, reference) {
            Some(target) if depth < PRUNE_DEPTH => prune(target, root, instances, depth + 1, refs),
            _ => keep(schema, refs),
        };
    }
    let objects: Vec<&serde_json::Map<String, Value>> =
        instances.iter().filter_map(|v| v.as_object()).collect();
    let arrays: Vec<&Vec<Value>> = instances.iter().filter_map(|v| v.as_array()).collect();
    let patterns = map.contains_key("patternProperties");
    let mut out = serde_json::Map::new();
    for (k, v) in map {
        match k.as_str() {
            "description" | "title" | "default" | "examples" | "definitions" => {}
            "properties" => {
                let Value::Object(props) = v else {
                    out.insert(k.clone(), keep(v, refs));
                    continue;
                };
                let mut kept = serde_json::Map::new();
                for (name, sub) in props {
                    let values: Vec<&Value> = objects.iter().filter_map(|o| o.get(name)).collect();
                    if !values.is_empty() {
                        kept.insert(name.clone(), prune(sub, root, &values, depth, refs));
                    }
                }
                out.insert(k.clone(), Value::Object(kept));
            }
            "additionalProperties" if v.is_object() && !patterns => {
                let named = map.get("properties").and_then(Value::as_object);
                let values: Vec<&Value> = objects
                    .iter()
                    .flat_map(|o| o.iter())
                    .filter(|(key, _)| named.is_none_or(|n| !n.contains_key(*key)))
                    .map(|(_, value)| value)
                    .collect();
                if !values.is_empty() {
                    out.insert(k.clone(), prune(v, root, &values, depth, refs));
                }
            }
            "items" if v.is_object() => {
                let values: Vec<&Value> = arrays.iter().flat_map(|a| a.iter()).collect();
                if !values.is_empty() {
                    out.insert(k.clone(), prune(v, root, &values, depth, refs));
                }
            }
            "anyOf" | "oneOf" | "allOf" => match v {
                Value::Array(branches) => {
                    let list = branches
                        .iter()
                        .map(|b| prune(b, root, instances, depth, refs))
                        .collect();
                    out.insert(k.clone(), Value::Array(list));
                }
                other => {
                    out.insert(k.clone(), keep(other, refs));
                }
            },
            _ => {
                out.insert(k.clone(), keep(v, refs));
            }
        }
    }
    Value::Object(out)
}

fn pointer_path(err: &ValidationError<'_>) -> Path {
    Path::parse_pointer(err.instance_path().as_str())
}

/// The real causes behind one error.
fn flatten(err: &ValidationError<'_>) -> Vec<Issue> {
    let path = pointer_path(err);
    match err.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            best_branch(&path, context)
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|k| Issue {
                path: path.clone().key(k.clone()),
                kind: IssueKind::Unknown,
            })
            .collect(),
        ValidationErrorKind::Type { kind } => vec![Issue {
            path,
            kind: IssueKind::Type(type_names(kind)),
        }],
        ValidationErrorKind::Enum { options } => vec![Issue {
            path,
            kind: IssueKind::Enum(options.as_array().cloned().unwrap_or_default()),
        }],
        ValidationErrorKind::Constant { expected_value } => vec![Issue {
            path,
            kind: IssueKind::Enum(vec![(**expected_value).clone()]),
        }],
        ValidationErrorKind::Minimum { limit } => range(path, format!("at least {limit}")),
        ValidationErrorKind::Maximum { limit } => range(path, format!("at most {limit}")),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            range(path, format!("more than {limit}"))
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            range(path, format!("less than {limit}"))
        }
        ValidationErrorKind::MinLength { limit } => {
            range(path, format!("at least {limit} characters long"))
        }
        ValidationErrorKind::MaxLength { limit } => {
            range(path, format!("at most {limit} characters long"))
        }
        ValidationErrorKind::MinItems { limit } => {
            range(path, format!("a list of at least {limit} items"))
        }
        ValidationErrorKind::MaxItems { limit } => {
            range(path, format!("a list of at most {limit} items"))
        }
        ValidationErrorKind::MultipleOf { .. } => {
            range(path, "a multiple of the allowed step".into())
        }
        ValidationErrorKind::Pattern { pattern } => vec![Issue {
            path,
            kind: IssueKind::Format(pattern.clone()),
        }],
        ValidationErrorKind::Format { format } => vec![Issue {
            path,
            kind: IssueKind::Format(format.clone()),
        }],
        _ => vec![Issue {
            path,
            kind: IssueKind::Other(err.to_string()),
        }],
    }
}

fn range(path: Path, what: String) -> Vec<Issue> {
    vec![Issue {
        path,
        kind: IssueKind::Range(what),
    }]
}

fn type_names(kind: &TypeKind) -> Vec<String> {
    match kind {
        TypeKind::Single(t) => vec![t.to_string()],
        TypeKind::Multiple(set) => set.into_iter().map(|t| t.to_string()).collect(),
    }
}

/// Chooses the branch of an `anyOf`/`oneOf` that explains the failure best:
/// the one that got deepest into the value, preferring real causes to a mere
/// type mismatch at the same place. When every branch only failed on the type,
/// the expected types are united into one finding.
fn best_branch(path: &Path, context: &[Vec<ValidationError<'static>>]) -> Vec<Issue> {
    let branches: Vec<Vec<Issue>> = context
        .iter()
        .map(|errs| errs.iter().flat_map(flatten).collect())
        .filter(|b: &Vec<Issue>| !b.is_empty())
        .collect();
    let type_only = |b: &Vec<Issue>| {
        b.iter()
            .all(|i| matches!(i.kind, IssueKind::Type(_)) && &i.path == path)
    };
    if branches.is_empty() {
        return vec![Issue {
            path: path.clone(),
            kind: IssueKind::Other("the value matches none of the accepted forms".into()),
        }];
    }
    if branches.iter().all(type_only) {
        let mut names: Vec<String> = Vec::new();
        for b in &branches {
            for i in b {
                if let IssueKind::Type(ts) = &i.kind {
                    for t in ts {
                        if !names.contains(t) {
                            names.push(t.clone());
                        }
                    }
                }
            }
        }
        return vec![Issue {
            path: path.clone(),
            kind: IssueKind::Type(names),
        }];
    }
    // A closed set written as one branch per value (`oneOf` of `const`s):
    // every branch refused the value itself; unite the allowed values.
    let enum_only = |b: &Vec<Issue>| {
        b.iter()
            .all(|i| matches!(i.kind, IssueKind::Enum(_)) && &i.path == path)
    };
    if branches.iter().all(|b| enum_only(b) || type_only(b)) && branches.iter().any(enum_only) {
        let mut options: Vec<Value> = Vec::new();
        for i in branches.iter().flatten() {
            if let IssueKind::Enum(os) = &i.kind {
                for o in os {
                    if !options.contains(o) {
                        options.push(o.clone());
                    }
                }
            }
        }
        return vec![Issue {
            path: path.clone(),
            kind: IssueKind::Enum(options),
        }];
    }
    let score = |b: &Vec<Issue>| {
        let depth = b.iter().map(|i| i.path.0.len()).max().unwrap_or(0);
        let real = b
            .iter()
            .filter(|i| !matches!(i.kind, IssueKind::Type(_)))
            .count();
        (!type_only(b), depth, real > 0, usize::MAX - b.len())
    };
    branches.into_iter().max_by_key(score).unwrap_or_default()
}

/// A short name of a JSON value's type.
pub(crate) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// The type names of a schema in plain words.
pub(crate) fn type_words(names: &[String]) -> String {
    let words: Vec<&str> = names
        .iter()
        .filter(|n| n.as_str() != "null")
        .map(|n| match n.as_str() {
            "string" => "text",
            "integer" => "an integer",
            "number" => "a number",
            "boolean" => "a boolean",
            "array" => "a list",
            "object" => "a map",
            other => other,
        })
        .collect();
    match words.as_slice() {
        [] => "null".into(),
        [one] => (*one).into(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every values file of our fixtures, with the charts it may be for.
    fn fixtures() -> Vec<(std::path::PathBuf, Vec<Chart>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "yaml") {
                    continue;
                }
                let name = path.to_string_lossy().into_owned();
                let by_dir = path
                    .parent()
                    .and_then(|p| p.file_name())
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.parse::<ChartName>().ok());
                let chart = by_dir.or_else(|| super::super::detect_chart(&name));
                let Some(chart) = chart else { continue };
                let charts = Release::ALL
                    .into_iter()
                    .filter_map(|r| Chart::new(r, chart))
                    .collect();
                out.push((path, charts));
            }
        }
        out
    }

    /// The pruned schema judges every fixture exactly as the whole one.
    #[test]
    fn pruned_schemas_judge_like_the_whole_schema() {
        let mut compared = 0;
        let wholes: Vec<(Chart, Validator)> = Chart::every()
            .map(|c| (c, jsonschema::draft7::new(schema(c)).unwrap()))
            .collect();
        for (path, charts) in fixtures() {
            let text = std::fs::read(&path).unwrap();
            let Ok(doc) = crate::yaml::parse_bytes(&text) else {
                continue;
            };
            let instance = doc.root.to_json();
            for chart in charts {
                let whole = &wholes.iter().find(|(c, _)| *c == chart).unwrap().1;
                let part = jsonschema::draft7::new(&pruned(schema(chart), &instance)).unwrap();
                let issues = |v: &Validator| {
                    let mut out: Vec<Issue> =
                        v.iter_errors(&instance).flat_map(|e| flatten(&e)).collect();
                    out.dedup();
                    out
                };
                assert_eq!(
                    issues(whole),
                    issues(&part),
                    "{} as {chart}",
                    path.display()
                );
                compared += 1;
            }
        }
        assert!(compared > 100, "only {compared} fixtures compared");
    }

    /// The committed validation schemas are valid draft-07 and the linter
    /// reads them (not the fallback).
    #[test]
    fn committed_schemas_read() {
        for chart in Chart::every() {
            let v: Value = serde_json::from_str(committed(chart)).unwrap();
            assert!(jsonschema::draft7::new(&v).is_ok(), "{chart}");
        }
    }
}
