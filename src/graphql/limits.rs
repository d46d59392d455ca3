//! Query limits, checked before anything runs: document size and nesting (measured before
//! the document is parsed), fields and aliases as written, fragments spread, depth, and
//! complexity in which a connection costs its page size times its selection.
//! Each error states the limit and the measured value. A document that only asks the
//! schema about itself (GraphiQL's introspection query) is exempt from the depth limit,
//! which would otherwise refuse it (async-graphql #1696), and held to a tight complexity
//! budget of its own instead, since its lists are not paged.
//!
//! A query also stops itself once it has run longer than [`Limits::max_run_time`]: resolvers
//! read sled synchronously, so execution never waits and an outer timeout could not
//! interrupt it. (Yielding to the runtime instead would let async-graphql, which collects an
//! object's fields in the order they finish, return them out of the selection's order.)

use super::budget::{Budget, Joint};
use super::documents::{Documents, Prepared};
use super::error::MAX_MESSAGE;
use super::error::{BAD_USER_INPUT, FORBIDDEN, QUERY_TOO_COMPLEX, QUERY_TOO_DEEP, RATE_LIMITED};
use super::{fanout, nesting, price, scan, shape};
use crate::store::Store;
use async_graphql::Positioned;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextResolve, NextValidation,
    ResolveInfo,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType,
};
use async_graphql::{Request, ServerError, ServerResult, ValidationResult, Value, Variables};
use std::any::{Any, TypeId};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The ceiling of [`Limits::max_nesting`]: async-graphql's parser refuses selection sets
/// nested deeper than 64 with a message of its own.
pub const MAX_NESTING: usize = 64;

/// The limits. Every one is configurable; the defaults let GraphiQL, every query of the
/// README and docs/, and every report through.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub max_fields: usize,
    pub max_document_bytes: usize,
    /// How deep brackets may nest anywhere in a document — selection sets, arguments, list
    /// and object values, list types — and selection sets once fragments are spread. At
    /// most [`MAX_NESTING`].
    pub max_nesting: usize,
    /// The complexity budget of an introspection-only document. GraphiQL's introspection
    /// query costs a few hundred.
    pub max_introspection_complexity: usize,
    /// Whether documents may ask the schema about itself.
    pub introspection: bool,
    /// Whether documents may name the federation's `_service` and `_entities`.
    pub federation: bool,
    /// How long a request (all the queries of a batch) may run before the query running
    /// stops itself with `RATE_LIMITED`. Mutations are
    /// never stopped halfway (a write, once begun, completes and is acknowledged), nor are
    /// subscriptions, which live as long as their socket.
    pub max_run_time: Option<Duration>,
    /// How large a request's answer may grow, in bytes of JSON (about), all the queries of
    /// a batch together: past it, the query running stops with `QUERY_TOO_COMPLEX` and no
    /// data, and so do the rest. Complexity bounds what a query may ask before it runs;
    /// this bounds what it gets, and so the memory one answer can hold.
    pub max_answer_bytes: usize,
    /// How many reads of the store one request may make (a batch, or the operations a
    /// socket runs at once): each entry a count, filter, aggregate or search reads, each
    /// item's record and each relation its conditions follow. A query whose price (see
    /// [`price`]) is more than what is left is refused before it runs; a field that runs
    /// out as it runs fails with `QUERY_TOO_COMPLEX` rather than hold a thread. A million
    /// reads take one to two seconds (benches/RESULTS.md, issue 23).
    pub max_filter_reads: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 15,
            max_complexity: 200_000,
            max_aliases: 30,
            max_fields: 500,
            max_document_bytes: 32 * 1024,
            max_nesting: 32,
            max_introspection_complexity: 2_000,
            introspection: true,
            federation: true,
            max_run_time: None,
            max_answer_bytes: 2 << 20,
            max_filter_reads: 1_000_000,
        }
    }
}

impl Limits {
    /// [`Limits::max_nesting`], never above [`MAX_NESTING`] whatever was configured.
    pub fn nesting(&self) -> usize {
        self.max_nesting.min(MAX_NESTING)
    }
}

fn refuse(code: &'static str, message: String) -> ServerError {
    let mut e = ServerError::new(message, None);
    e.extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    e
}

/// Parses a document once it has been measured: no larger than the limit, and nesting no
/// deeper (see [`nesting`]), so the parser's recursion is bounded before it starts. Every
/// parse of a client's document goes through here.
pub fn parse(query: &str, limits: &Limits) -> Result<ExecutableDocument, ServerError> {
    if query.len() > limits.max_document_bytes {
        return Err(refuse(
            BAD_USER_INPUT,
            format!(
                "the document is {} bytes; the limit is {}",
                query.len(),
                limits.max_document_bytes
            ),
        ));
    }
    let deepest = nesting::measure(query);
    if deepest.depth > limits.nesting() {
        return Err(refuse(
            QUERY_TOO_DEEP,
            format!(
                "the document nests {} levels deep (selections, arguments, lists and objects), \
                 reached at line {}, column {}; the limit is {}",
                deepest.depth,
                deepest.line,
                deepest.column,
                limits.nesting()
            ),
        ));
    }
    Ok(async_graphql::parser::parse_query(query)?)
}

