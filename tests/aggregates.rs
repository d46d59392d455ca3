//! `aggregate` and `groupedAggregates` over the bundled data through the real server: each
//! aggregate and group key, `having`, group ordering and `first`, filters honoured, and the
//! errors. Expected answers are computed here from the API's own plain lists wherever they
//! can be, so the tests check the aggregation, not the data; the few sourced figures the
//! issue names (Singapore's 16 IAI projects, Japan's 1) are checked as such.

use crate::common::TestServer;
use crate::common::queries::{all, refused};
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn f64_of(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// The year of a date as the API writes it.
fn year(date: &Value) -> i64 {
    date.as_str().unwrap()[..4].parse().unwrap()
}

/// Funding totals by funder under the IAI, as the report asks: Singapore funds 16 projects
/// (one funding of IAI Work Plan IV), Japan 1.
#[tokio::test]
async fn funding_totals_by_funder_under_the_iai() {
    let s = TestServer::start().await;
    let data = s
        .data(
            r#"{ fundings(filter: { target: { initiative: { under: "IAI" } } }) {
                   totalCount
                   aggregate { count sum { projectCount } }
                   groupedAggregates(groupBy: [FUNDER], orderBy: [{ by: SUM, field: PROJECT_COUNT, direction: DESC }]) {
                     key { funder { ... on Member { name } ... on Partner { name } } }
                     count sum { projectCount }
                   } } }"#,
        )
        .await;
    let f = &data["fundings"];
    let groups: Vec<(String, f64)> = f["groupedAggregates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"]["funder"]["name"].as_str().unwrap().to_owned(),
                g["sum"]["projectCount"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [("Singapore".to_owned(), 16.0), ("Japan".to_owned(), 1.0)],
        "{data}"
    );
    assert_eq!(f["aggregate"]["count"], f["totalCount"]);
    assert_eq!(f["aggregate"]["sum"]["projectCount"], 17.0);
}

/// Every aggregate of the fundings against the plain list.
#[tokio::test]
async fn funding_aggregates_agree_with_the_list() {
    let s = TestServer::start().await;
    let nodes = all(
        &s,
        "fundings",
        "amountUsd projectCount funder { ... on Member { code } ... on Partner { code } }",
    )
    .await;
    let data = s
        .data(
            "{ fundings { aggregate { count distinctCount(field: FUNDER_NAME)
                 sum { amountUsd projectCount } avg { amountUsd projectCount }
                 min { amountUsd projectCount } max { amountUsd projectCount } } } }",
        )
        .await;
    let a = &data["fundings"]["aggregate"];
    assert_eq!(a["count"], nodes.len());
    let counts: Vec<f64> = nodes
        .iter()
        .filter_map(|n| f64_of(&n["projectCount"]))
        .collect();
    assert_eq!(a["sum"]["projectCount"], counts.iter().sum::<f64>());
    assert_eq!(
        a["avg"]["projectCount"],
        counts.iter().sum::<f64>() / counts.len() as f64
    );
    let max = counts.iter().copied().fold(f64::MIN, f64::max);
    let min = counts.iter().copied().fold(f64::MAX, f64::min);
    assert_eq!(a["max"]["projectCount"], max);
    assert_eq!(a["min"]["projectCount"], min);
    let funders: std::collections::BTreeSet<String> = nodes
        .iter()
        .map(|n| n["funder"]["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(a["distinctCount"], funders.len());
    // No bundled funding states an amount: its aggregates are null, not 0.
    assert!(nodes.iter().all(|n| n["amountUsd"].is_null()));
    assert_eq!(a["sum"]["amountUsd"], Value::Null);
    assert_eq!(a["avg"]["amountUsd"], Value::Null);
    assert_eq!(a["min"]["amountUsd"], Value::Null);
}

/// Meetings per body per year, against the plain list counted here.
#[tokio::test]
async fn meetings_per_body_per_year() {
    let s = TestServer::start().await;
    let nodes = all(&s, "meetings", "startDate body { code }").await;
    let mut want: BTreeMap<(String, i64), usize> = BTreeMap::new();
    for n in &nodes {
        let body = n["body"]["code"].as_str().unwrap_or("").to_owned();
        *want.entry((body, year(&n["startDate"]))).or_default() += 1;
    }
    let data = s
        .data(
            "{ meetings { groupedAggregates(groupBy: [BODY, YEAR], first: 1000) {
                 key { body { code } year } count min { startDate } } } }",
        )
        .await;
    let mut got = BTreeMap::new();
    for g in data["meetings"]["groupedAggregates"].as_array().unwrap() {
        let body = g["key"]["body"]["code"].as_str().unwrap_or("").to_owned();
        let year = g["key"]["year"].as_i64().unwrap();
        assert!(
            g["min"]["startDate"]
                .as_str()
                .unwrap()
                .starts_with(&year.to_string())
        );
        got.insert((body, year), g["count"].as_u64().unwrap() as usize);
    }
    assert_eq!(got, want);
}

