//! Changes have ids of their own that caches can trust: `"Change:<seq>"`, resolvable by
//! `node(id:)`, with the changed record named apart in `recordId`; and sequence numbers that
//! count up one by one, across restarts and past rejected writes.

use crate::common::Api;
use crate::common::TestServer;
use crate::common::{EDITOR, TOKENS};
use crate::common::{TestStore, reopen, small};
use asean_graph::model::NodeRef;
use asean_graph::store::{Change, LogEntry, StoreError};
use serde_json::{Value, json};

/// A log entry as a write would make it (the commit numbers it).
fn entry(op: &str) -> LogEntry {
    LogEntry {
        seq: 0,
        at_ms: 0,
        by: "test".into(),
        op: op.into(),
        id: "Member:VNM".into(),
        kind: "Member".into(),
        before: None,
        after: None,
    }
}

/// Every seq in the log, oldest first.
fn seqs(store: &asean_graph::store::Store) -> Vec<u64> {
    store
        .changes_since(None, 1000)
        .unwrap()
        .into_iter()
        .map(|e| e.seq)
        .collect()
}

/// Before: seqs came from sled's id generator, which jumps ahead by a million or more on
/// every open, so a restarted server's first change was numbered millions past the last.
#[test]
fn bug_seqs_jumped_at_every_restart() {
    let store = TestStore::with(&small());
    let dir = store.close();
    for round in 0..3 {
        let store = reopen(dir.path());
        for i in 0..2 {
            store
                .apply(vec![Change::Log(entry(&format!(
                    "round {round}, write {i}"
                )))])
                .unwrap();
        }
    }
    let store = reopen(dir.path());
    assert_eq!(seqs(&store), (1..=6).collect::<Vec<u64>>());
}

/// A write that is refused gives no number away, and one write logging several entries
/// numbers them one after the other.
#[test]
fn a_rejected_write_leaves_no_gap_in_the_seqs() {
    let store = TestStore::with(&small());
    store.apply(vec![Change::Log(entry("first"))]).unwrap();
    let missing = NodeRef::parse("Member:ZZZ").unwrap();
    let refused = store.apply(vec![
        Change::DeleteNode(missing),
        Change::Log(entry("never")),
    ]);
    assert!(
        matches!(refused, Err(StoreError::Rejected(_))),
        "{refused:?}"
    );
    store
        .apply(vec![
            Change::Log(entry("second")),
            Change::Log(entry("third")),
        ])
        .unwrap();
    assert_eq!(seqs(&store), vec![1, 2, 3]);
    let ops: Vec<String> = store
        .changes_since(None, 10)
        .unwrap()
        .into_iter()
        .map(|e| e.op)
        .collect();
    assert_eq!(ops, ["first", "second", "third"]);
}

async fn updated_twice() -> (TestServer, Api) {
    let s = TestServer::with_tokens(TOKENS).await;
    let api = Api::new(&s.base, &s.client);
    for name in ["United Kingdom (one)", "United Kingdom (two)"] {
        api.ok(
            Some(EDITOR),
            "mutation Rename($name: String!) { updatePartner(code: \"GBR\", input: { name: $name }) { id } }",
            json!({ "name": name }),
        )
        .await;
    }
    (s, api)
}

/// Before: `Change.id` was the changed record's id, so a normalizing cache (Apollo's
/// InMemoryCache, urql's graphcache) stored every change of a record under one key and
/// served GBR's two changes as one repeated.
#[tokio::test]
async fn bug_every_change_of_a_record_had_the_records_id() {
    let (_s, api) = updated_twice().await;
    let history = api
        .ok(
            None,
            "query History { history(id: \"Partner:GBR\") { nodes { id seq recordId kind op } } }",
            json!({}),
        )
        .await;
    let nodes = history["history"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 2, "{history}");
    for n in nodes {
        assert_eq!(
            n["id"],
            format!("Change:{}", n["seq"].as_str().unwrap()),
            "{n}"
        );
        assert_eq!(n["recordId"], "Partner:GBR", "{n}");
        assert_eq!(n["kind"], "Partner", "{n}");
    }
    assert_ne!(nodes[0]["id"], nodes[1]["id"], "{history}");
}

/// `node(id: "Change:<seq>")` is that change, as `history` and `changes` show it.
#[tokio::test]
async fn a_change_resolves_by_node() {
    let (_s, api) = updated_twice().await;
    let fields = "id seq op recordId kind by at before after node { id }";
    let listed = api
        .ok(
            None,
            &format!("query Log {{ changes {{ {fields} }} }}"),
            json!({}),
        )
        .await;
    let listed = listed["changes"].as_array().unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    for change in listed {
        let found = api
            .ok(
                None,
                &format!(
                    "query Change($id: ID!) {{ node(id: $id) {{ __typename id ... on Change {{ {fields} }} }} }}"
                ),
                json!({ "id": change["id"] }),
            )
            .await;
        let mut expected = change.clone();
        expected["__typename"] = json!("Change");
        assert_eq!(found["node"], expected);
    }
}

/// A change id past the end of the log is no change (null); one that is not a number is
/// refused, naming the argument.
#[tokio::test]
async fn change_ids_that_name_nothing() {
    let (_s, api) = updated_twice().await;
    let query = "query Node($id: ID!) { node(id: $id) { id } }";
    let past: Value = api.ok(None, query, json!({ "id": "Change:3" })).await;
    assert_eq!(past["node"], Value::Null);
    for bad in [
        "Change:",
        "Change:x",
        "Change:-1",
        "Change:1.5",
        "Change:99999999999999999999",
    ] {
        let (code, message) = api.fails(None, query, json!({ "id": bad })).await;
        assert_eq!(code, "BAD_USER_INPUT", "{bad}: {message}");
        assert!(
            message.starts_with("id: ") && message.contains(bad),
            "{bad}: {message}"
        );
    }
}
