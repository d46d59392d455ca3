//! The facts of the articles in structured fields, and provenance on every link: meeting
//! figures and status, one record per summit, meeting-to-meeting links, recommended kept
//! apart from adopted, people's roles, partner status stages, `relationships(verified:)`
//! and `Source.supports`. Each answer is read against the bundled file itself where it can
//! be, not written down twice.

use crate::common::EDITOR;
use crate::common::TestServer;
use crate::common::{Api, server};
use crate::common::{TestStore, bundled, fixture_value};
use asean_graph::dataset::{self, Mode};
use asean_graph::graphql::Options;
use asean_graph::graphql::limits::Limits;
use asean_graph::server::Config;
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn read(api: &Api, query: &str) -> Value {
    api.ok(None, query, json!({})).await
}

fn strings(list: &Value, key: &str) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let mut v = v;
            for k in key.split('.') {
                v = &v[k];
            }
            v.as_str().unwrap().to_owned()
        })
        .collect()
}

fn bundled_json() -> Value {
    serde_json::from_str(&bundled()).unwrap()
}

#[tokio::test]
async fn every_meeting_s_new_links_in_the_file_read_back_the_right_way_round() {
    let (_s, api) = server().await;
    let data = read(
        &api,
        r#"{ meetings(first: 100) { nodes { code presidedBy { code } speakers { code }
            recommended(first: 100) { nodes { code } }
            meetingLinks { kind from { code } to { code } } } } }"#,
    )
    .await;
    let served: Vec<&Value> = data["meetings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    let file = bundled_json();
    let codes = |list: &Value| -> BTreeSet<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|l| l["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut links = 0;
    for m in file["meetings"].as_array().unwrap() {
        let code = m["code"].as_str().unwrap();
        let s = served.iter().find(|s| s["code"] == code).unwrap();
        assert_eq!(
            codes(&m["speakers"]),
            strings(&s["speakers"], "code"),
            "{code}"
        );
        assert_eq!(
            codes(&m["recommended"]),
            strings(&s["recommended"]["nodes"], "code"),
            "{code}"
        );
        assert_eq!(m["presidedBy"]["code"], s["presidedBy"]["code"], "{code}");
        // The file states a meeting's links under the meeting they leave.
        for (list, kind) in [
            ("reportsTo", "REPORTS_TO"),
            ("prepares", "PREPARES"),
            ("reportedAt", "REPORTED_AT"),
        ] {
            let leaving: BTreeSet<String> = s["meetingLinks"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["kind"] == kind && l["from"]["code"] == code)
                .map(|l| l["to"]["code"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(codes(&m[list]), leaving, "{code} {list}");
            links += leaving.len();
        }
    }
    assert!(links > 0);
}

#[tokio::test]
async fn meeting_figures_carry_their_qualifier_and_source() {
    let (_s, api) = server().await;
    let data = read(
        &api,
        r#"{ meeting(code: "MPAC-CLMV-WORKSHOP-2018") {
            figures { label value qualifier unit source { code } } } }"#,
    )
    .await;
    assert_eq!(
        data["meeting"]["figures"],
        json!([{ "label": "delegates", "value": 130.0, "qualifier": "MORE_THAN",
                 "unit": "delegates", "source": { "code": "S1" } }])
    );

    // A figure is added and removed through the API, with its qualifier.
    let add = r#"mutation { addMeetingFigure(meeting: "IAI-TF-63", input: {
        label: "member states", value: 10, qualifier: ABOUT, source: "S2" }) {
        figures { label value qualifier } } }"#;
    let data = api.ok(Some(EDITOR), add, json!({})).await;
    assert_eq!(
        data["addMeetingFigure"]["figures"],
        json!([{ "label": "member states", "value": 10.0, "qualifier": "ABOUT" }])
    );
    let remove = r#"mutation { removeMeetingFigure(meeting: "IAI-TF-63", label: "member states") { figures { label } } }"#;
    let data = api.ok(Some(EDITOR), remove, json!({})).await;
    assert_eq!(data["removeMeetingFigure"]["figures"], json!([]));
    let (code, _) = api.fails(Some(EDITOR), remove, json!({})).await;
    assert_eq!(code, "NOT_FOUND");
}

