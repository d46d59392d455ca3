//! `upgrade` from the earlier store formats: a store written by the last build of format 3
//! (`tests/fixtures/store-v3/`) and one written by the last build of format 4
//! (`tests/fixtures/store-v4/`), each the bundled dataset as of that build with its export
//! beside it, are refused with what to do, upgraded in place, checked clean, and answer
//! every question an index serves as a store imported fresh from the same file does. An
//! upgrade stopped midway is finished by running it again.

use crate::common::{crate_file, export, reopen, sled_open, try_reopen};
use asean_graph::dataset::{self, Mode};
use asean_graph::graphql::{self, Options};
use asean_graph::model::progress::Quiet;
use asean_graph::store::{self, Store, StoreError, UPGRADES_FROM, Upgrade};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// A copy of the committed store of `format`, to upgrade (the fixture itself stays as it is).
fn old_store(format: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &crate_file(&format!("tests/fixtures/store-v{format}")),
        dir.path(),
    );
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The export the build of `format` wrote of its fixture.
fn old_export(format: u32) -> String {
    std::fs::read_to_string(crate_file(&format!("tests/fixtures/store-v{format}.json"))).unwrap()
}

/// Questions each answered from an index: search (words and first words), citations,
/// facets (CLMV, pillar, kind, partner status as of a date), meetings by date, approvals.
const QUESTIONS: &str = r#"{
  asean: search(text: "asean", first: 100) { totalCount nodes { id } }
  iai: search(text: "iai", first: 100) { totalCount nodes { id } }
  initiative: search(text: "initiative for asean", first: 100) { totalCount nodes { id } }
  prefix: search(text: "vie", first: 100) { totalCount nodes { id } }
  sources(first: 100) { nodes { code citationCount
    supports(first: 100) { totalCount nodes { __typename } } } }
  clmv: members(clmv: true) { totalCount nodes { code } }
  others: members(clmv: false) { totalCount nodes { code } }
  economic: bodies(pillar: ECONOMIC, first: 100) { totalCount nodes { code } }
  projects: initiatives(kind: PROJECT, first: 100) { totalCount nodes { code } }
  workPlans: initiatives(kind: WORK_PLAN, first: 100) { totalCount nodes { code } }
  dialogue: partners(kind: DIALOGUE_PARTNER, first: 100) { totalCount nodes { code } }
  in2020: partners(kind: DIALOGUE_PARTNER, asOf: "2020-06-30", first: 100) { nodes { code } }
  meetings(from: "2019-01-01", to: "2022-12-31", first: 100) {
    totalCount nodes { code startDate approvedFundings { nodes { amountUsd } } } }
  last: meetings(last: 3) { nodes { code } }
}"#;

fn answers(store: Store) -> Value {
    let schema = graphql::build_schema(Arc::new(store), &Options::default());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let response = rt.block_on(schema.execute(QUESTIONS));
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    response.data.into_json().unwrap()
}

/// The same answers from a store imported fresh, in this build's format, from the export.
fn fresh_answers(format: u32) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    dataset::import(&store, old_export(format).as_bytes(), Mode::Refuse).unwrap();
    answers(store)
}

