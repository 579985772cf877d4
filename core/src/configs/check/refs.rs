//! Names that must refer to something, and the templates the service
//! merges into pools when it loads the configuration.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::super::render::helm_path;
use super::{ConfigFinding, kind_of};
use crate::lint::code;
use crate::path::Path;

fn keys(doc: &Value, section: &str) -> BTreeSet<String> {
    doc.get(section)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// One kind of named entry a list of names refers to.
struct Target<'a> {
    /// The section holding the names (ConfigMap key).
    section: &'a str,
    /// Its Helm key, for messages.
    helm: &'a str,
    /// What a missing one does.
    effect: &'a str,
}

const POD_TEMPLATES: Target<'static> = Target {
    section: "pod_templates",
    helm: "podTemplates",
    effect: "the service only logs it, and the pods get a smaller template",
};
const VALIDATIONS: Target<'static> = Target {
    section: "resource_validations",
    helm: "resourceValidations",
    effect: "the service only logs it, and tasks go unchecked",
};
const GROUP_TEMPLATES: Target<'static> = Target {
    section: "group_templates",
    helm: "groupTemplates",
    effect: "the service only logs it, and the objects are not created",
};
const BACKEND_TESTS: Target<'static> = Target {
    section: "backend_tests",
    helm: "backendTests",
    effect: "the test never runs",
};

/// Reports every name in the list at `at` that is not a key of `target`.
fn names_exist(
    doc: &Value,
    owner: &str,
    at: &Path,
    target: &Target<'_>,
    out: &mut Vec<ConfigFinding>,
) {
    let Some(Value::Array(names)) = super::value_at(doc, at) else {
        return;
    };
    let known = keys(doc, target.section);
    for (i, name) in names.iter().enumerate() {
        let Some(name) = name.as_str() else { continue };
        if known.contains(name) {
            continue;
        }
        let suggestion = crate::lint::suggest::closest(name, known.iter().map(String::as_str))
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        out.push(
            ConfigFinding::new(
                code::CONFIGS_UNKNOWN_REFERENCE,
                helm_path(&at.clone().index(i)),
                format!(
                    "{owner} refers to `{name}`, which is not a key of \
                     `services.configs.{}`: {}",
                    target.helm, target.effect
                ),
            )
            .help(format!(
                "{suggestion}correct the name, or add `{name}` under `services.configs.{}`",
                target.helm
            ))
            .related(
                super::super::configs_path().key(target.helm),
                "the names that exist",
            ),
        );
    }
}

