//! `osmo-values generate`, run as the built binary in temporary directories:
//! the files and their modes, every example spec, every error path (message,
//! exit code 2, nothing written), regenerating into a bundle (the MEK and secrets kept),
//! `--force` and `--no-secrets`.

mod support;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use osmo_values::{Chart, DeploymentSpec};
use support::{assert_exit2, assert_ok, root, stderr, stdout};

const BIN: &str = env!("CARGO_BIN_EXE_osmo-values");

const SECRET_ENV: [&str; 3] = [
    "OSMO_IDP_CLIENT_SECRET",
    "OSMO_DB_PASSWORD",
    "OSMO_REDIS_PASSWORD",
];

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

/// The files of a 6.3.1 bundle with one backend, with their modes (`--example`).
const BUNDLE: [(&str, u32); 7] = [
    ("osmo_values.yaml", 0o644),
    ("backend_operator_values.yaml", 0o644),
    ("secrets.yaml", 0o600),
    ("mek-configmap.yaml", 0o600),
    ("install.sh", 0o755),
    ("NEXT_STEPS.md", 0o644),
    ("spec.yaml", 0o644),
];

/// A 6.2.10 bundle has these too.
const BUNDLE_6_2: [(&str, u32); 2] = [("router_values.yaml", 0o644), ("ui_values.yaml", 0o644)];

/// Every values file in `dir` parses with its chart's model of the release the bundle's
/// `spec.yaml` names; returns how many there were.
fn check_values_files(dir: &Path) -> usize {
    let (spec, _) = DeploymentSpec::parse(&read(&dir.join("spec.yaml"))).expect("spec.yaml");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let Some(chart) = osmo_values::lint::detect_chart(&name) else {
            continue;
        };
        Chart::new(spec.release, chart)
            .unwrap_or_else(|| panic!("{name}: OSMO {} has no such chart", spec.release))
            .parse(&read(&path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        count += 1;
    }
    count
}

/// The fewest answers a spec of the default release (6.3.1, ConfigMap mode on) takes.
const MINIMAL_SPEC: &str = "domain: osmo.example.com\npostgres:\n  host: db.example.com\nredis:\n  host: redis.example.com\nstorage:\n  logUri: s3://osmo-logs\n  dataUri: s3://osmo-data\n  region: us-east-1\n  credentials:\n    kind: awsIrsa\n    roleArn: arn:aws:iam::123456789012:role/osmo\n";

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
    // OSMO 6.3.1: the service chart (router, UI and gateway included) and one operator.
    assert_eq!(check_values_files(&dir), 2);
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
    let dirs = [root().join("examples"), root().join("examples/6.3.1")];
    for entry in dirs.iter().flat_map(|d| std::fs::read_dir(d).unwrap()) {
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
        let release = DeploymentSpec::parse(&read(&spec)).unwrap().0.release;
        let six_two = !release.has_gateway();
        let charts = if six_two { 4 } else { 2 };
        assert!(check_values_files(&a) >= charts, "{}", spec.display());
        for (name, want) in BUNDLE
            .iter()
            .chain(BUNDLE_6_2.iter().filter(|_| six_two))
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
    assert!(seen >= 16, "the examples of both releases: {seen}");
}

#[test]
fn json_spec_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let yaml: serde_json::Value =
        serde_yaml::from_str(&read(&root().join("examples/6.3.1/entra-nginx.yaml"))).unwrap();
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
    assert_eq!(check_values_files(&tmp.path().join("o")), 2);
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
        &[
            "spec.yaml:13:1: ",
            "unknown key `ingres`; did you mean `ingress`?",
        ],
    );
    let spec = MINIMAL_SPEC.replace(
        "  host: db.example.com\n",
        "  host: db.example.com\n  pasword: x\n",
    );
    spec_error(
        &spec,
        "spec.yaml",
        &["spec.yaml:4:3: postgres.pasword: unknown key `pasword`"],
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
        &["spec.yaml:4:9: postgres.port: a port is a number from 1 to 65535"],
    );
    spec_error(
        "{\n  \"domain\": \"osmo.example.com\",\n  \"postgres\": {\"host\": \"db\", \"port\": \"x\"},\n  \"redis\": {\"host\": \"r\"}\n}\n",
        "spec.json",
        &["spec.json:3:38: postgres.port: a port is a number from 1 to 65535"],
    );
}

