//! Validation of one values file against its chart's JSON Schema, with the
//! errors turned into findings at the right node.
//!
//! `jsonschema` reports an unknown key at the parent map and collapses the
//! failures of `anyOf`/`oneOf` branches into one error; this module digs
//! into the branches and reports the deepest real cause instead.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::Chart;
use crate::path::Path;

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

fn validator(chart: Chart) -> Option<&'static Validator> {
    static CELLS: [OnceLock<Option<Validator>>; super::CHART_SLOTS] =
        [const { OnceLock::new() }; super::CHART_SLOTS];
    CELLS[super::chart_slot(chart)]
        .get_or_init(|| jsonschema::draft7::new(&chart.schema_with_refs()).ok())
        .as_ref()
}

/// Compiles the chart's validator now (see [`super::prepare`]).
pub(crate) fn prepare(chart: Chart) {
    validator(chart);
}

/// Validates `instance` against the chart's schema.
pub(crate) fn check(chart: Chart, instance: &Value) -> Vec<Issue> {
    let Some(v) = validator(chart) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for err in v.iter_errors(instance) {
        out.extend(flatten(&err));
    }
    out.dedup();
    out
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
