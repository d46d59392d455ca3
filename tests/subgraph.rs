//! The Apollo Federation v2 subgraph: `_service { sdl }` and `_entities`, through the real
//! server over HTTP on a store holding the bundled dataset, hidden from plain clients.

use crate::common::TestServer;
use crate::common::crate_file;
use asean_graph::graphql::subgraph::{KEYS, MAX_REPRESENTATIONS, federation_sdl};
use asean_graph::graphql::{self, Options};
use asean_graph::model::NodeKind;
use asean_graph::server::Config;
use asean_graph::store::Store;
use serde_json::{Value, json};
use std::process::Command;

/// Every field the tests compare, on every entity type.
const FIELDS: &str = "fragment F on Node { __typename id
    ... on Member { code name } ... on Partner { code name kind }
    ... on Body { code name } ... on Meeting { code title startDate }
    ... on Initiative { code name kind } ... on Person { code name } ... on Source { code title } }";

/// `_entities` over `representations`, as a gateway sends it (one variable).
async fn entities(s: &TestServer, representations: Value) -> (u16, Value) {
    let query = format!(
        "query Entities($r: [_Any!]!) {{ _entities(representations: $r) {{ ...F }} }} {FIELDS}"
    );
    s.post(&query, json!({ "r": representations })).await
}

/// A server (no rate limit) with these schema options.
async fn serve_with(graphql: Options) -> TestServer {
    TestServer::start_with(Config {
        graphql,
        rate_limit: 0.0,
        ..Config::default()
    })
    .await
}

