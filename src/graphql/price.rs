//! The price of a query in reads of the store, set before it runs: what its counts and
//! fan-outs read beyond the pages it shows. Complexity bounds what a query returns; the
//! price bounds what it reads to return it, which a count can make far larger: a
//! `totalCount` of a source's citations shows one number and reads every citation.
//!
//! One walk of the operation that runs, with its variables and fragments, over the schema's
//! types: each field is asked for once per item of every list above it (its multiplicity:
//! a connection's page, a plain list's fan-out), and costs, each time,
//! - `totalCount`, `aggregate` and `groupedAggregates`: the whole list under them, as large
//!   as the store lets such a list be ([`Whole`]) (a root list given a filter: nothing here,
//!   since complexity prices its scan with what the indexes narrow it to);
//! - a nested connection that gathers its list in memory, or is given a `filter`: its whole
//!   list; given an `orderBy`, a nested list or a root list without a filter: its whole
//!   list, once for each item and once more for each key;
//! - `Source.citationCount`: the most citations of one source;
//! - `relationships` given `from` or `to`: the one record's links it reads; given
//!   `verified`, `sourcedBy` or `role`: every link, twice (each read, then tested).
//!
//! The sizes come from what the store keeps in memory ([`Known`]): records by kind, the
//! fundings, the relationships, and its fan-out (the most items one record lists, by what
//! it lists, and the most citations of one source). A query whose price is more than the
//! reads its request has left is refused before it runs; what a count reads as it runs is
//! taken from that same budget ([`crate::store::Reads`]), so a price set too low is still
//! held to it. Root lists' scans for filters and orderings are priced in complexity
//! ([`super::scan`]), and searches spend from the budget as they read.

use super::connection::{DEFAULT_PAGE, MAX_PAGE};
use super::documents::Prepared;
use super::enums::RelationshipKind;
use super::fanout::{self, List};
use crate::model::{EdgeKind, NodeKind};
use crate::store::{FanOut, Sizes, Store};
use async_graphql::parser::types::{Field, OperationType, Selection, SelectionSet};
use async_graphql::registry::{MetaTypeName, Registry};
use async_graphql::{InputType, Name, Value, Variables};
use std::sync::Arc;

/// The operation a request runs: its document (shared with the cache of documents),
/// variables and name.
pub struct Operation {
    pub doc: Arc<Prepared>,
    pub variables: Variables,
    pub name: Option<String>,
}

/// What the store knows of its sizes: its fan-out, kept up to date as it is written, and
/// its records by kind, fundings and relationships, counted once per write and only when
/// a query needs them (a root list's count, every funding, every link).
pub struct Known<'s> {
    pub fan: FanOut,
    store: Option<&'s Store>,
    sizes: std::sync::OnceLock<Sizes>,
}

impl<'s> Known<'s> {
    /// What `store` knows now.
    pub fn of(store: &'s Store) -> crate::store::Result<Known<'s>> {
        Ok(Known {
            fan: store.fan_out()?,
            store: Some(store),
            sizes: std::sync::OnceLock::new(),
        })
    }

    /// Sizes given as they are (for tests of the walk).
    pub fn given(fan: FanOut, sizes: Sizes) -> Known<'static> {
        Known {
            fan,
            store: None,
            sizes: std::sync::OnceLock::from(sizes),
        }
    }

    /// The store's sizes; a store that cannot count them counts as holding the most any
    /// list may: the query is priced past any budget, and refused.
    fn sizes(&self) -> &Sizes {
        self.sizes.get_or_init(|| {
            self.store
                .and_then(|s| s.sizes().ok())
                .unwrap_or_else(|| Sizes {
                    counts: crate::store::Counts {
                        nodes: NodeKind::ALL.iter().map(|&k| (k, usize::MAX)).collect(),
                        edges: usize::MAX,
                    },
                    fundings: usize::MAX,
                })
        })
    }

    fn records(&self, kind: NodeKind) -> usize {
        self.sizes().counts.of(kind)
    }

    fn fundings(&self) -> usize {
        self.sizes().fundings
    }

    fn edges(&self) -> usize {
        self.sizes().counts.edges
    }

    fn edges_of(&self, kinds: &[(EdgeKind, bool)]) -> usize {
        kinds
            .iter()
            .map(|&(kind, outgoing)| self.fan.edges(kind, outgoing))
            .fold(0, usize::saturating_add)
    }
}

