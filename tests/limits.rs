//! Query limits through the real server: every abusive shape is refused with its code (and a
//! message stating the limit and the measured value) while an honest client keeps getting
//! answers; what must pass passes; the limits are configurable; introspection can be turned
//! off. Floods are in `floods`, persisted queries in `persisted`, HTTP caching in
//! `http_caching`, and the shapes and checks they share in `common::abuse`.
//!
//! Nothing here measures time: "refused in milliseconds" belongs to the benchmarks.

use crate::common::TestServer;
use crate::common::abuse::*;
use crate::common::queries::INTROSPECTION_QUERY;
use asean_graph::graphql::{Limits, Options};
use asean_graph::server::Config;
use serde_json::json;
use std::sync::atomic::Ordering;

// ----- what must pass -----

#[tokio::test]
async fn graphiql_introspection_passes_the_default_limits() {
    let s = TestServer::start().await;
    for (what, query) in [
        ("standard", INTROSPECTION_QUERY),
        ("all options", INTROSPECTION_QUERY_ALL_OPTIONS),
    ] {
        let (status, body) = s.post(query, json!({})).await;
        assert_eq!(status, 200, "{what}: {body}");
        assert!(body.get("errors").is_none(), "{what}: {body}");
        let types = body["data"]["__schema"]["types"].as_array().unwrap();
        assert!(
            types.iter().any(|t| t["name"] == "Partner"),
            "{what}: no Partner type"
        );
        assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
    }
}

#[tokio::test]
async fn the_product_question_passes_the_default_limits() {
    let s = TestServer::start().await;
    for query in [PRODUCT_QUESTION, PRODUCT_QUESTION_DEFAULT_PAGE] {
        let data = s.data(query).await;
        assert!(
            data["partners"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "Japan"),
            "{data}"
        );
    }
}

/// Every report (`reports/*.graphql`) and every GraphQL example of the README and the docs
/// runs within the default limits.
#[tokio::test]
async fn every_report_and_documented_query_passes_the_default_limits() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut documents: Vec<(String, String)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root.join("reports")) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "graphql") {
                let text = std::fs::read_to_string(&path).unwrap();
                documents.push((path.display().to_string(), text));
            }
        }
    }
    let mut markdown = vec![root.join("README.md")];
    if let Ok(entries) = std::fs::read_dir(root.join("docs")) {
        markdown.extend(
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "md")),
        );
    }
    for path in markdown {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (i, block) in text.split("```graphql").skip(1).enumerate() {
            let Some((block, _)) = block.split_once("```") else {
                continue;
            };
            // Only runnable queries: not SDL, not mutations or subscriptions.
            let head = block.trim_start();
            if head.starts_with('{') || head.starts_with("query") {
                documents.push((format!("{} block {}", path.display(), i + 1), block.into()));
            }
        }
    }
    let s = TestServer::start().await;
    for (what, document) in &documents {
        let (status, body) = s.post(document, json!({})).await;
        assert_eq!(status, 200, "{what}: {body}");
        let limited = body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| {
                let code = e["extensions"]["code"].as_str().unwrap_or("");
                code.starts_with("QUERY_TOO") || e["message"].to_string().contains("the limit is")
            })
            .count();
        assert_eq!(limited, 0, "{what} is refused by a limit: {body}");
        assert!(body.get("errors").is_none(), "{what}: {body}");
    }
}

// ----- what must be refused -----

#[tokio::test]
async fn a_deep_cyclic_query_is_refused_with_depth_and_limit() {
    let s = TestServer::start().await;
    // partner, then fundings, nodes, funder a round, then code: 3·rounds + 2 levels.
    s.data(&deep_cyclic(rounds_within_depth())).await;
    let (query, depth) = too_deep();
    let (_, body) = s.post(&query, json!({})).await;
    let message = refusal(&body, "QUERY_TOO_DEEP", "deep cyclic query");
    states_limit_and_measure(message, defaults().max_depth, "deep cyclic query");
    assert!(numbers(message).contains(&(depth as u64)), "{message}");
}

