//! `upgrade` from the previous store format: a store written by the last build of format 3
//! (`tests/fixtures/store-v3/`, the bundled dataset as of that build, with its export beside
//! it) is refused with what to do, upgraded in place, checked clean, and answers every
//! question an index serves as a store imported fresh from the same file does. An upgrade
//! stopped midway is finished by running it again.

use crate::common::{crate_file, export, reopen, sled_open, try_reopen};
use asean_graph::dataset::{self, Mode};
use asean_graph::graphql::{self, Options};
use asean_graph::model::progress::Quiet;
use asean_graph::store::{self, PREVIOUS_FORMAT, Store, StoreError, Upgrade};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// A copy of the committed format-3 store, to upgrade (the fixture itself stays as it is).
fn old_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&crate_file("tests/fixtures/store-v3"), dir.path());
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

/// The export the format-3 build wrote of the fixture.
fn old_export() -> String {
    std::fs::read_to_string(crate_file("tests/fixtures/store-v3.json")).unwrap()
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
fn fresh_answers() -> Value {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    dataset::import(&store, old_export().as_bytes(), Mode::Refuse).unwrap();
    answers(store)
}

#[test]
fn a_store_of_the_previous_format_is_refused_saying_to_upgrade() {
    let dir = old_store();
    let err = match try_reopen(dir.path()) {
        Err(e) => e,
        Ok(_) => panic!("a format-{PREVIOUS_FORMAT} store was opened as it is"),
    };
    assert!(
        matches!(
            err,
            StoreError::Outdated {
                found: PREVIOUS_FORMAT,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("upgrade"), "{message}");
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
}

#[test]
fn upgrading_the_previous_format_keeps_every_record_and_every_answer() {
    let dir = old_store();
    let done = Store::upgrade(dir.path(), &store::Options::default(), &Quiet).unwrap();
    assert_eq!(
        done,
        Upgrade::Upgraded {
            from: PREVIOUS_FORMAT,
            resumed: false
        }
    );
    let store = reopen(dir.path());
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:#?}", report.violations);
    assert_eq!(
        export(&store),
        old_export(),
        "the records and edges are unchanged"
    );
    let upgraded = answers(store);
    let want = fresh_answers();
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

/// An upgrade stopped while it cut the indexes into chunks (the format already moved on,
/// a side tree half written) is refused by `open`, and finished by `upgrade`.
#[test]
fn an_upgrade_stopped_midway_is_finished_by_running_it_again() {
    let dir = old_store();
    {
        let db = sled_open(dir.path());
        let meta = db.open_tree("meta").unwrap();
        meta.insert("format", &store::FORMAT_VERSION.to_be_bytes())
            .unwrap();
        meta.insert("upgrading", &[2u8]).unwrap();
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
            from: PREVIOUS_FORMAT,
            resumed: true
        }
    );
    let store = reopen(dir.path());
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:#?}", report.violations);
    assert_eq!(answers(store), fresh_answers());
    let db = sled_open(dir.path());
    assert!(
        !db.tree_names().iter().any(|n| n.starts_with(b"upgrade/")),
        "the side trees are dropped"
    );
}