#[tokio::test]
async fn a_reported_value_keeps_its_qualifier_beside_the_other_sources_value() {
    let (_s, api) = server().await;
    let data = read(
        &api,
        r#"{ initiative(code: "IAI-WP3") { figures { label value qualifier source { code } } } }"#,
    )
    .await;
    let totals: Vec<&Value> = data["initiative"]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["label"] == "total value of projects")
        .collect();
    assert_eq!(
        totals,
        [
            &json!({ "label": "total value of projects", "value": 31000000.0,
                     "qualifier": "NEARLY", "source": { "code": "S2" } }),
            &json!({ "label": "total value of projects", "value": 30790000.0,
                     "qualifier": null, "source": { "code": "P37" } }),
        ]
    );
}

#[tokio::test]
async fn a_meeting_is_planned_or_held_as_of_its_latest_dated_source() {
    let (_s, api) = server().await;
    let status = |code: &'static str| {
        let api = &api;
        async move {
            let q = format!(r#"{{ meeting(code: "{code}") {{ status statusAsOf }} }}"#);
            read(api, &q).await["meeting"].clone()
        }
    };
    // S3 speaks as of the JCM of 22 September 2021: the JCM held, the summits planned.
    assert_eq!(
        status("JCM-2021-09-22").await,
        json!({ "status": "HELD", "statusAsOf": "2021-09-22" })
    );
    assert_eq!(
        status("SUMMIT-38").await,
        json!({ "status": "PLANNED", "statusAsOf": "2021-09-22" })
    );
    // No dated source: no status.
    assert_eq!(
        status("IAI-TF-64").await,
        json!({ "status": null, "statusAsOf": null })
    );
    // A later source reporting the summit makes it held.
    for q in [
        r#"mutation { createSource(input: { code: "T1", title: "Summit report", publishedOn: "2021-10-29" }) { id } }"#,
        r#"mutation { addSource(id: "Meeting:SUMMIT-38", source: "T1") { id } }"#,
    ] {
        api.ok(Some(EDITOR), q, json!({})).await;
    }
    assert_eq!(
        status("SUMMIT-38").await,
        json!({ "status": "HELD", "statusAsOf": "2021-10-29" })
    );
}

#[tokio::test]
async fn each_summit_of_october_2021_is_its_own_record_with_its_partners() {
    let (_s, api) = server().await;
    let data = read(
        &api,
        r#"{ meeting(code: "JCM-2021-09-22") {
            figures { label value }
            meetingLinks(kind: PREPARES) { kind from { code } to { code } verified sources { code } } } }"#,
    )
    .await;
    let links = &data["meeting"]["meetingLinks"];
    let prepared = strings(links, "to.code");
    assert_eq!(prepared.len(), 11, "{links}");
    let planned = data["meeting"]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "summits planned")
        .unwrap()["value"]
        .as_f64()
        .unwrap();
    assert_eq!(prepared.len() as f64, planned);
    for l in links.as_array().unwrap() {
        assert_eq!(l["from"]["code"], "JCM-2021-09-22");
        assert_eq!(l["sources"], json!([{ "code": "S3" }]), "{l}");
        assert_eq!(l["verified"], true);
    }

    // Who attended the East Asia Summit: its partners, each link general knowledge.
    let data = read(
        &api,
        r#"{ meeting(code: "EAS-2021") { participants { party { ... on Partner { code } } verified sources { code } } } }"#,
    )
    .await;
    let parts = &data["meeting"]["participants"];
    assert_eq!(
        strings(parts, "party.code"),
        ["AUS", "CHN", "IND", "JPN", "KOR", "NZL", "RUS", "USA"]
            .map(String::from)
            .into()
    );
    assert!(
        parts
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["verified"] == false),
        "{parts}"
    );
    // The bilateral summits rest on the article.
    let data = read(
        &api,
        r#"{ meeting(code: "ASEAN-CHN-SUMMIT-2021") { participants { party { ... on Partner { code } } verified } } }"#,
    )
    .await;
    assert_eq!(
        data["meeting"]["participants"],
        json!([{ "party": { "code": "CHN" }, "verified": true }])
    );
}

