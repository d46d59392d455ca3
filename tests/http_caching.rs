//! HTTP caching and metrics through the real server: GET answers carry an ETag (304 on
//! `If-None-Match`) and are private where reads need a token, the answer cache never
//! outlives a write, and `/metrics` names a request's operation from its document.

use crate::common::TestServer;
use crate::common::abuse::*;
use asean_graph::graphql::Options;
use asean_graph::server::Config;
use serde_json::{Value, json};
use std::sync::Arc;

// ----- HTTP caching -----

#[tokio::test]
async fn get_answers_carry_an_etag_and_if_none_match_gets_304() {
    let s = TestServer::start().await;
    let url = format!("{}/graphql", s.base);
    let get = |query: &'static str, etag: Option<String>| {
        let mut request = s.client.get(&url).query(&[("query", query)]);
        if let Some(tag) = etag {
            request = request.header("if-none-match", tag);
        }
        request.send()
    };
    let vnm = r#"{ member(code: "VNM") { name } }"#;
    let sgp = r#"{ member(code: "SGP") { name } }"#;

    let r = get(vnm, None).await.unwrap();
    assert_eq!(r.status(), 200);
    let etag = r
        .headers()
        .get("etag")
        .expect("a GET answer has an ETag")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");

    // The same answer again: the same tag; with it, 304 and no body.
    let r = get(vnm, None).await.unwrap();
    assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
    let r = get(vnm, Some(etag.clone())).await.unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
    assert!(r.bytes().await.unwrap().is_empty());
    let r = get(vnm, Some(format!("\"nope\", {etag}"))).await.unwrap();
    assert_eq!(r.status(), 304, "a tag among several");

    // A stale tag: the full answer.
    let r = get(vnm, Some("\"stale\"".into())).await.unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam");

    // A different answer: a different tag, and the first tag does not match it.
    let r = get(sgp, None).await.unwrap();
    let other = r.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(other, etag);
    let r = get(sgp, Some(etag.clone())).await.unwrap();
    assert_eq!(r.status(), 200);

    // An error answer is not cached.
    let r = get("{ noSuchField }", None).await.unwrap();
    assert!(r.headers().get("etag").is_none());
    assert_eq!(r.headers()["cache-control"], "no-store");

    // POST answers carry no tag.
    let r = s
        .client
        .post(&url)
        .header("if-none-match", etag)
        .json(&json!({ "query": vnm }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("etag").is_none());
}

/// Where reads need a token, a GET answer is for its caller: `private`, never `public`, so
/// no shared cache keeps it; still `Vary: Authorization`.
#[tokio::test]
async fn get_answers_are_private_where_reads_need_a_token() {
    let access = asean_graph::graphql::Access {
        tokens: asean_graph::graphql::Tokens::parse(crate::common::TOKENS).unwrap(),
        read_needs_token: true,
    };
    let s = TestServer::start_with(Config {
        graphql: Options {
            access: Arc::new(access),
            ..Default::default()
        },
        rate_limit: 0.0,
        ..Config::default()
    })
    .await;
    let r = s
        .client
        .get(format!("{}/graphql", s.base))
        .query(&[("query", r#"{ member(code: "VNM") { name } }"#)])
        .bearer_auth(crate::common::READER)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cache = r.headers()["cache-control"].to_str().unwrap().to_owned();
    assert_eq!(cache, "private, max-age=60");
    let vary = r.headers()["vary"].to_str().unwrap().to_ascii_lowercase();
    assert!(vary.contains("authorization"), "{vary}");
    assert!(r.headers().get("etag").is_some());
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");

    // Open reads stay public.
    let open = TestServer::start().await;
    let r = open
        .client
        .get(format!("{}/graphql", open.base))
        .query(&[("query", r#"{ member(code: "VNM") { name } }"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "public, max-age=60");
}

/// Repeated queries are answered from the cache of answers, but never past a write: after
/// each write the same query (by POST and by GET) shows it, and a repeated mutation runs
/// again rather than replaying its first answer.
#[tokio::test]
async fn cached_answers_never_outlive_a_write() {
    use crate::common::{EDITOR, TOKENS};
    let s = TestServer::with_tokens(TOKENS).await;
    let api = crate::common::Api::new(&s.base, &s.client);
    let query = r#"{ member(code: "VNM") { description } }"#;
    let get_url = format!(
        "{}/graphql?query={}",
        s.base,
        query.replace(' ', "%20").replace('"', "%22")
    );
    for round in 0..3 {
        let description = format!("round {round}");
        api.ok(
            Some(EDITOR),
            "mutation($d: String!) { updateMember(code: \"VNM\", input: { description: $d }) { code } }",
            json!({ "d": description }),
        )
        .await;
        for _ in 0..3 {
            let posted = api.ok(None, query, json!({})).await;
            assert_eq!(posted["member"]["description"], description.as_str());
            let got: Value = s
                .client
                .get(&get_url)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(
                got["data"]["member"]["description"],
                description.as_str(),
                "{got}"
            );
        }
    }
    let create = r#"mutation { createPerson(input: { code: "CACHE-ONCE", name: "Once", sources: ["P2"] }) { code } }"#;
    api.ok(Some(EDITOR), create, json!({})).await;
    let (code, _) = api.fails(Some(EDITOR), create, json!({})).await;
    assert_eq!(
        code, "CONFLICT",
        "the second create ran, and found the first"
    );
}

/// Logs and metrics name an operation by the request's `operationName`, or, where it gives
/// none, by the name the document gives its only operation (docs/tracing.md's curl example
/// sends none): from the answers cache too, in a batch, and over GET. A document of two
/// operations, or an anonymous one, with no name asked, stays `-`.
#[tokio::test]
async fn metrics_name_the_operation_a_document_names_when_the_request_does_not() {
    let s = TestServer::start().await;
    let url = format!("{}/graphql", s.base);
    let post = |body: Value| s.client.post(&url).json(&body).send();
    let named = "query MemberNames { members(first: 3) { nodes { code name } } }";
    for _ in 0..2 {
        // The second is answered from the cache of answers.
        assert_eq!(post(json!({ "query": named })).await.unwrap().status(), 200);
    }
    let batch = json!([
        { "query": "query InBatch { __typename }" },
        { "query": "query Asked { __typename }", "operationName": "Asked" },
    ]);
    assert_eq!(post(batch).await.unwrap().status(), 200);
    let get = s
        .client
        .get(&url)
        .query(&[("query", "query OverGet { __typename }")])
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 200);
    let two = "query A { __typename } query B { __typename }";
    assert_eq!(
        post(json!({ "query": two, "operationName": "B" }))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        post(json!({ "query": "{ __typename }" }))
            .await
            .unwrap()
            .status(),
        200
    );
    let text = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let count = |operation: &str| {
        metric(
            &text,
            &format!(
                "asean_graph_requests_total{{path=\"/graphql\",operation=\"{operation}\",status=\"200\"}}"
            ),
        )
    };
    assert_eq!(count("MemberNames"), Some(2.0), "{text}");
    assert_eq!(count("InBatch,Asked"), Some(1.0), "{text}");
    assert_eq!(count("OverGet"), Some(1.0), "{text}");
    assert_eq!(count("B"), Some(1.0), "{text}");
    assert_eq!(count("-"), Some(1.0), "{text}");
}
