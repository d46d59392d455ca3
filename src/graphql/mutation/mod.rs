//! Writes: token-guarded mutations, each one store transaction, validated by the model's
//! rules, logged, durable when acknowledged.

mod attributes;
mod inputs;
mod links;
mod nodes;
mod write;

use async_graphql::MergedObject;

/// The root mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    nodes::NodeMutation,
    links::LinkMutation,
    attributes::AttributeMutation,
);
