//! Ordered, paginated views of a key range: the backing of every connection. A page is one
//! range scan from the cursor, so its cost follows the page (plus what a filter skips), never
//! the size of the store.

use super::Result;
use super::budget::Reads;
use super::postings::{Entries, Postings};
use crate::model::{Edge, NodeKind, NodeRef};
use std::collections::BTreeSet;
use std::ops::Bound;
use std::sync::Arc;

/// What a listing yields: a node, an edge (whose other end the caller wants), or a
/// change-log entry (by its sequence number).
#[derive(Clone, Debug, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "items live for one page; boxing would cost an allocation each"
)]
pub enum Item {
    Node(NodeRef),
    Edge(Edge),
    Change(u64),
}

type Decode = dyn Fn(&[u8], &[u8]) -> Option<Item> + Send + Sync;
type Filter = dyn Fn(&Item) -> Result<bool> + Send + Sync;
type Locate = dyn Fn(&NodeRef) -> Result<Option<Vec<u8>>> + Send + Sync;

/// Where a listing's entries are kept: a tree of one entry per key, or of posting lists.
#[derive(Clone)]
pub(super) enum Keys {
    Plain(sled::Tree),
    Postings(Postings),
}

impl From<sled::Tree> for Keys {
    fn from(tree: sled::Tree) -> Keys {
        Keys::Plain(tree)
    }
}

impl From<Postings> for Keys {
    fn from(postings: Postings) -> Keys {
        Keys::Postings(postings)
    }
}

impl Keys {
    fn tree(&self) -> &sled::Tree {
        match self {
            Keys::Plain(tree) => tree,
            Keys::Postings(p) => p.tree(),
        }
    }

    fn get(&self, key: &[u8]) -> Result<Option<sled::IVec>> {
        match self {
            Keys::Plain(tree) => Ok(tree.get(key)?),
            Keys::Postings(p) => p.get(key),
        }
    }

    fn range(&self, lo: Bound<Vec<u8>>, hi: Bound<Vec<u8>>) -> Entries<'_> {
        match self {
            Keys::Plain(tree) => Box::new(
                tree.range::<Vec<u8>, _>((lo, hi))
                    .map(|kv| kv.map_err(Into::into)),
            ),
            Keys::Postings(p) => p.range(lo, hi),
        }
    }
}

/// A key range of one tree, how to read its entries, and an optional filter.
#[derive(Clone)]
pub struct Listing {
    tree: Keys,
    lo: Vec<u8>,
    hi: Option<Vec<u8>>,
    decode: Arc<Decode>,
    filter: Option<Arc<Filter>>,
    /// For a listing of records of one kind, one entry per record: the kind, and the key a
    /// record has in the listing's tree (whether or not the listing holds it).
    locate: Option<(NodeKind, Arc<Locate>)>,
    /// Only these keys of the range are read (see [`Listing::restrict`]).
    only: Option<Arc<BTreeSet<Vec<u8>>>>,
    /// Every entry read, kept or not, spends one read of this budget, for this work
    /// (see [`Listing::spending`]).
    spend: Option<(Arc<Reads>, &'static str)>,
}

/// One page of a listing. Each item comes with its key, the cursor to resume after it.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub items: Vec<(Vec<u8>, Item)>,
    pub has_previous: bool,
    pub has_next: bool,
}

impl Listing {
    pub(super) fn prefix(
        tree: impl Into<Keys>,
        prefix: Vec<u8>,
        decode: impl Fn(&[u8], &[u8]) -> Option<Item> + Send + Sync + 'static,
    ) -> Listing {
        let hi = super::keys::prefix_end(&prefix);
        Listing::range(tree, prefix, hi, decode)
    }

    pub(super) fn range(
        tree: impl Into<Keys>,
        lo: Vec<u8>,
        hi: Option<Vec<u8>>,
        decode: impl Fn(&[u8], &[u8]) -> Option<Item> + Send + Sync + 'static,
    ) -> Listing {
        Listing {
            tree: tree.into(),
            lo,
            hi,
            decode: Arc::new(decode),
            filter: None,
            locate: None,
            only: None,
            spend: None,
        }
    }

