//! Who may write, through the real server over HTTP: the access matrix, writes turned off
//! without tokens, the `Authorization` header (the Bearer scheme in any case, one header
//! only) and the same rules in a WebSocket `connection_init`, and token configurations
//! `serve` refuses to start with.

use crate::common::TestServer;
use crate::common::ws_client::{Client, TRANSPORT_WS};
use crate::common::{ADMIN, ChildServer, EDITOR, READER, TOKENS};
use crate::common::{Api, WRONG, assert_logged, error_of, server, snapshot};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

#[tokio::test]
async fn access_matrix_for_a_write_and_a_cascade_delete() {
    let (_s, api) = server().await;
    let callers: [(&str, Option<String>); 6] = [
        ("none", None),
        ("wrong", Some(format!("Bearer {WRONG}"))),
        ("not bearer", Some(format!("Basic {EDITOR}"))),
        ("reader", Some(format!("Bearer {READER}"))),
        ("editor", Some(format!("Bearer {EDITOR}"))),
        ("admin", Some(format!("Bearer {ADMIN}"))),
    ];
    let write = "mutation($title: String!) { updatePerson(code: \"NGUYEN-HAI-BANG\", input: { title: $title }) { title } }";
    let cascade = "mutation { deletePerson(code: \"NGUYEN-HAI-BANG\", cascade: true) }";
    // (caller, write outcome, cascade outcome, name in the log): None = allowed.
    let expected = [
        (Some("UNAUTHENTICATED"), Some("UNAUTHENTICATED"), ""),
        (Some("UNAUTHENTICATED"), Some("UNAUTHENTICATED"), ""),
        (Some("UNAUTHENTICATED"), Some("UNAUTHENTICATED"), ""),
        (Some("FORBIDDEN"), Some("FORBIDDEN"), "rita"),
        (None, Some("FORBIDDEN"), "ana"),
        (None, None, "root"),
    ];
    for ((who, header), (write_outcome, cascade_outcome, name)) in callers.iter().zip(expected) {
        // Reads are open to everyone.
        let body = api
            .with_header(
                header.clone(),
                "{ person(code: \"NGUYEN-HAI-BANG\") { code } }",
                json!({}),
            )
            .await;
        assert_eq!(
            body["data"]["person"]["code"], "NGUYEN-HAI-BANG",
            "{who}: {body}"
        );

        let before = snapshot(&api).await;
        let title = format!("title by {who}");
        let body = api
            .with_header(header.clone(), write, json!({ "title": title }))
            .await;
        match write_outcome {
            Some(expected_code) => {
                let (code, message) = error_of(&body, write, &json!({}));
                assert_eq!(code, expected_code, "{who} write: {message}");
                if expected_code == "FORBIDDEN" {
                    assert!(message.contains("editor"), "{who}: {message}");
                }
                assert_eq!(
                    snapshot(&api).await,
                    before,
                    "{who}: a refused write changed data"
                );
            }
            None => {
                assert!(body.get("errors").is_none(), "{who}: {body}");
                assert_eq!(body["data"]["updatePerson"]["title"], json!(title));
                let read = api
                    .ok(
                        None,
                        "{ person(code: \"NGUYEN-HAI-BANG\") { title } }",
                        json!({}),
                    )
                    .await;
                assert_eq!(read["person"]["title"], json!(title));
                assert_logged(&api, "Person:NGUYEN-HAI-BANG", "updatePerson", name).await;
            }
        }

        let before = snapshot(&api).await;
        let body = api.with_header(header.clone(), cascade, json!({})).await;
        match cascade_outcome {
            Some(expected_code) => {
                let (code, message) = error_of(&body, cascade, &json!({}));
                assert_eq!(code, expected_code, "{who} cascade: {message}");
                if expected_code == "FORBIDDEN" {
                    assert!(message.contains("admin"), "{who}: {message}");
                }
                assert_eq!(
                    snapshot(&api).await,
                    before,
                    "{who}: a refused delete changed data"
                );
            }
            None => {
                assert!(body.get("errors").is_none(), "{who}: {body}");
                assert_eq!(body["data"]["deletePerson"], true);
                let read = api
                    .ok(
                        None,
                        "{ person(code: \"NGUYEN-HAI-BANG\") { code } }",
                        json!({}),
                    )
                    .await;
                assert_eq!(read["person"], Value::Null);
                assert_logged(&api, "Person:NGUYEN-HAI-BANG", "deletePerson", name).await;
            }
        }
    }
}

