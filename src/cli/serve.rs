//! `serve` (also what `asean-graph` does with no command).

use crate::dataset::{self, Mode};
use crate::graphql::{Access, Tokens};
use crate::server::{self, Config};
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
    /// The largest request body, in bytes.
    #[arg(long, env = "ASEAN_GRAPH_MAX_BODY", default_value_t = 256 * 1024)]
    pub max_body: usize,
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
    /// The store's page cache, in MiB.
    #[arg(long, env = "ASEAN_GRAPH_CACHE_MB", default_value_t = 64)]
    pub cache_mb: u64,
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
    let options = Options {
        cache_bytes: args.cache_mb << 20,
    };
    let store = Store::open_with(data, &options)?;
    if store.is_empty()? {
        let report = dataset::import(&store, dataset::BUNDLED.as_bytes(), Mode::Refuse)
            .context("loading the bundled dataset")?;
        tracing::info!("empty store: {report} from the bundled dataset");
    }
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
    let config = Config {
        graphql: crate::graphql::Options {
            access: Arc::new(access),
            ..Default::default()
        },
        listen: args.listen,
        cors_origins: args.cors_origins.clone(),
        max_body_bytes: args.max_body,
        ..Config::default()
    };
    let runtime = tokio::runtime::Runtime::new()?;
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
