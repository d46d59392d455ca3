//! A write too large for one sled transaction (a merge of a whole file): verified whole,
//! then committed in batches. Each batch's transaction also keeps, in the `undo` tree, the
//! value every key it writes held before the write began (the first time the write touches
//! the key), under a `merging` marker in `meta`. If the process dies before the marker is
//! cleared, the next open puts every kept value back: the write lands whole or not at all.
//!
//! One transaction over the whole file held the whole write set in memory, several times
//! over; a batch holds a batch's. The price: readers in the same process would see the
//! batches land one by one, so this is for writes no server is serving (the command line's
//! `import --merge`, which holds the store's lock).

use super::fanout::FAN_OUT_KEY;
use super::posting_plan::{ChunkWrite, Planned};
use super::tally::TALLY_KEY;
use super::trees::TreeId;
use super::write::{Change, node_write};
use super::{Result, Store, StoreError};
use crate::model::progress::{Progress, units};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use std::sync::MutexGuard;

/// Present in `meta` while a batched write is under way.
const MERGING_KEY: &[u8] = b"merging";
/// The tree of kept values: key `tree index ‖ key`, value `0` (the key was absent) or
/// `1 ‖ the value it held`.
const UNDO_TREE: &str = "undo";
/// Changes per batch. A change writes a record or a few entries; each entry rewrites a
/// chunk of at most 4 KB.
const BATCH: usize = 1_000;

impl Store {
    /// Verifies the changes `build` returns (under the writer lock) as one write, then
    /// commits them in batches, all or nothing (see the module doc). For writes that are not
    /// logged (a merge of a file): a `Log` change is refused.
    pub fn apply_in_batches<E: From<StoreError>>(
        &self,
        build: impl FnOnce(&Store) -> std::result::Result<Vec<Change>, E>,
        progress: &dyn Progress,
    ) -> std::result::Result<(), E> {
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let changes = build(self)?;
        if changes.iter().any(|c| matches!(c, Change::Log(_))) {
            return Err(StoreError::Corrupt("a batched write cannot be logged".into()).into());
        }
        let violations = self.verify_with(&changes, progress)?;
        if !violations.is_empty() {
            return Err(StoreError::Rejected(violations).into());
        }
        let undo = self.db.open_tree(UNDO_TREE).map_err(StoreError::from)?;
        let written = self.write_batches(&changes, &undo, progress);
        let finished = match written {
            Ok(()) => self.finish_batches(&undo),
            Err(e) => {
                // Not a crash: put everything back now, as the next open would.
                if let Err(undoing) = self.roll_back_batches() {
                    tracing::error!("a failed batched write could not be undone: {undoing}");
                }
                Err(e)
            }
        };
        // The snapshots and the fan-out are read again, whatever landed.
        self.advance_generation();
        finished.map_err(E::from)
    }

    fn write_batches(
        &self,
        changes: &[Change],
        undo: &sled::Tree,
        progress: &dyn Progress,
    ) -> Result<()> {
        self.begin_batches(undo)?;
        progress.phase("merging", units(changes.len()), "changes");
        for (i, batch) in changes.chunks(BATCH).enumerate() {
            self.commit_batch(i, batch, undo)?;
            progress.advance(units(batch.len()));
        }
        Ok(())
    }

    /// Sets the marker the batches are rolled back by, with no value kept yet.
    fn begin_batches(&self, undo: &sled::Tree) -> Result<()> {
        undo.clear()?;
        // The fan-out is measured again at the end; raising it batch by batch would be a
        // write outside the batches' transactions, which an undo would not see.
        self.forget_fan_out()?;
        self.tree(TreeId::Meta).insert(MERGING_KEY, &[1u8])?;
        self.db.flush()?;
        Ok(())
    }

    /// Commits the `i`th batch, keeping what it overwrites.
    fn commit_batch(&self, i: usize, batch: &[Change], undo: &sled::Tree) -> Result<()> {
        let planned = self.plan_postings(batch)?;
        self.commit_undoable(batch, &planned, undo)?;
        // What readers keep of the store (decoded records) is stale from here on.
        self.advance_generation();
        tracing::debug!(batch = i, changes = batch.len(), "merge batch committed");
        Ok(())
    }

