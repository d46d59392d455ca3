//! Findings 11 and 12 of the third round: counts priced by their page, and budgets given per
//! query rather than per HTTP request. Replayed on a generated store where one source
//! (`SYNTHETIC`) is cited by every generated record and link, the shape that made one
//! 93-byte request hold a core for 6.6 s at scale 200; each server's read budget is set
//! from the store's own sizes, so that the cases show at a scale a test can build.

use super::{Target, refused};
use asean_graph::graphql::{Limits, Options};
use asean_graph::model::NodeKind;
use asean_graph::server::Config;
use asean_graph::store::{Reads, Store};
use serde_json::{Value, json};

/// The generated store's scale.
const SCALE: usize = 4;

/// Citations of `SYNTHETIC`, counted here from the citation index through the store (not
/// through the API under test).
fn synthetic_citations(store: &Store) -> u64 {
    let (nodes, edges) = store.citations("SYNTHETIC", &Reads::new(u64::MAX)).unwrap();
    u64::try_from(nodes.len() + edges.len()).unwrap()
}

/// The store's records of `kind`.
fn records(store: &Store, kind: NodeKind) -> u64 {
    u64::try_from(store.sizes().unwrap().counts.of(kind)).unwrap()
}

fn config(limits: Limits) -> Config {
    Config {
        response_cache_bytes: 0,
        graphql: Options {
            limits,
            ..Options::default()
        },
        ..Config::default()
    }
}

/// A server on the generated store whose requests may each read `reads(store)` entries.
async fn generated(reads: impl FnOnce(&Store) -> u64) -> Target {
    Target::generated(SCALE, |store| {
        config(Limits {
            max_filter_reads: reads(store),
            ..Limits::default()
        })
    })
    .await
}

/// The data of a query that must have answered, with no error.
fn answered(case: &str, (status, body): &(u16, Value)) -> Value {
    assert_eq!(*status, 200, "{case}: {body}");
    assert!(body.get("errors").is_none(), "{case}: {body}");
    body["data"].clone()
}

#[tokio::test]
async fn finding_11_a_count_of_every_citation_under_every_partner_is_refused_before_it_runs() {
    let t = generated(|store| {
        let fan = store.fan_out().unwrap();
        // Two partners' counts fit; a hundred do not.
        4 * u64::try_from(fan.sources * fan.citations).unwrap()
    })
    .await;
    let count = "query ($n: Int) { partners(first: $n) { nodes { sources { supports(first: 0) { totalCount } } } } }";
    let data = answered("two partners", &t.post(count, json!({ "n": 2 })).await);
    let counted = data["partners"]["nodes"][0]["sources"][0]["supports"]["totalCount"].clone();
    assert!(counted.as_u64().is_some_and(|n| n > 0), "{data}");
    // The 93-byte request of the finding.
    let (code, message) = refused(
        "a hundred partners",
        &t.post(count, json!({ "n": 100 })).await,
        400,
    );
    assert_eq!(code, "QUERY_TOO_COMPLEX", "{message}");
    assert!(
        message.contains("partners.nodes.sources.supports.totalCount"),
        "the message names the dearest field: {message}"
    );
    t.survived("counts under every partner").await;
}