#[tokio::test]
async fn a_fan_out_of_four_connections_is_refused_with_complexity_and_limit() {
    let s = TestServer::start().await;
    let (_, body) = s.post(FAN_OUT, json!({})).await;
    let message = refusal(&body, "QUERY_TOO_COMPLEX", "fan-out");
    states_limit_and_measure(message, defaults().max_complexity, "fan-out");
    // 100·100·100·100 at least.
    assert!(
        numbers(message).iter().any(|&n| n >= 100_000_000),
        "{message}"
    );
    // The same shape with small pages is fine.
    s.data(&FAN_OUT.replace("first: 100", "first: 5")).await;
}

#[tokio::test]
async fn an_alias_bomb_is_refused_with_count_and_limit() {
    let s = TestServer::start().await;
    s.data(&alias_bomb(defaults().max_aliases)).await;
    assert!(200 > defaults().max_aliases);
    let (_, body) = s.post(&alias_bomb(200), json!({})).await;
    let message = refusal(&body, "QUERY_TOO_COMPLEX", "alias bomb");
    states_limit_and_measure(message, defaults().max_aliases, "alias bomb");
    assert!(numbers(message).contains(&200), "{message}");
}

#[tokio::test]
async fn a_fragment_cycle_is_refused() {
    let s = TestServer::start().await;
    for (what, query) in [("A↔B", FRAGMENT_CYCLE), ("A→B→C→A", FRAGMENT_CYCLE_3)] {
        let (status, body) = s.post(query, json!({})).await;
        assert_eq!(status, 200, "{what}: {body}");
        let message = refusal(&body, "BAD_USER_INPUT", what);
        // async-graphql's own recursion guard (32 levels, run before validation) stops the
        // cycle before `NoFragmentCycles` names it; either message will do.
        assert!(!message.is_empty(), "{what}: {body}");
    }
}

#[tokio::test]
async fn an_oversized_document_is_refused_with_size_and_limit() {
    let s = TestServer::start().await;
    let document = too_big();
    let (status, body) = s.post(&document, json!({})).await;
    assert_eq!(status, 200, "{body}");
    let message = refusal(&body, "BAD_USER_INPUT", "oversized document");
    states_limit_and_measure(message, defaults().max_document_bytes, "oversized document");
    assert!(
        numbers(message).contains(&(document.len() as u64)),
        "{message}"
    );
    // Just under the limit runs.
    s.data(&oversized(defaults().max_document_bytes - 2 * 1024))
        .await;
}

#[tokio::test]
async fn too_many_fields_are_refused_with_count_and_limit() {
    let s = TestServer::start().await;
    s.data(&many_fields(defaults().max_fields - 100)).await;
    let (query, fields) = too_many_fields();
    let (_, body) = s.post(&query, json!({})).await;
    let message = refusal(&body, "QUERY_TOO_COMPLEX", "too many fields");
    states_limit_and_measure(message, defaults().max_fields, "too many fields");
    assert!(numbers(message).contains(&(fields as u64)), "{message}");
}

/// Connections nested far beyond the depth limit: the complexity (100 per level, multiplied)
/// overflows `usize` long before the depth check refuses the document.
#[tokio::test]
async fn connections_nested_past_usize_complexity_are_refused_as_too_deep() {
    let s = TestServer::start().await;
    let levels = 12; // 100^12 = 10^24 > usize::MAX
    let mut q = String::from("{ initiatives(first: 100) { nodes { ");
    for _ in 0..levels {
        q.push_str("children(first: 100) { nodes { ");
    }
    q.push_str("code");
    for _ in 0..levels {
        q.push_str(" } }");
    }
    q.push_str(" } } }");
    let (status, body) = s.post(&q, json!({})).await;
    assert_eq!(status, 200, "{body}");
    let message = refusal(&body, "QUERY_TOO_DEEP", "connections nested past usize");
    states_limit_and_measure(
        message,
        defaults().max_depth,
        "connections nested past usize",
    );
}

