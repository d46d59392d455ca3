//! The posting-list chunks a set of changes rewrites, found before its transaction (a sled
//! transaction cannot iterate, and finding an entry's chunk takes a range read): under the
//! writer lock, the changes are walked in order, each record's and edge's old entries
//! taken out and its new ones put in, and the chunks those entries fall in are planned
//! ([`super::postings::Postings::plan`]). The transaction then writes the chunks as given.

use super::index::{Entry, edge_writes, node_entries};
use super::keys::EdgeId;
use super::tally::Tally;
use super::trees::TreeId;
use super::write::Change;
use super::{Result, Store, StoreError};
use crate::model::NodeRef;
use std::collections::{BTreeMap, HashMap};

/// Chunk writes: in which tree, under which key, what (`None`: remove the chunk).
pub type ChunkWrite = (TreeId, Vec<u8>, Option<Vec<u8>>);

/// What a set of changes writes to the chunked trees, and the tally it leaves.
pub struct Planned {
    pub chunks: Vec<ChunkWrite>,
    pub tally: Tally,
}

/// Whether an index entry lives in a tree of posting lists.
pub fn in_postings(entry: &Entry) -> bool {
    entry.0.chunked()
}

fn postings_only(entries: Vec<Entry>) -> Vec<Entry> {
    entries.into_iter().filter(in_postings).collect()
}

impl Store {
    /// The chunks `changes` rewrite, and the tally they leave. Call under the writer lock,
    /// and write them in the same transaction as the changes.
    pub(super) fn plan_postings(&self, changes: &[Change]) -> Result<Planned> {
        // The posting entries a record or edge has as the changes so far leave it.
        let mut nodes: HashMap<NodeRef, Vec<Entry>> = HashMap::new();
        let mut edges: HashMap<Vec<u8>, Vec<Entry>> = HashMap::new();
        // Edges the changes touch that were stored before them.
        let mut stored_before = 0u64;
        // Records the changes touch: whether each was stored before them, and is after.
        let mut records: HashMap<NodeRef, (bool, bool)> = HashMap::new();
        let mut edits: HashMap<TreeId, BTreeMap<Vec<u8>, Option<Vec<u8>>>> = HashMap::new();
        let mut edit = |old: Vec<Entry>, new: Vec<Entry>| {
            for (tree, key, _) in old {
                edits.entry(tree).or_default().insert(key, None);
            }
            for (tree, key, value) in new.iter().cloned() {
                edits.entry(tree).or_default().insert(key, Some(value));
            }
            new
        };
        for change in changes {
            match change {
                Change::InsertNode(node) | Change::PutNode(node) => {
                    let r = node.node_ref();
                    let old = match nodes.remove(&r) {
                        Some(old) => old,
                        None => self.stored_node_entries(&r, &mut records)?,
                    };
                    let new = edit(postings_only(old), postings_only(node_entries(node)));
                    records.entry(r.clone()).or_default().1 = true;
                    nodes.insert(r, new);
                }
                Change::DeleteNode(r) => {
                    let old = match nodes.remove(r) {
                        Some(old) => old,
                        None => self.stored_node_entries(r, &mut records)?,
                    };
                    records.entry(r.clone()).or_default().1 = false;
                    nodes.insert(r.clone(), edit(postings_only(old), Vec::new()));
                }
                Change::InsertEdge(edge) | Change::PutEdge(edge) => {
                    let id = EdgeId::of(edge);
                    let out_key = id.out_key();
                    let old = match edges.remove(&out_key) {
                        Some(old) => old,
                        None => self.stored_edge_writes(&id, &out_key, &mut stored_before)?,
                    };
                    let new = postings_only(edge_writes(edge, &out_key));
                    let new = edit(postings_only(old), new);
                    edges.insert(out_key, new);
                }
                Change::DeleteEdge(id) => {
                    let out_key = id.out_key();
                    let old = match edges.remove(&out_key) {
                        Some(old) => old,
                        None => self.stored_edge_writes(id, &out_key, &mut stored_before)?,
                    };
                    edges.insert(out_key, edit(postings_only(old), Vec::new()));
                }
                Change::Log(_) => {}
            }
        }
        let stored_after = edges.values().filter(|e| !e.is_empty()).count();
        let mut tally = self.tally()?;
        tally.edges = tally
            .edges
            .checked_sub(stored_before)
            .and_then(|n| n.checked_add(u64::try_from(stored_after).ok()?))
            .ok_or_else(|| StoreError::Corrupt("meta/tally: the edge count is off".into()))?;
        for (r, (before, after)) in records {
            tally.moved(r.kind, before, after)?;
        }
        let mut writes = Vec::new();
        for (tree, edits) in edits {
            let Some(postings) = self.trees.postings(tree) else {
                continue;
            };
            writes.extend(
                postings
                    .plan(edits)?
                    .into_iter()
                    .map(|(key, value)| (tree, key, value)),
            );
        }
        Ok(Planned {
            chunks: writes,
            tally,
        })
    }

    /// The stored entries of a record, if it is stored (noted in `records`).
    fn stored_node_entries(
        &self,
        r: &NodeRef,
        records: &mut HashMap<NodeRef, (bool, bool)>,
    ) -> Result<Vec<Entry>> {
        let stored = self.get(r)?;
        records.insert(r.clone(), (stored.is_some(), stored.is_some()));
        Ok(stored.map_or_else(Vec::new, |n| node_entries(&n)))
    }

    /// The stored writes of an edge, if it is stored (counted in `stored`).
    fn stored_edge_writes(
        &self,
        id: &EdgeId,
        out_key: &[u8],
        stored: &mut u64,
    ) -> Result<Vec<Entry>> {
        Ok(match self.edge(id)? {
            Some(e) => {
                *stored += 1;
                edge_writes(&e, out_key)
            }
            None => Vec::new(),
        })
    }
}
