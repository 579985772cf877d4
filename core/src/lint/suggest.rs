//! "Did you mean": close spellings among a key's siblings, and the places
//! in the chart where a misplaced key belongs, read from the chart schema.

use std::collections::BTreeMap;
use std::iter::Peekable;

use serde_json::Value;

use crate::path::{Path, Segment};
use crate::{Chart, ChartName, Release};

/// Edit distance (Levenshtein) between two strings, by characters.
///
/// ```
/// use osmo_values::lint::suggest::edit_distance;
/// assert_eq!(edit_distance("hostnme", "hostname"), 1);
/// assert_eq!(edit_distance("", "abc"), 3);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Lower case without `_` and `-`: `user_header`, `userHeader`, `User-Header` agree. Keys are
/// ASCII; the ASCII case mapping keeps Unicode's case tables out of the browser wizard.
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The candidate closest to `name`, if close enough to be a likely typo.
///
/// ```
/// use osmo_values::lint::suggest::closest;
/// assert_eq!(closest("hostnme", ["hostname", "port"]), Some("hostname"));
/// assert_eq!(closest("userHeader", ["user_header"]), Some("user_header"));
/// assert_eq!(closest("zzz", ["hostname"]), None);
/// ```
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let norm = normalize(name);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = if normalize(c) == norm {
            0
        } else {
            edit_distance(&norm, &normalize(c)) + 1
        };
        let limit = (name.chars().count().max(3) / 3).max(1) + 1;
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The shape of values a schema accepts, as far as keys go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// Known keys of a map, in schema order.
    pub props: BTreeMap<String, Shape>,
    /// Schema order of `props`.
    pub order: Vec<String>,
    /// Shape of the values of a free-form map (`additionalProperties`).
    pub additional: Option<Box<Shape>>,
    /// Whether any key is allowed (a free-form object).
    pub open: bool,
    /// Shape of list items.
    pub items: Option<Box<Shape>>,
    /// For a key the chart never reads: what its description says after
    /// [`NO_EFFECT`] (what the chart uses instead). Read by rule OV311.
    pub no_effect: Option<String>,
}

/// How the description of a key the chart never reads starts, in our models.
pub const NO_EFFECT: &str = "No effect:";

impl Shape {
    /// Reads the key structure of a draft-07 schema (references resolved,
    /// `anyOf`/`oneOf`/`allOf` branches united).
    pub fn from_schema(root: &Value) -> Shape {
        let mut shape = Shape::default();
        fill(root, root, &mut shape, 0);
        shape
    }

    /// The key structure of a chart's values, read from the key tree committed in
    /// `core/src/lint/keys/` ([`Shape::encode`] of [`Shape::from_schema`] of the chart's
    /// schema; a test keeps them equal). It needs no schema generation, which keeps the
    /// schema code out of builds that only lint, such as the browser wizard.
    ///
    /// ```
    /// use osmo_values::{Chart, ChartName, Release, lint::suggest::Shape, path::Path};
    /// let shape = Shape::of_chart(Chart::new(Release::V6_2_10, ChartName::Router).unwrap());
    /// assert!(shape.keys_at(&Path::keys("services")).contains(&"service"));
    /// ```
    pub fn of_chart(chart: Chart) -> Shape {
        Shape::decode(Shape::committed(chart))
    }