    /// The same listing, each of whose entries read (kept by its filter or not) takes one
    /// read from `reads` for `what`: past the budget, reading fails with
    /// [`super::StoreError::OverBudget`]. So a count or a filtered page over a list whose
    /// size the request does not show costs its request what it reads.
    pub fn spending(mut self, reads: Arc<Reads>, what: &'static str) -> Listing {
        self.spend = Some((reads, what));
        self
    }

    /// Says that the listing holds records of `kind`, at most one entry each, and where
    /// one would be: `locate` gives the key a record has in the tree (`None`: it can have
    /// none). This lets [`Listing::restrict`] read only some records' entries.
    pub(super) fn locating(
        mut self,
        kind: NodeKind,
        locate: impl Fn(&NodeRef) -> Result<Option<Vec<u8>>> + Send + Sync + 'static,
    ) -> Listing {
        self.locate = Some((kind, Arc::new(locate)));
        self
    }

    /// The kind of record the listing holds, if it holds records of one kind, one entry
    /// each, and can be [restricted](Listing::restrict).
    pub fn lists(&self) -> Option<NodeKind> {
        self.locate.as_ref().map(|(kind, _)| *kind)
    }

    /// The same listing read only at the entries of `records` (others are left out): the
    /// same items under the same keys, in the same order, with the same filters, as the
    /// whole listing gives for those records, but read by direct gets instead of a scan of
    /// the range. Cursors of the whole listing stay valid. A listing that cannot locate its
    /// records ([`Listing::lists`] is `None`) is returned as it is.
    pub fn restrict(mut self, records: &BTreeSet<NodeRef>) -> Result<Listing> {
        let Some((kind, locate)) = &self.locate else {
            return Ok(self);
        };
        let mut keys = BTreeSet::new();
        for r in records.iter().filter(|r| r.kind == *kind) {
            if let Some(key) = locate(r)?
                && self.owns(&key)
                && self.only.as_ref().is_none_or(|only| only.contains(&key))
            {
                keys.insert(key);
            }
        }
        self.only = Some(Arc::new(keys));
        Ok(self)
    }

    /// The name of the tree the listing reads, for its spans.
    fn tree_name(&self) -> String {
        String::from_utf8_lossy(&self.tree.tree().name()).into_owned()
    }

    /// Keeps only the items `keep` accepts (on top of any filter already set).
    pub fn filter(
        mut self,
        keep: impl Fn(&Item) -> Result<bool> + Send + Sync + 'static,
    ) -> Listing {
        self.filter = Some(match self.filter.take() {
            None => Arc::new(keep),
            Some(prev) => Arc::new(move |item: &Item| Ok(prev(item)? && keep(item)?)),
        });
        self
    }

    /// Whether `cursor` is a key this listing could have produced.
    pub fn owns(&self, cursor: &[u8]) -> bool {
        cursor >= self.lo.as_slice() && self.hi.as_ref().is_none_or(|hi| cursor < hi.as_slice())
    }

