//! `/ws` keeps to its protocols (graphql-transport-ws, and the legacy graphql-ws where it
//! has its own conventions): the close codes of each protocol fault, request errors as one
//! `error` message, close frames whose reason fits, oversized messages refused with 1009,
//! close 1001 on SIGTERM, a code of its own for a subscriber dropped for falling behind, and
//! a cap on the operations of one socket. Each case ends with an honest client served.

use crate::common::Api;
use crate::common::TestServer;
use crate::common::ws_client::stalled_subscriber;
use crate::common::ws_client::{
    Client, Incoming, LEGACY_WS, Protocol, TRANSPORT_WS, WAIT, server, until_live,
};
use crate::common::{ChildServer, READER, TOKENS};
use asean_graph::graphql::{Access, Limits, Options, Tokens};
use asean_graph::server::Config;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::sync::Arc;
use tokio_tungstenite::tungstenite::Message;

const PROTOCOLS: [Protocol; 2] = [TRANSPORT_WS, LEGACY_WS];

/// RFC 6455: a close frame's reason is at most 123 bytes.
const MAX_REASON_BYTES: usize = 123;

/// A server with the test tokens, and `config`'s other settings.
async fn server_with(read_needs_token: bool, config: Config) -> TestServer {
    TestServer::start_with(Config {
        graphql: Options {
            access: Arc::new(Access {
                tokens: Tokens::parse(TOKENS).unwrap(),
                read_needs_token,
            }),
            ..config.graphql
        },
        rate_limit: 0.0,
        ..config
    })
    .await
}

/// How the server ended the connection: the legacy protocol's `connection_error` payload
/// (if it sent one), and the close frame, which must be there with a reason that fits.
async fn ending(client: &mut Client) -> (Option<Value>, u16, String) {
    let mut connection_error = None;
    loop {
        match client.recv().await {
            Incoming::Json(v) if v["type"] == "connection_error" && connection_error.is_none() => {
                connection_error = Some(v["payload"].clone());
            }
            Incoming::Json(v) => panic!(
                "{}: a message instead of the end: {v}",
                client.protocol.name
            ),
            Incoming::Closed(None) => {
                panic!(
                    "{}: the connection ended with no close frame",
                    client.protocol.name
                )
            }
            Incoming::Closed(Some((code, reason))) => {
                assert!(
                    reason.len() <= MAX_REASON_BYTES,
                    "{} bytes: {reason}",
                    reason.len()
                );
                return (connection_error, code, reason);
            }
        }
    }
}

/// The connection ends with close `code`, a reason starting `reason`, and in the legacy
/// protocol first a `connection_error` with the GraphQL error `error_code`.
async fn assert_closed(client: &mut Client, code: u16, reason: &str, error_code: &str) {
    let name = client.protocol.name;
    let (connection_error, got, got_reason) = ending(client).await;
    assert_eq!(got, code, "{name}: {got_reason}");
    assert!(got_reason.starts_with(reason), "{name}: {got_reason:?}");
    if client.protocol.name == LEGACY_WS.name {
        let payload = connection_error.expect("the legacy protocol's connection_error");
        assert_eq!(payload["extensions"]["code"], error_code, "{payload}");
    } else {
        assert_eq!(connection_error, None);
    }
}

