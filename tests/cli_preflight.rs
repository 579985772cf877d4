//! `osmo-values preflight`, run as the built binary: from saved kubectl outputs
//! (`--from`), through a fake `kubectl` on the PATH, every error path (exit 2),
//! and install.sh running it before each backend operator.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use support::{assert_exit2, assert_ok, root, stderr, stdout};

const BIN: &str = env!("CARGO_BIN_EXE_osmo-values");

fn case(name: &str) -> PathBuf {
    root().join("tests/fixtures/preflight").join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run osmo-values")
}

fn from(name: &str, format: &str) -> Output {
    let dir = case(name);
    let spec = dir.join("spec.yaml");
    run(&[
        "preflight",
        "--from",
        dir.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
        "--format",
        format,
    ])
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}\nstdout:\n{}", stdout(out)))
}

fn failing(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["requirement"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn good_clusters_exit_0_and_each_failure_exits_1_naming_the_requirement() {
    for good in [
        "good-aks",
        "good-eks",
        "good-gke",
        "good-onprem",
        "good-other",
    ] {
        let out = from(good, "json");
        assert_ok(&out);
        let report = json(&out);
        assert_eq!(report["counts"]["fail"], 0, "{good}");
        assert!(failing(&report).is_empty(), "{good}");
        assert_eq!(report["status"], "warn", "{good}: the registries warning");
        assert!(report["source"]["from"].as_str().unwrap().ends_with(good));
    }
    for (bad, requirement) in [
        ("fail-containerd-old", "containerd"),
        ("fail-kubernetes-old", "kubernetes-version"),
        ("fail-no-default-storageclass", "default-storage-class"),
        ("fail-driver-old", "gpu-driver"),
        ("fail-operator-too-small", "operator-node-size"),
        ("fail-labels-missing", "operator-nodes"),
        ("fail-labels-missing", "compute-nodes"),
        ("fail-jetson-jetpack5", "jetpack"),
        ("fail-operator-taint", "operator-node-taints"),
    ] {
        let out = from(bad, "json");
        assert_eq!(out.status.code(), Some(1), "{bad}: {}", stderr(&out));
        let report = json(&out);
        assert_eq!(report["status"], "fail");
        assert!(
            failing(&report).contains(&requirement.to_owned()),
            "{bad}: {:?}",
            failing(&report)
        );
        let check = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["requirement"] == requirement)
            .unwrap();
        for key in ["title", "found", "needed", "hint"] {
            assert!(
                check[key].as_str().is_some_and(|s| !s.is_empty()),
                "{bad}: {key}"
            );
        }
    }
    // Warnings alone do not fail the run.
    assert_ok(&from("warn-no-gpu-labels", "json"));
}

#[test]
fn text_output_has_a_line_per_check_and_a_summary() {
    let out = from("fail-containerd-old", "text");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "Preflight of backend eks-gpu: Amazon EKS (kind eks), OSMO {} requirements",
            osmo_values::Release::LATEST
        )),
        "{text}"
    );
    assert!(text.contains("\nFAIL  containerd             containerd 1.7.11 on 2 nodes"));
    assert!(text.contains(
        "\nPASS  kubernetes-version     Kubernetes v1.30.11-eks-bc803b4; needs v1.30.0 or later\n"
    ));
    assert!(text.contains(
        "nodes: ip-10-0-3-31.us-west-2.compute.internal, ip-10-0-3-32.us-west-2.compute.internal\n"
    ));
    assert!(text.contains("\nWARN  registries"));
    assert!(text.ends_with(
        "\n1 failed, 1 warning, 10 passed: the cluster does not meet the requirements.\n"
    ));
    let good = stdout(&from("good-eks", "text"));
    assert!(good.ends_with(
        "\n0 failed, 1 warning, 11 passed: no requirement fails; check the warnings by hand.\n"
    ));
}

