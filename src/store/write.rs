//! Writes: a list of [`Change`]s is verified against the model's rules and the store's
//! referential integrity, then applied in one sled transaction over the records, both
//! directions of every edge and every index, then flushed. Either all of it lands or none.

use super::fanout::FAN_OUT_KEY;
use super::keys::EdgeId;
use super::log::{by_id_key, now_ms};
use super::overlay::Overlay;
use super::posting_plan::{ChunkWrite, Planned};
use super::tally::TALLY_KEY;
use super::trees::TreeId;
use super::{LogEntry, Result, Store, StoreError, codec, encode_node};
pub use crate::model::ViolationClass;
use crate::model::progress::{Progress, Quiet, Ticker, units};
use crate::model::{
    Breach, Edge, EdgeKind, Graph, Node, NodeKind, NodeRef, Violation, edge_breaches, node_breaches,
};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

/// One change to the graph.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Create a record that must not exist yet.
    InsertNode(Node),
    /// Create or replace a record.
    PutNode(Node),
    /// Delete a record; nothing may refer to it any more once the change set is applied.
    DeleteNode(NodeRef),
    /// Create an edge that must not exist yet.
    InsertEdge(Edge),
    /// Create or replace an edge.
    PutEdge(Edge),
    /// Delete an edge that exists.
    DeleteEdge(EdgeId),
    /// Append to the change log; the commit numbers the entry, one after the last (its `seq`
    /// is ignored).
    Log(LogEntry),
}

/// A broken rule, and which change (by position) broke it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeViolation {
    pub change: usize,
    pub class: ViolationClass,
    pub violation: Violation,
    /// For [`ViolationClass::NotFound`]: the record that is missing.
    pub missing: Option<NodeRef>,
}

struct Checker<'a> {
    overlay: Overlay<'a>,
    found: Vec<ChangeViolation>,
    change: usize,
}

impl Checker<'_> {
    fn add(&mut self, class: ViolationClass, path: &str, message: String) {
        self.found.push(ChangeViolation {
            change: self.change,
            class,
            violation: Violation::new(path, message),
            missing: None,
        });
    }

    fn breaches(&mut self, breaches: Vec<Breach>) {
        let change = self.change;
        self.found
            .extend(breaches.into_iter().map(|b| ChangeViolation {
                change,
                class: b.class,
                violation: b.violation,
                missing: b.missing,
            }));
    }

    fn node(&mut self, node: &Node, insert: bool) -> Result<()> {
        let r = node.node_ref();
        self.breaches(node_breaches(node, &self.overlay)?);
        if insert && self.overlay.store.contains(&r)? {
            self.add(
                ViolationClass::Conflict,
                "code",
                format!("{} {:?} already exists", r.kind.noun(), r.code),
            );
        }
        Ok(())
    }

    fn delete_node(&mut self, r: &NodeRef) -> Result<()> {
        if !self.overlay.store.contains(r)? {
            self.add(
                ViolationClass::NotFound,
                "",
                format!("no {} {:?}", r.kind.noun(), r.code),
            );
            return Ok(());
        }
        let mut referrers = Vec::new();
        for kind in EdgeKind::ALL {
            for outgoing in [true, false] {
                for e in self.overlay.edges_at(kind, r, outgoing)? {
                    referrers.push(referrer(&e, outgoing));
                }
            }
        }
        if r.kind == NodeKind::Meeting {
            for f in self.overlay.store.fundings_approved_at(&r.code)? {
                let id = EdgeId::of(&f);
                let still = match self.overlay.edges.get(&id) {
                    Some(e) => e.is_some_and(|e| e.props.approved_at.as_deref() == Some(&r.code)),
                    None => true,
                };
                if still {
                    referrers.push(format!("{} → {} (approved at it)", f.from, f.to));
                }
            }
        }
        if r.kind == NodeKind::Meeting {
            for code in self.overlay.store.partners_decided_at(&r.code)? {
                let partner = NodeRef::new(NodeKind::Partner, code);
                if let Some(node) = self.overlay.node(&partner)?
                    && node.named_meetings().iter().any(|(_, m)| *m == r.code)
                {
                    referrers.push(format!("{partner} (a status decided at it)"));
                }
            }
        }
        if r.kind == NodeKind::Source {
            let (nodes, edges) = self
                .overlay
                .store
                .citations(&r.code, &super::Reads::new(u64::MAX))?;
            for n in nodes {
                if let Some(node) = self.overlay.node(&n)?
                    && node.cited_sources().contains(&r.code.as_str())
                {
                    referrers.push(format!("{n} (cites it)"));
                }
            }
            for id in edges {
                if self.overlay.edge_exists(&id)? {
                    referrers.push(format!("{} → {} (cites it)", id.from, id.to));
                }
            }
        }
        if !referrers.is_empty() {
            referrers.sort();
            referrers.dedup();
            self.add(
                ViolationClass::Conflict,
                "",
                format!(
                    "{r} is still referred to by {}: remove those references first, or delete with cascade",
                    referrers.join(", ")
                ),
            );
        }
        Ok(())
    }

    fn edge(&mut self, e: &Edge, insert: bool) -> Result<()> {
        self.breaches(edge_breaches(e, &self.overlay)?);
        if insert && self.overlay.store.edge(&EdgeId::of(e))?.is_some() {
            self.add(
                ViolationClass::Conflict,
                "",
                format!("{} {} → {} already exists", e.kind.name(), e.from, e.to),
            );
        }
        Ok(())
    }

    fn delete_edge(&mut self, id: &EdgeId) -> Result<()> {
        if self.overlay.store.edge(id)?.is_none() {
            self.add(
                ViolationClass::NotFound,
                "",
                format!("no {} edge {} → {}", id.kind.name(), id.from, id.to),
            );
        }
        if id.kind == EdgeKind::Participant {
            for d in self
                .overlay
                .edges_at(EdgeKind::Delegation, &id.from, false)?
            {
                if d.props.party.as_ref() == Some(&id.to) {
                    self.add(
                        ViolationClass::Conflict,
                        "",
                        format!(
                            "{} headed {}'s delegation: remove that first",
                            d.from, id.to
                        ),
                    );
                }
            }
        }
        Ok(())
    }
}

