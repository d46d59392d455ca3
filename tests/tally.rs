//! What the store keeps in `meta` about itself, so that opening it reads none of the rest:
//! the tally of records and relationships, and the fan-out that prices reads. Both follow
//! every write and reopen, and `check` finds either one wrong.

use crate::common::{TestStore, reopen, sled_open, small};
use asean_graph::model::{EdgeKind, NodeKind};
use asean_graph::store::Change;
use std::path::Path;

/// The tally as stored: a u64 BE per kind of record, then one for the relationships.
const TALLY: &[u8] = b"tally";
const FAN_OUT: &[u8] = b"fan-out";

/// How many records of each kind the file holds, read from its JSON.
fn records_in(json: &str) -> Vec<(NodeKind, usize)> {
    let file: serde_json::Value = serde_json::from_str(json).unwrap();
    let section = |name: &str| file[name].as_array().map_or(0, Vec::len);
    NodeKind::ALL
        .iter()
        .map(|&kind| {
            let name = match kind {
                NodeKind::Member => "members",
                NodeKind::Partner => "partners",
                NodeKind::Body => "bodies",
                NodeKind::Meeting => "meetings",
                NodeKind::Initiative => "initiatives",
                NodeKind::Person => "people",
                NodeKind::Source => "sources",
            };
            (kind, section(name))
        })
        .collect()
}

/// How many relationships the store answers, kind by kind.
fn relationships(store: &asean_graph::store::Store) -> usize {
    EdgeKind::ALL
        .iter()
        .map(|&k| store.edges_of_kind(k).unwrap().len())
        .sum()
}

fn meta_value(dir: &Path, key: &[u8]) -> Option<Vec<u8>> {
    let db = sled_open(dir);
    let value = db.open_tree("meta").unwrap().get(key).unwrap();
    value.map(|v| v.to_vec())
}

fn set_meta_value(dir: &Path, key: &[u8], value: &[u8]) {
    let db = sled_open(dir);
    db.open_tree("meta").unwrap().insert(key, value).unwrap();
    db.flush().unwrap();
}

/// What `check` reports of the store at `dir`, reopened.
fn violations(dir: &Path) -> Vec<String> {
    reopen(dir).check().unwrap().violations
}

#[test]
fn counts_after_an_import_and_a_reopen_are_the_files() {
    let store = TestStore::with(&small());
    let counts = store.counts();
    assert_eq!(counts.nodes, records_in(&small()));
    assert!(counts.edges > 0);
    assert_eq!(counts.edges, relationships(&store));
    let dir = store.close();
    let store = reopen(dir.path());
    assert_eq!(store.counts(), counts);
}

#[test]
fn check_finds_a_tally_that_is_off() {
    let dir = TestStore::with(&small()).close();
    let mut tally = meta_value(dir.path(), TALLY).expect("an import keeps a tally");
    assert_eq!(tally.len(), 8 * (NodeKind::ALL.len() + 1));
    // One relationship more than there are.
    let last = tally.len() - 1;
    tally[last] += 1;
    set_meta_value(dir.path(), TALLY, &tally);
    let found = violations(dir.path());
    assert!(
        found.iter().any(|v| v.starts_with("meta/tally counts")),
        "{found:?}"
    );

    set_meta_value(dir.path(), TALLY, b"short");
    let found = violations(dir.path());
    assert!(found.iter().any(|v| v.contains("meta/tally")), "{found:?}");
}

#[test]
fn check_finds_a_kept_fan_out_below_what_the_store_holds() {
    // The fan-out of a store holding one source: below the small fixture's everywhere.
    let source = TestStore::with(&small())
        .nodes(NodeKind::Source)
        .next()
        .unwrap()
        .unwrap();
    let lone = TestStore::new();
    lone.apply(vec![Change::InsertNode(source)]).unwrap();
    lone.fan_out().unwrap();
    let lone = lone.close();
    let low = meta_value(lone.path(), FAN_OUT).expect("a measured fan-out is kept");

    let dir = TestStore::with(&small()).close();
    assert!(violations(dir.path()).is_empty());
    set_meta_value(dir.path(), FAN_OUT, &low);
    let found = violations(dir.path());
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("meta/fan-out is below what the store holds")),
        "{found:?}"
    );
}

#[test]
fn a_write_before_any_read_keeps_the_fan_out() {
    let dir = TestStore::with(&small()).close();
    let kept = meta_value(dir.path(), FAN_OUT).expect("an import keeps the fan-out");
    {
        // Reopened, nothing has asked for the fan-out: the write's transaction removes
        // the kept one, and the write must put it back.
        let store = reopen(dir.path());
        let source = store.nodes(NodeKind::Source).next().unwrap().unwrap();
        store.apply(vec![Change::PutNode(source)]).unwrap();
    }
    assert_eq!(meta_value(dir.path(), FAN_OUT), Some(kept));
    assert!(violations(dir.path()).is_empty());
}
