//! Persisted documents. Automatic persisted queries (Apollo's protocol: the client sends
//! `extensions.persistedQuery.sha256Hash`, and the document only when the server asks with
//! `PERSISTED_QUERY_NOT_FOUND`) are a bounded cache. Trusted documents are an allow-list: a
//! manifest of hash → document, and with one configured nothing else runs.

use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// The hex sha256 of a document.
pub fn sha256_hex(document: &str) -> String {
    Sha256::digest(document.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Documents clients registered by hash, the oldest forgotten first.
pub struct ApqCache {
    capacity: usize,
    inner: Mutex<(HashMap<String, String>, VecDeque<String>)>,
}

impl ApqCache {
    pub fn new(capacity: usize) -> ApqCache {
        ApqCache {
            capacity,
            inner: Mutex::new((HashMap::new(), VecDeque::new())),
        }
    }

    pub fn get(&self, hash: &str) -> Option<String> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.0.get(hash).cloned()
    }

    pub fn put(&self, hash: String, document: String) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, order) = &mut *inner;
        if map.contains_key(&hash) || self.capacity == 0 {
            return;
        }
        if map.len() >= self.capacity
            && let Some(old) = order.pop_front()
        {
            map.remove(&old);
        }
        order.push_back(hash.clone());
        map.insert(hash, document);
    }
}

/// The trusted-documents manifest: hash → document.
#[derive(Debug, Default)]
pub struct Manifest(pub HashMap<String, String>);

impl Manifest {
    /// Reads a JSON object of `"<sha256 hex>": "<document>"`; every hash must match its
    /// document.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let map: HashMap<String, String> = serde_json::from_str(text)
            .map_err(|e| format!("the manifest is not a JSON object of hash → document: {e}"))?;
        for (hash, document) in &map {
            let actual = sha256_hex(document);
            if actual != hash.to_ascii_lowercase() {
                return Err(format!(
                    "manifest entry {hash}: the document's sha256 is {actual}"
                ));
            }
        }
        Ok(Manifest(
            map.into_iter()
                .map(|(h, d)| (h.to_ascii_lowercase(), d))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_forgets_the_oldest() {
        let cache = ApqCache::new(2);
        cache.put("a".into(), "{a}".into());
        cache.put("b".into(), "{b}".into());
        cache.put("c".into(), "{c}".into());
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("c").as_deref(), Some("{c}"));
    }

    #[test]
    fn a_manifest_must_hash_right() {
        let doc = "{ __typename }";
        let ok = format!("{{\"{}\": \"{}\"}}", sha256_hex(doc), doc);
        assert!(Manifest::parse(&ok).is_ok());
        assert!(Manifest::parse("{\"00\": \"{ __typename }\"}").is_err());
    }
}
