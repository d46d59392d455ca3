//! Query limits, checked before anything runs: document size, fields and aliases as written,
//! depth, and complexity in which a connection costs its page size times its selection.
//! Each error states the limit and the measured value. A document that only asks the
//! schema about itself (GraphiQL's introspection query) is exempt from the depth limit,
//! which would otherwise refuse it (async-graphql #1696), and held to a tight complexity
//! budget of its own instead, since its lists are not paged.
//!
//! A query also stops itself once it has run longer than [`Limits::max_run_time`]: resolvers
//! read sled synchronously, so execution never waits and an outer timeout could not
//! interrupt it. (Yielding to the runtime instead would let async-graphql, which collects an
//! object's fields in the order they finish, return them out of the selection's order.)

use super::error::{BAD_USER_INPUT, FORBIDDEN, QUERY_TOO_COMPLEX, QUERY_TOO_DEEP, RATE_LIMITED};
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextResolve, NextValidation,
    ResolveInfo,
};
use async_graphql::parser::types::OperationType;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, ValidationResult, Value, Variables};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The limits. Every one is configurable; the defaults let GraphiQL, every query in the
/// README and every report through.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub max_fields: usize,
    pub max_document_bytes: usize,
    /// The complexity budget of an introspection-only document. GraphiQL's introspection
    /// query costs a few hundred.
    pub max_introspection_complexity: usize,
    /// Whether documents may ask the schema about itself.
    pub introspection: bool,
    /// How long a query may run before it stops itself with `RATE_LIMITED`. Mutations are
    /// never stopped halfway (a write, once begun, completes and is acknowledged), nor are
    /// subscriptions, which live as long as their socket.
    pub max_run_time: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 15,
            max_complexity: 200_000,
            max_aliases: 30,
            max_fields: 500,
            max_document_bytes: 32 * 1024,
            max_introspection_complexity: 2_000,
            introspection: true,
            max_run_time: None,
        }
    }
}

fn refuse(code: &'static str, message: String) -> ServerError {
    let mut e = ServerError::new(message, None);
    e.extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    e
}

/// Fields and aliases as written (fragments counted once, never expanded, so a fragment
/// cycle cannot make the count loop).
fn count(set: &SelectionSet, fields: &mut usize, aliases: &mut usize) {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                *fields += 1;
                if f.node.alias.is_some() {
                    *aliases += 1;
                }
                count(&f.node.selection_set.node, fields, aliases);
            }
            Selection::InlineFragment(f) => count(&f.node.selection_set.node, fields, aliases),
            Selection::FragmentSpread(_) => {}
        }
    }
}

/// Whether any operation asks for `__schema` or `__type` at its root.
fn asks_for_schema(doc: &ExecutableDocument) -> bool {
    doc.operations.iter().any(|(_, op)| {
        op.node
            .selection_set
            .node
            .items
            .iter()
            .any(|item| match &item.node {
                Selection::Field(f) => matches!(f.node.name.node.as_str(), "__schema" | "__type"),
                _ => false,
            })
    })
}

/// Whether every operation asks only for `__schema`, `__type` or `__typename` at its root.
fn introspection_only(doc: &ExecutableDocument) -> bool {
    doc.operations.iter().all(|(_, op)| {
        op.node
            .selection_set
            .node
            .items
            .iter()
            .all(|item| match &item.node {
                Selection::Field(f) => f.node.name.node.starts_with("__"),
                _ => false,
            })
    })
}

/// Installs the limits on a schema.
pub struct LimitsExtension(pub Arc<Limits>);

impl ExtensionFactory for LimitsExtension {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsCheck {
            limits: Arc::clone(&self.0),
            exempt: AtomicBool::new(false),
            resolved: AtomicUsize::new(0),
            started: Instant::now(),
            untimed: AtomicBool::new(false),
            stopped: AtomicBool::new(false),
        })
    }
}

