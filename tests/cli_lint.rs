//! `osmo-values lint`, `rules` and `explain` end to end: the built binary on
//! files in a temporary directory, checking exit codes, every output format
//! (SARIF against the official 2.1.0 schema), `--deny` and `--fix`.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use support::{root, stderr, stdout, tool};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_osmo-values"));
    cmd.env_remove("NO_COLOR");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("osmo-values runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// An image tag YAML reads as the number 6.1 (OV004, an error with a
/// machine-applicable fix), below a comment that `--fix` must keep.
const NUMERIC_TAG: &str = "# Our service values\nglobal:\n  osmoImageTag: 6.10   # pinned\n";

/// A clean values file: without an identity provider, Envoy and oauth2-proxy
/// are off (the chart defaults would leave oauth2-proxy on, unconfigured).
const CLEAN: &str = "# Web UI values\nnameOverride: osmo-ui\nsidecars:\n  envoy:\n    enabled: false\n  oauth2Proxy:\n    enabled: false\n";

#[test]
fn clean_file_exits_0_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ui_values.yaml", CLEAN);
    let out = run(dir.path(), &["lint", "ui_values.yaml"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    // No finding: only how the file was read.
    assert_eq!(
        stdout(&out),
        "note: OSMO 6.2.10 (ui_values.yaml has the web-ui chart's values)\n  web-ui chart 1.2.1: ui_values.yaml\n"
    );
    let out = run(dir.path(), &["lint", "--format", "json", "ui_values.yaml"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&out)).unwrap(),
        Value::Array(vec![])
    );
}

#[test]
fn text_output_is_rustc_style() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy/osmo_values.yaml", NUMERIC_TAG);
    let out = run(dir.path(), &["lint", "deploy/osmo_values.yaml"]);
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}{}", stderr(&out));
    assert!(text.contains("error[OV004]: "), "{text}");
    assert!(
        text.contains(" --> deploy/osmo_values.yaml:3:17\n"),
        "{text}"
    );
    assert!(
        text.contains("3 |   osmoImageTag: 6.10   # pinned\n"),
        "{text}"
    );
    assert!(text.contains("  |                 ^^^^\n"), "{text}");
    assert!(text.contains("help: "), "{text}");
    assert!(
        text.contains("(osmo-values lint --fix applies it)"),
        "{text}"
    );
    assert!(
        text.lines().last().unwrap().contains("in 1 of 1 file"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal: {text}"
    );
    let out = run(
        dir.path(),
        &["lint", "--color", "always", "deploy/osmo_values.yaml"],
    );
    assert!(stdout(&out).contains('\u{1b}'), "colour when forced");
}

/// The OV004 finding of NUMERIC_TAG from the JSON output.
fn numeric_tag_finding(items: &[Value]) -> &Value {
    items
        .iter()
        .find(|d| d["code"] == "OV004")
        .unwrap_or_else(|| panic!("an OV004 finding in {items:?}"))
}

#[test]
fn json_output() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "osmo_values.yaml", NUMERIC_TAG);
    let out = run(
        dir.path(),
        &["lint", "--format", "json", "osmo_values.yaml"],
    );
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let d = numeric_tag_finding(v.as_array().unwrap());
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
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
    assert_eq!(d["file"], "osmo_values.yaml");
    assert_eq!(
        [&d["line"], &d["column"], &d["end_line"], &d["end_column"]],
        [3, 17, 3, 21]
    );
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "global.osmoImageTag");
    assert_eq!(d["fix"]["machine_applicable"], true);
    assert_eq!(d["fix"]["edits"][0]["file"], "osmo_values.yaml");
    assert_eq!(d["fix"]["edits"][0]["replacement"], "\"6.10\"");
    assert_eq!(d["fix"]["edits"][0]["line"], 3);
}

#[test]
fn github_output() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "osmo_values.yaml", NUMERIC_TAG);
    let out = run(
        dir.path(),
        &["lint", "--format", "github", "osmo_values.yaml"],
    );
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("title=OV004::"))
        .unwrap_or_else(|| panic!("an OV004 command in {text}"));
    assert!(
        line.starts_with(
            "::error file=osmo_values.yaml,line=3,col=17,endLine=3,endColumn=21,title=OV004::"
        ),
        "{line}"
    );
    for l in text.lines() {
        assert!(
            l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice "),
            "{l}"
        );
    }
}

