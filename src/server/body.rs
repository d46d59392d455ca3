//! A POST to `/graphql` has its whole body read before the guard gives it an in-flight
//! slot, so a client sending its body slowly holds no slot while it does (an outside test
//! took all 64 with 64 POSTs that sent 5 bytes of 36). The body must come within the body
//! timeout (408 otherwise) and stay within `--max-body` (413).

use super::AppState;
use super::guard::Refused;
use super::http::{Media, error_response, negotiate};
use crate::graphql::error::BAD_USER_INPUT;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The middleware: reads a POST body into memory, then passes the request on.
pub async fn read_body(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let media = negotiate(request.headers()).unwrap_or(Media::Json);
    let limit = state.config.max_body_bytes;
    // A body announced larger than the limit is refused before a byte of it is read.
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| usize::try_from(n).map_or(true, |n| n > limit)) {
        return too_large(media, limit);
    }
    let (parts, body) = request.into_parts();
    let wait = state.config.body_timeout;
    match tokio::time::timeout(wait, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        // Past the limit (or the client went away, and reads no answer anyway).
        Ok(Err(_)) => too_large(media, limit),
        Err(_) => {
            let mut response = error_response(
                StatusCode::REQUEST_TIMEOUT,
                media,
                BAD_USER_INPUT,
                &format!(
                    "the request body did not arrive within {} ms",
                    wait.as_millis()
                ),
            );
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response.extensions_mut().insert(Refused("body_timeout"));
            response
        }
    }
}

/// 413: a body past `--max-body` (announced or read).
pub fn too_large(media: Media, limit: usize) -> Response {
    let mut response = error_response(
        StatusCode::PAYLOAD_TOO_LARGE,
        media,
        BAD_USER_INPUT,
        &format!("the request body is larger than the limit of {limit} bytes"),
    );
    response.extensions_mut().insert(Refused("body_size"));
    response
}
