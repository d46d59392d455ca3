//! Relationship writes through the real server over HTTP: links of every kind seen from
//! both ends, participants with their delegations, fundings, chairs, partner statuses,
//! figures, claims and citations, each with its history entry.

use crate::common::EDITOR;
use crate::common::{Api, FUNDING_FIELDS, PARTY, assert_logged, ids, server};
use crate::common::{citation_count, pick};
use serde_json::{Value, json};

/// A `link` case: the link, and a query showing it from both ends.
struct LinkCase {
    kind: &'static str,
    from: &'static str,
    to: &'static str,
    /// Reads the `from` end's view (the `to` ids it links to).
    forward: &'static str,
    /// Reads the `to` end's view (the `from` ids linked to it).
    backward: &'static str,
}

#[tokio::test]
async fn link_and_unlink_every_kind_both_directions() {
    let (_s, api) = server().await;
    for q in [
        r#"mutation { createBody(input: { code: "TB", name: "Test Body", sources: ["P2"] }) { id } }"#,
        r#"mutation { createInitiative(input: { code: "TI", name: "Test Initiative", kind: PROJECT, sources: ["P2"] }) { id } }"#,
        r#"mutation { createMeeting(input: { code: "TB-1", title: "Test Meeting", startDate: "2021-05-01", sources: ["P2"] }) { id } }"#,
        r#"mutation { createPerson(input: { code: "TP", name: "Test Person", sources: ["P2"] }) { id } }"#,
    ] {
        api.ok(Some(EDITOR), q, json!({})).await;
    }
    let cases = [
        LinkCase {
            kind: "REPORTS_TO",
            from: "Body:TB",
            to: "Body:ACC",
            forward: r#"{ body(code: "TB") { parent { id } } }|body.parent"#,
            backward: r#"{ body(code: "ACC") { children { id } } }|body.children"#,
        },
        LinkCase {
            kind: "PART_OF",
            from: "Initiative:TI",
            to: "Initiative:IAI",
            forward: r#"{ initiative(code: "TI") { parent { id } } }|initiative.parent"#,
            backward: r#"{ initiative(code: "IAI") { children(first: 100) { nodes { id } } } }|initiative.children.nodes"#,
        },
        LinkCase {
            kind: "LED_BY",
            from: "Initiative:TI",
            to: "Body:IAI-TF",
            forward: r#"{ initiative(code: "TI") { leadBodies { id } } }|initiative.leadBodies"#,
            backward: r#"{ body(code: "IAI-TF") { initiatives(first: 100) { nodes { id } } } }|body.initiatives.nodes"#,
        },
        LinkCase {
            kind: "HELD_BY",
            from: "Meeting:TB-1",
            to: "Body:IAI-TF",
            forward: r#"{ meeting(code: "TB-1") { body { id } } }|meeting.body"#,
            backward: r#"{ body(code: "IAI-TF") { meetings(first: 100) { nodes { id } } } }|body.meetings.nodes"#,
        },
        LinkCase {
            kind: "CHAIRED_BY",
            from: "Meeting:TB-1",
            to: "Member:LAO",
            forward: r#"{ meeting(code: "TB-1") { chair { id } } }|meeting.chair"#,
            backward: r#"{ meetings(chair: "LAO", first: 100) { nodes { id } } }|meetings.nodes"#,
        },
        LinkCase {
            kind: "DISCUSSED",
            from: "Meeting:TB-1",
            to: "Initiative:TI",
            forward: r#"{ meeting(code: "TB-1") { initiatives { nodes { id } } } }|meeting.initiatives.nodes"#,
            backward: r#"{ initiative(code: "TI") { meetings { nodes { id } } } }|initiative.meetings.nodes"#,
        },
        LinkCase {
            kind: "APPROVED",
            from: "Meeting:TB-1",
            to: "Initiative:IAI-WP4",
            forward: r#"{ meeting(code: "TB-1") { approved { nodes { id } } } }|meeting.approved.nodes"#,
            backward: r#"{ initiative(code: "IAI-WP4") { meetings(first: 100) { nodes { id } } } }|initiative.meetings.nodes"#,
        },
        LinkCase {
            kind: "REPRESENTS",
            from: "Person:TP",
            to: "Member:LAO",
            forward: r#"{ person(code: "TP") { represents { id } } }|person.represents"#,
            backward: r#"{ member(code: "LAO") { people { id } } }|member.people"#,
        },
        LinkCase {
            kind: "REPORTS_TO_MEETING",
            from: "Meeting:TB-1",
            to: "Meeting:ACC-30",
            forward: r#"{ meetings(first: 100, filter: { reportedToBy: { some: { code: { eq: "TB-1" } } } }) { nodes { id } } }|meetings.nodes"#,
            backward: r#"{ meetings(first: 100, filter: { reportsTo: { some: { code: { eq: "ACC-30" } } } }) { nodes { id } } }|meetings.nodes"#,
        },
        LinkCase {
            kind: "PREPARES",
            from: "Meeting:TB-1",
            to: "Meeting:SUMMIT-47",
            forward: r#"{ meetings(first: 100, filter: { preparedBy: { some: { code: { eq: "TB-1" } } } }) { nodes { id } } }|meetings.nodes"#,
            backward: r#"{ meetings(first: 100, filter: { prepares: { some: { code: { eq: "SUMMIT-47" } } } }) { nodes { id } } }|meetings.nodes"#,
        },
        LinkCase {
            kind: "REPORTED_AT",
            from: "Meeting:TB-1",
            to: "Meeting:JCM-2021-09-22",
            forward: r#"{ meetings(first: 100, filter: { heardResultsOf: { some: { code: { eq: "TB-1" } } } }) { nodes { id } } }|meetings.nodes"#,
            backward: r#"{ meetings(first: 100, filter: { reportedAt: { some: { code: { eq: "JCM-2021-09-22" } } } }) { nodes { id } } }|meetings.nodes"#,
        },
        LinkCase {
            kind: "RECOMMENDED",
            from: "Meeting:TB-1",
            to: "Initiative:TI",
            forward: r#"{ meeting(code: "TB-1") { recommended { nodes { id } } } }|meeting.recommended.nodes"#,
            backward: r#"{ meetings(first: 100, filter: { recommended: { some: { code: { eq: "TI" } } } }) { nodes { id } } }|meetings.nodes"#,
        },
        LinkCase {
            kind: "SPOKE_AT",
            from: "Person:TP",
            to: "Meeting:TB-1",
            forward: r#"{ person(code: "TP") { spokeAt { id } } }|person.spokeAt"#,
            backward: r#"{ meeting(code: "TB-1") { speakers { id } } }|meeting.speakers"#,
        },
        LinkCase {
            kind: "PRESIDED",
            from: "Person:TP",
            to: "Meeting:TB-1",
            forward: r#"{ person(code: "TP") { presided { id } } }|person.presided"#,
            backward: r#"{ meeting(code: "TB-1") { presidedBy { id } } }|meeting.presidedBy"#,
        },
    ];
    let view = |spec: &'static str| {
        let api = &api;
        async move {
            let (q, path) = spec.split_once('|').unwrap();
            pick(&api.ok(None, q, json!({})).await, path)
        }
    };
    for c in &cases {
        let what = format!("{} {} → {}", c.kind, c.from, c.to);
        assert!(
            !view(c.forward).await.contains(&c.to.to_owned()),
            "{what} before"
        );
        let data = api
            .ok(
                Some(EDITOR),
                "mutation($kind: LinkKind!, $from: ID!, $to: ID!) {
                    link(kind: $kind, from: $from, to: $to, sources: [\"p2\"]) { id } }",
                json!({ "kind": c.kind, "from": c.from, "to": c.to }),
            )
            .await;
        assert_eq!(data["link"]["id"], c.from, "{what}");
        assert!(
            view(c.forward).await.contains(&c.to.to_owned()),
            "{what}: forward"
        );
        assert!(
            view(c.backward).await.contains(&c.from.to_owned()),
            "{what}: backward"
        );
        assert_logged(&api, c.from, "link", "ana").await;

        let data = api
            .ok(
                Some(EDITOR),
                "mutation($kind: LinkKind!, $from: ID!, $to: ID!) { unlink(kind: $kind, from: $from, to: $to) }",
                json!({ "kind": c.kind, "from": c.from, "to": c.to }),
            )
            .await;
        assert_eq!(data["unlink"], true);
        assert!(
            !view(c.forward).await.contains(&c.to.to_owned()),
            "{what}: after unlink"
        );
        assert!(
            !view(c.backward).await.contains(&c.from.to_owned()),
            "{what}: after unlink"
        );
        assert_logged(&api, c.from, "unlink", "ana").await;
    }

    // A kind that allows one link: the new link replaces the old, at both ends.
    let link = "mutation($to: ID!) { link(kind: HELD_BY, from: \"Meeting:TB-1\", to: $to, sources: [\"P2\"]) { id } }";
    api.ok(Some(EDITOR), link, json!({ "to": "Body:IAI-TF" }))
        .await;
    api.ok(Some(EDITOR), link, json!({ "to": "Body:ACC" }))
        .await;
    assert_eq!(view(cases[3].forward).await, ["Body:ACC"]);
    assert!(
        !view(cases[3].backward)
            .await
            .contains(&"Meeting:TB-1".to_owned())
    );
    let data = api
        .ok(
            None,
            r#"{ body(code: "ACC") { meetings(first: 100) { nodes { id } } } }"#,
            json!({}),
        )
        .await;
    assert!(pick(&data, "body.meetings.nodes").contains(&"Meeting:TB-1".to_owned()));
}

#[tokio::test]
async fn participants_are_added_and_removed_with_their_delegation() {
    let (_s, api) = server().await;
    api.ok(
        Some(EDITOR),
        r#"mutation { createMeeting(input: { code: "TB-1", title: "Test Meeting", startDate: "2021-05-01", sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;
    let data = api
        .ok(
            Some(EDITOR),
            &format!(
                "mutation {{ addParticipant(meeting: \"tb-1\", party: \"Member:LAO\", role: \"chair\",
                    headOfDelegation: \"bovonethat-douangchak\", sources: [\"P36\"]) {{
                    party {PARTY} meeting {{ id }} role headOfDelegation {{ id }} sources {{ id }} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        data["addParticipant"],
        json!({ "party": { "id": "Member:LAO" }, "meeting": { "id": "Meeting:TB-1" },
            "role": "chair", "headOfDelegation": { "id": "Person:BOVONETHAT-DOUANGCHAK" },
            "sources": [{ "id": "Source:P36" }] })
    );
    let read = api
        .ok(
            None,
            &format!(
                "{{ meeting(code: \"TB-1\") {{ participants {{ party {PARTY} role headOfDelegation {{ id }} }} }}
                   person(code: \"BOVONETHAT-DOUANGCHAK\") {{ delegations {{ meeting {{ id }} party {PARTY} }} }}
                   member(code: \"LAO\") {{ meetings(first: 100) {{ nodes {{ id }} }} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        read["meeting"]["participants"],
        json!([{ "party": { "id": "Member:LAO" }, "role": "chair",
            "headOfDelegation": { "id": "Person:BOVONETHAT-DOUANGCHAK" } }])
    );
    assert!(
        read["person"]["delegations"].as_array().unwrap().contains(
            &json!({ "meeting": { "id": "Meeting:TB-1" }, "party": { "id": "Member:LAO" } })
        ),
        "{read}"
    );
    assert!(pick(&read, "member.meetings.nodes").contains(&"Meeting:TB-1".to_owned()));
    assert_logged(&api, "Meeting:TB-1", "addParticipant", "ana").await;
    assert_logged(
        &api,
        "Person:BOVONETHAT-DOUANGCHAK",
        "addParticipant",
        "ana",
    )
    .await;

    // Adding the party again replaces its role and head of delegation.
    api.ok(
        Some(EDITOR),
        "mutation { addParticipant(meeting: \"TB-1\", party: \"Member:LAO\", role: \"host\",
            headOfDelegation: \"KAO-KIM-HOURN\", sources: [\"P36\"]) { role } }",
        json!({}),
    )
    .await;
    let read = api
        .ok(
            None,
            &format!(
                "{{ meeting(code: \"TB-1\") {{ participants {{ party {PARTY} role headOfDelegation {{ id }} }} }}
                   a: person(code: \"BOVONETHAT-DOUANGCHAK\") {{ delegations {{ meeting {{ id }} }} }}
                   b: person(code: \"KAO-KIM-HOURN\") {{ delegations {{ meeting {{ id }} party {PARTY} }} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        read["meeting"]["participants"],
        json!([{ "party": { "id": "Member:LAO" }, "role": "host",
            "headOfDelegation": { "id": "Person:KAO-KIM-HOURN" } }])
    );
    assert!(
        !read["a"]["delegations"].to_string().contains("TB-1"),
        "{read}"
    );
    assert!(
        read["b"]["delegations"].as_array().unwrap().contains(
            &json!({ "meeting": { "id": "Meeting:TB-1" }, "party": { "id": "Member:LAO" } })
        ),
        "{read}"
    );
    assert_logged(
        &api,
        "Person:BOVONETHAT-DOUANGCHAK",
        "addParticipant",
        "ana",
    )
    .await;
    assert_logged(&api, "Person:KAO-KIM-HOURN", "addParticipant", "ana").await;

    let data = api
        .ok(
            Some(EDITOR),
            "mutation { removeParticipant(meeting: \"TB-1\", party: \"Member:LAO\") }",
            json!({}),
        )
        .await;
    assert_eq!(data["removeParticipant"], true);
    let read = api
        .ok(
            None,
            "{ meeting(code: \"TB-1\") { participants { role } }
               person(code: \"KAO-KIM-HOURN\") { delegations { meeting { id } } }
               member(code: \"LAO\") { meetings(first: 100) { nodes { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(read["meeting"]["participants"], json!([]));
    assert!(
        !read["person"]["delegations"].to_string().contains("TB-1"),
        "{read}"
    );
    assert!(!pick(&read, "member.meetings.nodes").contains(&"Meeting:TB-1".to_owned()));
    assert_logged(&api, "Meeting:TB-1", "removeParticipant", "ana").await;
    assert_logged(&api, "Person:KAO-KIM-HOURN", "removeParticipant", "ana").await;
}

/// (funder, target) of `fundings(under:)`.
async fn listed_fundings(api: &Api, under: &str) -> Vec<(String, String)> {
    let data = api
        .ok(
            None,
            "query($under: String) { fundings(under: $under, first: 100) { nodes {
                funder { ... on Member { id } ... on Partner { id } }
                target { ... on Initiative { id } ... on Meeting { id } } } } }",
            json!({ "under": under }),
        )
        .await;
    data["fundings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["funder"]["id"].as_str().unwrap().to_owned(),
                f["target"]["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn fundings_are_added_updated_and_removed() {
    let (_s, api) = server().await;
    let read_query = format!(
        "{{ partner(code: \"KOR\") {{ fundings {{ nodes {{ {FUNDING_FIELDS} }} }} }}
           initiative(code: \"IAI-WP3\") {{ fundings {{ nodes {{ funder {{ ... on Partner {{ id }} }} amountUsd }} }} }}
           meeting(code: \"IAI-TF-63\") {{ approvedFundings {{ nodes {{ funder {{ ... on Member {{ id }} ... on Partner {{ id }} }} }} }} }} }}"
    );
    let before = api.ok(None, &read_query, json!({})).await;
    assert_eq!(before["partner"]["fundings"]["nodes"], json!([]));

    let data = api
        .ok(
            Some(EDITOR),
            &format!(
                "mutation {{ addFunding(input: {{ funder: \"Partner:KOR\", target: \"Initiative:IAI-WP3\",
                    amountUsd: 1500000, projectCount: 3, approvedAt: \"iai-tf-63\", note: \"test\",
                    sources: [\"s2\"] }}) {{ {FUNDING_FIELDS} }} }}"
            ),
            json!({}),
        )
        .await;
    let funding = json!({ "funder": { "id": "Partner:KOR" }, "target": { "id": "Initiative:IAI-WP3" },
        "amountUsd": 1500000.0, "projectCount": 3, "approvedAt": { "id": "Meeting:IAI-TF-63" },
        "note": "test", "sources": [{ "id": "Source:S2" }] });
    assert_eq!(data["addFunding"], funding);
    let read = api.ok(None, &read_query, json!({})).await;
    assert_eq!(read["partner"]["fundings"]["nodes"], json!([funding]));
    assert!(
        read["initiative"]["fundings"]["nodes"]
            .as_array()
            .unwrap()
            .contains(&json!({ "funder": { "id": "Partner:KOR" }, "amountUsd": 1500000.0 }))
    );
    assert!(
        read["meeting"]["approvedFundings"]["nodes"]
            .to_string()
            .contains("Partner:KOR")
    );
    let under = listed_fundings(&api, "IAI").await;
    assert!(
        under.contains(&("Partner:KOR".to_owned(), "Initiative:IAI-WP3".to_owned())),
        "{under:?}"
    );
    assert_logged(&api, "Partner:KOR", "addFunding", "ana").await;

    let data = api
        .ok(
            Some(EDITOR),
            &format!(
                "mutation {{ updateFunding(funder: \"Partner:KOR\", target: \"Initiative:IAI-WP3\",
                    input: {{ amountUsd: 2000000, approvedAt: null }}) {{ {FUNDING_FIELDS} }} }}"
            ),
            json!({}),
        )
        .await;
    let mut updated = funding.clone();
    updated["amountUsd"] = json!(2000000.0);
    updated["approvedAt"] = Value::Null;
    assert_eq!(data["updateFunding"], updated);
    let read = api.ok(None, &read_query, json!({})).await;
    assert_eq!(read["partner"]["fundings"]["nodes"], json!([updated]));
    assert!(
        !read["meeting"]["approvedFundings"]["nodes"]
            .to_string()
            .contains("Partner:KOR")
    );
    assert_logged(&api, "Partner:KOR", "updateFunding", "ana").await;

    let data = api
        .ok(
            Some(EDITOR),
            "mutation { removeFunding(funder: \"Partner:KOR\", target: \"Initiative:IAI-WP3\") }",
            json!({}),
        )
        .await;
    assert_eq!(data["removeFunding"], true);
    let read = api.ok(None, &read_query, json!({})).await;
    assert_eq!(read, before);
    let under = listed_fundings(&api, "IAI").await;
    assert!(!under.iter().any(|(f, _)| f == "Partner:KOR"), "{under:?}");
    assert_logged(&api, "Partner:KOR", "removeFunding", "ana").await;
}

#[tokio::test]
async fn chairs_are_added_and_removed_for_a_body_and_for_asean() {
    let (_s, api) = server().await;
    let fields = "body { id } member { id } year sources { id }";
    let data = api
        .ok(
            Some(EDITOR),
            &format!(
                "mutation {{ a: addChair(body: \"iai-tf\", member: \"lao\", year: 2099, sources: [\"P36\"]) {{ {fields} }}
                             b: addChair(member: \"TLS\", year: 2099, sources: [\"P36\"]) {{ {fields} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        data["a"],
        json!({ "body": { "id": "Body:IAI-TF" }, "member": { "id": "Member:LAO" }, "year": 2099,
            "sources": [{ "id": "Source:P36" }] })
    );
    assert_eq!(
        data["b"],
        json!({ "body": null, "member": { "id": "Member:TLS" }, "year": 2099,
            "sources": [{ "id": "Source:P36" }] })
    );
    let read_query = "{ body(code: \"IAI-TF\") { chairs { year member { id } } }
        lao: member(code: \"LAO\") { chairmanships { year body { id } } }
        tls: member(code: \"TLS\") { chairmanships { year body { id } } } }";
    let read = api.ok(None, read_query, json!({})).await;
    assert!(
        read["body"]["chairs"]
            .as_array()
            .unwrap()
            .contains(&json!({ "year": 2099, "member": { "id": "Member:LAO" } })),
        "{read}"
    );
    assert!(
        read["lao"]["chairmanships"]
            .as_array()
            .unwrap()
            .contains(&json!({ "year": 2099, "body": { "id": "Body:IAI-TF" } }))
    );
    assert!(
        read["tls"]["chairmanships"]
            .as_array()
            .unwrap()
            .contains(&json!({ "year": 2099, "body": null }))
    );
    assert_logged(&api, "Member:LAO", "addChair", "ana").await;
    assert_logged(&api, "Member:TLS", "addChair", "ana").await;

    let data = api
        .ok(
            Some(EDITOR),
            "mutation { a: removeChair(body: \"IAI-TF\", year: 2099) b: removeChair(year: 2099) }",
            json!({}),
        )
        .await;
    assert_eq!(data, json!({ "a": true, "b": true }));
    let read = api.ok(None, read_query, json!({})).await;
    assert!(!read.to_string().contains("2099"), "{read}");
    assert_logged(&api, "Member:LAO", "removeChair", "ana").await;
    assert_logged(&api, "Member:TLS", "removeChair", "ana").await;
}

#[tokio::test]
async fn statuses_figures_claims_and_citations_are_added_and_removed() {
    let (_s, api) = server().await;
    api.ok(
        Some(EDITOR),
        r#"mutation { createPartner(input: { code: "TSTP", name: "Test Partner", sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;

    // Partner statuses.
    let fields = "kind since statuses { kind from fromPrecision to note sources { id } }";
    let data = api
        .ok(
            Some(EDITOR),
            &format!(
                "mutation {{
                    a: addPartnerStatus(partner: \"tstp\", input: {{ kind: DEVELOPMENT_PARTNER,
                        from: \"2000-01-01\", to: \"2010-12-31\", sources: [\"P2\"] }}) {{ {fields} }}
                    b: addPartnerStatus(partner: \"TSTP\", input: {{ kind: DIALOGUE_PARTNER,
                        from: \"2011-01-01\", fromPrecision: YEAR, note: \"n\", sources: [\"P2\"] }}) {{ {fields} }} }}"
            ),
            json!({}),
        )
        .await;
    let statuses = json!([
        { "kind": "DEVELOPMENT_PARTNER", "from": "2000-01-01", "fromPrecision": "DAY",
          "to": "2010-12-31", "note": null, "sources": [{ "id": "Source:P2" }] },
        { "kind": "DIALOGUE_PARTNER", "from": "2011-01-01", "fromPrecision": "YEAR",
          "to": null, "note": "n", "sources": [{ "id": "Source:P2" }] },
    ]);
    assert_eq!(
        data["b"],
        json!({ "kind": "DIALOGUE_PARTNER", "since": "2011-01-01", "statuses": statuses })
    );
    let read = api
        .ok(
            None,
            &format!("{{ partner(code: \"TSTP\") {{ {fields} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(read["partner"], data["b"]);
    let as_of = api
        .ok(
            None,
            "{ a: partners(kind: DEVELOPMENT_PARTNER, asOf: \"2005-06-01\", first: 100) { nodes { id } }
               b: partners(kind: DIALOGUE_PARTNER, asOf: \"2015-06-01\", first: 100) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert!(pick(&as_of, "a.nodes").contains(&"Partner:TSTP".to_owned()));
    assert!(pick(&as_of, "b.nodes").contains(&"Partner:TSTP".to_owned()));
    assert_logged(&api, "Partner:TSTP", "addPartnerStatus", "ana").await;
    let data = api
        .ok(
            Some(EDITOR),
            &format!("mutation {{ removePartnerStatus(partner: \"TSTP\", from: \"2011-01-01\") {{ {fields} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(
        data["removePartnerStatus"]["statuses"],
        json!([statuses[0].clone()])
    );
    let read = api
        .ok(
            None,
            &format!("{{ partner(code: \"TSTP\") {{ {fields} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(read["partner"], data["removePartnerStatus"]);
    assert_logged(&api, "Partner:TSTP", "removePartnerStatus", "ana").await;

    // Figures.
    let figure = json!({ "label": "test projects", "value": 42.5, "unit": "projects",
        "asOf": "2021-03-25", "note": null, "source": { "id": "Source:S2" } });
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { addFigure(initiative: \"iai-wp4\", input: { label: \"test projects\", value: 42.5,
                unit: \"projects\", asOf: \"2021-03-25\", source: \"s2\" }) {
                figures { label value unit asOf note source { id } } } }",
            json!({}),
        )
        .await;
    assert!(
        data["addFigure"]["figures"]
            .as_array()
            .unwrap()
            .contains(&figure)
    );
    let read_figures = "{ initiative(code: \"IAI-WP4\") { figures { label value unit asOf note source { id } } } }";
    let read = api.ok(None, read_figures, json!({})).await;
    assert_eq!(read["initiative"]["figures"], data["addFigure"]["figures"]);
    assert_logged(&api, "Initiative:IAI-WP4", "addFigure", "ana").await;
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { removeFigure(initiative: \"IAI-WP4\", label: \"test projects\", asOf: \"2021-03-25\") {
                figures { label } } }",
            json!({}),
        )
        .await;
    assert!(!data.to_string().contains("test projects"));
    let read = api.ok(None, read_figures, json!({})).await;
    assert!(!read.to_string().contains("test projects"));
    assert_logged(&api, "Initiative:IAI-WP4", "removeFigure", "ana").await;

    // Claims, on any kind of record.
    let claim = json!({ "field": "joinedOn", "value": "1995-07-28", "note": "test",
        "source": { "id": "Source:P2" } });
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { addClaim(id: \"Member:VNM\", input: { field: \"joinedOn\", value: \"1995-07-28\",
                source: \"p2\", note: \"test\" }) { id ... on Member { claims { field value note source { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["addClaim"]["id"], "Member:VNM");
    assert!(
        data["addClaim"]["claims"]
            .as_array()
            .unwrap()
            .contains(&claim)
    );
    let read_claims = "{ member(code: \"VNM\") { claims { field value note source { id } } } }";
    let read = api.ok(None, read_claims, json!({})).await;
    assert_eq!(read["member"]["claims"], data["addClaim"]["claims"]);
    assert_logged(&api, "Member:VNM", "addClaim", "ana").await;
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { removeClaim(id: \"Member:VNM\", field: \"joinedOn\", source: \"P2\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(data["removeClaim"]["id"], "Member:VNM");
    let read = api.ok(None, read_claims, json!({})).await;
    assert!(
        !read["member"]["claims"]
            .as_array()
            .unwrap()
            .contains(&claim)
    );
    assert_logged(&api, "Member:VNM", "removeClaim", "ana").await;

    // Citations: a source VNM does not cite yet.
    let read_sources = "{ member(code: \"VNM\") { sources { id } } }";
    let cited = ids(&api.ok(None, read_sources, json!({})).await["member"]["sources"]);
    assert!(!cited.contains(&"Source:P36".to_owned()));
    let citations = citation_count(&api, "P36").await;
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { addSource(id: \"Member:VNM\", source: \"p36\") { ... on Member { sources { id } } } }",
            json!({}),
        )
        .await;
    let mut expected = cited.clone();
    expected.push("Source:P36".into());
    assert_eq!(ids(&data["addSource"]["sources"]), expected);
    assert_eq!(
        ids(&api.ok(None, read_sources, json!({})).await["member"]["sources"]),
        expected
    );
    assert_eq!(citation_count(&api, "P36").await, citations + 1);
    assert_logged(&api, "Member:VNM", "addSource", "ana").await;
    let data = api
        .ok(
            Some(EDITOR),
            "mutation { removeSource(id: \"Member:VNM\", source: \"P36\") { ... on Member { sources { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(ids(&data["removeSource"]["sources"]), cited);
    assert_eq!(
        ids(&api.ok(None, read_sources, json!({})).await["member"]["sources"]),
        cited
    );
    assert_eq!(citation_count(&api, "P36").await, citations);
    assert_logged(&api, "Member:VNM", "removeSource", "ana").await;
}

#[tokio::test]
async fn a_head_of_one_delegation_is_not_moved_silently_to_another_party_s() {
    let (_s, api) = server().await;
    // Nguyen Hai Bang heads Viet Nam's delegation to IAI-TF-63.
    // Timor-Leste, not yet a member in 2021, is no participant of it.
    let add = r#"mutation { addParticipant(meeting: "IAI-TF-63", party: "Member:TLS",
        headOfDelegation: "NGUYEN-HAI-BANG", sources: ["S2"]) { role } }"#;
    let (code, message) = api.fails(Some(EDITOR), add, json!({})).await;
    assert_eq!(code, "CONFLICT", "{message}");
    assert!(message.contains("Member:VNM"), "{message}");
    let data = api
        .ok(
            None,
            r#"{ meeting(code: "IAI-TF-63") { participants { party { ... on Member { code } } headOfDelegation { code } } } }"#,
            json!({}),
        )
        .await;
    let participants = data["meeting"]["participants"].as_array().unwrap();
    assert!(
        participants
            .iter()
            .any(|p| p["party"]["code"] == "VNM"
                && p["headOfDelegation"]["code"] == "NGUYEN-HAI-BANG"),
        "{data}"
    );
    assert!(
        !participants.iter().any(|p| p["party"]["code"] == "TLS"),
        "{data}"
    );
}
