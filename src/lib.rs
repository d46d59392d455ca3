//! asean-graph: a GraphQL API over an embedded database holding the graph of ASEAN
//! cooperation — bodies, member states, partners, meetings, initiatives and who funds what.
//!
//! Layers, each using only those before it: [`model`] ← [`store`] ← [`dataset`] ←
//! [`graphql`] ← [`server`] / [`cli`].

pub mod cli;
pub mod dataset;
pub mod graphql;
pub mod model;
pub mod server;
pub mod store;