/// The official SARIF 2.1.0 schema, with one repair: its one pattern that
/// is not a valid regular expression (a stray `]`, in the two `language`
/// properties, which we never write), refused by both the `jsonschema` crate
/// and check-jsonschema when they check the schema itself, gets the `]`
/// escaped.
fn sarif_schema() -> Value {
    fn escape(v: &mut Value, count: &mut usize) {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if k == "pattern" && v == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                        *v = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into();
                        *count += 1;
                    } else {
                        escape(v, count);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| escape(v, count)),
            _ => {}
        }
    }
    let path = root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut count = 0;
    escape(&mut schema, &mut count);
    assert_eq!(count, 2, "the two `language` patterns");
    schema
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a b/osmo_values.yaml", NUMERIC_TAG);
    write(
        dir.path(),
        "a b/router_values.yaml",
        "nameOverride: r\nnameOverride: s\n",
    );
    let out = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "sarif",
            "a b/osmo_values.yaml",
            "a b/router_values.yaml",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let log: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");

    let validator = jsonschema::draft7::new(&sarif_schema()).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does refuse a broken log.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert_eq!(validator.iter_errors(&broken).count(), 2);

    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let listed = run(dir.path(), &["rules", "--format", "json"]);
    let table: Value = serde_json::from_str(&stdout(&listed)).unwrap();
    let ids: Vec<&Value> = rules.iter().map(|r| &r["id"]).collect();
    let codes: Vec<&Value> = table
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["code"])
        .collect();
    assert_eq!(ids, codes, "the driver's rules are the rules table");

    let results = run0["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "OV004")
        .expect("an OV004 result");
    assert_eq!(r["level"], "error");
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "OV004"
    );
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "a%20b/osmo_values.yaml");
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 3, "startColumn": 17, "endLine": 3, "endColumn": 21})
    );
    assert_eq!(
        r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "\"6.10\""
    );
    assert!(results.iter().any(|r| r["ruleId"] == "OV002"
        && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "a%20b/router_values.yaml"));
}

#[test]
fn sarif_output_passes_check_jsonschema_too() {
    let Some(check) = tool("check-jsonschema") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "osmo_values.yaml", NUMERIC_TAG);
    let out = run(
        dir.path(),
        &["lint", "--format", "sarif", "osmo_values.yaml"],
    );
    let sarif = write(dir.path(), "out.sarif.json", &stdout(&out));
    let schema = write(
        dir.path(),
        "sarif-schema-2.1.0.json",
        &sarif_schema().to_string(),
    );
    let checked = Command::new(check)
        .arg("--schemafile")
        .arg(schema)
        .arg(sarif)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}{}",
        stdout(&checked),
        stderr(&checked)
    );
}

/// A key the 1.2.1 charts removed: a warning (OV308), nothing worse.
const WARNING_ONLY: &str = "sidecars:\n  logAgent:\n    enabled: false\n  envoy:\n    enabled: false\n  oauth2Proxy:\n    enabled: false\n";

#[test]
fn deny_sets_the_failing_severity() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "router_values.yaml", WARNING_ONLY);
    let out = run(
        dir.path(),
        &["lint", "--format", "json", "router_values.yaml"],
    );
    let found: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let severities: Vec<&Value> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["severity"])
        .collect();
    assert_eq!(severities, ["warning"], "{found}");
    for (deny, expected) in [
        (None, 0),
        (Some("error"), 0),
        (Some("warning"), 1),
        (Some("info"), 1),
    ] {
        let mut args = vec!["lint"];
        if let Some(deny) = deny {
            args.extend(["--deny", deny]);
        }
        args.push("router_values.yaml");
        let out = run(dir.path(), &args);
        assert_eq!(code(&out), expected, "--deny {deny:?}: {}", stdout(&out));
        assert!(
            stdout(&out).contains("warning[OV308]"),
            "reported whatever --deny says"
        );
    }
    write(dir.path(), "osmo_values.yaml", NUMERIC_TAG);
    let out = run(dir.path(), &["lint", "--deny", "error", "osmo_values.yaml"]);
    assert_eq!(code(&out), 1);
    let out = run(dir.path(), &["lint", "--deny", "fatal", "osmo_values.yaml"]);
    assert_eq!(code(&out), 2, "a bad --deny is a usage error");
}

