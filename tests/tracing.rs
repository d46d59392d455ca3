//! Distributed tracing. In-process: the real server on a loopback port, its spans taken by
//! the server's own OpenTelemetry layer ([`telemetry::layer`]) into an in-memory exporter,
//! under a subscriber that is this test thread's default only. Each test runs on a
//! current-thread runtime, so the server's tasks (spawned on it) run on this thread and
//! report here, and no other test's spans can: the tests of this binary run in parallel
//! threads, none of which sees this subscriber. End to end: the real binary exporting over
//! OTLP/HTTP to a small receiver, flushed at shutdown.

use crate::common::ChildServer;
use crate::common::TestServer;
use crate::common::ws_client::{Client, Incoming, TRANSPORT_WS};
use asean_graph::server::{Config, telemetry};
use opentelemetry::trace::{SpanId, SpanKind, Status, TraceId, TracerProvider as _};
use opentelemetry::{KeyValue, Value as OtelValue};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tracing_subscriber::layer::SubscriberExt;

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN: &str = "00f067aa0ba902b7";

fn traceparent() -> String {
    format!("00-{TRACE}-{CALLER_SPAN}-01")
}

/// The server's spans, exported into memory as each ends.
struct Recorder {
    exporter: InMemorySpanExporter,
    _provider: SdkTracerProvider,
    _default: ::tracing::subscriber::DefaultGuard,
}

impl Recorder {
    /// Starts recording this thread's spans (see the module's note).
    fn start() -> Recorder {
        let exporter = InMemorySpanExporter::default();
        let provider = SdkTracerProvider::builder()
            .with_simple_exporter(exporter.clone())
            .build();
        let subscriber =
            tracing_subscriber::registry().with(telemetry::layer(provider.tracer("test")));
        Recorder {
            exporter,
            _provider: provider,
            _default: ::tracing::subscriber::set_default(subscriber),
        }
    }

    /// The spans ended so far, once `ready` holds of them (waiting a little for spans that
    /// end after the response was sent).
    async fn spans_when(&self, ready: impl Fn(&[SpanData]) -> bool) -> Vec<SpanData> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let spans = self.exporter.get_finished_spans().unwrap();
            if ready(&spans) {
                return spans;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "spans never came: {:#?}",
                summary(&spans)
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn reset(&self) {
        self.exporter.reset();
    }
}

fn summary(spans: &[SpanData]) -> Vec<String> {
    spans
        .iter()
        .map(|s| {
            format!(
                "{} trace={} id={} parent={}",
                s.name,
                s.span_context.trace_id(),
                s.span_context.span_id(),
                s.parent_span_id
            )
        })
        .collect()
}

fn attr<'a>(span: &'a SpanData, key: &str) -> Option<&'a OtelValue> {
    span.attributes
        .iter()
        .find(|kv: &&KeyValue| kv.key.as_str() == key)
        .map(|kv| &kv.value)
}

fn attr_str(span: &SpanData, key: &str) -> String {
    match attr(span, key) {
        Some(v) => v.as_str().into_owned(),
        None => panic!("span {} has no {key}: {:?}", span.name, span.attributes),
    }
}

fn attr_int(span: &SpanData, key: &str) -> i64 {
    match attr(span, key) {
        Some(OtelValue::I64(n)) => *n,
        other => panic!("span {}: {key} is {other:?}", span.name),
    }
}

fn named<'a>(spans: &'a [SpanData], name: &str) -> Vec<&'a SpanData> {
    spans.iter().filter(|s| s.name == name).collect()
}

fn one<'a>(spans: &'a [SpanData], name: &str) -> &'a SpanData {
    match named(spans, name).as_slice() {
        [one] => one,
        other => panic!("{} spans named {name}: {:#?}", other.len(), summary(spans)),
    }
}

/// The spans of one operation: its request span and its operation span.
fn request_and_operation(spans: &[SpanData]) -> (&SpanData, &SpanData) {
    let request = one(spans, "POST /graphql");
    let operation = spans
        .iter()
        .find(|s| {
            s.name.starts_with("query ") || s.name == "query" || s.name == "GraphQL operation"
        })
        .unwrap_or_else(|| panic!("no operation span: {:#?}", summary(spans)));
    (request, operation)
}

fn ended(spans: &[SpanData], name: &str) -> bool {
    spans.iter().any(|s| s.name == name)
}

