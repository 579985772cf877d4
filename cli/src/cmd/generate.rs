//! `osmo-values generate`: every file of an OSMO deployment from a spec.
//!
//! The whole bundle is rendered in memory, the output directory is checked
//! (an existing MEK or secrets file stops everything unless `--force`), and
//! only then are the files written, all together (see
//! [`fsutil::write_all_atomic`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use osmo_values::chart::ModelError;
use osmo_values::generate::{FILL_ME, Options, SecretSource};
use osmo_values::spec::Authentication;
use osmo_values::{Bundle, DeploymentSpec, GenerateError, UserSecrets, parse, yaml};
use rand::SeedableRng;
use rand::rngs::{StdRng, SysRng};

use crate::fsutil::{self, FileToWrite};

/// The spec `--example` generates from: Microsoft Entra ID, nginx with TLS, medium sizing.
pub const EXAMPLE_SPEC: &str = include_str!("../../../examples/entra-nginx.yaml");

/// Files whose loss or replacement loses data: generation refuses to replace them.
pub const PROTECTED: [&str; 2] = ["mek-configmap.yaml", "secrets.yaml"];

/// Environment variable with the IdP application's client secret.
pub const ENV_IDP_CLIENT_SECRET: &str = "OSMO_IDP_CLIENT_SECRET";
/// Environment variable with the PostgreSQL password.
pub const ENV_DB_PASSWORD: &str = "OSMO_DB_PASSWORD";
/// Environment variable with the Redis password (may be set but empty: no password).
pub const ENV_REDIS_PASSWORD: &str = "OSMO_REDIS_PASSWORD";

/// Generate the values files, MEK, secrets, install script and next steps of a deployment.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Secret values are never read from the spec. secrets.yaml takes them from \
the environment: OSMO_DB_PASSWORD, OSMO_REDIS_PASSWORD (may be set but empty: no password) and \
OSMO_IDP_CLIENT_SECRET (with an identity provider); an unset variable leaves a FILL-ME-IN \
marker to edit. Errors in the spec are printed as FILE:LINE:COLUMN: message (exit code 2)."
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
    /// Generate from a built-in example spec (Microsoft Entra ID, nginx with TLS).
    #[arg(long)]
    example: bool,
    /// Directory to write the files into (created when missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replace an existing mek-configmap.yaml or secrets.yaml in DIR. This replaces the
    /// Master Encryption Key: data encrypted with the old key becomes unreadable.
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
    let rendered = render(&spec, args.no_secrets)?;
    // Regenerating next to the spec must not replace the operator's own file (and comments).
    let keep_spec = args
        .spec
        .as_deref()
        .is_some_and(|input| same_file(input, &args.out.join("spec.yaml")));
    write_bundle(&args.out, &rendered, args.force, keep_spec)?;
    Ok(ExitCode::SUCCESS)
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
    }
}

/// A rendered bundle, with the secret variables that were not set (their values are
/// markers in `secrets.yaml`).
pub struct Rendered {
    /// Every file.
    pub bundle: Bundle,
    /// Environment variables whose secret was missing.
    pub missing: Vec<&'static str>,
}

/// Renders the whole bundle in memory.
pub fn render(spec: &DeploymentSpec, no_secrets: bool) -> Result<Rendered> {
    let mut missing = Vec::new();
    let options = Options {
        secrets: if no_secrets {
            SecretSource::Environment
        } else {
            let user = user_secrets_from_env();
            if user.db_password.is_none() {
                missing.push(ENV_DB_PASSWORD);
            }
            if user.redis_password.is_none() {
                missing.push(ENV_REDIS_PASSWORD);
            }
            if user.idp_client_secret.is_none() && spec.authentication != Authentication::None {
                missing.push(ENV_IDP_CLIENT_SECRET);
            }
            SecretSource::File(user)
        },
    };
    let mut rng = StdRng::try_from_rng(&mut SysRng)
        .map_err(|e| anyhow::anyhow!("cannot get random bytes from the system: {e}"))?;
    let bundle =
        osmo_values::generate::generate_with(spec, &options, &mut rng).map_err(|e| match e {
            GenerateError::InvalidSpec(_) => anyhow::anyhow!("{e}"),
            GenerateError::Template { .. } => anyhow::anyhow!("{e} (a bug in osmo-values)"),
        })?;
    Ok(Rendered { bundle, missing })
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
         Generating again would replace the Master Encryption Key (MEK) and the secrets. OSMO \
         encrypts secrets in its database with the MEK: losing it loses that data.\n\
         - to add a new key and keep the old ones, run `osmo-values mek rotate --in {}`;\n\
         - to write the bundle elsewhere, choose another --out;\n\
         - to replace them anyway (only if this MEK was never installed), pass --force.",
        dir.display(),
        present.join(" and "),
        dir.join(PROTECTED[0]).display(),
    )
}

/// Checks `dir`, then writes every file of the bundle into it with its mode (0600 for key
/// material and passwords, 0755 for scripts, 0644 otherwise) and prints what was written.
/// With `keep_spec`, an existing `spec.yaml` is left as it is.
pub fn write_bundle(dir: &Path, rendered: &Rendered, force: bool, keep_spec: bool) -> Result<()> {
    let bundle = &rendered.bundle;
    check_out_dir(dir, force)?;
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
