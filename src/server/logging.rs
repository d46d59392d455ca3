//! One log line per request: method, path, operation name, status, duration.

use super::http::OperationName;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let operation = response
        .extensions()
        .get::<OperationName>()
        .map_or("-", |o| o.0.as_str());
    tracing::info!(
        %method,
        %path,
        operation,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}
