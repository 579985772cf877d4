//! The ConfigMap-mode configuration as the OSMO 6.3.1 service reads it, from
//! the objects the real chart rendered: `config.yaml` of ConfigMap
//! `osmo-service-configs`, with each `secretName` reference replaced by the
//! Secret's keys only when the Secret is mounted into the pods (listed in
//! `services.configs.secretRefs`: volume `secret-<name>`), then checked
//! against the JSON Schema derived from 6.3.1's own Pydantic models
//! (`../shared/reference/osmo-6.3.1/configs-models.schema.json`), section by
//! section and entry by entry.

use std::collections::{BTreeMap, BTreeSet};

use osmo_values::generate::secrets::ExistingSecrets;
use serde_json::{Map, Value};

/// The name of the ConfigMap the 6.3.1 service chart renders in ConfigMap mode.
pub const CONFIGMAP: &str = "osmo-service-configs";

/// The Deployments that mount the ConfigMap and the Secrets of `secretRefs`.
pub const READERS: [&str; 4] = ["osmo-service", "osmo-worker", "osmo-agent", "osmo-logger"];

/// The derived schema, one compiled validator per unit kind.
pub struct DerivedSchema {
    sections: BTreeMap<&'static str, jsonschema::Validator>,
}

/// Keys of the derived schema, by the part of the document each judges.
const UNITS: [(&str, &str); 9] = [
    ("service", "service"),
    ("workflow", "workflow"),
    ("dataset", "dataset"),
    ("pool", "pools.<name> (PoolEditable)"),
    ("scheduler", "backends.<name>.scheduler_settings"),
    ("node_conditions", "backends.<name>.node_conditions"),
    (
        "assertion",
        "resource_validations.<name>[] (ResourceAssertion)",
    ),
    ("role", "roles.<name> (Role; name injected from key)"),
    ("backend_test", "backend_tests.<name> (BackendTests)"),
];

impl DerivedSchema {
    /// Reads and compiles the derived schema.
    pub fn load(path: &std::path::Path) -> DerivedSchema {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let raw: Value = serde_json::from_str(&text).expect("the derived schema is JSON");
        let sections = UNITS
            .iter()
            .map(|(unit, key)| {
                let schema = raw
                    .get(*key)
                    .unwrap_or_else(|| panic!("the derived schema changed: no `{key}`"));
                let validator = jsonschema::draft202012::new(schema)
                    .unwrap_or_else(|e| panic!("`{key}` does not compile: {e}"));
                (*unit, validator)
            })
            .collect();
        DerivedSchema { sections }
    }

    fn check(&self, unit: &str, at: &str, value: &Value, out: &mut Checked) {
        out.units += 1;
        for e in self.sections[unit].iter_errors(value) {
            out.problems.push(format!("{at}{}: {e}", e.instance_path()));
        }
    }
}

/// What checking one rendered deployment found.
#[derive(Debug, Default)]
pub struct Checked {
    /// The Secrets mounted into the service's pods.
    pub mounted: BTreeSet<String>,
    /// References to Secrets replaced by their keys.
    pub resolved: usize,
    /// Units (sections, pools, roles, ...) validated.
    pub units: usize,
    /// Everything that would stop the service or fail at request time.
    pub problems: Vec<String>,
}

fn find<'o>(objects: &'o [Value], kind: &str, name: &str) -> Option<&'o Value> {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["name"] == name)
        .map(|o| &o["object"])
}