    /// The committed key tree of a chart (`core/src/lint/keys/<release>/<chart>.keys`).
    pub fn committed(chart: Chart) -> &'static str {
        match (chart.release, chart.name) {
            // Without 6.2.10 (the browser wizard), no 6.2.10 file is linted.
            #[cfg(not(feature = "release-6-2"))]
            (Release::V6_2_10, _) => "",
            #[cfg(feature = "release-6-2")]
            (Release::V6_2_10, ChartName::Service) => include_str!("keys/6.2.10/service.keys"),
            #[cfg(feature = "release-6-2")]
            (Release::V6_2_10, ChartName::Router) => include_str!("keys/6.2.10/router.keys"),
            #[cfg(feature = "release-6-2")]
            (Release::V6_2_10, ChartName::WebUi) => include_str!("keys/6.2.10/web-ui.keys"),
            #[cfg(feature = "release-6-2")]
            (Release::V6_2_10, ChartName::BackendOperator) => {
                include_str!("keys/6.2.10/backend-operator.keys")
            }
            (Release::V6_3_1, ChartName::BackendOperator) => {
                include_str!("keys/6.3.1/backend-operator.keys")
            }
            (Release::V6_3_1, _) => include_str!("keys/6.3.1/service.keys"),
        }
    }

    /// The key tree as text, one node per line, indented one space per level:
    /// `.name` a known key (in schema order), `*` the values of a free-form map,
    /// `[]` the items of a list, `?` a map that takes any key, and `!text` under a
    /// key the chart never reads (what its description says after [`NO_EFFECT`]).
    ///
    /// ```
    /// use osmo_values::lint::suggest::Shape;
    /// let schema = serde_json::json!({"properties": {"a": {"items": {"properties": {"b": {}}}}},
    ///     "additionalProperties": true});
    /// let text = Shape::from_schema(&schema).encode();
    /// assert_eq!(text, "?\n.a\n []\n  .b\n");
    /// assert_eq!(Shape::decode(&text), Shape::from_schema(&schema));
    /// ```
    pub fn encode(&self) -> String {
        let mut out = String::new();
        self.encode_into(0, &mut out);
        out
    }

    fn encode_into(&self, depth: usize, out: &mut String) {
        let line = |token: &str, out: &mut String| {
            out.extend(std::iter::repeat_n(' ', depth));
            out.push_str(token);
            out.push('\n');
        };
        if let Some(text) = &self.no_effect {
            line(&format!("!{text}"), out);
        }
        if self.open {
            line("?", out);
        }
        for k in &self.order {
            line(&format!(".{k}"), out);
            self.props[k].encode_into(depth + 1, out);
        }
        if let Some(a) = &self.additional {
            line("*", out);
            a.encode_into(depth + 1, out);
        }
        if let Some(i) = &self.items {
            line("[]", out);
            i.encode_into(depth + 1, out);
        }
    }

    /// Reads a key tree written by [`Shape::encode`]. Lines it does not understand are skipped.
    pub fn decode(text: &str) -> Shape {
        let mut lines = text
            .lines()
            .map(|l| {
                let token = l.trim_start_matches(' ');
                (l.len() - token.len(), token)
            })
            .peekable();
        let mut shape = Shape::default();
        decode_into(&mut lines, 0, &mut shape);
        shape
    }

    /// The shape at `path`; list indexes and free-map keys follow the item
    /// or value shape.
    pub fn at(&self, path: &Path) -> Option<&Shape> {
        let mut s = self;
        for seg in &path.0 {
            s = match seg {
                Segment::Key(k) => match s.props.get(k) {
                    Some(p) => p,
                    None => s.additional.as_deref()?,
                },
                Segment::Index(_) => s.items.as_deref()?,
            };
        }
        Some(s)
    }

    /// Whether `path` has a place in this shape: every key known, or below a
    /// free-form map (which takes any key), or inside a map that takes any
    /// key.
    ///
    /// ```
    /// use osmo_values::{Chart, ChartName, Release, lint::suggest::Shape, path::Path};
    /// let shape = Shape::of_chart(Chart::new(Release::V6_3_1, ChartName::Service).unwrap());
    /// assert!(shape.allows(&Path::keys("gateway.envoy.idp.host")));
    /// assert!(shape.allows(&Path::keys("gateway.envoy.ingress.annotations.any")));
    /// assert!(!shape.allows(&Path::keys("sidecars.envoy")));
    /// ```
    pub fn allows(&self, path: &Path) -> bool {
        let mut s = self;
        for seg in &path.0 {
            s = match seg {
                Segment::Key(k) => match (s.props.get(k), &s.additional) {
                    (Some(p), _) => p,
                    (None, Some(a)) => a,
                    (None, None) => return s.open,
                },
                Segment::Index(_) => match &s.items {
                    Some(i) => i,
                    None => return s.open,
                },
            };
        }
        true
    }

    /// What the description says of the first key on the way to `path` (itself
    /// included) that the chart never reads, if any.
    ///
    /// ```
    /// use osmo_values::{Chart, ChartName, Release, lint::suggest::Shape, path::Path};
    /// let shape = Shape::of_chart(Chart::new(Release::V6_2_10, ChartName::Service).unwrap());
    /// assert!(shape.no_effect_on(&Path::keys("services.delayedJobMonitor.resources.limits")).is_some());
    /// assert!(shape.no_effect_on(&Path::keys("services.service.resources")).is_none());
    /// ```
    pub fn no_effect_on(&self, path: &Path) -> Option<&str> {
        let mut s = self;
        for seg in &path.0 {
            s = match seg {
                Segment::Key(k) => s.props.get(k).or(s.additional.as_deref())?,
                Segment::Index(_) => s.items.as_deref()?,
            };
            if let Some(text) = &s.no_effect {
                return Some(text);
            }
        }
        None
    }

    /// The known keys of the map at `path`.
    pub fn keys_at(&self, path: &Path) -> Vec<&str> {
        self.at(path)
            .map(|s| s.order.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Every path (from the root, through named keys only; lists as index 0)
    /// whose map knows `key`, with the shape of `key` there.
    pub fn places_of(&self, key: &str) -> Vec<(Path, &Shape)> {
        let mut out = Vec::new();
        let mut path = Path::root();
        self.collect(key, &mut path, &mut out, 0);
        out
    }

    fn collect<'s>(
        &'s self,
        key: &str,
        path: &mut Path,
        out: &mut Vec<(Path, &'s Shape)>,
        depth: usize,
    ) {
        if depth > 12 {
            return;
        }
        if let Some(s) = self.props.get(key) {
            out.push((path.clone(), s));
        }
        for k in &self.order {
            path.push(Segment::Key(k.clone()));
            self.props[k].collect(key, path, out, depth + 1);
            path.0.pop();
        }
        if let Some(items) = &self.items {
            path.push(Segment::Index(0));
            items.collect(key, path, out, depth + 1);
            path.0.pop();
        }
    }

    /// How many of `keys` this map knows.
    pub fn score(&self, keys: &[String]) -> usize {
        keys.iter()
            .filter(|k| self.props.contains_key(k.as_str()))
            .count()
    }
}

/// Reads the nodes at `depth` (and their children) into `shape`.
fn decode_into<'t>(
    lines: &mut Peekable<impl Iterator<Item = (usize, &'t str)>>,
    depth: usize,
    shape: &mut Shape,
) {
    while let Some(&(indent, token)) = lines.peek() {
        if indent < depth {
            return;
        }
        lines.next();
        if indent > depth {
            continue;
        }
        let child = |lines: &mut Peekable<_>| {
            let mut c = Shape::default();
            decode_into(lines, depth + 1, &mut c);
            c
        };
        match token {
            "?" => shape.open = true,
            "*" => shape.additional = Some(Box::new(child(lines))),
            "[]" => shape.items = Some(Box::new(child(lines))),
            _ if token.starts_with('!') => shape.no_effect = Some(token[1..].to_owned()),
            _ => {
                if let Some(key) = token.strip_prefix('.') {
                    let c = child(lines);
                    if shape.props.insert(key.to_owned(), c).is_none() {
                        shape.order.push(key.to_owned());
                    }
                }
            }
        }
    }
}

/// The description of a property: its own, or its target's.
fn description<'v>(root: &'v Value, schema: &'v Value) -> Option<&'v str> {
    schema
        .get("description")
        .and_then(Value::as_str)
        .or_else(|| {
            resolve(root, schema)
                .get("description")
                .and_then(Value::as_str)
        })
}

fn resolve<'v>(root: &'v Value, schema: &'v Value) -> &'v Value {
    let mut s = schema;
    for _ in 0..32 {
        let Some(r) = s.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = r.strip_prefix('#') else {
            break;
        };
        match root.pointer(pointer) {
            Some(t) => s = t,
            None => break,
        }
    }
    s
}

fn fill(root: &Value, schema: &Value, shape: &mut Shape, depth: usize) {
    if depth > 40 {
        return;
    }
    let schema = resolve(root, schema);
    let Value::Object(map) = schema else {
        if schema == &Value::Bool(true) {
            shape.open = true;
        }
        return;
    };
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(branches)) = map.get(key) {
            for b in branches {
                fill(root, b, shape, depth + 1);
            }
        }
    }
    if let Some(Value::Object(props)) = map.get("properties") {
        for (k, v) in props {
            if !shape.props.contains_key(k) {
                shape.order.push(k.clone());
            }
            let child = shape.props.entry(k.clone()).or_default();
            if let Some(text) = description(root, v).and_then(|d| d.strip_prefix(NO_EFFECT)) {
                child.no_effect = Some(text.trim().replace('\n', " "));
            }
            fill(root, v, child, depth + 1);
        }
    }
    match map.get("additionalProperties") {
        Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => shape.open = true,
        Some(v @ Value::Object(_)) => {
            let child = shape.additional.get_or_insert_with(Default::default);
            fill(root, v, child, depth + 1);
        }
        _ => {
            let is_object = match map.get("type") {
                Some(Value::String(t)) => t == "object",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
                _ => false,
            };
            if is_object && !map.contains_key("properties") {
                shape.open = true;
            }
        }
    }
    if let Some(items) = map.get("items") {
        let child = shape.items.get_or_insert_with(Default::default);
        fill(root, items, child, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shape_places_and_keys() {
        let schema = json!({
            "type": "object",
            "properties": {
                "services": {"$ref": "#/definitions/Services"},
                "list": {"type": "array", "items": {"anyOf": [{"$ref": "#/definitions/Item"}, {"type": "null"}]}}
            },
            "additionalProperties": false,
            "definitions": {
                "Services": {"type": "object", "properties": {
                    "service": {"type": "object", "properties": {"ingress": {"type": "object", "properties": {"ingressClass": {"type": "string"}}}}},
                    "defaultAdmin": {"type": "object", "properties": {"enabled": {"type": "boolean"}}}
                }},
                "Item": {"type": "object", "properties": {"cluster": {"type": "string"}}}
            }
        });
        let shape = Shape::from_schema(&schema);
        assert_eq!(
            shape.keys_at(&Path::keys("services")),
            ["service", "defaultAdmin"]
        );
        let places = shape.places_of("ingress");
        assert_eq!(places.len(), 1);
        assert_eq!(places[0].0.to_string(), "services.service");
        assert_eq!(shape.places_of("cluster")[0].0.to_string(), "list[0]");
        assert_eq!(shape.keys_at(&Path::parse_pointer("/list/3")), ["cluster"]);
    }
}