/// Groups come in the order of their keys by default (records by code); `orderBy` sorts them
/// by count, sum and so on, then by key; `first` takes so many.
#[tokio::test]
async fn groups_ordered_and_cut() {
    let s = TestServer::start().await;
    let groups = |args: &'static str| {
        let s = &s;
        async move {
            let data = s
                .data(&format!(
                    "{{ initiatives {{ groupedAggregates(groupBy: [PARENT] {args}) {{
                         key {{ parent {{ code }} }} count }} }} }}"
                ))
                .await;
            data["initiatives"]["groupedAggregates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| {
                    (
                        g["key"]["parent"]["code"].as_str().map(str::to_owned),
                        g["count"].as_i64().unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let by_key = groups("").await;
    let codes: Vec<_> = by_key.iter().filter_map(|g| g.0.clone()).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "records by code");
    assert_eq!(
        by_key.last().unwrap().0,
        None,
        "the null group (no parent) last"
    );
    let by_count = groups(", orderBy: [{ by: COUNT, direction: DESC }]").await;
    let mut want = by_key.clone();
    want.sort_by_key(|g| std::cmp::Reverse(g.1));
    assert_eq!(by_count, want, "by count, ties by key");
    assert_eq!(
        groups(", orderBy: [{ by: COUNT, direction: DESC }], first: 2").await,
        want[..2]
    );
    let having = groups(", having: { count: { gte: 5 } }").await;
    let want: Vec<_> = by_key.iter().filter(|g| g.1 >= 5).cloned().collect();
    assert_eq!(having, want);
    let having =
        groups(", having: { or: [{ count: { lt: 2 } }, { not: { count: { lt: 9 } } }] }").await;
    let want: Vec<_> = by_key
        .iter()
        .filter(|g| g.1 < 2 || g.1 >= 9)
        .cloned()
        .collect();
    assert_eq!(having, want);
}

