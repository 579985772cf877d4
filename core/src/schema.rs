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

/// Serializes a schema the way the committed files are written: pretty JSON
/// with a trailing newline.
pub fn to_pretty(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a JSON value always serializes");
    text.push('\n');
    text
}
