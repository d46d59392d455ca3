//! Ranked search as a top-k read of the search index ([`super::keys`]): the hits are found
//! in rank order and the read stops once a page is full, so that the first hits of a common
//! word cost the same in a large store as in a small one.
//!
//! A page is read from four streams, best tier first:
//! - the code tiers: the one code the query can be (`iai tf` → `IAI-TF`), read in each kind;
//! - the text tier: the start run of the query's first word, up to the shortness of the
//!   query itself (a text that is the query is no longer than it);
//! - the start runs of the query's first word (or of every word it starts, for a one-word
//!   query) give the records with a text starting with the query;
//! - the word runs of the query's longest whole word (or of every word the last one starts)
//!   give every other record holding all the words; each is read to find its tier, and
//!   those of a better tier (listed already) are passed over.
//!
//! A position (the cursor's key) is `255 − tier ‖ shortness ‖ ref(record)`: byte order is
//! rank order, and each run can seek to it.

use super::budget::Reads;
use super::keys::{self, SearchRun, prefix_end, search_prefix, take_ref};
use super::postings::Postings;
use super::trees::TreeId;
use super::{Result, Store, StoreError};
use crate::model::search::{Query, Tier, code_phrases, rank, shortness, text_phrases};
use crate::model::{Node, NodeKind, NodeRef, normalize_code};
use sled::IVec;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::ops::Bound;

/// One hit of a search.
#[derive(Clone, Debug)]
pub struct Hit {
    pub node: Node,
    pub tier: Tier,
    /// The record's shortness: the tie-break within a tier.
    pub shortness: u16,
    /// The field that matched best (`code`, `name`, `titleVi`…).
    pub field: &'static str,
    /// The hit's place in the ranking: what a cursor holds.
    pub position: Vec<u8>,
}

/// What to look for and where to stop.
pub struct SearchRequest<'a> {
    pub query: &'a Query,
    /// The kinds of record to keep (all when empty).
    pub kinds: &'a [NodeKind],
    /// Start after this position.
    pub after: Option<&'a [u8]>,
    /// How many hits at most.
    pub limit: usize,
    /// The index entries and records the search may still read: one budget may serve
    /// every search of a request.
    pub reads: &'a Reads,
}

/// Entries read from a run per refill, past the first.
const BATCH: usize = 16;

impl Store {
    /// The best `limit` hits after `after`, best first.
    pub fn search(&self, request: &SearchRequest) -> Result<Vec<Hit>> {
        let mut search = Search::new(self, request);
        if !search.words_exist()? {
            return Ok(Vec::new());
        }
        let after = match request.after {
            None => None,
            Some(position) => Some(split_position(position)?),
        };
        // A stream holding tiers no better than the cursor's resumes after it; one holding
        // only better tiers has been read; one holding worse tiers starts at its beginning.
        if after.is_none_or(|(t, _)| t >= Tier::Code) {
            search.codes(request.after)?;
        }
        let from = |stream: Tier| match after {
            Some((t, suffix)) if t == stream => Some(Some(suffix)),
            Some((t, _)) if t < stream => None,
            _ => Some(None),
        };
        if let Some(after) = from(Tier::Text) {
            search.texts(after)?;
        }
        if let Some(after) = from(Tier::Start) {
            search.starts(after)?;
        }
        if let Some(after) = from(Tier::Words) {
            search.words(after)?;
        }
        Ok(search.hits)
    }

    /// How many records hold every word of `query` (of `kinds`, all when empty).
    pub fn search_count(&self, query: &Query, kinds: &[NodeKind], reads: &Reads) -> Result<usize> {
        let request = SearchRequest {
            query,
            kinds,
            after: None,
            limit: usize::MAX,
            reads,
        };
        let mut search = Search::new(self, &request);
        if !search.words_exist()? {
            return Ok(0);
        }
        let mut merge = search.driver(None)?;
        let mut count = 0usize;
        while let Some((suffix, _)) = merge.next_group(&mut search.reads)? {
            if !matches!(search.holds_all(&suffix)?, Holds::No) {
                count += 1;
            }
        }
        Ok(count)
    }

