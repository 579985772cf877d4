//! The pre-commit hook (`.pre-commit-hooks.yaml`) under the real
//! `pre-commit`: `pre-commit try-repo` builds the tool from this checkout
//! with `cargo install` (as `language: rust` does for every user) and runs
//! the hook on the staged files of a throwaway git repository, exactly as
//! it would run before a commit.
//!
//! `pre-commit` comes from `.venv/` (made by `.ci/run`) or the PATH;
//! without it the test prints a notice and skips, except under CI, where a
//! missing tool is a failure. Everything it writes (the throwaway
//! repository, pre-commit's cache, the release build) stays under `target/`.
//! The first run builds the tool in release mode: a few minutes.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::{root, tool};

fn git(repo: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// A values file with findings no chart model can hide: a key written twice
/// (OV002) and an image tag that YAML reads as a number (OV004).
const BAD: &str = "# Service values for the test\nglobal:\n  osmoImageTag: 6.10\nnameOverride: a\nnameOverride: b\n";

/// A clean values file.
const GOOD: &str = "# Web UI values for the test: no identity provider, so no Envoy and no oauth2-proxy\nsidecars:\n  envoy:\n    enabled: false\n  oauth2Proxy:\n    enabled: false\n";

#[test]
fn pre_commit_hook_fails_on_bad_values_and_passes_good_ones() {
    let Some(pre_commit) = tool("pre-commit") else {
        return;
    };
    let target = root().join("target");
    std::fs::create_dir_all(&target).unwrap();
    let work = tempfile::Builder::new()
        .prefix("pre-commit-test-")
        .tempdir_in(&target)
        .unwrap();
    let repo = work.path().join("repo");
    std::fs::create_dir_all(repo.join("deploy")).unwrap();
    git(&repo, &["init", "-q"]);

    let run = |what: &str| -> Output {
        let out = Command::new(&pre_commit)
            .current_dir(&repo)
            .args(["try-repo", "--verbose"])
            .arg(root())
            .arg("osmo-values-lint")
            // Nothing outside the checkout: pre-commit's cache in the
            // temporary directory, cargo's build directory in target/ (kept
            // between runs so later runs build incrementally).
            .env("PRE_COMMIT_HOME", work.path().join("pre-commit-home"))
            .env("CARGO_TARGET_DIR", target.join("pre-commit-build"))
            // The hook's behaviour is under test, not its speed: a quick
            // release build (no LTO, little optimisation) instead of the
            // shipped one, which takes most of this test's time on 2 cores.
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .env("PRE_COMMIT_COLOR", "never")
            .env("NO_COLOR", "1")
            .env("GIT_AUTHOR_NAME", "osmo-values tests")
            .env("GIT_AUTHOR_EMAIL", "tests@osmo-values.invalid")
            .env("GIT_COMMITTER_NAME", "osmo-values tests")
            .env("GIT_COMMITTER_EMAIL", "tests@osmo-values.invalid")
            .output()
            .expect("pre-commit runs");
        println!("--- pre-commit on {what}: {}\n{}", out.status, text(&out));
        out
    };

    // A bad service values file, plus a file the hook's pattern leaves alone.
    std::fs::write(repo.join("deploy/osmo_values.yaml"), BAD).unwrap();
    std::fs::write(repo.join("values.yaml"), "not: [valid").unwrap();
    git(&repo, &["add", "."]);
    let out = run("a bad values file");
    let output = text(&out);
    assert!(!out.status.success(), "the hook must fail:\n{output}");
    assert!(output.contains("deploy/osmo_values.yaml:3:17"), "{output}");
    assert!(output.contains("error[OV004]"), "{output}");
    assert!(output.contains("error[OV002]"), "{output}");
    assert!(
        !output.contains("values.yaml:1"),
        "values.yaml does not match the hook's files:\n{output}"
    );

    // Fixed: the hook passes.
    std::fs::remove_file(repo.join("deploy/osmo_values.yaml")).unwrap();
    std::fs::write(repo.join("deploy/ui_values.yaml"), GOOD).unwrap();
    git(&repo, &["add", "-A"]);
    let out = run("a good values file");
    assert!(out.status.success(), "the hook must pass:\n{}", text(&out));
    assert!(text(&out).contains("osmo-values lint"), "{}", text(&out));
}