/// An introspection-only document of nested fragments (each spreading the next several
/// times: fragments are counted once, as written) fans out over every type of the schema at
/// each level. 976 bytes of document; about 4.4 MB of answer. The introspection exemption
/// must not let it through.
fn introspection_bomb(rounds: usize) -> String {
    let mut doc = format!(
        "{{ __schema {{ types {{ ...F{rounds} }} }} }}\nfragment F0 on __Type {{ name }}\n"
    );
    for k in 1..=rounds {
        let p = k - 1;
        doc.push_str(&format!(
            "fragment F{k} on __Type {{ name kind \
               fields {{ name type {{ ...F{p} ofType {{ ...F{p} ofType {{ ...F{p} ofType {{ ...F{p} }} }} }} }} }} \
               possibleTypes {{ ...F{p} }} interfaces {{ ...F{p} }} \
               inputFields {{ type {{ ...F{p} ofType {{ ...F{p} ofType {{ ...F{p} }} }} }} }} }}\n"
        ));
    }
    doc
}

#[tokio::test]
async fn an_introspection_bomb_is_refused() {
    let s = TestServer::start().await;
    let q = introspection_bomb(4);
    assert!(q.len() < 1024);
    let (status, body) = s.post(&q, json!({})).await;
    assert_eq!(status, 200);
    let code = body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("");
    assert!(
        code == "QUERY_TOO_DEEP" || code == "QUERY_TOO_COMPLEX",
        "an introspection bomb of {} bytes ran: {} bytes of answer",
        q.len(),
        body.to_string().len()
    );
}

/// Every abusive shape, over and over, while an honest client asks the product question:
/// each is refused with its code, and every honest request is answered in full.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn abusive_shapes_are_refused_while_an_honest_client_keeps_getting_answers() {
    let s = TestServer::start().await;
    let honest = Honest::start(&s).await;

    let (deep, _) = too_deep();
    let bomb = alias_bomb(200);
    let big = too_big();
    let (fields, _) = too_many_fields();
    let shapes: [(&str, &str, &str); 6] = [
        ("deep cyclic", &deep, "QUERY_TOO_DEEP"),
        ("fan-out", FAN_OUT, "QUERY_TOO_COMPLEX"),
        ("alias bomb", &bomb, "QUERY_TOO_COMPLEX"),
        ("fragment cycle", FRAGMENT_CYCLE, "BAD_USER_INPUT"),
        ("oversized", &big, "BAD_USER_INPUT"),
        ("too many fields", &fields, "QUERY_TOO_COMPLEX"),
    ];
    let start = honest.answered();
    let mut rounds = 0;
    // At least three rounds, and until the honest client got three answers meanwhile (not
    // waiting for it once it has been failed: `finish` then says how).
    while rounds < 3 || (honest.answered() < start + 3 && honest.failed.load(Ordering::SeqCst) == 0)
    {
        let attempts = shapes.iter().map(|(what, query, code)| {
            let s = &s;
            async move {
                let (status, body) = s.post(query, json!({})).await;
                assert_eq!(status, 200, "{what}: {body}");
                refusal(&body, code, what);
            }
        });
        futures_util::future::join_all(attempts).await;
        rounds += 1;
    }
    let during = honest.answered() - start;
    let answered = honest.finish().await;
    assert!(
        during >= 3,
        "the honest client got {during} answers during {rounds} rounds of abuse ({answered} in all)"
    );
}

// ----- configurable -----

