//! Findings replayed over `/ws`, in both subprotocols.

use super::Target;
use super::http::deep_documents;
use crate::common::ws_client::{Client, Incoming, LEGACY_WS, TRANSPORT_WS};
use serde_json::json;

/// The next thing the server does is close with `code`, with a reason that fits a close
/// frame (RFC 6455: 123 bytes).
async fn assert_closed(client: &mut Client, code: u16) {
    match client.recv().await {
        Incoming::Closed(Some((closed, reason))) => {
            assert_eq!(closed, code, "{reason}");
            assert!(reason.len() <= 123, "{reason}");
        }
        other => panic!("expected close {code}: {other:?}"),
    }
}

#[tokio::test]
async fn finding_1_values_nested_5000_deep_are_refused_over_the_websocket() {
    let t = Target::start().await;
    for protocol in [TRANSPORT_WS, LEGACY_WS] {
        let mut client = Client::connect(&t.base, protocol).await;
        client.init(json!({})).await.expect("connection_init");
        for (i, (case, doc)) in deep_documents(5_000).into_iter().enumerate() {
            let id = i.to_string();
            client.subscribe(&id, &doc, json!({})).await;
            let Incoming::Json(v) = client.recv().await else {
                panic!("{}: {case}: the socket closed", protocol.name);
            };
            assert_eq!(v["id"], id, "{case}: {v}");
            assert_eq!(v["type"], "error", "{}: {case}: {v}", protocol.name);
            assert_eq!(
                v["payload"][0]["extensions"]["code"], "QUERY_TOO_DEEP",
                "{}: {case}: {v}",
                protocol.name
            );
        }
        // The same socket still answers.
        client
            .subscribe("honest", r#"{ member(code: "VNM") { name } }"#, json!({}))
            .await;
        let Incoming::Json(v) = client.recv().await else {
            panic!("{}: the socket closed", protocol.name);
        };
        assert_eq!(v["payload"]["data"]["member"]["name"], "Viet Nam", "{v}");
    }
    t.survived("deep documents over /ws").await;
}

#[tokio::test]
async fn finding_6_protocol_abuse_closes_with_the_specified_codes() {
    let t = Target::start().await;
    // Subscribe before connection_init: 4401.
    let mut client = Client::connect(&t.base, TRANSPORT_WS).await;
    client
        .subscribe("1", r#"{ member(code: "VNM") { name } }"#, json!({}))
        .await;
    assert_closed(&mut client, 4401).await;
    // A 17 MB message: 1009, with a reason that fits a close frame.
    let mut client = Client::connect(&t.base, TRANSPORT_WS).await;
    client.init(json!({})).await.expect("connection_init");
    let huge = json!({ "type": "ping", "payload": { "pad": "x".repeat(17 << 20) } });
    let _ = client.try_send(huge).await;
    assert_closed(&mut client, 1009).await;
    t.survived("WebSocket abuse").await;
}

#[tokio::test]
async fn a_long_operation_id_closes_4400() {
    let t = Target::start().await;
    let mut client = Client::connect(&t.base, TRANSPORT_WS).await;
    client.init(json!({})).await.expect("connection_init");
    client
        .subscribe(&"i".repeat(250_000), "{ __typename }", json!({}))
        .await;
    assert_closed(&mut client, 4400).await;
    t.survived("long ids").await;
}

#[tokio::test]
async fn a_text_message_that_is_not_utf8_closes_1007() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
    let t = Target::start().await;
    let mut client = Client::connect(&t.base, TRANSPORT_WS).await;
    client.init(json!({})).await.expect("connection_init");
    let frame = Frame::message(vec![b'{', 0xff, 0xfe, b'}'], OpCode::Data(Data::Text), true);
    client.ws.send(Message::Frame(frame)).await.unwrap();
    assert_closed(&mut client, 1007).await;
    t.survived("invalid UTF-8").await;
}

#[tokio::test]
async fn a_subscription_of_two_root_fields_is_refused() {
    let t = Target::start().await;
    let mut client = Client::connect(&t.base, TRANSPORT_WS).await;
    client.init(json!({})).await.expect("connection_init");
    for (id, doc) in [
        (
            "two",
            "subscription { a: changes { seq } b: changes { seq } }",
        ),
        (
            "spread",
            "subscription { ...F } fragment F on Subscription { a: changes { seq } b: changes { seq } }",
        ),
    ] {
        client.subscribe(id, doc, json!({})).await;
        let Incoming::Json(v) = client.recv().await else {
            panic!("{id}: the socket closed");
        };
        assert_eq!(v["type"], "error", "{id}: {v}");
        let message = v["payload"][0]["message"].as_str().unwrap_or("");
        assert!(message.contains("exactly one root field"), "{id}: {v}");
    }
    t.survived("two root fields").await;
}

#[tokio::test]
async fn finding_13_operations_over_the_websocket_pass_the_client_s_rate_limit() {
    // One a second, in bursts of two: the same limit as the client's HTTP requests.
    let t = Target::rate_limited(1.0).await;
    let mut client = Client::connect(&t.base, TRANSPORT_WS).await;
    client.init(json!({})).await.expect("connection_init");
    let ids: Vec<String> = (0..6).map(|i| i.to_string()).collect();
    for id in &ids {
        client.subscribe(id, super::HONEST, json!({})).await;
    }
    let (mut answered, mut limited) = (0, 0);
    while answered + limited < ids.len() {
        let Incoming::Json(v) = client.recv().await else {
            panic!("the socket closed");
        };
        match v["type"].as_str() {
            Some("complete") => answered += 1,
            Some("error") => {
                assert_eq!(v["payload"][0]["extensions"]["code"], "RATE_LIMITED", "{v}");
                limited += 1;
            }
            _ => {}
        }
    }
    assert!(limited >= 3, "{limited} of 6 operations were limited");
    assert!(answered >= 2, "the burst is answered: {answered}");
    // The socket stays open, and once the bucket refills the client is answered again.
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    client.subscribe("later", super::HONEST, json!({})).await;
    let Incoming::Json(v) = client.recv().await else {
        panic!("the socket closed");
    };
    assert_eq!(v["payload"]["data"]["member"]["name"], "Viet Nam", "{v}");
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    t.survived("operations past the rate over /ws").await;
}
