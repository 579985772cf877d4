//! The guides' own sample values (from the seed documents in ../shared)
//! must produce a finding for every defect FACTS.md names, at the right
//! line; good values (the chart defaults with the tag quoted, and our own
//! good fixtures) must produce none.

mod common;

use std::path::Path;

use common::{sample, shared_or_skip};
use osmo_values::diagnostic::Diagnostic;
use osmo_values::lint::{LintInput, LintOptions, lint};

/// The line (from 1) of the `nth` line containing `needle`.
fn line_of(text: &str, needle: &str, nth: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not in the sample"))
        .0
        + 1
}

fn lint_one(name: &str, text: &str) -> Vec<Diagnostic> {
    lint(
        &[LintInput {
            name,
            source: text.as_bytes(),
        }],
        &LintOptions {
            release: Some(osmo_values::Release::V6_2_10),
            ..LintOptions::default()
        },
    )
    .unwrap()
}

fn show(found: &[Diagnostic]) -> String {
    found
        .iter()
        .map(|d| {
            let s = d.span.unwrap_or_default().start;
            format!("{}:{} {} {}", s.line, s.column, d.code, d.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[track_caller]
fn expect(found: &[Diagnostic], code: &str, line: usize) {
    assert!(
        found
            .iter()
            .any(|d| d.code == code && d.span.is_some_and(|s| s.start.line == line)),
        "expected {code} at line {line}; found:\n{}",
        show(found)
    );
}

#[test]
fn service_sample() {
    let Some(text) = sample("osmo_values.yaml") else {
        return;
    };
    let found = lint_one("osmo_values.yaml", &text);
    println!("{}", show(&found));
    // Refused by the 6.2 charts.
    expect(
        &found,
        "OV202",
        line_of(&text, "useKubernetesSecrets: true", 0),
    );
    // A provider on cluster idp with no sidecars.envoy.idp.host.
    expect(&found, "OV301", line_of(&text, "cluster: idp", 0));
    // The ingress and resources blocks misindented under defaultAdmin.
    let ingress = line_of(&text, "ingress:", 0);
    expect(&found, "OV101", ingress);
    let d = found
        .iter()
        .find(|d| d.code == "OV101" && d.span.unwrap().start.line == ingress)
        .unwrap();
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains("services.service.ingress"),
        "{d:?}"
    );
    let resources = line_of(&text, "resources:", 0);
    let d = found
        .iter()
        .find(|d| d.code == "OV101" && d.span.unwrap().start.line == resources);
    assert!(
        d.is_some_and(|d| d
            .help
            .as_deref()
            .unwrap_or("")
            .contains("services.service.resources")),
        "{}",
        show(&found)
    );
    // Placeholders left in.
    expect(
        &found,
        "OV307",
        line_of(&text, "osmoImageTag: <version>", 0),
    );
    expect(
        &found,
        "OV307",
        line_of(&text, "hostname: <your-domain>", 0),
    );
    expect(
        &found,
        "OV307",
        line_of(&text, "cookieDomain: .<your-domain>", 0),
    );
    // Keys removed in 1.2.1.
    expect(&found, "OV308", line_of(&text, "logAgent:", 0));
    expect(&found, "OV308", line_of(&text, "otel:", 0));
}

#[test]
fn router_sample() {
    let Some(text) = sample("router_values.yaml") else {
        return;
    };
    let found = lint_one("router_values.yaml", &text);
    println!("{}", show(&found));
    expect(
        &found,
        "OV202",
        line_of(&text, "useKubernetesSecrets: true", 0),
    );
    expect(&found, "OV301", line_of(&text, "cluster: idp", 0));
    expect(
        &found,
        "OV307",
        line_of(&text, "osmoImageTag: <version>", 0),
    );
    expect(
        &found,
        "OV307",
        line_of(&text, "hostname: <your-domain>", 0),
    );
    expect(&found, "OV308", line_of(&text, "logAgent:", 0));
    // The OSMO-token provider on cluster osmoauth is right for the router.
    assert!(!found.iter().any(|d| d.code == "OV302"), "{}", show(&found));
}

#[test]
fn web_ui_sample() {
    let Some(text) = sample("ui_values.yaml") else {
        return;
    };
    let found = lint_one("ui_values.yaml", &text);
    println!("{}", show(&found));
    expect(
        &found,
        "OV202",
        line_of(&text, "useKubernetesSecrets: true", 0),
    );
    expect(&found, "OV301", line_of(&text, "cluster: idp", 0));
    expect(
        &found,
        "OV307",
        line_of(&text, "osmoImageTag: <version>", 0),
    );
    expect(&found, "OV308", line_of(&text, "logAgent:", 0));
}

#[test]
fn backend_operator_sample() {
    let Some(text) = sample("backend_operator_values.yaml") else {
        return;
    };
    let found = lint_one("backend_operator_values.yaml", &text);
    println!("{}", show(&found));
    expect(
        &found,
        "OV307",
        line_of(&text, "osmoImageTag: <insert-osmo-image-tag>", 0),
    );
    // `services` is indented under `global`: the chart never reads it there.
    let services = line_of(&text, "services:", 0);
    expect(&found, "OV101", services);
    let d = found
        .iter()
        .find(|d| d.code == "OV101" && d.span.unwrap().start.line == services)
        .unwrap();
    assert!(
        d.help.as_deref().unwrap_or("").contains("top level"),
        "{d:?}"
    );
}

#[test]
fn samples_together() {
    let files = [
        "osmo_values.yaml",
        "router_values.yaml",
        "ui_values.yaml",
        "backend_operator_values.yaml",
    ];
    let Some(texts) = files
        .iter()
        .map(|f| sample(f))
        .collect::<Option<Vec<String>>>()
    else {
        return;
    };
    let inputs: Vec<LintInput<'_>> = files
        .iter()
        .zip(&texts)
        .map(|(n, t)| LintInput {
            name: n,
            source: t.as_bytes(),
        })
        .collect();
    let found = lint(
        &inputs,
        &LintOptions {
            release: Some(osmo_values::Release::V6_2_10),
            ..LintOptions::default()
        },
    )
    .unwrap();
    for (i, f) in files.iter().enumerate() {
        let alone = lint_one(f, &texts[i]);
        let together: Vec<&Diagnostic> = found.iter().filter(|d| d.file == i).collect();
        for d in &alone {
            assert!(
                together
                    .iter()
                    .any(|t| t.code == d.code && t.span == d.span),
                "{f}: {d:?} lost when linted together"
            );
        }
    }
}

/// The chart defaults are not a working deployment: oauth2-proxy is on
/// without an identity provider, and the service and web-ui charts' default
/// JWT providers use cluster `idp` without `idp.host`. Linted as a values
/// file, each chart's defaults produce exactly those findings, each with a
/// note naming the default, and nothing else.
#[test]
fn chart_defaults_are_broken_exactly_where_the_charts_are() {
    let Some(shared) = shared_or_skip("the chart defaults' findings") else {
        return;
    };
    for (chart, file, expected) in [
        ("service", "osmo_values.yaml", &["OV301", "OV303"][..]),
        ("router", "router_values.yaml", &["OV303"][..]),
        ("web-ui", "ui_values.yaml", &["OV301", "OV303"][..]),
        ("backend-operator", "backend_operator_values.yaml", &[][..]),
    ] {
        let path = shared
            .join("reference/osmo-6.2.10")
            .join(chart)
            .join("values.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let quoted = text.replace("osmoImageTag: 6.2\n", "osmoImageTag: \"6.2\"\n");
        assert_ne!(
            text, quoted,
            "{chart}: the numeric default tag was not found"
        );
        // The defaults also set keys no template reads (OV311, warnings): a file
        // copied from them carries those values; they are judged elsewhere.
        let no_effect = |found: Vec<Diagnostic>| -> Vec<Diagnostic> {
            found.into_iter().filter(|d| d.code != "OV311").collect()
        };
        let found = no_effect(lint_one(file, &quoted));
        let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, expected, "{chart} defaults:\n{}", show(&found));
        assert!(
            found.iter().all(|d| d
                .note
                .as_deref()
                .is_some_and(|n| n.starts_with("chart default"))),
            "{chart}: every finding names its default:\n{}",
            show(&found)
        );
        // Unquoted, the default tag is the number 6.2.
        let found = no_effect(lint_one(file, &text));
        let tags: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "OV004").collect();
        assert_eq!(tags.len(), 1, "{chart}:\n{}", show(&found));
        assert_eq!(
            found.len(),
            expected.len() + 1,
            "{chart}:\n{}",
            show(&found)
        );
    }
}

#[test]
fn good_fixtures_are_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/values");
    let mut checked = 0;
    for chart in ["service", "router", "web-ui", "backend-operator"] {
        let path = root.join(chart).join("good.yaml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let options = LintOptions {
            chart: Some(chart.parse().unwrap()),
            release: Some(osmo_values::Release::V6_2_10),
            ..LintOptions::default()
        };
        let found = lint(
            &[LintInput {
                name: "good.yaml",
                source: text.as_bytes(),
            }],
            &options,
        )
        .unwrap();
        assert!(found.is_empty(), "{}:\n{}", path.display(), show(&found));
        checked += 1;
    }
    assert_eq!(checked, 4);
}
