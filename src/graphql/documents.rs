//! Parsed documents kept for the next request with the same text: clients send the same few
//! documents again and again (an app's queries, a report, GraphiQL's introspection), and
//! parsing one costs more than copying its parse. What is kept is a document that passed
//! every check made on its text alone (size, nesting, shape, directives; see `limits`), with
//! what those checks found; checks that depend on the request (variables, the operation it
//! names, the store's sizes at validation) still run on every request.
//!
//! Bounded in entries and in weight, an estimate of a parse's size from its text: a value or a
//! name parses into about a hundred bytes however short its text (`[1 1 1 …]` grows fifty
//! times), so a document weighs its bytes plus [`PER_TOKEN`] for each token. A client sending
//! ever new documents only churns the cache.

use async_graphql::parser::types::ExecutableDocument;
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// The most documents kept.
const MAX_ENTRIES: usize = 512;
/// The most weight kept, all documents together (about the bytes their parses take).
const MAX_WEIGHT: usize = 8 << 20;
/// A document weighing more than this is parsed every time (rare, and it would push out
/// many): a 32 KB document of short tokens weighs about 1.5 MB.
const MAX_DOCUMENT_WEIGHT: usize = 256 << 10;
/// The weight of a token beside its text: about what a parsed name or value takes.
const PER_TOKEN: usize = 96;

/// A document's weight: its bytes, and [`PER_TOKEN`] for each name, number, string or
/// punctuator it holds (a run of name characters is one token; so is each punctuator).
fn weight(text: &str) -> usize {
    let mut tokens: usize = 0;
    let mut in_word = false;
    for b in text.bytes() {
        let word = b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.' || b >= 0x80;
        let punctuator = matches!(
            b,
            b'{' | b'}'
                | b'('
                | b')'
                | b'['
                | b']'
                | b':'
                | b'$'
                | b'!'
                | b'='
                | b'@'
                | b'|'
                | b'&'
                | b'"'
        );
        if (word && !in_word) || punctuator {
            tokens += 1;
        }
        in_word = word;
    }
    text.len().saturating_add(tokens.saturating_mul(PER_TOKEN))
}

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
    /// The weight of the documents kept.
    weight: usize,
}

impl Default for Documents {
    fn default() -> Self {
        Documents {
            inner: Mutex::new(Inner {
                entries: LruCache::new(NonZeroUsize::new(MAX_ENTRIES).unwrap_or(NonZeroUsize::MIN)),
                weight: 0,
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
        let w = weight(text);
        if w > MAX_DOCUMENT_WEIGHT {
            return;
        }
        let mut inner = self.lock();
        while inner.weight + w > MAX_WEIGHT {
            let Some((old, _)) = inner.entries.pop_lru() else {
                break;
            };
            inner.weight -= weight(&old);
        }
        if let Some((old, _)) = inner.entries.push(text.to_owned(), prepared) {
            // The same text (a race of two first requests), or the entry pushed out.
            inner.weight -= weight(&old);
        }
        inner.weight += w;
    }

    /// Documents kept, and their weight.
    #[cfg(test)]
    pub fn size(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.entries.len(), inner.weight)
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
    fn kept_documents_are_found_by_their_text_and_bounded_in_count_and_weight() {
        let cache = Documents::default();
        cache.insert("{ a }", prepared("{ a }"));
        assert!(cache.get("{ a }").is_some());
        assert!(cache.get("{ a  }").is_none());
        cache.insert("{ a }", prepared("{ a }"));
        assert_eq!(cache.size(), (1, weight("{ a }")));

        for i in 0..MAX_ENTRIES + 10 {
            let text = format!("{{ f{i} }}");
            cache.insert(&text, prepared(&text));
        }
        let (entries, kept) = cache.size();
        assert_eq!(entries, MAX_ENTRIES);
        assert!(cache.get("{ a }").is_none(), "the oldest was pushed out");

        // 32 KB of one-character values: short text, a large parse; never kept.
        let values = format!("{{ f(x: [{}]) }}", "1 ".repeat(16_000));
        assert!(weight(&values) > MAX_DOCUMENT_WEIGHT);
        cache.insert(&values, prepared("{ x }"));
        assert_eq!(cache.size(), (entries, kept), "too heavy to keep");

        // Heavy documents push out by weight before the count is reached.
        let cache = Documents::default();
        let heavy = |i: usize| format!("{{ f{i}(x: [{}]) }}", "1 ".repeat(1_200));
        assert!(weight(&heavy(0)) <= MAX_DOCUMENT_WEIGHT);
        for i in 0..200 {
            cache.insert(&heavy(i), prepared("{ y }"));
            assert!(cache.size().1 <= MAX_WEIGHT);
        }
        assert!(cache.size().0 < 200);
        assert!(cache.get(&heavy(199)).is_some());
        assert!(cache.get(&heavy(0)).is_none());
    }

    #[test]
    fn a_document_weighs_its_text_and_its_tokens() {
        assert_eq!(weight(""), 0);
        assert_eq!(weight("{ a }"), 5 + 3 * PER_TOKEN);
        assert_eq!(weight("query Q($n: Int)"), 16 + 8 * PER_TOKEN);
        assert_eq!(weight("[1 1 1]"), 7 + 5 * PER_TOKEN);
    }
}