#[test]
fn invalid_values_are_all_reported_with_positions() {
    let spec = format!(
        "{}backends:\n  - name: Bad_Name\n",
        MINIMAL_SPEC.replace("domain: ", "domain: https://")
    );
    let err = spec_error(
        &spec,
        "spec.yaml",
        &[
            "spec.yaml:1:9: domain: ",
            "spec.yaml:14:11: backends[0].name: ",
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

/// Runs `generate` on `args` in `cwd`, expecting exit 2, nothing changed under `cwd`, and
/// each of `expected` in stderr; returns stderr.
fn refused(cwd: &Path, args: &[&str], expected: &[&str]) -> String {
    let before = listing(cwd);
    let out = run(cwd, args);
    assert_exit2(&out);
    let err = stderr(&out);
    for e in expected {
        assert!(err.contains(e), "stderr lacks {e:?}:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(listing(cwd), before, "{args:?}: the folder changed");
    err
}

#[test]
fn unreadable_mek_or_secrets_stop_generation_before_any_write() {
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
        let mut expected: Vec<String> = present
            .iter()
            .map(|name| format!("out/{name}:1:1: "))
            .collect();
        expected.extend(["MEK", "loses", "--force"].map(String::from));
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        refused(
            tmp.path(),
            &["generate", "--example", "--out", "out"],
            &expected,
        );
    }
}

#[test]
fn corrupt_secrets_are_placed_and_nothing_changes() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["generate", "--example", "--out", "o"]));
    let path = tmp.path().join("o/secrets.yaml");
    let good = read(&path);
    // Line and column of the first value of the oauth2-proxy secret, in the file as written.
    let (line_no, line) = good
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("\"client_secret\":"))
        .unwrap();
    let column = line.find(": ").unwrap() + 3;
    let cases = [
        // A list where a value belongs.
        (
            good.replacen(
                "\"client_secret\": \"FILL-ME-IN: IdP client secret\"",
                "\"client_secret\": [1, 2]",
                1,
            ),
            format!("o/secrets.yaml:{}:{column}: ", line_no + 1),
            "must be a string",
        ),
        // Broken YAML: an unclosed quote in the last document.
        (
            format!("{good}  \"broken: \"x\n"),
            format!("o/secrets.yaml:{}:", good.lines().count() + 1),
            "",
        ),
        // Not UTF-8.
        (
            good.replacen("# KEEP", "# K\u{0}EEP", 1)
                .replace('\u{0}', "\u{1}"),
            "o/secrets.yaml:1:4: ".to_owned(),
            "",
        ),
    ];
    for (text, place, needle) in cases {
        std::fs::write(&path, &text).unwrap();
        refused(
            tmp.path(),
            &["generate", "--example", "--out", "o"],
            &[&place, needle, "secrets.yaml"],
        );
    }
    let mut bytes = good.clone().into_bytes();
    bytes[2] = 0xff;
    std::fs::write(&path, &bytes).unwrap();
    refused(
        tmp.path(),
        &["generate", "--example", "--out", "o"],
        &["o/secrets.yaml:1:3: ", "UTF-8"],
    );
    // --force replaces what cannot be read.
    assert_ok(&run(
        tmp.path(),
        &["generate", "--example", "--out", "o", "--force"],
    ));
    osmo_values::generate::secrets::parse_secrets(&read(&path)).unwrap();
}

#[test]
fn corrupt_mek_is_placed_and_nothing_changes() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["generate", "--example", "--out", "o"]));
    let path = tmp.path().join("o/mek-configmap.yaml");
    let good = read(&path);
    let (line_no, _) = good
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("currentMek:"))
        .unwrap();
    std::fs::write(&path, good.replace("currentMek: key1", "currentMek: key7")).unwrap();
    refused(
        tmp.path(),
        &["generate", "--example", "--out", "o"],
        &[&format!("o/mek-configmap.yaml:{}:5: ", line_no + 1), "key7"],
    );
}