/// Partners by standing: each group's count is that standing's list's total.
#[tokio::test]
async fn partners_by_kind_and_status_year() {
    let s = TestServer::start().await;
    let data = s
        .data("{ partners { groupedAggregates(groupBy: [KIND]) { key { kind statusYear } count min { since } } } }")
        .await;
    let groups = data["partners"]["groupedAggregates"].as_array().unwrap();
    assert!(groups.len() >= 3, "{data}");
    for g in groups {
        let kind = g["key"]["kind"].as_str().unwrap();
        assert_eq!(g["key"]["statusYear"], Value::Null, "not grouped by");
        let one = s
            .data(&format!(
                "{{ partners(kind: {kind}) {{ totalCount aggregate {{ min {{ since }} }} }} }}"
            ))
            .await;
        assert_eq!(g["count"], one["partners"]["totalCount"], "{kind}");
        assert_eq!(g["min"], one["partners"]["aggregate"]["min"], "{kind}");
    }
    let nodes = all(&s, "partners", "since").await;
    let data = s
        .data("{ partners { groupedAggregates(groupBy: [STATUS_YEAR], first: 1000) { key { statusYear } count } } }")
        .await;
    let mut want: BTreeMap<Option<i64>, i64> = BTreeMap::new();
    for n in &nodes {
        let year = n["since"].as_str().map(|d| d[..4].parse().unwrap());
        *want.entry(year).or_default() += 1;
    }
    let got: BTreeMap<Option<i64>, i64> = data["partners"]["groupedAggregates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"]["statusYear"].as_i64(),
                g["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want);
}

/// "Under which work plan": the target's ancestor at level 1 of the IAI is a work plan;
/// at level 0 it is the IAI itself.
#[tokio::test]
async fn fundings_by_the_work_plan_they_fall_under() {
    let s = TestServer::start().await;
    let q = |level: u8| {
        format!(
            r#"{{ fundings(filter: {{ target: {{ initiative: {{ under: "IAI" }} }} }}) {{
                 groupedAggregates(groupBy: [TARGET_ANCESTOR], ancestorLevel: {level}) {{
                   key {{ targetAncestor {{ code parent {{ code }} }} }} count }} }} }}"#
        )
    };
    let data = s.data(&q(0)).await;
    let groups = data["fundings"]["groupedAggregates"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{data}");
    assert_eq!(groups[0]["key"]["targetAncestor"]["code"], "IAI");
    let data = s.data(&q(1)).await;
    for g in data["fundings"]["groupedAggregates"].as_array().unwrap() {
        assert_eq!(
            g["key"]["targetAncestor"]["parent"]["code"], "IAI",
            "{data}"
        );
    }
    let data = s.data(&q(9)).await;
    let groups = data["fundings"]["groupedAggregates"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "all above level 9: the null group");
    assert_eq!(groups[0]["key"]["targetAncestor"], Value::Null);
}

/// At every level, each funding counts under the initiative its target's chain of parents
/// passes at that level (the target itself at its own depth; none above it), as read from
/// the API's own `parent` fields. Over a synthetic copy too, whose projects lie two levels
/// down.
#[tokio::test]
async fn fundings_by_ancestor_at_each_level_follow_their_targets_parents() {
    const DEPTH: usize = 6;
    let base = asean_graph::dataset::parse(asean_graph::dataset::BUNDLED.as_bytes()).unwrap();
    let json = asean_graph::dataset::to_json(&asean_graph::dataset::generate(&base, 2, 7));
    let config = asean_graph::server::Config {
        rate_limit: 0.0,
        ..asean_graph::server::Config::default()
    };
    let s = TestServer::start_with_data(config, &json).await;
    let mut chain = String::from("code");
    for _ in 0..DEPTH {
        chain = format!("code parent {{ {chain} }}");
    }
    let fundings = all(
        &s,
        "fundings",
        &format!("target {{ ... on Initiative {{ {chain} }} }}"),
    )
    .await;
    // The way from each target's root down to it (none for a meeting).
    let paths: Vec<Vec<String>> = fundings
        .iter()
        .map(|f| {
            let mut up = Vec::new();
            let mut at = &f["target"];
            while let Some(code) = at["code"].as_str() {
                up.push(code.to_owned());
                at = &at["parent"];
            }
            assert!(up.len() <= DEPTH, "a chain deeper than the test reads");
            up.reverse();
            up
        })
        .collect();
    assert!(
        paths.iter().any(|p| p.len() >= 3) && paths.iter().any(|p| p.len() == 2),
        "the data has deep enough trees"
    );
    for level in 0..4 {
        let mut want: BTreeMap<Option<String>, i64> = BTreeMap::new();
        for path in &paths {
            *want.entry(path.get(level).cloned()).or_default() += 1;
        }
        let data = s
            .data(&format!(
                "{{ fundings {{ groupedAggregates(groupBy: [TARGET_ANCESTOR], ancestorLevel: {level}, first: 1000) {{ key {{ targetAncestor {{ code }} }} count }} }} }}"
            ))
            .await;
        let got: BTreeMap<Option<String>, i64> = data["fundings"]["groupedAggregates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["key"]["targetAncestor"]["code"]
                        .as_str()
                        .map(str::to_owned),
                    g["count"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, want, "level {level}");
    }
}

/// An aggregate honours its connection's filter, nested connections included.
#[tokio::test]
async fn aggregates_honour_filters_and_nesting() {
    let s = TestServer::start().await;
    let data = s
        .data(
            r#"{ meetings(filter: { year: { gte: 2023 } }) { totalCount
                   aggregate { count min { startDate } max { startDate } distinctCount(field: BODY_NAME) } }
                 body(code: "IAI-TF") { meetings { totalCount aggregate { count } } } }"#,
        )
        .await;
    let m = &data["meetings"];
    assert_eq!(m["aggregate"]["count"], m["totalCount"]);
    assert!(m["aggregate"]["min"]["startDate"].as_str().unwrap() >= "2023-01-01");
    let b = &data["body"]["meetings"];
    assert_eq!(b["aggregate"]["count"], b["totalCount"]);
    let bodies = all(&s, "meetings", "startDate body { name }").await;
    let names: std::collections::BTreeSet<&str> = bodies
        .iter()
        .filter(|n| year(&n["startDate"]) >= 2023)
        .filter_map(|n| n["body"]["name"].as_str())
        .collect();
    assert_eq!(m["aggregate"]["distinctCount"], names.len());
}