#[tokio::test]
async fn finding_11_citation_counts_are_priced_by_the_citations_they_count() {
    let t = generated(|store| 5 * synthetic_citations(store)).await;
    let one =
        r#"{ source(code: "SYNTHETIC") { citationCount supports(first: 0) { totalCount } } }"#;
    let data = answered("one count", &t.post(one, json!({})).await);
    let n = synthetic_citations(&t.store);
    assert_eq!(data["source"]["citationCount"], n, "{data}");
    assert_eq!(data["source"]["supports"]["totalCount"], n, "{data}");
    // Thirty aliases of the count: thirty times its citations, past the budget.
    let aliases: String = (0..30)
        .map(|i| format!(r#" c{i}: source(code: "SYNTHETIC") {{ citationCount }}"#))
        .collect();
    let (code, message) = refused(
        "thirty counts",
        &t.post(&format!("{{{aliases} }}"), json!({})).await,
        400,
    );
    assert_eq!(code, "QUERY_TOO_COMPLEX", "{message}");
    assert!(message.contains("citationCount"), "{message}");
    t.survived("aliased citation counts").await;
}

#[tokio::test]
async fn finding_11_relationships_read_under_conditions_are_priced_by_the_links_they_read() {
    let t = generated(|store| {
        // One such list fits (its page and its count read every link, twice), three do
        // not.
        let edges = store.sizes().unwrap().counts.edges;
        6 * u64::try_from(edges).unwrap()
    })
    .await;
    let list = "{ relationships(verified: false, last: 100) { totalCount } }";
    answered("one list", &t.post(list, json!({})).await);
    let (code, message) = refused(
        "three lists",
        &t.post(
            "{ a: relationships(verified: false, last: 100) { totalCount } \
               b: relationships(verified: false, last: 100) { totalCount } \
               c: relationships(verified: false, last: 100) { totalCount } }",
            json!({}),
        )
        .await,
        400,
    );
    assert_eq!(code, "QUERY_TOO_COMPLEX", "{message}");
    t.survived("relationships under conditions").await;
}

#[tokio::test]
async fn finding_11_a_count_that_reads_more_than_its_price_stops_at_the_request_s_budget() {
    // A filtered count is priced one read a meeting, and reads two (the listing's entry
    // and the meeting it tests): two such counts fit the price, and the second runs out.
    let t = generated(|store| 3 * records(store, NodeKind::Meeting)).await;
    let count = |alias: &str| {
        // No index narrows `disputed`: the list is scanned.
        format!("{alias}: meetings(first: 0, filter: {{ disputed: true }}) {{ totalCount }}")
    };
    let (status, body) = t
        .post(&format!("{{ {} {} }}", count("a"), count("b")), json!({}))
        .await;
    assert_eq!(status, 200, "a field error, not a refusal: {body}");
    assert!(body["data"]["a"]["totalCount"].is_u64(), "{body}");
    assert_eq!(body["data"]["b"], Value::Null, "{body}");
    let errors = body["errors"].as_array().expect("an error");
    assert_eq!(
        errors[0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
        "{body}"
    );
    assert_eq!(errors[0]["path"][0], "b", "{body}");
    t.survived("a count past the budget as it runs").await;
}

/// POSTs a batch of `queries` as JSON; the status and each answer.
async fn batch(t: &Target, queries: &[&str]) -> (u16, Vec<Value>, usize) {
    // As JSON (`application/json`): each answer says how it went, the reply is 200.
    let body: Vec<Value> = queries.iter().map(|q| json!({ "query": q })).collect();
    let response = t
        .client
        .post(t.url("/graphql"))
        .header("content-type", "application/json")
        .body(Value::Array(body).to_string())
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let answers: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{text}"));
    (status, answers, text.len())
}

#[tokio::test]
async fn finding_12_the_queries_of_a_batch_share_one_budget_of_reads() {
    let t = generated(|store| synthetic_citations(store) * 5 / 2).await;
    let count = r#"{ source(code: "SYNTHETIC") { citationCount } }"#;
    let (status, answers, _) = batch(&t, &[count, count, count]).await;
    assert_eq!(status, 200, "{answers:?}");
    let n = synthetic_citations(&t.store);
    assert_eq!(answers[0]["data"]["source"]["citationCount"], n);
    assert_eq!(answers[1]["data"]["source"]["citationCount"], n);
    // Half a count's reads are left for the third.
    assert_eq!(
        answers[2]["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
        "{answers:?}"
    );
    let message = answers[2]["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("its request has left"), "{message}");
    // A new request has the whole budget again.
    answered("alone", &t.post(count, json!({})).await);
    t.survived("a batch of counts").await;
}

#[tokio::test]
async fn finding_12_the_queries_of_a_batch_share_one_answer_cap() {
    let cap = 8 * 1024;
    let t = Target::start_with(config(Limits {
        max_answer_bytes: cap,
        ..Limits::default()
    }))
    .await;
    let page = "{ initiatives(first: 25) { nodes { code name } } }";
    let alone = t.post(page, json!({})).await;
    let one = answered("one page", &alone).to_string().len();
    assert!(one < cap && 10 * one > 2 * cap, "a page of {one} bytes");
    let (_, answers, bytes) = batch(&t, &[page; 10]).await;
    assert_eq!(answers.len(), 10);
    let stopped = answers
        .iter()
        .filter(|a| {
            a["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("grew past its limit"))
        })
        .count();
    assert!(stopped >= 5, "{stopped} of 10 stopped: {answers:?}");
    assert!(
        bytes < cap + 2 * one + 4096,
        "the reply holds {bytes} bytes; the cap is {cap}"
    );
    t.survived("a batch past its answer cap").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_that_runs_long_on_the_server_s_runtime_answers_whole_and_in_order() {
    // On the server's kind of runtime, a query past 20 ms hands its worker's other tasks
    // over and runs on as blocking code: its answer must be the same, in the same order.
    // (That the hand-over keeps `/health` answering is a figure, not an assertion:
    // benches/counts.py and the standing search measure it.)
    let t = generated(|_| 1_000_000).await;
    let aliases: String = (0..30)
        .map(|i| {
            format!(r#" a{i}: search(text: "a", first: 3) {{ totalCount nodes {{ __typename }} }}"#)
        })
        .collect();
    let (status, body) = t.post(&format!("{{{aliases} }}"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let data = body["data"].as_object().unwrap_or_else(|| panic!("{body}"));
    let keys: Vec<&str> = data.keys().map(String::as_str).collect();
    let expected: Vec<String> = (0..30).map(|i| format!("a{i}")).collect();
    assert_eq!(keys, expected, "every alias, in the document's order");
    let first = &data["a0"];
    assert!(
        first["totalCount"].as_u64().is_some_and(|n| n > 3),
        "{first}"
    );
    assert!(data.values().all(|v| v == first), "{body}");
    // /health answers meanwhile, and after.
    let health = t.client.get(t.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    t.survived("a long query").await;
}

#[tokio::test]
async fn finding_16_sorting_a_root_list_spends_the_request_s_reads() {
    // An outside test sorted 30 aliases of `initiatives` in each of a batch's 10 queries:
    // 9.4 s of CPU, none of it from the read budget. Now an ordering costs each item and
    // each key: four sorted lists fit the budget, six do not, nor do two batches' worth.
    let t = generated(|store| 10 * records(store, NodeKind::Initiative)).await;
    let sorted = |n: usize| -> String {
        let lists: String = (0..n)
            .map(|i| {
                let direction = if i % 2 == 0 { "ASC" } else { "DESC" };
                format!(" a{i}: initiatives(first: 0, orderBy: [{{ field: CODE, direction: {direction} }}]) {{ nodes {{ code }} }}")
            })
            .collect();
        format!("{{{lists} }}")
    };
    answered("four sorted lists", &t.post(&sorted(4), json!({})).await);
    let (code, message) = refused(
        "six sorted lists",
        &t.post(&sorted(6), json!({})).await,
        400,
    );
    assert_eq!(code, "QUERY_TOO_COMPLEX", "{message}");
    let four = sorted(4);
    let (_, answers, _) = batch(&t, &[&four, &four]).await;
    assert!(answers[0].get("errors").is_none(), "{answers:?}");
    assert_eq!(
        answers[1]["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
        "{answers:?}"
    );
    t.survived("sorted root lists").await;
}
