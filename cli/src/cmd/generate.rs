//! `osmo-values generate`: every file of an OSMO deployment from a spec.
//!
//! The MEK and secrets already in the output directory are read first (an
//! unreadable one stops everything, placed at its line and column), the whole
//! bundle is rendered in memory reusing them (unless `--force`), and only then
//! are the files written, all together (see [`fsutil::write_all_atomic`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use osmo_values::chart::ModelError;
use osmo_values::generate::mek::{self, MekSet};
use osmo_values::generate::secrets::parse_secrets;
use osmo_values::generate::{Existing, FILL_ME, Options, Reuse, SecretSource};
use osmo_values::{Bundle, DeploymentSpec, GenerateError, UserSecrets, parse, yaml};
use rand::SeedableRng;
use rand::rngs::{StdRng, SysRng};

use crate::fsutil::{self, FileToWrite};

/// The spec `--example` generates from: OSMO 6.3.1, Microsoft Entra ID, the gateway behind
/// nginx with TLS, Azure Workload Identity for the workflow storage, medium sizing.
pub const EXAMPLE_SPEC: &str = include_str!("../../../examples/6.3.1/entra-nginx.yaml");

/// Files whose loss or replacement loses data: generation keeps what they hold, and replaces
/// them with new ones only with `--force`.
pub const PROTECTED: [&str; 2] = [MEK_FILE, SECRETS_FILE];
/// The MEK ConfigMap of a bundle.
pub const MEK_FILE: &str = "mek-configmap.yaml";
/// The secrets of a bundle.
pub const SECRETS_FILE: &str = "secrets.yaml";

/// Environment variable with the IdP application's client secret.
pub const ENV_IDP_CLIENT_SECRET: &str = "OSMO_IDP_CLIENT_SECRET";
/// Environment variable with the PostgreSQL password.
pub const ENV_DB_PASSWORD: &str = "OSMO_DB_PASSWORD";
/// Environment variable with the Redis password (may be set but empty: no password).
pub const ENV_REDIS_PASSWORD: &str = "OSMO_REDIS_PASSWORD";
/// Environment variable with the workflow storage's access key id (static credentials).
pub const ENV_STORAGE_ACCESS_KEY_ID: &str = "OSMO_STORAGE_ACCESS_KEY_ID";
/// Environment variable with the workflow storage's secret access key (static credentials).
pub const ENV_STORAGE_ACCESS_KEY: &str = "OSMO_STORAGE_ACCESS_KEY";

/// Generate the values files, MEK, secrets, install script and next steps of a deployment.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Secret values are never read from the spec. secrets.yaml takes them from \
the environment: OSMO_DB_PASSWORD, OSMO_REDIS_PASSWORD (may be set but empty: no password) and \
OSMO_IDP_CLIENT_SECRET (with an identity provider); an unset variable leaves a FILL-ME-IN \
marker to edit. A server the spec marks `password: false` (postgres, redis) needs no variable: \
its Secret gets an empty password. Errors in the spec are printed as FILE:LINE:COLUMN: message (exit code 2).

Regenerating: edit the spec and generate again into the same DIR. The mek-configmap.yaml and \
secrets.yaml already there are kept: the MEK with every key (rotated ones too) and the same \
current key, and every secret value the spec still needs. Secrets the spec now needs are \
generated (or left as FILL-ME-IN markers), ones it no longer needs are dropped, and a value set \
in the environment replaces the one in secrets.yaml. A MEK or secrets file that cannot be read \
stops everything before any write (FILE:LINE:COLUMN: message, exit code 2). --force replaces \
both with new ones instead."
)]
pub struct Args {
    /// Deployment spec to generate from (YAML or JSON).
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "example",
        conflicts_with = "example"
    )]
    spec: Option<PathBuf>,
    /// Generate from a built-in example spec (OSMO 6.3.1, Microsoft Entra ID, nginx with TLS).
    #[arg(long)]
    example: bool,
    /// Directory to write the files into (created when missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replace an existing mek-configmap.yaml and secrets.yaml in DIR with a new MEK and new
    /// secrets, instead of keeping them. Data encrypted with the old MEK becomes unreadable:
    /// only for a MEK that was never installed.
    #[arg(long)]
    force: bool,
    /// Write no secrets.yaml: install.sh then reads the secret values from environment
    /// variables (OSMO_DB_PASSWORD, OSMO_REDIS_PASSWORD, OSMO_IDP_CLIENT_SECRET).
    #[arg(long)]
    no_secrets: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let (label, text) = match &args.spec {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            (path.display().to_string(), bytes)
        }
        None => ("<example>".to_owned(), EXAMPLE_SPEC.as_bytes().to_vec()),
    };
    let spec = match load_spec(&text) {
        Ok(spec) => spec,
        Err(problems) => {
            for p in &problems {
                eprintln!("{label}:{}:{}: {}", p.line, p.column, p.message);
            }
            eprintln!(
                "error: {label}: {} problem(s) in the deployment spec; nothing was written",
                problems.len()
            );
            return Ok(ExitCode::from(2));
        }
    };
    let found = if args.force {
        Found::default()
    } else {
        match load_existing(&args.out, args.no_secrets)? {
            Ok(found) => found,
            Err(()) => return Ok(ExitCode::from(2)),
        }
    };
    let rendered = render_reusing(&spec, args.no_secrets, &found.existing)?;
    if let Some(set) = &found.existing.mek {
        // The MEK must come out exactly as it went in, or nothing is written.
        let written = rendered
            .bundle
            .get(MEK_FILE)
            .map(|f| mek::parse_configmap(&f.contents));
        if !matches!(written, Some(Ok(ref again)) if again == set) {
            bail!(
                "{}: the existing MEK cannot be written back unchanged (unusual key ids?); \
                 nothing was written",
                args.out.join(MEK_FILE).display()
            );
        }
    }
    if args.force {
        report_forced(&args.out, &rendered.bundle);
    } else {
        report_reuse(&args.out, &found, &rendered.reuse);
    }
    // Regenerating next to the spec must not replace the operator's own file (and comments).
    let keep_spec = args
        .spec
        .as_deref()
        .is_some_and(|input| same_file(input, &args.out.join("spec.yaml")));
    write_files(&args.out, &rendered, keep_spec)?;
    Ok(ExitCode::SUCCESS)
}

