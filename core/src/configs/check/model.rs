//! The models' verdict on each section, as findings.

use serde_json::Value;

use super::super::Section;
use super::super::backends::DATABASE_KEYS;
use super::super::formats::Check;
use super::super::pools::DERIVED_PLATFORM_KEYS;
use super::super::render::helm_path;
use super::super::validate::{Advice, Issue, IssueKind, Reach, Validator};
use super::{ConfigFinding, kind_of, quoted_list, value_at};
use crate::diagnostic::Severity;
use crate::lint::code;
use crate::lint::suggest::closest;
use crate::path::{Path, Segment};

/// Duration settings: text with a unit, never a bare number.
const DURATION_KEYS: [&str; 8] = [
    "default_exec_timeout",
    "default_queue_timeout",
    "max_exec_timeout",
    "max_queue_timeout",
    "force_cleanup_delay",
    "task_heartbeat_frequency",
    "max_pod_restart_limit",
    "test_timeout",
];

/// Validates every section of the rendered document against the models.
/// Findings at `skip` paths (already reported by a more specific rule) are
/// left out.
pub(super) fn check(doc: &Value, authz: &[Path], refs: &[Path], out: &mut Vec<ConfigFinding>) {
    let schema = super::super::document_schema();
    let validator = Validator::new(schema);
    let Some(sections) = doc.as_object() else {
        return;
    };
    for (key, value) in sections {
        let Some(section) = Section::from_configmap_key(key) else {
            continue;
        };
        let Some(prop) = schema.pointer(&format!("/properties/{key}")) else {
            continue;
        };
        for issue in validator.validate_schema(prop, value, Reach::SECTION) {
            let mut path = Path::root().key(key.clone());
            path.0.extend(issue.path.0.iter().cloned());
            let covered = |p: &Path| {
                let same_or_under = |s: &Path| path.0.starts_with(&s.0);
                section == Section::Roles && authz.iter().any(same_or_under) || refs.contains(p)
            };
            if covered(&path) {
                continue;
            }
            out.push(finding(doc, section, &path, &issue));
        }
    }
}

/// Where a path is, in words: "the `workflow` section", "pool `gpu`".
fn place(path: &Path) -> String {
    let keys: Vec<&str> = path
        .0
        .iter()
        .map(|s| match s {
            Segment::Key(k) => k.as_str(),
            Segment::Index(_) => "",
        })
        .collect();
    match keys.as_slice() {
        ["dataset", "buckets", bucket, ..] => format!("bucket `{bucket}`"),
        [section, _, ..]
            if Section::from_configmap_key(section).is_some_and(Section::validated_at_start) =>
        {
            let full = helm_path(path).to_string();
            let prefix = format!("{}.", super::super::configs_path());
            format!("`{}`", full.strip_prefix(&prefix).unwrap_or(&full))
        }
        ["pools", pool, "platforms", platform, ..] => {
            format!("platform `{platform}` of pool `{pool}`")
        }
        ["pools", pool, ..] => format!("pool `{pool}`"),
        ["backends", name, ..] => format!("backend `{name}`"),
        ["roles", name, ..] => format!("role `{name}`"),
        ["backend_tests", name, ..] => format!("backend test `{name}`"),
        ["resource_validations", name, ..] => format!("resource validation `{name}`"),
        ["pod_templates", name, ..] => format!("pod template `{name}`"),
        ["group_templates", name, ..] => format!("group template `{name}`"),
        [section, ..] => match Section::from_configmap_key(section) {
            Some(s) => format!("the `{}` section", s.helm_key()),
            None => format!("the `{section}` section"),
        },
        [] => "the configuration".into(),
    }
}

/// What breaks, by section.
fn consequence(section: Section, path: &Path) -> String {
    if section.validated_at_start() || path.0.len() == 1 {
        return "the service refuses to start (and refuses the change on a live reload)".into();
    }
    format!("the service fails whenever it uses {}", place(path))
}

fn last_key(path: &Path) -> &str {
    match path.last() {
        Some(Segment::Key(k)) => k,
        _ => "",
    }
}

fn describe_types(types: &[String]) -> String {
    // Helm deletes a key set to null, so "empty" is never the useful advice.
    let useful: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
    let types: Vec<&String> = if useful.is_empty() {
        types.iter().collect()
    } else {
        useful
    };
    let words: Vec<&str> = types
        .iter()
        .map(|t| match t.as_str() {
            "string" => "text",
            "integer" => "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            "array" => "a list",
            "object" => "a map",
            "null" => "empty",
            _ => "a value",
        })
        .collect();
    let mut unique: Vec<&str> = Vec::new();
    for w in words {
        if !unique.contains(&w) {
            unique.push(w);
        }
    }
    match unique.len() {
        0 => "something else".into(),
        1 => unique[0].into(),
        n => format!("{} or {}", unique[..n - 1].join(", "), unique[n - 1]),
    }
}

