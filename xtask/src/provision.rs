//! What the README's commands install for themselves, inside the clone and only when missing or
//! out of date: the wasm32 target, rustfmt and clippy, the npm packages, the Python tools in
//! `.venv`, and Chromium (checked; installed only as root under CI).
//!
//! Each step is silent when there is nothing to do and says in one line what it does otherwise.
//! A step that cannot succeed returns an error of one line naming the fix.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

/// The target the wizard (and core's no-I/O promise) builds for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where `.venv` records that it holds what `tests/requirements.txt` asks for.
const VENV_STAMP: &str = ".venv/.requirements-installed";

/// The one command that installs Chromium on Debian.
pub const CHROMIUM_APT: &str = "sudo apt-get install -y chromium";

/// Says what a step does, on one line.
pub fn say(what: &str) {
    println!("xtask: {what}");
}

/// Whether this run is CI's (the environment variable `CI` is set and not empty or `false`).
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Runs a set-up command with its output captured; on failure the error carries the command
/// and the last line it printed.
fn quietly(cmd: &mut Command, fix: &str) -> Result<()> {
    let shown = describe(cmd);
    let out: Output = cmd
        .output()
        .with_context(|| format!("cannot start `{shown}`: {fix}"))?;
    if !out.status.success() {
        let last = |bytes: &[u8]| {
            String::from_utf8_lossy(bytes)
                .lines()
                .map(str::trim)
                .rfind(|l| !l.is_empty())
                .map(str::to_owned)
        };
        // The last line of its errors, else of its output.
        let said = last(&out.stderr)
            .or_else(|| last(&out.stdout))
            .unwrap_or_else(|| out.status.to_string());
        bail!("`{shown}` failed ({said}): {fix}");
    }
    Ok(())
}

/// A command as a person would type it.
fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `program --version` runs.
fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A program found on the PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Whether `product` is missing or older than `source`.
fn out_of_date(product: &Path, source: &Path) -> bool {
    match (modified(product), modified(source)) {
        (Some(made), Some(wanted)) => made < wanted,
        (None, _) => true,
        (Some(_), None) => false,
    }
}

fn rustc() -> Command {
    Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
}

/// Whether the toolchain at `sysroot` has the standard library of `target`.
fn has_target(sysroot: &Path, target: &str) -> bool {
    sysroot
        .join("lib/rustlib")
        .join(target)
        .join("lib")
        .is_dir()
}

/// Adds the `wasm32-unknown-unknown` target with rustup when this toolchain lacks it.
pub fn wasm_target() -> Result<()> {
    let sysroot = rustc()
        .args(["--print", "sysroot"])
        .output()
        .context("cannot run rustc: install Rust with rustup (https://rustup.rs)")?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    if has_target(&sysroot, WASM_TARGET) {
        return Ok(());
    }
    if !available("rustup") {
        bail!(
            "this Rust toolchain has no {WASM_TARGET} target and rustup is not installed: \
             add the target's standard library to the toolchain (with rustup: \
             `rustup target add {WASM_TARGET}`)"
        );
    }
    say(&format!("adding rustup target {WASM_TARGET}"));
    quietly(
        Command::new("rustup").args(["target", "add", WASM_TARGET]),
        &format!("run `rustup target add {WASM_TARGET}` yourself and check the network"),
    )
}

