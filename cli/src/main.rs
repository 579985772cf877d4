//! `osmo-values`: generate, lint and migrate NVIDIA OSMO Helm values.
//!
//! A thin layer over the `osmo-values` library: argument parsing, files,
//! terminal output and exit codes (0 success, 1 findings, 2 usage or I/O
//! error).

mod alloc;
mod cmd;
mod fsutil;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator (see [`alloc`]).
#[global_allocator]
static ALLOCATOR: alloc::MiMalloc = alloc::MiMalloc;

/// Generate and lint NVIDIA OSMO Helm values files.
#[derive(Debug, Parser)]
#[command(name = "osmo-values", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print or write the JSON Schemas of the charts' values.
    Schema(cmd::schema::Args),
    /// Generate every file of a deployment (values, MEK, secrets, install.sh) from a spec.
    Generate(cmd::generate::Args),
    /// Ask for a deployment spec in the terminal, then write it and the generated files.
    Init(cmd::init::Args),
    /// Read an existing deployment's values files back into a deployment spec; exit 0
    /// everything mapped, 1 keys not mapped or answers missing, 2 error.
    Spec(cmd::spec::Args),
    /// Create or rotate the Master Encryption Key ConfigMap.
    Mek(cmd::mek::Args),
    /// Lint values files: findings with line, column and fix; exit 0 clean,
    /// 1 findings, 2 usage or I/O error.
    Lint(cmd::lint::Args),
    /// Migrate an OSMO 6.2.10 deployment's values files to 6.3.1: the new values
    /// files, MIGRATION.md (every key: moved, dropped or to decide) and
    /// upgrade.sh; exit 0 done, 1 decisions open, 2 error.
    Migrate(cmd::migrate::Args),
    /// List the lint rules: code, name, severity, summary.
    Rules(cmd::rules::RulesArgs),
    /// Explain one lint rule (by code, such as OV101, or name).
    Explain(cmd::rules::ExplainArgs),
    /// Check that a backend cluster meets the create-backend guides' requirements (read-only);
    /// exit 0 nothing fails, 1 a check fails, 2 error.
    Preflight(cmd::preflight::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Schema(args) => cmd::schema::run(args),
        Command::Generate(args) => cmd::generate::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Spec(args) => cmd::spec::run(args),
        Command::Mek(args) => cmd::mek::run(args),
        Command::Lint(args) => cmd::lint::run(args),
        Command::Migrate(args) => cmd::migrate::run(args),
        Command::Rules(args) => cmd::rules::run_rules(args),
        Command::Explain(args) => cmd::rules::run_explain(args),
        Command::Preflight(args) => cmd::preflight::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
