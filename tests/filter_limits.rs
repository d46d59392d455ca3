//! Filters held to their limits, and served by the indexes: the abusive forms (a filter
//! nested through quantifiers 20 deep, `or` with 10,000 branches, or 201 under the document
//! size limit) are refused with their codes, naming the limit and the measured value, and
//! change nothing; an indexed filter reads its candidates, not the whole kind, so it stays
//! within a small read budget that the same list filtered without an index over-runs; and
//! the index path gives exactly what a scan gives — the same items, order, counts and
//! cursors.

use crate::common::TestServer;
use asean_graph::dataset;
use asean_graph::graphql::Options;
use asean_graph::graphql::limits::Limits;
use asean_graph::server::Config;
use serde_json::{Value, json};

/// A server over a generated store `scale` times the bundled dataset, whose filtered lists
/// may read the store at most `reads` times.
async fn generated(scale: usize, reads: u64) -> TestServer {
    generated_with(
        scale,
        Limits {
            max_filter_reads: reads,
            ..Limits::default()
        },
    )
    .await
}

/// A server over a generated store `scale` times the bundled dataset, under `limits`.
async fn generated_with(scale: usize, limits: Limits) -> TestServer {
    let base = dataset::parse(dataset::BUNDLED.as_bytes()).unwrap();
    let doc = dataset::generate(&base, scale, 7);
    let json = serde_json::to_string(&doc).unwrap();
    TestServer::start_with_data(
        Config {
            rate_limit: 0.0,
            response_cache_bytes: 0,
            graphql: Options {
                limits,
                ..Options::default()
            },
            ..Config::default()
        },
        &json,
    )
    .await
}

/// The one error of a refused request: its code and message.
fn refusal(body: &Value) -> (String, String) {
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {body}"));
    assert_eq!(errors.len(), 1, "{body}");
    (
        errors[0]["extensions"]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned(),
        errors[0]["message"].as_str().unwrap_or("").to_owned(),
    )
}

/// What the store answers to a fixed query: compared before and after a refusal.
const WITNESS: &str = "{ partners(first: 100) { totalCount nodes { code name kind } } \
    meetings(first: 100) { totalCount nodes { code } } }";

/// `depth` quantifiers, each nesting the next through a funding's funder.
fn nested_quantifiers(depth: usize) -> String {
    let mut f = "{ code: { eq: \"JPN\" } }".to_owned();
    for _ in 0..depth {
        f = format!("{{ fundings: {{ some: {{ funder: {{ partner: {f} }} }} }} }}");
    }
    f
}

/// An `or` of `branches` conditions.
fn wide_or(branches: usize) -> String {
    let branch = "{code:{eq:\"JPN\"}}";
    format!("{{or:[{}]}}", vec![branch; branches].join(","))
}

#[tokio::test]
async fn a_filter_nested_through_quantifiers_20_deep_is_refused_as_too_deep() {
    let s = TestServer::start().await;
    let before = s.data(WITNESS).await;
    let filter = nested_quantifiers(20);
    // Written in the document: its brackets nest past the document's limit.
    let (_, body) = s
        .post(
            &format!("{{ partners(filter: {filter}) {{ totalCount }} }}"),
            json!({}),
        )
        .await;
    let (code, message) = refusal(&body);
    assert_eq!(code, "QUERY_TOO_DEEP", "{body}");
    assert!(message.starts_with("the document nests "), "{message}");
    assert!(message.contains("the limit is 32"), "{message}");
    // Sent as a variable: the request's JSON nests too deep before its variables are read.
    let (code, message) = as_variable(&s, &filter).await;
    assert_eq!(code, "QUERY_TOO_DEEP", "{message}");
    assert!(message.starts_with("the request body nests "), "{message}");
    assert!(message.contains("the limit is "), "{message}");
    assert_eq!(s.data(WITNESS).await, before, "a refusal changes nothing");
}

/// Quantifiers nested deeper than 3 but within the document's limits are refused before
/// anything is read: 6 deep ran for seconds at scale 1,000 before the read budget stopped it.
#[tokio::test]
async fn quantifiers_nested_4_deep_are_refused_3_deep_run() {
    let s = TestServer::start().await;
    let q = |depth| {
        format!(
            "{{ partners(filter: {}) {{ totalCount }} }}",
            nested_quantifiers(depth)
        )
    };
    let (_, body) = s.post(&q(4), json!({})).await;
    let (code, message) = refusal(&body);
    assert_eq!(code, "QUERY_TOO_COMPLEX", "{body}");
    assert_eq!(
        message,
        "filter: quantifiers (some, every, none) nested 4 deep; the limit is 3"
    );
    let data = s.data(&q(3)).await;
    assert!(data["partners"]["totalCount"].is_number(), "{data}");
}