/// Checks the references between sections and the shapes the service walks
/// through when it merges templates into pools at load. Returns the
/// document paths whose shape it reported (the models say no more there).
pub(super) fn check(doc: &Value, out: &mut Vec<ConfigFinding>) -> Vec<Path> {
    let mut crashes = Vec::new();
    let backends = keys(doc, "backends");
    let mut used_pod_templates = BTreeSet::new();
    let mut used_group_templates = BTreeSet::new();
    let mut used_validations = BTreeSet::new();
    if let Some(Value::Object(pools)) = doc.get("pools") {
        for (name, pool) in pools {
            let Value::Object(pool) = pool else { continue };
            let base = Path::root().key("pools").key(name.clone());
            let owner = format!("pool `{name}`");
            if let Some(Value::String(backend)) = pool.get("backend")
                && !backends.contains(backend)
            {
                out.push(
                    ConfigFinding::new(
                        code::CONFIGS_UNKNOWN_REFERENCE,
                        helm_path(&base.clone().key("backend")),
                        format!(
                            "pool `{name}` runs on backend `{backend}`, which is not a key of \
                             `services.configs.backends`: workflows submitted to it fail"
                        ),
                    )
                    .help(format!(
                        "add `{backend}` under `services.configs.backends`, or set `backend` \
                         to one of its keys"
                    ))
                    .related(
                        super::super::configs_path().key("backends"),
                        "the backends that exist",
                    ),
                );
            }
            let platforms = pool.get("platforms").and_then(Value::as_object);
            if let Some(Value::String(default)) = pool.get("default_platform")
                && !platforms.is_some_and(|p| p.contains_key(default))
            {
                out.push(
                    ConfigFinding::new(
                        code::CONFIGS_UNKNOWN_REFERENCE,
                        helm_path(&base.clone().key("default_platform")),
                        format!(
                            "the default platform `{default}` of pool `{name}` is not one of its \
                             platforms: workflows that name no platform cannot be placed"
                        ),
                    )
                    .help(format!(
                        "add `{default}:` under the pool's `platforms`, or name one of them"
                    )),
                );
            }
            for (field, target, used) in [
                (
                    "common_pod_template",
                    &POD_TEMPLATES,
                    &mut used_pod_templates,
                ),
                (
                    "common_resource_validations",
                    &VALIDATIONS,
                    &mut used_validations,
                ),
                (
                    "common_group_templates",
                    &GROUP_TEMPLATES,
                    &mut used_group_templates,
                ),
            ] {
                let at = base.clone().key(field);
                names_exist(doc, &owner, &at, target, out);
                used.extend(strings(pool.get(field)));
            }
            for (pname, platform) in platforms.into_iter().flatten() {
                let Value::Object(platform) = platform else {
                    continue;
                };
                let pbase = base.clone().key("platforms").key(pname.clone());
                let owner = format!("platform `{pname}` of pool `{name}`");
                for (field, target, used) in [
                    (
                        "override_pod_template",
                        &POD_TEMPLATES,
                        &mut used_pod_templates,
                    ),
                    ("resource_validations", &VALIDATIONS, &mut used_validations),
                ] {
                    names_exist(doc, &owner, &pbase.clone().key(field), target, out);
                    used.extend(strings(platform.get(field)));
                }
            }
        }
    }
    if let Some(Value::Object(bs)) = doc.get("backends") {
        for (name, backend) in bs {
            let at = Path::root().key("backends").key(name.clone()).key("tests");
            if backend.is_object() {
                names_exist(doc, &format!("backend `{name}`"), &at, &BACKEND_TESTS, out);
            }
        }
    }
    if let Some(Value::Object(tests)) = doc.get("backend_tests") {
        for (name, test) in tests {
            let at = Path::root()
                .key("backend_tests")
                .key(name.clone())
                .key("common_pod_template");
            if test.is_object() {
                names_exist(
                    doc,
                    &format!("backend test `{name}`"),
                    &at,
                    &POD_TEMPLATES,
                    out,
                );
            }
        }
    }
    if let Some(Value::String(bucket)) = doc.pointer("/dataset/default_bucket")
        && !bucket.is_empty()
        && doc
            .pointer("/dataset/buckets")
            .and_then(Value::as_object)
            .is_none_or(|b| !b.contains_key(bucket))
    {
        out.push(
            ConfigFinding::new(
                code::CONFIGS_UNKNOWN_REFERENCE,
                helm_path(&Path::keys("dataset.default_bucket")),
                format!(
                    "the default bucket `{bucket}` is not a key of `dataset.buckets`: datasets \
                     that name no bucket fail"
                ),
            )
            .help("name one of the buckets, or add it under `dataset.buckets`"),
        );
    }
    templates(
        doc,
        &used_pod_templates,
        &used_group_templates,
        &used_validations,
        out,
        &mut crashes,
    );
    crashes
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Problems of one pod template that stop the service's merge, each with
/// what is wrong in words.
fn pod_template_shape(name: &str, template: &Value, at: &Path) -> Vec<(Path, String)> {
    let mut found = Vec::new();
    let of = format!("of pod template `{name}`");
    let Value::Object(t) = template else {
        found.push((
            at.clone(),
            format!("pod template `{name}` is {}, not a map", kind_of(template)),
        ));
        return found;
    };
    let Some(spec) = t.get("spec") else {
        return found;
    };
    let Value::Object(spec) = spec else {
        found.push((
            at.clone().key("spec"),
            format!("`spec` {of} is {}, not a map", kind_of(spec)),
        ));
        return found;
    };
    let Some(containers) = spec.get("containers") else {
        return found;
    };
    let Value::Array(containers) = containers else {
        found.push((
            at.clone().key("spec").key("containers"),
            format!(
                "`spec.containers` {of} is {}, not a list",
                kind_of(containers)
            ),
        ));
        return found;
    };
    for (i, c) in containers.iter().enumerate() {
        let cat = at.clone().key("spec").key("containers").index(i);
        let Value::Object(c) = c else {
            found.push((
                cat,
                format!("container {i} {of} is {}, not a map", kind_of(c)),
            ));
            continue;
        };
        if let Some(mounts) = c.get("volumeMounts") {
            match mounts {
                Value::Array(ms) => {
                    for (j, m) in ms.iter().enumerate() {
                        if !m.is_object() {
                            found.push((
                                cat.clone().key("volumeMounts").index(j),
                                format!(
                                    "volume mount {j} of container {i} {of} is {}, not a map",
                                    kind_of(m)
                                ),
                            ));
                        }
                    }
                }
                other => found.push((
                    cat.clone().key("volumeMounts"),
                    format!(
                        "`volumeMounts` of container {i} {of} is {}, not a list",
                        kind_of(other)
                    ),
                )),
            }
        }
    }
    found
}

fn templates(
    doc: &Value,
    used_pod: &BTreeSet<String>,
    used_group: &BTreeSet<String>,
    used_validations: &BTreeSet<String>,
    out: &mut Vec<ConfigFinding>,
    crashes: &mut Vec<Path>,
) {
    let crash_or_later = |used: bool, crashes: &mut Vec<Path>, path: &Path| {
        crashes.push(path.clone());
        if used {
            (
                code::CONFIGS_STARTUP_INVALID,
                "a pool uses it, and the service stops at start when it merges it",
            )
        } else {
            (
                code::CONFIGS_ENTRY_INVALID,
                "the service fails when a pool or backend test uses it",
            )
        }
    };
    let empty = Map::new();
    let pod = doc
        .get("pod_templates")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (name, template) in pod {
        let at = Path::root().key("pod_templates").key(name.clone());
        for (path, what) in pod_template_shape(name, template, &at) {
            let (code, effect) = crash_or_later(used_pod.contains(name), crashes, &path);
            out.push(
                ConfigFinding::new(code, helm_path(&path), format!("{what}: {effect}"))
                    .help("write the template as a Kubernetes pod fragment: `spec: {containers: [{name: ..., ...}]}`"),
            );
        }
    }
    let group = doc
        .get("group_templates")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (name, template) in group {
        let at = Path::root().key("group_templates").key(name.clone());
        let used = used_group.contains(name);
        let Value::Object(t) = template else {
            let (code, effect) = crash_or_later(used, crashes, &at);
            out.push(
                ConfigFinding::new(
                    code,
                    helm_path(&at),
                    format!(
                        "group template `{name}` is {}, not a map: {effect}",
                        kind_of(template)
                    ),
                )
                .help("write a whole Kubernetes object: `apiVersion`, `kind`, `metadata.name`"),
            );
            continue;
        };
        if let Some(meta) = t.get("metadata")
            && !meta.is_object()
        {
            let mpath = at.clone().key("metadata");
            let (code, effect) = crash_or_later(used, crashes, &mpath);
            out.push(ConfigFinding::new(
                code,
                helm_path(&mpath),
                format!(
                    "`metadata` of group template `{name}` is {}, not a map: {effect}",
                    kind_of(meta)
                ),
            ));
            continue;
        }
        let missing: Vec<&str> = [
            ("apiVersion", t.get("apiVersion")),
            ("kind", t.get("kind")),
            (
                "metadata.name",
                t.get("metadata").and_then(|m| m.get("name")),
            ),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty())))
        .map(|(k, _)| k)
        .collect();
        if !missing.is_empty() {
            out.push(
                ConfigFinding::new(
                    code::CONFIGS_ENTRY_INVALID,
                    helm_path(&at),
                    format!(
                        "group template `{name}` has no {}: Kubernetes refuses the object when a \
                         workflow creates it",
                        missing
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .help("give the object its `apiVersion`, `kind` and `metadata.name`"),
            );
        }
    }
    let validations = doc
        .get("resource_validations")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (name, v) in validations {
        if used_validations.contains(name) && (v.is_number() || v.is_boolean()) {
            let at = Path::root().key("resource_validations").key(name.clone());
            crashes.push(at.clone());
            out.push(
                ConfigFinding::new(
                    code::CONFIGS_STARTUP_INVALID,
                    helm_path(&at),
                    format!(
                        "resource validation `{name}` is {}, not a list: a pool uses it, and the \
                         service stops at start when it collects the pool's validations",
                        kind_of(v)
                    ),
                )
                .help("write a list of checks: `- {operator: LE, left_operand: ..., right_operand: ..., assert_message: ...}`"),
            );
        }
    }
}