#[tokio::test]
async fn limits_are_configurable() {
    let depth_3 = r#"{ member(code: "VNM") { fundings { totalCount } } }"#;
    let depth_4 = r#"{ member(code: "VNM") { fundings { nodes { amountUsd } } } }"#;
    let default = TestServer::start().await;
    default.data(depth_4).await;

    let strict = TestServer::start_with(Config {
        rate_limit: 0.0,
        graphql: Options {
            limits: Limits {
                max_depth: 3,
                max_complexity: 100,
                max_aliases: 2,
                max_fields: 10,
                max_document_bytes: 200,
                ..Limits::default()
            },
            ..Default::default()
        },
        ..Config::default()
    })
    .await;
    strict.data(depth_3).await;
    let (_, body) = strict.post(depth_4, json!({})).await;
    let message = refusal(&body, "QUERY_TOO_DEEP", "depth 4 of 3");
    states_limit_and_measure(message, 3, "depth 4 of 3");
    assert!(numbers(message).contains(&4), "{message}");

    // Complexity: a page of 20 (the default) times `nodes` and its 5 fields = 120.
    let (_, body) = strict
        .post(
            "{ members { nodes { code name nameVi clmv joinedOn } } }",
            json!({}),
        )
        .await;
    let message = refusal(&body, "QUERY_TOO_COMPLEX", "complexity over 100");
    states_limit_and_measure(message, 100, "complexity over 100");

    let (_, body) = strict
        .post(
            r#"{ a: member(code: "VNM") { code } b: member(code: "SGP") { code } c: member(code: "LAO") { code } }"#,
            json!({}),
        )
        .await;
    let message = refusal(&body, "QUERY_TOO_COMPLEX", "3 aliases of 2");
    states_limit_and_measure(message, 2, "3 aliases of 2");

    let (_, body) = strict.post(&many_fields(11), json!({})).await;
    let message = refusal(&body, "QUERY_TOO_COMPLEX", "12 fields of 10");
    states_limit_and_measure(message, 10, "12 fields of 10");

    let (_, body) = strict.post(&oversized(300), json!({})).await;
    let message = refusal(&body, "BAD_USER_INPUT", "300 bytes of 200");
    states_limit_and_measure(message, 200, "300 bytes of 200");
}

// ----- introspection off -----

#[tokio::test]
async fn without_introspection_nothing_is_suggested_and_the_schema_does_not_leak() {
    let misspelled = r#"{ membr(code: "VNM") { name } }"#;
    let open = TestServer::start().await;
    let (_, body) = open.post(misspelled, json!({})).await;
    let message = refusal(&body, "BAD_USER_INPUT", "misspelled field");
    assert!(
        message.contains("Did you mean") && message.contains("member"),
        "with introspection on, async-graphql suggests: {message}"
    );

    let closed = closed_server().await;
    for query in [
        "{ __schema { types { name } } }",
        r#"{ __type(name: "Partner") { fields { name } } }"#,
        INTROSPECTION_QUERY,
    ] {
        let (_, body) = closed.post(query, json!({})).await;
        assert!(
            body["data"]["__schema"].is_null() && body["data"]["__type"].is_null(),
            "introspection answered: {body}"
        );
        assert!(
            !body.to_string().contains("\"Partner\""),
            "the answer leaks the schema: {body}"
        );
    }
    let (_, body) = closed.post(misspelled, json!({})).await;
    let message = refusal(
        &body,
        "BAD_USER_INPUT",
        "misspelled field, introspection off",
    );
    assert!(
        !message.contains("Did you mean"),
        "suggestions leak the schema: {message}"
    );
    for query in [
        r#"{ member(code: "VNM") { nme } }"#,
        r#"{ members(frist: 3) { totalCount } }"#,
        r#"{ partners(kind: DIALOGUE_PARTNR) { totalCount } }"#,
    ] {
        let (_, body) = closed.post(query, json!({})).await;
        assert!(body["errors"].is_array(), "{query}: {body}");
        assert!(
            !body.to_string().contains("Did you mean"),
            "{query}: {body}"
        );
    }
    // Queries still run.
    closed.data(PRODUCT_QUESTION).await;
    closed.data("{ __typename }").await;
}

async fn closed_server() -> TestServer {
    TestServer::start_with(Config {
        rate_limit: 0.0,
        graphql: Options {
            no_introspection: true,
            ..Default::default()
        },
        ..Config::default()
    })
    .await
}

/// With introspection off, asking for the schema is an error, not a silent `null`.
#[tokio::test]
async fn without_introspection_a_schema_query_is_refused_with_a_code() {
    let closed = closed_server().await;
    for query in [
        "{ __schema { types { name } } }",
        r#"{ __type(name: "Partner") { name } }"#,
        INTROSPECTION_QUERY,
    ] {
        let (_, body) = closed.post(query, json!({})).await;
        let code = body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("");
        assert!(!code.is_empty(), "{query}: not refused: {body}");
    }
}
