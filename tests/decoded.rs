//! Records decoded once are shared by every reader until the next write: a record read
//! before a write, a merge, or a merge undone is read anew after it.

use crate::common::{TestStore, fixture_value, small, to_bytes, with_second_chair_of_asean};
use asean_graph::dataset::{self, Mode};
use asean_graph::model::{Node, NodeKind, NodeRef};
use asean_graph::store::{Change, Store};
use serde_json::json;

fn singapore() -> NodeRef {
    NodeRef::new(NodeKind::Member, "SGP")
}

/// The name the store gives Singapore, read twice (the second read is the kept one).
fn name(store: &Store) -> String {
    let first = store
        .get(&singapore())
        .unwrap()
        .expect("Singapore is a member");
    let again = store
        .get(&singapore())
        .unwrap()
        .expect("Singapore is a member");
    assert_eq!(first, again);
    match again {
        Node::Member(m) => m.name,
        other => panic!("not a member: {other:?}"),
    }
}

/// The fixture with Singapore renamed.
fn renamed(to: &str) -> serde_json::Value {
    let mut file = fixture_value("small.json");
    file["members"][0]["name"] = json!(to);
    assert_eq!(file["members"][0]["code"], json!("SGP"));
    file
}

#[test]
fn a_record_read_before_a_write_is_read_anew_after_it() {
    let store = TestStore::with(&small());
    let old = name(&store);
    let Some(Node::Member(mut sgp)) = store.get(&singapore()).unwrap() else {
        panic!("Singapore is a member")
    };
    sgp.name = format!("{old}, renamed");
    store
        .apply(vec![Change::PutNode(Node::Member(sgp))])
        .unwrap();
    assert_eq!(name(&store), format!("{old}, renamed"));
}

#[test]
fn a_record_read_before_a_merge_is_read_anew_after_it_and_after_an_undone_one() {
    let store = TestStore::with(&small());
    let old = name(&store);
    dataset::import(
        &store,
        &to_bytes(&renamed("Singapore (merged)")),
        Mode::Merge,
    )
    .unwrap();
    assert_eq!(name(&store), "Singapore (merged)");

    // A merge that writes the new name, then breaks a rule after it: undone.
    let refused = with_second_chair_of_asean(renamed("Singapore (undone)"));
    assert!(dataset::import(&store, &to_bytes(&refused), Mode::Merge).is_err());
    assert_eq!(name(&store), "Singapore (merged)");
    assert_ne!(old, "Singapore (merged)");
}
