//! `orderBy:` on the root lists, over the bundled data through the real server: one test per
//! ordering field, several keys, direction, nulls, with `filter:`, pagination forwards and
//! backwards, cursors tied to their ordering, and the limits. Expected orders are computed
//! here from the API's own unordered lists (sorted by the values the API serves), so the
//! tests check the ordering, not the data.

use crate::common::TestServer;
use crate::common::fold;
use crate::common::queries::{all, refused};
use serde_json::Value;
use std::cmp::Ordering;

/// How the API orders two values of one field ascending: numbers by value, text folded
/// (case and diacritics aside), dates as ISO text, enums by name; nulls last.
fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (Value::Number(x), Value::Number(y)) => x.as_f64().unwrap().total_cmp(&y.as_f64().unwrap()),
        (Value::String(x), Value::String(y)) => fold(x).cmp(&fold(y)),
        _ => panic!("cannot compare {a} and {b}"),
    }
}

/// A sort key as the test reads it from a node: its value, and whether descending.
type Key = fn(&Value) -> Value;

/// Every node of `list` under `args` (an `orderBy:` and perhaps a `filter:`), one page.
async fn listed(s: &TestServer, list: &str, args: &str, fields: &str) -> Vec<Value> {
    let data = s
        .data(&format!(
            "query Ordered {{ {list}({args} first: 100) {{ totalCount nodes {{ {fields} }} }} }}"
        ))
        .await;
    let nodes = data[list]["nodes"].as_array().unwrap().clone();
    assert_eq!(data[list]["totalCount"], nodes.len(), "one page holds all");
    nodes
}

/// `nodes` sorted by `keys` (each with its direction), then by code where `by_code` (the
/// records' tie-break; fundings keep their own order, funder then target, as theirs).
fn sorted(mut nodes: Vec<Value>, keys: &[(Key, bool)], by_code: bool) -> Vec<Value> {
    nodes.sort_by(|a, b| {
        let mut o = Ordering::Equal;
        for (key, desc) in keys {
            let c = compare(&key(a), &key(b));
            o = o.then(if *desc { c.reverse() } else { c });
        }
        if by_code {
            o = o.then_with(|| a["code"].as_str().cmp(&b["code"].as_str()));
        }
        o
    });
    nodes
}

/// Checks that `list(orderBy: order_by)` is the unordered list sorted by `keys`, and that
/// the ordering is not vacuous (the first key's values differ somewhere). Returns the
/// ordered nodes.
async fn check(
    list: &str,
    order_by: &str,
    fields: &str,
    keys: &[(Key, bool)],
    by_code: bool,
) -> Vec<Value> {
    let got = check_any(list, order_by, fields, keys, by_code).await;
    let (first, _) = keys[0];
    let distinct: std::collections::BTreeSet<String> =
        got.iter().map(|n| first(n).to_string()).collect();
    assert!(
        distinct.len() > 1,
        "{list}: the bundled data has one value only"
    );
    got
}

/// [`check`], for a first key whose values the bundled data may not vary.
async fn check_any(
    list: &str,
    order_by: &str,
    fields: &str,
    keys: &[(Key, bool)],
    by_code: bool,
) -> Vec<Value> {
    let s = TestServer::start().await;
    let want = sorted(all(&s, list, fields).await, keys, by_code);
    let got = listed(&s, list, &format!("orderBy: {order_by},"), fields).await;
    assert_eq!(got, want, "{list}(orderBy: {order_by})");
    got
}

fn code(n: &Value) -> Value {
    n["code"].clone()
}
fn name(n: &Value) -> Value {
    n["name"].clone()
}
fn title(n: &Value) -> Value {
    n["title"].clone()
}
fn kind(n: &Value) -> Value {
    n["kind"].clone()
}
fn fundings_count(n: &Value) -> Value {
    n["fundings"]["totalCount"].clone()
}

// Member states.

#[tokio::test]
async fn members_by_code_descending() {
    check(
        "members",
        "[{ field: CODE, direction: DESC }]",
        "code",
        &[(code, true)],
        true,
    )
    .await;
}

#[tokio::test]
async fn members_by_name() {
    let got = check(
        "members",
        "[{ field: NAME }]",
        "code name",
        &[(name, false)],
        true,
    )
    .await;
    assert_eq!(got[0]["name"], "Brunei Darussalam");
}

