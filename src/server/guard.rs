//! What keeps `/graphql` answering under a flood: a per-client rate limit (429), a cap on
//! requests in flight that sheds the excess at once (503), and a per-request timeout. All
//! answers carry `Retry-After` and a GraphQL error body (the `keep_alive` layer keeps the
//! connection usable after them).

use super::AppState;
use super::http::{Media, error_response, negotiate};
use crate::graphql::error::RATE_LIMITED;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Why a request was turned away, for the metrics.
#[derive(Clone, Copy, Debug)]
pub struct Refused(pub &'static str);

/// Token buckets per client address.
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// Entries idle this long are forgotten when the table grows large.
const IDLE: Duration = Duration::from_secs(60);
const MAX_CLIENTS: usize = 100_000;

impl RateLimiter {
    /// `per_second` requests a second per client, in bursts of up to twice that.
    pub fn new(per_second: f64) -> RateLimiter {
        RateLimiter {
            per_second,
            burst: (per_second * 2.0).max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `Ok` if `client` may make a request now; otherwise how long to wait.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        if self.per_second <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > MAX_CLIENTS {
            buckets.retain(|_, (_, at)| now.duration_since(*at) < IDLE);
        }
        let (tokens, at) = buckets.entry(client).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.per_second))
        }
    }
}

/// The client's address: the socket's, or with `trust_forwarded_for` the first address of
/// `X-Forwarded-For` (set it only behind a proxy that writes that header).
fn client(headers: &HeaderMap, socket: Option<SocketAddr>, trust_forwarded_for: bool) -> IpAddr {
    if trust_forwarded_for
        && let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
    {
        return ip;
    }
    socket.map_or(IpAddr::from([0, 0, 0, 0]), |s| s.ip())
}

fn turned_away(
    status: StatusCode,
    media: Media,
    reason: &'static str,
    retry_after: Duration,
    message: &str,
) -> Response {
    let mut response = error_response(status, media, RATE_LIMITED, message);
    // Whole seconds, rounded up, at least 1.
    let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    response.extensions_mut().insert(Refused(reason));
    response
}

/// The guard around `/graphql`.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let media = negotiate(request.headers()).unwrap_or(Media::Json);
    let socket = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let ip = client(request.headers(), socket, state.config.trust_forwarded_for);
    if let Err(wait) = state.rate.check(ip) {
        return turned_away(
            StatusCode::TOO_MANY_REQUESTS,
            media,
            "rate",
            wait,
            &format!(
                "too many requests from {ip}: the limit is {} a second; retry later",
                state.config.rate_limit
            ),
        );
    }
    let Ok(_permit) = state.in_flight.clone().try_acquire_owned() else {
        return turned_away(
            StatusCode::SERVICE_UNAVAILABLE,
            media,
            "concurrency",
            Duration::from_secs(1),
            &format!(
                "the server is busy ({} requests in flight); retry shortly",
                state.config.max_in_flight
            ),
        );
    };
    let started = std::time::Instant::now();
    let limit = state.config.request_timeout;
    // A long query stops itself at this same limit (graphql::Limits::max_run_time), since
    // its resolvers never wait; one that finished after its deadline is late all the same.
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) if started.elapsed() <= limit => response,
        _ => turned_away(
            StatusCode::SERVICE_UNAVAILABLE,
            media,
            "timeout",
            Duration::from_secs(1),
            &format!(
                "the request took longer than {} ms and was stopped",
                state.config.request_timeout.as_millis()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_burst_then_waits() {
        let limiter = RateLimiter::new(5.0);
        let ip = IpAddr::from([127, 0, 0, 1]);
        let allowed = (0..20).filter(|_| limiter.check(ip).is_ok()).count();
        assert_eq!(allowed, 10);
        assert!(limiter.check(ip).unwrap_err() > Duration::ZERO);
        assert!(limiter.check(IpAddr::from([127, 0, 0, 2])).is_ok());
    }
}
