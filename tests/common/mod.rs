//! Helpers shared by the store and import tests: real stores in temporary directories, the
//! fixtures under `tests/fixtures/`, and the bundled dataset.
#![allow(dead_code)]

use asean_graph::dataset::{self, Mode};
use asean_graph::store::{Store, StoreError};
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
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match Store::open(dir) {
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

/// Removes the first entry of an index tree behind the store's back. The indexes keep many
/// entries to a sled key (src/store/postings.rs): a chunk, stored under its first entry's
/// key, holds per entry a varint of the bytes its key shares with the key before, a varint
/// and the rest of the key, a varint and the value (an empty chunk: one entry, no value).
/// Read here from that description, not with the store's code.
pub fn remove_first_index_entry(tree: &sled::Tree) {
    fn varint(bytes: &[u8], at: &mut usize) -> usize {
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
    let (first_key, chunk) = tree.pop_min().unwrap().expect("the index has entries");
    let mut at = 0;
    if chunk.is_empty() {
        return;
    }
    // The first entry: its key is the chunk's.
    let shared = varint(&chunk, &mut at);
    let rest = varint(&chunk, &mut at);
    at += rest;
    assert_eq!(shared + rest, first_key.len());
    let value = varint(&chunk, &mut at);
    at += value;
    if at == chunk.len() {
        return;
    }
    // The second entry's key, to store the rest of the chunk under.
    let tail = &chunk[at..];
    let mut i = 0;
    let shared = varint(tail, &mut i);
    let rest = varint(tail, &mut i);
    let mut second = first_key[..shared].to_vec();
    second.extend_from_slice(&tail[i..i + rest]);
    tree.insert(second, tail).unwrap();
}
