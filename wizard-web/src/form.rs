//! The form model: the spec being edited as JSON, read through core's JSON
//! Schema of [`DeploymentSpec`] (field types, defaults, descriptions, the
//! identity-provider variants) and checked by core (`from_json`, `validate`).
//! Nothing here knows OSMO: it only walks the schema core publishes.

use osmo_values::path::{Path, Segment};
use osmo_values::spec::DeploymentSpec;
use serde_json::{Map, Value};

/// How a field is edited.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Free text.
    Text,
    /// A whole number (stored as a JSON number when it parses, else as text for core to refuse).
    Integer,
    /// A check box.
    Bool,
    /// One of a closed set: (value, description) pairs.
    Select(Vec<(String, String)>),
}

/// What the schema says about one field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInfo {
    /// The field's description from core's doc comments.
    pub hint: String,
    /// How it is edited.
    pub kind: Kind,
    /// May be left out (removed from the spec when emptied).
    pub optional: bool,
    /// The schema's default, if any.
    pub default: Option<Value>,
}

/// Core's JSON Schema of the deployment spec, with lookups by field path.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecSchema {
    root: Value,
}

impl Default for SpecSchema {
    fn default() -> Self {
        SpecSchema::new()
    }
}

impl SpecSchema {
    /// Core's schema of the spec: the committed `schemas/deployment-spec.schema.json`, which
    /// core embeds and its tests keep equal to `DeploymentSpec::schema()`. Reading the
    /// committed JSON keeps the schema generator (schemars) out of the WebAssembly.
    pub fn new() -> SpecSchema {
        SpecSchema {
            root: osmo_values::spec::read::schema().clone(),
        }
    }

    fn definition(&self, reference: &str) -> Option<&Value> {
        let name = reference.strip_prefix("#/definitions/")?;
        self.root.get("definitions")?.get(name)
    }

