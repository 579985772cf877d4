//! The lint rules over small bad inputs: one file per case under
//! `tests/fixtures/lint/<chart>/`, several files linted together under
//! `tests/fixtures/lint/multi/<case>/`. Each case's findings are an insta
//! snapshot showing `line:column`, the message, the help, related places,
//! the fix, and the text after the machine-applicable fixes.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use osmo_values::ChartName;
use osmo_values::diagnostic::Diagnostic;
use osmo_values::lint::{LintInput, LintOptions, apply_fixes, lint, rule, rules, rules_markdown};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/lint")
}

/// Renders findings the way the snapshots show them.
fn render(names: &[String], sources: &[String], found: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in found {
        let at = d
            .span
            .map(|s| format!("{}:{}", s.start.line, s.start.column))
            .unwrap_or_else(|| "-".into());
        let file = if names.len() > 1 {
            format!("{}:", names[d.file])
        } else {
            String::new()
        };
        writeln!(out, "{file}{at} {}[{}] {}", d.severity, d.code, d.message).unwrap();
        if let Some(p) = &d.path {
            writeln!(out, "    path: {p}").unwrap();
        }
        if let Some(h) = &d.help {
            writeln!(out, "    help: {h}").unwrap();
        }
        for r in &d.related {
            let file = if names.len() > 1 {
                format!("{}:", names[r.file])
            } else {
                String::new()
            };
            writeln!(
                out,
                "    related {file}{}:{}: {}",
                r.span.start.line, r.span.start.column, r.message
            )
            .unwrap();
        }
        if let Some(f) = &d.fix {
            let kind = if f.machine_applicable {
                "machine-applicable"
            } else {
                "suggested"
            };
            writeln!(out, "    fix ({kind}): {}", f.description).unwrap();
        }
    }
    for (i, src) in sources.iter().enumerate() {
        if let Some(fixed) = apply_fixes(src, found, i) {
            writeln!(out, "--- {} after --fix ---\n{fixed}", names[i]).unwrap();
        }
    }
    out
}

fn chart_of_dir(path: &Path) -> ChartName {
    let dir = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    dir.parse()
        .unwrap_or_else(|_| panic!("fixture directory `{dir}` is not a chart name"))
}

/// Every codes found over all fixtures, for the coverage test.
fn lint_single(path: &Path) -> (String, Vec<Diagnostic>) {
    let source = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let options = LintOptions {
        chart: Some(chart_of_dir(path)),
    };
    let found = lint(
        &[LintInput {
            name: &name,
            source: source.as_bytes(),
        }],
        &options,
    )
    .unwrap();
    let shown = render(&[name], &[source], &found);
    (shown, found)
}

fn multi_cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("multi"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn lint_dir(dir: &Path) -> (String, Vec<Diagnostic>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    // `osmo_values.yaml` before `osmo_values.prod.yaml`: base file first, as `-f a -f b`.
    files.sort_by_key(|p| (p.file_name().unwrap().len(), p.clone()));
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let sources: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let inputs: Vec<LintInput<'_>> = names
        .iter()
        .zip(&sources)
        .map(|(n, s)| LintInput {
            name: n,
            source: s.as_bytes(),
        })
        .collect();
    let found = lint(&inputs, &LintOptions::default()).unwrap();
    (render(&names, &sources, &found), found)
}

#[test]
fn single_file_cases() {
    insta::glob!("../../tests/fixtures/lint", "*/*.yaml", |path| {
        let (shown, found) = lint_single(path);
        assert!(
            !found.is_empty(),
            "{} is a bad input but produced no finding",
            path.display()
        );
        insta::assert_snapshot!(shown);
    });
}

#[test]
fn multi_file_cases() {
    for dir in multi_cases() {
        let (shown, found) = lint_dir(&dir);
        assert!(!found.is_empty(), "{} produced no finding", dir.display());
        let name = format!("multi__{}", dir.file_name().unwrap().to_string_lossy());
        insta::assert_snapshot!(name, shown);
    }
}

#[test]
fn every_rule_has_a_case() {
    let mut seen = BTreeSet::new();
    for chart in ["service", "router", "web-ui", "backend-operator"] {
        for entry in std::fs::read_dir(fixtures().join(chart)).unwrap() {
            let path = entry.unwrap().path();
            seen.extend(lint_single(&path).1.into_iter().map(|d| d.code));
        }
    }
    for dir in multi_cases() {
        seen.extend(lint_dir(&dir).1.into_iter().map(|d| d.code));
    }
    let missing: Vec<&str> = rules()
        .iter()
        .map(|r| r.code)
        .filter(|c| !seen.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "rules with no fixture producing them: {missing:?}"
    );
}

#[test]
fn rules_table_is_consistent() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut last = "";
    for r in rules() {
        assert!(r.code > last, "rules out of order at {}", r.code);
        last = r.code;
        assert!(
            codes.insert(r.code) && names.insert(r.name),
            "duplicate {} {}",
            r.code,
            r.name
        );
        assert!(r.code.len() == 5 && r.code.starts_with("OV"), "{}", r.code);
        assert!(
            r.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
        );
        assert!(
            !r.summary.contains('\n') && r.explanation.contains("**Fix:**"),
            "{}",
            r.code
        );
        assert_eq!(rule(r.code), Some(r));
        assert_eq!(rule(r.name), Some(r));
    }
}

