//! The integration tests, as one binary (one link, one run).

// Tests, not the library (Cargo.toml's lints are for src/): a failed unwrap is a failed
// test, and test helpers convert counts and sizes freely.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_lossless
)]
#![allow(clippy::cast_precision_loss, clippy::cast_possible_wrap)]

/// The standing adversarial suite: every finding of the hardening rounds, replayed.
mod adversarial;
/// `aggregate` and `groupedAggregates`.
mod aggregates;
/// Who may write: the access matrix, the Authorization header, token configuration.
mod auth;
/// Bad input to writes: its code, a message naming the field, nothing changed.
mod bad_input;
/// The bulk load into an empty store: all of it, or emptied again if interrupted.
mod bulk_load;
/// Changes have ids of their own, and seqs without gaps.
mod change_ids;
/// The command line end to end through the real binary.
mod cli;
/// What the feature tests share: stores, fixtures, servers, tokens, clients, the fuzz harness.
mod common;
/// `completions SHELL` and `man`: every subcommand and flag, as clap defines them.
mod completions_and_man;
/// Connections held to their limits: header timeout, caps, slow bodies, shutdown.
mod connections;
/// Referential integrity, indexes and concurrent writers, with `check` clean afterwards.
mod consistency;
/// docs/coverage.md, run: every fact of the articles answered as the table says.
mod coverage;
/// Decisions, earlier relations, proposals, open lists and publication times as fields.
mod decisions;
/// Records decoded once are shared until the next write.
mod decoded;
/// The counts README.md and docs/ write are the bundled store's.
mod doc_counts;
/// The cache of parsed documents: same answers, and request checks made every time.
mod documents;
/// Acknowledged writes survive kill -9 (the CLI server as a child process).
mod durability;
/// The graph explorer at /explore: its files served, its GraphQL operations run under the
/// default limits.
mod explore;
/// Filters held to their limits and served by the indexes: abusive forms refused, indexed
/// filters within a small read budget, the index path equal to a scan.
mod filter_limits;
/// `filter:` on the root lists: operators, and/or/not, relations, provenance, errors.
mod filters;
/// The property: random filter trees through the API agree with a plain evaluator.
mod filters_property;
/// Floods: rate limits, shedding past the in-flight cap, slow and oversized requests.
mod floods;
/// Property tests: random documents through the schema, mutated import files.
mod fuzz;
/// GraphiQL's page: its vendored files, and the documented questions it offers as tabs.
mod graphiql;
/// The read API through the real server over HTTP.
mod http;
/// ETags, private answers, the answer cache and writes, `/metrics`' operation names.
mod http_caching;
/// Import and export of the interchange format, and the CLI end to end.
mod import;
/// Whole numbers checked against their field's range where they enter, never served wrapped.
mod integers;
/// One set of rules for import, merge, writes and check: each hole closed, by name.
mod integrity;
/// The property: whatever check calls clean exports and imports back.
mod integrity_property;
/// A keep-alive connection carries a client's requests through refusals (429, 503).
mod keep_alive;
/// Query and request limits, persisted queries, caching, metrics.
mod limits;
/// Relationship writes: links, participants, fundings, chairs, statuses, figures, claims.
mod links;
/// `import --merge` in batches, all or nothing: killed midway, the store is as before.
mod merge;
/// `orderBy:` on the root lists: each field, several keys, pagination, cursors, limits.
mod ordering;
/// Persisted queries and trusted documents.
mod persisted;
/// Long work (import, export, check, generate) reports every phase it announces; off a
/// terminal, no bar.
mod progress;
/// Facts in structured fields and provenance on every link: meeting figures, status and
/// links, one record per summit, recommended apart from adopted, people's roles, partner
/// status stages, `relationships`, `Source.supports`.
mod provenance;
/// The documented outputs (README.md, docs/*.md): reports' CSV and example queries' answers
/// are current, and the examples run.
mod readme;
/// `schema.graphql` drift and descriptions.
mod schema;
/// Search as a ranked top-k connection: the index read equals the ranking of every record.
mod search;
/// Security headers on every answer: the CSP the pages run under, framing, nosniff,
/// no-referrer.
mod security_headers;
/// The in-memory snapshots follow every write.
mod snapshots;
/// Source URLs parsed: http(s) with a host, nothing that breaks out of markup.
mod source_urls;
/// A load and a check whose sorted entries spill to disk do what ones held in memory do.
mod spill;
/// The store: corruption found by check, a model-based test of writes, bundled answers.
mod store;
/// An import streams its file into an empty store, and a fault leaves it empty.
mod streamed_import;
/// The Apollo Federation v2 subgraph: `_service`, `_entities`, hidden from plain clients.
mod subgraph;
/// What the store keeps about itself in meta (the tally, the fan-out) follows every write.
mod tally;
/// Spans per request and operation, a caller's traceparent continued, OTLP export.
mod tracing;
/// `upgrade` from the earlier store formats: the committed fixtures upgraded, every answer kept.
mod upgrade;
/// Record writes and their history, and the write client the other write tests share.
mod writes;
/// Live changes over /ws, both subprotocols, with a real WebSocket client.
mod ws;
/// /ws keeps to its protocols: close codes, error messages, limits, shutdown.
mod ws_conformance;
