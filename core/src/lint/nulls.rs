//! A `null` that deletes a map the 6.3.1 templates read keys of (OV205):
//! Helm then stops with a nil pointer error. The maps, and the switches
//! under which the templates read them, are chart facts
//! ([`crate::release::ChartFacts::required_maps`]).

use crate::diagnostic::{Edit, Fix};
use crate::path::Path;
use crate::yaml::NodeValue;

use super::merge::{Group, get, truthy};
use super::{Sink, code, diag};

/// Reports the maps the users' files delete while the templates read them.
pub(crate) fn check(g: &Group<'_, '_>, sink: &mut Sink) {
    for map in g.chart.facts().required_maps {
        let path = Path::keys(map.path);
        if !get(&g.user, &path).is_some_and(serde_json::Value::is_null) {
            continue;
        }
        let read = map.when.iter().all(|(switch, want)| {
            get(&g.effective, &Path::keys(switch)).is_some_and(truthy) == *want
        });
        if !read {
            continue;
        }
        let Some((file, at)) = g.last_key(&path) else {
            continue;
        };
        // The file and node that wrote the null (the last one that did).
        let written = g
            .files
            .iter()
            .rev()
            .find_map(|f| f.node(&path).map(|n| (*f, n)))
            .filter(|(_, n)| matches!(n.value, NodeValue::Null));
        let empty =
            written.is_some_and(|(_, n)| n.scalar.as_ref().is_none_or(|s| s.raw.trim().is_empty()));
        let key = match path.last() {
            Some(crate::path::Segment::Key(k)) => k.clone(),
            _ => map.path.to_owned(),
        };
        let when = if map.when.is_empty() {
            String::new()
        } else {
            format!(
                " while {}",
                map.when
                    .iter()
                    .map(|(s, on)| format!("`{s}` is {}", if *on { "on" } else { "off" }))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        let mut d = diag(
            code::NULL_REQUIRED_MAP,
            file,
            at,
            format!(
                "`{path}` is null{}: it deletes the chart's `{key}` map, whose keys the templates read{when}, so \
                 `helm install` fails with a nil pointer error",
                if empty {
                    format!(" (an empty `{key}:` is null)")
                } else {
                    String::new()
                }
            ),
        )
        .with_path(path.clone())
        .with_help(format!(
            "write `{key}: {{}}` to keep the chart's defaults, or set the keys you want to change under it"
        ));
        if let Some((src, node)) = written {
            let edit = if empty {
                // Right after the key's colon.
                src.key_span(&path).and_then(|k| {
                    let end = src.line_end(k.end.offset);
                    let colon = src.text[k.end.offset..end].find(':')? + k.end.offset;
                    Some(Edit {
                        file: src.index,
                        start: colon + 1,
                        end: colon + 1,
                        replacement: " {}".to_owned(),
                    })
                })
            } else {
                Some(Edit {
                    file: src.index,
                    start: node.span.start.offset,
                    end: node.span.end.offset,
                    replacement: "{}".to_owned(),
                })
            };
            if let Some(edit) = edit {
                d = d.with_fix(Fix {
                    description: format!("write {key}: {{}}"),
                    edits: vec![edit],
                    machine_applicable: true,
                });
            }
        }
        sink.push(d);
    }
}