#[test]
fn generating_twice_keeps_the_mek_and_secrets_and_updates_the_values() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = root().join("examples/entra-nginx.yaml");
    let out = run_env(
        tmp.path(),
        &["generate", "--spec", spec.to_str().unwrap(), "--out", "o"],
        &[("OSMO_DB_PASSWORD", "db-pw"), ("OSMO_REDIS_PASSWORD", "")],
    );
    assert_ok(&out);
    let dir = tmp.path().join("o");
    let first = listing(&dir);
    // The operator fills in the client secret by hand.
    let secrets_path = dir.join("secrets.yaml");
    let filled = read(&secrets_path).replace("FILL-ME-IN: IdP client secret", "by-hand");
    std::fs::write(&secrets_path, &filled).unwrap();

    // Same spec again, no secret in the environment: everything is as it was.
    let out = run(
        tmp.path(),
        &["generate", "--spec", "o/spec.yaml", "--out", "o"],
    );
    assert_ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("keeping the existing MEK (key1, current key1) and 4 secrets from o"),
        "{err}"
    );
    assert!(!stdout(&out).contains("FILL-ME-IN"), "{}", stdout(&out));
    let second = listing(&dir);
    assert_eq!(read(&secrets_path), filled);
    for (name, entry) in &first {
        if name != "secrets.yaml" {
            assert_eq!(second.get(name), Some(entry), "{name} changed");
        }
    }
    assert_eq!(mode(&secrets_path), 0o600);

    // A changed spec: new values, the same MEK and secrets.
    let changed = read(&dir.join("spec.yaml")).replace("osmo.example.com", "osmo.example.org");
    assert_ne!(
        changed,
        read(&dir.join("spec.yaml")),
        "the example's domain moved"
    );
    std::fs::write(tmp.path().join("changed.yaml"), &changed).unwrap();
    assert_ok(&run(
        tmp.path(),
        &["generate", "--spec", "changed.yaml", "--out", "o"],
    ));
    let third = listing(&dir);
    assert_eq!(third["mek-configmap.yaml"], first["mek-configmap.yaml"]);
    assert_eq!(read(&secrets_path), filled);
    let values = read(&dir.join("osmo_values.yaml"));
    assert!(values.contains("osmo.example.org"), "{values}");
    assert_ne!(third["osmo_values.yaml"], first["osmo_values.yaml"]);
    assert_eq!(check_values_files(&dir), 4);
}

#[test]
fn switching_to_the_default_admin_drops_and_adds_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run_env(
        tmp.path(),
        &["generate", "--example", "--out", "o"],
        &[
            ("OSMO_DB_PASSWORD", "db-pw"),
            ("OSMO_REDIS_PASSWORD", "redis-pw"),
        ],
    ));
    let dir = tmp.path().join("o");
    let mek = read(&dir.join("mek-configmap.yaml"));
    let spec = read(&dir.join("spec.yaml"));
    let start = spec.find("authentication:").unwrap();
    let end = start + spec[start..].find("\ningress:").unwrap() + 1;
    let admin = format!(
        "{}authentication:\n  provider: none\n{}",
        &spec[..start],
        &spec[end..]
    );
    std::fs::write(tmp.path().join("admin.yaml"), admin).unwrap();
    let out = run(
        tmp.path(),
        &["generate", "--spec", "admin.yaml", "--out", "o"],
    );
    assert_ok(&out);
    let err = stderr(&out);
    for needle in [
        "keeping the existing MEK (key1, current key1) and 2 secrets from o",
        "new: default-admin-secret/password",
        "dropped, the spec no longer needs it: oauth2-proxy-secrets/client_secret",
        "dropped, the spec no longer needs it: oauth2-proxy-secrets/cookie_secret",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    assert_eq!(read(&dir.join("mek-configmap.yaml")), mek);
    let secrets =
        osmo_values::generate::secrets::parse_secrets(&read(&dir.join("secrets.yaml"))).unwrap();
    assert_eq!(secrets.get("oauth2-proxy-secrets", "cookie_secret"), None);
    assert_eq!(secrets.get("db-secret", "db-password"), Some("db-pw"));
    assert_eq!(
        secrets.get("redis-secret", "redis-password"),
        Some("redis-pw")
    );
    assert_eq!(
        secrets
            .get("default-admin-secret", "password")
            .map(str::len),
        Some(osmo_values::generate::ADMIN_PASSWORD_LEN)
    );
}