#[tokio::test]
async fn an_or_of_10000_branches_is_refused_whether_written_or_sent_as_a_variable() {
    let s = TestServer::start().await;
    let before = s.data(WITNESS).await;
    let filter = wide_or(10_000);
    // Written in the document: larger than a document may be.
    let query = format!("{{ partners(filter: {filter}) {{ totalCount }} }}");
    let (_, body) = s.post(&query, json!({})).await;
    let (code, message) = refusal(&body);
    assert_eq!(code, "BAD_USER_INPUT", "{body}");
    assert_eq!(
        message,
        format!("the document is {} bytes; the limit is 32768", query.len())
    );
    // Sent as a variable: a small document, and a filter of more conditions than allowed.
    let (code, message) = as_variable(&s, &filter).await;
    assert_eq!(code, "QUERY_TOO_COMPLEX", "{message}");
    assert_eq!(message, "filter: 10001 conditions; the limit is 200");
    assert_eq!(s.data(WITNESS).await, before, "a refusal changes nothing");
}

#[tokio::test]
async fn an_or_of_201_branches_within_the_document_limit_is_refused_as_too_complex() {
    let s = TestServer::start().await;
    let before = s.data(WITNESS).await;
    let query = format!("{{ partners(filter: {}) {{ totalCount }} }}", wide_or(201));
    assert!(query.len() < 32 * 1024);
    let (_, body) = s.post(&query, json!({})).await;
    let (code, message) = refusal(&body);
    assert_eq!(code, "QUERY_TOO_COMPLEX", "{body}");
    assert_eq!(message, "filter: 202 conditions; the limit is 200");
    // 199 branches (200 conditions) are allowed, and served from the code index.
    let query = format!("{{ partners(filter: {}) {{ totalCount }} }}", wide_or(199));
    assert_eq!(s.data(&query).await["partners"]["totalCount"], 1);
    assert_eq!(s.data(WITNESS).await, before, "a refusal changes nothing");
}

/// The refusal of `partners` filtered by `filter` sent as a variable.
async fn as_variable(s: &TestServer, filter: &str) -> (String, String) {
    let variable: Value = serde_json::from_str(&to_json(filter)).unwrap();
    let (_, body) = s
        .post(
            "query Sent($f: PartnerFilter) { partners(filter: $f) { totalCount } }",
            json!({ "f": variable }),
        )
        .await;
    refusal(&body)
}

/// GraphQL input syntax (unquoted keys) as JSON.
fn to_json(graphql: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let mut in_string = false;
    for c in graphql.chars() {
        if in_string {
            out.push(c);
            in_string = c != '"';
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            // A key is followed by a colon; anything else is an enum value or a number.
            let quoted = c == ':' || word.chars().next().is_some_and(char::is_alphabetic);
            if quoted {
                out.push_str(&format!("\"{word}\""));
            } else {
                out.push_str(&word);
            }
            word.clear();
        }
        if c == '"' {
            in_string = true;
        }
        out.push(c);
    }
    out
}

/// Lists filtered with an index, and the same lists filtered without one.
const INDEXED: &[(&str, &str)] = &[
    ("partners", "{ kind: { eq: DIALOGUE_PARTNER } }"),
    (
        "partners",
        "{ fundings: { some: { target: { initiative: { under: \"IAI\" } } } } }",
    ),
    (
        "meetings",
        "{ startDate: { gte: \"2021-03-01\", lte: \"2021-03-31\" } }",
    ),
    (
        "meetings",
        "{ body: { code: { eq: \"IAI-TF\" } }, year: { eq: 2021 } }",
    ),
    ("initiatives", "{ under: \"IAI\" }"),
    ("initiatives", "{ name: { startsWith: \"IAI Work\" } }"),
];

const UNINDEXED: &[(&str, &str)] = &[
    ("partners", "{ name: { contains: \"apa\" } }"),
    ("partners", "{ fundings: { none: {} } }"),
    ("meetings", "{ fundings: { some: {} } }"),
    ("initiatives", "{ name: { contains: \"ork\" } }"),
];

