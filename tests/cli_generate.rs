//! `osmo-values generate`, run as the built binary in temporary directories:
//! the files and their modes, every example spec, every error path (message,
//! exit code 2, nothing written), `--force` and `--no-secrets`.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use osmo_values::{Chart, ChartName};

const BIN: &str = env!("CARGO_BIN_EXE_osmo-values");

const SECRET_ENV: [&str; 3] = [
    "OSMO_IDP_CLIENT_SECRET",
    "OSMO_DB_PASSWORD",
    "OSMO_REDIS_PASSWORD",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary in `cwd` with none of the secret variables set, plus `env`.
fn run_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(cwd);
    for name in SECRET_ENV {
        cmd.env_remove(name);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run osmo-values")
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    run_env(cwd, args, &[])
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    );
}

fn assert_exit2(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

/// Every file under `dir` (recursively): relative path → (mode, contents).
fn listing(dir: &Path) -> BTreeMap<String, (u32, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, (u32, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let name = path.strip_prefix(base).unwrap().display().to_string();
            if meta.is_dir() {
                out.insert(
                    format!("{name}/"),
                    (meta.permissions().mode() & 0o7777, vec![]),
                );
                walk(base, &path, out);
            } else {
                let contents = std::fs::read(&path).unwrap();
                out.insert(name, (meta.permissions().mode() & 0o7777, contents));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const BUNDLE: [(&str, u32); 9] = [
    ("osmo_values.yaml", 0o644),
    ("router_values.yaml", 0o644),
    ("ui_values.yaml", 0o644),
    ("backend_operator_values.yaml", 0o644),
    ("secrets.yaml", 0o600),
    ("mek-configmap.yaml", 0o600),
    ("install.sh", 0o755),
    ("NEXT_STEPS.md", 0o644),
    ("spec.yaml", 0o644),
];

/// Every values file in `dir` parses with its chart's model; returns how many there were.
fn check_values_files(dir: &Path) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let chart = match name.as_str() {
            "osmo_values.yaml" => ChartName::Service,
            "router_values.yaml" => ChartName::Router,
            "ui_values.yaml" => ChartName::WebUi,
            n if n.starts_with("backend_operator_values") && n.ends_with(".yaml") => {
                ChartName::BackendOperator
            }
            _ => continue,
        };
        Chart::latest(chart)
            .parse(&read(&path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        count += 1;
    }
    count
}

const MINIMAL_SPEC: &str = "domain: osmo.example.com\npostgres:\n  host: db.example.com\nredis:\n  host: redis.example.com\n";

#[test]
fn example_writes_every_file_with_its_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["generate", "--example", "--out", "bundle"]);
    assert_ok(&out);
    let dir = tmp.path().join("bundle");
    let files = listing(&dir);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    let mut expected: Vec<&str> = BUNDLE.iter().map(|(n, _)| *n).collect();
    expected.sort_unstable();
    assert_eq!(names, expected, "no other file, no temporary file left");
    let printed = stdout(&out);
    for (name, want) in BUNDLE {
        assert_eq!(mode(&dir.join(name)), want, "{name}");
        assert!(
            printed.contains(&format!("bundle/{name}")),
            "{name} not listed:\n{printed}"
        );
    }
    assert!(printed.contains("NEXT_STEPS.md"), "{printed}");
    assert_eq!(check_values_files(&dir), 4);
    // The example has an IdP and no secret was supplied: markers, never an empty password.
    let secrets = read(&dir.join("secrets.yaml"));
    assert!(secrets.contains(": \"FILL-ME-IN"), "{secrets}");
    for var in SECRET_ENV {
        assert!(printed.contains(var), "{var} not named:\n{printed}");
    }
    let mek = osmo_values::generate::mek::parse_configmap(&read(&dir.join("mek-configmap.yaml")))
        .unwrap();
    assert_eq!(mek.current, "key1");
}

#[test]
fn every_example_spec_generates_and_regenerates_the_same_values() {
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let spec = entry.unwrap().path();
        if spec.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        seen += 1;
        let tmp = tempfile::tempdir().unwrap();
        let out = run(
            tmp.path(),
            &["generate", "--spec", spec.to_str().unwrap(), "--out", "a"],
        );
        assert_ok(&out);
        let a = tmp.path().join("a");
        assert!(check_values_files(&a) >= 4, "{}", spec.display());
        for (name, want) in BUNDLE
            .iter()
            .filter(|(n, _)| !n.starts_with("backend_operator"))
        {
            assert_eq!(mode(&a.join(name)), *want, "{}: {name}", spec.display());
        }
        // The written spec.yaml holds the same answers: regenerating gives the same values.
        let out = run(
            tmp.path(),
            &["generate", "--spec", "a/spec.yaml", "--out", "b"],
        );
        assert_ok(&out);
        let b = tmp.path().join("b");
        for (name, _) in listing(&a) {
            if name.contains("_values") {
                assert_eq!(
                    read(&a.join(&name)),
                    read(&b.join(&name)),
                    "{}: {name}",
                    spec.display()
                );
            }
        }
    }
    assert!(seen >= 1, "no example spec found");
}

#[test]
fn json_spec_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let yaml: serde_json::Value =
        serde_yaml::from_str(&read(&root().join("examples/entra-nginx.yaml"))).unwrap();
    std::fs::write(
        tmp.path().join("spec.json"),
        serde_json::to_string_pretty(&yaml)
            .unwrap()
            .replace("  ", "\t"),
    )
    .unwrap();
    let out = run(
        tmp.path(),
        &["generate", "--spec", "spec.json", "--out", "o"],
    );
    assert_ok(&out);
    assert_eq!(check_values_files(&tmp.path().join("o")), 4);
}

