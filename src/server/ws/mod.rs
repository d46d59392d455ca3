//! `/ws`: GraphQL over WebSocket, both the graphql-transport-ws and the legacy graphql-ws
//! subprotocols. The token, where needed, comes in the connection_init payload
//! (`{"Authorization": "Bearer <secret>"}`).
//!
//! async-graphql-axum's `GraphQLWebSocket` cannot be told to follow the protocols' close
//! codes and `error` messages, so the protocols are served here: [`protocol`] reads and
//! writes the messages, [`session`] is each socket's state machine, [`runner`] runs its
//! operations with the same rules as `/graphql`, and [`shutdown`] says goodbye to every
//! socket when the server stops.

mod protocol;
mod runner;
mod session;
mod shutdown;

pub use shutdown::Sockets;

use super::AppState;
use super::http::{Media, error_response};
use super::metrics::Metrics;
use super::telemetry;
use crate::graphql::{Access, error::BAD_USER_INPUT};
use async_graphql::Executor;
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{Extensions, HeaderMap, StatusCode};
use protocol::Protocol;
use runner::{Admission, Continued, Runner};
use session::{Limits, Session};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::sync::watch;

pub async fn upgrade(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    extensions: Extensions,
    upgrade: WebSocketUpgrade,
) -> axum::response::Response {
    // Each operation continues the trace the upgrade request carried, if any.
    let trace = state
        .config
        .trace
        .then(|| Continued(telemetry::remote_parent(&headers)));
    let socket = extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let client = super::guard::client(&headers, socket, state.config.trust_forwarded_for);
    let runner = Runner {
        inner: state.schema.clone(),
        documents: Arc::clone(&state.documents),
        metrics: Arc::clone(&state.metrics),
        trace,
        admission: Some(Admission {
            client,
            rate: Arc::clone(&state.rate),
            rate_limit: state.config.rate_limit,
            in_flight: Arc::clone(&state.in_flight),
            max_in_flight: state.config.max_in_flight,
            limits: Arc::new(state.config.graphql.limits.clone()),
        }),
        joint: Arc::default(),
    };
    let limits = Limits {
        max_message_bytes: state.config.max_body_bytes,
        max_operations: state.config.max_subscriptions_per_socket,
    };
    serve(
        upgrade,
        runner,
        limits,
        Arc::clone(&state.config.graphql.access),
        state.sockets.going_away(),
    )
}

/// Serves one WebSocket connection with `runner`, counted in the open-subscriptions gauge
/// for as long as it is open.
fn serve<E: Executor>(
    upgrade: WebSocketUpgrade,
    runner: Runner<E>,
    limits: Limits,
    access: Arc<Access>,
    going_away: watch::Receiver<bool>,
) -> axum::response::Response {
    // The server's preference when the client offers both.
    let upgrade = upgrade
        .protocols(Protocol::NAMES)
        .max_message_size(limits.max_message_bytes)
        .max_frame_size(limits.max_message_bytes);
    let Some(protocol) = upgrade
        .selected_protocol()
        .and_then(|p| Protocol::named(p.as_bytes()))
    else {
        return error_response(
            StatusCode::BAD_REQUEST,
            Media::Json,
            BAD_USER_INPUT,
            "/ws speaks graphql-transport-ws or graphql-ws: name one in Sec-WebSocket-Protocol",
        );
    };
    upgrade.on_upgrade(move |socket| async move {
        let _open = Open::new(Arc::clone(&runner.metrics));
        Session::new(protocol, runner, access, limits)
            .serve(socket, going_away)
            .await;
    })
}

/// One open connection in the gauge: counted when made, uncounted when dropped, however
/// the connection ends (even by a panic).
struct Open(Arc<Metrics>);

