//! Apollo Federation v2: this API as a subgraph behind a gateway.
//!
//! Every `Node` type is an entity, found by `@key(fields: "id")` and, where it has a code,
//! `@key(fields: "code")`. The gateway reads the subgraph's SDL from `_service { sdl }`
//! ([`federation_sdl`], also `asean-graph schema --federation`) and fetches records by key
//! from `_entities(representations:)`, which reads the store as `node(id:)` and
//! `partner(code:)` … do.
//!
//! Both fields, and their types `_Service`, `_Entity` and `_Any`, are hidden from
//! introspection and absent from `schema.graphql`: a plain client sees the schema it saw
//! before. They are implemented here rather than by async-graphql's entity resolvers, whose
//! `_entities` costs 1 however many representations it is sent, fails the whole list on one
//! bad representation with "Entity not found.", and shows itself in introspection.

use super::connection::{list_cost_of, store};
use super::error::{BAD_USER_INPUT, bad_input, coded};
use super::history::Change;
use super::query::{node_by_code, node_by_id};
use super::types::{Body, Initiative, Meeting, Member, Node, Partner, Person, Source};
use super::{Mutation, Query, Subscription};
use crate::model::NodeKind;
use crate::store::Store;
use async_graphql::{
    Any, Context, Object, Result, SDLExportOptions, Schema, SimpleObject, Union, Value,
};
use std::sync::LazyLock;

/// The most representations one `_entities` call takes. A gateway sends one per distinct
/// record a query plan joins, and this store holds a few hundred records of a kind; a
/// larger batch is refused whole, before anything is read.
pub const MAX_REPRESENTATIONS: usize = 1_000;

/// The entity types and their keys: one line a type. The union `_Entity`, the `@key`
/// directives of the SDL and the lookups of `_entities` all come from this table. A type
/// keyed by `"id"` alone (its global id, `"<Type>:<…>"`) resolves through `node(id:)`'s
/// read; one keyed by `"code"` too must be a [`NodeKind`] of the same name. A `Node` type
/// missing here fails to compile (the conversion from `Node` below is exhaustive).
macro_rules! entities {
    ($($ty:ident => [$($key:literal),+];)*) => {
        /// A record a gateway asks for by key.
        #[derive(Union)]
        #[graphql(name = "_Entity", visible = false)]
        pub enum Entity {
            $($ty($ty),)*
        }

        impl From<Node> for Entity {
            fn from(n: Node) -> Entity {
                match n {
                    $(Node::$ty(x) => Entity::$ty(x),)*
                }
            }
        }

        /// Each entity type with its keys, in the order the SDL declares them.
        pub const KEYS: &[(&str, &[&str])] = &[$((stringify!($ty), &[$($key),+]),)*];
    };
}

entities! {
    Member => ["id", "code"];
    Partner => ["id", "code"];
    Body => ["id", "code"];
    Meeting => ["id", "code"];
    Initiative => ["id", "code"];
    Person => ["id", "code"];
    Source => ["id", "code"];
    Change => ["id"];
}

/// The keys of entity type `typename`, if it is one.
fn keys_of(typename: &str) -> Option<&'static [&'static str]> {
    KEYS.iter().find(|(t, _)| *t == typename).map(|(_, k)| *k)
}

