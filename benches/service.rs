//! Service figures criterion cannot take (`cargo bench --bench service`): the release
//! server's router on a loopback port, driven by real HTTP and WebSocket clients.
//!
//! - writes: acknowledged (committed and flushed) mutations per second, from 1 and from 8
//!   concurrent writers, and the delay from sending a write to its event on `/ws`;
//! - abuse: the time to refuse each abusive shape, beside a normal query's time;
//! - flood: honest clients' answers per second alone and while one client floods the
//!   server (a client is its `X-Forwarded-For` address here, as behind a proxy).
//!
//! Each figure is a median (or a count over a fixed time) from one run; compare figures of
//! the same run. Results: `benches/RESULTS.md`.

// A benchmark, not the library (Cargo.toml's lints are for src/): a failed step ends the
// run with its reason, figures are printed, and rates from counts need not be exact.
#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use asean_graph::dataset::{self, Mode};
use asean_graph::graphql::{Access, Options, Tokens};
use asean_graph::server::{self, Config};
use asean_graph::store::Store;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

const SECRET: &str = "bench-editor-secret-0123456789";

/// A server over a fresh store holding the bundled dataset; its address and its store's
/// directory (kept alive by the caller).
async fn serve(config: Config) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(dir.path()).expect("open");
    dataset::import(&store, dataset::BUNDLED.as_bytes(), Mode::Refuse).expect("import");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(server::serve_on(
        listener,
        Arc::new(store),
        config,
        std::future::pending(),
    ));
    (base, dir)
}

fn with_editor(config: Config) -> Config {
    let access = Access {
        tokens: Tokens::parse(&format!("bench:editor:{SECRET}")).expect("tokens"),
        read_needs_token: false,
    };
    Config {
        graphql: Options {
            access: Arc::new(access),
            ..Default::default()
        },
        ..config
    }
}

