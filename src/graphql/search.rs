//! Ranked search over codes, names, Vietnamese names, titles and people, insensitive to case
//! and diacritics ("viet nam" finds "Việt Nam").

use crate::model::{Node, NodeRef, search};
use crate::store::{Result, Store};
use std::collections::BTreeSet;

/// The most results one search returns.
pub const MAX_RESULTS: usize = 100;

/// How well a record matches: larger is better.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    code_exact: bool,
    text_exact: bool,
    text_prefix: bool,
    /// Shorter texts first: fewer words that the query did not ask for.
    shortness: std::cmp::Reverse<usize>,
}

fn score(node: &Node, folded_query: &str) -> Score {
    let code = search::fold(node.code());
    let code_exact = code == folded_query || code.replace('-', " ") == folded_query;
    let texts: Vec<String> = node
        .search_texts()
        .iter()
        .map(|t| search::tokens(t).join(" "))
        .collect();
    let text_exact = texts.iter().any(|t| t == folded_query);
    let text_prefix = texts.iter().any(|t| t.starts_with(folded_query));
    let shortest = texts.iter().map(String::len).min().unwrap_or(usize::MAX);
    Score {
        code_exact,
        text_exact,
        text_prefix,
        shortness: std::cmp::Reverse(shortest),
    }
}

/// Records matching every word of `text` (the last word may be the start of a word), best
/// first: an exact code, then an exact name, then a name starting with the text, then
/// shorter names.
pub fn run(store: &Store, text: &str, limit: usize) -> Result<Vec<Node>> {
    let tokens = search::tokens(text);
    let Some((last, rest)) = tokens.split_last() else {
        return Ok(Vec::new());
    };
    let mut candidates: Option<BTreeSet<NodeRef>> = None;
    for (token, prefix) in rest.iter().map(|t| (t, false)).chain([(last, true)]) {
        let found: BTreeSet<NodeRef> = store.search_token(token, prefix)?.into_iter().collect();
        candidates = Some(match candidates {
            None => found,
            Some(c) => c.intersection(&found).cloned().collect(),
        });
        if candidates.as_ref().is_some_and(BTreeSet::is_empty) {
            return Ok(Vec::new());
        }
    }
    let folded_query = tokens.join(" ");
    let mut scored = Vec::new();
    for r in candidates.unwrap_or_default() {
        if let Some(node) = store.get(&r)? {
            scored.push((score(&node, &folded_query), r, node));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(scored.into_iter().take(limit).map(|(_, _, n)| n).collect())
}
