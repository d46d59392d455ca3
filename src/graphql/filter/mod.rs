//! `filter:` inputs: one input type per kind of record (and for fundings), mapped onto the
//! model's filter tree ([`crate::model::filter`]), which the store's lists then apply.
//!
//! Each kind is described once, in the [`record_filter!`] invocations of `records.rs`: its
//! fields with their operator inputs, its to-one and to-many relations, and what else it
//! takes. The input type and its mapping onto the tree are derived from that description.

mod ops;
mod records;

pub use ops::*;
pub use records::*;

use super::connection::Backing;
use super::error::{GqlResult, QUERY_TOO_COMPLEX, coded};
use super::limits::Limits;
use crate::model::filter::{Filter, Records, Subject};
use crate::model::{Edge, NodeRef};
use crate::store::{Item, Listing, ReadBudget, Reads, Store};
use async_graphql::{Context, Result};
use std::sync::Arc;

/// The most conditions one filter may hold: each is work for every item of its list.
pub const MAX_CONDITIONS: usize = 200;
/// How deeply quantifiers (`some`, `every`, `none`) may nest in one filter: each multiplies
/// the work per item by the length of a relation, so that 6 deep over a large store runs for
/// seconds before the read budget stops it.
pub const MAX_QUANTIFIER_DEPTH: usize = 3;

/// Where a part of a filter is, for errors (`filter.fundings.some.target`), and the store,
/// to check the codes it names.
#[derive(Clone, Copy)]
pub struct At<'a> {
    path: &'a str,
    store: &'a Store,
}

impl<'a> At<'a> {
    pub fn new(path: &'a str, store: &'a Store) -> At<'a> {
        At { path, store }
    }

    fn store(&self) -> &'a Store {
        self.store
    }

    /// The path of `name` below this one.
    fn below(&self, name: &str) -> String {
        format!("{}.{name}", self.path)
    }

    fn path(&self) -> &str {
        self.path
    }
}

/// An input that maps onto a filter.
pub trait ToFilter {
    fn tree(&self, at: At<'_>) -> Result<Filter>;
}

impl<T: ToFilter> ToFilter for Box<T> {
    fn tree(&self, at: At<'_>) -> Result<Filter> {
        T::tree(self, at)
    }
}

/// All of `parts` (an empty list: everything).
pub fn all_of(mut parts: Vec<Filter>) -> Filter {
    match parts.len() {
        0 => Filter::All,
        1 => parts.remove(0),
        _ => Filter::And(parts),
    }
}

/// The tree of an optional `filter:` argument, checked against the limits.
pub fn argument<T: ToFilter>(store: &Store, filter: Option<&T>) -> Result<Option<Filter>> {
    let Some(filter) = filter else {
        return Ok(None);
    };
    let tree = filter.tree(At::new("filter", store))?;
    let size = tree.size();
    if size > MAX_CONDITIONS {
        return Err(coded(
            QUERY_TOO_COMPLEX,
            format!("filter: {size} conditions; the limit is {MAX_CONDITIONS}"),
        ));
    }
    let depth = tree.quantifier_depth();
    if depth > MAX_QUANTIFIER_DEPTH {
        return Err(coded(
            QUERY_TOO_COMPLEX,
            format!(
                "filter: quantifiers (some, every, none) nested {depth} deep; the limit is \
                 {MAX_QUANTIFIER_DEPTH}"
            ),
        ));
    }
    Ok(match tree {
        Filter::All => None,
        tree => Some(tree),
    })
}

/// What a list's items are, for its filter.
#[derive(Clone, Copy, Debug)]
pub enum Of {
    /// Records: an item that is an edge stands for the record at its `to` end (`true`) or
    /// at its `from` end, as the list's page reads it.
    Records { far_end_is_to: bool },
    /// Relationships (fundings): an edge item is itself what the filter tests.
    Relationships,
}

/// What one item of a list stands for, as [`Of`] says.
pub enum Stands<'i> {
    Record(&'i NodeRef),
    Relationship(&'i Edge),
    /// A change of the log: no record.
    Nothing,
}

impl Of {
    /// What `item` of such a list stands for.
    pub fn stands_for(self, item: &Item) -> Stands<'_> {
        match (item, self) {
            (Item::Node(r), _) => Stands::Record(r),
            (Item::Edge(e), Of::Records { far_end_is_to }) => {
                Stands::Record(if far_end_is_to { &e.to } else { &e.from })
            }
            (Item::Edge(e), Of::Relationships) => Stands::Relationship(e),
            (Item::Change(_), _) => Stands::Nothing,
        }
    }

    /// Records; an edge item stands for the record at its `from` end.
    pub const FROM_ENDS: Of = Of::Records {
        far_end_is_to: false,
    };
    /// Records; an edge item stands for the record at its `to` end.
    pub const TO_ENDS: Of = Of::Records {
        far_end_is_to: true,
    };
}

/// The items of `backing` that pass the `filter:` argument `input` (all of them without it).
///
/// A stored listing of one kind's records (a root list) is first narrowed to the filter's
/// candidates where the indexes have them ([`ReadBudget::candidates`]): only those records
/// are read, under the keys the whole listing gives them, so the items, their order and
/// their cursors are what a scan of the whole listing would give.
pub fn apply<T: ToFilter>(
    ctx: &Context<'_>,
    backing: Backing,
    of: Of,
    input: Option<&T>,
) -> Result<Backing> {
    let store: Arc<Store> = Arc::clone(ctx.data_unchecked::<Arc<Store>>());
    let Some(tree) = argument(&store, input)? else {
        return Ok(backing);
    };
    let reader = ReadBudget::sharing(Arc::clone(&store), reads(ctx), "filter");
    let backing = match (backing, of) {
        (Backing::Listing(listing), Of::Records { .. }) => {
            Backing::Listing(indexed(&store, &reader, listing, &tree).gql()?)
        }
        (backing, _) => backing,
    };
    backing.keep(move |item| match of.stands_for(item) {
        Stands::Record(r) => match reader.record(r)? {
            Some(n) => tree.passes(&reader, Subject::Node(&n)),
            None => Ok(false),
        },
        Stands::Relationship(e) => tree.passes(&reader, Subject::Edge(e)),
        Stands::Nothing => Ok(false),
    })
}

/// The reads of the store the request has left, shared by its counts, filters, aggregates
/// and searches (see [`super::budget`]); a request run without the limits' extension gets
/// a budget of its own each time.
pub fn reads(ctx: &Context<'_>) -> Arc<Reads> {
    ctx.data_opt::<Arc<Reads>>()
        .cloned()
        .unwrap_or_else(|| Arc::new(Reads::new(max_reads(ctx))))
}

/// How many reads one request may make. The limits are in the schema's data; a schema
/// built without them gets the defaults.
pub fn max_reads(ctx: &Context<'_>) -> u64 {
    ctx.data_opt::<Arc<Limits>>().map_or_else(
        || Limits::default().max_filter_reads,
        |l| l.max_filter_reads,
    )
}

/// `listing` narrowed to the candidates of `tree` if it lists one kind's records and the
/// indexes narrow it to at most half of that kind (past that, a scan reads less than
/// direct gets would).
fn indexed(
    store: &Store,
    reader: &ReadBudget,
    listing: Listing,
    tree: &Filter,
) -> crate::store::Result<Listing> {
    let Some(kind) = listing.lists() else {
        return Ok(listing);
    };
    match reader.candidates(kind, tree, store.sizes()?.counts.of(kind) / 2)? {
        Some(records) => listing.restrict(&records),
        None => Ok(listing),
    }
}
