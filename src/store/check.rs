//! The invariant checker behind `asean-graph check`: every value decodes and obeys every
//! rule of the model (the same rules a write and an import apply: `model::node_breaches`
//! and `model::edge_breaches`), every edge is stored in both directions with equal
//! properties, every index entry matches a record and every record has its entries.

use super::index::{Entry, edge_entries, node_entries};
use super::keys::EdgeId;
use super::spill::Spill;
use super::trees::TreeId;
use super::{FORMAT_KEY, FORMAT_VERSION, Result, Store, StoreError, codec, decode_node};
use crate::model::progress::{Progress, Quiet, Ticker, units};
use crate::model::{Breach, Edge, EdgeProps, NodeKind, edge_breaches, node_breaches};
use std::fmt;

/// How many records of each kind, and edges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts {
    pub nodes: Vec<(NodeKind, usize)>,
    pub edges: usize,
}

impl Counts {
    pub fn total_nodes(&self) -> usize {
        self.nodes.iter().map(|(_, n)| n).sum()
    }

    pub fn of(&self, kind: NodeKind) -> usize {
        self.nodes
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, n) in &self.nodes {
            write!(f, "{}: {n}, ", kind.noun())?;
        }
        write!(f, "edges: {}", self.edges)
    }
}

/// What `check` found.
#[derive(Clone, Debug)]
pub struct CheckReport {
    pub counts: Counts,
    pub index_entries: usize,
    pub violations: Vec<String>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }
}

impl Store {
    /// Verifies every invariant of the store. Reads everything: run it off the async runtime.
    pub fn check(&self) -> Result<CheckReport> {
        self.check_with(&Quiet)
    }

    /// [`Store::check`], telling `progress` how far it is: records, relationships (each in
    /// both directions), index entries. The totals are the trees' sizes as stored, which a
    /// damaged store may get wrong; the report does not rely on them.
    pub fn check_with(&self, progress: &dyn Progress) -> Result<CheckReport> {
        let mut v: Vec<String> = Vec::new();
        let counts = self.counts();
        let meta = self.tree(TreeId::Meta);
        if meta.get(FORMAT_KEY)?.as_deref() != Some(&FORMAT_VERSION.to_be_bytes()[..]) {
            v.push(format!("meta/format is not version {FORMAT_VERSION}"));
        }

        // Records.
        // The entries the records and edges imply, by tree, to be sorted.
        let mut expected = Spill::new(self.sort_bytes);
        let mut expect = |entries: Vec<Entry>| -> Result<()> {
            for (tree, key, value) in entries {
                expected.push(tree, &key, &value)?;
            }
            Ok(())
        };
        let mut node_counts = Vec::new();
        progress.phase("checking records", units(counts.total_nodes()), "records");
        let mut ticker = Ticker::new(progress);
        for kind in NodeKind::ALL {
            let tree = TreeId::Node(kind);
            let mut n = 0;
            for kv in self.tree(tree).iter() {
                let (k, val) = kv?;
                n += 1;
                ticker.tick();
                let key = String::from_utf8_lossy(&k).into_owned();
                let node = match decode_node(kind, &val) {
                    Ok(node) => node,
                    Err(e) => {
                        v.push(format!("{} {key:?}: {e}", tree.name()));
                        continue;
                    }
                };
                if node.code() != key {
                    v.push(format!(
                        "{} {key:?}: holds the record {:?}",
                        tree.name(),
                        node.code()
                    ));
                }
                report(
                    &mut v,
                    &node.node_ref().to_string(),
                    node_breaches(&node, self),
                );
                expect(node_entries(&node))?;
            }
            node_counts.push((kind, n));
        }

        drop(ticker);

        // Edges (their mirrors in `edge/in` are checked with the indexes).
        progress.phase("checking relationships", units(counts.edges), "entries");
        let mut ticker = Ticker::new(progress);
        let mut out_count = 0;
        for kv in self.trees.entries(TreeId::Out) {
            let Some((k, val)) = readable(kv, &mut v)? else {
                continue;
            };
            out_count += 1;
            ticker.tick();
            let Some(id) = EdgeId::decode(&k, true) else {
                v.push(format!("edge/out: undecodable key {k:?}"));
                continue;
            };
            let name = edge_name(&id);
            let props: EdgeProps = match codec::decode(&val) {
                Ok(p) => p,
                Err(e) => {
                    v.push(format!("{name}: {e}"));
                    // Its mirror is expected as it is: the fault is reported once.
                    expect(vec![(TreeId::In, id.in_key(), val.to_vec())])?;
                    continue;
                }
            };
            let edge = Edge {
                kind: id.kind,
                from: id.from.clone(),
                to: id.to.clone(),
                year: id.year,
                props,
            };
            report(&mut v, &name, edge_breaches(&edge, self));
            expect(edge_entries(&edge, &k))?;
        }
        drop(ticker);
        let stored = Counts {
            nodes: node_counts.clone(),
            edges: out_count,
        };
        match self.tally() {
            Ok(tally) if tally.counts() == stored => {}
            Ok(tally) => v.push(format!(
                "meta/tally counts {}, but the store holds {stored}",
                tally.counts()
            )),
            Err(e) => v.push(e.to_string()),
        }

        // Indexes: each tree's expected entries sorted, and walked beside the stored ones,
        // both in key order.
        let index_entries = expected.len();
        progress.phase("checking indexes", units(index_entries), "entries");
        let mut ticker = Ticker::new(progress);
        for tree in [
            TreeId::In,
            TreeId::Search,
            TreeId::Date,
            TreeId::Facet,
            TreeId::Approval,
            TreeId::Cite,
        ] {
            let mut want = expected.take(tree)?;
            for kv in self.trees.entries(tree) {
                let Some((k, val)) = readable(kv, &mut v)? else {
                    continue;
                };
                ticker.tick();
                // Every expected key before this one is missing.
                while let Some((missing, _)) = want.peek().filter(|(w, _)| *w < k.as_ref()) {
                    v.push(Misfit::Missing.say(tree, missing));
                    want.advance()?;
                }
                match want.peek().filter(|(w, _)| *w == k.as_ref()) {
                    None => v.push(Misfit::Stray.say(tree, &k)),
                    Some((_, w)) => {
                        if w != val.as_ref() {
                            v.push(Misfit::Wrong.say(tree, &k));
                        }
                        want.advance()?;
                    }
                }
                // The same entry implied twice is expected once.
                while want.peek().is_some_and(|(w, _)| w == k.as_ref()) {
                    want.advance()?;
                }
            }
            want.for_each(|missing, _| {
                v.push(Misfit::Missing.say(tree, missing));
                Ok(())
            })?;
        }

        v.extend(self.kept_fan_out_fault()?);

        Ok(CheckReport {
            counts: Counts {
                nodes: node_counts,
                edges: out_count,
            },
            index_entries,
            violations: v,
        })
    }
}

