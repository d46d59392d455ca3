//! The property behind `filter:`, `orderBy:`, `aggregate` and `groupedAggregates`: random
//! filter trees over meetings (and/or/not, field operators, to-one relations, a quantifier,
//! provenance), a random ordering and random group keys run through the API on a generated
//! store and, independently, by a plain evaluator here over the same dataset file. The two
//! must agree exactly: the same meetings in the same order, the same `totalCount`, the same
//! aggregates and the same groups with the same counts. `PROPTEST_CASES` runs more than the
//! default 64.

use crate::common::TestServer;
use crate::common::fold;
use asean_graph::dataset;
use asean_graph::server::Config;
use proptest::prelude::*;
use proptest::test_runner::{Config as Cases, TestRunner};
use serde_json::{Value, json};
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug)]
enum Op {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::Gt => "gt",
            Op::Gte => "gte",
        }
    }

    /// Whether `value` (None: the field has none) passes against the operand.
    fn passes(self, value: Option<Ordering>) -> bool {
        match (self, value) {
            (Op::Ne, None) => true,
            (_, None) => false,
            (Op::Eq, Some(o)) => o == Ordering::Equal,
            (Op::Ne, Some(o)) => o != Ordering::Equal,
            (Op::Lt, Some(o)) => o == Ordering::Less,
            (Op::Lte, Some(o)) => o != Ordering::Greater,
            (Op::Gt, Some(o)) => o == Ordering::Greater,
            (Op::Gte, Some(o)) => o != Ordering::Less,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Quant {
    Some,
    Every,
    None,
}

/// One condition on a meeting.
#[derive(Clone, Debug)]
enum Atom {
    Year(Op, i64),
    Number(Op, i64),
    NumberIsNull(bool),
    StartDate(Op, String),
    /// `format: { eq: VIRTUAL }`, or `format: { isNull: true }` for `None`.
    Format(Option<&'static str>),
    /// `title: { startsWith }` (true) or `{ contains }`.
    Title(bool, &'static str),
    CodeIn(Vec<String>),
    BodyCode(String),
    ChairClmv(bool),
    SourcedBy(String),
    Disputed(bool),
    /// `fundings: { q: { projectCount: { gt: n } } }`, or `{ q: {} }` without n.
    Fundings(Quant, Option<i64>),
}

#[derive(Clone, Debug)]
enum Tree {
    Atom(Atom),
    And(Vec<Tree>),
    Or(Vec<Tree>),
    Not(Box<Tree>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Eq),
        Just(Op::Ne),
        Just(Op::Lt),
        Just(Op::Lte),
        Just(Op::Gt),
        Just(Op::Gte)
    ]
}

fn quant() -> impl Strategy<Value = Quant> {
    prop_oneof![Just(Quant::Some), Just(Quant::Every), Just(Quant::None)]
}

/// What the generated conditions draw their operands from: values the data holds, and a
/// few it does not.
struct Pool {
    codes: Vec<String>,
    bodies: Vec<String>,
    dates: Vec<String>,
    sources: Vec<String>,
}

fn atom(pool: &Pool) -> impl Strategy<Value = Atom> + use<> {
    let codes = pool.codes.clone();
    let bodies = pool.bodies.clone();
    let dates = pool.dates.clone();
    let sources = pool.sources.clone();
    prop_oneof![
        (op(), 2016i64..2024).prop_map(|(o, y)| Atom::Year(o, y)),
        (op(), 0i64..70).prop_map(|(o, n)| Atom::Number(o, n)),
        any::<bool>().prop_map(Atom::NumberIsNull),
        (op(), prop::sample::select(dates)).prop_map(|(o, d)| Atom::StartDate(o, d)),
        prop_oneof![Just(Some("VIRTUAL")), Just(None)].prop_map(Atom::Format),
        (
            any::<bool>(),
            prop::sample::select(vec![
                "asean", "IAI", "hội", "Summit", "meeting", "task", "zz"
            ])
        )
            .prop_map(|(s, w)| Atom::Title(s, w)),
        prop::collection::vec(prop::sample::select(codes), 0..4).prop_map(Atom::CodeIn),
        prop::sample::select(bodies).prop_map(Atom::BodyCode),
        any::<bool>().prop_map(Atom::ChairClmv),
        prop::sample::select(sources).prop_map(Atom::SourcedBy),
        any::<bool>().prop_map(Atom::Disputed),
        (quant(), prop::option::of(0i64..20)).prop_map(|(q, n)| Atom::Fundings(q, n)),
    ]
}

fn tree(pool: &Pool) -> impl Strategy<Value = Tree> + use<> {
    atom(pool)
        .prop_map(Tree::Atom)
        .prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Tree::And),
                prop::collection::vec(inner.clone(), 0..4).prop_map(Tree::Or),
                inner.prop_map(|t| Tree::Not(Box::new(t))),
            ]
        })
}