    /// Starts a batched write fed a change at a time (see [`StreamedMerge`]). Holds the
    /// writer lock until it ends.
    pub fn streamed_merge(&self) -> Result<StreamedMerge<'_>> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let undo = self.db.open_tree(UNDO_TREE)?;
        self.begin_batches(&undo)?;
        Ok(StreamedMerge {
            store: self,
            _writer: writer,
            undo,
            batch: Vec::with_capacity(BATCH),
            batches: 0,
            ended: false,
        })
    }

    /// Clears the marker, then the kept values (a crash between them leaves values that
    /// nothing reads, cleared by the next batched write).
    fn finish_batches(&self, undo: &sled::Tree) -> Result<()> {
        self.db.flush()?;
        self.tree(TreeId::Meta).remove(MERGING_KEY)?;
        self.db.flush()?;
        undo.clear()?;
        self.remeasure_fan_out().map(|_| ())
    }

    /// Commits one batch: its records, its chunks and the tally, each key's prior value
    /// kept first.
    fn commit_undoable(
        &self,
        changes: &[Change],
        planned: &Planned,
        undo: &sled::Tree,
    ) -> Result<()> {
        let tally: ChunkWrite = (
            TreeId::Meta,
            TALLY_KEY.to_vec(),
            Some(planned.tally.encode()),
        );
        let records: Vec<ChunkWrite> = changes.iter().filter_map(node_write).collect();
        let writes: Vec<&ChunkWrite> = records
            .iter()
            .chain(&planned.chunks)
            .chain([&tally])
            .collect();
        let mut trees = self.trees.all.clone();
        trees.push(undo.clone());
        let result = trees.as_slice().transaction(|txs| {
            let (undo, txs) = txs.split_last().ok_or(ConflictableTransactionError::Abort(
                StoreError::Corrupt("no undo tree".into()),
            ))?;
            for (tree, key, value) in &writes {
                let t = &txs[tree.index()];
                keep_prior(undo, t, *tree, key)?;
                match value {
                    Some(value) => t.insert(key.as_slice(), value.as_slice())?,
                    None => t.remove(key.as_slice())?,
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

    /// Puts back every value a batched write that did not finish had changed. Returns
    /// whether there was one.
    pub(super) fn roll_back_batches(&self) -> Result<bool> {
        let meta = self.tree(TreeId::Meta);
        if meta.get(MERGING_KEY)?.is_none() {
            return Ok(false);
        }
        let undo = self.db.open_tree(UNDO_TREE)?;
        for kv in undo.iter() {
            let (k, v) = kv?;
            let bad = || StoreError::Corrupt(format!("undo: an undecodable entry {k:?}"));
            let (&index, key) = k.split_first().ok_or_else(bad)?;
            let tree = self.trees.all.get(usize::from(index)).ok_or_else(bad)?;
            match v.split_first() {
                Some((&0, [])) => tree.remove(key)?,
                Some((&1, prior)) => tree.insert(key, prior)?,
                _ => return Err(bad()),
            };
        }
        self.db.flush()?;
        // Whatever fan-out the batches left is measured again.
        meta.remove(FAN_OUT_KEY)?;
        meta.remove(MERGING_KEY)?;
        self.db.flush()?;
        undo.clear()?;
        Ok(true)
    }
}

/// A batched write into a store that holds records (a merge of a file read a record at a
/// time), all or nothing as [`Store::apply_in_batches`] is, but verified once written:
/// changes are committed a batch at a time as they are fed, unverified, and
/// [`StreamedMerge::finish`] reads every rule against the whole store, then keeps the
/// write or undoes it. Dropped unfinished, it is undone.
pub struct StreamedMerge<'a> {
    store: &'a Store,
    _writer: MutexGuard<'a, ()>,
    undo: sled::Tree,
    batch: Vec<Change>,
    batches: usize,
    /// Whether the write was kept or undone already.
    ended: bool,
}

impl StreamedMerge<'_> {
    /// The store as the batches so far left it.
    pub fn store(&self) -> &Store {
        self.store
    }

    /// Adds a change (not a `Log`: a merge is not logged), committing a batch when one is
    /// full.
    pub fn push(&mut self, change: Change) -> Result<()> {
        if matches!(change, Change::Log(_)) {
            return Err(StoreError::Corrupt(
                "a batched write cannot be logged".into(),
            ));
        }
        self.batch.push(change);
        if self.batch.len() >= BATCH {
            self.commit()?;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        if !self.batch.is_empty() {
            self.store
                .commit_batch(self.batches, &self.batch, &self.undo)?;
            self.batches += 1;
            self.batch.clear();
        }
        Ok(())
    }

    /// Commits what is left, then reads every rule against the store (the phase
    /// `verifying`, records and relationships). Returns `false`, the store as it was before
    /// the write, if one is broken: what is wrong is then found by verifying the changes
    /// ([`Store::apply_in_batches`]), which names each fault.
    pub fn finish(mut self, progress: &dyn Progress) -> Result<bool> {
        self.commit()?;
        let store = self.store;
        let counts = store.counts();
        progress.phase(
            "verifying",
            units(counts.total_nodes() + counts.edges),
            "records and relationships",
        );
        // A failure to read drops the write unended: it is undone.
        let kept = store.obeys_rules(progress)?;
        self.ended = true;
        let ended = match kept {
            true => store.finish_batches(&self.undo),
            false => store.roll_back_batches().map(|_| ()),
        };
        // The snapshots and the fan-out are read again, whatever landed.
        store.advance_generation();
        ended.map(|()| kept)
    }
}

impl Drop for StreamedMerge<'_> {
    fn drop(&mut self) {
        if !self.ended {
            if let Err(e) = self.store.roll_back_batches() {
                tracing::error!("an unfinished merge could not be undone: {e}");
            }
            self.store.advance_generation();
        }
    }
}

/// Keeps the value `key` of `tree` holds, unless an earlier batch of the same write kept
/// it already (the value before the write is what an undo puts back).
fn keep_prior(
    undo: &TransactionalTree,
    tree: &TransactionalTree,
    id: TreeId,
    key: &[u8],
) -> std::result::Result<(), ConflictableTransactionError<StoreError>> {
    let index = u8::try_from(id.index()).map_err(|_| {
        ConflictableTransactionError::Abort(StoreError::Corrupt("a tree index past 255".into()))
    })?;
    let mut undo_key = Vec::with_capacity(key.len() + 1);
    undo_key.push(index);
    undo_key.extend_from_slice(key);
    if undo.get(&undo_key)?.is_none() {
        let kept = match tree.get(key)? {
            None => vec![0],
            Some(prior) => [&[1u8][..], &prior].concat(),
        };
        undo.insert(undo_key, kept)?;
    }
    Ok(())
}