/// One call of every mutation, with arguments that parse (whether the records exist does
/// not matter: the role is checked first).
const EVERY_MUTATION: &[&str] = &[
    r#"createMember(input: { code: "XTM", name: "X", sources: ["P2"] }) { id }"#,
    r#"updateMember(code: "VNM", input: { name: "X" }) { id }"#,
    r#"deleteMember(code: "TLS")"#,
    r#"createPartner(input: { code: "TSTP", name: "X", sources: ["P2"] }) { id }"#,
    r#"updatePartner(code: "JPN", input: { name: "X" }) { id }"#,
    r#"deletePartner(code: "NOR")"#,
    r#"createBody(input: { code: "TB", name: "X", sources: ["P2"] }) { id }"#,
    r#"updateBody(code: "ACC", input: { name: "X" }) { id }"#,
    r#"deleteBody(code: "WC-FINC")"#,
    r#"createMeeting(input: { code: "TB-1", title: "X", startDate: "2021-01-01", sources: ["P2"] }) { id }"#,
    r#"updateMeeting(code: "IAI-TF-63", input: { title: "X" }) { id }"#,
    r#"deleteMeeting(code: "AMM-56")"#,
    r#"createInitiative(input: { code: "TI", name: "X", kind: PLAN, sources: ["P2"] }) { id }"#,
    r#"updateInitiative(code: "IAI", input: { name: "X" }) { id }"#,
    r#"deleteInitiative(code: "ASEAN-SHIELD")"#,
    r#"createPerson(input: { code: "TP", name: "X", sources: ["P2"] }) { id }"#,
    r#"updatePerson(code: "NGUYEN-HAI-BANG", input: { name: "X" }) { id }"#,
    r#"deletePerson(code: "KAO-KIM-HOURN")"#,
    r#"createSource(input: { code: "TSRC", title: "X" }) { id }"#,
    r#"updateSource(code: "P2", input: { title: "X" }) { id }"#,
    r#"deleteSource(code: "GK")"#,
    r#"link(kind: HELD_BY, from: "Meeting:IAI-TF-63", to: "Body:ACC", sources: ["P2"]) { id }"#,
    r#"unlink(kind: HELD_BY, from: "Meeting:IAI-TF-63", to: "Body:IAI-TF")"#,
    r#"addParticipant(meeting: "IAI-TF-63", party: "Partner:KOR", sources: ["S2"]) { role }"#,
    r#"removeParticipant(meeting: "IAI-TF-63", party: "Member:VNM")"#,
    r#"addFunding(input: { funder: "Partner:KOR", target: "Initiative:IAI-WP3", sources: ["S2"] }) { amountUsd }"#,
    r#"updateFunding(funder: "Partner:JPN", target: "Initiative:IAI-WP4", input: { amountUsd: 1 }) { amountUsd }"#,
    r#"removeFunding(funder: "Partner:JPN", target: "Initiative:IAI-WP4")"#,
    r#"addChair(body: "IAI-TF", member: "LAO", year: 2099, sources: ["P2"]) { year }"#,
    r#"removeChair(year: 2020)"#,
    r#"addPartnerStatus(partner: "TUR", input: { kind: DIALOGUE_PARTNER, from: "2099-01-01", sources: ["P2"] }) { code }"#,
    r#"removePartnerStatus(partner: "GBR", from: "2021-08-02") { code }"#,
    r#"addFigure(initiative: "IAI", input: { label: "x", value: 1, source: "P2" }) { code }"#,
    r#"removeFigure(initiative: "IAI", label: "x") { code }"#,
    r#"addMeetingFigure(meeting: "IAI-TF-63", input: { label: "x", value: 1, source: "P2" }) { code }"#,
    r#"removeMeetingFigure(meeting: "IAI-TF-63", label: "x") { code }"#,
    r#"addClaim(id: "Member:VNM", input: { field: "x", value: "v", source: "P2" }) { id }"#,
    r#"removeClaim(id: "Person:KAN-PHARIDH", field: "title", source: "S1") { id }"#,
    r#"addSource(id: "Member:VNM", source: "P36") { id }"#,
    r#"removeSource(id: "Member:VNM", source: "P2") { id }"#,
];

