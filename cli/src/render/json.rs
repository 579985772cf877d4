//! `--format json`: one array of finding objects, a stable format
//! documented in docs/output-formats.md.

use osmo_values::diagnostic::{Diagnostic, Edit, Span};
use serde_json::{Value, json};

use super::{FilePlan, SourceFile, line_col, sane_span};

/// Renders the findings as one pretty-printed JSON array and a newline;
/// `plans` says, per file, the release and install it was judged in.
pub fn render(
    files: &[SourceFile],
    diagnostics: &[Diagnostic],
    plans: &[Option<FilePlan>],
) -> String {
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| finding(files, d, plans.get(d.file).and_then(Option::as_ref)))
        .collect();
    let mut out =
        serde_json::to_string_pretty(&Value::Array(items)).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}

fn file_name(files: &[SourceFile], index: usize) -> Value {
    files
        .get(index)
        .map_or(Value::Null, |f| Value::String(f.name.clone()))
}

/// `line`, `column`, `end_line`, `end_column` of a span (`null` without one).
fn position(span: Option<Span>) -> [(&'static str, Value); 4] {
    match span.map(sane_span) {
        Some(s) => [
            ("line", s.start.line.into()),
            ("column", s.start.column.into()),
            ("end_line", s.end.line.into()),
            ("end_column", s.end.column.into()),
        ],
        None => [
            ("line", Value::Null),
            ("column", Value::Null),
            ("end_line", Value::Null),
            ("end_column", Value::Null),
        ],
    }
}

fn edit(files: &[SourceFile], e: &Edit) -> Value {
    let mut obj = serde_json::Map::new();
    obj.insert("file".into(), file_name(files, e.file));
    obj.insert("start_byte".into(), e.start.into());
    obj.insert("end_byte".into(), e.end.into());
    let text = files.get(e.file).and_then(SourceFile::text);
    let (line, column, end_line, end_column) = match text {
        Some(text) => {
            let (l, c) = line_col(text, e.start);
            let (el, ec) = line_col(text, e.end.max(e.start));
            (l.into(), c.into(), el.into(), ec.into())
        }
        None => (Value::Null, Value::Null, Value::Null, Value::Null),
    };
    obj.insert("line".into(), line);
    obj.insert("column".into(), column);
    obj.insert("end_line".into(), end_line);
    obj.insert("end_column".into(), end_column);
    obj.insert("replacement".into(), e.replacement.clone().into());
    Value::Object(obj)
}

fn finding(files: &[SourceFile], d: &Diagnostic, plan: Option<&FilePlan>) -> Value {
    let mut obj = serde_json::Map::new();
    obj.insert("file".into(), file_name(files, d.file));
    for (k, v) in position(d.span) {
        obj.insert(k.into(), v);
    }
    obj.insert("code".into(), d.code.into());
    obj.insert("severity".into(), d.severity.as_str().into());
    obj.insert("message".into(), d.message.clone().into());
    obj.insert(
        "help".into(),
        d.help.clone().map_or(Value::Null, Value::String),
    );
    obj.insert(
        "path".into(),
        d.path
            .as_ref()
            .map_or(Value::Null, |p| Value::String(p.to_string())),
    );
    obj.insert(
        "fix".into(),
        d.fix.as_ref().map_or(Value::Null, |f| {
            json!({
                "description": f.description,
                "machine_applicable": f.machine_applicable,
                "edits": f.edits.iter().map(|e| edit(files, e)).collect::<Vec<_>>(),
            })
        }),
    );
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|r| {
            let mut o = serde_json::Map::new();
            o.insert("file".into(), file_name(files, r.file));
            for (k, v) in position(Some(r.span)) {
                o.insert(k.into(), v);
            }
            o.insert("message".into(), r.message.clone().into());
            Value::Object(o)
        })
        .collect();
    obj.insert("related".into(), Value::Array(related));
    obj.insert(
        "note".into(),
        d.note.clone().map_or(Value::Null, Value::String),
    );
    obj.insert(
        "release".into(),
        plan.map_or(Value::Null, |p| p.release.as_str().into()),
    );
    obj.insert(
        "install".into(),
        plan.map_or(Value::Null, |p| {
            json!({
                "chart": p.install.chart.name.as_str(),
                "chart_version": p.install.chart.version(),
                "release_name": p.install.chart.release_name(),
                "backend": p.install.backend,
                "files": p.install.files.iter().map(|&i| file_name(files, i)).collect::<Vec<_>>(),
            })
        }),
    );
    Value::Object(obj)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testdata;

    #[test]
    fn stable_fields_in_order() {
        let out = render(&testdata::files(), &testdata::diagnostics(), &[]);
        let v: Value = serde_json::from_str(&out).unwrap();
        let items = v.as_array().unwrap();
        assert_eq!(items.len(), 4);
        let first = items[0].as_object().unwrap();
        let keys: Vec<&str> = first.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "file",
                "line",
                "column",
                "end_line",
                "end_column",
                "code",
                "severity",
                "message",
                "help",
                "path",
                "fix",
                "related",
                "note",
                "release",
                "install"
            ]
        );
        assert!(first["release"].is_null() && first["install"].is_null());
        assert_eq!(first["file"], "deploy/osmo_values.yaml");
        assert_eq!(
            (first["line"].as_u64(), first["column"].as_u64()),
            (Some(4), Some(5))
        );
        assert_eq!(
            (first["end_line"].as_u64(), first["end_column"].as_u64()),
            (Some(4), Some(12))
        );
        assert_eq!(first["code"], "OV101");
        assert_eq!(first["severity"], "error");
        assert_eq!(first["help"], "did you mean `hostname`?");
        assert_eq!(first["path"], "services.service.hostnme");
        let edit = &first["fix"]["edits"][0];
        assert_eq!(edit["replacement"], "hostname");
        assert_eq!(
            (edit["line"].as_u64(), edit["column"].as_u64()),
            (Some(4), Some(5))
        );
        assert_eq!(first["fix"]["machine_applicable"], true);
        assert_eq!(items[2]["related"][0]["file"], "deploy/router_values.yaml");
        assert_eq!(items[2]["related"][0]["line"], 3);
        assert!(
            items[3]["line"].is_null() && items[3]["help"].is_null() && items[3]["fix"].is_null()
        );
    }

    #[test]
    fn empty_is_an_empty_array() {
        assert_eq!(render(&[], &[], &[]).trim(), "[]");
    }
}
