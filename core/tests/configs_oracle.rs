//! The oracle test: our `services.configs` models accept and refuse the same
//! documents as the JSON Schema derived mechanically from OSMO 6.3.1's own
//! Pydantic models (`../shared/reference/osmo-6.3.1/configs-models.schema.json`),
//! over our fixtures and over generated documents (valid-ish ones, and ones
//! with wrong types, unknown keys, bad enum values, bad storage URIs,
//! numbers for durations, missing keys, lax text numbers and booleans).
//!
//! Each document is compared unit by unit, where the derived schema has a
//! model: the `service`, `workflow` and `dataset` sections, each pool, each
//! backend's `scheduler_settings` and `node_conditions`, each resource
//! assertion, each role, each backend test.
//!
//! What the comparison accounts for, each a fact of the service (FACTS-6.3):
//! - Lax mode (§5.3): the service reads `"50"` as 50 where a whole number is
//!   expected and `"yes"` as true; the derived schema lists only JSON types.
//!   The oracle therefore sees the document as the models coerce it
//!   ([`Validator::coerce`]): a wrong coercion on our side still shows.
//! - Validators (§5.3): the service checks storage endpoints, CLI versions,
//!   role actions and backend-test names, schedules, timeouts and node
//!   conditions with code the derived schema cannot carry. Where only such a
//!   check refuses a unit, the oracle accepts it; these are counted as
//!   "stricter by the service's own checks", never as agreements.
//! - Helm (§5.1): a map key set to `null` is deleted before the chart
//!   renders, so documents are compared without them.
//! - The loader (§5.2): a bucket credential without `endpoint` gets the
//!   bucket's path before validation, so both sides see it filled in; units
//!   reading a Kubernetes Secret (`secretName`) are skipped, because the
//!   Secret's content replaces them before validation.
//! - Go authorization service (§5.2): a single string for `actions` is
//!   accepted by Python but stops the Go service. Our model refuses it, as
//!   the derived schema does: no disagreement, and the linter reports it as
//!   OV602 on top.
//! - The derived schema lost some properties when titles and descriptions
//!   were stripped from it (the `description` settings of buckets, pools,
//!   platforms, roles and backend tests) and it lists only the first name
//!   of `auth` (the service also accepts `password`, not both). [`repair`]
//!   puts those back, asserting each place first.
//!
//! The test prints its counts. Without `../shared` it prints a notice and
//! passes; under `CI=true` it fails instead.
#![cfg(feature = "validate")]

mod common;

use std::cell::RefCell;

use osmo_values::configs::formats::Check;
use osmo_values::configs::validate::{Issue, IssueKind, Reach, Validator, is_secret_reference};
use osmo_values::configs::{
    self, Backend, BackendTest, DatasetConfig, Pool, ResourceAssertion, Role, ServiceConfig,
    WorkflowConfig, document_schema, prepare_document,
};
use osmo_values::path::Path;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{Map, Value, json};

/// The derived schema's models, compiled.
struct Oracle {
    raw: Value,
    service: jsonschema::Validator,
    workflow: jsonschema::Validator,
    dataset: jsonschema::Validator,
    pool: jsonschema::Validator,
    scheduler: jsonschema::Validator,
    node_conditions: jsonschema::Validator,
    assertion: jsonschema::Validator,
    role: jsonschema::Validator,
    backend_test: jsonschema::Validator,
}

const POOL: &str = "pools.<name> (PoolEditable)";
const SCHEDULER: &str = "backends.<name>.scheduler_settings";
const NODE_CONDITIONS: &str = "backends.<name>.node_conditions";
const ASSERTION: &str = "resource_validations.<name>[] (ResourceAssertion)";
const ROLE: &str = "roles.<name> (Role; name injected from key)";
const BACKEND_TEST: &str = "backend_tests.<name> (BackendTests)";

fn add_property(schema: &mut Value, pointer: &str, name: &str, prop: Value) {
    let target = schema
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the derived schema changed: no {pointer}"));
    let props = target
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("the derived schema changed: {pointer} has no properties"));
    assert!(
        !props.contains_key(name),
        "the derived schema now has {pointer}.{name}: remove this repair"
    );
    props.insert(name.into(), prop);
}

