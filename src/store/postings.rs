//! Posting lists: the entries of an index tree (one search word's records, one source's
//! citations, the meetings by date…) are kept many to a sled key.
//!
//! sled 0.34 holds every page of a tree in memory once the store is open, and a page holds
//! about eight keys after a sorted load: an index of one key per entry made the store's
//! memory follow its entry count (benches/RESULTS.md, "Issue 24's spike"). Here the
//! entries, in key order, are cut into *chunks* of consecutive entries, each stored under
//! the key of its first entry, its entries front-coded. Readers see the entries one by one,
//! as if each had its own key: [`Postings::range`] and [`Postings::get`] answer in these
//! *logical* keys.
//!
//! A write (under the store's writer lock, before its transaction) finds the chunk each
//! changed entry falls in — the last chunk whose key is not past it, or the first — and
//! [`Postings::plan`] gives the chunks to rewrite: one chunk, not the whole index, split in
//! two where it grows past [`MAX_ENTRIES`] or [`MAX_BYTES`]. A bulk load cuts sorted entries
//! straight into chunks ([`Chunker`]).

use super::{Result, StoreError};
use sled::IVec;
use std::collections::BTreeMap;
use std::ops::Bound;

/// Entries a bulk load puts in a chunk.
pub const TARGET_ENTRIES: usize = 48;
/// Bytes of entries past which a bulk load starts a new chunk.
pub const TARGET_BYTES: usize = 2048;
/// Entries past which a write splits a chunk.
pub const MAX_ENTRIES: usize = 2 * TARGET_ENTRIES;
/// Bytes past which a write splits a chunk.
pub const MAX_BYTES: usize = 2 * TARGET_BYTES;

/// One tree of posting lists.
#[derive(Clone)]
pub struct Postings {
    tree: sled::Tree,
}

/// Writes to the sled tree: a chunk's key and bytes (`None`: remove the chunk).
pub type ChunkWrites = Vec<(Vec<u8>, Option<Vec<u8>>)>;

/// A logical entry: its key and value.
pub type Entry = (IVec, IVec);

/// Entries in key order, forward or back.
pub type Entries<'a> = Box<dyn DoubleEndedIterator<Item = Result<Entry>> + Send + 'a>;

impl Postings {
    pub fn new(tree: sled::Tree) -> Postings {
        Postings { tree }
    }

    pub fn tree(&self) -> &sled::Tree {
        &self.tree
    }

    fn corrupt(&self, what: &str) -> StoreError {
        StoreError::Corrupt(format!(
            "{}: {what}",
            String::from_utf8_lossy(&self.tree.name())
        ))
    }

    /// The chunk `key` belongs in, if the tree holds any: the last chunk whose key is not
    /// past `key`, or else the first.
    fn chunk_for(&self, key: &[u8]) -> Result<Option<(IVec, IVec)>> {
        if let Some(kv) = self.tree.range(..=key).next_back() {
            return Ok(Some(kv?));
        }
        Ok(self.tree.first()?)
    }

    /// The value of the entry under `key`.
    pub fn get(&self, key: &[u8]) -> Result<Option<IVec>> {
        let Some((chunk_key, chunk)) = self.chunk_for(key)? else {
            return Ok(None);
        };
        let mut found = None;
        walk_chunk(&chunk_key, &chunk, |k, v| {
            if k == key {
                found = Some(IVec::from(v));
            }
            k < key
        })
        .ok_or_else(|| self.corrupt(&format!("undecodable chunk at {chunk_key:?}")))?;
        Ok(found)
    }

    pub fn contains_key(&self, key: &[u8]) -> Result<bool> {
        Ok(self.get(key)?.is_some())
    }

