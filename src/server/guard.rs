//! What keeps `/graphql` answering under a flood: a per-client rate limit (429), a cap on
//! requests in flight that sheds the excess at once (503), and a per-request timeout. All
//! answers carry `Retry-After` and a GraphQL error body (the `keep_alive` layer keeps the
//! connection usable after them).

use super::AppState;
use super::http::{Media, error_response, negotiate};
use crate::graphql::budget::WriteBegun;
use crate::graphql::error::RATE_LIMITED;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use governor::Quota;
use governor::clock::{Clock, MonotonicClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Why a request was turned away, for the metrics.
#[derive(Clone, Copy, Debug)]
pub struct Refused(pub &'static str);

/// The clients the limiter keeps track of.
type Buckets<C> = governor::RateLimiter<
    IpAddr,
    DashMapStateStore<IpAddr>,
    C,
    NoOpMiddleware<<C as Clock>::Instant>,
>;

/// A token bucket per client address (governor's GCRA, which is a token bucket kept as one
/// timestamp): `per_second` tokens a second, up to a burst of twice that.
pub struct RateLimiter<C: Clock = MonotonicClock> {
    buckets: Option<Buckets<C>>,
}

/// Past this many clients, every check first forgets the clients whose bucket is full again
/// (as if they had never come). An attacker cycling addresses so holds at most this many
/// entries plus those of addresses that asked within the last (burst + 1) / rate seconds:
/// 2.02 s at the default 50 a second, and under 60 s at any rate above one every 30 s.
const MAX_CLIENTS: usize = 100_000;
/// A rate slower than one a year counts as one a year (governor's clock counts u64 ns).
const LONGEST_PERIOD: Duration = Duration::from_secs(365 * 24 * 3600);

impl RateLimiter {
    /// `per_second` requests a second per client, in bursts of up to twice that (at least
    /// 1); `0`, or any rate that is not a positive finite number, turns the limit off.
    pub fn new(per_second: f64) -> RateLimiter {
        RateLimiter::with_clock(per_second, MonotonicClock)
    }
}

impl<C: Clock> RateLimiter<C> {
    fn with_clock(per_second: f64, clock: C) -> RateLimiter<C> {
        let quota = (per_second > 0.0 && per_second.is_finite()).then(|| {
            let period = Duration::try_from_secs_f64(1.0 / per_second)
                .unwrap_or(LONGEST_PERIOD)
                .clamp(Duration::from_nanos(1), LONGEST_PERIOD);
            // Whole requests: floor(2 × rate), which is what a bucket of 2 × rate tokens
            // lets through at once.
            let burst = (per_second * 2.0).floor().clamp(1.0, f64::from(u32::MAX));
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "clamped to 1..=u32::MAX and whole just above"
            )]
            let burst = NonZeroU32::new(burst as u32).unwrap_or(NonZeroU32::MIN);
            Quota::with_period(period).map(|q| q.allow_burst(burst))
        });
        RateLimiter {
            buckets: quota
                .flatten()
                .map(|q| governor::RateLimiter::new(q, DashMapStateStore::default(), clock)),
        }
    }

    /// `Ok` if `client` may make a request now; otherwise how long to wait.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        let Some(buckets) = &self.buckets else {
            return Ok(());
        };
        if buckets.len() > MAX_CLIENTS {
            buckets.retain_recent();
        }
        buckets
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(buckets.clock().now()))
    }
}

