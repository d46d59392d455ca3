//! The invariant checker behind `asean-graph check`: every value decodes and obeys every
//! rule of the model (the same rules a write and an import apply: `model::node_breaches`
//! and `model::edge_breaches`), every edge is stored in both directions with equal
//! properties, every index entry matches a record and every record has its entries.

use super::index::{Entry, edge_entries, node_entries};
use super::keys::EdgeId;
use super::trees::TreeId;
use super::{FORMAT_KEY, FORMAT_VERSION, Result, Store, StoreError, codec, decode_node};
use crate::model::progress::{Progress, Quiet, Ticker, units};
use crate::model::{Breach, Edge, EdgeProps, NodeKind, edge_breaches, node_breaches};
use std::collections::{BTreeMap, HashMap};
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
        let mut expected: Vec<Entry> = Vec::new();
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
                expected.extend(node_entries(&node));
            }
            node_counts.push((kind, n));
        }

        drop(ticker);

        // Edges, out then in.
        progress.phase(
            "checking relationships",
            units(counts.edges.saturating_mul(2)),
            "entries",
        );
        let mut ticker = Ticker::new(progress);
        let mut out_count = 0;
        for kv in self.tree(TreeId::Out).iter() {
            let (k, val) = kv?;
            out_count += 1;
            ticker.tick();
            let Some(id) = EdgeId::decode(&k, true) else {
                v.push(format!("edge/out: undecodable key {k:?}"));
                continue;
            };
            let name = format!("{} edge {} → {}", id.kind.name(), id.from, id.to);
            match self.tree(TreeId::In).get(id.in_key())? {
                None => v.push(format!("{name}: missing from edge/in")),
                Some(mirror) if mirror != val => {
                    v.push(format!("{name}: edge/in holds different properties"))
                }
                Some(_) => {}
            }
            let props: EdgeProps = match codec::decode(&val) {
                Ok(p) => p,
                Err(e) => {
                    v.push(format!("{name}: {e}"));
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
            expected.extend(edge_entries(&edge, &k));
        }
        for kv in self.tree(TreeId::In).iter() {
            let (k, _) = kv?;
            ticker.tick();
            match EdgeId::decode(&k, false) {
                None => v.push(format!("edge/in: undecodable key {k:?}")),
                Some(id) if !self.tree(TreeId::Out).contains_key(id.out_key())? => v.push(format!(
                    "{} edge {} → {}: missing from edge/out",
                    id.kind.name(),
                    id.from,
                    id.to
                )),
                Some(_) => {}
            }
        }
        drop(ticker);

        // Indexes.
        let mut by_tree: HashMap<TreeId, BTreeMap<Vec<u8>, Vec<u8>>> = HashMap::new();
        let index_entries = expected.len();
        for (tree, key, value) in expected {
            by_tree.entry(tree).or_default().insert(key, value);
        }
        progress.phase("checking indexes", units(index_entries), "entries");
        let mut ticker = Ticker::new(progress);
        for tree in [
            TreeId::Search,
            TreeId::Date,
            TreeId::Facet,
            TreeId::Approval,
            TreeId::Cite,
        ] {
            let mut want = by_tree.remove(&tree).unwrap_or_default();
            let entries: Box<dyn Iterator<Item = Result<(sled::IVec, sled::IVec)>>> =
                match self.trees.postings(tree) {
                    Some(postings) => postings.iter(),
                    None => Box::new(self.tree(tree).iter().map(|kv| kv.map_err(Into::into))),
                };
            for kv in entries {
                let (k, val) = match kv {
                    Ok(kv) => kv,
                    Err(e @ StoreError::Corrupt(_)) => {
                        v.push(e.to_string());
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                ticker.tick();
                match want.remove(k.as_ref()) {
                    None => v.push(format!("{}: stray entry {}", tree.name(), show_key(&k))),
                    Some(w) if w != val.as_ref() => {
                        v.push(format!("{}: wrong value at {}", tree.name(), show_key(&k)))
                    }
                    Some(_) => {}
                }
            }
            for k in want.keys() {
                v.push(format!("{}: missing entry {}", tree.name(), show_key(k)));
            }
        }

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
