//! Live changes over `/ws` with a real WebSocket client, for both subprotocols: the events of
//! writes arrive in write order, filters hold, a server whose reads need a token refuses a
//! connection without one, and a subscriber that stops reading never blocks writers.

use crate::common::Api;
use crate::common::TestServer;
use crate::common::ws_client::stalled_subscriber;
use crate::common::ws_client::{
    Client, Incoming, LEGACY_WS, Protocol, TRANSPORT_WS, WAIT, server, until_live,
};
use crate::common::{EDITOR, READER, TOKENS};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Three writes over HTTP; their events arrive in write order, with increasing `seq`, the
/// token's name, and the record as it now is.
async fn events_arrive_in_write_order(protocol: Protocol) {
    let (s, api) = server().await;
    let mut client = Client::connect(&s.base, protocol).await;
    client.init(json!({})).await.expect("connection_init");
    client
        .subscribe(
            "1",
            "subscription { changes { id seq op recordId kind by node { id } } }",
            json!({}),
        )
        .await;
    until_live(&mut client, &api, "1", "Member:BRN").await;

    let writes = [
        (
            r#"mutation { createPerson(input: { code: "WS-A", name: "WS A", sources: ["P2"] }) { id } }"#,
            "createPerson",
            "Person:WS-A",
            "Person",
        ),
        (
            r#"mutation { updateMember(code: "VNM", input: { description: "changed" }) { id } }"#,
            "updateMember",
            "Member:VNM",
            "Member",
        ),
        (
            r#"mutation { link(kind: REPRESENTS, from: "Person:WS-A", to: "Member:VNM", sources: ["P2"]) { id } }"#,
            "link",
            "Person:WS-A",
            "Person",
        ),
    ];
    for (query, ..) in &writes {
        api.ok(Some(EDITOR), query, json!({})).await;
    }
    let mut last_seq = 0u64;
    for (query, op, id, kind) in &writes {
        let e = client.change("1").await;
        assert_eq!(e["op"], *op, "{}: event for {query}: {e}", protocol.name);
        assert_eq!(e["recordId"], *id, "{e}");
        assert_eq!(e["kind"], *kind, "{e}");
        assert_eq!(e["by"], "ana", "{e}");
        assert_eq!(e["node"]["id"], *id, "{e}");
        let seq: u64 = e["seq"].as_str().unwrap().parse().unwrap();
        assert_eq!(e["id"], format!("Change:{seq}"), "{e}");
        assert!(seq > last_seq, "seq {seq} after {last_seq}");
        last_seq = seq;
    }
    // Nothing else was pending: the next event is the next write's.
    api.ok(
        Some(EDITOR),
        r#"mutation { updatePerson(code: "WS-A", input: { title: "t" }) { id } }"#,
        json!({}),
    )
    .await;
    let e = client.change("1").await;
    assert_eq!(e["op"], "updatePerson", "{e}");
    assert!(e["seq"].as_str().unwrap().parse::<u64>().unwrap() > last_seq);
    // The same events are in the log, in the same order.
    let log = api
        .ok(
            None,
            "{ history(id: \"Person:WS-A\") { nodes { op } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        log["history"]["nodes"],
        json!([{ "op": "updatePerson" }, { "op": "link" }, { "op": "createPerson" }])
    );
}

#[tokio::test]
async fn graphql_transport_ws_delivers_write_events_in_order() {
    events_arrive_in_write_order(TRANSPORT_WS).await;
}

#[tokio::test]
async fn legacy_graphql_ws_delivers_write_events_in_order() {
    events_arrive_in_write_order(LEGACY_WS).await;
}

