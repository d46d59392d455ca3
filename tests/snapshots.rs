//! The in-memory snapshots (every funding, each initiative's parent) follow every write:
//! after each of a run of writes, they equal what a fresh read of the store gives.

use crate::common::{TestStore, bundled};
use asean_graph::model::{Edge, EdgeKind, EdgeProps, NodeKind, NodeRef};
use asean_graph::store::{Change, EdgeId, Store};
use std::collections::HashMap;

fn fresh_fundings(store: &Store) -> Vec<(Vec<u8>, asean_graph::store::Item)> {
    store
        .list_fundings()
        .all()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}

fn fresh_parents(store: &Store) -> HashMap<NodeRef, NodeRef> {
    store
        .edges_of_kind(EdgeKind::PartOf)
        .unwrap()
        .into_iter()
        .map(|e| (e.from, e.to))
        .collect()
}

fn funding(from: NodeRef, to: &str, amount: f64) -> Edge {
    Edge {
        kind: EdgeKind::Funds,
        from,
        to: NodeRef::new(NodeKind::Initiative, to),
        year: None,
        props: EdgeProps {
            sources: vec!["S2".into()],
            amount_usd: Some(amount),
            ..EdgeProps::default()
        },
    }
}

fn assert_current(store: &Store, step: &str) {
    assert_eq!(*store.fundings().unwrap(), fresh_fundings(store), "{step}");
    assert_eq!(*store.parents().unwrap(), fresh_parents(store), "{step}");
}

#[test]
fn snapshots_carried_over_by_writes_equal_a_fresh_read() {
    let store = TestStore::with(&bundled());
    assert_current(&store, "after the import");
    let kor = NodeRef::new(NodeKind::Partner, "KOR");
    let jpn = NodeRef::new(NodeKind::Partner, "JPN");
    let wp4 = NodeRef::new(NodeKind::Initiative, "IAI-WP4");
    let parent_of_wp4 = fresh_parents(&store)[&wp4].clone();
    let reparented = |to: &str| Edge {
        kind: EdgeKind::PartOf,
        from: wp4.clone(),
        to: NodeRef::new(NodeKind::Initiative, to),
        year: None,
        props: EdgeProps {
            sources: vec!["S2".into()],
            ..EdgeProps::default()
        },
    };
    let steps: Vec<(&str, Vec<Change>)> = vec![
        (
            "a new funding",
            vec![Change::PutEdge(funding(kor.clone(), "IAI-WP4", 1.5e6))],
        ),
        (
            "its amount changed",
            vec![Change::PutEdge(funding(kor.clone(), "IAI-WP4", 2.5e6))],
        ),
        (
            "two at once, one removed",
            vec![
                Change::PutEdge(funding(jpn.clone(), "IAI", 7.0)),
                Change::DeleteEdge(EdgeId::of(&funding(kor.clone(), "IAI-WP4", 0.0))),
            ],
        ),
        (
            "a new parent, then the old edge deleted, in one write",
            vec![
                Change::PutEdge(reparented("MPAC-2025")),
                Change::DeleteEdge(EdgeId::of(&reparented(&parent_of_wp4.code))),
            ],
        ),
        (
            "a record written: no relation changed",
            vec![Change::PutNode(store.get(&kor).unwrap().unwrap())],
        ),
    ];
    for (step, changes) in steps {
        store
            .apply(changes)
            .unwrap_or_else(|e| panic!("{step}: {e}"));
        assert_current(&store, step);
    }
    assert!(
        store
            .edge(&EdgeId::of(&funding(jpn, "IAI", 0.0)))
            .unwrap()
            .is_some()
    );
    assert_eq!(fresh_parents(&store)[&wp4].code, "MPAC-2025");
}
