//! The store's fan-out: the most items any one record can list — edges of a kind leaving or
//! reaching one node, sources, claims, figures and statuses on one record or edge, and the
//! records and links citing one source. A plain list field of the API costs this many times
//! its selection, so a query's complexity follows what it can really return, and a count
//! is priced by what it may read, whatever the data grows to.
//!
//! Measured by one scan the first time it is asked for, then raised by every write (never
//! lowered by a deletion: a bound may stay above the truth, never below it). It is kept in
//! `meta`, so that opening a store does not read all of it again (sled keeps every page it
//! reads in memory): each write's transaction removes it, and the write puts the raised one
//! back once committed, so a crash in between leaves it to be measured again, never stale.

use super::keys::edge_prefix;
use super::trees::TreeId;
use super::write::Change;
use super::{Result, Store, StoreError, codec, corrupt};
use crate::model::{EdgeKind, EdgeProps, Node, NodeKind};
use std::collections::BTreeSet;

/// The key of the fan-out in `meta`.
pub(super) const FAN_OUT_KEY: &[u8] = b"fan-out";

/// One slot per edge kind's tag (tags start at 1), so that no two kinds share a slot.
const TAGS: usize = EdgeKind::ALL.len() + 1;

/// The most items one record or edge lists, by what it lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FanOut {
    /// Edges of a kind leaving one node, indexed by the kind's tag.
    pub out: [usize; TAGS],
    /// Edges of a kind reaching one node, indexed by the kind's tag.
    pub into: [usize; TAGS],
    pub sources: usize,
    pub claims: usize,
    pub figures: usize,
    pub statuses: usize,
    /// Records and relationships citing one source (`Source.citationCount`).
    pub citations: usize,
}

impl FanOut {
    /// The most edges of `kind` leaving (`outgoing`) or reaching one node.
    pub fn edges(&self, kind: EdgeKind, outgoing: bool) -> usize {
        let degrees = if outgoing { &self.out } else { &self.into };
        degrees[usize::from(kind.tag()) % degrees.len()]
    }

    /// Whether each of this bound's figures is at least `measured`'s.
    fn covers(&self, measured: &FanOut) -> bool {
        let at_least = |a: &[usize], b: &[usize]| a.iter().zip(b).all(|(a, b)| a >= b);
        at_least(&self.out, &measured.out)
            && at_least(&self.into, &measured.into)
            && at_least(
                &[
                    self.sources,
                    self.claims,
                    self.figures,
                    self.statuses,
                    self.citations,
                ],
                &[
                    measured.sources,
                    measured.claims,
                    measured.figures,
                    measured.statuses,
                    measured.citations,
                ],
            )
    }

    fn raise_edges(&mut self, kind: EdgeKind, outgoing: bool, degree: usize) {
        let degrees = if outgoing {
            &mut self.out
        } else {
            &mut self.into
        };
        let slot = &mut degrees[usize::from(kind.tag()) % degrees.len()];
        *slot = (*slot).max(degree);
    }

    fn raise_node(&mut self, node: &Node) {
        let (sources, claims) = match node {
            Node::Member(r) => (r.sources.len(), r.claims.len()),
            Node::Partner(r) => (r.sources.len(), r.claims.len()),
            Node::Body(r) => (r.sources.len(), r.claims.len()),
            Node::Meeting(r) => (r.sources.len(), r.claims.len()),
            Node::Initiative(r) => (r.sources.len(), r.claims.len()),
            Node::Person(r) => (r.sources.len(), r.claims.len()),
            Node::Source(_) => (0, 0),
        };
        self.sources = self.sources.max(sources);
        self.claims = self.claims.max(claims);
        self.figures = self.figures.max(node.figures().len());
        if let Node::Partner(p) = node {
            self.statuses = self.statuses.max(p.statuses.len());
            for s in &p.statuses {
                self.sources = self.sources.max(s.sources.len());
            }
        }
    }

