//! `schema`: the SDL that `schema.graphql` holds, or the client cache configuration that
//! `clients/cache.mjs` holds.

use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print instead the ES module configuring Apollo Client's and urql's normalized caches
    /// for this schema (clients/cache.mjs; see docs/caching.md).
    #[arg(long)]
    pub client_cache: bool,
}

pub fn run(args: &SchemaArgs) -> anyhow::Result<ExitCode> {
    if args.client_cache {
        print!("{}", crate::graphql::client_cache::served());
    } else {
        print!("{}", crate::graphql::sdl());
    }
    Ok(ExitCode::SUCCESS)
}
