//! The command line: clap types, and one function per command.

mod check;
mod completions;
mod manual;
mod query;
mod serve;
mod table;
mod transfer;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// A GraphQL API over the graph of ASEAN cooperation: bodies, member states, partners,
/// meetings, initiatives and who funds what.
#[derive(Debug, Parser)]
#[command(name = "asean-graph", version, about)]
pub struct Args {
    /// The store's directory (only `import` and `serve` create it).
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
    /// Serve the API: /graphql (POST, GET), /ws, GraphiQL at /, /health.
    Serve(serve::ServeArgs),
    /// Print the GraphQL schema (SDL), as schema.graphql holds it.
    Schema(SchemaArgs),
    /// Run a GraphQL document against the store (or a server) and print JSON, CSV or a table.
    Query(query::QueryArgs),
    /// Write a synthetic dataset of the bundled one's shape, N times larger, for benchmarks.
    Generate(transfer::GenerateArgs),
    /// Print the completion script for a shell (see the README for where to put it).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into --dir.
    Man(manual::ManArgs),
}

/// The arguments of `schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Print the Apollo Federation v2 subgraph SDL instead (as `_service { sdl }` answers
    /// it, and subgraph.graphql holds it): every record type with its `@key`s, for composing
    /// a supergraph behind a gateway (docs/gateway.md).
    #[arg(long)]
    pub federation: bool,
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let args = Args::parse();
    init_logging();
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
        Some(Command::Serve(a)) => serve::run(&args.data, &a),
        None => serve::run(&args.data, &serve::ServeArgs::default_from_env()),
        Some(Command::Query(a)) => query::run(&args.data, &a),
        Some(Command::Generate(a)) => transfer::generate(&a),
        Some(Command::Completions(a)) => completions::run(&a),
        Some(Command::Man(a)) => manual::run(&a),
        Some(Command::Schema(a)) => {
            if a.federation {
                print!("{}", crate::graphql::subgraph::federation_sdl());
            } else {
                print!("{}", crate::graphql::sdl());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Logs to stderr; `RUST_LOG` filters (default: info for this crate, warnings otherwise).
/// Colours only on a terminal: a log file or a journal gets plain text.
fn init_logging() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,asean_graph=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