#[test]
fn rules_doc_is_current() {
    let doc_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let want = rules_markdown();
    let have = std::fs::read_to_string(&doc_path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale: run `cargo xtask codegen`"
    );
}

#[test]
fn usage_errors() {
    let input = LintInput {
        name: "values.yaml",
        source: b"a: 1\n",
    };
    assert!(matches!(
        lint(&[input], &LintOptions::default()),
        Err(osmo_values::lint::LintError::NoChart { .. })
    ));
    let input = LintInput {
        name: "router_values.yaml",
        source: b"a: 1\n",
    };
    let options = LintOptions {
        chart: Some(ChartName::Service),
    };
    assert!(matches!(
        lint(&[input], &options),
        Err(osmo_values::lint::LintError::MixedCharts { .. })
    ));
}

#[test]
fn unreadable_bytes_are_a_finding() {
    let input = LintInput {
        name: "ui_values.yaml",
        source: b"services:\n  ui: \xff\n",
    };
    let found = lint(&[input], &LintOptions::default()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "OV001");
    let at = found[0].span.unwrap().start;
    assert_eq!((at.line, at.column), (2, 7));
}

#[test]
fn sorted_by_file_then_position() {
    let a = "global:\n  osmoImageTag: 6.10\nsidecars:\n  logAgent: {}\n";
    let b = "global:\n  osmoImageTag: 6.20\n";
    let inputs = [
        LintInput {
            name: "osmo_values.yaml",
            source: a.as_bytes(),
        },
        LintInput {
            name: "ui_values.yaml",
            source: b.as_bytes(),
        },
    ];
    let found = lint(&inputs, &LintOptions::default()).unwrap();
    let keys: Vec<(usize, usize)> = found
        .iter()
        .map(|d| (d.file, d.span.unwrap().start.offset))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(found.iter().any(|d| d.file == 1 && d.code == "OV004"));
}