/// Puts back what the derivation lost (see the module comment).
fn repair(raw: &mut Value) {
    let text = json!({"type": "string"});
    add_property(
        raw,
        "/dataset/$defs/BucketConfig",
        "description",
        text.clone(),
    );
    add_property(
        raw,
        &format!("/{}", escape(POOL)),
        "description",
        text.clone(),
    );
    add_property(
        raw,
        &format!("/{}/$defs/PlatformEditable", escape(POOL)),
        "description",
        text.clone(),
    );
    add_property(
        raw,
        &format!("/{}", escape(ROLE)),
        "description",
        text.clone(),
    );
    add_property(
        raw,
        &format!("/{}", escape(BACKEND_TEST)),
        "description",
        text.clone(),
    );
    add_property(raw, "/workflow/$defs/RegistryCredential", "password", text);
    raw.pointer_mut("/workflow/$defs/RegistryCredential")
        .and_then(Value::as_object_mut)
        .unwrap()
        .insert("not".into(), json!({"required": ["auth", "password"]}));
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl Oracle {
    fn load() -> Option<Oracle> {
        let Some(shared) = common::shared_or_skip("the checks against the 6.3.1 configs models")
        else {
            assert!(
                std::env::var_os("CI").is_none(),
                "../shared is required under CI"
            );
            return None;
        };
        let path = shared.join("reference/osmo-6.3.1/configs-models.schema.json");
        let mut raw: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        repair(&mut raw);
        let compile = |key: &str| {
            jsonschema::draft202012::new(&raw[key])
                .unwrap_or_else(|e| panic!("derived schema {key}: {e}"))
        };
        Some(Oracle {
            service: compile("service"),
            workflow: compile("workflow"),
            dataset: compile("dataset"),
            pool: compile(POOL),
            scheduler: compile(SCHEDULER),
            node_conditions: compile(NODE_CONDITIONS),
            assertion: compile(ASSERTION),
            role: compile(ROLE),
            backend_test: compile(BACKEND_TEST),
            raw,
        })
    }
}

/// The counts the test prints.
#[derive(Debug, Default)]
struct Tally {
    documents: usize,
    units: usize,
    accepted: usize,
    rejected: usize,
    stricter: usize,
    skipped_secret: usize,
    typed_checked: usize,
    disagreements: Vec<String>,
}

impl Tally {
    fn print(&self, what: &str) {
        println!(
            "{what}: {} documents, {} units: {} accepted by both, {} refused by both, \
             {} refused only by the service's own checks, {} skipped (Secret references); \
             {} entries also read by the typed models; {} disagreements",
            self.documents,
            self.units,
            self.accepted,
            self.rejected,
            self.stricter,
            self.skipped_secret,
            self.typed_checked,
            self.disagreements.len()
        );
    }
}

/// An issue the derived schema cannot express (one of the service's own
/// checks in code), or one it can.
fn only_in_code(issue: &Issue) -> bool {
    matches!(issue.kind, IssueKind::Format(check, _) if check != Check::DatasetPath)
}

fn contains_secret_reference(v: &Value) -> bool {
    match v {
        Value::Object(m) => is_secret_reference(m) || m.values().any(contains_secret_reference),
        Value::Array(a) => a.iter().any(contains_secret_reference),
        _ => false,
    }
}

fn contains_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.values().any(contains_null),
        Value::Array(a) => a.iter().any(contains_null),
        _ => false,
    }
}

/// Removes `null` map entries reachable through maps, as Helm does.
fn strip_nulls(v: &mut Value) {
    if let Value::Object(map) = v {
        map.retain(|_, v| !v.is_null());
        map.values_mut().for_each(strip_nulls);
    }
}

/// One unit: where it is in its section, the oracle model, the value.
struct Unit<'o> {
    prefix: Path,
    model: &'o jsonschema::Validator,
    value: Value,
}