#[tokio::test]
async fn every_mutation_refuses_callers_without_an_editor_token() {
    let (_s, api) = server().await;
    // The list covers the schema's every mutation.
    let fields = api
        .ok(
            None,
            "{ __schema { mutationType { fields { name } } } }",
            json!({}),
        )
        .await;
    let in_schema: BTreeSet<String> = fields["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    let listed: BTreeSet<String> = EVERY_MUTATION
        .iter()
        .map(|m| m[..m.find('(').unwrap()].to_owned())
        .collect();
    assert_eq!(
        listed, in_schema,
        "EVERY_MUTATION does not list every mutation"
    );

    let before = snapshot(&api).await;
    for m in EVERY_MUTATION {
        let query = format!("mutation {{ {m} }}");
        for (secret, expected) in [
            (None, "UNAUTHENTICATED"),
            (Some(WRONG), "UNAUTHENTICATED"),
            (Some(READER), "FORBIDDEN"),
        ] {
            let (code, message) = api.fails(secret, &query, json!({})).await;
            assert_eq!(code, expected, "{query} with {secret:?}: {message}");
            if expected == "FORBIDDEN" {
                assert!(message.contains("editor"), "{query}: {message}");
            } else {
                assert!(message.contains("token"), "{query}: {message}");
            }
        }
        // A cascading delete needs an admin; an editor is FORBIDDEN.
        if m.starts_with("delete") {
            let cascade = format!("mutation {{ {}, cascade: true) }}", &m[..m.len() - 1]);
            let (code, message) = api.fails(Some(EDITOR), &cascade, json!({})).await;
            assert_eq!(code, "FORBIDDEN", "{cascade}: {message}");
            assert!(message.contains("admin"), "{cascade}: {message}");
        }
    }
    assert_eq!(snapshot(&api).await, before);
}

#[tokio::test]
async fn with_no_tokens_writes_are_off_and_the_error_says_how_to_turn_them_on() {
    let s = TestServer::start().await;
    let api = Api::new(&s.base, &s.client);
    let before = snapshot(&api).await;
    for secret in [None, Some(EDITOR)] {
        let (code, message) = api
            .fails(
                secret,
                r#"mutation { createSource(input: { code: "TSRC", title: "T" }) { id } }"#,
                json!({}),
            )
            .await;
        assert_eq!(code, "FORBIDDEN", "{message}");
        assert!(message.contains("ASEAN_GRAPH_TOKENS"), "{message}");
    }
    // Reads work.
    let data = api
        .ok(None, "{ member(code: \"VNM\") { name } }", json!({}))
        .await;
    assert_eq!(data["member"]["name"], "Viet Nam");
    assert_eq!(snapshot(&api).await, before);
}

#[tokio::test]
async fn the_cli_server_with_no_tokens_refuses_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let s = ChildServer::start(&tmp.path().join("store"), None).await;
    let body = s
        .try_post(
            Some(EDITOR),
            r#"mutation { createSource(input: { code: "TSRC", title: "T" }) { id } }"#,
            json!({}),
        )
        .await
        .unwrap();
    let (code, message) = error_of(&body, "createSource", &json!({}));
    assert_eq!(code, "FORBIDDEN");
    assert!(message.contains("ASEAN_GRAPH_TOKENS"), "{message}");
    assert!(s.terminate().await);
}