/// Bad arguments are refused naming what is wrong; too many keys by the limits.
#[tokio::test]
async fn bad_grouping_is_refused_naming_it() {
    let s = TestServer::start().await;
    let cases = [
        ("groupBy: []", "BAD_USER_INPUT", "groupBy: give 1 to 3"),
        (
            "groupBy: [FUNDER, FUNDER]",
            "BAD_USER_INPUT",
            "groupBy[1]: FUNDER is given twice",
        ),
        (
            "groupBy: [FUNDER, FUNDER_KIND, TARGET, YEAR]",
            "QUERY_TOO_COMPLEX",
            "groupBy: 4 keys; the limit is 3",
        ),
        (
            "groupBy: [FUNDER], first: 0",
            "BAD_USER_INPUT",
            "first: 0 is outside 1 to 1000",
        ),
        (
            "groupBy: [FUNDER], orderBy: [{ by: SUM }]",
            "BAD_USER_INPUT",
            "orderBy[0].field: ordering by SUM needs",
        ),
        (
            "groupBy: [TARGET_ANCESTOR], ancestorLevel: -1",
            "BAD_USER_INPUT",
            "ancestorLevel: -1",
        ),
    ];
    for (args, code, message) in cases {
        let (got, text) = refused(
            &s,
            &format!("{{ fundings {{ groupedAggregates({args}) {{ count }} }} }}"),
        )
        .await;
        assert_eq!(got, code, "{args}: {text}");
        assert!(text.contains(message), "{args}: {text}");
    }
}

/// Lists of other kinds aggregate too: a count on every connection, extremes of dates.
#[tokio::test]
async fn every_connection_aggregates() {
    let s = TestServer::start().await;
    let data = s
        .data(
            r#"{ members { totalCount aggregate { count min { joinedOn } } }
               bodies { totalCount aggregate { count distinctCount(field: PILLAR) } }
               people { totalCount aggregate { count } }
               sources { totalCount aggregate { count max { publishedOn } } }
               history(id: "Partner:JPN") { totalCount aggregate { count } } }"#,
        )
        .await;
    for list in ["members", "bodies", "people", "sources", "history"] {
        assert_eq!(
            data[list]["aggregate"]["count"], data[list]["totalCount"],
            "{list}"
        );
    }
    assert_eq!(
        data["members"]["aggregate"]["min"]["joinedOn"],
        "1967-08-08"
    );
}