fn finding(doc: &Value, section: Section, path: &Path, issue: &Issue) -> ConfigFinding {
    let at = helm_path(path);
    let value = value_at(doc, path);
    let key = last_key(path).to_owned();
    let start = section.validated_at_start() || path.0.len() == 1;
    let rejected_code = if start {
        code::CONFIGS_STARTUP_INVALID
    } else {
        code::CONFIGS_ENTRY_INVALID
    };
    match &issue.kind {
        IssueKind::Unknown(known) | IssueKind::Ignored(known) => {
            let ignored = matches!(issue.kind, IssueKind::Ignored(_));
            let parent = path.parent().unwrap_or_default();
            if section == Section::Roles && key == "name" && path.0.len() == 3 {
                return ConfigFinding::new(
                    code::CONFIGS_ENTRY_INVALID,
                    at,
                    format!(
                        "{} repeats its name: the service adds the key as the name, so listing \
                         roles fails",
                        place(path)
                    ),
                )
                .help("remove `name`; the key is the role's name");
            }
            if ignored
                && section == Section::Backends
                && path.0.len() == 3
                && DATABASE_KEYS.contains(&key.as_str())
            {
                return ConfigFinding::new(
                    code::CONFIGS_IGNORED_KEY,
                    at,
                    format!(
                        "`{key}` of {} comes from the database, where the backend operator \
                         writes it: set here it has no effect",
                        place(path)
                    ),
                )
                .severity(Severity::Warning)
                .help(format!("remove `{key}`"));
            }
            if ignored
                && section == Section::Pools
                && path.0.len() == 5
                && DERIVED_PLATFORM_KEYS.contains(&key.as_str())
            {
                return ConfigFinding::new(
                    code::CONFIGS_IGNORED_KEY,
                    at,
                    format!(
                        "`{key}` of {} is derived from its pod templates: the value written here \
                         is replaced",
                        place(path)
                    ),
                )
                .help(
                    "put tolerations, the node selector (labels) and volume mounts in a pod \
                     template and list it in `override_pod_template`",
                );
            }
            let help = match closest(&key, known.iter().map(String::as_str)) {
                Some(c) => format!("did you mean `{c}`?"),
                None if known.is_empty() => format!("remove `{key}`"),
                None => {
                    let shown: Vec<String> = known.iter().take(12).cloned().collect();
                    let more = if known.len() > 12 { ", ..." } else { "" };
                    format!(
                        "remove it; the settings here are {}{more}",
                        quoted_list(&shown)
                    )
                }
            };
            if ignored {
                ConfigFinding::new(
                    code::CONFIGS_IGNORED_KEY,
                    at,
                    format!(
                        "`{key}` is not a setting of {}: the service silently ignores it",
                        place(&parent).replace("the configuration", "this map")
                    ),
                )
                .help(help)
            } else {
                ConfigFinding::new(
                    rejected_code,
                    at,
                    format!(
                        "`{key}` is not a setting of {}: {}",
                        place(&parent),
                        consequence(section, path)
                    ),
                )
                .help(help)
            }
        }
        IssueKind::Type(types) => {
            let got = value.map_or("missing", kind_of);
            let mut help = format!("write {}", describe_types(types));
            let is_text = types.iter().any(|t| t == "string");
            if is_text && DURATION_KEYS.contains(&key.as_str()) {
                help =
                    "write the duration as text with a unit, in quotes: \"7d\", \"30m\", \"10s\""
                        .into();
            } else if is_text && matches!(value, Some(Value::Number(_) | Value::Bool(_))) {
                help = "put the value in quotes: the service does not turn numbers or booleans into text".into();
            } else if types.iter().any(|t| t == "array") && value.is_some_and(Value::is_string) {
                help = "write a list, even of one item: `[\"...\"]`".into();
            }
            // A name list item that is a map or list crashes the loader.
            let crash = section == Section::Pools
                && matches!(path.last(), Some(Segment::Index(_)))
                && value.is_some_and(|v| v.is_object() || v.is_array());
            let code = if crash {
                code::CONFIGS_STARTUP_INVALID
            } else {
                rejected_code
            };
            let effect = if crash {
                "the service stops at start when it resolves the pool's templates".to_owned()
            } else {
                consequence(section, path)
            };
            let what = if path.0.len() == 1 {
                format!("`{}` must be a map", at)
            } else {
                format!(
                    "`{key_or_item}` must be {}",
                    describe_types(types),
                    key_or_item = shown(path)
                )
            };
            if crash {
                help = "write the name of an entry, as text".into();
            }
            ConfigFinding::new(code, at, format!("{what}, not {got}: {effect}")).help(help)
        }
        IssueKind::Enum(allowed) => {
            let allowed: Vec<String> = allowed
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect();
            let got = value.map_or_else(String::new, |v| {
                v.as_str().map_or_else(|| v.to_string(), str::to_owned)
            });
            let help = match closest(&got, allowed.iter().map(String::as_str)) {
                Some(c) => format!("did you mean `{c}`? (the case matters)"),
                None => format!("use {}", quoted_list(&allowed)),
            };
            ConfigFinding::new(
                rejected_code,
                at,
                format!(
                    "`{}` is `{got}`, which the service does not accept ({}): {}",
                    shown(path),
                    quoted_list(&allowed),
                    consequence(section, path)
                ),
            )
            .help(help)
        }
        IssueKind::Range(bound) => ConfigFinding::new(
            rejected_code,
            at,
            format!(
                "`{}` must {bound}: {}",
                shown(path),
                consequence(section, path)
            ),
        )
        .help(range_help(bound)),
        IssueKind::Required(field) => {
            let help = match (section, field.as_str()) {
                (Section::Pools, "backend") => {
                    "add `backend: <name>`, a key of `services.configs.backends`".to_owned()
                }
                (Section::Roles, "description") => "add a `description`".to_owned(),
                _ => format!("add `{field}`"),
            };
            let whole_entry = path.0.len() <= 2
                || (section == Section::Dataset && path.0.len() == 3)
                || matches!(place(path).as_str(), p if p.starts_with('`'));
            let what = if whole_entry {
                place(path)
            } else {
                format!("`{}` of {}", shown(path), place(path))
            };
            ConfigFinding::new(
                rejected_code,
                at,
                format!(
                    "{what} has no `{field}`, which the service requires: {}",
                    consequence(section, path)
                ),
            )
            .help(help)
        }
        IssueKind::Format(check, why) => {
            let help = match check {
                Check::StorageEndpoint | Check::DatasetPath => {
                    "write a storage URI such as `s3://bucket/prefix`, `gs://bucket`, \
                     `azure://account/container`; an S3-compatible service's URL goes in \
                     `override_url`"
                }
                Check::CliVersion => "write the version in quotes, such as \"6.3.1\"",
                Check::Action => "write actions such as `workflow:Create`, `dataset:*` or `*:*`",
                Check::Rfc1123Subdomain => "use lowercase letters, digits and `-`, such as the key",
                Check::CronSchedule => "write five fields, such as \"0 2 * * *\"",
                Check::TestTimeout => {
                    "write a duration from 30s to 24h, such as \"300s\" or \"1h30m\""
                }
                Check::NodeCondition => {
                    "use a condition type such as `Ready` or `example.com/gpu-ok`"
                }
            };
            ConfigFinding::new(
                rejected_code,
                at,
                format!("`{}` {why}: {}", shown(path), consequence(section, path)),
            )
            .help(help)
        }
        IssueKind::Conflict(keys) => ConfigFinding::new(
            rejected_code,
            at,
            format!(
                "{} sets both {}, which are the same setting: {}",
                place(path),
                quoted_list(keys),
                consequence(section, path)
            ),
        )
        .help("keep only one of them"),
        IssueKind::Advice(advice, why) => ConfigFinding::new(
            code::CONFIGS_UNUSABLE_VALUE,
            at,
            format!("`{}` {why}", shown(path)),
        )
        .help(match advice {
            Advice::BucketMode => "use `read-only` or `read-write`",
            Advice::Duration | Advice::DurationOrEmpty => {
                "use a whole number and one unit, such as \"7d\", \"12h\" or \"30m\""
            }
        }),
    }
}

/// Advice for a range issue ("be greater than 0" → "use a value greater than 0").
fn range_help(bound: &str) -> String {
    if let Some(rest) = bound.strip_prefix("be ") {
        format!("use a value {rest}")
    } else if let Some(rest) = bound.strip_prefix("have ") {
        format!("give {rest}")
    } else {
        format!("write a value that does {bound}").replace("does not be", "is not")
    }
}

/// The offending key, or `key[i]` for a list item.
fn shown(path: &Path) -> String {
    let n = path.0.len();
    match path.0.as_slice() {
        [.., Segment::Key(k), Segment::Index(i)] => format!("{k}[{i}]"),
        [.., Segment::Key(k)] if n > 0 => k.clone(),
        _ => path.to_string(),
    }
}
