//! The graph the model's rules read (see `model::Graph`): the store as it is, for `check`,
//! or as a change set would leave it, for a write. The store as it is is also what filters
//! read (`model::filter::Records`).

use super::keys::EdgeId;
use super::write::Change;
use super::{Result, Store, StoreError};
use crate::model::filter::Records;
use crate::model::{Edge, EdgeKind, Graph, Node, NodeRef};
use std::collections::HashMap;

/// The store as it is.
impl Graph for Store {
    type Error = StoreError;

    fn has_node(&self, r: &NodeRef) -> Result<bool> {
        self.contains(r)
    }

    fn edges_at(&self, kind: EdgeKind, node: &NodeRef, outgoing: bool) -> Result<Vec<Edge>> {
        if outgoing {
            self.edges_out(kind, node)
        } else {
            self.edges_in(kind, node)
        }
    }
}

/// The store as it is, for filters.
impl Records for Store {
    type Error = StoreError;

    fn record(&self, r: &NodeRef) -> Result<Option<Node>> {
        self.get(r)
    }

    fn edges(&self, kind: EdgeKind, node: &NodeRef, outgoing: bool) -> Result<Vec<Edge>> {
        self.edges_at(kind, node, outgoing)
    }

    fn parent(&self, r: &NodeRef) -> Result<Option<NodeRef>> {
        Ok(self.parents()?.get(r).cloned())
    }
}

/// The state the store would have once the change set is applied, for the records and
/// edges the set touches.
pub(super) struct Overlay<'a> {
    pub store: &'a Store,
    nodes: HashMap<&'a NodeRef, Option<&'a Node>>,
    pub edges: HashMap<EdgeId, Option<&'a Edge>>,
    /// The edges the change set puts, by (kind, end, whether the end is `from`).
    by_end: HashMap<(EdgeKind, &'a NodeRef, bool), Vec<&'a Edge>>,
}

impl<'a> Overlay<'a> {
    pub fn new(store: &'a Store, changes: &'a [Change], refs: &'a [Option<NodeRef>]) -> Self {
        let mut nodes = HashMap::new();
        let mut edges = HashMap::new();
        let mut by_end: HashMap<(EdgeKind, &NodeRef, bool), Vec<&Edge>> = HashMap::new();
        for change in changes {
            if let Change::InsertEdge(e) | Change::PutEdge(e) = change {
                by_end.entry((e.kind, &e.from, true)).or_default().push(e);
                by_end.entry((e.kind, &e.to, false)).or_default().push(e);
            }
        }
        for (change, node_ref) in changes.iter().zip(refs) {
            match change {
                Change::InsertNode(n) | Change::PutNode(n) => {
                    // Every node change has its ref (`refs` is made from the changes).
                    if let Some(r) = node_ref {
                        nodes.insert(r, Some(n));
                    }
                }
                Change::DeleteNode(r) => {
                    nodes.insert(r, None);
                }
                Change::InsertEdge(e) | Change::PutEdge(e) => {
                    edges.insert(EdgeId::of(e), Some(e));
                }
                Change::DeleteEdge(id) => {
                    edges.insert(id.clone(), None);
                }
                Change::Log(_) => {}
            }
        }
        Overlay {
            store,
            nodes,
            edges,
            by_end,
        }
    }

    pub fn node(&self, r: &NodeRef) -> Result<Option<Node>> {
        match self.nodes.get(r) {
            Some(n) => Ok(n.cloned()),
            None => self.store.get(r),
        }
    }

    pub fn edge_exists(&self, id: &EdgeId) -> Result<bool> {
        match self.edges.get(id) {
            Some(e) => Ok(e.is_some()),
            None => Ok(self.store.edge(id)?.is_some()),
        }
    }
}

/// The graph as the change set would leave it: what the model's rules read.
impl Graph for Overlay<'_> {
    type Error = StoreError;

    fn has_node(&self, r: &NodeRef) -> Result<bool> {
        match self.nodes.get(r) {
            Some(n) => Ok(n.is_some()),
            None => self.store.has_node(r),
        }
    }

    fn edges_at(&self, kind: EdgeKind, node: &NodeRef, outgoing: bool) -> Result<Vec<Edge>> {
        let mut out: Vec<Edge> = self
            .store
            .edges_at(kind, node, outgoing)?
            .into_iter()
            .filter(|e| !self.edges.contains_key(&EdgeId::of(e)))
            .collect();
        // An edge put twice counts once, in its last form.
        for e in self
            .by_end
            .get(&(kind, node, outgoing))
            .into_iter()
            .flatten()
        {
            let id = EdgeId::of(e);
            if let Some(Some(last)) = self.edges.get(&id)
                && std::ptr::eq(*last, *e)
            {
                out.push((*e).clone());
            }
        }
        Ok(out)
    }
}