    /// Follows `$ref`, single-`allOf`, nullable `anyOf` and discriminated `oneOf`
    /// (choosing the variant whose `const` properties match `value`).
    fn deref<'a>(&'a self, mut s: &'a Value, value: Option<&Value>) -> &'a Value {
        for _ in 0..16 {
            if let Some(r) = s.get("$ref").and_then(Value::as_str) {
                match self.definition(r) {
                    Some(d) => s = d,
                    None => return s,
                }
            } else if let Some([one]) = s.get("allOf").and_then(Value::as_array).map(Vec::as_slice)
            {
                s = one;
            } else if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
                match any
                    .iter()
                    .find(|a| a.get("type") != Some(&Value::from("null")))
                {
                    Some(a) => s = a,
                    None => return s,
                }
            } else if let Some(variants) = s.get("oneOf").and_then(Value::as_array) {
                if variants.iter().all(|v| v.get("const").is_some()) {
                    return s;
                }
                match variants
                    .iter()
                    .find(|v| matches_consts(v, value))
                    .or(variants.first())
                {
                    Some(v) => s = v,
                    None => return s,
                }
            } else {
                return s;
            }
        }
        s
    }

    /// The schema node of `path`, with whether it may be left out, choosing variants by `spec`.
    fn node<'a>(&'a self, spec: &Value, path: &Path) -> Option<(&'a Value, bool, String)> {
        let mut s = &self.root;
        let mut value = Some(spec);
        let mut optional = false;
        let mut hint = String::new();
        for seg in &path.0 {
            let d = self.deref(s, value);
            match seg {
                Segment::Key(k) => {
                    s = d.get("properties")?.get(k)?;
                    optional = !d
                        .get("required")
                        .and_then(Value::as_array)
                        .is_some_and(|r| r.iter().any(|x| x == k.as_str()));
                    value = value.and_then(|v| v.get(k));
                }
                Segment::Index(i) => {
                    s = d.get("items")?;
                    optional = false;
                    value = value.and_then(|v| v.get(*i));
                }
            }
            hint = description(s).unwrap_or_default();
        }
        let d = self.deref(s, value);
        if hint.is_empty() {
            hint = description(d).unwrap_or_default();
        }
        if types(s).contains(&"null") || types(d).contains(&"null") {
            optional = true;
        }
        Some((s, optional, hint))
    }

    /// What the schema says about the field at `path` in `spec`.
    pub fn field(&self, spec: &Value, path: &Path) -> Option<FieldInfo> {
        let (s, optional, hint) = self.node(spec, path)?;
        if s.get("const").is_some()
            && let Some(parent) = path.parent()
        {
            // A union's discriminator (`storage.credentials.kind`): the choice of variant.
            let current = pointer(spec, path);
            let variants = self.variants(&parent);
            let hint = variants
                .iter()
                .find(|v| current.and_then(Value::as_str) == Some(v.1.as_str()))
                .map(|v| v.2.clone())
                .unwrap_or(hint);
            return Some(FieldInfo {
                hint,
                kind: Kind::Select(
                    variants
                        .into_iter()
                        .map(|(_, c, d)| {
                            let text = option_text(&c, &d);
                            (c, text)
                        })
                        .collect(),
                ),
                optional: false,
                default: None,
            });
        }
        let default = s.get("default").cloned();
        let d = self.deref(s, None);
        let kind = if let Some(values) = d.get("enum").and_then(Value::as_array) {
            Kind::Select(
                values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|v| (v.to_owned(), option_text(v, "")))
                    .collect(),
            )
        } else if let Some(variants) = d.get("oneOf").and_then(Value::as_array) {
            Kind::Select(
                variants
                    .iter()
                    .filter_map(|v| {
                        let value = v.get("const")?.as_str()?;
                        let text = option_text(value, &description(v).unwrap_or_default());
                        Some((value.to_owned(), text))
                    })
                    .collect(),
            )
        } else {
            let t = types(d);
            if t.contains(&"integer") {
                Kind::Integer
            } else if t.contains(&"boolean") {
                Kind::Bool
            } else {
                Kind::Text
            }
        };
        Some(FieldInfo {
            // The form's words where the spec's description names keys.
            hint: crate::words::hint(path).map_or(hint, str::to_owned),
            kind,
            optional,
            default,
        })
    }

    /// The variants of a discriminated union at `path` (such as `authentication`): for each,
    /// the discriminator's key and value and the variant's description.
    pub fn variants(&self, path: &Path) -> Vec<(String, String, String)> {
        let Some((s, _, _)) = self.node(&Value::Null, path) else {
            return Vec::new();
        };
        let mut s = s;
        // Unwrap references without choosing a variant.
        for _ in 0..8 {
            if let Some(r) = s.get("$ref").and_then(Value::as_str) {
                match self.definition(r) {
                    Some(d) => s = d,
                    None => break,
                }
            } else if let Some([one]) = s.get("allOf").and_then(Value::as_array).map(Vec::as_slice)
            {
                s = one;
            } else {
                break;
            }
        }
        let Some(variants) = s.get("oneOf").and_then(Value::as_array) else {
            return Vec::new();
        };
        variants
            .iter()
            .filter_map(|v| {
                let (key, c) = v
                    .get("properties")?
                    .as_object()?
                    .iter()
                    .find_map(|(k, p)| Some((k.clone(), p.get("const")?.as_str()?.to_owned())))?;
                Some((key, c, description(v).unwrap_or_default()))
            })
            .collect()
    }

    /// The editable keys of the object at `path` (for a union, of the variant `spec` selects),
    /// in schema order, without discriminators.
    pub fn keys(&self, spec: &Value, path: &Path) -> Vec<String> {
        let s = match path.0.is_empty() {
            true => &self.root,
            false => match self.node(spec, path) {
                Some((s, _, _)) => s,
                None => return Vec::new(),
            },
        };
        let value = pointer(spec, path);
        let d = self.deref(s, value);
        d.get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .filter(|(_, p)| p.get("const").is_none())
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A new object for `path` as the schema describes it: the discriminator `consts`, every
    /// required text field empty and every field with a default set to it.
    pub fn skeleton(&self, spec: &Value, path: &Path, consts: &[(&str, &str)]) -> Value {
        let mut probe = Map::new();
        for (k, v) in consts {
            probe.insert((*k).to_owned(), Value::from(*v));
        }
        let probe = Value::Object(probe);
        let s = match path.0.last() {
            Some(Segment::Index(_)) => {
                let parent = path.parent().unwrap_or_default();
                self.node(spec, &parent)
                    .and_then(|(s, _, _)| self.deref(s, None).get("items"))
            }
            _ => self.node(spec, path).map(|(s, _, _)| s),
        };
        let Some(s) = s else {
            return probe;
        };
        let d = self.deref(s, Some(&probe));
        let required: Vec<&str> = d
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(props) = d.get("properties").and_then(Value::as_object) {
            for (k, p) in props {
                if let Some(c) = p.get("const") {
                    out.insert(k.clone(), c.clone());
                } else if let Some(def) = p.get("default") {
                    out.insert(k.clone(), def.clone());
                } else if required.contains(&k.as_str()) {
                    out.insert(k.clone(), Value::from(""));
                }
            }
        }
        Value::Object(out)
    }
}

