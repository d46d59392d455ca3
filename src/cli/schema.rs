//! `schema`: the SDL that `schema.graphql` holds, the federation subgraph's SDL that
//! `subgraph.graphql` holds, or the client cache configuration that `clients/cache.mjs` holds.

use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the Apollo Federation v2 subgraph SDL instead (as `_service { sdl }` answers
    /// it, and subgraph.graphql holds it): every record type with its `@key`s, for composing
    /// a supergraph behind a gateway (docs/gateway.md).
    #[arg(long, conflicts_with = "client_cache")]
    pub federation: bool,
    /// Print instead the ES module configuring Apollo Client's and urql's normalized caches
    /// for this schema (clients/cache.mjs; see docs/caching.md).
    #[arg(long)]
    pub client_cache: bool,
}

pub fn run(args: &SchemaArgs) -> anyhow::Result<ExitCode> {
    if args.federation {
        print!("{}", crate::graphql::subgraph::federation_sdl());
    } else if args.client_cache {
        print!("{}", crate::graphql::client_cache::served());
    } else {
        print!("{}", crate::graphql::sdl());
    }
    Ok(ExitCode::SUCCESS)
}