/// What `generate` found in its output directory.
#[derive(Debug, Default)]
pub struct Found {
    /// The MEK and secrets read from it.
    pub existing: Existing,
    /// A secrets.yaml that was left unread (`--no-secrets`).
    pub ignored_secrets: bool,
}

/// Reads the MEK and secrets files in `dir`, when there are. `Ok(Err(()))` when one cannot be
/// read: the problems were printed as FILE:LINE:COLUMN: message. With `no_secrets`, an
/// existing secrets.yaml is not read (nothing will replace it).
pub fn load_existing(dir: &Path, no_secrets: bool) -> Result<Result<Found, ()>> {
    let mut found = Found::default();
    let mut failed = false;
    // Only a file that surely is not there counts as absent: any other error reads it, and
    // fails there with its own message.
    let present = |name: &str| match dir.join(name).symlink_metadata() {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
        ),
    };
    if present(MEK_FILE) {
        let path = dir.join(MEK_FILE);
        match read_text(&path)? {
            Err((line, column, message)) => {
                print_unreadable(&path, line, column, &message, "MEK ConfigMap");
                failed = true;
            }
            Ok(text) => match mek::parse_configmap(&text) {
                Ok(set) => found.existing.mek = Some(set),
                Err(err) => {
                    let (line, column, message) = super::mek::locate(&text, &err);
                    print_unreadable(&path, line, column, &message, "MEK ConfigMap");
                    failed = true;
                }
            },
        }
    }
    if present(SECRETS_FILE) {
        let path = dir.join(SECRETS_FILE);
        if no_secrets {
            found.ignored_secrets = true;
        } else {
            match read_text(&path)? {
                Err((line, column, message)) => {
                    print_unreadable(&path, line, column, &message, "secrets.yaml");
                    failed = true;
                }
                Ok(text) => match parse_secrets(&text) {
                    Ok(secrets) => found.existing.secrets = Some(secrets),
                    Err(err) => {
                        print_unreadable(&path, err.line, err.column, &err.message, "secrets.yaml");
                        failed = true;
                    }
                },
            }
        }
    }
    if failed {
        eprintln!(
            "error: nothing was written. Generating again keeps the MEK and the secrets in {}, \
             so they must be readable: fix the file(s) above. Only if this MEK was never \
             installed, pass --force to replace them with new ones (OSMO encrypts its data \
             with the MEK: losing it loses that data).",
            dir.display()
        );
        return Ok(Err(()));
    }
    Ok(Ok(found))
}

/// The file as text; an error placed at the first byte that is not UTF-8.
fn read_text(path: &Path) -> Result<Result<String, (usize, usize, String)>> {
    let bytes = std::fs::read(path).with_context(|| {
        format!(
            "cannot read {}; nothing was written (generating again keeps what it holds)",
            path.display()
        )
    })?;
    Ok(
        String::from_utf8(bytes).map_err(|e| match yaml::parse_bytes(e.as_bytes()) {
            Err(err) => (err.pos.line, err.pos.column, err.message),
            Ok(_) => (1, 1, "the file is not UTF-8 text".to_owned()),
        }),
    )
}

