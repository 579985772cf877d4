//! Helm-style merging of values with provenance.
//!
//! Several `-f` files of one chart are merged the way Helm merges them over
//! the chart's defaults: maps merge key by key, lists and scalars replace,
//! and `null` deletes. A group's `origin` tells which file set a value, so a
//! finding about the merged values points at the file and line that set it.

use std::borrow::Cow;

use serde_json::Value;

use crate::Chart;
use crate::diagnostic::Span;
use crate::path::{Path, Segment};
use crate::yaml::{Node, NodeValue};

use super::source::{SourceFile, span};

/// Merges `over` into `base` as Helm does: maps merge recursively, anything
/// else replaces, and `null` deletes the key.
///
/// ```
/// use serde_json::json;
/// use osmo_values::lint::merge::helm_merge;
/// let mut base = json!({"a": {"b": 1, "c": [1, 2]}, "d": 1});
/// helm_merge(&mut base, &json!({"a": {"c": [3]}, "d": null}));
/// assert_eq!(base, json!({"a": {"b": 1, "c": [3]}}));
/// ```
pub fn helm_merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                if v.is_null() {
                    b.remove(k);
                    continue;
                }
                match b.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => {
                        helm_merge(existing, v)
                    }
                    // In place: the key keeps its position, as with `insert`.
                    Some(existing) => *existing = without_nulls(v),
                    None => {
                        b.insert(k.clone(), without_nulls(v));
                    }
                }
            }
        }
        (b, o) => *b = without_nulls(o),
    }
}

