//! The lint rules over small bad inputs: one file per case under
//! `tests/fixtures/lint/<chart>/` (OSMO 6.2.10) and
//! `tests/fixtures/lint-6.3.1/<chart>/` (OSMO 6.3.1), several files linted
//! together under `.../multi/<case>/`. Each case's findings are an insta
//! snapshot showing `line:column`, the message, the help, related places,
//! the fix, and the text after the machine-applicable fixes.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use osmo_values::diagnostic::Diagnostic;
use osmo_values::lint::{LintInput, LintOptions, apply_fixes, lint, rule, rules, rules_markdown};
use osmo_values::{ChartName, Release};

/// The fixture folder of a release's cases.
fn fixtures(release: Release) -> PathBuf {
    let dir = match release {
        Release::V6_2_10 => "lint".to_owned(),
        other => format!("lint-{other}"),
    };
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(dir)
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
        if let Some(n) = &d.note {
            writeln!(out, "    note: {n}").unwrap();
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

/// One file's findings against `release`, rendered.
fn lint_single(path: &Path, release: Release) -> (String, Vec<Diagnostic>) {
    let source = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let options = LintOptions {
        chart: Some(chart_of_dir(path)),
        release: Some(release),
        ..LintOptions::default()
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

fn multi_cases(release: Release) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(fixtures(release).join("multi")) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn lint_dir(dir: &Path, release: Release) -> (String, Vec<Diagnostic>) {
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
    let options = LintOptions {
        release: Some(release),
        ..LintOptions::default()
    };
    let found = lint(&inputs, &options).unwrap();
    (render(&names, &sources, &found), found)
}

#[test]
fn single_file_cases() {
    insta::glob!("../../tests/fixtures/lint", "*/*.yaml", |path| {
        let (shown, found) = lint_single(path, Release::V6_2_10);
        assert!(
            !found.is_empty(),
            "{} is a bad input but produced no finding",
            path.display()
        );
        insta::assert_snapshot!(shown);
    });
}

#[test]
fn single_file_cases_6_3_1() {
    insta::glob!("../../tests/fixtures/lint-6.3.1", "*/*.yaml", |path| {
        let (shown, found) = lint_single(path, Release::V6_3_1);
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
    for release in Release::ALL {
        for dir in multi_cases(release) {
            let (shown, found) = lint_dir(&dir, release);
            assert!(!found.is_empty(), "{} produced no finding", dir.display());
            let name = match release {
                Release::V6_2_10 => {
                    format!("multi__{}", dir.file_name().unwrap().to_string_lossy())
                }
                other => format!(
                    "multi_{other}__{}",
                    dir.file_name().unwrap().to_string_lossy()
                ),
            };
            insta::assert_snapshot!(name, shown);
        }
    }
}

#[test]
fn every_rule_has_a_case() {
    let mut seen = BTreeSet::new();
    for release in Release::ALL {
        for chart in ChartName::ALL {
            let Ok(entries) = std::fs::read_dir(fixtures(release).join(chart.as_str())) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                seen.extend(lint_single(&path, release).1.into_iter().map(|d| d.code));
            }
        }
        for dir in multi_cases(release) {
            seen.extend(lint_dir(&dir, release).1.into_iter().map(|d| d.code));
        }
    }
    // The ConfigMap-mode cases (tests/configs.rs snapshots the checks on
    // them) must also produce their findings through the linter: each is a
    // 6.3.1 service values file, and `cross/` a deployment with operators.
    let configs = fixtures(Release::V6_3_1).join("../configs");
    for entry in std::fs::read_dir(&configs).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for case in std::fs::read_dir(&path).unwrap() {
                let case = case.unwrap().path();
                seen.extend(
                    lint_dir(&case, Release::V6_3_1)
                        .1
                        .into_iter()
                        .map(|d| d.code),
                );
            }
        } else {
            let source = std::fs::read_to_string(&path).unwrap();
            let found = lint(
                &[LintInput {
                    name: "osmo_values.yaml",
                    source: source.as_bytes(),
                }],
                &LintOptions {
                    release: Some(Release::V6_3_1),
                    ..LintOptions::default()
                },
            )
            .unwrap();
            seen.extend(found.into_iter().map(|d| d.code));
        }
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
        lint(
            &[input],
            &LintOptions {
                release: Some(osmo_values::Release::V6_2_10),
                ..LintOptions::default()
            }
        ),
        Err(osmo_values::lint::LintError::NoChart { .. })
    ));
    let input = LintInput {
        name: "router_values.yaml",
        source: b"a: 1\n",
    };
    let options = LintOptions {
        chart: Some(ChartName::Service),
        release: Some(osmo_values::Release::V6_2_10),
        ..LintOptions::default()
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
    let found = lint(
        &[input],
        &LintOptions {
            release: Some(osmo_values::Release::V6_2_10),
            ..LintOptions::default()
        },
    )
    .unwrap();
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
    let found = lint(
        &inputs,
        &LintOptions {
            release: Some(osmo_values::Release::V6_2_10),
            ..LintOptions::default()
        },
    )
    .unwrap();
    let keys: Vec<(usize, usize)> = found
        .iter()
        .map(|d| (d.file, d.span.unwrap().start.offset))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(found.iter().any(|d| d.file == 1 && d.code == "OV004"));
}

/// Values that look close to a finding but are right: no finding at all,
/// apart from the ones the chart defaults these partial files leave in place
/// cause (oauth2-proxy on without an identity provider, the default JWT
/// providers without `idp.host`), which carry a note naming the default.
#[test]
fn quiet_cases() {
    let cases: &[(&str, &str)] = &[
        (
            "osmo_values.yaml",
            "# issue 9, defect 2: read through `$s3 := .Values.services.localstackS3`\n\
             services:\n  localstackS3:\n    nodeSelector:\n      node_group: data\n",
        ),
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
            "services:\n  service:\n    hostname: osmo.example.com\nsidecars:\n  envoy:\n    enabled: false\n  oauth2Proxy:\n    enabled: false\n    cookieDomain: .example.com\n",
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
            &LintOptions {
                release: Some(osmo_values::Release::V6_2_10),
                ..LintOptions::default()
            },
        )
        .unwrap();
        let found: Vec<Diagnostic> = found
            .into_iter()
            .filter(|d| {
                !d.note
                    .as_deref()
                    .is_some_and(|n| n.starts_with("chart default"))
            })
            .collect();
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
    for (release, chart) in Release::ALL
        .into_iter()
        .flat_map(|r| r.charts().iter().map(move |c| (r, *c)))
    {
        let Ok(entries) = std::fs::read_dir(fixtures(release).join(chart.as_str())) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let source = std::fs::read_to_string(&path).unwrap();
            let options = LintOptions {
                chart: Some(chart),
                release: Some(release),
                ..LintOptions::default()
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
