//! What the articles give as decisions, earlier relations, proposals, open lists and
//! publication times, held in fields: a partner status's `decidedAt` (a meeting, with its
//! filter and its rules on delete), a partner's `relationsSince`, an initiative's `stage`, a
//! meeting's `openLists` and a source's `publishedTime`, through the real server, the
//! mutations and the interchange format.

use crate::common::{ADMIN, EDITOR};
use crate::common::{assert_logged, server};
use asean_graph::dataset::{self, Mode};
use asean_graph::store::Store;
use serde_json::{Value, json};

/// The codes of a list of `{ code }` nodes.
fn codes(nodes: &Value) -> Vec<&str> {
    nodes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn partners_are_found_by_the_meeting_that_decided_their_status() {
    let (_s, api) = server().await;
    let data = api
        .ok(
            None,
            r#"{
              amm54: partners(filter: { decidedAt: { some: { code: { eq: "AMM-54" } } } }) {
                nodes { code statuses { stage decidedAt { code startDate } } } }
              amm53: partners(filter: { decidedAt: { some: { number: { eq: 53 } } } }) { nodes { code } }
              none: partners(filter: { decidedAt: { none: {} } }, first: 100) { totalCount }
              all: partners(first: 100) { totalCount }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(codes(&data["amm54"]["nodes"]), ["ARE", "GBR"]);
    let gbr = &data["amm54"]["nodes"][1]["statuses"][0];
    assert_eq!(
        gbr["decidedAt"],
        json!({ "code": "AMM-54", "startDate": "2021-08-02" })
    );
    // The UAE was decided on at the 54th AMM and conferred at the 55th.
    let are = &data["amm54"]["nodes"][0]["statuses"];
    assert_eq!(are[0]["stage"], "DECIDED");
    assert_eq!(are[0]["decidedAt"]["code"], "AMM-54");
    assert_eq!(are[1]["decidedAt"]["code"], "AMM-55");
    assert_eq!(codes(&data["amm53"]["nodes"]), ["FRA", "ITA"]);
    let (none, all) = (&data["none"]["totalCount"], &data["all"]["totalCount"]);
    assert_eq!(
        all.as_u64().unwrap() - none.as_u64().unwrap(),
        11,
        "ARE, CHL, CHN, DEU, FRA, GBR, ITA, KOR, MAR, PAK, TUR"
    );
}

#[tokio::test]
async fn relations_before_a_status_stage_and_published_time_are_fields() {
    let (_s, api) = server().await;
    let data = api
        .ok(
            None,
            r#"{
              before1996: partners(filter: { relationsSince: { lt: "1996-01-01" } }) { nodes { code relationsSince relationsSincePrecision since } }
              gbr: partner(code: "GBR") { relationsSince relationsSincePrecision }
              initiative(code: "IAI-WP4") {
                adopted: children(filter: { kind: { eq: STRATEGIC_AREA }, stage: { eq: ADOPTED } }) { totalCount }
                areas: children(filter: { kind: { eq: STRATEGIC_AREA } }) { totalCount }
                proposed: children(filter: { stage: { eq: PROPOSED } }) { nodes { code stage } }
              }
              s1: source(code: "S1") { publishedOn publishedTime }
              s2: source(code: "S2") { publishedOn publishedTime }
            }"#,
            json!({}),
        )
        .await;
    let before = data["before1996"]["nodes"].as_array().unwrap();
    assert_eq!(codes(&data["before1996"]["nodes"]), ["CHN", "RUS"]);
    for p in before {
        assert_eq!(p["relationsSince"], "1991-01-01");
        assert_eq!(p["relationsSincePrecision"], "YEAR");
        assert_eq!(p["since"], "1996-07-01");
    }
    assert_eq!(
        data["gbr"],
        json!({ "relationsSince": null, "relationsSincePrecision": null })
    );
    let wp4 = &data["initiative"];
    assert_eq!(wp4["adopted"]["totalCount"], 5, "the figure's five");
    assert_eq!(wp4["areas"]["totalCount"], 8);
    assert_eq!(
        codes(&wp4["proposed"]["nodes"]),
        [
            "IAI-WP4-INDUSTRY-4",
            "IAI-WP4-SOCIAL-GENDER",
            "IAI-WP4-SUSTAINABILITY"
        ]
    );
    assert_eq!(
        data["s1"],
        json!({ "publishedOn": "2021-01-25", "publishedTime": "08:12" })
    );
    assert_eq!(
        data["s2"],
        json!({ "publishedOn": null, "publishedTime": null })
    );
}

#[tokio::test]
async fn open_lists_are_named_by_the_meeting_fields_they_leave_open() {
    let (_s, api) = server().await;
    let data = api
        .ok(
            None,
            r#"{
              jcm: meeting(code: "JCM-2021-09-22") { openLists recommended { totalCount } }
              mre: meeting(code: "MRE-2021-4") { openLists }
              tf: meeting(code: "IAI-TF-63") { openLists }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["jcm"]["openLists"],
        json!(["initiatives", "recommended"])
    );
    // Six named before "…": a lower bound.
    assert_eq!(data["jcm"]["recommended"]["totalCount"], 6);
    assert_eq!(data["mre"]["openLists"], json!(["participants"]));
    assert_eq!(data["tf"]["openLists"], json!([]));

    // Every name a meeting may give is one of its fields (or a kind of meeting link).
    let fields = api
        .ok(
            None,
            r#"{ __type(name: "Meeting") { fields { name } } links: __type(name: "MeetingLinkKind") { enumValues { name } } }"#,
            json!({}),
        )
        .await;
    let mut names: Vec<String> = fields["__type"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    for kind in fields["links"]["enumValues"].as_array().unwrap() {
        // REPORTS_TO → reportsTo
        let words: Vec<String> = kind["name"]
            .as_str()
            .unwrap()
            .split('_')
            .map(str::to_lowercase)
            .collect();
        let mut name = words[0].clone();
        for w in &words[1..] {
            name.push_str(&w[..1].to_uppercase());
            name.push_str(&w[1..]);
        }
        names.push(name);
    }
    for list in asean_graph::model::Meeting::LISTS {
        assert!(names.iter().any(|n| n == list), "{list} is not a field");
    }
}

#[tokio::test]
async fn the_new_fields_are_written_by_the_mutations() {
    let (_s, api) = server().await;
    let data = api
        .ok(
            Some(EDITOR),
            r#"mutation {
              addPartnerStatus(partner: "AIIB", input: { kind: DEVELOPMENT_PARTNER, from: "2030-01-01", decidedAt: "amm-56", sources: ["P15"] }) {
                statuses { from decidedAt { code } } }
              updatePartner(code: "NOR", input: { relationsSince: "1999-01-01", relationsSincePrecision: YEAR }) {
                relationsSince relationsSincePrecision }
              updateInitiative(code: "IAI-WP4-TRADE", input: { stage: PROPOSED }) { stage }
              updateMeeting(code: "IAI-TF-63", input: { openLists: ["participants", "approvedFundings"] }) { openLists }
              updateSource(code: "S2", input: { publishedOn: "2021-03-26", publishedTime: "21:05" }) { publishedTime }
            }"#,
            json!({}),
        )
        .await;
    let statuses = data["addPartnerStatus"]["statuses"].as_array().unwrap();
    assert_eq!(
        statuses.last().unwrap()["decidedAt"]["code"],
        "AMM-56",
        "the code is read in any case"
    );
    assert_eq!(
        data["updatePartner"],
        json!({ "relationsSince": "1999-01-01", "relationsSincePrecision": "YEAR" })
    );
    assert_eq!(data["updateInitiative"]["stage"], "PROPOSED");
    assert_eq!(
        data["updateMeeting"]["openLists"],
        json!(["participants", "approvedFundings"])
    );
    assert_eq!(data["updateSource"]["publishedTime"], "21:05");
    assert_logged(&api, "Partner:NOR", "updatePartner", "ana").await;
}

#[tokio::test]
async fn bad_values_of_the_new_fields_are_refused_naming_them() {
    let (_s, api) = server().await;
    let cases: &[(&str, &str, &[&str])] = &[
        (
            r#"mutation { addPartnerStatus(partner: "AIIB", input: { kind: DEVELOPMENT_PARTNER, from: "2030-01-01", decidedAt: "NOPE-9", sources: ["P15"] }) { code } }"#,
            "NOT_FOUND",
            &["decidedAt", "NOPE-9"],
        ),
        (
            r#"mutation { updatePartner(code: "GBR", input: { relationsSince: "2022-01-01" }) { code } }"#,
            "BAD_USER_INPUT",
            &["relationsSince", "2022-01-01", "2021-08-02"],
        ),
        (
            r#"mutation { updatePartner(code: "GBR", input: { relationsSincePrecision: YEAR }) { code } }"#,
            "BAD_USER_INPUT",
            &["relationsSincePrecision"],
        ),
        (
            r#"mutation { updateMeeting(code: "IAI-TF-63", input: { openLists: ["agenda"] }) { code } }"#,
            "BAD_USER_INPUT",
            &["openLists[0]", "agenda", "participants"],
        ),
        (
            r#"mutation { updateMeeting(code: "IAI-TF-63", input: { openLists: ["speakers", "speakers"] }) { code } }"#,
            "BAD_USER_INPUT",
            &["openLists[1]", "twice"],
        ),
        (
            r#"mutation { updateSource(code: "S1", input: { publishedTime: "24:00" }) { code } }"#,
            "BAD_USER_INPUT",
            &["publishedTime", "24:00"],
        ),
        (
            r#"mutation { updateSource(code: "S2", input: { publishedTime: "10:00" }) { code } }"#,
            "BAD_USER_INPUT",
            &["publishedTime", "publishedOn"],
        ),
    ];
    let before = api
        .ok(None, "{ partners(first: 100) { nodes { code relationsSince statuses { from } } } meeting(code: \"IAI-TF-63\") { openLists } sources(first: 100) { nodes { code publishedTime } } }", json!({}))
        .await;
    for (query, code, says) in cases {
        let (got, message) = api.fails(Some(EDITOR), query, json!({})).await;
        assert_eq!(&got, code, "{query}: {message}");
        for word in *says {
            assert!(message.contains(word), "{query}: {message} lacks {word}");
        }
    }
    let after = api
        .ok(None, "{ partners(first: 100) { nodes { code relationsSince statuses { from } } } meeting(code: \"IAI-TF-63\") { openLists } sources(first: 100) { nodes { code publishedTime } } }", json!({}))
        .await;
    assert_eq!(before, after, "a refused write changed nothing");
}

#[tokio::test]
async fn deleting_a_meeting_a_status_was_decided_at_is_refused_or_clears_it() {
    let (_s, api) = server().await;
    let (code, message) = api
        .fails(
            Some(EDITOR),
            r#"mutation { deleteMeeting(code: "AMM-56") }"#,
            json!({}),
        )
        .await;
    assert_eq!(code, "CONFLICT", "{message}");
    assert!(
        message.contains("Partner:MAR") && message.contains("decided at it"),
        "{message}"
    );
    let data = api
        .ok(
            Some(ADMIN),
            r#"mutation { deleteMeeting(code: "AMM-56", cascade: true) }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["deleteMeeting"], true);
    let data = api
        .ok(
            None,
            r#"{ partner(code: "MAR") { statuses { from decidedAt { code } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["partner"]["statuses"],
        json!([{ "from": "2023-09-04", "decidedAt": null }]),
        "the status stays, without the meeting"
    );
    assert_logged(&api, "Partner:MAR", "deleteMeeting", "root").await;
}

/// Import reads the fields and refuses a `decidedAt` that names no meeting, at its path;
/// export writes them back as they were.
#[test]
fn import_checks_decided_at_and_export_keeps_the_new_fields() {
    let import = |doc: &Value| {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let result = dataset::import(&store, doc.to_string().as_bytes(), Mode::Refuse);
        (dir, store, result)
    };
    let mut doc: Value = serde_json::from_str(dataset::BUNDLED).unwrap();
    let gbr = doc["partners"]
        .as_array()
        .unwrap()
        .iter()
        .position(|p| p["code"] == "GBR")
        .unwrap();
    doc["partners"][gbr]["statuses"][0]["decidedAt"] = json!("AMM-99");
    let (_dir, store, result) = import(&doc);
    let message = result.unwrap_err().to_string();
    assert!(
        message.contains(&format!("partners[{gbr}].statuses[0].decidedAt"))
            && message.contains("AMM-99"),
        "{message}"
    );
    assert!(store.is_empty().unwrap(), "nothing was imported");

    let (_dir, store, result) = import(&serde_json::from_str(dataset::BUNDLED).unwrap());
    result.unwrap();
    assert_eq!(dataset::export(&store).unwrap(), dataset::BUNDLED);
    for field in [
        "\"decidedAt\": \"AMM-54\"",
        "\"relationsSince\": \"1991-01-01\"",
        "\"stage\": \"PROPOSED\"",
        "\"openLists\": [",
        "\"publishedTime\": \"08:12\"",
    ] {
        assert!(dataset::BUNDLED.contains(field), "{field}");
    }
}