/// Worker memory: the base file requests 1Gi with a 2Gi limit; the
/// production file lowers the limit to 512Mi. Each file alone is fine;
/// merged as Helm merges them, the limit is below the request (OV401),
/// reported in the file that set the limit.
const BASE: &str = "services:\n  worker:\n    resources:\n      requests:\n        memory: 1Gi\n      limits:\n        memory: 2Gi\n";
const PROD: &str =
    "# production\nservices:\n  worker:\n    resources:\n      limits:\n        memory: 512Mi\n";

#[test]
fn files_of_one_chart_are_linted_together() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.yaml", BASE);
    write(dir.path(), "prod.yaml", PROD);
    for alone in ["base.yaml", "prod.yaml"] {
        let out = run(
            dir.path(),
            &["lint", "--chart", "service", "--format", "json", alone],
        );
        let found: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert!(
            found
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["code"] != "OV401"),
            "{alone}: {found}"
        );
    }
    let out = run(
        dir.path(),
        &[
            "lint",
            "--chart",
            "service",
            "--format",
            "json",
            "base.yaml",
            "prod.yaml",
        ],
    );
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let found: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let d = found
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "OV401")
        .unwrap_or_else(|| panic!("OV401 in {found}"));
    assert_eq!(
        (&d["file"], &d["line"]),
        (&Value::from("prod.yaml"), &Value::from(6)),
        "{d}"
    );

    // In different directories they are separate deployments, unless
    // --together says otherwise.
    write(dir.path(), "a/osmo_values.yaml", BASE);
    write(dir.path(), "b/osmo_values.yaml", PROD);
    let apart = run(
        dir.path(),
        &["lint", "a/osmo_values.yaml", "b/osmo_values.yaml"],
    );
    assert!(!stdout(&apart).contains("OV401"), "{}", stdout(&apart));
    let together = run(
        dir.path(),
        &[
            "lint",
            "--together",
            "a/osmo_values.yaml",
            "b/osmo_values.yaml",
        ],
    );
    assert!(
        stdout(&together).contains("error[OV401]"),
        "{}",
        stdout(&together)
    );
    assert!(
        stdout(&together).contains("b/osmo_values.yaml:6:17"),
        "{}",
        stdout(&together)
    );
}

#[test]
fn fix_rewrites_atomically_keeping_comments() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "osmo_values.yaml", NUMERIC_TAG);
    #[cfg(unix)]
    let inode_before = {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        std::fs::metadata(&path).unwrap().ino()
    };
    let out = run(
        dir.path(),
        &["lint", "--fix", "--format", "json", "osmo_values.yaml"],
    );
    assert!(
        stderr(&out).contains("fixed osmo_values.yaml"),
        "{}",
        stderr(&out)
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        NUMERIC_TAG.replace("6.10", "\"6.10\""),
        "only the tag changed"
    );
    // The remaining findings are reported: OV004 is gone.
    let remaining: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        remaining
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "OV004"),
        "{remaining}"
    );
    let expected_code = if remaining
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["severity"] == "error")
    {
        1
    } else {
        0
    };
    assert_eq!(code(&out), expected_code);
    // Replaced by rename (a new inode), with the same permissions, no
    // temporary file left behind.
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = std::fs::metadata(&path).unwrap();
        assert_ne!(
            meta.ino(),
            inode_before,
            "written through a temporary file and a rename"
        );
        assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    }
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["osmo_values.yaml"]);
    // A second run has nothing to fix and leaves the file alone.
    let again = run(dir.path(), &["lint", "--fix", "osmo_values.yaml"]);
    assert!(!stderr(&again).contains("fixed"), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixed);
}