    fn raise_edge(&mut self, props: &EdgeProps) {
        self.sources = self.sources.max(props.sources.len());
        self.claims = self.claims.max(props.claims.len());
    }
}

impl Store {
    /// The store's fan-out (see [`FanOut`]): as kept in `meta`, or measured on first use.
    pub fn fan_out(&self) -> Result<FanOut> {
        if let Some(known) = *self.fan_out.lock().unwrap_or_else(|p| p.into_inner()) {
            return Ok(known);
        }
        // Under the writer lock, so no write lands between the scan and its result.
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        self.recall_fan_out()?;
        if let Some(kept) = *self.fan_out.lock().unwrap_or_else(|p| p.into_inner()) {
            return Ok(kept);
        }
        self.remeasure_fan_out()
    }

    fn measure_fan_out(&self) -> Result<FanOut> {
        let mut fan = FanOut::default();
        for kind in NodeKind::ALL {
            for node in self.nodes(kind) {
                fan.raise_node(&node?);
            }
        }
        // Citation keys start with the source's code and its 0: a run of keys sharing that
        // prefix is one source's citations.
        let mut run: Option<(Vec<u8>, usize)> = None;
        for entry in self.trees.chunks(TreeId::Cite).iter() {
            let (key, _) = entry?;
            let Some(end) = key.iter().position(|&b| b == 0) else {
                continue;
            };
            match &mut run {
                Some((p, n)) if p.as_slice() == &key[..=end] => *n += 1,
                _ => run = Some((key[..=end].to_vec(), 1)),
            }
            if let Some((_, n)) = &run {
                fan.citations = fan.citations.max(*n);
            }
        }
        // Edge keys start with the kind's tag and the first node's reference: a run of keys
        // sharing that prefix is one node's edges of one kind. Properties live on the `out`
        // entries only.
        for (tree, outgoing) in [(TreeId::Out, true), (TreeId::In, false)] {
            let mut run: Option<(Vec<u8>, usize)> = None;
            for entry in self.trees.entries(tree) {
                let (key, value) = entry?;
                let Some((kind, prefix_len)) = first_ref_end(&key) else {
                    continue;
                };
                if outgoing {
                    let props: EdgeProps =
                        codec::decode(&value).map_err(|e| corrupt(tree, &key, e))?;
                    fan.raise_edge(&props);
                }
                let prefix = &key[..prefix_len];
                match &mut run {
                    Some((p, n)) if p.as_slice() == prefix => *n += 1,
                    _ => run = Some((prefix.to_vec(), 1)),
                }
                if let Some((_, n)) = &run {
                    fan.raise_edges(kind, outgoing, *n);
                }
            }
        }
        Ok(fan)
    }

    /// Raises the fan-out, if it has been measured, by committed `changes`. Called under
    /// the writer lock.
    pub(super) fn raise_fan_out(&self, changes: &[Change]) {
        let mut guard = self.fan_out.lock().unwrap_or_else(|p| p.into_inner());
        let Some(fan) = guard.as_mut() else {
            return;
        };
        // Each source cited by the changes is counted once, whatever the changes' number.
        let mut cited = BTreeSet::new();
        for change in changes {
            match change {
                Change::InsertNode(node) | Change::PutNode(node) => {
                    fan.raise_node(node);
                    cited.extend(node.cited_sources());
                }
                Change::InsertEdge(edge) | Change::PutEdge(edge) => {
                    fan.raise_edge(&edge.props);
                    cited.extend(edge.cited_sources());
                    for (tree, node, outgoing) in [
                        (TreeId::Out, &edge.from, true),
                        (TreeId::In, &edge.to, false),
                    ] {
                        let degree = self
                            .trees
                            .scan_prefix(tree, &edge_prefix(edge.kind, node))
                            .count();
                        fan.raise_edges(edge.kind, outgoing, degree);
                    }
                }
                Change::DeleteNode(_) | Change::DeleteEdge(_) | Change::Log(_) => {}
            }
        }
        self.raise_citations(fan, &cited);
        // The write's transaction removed the kept one: put the raised one back.
        if let Err(e) = self
            .tree(TreeId::Meta)
            .insert(FAN_OUT_KEY, codec::encode(&*fan))
        {
            tracing::warn!("the fan-out was not kept, and will be measured again: {e}");
        }
    }

