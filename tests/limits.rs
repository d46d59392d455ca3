//! Query limits and request limits through the real server: every abusive shape is refused
//! with its code (and a message stating the limit and the measured value) while an honest
//! client keeps getting answers; floods are turned away with 429/503 and `Retry-After`;
//! persisted queries, trusted documents, ETag/304 and `/metrics`.
//!
//! Nothing here measures time: "refused in milliseconds" belongs to the benchmarks.

use crate::common::TestServer;
use crate::common::queries::INTROSPECTION_QUERY;
use asean_graph::graphql::{Limits, Options};
use asean_graph::server::{Config, Manifest};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The question that names the product (as in `tests/http.rs`).
const PRODUCT_QUESTION: &str = r#"{ partners(kind: DIALOGUE_PARTNER, first: 100) { nodes { code name
    fundings { nodes { projectCount amountUsd
      target { ... on Initiative { code name parent { code } } }
      approvedAt { code startDate } sources { title } } } } } }"#;

/// The README's form of it, with the default page size.
const PRODUCT_QUESTION_DEFAULT_PAGE: &str = r#"{ partners(kind: DIALOGUE_PARTNER) { nodes { name
    fundings { nodes { projectCount amountUsd
      target { ... on Initiative { code name parent { code } } }
      approvedAt { code startDate } sources { title } } } } } }"#;

/// The same with every option GraphiQL 3 may turn on: schema description, `specifiedByURL`,
/// `isRepeatable`, deprecated input values.
const INTROSPECTION_QUERY_ALL_OPTIONS: &str = r#"
    query IntrospectionQuery {
      __schema {
        description
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types { ...FullType }
        directives {
          name description isRepeatable locations
          args(includeDeprecated: true) { ...InputValue }
        }
      }
    }
    fragment FullType on __Type {
      kind name description specifiedByURL
      fields(includeDeprecated: true) {
        name description
        args(includeDeprecated: true) { ...InputValue }
        type { ...TypeRef }
        isDeprecated deprecationReason
      }
      inputFields(includeDeprecated: true) { ...InputValue }
      interfaces { ...TypeRef }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ...TypeRef }
    }
    fragment InputValue on __InputValue {
      name description type { ...TypeRef } defaultValue isDeprecated deprecationReason
    }
    fragment TypeRef on __Type {
      kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
        ofType { kind name ofType { kind name ofType { kind name } } } } } } }
    }
"#;

// ----- helpers -----

/// The default limits (the shapes below are sized against them: depth 15, complexity in
/// the hundreds of thousands at most, 30 aliases, 500 fields, 32 KiB).
fn defaults() -> Limits {
    Limits::default()
}

/// Rounds of `deep_cyclic` just within the default depth (3 levels a round, plus 2).
fn rounds_within_depth() -> usize {
    (defaults().max_depth - 2) / 3
}

/// The deep cyclic query one round past the default depth, and its depth.
fn too_deep() -> (String, usize) {
    let rounds = rounds_within_depth() + 1;
    (deep_cyclic(rounds), 3 * rounds + 2)
}

/// A document 8 KiB over the default size.
fn too_big() -> String {
    oversized(defaults().max_document_bytes + 8 * 1024)
}

/// 100 fields over the default (the `member` field plus `n` names).
fn too_many_fields() -> (String, usize) {
    let n = defaults().max_fields + 100;
    (many_fields(n), n + 1)
}

/// Every run of digits in `text`, as numbers.
fn numbers(text: &str) -> Vec<u64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// Asserts `body` is a refusal with `code` and returns its first error's message.
fn refusal<'a>(body: &'a Value, code: &str, what: &str) -> &'a str {
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: not refused: {body}"));
    assert!(!errors.is_empty(), "{what}: {body}");
    assert_eq!(
        errors[0]["extensions"]["code"], code,
        "{what}: wrong code: {body}"
    );
    assert!(
        body.get("data").is_none_or(Value::is_null),
        "{what}: a refused document must not run: {body}"
    );
    errors[0]["message"].as_str().unwrap_or("")
}

/// Asserts the message states `limit` and a measured value above it.
fn states_limit_and_measure(message: &str, limit: usize, what: &str) {
    let n = numbers(message);
    assert!(
        n.contains(&(limit as u64)),
        "{what}: the message does not state the limit {limit}: {message:?}"
    );
    assert!(
        n.iter().any(|&m| m > limit as u64),
        "{what}: the message does not state a measured value above {limit}: {message:?}"
    );
}

