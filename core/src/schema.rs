//! JSON Schema generation: draft-07, self-contained, standard formats only.
//!
//! The schemas are generated from the typed models, so the model is the one
//! source of truth. `schemars` emits non-standard `format` values for Rust
//! number types (`uint16`, `double`, ...) that strict validators reject;
//! [`generate`] strips every format draft-07 does not define.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::Value;

/// The `format` values draft-07 defines; every other one is removed.
pub const STANDARD_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Generates the draft-07 schema of `T`, titled `title`, with local
/// `#/definitions/...` references only and no non-standard formats.
///
/// ```
/// use osmo_values::schema::generate;
/// use osmo_values::values::common::Probe;
/// let schema = generate::<Probe>("probe");
/// assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
/// assert!(!schema.to_string().contains("uint32"));
/// ```
pub fn generate<T: JsonSchema>(title: &str) -> Value {
    let mut value = generate_with_refs::<T>(title);
    inline_nullable_refs(&mut value);
    value
}

/// [`generate`] without inlining the nullable references: the same
/// constraints, half the size, quicker to build and to compile. The linter
/// uses it (it explains `anyOf` failures itself); the published schemas
/// are the inlined ones, which every validator explains well.
pub(crate) fn generate_with_refs<T: JsonSchema>(title: &str) -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let mut value = generator.into_root_schema_for::<T>().to_value();
    strip_nonstandard_formats(&mut value);
    if let Value::Object(map) = &mut value {
        map.insert("title".into(), Value::String(title.into()));
    }
    value
}

/// Removes every `format` keyword whose value draft-07 does not define.
pub fn strip_nonstandard_formats(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let nonstandard = matches!(map.get("format"), Some(Value::String(f)) if !STANDARD_FORMATS.contains(&f.as_str()));
            if nonstandard {
                map.remove("format");
            }
            map.values_mut().for_each(strip_nonstandard_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nonstandard_formats),
        _ => {}
    }
}

/// Rewrites every `anyOf: [{"$ref": D}, {"type": "null"}]` (what schemars
/// emits for `Option<Struct>`) into a copy of `D` that also accepts `null`,
/// then drops definitions nothing refers to any more.
///
/// With the `anyOf`, every validator reports a bad value deep inside `D` as
/// "not valid under any of the schemas" at the parent; inlined, the error
/// names the offending key. `null` stays accepted exactly where the model
/// has an `Option`.
pub fn inline_nullable_refs(root: &mut Value) {
    // Lend the definitions out while the rest is rewritten (the key stays
    // where it is, so the output keeps its order).
    let definitions = match root.get_mut("definitions") {
        Some(slot) => std::mem::take(slot),
        None => Value::Null,
    };
    inline_in(root, &definitions, &mut Default::default(), 0);
    let Value::Object(_) = definitions else {
        return;
    };
    let mut used = std::collections::BTreeSet::new();
    collect_refs(root, &mut used);
    // A kept definition may refer to others: follow until stable.
    let mut pending: Vec<String> = used.iter().cloned().collect();
    while let Some(name) = pending.pop() {
        if let Some(def) = definitions.get(&name) {
            let mut found = std::collections::BTreeSet::new();
            collect_refs(def, &mut found);
            for f in found {
                if used.insert(f.clone()) {
                    pending.push(f);
                }
            }
        }
    }
    let Value::Object(mut defs) = definitions else {
        return;
    };
    defs.retain(|name, _| used.contains(name));
    let Some(map) = root.as_object_mut() else {
        return;
    };
    if defs.is_empty() {
        map.remove("definitions");
    } else if let Some(slot) = map.get_mut("definitions") {
        *slot = Value::Object(defs);
    }
}

const DEFINITIONS_PREFIX: &str = "#/definitions/";

