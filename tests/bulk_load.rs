//! The bulk load into an empty store (`import` of a file into a new directory): if the
//! process dies before it ends, the next open finds an empty store rather than half of one.

use crate::common::{TestStore, reopen, sled_open, small};

#[test]
fn an_interrupted_bulk_load_leaves_no_store_that_serves() {
    let dir = TestStore::with(&small()).close();
    // As if the process had died after writing every entry but before clearing the marker
    // the load sets first.
    {
        let db = sled_open(dir.path());
        db.open_tree("meta")
            .unwrap()
            .insert("loading", &[1u8])
            .unwrap();
        db.flush().unwrap();
    }
    let store = reopen(dir.path());
    assert!(store.is_empty().unwrap(), "half a load was served");
    assert_eq!(store.counts().edges, 0);
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.violations);
    assert_eq!(
        report.index_entries, 0,
        "index entries outlived the records"
    );
    // The emptied store takes the file again.
    asean_graph::dataset::import(
        &store,
        small().as_bytes(),
        asean_graph::dataset::Mode::Refuse,
    )
    .unwrap();
    assert!(!store.is_empty().unwrap());
    assert!(store.check().unwrap().is_clean());
}
