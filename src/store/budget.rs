//! Reads under a budget: a reader that may make at most so many reads of the store, for work
//! a request asks for whose size the request does not show (a filter over a whole list).

use super::{Result, Store, StoreError};
use crate::model::filter::Records;
use crate::model::{Edge, EdgeKind, Node, NodeRef};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The store, read at most `reads` times (a record, or one record's edges of a kind, is one
/// read); past that, every read fails with [`StoreError::OverBudget`].
pub struct ReadBudget {
    store: Arc<Store>,
    left: AtomicU64,
    reads: u64,
    what: String,
}

impl ReadBudget {
    /// A budget of `reads` for `what` (named in the error: "filter").
    pub fn new(store: Arc<Store>, reads: u64, what: impl Into<String>) -> ReadBudget {
        ReadBudget {
            store,
            left: AtomicU64::new(reads),
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
        self.left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(n)
            })
            .map(|_| ())
            .map_err(|_| StoreError::OverBudget {
                what: self.what.clone(),
                reads: self.reads,
            })
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
        self.left.load(Ordering::Relaxed)
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
            "filter needs more than 2 reads of the store, the most one list may take"
        );
    }
}