/// `serve` with a configuration it refuses (a secret under 16 characters, two token entries
/// sharing a secret, an unreadable tokens file, a manifest whose hash is wrong, a missing
/// `--static-json` file, frame ancestors that could change the CSP) exits non-zero saying exactly what is wrong, and never a secret,
/// before it touches the store: the data directory is not even created.
#[tokio::test]
async fn serve_with_a_bad_configuration_refuses_to_start_and_leaves_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let bad_manifest = dir.path().join("manifest.json");
    std::fs::write(&bad_manifest, json!({ "00": "{ __typename }" }).to_string()).unwrap();
    let missing = dir.path().join("missing.json");
    /// What is wrong, the flags, the environment, and what stderr must say.
    type Case = (
        &'static str,
        Vec<std::ffi::OsString>,
        Vec<(&'static str, &'static str)>,
        &'static str,
    );
    let cases: [Case; 13] = [
        (
            "a short secret",
            vec![],
            vec![("ASEAN_GRAPH_TOKENS", "ana:editor:s3cret")],
            r#"token entry 1 ("ana"): the secret is 6 characters; it needs at least 16"#,
        ),
        (
            "a 9-character secret after a good entry",
            vec![],
            vec![(
                "ASEAN_GRAPH_TOKENS",
                "ana:editor:s3cret-0123456789,ci:editor:s3cret-12",
            )],
            r#"token entry 2 ("ci"): the secret is 9 characters; it needs at least 16"#,
        ),
        (
            "two entries sharing a secret",
            vec![],
            vec![(
                "ASEAN_GRAPH_TOKENS",
                "ana:reader:s3cret-shared-0123,bo:editor:s3cret-other-0123,cy:admin:s3cret-shared-0123",
            )],
            r#"token entries 1 ("ana") and 3 ("cy") have the same secret; give each its own"#,
        ),
        (
            "an unreadable tokens file",
            vec!["--tokens-file".into(), missing.clone().into()],
            vec![],
            "tokens file",
        ),
        (
            "a manifest with a wrong hash",
            vec!["--trusted-documents".into(), bad_manifest.into()],
            vec![],
            "sha256",
        ),
        (
            "a missing static JSON file",
            vec!["--static-json".into(), missing.into()],
            vec![],
            "missing.json",
        ),
        (
            "a header timeout of 0, which would close every connection",
            vec!["--header-timeout-ms".into(), "0".into()],
            vec![],
            "--header-timeout-ms",
        ),
        (
            "a body timeout of 0",
            vec!["--body-timeout-ms".into(), "0".into()],
            vec![],
            "--body-timeout-ms",
        ),
        (
            "nesting past the parser's ceiling",
            vec!["--max-nesting".into(), "65".into()],
            vec![],
            "--max-nesting",
        ),
        (
            "frame ancestors that would add a directive to the CSP",
            vec![
                "--frame-ancestors".into(),
                "https://a.example; script-src *".into(),
            ],
            vec![],
            "--frame-ancestors",
        ),
        (
            "frame ancestors separated by commas, in the environment",
            vec![],
            vec![(
                "ASEAN_GRAPH_FRAME_ANCESTORS",
                "https://a.example,https://b.example",
            )],
            "frame ancestors are origins separated by spaces",
        ),
        (
            "a CORS header name with a space in it",
            vec!["--cors-allow-headers".into(), "x-ok,bad header".into()],
            vec![],
            "--cors-allow-headers: \"bad header\" is not a header name",
        ),
        (
            "a quoted keyword as a frame ancestor",
            vec!["--frame-ancestors".into(), "'self'".into()],
            vec![],
            "keywords such as 'self' are not accepted",
        ),
    ];
    for (i, (what, args, env, says)) in cases.into_iter().enumerate() {
        let data = dir.path().join(format!("store-{i}"));
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_asean-graph"));
        for (k, _) in std::env::vars() {
            if k.starts_with("ASEAN_GRAPH_") {
                command.env_remove(k);
            }
        }
        command
            .arg("--data")
            .arg(&data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env)
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        let out = tokio::time::timeout(Duration::from_secs(60), command.output())
            .await
            .unwrap_or_else(|_| panic!("{what}: the server started"))
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{what}: exit {:?}", out.status);
        assert!(
            stderr.contains(says),
            "{what}: stderr does not say {says:?}: {stderr}"
        );
        assert!(!stderr.contains("s3cret"), "{what}: a secret in {stderr}");
        assert!(
            !data.exists() || std::fs::read_dir(&data).unwrap().next().is_none(),
            "{what}: the store was created or loaded before the configuration was checked: {:?}",
            std::fs::read_dir(&data).map(|d| d.count())
        );
    }
}