/// A server that traces, and answers every query afresh (no cache of answers: a cached
/// answer runs no operation), with a complexity limit a test can pass.
async fn server() -> TestServer {
    TestServer::start_with(Config {
        rate_limit: 0.0,
        response_cache_bytes: 0,
        trace: true,
        graphql: asean_graph::graphql::Options {
            limits: asean_graph::graphql::Limits {
                max_complexity: 1_000,
                ..Default::default()
            },
            ..Default::default()
        },
        ..Config::default()
    })
    .await
}

async fn post(s: &TestServer, traceparent: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = s
        .client
        .post(format!("{}/graphql", s.base))
        .header("content-type", "application/json")
        .json(&body);
    if let Some(t) = traceparent {
        request = request.header("traceparent", t);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

const MEMBERS: &str = "query TracedMembers { members(first: 3) { nodes { code name } } }";

#[tokio::test]
async fn a_traceparent_is_continued_by_the_request_and_its_operation() {
    let recorder = Recorder::start();
    let s = server().await;
    let (status, body) = post(
        &s,
        Some(&traceparent()),
        json!({ "query": MEMBERS, "operationName": "TracedMembers" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["members"]["nodes"].as_array().unwrap().len(),
        3
    );
    let spans = recorder
        .spans_when(|s| ended(s, "POST /graphql") && ended(s, "query TracedMembers"))
        .await;
    let (request, operation) = request_and_operation(&spans);
    let trace = TraceId::from_hex(TRACE).unwrap();

    // The request continues the caller's trace, as a child of the caller's span.
    assert_eq!(request.span_context.trace_id(), trace);
    assert_eq!(
        request.parent_span_id,
        SpanId::from_hex(CALLER_SPAN).unwrap()
    );
    assert_eq!(request.span_kind, SpanKind::Server);
    assert_eq!(attr_str(request, "http.request.method"), "POST");
    assert_eq!(attr_str(request, "http.route"), "/graphql");
    assert_eq!(attr_int(request, "http.response.status_code"), 200);

    // The operation is the request's child, with its name, type, complexity and outcome.
    assert_eq!(operation.name, "query TracedMembers");
    assert_eq!(operation.span_context.trace_id(), trace);
    assert_eq!(operation.parent_span_id, request.span_context.span_id());
    assert_eq!(
        attr_str(operation, "graphql.operation.name"),
        "TracedMembers"
    );
    assert_eq!(attr_str(operation, "graphql.operation.type"), "query");
    assert!(attr_int(operation, "graphql.complexity") > 0);
    assert!(attr_int(operation, "graphql.depth") >= 3);
    assert_eq!(attr_str(operation, "graphql.outcome"), "ok");
    assert_eq!(operation.status, Status::Unset);
    let mut keys: Vec<&str> = operation
        .attributes
        .iter()
        .map(|kv| kv.key.as_str())
        .collect();
    keys.sort_unstable();
    let count = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), count, "each attribute once: {keys:?}");

    // The store's page read is the operation's child.
    let pages = named(&spans, "store.page");
    assert!(!pages.is_empty(), "{:#?}", summary(&spans));
    for page in pages {
        assert_eq!(page.span_context.trace_id(), trace);
        assert_eq!(page.parent_span_id, operation.span_context.span_id());
        assert_eq!(attr_str(page, "tree"), "node/member");
    }
}

#[tokio::test]
async fn without_a_traceparent_a_request_starts_a_trace_of_its_own() {
    let recorder = Recorder::start();
    let s = server().await;
    let (status, _) = post(&s, None, json!({ "query": MEMBERS })).await;
    assert_eq!(status, 200);
    let spans = recorder
        .spans_when(|s| ended(s, "POST /graphql") && ended(s, "query TracedMembers"))
        .await;
    let (request, operation) = request_and_operation(&spans);
    assert_eq!(request.parent_span_id, SpanId::INVALID, "a root span");
    assert!(request.span_context.is_valid());
    assert_ne!(
        request.span_context.trace_id(),
        TraceId::from_hex(TRACE).unwrap()
    );
    assert_eq!(
        operation.span_context.trace_id(),
        request.span_context.trace_id()
    );
    assert_eq!(operation.parent_span_id, request.span_context.span_id());
}

#[tokio::test]
async fn a_malformed_traceparent_is_ignored_and_the_request_answered() {
    let recorder = Recorder::start();
    let s = server().await;
    let bad = [
        "garbage".to_owned(),
        format!("00-{TRACE}-{CALLER_SPAN}"),
        format!("00-{}-{CALLER_SPAN}-01", "0".repeat(32)),
        format!("00-{TRACE}-{}-01", "0".repeat(16)),
        format!("ff-{TRACE}-{CALLER_SPAN}-01"),
        format!("00-{}-{CALLER_SPAN}-01", "z".repeat(32)),
        format!("00-{TRACE}-{CALLER_SPAN}-01-{}", "x".repeat(5_000)),
    ];
    for value in &bad {
        recorder.reset();
        let (status, body) = post(&s, Some(value), json!({ "query": MEMBERS })).await;
        assert_eq!(status, 200, "{value}: {body}");
        assert!(body.get("errors").is_none(), "{value}: {body}");
        let spans = recorder
            .spans_when(|s| ended(s, "POST /graphql") && ended(s, "query TracedMembers"))
            .await;
        let (request, operation) = request_and_operation(&spans);
        assert_eq!(
            request.parent_span_id,
            SpanId::INVALID,
            "{value}: a new trace"
        );
        assert_ne!(
            request.span_context.trace_id(),
            TraceId::from_hex(TRACE).unwrap(),
            "{value}"
        );
        assert_eq!(operation.parent_span_id, request.span_context.span_id());
    }
}

/// Sends a request the server refuses with `code`; the operation span named `span`.
async fn refused(
    s: &TestServer,
    recorder: &Recorder,
    body: Value,
    code: &str,
    span: &str,
) -> SpanData {
    recorder.reset();
    let (_, answer) = post(s, Some(&traceparent()), body).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], code, "{answer}");
    let spans = recorder
        .spans_when(|s| ended(s, span) && ended(s, "POST /graphql"))
        .await;
    let operation = one(&spans, span).clone();
    assert_eq!(attr_str(&operation, "graphql.outcome"), code);
    assert!(matches!(operation.status, Status::Error { .. }));
    operation
}

