//! A keep-alive connection outlives a request answered before its body was read: a refusal
//! (429, 503, 406, 415, 413, 408) or a handler stopped at its deadline. hyper keeps such a
//! connection open only if the whole body had already arrived, and otherwise closes it
//! without saying so: the client then writes its next request into a closed socket. So the
//! body a handler leaves is read and dropped once the response is ready (up to the body
//! limit, within [`DRAIN_WAIT`]); one too large or too slow is not waited for, and the
//! response says `Connection: close` instead.

use super::AppState;
use axum::body::{Body, BodyDataStream, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Version, header};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

/// How long the rest of a body may take to arrive once the response is ready.
const DRAIN_WAIT: Duration = Duration::from_secs(1);

/// The middleware: the handler reads the body through a shared stream, and what it leaves
/// is drained here.
pub async fn drain_unread_body(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let http1 = request.version() <= Version::HTTP_11;
    let (parts, body) = request.into_parts();
    let shared = Arc::new(Mutex::new(body.into_data_stream()));
    let handed = futures_util::stream::unfold(Arc::clone(&shared), |stream| async move {
        let chunk = stream.lock().await.next().await;
        chunk.map(|c| (c, stream))
    });
    let mut response = next
        .run(Request::from_parts(parts, Body::from_stream(handed)))
        .await;
    let mut rest = shared.lock().await;
    let drained = tokio::time::timeout(DRAIN_WAIT, drain(&mut rest, state.config.max_body_bytes));
    if http1 && !matches!(drained.await, Ok(true)) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Reads what is left of `body`; `false` if it fails or holds more than `limit` bytes.
async fn drain(body: &mut BodyDataStream, limit: usize) -> bool {
    let mut left = limit;
    while let Some(chunk) = body.next().await {
        match chunk.as_ref().map(Bytes::len) {
            Ok(n) if n <= left => left -= n,
            _ => return false,
        }
    }
    true
}