/// A write with this `Authorization` header value, which must succeed.
const WRITE: &str = r#"mutation($t: String!) {
    updatePerson(code: "NGUYEN-HAI-BANG", input: { title: $t }) { title } }"#;

/// The scheme is case-insensitive (RFC 7235): `BEARER` was refused while `bearer` passed.
#[tokio::test]
async fn the_bearer_scheme_is_accepted_in_any_case() {
    let (_s, api) = server().await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let body = api
            .with_header(
                Some(format!("{scheme} {EDITOR}")),
                WRITE,
                json!({ "t": scheme }),
            )
            .await;
        assert_eq!(
            body["data"]["updatePerson"]["title"], scheme,
            "{scheme}: {body}"
        );
    }
}

/// Two `Authorization` headers: the first silently won. Now the request is refused with 400
/// and says why, whichever tokens they hold, and nothing is written.
#[tokio::test]
async fn two_authorization_headers_are_refused_with_400() {
    let (s, api) = server().await;
    let before = snapshot(&api).await;
    for (first, second) in [(EDITOR, WRONG), (READER, EDITOR), (EDITOR, EDITOR)] {
        let response = s
            .client
            .post(format!("{}/graphql", s.base))
            .header("authorization", format!("Bearer {first}"))
            .header("authorization", format!("Bearer {second}"))
            .json(&json!({ "query": WRITE, "variables": { "t": "twice" } }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{first} then {second}");
        let body: Value = response.json().await.unwrap();
        let (code, message) = error_of(&body, WRITE, &json!({}));
        assert_eq!(code, "BAD_USER_INPUT");
        assert_eq!(message, "send one Authorization header; this request has 2");
    }
    assert_eq!(snapshot(&api).await, before, "a refused request wrote");
}

/// `connection_init` on `/ws` reads its authorization by the same rules as HTTP: the scheme
/// in any case, and one value only (keys spelled in any case count).
#[tokio::test]
async fn connection_init_takes_the_same_authorization_rules() {
    let s = TestServer::with_access(TOKENS, true).await;
    let mut client = Client::connect(&s.base, TRANSPORT_WS).await;
    client
        .init(json!({ "authorization": format!("BEARER {READER}") }))
        .await
        .expect("an upper-case scheme is accepted");
    let mut client = Client::connect(&s.base, TRANSPORT_WS).await;
    let refused = client
        .init(json!({
            "Authorization": format!("Bearer {READER}"),
            "AUTHORIZATION": format!("Bearer {EDITOR}"),
        }))
        .await
        .expect_err("two authorizations were accepted");
    assert!(
        refused.contains("send one Authorization header; this request has 2"),
        "{refused}"
    );
}