#[tokio::test]
async fn a_refused_operation_has_its_error_code_as_outcome_and_a_clipped_name() {
    let recorder = Recorder::start();
    let s = server().await;

    // Unknown field: refused at validation, before complexity is known.
    let query = "query Broken { members { nosuchfield } }";
    let operation = refused(
        &s,
        &recorder,
        json!({ "query": query }),
        "BAD_USER_INPUT",
        "query Broken",
    )
    .await;
    assert!(
        attr(&operation, "graphql.complexity").is_none(),
        "never measured"
    );

    // Too complex: refused by the limits after validation.
    let query = "query Big { meetings(first: 50) { nodes { code chair { meetings(first: 50) { nodes { code } } } } } }";
    let operation = refused(
        &s,
        &recorder,
        json!({ "query": query }),
        "QUERY_TOO_COMPLEX",
        "query Big",
    )
    .await;
    assert_eq!(attr_str(&operation, "graphql.operation.type"), "query");

    // Refused by the limits before it is parsed: the name the request asked for is kept.
    let query = format!(
        "query Deep {{ members(first: {}1{}) {{ totalCount }} }}",
        "[".repeat(40),
        "]".repeat(40)
    );
    let body = json!({ "query": query, "operationName": "Deep" });
    let operation = refused(&s, &recorder, body, "QUERY_TOO_DEEP", "Deep").await;
    assert_eq!(attr_str(&operation, "graphql.operation.name"), "Deep");
    assert!(
        attr(&operation, "graphql.operation.type").is_none(),
        "never parsed"
    );

    // A client's long operation name is clipped as the logs clip it.
    recorder.reset();
    let name = format!("N{}", "x".repeat(5_000));
    let (status, _) = post(
        &s,
        None,
        json!({ "query": format!("query {name} {{ members(first: 1) {{ nodes {{ code }} }} }}") }),
    )
    .await;
    assert_eq!(status, 200);
    let spans = recorder
        .spans_when(|s| {
            ended(s, "POST /graphql") && s.iter().any(|x| x.name.starts_with("query N"))
        })
        .await;
    let operation = spans
        .iter()
        .find(|x| x.name.starts_with("query N"))
        .unwrap();
    let clipped = attr_str(operation, "graphql.operation.name");
    assert_eq!(
        clipped.chars().count(),
        201,
        "200 characters and an ellipsis"
    );
    assert!(clipped.ends_with('…'));
    assert!(
        operation.name.chars().count() < 220,
        "{}",
        operation.name.len()
    );
}

