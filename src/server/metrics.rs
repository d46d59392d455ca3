//! `/metrics` in the Prometheus text format: requests by operation and status, a latency
//! histogram, GraphQL errors by code, requests refused by each limit, store size and record
//! counts, open subscriptions.
//!
//! Written here rather than with prometheus-client: its encoder writes OpenMetrics, whose
//! counter HELP/TYPE lines drop `_total` (it refuses names ending in it), whose buckets read
//! `le="1.0"` where ours read `le="1"`, which ends in `# EOF` and lists label sets in hash
//! order, so the lines dashboards and scrapers read today would all change.

use super::AppState;
use super::connections::Connections;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Distinct operation names kept as labels; later ones count as `other`.
const MAX_OPERATIONS: usize = 200;

/// The GraphQL error codes of a response, for the metrics.
#[derive(Clone, Debug, Default)]
pub struct ErrorCodes(pub Vec<String>);

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<HashMap<(String, String, u16), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_micros: AtomicU64,
    errors: Mutex<HashMap<String, u64>>,
    refused: Mutex<HashMap<&'static str, u64>>,
    pub subscriptions: AtomicI64,
    /// The connections the listener holds, once it has said which (`count_connections`).
    connections: OnceLock<Arc<Connections>>,
}

fn label(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ',' | '/' | '-'))
        .take(64)
        .collect()
}

impl Metrics {
    /// Reports `connections`' open count as `asean_graph_connections_open`.
    pub fn count_connections(&self, connections: Arc<Connections>) {
        let _ = self.connections.set(connections);
    }