/// The words of core's description up to its first clause: `Microsoft Entra ID (formerly
/// Azure AD).` → `Microsoft Entra ID`; code marks dropped.
pub fn short_description(description: &str) -> String {
    let text = description.replace('`', "");
    let end = [": ", ". ", ", ", " (", "; "]
        .iter()
        .filter_map(|sep| text.find(sep))
        .min()
        .unwrap_or(text.len());
    text[..end].trim_end_matches('.').trim().to_owned()
}

/// The readable text of a choice: its description's first clause, led by the choice's name
/// when the clause does not say it (`Small: one replica of everything`); the name alone
/// when that text would not fit a select at a phone's width.
pub fn option_text(value: &str, description: &str) -> String {
    let short = short_description(description);
    let name = label(value);
    let text = if short.is_empty() {
        name.clone()
    } else if short
        .to_ascii_lowercase()
        .contains(&name.to_ascii_lowercase())
    {
        short
    } else {
        // `One replica` → `one replica`, but `AWS IAM` stays.
        let acronym = short.chars().nth(1).is_some_and(|c| c.is_ascii_uppercase());
        let mut rest = short.chars();
        let lower = rest
            .next()
            .map(|f| match acronym {
                true => f.to_string(),
                false => f.to_ascii_lowercase().to_string(),
            } + rest.as_str())
            .unwrap_or_default();
        format!("{name}: {lower}")
    };
    if text.chars().count() > OPTION_TEXT_MAX {
        name
    } else {
        text
    }
}

/// The longest option text a select shows whole at 390 px.
const OPTION_TEXT_MAX: usize = 34;

fn matches_consts(variant: &Value, value: Option<&Value>) -> bool {
    let Some(props) = variant.get("properties").and_then(Value::as_object) else {
        return false;
    };
    props
        .iter()
        .filter_map(|(k, p)| Some((k, p.get("const")?)))
        .all(|(k, c)| value.and_then(|v| v.get(k)) == Some(c))
}

fn description(s: &Value) -> Option<String> {
    s.get("description")
        .and_then(Value::as_str)
        .map(|d| d.replace('\n', " "))
}

fn types(s: &Value) -> Vec<&str> {
    match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The value at `path`, if any.
pub fn pointer<'a>(spec: &'a Value, path: &Path) -> Option<&'a Value> {
    let mut v = spec;
    for seg in &path.0 {
        v = match seg {
            Segment::Key(k) => v.get(k)?,
            Segment::Index(i) => v.get(*i)?,
        };
    }
    Some(v)
}

