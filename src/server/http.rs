//! GraphQL over HTTP, as its specification says: POST and GET on `/graphql`, the response
//! media type negotiated from `Accept`, request errors answered 400 with no `data` under
//! `application/graphql-response+json`, GET for queries only.

use super::AppState;
use super::guard::Refused;
use super::metrics::ErrorCodes;
use super::persisted::Refusal;
use crate::graphql::budget::WriteBegun;
use crate::graphql::error::clip_for_log;
use crate::graphql::{self, error};
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, Request, Variables};
use axum::body::{Body, Bytes};
use axum::extract::{Extension, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::sync::Arc;

const JSON: &str = "application/json";
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// The media type of the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    /// `application/json`: well-formed requests get 200 whatever their errors.
    Json,
    /// `application/graphql-response+json`: request errors get 4xx and no `data`.
    GraphqlResponse,
}

impl Media {
    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Media::Json => "application/json; charset=utf-8",
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        })
    }
}

/// Picks the response media type from `Accept`, in the client's order of preference; none,
/// `*/*` and `application/*` mean JSON. `None` if the client accepts neither.
pub fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Media::Json);
    };
    let mut best: Option<(f32, usize, Media)> = None;
    for (i, part) in accept.split(',').enumerate() {
        let mut pieces = part.split(';');
        let mime = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let media = match mime.as_str() {
            GRAPHQL_RESPONSE => Media::GraphqlResponse,
            JSON | "*/*" | "application/*" => Media::Json,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
            best = Some((q, i, media));
        }
    }
    if accept.trim().is_empty() {
        return Some(Media::Json);
    }
    best.map(|(_, _, m)| m)
}

/// A response carrying only errors (the request never reached execution).
pub fn error_response(status: StatusCode, media: Media, code: &str, message: &str) -> Response {
    let message = error::bounded(message);
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, media.content_type());
    response
        .extensions_mut()
        .insert(ErrorCodes(vec![code.to_owned()]));
    response
}

fn bad_request(media: Media, message: &str) -> Response {
    error_response(
        StatusCode::BAD_REQUEST,
        media,
        error::BAD_USER_INPUT,
        message,
    )
}

/// Reads the GraphQL parameters of one request from a JSON object.
fn params(object: &Map<String, Value>, from_url: bool) -> Result<Request, String> {
    let persisted = match object.get("extensions") {
        Some(Value::Object(e)) => e.contains_key("persistedQuery"),
        Some(Value::String(text)) if from_url => text.contains("persistedQuery"),
        _ => false,
    };
    let query = match object.get("query") {
        Some(Value::String(q)) => q.clone(),
        None | Some(Value::Null) if persisted => String::new(),
        None | Some(Value::Null) => return Err("the request has no `query`".into()),
        Some(_) => return Err("`query` must be a string".into()),
    };
    let mut request = Request::new(query);
    match object.get("operationName") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => request = request.operation_name(name.clone()),
        Some(_) => return Err("`operationName` must be a string".into()),
    }
    for (name, into_variables) in [("variables", true), ("extensions", false)] {
        let value = match object.get(name) {
            None | Some(Value::Null) => continue,
            Some(Value::String(text)) if from_url => {
                match serde_json::from_str::<Value>(text)
                    .map_err(|e| format!("`{name}` is not JSON: {e}"))?
                {
                    // `variables=null` in a URL means none, as `null` does in a body.
                    Value::Null => continue,
                    value => value,
                }
            }
            Some(v) => v.clone(),
        };
        let Value::Object(map) = value else {
            return Err(format!("`{name}` must be a JSON object"));
        };
        if into_variables {
            request = request.variables(Variables::from_json(Value::Object(map)));
        } else {
            for (k, v) in map {
                let v = async_graphql::Value::from_json(v)
                    .map_err(|e| format!("`extensions.{k}`: {e}"))?;
                request.extensions.insert(k, v);
            }
        }
    }
    Ok(request)
}