#[tokio::test]
async fn meeting_links_show_from_both_ends_and_filter_like_any_relationship() {
    let (_s, api) = server().await;
    let from_acc = read(
        &api,
        r#"{ meeting(code: "ACC-30") { meetingLinks { kind from { code } to { code } sources { code } } } }"#,
    )
    .await;
    assert_eq!(
        from_acc["meeting"]["meetingLinks"],
        json!([{ "kind": "REPORTS_TO", "from": { "code": "ACCC-2021-3" },
                 "to": { "code": "ACC-30" }, "sources": [{ "code": "S0" }] }])
    );
    let data = read(
        &api,
        r#"{ meetings(filter: { reportedAt: { some: { body: { code: { eq: "JCM" } } } } }) { nodes { code } } }"#,
    )
    .await;
    assert_eq!(data["meetings"]["nodes"], json!([{ "code": "IAI-TF-65" }]));
    let data = read(
        &api,
        r#"{ meetings(filter: { heardResultsOf: { some: { code: { eq: "IAI-TF-65" } } } }) { nodes { code } } }"#,
    )
    .await;
    assert_eq!(
        data["meetings"]["nodes"],
        json!([{ "code": "JCM-2021-09-22" }])
    );
}

#[tokio::test]
async fn recommended_for_adoption_is_kept_apart_from_adopted() {
    let (_s, api) = server().await;
    let data = read(
        &api,
        r#"{ meeting(code: "JCM-2021-09-22") {
            approved { totalCount }
            recommended(first: 100) { nodes { code kind startYear } } } }"#,
    )
    .await;
    let m = &data["meeting"];
    assert_eq!(m["approved"]["totalCount"], 0);
    let recommended = &m["recommended"]["nodes"];
    let file = bundled_json();
    let jcm = file["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == "JCM-2021-09-22")
        .unwrap();
    assert_eq!(
        strings(recommended, "code"),
        strings(&jcm["recommended"], "code")
    );
    assert!(strings(recommended, "code").contains("HLTF-POST-2025-TOR"));
    // Not adopted, so no year as if it were.
    for i in recommended.as_array().unwrap() {
        assert_eq!(i["startYear"], Value::Null, "{i}");
    }
    let data = read(
        &api,
        r#"{ initiatives(filter: { recommendedAt: { some: { code: { eq: "JCM-2021-09-22" } } } }) { totalCount } }"#,
    )
    .await;
    assert_eq!(
        data["initiatives"]["totalCount"],
        jcm["recommended"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn people_speak_chair_and_represent_bodies() {
    let (_s, api) = server().await;
    let data = read(
        &api,
        r#"{ person(code: "KAN-PHARIDH") { spokeAt { code } }
             relationships(kind: SPOKE_AT, from: "Person:KAN-PHARIDH") { nodes { note sources { code } } }
             hai: person(code: "NGUYEN-HAI-BANG") { presided { code } }
             lim: person(code: "LIM-JOCK-HOI") { represents { code } representing { ... on Body { code } } } }"#,
    )
    .await;
    assert_eq!(
        data["person"]["spokeAt"],
        json!([{ "code": "MPAC-CLMV-WORKSHOP-2018" }])
    );
    let spoke = &data["relationships"]["nodes"][0];
    assert_eq!(spoke["sources"], json!([{ "code": "S1" }]));
    assert!(
        spoke["note"].as_str().unwrap().contains("MPAC 2025"),
        "{spoke}"
    );
    assert_eq!(data["hai"]["presided"], json!([{ "code": "IAI-TF-63" }]));
    assert_eq!(
        data["lim"],
        json!({ "represents": null, "representing": { "code": "ASEC" } })
    );
    // `represents` filters on the member state, as the field shows it, not on a body.
    let data = read(
        &api,
        r#"{ asec: people(filter: { represents: { code: { eq: "ASEC" } } }) { totalCount }
             vnm: people(filter: { represents: { code: { eq: "VNM" } } }) { totalCount } }"#,
    )
    .await;
    assert_eq!(data["asec"]["totalCount"], 0, "{data}");
    assert!(data["vnm"]["totalCount"].as_u64().unwrap() > 0, "{data}");
}

#[tokio::test]
async fn a_record_s_relationships_are_read_within_the_filter_budget() {
    let s = TestServer::start_with(Config {
        graphql: Options {
            limits: Limits {
                max_filter_reads: 3,
                ..Limits::default()
            },
            ..Options::default()
        },
        ..Config::default()
    })
    .await;
    let (_, body) = s
        .post(
            r#"{ relationships(from: "Meeting:JCM-2021-09-22", first: 1) { nodes { kind } } }"#,
            Value::Null,
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
        "{body}"
    );
    let (_, body) = s
        .post(
            r#"{ relationships(from: "Meeting:ACC-30", kind: HELD_BY) { nodes { kind } } }"#,
            Value::Null,
        )
        .await;
    assert_eq!(
        body["data"]["relationships"]["nodes"],
        json!([{ "kind": "HELD_BY" }])
    );
}

#[tokio::test]
async fn a_second_person_in_the_chair_is_a_conflict_and_changes_nothing() {
    let (_s, api) = server().await;
    let link = r#"mutation { link(kind: PRESIDED, from: "Person:TRAN-DUC-BINH", to: "Meeting:IAI-TF-63", sources: ["S2"]) { id } }"#;
    let (code, message) = api.fails(Some(EDITOR), link, json!({})).await;
    assert_eq!(code, "CONFLICT", "{message}");
    assert!(message.contains("NGUYEN-HAI-BANG"), "{message}");
    let data = read(
        &api,
        r#"{ meeting(code: "IAI-TF-63") { presidedBy { code } } }"#,
    )
    .await;
    assert_eq!(
        data["meeting"]["presidedBy"],
        json!({ "code": "NGUYEN-HAI-BANG" })
    );
    // A person represents a member state or a body, nothing else.
    let (code, _) = api
        .fails(
            Some(EDITOR),
            r#"mutation { link(kind: REPRESENTS, from: "Person:TRAN-DUC-BINH", to: "Partner:JPN", sources: ["P47"]) { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
}

#[tokio::test]
async fn two_meetings_are_linked_one_way_only() {
    let (_s, api) = server().await;
    // ACCC-2021-3 reports to ACC-30; the way back is refused, and nothing changes.
    let back = r#"mutation { link(kind: REPORTS_TO_MEETING, from: "Meeting:ACC-30", to: "Meeting:ACCC-2021-3", sources: ["S0"]) { id } }"#;
    let (code, message) = api.fails(Some(EDITOR), back, json!({})).await;
    assert_eq!(code, "BAD_USER_INPUT", "{message}");
    assert!(message.contains("both ways"), "{message}");
    let data = read(
        &api,
        r#"{ meeting(code: "ACC-30") { meetingLinks { from { code } to { code } } } }"#,
    )
    .await;
    assert_eq!(
        data["meeting"]["meetingLinks"],
        json!([{ "from": { "code": "ACCC-2021-3" }, "to": { "code": "ACC-30" } }])
    );
}

#[tokio::test]
async fn one_source_gives_a_figure_of_one_label_and_date_once() {
    let (_s, api) = server().await;
    let add = r#"mutation { addMeetingFigure(meeting: "MPAC-CLMV-WORKSHOP-2018", input: {
        label: "delegates", value: 131, source: "S1" }) { code } }"#;
    let (code, message) = api.fails(Some(EDITOR), add, json!({})).await;
    assert_eq!(code, "BAD_USER_INPUT", "{message}");
    assert!(message.contains("already given"), "{message}");
}

