//! The GraphQL schema: objects, queries, limits, error codes. Never names axum or sled.

pub mod aggregate;
pub mod auth;
pub mod budget;
pub mod client_cache;
mod codes;
pub mod connection;
mod cursor;
mod documents;
pub mod enums;
pub mod error;
pub(crate) mod fanout;
pub mod filter;
pub(crate) mod history;
pub(crate) mod integers;
pub mod limits;
mod mutation;
pub mod naming;
pub mod nesting;
pub mod order;
pub mod price;
mod query;
mod relationships;
pub mod scalars;
pub mod scan;
mod search;
mod shape;
pub mod subgraph;
pub mod trace;
pub mod types;

use crate::store::Store;
use async_graphql::{MergedObject, Request, Response, Schema, ServerError};
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

pub use auth::{Access, Caller, Role, Tokens};
pub use history::Subscription;
pub use limits::Limits;
pub use mutation::Mutation;

/// The root query: records, lists, search, and the change log.
#[derive(MergedObject, Default)]
pub struct Query(
    query::RecordQuery,
    relationships::RelationshipQuery,
    history::HistoryQuery,
    subgraph::SubgraphQuery,
);

// [`Query`] less the federation's fields (`_service`, `_entities`), which introspection
// hides but SDL export would print: the root of `schema.graphql`. (Its doc comment is the
// description `Query` has in the SDL, so it must stay the same as `Query`'s.)
/// The root query: records, lists, search, and the change log.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
struct PlainQuery(
    query::RecordQuery,
    relationships::RelationshipQuery,
    history::HistoryQuery,
);

/// The schema type served.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// How the schema is served: who may do what, and the query limits.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub access: Arc<Access>,
    pub limits: Limits,
    /// Whether clients may ask the schema about itself (and get field suggestions).
    pub no_introspection: bool,
    /// Whether the federation's `_service` and `_entities` are refused (they are served by
    /// default, hidden from introspection; see [`subgraph`]).
    pub no_federation: bool,
    /// One span per operation (see [`trace`]); off, an operation pays nothing for it.
    pub trace: bool,
}

/// Builds the schema over `store`.
pub fn build_schema(store: Arc<Store>, options: &Options) -> AppSchema {
    let mut builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(store)
        .data(Arc::clone(&options.access));
    if options.trace {
        // First, so its span covers the limits' checks and their refusals too.
        builder = builder.extension(trace::TraceExtension);
    }
    let limits = Arc::new(Limits {
        introspection: !options.no_introspection,
        federation: !options.no_federation,
        ..options.limits.clone()
    });
    builder = builder
        // Resolvers read the limits that bound their own work (a filter's reads).
        .data(Arc::clone(&limits))
        // Our own check of nested selections (in the limits) runs first and says more.
        .limit_recursive_depth(limits::MAX_NESTING)
        .extension(limits::LimitsExtension::new(limits))
        // Names an operation its request leaves unnamed, for the logs and metrics.
        .extension(naming::OperationNaming);
    if options.no_introspection {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The SDL that `schema.graphql` holds: what a plain client sees, without the federation's
/// fields (see [`subgraph::federation_sdl`] for the subgraph's SDL).
pub fn sdl() -> String {
    Schema::build(PlainQuery::default(), Mutation::default(), Subscription)
        .finish()
        .sdl()
}

/// Runs a request. Errors raised before execution (a malformed document, an unknown field or
/// enum value, a bad variable) get the code `BAD_USER_INPUT`; a panic in a resolver becomes
/// one `INTERNAL` error with a logged id, never a dropped connection.
pub async fn execute(schema: &AppSchema, request: Request) -> Response {
    match AssertUnwindSafe(schema.execute(request))
        .catch_unwind()
        .await
    {
        Ok(mut response) => {
            if let Some(stopped) = response.errors.iter().find(|e| limits::is_stopped(e)) {
                // Every field left to run failed with the same error: one says it all, and
                // a half-answered query is no answer.
                let stopped = stopped.clone();
                response.data = async_graphql::Value::Null;
                response.errors = vec![stopped];
            }
            bound_errors(&mut response.errors);
            for e in &mut response.errors {
                tag_uncoded(e);
            }
            response
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            let e = error::internal(format!("resolver panicked: {what}"));
            Response::from_errors(vec![e.into_server_error(async_graphql::Pos::default())])
        }
    }
}

/// The most errors one answer lists.
pub const MAX_ERRORS: usize = 100;

/// Keeps the first [`MAX_ERRORS`] − 1 errors and one saying how many more there were: a
/// 32 KB document can hold thousands of mistakes (an unknown variable 8,000 times), and each
/// would be an error of its own, an answer of megabytes.
pub fn bound_errors(errors: &mut Vec<ServerError>) {
    if errors.len() <= MAX_ERRORS {
        return;
    }
    let more = errors.len() - (MAX_ERRORS - 1);
    errors.truncate(MAX_ERRORS - 1);
    let mut e = ServerError::new(
        format!(
            "… and {more} more errors, not listed (an answer lists {MAX_ERRORS} at most); fix the ones above and ask again"
        ),
        None,
    );
    e.extensions
        .get_or_insert_with(Default::default)
        .set("code", error::BAD_USER_INPUT);
    errors.push(e);
}

/// Gives an error without a code the code `BAD_USER_INPUT` (only parsing and validation
/// produce such errors; every resolver error carries its own), and cuts a long message
/// (see [`error::bounded`]).
pub fn tag_uncoded(e: &mut ServerError) {
    if e.message.len() > error::MAX_MESSAGE {
        e.message = error::bounded(&e.message).into_owned();
    }
    let ext = e.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", error::BAD_USER_INPUT);
    }
}
