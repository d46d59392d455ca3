//! Records decoded once and shared by every reader until the next write. A nested answer
//! reads the same records again and again (the product question reads about 400 records a
//! request, most of them the same few initiatives, meetings and sources); reading one from
//! sled and decoding it was a sixth of the time a request took.
//!
//! A record is kept with the generation it was read at (taken before the read, see
//! [`super::Store::generation`]); a shard that sees a newer generation forgets everything
//! it holds, so no record read before a write is served after it.

use crate::model::{Node, NodeRef};
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Mutex;

/// Shards, so that readers on different cores rarely wait on one lock.
const SHARDS: usize = 16;
/// Records a shard holds; past it, the shard starts over. 32,768 records in all, a few
/// MiB: the memory a server's page cache would give the same records.
const PER_SHARD: usize = 2_048;

pub(super) struct Decoded {
    hasher: foldhash::fast::RandomState,
    shards: Vec<Mutex<Shard>>,
}

#[derive(Default)]
struct Shard {
    generation: u64,
    records: HashMap<NodeRef, Node, foldhash::fast::RandomState>,
}

impl Default for Decoded {
    fn default() -> Decoded {
        Decoded {
            hasher: foldhash::fast::RandomState::default(),
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

impl Decoded {
    fn shard(&self, r: &NodeRef) -> &Mutex<Shard> {
        // The hash's low byte picks the shard (SHARDS divides 256).
        let low = self.hasher.hash_one(r).to_le_bytes()[0];
        &self.shards[usize::from(low) % SHARDS]
    }

    /// The record `r` as read at `generation`, if it is kept.
    pub fn get(&self, generation: u64, r: &NodeRef) -> Option<Node> {
        let shard = self.shard(r).lock().unwrap_or_else(|p| p.into_inner());
        if shard.generation != generation {
            return None;
        }
        shard.records.get(r).cloned()
    }

    /// Keeps `node`, read at `generation`.
    pub fn put(&self, generation: u64, r: &NodeRef, node: &Node) {
        let mut shard = self.shard(r).lock().unwrap_or_else(|p| p.into_inner());
        if shard.generation != generation {
            if shard.generation > generation {
                // Read before a write this shard has seen: already stale.
                return;
            }
            shard.records.clear();
            shard.generation = generation;
        }
        if shard.records.len() >= PER_SHARD {
            shard.records.clear();
        }
        shard.records.insert(r.clone(), node.clone());
    }
}