#[tokio::test]
async fn meeting_links_count_toward_a_query_s_complexity() {
    let (_s, api) = server().await;
    // Four levels of links, each read from both ends: cheap to send, and before, weighed as
    // one link a level, it ran for seconds.
    let mut inner = "code".to_owned();
    for _ in 0..4 {
        inner = format!("code meetingLinks {{ from {{ {inner} }} to {{ {inner} }} }}");
    }
    let query = format!(r#"{{ meeting(code: "JCM-2021-09-22") {{ {inner} }} }}"#);
    let (code, message) = api.fails(None, &query, json!({})).await;
    assert_eq!(code, "QUERY_TOO_COMPLEX", "{message}");
    // One level is an ordinary question.
    read(
        &api,
        r#"{ meeting(code: "JCM-2021-09-22") { meetingLinks { from { code } to { code } } } }"#,
    )
    .await;
}

#[tokio::test]
async fn partner_statuses_go_from_applied_to_decided_to_conferred() {
    let (_s, api) = server().await;
    let data = read(
        &api,
        r#"{ bra: partner(code: "BRA") { kind statuses { stage from fromPrecision to } }
             are: partner(code: "ARE") { statuses { stage from fromPrecision to sources { code } } } }"#,
    )
    .await;
    assert_eq!(
        data["bra"]["statuses"],
        json!([
            // Pending in 2021 (P19, S3); the day of the request is not given.
            { "stage": "APPLIED", "from": "2021-01-01", "fromPrecision": "YEAR", "to": "2022-07-31" },
            { "stage": "CONFERRED", "from": "2022-08-01", "fromPrecision": "MONTH", "to": null },
        ])
    );
    let are = &data["are"]["statuses"];
    assert_eq!(are[0]["stage"], "DECIDED");
    assert_eq!(are[0]["fromPrecision"], "MONTH");
    assert_eq!(are[1]["stage"], "CONFERRED");
    assert_eq!(are[1]["from"], "2022-08-03");

    // An application alone does not make a partner of that kind.
    for q in [
        r#"mutation { createPartner(input: { code: "XAP", name: "Applicant", sources: ["GK"] }) { id } }"#,
        r#"mutation { addPartnerStatus(partner: "XAP", input: { kind: DIALOGUE_PARTNER, stage: APPLIED, from: "2024-01-01", sources: ["GK"] }) { id } }"#,
    ] {
        api.ok(Some(EDITOR), q, json!({})).await;
    }
    let data = read(&api, r#"{ partner(code: "XAP") { kind } }"#).await;
    assert_eq!(data["partner"]["kind"], "EXTERNAL_ORGANIZATION");
}

#[tokio::test]
async fn an_application_is_not_a_status_held_in_lists_as_of_a_date() {
    let (_s, api) = server().await;
    // On 1 October 2021 Brazil had only asked to be a sectoral dialogue partner.
    let data = read(
        &api,
        r#"{ sectoral: partners(kind: SECTORAL_DIALOGUE_PARTNER, asOf: "2021-10-01", first: 100) { nodes { code } }
             external: partners(kind: EXTERNAL_ORGANIZATION, asOf: "2021-10-01", first: 100) { nodes { code } } }"#,
    )
    .await;
    assert!(
        !strings(&data["sectoral"]["nodes"], "code").contains("BRA"),
        "{data}"
    );
    // A partner that has only applied is an external organisation at any date, in lists
    // too; and an application may run beside a status held.
    for q in [
        r#"mutation { createPartner(input: { code: "XAP", name: "Applicant", sources: ["GK"] }) { id } }"#,
        r#"mutation { addPartnerStatus(partner: "XAP", input: { kind: DIALOGUE_PARTNER, stage: APPLIED, from: "2020-01-01", sources: ["GK"] }) { id } }"#,
        r#"mutation { addPartnerStatus(partner: "DEU", input: { kind: DIALOGUE_PARTNER, stage: APPLIED, from: "2024-01-01", sources: ["GK"] }) { id } }"#,
    ] {
        api.ok(Some(EDITOR), q, json!({})).await;
    }
    let data = read(
        &api,
        r#"{ external: partners(kind: EXTERNAL_ORGANIZATION, asOf: "2021-10-01", first: 100) { nodes { code } }
             deu: partner(code: "DEU") { kind } }"#,
    )
    .await;
    assert!(
        strings(&data["external"]["nodes"], "code").contains("XAP"),
        "{data}"
    );
    assert_eq!(data["deu"]["kind"], "DEVELOPMENT_PARTNER");
}

