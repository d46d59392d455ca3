//! Runs the operations of a socket: the same document rules as `/graphql` (trusted
//! documents, automatic persisted queries), error codes on every error, and a panicking
//! resolver answered with one `INTERNAL` error that ends only its own operation.

use super::super::guard::{self, RateLimiter};
use super::super::http::is_request_error;
use super::super::metrics::Metrics;
use super::super::persisted::{Documents, Refusal};
use super::super::telemetry;
use crate::graphql::budget::Joint;
use crate::graphql::{self, Limits, error};
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use futures_util::stream::{self, BoxStream, StreamExt};
use std::net::IpAddr;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// What an operation sends the client.
#[derive(Debug)]
pub enum Outcome {
    /// A result (`next`, legacy `data`), which may hold field errors.
    Next(Response),
    /// Refused before it ran (`error`): a parse or validation error, a refused limit or
    /// document. Nothing follows.
    Refused(Vec<ServerError>),
}

/// Runs operations on `inner` (the schema).
#[derive(Clone)]
pub struct Runner<E> {
    pub inner: E,
    pub documents: Arc<Documents>,
    pub metrics: Arc<Metrics>,
    /// With tracing on, the trace each operation continues (see [`Continued`]).
    pub trace: Option<Continued>,
    /// The server's rate limit and cap on requests in flight, which every operation passes
    /// as an HTTP request does (none in tests of the socket alone).
    pub admission: Option<Admission>,
    /// The budget the socket's operations running at once share (see [`Joint`]).
    pub joint: Arc<Joint>,
}

/// What an operation passes before it runs: the client's rate limit, and a slot among the
/// requests in flight, the same as for `/graphql` (a subscription, which lives as long as
/// its socket, takes no slot: the socket's cap on operations bounds those).
#[derive(Clone)]
pub struct Admission {
    pub client: IpAddr,
    pub rate: Arc<RateLimiter>,
    pub rate_limit: f64,
    pub in_flight: Arc<Semaphore>,
    pub max_in_flight: usize,
    /// To read which kind of operation a document runs.
    pub limits: Arc<Limits>,
}

impl Admission {
    /// A slot for `request` (none for a subscription), or the refusal.
    fn admit(
        &self,
        request: &Request,
        metrics: &Metrics,
    ) -> Result<Option<OwnedSemaphorePermit>, ServerError> {
        let refused = |reason: &'static str, message: String| {
            metrics.refuse(reason);
            let mut e =
                error::coded(error::RATE_LIMITED, message).into_server_error(Default::default());
            e.locations.clear();
            e
        };
        if self.rate.check(self.client).is_err() {
            return Err(refused(
                "rate",
                guard::too_many(self.client, self.rate_limit),
            ));
        }
        if graphql::limits::operation_type(request, &self.limits)
            == Some(OperationType::Subscription)
        {
            return Ok(None);
        }
        match Arc::clone(&self.in_flight).try_acquire_owned() {
            Ok(permit) => Ok(Some(permit)),
            Err(_) => Err(refused("concurrency", guard::busy(self.max_in_flight))),
        }
    }
}

/// The caller's trace that a socket's operations continue: the `traceparent` of its upgrade
/// request, or none (each operation then starts a trace of its own).
#[derive(Clone, Debug)]
pub struct Continued(pub Option<opentelemetry::Context>);

