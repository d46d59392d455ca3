//! Bad input to writes, through the real server over HTTP: every class of it gets its code
//! and a message naming the field, and changes nothing; deletes refused while anything
//! refers to the record; import and mutations share rules and messages.

use crate::common::{ADMIN, EDITOR};
use crate::common::{FUNDING_FIELDS, PARTY, assert_logged, ids, server, snapshot, whole_history};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// A write that must fail: its code, and words its message must hold (the field, the value).
struct Bad {
    query: &'static str,
    variables: Value,
    code: &'static str,
    says: &'static [&'static str],
}

fn bad(
    query: &'static str,
    variables: Value,
    code: &'static str,
    says: &'static [&'static str],
) -> Bad {
    Bad {
        query,
        variables,
        code,
        says,
    }
}

const CREATE_MEETING: &str =
    "mutation($input: MeetingInput!) { createMeeting(input: $input) { id } }";
const CREATE_MEMBER: &str = "mutation($input: MemberInput!) { createMember(input: $input) { id } }";
const ADD_FUNDING: &str =
    "mutation($input: FundingInput!) { addFunding(input: $input) { amountUsd } }";

fn meeting(start: &str, end: Option<&str>) -> Value {
    json!({ "input": { "code": "TB-9", "title": "Test", "startDate": start, "endDate": end, "sources": ["P2"] } })
}

fn funding(funder: &str, target: &str, amount: f64, approved_at: Option<&str>) -> Value {
    json!({ "input": { "funder": funder, "target": target, "amountUsd": amount,
        "approvedAt": approved_at, "sources": ["S2"] } })
}

