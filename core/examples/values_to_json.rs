//! Prints a values file as JSON, read exactly as the linter and Helm read it
//! (YAML 1.1 scalars): the benchmarks give other validators this JSON so
//! that they judge the same values.
//!
//! `cargo run --release -p osmo-values --example values_to_json -- osmo_values.yaml > osmo_values.json`

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: values_to_json FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    match osmo_values::yaml::parse_bytes(&bytes) {
        Ok(doc) => {
            println!("{}", doc.root.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}:{}:{}: {}", e.pos.line, e.pos.column, e.message);
            ExitCode::from(2)
        }
    }
}