/// A new client on `protocol` still gets a query's answer (with a reader's token, so that
/// servers whose reads need one serve it too).
async fn still_serves(base: &str, protocol: Protocol) {
    let mut client = Client::connect(base, protocol).await;
    client
        .init(json!({ "Authorization": format!("Bearer {READER}") }))
        .await
        .expect("connection_init");
    client
        .subscribe("honest", r#"{ member(code: "VNM") { name } }"#, json!({}))
        .await;
    assert_answer(&mut client, "honest").await;
}

/// The next messages are `{ member { name } }`'s answer for `id`, then its `complete`.
async fn assert_answer(client: &mut Client, id: &str) {
    let Incoming::Json(v) = client.recv().await else {
        panic!("{}: the connection closed", client.protocol.name)
    };
    assert_eq!(v["id"], id, "{v}");
    assert_eq!(v["type"], client.protocol.next, "{v}");
    assert_eq!(v["payload"]["data"]["member"]["name"], "Viet Nam", "{v}");
    let Incoming::Json(done) = client.recv().await else {
        panic!("{}: the connection closed", client.protocol.name)
    };
    assert_eq!(done, json!({ "id": id, "type": "complete" }));
}

#[tokio::test]
async fn subscribe_before_connection_init_closes_4401_unauthorized_not_1011() {
    let (s, _) = server().await;
    for protocol in PROTOCOLS {
        let mut client = Client::connect(&s.base, protocol).await;
        client
            .subscribe("1", "subscription { changes { op } }", json!({}))
            .await;
        assert_closed(&mut client, 4401, "Unauthorized", "UNAUTHENTICATED").await;
        still_serves(&s.base, protocol).await;
    }
}

#[tokio::test]
async fn a_bad_token_in_connection_init_closes_4403_forbidden_not_1002() {
    let s = server_with(true, Config::default()).await;
    for protocol in PROTOCOLS {
        for payload in [
            json!({}),
            json!({ "Authorization": "Bearer not-a-configured-secret-000" }),
        ] {
            let mut client = Client::connect(&s.base, protocol).await;
            client
                .send(json!({ "type": "connection_init", "payload": payload }))
                .await;
            assert_closed(&mut client, 4403, "Forbidden", "UNAUTHENTICATED").await;
        }
        still_serves(&s.base, protocol).await;
    }
}

#[tokio::test]
async fn a_second_connection_init_closes_4429_and_legacy_terminate_closes_1000() {
    let (s, _) = server().await;
    for protocol in PROTOCOLS {
        let mut client = Client::connect(&s.base, protocol).await;
        client.init(json!({})).await.expect("connection_init");
        client.send(json!({ "type": "connection_init" })).await;
        assert_closed(
            &mut client,
            4429,
            "Too many initialisation requests",
            "BAD_USER_INPUT",
        )
        .await;
    }
    let mut client = Client::connect(&s.base, LEGACY_WS).await;
    client.init(json!({})).await.expect("connection_init");
    client.send(json!({ "type": "connection_terminate" })).await;
    let (connection_error, code, _) = ending(&mut client).await;
    assert_eq!((connection_error, code), (None, 1000));
    still_serves(&s.base, LEGACY_WS).await;
}

#[tokio::test]
async fn a_duplicate_subscription_id_closes_4409_instead_of_replacing_the_first() {
    let (s, api) = server().await;
    for protocol in PROTOCOLS {
        let mut client = Client::connect(&s.base, protocol).await;
        client.init(json!({})).await.expect("connection_init");
        // An id may be used again once its operation is over.
        for _ in 0..2 {
            client
                .subscribe("1", r#"{ member(code: "VNM") { name } }"#, json!({}))
                .await;
            assert_answer(&mut client, "1").await;
        }
        let watch = "subscription { changes { op } }";
        client.subscribe("1", watch, json!({})).await;
        until_live(&mut client, &api, "1", "Member:BRN").await;
        client.subscribe("1", watch, json!({})).await;
        assert_closed(
            &mut client,
            4409,
            "Subscriber for 1 already exists",
            "BAD_USER_INPUT",
        )
        .await;
        still_serves(&s.base, protocol).await;
    }
}

#[tokio::test]
async fn request_errors_come_as_one_error_message_not_next_and_complete() {
    let s = server_with(
        false,
        Config {
            graphql: Options {
                limits: Limits {
                    max_depth: 3,
                    ..Limits::default()
                },
                ..Options::default()
            },
            ..Config::default()
        },
    )
    .await;
    let refused = [
        (
            "a parse error",
            r#"{ member(code: "VNM") { name }"#,
            "BAD_USER_INPUT",
        ),
        ("an unknown field", "{ nope }", "BAD_USER_INPUT"),
        (
            "a subscription to an unknown field",
            "subscription { nope }",
            "BAD_USER_INPUT",
        ),
        (
            "a document over the depth limit",
            r#"{ member(code: "VNM") { chairmanships { member { name } } } }"#,
            "QUERY_TOO_DEEP",
        ),
        (
            "a persisted query never sent",
            "",
            "PERSISTED_QUERY_NOT_FOUND",
        ),
    ];
    for protocol in PROTOCOLS {
        let mut client = Client::connect(&s.base, protocol).await;
        client.init(json!({})).await.expect("connection_init");
        for (what, query, code) in refused {
            let mut payload = json!({ "query": query });
            if query.is_empty() {
                payload = json!({ "extensions": { "persistedQuery": { "version": 1,
                    "sha256Hash": "0".repeat(64) } } });
            }
            client
                .send(json!({ "id": "x", "type": protocol.subscribe, "payload": payload }))
                .await;
            let Incoming::Json(v) = client.recv().await else {
                panic!("{}: {what}: the connection closed", protocol.name)
            };
            assert_eq!(v["type"], "error", "{}: {what}: {v}", protocol.name);
            assert_eq!(v["id"], "x", "{v}");
            let errors = v["payload"]
                .as_array()
                .expect("the payload is the list of errors");
            assert_eq!(errors[0]["extensions"]["code"], code, "{what}: {v}");
            assert!(errors[0]["message"].is_string(), "{v}");
            // No `complete` follows: the next message answers the next operation.
            client
                .subscribe("ok", r#"{ member(code: "VNM") { name } }"#, json!({}))
                .await;
            assert_answer(&mut client, "ok").await;
        }
    }
}

#[tokio::test]
async fn an_unknown_message_closes_4400_with_a_reason_that_fits_a_close_frame() {
    let (s, _) = server().await;
    let long_type = "x".repeat(300);
    let messages = [
        json!({ "type": "hello" }).to_string(),
        json!({ "type": long_type }).to_string(),
        json!({ "type": "subscribe_with_a_name_no_protocol_has_and_some_more_words" }).to_string(),
        "not json".to_owned(),
        json!({ "id": "1" }).to_string(),
    ];
    for protocol in PROTOCOLS {
        for message in &messages {
            let mut client = Client::connect(&s.base, protocol).await;
            client.init(json!({})).await.expect("connection_init");
            client
                .ws
                .send(Message::text(message.clone()))
                .await
                .unwrap();
            assert_closed(&mut client, 4400, "", "BAD_USER_INPUT").await;
        }
        // Each protocol's own names: `start` is legacy only, `subscribe` current only.
        let other = if protocol.name == TRANSPORT_WS.name {
            "start"
        } else {
            "subscribe"
        };
        let mut client = Client::connect(&s.base, protocol).await;
        client.init(json!({})).await.expect("connection_init");
        client
            .send(json!({ "id": "1", "type": other, "payload": { "query": "{ __typename }" } }))
            .await;
        assert_closed(&mut client, 4400, "unknown message type", "BAD_USER_INPUT").await;
        still_serves(&s.base, protocol).await;
    }
}

#[tokio::test]
async fn an_oversized_message_closes_1009_instead_of_resetting_the_connection() {
    let (s, _) = server().await;
    let limit = Config::default().max_body_bytes;
    for protocol in PROTOCOLS {
        // Just over the limit (the HTTP body limit), and the 17 MB frame of the report.
        for size in [limit + 1, 17_000_000] {
            let mut client = Client::connect(&s.base, protocol).await;
            client.init(json!({})).await.expect("connection_init");
            let query = format!("{{ __typename }} #{}", "x".repeat(size));
            let message = json!({ "id": "1", "type": protocol.subscribe,
                "payload": { "query": query } });
            // The server may stop reading before the whole frame is sent.
            let _ = client.ws.send(Message::text(message.to_string())).await;
            let (_, code, reason) = ending(&mut client).await;
            assert_eq!(code, 1009, "{}: {size} bytes: {reason}", protocol.name);
            assert!(reason.contains(&limit.to_string()), "{reason}");
        }
        // A message at the limit is read (and refused for its document, not its size).
        let mut client = Client::connect(&s.base, protocol).await;
        client.init(json!({})).await.expect("connection_init");
        let envelope = json!({ "id": "1", "type": protocol.subscribe,
            "payload": { "query": "{ __typename } #" } })
        .to_string();
        let pad = "x".repeat(limit - envelope.len());
        let message = envelope.replace(" #", &format!(" #{pad}"));
        assert_eq!(message.len(), limit);
        client.ws.send(Message::text(message)).await.unwrap();
        let Incoming::Json(v) = client.recv().await else {
            panic!("{}: closed", protocol.name)
        };
        assert_eq!(v["type"], "error", "{v}");
        still_serves(&s.base, protocol).await;
    }
}

#[tokio::test]
async fn sigterm_closes_every_socket_with_1001_before_the_process_exits() {
    let dir = tempfile::tempdir().unwrap();
    let child = ChildServer::start(&dir.path().join("data"), Some(TOKENS)).await;
    let api = Api::new(&child.base, &child.client);
    let mut clients = Vec::new();
    for protocol in PROTOCOLS {
        // One idle socket and one with a live subscription, for each protocol.
        let idle = Client::connect(&child.base, protocol).await;
        let mut live = Client::connect(&child.base, protocol).await;
        live.init(json!({})).await.expect("connection_init");
        live.subscribe("1", "subscription { changes { op } }", json!({}))
            .await;
        until_live(&mut live, &api, "1", "Member:BRN").await;
        clients.extend([idle, live]);
    }
    let stopped = tokio::spawn(child.terminate());
    for client in &mut clients {
        // Late warm-up events may come first; then the close frame.
        let (code, reason) = loop {
            match client.recv().await {
                Incoming::Json(v) if v["type"] == client.protocol.next => continue,
                Incoming::Closed(Some(close)) => break close,
                other => panic!("{}: {other:?}", client.protocol.name),
            }
        };
        assert_eq!(code, 1001, "{}: {reason}", client.protocol.name);
        assert!(reason.contains("shutting down"), "{reason}");
    }
    let exited_ok = tokio::time::timeout(WAIT, stopped)
        .await
        .expect("the server did not exit after its sockets closed")
        .unwrap();
    assert!(exited_ok, "the server did not exit 0 after SIGTERM");
    // Its store is whole: a new server on it answers.
    let child = ChildServer::start(&dir.path().join("data"), Some(TOKENS)).await;
    still_serves(&child.base, TRANSPORT_WS).await;
    assert!(child.terminate().await);
}

#[tokio::test]
async fn a_subscriber_dropped_for_falling_behind_gets_subscriber_too_slow_not_bad_user_input() {
    // More writes than a subscriber may fall behind (1024) plus what the socket buffers
    // hold, with large events, while the subscriber reads nothing.
    const WRITES: usize = 1500;
    let (s, api) = server().await;
    let mut slow = stalled_subscriber(&s.base, &api, WRITES).await;
    let errors = loop {
        match slow.event_within("1", WAIT).await {
            Some(Ok(_)) => continue,
            Some(Err(errors)) => break errors,
            None => panic!("the subscriber was not dropped"),
        }
    };
    let e = &errors[0];
    assert_eq!(e["extensions"]["code"], "SUBSCRIBER_TOO_SLOW", "{errors}");
    let message = e["message"].as_str().unwrap();
    let missed: usize = message
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("the message says how many changes were missed: {message}"));
    assert!(missed > 0 && missed <= WRITES, "{message}");
    assert!(
        message.contains("changes(since:)") && message.contains("subscribe again"),
        "{message}"
    );
    match slow.recv().await {
        Incoming::Json(v) => assert_eq!(v, json!({ "id": "1", "type": "complete" })),
        other => panic!("{other:?}"),
    }
    // The same socket subscribes again and is served.
    slow.subscribe("2", "subscription { changes { op } }", json!({}))
        .await;
    until_live(&mut slow, &api, "2", "Member:BRN").await;
}

#[tokio::test]
async fn one_socket_runs_at_most_max_subscriptions_per_socket_and_keeps_the_others() {
    let s = server_with(
        false,
        Config {
            max_subscriptions_per_socket: 3,
            ..Config::default()
        },
    )
    .await;
    let api = Api::new(&s.base, &s.client);
    let query = "subscription($ids: [ID!]) { changes(ids: $ids) { op recordId } }";
    for protocol in PROTOCOLS {
        let mut client = Client::connect(&s.base, protocol).await;
        client.init(json!({})).await.expect("connection_init");
        for (id, record) in [
            ("a", "Member:VNM"),
            ("b", "Member:LAO"),
            ("c", "Member:BRN"),
        ] {
            client
                .subscribe(id, query, json!({ "ids": [record] }))
                .await;
            until_live(&mut client, &api, id, record).await;
        }
        client
            .subscribe("d", query, json!({ "ids": ["Member:SGP"] }))
            .await;
        let Incoming::Json(v) = client.recv().await else {
            panic!("{}: the socket closed", protocol.name)
        };
        assert_eq!(v["type"], "error", "{}: {v}", protocol.name);
        assert_eq!(v["id"], "d", "{v}");
        assert_eq!(v["payload"][0]["extensions"]["code"], "RATE_LIMITED", "{v}");
        assert!(
            v["payload"][0]["message"].as_str().unwrap().contains('3'),
            "{v}"
        );
        // The others live on; once one completes, another may start.
        until_live(&mut client, &api, "b", "Member:LAO").await;
        client.send(json!({ "id": "a", "type": if protocol.name == TRANSPORT_WS.name { "complete" } else { "stop" } })).await;
        let Incoming::Json(v) = client.recv().await else {
            panic!("closed")
        };
        assert_eq!(v, json!({ "id": "a", "type": "complete" }));
        client
            .subscribe("d", query, json!({ "ids": ["Member:SGP"] }))
            .await;
        until_live(&mut client, &api, "d", "Member:SGP").await;
    }
    still_serves(&s.base, TRANSPORT_WS).await;
}

#[tokio::test]
async fn a_client_that_closes_gets_its_close_frame_answered() {
    let (s, _) = server().await;
    for protocol in PROTOCOLS {
        let mut client = Client::connect(&s.base, protocol).await;
        client.init(json!({})).await.expect("connection_init");
        client.ws.close(None).await.unwrap();
        // The answer, then the end; an error here is a connection dropped unanswered
        // (graphql-ws reports 1006).
        loop {
            match tokio::time::timeout(WAIT, client.ws.next()).await {
                Ok(Some(Ok(_))) => continue,
                Ok(None) => break,
                other => panic!("{}: {other:?}", protocol.name),
            }
        }
    }
    still_serves(&s.base, TRANSPORT_WS).await;
}