/// Adds what the model's rules found at `owner` (or why they could not be read).
fn report(v: &mut Vec<String>, owner: &str, breaches: Result<Vec<Breach>>) {
    match breaches {
        Ok(found) => v.extend(found.iter().map(|b| format!("{owner}: {}", b.violation))),
        Err(e) => v.push(format!("{owner}: {e}")),
    }
}

/// An entry read, or `None` with its chunk's damage reported (the check goes on past it);
/// a failure of the storage itself ends the check.
fn readable(
    kv: Result<(sled::IVec, sled::IVec)>,
    v: &mut Vec<String>,
) -> Result<Option<(sled::IVec, sled::IVec)>> {
    match kv {
        Ok(kv) => Ok(Some(kv)),
        Err(e @ StoreError::Corrupt(_)) => {
            v.push(e.to_string());
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// How an index entry fails to match what the records imply.
enum Misfit {
    Stray,
    Wrong,
    Missing,
}

impl Misfit {
    /// The violation, naming the entry: an edge by its ends (`edge/in` mirrors `edge/out`),
    /// another index's entry by its key.
    fn say(self, tree: TreeId, key: &[u8]) -> String {
        let edge = (tree == TreeId::In)
            .then(|| EdgeId::decode(key, false))
            .flatten();
        match (edge, self) {
            (Some(id), Misfit::Stray) => format!("{}: missing from edge/out", edge_name(&id)),
            (Some(id), Misfit::Wrong) => {
                format!("{}: edge/in holds different properties", edge_name(&id))
            }
            (Some(id), Misfit::Missing) => format!("{}: missing from edge/in", edge_name(&id)),
            (None, Misfit::Stray) => format!("{}: stray entry {}", tree.name(), show_key(key)),
            (None, Misfit::Wrong) => format!("{}: wrong value at {}", tree.name(), show_key(key)),
            (None, Misfit::Missing) => {
                format!("{}: missing entry {}", tree.name(), show_key(key))
            }
        }
    }
}

fn edge_name(id: &EdgeId) -> String {
    format!("{} edge {} → {}", id.kind.name(), id.from, id.to)
}

fn show_key(k: &[u8]) -> String {
    k.iter()
        .map(|&b| {
            if b.is_ascii_graphic() {
                (b as char).to_string()
            } else {
                format!("\\x{b:02x}")
            }
        })
        .collect()
}