fn print_unreadable(path: &Path, line: usize, column: usize, message: &str, what: &str) {
    eprintln!("{}:{line}:{column}: {message}", path.display());
    eprintln!(
        "error: {} is not a {what} osmo-values can read",
        path.display()
    );
}

/// `key1..key3` for consecutive numbered ids, else the ids one by one.
fn key_range(set: &MekSet) -> String {
    let ids: Vec<&str> = set.keys.iter().map(|(id, _)| id.as_str()).collect();
    let numbers: Option<Vec<u64>> = ids
        .iter()
        .map(|id| id.strip_prefix("key")?.parse().ok())
        .collect();
    match (ids.as_slice(), numbers) {
        ([first, .., last], Some(n)) if n.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("{first}..{last}")
        }
        _ => ids.join(", "),
    }
}

/// Tells on stderr what was kept from `dir`, and what was added, replaced or dropped.
fn report_reuse(dir: &Path, found: &Found, reuse: &Reuse) {
    let mek = found.existing.mek.as_ref().map(|set| {
        format!(
            "the existing MEK ({}, current {})",
            key_range(set),
            set.current
        )
    });
    let secrets = found
        .existing
        .secrets
        .as_ref()
        .map(|_| match reuse.kept.len() {
            1 => "1 secret".to_owned(),
            n => format!("{n} secrets"),
        });
    let kept = match (&mek, &secrets) {
        (Some(m), Some(s)) => format!("{m} and {s}"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => return report_ignored(dir, found),
    };
    eprintln!("keeping {kept} from {}", dir.display());
    if mek.is_none() {
        eprintln!(
            "  {} has no {MEK_FILE}: a new MEK was generated",
            dir.display()
        );
    }
    for s in &reuse.added {
        eprintln!("  new: {s}");
    }
    for s in &reuse.replaced {
        eprintln!("  replaced with the value from the environment: {s}");
    }
    for s in &reuse.dropped {
        eprintln!("  dropped, the spec no longer needs it: {s}");
    }
    report_ignored(dir, found);
}

fn report_ignored(dir: &Path, found: &Found) {
    if found.ignored_secrets {
        eprintln!(
            "note: {} is left as it is; with --no-secrets, install.sh creates the secrets from \
             the environment and does not read it",
            dir.join(SECRETS_FILE).display()
        );
    }
}

/// Tells on stderr which existing MEK and secrets files `--force` replaces.
fn report_forced(dir: &Path, bundle: &Bundle) {
    let present: Vec<&str> = PROTECTED
        .into_iter()
        .filter(|name| bundle.get(name).is_some() && dir.join(name).symlink_metadata().is_ok())
        .collect();
    if !present.is_empty() {
        eprintln!(
            "--force: replacing {} in {} with new ones",
            present.join(" and "),
            dir.display()
        );
    }
}

/// Reads a spec (YAML, or JSON, which is YAML too) and checks it; every problem is placed at
/// a line and column of `text`.
pub fn load_spec(text: &[u8]) -> Result<DeploymentSpec, Vec<parse::ParseError>> {
    let document = yaml::parse_bytes(text).map_err(|e| vec![e.into()])?;
    let spec = DeploymentSpec::from_json(document.root.to_json())
        .map_err(|e| vec![parse::locate(&document, e)])?;
    let problems = spec.validate();
    if problems.is_empty() {
        Ok(spec)
    } else {
        Err(problems
            .into_iter()
            .map(|p| {
                parse::locate(
                    &document,
                    ModelError {
                        path: p.path,
                        message: p.message,
                    },
                )
            })
            .collect())
    }
}

/// The secrets the operator supplied through the environment. An unset or empty variable
/// leaves a marker in `secrets.yaml`, except the Redis password, which may be set but empty.
pub fn user_secrets_from_env() -> UserSecrets {
    let get = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    UserSecrets {
        idp_client_secret: get(ENV_IDP_CLIENT_SECRET),
        db_password: get(ENV_DB_PASSWORD),
        redis_password: std::env::var(ENV_REDIS_PASSWORD).ok(),
        storage_access_key_id: get(ENV_STORAGE_ACCESS_KEY_ID),
        storage_access_key: get(ENV_STORAGE_ACCESS_KEY),
    }
}

/// A rendered bundle, with the secret variables that were not set (their values are
/// markers in `secrets.yaml`).
pub struct Rendered {
    /// Every file.
    pub bundle: Bundle,
    /// Environment variables whose secret was missing.
    pub missing: Vec<String>,
    /// What became of the MEK and secrets generation was given.
    pub reuse: Reuse,
}

/// Renders the whole bundle in memory, with a new MEK and new secrets.
pub fn render(spec: &DeploymentSpec, no_secrets: bool) -> Result<Rendered> {
    render_reusing(spec, no_secrets, &Existing::default())
}

/// Renders the whole bundle in memory, keeping the `existing` MEK and secret values.
pub fn render_reusing(
    spec: &DeploymentSpec,
    no_secrets: bool,
    existing: &Existing,
) -> Result<Rendered> {
    let options = Options {
        secrets: if no_secrets {
            SecretSource::Environment
        } else {
            SecretSource::File(user_secrets_from_env())
        },
    };
    let mut rng = StdRng::try_from_rng(&mut SysRng)
        .map_err(|e| anyhow::anyhow!("cannot get random bytes from the system: {e}"))?;
    let regenerated = osmo_values::generate::generate_reusing(spec, &options, existing, &mut rng)
        .map_err(|e| match e {
        GenerateError::InvalidSpec(_) => anyhow::anyhow!("{e}"),
        GenerateError::Template { .. } => anyhow::anyhow!("{e} (a bug in osmo-values)"),
    })?;
    Ok(Rendered {
        bundle: regenerated.bundle,
        // One variable can fill several secrets (the storage keys of logs and data): named once.
        missing: regenerated.unfilled.into_iter().map(|(_, env)| env).fold(
            Vec::new(),
            |mut names, env| {
                if !names.contains(&env) {
                    names.push(env);
                }
                names
            },
        ),
        reuse: regenerated.reuse,
    })
}

/// Fails, before anything is written, when `dir` holds a MEK or secrets file and `force` is
/// not set.
pub fn check_out_dir(dir: &Path, force: bool) -> Result<()> {
    if force {
        return Ok(());
    }
    let present: Vec<&str> = PROTECTED
        .into_iter()
        .filter(|name| dir.join(name).symlink_metadata().is_ok())
        .collect();
    if present.is_empty() {
        return Ok(());
    }
    bail!(
        "{} already holds {}; nothing was written.\n\
         Writing a new bundle here would replace the Master Encryption Key (MEK) and the \
         secrets. OSMO encrypts secrets in its database with the MEK: losing it loses that data.\n\
         - to regenerate and keep them, run `osmo-values generate --spec {} --out {}`;\n\
         - to add a new key and keep the old ones, run `osmo-values mek rotate --in {}`;\n\
         - to write the bundle elsewhere, choose another --out;\n\
         - to replace them anyway (only if this MEK was never installed), pass --force.",
        dir.display(),
        present.join(" and "),
        dir.join("spec.yaml").display(),
        dir.display(),
        dir.join(PROTECTED[0]).display(),
    )
}

/// Checks `dir` ([`check_out_dir`]: no MEK or secrets to replace unless `force`), then writes
/// the bundle into it ([`write_files`]).
pub fn write_bundle(dir: &Path, rendered: &Rendered, force: bool, keep_spec: bool) -> Result<()> {
    check_out_dir(dir, force)?;
    write_files(dir, rendered, keep_spec)
}

/// Writes every file of the bundle into `dir`, all together, with its mode (0600 for key
/// material and passwords, 0755 for scripts, 0644 otherwise) and prints what was written.
/// With `keep_spec`, an existing `spec.yaml` is left as it is.
pub fn write_files(dir: &Path, rendered: &Rendered, keep_spec: bool) -> Result<()> {
    let bundle = &rendered.bundle;
    fsutil::ensure_dir(dir)?;
    let files: Vec<FileToWrite<'_>> = bundle
        .files
        .iter()
        .filter(|f| !(keep_spec && f.name == "spec.yaml"))
        .map(|f| FileToWrite {
            name: &f.name,
            contents: f.contents.as_bytes(),
            mode: if f.sensitive {
                0o600
            } else if f.executable {
                0o755
            } else {
                0o644
            },
        })
        .collect();
    let written = fsutil::write_all_atomic(dir, &files)?;
    for (path, file) in written.iter().zip(&files) {
        println!("wrote {} ({:o})", path.display(), file.mode);
    }
    if keep_spec {
        println!("kept {} (the input spec)", dir.join("spec.yaml").display());
    }
    if bundle.get("secrets.yaml").is_some() && !rendered.missing.is_empty() {
        println!(
            "\nsecrets.yaml has {FILL_ME} markers where {} had no value: edit them before \
             installing, or generate again with them set in the environment.",
            rendered.missing.join(", ")
        );
    }
    println!(
        "\nKeep mek-configmap.yaml{} private and backed up.\nNext: read {}",
        if bundle.get("secrets.yaml").is_some() {
            " and secrets.yaml"
        } else {
            ""
        },
        dir.join("NEXT_STEPS.md").display()
    );
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
