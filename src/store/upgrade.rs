//! `upgrade`: rewrites a store of the previous format in place.
//!
//! Format 3 kept one sled key per edge and per index entry; format 4 keeps the edges and
//! the indexes as posting lists ([`super::postings`]), and counts the edges in `meta`. The
//! entries themselves are the same bytes in both, so an upgrade rewrites the
//! [chunked](TreeId::chunked) trees only, streaming each in key order (memory stays one
//! chunk deep, whatever the store's size).
//!
//! It is all-or-nothing through a marker in `meta`, the way a bulk load is:
//! 1. the format becomes 4 and `upgrading` is set, in one batch: from here, an older build
//!    refuses the store and this one says to finish the upgrade;
//! 2. each index is cut into chunks in a tree beside it (`upgrade/<name>`); the old index
//!    is untouched, so an interruption here starts this step again;
//! 3. `upgrading` moves to step 3; each index is emptied and the chunks copied in, which an
//!    interruption also repeats whole;
//! 4. the side trees are dropped and the marker removed.

use super::postings::Chunker;
use super::trees::TreeId;
use super::{FORMAT_KEY, FORMAT_VERSION, Options, Result, Store, StoreError};
use crate::model::progress::{Progress, Ticker, units};
use std::path::Path;

/// The format an upgrade starts from.
pub const PREVIOUS_FORMAT: u32 = 3;
/// Present while an upgrade is under way: the step it is at.
pub(super) const UPGRADING_KEY: &[u8] = b"upgrading";

const STEP_CHUNK: u8 = 2;
const STEP_SWAP: u8 = 3;

/// What [`Store::upgrade`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upgrade {
    /// The store was of the current format already.
    Current,
    /// The store was upgraded from `from` (an interrupted upgrade was finished, if `resumed`).
    Upgraded { from: u32, resumed: bool },
}

fn side_tree(id: TreeId) -> String {
    format!("upgrade/{}", id.name())
}

impl Store {
    /// Upgrades the store in `dir` to [`FORMAT_VERSION`] in place, or finishes an upgrade
    /// that was interrupted, and closes it. A store of another format is refused with
    /// [`StoreError::Version`].
    pub fn upgrade(dir: &Path, options: &Options, progress: &dyn Progress) -> Result<Upgrade> {
        if !Store::exists_at(dir) {
            return Err(StoreError::Missing {
                dir: dir.to_owned(),
            });
        }
        let store = Store::open_unchecked(dir, options)?;
        let meta = store.tree(TreeId::Meta);
        let step = meta.get(UPGRADING_KEY)?.and_then(|v| v.first().copied());
        let found = store.stored_format()?;
        let resumed = step.is_some();
        let step = match (found, step) {
            (Some(FORMAT_VERSION), None) => return Ok(Upgrade::Current),
            (Some(FORMAT_VERSION), Some(step)) => step,
            (Some(PREVIOUS_FORMAT), None) => {
                let mut batch = sled::Batch::default();
                batch.insert(FORMAT_KEY, &FORMAT_VERSION.to_be_bytes());
                batch.insert(UPGRADING_KEY, &[STEP_CHUNK]);
                meta.apply_batch(batch)?;
                store.db.flush()?;
                STEP_CHUNK
            }
            (found, _) => {
                return Err(StoreError::Version {
                    dir: dir.to_owned(),
                    found: found.unwrap_or(0),
                    expected: FORMAT_VERSION,
                });
            }
        };
        let chunked: Vec<TreeId> = TreeId::all().into_iter().filter(|t| t.chunked()).collect();
        if step <= STEP_CHUNK {
            for &id in &chunked {
                store.chunk_beside(id, progress)?;
            }
            store.db.flush()?;
            meta.insert(UPGRADING_KEY, &[STEP_SWAP])?;
            store.db.flush()?;
        }
        for &id in &chunked {
            store.swap_in(id, progress)?;
        }
        store.db.flush()?;
        for &id in &chunked {
            store.db.drop_tree(side_tree(id))?;
        }
        // The handles `store.trees` holds on the swapped trees are stale: count the edges
        // through a fresh one.
        store.recount(&super::postings::Postings::new(
            store.db.open_tree(TreeId::Out.name())?,
        ))?;
        meta.remove(UPGRADING_KEY)?;
        store.db.flush()?;
        Ok(Upgrade::Upgraded {
            from: PREVIOUS_FORMAT,
            resumed,
        })
    }

    /// Step 2: the entries of index `id`, one per key as the previous format keeps them, cut
    /// into chunks in the side tree.
    fn chunk_beside(&self, id: TreeId, progress: &dyn Progress) -> Result<()> {
        let old = self.tree(id);
        let side = self.db.open_tree(side_tree(id))?;
        side.clear()?;
        progress.phase("chunking an index", units(old.len()), "entries");
        let mut ticker = Ticker::new(progress);
        let mut chunker = Chunker::default();
        for kv in old.iter() {
            let (key, value) = kv?;
            if let Some((key, chunk)) = chunker.push(&key, &value) {
                side.insert(key, chunk)?;
            }
            ticker.tick();
        }
        if let Some((key, chunk)) = chunker.finish() {
            side.insert(key, chunk)?;
        }
        Ok(())
    }

    /// Step 3: index `id` emptied, and its chunks copied in from the side tree. The index is
    /// dropped whole rather than cleared key by key (a minute at scale 1,000): the store's
    /// own handle on it goes stale, so the store must be opened again afterwards.
    fn swap_in(&self, id: TreeId, progress: &dyn Progress) -> Result<()> {
        let side = self.db.open_tree(side_tree(id))?;
        self.db.drop_tree(id.name())?;
        let tree = self.db.open_tree(id.name())?;
        progress.phase("writing an index", units(side.len()), "chunks");
        let mut ticker = Ticker::new(progress);
        for kv in side.iter() {
            let (key, chunk) = kv?;
            tree.insert(key, chunk)?;
            ticker.tick();
        }
        Ok(())
    }
}
