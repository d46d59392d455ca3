//! One span per GraphQL operation, made with `tracing` alone (whoever listens decides where
//! spans go; the server exports them to OpenTelemetry). The span is named after the
//! operation (`query ProductQuestion`) and carries its name, its type, its complexity and
//! depth once validation has measured them, and its outcome: `ok`, or the code of its first
//! error. A client's operation name is clipped as the logs clip it.
//!
//! The extension is installed only when [`super::Options::trace`] is set: with tracing off,
//! an operation pays nothing for it.

use super::error::{BAD_USER_INPUT, clip_for_log};
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest,
    NextSubscribe, NextValidation,
};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};
use futures_util::stream::{BoxStream, StreamExt};
use std::sync::{Arc, OnceLock};
use tracing::Instrument;
use tracing::field::Empty;

/// The span's target: what a subscriber filters on.
pub const TARGET: &str = "asean_graph::graphql";

/// Installs the per-operation span on a schema.
pub struct TraceExtension;

impl ExtensionFactory for TraceExtension {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Trace::default())
    }
}

/// One operation's span, and the name its request asked for, whole (the factory makes one
/// per request).
#[derive(Default)]
struct Trace {
    span: OnceLock<tracing::Span>,
    name: OnceLock<Option<String>>,
}

impl Trace {
    /// The operation's span, made on first use as a child of the current span.
    fn span(&self) -> &tracing::Span {
        self.span.get_or_init(|| {
            tracing::info_span!(
                target: TARGET,
                "graphql.operation",
                otel.name = "GraphQL operation",
                graphql.operation.name = Empty,
                graphql.operation.type = Empty,
                graphql.complexity = Empty,
                graphql.depth = Empty,
                graphql.outcome = Empty,
                otel.status_code = Empty,
            )
        })
    }
}

/// Records the outcome of one response on `span`: `ok`, or the code of its first error (an
/// error without one is a parse or validation error, `BAD_USER_INPUT`, as
/// [`super::tag_uncoded`] will code it).
fn record_outcome(span: &tracing::Span, response: &Response) {
    let Some(e) = response.errors.first() else {
        span.record("graphql.outcome", "ok");
        return;
    };
    let code = e
        .extensions
        .as_ref()
        .and_then(|x| x.get("code"))
        .and_then(|v| match v {
            async_graphql::Value::String(s) => Some(s.as_str()),
            _ => None,
        })
        .unwrap_or(BAD_USER_INPUT);
    span.record("graphql.outcome", code);
    span.record("otel.status_code", "error");
}

/// An operation's stream of responses, polled within its span. The outcome is that of the
/// first response with an error, or `ok` once the stream ends without one.
struct Traced<'s> {
    stream: BoxStream<'s, Response>,
    span: tracing::Span,
    /// The outcome is recorded.
    told: bool,
}

impl futures_util::Stream for Traced<'_> {
    type Item = Response;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Response>> {
        let this = &mut *self;
        let _entered = this.span.enter();
        let polled = this.stream.poll_next_unpin(cx);
        if !this.told {
            match &polled {
                std::task::Poll::Ready(Some(response)) if !response.errors.is_empty() => {
                    record_outcome(&this.span, response);
                    this.told = true;
                }
                std::task::Poll::Ready(None) => {
                    this.span.record("graphql.outcome", "ok");
                    this.told = true;
                }
                _ => {}
            }
        }
        polled
    }
}

/// The type and name of the operation a document runs, given the name the request asked
/// for (the same rule as execution: a name picks one, none picks the only one).
pub(crate) fn runs(
    doc: &ExecutableDocument,
    asked: Option<&str>,
) -> Option<(OperationType, Option<String>)> {
    match (&doc.operations, asked) {
        (DocumentOperations::Single(op), _) => Some((op.node.ty, asked.map(str::to_owned))),
        (DocumentOperations::Multiple(ops), Some(name)) => {
            ops.get(name).map(|op| (op.node.ty, Some(name.to_owned())))
        }
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops
            .iter()
            .next()
            .map(|(name, op)| (op.node.ty, Some(name.to_string()))),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

fn type_name(ty: OperationType) -> &'static str {
    match ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    }
}

#[async_trait::async_trait]
impl Extension for Trace {
    /// A query or mutation (over HTTP): the span covers it from parsing to its answer.
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let span = self.span().clone();
        let response = next.run(ctx).instrument(span.clone()).await;
        record_outcome(&span, &response);
        response
    }

    /// Any operation over `/ws` (a subscription, or a query or mutation sent there): the span
    /// covers the stream for as long as it runs; the outcome is that of its first error, if
    /// any.
    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        let span = self.span().clone();
        let stream = span.in_scope(|| next.run(ctx, stream));
        Traced {
            stream,
            span,
            told: false,
        }
        .boxed()
    }

    /// The name the request asks for, recorded at once: a document the limits refuse
    /// (before it is parsed) still shows whose it was.
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if let Some(name) = request.operation_name.as_deref().map(clip_for_log) {
            let span = self.span();
            span.record("otel.name", name.as_str());
            span.record("graphql.operation.name", name);
        }
        let _ = self.name.set(request.operation_name.clone());
        next.run(ctx, request).await
    }

    /// The type of the operation that runs, and its name when the document gave it.
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let asked = self.name.get().and_then(Option::as_deref);
        // No operation to run: execution refuses it, and the outcome says so.
        if let Some((ty, name)) = runs(&doc, asked) {
            let span = self.span();
            let ty = type_name(ty);
            span.record("graphql.operation.type", ty);
            match name {
                Some(name) => {
                    let name = clip_for_log(&name);
                    span.record("otel.name", format!("{ty} {name}"));
                    if asked.is_none() {
                        span.record("graphql.operation.name", name);
                    }
                }
                None => {
                    span.record("otel.name", ty);
                }
            }
        }
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let span = self.span();
        // As i64: OpenTelemetry has no unsigned integers (a usize would arrive as text).
        let int = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        span.record("graphql.complexity", int(result.complexity));
        span.record("graphql.depth", int(result.depth));
        Ok(result)
    }
}