#[cfg(unix)]
#[test]
fn fix_writes_through_symbolic_links() {
    let dir = tempfile::tempdir().unwrap();
    let real = write(dir.path(), "real/osmo_values.yaml", NUMERIC_TAG);
    std::os::unix::fs::symlink(&real, dir.path().join("osmo_values.yaml")).unwrap();
    run(dir.path(), &["lint", "--fix", "osmo_values.yaml"]);
    assert!(
        std::fs::symlink_metadata(dir.path().join("osmo_values.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&real).unwrap().contains("\"6.10\""));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "osmo_values.yaml", CLEAN);
    write(dir.path(), "values.yaml", CLEAN);

    let out = run(dir.path(), &["lint", "missing/osmo_values.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("missing/osmo_values.yaml"),
        "{}",
        stderr(&out)
    );

    let out = run(
        dir.path(),
        &["lint", "--chart", "webui", "osmo_values.yaml"],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown chart `webui`"),
        "{}",
        stderr(&out)
    );

    let out = run(dir.path(), &["lint", "values.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("`values.yaml`") && stderr(&out).contains("--chart"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
    // ... which --chart resolves.
    let out = run(dir.path(), &["lint", "--chart", "web-ui", "values.yaml"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));

    let out = run(dir.path(), &["lint"]);
    assert_eq!(code(&out), 2, "no files");
    let out = run(dir.path(), &["lint", "--format", "xml", "osmo_values.yaml"]);
    assert_eq!(code(&out), 2, "bad format");
    let out = run(dir.path(), &["lint", "--bogus", "osmo_values.yaml"]);
    assert_eq!(code(&out), 2, "bad flag");
}

#[test]
fn unreadable_yaml_is_a_finding_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "osmo_values.yaml", "global: [unclosed\n");
    std::fs::write(dir.path().join("router_values.yaml"), [0xff, 0xfe, b'a']).unwrap();
    let out = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "osmo_values.yaml",
            "router_values.yaml",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files: Vec<&Value> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "OV001")
        .map(|d| &d["file"])
        .collect();
    assert_eq!(files, ["osmo_values.yaml", "router_values.yaml"]);
    // The text renderer copes with both too.
    let out = run(
        dir.path(),
        &["lint", "osmo_values.yaml", "router_values.yaml"],
    );
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("error[OV001]"));
}

#[test]
fn many_directories_in_command_line_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["lint".to_owned(), "--format".into(), "json".into()];
    // Directories named so that sorting them would change the order.
    for i in (0..40).rev() {
        let name = format!("d{i}/osmo_values.yaml");
        let text = if i % 3 == 0 { NUMERIC_TAG } else { CLEAN };
        write(dir.path(), &name, text);
        args.push(name);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let first = run(dir.path(), &args);
    assert_eq!(code(&first), 1);
    let v: Value = serde_json::from_str(&stdout(&first)).unwrap();
    let files: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "OV004")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (0..40)
        .rev()
        .filter(|i| i % 3 == 0)
        .map(|i| format!("d{i}/osmo_values.yaml"))
        .collect();
    assert_eq!(files, expected);
    for _ in 0..3 {
        assert_eq!(
            stdout(&run(dir.path(), &args)),
            stdout(&first),
            "deterministic"
        );
    }
}

#[test]
fn rules_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["rules"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.starts_with("CODE"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("OV004")
            && l.contains("numeric-image-tag")
            && l.contains("error")),
        "{text}"
    );

    let out = run(dir.path(), &["explain", "OV004"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).starts_with("# OV004: numeric-image-tag (error)\n"),
        "{}",
        stdout(&out)
    );
    let by_name = run(dir.path(), &["explain", "numeric-image-tag"]);
    assert_eq!(stdout(&by_name), stdout(&out));

    let out = run(dir.path(), &["explain", "OV999"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("OV999"), "{}", stderr(&out));
}

/// A base whose worker limit is below its request, and an overlay that
/// fixes it: the overlay must merge last whatever the argument order.
const BASE_BAD: &str = "global:\n  osmoImageTag: \"6.2.10\"\nsidecars:\n  envoy:\n    enabled: false\n  oauth2Proxy:\n    enabled: false\nservices:\n  worker:\n    resources:\n      requests:\n        memory: 1Gi\n      limits:\n        memory: 512Mi\n";
const OVERLAY_FIX: &str =
    "services:\n  worker:\n    resources:\n      limits:\n        memory: 2Gi\n";