/// The types implementing `Node`, as introspection lists them.
async fn node_types(s: &TestServer) -> Vec<String> {
    let data = s
        .data(r#"{ __type(name: "Node") { possibleTypes { name } } }"#)
        .await;
    let mut names: Vec<String> = data["__type"]["possibleTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

/// A few records of each kind, from the store itself: (kind, code).
fn some_records() -> Vec<(NodeKind, String)> {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    asean_graph::dataset::import(
        &store,
        asean_graph::dataset::BUNDLED.as_bytes(),
        asean_graph::dataset::Mode::Refuse,
    )
    .unwrap();
    let mut out = Vec::new();
    for kind in NodeKind::ALL {
        let codes: Vec<String> = store
            .nodes(kind)
            .map(|n| n.unwrap().node_ref().code)
            .collect();
        assert!(!codes.is_empty(), "the bundled dataset has no {kind}");
        for code in [codes.first(), codes.get(codes.len() / 2), codes.last()]
            .into_iter()
            .flatten()
        {
            out.push((kind, code.clone()));
        }
    }
    out.dedup();
    out
}

#[tokio::test]
async fn the_service_sdl_declares_both_keys_on_every_node_type_and_links_federation_v2() {
    let s = TestServer::start().await;
    let sdl = s.data("{ _service { sdl } }").await["_service"]["sdl"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(sdl, federation_sdl(), "_service answers the CLI's SDL");
    assert!(
        sdl.contains("extend schema @link(")
            && sdl.contains("url: \"https://specs.apollo.dev/federation/v2."),
        "no federation v2 @link:\n{}",
        &sdl[sdl.len().saturating_sub(600)..]
    );
    let types = node_types(&s).await;
    assert!(types.len() >= 7, "{types:?}");
    let mut keyed: Vec<String> = KEYS.iter().map(|(t, _)| (*t).to_owned()).collect();
    keyed.sort();
    assert_eq!(keyed, types, "the entity table lists every Node type");
    for (ty, keys) in KEYS {
        let line = sdl
            .lines()
            .find(|l| l.starts_with(&format!("type {ty} ")))
            .unwrap_or_else(|| panic!("no type {ty} in the SDL"));
        let keys: String = keys
            .iter()
            .map(|k| format!(" @key(fields: \"{k}\")"))
            .collect();
        assert_eq!(line, format!("type {ty} implements Node{keys} {{"));
    }
    // Every record type is found by its id and by its code.
    for kind in NodeKind::ALL {
        let keys = KEYS.iter().find(|(t, _)| *t == kind.type_name()).unwrap().1;
        assert_eq!(keys, ["id", "code"], "{kind}");
    }
    // Only entity types have keys; the federation's own fields are not in the SDL.
    let declared: usize = KEYS.iter().map(|(_, keys)| keys.len()).sum();
    assert_eq!(sdl.matches("@key(").count(), declared);
    for hidden in ["_entities", "_service", "_Any", "_Entity", "_Service"] {
        assert!(!sdl.contains(hidden), "{hidden} in the subgraph SDL");
    }
}

#[tokio::test]
async fn entities_by_id_and_by_code_are_the_records_node_returns_for_every_kind() {
    let s = TestServer::start().await;
    let records = some_records();
    let mut representations = Vec::new();
    let mut expected = Vec::new();
    for (kind, code) in &records {
        let id = format!("{kind}:{code}");
        let query = format!("query One($id: ID!) {{ node(id: $id) {{ ...F }} }} {FIELDS}");
        let (status, body) = s.post(&query, json!({ "id": id })).await;
        assert_eq!(status, 200, "{body}");
        let node = body["data"]["node"].clone();
        assert_eq!(node["id"], id, "{body}");
        // By id, and by code in lower case: codes are case-insensitive, as in partner(code:).
        representations.push(json!({ "__typename": kind.type_name(), "id": id }));
        representations
            .push(json!({ "__typename": kind.type_name(), "code": code.to_ascii_lowercase() }));
        expected.push(node.clone());
        expected.push(node);
    }
    let (status, body) = entities(&s, Value::Array(representations)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["_entities"], Value::Array(expected));
    let kinds: std::collections::HashSet<_> = records.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds.len(), NodeKind::ALL.len());
}

#[tokio::test]
async fn mixed_representations_keep_their_order_and_a_missing_record_is_null() {
    let s = TestServer::start().await;
    let (status, body) = entities(
        &s,
        json!([
            { "__typename": "Partner", "code": "jpn" },
            { "__typename": "Member", "id": "Member:VNM" },
            { "__typename": "Partner", "id": "Partner:ZZZ" },
            { "__typename": "Body", "code": "IAI-TF", "extra": "ignored" },
            { "__typename": "Meeting", "code": "NO-SUCH-MEETING" },
            { "__typename": "Partner", "id": "Partner:JPN" },
        ]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let ids: Vec<Value> = body["data"]["_entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert_eq!(
        ids,
        vec![
            json!("Partner:JPN"),
            json!("Member:VNM"),
            Value::Null,
            json!("Body:IAI-TF"),
            Value::Null,
            json!("Partner:JPN"),
        ]
    );
    // The answer is what partner(code:) says.
    let alone = s.data(r#"{ partner(code: "JPN") { name kind } }"#).await;
    assert_eq!(
        body["data"]["_entities"][0]["name"],
        alone["partner"]["name"]
    );
    assert_eq!(
        body["data"]["_entities"][0]["kind"],
        alone["partner"]["kind"]
    );
}

#[tokio::test]
async fn each_bad_representation_is_null_with_an_error_naming_it_and_the_others_resolve() {
    let s = TestServer::start().await;
    let bad: Vec<(Value, &str)> = vec![
        (
            json!("Partner:JPN"),
            "representations[1]: expected an object",
        ),
        (
            json!({ "code": "JPN" }),
            "representations[2]: no \"__typename\"",
        ),
        (
            json!({ "__typename": 7, "code": "JPN" }),
            "representations[3].__typename: not a string",
        ),
        (
            json!({ "__typename": "Country", "code": "JPN" }),
            "representations[4].__typename: \"Country\" is not an entity type",
        ),
        (
            json!({ "__typename": "Partner", "name": "Japan" }),
            "representations[5]: no key; a Partner is found by \"id\" or \"code\"",
        ),
        (
            json!({ "__typename": "Partner", "id": 392 }),
            "representations[6].id: not a string",
        ),
        (
            json!({ "__typename": "Partner", "code": ["JPN"] }),
            "representations[7].code: not a string",
        ),
        (
            json!({ "__typename": "Partner", "id": "Partner:" }),
            "representations[8].id: \"Partner:\" is not a global id",
        ),
        (
            json!({ "__typename": "Partner", "id": "Member:VNM" }),
            "representations[9].id: \"Member:VNM\" is not the id of a Partner",
        ),
        (
            json!({ "__typename": "Partner", "code": "J P N" }),
            "representations[10].code: \"J P N\" is not a code",
        ),
        (json!(42), "representations[11]: expected an object"),
    ];
    let mut representations = vec![json!({ "__typename": "Member", "code": "SGP" })];
    representations.extend(bad.iter().map(|(r, _)| r.clone()));
    representations.push(json!({ "__typename": "Member", "code": "vnm" }));
    let last = representations.len() - 1;
    let (status, body) = entities(&s, Value::Array(representations)).await;
    assert_eq!(status, 200, "{body}");
    let answer = body["data"]["_entities"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(answer[0]["id"], "Member:SGP");
    assert_eq!(answer[last]["id"], "Member:VNM");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(
        errors.len(),
        bad.len(),
        "one error per bad representation: {body}"
    );
    for (i, (_, message)) in bad.iter().enumerate() {
        let at = i + 1;
        assert_eq!(answer[at], Value::Null, "representations[{at}]: {body}");
        let e = errors
            .iter()
            .find(|e| e["path"] == json!(["_entities", at]))
            .unwrap_or_else(|| panic!("no error at _entities[{at}]: {body}"));
        assert!(
            e["message"].as_str().unwrap().starts_with(message),
            "{message:?} expected, got {e}"
        );
        assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{e}");
    }
}

#[tokio::test]
async fn more_representations_than_the_cap_are_refused_whole() {
    let s = TestServer::start().await;
    let one = json!({ "__typename": "Partner", "code": "JPN" });
    let (_, body) = entities(&s, Value::Array(vec![one.clone(); MAX_REPRESENTATIONS])).await;
    assert!(
        body.get("errors").is_none(),
        "the cap itself passes: {body:.300}"
    );
    assert_eq!(
        body["data"]["_entities"].as_array().unwrap().len(),
        MAX_REPRESENTATIONS
    );
    let (status, body) = entities(&s, Value::Array(vec![one; MAX_REPRESENTATIONS + 1])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"], Value::Null, "{body}");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(
        errors[0]["message"],
        format!(
            "representations: {} sent; the limit is {MAX_REPRESENTATIONS} a call",
            MAX_REPRESENTATIONS + 1
        )
    );
}

#[tokio::test]
async fn the_complexity_of_entities_grows_with_the_number_of_representations() {
    let s = TestServer::start().await;
    let query = "query Heavy($r: [_Any!]!) { _entities(representations: $r) {
        ... on Partner { fundings(first: 100) { nodes { amountUsd projectCount approvedAt { code } } } } } }";
    let one = json!({ "__typename": "Partner", "code": "JPN" });
    let (_, body) = s.post(query, json!({ "r": [one.clone()] })).await;
    assert!(body.get("errors").is_none(), "one representation: {body}");
    let (_, body) = s
        .post(query, json!({ "r": vec![one; MAX_REPRESENTATIONS] }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
        "{body:.500}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("complexity"),
        "{body:.500}"
    );
}

#[tokio::test]
async fn plain_clients_see_no_federation_in_introspection_or_the_schema() {
    let s = TestServer::start().await;
    let data = s
        .data("{ __schema { queryType { fields { name } } types { name } } }")
        .await;
    let text = data.to_string();
    for hidden in ["_entities", "_service", "_Any", "_Entity", "_Service"] {
        assert!(!text.contains(hidden), "{hidden} shows in introspection");
    }
    assert!(text.contains("\"partner\""), "the query fields are listed");
    let sdl = graphql::sdl();
    for hidden in [
        "_entities",
        "_service",
        "_Any",
        "_Entity",
        "_Service",
        "@key",
        "@link",
    ] {
        assert!(!sdl.contains(hidden), "{hidden} in schema.graphql's SDL");
    }
}

#[tokio::test]
async fn without_introspection_the_service_sdl_is_refused_and_entities_still_resolve() {
    let s = serve_with(Options {
        no_introspection: true,
        ..Options::default()
    })
    .await;
    assert_eq!(s.error_codes("{ _service { sdl } }").await, ["FORBIDDEN"]);
    assert_eq!(
        s.error_codes("query S { ...Q } fragment Q on Query { _service { sdl } }")
            .await,
        ["FORBIDDEN"]
    );
    let (_, body) = entities(&s, json!([{ "__typename": "Partner", "code": "EU" }])).await;
    assert_eq!(body["data"]["_entities"][0]["id"], "Partner:EU", "{body}");
}

#[tokio::test]
async fn with_federation_turned_off_both_fields_are_refused_and_the_rest_is_served() {
    let s = serve_with(Options {
        no_federation: true,
        ..Options::default()
    })
    .await;
    assert_eq!(s.error_codes("{ _service { sdl } }").await, ["FORBIDDEN"]);
    let (_, body) = entities(&s, json!([{ "__typename": "Partner", "code": "EU" }])).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["message"],
        "federation (_service, _entities) is turned off on this server"
    );
    assert_eq!(
        s.data(r#"{ partner(code: "EU") { id } }"#).await["partner"]["id"],
        "Partner:EU"
    );
}

#[tokio::test]
async fn a_gateway_style_fetch_with_typename_and_aliases_resolves() {
    // The shape Apollo Router and Hive Gateway send: one variable, inline fragments,
    // `__typename`, and the operation named by the gateway.
    let s = TestServer::start().await;
    let (status, body) = s
        .post(
            "query Fetch__asean__1($representations: [_Any!]!) {
               _entities(representations: $representations) {
                 __typename ... on Partner { name n: code statuses { kind from } } } }",
            json!({ "representations": [{ "__typename": "Partner", "code": "GBR" }] }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let partner = &body["data"]["_entities"][0];
    assert_eq!(partner["__typename"], "Partner", "{body}");
    assert_eq!(partner["n"], "GBR");
    let alone = s
        .data(r#"{ partner(code: "GBR") { name statuses { kind from } } }"#)
        .await;
    assert_eq!(partner["name"], alone["partner"]["name"]);
    assert_eq!(partner["statuses"], alone["partner"]["statuses"]);
}

#[test]
fn subgraph_graphql_matches_the_code() {
    let sdl = federation_sdl();
    let path = crate_file("subgraph.graphql");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &sdl).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == sdl,
        "subgraph.graphql differs from the code: run \
         `cargo run -- schema --federation > subgraph.graphql` \
         (or `UPDATE_SCHEMA=1 cargo test subgraph`) and commit it"
    );
}

#[test]
fn the_cli_prints_the_subgraph_sdl_with_federation_and_the_plain_sdl_without() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_asean-graph"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(run(&["schema", "--federation"]), federation_sdl());
    assert_eq!(run(&["schema"]), graphql::sdl());
    assert_ne!(graphql::sdl(), federation_sdl());
}

/// The ```graphql-federation blocks of docs/gateway.md: documents that use the federation's
/// fields, which schema.graphql (and so tests/audit/documents.sh) does not know; each runs
/// here without an error.
#[tokio::test]
async fn the_federation_examples_of_the_gateway_doc_run() {
    let doc = std::fs::read_to_string(crate_file("docs/gateway.md")).unwrap();
    let mut blocks = Vec::new();
    let mut open: Option<String> = None;
    for line in doc.lines() {
        match &mut open {
            None if line.trim_end() == "```graphql-federation" => open = Some(String::new()),
            Some(block) if line.starts_with("```") => {
                blocks.push(std::mem::take(block));
                open = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    assert!(
        !blocks.is_empty(),
        "no ```graphql-federation block in docs/gateway.md"
    );
    let s = TestServer::start().await;
    for block in blocks {
        assert!(block.trim_start().starts_with("query "), "unnamed: {block}");
        let (status, body) = s.post(&block, json!({})).await;
        assert_eq!(status, 200, "{block}\n{body}");
        assert!(body.get("errors").is_none(), "{block}\n{body}");
    }
}

/// A change is an entity by its id alone: `_entities` finds it as `node(id:)` does, and a
/// representation of it by code is told which key it has.
#[tokio::test]
async fn a_change_is_an_entity_by_id() {
    use crate::common::{EDITOR, TOKENS};
    let s = TestServer::with_tokens(TOKENS).await;
    let api = crate::common::Api::new(&s.base, &s.client);
    api.ok(
        Some(EDITOR),
        "mutation Rename { updatePartner(code: \"GBR\", input: { name: \"UK\" }) { id } }",
        json!({}),
    )
    .await;
    let query = "query ChangeEntities($r: [_Any!]!) {
        _entities(representations: $r) { __typename ... on Change { id seq op recordId } } }";
    let body = api
        .body(
            None,
            query,
            json!({ "r": [
                { "__typename": "Change", "id": "Change:1" },
                { "__typename": "Change", "id": "Change:2" },
            ] }),
        )
        .await;
    assert_eq!(body.get("errors"), None, "{body}");
    assert_eq!(
        body["data"]["_entities"],
        json!([
            { "__typename": "Change", "id": "Change:1", "seq": "1", "op": "updatePartner",
              "recordId": "Partner:GBR" },
            null,
        ])
    );
    let body = api
        .body(
            None,
            query,
            json!({ "r": [{ "__typename": "Change", "code": "1" }] }),
        )
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("representations[0]") && message.contains("\"id\""),
        "{body}"
    );
    let body = api
        .body(
            None,
            query,
            json!({ "r": [{ "__typename": "Change", "id": "Change:x" }] }),
        )
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("representations[0].id: "), "{body}");
}