/// A copy of `v` without its `null` map entries, as Helm coalesces values
/// (lists are copied as they are).
fn without_nulls(v: &Value) -> Value {
    match v {
        // No `null` entry anywhere: a plain copy (which copies the maps'
        // hash tables instead of hashing every key again).
        Value::Object(_) if !has_null_entry(v) => v.clone(),
        Value::Object(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                if !v.is_null() {
                    out.insert(k.clone(), without_nulls(v));
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Whether a map of `v` (itself or one nested in maps) has a `null` entry.
fn has_null_entry(v: &Value) -> bool {
    match v {
        Value::Object(map) => map
            .values()
            .any(|v| v.is_null() || (v.is_object() && has_null_entry(v))),
        _ => false,
    }
}

/// Merges one `-f` file over the previous ones, as Helm merges several
/// values files before applying them to the chart defaults: maps merge,
/// anything else replaces, and `null` stays (it deletes a chart default
/// later, in [`helm_merge`]).
pub fn overlay(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => overlay(existing, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// Merges `over` into `base` as the charts' templates do with Sprig's
/// `mergeOverwrite` (a per-service Envoy override over `sidecars.envoy`):
/// maps merge key by key; any other value of `over` replaces the one in
/// `base`, including `false`, `0`, `""`, an empty list and `null` (which
/// is kept as `null`: it unsets the value rather than deleting the key).
/// A map does not replace a non-empty value that is not a map.
///
/// ```
/// use serde_json::json;
/// use osmo_values::lint::merge::merge_overwrite;
/// let mut base = json!({"a": {"b": 1, "c": [1, 2]}, "d": true, "e": "x"});
/// merge_overwrite(&mut base, &json!({"a": {"c": []}, "d": false, "e": null, "f": 1}));
/// assert_eq!(base, json!({"a": {"b": 1, "c": []}, "d": false, "e": null, "f": 1}));
/// ```
pub fn merge_overwrite(base: &mut Value, over: &Value) {
    let (Value::Object(b), Value::Object(o)) = (base, over) else {
        return;
    };
    for (k, v) in o {
        match (b.get_mut(k), v) {
            (Some(existing @ Value::Object(_)), Value::Object(_)) => merge_overwrite(existing, v),
            (Some(existing), Value::Object(_)) if truthy(existing) => {}
            _ => {
                b.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Which of the two maps given to [`merge_overwrite`] the merged value at
/// a path comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The map merged into (`sidecars.envoy`).
    Base,
    /// The map merged over it (the per-service override).
    Over,
}

/// Which side of `merge_overwrite(base, over)` set the merged value at
/// `path` (relative to both maps). A value the override does not reach is
/// the base's; a map both sides hold counts as the override's.
///
/// ```
/// use serde_json::json;
/// use osmo_values::lint::merge::{overwrite_side, Side};
/// use osmo_values::path::Path;
/// let base = json!({"idp": {"host": "a"}, "jwt": {"providers": [{"cluster": "idp"}]}});
/// let over = json!({"jwt": {"providers": [{"cluster": "service"}]}});
/// assert_eq!(overwrite_side(&base, &over, &Path::keys("idp.host")), Side::Base);
/// assert_eq!(overwrite_side(&base, &over, &Path::keys("jwt.providers").index(0).key("cluster")), Side::Over);
/// ```
pub fn overwrite_side(base: &Value, over: &Value, path: &Path) -> Side {
    if overwritten_at(base, over, path).is_some() {
        Side::Over
    } else {
        Side::Base
    }
}

/// Where `merge_overwrite(base, over)` took the value at `path` from the
/// override: the prefix of `path` whose whole value the override put in
/// place (a list replaces a list whole, so for a path into a list it is
/// the list), or `None` when the value at `path` is the base's.
///
/// ```
/// use serde_json::json;
/// use osmo_values::lint::merge::overwritten_at;
/// use osmo_values::path::Path;
/// let base = json!({"jwt": {"providers": [{"cluster": "idp"}], "user_header": "x"}});
/// let over = json!({"jwt": {"providers": [{"cluster": "idp"}]}});
/// let at = overwritten_at(&base, &over, &Path::keys("jwt.providers").index(0).key("cluster"));
/// assert_eq!(at, Some(Path::keys("jwt.providers")));
/// assert_eq!(overwritten_at(&base, &over, &Path::keys("jwt.user_header")), None);
/// ```
pub fn overwritten_at(base: &Value, over: &Value, path: &Path) -> Option<Path> {
    let mut b = Some(base);
    let mut o = over;
    let mut at = Path::root();
    // Where a map of the override went in whole (the base had no map there).
    let mut inserted: Option<Path> = None;
    for seg in &path.0 {
        let Segment::Key(k) = seg else {
            // Lists are taken whole from one side; reaching an index while
            // both sides are still maps means the value is not there.
            return inserted;
        };
        let next_o = o.as_object().and_then(|m| m.get(k));
        let Some(next_o) = next_o else {
            return inserted;
        };
        at.push(seg.clone());
        let next_b = b.and_then(|v| v.as_object()).and_then(|m| m.get(k));
        match (next_b, next_o) {
            (Some(Value::Object(_)), Value::Object(_)) => {}
            (Some(nb), Value::Object(_)) if truthy(nb) => return None,
            (_, Value::Object(_)) => {
                inserted.get_or_insert_with(|| at.clone());
            }
            _ => return Some(inserted.unwrap_or(at)),
        }
        b = next_b;
        o = next_o;
    }
    Some(inserted.unwrap_or(at))
}

/// The value at `path` in a JSON tree.
pub fn get<'v>(value: &'v Value, path: &Path) -> Option<&'v Value> {
    let mut v = value;
    for seg in &path.0 {
        v = match (v, seg) {
            (Value::Object(m), Segment::Key(k)) => m.get(k)?,
            (Value::Array(a), Segment::Index(i)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// The files of one chart linted together, with their merged values.
#[derive(Debug)]
pub(crate) struct Group<'s, 'a> {
    /// The chart.
    pub chart: Chart,
    /// The chart's files, in the order given (later files win).
    pub files: Vec<&'s SourceFile<'a>>,
    /// The users' files merged, without the chart defaults (`null`s kept):
    /// the file's own JSON when the chart has one file.
    pub user: Cow<'s, Value>,
    /// The chart defaults the rules need, with the users' files merged over them.
    pub effective: Value,
    /// The chart defaults the rules need.
    pub defaults: &'static Value,
}

impl<'s, 'a> Group<'s, 'a> {
    /// Merges the files of one chart.
    pub fn new(chart: Chart, files: Vec<&'s SourceFile<'a>>) -> Self {
        let user = match files.as_slice() {
            [only] => Cow::Borrowed(&only.json),
            _ => {
                let mut user = Value::Object(Default::default());
                for f in &files {
                    overlay(&mut user, &f.json);
                }
                Cow::Owned(user)
            }
        };
        let defaults = chart.release.shared_rule_defaults(chart.name);
        let mut effective = defaults.clone();
        helm_merge(&mut effective, &user);
        Group {
            chart,
            files,
            user,
            effective,
            defaults,
        }
    }

    /// The effective value at a dotted path (defaults, then the files).
    pub fn get(&self, path: &Path) -> Option<&Value> {
        get(&self.effective, path)
    }

    /// The effective string at `path`, if it is a non-empty string.
    pub fn str(&self, path: &Path) -> Option<&str> {
        self.get(path)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Whether the effective value at `path` is truthy, as Go templates see it.
    pub fn truthy(&self, path: &Path) -> bool {
        self.get(path).is_some_and(truthy)
    }

    /// The file that set the value at `path` and its node there: the last
    /// file holding the path whose value is not replaced by a later file.
    pub fn origin(&self, path: &Path) -> Option<(&'s SourceFile<'a>, &'s Node)> {
        for f in self.files.iter().rev() {
            if let Some(node) = f.node(path) {
                if matches!(node.value, NodeValue::Null) {
                    return None;
                }
                return Some((f, node));
            }
            // A later file that writes a non-map at a prefix replaces the path.
            let mut p = Path::root();
            for seg in &path.0 {
                p.push(seg.clone());
                if let Some(n) = f.node(&p)
                    && !n.is_map()
                {
                    return None;
                }
            }
        }
        None
    }

    /// Where the value at `path` was set: file index and value span.
    pub fn value_at(&self, path: &Path) -> Option<(usize, Span)> {
        self.origin(path).map(|(f, n)| (f.index, span(n.span)))
    }

    /// Where the key of `path` was set: file index and key span (value
    /// span for list items).
    pub fn key_at(&self, path: &Path) -> Option<(usize, Span)> {
        let (f, _) = self.origin(path)?;
        Some((f.index, f.key_span(path)?))
    }

    /// Where the key of `path` is last written, even as `null`.
    pub fn last_key(&self, path: &Path) -> Option<(usize, Span)> {
        self.files
            .iter()
            .rev()
            .find_map(|f| f.key_span(path).map(|s| (f.index, s)))
    }

    /// Where a setting at `path` that the files leave out belongs: the key
    /// of its deepest ancestor the files write (in the file that wins),
    /// else the start of the first file. For findings caused by a chart
    /// default left in place.
    pub fn missing_at(&self, path: &Path) -> (usize, Span) {
        let mut p = path.clone();
        while !p.is_root() {
            if let Some(found) = self.last_key(&p) {
                return found;
            }
            p = p.parent().unwrap_or_default();
        }
        let start = crate::diagnostic::Pos {
            offset: 0,
            line: 1,
            column: 1,
        };
        let first = self.files.first().map_or(0, |f| f.index);
        (first, Span { start, end: start })
    }

    /// Whether the users' files set `path` to something other than the
    /// chart default (a restated default is not the user's finding).
    pub fn changed(&self, path: &Path) -> bool {
        // An explicit `null` deletes the default: a change too.
        get(&self.user, path).is_some_and(|v| get(self.defaults, path) != Some(v))
    }
}

/// Truthiness as Go templates judge it: false, 0, "", null, empty list/map are false.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_overwrite_keeps_a_non_empty_value_a_map_would_replace() {
        let mut base = json!({"idp": "x", "ssl": "", "jwt": {"user_header": "h"}});
        merge_overwrite(
            &mut base,
            &json!({"idp": {"host": "a"}, "ssl": {"enabled": true}, "jwt": {}}),
        );
        assert_eq!(
            base,
            json!({"idp": "x", "ssl": {"enabled": true}, "jwt": {"user_header": "h"}})
        );
        let over = json!({"idp": {"host": "a"}, "ssl": {"enabled": true}});
        let before = json!({"idp": "x", "ssl": ""});
        assert_eq!(
            overwrite_side(&before, &over, &Path::keys("idp.host")),
            Side::Base
        );
        assert_eq!(
            overwritten_at(&before, &over, &Path::keys("ssl.enabled")),
            Some(Path::keys("ssl"))
        );
    }

    #[test]
    fn overwrite_provenance_of_null_and_missing_keys() {
        let base = json!({"idp": {"host": "a"}, "maxRequests": 100});
        let over = json!({"idp": {"host": null}});
        assert_eq!(
            overwritten_at(&base, &over, &Path::keys("idp.host")),
            Some(Path::keys("idp.host"))
        );
        assert_eq!(
            overwrite_side(&base, &over, &Path::keys("maxRequests")),
            Side::Base
        );
        assert_eq!(
            overwrite_side(&base, &json!({}), &Path::keys("idp.host")),
            Side::Base
        );
        assert_eq!(
            overwritten_at(&base, &over, &Path::root()),
            Some(Path::root())
        );
    }
}
