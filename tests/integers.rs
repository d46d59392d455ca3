//! Whole numbers end to end, through the real server over HTTP and through import: every
//! integer a client or a file gives is checked against its field's range where it enters
//! (BAD_USER_INPUT naming the field and the range, nothing changed), and nothing is ever
//! served wrapped past GraphQL's 32-bit `Int`.

use crate::common::TestServer;
use crate::common::{Api, snapshot};
use crate::common::{ChildServer, EDITOR, TOKENS};
use asean_graph::dataset::{self, Mode};
use asean_graph::model::Meeting;
use asean_graph::store::Store;
use serde_json::{Value, json};

async fn server() -> (TestServer, Api) {
    let s = TestServer::with_tokens(TOKENS).await;
    let api = Api::new(&s.base, &s.client);
    (s, api)
}

/// Each (query, variables) is refused with BAD_USER_INPUT and exactly `message`, and the
/// graph is as it was.
async fn all_refused(api: &Api, cases: &[(&str, Value)], message: &str) {
    let before = snapshot(api).await;
    for (query, variables) in cases {
        let (code, said) = api.fails(Some(EDITOR), query, variables.clone()).await;
        assert_eq!(code, "BAD_USER_INPUT", "{query} {variables}: {said}");
        assert_eq!(said, message, "{query} {variables}");
    }
    assert_eq!(
        snapshot(api).await,
        before,
        "a refused write changed the graph"
    );
}

const ADD_FUNDING: &str = "mutation($n: Int) { addFunding(input: { funder: \"Partner:KOR\",
    target: \"Initiative:IAI-WP3\", projectCount: $n, sources: [\"S2\"] }) { projectCount } }";
const UPDATE_FUNDING: &str = "mutation($n: Int) { updateFunding(funder: \"Partner:JPN\",
    target: \"Initiative:IAI-WP4\", input: { projectCount: $n }) { projectCount } }";
const CREATE_MEETING: &str = "mutation($n: Int) { createMeeting(input: { code: \"IAI-TF-99\",
    title: \"T\", number: $n, startDate: \"2024-01-01\", sources: [\"P2\"] }) { number } }";
const UPDATE_MEETING: &str =
    "mutation($n: Int) { updateMeeting(code: \"IAI-TF-63\", input: { number: $n }) { number } }";

#[tokio::test]
async fn a_project_count_past_i32_is_refused_not_wrapped() {
    let (_s, api) = server().await;
    let literal = r#"mutation { addFunding(input: { funder: "Partner:KOR",
        target: "Initiative:IAI-WP3", projectCount: 2147483648, sources: ["S2"] }) { projectCount } }"#;
    all_refused(
        &api,
        &[
            (literal, json!({})),
            (ADD_FUNDING, json!({ "n": 2_147_483_648_u64 })),
            (UPDATE_FUNDING, json!({ "n": 2_147_483_648_u64 })),
        ],
        "input.projectCount: 2147483648 is out of range: 0 to 2147483647",
    )
    .await;
}

#[tokio::test]
async fn a_meeting_number_past_i32_is_refused_not_wrapped() {
    let (_s, api) = server().await;
    all_refused(
        &api,
        &[
            (CREATE_MEETING, json!({ "n": 2_147_483_648_u64 })),
            (UPDATE_MEETING, json!({ "n": 2_147_483_648_u64 })),
        ],
        "input.number: 2147483648 is out of range: 1 to 2147483647",
    )
    .await;
}

/// A negative count, number or year was refused by async-graphql's parser as `Failed to
/// parse "Int": Invalid number`, naming neither the field nor what it takes.
#[tokio::test]
async fn a_negative_count_number_or_year_names_the_field_and_the_range() {
    let (_s, api) = server().await;
    all_refused(
        &api,
        &[
            (ADD_FUNDING, json!({ "n": -1 })),
            (UPDATE_FUNDING, json!({ "n": -1 })),
        ],
        "input.projectCount: -1 is out of range: 0 to 2147483647",
    )
    .await;
    all_refused(
        &api,
        &[(UPDATE_MEETING, json!({ "n": 0 }))],
        "input.number: 0 is out of range: 1 to 2147483647",
    )
    .await;
    all_refused(
        &api,
        &[(
            r#"mutation { createInitiative(input: { code: "TI", name: "T", kind: PLAN,
                startYear: -1, sources: ["P2"] }) { id } }"#,
            json!({}),
        )],
        "input.startYear: -1 is out of range: 1900 to 2100",
    )
    .await;
    all_refused(
        &api,
        &[(
            r#"mutation { addChair(body: "IAI-TF", member: "LAO", year: -5, sources: ["P2"]) { year } }"#,
            json!({}),
        )],
        "year: -5 is out of range: 1900 to 2100",
    )
    .await;
}