    /// Raises the most citations of one source to those of each of `sources`, counted.
    fn raise_citations(&self, fan: &mut FanOut, sources: &BTreeSet<&str>) {
        for source in sources {
            let mut prefix = Vec::new();
            super::keys::push_code(&mut prefix, source);
            let n = self.trees.chunks(TreeId::Cite).scan_prefix(&prefix).count();
            fan.citations = fan.citations.max(n);
        }
    }

    /// What is wrong with the fan-out kept in `meta`, if anything: a bound below what the
    /// store holds would price a read under its cost. For `check`.
    pub(super) fn kept_fan_out_fault(&self) -> Result<Option<String>> {
        let Some(v) = self.tree(TreeId::Meta).get(FAN_OUT_KEY)? else {
            return Ok(None);
        };
        let kept: FanOut = match codec::decode(&v) {
            Ok(kept) => kept,
            Err(e) => return Ok(Some(corrupt(TreeId::Meta, FAN_OUT_KEY, e).to_string())),
        };
        let measured = match self.measure_fan_out() {
            Ok(measured) => measured,
            // A damaged record or edge cannot be measured: `check` reports it as such.
            Err(StoreError::Corrupt(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        Ok((!kept.covers(&measured)).then(|| {
            format!(
                "meta/fan-out is below what the store holds: keeps {kept:?}, measured {measured:?}"
            )
        }))
    }

    /// Takes the kept fan-out into memory if it is not there yet, so that a write, whose
    /// transaction removes the kept one, can raise it and keep it again. Call under the
    /// writer lock, before the write.
    pub(super) fn recall_fan_out(&self) -> Result<()> {
        let mut guard = self.fan_out.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            if let Some(v) = self.tree(TreeId::Meta).get(FAN_OUT_KEY)? {
                *guard =
                    Some(codec::decode(&v).map_err(|e| corrupt(TreeId::Meta, FAN_OUT_KEY, e))?);
            }
        }
        Ok(())
    }

    /// Forgets the fan-out, kept or in memory, to be measured again.
    pub(super) fn forget_fan_out(&self) -> Result<()> {
        *self.fan_out.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.tree(TreeId::Meta).remove(FAN_OUT_KEY)?;
        Ok(())
    }

    /// Measures the fan-out and keeps it, in `meta` and in memory: on first use, and after a
    /// bulk load, which has read everything anyway, so that the server opening the store
    /// next need not. Call under the writer lock.
    pub(super) fn remeasure_fan_out(&self) -> Result<FanOut> {
        let measured = self.measure_fan_out()?;
        self.tree(TreeId::Meta)
            .insert(FAN_OUT_KEY, codec::encode(&measured))?;
        *self.fan_out.lock().unwrap_or_else(|p| p.into_inner()) = Some(measured);
        Ok(measured)
    }
}

/// The edge kind of an edge key and where its first node's reference ends.
fn first_ref_end(key: &[u8]) -> Option<(EdgeKind, usize)> {
    let kind = EdgeKind::from_tag(*key.first()?)?;
    // The kind's tag, the node kind's tag, the code, its 0.
    let code_end = key.get(2..)?.iter().position(|&b| b == 0)?;
    Some((kind, 2 + code_end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_edge_kind_has_a_slot_of_its_own() {
        let mut fan = FanOut::default();
        for (n, kind) in EdgeKind::ALL.into_iter().enumerate() {
            fan.raise_edges(kind, true, n + 1);
        }
        for (n, kind) in EdgeKind::ALL.into_iter().enumerate() {
            assert_eq!(fan.edges(kind, true), n + 1, "{kind:?}");
        }
    }
}
