//! The graph explorer at `/explore`: its page and files are served from the binary with their
//! content types, and every GraphQL operation the page sends (`queries.graphql`, cut into one
//! document per operation as `explore.js` cuts it) runs on the bundled dataset under the
//! server's default limits and answers what the page draws.

use crate::common::TestServer;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The page's operations, as the page loads them from `/explore/queries.graphql`.
const QUERIES: &str = include_str!("../src/server/explore/queries.graphql");

/// The schema, for the kinds of record the page must be able to draw.
const SCHEMA: &str = include_str!("../schema.graphql");

/// Cuts a document into its top-level definitions, (name, text) in order, counting braces
/// outside strings and comments: `splitDefinitions` in explore.js, rule for rule.
fn definitions(text: &str) -> Vec<(String, String)> {
    let bytes = text.as_bytes();
    let mut defs = Vec::new();
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    let mut name = String::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            c if start.is_none() && (c.is_ascii_alphabetic() || c == b'_') => {
                let mut words = text[i..].split_whitespace();
                let keyword = words.next().unwrap();
                assert!(
                    matches!(keyword, "query" | "mutation" | "subscription" | "fragment"),
                    "queries.graphql: cannot read a definition at offset {i}"
                );
                name = words
                    .next()
                    .unwrap()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                start = Some(i);
                i += keyword.len();
                continue;
            }
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0
                    && let Some(s) = start.take()
                {
                    defs.push((name.clone(), text[s..=i].to_owned()));
                }
            }
            _ => {}
        }
        i += 1;
    }
    defs
}

