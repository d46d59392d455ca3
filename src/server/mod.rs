//! The HTTP server: axum routes and tower-http layers around the GraphQL schema. A thin
//! shell: configuration in, the layers above do the work.

mod assets;
mod body;
mod connections;
mod etag;
mod guard;
mod headers;
mod health;
pub mod http;
mod keep_alive;
mod listener;
mod logging;
mod metrics;
mod persisted;
mod questions;
mod responses;
pub mod telemetry;
mod ws;

pub use headers::FrameAncestors;
pub use persisted::Manifest;

use crate::graphql::{self, AppSchema};
use crate::store::Store;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The request headers a browser app may send by default: the credentials and the body's
/// type, and the tracing and client headers the ecosystem's clients add (OpenTelemetry's
/// `traceparent` and `tracestate`, Apollo Client's name and version, a request id). A `*`
/// would not cover `authorization`, so they are named.
pub const DEFAULT_CORS_ALLOW_HEADERS: [&str; 8] = [
    "authorization",
    "content-type",
    "accept",
    "traceparent",
    "tracestate",
    "apollographql-client-name",
    "apollographql-client-version",
    "x-request-id",
];

/// Request header names as given on the command line (`--cors-allow-headers`), each
/// checked: the name that is not one is the error.
pub fn header_names(names: &[String]) -> Result<Vec<HeaderName>, String> {
    names
        .iter()
        .map(|name| {
            HeaderName::from_bytes(name.trim().as_bytes())
                .map_err(|_| format!("{name:?} is not a header name"))
        })
        .collect()
}

/// How the server runs. Every field has a safe default.
#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    /// Origins allowed by CORS; empty means any origin.
    pub cors_origins: Vec<String>,
    /// Request headers a browser app may send (CORS), by name: see
    /// [`DEFAULT_CORS_ALLOW_HEADERS`].
    pub cors_allow_headers: Vec<HeaderName>,
    /// The largest request body, in bytes.
    pub max_body_bytes: usize,
    /// The most requests in one batch.
    pub max_batch: usize,
    /// Tokens, whether reads need one, query limits, introspection.
    pub graphql: graphql::Options,
    /// Requests a second per client on `/graphql`; 0 turns the limit off.
    pub rate_limit: f64,
    /// Take the client's address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Requests run at once; more are turned away with 503.
    pub max_in_flight: usize,
    /// How long one request may take.
    pub request_timeout: Duration,
    /// Documents remembered for automatic persisted queries.
    pub apq_capacity: usize,
    /// With a manifest, only its documents run.
    pub trusted_documents: Option<Arc<Manifest>>,
    /// A fixed JSON body served at `/static.json`: the ceiling the load benchmark compares
    /// GraphQL answers of the same size against.
    pub static_json: Option<axum::body::Bytes>,
    /// Bytes of answers kept for repeated queries until the next write; 0 turns it off.
    pub response_cache_bytes: usize,
    /// Operations one `/ws` socket may run at once; one more is refused with `RATE_LIMITED`.
    pub max_subscriptions_per_socket: usize,
    /// How long a POST body may take to arrive once its headers have (408 after it).
    pub body_timeout: Duration,
    /// How long a request's headers may take, counted from when the connection opens or
    /// its previous response was sent: an idle or half-sent connection is closed after it.
    pub header_timeout: Duration,
    /// Connections open at once; one more is closed as soon as it is accepted. 0: no cap.
    pub max_connections: usize,
    /// Connections open at once from one client address; 0: no cap.
    pub max_connections_per_client: usize,
    /// Spans per request and per GraphQL operation, continuing a caller's `traceparent`
    /// (see [`telemetry`]); off, requests pay nothing for them.
    pub trace: bool,
    /// The sites that may show the pages in a frame; none by default (see [`headers`]).
    pub frame_ancestors: FrameAncestors,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8000)),
            cors_origins: Vec::new(),
            cors_allow_headers: DEFAULT_CORS_ALLOW_HEADERS
                .into_iter()
                .map(HeaderName::from_static)
                .collect(),
            max_body_bytes: 256 * 1024,
            max_batch: 10,
            graphql: graphql::Options::default(),
            rate_limit: 50.0,
            trust_forwarded_for: false,
            max_in_flight: 64,
            request_timeout: Duration::from_secs(10),
            apq_capacity: 1000,
            trusted_documents: None,
            static_json: None,
            response_cache_bytes: 32 << 20,
            max_subscriptions_per_socket: 100,
            body_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            max_connections: 4096,
            max_connections_per_client: 64,
            trace: false,
            frame_ancestors: FrameAncestors::default(),
        }
    }
}