fn render_atom(a: &Atom) -> String {
    let quoted = |s: &str| serde_json::to_string(s).unwrap();
    match a {
        Atom::Year(o, y) => format!("{{ year: {{ {}: {y} }} }}", o.name()),
        Atom::Number(o, n) => format!("{{ number: {{ {}: {n} }} }}", o.name()),
        Atom::NumberIsNull(b) => format!("{{ number: {{ isNull: {b} }} }}"),
        Atom::StartDate(o, d) => format!("{{ startDate: {{ {}: {} }} }}", o.name(), quoted(d)),
        Atom::Format(Some(f)) => format!("{{ format: {{ eq: {f} }} }}"),
        Atom::Format(None) => "{ format: { isNull: true } }".into(),
        Atom::Title(true, w) => format!("{{ title: {{ startsWith: {} }} }}", quoted(w)),
        Atom::Title(false, w) => format!("{{ title: {{ contains: {} }} }}", quoted(w)),
        Atom::CodeIn(codes) => {
            let list: Vec<String> = codes.iter().map(|c| quoted(&c.to_lowercase())).collect();
            format!("{{ code: {{ in: [{}] }} }}", list.join(", "))
        }
        Atom::BodyCode(c) => format!("{{ body: {{ code: {{ eq: {} }} }} }}", quoted(c)),
        Atom::ChairClmv(b) => format!("{{ chair: {{ clmv: {{ eq: {b} }} }} }}"),
        Atom::SourcedBy(c) => format!("{{ sourcedBy: [{}] }}", quoted(c)),
        Atom::Disputed(b) => format!("{{ disputed: {b} }}"),
        Atom::Fundings(q, n) => {
            let q = match q {
                Quant::Some => "some",
                Quant::Every => "every",
                Quant::None => "none",
            };
            let inner = n.map_or("{}".to_owned(), |n| {
                format!("{{ projectCount: {{ gt: {n} }} }}")
            });
            format!("{{ fundings: {{ {q}: {inner} }} }}")
        }
    }
}

fn render(t: &Tree) -> String {
    let list = |ts: &[Tree]| ts.iter().map(render).collect::<Vec<_>>().join(", ");
    match t {
        Tree::Atom(a) => render_atom(a),
        Tree::And(ts) => format!("{{ and: [{}] }}", list(ts)),
        Tree::Or(ts) => format!("{{ or: [{}] }}", list(ts)),
        Tree::Not(t) => format!("{{ not: {} }}", render(t)),
    }
}

/// The dataset, as the evaluator reads it.
struct Data {
    doc: Value,
}