impl Open {
    fn new(metrics: Arc<Metrics>) -> Open {
        metrics.subscriptions.fetch_add(1, Ordering::Relaxed);
        Open(metrics)
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.subscriptions.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    //! A resolver that panics, served by [`serve`] exactly as `/ws` serves the real schema:
    //! the real schema has no resolver that panics on purpose.

    use super::super::persisted::Documents;
    use super::*;
    use async_graphql::{EmptyMutation, Object, Schema, Subscription};
    use axum::Router;
    use axum::routing::get;
    use futures_util::stream::{self, StreamExt};
    use futures_util::{SinkExt, Stream};
    use serde_json::{Value, json};
    use std::time::Duration;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::http::HeaderValue;

    struct Query;

    #[Object]
    impl Query {
        async fn ok(&self) -> i32 {
            1
        }
        async fn boom(&self) -> i32 {
            std::hint::black_box(None::<i32>).expect("a query resolver panicked on purpose")
        }
    }

    struct Subscription;

    #[Subscription]
    impl Subscription {
        async fn ticks(&self) -> impl Stream<Item = i32> {
            stream::iter([1]).chain(stream::pending())
        }
        async fn boom(&self) -> impl Stream<Item = i32> {
            stream::iter([1]).map(|_| -> i32 { panic!("a subscription panicked on purpose") })
        }
    }

    const WAIT: Duration = Duration::from_secs(10);

    type Ws = tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >;

    async fn send(ws: &mut Ws, message: Value) {
        ws.send(Message::text(message.to_string())).await.unwrap();
    }

    /// The next message of operation `id`; messages of other operations go to `others`.
    async fn next_of(ws: &mut Ws, id: &str, others: &mut Vec<Value>) -> Value {
        loop {
            match tokio::time::timeout(WAIT, ws.next()).await {
                Ok(Some(Ok(Message::Text(text)))) => {
                    let v: Value = serde_json::from_str(text.as_str()).unwrap();
                    if v["id"] == id || (id.is_empty() && v.get("id").is_none()) {
                        return v;
                    }
                    others.push(v);
                }
                Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
                other => panic!("the connection ended instead of answering: {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn a_panicking_resolver_ends_its_operation_with_internal_and_the_socket_lives() {
        let metrics = Arc::new(Metrics::default());
        let schema = Schema::new(Query, EmptyMutation, Subscription);
        let runner = Runner {
            inner: schema,
            documents: Arc::new(Documents::new(None, 10, 32 * 1024)),
            metrics: Arc::clone(&metrics),
            trace: None,
            admission: None,
            joint: Arc::default(),
        };
        let access = Arc::new(Access::default());
        let limits = Limits {
            max_message_bytes: 64 * 1024,
            max_operations: 10,
        };
        let sockets = Sockets::default();
        let app = Router::new().route(
            "/ws",
            get(move |upgrade: WebSocketUpgrade| async move {
                serve(upgrade, runner, limits, access, sockets.going_away())
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/ws", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });

        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let mut others = Vec::new();
        send(&mut ws, json!({ "type": "connection_init" })).await;
        assert_eq!(
            next_of(&mut ws, "", &mut others).await["type"],
            "connection_ack"
        );
        assert_eq!(metrics.subscriptions.load(Ordering::Relaxed), 1);

        // A live subscription on the same socket, which must outlive the panics.
        let subscribe = |id: &str, query: &str| json!({ "id": id, "type": "subscribe", "payload": { "query": query } });
        send(&mut ws, subscribe("t", "subscription { ticks }")).await;
        let v = next_of(&mut ws, "t", &mut others).await;
        assert_eq!(v["payload"], json!({ "data": { "ticks": 1 } }), "{v}");

        for (id, query) in [("q", "{ boom }"), ("s", "subscription { boom }")] {
            send(&mut ws, subscribe(id, query)).await;
            let error = next_of(&mut ws, id, &mut others).await;
            assert_eq!(error["type"], "next", "{query}: {error}");
            let e = &error["payload"]["errors"][0];
            assert_eq!(e["extensions"]["code"], "INTERNAL", "{query}: {error}");
            assert!(e["extensions"]["id"].is_string(), "{error}");
            assert!(
                !e["message"].as_str().unwrap().contains("on purpose"),
                "the panic's text reached the client: {error}"
            );
            let complete = next_of(&mut ws, id, &mut others).await;
            assert_eq!(complete, json!({ "id": id, "type": "complete" }), "{query}");
        }

        // The socket still answers, and the first subscription is still there to stop.
        send(&mut ws, subscribe("ok", "{ ok }")).await;
        let v = next_of(&mut ws, "ok", &mut others).await;
        assert_eq!(v["payload"], json!({ "data": { "ok": 1 } }), "{v}");
        let v = next_of(&mut ws, "ok", &mut others).await;
        assert_eq!(v, json!({ "id": "ok", "type": "complete" }));
        send(&mut ws, json!({ "id": "t", "type": "complete" })).await;
        let v = next_of(&mut ws, "t", &mut others).await;
        assert_eq!(v, json!({ "id": "t", "type": "complete" }));
        assert!(
            others
                .iter()
                .all(|v| v["type"] == "ping" || v["type"] == "ka"),
            "{others:?}"
        );

        // Closed: the gauge is back to zero.
        ws.close(None).await.unwrap();
        let deadline = tokio::time::Instant::now() + WAIT;
        while metrics.subscriptions.load(Ordering::Relaxed) != 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the open-subscriptions gauge stayed at {}",
                metrics.subscriptions.load(Ordering::Relaxed)
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}