/// What every handler shares (behind one `Arc`).
pub struct AppState {
    pub schema: AppSchema,
    pub store: Arc<Store>,
    pub config: Arc<Config>,
    pub health: Arc<health::Cache>,
    pub metrics: Arc<metrics::Metrics>,
    pub rate: Arc<guard::RateLimiter>,
    pub in_flight: Arc<tokio::sync::Semaphore>,
    /// Trusted documents and automatic persisted queries, for `/graphql` and `/ws`.
    pub documents: Arc<persisted::Documents>,
    /// Answers to queries, kept until the next write.
    pub responses: Arc<responses::Responses>,
    /// The open `/ws` sockets, told to close when the server stops.
    pub sockets: ws::Sockets,
}

/// The application's routes and layers, ready to serve (or to drive in tests).
pub fn router(store: Arc<Store>, config: Config) -> Router {
    app(store, config, ws::Sockets::default(), Arc::default())
}

/// The routes and layers, with the sockets the server's shutdown closes and the metrics
/// the accept loop also counts into.
fn app(
    store: Arc<Store>,
    config: Config,
    sockets: ws::Sockets,
    metrics: Arc<metrics::Metrics>,
) -> Router {
    // A query stops itself at the request's timeout (the guard's timeout cannot interrupt
    // a resolver that never waits).
    let mut options = config.graphql.clone();
    options
        .limits
        .max_run_time
        .get_or_insert(config.request_timeout);
    options.trace = config.trace;
    let schema = graphql::build_schema(Arc::clone(&store), &options);
    // Shared, not copied: every layer and handler takes the state per request, and a copy
    // of ten `Arc`s is ten shared counters moved up and down on every core.
    let state = Arc::new(AppState {
        schema: schema.clone(),
        store,
        config: Arc::new(config.clone()),
        health: Arc::new(health::Cache::default()),
        metrics,
        rate: Arc::new(guard::RateLimiter::new(config.rate_limit)),
        in_flight: Arc::new(tokio::sync::Semaphore::new(config.max_in_flight.max(1))),
        responses: Arc::new(responses::Responses::new(config.response_cache_bytes)),
        documents: Arc::new(persisted::Documents::new(
            config.trusted_documents.clone(),
            config.apq_capacity,
            config.graphql.limits.max_document_bytes,
        )),
        sockets,
    });
    let cors = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(config.cors_allow_headers.clone())
        .max_age(Duration::from_secs(3600))
        .allow_origin(if config.cors_origins.is_empty() {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(
                config
                    .cors_origins
                    .iter()
                    .filter_map(|o| HeaderValue::from_str(o).ok()),
            )
        });
    let router = Router::new()
        .route("/", get(assets::graphiql))
        .route("/graphiql/questions.json", get(questions::questions_json))
        .route("/graphiql/{file}", get(assets::graphiql_file))
        .route("/explore", get(assets::explore))
        .route("/explore/{file}", get(assets::explore_file))
        .route(
            "/graphql",
            get(http::get)
                .post(http::post)
                .fallback(http::other_method)
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    guard::guard,
                ))
                // Outside the guard: a body is read before the request takes a slot.
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    body::read_body,
                )),
        )
        .route("/metrics", get(metrics::metrics))
        .route("/static.json", get(static_json))
        .route("/ws", get(ws::upgrade))
        .route("/health", get(health::health));
    // Only in the unit tests: a handler that panics, for CatchPanic's answer.
    #[cfg(test)]
    let router = router.route("/test/panic", get(tests::panics));
    let router = router
        .fallback(not_found)
        .layer(DefaultBodyLimit::disable())
        .layer(CatchPanicLayer::custom(panicked))
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            logging::log_request,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            keep_alive::drain_unread_body,
        ))
        // Outside every other layer but tracing: every answer gets them, whoever made it
        // (a route, the fallback, CatchPanic, CORS's preflight, a refusal).
        .layer(axum::middleware::map_response_with_state(
            headers::SecurityHeaders::new(&config.frame_ancestors),
            headers::add,
        ));
    // Outermost: the request's span covers everything the server does for it.
    let router = if config.trace {
        router.layer(axum::middleware::from_fn(telemetry::trace_request))
    } else {
        router
    };
    router.with_state(state)
}

