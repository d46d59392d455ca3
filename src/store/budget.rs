//! Reads under a budget, for work a request asks for whose size the request does not show
//! (a filter over a whole list, a count, a search): [`Reads`] is what one request (or one
//! batch, or the operations a socket runs at once) may still read, shared by everything it
//! runs; [`ReadBudget`] reads the store through it.

use super::{Result, Store, StoreError};
use crate::model::filter::Records;
use crate::model::{Edge, EdgeKind, Node, NodeRef};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Reads of the store left to whatever shares it; past the last, a read fails with
/// [`StoreError::OverBudget`] naming the work that ran out.
#[derive(Debug)]
pub struct Reads {
    left: AtomicU64,
    of: u64,
}

impl Reads {
    /// A budget of `of` reads.
    pub fn new(of: u64) -> Reads {
        Reads {
            left: AtomicU64::new(of),
            of,
        }
    }

    /// Takes `n` reads for `what` ("filter", "count" …), or fails if fewer are left.
    pub fn spend(&self, n: u64, what: &str) -> Result<()> {
        self.left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(n)
            })
            .map(|_| ())
            .map_err(|_| StoreError::OverBudget {
                what: what.to_owned(),
                reads: self.of,
            })
    }

    /// How many reads are left.
    pub fn left(&self) -> u64 {
        self.left.load(Ordering::Relaxed)
    }

    /// How many reads the budget began with.
    pub fn of(&self) -> u64 {
        self.of
    }
}

/// The store, read under a budget of [`Reads`] (a record, or one record's edges of a kind,
/// is one read); past it, every read fails with [`StoreError::OverBudget`].
pub struct ReadBudget {
    store: Arc<Store>,
    reads: Arc<Reads>,
    what: String,
}

impl ReadBudget {
    /// A budget of `reads` of its own for `what` (named in the error: "filter").
    pub fn new(store: Arc<Store>, reads: u64, what: impl Into<String>) -> ReadBudget {
        ReadBudget::sharing(store, Arc::new(Reads::new(reads)), what)
    }

    /// A reader spending from `reads`, which others may share.
    pub fn sharing(store: Arc<Store>, reads: Arc<Reads>, what: impl Into<String>) -> ReadBudget {
        ReadBudget {
            store,
            reads,
            what: what.into(),
        }
    }

    /// Takes one read from the budget, or fails if none is left.
    pub fn spend(&self) -> Result<()> {
        self.spend_n(1)
    }

    /// Takes `n` reads from the budget (entries read from an index), or fails if fewer
    /// are left.
    pub(super) fn spend_n(&self, n: u64) -> Result<()> {
        self.reads.spend(n, &self.what)
    }
}

impl Records for ReadBudget {
    type Error = StoreError;

    fn record(&self, r: &NodeRef) -> Result<Option<Node>> {
        self.spend()?;
        self.store.get(r)
    }

    fn edges(&self, kind: EdgeKind, node: &NodeRef, outgoing: bool) -> Result<Vec<Edge>> {
        self.spend()?;
        Records::edges(&*self.store, kind, node, outgoing)
    }

    fn parent(&self, r: &NodeRef) -> Result<Option<NodeRef>> {
        self.spend()?;
        Records::parent(&*self.store, r)
    }
}

impl ReadBudget {
    /// How many reads are left.
    pub fn left(&self) -> u64 {
        self.reads.left()
    }

    /// The budget it spends from.
    pub(super) fn reads(&self) -> &Reads {
        &self.reads
    }

    /// The store read.
    pub(super) fn store(&self) -> &Store {
        &self.store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_read_past_the_budget_fails_and_names_the_work() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let budget = ReadBudget::new(store, 2, "filter");
        let r = NodeRef::new(crate::model::NodeKind::Member, "VNM");
        assert!(budget.record(&r).is_ok());
        assert!(budget.edges(EdgeKind::Funds, &r, true).is_ok());
        let e = budget.record(&r).unwrap_err();
        assert_eq!(
            e.to_string(),
            "filter needs more than the 2 reads of the store its request may make"
        );
    }
}
