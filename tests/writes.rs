//! Writes through the real server over HTTP: every record kind created, updated and deleted
//! (its result, a re-read, and its history entry), and the change history paged both ways.
//! The client ([`Api`]) and the graph's snapshot the write tests share are in `common`;
//! relationships are in `links`, bad input in `bad_input`, access in `auth`, integrity and
//! concurrent writers in `consistency`.

use crate::common::EDITOR;
use crate::common::{assert_logged, server, whole_history};
use serde_json::{Value, json};

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
                "query($id: ID!) { history(id: $id) { nodes { op by recordId kind before after } } }",
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
            assert_eq!(e["recordId"], json!(id));
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
