//! Search as a ranked top-k connection: the store's index read, page by page, gives exactly
//! the ranking of every record by `model::search::rank`; and the `search` connection over
//! HTTP: paging, `totalCount`, `types`, scores, cursors refused from other searches.

use crate::common::TestServer;
use crate::common::TestStore;
use asean_graph::dataset;
use asean_graph::model::search::{self, Query, Tier};
use asean_graph::model::{Node, NodeKind, NodeRef};
use asean_graph::store::{Reads, SearchRequest, Store};
use serde_json::Value;
use std::collections::BTreeSet;

/// The bundled dataset and two synthetic copies: many records share words and lengths.
fn generated_store() -> TestStore {
    let base = dataset::parse(dataset::BUNDLED.as_bytes()).unwrap();
    let doc = dataset::generate(&base, 3, 7);
    TestStore::with(&serde_json::to_string(&doc).unwrap())
}

fn every_record(store: &Store) -> Vec<Node> {
    NodeKind::ALL
        .into_iter()
        .flat_map(|k| store.nodes(k).map(Result::unwrap).collect::<Vec<_>>())
        .collect()
}

/// The ranking by definition: every record ranked, best tier, then shortness, then ref.
fn ranked(records: &[Node], query: &Query, kinds: &[NodeKind]) -> Vec<(Tier, NodeRef)> {
    let mut out: Vec<(Tier, u16, NodeRef)> = records
        .iter()
        .filter(|n| kinds.is_empty() || kinds.contains(&n.kind()))
        .filter_map(|n| {
            let (tier, _) = search::rank(n, query)?;
            Some((tier, search::shortness(n), n.node_ref()))
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    out.into_iter().map(|(t, _, r)| (t, r)).collect()
}

/// Every hit of `query`, read `page` at a time through the positions the store gives.
fn paged(store: &Store, query: &Query, kinds: &[NodeKind], page: usize) -> Vec<(Tier, NodeRef)> {
    let mut out = Vec::new();
    let mut after: Option<Vec<u8>> = None;
    loop {
        let hits = store
            .search(&SearchRequest {
                query,
                kinds,
                after: after.as_deref(),
                limit: page,
                reads: &Reads::new(u64::MAX),
            })
            .unwrap();
        let done = hits.len() < page;
        after = hits.last().map(|h| h.position.clone());
        out.extend(hits.into_iter().map(|h| (h.tier, h.node.node_ref())));
        if done {
            return out;
        }
        assert!(out.len() < 100_000, "paging does not end for {query:?}");
    }
}

/// The texts to search: every word and first word of the records' texts, their starts, two-
/// word phrases and whole phrases, and codes.
fn queries(records: &[Node]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for n in records.iter().step_by(7) {
        out.insert(n.code().to_owned());
        out.insert(n.code().replace('-', " "));
        for (_, p) in search::text_phrases(n) {
            let words: Vec<&str> = p.split(' ').collect();
            out.insert(p.clone());
            if let [a, b, ..] = words.as_slice() {
                out.insert(format!("{a} {b}"));
                out.insert(format!("{a} {}", &b[..b.len().min(2)]));
                out.insert(format!("{b} {a}"));
            }
            for w in words.iter().take(3) {
                out.insert((*w).to_owned());
                out.insert(w[..w.len().min(1)].to_owned());
                out.insert(w[..w.len().min(3)].to_owned());
            }
        }
    }
    out
}

#[test]
fn top_k_pages_equal_the_ranking_of_every_record() {
    let store = generated_store();
    let records = every_record(&store);
    let texts = queries(&records);
    assert!(texts.len() > 300, "{} queries", texts.len());
    let kind_sets: [&[NodeKind]; 3] = [
        &[],
        &[NodeKind::Person],
        &[NodeKind::Meeting, NodeKind::Source],
    ];
    let mut compared = 0;
    for text in &texts {
        let Some(query) = Query::new(text) else {
            continue;
        };
        for kinds in kind_sets {
            let want = ranked(&records, &query, kinds);
            for page in [1, 4, 25] {
                let got = paged(&store, &query, kinds, page);
                assert_eq!(got, want, "{text:?} kinds {kinds:?}, pages of {page}");
            }
            let count = store
                .search_count(&query, kinds, &Reads::new(u64::MAX))
                .unwrap();
            assert_eq!(count, want.len(), "totalCount of {text:?} kinds {kinds:?}");
            compared += usize::from(!want.is_empty());
        }
    }
    assert!(compared > 500, "only {compared} searches found anything");
}

#[test]
fn a_search_past_its_reads_fails_and_says_so() {
    let store = generated_store();
    let query = Query::new("s").unwrap();
    let err = store
        .search(&SearchRequest {
            query: &query,
            kinds: &[],
            after: None,
            limit: 100,
            reads: &Reads::new(20),
        })
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("search needs more than the 20 reads"),
        "{err}"
    );
}

fn ids(data: &Value) -> Vec<String> {
    data["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn search_pages_with_cursors_and_counts_every_hit() {
    let s = TestServer::start().await;
    let all = s
        .data(r#"{ search(text: "iai", first: 100) { totalCount edges { node { id } } pageInfo { hasNextPage } } }"#)
        .await;
    let every = ids(&all);
    let total = all["search"]["totalCount"].as_u64().unwrap() as usize;
    assert!(every.len() > 12, "{all}");
    assert!(total <= 100, "the bundled data holds fewer hits: {all}");
    assert_eq!(total, every.len(), "{all}");
    let mut paged = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = s
            .post(
                "query($after: String) { search(text: \"iai\", first: 5, after: $after) { \
                 edges { node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }",
                serde_json::json!({ "after": after }),
            )
            .await
            .1["data"]
            .clone();
        paged.extend(ids(&page));
        let info = &page["search"]["pageInfo"];
        assert_eq!(info["hasPreviousPage"], !after.is_null(), "{page}");
        if info["hasNextPage"] == false {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(paged, every.iter().take(100).cloned().collect::<Vec<_>>());
}

#[tokio::test]
async fn search_hits_show_their_score_and_what_matched() {
    let s = TestServer::start().await;
    let data = s
        .data(r#"{ search(text: "viet nam", first: 20) { edges { score matched matchedField node { id } } } }"#)
        .await;
    let edges = data["search"]["edges"].as_array().unwrap();
    assert_eq!(edges[0]["node"]["id"], "Member:VNM", "{data}");
    assert_eq!(edges[0]["matched"], "TEXT", "{data}");
    assert_eq!(edges[0]["matchedField"], "name", "{data}");
    let scores: Vec<f64> = edges.iter().map(|e| e["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores[0] > 3.0 && scores[0] < 4.0, "{scores:?}");
    let code = s
        .data(r#"{ search(text: "iai-tf", first: 1) { edges { matched matchedField node { id } } } }"#)
        .await;
    assert_eq!(
        code["search"]["edges"][0]["node"]["id"], "Body:IAI-TF",
        "{code}"
    );
    assert_eq!(code["search"]["edges"][0]["matched"], "CODE", "{code}");
}

#[tokio::test]
async fn search_keeps_only_the_types_asked_for() {
    let s = TestServer::start().await;
    let data = s
        .data(r#"{ search(text: "viet nam", first: 100, types: [PERSON, SOURCE]) { totalCount nodes { id } } }"#)
        .await;
    let nodes = data["search"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty(), "{data}");
    for n in nodes {
        let id = n["id"].as_str().unwrap();
        assert!(
            id.starts_with("Person:") || id.starts_with("Source:"),
            "{id}"
        );
    }
    assert_eq!(data["search"]["totalCount"], nodes.len(), "{data}");
}

#[tokio::test]
async fn a_cursor_of_another_search_is_refused() {
    let s = TestServer::start().await;
    let page = s
        .data(r#"{ search(text: "asean", first: 1) { pageInfo { endCursor } } }"#)
        .await;
    let cursor = page["search"]["pageInfo"]["endCursor"].as_str().unwrap();
    let (_, body) = s
        .post(
            "query($c: String) { search(text: \"viet\", after: $c) { nodes { id } } }",
            serde_json::json!({ "c": cursor }),
        )
        .await;
    assert_cursor_refused(&body);
}

/// The one refusal of a cursor this search did not give.
fn assert_cursor_refused(body: &Value) {
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("not a cursor of this search"),
        "{body}"
    );
}

#[tokio::test]
async fn a_text_without_words_finds_and_counts_nothing() {
    let s = TestServer::start().await;
    for text in ["!!!", "", "   ", "\u{2014}", "\u{200b}"] {
        let (_, body) = s
            .post(
                "query($t: String!) { search(text: $t) { totalCount edges { node { id } } pageInfo { hasNextPage } } }",
                serde_json::json!({ "t": text }),
            )
            .await;
        assert_eq!(body["data"]["search"]["totalCount"], 0, "{text:?}: {body}");
        assert_eq!(
            body["data"]["search"]["edges"],
            serde_json::json!([]),
            "{body}"
        );
    }
    let (_, body) = s
        .post(
            r#"{ search(text: "!!!", after: "garbage") { nodes { id } } }"#,
            Value::Null,
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
}

/// A cursor as the server makes one (`src/graphql/cursor.rs`: its tag is a check, not a
/// secret), around any key.
fn forged_cursor(list: &str, key: &[u8]) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(b"asean-graph cursor 1\0");
    hash.update(list.as_bytes());
    hash.update([0]);
    hash.update(key);
    let mut bytes = key.to_vec();
    bytes.extend_from_slice(&hash.finalize()[..8]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[tokio::test]
async fn a_forged_search_cursor_is_refused_not_an_internal_error() {
    let s = TestServer::start().await;
    // A real cursor first, so that the forgery is known to pass the tag.
    let page = s
        .data(r#"{ search(text: "asean", first: 1) { pageInfo { endCursor } } }"#)
        .await;
    let real = page["search"]["pageInfo"]["endCursor"].as_str().unwrap();
    let list = "SearchConnection asean ";
    let key = {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(real)
            .unwrap();
        bytes[..bytes.len() - 8].to_vec()
    };
    assert_eq!(
        forged_cursor(list, &key),
        real,
        "the forgery follows the server's rule"
    );
    for bad in [
        &b"\x00\x00\x05\x07P2\x00"[..],
        b"\xff",
        b"\xfc\x00",
        b"\xfc\x00\x01\x07P2",
    ] {
        let (_, body) = s
            .post(
                "query($c: String) { search(text: \"asean\", after: $c) { nodes { id } } }",
                serde_json::json!({ "c": forged_cursor(list, bad) }),
            )
            .await;
        assert_cursor_refused(&body);
    }
}

#[tokio::test]
async fn the_searches_of_one_request_share_one_budget_of_reads() {
    use asean_graph::graphql::Options;
    use asean_graph::graphql::limits::Limits;
    use asean_graph::server::Config;
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        graphql: Options {
            limits: Limits {
                max_filter_reads: 2_000,
                ..Limits::default()
            },
            ..Options::default()
        },
        ..Config::default()
    })
    .await;
    let one = s.data(r#"{ search(text: "asean") { totalCount } }"#).await;
    assert!(one["search"]["totalCount"].as_u64().unwrap() > 50, "{one}");
    let aliases: String = (0..25)
        .map(|i| format!(r#" c{i}: search(text: "asean") {{ totalCount }}"#))
        .collect();
    let (_, body) = s.post(&format!("{{{aliases} }}"), Value::Null).await;
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "QUERY_TOO_COMPLEX", "{body}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("search needs more than the 2000 reads"),
        "{body}"
    );
}

#[test]
fn a_name_without_words_is_not_a_record_s_shortest() {
    let mut doc: Value = serde_json::from_str(dataset::BUNDLED).unwrap();
    for m in doc["members"].as_array_mut().unwrap() {
        if m["code"] == "BRN" {
            m["nameVi"] = Value::from("\u{2014}");
        }
    }
    let store = TestStore::with(&doc.to_string());
    let query = Query::new("b").unwrap();
    let hits = store
        .search(&SearchRequest {
            query: &query,
            kinds: &[NodeKind::Member],
            after: None,
            limit: 10,
            reads: &Reads::new(u64::MAX),
        })
        .unwrap();
    let brunei = hits.iter().find(|h| h.node.code() == "BRN").unwrap();
    assert_eq!(brunei.tier, Tier::Start);
    assert_eq!(brunei.shortness as usize, "brunei darussalam".len());
    assert!(brunei.tier.score(brunei.shortness) < 3.0);
}
