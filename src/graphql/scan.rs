//! The complexity of a root list given `filter:` or `orderBy:`, or asked for `aggregate` or
//! `groupedAggregates`: besides its page, what it must scan before it returns anything,
//! which the store knows.
//!
//! The rule: a root list with a filter, an ordering or aggregates costs its page as any
//! connection does
//! ([`super::connection::cost`]), plus one point for every [`SCAN_PER_POINT`] reads its
//! scan takes, where
//! - the items scanned are the filter's candidates if the indexes narrow the list to them
//!   (as [`super::filter::apply`] then reads only those), or else every record of the kind
//!   (every funding, for `fundings`): an upper bound, since a fixed argument (`kind:`,
//!   `under:` …) may narrow the list further;
//! - each item scanned takes one read, one more for each relation the filter follows
//!   (`fundings`, `target`, `under` …), and one more for each `orderBy` key.
//!
//! So the cost grows with the store and with the work per item, while an indexed filter
//! costs what its index gives. At 10 reads a point, every documented and report query and
//! GraphiQL's default query cost as before at scale 1, and a filtered or ordered list of a
//! kind at scale 1,000 (tens of thousands of records) costs a few thousand points of the
//! 200,000 allowed; a nested selection multiplies the page, never the scan.
//!
//! async-graphql computes complexity during validation, from a field's arguments only, so
//! the limits hand the store to these costs through [`measuring`] for that (synchronous)
//! validation, as they do the fan-out ([`super::fanout`]); a cost computed without a store
//! at hand counts a full page ([`MAX_PAGE`]) of items scanned.

use super::connection::{MAX_PAGE, cost as page_cost};
use super::filter::{ToFilter, argument};
use crate::model::NodeKind;
use crate::model::filter::Filter;
use crate::store::{ReadBudget, Store};
use async_graphql::parser::types::{Field, Selection, SelectionSet};
use std::cell::RefCell;
use std::sync::Arc;

/// Reads of a scan that cost one point of complexity.
pub const SCAN_PER_POINT: usize = 10;

/// What a root list scans.
#[derive(Clone, Copy, Debug)]
pub enum Scans {
    /// The records of a kind.
    Records(NodeKind),
    /// The fundings.
    Fundings,
}

thread_local! {
    static CURRENT: RefCell<Option<(Arc<Store>, u64)>> = const { RefCell::new(None) };
}

/// Makes `store` the store scan costs read on this thread until the guard drops; finding
/// a filter's candidates may take at most `reads` reads.
pub fn measuring(store: Arc<Store>, reads: u64) -> Measuring {
    Measuring(CURRENT.with(|c| c.replace(Some((store, reads)))))
}

/// Restores what was current before [`measuring`].
pub struct Measuring(Option<(Arc<Store>, u64)>);

impl Drop for Measuring {
    fn drop(&mut self) {
        CURRENT.with(|c| c.replace(self.0.take()));
    }
}

/// How many relations `f` follows: reads per item besides the item's own.
fn relations(f: &Filter) -> usize {
    match f {
        Filter::And(fs) | Filter::Or(fs) => fs.iter().map(relations).sum(),
        Filter::Not(g) => relations(g),
        Filter::One(_, g) | Filter::Many(_, _, g) | Filter::Sources(_, g) => 1 + relations(g),
        Filter::Under(_) => 1,
        _ => 0,
    }
}

/// The items a root list of `scans` reads with `tree` as its filter.
fn scanned(store: &Arc<Store>, reads: u64, scans: Scans, tree: Option<&Filter>) -> usize {
    let Ok(sizes) = store.sizes() else {
        return MAX_PAGE;
    };
    match scans {
        Scans::Fundings => sizes.fundings,
        Scans::Records(kind) => {
            let whole = sizes.counts.of(kind);
            // As `filter::apply` decides.
            let narrowed = tree.and_then(|tree| {
                let reader = ReadBudget::new(Arc::clone(store), reads, "filter");
                reader.candidates(kind, tree, whole / 2).ok().flatten()
            });
            narrowed.map_or(whole, |records| records.len())
        }
    }
}

/// Whether the selection of a list `field` asks for `aggregate` or `groupedAggregates`
/// (directly or in an inline fragment), or may (through a named fragment, which is not
/// looked into): each reads the whole list.
pub fn aggregates(field: &Field) -> bool {
    fn any(set: &SelectionSet) -> bool {
        set.items.iter().any(|s| match &s.node {
            Selection::Field(f) => {
                matches!(f.node.name.node.as_str(), "aggregate" | "groupedAggregates")
            }
            Selection::InlineFragment(i) => any(&i.node.selection_set.node),
            Selection::FragmentSpread(_) => true,
        })
    }
    any(&field.selection_set.node)
}

/// The complexity of a root list of `scans` given `filter` and `order_keys` keys of
/// `orderBy`, with or without `aggregates`, paged by `first`/`last`, whose selection costs
/// `child_complexity` (see the module's rule).
pub fn cost<F: ToFilter>(
    scans: Scans,
    filter: Option<&F>,
    order_keys: usize,
    aggregates: bool,
    first: Option<i64>,
    last: Option<i64>,
    child_complexity: usize,
) -> usize {
    let page = page_cost(first, last, child_complexity);
    if filter.is_none() && order_keys == 0 && !aggregates {
        return page;
    }
    let (items, tree) = CURRENT.with(|c| match &*c.borrow() {
        Some((store, reads)) => {
            // A filter the limits refuse is refused when the list runs; here it costs a
            // scan of the whole list.
            let tree = filter.and_then(|f| argument(store, Some(f)).ok().flatten());
            (scanned(store, *reads, scans, tree.as_ref()), tree)
        }
        None => (MAX_PAGE, None),
    });
    let per_item = 1 + tree.as_ref().map_or(0, relations) + order_keys;
    let reads = items.saturating_mul(per_item);
    page.saturating_add(reads.div_ceil(SCAN_PER_POINT))
}
