//! The command line: clap types, and one function per command.

mod check;
mod transfer;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// A GraphQL API over the graph of ASEAN cooperation: bodies, member states, partners,
/// meetings, initiatives and who funds what.
#[derive(Debug, Parser)]
#[command(name = "asean-graph", version, about)]
pub struct Args {
    /// The store's directory (created if missing).
    #[arg(long, global = true, env = "ASEAN_GRAPH_DATA", default_value = "data")]
    pub data: PathBuf,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a dataset file, then load all of it into the store, or nothing.
    Import(transfer::ImportArgs),
    /// Write the whole store in the interchange format (to stdout without FILE).
    Export(transfer::ExportArgs),
    /// Verify every invariant of the store; exit 1 listing each violation.
    Check,
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let args = Args::parse();
    match dispatch(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Some(Command::Import(a)) => transfer::import(&args.data, &a),
        Some(Command::Export(a)) => transfer::export(&args.data, &a),
        Some(Command::Check) => check::run(&args.data),
        None => anyhow::bail!("serving is not wired yet"),
    }
}
