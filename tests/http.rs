//! The read API through the real server on a loopback port, over real HTTP.

use crate::common::TestServer;
use serde_json::{Value, json};
use std::collections::HashSet;

const PRODUCT_QUESTION: &str = r#"{ partners(kind: DIALOGUE_PARTNER, first: 100) { nodes { code name
    fundings { nodes { projectCount amountUsd
      target { ... on Initiative { code name parent { code } } }
      approvedAt { code startDate } sources { title } } } } } }"#;

#[tokio::test]
async fn the_product_question_names_japan_and_not_singapore() {
    let s = TestServer::start().await;
    let data = s.data(PRODUCT_QUESTION).await;
    let partners = data["partners"]["nodes"].as_array().unwrap();
    let japan = partners
        .iter()
        .find(|p| p["code"] == "JPN")
        .expect("Japan is a dialogue partner");
    assert_eq!(japan["name"], "Japan");
    let funding = japan["fundings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["code"] == "IAI-WP4")
        .expect("Japan funds IAI-WP4");
    assert_eq!(funding["projectCount"], 1);
    assert_eq!(funding["target"]["parent"]["code"], "IAI");
    assert_eq!(funding["approvedAt"]["code"], "IAI-TF-63");
    assert_eq!(funding["approvedAt"]["startDate"], "2021-03-25");
    assert!(
        !funding["sources"].as_array().unwrap().is_empty(),
        "the funding cites a source"
    );
    assert!(
        partners.iter().all(|p| p["code"] != "SGP"),
        "Singapore is a member, not a partner"
    );

    let data = s
        .data(
            r#"{ initiative(code: "iai-wp4") { fundings { nodes { projectCount
              funder { __typename ... on Member { code } ... on Partner { code } } } } } }"#,
        )
        .await;
    let funders: Vec<(String, String, i64)> = data["initiative"]["fundings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["funder"]["__typename"].as_str().unwrap().to_owned(),
                f["funder"]["code"].as_str().unwrap().to_owned(),
                f["projectCount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        funders.contains(&("Member".into(), "SGP".into(), 16)),
        "{funders:?}"
    );
    assert!(
        funders.contains(&("Partner".into(), "JPN".into(), 1)),
        "{funders:?}"
    );
}

#[tokio::test]
async fn partners_as_of_a_date_follow_the_status_history() {
    let s = TestServer::start().await;
    let codes = |data: &Value| -> HashSet<String> {
        data["partners"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let before = s
        .data(r#"{ partners(kind: DIALOGUE_PARTNER, asOf: "2020-12-31", first: 100) { nodes { code } } }"#)
        .await;
    let after = s
        .data(r#"{ partners(kind: DIALOGUE_PARTNER, asOf: "2021-12-31", first: 100) { nodes { code } } }"#)
        .await;
    assert!(!codes(&before).contains("GBR"));
    assert!(codes(&after).contains("GBR"));
    assert!(codes(&before).contains("JPN") && codes(&after).contains("JPN"));
}

#[tokio::test]
async fn pagination_visits_every_item_once_both_ways() {
    let s = TestServer::start().await;
    for list in [
        "partners",
        "members",
        "bodies",
        "initiatives",
        "meetings",
        "sources",
    ] {
        let total = s.data(&format!("{{ {list} {{ totalCount }} }}")).await[list]["totalCount"]
            .as_u64()
            .unwrap() as usize;
        assert!(total > 0, "{list} is empty");

        let mut forward = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let (_, body) = s
                .post(
                    &format!(
                        "query($after: String) {{ {list}(first: 3, after: $after) {{
                            totalCount edges {{ cursor node {{ id }} }}
                            pageInfo {{ hasNextPage hasPreviousPage endCursor }} }} }}"
                    ),
                    json!({ "after": after }),
                )
                .await;
            let conn = &body["data"][list];
            assert_eq!(conn["totalCount"].as_u64().unwrap() as usize, total);
            assert_eq!(conn["pageInfo"]["hasPreviousPage"], json!(after.is_some()));
            for e in conn["edges"].as_array().unwrap() {
                forward.push(e["node"]["id"].as_str().unwrap().to_owned());
            }
            if conn["pageInfo"]["hasNextPage"] != json!(true) {
                break;
            }
            after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        assert_eq!(
            forward.len(),
            total,
            "{list}: visited {} of {total}",
            forward.len()
        );
        assert_eq!(
            forward.iter().collect::<HashSet<_>>().len(),
            total,
            "{list}: repeats"
        );

        let mut backward = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let (_, body) = s
                .post(
                    &format!(
                        "query($before: String) {{ {list}(last: 4, before: $before) {{
                            nodes {{ id }} pageInfo {{ hasPreviousPage startCursor }} }} }}"
                    ),
                    json!({ "before": before }),
                )
                .await;
            let conn = &body["data"][list];
            let mut page: Vec<String> = conn["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_str().unwrap().to_owned())
                .collect();
            page.extend(backward);
            backward = page;
            if conn["pageInfo"]["hasPreviousPage"] != json!(true) {
                break;
            }
            before = conn["pageInfo"]["startCursor"].as_str().map(str::to_owned);
        }
        assert_eq!(backward, forward, "{list}: backward order differs");
    }
}

