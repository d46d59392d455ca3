//! The command line: clap types, and one function per command.

mod check;
mod completions;
mod manual;
mod progress;
mod query;
mod schema;
mod serve;
mod table;
mod transfer;
mod upgrade;

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
    /// Rewrite a store of an earlier format (3 or 4) in place (all or nothing), then check it.
    Upgrade,
    /// Serve the API: /graphql (POST, GET), /ws, GraphiQL at /, the graph at /explore, /health.
    Serve(Box<serve::ServeArgs>),
    /// Print the GraphQL schema (SDL), as schema.graphql holds it.
    Schema(schema::SchemaArgs),
    /// Run a GraphQL document against the store (or a server) and print JSON, CSV or a table.
    Query(query::QueryArgs),
    /// Write a synthetic dataset of the bundled one's shape, N times larger, for benchmarks.
    Generate(transfer::GenerateArgs),
    /// Print the completion script for a shell (docs/operations.md says where to put it).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into --dir.
    Man(manual::ManArgs),
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let args = Args::parse();
    // `serve` starts logging itself, with the trace exporter's layer when it has one.
    if !matches!(args.command, None | Some(Command::Serve(_))) {
        init_logging(None::<tracing_subscriber::layer::Identity>);
    }
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
        Some(Command::Upgrade) => upgrade::run(&args.data),
        Some(Command::Serve(a)) => serve::run(&args.data, &a),
        None => serve::run(&args.data, &serve::ServeArgs::default_from_env()),
        Some(Command::Query(a)) => query::run(&args.data, &a),
        Some(Command::Generate(a)) => transfer::generate(&a),
        Some(Command::Completions(a)) => completions::run(&a),
        Some(Command::Man(a)) => manual::run(&a),
        Some(Command::Schema(a)) => schema::run(&a),
    }
}

/// Logs to stderr; `RUST_LOG` filters (default: info for this crate, warnings otherwise).
/// Colours only on a terminal: a log file or a journal gets plain text.
///
/// With a trace layer (`serve --otlp-endpoint`), spans go to it and the log lines, as
/// before, to stderr: the filter applies to the log lines only, which show no spans.
/// Without one, the subscriber is the plain one it always was.
fn init_logging<L>(traces: Option<L>)
where
    L: tracing_subscriber::Layer<tracing_subscriber::Registry> + Send + Sync + 'static,
{
    use std::io::IsTerminal;
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::filter::{FilterExt, filter_fn};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,asean_graph=info"));
    let ansi = std::io::stderr().is_terminal();
    // `try_init`: a subscriber is set once per process.
    match traces {
        None => {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_writer(std::io::stderr)
                .with_ansi(ansi)
                .try_init();
        }
        Some(traces) => {
            let _ = tracing_subscriber::registry()
                .with(traces)
                .with(
                    tracing_subscriber::fmt::layer()
                        .with_writer(std::io::stderr)
                        .with_ansi(ansi)
                        .with_filter(filter.and(filter_fn(|meta| meta.is_event()))),
                )
                .try_init();
        }
    }
}