fn bad_inputs() -> Vec<Bad> {
    vec![
        // Bad dates: a variable and a literal.
        // (That their messages name the field is `bad_scalar_values_are_named_by_their_field`.)
        bad(
            CREATE_MEETING,
            meeting("2021-02-30", None),
            "BAD_USER_INPUT",
            &["2021-02-30"],
        ),
        bad(
            r#"mutation { updateMeeting(code: "IAI-TF-63", input: { endDate: "2021-13-01" }) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["2021-13-01"],
        ),
        bad(
            "mutation($from: Date!) { removePartnerStatus(partner: \"GBR\", from: $from) { code } }",
            json!({ "from": "yesterday" }),
            "BAD_USER_INPUT",
            &["yesterday"],
        ),
        // End before start.
        bad(
            CREATE_MEETING,
            meeting("2021-03-25", Some("2021-03-24")),
            "BAD_USER_INPUT",
            &["endDate", "startDate"],
        ),
        bad(
            r#"mutation { updateMeeting(code: "IAI-TF-63", input: { endDate: "2021-03-24" }) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["endDate", "2021-03-24"],
        ),
        bad(
            r#"mutation { createInitiative(input: { code: "TI", name: "T", kind: PLAN, startYear: 2025, endYear: 2020, sources: ["P2"] }) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["endYear", "startYear"],
        ),
        bad(
            r#"mutation { addPartnerStatus(partner: "GBR", input: { kind: DIALOGUE_PARTNER, from: "2030-01-01", to: "2029-01-01", sources: ["P2"] }) { code } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["to", "2029-01-01"],
        ),
        // Unknown enum values: a variable and a literal, rejected by GraphQL validation.
        bad(
            "mutation($input: BodyInput!) { createBody(input: $input) { id } }",
            json!({ "input": { "code": "TB", "name": "T", "pillar": "MILITARY", "sources": ["P2"] } }),
            "BAD_USER_INPUT",
            &["MILITARY", "pillar"],
        ),
        bad(
            r#"mutation { link(kind: FRIEND_OF, from: "Body:IAI-TF", to: "Body:ACC", sources: ["P2"]) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["FRIEND_OF", "kind"],
        ),
        // Negative amounts and counts.
        bad(
            ADD_FUNDING,
            funding("Partner:KOR", "Initiative:IAI-WP3", -5.0, None),
            "BAD_USER_INPUT",
            &["amountUsd", "-5"],
        ),
        bad(
            r#"mutation { updateFunding(funder: "Partner:JPN", target: "Initiative:IAI-WP4", input: { amountUsd: -1 }) { amountUsd } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["amountUsd", "-1"],
        ),
        bad(
            r#"mutation { addFunding(input: { funder: "Partner:KOR", target: "Initiative:IAI-WP3", projectCount: -2, sources: ["S2"] }) { amountUsd } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["input.projectCount", "-2", "0 to 2147483647"],
        ),
        bad(
            r#"mutation { addChair(body: "IAI-TF", member: "LAO", year: -5, sources: ["P2"]) { year } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["year", "-5", "1900 to 2100"],
        ),
        // Other rules of the model.
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "XTM", "name": "  ", "sources": ["P2"] } }),
            "BAD_USER_INPUT",
            &["name", "empty"],
        ),
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "not a code!", "name": "X", "sources": ["P2"] } }),
            "BAD_USER_INPUT",
            &["code", "not a code!"],
        ),
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "XTM", "name": "X", "sources": [] } }),
            "BAD_USER_INPUT",
            &["sources"],
        ),
        bad(
            r#"mutation { createSource(input: { code: "TSRC", title: "T", url: "ftp://example.org" }) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["url", "ftp://example.org"],
        ),
        bad(
            r#"mutation { addChair(body: "IAI-TF", member: "LAO", year: 1800, sources: ["P2"]) { year } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["year", "1800"],
        ),
        bad(
            r#"mutation { link(kind: HELD_BY, from: "Member:VNM", to: "Body:ACC", sources: ["P2"]) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["from", "Member:VNM"],
        ),
        bad(
            r#"mutation { link(kind: REPORTS_TO, from: "Body:IAI-TF", to: "Body:IAI-TF", sources: ["P2"]) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["Body:IAI-TF"],
        ),
        bad(
            r#"mutation { updateMember(code: "VNM", input: { sources: [] }) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["sources", "at least one"],
        ),
        bad(
            r#"mutation { link(kind: PART_OF, from: "Initiative:IAI", to: "Initiative:IAI-WP4", sources: ["P2"]) { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["cycle", "IAI-WP4"],
        ),
        bad(
            r#"mutation { addSource(id: "Source:P2", source: "P3") { id } }"#,
            json!({}),
            "BAD_USER_INPUT",
            &["id", "Source:P2"],
        ),
        // Unknown references.
        bad(
            r#"mutation { addFigure(initiative: "IAI-WP4", input: { label: "x", value: 1, source: "NOPE-SRC" }) { code } }"#,
            json!({}),
            "NOT_FOUND",
            &["NOPE-SRC"],
        ),
        bad(
            r#"mutation { addClaim(id: "Body:ACC", input: { field: "x", value: "v", source: "NOPE-SRC" }) { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["NOPE-SRC"],
        ),
        bad(
            r#"mutation { addSource(id: "Member:VNM", source: "NOPE-SRC") { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["NOPE-SRC"],
        ),
        bad(
            r#"mutation { addChair(body: "IAI-TF", member: "LAO", year: 2099, sources: ["NOPE-SRC"]) { year } }"#,
            json!({}),
            "NOT_FOUND",
            &["sources", "NOPE-SRC"],
        ),
        bad(
            r#"mutation { updateFunding(funder: "Partner:JPN", target: "Initiative:IAI-WP4", input: { approvedAt: "NOPE-1" }) { amountUsd } }"#,
            json!({}),
            "NOT_FOUND",
            &["approvedAt", "NOPE-1"],
        ),
        bad(
            r#"mutation { removeSource(id: "Partner:GBR", source: "P7") { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["P7"],
        ),
        bad(
            r#"mutation { removeClaim(id: "Partner:GBR", field: "name", source: "P7") { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["P7"],
        ),
        bad(
            r#"mutation { removeFigure(initiative: "IAI-WP4", label: "no such figure") { code } }"#,
            json!({}),
            "NOT_FOUND",
            &["no such figure"],
        ),
        bad(
            r#"mutation { removePartnerStatus(partner: "GBR", from: "1900-01-01") { code } }"#,
            json!({}),
            "NOT_FOUND",
            &["1900-01-01"],
        ),
        bad(
            r#"mutation { removeParticipant(meeting: "IAI-TF-63", party: "Partner:KOR") }"#,
            json!({}),
            "NOT_FOUND",
            &["Partner:KOR"],
        ),
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "XTM", "name": "X", "sources": ["NOPE-SRC"] } }),
            "NOT_FOUND",
            &["sources", "NOPE-SRC"],
        ),
        bad(
            ADD_FUNDING,
            funding("Partner:NOPE", "Initiative:IAI-WP3", 5.0, None),
            "NOT_FOUND",
            &["NOPE"],
        ),
        bad(
            ADD_FUNDING,
            funding("Partner:KOR", "Initiative:NOPE-INIT", 5.0, None),
            "NOT_FOUND",
            &["NOPE-INIT"],
        ),
        bad(
            ADD_FUNDING,
            funding(
                "Partner:KOR",
                "Initiative:IAI-WP3",
                5.0,
                Some("NO-MEETING-1"),
            ),
            "NOT_FOUND",
            &["approvedAt", "NO-MEETING-1"],
        ),
        bad(
            r#"mutation { link(kind: HELD_BY, from: "Meeting:IAI-TF-63", to: "Body:NOPE", sources: ["P2"]) { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["NOPE"],
        ),
        bad(
            r#"mutation { link(kind: HELD_BY, from: "Meeting:NOPE-1", to: "Body:ACC", sources: ["P2"]) { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["NOPE-1"],
        ),
        bad(
            r#"mutation { updateMember(code: "XXX", input: { name: "X" }) { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["XXX"],
        ),
        bad(
            r#"mutation { deleteMember(code: "XXX") }"#,
            json!({}),
            "NOT_FOUND",
            &["XXX"],
        ),
        bad(
            r#"mutation { addClaim(id: "Member:XXX", input: { field: "f", value: "v", source: "P2" }) { id } }"#,
            json!({}),
            "NOT_FOUND",
            &["XXX"],
        ),
        bad(
            r#"mutation { unlink(kind: HELD_BY, from: "Meeting:IAI-TF-63", to: "Body:ACC") }"#,
            json!({}),
            "NOT_FOUND",
            &["IAI-TF-63"],
        ),
        bad(
            r#"mutation { removeFunding(funder: "Partner:KOR", target: "Initiative:IAI-WP3") }"#,
            json!({}),
            "NOT_FOUND",
            &["Partner:KOR"],
        ),
        bad(
            r#"mutation { removeChair(body: "IAI-TF", year: 2099) }"#,
            json!({}),
            "NOT_FOUND",
            &["2099"],
        ),
        // Two changes in one write, the second one bad: the first does not land either.
        bad(
            r#"mutation { addParticipant(meeting: "IAI-TF-63", party: "Partner:KOR", role: "observer", headOfDelegation: "NO-ONE", sources: ["S2"]) { role } }"#,
            json!({}),
            "NOT_FOUND",
            &["NO-ONE"],
        ),
        // Duplicates.
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "VNM", "name": "Viet Nam", "sources": ["P2"] } }),
            "CONFLICT",
            &["VNM", "exists"],
        ),
        bad(
            CREATE_MEMBER,
            json!({ "input": { "code": "vnm", "name": "Viet Nam", "sources": ["P2"] } }),
            "CONFLICT",
            &["VNM", "exists"],
        ),
        bad(
            r#"mutation { createSource(input: { code: "p2", title: "Again" }) { id } }"#,
            json!({}),
            "CONFLICT",
            &["P2"],
        ),
        bad(
            ADD_FUNDING,
            funding("Partner:JPN", "Initiative:IAI-WP4", 5.0, None),
            "CONFLICT",
            &["Partner:JPN", "Initiative:IAI-WP4"],
        ),
        bad(
            r#"mutation { addChair(member: "LAO", year: 2020, sources: ["P38"]) { year } }"#,
            json!({}),
            "CONFLICT",
            &["2020", "Member:VNM"],
        ),
        // Deleting what is still referred to.
        bad(
            r#"mutation { deleteInitiative(code: "IAI") }"#,
            json!({}),
            "CONFLICT",
            &["Initiative:IAI-WP1", "cascade"],
        ),
        bad(
            r#"mutation { deleteMeeting(code: "IAI-TF-63") }"#,
            json!({}),
            "CONFLICT",
            &["Member:VNM", "Partner:JPN", "approved at it"],
        ),
        bad(
            r#"mutation { deleteSource(code: "S2") }"#,
            json!({}),
            "CONFLICT",
            &["Meeting:IAI-TF-63", "cites it"],
        ),
    ]
}

