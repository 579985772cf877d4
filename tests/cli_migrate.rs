//! `osmo-values migrate`, run as the built binary in temporary directories:
//! exit codes (0 done, 1 decisions open, 2 error with file:line:column and
//! nothing written), the input never touched, no file replaced without
//! `--force`, and `upgrade.sh` run against a stand-in `helm` that records its
//! calls: it refuses while a decision is open, then uninstalls the router and
//! UI releases before upgrading the service, then the operators, at the
//! pinned chart version.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use support::{assert_exit2, assert_ok, root, stderr};

const BIN: &str = env!("CARGO_BIN_EXE_osmo-values");

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run osmo-values")
}

/// A generated 6.2.10 bundle for the example spec, in `dir`.
fn bundle(dir: &Path) {
    let spec = root().join("examples/entra-nginx.yaml");
    let out = run(
        dir,
        &["generate", "--spec", spec.to_str().unwrap(), "--out", "in"],
    );
    assert_ok(&out);
}

fn values_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("_values"))
        .collect();
    names.sort();
    names
}

fn migrate_args<'a>(out: &'a str, files: &'a [String]) -> Vec<&'a str> {
    let mut args = vec!["migrate", "--to", "6.3.1", "--out", out];
    args.extend(files.iter().map(String::as_str));
    args
}

#[test]
fn a_generated_bundle_migrates_with_nothing_to_decide() {
    let tmp = tempfile::tempdir().unwrap();
    bundle(tmp.path());
    let files: Vec<String> = values_files(&tmp.path().join("in"))
        .into_iter()
        .map(|n| format!("in/{n}"))
        .collect();
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(tmp.path().join(f)).unwrap())
        .collect();
    let out = run(tmp.path(), &migrate_args("out", &files));
    assert_ok(&out);
    assert!(
        stderr(&out).contains("0 need a decision"),
        "{}",
        stderr(&out)
    );
    let after: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(tmp.path().join(f)).unwrap())
        .collect();
    assert_eq!(before, after, "the input files are never touched");
    let mut written = values_files(&tmp.path().join("out"));
    written.sort();
    assert_eq!(
        written,
        ["backend_operator_values.yaml", "osmo_values.yaml"]
    );
    let script = tmp.path().join("out/upgrade.sh");
    assert_eq!(
        std::fs::metadata(&script).unwrap().permissions().mode() & 0o777,
        0o755
    );
    assert!(tmp.path().join("out/MIGRATION.md").is_file());

    // Again into the same folder: refused without --force, nothing changed.
    let report = std::fs::read(tmp.path().join("out/MIGRATION.md")).unwrap();
    std::fs::write(tmp.path().join("out/MIGRATION.md"), "edited").unwrap();
    let out = run(tmp.path(), &migrate_args("out", &files));
    assert_exit2(&out);
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(tmp.path().join("out/MIGRATION.md")).unwrap(),
        b"edited"
    );
    let mut args = migrate_args("out", &files);
    args.push("--force");
    assert_ok(&run(tmp.path(), &args));
    assert_eq!(
        std::fs::read(tmp.path().join("out/MIGRATION.md")).unwrap(),
        report
    );
}

#[test]
fn open_decisions_exit_1_and_the_input_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("osmo_values.yaml"),
        "services:\n  servce:\n    hostname: typo\n",
    )
    .unwrap();
    let files = vec!["osmo_values.yaml".to_owned()];
    let out = run(dir, &migrate_args("out", &files));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 decision(s) open"),
        "{}",
        stderr(&out)
    );
    let report = std::fs::read_to_string(dir.join("out/MIGRATION.md")).unwrap();
    assert!(
        report.contains("\n- [ ] OPEN-DECISION: osmo_values.yaml:3:5 `services.servce.hostname`"),
        "{report}"
    );

    // Writing over the input itself is refused, --force or not.
    let out = run(
        dir,
        &[
            "migrate",
            "--to",
            "6.3.1",
            "--out",
            ".",
            "--force",
            "osmo_values.yaml",
        ],
    );
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("is an input file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("osmo_values.yaml")).unwrap(),
        "services:\n  servce:\n    hostname: typo\n"
    );
}