/// The whole list under a connection: what its `totalCount` counts.
#[derive(Clone, Copy, Debug)]
enum Whole {
    /// Every record of a kind (a root list).
    Records(NodeKind),
    /// Every funding.
    Fundings,
    /// Every relationship.
    Edges,
    /// One record's edges of these kinds, leaving it (`true`) or reaching it.
    Fan(&'static [(EdgeKind, bool)]),
    /// One source's citations.
    Citations,
    /// A list that takes its reads from the budget as it reads them (a search's hits, a
    /// record's history, a meeting's approvals): priced nothing ahead.
    Spent,
}

/// What a connection field pages through, and whether it gathers its whole list in memory
/// before paging (so that every page reads all of it).
struct Described {
    whole: Whole,
    gathered: bool,
}

/// The connection fields: what each lists.
fn connection(ty: &str, field: &str) -> Option<Described> {
    use EdgeKind as E;
    let (whole, gathered) = match (ty, field) {
        ("Query", "members") => (Whole::Records(NodeKind::Member), false),
        ("Query", "partners") => (Whole::Records(NodeKind::Partner), false),
        ("Query", "bodies") => (Whole::Records(NodeKind::Body), false),
        ("Query", "meetings") => (Whole::Records(NodeKind::Meeting), false),
        ("Query", "initiatives") => (Whole::Records(NodeKind::Initiative), false),
        ("Query", "people") => (Whole::Records(NodeKind::Person), false),
        ("Query", "sources") => (Whole::Records(NodeKind::Source), false),
        ("Query", "fundings") => (Whole::Fundings, false),
        ("Query", "relationships") => (Whole::Edges, false),
        ("Query", "search") => (Whole::Spent, false),
        ("Query", "history") => (Whole::Spent, true),
        ("Body", "meetings") => (Whole::Fan(&[(E::HeldBy, false)]), true),
        ("Body", "attended") => (Whole::Fan(&[(E::Participant, false)]), true),
        ("Body", "initiatives") => (Whole::Fan(&[(E::LedBy, false)]), false),
        ("Initiative", "children") => (Whole::Fan(&[(E::PartOf, false)]), false),
        // With `includeDescendants`, every funding below it (see `Walk::other`).
        ("Initiative", "fundings") => (Whole::Fan(&[(E::Funds, false)]), true),
        ("Initiative", "meetings") => (
            Whole::Fan(&[
                (E::Discussed, false),
                (E::Approved, false),
                (E::Recommended, false),
            ]),
            true,
        ),
        ("Meeting", "initiatives") => (Whole::Fan(&[(E::Discussed, true)]), false),
        ("Meeting", "approved") => (Whole::Fan(&[(E::Approved, true)]), false),
        ("Meeting", "recommended") => (Whole::Fan(&[(E::Recommended, true)]), false),
        ("Meeting", "fundings") => (Whole::Fan(&[(E::Funds, false)]), false),
        // The fundings whose `approvedAt` is this meeting, read whole from their index.
        ("Meeting", "approvedFundings") => (Whole::Spent, true),
        ("Member" | "Partner", "meetings") => (Whole::Fan(&[(E::Participant, false)]), true),
        ("Member" | "Partner", "fundings") => (Whole::Fan(&[(E::Funds, true)]), false),
        ("Source", "supports") => (Whole::Citations, false),
        _ => return None,
    };
    Some(Described { whole, gathered })
}

/// The plain list fields of objects: what each lists under one parent.
fn plain(ty: &str, field: &str) -> Option<List> {
    use EdgeKind as E;
    Some(match (ty, field) {
        (_, "sources") => List::Sources,
        (_, "claims") => List::Claims,
        (_, "figures") => List::Figures,
        ("Partner", "statuses") => List::Statuses,
        ("Body", "children") => List::Into(E::ReportsTo),
        ("Body", "chairs") => List::Into(E::Chairs),
        ("Initiative", "leadBodies") => List::Out(E::LedBy),
        ("Meeting", "speakers") => List::Into(E::SpokeAt),
        ("Meeting", "meetingLinks") => List::MEETING_LINKS,
        ("Meeting", "participants") => List::Out(E::Participant),
        ("Member", "chairmanships") => List::Out(E::Chairs),
        ("Member", "people") => List::Into(E::Represents),
        ("Person", "spokeAt") => List::Out(E::SpokeAt),
        ("Person", "presided") => List::Out(E::Presided),
        ("Person", "delegations") => List::Out(E::Delegation),
        _ => return None,
    })
}

/// Whether a field of the type written `ty` (`[Source!]!`) returns a list.
fn lists(ty: &str) -> bool {
    match MetaTypeName::create(ty) {
        MetaTypeName::NonNull(inner) => MetaTypeName::create(inner).is_list(),
        t => t.is_list(),
    }
}

/// A query's price, and the field that costs the most.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Price {
    /// Reads of the store, at most.
    pub reads: u64,
    /// The dearest field's path (`partners.nodes.sources.supports.totalCount`) and its share.
    pub dearest: Option<(String, u64)>,
}

