//! An import into an empty store streams its file: each record is read, planned and its
//! entries sorted (to disk past a budget), then the records are written and verified in the
//! store, then indexed. It writes what the whole-document path writes; a file with a fault
//! is refused with the errors that path names, and leaves the store empty. A merge into a
//! store that holds records is written in batches as it is read, then verified whole, and
//! undone on a fault.

use crate::common::{
    TestStore, bundled, export, fixture_value, to_bytes, with_second_chair_of_asean,
};
use asean_graph::dataset::{self, ImportError, Mode};
use asean_graph::model::progress::Quiet;
use asean_graph::store::{Change, LogEntry};
use serde_json::{Map, Value, json};

/// The errors an import into a new store refused `file` with, once the store is found
/// empty and clean again, and able to take the fixture after.
fn refused(file: &Value) -> Vec<String> {
    let store = TestStore::new();
    let errors = match dataset::import(&store, &to_bytes(file), Mode::Refuse) {
        Err(ImportError::Invalid(errors)) => errors,
        Err(ImportError::Unreadable(e)) => vec![e],
        other => panic!("the file was not refused: {other:?}"),
    };
    assert!(store.is_empty().unwrap(), "a refused file left records");
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.violations);
    assert_eq!(report.index_entries, 0, "a refused file left index entries");
    assert_eq!(report.counts.edges, 0);
    dataset::import(
        &store,
        &to_bytes(&fixture_value("small.json")),
        Mode::Refuse,
    )
    .unwrap();
    errors
}

#[test]
fn a_streamed_import_writes_what_the_whole_document_path_writes() {
    let base = dataset::parse(bundled().as_bytes()).unwrap();
    let generated: Value = serde_json::to_value(dataset::generate(&base, 2, 7)).unwrap();
    // The lists in reverse order, `format` last: a stream takes them as they come.
    let Value::Object(fields) = generated else {
        panic!("a document is an object")
    };
    let reversed: Map<String, Value> = fields.into_iter().rev().collect();
    let file = to_bytes(&Value::Object(reversed));

    let streamed = TestStore::new();
    let report = dataset::import(&streamed, &file, Mode::Refuse).unwrap();
    let whole = TestStore::new();
    let doc = dataset::parse(&file).unwrap();
    let whole_report = dataset::import_document_with(&whole, doc, Mode::Refuse, &Quiet).unwrap();

    assert_eq!(report, whole_report);
    assert!(
        report.records > 100 && report.relationships > 100,
        "{report}"
    );
    let (a, b) = (streamed.check().unwrap(), whole.check().unwrap());
    assert!(a.is_clean(), "{:?}", a.violations);
    assert_eq!((a.counts, a.index_entries), (b.counts, b.index_entries));
    assert_eq!(export(&streamed), export(&whole));
}

#[test]
fn a_second_chair_in_a_year_found_once_written_is_named_and_leaves_the_store_empty() {
    // A stream does not remember chairmanships: the store's rules find the second one.
    let file = with_second_chair_of_asean(fixture_value("small.json"));
    let errors = refused(&file);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("chairmanships[")
                && e.contains("a second chair of ASEAN in 2018")),
        "{errors:#?}"
    );
}

#[test]
fn a_record_stated_twice_is_named_and_leaves_the_store_empty() {
    // A stream does not remember codes either: the key written twice tells.
    let mut file = fixture_value("small.json");
    let members = file["members"].as_array_mut().unwrap();
    let again = members[0].clone();
    members.push(again);
    let errors = refused(&file);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("members[2].code") && e.contains("duplicate member code \"SGP\"")),
        "{errors:#?}"
    );
}

#[test]
fn a_reference_to_no_record_is_named_and_leaves_the_store_empty() {
    let mut file = fixture_value("small.json");
    file["meetings"][0]["body"] = json!({"code": "NO-SUCH-BODY", "sources": []});
    let errors = refused(&file);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("meetings[0].body") && e.contains("NO-SUCH-BODY")),
        "{errors:#?}"
    );
}

#[test]
fn a_list_stated_twice_is_refused_as_json_would_refuse_it() {
    let mut file = fixture_value("small.json");
    let members = file["members"].clone();
    let mut text = String::from_utf8(to_bytes(&file)).unwrap();
    // The second `members` comes last, after everything the first allowed.
    text.truncate(text.trim_end().len() - 1);
    text.push_str(&format!(",\"members\":{members}}}"));
    file = Value::Null;
    let store = TestStore::new();
    let err = dataset::import(&store, text.as_bytes(), Mode::Refuse).unwrap_err();
    assert!(
        err.to_string().contains("duplicate field `members`"),
        "{err}"
    );
    assert!(store.is_empty().unwrap());
    assert_eq!(file, Value::Null);
}

/// The errors a merge of `file` into a store holding the bundled dataset was refused with,
/// once the store is found as it was before.
fn merge_refused(file: &Value) -> Vec<String> {
    let store = TestStore::with(&bundled());
    let before = export(&store);
    let errors = match dataset::import(&store, &to_bytes(file), Mode::Merge) {
        Err(ImportError::Invalid(errors)) => errors,
        other => panic!("the merge was not refused: {other:?}"),
    };
    assert_eq!(export(&store), before, "a refused merge changed the store");
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.violations);
    errors
}

#[test]
fn a_merge_refused_after_many_batches_were_written_leaves_the_store_as_it_was() {
    let base = dataset::parse(bundled().as_bytes()).unwrap();
    // Some 2,800 records and relationships: three batches of 1,000 changes.
    let mut file: Value = serde_json::to_value(dataset::generate(&base, 6, 7)).unwrap();
    // The fault comes last: every record before it was written in batches.
    let chairs = file["chairmanships"].as_array_mut().unwrap();
    assert!(!chairs.is_empty());
    let last = chairs.len() - 1;
    chairs[last]["year"] = json!(99_999);
    let errors = merge_refused(&file);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(&format!("chairmanships[{last}].year"))),
        "{errors:#?}"
    );
}

#[test]
fn a_record_stated_twice_in_a_merge_is_named_and_changes_nothing() {
    let mut file = fixture_value("small.json");
    let members = file["members"].as_array_mut().unwrap();
    let mut again = members[0].clone();
    again["name"] = json!("Another name");
    members.push(again);
    let errors = merge_refused(&file);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("members[2].code") && e.contains("duplicate member code \"SGP\"")),
        "{errors:#?}"
    );
}

#[test]
fn a_refused_import_keeps_the_change_log_of_a_store_whose_records_were_all_deleted() {
    // A store emptied of records by logged writes still holds their log.
    let store = TestStore::new();
    let entry = |op: &str| {
        Change::Log(LogEntry {
            seq: 0,
            at_ms: 0,
            by: "test".into(),
            op: op.into(),
            id: "Member:SGP".into(),
            kind: "Member".into(),
            before: None,
            after: None,
        })
    };
    store.apply(vec![entry("createMember")]).unwrap();
    store.apply(vec![entry("deleteMember")]).unwrap();
    assert!(store.is_empty().unwrap());
    let logged = store.changes_since(None, 10).unwrap();
    assert_eq!(logged.len(), 2);

    // A file refused once its records are written (a second chair in a year).
    let file = with_second_chair_of_asean(fixture_value("small.json"));
    assert!(dataset::import(&store, &to_bytes(&file), Mode::Refuse).is_err());
    assert!(store.is_empty().unwrap());
    assert_eq!(store.changes_since(None, 10).unwrap(), logged);
}
