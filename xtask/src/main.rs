//! `cargo xtask`: build, serve and test the browser wizard; regenerate the committed generated
//! files.
//!
//! - `dist`: release build of `wizard-web` for wasm32, wasm-bindgen in-process, `wasm-opt -Os
//!   --converge` (npm `binaryen`), the module compressed with LZMA, static site in
//!   `target/dist/wizard/`.
//! - `serve [--port 8080]`: `dist`, then serve the site on 127.0.0.1.
//! - `test`: every check CI runs: generated files fresh, formatting, clippy, the API docs, core
//!   for wasm32, the fuzz targets, `cargo test --workspace`, then `dist` and the browser tests
//!   (`node --test tests/browser/`).
//! - `measure`: `dist`, then print size and speed figures (`node tests/browser/measure.mjs`).
//! - `codegen [--check]`: write (or check) every committed generated file ([`codegen`]).
//!
//! The commands install what they need first, inside the clone ([`provision`]). A failure is
//! one line, `error: ...`, naming the fix, and a non-zero exit.

mod codegen;
mod provision;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use base64::Engine as _;

use provision::say;

/// Where `dist` writes the site, relative to the workspace root.
const DIST: &str = "target/dist/wizard";

const USAGE: &str =
    "usage: cargo xtask dist | serve [--port 8080] | test | measure | codegen [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match command(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, with the fix; never a backtrace (these are expected failures).
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn command(args: &[String]) -> Result<()> {
    let root = workspace_root();
    std::env::set_current_dir(&root)
        .with_context(|| format!("cannot enter the workspace root {}", root.display()))?;
    match args.first().map(String::as_str) {
        Some("dist") => {
            site_tools(&root)?;
            dist(&root).map(|_| ())
        }
        Some("serve") => {
            let port = match flag(args, "--port") {
                Some(p) => p
                    .parse()
                    .with_context(|| format!("--port takes a number, not `{p}`"))?,
                None => 8080,
            };
            site_tools(&root)?;
            let dir = dist(&root)?;
            serve(&dir, port)
        }
        Some("test") => test(&root),
        Some("measure") => {
            site_tools(&root)?;
            let Some(chromium) = provision::chromium()? else {
                bail!(
                    "measuring needs Chromium: run `{}`",
                    provision::CHROMIUM_APT
                );
            };
            let dir = dist(&root)?;
            run(
                Command::new("node")
                    .arg("tests/browser/measure.mjs")
                    .env("OSMO_WIZARD_DIST", &dir)
                    .env("CHROMIUM", chromium),
                "see the output above",
            )
        }
        Some("codegen") => codegen::run(&root, args.iter().any(|a| a == "--check")),
        _ => bail!("{USAGE}"),
    }
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs a command that shows its own output; when it fails, the error names it and the fix.
fn run(cmd: &mut Command, fix: &str) -> Result<()> {
    let shown = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let status = cmd
        .status()
        .with_context(|| format!("cannot start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status}): {fix}");
    }
    Ok(())
}

/// What building the site needs: the wasm32 target and the npm packages (`wasm-opt`).
fn site_tools(root: &Path) -> Result<()> {
    provision::wasm_target()?;
    provision::npm_packages(root)
}

/// Builds the static site; returns its directory.
fn dist(root: &Path) -> Result<PathBuf> {
    say("building the wizard (wasm-release profile)");
    run(
        cargo().args([
            "build",
            "--locked",
            "-p",
            "wizard-web",
            "--target",
            provision::WASM_TARGET,
            "--profile",
            "wasm-release",
        ]),
        "see the errors above",
    )?;
    let target = target_dir(root);
    let input = target.join("wasm32-unknown-unknown/wasm-release/wizard_web.wasm");
    let staging = target.join("wizard-bindgen");
    std::fs::create_dir_all(&staging)
        .with_context(|| format!("cannot create {}", staging.display()))?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .web(true)?
        .typescript(false)
        .omit_default_module_path(false)
        .generate(&staging)
        .context("wasm-bindgen failed on the wizard's module")?;
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    if !wasm_opt.exists() {
        bail!(
            "node_modules/.bin/wasm-opt is missing (without it the wizard is over 2 MB): \
             run `npm ci` at the repository root"
        );
    }
    let wasm_path = staging.join("wizard_web_bg.opt.wasm");
    run(
        Command::new(&wasm_opt)
            .arg(staging.join("wizard_web_bg.wasm"))
            .args([
                // -Os with --converge compresses better than -Oz here (smaller after gzip).
                "-Os",
                "--converge",
                "--strip-debug",
                "--strip-producers",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                "-o",
            ])
            .arg(&wasm_path),
        "see wasm-opt's message above; `npm ci` reinstalls binaryen",
    )?;
    let dir = root.join(DIST);
    let (wasm, packed) = write_site(root, &staging, &wasm_path, &dir)
        .with_context(|| format!("cannot write the site into {}", dir.display()))?;
    say(&format!(
        "wizard built in {} (wasm {} bytes, carried as {} bytes of LZMA; \
         `node tests/browser/measure.mjs` prints the transfer size)",
        dir.display(),
        wasm.len(),
        packed
    ));
    Ok(dir)
}

/// Fills `dir` with the static files, the bindings and the packed module; returns the module
/// and the size of its LZMA compression.
fn write_site(
    root: &Path,
    staging: &Path,
    wasm_path: &Path,
    dir: &Path,
) -> Result<(Vec<u8>, usize)> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    for entry in std::fs::read_dir(root.join("wizard-web/static"))? {
        let entry = entry?;
        std::fs::copy(entry.path(), dir.join(entry.file_name()))?;
    }
    std::fs::copy(staging.join("wizard_web.js"), dir.join("wizard_web.js"))?;
    let wasm = std::fs::read(wasm_path)?;
    std::fs::write(staging.join("wizard_web.final.wasm"), &wasm)?;
    // The page's CSP forbids every fetch (connect-src 'none'), so the module travels inside
    // a script: LZMA-compressed, then base64-encoded; boot.js decodes it, inflates it with
    // lzma.js and instantiates it from memory. LZMA is a fifth smaller than the best gzip
    // (Zopfli), which is all the browser's DecompressionStream would inflate; base64 costs
    // under 1% once the server gzips the script.
    let packed = lzma(&wasm)?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&packed);
    std::fs::write(
        dir.join("wizard_web_wasm.js"),
        format!(
            "// The wizard's WebAssembly module, LZMA-compressed and base64-encoded (cargo xtask dist).\nexport default \"{b64}\";\n"
        ),
    )?;
    Ok((wasm, packed.len()))
}

