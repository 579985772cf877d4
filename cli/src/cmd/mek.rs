//! `osmo-values mek`: create or rotate the Master Encryption Key ConfigMap.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use osmo_values::generate::mek::{self, DATA_KEY, MekError, MekSet};
use osmo_values::path::Path as KeyPath;
use osmo_values::yaml;
use rand::SeedableRng;
use rand::rngs::{StdRng, SysRng};

use crate::fsutil;

/// Create or rotate the Master Encryption Key (MEK) ConfigMap.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: MekCommand,
}

#[derive(Debug, clap::Subcommand)]
enum MekCommand {
    /// Write a fresh MEK ConfigMap (one key, key1).
    New(NewArgs),
    /// Add a new key to an existing MEK ConfigMap and make it current, keeping every older key.
    Rotate(RotateArgs),
}

#[derive(Debug, clap::Args)]
struct NewArgs {
    /// File to write (mode 0600).
    #[arg(long, value_name = "FILE", default_value = "mek-configmap.yaml")]
    out: PathBuf,
    /// Replace an existing file. Data encrypted with the keys it holds becomes unreadable.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
struct RotateArgs {
    /// The current ConfigMap: a generated mek-configmap.yaml, or the output of
    /// `kubectl get configmap mek-config -n osmo -o yaml`.
    #[arg(long = "in", value_name = "FILE")]
    input: PathBuf,
    /// Where to write the rotated ConfigMap (default: rewrite the input file).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace an existing --out file other than the input.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        MekCommand::New(a) => new(a),
        MekCommand::Rotate(a) => rotate(a),
    }
}

fn system_rng() -> Result<StdRng> {
    StdRng::try_from_rng(&mut SysRng)
        .map_err(|e| anyhow::anyhow!("cannot get random bytes from the system: {e}"))
}

fn new(args: NewArgs) -> Result<ExitCode> {
    refuse_existing(&args.out, args.force)?;
    let set = mek::new(&mut system_rng()?);
    fsutil::write_atomic(&args.out, set.to_configmap().as_bytes(), Some(0o600))?;
    println!("wrote {} (0600)", args.out.display());
    println!("current key: {}", set.current);
    println!("Keep this file private and backed up: losing the MEK loses the data it encrypts.");
    Ok(ExitCode::SUCCESS)
}

fn rotate(args: RotateArgs) -> Result<ExitCode> {
    let text = std::fs::read(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let out = args.out.clone().unwrap_or_else(|| args.input.clone());
    if !same_file(&args.input, &out) {
        refuse_existing(&out, args.force)?;
    }
    let label = args.input.display().to_string();
    let text = match String::from_utf8(text) {
        Ok(text) => text,
        Err(e) => {
            // The span-aware reader places the first bad byte.
            let (line, column) = yaml::parse_bytes(e.as_bytes())
                .err()
                .map_or((1, 1), |err| (err.pos.line, err.pos.column));
            eprintln!("{label}:{line}:{column}: the file is not UTF-8 text");
            return Ok(ExitCode::from(2));
        }
    };
    let set = match mek::rotate(&text, &mut system_rng()?) {
        Ok(set) => set,
        Err(err) => {
            let (line, column, message) = locate(&text, &err);
            eprintln!("{label}:{line}:{column}: {message}");
            eprintln!(
                "error: {label} is not a MEK ConfigMap this tool can rotate; nothing was written"
            );
            return Ok(ExitCode::from(2));
        }
    };
    fsutil::write_atomic(&out, set.to_configmap().as_bytes(), Some(0o600))?;
    println!("wrote {} (0600)", out.display());
    println!("keys: {}", key_ids(&set));
    println!("current key: {}", set.current);
    println!(
        "Apply it with `kubectl apply -f {}`, then restart the OSMO service pods so they pick up the new key.",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn key_ids(set: &MekSet) -> String {
    set.keys
        .iter()
        .map(|(id, _)| id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn refuse_existing(path: &Path, force: bool) -> Result<()> {
    if !force && path.symlink_metadata().is_ok() {
        bail!(
            "{} already exists; nothing was written. It may hold the MEK OSMO encrypts its \
             data with: replacing it loses that data. Rotate it with \
             `osmo-values mek rotate --in {}`, choose another --out, or pass --force.",
            path.display(),
            path.display()
        );
    }
    Ok(())
}

/// Places a rotation error in the file: YAML errors at their position, missing or bad
/// entries at the nearest node that exists.
pub(crate) fn locate(text: &str, err: &MekError) -> (usize, usize, String) {
    let document = match yaml::parse(text) {
        Ok(doc) => doc,
        Err(e) => return (e.pos.line, e.pos.column, e.message),
    };
    let data = KeyPath::root().key("data");
    let mek_yaml = data.clone().key(DATA_KEY);
    let node = match err {
        MekError::NoData => document.root.at(&mek_yaml).or(document.root.at(&data)),
        _ => document.root.at(&mek_yaml),
    }
    .unwrap_or(&document.root);
    let mut position = (node.span.start.line, node.span.start.column);
    // Errors inside the embedded mek.yaml (a `|` block): point at the offending line.
    let literal = node
        .scalar
        .as_ref()
        .is_some_and(|s| s.style == yaml::ScalarStyle::Literal);
    if let (
        true,
        MekError::BadKey(id) | MekError::UnknownCurrent(id),
        yaml::NodeValue::String(inner),
    ) = (literal, err, &node.value)
    {
        let wanted = match err {
            MekError::BadKey(_) => format!("{id}:"),
            _ => "currentMek:".to_owned(),
        };
        if let Some(offset) = inner
            .lines()
            .position(|l| l.trim_start().starts_with(&wanted))
        {
            // The block's content starts on the line after its `|` header.
            let line_no = node.span.start.line + 1 + offset;
            if let Some(line) = text.lines().nth(line_no - 1)
                && line.trim_start().starts_with(&wanted)
            {
                position = (line_no, line.len() - line.trim_start().len() + 1);
            }
        }
    }
    (position.0, position.1, err.to_string())
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}