#[tokio::test]
async fn unverified_links_are_listed_as_resting_on_general_knowledge() {
    let (_s, api) = server().await;
    let data = read(
        &api,
        r#"{ relationships(kind: LED_BY, verified: false, first: 100) {
            totalCount nodes { from { id } to { id } verified sources { code } } } }"#,
    )
    .await;
    let nodes = data["relationships"]["nodes"].as_array().unwrap();
    for n in nodes {
        assert_eq!(n["verified"], false);
        assert_eq!(n["sources"], json!([{ "code": "GK" }]), "{n}");
    }
    // The same count as the bundled file's lead-body links citing only GK.
    let file = bundled_json();
    let expected = file["initiatives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["leadBodies"].as_array().unwrap())
        .filter(|l| l["sources"] == json!(["GK"]))
        .count();
    assert!(expected > 0);
    assert_eq!(nodes.len(), expected);
    assert_eq!(data["relationships"]["totalCount"], expected);
    // `leadBodies` shows the same links, each with its provenance.
    let from = nodes[0]["from"]["id"].as_str().unwrap();
    let data = api
        .ok(
            None,
            "query($from: ID!) { relationships(from: $from, kind: LED_BY) { nodes { verified } } }",
            json!({ "from": from }),
        )
        .await;
    assert!(
        data["relationships"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["verified"] == false)
    );
}