/// `data` in the .lzma format (the 13-byte header with its size, no end marker), compressed
/// as hard as LZMA goes: what `wizard-web/static/lzma.js` reads.
fn lzma(data: &[u8]) -> Result<Vec<u8>> {
    use lzma_rust2::{LzmaOptions, LzmaWriter};
    let mut options = LzmaOptions::with_preset(9);
    // The whole module in the dictionary; the decoder's only buffer is its output.
    options.dict_size = u32::try_from(data.len().next_power_of_two())
        .context("the module is over 2 GiB")?
        .max(lzma_rust2::DICT_SIZE_MIN);
    options.nice_len = LzmaOptions::NICE_LEN_MAX;
    // Four literal context bits and no position bits: the smallest for this module.
    (options.lc, options.lp, options.pb) = (4, 0, 0);
    let size = u64::try_from(data.len()).context("size")?;
    let mut writer = LzmaWriter::new_use_header(Vec::new(), &options, Some(size))
        .context("cannot start the LZMA encoder")?;
    std::io::Write::write_all(&mut writer, data).context("LZMA")?;
    writer.finish().context("LZMA")
}

/// One check of `cargo xtask test`: what it does, the command, and the fix when it fails.
fn step(what: &str, cmd: &mut Command, fix: &str) -> Result<()> {
    say(what);
    run(cmd, fix)
}