/// The Secrets a Deployment mounts as `secret-<name>` volumes.
fn mounted_secrets(deployment: &Value) -> BTreeSet<String> {
    deployment["spec"]["template"]["spec"]["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["name"].as_str().is_some_and(|n| n.starts_with("secret-")))
        .filter_map(|v| v["secret"]["secretName"].as_str().map(str::to_owned))
        .collect()
}

/// Replaces every mapping naming a mounted Secret by the Secret's keys merged in (one
/// field per key, as the Secrets of `secrets.yaml` are written), the way the service's
/// loader does; a Secret that is not mounted stays a reference.
fn resolve(
    value: &mut Value,
    mounted: &BTreeSet<String>,
    secrets: &ExistingSecrets,
    out: &mut Checked,
) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("secretName")
                .and_then(Value::as_str)
                .map(str::to_owned)
                && mounted.contains(&name)
            {
                let keys: Map<String, Value> = secrets
                    .iter()
                    .filter(|(secret, _, _)| *secret == name)
                    .map(|(_, key, v)| (key.to_owned(), Value::String(v.to_owned())))
                    .collect();
                if keys.is_empty() {
                    out.problems.push(format!(
                        "Secret {name} is mounted but secrets.yaml does not create it"
                    ));
                }
                map.remove("secretName");
                map.remove("secretKey");
                map.extend(keys);
                out.resolved += 1;
            }
            map.values_mut()
                .for_each(|v| resolve(v, mounted, secrets, out));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| resolve(v, mounted, secrets, out)),
        _ => {}
    }
}

/// Checks the rendered ConfigMap of one service-chart job (`objects` as `render.py`
/// returns them); `None` when the chart rendered no ConfigMap (the database mode).
pub fn check(
    objects: &[Value],
    secrets: &ExistingSecrets,
    schema: &DerivedSchema,
) -> Option<Checked> {
    let configmap = find(objects, "ConfigMap", CONFIGMAP)?;
    let mut out = Checked::default();
    let Some(text) = configmap["data"]["config.yaml"].as_str() else {
        out.problems
            .push(format!("ConfigMap {CONFIGMAP} has no config.yaml"));
        return Some(out);
    };
    let mut doc = super::yaml_to_json(text);
    for (i, reader) in READERS.iter().enumerate() {
        let Some(deployment) = find(objects, "Deployment", reader) else {
            out.problems.push(format!("no Deployment {reader}"));
            continue;
        };
        let mounted = mounted_secrets(deployment);
        if i == 0 {
            out.mounted = mounted;
        } else if mounted != out.mounted {
            out.problems.push(format!(
                "{reader} mounts {mounted:?}, osmo-service {:?}",
                out.mounted
            ));
        }
    }
    let mounted = out.mounted.clone();
    for section in ["service", "workflow", "dataset"] {
        if let Some(v) = doc.get_mut(section) {
            resolve(v, &mounted, secrets, &mut out);
        }
    }
    osmo_values::configs::prepare_document(&mut doc);
    for section in ["service", "workflow", "dataset"] {
        if let Some(v) = doc.get(section) {
            schema.check(section, section, v, &mut out);
        }
    }
    let entries = |key: &str| -> Vec<(String, Value)> {
        doc.get(key)
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    };
    for (name, pool) in entries("pools") {
        schema.check("pool", &format!("pools.{name}"), &pool, &mut out);
    }
    for (name, backend) in entries("backends") {
        for (key, unit) in [
            ("scheduler_settings", "scheduler"),
            ("node_conditions", "node_conditions"),
        ] {
            if let Some(v) = backend.get(key) {
                schema.check(unit, &format!("backends.{name}.{key}"), v, &mut out);
            }
        }
    }
    for (name, list) in entries("resource_validations") {
        for (i, a) in list.as_array().into_iter().flatten().enumerate() {
            schema.check(
                "assertion",
                &format!("resource_validations.{name}[{i}]"),
                a,
                &mut out,
            );
        }
    }
    for (name, mut role) in entries("roles") {
        if let Some(m) = role.as_object_mut() {
            m.insert("name".into(), Value::String(name.clone()));
        }
        schema.check("role", &format!("roles.{name}"), &role, &mut out);
    }
    for (name, test) in entries("backend_tests") {
        schema.check(
            "backend_test",
            &format!("backend_tests.{name}"),
            &test,
            &mut out,
        );
    }
    Some(out)
}