/// How a deletion's conflict names an edge still referring to the record: its other end
/// and the relationship (`Meeting:IAI-TF-63 (chairedBy)`, `Chair of ASEAN in 2018`).
fn referrer(e: &Edge, outgoing: bool) -> String {
    match (e.kind, e.year) {
        (EdgeKind::Chairs, Some(year)) if outgoing => format!("Chair of {} in {year}", e.to),
        (EdgeKind::Chairs, Some(year)) => format!("{} (Chair of {} in {year})", e.from, e.to),
        _ if outgoing => format!("{} ({})", e.to, e.kind.name()),
        _ => format!("{} ({})", e.from, e.kind.name()),
    }
}

impl Store {
    /// Every rule `changes` would break if applied to the store as it is now.
    pub fn verify(&self, changes: &[Change]) -> Result<Vec<ChangeViolation>> {
        self.verify_with(changes, &Quiet)
    }

    /// [`Store::verify`], telling `progress` as it goes (a phase of its own).
    pub fn verify_with(
        &self,
        changes: &[Change],
        progress: &dyn Progress,
    ) -> Result<Vec<ChangeViolation>> {
        progress.phase("verifying", units(changes.len()), "changes");
        let refs: Vec<Option<NodeRef>> = changes
            .iter()
            .map(|c| match c {
                Change::InsertNode(n) | Change::PutNode(n) => Some(n.node_ref()),
                _ => None,
            })
            .collect();
        let mut checker = Checker {
            overlay: Overlay::new(self, changes, &refs),
            found: Vec::new(),
            change: 0,
        };
        let mut ticker = Ticker::new(progress);
        for (i, change) in changes.iter().enumerate() {
            checker.change = i;
            match change {
                Change::InsertNode(n) => checker.node(n, true)?,
                Change::PutNode(n) => checker.node(n, false)?,
                Change::DeleteNode(r) => checker.delete_node(r)?,
                Change::InsertEdge(e) => checker.edge(e, true)?,
                Change::PutEdge(e) => checker.edge(e, false)?,
                Change::DeleteEdge(id) => checker.delete_edge(id)?,
                Change::Log(_) => {}
            }
            ticker.tick();
        }
        drop(ticker);
        Ok(checker.found)
    }

    /// Verifies and applies `changes` atomically and durably.
    pub fn apply(&self, changes: Vec<Change>) -> Result<()> {
        self.transact(|_| Ok::<_, StoreError>((changes, ())))
    }