    /// The entries within the bounds, in key order (or reversed): a range read of the
    /// chunks that may hold them, unpacked one chunk at a time. The chunk holding `lo` is
    /// read first, by itself; when it reaches past `hi` (a short list in the middle of a
    /// chunk: one node's edges of one kind), no other chunk is read.
    pub fn range(&self, lo: Bound<Vec<u8>>, hi: Bound<Vec<u8>>) -> Entries<'_> {
        let below = {
            let hi = hi.clone();
            move |k: &[u8]| match &hi {
                Bound::Unbounded => true,
                Bound::Included(h) => k <= h.as_slice(),
                Bound::Excluded(h) => k < h.as_slice(),
            }
        };
        let above = {
            let lo = lo.clone();
            move |k: &[u8]| match &lo {
                Bound::Unbounded => true,
                Bound::Included(l) => k >= l.as_slice(),
                Bound::Excluded(l) => k > l.as_slice(),
            }
        };
        let within = {
            let below = below.clone();
            move |k: &[u8]| above(k) && below(k)
        };
        // The chunk that holds `lo`, if any, starts at or before it.
        let first = match &lo {
            Bound::Unbounded => None,
            Bound::Included(k) | Bound::Excluded(k) => {
                match self.tree.range(..=k.as_slice()).next_back() {
                    None => None,
                    Some(Ok(kv)) => Some(kv),
                    Some(Err(e)) => return Box::new(std::iter::once(Err(e.into()))),
                }
            }
        };
        let mut kept: Vec<Result<Entry>> = Vec::new();
        let rest = match &first {
            None => Bound::Unbounded,
            Some((chunk_key, chunk)) => {
                let (entries, past) = self.keep(chunk_key, chunk, &within, &below);
                if past {
                    return Box::new(entries.into_iter());
                }
                kept = entries;
                Bound::Excluded(chunk_key.to_vec())
            }
        };
        // A chunk starting past `hi` holds nothing at or before it.
        let end = hi.clone();
        let chunks = self.tree.range::<Vec<u8>, _>((rest, end));
        Box::new(kept.into_iter().chain(chunks.flat_map(
            move |kv| -> Box<dyn DoubleEndedIterator<Item = Result<Entry>> + Send> {
                let (chunk_key, chunk) = match kv {
                    Ok(kv) => kv,
                    Err(e) => return Box::new(std::iter::once(Err(e.into()))),
                };
                Box::new(self.keep(&chunk_key, &chunk, &within, &below).0.into_iter())
            },
        )))
    }

    /// The entries of a chunk that `within` keeps, copied out, read until one is past
    /// `below` (and whether one was); a chunk that does not decode ends them with an error.
    fn keep(
        &self,
        chunk_key: &[u8],
        chunk: &[u8],
        within: &dyn Fn(&[u8]) -> bool,
        below: &dyn Fn(&[u8]) -> bool,
    ) -> (Vec<Result<Entry>>, bool) {
        let mut kept = Vec::new();
        let mut past = false;
        let walked = walk_chunk(chunk_key, chunk, |k, v| {
            if !below(k) {
                past = true;
                return false;
            }
            if within(k) {
                kept.push(Ok((IVec::from(k), IVec::from(v))));
            }
            true
        });
        if walked.is_none() {
            let what = format!("undecodable chunk at {chunk_key:?}");
            kept.push(Err(self.corrupt(&what)));
        }
        (kept, past)
    }

    /// The entries whose keys start with `prefix`.
    pub fn scan_prefix(&self, prefix: &[u8]) -> Entries<'_> {
        let hi = super::keys::prefix_end(prefix).map_or(Bound::Unbounded, Bound::Excluded);
        self.range(Bound::Included(prefix.to_vec()), hi)
    }

    /// Every entry.
    pub fn iter(&self) -> Entries<'_> {
        self.range(Bound::Unbounded, Bound::Unbounded)
    }

    /// Unpacks the chunk stored under `chunk_key`.
    fn decode(&self, chunk_key: &[u8], chunk: &[u8]) -> Result<Vec<Entry>> {
        decode_chunk(chunk_key, chunk)
            .ok_or_else(|| self.corrupt(&format!("undecodable chunk at {chunk_key:?}")))
    }

    /// The chunks to write so that the entries `edits` names take their new values (`None`:
    /// removed): each chunk an edit falls in, unpacked, edited, and cut again where it grew
    /// past [`MAX_ENTRIES`] or [`MAX_BYTES`]. Returns sled writes: `(key, None)` removes a
    /// chunk. Reads the tree as it stands: the caller holds the writer lock, and no other
    /// write to the tree may come between this and the writes it returns.
    pub fn plan(
        &self,
        edits: impl IntoIterator<Item = (Vec<u8>, Option<Vec<u8>>)>,
    ) -> Result<ChunkWrites> {
        /// The chunks touched, by their stored key (by the empty key, for the first chunk
        /// of an empty tree).
        struct Touched {
            stored: bool,
            entries: BTreeMap<Vec<u8>, Vec<u8>>,
        }
        let mut touched: BTreeMap<Vec<u8>, Touched> = BTreeMap::new();
        for (key, value) in edits {
            let (at, stored) = match self.chunk_for(&key)? {
                Some((chunk_key, chunk)) => {
                    if !touched.contains_key(chunk_key.as_ref()) {
                        let entries = self
                            .decode(&chunk_key, &chunk)?
                            .into_iter()
                            .map(|(k, v)| (k.to_vec(), v.to_vec()))
                            .collect();
                        touched.insert(
                            chunk_key.to_vec(),
                            Touched {
                                stored: true,
                                entries,
                            },
                        );
                    }
                    (chunk_key.to_vec(), true)
                }
                None => (Vec::new(), false),
            };
            let chunk = touched.entry(at).or_insert_with(|| Touched {
                stored,
                entries: BTreeMap::new(),
            });
            match value {
                Some(v) => chunk.entries.insert(key, v),
                None => chunk.entries.remove(&key),
            };
        }
        let mut writes = Vec::new();
        for (at, chunk) in touched {
            let entries: Vec<(&[u8], &[u8])> = chunk
                .entries
                .iter()
                .map(|(k, v)| (k.as_slice(), v.as_slice()))
                .collect();
            let pieces = split(&entries);
            if chunk.stored && pieces.first().is_none_or(|p| p[0].0 != at.as_slice()) {
                writes.push((at, None));
            }
            for piece in pieces {
                writes.push((piece[0].0.to_vec(), Some(encode_chunk(piece))));
            }
        }
        Ok(writes)
    }
}

