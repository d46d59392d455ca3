//! `/health`: whether the store is readable, and what it holds.

use super::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Counting records reads every key, so counts are taken at most this often.
const COUNT_EVERY: Duration = Duration::from_secs(10);

type Sample = (Vec<(String, usize)>, usize);

#[derive(Default)]
pub struct Cache(Mutex<Option<(Instant, Sample)>>);

/// Records by kind and edges, at most [`COUNT_EVERY`] old; an error if the store cannot be
/// read.
pub async fn counts(state: &AppState) -> Result<Sample, String> {
    let store = Arc::clone(&state.store);
    let cache = Arc::clone(&state.health);
    tokio::task::spawn_blocking(move || {
        // A read that touches the store proves it readable.
        store.is_empty().map_err(|e| e.to_string())?;
        let mut cached = cache.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, sample)) = cached.as_ref()
            && at.elapsed() < COUNT_EVERY
        {
            return Ok(sample.clone());
        }
        let c = store.counts();
        let sample: Sample = (
            c.nodes
                .iter()
                .map(|(k, n)| (k.noun().to_owned(), *n))
                .collect(),
            c.edges,
        );
        *cached = Some((Instant::now(), sample.clone()));
        Ok(sample)
    })
    .await
    .map_err(|e| e.to_string())?
}

pub async fn health(State(state): State<Arc<AppState>>) -> (StatusCode, Json<Value>) {
    match counts(&state).await {
        Ok((records, edges)) => {
            let records: serde_json::Map<String, Value> =
                records.into_iter().map(|(k, n)| (k, json!(n))).collect();
            (
                StatusCode::OK,
                Json(json!({ "status": "ok", "store": "readable",
                             "counts": { "records": records, "edges": edges } })),
            )
        }
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "error", "store": e })),
        ),
    }
}
