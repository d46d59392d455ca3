//! Persisted queries through the real server: automatic persisted queries by Apollo's
//! protocol, oversized documents never registered, and a trusted-documents manifest that
//! lets only its documents run.

use crate::common::TestServer;
use crate::common::abuse::*;
use asean_graph::server::{Config, Manifest};
use serde_json::{Value, json};
use std::sync::Arc;

// ----- persisted queries -----

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

#[tokio::test]
async fn automatic_persisted_queries_follow_the_apollo_protocol() {
    let s = TestServer::start().await;
    let url = format!("{}/graphql", s.base);
    let query = r#"{ member(code: "VNM") { name } }"#;
    let hash = sha256_hex(query);
    let post = |body: Value| s.client.post(&url).json(&body).send();

    // An unknown hash: the server asks for the document.
    let r = post(json!({ "extensions": persisted(&hash) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{body}"
    );
    assert!(body.get("data").is_none_or(Value::is_null), "{body}");

    // The document with its hash: runs, and is remembered.
    let r = post(json!({ "query": query, "extensions": persisted(&hash) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");

    // The hash alone now runs, by POST and by GET, whatever the hash's case.
    for h in [hash.clone(), hash.to_uppercase()] {
        let r = post(json!({ "extensions": persisted(&h) })).await.unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
    }
    let r = s
        .client
        .get(&url)
        .query(&[("extensions", persisted(&hash).to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");

    // A hash that is not the document's: refused, and nothing is remembered under it.
    let other = r#"{ member(code: "SGP") { name } }"#;
    let r = post(json!({ "query": other, "extensions": persisted(&hash) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert!(body.get("data").is_none_or(Value::is_null), "{body}");
    let r = post(json!({ "extensions": persisted(&hash) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
    let fake = sha256_hex("not registered");
    let r = post(json!({ "query": other, "extensions": persisted(&fake) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    let r = post(json!({ "extensions": persisted(&fake) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{body}"
    );

    // A persisted document still passes the query limits.
    let (deep, _) = too_deep();
    let r = post(json!({ "query": deep, "extensions": persisted(&sha256_hex(&deep)) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "QUERY_TOO_DEEP",
        "{body}"
    );
}

/// A document over the size limit sent with its hash is refused as the limits refuse it,
/// and never registered: its hash stays unknown, and it takes no place in the cache.
#[tokio::test]
async fn an_oversized_document_is_never_registered_as_a_persisted_query() {
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        apq_capacity: 1,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let post = |body: Value, accept: &'static str| {
        s.client
            .post(&url)
            .header("accept", accept)
            .json(&body)
            .send()
    };
    let small = r#"{ member(code: "VNM") { name } }"#;
    let r = post(
        json!({ "query": small, "extensions": persisted(&sha256_hex(small)) }),
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);

    let big = too_big();
    let hash = sha256_hex(&big);
    let plain = post(json!({ "query": big }), "application/json")
        .await
        .unwrap();
    let plain: Value = plain.json().await.unwrap();
    for (accept, status) in [
        ("application/json", 200),
        ("application/graphql-response+json", 400),
    ] {
        let r = post(
            json!({ "query": big, "extensions": persisted(&hash) }),
            accept,
        )
        .await
        .unwrap();
        assert_eq!(r.status(), status, "{accept}");
        let body: Value = r.json().await.unwrap();
        let message = refusal(&body, "BAD_USER_INPUT", "an oversized APQ document");
        assert_eq!(message, plain["errors"][0]["message"], "{body}");
        states_limit_and_measure(
            message,
            defaults().max_document_bytes,
            "an oversized APQ document",
        );
    }
    // Not registered: the hash alone is unknown.
    let r = post(
        json!({ "extensions": persisted(&hash) }),
        "application/json",
    )
    .await
    .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{body}"
    );
    // And it did not push the small document out of the one-entry cache.
    let r = post(
        json!({ "extensions": persisted(&sha256_hex(small)) }),
        "application/json",
    )
    .await
    .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
}

#[tokio::test]
async fn with_trusted_documents_only_the_manifest_runs() {
    let trusted = r#"query Vnm { member(code: "VNM") { name } }"#;
    let hash = sha256_hex(trusted);
    let manifest = Manifest::parse(&json!({ hash.clone(): trusted }).to_string()).unwrap();
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        trusted_documents: Some(Arc::new(manifest)),
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let post = |body: Value| s.client.post(&url).json(&body).send();

    // By hash.
    let r = post(json!({ "extensions": persisted(&hash) }))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
    // By text.
    let r = post(json!({ "query": trusted })).await.unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
    // By GET, by hash.
    let r = s
        .client
        .get(&url)
        .query(&[("extensions", persisted(&hash).to_string())])
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");

    // Anything else: FORBIDDEN, with no data.
    let other = r#"{ member(code: "VNM") { name } }"#;
    for (what, request) in [
        ("another document", json!({ "query": other })),
        (
            "introspection",
            json!({ "query": "{ __schema { types { name } } }" }),
        ),
        (
            "another document under the trusted hash",
            json!({ "query": other, "extensions": persisted(&hash) }),
        ),
        (
            "an unknown hash",
            json!({ "extensions": persisted(&sha256_hex(other)) }),
        ),
        (
            "a registered-looking APQ",
            json!({ "query": other, "extensions": persisted(&sha256_hex(other)) }),
        ),
    ] {
        let r = post(request).await.unwrap();
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{what}: {status} {body}"
        );
        assert!(
            body.get("data").is_none_or(Value::is_null),
            "{what}: {body}"
        );
        assert_eq!(status, 403, "{what}: {body}");
    }
    // An APQ attempt did not register the other document.
    let r = post(json!({ "extensions": persisted(&sha256_hex(other)) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );

    // A manifest whose hash does not match its document is refused at startup.
    assert!(Manifest::parse(&json!({ sha256_hex(other): trusted }).to_string()).is_err());
}