/// The operation of `doc` that a request naming `name` runs: the document's only one, or
/// the one named; none where the request names none the document holds (validation
/// refuses it).
pub fn chosen<'d>(
    doc: &'d ExecutableDocument,
    name: Option<&str>,
) -> Option<&'d Positioned<OperationDefinition>> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) => ops.values().next().filter(|_| ops.len() == 1),
    }
}

/// The kind of operation `request` runs, if its document parses within `limits` and names
/// one it holds.
pub fn operation_type(request: &Request, limits: &Limits) -> Option<OperationType> {
    let doc = parse(&request.query, limits).ok()?;
    chosen(&doc, request.operation_name.as_deref()).map(|op| op.node.ty)
}

/// Variables nest no deeper than a document may (their JSON parser bounds them at 128).
fn check_variables(variables: &Variables, limits: &Limits) -> Result<(), ServerError> {
    for (name, value) in variables.iter() {
        let depth = nesting::value_depth(value);
        if depth > limits.nesting() {
            return Err(refuse(
                QUERY_TOO_DEEP,
                format!(
                    "variable ${name} nests {depth} levels deep; the limit is {}",
                    limits.nesting()
                ),
            ));
        }
    }
    Ok(())
}

/// Installs the limits on a schema, with the cache of documents that passed the checks on
/// their text.
pub struct LimitsExtension {
    limits: Arc<Limits>,
    documents: Arc<Documents>,
}

impl LimitsExtension {
    pub fn new(limits: Arc<Limits>) -> Self {
        LimitsExtension {
            limits,
            documents: Arc::default(),
        }
    }
}

impl ExtensionFactory for LimitsExtension {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsCheck {
            limits: Arc::clone(&self.limits),
            documents: Arc::clone(&self.documents),
            exempt: AtomicBool::new(false),
            untimed: AtomicBool::new(false),
            budget: OnceLock::new(),
            operation: Mutex::new(None),
            in_place: AtomicBool::new(false),
        })
    }
}

struct LimitsCheck {
    limits: Arc<Limits>,
    documents: Arc<Documents>,
    exempt: AtomicBool,
    /// The document holds a mutation or a subscription: no time or size limit.
    untimed: AtomicBool,
    /// What the request may spend (shared with the rest of its batch or socket), once the
    /// request is prepared (the factory makes one check per query).
    budget: OnceLock<Arc<Budget>>,
    /// The operation to price once it is valid: its document, variables and name.
    operation: Mutex<Option<price::Operation>>,
    /// The query runs in place of its worker (see [`super::budget::LONG`]).
    in_place: AtomicBool,
}

/// The request data of type `T`, if the request holds some.
fn data_of<T: Any>(request: &Request) -> Option<&T> {
    request
        .data
        .get(&TypeId::of::<T>())
        .and_then(|d| d.downcast_ref::<T>())
}

/// The message of a query stopped at its time limit; [`super::execute`] keeps one such error.
pub const STOPPED: &str = "the query ran past its time limit";

/// The message of a query stopped when its answer outgrew the limit.
pub const TOO_LARGE: &str = "the answer grew past its limit";

/// Whether `e` is the error of a query stopped halfway, at its time or size limit.
pub fn is_stopped(e: &ServerError) -> bool {
    e.message.starts_with(STOPPED) || e.message.starts_with(TOO_LARGE)
}

