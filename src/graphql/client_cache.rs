//! The configuration normalizing client caches need, derived from the schema: which types
//! have no `id` (values, cached inside the object holding them), which fields are
//! connections and which of their arguments pick a different list rather than a page, and
//! which types each union and interface stands for (so fragments match without guessing). It
//! is printed as an ES module, `clients/cache.mjs`, that sets up Apollo Client's
//! InMemoryCache and urql's graphcache (the code around the tables is
//! `client_cache.mjs`); a test keeps the committed file current, so a new list, argument or
//! type reaches client caches with the schema. It also holds the schema's shape as urql's
//! graphcache reads it: without one, graphcache writes an answer through every fragment of a
//! union, whatever the object's type, and warns of each field the other types have.

use async_graphql::parser::types::{
    BaseType, ServiceDocument, Type, TypeKind, TypeSystemDefinition,
};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// The arguments of a connection that choose a page rather than a list.
const PAGING: [&str; 4] = ["first", "after", "last", "before"];

/// The root types: they are never cached as objects.
const ROOTS: [&str; 3] = ["Query", "Mutation", "Subscription"];

/// The code that turns the tables into each client's configuration.
const CODE: &str = include_str!("client_cache.mjs");

/// What the tables say about the schema.
#[derive(Default)]
struct Tables {
    /// Object types without an `id`.
    values: Vec<String>,
    /// Object types with an `id` (records and changes), but not the roots.
    identified: Vec<String>,
    /// Per type, its connection fields and their list-choosing arguments.
    connections: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Per type, its fields holding values (not connections): whether each is a list.
    value_fields: BTreeMap<String, BTreeMap<String, bool>>,
    /// Per union and interface, the object types it stands for.
    possible_types: BTreeMap<String, Vec<String>>,
    /// The fields of `Query` that look one record up by its `code` or `id`: the same
    /// arguments always answer the same record.
    lookups: Vec<String>,
    /// The schema's shape for graphcache (`shape`).
    shape: Value,
}

fn named(ty: &Type) -> (&str, bool) {
    match &ty.base {
        BaseType::Named(name) => (name.as_str(), false),
        BaseType::List(inner) => (named(inner).0, true),
    }
}