#[tokio::test]
async fn a_source_lists_what_it_supports_page_by_page() {
    let (_s, api) = server().await;
    let whole = read(
        &api,
        r#"{ source(code: "S2") { citationCount supports(first: 100) { totalCount pageInfo { hasNextPage }
            nodes { fields record { id } relationship { kind from { id } to { id } } } } } }"#,
    )
    .await;
    let s = &whole["source"];
    let all = s["supports"]["nodes"].as_array().unwrap();
    assert_eq!(s["supports"]["totalCount"], s["citationCount"]);
    assert_eq!(all.len() as u64, s["citationCount"].as_u64().unwrap());
    // The work plan's record cites S2 as a whole and for its figures.
    let wp3 = all
        .iter()
        .find(|n| n["record"]["id"] == "Initiative:IAI-WP3")
        .unwrap();
    let fields = wp3["fields"].as_array().unwrap();
    assert!(fields.contains(&json!("sources")), "{wp3}");
    assert!(
        fields.contains(&json!("figures: total value of projects")),
        "{wp3}"
    );
    // A relationship S2 reports.
    assert!(all.iter().any(|n| n["relationship"]
        == json!({ "kind": "HELD_BY", "from": { "id": "Meeting:IAI-TF-63" }, "to": { "id": "Body:IAI-TF" } })));
    // Pages of 7 give the same list.
    let mut paged = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = api
            .ok(
                None,
                r#"query($after: String) { source(code: "S2") { supports(first: 7, after: $after) {
                    pageInfo { hasNextPage endCursor }
                    nodes { fields record { id } relationship { kind from { id } to { id } } } } } }"#,
                json!({ "after": after }),
            )
            .await;
        let page = &data["source"]["supports"];
        paged.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(&paged, all);
}

