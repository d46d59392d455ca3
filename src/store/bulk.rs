//! Bulk loads into an empty store: every entry sorted by tree and key (in bounded memory,
//! see [`super::spill`]), then written tree by tree without a transaction's buffering,
//! under a `loading` marker. If the process dies before the marker is cleared, the next
//! open empties the store again: a load lands whole or not at all.
//!
//! Two ways in: a list of changes verified before anything is written
//! ([`Store::load_into_empty`]), or changes fed one at a time as a file is read and
//! verified in the store once written ([`Store::streamed_load`]), which holds no change
//! longer than it takes to sort its entries.

use super::fanout::FAN_OUT_KEY;
use super::index::{edge_writes, node_entries};
use super::keys::EdgeId;
use super::postings::Chunker;
use super::spill::{Sorted, Spill};
use super::tally::TALLY_KEY;
use super::trees::TreeId;
use super::write::{Change, node_write};
use super::{LOADING_KEY, Result, Store, StoreError, decode_node, edge_from};
use crate::model::progress::{Progress, Quiet, Ticker, units};
use crate::model::{NodeKind, edge_breaches, node_breaches};
use std::sync::MutexGuard;

/// The trees a record or relationship is written to: what a streamed load writes, then
/// verifies, before it indexes.
fn holds_records(tree: TreeId) -> bool {
    matches!(tree, TreeId::Node(_) | TreeId::Out | TreeId::In)
}

impl Store {
    /// Loads `changes` into an empty store: verified whole first, then written tree by tree
    /// (see the module's doc). Fails with `Rejected` on a rule broken, or `NotEmpty` if the
    /// store holds records.
    pub fn load_into_empty(&self, changes: Vec<Change>, progress: &dyn Progress) -> Result<()> {
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if !self.is_empty()? {
            return Err(StoreError::NotEmpty);
        }
        let started = std::time::Instant::now();
        let violations = self.verify_with(&changes, progress)?;
        if !violations.is_empty() {
            return Err(StoreError::Rejected(violations));
        }
        tracing::debug!(
            changes = changes.len(),
            micros = micros(started),
            "load verified"
        );
        self.begin_load()?;
        let mut entries = Spill::new(self.sort_bytes);
        progress.phase("indexing", units(changes.len()), "changes");
        let mut ticker = Ticker::new(progress);
        // Each change is dropped once indexed: the entries grow as the changes shrink, and
        // past the sort budget they go to disk in sorted runs.
        for change in changes {
            ticker.tick();
            spill_change(&mut entries, &change)?;
        }
        drop(ticker);
        progress.phase("writing", units(entries.len()), "entries");
        let trees: Vec<TreeId> = entries.counts().map(|(tree, _)| tree).collect();
        let sorted = take_sorted(&mut entries, &trees, &Quiet)?;
        self.write_trees(sorted, progress)?;
        tracing::debug!(micros = micros(started), "load written");
        self.end_load()?;
        tracing::debug!(micros = micros(started), "load flushed");
        Ok(())
    }

