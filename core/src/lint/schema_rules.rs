//! Schema findings (OV1xx) and the reading rules that need types: YAML 1.1
//! booleans where text is expected (OV003) and numeric image tags (OV004).

use crate::Chart;
use crate::diagnostic::{Edit, Fix};
use crate::path::{Path, Segment};
use crate::yaml::{Node, NodeValue};

#[cfg(not(feature = "validate"))]
use super::source::walk;
use super::source::{SourceFile, Step, is_plain, path_of, raw, span};
use super::suggest::{Shape, closest};
use super::{Handled, Sink, code, diag, shape};

/// Whether a key names an image tag (`osmoImageTag`, `tag`, `imageTag`).
fn is_tag_key(key: &str) -> bool {
    // "tag" is ASCII, so its bytes compare as the key's last three bytes.
    key.len() >= 3 && key.as_bytes()[key.len() - 3..].eq_ignore_ascii_case(b"tag")
}

/// A fix quoting a plain scalar exactly as written.
pub(crate) fn quote_fix(file: usize, node: &Node, machine: bool) -> Option<Fix> {
    let text = raw(node)?;
    Some(Fix {
        description: format!("quote the value: \"{text}\""),
        edits: vec![Edit {
            file,
            start: node.span.start.offset,
            end: node.span.end.offset,
            replacement: format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
        }],
        machine_applicable: machine,
    })
}