fn units<'o>(oracle: &'o Oracle, key: &str, coerced: &Value) -> Vec<Unit<'o>> {
    let mut out = Vec::new();
    let mut push = |prefix: Path, model, value: Value| {
        out.push(Unit {
            prefix,
            model,
            value,
        })
    };
    let entries = coerced.as_object().into_iter().flatten();
    match key {
        "service" => push(Path::root(), &oracle.service, coerced.clone()),
        "workflow" => push(Path::root(), &oracle.workflow, coerced.clone()),
        "dataset" => push(Path::root(), &oracle.dataset, coerced.clone()),
        "pools" => entries.for_each(|(name, pool)| {
            push(Path::root().key(name.clone()), &oracle.pool, pool.clone())
        }),
        "backends" => {
            for (name, backend) in entries {
                for (sub, model) in [
                    ("scheduler_settings", &oracle.scheduler),
                    ("node_conditions", &oracle.node_conditions),
                ] {
                    if let Some(v) = backend.get(sub).filter(|_| backend.is_object()) {
                        push(Path::root().key(name.clone()).key(sub), model, v.clone());
                    }
                }
            }
        }
        "resource_validations" => {
            for (name, list) in entries {
                for (i, item) in list.as_array().into_iter().flatten().enumerate() {
                    push(
                        Path::root().key(name.clone()).index(i),
                        &oracle.assertion,
                        item.clone(),
                    );
                }
            }
        }
        "roles" => {
            for (name, role) in entries {
                let mut injected = role.clone();
                if let Value::Object(m) = &mut injected {
                    m.insert("name".into(), Value::String(name.clone()));
                }
                push(Path::root().key(name.clone()), &oracle.role, injected);
            }
        }
        "backend_tests" => entries.for_each(|(name, t)| {
            push(
                Path::root().key(name.clone()),
                &oracle.backend_test,
                t.clone(),
            )
        }),
        _ => {}
    }
    out
}

fn reads<T: serde::de::DeserializeOwned>(v: &Value) -> bool {
    serde_json::from_value::<T>(v.clone()).is_ok()
}

/// The whole entries of a section, with how the typed models read each.
/// How a typed model reads a value: whether it accepts it.
type Reader = fn(&Value) -> bool;

fn entries(key: &str, section: &Value) -> Vec<(Path, Value, Reader)> {
    let each = |typed: Reader| {
        section
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (Path::root().key(k.clone()), v.clone(), typed))
            .collect()
    };
    match key {
        "service" => vec![(
            Path::root(),
            section.clone(),
            reads::<ServiceConfig> as fn(&Value) -> bool,
        )],
        "workflow" => vec![(
            Path::root(),
            section.clone(),
            reads::<WorkflowConfig> as fn(&Value) -> bool,
        )],
        "dataset" => vec![(
            Path::root(),
            section.clone(),
            reads::<DatasetConfig> as fn(&Value) -> bool,
        )],
        "pools" => each(reads::<Pool>),
        "backends" => each(reads::<Backend>),
        "resource_validations" => each(reads::<Vec<ResourceAssertion>>),
        "roles" => each(reads::<Role>),
        "backend_tests" => each(reads::<BackendTest>),
        _ => Vec::new(),
    }
}