#[test]
fn without_a_spec_the_kind_chooses_the_requirements() {
    let dir = case("good-onprem");
    let out = run(&[
        "preflight",
        "--from",
        dir.to_str().unwrap(),
        "--kind",
        "onPremises",
        "--format",
        "json",
    ]);
    assert_ok(&out);
    let report = json(&out);
    assert_eq!(report["kind"], "onPremises");
    assert_eq!(report["backend"], Value::Null);
    assert!(
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["requirement"] == "control-plane")
    );
    let out = run(&[
        "preflight",
        "--from",
        dir.to_str().unwrap(),
        "--kind",
        "EKS",
    ]);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("unknown backend kind `EKS`"),
        "{}",
        stderr(&out)
    );
}

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "osmo-values-preflight-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write_script(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A fake kubectl that prints the fixture's outputs for the three read-only commands,
/// logs every call, and succeeds silently for anything else (install.sh's own calls).
fn fake_kubectl(bin: &Path, fixture: &Path, log: &Path) {
    write_script(
        &bin.join("kubectl"),
        &format!(
            r#"#!/bin/sh
echo "$*" >> '{log}'
args="$*"
case "$args" in
  --context\ *) args="${{args#--context * }}" ;;
esac
case "$args" in
  "get nodes -o json") cat '{dir}/nodes.json' ;;
  "get storageclass -o json") cat '{dir}/storageclasses.json' ;;
  "version -o json") cat '{dir}/version.json' ;;
  "get secret"*|"get configmap"*) exit 1 ;;
  *) cat >/dev/null 2>&1 || true ;;
esac
"#,
            log = log.display(),
            dir = fixture.display()
        ),
    );
}

fn path_with(bin: &Path) -> String {
    format!("{}:/usr/bin:/bin", bin.display())
}

#[test]
fn runs_kubectl_read_only_against_the_current_or_the_spec_context() {
    let s = Scratch::new("kubectl");
    let bin = s.0.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = s.0.join("kubectl.log");
    fake_kubectl(&bin, &case("good-gke"), &log);
    let spec = case("good-gke").join("spec.yaml");
    let out = Command::new(BIN)
        .args(["preflight", "--spec", spec.to_str().unwrap()])
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    assert_ok(&out);
    assert!(
        stdout(&out).contains("from the current kubectl context"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "get nodes -o json\nget storageclass -o json\nversion -o json\n"
    );

    // A backend with a kubeContext: every call names it; --context overrides it.
    let with_ctx = s.0.join("spec.yaml");
    let text = std::fs::read_to_string(&spec).unwrap() + "    kubeContext: gke-prod\n";
    std::fs::write(&with_ctx, text).unwrap();
    std::fs::remove_file(&log).unwrap();
    let out = Command::new(BIN)
        .args([
            "preflight",
            "--spec",
            with_ctx.to_str().unwrap(),
            "--format",
            "json",
        ])
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    assert_ok(&out);
    assert_eq!(json(&out)["source"]["kubectl_context"], "gke-prod");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(calls.lines().count(), 3);
    assert!(
        calls.lines().all(|l| l.starts_with("--context gke-prod ")),
        "{calls}"
    );
    std::fs::remove_file(&log).unwrap();
    let out = Command::new(BIN)
        .args([
            "preflight",
            "--spec",
            with_ctx.to_str().unwrap(),
            "--context",
            "other",
        ])
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    assert_ok(&out);
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .starts_with("--context other get nodes")
    );

    // A failing cluster through kubectl: exit 1 as with --from.
    fake_kubectl(&bin, &case("fail-kubernetes-old"), &log);
    let out = Command::new(BIN)
        .args(["preflight", "--kind", "eks"])
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("FAIL  kubernetes-version     Kubernetes v1.29.15-eks-b707fbb"));
}