/// The numeric image tag rule (OV004) at one node of a file's walk (the
/// steps down to it as [`walk_steps`] gives them); the paths it reports
/// go to `reported`, for [`check_file`].
pub(crate) fn numeric_tag_at(
    file: &SourceFile<'_>,
    handled: &Handled,
    steps: &[Step<'_>],
    node: &Node,
    reported: &mut Vec<Path>,
    sink: &mut Sink,
) {
    if !matches!(node.value, NodeValue::Int(_) | NodeValue::Float(_)) {
        return;
    }
    let Some(Step::Entry(entry)) = steps.last() else {
        return;
    };
    let Some(k) = entry.key.key_str() else {
        return;
    };
    if !is_tag_key(&k) || !is_plain(node) {
        return;
    }
    let path = &path_of(steps);
    if handled.iter().any(|h| under(path, h)) {
        return;
    }
    let text = raw(node).unwrap_or_default();
    let json = node.to_json();
    let shown = json.to_string();
    // Helm prints the number back into the image reference: when it prints as
    // written (`6.2`) the image is right and quoting is only good form (a warning);
    // when it does not (`6.10` prints `6.1`) the wrong image is pulled (an error).
    let same = shown == text;
    let mut d = diag(
        code::NUMERIC_IMAGE_TAG,
        file.index,
        span(node.span),
        if same {
            format!(
                "image tag `{text}` is read as a number; Helm prints it back as `{shown}`, so the image is right, but a number is fragile"
            )
        } else {
            format!(
                "image tag `{text}` is read as the number {json}: Helm renders the image with tag `{shown}`, not `{text}`"
            )
        },
    )
    .with_path(path.clone())
    .with_help(format!("quote it: `{k}: \"{text}\"`"));
    if same {
        d.severity = crate::diagnostic::Severity::Warning;
    }
    if let Some(fix) = quote_fix(file.index, node, true) {
        d = d.with_fix(fix);
    }
    sink.push(d);
    reported.push(path.clone());
}

/// Schema rules for one file, after the walk that ran [`numeric_tag_at`]
/// at every node (`reported`: the paths it reported).
pub(crate) fn check_file(
    chart: Chart,
    file: &SourceFile<'_>,
    handled: &Handled,
    reported: &[Path],
    sink: &mut Sink,
) {
    #[cfg(feature = "validate")]
    schema(chart, file, handled, reported, sink);
    #[cfg(not(feature = "validate"))]
    {
        // Without the schema, nothing reads what the image tag rule reported.
        let _ = reported;
        keys_only(chart, file, handled, sink);
    }
}

/// Without the `validate` feature: unknown keys only, from the schema's
/// key structure.
#[cfg(not(feature = "validate"))]
fn keys_only(chart: Chart, file: &SourceFile<'_>, handled: &Handled, sink: &mut Sink) {
    let shape = shape(chart);
    let mut unknown: Vec<Path> = Vec::new();
    let mut root = Path::root();
    walk(&file.doc.root, &mut root, &mut |path, key, _node| {
        let (Some(key), Some(Segment::Key(k)), Some(parent)) = (key, path.last(), path.parent())
        else {
            return;
        };
        if handled.iter().chain(&unknown).any(|h| under(path, h)) {
            return;
        }
        let Some(known) = shape.at(&parent) else {
            return;
        };
        if known.props.is_empty()
            || known.open
            || known.additional.is_some()
            || known.props.contains_key(k)
        {
            return;
        }
        unknown.push(path.clone());
        if !super::moved::explain(chart, file, path, sink) {
            sink.push(unknown_key(file, shape, path, span(key.span)));
        }
    });
}

/// Whether `path` is at or below `prefix`.
fn under(path: &Path, prefix: &Path) -> bool {
    path.0.len() >= prefix.0.len() && path.0[..prefix.0.len()] == prefix.0[..]
}

/// The YAML 1.1 spellings go-yaml reads as booleans, except `true`/`false`.
fn yaml11_bool_word(text: &str) -> bool {
    matches!(
        text,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

#[cfg(feature = "validate")]
fn schema(
    chart: Chart,
    file: &SourceFile<'_>,
    handled: &Handled,
    reported: &[Path],
    sink: &mut Sink,
) {
    use super::schema_check::{IssueKind, check, describe, type_words};
    use crate::values::common::QUANTITY_PATTERN;

    let mut unknown: Vec<Path> = Vec::new();
    for issue in check(chart, &file.json) {
        let path = issue.path;
        if handled
            .iter()
            .chain(reported)
            .chain(&unknown)
            .any(|h| under(&path, h))
        {
            continue;
        }
        let node = file.node(&path);
        let value = node.map(Node::to_json);
        let placeholder = value
            .as_ref()
            .and_then(|v| v.as_str())
            .is_some_and(|s| super::runtime::find_placeholder(s).is_some());
        if placeholder && !matches!(issue.kind, IssueKind::Unknown) {
            // The placeholder rule reports it, with a better message.
            continue;
        }
        let value_span = node
            .map(|n| span(n.span))
            .or_else(|| file.nearest_key_span(&path));
        match issue.kind {
            IssueKind::Unknown => {
                let Some(key_span) = file
                    .key_span(&path)
                    .or_else(|| file.nearest_key_span(&path))
                else {
                    continue;
                };
                unknown.push(path.clone());
                if !super::moved::explain(chart, file, &path, sink) {
                    sink.push(unknown_key(file, shape(chart), &path, key_span));
                }
            }
            IssueKind::Type(expected) => {
                let Some(at) = value_span else { continue };
                let words = type_words(&expected);
                let found = value.as_ref().map_or("nothing", describe);
                if let Some(n) = node
                    && is_plain(n)
                    && matches!(n.value, NodeValue::Bool(_))
                    && expected.iter().any(|t| t == "string")
                    && raw(n).is_some_and(yaml11_bool_word)
                {
                    let text = raw(n).unwrap_or_default();
                    let mut d = diag(
                        code::YAML11_BOOLEAN,
                        file.index,
                        at,
                        format!(
                            "`{text}` is the boolean {} here (YAML 1.1), but `{path}` expects text",
                            value.clone().unwrap_or_default()
                        ),
                    )
                    .with_path(path.clone())
                    .with_help(format!("quote it: \"{text}\""));
                    if let Some(fix) = quote_fix(file.index, n, true) {
                        d = d.with_fix(fix);
                    }
                    sink.push(d);
                    continue;
                }
                let mut d = diag(
                    code::WRONG_TYPE,
                    file.index,
                    at,
                    format!("`{path}` expects {words}, found {found}"),
                )
                .with_path(path.clone());
                if let Some(n) = node
                    && is_plain(n)
                    && expected.iter().any(|t| t == "string")
                    && matches!(
                        n.value,
                        NodeValue::Int(_) | NodeValue::Float(_) | NodeValue::Bool(_)
                    )
                {
                    let text = raw(n).unwrap_or_default();
                    d = d.with_help(format!("quote it to keep it as text: \"{text}\""));
                    if let Some(fix) = quote_fix(file.index, n, false) {
                        d = d.with_fix(fix);
                    }
                } else {
                    d = d.with_help(format!("write {words} here"));
                }
                sink.push(d);
            }
            IssueKind::Enum(options) => {
                let Some(at) = value_span else { continue };
                let names: Vec<String> = options
                    .iter()
                    .map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_owned))
                    .collect();
                let shown = value
                    .as_ref()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .unwrap_or_default();
                let list = names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut d = diag(
                    code::BAD_ENUM,
                    file.index,
                    at,
                    format!("`{shown}` is not a valid value for `{path}`"),
                )
                .with_path(path.clone());
                let guess = closest(&shown, names.iter().map(String::as_str));
                match guess {
                    Some(g) => {
                        d = d.with_help(format!("did you mean `{g}`? expected one of {list}"));
                        if let Some(n) = node
                            && n.scalar.is_some()
                        {
                            d = d.with_fix(Fix {
                                description: format!("replace with {g}"),
                                edits: vec![Edit {
                                    file: file.index,
                                    start: n.span.start.offset,
                                    end: n.span.end.offset,
                                    replacement: g.to_owned(),
                                }],
                                machine_applicable: g.eq_ignore_ascii_case(&shown),
                            });
                        }
                    }
                    None => d = d.with_help(format!("expected one of {list}")),
                }
                sink.push(d);
            }
            IssueKind::Range(bound) => {
                let Some(at) = value_span else { continue };
                let shown = value.map(|v| v.to_string()).unwrap_or_default();
                sink.push(
                    diag(
                        code::OUT_OF_RANGE,
                        file.index,
                        at,
                        format!("`{path}` must be {bound}, found {shown}"),
                    )
                    .with_path(path.clone())
                    .with_help(format!("use a value that is {bound}")),
                );
            }
            IssueKind::Format(pattern) => {
                let Some(at) = value_span else { continue };
                let shown = value
                    .as_ref()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .unwrap_or_default();
                let (message, help) = if pattern == QUANTITY_PATTERN {
                    (
                        format!("`{shown}` is not a Kubernetes quantity"),
                        "write a quantity such as 500m, 2, 512Mi or 1Gi (binary suffixes end in `i`; there is no `MB`)".to_owned(),
                    )
                } else {
                    (
                        format!("`{shown}` does not have the form `{path}` requires"),
                        format!("it must match `{pattern}`"),
                    )
                };
                sink.push(
                    diag(code::INVALID_FORMAT, file.index, at, message)
                        .with_path(path.clone())
                        .with_help(help),
                );
            }
            IssueKind::Other(message) => {
                let Some(at) = value_span else { continue };
                sink.push(
                    diag(
                        code::INVALID_FORMAT,
                        file.index,
                        at,
                        format!("`{path}`: {message}"),
                    )
                    .with_path(path.clone()),
                );
            }
        }
    }
}

/// The finding for an unknown key, with the closest sibling or the place
/// in the chart where the key belongs.
fn unknown_key(
    file: &SourceFile<'_>,
    shape: &Shape,
    path: &Path,
    key_span: crate::diagnostic::Span,
) -> crate::diagnostic::Diagnostic {
    let parent = path.parent().unwrap_or_default();
    let key = match path.last() {
        Some(Segment::Key(k)) => k.clone(),
        _ => String::new(),
    };
    let where_ = if parent.is_root() {
        "at the top level".to_owned()
    } else {
        format!("under `{parent}`")
    };
    let key_node = file.doc.root.key_at(path);
    let mut d = diag(
        code::UNKNOWN_KEY,
        file.index,
        key_span,
        format!("unknown key `{key}` {where_}: the chart never reads it"),
    )
    .with_path(path.clone());
    if let Some(k) = key_node
        && is_plain(k)
        && matches!(k.value, NodeValue::Bool(_))
        && raw(k).is_some_and(yaml11_bool_word)
    {
        let text = raw(k).unwrap_or_default();
        return d.with_help(format!(
            "the key `{text}` is read as the boolean `{key}` (YAML 1.1); quote it: \"{text}\""
        ));
    }
    let siblings = shape.keys_at(&parent);
    if let Some(guess) = closest(&key, siblings.iter().copied()) {
        d = d.with_help(format!("did you mean `{guess}`?"));
        if let Some(k) = key_node
            && k.scalar.is_some()
        {
            d = d.with_fix(Fix {
                description: format!("rename to {guess}"),
                edits: vec![Edit {
                    file: file.index,
                    start: k.span.start.offset,
                    end: k.span.end.offset,
                    replacement: guess.to_owned(),
                }],
                machine_applicable: false,
            });
        }
        return d;
    }
    if let Some(place) = belongs_at(file, shape, path, &key) {
        let target = place.clone().key(key.clone());
        let help = if place.is_root() {
            format!(
                "`{key}` belongs at the top level (`{target}`): it is indented one level too deep"
            )
        } else {
            format!("`{key}` belongs at `{target}`: move this block under `{place}`")
        };
        return d.with_help(help);
    }
    if !siblings.is_empty() {
        let list: Vec<String> = siblings.iter().take(12).map(|s| format!("`{s}`")).collect();
        d = d.with_help(format!(
            "known keys here: {}{}",
            list.join(", "),
            if siblings.len() > 12 { ", ..." } else { "" }
        ));
    }
    d
}

/// The place where a misplaced key most likely belongs: where the chart
/// knows the key with the children the user wrote, preferring the block
/// written just before the misplaced key's parent, then the closest path.
fn belongs_at(file: &SourceFile<'_>, shape: &Shape, path: &Path, key: &str) -> Option<Path> {
    let parent = path.parent()?;
    let children: Vec<String> = match file.node(path).map(|n| &n.value) {
        Some(NodeValue::Map(entries)) => entries.iter().filter_map(|e| e.key.key_text()).collect(),
        _ => Vec::new(),
    };
    // The block written just before the parent, in the same map.
    let previous: Option<Path> = (|| {
        let grand = parent.parent()?;
        let Some(Segment::Key(pk)) = parent.last() else {
            return None;
        };
        let NodeValue::Map(entries) = &file.node(&grand)?.value else {
            return None;
        };
        let i = entries
            .iter()
            .position(|e| e.key.key_text().as_deref() == Some(pk))?;
        let prev = entries.get(i.checked_sub(1)?)?.key.key_text()?;
        Some(grand.key(prev))
    })();
    type Score = (usize, bool, usize, std::cmp::Reverse<usize>);
    let mut best: Option<(Score, Path)> = None;
    for (place, s) in shape.places_of(key) {
        if place == parent {
            continue;
        }
        let fit = s.score(&children);
        if !children.is_empty() && fit == 0 {
            continue;
        }
        let common = place
            .0
            .iter()
            .zip(&parent.0)
            .take_while(|(a, b)| a == b)
            .count();
        let score = (
            fit,
            previous.as_ref() == Some(&place),
            common,
            std::cmp::Reverse(place.0.len()),
        );
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, place));
        }
    }
    best.map(|(_, p)| p)
}