/// The price of the operation `op` names (none for a document that names no operation it
/// holds: validation has refused it).
pub fn price(registry: &Registry, op: &Operation, known: &Known<'_>) -> Price {
    let Some(operation) = super::limits::chosen(&op.doc.doc, op.name.as_deref()) else {
        return Price::default();
    };
    let root = match operation.node.ty {
        OperationType::Query => Some(registry.query_type.as_str()),
        OperationType::Mutation => registry.mutation_type.as_deref(),
        OperationType::Subscription => registry.subscription_type.as_deref(),
    };
    let Some(root) = root else {
        return Price::default();
    };
    let defaults = operation
        .node
        .variable_definitions
        .iter()
        .filter_map(|d| {
            let default = d.node.default_value.as_ref()?;
            Some((d.node.name.node.clone(), default.node.clone()))
        })
        .collect();
    let mut walk = Walk {
        registry,
        op,
        defaults,
        known,
        price: Price::default(),
        path: Vec::new(),
    };
    walk.set(&operation.node.selection_set.node, root, 1, None);
    walk.price
}

/// The connection a selection set is under: its whole list and its page.
#[derive(Clone, Copy)]
struct Under {
    whole: u64,
    page: u64,
}

struct Walk<'a> {
    registry: &'a Registry,
    op: &'a Operation,
    /// The operation's variables' default values, for those not sent.
    defaults: std::collections::HashMap<Name, Value>,
    known: &'a Known<'a>,
    price: Price,
    /// The response keys from the root to the field being priced.
    path: Vec<String>,
}

fn n(x: usize) -> u64 {
    u64::try_from(x).unwrap_or(u64::MAX)
}