/// Values that look close to a finding but are right: no finding at all.
#[test]
fn quiet_cases() {
    let cases: &[(&str, &str)] = &[
        (
            "osmo_values.yaml",
            "# two providers share the issuer; one accepts the client id\n\
             sidecars:\n  envoy:\n    idp:\n      host: login.microsoftonline.com\n    jwt:\n      providers:\n\
             \x20     - issuer: https://login.microsoftonline.com/t/v2.0\n        audience: api://osmo\n\
             \x20       jwks_uri: https://login.microsoftonline.com/t/discovery/v2.0/keys\n        user_claim: preferred_username\n        cluster: idp\n\
             \x20     - issuer: https://login.microsoftonline.com/t/v2.0\n        audience: client-1\n\
             \x20       jwks_uri: https://login.microsoftonline.com/t/discovery/v2.0/keys\n        user_claim: preferred_username\n        cluster: idp\n\
             \x20 oauth2Proxy:\n    oidcIssuerUrl: https://login.microsoftonline.com/t/v2.0\n    clientId: client-1\n",
        ),
        (
            "osmo_values.yaml",
            "# without Envoy, providers are not used\nsidecars:\n  envoy:\n    enabled: false\n    jwt:\n      providers:\n      - issuer: x\n        cluster: idp\n",
        ),
        (
            "osmo_values.yaml",
            "services:\n  service:\n    hostname: osmo.example.com\nsidecars:\n  oauth2Proxy:\n    enabled: false\n    cookieDomain: .example.com\n",
        ),
        (
            "osmo_values.yaml",
            "services:\n  worker:\n    resources:\n      requests: {cpu: 500m, memory: 1Gi}\n      limits: {cpu: \"0.5\", memory: 1024Mi}\n",
        ),
        (
            "osmo_values.yaml",
            "sidecars:\n  envoy:\n    skipAuthPaths:\n    - /api/version\n    - /api/auth\n    - /client/version\n    - /api/extra\n",
        ),
        (
            "osmo_values.yaml",
            "# correct per-service Envoy overrides: a limit, the same host, and a list\n\
             # that keeps oauth2-proxy's provider next to OSMO's own tokens\n\
             sidecars:\n  envoy:\n    idp:\n      host: accounts.google.com\n    jwt:\n      providers:\n\
             \x20     - issuer: https://accounts.google.com\n        audience: 1234.apps.googleusercontent.com\n\
             \x20       jwks_uri: https://accounts.google.com/oauth2/v3/certs\n        user_claim: email\n        cluster: idp\n\
             \x20 oauth2Proxy:\n    oidcIssuerUrl: https://accounts.google.com\n    clientId: 1234.apps.googleusercontent.com\n\
             services:\n  service:\n    envoy:\n      maxRequests: 200\n      maxHeadersSizeKb: 96\n\
             \x20 logger:\n    envoy:\n      jwt:\n        providers:\n\
             \x20       - issuer: https://accounts.google.com\n          audience: 1234.apps.googleusercontent.com\n\
             \x20         jwks_uri: https://accounts.google.com/oauth2/v3/certs\n          user_claim: email\n          cluster: idp\n\
             \x20       - issuer: osmo\n          audience: osmo\n          jwks_uri: http://localhost:8000/api/auth/keys\n\
             \x20         user_claim: unique_name\n          cluster: service\n\
             \x20 agent:\n    envoy:\n      idp:\n        host: accounts.google.com\n      maxRequests: 50\n",
        ),
        (
            "osmo_values.yaml",
            "# an override restating the chart's empty idp.host is not a finding\n\
             services:\n  logger:\n    envoy:\n      idp:\n        host: \"\"\n",
        ),
        (
            "ui_values.yaml",
            "services:\n  ui:\n    ingress:\n      annotations:\n        example.com/flag: \"yes\"\n      ingressClass: alb\n      albAnnotations:\n        enabled: true\n",
        ),
        (
            "router_values.yaml",
            "global:\n  osmoImageTag: \"6.2.10\"\n",
        ),
        (
            "backend_operator_values.yaml",
            "global:\n  osmoImageTag: '6.10'\n",
        ),
    ];
    for (name, text) in cases {
        let found = lint(
            &[LintInput {
                name,
                source: text.as_bytes(),
            }],
            &LintOptions::default(),
        )
        .unwrap();
        assert!(
            found.is_empty(),
            "{name}:\n{text}\n{}",
            render(&[name.to_string()], &[text.to_string()], &found)
        );
    }
}

/// Machine-applicable fixes leave a readable file with fewer fixable
/// findings, and never introduce an unknown key or a type error.
#[test]
fn fixes_converge() {
    for chart in ["service", "router", "web-ui", "backend-operator"] {
        for entry in std::fs::read_dir(fixtures().join(chart)).unwrap() {
            let path = entry.unwrap().path();
            let source = std::fs::read_to_string(&path).unwrap();
            let options = LintOptions {
                chart: Some(chart.parse().unwrap()),
            };
            let mut text = source.clone();
            let mut before = lint(
                &[LintInput {
                    name: "x.yaml",
                    source: text.as_bytes(),
                }],
                &options,
            )
            .unwrap();
            for _round in 0..5 {
                let Some(fixed) = apply_fixes(&text, &before, 0) else {
                    break;
                };
                let after = lint(
                    &[LintInput {
                        name: "x.yaml",
                        source: fixed.as_bytes(),
                    }],
                    &options,
                )
                .unwrap();
                let fixable = |ds: &[Diagnostic]| {
                    ds.iter()
                        .filter(|d| d.fix.as_ref().is_some_and(|f| f.machine_applicable))
                        .count()
                };
                assert!(
                    fixable(&after) < fixable(&before),
                    "{}: fixes do not converge:\n{fixed}",
                    path.display()
                );
                for d in &after {
                    assert!(
                        !["OV001", "OV101", "OV102"].contains(&d.code)
                            || before
                                .iter()
                                .any(|b| b.code == d.code && b.message == d.message),
                        "{}: the fix introduced {d:?}\n{fixed}",
                        path.display()
                    );
                }
                text = fixed;
                before = after;
            }
        }
    }
}
