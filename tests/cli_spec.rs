//! `osmo-values spec --from`, run as the built binary: a generated bundle reads back into
//! its own spec (exit 0), hand-written files give a spec with their unmapped keys on stderr
//! (exit 1, each at FILE:LINE:COLUMN), `--out` writes atomically and replaces nothing without
//! `--force`, unreadable files stop everything (exit 2, nothing written), and 6.2.10 files
//! give a 6.3.1 spec with `--latest`.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{assert_exit2, assert_ok, root, stderr, stdout};

const BIN: &str = env!("CARGO_BIN_EXE_osmo-values");

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run osmo-values")
}

/// The bundle of an example spec in `dir/bundle`, and its values files' paths.
fn bundle(dir: &Path, example: &str) -> Vec<String> {
    let spec = root().join("examples").join(example);
    assert_ok(&run(
        dir,
        &[
            "generate",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            "bundle",
        ],
    ));
    let mut names: Vec<String> = std::fs::read_dir(dir.join("bundle"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("_values"))
        .map(|n| format!("bundle/{n}"))
        .collect();
    names.sort();
    names
}

fn spec_of(text: &str) -> serde_json::Value {
    let (spec, _) =
        osmo_values::spec::DeploymentSpec::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    spec.to_json()
}

#[test]
fn a_generated_bundle_reads_back_into_its_spec() {
    let dir = tempfile::tempdir().unwrap();
    let files = bundle(dir.path(), "6.3.1/entra-nginx.yaml");
    let mut args = vec!["spec", "--from"];
    args.extend(files.iter().map(String::as_str));
    let out = run(dir.path(), &args);
    assert_ok(&out);
    let original = std::fs::read_to_string(root().join("examples/6.3.1/entra-nginx.yaml")).unwrap();
    assert_eq!(spec_of(&stdout(&out)), spec_of(&original));
    assert!(stderr(&out).contains("read OSMO 6.3.1"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("does not carry"), "{}", stderr(&out));
}

#[test]
fn hand_written_files_list_their_unmapped_keys() {
    let dir = root().join("tests/fixtures/import/keycloak-hand-written");
    let out = run(
        &dir,
        &[
            "spec",
            "--from",
            "osmo_values.yaml",
            "backend_operator_values.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let spec = spec_of(&stdout(&out));
    assert_eq!(spec["domain"], "osmo.lab.example.com");
    assert_eq!(spec["authentication"]["provider"], "keycloak");
    assert_eq!(spec["postgres"]["port"], 5433);
    assert_eq!(spec["backends"][0]["name"], "lab");
    let err = stderr(&out);
    assert!(
        err.contains(
            "osmo_values.yaml:12:5: global.logs.logLevel: the spec has no setting for this"
        ),
        "{err}"
    );
    assert!(
        err.contains("osmo_values.yaml:75:5: gateway.envoy.extraSkipAuthPaths"),
        "{err}"
    );
    assert!(err.contains("backends[].kind:"), "{err}");
    assert!(err.contains("lint of the imported files:"), "{err}");
}

#[test]
fn out_is_written_atomically_and_never_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let files = bundle(dir.path(), "okta-traefik.yaml");
    let mut args = vec!["spec", "--out", "spec.yaml", "--from"];
    args.extend(files.iter().map(String::as_str));
    let out = run(dir.path(), &args);
    assert_ok(&out);
    assert!(stdout(&out).is_empty());
    let written = std::fs::read_to_string(dir.path().join("spec.yaml")).unwrap();
    assert_eq!(spec_of(&written)["release"], "6.2.10");

    std::fs::write(dir.path().join("spec.yaml"), "keep me\n").unwrap();
    let out = run(dir.path(), &args);
    assert_exit2(&out);
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("spec.yaml")).unwrap(),
        "keep me\n"
    );

    let mut forced = args.clone();
    forced.insert(1, "--force");
    assert_ok(&run(dir.path(), &forced));
    assert_ne!(
        std::fs::read_to_string(dir.path().join("spec.yaml")).unwrap(),
        "keep me\n"
    );
}

#[test]
fn an_unreadable_file_names_its_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("osmo_values.yaml"),
        "global:\n  hostname: [osmo\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["spec", "--out", "spec.yaml", "--from", "osmo_values.yaml"],
    );
    assert_exit2(&out);
    let err = stderr(&out);
    assert!(err.contains("osmo_values.yaml:3:1:"), "{err}");
    assert!(!dir.path().join("spec.yaml").exists());

    std::fs::write(dir.path().join("values.yaml"), "{}\n").unwrap();
    let out = run(dir.path(), &["spec", "--from", "values.yaml"]);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("cannot tell which chart `values.yaml` is for"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn files_of_6_2_give_a_6_3_spec_with_latest() {
    let dir = tempfile::tempdir().unwrap();
    let files = bundle(dir.path(), "okta-traefik.yaml");
    let mut args = vec!["spec", "--latest", "--from"];
    args.extend(files.iter().map(String::as_str));
    let out = run(dir.path(), &args);
    // ConfigMap mode needs the storage, which 6.2.10 values do not hold.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("release: \"6.3.1\""), "{text}");
    assert!(text.contains("tag: \"6.3.1\""), "{text}");
    let err = stderr(&out);
    assert!(
        err.contains("osmo-values migrate --to 6.3.1 --out <folder>"),
        "{err}"
    );
    assert!(err.contains("storage:"), "{err}");
}

#[test]
fn the_report_in_json() {
    let dir = root().join("tests/fixtures/import/keycloak-hand-written");
    let out = run(
        &dir,
        &[
            "spec",
            "--format",
            "json",
            "--from",
            "osmo_values.yaml",
            "backend_operator_values.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stderr(&out)).expect("one JSON object");
    assert_eq!(report["release"], "6.3.1");
    assert_eq!(report["compared"], true);
    assert_eq!(report["spec"]["domain"], "osmo.lab.example.com");
    let unmapped = report["unmapped"].as_array().unwrap();
    assert_eq!(unmapped.len(), 4);
    assert_eq!(unmapped[0]["file"], "osmo_values.yaml");
    assert_eq!(unmapped[0]["line"], 12);
    assert_eq!(unmapped[0]["path"], "global.logs.logLevel");
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "OV609")
    );
    assert_eq!(spec_of(&stdout(&out))["domain"], "osmo.lab.example.com");
}
