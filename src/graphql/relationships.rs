//! `relationships(…)`: the graph's links themselves, with their provenance, for questions
//! about links ("which lead-body links rest on general knowledge alone?").

// One Rust argument per GraphQL argument.
#![allow(clippy::too_many_arguments)]

use super::connection::{Backing, Conn, Window, connection, store};
use super::enums::RelationshipKind;
use super::error::{GqlResult, bad_input};
use super::filter::{Of, all_of, reads};
use super::types::Relationship;
use crate::model::filter::{Filter, Subject};
use crate::model::search::phrase;
use crate::model::{EdgeKind, NodeRef};
use crate::store::{EdgeId, Item, ReadBudget};
use async_graphql::{Context, ID, Object, Result};
use std::sync::Arc;

/// The root's list of relationships.
#[derive(Default)]
pub struct RelationshipQuery;

#[Object]
impl RelationshipQuery {
    /// Relationships of every kind (or of `kind`), by kind, then `from`, then `to`: each
    /// with its sources and whether it is verified. `from` or `to` narrows to one record's
    /// links; `verified: false` finds the links that rest on general knowledge alone;
    /// `role` finds participants by their role's words.
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn relationships(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only relationships of this kind.")] kind: Option<RelationshipKind>,
        #[graphql(desc = "Only those starting at this record (its global id).")] from: Option<ID>,
        #[graphql(desc = "Only those pointing to this record (its global id).")] to: Option<ID>,
        #[graphql(
            desc = "Only those resting on some source other than general knowledge (true), or on general knowledge alone (false)."
        )]
        verified: Option<bool>,
        #[graphql(
            desc = "Cited by at least one of these sources (their codes, e.g. [\"S2\", \"P37\"])."
        )]
        sourced_by: Option<Vec<String>>,
        #[graphql(
            desc = "Only participant links whose role holds these words, whole and in order, case and accents aside (\"organiser\" finds \"host and organiser\")."
        )]
        role: Option<String>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Relationship>> {
        let window = Window::new(first, after, last, before)?;
        let store = store(ctx);
        let end = |name: &str, id: Option<ID>| -> Result<Option<NodeRef>> {
            id.map(|id| NodeRef::parse(&id).map_err(|e| bad_input(format!("{name}: {e}"))))
                .transpose()
        };
        let (from, to) = (end("from", from)?, end("to", to)?);
        let role = role
            .map(|role| match phrase(&role) {
                words if words.is_empty() => Err(bad_input(format!(
                    "role: {role:?} holds no word to look for"
                ))),
                words => Ok(words),
            })
            .transpose()?;
        let budget = Arc::new(ReadBudget::sharing(
            Arc::clone(ctx.data_unchecked()),
            reads(ctx),
            "filter",
        ));
        let backing = match (&from, &to) {
            (None, None) => Backing::Listing(store.list_edges_of(kind.map(Into::into))),
            (Some(node), _) | (None, Some(node)) => {
                let outgoing = from.is_some();
                let kinds: Vec<EdgeKind> = kind.map_or(EdgeKind::ALL.to_vec(), |k| vec![k.into()]);
                let mut items = Vec::new();
                for k in kinds {
                    let edges = if outgoing {
                        store.edges_out(k, node)
                    } else {
                        store.edges_in(k, node)
                    };
                    for e in edges.gql()? {
                        budget.spend().gql()?;
                        items.push((EdgeId::of(&e).out_key(), Item::Edge(e)));
                    }
                }
                Backing::items(items)
            }
        };
        // The provenance conditions, as the record filters' `verified` and `sourcedBy`.
        let mut conditions = Vec::new();
        conditions.extend(verified.map(Filter::Verified));
        conditions.extend(sourced_by.map(Filter::SourcedBy));
        let test = all_of(conditions);
        let backing =
            if from.is_some() && to.is_some() || role.is_some() || !matches!(test, Filter::All) {
                backing.keep(move |item| {
                    budget.spend()?;
                    let Item::Edge(e) = item else {
                        return Ok(false);
                    };
                    Ok(to.as_ref().is_none_or(|t| &e.to == t)
                        && role.as_deref().is_none_or(|words| e.role_holds(words))
                        && test.passes(budget.as_ref(), Subject::Edge(e))?)
                })?
            } else {
                backing
            };
        connection(backing, Of::Relationships, &window, |item| match item {
            Item::Edge(e) => Ok(Some(Relationship(e))),
            Item::Node(_) | Item::Change(_) => Ok(None),
        })
    }
}