#[test]
fn a_store_of_an_earlier_format_is_refused_saying_to_upgrade() {
    assert_eq!(UPGRADES_FROM, [3, 4]);
    for format in UPGRADES_FROM {
        let dir = old_store(format);
        let err = match try_reopen(dir.path()) {
            Err(e) => e,
            Ok(_) => panic!("a format-{format} store was opened as it is"),
        };
        assert!(
            matches!(err, StoreError::Outdated { found, .. } if found == format),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(message.contains("upgrade"), "{message}");
        assert!(
            message.contains(&dir.path().display().to_string()),
            "{message}"
        );
    }
}

/// Upgrades the fixture of `format` and checks it: clean, the same records and edges, the
/// same answers as a fresh import, and a second upgrade a no-op.
fn upgrades_keeping_everything(format: u32) {
    let dir = old_store(format);
    let done = Store::upgrade(dir.path(), &store::Options::default(), &Quiet).unwrap();
    assert_eq!(
        done,
        Upgrade::Upgraded {
            from: format,
            resumed: false
        }
    );
    let store = reopen(dir.path());
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:#?}", report.violations);
    assert_eq!(
        export(&store),
        old_export(format),
        "the records and edges are unchanged"
    );
    let upgraded = answers(store);
    let want = fresh_answers(format);
    assert_eq!(upgraded, want);
    // The questions found something: an index left empty would answer alike on both sides
    // only if both were empty.
    assert!(want["asean"]["totalCount"].as_u64().unwrap() > 10, "{want}");
    assert!(
        want["meetings"]["totalCount"].as_u64().unwrap() > 3,
        "{want}"
    );
    assert!(want["clmv"]["totalCount"].as_u64().unwrap() == 4, "{want}");
    // Twice is once.
    let again = Store::upgrade(dir.path(), &store::Options::default(), &Quiet);
    assert!(matches!(again, Ok(Upgrade::Current)), "{again:?}");
}

#[test]
fn upgrading_format_3_keeps_every_record_and_every_answer() {
    upgrades_keeping_everything(3);
}

#[test]
fn upgrading_format_4_keeps_every_record_and_every_answer() {
    upgrades_keeping_everything(4);
}

/// An upgrade from format 3 stopped while it cut the indexes into chunks (the format
/// already moved on, a side tree half written) is refused by `open`, and finished by
/// `upgrade`.
#[test]
fn an_upgrade_stopped_midway_is_finished_by_running_it_again() {
    let dir = old_store(3);
    {
        let db = sled_open(dir.path());
        let meta = db.open_tree("meta").unwrap();
        meta.insert("format", &store::FORMAT_VERSION.to_be_bytes())
            .unwrap();
        meta.insert("upgrading", &[2u8, 3]).unwrap();
        let side = db.open_tree("upgrade/idx/search").unwrap();
        side.insert(b"\x01half", &b"written"[..]).unwrap();
        db.flush().unwrap();
    }
    match try_reopen(dir.path()) {
        Err(e @ StoreError::UpgradeInterrupted { .. }) => {
            assert!(e.to_string().contains("upgrade"), "{e}")
        }
        Err(other) => panic!("expected UpgradeInterrupted, got {other:?}"),
        Ok(_) => panic!("a store whose upgrade stopped midway was opened"),
    }
    let done = Store::upgrade(dir.path(), &store::Options::default(), &Quiet).unwrap();
    assert_eq!(
        done,
        Upgrade::Upgraded {
            from: 3,
            resumed: true
        }
    );
    let store = reopen(dir.path());
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:#?}", report.violations);
    assert_eq!(answers(store), fresh_answers(3));
    let db = sled_open(dir.path());
    assert!(
        !db.tree_names().iter().any(|n| n.starts_with(b"upgrade/")),
        "the side trees are dropped"
    );
}

/// An upgrade from format 4 stopped while it rewrote the records, some in the new layout
/// and the rest in the old, is finished by running it again: each record is read in the
/// layout its version byte names.
#[test]
fn an_upgrade_stopped_among_the_records_is_finished_by_running_it_again() {
    let done = old_store(4);
    Store::upgrade(done.path(), &store::Options::default(), &Quiet).unwrap();
    let dir = old_store(4);
    let mut moved = 0;
    {
        let upgraded = sled_open(done.path());
        let db = sled_open(dir.path());
        for tree in ["node/partner", "node/meeting", "node/initiative"] {
            let (from, to) = (
                upgraded.open_tree(tree).unwrap(),
                db.open_tree(tree).unwrap(),
            );
            // Every other record of the kind as the upgrade writes it, the rest as they were.
            for kv in from.iter().step_by(2) {
                let (k, v) = kv.unwrap();
                assert_ne!(
                    to.get(&k).unwrap().unwrap(),
                    v,
                    "{tree} {k:?} changed layout"
                );
                to.insert(k, v).unwrap();
                moved += 1;
            }
        }
        let meta = db.open_tree("meta").unwrap();
        meta.insert("format", &store::FORMAT_VERSION.to_be_bytes())
            .unwrap();
        meta.insert("upgrading", &[4u8, 4]).unwrap();
        db.flush().unwrap();
    }
    assert!(moved > 20, "{moved}");
    assert!(matches!(
        try_reopen(dir.path()),
        Err(StoreError::UpgradeInterrupted { .. })
    ));
    let again = Store::upgrade(dir.path(), &store::Options::default(), &Quiet).unwrap();
    assert_eq!(
        again,
        Upgrade::Upgraded {
            from: 4,
            resumed: true
        }
    );
    let store = reopen(dir.path());
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:#?}", report.violations);
    assert_eq!(export(&store), old_export(4));
}