/// The subgraph's SDL: `schema.graphql`'s types (less the subscription, which a gateway
/// does not route) with the federation v2 `@link` and each entity type's `@key`s.
pub fn federation_sdl() -> String {
    let sdl = Schema::build(Query::default(), Mutation::default(), Subscription)
        .finish()
        .sdl_with_options(SDLExportOptions::new().federation());
    let mut out = String::with_capacity(sdl.len() + 64 * KEYS.len());
    for line in sdl.split_inclusive('\n') {
        let keys = line
            .strip_prefix("type ")
            .and_then(|rest| rest.split([' ', '{', '\n']).next())
            .and_then(keys_of);
        match (keys, line.trim_end().strip_suffix(" {")) {
            (Some(keys), Some(head)) => {
                out.push_str(head);
                for key in keys {
                    out.push_str(&format!(" @key(fields: \"{key}\")"));
                }
                out.push_str(" {\n");
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// [`federation_sdl`], made once.
static SDL: LazyLock<String> = LazyLock::new(federation_sdl);

/// What `_service` answers: the subgraph's SDL.
#[derive(SimpleObject)]
#[graphql(name = "_Service", visible = false)]
pub struct Service {
    /// The subgraph's SDL, with its federation directives.
    sdl: Option<String>,
}

/// The federation's root fields, merged into `Query` and hidden from introspection.
#[derive(Default)]
pub struct SubgraphQuery;

/// The federation's root fields.
#[Object]
impl SubgraphQuery {
    /// The subgraph's SDL, for a gateway composing a supergraph.
    #[graphql(name = "_service", visible = false)]
    async fn service(&self) -> Service {
        Service {
            sdl: Some(SDL.clone()),
        }
    }

    /// The records the representations name, in their order: null where there is no such
    /// record, null and an error naming `representations[i]` where the representation is
    /// malformed.
    #[graphql(
        name = "_entities",
        visible = false,
        complexity = "list_cost_of(representations.len(), child_complexity)"
    )]
    async fn entities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`{ __typename, id }` or `{ __typename, code }`, one per record.")]
        representations: Vec<Any>,
    ) -> Result<Vec<Option<Result<Entity>>>> {
        if representations.len() > MAX_REPRESENTATIONS {
            return Err(coded(
                BAD_USER_INPUT,
                format!(
                    "representations: {} sent; the limit is {MAX_REPRESENTATIONS} a call",
                    representations.len()
                ),
            ));
        }
        let store = store(ctx);
        Ok(representations
            .iter()
            .enumerate()
            .map(|(i, r)| entity(store, i, &r.0).transpose())
            .collect())
    }
}

/// The record representation `i` names, or an error naming it.
fn entity(store: &Store, i: usize, representation: &Value) -> Result<Option<Entity>> {
    let at = format!("representations[{i}]");
    let Value::Object(fields) = representation else {
        return Err(bad_input(format!(
            "{at}: expected an object with \"__typename\" and a key, \"id\" or \"code\""
        )));
    };
    let typename = match fields.get("__typename") {
        Some(Value::String(t)) => t.as_str(),
        Some(_) => return Err(bad_input(format!("{at}.__typename: not a string"))),
        None => return Err(bad_input(format!("{at}: no \"__typename\""))),
    };
    let Some(keys) = keys_of(typename) else {
        let known = KEYS.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(", ");
        return Err(bad_input(format!(
            "{at}.__typename: {typename:?} is not an entity type of this subgraph ({known})"
        )));
    };
    let Some((key, value)) = keys.iter().find_map(|k| fields.get(*k).map(|v| (*k, v))) else {
        return Err(bad_input(format!(
            "{at}: no key; a {typename} is found by {}",
            keys.iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    };
    let Value::String(value) = value else {
        return Err(bad_input(format!("{at}.{key}: not a string")));
    };
    let arg = format!("{at}.{key}");
    let node = if key == "id" {
        if value.split_once(':').map(|(t, _)| t) != Some(typename) {
            return Err(bad_input(format!(
                "{arg}: {value:?} is not the id of a {typename} (\"{typename}:<code>\")"
            )));
        }
        node_by_id(store, &arg, value)?
    } else {
        let kind = NodeKind::from_type_name(typename)
            .ok_or_else(|| bad_input(format!("{arg}: a {typename} has no code")))?;
        node_by_code(store, kind, &arg, value)?
    };
    Ok(node.map(Entity::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entity_type_gets_its_keys_in_the_sdl() {
        let sdl = federation_sdl();
        for (ty, keys) in KEYS {
            let line = sdl
                .lines()
                .find(|l| l.starts_with(&format!("type {ty} ")))
                .unwrap();
            for key in *keys {
                assert!(line.contains(&format!("@key(fields: \"{key}\")")), "{line}");
            }
        }
        assert!(sdl.contains("https://specs.apollo.dev/federation/v2"));
    }
}
