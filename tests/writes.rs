//! Writes through the real server over HTTP: every mutation's success (its result, a
//! re-read, and its history entry), every class of bad input (its code, a message naming the
//! field, and nothing changed), the access matrix, referential integrity both ways, and
//! concurrent writers ending in a serial state that `check` finds clean.

use crate::durability::{ADMIN, ChildServer, EDITOR, READER, TOKENS, check};
use crate::http::TestServer;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

/// A well-formed secret no token has.
const WRONG: &str = "not-a-configured-secret-000";

/// A GraphQL client of one server, sending a bearer token or none.
pub struct Api {
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

fn error_of(body: &Value, query: &str, variables: &Value) -> (String, String) {
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
async fn newest(api: &Api, id: &str) -> (String, String) {
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
async fn whole_history(api: &Api, id: &str, page: usize, fields: &str) -> Vec<Value> {
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

async fn assert_logged(api: &Api, id: &str, op: &str, by: &str) {
    assert_eq!(
        newest(api, id).await,
        (op.to_owned(), by.to_owned()),
        "history of {id}"
    );
}

const FUNDING_FIELDS: &str = "funder { ... on Member { id } ... on Partner { id } }
    target { ... on Initiative { id } ... on Meeting { id } }
    amountUsd projectCount approvedAt { id } note sources { id }";
const PARTY: &str = "{ ... on Member { id } ... on Partner { id } ... on Body { id } }";

/// Every node of a root list, paged (small pages keep each query under the complexity
/// limit, whatever the nested selection).
async fn all_of(api: &Api, list: &str, selection: &str) -> Value {
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
pub async fn snapshot(api: &Api) -> Value {
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
            "{ changes(first: 500) { seq op id by before after } }",
            json!({}),
        )
        .await;
    all.insert("changes".into(), log["changes"].clone());
    Value::Object(all)
}

/// The ids in `list` (objects with `id`).
fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn server() -> (TestServer, Api) {
    let s = TestServer::with_tokens(TOKENS).await;
    let api = Api::new(&s.base, &s.client);
    (s, api)
}

// ---------------------------------------------------------------------------------------
// Each mutation's success.

/// One node kind: its create input, its patch, and the fields to read back.
struct KindCase {
    name: &'static str,
    field: &'static str,
    code: &'static str,
    fields: &'static str,
    input: Value,
    created: Value,
    patch: Value,
    patched: Value,
}

fn kind_cases() -> Vec<KindCase> {
    vec![
        KindCase {
            name: "Member",
            field: "member",
            code: "XTM",
            fields: "id code name nameVi joinedOn clmv description sources { code }",
            input: json!({ "code": "xtm", "name": "Testland", "nameVi": "Xứ Thử",
                "joinedOn": "2030-01-01", "clmv": true, "sources": ["tsrc"] }),
            created: json!({ "id": "Member:XTM", "code": "XTM", "name": "Testland",
                "nameVi": "Xứ Thử", "joinedOn": "2030-01-01", "clmv": true, "description": null,
                "sources": [{ "code": "TSRC" }] }),
            patch: json!({ "name": "Republic of Testland", "nameVi": null, "clmv": false,
                "description": "Made up for a test." }),
            patched: json!({ "name": "Republic of Testland", "nameVi": null,
                "joinedOn": "2030-01-01", "clmv": false, "description": "Made up for a test." }),
        },
        KindCase {
            name: "Partner",
            field: "partner",
            code: "TSTP",
            fields: "id code name nameVi kind since description statuses { kind } sources { code }",
            input: json!({ "code": "tstp", "name": "Test Partner", "sources": ["TSRC"] }),
            created: json!({ "id": "Partner:TSTP", "code": "TSTP", "name": "Test Partner",
                "nameVi": null, "kind": "EXTERNAL_ORGANIZATION", "since": null,
                "description": null, "statuses": [], "sources": [{ "code": "TSRC" }] }),
            patch: json!({ "nameVi": "Đối tác thử", "sources": ["TSRC", "P2"] }),
            patched: json!({ "name": "Test Partner", "nameVi": "Đối tác thử",
                "sources": [{ "code": "TSRC" }, { "code": "P2" }] }),
        },
        KindCase {
            name: "Body",
            field: "body",
            code: "TB",
            fields: "id code name nameVi pillar description parent { code } sources { code }",
            input: json!({ "code": "tb", "name": "Test Body", "pillar": "ECONOMIC",
                "sources": ["TSRC"] }),
            created: json!({ "id": "Body:TB", "code": "TB", "name": "Test Body", "nameVi": null,
                "pillar": "ECONOMIC", "description": null, "parent": null,
                "sources": [{ "code": "TSRC" }] }),
            patch: json!({ "pillar": null, "name": "Test Body II" }),
            patched: json!({ "pillar": null, "name": "Test Body II" }),
        },
        KindCase {
            name: "Meeting",
            field: "meeting",
            code: "TB-1",
            fields: "id code title titleVi number startDate endDate datePrecision format location
                description body { code } sources { code }",
            input: json!({ "code": "tb-1", "title": "1st Test Meeting", "number": 1,
                "startDate": "2021-03-25", "endDate": "2021-03-26", "format": "VIRTUAL",
                "sources": ["TSRC"] }),
            created: json!({ "id": "Meeting:TB-1", "code": "TB-1", "title": "1st Test Meeting",
                "titleVi": null, "number": 1, "startDate": "2021-03-25",
                "endDate": "2021-03-26", "datePrecision": "DAY", "format": "VIRTUAL",
                "location": null, "description": null, "body": null,
                "sources": [{ "code": "TSRC" }] }),
            patch: json!({ "endDate": null, "format": "HYBRID", "location": "Ha Noi",
                "datePrecision": "MONTH" }),
            patched: json!({ "startDate": "2021-03-25", "endDate": null, "format": "HYBRID",
                "location": "Ha Noi", "datePrecision": "MONTH", "number": 1 }),
        },
        KindCase {
            name: "Initiative",
            field: "initiative",
            code: "TEST-INIT",
            fields: "id code name nameVi aliases kind startYear endYear description
                parent { code } figures { label } sources { code }",
            input: json!({ "code": "test-init", "name": "Test Initiative", "kind": "PROJECT",
                "aliases": ["TI"], "startYear": 2021, "endYear": 2025, "sources": ["TSRC"] }),
            created: json!({ "id": "Initiative:TEST-INIT", "code": "TEST-INIT",
                "name": "Test Initiative", "nameVi": null, "aliases": ["TI"], "kind": "PROJECT",
                "startYear": 2021, "endYear": 2025, "description": null, "parent": null,
                "figures": [], "sources": [{ "code": "TSRC" }] }),
            patch: json!({ "kind": "PLAN", "endYear": 2030, "aliases": [] }),
            patched: json!({ "kind": "PLAN", "startYear": 2021, "endYear": 2030, "aliases": [] }),
        },
        KindCase {
            name: "Person",
            field: "person",
            code: "TEST-PERSON",
            fields: "id code name nameVi title description represents { code } sources { code }",
            input: json!({ "code": "test-person", "name": "Test Person", "title": "Ambassador",
                "sources": ["TSRC"] }),
            created: json!({ "id": "Person:TEST-PERSON", "code": "TEST-PERSON",
                "name": "Test Person", "nameVi": null, "title": "Ambassador",
                "description": null, "represents": null, "sources": [{ "code": "TSRC" }] }),
            patch: json!({ "title": null, "nameVi": "Người Thử" }),
            patched: json!({ "title": null, "nameVi": "Người Thử", "name": "Test Person" }),
        },
    ]
}

/// Every key of `expected` has its value in `actual`.
fn assert_subset(expected: &Value, actual: &Value, what: &str) {
    for (k, v) in expected.as_object().unwrap() {
        assert_eq!(&actual[k], v, "{what}: field {k} in {actual}");
    }
}

#[tokio::test]
async fn every_record_kind_is_created_updated_and_deleted_with_history() {
    let (_s, api) = server().await;

    // A source first: the other records cite it.
    let source_fields = "id code title publisher publishedOn language file url note citationCount";
    let created = api
        .ok(
            Some(EDITOR),
            &format!("mutation($input: SourceInput!) {{ createSource(input: $input) {{ {source_fields} }} }}"),
            json!({ "input": { "code": "tsrc", "title": "A test source", "publisher": "Tests",
                "publishedOn": "2021-03-26", "language": "vi", "url": "https://example.org/t" } }),
        )
        .await["createSource"]
        .clone();
    assert_subset(
        &json!({ "id": "Source:TSRC", "code": "TSRC", "title": "A test source",
            "publisher": "Tests", "publishedOn": "2021-03-26", "language": "vi", "file": null,
            "url": "https://example.org/t", "note": null, "citationCount": 0 }),
        &created,
        "createSource",
    );
    let read = api
        .ok(
            None,
            &format!("{{ source(code: \"TSRC\") {{ {source_fields} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(read["source"], created);
    assert_logged(&api, "Source:TSRC", "createSource", "ana").await;

    for case in kind_cases() {
        let (name, field, code, fields) = (case.name, case.field, case.code, case.fields);
        let id = format!("{name}:{code}");
        let read_query = format!("query($code: String!) {{ {field}(code: $code) {{ {fields} }} }}");

        // Create.
        let data = api
            .ok(
                Some(EDITOR),
                &format!("mutation($input: {name}Input!) {{ create{name}(input: $input) {{ {fields} }} }}"),
                json!({ "input": case.input }),
            )
            .await;
        let result = &data[format!("create{name}")];
        assert_eq!(result, &case.created, "create{name}");
        let read = api.ok(None, &read_query, json!({ "code": code })).await;
        assert_eq!(&read[field], result, "{id} re-read after create");
        assert_logged(&api, &id, &format!("create{name}"), "ana").await;

        // Update: the given fields change (null clears), the others stay.
        let data = api
            .ok(
                Some(EDITOR),
                &format!(
                    "mutation($code: String!, $input: {name}Patch!) {{
                        update{name}(code: $code, input: $input) {{ {fields} }} }}"
                ),
                // Codes are case-insensitive on input.
                json!({ "code": code.to_lowercase(), "input": case.patch }),
            )
            .await;
        let result = data[format!("update{name}")].clone();
        assert_subset(&case.patched, &result, &format!("update{name}"));
        assert_eq!(result["id"], json!(id));
        let read = api.ok(None, &read_query, json!({ "code": code })).await;
        assert_eq!(read[field], result, "{id} re-read after update");
        assert_logged(&api, &id, &format!("update{name}"), "ana").await;

        // Delete.
        let data = api
            .ok(
                Some(EDITOR),
                &format!("mutation($code: String!) {{ delete{name}(code: $code) }}"),
                json!({ "code": code }),
            )
            .await;
        assert_eq!(data[format!("delete{name}")], true);
        let read = api
            .ok(
                None,
                &format!("query($code: String!, $id: ID!) {{ {field}(code: $code) {{ id }} node(id: $id) {{ id }} }}"),
                json!({ "code": code, "id": id }),
            )
            .await;
        assert_eq!(read[field], Value::Null, "{id} still there");
        assert_eq!(read["node"], Value::Null, "{id} still a node");

        // The whole history, newest first, with the record before and after each change.
        let history = api
            .ok(
                None,
                "query($id: ID!) { history(id: $id) { nodes { op by id kind before after } } }",
                json!({ "id": id }),
            )
            .await["history"]["nodes"]
            .clone();
        let ops: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["op"].as_str().unwrap())
            .collect();
        assert_eq!(
            ops,
            [
                format!("delete{name}"),
                format!("update{name}"),
                format!("create{name}")
            ],
            "{id}"
        );
        for e in history.as_array().unwrap() {
            assert_eq!(e["by"], "ana");
            assert_eq!(e["id"], json!(id));
            assert_eq!(e["kind"], name);
        }
        assert!(history[0]["after"].is_null() && history[0]["before"]["code"] == code);
        assert!(history[2]["before"].is_null() && history[2]["after"]["code"] == code);
        assert_eq!(history[1]["before"], history[2]["after"]);
        assert_eq!(history[1]["after"], history[0]["before"]);
    }

    // The source, now cited by nothing, is updated and deleted.
    let data = api
        .ok(
            Some(EDITOR),
            &format!("mutation {{ updateSource(code: \"TSRC\", input: {{ publisher: null, note: \"checked\" }}) {{ {source_fields} }} }}"),
            json!({}),
        )
        .await;
    assert_subset(
        &json!({ "publisher": null, "note": "checked", "title": "A test source", "citationCount": 0 }),
        &data["updateSource"],
        "updateSource",
    );
    let read = api
        .ok(
            None,
            &format!("{{ source(code: \"TSRC\") {{ {source_fields} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(read["source"], data["updateSource"]);
    assert_logged(&api, "Source:TSRC", "updateSource", "ana").await;
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { deleteSource(code: \"TSRC\") }",
            json!({}),
        )
        .await;
    assert_eq!(data["deleteSource"], true);
    let read = api
        .ok(None, "{ source(code: \"TSRC\") { id } }", json!({}))
        .await;
    assert_eq!(read["source"], Value::Null);
    assert_logged(&api, "Source:TSRC", "deleteSource", "ana").await;
}

/// A history longer than a page: paging forward with `first`/`after` visits every change
/// once, newest first, under a `totalCount` of them all; paging backward with
/// `last`/`before` visits the same changes; the default page is 20; the id's code is
/// case-insensitive.
#[tokio::test]
async fn history_pages_through_every_change_newest_first() {
    const UPDATES: usize = 44;
    let (_s, api) = server().await;
    api.ok(
        Some(EDITOR),
        r#"mutation { createPerson(input: { code: "HIST-PAGES", name: "Pages", sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;
    for i in 0..UPDATES {
        api.ok(
            Some(EDITOR),
            "mutation($t: String!) { updatePerson(code: \"HIST-PAGES\", input: { title: $t }) { id } }",
            json!({ "t": format!("t{i}") }),
        )
        .await;
    }
    // Newest first: the last update, …, the first update, the creation.
    let mut expected: Vec<Value> = (0..UPDATES)
        .rev()
        .map(|i| json!(["updatePerson", format!("t{i}")]))
        .collect();
    expected.push(json!(["createPerson", null]));
    let summary = |entries: &[Value]| -> Vec<Value> {
        entries
            .iter()
            .map(|e| json!([e["op"], e["after"]["title"]]))
            .collect()
    };
    let fields = "seq op by after";
    let id = "Person:HIST-PAGES";

    for page in [1, 7, 20, 45, 100] {
        let forward = whole_history(&api, id, page, fields).await;
        assert_eq!(summary(&forward), expected, "pages of {page}");
        let seqs: Vec<u64> = forward
            .iter()
            .map(|e| e["seq"].as_str().unwrap().parse().unwrap())
            .collect();
        assert!(seqs.windows(2).all(|w| w[0] > w[1]), "{seqs:?}");
        assert!(forward.iter().all(|e| e["by"] == "ana"));
    }

    // The default page: the 20 newest, more to come, none before (and the code is
    // case-insensitive).
    let h = api
        .ok(
            None,
            "{ history(id: \"Person:hist-pages\") { totalCount edges { cursor node { op } }
                pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }",
            json!({}),
        )
        .await["history"]
        .clone();
    assert_eq!(h["totalCount"], UPDATES + 1, "{h}");
    let edges = h["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 20);
    assert_eq!(h["pageInfo"]["hasNextPage"], true);
    assert_eq!(h["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(h["pageInfo"]["startCursor"], edges[0]["cursor"]);
    assert_eq!(h["pageInfo"]["endCursor"], edges[19]["cursor"]);

    // Backward from the oldest end: `last` takes the oldest of the range, still listed
    // newest first; `before: startCursor` steps to newer ones.
    let query = "query($last: Int, $before: String) {
        history(id: \"Person:HIST-PAGES\", last: $last, before: $before) {
            totalCount nodes { seq op after }
            pageInfo { startCursor hasNextPage hasPreviousPage } } }";
    let h = api.ok(None, query, json!({ "last": 5 })).await["history"].clone();
    assert_eq!(
        summary(h["nodes"].as_array().unwrap()),
        expected[expected.len() - 5..]
    );
    assert_eq!(h["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(h["pageInfo"]["hasNextPage"], false);
    assert_eq!(h["totalCount"], UPDATES + 1);
    let mut backward: Vec<Value> = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let h = api
            .ok(None, query, json!({ "last": 6, "before": before }))
            .await["history"]
            .clone();
        let mut nodes = h["nodes"].as_array().unwrap().clone();
        nodes.extend(backward);
        backward = nodes;
        if h["pageInfo"]["hasPreviousPage"] != true {
            break;
        }
        before = Some(h["pageInfo"]["startCursor"].as_str().unwrap().to_owned());
    }
    assert_eq!(summary(&backward), expected);

    // A cursor's position holds as the history grows: a new change comes before it.
    let cursor = api
        .ok(
            None,
            "{ history(id: \"Person:HIST-PAGES\", first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await["history"]["pageInfo"]["endCursor"]
        .clone();
    api.ok(
        Some(EDITOR),
        r#"mutation { updatePerson(code: "HIST-PAGES", input: { title: "newest" }) { id } }"#,
        json!({}),
    )
    .await;
    let h = api
        .ok(
            None,
            "query($c: String) { history(id: \"Person:HIST-PAGES\", first: 2, after: $c) {
                totalCount nodes { after } pageInfo { hasPreviousPage } } }",
            json!({ "c": cursor }),
        )
        .await["history"]
        .clone();
    assert_eq!(h["totalCount"], UPDATES + 2);
    assert_eq!(h["pageInfo"]["hasPreviousPage"], true);
    let titles: Vec<&Value> = h["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["after"]["title"])
        .collect();
    let want = [
        json!(format!("t{}", UPDATES - 2)),
        json!(format!("t{}", UPDATES - 3)),
    ];
    assert_eq!(titles, want.iter().collect::<Vec<_>>());
}

/// A record with no changes, or no such record, has an empty history; an id that is not a
/// global id, a page too large and a cursor that is not one are BAD_USER_INPUT.
#[tokio::test]
async fn history_of_an_unknown_record_is_empty_and_bad_arguments_are_refused() {
    let (_s, api) = server().await;
    for id in ["Member:XYZ", "Person:NEVER-WRITTEN", "Member:VNM"] {
        let h = api
            .ok(
                None,
                "query($id: ID!) { history(id: $id) { totalCount nodes { seq } edges { cursor }
                    pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }",
                json!({ "id": id }),
            )
            .await["history"]
            .clone();
        assert_eq!(
            h,
            json!({ "totalCount": 0, "nodes": [], "edges": [],
                "pageInfo": { "startCursor": null, "endCursor": null,
                    "hasNextPage": false, "hasPreviousPage": false } }),
            "{id}"
        );
    }
    for (args, names) in [
        (r#"id: "VNM""#, "id:"),
        (r#"id: "Country:VNM""#, "id:"),
        (r#"id: "Member:VNM", first: 101"#, "first:"),
        (r#"id: "Member:VNM", last: -1"#, "last:"),
        (r#"id: "Member:VNM", after: "not a cursor!""#, "after:"),
    ] {
        let query = format!("{{ history({args}) {{ totalCount }} }}");
        let (code, message) = api.fails(None, &query, json!({})).await;
        assert_eq!(code, "BAD_USER_INPUT", "{query}: {message}");
        assert!(message.starts_with(names), "{query}: {message}");
    }
}

/// A `link` case: the link, and a query showing it from both ends.
struct LinkCase {
    kind: &'static str,
    from: &'static str,
    to: &'static str,
    /// Reads the `from` end's view (the `to` ids it links to).
    forward: &'static str,
    /// Reads the `to` end's view (the `from` ids linked to it).
    backward: &'static str,
}

fn pick(data: &Value, path: &str) -> Vec<String> {
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

#[tokio::test]
async fn link_and_unlink_every_kind_both_directions() {
    let (_s, api) = server().await;
    for q in [
        r#"mutation { createBody(input: { code: "TB", name: "Test Body", sources: ["P2"] }) { id } }"#,
        r#"mutation { createInitiative(input: { code: "TI", name: "Test Initiative", kind: PROJECT, sources: ["P2"] }) { id } }"#,
        r#"mutation { createMeeting(input: { code: "TB-1", title: "Test Meeting", startDate: "2021-05-01", sources: ["P2"] }) { id } }"#,
        r#"mutation { createPerson(input: { code: "TP", name: "Test Person", sources: ["P2"] }) { id } }"#,
    ] {
        api.ok(Some(EDITOR), q, json!({})).await;
    }
    let cases = [
        LinkCase {
            kind: "REPORTS_TO",
            from: "Body:TB",
            to: "Body:ACC",
            forward: r#"{ body(code: "TB") { parent { id } } }|body.parent"#,
            backward: r#"{ body(code: "ACC") { children { id } } }|body.children"#,
        },
        LinkCase {
            kind: "PART_OF",
            from: "Initiative:TI",
            to: "Initiative:IAI",
            forward: r#"{ initiative(code: "TI") { parent { id } } }|initiative.parent"#,
            backward: r#"{ initiative(code: "IAI") { children(first: 100) { nodes { id } } } }|initiative.children.nodes"#,
        },
        LinkCase {
            kind: "LED_BY",
            from: "Initiative:TI",
            to: "Body:IAI-TF",
            forward: r#"{ initiative(code: "TI") { leadBodies { id } } }|initiative.leadBodies"#,
            backward: r#"{ body(code: "IAI-TF") { initiatives(first: 100) { nodes { id } } } }|body.initiatives.nodes"#,
        },
        LinkCase {
            kind: "HELD_BY",
            from: "Meeting:TB-1",
            to: "Body:IAI-TF",
            forward: r#"{ meeting(code: "TB-1") { body { id } } }|meeting.body"#,
            backward: r#"{ body(code: "IAI-TF") { meetings(first: 100) { nodes { id } } } }|body.meetings.nodes"#,
        },
        LinkCase {
            kind: "CHAIRED_BY",
            from: "Meeting:TB-1",
            to: "Member:LAO",
            forward: r#"{ meeting(code: "TB-1") { chair { id } } }|meeting.chair"#,
            backward: r#"{ meetings(chair: "LAO", first: 100) { nodes { id } } }|meetings.nodes"#,
        },
        LinkCase {
            kind: "DISCUSSED",
            from: "Meeting:TB-1",
            to: "Initiative:TI",
            forward: r#"{ meeting(code: "TB-1") { initiatives { nodes { id } } } }|meeting.initiatives.nodes"#,
            backward: r#"{ initiative(code: "TI") { meetings { nodes { id } } } }|initiative.meetings.nodes"#,
        },
        LinkCase {
            kind: "APPROVED",
            from: "Meeting:TB-1",
            to: "Initiative:IAI-WP4",
            forward: r#"{ meeting(code: "TB-1") { approved { nodes { id } } } }|meeting.approved.nodes"#,
            backward: r#"{ initiative(code: "IAI-WP4") { meetings(first: 100) { nodes { id } } } }|initiative.meetings.nodes"#,
        },
        LinkCase {
            kind: "REPRESENTS",
            from: "Person:TP",
            to: "Member:LAO",
            forward: r#"{ person(code: "TP") { represents { id } } }|person.represents"#,
            backward: r#"{ member(code: "LAO") { people { id } } }|member.people"#,
        },
    ];
    let view = |spec: &'static str| {
        let api = &api;
        async move {
            let (q, path) = spec.split_once('|').unwrap();
            pick(&api.ok(None, q, json!({})).await, path)
        }
    };
    for c in &cases {
        let what = format!("{} {} → {}", c.kind, c.from, c.to);
        assert!(
            !view(c.forward).await.contains(&c.to.to_owned()),
            "{what} before"
        );
        let data = api
            .ok(
                Some(EDITOR),
                "mutation($kind: LinkKind!, $from: ID!, $to: ID!) {
                    link(kind: $kind, from: $from, to: $to, sources: [\"p2\"]) { id } }",
                json!({ "kind": c.kind, "from": c.from, "to": c.to }),
            )
            .await;
        assert_eq!(data["link"]["id"], c.from, "{what}");
        assert!(
            view(c.forward).await.contains(&c.to.to_owned()),
            "{what}: forward"
        );
        assert!(
            view(c.backward).await.contains(&c.from.to_owned()),
            "{what}: backward"
        );
        assert_logged(&api, c.from, "link", "ana").await;

        let data = api
            .ok(
                Some(EDITOR),
                "mutation($kind: LinkKind!, $from: ID!, $to: ID!) { unlink(kind: $kind, from: $from, to: $to) }",
                json!({ "kind": c.kind, "from": c.from, "to": c.to }),
            )
            .await;
        assert_eq!(data["unlink"], true);
        assert!(
            !view(c.forward).await.contains(&c.to.to_owned()),
            "{what}: after unlink"
        );
        assert!(
            !view(c.backward).await.contains(&c.from.to_owned()),
            "{what}: after unlink"
        );
        assert_logged(&api, c.from, "unlink", "ana").await;
    }

    // A kind that allows one link: the new link replaces the old, at both ends.
    let link = "mutation($to: ID!) { link(kind: HELD_BY, from: \"Meeting:TB-1\", to: $to, sources: [\"P2\"]) { id } }";
    api.ok(Some(EDITOR), link, json!({ "to": "Body:IAI-TF" }))
        .await;
    api.ok(Some(EDITOR), link, json!({ "to": "Body:ACC" }))
        .await;
    assert_eq!(view(cases[3].forward).await, ["Body:ACC"]);
    assert!(
        !view(cases[3].backward)
            .await
            .contains(&"Meeting:TB-1".to_owned())
    );
    let data = api
        .ok(
            None,
            r#"{ body(code: "ACC") { meetings(first: 100) { nodes { id } } } }"#,
            json!({}),
        )
        .await;
    assert!(pick(&data, "body.meetings.nodes").contains(&"Meeting:TB-1".to_owned()));
}

#[tokio::test]
async fn participants_are_added_and_removed_with_their_delegation() {
    let (_s, api) = server().await;
    api.ok(
        Some(EDITOR),
        r#"mutation { createMeeting(input: { code: "TB-1", title: "Test Meeting", startDate: "2021-05-01", sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;
    let data = api
        .ok(
            Some(EDITOR),
            &format!(
                "mutation {{ addParticipant(meeting: \"tb-1\", party: \"Member:LAO\", role: \"chair\",
                    headOfDelegation: \"bovonethat-douangchak\", sources: [\"P36\"]) {{
                    party {PARTY} meeting {{ id }} role headOfDelegation {{ id }} sources {{ id }} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        data["addParticipant"],
        json!({ "party": { "id": "Member:LAO" }, "meeting": { "id": "Meeting:TB-1" },
            "role": "chair", "headOfDelegation": { "id": "Person:BOVONETHAT-DOUANGCHAK" },
            "sources": [{ "id": "Source:P36" }] })
    );
    let read = api
        .ok(
            None,
            &format!(
                "{{ meeting(code: \"TB-1\") {{ participants {{ party {PARTY} role headOfDelegation {{ id }} }} }}
                   person(code: \"BOVONETHAT-DOUANGCHAK\") {{ delegations {{ meeting {{ id }} party {PARTY} }} }}
                   member(code: \"LAO\") {{ meetings(first: 100) {{ nodes {{ id }} }} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        read["meeting"]["participants"],
        json!([{ "party": { "id": "Member:LAO" }, "role": "chair",
            "headOfDelegation": { "id": "Person:BOVONETHAT-DOUANGCHAK" } }])
    );
    assert!(
        read["person"]["delegations"].as_array().unwrap().contains(
            &json!({ "meeting": { "id": "Meeting:TB-1" }, "party": { "id": "Member:LAO" } })
        ),
        "{read}"
    );
    assert!(pick(&read, "member.meetings.nodes").contains(&"Meeting:TB-1".to_owned()));
    assert_logged(&api, "Meeting:TB-1", "addParticipant", "ana").await;
    assert_logged(
        &api,
        "Person:BOVONETHAT-DOUANGCHAK",
        "addParticipant",
        "ana",
    )
    .await;

    // Adding the party again replaces its role and head of delegation.
    api.ok(
        Some(EDITOR),
        "mutation { addParticipant(meeting: \"TB-1\", party: \"Member:LAO\", role: \"host\",
            headOfDelegation: \"KAO-KIM-HOURN\", sources: [\"P36\"]) { role } }",
        json!({}),
    )
    .await;
    let read = api
        .ok(
            None,
            &format!(
                "{{ meeting(code: \"TB-1\") {{ participants {{ party {PARTY} role headOfDelegation {{ id }} }} }}
                   a: person(code: \"BOVONETHAT-DOUANGCHAK\") {{ delegations {{ meeting {{ id }} }} }}
                   b: person(code: \"KAO-KIM-HOURN\") {{ delegations {{ meeting {{ id }} party {PARTY} }} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        read["meeting"]["participants"],
        json!([{ "party": { "id": "Member:LAO" }, "role": "host",
            "headOfDelegation": { "id": "Person:KAO-KIM-HOURN" } }])
    );
    assert!(
        !read["a"]["delegations"].to_string().contains("TB-1"),
        "{read}"
    );
    assert!(
        read["b"]["delegations"].as_array().unwrap().contains(
            &json!({ "meeting": { "id": "Meeting:TB-1" }, "party": { "id": "Member:LAO" } })
        ),
        "{read}"
    );
    assert_logged(
        &api,
        "Person:BOVONETHAT-DOUANGCHAK",
        "addParticipant",
        "ana",
    )
    .await;
    assert_logged(&api, "Person:KAO-KIM-HOURN", "addParticipant", "ana").await;

    let data = api
        .ok(
            Some(EDITOR),
            "mutation { removeParticipant(meeting: \"TB-1\", party: \"Member:LAO\") }",
            json!({}),
        )
        .await;
    assert_eq!(data["removeParticipant"], true);
    let read = api
        .ok(
            None,
            "{ meeting(code: \"TB-1\") { participants { role } }
               person(code: \"KAO-KIM-HOURN\") { delegations { meeting { id } } }
               member(code: \"LAO\") { meetings(first: 100) { nodes { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(read["meeting"]["participants"], json!([]));
    assert!(
        !read["person"]["delegations"].to_string().contains("TB-1"),
        "{read}"
    );
    assert!(!pick(&read, "member.meetings.nodes").contains(&"Meeting:TB-1".to_owned()));
    assert_logged(&api, "Meeting:TB-1", "removeParticipant", "ana").await;
    assert_logged(&api, "Person:KAO-KIM-HOURN", "removeParticipant", "ana").await;
}

/// (funder, target) of `fundings(under:)`.
async fn listed_fundings(api: &Api, under: &str) -> Vec<(String, String)> {
    let data = api
        .ok(
            None,
            "query($under: String) { fundings(under: $under, first: 100) { nodes {
                funder { ... on Member { id } ... on Partner { id } }
                target { ... on Initiative { id } ... on Meeting { id } } } } }",
            json!({ "under": under }),
        )
        .await;
    data["fundings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["funder"]["id"].as_str().unwrap().to_owned(),
                f["target"]["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn fundings_are_added_updated_and_removed() {
    let (_s, api) = server().await;
    let read_query = format!(
        "{{ partner(code: \"KOR\") {{ fundings {{ nodes {{ {FUNDING_FIELDS} }} }} }}
           initiative(code: \"IAI-WP3\") {{ fundings {{ nodes {{ funder {{ ... on Partner {{ id }} }} amountUsd }} }} }}
           meeting(code: \"IAI-TF-63\") {{ approvedFundings {{ nodes {{ funder {{ ... on Member {{ id }} ... on Partner {{ id }} }} }} }} }} }}"
    );
    let before = api.ok(None, &read_query, json!({})).await;
    assert_eq!(before["partner"]["fundings"]["nodes"], json!([]));

    let data = api
        .ok(
            Some(EDITOR),
            &format!(
                "mutation {{ addFunding(input: {{ funder: \"Partner:KOR\", target: \"Initiative:IAI-WP3\",
                    amountUsd: 1500000, projectCount: 3, approvedAt: \"iai-tf-63\", note: \"test\",
                    sources: [\"s2\"] }}) {{ {FUNDING_FIELDS} }} }}"
            ),
            json!({}),
        )
        .await;
    let funding = json!({ "funder": { "id": "Partner:KOR" }, "target": { "id": "Initiative:IAI-WP3" },
        "amountUsd": 1500000.0, "projectCount": 3, "approvedAt": { "id": "Meeting:IAI-TF-63" },
        "note": "test", "sources": [{ "id": "Source:S2" }] });
    assert_eq!(data["addFunding"], funding);
    let read = api.ok(None, &read_query, json!({})).await;
    assert_eq!(read["partner"]["fundings"]["nodes"], json!([funding]));
    assert!(
        read["initiative"]["fundings"]["nodes"]
            .as_array()
            .unwrap()
            .contains(&json!({ "funder": { "id": "Partner:KOR" }, "amountUsd": 1500000.0 }))
    );
    assert!(
        read["meeting"]["approvedFundings"]["nodes"]
            .to_string()
            .contains("Partner:KOR")
    );
    let under = listed_fundings(&api, "IAI").await;
    assert!(
        under.contains(&("Partner:KOR".to_owned(), "Initiative:IAI-WP3".to_owned())),
        "{under:?}"
    );
    assert_logged(&api, "Partner:KOR", "addFunding", "ana").await;

    let data = api
        .ok(
            Some(EDITOR),
            &format!(
                "mutation {{ updateFunding(funder: \"Partner:KOR\", target: \"Initiative:IAI-WP3\",
                    input: {{ amountUsd: 2000000, approvedAt: null }}) {{ {FUNDING_FIELDS} }} }}"
            ),
            json!({}),
        )
        .await;
    let mut updated = funding.clone();
    updated["amountUsd"] = json!(2000000.0);
    updated["approvedAt"] = Value::Null;
    assert_eq!(data["updateFunding"], updated);
    let read = api.ok(None, &read_query, json!({})).await;
    assert_eq!(read["partner"]["fundings"]["nodes"], json!([updated]));
    assert!(
        !read["meeting"]["approvedFundings"]["nodes"]
            .to_string()
            .contains("Partner:KOR")
    );
    assert_logged(&api, "Partner:KOR", "updateFunding", "ana").await;

    let data = api
        .ok(
            Some(EDITOR),
            "mutation { removeFunding(funder: \"Partner:KOR\", target: \"Initiative:IAI-WP3\") }",
            json!({}),
        )
        .await;
    assert_eq!(data["removeFunding"], true);
    let read = api.ok(None, &read_query, json!({})).await;
    assert_eq!(read, before);
    let under = listed_fundings(&api, "IAI").await;
    assert!(!under.iter().any(|(f, _)| f == "Partner:KOR"), "{under:?}");
    assert_logged(&api, "Partner:KOR", "removeFunding", "ana").await;
}

#[tokio::test]
async fn chairs_are_added_and_removed_for_a_body_and_for_asean() {
    let (_s, api) = server().await;
    let fields = "body { id } member { id } year sources { id }";
    let data = api
        .ok(
            Some(EDITOR),
            &format!(
                "mutation {{ a: addChair(body: \"iai-tf\", member: \"lao\", year: 2099, sources: [\"P36\"]) {{ {fields} }}
                             b: addChair(member: \"TLS\", year: 2099, sources: [\"P36\"]) {{ {fields} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        data["a"],
        json!({ "body": { "id": "Body:IAI-TF" }, "member": { "id": "Member:LAO" }, "year": 2099,
            "sources": [{ "id": "Source:P36" }] })
    );
    assert_eq!(
        data["b"],
        json!({ "body": null, "member": { "id": "Member:TLS" }, "year": 2099,
            "sources": [{ "id": "Source:P36" }] })
    );
    let read_query = "{ body(code: \"IAI-TF\") { chairs { year member { id } } }
        lao: member(code: \"LAO\") { chairmanships { year body { id } } }
        tls: member(code: \"TLS\") { chairmanships { year body { id } } } }";
    let read = api.ok(None, read_query, json!({})).await;
    assert!(
        read["body"]["chairs"]
            .as_array()
            .unwrap()
            .contains(&json!({ "year": 2099, "member": { "id": "Member:LAO" } })),
        "{read}"
    );
    assert!(
        read["lao"]["chairmanships"]
            .as_array()
            .unwrap()
            .contains(&json!({ "year": 2099, "body": { "id": "Body:IAI-TF" } }))
    );
    assert!(
        read["tls"]["chairmanships"]
            .as_array()
            .unwrap()
            .contains(&json!({ "year": 2099, "body": null }))
    );
    assert_logged(&api, "Member:LAO", "addChair", "ana").await;
    assert_logged(&api, "Member:TLS", "addChair", "ana").await;

    let data = api
        .ok(
            Some(EDITOR),
            "mutation { a: removeChair(body: \"IAI-TF\", year: 2099) b: removeChair(year: 2099) }",
            json!({}),
        )
        .await;
    assert_eq!(data, json!({ "a": true, "b": true }));
    let read = api.ok(None, read_query, json!({})).await;
    assert!(!read.to_string().contains("2099"), "{read}");
    assert_logged(&api, "Member:LAO", "removeChair", "ana").await;
    assert_logged(&api, "Member:TLS", "removeChair", "ana").await;
}

#[tokio::test]
async fn statuses_figures_claims_and_citations_are_added_and_removed() {
    let (_s, api) = server().await;
    api.ok(
        Some(EDITOR),
        r#"mutation { createPartner(input: { code: "TSTP", name: "Test Partner", sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;

    // Partner statuses.
    let fields = "kind since statuses { kind from fromPrecision to note sources { id } }";
    let data = api
        .ok(
            Some(EDITOR),
            &format!(
                "mutation {{
                    a: addPartnerStatus(partner: \"tstp\", input: {{ kind: DEVELOPMENT_PARTNER,
                        from: \"2000-01-01\", to: \"2010-12-31\", sources: [\"P2\"] }}) {{ {fields} }}
                    b: addPartnerStatus(partner: \"TSTP\", input: {{ kind: DIALOGUE_PARTNER,
                        from: \"2011-01-01\", fromPrecision: YEAR, note: \"n\", sources: [\"P2\"] }}) {{ {fields} }} }}"
            ),
            json!({}),
        )
        .await;
    let statuses = json!([
        { "kind": "DEVELOPMENT_PARTNER", "from": "2000-01-01", "fromPrecision": "DAY",
          "to": "2010-12-31", "note": null, "sources": [{ "id": "Source:P2" }] },
        { "kind": "DIALOGUE_PARTNER", "from": "2011-01-01", "fromPrecision": "YEAR",
          "to": null, "note": "n", "sources": [{ "id": "Source:P2" }] },
    ]);
    assert_eq!(
        data["b"],
        json!({ "kind": "DIALOGUE_PARTNER", "since": "2011-01-01", "statuses": statuses })
    );
    let read = api
        .ok(
            None,
            &format!("{{ partner(code: \"TSTP\") {{ {fields} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(read["partner"], data["b"]);
    let as_of = api
        .ok(
            None,
            "{ a: partners(kind: DEVELOPMENT_PARTNER, asOf: \"2005-06-01\", first: 100) { nodes { id } }
               b: partners(kind: DIALOGUE_PARTNER, asOf: \"2015-06-01\", first: 100) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert!(pick(&as_of, "a.nodes").contains(&"Partner:TSTP".to_owned()));
    assert!(pick(&as_of, "b.nodes").contains(&"Partner:TSTP".to_owned()));
    assert_logged(&api, "Partner:TSTP", "addPartnerStatus", "ana").await;
    let data = api
        .ok(
            Some(EDITOR),
            &format!("mutation {{ removePartnerStatus(partner: \"TSTP\", from: \"2011-01-01\") {{ {fields} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(
        data["removePartnerStatus"]["statuses"],
        json!([statuses[0].clone()])
    );
    let read = api
        .ok(
            None,
            &format!("{{ partner(code: \"TSTP\") {{ {fields} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(read["partner"], data["removePartnerStatus"]);
    assert_logged(&api, "Partner:TSTP", "removePartnerStatus", "ana").await;

    // Figures.
    let figure = json!({ "label": "test projects", "value": 42.5, "unit": "projects",
        "asOf": "2021-03-25", "note": null, "source": { "id": "Source:S2" } });
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { addFigure(initiative: \"iai-wp4\", input: { label: \"test projects\", value: 42.5,
                unit: \"projects\", asOf: \"2021-03-25\", source: \"s2\" }) {
                figures { label value unit asOf note source { id } } } }",
            json!({}),
        )
        .await;
    assert!(
        data["addFigure"]["figures"]
            .as_array()
            .unwrap()
            .contains(&figure)
    );
    let read_figures = "{ initiative(code: \"IAI-WP4\") { figures { label value unit asOf note source { id } } } }";
    let read = api.ok(None, read_figures, json!({})).await;
    assert_eq!(read["initiative"]["figures"], data["addFigure"]["figures"]);
    assert_logged(&api, "Initiative:IAI-WP4", "addFigure", "ana").await;
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { removeFigure(initiative: \"IAI-WP4\", label: \"test projects\", asOf: \"2021-03-25\") {
                figures { label } } }",
            json!({}),
        )
        .await;
    assert!(!data.to_string().contains("test projects"));
    let read = api.ok(None, read_figures, json!({})).await;
    assert!(!read.to_string().contains("test projects"));
    assert_logged(&api, "Initiative:IAI-WP4", "removeFigure", "ana").await;

    // Claims, on any kind of record.
    let claim = json!({ "field": "joinedOn", "value": "1995-07-28", "note": "test",
        "source": { "id": "Source:P2" } });
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { addClaim(id: \"Member:VNM\", input: { field: \"joinedOn\", value: \"1995-07-28\",
                source: \"p2\", note: \"test\" }) { id ... on Member { claims { field value note source { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["addClaim"]["id"], "Member:VNM");
    assert!(
        data["addClaim"]["claims"]
            .as_array()
            .unwrap()
            .contains(&claim)
    );
    let read_claims = "{ member(code: \"VNM\") { claims { field value note source { id } } } }";
    let read = api.ok(None, read_claims, json!({})).await;
    assert_eq!(read["member"]["claims"], data["addClaim"]["claims"]);
    assert_logged(&api, "Member:VNM", "addClaim", "ana").await;
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { removeClaim(id: \"Member:VNM\", field: \"joinedOn\", source: \"P2\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(data["removeClaim"]["id"], "Member:VNM");
    let read = api.ok(None, read_claims, json!({})).await;
    assert!(
        !read["member"]["claims"]
            .as_array()
            .unwrap()
            .contains(&claim)
    );
    assert_logged(&api, "Member:VNM", "removeClaim", "ana").await;

    // Citations: a source VNM does not cite yet.
    let read_sources = "{ member(code: \"VNM\") { sources { id } } }";
    let cited = ids(&api.ok(None, read_sources, json!({})).await["member"]["sources"]);
    assert!(!cited.contains(&"Source:P36".to_owned()));
    let citations = citation_count(&api, "P36").await;
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { addSource(id: \"Member:VNM\", source: \"p36\") { ... on Member { sources { id } } } }",
            json!({}),
        )
        .await;
    let mut expected = cited.clone();
    expected.push("Source:P36".into());
    assert_eq!(ids(&data["addSource"]["sources"]), expected);
    assert_eq!(
        ids(&api.ok(None, read_sources, json!({})).await["member"]["sources"]),
        expected
    );
    assert_eq!(citation_count(&api, "P36").await, citations + 1);
    assert_logged(&api, "Member:VNM", "addSource", "ana").await;
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { removeSource(id: \"Member:VNM\", source: \"P36\") { ... on Member { sources { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(ids(&data["removeSource"]["sources"]), cited);
    assert_eq!(
        ids(&api.ok(None, read_sources, json!({})).await["member"]["sources"]),
        cited
    );
    assert_eq!(citation_count(&api, "P36").await, citations);
    assert_logged(&api, "Member:VNM", "removeSource", "ana").await;
}

async fn citation_count(api: &Api, code: &str) -> i64 {
    api.ok(
        None,
        "query($code: String!) { source(code: $code) { citationCount } }",
        json!({ "code": code }),
    )
    .await["source"]["citationCount"]
        .as_i64()
        .unwrap()
}

// ---------------------------------------------------------------------------------------
// Bad input.

/// A write that must fail: its code, and words its message must hold (the field, the value).
struct Bad {
    query: &'static str,
    variables: Value,
    code: &'static str,
    says: &'static [&'static str],
}

fn bad(
    query: &'static str,
    variables: Value,
    code: &'static str,
    says: &'static [&'static str],
) -> Bad {
    Bad {
        query,
        variables,
        code,
        says,
    }
}

const CREATE_MEETING: &str =
    "mutation($input: MeetingInput!) { createMeeting(input: $input) { id } }";
const CREATE_MEMBER: &str = "mutation($input: MemberInput!) { createMember(input: $input) { id } }";
const ADD_FUNDING: &str =
    "mutation($input: FundingInput!) { addFunding(input: $input) { amountUsd } }";

fn meeting(start: &str, end: Option<&str>) -> Value {
    json!({ "input": { "code": "TB-9", "title": "Test", "startDate": start, "endDate": end, "sources": ["P2"] } })
}

fn funding(funder: &str, target: &str, amount: f64, approved_at: Option<&str>) -> Value {
    json!({ "input": { "funder": funder, "target": target, "amountUsd": amount,
        "approvedAt": approved_at, "sources": ["S2"] } })
}

fn bad_inputs() -> Vec<Bad> {
    vec![
        // Bad dates: a variable and a literal.
        // (That their messages name the field is `bad_scalar_values_are_named_by_their_field`.)
        bad(
            CREATE_MEETING,
            meeting("2021-02-30", None),
            "BAD_USER_INPUT",
            &["2021-02-30"],
        ),
        bad(
            r#"mutation { updateMeeting(code: "IAI-TF-63", input: { endDate: "2021-13-01" }) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["2021-13-01"],
        ),
        bad(
            "mutation($from: Date!) { removePartnerStatus(partner: \"GBR\", from: $from) { code } }",
            json!({ "from": "yesterday" }),
            "BAD_USER_INPUT",
            &["yesterday"],
        ),
        // End before start.
        bad(
            CREATE_MEETING,
            meeting("2021-03-25", Some("2021-03-24")),
            "BAD_USER_INPUT",
            &["endDate", "startDate"],
        ),
        bad(
            r#"mutation { updateMeeting(code: "IAI-TF-63", input: { endDate: "2021-03-24" }) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["endDate", "2021-03-24"],
        ),
        bad(
            r#"mutation { createInitiative(input: { code: "TI", name: "T", kind: PLAN, startYear: 2025, endYear: 2020, sources: ["P2"] }) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["endYear", "startYear"],
        ),
        bad(
            r#"mutation { addPartnerStatus(partner: "GBR", input: { kind: DIALOGUE_PARTNER, from: "2030-01-01", to: "2029-01-01", sources: ["P2"] }) { code } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["to", "2029-01-01"],
        ),
        // Unknown enum values: a variable and a literal, rejected by GraphQL validation.
        bad(
            "mutation($input: BodyInput!) { createBody(input: $input) { id } }",
            json!({ "input": { "code": "TB", "name": "T", "pillar": "MILITARY", "sources": ["P2"] } }),
            "BAD_USER_INPUT",
            &["MILITARY", "pillar"],
        ),
        bad(
            r#"mutation { link(kind: FRIEND_OF, from: "Body:IAI-TF", to: "Body:ACC", sources: ["P2"]) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["FRIEND_OF", "kind"],
        ),
        // Negative amounts and counts.
        bad(
            ADD_FUNDING,
            funding("Partner:KOR", "Initiative:IAI-WP3", -5.0, None),
            "BAD_USER_INPUT",
            &["amountUsd", "-5"],
        ),
        bad(
            r#"mutation { updateFunding(funder: "Partner:JPN", target: "Initiative:IAI-WP4", input: { amountUsd: -1 }) { amountUsd } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["amountUsd", "-1"],
        ),
        bad(
            r#"mutation { addFunding(input: { funder: "Partner:KOR", target: "Initiative:IAI-WP3", projectCount: -2, sources: ["S2"] }) { amountUsd } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["input.projectCount", "-2", "0 to 2147483647"],
        ),
        bad(
            r#"mutation { addChair(body: "IAI-TF", member: "LAO", year: -5, sources: ["P2"]) { year } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["year", "-5", "1900 to 2100"],
        ),
        // Other rules of the model.
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "XTM", "name": "  ", "sources": ["P2"] } }),
            "BAD_USER_INPUT",
            &["name", "empty"],
        ),
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "not a code!", "name": "X", "sources": ["P2"] } }),
            "BAD_USER_INPUT",
            &["code", "not a code!"],
        ),
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "XTM", "name": "X", "sources": [] } }),
            "BAD_USER_INPUT",
            &["sources"],
        ),
        bad(
            r#"mutation { createSource(input: { code: "TSRC", title: "T", url: "ftp://example.org" }) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["url", "ftp://example.org"],
        ),
        bad(
            r#"mutation { addChair(body: "IAI-TF", member: "LAO", year: 1800, sources: ["P2"]) { year } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["year", "1800"],
        ),
        bad(
            r#"mutation { link(kind: HELD_BY, from: "Member:VNM", to: "Body:ACC", sources: ["P2"]) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["from", "Member:VNM"],
        ),
        bad(
            r#"mutation { link(kind: REPORTS_TO, from: "Body:IAI-TF", to: "Body:IAI-TF", sources: ["P2"]) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["Body:IAI-TF"],
        ),
        bad(
            r#"mutation { updateMember(code: "VNM", input: { sources: [] }) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["sources", "at least one"],
        ),
        bad(
            r#"mutation { link(kind: PART_OF, from: "Initiative:IAI", to: "Initiative:IAI-WP4", sources: ["P2"]) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["cycle", "IAI-WP4"],
        ),
        bad(
            r#"mutation { addSource(id: "Source:P2", source: "P3") { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["id", "Source:P2"],
        ),
        // Unknown references.
        bad(
            r#"mutation { addFigure(initiative: "IAI-WP4", input: { label: "x", value: 1, source: "NOPE-SRC" }) { code } }"#,
            json!({}),
            "NOT_FOUND",
            &["NOPE-SRC"],
        ),
        bad(
            r#"mutation { addClaim(id: "Body:ACC", input: { field: "x", value: "v", source: "NOPE-SRC" }) { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["NOPE-SRC"],
        ),
        bad(
            r#"mutation { addSource(id: "Member:VNM", source: "NOPE-SRC") { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["NOPE-SRC"],
        ),
        bad(
            r#"mutation { addChair(body: "IAI-TF", member: "LAO", year: 2099, sources: ["NOPE-SRC"]) { year } }"#,
            json!({}),
            "NOT_FOUND",
            &["sources", "NOPE-SRC"],
        ),
        bad(
            r#"mutation { updateFunding(funder: "Partner:JPN", target: "Initiative:IAI-WP4", input: { approvedAt: "NOPE-1" }) { amountUsd } }"#,
            json!({}),
            "NOT_FOUND",
            &["approvedAt", "NOPE-1"],
        ),
        bad(
            r#"mutation { removeSource(id: "Partner:GBR", source: "P7") { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["P7"],
        ),
        bad(
            r#"mutation { removeClaim(id: "Partner:GBR", field: "name", source: "P7") { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["P7"],
        ),
        bad(
            r#"mutation { removeFigure(initiative: "IAI-WP4", label: "no such figure") { code } }"#,
            json!({}),
            "NOT_FOUND",
            &["no such figure"],
        ),
        bad(
            r#"mutation { removePartnerStatus(partner: "GBR", from: "1900-01-01") { code } }"#,
            json!({}),
            "NOT_FOUND",
            &["1900-01-01"],
        ),
        bad(
            r#"mutation { removeParticipant(meeting: "IAI-TF-63", party: "Partner:KOR") }"#,
            json!({}),
            "NOT_FOUND",
            &["Partner:KOR"],
        ),
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "XTM", "name": "X", "sources": ["NOPE-SRC"] } }),
            "NOT_FOUND",
            &["sources", "NOPE-SRC"],
        ),
        bad(
            ADD_FUNDING,
            funding("Partner:NOPE", "Initiative:IAI-WP3", 5.0, None),
            "NOT_FOUND",
            &["NOPE"],
        ),
        bad(
            ADD_FUNDING,
            funding("Partner:KOR", "Initiative:NOPE-INIT", 5.0, None),
            "NOT_FOUND",
            &["NOPE-INIT"],
        ),
        bad(
            ADD_FUNDING,
            funding(
                "Partner:KOR",
                "Initiative:IAI-WP3",
                5.0,
                Some("NO-MEETING-1"),
            ),
            "NOT_FOUND",
            &["approvedAt", "NO-MEETING-1"],
        ),
        bad(
            r#"mutation { link(kind: HELD_BY, from: "Meeting:IAI-TF-63", to: "Body:NOPE", sources: ["P2"]) { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["NOPE"],
        ),
        bad(
            r#"mutation { link(kind: HELD_BY, from: "Meeting:NOPE-1", to: "Body:ACC", sources: ["P2"]) { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["NOPE-1"],
        ),
        bad(
            r#"mutation { updateMember(code: "XXX", input: { name: "X" }) { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["XXX"],
        ),
        bad(
            r#"mutation { deleteMember(code: "XXX") }"#,
            json!({}),
            "NOT_FOUND",
            &["XXX"],
        ),
        bad(
            r#"mutation { addClaim(id: "Member:XXX", input: { field: "f", value: "v", source: "P2" }) { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["XXX"],
        ),
        bad(
            r#"mutation { unlink(kind: HELD_BY, from: "Meeting:IAI-TF-63", to: "Body:ACC") }"#,
            json!({}),
            "NOT_FOUND",
            &["IAI-TF-63"],
        ),
        bad(
            r#"mutation { removeFunding(funder: "Partner:KOR", target: "Initiative:IAI-WP3") }"#,
            json!({}),
            "NOT_FOUND",
            &["Partner:KOR"],
        ),
        bad(
            r#"mutation { removeChair(body: "IAI-TF", year: 2099) }"#,
            json!({}),
            "NOT_FOUND",
            &["2099"],
        ),
        // Two changes in one write, the second one bad: the first does not land either.
        bad(
            r#"mutation { addParticipant(meeting: "IAI-TF-63", party: "Partner:KOR", role: "observer", headOfDelegation: "NO-ONE", sources: ["S2"]) { role } }"#,
            json!({}),
            "NOT_FOUND",
            &["NO-ONE"],
        ),
        // Duplicates.
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "VNM", "name": "Viet Nam", "sources": ["P2"] } }),
            "CONFLICT",
            &["VNM", "exists"],
        ),
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "vnm", "name": "Viet Nam", "sources": ["P2"] } }),
            "CONFLICT",
            &["VNM", "exists"],
        ),
        bad(
            r#"mutation { createSource(input: { code: "p2", title: "Again" }) { id } }"#,
            json!({}),
            "CONFLICT",
            &["P2"],
        ),
        bad(
            ADD_FUNDING,
            funding("Partner:JPN", "Initiative:IAI-WP4", 5.0, None),
            "CONFLICT",
            &["Partner:JPN", "Initiative:IAI-WP4"],
        ),
        bad(
            r#"mutation { addChair(member: "LAO", year: 2020, sources: ["P38"]) { year } }"#,
            json!({}),
            "CONFLICT",
            &["2020", "Member:VNM"],
        ),
        // Deleting what is still referred to.
        bad(
            r#"mutation { deleteInitiative(code: "IAI") }"#,
            json!({}),
            "CONFLICT",
            &["Initiative:IAI-WP1", "cascade"],
        ),
        bad(
            r#"mutation { deleteMeeting(code: "IAI-TF-63") }"#,
            json!({}),
            "CONFLICT",
            &["Member:VNM", "Partner:JPN", "approved at it"],
        ),
        bad(
            r#"mutation { deleteSource(code: "S2") }"#,
            json!({}),
            "CONFLICT",
            &["Meeting:IAI-TF-63", "cites it"],
        ),
    ]
}

#[tokio::test]
async fn bad_input_gets_its_code_and_a_message_naming_the_field_and_changes_nothing() {
    let (_s, api) = server().await;
    let before = snapshot(&api).await;
    for b in bad_inputs() {
        let (code, message) = api.fails(Some(EDITOR), b.query, b.variables.clone()).await;
        assert_eq!(code, b.code, "{} {}: {message}", b.query, b.variables);
        for word in b.says {
            assert!(
                message.contains(word),
                "{} {}: the message does not say {word:?}: {message}",
                b.query,
                b.variables
            );
        }
        assert_eq!(snapshot(&api).await, before, "{} changed the data", b.query);
    }
}

/// A value its scalar type refuses (a date that does not exist, a negative count or year)
/// is named by its argument or field, as every other bad input is ("says what was wrong
/// and where").
#[tokio::test]
async fn bad_scalar_values_are_named_by_their_field() {
    let (_s, api) = server().await;
    for (query, variables, field) in [
        (CREATE_MEETING, meeting("2021-02-30", None), "startDate"),
        (
            r#"mutation { updateMeeting(code: "IAI-TF-63", input: { endDate: "2021-13-01" }) { id } }"#,
            json!({}),
            "endDate",
        ),
        (
            r#"mutation { addFunding(input: { funder: "Partner:KOR", target: "Initiative:IAI-WP3", projectCount: -2, sources: ["S2"] }) { amountUsd } }"#,
            json!({}),
            "projectCount",
        ),
        (
            r#"mutation { createInitiative(input: { code: "TI", name: "T", kind: PLAN, startYear: -1, sources: ["P2"] }) { id } }"#,
            json!({}),
            "startYear",
        ),
        (
            r#"mutation { addChair(body: "IAI-TF", member: "LAO", year: -5, sources: ["P2"]) { year } }"#,
            json!({}),
            "year",
        ),
        (
            "mutation($from: Date!) { removePartnerStatus(partner: \"GBR\", from: $from) { code } }",
            json!({ "from": "2021-02-30" }),
            "from",
        ),
    ] {
        let (code, message) = api.fails(Some(EDITOR), query, variables).await;
        assert_eq!(code, "BAD_USER_INPUT");
        assert!(
            message.contains(field),
            "{query}: the message does not name {field}: {message}"
        );
    }
}

#[tokio::test]
async fn deleting_a_referenced_record_lists_what_refers_to_it() {
    let (_s, api) = server().await;
    let before = snapshot(&api).await;
    // Everything that refers to Viet Nam, read through the API.
    let data = api
        .ok(
            None,
            &format!(
                "{{ member(code: \"VNM\") {{ chairmanships {{ body {{ id }} }} people {{ id }}
                    meetings(first: 100) {{ nodes {{ id }} }} fundings(first: 100) {{ nodes {{ {FUNDING_FIELDS} }} }} }}
                   meetings(chair: \"VNM\", first: 100) {{ nodes {{ id }} }} }}"
            ),
            json!({}),
        )
        .await;
    let m = &data["member"];
    let mut referrers: BTreeSet<String> = BTreeSet::new();
    referrers.extend(ids(&m["people"]));
    referrers.extend(ids(&m["meetings"]["nodes"]));
    referrers.extend(ids(&data["meetings"]["nodes"]));
    referrers.extend(
        m["chairmanships"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["body"]["id"].as_str().map(str::to_owned)),
    );
    assert!(referrers.len() >= 3, "{data}");
    let (code, message) = api
        .fails(
            Some(EDITOR),
            "mutation { deleteMember(code: \"VNM\") }",
            json!({}),
        )
        .await;
    assert_eq!(code, "CONFLICT");
    for r in &referrers {
        assert!(message.contains(r.as_str()), "{r} missing from: {message}");
    }
    assert!(message.contains("cascade"), "{message}");
    // Even an admin needs cascade for that.
    let (code, _) = api
        .fails(
            Some(ADMIN),
            "mutation { deleteMember(code: \"VNM\") }",
            json!({}),
        )
        .await;
    assert_eq!(code, "CONFLICT");
    // A source stays while records cite it, cascade or not (cascade removes relationships,
    // never citations).
    let (code, message) = api
        .fails(
            Some(ADMIN),
            "mutation { deleteSource(code: \"P2\", cascade: true) }",
            json!({}),
        )
        .await;
    assert_eq!(code, "CONFLICT");
    assert!(message.contains("Member:VNM (cites it)"), "{message}");
    assert_eq!(snapshot(&api).await, before);
}

#[tokio::test]
async fn cascade_delete_by_an_admin_removes_every_relationship() {
    let (_s, api) = server().await;
    let data = api
        .ok(
            Some(ADMIN),
            "mutation { deleteMember(code: \"VNM\", cascade: true) }",
            json!({}),
        )
        .await;
    assert_eq!(data["deleteMember"], true);
    let data = api
        .ok(
            None,
            &format!(
                "{{ member(code: \"VNM\") {{ id }} node(id: \"Member:VNM\") {{ id }}
                   person(code: \"NGUYEN-HAI-BANG\") {{ represents {{ id }} delegations {{ party {PARTY} }} }}
                   meeting(code: \"IAI-TF-63\") {{ chair {{ id }} participants {{ party {PARTY} }} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(data["member"], Value::Null);
    assert_eq!(data["node"], Value::Null);
    assert_eq!(data["meeting"]["chair"], Value::Null);
    let snap = snapshot(&api).await;
    let text = snap.to_string();
    // No list anywhere still names Viet Nam (the change log keeps what was).
    let mut without_log = snap.clone();
    without_log.as_object_mut().unwrap().remove("changes");
    assert!(
        !without_log.to_string().contains("Member:VNM"),
        "a dangling reference to Member:VNM remains"
    );
    assert!(text.contains("Member:VNM"), "the log records the deletion");
    assert_logged(&api, "Member:VNM", "deleteMember", "root").await;
    // One log entry per relationship removed, and one for the record.
    let entries = whole_history(&api, "Member:VNM", 100, "op by before after").await;
    assert!(entries.len() > 1, "{entries:?}");
    assert!(
        entries
            .iter()
            .all(|e| e["op"] == "deleteMember" && e["by"] == "root")
    );
    assert!(entries.iter().all(|e| e["after"].is_null()));

    // Deleting the meeting that approved fundings keeps the fundings, without the approval.
    let data = api
        .ok(
            Some(ADMIN),
            "mutation { deleteMeeting(code: \"IAI-TF-63\", cascade: true) }",
            json!({}),
        )
        .await;
    assert_eq!(data["deleteMeeting"], true);
    let data = api
        .ok(
            None,
            "{ initiative(code: \"IAI-WP4\") { fundings { nodes { funder { ... on Partner { id } } approvedAt { id } } } } }",
            json!({}),
        )
        .await;
    assert!(
        data["initiative"]["fundings"]["nodes"]
            .as_array()
            .unwrap()
            .contains(&json!({ "funder": { "id": "Partner:JPN" }, "approvedAt": null })),
        "{data}"
    );
    assert_logged(&api, "Partner:JPN", "deleteMeeting", "root").await;
}

/// The messages import gives for a broken record are the messages a mutation gives.
#[tokio::test]
async fn mutations_and_import_share_rules_and_messages() {
    use asean_graph::dataset::{self, Mode};
    use asean_graph::store::Store;

    let (_s, api) = server().await;
    let import_error = |edit: &dyn Fn(&mut Value)| {
        let mut doc: Value = serde_json::from_str(dataset::BUNDLED).unwrap();
        edit(&mut doc);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let e = dataset::import(&store, doc.to_string().as_bytes(), Mode::Refuse).unwrap_err();
        e.to_string()
    };
    let meeting_index = |doc: &Value, code: &str| {
        doc["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .position(|m| m["code"] == code)
            .unwrap()
    };

    // endDate before startDate.
    let imported = import_error(&|doc| {
        let i = meeting_index(doc, "IAI-TF-63");
        doc["meetings"][i]["endDate"] = json!("2021-03-24");
    });
    let (_, message) = api
        .fails(
            Some(EDITOR),
            r#"mutation { updateMeeting(code: "IAI-TF-63", input: { endDate: "2021-03-24" }) { id } }"#,
            json!({}),
        )
        .await;
    let doc: Value = serde_json::from_str(dataset::BUNDLED).unwrap();
    let i = meeting_index(&doc, "IAI-TF-63");
    assert!(
        imported.contains(&format!("meetings[{i}].{message}")),
        "import says {imported:?}, the mutation {message:?}"
    );

    // A negative amount.
    let imported = import_error(&|doc| doc["fundings"][0]["amountUsd"] = json!(-5.0));
    let f = &doc["fundings"][0];
    let (_, message) = api
        .fails(
            Some(EDITOR),
            "mutation($funder: ID!, $target: ID!) { updateFunding(funder: $funder, target: $target, input: { amountUsd: -5 }) { amountUsd } }",
            json!({ "funder": f["funder"], "target": f["target"] }),
        )
        .await;
    assert!(
        imported.contains(&format!("fundings[0].{message}")),
        "import says {imported:?}, the mutation {message:?}"
    );

    // A source that does not exist.
    let imported = import_error(&|doc| doc["members"][0]["sources"] = json!(["NOPE-SRC"]));
    let member = doc["members"][0]["code"].as_str().unwrap();
    let (code, message) = api
        .fails(
            Some(EDITOR),
            "mutation($code: String!) { updateMember(code: $code, input: { sources: [\"NOPE-SRC\"] }) { id } }",
            json!({ "code": member }),
        )
        .await;
    assert_eq!(code, "NOT_FOUND");
    assert!(
        imported.contains(&format!("members[0].{message}")),
        "import says {imported:?}, the mutation {message:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Access.

#[tokio::test]
async fn access_matrix_for_a_write_and_a_cascade_delete() {
    let (_s, api) = server().await;
    let callers: [(&str, Option<String>); 6] = [
        ("none", None),
        ("wrong", Some(format!("Bearer {WRONG}"))),
        ("not bearer", Some(format!("Basic {EDITOR}"))),
        ("reader", Some(format!("Bearer {READER}"))),
        ("editor", Some(format!("Bearer {EDITOR}"))),
        ("admin", Some(format!("Bearer {ADMIN}"))),
    ];
    let write = "mutation($title: String!) { updatePerson(code: \"NGUYEN-HAI-BANG\", input: { title: $title }) { title } }";
    let cascade = "mutation { deletePerson(code: \"NGUYEN-HAI-BANG\", cascade: true) }";
    // (caller, write outcome, cascade outcome, name in the log): None = allowed.
    let expected = [
        (Some("UNAUTHENTICATED"), Some("UNAUTHENTICATED"), ""),
        (Some("UNAUTHENTICATED"), Some("UNAUTHENTICATED"), ""),
        (Some("UNAUTHENTICATED"), Some("UNAUTHENTICATED"), ""),
        (Some("FORBIDDEN"), Some("FORBIDDEN"), "rita"),
        (None, Some("FORBIDDEN"), "ana"),
        (None, None, "root"),
    ];
    for ((who, header), (write_outcome, cascade_outcome, name)) in callers.iter().zip(expected) {
        // Reads are open to everyone.
        let body = api
            .with_header(
                header.clone(),
                "{ person(code: \"NGUYEN-HAI-BANG\") { code } }",
                json!({}),
            )
            .await;
        assert_eq!(
            body["data"]["person"]["code"], "NGUYEN-HAI-BANG",
            "{who}: {body}"
        );

        let before = snapshot(&api).await;
        let title = format!("title by {who}");
        let body = api
            .with_header(header.clone(), write, json!({ "title": title }))
            .await;
        match write_outcome {
            Some(expected_code) => {
                let (code, message) = error_of(&body, write, &json!({}));
                assert_eq!(code, expected_code, "{who} write: {message}");
                if expected_code == "FORBIDDEN" {
                    assert!(message.contains("editor"), "{who}: {message}");
                }
                assert_eq!(
                    snapshot(&api).await,
                    before,
                    "{who}: a refused write changed data"
                );
            }
            None => {
                assert!(body.get("errors").is_none(), "{who}: {body}");
                assert_eq!(body["data"]["updatePerson"]["title"], json!(title));
                let read = api
                    .ok(
                        None,
                        "{ person(code: \"NGUYEN-HAI-BANG\") { title } }",
                        json!({}),
                    )
                    .await;
                assert_eq!(read["person"]["title"], json!(title));
                assert_logged(&api, "Person:NGUYEN-HAI-BANG", "updatePerson", name).await;
            }
        }

        let before = snapshot(&api).await;
        let body = api.with_header(header.clone(), cascade, json!({})).await;
        match cascade_outcome {
            Some(expected_code) => {
                let (code, message) = error_of(&body, cascade, &json!({}));
                assert_eq!(code, expected_code, "{who} cascade: {message}");
                if expected_code == "FORBIDDEN" {
                    assert!(message.contains("admin"), "{who}: {message}");
                }
                assert_eq!(
                    snapshot(&api).await,
                    before,
                    "{who}: a refused delete changed data"
                );
            }
            None => {
                assert!(body.get("errors").is_none(), "{who}: {body}");
                assert_eq!(body["data"]["deletePerson"], true);
                let read = api
                    .ok(
                        None,
                        "{ person(code: \"NGUYEN-HAI-BANG\") { code } }",
                        json!({}),
                    )
                    .await;
                assert_eq!(read["person"], Value::Null);
                assert_logged(&api, "Person:NGUYEN-HAI-BANG", "deletePerson", name).await;
            }
        }
    }
}

/// One call of every mutation, with arguments that parse (whether the records exist does
/// not matter: the role is checked first).
const EVERY_MUTATION: &[&str] = &[
    r#"createMember(input: { code: "XTM", name: "X", sources: ["P2"] }) { id }"#,
    r#"updateMember(code: "VNM", input: { name: "X" }) { id }"#,
    r#"deleteMember(code: "TLS")"#,
    r#"createPartner(input: { code: "TSTP", name: "X", sources: ["P2"] }) { id }"#,
    r#"updatePartner(code: "JPN", input: { name: "X" }) { id }"#,
    r#"deletePartner(code: "NOR")"#,
    r#"createBody(input: { code: "TB", name: "X", sources: ["P2"] }) { id }"#,
    r#"updateBody(code: "ACC", input: { name: "X" }) { id }"#,
    r#"deleteBody(code: "WC-FINC")"#,
    r#"createMeeting(input: { code: "TB-1", title: "X", startDate: "2021-01-01", sources: ["P2"] }) { id }"#,
    r#"updateMeeting(code: "IAI-TF-63", input: { title: "X" }) { id }"#,
    r#"deleteMeeting(code: "AMM-56")"#,
    r#"createInitiative(input: { code: "TI", name: "X", kind: PLAN, sources: ["P2"] }) { id }"#,
    r#"updateInitiative(code: "IAI", input: { name: "X" }) { id }"#,
    r#"deleteInitiative(code: "ASEAN-SHIELD")"#,
    r#"createPerson(input: { code: "TP", name: "X", sources: ["P2"] }) { id }"#,
    r#"updatePerson(code: "NGUYEN-HAI-BANG", input: { name: "X" }) { id }"#,
    r#"deletePerson(code: "KAO-KIM-HOURN")"#,
    r#"createSource(input: { code: "TSRC", title: "X" }) { id }"#,
    r#"updateSource(code: "P2", input: { title: "X" }) { id }"#,
    r#"deleteSource(code: "GK")"#,
    r#"link(kind: HELD_BY, from: "Meeting:IAI-TF-63", to: "Body:ACC", sources: ["P2"]) { id }"#,
    r#"unlink(kind: HELD_BY, from: "Meeting:IAI-TF-63", to: "Body:IAI-TF")"#,
    r#"addParticipant(meeting: "IAI-TF-63", party: "Partner:KOR", sources: ["S2"]) { role }"#,
    r#"removeParticipant(meeting: "IAI-TF-63", party: "Member:VNM")"#,
    r#"addFunding(input: { funder: "Partner:KOR", target: "Initiative:IAI-WP3", sources: ["S2"] }) { amountUsd }"#,
    r#"updateFunding(funder: "Partner:JPN", target: "Initiative:IAI-WP4", input: { amountUsd: 1 }) { amountUsd }"#,
    r#"removeFunding(funder: "Partner:JPN", target: "Initiative:IAI-WP4")"#,
    r#"addChair(body: "IAI-TF", member: "LAO", year: 2099, sources: ["P2"]) { year }"#,
    r#"removeChair(year: 2020)"#,
    r#"addPartnerStatus(partner: "TUR", input: { kind: DIALOGUE_PARTNER, from: "2099-01-01", sources: ["P2"] }) { code }"#,
    r#"removePartnerStatus(partner: "GBR", from: "2021-08-02") { code }"#,
    r#"addFigure(initiative: "IAI", input: { label: "x", value: 1, source: "P2" }) { code }"#,
    r#"removeFigure(initiative: "IAI", label: "x") { code }"#,
    r#"addClaim(id: "Member:VNM", input: { field: "x", value: "v", source: "P2" }) { id }"#,
    r#"removeClaim(id: "Person:KAN-PHARIDH", field: "title", source: "S1") { id }"#,
    r#"addSource(id: "Member:VNM", source: "P36") { id }"#,
    r#"removeSource(id: "Member:VNM", source: "P2") { id }"#,
];

#[tokio::test]
async fn every_mutation_refuses_callers_without_an_editor_token() {
    let (_s, api) = server().await;
    // The list covers the schema's every mutation.
    let fields = api
        .ok(
            None,
            "{ __schema { mutationType { fields { name } } } }",
            json!({}),
        )
        .await;
    let in_schema: BTreeSet<String> = fields["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    let listed: BTreeSet<String> = EVERY_MUTATION
        .iter()
        .map(|m| m[..m.find('(').unwrap()].to_owned())
        .collect();
    assert_eq!(
        listed, in_schema,
        "EVERY_MUTATION does not list every mutation"
    );

    let before = snapshot(&api).await;
    for m in EVERY_MUTATION {
        let query = format!("mutation {{ {m} }}");
        for (secret, expected) in [
            (None, "UNAUTHENTICATED"),
            (Some(WRONG), "UNAUTHENTICATED"),
            (Some(READER), "FORBIDDEN"),
        ] {
            let (code, message) = api.fails(secret, &query, json!({})).await;
            assert_eq!(code, expected, "{query} with {secret:?}: {message}");
            if expected == "FORBIDDEN" {
                assert!(message.contains("editor"), "{query}: {message}");
            } else {
                assert!(message.contains("token"), "{query}: {message}");
            }
        }
        // A cascading delete needs an admin; an editor is FORBIDDEN.
        if m.starts_with("delete") {
            let cascade = format!("mutation {{ {}, cascade: true) }}", &m[..m.len() - 1]);
            let (code, message) = api.fails(Some(EDITOR), &cascade, json!({})).await;
            assert_eq!(code, "FORBIDDEN", "{cascade}: {message}");
            assert!(message.contains("admin"), "{cascade}: {message}");
        }
    }
    assert_eq!(snapshot(&api).await, before);
}

#[tokio::test]
async fn with_no_tokens_writes_are_off_and_the_error_says_how_to_turn_them_on() {
    let s = TestServer::start().await;
    let api = Api::new(&s.base, &s.client);
    let before = snapshot(&api).await;
    for secret in [None, Some(EDITOR)] {
        let (code, message) = api
            .fails(
                secret,
                r#"mutation { createSource(input: { code: "TSRC", title: "T" }) { id } }"#,
                json!({}),
            )
            .await;
        assert_eq!(code, "FORBIDDEN", "{message}");
        assert!(message.contains("ASEAN_GRAPH_TOKENS"), "{message}");
    }
    // Reads work.
    let data = api
        .ok(None, "{ member(code: \"VNM\") { name } }", json!({}))
        .await;
    assert_eq!(data["member"]["name"], "Viet Nam");
    assert_eq!(snapshot(&api).await, before);
}

#[tokio::test]
async fn the_cli_server_with_no_tokens_refuses_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let s = ChildServer::start(&tmp.path().join("store"), None).await;
    let body = s
        .try_post(
            Some(EDITOR),
            r#"mutation { createSource(input: { code: "TSRC", title: "T" }) { id } }"#,
            json!({}),
        )
        .await
        .unwrap();
    let (code, message) = error_of(&body, "createSource", &json!({}));
    assert_eq!(code, "FORBIDDEN");
    assert!(message.contains("ASEAN_GRAPH_TOKENS"), "{message}");
    assert!(s.terminate().await);
}

// ---------------------------------------------------------------------------------------
// Referential integrity, and `check` on the store afterwards (through the CLI).

#[tokio::test]
async fn referential_integrity_holds_both_ways_and_check_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let s = ChildServer::start(&dir, Some(TOKENS)).await;
    let api = Api::new(&s.base, &s.client);

    // An edge to or from a record that does not exist is refused.
    for (query, missing) in [
        (
            r#"mutation { addFunding(input: { funder: "Partner:KOR", target: "Meeting:NOPE-1", sources: ["S2"] }) { amountUsd } }"#,
            "NOPE-1",
        ),
        (
            r#"mutation { addFunding(input: { funder: "Member:XXX", target: "Initiative:IAI", sources: ["S2"] }) { amountUsd } }"#,
            "XXX",
        ),
        (
            r#"mutation { link(kind: PART_OF, from: "Initiative:IAI-WP4", to: "Initiative:NOPE", sources: ["P2"]) { id } }"#,
            "NOPE",
        ),
        (
            r#"mutation { link(kind: REPRESENTS, from: "Person:NO-ONE", to: "Member:VNM", sources: ["P2"]) { id } }"#,
            "NO-ONE",
        ),
        (
            r#"mutation { addParticipant(meeting: "NOPE-1", party: "Member:VNM", sources: ["P2"]) { role } }"#,
            "NOPE-1",
        ),
        (
            r#"mutation { addParticipant(meeting: "IAI-TF-63", party: "Body:NOPE", sources: ["P2"]) { role } }"#,
            "NOPE",
        ),
        (
            r#"mutation { addChair(body: "NOPE", member: "VNM", year: 2099, sources: ["P2"]) { year } }"#,
            "NOPE",
        ),
        (
            r#"mutation { addChair(body: "ACC", member: "XXX", year: 2099, sources: ["P2"]) { year } }"#,
            "XXX",
        ),
    ] {
        let (code, message) = api.fails(Some(EDITOR), query, json!({})).await;
        assert_eq!(code, "NOT_FOUND", "{query}: {message}");
        assert!(message.contains(missing), "{query}: {message}");
    }
    // A record with edges cannot be deleted without cascade.
    for query in [
        r#"mutation { deletePartner(code: "JPN") }"#,
        r#"mutation { deleteBody(code: "IAI-TF") }"#,
        r#"mutation { deletePerson(code: "NGUYEN-HAI-BANG") }"#,
        r#"mutation { deleteMeeting(code: "IAI-TF-63") }"#,
    ] {
        let (code, _) = api.fails(Some(EDITOR), query, json!({})).await;
        assert_eq!(code, "CONFLICT", "{query}");
    }
    // With cascade (admin), every relationship goes with the record: Viet Nam first, whose
    // participation in IAI-TF-63 had a head of delegation.
    for query in [
        r#"mutation { deleteMember(code: "VNM", cascade: true) }"#,
        r#"mutation { deletePartner(code: "JPN", cascade: true) }"#,
        r#"mutation { deleteBody(code: "IAI-TF", cascade: true) }"#,
        r#"mutation { deletePerson(code: "NGUYEN-HAI-BANG", cascade: true) }"#,
        r#"mutation { deleteMeeting(code: "IAI-TF-63", cascade: true) }"#,
        r#"mutation { deleteInitiative(code: "IAI-WP4", cascade: true) }"#,
        r#"mutation { deleteMember(code: "SGP", cascade: true) }"#,
    ] {
        let data = api.ok(Some(ADMIN), query, json!({})).await;
        assert_eq!(
            data.as_object().unwrap().values().next().unwrap(),
            true,
            "{query}"
        );
    }
    let snap = snapshot(&api).await;
    let mut without_log = snap.clone();
    without_log.as_object_mut().unwrap().remove("changes");
    let text = without_log.to_string();
    for gone in [
        "Member:VNM",
        "Partner:JPN",
        "Body:IAI-TF\"",
        "Person:NGUYEN-HAI-BANG",
        "Meeting:IAI-TF-63",
        "Initiative:IAI-WP4\"",
        "Member:SGP",
    ] {
        assert!(!text.contains(gone), "{gone} is still referred to");
    }
    assert!(
        s.terminate().await,
        "the server did not exit cleanly on SIGTERM"
    );
    let (clean, report) = check(&dir).await;
    assert!(clean, "{report}");
}

/// A source stays while anything cites it: a claim, a figure, a partner status or a
/// relationship; each citer is named. Once the citations go, so can the source.
#[tokio::test]
async fn a_source_cited_anywhere_cannot_be_deleted() {
    let (_s, api) = server().await;
    let cite = [
        (
            "T1",
            r#"mutation { addClaim(id: "Member:VNM", input: { field: "x", value: "v", source: "T1" }) { id } }"#,
            "Member:VNM",
            r#"mutation { removeClaim(id: "Member:VNM", field: "x", source: "T1") { id } }"#,
        ),
        (
            "T2",
            r#"mutation { addFigure(initiative: "IAI", input: { label: "x", value: 1, source: "T2" }) { code } }"#,
            "Initiative:IAI",
            r#"mutation { removeFigure(initiative: "IAI", label: "x") { code } }"#,
        ),
        (
            "T3",
            r#"mutation { addPartnerStatus(partner: "TUR", input: { kind: DEVELOPMENT_PARTNER, from: "1990-01-01", to: "1990-12-31", sources: ["T3"] }) { code } }"#,
            "Partner:TUR",
            r#"mutation { removePartnerStatus(partner: "TUR", from: "1990-01-01") { code } }"#,
        ),
        (
            "T4",
            r#"mutation { addFunding(input: { funder: "Partner:KOR", target: "Initiative:IAI-WP3", sources: ["T4"] }) { amountUsd } }"#,
            "Partner:KOR → Initiative:IAI-WP3",
            r#"mutation { removeFunding(funder: "Partner:KOR", target: "Initiative:IAI-WP3") }"#,
        ),
    ];
    for (code, add, citer, remove) in cite {
        api.ok(
            Some(EDITOR),
            "mutation($code: String!) { createSource(input: { code: $code, title: \"t\" }) { id } }",
            json!({ "code": code }),
        )
        .await;
        api.ok(Some(EDITOR), add, json!({})).await;
        assert_eq!(citation_count(&api, code).await, 1, "{code}");
        let delete = "mutation($code: String!) { deleteSource(code: $code) }";
        let before = snapshot(&api).await;
        let (error, message) = api
            .fails(Some(EDITOR), delete, json!({ "code": code }))
            .await;
        assert_eq!(error, "CONFLICT", "{code}: {message}");
        assert!(
            message.contains(&format!("{citer} (cites it)")),
            "{code}: {message}"
        );
        assert_eq!(snapshot(&api).await, before);
        api.ok(Some(EDITOR), remove, json!({})).await;
        assert_eq!(citation_count(&api, code).await, 0, "{code}");
        let data = api.ok(Some(EDITOR), delete, json!({ "code": code })).await;
        assert_eq!(data["deleteSource"], true);
    }
}

/// The ids a query's list at `path` holds.
async fn listed(api: &Api, query: &str, path: &str) -> Vec<String> {
    pick(&api.ok(None, query, json!({})).await, path)
}

/// Search, facets and the date index change with the records, in the same write; `check`
/// finds them consistent afterwards.
#[tokio::test]
async fn indexes_follow_every_write_and_check_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let s = ChildServer::start(&dir, Some(TOKENS)).await;
    let api = Api::new(&s.base, &s.client);
    let editor = Some(EDITOR);
    let has = |list: Vec<String>, id: &str| list.contains(&id.to_owned());

    // Search: folded text, found after create, followed by update, gone after delete.
    api.ok(
        editor,
        r#"mutation { createMember(input: { code: "XTM", name: "Quokkaland", nameVi: "Xứ Thử Nghiệm", clmv: true, sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;
    let search = |text: &str| format!("{{ search(text: \"{text}\", first: 50) {{ id }} }}");
    assert!(has(
        listed(&api, &search("xu thu nghiem"), "search").await,
        "Member:XTM"
    ));
    assert!(has(
        listed(&api, &search("quokkaland"), "search").await,
        "Member:XTM"
    ));
    assert!(has(
        listed(
            &api,
            "{ members(clmv: true, first: 100) { nodes { id } } }",
            "members.nodes"
        )
        .await,
        "Member:XTM"
    ));
    api.ok(
        editor,
        r#"mutation { updateMember(code: "XTM", input: { name: "Wombatia", nameVi: null, clmv: false }) { id } }"#,
        json!({}),
    )
    .await;
    assert!(!has(
        listed(&api, &search("quokkaland"), "search").await,
        "Member:XTM"
    ));
    assert!(!has(
        listed(&api, &search("xu thu nghiem"), "search").await,
        "Member:XTM"
    ));
    assert!(has(
        listed(&api, &search("wombatia"), "search").await,
        "Member:XTM"
    ));
    assert!(!has(
        listed(
            &api,
            "{ members(clmv: true, first: 100) { nodes { id } } }",
            "members.nodes"
        )
        .await,
        "Member:XTM"
    ));
    assert!(has(
        listed(
            &api,
            "{ members(clmv: false, first: 100) { nodes { id } } }",
            "members.nodes"
        )
        .await,
        "Member:XTM"
    ));

    // Facets of bodies and initiatives.
    api.ok(
        editor,
        r#"mutation { updateBody(code: "ACC", input: { pillar: SOCIO_CULTURAL }) { id }
                      updateInitiative(code: "IAI-WP4", input: { kind: VISION }) { id } }"#,
        json!({}),
    )
    .await;
    assert!(has(
        listed(
            &api,
            "{ bodies(pillar: SOCIO_CULTURAL, first: 100) { nodes { id } } }",
            "bodies.nodes"
        )
        .await,
        "Body:ACC"
    ));
    assert!(has(
        listed(
            &api,
            "{ initiatives(kind: VISION, first: 100) { nodes { id } } }",
            "initiatives.nodes"
        )
        .await,
        "Initiative:IAI-WP4"
    ));
    assert!(!has(
        listed(
            &api,
            "{ initiatives(kind: WORK_PLAN, first: 100) { nodes { id } } }",
            "initiatives.nodes"
        )
        .await,
        "Initiative:IAI-WP4"
    ));

    // The date index.
    let in_2031 =
        r#"{ meetings(from: "2031-05-01", to: "2031-05-31", first: 100) { nodes { id } } }"#;
    let in_2032 =
        r#"{ meetings(from: "2032-01-01", to: "2032-01-31", first: 100) { nodes { id } } }"#;
    api.ok(
        editor,
        r#"mutation { createMeeting(input: { code: "TB-1", title: "Test", startDate: "2031-05-05", sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        listed(&api, in_2031, "meetings.nodes").await,
        ["Meeting:TB-1"]
    );
    api.ok(
        editor,
        r#"mutation { updateMeeting(code: "TB-1", input: { startDate: "2032-01-02" }) { id } }"#,
        json!({}),
    )
    .await;
    assert!(listed(&api, in_2031, "meetings.nodes").await.is_empty());
    assert_eq!(
        listed(&api, in_2032, "meetings.nodes").await,
        ["Meeting:TB-1"]
    );

    // Deleted: in no index.
    api.ok(
        editor,
        r#"mutation { deleteMeeting(code: "TB-1") deleteMember(code: "XTM") }"#,
        json!({}),
    )
    .await;
    assert!(listed(&api, in_2032, "meetings.nodes").await.is_empty());
    assert!(!has(
        listed(&api, &search("wombatia"), "search").await,
        "Member:XTM"
    ));
    assert!(!has(
        listed(
            &api,
            "{ members(clmv: false, first: 100) { nodes { id } } }",
            "members.nodes"
        )
        .await,
        "Member:XTM"
    ));

    assert!(
        s.terminate().await,
        "the server did not exit cleanly on SIGTERM"
    );
    let (clean, report) = check(&dir).await;
    assert!(clean, "{report}");
}

// ---------------------------------------------------------------------------------------
// Concurrent writers.

/// Tasks, and writes per task (a multiple of 5: the task's cycle is five writes, plus one
/// racing create that only one task wins).
const TASKS: usize = 16;
const WRITES_PER_TASK: usize = 200;

#[tokio::test]
async fn concurrent_writers_end_in_a_serial_state_and_check_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let s = ChildServer::start(&dir, Some(TOKENS)).await;
    let api = std::sync::Arc::new(Api::new(&s.base, &s.client));
    let editor = Some(EDITOR);

    // Setup: a shared person every task updates and adds claims to; a shared target every
    // task funds and unfunds; one partner per task as its funder.
    api.ok(
        editor,
        r#"mutation { a: createPerson(input: { code: "SHARED", name: "Shared", sources: ["P2"] }) { id }
                      b: createInitiative(input: { code: "CONC-TARGET", name: "Target", kind: PROJECT, sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;
    let partners = ids(&api
        .ok(None, "{ partners(first: 100) { nodes { id } } }", json!({}))
        .await["partners"]["nodes"]);
    assert!(partners.len() >= TASKS);
    let people_before =
        api.ok(None, "{ people { totalCount } }", json!({})).await["people"]["totalCount"]
            .as_u64()
            .unwrap() as usize;
    let start_seq: String = api
        .ok(
            None,
            "{ history(id: \"Initiative:CONC-TARGET\", first: 1) { nodes { seq } } }",
            json!({}),
        )
        .await["history"]["nodes"][0]["seq"]
        .as_str()
        .unwrap()
        .to_owned();

    let cycles = WRITES_PER_TASK / 5;
    let mut tasks = Vec::new();
    for (t, funder) in partners.iter().take(TASKS).cloned().enumerate() {
        let api = std::sync::Arc::clone(&api);
        tasks.push(tokio::spawn(async move {
            let mut titles = Vec::new();
            let mut races_won = Vec::new();
            for c in 0..cycles {
                let code = format!("C{t}-{c}");
                let title = format!("title {t}-{c}");
                let steps = [
                    (
                        "mutation($code: String!) { createPerson(input: { code: $code, name: \"C\", sources: [\"P2\"] }) { code } }",
                        json!({ "code": code }),
                    ),
                    (
                        "mutation($title: String!) { updatePerson(code: \"SHARED\", input: { title: $title }) { title } }",
                        json!({ "title": title }),
                    ),
                    (
                        "mutation($field: String!) { addClaim(id: \"Person:SHARED\", input: { field: $field, value: \"v\", source: \"P2\" }) { id } }",
                        json!({ "field": format!("f{t}-{c}") }),
                    ),
                    (
                        "mutation($funder: ID!, $amount: Float!) { addFunding(input: { funder: $funder, target: \"Initiative:CONC-TARGET\", amountUsd: $amount, sources: [\"P2\"] }) { amountUsd } }",
                        json!({ "funder": funder, "amount": c as f64 }),
                    ),
                    (
                        "mutation($funder: ID!) { removeFunding(funder: $funder, target: \"Initiative:CONC-TARGET\") }",
                        json!({ "funder": funder }),
                    ),
                ];
                for (query, variables) in steps {
                    api.ok(Some(EDITOR), query, variables).await;
                }
                titles.push(title);
                // Every task also tries to create the same record: one wins, the others
                // get CONFLICT.
                let body = api
                    .body(
                        Some(EDITOR),
                        "mutation($code: String!) { createPerson(input: { code: $code, name: \"R\", sources: [\"P2\"] }) { code } }",
                        json!({ "code": format!("RACE-{c}") }),
                    )
                    .await;
                if body.get("errors").is_none() {
                    races_won.push(c);
                } else {
                    let (code, message) = error_of(&body, "race", &json!({}));
                    assert_eq!(code, "CONFLICT", "{message}");
                }
            }
            (titles, races_won)
        }));
    }
    let mut written_titles = HashSet::new();
    let mut races_won = vec![0; cycles];
    for task in tasks {
        let (titles, won) = tokio::time::timeout(Duration::from_secs(600), task)
            .await
            .expect("the writers stalled")
            .unwrap();
        written_titles.extend(titles);
        for c in won {
            races_won[c] += 1;
        }
    }
    assert_eq!(
        races_won,
        vec![1; cycles],
        "each raced record is created exactly once"
    );

    // Every created record exists.
    let people = api.ok(None, "{ people { totalCount } }", json!({})).await["people"]["totalCount"]
        .as_u64()
        .unwrap() as usize;
    assert_eq!(people, people_before + TASKS * cycles + cycles);
    for t in 0..TASKS {
        for c in [0, cycles / 2, cycles - 1] {
            let code = format!("C{t}-{c}");
            let data = api
                .ok(
                    None,
                    "query($code: String!) { person(code: $code) { code } }",
                    json!({ "code": code }),
                )
                .await;
            assert_eq!(data["person"]["code"], json!(code));
        }
    }
    // The shared record: no claim lost, and the title the last update in the log wrote.
    let shared = api
        .ok(
            None,
            "{ person(code: \"SHARED\") { title claims { field } } }",
            json!({}),
        )
        .await;
    let claims: HashSet<&str> = shared["person"]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(claims.len(), TASKS * cycles, "claims were lost");
    let title = shared["person"]["title"].as_str().unwrap();
    assert!(written_titles.contains(title), "{title}");
    // Every funding added was removed again.
    let target = api
        .ok(
            None,
            "{ initiative(code: \"CONC-TARGET\") { fundings { totalCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(target["initiative"]["fundings"]["totalCount"], 0);

    // The log: one entry per acknowledged write (and per race won), in increasing order.
    let mut log = Vec::new();
    let mut since = start_seq;
    loop {
        let page = api
            .ok(
                None,
                "query($since: String) { changes(since: $since, first: 500) { seq op id after } }",
                json!({ "since": since }),
            )
            .await["changes"]
            .as_array()
            .unwrap()
            .clone();
        let Some(last) = page.last() else { break };
        since = last["seq"].as_str().unwrap().to_owned();
        log.extend(page);
    }
    assert_eq!(log.len(), TASKS * WRITES_PER_TASK + cycles, "log entries");
    let seqs: Vec<u64> = log
        .iter()
        .map(|e| e["seq"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "the log is not in order"
    );
    for (op, n) in [
        ("createPerson", TASKS * cycles + cycles),
        ("updatePerson", TASKS * cycles),
        ("addClaim", TASKS * cycles),
        ("addFunding", TASKS * cycles),
        ("removeFunding", TASKS * cycles),
    ] {
        assert_eq!(
            log.iter().filter(|e| e["op"] == op).count(),
            n,
            "{op} entries"
        );
    }
    // The serial order is the log's: the last title update in it is the title that stands.
    let last_update = log
        .iter()
        .rev()
        .find(|e| e["op"] == "updatePerson")
        .unwrap();
    assert_eq!(last_update["after"]["title"], json!(title));
    let history_len = |id: String| {
        let api = std::sync::Arc::clone(&api);
        async move {
            let seqs: Vec<u64> = whole_history(&api, &id, 100, "seq")
                .await
                .iter()
                .map(|e| e["seq"].as_str().unwrap().parse().unwrap())
                .collect();
            assert!(
                seqs.windows(2).all(|w| w[0] > w[1]),
                "{id}: history not newest first"
            );
            seqs.len()
        }
    };
    // create + one update and one claim per cycle per task.
    assert_eq!(
        history_len("Person:SHARED".into()).await,
        1 + 2 * TASKS * cycles
    );
    for funder in partners.iter().take(TASKS) {
        let n = history_len(funder.clone()).await;
        assert_eq!(n, 2 * cycles, "history of {funder}");
    }
    for c in 0..cycles {
        assert_eq!(history_len(format!("Person:RACE-{c}")).await, 1, "RACE-{c}");
    }

    assert!(
        s.terminate().await,
        "the server did not exit cleanly on SIGTERM"
    );
    let (clean, report) = check(&dir).await;
    assert!(clean, "{report}");
}

/// `serve` with a configuration it refuses (a secret under 16 characters, an unreadable
/// tokens file, a manifest whose hash is wrong, a missing `--static-json` file) exits non-zero
/// naming the problem, before it touches the store: the data directory is not even created.
#[tokio::test]
async fn serve_with_a_bad_configuration_refuses_to_start_and_leaves_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let bad_manifest = dir.path().join("manifest.json");
    std::fs::write(&bad_manifest, json!({ "00": "{ __typename }" }).to_string()).unwrap();
    let missing = dir.path().join("missing.json");
    /// What is wrong, the flags, the environment, and what stderr must say.
    type Case = (
        &'static str,
        Vec<std::ffi::OsString>,
        Vec<(&'static str, &'static str)>,
        &'static str,
    );
    let cases: [Case; 4] = [
        (
            "a short secret",
            vec![],
            vec![("ASEAN_GRAPH_TOKENS", "ana:editor:short")],
            "16 characters",
        ),
        (
            "an unreadable tokens file",
            vec!["--tokens-file".into(), missing.clone().into()],
            vec![],
            "tokens file",
        ),
        (
            "a manifest with a wrong hash",
            vec!["--trusted-documents".into(), bad_manifest.into()],
            vec![],
            "sha256",
        ),
        (
            "a missing static JSON file",
            vec!["--static-json".into(), missing.into()],
            vec![],
            "missing.json",
        ),
    ];
    for (i, (what, args, env, says)) in cases.into_iter().enumerate() {
        let data = dir.path().join(format!("store-{i}"));
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_asean-graph"));
        for (k, _) in std::env::vars() {
            if k.starts_with("ASEAN_GRAPH_") {
                command.env_remove(k);
            }
        }
        command
            .arg("--data")
            .arg(&data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env)
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        let out = tokio::time::timeout(Duration::from_secs(60), command.output())
            .await
            .unwrap_or_else(|_| panic!("{what}: the server started"))
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{what}: exit {:?}", out.status);
        assert!(
            stderr.contains(says),
            "{what}: stderr does not say {says:?}: {stderr}"
        );
        assert!(
            !data.exists() || std::fs::read_dir(&data).unwrap().next().is_none(),
            "{what}: the store was created or loaded before the configuration was checked: {:?}",
            std::fs::read_dir(&data).map(|d| d.count())
        );
    }
}