async fn static_json(axum::extract::State(state): axum::extract::State<Arc<AppState>>) -> Response {
    match &state.config.static_json {
        Some(body) => ([(header::CONTENT_TYPE, "application/json")], body.clone()).into_response(),
        None => not_found().await,
    }
}

async fn not_found() -> Response {
    http::error_response(
        StatusCode::NOT_FOUND,
        http::Media::Json,
        graphql::error::NOT_FOUND,
        "no such path: the API is at /graphql, GraphiQL at /",
    )
}

/// What a panic said, if it said it with a string.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic_message(&*panic);
    let id = uuid::Uuid::new_v4();
    tracing::error!(%id, panic = %what, "handler panicked");
    let body = serde_json::json!({ "errors": [{
        "message": format!("internal error (id {id}); the server log has the details"),
        "extensions": { "code": graphql::error::INTERNAL, "id": id.to_string() }
    }]});
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Serves until SIGINT or SIGTERM, then finishes requests in flight and flushes the store.
pub async fn serve(store: Arc<Store>, config: Config) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    serve_on(listener, store, config, shutdown_signal()).await
}

/// How long the shutdown waits for `/ws` clients to answer the server's close frame.
const SOCKETS_GRACE: Duration = Duration::from_secs(5);

/// Serves on a bound listener until `shutdown` completes; then every `/ws` socket gets
/// close 1001 (going away) while HTTP requests in flight finish, and the store is flushed.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    store: Arc<Store>,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sockets = ws::Sockets::default();
    let metrics = Arc::new(metrics::Metrics::default());
    let limits = listener::Limits {
        header_timeout: config.header_timeout,
        connections: connections::Connections::new(
            config.max_connections,
            config.max_connections_per_client,
        ),
    };
    metrics.count_connections(Arc::clone(&limits.connections));
    let app = app(
        Arc::clone(&store),
        config,
        sockets.clone(),
        Arc::clone(&metrics),
    );
    let going_away = sockets.clone();
    listener::serve(listener, app, limits, metrics, async move {
        shutdown.await;
        // Upgraded connections are no longer the HTTP server's: it would not wait for them.
        going_away.close_all();
    })
    .await;
    if !sockets.closed_within(SOCKETS_GRACE).await {
        tracing::warn!(
            open = sockets.open(),
            "WebSocket clients did not close in time"
        );
    }
    store.flush().map_err(std::io::Error::other)?;
    tracing::info!("store flushed; stopped");
    Ok(())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown signal received");
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    pub async fn panics() -> Response {
        panic!("on purpose")
    }

    /// The security headers wrap CatchPanic: the answer to a handler's panic has them.
    #[tokio::test]
    async fn the_answer_to_a_panic_has_the_security_headers() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let request = axum::http::Request::get("/test/panic")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = router(store, Config::default())
            .oneshot(request)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers();
        assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    }
}
