//! Reading values files back into a spec: every example spec, generated and read back,
//! gives the same spec or a listed difference; hand-written files give sensible specs with
//! their unmapped keys listed. Snapshots over folders of inputs.

mod common;

use osmo_values::diagnostic::Severity;
use osmo_values::spec::from_values::{Comparison, Imported, ValuesFile, from_values};
use rand::SeedableRng;
use serde_json::Value;
use std::fmt::Write as _;

/// The leaves of a spec's JSON that differ between `a` and `b`, as `path: a → b`.
fn differences(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                differences(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    &p,
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} → {b}")),
        _ => {}
    }
}

/// The report of one import, for a snapshot.
fn report(names: &[String], imported: &Imported) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "release: {}",
        imported
            .release
            .describe(&names.iter().map(String::as_str).collect::<Vec<_>>())
    )
    .unwrap();
    match &imported.comparison {
        Comparison::Generated => writeln!(out, "compared with a generated bundle").unwrap(),
        Comparison::KeysRead { why } => writeln!(out, "not compared: {why}").unwrap(),
    }
    writeln!(
        out,
        "\nspec:\n{}",
        osmo_values::generate::spec_yaml(&imported.spec)
            .lines()
            .skip(3)
            .collect::<Vec<_>>()
            .join("\n")
    )
    .unwrap();
    let problems = imported.spec.validate();
    writeln!(out, "\nspec problems: {}", problems.len()).unwrap();
    for p in problems {
        writeln!(out, "  {p}").unwrap();
    }
    writeln!(out, "\nunmapped: {}", imported.unmapped.len()).unwrap();
    for u in &imported.unmapped {
        writeln!(
            out,
            "  {}:{}:{}: {}: {}",
            names[u.file], u.line, u.column, u.path, u.reason
        )
        .unwrap();
    }
    writeln!(out, "\nfindings: {}", imported.findings.len()).unwrap();
    for d in &imported.findings {
        let line = d.span.map_or(0, |s| s.start.line);
        writeln!(
            out,
            "  {}:{line}: {} {}",
            names.get(d.file).map_or("-", String::as_str),
            d.code,
            d.message
        )
        .unwrap();
    }
    out
}

fn values_files(bundle: &osmo_values::Bundle) -> Vec<(String, String)> {
    bundle
        .files
        .iter()
        .filter(|f| f.name.contains("_values"))
        .map(|f| (f.name.clone(), f.contents.clone()))
        .collect()
}

/// The spec field of a difference line: `backends[2].kind: …` → `backends[].kind`.
fn field_of(line: &str) -> String {
    let path = line.split(':').next().unwrap_or_default();
    let mut out = String::new();
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '[' => {
                skipping = true;
                out.push('[');
            }
            ']' => {
                skipping = false;
                out.push(']');
            }
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn examples_round_trip() {
    let mut exact = 0;
    let examples = common::examples();
    for (name, spec) in &examples {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let bundle = osmo_values::generate(spec, &mut rng).unwrap();
        let files = values_files(&bundle);
        let inputs: Vec<ValuesFile<'_>> = files
            .iter()
            .map(|(n, t)| ValuesFile { name: n, text: t })
            .collect();
        let imported = from_values(&inputs).unwrap_or_else(|e| panic!("{name}: {e}"));
        let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        let mut diff = Vec::new();
        differences(&spec.to_json(), &imported.spec.to_json(), "", &mut diff);
        if diff.is_empty() {
            exact += 1;
        }
        assert_eq!(imported.comparison, Comparison::Generated, "{name}");
        assert!(
            imported.unmapped.is_empty(),
            "{name}: our own files map completely:\n{}",
            report(&names, &imported)
        );
        assert!(
            imported
                .findings
                .iter()
                .all(|d| d.severity == Severity::Info),
            "{name}: our own files lint clean (reminders aside): {:?}",
            imported.findings
        );
        // Every difference is a setting the import lists as not in the values; the compute
        // pools may be written out when the kind they default from is one of those.
        let listed: Vec<&str> = imported.missing.iter().map(|m| m.field).collect();
        for d in &diff {
            let field = field_of(d);
            let explained = listed.contains(&field.as_str())
                || (field == "backends[].computePools" && listed.contains(&"backends[].kind"));
            assert!(
                explained,
                "{name}: `{d}` is not a listed difference ({listed:?})"
            );
        }
        let mut snap = format!("differences from the example spec: {}\n", diff.len());
        for d in &diff {
            writeln!(snap, "  {d}").unwrap();
        }
        writeln!(snap, "not in the values:").unwrap();
        for m in &imported.missing {
            writeln!(snap, "  {}", m.field).unwrap();
        }
        insta::assert_snapshot!(format!("round_trip__{name}"), snap);
    }
    eprintln!("{exact} of {} examples round-trip exactly", examples.len());
    assert!(
        exact >= examples.len() / 2,
        "only {exact} examples round-trip exactly"
    );
}

/// The `.yaml` files of a folder, sorted by name: (name, text).
fn folder(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn import_snapshot(snapshot: &str, files: &[(String, String)]) -> Imported {
    let inputs: Vec<ValuesFile<'_>> = files
        .iter()
        .map(|(n, t)| ValuesFile { name: n, text: t })
        .collect();
    let imported = from_values(&inputs).unwrap_or_else(|e| panic!("{snapshot}: {e}"));
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    insta::assert_snapshot!(snapshot.to_owned(), report(&names, &imported));
    imported
}

/// Hand-written deployments: our fixtures of whole 6.3.1 deployments and the import's own.
#[test]
fn hand_written_deployments() {
    for base in ["lint-6.3.1-good", "import"] {
        let root = common::fixtures_dir().join(base);
        let mut dirs: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        assert!(!dirs.is_empty(), "{}", root.display());
        for dir in dirs {
            let name = format!(
                "hand__{base}__{}",
                dir.file_name().unwrap().to_string_lossy()
            );
            let imported = import_snapshot(&name, &folder(&dir));
            assert_eq!(
                imported.spec.release,
                osmo_values::Release::V6_3_1,
                "{name}"
            );
        }
    }
}

/// The 6.2.10 chart fixtures (`tests/fixtures/values/<chart>/good.yaml`) as one deployment.
#[test]
fn hand_written_6_2_fixtures() {
    let root = common::fixtures_dir().join("values");
    let files: Vec<(String, String)> = [
        ("service", "osmo_values.yaml"),
        ("router", "router_values.yaml"),
        ("web-ui", "ui_values.yaml"),
        ("backend-operator", "backend_operator_values.yaml"),
    ]
    .into_iter()
    .map(|(dir, name)| {
        (
            name.to_owned(),
            std::fs::read_to_string(root.join(dir).join("good.yaml")).unwrap(),
        )
    })
    .collect();
    let imported = import_snapshot("hand__6.2.10-fixtures", &files);
    assert_eq!(imported.spec.release, osmo_values::Release::V6_2_10);
}

/// The 6.2.10 guides' samples (../shared/seeds) as one deployment.
#[test]
fn guides_samples_6_2() {
    let names = [
        "osmo_values.yaml",
        "router_values.yaml",
        "ui_values.yaml",
        "backend_operator_values.yaml",
    ];
    let mut files = Vec::new();
    for name in names {
        let Some(text) = common::sample(name) else {
            return;
        };
        files.push((name.to_owned(), text));
    }
    let imported = import_snapshot("hand__6.2.10-guides", &files);
    assert_eq!(imported.spec.release, osmo_values::Release::V6_2_10);
    assert!(
        !imported.unmapped.is_empty(),
        "the guides set keys the spec cannot say"
    );
}
