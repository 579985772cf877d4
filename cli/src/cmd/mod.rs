//! One module per subcommand.

pub mod generate;
pub mod init;
pub mod lint;
pub mod mek;
pub mod migrate;
pub mod preflight;
pub mod rules;
pub mod schema;
pub mod spec;
