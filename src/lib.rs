//! asean-graph: a GraphQL API over an embedded database holding the graph of ASEAN
//! cooperation — bodies, member states, partners, meetings, initiatives and who funds what.
//!
//! Layers, each using only those before it: [`model`] ← [`store`] ← [`dataset`] ←
//! [`graphql`] ← [`server`] / [`cli`].

#[expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the CLI's interface is what it prints; everything else logs with tracing"
)]
pub mod cli;
pub mod dataset;
pub mod graphql;
pub mod model;
pub mod server;
pub mod store;