/// Parses a document and makes every check that depends on its text alone.
fn prepare(query: &str, l: &Limits, ctx: &ExtensionContext<'_>) -> ServerResult<Prepared> {
    let doc = parse(query, l)?;
    let (fields, aliases) = shape::written(&doc);
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
    let exempt = shape::introspection_only(&doc);
    let spread = shape::spread(&doc).map_err(|f| refuse(BAD_USER_INPUT, f.to_string()))?;
    if spread.depth > l.nesting() {
        return Err(refuse(
            QUERY_TOO_DEEP,
            format!(
                "the selections nest {} levels deep once fragments are spread; the limit is {}",
                spread.depth,
                l.nesting()
            ),
        ));
    }
    // Every field costs at least 1, so a document that spreads into more fields than
    // the complexity limit would be refused by validation, which spreads fragments as
    // it walks: refused here, in linear time.
    let budget = if exempt {
        l.max_introspection_complexity
    } else {
        l.max_complexity
    };
    if spread.fields > budget {
        return Err(refuse(
            QUERY_TOO_COMPLEX,
            format!(
                "the document spreads its fragments into {} fields; the limit is {budget}",
                spread.fields
            ),
        ));
    }
    shape::directives(&doc, &ctx.schema_env.registry)
        .and_then(|()| shape::subscription_roots(&doc))
        .map_err(|f| refuse(BAD_USER_INPUT, f.to_string()))?;
    if !l.introspection && shape::asks_for_schema(&doc) {
        return Err(refuse(
            FORBIDDEN,
            "introspection is turned off on this server".to_owned(),
        ));
    }
    if !l.federation && shape::names_federation(&doc) {
        return Err(refuse(
            FORBIDDEN,
            "federation (_service, _entities) is turned off on this server".to_owned(),
        ));
    }
    Ok(Prepared {
        doc,
        introspection_only: exempt,
    })
}

impl LimitsCheck {
    /// The refusal of an operation whose price (see [`price`]) is more than the reads its
    /// request has left; none for one that fits, or when no store is at hand.
    fn priced(&self, ctx: &ExtensionContext<'_>) -> Option<ServerError> {
        let operation = self
            .operation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()?;
        let store = ctx.data_opt::<Arc<Store>>()?;
        let budget = self.budget.get()?;
        // A store that cannot say its sizes fails the query when it runs, with its error.
        let known = price::Known::of(store).ok()?;
        let priced = price::price(&ctx.schema_env.registry, &operation, &known);
        let left = budget.reads.left();
        if priced.reads <= left {
            return None;
        }
        let dearest = priced
            .dearest
            .map(|(path, reads)| format!(", {reads} of them by {path}"))
            .unwrap_or_default();
        let of = budget.reads.of();
        let past = if left < of {
            format!("the {left} its request has left of {of}")
        } else {
            format!("the {of} a request may make")
        };
        Some(refuse(
            QUERY_TOO_COMPLEX,
            format!(
                "the query may read {} entries of the store{dearest} (counts, aggregates and fan-outs read whole lists, as large as this store's); that is more than {past}: ask for fewer counts, smaller pages or fewer aliases",
                priced.reads
            ),
        ))
    }
}

#[async_trait::async_trait]
impl Extension for LimitsCheck {
    /// Measures and parses the document before async-graphql does (it then uses this
    /// parse), and refuses what is too large, too deep or malformed in shape; a document
    /// seen before and kept is not parsed or checked again (see `documents`).
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let prepared = match self.documents.get(&request.query) {
            Some(prepared) => prepared,
            None => {
                let prepared = Arc::new(prepare(&request.query, &self.limits, ctx)?);
                self.documents.insert(&request.query, Arc::clone(&prepared));
                prepared
            }
        };
        check_variables(&request.variables, &self.limits)?;
        let doc = prepared.doc.clone();
        let exempt = prepared.introspection_only;
        self.exempt.store(exempt, Ordering::Relaxed);
        // Only the operation that runs decides: a subscription written beside a query must
        // not lift the query's limits.
        let runs = chosen(&doc, request.operation_name.as_deref()).map(|op| op.node.ty);
        let untimed = runs.is_some_and(|ty| ty != OperationType::Query);
        self.untimed.store(untimed, Ordering::Relaxed);
        // The request's budget: its batch's, its socket's (but a subscription's own), or its
        // own. Its reads serve every count, filter and search of the request.
        let subscription = runs == Some(OperationType::Subscription);
        let budget = match (
            data_of::<Arc<Budget>>(&request),
            data_of::<Arc<Joint>>(&request),
        ) {
            (Some(budget), _) => Arc::clone(budget),
            (None, Some(joint)) if !subscription => joint.join(&self.limits),
            _ => Budget::new(&self.limits),
        };
        let reads = Arc::clone(&budget.reads);
        let _ = self.budget.set(budget);
        *self.operation.lock().unwrap_or_else(|p| p.into_inner()) = Some(price::Operation {
            doc: Arc::clone(&prepared),
            variables: request.variables.clone(),
            name: request.operation_name.clone(),
        });
        request.set_parsed_query(doc);
        let request = request.data(reads);
        next.run(ctx, request).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        // Plain lists cost the store's fan-out (see `fanout`): validation, which computes
        // complexity, runs synchronously within this call.
        let store = ctx.data_opt::<Arc<Store>>();
        let fan = store.and_then(|store| store.fan_out().ok());
        let measuring = fan.map(fanout::measuring);
        // Root lists given a filter or an ordering cost what they scan (see `scan`).
        let scanning =
            store.map(|store| scan::measuring(Arc::clone(store), self.limits.max_filter_reads));
        let result = next.run(ctx).await;
        drop(scanning);
        drop(measuring);
        let result = result?;
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
                    "the query's complexity is {} (a connection costs its page size, a plain list the most items the store lists there, times its selection; a root list given a filter or an ordering one more for every {} reads of what it scans); the limit is {}",
                    result.complexity,
                    scan::SCAN_PER_POINT,
                    l.max_complexity
                ),
            )]);
        }
        if let Some(refusal) = self.priced(ctx) {
            return Err(vec![refusal]);
        }
        Ok(result)
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if self.untimed.load(Ordering::Relaxed) {
            return next.run(ctx, info).await;
        }
        let Some(budget) = self.budget.get() else {
            return next.run(ctx, info).await;
        };
        if budget.past(self.limits.max_run_time, info.path_node.parent.is_none()) {
            let limit = self.limits.max_run_time.unwrap_or_default();
            return Err(refuse(
                RATE_LIMITED,
                format!(
                    "{STOPPED} of {} ms and was stopped; ask for less, or retry later",
                    limit.as_millis()
                ),
            ));
        }
        // A request that has run a while goes on in place of its worker (see
        // [`Budget::long`]): each field it resolves from then on, with the fields under it.
        if budget.long()
            && !self.in_place.load(Ordering::Relaxed)
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
            && runtime.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread
        {
            self.in_place.store(true, Ordering::Relaxed);
            let resolved = tokio::task::block_in_place(|| {
                runtime.block_on(self.limited(ctx, info, next, budget))
            });
            self.in_place.store(false, Ordering::Relaxed);
            return resolved;
        }
        self.limited(ctx, info, next, budget).await
    }
}

