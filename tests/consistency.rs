//! Referential integrity both ways, indexes following every write, and concurrent writers
//! ending in a serial state: through the real server over HTTP, with `check` (the CLI) clean
//! on the store afterwards.

use crate::common::{ADMIN, ChildServer, EDITOR, TOKENS, check};
use crate::common::{Api, error_of, ids, server, snapshot, whole_history};
use crate::common::{citation_count, pick};
use serde_json::json;
use std::collections::HashSet;
use std::time::Duration;

// ---------------------------------------------------------------------------------------
// Referential integrity, and `check` on the store afterwards (through the CLI).

#[tokio::test]
async fn referential_integrity_holds_both_ways_and_check_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let s = ChildServer::start(&dir, Some(TOKENS)).await;
    let api = Api::new(&s.base, &s.client);

    // An edge to or from a record that does not exist is refused.
    for (query, missing) in [
        (
            r#"mutation { addFunding(input: { funder: "Partner:KOR", target: "Meeting:NOPE-1", sources: ["S2"] }) { amountUsd } }"#,
            "NOPE-1",
        ),
        (
            r#"mutation { addFunding(input: { funder: "Member:XXX", target: "Initiative:IAI", sources: ["S2"] }) { amountUsd } }"#,
            "XXX",
        ),
        (
            r#"mutation { link(kind: PART_OF, from: "Initiative:IAI-WP4", to: "Initiative:NOPE", sources: ["P2"]) { id } }"#,
            "NOPE",
        ),
        (
            r#"mutation { link(kind: REPRESENTS, from: "Person:NO-ONE", to: "Member:VNM", sources: ["P2"]) { id } }"#,
            "NO-ONE",
        ),
        (
            r#"mutation { addParticipant(meeting: "NOPE-1", party: "Member:VNM", sources: ["P2"]) { role } }"#,
            "NOPE-1",
        ),
        (
            r#"mutation { addParticipant(meeting: "IAI-TF-63", party: "Body:NOPE", sources: ["P2"]) { role } }"#,
            "NOPE",
        ),
        (
            r#"mutation { addChair(body: "NOPE", member: "VNM", year: 2099, sources: ["P2"]) { year } }"#,
            "NOPE",
        ),
        (
            r#"mutation { addChair(body: "ACC", member: "XXX", year: 2099, sources: ["P2"]) { year } }"#,
            "XXX",
        ),
    ] {
        let (code, message) = api.fails(Some(EDITOR), query, json!({})).await;
        assert_eq!(code, "NOT_FOUND", "{query}: {message}");
        assert!(message.contains(missing), "{query}: {message}");
    }
    // A record with edges cannot be deleted without cascade.
    for query in [
        r#"mutation { deletePartner(code: "JPN") }"#,
        r#"mutation { deleteBody(code: "IAI-TF") }"#,
        r#"mutation { deletePerson(code: "NGUYEN-HAI-BANG") }"#,
        r#"mutation { deleteMeeting(code: "IAI-TF-63") }"#,
    ] {
        let (code, _) = api.fails(Some(EDITOR), query, json!({})).await;
        assert_eq!(code, "CONFLICT", "{query}");
    }
    // With cascade (admin), every relationship goes with the record: Viet Nam first, whose
    // participation in IAI-TF-63 had a head of delegation.
    for query in [
        r#"mutation { deleteMember(code: "VNM", cascade: true) }"#,
        r#"mutation { deletePartner(code: "JPN", cascade: true) }"#,
        r#"mutation { deleteBody(code: "IAI-TF", cascade: true) }"#,
        r#"mutation { deletePerson(code: "NGUYEN-HAI-BANG", cascade: true) }"#,
        r#"mutation { deleteMeeting(code: "IAI-TF-63", cascade: true) }"#,
        r#"mutation { deleteInitiative(code: "IAI-WP4", cascade: true) }"#,
        r#"mutation { deleteMember(code: "SGP", cascade: true) }"#,
    ] {
        let data = api.ok(Some(ADMIN), query, json!({})).await;
        assert_eq!(
            data.as_object().unwrap().values().next().unwrap(),
            true,
            "{query}"
        );
    }
    let snap = snapshot(&api).await;
    let mut without_log = snap.clone();
    without_log.as_object_mut().unwrap().remove("changes");
    let text = without_log.to_string();
    for gone in [
        "Member:VNM",
        "Partner:JPN",
        "Body:IAI-TF\"",
        "Person:NGUYEN-HAI-BANG",
        "Meeting:IAI-TF-63",
        "Initiative:IAI-WP4\"",
        "Member:SGP",
    ] {
        assert!(!text.contains(gone), "{gone} is still referred to");
    }
    assert!(
        s.terminate().await,
        "the server did not exit cleanly on SIGTERM"
    );
    let (clean, report) = check(&dir).await;
    assert!(clean, "{report}");
}