/// Sets (or with `None` removes) the value at `path`, creating objects on the way.
pub fn set(spec: &mut Value, path: &Path, new: Option<Value>) {
    let Some((last, parents)) = path.0.split_last() else {
        if let Some(n) = new {
            *spec = n;
        }
        return;
    };
    let mut v = spec;
    for seg in parents {
        v = match seg {
            Segment::Key(k) => {
                if !v.is_object() {
                    *v = Value::Object(Map::new());
                }
                match v.as_object_mut() {
                    Some(m) => m.entry(k.clone()).or_insert(Value::Null),
                    None => return,
                }
            }
            Segment::Index(i) => match v.get_mut(*i) {
                Some(x) => x,
                None => return,
            },
        };
    }
    match (last, new) {
        (Segment::Key(k), Some(n)) => {
            if !v.is_object() {
                *v = Value::Object(Map::new());
            }
            if let Some(m) = v.as_object_mut() {
                m.insert(k.clone(), n);
            }
        }
        (Segment::Key(k), None) => {
            if let Some(m) = v.as_object_mut() {
                m.shift_remove(k);
            }
        }
        (Segment::Index(i), Some(n)) => {
            if let Some(x) = v.get_mut(*i) {
                *x = n;
            }
        }
        (Segment::Index(i), None) => {
            if let Some(a) = v.as_array_mut()
                && *i < a.len()
            {
                a.remove(*i);
            }
        }
    }
}

/// The text an input shows for a value.
pub fn display(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The value an edited input stands for: `None` when an optional field is emptied, a number
/// for an integer field that parses, else the text (core then names the type error).
pub fn parse_input(text: &str, info: &FieldInfo) -> Option<Value> {
    if text.is_empty() && info.optional {
        return None;
    }
    if info.kind == Kind::Integer
        && let Ok(n) = text.trim().parse::<u64>()
    {
        return Some(Value::from(n));
    }
    Some(Value::from(text))
}

/// A label from a camelCase key: `tlsSecret` → `TLS secret`, `jwksUri` → `JWKS URI`.
pub fn label(key: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let words: Vec<String> = words
        .into_iter()
        .enumerate()
        .map(|(i, w)| match w.as_str() {
            "id" | "url" | "uri" | "tls" | "arn" | "jwks" | "dns" | "aws" | "eks" | "aks"
            | "gke" | "irsa" | "gcp" | "cpu" => w.to_ascii_uppercase(),
            _ if i == 0 => {
                let mut cs = w.chars();
                cs.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                    .unwrap_or_default()
            }
            _ => w,
        })
        .collect();
    words.join(" ")
}

/// A field's name for a list of problems: `backends[1].name` → `Backends 2 › Name`.
pub fn label_of(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for seg in &path.0 {
        match seg {
            Segment::Key(k) => parts.push(label(k)),
            Segment::Index(i) => {
                if let Some(last) = parts.last_mut() {
                    last.push_str(&format!(" {}", i + 1));
                }
            }
        }
    }
    parts.join(" › ")
}

/// The id of a field's input element: `f-` and the path with `.`/`[`/`]` as `-`.
pub fn field_id(path: &Path) -> String {
    let mut id = String::from("f");
    for seg in &path.0 {
        id.push('-');
        match seg {
            Segment::Key(k) => id.push_str(k),
            Segment::Index(i) => id.push_str(&i.to_string()),
        }
    }
    id
}

/// A problem of the spec: the field it concerns and core's message.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Field path.
    pub path: Path,
    /// Core's message.
    pub message: String,
}

/// Every problem core finds in the edited spec: the type error `from_json` stops at, or
/// everything `validate` reports. The spec is returned when it could be read.
pub fn check(spec: &Value) -> (Option<DeploymentSpec>, Vec<Problem>) {
    match DeploymentSpec::from_json(spec.clone()) {
        Err(e) => (
            None,
            vec![Problem {
                path: e.path,
                message: e.message,
            }],
        ),
        Ok(s) => {
            let problems = s
                .validate()
                .into_iter()
                .map(|p| Problem {
                    path: p.path,
                    message: p.message,
                })
                .collect();
            (Some(s), problems)
        }
    }
}

/// The spec a new wizard starts from: core's defaults, the host names left empty, and the
/// storage of the newest release asked for.
pub fn initial_spec() -> Value {
    let mut spec = DeploymentSpec::minimal("", "", "").to_json();
    let storage = initial_storage(&SpecSchema::new(), &spec);
    set(&mut spec, &Path::keys("storage"), Some(storage));
    spec
}

