//! The integration tests, as one binary (one link, one run).

/// The standing adversarial suite: every finding of the hardening rounds, replayed.
mod adversarial;
/// The command line end to end through the real binary.
mod cli;
/// Shared helpers: temporary stores, fixtures, the bundled dataset.
mod common;
/// Acknowledged writes survive kill -9 (the CLI server as a child process).
mod durability;
/// Property tests: random documents through the schema, mutated import files.
mod fuzz;
/// The read API through the real server over HTTP.
mod http;
/// Import and export of the interchange format, and the CLI end to end.
mod import;
/// One set of rules for import, merge, writes and check: each hole closed, by name.
mod integrity;
/// The property: whatever check calls clean exports and imports back.
mod integrity_property;
/// Query and request limits, persisted queries, caching, metrics.
mod limits;
/// The README's report outputs and example queries are current and run.
mod readme;
/// `schema.graphql` drift and descriptions.
mod schema;
/// The store: corruption found by check, a model-based test of writes, bundled answers.
mod store;
/// Mutations, access, integrity, concurrent writers: through the real server.
mod writes;
/// Live changes over /ws, both subprotocols, with a real WebSocket client.
mod ws;
/// The WebSocket client of the /ws tests.
mod ws_client;
/// /ws keeps to its protocols: close codes, error messages, limits, shutdown.
mod ws_conformance;