/// Compares one ConfigMap document (as the chart renders it).
fn compare(oracle: &Oracle, doc: &Value, tally: &mut Tally) {
    let mut doc = doc.clone();
    strip_nulls(&mut doc);
    prepare_document(&mut doc);
    let schema = document_schema();
    let ours = Validator::new(schema);
    tally.documents += 1;
    for (key, section) in doc.as_object().into_iter().flatten() {
        let Some(prop) = schema.pointer(&format!("/properties/{key}")) else {
            continue;
        };
        let issues = ours.validate_schema(prop, section, Reach::SECTION);
        let coerced = ours.coerce(prop, section);
        for unit in units(oracle, key, &coerced) {
            if contains_secret_reference(&unit.value) {
                tally.skipped_secret += 1;
                continue;
            }
            tally.units += 1;
            let under: Vec<&Issue> = issues
                .iter()
                .filter(|i| i.kind.rejects() && i.path.0.starts_with(&unit.prefix.0))
                .collect();
            let ours_schema = under.iter().any(|i| !only_in_code(i));
            let ours_any = !under.is_empty();
            let theirs = !unit.model.is_valid(&unit.value);
            match (ours_schema, ours_any, theirs) {
                (false, false, false) => tally.accepted += 1,
                (true, _, true) => tally.rejected += 1,
                (false, true, false) => tally.stricter += 1,
                _ => tally.disagreements.push(format!(
                    "{key}.{}: ours {}, derived schema {}\n  unit: {}\n  our issues: {:?}\n  oracle errors: {:?}",
                    unit.prefix,
                    if ours_any { "refuses" } else { "accepts" },
                    if theirs { "refuses" } else { "accepts" },
                    unit.value,
                    under,
                    unit.model.iter_errors(&unit.value).map(|e| e.to_string()).collect::<Vec<_>>()
                )),
            }
        }
        // The typed models read exactly what the checker accepts (they read
        // `null` as "not set", so entries holding one are left out).
        for (path, value, typed) in entries(key, section) {
            if contains_null(&value) || contains_secret_reference(&value) {
                continue;
            }
            let refused = issues
                .iter()
                .any(|i| i.kind.rejects() && i.path.0.starts_with(&path.0));
            let read = typed(&value);
            tally.typed_checked += 1;
            // serde's derive also reads a struct from a list of its fields in
            // order; the typed models are for values the checker accepted.
            let list_as_struct = read
                && issues
                    .iter()
                    .filter(|i| i.kind.rejects() && i.path.0.starts_with(&path.0))
                    .all(|i| {
                        matches!(&i.kind, IssueKind::Type(t) if t.iter().any(|t| t == "object"))
                            && ours_value(section, &path, &i.path).is_some_and(Value::is_array)
                    });
            if read == refused && !list_as_struct {
                tally.disagreements.push(format!(
                    "{key}.{path}: the typed model {} what the checker {}: {value}",
                    if read { "reads" } else { "refuses" },
                    if refused { "refuses" } else { "accepts" }
                ));
            }
        }
    }
}

/// The value at `at` (relative to the section) of a section.
fn ours_value<'v>(section: &'v Value, _entry: &Path, at: &Path) -> Option<&'v Value> {
    let mut v = section;
    for seg in &at.0 {
        v = match seg {
            osmo_values::path::Segment::Key(k) => v.get(k)?,
            osmo_values::path::Segment::Index(i) => v.get(*i)?,
        };
    }
    Some(v)
}

/// A document generator walking a JSON Schema (ours or the derived one).
struct Gen<'s> {
    root: &'s Value,
    rng: StdRng,
    mutation: f64,
}

const KEYS: [&str; 5] = ["default", "gpu", "a", "b-2", "team_x"];
const TEXT: [&str; 14] = [
    "",
    "x",
    "7d",
    "30m",
    "osmo.example.com",
    "https://osmo.example.com",
    "6.3.1",
    "50",
    "yes",
    "read-only",
    "read-write",
    "{{USER_CPU}}",
    "1Gi",
    "kai-scheduler",
];
const URIS: [&str; 14] = [
    "s3://bucket",
    "s3://bucket/path/",
    "gs://b",
    "azure://acct",
    "azure://acct/c",
    "swift://a/c",
    "swift://a/c/o",
    "tos://b",
    "tos://b/p",
    "http://minio:9000/b",
    "s3://",
    "s3://b//p",
    "ftp://b",
    "bucket",
];
const CHECKED: [&str; 16] = [
    "6.3.1",
    "6.3",
    "",
    "workflow:Create",
    "*:*",
    "Workflow:create",
    "pool/x",
    "gpu-test",
    "GPU_Test",
    "0 2 * * *",
    "0 2 * *",
    "300s",
    "10s",
    "Ready",
    "example.com/gpu-ok",
    "-bad",
];
const DURATIONS: [&str; 8] = ["7d", "30m", "P7D", "1h30m", "", "7", "10s", "7 days"];