#[tokio::test]
async fn node_resolves_every_type_by_global_id() {
    let s = TestServer::start().await;
    let data = s
        .data(
            r#"{ members(first: 1) { nodes { id } } partners(first: 1) { nodes { id } }
                 bodies(first: 1) { nodes { id } } meetings(first: 1) { nodes { id } }
                 initiatives(first: 1) { nodes { id } } people(first: 1) { nodes { id } }
                 sources(first: 1) { nodes { id } } }"#,
        )
        .await;
    for (list, typename) in [
        ("members", "Member"),
        ("partners", "Partner"),
        ("bodies", "Body"),
        ("meetings", "Meeting"),
        ("initiatives", "Initiative"),
        ("people", "Person"),
        ("sources", "Source"),
    ] {
        let id = data[list]["nodes"][0]["id"].as_str().unwrap();
        assert!(id.starts_with(&format!("{typename}:")), "{id}");
        let (_, body) = s
            .post(
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(body["data"]["node"]["__typename"], typename);
        assert_eq!(body["data"]["node"]["id"], id);
    }
    let data = s
        .data(r#"{ node(id: "Member:XXX") { id } member(code: "XXX") { code } }"#)
        .await;
    assert_eq!(data["node"], Value::Null);
    assert_eq!(data["member"], Value::Null);
}

#[tokio::test]
async fn search_ranks_exact_codes_and_names_first_and_ignores_diacritics() {
    let s = TestServer::start().await;
    let ids = |data: &Value| -> Vec<String> {
        data["search"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let iai = s.data(r#"{ search(text: "iai") { nodes { id } } }"#).await;
    assert_eq!(
        ids(&iai).first().map(String::as_str),
        Some("Initiative:IAI"),
        "{iai}"
    );
    let vn = s
        .data(r#"{ search(text: "viet nam") { nodes { id } } }"#)
        .await;
    assert_eq!(
        ids(&vn).first().map(String::as_str),
        Some("Member:VNM"),
        "{vn}"
    );
    let vn_accented = s
        .data(r#"{ search(text: "Việt Nam") { nodes { id } } }"#)
        .await;
    assert_eq!(ids(&vn_accented), ids(&vn));
    // Every meeting whose Vietnamese title holds the words is found, whatever the accents.
    let all = s
        .data("{ meetings(first: 100) { nodes { id titleVi } } }")
        .await;
    let expected: HashSet<String> = all["meetings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            let title = m["titleVi"].as_str().unwrap_or("");
            asean_graph::model::search::fold(title).contains("hoi nghi tham van")
        })
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!expected.is_empty());
    let found = s
        .data(r#"{ search(text: "hoi nghi tham van", first: 50) { nodes { id } } }"#)
        .await;
    let found: HashSet<String> = ids(&found).into_iter().collect();
    assert!(
        expected.is_subset(&found),
        "expected {expected:?} among {found:?}"
    );
}

#[tokio::test]
async fn get_runs_queries_with_cache_control_and_refuses_mutations() {
    let s = TestServer::start().await;
    let url = format!("{}/graphql", s.base);
    let r = s
        .client
        .get(&url)
        .query(&[("query", r#"{ member(code: "VNM") { name } }"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("cache-control").is_some());
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam");

    let r = s
        .client
        .get(&url)
        .query(&[("query", "mutation { deleteMember(code: \"VNM\") }")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "POST");
}

#[tokio::test]
async fn bad_arguments_are_clear_errors_with_codes() {
    let s = TestServer::start().await;
    for query in [
        r#"{ meetings(from: "2021-13-45") { totalCount } }"#,
        r#"{ partners(kind: BEST_FRIEND) { totalCount } }"#,
        r#"{ partners(first: -1) { totalCount } }"#,
        r#"{ partners(first: 100000) { totalCount } }"#,
        r#"{ node(id: "not an id") { id } }"#,
        r#"{ meetings(from: "2021-12-31", to: "2021-01-01") { totalCount } }"#,
    ] {
        assert_eq!(s.error_codes(query).await, ["BAD_USER_INPUT"], "{query}");
    }
    let (_, body) = s
        .post(
            r#"{ meetings(from: "2021-13-45") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert!(body.to_string().contains("2021-13-45"), "{body}");
    assert_eq!(
        s.error_codes(r#"{ meetings(body: "NOPE") { totalCount } }"#)
            .await,
        ["NOT_FOUND"]
    );
}

/// A page too large says which cursor to page on: `last: 418` said "page with `after`".
#[tokio::test]
async fn a_page_past_the_largest_says_which_cursor_to_page_with() {
    let s = TestServer::start().await;
    for (size, cursor) in [("first", "after"), ("last", "before")] {
        for list in ["partners", "meetings"] {
            let (_, body) = s
                .post(
                    &format!("{{ {list}({size}: 418) {{ totalCount }} }}"),
                    json!({}),
                )
                .await;
            assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
            assert_eq!(
                body["errors"][0]["message"],
                format!("{size}: 418 is more than the largest page, 100; page with `{cursor}`"),
                "{list}"
            );
        }
    }
}

#[tokio::test]
async fn http_follows_the_graphql_over_http_spec() {
    let s = TestServer::start().await;
    let url = format!("{}/graphql", s.base);
    // No content type: 4xx.
    let r = s
        .client
        .post(&url)
        .body(r#"{"query":"{__typename}"}"#)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
    // graphql-response+json: a validation failure is 400 with no data.
    let r = s
        .client
        .post(&url)
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body(r#"{"query":"{ noSuchField }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/graphql-response+json")
    );
    let body: Value = r.json().await.unwrap();
    assert!(body.get("data").is_none(), "{body}");
    // application/json: the same failure is 200.
    let r = s
        .client
        .post(&url)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(r#"{"query":"{ noSuchField }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn health_reports_a_readable_store_and_its_counts() {
    let s = TestServer::start().await;
    let r = s
        .client
        .get(format!("{}/health", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["store"], "readable");
    assert_eq!(body["counts"]["records"]["member"], 11);
}

/// A date that does not exist, as a literal, a variable or a field of an input variable, by
/// POST or GET: under `application/graphql-response+json` a request error (400, no `data`),
/// as a bad `Int` is; under `application/json` 200 with only errors. The message names the
/// value and the format expected, coded `BAD_USER_INPUT`.
#[tokio::test]
async fn a_date_that_does_not_exist_is_a_request_error_naming_value_and_format() {
    let s = TestServer::start().await;
    let url = format!("{}/graphql", s.base);
    let cases = [
        (
            r#"{ meetings(from: "2021-13-45") { totalCount } }"#,
            json!({}),
            "2021-13-45",
        ),
        (
            "query($from: Date) { meetings(from: $from) { totalCount } }",
            json!({ "from": "2021-13-45" }),
            "2021-13-45",
        ),
        (
            "query($to: Date!) { partners(asOf: $to) { totalCount } }",
            json!({ "to": "yesterday" }),
            "yesterday",
        ),
        (
            "mutation($input: MeetingInput!) { createMeeting(input: $input) { id } }",
            json!({ "input": { "code": "TB-9", "title": "T", "startDate": "2021-02-30", "sources": ["P2"] } }),
            "2021-02-30",
        ),
    ];
    for (query, variables, value) in &cases {
        for (accept, status) in [
            ("application/graphql-response+json", 400),
            ("application/json", 200),
        ] {
            let r = s
                .client
                .post(&url)
                .header("accept", accept)
                .json(&json!({ "query": query, "variables": variables }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), status, "{accept}: {query} {variables}");
            let body: Value = r.json().await.unwrap();
            assert!(
                body.get("data").is_none_or(Value::is_null),
                "{accept}: {query}: {body}"
            );
            if status == 400 {
                assert!(body.get("data").is_none(), "{query}: {body}");
            }
            let e = &body["errors"][0];
            assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{body}");
            let message = e["message"].as_str().unwrap();
            assert!(
                message.contains(value) && message.contains("YYYY-MM-DD"),
                "the message names neither the value nor the format: {message}"
            );
        }
    }
    // By GET too.
    let r = s
        .client
        .get(&url)
        .header("accept", "application/graphql-response+json")
        .query(&[
            ("query", cases[1].0),
            ("variables", &cases[1].1.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body.get("data").is_none(), "{body}");
    assert!(body.to_string().contains("2021-13-45"), "{body}");
    // As a bad Int is (the rule the dates now follow).
    let r = s
        .client
        .post(&url)
        .header("accept", "application/graphql-response+json")
        .json(
            &json!({ "query": "query($n: Int) { partners(first: $n) { totalCount } }",
            "variables": { "n": "many" } }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // A real date still runs.
    let data = s
        .data(r#"{ meetings(from: "2021-03-25", to: "2021-03-25") { totalCount } }"#)
        .await;
    assert!(
        data["meetings"]["totalCount"].as_u64().unwrap() >= 1,
        "{data}"
    );
}

/// The CLI server's log, written to a file (not a terminal), is plain text: no ANSI colour
/// codes, while its lines (startup and one per request) are there.
#[tokio::test]
async fn log_lines_written_to_a_file_carry_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let port = crate::common::free_port();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_asean-graph"));
    for (k, _) in std::env::vars() {
        if k.starts_with("ASEAN_GRAPH_") {
            command.env_remove(k);
        }
    }
    let mut child = command
        .arg("--data")
        .arg(dir.path().join("store"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "info")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .kill_on_drop(true)
        .spawn()
        .expect("the CLI starts");
    let client = reqwest::Client::new();
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the server exited with {status}\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        let ok = client
            .get(format!("http://127.0.0.1:{port}/health"))
            .timeout(std::time::Duration::from_secs(2))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ok {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "the server did not come up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let r = client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .json(&json!({ "query": "query Named { __typename }", "operationName": "Named" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    child.kill().await.unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("Named"),
        "no request line in the log:\n{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "the log holds ANSI escape codes:\n{text:?}"
    );
}

/// Every object's fields come back in the order the query selects them (GraphQL spec §7.1),
/// even in a large response; a client that reads JSON as a stream or prints it relies on it.
#[tokio::test]
async fn fields_come_back_in_selection_order() {
    let s = TestServer::start().await;
    let query = r#"{ partners(first: 30) { totalCount nodes { since name code kind
        statuses { to kind from } nameVi } } }"#;
    let body = s
        .client
        .post(format!("{}/graphql", s.base))
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The keys as the text holds them, in order.
    let mut keys = Vec::new();
    let mut rest = body.as_str();
    while let Some(end) = rest.find("\":") {
        let start = rest[..end].rfind('"').unwrap() + 1;
        keys.push(rest[start..end].to_owned());
        rest = &rest[end + 2..];
    }
    // The order the selection asks for, walked over the parsed answer.
    let data: Value = serde_json::from_str(&body).unwrap();
    let mut expected = vec!["data", "partners", "totalCount", "nodes"];
    let nodes = data["data"]["partners"]["nodes"].as_array().unwrap();
    assert!(nodes.len() > 20, "a large answer: {}", nodes.len());
    for node in nodes {
        expected.extend(["since", "name", "code", "kind", "statuses"]);
        for _ in node["statuses"].as_array().unwrap() {
            expected.extend(["to", "kind", "from"]);
        }
        expected.push("nameVi");
    }
    assert_eq!(keys, expected);
}
