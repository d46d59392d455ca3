//! One keep-alive connection through refusals, over raw HTTP/1.1 on a real socket: a request
//! the server turns away (429, 503) is answered, and the connection then carries the
//! client's next request, or the answer says `Connection: close`. It used to close after a
//! few 429s without saying so, and the client's next request met a broken pipe.

use crate::common::TestServer;
use asean_graph::server::Config;
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// How long one answer may take before the test fails.
const WAIT: Duration = Duration::from_secs(10);

/// One answer: its status and whether it says `Connection: close`.
struct Answer {
    status: u16,
    closes: bool,
}

/// Reads one response (a `Content-Length` or chunked body); `Err` says what went wrong.
async fn read_answer(reader: &mut BufReader<TcpStream>) -> Result<Answer, String> {
    let mut line = String::new();
    let mut head = Vec::new();
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .await
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!("the connection ended after {head:?}"));
        }
        if line == "\r\n" {
            break;
        }
        head.push(line.trim_end().to_ascii_lowercase());
    }
    let status = head
        .first()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status line in {head:?}"))?;
    let header = |name: &str| {
        head.iter()
            .find_map(|h| h.strip_prefix(&format!("{name}: ")).map(str::to_owned))
    };
    if let Some(length) = header("content-length") {
        let mut body = vec![0; length.parse().map_err(|_| "a bad content-length")?];
        reader
            .read_exact(&mut body)
            .await
            .map_err(|e| e.to_string())?;
    } else if header("transfer-encoding").as_deref() == Some("chunked") {
        loop {
            line.clear();
            reader
                .read_line(&mut line)
                .await
                .map_err(|e| e.to_string())?;
            let size = usize::from_str_radix(line.trim(), 16).map_err(|_| "a bad chunk size")?;
            let mut chunk = vec![0; size + 2];
            reader
                .read_exact(&mut chunk)
                .await
                .map_err(|e| e.to_string())?;
            if size == 0 {
                break;
            }
        }
    }
    Ok(Answer {
        status,
        closes: header("connection").as_deref() == Some("close"),
    })
}

/// Sends `count` POSTs of `{ __typename }` with this `Content-Type` on one connection, the
/// body a moment after the head, as when a client's writes are split (the server answers
/// before the body has arrived); stops after an answer that says `Connection: close`.
/// Panics if the server closes the connection without saying so.
async fn on_one_connection(s: &TestServer, content_type: &str, count: usize) -> Vec<u16> {
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut reader = BufReader::new(TcpStream::connect(&addr).await.unwrap());
    let body = json!({ "query": "{ __typename }" }).to_string();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    let mut statuses = Vec::new();
    for i in 0..count {
        let sent = async {
            reader.get_mut().write_all(head.as_bytes()).await?;
            tokio::time::sleep(Duration::from_millis(20)).await;
            reader.get_mut().write_all(body.as_bytes()).await
        };
        let closed = |e: String| -> ! {
            panic!("request {i}: the server closed the connection without saying so: {e}")
        };
        sent.await.unwrap_or_else(|e| closed(e.to_string()));
        let answer = tokio::time::timeout(WAIT, read_answer(&mut reader))
            .await
            .unwrap_or_else(|_| panic!("request {i}: no answer"))
            .unwrap_or_else(|e| closed(e));
        statuses.push(answer.status);
        if answer.closes {
            break;
        }
    }
    statuses
}

#[tokio::test]
async fn rate_limited_answers_keep_the_connection_or_say_it_closes() {
    // One request a second, in bursts of two: the rest of these are refused with 429.
    let s = TestServer::start_with(Config {
        rate_limit: 1.0,
        ..Config::default()
    })
    .await;
    let statuses = on_one_connection(&s, "application/json", 8).await;
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(
        refused >= 3,
        "only {refused} requests were refused: {statuses:?}"
    );
}

/// Any answer given before the body is read, not only the guard's: here 415.
#[tokio::test]
async fn a_refused_content_type_keeps_the_connection_or_says_it_closes() {
    let s = TestServer::start().await;
    let statuses = on_one_connection(&s, "text/plain", 5).await;
    // The body arrives within moments, so the connection carries every request.
    assert_eq!(statuses, [415; 5]);
}