    fn scan(
        &self,
        lo: Bound<&[u8]>,
        hi: Bound<&[u8]>,
        reverse: bool,
    ) -> Box<dyn Iterator<Item = Result<(Vec<u8>, Item)>> + '_> {
        let lo = match lo {
            Bound::Excluded(a) if a >= self.lo.as_slice() => Bound::Excluded(a.to_vec()),
            _ => Bound::Included(self.lo.clone()),
        };
        let hi = match (hi, &self.hi) {
            (Bound::Excluded(b), Some(h)) if b < h.as_slice() => Bound::Excluded(b.to_vec()),
            (Bound::Excluded(b), None) => Bound::Excluded(b.to_vec()),
            (Bound::Included(b), Some(h)) if b < h.as_slice() => Bound::Included(b.to_vec()),
            (Bound::Included(b), None) => Bound::Included(b.to_vec()),
            (_, Some(h)) => Bound::Excluded(h.clone()),
            (_, None) => Bound::Unbounded,
        };
        if range_is_empty(&lo, &hi) {
            return Box::new(std::iter::empty());
        }
        let iter: Box<dyn Iterator<Item = Result<(sled::IVec, sled::IVec)>>> = match &self.only {
            // Restricted: the chosen keys of the range, each read directly.
            Some(only) => {
                let keys = only.range::<Vec<u8>, _>((lo, hi));
                let keys: Box<dyn Iterator<Item = &Vec<u8>>> = if reverse {
                    Box::new(keys.rev())
                } else {
                    Box::new(keys)
                };
                Box::new(keys.filter_map(|k| match self.tree.get(k) {
                    Ok(Some(v)) => Some(Ok((sled::IVec::from(k.as_slice()), v))),
                    Ok(None) => None,
                    Err(e) => Some(Err(e)),
                }))
            }
            None => {
                let range = self.tree.range(lo, hi);
                if reverse {
                    Box::new(range.rev())
                } else {
                    Box::new(range)
                }
            }
        };
        Box::new(iter.filter_map(move |kv| {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => return Some(Err(e)),
            };
            if let Some((reads, what)) = &self.spend
                && let Err(e) = reads.spend(1, what)
            {
                return Some(Err(e));
            }
            let item = (self.decode)(&k, &v)?;
            match &self.filter {
                None => Some(Ok((k.to_vec(), item))),
                Some(f) => match f(&item) {
                    Ok(true) => Some(Ok((k.to_vec(), item))),
                    Ok(false) => None,
                    Err(e) => Some(Err(e)),
                },
            }
        }))
    }

    /// Every item, in order.
    pub fn all(&self) -> impl Iterator<Item = Result<(Vec<u8>, Item)>> + '_ {
        self.scan(Bound::Unbounded, Bound::Unbounded, false)
    }

    /// How many items the listing holds.
    pub fn count(&self) -> Result<usize> {
        let _span = tracing::debug_span!("store.count", tree = %self.tree_name()).entered();
        let mut n = 0;
        for item in self.all() {
            item?;
            n += 1;
        }
        Ok(n)
    }

    /// The page after `after` and before `before` (exclusive cursors): its first `first`
    /// items, or its last `last` items, or the last `last` of the first `first`, as the
    /// Relay connection specification says.
    pub fn page(
        &self,
        after: Option<&[u8]>,
        before: Option<&[u8]>,
        first: Option<usize>,
        last: Option<usize>,
    ) -> Result<Page> {
        // One span per page read, not per item: `debug`, so it costs a check of a flag unless
        // something listens (the OpenTelemetry layer, when tracing is on).
        let _span = tracing::debug_span!("store.page", tree = %self.tree_name()).entered();
        let lo = after.map_or(Bound::Unbounded, Bound::Excluded);
        let hi = before.map_or(Bound::Unbounded, Bound::Excluded);
        let mut page = Page::default();
        match (first, last) {
            (None, Some(last)) => {
                let mut items = self
                    .scan(lo, hi, true)
                    .take(last + 1)
                    .collect::<Result<Vec<_>>>()?;
                page.has_previous = items.len() > last;
                items.truncate(last);
                items.reverse();
                page.items = items;
                page.has_next = match before {
                    Some(b) => self
                        .scan(Bound::Included(b), Bound::Unbounded, false)
                        .next()
                        .is_some(),
                    None => false,
                };
            }
            (first, last) => {
                let first = first.unwrap_or(usize::MAX);
                let mut items = Vec::new();
                for item in self.scan(lo, hi, false) {
                    if items.len() == first {
                        page.has_next = true;
                        break;
                    }
                    items.push(item?);
                }
                if !page.has_next
                    && let Some(b) = before
                {
                    page.has_next = self
                        .scan(Bound::Included(b), Bound::Unbounded, false)
                        .next()
                        .is_some();
                }
                page.has_previous = match after {
                    Some(a) => self
                        .scan(Bound::Unbounded, Bound::Included(a), true)
                        .next()
                        .is_some(),
                    None => false,
                };
                if let Some(last) = last
                    && items.len() > last
                {
                    items.drain(..items.len() - last);
                    page.has_previous = true;
                }
                page.items = items;
            }
        }
        Ok(page)
    }
}

fn range_is_empty(lo: &Bound<Vec<u8>>, hi: &Bound<Vec<u8>>) -> bool {
    let lo_key = match lo {
        Bound::Included(k) | Bound::Excluded(k) => k,
        Bound::Unbounded => return false,
    };
    match hi {
        Bound::Unbounded => false,
        Bound::Included(h) => lo_key > h || (matches!(lo, Bound::Excluded(_)) && lo_key == h),
        Bound::Excluded(h) => lo_key >= h,
    }
}