/// Fills in or checks the document of a request that names one by hash (automatic
/// persisted queries), and with a trusted-documents manifest, lets only its documents run
/// (the rules are [`Documents::resolve`](super::persisted::Documents::resolve)'s, shared
/// with `/ws`).
#[allow(
    clippy::result_large_err,
    reason = "the error is the response to send, built once"
)]
fn resolve_document(state: &AppState, request: Request, media: Media) -> Result<Request, Response> {
    state.documents.resolve(request).map_err(|refusal| {
        let status = match refusal {
            Refusal::Untrusted(_) => StatusCode::FORBIDDEN,
            // A request error: 400 only under graphql-response+json.
            _ if media == Media::Json => StatusCode::OK,
            _ => StatusCode::BAD_REQUEST,
        };
        let mut response = error_response(status, media, refusal.code(), refusal.message());
        if let Refusal::Untrusted(_) = refusal {
            response
                .extensions_mut()
                .insert(Refused("trusted_documents"));
        }
        response
    })
}

/// The type of the operation a request would run, if its document passes the limits and
/// parses (one that does not is refused with its error when it runs).
fn operation_type(state: &AppState, request: &Request) -> Option<OperationType> {
    graphql::limits::operation_type(request, &state.config.graphql.limits)
}

/// Whether a response failed before execution: no data, and no error with a path (field
/// errors have paths; parse, validation and variable errors do not).
pub(super) fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// Renders one GraphQL response; `None` means a request error under graphql-response+json
/// (the caller answers 400).
fn render(response: async_graphql::Response, media: Media) -> (StatusCode, Value) {
    let request_error = is_request_error(&response);
    let mut value = serde_json::to_value(&response).unwrap_or_else(|_| json!({}));
    if request_error
        && media == Media::GraphqlResponse
        && let Value::Object(map) = &mut value
    {
        map.remove("data");
        return (StatusCode::BAD_REQUEST, value);
    }
    (StatusCode::OK, value)
}

/// Runs one request ([`graphql::execute`]: codes on every error, panics caught), with
/// refused `Date` values explained by their value and format.
async fn execute(state: &AppState, request: Request) -> async_graphql::Response {
    let (query, variables) = (request.query.clone(), request.variables.clone());
    let mut response = graphql::execute(&state.schema, request).await;
    graphql::scalars::explain_invalid_dates(&query, &variables, &mut response.errors);
    response
}

/// The operation name to log: the request's, or the name its document gives its only
/// operation.
#[derive(Clone, Debug)]
pub struct OperationName(pub String);

/// Who the request's `Authorization` header names; a 401 response if reads need a token
/// and it has none.
#[allow(
    clippy::result_large_err,
    reason = "the error is the response to send, built once"
)]
fn caller(
    state: &AppState,
    headers: &HeaderMap,
    media: Media,
) -> Result<graphql::Caller, Response> {
    // A value that is not text matches no token.
    let authorization: Vec<&str> = headers
        .get_all(header::AUTHORIZATION)
        .iter()
        .map(|v| v.to_str().unwrap_or_default())
        .collect();
    let caller = match state.config.graphql.access.tokens.identify(&authorization) {
        Ok(caller) => caller,
        Err(message) => {
            return Err(error_response(
                StatusCode::BAD_REQUEST,
                media,
                error::BAD_USER_INPUT,
                &message,
            ));
        }
    };
    match state.config.graphql.access.check_read(&caller) {
        Ok(()) => Ok(caller),
        Err((code, message)) => {
            let mut response = error_response(StatusCode::UNAUTHORIZED, media, code, &message);
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            Err(response)
        }
    }
}