impl Walk<'_> {
    /// Adds `reads` for the field at the end of the path.
    fn charge(&mut self, reads: u64) {
        if reads == 0 {
            return;
        }
        self.price.reads = self.price.reads.saturating_add(reads);
        if self.price.dearest.as_ref().is_none_or(|(_, d)| reads > *d) {
            self.price.dearest = Some((self.path.join("."), reads));
        }
    }

    /// An argument's value, with variables put in: as sent, or else their defaults.
    fn argument(&self, field: &Field, name: &str) -> Option<Value> {
        let value = field.get_argument(name)?.node.clone();
        value
            .into_const_with(|var: Name| {
                self.op
                    .variables
                    .get(&var)
                    .or_else(|| self.defaults.get(&var))
                    .cloned()
                    .ok_or(())
            })
            .ok()
            .filter(|v| *v != Value::Null)
    }

    fn integer(&self, field: &Field, name: &str) -> Option<u64> {
        match self.argument(field, name)? {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The page a connection field shows: `first` or `last`, or the default.
    fn page(&self, field: &Field, default: usize) -> u64 {
        self.integer(field, "first")
            .or_else(|| self.integer(field, "last"))
            .unwrap_or(n(default))
            .min(n(MAX_PAGE))
            .max(1)
    }

    /// The size of a whole list of `whole` under one parent.
    fn whole(&self, whole: Whole) -> u64 {
        let known = self.known;
        n(match whole {
            Whole::Records(kind) => known.records(kind),
            Whole::Fundings => known.fundings(),
            Whole::Edges => known.edges(),
            Whole::Fan(kinds) => known.edges_of(kinds),
            Whole::Citations => known.fan.citations,
            Whole::Spent => 0,
        })
    }

    fn set(&mut self, set: &SelectionSet, ty: &str, m: u64, under: Option<Under>) {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => self.field(&field.node, ty, m, under),
                Selection::InlineFragment(inline) => {
                    let ty = inline
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(ty, |c| c.node.on.node.as_str());
                    self.set(&inline.node.selection_set.node, ty, m, under);
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if let Some(fragment) = self.op.doc.doc.fragments.get(name) {
                        let ty = fragment.node.type_condition.node.on.node.as_str();
                        self.set(&fragment.node.selection_set.node, ty, m, under);
                    }
                }
            }
        }
    }

    fn field(&mut self, field: &Field, ty: &str, m: u64, under: Option<Under>) {
        let name = field.name.node.as_str();
        if name.starts_with("__") {
            return;
        }
        let Some(meta) = self
            .registry
            .types
            .get(ty)
            .and_then(|t| t.field_by_name(name))
        else {
            return;
        };
        let returns = MetaTypeName::concrete_typename(&meta.ty);
        let is_list = lists(&meta.ty);
        self.path
            .push(field.alias.as_ref().unwrap_or(&field.name).node.to_string());
        let children = &field.selection_set.node;
        match (under, name) {
            (Some(under), "totalCount" | "aggregate") => {
                self.charge(m.saturating_mul(under.whole));
                self.set(children, returns, m, None);
            }
            (Some(under), "groupedAggregates") => {
                self.charge(m.saturating_mul(under.whole));
                let groups = self.integer(field, "first").unwrap_or(100);
                self.set(children, returns, m.saturating_mul(groups), None);
            }
            (Some(under), "edges" | "nodes") => {
                self.set(children, returns, m.saturating_mul(under.page), None);
            }
            _ => self.other(field, ty, name, returns, is_list, m),
        }
        self.path.pop();
    }

    fn other(&mut self, field: &Field, ty: &str, name: &str, returns: &str, list: bool, m: u64) {
        let children = &field.selection_set.node;
        if let Some(described) = connection(ty, name) {
            // With `includeDescendants`, every funding below the initiative.
            let whole = if (ty, name) == ("Initiative", "fundings") && self.descendants(field) {
                n(self.known.fundings())
            } else {
                self.whole(described.whole)
            };
            self.price_connection(field, ty, name, described.gathered, whole, m);
            let default = if name == "search" { 10 } else { DEFAULT_PAGE };
            // A root list given a filter counts what its filter's indexes narrow it to:
            // its scan is priced in complexity (see `scan`), and its count reads from the
            // budget as it runs.
            let filtered_root =
                ty == self.registry.query_type && self.argument(field, "filter").is_some();
            let under = Under {
                whole: match (ty, name) {
                    _ if filtered_root => 0,
                    ("Query", "relationships") => self.relationships(field).0,
                    _ => whole,
                },
                page: self.page(field, default),
            };
            self.set(children, returns, m, Some(under));
            return;
        }
        if (ty, name) == ("Source", "citationCount") {
            self.charge(m.saturating_mul(n(self.known.fan.citations)));
            return;
        }
        if !list || children.items.is_empty() {
            self.set(children, returns, m, None);
            return;
        }
        let items = match (ty, name) {
            ("Query", "changes") => self.integer(field, "first").unwrap_or(100),
            // Every chairmanship, gathered: each is a body's (or ASEAN's), so at most the
            // most chairs of one times the bodies and ASEAN.
            ("Query", "chairmanships") => {
                let chairs = n(self.known.fan.edges(EdgeKind::Chairs, false))
                    .saturating_mul(n(self.known.records(NodeKind::Body)).saturating_add(1));
                self.charge(m.saturating_mul(chairs));
                chairs
            }
            ("Query", "_entities") => match self.argument(field, "representations") {
                Some(Value::List(items)) => n(items.len()),
                _ => 1,
            },
            _ => plain(ty, name).map_or(n(MAX_PAGE), |list| n(fanout::most(&self.known.fan, list))),
        };
        self.set(children, returns, m.saturating_mul(items.max(1)), None);
    }

    /// The links a `relationships` field lists, and what it reads to list them: with
    /// `from` or `to`, one record's links (of `kind`, or of every kind), each read once;
    /// else every link (of every kind: the store does not count them by kind), read and,
    /// under `verified`, `sourcedBy` or `role`, tested.
    fn relationships(&self, field: &Field) -> (u64, u64) {
        let kinds: Vec<EdgeKind> = match self.argument(field, "kind") {
            Some(kind) => <RelationshipKind as InputType>::parse(Some(kind))
                .map(|k| vec![k.into()])
                .unwrap_or_default(),
            None => EdgeKind::ALL.to_vec(),
        };
        let tested = ["verified", "sourcedBy", "role"]
            .iter()
            .any(|c| self.argument(field, c).is_some());
        let (from, to) = (
            self.argument(field, "from").is_some(),
            self.argument(field, "to").is_some(),
        );
        if from || to {
            let links = kinds
                .iter()
                .map(|&k| self.known.fan.edges(k, from))
                .fold(0, usize::saturating_add);
            let links = n(links);
            let tests = if tested || (from && to) { links } else { 0 };
            return (links, links.saturating_add(tests));
        }
        let links = n(self.known.edges());
        (links, if tested { links.saturating_mul(2) } else { 0 })
    }

    /// Whether an `Initiative.fundings` lists the fundings of every initiative below it.
    fn descendants(&self, field: &Field) -> bool {
        matches!(
            self.argument(field, "includeDescendants"),
            Some(Value::Boolean(true))
        )
    }

    /// What a connection field of `whole` items reads besides its page: its whole list,
    /// where it is `gathered`, filtered or ordered (a root list's filtered scan is priced in
    /// complexity); and for `relationships`, the links its conditions read.
    fn price_connection(
        &mut self,
        field: &Field,
        ty: &str,
        name: &str,
        gathered: bool,
        whole: u64,
        m: u64,
    ) {
        // An ordering reads every item and its values for each key.
        let keys = match self.argument(field, "orderBy") {
            Some(Value::List(keys)) => n(keys.len()),
            Some(_) => 1,
            None => 0,
        };
        let sorted = whole.saturating_mul(keys.saturating_add(1));
        let filtered = self.argument(field, "filter").is_some();
        let reads = if ty == self.registry.query_type {
            match name {
                "relationships" => self.relationships(field).1,
                // A filtered list's scan is priced in complexity with what the indexes
                // narrow it to, and reads from the budget as it runs: so does its ordering.
                _ if keys > 0 && !filtered => sorted,
                _ => 0,
            }
        } else if keys > 0 {
            sorted
        } else if gathered || filtered {
            whole
        } else {
            0
        };
        self.charge(m.saturating_mul(reads));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::OutputType;
    use async_graphql::registry::MetaType;

    /// The fields reachable from the root query that return a connection, or a list of
    /// objects (connections' `edges` and `nodes` are under their connection), which the walk
    /// does not know, as `Type.field`: none, or the walk prices them as a full page each.
    fn undescribed_lists(registry: &Registry) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut stack = vec![registry.query_type.clone()];
        while let Some(ty) = stack.pop() {
            if !seen.insert(ty.clone()) {
                continue;
            }
            let Some(meta) = registry.types.get(&ty) else {
                continue;
            };
            if let MetaType::Union { possible_types, .. }
            | MetaType::Interface { possible_types, .. } = meta
            {
                stack.extend(possible_types.iter().cloned());
            }
            let Some(fields) = meta.fields() else {
                continue;
            };
            for (name, field) in fields {
                if name.starts_with("__") {
                    continue;
                }
                let returns = MetaTypeName::concrete_typename(&field.ty);
                stack.push(returns.to_owned());
                let is_list = lists(&field.ty);
                let objects = registry
                    .types
                    .get(returns)
                    .is_some_and(|t| !matches!(t, MetaType::Scalar { .. } | MetaType::Enum { .. }));
                let known = connection(&ty, name).is_some()
                    || plain(&ty, name).is_some()
                    || matches!(
                        (ty.as_str(), name.as_str()),
                        ("Query", "changes" | "chairmanships" | "_entities")
                    )
                    || (ty.ends_with("Connection")
                        && matches!(name.as_str(), "edges" | "nodes" | "groupedAggregates"));
                if !known && (returns.ends_with("Connection") || (is_list && objects)) {
                    out.push(format!("{ty}.{name}"));
                }
            }
        }
        out
    }

    fn registry() -> Registry {
        let mut registry = Registry::default();
        <crate::graphql::Query as OutputType>::create_type_info(&mut registry);
        registry.query_type = "Query".into();
        registry
    }

    fn known() -> Known<'static> {
        let mut fan = FanOut {
            sources: 3,
            citations: 1_000,
            ..FanOut::default()
        };
        fan.into[usize::from(EdgeKind::Participant.tag())] = 7;
        Known::given(
            fan,
            Sizes {
                counts: crate::store::Counts {
                    nodes: vec![(NodeKind::Partner, 50), (NodeKind::Source, 40)],
                    edges: 9_000,
                },
                fundings: 600,
            },
        )
    }

    fn priced(query: &str, variables: serde_json::Value) -> Price {
        let op = Operation {
            doc: Arc::new(Prepared {
                doc: async_graphql::parser::parse_query(query).unwrap(),
                introspection_only: false,
            }),
            variables: Variables::from_json(variables),
            name: None,
        };
        price(&registry(), &op, &known())
    }

    #[test]
    fn every_list_field_of_the_schema_is_described() {
        assert_eq!(undescribed_lists(&registry()), Vec::<String>::new());
    }

    #[test]
    fn a_count_costs_its_whole_list_once_per_item_of_every_list_above_it() {
        let p = priced(
            "{ partners(first: 100) { nodes { sources { supports(first: 0) { totalCount } } } } }",
            serde_json::json!({}),
        );
        assert_eq!(p.reads, 100 * 3 * 1_000);
        assert_eq!(
            p.dearest,
            Some((
                "partners.nodes.sources.supports.totalCount".to_owned(),
                300_000
            ))
        );
        // Through a fragment, an alias and a variable, the same.
        let p = priced(
            "query($n: Int) { p: partners(first: $n) { edges { node { ...S } } } }
             fragment S on Partner { sources { c: citationCount } }",
            serde_json::json!({ "n": 10 }),
        );
        assert_eq!(p.reads, 10 * 3 * 1_000);
        assert_eq!(p.dearest.unwrap().0, "p.edges.node.sources.c");
    }

    #[test]
    fn an_ordering_reads_its_whole_list_once_and_once_more_for_each_key() {
        let sorted = "{ partners(first: 1, orderBy: [{ field: CODE }, { field: NAME }]) { nodes { code } } }";
        assert_eq!(priced(sorted, serde_json::json!({})).reads, 50 * 3);
        // A root list with a filter: its scan and ordering are read under the budget.
        let filtered = "{ partners(filter: { code: { eq: \"JPN\" } }, orderBy: [{ field: CODE }]) { nodes { code } } }";
        assert_eq!(priced(filtered, serde_json::json!({})).reads, 0);
    }

    #[test]
    fn a_variable_left_out_costs_its_default() {
        let q = "query($d: Boolean! = true) { initiatives(first: 2) { nodes { fundings(includeDescendants: $d) { totalCount } } } }";
        // Every funding below each of 2 initiatives, read whole and counted.
        assert_eq!(priced(q, serde_json::json!({})).reads, 2 * (600 + 600));
        assert_eq!(priced(q, serde_json::json!({ "d": false })).reads, 0);
    }

    #[test]
    fn pages_cost_nothing_but_gathered_filtered_and_counted_lists_cost_their_whole() {
        assert_eq!(
            priced(
                "{ partners { nodes { code fundings { nodes { amountUsd } } } } }",
                serde_json::json!({})
            )
            .reads,
            0
        );
        // A partner's meetings are gathered whole: 7 each, 20 partners.
        assert_eq!(
            priced(
                "{ partners { nodes { meetings(first: 1) { nodes { code } } } } }",
                serde_json::json!({})
            )
            .reads,
            20 * 7
        );
        // A root list's count: every record of the kind.
        assert_eq!(
            priced("{ partners { totalCount } }", serde_json::json!({})).reads,
            50
        );
        assert_eq!(
            priced(
                "{ relationships(verified: false, last: 100) { totalCount } }",
                serde_json::json!({})
            )
            .reads,
            3 * 9_000
        );
        assert_eq!(
            priced(
                "{ relationships { nodes { kind } } }",
                serde_json::json!({})
            )
            .reads,
            0
        );
    }
}