#[tokio::test]
async fn bad_input_gets_its_code_and_a_message_naming_the_field_and_changes_nothing() {
    let (_s, api) = server().await;
    let before = snapshot(&api).await;
    for b in bad_inputs() {
        let (code, message) = api.fails(Some(EDITOR), b.query, b.variables.clone()).await;
        assert_eq!(code, b.code, "{} {}: {message}", b.query, b.variables);
        for word in b.says {
            assert!(
                message.contains(word),
                "{} {}: the message does not say {word:?}: {message}",
                b.query,
                b.variables
            );
        }
        assert_eq!(snapshot(&api).await, before, "{} changed the data", b.query);
    }
}

/// A value its scalar type refuses (a date that does not exist, a negative count or year)
/// is named by its argument or field, as every other bad input is ("says what was wrong
/// and where").
#[tokio::test]
async fn bad_scalar_values_are_named_by_their_field() {
    let (_s, api) = server().await;
    for (query, variables, field) in [
        (CREATE_MEETING, meeting("2021-02-30", None), "startDate"),
        (
            r#"mutation { updateMeeting(code: "IAI-TF-63", input: { endDate: "2021-13-01" }) { id } }"#,
            json!({}),
            "endDate",
        ),
        (
            r#"mutation { addFunding(input: { funder: "Partner:KOR", target: "Initiative:IAI-WP3", projectCount: -2, sources: ["S2"] }) { amountUsd } }"#,
            json!({}),
            "projectCount",
        ),
        (
            r#"mutation { createInitiative(input: { code: "TI", name: "T", kind: PLAN, startYear: -1, sources: ["P2"] }) { id } }"#,
            json!({}),
            "startYear",
        ),
        (
            r#"mutation { addChair(body: "IAI-TF", member: "LAO", year: -5, sources: ["P2"]) { year } }"#,
            json!({}),
            "year",
        ),
        (
            "mutation($from: Date!) { removePartnerStatus(partner: \"GBR\", from: $from) { code } }",
            json!({ "from": "2021-02-30" }),
            "from",
        ),
    ] {
        let (code, message) = api.fails(Some(EDITOR), query, variables).await;
        assert_eq!(code, "BAD_USER_INPUT");
        assert!(
            message.contains(field),
            "{query}: the message does not name {field}: {message}"
        );
    }
}