/// Cuts the entries of one chunk that a write changed into chunks no larger than the limits.
fn split<'e>(entries: &'e [(&'e [u8], &'e [u8])]) -> Vec<&'e [(&'e [u8], &'e [u8])]> {
    if entries.is_empty() {
        return Vec::new();
    }
    let bytes: usize = entries.iter().map(|(k, v)| k.len() + v.len()).sum();
    if entries.len() <= MAX_ENTRIES && bytes <= MAX_BYTES {
        return vec![entries];
    }
    let by_count = entries.len().div_ceil(TARGET_ENTRIES);
    let by_bytes = bytes.div_ceil(TARGET_BYTES);
    let pieces = by_count.max(by_bytes).min(entries.len());
    let size = entries.len().div_ceil(pieces);
    entries.chunks(size).collect()
}

/// Cuts a sorted run of entries into chunks as a bulk load writes them: a new chunk where
/// one reaches [`TARGET_ENTRIES`] or [`TARGET_BYTES`].
#[derive(Default)]
pub struct Chunker {
    keys: Vec<Vec<u8>>,
    values: Vec<Vec<u8>>,
    bytes: usize,
}

impl Chunker {
    /// Adds the next entry (keys must come in order); returns a finished chunk, if one is.
    pub fn push(&mut self, key: &[u8], value: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        let full = self.keys.len() >= TARGET_ENTRIES || self.bytes >= TARGET_BYTES;
        let done = if full { self.finish() } else { None };
        self.bytes += key.len() + value.len();
        self.keys.push(key.to_vec());
        self.values.push(value.to_vec());
        done
    }

    /// The chunk under way, if it holds any entry.
    pub fn finish(&mut self) -> Option<(Vec<u8>, Vec<u8>)> {
        let first = self.keys.first()?.clone();
        let entries: Vec<(&[u8], &[u8])> = self
            .keys
            .iter()
            .zip(&self.values)
            .map(|(k, v)| (k.as_slice(), v.as_slice()))
            .collect();
        let chunk = encode_chunk(&entries);
        self.keys.clear();
        self.values.clear();
        self.bytes = 0;
        Some((first, chunk))
    }
}