    /// Runs `build` under the writer lock (so what it reads is what the changes apply to),
    /// then verifies and applies its changes in one transaction and flushes them. A
    /// violation fails the whole write with [`StoreError::Rejected`]; nothing changes.
    pub fn transact<T, E: From<StoreError>>(
        &self,
        build: impl FnOnce(&Store) -> std::result::Result<(Vec<Change>, T), E>,
    ) -> std::result::Result<T, E> {
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let (changes, value) = build(self)?;
        let violations = self.verify(&changes)?;
        if !violations.is_empty() {
            return Err(StoreError::Rejected(violations).into());
        }
        let mut changes = changes;
        let mut logged = Vec::new();
        let mut next_seq = self.next_seq()?;
        for change in &mut changes {
            if let Change::Log(entry) = change {
                entry.seq = next_seq;
                next_seq = next_seq
                    .checked_add(1)
                    .ok_or_else(|| StoreError::Corrupt("log: seq past u64::MAX".into()))?;
                if entry.at_ms == 0 {
                    entry.at_ms = now_ms();
                }
                logged.push(entry.clone());
            }
        }
        let planned = self.plan_postings(&changes)?;
        self.recall_fan_out()?;
        self.commit(&changes, &planned)?;
        self.raise_fan_out(&changes);
        self.advance_generation_by(&changes);
        self.db.flush().map_err(StoreError::from)?;
        // Still under the writer lock: subscribers see events in commit order. A send fails
        // only when nobody listens.
        for entry in logged {
            let _ = self.events.send(entry);
        }
        Ok(value)
    }

    /// Applies `changes`: their records, the posting-list chunks planned for them (every
    /// edge and index entry) and the edge count.
    fn commit(&self, changes: &[Change], planned: &Planned) -> Result<()> {
        let result = self.trees.all.as_slice().transaction(|txs| {
            for change in changes {
                apply_one(txs, change).map_err(ConflictableTransactionError::Abort)?;
            }
            tx(txs, TreeId::Meta).insert(TALLY_KEY, planned.tally.encode())?;
            tx(txs, TreeId::Meta).remove(FAN_OUT_KEY)?;
            for (tree, key, value) in &planned.chunks {
                match value {
                    Some(value) => tx(txs, *tree).insert(key.as_slice(), value.as_slice())?,
                    None => tx(txs, *tree).remove(key.as_slice())?,
                };
            }
            Ok(())
        });
        match result {
            Ok(()) => Ok(()),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }
}

type Txs = Vec<TransactionalTree>;

fn tx(txs: &Txs, id: TreeId) -> &TransactionalTree {
    &txs[id.index()]
}

fn sled_err(e: sled::transaction::UnabortableTransactionError) -> StoreError {
    match e {
        sled::transaction::UnabortableTransactionError::Storage(e) => StoreError::Sled(e),
        // A conflict makes sled retry the closure; surfacing it here would be a bug.
        sled::transaction::UnabortableTransactionError::Conflict => {
            StoreError::Corrupt("unexpected transaction conflict".into())
        }
    }
}

/// The write of a record a change makes, if it makes one: where, and what (`None`: remove).
pub(super) fn node_write(change: &Change) -> Option<ChunkWrite> {
    match change {
        Change::InsertNode(node) | Change::PutNode(node) => {
            let r = node.node_ref();
            Some((
                TreeId::Node(r.kind),
                r.code.into_bytes(),
                Some(encode_node(node)),
            ))
        }
        Change::DeleteNode(r) => Some((TreeId::Node(r.kind), r.code.clone().into_bytes(), None)),
        _ => None,
    }
}

/// Writes a change's records and log entries. Its edges and every index entry are written
/// as the chunks [`Store::plan_postings`] planned.
fn apply_one(txs: &Txs, change: &Change) -> Result<()> {
    match change {
        Change::InsertNode(_) | Change::PutNode(_) | Change::DeleteNode(_) => {
            if let Some((tree, key, value)) = node_write(change) {
                let t = tx(txs, tree);
                match value {
                    Some(value) => t.insert(key, value),
                    None => t.remove(key),
                }
                .map_err(sled_err)?;
            }
            Ok(())
        }
        Change::InsertEdge(_) | Change::PutEdge(_) | Change::DeleteEdge(_) => Ok(()),
        Change::Log(entry) => {
            tx(txs, TreeId::Log)
                .insert(&entry.seq.to_be_bytes(), codec::encode(entry))
                .map_err(sled_err)?;
            tx(txs, TreeId::LogById)
                .insert(by_id_key(&entry.id, entry.seq), vec![])
                .map_err(sled_err)?;
            Ok(())
        }
    }
}