/// The key of `n` at `path` (`funder.code`) as text, or "" where there is none.
fn at(n: &Value, path: &str) -> String {
    let v = path.split('.').fold(n, |v, p| &v[p]);
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every group key of every grouping list, against the plain list grouped here: the groups'
/// keys and counts must be what the list gives.
#[tokio::test]
async fn every_group_key_agrees_with_the_list() {
    let s = TestServer::start().await;
    // (list, key, the key's selection, the nodes' selection, paths to the key in a node
    // (several, or a list: an item in each group), the key's path in a group).
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static str,
    );
    let cases: [Case; 15] = [
        (
            "fundings",
            "FUNDER",
            "funder { ... on Member { code } ... on Partner { code } }",
            "funder { ... on Member { code } ... on Partner { code } }",
            &["funder.code"],
            "funder.code",
        ),
        (
            "fundings",
            "FUNDER_KIND",
            "funderKind",
            "funder { __typename }",
            &["funder.__typename"],
            "funderKind",
        ),
        (
            "fundings",
            "TARGET",
            "target { ... on Initiative { code } ... on Meeting { code } }",
            "target { ... on Initiative { code } ... on Meeting { code } }",
            &["target.code"],
            "target.code",
        ),
        (
            "fundings",
            "APPROVED_AT",
            "approvedAt { code }",
            "approvedAt { code }",
            &["approvedAt.code"],
            "approvedAt.code",
        ),
        (
            "fundings",
            "YEAR",
            "year",
            "approvedAt { startDate }",
            &["approvedAt.startDate"],
            "year",
        ),
        (
            "meetings",
            "FORMAT",
            "format",
            "format",
            &["format"],
            "format",
        ),
        (
            "meetings",
            "CHAIR",
            "chair { code }",
            "chair { code }",
            &["chair.code"],
            "chair.code",
        ),
        (
            "meetings",
            "BODY",
            "body { code }",
            "body { code }",
            &["body.code"],
            "body.code",
        ),
        ("initiatives", "KIND", "kind", "kind", &["kind"], "kind"),
        (
            "initiatives",
            "LED_BY",
            "ledBy { code }",
            "leadBodies { code }",
            &["leadBodies"],
            "ledBy.code",
        ),
        ("partners", "KIND", "kind", "kind", &["kind"], "kind"),
        (
            "fundings",
            "SOURCE",
            "source { code }",
            "sources { code }",
            &["sources"],
            "source.code",
        ),
        (
            "meetings",
            "SOURCE",
            "source { code }",
            "sources { code }",
            &["sources"],
            "source.code",
        ),
        (
            "initiatives",
            "SOURCE",
            "source { code }",
            "sources { code }",
            &["sources"],
            "source.code",
        ),
        (
            "partners",
            "SOURCE",
            "source { code }",
            "sources { code }",
            &["sources"],
            "source.code",
        ),
    ];
    for (list, key, key_sel, node_sel, node_paths, group_path) in cases {
        let nodes = all(&s, list, node_sel).await;
        let mut want: BTreeMap<String, u64> = BTreeMap::new();
        for n in &nodes {
            let mut keys: Vec<String> = Vec::new();
            for p in node_paths {
                if let Some(list) = n[*p].as_array() {
                    keys.extend(list.iter().map(|b| at(b, "code")));
                } else {
                    keys.push(at(n, p));
                }
            }
            if keys.is_empty() {
                keys.push(String::new());
            }
            for k in keys {
                let k = match key {
                    "FUNDER_KIND" => k.to_uppercase(),
                    "YEAR" if !k.is_empty() => k[..4].to_owned(),
                    _ => k,
                };
                *want.entry(k).or_default() += 1;
            }
        }
        let data = s
            .data(&format!(
                "{{ {list} {{ groupedAggregates(groupBy: [{key}], first: 1000) {{ key {{ {key_sel} }} count }} }} }}"
            ))
            .await;
        let got: BTreeMap<String, u64> = data[list]["groupedAggregates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| (at(&g["key"], group_path), g["count"].as_u64().unwrap()))
            .collect();
        assert_eq!(got, want, "{list} by {key}");
    }
}

/// The fundings list and its aggregates are served from a snapshot the store takes again
/// after each write: a funding added or removed shows in the list, its cursors and its
/// aggregates at once.
#[tokio::test]
async fn a_written_funding_shows_in_the_fundings_snapshot_at_once() {
    use crate::common::Api;
    use crate::common::{EDITOR, TOKENS};
    let s = TestServer::with_tokens(TOKENS).await;
    let api = Api::new(&s.base, &s.client);
    let read = "{ fundings(first: 100) { totalCount edges { cursor }
        aggregate { count sum { projectCount } } } }";
    let before = s.data(read).await;
    let cursor = before["fundings"]["edges"][0]["cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    api.ok(
        Some(EDITOR),
        r#"mutation { addFunding(input: { funder: "Partner:KOR", target: "Initiative:IAI-WP3",
             projectCount: 5, sources: ["S2"] }) { projectCount } }"#,
        json!({}),
    )
    .await;
    let after = s.data(read).await;
    let count = |d: &Value| d["fundings"]["totalCount"].as_u64().unwrap();
    assert_eq!(count(&after), count(&before) + 1);
    assert_eq!(after["fundings"]["aggregate"]["count"], count(&after));
    let sum = |d: &Value| {
        d["fundings"]["aggregate"]["sum"]["projectCount"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(sum(&after), sum(&before) + 5.0);
    // A cursor issued before the write still pages the list.
    let page = s
        .data(&format!(
            r#"{{ fundings(first: 100, after: "{cursor}") {{ totalCount nodes {{ projectCount }} }} }}"#
        ))
        .await;
    assert_eq!(
        page["fundings"]["nodes"].as_array().unwrap().len() as u64,
        count(&after) - 1
    );
    api.ok(
        Some(EDITOR),
        r#"mutation { removeFunding(funder: "Partner:KOR", target: "Initiative:IAI-WP3") }"#,
        json!({}),
    )
    .await;
    assert_eq!(s.data(read).await["fundings"]["totalCount"], count(&before));
}

/// Found by an outside test: `distinctCount` inside each group re-read the whole list from
/// the store for every group. Each group's distinct count must agree with its items.
#[tokio::test]
async fn distinct_counts_within_groups_agree_with_the_list() {
    let s = TestServer::start().await;
    let nodes = all(&s, "initiatives", "name parent { code }").await;
    let mut want: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for n in &nodes {
        want.entry(at(n, "parent.code"))
            .or_default()
            .insert(n["name"].as_str().unwrap().to_lowercase());
    }
    let data = s
        .data(
            "{ initiatives(first: 0) { groupedAggregates(groupBy: [PARENT], first: 1000) {
                 key { parent { code } } distinctCount(field: NAME) } } }",
        )
        .await;
    let got: BTreeMap<String, u64> = data["initiatives"]["groupedAggregates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                at(&g["key"], "parent.code"),
                g["distinctCount"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: BTreeMap<String, u64> = want.into_iter().map(|(k, v)| (k, v.len() as u64)).collect();
    assert_eq!(got, want);
}

/// Found by an outside test: `having` counted each condition twice (each object one more),
/// and its `orderBy` refused too many keys with another code than a list's; groups of a
/// kind without number fields were told to give a `field` they cannot give.
#[tokio::test]
async fn having_and_group_ordering_are_limited_as_filters_and_lists_are() {
    let s = TestServer::start().await;
    let or = |n: usize| {
        let branches: Vec<String> = (0..n)
            .map(|i| format!("{{ count: {{ gt: {i} }} }}"))
            .collect();
        format!(
            "{{ meetings(first: 0) {{ groupedAggregates(groupBy: [YEAR], having: {{ or: [{}] }}) {{ count }} }} }}",
            branches.join(", ")
        )
    };
    let data = s.data(&or(150)).await;
    assert!(data["meetings"]["groupedAggregates"].is_array());
    let (code, message) = refused(&s, &or(200)).await;
    assert_eq!(code, "QUERY_TOO_COMPLEX");
    assert_eq!(message, "having: 201 conditions; the limit is 200");
    let keys = ["{ by: COUNT }"; 6].join(", ");
    let (code, message) = refused(
        &s,
        &format!(
            "{{ meetings {{ groupedAggregates(groupBy: [YEAR], orderBy: [{keys}]) {{ count }} }} }}"
        ),
    )
    .await;
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("BAD_USER_INPUT", "orderBy: 6 keys; give at most 5")
    );
    let (code, message) = refused(
        &s,
        "{ meetings { groupedAggregates(groupBy: [YEAR], orderBy: [{ by: SUM }]) { count } } }",
    )
    .await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(
        message,
        "orderBy[0].by: SUM reads a number field, and these groups have none; order by KEY or COUNT"
    );
}