/// Adds rustfmt and clippy with rustup when cargo lacks them.
pub fn rust_components() -> Result<()> {
    let missing: Vec<&str> = [("rustfmt", "fmt"), ("clippy", "clippy")]
        .into_iter()
        .filter(|(_, sub)| {
            !Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
                .args([sub, "--version"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(|(component, _)| component)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    if !available("rustup") {
        bail!("cargo has no {list} and rustup is not installed: install {list} for this toolchain");
    }
    say(&format!("adding rustup components {list}"));
    quietly(
        Command::new("rustup")
            .args(["component", "add"])
            .args(&missing),
        &format!("run `rustup component add {list}` yourself"),
    )
}

/// Runs `npm ci` when `node_modules` is missing or older than `package-lock.json`.
///
/// npm records each install in `node_modules/.package-lock.json`: that file's age is the age
/// of the install. A `node_modules` that is a symbolic link belongs to someone else (another
/// checkout): it is used as it is, never reinstalled.
pub fn npm_packages(root: &Path) -> Result<()> {
    let modules = root.join("node_modules");
    let lock = root.join("package-lock.json");
    let linked = modules.is_symlink();
    if linked || !out_of_date(&modules.join(".package-lock.json"), &lock) {
        return Ok(());
    }
    if !available("npm") {
        bail!(
            "npm is not installed: install Node.js 20 or later with npm \
             (Debian: `sudo apt-get install -y nodejs npm`)"
        );
    }
    say(if modules.exists() {
        "package-lock.json changed: reinstalling the npm packages (npm ci)"
    } else {
        "installing the npm packages into node_modules (npm ci)"
    });
    quietly(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(root),
        "run `npm ci` yourself and check the network",
    )
}

/// Makes `.venv` with the Python tools of `tests/requirements.txt` when it is missing or older
/// than that file. A `.venv` that is a symbolic link is used as it is.
pub fn python_venv(root: &Path) -> Result<()> {
    let venv = root.join(".venv");
    let requirements = root.join("tests/requirements.txt");
    if venv.is_symlink() || !out_of_date(&root.join(VENV_STAMP), &requirements) {
        return Ok(());
    }
    let python = venv.join("bin/python");
    if !python.is_file() {
        if !available("python3") {
            bail!(
                "python3 is not installed: install Python 3.9 or later with venv \
                 (Debian: `sudo apt-get install -y python3 python3-venv`)"
            );
        }
        say("creating .venv (python3 -m venv .venv)");
        quietly(
            Command::new("python3")
                .args(["-m", "venv", ".venv"])
                .current_dir(root),
            "install Python's venv module (Debian: `sudo apt-get install -y python3-venv`)",
        )?;
    }
    say("installing tests/requirements.txt into .venv (pip install)");
    quietly(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                "tests/requirements.txt",
            ])
            .current_dir(root),
        "run `.venv/bin/pip install -r tests/requirements.txt` yourself and check the network",
    )?;
    std::fs::write(root.join(VENV_STAMP), "")
        .with_context(|| format!("writing {VENV_STAMP}: check that .venv is writable"))
}

/// The system Chromium: `/usr/bin/chromium`, else `chromium` on the PATH.
fn find_chromium() -> Option<PathBuf> {
    let usual = PathBuf::from("/usr/bin/chromium");
    if usual.is_file() {
        Some(usual)
    } else {
        on_path("chromium")
    }
}

/// Whether this process runs as root.
fn is_root() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// The Chromium the browser tests drive. When it is missing: under CI as root, installs it
/// with apt-get; under CI otherwise, fails; outside CI, prints the one command to run and
/// returns `None` (the caller skips the browser tests).
pub fn chromium() -> Result<Option<PathBuf>> {
    if let Some(found) = find_chromium() {
        return Ok(Some(found));
    }
    if !under_ci() {
        say(&format!(
            "Chromium not found: skipping the browser tests (to run them: `{CHROMIUM_APT}`)"
        ));
        return Ok(None);
    }
    if !is_root() {
        bail!("Chromium is missing under CI: run `{CHROMIUM_APT}` before the tests");
    }
    say("installing Chromium (apt-get install -y chromium)");
    let fix = format!("run `{CHROMIUM_APT}` yourself");
    quietly(
        Command::new("apt-get")
            .args(["update", "-qq"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        &fix,
    )?;
    quietly(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "chromium"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        &fix,
    )?;
    match find_chromium() {
        Some(found) => Ok(Some(found)),
        None => bail!("apt-get installed no chromium binary: {fix}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_there_when_its_library_directory_is() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_target(dir.path(), WASM_TARGET));
        std::fs::create_dir_all(dir.path().join("lib/rustlib/wasm32-unknown-unknown/lib")).unwrap();
        assert!(has_target(dir.path(), WASM_TARGET));
    }

    #[test]
    fn out_of_date_compares_modification_times() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("package-lock.json");
        let product = dir.path().join("stamp");
        std::fs::write(&source, "{}").unwrap();
        assert!(out_of_date(&product, &source), "a missing product");
        std::fs::write(&product, "").unwrap();
        let f = std::fs::File::options().write(true).open(&product).unwrap();
        f.set_modified(SystemTime::now() + std::time::Duration::from_secs(60))
            .unwrap();
        assert!(!out_of_date(&product, &source));
        let f = std::fs::File::options().write(true).open(&source).unwrap();
        f.set_modified(SystemTime::now() + std::time::Duration::from_secs(120))
            .unwrap();
        assert!(out_of_date(&product, &source), "the source changed later");
    }

    #[test]
    fn a_failing_command_is_one_line_with_its_last_output_and_the_fix() {
        let err = quietly(
            Command::new("sh").args(["-c", "echo working; echo 'E: no such package' >&2; exit 3"]),
            "run it yourself",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("(E: no such package)"), "{err}");
        assert!(err.ends_with(": run it yourself"), "{err}");
    }
}