async fn post(client: &reqwest::Client, base: &str, body: &Value) -> (u16, Value) {
    let r = client
        .post(format!("{base}/graphql"))
        .bearer_auth(SECRET)
        .json(body)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn update(description: &str) -> Value {
    json!({
        "query": "mutation($d: String!) { updateMember(code: \"VNM\", input: { description: $d }) { code } }",
        "variables": { "d": description },
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn percentile(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
}

async fn writes() {
    let (base, _dir) = serve(with_editor(Config {
        rate_limit: 0.0,
        ..Config::default()
    }))
    .await;
    let client = reqwest::Client::new();
    for writers in [1usize, 8] {
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let tasks: Vec<_> = (0..writers)
            .map(|w| {
                let (client, base, done, stop) =
                    (client.clone(), base.clone(), done.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let (status, body) =
                            post(&client, &base, &update(&format!("w{w} #{i}"))).await;
                        assert!(status == 200 && body.get("errors").is_none(), "{body}");
                        done.fetch_add(1, Ordering::Relaxed);
                        i += 1;
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_secs(5)).await;
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            t.await.expect("a writer");
        }
        let n = done.load(Ordering::Relaxed);
        println!(
            "writes: {writers} writer(s): {n} acknowledged in {:.1} s = {:.0} durable mutations/s",
            started.elapsed().as_secs_f64(),
            n as f64 / started.elapsed().as_secs_f64()
        );
    }

    // Write → event: a subscriber on /ws, one write at a time.
    let mut request = format!("{}/ws", base.replacen("http://", "ws://", 1))
        .into_client_request()
        .expect("a ws request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect /ws");
    let send = |v: Value| Message::Text(v.to_string().into());
    ws.send(send(json!({ "type": "connection_init", "payload": {} })))
        .await
        .expect("init");
    ws.next().await.expect("ack").expect("ack");
    ws.send(send(json!({ "id": "1", "type": "subscribe",
        "payload": { "query": "subscription { changes(ids: [\"Member:VNM\"]) { op recordId } }" } })))
        .await
        .expect("subscribe");
    // Live once a write's event arrives.
    loop {
        post(&client, &base, &update("warm-up")).await;
        if tokio::time::timeout(Duration::from_millis(200), ws.next())
            .await
            .is_ok()
        {
            break;
        }
    }
    let (mut to_event, mut to_ack) = (Vec::new(), Vec::new());
    for i in 0..200 {
        let sent = Instant::now();
        let ack = {
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move {
                post(&client, &base, &update(&format!("event {i}"))).await;
                Instant::now()
            })
        };
        let event = ws.next().await.expect("an event").expect("an event");
        let at = Instant::now();
        assert!(event.to_text().unwrap_or("").contains("updateMember"));
        to_event.push(at - sent);
        to_ack.push(ack.await.expect("the write") - sent);
    }
    println!(
        "writes: send → event on /ws: median {:?}, p99 {:?}; send → acknowledgement: median {:?}",
        median(to_event.clone()),
        percentile(to_event, 0.99),
        median(to_ack)
    );
}

fn deep_cyclic(rounds: usize) -> String {
    let mut q = String::from(r#"{ partner(code: "JPN") { "#);
    for _ in 0..rounds {
        q.push_str("fundings(first: 1) { nodes { funder { ... on Partner { ");
    }
    q.push_str("code");
    for _ in 0..rounds {
        q.push_str(" } } } }");
    }
    q + " } }"
}

fn alias_bomb(n: usize) -> String {
    let fields: String = (0..n)
        .map(|i| format!(r#" a{i}: member(code: "VNM") {{ name }}"#))
        .collect();
    format!("{{{fields} }}")
}

const PRODUCT_QUESTION: &str = include_str!("queries/product-question.graphql");

async fn abuse() {
    let (base, _dir) = serve(Config {
        rate_limit: 0.0,
        response_cache_bytes: 0,
        ..Config::default()
    })
    .await;
    let client = reqwest::Client::new();
    let shapes: Vec<(&str, String, &str)> = vec![
        ("normal: the product question", PRODUCT_QUESTION.to_owned(), ""),
        ("deep cyclic query (6 rounds)", deep_cyclic(6), "QUERY_TOO_DEEP"),
        (
            "fan-out of four connections, first: 100 each",
            r#"{ partners(first: 100) { nodes { fundings(first: 100) { nodes {
    target { ... on Initiative { children(first: 100) { nodes {
      meetings(first: 100) { nodes { code } } } } } } } } } } }"#
                .to_owned(),
            "QUERY_TOO_COMPLEX",
        ),
        ("alias bomb (500 aliases)", alias_bomb(500), "QUERY_TOO_COMPLEX"),
        (
            "fragment cycle",
            r#"{ member(code: "VNM") { ...A } } fragment A on Member { name ...B } fragment B on Member { code ...A }"#
                .to_owned(),
            "BAD_USER_INPUT",
        ),
    ];
    for (what, query, code) in shapes {
        let body = json!({ "query": query });
        let mut times = Vec::new();
        for _ in 0..50 {
            let started = Instant::now();
            let (_, answer) = post(&client, &base, &body).await;
            times.push(started.elapsed());
            let got = answer["errors"][0]["extensions"]["code"]
                .as_str()
                .unwrap_or("");
            assert_eq!(got, code, "{what}: {answer}");
        }
        println!(
            "abuse: {what}: answered in {:?} (median of 50)",
            median(times)
        );
    }
    // A body over the limit: refused before it is read whole.
    let big = "x".repeat(4 << 20);
    let mut times = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let r = client
            .post(format!("{base}/graphql"))
            .header("Content-Type", "application/json")
            .body(big.clone())
            .send()
            .await;
        // The server answers 413 and closes as soon as the body passes the limit; the
        // client may still be writing the rest, and then sees the connection closed.
        match r {
            Ok(r) => assert_eq!(r.status().as_u16(), 413),
            Err(e) => assert!(e.is_request(), "{e}"),
        }
        times.push(started.elapsed());
    }
    println!(
        "abuse: 4 MiB body (limit 256 KiB): 413 or closed in {:?} (median of 20)",
        median(times)
    );
}

/// Honest clients (each its own address, well under the rate limit) asking the product
/// question for `secs`, optionally beside a flood from one address: their answers/s.
async fn honest_rate(base: &str, flood: bool, secs: u64) -> (f64, usize, usize) {
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let flooders: Vec<_> = (0..if flood { 16 } else { 0 })
        .map(|_| {
            let (base, stop, refused) = (base.to_owned(), stop.clone(), refused.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let body = json!({ "query": PRODUCT_QUESTION });
                while !stop.load(Ordering::Relaxed) {
                    let r = client
                        .post(format!("{base}/graphql"))
                        .header("X-Forwarded-For", "10.9.9.9")
                        .json(&body)
                        .send()
                        .await;
                    if r.is_ok_and(|r| r.status() == 429 || r.status() == 503) {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let honest: Vec<_> = (0..4)
        .map(|c| {
            let (base, stop, ok) = (base.to_owned(), stop.clone(), ok.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let body = json!({ "query": PRODUCT_QUESTION });
                let mut tick = tokio::time::interval(Duration::from_millis(25));
                while !stop.load(Ordering::Relaxed) {
                    tick.tick().await;
                    let r = client
                        .post(format!("{base}/graphql"))
                        .header("X-Forwarded-For", format!("10.0.0.{c}"))
                        .json(&body)
                        .send()
                        .await;
                    if r.is_ok_and(|r| r.status() == 200) {
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop.store(true, Ordering::Relaxed);
    for t in flooders.into_iter().chain(honest) {
        let _ = t.await;
    }
    let ok = ok.load(Ordering::Relaxed);
    (ok as f64 / secs as f64, ok, refused.load(Ordering::Relaxed))
}

async fn flood() {
    let (base, _dir) = serve(Config {
        rate_limit: 50.0,
        trust_forwarded_for: true,
        response_cache_bytes: 0,
        ..Config::default()
    })
    .await;
    let (alone, ..) = honest_rate(&base, false, 5).await;
    let (beside, _, refused) = honest_rate(&base, true, 5).await;
    println!(
        "flood: 4 honest clients at 40 requests/s each: {alone:.0} answers/s alone, \
         {beside:.0} answers/s while 16 connections from one address flood ({refused} \
         flood requests turned away with 429/503); ratio {:.2}",
        beside / alone
    );
}

fn main() {
    // `cargo bench` passes criterion's flags to every bench; this one takes none.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        writes().await;
        abuse().await;
        flood().await;
    });
}