/// The client's address: the socket's, or with `trust_forwarded_for` the first address of
/// `X-Forwarded-For` (set it only behind a proxy that writes that header).
pub(super) fn client(
    headers: &HeaderMap,
    socket: Option<SocketAddr>,
    trust_forwarded_for: bool,
) -> IpAddr {
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

/// What a client past its rate is told (on `/graphql` and `/ws`).
pub(super) fn too_many(client: IpAddr, per_second: f64) -> String {
    format!("too many requests from {client}: the limit is {per_second} a second; retry later")
}

/// What a request past the cap on requests in flight is told (on `/graphql` and `/ws`).
pub(super) fn busy(max_in_flight: usize) -> String {
    format!("the server is busy ({max_in_flight} requests in flight); retry shortly")
}

/// The guard around `/graphql`.
pub async fn guard(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
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
            &too_many(ip, state.config.rate_limit),
        );
    }
    let Ok(_permit) = state.in_flight.clone().try_acquire_owned() else {
        return turned_away(
            StatusCode::SERVICE_UNAVAILABLE,
            media,
            "concurrency",
            Duration::from_secs(1),
            &busy(state.config.max_in_flight),
        );
    };
    let started = std::time::Instant::now();
    let limit = state.config.request_timeout;
    let begun = WriteBegun::default();
    request.extensions_mut().insert(begun.clone());
    let run = next.run(request);
    tokio::pin!(run);
    // A long query stops itself at this same limit (graphql::Limits::max_run_time), since
    // its resolvers never wait; one that finished after its deadline is late all the same.
    // But a write, once begun, commits whatever happens to the request: its answer is
    // waited for and sent, late or not, so that it says what the store did.
    match tokio::time::timeout(limit, &mut run).await {
        Ok(response) if started.elapsed() <= limit || begun.began() => response,
        Err(_) if begun.began() => run.await,
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
    use governor::clock::FakeRelativeClock;

    #[test]
    fn a_client_gets_its_burst_then_waits() {
        let limiter = RateLimiter::new(5.0);
        let ip = IpAddr::from([127, 0, 0, 1]);
        let allowed = (0..20).filter(|_| limiter.check(ip).is_ok()).count();
        assert_eq!(allowed, 10);
        assert!(limiter.check(ip).unwrap_err() > Duration::ZERO);
        assert!(limiter.check(IpAddr::from([127, 0, 0, 2])).is_ok());
    }

    #[test]
    fn the_wait_is_until_the_next_token() {
        let clock = FakeRelativeClock::default();
        // A burst of one, and a new token every 2 s.
        let limiter = RateLimiter::with_clock(0.5, clock.clone());
        let ip = IpAddr::from([127, 0, 0, 1]);
        assert_eq!(limiter.check(ip), Ok(()));
        assert_eq!(limiter.check(ip), Err(Duration::from_secs(2)));
        clock.advance(Duration::from_millis(1500));
        assert_eq!(limiter.check(ip), Err(Duration::from_millis(500)));
        clock.advance(Duration::from_millis(500));
        assert_eq!(limiter.check(ip), Ok(()));
        // 50 a second: 100 at once, then one every 20 ms.
        let limiter = RateLimiter::with_clock(50.0, clock.clone());
        assert_eq!((0..150).filter(|_| limiter.check(ip).is_ok()).count(), 100);
        assert_eq!(limiter.check(ip), Err(Duration::from_millis(20)));
        clock.advance(Duration::from_secs(1));
        assert_eq!((0..150).filter(|_| limiter.check(ip).is_ok()).count(), 50);
    }

    #[test]
    fn off_when_the_rate_is_not_positive() {
        let ip = IpAddr::from([127, 0, 0, 1]);
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let limiter = RateLimiter::new(rate);
            assert!((0..1000).all(|_| limiter.check(ip).is_ok()), "{rate}");
        }
        // Past governor's range, a tiny rate is one a year rather than a panic.
        let limiter = RateLimiter::new(1e-300);
        assert!(limiter.check(ip).is_ok());
        let wait = limiter.check(ip).unwrap_err();
        assert!(wait > LONGEST_PERIOD - Duration::from_secs(1), "{wait:?}");
    }

    #[test]
    fn addresses_cycled_by_an_attacker_are_forgotten_once_their_buckets_refill() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::with_clock(50.0, clock.clone());
        let buckets = limiter.buckets.as_ref().unwrap();
        let address = |i: usize| IpAddr::from(u32::try_from(i).unwrap().to_be_bytes());
        for i in 0..=MAX_CLIENTS {
            assert!(limiter.check(address(i)).is_ok());
        }
        // One client spends its whole burst.
        let busy = IpAddr::from([192, 0, 2, 1]);
        assert_eq!(
            (0..150).filter(|_| limiter.check(busy).is_ok()).count(),
            100
        );
        assert_eq!(buckets.len(), MAX_CLIENTS + 2, "nothing is forgotten yet");
        // A second later the cycled addresses' buckets are full again, so the next check
        // forgets them; the busy client's is not, and it is remembered.
        clock.advance(Duration::from_secs(1));
        assert!(limiter.check(address(MAX_CLIENTS + 1)).is_ok());
        assert_eq!(buckets.len(), 2, "the busy client and the new one");
        assert_eq!((0..150).filter(|_| limiter.check(busy).is_ok()).count(), 50);
    }
}