/// Asserts the answer to the product question is a full, honest one.
fn assert_product_answer(status: u16, body: &Value) -> Result<(), String> {
    if status != 200 {
        return Err(format!("status {status}: {body}"));
    }
    if body.get("errors").is_some() {
        return Err(format!("errors: {body}"));
    }
    let partners = body["data"]["partners"]["nodes"]
        .as_array()
        .ok_or_else(|| format!("no partners: {body}"))?;
    if !partners.iter().any(|p| p["code"] == "JPN") {
        return Err(format!("Japan missing: {body}"));
    }
    Ok(())
}

/// A client asking the product question over and over until stopped.
struct Honest {
    stop: Arc<AtomicBool>,
    answered: Arc<AtomicUsize>,
    failed: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<Vec<String>>,
}

impl Honest {
    /// Starts asking, and returns once the first answer has come.
    async fn start(s: &TestServer) -> Honest {
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicUsize::new(0));
        let failed = Arc::new(AtomicUsize::new(0));
        // Its own client: its own connections.
        let client = reqwest::Client::new();
        let url = format!("{}/graphql", s.base);
        let task = tokio::spawn({
            let stop = Arc::clone(&stop);
            let answered = Arc::clone(&answered);
            let failed = Arc::clone(&failed);
            async move {
                let mut failures = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    let r = client
                        .post(&url)
                        .json(&json!({ "query": PRODUCT_QUESTION }))
                        .send()
                        .await;
                    let outcome = match r {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            match r.json::<Value>().await {
                                Ok(body) => assert_product_answer(status, &body),
                                Err(e) => Err(format!("unreadable body: {e}")),
                            }
                        }
                        Err(e) => Err(format!("request failed: {e}")),
                    };
                    match outcome {
                        Ok(()) => {
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(e) => {
                            failed.fetch_add(1, Ordering::SeqCst);
                            failures.push(e);
                        }
                    }
                }
                failures
            }
        });
        let honest = Honest {
            stop,
            answered,
            failed,
            task,
        };
        honest.wait_for(1).await;
        honest
    }

    fn answered(&self) -> usize {
        self.answered.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` answers have come (or one failed: `finish` says how).
    async fn wait_for(&self, n: usize) {
        while self.answered() < n && self.failed.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    /// Stops, and asserts every question was answered in full.
    async fn finish(self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        let failures = self.task.await.unwrap();
        assert!(
            failures.is_empty(),
            "the honest client was failed {} time(s): {:?}",
            failures.len(),
            &failures[..failures.len().min(3)]
        );
        self.answered.load(Ordering::SeqCst)
    }
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A deep cyclic query: partner → fundings → funder → fundings … `rounds` times round
/// (page size 1 at each level, so only depth is at stake).
fn deep_cyclic(rounds: usize) -> String {
    let mut q = String::from(r#"{ partner(code: "JPN") { "#);
    for _ in 0..rounds {
        q.push_str("fundings(first: 1) { nodes { funder { ... on Partner { ");
    }
    q.push_str("code");
    for _ in 0..rounds {
        q.push_str(" } } } }");
    }
    q.push_str(" } }");
    q
}

/// Four nested connections with `first: 100` each.
const FAN_OUT: &str = r#"{ partners(first: 100) { nodes { fundings(first: 100) { nodes {
    target { ... on Initiative { children(first: 100) { nodes {
      meetings(first: 100) { nodes { code } } } } } } } } } } }"#;

fn alias_bomb(n: usize) -> String {
    let mut q = String::from("{");
    for i in 0..n {
        q.push_str(&format!(r#" a{i}: member(code: "VNM") {{ name }}"#));
    }
    q.push('}');
    q
}

const FRAGMENT_CYCLE: &str = r#"{ member(code: "VNM") { ...A } }
    fragment A on Member { name ...B }
    fragment B on Member { code ...A }"#;

/// A longer fragment cycle through a connection: A → B → C → A.
const FRAGMENT_CYCLE_3: &str = r#"{ members { nodes { ...A } } }
    fragment A on Member { fundings { nodes { funder { ...B } } } }
    fragment B on Member { code ...C }
    fragment C on Member { name ...A }"#;

fn oversized(bytes: usize) -> String {
    let mut q = String::from(r#"{ member(code: "VNM") { name } }"#);
    q.push_str("\n# ");
    while q.len() < bytes {
        q.push_str("padding padding padding padding padding padding padding padding\n# ");
    }
    q
}

fn many_fields(n: usize) -> String {
    format!(
        r#"{{ member(code: "VNM") {{ {} }} }}"#,
        vec!["name"; n].join(" ")
    )
}

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

// ----- floods -----

/// Reads `Retry-After` as whole seconds (at least 1).
fn retry_after(response: &reqwest::Response) -> u64 {
    let value = response
        .headers()
        .get("retry-after")
        .unwrap_or_else(|| panic!("no Retry-After on {}", response.status()))
        .to_str()
        .unwrap();
    let secs: u64 = value
        .parse()
        .unwrap_or_else(|_| panic!("Retry-After {value:?}"));
    assert!(secs >= 1, "Retry-After {secs}");
    secs
}

/// The value of the first `/metrics` line that starts with `prefix`.
fn metric(text: &str, prefix: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn a_burst_from_one_client_is_rate_limited_and_counted() {
    let s = TestServer::start_with(Config {
        rate_limit: 5.0,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    // A refused-too-deep document first, for the metrics.
    let r = s
        .client
        .post(&url)
        .json(&json!({ "query": too_deep().0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut statuses = Vec::new();
    let mut limited = 0;
    for _ in 0..40 {
        let r = s
            .client
            .post(&url)
            .json(&json!({ "query": r#"{ member(code: "VNM") { name } }"# }))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        statuses.push(status);
        match status {
            200 => {
                let body: Value = r.json().await.unwrap();
                assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
            }
            429 => {
                limited += 1;
                retry_after(&r);
                let body: Value = r.json().await.unwrap();
                assert_eq!(
                    body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
                    "{body}"
                );
                assert!(
                    numbers(body["errors"][0]["message"].as_str().unwrap()).contains(&5),
                    "the message states the limit: {body}"
                );
            }
            other => panic!("status {other}"),
        }
    }
    // A burst of twice the rate is allowed, then the client waits.
    assert!(
        statuses[..5].iter().all(|&s| s == 200),
        "the first requests succeed: {statuses:?}"
    );
    // 10 in the burst, then 5 a second: unless the 40 took seconds, many were refused.
    assert!(limited >= 5, "too few refused: {statuses:?}");

    let metrics = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    let rate = metric(&text, "asean_graph_refused_total{limit=\"rate\"}").unwrap_or(0.0);
    assert!(
        rate >= limited as f64,
        "refused rate {rate} < {limited}:\n{text}"
    );
    let depth = metric(&text, "asean_graph_refused_total{limit=\"depth\"}").unwrap_or(0.0);
    assert!(depth >= 1.0, "refused depth {depth}:\n{text}");
    let requests: f64 = text
        .lines()
        .filter(|l| l.starts_with("asean_graph_requests_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum();
    assert!(requests >= 41.0, "requests_total {requests}:\n{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("asean_graph_requests_total{") && l.contains("status=\"429\"")),
        "{text}"
    );
    assert!(
        metric(&text, "asean_graph_errors_total{code=\"RATE_LIMITED\"}").unwrap_or(0.0) >= 1.0,
        "{text}"
    );
}

#[tokio::test]
async fn with_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    let s = TestServer::start_with(Config {
        rate_limit: 1.0,
        trust_forwarded_for: true,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let ask = |ip: &'static str| {
        s.client
            .post(&url)
            .header("x-forwarded-for", format!("{ip}, 10.0.0.1"))
            .json(&json!({ "query": "{ __typename }" }))
            .send()
    };
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(ask("203.0.113.1").await.unwrap().status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(ask("203.0.113.2").await.unwrap().status(), 200);
}

#[tokio::test]
async fn without_a_trusted_proxy_x_forwarded_for_is_ignored() {
    // A burst of one, and a new token every 2 s.
    let s = TestServer::start_with(Config {
        rate_limit: 0.5,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let ask = |ip: &'static str| {
        s.client
            .post(&url)
            .header("x-forwarded-for", ip)
            .json(&json!({ "query": "{ __typename }" }))
            .send()
    };
    assert_eq!(ask("203.0.113.1").await.unwrap().status(), 200);
    let r = ask("203.0.113.2").await.unwrap();
    assert_eq!(
        r.status(),
        429,
        "a client must not get a new bucket by naming another address"
    );
    retry_after(&r);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_past_max_in_flight_is_shed_with_503_then_the_server_answers() {
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        max_in_flight: 1,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let mut shed = 0;
    let mut answered = 0;
    // Concurrency is up to the scheduler: flood again until some are shed.
    for _round in 0..20 {
        let flood = (0..50).map(|_| {
            let client = reqwest::Client::new();
            let url = url.clone();
            tokio::spawn(async move {
                let r = client
                    .post(&url)
                    .json(&json!({ "query": PRODUCT_QUESTION }))
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let retry = (status == 503).then(|| retry_after(&r));
                let body: Value = r.json().await.unwrap();
                (status, retry, body)
            })
        });
        for outcome in futures_util::future::join_all(flood).await {
            let (status, _retry, body) = outcome.unwrap();
            match status {
                200 => {
                    assert_product_answer(status, &body).unwrap();
                    answered += 1;
                }
                503 => {
                    shed += 1;
                    let code = body["errors"][0]["extensions"]["code"]
                        .as_str()
                        .unwrap_or("");
                    assert!(!code.is_empty(), "a 503 without a code: {body}");
                    assert!(
                        numbers(body["errors"][0]["message"].as_str().unwrap()).contains(&1),
                        "the message states the limit: {body}"
                    );
                }
                other => panic!("status {other}: {body}"),
            }
        }
        if shed > 0 {
            break;
        }
    }
    assert!(shed > 0, "nothing was shed ({answered} answered)");
    assert!(answered > 0, "nothing was answered");
    // After the flood, an honest request is answered.
    s.data(PRODUCT_QUESTION).await;
    let text = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let counted = metric(&text, "asean_graph_refused_total{limit=\"concurrency\"}").unwrap_or(0.0);
    assert!(counted >= shed as f64, "{counted} < {shed}:\n{text}");
}

/// A request whose body never arrives (slowloris) is stopped at the body timeout with 408,
/// before it takes an in-flight slot, and the server keeps answering others.
#[tokio::test]
async fn a_request_whose_body_never_arrives_is_stopped_with_408() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        body_timeout: std::time::Duration::from_millis(300),
        ..Config::default()
    })
    .await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(
            b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
              Connection: close\r\nContent-Length: 100\r\n\r\n{\"query\": ",
        )
        .await
        .unwrap();
    // The rest of the body never comes; the answer must (the outer bound is only so that a
    // broken server fails the test instead of hanging it).
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(60),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("the server never stopped the request")
    .unwrap();
    let answer = String::from_utf8_lossy(&answer).to_string();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert!(
        numbers(body["errors"][0]["message"].as_str().unwrap()).contains(&300),
        "the message states the limit: {body}"
    );
    s.data(r#"{ member(code: "VNM") { name } }"#).await;
}

/// A query that takes longer than the request timeout is stopped: with a timeout of 1 ns, every
/// request that does any work is past it.
#[tokio::test]
async fn a_query_past_the_timeout_is_stopped_with_503() {
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        request_timeout: std::time::Duration::from_nanos(1),
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = s
            .client
            .post(&url)
            .json(&json!({ "query": PRODUCT_QUESTION }))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        statuses.push(status);
        if status == 503 {
            retry_after(&r);
        }
    }
    assert!(
        statuses.iter().all(|&s| s == 503),
        "not stopped: {statuses:?}"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_with_a_graphql_error() {
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        max_body_bytes: 4096,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    // Under the limit: fine.
    let small = json!({ "query": oversized(3000) }).to_string();
    assert!(small.len() < 4096);
    let r = s
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body(small)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for accept in ["application/json", "application/graphql-response+json"] {
        let big = json!({ "query": oversized(10_000) }).to_string();
        let r = s
            .client
            .post(&url)
            .header("content-type", "application/json")
            .header("accept", accept)
            .body(big)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413, "{accept}");
        let body: Value = r.json().await.unwrap();
        let code = body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("");
        assert!(!code.is_empty(), "{accept}: {body}");
        assert!(
            numbers(body["errors"][0]["message"].as_str().unwrap()).contains(&4096),
            "the message states the limit: {body}"
        );
    }
    // The default limit (256 KiB) too.
    let d = TestServer::start().await;
    let huge = json!({ "query": "{ __typename }", "variables": { "x": "y".repeat(300 * 1024) } })
        .to_string();
    let r = d
        .client
        .post(format!("{}/graphql", d.base))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["errors"][0]["extensions"]["code"].is_string(),
        "{body}"
    );
}

// ----- persisted queries -----

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

#[tokio::test]
async fn automatic_persisted_queries_follow_the_apollo_protocol() {
    let s = TestServer::start().await;
    let url = format!("{}/graphql", s.base);
    let query = r#"{ member(code: "VNM") { name } }"#;
    let hash = sha256_hex(query);
    let post = |body: Value| s.client.post(&url).json(&body).send();

    // An unknown hash: the server asks for the document.
    let r = post(json!({ "extensions": persisted(&hash) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{body}"
    );
    assert!(body.get("data").is_none_or(Value::is_null), "{body}");

    // The document with its hash: runs, and is remembered.
    let r = post(json!({ "query": query, "extensions": persisted(&hash) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");

    // The hash alone now runs, by POST and by GET, whatever the hash's case.
    for h in [hash.clone(), hash.to_uppercase()] {
        let r = post(json!({ "extensions": persisted(&h) })).await.unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
    }
    let r = s
        .client
        .get(&url)
        .query(&[("extensions", persisted(&hash).to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");

    // A hash that is not the document's: refused, and nothing is remembered under it.
    let other = r#"{ member(code: "SGP") { name } }"#;
    let r = post(json!({ "query": other, "extensions": persisted(&hash) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert!(body.get("data").is_none_or(Value::is_null), "{body}");
    let r = post(json!({ "extensions": persisted(&hash) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
    let fake = sha256_hex("not registered");
    let r = post(json!({ "query": other, "extensions": persisted(&fake) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    let r = post(json!({ "extensions": persisted(&fake) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{body}"
    );

    // A persisted document still passes the query limits.
    let (deep, _) = too_deep();
    let r = post(json!({ "query": deep, "extensions": persisted(&sha256_hex(&deep)) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "QUERY_TOO_DEEP",
        "{body}"
    );
}

/// A document over the size limit sent with its hash is refused as the limits refuse it,
/// and never registered: its hash stays unknown, and it takes no place in the cache.
#[tokio::test]
async fn an_oversized_document_is_never_registered_as_a_persisted_query() {
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        apq_capacity: 1,
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let post = |body: Value, accept: &'static str| {
        s.client
            .post(&url)
            .header("accept", accept)
            .json(&body)
            .send()
    };
    let small = r#"{ member(code: "VNM") { name } }"#;
    let r = post(
        json!({ "query": small, "extensions": persisted(&sha256_hex(small)) }),
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);

    let big = too_big();
    let hash = sha256_hex(&big);
    let plain = post(json!({ "query": big }), "application/json")
        .await
        .unwrap();
    let plain: Value = plain.json().await.unwrap();
    for (accept, status) in [
        ("application/json", 200),
        ("application/graphql-response+json", 400),
    ] {
        let r = post(
            json!({ "query": big, "extensions": persisted(&hash) }),
            accept,
        )
        .await
        .unwrap();
        assert_eq!(r.status(), status, "{accept}");
        let body: Value = r.json().await.unwrap();
        let message = refusal(&body, "BAD_USER_INPUT", "an oversized APQ document");
        assert_eq!(message, plain["errors"][0]["message"], "{body}");
        states_limit_and_measure(
            message,
            defaults().max_document_bytes,
            "an oversized APQ document",
        );
    }
    // Not registered: the hash alone is unknown.
    let r = post(
        json!({ "extensions": persisted(&hash) }),
        "application/json",
    )
    .await
    .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{body}"
    );
    // And it did not push the small document out of the one-entry cache.
    let r = post(
        json!({ "extensions": persisted(&sha256_hex(small)) }),
        "application/json",
    )
    .await
    .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
}

#[tokio::test]
async fn with_trusted_documents_only_the_manifest_runs() {
    let trusted = r#"query Vnm { member(code: "VNM") { name } }"#;
    let hash = sha256_hex(trusted);
    let manifest = Manifest::parse(&json!({ hash.clone(): trusted }).to_string()).unwrap();
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        trusted_documents: Some(Arc::new(manifest)),
        ..Config::default()
    })
    .await;
    let url = format!("{}/graphql", s.base);
    let post = |body: Value| s.client.post(&url).json(&body).send();

    // By hash.
    let r = post(json!({ "extensions": persisted(&hash) }))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
    // By text.
    let r = post(json!({ "query": trusted })).await.unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");
    // By GET, by hash.
    let r = s
        .client
        .get(&url)
        .query(&[("extensions", persisted(&hash).to_string())])
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");

    // Anything else: FORBIDDEN, with no data.
    let other = r#"{ member(code: "VNM") { name } }"#;
    for (what, request) in [
        ("another document", json!({ "query": other })),
        (
            "introspection",
            json!({ "query": "{ __schema { types { name } } }" }),
        ),
        (
            "another document under the trusted hash",
            json!({ "query": other, "extensions": persisted(&hash) }),
        ),
        (
            "an unknown hash",
            json!({ "extensions": persisted(&sha256_hex(other)) }),
        ),
        (
            "a registered-looking APQ",
            json!({ "query": other, "extensions": persisted(&sha256_hex(other)) }),
        ),
    ] {
        let r = post(request).await.unwrap();
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{what}: {status} {body}"
        );
        assert!(
            body.get("data").is_none_or(Value::is_null),
            "{what}: {body}"
        );
        assert_eq!(status, 403, "{what}: {body}");
    }
    // An APQ attempt did not register the other document.
    let r = post(json!({ "extensions": persisted(&sha256_hex(other)) }))
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );

    // A manifest whose hash does not match its document is refused at startup.
    assert!(Manifest::parse(&json!({ sha256_hex(other): trusted }).to_string()).is_err());
}

// ----- HTTP caching -----

#[tokio::test]
async fn get_answers_carry_an_etag_and_if_none_match_gets_304() {
    let s = TestServer::start().await;
    let url = format!("{}/graphql", s.base);
    let get = |query: &'static str, etag: Option<String>| {
        let mut request = s.client.get(&url).query(&[("query", query)]);
        if let Some(tag) = etag {
            request = request.header("if-none-match", tag);
        }
        request.send()
    };
    let vnm = r#"{ member(code: "VNM") { name } }"#;
    let sgp = r#"{ member(code: "SGP") { name } }"#;

    let r = get(vnm, None).await.unwrap();
    assert_eq!(r.status(), 200);
    let etag = r
        .headers()
        .get("etag")
        .expect("a GET answer has an ETag")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");

    // The same answer again: the same tag; with it, 304 and no body.
    let r = get(vnm, None).await.unwrap();
    assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
    let r = get(vnm, Some(etag.clone())).await.unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
    assert!(r.bytes().await.unwrap().is_empty());
    let r = get(vnm, Some(format!("\"nope\", {etag}"))).await.unwrap();
    assert_eq!(r.status(), 304, "a tag among several");

    // A stale tag: the full answer.
    let r = get(vnm, Some("\"stale\"".into())).await.unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam");

    // A different answer: a different tag, and the first tag does not match it.
    let r = get(sgp, None).await.unwrap();
    let other = r.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(other, etag);
    let r = get(sgp, Some(etag.clone())).await.unwrap();
    assert_eq!(r.status(), 200);

    // An error answer is not cached.
    let r = get("{ noSuchField }", None).await.unwrap();
    assert!(r.headers().get("etag").is_none());
    assert_eq!(r.headers()["cache-control"], "no-store");

    // POST answers carry no tag.
    let r = s
        .client
        .post(&url)
        .header("if-none-match", etag)
        .json(&json!({ "query": vnm }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("etag").is_none());
}

/// Where reads need a token, a GET answer is for its caller: `private`, never `public`, so
/// no shared cache keeps it; still `Vary: Authorization`.
#[tokio::test]
async fn get_answers_are_private_where_reads_need_a_token() {
    let access = asean_graph::graphql::Access {
        tokens: asean_graph::graphql::Tokens::parse(crate::common::TOKENS).unwrap(),
        read_needs_token: true,
    };
    let s = TestServer::start_with(Config {
        graphql: Options {
            access: Arc::new(access),
            ..Default::default()
        },
        rate_limit: 0.0,
        ..Config::default()
    })
    .await;
    let r = s
        .client
        .get(format!("{}/graphql", s.base))
        .query(&[("query", r#"{ member(code: "VNM") { name } }"#)])
        .bearer_auth(crate::common::READER)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cache = r.headers()["cache-control"].to_str().unwrap().to_owned();
    assert_eq!(cache, "private, max-age=60");
    let vary = r.headers()["vary"].to_str().unwrap().to_ascii_lowercase();
    assert!(vary.contains("authorization"), "{vary}");
    assert!(r.headers().get("etag").is_some());
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["member"]["name"], "Viet Nam", "{body}");

    // Open reads stay public.
    let open = TestServer::start().await;
    let r = open
        .client
        .get(format!("{}/graphql", open.base))
        .query(&[("query", r#"{ member(code: "VNM") { name } }"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "public, max-age=60");
}

/// Repeated queries are answered from the cache of answers, but never past a write: after
/// each write the same query (by POST and by GET) shows it, and a repeated mutation runs
/// again rather than replaying its first answer.
#[tokio::test]
async fn cached_answers_never_outlive_a_write() {
    use crate::common::{EDITOR, TOKENS};
    let s = TestServer::with_tokens(TOKENS).await;
    let api = crate::common::Api::new(&s.base, &s.client);
    let query = r#"{ member(code: "VNM") { description } }"#;
    let get_url = format!(
        "{}/graphql?query={}",
        s.base,
        query.replace(' ', "%20").replace('"', "%22")
    );
    for round in 0..3 {
        let description = format!("round {round}");
        api.ok(
            Some(EDITOR),
            "mutation($d: String!) { updateMember(code: \"VNM\", input: { description: $d }) { code } }",
            json!({ "d": description }),
        )
        .await;
        for _ in 0..3 {
            let posted = api.ok(None, query, json!({})).await;
            assert_eq!(posted["member"]["description"], description.as_str());
            let got: Value = s
                .client
                .get(&get_url)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(
                got["data"]["member"]["description"],
                description.as_str(),
                "{got}"
            );
        }
    }
    let create = r#"mutation { createPerson(input: { code: "CACHE-ONCE", name: "Once", sources: ["P2"] }) { code } }"#;
    api.ok(Some(EDITOR), create, json!({})).await;
    let (code, _) = api.fails(Some(EDITOR), create, json!({})).await;
    assert_eq!(
        code, "CONFLICT",
        "the second create ran, and found the first"
    );
}

/// Logs and metrics name an operation by the request's `operationName`, or, where it gives
/// none, by the name the document gives its only operation (docs/tracing.md's curl example
/// sends none): from the answers cache too, in a batch, and over GET. A document of two
/// operations, or an anonymous one, with no name asked, stays `-`.
#[tokio::test]
async fn metrics_name_the_operation_a_document_names_when_the_request_does_not() {
    let s = TestServer::start().await;
    let url = format!("{}/graphql", s.base);
    let post = |body: Value| s.client.post(&url).json(&body).send();
    let named = "query MemberNames { members(first: 3) { nodes { code name } } }";
    for _ in 0..2 {
        // The second is answered from the cache of answers.
        assert_eq!(post(json!({ "query": named })).await.unwrap().status(), 200);
    }
    let batch = json!([
        { "query": "query InBatch { __typename }" },
        { "query": "query Asked { __typename }", "operationName": "Asked" },
    ]);
    assert_eq!(post(batch).await.unwrap().status(), 200);
    let get = s
        .client
        .get(&url)
        .query(&[("query", "query OverGet { __typename }")])
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 200);
    let two = "query A { __typename } query B { __typename }";
    assert_eq!(
        post(json!({ "query": two, "operationName": "B" }))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        post(json!({ "query": "{ __typename }" }))
            .await
            .unwrap()
            .status(),
        200
    );
    let text = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let count = |operation: &str| {
        metric(
            &text,
            &format!(
                "asean_graph_requests_total{{path=\"/graphql\",operation=\"{operation}\",status=\"200\"}}"
            ),
        )
    };
    assert_eq!(count("MemberNames"), Some(2.0), "{text}");
    assert_eq!(count("InBatch,Asked"), Some(1.0), "{text}");
    assert_eq!(count("OverGet"), Some(1.0), "{text}");
    assert_eq!(count("B"), Some(1.0), "{text}");
    assert_eq!(count("-"), Some(1.0), "{text}");
}