fn tables(sdl: &str) -> Result<Tables, String> {
    let document = async_graphql::parser::parse_schema(sdl).map_err(|e| e.to_string())?;
    let objects: Vec<_> = document
        .definitions
        .iter()
        .filter_map(|d| match d {
            TypeSystemDefinition::Type(t) => match &t.node.kind {
                TypeKind::Object(o) => Some((t.node.name.node.as_str(), o)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut tables = Tables {
        shape: shape(&document),
        ..Tables::default()
    };
    for d in &document.definitions {
        if let TypeSystemDefinition::Type(t) = d
            && let TypeKind::Union(u) = &t.node.kind
        {
            tables.possible_types.insert(
                t.node.name.node.to_string(),
                u.members.iter().map(|m| m.node.to_string()).collect(),
            );
        }
    }
    for (name, object) in &objects {
        for interface in &object.implements {
            tables
                .possible_types
                .entry(interface.node.to_string())
                .or_default()
                .push((*name).to_owned());
        }
    }
    for (name, object) in &objects {
        let has_id = object.fields.iter().any(|f| f.node.name.node == "id");
        if ROOTS.contains(name) {
            continue;
        }
        if has_id {
            tables.identified.push((*name).to_owned());
        } else {
            tables.values.push((*name).to_owned());
        }
    }
    let is_record = |target: &str| {
        tables.identified.iter().any(|t| t == target)
            || tables
                .possible_types
                .get(target)
                .is_some_and(|types| types.iter().all(|t| tables.identified.contains(t)))
    };
    let lookups: Vec<String> = objects
        .iter()
        .filter(|(name, _)| *name == ROOTS[0])
        .flat_map(|(_, object)| &object.fields)
        .filter(|field| {
            let field = &field.node;
            let (target, list) = named(&field.ty.node);
            let by_key = field
                .arguments
                .iter()
                .any(|a| matches!(a.node.name.node.as_str(), "code" | "id"));
            !list && by_key && is_record(target)
        })
        .map(|field| field.node.name.node.to_string())
        .collect();
    tables.lookups = lookups;
    for (name, object) in &objects {
        for field in &object.fields {
            let field = &field.node;
            let (target, list) = named(&field.ty.node);
            let arguments: Vec<&str> = field
                .arguments
                .iter()
                .map(|a| a.node.name.node.as_str())
                .collect();
            let paged = arguments.contains(&"after");
            if target.ends_with("Connection") && paged {
                let keys = arguments
                    .iter()
                    .filter(|a| !PAGING.contains(a))
                    .map(|a| (*a).to_owned())
                    .collect();
                tables
                    .connections
                    .entry((*name).to_owned())
                    .or_default()
                    .insert(field.name.node.to_string(), keys);
            } else if tables.values.iter().any(|v| v == target) && holds_values(name) {
                tables
                    .value_fields
                    .entry((*name).to_owned())
                    .or_default()
                    .insert(field.name.node.to_string(), list);
            }
        }
    }
    Ok(tables)
}

/// The schema as graphcache's `schema` option reads it: an introspection result cut to what
/// graphcache uses (the root types; each object, interface and union type; each field's type
/// and its arguments' names; the interfaces an object implements and the members of a union).
fn shape(document: &ServiceDocument) -> Value {
    let types = || {
        document.definitions.iter().filter_map(|d| match d {
            TypeSystemDefinition::Type(t) => Some(&t.node),
            _ => None,
        })
    };
    let kinds: HashMap<&str, &str> = types()
        .map(|t| {
            let kind = match t.kind {
                TypeKind::Scalar => "SCALAR",
                TypeKind::Object(_) => "OBJECT",
                TypeKind::Interface(_) => "INTERFACE",
                TypeKind::Union(_) => "UNION",
                TypeKind::Enum(_) => "ENUM",
                TypeKind::InputObject(_) => "INPUT_OBJECT",
            };
            (t.name.node.as_str(), kind)
        })
        .collect();
    let type_ref = |ty: &Type| -> Value {
        fn of(ty: &Type, kinds: &HashMap<&str, &str>) -> Value {
            let base = match &ty.base {
                BaseType::Named(name) => {
                    // The built-in scalars are not declared in the SDL.
                    let kind = kinds.get(name.as_str()).copied().unwrap_or("SCALAR");
                    json!({ "kind": kind, "name": name.as_str() })
                }
                BaseType::List(inner) => json!({ "kind": "LIST", "ofType": of(inner, kinds) }),
            };
            if ty.nullable {
                base
            } else {
                json!({ "kind": "NON_NULL", "ofType": base })
            }
        }
        of(ty, &kinds)
    };
    let named = |kind: &str, names: &[async_graphql::Positioned<async_graphql::Name>]| -> Value {
        names
            .iter()
            .map(|n| json!({ "kind": kind, "name": n.node.as_str() }))
            .collect()
    };
    let described: Vec<Value> = types()
        .filter_map(|t| {
            let name = t.name.node.as_str();
            let (kind, fields, interfaces) = match &t.kind {
                TypeKind::Object(o) => ("OBJECT", &o.fields, &o.implements),
                TypeKind::Interface(i) => ("INTERFACE", &i.fields, &i.implements),
                TypeKind::Union(u) => {
                    return Some(json!({
                        "kind": "UNION",
                        "name": name,
                        "possibleTypes": named("OBJECT", &u.members),
                    }));
                }
                _ => return None,
            };
            let fields: Vec<Value> = fields
                .iter()
                .map(|f| {
                    let args: Vec<Value> = f
                        .node
                        .arguments
                        .iter()
                        .map(|a| json!({ "name": a.node.name.node.as_str() }))
                        .collect();
                    json!({
                        "name": f.node.name.node.as_str(),
                        "type": type_ref(&f.node.ty.node),
                        "args": args,
                    })
                })
                .collect();
            Some(json!({
                "kind": kind,
                "name": name,
                "fields": fields,
                "interfaces": named("INTERFACE", interfaces),
            }))
        })
        .collect();
    let root = |name: &str| kinds.contains_key(name).then(|| json!({ "name": name }));
    json!({ "__schema": {
        "queryType": root(ROOTS[0]),
        "mutationType": root(ROOTS[1]),
        "subscriptionType": root(ROOTS[2]),
        "types": described,
    } })
}

/// Whether values under `name` need field policies: not the roots, and not connections and
/// their edges (their pagination policy owns what is inside them).
fn holds_values(name: &str) -> bool {
    !ROOTS.contains(&name) && !name.ends_with("Connection") && !name.ends_with("Edge")
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The ES module of cache configuration for the schema `sdl`.
pub fn module(sdl: &str) -> Result<String, String> {
    let t = tables(sdl)?;
    let mut out = String::new();
    let _ = write!(
        out,
        "// Client cache configuration for asean-graph, generated from its schema by\n\
         // `asean-graph schema --client-cache`: do not edit; see docs/caching.md.\n\n\
         /** Object types without an `id`: values, cached inside the object that holds them. */\n\
         export const valueTypes = {};\n\n\
         /** Object types with an `id`: normalized by it when a selection holds it. */\n\
         export const identifiedTypes = {};\n\n\
         /** Per type, its connection fields and the arguments that choose a different list (the\n \
         * others, first/after/last/before, choose a page of it). */\n\
         export const connections = {};\n\n\
         /** Per type, its fields holding values: true for a list of them. */\n\
         export const valueFields = {};\n\n\
         /** The fields of `Query` that look one record up by its `code` or `id`. */\n\
         export const lookups = {};\n\n\
         /** Per union and interface, the types it stands for: both clients take it as is. */\n\
         export const possibleTypes = {};\n\n\
         /** The schema's shape, for graphcache's `schema` option (its types and fields, not\n \
         * their descriptions). */\n\
         export const schema = {};\n\n",
        json(&t.values),
        json(&t.identified),
        json(&t.connections),
        json(&t.value_fields),
        json(&t.lookups),
        json(&t.possible_types),
        t.shape,
    );
    out.push_str(CODE);
    Ok(out)
}

/// The module for the schema served.
pub fn served() -> String {
    // The schema's own SDL always parses; an empty module would fail its drift test.
    module(&super::sdl()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = "type Query { things(kind: String, first: Int, after: String): ThingConnection! thing: Thing
            byCode(code: String!): Thing node(id: ID!): Node tag(code: String!): Tag }
        type Thing implements Node { id: ID! tags: [Tag!]! main: Tag parts(first: Int, after: String): ThingConnection! }
        type Tag { label: String! }
        interface Node { id: ID! } union Either = Thing | Tag
        type ThingConnection { nodes: [Thing!]! pageInfo: PageInfo! }
        type PageInfo { hasNextPage: Boolean! }";

    #[test]
    fn tables_name_values_connections_and_value_fields() {
        let t = tables(SDL).unwrap();
        assert_eq!(t.values, ["Tag", "ThingConnection", "PageInfo"]);
        assert_eq!(t.identified, ["Thing"]);
        assert_eq!(t.lookups, ["byCode", "node"]);
        assert_eq!(t.connections["Query"]["things"], ["kind"]);
        assert!(t.connections["Thing"]["parts"].is_empty());
        assert!(t.value_fields["Thing"]["tags"]);
        assert!(!t.value_fields["Thing"]["main"]);
        assert!(!t.value_fields.contains_key("Query"));
        assert!(!t.value_fields.contains_key("ThingConnection"));
        assert_eq!(t.possible_types["Node"], ["Thing"]);
        assert_eq!(t.possible_types["Either"], ["Thing", "Tag"]);
        let types = &t.shape["__schema"]["types"];
        let thing = types
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "Thing")
            .unwrap();
        assert_eq!(thing["interfaces"][0]["name"], "Node");
        assert_eq!(thing["fields"][1]["type"]["ofType"]["kind"], "LIST");
        assert_eq!(thing["fields"][2]["type"]["kind"], "OBJECT");
        assert_eq!(thing["fields"][3]["args"][0]["name"], "first");
        assert_eq!(t.shape["__schema"]["queryType"]["name"], "Query");
        assert!(t.shape["__schema"]["mutationType"].is_null());
    }

    #[test]
    fn a_schema_that_does_not_parse_is_an_error() {
        assert!(module("type {").is_err());
    }
}
