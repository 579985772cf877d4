//! `osmo-values init`, run as the built binary: without a terminal it stops
//! at once (stdin from /dev/null, and from a pipe that stays open); with one
//! (a pseudo-terminal made by util-linux `script`) it asks, re-asks wrong
//! answers, and writes spec.yaml and the bundle.

mod support;

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use osmo_values::DeploymentSpec;
use osmo_values::spec::{AlbScheme, Authentication, Preset};

const BIN: &str = env!("CARGO_BIN_EXE_osmo-values");

/// Waits for `child` at most `limit`; kills it and fails when it is still running.
fn wait(mut child: Child, limit: Duration) -> (i32, String, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            let mut err = String::new();
            if let Some(mut s) = child.stdout.take() {
                s.read_to_string(&mut out).unwrap();
            }
            if let Some(mut s) = child.stderr.take() {
                s.read_to_string(&mut err).unwrap();
            }
            return (status.code().unwrap_or(-1), out, err);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}: it waits for input");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn assert_refused(code: i32, err: &str, elapsed: Duration) {
    assert_eq!(code, 2, "{err}");
    for needle in ["terminal", "generate --spec", "generate --example"] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[test]
fn without_a_terminal_it_stops_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    // stdin from /dev/null
    let start = Instant::now();
    let child = Command::new(BIN)
        .args(["init", "--out", "o"])
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (code, out, err) = wait(child, Duration::from_secs(10));
    assert_refused(code, &err, start.elapsed());
    assert!(
        !out.contains('?') && !out.contains(':'),
        "asked anyway:\n{out}"
    );

    // stdin from a pipe that stays open and never sends anything: reading would block.
    let start = Instant::now();
    let mut child = Command::new(BIN)
        .args(["init", "--out", "o"])
        .current_dir(tmp.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let held_open = child.stdin.take();
    let (code, _, err) = wait(child, Duration::from_secs(10));
    drop(held_open);
    assert_refused(code, &err, start.elapsed());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

/// util-linux `script`, which runs a command under a pseudo-terminal.
fn script() -> Option<PathBuf> {
    support::tool("script")
}

/// Runs `osmo-values init <args>` under a pseudo-terminal in `cwd`, typing `answers`;
/// returns the exit code and everything the terminal showed.
fn init_in_terminal(script: &Path, cwd: &Path, args: &str, answers: &[&str]) -> (i32, String) {
    let mut input = answers.join("\n");
    input.push('\n');
    let input_file = cwd.join("answers.txt");
    std::fs::write(&input_file, input).unwrap();
    let child = Command::new(script)
        .args(["-qec", &format!("'{BIN}' init {args}"), "/dev/null"])
        .current_dir(cwd)
        .stdin(std::fs::File::open(&input_file).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("OSMO_DB_PASSWORD")
        .env_remove("OSMO_REDIS_PASSWORD")
        .env_remove("OSMO_IDP_CLIENT_SECRET")
        .spawn()
        .unwrap();
    let (code, out, err) = wait(child, Duration::from_secs(30));
    std::fs::remove_file(&input_file).unwrap();
    (code, format!("{out}{err}").replace('\r', ""))
}

fn load_spec(path: &Path) -> DeploymentSpec {
    let text = std::fs::read_to_string(path).unwrap();
    osmo_values::parse_as::<DeploymentSpec>(&text)
        .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
        .0
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn interview_reasks_wrong_answers_and_writes_the_bundle() {
    let Some(script) = script() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let answers = [
        "6.4",              // release: refused
        "",                 // release 6.3.1
        "https://bad",      // domain: refused
        "osmo.example.com", // domain
        "",                 // registry
        "",                 // tag
        "",                 // pull secret
        "9",                // provider: refused
        "3",                // google
        "my-app",           // client id: refused (not the full id)
        "my-app.apps.googleusercontent.com",
        "",               // gateway behind an ingress
        "",               // ingress class nginx
        "osmo-tls",       // TLS secret
        "",               // upstream TLS on
        "",               // ConfigMap mode on
        "ftp://logs",     // log storage URI: refused
        "s3://osmo-logs", // log storage URI
        "s3://osmo-data", // data storage URI
        "us-west-2",      // region
        "",               // no override URL
        "5",              // credentials: refused
        "1",              // awsIrsa
        "arn:aws:iam::123456789012:role/osmo-storage",
        "db.example.com", // postgres host
        "abc",            // port: refused
        "5433",
        "",                  // database
        "",                  // user
        "redis.example.com", // redis host
        "",                  // port
        "maybe",             // TLS: refused
        "no",
        "huge", // preset: refused
        "medium",
        "gpu-a, gpu-b", // backends
        "",             // pod monitor
    ];
    let (code, shown) = init_in_terminal(&script, tmp.path(), "--out o", &answers);
    assert_eq!(code, 0, "{shown}");
    for needle in [
        "Domain OSMO is served on",
        "[6.3.1]",
        "unknown OSMO release `6.4`",
        "uses the scheme `ftp://`",
        "choose one of: awsIrsa",
        "[nvcr.io/nvidia/osmo]",
        "[5432]",
        "give the host name only",
        "choose one of",
        ".apps.googleusercontent.com",
        "`abc` is not a port number",
        "answer yes or no",
        "unknown variant `huge`",
        "NEXT_STEPS.md",
    ] {
        assert!(
            shown.contains(needle),
            "terminal lacks {needle:?}:\n{shown}"
        );
    }
    let dir = tmp.path().join("o");
    let spec = load_spec(&dir.join("spec.yaml"));
    assert_eq!(spec.domain, "osmo.example.com");
    match &spec.authentication {
        Authentication::Google(g) => assert_eq!(g.client_id, "my-app.apps.googleusercontent.com"),
        other => panic!("{other:?}"),
    }
    assert_eq!(spec.release, osmo_values::Release::V6_3_1);
    assert_eq!(spec.ingress.tls_secret.as_deref(), Some("osmo-tls"));
    assert!(spec.gateway.upstream_tls && spec.config_map_mode);
    let storage = spec.storage.as_ref().expect("storage");
    assert_eq!(
        (storage.log_uri.as_str(), storage.data_uri.as_str()),
        ("s3://osmo-logs", "s3://osmo-data")
    );
    assert_eq!(storage.region.as_deref(), Some("us-west-2"));
    assert_eq!(storage.credentials.kind(), "awsIrsa");
    assert_eq!(spec.postgres.port, 5433);
    assert_eq!(spec.postgres.database, "osmo");
    assert!(!spec.redis.tls);
    assert_eq!(spec.sizing.preset, Preset::Medium);
    let backends: Vec<&str> = spec.backends.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(backends, ["gpu-a", "gpu-b"]);
    assert!(spec.validate().is_empty());
    assert_eq!(mode(&dir.join("mek-configmap.yaml")), 0o600);
    assert_eq!(mode(&dir.join("secrets.yaml")), 0o600);
    assert_eq!(mode(&dir.join("install.sh")), 0o755);
    for name in [
        "backend_operator_values.gpu-a.yaml",
        "backend_operator_values.gpu-b.yaml",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        osmo_values::Chart::new(
            osmo_values::Release::V6_3_1,
            osmo_values::ChartName::BackendOperator,
        )
        .unwrap()
        .parse(&text)
        .unwrap();
    }
}

#[test]
fn interview_for_an_alb_without_identity_provider_at_6_2_10() {
    let Some(script) = script() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let answers = [
        "6.2.10",
        "osmo.example.com",
        "",
        "",
        "",
        "none",
        "alb",
        "not-an-arn",
        "arn:aws:acm:us-west-2:123456789012:certificate/abc",
        "internal",
        "db",
        "",
        "",
        "",
        "redis",
        "",
        "",
        "",
        "",
        "yes",
    ];
    let (code, shown) = init_in_terminal(&script, tmp.path(), "--out o --no-secrets", &answers);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("must be an ACM certificate ARN"), "{shown}");
    let dir = tmp.path().join("o");
    let spec = load_spec(&dir.join("spec.yaml"));
    assert_eq!(spec.release, osmo_values::Release::V6_2_10);
    assert!(dir.join("router_values.yaml").is_file());
    assert_eq!(spec.authentication, Authentication::None);
    let alb = spec.ingress.alb.as_ref().expect("alb settings");
    assert_eq!(alb.scheme, AlbScheme::Internal);
    assert!(spec.monitoring.pod_monitor);
    assert!(!dir.join("secrets.yaml").exists());
}

#[test]
fn interview_cut_short_writes_nothing() {
    let Some(script) = script() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (code, shown) = init_in_terminal(&script, tmp.path(), "--out o", &["osmo.example.com", ""]);
    assert_eq!(code, 2, "{shown}");
    assert!(shown.contains("nothing was written"), "{shown}");
    assert!(!tmp.path().join("o").exists());
}

#[test]
fn existing_mek_stops_init_before_the_questions() {
    let Some(script) = script() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("o");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("mek-configmap.yaml"), "in use").unwrap();
    let (code, shown) = init_in_terminal(&script, tmp.path(), "--out o", &["osmo.example.com"]);
    assert_eq!(code, 2, "{shown}");
    assert!(shown.contains("mek rotate"), "{shown}");
    assert!(
        !shown.contains("Domain OSMO"),
        "asked before checking:\n{shown}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("mek-configmap.yaml")).unwrap(),
        "in use"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}