/// A source stays while anything cites it: a claim, a figure, a partner status or a
/// relationship; each citer is named. Once the citations go, so can the source.
#[tokio::test]
async fn a_source_cited_anywhere_cannot_be_deleted() {
    let (_s, api) = server().await;
    let cite = [
        (
            "T1",
            r#"mutation { addClaim(id: "Member:VNM", input: { field: "x", value: "v", source: "T1" }) { id } }"#,
            "Member:VNM",
            r#"mutation { removeClaim(id: "Member:VNM", field: "x", source: "T1") { id } }"#,
        ),
        (
            "T2",
            r#"mutation { addFigure(initiative: "IAI", input: { label: "x", value: 1, source: "T2" }) { code } }"#,
            "Initiative:IAI",
            r#"mutation { removeFigure(initiative: "IAI", label: "x") { code } }"#,
        ),
        (
            "T3",
            r#"mutation { addPartnerStatus(partner: "TUR", input: { kind: DEVELOPMENT_PARTNER, from: "1990-01-01", to: "1990-12-31", sources: ["T3"] }) { code } }"#,
            "Partner:TUR",
            r#"mutation { removePartnerStatus(partner: "TUR", from: "1990-01-01") { code } }"#,
        ),
        (
            "T4",
            r#"mutation { addFunding(input: { funder: "Partner:KOR", target: "Initiative:IAI-WP3", sources: ["T4"] }) { amountUsd } }"#,
            "Partner:KOR → Initiative:IAI-WP3",
            r#"mutation { removeFunding(funder: "Partner:KOR", target: "Initiative:IAI-WP3") }"#,
        ),
    ];
    for (code, add, citer, remove) in cite {
        api.ok(
            Some(EDITOR),
            "mutation($code: String!) { createSource(input: { code: $code, title: \"t\" }) { id } }",
            json!({ "code": code }),
        )
        .await;
        api.ok(Some(EDITOR), add, json!({})).await;
        assert_eq!(citation_count(&api, code).await, 1, "{code}");
        let delete = "mutation($code: String!) { deleteSource(code: $code) }";
        let before = snapshot(&api).await;
        let (error, message) = api
            .fails(Some(EDITOR), delete, json!({ "code": code }))
            .await;
        assert_eq!(error, "CONFLICT", "{code}: {message}");
        assert!(
            message.contains(&format!("{citer} (cites it)")),
            "{code}: {message}"
        );
        assert_eq!(snapshot(&api).await, before);
        api.ok(Some(EDITOR), remove, json!({})).await;
        assert_eq!(citation_count(&api, code).await, 0, "{code}");
        let data = api.ok(Some(EDITOR), delete, json!({ "code": code })).await;
        assert_eq!(data["deleteSource"], true);
    }
}

/// The ids a query's list at `path` holds.
async fn listed(api: &Api, query: &str, path: &str) -> Vec<String> {
    pick(&api.ok(None, query, json!({})).await, path)
}

