//! One log line per request (method, path, operation name, status, duration), and the same
//! facts into the metrics.

use super::AppState;
use super::guard::Refused;
use super::http::OperationName;
use super::metrics::ErrorCodes;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use std::time::Instant;

pub async fn log_request(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let took = started.elapsed();
    let operation = response
        .extensions()
        .get::<OperationName>()
        .map_or("-", |o| o.0.as_str());
    let status = response.status().as_u16();
    tracing::info!(
        %method,
        %path,
        operation,
        status,
        micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    state.metrics.record(
        route(&path),
        operation,
        status,
        took,
        response.extensions().get::<ErrorCodes>(),
        response.extensions().get::<Refused>().map(|r| r.0),
    );
    response
}

/// The route a path is counted (and traced) under: the server's own paths, and `other` for
/// any path a client makes up (which would otherwise grow the metrics without bound).
pub fn route(path: &str) -> &str {
    match path {
        "/graphql" | "/ws" | "/health" | "/metrics" | "/" | "/explore" => path,
        p if p.starts_with("/graphiql/") => "/graphiql",
        p if p.starts_with("/explore/") => "/explore",
        _ => "other",
    }
}