/// The fragments a definition spreads (not its inline fragments, `... on Type`).
fn spreads(definition: &str) -> Vec<String> {
    let text: String = definition
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    text.split("...")
        .skip(1)
        .map(|rest| {
            rest.trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty() && name != "on")
        .collect()
}

/// The document the page sends for one operation: the operation, then each fragment it uses,
/// in the order first used (`documentFor` in explore.js).
fn document_for(defs: &[(String, String)], operation: &str) -> String {
    let text = |name: &str| {
        defs.iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("queries.graphql has no definition {name}"))
    };
    let mut order = vec![operation.to_owned()];
    let mut k = 0;
    while k < order.len() {
        for name in spreads(&text(&order[k])) {
            if !order.contains(&name) {
                order.push(name);
            }
        }
        k += 1;
    }
    order
        .iter()
        .map(|n| text(n))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Runs one of the page's operations as the page does; returns its `data`, which must come
/// without errors.
async fn run(s: &TestServer, operation: &str, variables: Value) -> Value {
    let defs = definitions(QUERIES);
    let document = document_for(&defs, operation);
    async_graphql::parser::parse_query(&document)
        .unwrap_or_else(|e| panic!("{operation} does not parse: {e}\n{document}"));
    let response = s
        .client
        .post(format!("{}/graphql", s.base))
        .header("content-type", "application/json")
        .json(&json!({ "query": document, "operationName": operation, "variables": variables }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{operation}: {body}");
    assert!(
        body.get("errors").is_none(),
        "{operation} {variables}: {body}"
    );
    body["data"].clone()
}

/// The ids a connection's page lists.
fn ids(connection: &Value) -> BTreeSet<String> {
    connection["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_explorer_and_its_files_are_served_with_their_content_types() {
    let s = TestServer::start().await;
    let page = s.get("/explore").await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers()["content-type"].to_str().unwrap(),
        "text/html; charset=utf-8"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("/explore/explore.js"), "{html}");
    // Every file the page names is ours, under /explore/.
    let named: Vec<&str> = html
        .split("src=\"")
        .skip(1)
        .chain(html.split("href=\"").skip(1))
        .map(|s| &s[..s.find('"').unwrap()])
        .filter(|p| !p.starts_with("data:") && *p != "/" && *p != "/explore")
        .collect();
    assert!(named.len() >= 3, "{named:?}");
    for path in &named {
        assert!(path.starts_with("/explore/"), "the page loads {path}");
    }
    let expected = [
        ("/explore/explore.js", "text/javascript; charset=utf-8"),
        (
            "/explore/cytoscape.min.js",
            "text/javascript; charset=utf-8",
        ),
        ("/explore/explore.css", "text/css; charset=utf-8"),
        ("/explore/queries.graphql", "text/plain; charset=utf-8"),
        (
            "/explore/LICENSE-cytoscape.txt",
            "text/plain; charset=utf-8",
        ),
        ("/explore/VERSIONS.txt", "text/plain; charset=utf-8"),
    ];
    for path in &named {
        assert!(
            expected.iter().any(|(p, _)| p == path),
            "{path} is not checked here"
        );
    }
    for (path, content_type) in expected {
        let r = s.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(
            r.headers()["content-type"].to_str().unwrap(),
            content_type,
            "{path}"
        );
        assert!(!r.bytes().await.unwrap().is_empty(), "{path}");
    }
    let missing = s.get("/explore/nothing.js").await;
    assert_eq!(missing.status(), 404);
    // The explorer's requests count under one route in the metrics, whatever the file.
    let metrics = s.get("/metrics").await.text().await.unwrap();
    let count = |status: &str| -> u64 {
        metrics
            .lines()
            .filter(|l| {
                l.starts_with("asean_graph_requests_total{path=\"/explore\",")
                    && l.contains(&format!("status=\"{status}\""))
            })
            .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
            .sum()
    };
    assert_eq!(count("200"), expected.len() as u64 + 1, "{metrics}");
    assert_eq!(count("404"), 1, "{metrics}");
}

#[test]
fn the_page_has_an_operation_for_each_kind_of_record_and_nothing_else() {
    let kinds: BTreeSet<String> = SCHEMA
        .lines()
        .filter_map(|l| l.strip_prefix("type "))
        .filter(|l| l.contains("implements Node"))
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .filter(|t| t != "Change")
        .collect();
    assert_eq!(kinds.len(), 7, "{kinds:?}");
    let operations: BTreeSet<String> = definitions(QUERIES)
        .into_iter()
        .filter(|(_, text)| text.starts_with("query "))
        .map(|(name, _)| name)
        .collect();
    let mut expected: BTreeSet<String> = kinds.iter().map(|k| format!("Explore{k}")).collect();
    expected.insert("ExploreSearch".into());
    assert_eq!(operations, expected);
    // Every fragment is used by some operation (a document with an unused one is refused).
    let used: BTreeSet<String> = operations
        .iter()
        .flat_map(|op| {
            definitions(&document_for(&definitions(QUERIES), op))
                .into_iter()
                .map(|(n, _)| n)
        })
        .collect();
    for (name, _) in definitions(QUERIES) {
        assert!(used.contains(&name), "{name} is used by no operation");
    }
}

#[tokio::test]
async fn every_operation_of_the_page_runs_on_the_bundled_dataset_under_the_default_limits() {
    let s = TestServer::start().await;

    let hits = run(&s, "ExploreSearch", json!({ "text": "viet nam" })).await;
    assert_eq!(hits["search"]["nodes"][0]["id"], "Member:VNM", "{hits}");
    assert_eq!(hits["search"]["nodes"][0]["name"], "Viet Nam", "{hits}");

    // IAI-WP4: what the browser test looks for — its funders and its parent.
    let wp4 = run(
        &s,
        "ExploreInitiative",
        json!({ "id": "Initiative:IAI-WP4" }),
    )
    .await;
    let node = &wp4["node"];
    assert_eq!(node["__typename"], "Initiative");
    assert_eq!(node["parent"]["id"], "Initiative:IAI");
    let funders: BTreeSet<&str> = node["fundings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["funder"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(funders, BTreeSet::from(["Member:SGP", "Partner:JPN"]));
    assert!(
        node["fundings"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["approvedAt"]["id"] == "Meeting:IAI-TF-63")
    );
    assert!(!node["sources"].as_array().unwrap().is_empty());

    let japan = run(&s, "ExplorePartner", json!({ "id": "Partner:JPN" })).await;
    assert_eq!(japan["node"]["name"], "Japan");
    assert_eq!(japan["node"]["kind"], "DIALOGUE_PARTNER");
    assert!(
        japan["node"]["fundings"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["target"]["id"] == "Initiative:IAI-WP4")
    );

    // One record of every other kind, each among the most connected of its kind.
    for (operation, id, field) in [
        ("ExploreMember", "Member:VNM", "meetings"),
        ("ExploreBody", "Body:IAI-TF", "meetings"),
        ("ExploreMeeting", "Meeting:IAI-TF-63", "approvedFundings"),
        ("ExplorePerson", "Person:NGUYEN-HAI-BANG", "delegations"),
    ] {
        let data = run(&s, operation, json!({ "id": id })).await;
        assert_eq!(data["node"]["id"], id, "{data}");
        let list = &data["node"][field];
        let items = list
            .get("nodes")
            .unwrap_or(list)
            .as_array()
            .unwrap_or_else(|| panic!("{operation}: no {field}: {data}"));
        assert!(!items.is_empty(), "{operation} {id}: {field} is empty");
    }

    // A source: the records citing it, through the root lists' `sourcedBy`.
    let s2 = run(
        &s,
        "ExploreSource",
        json!({ "id": "Source:S2", "code": "S2" }),
    )
    .await;
    assert_eq!(s2["node"]["code"], "S2");
    assert!(
        ids(&s2["initiatives"]).contains("Initiative:IAI-WP4"),
        "{s2}"
    );
    assert!(ids(&s2["partners"]).contains("Partner:JPN"), "{s2}");

    // An id no record has: null, which the page reports as such.
    let none = run(
        &s,
        "ExploreInitiative",
        json!({ "id": "Initiative:NO-SUCH-THING" }),
    )
    .await;
    assert!(none["node"].is_null(), "{none}");
}

#[test]
fn the_cutter_keeps_each_definition_whole_and_only_what_an_operation_uses() {
    let defs = definitions(QUERIES);
    let names: Vec<&str> = defs.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"Ref") && names.contains(&"ExploreInitiative"),
        "{names:?}"
    );
    let doc = document_for(&defs, "ExploreSearch");
    let parsed = async_graphql::parser::parse_query(&doc).unwrap();
    assert_eq!(parsed.fragments.len(), 1, "{doc}");
    assert!(doc.starts_with("query ExploreSearch("), "{doc}");
    let doc = document_for(&defs, "ExploreMeeting");
    let parsed = async_graphql::parser::parse_query(&doc).unwrap();
    let fragments: BTreeSet<String> = parsed.fragments.keys().map(ToString::to_string).collect();
    assert_eq!(
        fragments,
        BTreeSet::from(["Ref", "SourceRef", "ClaimFields", "FundingFields"].map(String::from))
    );
}