#[test]
fn the_base_file_merges_first_whatever_the_argument_order() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "osmo_values.yaml", BASE_BAD);
    write(dir.path(), "osmo_values.prod.yaml", OVERLAY_FIX);
    // The order a shell glob gives: the overlay first.
    let out = run(
        dir.path(),
        &["lint", "osmo_values.prod.yaml", "osmo_values.yaml"],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains(
            "note: OSMO 6.2.10 (osmo_values.yaml has a `sidecars` block)\n  service chart 1.2.1: osmo_values.yaml, then osmo_values.prod.yaml\n"
        ),
        "{}",
        stdout(&out)
    );
    // `--order given` merges as `helm -f osmo_values.prod.yaml -f osmo_values.yaml`.
    let given = run(
        dir.path(),
        &[
            "lint",
            "--order",
            "given",
            "--format",
            "json",
            "osmo_values.prod.yaml",
            "osmo_values.yaml",
        ],
    );
    assert_eq!(code(&given), 1, "{}", stdout(&given));
    let found: Value = serde_json::from_str(&stdout(&given)).unwrap();
    let d = &found[0];
    assert_eq!(
        (&d["code"], &d["file"]),
        (&"OV401".into(), &"osmo_values.yaml".into())
    );
    assert_eq!(d["release"], "6.2.10");
    assert_eq!(d["install"]["chart"], "service");
    assert_eq!(d["install"]["release_name"], "service");
    assert_eq!(
        d["install"]["files"],
        serde_json::json!(["osmo_values.prod.yaml", "osmo_values.yaml"])
    );
}

#[test]
fn each_backend_operator_file_is_an_install_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let service = "# yaml-language-server: $schema=https://raw.githubusercontent.com/osmo-values/osmo-values/main/schemas/6.2.10/service.values.schema.json\nservices:\n  service:\n    hostname: osmo.example.com\n";
    write(dir.path(), "osmo_values.yaml", service);
    let operator = |url: &str| format!("global:\n  serviceUrl: {url}\n");
    write(
        dir.path(),
        "backend_operator_values.gpu.yaml",
        &operator("https://osmo.wrong.example.com"),
    );
    write(
        dir.path(),
        "backend_operator_values.cpu.yaml",
        &operator("https://osmo.example.com"),
    );
    let out = run(
        dir.path(),
        &[
            "lint",
            "osmo_values.yaml",
            "backend_operator_values.gpu.yaml",
            "backend_operator_values.cpu.yaml",
        ],
    );
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}{}", stderr(&out));
    // The wrong URL is on the first backend; merged as overlays, the second
    // would have hidden it.
    assert!(text.contains("error[OV505]"), "{text}");
    assert!(
        text.contains("backend_operator_values.gpu.yaml:2:15"),
        "{text}"
    );
    assert!(
        text.contains(
            "  backend-operator chart 1.2.1, backend `cpu`: backend_operator_values.cpu.yaml\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  backend-operator chart 1.2.1, backend `gpu`: backend_operator_values.gpu.yaml\n"
        ),
        "{text}"
    );
}

#[test]
fn a_6_2_chart_under_6_3_is_reported_with_its_new_home() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "router_values.yaml",
        "services:\n  service:\n    hostname: osmo.example.com\n",
    );
    let out = run(
        dir.path(),
        &["lint", "--release", "6.3.1", "router_values.yaml"],
    );
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(
        text.contains("error[OV006]: OSMO 6.3.1 has no router chart"),
        "{text}"
    );
    assert!(text.contains("note: OSMO 6.3.1 (as asked)"), "{text}");
    let bad = run(
        dir.path(),
        &["lint", "--release", "6.4", "router_values.yaml"],
    );
    assert_eq!(code(&bad), 2);
    assert!(
        stderr(&bad).contains("unknown OSMO release `6.4`"),
        "{}",
        stderr(&bad)
    );
}