/// Runs `generate --spec spec.yaml --out out` on `spec` in a directory that already holds a
/// file and an `out/` folder with one file; checks exit 2, that stderr contains `expected`,
/// and that nothing changed.
fn spec_error(spec: &str, file: &str, expected: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(file), spec).unwrap();
    std::fs::create_dir(tmp.path().join("out")).unwrap();
    std::fs::write(tmp.path().join("out/keep.txt"), "untouched").unwrap();
    let before = listing(tmp.path());
    let out = run(tmp.path(), &["generate", "--spec", file, "--out", "out"]);
    assert_exit2(&out);
    let err = stderr(&out);
    for e in expected {
        assert!(err.contains(e), "stderr lacks {e:?}:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(listing(tmp.path()), before, "the folder changed");
    // A missing output folder is not created either.
    let out = run(
        tmp.path(),
        &["generate", "--spec", file, "--out", "new/dir"],
    );
    assert_exit2(&out);
    assert!(!tmp.path().join("new").exists());
    err
}

#[test]
fn bad_yaml_syntax_is_placed() {
    spec_error("domain: [\n", "spec.yaml", &["spec.yaml:2:1: "]);
    spec_error("domain: a\n  bad: indent\n", "spec.yaml", &["spec.yaml:2:"]);
}

#[test]
fn unknown_key_is_placed_at_the_key() {
    let spec = format!("{MINIMAL_SPEC}ingres:\n  className: nginx\n");
    spec_error(
        &spec,
        "spec.yaml",
        &["spec.yaml:6:1: ", "unknown field `ingres`"],
    );
    let spec = MINIMAL_SPEC.replace(
        "  host: db.example.com\n",
        "  host: db.example.com\n  pasword: x\n",
    );
    spec_error(
        &spec,
        "spec.yaml",
        &["spec.yaml:4:3: postgres.pasword: unknown field"],
    );
}

#[test]
fn wrong_type_is_placed_at_the_value() {
    let spec = MINIMAL_SPEC.replace(
        "  host: db.example.com\n",
        "  host: db.example.com\n  port: many\n",
    );
    spec_error(
        &spec,
        "spec.yaml",
        &["spec.yaml:4:9: postgres.port: invalid type"],
    );
    spec_error(
        "{\n  \"domain\": \"osmo.example.com\",\n  \"postgres\": {\"host\": \"db\", \"port\": \"x\"},\n  \"redis\": {\"host\": \"r\"}\n}\n",
        "spec.json",
        &["spec.json:3:38: postgres.port: invalid type"],
    );
}

#[test]
fn invalid_values_are_all_reported_with_positions() {
    let spec = "domain: https://osmo.example.com\npostgres:\n  host: db.example.com\nredis:\n  host: redis.example.com\nbackends:\n  - name: Bad_Name\n";
    let err = spec_error(
        spec,
        "spec.yaml",
        &[
            "spec.yaml:1:9: domain: ",
            "spec.yaml:7:11: backends[0].name: ",
            "2 problem(s)",
        ],
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn missing_spec_file_and_bad_flags_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        tmp.path(),
        &["generate", "--spec", "nope.yaml", "--out", "o"],
    );
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("cannot read nope.yaml"),
        "{}",
        stderr(&out)
    );
    for args in [
        &["generate", "--out", "o"][..],
        &["generate", "--example"],
        &["generate", "--example", "--spec", "x.yaml", "--out", "o"],
    ] {
        let out = run(tmp.path(), args);
        assert_exit2(&out);
    }
    assert_eq!(listing(tmp.path()).len(), 0);
}