/// `cargo xtask test`: the set-up, then every check CI runs, cheapest first.
fn test(root: &Path) -> Result<()> {
    provision::wasm_target()?;
    provision::rust_components()?;
    provision::npm_packages(root)?;
    provision::python_venv(root)?;
    let chromium = provision::chromium()?;
    let target = target_dir(root);

    say("checking the generated files (cargo xtask codegen --check)");
    codegen::run(root, true)?;
    step(
        "checking the formatting (cargo fmt --check)",
        cargo().args(["fmt", "--all", "--", "--check"]),
        "run `cargo fmt --all`",
    )?;
    step(
        "linting (cargo clippy, warnings denied)",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]),
        "fix the warnings above",
    )?;
    step(
        "building the API docs (cargo doc, warnings denied)",
        cargo()
            .args(["doc", "--workspace", "--no-deps", "--locked"])
            .env("RUSTDOCFLAGS", "-D warnings"),
        "fix the documentation warnings above",
    )?;
    step(
        "building core for wasm32",
        cargo().args([
            "build",
            "--locked",
            "-p",
            "osmo-values",
            "--target",
            provision::WASM_TARGET,
        ]),
        "core must build for wasm32 (no I/O): see the errors above",
    )?;
    // A check build: it proves the targets compile against today's library, which is what
    // breaks them, without cargo-fuzz or the sanitizer build (fuzz/run.sh does those).
    step(
        "checking that the fuzz targets compile (cargo check in fuzz/)",
        cargo()
            .args([
                "check",
                "--manifest-path",
                "fuzz/Cargo.toml",
                "--locked",
                "--bins",
            ])
            .arg("--target-dir")
            .arg(target.join("fuzz")),
        "update fuzz/fuzz_targets/ to the library's API: see the errors above",
    )?;
    step(
        "running the tests (cargo test --workspace)",
        cargo().args(["test", "--workspace", "--locked"]),
        "see the failures above",
    )?;
    let Some(chromium) = chromium else {
        return Ok(());
    };
    // The browser tests compare the wizard's download with the command line's output.
    step(
        "building the command-line tool for the browser tests",
        cargo().args(["build", "--locked", "--bin", "osmo-values"]),
        "see the errors above",
    )?;
    let dir = dist(root)?;
    step(
        "running the browser tests (node --test tests/browser/)",
        Command::new("node")
            .args(["--test", "tests/browser/"])
            .env("OSMO_WIZARD_DIST", &dir)
            .env("OSMO_VALUES_BIN", target.join("debug/osmo-values"))
            .env("CHROMIUM", chromium),
        "see the failures above (screenshots in target/screenshots/)",
    )
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A static file server for the site, on loopback only.
fn serve(dir: &Path, port: u16) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port)).with_context(|| {
        format!("cannot listen on 127.0.0.1:{port}: choose another port with --port")
    })?;
    println!(
        "serving {} on http://127.0.0.1:{}/ (Ctrl-C stops)",
        dir.display(),
        listener.local_addr()?.port()
    );
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let dir = dir.to_path_buf();
        std::thread::spawn(move || {
            if let Err(e) = answer(stream, &dir) {
                eprintln!("request failed: {e}");
            }
        });
    }
    Ok(())
}

fn answer(mut stream: TcpStream, dir: &Path) -> Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let rel = if path == "/" {
        "index.html"
    } else {
        path.trim_start_matches('/')
    };
    let safe = !rel.is_empty()
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\\'));
    let file = dir.join(rel);
    let (status, body, ctype) = if method != "GET" && method != "HEAD" {
        (
            "405 Method Not Allowed",
            b"method not allowed\n".to_vec(),
            "text/plain",
        )
    } else if !safe || !file.is_file() {
        ("404 Not Found", b"not found\n".to_vec(), "text/plain")
    } else {
        ("200 OK", std::fs::read(&file)?, content_type(&file))
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("a/x.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("boot.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.bin")), "application/octet-stream");
    }

    #[test]
    fn the_server_serves_files_and_refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.path().join("m.wasm"), [0u8, 97, 115, 109]).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let root = dir.path().to_path_buf();
        std::thread::spawn(move || {
            for s in listener.incoming().take(4) {
                answer(s.unwrap(), &root).unwrap();
            }
        });
        let get = |path: &str| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut s, &mut out).unwrap();
            String::from_utf8_lossy(&out).into_owned()
        };
        let index = get("/");
        assert!(index.starts_with("HTTP/1.1 200"), "{index}");
        assert!(index.contains("text/html") && index.ends_with("<p>hi</p>"));
        assert!(get("/m.wasm").contains("Content-Type: application/wasm"));
        assert!(get("/../Cargo.toml").starts_with("HTTP/1.1 404"));
        assert!(get("/nope.js").starts_with("HTTP/1.1 404"));
    }
}
