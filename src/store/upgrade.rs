//! `upgrade`: rewrites a store of an earlier format in place.
//!
//! Format 3 kept one sled key per edge and per index entry; format 4 keeps the edges and
//! the indexes as posting lists ([`super::postings`]), and counts the edges in `meta`. The
//! entries themselves are the same bytes in both, so that step rewrites the
//! [chunked](TreeId::chunked) trees only, streaming each in key order (memory stays one
//! chunk deep, whatever the store's size). Format 5 gave records new fields (see
//! [`super::legacy`]): each record is read in the old layout and written in the new one,
//! which leaves its index entries as they were (the new fields are empty).
//!
//! It is all-or-nothing through a marker in `meta` (`upgrading`: the step, then the format
//! it started from), the way a bulk load is:
//! 1. the format becomes 5 and the marker is set, in one batch: from here, an older build
//!    refuses the store and this one says to finish the upgrade;
//! 2. (from 3) each index is cut into chunks in a tree beside it (`upgrade/<name>`); the old
//!    index is untouched, so an interruption here starts this step again;
//! 3. (from 3) the marker moves to step 3; each index is emptied and the chunks copied in,
//!    which an interruption also repeats whole;
//! 4. the marker moves to step 4; the side trees are dropped, the edges counted, and each
//!    record still in the old layout (its version byte says so) written in the new one, which
//!    an interruption takes up where it stopped;
//! 5. the marker is removed.

use super::postings::Chunker;
use super::trees::TreeId;
use super::{FORMAT_KEY, FORMAT_VERSION, Options, RECORD_VERSION, Result, Store, StoreError};
use crate::model::NodeKind;
use crate::model::progress::{Progress, Ticker, units};
use std::path::Path;

/// The formats an upgrade starts from.
pub const UPGRADES_FROM: [u32; 2] = [3, 4];
/// Present while an upgrade is under way: the step it is at, and the format it started from.
pub(super) const UPGRADING_KEY: &[u8] = b"upgrading";

const STEP_CHUNK: u8 = 2;
const STEP_SWAP: u8 = 3;
const STEP_RECORDS: u8 = 4;

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

/// The marker of an upgrade from `from` at `step`.
fn marker(step: u8, from: u32) -> Vec<u8> {
    vec![step, u8::try_from(from).unwrap_or(u8::MAX)]
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
        let mark = meta.get(UPGRADING_KEY)?;
        let found = store.stored_format()?;
        let resumed = mark.is_some();
        let (step, from) = match (found, mark.as_deref()) {
            (Some(FORMAT_VERSION), None) => return Ok(Upgrade::Current),
            // A marker of one byte was left by a build of format 4, upgrading from 3.
            (Some(FORMAT_VERSION | 4), Some([step, rest @ ..])) => {
                (*step, rest.first().map_or(3, |&f| u32::from(f)))
            }
            (Some(found), None) if UPGRADES_FROM.contains(&found) => {
                let step = if found == 3 { STEP_CHUNK } else { STEP_RECORDS };
                (step, found)
            }
            (found, _) => {
                return Err(StoreError::Version {
                    dir: dir.to_owned(),
                    found: found.unwrap_or(0),
                    expected: FORMAT_VERSION,
                });
            }
        };
        let mut batch = sled::Batch::default();
        batch.insert(FORMAT_KEY, &FORMAT_VERSION.to_be_bytes());
        batch.insert(UPGRADING_KEY, marker(step, from));
        meta.apply_batch(batch)?;
        store.db.flush()?;
        let chunked: Vec<TreeId> = TreeId::all().into_iter().filter(|t| t.chunked()).collect();
        if step <= STEP_CHUNK {
            for &id in &chunked {
                store.chunk_beside(id, progress)?;
            }
            store.db.flush()?;
            meta.insert(UPGRADING_KEY, marker(STEP_SWAP, from))?;
            store.db.flush()?;
        }
        if step <= STEP_SWAP {
            for &id in &chunked {
                store.swap_in(id, progress)?;
            }
            store.db.flush()?;
            // Past here the side trees are spent: a resumed upgrade must not swap them in.
            meta.insert(UPGRADING_KEY, marker(STEP_RECORDS, from))?;
            store.db.flush()?;
        }
        for &id in &chunked {
            store.db.drop_tree(side_tree(id))?;
        }
        if from == 3 {
            // The handles `store.trees` holds on the swapped trees are stale: count the edges
            // through a fresh one.
            store.recount(&super::postings::Postings::new(
                store.db.open_tree(TreeId::Out.name())?,
            ))?;
        }
        store.rewrite_records(progress)?;
        meta.remove(UPGRADING_KEY)?;
        store.db.flush()?;
        Ok(Upgrade::Upgraded { from, resumed })
    }

    /// Step 4: every record still in the layout of format 4 written in this one.
    fn rewrite_records(&self, progress: &dyn Progress) -> Result<()> {
        for kind in NodeKind::ALL {
            let id = TreeId::Node(kind);
            let tree = self.tree(id);
            progress.phase("rewriting records", units(tree.len()), "records");
            let mut ticker = Ticker::new(progress);
            for kv in tree.iter() {
                let (key, value) = kv?;
                if value.first() != Some(&RECORD_VERSION) {
                    let node = super::legacy::decode_node(kind, &value)
                        .map_err(|e| super::corrupt(id, &key, e))?;
                    tree.insert(key, super::encode_node(&node))?;
                }
                ticker.tick();
            }
        }
        Ok(())
    }

    /// Step 2: the entries of index `id`, one per key as format 3 keeps them, cut
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
