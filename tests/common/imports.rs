//! Import checks several feature tests share: a file refused alike by an empty and a loaded
//! store, an `Invalid` refusal's errors, and the small fixture edited.

use super::{TestStore, export, fixture_value, small, to_bytes};
use asean_graph::dataset::{self, ImportError, Mode};
use serde_json::Value;

/// Imports `bytes` into an empty store and into a store holding the small fixture (with
/// `--merge`, so the loaded store gets as far as validation). Both must refuse with the same
/// error; the empty store must stay empty and the loaded one export byte-identically.
/// Returns the error.
pub(crate) fn refused(bytes: &[u8]) -> ImportError {
    let empty = TestStore::new();
    let err = dataset::import(&empty, bytes, Mode::Refuse).expect_err("a bad file must be refused");
    assert!(empty.is_empty().unwrap(), "a refused import wrote records");
    let counts = empty.counts();
    assert_eq!(counts.total_nodes(), 0, "{counts}");
    assert_eq!(counts.edges, 0, "{counts}");
    let report = empty.check().unwrap();
    assert_eq!(report.index_entries, 0);
    assert!(report.is_clean(), "{:?}", report.violations);

    let loaded = TestStore::with(&small());
    let before = export(&loaded);
    let counts_before = loaded.counts();
    let err2 = dataset::import(&loaded, bytes, Mode::Merge)
        .expect_err("a bad file must be refused by a merge too");
    assert_eq!(export(&loaded), before, "a refused merge changed the store");
    assert_eq!(loaded.counts(), counts_before);
    assert!(loaded.check().unwrap().is_clean());
    assert_eq!(
        err.to_string(),
        err2.to_string(),
        "the same file gave different errors into an empty and a loaded store"
    );
    err
}

/// The error list of an `Invalid` refusal.
pub(crate) fn invalid(err: ImportError) -> Vec<String> {
    match err {
        ImportError::Invalid(errors) => errors,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// The small fixture, edited by `edit`, as file bytes.
pub fn small_edited(edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut doc = fixture_value("small.json");
    edit(&mut doc);
    to_bytes(&doc)
}