struct LimitsCheck {
    limits: Arc<Limits>,
    exempt: AtomicBool,
    resolved: AtomicUsize,
    /// When the request began (the factory makes one check per request).
    started: Instant,
    /// The document holds a mutation or a subscription: no time limit.
    untimed: AtomicBool,
    /// The time limit has passed: every field still to run fails at once.
    stopped: AtomicBool,
}

/// The clock is read once every this many fields.
const CLOCK_EVERY: usize = 16;

/// The message of a query stopped at its time limit; [`super::execute`] keeps one such error.
pub const STOPPED: &str = "the query ran past its time limit";

/// Whether `e` is the error of a query stopped at its time limit.
pub fn is_stopped(e: &ServerError) -> bool {
    e.message.starts_with(STOPPED)
}

#[async_trait::async_trait]
impl Extension for LimitsCheck {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let l = &self.limits;
        if query.len() > l.max_document_bytes {
            return Err(refuse(
                BAD_USER_INPUT,
                format!(
                    "the document is {} bytes; the limit is {}",
                    query.len(),
                    l.max_document_bytes
                ),
            ));
        }
        let doc = next.run(ctx, query, variables).await?;
        let (mut fields, mut aliases) = (0, 0);
        for (_, op) in doc.operations.iter() {
            count(&op.node.selection_set.node, &mut fields, &mut aliases);
        }
        for fragment in doc.fragments.values() {
            count(&fragment.node.selection_set.node, &mut fields, &mut aliases);
        }
        if aliases > l.max_aliases {
            return Err(refuse(
                QUERY_TOO_COMPLEX,
                format!(
                    "the document has {aliases} aliases; the limit is {}",
                    l.max_aliases
                ),
            ));
        }
        if fields > l.max_fields {
            return Err(refuse(
                QUERY_TOO_COMPLEX,
                format!(
                    "the document has {fields} fields; the limit is {}",
                    l.max_fields
                ),
            ));
        }
        if !l.introspection && asks_for_schema(&doc) {
            return Err(refuse(
                FORBIDDEN,
                "introspection is turned off on this server".to_owned(),
            ));
        }
        self.exempt
            .store(introspection_only(&doc), Ordering::Relaxed);
        let untimed = doc
            .operations
            .iter()
            .any(|(_, op)| op.node.ty != OperationType::Query);
        self.untimed.store(untimed, Ordering::Relaxed);
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let l = &self.limits;
        if self.exempt.load(Ordering::Relaxed) {
            if result.complexity > l.max_introspection_complexity {
                return Err(vec![refuse(
                    QUERY_TOO_COMPLEX,
                    format!(
                        "the introspection query's complexity is {}; the limit is {}",
                        result.complexity, l.max_introspection_complexity
                    ),
                )]);
            }
            return Ok(result);
        }
        if result.depth > l.max_depth {
            return Err(vec![refuse(
                QUERY_TOO_DEEP,
                format!(
                    "the query is {} levels deep; the limit is {}",
                    result.depth, l.max_depth
                ),
            )]);
        }
        if result.complexity > l.max_complexity {
            return Err(vec![refuse(
                QUERY_TOO_COMPLEX,
                format!(
                    "the query's complexity is {} (each connection costs its page size times its selection); the limit is {}",
                    result.complexity, l.max_complexity
                ),
            )]);
        }
        Ok(result)
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if let Some(limit) = self.limits.max_run_time
            && !self.untimed.load(Ordering::Relaxed)
        {
            let due = self.resolved.fetch_add(1, Ordering::Relaxed) % CLOCK_EVERY == 0;
            if self.stopped.load(Ordering::Relaxed) || (due && self.started.elapsed() > limit) {
                self.stopped.store(true, Ordering::Relaxed);
                return Err(refuse(
                    RATE_LIMITED,
                    format!(
                        "{STOPPED} of {} ms and was stopped; ask for less, or retry later",
                        limit.as_millis()
                    ),
                ));
            }
        }
        next.run(ctx, info).await
    }
}