/// Search, facets and the date index change with the records, in the same write; `check`
/// finds them consistent afterwards.
#[tokio::test]
async fn indexes_follow_every_write_and_check_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let s = ChildServer::start(&dir, Some(TOKENS)).await;
    let api = Api::new(&s.base, &s.client);
    let editor = Some(EDITOR);
    let has = |list: Vec<String>, id: &str| list.contains(&id.to_owned());

    // Search: folded text, found after create, followed by update, gone after delete.
    api.ok(
        editor,
        r#"mutation { createMember(input: { code: "XTM", name: "Quokkaland", nameVi: "Xứ Thử Nghiệm", clmv: true, sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;
    let search =
        |text: &str| format!("{{ search(text: \"{text}\", first: 50) {{ nodes {{ id }} }} }}");
    assert!(has(
        listed(&api, &search("xu thu nghiem"), "search.nodes").await,
        "Member:XTM"
    ));
    assert!(has(
        listed(&api, &search("quokkaland"), "search.nodes").await,
        "Member:XTM"
    ));
    assert!(has(
        listed(
            &api,
            "{ members(clmv: true, first: 100) { nodes { id } } }",
            "members.nodes"
        )
        .await,
        "Member:XTM"
    ));
    api.ok(
        editor,
        r#"mutation { updateMember(code: "XTM", input: { name: "Wombatia", nameVi: null, clmv: false }) { id } }"#,
        json!({}),
    )
    .await;
    assert!(!has(
        listed(&api, &search("quokkaland"), "search.nodes").await,
        "Member:XTM"
    ));
    assert!(!has(
        listed(&api, &search("xu thu nghiem"), "search.nodes").await,
        "Member:XTM"
    ));
    assert!(has(
        listed(&api, &search("wombatia"), "search.nodes").await,
        "Member:XTM"
    ));
    assert!(!has(
        listed(
            &api,
            "{ members(clmv: true, first: 100) { nodes { id } } }",
            "members.nodes"
        )
        .await,
        "Member:XTM"
    ));
    assert!(has(
        listed(
            &api,
            "{ members(clmv: false, first: 100) { nodes { id } } }",
            "members.nodes"
        )
        .await,
        "Member:XTM"
    ));

    // Facets of bodies and initiatives.
    api.ok(
        editor,
        r#"mutation { updateBody(code: "ACC", input: { pillar: SOCIO_CULTURAL }) { id }
                      updateInitiative(code: "IAI-WP4", input: { kind: VISION }) { id } }"#,
        json!({}),
    )
    .await;
    assert!(has(
        listed(
            &api,
            "{ bodies(pillar: SOCIO_CULTURAL, first: 100) { nodes { id } } }",
            "bodies.nodes"
        )
        .await,
        "Body:ACC"
    ));
    assert!(has(
        listed(
            &api,
            "{ initiatives(kind: VISION, first: 100) { nodes { id } } }",
            "initiatives.nodes"
        )
        .await,
        "Initiative:IAI-WP4"
    ));
    assert!(!has(
        listed(
            &api,
            "{ initiatives(kind: WORK_PLAN, first: 100) { nodes { id } } }",
            "initiatives.nodes"
        )
        .await,
        "Initiative:IAI-WP4"
    ));

    // The date index.
    let in_2031 =
        r#"{ meetings(from: "2031-05-01", to: "2031-05-31", first: 100) { nodes { id } } }"#;
    let in_2032 =
        r#"{ meetings(from: "2032-01-01", to: "2032-01-31", first: 100) { nodes { id } } }"#;
    api.ok(
        editor,
        r#"mutation { createMeeting(input: { code: "TB-1", title: "Test", startDate: "2031-05-05", sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        listed(&api, in_2031, "meetings.nodes").await,
        ["Meeting:TB-1"]
    );
    api.ok(
        editor,
        r#"mutation { updateMeeting(code: "TB-1", input: { startDate: "2032-01-02" }) { id } }"#,
        json!({}),
    )
    .await;
    assert!(listed(&api, in_2031, "meetings.nodes").await.is_empty());
    assert_eq!(
        listed(&api, in_2032, "meetings.nodes").await,
        ["Meeting:TB-1"]
    );

    // Deleted: in no index.
    api.ok(
        editor,
        r#"mutation { deleteMeeting(code: "TB-1") deleteMember(code: "XTM") }"#,
        json!({}),
    )
    .await;
    assert!(listed(&api, in_2032, "meetings.nodes").await.is_empty());
    assert!(!has(
        listed(&api, &search("wombatia"), "search.nodes").await,
        "Member:XTM"
    ));
    assert!(!has(
        listed(
            &api,
            "{ members(clmv: false, first: 100) { nodes { id } } }",
            "members.nodes"
        )
        .await,
        "Member:XTM"
    ));

    assert!(
        s.terminate().await,
        "the server did not exit cleanly on SIGTERM"
    );
    let (clean, report) = check(&dir).await;
    assert!(clean, "{report}");
}

