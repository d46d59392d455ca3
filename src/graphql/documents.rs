//! Parsed documents kept for the next request with the same text: clients send the same few
//! documents again and again (an app's queries, a report, GraphiQL's introspection), and
//! parsing one costs more than copying its parse. What is kept is a document that passed
//! every check made on its text alone (size, nesting, shape, directives; see `limits`), with
//! what those checks found; checks that depend on the request (variables, the operation it
//! names, the store's sizes at validation) still run on every request.
//!
//! Bounded in entries and in bytes of text (a document's parse is about ten times its text):
//! a client sending ever new documents only churns it.

use async_graphql::parser::types::ExecutableDocument;
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// The most documents kept.
const MAX_ENTRIES: usize = 512;
/// The most bytes of text kept, all documents together.
const MAX_BYTES: usize = 1 << 20;
/// A document longer than this is parsed every time (rare, and it would push out many).
const MAX_DOCUMENT_BYTES: usize = 32 << 10;

/// A document that passed the checks on its text.
pub struct Prepared {
    pub doc: ExecutableDocument,
    /// It asks only for the schema (introspection), which has a budget of its own.
    pub introspection_only: bool,
}

/// The cache, shared by every request of a schema.
pub struct Documents {
    inner: Mutex<Inner>,
}

struct Inner {
    entries: LruCache<String, Arc<Prepared>>,
    bytes: usize,
}

impl Default for Documents {
    fn default() -> Self {
        Documents {
            inner: Mutex::new(Inner {
                entries: LruCache::new(NonZeroUsize::new(MAX_ENTRIES).unwrap_or(NonZeroUsize::MIN)),
                bytes: 0,
            }),
        }
    }
}

impl Documents {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The prepared document of this text, if kept.
    pub fn get(&self, text: &str) -> Option<Arc<Prepared>> {
        self.lock().entries.get(text).cloned()
    }

    /// Keeps a prepared document, pushing out the least recently used ones as needed.
    pub fn insert(&self, text: &str, prepared: Arc<Prepared>) {
        if text.len() > MAX_DOCUMENT_BYTES {
            return;
        }
        let mut inner = self.lock();
        while inner.bytes + text.len() > MAX_BYTES {
            let Some((old, _)) = inner.entries.pop_lru() else {
                break;
            };
            inner.bytes -= old.len();
        }
        if let Some((old, _)) = inner.entries.push(text.to_owned(), prepared) {
            // The same text (a race of two first requests), or the entry pushed out.
            inner.bytes -= old.len();
        }
        inner.bytes += text.len();
    }

    /// Documents kept, and their bytes of text.
    #[cfg(test)]
    pub fn size(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.entries.len(), inner.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(text: &str) -> Arc<Prepared> {
        Arc::new(Prepared {
            doc: async_graphql::parser::parse_query(text).unwrap(),
            introspection_only: false,
        })
    }

    #[test]
    fn kept_documents_are_found_by_their_text_and_bounded_in_count_and_bytes() {
        let cache = Documents::default();
        cache.insert("{ a }", prepared("{ a }"));
        assert!(cache.get("{ a }").is_some());
        assert!(cache.get("{ a  }").is_none());
        cache.insert("{ a }", prepared("{ a }"));
        assert_eq!(cache.size(), (1, 5));

        for i in 0..MAX_ENTRIES + 10 {
            let text = format!("{{ f{i} }}");
            cache.insert(&text, prepared(&text));
        }
        let (entries, bytes) = cache.size();
        assert_eq!(entries, MAX_ENTRIES);
        assert!(cache.get("{ a }").is_none(), "the oldest was pushed out");

        let long = format!("{{ {} }}", "x ".repeat(MAX_DOCUMENT_BYTES));
        cache.insert(&long, prepared("{ x }"));
        assert_eq!(cache.size(), (entries, bytes), "too long to keep");

        // Large documents push out by bytes before the count is reached.
        let cache = Documents::default();
        let big = |i: usize| format!("{{ f{i} {} }}", "y ".repeat(MAX_DOCUMENT_BYTES / 2 - 8));
        for i in 0..100 {
            cache.insert(&big(i), prepared("{ y }"));
            assert!(cache.size().1 <= MAX_BYTES);
        }
        assert!(cache.get(&big(99)).is_some());
        assert!(cache.get(&big(0)).is_none());
    }
}
