//! A bulk load and a check whose entries do not fit their sort budget spill sorted runs to
//! temporary files and merge them: the store they write, and what they find, are the same
//! as with every entry held in memory.

use crate::common::{
    TestStore, export, fixture_value, index_insert, index_remove, sled_open, to_bytes,
    try_reopen_with,
};
use asean_graph::dataset::{self, Mode};
use asean_graph::model::Date;
use asean_graph::store::{Options, Store};
use std::path::Path;

/// A budget a few entries fill: every tree spills many runs.
const TINY: usize = 1 << 10;

fn options(sort_bytes: usize) -> Options {
    Options {
        sort_bytes,
        ..Options::default()
    }
}

fn open(dir: &Path, options: &Options) -> Store {
    try_reopen_with(dir, options).unwrap()
}

/// Two synthetic copies of the small fixture: a few thousand index entries.
fn synthetic() -> Vec<u8> {
    let base = dataset::parse(&to_bytes(&fixture_value("small.json"))).unwrap();
    dataset::to_json(&dataset::generate(&base, 2, 7)).into_bytes()
}

#[test]
fn a_load_that_spills_writes_the_store_a_load_in_memory_writes() {
    let file = synthetic();
    let in_memory = TestStore::new();
    dataset::import(&in_memory, &file, Mode::Refuse).unwrap();
    let held = in_memory.check().unwrap();
    assert!(held.is_clean(), "{:?}", held.violations);

    let dir = tempfile::tempdir().unwrap();
    let spilled = open(dir.path(), &options(TINY));
    dataset::import(&spilled, &file, Mode::Refuse).unwrap();
    let report = spilled.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.violations);
    // Enough entries that the budget was passed many times over.
    assert!(
        report.index_entries * 40 > 20 * TINY,
        "{}",
        report.index_entries
    );
    assert_eq!(report.index_entries, held.index_entries);
    assert_eq!(report.counts, held.counts);
    assert_eq!(export(&spilled), export(&in_memory));
}

#[test]
fn a_check_that_spills_finds_what_one_in_memory_finds() {
    let dir = TestStore::with(&String::from_utf8(synthetic()).unwrap()).close();
    {
        let db = sled_open(dir.path());
        // A search entry missing, and a date entry that matches no meeting.
        let search = db.open_tree("idx/search").unwrap();
        let (chunk, _) = search.iter().nth(5).unwrap().unwrap();
        assert!(index_remove(&search, &chunk).is_some());
        let dates = db.open_tree("idx/date").unwrap();
        let mut key = Date::new(2021, 9, 8).unwrap().to_key().to_vec();
        key.extend_from_slice(b"IAI-TF-65\0");
        index_insert(&dates, &key, vec![]);
        db.flush().unwrap();
    }
    let violations = |sort_bytes| {
        let store = open(dir.path(), &options(sort_bytes));
        let report = store.check().unwrap();
        report.violations
    };
    let held = violations(Options::default().sort_bytes);
    assert!(
        held.iter()
            .any(|v| v.contains("idx/search") && v.contains("missing"))
            && held
                .iter()
                .any(|v| v.contains("idx/date") && v.contains("stray")),
        "{held:#?}"
    );
    assert_eq!(violations(TINY), held);
}