// ---------------------------------------------------------------------------------------
// Concurrent writers.

/// Tasks, and writes per task (a multiple of 5: the task's cycle is five writes, plus one
/// racing create that only one task wins).
const TASKS: usize = 16;
const WRITES_PER_TASK: usize = 200;

#[tokio::test]
async fn concurrent_writers_end_in_a_serial_state_and_check_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let s = ChildServer::start(&dir, Some(TOKENS)).await;
    let api = std::sync::Arc::new(Api::new(&s.base, &s.client));
    let editor = Some(EDITOR);

    // Setup: a shared person every task updates and adds claims to; a shared target every
    // task funds and unfunds; one partner per task as its funder.
    api.ok(
        editor,
        r#"mutation { a: createPerson(input: { code: "SHARED", name: "Shared", sources: ["P2"] }) { id }
                      b: createInitiative(input: { code: "CONC-TARGET", name: "Target", kind: PROJECT, sources: ["P2"] }) { id } }"#,
        json!({}),
    )
    .await;
    let partners = ids(&api
        .ok(None, "{ partners(first: 100) { nodes { id } } }", json!({}))
        .await["partners"]["nodes"]);
    assert!(partners.len() >= TASKS);
    let people_before =
        api.ok(None, "{ people { totalCount } }", json!({})).await["people"]["totalCount"]
            .as_u64()
            .unwrap() as usize;
    let start_seq: String = api
        .ok(
            None,
            "{ history(id: \"Initiative:CONC-TARGET\", first: 1) { nodes { seq } } }",
            json!({}),
        )
        .await["history"]["nodes"][0]["seq"]
        .as_str()
        .unwrap()
        .to_owned();

    let cycles = WRITES_PER_TASK / 5;
    let mut tasks = Vec::new();
    for (t, funder) in partners.iter().take(TASKS).cloned().enumerate() {
        let api = std::sync::Arc::clone(&api);
        tasks.push(tokio::spawn(async move {
            let mut titles = Vec::new();
            let mut races_won = Vec::new();
            for c in 0..cycles {
                let code = format!("C{t}-{c}");
                let title = format!("title {t}-{c}");
                let steps = [
                    (
                        "mutation($code: String!) { createPerson(input: { code: $code, name: \"C\", sources: [\"P2\"] }) { code } }",
                        json!({ "code": code }),
                    ),
                    (
                        "mutation($title: String!) { updatePerson(code: \"SHARED\", input: { title: $title }) { title } }",
                        json!({ "title": title }),
                    ),
                    (
                        "mutation($field: String!) { addClaim(id: \"Person:SHARED\", input: { field: $field, value: \"v\", source: \"P2\" }) { id } }",
                        json!({ "field": format!("f{t}-{c}") }),
                    ),
                    (
                        "mutation($funder: ID!, $amount: Float!) { addFunding(input: { funder: $funder, target: \"Initiative:CONC-TARGET\", amountUsd: $amount, sources: [\"P2\"] }) { amountUsd } }",
                        json!({ "funder": funder, "amount": c as f64 }),
                    ),
                    (
                        "mutation($funder: ID!) { removeFunding(funder: $funder, target: \"Initiative:CONC-TARGET\") }",
                        json!({ "funder": funder }),
                    ),
                ];
                for (query, variables) in steps {
                    api.ok(Some(EDITOR), query, variables).await;
                }
                titles.push(title);
                // Every task also tries to create the same record: one wins, the others
                // get CONFLICT.
                let body = api
                    .body(
                        Some(EDITOR),
                        "mutation($code: String!) { createPerson(input: { code: $code, name: \"R\", sources: [\"P2\"] }) { code } }",
                        json!({ "code": format!("RACE-{c}") }),
                    )
                    .await;
                if body.get("errors").is_none() {
                    races_won.push(c);
                } else {
                    let (code, message) = error_of(&body, "race", &json!({}));
                    assert_eq!(code, "CONFLICT", "{message}");
                }
            }
            (titles, races_won)
        }));
    }
    let mut written_titles = HashSet::new();
    let mut races_won = vec![0; cycles];
    for task in tasks {
        let (titles, won) = tokio::time::timeout(Duration::from_secs(600), task)
            .await
            .expect("the writers stalled")
            .unwrap();
        written_titles.extend(titles);
        for c in won {
            races_won[c] += 1;
        }
    }
    assert_eq!(
        races_won,
        vec![1; cycles],
        "each raced record is created exactly once"
    );

    // Every created record exists.
    let people = api.ok(None, "{ people { totalCount } }", json!({})).await["people"]["totalCount"]
        .as_u64()
        .unwrap() as usize;
    assert_eq!(people, people_before + TASKS * cycles + cycles);
    for t in 0..TASKS {
        for c in [0, cycles / 2, cycles - 1] {
            let code = format!("C{t}-{c}");
            let data = api
                .ok(
                    None,
                    "query($code: String!) { person(code: $code) { code } }",
                    json!({ "code": code }),
                )
                .await;
            assert_eq!(data["person"]["code"], json!(code));
        }
    }
    // The shared record: no claim lost, and the title the last update in the log wrote.
    let shared = api
        .ok(
            None,
            "{ person(code: \"SHARED\") { title claims { field } } }",
            json!({}),
        )
        .await;
    let claims: HashSet<&str> = shared["person"]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(claims.len(), TASKS * cycles, "claims were lost");
    let title = shared["person"]["title"].as_str().unwrap();
    assert!(written_titles.contains(title), "{title}");
    // Every funding added was removed again.
    let target = api
        .ok(
            None,
            "{ initiative(code: \"CONC-TARGET\") { fundings { totalCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(target["initiative"]["fundings"]["totalCount"], 0);

    // The log: one entry per acknowledged write (and per race won), in increasing order.
    let mut log = Vec::new();
    let mut since = start_seq;
    // Pages of 100: each entry carries its whole record, and the shared person's grows with
    // every claim, so a page of 500 would pass the answer limit (`--max-response`).
    loop {
        let page = api
            .ok(
                None,
                "query($since: String) { changes(since: $since, first: 100) { seq op recordId after } }",
                json!({ "since": since }),
            )
            .await["changes"]
            .as_array()
            .unwrap()
            .clone();
        let Some(last) = page.last() else { break };
        since = last["seq"].as_str().unwrap().to_owned();
        log.extend(page);
    }
    assert_eq!(log.len(), TASKS * WRITES_PER_TASK + cycles, "log entries");
    let seqs: Vec<u64> = log
        .iter()
        .map(|e| e["seq"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "the log is not in order"
    );
    for (op, n) in [
        ("createPerson", TASKS * cycles + cycles),
        ("updatePerson", TASKS * cycles),
        ("addClaim", TASKS * cycles),
        ("addFunding", TASKS * cycles),
        ("removeFunding", TASKS * cycles),
    ] {
        assert_eq!(
            log.iter().filter(|e| e["op"] == op).count(),
            n,
            "{op} entries"
        );
    }
    // The serial order is the log's: the last title update in it is the title that stands.
    let last_update = log
        .iter()
        .rev()
        .find(|e| e["op"] == "updatePerson")
        .unwrap();
    assert_eq!(last_update["after"]["title"], json!(title));
    let history_len = |id: String| {
        let api = std::sync::Arc::clone(&api);
        async move {
            let seqs: Vec<u64> = whole_history(&api, &id, 100, "seq")
                .await
                .iter()
                .map(|e| e["seq"].as_str().unwrap().parse().unwrap())
                .collect();
            assert!(
                seqs.windows(2).all(|w| w[0] > w[1]),
                "{id}: history not newest first"
            );
            seqs.len()
        }
    };
    // create + one update and one claim per cycle per task.
    assert_eq!(
        history_len("Person:SHARED".into()).await,
        1 + 2 * TASKS * cycles
    );
    for funder in partners.iter().take(TASKS) {
        let n = history_len(funder.clone()).await;
        assert_eq!(n, 2 * cycles, "history of {funder}");
    }
    for c in 0..cycles {
        assert_eq!(history_len(format!("Person:RACE-{c}")).await, 1, "RACE-{c}");
    }

    assert!(
        s.terminate().await,
        "the server did not exit cleanly on SIGTERM"
    );
    let (clean, report) = check(&dir).await;
    assert!(clean, "{report}");
}

// ---------------------------------------------------------------------------------------
// A write and the request timeout.

/// Bug: the guard's `--timeout-ms` cut a mutation's request while its write went on (the
/// transaction runs on a blocking thread, which dropping the request does not stop), and
/// answered 503 "stopped" for a write that had committed, or that committed after. A client
/// told its write failed may send it again. Under a timeout shorter than a write, each
/// answer must now say what the store did: a record reported created exists, and a
/// request turned away created nothing.
#[tokio::test]
async fn bug_a_write_outlasting_the_request_timeout_is_answered_with_what_it_did() {
    let access = asean_graph::graphql::Access {
        tokens: asean_graph::graphql::Tokens::parse(TOKENS).unwrap(),
        read_needs_token: false,
    };
    let s = crate::common::TestServer::start_with(asean_graph::server::Config {
        graphql: asean_graph::graphql::Options {
            access: std::sync::Arc::new(access),
            ..Default::default()
        },
        rate_limit: 0.0,
        request_timeout: Duration::from_millis(1),
        ..Default::default()
    })
    .await;
    let (mut created, mut turned_away) = (0, 0);
    for i in 0..40 {
        let code = format!("TIMEOUT-{i}");
        let response = s
            .client
            .post(format!("{}/graphql", s.base))
            .bearer_auth(EDITOR)
            .json(&json!({
                "query": "mutation($code: String!) { createSource(input: { code: $code, title: \"T\" }) { id } }",
                "variables": { "code": code },
            }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap();
        // Reads are held to the same 1 ms: ask until one is answered in time.
        let read = format!(r#"{{ source(code: "{code}") {{ id }} }}"#);
        let mut answer = None;
        for _ in 0..200 {
            if let (200, body) = s.post(&read, json!({})).await {
                answer = Some(body);
                break;
            }
        }
        let answer = answer.expect("no read of the source answered within 1 ms in 200 tries");
        let exists = !answer["data"]["source"].is_null();
        match status {
            200 if body["errors"].is_null() => {
                assert!(exists, "{code}: reported created, but not in the store");
                created += 1;
            }
            503 => {
                assert!(
                    !exists,
                    "{code}: turned away with {body}, but the write committed"
                );
                turned_away += 1;
            }
            _ => panic!("{code}: {status} {body}"),
        }
    }
    eprintln!("{created} writes answered, {turned_away} turned away before writing");
    assert!(created > 0, "no write was answered under a 1 ms timeout");
}