/// A chunk's bytes: per entry, the length of the prefix its key shares with the key before
/// it (the chunk's key, for the first), the rest of its key, and its value; each length a
/// LEB128 varint. A chunk of one entry with an empty value is stored empty, as an index
/// of one key per entry stored it.
pub fn encode_chunk(entries: &[(&[u8], &[u8])]) -> Vec<u8> {
    if let [(_, [])] = entries {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut previous: &[u8] = entries.first().map_or(&[], |(k, _)| k);
    for (key, value) in entries {
        let shared = previous
            .iter()
            .zip(key.iter())
            .take_while(|(a, b)| a == b)
            .count();
        put_varint(&mut out, shared);
        put_varint(&mut out, key.len() - shared);
        out.extend_from_slice(&key[shared..]);
        put_varint(&mut out, value.len());
        out.extend_from_slice(value);
        previous = key;
    }
    out
}

/// Unpacks a chunk; `None` if its bytes are not a chunk stored under `chunk_key` (entries
/// out of order, lengths past the end, the first entry not the chunk's key).
pub fn decode_chunk(chunk_key: &[u8], bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut out = Vec::new();
    walk_chunk(chunk_key, bytes, |k, v| {
        out.push((IVec::from(k), IVec::from(v)));
        true
    })?;
    Some(out)
}

/// Hands each entry of a chunk to `visit`, in key order, until it returns false; one key
/// buffer serves them all, so that a read keeping one entry of many allocates for one.
/// `None` if the bytes are not a chunk stored under `chunk_key`, as far as they were read.
fn walk_chunk(
    chunk_key: &[u8],
    mut bytes: &[u8],
    mut visit: impl FnMut(&[u8], &[u8]) -> bool,
) -> Option<()> {
    if bytes.is_empty() {
        visit(chunk_key, &[]);
        return Some(());
    }
    let mut key: Vec<u8> = chunk_key.to_vec();
    let mut first = true;
    while !bytes.is_empty() {
        let shared = take_varint(&mut bytes)?;
        let rest = take_varint(&mut bytes)?;
        let tail = take(&mut bytes, rest)?;
        let len = take_varint(&mut bytes)?;
        let value = take(&mut bytes, len)?;
        if shared > key.len() {
            return None;
        }
        // In order: the first entry is the chunk's key, and each key is past the one
        // before, which it shares `shared` bytes with: its next byte must be greater.
        let in_order = if first {
            shared == key.len() && tail.is_empty()
        } else {
            match (tail.first(), key.get(shared)) {
                (Some(t), Some(k)) => t > k,
                (Some(_), None) => true,
                (None, _) => false,
            }
        };
        if !in_order {
            return None;
        }
        first = false;
        key.truncate(shared);
        key.extend_from_slice(tail);
        if !visit(&key, value) {
            return Some(());
        }
    }
    Some(())
}

fn take<'b>(bytes: &mut &'b [u8], n: usize) -> Option<&'b [u8]> {
    let (head, rest) = bytes.split_at_checked(n)?;
    *bytes = rest;
    Some(head)
}

fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        #[expect(clippy::cast_possible_truncation, reason = "masked to seven bits")]
        let low = (n & 0x7F) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn take_varint(bytes: &mut &[u8]) -> Option<usize> {
    let mut n: usize = 0;
    for shift in (0..usize::BITS).step_by(7).take(5) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= usize::from(b & 0x7F).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the tests' numbers are small"
)]
mod tests {
    use super::*;

    fn key(list: &str, n: u32) -> Vec<u8> {
        let mut k = list.as_bytes().to_vec();
        k.push(0);
        k.extend_from_slice(&n.to_be_bytes());
        k
    }

    fn open() -> (tempfile::TempDir, Postings) {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new().path(dir.path()).open().unwrap();
        let tree = db.open_tree("p").unwrap();
        (dir, Postings::new(tree))
    }

    fn apply(p: &Postings, writes: ChunkWrites) {
        for (k, v) in writes {
            match v {
                Some(v) => p.tree().insert(k, v).unwrap(),
                None => p.tree().remove(k).unwrap(),
            };
        }
    }

