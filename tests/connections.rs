//! Connections are held to their limits: a header timeout that also closes idle kept-alive
//! connections, caps per client and in all, slow bodies that hold no in-flight slot, and a
//! shutdown no slow client can put off. Raw TCP clients against the real server.

use asean_graph::server::{self, Config};
use asean_graph::store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A server over an empty store, with its task and the switch that stops it.
struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start(config: Config) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server::serve_on(listener, store, config, async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            stop: Some(stop),
            task,
            _dir: dir,
        }
    }

    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.addr).await.unwrap()
    }

    /// Waits, at most 5 s, until the server holds at least `n` connections besides the one
    /// that asks it (`asean_graph_connections_open` in `/metrics`): the condition a test
    /// needs before it goes on, rather than a pause that may be too short.
    async fn holds(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let mut scrape = self.connect().await;
            scrape
                .write_all(b"GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
                .await
                .unwrap();
            let mut text = String::new();
            scrape.read_to_string(&mut text).await.unwrap();
            let open = text
                .lines()
                .find_map(|l| l.strip_prefix("asean_graph_connections_open "))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .expect("no asean_graph_connections_open in /metrics");
            if open > n {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "after 5 s the server holds {open} connections with the one asking, not {n} besides it"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Tests send many requests from one address.
fn config() -> Config {
    Config {
        rate_limit: 0.0,
        ..Config::default()
    }
}

/// Headers must arrive within 1.5 s: short for a test, long beside the pauses below even on
/// a loaded machine.
fn short_header_timeout() -> Config {
    Config {
        header_timeout: Duration::from_millis(1_500),
        ..config()
    }
}

const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n";

/// Reads one response (headers and a `Content-Length` body); its status code.
async fn read_response(stream: &mut TcpStream) -> u16 {
    read_response_body(stream).await.0
}

/// Reads one response (headers and a `Content-Length` body); its status code and body.
async fn read_response_body(stream: &mut TcpStream) -> (u16, String) {
    let mut received = Vec::new();
    let mut byte = [0u8; 1];
    while !received.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).await.unwrap();
        assert_eq!(
            n,
            1,
            "closed before a response: {:?}",
            String::from_utf8_lossy(&received)
        );
        received.push(byte[0]);
    }
    let head = String::from_utf8(received).unwrap().to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.unwrap();
    (
        head[9..12].parse().unwrap(),
        String::from_utf8(body).unwrap(),
    )
}

/// How long until the server closes `stream` (reading and dropping whatever it sends),
/// or `None` if it is still open after `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut sink = [0u8; 1024];
    tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => return started.elapsed(),
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
}

#[tokio::test]
async fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let server = Server::start(short_header_timeout()).await;
    let mut stream = server.connect().await;
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: test\r\n")
        .await
        .unwrap();
    let closed = closed_within(&mut stream, Duration::from_secs(5)).await;
    let closed = closed.expect("the half-sent request is still open after 5 s");
    assert!(
        closed >= Duration::from_millis(1_200),
        "closed early: {closed:?}"
    );
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_after_the_header_timeout() {
    let server = Server::start(short_header_timeout()).await;
    let mut stream = server.connect().await;
    // Kept alive: two requests on one connection, the second after a pause.
    stream.write_all(HEALTH).await.unwrap();
    assert_eq!(read_response(&mut stream).await, 200);
    tokio::time::sleep(Duration::from_millis(100)).await;
    stream.write_all(HEALTH).await.unwrap();
    assert_eq!(read_response(&mut stream).await, 200);
    let closed = closed_within(&mut stream, Duration::from_secs(6)).await;
    assert!(
        closed.is_some(),
        "the idle connection is still open after 6 s"
    );
}

/// Starts a server with `config`, opens `cap` connections to it, checks that one more is
/// closed at once while those `cap` still get answers, and returns them.
async fn the_next_is_closed_at_once(config: Config, cap: usize) -> (Server, Vec<TcpStream>) {
    let server = Server::start(config).await;
    let mut admitted = Vec::new();
    for _ in 0..cap {
        admitted.push(server.connect().await);
    }
    let mut over = server.connect().await;
    let closed = closed_within(&mut over, Duration::from_secs(1)).await;
    assert!(closed.is_some(), "connection {} is still open", cap + 1);
    for stream in &mut admitted {
        stream.write_all(HEALTH).await.unwrap();
        assert_eq!(read_response(stream).await, 200);
    }
    (server, admitted)
}

#[tokio::test]
async fn a_connection_past_the_per_client_cap_is_closed_at_once() {
    let per_client = Config {
        max_connections_per_client: 3,
        ..config()
    };
    let (_server, mut admitted) = the_next_is_closed_at_once(per_client, 3).await;
    admitted[0]
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let mut metrics = vec![0u8; 64 * 1024];
    let n = admitted[0].read(&mut metrics).await.unwrap();
    let text = String::from_utf8_lossy(&metrics[..n]);
    assert!(
        text.contains("asean_graph_refused_total{limit=\"connections_per_client\"} 1"),
        "{text}"
    );
}

#[tokio::test]
async fn a_connection_past_the_total_cap_is_closed_at_once() {
    let total = Config {
        max_connections: 2,
        ..config()
    };
    let (server, mut admitted) = the_next_is_closed_at_once(total, 2).await;
    // A closed connection frees its place (as soon as the server has seen it close).
    admitted.pop();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let mut next = server.connect().await;
        if closed_within(&mut next, Duration::from_millis(100))
            .await
            .is_none()
        {
            next.write_all(HEALTH).await.unwrap();
            assert_eq!(read_response(&mut next).await, 200);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the closed connection's place was not freed within 5 s"
        );
    }
}

#[tokio::test]
async fn a_client_dripping_headers_cannot_hold_off_shutdown() {
    let mut server = Server::start(Config {
        header_timeout: Duration::from_secs(60),
        ..config()
    })
    .await;
    let mut stream = server.connect().await;
    stream.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
    let drip = tokio::spawn(async move {
        for i in 0..100 {
            if stream
                .write_all(format!("X-{i}: a\r\n").as_bytes())
                .await
                .is_err()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    server.holds(1).await;
    let started = Instant::now();
    server.stop.take().unwrap().send(()).unwrap();
    let stopped = tokio::time::timeout(Duration::from_secs(8), &mut server.task).await;
    assert!(
        stopped.is_ok(),
        "still serving {:?} after the stop",
        started.elapsed()
    );
    stopped.unwrap().unwrap().unwrap();
    drip.abort();
}

/// A POST to `/graphql` whose 36-byte body stops after 5 bytes.
const SLOW_POST: &[u8] = b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 36\r\n\r\n{\"que";

#[tokio::test]
async fn slow_bodies_hold_no_in_flight_slot() {
    let server = Server::start(Config {
        max_connections_per_client: 200,
        ..config()
    })
    .await;
    let mut slow = Vec::new();
    for _ in 0..server::Config::default().max_in_flight + 6 {
        let mut stream = server.connect().await;
        stream.write_all(SLOW_POST).await.unwrap();
        slow.push(stream);
    }
    server.holds(slow.len()).await;
    let query = br#"{"query":"{ __typename }"}"#;
    let mut honest = server.connect().await;
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        query.len()
    );
    honest.write_all(head.as_bytes()).await.unwrap();
    honest.write_all(query).await.unwrap();
    let (status, body) = read_response_body(&mut honest).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("__typename"), "{body}");
}
