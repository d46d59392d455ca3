//! The fixtures the feature tests share, so that no test file borrows from another: real
//! stores in temporary directories, the files under `tests/fixtures/` and the bundled
//! dataset (here); the in-process server ([`TestServer`]), the CLI server as a child process
//! ([`ChildServer`]), the tokens, the GraphQL client [`Api`] and the graph's snapshot, and
//! the WebSocket client ([`ws_client`]).
#![allow(dead_code)]

pub mod abuse;
mod api;
mod child;
mod harness;
pub mod imports;
pub mod queries;
mod server;
mod tokens;
pub mod ws_client;

pub(crate) use api::*;
pub use child::*;
pub use harness::*;
pub use server::*;
pub use tokens::*;

use asean_graph::dataset::{self, Mode};
use asean_graph::store::{Options, Store, StoreError};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A real store in its own temporary directory. The store is dropped before the directory
/// is removed (fields drop in declaration order).
pub struct TestStore {
    store: Option<Store>,
    dir: TempDir,
}

impl TestStore {
    /// A new, empty store.
    pub fn new() -> TestStore {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("open a store in a fresh directory");
        TestStore {
            store: Some(store),
            dir,
        }
    }

    /// A new store holding `json` (imported into the empty store).
    pub fn with(json: &str) -> TestStore {
        let s = TestStore::new();
        dataset::import(&s, json.as_bytes(), Mode::Refuse).expect("import into an empty store");
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Closes the store and keeps the directory: for tests that open it with sled directly
    /// or from another process.
    pub fn close(mut self) -> TempDir {
        drop(self.store.take());
        // `Drop` is not implemented, so the directory can be moved out.
        let TestStore { dir, .. } = self;
        dir
    }
}

impl Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.store.as_ref().expect("store is open")
    }
}

/// How long to wait for a closed store's lock to be released.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Opens the store in `dir` again, as [`Store::open`] does, but waits while the directory
/// is still locked: sled 0.34 releases its lock from background threads shortly after the
/// last handle is dropped, so a store closed in this process may be refused as `Locked` for
/// a moment.
pub fn try_reopen(dir: &Path) -> Result<Store, StoreError> {
    try_reopen_with(dir, &Options::default())
}

/// [`try_reopen`] with `options`.
pub fn try_reopen_with(dir: &Path, options: &Options) -> Result<Store, StoreError> {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match Store::open_with(dir, options) {
            Err(StoreError::Locked { .. }) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10))
            }
            other => return other,
        }
    }
}

/// Opens the store in `dir` again (see [`try_reopen`]).
pub fn reopen(dir: &Path) -> Store {
    try_reopen(dir).expect("reopen the store")
}

/// Opens a closed store's directory with sled itself, waiting as [`try_reopen`] does.
pub fn sled_open(dir: &Path) -> sled::Db {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match sled::open(dir) {
            Ok(db) => return db,
            Err(e)
                if e.to_string().contains("could not acquire lock")
                    && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => panic!("open {} with sled: {e}", dir.display()),
        }
    }
}

/// `file` (an interchange document) with a second Chair of ASEAN in the year of its first
/// chairmanship: a rule only the store's verification finds when the file is streamed.
pub fn with_second_chair_of_asean(mut file: serde_json::Value) -> serde_json::Value {
    let chairs = file["chairmanships"]
        .as_array_mut()
        .expect("the file has chairmanships");
    let mut second = chairs[0].clone();
    let member = if second["member"] == "VNM" {
        "SGP"
    } else {
        "VNM"
    };
    second["member"] = serde_json::json!(member);
    chairs.push(second);
    file
}