    /// Starts a load into this store, fed a change at a time (see [`StreamedLoad`]). Holds
    /// the writer lock until it ends. Fails with `NotEmpty` if the store holds records.
    pub fn streamed_load(&self) -> Result<StreamedLoad<'_>> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if !self.is_empty()? {
            return Err(StoreError::NotEmpty);
        }
        Ok(StreamedLoad {
            store: self,
            _writer: writer,
            entries: Spill::new(self.sort_bytes),
        })
    }

    /// Sets the marker an interrupted load is rolled back by.
    fn begin_load(&self) -> Result<()> {
        self.tree(TreeId::Meta).insert(LOADING_KEY, &[1u8])?;
        self.db.flush()?;
        Ok(())
    }

    /// Counts and measures what was loaded, then clears the marker.
    fn end_load(&self) -> Result<()> {
        self.recount(self.trees.chunks(TreeId::Out))?;
        self.db.flush()?;
        self.remeasure_fan_out()?;
        self.advance_generation();
        self.tree(TreeId::Meta).remove(LOADING_KEY)?;
        self.db.flush()?;
        Ok(())
    }

    /// Writes each tree's entries in key order, the trees split over two threads, largest
    /// first (they are independent). Returns whether every record and relationship was
    /// written once: a key written twice to a record's or an edge's tree is one stated
    /// twice.
    fn write_trees(
        &self,
        trees: Vec<(TreeId, usize, Sorted)>,
        progress: &dyn Progress,
    ) -> Result<bool> {
        let mut groups: [Vec<(TreeId, Sorted)>; 2] = [Vec::new(), Vec::new()];
        let mut sizes = [0usize; 2];
        let mut trees = trees;
        trees.sort_by_key(|&(_, n, _)| std::cmp::Reverse(n));
        for (tree, n, sorted) in trees {
            let g = usize::from(sizes[1] < sizes[0]);
            sizes[g] += n;
            groups[g].push((tree, sorted));
        }
        std::thread::scope(|scope| {
            let handles: Vec<_> = groups
                .into_iter()
                .map(|group| {
                    scope.spawn(move || {
                        let mut once = true;
                        for (tree, sorted) in group {
                            once &= self.write_sorted(tree, sorted, progress)?;
                        }
                        Ok(once)
                    })
                })
                .collect();
            handles.into_iter().try_fold(true, |once, h| {
                let written = h.join().unwrap_or_else(|_| {
                    Err(StoreError::Corrupt("a load thread panicked".into()))
                })?;
                Ok::<_, StoreError>(once && written)
            })
        })
    }

    /// Writes one tree's entries in key order: sled takes sorted inserts much faster than
    /// scattered ones. Returns whether no key of a record's or an edge's tree came twice.
    fn write_sorted(&self, tree: TreeId, entries: Sorted, progress: &dyn Progress) -> Result<bool> {
        // Plain inserts in key order: sled's `apply_batch` holds every page a batch touches
        // until the batch ends, which at scale 1,000 grew the process to 10 GB.
        let t = self.tree(tree);
        let mut ticker = Ticker::new(progress);
        let mut once = true;
        let mut last: Option<Vec<u8>> = None;
        let mut chunker = tree.chunked().then(Chunker::default);
        entries.for_each(|key, value| {
            ticker.tick();
            if holds_records(tree) {
                once &= last.as_deref() != Some(key);
                last = Some(key.to_vec());
            }
            match &mut chunker {
                None => {
                    t.insert(key, value)?;
                }
                Some(chunker) => {
                    if let Some((key, chunk)) = chunker.push(key, value) {
                        t.insert(key, chunk)?;
                    }
                }
            }
            Ok(())
        })?;
        if let Some((key, chunk)) = chunker.as_mut().and_then(Chunker::finish) {
            t.insert(key, chunk)?;
        }
        Ok(once)
    }

    /// Whether every record and relationship obeys the model's rules, read in the store:
    /// the records on one thread, the relationships on another.
    pub(super) fn obeys_rules(&self, progress: &dyn Progress) -> Result<bool> {
        std::thread::scope(|scope| {
            let records = scope.spawn(|| self.records_obey_rules(progress));
            let edges = self.edges_obey_rules(progress);
            let records = records
                .join()
                .unwrap_or_else(|_| Err(StoreError::Corrupt("a check thread panicked".into())));
            Ok(records? && edges?)
        })
    }

    fn records_obey_rules(&self, progress: &dyn Progress) -> Result<bool> {
        let mut ticker = Ticker::new(progress);
        for kind in NodeKind::ALL {
            let tree = TreeId::Node(kind);
            for kv in self.tree(tree).iter() {
                let (key, value) = kv?;
                ticker.tick();
                let node = decode_node(kind, &value).map_err(|e| super::corrupt(tree, &key, e))?;
                if !node_breaches(&node, self)?.is_empty() {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    fn edges_obey_rules(&self, progress: &dyn Progress) -> Result<bool> {
        let mut ticker = Ticker::new(progress);
        for kv in self.trees.entries(TreeId::Out) {
            let (key, value) = kv?;
            ticker.tick();
            let id = EdgeId::decode(&key, true)
                .ok_or_else(|| StoreError::Corrupt(format!("edge/out: undecodable key {key:?}")))?;
            if !edge_breaches(&edge_from(id, &value, &key)?, self)?.is_empty() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Empties every tree a load writes (the records, both directions of the edges, the
    /// indexes) and what `meta` holds of them. The change log stays: a store whose records
    /// were all deleted still holds the log of those writes, which a load never writes.
    fn empty_again(&self) -> Result<()> {
        for id in TreeId::all() {
            if !matches!(id, TreeId::Meta | TreeId::Log | TreeId::LogById) {
                self.tree(id).clear()?;
            }
        }
        let meta = self.tree(TreeId::Meta);
        meta.remove(TALLY_KEY)?;
        meta.remove(FAN_OUT_KEY)?;
        meta.remove(LOADING_KEY)?;
        self.db.flush()?;
        // What readers kept of the records is stale.
        self.advance_generation();
        Ok(())
    }

    /// Empties a store whose bulk load was interrupted.
    pub(super) fn roll_back_interrupted_load(&self) -> Result<bool> {
        if self.tree(TreeId::Meta).get(LOADING_KEY)?.is_none() {
            return Ok(false);
        }
        self.empty_again()?;
        Ok(true)
    }
}

/// A load into an empty store fed a record or relationship at a time, as a file is read.
/// Nothing is verified as it is fed: [`StreamedLoad::finish`] writes the records and
/// relationships, then reads every rule against them in the store.
pub struct StreamedLoad<'a> {
    store: &'a Store,
    _writer: MutexGuard<'a, ()>,
    entries: Spill,
}

impl StreamedLoad<'_> {
    /// Adds a record or a relationship (`PutNode`, `PutEdge`; an empty store has nothing to
    /// delete, and a load is not logged).
    pub fn push(&mut self, change: &Change) -> Result<()> {
        spill_change(&mut self.entries, change)
    }

    /// Writes the records and relationships, verifies them in the store, then indexes them:
    /// the phases `verifying` (records and relationships), `indexing` (the index trees'
    /// entries sorted) and `writing` (index entries). Returns `false`, the store empty
    /// again, if a record or relationship was fed twice or one breaks a rule: what is wrong
    /// is then found by verifying the changes ([`Store::load_into_empty`]), which names
    /// each fault.
    pub fn finish(mut self, progress: &dyn Progress) -> Result<bool> {
        let store = self.store;
        store.begin_load()?;
        let landed = self.write_verified(progress);
        if !matches!(landed, Ok(true)) {
            // Refused, or failed midway: empty again now, not at the next open, so that
            // nothing in this process reads half a load.
            if let Err(e) = store.empty_again() {
                tracing::error!("a refused load could not be emptied: {e}");
            }
        }
        landed
    }

    /// [`StreamedLoad::finish`]'s work under the loading marker: `false` if refused.
    fn write_verified(&mut self, progress: &dyn Progress) -> Result<bool> {
        let store = self.store;
        let started = std::time::Instant::now();
        let (records, indexes): (Vec<TreeId>, Vec<TreeId>) = self
            .entries
            .counts()
            .map(|(tree, _)| tree)
            .partition(|&tree| holds_records(tree));
        let count = |trees: &[TreeId]| -> usize {
            trees.iter().map(|&tree| self.entries.count(tree)).sum()
        };
        // Each record and edge is verified once (`edge/in` mirrors `edge/out`).
        let verified = count(&records) - self.entries.count(TreeId::In);
        let index_entries = count(&indexes);
        progress.phase("verifying", units(verified), "records and relationships");
        let sorted = take_sorted(&mut self.entries, &records, &Quiet)?;
        let once = store.write_trees(sorted, &Quiet)?;
        tracing::debug!(micros = micros(started), "streamed load: records written");
        if !(once && store.obeys_rules(progress)?) {
            return Ok(false);
        }
        tracing::debug!(micros = micros(started), "streamed load: verified");
        progress.phase("indexing", units(indexes.len()), "indexes");
        let sorted = take_sorted(&mut self.entries, &indexes, progress)?;
        progress.phase("writing", units(index_entries), "entries");
        store.write_trees(sorted, progress)?;
        tracing::debug!(micros = micros(started), "streamed load: indexes written");
        store.end_load()?;
        Ok(true)
    }
}

/// Adds the entries a record or relationship writes: the record, or both directions of
/// the edge, and every index entry they imply.
fn spill_change(entries: &mut Spill, change: &Change) -> Result<()> {
    if let Some((tree, key, Some(value))) = node_write(change) {
        entries.push(tree, &key, &value)?;
    }
    match change {
        Change::InsertNode(node) | Change::PutNode(node) => {
            for (tree, key, value) in node_entries(node) {
                entries.push(tree, &key, &value)?;
            }
        }
        Change::InsertEdge(edge) | Change::PutEdge(edge) => {
            let out_key = EdgeId::of(edge).out_key();
            for (tree, key, value) in edge_writes(edge, &out_key) {
                entries.push(tree, &key, &value)?;
            }
        }
        Change::DeleteNode(_) | Change::DeleteEdge(_) | Change::Log(_) => {}
    }
    Ok(())
}

/// Each of `trees` with its entries' count and its entries in key order (the held ones
/// sorted, the spilled runs opened), telling `progress` of each tree.
fn take_sorted(
    entries: &mut Spill,
    trees: &[TreeId],
    progress: &dyn Progress,
) -> Result<Vec<(TreeId, usize, Sorted)>> {
    trees
        .iter()
        .map(|&tree| {
            let n = entries.count(tree);
            let sorted = entries.take(tree)?;
            progress.advance(1);
            Ok((tree, n, sorted))
        })
        .collect()
}

fn micros(started: std::time::Instant) -> u64 {
    u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
}