#[tokio::test]
async fn a_ws_operation_continues_the_upgrade_requests_trace() {
    let recorder = Recorder::start();
    let s = server().await;
    let url = format!("{}/ws", s.base.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().unwrap();
    let headers = request.headers_mut();
    headers.insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static(TRANSPORT_WS.name),
    );
    headers.insert(
        "traceparent",
        HeaderValue::from_str(&traceparent()).unwrap(),
    );
    let (ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut client = Client {
        ws,
        protocol: TRANSPORT_WS,
    };
    client.init(json!({})).await.unwrap();
    client.subscribe("1", MEMBERS, json!({})).await;
    let Incoming::Json(answer) = client.recv().await else {
        panic!("the socket closed");
    };
    assert_eq!(answer["type"], "next", "{answer}");
    let spans = recorder
        .spans_when(|s| ended(s, "WS /ws") && ended(s, "query TracedMembers"))
        .await;
    let trace = TraceId::from_hex(TRACE).unwrap();
    let ws = one(&spans, "WS /ws");
    let operation = one(&spans, "query TracedMembers");
    assert_eq!(ws.span_context.trace_id(), trace);
    assert_eq!(ws.parent_span_id, SpanId::from_hex(CALLER_SPAN).unwrap());
    assert_eq!(ws.span_kind, SpanKind::Server);
    assert_eq!(operation.span_context.trace_id(), trace);
    assert_eq!(operation.parent_span_id, ws.span_context.span_id());
    assert_eq!(attr_str(operation, "graphql.outcome"), "ok");
}

#[test]
fn a_malformed_otlp_endpoint_is_refused_at_start() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("store");
    for (how, args, env) in [
        ("flag", vec!["--otlp-endpoint", "not-a-url"], None),
        ("environment", vec![], Some("not-a-url")),
        (
            "flag",
            vec!["--otlp-endpoint", "https://collector:4318"],
            None,
        ),
    ] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_asean-graph"));
        cmd.arg("--data").arg(&data).arg("serve").args(&args);
        cmd.env_remove("ASEAN_GRAPH_OTLP_ENDPOINT");
        if let Some(v) = env {
            cmd.env("ASEAN_GRAPH_OTLP_ENDPOINT", v);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{how} {args:?}: {stderr}");
        assert!(stderr.contains("--otlp-endpoint"), "{how}: {stderr}");
        assert!(
            stderr.contains("http://"),
            "{how}: says what it wants: {stderr}"
        );
        assert!(!data.exists(), "{how}: refused before the store is made");
    }
}

/// OTLP/HTTP export requests a small receiver got: their bodies (protobuf).
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<axum::body::Bytes>>>);

/// A collector's OTLP/HTTP traces endpoint, enough to receive: it keeps each body.
async fn receiver() -> (String, Received) {
    let received = Received::default();
    let kept = received.clone();
    let app = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post(move |body: axum::body::Bytes| {
            let kept = kept.clone();
            async move {
                kept.0.lock().unwrap().push(body);
                (
                    [("content-type", "application/x-protobuf")],
                    Vec::<u8>::new(),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, received)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn the_binary_exports_over_otlp_http_and_flushes_at_shutdown() {
    let (collector, received) = receiver().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let server = ChildServer::start_with_env(
        &data,
        None,
        &[
            ("ASEAN_GRAPH_OTLP_ENDPOINT", collector.as_str()),
            ("ASEAN_GRAPH_RESPONSE_CACHE_MB", "0"),
        ],
    )
    .await;
    let response = server
        .client
        .post(format!("{}/graphql", server.base))
        .header("traceparent", traceparent())
        .json(&json!({ "query": MEMBERS }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // The batch waits (5 s by default): only the shutdown's flush sends it this soon.
    assert!(server.terminate().await, "the server stopped cleanly");
    let bodies = received.0.lock().unwrap().concat();
    let trace: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&TRACE[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    assert!(contains(&bodies, &trace), "the trace id was exported");
    for text in [
        "asean-graph",
        "service.name",
        "POST /graphql",
        "query TracedMembers",
    ] {
        assert!(contains(&bodies, text.as_bytes()), "{text} was exported");
    }
}
