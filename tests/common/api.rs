//! [`Api`]: a GraphQL client of one test server with or without a token, and the reads the
//! write tests share (a record's history, the whole graph as a snapshot).

use super::{TOKENS, TestServer};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

/// A GraphQL client of one server, sending a bearer token or none.
pub(crate) struct Api {
    url: String,
    client: reqwest::Client,
}

impl Api {
    pub fn new(base: &str, client: &reqwest::Client) -> Api {
        Api {
            url: format!("{base}/graphql"),
            client: client.clone(),
        }
    }

    /// The JSON body of a POST, with `Authorization: Bearer <secret>` if given.
    pub async fn body(&self, secret: Option<&str>, query: &str, variables: Value) -> Value {
        self.with_header(secret.map(|s| format!("Bearer {s}")), query, variables)
            .await
    }

    /// The JSON body of a POST with this `Authorization` header value, if any.
    pub async fn with_header(
        &self,
        authorization: Option<String>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut request = self
            .client
            .post(&self.url)
            .timeout(Duration::from_secs(60))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(a) = authorization {
            request = request.header("authorization", a);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "{query}");
        response.json().await.unwrap()
    }

    /// The `data` of a request that must succeed.
    pub async fn ok(&self, secret: Option<&str>, query: &str, variables: Value) -> Value {
        let body = self.body(secret, query, variables.clone()).await;
        assert!(
            body.get("errors").is_none(),
            "{query} {variables}: unexpected errors: {body}"
        );
        body["data"].clone()
    }

    /// The code and message of a request that must fail with errors of one code; the
    /// message joins every error's.
    pub async fn fails(
        &self,
        secret: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (String, String) {
        let body = self.body(secret, query, variables.clone()).await;
        error_of(&body, query, &variables)
    }
}

pub(crate) fn error_of(body: &Value, query: &str, variables: &Value) -> (String, String) {
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{query} {variables}: no errors: {body}"));
    assert!(!errors.is_empty(), "{body}");
    let codes: BTreeSet<&str> = errors
        .iter()
        .map(|e| e["extensions"]["code"].as_str().unwrap_or("(none)"))
        .collect();
    assert_eq!(codes.len(), 1, "{query}: mixed codes {body}");
    // A failed mutation returns no data for its field.
    if let Some(data) = body.get("data").and_then(Value::as_object) {
        assert!(
            data.values().all(Value::is_null),
            "{query}: data with errors {body}"
        );
    }
    let message = errors
        .iter()
        .map(|e| e["message"].as_str().unwrap_or("").to_owned())
        .collect::<Vec<_>>()
        .join(" | ");
    (codes.into_iter().next().unwrap().to_owned(), message)
}

/// The newest history entry of `id`: (op, by).
pub(crate) async fn newest(api: &Api, id: &str) -> (String, String) {
    let data = api
        .ok(
            None,
            "query($id: ID!) { history(id: $id, first: 1) { nodes { op by } } }",
            json!({ "id": id }),
        )
        .await;
    let e = &data["history"]["nodes"][0];
    assert!(!e.is_null(), "no history for {id}");
    (
        e["op"].as_str().unwrap().to_owned(),
        e["by"].as_str().unwrap().to_owned(),
    )
}

/// The whole history of `id`, newest first, paging forward `page` changes at a time with
/// `after: pageInfo.endCursor`; each page's `totalCount` must be the number of changes in all.
pub(crate) async fn whole_history(api: &Api, id: &str, page: usize, fields: &str) -> Vec<Value> {
    let query = format!(
        "query($id: ID!, $first: Int, $after: String) {{
            history(id: $id, first: $first, after: $after) {{
                totalCount nodes {{ {fields} }} pageInfo {{ endCursor hasNextPage }} }} }}"
    );
    let mut out: Vec<Value> = Vec::new();
    let mut after: Option<String> = None;
    let mut total = None;
    loop {
        let h = api
            .ok(
                None,
                &query,
                json!({ "id": id, "first": page, "after": after }),
            )
            .await["history"]
            .clone();
        let n = h["totalCount"].as_u64().unwrap() as usize;
        assert_eq!(*total.get_or_insert(n), n, "{id}: totalCount changed");
        let nodes = h["nodes"].as_array().unwrap();
        assert!(
            nodes.len() <= page,
            "{id}: a page of {} > {page}",
            nodes.len()
        );
        out.extend(nodes.iter().cloned());
        if h["pageInfo"]["hasNextPage"] != true {
            break;
        }
        assert_eq!(nodes.len(), page, "{id}: a short page before the last");
        after = Some(h["pageInfo"]["endCursor"].as_str().unwrap().to_owned());
    }
    assert_eq!(out.len(), total.unwrap_or(0), "{id}: totalCount");
    out
}

pub(crate) async fn assert_logged(api: &Api, id: &str, op: &str, by: &str) {
    assert_eq!(
        newest(api, id).await,
        (op.to_owned(), by.to_owned()),
        "history of {id}"
    );
}

