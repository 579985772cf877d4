//! One module per subcommand.

pub mod generate;
pub mod init;
pub mod mek;
pub mod schema;
