//! Floods through the real server: a burst from one client is rate limited (429) and
//! counted, forwarded clients have buckets of their own only behind a trusted proxy, a flood
//! past `--max-in-flight` is shed with 503 and the server answers again, and slow bodies,
//! slow queries and oversized bodies are stopped (408, 503, 413), each with `Retry-After`
//! where it applies and a GraphQL error body.

use crate::common::TestServer;
use crate::common::abuse::*;
use asean_graph::server::Config;
use serde_json::{Value, json};

// ----- floods -----

/// Reads `Retry-After` as whole seconds (at least 1).
fn retry_after(response: &reqwest::Response) -> u64 {
    let value = response
        .headers()
        .get("retry-after")
        .unwrap_or_else(|| panic!("no Retry-After on {}", response.status()))
        .to_str()
        .unwrap();
    let secs: u64 = value
        .parse()
        .unwrap_or_else(|_| panic!("Retry-After {value:?}"));
    assert!(secs >= 1, "Retry-After {secs}");
    secs
}

#[tokio::test]
async fn a_burst_from_one_client_is_rate_limited_and_counted() {
    let s = TestServer::start_with(Config {
        rate_limit: 5.0,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    // A refused-too-deep document first, for the metrics.
    let r = s
        .client
        .post(&url)
        .json(&json!({ "query": too_deep().0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut statuses = Vec::new();
    let mut limited = 0;
    for _ in 0..40 {
        let r = s
            .client
            .post(&url)
            .json(&json!({ "query": r#"{ member(code: "VNM") { name } }"# }))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        statuses.push(status);
        match status {
            200 => {
                let body: Value = r.json().await.unwrap();
                assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
            }
            429 => {
                limited += 1;
                retry_after(&r);
                let body: Value = r.json().await.unwrap();
                assert_eq!(
                    body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
                    "{body}"
                );
                assert!(
                    numbers(body["errors"][0]["message"].as_str().unwrap()).contains(&5),
                    "the message states the limit: {body}"
                );
            }
            other => panic!("status {other}"),
        }
    }
    // A burst of twice the rate is allowed, then the client waits.
    assert!(
        statuses[..5].iter().all(|&s| s == 200),
        "the first requests succeed: {statuses:?}"
    );
    // 10 in the burst, then 5 a second: unless the 40 took seconds, many were refused.
    assert!(limited >= 5, "too few refused: {statuses:?}");

    let metrics = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    let rate = metric(&text, "asean_graph_refused_total{limit=\"rate\"}").unwrap_or(0.0);
    assert!(
        rate >= limited as f64,
        "refused rate {rate} < {limited}:\n{text}"
    );
    let depth = metric(&text, "asean_graph_refused_total{limit=\"depth\"}").unwrap_or(0.0);
    assert!(depth >= 1.0, "refused depth {depth}:\n{text}");
    let requests: f64 = text
        .lines()
        .filter(|l| l.starts_with("asean_graph_requests_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum();
    assert!(requests >= 41.0, "requests_total {requests}:\n{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("asean_graph_requests_total{") && l.contains("status=\"429\"")),
        "{text}"
    );
    assert!(
        metric(&text, "asean_graph_errors_total{code=\"RATE_LIMITED\"}").unwrap_or(0.0) >= 1.0,
        "{text}"
    );
}

#[tokio::test]
async fn with_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    let s = TestServer::start_with(Config {
        rate_limit: 1.0,
        trust_forwarded_for: true,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let ask = |ip: &'static str| {
        s.client
            .post(&url)
            .header("x-forwarded-for", format!("{ip}, 10.0.0.1"))
            .json(&json!({ "query": "{ __typename }" }))
            .send()
    };
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(ask("203.0.113.1").await.unwrap().status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(ask("203.0.113.2").await.unwrap().status(), 200);
}

#[tokio::test]
async fn without_a_trusted_proxy_x_forwarded_for_is_ignored() {
    // A burst of one, and a new token every 2 s.
    let s = TestServer::start_with(Config {
        rate_limit: 0.5,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let ask = |ip: &'static str| {
        s.client
            .post(&url)
            .header("x-forwarded-for", ip)
            .json(&json!({ "query": "{ __typename }" }))
            .send()
    };
    assert_eq!(ask("203.0.113.1").await.unwrap().status(), 200);
    let r = ask("203.0.113.2").await.unwrap();
    assert_eq!(
        r.status(),
        429,
        "a client must not get a new bucket by naming another address"
    );
    retry_after(&r);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_past_max_in_flight_is_shed_with_503_then_the_server_answers() {
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        max_in_flight: 1,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let mut shed = 0;
    let mut answered = 0;
    // Concurrency is up to the scheduler: flood again until some are shed.
    for _round in 0..20 {
        let flood = (0..50).map(|_| {
            let client = reqwest::Client::new();
            let url = url.clone();
            tokio::spawn(async move {
                let r = client
                    .post(&url)
                    .json(&json!({ "query": PRODUCT_QUESTION }))
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let retry = (status == 503).then(|| retry_after(&r));
                let body: Value = r.json().await.unwrap();
                (status, retry, body)
            })
        });
        for outcome in futures_util::future::join_all(flood).await {
            let (status, _retry, body) = outcome.unwrap();
            match status {
                200 => {
                    assert_product_answer(status, &body).unwrap();
                    answered += 1;
                }
                503 => {
                    shed += 1;
                    let code = body["errors"][0]["extensions"]["code"]
                        .as_str()
                        .unwrap_or("");
                    assert!(!code.is_empty(), "a 503 without a code: {body}");
                    assert!(
                        numbers(body["errors"][0]["message"].as_str().unwrap()).contains(&1),
                        "the message states the limit: {body}"
                    );
                }
                other => panic!("status {other}: {body}"),
            }
        }
        if shed > 0 {
            break;
        }
    }
    assert!(shed > 0, "nothing was shed ({answered} answered)");
    assert!(answered > 0, "nothing was answered");
    // After the flood, an honest request is answered.
    s.data(PRODUCT_QUESTION).await;
    let text = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let counted = metric(&text, "asean_graph_refused_total{limit=\"concurrency\"}").unwrap_or(0.0);
    assert!(counted >= shed as f64, "{counted} < {shed}:\n{text}");
}

/// A request whose body never arrives (slowloris) is stopped at the body timeout with 408,
/// before it takes an in-flight slot, and the server keeps answering others.
#[tokio::test]
async fn a_request_whose_body_never_arrives_is_stopped_with_408() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        body_timeout: std::time::Duration::from_millis(300),
        ..Config::default()
    })
    .await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(
            b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
              Connection: close\r\nContent-Length: 100\r\n\r\n{\"query\": ",
        )
        .await
        .unwrap();
    // The rest of the body never comes; the answer must (the outer bound is only so that a
    // broken server fails the test instead of hanging it).
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(60),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("the server never stopped the request")
    .unwrap();
    let answer = String::from_utf8_lossy(&answer).to_string();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert!(
        numbers(body["errors"][0]["message"].as_str().unwrap()).contains(&300),
        "the message states the limit: {body}"
    );
    s.data(r#"{ member(code: "VNM") { name } }"#).await;
}

/// A query that takes longer than the request timeout is stopped: with a timeout of 1 ns, every
/// request that does any work is past it.
#[tokio::test]
async fn a_query_past_the_timeout_is_stopped_with_503() {
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        request_timeout: std::time::Duration::from_nanos(1),
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = s
            .client
            .post(&url)
            .json(&json!({ "query": PRODUCT_QUESTION }))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        statuses.push(status);
        if status == 503 {
            retry_after(&r);
        }
    }
    assert!(
        statuses.iter().all(|&s| s == 503),
        "not stopped: {statuses:?}"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_with_a_graphql_error() {
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        max_body_bytes: 4096,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    // Under the limit: fine.
    let small = json!({ "query": oversized(3000) }).to_string();
    assert!(small.len() < 4096);
    let r = s
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body(small)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for accept in ["application/json", "application/graphql-response+json"] {
        let big = json!({ "query": oversized(10_000) }).to_string();
        let r = s
            .client
            .post(&url)
            .header("content-type", "application/json")
            .header("accept", accept)
            .body(big)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413, "{accept}");
        let body: Value = r.json().await.unwrap();
        let code = body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("");
        assert!(!code.is_empty(), "{accept}: {body}");
        assert!(
            numbers(body["errors"][0]["message"].as_str().unwrap()).contains(&4096),
            "the message states the limit: {body}"
        );
    }
    // The default limit (256 KiB) too.
    let d = TestServer::start().await;
    let huge = json!({ "query": "{ __typename }", "variables": { "x": "y".repeat(300 * 1024) } })
        .to_string();
    let r = d
        .client
        .post(format!("{}/graphql", d.base))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["errors"][0]["extensions"]["code"].is_string(),
        "{body}"
    );
}