#[test]
fn errors_exit_2_with_one_clear_line() {
    let s = Scratch::new("errors");
    // No kubectl on the PATH.
    let empty = s.0.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = Command::new(BIN)
        .args(["preflight"])
        .env("PATH", &empty)
        .output()
        .unwrap();
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("kubectl is not on the PATH"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());

    // kubectl that cannot reach the cluster.
    let bin = s.0.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    write_script(
        &bin.join("kubectl"),
        "#!/bin/sh\necho 'E0602 09:14:07 memcache.go:265] couldn'\\''t get current server API group list' >&2\necho 'The connection to the server 127.0.0.1:6443 was refused' >&2\nexit 1\n",
    );
    let out = Command::new(BIN)
        .args(["preflight"])
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    assert_exit2(&out);
    let err = stderr(&out);
    assert!(err.contains("`kubectl get nodes -o json` failed"), "{err}");
    assert!(
        err.contains("connection to the server 127.0.0.1:6443 was refused"),
        "{err}"
    );

    // A missing file.
    let dir = s.0.join("outputs");
    std::fs::create_dir_all(&dir).unwrap();
    let out = run(&["preflight", "--from", dir.to_str().unwrap()]);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains(&format!(
            "{}: cannot read",
            dir.join("nodes.json").display()
        )),
        "{}",
        stderr(&out)
    );

    // Invalid JSON: the file, line and column.
    for f in ["storageclasses.json", "version.json"] {
        std::fs::copy(case("good-eks").join(f), dir.join(f)).unwrap();
    }
    std::fs::write(
        dir.join("nodes.json"),
        "{\n  \"items\": [\n    {\"metadata\": {\"name\" \"n1\"}}\n  ]\n}\n",
    )
    .unwrap();
    let out = run(&["preflight", "--from", dir.to_str().unwrap()]);
    assert_exit2(&out);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: line 3 column 26: expected `:`\n",
            dir.join("nodes.json").display()
        )
    );

    // A wrong type, with the key's path.
    std::fs::write(
        dir.join("nodes.json"),
        "{\"items\": [{\"metadata\": {\"name\": \"n1\"},\n  \"status\": {\"capacity\": {\"cpu\": 4}}}]}",
    )
    .unwrap();
    let out = run(&["preflight", "--from", dir.to_str().unwrap()]);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("nodes.json: line 2 column 34: at items[0].status.capacity.cpu: expected a string, found integer `4`"),
        "{}",
        stderr(&out)
    );

    // The files swapped.
    std::fs::copy(
        case("good-eks").join("storageclasses.json"),
        dir.join("nodes.json"),
    )
    .unwrap();
    let out = run(&["preflight", "--from", dir.to_str().unwrap()]);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("nodes.json: the items are StorageClass objects, not Nodes"),
        "{}",
        stderr(&out)
    );

    // version.json without the server's version.
    std::fs::copy(case("good-eks").join("nodes.json"), dir.join("nodes.json")).unwrap();
    std::fs::write(
        dir.join("version.json"),
        "{\"clientVersion\": {\"gitVersion\": \"v1.31.8\"}}",
    )
    .unwrap();
    let out = run(&["preflight", "--from", dir.to_str().unwrap()]);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("version.json: no serverVersion.gitVersion"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_spec_chooses_one_backend() {
    let s = Scratch::new("spec");
    let spec = s.0.join("spec.yaml");
    std::fs::write(
        &spec,
        "domain: osmo.example.com\npostgres: {host: db}\nredis: {host: r}\nconfigMapMode: false\nbackends:\n  - name: a\n    kind: eks\n  - name: b\n    kind: gke\n    operatorTaint: {key: dedicated, value: osmo-operator}\n",
    )
    .unwrap();
    let dir = case("good-gke");
    let base = [
        "preflight",
        "--from",
        dir.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
    ];
    let out = run(&base);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("the spec has 2 backends (a, b); choose one with --backend NAME"),
        "{}",
        stderr(&out)
    );
    let out = run(&[&base[..], &["--backend", "c"]].concat());
    assert_exit2(&out);
    assert!(stderr(&out).contains("no backend named `c`; the spec has a, b"));
    let out = run(&[&base[..], &["--backend", "b", "--format", "json"]].concat());
    assert_ok(&out);
    let report = json(&out);
    assert_eq!(
        (report["backend"].as_str(), report["kind"].as_str()),
        (Some("b"), Some("gke"))
    );
    // The spec's own problems, with line and column.
    std::fs::write(&spec, "domain: osmo.example.com\npostgres: {host: db}\nredis: {host: r}\nconfigMapMode: false\nbackends:\n  - name: a\n    operatorNodes: node-type\n").unwrap();
    let out = run(&base);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains(&format!(
            "{}:7:20: backends[0].operatorNodes: `node-type` is not a label",
            spec.display()
        )),
        "{}",
        stderr(&out)
    );
    let out = run(&[
        "preflight",
        "--release",
        "5.0",
        "--from",
        dir.to_str().unwrap(),
    ]);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("expected 6.2.10 or 6.3.1"),
        "{}",
        stderr(&out)
    );
    let out = run(&[
        "preflight",
        "--release",
        "6.2.10",
        "--from",
        dir.to_str().unwrap(),
        "--kind",
        "gke",
        "--format",
        "json",
    ]);
    assert_eq!(json(&out)["release"], "6.2.10");
}