#[test]
fn rotated_mek_survives_regeneration() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["generate", "--example", "--out", "o"]));
    for _ in 0..2 {
        assert_ok(&run(
            tmp.path(),
            &["mek", "rotate", "--in", "o/mek-configmap.yaml"],
        ));
    }
    let path = tmp.path().join("o/mek-configmap.yaml");
    let rotated = read(&path);
    let set = osmo_values::generate::mek::parse_configmap(&rotated).unwrap();
    assert_eq!(set.keys.len(), 3);
    let out = run(tmp.path(), &["generate", "--example", "--out", "o"]);
    assert_ok(&out);
    assert!(
        stderr(&out).contains("keeping the existing MEK (key1..key3, current key3)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&path), rotated);
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn force_replaces_an_existing_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["generate", "--example", "--out", "o"]));
    let mek_path = tmp.path().join("o/mek-configmap.yaml");
    let secrets_path = tmp.path().join("o/secrets.yaml");
    let first = read(&mek_path);
    let first_secrets = read(&secrets_path);
    assert_ok(&run(tmp.path(), &["generate", "--example", "--out", "o"]));
    assert_eq!(read(&mek_path), first, "kept without --force");
    let out = run(
        tmp.path(),
        &["generate", "--example", "--out", "o", "--force"],
    );
    assert_ok(&out);
    assert!(
        stderr(&out).contains("--force: replacing"),
        "{}",
        stderr(&out)
    );
    assert_ne!(read(&mek_path), first, "a new MEK is generated");
    assert_ne!(read(&secrets_path), first_secrets, "a new cookie secret");
    assert_eq!(mode(&mek_path), 0o600);
    assert_eq!(mode(&secrets_path), 0o600);
    let names: Vec<String> = listing(&tmp.path().join("o")).into_keys().collect();
    assert_eq!(names.len(), BUNDLE.len(), "{names:?}");
}

#[test]
fn no_secrets_keeps_the_mek_and_leaves_secrets_yaml_alone() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["generate", "--example", "--out", "o"]));
    let dir = tmp.path().join("o");
    // Even an unreadable secrets.yaml: --no-secrets neither reads nor writes it.
    std::fs::write(dir.join("secrets.yaml"), "not: [yaml").unwrap();
    let mek = read(&dir.join("mek-configmap.yaml"));
    let out = run(
        tmp.path(),
        &["generate", "--example", "--out", "o", "--no-secrets"],
    );
    assert_ok(&out);
    assert!(
        stderr(&out).contains("is left as it is"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&dir.join("secrets.yaml")), "not: [yaml");
    assert_eq!(read(&dir.join("mek-configmap.yaml")), mek);
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

