//! The accept loop, in place of `axum::serve`: each TCP connection is admitted under the
//! connection caps ([`Connections`]) and served by hyper's HTTP/1 server with a header read
//! timeout, which hyper also runs while a kept-alive connection waits for its next request
//! (it starts the timer whenever it begins to read a request head), so an idle or
//! half-sent connection is closed after it.
//!
//! hyper-util's `auto` builder is not used: it first waits for the bytes that tell HTTP/2
//! from HTTP/1 with no timeout of its own, and the server speaks HTTP/1 only.

use super::connections::{Admitted, Connections, OverCap};
use super::metrics::Metrics;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

/// Once the server stops, how long a connection running no request may stay open: one
/// still sending its headers is closed then, however slowly it sends them.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// How often a connection past [`SHUTDOWN_GRACE`] checks whether its request has finished.
const SHUTDOWN_POLL: Duration = Duration::from_millis(50);
/// The pause after a failed accept (out of file descriptors, say), so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// What each connection is held to.
pub struct Limits {
    /// How long a request's headers may take to arrive, counted from when the connection
    /// opens or its previous response was sent.
    pub header_timeout: Duration,
    pub connections: Arc<Connections>,
}

/// Accepts and serves connections until `shutdown` completes; then stops accepting, lets
/// each connection finish the request it is running and waits for them all to close.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()>,
) {
    let (stop, stopping) = watch::channel(false);
    // Every connection holds a receiver; the sender sees them all dropped when all closed.
    let (all_closed, open) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "accept error");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        let admitted = match limits.connections.admit(peer.ip()) {
            Ok(admitted) => admitted,
            Err(over) => {
                metrics.refuse(match over {
                    OverCap::Total => "connections",
                    OverCap::PerClient => "connections_per_client",
                });
                tracing::debug!(%peer, ?over, "connection refused");
                continue;
            }
        };
        tokio::spawn(serve_connection(
            AdmittedStream {
                stream,
                _admitted: admitted,
            },
            peer,
            app.clone(),
            limits.header_timeout,
            stopping.clone(),
            open.clone(),
        ));
    }
    drop(listener);
    stop.send_replace(true);
    drop(open);
    all_closed.closed().await;
}

/// Serves one connection until it closes, or until shutdown and then the end of its
/// request (at least [`SHUTDOWN_GRACE`] after shutdown for one running none).
async fn serve_connection(
    stream: AdmittedStream,
    peer: SocketAddr,
    app: Router,
    header_timeout: Duration,
    mut stopping: watch::Receiver<bool>,
    _open: watch::Receiver<()>,
) {
    let running = Arc::new(AtomicUsize::new(0));
    let service = hyper::service::service_fn({
        let running = Arc::clone(&running);
        move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let running = Running::start(&running);
            let app = app.clone();
            async move {
                let response = app.oneshot(request.map(Body::new)).await;
                drop(running);
                response
            }
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let connection = builder
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%peer, %error, "connection ended");
            }
            return;
        }
        _ = stopping.wait_for(|stop| *stop) => {}
    }
    connection.as_mut().graceful_shutdown();
    let grace = tokio::time::sleep(SHUTDOWN_GRACE);
    tokio::pin!(grace);
    loop {
        tokio::select! {
            _ = connection.as_mut() => return,
            () = &mut grace => {
                if running.load(Ordering::Acquire) == 0 {
                    return;
                }
                grace.as_mut().reset(tokio::time::Instant::now() + SHUTDOWN_POLL);
            }
        }
    }
}

/// A request being answered on a connection (until its response head is ready).
struct Running(Arc<AtomicUsize>);

impl Running {
    fn start(count: &Arc<AtomicUsize>) -> Running {
        count.fetch_add(1, Ordering::AcqRel);
        Running(Arc::clone(count))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A connection's socket holding its place under the caps: the place is freed when the
/// socket closes, which for a `/ws` socket is after hyper has handed it to the WebSocket.
struct AdmittedStream {
    stream: TcpStream,
    _admitted: Admitted,
}

impl AsyncRead for AdmittedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for AdmittedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