/// `ids: [one id]` gets that record's events only; `kinds: [one type]` that type's only.
async fn filters_hold(protocol: Protocol) {
    let (s, api) = server().await;
    let query = "subscription($ids: [ID!], $kinds: [String!]) {
        changes(ids: $ids, kinds: $kinds) { seq op recordId } }";
    let mut by_id = Client::connect(&s.base, protocol).await;
    by_id.init(json!({})).await.expect("connection_init");
    by_id
        .subscribe("a", query, json!({ "ids": ["Member:VNM"] }))
        .await;
    until_live(&mut by_id, &api, "a", "Member:VNM").await;
    let mut by_kind = Client::connect(&s.base, protocol).await;
    by_kind.init(json!({})).await.expect("connection_init");
    by_kind
        .subscribe("b", query, json!({ "kinds": ["Person"] }))
        .await;
    until_live(&mut by_kind, &api, "b", "Person:NGUYEN-HAI-BANG").await;

    let writes = [
        (
            r#"mutation { createPerson(input: { code: "WS-B", name: "WS B", sources: ["P2"] }) { id } }"#,
            "Person:WS-B",
        ),
        (
            r#"mutation { updateMember(code: "VNM", input: { description: "one" }) { id } }"#,
            "Member:VNM",
        ),
        (
            r#"mutation { updateMember(code: "LAO", input: { description: "one" }) { id } }"#,
            "Member:LAO",
        ),
        (
            r#"mutation { updatePerson(code: "WS-B", input: { title: "t" }) { id } }"#,
            "Person:WS-B",
        ),
        (
            r#"mutation { updateMember(code: "VNM", input: { description: "two" }) { id } }"#,
            "Member:VNM",
        ),
        (
            r#"mutation { link(kind: REPRESENTS, from: "Person:WS-B", to: "Member:VNM", sources: ["P2"]) { id } }"#,
            "Person:WS-B",
        ),
    ];
    for (query, _) in &writes {
        api.ok(Some(EDITOR), query, json!({})).await;
    }
    // The last write each subscription sees: nothing between was left out or added.
    api.ok(
        Some(EDITOR),
        r#"mutation { updateMember(code: "VNM", input: { description: "last" }) { id } }"#,
        json!({}),
    )
    .await;
    api.ok(
        Some(EDITOR),
        r#"mutation { updatePerson(code: "WS-B", input: { title: "last" }) { id } }"#,
        json!({}),
    )
    .await;

    let mut seen = Vec::new();
    loop {
        let e = by_id.change("a").await;
        assert_eq!(e["recordId"], "Member:VNM", "{}: {e}", protocol.name);
        seen.push(e["op"].as_str().unwrap().to_owned());
        if seen.len() == 3 {
            break;
        }
    }
    assert_eq!(seen, ["updateMember"; 3]);
    let mut seen = Vec::new();
    for _ in 0..4 {
        let e = by_kind.change("b").await;
        assert_eq!(e["recordId"], "Person:WS-B", "{}: {e}", protocol.name);
        seen.push(e["op"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        seen,
        ["createPerson", "updatePerson", "link", "updatePerson"]
    );
    // Nothing more is pending on either.
    assert!(
        by_id
            .recv_within(Duration::from_millis(300))
            .await
            .is_none()
    );
    assert!(
        by_kind
            .recv_within(Duration::from_millis(300))
            .await
            .is_none()
    );
}

#[tokio::test]
async fn graphql_transport_ws_filters_by_id_and_kind() {
    filters_hold(TRANSPORT_WS).await;
}

#[tokio::test]
async fn legacy_graphql_ws_filters_by_id_and_kind() {
    filters_hold(LEGACY_WS).await;
}

/// Filters compare as codes do everywhere else: `kinds` whatever their case, `ids` by their
/// canonical form (`"Member:vnm"` is `"Member:VNM"`). A filter that names no record type or
/// no global id is refused with BAD_USER_INPUT when subscribing, and the subscription ends.
async fn filters_ignore_case(protocol: Protocol) {
    let (s, api) = server().await;
    let query = "subscription($ids: [ID!], $kinds: [String!]) {
        changes(ids: $ids, kinds: $kinds) { op recordId kind } }";
    let mut by_id = Client::connect(&s.base, protocol).await;
    by_id.init(json!({})).await.expect("connection_init");
    by_id
        .subscribe("a", query, json!({ "ids": ["Member:vnm", "Partner:Gbr"] }))
        .await;
    until_live(&mut by_id, &api, "a", "Member:VNM").await;
    let mut by_kind = Client::connect(&s.base, protocol).await;
    by_kind.init(json!({})).await.expect("connection_init");
    by_kind
        .subscribe("b", query, json!({ "kinds": ["person", "PARTNER"] }))
        .await;
    until_live(&mut by_kind, &api, "b", "Person:NGUYEN-HAI-BANG").await;

    for query in [
        r#"mutation { updateMember(code: "VNM", input: { description: "lower" }) { id } }"#,
        r#"mutation { updatePerson(code: "NGUYEN-HAI-BANG", input: { title: "lower" }) { id } }"#,
        r#"mutation { updateMember(code: "LAO", input: { description: "lower" }) { id } }"#,
        r#"mutation { updatePartner(code: "GBR", input: { description: "lower" }) { id } }"#,
    ] {
        api.ok(Some(EDITOR), query, json!({})).await;
    }
    let mut seen = Vec::new();
    for _ in 0..2 {
        seen.push(by_id.change("a").await);
    }
    assert_eq!(
        seen,
        [
            json!({ "op": "updateMember", "recordId": "Member:VNM", "kind": "Member" }),
            json!({ "op": "updatePartner", "recordId": "Partner:GBR", "kind": "Partner" }),
        ],
        "{}",
        protocol.name
    );
    let mut seen = Vec::new();
    for _ in 0..2 {
        seen.push(by_kind.change("b").await);
    }
    assert_eq!(
        seen,
        [
            json!({ "op": "updatePerson", "recordId": "Person:NGUYEN-HAI-BANG", "kind": "Person" }),
            json!({ "op": "updatePartner", "recordId": "Partner:GBR", "kind": "Partner" }),
        ],
        "{}",
        protocol.name
    );
    for client in [&mut by_id, &mut by_kind] {
        assert!(
            client
                .recv_within(Duration::from_millis(300))
                .await
                .is_none()
        );
    }

    // Filters that name nothing: one error each, then the subscription completes.
    for (variables, starts) in [
        (json!({ "ids": ["Member:VNM", "VNM"] }), "ids[1]:"),
        (json!({ "ids": ["member:VNM"] }), "ids[0]:"),
        (json!({ "kinds": ["Member", "Partnr"] }), "kinds[1]:"),
    ] {
        by_id.subscribe("c", query, variables.clone()).await;
        let errors = match by_id.event_within("c", WAIT).await {
            Some(Err(errors)) => errors,
            other => panic!("{}: {variables}: {other:?}", protocol.name),
        };
        assert_eq!(
            errors[0]["extensions"]["code"], "BAD_USER_INPUT",
            "{errors}"
        );
        let message = errors[0]["message"].as_str().unwrap();
        assert!(message.starts_with(starts), "{variables}: {message}");
        match by_id.recv().await {
            Incoming::Json(v) => {
                assert_eq!(v["type"], "complete", "{v}");
                assert_eq!(v["id"], "c", "{v}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn graphql_transport_ws_filters_ignore_case() {
    filters_ignore_case(TRANSPORT_WS).await;
}

#[tokio::test]
async fn legacy_graphql_ws_filters_ignore_case() {
    filters_ignore_case(LEGACY_WS).await;
}

/// With reads behind a token, connection_init needs one: none or a wrong one is refused
/// (and says why), a reader's is accepted and receives events.
async fn init_needs_a_token_where_reads_do(protocol: Protocol) {
    let access = asean_graph::graphql::Access {
        tokens: asean_graph::graphql::Tokens::parse(TOKENS).unwrap(),
        read_needs_token: true,
    };
    let s = TestServer::start_with(asean_graph::server::Config {
        graphql: asean_graph::graphql::Options {
            access: Arc::new(access),
            ..Default::default()
        },
        rate_limit: 0.0,
        ..Default::default()
    })
    .await;
    let api = Api::new(&s.base, &s.client);
    // Over HTTP too, a read without a token is refused.
    let r = s
        .client
        .post(format!("{}/graphql", s.base))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    for payload in [
        json!({}),
        json!({ "Authorization": "Bearer not-a-configured-secret-000" }),
        json!({ "Authorization": format!("Basic {READER}") }),
    ] {
        let mut client = Client::connect(&s.base, protocol).await;
        let refused = client
            .init(payload.clone())
            .await
            .expect_err("connection_init without a valid token was accepted");
        assert!(
            refused.contains("token"),
            "{}: {payload}: {refused}",
            protocol.name
        );
        // And no subscription runs on it (if the server even lets the client send one).
        let subscribe = json!({ "id": "1", "type": protocol.subscribe,
            "payload": { "query": "subscription { changes { op } }" } });
        if client.try_send(subscribe).await.is_ok() {
            api.ok(
                Some(EDITOR),
                r#"mutation { updatePerson(code: "NGUYEN-HAI-BANG", input: { title: "t" }) { id } }"#,
                json!({}),
            )
            .await;
            if let Some(Incoming::Json(v)) = client.recv_within(Duration::from_millis(300)).await {
                assert_ne!(v["type"], protocol.next, "{v}");
            }
        }
    }

    let mut client = Client::connect(&s.base, protocol).await;
    client
        .init(json!({ "Authorization": format!("Bearer {READER}") }))
        .await
        .expect("a reader's token is accepted");
    client
        .subscribe(
            "1",
            "subscription { changes { op recordId by } }",
            json!({}),
        )
        .await;
    let mut live = false;
    for attempt in 0..100 {
        api.ok(
            Some(EDITOR),
            "mutation($t: String!) { updatePerson(code: \"NGUYEN-HAI-BANG\", input: { title: $t }) { id } }",
            json!({ "t": format!("t{attempt}") }),
        )
        .await;
        if let Some(e) = client.event_within("1", Duration::from_millis(200)).await {
            let e = e.expect("an event");
            assert_eq!(
                e,
                json!({ "op": "updatePerson", "recordId": "Person:NGUYEN-HAI-BANG", "by": "ana" })
            );
            live = true;
            break;
        }
    }
    assert!(live, "the reader's subscription received nothing");
}

#[tokio::test]
async fn graphql_transport_ws_init_needs_a_token_where_reads_do() {
    init_needs_a_token_where_reads_do(TRANSPORT_WS).await;
}

#[tokio::test]
async fn legacy_graphql_ws_init_needs_a_token_where_reads_do() {
    init_needs_a_token_where_reads_do(LEGACY_WS).await;
}

/// A mutation sent over the socket runs as the token given in connection_init: none or a
/// wrong one is UNAUTHENTICATED, a reader's FORBIDDEN, an editor's writes under its name.
async fn writes_over_the_socket_use_the_init_token(protocol: Protocol) {
    let (s, api) = server().await;
    let mutation = "mutation($t: String!) { updatePerson(code: \"NGUYEN-HAI-BANG\", input: { title: $t }) { title } }";
    for (payload, outcome) in [
        (json!({}), Err("UNAUTHENTICATED")),
        (
            json!({ "Authorization": "Bearer not-a-configured-secret-000" }),
            Err("UNAUTHENTICATED"),
        ),
        (
            json!({ "Authorization": format!("Bearer {READER}") }),
            Err("FORBIDDEN"),
        ),
        (
            json!({ "authorization": format!("Bearer {EDITOR}") }),
            Ok("ana"),
        ),
    ] {
        let mut client = Client::connect(&s.base, protocol).await;
        // Reads are open: the connection is accepted whatever the token.
        client.init(payload.clone()).await.expect("connection_init");
        let title = format!("over {} with {payload}", protocol.name);
        client.subscribe("m", mutation, json!({ "t": title })).await;
        let result = client
            .event_within("m", WAIT)
            .await
            .expect("no result for the mutation");
        let read = api
            .ok(
                None,
                "{ person(code: \"NGUYEN-HAI-BANG\") { title } }",
                json!({}),
            )
            .await;
        match outcome {
            Err(code) => {
                let errors = result.expect_err("the mutation ran");
                assert_eq!(errors[0]["extensions"]["code"], code, "{payload}: {errors}");
                assert_ne!(read["person"]["title"], json!(title));
            }
            Ok(name) => {
                let _ = result.expect("the mutation failed");
                assert_eq!(read["person"]["title"], json!(title));
                let history = api
                    .ok(
                        None,
                        "{ history(id: \"Person:NGUYEN-HAI-BANG\", first: 1) { nodes { op by } } }",
                        json!({}),
                    )
                    .await;
                assert_eq!(
                    history["history"]["nodes"],
                    json!([{ "op": "updatePerson", "by": name }])
                );
            }
        }
        match client.recv().await {
            Incoming::Json(v) => assert_eq!(v["type"], "complete", "{v}"),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn graphql_transport_ws_writes_use_the_init_token() {
    writes_over_the_socket_use_the_init_token(TRANSPORT_WS).await;
}

#[tokio::test]
async fn legacy_graphql_ws_writes_use_the_init_token() {
    writes_over_the_socket_use_the_init_token(LEGACY_WS).await;
}

/// More writes than a subscriber may fall behind (1024), with large events, while the
/// subscriber reads nothing: every write is still acknowledged. Then the subscriber gets its
/// events in order, ending either complete or with the error that says how to catch up.
#[tokio::test]
async fn a_subscriber_that_stops_reading_never_blocks_writers() {
    const WRITES: usize = 1500;
    let (s, api) = server().await;
    let mut slow = stalled_subscriber(&s.base, &api, WRITES).await;

    // The subscriber now reads: events in order, then either the last write's event or
    // the error telling it to catch up.
    let mut last_seq = 0u64;
    let mut received = 0usize;
    let ended_with_error = loop {
        match slow.event_within("1", WAIT).await {
            Some(Ok(e)) => {
                if e["op"] == "addClaim" {
                    continue;
                }
                let seq: u64 = e["seq"].as_str().unwrap().parse().unwrap();
                assert!(seq > last_seq, "out of order: {seq} after {last_seq}");
                last_seq = seq;
                received += 1;
                if received == WRITES {
                    break false;
                }
            }
            Some(Err(errors)) => {
                assert!(errors.to_string().contains("changes(since:)"), "{errors}");
                break true;
            }
            None => panic!("the subscriber got {received} events, then nothing"),
        }
    };
    if ended_with_error {
        // The stream is over.
        match slow.recv().await {
            Incoming::Json(v) => assert_eq!(v["type"], "complete", "{v}"),
            Incoming::Closed(_) => {}
        }
        assert!(received < WRITES);
    }
    // A new subscriber is served as usual.
    let mut fresh = Client::connect(&s.base, LEGACY_WS).await;
    fresh.init(json!({})).await.expect("connection_init");
    fresh
        .subscribe(
            "1",
            "subscription { changes { seq op recordId } }",
            json!({}),
        )
        .await;
    until_live(&mut fresh, &api, "1", "Member:BRN").await;
}

/// The hex sha256 of a document (its hash in a manifest or an APQ request).
fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// With a trusted-documents manifest, `/ws` runs what `/graphql` runs and nothing else:
/// the manifest's documents, in full or by hash alone; any other query, mutation or
/// subscription is refused (one `error` message) with the same code and message as over HTTP,
/// and runs nothing.
async fn trusted_documents_hold_on_the_socket(protocol: Protocol) {
    use asean_graph::server::Manifest;
    let read = r#"query Vnm { member(code: "VNM") { name description } }"#;
    let write = r#"mutation Touch($d: String!) { updateMember(code: "VNM", input: { description: $d }) { id } }"#;
    let watch = "subscription Changes { changes { op recordId } }";
    let manifest = Manifest::parse(
        &json!({ sha256_hex(read): read, sha256_hex(write): write, sha256_hex(watch): watch })
            .to_string(),
    )
    .unwrap();
    let s = TestServer::start_with(asean_graph::server::Config {
        graphql: asean_graph::graphql::Options {
            access: Arc::new(asean_graph::graphql::Access {
                tokens: asean_graph::graphql::Tokens::parse(TOKENS).unwrap(),
                read_needs_token: false,
            }),
            ..Default::default()
        },
        rate_limit: 0.0,
        trusted_documents: Some(Arc::new(manifest)),
        ..Default::default()
    })
    .await;
    let api = Api::new(&s.base, &s.client);
    let persisted =
        |doc: &str| json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(doc) } });
    let mut client = Client::connect(&s.base, protocol).await;
    client
        .init(json!({ "Authorization": format!("Bearer {EDITOR}") }))
        .await
        .expect("connection_init");
    let start = async |client: &mut Client, id: &str, payload: Value| {
        let kind = client.protocol.subscribe;
        client
            .send(json!({ "id": id, "type": kind, "payload": payload }))
            .await;
    };
    let answer = async |client: &mut Client, id: &str| -> Value {
        let Incoming::Json(v) = client.recv().await else {
            panic!("{id}: the connection closed")
        };
        assert_eq!(v["id"], id, "{v}");
        assert_eq!(v["type"], client.protocol.next, "{v}");
        let Incoming::Json(done) = client.recv().await else {
            panic!("{id}: the connection closed")
        };
        assert_eq!(done, json!({ "id": id, "type": "complete" }), "{id}");
        v["payload"].clone()
    };
    // A refused document: one `error` message whose payload is the list of errors, and
    // nothing after it.
    let refusal = async |client: &mut Client, id: &str| -> Value {
        let Incoming::Json(v) = client.recv().await else {
            panic!("{id}: the connection closed")
        };
        assert_eq!(v["id"], id, "{v}");
        assert_eq!(v["type"], "error", "{v}");
        v["payload"].clone()
    };

    // The manifest's query, by text and by hash alone.
    for (id, payload) in [
        ("text", json!({ "query": read })),
        ("hash", json!({ "extensions": persisted(read) })),
    ] {
        start(&mut client, id, payload).await;
        let payload = answer(&mut client, id).await;
        assert_eq!(
            payload["data"]["member"]["name"], "Viet Nam",
            "{id}: {payload}"
        );
    }

    // Anything else: FORBIDDEN, with HTTP's message, and nothing runs.
    let other_query = r#"{ member(code: "VNM") { name } }"#;
    let other_write =
        r#"mutation { updateMember(code: "VNM", input: { description: "over ws" }) { id } }"#;
    let other_watch = "subscription { changes { op recordId by } }";
    let refusals = [
        ("another query", json!({ "query": other_query })),
        ("a mutation", json!({ "query": other_write })),
        ("another subscription", json!({ "query": other_watch })),
        (
            "introspection",
            json!({ "query": "{ __schema { types { name } } }" }),
        ),
        (
            "another document under a trusted hash",
            json!({ "query": other_query, "extensions": persisted(read) }),
        ),
        (
            "an unknown hash",
            json!({ "extensions": persisted(other_query) }),
        ),
        (
            "a registered-looking APQ",
            json!({ "query": other_query, "extensions": persisted(other_query) }),
        ),
    ];
    for (what, payload) in &refusals {
        let over_http: Value = s
            .client
            .post(format!("{}/graphql", s.base))
            .json(payload)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        start(&mut client, "x", payload.clone()).await;
        let refused = refusal(&mut client, "x").await;
        assert_eq!(
            refused[0]["extensions"]["code"], "FORBIDDEN",
            "{}: {what}: {refused}",
            protocol.name
        );
        assert_eq!(
            refused[0]["message"], over_http["errors"][0]["message"],
            "{what}: the socket's message is not HTTP's: {refused} vs {over_http}"
        );
    }
    // The refused mutation changed nothing, and the APQ attempt registered nothing.
    let data = api.ok(None, read, json!({})).await;
    assert_ne!(data["member"]["description"], "over ws", "{data}");
    start(
        &mut client,
        "y",
        json!({ "extensions": persisted(other_query) }),
    )
    .await;
    let refused = refusal(&mut client, "y").await;
    assert_eq!(refused[0]["extensions"]["code"], "FORBIDDEN", "{refused}");

    // The manifest's mutation runs on the socket, and its subscription receives events.
    start(
        &mut client,
        "w",
        json!({ "query": write, "variables": { "d": "trusted over ws" } }),
    )
    .await;
    let written = answer(&mut client, "w").await;
    assert_eq!(
        written["data"]["updateMember"]["id"], "Member:VNM",
        "{written}"
    );
    start(
        &mut client,
        "live",
        json!({ "extensions": persisted(watch) }),
    )
    .await;
    let mut live = false;
    for attempt in 0..100 {
        api.ok(
            Some(EDITOR),
            write,
            json!({ "d": format!("attempt {attempt}") }),
        )
        .await;
        if let Some(e) = client
            .event_within("live", Duration::from_millis(200))
            .await
        {
            assert_eq!(
                e.expect("an event"),
                json!({ "op": "updateMember", "recordId": "Member:VNM" })
            );
            live = true;
            break;
        }
    }
    assert!(live, "the trusted subscription received nothing");

    // `/metrics` counts the socket's refusals with HTTP's.
    let metrics = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let refused: usize = metrics
        .lines()
        .find_map(|l| l.strip_prefix("asean_graph_refused_total{limit=\"trusted_documents\"} "))
        .expect("the trusted-documents refusal counter")
        .parse()
        .unwrap();
    assert_eq!(refused, 2 * refusals.len() + 1, "{metrics}");
}

#[tokio::test]
async fn graphql_transport_ws_runs_only_trusted_documents() {
    trusted_documents_hold_on_the_socket(TRANSPORT_WS).await;
}

#[tokio::test]
async fn legacy_graphql_ws_runs_only_trusted_documents() {
    trusted_documents_hold_on_the_socket(LEGACY_WS).await;
}

/// A subscription outlives the request timeout: the time limit that stops a long query does
/// not touch a subscription's later events.
#[tokio::test]
async fn a_subscription_outlives_the_request_timeout() {
    let access = asean_graph::graphql::Access {
        tokens: asean_graph::graphql::Tokens::parse(TOKENS).unwrap(),
        read_needs_token: false,
    };
    let s = TestServer::start_with(asean_graph::server::Config {
        graphql: asean_graph::graphql::Options {
            access: Arc::new(access),
            ..Default::default()
        },
        rate_limit: 0.0,
        request_timeout: Duration::from_millis(300),
        ..Default::default()
    })
    .await;
    let api = Api::new(&s.base, &s.client);
    let mut client = Client::connect(&s.base, TRANSPORT_WS).await;
    client.init(json!({})).await.expect("connection_init");
    client
        .subscribe(
            "1",
            "subscription { changes { op recordId node { id } } }",
            json!({}),
        )
        .await;
    until_live(&mut client, &api, "1", "Member:BRN").await;
    tokio::time::sleep(Duration::from_millis(900)).await;
    api.ok(
        Some(EDITOR),
        r#"mutation { updateMember(code: "VNM", input: { description: "later" }) { id } }"#,
        json!({}),
    )
    .await;
    let e = client.change("1").await;
    assert_eq!(e["op"], "updateMember", "{e}");
    assert_eq!(e["node"]["id"], "Member:VNM", "{e}");
}