impl<'s> Gen<'s> {
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    fn resolve(&self, schema: &'s Value) -> &'s Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => self
                .root
                .pointer(r.trim_start_matches('#'))
                .unwrap_or(schema),
            None => schema,
        }
    }

    /// A wrong value: another type, a lax spelling, a number for text.
    fn wrong(&mut self) -> Value {
        let pool = [
            json!(7),
            json!(-3),
            json!(1.5),
            json!(true),
            json!("50"),
            json!("yes"),
            json!("0.5"),
            json!("7d"),
            json!("abc"),
            json!([]),
            json!(["x"]),
            json!({}),
            json!({"k": "v"}),
            json!(null),
            json!(0),
            json!(" 12 "),
        ];
        let i = self.rng.random_range(0..pool.len());
        pool[i].clone()
    }

    fn instance(&mut self, schema: &'s Value, depth: usize) -> Value {
        if depth > 0 && self.rng.random_bool(self.mutation) {
            return self.wrong();
        }
        let schema = self.resolve(schema);
        let Some(s) = schema.as_object() else {
            return self.wrong();
        };
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = s.get(key) {
                let i = self.rng.random_range(0..branches.len());
                return self.instance(&branches[i], depth);
            }
        }
        if let Some(Value::Array(values)) = s.get("enum") {
            if self.rng.random_bool(0.1) {
                return json!(self.pick(&["Allow ", "KAI", "online", "mount", "<="]));
            }
            let i = self.rng.random_range(0..values.len());
            return values[i].clone();
        }
        if let Some(c) = s.get("const") {
            return c.clone();
        }
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec!["object", "string"],
        };
        let mut t = self.pick(&types);
        if t == "null" && types.len() > 1 && self.rng.random_bool(0.8) {
            t = types
                .iter()
                .copied()
                .find(|t| *t != "null")
                .unwrap_or("null");
        }
        match t {
            "object" => self.object(s, depth),
            "array" => {
                let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let n = self
                    .rng
                    .random_range(0..3usize)
                    .max(if self.rng.random_bool(0.8) { min } else { 0 });
                let items = s.get("items").unwrap_or(&Value::Null);
                (0..n).map(|_| self.instance(items, depth + 1)).collect()
            }
            "string" => {
                let checked = s.contains_key("x-osmo-check") || s.contains_key("pattern");
                let advice = s.contains_key("x-osmo-advice");
                let text = if s
                    .get("x-osmo-check")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.contains("endpoint") || c.contains("path"))
                    || s.contains_key("pattern")
                {
                    self.pick(&URIS)
                } else if checked {
                    self.pick(&CHECKED)
                } else if advice {
                    self.pick(&DURATIONS)
                } else {
                    self.pick(&TEXT)
                };
                json!(text)
            }
            "integer" => {
                let base = self.pick(&[0i64, 1, 5, 30, 1024, -1]);
                if self.rng.random_bool(0.15) {
                    json!(base.to_string())
                } else {
                    json!(base)
                }
            }
            "number" => json!(self.pick(&[0.5, 1.0, 2.5, 0.0, -1.0])),
            "boolean" => {
                if self.rng.random_bool(0.15) {
                    json!(self.pick(&["yes", "off", "true"]))
                } else {
                    json!(self.rng.random_bool(0.5))
                }
            }
            "null" => Value::Null,
            _ => self.wrong(),
        }
    }

    fn object(&mut self, s: &'s Map<String, Value>, depth: usize) -> Value {
        let mut out = Map::new();
        let required: Vec<&str> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(Value::Object(props)) = s.get("properties") {
            for (k, prop) in props {
                let wanted = if required.contains(&k.as_str()) {
                    0.93
                } else {
                    0.45
                };
                if self.rng.random_bool(wanted) {
                    let v = self.instance(prop, depth + 1);
                    out.insert(k.clone(), v);
                }
            }
        }
        match s.get("additionalProperties") {
            Some(extra @ Value::Object(_)) => {
                for _ in 0..self.rng.random_range(0..3usize) {
                    let k = self.pick(&KEYS).to_owned();
                    let v = self.instance(extra, depth + 1);
                    out.insert(k, v);
                }
            }
            Some(Value::Bool(true)) if self.rng.random_bool(0.5) => {
                out.insert("spec".into(), json!({"containers": [{"name": "x"}]}));
            }
            _ => {}
        }
        if self.rng.random_bool(self.mutation) {
            let k = self.pick(&["extra_key", "descriptio", "name", "secret"]);
            out.insert(k.into(), json!("x"));
        }
        Value::Object(out)
    }
}