pub(crate) const FUNDING_FIELDS: &str = "funder { ... on Member { id } ... on Partner { id } }
    target { ... on Initiative { id } ... on Meeting { id } }
    amountUsd projectCount approvedAt { id } note sources { id }";
pub(crate) const PARTY: &str = "{ ... on Member { id } ... on Partner { id } ... on Body { id } }";

/// Every node of a root list, paged (small pages keep each query under the complexity
/// limit, whatever the nested selection).
pub(crate) async fn all_of(api: &Api, list: &str, selection: &str) -> Value {
    let query = format!(
        "query($after: String) {{ {list}(first: 10, after: $after) {{
            nodes {{ {selection} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let mut nodes = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = api.ok(None, &query, json!({ "after": after })).await;
        let page = &data[list];
        nodes.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            return Value::Array(nodes);
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

/// What the graph holds, read through the API: every record with its fields and
/// relationships, every funding, and the change log. Equal snapshots = nothing changed.
pub(crate) async fn snapshot(api: &Api) -> Value {
    let lists = [
        (
            "members",
            format!(
                "id code name nameVi joinedOn clmv description
                sources {{ id }} claims {{ field value note source {{ id }} }}
                chairmanships {{ year body {{ id }} sources {{ id }} }} people {{ id }}
                meetings(first: 100) {{ nodes {{ id }} }}
                fundings(first: 100) {{ nodes {{ {FUNDING_FIELDS} }} }}"
            ),
        ),
        (
            "partners",
            format!(
                "id code name nameVi kind since description
                statuses {{ kind from fromPrecision to note sources {{ id }} }}
                sources {{ id }} claims {{ field value source {{ id }} }}
                meetings(first: 100) {{ nodes {{ id }} }}
                fundings(first: 100) {{ nodes {{ {FUNDING_FIELDS} }} }}"
            ),
        ),
        (
            "bodies",
            "id code name nameVi pillar description
                parent { id } children { id } chairs { year member { id } sources { id } }
                meetings(first: 100) { nodes { id } } attended(first: 100) { nodes { id } }
                initiatives(first: 100) { nodes { id } }
                sources { id } claims { field value source { id } }"
                .to_owned(),
        ),
        (
            "meetings",
            format!(
                "id code title titleVi body {{ id }} number
                startDate endDate datePrecision format location description chair {{ id }}
                participants {{ party {PARTY} role headOfDelegation {{ id }} sources {{ id }} }}
                initiatives(first: 100) {{ nodes {{ id }} }} approved(first: 100) {{ nodes {{ id }} }}
                fundings(first: 100) {{ nodes {{ {FUNDING_FIELDS} }} }}
                approvedFundings(first: 100) {{ nodes {{ funder {{ ... on Member {{ id }} ... on Partner {{ id }} }} }} }}
                sources {{ id }} claims {{ field value source {{ id }} }}"
            ),
        ),
        (
            "initiatives",
            format!(
                "id code name nameVi aliases kind startYear
                endYear description parent {{ id }} children(first: 100) {{ nodes {{ id }} }}
                leadBodies {{ id }} meetings(first: 100) {{ nodes {{ id }} }}
                fundings(first: 100) {{ nodes {{ {FUNDING_FIELDS} }} }}
                figures {{ label value unit asOf note source {{ id }} }}
                sources {{ id }} claims {{ field value source {{ id }} }}"
            ),
        ),
        (
            "people",
            format!(
                "id code name nameVi title description
                represents {{ id }} delegations {{ meeting {{ id }} party {PARTY} sources {{ id }} }}
                sources {{ id }} claims {{ field value source {{ id }} }}"
            ),
        ),
        (
            "sources",
            "id code title publisher publishedOn language file url note citationCount".to_owned(),
        ),
        ("fundings", FUNDING_FIELDS.to_owned()),
    ];
    let mut all = serde_json::Map::new();
    for (list, selection) in lists {
        all.insert(list.to_owned(), all_of(api, list, &selection).await);
    }
    let log = api
        .ok(
            None,
            "{ changes(first: 500) { seq op recordId by before after } }",
            json!({}),
        )
        .await;
    all.insert("changes".into(), log["changes"].clone());
    Value::Object(all)
}

/// The ids in `list` (objects with `id`).
pub(crate) fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) async fn server() -> (TestServer, Api) {
    let s = TestServer::with_tokens(TOKENS).await;
    let api = Api::new(&s.base, &s.client);
    (s, api)
}

pub(crate) fn pick(data: &Value, path: &str) -> Vec<String> {
    let mut v = data;
    for p in path.split('.') {
        v = &v[p];
    }
    match v {
        Value::Null => vec![],
        Value::Array(_) => ids(v),
        Value::Object(_) => vec![v["id"].as_str().unwrap().to_owned()],
        other => panic!("{path}: {other}"),
    }
}

pub(crate) async fn citation_count(api: &Api, code: &str) -> i64 {
    api.ok(
        None,
        "query($code: String!) { source(code: $code) { citationCount } }",
        json!({ "code": code }),
    )
    .await["source"]["citationCount"]
        .as_i64()
        .unwrap()
}
