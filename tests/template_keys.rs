//! The keys the real chart templates read, derived by scanning the templates
//! (`support::template_scan`), against the keys our models know.
//!
//! For 6.2.10, asserted: every key a template reads is modelled (or lies in a
//! free-form map), and every modelled key no template reads says so in its
//! schema description (`No effect:` followed by what the chart uses instead),
//! or is one of the keys removed in chart 1.2.1. A `No effect:` key that a
//! template does read fails too. For 6.3.1 the report is printed: its models
//! are being written.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use osmo_values::lint::suggest::Shape;
use osmo_values::{Chart, Release};
use serde_json::Value;
use support::template_scan::{self, ReadKind, Seg, VPath};

/// How a no-effect key's schema description starts (our marker).
const NO_EFFECT: &str = "No effect:";
/// How a key removed in chart 1.2.1 is described.
const REMOVED: &str = "Removed in chart 1.2.1";

/// Kubernetes structures our models share between places, which the backend-operator
/// chart reads field by field in these places only: the fields it skips there are
/// silently lost. Known and listed here until the models give these places their own
/// types (the list must match the scan exactly).
const FIELD_BY_FIELD: &[&str] = &[
    "backend-operator: global.network.allowlistEgress.resources.requests.ephemeral-storage",
    "backend-operator: global.network.allowlistEgress.resources.limits.cpu",
    "backend-operator: global.network.allowlistEgress.resources.limits.ephemeral-storage",
    "backend-operator: global.network.allowlistEgress.resources.claims",
    "backend-operator: backendTestRunner.podTemplate.securityContext.fsGroupChangePolicy",
    "backend-operator: backendTestRunner.podTemplate.securityContext.supplementalGroups",
    "backend-operator: backendTestRunner.podTemplate.securityContext.seccompProfile.localhostProfile",
    "backend-operator: backendTestRunner.podTemplate.securityContext.sysctls",
    "backend-operator: backendTestRunner.podTemplate.securityContext.seLinuxOptions",
    "backend-operator: backendTestRunner.podTemplate.containerSecurityContext.privileged",
    "backend-operator: backendTestRunner.podTemplate.containerSecurityContext.runAsNonRoot",
    "backend-operator: backendTestRunner.podTemplate.containerSecurityContext.runAsUser",
    "backend-operator: backendTestRunner.podTemplate.containerSecurityContext.runAsGroup",
    "backend-operator: backendTestRunner.podTemplate.containerSecurityContext.seccompProfile",
    "backend-operator: backendTestRunner.podTemplate.containerSecurityContext.seLinuxOptions",
    "backend-operator: backendTestRunner.podTemplate.containerSecurityContext.procMount",
];

/// An override key of a service's Envoy that only the Envoy container reads (OV309).
fn envoy_override_ignored(key: &str) -> bool {
    ["service", "logger", "agent"].iter().any(|svc| {
        key.strip_prefix(&format!("services.{svc}.envoy."))
            .is_some_and(|rest| osmo_values::lint::ENVOY_OVERRIDE_CONTAINER_ONLY.contains(&rest))
    })
}

/// The description of the key at `path` in a draft-07 schema (references followed).
fn description(schema: &Value, path: &str) -> Option<String> {
    fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => r
                .strip_prefix("#/")
                .map(|p| p.split('/').fold(root, |n, k| &n[k]))
                .map(|n| resolve(root, n))
                .unwrap_or(node),
            None => node,
        }
    }
    fn property<'a>(root: &'a Value, node: &'a Value, key: &str) -> Option<&'a Value> {
        let node = resolve(root, node);
        if let Some(p) = node.get("properties").and_then(|p| p.get(key)) {
            return Some(p);
        }
        for k in ["anyOf", "oneOf", "allOf"] {
            for branch in node.get(k).and_then(Value::as_array).into_iter().flatten() {
                if let Some(p) = property(root, branch, key) {
                    return Some(p);
                }
            }
        }
        None
    }
    fn describe(root: &Value, node: &Value) -> Option<String> {
        if let Some(d) = node.get("description").and_then(Value::as_str) {
            return Some(d.to_owned());
        }
        let target = resolve(root, node);
        if !std::ptr::eq(target, node) {
            return describe(root, target);
        }
        for k in ["anyOf", "oneOf", "allOf"] {
            for branch in node.get(k).and_then(Value::as_array).into_iter().flatten() {
                if let Some(d) = describe(root, branch) {
                    return Some(d);
                }
            }
        }
        None
    }
    let mut node = schema;
    for key in path.split('.') {
        node = property(schema, node, key)?;
    }
    describe(schema, node)
}

/// Every named key of a key tree, outside lists' items and free-form maps' values.
fn modelled(shape: &Shape, prefix: &str, out: &mut Vec<String>) {
    for key in &shape.order {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let child = &shape.props[key];
        if child.order.is_empty() {
            out.push(path);
        } else {
            modelled(child, &path, out);
        }
    }
}

fn scan(release: &Path, chart: &str) -> template_scan::Scan {
    let scan = template_scan::scan_chart(&release.join(chart));
    assert!(scan.files > 0, "{chart}: no templates");
    scan
}