/// A whole document from our own schema.
fn from_our_schema(seed: u64) -> Value {
    let schema = document_schema();
    let mut g = Gen {
        root: schema,
        rng: StdRng::seed_from_u64(seed),
        mutation: 0.06,
    };
    let mut doc = Map::new();
    for (key, prop) in schema["properties"].as_object().unwrap() {
        if g.rng.random_bool(0.6) {
            let v = g.instance(prop, 0);
            doc.insert(key.clone(), v);
        }
    }
    Value::Object(doc)
}

/// A whole document from the derived schema's models.
fn from_derived_schema(oracle: &Oracle, seed: u64) -> Value {
    let mut rng = StdRng::seed_from_u64(seed);
    let section = |key: &str, rng: &mut StdRng| {
        let root = &oracle.raw[key];
        let mut g = Gen {
            root,
            rng: StdRng::seed_from_u64(rng.random()),
            mutation: 0.06,
        };
        g.instance(root, 0)
    };
    let mut doc = Map::new();
    for key in ["service", "workflow", "dataset"] {
        if rng.random_bool(0.7) {
            doc.insert(key.into(), section(key, &mut rng));
        }
    }
    let named = |n: usize, rng: &mut StdRng, f: &mut dyn FnMut(&mut StdRng) -> Value| {
        let mut m = Map::new();
        for i in 0..n {
            m.insert(KEYS[i % KEYS.len()].into(), f(rng));
        }
        Value::Object(m)
    };
    let n = rng.random_range(0..3usize);
    doc.insert(
        "pools".into(),
        named(n, &mut rng, &mut |r| section(POOL, r)),
    );
    let n = rng.random_range(0..3usize);
    doc.insert(
        "backends".into(),
        named(n, &mut rng, &mut |r| json!({"scheduler_settings": section(SCHEDULER, r), "node_conditions": section(NODE_CONDITIONS, r)})),
    );
    let n = rng.random_range(0..3usize);
    doc.insert(
        "resource_validations".into(),
        named(n, &mut rng, &mut |r| {
            json!([section(ASSERTION, r), section(ASSERTION, r)])
        }),
    );
    let n = rng.random_range(0..3usize);
    doc.insert(
        "roles".into(),
        named(n, &mut rng, &mut |r| section(ROLE, r)),
    );
    let n = rng.random_range(0..2usize);
    doc.insert(
        "backend_tests".into(),
        named(n, &mut rng, &mut |r| section(BACKEND_TEST, r)),
    );
    Value::Object(doc)
}

fn fixture_documents() -> Vec<(String, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/configs");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let user = osmo_values::yaml::parse(&text).unwrap().root.to_json();
            let mut values = json!({"services": {"configs": configs::default_configs()}});
            osmo_values::lint::merge::helm_merge(&mut values, &user);
            let host = values
                .pointer("/services/service/hostname")
                .and_then(Value::as_str);
            let doc = configs::render_config_map(&values["services"]["configs"], host);
            (p.file_name().unwrap().to_string_lossy().into_owned(), doc)
        })
        .collect()
}

#[test]
fn fixtures_agree_with_the_derived_schema() {
    let Some(oracle) = Oracle::load() else { return };
    let mut tally = Tally::default();
    for (_, doc) in fixture_documents() {
        compare(&oracle, &doc, &mut tally);
    }
    tally.print("fixtures");
    assert!(tally.rejected > 0 && tally.accepted > 0, "{tally:?}");
    assert!(
        tally.disagreements.is_empty(),
        "{}",
        tally.disagreements.join("\n")
    );
}