#[test]
fn a_format_1_file_without_the_new_fields_still_imports() {
    let mut doc = fixture_value("small.json");
    doc["format"] = json!("asean-graph/1");
    strip(&mut doc);
    let store = TestStore::new();
    dataset::import(&store, doc.to_string().as_bytes(), Mode::Refuse).unwrap();
    let exported = dataset::to_json(&dataset::export_document(&store).unwrap());
    assert_eq!(
        serde_json::from_str::<Value>(&exported).unwrap(),
        fixture_value("small.json")
    );
}

/// Removes the fields format 2 added, wherever they are.
fn strip(v: &mut Value) {
    const ADDED: &[&str] = &[
        "stage",
        "qualifier",
        "figures",
        "presidedBy",
        "speakers",
        "recommended",
        "reportsTo",
        "prepares",
        "reportedAt",
        "author",
        "asOf",
        "endDatePrecision",
    ];
    match v {
        Value::Object(map) => {
            // Initiatives had figures and figures had `asOf` in format 1; meetings and
            // sources did not.
            let is_meeting = map.contains_key("startDate");
            let is_source = map.contains_key("publishedOn");
            map.retain(|k, _| match k.as_str() {
                "figures" => !is_meeting,
                "asOf" => !is_source,
                // Meetings had an end date in format 1; initiatives did not.
                "endDate" => is_meeting,
                k => !ADDED.contains(&k),
            });
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

#[tokio::test]
async fn participants_are_found_by_the_words_of_their_role() {
    let (_s, api) = server().await;
    // The oracle: the bundled file's participant links whose role, split on anything but
    // letters, holds the word.
    let file = bundled_json();
    let holding = |word: &str| -> BTreeSet<String> {
        file["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|m| {
                let code = m["code"].as_str().unwrap();
                m["participants"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(move |p| {
                        let role = p["role"].as_str()?.to_lowercase();
                        role.split(|c: char| !c.is_alphanumeric())
                            .any(|w| w == word)
                            .then(|| format!("Meeting:{code} {}", p["party"].as_str().unwrap()))
                    })
            })
            .collect()
    };
    for (asked, word) in [
        ("organiser", "organiser"),
        ("Partner", "partner"),
        ("CHAIR", "chair"),
    ] {
        let data = api
            .ok(
                None,
                "query($role: String!) { relationships(kind: PARTICIPANT, role: $role, first: 100) {
                    nodes { from { id } to { id } role } } }",
                json!({ "role": asked }),
            )
            .await;
        let found: BTreeSet<String> = data["relationships"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                format!(
                    "{} {}",
                    n["from"]["id"].as_str().unwrap(),
                    n["to"]["id"].as_str().unwrap()
                )
            })
            .collect();
        let expected = holding(word);
        assert!(
            !expected.is_empty(),
            "no role of the bundled file holds {word}"
        );
        assert_eq!(found, expected, "role: {asked}");
    }
    // The workshop's organiser is Cambodia (S1:3), and one meeting's links narrow the same way.
    let data = read(
        &api,
        r#"{ relationships(kind: PARTICIPANT, from: "Meeting:MPAC-CLMV-WORKSHOP-2018", role: "organiser") {
            nodes { to { id } role sources { code } } } }"#,
    )
    .await;
    assert_eq!(
        data["relationships"]["nodes"],
        json!([{ "to": { "id": "Member:KHM" }, "role": "host and organiser", "sources": [{ "code": "S1" }] }])
    );
    // Words must be whole and in order.
    let data = read(
        &api,
        r#"{ a: relationships(role: "organis") { totalCount } b: relationships(role: "organiser and host") { totalCount } }"#,
    )
    .await;
    assert_eq!(
        data,
        json!({ "a": { "totalCount": 0 }, "b": { "totalCount": 0 } })
    );
    // A role of no word is refused, naming the argument.
    let (code, message) = api
        .fails(
            None,
            r#"{ relationships(role: " - ") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("role: "), "{message}");
}