    pub fn record(
        &self,
        path: &str,
        operation: &str,
        status: u16,
        took: Duration,
        errors: Option<&ErrorCodes>,
        refused: Option<&'static str>,
    ) {
        {
            let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
            let mut op = label(operation);
            let known = requests.keys().any(|(_, o, _)| *o == op);
            if !known && requests.len() >= MAX_OPERATIONS {
                op = "other".into();
            }
            *requests.entry((label(path), op, status)).or_default() += 1;
        }
        let secs = took.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_micros.fetch_add(
            u64::try_from(took.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        if let Some(codes) = errors {
            let mut errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
            for code in &codes.0 {
                *errors.entry(label(code)).or_default() += 1;
            }
            let mut refusals = self.refused.lock().unwrap_or_else(|p| p.into_inner());
            for code in &codes.0 {
                let limit = match code.as_str() {
                    "QUERY_TOO_DEEP" => "depth",
                    "QUERY_TOO_COMPLEX" => "complexity",
                    _ => continue,
                };
                *refusals.entry(limit).or_default() += 1;
            }
        }
        if let Some(limit) = refused {
            self.refuse(limit);
        }
    }

    /// Counts a refusal outside an HTTP request (on `/ws`) under `limit`.
    pub fn refuse(&self, limit: &'static str) {
        *self
            .refused
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(limit)
            .or_default() += 1;
    }

    fn render(&self, counts: &[(String, usize)], edges: usize, size: u64) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP asean_graph_requests_total HTTP requests by path, GraphQL operation and status."
        );
        let _ = writeln!(out, "# TYPE asean_graph_requests_total counter");
        let mut rows: Vec<_> = self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        rows.sort();
        for ((path, op, status), n) in rows {
            let _ = writeln!(
                out,
                "asean_graph_requests_total{{path=\"{path}\",operation=\"{op}\",status=\"{status}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP asean_graph_request_duration_seconds Time to answer a request."
        );
        let _ = writeln!(out, "# TYPE asean_graph_request_duration_seconds histogram");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "asean_graph_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "asean_graph_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "asean_graph_request_duration_seconds_sum {}",
            Duration::from_micros(self.latency_micros.load(Ordering::Relaxed)).as_secs_f64()
        );
        let _ = writeln!(out, "asean_graph_request_duration_seconds_count {count}");
        let _ = writeln!(
            out,
            "# HELP asean_graph_errors_total GraphQL errors by code."
        );
        let _ = writeln!(out, "# TYPE asean_graph_errors_total counter");
        let mut errors: Vec<_> = self
            .errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        errors.sort();
        for (code, n) in errors {
            let _ = writeln!(out, "asean_graph_errors_total{{code=\"{code}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP asean_graph_refused_total Requests refused, by the limit that refused them."
        );
        let _ = writeln!(out, "# TYPE asean_graph_refused_total counter");
        let refused = self
            .refused
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for limit in [
            "rate",
            "concurrency",
            "timeout",
            "body_size",
            "body_timeout",
            "depth",
            "complexity",
            "trusted_documents",
            "connections",
            "connections_per_client",
        ] {
            let n = refused.get(limit).copied().unwrap_or(0);
            let _ = writeln!(out, "asean_graph_refused_total{{limit=\"{limit}\"}} {n}");
        }
        let connections = self.connections.get().map_or(0, |c| c.open());
        let subscriptions = self.subscriptions.load(Ordering::Relaxed);
        for (name, help, value) in [
            (
                "connections_open",
                "TCP connections open (WebSocket ones included).",
                connections.to_string(),
            ),
            (
                "subscriptions_open",
                "WebSocket connections open.",
                subscriptions.to_string(),
            ),
            (
                "store_bytes",
                "Size of the store on disk.",
                size.to_string(),
            ),
        ] {
            let _ = writeln!(out, "# HELP asean_graph_{name} {help}");
            let _ = writeln!(out, "# TYPE asean_graph_{name} gauge");
            let _ = writeln!(out, "asean_graph_{name} {value}");
        }
        let _ = writeln!(
            out,
            "# HELP asean_graph_records Records in the store, by kind (sampled every 10 s)."
        );
        let _ = writeln!(out, "# TYPE asean_graph_records gauge");
        for (kind, n) in counts {
            let _ = writeln!(out, "asean_graph_records{{kind=\"{kind}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP asean_graph_edges Relationships in the store (sampled every 10 s)."
        );
        let _ = writeln!(out, "# TYPE asean_graph_edges gauge");
        let _ = writeln!(out, "asean_graph_edges {edges}");
        out
    }
}

pub async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let (counts, edges) = super::health::counts(&state).await.unwrap_or_default();
    let size = state.store.size_on_disk().unwrap_or(0);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&counts, edges, size),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines dashboards and scrapers read: names, HELP and TYPE, label order, `le`.
    #[test]
    fn the_exposition_keeps_its_names_and_format() {
        let metrics = Metrics::default();
        metrics.record(
            "/graphql",
            "Members",
            200,
            Duration::from_millis(3),
            None,
            None,
        );
        metrics.record(
            "/graphql",
            "",
            429,
            Duration::from_secs(1),
            Some(&ErrorCodes(vec!["RATE_LIMITED".into()])),
            Some("rate"),
        );
        let text = metrics.render(&[("member".into(), 10)], 42, 4096);
        for line in [
            "# HELP asean_graph_requests_total HTTP requests by path, GraphQL operation and status.",
            "# TYPE asean_graph_requests_total counter",
            "asean_graph_requests_total{path=\"/graphql\",operation=\"\",status=\"429\"} 1",
            "asean_graph_requests_total{path=\"/graphql\",operation=\"Members\",status=\"200\"} 1",
            "# TYPE asean_graph_request_duration_seconds histogram",
            "asean_graph_request_duration_seconds_bucket{le=\"0.0025\"} 0",
            "asean_graph_request_duration_seconds_bucket{le=\"0.005\"} 1",
            "asean_graph_request_duration_seconds_bucket{le=\"1\"} 2",
            "asean_graph_request_duration_seconds_bucket{le=\"+Inf\"} 2",
            "asean_graph_request_duration_seconds_sum 1.003",
            "asean_graph_request_duration_seconds_count 2",
            "asean_graph_errors_total{code=\"RATE_LIMITED\"} 1",
            "asean_graph_refused_total{limit=\"rate\"} 1",
            "asean_graph_refused_total{limit=\"trusted_documents\"} 0",
            "asean_graph_connections_open 0",
            "asean_graph_subscriptions_open 0",
            "asean_graph_store_bytes 4096",
            "asean_graph_records{kind=\"member\"} 10",
            "asean_graph_edges 42",
        ] {
            assert!(text.lines().any(|l| l == line), "no {line:?} in:\n{text}");
        }
        assert!(!text.contains("# EOF"), "{text}");
    }
}
