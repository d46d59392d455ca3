//! One set of rules for every way into the store: a merge, a write and `check` apply the
//! same model rules a plain import does, so what `check` calls clean always exports and
//! imports back. Each test is named for the hole it closes; all run on real stores.

use crate::common::{TestStore, export, index_get, index_insert, reopen, sled_open, small};
use asean_graph::dataset::{self, ImportError, Mode};
use asean_graph::model::{Edge, EdgeKind, Node, NodeKind, NodeRef, Person};
use asean_graph::store::{Change, EdgeId, StoreError, ViolationClass};
use serde_json::json;

fn member(code: &str) -> NodeRef {
    NodeRef::new(NodeKind::Member, code)
}

fn chair_of_asean(code: &str, year: u16) -> Edge {
    let mut edge = Edge::new(
        EdgeKind::Chairs,
        member(code),
        NodeRef::asean(),
        vec!["P38".into()],
    );
    edge.year = Some(year);
    edge
}

/// A merge file holding only a Chair of ASEAN.
fn chair_of_asean_file(code: &str, year: u16) -> Vec<u8> {
    let file = json!({
        "format": "asean-graph/1",
        "chairmanships": [{"body": null, "member": code, "year": year, "sources": ["P38"]}]
    });
    file.to_string().into_bytes()
}

/// The violations of a write the store refused.
fn rejected(result: Result<(), StoreError>) -> Vec<asean_graph::store::ChangeViolation> {
    match result {
        Err(StoreError::Rejected(violations)) => violations,
        other => panic!("expected the write to be refused, got {other:?}"),
    }
}

#[test]
fn merge_refuses_a_second_chair_of_asean_in_a_year() {
    let store = TestStore::with(&small());
    let before = export(&store);
    let err = dataset::import(&store, &chair_of_asean_file("VNM", 2018), Mode::Merge)
        .expect_err("a second Chair of ASEAN for 2018 was merged");
    let ImportError::Invalid(errors) = err else {
        panic!("expected Invalid, got {err:?}");
    };
    assert_eq!(
        errors,
        ["chairmanships[0]: a second chair of ASEAN in 2018: Member:SGP already chairs it"]
    );
    assert_eq!(
        export(&store),
        before,
        "the refused merge changed the store"
    );
    assert!(store.check().unwrap().is_clean());
}

#[test]
fn merge_of_the_same_chair_again_is_accepted() {
    let store = TestStore::with(&small());
    let before = export(&store);
    dataset::import(&store, &chair_of_asean_file("SGP", 2018), Mode::Merge)
        .expect("restating a stored chairmanship is no conflict");
    assert_eq!(export(&store), before);
}

#[test]
fn a_write_refuses_a_second_chair_of_asean_in_a_year() {
    let store = TestStore::with(&small());
    let before = export(&store);
    let violations = rejected(store.apply(vec![Change::InsertEdge(chair_of_asean("VNM", 2018))]));
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].class, ViolationClass::Conflict);
    assert_eq!(
        violations[0].violation.to_string(),
        "a second chair of ASEAN in 2018: Member:SGP already chairs it"
    );
    assert_eq!(export(&store), before);
}

#[test]
fn check_finds_a_second_chair_of_asean_in_a_year() {
    let store = TestStore::with(&small());
    let sgp = EdgeId::of(&chair_of_asean("SGP", 2018));
    let vnm = EdgeId::of(&chair_of_asean("VNM", 2018));
    let dir = store.close();
    {
        // Behind the store's back: Viet Nam's edge, with Singapore's properties.
        let db = sled_open(dir.path());
        for (tree, sgp_key, vnm_key) in [
            ("edge/out", sgp.out_key(), vnm.out_key()),
            ("edge/in", sgp.in_key(), vnm.in_key()),
        ] {
            // The edges are kept many to a key (see common::index_get).
            let tree = db.open_tree(tree).unwrap();
            let value = index_get(&tree, &sgp_key).expect("SGP chaired ASEAN in 2018");
            index_insert(&tree, &vnm_key, value);
        }
        db.flush().unwrap();
    }
    let report = reopen(dir.path()).check().unwrap();
    assert!(
        report
            .violations
            .iter()
            .any(|v| v.contains("Member:VNM → ASEAN")
                && v.contains("a second chair of ASEAN in 2018: Member:SGP")),
        "{:#?}",
        report.violations
    );
}

#[test]
fn a_second_head_of_the_same_delegation_is_refused() {
    let store = TestStore::with(&small());
    let before = export(&store);
    let person = Node::Person(Person {
        code: "TRAN-VAN-A".into(),
        name: "Tran Van A".into(),
        name_vi: None,
        title: None,
        description: None,
        sources: vec!["S2".into()],
        claims: vec![],
    });
    let mut head = Edge::new(
        EdgeKind::Delegation,
        person.node_ref(),
        NodeRef::new(NodeKind::Meeting, "IAI-TF-63"),
        vec!["S2".into()],
    );
    head.props.party = Some(member("VNM"));
    let violations =
        rejected(store.apply(vec![Change::InsertNode(person), Change::InsertEdge(head)]));
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].class, ViolationClass::Conflict);
    assert_eq!(
        violations[0].violation.to_string(),
        "party: Member:VNM's delegation to Meeting:IAI-TF-63 already has a head: \
         Person:NGUYEN-HAI-BANG"
    );
    assert_eq!(export(&store), before);
}

#[test]
fn deleting_a_member_who_chaired_asean_names_the_chair_of_asean() {
    let store = TestStore::with(&small());
    let violations = rejected(store.apply(vec![Change::DeleteNode(member("SGP"))]));
    let message = violations[0].violation.to_string();
    assert!(message.contains("Chair of ASEAN in 2018"), "{message}");
    assert!(!message.contains("Body:"), "{message}");
}

#[test]
fn deleting_a_body_names_who_chaired_it() {
    let store = TestStore::with(&small());
    let violations = rejected(store.apply(vec![Change::DeleteNode(NodeRef::new(
        NodeKind::Body,
        "IAI-TF",
    ))]));
    let message = violations[0].violation.to_string();
    assert!(
        message.contains("Member:VNM (Chair of Body:IAI-TF in 2021)"),
        "{message}"
    );
}
