//! An acknowledged write survives `kill -9`: the server runs as a child process (the real
//! CLI) on a temporary data directory, is killed with SIGKILL while writes are in flight,
//! restarted on the same directory, and every acknowledged write is still there; `check`
//! is clean after every crash. The child server is `common`'s [`ChildServer`].

use crate::common::{ChildServer, EDITOR, REQUEST_TIMEOUT, TOKENS, check, random_u64};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::timeout;

/// How many crash-and-restart cycles the durability test runs (issue 5 asks for at least 20).
pub const CYCLES: usize = 20;
/// Concurrent writers while the server is killed.
const WRITERS: usize = 3;

const CREATE_PERSON: &str =
    "mutation($input: PersonInput!) { createPerson(input: $input) { code } }";
const LINK: &str = "mutation($from: ID!) {
    link(kind: REPRESENTS, from: $from, to: \"Member:VNM\", sources: [\"P2\"]) { id } }";
const ADD_CLAIM: &str = "mutation($field: String!) {
    addClaim(id: \"Person:DURABLE-SHARED\", input: { field: $field, value: \"v\", source: \"P2\" }) { id } }";

fn person(code: &str) -> Value {
    json!({ "code": code, "name": format!("Durable {code}"), "sources": ["P2"] })
}

/// What has been acknowledged so far, over all cycles.
#[derive(Clone, Default)]
struct Acknowledged {
    count: usize,
    people: Vec<String>,
    linked: Vec<String>,
    claims: Vec<String>,
}

/// Every acknowledged write is in the store the server reads; a write that was in flight
/// is either wholly there (record and its log entry) or wholly absent.
async fn assert_present(s: &ChildServer, ack: &Acknowledged, unsure: &[String]) {
    for code in &ack.people {
        let data = s
            .data(
                None,
                "query($code: String!, $id: ID!) { person(code: $code) { code represents { code } }
                   history(id: $id) { nodes { op } } }",
                json!({ "code": code, "id": format!("Person:{code}") }),
            )
            .await;
        assert_eq!(
            data["person"]["code"], *code,
            "acknowledged createPerson {code} lost"
        );
        let ops: Vec<&str> = data["history"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["op"].as_str().unwrap())
            .collect();
        assert!(ops.contains(&"createPerson"), "{code}: history {ops:?}");
        if ack.linked.contains(code) {
            assert_eq!(
                data["person"]["represents"]["code"], "VNM",
                "acknowledged link of {code} lost"
            );
            assert!(ops.contains(&"link"), "{code}: history {ops:?}");
        }
    }
    let data = s
        .data(
            None,
            r#"{ person(code: "DURABLE-SHARED") { claims { field } } }"#,
            json!({}),
        )
        .await;
    let fields: Vec<&str> = data["person"]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    for f in &ack.claims {
        assert!(fields.contains(&f.as_str()), "acknowledged claim {f} lost");
    }
    for code in unsure {
        let data = s
            .data(
                None,
                "query($code: String!, $id: ID!) { person(code: $code) { code } history(id: $id) { totalCount } }",
                json!({ "code": code, "id": format!("Person:{code}") }),
            )
            .await;
        let exists = !data["person"].is_null();
        let logged = data["history"]["totalCount"] != 0;
        assert_eq!(
            exists, logged,
            "in-flight {code}: record present {exists} but log entry present {logged}"
        );
    }
}

/// One writer: sequential writes (create a person, link it, add a claim, again) until the
/// server goes away; each acknowledged write is recorded at once, the one that failed is
/// left unsure.
async fn writer(
    client: reqwest::Client,
    url: String,
    prefix: String,
    ack: Arc<Mutex<Acknowledged>>,
) -> Option<String> {
    let mut last_person = String::new();
    for k in 0.. {
        let (query, variables) = match k % 3 {
            0 => {
                last_person = format!("{prefix}-{k}");
                (CREATE_PERSON, json!({ "input": person(&last_person) }))
            }
            1 => (LINK, json!({ "from": format!("Person:{last_person}") })),
            _ => (ADD_CLAIM, json!({ "field": format!("{prefix}-{k}") })),
        };
        let reply = async {
            let r = client
                .post(&url)
                .bearer_auth(EDITOR)
                .json(&json!({ "query": query, "variables": variables }))
                .send()
                .await
                .ok()?;
            r.json::<Value>().await.ok()
        }
        .await;
        let Some(body) = reply else {
            // The server died with this write in flight.
            return (k % 3 == 0).then_some(last_person);
        };
        assert!(body.get("errors").is_none(), "{query} {variables}: {body}");
        let mut ack = ack.lock().unwrap();
        match k % 3 {
            0 => ack.people.push(last_person.clone()),
            1 => ack.linked.push(last_person.clone()),
            _ => ack.claims.push(format!("{prefix}-{k}")),
        }
        ack.count += 1;
    }
    unreachable!()
}

/// The sequence numbers of the whole change log, in the order `changes` lists them.
async fn log_seqs(s: &ChildServer) -> Vec<u64> {
    let mut seqs = Vec::new();
    let mut since: Option<String> = None;
    loop {
        let data = s
            .data(
                None,
                "query($since: String) { changes(since: $since, first: 500) { seq } }",
                json!({ "since": since }),
            )
            .await;
        let page = data["changes"].as_array().unwrap();
        let Some(last) = page.last() else {
            return seqs;
        };
        since = last["seq"].as_str().map(str::to_owned);
        seqs.extend(
            page.iter()
                .map(|e| e["seq"].as_str().unwrap().parse::<u64>().unwrap()),
        );
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let ack = Arc::new(Mutex::new(Acknowledged::default()));
    let mut unsure: Vec<String> = Vec::new();

    let s = ChildServer::start(&dir, Some(TOKENS)).await;
    s.data(
        Some(EDITOR),
        CREATE_PERSON,
        json!({ "input": person("DURABLE-SHARED") }),
    )
    .await;
    let mut server = Some(s);

    for cycle in 0..CYCLES {
        let mut s = server.take().unwrap();
        let start = ack.lock().unwrap().count;
        let target = start + 5 + (random_u64() % 40) as usize;
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                tokio::spawn(writer(
                    s.client.clone(),
                    format!("{}/graphql", s.base),
                    format!("D{cycle}W{w}"),
                    Arc::clone(&ack),
                ))
            })
            .collect();
        // Kill at a random point: after a random number of acknowledgements, with the
        // writers' next requests already on their way, plus a random few hundred µs.
        timeout(REQUEST_TIMEOUT, async {
            while ack.lock().unwrap().count < target {
                tokio::time::sleep(Duration::from_micros(200)).await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("the writers stalled\n{}", s.log()));
        tokio::time::sleep(Duration::from_micros(random_u64() % 500)).await;
        s.kill().await;
        for w in writers {
            let in_flight = timeout(REQUEST_TIMEOUT, w).await.unwrap().unwrap();
            unsure.extend(in_flight);
        }

        let (clean, report) = check(&dir).await;
        assert!(
            clean,
            "cycle {cycle}: check after kill -9 is not clean:\n{report}"
        );

        let acknowledged = ack.lock().unwrap().clone();
        let s = ChildServer::start(&dir, Some(TOKENS)).await;
        assert_present(&s, &acknowledged, &unsure).await;
        // The change log kept every acknowledged write's entry, numbered 1, 2, 3 … across
        // crashes: one entry per write (the shared record's creation, the acknowledged
        // writes, and at most one write in flight per writer per crash).
        let seqs = log_seqs(&s).await;
        assert_eq!(
            seqs,
            (1..=seqs.len() as u64).collect::<Vec<_>>(),
            "cycle {cycle}: log out of order or with gaps"
        );
        let least = 1 + acknowledged.count;
        let most = least + WRITERS * (cycle + 1);
        assert!(
            (least..=most).contains(&seqs.len()),
            "cycle {cycle}: {} log entries for {least} to {most} writes",
            seqs.len()
        );
        server = Some(s);
    }

    let s = server.take().unwrap();
    assert!(
        s.terminate().await,
        "the server did not exit cleanly on SIGTERM"
    );
    let (clean, report) = check(&dir).await;
    assert!(clean, "check after the last cycle:\n{report}");
    assert!(ack.lock().unwrap().count >= 5 * CYCLES);
}
