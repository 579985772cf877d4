//! The migration from 6.2.10 to 6.3.1: the table covers every key, each
//! fixture deployment's files (snapshots), every key reported once, comments
//! carried, values merged or questioned, errors with file, line and column.

use std::path::PathBuf;

use osmo_values::lint::suggest::Shape;
use osmo_values::migrate::{Fate, MigrateError, MigrateInput, MigrateOptions, Migration, migrate};
use osmo_values::path::{Path, Segment};
use osmo_values::release::moves::{self, MOVES, To};
use osmo_values::{Chart, ChartName, Release};

/// Every leaf path of a key tree: a `*` map takes the key `key`, a list or a
/// map that takes any key ends the path.
fn leaf_paths(shape: &Shape, at: Path, out: &mut Vec<Path>) {
    let mut any = false;
    for k in &shape.order {
        any = true;
        leaf_paths(&shape.props[k], at.clone().key(k.clone()), out);
    }
    if let Some(a) = &shape.additional {
        any = true;
        leaf_paths(a, at.clone().key("key"), out);
    }
    if !any && !at.is_root() {
        out.push(at);
    }
}

#[test]
fn the_table_covers_every_key_of_the_6_2_charts_and_leads_to_real_6_3_keys() {
    let mut checked = 0;
    let mut missing = Vec::new();
    for chart in Chart::all(Release::V6_2_10) {
        let target = Chart::new(
            Release::V6_3_1,
            if chart.name == ChartName::BackendOperator {
                ChartName::BackendOperator
            } else {
                ChartName::Service
            },
        )
        .unwrap();
        let new = Shape::of_chart(target);
        let mut paths = Vec::new();
        leaf_paths(&Shape::of_chart(chart), Path::root(), &mut paths);
        for path in paths {
            checked += 1;
            let Some(found) = moves::lookup(chart.name, &path) else {
                missing.push(format!("{chart}: no row for `{path}`"));
                continue;
            };
            if let Some(t) = &found.target
                && !new.allows(t)
            {
                missing.push(format!(
                    "{chart}: `{path}` moves to `{t}`, which the 6.3.1 {} chart does not have",
                    target.name
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert!(checked > 1400, "{checked} keys checked");
    // Every row is reachable: no row is shadowed by another with the same pattern.
    for (i, a) in MOVES.iter().enumerate() {
        for b in &MOVES[i + 1..] {
            assert!(
                !(a.chart == b.chart && a.from == b.from),
                "two rows for {} `{}`",
                a.chart,
                a.from
            );
        }
        if let To::SameAsService { path, .. } = a.to {
            let service =
                Shape::of_chart(Chart::new(Release::V6_2_10, ChartName::Service).unwrap());
            let sample = Path(
                path.split('.')
                    .map(|s| Segment::Key(if s == "*" { "key".into() } else { s.into() }))
                    .collect(),
            );
            assert!(
                service.allows(&sample),
                "`{path}` is not a 6.2.10 service chart key"
            );
        }
    }
}

fn fixtures() -> Vec<(String, Vec<(String, String)>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/migrate");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/migrate")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let mut files: Vec<(String, String)> = std::fs::read_dir(&d)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .map(|p| {
                    (
                        p.file_name().unwrap().to_string_lossy().into_owned(),
                        std::fs::read_to_string(&p).unwrap(),
                    )
                })
                .collect();
            files.sort();
            (d.file_name().unwrap().to_string_lossy().into_owned(), files)
        })
        .collect()
}

fn run(files: &[(&str, &str)]) -> Result<Migration, MigrateError> {
    let inputs: Vec<MigrateInput<'_>> = files
        .iter()
        .map(|(name, text)| MigrateInput {
            name,
            source: text.as_bytes(),
        })
        .collect();
    migrate(&inputs, &MigrateOptions::default())
}

fn owned(files: &[(String, String)]) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect()
}

/// Keys counted independently: scalars, lists and empty maps, duplicates too.
fn count_keys(text: &str) -> usize {
    fn count(node: &osmo_values::Node) -> usize {
        match &node.value {
            osmo_values::NodeValue::Map(entries) => entries
                .iter()
                .map(|e| match &e.value.value {
                    osmo_values::NodeValue::Map(m) if !m.is_empty() => count(&e.value),
                    _ => 1,
                })
                .sum(),
            _ => 0,
        }
    }
    count(&osmo_values::yaml::parse(text).unwrap().root)
}

#[test]
fn fixture_migrations() {
    for (name, files) in fixtures() {
        let m = run(&owned(&files)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let keys: usize = files.iter().map(|(_, t)| count_keys(t)).sum();
        assert_eq!(m.report.keys.len(), keys, "{name}: every key reported once");
        let mut text = String::new();
        for f in &m.files {
            text.push_str(&format!(
                "===== {} (executable: {})\n{}",
                f.name, f.executable, f.contents
            ));
            if !f.contents.ends_with('\n') {
                text.push('\n');
            }
        }
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn comments_travel_with_their_keys() {
    let router = "services:\n  # the router\n  service:\n    # at least two\n    scaling:\n      minReplicas: 2  # HA\n\n# loose\n";
    let m = run(&[("router_values.yaml", router)]).unwrap();
    let out = &m.file("osmo_values.yaml").unwrap().contents;
    assert!(
        out.contains("  # the router\n  router:\n    # at least two\n    scaling:\n      minReplicas: 2  # HA\n"),
        "{out}"
    );
    assert_eq!(m.report.loose_comments, [(0, 8, "# loose".to_owned())]);
    // A dropped key's comment is kept in the report.
    let m = run(&[(
        "osmo_values.yaml",
        "sidecars:\n  envoy:\n    # the pod's own address\n    service:\n      address: 127.0.0.1\n",
    )])
    .unwrap();
    assert_eq!(m.report.keys[0].comments, ["# the pod's own address"]);
    assert!(
        m.file("MIGRATION.md")
            .unwrap()
            .contents
            .contains("# the pod's own address")
    );
}

#[test]
fn values_two_charts_set_merge_when_equal_and_ask_when_not() {
    let service = "sidecars:\n  envoy:\n    idp:\n      host: a.example.com\n";
    let same = "sidecars:\n  envoy:\n    idp:\n      host: a.example.com\n";
    let m = run(&[("osmo_values.yaml", service), ("router_values.yaml", same)]).unwrap();
    assert_eq!(m.report.open_decisions(), 0);
    assert!(
        matches!(&m.report.keys[1].fate, Fate::Dropped { reason } if reason.contains("the same value as"))
    );

    let other = "sidecars:\n  envoy:\n    idp:\n      host: b.example.com\n";
    let m = run(&[("osmo_values.yaml", service), ("router_values.yaml", other)]).unwrap();
    assert_eq!(m.report.open_decisions(), 1);
    let Fate::Decide { question, .. } = &m.report.keys[1].fate else {
        panic!("{:?}", m.report.keys[1]);
    };
    assert!(
        question.contains("b.example.com") && question.contains("a.example.com"),
        "{question}"
    );
    let out = &m.file("osmo_values.yaml").unwrap().contents;
    assert!(
        out.contains("host: a.example.com") && !out.contains("b.example.com"),
        "{out}"
    );
    assert!(
        m.file("MIGRATION.md")
            .unwrap()
            .contents
            .contains("\n- [ ] OPEN-DECISION: router_values.yaml:4:7 ")
    );
}

#[test]
fn osmo_tokens_are_checked_through_the_internal_jwks_cluster() {
    let service = "sidecars:\n  envoy:\n    jwt:\n      providers:\n        - issuer: osmo\n          audience: osmo\n          jwks_uri: http://localhost:8000/api/auth/keys\n          user_claim: unique_name\n          cluster: service\n";
    let router = "sidecars:\n  envoy:\n    jwt:\n      providers:\n        - issuer: osmo\n          audience: osmo\n          jwks_uri: http://osmo-service/api/auth/keys\n          user_claim: unique_name\n          cluster: osmoauth\n";
    let m = run(&[
        ("osmo_values.yaml", service),
        ("router_values.yaml", router),
    ])
    .unwrap();
    let out = &m.file("osmo_values.yaml").unwrap().contents;
    assert!(
        out.contains("jwks_uri: \"https://osmo-service/api/auth/keys\"\n          user_claim: unique_name\n          cluster: \"osmo-service-jwks\"\n"),
        "{out}"
    );
    assert_eq!(
        out.matches("issuer: osmo").count(),
        1,
        "joined into one list: {out}"
    );
    assert_eq!(m.report.open_decisions(), 0);
}

#[test]
fn layers_stay_layers() {
    let m = run(&[
        (
            "osmo_values.yaml",
            "services:\n  service:\n    hostname: a.example.com\n",
        ),
        (
            "osmo_values.prod.yaml",
            "services:\n  service:\n    hostname: b.example.com\n",
        ),
        (
            "router_values-prod.yaml",
            "services:\n  service:\n    hostname: b.example.com\n",
        ),
    ])
    .unwrap();
    let names: Vec<&str> = m.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "osmo_values.yaml",
            "osmo_values.prod.yaml",
            "MIGRATION.md",
            "upgrade.sh"
        ]
    );
    let prod = &m.file("osmo_values.prod.yaml").unwrap().contents;
    assert!(prod.contains("hostname: b.example.com"), "{prod}");
    assert!(
        !prod.contains("osmoImageTag"),
        "the tag is pinned in the base only: {prod}"
    );
    assert!(
        m.file("upgrade.sh")
            .unwrap()
            .contents
            .contains("-f 'osmo_values.yaml' -f 'osmo_values.prod.yaml'")
    );
}

#[test]
fn errors_name_the_file_line_and_column() {
    let err = run(&[("osmo_values.yaml", "a: [1\n")]).unwrap_err();
    assert!(
        matches!(err, MigrateError::Unreadable { line: 2, .. }),
        "{err}"
    );
    assert!(err.to_string().starts_with("osmo_values.yaml:2:"), "{err}");

    let err = run(&[("values.yaml", "{}\n")]).unwrap_err();
    assert_eq!(
        err.to_string().split(": ").next(),
        Some("values.yaml:1:1"),
        "{err}"
    );

    let err = run(&[("osmo_values.yaml", "global: {}\ngateway:\n  envoy: {}\n")]).unwrap_err();
    assert!(
        matches!(
            err,
            MigrateError::NotFrom {
                line: 2,
                column: 1,
                release: Release::V6_3_1,
                ..
            }
        ),
        "{err}"
    );

    let options = MigrateOptions {
        to: Release::V6_2_10,
        ..MigrateOptions::default()
    };
    let input = MigrateInput {
        name: "osmo_values.yaml",
        source: b"{}",
    };
    assert!(matches!(
        migrate(&[input], &options),
        Err(MigrateError::Target(Release::V6_2_10))
    ));
}

#[test]
fn router_values_alone_ask_for_the_service_chart() {
    let m = run(&[(
        "router_values.yaml",
        "services:\n  service:\n    scaling:\n      minReplicas: 2\n",
    )])
    .unwrap();
    assert_eq!(m.report.decisions.len(), 1, "{:?}", m.report.decisions);
    assert!(m.report.decisions[0].contains("without the service chart's"));
}

#[test]
fn unknown_and_null_keys_are_questions() {
    let m = run(&[(
        "osmo_values.yaml",
        "services:\n  servce:\n    hostname: x\nsidecars:\n  envoy:\n    jwt: null\n",
    )])
    .unwrap();
    let fates: Vec<&Fate> = m.report.keys.iter().map(|k| &k.fate).collect();
    assert!(matches!(fates[0], Fate::Decide { question, .. } if question.contains("not a key")));
    assert!(matches!(fates[1], Fate::Decide { question, .. } if question.contains("`null`")));
    let out = &m.file("osmo_values.yaml").unwrap().contents;
    assert!(!out.contains("servce") && !out.contains("jwt"), "{out}");
}