/// What the install.sh tests run against: a bundle generated from a fixture's spec, and
/// a `bin` folder with a fake kubectl answering from that fixture and a fake helm that
/// logs its arguments to `helm_log`.
struct Rig {
    bundle: PathBuf,
    bin: PathBuf,
    helm_log: PathBuf,
}

/// The [`Rig`] for fixture `name` in `s`; `None` (with a notice) when bash is absent.
fn install_rig(s: &Scratch, name: &str) -> Option<Rig> {
    let passwords = [("OSMO_DB_PASSWORD", "db"), ("OSMO_REDIS_PASSWORD", "")];
    install_rig_with(s, name, &case(name).join("spec.yaml"), &passwords)
}

/// The [`Rig`] for fixture `name`'s cluster, the bundle generated from `spec` with only the
/// secret variables of `env` set.
fn install_rig_with(s: &Scratch, name: &str, spec: &Path, env: &[(&str, &str)]) -> Option<Rig> {
    if Command::new("bash").arg("-c").arg("true").status().is_err() {
        eprintln!("notice: bash is absent; skipping the install.sh test");
        return None;
    }
    let bundle = s.0.join("bundle");
    let mut generate = Command::new(BIN);
    generate
        .args(["generate", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(&bundle);
    for var in [
        "OSMO_DB_PASSWORD",
        "OSMO_REDIS_PASSWORD",
        "OSMO_IDP_CLIENT_SECRET",
    ] {
        generate.env_remove(var);
    }
    let out = generate.envs(env.iter().copied()).output().unwrap();
    assert_ok(&out);
    let bin = s.0.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helm_log = s.0.join("helm.log");
    fake_kubectl(&bin, &case(name), &s.0.join("kubectl.log"));
    write_script(
        &bin.join("helm"),
        &format!("#!/bin/sh\necho \"$*\" >> '{}'\n", helm_log.display()),
    );
    Some(Rig {
        bundle,
        bin,
        helm_log,
    })
}

/// install.sh runs the preflight before each backend operator: a failure stops it, and
/// --skip-preflight skips the check.
#[test]
fn install_sh_stops_on_a_failing_preflight() {
    let s = Scratch::new("install");
    let Some(Rig {
        bundle,
        bin,
        helm_log,
    }) = install_rig(&s, "fail-containerd-old")
    else {
        return;
    };
    let install = |args: &[&str], with_tool: bool| {
        let tools = s.0.join("tools");
        std::fs::create_dir_all(&tools).unwrap();
        let link = tools.join("osmo-values");
        let _ = std::fs::remove_file(&link);
        if with_tool {
            std::os::unix::fs::symlink(BIN, &link).unwrap();
        }
        let _ = std::fs::remove_file(&helm_log);
        Command::new("bash")
            .arg(bundle.join("install.sh"))
            .args(args)
            .env(
                "PATH",
                format!("{}:{}:/usr/bin:/bin", bin.display(), tools.display()),
            )
            .env("OSMO_SERVICE_TOKEN", "token")
            .output()
            .unwrap()
    };
    let helm_calls = || std::fs::read_to_string(&helm_log).unwrap_or_default();

    let out = install(&[], true);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("FAIL  containerd"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("backend eks-gpu: the cluster does not meet the requirements"));
    assert!(
        helm_calls().contains("osmo/service"),
        "the control plane goes first"
    );
    assert!(
        !helm_calls().contains("osmo/backend-operator"),
        "{}",
        helm_calls()
    );

    let out = install(&[], false);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("osmo-values is not on the PATH"),
        "{}",
        stderr(&out)
    );
    assert!(!helm_calls().contains("osmo/backend-operator"));

    let out = install(&["--skip-preflight"], false);
    assert_ok(&out);
    assert!(stdout(&out).contains("backend eks-gpu: preflight check skipped (--skip-preflight)"));
    assert!(
        helm_calls().contains("osmo/backend-operator"),
        "{}",
        helm_calls()
    );

    let out = install(&["--nope"], true);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown option --nope"));
}

#[test]
fn install_sh_installs_the_operator_when_the_preflight_passes() {
    let s = Scratch::new("install-ok");
    let Some(Rig {
        bundle,
        bin,
        helm_log,
    }) = install_rig(&s, "good-eks")
    else {
        return;
    };
    std::os::unix::fs::symlink(BIN, bin.join("osmo-values")).unwrap();
    let out = Command::new("bash")
        .arg(bundle.join("install.sh"))
        .env("PATH", path_with(&bin))
        .env("OSMO_SERVICE_TOKEN", "token")
        .output()
        .unwrap();
    assert_ok(&out);
    assert!(
        stdout(&out).contains("0 failed, 1 warning"),
        "{}",
        stdout(&out)
    );
    let helm = std::fs::read_to_string(&helm_log).unwrap();
    assert!(helm.contains("osmo/backend-operator"), "{helm}");
}

/// A spec whose PostgreSQL and Redis have no password: generated with no password given,
/// the bundle has nothing to fill in and install.sh runs; the same spec with passwords and
/// none given is refused.
#[test]
fn install_sh_runs_for_servers_without_a_password() {
    let fixture = "good-eks";
    let text = std::fs::read_to_string(case(fixture).join("spec.yaml")).unwrap();
    for with_passwords in [false, true] {
        let s = Scratch::new(if with_passwords {
            "install-passwords"
        } else {
            "install-nopass"
        });
        let spec = s.0.join("spec.yaml");
        let flag = format!(", password: {with_passwords}}}");
        let edited = text
            .replace(
                "{host: db.example.com}",
                &format!("{{host: db.example.com{flag}"),
            )
            .replace(
                "{host: redis.example.com}",
                &format!("{{host: redis.example.com{flag}"),
            );
        assert_eq!(edited.matches("password:").count(), 2, "{edited}");
        std::fs::write(&spec, edited).unwrap();
        let Some(Rig { bundle, bin, .. }) = install_rig_with(&s, fixture, &spec, &[]) else {
            return;
        };
        let secrets = std::fs::read_to_string(bundle.join("secrets.yaml")).unwrap();
        let markers = secrets
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains("FILL-ME-IN"))
            .count();
        assert_eq!(markers, if with_passwords { 2 } else { 0 }, "{secrets}");
        assert!(
            secrets.contains("name: \"redis-secret\""),
            "the pods read it: {secrets}"
        );
        std::os::unix::fs::symlink(BIN, bin.join("osmo-values")).unwrap();
        let out = Command::new("bash")
            .arg(bundle.join("install.sh"))
            .env("PATH", path_with(&bin))
            .env("OSMO_SERVICE_TOKEN", "token")
            .output()
            .unwrap();
        if with_passwords {
            assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
            assert!(
                stderr(&out).contains("secrets.yaml still contains"),
                "{}",
                stderr(&out)
            );
        } else {
            assert_ok(&out);
            assert!(
                stdout(&out).contains("OSMO is installing"),
                "{}",
                stdout(&out)
            );
        }
    }
}

#[test]
fn the_docs_list_every_requirement() {
    let docs = std::fs::read_to_string(root().join("docs/output-formats.md")).unwrap();
    for r in osmo_values::preflight::Requirement::ALL {
        assert!(
            docs.contains(&format!("| `{}` |", r.id())),
            "docs/output-formats.md lacks `{}`",
            r.id()
        );
    }
}
