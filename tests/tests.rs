//! The integration tests, as one binary (one link, one run).

/// The read API through the real server over HTTP.
mod http;
/// `schema.graphql` drift and descriptions.
mod schema;