#[tokio::test]
async fn members_by_joined_on_newest_first() {
    let joined: Key = |n| n["joinedOn"].clone();
    check(
        "members",
        "[{ field: JOINED_ON, direction: DESC }]",
        "code joinedOn",
        &[(joined, true)],
        true,
    )
    .await;
}

#[tokio::test]
async fn members_by_fundings_count() {
    check(
        "members",
        "[{ field: FUNDINGS_COUNT, direction: DESC }, { field: NAME }]",
        "code name fundings { totalCount }",
        &[(fundings_count, true), (name, false)],
        true,
    )
    .await;
}

// Partners.

#[tokio::test]
async fn partners_by_name() {
    check(
        "partners",
        "[{ field: NAME }]",
        "code name",
        &[(name, false)],
        true,
    )
    .await;
}

#[tokio::test]
async fn partners_by_code_descending() {
    check(
        "partners",
        "[{ field: CODE, direction: DESC }]",
        "code",
        &[(code, true)],
        true,
    )
    .await;
}

#[tokio::test]
async fn partners_by_kind_then_name() {
    check(
        "partners",
        "[{ field: KIND }, { field: NAME }]",
        "code kind name",
        &[(kind, false), (name, false)],
        true,
    )
    .await;
}

#[tokio::test]
async fn partners_by_since_with_nulls_first_descending() {
    let since: Key = |n| n["since"].clone();
    let got = check(
        "partners",
        "[{ field: SINCE, direction: DESC }]",
        "code since",
        &[(since, true)],
        true,
    )
    .await;
    // Descending puts the partners without a status first, if there are any.
    let nulls = got.iter().take_while(|n| n["since"].is_null()).count();
    assert!(got[nulls..].iter().all(|n| !n["since"].is_null()));
}

