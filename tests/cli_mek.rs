//! `osmo-values mek new|rotate`, run as the built binary in temporary
//! directories: modes, refusing to overwrite, the rotation round trip, and
//! malformed files placed at a line and column.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use osmo_values::generate::mek::{MekSet, parse_configmap};
use support::{assert_exit2, assert_ok, stderr, stdout};

const BIN: &str = env!("CARGO_BIN_EXE_osmo-values");

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run osmo-values")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn load(path: &Path) -> MekSet {
    let text = std::fs::read_to_string(path).unwrap();
    parse_configmap(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn new_writes_a_private_configmap_with_key1() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["mek", "new"]);
    assert_ok(&out);
    let path = tmp.path().join("mek-configmap.yaml");
    assert_eq!(mode(&path), 0o600);
    let set = load(&path);
    assert_eq!(set.current, "key1");
    assert_eq!(set.keys.len(), 1);
    assert!(
        stdout(&out).contains("current key: key1"),
        "{}",
        stdout(&out)
    );
    assert_eq!(names(tmp.path()), ["mek-configmap.yaml"]);

    let out = run(tmp.path(), &["mek", "new", "--out", "other.yaml"]);
    assert_ok(&out);
    assert_ne!(
        load(&tmp.path().join("other.yaml")).keys[0].1,
        set.keys[0].1,
        "every new key is random"
    );
}

#[test]
fn new_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("m.yaml");
    std::fs::write(&path, "the MEK in use\n").unwrap();
    let out = run(tmp.path(), &["mek", "new", "--out", "m.yaml"]);
    assert_exit2(&out);
    let err = stderr(&out);
    for needle in [
        "m.yaml already exists",
        "nothing was written",
        "mek rotate",
        "--force",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the MEK in use\n");
    assert_eq!(names(tmp.path()), ["m.yaml"]);

    assert_ok(&run(
        tmp.path(),
        &["mek", "new", "--out", "m.yaml", "--force"],
    ));
    assert_eq!(load(&path).current, "key1");
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn rotate_round_trip_keeps_every_older_key() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["mek", "new"]));
    let path = tmp.path().join("mek-configmap.yaml");
    let first = load(&path);
    // A file someone made world-readable comes back private.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();

    let out = run(tmp.path(), &["mek", "rotate", "--in", "mek-configmap.yaml"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("current key: key2"),
        "{}",
        stdout(&out)
    );
    let second = load(&path);
    assert_eq!(second.current, "key2");
    assert_eq!(second.keys.len(), 2);
    assert_eq!(second.keys[0], first.keys[0], "key1 is kept unchanged");
    assert_eq!(second.keys[1].0, "key2");
    assert_ne!(second.keys[1].1, first.keys[0].1);
    assert_eq!(mode(&path), 0o600);

    let out = run(tmp.path(), &["mek", "rotate", "--in", "mek-configmap.yaml"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("current key: key3"),
        "{}",
        stdout(&out)
    );
    let third = load(&path);
    assert_eq!(third.current, "key3");
    assert_eq!(&third.keys[..2], &second.keys[..]);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(
        names(tmp.path()),
        ["mek-configmap.yaml"],
        "no temporary file left"
    );
}

#[test]
fn rotate_to_another_file_leaves_the_input_alone() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["mek", "new", "--out", "a.yaml"]));
    let before = std::fs::read(tmp.path().join("a.yaml")).unwrap();
    let out = run(
        tmp.path(),
        &["mek", "rotate", "--in", "a.yaml", "--out", "b.yaml"],
    );
    assert_ok(&out);
    assert_eq!(std::fs::read(tmp.path().join("a.yaml")).unwrap(), before);
    assert_eq!(load(&tmp.path().join("b.yaml")).current, "key2");
    assert_eq!(mode(&tmp.path().join("b.yaml")), 0o600);
    // An existing, different --out is not replaced without --force.
    let b = std::fs::read(tmp.path().join("b.yaml")).unwrap();
    let out = run(
        tmp.path(),
        &["mek", "rotate", "--in", "a.yaml", "--out", "b.yaml"],
    );
    assert_exit2(&out);
    assert_eq!(std::fs::read(tmp.path().join("b.yaml")).unwrap(), b);
    let out = run(
        tmp.path(),
        &[
            "mek", "rotate", "--in", "a.yaml", "--out", "b.yaml", "--force",
        ],
    );
    assert_ok(&out);
}

#[test]
fn rotate_reads_kubectl_output() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["mek", "new", "--out", "gen.yaml"]));
    let set = load(&tmp.path().join("gen.yaml"));
    // The shape `kubectl get configmap mek-config -n osmo -o yaml` prints.
    let mut text = String::from("apiVersion: v1\ndata:\n  mek.yaml: |\n");
    for line in set.mek_yaml().lines() {
        text.push_str(&format!("    {line}\n"));
    }
    text.push_str(
        "kind: ConfigMap\nmetadata:\n  creationTimestamp: \"2026-03-01T10:00:00Z\"\n  name: mek-config\n  namespace: osmo\n  resourceVersion: \"4711\"\n  uid: 0a1b2c3d\n",
    );
    std::fs::write(tmp.path().join("live.yaml"), text).unwrap();
    let out = run(tmp.path(), &["mek", "rotate", "--in", "live.yaml"]);
    assert_ok(&out);
    let rotated = load(&tmp.path().join("live.yaml"));
    assert_eq!(rotated.current, "key2");
    assert_eq!(rotated.keys[0], set.keys[0]);
}

/// Rotating `text` fails with exit 2, a message starting `bad.yaml:LINE:COLUMN: `
/// containing `expected`, and leaves the file unchanged.
fn malformed(text: &str, position: &str, expected: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bad.yaml");
    std::fs::write(&path, text).unwrap();
    let out = run(tmp.path(), &["mek", "rotate", "--in", "bad.yaml"]);
    assert_exit2(&out);
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("bad.yaml:{position}: ")),
        "want bad.yaml:{position}:\n{err}"
    );
    assert!(err.contains(expected), "stderr lacks {expected:?}:\n{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert_eq!(names(tmp.path()), ["bad.yaml"]);
}

#[test]
fn malformed_files_are_placed_and_left_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["mek", "new", "--out", "good.yaml"]));
    let good = std::fs::read_to_string(tmp.path().join("good.yaml")).unwrap();
    let key_line = good.lines().position(|l| l.contains("key1: ")).unwrap() + 1;
    let current_line = good
        .lines()
        .position(|l| l.contains("currentMek:"))
        .unwrap()
        + 1;

    malformed("a: [\n", "2:1", "");
    malformed(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  other: x\n",
        "4:3",
        "mek.yaml",
    );
    malformed(
        &good.replace("key1: eyJ", "key1: zzz"),
        &format!("{key_line}:7"),
        "key `key1` is not a base64-encoded JWK",
    );
    malformed(
        &good.replace("currentMek: key1", "currentMek: key7"),
        &format!("{current_line}:5"),
        "currentMek `key7`",
    );
    // Not UTF-8: the first bad byte.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("bin.yaml"), b"data:\n  x: \xff\n").unwrap();
    let out = run(tmp.path(), &["mek", "rotate", "--in", "bin.yaml"]);
    assert_exit2(&out);
    assert!(
        stderr(&out).starts_with("bin.yaml:2:6: "),
        "{}",
        stderr(&out)
    );
    // A missing input.
    let out = run(tmp.path(), &["mek", "rotate", "--in", "nope.yaml"]);
    assert_exit2(&out);
    assert!(
        stderr(&out).contains("cannot read nope.yaml"),
        "{}",
        stderr(&out)
    );
}