impl LimitsCheck {
    /// Resolves a field under the request's answer cap.
    async fn limited(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
        budget: &Budget,
    ) -> ServerResult<Option<Value>> {
        let too_large = || {
            refuse(
                QUERY_TOO_COMPLEX,
                format!(
                    "{TOO_LARGE} of {} bytes and was stopped; ask for fewer fields or smaller pages",
                    self.limits.max_answer_bytes
                ),
            )
        };
        if budget.too_large() {
            return Err(too_large());
        }
        let key = info.alias.unwrap_or(info.name).len();
        // A leaf's value (a scalar, or a JSON scalar holding a whole record) is counted
        // whole; an object's or a list's fields are counted as they resolve.
        let leaf = info.field.selection_set.node.items.is_empty();
        let value = match next.run(ctx, info).await {
            Ok(value) => value,
            Err(e) => {
                budget.answer(
                    e.message.len().min(MAX_MESSAGE),
                    self.limits.max_answer_bytes,
                );
                return Err(e);
            }
        };
        if let Some(v) = &value {
            let added = key + 3 + if leaf { value_size(v) } else { answer_size(v) };
            if !budget.answer(added, self.limits.max_answer_bytes) {
                return Err(too_large());
            }
        }
        Ok(value)
    }
}

/// The bytes a whole value takes in JSON, about, walked with a stack of its own.
fn value_size(v: &Value) -> usize {
    // Most leaves are scalars: no stack for them (this runs for every leaf of every answer).
    if !matches!(v, Value::Object(_) | Value::List(_)) {
        return answer_size(v);
    }
    let mut size = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        size += match v {
            Value::Object(fields) => {
                stack.extend(fields.values());
                2 + fields.keys().map(|k| k.len() + 4).sum::<usize>()
            }
            Value::List(items) => {
                stack.extend(items.iter());
                2 + items.len()
            }
            scalar => answer_size(scalar),
        };
    }
    size
}

/// The bytes a field's value adds to the JSON answer, about: objects and lists only their
/// brackets (their fields are counted as they resolve), scalars their text.
fn answer_size(v: &Value) -> usize {
    match v {
        Value::Object(_) => 2,
        Value::List(items) => items.iter().fold(2, |n, item| {
            n + 1
                + match item {
                    Value::Object(_) | Value::List(_) => 0,
                    scalar => answer_size(scalar),
                }
        }),
        Value::String(s) => s.len() + 2,
        Value::Enum(name) => name.len() + 2,
        Value::Number(n) => n.to_string().len(),
        Value::Boolean(_) | Value::Null => 5,
        Value::Binary(b) => b.len() * 4 / 3 + 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_configured_past_the_ceiling_is_held_at_it() {
        let limits = Limits {
            max_nesting: 100_000,
            ..Limits::default()
        };
        let deep = format!("{{ a(x: {}1{}) }}", "[".repeat(5_000), "]".repeat(5_000));
        let e = parse(&deep, &limits).unwrap_err();
        assert!(e.message.ends_with("the limit is 64"), "{}", e.message);
    }
}