    /// Records having the search word `word` (or one starting with it, if `prefix`).
    pub fn search_token(&self, word: &str, prefix: bool) -> Result<Vec<NodeRef>> {
        let postings = self.trees.chunks(TreeId::Search);
        let prefixes = if prefix {
            words_starting(postings, SearchRun::Word, word, usize::MAX)?
        } else {
            vec![search_prefix(SearchRun::Word, word)]
        };
        let mut out = Vec::new();
        for p in prefixes {
            for kv in postings.scan_prefix(&p) {
                let (k, _) = kv?;
                out.push(record_of(&k[p.len()..])?);
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

/// The one code a query can be: its phrase upper-cased with hyphens for spaces (codes are
/// letters, digits and hyphens; see [`crate::model::search::code_phrases`]).
fn code_of(query: &Query) -> Option<String> {
    let code = normalize_code(&query.phrase.replace(' ', "-")).ok()?;
    code_phrases(&code).contains(&query.phrase).then_some(code)
}

/// Whether `bytes` is a position a search can resume after: a tier, a shortness and a
/// record. (A cursor's tag shows only that a key was made for this search's list, and
/// anyone can make one: the key is checked as well.)
pub fn is_position(bytes: &[u8]) -> bool {
    split_position(bytes).is_ok_and(|(_, suffix)| {
        suffix
            .get(2..)
            .and_then(take_ref)
            .is_some_and(|(_, rest)| rest.is_empty())
    })
}

/// A position's tier and what follows it.
fn split_position(position: &[u8]) -> Result<(Tier, &[u8])> {
    position
        .split_first()
        .and_then(|(&t, rest)| Some((Tier::from_number(u8::MAX.checked_sub(t)?)?, rest)))
        .ok_or_else(|| StoreError::Corrupt(format!("search position {position:?}")))
}

/// The record of an entry's suffix `shortness ‖ ref`.
fn record_of(suffix: &[u8]) -> Result<NodeRef> {
    suffix
        .get(2..)
        .and_then(take_ref)
        .map(|(r, _)| r)
        .ok_or_else(|| StoreError::Corrupt(format!("idx/search: bad entry {suffix:?}")))
}

fn shortness_of(suffix: &[u8]) -> u16 {
    match suffix {
        [hi, lo, ..] => u16::from_be_bytes([*hi, *lo]),
        _ => u16::MAX,
    }
}

/// The prefixes of the entries of `run` for every word (or first word) starting with
/// `start`, one range read each; at most `most` of them.
fn words_starting(
    tree: &Postings,
    run: SearchRun,
    start: &str,
    most: usize,
) -> Result<Vec<Vec<u8>>> {
    let mut scope = vec![run as u8];
    scope.extend_from_slice(start.as_bytes());
    let mut from = scope.clone();
    let mut out = Vec::new();
    while out.len() < most {
        let Some(kv) = tree.range(Bound::Included(from), Bound::Unbounded).next() else {
            break;
        };
        let (k, _) = kv?;
        if !k.starts_with(&scope) {
            break;
        }
        let Some(end) = k.iter().skip(1).position(|&b| b == 0) else {
            return Err(StoreError::Corrupt(format!("idx/search: bad key {k:?}")));
        };
        let prefix = k[..end + 2].to_vec();
        let next = prefix_end(&prefix);
        out.push(prefix);
        match next {
            Some(next) => from = next,
            None => break,
        }
    }
    Ok(out)
}

/// The words a last word is checked against in the index rather than by reading the
/// record, when it starts no more than this many.
const FEW_WORDS: usize = 16;

/// Whether a record holds every word of a query, and the record if it was read to find out.
enum Holds {
    No,
    Yes,
    Read(Box<Node>),
}

/// A read under way.
struct Search<'a> {
    store: &'a Store,
    postings: &'a Postings,
    request: &'a SearchRequest<'a>,
    hits: Vec<Hit>,
    reads: Spending<'a>,
    /// The word-run prefixes of the words the query's last word starts, when few, for a
    /// query of several words: its records are checked against them.
    last_words: Option<Vec<Vec<u8>>>,
}

/// The budget a search spends from.
struct Spending<'a>(&'a Reads);

impl Spending<'_> {
    fn spend(&mut self, n: usize) -> Result<()> {
        self.0.spend(u64::try_from(n).unwrap_or(u64::MAX), "search")
    }
}

impl<'a> Search<'a> {
    fn new(store: &'a Store, request: &'a SearchRequest<'a>) -> Search<'a> {
        Search {
            store,
            postings: store.trees.chunks(TreeId::Search),
            request,
            hits: Vec::new(),
            reads: Spending(request.reads),
            last_words: None,
        }
    }

    /// Whether every whole word of the query is some record's word and the last starts
    /// one: if not, nothing matches, and nothing more need be read.
    fn words_exist(&mut self) -> Result<bool> {
        let (whole, last) = self.request.query.split();
        for word in whole {
            self.reads.spend(1)?;
            if self
                .postings
                .scan_prefix(&search_prefix(SearchRun::Word, word))
                .next()
                .transpose()?
                .is_none()
            {
                return Ok(false);
            }
        }
        self.reads.spend(1)?;
        Ok(!words_starting(self.postings, SearchRun::Word, last, 1)?.is_empty())
    }

    fn full(&self) -> bool {
        self.hits.len() >= self.request.limit
    }

    fn wanted(&self, kind: NodeKind) -> bool {
        self.request.kinds.is_empty() || self.request.kinds.contains(&kind)
    }

    fn get(&mut self, node: &NodeRef) -> Result<Option<Node>> {
        self.reads.spend(1)?;
        self.store.get(node)
    }

    fn push(&mut self, node: Node, tier: Tier, field: &'static str, suffix: &[u8]) {
        let mut position = vec![u8::MAX - tier.number()];
        position.extend_from_slice(suffix);
        self.hits.push(Hit {
            node,
            tier,
            shortness: shortness_of(suffix),
            field,
            position,
        });
    }

    /// The code tiers: the record of each kind whose code the query is, best first.
    fn codes(&mut self, after: Option<&[u8]>) -> Result<()> {
        let Some(code) = code_of(self.request.query) else {
            return Ok(());
        };
        let mut found = Vec::new();
        for kind in NodeKind::ALL {
            if !self.wanted(kind) {
                continue;
            }
            let record = NodeRef::new(kind, code.clone());
            let Some(node) = self.get(&record)? else {
                continue;
            };
            let phrase = &self.request.query.phrase;
            let tier = if text_phrases(&node).iter().any(|(_, p)| p == phrase) {
                Tier::CodeAndText
            } else {
                Tier::Code
            };
            let mut suffix = shortness(&node).to_be_bytes().to_vec();
            keys::push_ref(&mut suffix, &record);
            let mut position = vec![u8::MAX - tier.number()];
            position.extend_from_slice(&suffix);
            found.push((position, tier, suffix, node));
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        for (position, tier, suffix, node) in found {
            if !self.full() && after.is_none_or(|a| position.as_slice() > a) {
                self.push(node, tier, "code", &suffix);
            }
        }
        Ok(())
    }

    /// The text tier: records with a text that is the query, from the start run of its
    /// first word, up to the query's own length.
    fn texts(&mut self, after: Option<&[u8]>) -> Result<()> {
        let query = self.request.query;
        let first = query.words.first().map_or("", String::as_str);
        let longest = u16::try_from(query.phrase.len()).unwrap_or(u16::MAX);
        let code = code_of(query);
        let mut merge = Merge::new(
            self.postings,
            vec![search_prefix(SearchRun::Start, first)],
            after,
            &mut self.reads,
        )?;
        while !self.full() {
            let Some((suffix, values)) = merge.next_group(&mut self.reads)? else {
                break;
            };
            if shortness_of(&suffix) > longest {
                break;
            }
            let record = record_of(&suffix)?;
            if !self.wanted(record.kind) || code.as_ref() == Some(&record.code) {
                continue;
            }
            let exact = values
                .iter()
                .flat_map(|v| v.split(|&b| b == b'\n'))
                .any(|p| p == query.phrase.as_bytes());
            if !exact {
                continue;
            }
            if let Some(node) = self.get(&record)? {
                let field = rank(&node, query).map_or("code", |(_, f)| f);
                self.push(node, Tier::Text, field, &suffix);
            }
        }
        Ok(())
    }

    /// The start tier, from the start runs of the query's first word.
    fn starts(&mut self, after: Option<&[u8]>) -> Result<()> {
        if self.full() {
            return Ok(());
        }
        let query = self.request.query;
        let first = query.words.first().map_or("", String::as_str);
        let prefixes = if query.words.len() == 1 {
            words_starting(self.postings, SearchRun::Start, first, usize::MAX)?
        } else {
            vec![search_prefix(SearchRun::Start, first)]
        };
        self.reads.spend(prefixes.len())?;
        let code = code_of(query);
        let mut merge = Merge::new(self.postings, prefixes, after, &mut self.reads)?;
        while !self.full() {
            let Some((suffix, values)) = merge.next_group(&mut self.reads)? else {
                break;
            };
            let record = record_of(&suffix)?;
            if !self.wanted(record.kind) || code.as_ref() == Some(&record.code) {
                continue;
            }
            let mut starts = false;
            let mut exact = false;
            for value in &values {
                for phrase in value.split(|&b| b == b'\n') {
                    exact |= phrase == query.phrase.as_bytes();
                    starts |= phrase.starts_with(query.phrase.as_bytes());
                }
            }
            if !starts || exact {
                continue;
            }
            if let Some(node) = self.get(&record)? {
                let field = rank(&node, query).map_or("code", |(_, f)| f);
                self.push(node, Tier::Start, field, &suffix);
            }
        }
        Ok(())
    }

    /// The runs a search for records holding every word is driven by: the longest whole
    /// word's, or for a one-word query every word starting with it.
    fn driver(&mut self, after: Option<&[u8]>) -> Result<Merge<'a>> {
        let (whole, last) = self.request.query.split();
        let prefixes = match whole.iter().max_by_key(|w| w.len()) {
            Some(word) => {
                let few = words_starting(self.postings, SearchRun::Word, last, FEW_WORDS + 1)?;
                self.reads.spend(few.len())?;
                self.last_words = (few.len() <= FEW_WORDS).then_some(few);
                vec![search_prefix(SearchRun::Word, word)]
            }
            None => words_starting(self.postings, SearchRun::Word, last, usize::MAX)?,
        };
        self.reads.spend(prefixes.len())?;
        Merge::new(self.postings, prefixes, after, &mut self.reads)
    }

    /// Whether the record of a driver's entry is of a kind asked for and holds every word
    /// of the query: whole words and few last words checked in the index, else by reading
    /// the record (which is then handed on, not read again).
    fn holds_all(&mut self, suffix: &[u8]) -> Result<Holds> {
        let record = record_of(suffix)?;
        if !self.wanted(record.kind) {
            return Ok(Holds::No);
        }
        let (whole, _) = self.request.query.split();
        if whole.is_empty() {
            // The driver is the runs of the words the only word starts.
            return Ok(Holds::Yes);
        }
        for word in whole {
            self.reads.spend(1)?;
            let key = [search_prefix(SearchRun::Word, word).as_slice(), suffix].concat();
            if !self.postings.contains_key(&key)? {
                return Ok(Holds::No);
            }
        }
        if let Some(words) = &self.last_words {
            self.reads.spend(words.len())?;
            for prefix in words {
                if self
                    .postings
                    .contains_key(&[prefix.as_slice(), suffix].concat())?
                {
                    return Ok(Holds::Yes);
                }
            }
            return Ok(Holds::No);
        }
        let query = self.request.query;
        Ok(match self.get(&record)? {
            Some(node) if rank(&node, query).is_some() => Holds::Read(Box::new(node)),
            _ => Holds::No,
        })
    }

    /// The words tier: records holding every word whose tier is no better.
    fn words(&mut self, after: Option<&[u8]>) -> Result<()> {
        if self.full() {
            return Ok(());
        }
        let mut merge = self.driver(after)?;
        while !self.full() {
            let Some((suffix, _)) = merge.next_group(&mut self.reads)? else {
                break;
            };
            let node = match self.holds_all(&suffix)? {
                Holds::No => continue,
                Holds::Read(node) => *node,
                Holds::Yes => match self.get(&record_of(&suffix)?)? {
                    Some(node) => node,
                    None => continue,
                },
            };
            if let Some((Tier::Words, field)) = rank(&node, self.request.query) {
                self.push(node, Tier::Words, field, &suffix);
            }
        }
        Ok(())
    }
}

/// The entries under several prefixes, merged in the order of what follows the prefix
/// (shortness, then record). Each run keeps the key it has read up to and a few entries
/// read ahead, not an open iterator, so that a query starting many words holds little.
struct Merge<'a> {
    tree: &'a Postings,
    runs: Vec<Run>,
    heads: BinaryHeap<Reverse<(Vec<u8>, usize)>>,
}

struct Run {
    prefix: Vec<u8>,
    from: Bound<Vec<u8>>,
    ahead: VecDeque<(Vec<u8>, IVec)>,
}

impl<'a> Merge<'a> {
    fn new(
        tree: &'a Postings,
        prefixes: Vec<Vec<u8>>,
        after: Option<&[u8]>,
        reads: &mut Spending<'_>,
    ) -> Result<Merge<'a>> {
        let mut merge = Merge {
            tree,
            runs: Vec::with_capacity(prefixes.len()),
            heads: BinaryHeap::with_capacity(prefixes.len()),
        };
        for prefix in prefixes {
            let from = match after {
                Some(suffix) => Bound::Excluded([prefix.as_slice(), suffix].concat()),
                None => Bound::Included(prefix.clone()),
            };
            merge.runs.push(Run {
                prefix,
                from,
                ahead: VecDeque::new(),
            });
            let i = merge.runs.len() - 1;
            merge.fill(i, 1, reads)?;
        }
        Ok(merge)
    }