#[tokio::test]
async fn deleting_a_referenced_record_lists_what_refers_to_it() {
    let (_s, api) = server().await;
    let before = snapshot(&api).await;
    // Everything that refers to Viet Nam, read through the API.
    let data = api
        .ok(
            None,
            &format!(
                "{{ member(code: \"VNM\") {{ chairmanships {{ body {{ id }} }} people {{ id }}
                    meetings(first: 100) {{ nodes {{ id }} }} fundings(first: 100) {{ nodes {{ {FUNDING_FIELDS} }} }} }}
                   meetings(chair: \"VNM\", first: 100) {{ nodes {{ id }} }} }}"
            ),
            json!({}),
        )
        .await;
    let m = &data["member"];
    let mut referrers: BTreeSet<String> = BTreeSet::new();
    referrers.extend(ids(&m["people"]));
    referrers.extend(ids(&m["meetings"]["nodes"]));
    referrers.extend(ids(&data["meetings"]["nodes"]));
    referrers.extend(
        m["chairmanships"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["body"]["id"].as_str().map(str::to_owned)),
    );
    assert!(referrers.len() >= 3, "{data}");
    let (code, message) = api
        .fails(
            Some(EDITOR),
            "mutation { deleteMember(code: \"VNM\") }",
            json!({}),
        )
        .await;
    assert_eq!(code, "CONFLICT");
    for r in &referrers {
        assert!(message.contains(r.as_str()), "{r} missing from: {message}");
    }
    assert!(message.contains("cascade"), "{message}");
    // Even an admin needs cascade for that.
    let (code, _) = api
        .fails(
            Some(ADMIN),
            "mutation { deleteMember(code: \"VNM\") }",
            json!({}),
        )
        .await;
    assert_eq!(code, "CONFLICT");
    // A source stays while records cite it, cascade or not (cascade removes relationships,
    // never citations).
    let (code, message) = api
        .fails(
            Some(ADMIN),
            "mutation { deleteSource(code: \"P2\", cascade: true) }",
            json!({}),
        )
        .await;
    assert_eq!(code, "CONFLICT");
    assert!(message.contains("Member:VNM (cites it)"), "{message}");
    assert_eq!(snapshot(&api).await, before);
}