#[test]
fn a_mek_copied_from_the_cluster_keeps_its_keys() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["generate", "--example", "--out", "o"]));
    let path = tmp.path().join("o/mek-configmap.yaml");
    let ours = osmo_values::generate::mek::parse_configmap(&read(&path)).unwrap();
    // As `kubectl get configmap mek-config -o yaml` prints it: metadata, no comments.
    let mut kubectl = String::from("apiVersion: v1\ndata:\n  mek.yaml: |\n");
    for line in ours.mek_yaml().lines() {
        kubectl.push_str(&format!("    {line}\n"));
    }
    kubectl.push_str(
        "kind: ConfigMap\nmetadata:\n  creationTimestamp: \"2026-01-01T00:00:00Z\"\n  name: mek-config\n  namespace: osmo\n  resourceVersion: \"42\"\n",
    );
    std::fs::write(&path, &kubectl).unwrap();
    assert_ok(&run(tmp.path(), &["generate", "--example", "--out", "o"]));
    let again = osmo_values::generate::mek::parse_configmap(&read(&path)).unwrap();
    assert_eq!(again, ours);
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_mek_that_cannot_be_read_stops_generation() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("o/mek-configmap.yaml")).unwrap();
    let out = run(tmp.path(), &["generate", "--example", "--out", "o"]);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("cannot read o/mek-configmap.yaml"),
        "{}",
        stderr(&out)
    );
    assert_eq!(listing(&tmp.path().join("o")).len(), 1);
}

#[test]
fn regenerating_a_631_bundle_keeps_the_mek_and_the_storage_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = root().join("examples/6.3.1/keycloak-traefik.yaml");
    let out = run_env(
        tmp.path(),
        &["generate", "--spec", spec.to_str().unwrap(), "--out", "o"],
        &[
            ("OSMO_STORAGE_ACCESS_KEY_ID", "AKIAEXAMPLE"),
            ("OSMO_STORAGE_ACCESS_KEY", "key-from-env"),
        ],
    );
    assert_ok(&out);
    let dir = tmp.path().join("o");
    let mek = read(&dir.join("mek-configmap.yaml"));
    let secrets = read(&dir.join("secrets.yaml"));
    // Both storage Secrets carry the key pair; the ConfigMap names them, never the keys.
    assert_eq!(secrets.matches("\"key-from-env\"").count(), 2, "{secrets}");
    let values = read(&dir.join("osmo_values.yaml"));
    assert!(!values.contains("key-from-env") && !values.contains("AKIAEXAMPLE"));
    assert!(
        values.contains("secretName: \"osmo-workflow-log-cred\""),
        "{values}"
    );

    // A changed bucket, no key in the environment: the keys and the MEK stay, the
    // Secrets' endpoint follows the spec.
    let changed = read(&dir.join("spec.yaml")).replace("s3://osmo-logs", "s3://osmo-new-logs");
    std::fs::write(tmp.path().join("changed.yaml"), changed).unwrap();
    let out = run(
        tmp.path(),
        &["generate", "--spec", "changed.yaml", "--out", "o"],
    );
    assert_ok(&out);
    assert_eq!(read(&dir.join("mek-configmap.yaml")), mek);
    let again = read(&dir.join("secrets.yaml"));
    assert_eq!(again.matches("\"key-from-env\"").count(), 2, "{again}");
    assert!(again.contains("\"s3://osmo-new-logs\""), "{again}");
    assert!(!again.contains("\"s3://osmo-logs\""), "{again}");
    assert_eq!(check_values_files(&dir), 2);
}

#[test]
fn a_generated_bundle_lints_without_a_finding_even_an_info() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = root().join("examples/6.3.1/default-admin-nginx.yaml");
    assert_ok(&run(
        tmp.path(),
        &["generate", "--spec", spec.to_str().unwrap(), "--out", "o"],
    ));
    let dir = tmp.path().join("o");
    let mut files: Vec<String> = listing(&dir)
        .into_keys()
        .filter(|n| n.contains("_values"))
        .map(|n| format!("o/{n}"))
        .collect();
    files.sort();
    let lint = |files: &[String]| {
        let mut args = vec!["lint", "--deny", "info", "--format", "json"];
        args.extend(files.iter().map(String::as_str));
        run(tmp.path(), &args)
    };
    let out = lint(&files);
    assert_ok(&out);
    assert_eq!(stdout(&out).trim(), "[]", "{}", stderr(&out));
    // Without the bundle's secrets.yaml the linter cannot know the default admin's
    // Secret is created: a reminder.
    std::fs::rename(dir.join("secrets.yaml"), tmp.path().join("secrets.yaml")).unwrap();
    let out = lint(&files);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("OV316"), "{}", stdout(&out));
}