impl<E: Executor> Runner<E> {
    /// The outcomes of one operation, run with the socket's `data` (its caller).
    pub fn run(&self, request: Request, data: Arc<Data>) -> BoxStream<'static, Outcome> {
        let request = match self.documents.resolve(request) {
            Ok(request) => request,
            Err(refusal) => {
                if let Refusal::Untrusted(_) = refusal {
                    self.metrics.refuse("trusted_documents");
                }
                let refused = Outcome::Refused(vec![refusal.to_server_error()]);
                return stream::once(async move { refused }).boxed();
            }
        };
        let permit = match self
            .admission
            .as_ref()
            .map(|a| a.admit(&request, &self.metrics))
        {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(permit))) => Some(permit),
            Some(Err(refusal)) => {
                let refused = Outcome::Refused(vec![refusal]);
                return stream::once(async move { refused }).boxed();
            }
        };
        let request = request.data(Arc::clone(&self.joint));
        let (query, variables) = (request.query.clone(), request.variables.clone());
        let mut first = true;
        // The operation's server span: the schema's operation span (made as the stream is
        // made) is its child, and it lasts as long as the stream (the closure below holds it).
        let span = match &self.trace {
            None => tracing::Span::none(),
            Some(Continued(parent)) => {
                let span = tracing::info_span!(
                    target: telemetry::TARGET,
                    "ws.operation",
                    otel.name = "WS /ws",
                    otel.kind = "server",
                    http.route = "/ws",
                );
                telemetry::continue_trace(&span, parent.clone());
                span
            }
        };
        let stream = span.in_scope(|| self.inner.execute_stream(request, Some(data)));
        AssertUnwindSafe(stream)
            .catch_unwind()
            .map(move |item| match item {
                Ok(mut response) => {
                    // Held as long as the operation runs.
                    let _slot = &permit;
                    let _span = &span;
                    graphql::bound_errors(&mut response.errors);
                    for e in &mut response.errors {
                        graphql::tag_uncoded(e);
                    }
                    graphql::scalars::explain_invalid_dates(
                        &query,
                        &variables,
                        &mut response.errors,
                    );
                    // Only the first answer can be a refusal: execution had not begun.
                    let refused =
                        std::mem::replace(&mut first, false) && is_request_error(&response);
                    if refused {
                        Outcome::Refused(response.errors)
                    } else {
                        Outcome::Next(response)
                    }
                }
                // `catch_unwind` ends the stream after the panic: the client gets this
                // error, then `complete`, and the connection stays open.
                Err(panic) => {
                    let what = super::super::panic_message(&*panic);
                    let e = error::internal(format!("resolver panicked: {what}"));
                    Outcome::Next(Response::from_errors(vec![
                        e.into_server_error(Default::default()),
                    ]))
                }
            })
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admission(slots: usize, per_second: f64) -> Admission {
        Admission {
            client: IpAddr::from([127, 0, 0, 1]),
            rate: Arc::new(RateLimiter::new(per_second)),
            rate_limit: per_second,
            in_flight: Arc::new(Semaphore::new(slots)),
            max_in_flight: slots,
            limits: Arc::new(Limits::default()),
        }
    }

    fn code(e: &ServerError) -> String {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    #[test]
    fn a_query_takes_a_slot_among_the_requests_in_flight_and_a_subscription_none() {
        let metrics = Metrics::default();
        let full = admission(0, 0.0);
        let refused = full
            .admit(&Request::new("{ __typename }"), &metrics)
            .unwrap_err();
        assert_eq!(code(&refused), "\"RATE_LIMITED\"");
        assert!(refused.message.contains("busy"), "{}", refused.message);
        let subscription = Request::new("subscription { changes { seq } }");
        assert!(full.admit(&subscription, &metrics).unwrap().is_none());
        // A slot is held while its permit lives.
        let one = admission(1, 0.0);
        let held = one
            .admit(&Request::new("{ __typename }"), &metrics)
            .unwrap();
        assert!(held.is_some());
        assert!(
            one.admit(&Request::new("{ __typename }"), &metrics)
                .is_err()
        );
        drop(held);
        assert!(one.admit(&Request::new("{ __typename }"), &metrics).is_ok());
    }

    #[test]
    fn every_operation_passes_the_client_s_rate_limit() {
        let metrics = Metrics::default();
        // A burst of two.
        let limited = admission(10, 1.0);
        let query = Request::new("{ __typename }");
        assert!(limited.admit(&query, &metrics).is_ok());
        assert!(limited.admit(&query, &metrics).is_ok());
        let refused = limited.admit(&query, &metrics).unwrap_err();
        assert!(
            refused.message.contains("too many requests"),
            "{}",
            refused.message
        );
        let subscription = Request::new("subscription { changes { seq } }");
        assert!(limited.admit(&subscription, &metrics).is_err());
    }
}
