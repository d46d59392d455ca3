//! `serve` (also what `asean-graph` does with no command).

use crate::dataset::{self, Mode};
use crate::graphql::{Access, Tokens};
use crate::server::telemetry::{self, Endpoint, Exporter};
use crate::server::{self, Config, FrameAncestors, Manifest};
use crate::store::{Options, Store};
use anyhow::Context;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ASEAN_GRAPH_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,
    /// Origins browser apps may call from (CORS), comma-separated; any origin when empty.
    #[arg(long, env = "ASEAN_GRAPH_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Request headers browser apps may send (CORS), comma-separated; by default the
    /// credentials, the body's type, and the tracing and client headers clients add.
    #[arg(
        long,
        env = "ASEAN_GRAPH_CORS_ALLOW_HEADERS",
        value_delimiter = ',',
        value_name = "NAMES",
        default_values = server::DEFAULT_CORS_ALLOW_HEADERS
    )]
    pub cors_allow_headers: Vec<String>,
    /// Sites that may show the pages in a frame, separated by spaces (e.g. "https://a.example
    /// https://b.example"); no site may when unset (Content-Security-Policy frame-ancestors).
    #[arg(long, env = "ASEAN_GRAPH_FRAME_ANCESTORS", value_name = "SOURCES")]
    pub frame_ancestors: Option<FrameAncestors>,
    /// The largest request body, in bytes (and the largest /ws message).
    #[arg(long, env = "ASEAN_GRAPH_MAX_BODY", default_value_t = 256 * 1024)]
    pub max_body: usize,
    /// Operations one /ws socket may run at once (one more is refused with RATE_LIMITED).
    #[arg(
        long,
        env = "ASEAN_GRAPH_MAX_SUBSCRIPTIONS_PER_SOCKET",
        default_value_t = 100
    )]
    pub max_subscriptions_per_socket: usize,
    /// Write tokens, `name:role:secret` entries separated by commas (roles: reader, editor,
    /// admin). Without tokens, writes are off.
    #[arg(long, env = "ASEAN_GRAPH_TOKENS", hide_env_values = true)]
    pub tokens: Option<String>,
    /// A file of tokens, one `name:role:secret` entry per line.
    #[arg(long, env = "ASEAN_GRAPH_TOKENS_FILE")]
    pub tokens_file: Option<std::path::PathBuf>,
    /// Require a token (any role) for reads too.
    #[arg(long, env = "ASEAN_GRAPH_READ_NEEDS_TOKEN")]
    pub read_needs_token: bool,
    /// Requests a second each client may make to /graphql (0: no limit).
    #[arg(long, env = "ASEAN_GRAPH_RATE_LIMIT", default_value_t = 50.0)]
    pub rate_limit: f64,
    /// Take the client's address from X-Forwarded-For (only behind a proxy that sets it).
    #[arg(long, env = "ASEAN_GRAPH_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Requests run at once; more are turned away with 503 at once.
    #[arg(long, env = "ASEAN_GRAPH_MAX_IN_FLIGHT", default_value_t = 64)]
    pub max_in_flight: usize,
    /// How long one request may run, in milliseconds (503 after it); a write that has begun
    /// commits and is answered, however long it takes.
    #[arg(long, env = "ASEAN_GRAPH_TIMEOUT_MS", default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// How long a POST body may take to arrive, in milliseconds (408 after it); it is read
    /// whole before the request takes an in-flight slot.
    #[arg(long, env = "ASEAN_GRAPH_BODY_TIMEOUT_MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout_ms: u64,
    /// How long a request's headers may take, in milliseconds, counted from when the
    /// connection opens or its previous response was sent; an idle or half-sent
    /// connection is closed after it.
    #[arg(long, env = "ASEAN_GRAPH_HEADER_TIMEOUT_MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_ms: u64,
    /// Connections open at once; one more is closed as soon as it is accepted (0: no cap).
    #[arg(long, env = "ASEAN_GRAPH_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,
    /// Connections open at once from one client address (0: no cap); raise it behind a
    /// proxy, whose connections all come from its one address.
    #[arg(
        long,
        env = "ASEAN_GRAPH_MAX_CONNECTIONS_PER_CLIENT",
        default_value_t = 64
    )]
    pub max_connections_per_client: usize,
    /// A trusted-documents manifest (JSON object of sha256 → document): only its documents run.
    #[arg(long, env = "ASEAN_GRAPH_TRUSTED_DOCUMENTS")]
    pub trusted_documents: Option<std::path::PathBuf>,
    /// The deepest query accepted.
    #[arg(long, env = "ASEAN_GRAPH_MAX_DEPTH", default_value_t = 15)]
    pub max_depth: usize,
    /// The most complex query accepted (a connection costs its page size times its selection).
    #[arg(long, env = "ASEAN_GRAPH_MAX_COMPLEXITY", default_value_t = 200_000)]
    pub max_complexity: usize,
    /// How deep brackets may nest in a document: selections, arguments, lists, objects (1 to 64).
    #[arg(long, env = "ASEAN_GRAPH_MAX_NESTING", default_value_t = 32,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub max_nesting: u16,
    /// The most aliases in one document.
    #[arg(long, env = "ASEAN_GRAPH_MAX_ALIASES", default_value_t = 30)]
    pub max_aliases: usize,
    /// The most fields written in one document.
    #[arg(long, env = "ASEAN_GRAPH_MAX_FIELDS", default_value_t = 500)]
    pub max_fields: usize,
    /// The largest GraphQL document accepted, in bytes.
    #[arg(long, env = "ASEAN_GRAPH_MAX_DOCUMENT", default_value_t = 32 * 1024)]
    pub max_document: usize,
    /// The largest answer to one request (all the queries of a batch), in bytes of JSON:
    /// past it the query running stops, and so does the rest of the batch.
    #[arg(long, env = "ASEAN_GRAPH_MAX_RESPONSE", default_value_t = 2 << 20)]
    pub max_response: usize,
    /// The most reads of the store one request may make (a batch, or the operations a
    /// socket runs at once) for its counts, filters, orderings, aggregates and searches (a
    /// million take one to two seconds): a query priced above what is left is refused before it runs,
    /// and a field that runs out fails with QUERY_TOO_COMPLEX.
    #[arg(
        long,
        env = "ASEAN_GRAPH_MAX_FILTER_READS",
        default_value_t = 1_000_000
    )]
    pub max_filter_reads: u64,
    /// The most operations in one batched request (a JSON array body).
    #[arg(long, env = "ASEAN_GRAPH_MAX_BATCH", default_value_t = 10)]
    pub max_batch: usize,
    /// Refuse introspection (and field suggestions), e.g. with trusted documents in production.
    #[arg(long, env = "ASEAN_GRAPH_NO_INTROSPECTION")]
    pub no_introspection: bool,
    /// Refuse the Apollo Federation fields `_service` and `_entities` (served by default,
    /// hidden from introspection), when no gateway composes this API (docs/gateway.md).
    #[arg(long, env = "ASEAN_GRAPH_NO_FEDERATION")]
    pub no_federation: bool,
    /// Serve this JSON file at /static.json (the load benchmark's ceiling).
    #[arg(long, env = "ASEAN_GRAPH_STATIC_JSON")]
    pub static_json: Option<std::path::PathBuf>,
    /// The store's page cache, in MiB.
    #[arg(long, env = "ASEAN_GRAPH_CACHE_MB", default_value_t = 16)]
    pub cache_mb: u64,
    /// MiB of answers kept for repeated queries, each until the next write (0: off).
    #[arg(long, env = "ASEAN_GRAPH_RESPONSE_CACHE_MB", default_value_t = 32)]
    pub response_cache_mb: usize,
    /// Send traces to this OpenTelemetry collector over OTLP/HTTP (an http:// URL; with no
    /// path, /v1/traces is added), continuing each request's W3C traceparent. Off when unset.
    #[arg(long, env = "ASEAN_GRAPH_OTLP_ENDPOINT", value_name = "URL")]
    pub otlp_endpoint: Option<Endpoint>,
}

