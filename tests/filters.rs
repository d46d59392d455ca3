//! `filter:` on the root lists, over the bundled data through the real server: each
//! operator, and/or/not, to-one nesting, quantifiers, polymorphic ends, provenance, and the
//! errors that name where a filter is wrong. Expected answers come from the API's own
//! unfiltered lists wherever they can, so the tests check the filter, not the data.

use crate::common::TestServer;
use crate::common::queries::{all, refused};
use serde_json::{Value, json};

/// The values of `field` in the `nodes` of the root list `list`, asked with `args`.
async fn values(s: &TestServer, list: &str, args: &str, field: &str) -> Vec<Value> {
    let query = format!("{{ {list}({args} first: 100) {{ totalCount nodes {{ {field} }} }} }}");
    let data = s.data(&query).await;
    let nodes = data[list]["nodes"].as_array().unwrap().clone();
    assert_eq!(
        data[list]["totalCount"],
        nodes.len(),
        "{query}: one page holds all"
    );
    nodes.into_iter().map(|n| n[field].clone()).collect()
}

/// The codes of the root list `list` under `filter`.
async fn codes(s: &TestServer, list: &str, filter: &str) -> Vec<String> {
    values(s, list, &format!("filter: {filter},"), "code")
        .await
        .into_iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn code_of(n: &Value) -> String {
    n["code"].as_str().unwrap().to_owned()
}

/// The product question as an analyst would first write it: dialogue partners that fund
/// something under the IAI. Before filters, every dialogue partner came back, most with no
/// fundings.
#[tokio::test]
async fn the_product_question_in_its_natural_form_returns_japan_alone() {
    let s = TestServer::start().await;
    let data = s
        .data(
            r#"query ProductQuestionFiltered {
              partners(kind: DIALOGUE_PARTNER,
                       filter: { fundings: { some: { target: { initiative: { under: "IAI" } } } } }) {
                nodes { name fundings { nodes { target { ... on Initiative { code parent { code } } } } } }
              } }"#,
        )
        .await;
    let nodes = data["partners"]["nodes"].as_array().unwrap();
    let names: Vec<&str> = nodes.iter().map(|n| n["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Japan"], "{data}");
    let targets = &nodes[0]["fundings"]["nodes"];
    assert_eq!(targets[0]["target"]["parent"]["code"], "IAI", "{data}");
}