#[tokio::test]
async fn cascade_delete_by_an_admin_removes_every_relationship() {
    let (_s, api) = server().await;
    let data = api
        .ok(
            Some(ADMIN),
            "mutation { deleteMember(code: \"VNM\", cascade: true) }",
            json!({}),
        )
        .await;
    assert_eq!(data["deleteMember"], true);
    let data = api
        .ok(
            None,
            &format!(
                "{{ member(code: \"VNM\") {{ id }} node(id: \"Member:VNM\") {{ id }}
                   person(code: \"NGUYEN-HAI-BANG\") {{ represents {{ id }} delegations {{ party {PARTY} }} }}
                   meeting(code: \"IAI-TF-63\") {{ chair {{ id }} participants {{ party {PARTY} }} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(data["member"], Value::Null);
    assert_eq!(data["node"], Value::Null);
    assert_eq!(data["meeting"]["chair"], Value::Null);
    let snap = snapshot(&api).await;
    let text = snap.to_string();
    // No list anywhere still names Viet Nam (the change log keeps what was).
    let mut without_log = snap.clone();
    without_log.as_object_mut().unwrap().remove("changes");
    assert!(
        !without_log.to_string().contains("Member:VNM"),
        "a dangling reference to Member:VNM remains"
    );
    assert!(text.contains("Member:VNM"), "the log records the deletion");
    assert_logged(&api, "Member:VNM", "deleteMember", "root").await;
    // One log entry per relationship removed, and one for the record.
    let entries = whole_history(&api, "Member:VNM", 100, "op by before after").await;
    assert!(entries.len() > 1, "{entries:?}");
    assert!(
        entries
            .iter()
            .all(|e| e["op"] == "deleteMember" && e["by"] == "root")
    );
    assert!(entries.iter().all(|e| e["after"].is_null()));

    // Deleting the meeting that approved fundings keeps the fundings, without the approval.
    let data = api
        .ok(
            Some(ADMIN),
            "mutation { deleteMeeting(code: \"IAI-TF-63\", cascade: true) }",
            json!({}),
        )
        .await;
    assert_eq!(data["deleteMeeting"], true);
    let data = api
        .ok(
            None,
            "{ initiative(code: \"IAI-WP4\") { fundings { nodes { funder { ... on Partner { id } } approvedAt { id } } } } }",
            json!({}),
        )
        .await;
    assert!(
        data["initiative"]["fundings"]["nodes"]
            .as_array()
            .unwrap()
            .contains(&json!({ "funder": { "id": "Partner:JPN" }, "approvedAt": null })),
        "{data}"
    );
    assert_logged(&api, "Partner:JPN", "deleteMeeting", "root").await;
}

/// The messages import gives for a broken record are the messages a mutation gives.
#[tokio::test]
async fn mutations_and_import_share_rules_and_messages() {
    use asean_graph::dataset::{self, Mode};
    use asean_graph::store::Store;

    let (_s, api) = server().await;
    let import_error = |edit: &dyn Fn(&mut Value)| {
        let mut doc: Value = serde_json::from_str(dataset::BUNDLED).unwrap();
        edit(&mut doc);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let e = dataset::import(&store, doc.to_string().as_bytes(), Mode::Refuse).unwrap_err();
        e.to_string()
    };
    let meeting_index = |doc: &Value, code: &str| {
        doc["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .position(|m| m["code"] == code)
            .unwrap()
    };

    // endDate before startDate.
    let imported = import_error(&|doc| {
        let i = meeting_index(doc, "IAI-TF-63");
        doc["meetings"][i]["endDate"] = json!("2021-03-24");
    });
    let (_, message) = api
        .fails(
            Some(EDITOR),
            r#"mutation { updateMeeting(code: "IAI-TF-63", input: { endDate: "2021-03-24" }) { id } }"#,
            json!({}),
        )
        .await;
    let doc: Value = serde_json::from_str(dataset::BUNDLED).unwrap();
    let i = meeting_index(&doc, "IAI-TF-63");
    assert!(
        imported.contains(&format!("meetings[{i}].{message}")),
        "import says {imported:?}, the mutation {message:?}"
    );

    // A negative amount.
    let imported = import_error(&|doc| doc["fundings"][0]["amountUsd"] = json!(-5.0));
    let f = &doc["fundings"][0];
    let (_, message) = api
        .fails(
            Some(EDITOR),
            "mutation($funder: ID!, $target: ID!) { updateFunding(funder: $funder, target: $target, input: { amountUsd: -5 }) { amountUsd } }",
            json!({ "funder": f["funder"], "target": f["target"] }),
        )
        .await;
    assert!(
        imported.contains(&format!("fundings[0].{message}")),
        "import says {imported:?}, the mutation {message:?}"
    );

    // A source that does not exist.
    let imported = import_error(&|doc| doc["members"][0]["sources"] = json!(["NOPE-SRC"]));
    let member = doc["members"][0]["code"].as_str().unwrap();
    let (code, message) = api
        .fails(
            Some(EDITOR),
            "mutation($code: String!) { updateMember(code: $code, input: { sources: [\"NOPE-SRC\"] }) { id } }",
            json!({ "code": member }),
        )
        .await;
    assert_eq!(code, "NOT_FOUND");
    assert!(
        imported.contains(&format!("members[0].{message}")),
        "import says {imported:?}, the mutation {message:?}"
    );
}