impl ServeArgs {
    /// The options `serve` would have with no flags: defaults and environment variables.
    pub fn default_from_env() -> ServeArgs {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            args: ServeArgs,
        }
        <Only as clap::Parser>::parse_from(["asean-graph"]).args
    }
}

pub fn run(data: &Path, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new()?;
    // The exporter's batch runs on the runtime; logging starts with its layer, if any.
    let exporter = match &args.otlp_endpoint {
        None => None,
        Some(endpoint) => {
            let _inside = runtime.enter();
            Some(Exporter::start(endpoint).map_err(anyhow::Error::msg)?)
        }
    };
    super::init_logging(exporter.as_ref().map(|e| telemetry::layer(e.tracer())));
    if let Some(endpoint) = &args.otlp_endpoint {
        tracing::info!(%endpoint, "traces exported over OTLP/HTTP");
    }
    let served = serve(&runtime, data, args, exporter.is_some());
    // Spans still batched are sent while the runtime (which sends them) still runs.
    if let Some(exporter) = exporter {
        exporter.shutdown();
    }
    served
}

fn serve(
    runtime: &tokio::runtime::Runtime,
    data: &Path,
    args: &ServeArgs,
    trace: bool,
) -> anyhow::Result<ExitCode> {
    // Every piece of configuration is read and checked before the store is touched: a bad
    // one refuses to start and leaves the data directory as it was (not even created).
    let config = Config {
        trace,
        ..config(args)?
    };
    let options = Options {
        cache_bytes: args.cache_mb << 20,
        ..Options::default()
    };
    let store = Store::open_with(data, &options)?;
    if store.is_empty()? {
        let report = dataset::import(&store, dataset::BUNDLED.as_bytes(), Mode::Refuse)
            .context("loading the bundled dataset")?;
        tracing::info!("empty store: {report} from the bundled dataset");
    }
    // Measured now, so the first client does not wait for the scan (see `store::FanOut`).
    let started = std::time::Instant::now();
    store.fan_out()?;
    tracing::info!(
        millis = started.elapsed().as_millis(),
        "store fan-out measured"
    );
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let addr = listener.local_addr()?;
        println!(
            "asean-graph: serving {} on http://{addr}/ (GraphiQL), API at http://{addr}/graphql",
            data.display()
        );
        server::serve_on(listener, Arc::new(store), config, server::shutdown_signal()).await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The server's configuration from the arguments: tokens, the trusted-documents manifest and
/// the static JSON file read and checked.
fn config(args: &ServeArgs) -> anyhow::Result<Config> {
    let mut token_text = args.tokens.clone().unwrap_or_default();
    if let Some(file) = &args.tokens_file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the tokens file {}", file.display()))?;
        token_text.push('\n');
        token_text.push_str(&text);
    }
    let tokens = Tokens::parse(&token_text).map_err(|e| anyhow::anyhow!("tokens: {e}"))?;
    if tokens.is_empty() {
        tracing::info!("no tokens configured: writes are off (set ASEAN_GRAPH_TOKENS)");
    }
    let access = Access {
        tokens,
        read_needs_token: args.read_needs_token,
    };
    let trusted_documents = match &args.trusted_documents {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let manifest =
                Manifest::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            tracing::info!(
                "trusted documents only: {} in the manifest",
                manifest.0.len()
            );
            Some(Arc::new(manifest))
        }
    };
    let config = Config {
        graphql: crate::graphql::Options {
            access: Arc::new(access),
            limits: crate::graphql::Limits {
                max_depth: args.max_depth,
                max_complexity: args.max_complexity,
                max_aliases: args.max_aliases,
                max_fields: args.max_fields,
                max_document_bytes: args.max_document,
                max_nesting: usize::from(args.max_nesting),
                max_answer_bytes: args.max_response,
                max_filter_reads: args.max_filter_reads,
                ..Default::default()
            },
            no_introspection: args.no_introspection,
            no_federation: args.no_federation,
            // The server sets it from `Config::trace`.
            trace: false,
        },
        rate_limit: args.rate_limit,
        max_batch: args.max_batch,
        trust_forwarded_for: args.trust_forwarded_for,
        max_in_flight: args.max_in_flight,
        request_timeout: std::time::Duration::from_millis(args.timeout_ms),
        body_timeout: std::time::Duration::from_millis(args.body_timeout_ms),
        header_timeout: std::time::Duration::from_millis(args.header_timeout_ms),
        max_connections: args.max_connections,
        max_connections_per_client: args.max_connections_per_client,
        trusted_documents,
        static_json: match &args.static_json {
            None => None,
            Some(path) => Some(
                std::fs::read(path)
                    .with_context(|| format!("cannot read {}", path.display()))?
                    .into(),
            ),
        },
        listen: args.listen,
        cors_origins: args.cors_origins.clone(),
        cors_allow_headers: server::header_names(&args.cors_allow_headers)
            .map_err(|e| anyhow::anyhow!("--cors-allow-headers: {e}"))?,
        frame_ancestors: args.frame_ancestors.clone().unwrap_or_default(),
        max_body_bytes: args.max_body,
        response_cache_bytes: args.response_cache_mb << 20,
        max_subscriptions_per_socket: args.max_subscriptions_per_socket,
        ..Config::default()
    };
    Ok(config)
}