async fn run(
    state: &AppState,
    headers: &HeaderMap,
    batch: BatchRequest,
    media: Media,
    get: bool,
    begun: Option<WriteBegun>,
) -> Response {
    let caller = match caller(state, headers, media) {
        Ok(c) => c,
        Err(response) => return response,
    };
    // One budget for the whole HTTP request: a batch's queries share its time, reads and
    // answer size.
    let budget = graphql::budget::Budget::new(&state.config.graphql.limits);
    // The guard's mark of a begun write (GET runs no mutation).
    let begun = begun.unwrap_or_default();
    let batch = match batch {
        BatchRequest::Single(r) => match resolve_document(state, r, media) {
            Ok(r) => BatchRequest::Single(r.data(caller).data(budget).data(begun)),
            Err(response) => return response,
        },
        BatchRequest::Batch(rs) => {
            let mut resolved = Vec::with_capacity(rs.len());
            for r in rs {
                match resolve_document(state, r, media) {
                    Ok(r) => resolved.push(
                        r.data(caller.clone())
                            .data(Arc::clone(&budget))
                            .data(begun.clone()),
                    ),
                    Err(response) => return response,
                }
            }
            BatchRequest::Batch(resolved)
        }
    };
    // Only now, with the caller and the document allowed, is the document parsed.
    if get && let BatchRequest::Single(r) = &batch {
        let advice = match operation_type(state, r) {
            Some(OperationType::Mutation) => "GET runs queries only: send mutations with POST",
            Some(OperationType::Subscription) => {
                "GET runs queries only: subscribe over a WebSocket at /ws"
            }
            _ => "",
        };
        if !advice.is_empty() {
            let mut response = error_response(
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                error::BAD_USER_INPUT,
                advice,
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return response;
        }
    }
    let asked: Vec<Option<String>> = batch.iter().map(|r| r.operation_name.clone()).collect();
    let (status, text, codes, named) = match batch {
        BatchRequest::Single(request) => {
            let (status, text, codes, named) = single(state, request, media).await;
            (status, text, codes, vec![named])
        }
        BatchRequest::Batch(requests) => {
            let mut bodies = Vec::with_capacity(requests.len());
            let mut named = Vec::with_capacity(requests.len());
            let mut status = StatusCode::OK;
            for request in requests {
                let response = execute(state, request).await;
                named.push(document_name(&response));
                let (s, b) = render(response, media);
                if s != StatusCode::OK {
                    status = s;
                }
                bodies.push(b);
            }
            let body = Value::Array(bodies);
            (
                status,
                Bytes::from(body.to_string()),
                error_codes(&body),
                named,
            )
        }
    };
    // The name each request gives, or failing that the one its document gives its only
    // operation.
    let names: Vec<String> = asked
        .into_iter()
        .zip(named)
        .filter_map(|(asked, named)| asked.or(named))
        .collect();
    let etag = (get && codes.is_empty()).then(|| super::etag::of(&text));
    let not_modified = etag
        .as_ref()
        .is_some_and(|tag| super::etag::held(headers, tag));
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (status, text).into_response()
    };
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, media.content_type());
    if get {
        // Where reads need a token, an answer is for its caller only: no shared cache may
        // keep it (a proxy that ignores `Vary: Authorization` would serve it to anyone).
        let cache = if !codes.is_empty() {
            "no-store"
        } else if state.config.graphql.access.read_needs_token {
            "private, max-age=60"
        } else {
            "public, max-age=60"
        };
        out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        out.insert(
            header::VARY,
            HeaderValue::from_static("Accept, Authorization"),
        );
        if let Some(tag) = etag.and_then(|t| HeaderValue::from_str(&t).ok()) {
            out.insert(header::ETAG, tag);
        }
    }
    response.extensions_mut().insert(ErrorCodes(codes));
    if !names.is_empty() {
        response
            .extensions_mut()
            .insert(OperationName(clip_for_log(&names.join(","))));
    }
    response
}

/// Runs one request and renders it, answering a query from the cache of answers while no
/// write has happened since it was computed (see [`super::responses`]).
async fn single(
    state: &AppState,
    request: Request,
    media: Media,
) -> (StatusCode, Bytes, Vec<String>, Option<String>) {
    let key = state.responses.key(&request);
    let generation = state.store.generation();
    if let Some((body, named)) = key.and_then(|k| state.responses.get(&k, generation)) {
        return (StatusCode::OK, body, Vec::new(), named);
    }
    let keep = key.filter(|_| operation_type(state, &request) == Some(OperationType::Query));
    let response = execute(state, request).await;
    let named = document_name(&response);
    let (status, body) = render(response, media);
    let codes = error_codes(&body);
    let text = Bytes::from(body.to_string());
    if let Some(key) = keep
        && status == StatusCode::OK
        && codes.is_empty()
    {
        state
            .responses
            .put(key, generation, text.clone(), named.clone());
    }
    (status, text, codes, named)
}