    fn all(p: &Postings) -> Vec<(Vec<u8>, Vec<u8>)> {
        p.iter()
            .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap())
            .collect()
    }

    #[test]
    fn chunks_round_trip_and_reject_disorder() {
        let entries: Vec<(Vec<u8>, Vec<u8>)> = (0..5)
            .map(|n| (key("word", n * 3), vec![n as u8; n as usize]))
            .collect();
        let refs: Vec<(&[u8], &[u8])> = entries
            .iter()
            .map(|(k, v)| (k.as_slice(), v.as_slice()))
            .collect();
        let chunk = encode_chunk(&refs);
        let back = decode_chunk(&entries[0].0, &chunk).unwrap();
        let back: Vec<(Vec<u8>, Vec<u8>)> = back
            .into_iter()
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect();
        assert_eq!(back, entries);
        assert!(
            decode_chunk(&entries[1].0, &chunk).is_none(),
            "wrong chunk key"
        );
        assert!(decode_chunk(&entries[0].0, &chunk[..chunk.len() - 1]).is_none());
        let one: &[(&[u8], &[u8])] = &[(b"key", b"")];
        assert!(
            encode_chunk(one).is_empty(),
            "one entry, no value: stored as it was"
        );
        let back = decode_chunk(b"key", &encode_chunk(one)).unwrap();
        assert_eq!(back, vec![(IVec::from(&b"key"[..]), IVec::default())]);
        let reversed: Vec<(&[u8], &[u8])> = refs.iter().rev().copied().collect();
        assert!(decode_chunk(&entries[4].0, &encode_chunk(&reversed)).is_none());
    }

    /// Writes in random order, through `plan`, against a BTreeMap: every read agrees, and no
    /// chunk passes the limits.
    #[test]
    fn planned_writes_keep_every_entry_and_the_limits() {
        let (_dir, p) = open();
        let mut oracle: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        let mut state: u64 = 7;
        let mut next = move |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        for round in 0..60 {
            let mut edits = Vec::new();
            for _ in 0..(1 + next(40)) {
                let list = ["a", "ab", "b"][next(3) as usize];
                let k = key(list, next(400) as u32);
                if next(4) == 0 {
                    edits.push((k, None));
                } else {
                    edits.push((k, Some(vec![round as u8; next(30) as usize])));
                }
            }
            let mut last: BTreeMap<Vec<u8>, Option<Vec<u8>>> = BTreeMap::new();
            for (k, v) in edits {
                last.insert(k, v);
            }
            for (k, v) in &last {
                match v {
                    Some(v) => oracle.insert(k.clone(), v.clone()),
                    None => oracle.remove(k),
                };
            }
            apply(&p, p.plan(last).unwrap());
            let want: Vec<(Vec<u8>, Vec<u8>)> = oracle.clone().into_iter().collect();
            assert_eq!(all(&p), want, "round {round}");
        }
        assert!(
            oracle.len() > 300,
            "the test wrote too little: {}",
            oracle.len()
        );
        let mut chunks = 0;
        for kv in p.tree().iter() {
            let (k, v) = kv.unwrap();
            let entries = decode_chunk(&k, &v).unwrap();
            assert!(entries.len() <= MAX_ENTRIES);
            chunks += 1;
        }
        assert!(chunks > 3 && chunks < oracle.len() / 8, "{chunks} chunks");
        for (k, v) in &oracle {
            assert_eq!(p.get(k).unwrap().as_deref(), Some(v.as_slice()));
        }
        assert_eq!(p.get(&key("a", 401)).unwrap(), None);
        // Ranges, both ways, from inside a list.
        let lo = key("ab", 100);
        let hi = key("b", 50);
        let want: Vec<_> = oracle
            .range(lo.clone()..=hi.clone())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let got: Vec<_> = p
            .range(Bound::Included(lo.clone()), Bound::Included(hi.clone()))
            .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap())
            .collect();
        assert_eq!(got, want);
        let back: Vec<_> = p
            .range(Bound::Excluded(lo.clone()), Bound::Excluded(hi.clone()))
            .rev()
            .map(|kv| kv.map(|(k, _)| k.to_vec()).unwrap())
            .collect();
        let want_back: Vec<_> = oracle
            .range::<Vec<u8>, _>((Bound::Excluded(lo), Bound::Excluded(hi)))
            .rev()
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(back, want_back);
    }

    #[test]
    fn a_bulk_load_cuts_chunks_of_the_target_size() {
        let (_dir, p) = open();
        let mut chunker = Chunker::default();
        let mut want = Vec::new();
        for list in ["a", "ab", "b"] {
            for n in 0..100 {
                want.push((key(list, n), vec![]));
            }
        }
        for (k, v) in &want {
            if let Some((ck, c)) = chunker.push(k, v) {
                p.tree().insert(ck, c).unwrap();
            }
        }
        if let Some((ck, c)) = chunker.finish() {
            p.tree().insert(ck, c).unwrap();
        }
        assert_eq!(all(&p), want);
        assert_eq!(p.tree().len(), 7, "300 entries in chunks of 48");
        assert_eq!(p.scan_prefix(b"a\0").count(), 100);
    }
}
