//! A cache of rendered answers to queries. The graph changes only by writes, so an answer
//! computed at store generation `g` stays exact until the next write: entries key on the
//! request (document, operation, variables) and hold the generation they were computed
//! at; any write makes every entry stale at once. Only successful answers to queries are
//! kept; access checks run before the cache is consulted. The order of use is kept by the
//! `lru` crate; the bound in bytes of bodies is kept here.

use axum::body::Bytes;
use lru::LruCache;
use sha2::{Digest, Sha256};
use std::sync::Mutex;

/// A request's identity: sha256 of its document, operation name and variables.
pub type Key = [u8; 32];

/// One kept answer: the body as sent, and the name of the operation its document ran (for
/// the logs, where the request named none).
struct Entry {
    generation: u64,
    body: Bytes,
    operation: Option<String>,
}

/// The cache, bounded by the bytes of the bodies it holds (least recently used out first).
pub struct Responses {
    capacity: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    /// Unbounded in count: `put` evicts by bytes.
    entries: LruCache<Key, Entry>,
    bytes: usize,
}

impl Responses {
    /// A cache of at most `capacity` bytes of bodies; 0 turns it off.
    pub fn new(capacity: usize) -> Responses {
        Responses {
            capacity,
            inner: Mutex::new(Inner {
                entries: LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    /// The key of a request, or `None` when the cache is off.
    pub fn key(&self, request: &async_graphql::Request) -> Option<Key> {
        if self.capacity == 0 {
            return None;
        }
        let mut hash = Sha256::new();
        for part in [
            request.query.as_bytes(),
            request.operation_name.as_deref().unwrap_or("").as_bytes(),
            serde_json::to_string(&request.variables)
                .unwrap_or_default()
                .as_bytes(),
        ] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        Some(hash.finalize().into())
    }

    /// The body kept for `key`, if it was computed at `generation`, with its operation's
    /// name; asking for it marks it used.
    pub fn get(&self, key: &Key, generation: u64) -> Option<(Bytes, Option<String>)> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner
            .entries
            .get(key)
            .filter(|e| e.generation == generation)
            .map(|e| (e.body.clone(), e.operation.clone()))
    }

    /// Keeps `body` for `key`, computed at `generation`, making room by dropping the least
    /// recently used entries. A body larger than a quarter of the cache is not kept.
    pub fn put(&self, key: Key, generation: u64, body: Bytes, operation: Option<String>) {
        if body.len() > self.capacity / 4 {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let size = body.len();
        let entry = Entry {
            generation,
            body,
            operation,
        };
        if let Some(old) = inner.entries.put(key, entry) {
            inner.bytes -= old.body.len();
        }
        inner.bytes += size;
        while inner.bytes > self.capacity {
            let Some((_, e)) = inner.entries.pop_lru() else {
                break;
            };
            inner.bytes -= e.body.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str) -> async_graphql::Request {
        async_graphql::Request::new(query)
    }

    #[test]
    fn an_answer_is_kept_until_the_generation_moves() {
        let cache = Responses::new(1 << 20);
        let key = cache.key(&request("{ a }")).unwrap();
        cache.put(
            key,
            7,
            Bytes::from_static(b"{\"data\":1}"),
            Some("Q".into()),
        );
        let (body, operation) = cache.get(&key, 7).unwrap();
        assert_eq!(&body[..], &b"{\"data\":1}"[..]);
        assert_eq!(operation.as_deref(), Some("Q"));
        assert_eq!(cache.get(&key, 8), None);
    }

    #[test]
    fn document_operation_and_variables_all_make_the_key() {
        let cache = Responses::new(1 << 20);
        let base = cache.key(&request("{ a }")).unwrap();
        assert_ne!(base, cache.key(&request("{ b }")).unwrap());
        assert_ne!(
            base,
            cache.key(&request("{ a }").operation_name("Q")).unwrap()
        );
        let vars = async_graphql::Variables::from_json(serde_json::json!({ "x": 1 }));
        assert_ne!(base, cache.key(&request("{ a }").variables(vars)).unwrap());
    }

    #[test]
    fn the_least_recently_used_answers_make_room_and_an_off_cache_keeps_nothing() {
        let cache = Responses::new(100);
        let keys: Vec<Key> = (0..4)
            .map(|i| cache.key(&request(&format!("{{ f{i} }}"))).unwrap())
            .collect();
        for k in &keys {
            cache.put(*k, 0, Bytes::from(vec![b'x'; 25]), None);
        }
        // Asked for again, the first answer is now used more recently than the second.
        assert!(cache.get(&keys[0], 0).is_some());
        cache.put(
            cache.key(&request("{ g }")).unwrap(),
            0,
            Bytes::from(vec![b'y'; 25]),
            None,
        );
        assert!(
            cache.get(&keys[1], 0).is_none(),
            "the least recently used went"
        );
        assert!(cache.get(&keys[0], 0).is_some());
        assert!(cache.get(&keys[3], 0).is_some());
        assert!(Responses::new(0).key(&request("{ a }")).is_none());
    }

    #[test]
    fn the_bytes_held_stay_within_the_capacity() {
        let cache = Responses::new(1000);
        for i in 0..200_usize {
            let key = cache.key(&request(&format!("{{ f{i} }}"))).unwrap();
            cache.put(key, 0, Bytes::from(vec![b'x'; 1 + i % 250]), None);
            // A second answer for the same request replaces the first.
            cache.put(key, 1, Bytes::from(vec![b'x'; 1 + (i * 7) % 250]), None);
            let inner = cache.inner.lock().unwrap();
            let held: usize = inner.entries.iter().map(|(_, e)| e.body.len()).sum();
            assert_eq!(inner.bytes, held);
            assert!(held <= 1000, "{held}");
        }
    }
}