/// The issue's example: who funds most, first.
#[tokio::test]
async fn partners_by_fundings_count_most_first() {
    let got = check(
        "partners",
        "[{ field: FUNDINGS_COUNT, direction: DESC }]",
        "code fundings { totalCount }",
        &[(fundings_count, true)],
        true,
    )
    .await;
    assert!(got[0]["fundings"]["totalCount"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn partners_by_meetings_count() {
    let meetings: Key = |n| n["meetings"]["totalCount"].clone();
    check(
        "partners",
        "[{ field: MEETINGS_COUNT, direction: DESC }]",
        "code meetings { totalCount }",
        &[(meetings, true)],
        true,
    )
    .await;
}

// Bodies.

#[tokio::test]
async fn bodies_by_code_descending() {
    check(
        "bodies",
        "[{ field: CODE, direction: DESC }]",
        "code",
        &[(code, true)],
        true,
    )
    .await;
}

#[tokio::test]
async fn bodies_by_name() {
    check(
        "bodies",
        "[{ field: NAME }]",
        "code name",
        &[(name, false)],
        true,
    )
    .await;
}

#[tokio::test]
async fn bodies_by_pillar_nulls_last() {
    let pillar: Key = |n| n["pillar"].clone();
    let got = check(
        "bodies",
        "[{ field: PILLAR }]",
        "code pillar",
        &[(pillar, false)],
        true,
    )
    .await;
    let valued = got.iter().take_while(|n| !n["pillar"].is_null()).count();
    assert!(got[valued..].iter().all(|n| n["pillar"].is_null()));
}

// Meetings.

#[tokio::test]
async fn meetings_by_start_date_newest_first() {
    let start: Key = |n| n["startDate"].clone();
    check(
        "meetings",
        "[{ field: START_DATE, direction: DESC }]",
        "code startDate",
        &[(start, true)],
        true,
    )
    .await;
}

#[tokio::test]
async fn meetings_by_code() {
    check(
        "meetings",
        "[{ field: CODE }]",
        "code",
        &[(code, false)],
        true,
    )
    .await;
}

#[tokio::test]
async fn meetings_by_title() {
    check(
        "meetings",
        "[{ field: TITLE }]",
        "code title",
        &[(title, false)],
        true,
    )
    .await;
}

#[tokio::test]
async fn meetings_by_number() {
    let number: Key = |n| n["number"].clone();
    check(
        "meetings",
        "[{ field: NUMBER, direction: DESC }]",
        "code number",
        &[(number, true)],
        true,
    )
    .await;
}

/// A to-one relation's field: the name of the body that held the meeting.
#[tokio::test]
async fn meetings_by_body_name_then_date() {
    let body: Key = |n| n["body"]["name"].clone();
    let start: Key = |n| n["startDate"].clone();
    check(
        "meetings",
        "[{ field: BODY_NAME }, { field: START_DATE }]",
        "code startDate body { name }",
        &[(body, false), (start, false)],
        true,
    )
    .await;
}

// Initiatives.

#[tokio::test]
async fn initiatives_by_code_descending() {
    check(
        "initiatives",
        "[{ field: CODE, direction: DESC }]",
        "code",
        &[(code, true)],
        true,
    )
    .await;
}

#[tokio::test]
async fn initiatives_by_name() {
    check(
        "initiatives",
        "[{ field: NAME }]",
        "code name",
        &[(name, false)],
        true,
    )
    .await;
}

#[tokio::test]
async fn initiatives_by_kind() {
    check(
        "initiatives",
        "[{ field: KIND }]",
        "code kind",
        &[(kind, false)],
        true,
    )
    .await;
}

#[tokio::test]
async fn initiatives_by_start_year() {
    let year: Key = |n| n["startYear"].clone();
    check(
        "initiatives",
        "[{ field: START_YEAR }]",
        "code startYear",
        &[(year, false)],
        true,
    )
    .await;
}

#[tokio::test]
async fn initiatives_by_fundings_count() {
    check(
        "initiatives",
        "[{ field: FUNDINGS_COUNT, direction: DESC }]",
        "code fundings { totalCount }",
        &[(fundings_count, true)],
        true,
    )
    .await;
}

// Fundings: their own order (funder, then target) breaks ties.

const FUNDING: &str = "funder { ... on Member { name } ... on Partner { name } } \
    target { ... on Initiative { name } ... on Meeting { title } } \
    amountUsd projectCount approvedAt { startDate }";

/// A to-one relation's field: the issue's example.
#[tokio::test]
async fn fundings_by_funder_name() {
    let funder: Key = |n| n["funder"]["name"].clone();
    check(
        "fundings",
        "[{ field: FUNDER_NAME, direction: DESC }]",
        FUNDING,
        &[(funder, true)],
        false,
    )
    .await;
}

#[tokio::test]
async fn fundings_by_target_name() {
    let target: Key = |n| {
        let t = &n["target"];
        if t["name"].is_null() {
            t["title"].clone()
        } else {
            t["name"].clone()
        }
    };
    check(
        "fundings",
        "[{ field: TARGET_NAME }]",
        FUNDING,
        &[(target, false)],
        false,
    )
    .await;
}

/// The bundled fundings give no amounts: two are added, so that amounts differ.
#[tokio::test]
async fn fundings_by_amount() {
    let (s, api) = crate::common::server().await;
    for (funder, amount) in [("Partner:KOR", 1_500_000), ("Member:VNM", 250_000)] {
        api.ok(
            Some(crate::common::EDITOR),
            &format!(
                "mutation AddFunding {{ addFunding(input: {{ funder: \"{funder}\",
                   target: \"Initiative:IAI-WP3\", amountUsd: {amount}, sources: [\"S2\"] }})
                   {{ amountUsd }} }}"
            ),
            serde_json::json!({}),
        )
        .await;
    }
    let amount: Key = |n| n["amountUsd"].clone();
    let want = sorted(all(&s, "fundings", FUNDING).await, &[(amount, true)], false);
    let got = listed(
        &s,
        "fundings",
        "orderBy: [{ field: AMOUNT_USD, direction: DESC }],",
        FUNDING,
    )
    .await;
    assert_eq!(got, want);
    // Descending: the fundings without an amount first, then the largest.
    let amounts: Vec<Option<f64>> = got.iter().map(|n| n["amountUsd"].as_f64()).collect();
    assert_eq!(
        amounts,
        [None, None, None, Some(1_500_000.0), Some(250_000.0)]
    );
}

#[tokio::test]
async fn fundings_by_project_count() {
    let projects: Key = |n| n["projectCount"].clone();
    let target: Key = |n| n["target"]["name"].clone();
    // Few fundings give a project count: the target's name decides among the rest.
    check_any(
        "fundings",
        "[{ field: PROJECT_COUNT }, { field: TARGET_NAME }]",
        FUNDING,
        &[(projects, false), (target, false)],
        false,
    )
    .await;
}

#[tokio::test]
async fn fundings_by_approval_date() {
    let approved: Key = |n| n["approvedAt"]["startDate"].clone();
    check_any(
        "fundings",
        "[{ field: APPROVED_AT, direction: DESC }]",
        FUNDING,
        &[(approved, true)],
        false,
    )
    .await;
}

#[tokio::test]
async fn people_by_code_descending() {
    check(
        "people",
        "[{ field: CODE, direction: DESC }]",
        "code",
        &[(code, true)],
        true,
    )
    .await;
}

#[tokio::test]
async fn people_by_name() {
    check(
        "people",
        "[{ field: NAME }]",
        "code name",
        &[(name, false)],
        true,
    )
    .await;
}

#[tokio::test]
async fn sources_by_code_descending() {
    check(
        "sources",
        "[{ field: CODE, direction: DESC }]",
        "code",
        &[(code, true)],
        true,
    )
    .await;
}

#[tokio::test]
async fn sources_by_title() {
    check(
        "sources",
        "[{ field: TITLE }]",
        "code title",
        &[(title, false)],
        true,
    )
    .await;
}

#[tokio::test]
async fn sources_by_published_on() {
    let published: Key = |n| n["publishedOn"].clone();
    check(
        "sources",
        "[{ field: PUBLISHED_ON, direction: DESC }, { field: TITLE }]",
        "code publishedOn title",
        &[(published, true), (title, false)],
        true,
    )
    .await;
}

// Together with filters, lists' own arguments, pagination, cursors, limits.

#[tokio::test]
async fn the_filter_applies_before_the_ordering() {
    let s = TestServer::start().await;
    let filter = "filter: { kind: { eq: DIALOGUE_PARTNER } },";
    let kept = listed(&s, "partners", filter, "code name").await;
    let want = sorted(kept, &[(name, true)], true);
    let args = format!("{filter} orderBy: [{{ field: NAME, direction: DESC }}],");
    assert_eq!(listed(&s, "partners", &args, "code name").await, want);
    let got = listed(
        &s,
        "meetings",
        r#"body: "IAI-TF", orderBy: [{ field: NUMBER, direction: DESC }],"#,
        "code number",
    )
    .await;
    let by_body = listed(&s, "meetings", r#"body: "IAI-TF","#, "code number").await;
    let number: Key = |n| n["number"].clone();
    assert_eq!(got, sorted(by_body, &[(number, true)], true));
}

/// The codes of every page of `list(args)`, walked forwards with `first: n` or backwards
/// with `last: n`.
async fn walk(s: &TestServer, list: &str, args: &str, n: usize, forwards: bool) -> Vec<String> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..200 {
        let (size, at) = if forwards {
            ("first", "after")
        } else {
            ("last", "before")
        };
        let position = cursor
            .as_ref()
            .map_or(String::new(), |c| format!("{at}: \"{c}\","));
        let data = s
            .data(&format!(
                "query Walk {{ {list}({args} {size}: {n}, {position}) {{
                   edges {{ cursor node {{ code }} }}
                   pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"
            ))
            .await;
        let page = &data[list];
        let codes = page["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["code"].as_str().unwrap().to_owned())
            .collect();
        out.push(codes);
        let (more, next) = if forwards {
            ("hasNextPage", "endCursor")
        } else {
            ("hasPreviousPage", "startCursor")
        };
        if page["pageInfo"][more] != true {
            if !forwards {
                out.reverse();
            }
            return out.concat();
        }
        cursor = Some(page["pageInfo"][next].as_str().unwrap().to_owned());
    }
    panic!("{list}({args}): no last page");
}

#[tokio::test]
async fn pagination_with_order_by_visits_every_item_exactly_once_both_ways() {
    let s = TestServer::start().await;
    for (list, args) in [
        (
            "partners",
            "orderBy: [{ field: FUNDINGS_COUNT, direction: DESC }],",
        ),
        (
            "partners",
            "orderBy: [{ field: KIND }, { field: SINCE, direction: DESC }],",
        ),
        (
            "meetings",
            "orderBy: [{ field: BODY_NAME }, { field: NUMBER }],",
        ),
        (
            "initiatives",
            "orderBy: [{ field: KIND, direction: DESC }, { field: START_YEAR }],",
        ),
        ("sources", "orderBy: [{ field: PUBLISHED_ON }],"),
        (
            "bodies",
            r#"filter: { name: { contains: "a" } }, orderBy: [{ field: PILLAR }],"#,
        ),
    ] {
        let whole: Vec<String> = listed(&s, list, args, "code")
            .await
            .iter()
            .map(|n| n["code"].as_str().unwrap().to_owned())
            .collect();
        let unique: std::collections::BTreeSet<&String> = whole.iter().collect();
        assert_eq!(unique.len(), whole.len(), "{list}({args}): each once");
        for n in [1, 4, 7] {
            assert_eq!(
                walk(&s, list, args, n, true).await,
                whole,
                "{list}({args}) first: {n}"
            );
            assert_eq!(
                walk(&s, list, args, n, false).await,
                whole,
                "{list}({args}) last: {n}"
            );
        }
    }
}

async fn end_cursor(s: &TestServer, args: &str) -> String {
    let data = s
        .data(&format!(
            "query Cursor {{ partners({args} first: 2) {{ pageInfo {{ endCursor }} }} }}"
        ))
        .await;
    data["partners"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_cursor_belongs_to_its_ordering() {
    let s = TestServer::start().await;
    let by_name = "orderBy: [{ field: NAME }],";
    let by_name_desc = "orderBy: [{ field: NAME, direction: DESC }],";
    let plain = end_cursor(&s, "").await;
    let named = end_cursor(&s, by_name).await;
    for (cursor, args) in [
        (&plain, by_name),
        (&named, ""),
        (&named, by_name_desc),
        (&named, "orderBy: [{ field: NAME }, { field: KIND }],"),
    ] {
        let (code, message) = refused(
            &s,
            &format!("query Mixed {{ partners({args} first: 2, after: \"{cursor}\") {{ nodes {{ code }} }} }}"),
        )
        .await;
        assert_eq!(code, "BAD_USER_INPUT", "{args}: {message}");
        assert!(message.contains("not a cursor of this list"), "{message}");
    }
    // The same ordering takes its cursors back; an empty orderBy is the list's own order.
    s.data(&format!(
        "query Same {{ partners({by_name} after: \"{named}\") {{ nodes {{ code }} }} }}"
    ))
    .await;
    assert_eq!(end_cursor(&s, "orderBy: [],").await, plain);
}

#[tokio::test]
async fn an_empty_order_by_is_the_default_order_and_too_many_keys_are_refused() {
    let s = TestServer::start().await;
    assert_eq!(
        listed(&s, "meetings", "orderBy: [],", "code").await,
        all(&s, "meetings", "code").await
    );
    let six = ["{ field: NAME }"; 6].join(", ");
    let (code, message) = refused(
        &s,
        &format!("query TooMany {{ partners(orderBy: [{six}]) {{ nodes {{ code }} }} }}"),
    )
    .await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("at most 5"), "{message}");
}

/// The nested connections take `orderBy:` too: a body's meetings newest first, and a work
/// plan's fundings by funder name, each the API's own unordered list sorted here.
#[tokio::test]
async fn nested_connections_take_order_by_too() {
    let s = TestServer::start().await;
    let data = s
        .data(
            r#"{ body(code: "IAI-TF") {
                 all: meetings(first: 100) { nodes { code startDate } }
                 newest: meetings(first: 100, orderBy: [{ field: START_DATE, direction: DESC }]) {
                   nodes { code startDate } } }
               initiative(code: "IAI-WP4") {
                 all: fundings(first: 100) { nodes { funder { ... on Member { name } ... on Partner { name } } } }
                 byFunder: fundings(first: 100, orderBy: [{ field: FUNDER_NAME, direction: DESC }]) {
                   nodes { funder { ... on Member { name } ... on Partner { name } } } } } }"#,
        )
        .await;
    let mut expected = data["body"]["all"]["nodes"].as_array().unwrap().clone();
    assert!(expected.len() > 2, "{data}");
    expected.sort_by(|a, b| {
        b["startDate"]
            .as_str()
            .cmp(&a["startDate"].as_str())
            .then_with(|| a["code"].as_str().cmp(&b["code"].as_str()))
    });
    assert_eq!(data["body"]["newest"]["nodes"], Value::Array(expected));
    let funder = |n: &Value| fold(n["funder"]["name"].as_str().unwrap());
    let mut expected = data["initiative"]["all"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert!(expected.len() > 1, "{data}");
    expected.sort_by_key(|n| std::cmp::Reverse(funder(n)));
    assert_eq!(
        data["initiative"]["byFunder"]["nodes"],
        Value::Array(expected)
    );
}
