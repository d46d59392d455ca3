//! The complexity of plain list fields (`sources`, `chairmanships`, `participants` …): the
//! most items the store lists under one record for that field ([`FanOut`]) times the
//! field's selection. Such lists are not paged, so without this a query nesting them —
//! `member { chairmanships { member { chairmanships { … } } } }` — multiplied its answer at
//! every level while counting 1 a field, and a 4 KB query came back as 50 MB.
//!
//! async-graphql computes complexity in its validation, through expressions that see only
//! a field's arguments, not the schema's data. So the limits hand the store's fan-out to
//! those expressions through [`measuring`] for the span of that (synchronous) validation;
//! a cost computed with none at hand assumes the largest page of a connection.

use super::connection::MAX_PAGE;
use crate::model::EdgeKind;
use crate::store::FanOut;
use std::cell::Cell;

/// What a plain list field lists.
#[derive(Clone, Copy, Debug)]
pub enum List {
    /// Edges of a kind leaving the record.
    Out(EdgeKind),
    /// Edges of a kind reaching the record.
    Into(EdgeKind),
    /// Edges of these kinds, leaving the record and reaching it.
    Both(&'static [EdgeKind]),
    Sources,
    Claims,
    Figures,
    Statuses,
}

impl List {
    /// A meeting's links to other meetings, both ways (`Meeting.meetingLinks`).
    pub const MEETING_LINKS: List = List::Both(&EdgeKind::MEETING_LINKS);
}

thread_local! {
    static CURRENT: Cell<Option<FanOut>> = const { Cell::new(None) };
}

/// Makes `fan` the fan-out list costs use on this thread until the guard drops.
pub fn measuring(fan: FanOut) -> Measuring {
    Measuring(CURRENT.with(|c| c.replace(Some(fan))))
}

/// Restores the fan-out that was current before [`measuring`].
pub struct Measuring(Option<FanOut>);

impl Drop for Measuring {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.0));
    }
}

/// The most items `list` can hold under one record.
fn items(list: List) -> usize {
    CURRENT
        .with(Cell::get)
        .map_or(MAX_PAGE, |fan| most(&fan, list))
}

/// The most items `list` holds under one record of a store whose fan-out is `fan`.
pub fn most(fan: &FanOut, list: List) -> usize {
    match list {
        List::Out(kind) => fan.edges(kind, true),
        List::Into(kind) => fan.edges(kind, false),
        List::Both(kinds) => kinds
            .iter()
            .map(|&k| fan.edges(k, true).saturating_add(fan.edges(k, false)))
            .fold(0, usize::saturating_add),
        List::Sources => fan.sources,
        List::Claims => fan.claims,
        List::Figures => fan.figures,
        List::Statuses => fan.statuses,
    }
}

/// The complexity of a plain list field: its fan-out times its selection, capped as a
/// connection's is.
pub fn cost(list: List, child_complexity: usize) -> usize {
    super::connection::list_cost_of(items(list), child_complexity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_costs_its_fan_out_while_measuring_and_a_full_page_otherwise() {
        let fan = FanOut {
            sources: 3,
            ..FanOut::default()
        };
        assert_eq!(cost(List::Sources, 2), MAX_PAGE * 2);
        {
            let _m = measuring(fan);
            assert_eq!(cost(List::Sources, 2), 6);
            // An empty list still costs its selection once.
            assert_eq!(cost(List::Claims, 2), 2);
        }
        assert_eq!(cost(List::Sources, 2), MAX_PAGE * 2);
    }
}
