//! A document seen before is served from the cache of parsed documents: the same answers,
//! and every check that depends on the request (its variables, the complexity they give) still
//! made each time; a refused document is never kept. The cache of answers is off, or it
//! would answer a repeated request before the document is looked up.

use crate::common::TestServer;
use crate::common::queries::INTROSPECTION_QUERY;
use serde_json::{Value, json};

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

#[tokio::test]
async fn a_document_sent_again_gets_the_same_answer_and_introspection_keeps_its_budget() {
    let s = TestServer::without_answer_cache().await;
    for query in [
        INTROSPECTION_QUERY,
        "query ProductQuestion { partners(kind: DIALOGUE_PARTNER) { nodes { name fundings { nodes { target { ... on Initiative { code } } } } } } }",
    ] {
        let (status, first) = s.post(query, json!({})).await;
        assert_eq!(status, 200, "{first}");
        assert!(first.get("errors").is_none(), "{first}");
        for _ in 0..2 {
            assert_eq!(s.post(query, json!({})).await, (200, first.clone()));
        }
    }
}

#[tokio::test]
async fn a_kept_document_is_still_held_to_the_limits_its_variables_give() {
    let s = TestServer::without_answer_cache().await;
    let query = "query Nested($n: Int, $where: PartnerFilter) { partners(first: $n, filter: $where) { \
                 nodes { fundings(first: $n) { nodes { funder { ... on Partner { fundings(first: $n) { nodes { amountUsd } } } } } } } } }";
    let (status, small) = s.post(query, json!({ "n": 2 })).await;
    assert_eq!(status, 200, "{small}");
    assert!(small.get("errors").is_none(), "{small}");
    // The same text: now its pages multiply past the complexity limit.
    let (_, large) = s.post(query, json!({ "n": 100 })).await;
    assert_eq!(code(&large), "QUERY_TOO_COMPLEX", "{large}");
    // The same text: a variable nested past the limit.
    let mut deep = json!({ "name": { "eq": "Japan" } });
    for _ in 0..40 {
        deep = json!({ "not": deep });
    }
    let (_, nested) = s.post(query, json!({ "n": 2, "where": deep })).await;
    assert_eq!(code(&nested), "QUERY_TOO_DEEP", "{nested}");
    // And once more as first sent.
    assert_eq!(s.post(query, json!({ "n": 2 })).await, (200, small));
}

#[tokio::test]
async fn a_refused_document_is_refused_again() {
    let s = TestServer::without_answer_cache().await;
    let deep = format!(
        "query Deep {{ {}id{} }}",
        "node(id: \"x\") { ".repeat(40),
        " }".repeat(40)
    );
    for _ in 0..3 {
        let (_, body) = s.post(&deep, json!({})).await;
        assert_eq!(code(&body), "QUERY_TOO_DEEP", "{body}");
    }
}