#[test]
fn unwritable_folder_fails_without_leaving_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("somefile"), "a regular file").unwrap();
    let before = listing(tmp.path());
    let out = run(
        tmp.path(),
        &["generate", "--example", "--out", "somefile/out"],
    );
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("cannot create directory somefile/out"),
        "{}",
        stderr(&out)
    );
    assert_eq!(listing(tmp.path()), before);
}

#[test]
fn existing_mek_or_secrets_stop_generation_before_any_write() {
    for present in [
        &["mek-configmap.yaml"][..],
        &["secrets.yaml"],
        &["mek-configmap.yaml", "secrets.yaml"],
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        std::fs::create_dir(&dir).unwrap();
        for name in present {
            std::fs::write(dir.join(name), format!("the {name} in use")).unwrap();
        }
        let before = listing(tmp.path());
        for extra in [&[][..], &["--no-secrets"]] {
            let mut args = vec!["generate", "--example", "--out", "out"];
            args.extend_from_slice(extra);
            let out = run(tmp.path(), &args);
            assert_exit2(&out);
            let err = stderr(&out);
            for name in present {
                assert!(err.contains(name), "{err}");
            }
            for needle in [
                "nothing was written",
                "MEK",
                "loses",
                "mek rotate",
                "--force",
            ] {
                assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
            }
            assert_eq!(
                listing(tmp.path()),
                before,
                "{present:?}: the folder changed"
            );
        }
    }
}

#[test]
fn force_replaces_an_existing_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["generate", "--example", "--out", "o"]));
    let mek_path = tmp.path().join("o/mek-configmap.yaml");
    let first = read(&mek_path);
    assert_exit2(&run(tmp.path(), &["generate", "--example", "--out", "o"]));
    assert_eq!(read(&mek_path), first);
    assert_ok(&run(
        tmp.path(),
        &["generate", "--example", "--out", "o", "--force"],
    ));
    assert_ne!(read(&mek_path), first, "a new MEK is generated");
    assert_eq!(mode(&mek_path), 0o600);
    assert_eq!(mode(&tmp.path().join("o/secrets.yaml")), 0o600);
    let names: Vec<String> = listing(&tmp.path().join("o")).into_keys().collect();
    assert_eq!(names.len(), BUNDLE.len(), "{names:?}");
}

#[test]
fn no_secrets_writes_an_install_script_reading_the_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        tmp.path(),
        &["generate", "--example", "--out", "o", "--no-secrets"],
    );
    assert_ok(&out);
    let dir = tmp.path().join("o");
    assert!(!dir.join("secrets.yaml").exists());
    assert!(!stdout(&out).contains("secrets.yaml"), "{}", stdout(&out));
    assert_eq!(mode(&dir.join("mek-configmap.yaml")), 0o600);
    assert_eq!(mode(&dir.join("install.sh")), 0o755);
    let install = read(&dir.join("install.sh"));
    for var in SECRET_ENV {
        assert!(
            install.contains(&format!("${{{var}")),
            "install.sh does not read {var}"
        );
    }
    assert!(!install.contains("-f secrets.yaml"), "{install}");
}

#[test]
fn secrets_come_from_the_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_env(
        tmp.path(),
        &["generate", "--example", "--out", "o"],
        &[
            ("OSMO_DB_PASSWORD", "db-pass-from-env"),
            ("OSMO_IDP_CLIENT_SECRET", "client-secret-from-env"),
            ("OSMO_REDIS_PASSWORD", ""),
        ],
    );
    assert_ok(&out);
    let secrets = read(&tmp.path().join("o/secrets.yaml"));
    assert!(secrets.contains("\"db-pass-from-env\""), "{secrets}");
    assert!(secrets.contains("\"client-secret-from-env\""), "{secrets}");
    assert!(secrets.contains("\"redis-password\": \"\""), "{secrets}");
    assert!(!secrets.contains(": \"FILL-ME-IN"), "{secrets}");
    assert!(!stdout(&out).contains("FILL-ME-IN"), "{}", stdout(&out));
    // The spec never carries them.
    let spec = read(&tmp.path().join("o/spec.yaml"));
    assert!(!spec.contains("from-env"), "{spec}");
}

#[test]
fn generating_next_to_the_spec_keeps_the_spec_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    std::fs::create_dir(&dir).unwrap();
    let text = format!("# my comments\n{MINIMAL_SPEC}");
    std::fs::write(dir.join("spec.yaml"), &text).unwrap();
    let out = run(
        tmp.path(),
        &["generate", "--spec", "d/spec.yaml", "--out", "d"],
    );
    assert_ok(&out);
    assert_eq!(read(&dir.join("spec.yaml")), text);
    assert!(dir.join("osmo_values.yaml").is_file());
}
