//! `/health`: whether the store is readable, and what it holds.

use super::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counting records reads every key, so counts are taken at most this often.
const COUNT_EVERY: Duration = Duration::from_secs(10);

#[derive(Default)]
pub struct Cache(Mutex<Option<(Instant, Value)>>);

pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let store = std::sync::Arc::clone(&state.store);
    let cache = std::sync::Arc::clone(&state.health);
    let result = tokio::task::spawn_blocking(move || {
        // A read that touches the store proves it readable.
        store.is_empty()?;
        let mut cached = cache.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, value)) = cached.as_ref()
            && at.elapsed() < COUNT_EVERY
        {
            return Ok(value.clone());
        }
        let counts = store.counts();
        let records: serde_json::Map<String, Value> = counts
            .nodes
            .iter()
            .map(|(k, n)| (k.noun().to_owned(), json!(n)))
            .collect();
        let value = json!({ "records": records, "edges": counts.edges });
        *cached = Some((Instant::now(), value.clone()));
        Ok::<_, crate::store::StoreError>(value)
    })
    .await;
    match result {
        Ok(Ok(counts)) => (
            StatusCode::OK,
            Json(json!({ "status": "ok", "store": "readable", "counts": counts })),
        ),
        Ok(Err(e)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "error", "store": e.to_string() })),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "error", "store": "health check failed" })),
        ),
    }
}