/// The path of a file in the crate.
pub fn crate_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The text of `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> String {
    let path = crate_file(&format!("tests/fixtures/{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A fixture as a JSON value, to edit into a bad file.
pub fn fixture_value(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).expect("fixture is JSON")
}

/// The small, valid dataset.
pub fn small() -> String {
    fixture("small.json")
}

/// The bundled dataset, `data/asean.json`, as it is on disk now.
pub fn bundled() -> String {
    let path = crate_file("data/asean.json");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A JSON value as the bytes of a file.
pub fn to_bytes(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec_pretty(value).expect("serialize JSON")
}

/// Every record and relationship the store holds, as the interchange format writes them.
pub fn export(store: &Store) -> String {
    dataset::export(store).expect("export")
}

// ----- index entries behind the store's back -----
//
// The indexes and `edge/in` keep many entries to a sled key (src/store/postings.rs): a
// chunk, stored under its first entry's key, holds per entry a varint of the bytes its key
// shares with the key before (the chunk's key, for the first), a varint and the rest of the
// key, a varint and the value; an empty chunk is one entry with an empty value. Read and
// written here from that description, not with the store's code.

fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let low = (n & 0x7F) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn take_varint(bytes: &[u8], at: &mut usize) -> usize {
    let mut n = 0;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= usize::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            return n;
        }
        shift += 7;
    }
}

type Entries = Vec<(Vec<u8>, Vec<u8>)>;

fn unpack(chunk_key: &[u8], chunk: &[u8]) -> Entries {
    if chunk.is_empty() {
        return vec![(chunk_key.to_vec(), Vec::new())];
    }
    let (mut out, mut previous, mut at): (Entries, Vec<u8>, usize) =
        (Vec::new(), chunk_key.to_vec(), 0);
    while at < chunk.len() {
        let shared = take_varint(chunk, &mut at);
        let rest = take_varint(chunk, &mut at);
        let mut key = previous[..shared].to_vec();
        key.extend_from_slice(&chunk[at..at + rest]);
        at += rest;
        let len = take_varint(chunk, &mut at);
        out.push((key.clone(), chunk[at..at + len].to_vec()));
        at += len;
        previous = key;
    }
    out
}

fn pack(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut previous = entries[0].0.clone();
    for (key, value) in entries {
        let shared = previous.iter().zip(key).take_while(|(a, b)| a == b).count();
        put_varint(&mut out, shared);
        put_varint(&mut out, key.len() - shared);
        out.extend_from_slice(&key[shared..]);
        put_varint(&mut out, value.len());
        out.extend_from_slice(value);
        previous = key.clone();
    }
    out
}

/// The chunk `key` falls in: its stored key and its entries.
fn chunk_of(tree: &sled::Tree, key: &[u8]) -> Option<(Vec<u8>, Entries)> {
    let (chunk_key, chunk) = match tree.range(..=key).next_back() {
        Some(kv) => kv.unwrap(),
        None => tree.first().unwrap()?,
    };
    Some((chunk_key.to_vec(), unpack(&chunk_key, &chunk)))
}

/// Writes back a chunk read from under `old_key`.
fn rewrite_chunk(tree: &sled::Tree, old_key: &[u8], mut entries: Entries) {
    entries.sort();
    if entries.first().is_none_or(|(k, _)| k.as_slice() != old_key) {
        tree.remove(old_key).unwrap();
    }
    if let Some((first, _)) = entries.first() {
        tree.insert(first.clone(), pack(&entries)).unwrap();
    }
}

/// The value of an index entry, as `sled::Tree::get` gives a plain tree's.
pub fn index_get(tree: &sled::Tree, key: &[u8]) -> Option<Vec<u8>> {
    let (_, entries) = chunk_of(tree, key)?;
    entries.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Sets an index entry; returns the value it replaced, as `sled::Tree::insert` does.
pub fn index_insert(tree: &sled::Tree, key: &[u8], value: Vec<u8>) -> Option<Vec<u8>> {
    let Some((chunk_key, mut entries)) = chunk_of(tree, key) else {
        tree.insert(key, pack(&[(key.to_vec(), value)])).unwrap();
        return None;
    };
    let old = match entries.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => Some(std::mem::replace(v, value)),
        None => {
            entries.push((key.to_vec(), value));
            None
        }
    };
    rewrite_chunk(tree, &chunk_key, entries);
    old
}

/// Removes an index entry; returns its value, as `sled::Tree::remove` does.
pub fn index_remove(tree: &sled::Tree, key: &[u8]) -> Option<Vec<u8>> {
    let (chunk_key, mut entries) = chunk_of(tree, key)?;
    let at = entries.iter().position(|(k, _)| k == key)?;
    let (_, value) = entries.remove(at);
    rewrite_chunk(tree, &chunk_key, entries);
    Some(value)
}

/// Removes the first entry of an index tree behind the store's back.
pub fn remove_first_index_entry(tree: &sled::Tree) {
    let (first, _) = tree.first().unwrap().expect("the index has entries");
    assert!(index_remove(tree, &first).is_some());
}

/// Text as the API compares it (case and accents aside): written out here rather than taken
/// from the crate, so that the oracles of the filter and ordering tests do not share the code
/// they check.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_ascii_lowercase()
}