    /// Reads up to `n` more entries of run `i`, and puts its head on the heap.
    fn fill(&mut self, i: usize, n: usize, reads: &mut Spending<'_>) -> Result<()> {
        let Some(run) = self.runs.get_mut(i) else {
            return Ok(());
        };
        let end = prefix_end(&run.prefix).map_or(Bound::Unbounded, Bound::Excluded);
        for kv in self.tree.range(run.from.clone(), end).take(n) {
            let (k, v) = kv?;
            reads.spend(1)?;
            run.ahead.push_back((k[run.prefix.len()..].to_vec(), v));
            run.from = Bound::Excluded(k.to_vec());
        }
        if let Some((suffix, _)) = run.ahead.front() {
            self.heads.push(Reverse((suffix.clone(), i)));
        }
        Ok(())
    }

    fn next(&mut self, reads: &mut Spending<'_>) -> Result<Option<(Vec<u8>, IVec)>> {
        let Some(Reverse((_, i))) = self.heads.pop() else {
            return Ok(None);
        };
        let Some(item) = self.runs.get_mut(i).and_then(|r| r.ahead.pop_front()) else {
            return Ok(None);
        };
        match self.runs.get(i).and_then(|r| r.ahead.front()) {
            Some((suffix, _)) => self.heads.push(Reverse((suffix.clone(), i))),
            None => self.fill(i, BATCH, reads)?,
        }
        Ok(Some(item))
    }

    /// The next record's entries from every run holding it: its suffix and their values.
    fn next_group(&mut self, reads: &mut Spending<'_>) -> Result<Option<(Vec<u8>, Vec<IVec>)>> {
        let Some((suffix, value)) = self.next(reads)? else {
            return Ok(None);
        };
        let mut values = vec![value];
        while self
            .heads
            .peek()
            .is_some_and(|Reverse((next, _))| *next == suffix)
        {
            if let Some((_, value)) = self.next(reads)? {
                values.push(value);
            }
        }
        Ok(Some((suffix, values)))
    }
}