/// The storage answers a 6.3.1 spec starts with: the bucket URIs empty, credentials by the
/// first kind of core's schema (a workload identity, no secret to carry).
pub fn initial_storage(schema: &SpecSchema, spec: &Value) -> Value {
    let st = Path::keys("storage");
    let mut storage = schema.skeleton(spec, &st, &[]);
    let cred = st.key("credentials");
    let kind = schema
        .variants(&cred)
        .first()
        .map(|v| v.1.clone())
        .unwrap_or_default();
    let mut probe = spec.clone();
    set(&mut probe, &Path::keys("storage"), Some(storage.clone()));
    let credentials = schema.skeleton(&probe, &cred, &[("kind", &kind)]);
    set(&mut storage, &Path::keys("credentials"), Some(credentials));
    storage
}

/// Whether an ingress class is the one that needs ALB settings, as core decides.
pub fn class_is_alb(class: &str) -> bool {
    let mut probe = DeploymentSpec::minimal("", "", "");
    probe.ingress.class_name = class.to_owned();
    probe.is_alb()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Path {
        Path::keys(s)
    }

    #[test]
    fn the_embedded_schema_is_cores() {
        assert_eq!(SpecSchema::new().root, DeploymentSpec::schema());
    }

    #[test]
    fn fields_come_from_the_schema() {
        let schema = SpecSchema::new();
        let spec = initial_spec();
        let domain = schema.field(&spec, &p("domain")).unwrap();
        assert_eq!(domain.kind, Kind::Text);
        assert!(!domain.optional);
        assert!(domain.hint.contains("osmo.example.com"), "{}", domain.hint);
        let port = schema.field(&spec, &p("postgres.port")).unwrap();
        assert_eq!(port.kind, Kind::Integer);
        assert_eq!(port.default, Some(Value::from(5432)));
        assert_eq!(
            schema.field(&spec, &p("redis.tls")).unwrap().kind,
            Kind::Bool
        );
        assert!(
            schema
                .field(&spec, &p("images.pullSecret"))
                .unwrap()
                .optional
        );
        let Kind::Select(presets) = schema.field(&spec, &p("sizing.preset")).unwrap().kind else {
            panic!("preset is a select");
        };
        assert_eq!(presets[0].0, "small");
        let name = Path::keys("backends").index(0).key("name");
        assert!(!schema.field(&spec, &name).unwrap().optional);
        assert!(schema.field(&spec, &p("nope")).is_none());
    }

    #[test]
    fn identity_providers_are_the_schema_variants() {
        let schema = SpecSchema::new();
        let variants = schema.variants(&p("authentication"));
        let names: Vec<&str> = variants.iter().map(|v| v.1.as_str()).collect();
        assert!(names.contains(&"microsoftEntraId") && names.contains(&"none"));
        assert!(variants.iter().all(|v| v.0 == "provider"));
        let mut spec = initial_spec();
        let entra = schema.skeleton(
            &spec,
            &p("authentication"),
            &[("provider", "microsoftEntraId")],
        );
        assert_eq!(
            entra,
            serde_json::json!({"provider": "microsoftEntraId", "tenantId": "", "clientId": ""})
        );
        set(&mut spec, &p("authentication"), Some(entra));
        assert_eq!(
            schema.keys(&spec, &p("authentication")),
            ["tenantId", "clientId"]
        );
        let hint = schema.field(&spec, &p("authentication.tenantId")).unwrap();
        assert!(hint.hint.contains("tenant"), "{}", hint.hint);
    }

    #[test]
    fn skeletons_take_defaults() {
        let schema = SpecSchema::new();
        let spec = initial_spec();
        let alb = schema.skeleton(&spec, &p("ingress.alb"), &[]);
        assert_eq!(alb["certificateArn"], "");
        assert_eq!(alb["scheme"], "internet-facing");
        let backend = schema.skeleton(&spec, &Path::keys("backends").index(1), &[]);
        assert_eq!(backend["name"], "");
        assert_eq!(backend["namespace"], "osmo-workflows");
    }

    #[test]
    fn set_and_check() {
        let mut spec = initial_spec();
        let (_, problems) = check(&spec);
        assert!(problems.iter().any(|x| x.path.to_string() == "domain"));
        set(
            &mut spec,
            &p("domain"),
            Some(Value::from("osmo.example.com")),
        );
        set(&mut spec, &p("postgres.host"), Some(Value::from("db")));
        set(&mut spec, &p("redis.host"), Some(Value::from("redis")));
        assert_eq!(spec["storage"]["credentials"]["kind"], "awsIrsa");
        set(
            &mut spec,
            &p("storage.logUri"),
            Some(Value::from("s3://logs")),
        );
        set(
            &mut spec,
            &p("storage.dataUri"),
            Some(Value::from("s3://data")),
        );
        set(
            &mut spec,
            &p("storage.credentials.roleArn"),
            Some(Value::from("arn:aws:iam::123456789012:role/osmo")),
        );
        let (parsed, problems) = check(&spec);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(parsed.unwrap().domain, "osmo.example.com");
        set(&mut spec, &p("redis.port"), Some(Value::from("x")));
        let (parsed, problems) = check(&spec);
        assert!(parsed.is_none());
        assert_eq!(problems[0].path.to_string(), "redis.port");
        assert_eq!(problems[0].message, "a port is a number from 1 to 65535");
        let kind = schema_kind(&spec, "storage.credentials.kind");
        assert!(
            kind.iter().any(|(v, t)| v == "static" && !t.contains('`')),
            "{kind:?}"
        );
        set(&mut spec, &p("images.pullSecret"), Some(Value::from("s")));
        set(&mut spec, &p("images.pullSecret"), None);
        assert!(spec["images"].get("pullSecret").is_none());
        let b = Path::keys("backends").index(0);
        set(&mut spec, &b, None);
        assert_eq!(spec["backends"], serde_json::json!([]));
    }

    fn schema_kind(spec: &Value, path: &str) -> Vec<(String, String)> {
        match SpecSchema::new().field(spec, &p(path)).unwrap().kind {
            Kind::Select(options) => options,
            other => panic!("{path} is a {other:?}"),
        }
    }

    #[test]
    fn labels_and_ids() {
        assert_eq!(label("tlsSecret"), "TLS secret");
        assert_eq!(label("jwksUri"), "JWKS URI");
        assert_eq!(label("operatorNamespace"), "Operator namespace");
        assert_eq!(label("domain"), "Domain");
        assert_eq!(
            field_id(&Path::keys("backends").index(2).key("name")),
            "f-backends-2-name"
        );
        assert_eq!(
            option_text(
                "microsoftEntraId",
                "Microsoft Entra ID (formerly Azure AD)."
            ),
            "Microsoft Entra ID"
        );
        assert_eq!(
            option_text(
                "small",
                "One replica of everything, the figures of the guides."
            ),
            "Small: one replica of everything"
        );
        assert_eq!(option_text("6.3.1", ""), "6.3.1");
        // Too long for a phone's select: the name alone.
        assert_eq!(
            option_text("NoSchedule", "New pods are not scheduled on the node."),
            "No schedule"
        );
        assert!(class_is_alb("alb"));
        assert!(!class_is_alb("nginx"));
    }

    #[test]
    fn inputs_parse_by_kind() {
        let int = FieldInfo {
            hint: String::new(),
            kind: Kind::Integer,
            optional: false,
            default: None,
        };
        assert_eq!(parse_input("6380", &int), Some(Value::from(6380)));
        assert_eq!(parse_input("x", &int), Some(Value::from("x")));
        let opt = FieldInfo {
            kind: Kind::Text,
            optional: true,
            ..int
        };
        assert_eq!(parse_input("", &opt), None);
        assert_eq!(display(Some(&Value::from(5432))), "5432");
    }
}
