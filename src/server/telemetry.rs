//! Distributed tracing: a span per request (continuing the caller's W3C `traceparent`), the
//! GraphQL layer's span per operation inside it, and the store's reads inside that; exported
//! to an OpenTelemetry collector over OTLP/HTTP when `--otlp-endpoint` is set.
//!
//! Everything here is off unless [`super::Config::trace`] is set: no request span, no
//! operation span, no header parsed, and the subscriber has no OpenTelemetry layer, so the
//! store's `debug` spans are never enabled either.

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::{TraceContextExt, TracerProvider as _};
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::time::Duration;
use tracing::Instrument;
use tracing::field::Empty;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::registry::LookupSpan;

/// The target of the server's spans.
pub const TARGET: &str = "asean_graph::server";

/// The service name spans are exported under.
pub const SERVICE: &str = "asean-graph";

/// How long one export may take (and the flush at shutdown waits at most about this long).
const EXPORT_TIMEOUT: Duration = Duration::from_secs(5);

/// The caller's trace, from a valid W3C `traceparent` header (and its `tracestate`); `None`
/// when there is none or it is malformed: the request then starts a trace of its own.
pub fn remote_parent(headers: &HeaderMap) -> Option<opentelemetry::Context> {
    if !headers.contains_key("traceparent") {
        return None;
    }
    let cx = TraceContextPropagator::new().extract(&Headers(headers));
    cx.span().span_context().is_valid().then_some(cx)
}

/// Request headers as the propagator reads them.
struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}

/// A server span under the caller's trace, if the request carries one.
pub fn continue_trace(span: &tracing::Span, parent: Option<opentelemetry::Context>) {
    if let Some(parent) = parent {
        // Fails only when no OpenTelemetry layer listens: then there is no trace to continue.
        let _ = span.set_parent(parent);
    }
}

/// Middleware: the request's span, `POST /graphql` and the like, with its method, route and
/// status; a child of the caller's span when the request carries a `traceparent`.
pub async fn trace_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = super::logging::route(request.uri().path());
    let span = tracing::info_span!(
        target: TARGET,
        "request",
        otel.name = format!("{method} {route}"),
        otel.kind = "server",
        http.request.method = %method,
        http.route = route,
        http.response.status_code = Empty,
        otel.status_code = Empty,
    );
    continue_trace(&span, remote_parent(request.headers()));
    let response = next.run(request).instrument(span.clone()).await;
    // As i64: OpenTelemetry has no unsigned integers (a u64 would arrive as text).
    span.record(
        "http.response.status_code",
        i64::from(response.status().as_u16()),
    );
    if response.status().is_server_error() {
        span.record("otel.status_code", "error");
    }
    response
}

/// The layer that makes OpenTelemetry spans of this crate's spans (request, operation, store
/// reads, `debug` and above) through `tracer`, with its warnings and errors as span events.
/// Nothing else reaches it: not other crates' spans, nor the log lines.
pub fn layer<S>(tracer: opentelemetry_sdk::trace::Tracer) -> impl Layer<S> + Send + Sync + 'static
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a> + Send + Sync,
{
    tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_location(false)
        .with_threads(false)
        // No busy/idle timings, and no OpenTelemetry context made current on each enter
        // (nothing here reads it): an OpenTelemetry span is then built when its first child
        // is, or when it ends, so a name or attribute recorded before that (the operation's
        // name, known once parsed) still counts.
        .with_tracked_inactivity(false)
        .with_context_activation(false)
        .with_filter(filter_fn(|meta| {
            meta.target().starts_with("asean_graph")
                && if meta.is_span() {
                    *meta.level() <= tracing::Level::DEBUG
                } else {
                    *meta.level() <= tracing::Level::WARN
                }
        }))
}

/// Where spans are sent: a collector's OTLP/HTTP traces URL. A URL with no path gets the
/// standard `/v1/traces`. Only `http://`: this build has no TLS stack (a collector nearby,
/// e.g. a sidecar, forwards over TLS).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint(String);

impl Endpoint {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Endpoint {
    type Err = String;

    fn from_str(text: &str) -> Result<Endpoint, String> {
        let example = "e.g. http://127.0.0.1:4318";
        let uri: axum::http::Uri = text
            .parse()
            .map_err(|e| format!("`{text}` is not a URL ({e}); {example}"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => {
                return Err(format!(
                    "`{text}`: https is not supported (this build has no TLS stack); send to a \
                     collector over http://, {example}"
                ));
            }
            Some(other) => {
                return Err(format!(
                    "`{text}`: the scheme must be http, not {other}; {example}"
                ));
            }
            None => return Err(format!("`{text}` is not an http:// URL; {example}")),
        }
        if uri.host().is_none_or(str::is_empty) {
            return Err(format!("`{text}` names no host; {example}"));
        }
        let text = text.trim_end_matches('/');
        Ok(match uri.path() {
            "" | "/" => Endpoint(format!("{text}/v1/traces")),
            _ => Endpoint(text.to_owned()),
        })
    }
}

/// The OTLP exporter: spans batched on the Tokio runtime and sent over HTTP/protobuf.
pub struct Exporter {
    provider: SdkTracerProvider,
}

impl Exporter {
    /// Starts the exporter. Call it within the Tokio runtime the server runs on (the batch
    /// is sent from a task of it), and [`Exporter::shutdown`] before that runtime stops.
    pub fn start(endpoint: &Endpoint) -> Result<Exporter, String> {
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_protocol(Protocol::HttpBinary)
            .with_endpoint(endpoint.as_str())
            .with_timeout(EXPORT_TIMEOUT)
            .build()
            .map_err(|e| format!("the OTLP exporter to {endpoint}: {e}"))?;
        let batch =
            opentelemetry_sdk::trace::span_processor_with_async_runtime::BatchSpanProcessor::builder(
                exporter,
                opentelemetry_sdk::runtime::Tokio,
            )
            .build();
        let resource = opentelemetry_sdk::Resource::builder()
            .with_service_name(SERVICE)
            .with_attribute(opentelemetry::KeyValue::new(
                "service.version",
                env!("CARGO_PKG_VERSION"),
            ))
            .build();
        let provider = SdkTracerProvider::builder()
            .with_span_processor(batch)
            .with_resource(resource)
            .build();
        Ok(Exporter { provider })
    }

    /// The tracer for [`layer`].
    pub fn tracer(&self) -> opentelemetry_sdk::trace::Tracer {
        self.provider.tracer(SERVICE)
    }

    /// Sends the spans still batched and stops. Call it from outside the runtime's tasks
    /// (it blocks until the batch task, running on the runtime, has sent them).
    pub fn shutdown(self) {
        match self.provider.shutdown() {
            Ok(()) => tracing::info!("trace exporter flushed"),
            Err(error) => tracing::warn!(%error, "trace exporter: the last spans were not sent"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_is_an_http_url_and_gets_the_traces_path() {
        let ok = |t: &str| t.parse::<Endpoint>().unwrap().0;
        assert_eq!(
            ok("http://127.0.0.1:4318"),
            "http://127.0.0.1:4318/v1/traces"
        );
        assert_eq!(
            ok("http://collector:4318/"),
            "http://collector:4318/v1/traces"
        );
        assert_eq!(ok("http://c:4318/custom/path"), "http://c:4318/custom/path");
        for bad in [
            "not-a-url",
            "",
            "https://c:4318",
            "ftp://c",
            "http://",
            "c:4318",
        ] {
            let e = bad.parse::<Endpoint>().unwrap_err();
            assert!(e.contains("http://"), "{bad}: {e}");
        }
    }
}