impl Data {
    fn clmv(&self, member: &str) -> bool {
        self.doc["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["code"] == member && m["clmv"] == true)
    }

    fn fundings_of(&self, meeting: &str) -> Vec<&Value> {
        let target = format!("Meeting:{meeting}");
        self.doc["fundings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["target"] == target.as_str())
            .collect()
    }

    fn atom(&self, m: &Value, a: &Atom) -> bool {
        let s = |v: &Value| v.as_str().map(str::to_owned);
        let start = m["startDate"].as_str().unwrap();
        match a {
            Atom::Year(o, y) => o.passes(Some(start[..4].parse::<i64>().unwrap().cmp(y))),
            Atom::Number(o, n) => o.passes(m["number"].as_i64().map(|x| x.cmp(n))),
            Atom::NumberIsNull(b) => m["number"].is_null() == *b,
            Atom::StartDate(o, d) => o.passes(Some(start.cmp(d.as_str()))),
            Atom::Format(Some(f)) => m["format"] == *f,
            Atom::Format(None) => m["format"].is_null(),
            Atom::Title(starts, w) => {
                let (title, w) = (fold(m["title"].as_str().unwrap()), fold(w));
                if *starts {
                    title.starts_with(&w)
                } else {
                    title.contains(&w)
                }
            }
            Atom::CodeIn(codes) => codes.iter().any(|c| m["code"] == c.as_str()),
            Atom::BodyCode(c) => s(&m["body"]["code"]).is_some_and(|b| b.eq_ignore_ascii_case(c)),
            Atom::ChairClmv(b) => s(&m["chair"]["code"]).is_some_and(|c| self.clmv(&c) == *b),
            Atom::SourcedBy(c) => m["sources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == c.as_str()),
            Atom::Disputed(b) => m["claims"].as_array().unwrap().is_empty() != *b,
            Atom::Fundings(q, n) => {
                let fundings = self.fundings_of(m["code"].as_str().unwrap());
                let passes = |f: &&Value| {
                    n.is_none_or(|n| f["projectCount"].as_i64().is_some_and(|p| p > n))
                };
                match q {
                    Quant::Some => fundings.iter().any(passes),
                    Quant::Every => fundings.iter().all(passes),
                    Quant::None => !fundings.iter().any(passes),
                }
            }
        }
    }

    fn passes(&self, m: &Value, t: &Tree) -> bool {
        match t {
            Tree::Atom(a) => self.atom(m, a),
            Tree::And(ts) => ts.iter().all(|t| self.passes(m, t)),
            Tree::Or(ts) => ts.iter().any(|t| self.passes(m, t)),
            Tree::Not(t) => !self.passes(m, t),
        }
    }
}

/// A meeting ordering key: its API name, and the value it reads from a meeting of the
/// dataset (None: no value).
#[derive(Clone, Copy, Debug)]
enum SortBy {
    StartDate,
    Number,
    Code,
}

impl SortBy {
    fn name(self) -> &'static str {
        match self {
            SortBy::StartDate => "START_DATE",
            SortBy::Number => "NUMBER",
            SortBy::Code => "CODE",
        }
    }

    fn compare(self, a: &Value, b: &Value) -> Ordering {
        match self {
            SortBy::StartDate => a["startDate"].as_str().cmp(&b["startDate"].as_str()),
            // Nulls last (ascending): `None` sorts first in Rust, so compare flipped options.
            SortBy::Number => match (a["number"].as_i64(), b["number"].as_i64()) {
                (Some(x), Some(y)) => x.cmp(&y),
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
            },
            SortBy::Code => {
                let code = |m: &Value| fold(m["code"].as_str().unwrap());
                code(a).cmp(&code(b))
            }
        }
    }
}

/// A group key of meetings: its API name and its selection in `key`.
const GROUP_KEYS: [(&str, &str); 4] = [
    ("BODY", "body { code }"),
    ("YEAR", "year"),
    ("FORMAT", "format"),
    ("CHAIR", "chair { code }"),
];

/// A group key's value as text ("" for none), from a group's `key` or a dataset meeting.
fn key_text(key: &str, v: &Value) -> String {
    let v = match key {
        "BODY" => &v["body"]["code"],
        "CHAIR" => &v["chair"]["code"],
        "YEAR" if v.get("startDate").is_some() => {
            return v["startDate"].as_str().unwrap()[..4].to_owned();
        }
        "YEAR" => &v["year"],
        _ => &v["format"],
    };
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every meeting code in the API's order, paging through the whole list.
async fn all_codes(s: &TestServer, filter: &str) -> (Vec<String>, u64) {
    ordered_codes(s, filter, "").await
}

/// Every meeting code in the order `order_by` gives, paging through the whole list.
async fn ordered_codes(s: &TestServer, filter: &str, order_by: &str) -> (Vec<String>, u64) {
    let mut codes = Vec::new();
    let mut after = Value::Null;
    loop {
        let query = format!(
            "query($after: String) {{ meetings(filter: {filter}, {order_by} first: 100, after: $after) \
             {{ totalCount nodes {{ code }} pageInfo {{ hasNextPage endCursor }} }} }}"
        );
        let (status, body) = s.post(&query, json!({ "after": after })).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{filter}: {body}");
        let page = &body["data"]["meetings"];
        let total = page["totalCount"].as_u64().unwrap();
        codes.extend(
            page["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["code"].as_str().unwrap().to_owned()),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            return (codes, total);
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

#[test]
fn random_meeting_filters_orderings_and_groupings_agree_with_a_plain_evaluator() {
    let base = dataset::parse(dataset::BUNDLED.as_bytes()).unwrap();
    let doc = dataset::generate(&base, 2, 7);
    let json = serde_json::to_string(&doc).unwrap();
    let data = Data {
        doc: serde_json::to_value(&doc).unwrap(),
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start_with_data(
        Config {
            rate_limit: 0.0,
            ..Config::default()
        },
        &json,
    ));
    // The meetings from the file, in the order the list is in without `orderBy` (by start
    // date, then code): the API's unfiltered list must be exactly that.
    let mut meetings: Vec<&Value> = data.doc["meetings"].as_array().unwrap().iter().collect();
    meetings.sort_by(|a, b| {
        let key = |m: &Value| {
            (
                m["startDate"].as_str().map(str::to_owned),
                m["code"].as_str().map(str::to_owned),
            )
        };
        key(a).cmp(&key(b))
    });
    let (order, total) = runtime.block_on(all_codes(&server, "{}"));
    let in_file: Vec<&str> = meetings
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        order, in_file,
        "the unfiltered list is not the file's meetings by date and code"
    );
    assert_eq!(order.len() as u64, total);
    let strings = |key: &str| -> Vec<String> {
        meetings
            .iter()
            .filter_map(|m| m[key].as_str().map(str::to_owned))
            .collect()
    };
    let mut bodies: Vec<String> = meetings
        .iter()
        .filter_map(|m| m["body"]["code"].as_str().map(str::to_lowercase))
        .collect();
    bodies.push("NOPE-NOT-A-BODY".into());
    let pool = Pool {
        codes: strings("code"),
        bodies,
        dates: strings("startDate"),
        sources: data.doc["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["code"].as_str().unwrap().to_owned())
            .collect(),
    };
    let mut runner = TestRunner::new(Cases {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(64),
        ..Cases::default()
    });
    let sort = prop_oneof![
        Just(SortBy::StartDate),
        Just(SortBy::Number),
        Just(SortBy::Code)
    ];
    let cases = (
        tree(&pool),
        sort,
        any::<bool>(),
        proptest::sample::subsequence(GROUP_KEYS.to_vec(), 1..=2),
    );
    runner
        .run(&cases, |(t, sort, desc, keys)| {
            let filter = render(&t);
            let passing: Vec<&Value> = meetings
                .iter()
                .copied()
                .filter(|m| data.passes(m, &t))
                .collect();
            let expected: Vec<String> = passing
                .iter()
                .map(|m| m["code"].as_str().unwrap().to_owned())
                .collect();
            let (got, total) = runtime.block_on(all_codes(&server, &filter));
            prop_assert_eq!(&got, &expected, "filter: {}", filter);
            prop_assert_eq!(total, expected.len() as u64, "filter: {}", filter);

            // The same list ordered: the key, then the code, ascending whatever the key's way.
            let mut ordered = passing.clone();
            ordered.sort_by(|a, b| {
                let by = sort.compare(a, b);
                let by = if desc { by.reverse() } else { by };
                by.then_with(|| a["code"].as_str().cmp(&b["code"].as_str()))
            });
            let ordered: Vec<String> = ordered
                .iter()
                .map(|m| m["code"].as_str().unwrap().to_owned())
                .collect();
            let direction = if desc { "DESC" } else { "ASC" };
            let order_by = format!(
                "orderBy: [{{ field: {}, direction: {direction} }}],",
                sort.name()
            );
            let (got, _) = runtime.block_on(ordered_codes(&server, &filter, &order_by));
            prop_assert_eq!(&got, &ordered, "filter: {} {}", filter, order_by);

            // Aggregates and groups of the same list.
            let group_by: Vec<&str> = keys.iter().map(|k| k.0).collect();
            let selection: Vec<&str> = keys.iter().map(|k| k.1).collect();
            let query = format!(
                "{{ meetings(filter: {filter}) {{ aggregate {{ count min {{ startDate number }} \
                 max {{ startDate number }} }} groupedAggregates(groupBy: [{}], first: 1000) \
                 {{ key {{ {} }} count max {{ startDate }} }} }} }}",
                group_by.join(", "),
                selection.join(" ")
            );
            let answer = runtime.block_on(server.data(&query));
            let a = &answer["meetings"]["aggregate"];
            prop_assert_eq!(a["count"].as_u64(), Some(expected.len() as u64));
            let dates: Vec<&str> = passing
                .iter()
                .filter_map(|m| m["startDate"].as_str())
                .collect();
            let numbers: Vec<i64> = passing
                .iter()
                .filter_map(|m| m["number"].as_i64())
                .collect();
            prop_assert_eq!(a["min"]["startDate"].as_str(), dates.iter().min().copied());
            prop_assert_eq!(a["max"]["startDate"].as_str(), dates.iter().max().copied());
            prop_assert_eq!(a["min"]["number"].as_i64(), numbers.iter().min().copied());
            prop_assert_eq!(a["max"]["number"].as_i64(), numbers.iter().max().copied());
            let mut want: std::collections::BTreeMap<Vec<String>, (u64, String)> =
                std::collections::BTreeMap::new();
            for m in &passing {
                let key: Vec<String> = group_by.iter().map(|k| key_text(k, m)).collect();
                let entry = want.entry(key).or_insert((0, String::new()));
                entry.0 += 1;
                entry.1 = entry
                    .1
                    .clone()
                    .max(m["startDate"].as_str().unwrap().to_owned());
            }
            let groups = answer["meetings"]["groupedAggregates"].as_array().unwrap();
            let got: std::collections::BTreeMap<Vec<String>, (u64, String)> = groups
                .iter()
                .map(|g| {
                    let key = group_by.iter().map(|k| key_text(k, &g["key"])).collect();
                    let last = g["max"]["startDate"].as_str().unwrap().to_owned();
                    (key, (g["count"].as_u64().unwrap(), last))
                })
                .collect();
            prop_assert_eq!(groups.len(), got.len(), "one group per key");
            prop_assert_eq!(got, want, "{}", query);
            Ok(())
        })
        .unwrap();
}