#[tokio::test]
async fn an_indexed_filter_reads_its_candidates_not_the_whole_kind() {
    // At scale 20: 540 partners, 480 meetings, 1,360 initiatives; 1,500 reads a request,
    // for the page and its count.
    let s = generated(20, 1_500).await;
    for (list, filter) in INDEXED {
        let query = format!("{{ {list}(filter: {filter}) {{ totalCount nodes {{ code }} }} }}");
        let (_, body) = s.post(&query, json!({})).await;
        assert!(
            body["data"][*list]["totalCount"]
                .as_u64()
                .is_some_and(|n| n > 0),
            "{query}: {body}"
        );
    }
    for (list, filter) in UNINDEXED {
        let query = format!("{{ {list}(filter: {filter}) {{ totalCount nodes {{ code }} }} }}");
        let (_, body) = s.post(&query, json!({})).await;
        let codes: Vec<&str> = body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{query}: no errors: {body}"))
            .iter()
            .map(|e| e["extensions"]["code"].as_str().unwrap())
            .collect();
        assert!(codes.iter().all(|c| *c == "QUERY_TOO_COMPLEX"), "{body}");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("needs more than the 1500 reads of the store its request may make"),
            "{message}"
        );
    }
}

/// Every item of a list, paged 7 at a time: its cursors and codes, and `totalCount`.
async fn paged(s: &TestServer, list: &str, args: &str) -> (Vec<(String, String)>, Value) {
    let mut items = Vec::new();
    let mut after = Value::Null;
    loop {
        let query = format!(
            "query Page($after: String) {{ {list}({args} first: 7, after: $after) {{ \
             totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ code }} }} }} }}"
        );
        let (status, body) = s.post(&query, json!({ "after": after })).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{query}: {body}");
        let page = &body["data"][list];
        for e in page["edges"].as_array().unwrap() {
            items.push((
                e["cursor"].as_str().unwrap().to_owned(),
                e["node"]["code"].as_str().unwrap().to_owned(),
            ));
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return (items, page["totalCount"].clone());
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn the_index_path_gives_what_a_scan_gives() {
    let s = generated(2, 1_000_000).await;
    // One case a line: the list | its fixed arguments | the filter.
    let cases = r#"
partners |  | { kind: { eq: DIALOGUE_PARTNER } }
partners |  | { kind: { in: [DIALOGUE_PARTNER, DEVELOPMENT_PARTNER] }, name: { startsWith: "a" } }
partners |  | { fundings: { some: { target: { initiative: { under: "IAI" } } } } }
partners | kind: DIALOGUE_PARTNER | { fundings: { some: { target: { initiative: { under: "IAI" } } } } }
partners |  | { code: { in: ["jpn", "AUS", "Việt", "GBR"] } }
partners |  | { code: { startsWith: "jp" } }
partners |  | { name: { contains: "synthetic 1)" } }
partners |  | { name: { eq: "japan" } }
partners |  | { sourcedBy: ["S2"] }
partners |  | { meetings: { some: { year: { eq: 2021 } } } }
partners | orderBy: [{ field: NAME, direction: DESC }] | { kind: { eq: DIALOGUE_PARTNER } }
meetings |  | { startDate: { gte: "2021-01-01", lte: "2021-06-30" } }
meetings |  | { startDate: { gt: "2021-03-25" } }
meetings |  | { year: { in: [2019, 2021] } }
meetings |  | { year: { lt: 2005 } }
meetings |  | { year: { gte: 2019, lt: 2022 }, startDate: { lte: "2021-03-25" } }
meetings | from: "2020-01-01" | { year: { lte: 2021 } }
meetings |  | { body: { code: { eq: "IAI-TF" } } }
meetings |  | { title: { contains: "Task Force" } }
meetings |  | { titleVi: { startsWith: "hoi nghi" } }
meetings |  | { chair: { clmv: { eq: true } } }
meetings |  | { startDate: { lt: "2015-01-01" }, fundings: { some: {} } }
meetings | orderBy: [{ field: TITLE }] | { year: { eq: 2021 } }
initiatives |  | { under: "IAI" }
initiatives |  | { kind: { eq: WORK_PLAN } }
initiatives |  | { parent: { code: { eq: "IAI" } } }
initiatives |  | { name: { startsWith: "IAI Work" } }
initiatives |  | { or: [{ under: "IAI" }, { kind: { eq: PROJECT } }] }
initiatives | kind: WORK_PLAN | { under: "IAI" }
members |  | { clmv: { eq: true } }
members |  | { nameVi: { startsWith: "viet" } }
bodies |  | { pillar: { eq: ECONOMIC } }
bodies | pillar: ECONOMIC | { meetings: { some: { year: { eq: 2021 } } } }
sources |  | { title: { contains: "ASEAN" } }
"#;
    // Or'ed with a condition no record passes and no index answers: the same filter, read
    // by a scan.
    let never = "{ not: { code: { ne: \"ZZZ-NONE\" } } }";
    for case in cases.lines().filter(|l| !l.is_empty()) {
        let [list, fixed, filter] = [0, 1, 2].map(|i| case.split(" | ").nth(i).unwrap());
        let indexed = paged(&s, list, &format!("{fixed} filter: {filter}")).await;
        let scanned = paged(
            &s,
            list,
            &format!("{fixed} filter: {{ or: [{filter}, {never}] }}"),
        )
        .await;
        assert_eq!(indexed, scanned, "{list}({fixed} filter: {filter})");
    }
}

/// The complexity the limits measured for `query`, from their refusal (every query is
/// refused under a limit of 10).
async fn complexity(s: &TestServer, query: &str) -> u64 {
    let (_, body) = s.post(query, json!({})).await;
    let (code, message) = refusal(&body);
    assert_eq!(code, "QUERY_TOO_COMPLEX", "{message}");
    let n = message
        .strip_prefix("the query's complexity is ")
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("{message}"));
    n.parse().unwrap()
}

/// A server on a generated store at scale 20 (540 partners) with a complexity limit of 10,
/// which refuses every query, saying its complexity.
async fn refusing_every_query() -> TestServer {
    generated_with(
        20,
        Limits {
            max_complexity: 10,
            ..Limits::default()
        },
    )
    .await
}

#[tokio::test]
async fn a_filtered_or_ordered_root_list_costs_what_it_scans() {
    let s = refusing_every_query().await;
    let cost = |args: &str| format!("{{ partners({args} first: 20) {{ nodes {{ code }} }} }}");
    let page = complexity(&s, &cost("")).await;
    // 540 partners scanned, a read each: 54 points more.
    let unindexed = complexity(&s, &cost("filter: { name: { contains: \"apa\" } }")).await;
    assert_eq!(unindexed, page + 54);
    // One relation followed: two reads an item.
    let related = complexity(&s, &cost("filter: { fundings: { none: {} } }")).await;
    assert_eq!(related, page + 108);
    // Ordered by two keys: three reads an item.
    let ordered = complexity(&s, &cost("orderBy: [{ field: NAME }, { field: CODE }]")).await;
    assert_eq!(ordered, page + 162);
    // Indexed: only the candidates (one partner's code).
    let indexed = complexity(&s, &cost("filter: { code: { eq: \"JPN\" } }")).await;
    assert_eq!(indexed, page + 1);
}

/// `aggregate` and `groupedAggregates` read the whole list: a root list asked for them costs
/// its scan as a filtered one does, filtered or not.
#[tokio::test]
async fn a_root_list_asked_for_aggregates_costs_what_it_scans() {
    let s = refusing_every_query().await;
    let plain = complexity(&s, "{ partners(first: 20) { totalCount } }").await;
    let aggregate = complexity(
        &s,
        "{ partners(first: 20) { totalCount aggregate { count } } }",
    )
    .await;
    // A page of 20 whose selection costs 3 (totalCount, aggregate and its count) where the
    // plain one costs 1; and 540 partners scanned, a read each: 54 points more.
    assert_eq!(plain, 20);
    let page = plain * 3;
    assert_eq!(aggregate, page + 54);
    let grouped = complexity(
        &s,
        "{ partners(first: 20) { totalCount groupedAggregates(groupBy: [KIND], first: 1) { count } } }",
    )
    .await;
    // A selection of 2 (totalCount, and one group of one count): 40, and the scan.
    assert_eq!(grouped, plain * 2 + 54);
    let inline = complexity(
        &s,
        "{ partners(first: 20) { totalCount ... on PartnerConnection { aggregate { count } } } }",
    )
    .await;
    assert_eq!(inline, aggregate);
}