/// The edges of each range are accepted and served exactly as given.
#[tokio::test]
async fn the_largest_int_is_stored_and_served_as_given() {
    let (_s, api) = server().await;
    let max = i64::from(i32::MAX);
    let added = api.ok(Some(EDITOR), ADD_FUNDING, json!({ "n": max })).await;
    assert_eq!(added["addFunding"]["projectCount"], max);
    let created = api
        .ok(Some(EDITOR), CREATE_MEETING, json!({ "n": max }))
        .await;
    assert_eq!(created["createMeeting"]["number"], max);
    let updated = api
        .ok(Some(EDITOR), UPDATE_FUNDING, json!({ "n": 0 }))
        .await;
    assert_eq!(updated["updateFunding"]["projectCount"], 0);
    let read = api
        .ok(
            None,
            r#"{ meeting(code: "IAI-TF-99") { number }
                 initiative(code: "IAI-WP3") { fundings { nodes { projectCount } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(read["meeting"]["number"], max);
    assert!(
        read["initiative"]["fundings"]["nodes"]
            .as_array()
            .unwrap()
            .contains(&json!({ "projectCount": max })),
        "{read}"
    );
}

/// An import file's integers are checked where import reads them: an imported 4294967295
/// was served as -1.
#[test]
fn an_imported_integer_out_of_range_is_refused_naming_its_path() {
    let bundled: Value = serde_json::from_str(dataset::BUNDLED).unwrap();
    let meeting = bundled["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .position(|m| m["number"].is_number())
        .unwrap();
    let empty = {
        let dir = tempfile::tempdir().unwrap();
        dataset::export(&Store::open(dir.path()).unwrap()).unwrap()
    };
    let cases = [
        (
            "/fundings/0/projectCount".to_owned(),
            json!(4_294_967_295_u64),
            "fundings[0].projectCount: 4294967295 is out of range: 0 to 2147483647".to_owned(),
        ),
        (
            "/fundings/0/projectCount".to_owned(),
            json!(-1),
            "fundings[0].projectCount: -1 is out of range: 0 to 2147483647".to_owned(),
        ),
        (
            format!("/meetings/{meeting}/number"),
            json!(2_147_483_648_u64),
            format!("meetings[{meeting}].number: 2147483648 is out of range: 1 to 2147483647"),
        ),
        (
            "/chairmanships/0/year".to_owned(),
            json!(65_536),
            "chairmanships[0].year: 65536 is out of range: 1900 to 2100".to_owned(),
        ),
        (
            "/initiatives/0/startYear".to_owned(),
            json!(-1),
            "initiatives[0].startYear: -1 is out of range: 1900 to 2100".to_owned(),
        ),
    ];
    for (path, value, message) in cases {
        let mut doc = bundled.clone();
        *doc.pointer_mut(&path).unwrap() = value;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let e = dataset::import(&store, doc.to_string().as_bytes(), Mode::Refuse)
            .unwrap_err()
            .to_string();
        assert!(e.contains(&message), "{path}: import says {e}");
        assert_eq!(
            dataset::export(&store).unwrap(),
            empty,
            "{path}: a refused import left records behind"
        );
    }
}

/// A page size or limit past `Int` was refused by async-graphql's parser as `Failed to parse
/// "Int": Only integers from -2147483648 to 2147483647 are accepted.`, naming no argument.
#[tokio::test]
async fn a_page_size_past_i32_names_the_argument_and_the_range() {
    let s = TestServer::start().await;
    for (query, message) in [
        (
            "{ partners(first: 2147483648) { totalCount } }",
            "first: 2147483648 is more than the largest page, 100; page with `after`",
        ),
        (
            "{ meetings(last: -2147483649) { totalCount } }",
            "last: -2147483649 is negative; give a page size from 0 to 100",
        ),
        (
            r#"{ search(text: "viet", first: 4294967296) { __typename } }"#,
            "first: 4294967296 is outside 0 to 100",
        ),
        (
            "{ changes(first: 2147483648) { seq } }",
            "first: 2147483648 is outside 1 to 500",
        ),
    ] {
        let (_, body) = s.post(query, json!({})).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{query}: {body}"
        );
        assert_eq!(body["errors"][0]["message"], message, "{query}");
    }
}

/// A stored number past `Int` (written around the model's rules, with sled itself) is an
/// error for that field, never a wrapped number: the meeting's 4294967295 was served as -1.
#[tokio::test]
async fn a_stored_number_past_i32_is_an_error_not_a_wrapped_number() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    {
        let store = Store::open(&dir).unwrap();
        dataset::import(&store, dataset::BUNDLED.as_bytes(), Mode::Refuse).unwrap();
    }
    let db = crate::common::sled_open(&dir);
    let meetings = db.open_tree("node/meeting").unwrap();
    let stored = meetings
        .get("IAI-TF-63")
        .unwrap()
        .expect("IAI-TF-63 is stored");
    let config = bincode::config::standard();
    let (mut meeting, _): (Meeting, usize) =
        bincode::serde::decode_from_slice(&stored[1..], config).unwrap();
    meeting.number = Some(4_294_967_295);
    let mut value = vec![stored[0]];
    value.extend(bincode::serde::encode_to_vec(&meeting, config).unwrap());
    meetings.insert("IAI-TF-63", value).unwrap();
    db.flush().unwrap();
    drop((meetings, db));

    let s = ChildServer::start(&dir, None).await;
    let body = s
        .try_post(
            None,
            r#"{ meeting(code: "IAI-TF-63") { code number } }"#,
            json!({}),
        )
        .await
        .unwrap();
    assert_eq!(body["data"]["meeting"]["code"], "IAI-TF-63", "{body}");
    assert_eq!(body["data"]["meeting"]["number"], Value::Null, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INTERNAL",
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["path"],
        json!(["meeting", "number"]),
        "{body}"
    );
}
