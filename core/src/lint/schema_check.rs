//! Validation of one values file against its chart's JSON Schema, with the
//! failures turned into findings at the right node.
//!
//! The schema is the chart's validation schema as committed in
//! `core/src/lint/schemas/`, judged by [`super::schema_eval`] (no compiling).
//! An unknown key is reported at the key, and the failures of the branches
//! of an `anyOf`/`oneOf` are dug into to report the deepest real cause.

use std::sync::OnceLock;

use serde_json::Value;

use super::schema_eval::{Evaluator, Fault};
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

/// The chart's evaluator, built once.
fn evaluator(chart: Chart) -> &'static Evaluator<'static> {
    static CELLS: [OnceLock<Evaluator<'static>>; super::CHART_SLOTS] =
        [const { OnceLock::new() }; super::CHART_SLOTS];
    CELLS[super::chart_slot(chart)].get_or_init(|| Evaluator::new(schema(chart)))
}

/// Reads the chart's validation schema now (see [`super::prepare`]).
pub(crate) fn prepare(chart: Chart) {
    evaluator(chart);
}

/// Validates `instance` against the chart's schema.
pub(crate) fn check(chart: Chart, instance: &Value) -> Vec<Issue> {
    let mut out: Vec<Issue> = evaluator(chart)
        .faults(instance)
        .iter()
        .flat_map(flatten)
        .collect();
    out.dedup();
    out
}

/// The real causes behind one fault.
fn flatten(fault: &Fault) -> Vec<Issue> {
    match fault {
        Fault::Branches { path, branches } => best_branch(
            path,
            branches
                .iter()
                .map(|b| b.iter().flat_map(flatten).collect())
                .collect(),
        ),
        Fault::Unknown { path, keys } => keys
            .iter()
            .map(|k| Issue {
                path: path.clone().key(k.clone()),
                kind: IssueKind::Unknown,
            })
            .collect(),
        Fault::Type { path, names } => vec![Issue {
            path: path.clone(),
            kind: IssueKind::Type(names.clone()),
        }],
        Fault::Enum { path, options } => vec![Issue {
            path: path.clone(),
            kind: IssueKind::Enum(options.clone()),
        }],
        Fault::Range { path, what } => vec![Issue {
            path: path.clone(),
            kind: IssueKind::Range(what.clone()),
        }],
        Fault::Pattern { path, pattern } => vec![Issue {
            path: path.clone(),
            kind: IssueKind::Format(pattern.clone()),
        }],
        Fault::Other { path, message } => vec![Issue {
            path: path.clone(),
            kind: IssueKind::Other(message.clone()),
        }],
    }
}

/// Chooses the branch of an `anyOf`/`oneOf` that explains the failure best:
/// the one that got deepest into the value, preferring real causes to a mere
/// type mismatch at the same place. When every branch only failed on the type,
/// the expected types are united into one finding.
fn best_branch(path: &Path, branches: Vec<Vec<Issue>>) -> Vec<Issue> {
    let branches: Vec<Vec<Issue>> = branches.into_iter().filter(|b| !b.is_empty()).collect();
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
    use jsonschema::error::{TypeKind, ValidationErrorKind};
    use jsonschema::{ValidationError, Validator};

    /// `jsonschema`'s errors as issues: the oracle the evaluator is held to.
    fn oracle(err: &ValidationError<'_>) -> Vec<Issue> {
        let path = Path::parse_pointer(err.instance_path().as_str());
        let one = |kind| {
            vec![Issue {
                path: path.clone(),
                kind,
            }]
        };
        match err.kind() {
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => best_branch(
                &path,
                context
                    .iter()
                    .map(|errs| errs.iter().flat_map(oracle).collect())
                    .collect(),
            ),
            ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
                .iter()
                .map(|k| Issue {
                    path: path.clone().key(k.clone()),
                    kind: IssueKind::Unknown,
                })
                .collect(),
            ValidationErrorKind::Type { kind } => one(IssueKind::Type(match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(set) => set.into_iter().map(|t| t.to_string()).collect(),
            })),
            ValidationErrorKind::Enum { options } => one(IssueKind::Enum(
                options.as_array().cloned().unwrap_or_default(),
            )),
            ValidationErrorKind::Constant { expected_value } => {
                one(IssueKind::Enum(vec![(**expected_value).clone()]))
            }
            ValidationErrorKind::Minimum { limit } => {
                one(IssueKind::Range(format!("at least {limit}")))
            }
            ValidationErrorKind::Maximum { limit } => {
                one(IssueKind::Range(format!("at most {limit}")))
            }
            ValidationErrorKind::ExclusiveMinimum { limit } => {
                one(IssueKind::Range(format!("more than {limit}")))
            }
            ValidationErrorKind::ExclusiveMaximum { limit } => {
                one(IssueKind::Range(format!("less than {limit}")))
            }
            ValidationErrorKind::MinLength { limit } => one(IssueKind::Range(format!(
                "at least {limit} characters long"
            ))),
            ValidationErrorKind::MaxLength { limit } => {
                one(IssueKind::Range(format!("at most {limit} characters long")))
            }
            ValidationErrorKind::MinItems { limit } => one(IssueKind::Range(format!(
                "a list of at least {limit} items"
            ))),
            ValidationErrorKind::MaxItems { limit } => {
                one(IssueKind::Range(format!("a list of at most {limit} items")))
            }
            ValidationErrorKind::Pattern { pattern } => one(IssueKind::Format(pattern.clone())),
            _ => one(IssueKind::Other(err.to_string())),
        }
    }

    fn oracle_issues(v: &Validator, instance: &Value) -> Vec<Issue> {
        let mut out: Vec<Issue> = v.iter_errors(instance).flat_map(|e| oracle(&e)).collect();
        out.dedup();
        out
    }

    /// Sorted, without duplicates: the set of findings the linter reports
    /// (it sorts and deduplicates them).
    fn set(mut issues: Vec<Issue>) -> Vec<String> {
        let mut out: Vec<String> = issues.drain(..).map(|i| format!("{i:?}")).collect();
        out.sort();
        out.dedup();
        out
    }
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

    /// Values near the fixtures' that break each keyword: wrong types,
    /// unknown keys, values out of range or set, nulls, lists for maps.
    fn mutations(instance: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        let mut paths: Vec<Vec<String>> = Vec::new();
        fn walk(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
            if let Value::Object(m) = v {
                for (k, x) in m {
                    at.push(k.clone());
                    out.push(at.clone());
                    walk(x, at, out);
                    at.pop();
                }
            }
        }
        walk(instance, &mut Vec::new(), &mut paths);
        let replacements = [
            serde_json::json!("text"),
            serde_json::json!(-5),
            serde_json::json!(70000),
            serde_json::json!(1.5),
            serde_json::json!(true),
            serde_json::json!(null),
            serde_json::json!([1, "a", {"x": 1}]),
            serde_json::json!({"unknownKey": 1, "name": 2}),
            serde_json::json!("512MB"),
        ];
        for (i, p) in paths.iter().enumerate() {
            let r = &replacements[i % replacements.len()];
            let mut v = instance.clone();
            let mut cur = &mut v;
            for k in &p[..p.len() - 1] {
                cur = cur.get_mut(k).unwrap();
            }
            cur.as_object_mut()
                .unwrap()
                .insert(p[p.len() - 1].clone(), r.clone());
            out.push(v);
        }
        out
    }

    /// The evaluator judges every fixture, and many values near them, as
    /// `jsonschema` does.
    #[test]
    fn the_evaluator_agrees_with_jsonschema() {
        let wholes: Vec<(Chart, Validator)> = Chart::every()
            .map(|c| (c, jsonschema::draft7::new(schema(c)).unwrap()))
            .collect();
        let mut compared = 0;
        for (path, charts) in fixtures() {
            let text = std::fs::read(&path).unwrap();
            let Ok(doc) = crate::yaml::parse_bytes(&text) else {
                continue;
            };
            let instance = doc.root.to_json();
            for chart in charts {
                let whole = &wholes.iter().find(|(c, _)| *c == chart).unwrap().1;
                let mut cases = vec![instance.clone()];
                cases.extend(mutations(&instance).into_iter().take(60));
                for case in &cases {
                    assert_eq!(
                        set(oracle_issues(whole, case)),
                        set(check(chart, case)),
                        "{} as {chart}:\n{case}",
                        path.display()
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 2000, "only {compared} values compared");
    }

    /// The generated schemas use only keywords the evaluator knows.
    #[test]
    fn the_schemas_use_only_known_keywords() {
        fn walk(v: &Value, unknown: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        if !super::super::schema_eval::KEYWORDS.contains(&k.as_str()) {
                            unknown.push(k.clone());
                        }
                        match (k.as_str(), x) {
                            (
                                "properties" | "patternProperties" | "definitions",
                                Value::Object(named),
                            ) => named.values().for_each(|s| walk(s, unknown)),
                            ("const" | "enum" | "required", _) => {}
                            (_, x) => walk(x, unknown),
                        }
                    }
                }
                Value::Array(items) => items.iter().for_each(|s| walk(s, unknown)),
                _ => {}
            }
        }
        for chart in Chart::every() {
            let mut unknown = Vec::new();
            walk(schema(chart), &mut unknown);
            unknown.sort();
            unknown.dedup();
            assert!(
                unknown.is_empty(),
                "{chart}: keywords the evaluator ignores: {unknown:?}"
            );
        }
    }

    /// The committed validation schemas are valid draft-07 and read.
    #[test]
    fn committed_schemas_read() {
        for chart in Chart::every() {
            let v: Value = serde_json::from_str(committed(chart)).unwrap();
            assert!(jsonschema::draft7::new(&v).is_ok(), "{chart}");
            let mut patterns = Vec::new();
            fn walk<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
                match v {
                    Value::Object(m) => {
                        for (k, x) in m {
                            match (k.as_str(), x) {
                                ("pattern", Value::String(p)) => out.push(p),
                                ("patternProperties", Value::Object(named)) => {
                                    out.extend(named.keys().map(String::as_str));
                                    named.values().for_each(|s| walk(s, out));
                                }
                                ("const" | "enum", _) => {}
                                (_, x) => walk(x, out),
                            }
                        }
                    }
                    Value::Array(items) => items.iter().for_each(|s| walk(s, out)),
                    _ => {}
                }
            }
            walk(&v, &mut patterns);
            for p in patterns {
                assert!(regex::Regex::new(p).is_ok(), "{chart}: pattern {p}");
            }
        }
    }
}
