//! Persisted documents. Automatic persisted queries (Apollo's protocol: the client sends
//! `extensions.persistedQuery.sha256Hash`, and the document only when the server asks with
//! `PERSISTED_QUERY_NOT_FOUND`) are a bounded cache. Trusted documents are an allow-list: a
//! manifest of hash → document, and with one configured nothing else runs. [`Documents`]
//! applies both rules, the same way for `/graphql` and `/ws`.

use crate::graphql::error;
use async_graphql::{Request, ServerError};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

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

/// Why a request's document may not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// With a trusted-documents manifest: a document (or hash) that is not in it.
    Untrusted(String),
    /// A hash alone that no client has registered (the client should send the document).
    NotFound,
    /// A document sent with a hash that is not its sha256.
    WrongHash,
    /// `extensions.persistedQuery` without a string `sha256Hash`.
    NoHash,
}

impl Refusal {
    /// The error code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Untrusted(_) => error::FORBIDDEN,
            Refusal::NotFound => error::PERSISTED_QUERY_NOT_FOUND,
            Refusal::WrongHash | Refusal::NoHash => error::BAD_USER_INPUT,
        }
    }

    /// The message clients see.
    pub fn message(&self) -> &str {
        match self {
            Refusal::Untrusted(message) => message,
            // Apollo clients recognise this exact message.
            Refusal::NotFound => "PersistedQueryNotFound",
            Refusal::WrongHash => {
                "extensions.persistedQuery.sha256Hash is not the sha256 of the query"
            }
            Refusal::NoHash => {
                "extensions.persistedQuery needs a sha256Hash: the hex sha256 of the query"
            }
        }
    }

    /// The refusal as a GraphQL error (for transports that answer with a GraphQL response).
    pub fn to_server_error(&self) -> ServerError {
        let mut e = ServerError::new(self.message(), None);
        e.extensions
            .get_or_insert_with(Default::default)
            .set("code", self.code());
        e
    }
}

/// Which documents the server runs: with a trusted-documents manifest only its documents,
/// otherwise any, with automatic persisted queries filled in from the cache. Shared by
/// `/graphql` and `/ws`.
pub struct Documents {
    trusted: Option<Arc<Manifest>>,
    apq: ApqCache,
    /// Documents larger than this are never registered: the query limits refuse them when
    /// they run, and the cache must not keep what can never run.
    max_document_bytes: usize,
}

impl Documents {
    pub fn new(
        trusted: Option<Arc<Manifest>>,
        apq_capacity: usize,
        max_document_bytes: usize,
    ) -> Documents {
        Documents {
            trusted,
            apq: ApqCache::new(apq_capacity),
            max_document_bytes,
        }
    }

    /// Fills in the document of a request that names one by hash
    /// (`extensions.persistedQuery.sha256Hash`), registers a document sent with its hash,
    /// and with a manifest, refuses anything not in it.
    pub fn resolve(&self, mut request: Request) -> Result<Request, Refusal> {
        let hash = request
            .extensions
            .get("persistedQuery")
            .and_then(|pq| match pq {
                async_graphql::Value::Object(o) => o.get("sha256Hash"),
                _ => None,
            })
            .and_then(|h| match h {
                async_graphql::Value::String(h) => Some(h.to_ascii_lowercase()),
                _ => None,
            });
        if hash.is_none() && request.extensions.contains_key("persistedQuery") {
            return Err(Refusal::NoHash);
        }
        if let Some(manifest) = &self.trusted {
            if request.query.is_empty() {
                let hash = hash.unwrap_or_default();
                match manifest.0.get(&hash) {
                    Some(doc) => request.query = doc.clone(),
                    None => {
                        return Err(Refusal::Untrusted(format!(
                            "{hash:?} is not a trusted document of this server"
                        )));
                    }
                }
            } else if !manifest.0.contains_key(&sha256_hex(&request.query)) {
                return Err(Refusal::Untrusted(
                    "this server runs trusted documents only, and this document is not one of them"
                        .into(),
                ));
            }
            return Ok(request);
        }
        let Some(hash) = hash else {
            return Ok(request);
        };
        if request.query.is_empty() {
            match self.apq.get(&hash) {
                Some(doc) => request.query = doc,
                None => return Err(Refusal::NotFound),
            }
        } else if sha256_hex(&request.query) != hash {
            return Err(Refusal::WrongHash);
        } else if request.query.len() <= self.max_document_bytes {
            self.apq.put(hash, request.query.clone());
        }
        Ok(request)
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