#[tokio::test]
async fn text_matches_ignoring_case_and_diacritics() {
    let s = TestServer::start().await;
    let members = all(&s, "members", "code name").await;
    let expect = |pred: &dyn Fn(&str) -> bool| -> Vec<String> {
        members
            .iter()
            .filter(|m| pred(m["name"].as_str().unwrap()))
            .map(code_of)
            .collect()
    };
    assert_eq!(
        codes(&s, "members", r#"{ name: { startsWith: "viet" } }"#).await,
        ["VNM"]
    );
    assert_eq!(
        codes(&s, "members", r#"{ name: { contains: "IA" } }"#).await,
        expect(&|n| n.to_lowercase().contains("ia"))
    );
    assert_eq!(
        codes(&s, "members", r#"{ name: { eq: "viet nam" } }"#).await,
        ["VNM"],
        "eq ignores case"
    );
    assert_eq!(
        codes(&s, "members", r#"{ code: { in: ["vnm", "LAO", "XXX"] } }"#).await,
        ["LAO", "VNM"]
    );
    assert_eq!(
        codes(&s, "members", r#"{ code: { in: [] } }"#).await,
        Vec::<String>::new()
    );
    let not_in = codes(&s, "members", r#"{ code: { notIn: ["VNM"], ne: "LAO" } }"#).await;
    assert_eq!(not_in, expect(&|n| n != "Viet Nam" && n != "Lao PDR"));
    // Vietnamese names fold too: "Việt Nam" is matched by plain "viet".
    let vi = codes(&s, "members", r#"{ nameVi: { startsWith: "viet" } }"#).await;
    assert_eq!(vi, ["VNM"]);
}

#[tokio::test]
async fn numbers_dates_enums_and_null() {
    let s = TestServer::start().await;
    let meetings = all(&s, "meetings", "code startDate number format").await;
    let in_2021: Vec<String> = meetings
        .iter()
        .filter(|m| m["startDate"].as_str().unwrap().starts_with("2021"))
        .map(code_of)
        .collect();
    assert!(!in_2021.is_empty());
    assert_eq!(
        codes(&s, "meetings", "{ year: { eq: 2021 } }").await,
        in_2021
    );
    assert_eq!(
        codes(
            &s,
            "meetings",
            r#"{ startDate: { gte: "2021-01-01", lt: "2022-01-01" } }"#
        )
        .await,
        in_2021
    );
    let numbered: Vec<String> = meetings
        .iter()
        .filter(|m| m["number"].as_i64().is_some_and(|n| n >= 64))
        .map(code_of)
        .collect();
    assert!(!numbered.is_empty());
    assert_eq!(
        codes(&s, "meetings", "{ number: { gte: 64 } }").await,
        numbered
    );
    let unnumbered: Vec<String> = meetings
        .iter()
        .filter(|m| m["number"].is_null())
        .map(code_of)
        .collect();
    assert_eq!(
        codes(&s, "meetings", "{ number: { isNull: true } }").await,
        unnumbered
    );
    let virtual_: Vec<String> = meetings
        .iter()
        .filter(|m| m["format"] == "VIRTUAL")
        .map(code_of)
        .collect();
    assert_eq!(
        codes(&s, "meetings", "{ format: { eq: VIRTUAL } }").await,
        virtual_
    );
    // A meeting with no format is not VIRTUAL, so `ne` keeps it.
    let not_virtual: Vec<String> = meetings
        .iter()
        .filter(|m| m["format"] != "VIRTUAL")
        .map(code_of)
        .collect();
    assert_eq!(
        codes(&s, "meetings", "{ format: { ne: VIRTUAL } }").await,
        not_virtual
    );
    // A contradiction matches nothing.
    let none = codes(&s, "meetings", "{ year: { gt: 2021, lt: 2021 } }").await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn and_or_not_combine() {
    let s = TestServer::start().await;
    let initiatives = all(&s, "initiatives", "code kind").await;
    let pick = |pred: &dyn Fn(&Value) -> bool| -> Vec<String> {
        initiatives
            .iter()
            .filter(|i| pred(i))
            .map(code_of)
            .collect()
    };
    let work_plans = pick(&|i| i["kind"] == "WORK_PLAN");
    let mpac = pick(&|i| i["code"].as_str().unwrap().starts_with("MPAC"));
    assert!(!work_plans.is_empty() && !mpac.is_empty());
    let either = codes(
        &s,
        "initiatives",
        r#"{ or: [{ kind: { eq: WORK_PLAN } }, { code: { startsWith: "MPAC" } }] }"#,
    )
    .await;
    assert_eq!(
        either,
        pick(&|i| i["kind"] == "WORK_PLAN" || i["code"].as_str().unwrap().starts_with("MPAC"))
    );
    let neither = codes(
        &s,
        "initiatives",
        r#"{ not: { or: [{ kind: { eq: WORK_PLAN } }, { code: { startsWith: "MPAC" } }] } }"#,
    )
    .await;
    assert_eq!(neither.len() + either.len(), initiatives.len());
    let both = codes(
        &s,
        "initiatives",
        r#"{ and: [{ kind: { eq: WORK_PLAN } }, { code: { startsWith: "IAI" } }] }"#,
    )
    .await;
    assert_eq!(
        both,
        pick(&|i| i["kind"] == "WORK_PLAN" && i["code"].as_str().unwrap().starts_with("IAI"))
    );
    assert_eq!(
        codes(&s, "initiatives", "{ or: [] }").await,
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&s, "initiatives", "{ and: [] }").await.len(),
        initiatives.len()
    );
}

#[tokio::test]
async fn to_one_relations_nest_and_under_means_anywhere_below() {
    let s = TestServer::start().await;
    let meetings = all(&s, "meetings", "code body { code } chair { code }").await;
    let by_iai_tf: Vec<String> = meetings
        .iter()
        .filter(|m| m["body"]["code"] == "IAI-TF")
        .map(code_of)
        .collect();
    assert!(!by_iai_tf.is_empty());
    let filtered = codes(&s, "meetings", r#"{ body: { code: { eq: "iai-tf" } } }"#).await;
    assert_eq!(filtered, by_iai_tf);
    let with_chair = codes(&s, "meetings", "{ chair: { clmv: { eq: true } } }").await;
    let clmv = ["KHM", "LAO", "MMR", "VNM"];
    let expected: Vec<String> = meetings
        .iter()
        .filter(|m| {
            m["chair"]["code"]
                .as_str()
                .is_some_and(|c| clmv.contains(&c))
        })
        .map(code_of)
        .collect();
    assert_eq!(with_chair, expected);
    // `under` in a filter means what the `under` argument means.
    let by_argument: Vec<String> = values(&s, "initiatives", r#"under: "IAI","#, "code")
        .await
        .into_iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let mut by_filter = codes(&s, "initiatives", r#"{ under: "IAI" }"#).await;
    let mut sorted = by_argument.clone();
    sorted.sort();
    by_filter.sort();
    assert_eq!(by_filter, sorted);
    let children = codes(&s, "initiatives", r#"{ parent: { code: { eq: "IAI" } } }"#).await;
    assert!(children.iter().all(|c| by_argument.contains(c)) && !children.is_empty());
}

#[tokio::test]
async fn quantifiers_and_polymorphic_ends() {
    let s = TestServer::start().await;
    let partners = all(
        &s,
        "partners",
        "code fundings(first: 100) { totalCount nodes { amountUsd } }",
    )
    .await;
    let funding = |p: &Value| p["fundings"]["totalCount"].as_u64().unwrap();
    let some: Vec<String> = partners
        .iter()
        .filter(|p| funding(p) > 0)
        .map(code_of)
        .collect();
    let none: Vec<String> = partners
        .iter()
        .filter(|p| funding(p) == 0)
        .map(code_of)
        .collect();
    assert!(!some.is_empty() && !none.is_empty());
    assert_eq!(
        codes(&s, "partners", "{ fundings: { some: {} } }").await,
        some
    );
    assert_eq!(
        codes(&s, "partners", "{ fundings: { none: {} } }").await,
        none
    );
    // `every` holds of a partner with no fundings at all.
    let every_priced: Vec<String> = partners
        .iter()
        .filter(|p| {
            p["fundings"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| !f["amountUsd"].is_null())
        })
        .map(code_of)
        .collect();
    assert_eq!(
        codes(
            &s,
            "partners",
            "{ fundings: { every: { amountUsd: { isNull: false } } } }"
        )
        .await,
        every_priced
    );
    // A funder's type and branches agree with the fixed `funderKind` argument.
    for (kind, branch) in [("MEMBER", "member"), ("PARTNER", "partner")] {
        let fixed = s
            .data(&format!(
                "{{ fundings(funderKind: {kind}) {{ totalCount }} }}"
            ))
            .await["fundings"]["totalCount"]
            .clone();
        let by_type = s
            .data(&format!(
                "{{ fundings(filter: {{ funder: {{ type: {kind} }} }}) {{ totalCount }} }}"
            ))
            .await["fundings"]["totalCount"]
            .clone();
        let by_branch = s
            .data(&format!(
                "{{ fundings(filter: {{ funder: {{ {branch}: {{}} }} }}) {{ totalCount }} }}"
            ))
            .await["fundings"]["totalCount"]
            .clone();
        assert_eq!((&by_type, &by_branch), (&fixed, &fixed), "{kind}");
    }
    let japan = s
        .data(r#"{ fundings(filter: { funder: { partner: { kind: { eq: DIALOGUE_PARTNER } } } }) { nodes { funder { ... on Partner { code } } } } }"#)
        .await;
    let funders: Vec<&Value> = japan["fundings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["funder"]["code"])
        .collect();
    assert_eq!(funders, [&json!("JPN")], "{japan}");
}

#[tokio::test]
async fn provenance_filters() {
    let s = TestServer::start().await;
    let partners = all(&s, "partners", "code sources { code } claims { field }").await;
    let cited = |p: &Value, code: &str| {
        p["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["code"] == code)
    };
    for source in ["S3", "P3"] {
        let expected: Vec<String> = partners
            .iter()
            .filter(|p| cited(p, source))
            .map(code_of)
            .collect();
        assert!(!expected.is_empty(), "{source}");
        let filter = format!(r#"{{ sourcedBy: ["{}"] }}"#, source.to_lowercase());
        assert_eq!(codes(&s, "partners", &filter).await, expected, "{source}");
        let filter = format!(r#"{{ sources: {{ some: {{ code: {{ eq: "{source}" }} }} }} }}"#);
        assert_eq!(codes(&s, "partners", &filter).await, expected, "{source}");
    }
    let disputed: Vec<String> = partners
        .iter()
        .filter(|p| !p["claims"].as_array().unwrap().is_empty())
        .map(code_of)
        .collect();
    assert_eq!(codes(&s, "partners", "{ disputed: true }").await, disputed);
    assert_eq!(
        codes(&s, "partners", "{ disputed: false }").await.len() + disputed.len(),
        partners.len()
    );
    let unverified: Vec<String> = partners
        .iter()
        .filter(|p| {
            p["sources"]
                .as_array()
                .unwrap()
                .iter()
                .all(|x| x["code"] == "GK")
        })
        .map(code_of)
        .collect();
    assert_eq!(
        codes(&s, "partners", "{ verified: false }").await,
        unverified
    );
}

#[tokio::test]
async fn a_wrong_filter_is_refused_naming_where() {
    let s = TestServer::start().await;
    for (query, code, message) in [
        (
            r#"{ partners(filter: { fundings: { some: { target: { initiative: { under: "IAI-WP9" } } } } }) { totalCount } }"#,
            "BAD_USER_INPUT",
            r#"filter.fundings.some.target.initiative.under: no initiative "IAI-WP9""#,
        ),
        (
            r#"{ members(filter: { or: [{ clmv: { eq: true } }, { sourcedBy: ["S2", "NOPE"] }] }) { totalCount } }"#,
            "BAD_USER_INPUT",
            r#"filter.or[1].sourcedBy[1]: no source "NOPE""#,
        ),
        (
            r#"{ initiatives(filter: { not: { under: "no such code!" } }) { totalCount } }"#,
            "BAD_USER_INPUT",
            "filter.not.under: ",
        ),
        (
            r#"{ meetings(filter: { year: { eq: "2021" } }) { totalCount } }"#,
            "BAD_USER_INPUT",
            "year",
        ),
    ] {
        let (c, m) = refused(&s, query).await;
        assert_eq!(c, code, "{query}: {m}");
        assert!(m.contains(message), "{query}: {m}");
    }
    let many: Vec<String> = (0..250)
        .map(|i| format!("{{ year: {{ eq: {i} }} }}"))
        .collect();
    let query = format!(
        "{{ meetings(filter: {{ or: [{}] }}) {{ totalCount }} }}",
        many.join(", ")
    );
    let (c, m) = refused(&s, &query).await;
    assert_eq!(c, "QUERY_TOO_COMPLEX", "{m}");
    assert!(
        m.starts_with("filter: 251 conditions; the limit is 200"),
        "{m}"
    );
}

/// A filtered list pages like any other: every item once, in order, forward and back.
#[tokio::test]
async fn a_filtered_list_pages_through_every_item_once() {
    let s = TestServer::start().await;
    let filter = r#"{ code: { startsWith: "MPAC" } }"#;
    let whole = codes(&s, "initiatives", filter).await;
    assert!(whole.len() > 6, "{whole:?}");
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = s
            .post(
                &format!(
                    "query($after: String) {{ initiatives(filter: {filter}, first: 4, after: $after) \
                     {{ totalCount nodes {{ code }} pageInfo {{ hasNextPage endCursor }} }} }}"
                ),
                json!({ "after": after }),
            )
            .await
            .1["data"]["initiatives"]
            .clone();
        assert_eq!(data["totalCount"], whole.len());
        seen.extend(data["nodes"].as_array().unwrap().iter().map(code_of));
        if data["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = data["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, whole);
    let last = s
        .data(&format!(
            "{{ initiatives(filter: {filter}, last: 3) {{ nodes {{ code }} }} }}"
        ))
        .await;
    let tail: Vec<String> = last["initiatives"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(code_of)
        .collect();
    assert_eq!(tail, whole[whole.len() - 3..]);
}

/// The nested connections take `filter:` too, and keep exactly the items of their own
/// unfiltered list that pass.
#[tokio::test]
async fn nested_connections_take_filters_too() {
    let s = TestServer::start().await;
    let data = s
        .data(
            r#"{ initiative(code: "IAI-WP4") {
                 all: fundings(first: 100) { nodes { funder { __typename ... on Partner { code } ... on Member { code } } } }
                 partners: fundings(first: 100, filter: { funder: { type: PARTNER } }) {
                   totalCount nodes { funder { __typename ... on Partner { code } ... on Member { code } } } } }
               body(code: "IAI-TF") {
                 all: meetings(first: 100) { nodes { code startDate } }
                 in2021: meetings(first: 100, filter: { startDate: { gte: "2021-01-01", lte: "2021-12-31" } }) {
                   totalCount nodes { code startDate } } } }"#,
        )
        .await;
    let wp4 = &data["initiative"];
    let expected: Vec<&Value> = wp4["all"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["funder"]["__typename"] == "Partner")
        .collect();
    let got: Vec<&Value> = wp4["partners"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(got, expected, "{data}");
    assert!(!got.is_empty() && got.len() < wp4["all"]["nodes"].as_array().unwrap().len());
    assert_eq!(wp4["partners"]["totalCount"], got.len());
    let body = &data["body"];
    let expected: Vec<&Value> = body["all"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["startDate"].as_str().unwrap().starts_with("2021"))
        .collect();
    let got: Vec<&Value> = body["in2021"]["nodes"].as_array().unwrap().iter().collect();
    assert_eq!(got, expected, "{data}");
    assert!(!got.is_empty());
}

/// A filter whose work outgrows `--max-filter-reads` is refused with QUERY_TOO_COMPLEX, and
/// one within it is answered: no filtered list holds a thread for long.
#[tokio::test]
async fn a_filter_that_reads_too_much_is_refused() {
    use asean_graph::graphql::{Limits, Options};
    use asean_graph::server::Config;
    let s = TestServer::start_with(Config {
        graphql: Options {
            limits: Limits {
                max_filter_reads: 40,
                ..Limits::default()
            },
            ..Options::default()
        },
        rate_limit: 0.0,
        ..Config::default()
    })
    .await;
    // 11 members: one read each.
    let cheap = "{ members(filter: { clmv: { eq: true } }) { totalCount } }";
    assert!(s.post(cheap, json!({})).await.1.get("errors").is_none());
    // 27 partners, each read with its meetings, and then their fundings: past 40.
    let costly = r#"{ partners(filter: { meetings: { every: { fundings: { every: {
        target: { initiative: { under: "IAI" } } } } } } }) { totalCount } }"#;
    let (code, message) = refused(&s, costly).await;
    assert_eq!(code, "QUERY_TOO_COMPLEX", "{message}");
    assert_eq!(
        message,
        "filter needs more than the 40 reads of the store its request may make"
    );
}
