//! Runs the operations of a socket: the same document rules as `/graphql` (trusted
//! documents, automatic persisted queries), error codes on every error, and a panicking
//! resolver answered with one `INTERNAL` error that ends only its own operation.

use super::super::http::is_request_error;
use super::super::metrics::Metrics;
use super::super::persisted::{Documents, Refusal};
use super::super::telemetry;
use crate::graphql::{self, error};
use async_graphql::{Data, Executor, Request, Response, ServerError};
use futures_util::stream::{self, BoxStream, StreamExt};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

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