/// The name the document gave its only operation, as the schema found it when it parsed
/// the document (see [`graphql::naming`]).
fn document_name(response: &async_graphql::Response) -> Option<String> {
    response
        .http_headers
        .get(graphql::naming::OPERATION_NAME_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The codes of every error in a rendered response (or batch).
fn error_codes(body: &Value) -> Vec<String> {
    let one = |b: &Value| -> Vec<String> {
        b.get("errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| e["extensions"]["code"].as_str().map(str::to_owned))
            .collect()
    };
    match body {
        Value::Array(items) => items.iter().flat_map(one).collect(),
        b => one(b),
    }
}

/// `POST /graphql`.
pub async fn post(
    State(state): State<Arc<AppState>>,
    begun: Option<Extension<WriteBegun>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return error_response(
            StatusCode::NOT_ACCEPTABLE,
            Media::Json,
            error::BAD_USER_INPUT,
            "Accept: this server answers application/graphql-response+json or application/json",
        );
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    match content_type.as_deref() {
        Some(JSON) => {}
        Some(other) => {
            return error_response(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                media,
                error::BAD_USER_INPUT,
                &format!("Content-Type {other} is not supported: send application/json"),
            );
        }
        None => {
            return error_response(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                media,
                error::BAD_USER_INPUT,
                "the request has no Content-Type: send application/json",
            );
        }
    }
    // Already read whole by the `body` layer, within the limit.
    let limit = state.config.max_body_bytes;
    let Ok(body) = axum::body::to_bytes(body, limit).await else {
        return super::body::too_large(media, limit);
    };
    if body.is_empty() {
        return bad_request(media, "the request has no body");
    }
    // The JSON parser recurses once per level: measure first (a batch, a request and its
    // variables are the envelope around what a document may nest).
    let limit = state.config.graphql.limits.nesting() + 3;
    if let Ok(text) = std::str::from_utf8(&body)
        && let deepest = graphql::nesting::measure(text)
        && deepest.depth > limit
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            media,
            error::QUERY_TOO_DEEP,
            &format!(
                "the request body nests {} levels deep, reached at line {}, column {}; the limit is {limit}",
                deepest.depth, deepest.line, deepest.column
            ),
        );
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad_request(media, &format!("the body is not JSON: {e}")),
    };
    let batch = match value {
        Value::Object(object) => match params(&object, false) {
            Ok(r) => BatchRequest::Single(r),
            Err(e) => return bad_request(media, &e),
        },
        Value::Array(items) => {
            let max = state.config.max_batch;
            if items.is_empty() || items.len() > max {
                return bad_request(
                    media,
                    &format!(
                        "a batch holds 1 to {max} requests; this one holds {}",
                        items.len()
                    ),
                );
            }
            let mut requests = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match item
                    .as_object()
                    .ok_or("not an object".to_string())
                    .and_then(|o| params(o, false))
                {
                    Ok(r) => requests.push(r),
                    Err(e) => return bad_request(media, &format!("batch[{i}]: {e}")),
                }
            }
            BatchRequest::Batch(requests)
        }
        _ => return bad_request(media, "the body must be a JSON object"),
    };
    run(&state, &headers, batch, media, false, begun.map(|b| b.0)).await
}

/// `GET /graphql?query=…`: queries only.
pub async fn get(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return error_response(
            StatusCode::NOT_ACCEPTABLE,
            Media::Json,
            error::BAD_USER_INPUT,
            "Accept: this server answers application/graphql-response+json or application/json",
        );
    };
    let pairs: Map<String, Value> = form_urlencoded(query.as_deref().unwrap_or(""));
    let request = match params(&pairs, true) {
        Ok(r) => r,
        Err(e) => return bad_request(media, &e),
    };
    run(
        &state,
        &headers,
        BatchRequest::Single(request),
        media,
        true,
        None,
    )
    .await
}

/// Decodes `a=1&b=2` into a JSON object of strings (the last of repeated keys wins).
fn form_urlencoded(query: &str) -> Map<String, Value> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect()
}

/// Methods other than GET and POST on `/graphql`.
pub async fn other_method(method: Method) -> Response {
    let mut response = error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        Media::Json,
        error::BAD_USER_INPUT,
        &format!("{method} is not supported on /graphql: use POST, or GET for queries"),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
    response
}
