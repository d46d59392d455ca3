//! The WebSocket client the `/ws` tests share: a real tokio-tungstenite connection speaking
//! either subprotocol, and a server with the test tokens.

use super::Api;
use super::TestServer;
use super::{EDITOR, TOKENS};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long any one message may take to arrive before the test fails.
pub(crate) const WAIT: Duration = Duration::from_secs(10);

/// A subprotocol, and the message types it names differently.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Protocol {
    pub name: &'static str,
    pub subscribe: &'static str,
    pub next: &'static str,
}

/// The current protocol (async-graphql's `GraphQLWS`).
pub(crate) const TRANSPORT_WS: Protocol = Protocol {
    name: "graphql-transport-ws",
    subscribe: "subscribe",
    next: "next",
};

/// The legacy subscriptions-transport-ws protocol.
pub(crate) const LEGACY_WS: Protocol = Protocol {
    name: "graphql-ws",
    subscribe: "start",
    next: "data",
};

/// What the server sent.
#[derive(Debug)]
pub(crate) enum Incoming {
    Json(Value),
    /// A close frame (code, reason), or the connection simply ended.
    Closed(Option<(u16, String)>),
}

pub(crate) struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub protocol: Protocol,
}

impl Client {
    /// Opens `/ws` asking for `protocol`; the server must agree to it.
    pub async fn connect(base: &str, protocol: Protocol) -> Client {
        let url = format!("{}/ws", base.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static(protocol.name),
        );
        let (ws, response) = timeout(WAIT, tokio_tungstenite::connect_async(request))
            .await
            .expect("the handshake timed out")
            .expect("the handshake failed");
        assert_eq!(
            response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok()),
            Some(protocol.name),
            "the server chose another subprotocol"
        );
        Client { ws, protocol }
    }

    pub async fn send(&mut self, message: Value) {
        self.try_send(message).await.expect("send failed");
    }

    pub async fn try_send(&mut self, message: Value) -> Result<(), String> {
        timeout(WAIT, self.ws.send(Message::text(message.to_string())))
            .await
            .expect("send timed out")
            .map_err(|e| e.to_string())
    }

    /// The next message within `wait` (keep-alives and pings answered and skipped); `None`
    /// if nothing came.
    pub async fn recv_within(&mut self, wait: Duration) -> Option<Incoming> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let next = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .ok()?;
            match next {
                None | Some(Err(_)) => return Some(Incoming::Closed(None)),
                Some(Ok(Message::Close(frame))) => {
                    return Some(Incoming::Closed(
                        frame.map(|f| (u16::from(f.code), f.reason.to_string())),
                    ));
                }
                Some(Ok(Message::Text(text))) => {
                    let v: Value = serde_json::from_str(text.as_str()).unwrap();
                    match v["type"].as_str() {
                        Some("ka") | Some("pong") => continue,
                        Some("ping") => self.send(json!({ "type": "pong" })).await,
                        _ => return Some(Incoming::Json(v)),
                    }
                }
                Some(Ok(_)) => continue,
            }
        }
    }

    pub async fn recv(&mut self) -> Incoming {
        self.recv_within(WAIT)
            .await
            .expect("no message from the server in time")
    }

    /// connection_init with this payload: Ok on connection_ack, Err(what the server said
    /// instead) otherwise.
    pub async fn init(&mut self, payload: Value) -> Result<(), String> {
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        match self.recv().await {
            Incoming::Json(v) if v["type"] == "connection_ack" => Ok(()),
            Incoming::Json(v) => Err(v.to_string()),
            Incoming::Closed(Some((code, reason))) => Err(format!("closed {code}: {reason}")),
            Incoming::Closed(None) => Err("closed".into()),
        }
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let kind = self.protocol.subscribe;
        self.send(json!({ "id": id, "type": kind,
            "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next `changes` event of subscription `id` within `wait`: Ok(event),
    /// Err(the errors) for an error payload; None if nothing came. Panics on anything else.
    pub async fn event_within(&mut self, id: &str, wait: Duration) -> Option<Result<Value, Value>> {
        let message = self.recv_within(wait).await?;
        let Incoming::Json(v) = message else {
            panic!("{}: the connection closed: {message:?}", self.protocol.name);
        };
        assert_eq!(v["id"], id, "{v}");
        assert_eq!(v["type"], self.protocol.next, "{}: {v}", self.protocol.name);
        if let Some(errors) = v["payload"].get("errors") {
            return Some(Err(errors.clone()));
        }
        Some(Ok(v["payload"]["data"]["changes"].clone()))
    }

    pub async fn event(&mut self, id: &str) -> Value {
        match self.event_within(id, WAIT).await {
            Some(Ok(e)) => e,
            Some(Err(errors)) => panic!("errors instead of an event: {errors}"),
            None => panic!("{}: no event in time", self.protocol.name),
        }
    }

    /// The next event that is not a warm-up claim (see [`until_live`]).
    pub async fn change(&mut self, id: &str) -> Value {
        loop {
            let e = self.event(id).await;
            if e["op"] != "addClaim" {
                return e;
            }
        }
    }
}

/// A subscription is live once the server has subscribed to the store, which no message
/// acknowledges: add claims to `record` (which the subscription must see) until an event
/// arrives. Tests then skip `addClaim` events.
pub(crate) async fn until_live(client: &mut Client, api: &Api, id: &str, record: &str) {
    for attempt in 0..100 {
        api.ok(
            Some(EDITOR),
            "mutation($id: ID!, $field: String!) {
                addClaim(id: $id, input: { field: $field, value: \"v\", source: \"P2\" }) { id } }",
            json!({ "id": record, "field": format!("warm-up {attempt}") }),
        )
        .await;
        match client.event_within(id, Duration::from_millis(200)).await {
            Some(Ok(e)) => {
                assert_eq!(e["op"], "addClaim", "{e}");
                return;
            }
            Some(Err(errors)) => panic!("{errors}"),
            None => continue,
        }
    }
    panic!("the subscription never delivered an event");
}

pub(crate) async fn server() -> (TestServer, Api) {
    let s = TestServer::with_tokens(TOKENS).await;
    let api = Api::new(&s.base, &s.client);
    (s, api)
}

/// Subscription "1" on a new socket that reads nothing while `writes` large writes are made
/// over HTTP, each of which must still be acknowledged. Each event carries the ~4 kB record
/// twenty times over: the socket's buffers fill long before the writes end.
pub(crate) async fn stalled_subscriber(base: &str, api: &Api, writes: usize) -> Client {
    let mut slow = Client::connect(base, TRANSPORT_WS).await;
    slow.init(json!({})).await.expect("connection_init");
    let copies: String = (0..20).map(|i| format!(" r{i}: after")).collect();
    slow.subscribe(
        "1",
        &format!("subscription {{ changes {{ seq op {copies} }} }}"),
        json!({}),
    )
    .await;
    until_live(&mut slow, api, "1", "Member:BRN").await;
    let long = "x".repeat(3900);
    let writing = timeout(Duration::from_secs(300), async {
        for i in 0..writes {
            api.ok(
                Some(EDITOR),
                "mutation($d: String!) { updateMember(code: \"VNM\", input: { description: $d }) { id } }",
                json!({ "d": format!("{i} {long}") }),
            )
            .await;
        }
    });
    writing
        .await
        .expect("writers were blocked by a subscriber that does not read");
    slow
}