/// Replaces every nullable reference under `node` by an inlined copy of its
/// definition. Each definition is inlined once (`memo`) and then copied, so
/// the work grows with the size of the result, not with the nesting.
fn inline_in(
    node: &mut Value,
    definitions: &Value,
    memo: &mut std::collections::HashMap<String, Value>,
    depth: usize,
) {
    // The models are not recursive; the bound only guards against a mistake.
    assert!(depth < 256, "schema nesting too deep: recursive model?");
    if let Value::Object(map) = node
        && let Some(target) = nullable_ref(map)
        && let Some(def) = definitions.get(target)
    {
        let target = target.to_owned();
        let mut inlined = match memo.get(&target) {
            Some(done) => done.clone(),
            None => {
                let mut done = def.clone();
                inline_in(&mut done, definitions, memo, depth + 1);
                memo.insert(target, done.clone());
                done
            }
        };
        make_nullable(&mut inlined);
        let wrapper = std::mem::take(map);
        let Value::Object(inlined_map) = &mut inlined else {
            unreachable!("definitions are objects")
        };
        for (k, mut v) in wrapper {
            if k != "anyOf" {
                inline_in(&mut v, definitions, memo, depth + 1);
                inlined_map.insert(k, v);
            }
        }
        *node = inlined;
        return;
    }
    match node {
        Value::Object(map) => map
            .iter_mut()
            .filter(|(k, _)| k.as_str() != "definitions")
            .for_each(|(_, v)| inline_in(v, definitions, memo, depth + 1)),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| inline_in(v, definitions, memo, depth + 1)),
        _ => {}
    }
}

/// The definition name `D` when `map` is `{anyOf: [{$ref: D}, {type: null}], ...}`.
fn nullable_ref(map: &serde_json::Map<String, Value>) -> Option<&str> {
    let Value::Array(options) = map.get("anyOf")? else {
        return None;
    };
    let [a, b] = options.as_slice() else {
        return None;
    };
    let is_null = |v: &Value| {
        v.as_object()
            .is_some_and(|o| o.len() == 1 && o.get("type") == Some(&Value::String("null".into())))
    };
    let reference = if is_null(b) {
        a
    } else if is_null(a) {
        b
    } else {
        return None;
    };
    let r = reference.as_object()?;
    if r.len() != 1 {
        return None;
    }
    r.get("$ref")?.as_str()?.strip_prefix(DEFINITIONS_PREFIX)
}

/// Makes a schema also accept `null`.
fn make_nullable(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    for combinator in ["anyOf", "oneOf"] {
        if let Some(Value::Array(options)) = map.get_mut(combinator) {
            options.push(serde_json::json!({"type": "null"}));
            return;
        }
    }
    if let Some(Value::Array(values)) = map.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match map.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            map.insert("type".into(), serde_json::json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.contains(&Value::String("null".into())) => {
            types.push(Value::String("null".into()));
        }
        Some(Value::Array(_)) => {}
        // No type: the schema already accepts null (or only its enum).
        _ => {}
    }
}

fn collect_refs(node: &Value, used: &mut std::collections::BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(DEFINITIONS_PREFIX))
            {
                used.insert(name.to_owned());
            }
            map.iter()
                .filter(|(k, _)| k.as_str() != "definitions")
                .for_each(|(_, v)| collect_refs(v, used));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, used)),
        _ => {}
    }
}

/// Serializes a schema the way the committed files are written: pretty JSON
/// with a trailing newline.
pub fn to_pretty(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a JSON value always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemars::JsonSchema;
    use serde::Deserialize;

    /// Outer.
    #[derive(Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        /// The inner block.
        inner: Option<Inner>,
        /// A list of inner blocks.
        many: Option<Vec<Inner>>,
    }

    /// Inner.
    #[derive(Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        /// A port.
        port: Option<u16>,
    }

    #[test]
    fn optional_structs_are_inlined_and_nullable() {
        let schema = generate::<Outer>("outer");
        assert_eq!(
            schema["properties"]["inner"]["type"],
            serde_json::json!(["object", "null"])
        );
        assert_eq!(
            schema["properties"]["inner"]["description"],
            "The inner block."
        );
        // Still used by the list, so the definition stays, and is not nullable there.
        assert_eq!(schema["definitions"]["Inner"]["type"], "object");
        assert!(!schema.to_string().contains("uint16"));
    }

    #[cfg(feature = "validate")]
    #[test]
    fn errors_point_at_the_nested_key() {
        let schema = generate::<Outer>("outer");
        let validator = jsonschema::draft7::new(&schema).unwrap();
        let bad = serde_json::json!({"inner": {"port": "eighty"}});
        let paths: Vec<_> = validator
            .iter_errors(&bad)
            .map(|e| e.instance_path().to_string())
            .collect();
        assert_eq!(paths, ["/inner/port"]);
        assert!(validator.is_valid(&serde_json::json!({"inner": null})));
        assert!(!validator.is_valid(&serde_json::json!({"inner": {"prot": 1}})));
    }
}