#[test]
fn errors_name_the_file_line_and_column_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("osmo_values.yaml"),
        "global:\n  osmoImageTag: [6.2\n",
    )
    .unwrap();
    let out = run(
        dir,
        &[
            "migrate",
            "--to",
            "6.3.1",
            "--out",
            "out",
            "osmo_values.yaml",
        ],
    );
    assert_exit2(&out);
    assert!(
        stderr(&out).starts_with("error: osmo_values.yaml:3:1: "),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("out").exists());

    std::fs::write(dir.join("values.yaml"), "{}\n").unwrap();
    let out = run(
        dir,
        &["migrate", "--to", "6.3.1", "--out", "out", "values.yaml"],
    );
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("values.yaml:1:1: cannot tell which chart"),
        "{}",
        stderr(&out)
    );
    let out = run(
        dir,
        &[
            "migrate",
            "--to",
            "6.3.1",
            "--chart",
            "service",
            "--out",
            "out",
            "values.yaml",
        ],
    );
    assert_ok(&out);

    std::fs::write(dir.join("router_values.yaml"), "gateway: {}\n").unwrap();
    let out = run(
        dir,
        &["migrate", "--to", "6.3.1", "--out", "out2", "missing.yaml"],
    );
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("missing.yaml: cannot read the file"),
        "{}",
        stderr(&out)
    );
    let out = run(
        dir,
        &[
            "migrate",
            "--to",
            "6.2.10",
            "--out",
            "out2",
            "router_values.yaml",
        ],
    );
    assert_exit2(&out);
    assert!(stderr(&out).contains("not to 6.2.10"), "{}", stderr(&out));
    assert!(!dir.join("out2").exists());
}

/// A stand-in `helm` on the PATH that appends its arguments to `helm.log`
/// and answers `status` for the releases named in `$INSTALLED`.
fn fake_helm(dir: &Path) {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = "#!/usr/bin/env bash\necho \"$*\" >> \"$HELM_LOG\"\nif [ \"$1\" = status ]; then\n  case \" $INSTALLED \" in *\" $2 \"*) exit 0;; esac\n  exit 1\nfi\nexit 0\n";
    std::fs::write(bin.join("helm"), script).unwrap();
    std::fs::set_permissions(bin.join("helm"), std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn upgrade(dir: &Path, installed: &str, env: &[(&str, &str)]) -> (Output, String) {
    let log = dir.join("helm.log");
    let _ = std::fs::remove_file(&log);
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg(dir.join("out/upgrade.sh"))
        .env("PATH", path)
        .env("HELM_LOG", &log)
        .env("INSTALLED", installed);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash runs");
    (out, std::fs::read_to_string(&log).unwrap_or_default())
}

#[test]
fn upgrade_sh_refuses_open_decisions_then_uninstalls_before_upgrading() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    bundle(dir);
    fake_helm(dir);
    std::fs::write(dir.join("in/router_values.yaml"), {
        let mut text = std::fs::read_to_string(dir.join("in/router_values.yaml")).unwrap();
        text.push_str("extraPodAnnotations:\n  team: osmo\nbogus: 1\n");
        text
    })
    .unwrap();
    let files: Vec<String> = values_files(&dir.join("in"))
        .into_iter()
        .map(|n| format!("in/{n}"))
        .collect();
    let out = run(dir, &migrate_args("out", &files));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let (out, log) = upgrade(dir, "service router ui osmo-operator", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("OPEN-DECISION"));
    assert!(log.is_empty(), "helm ran: {log}");

    // The operator settles it and marks it done.
    let report = std::fs::read_to_string(dir.join("out/MIGRATION.md")).unwrap();
    std::fs::write(
        dir.join("out/MIGRATION.md"),
        report.replace("- [ ] OPEN-DECISION", "- [x] DECIDED"),
    )
    .unwrap();
    let (out, log) = upgrade(dir, "service router ui osmo-operator", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calls: Vec<&str> = log
        .lines()
        .filter(|l| !l.starts_with("status") && !l.starts_with("repo"))
        .collect();
    assert_eq!(
        calls,
        [
            "uninstall router --namespace osmo --wait",
            "uninstall ui --namespace osmo --wait",
            "upgrade service osmo/service --version 1.3.1 --namespace osmo -f osmo_values.yaml",
            "upgrade osmo-operator osmo/backend-operator --version 1.3.1 --namespace osmo-operator -f backend_operator_values.yaml",
        ]
    );

    // Upstream's upgrade guide names the service release `osmo`.
    let (out, _) = upgrade(dir, "service", &[]);
    assert!(out.status.success());
    let (out, log) = upgrade(dir, "ui", &[("OSMO_SERVICE_RELEASE", "osmo")]);
    assert_eq!(out.status.code(), Some(1), "no release osmo");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no Helm release osmo in namespace osmo")
    );
    assert!(!log.contains("uninstall"), "{log}");
    let (out, log) = upgrade(dir, "osmo ui", &[("OSMO_SERVICE_RELEASE", "osmo")]);
    assert!(out.status.success());
    assert!(
        log.contains("uninstall ui ") && !log.contains("uninstall router"),
        "{log}"
    );
    assert!(log.contains("upgrade osmo osmo/service"), "{log}");
}