fn generated(what: &str, make: &dyn Fn(u64) -> Value, cases: u32) {
    let Some(oracle) = Oracle::load() else { return };
    let tally = RefCell::new(Tally::default());
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&any::<u64>(), |seed| {
        let doc = make(seed);
        let mut t = tally.borrow_mut();
        let before = t.disagreements.len();
        compare(&oracle, &doc, &mut t);
        prop_assert_eq!(
            t.disagreements.len(),
            before,
            "seed {}: {}\n{}",
            seed,
            doc,
            t.disagreements.last().cloned().unwrap_or_default()
        );
        Ok(())
    });
    let tally = tally.into_inner();
    tally.print(what);
    result.unwrap();
    assert!(
        tally.rejected > 0 && tally.accepted > 0 && tally.stricter > 0,
        "{tally:?}"
    );
}

#[test]
fn documents_from_our_schema_agree() {
    generated("generated from our models", &from_our_schema, 1500);
}

#[test]
fn documents_from_the_derived_schema_agree() {
    let Some(oracle) = Oracle::load() else { return };
    generated(
        "generated from the derived models",
        &|seed| from_derived_schema(&oracle, seed),
        1500,
    );
}

/// The regular expressions our schema gives external validators mean what
/// the hand-written checks mean.
#[test]
fn check_patterns_match_the_checks() {
    let text = prop_oneof![
        "(s3|gs|azure|swift|tos|http|S3)://[a-z/,;*.]{0,12}",
        "[0-9.a-zA-Z\\n]{0,10}",
        "(\\*|[a-z]{0,6}):(\\*|[A-Za-z]{0,6})\\n?",
        "[a-z0-9.\\-]{0,12}\\n?",
        any::<String>(),
    ];
    for check in Check::ALL {
        let Some(pattern) = check.pattern() else {
            continue;
        };
        let validator =
            jsonschema::draft202012::new(&json!({"type": "string", "pattern": pattern})).unwrap();
        let mut runner = TestRunner::new(Config {
            cases: 2000,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&text, |s| {
                prop_assert_eq!(
                    validator.is_valid(&json!(s)),
                    check.check(&s).is_ok(),
                    "{:?} on {:?}",
                    check,
                    s
                );
                Ok(())
            })
            .unwrap();
    }
}

/// What the service does with a `secretName` credential at start when the
/// Secret holds one file per key (`kubectl create secret generic
/// --from-literal=access_key_id=... --from-literal=access_key=...`).
fn read_storage_secrets(v: &mut Value) {
    if let Value::Object(m) = v {
        if m.remove("secretName").is_some() {
            m.remove("secretKey");
            m.insert("access_key_id".into(), json!("AKIAEXAMPLE"));
            m.insert("access_key".into(), json!("example-secret"));
        }
        m.values_mut().for_each(read_storage_secrets);
    }
}

/// The generator's minimal block, merged over the chart's defaults and
/// rendered, passes the derived schema, for both kinds of storage.
#[test]
fn minimal_block_passes_the_derived_schema() {
    use configs::{ConfigAnswers, StorageAnswer, StorageAuth};
    let Some(oracle) = Oracle::load() else { return };
    let mut tally = Tally::default();
    for auth in [StorageAuth::WorkloadIdentity, StorageAuth::StaticSecrets] {
        let answers = ConfigAnswers {
            hostname: "osmo.example.com".into(),
            image_registry: "nvcr.io/nvidia/osmo".into(),
            image_tag: "6.3.1".into(),
            storage: StorageAnswer {
                auth,
                data_uri: "gs://osmo-data/workflows".into(),
                log_uri: "gs://osmo-data/logs".into(),
                region: None,
                override_url: None,
            },
            backends: vec![configs::BackendAnswer {
                name: "gpu-east".into(),
            }],
            pools: vec![],
        };
        let mut values = json!({"services": {"configs": configs::default_configs()}});
        osmo_values::lint::merge::helm_merge(
            &mut values,
            &json!({"services": {"configs": configs::minimal_configs(&answers)}}),
        );
        let mut doc = configs::render_config_map(&values["services"]["configs"], None);
        read_storage_secrets(&mut doc);
        compare(&oracle, &doc, &mut tally);
    }
    tally.print("minimal blocks");
    assert_eq!(
        (tally.rejected, tally.stricter, tally.skipped_secret),
        (0, 0, 0),
        "{tally:?}"
    );
    assert!(
        tally.accepted > 0 && tally.disagreements.is_empty(),
        "{tally:?}"
    );
}