#[test]
fn the_6_2_models_know_every_key_the_templates_read_and_mark_the_rest() {
    let Some(shared) = support::shared_or_skip("scanning the 6.2.10 templates") else {
        return;
    };
    let release = shared.join("reference/osmo-6.2.10");
    let mut failures = Vec::new();
    let mut field_by_field = Vec::new();
    for chart in Chart::all(Release::V6_2_10) {
        let name = chart.name;
        let shape = Shape::of_chart(chart);
        let schema = chart.schema();
        let scan = scan(&release, name.as_str());
        let read = template_scan::leaves(&scan.reads);
        // Keys the chart refuses (read only by validation.yaml, to fail the install) are
        // deliberately not modelled: the linter has a rule for each.
        let mut refused = Vec::new();
        for p in scan.reads.keys() {
            let Some(u) = template_scan::unmodelled(&shape, p) else {
                continue;
            };
            let readers = &scan.readers[p];
            if readers.iter().all(|r| r == "validation.yaml") {
                refused.push(u);
            } else {
                failures.push(format!(
                    "{name}: the templates ({readers:?}) read `{u}`, which the model lacks"
                ));
            }
        }
        let unread = template_scan::unread(&shape, &scan.reads);
        let mut no_effect = Vec::new();
        let mut overrides = 0;
        for key in &unread {
            match description(&schema, key) {
                Some(d) if d.starts_with(NO_EFFECT) => no_effect.push(key.clone()),
                Some(d) if d.starts_with(REMOVED) => {}
                _ if envoy_override_ignored(key) => overrides += 1,
                _ if FIELD_BY_FIELD.contains(&format!("{name}: {key}").as_str()) => {
                    field_by_field.push(format!("{name}: {key}"));
                }
                d => failures.push(format!(
                    "{name}: no template reads `{key}`, but its description does not start with `{NO_EFFECT}`: {d:?}"
                )),
            }
        }
        let mut all = Vec::new();
        modelled(&shape, "", &mut all);
        for key in &all {
            let marked = description(&schema, key).is_some_and(|d| d.starts_with(NO_EFFECT));
            let is_unread = unread
                .iter()
                .any(|u| key == u || key.starts_with(&format!("{u}.")));
            if marked && !is_unread {
                failures.push(format!(
                    "{name}: `{key}` is described as having no effect, but a template reads it"
                ));
            }
        }
        println!(
            "scan {name} 6.2.10: {} templates, {} distinct keys read ({} read whole by toYaml), {} keys modelled; unread: {} no effect {:?}, {} per-service Envoy overrides (OV309), {} removed in 1.2.1; refused, read by validation.yaml only: {:?}; unresolved helper calls: {}",
            scan.files,
            read.len(),
            scan.reads
                .values()
                .filter(|k| **k == ReadKind::Subtree)
                .count(),
            all.len(),
            no_effect.len(),
            no_effect,
            overrides,
            unread.len()
                - no_effect.len()
                - overrides
                - field_by_field
                    .iter()
                    .filter(|f| f.starts_with(&format!("{name}: ")))
                    .count(),
            refused,
            scan.unresolved_calls,
        );
    }
    let expected: Vec<String> = FIELD_BY_FIELD.iter().map(|s| (*s).to_owned()).collect();
    if field_by_field != expected {
        failures.push(format!(
            "the keys read field by field changed: {field_by_field:#?}"
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The key tree of a chart's default values.yaml (maps only; lists are leaves).
fn defaults_shape(v: &Value) -> Shape {
    let mut s = Shape::default();
    if let Value::Object(m) = v {
        for (k, child) in m {
            s.order.push(k.clone());
            s.props.insert(k.clone(), defaults_shape(child));
        }
    }
    s
}

/// 6.3.1: printed, not asserted (its models are being written). Compared with the
/// chart's own values.yaml: keys read that it lacks, and keys it has that no template reads.
#[test]
fn report_the_6_3_1_keys() {
    let Some(shared) = support::shared_or_skip("scanning the 6.3.1 templates") else {
        return;
    };
    let release = shared.join("reference/osmo-6.3.1");
    for chart in ["service", "backend-operator"] {
        let text = std::fs::read_to_string(release.join(chart).join("values.yaml")).unwrap();
        let defaults = support::yaml_to_json(&text);
        let shape = defaults_shape(&defaults);
        let scan = scan(&release, chart);
        // Keys read that values.yaml lacks: the first missing step of each read path.
        let mut missing: BTreeMap<String, ()> = BTreeMap::new();
        for p in scan.reads.keys() {
            let mut s = &shape;
            for (i, seg) in p.iter().enumerate() {
                match seg {
                    Seg::Key(k) if s.order.is_empty() && i > 0 => break,
                    Seg::Key(k) => match s.props.get(k) {
                        Some(c) => s = c,
                        None => {
                            let shown: VPath = p[..=i].to_vec();
                            missing.insert(template_scan::show(&shown), ());
                            break;
                        }
                    },
                    Seg::Any => break,
                }
            }
        }
        let unread = template_scan::unread(&shape, &scan.reads);
        println!(
            "scan {chart} 6.3.1: {} templates, {} distinct keys read; read but not in values.yaml: {:?}; in values.yaml but read by no template: {:?}",
            scan.files,
            template_scan::leaves(&scan.reads).len(),
            missing.keys().collect::<Vec<_>>(),
            unread
        );
        assert!(!scan.reads.is_empty());
    }
}
