//! Import and export of the interchange format (docs/dataset.md) through a real store: every
//! class of bad input is refused with its fault and JSON path and changes nothing; merge
//! upserts; export → import → export is byte-identical. The CLI end to end is in `cli`.

use crate::common::imports::{invalid, refused, small_edited};
use crate::common::{TestStore, bundled, export, fixture_value, small, to_bytes};
use asean_graph::dataset::{self, ImportError, Mode};
use asean_graph::model::{EdgeKind, NodeKind, NodeRef};
use asean_graph::store::Store;
use serde_json::{Value, json};

// ----- bad input: the fault, its path, and nothing changed -----

/// The message of an `Unreadable` refusal.
fn unreadable(err: ImportError) -> String {
    match err {
        ImportError::Unreadable(message) => message,
        other => panic!("expected Unreadable, got {other:?}"),
    }
}

/// The index of the record with `code` in the list `list` of the small fixture.
fn index_of(doc: &Value, list: &str, code: &str) -> usize {
    doc[list]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("{list} has no {code}"))
}

#[test]
fn the_small_fixture_is_valid() {
    let store = TestStore::new();
    let report = dataset::import(&store, small().as_bytes(), Mode::Refuse).unwrap();
    assert!(!report.merged);
    let doc = fixture_value("small.json");
    let declared: usize = [
        "sources",
        "members",
        "partners",
        "bodies",
        "people",
        "initiatives",
        "meetings",
    ]
    .iter()
    .map(|l| doc[*l].as_array().unwrap().len())
    .sum();
    assert_eq!(report.records, declared);
    assert_eq!(store.counts().total_nodes(), declared);
    assert_eq!(store.counts().edges, report.relationships);
    let check = store.check().unwrap();
    assert!(check.is_clean(), "{:?}", check.violations);
}

#[test]
fn unknown_reference_names_the_path_and_the_missing_record() {
    let bytes = small_edited(|d| d["meetings"][0]["chair"]["code"] = json!("VMN"));
    let errors = invalid(refused(&bytes));
    assert_eq!(errors, [r#"meetings[0].chair: no member "VMN""#]);
}

#[test]
fn unknown_funder_and_unknown_source_are_both_reported() {
    let bytes = small_edited(|d| {
        d["fundings"][1]["funder"] = json!("Partner:JPX");
        d["members"][0]["sources"][1] = json!("P99");
    });
    let errors = invalid(refused(&bytes));
    assert!(
        errors.contains(&r#"fundings[1]: no partner "JPX""#.to_owned()),
        "{errors:#?}"
    );
    assert!(
        errors.contains(&r#"members[0].sources: no source "P99""#.to_owned()),
        "{errors:#?}"
    );
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

#[test]
fn unknown_approving_meeting_and_unknown_head_of_delegation_are_reported() {
    let doc = fixture_value("small.json");
    let vnm = doc["meetings"][0]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .position(|p| p["party"] == "Member:VNM")
        .unwrap();
    let bytes = small_edited(|d| {
        d["fundings"][0]["approvedAt"] = json!("IAI-TF-36");
        d["meetings"][0]["participants"][vnm]["headOfDelegation"] = json!("NGUYEN-HAI-BAN");
    });
    let errors = invalid(refused(&bytes));
    assert!(
        errors.contains(&r#"fundings[0].approvedAt: no meeting "IAI-TF-36""#.to_owned()),
        "{errors:#?}"
    );
    assert!(
        errors.contains(&format!(
            r#"meetings[0].participants[{vnm}].headOfDelegation: no person "NGUYEN-HAI-BAN""#
        )),
        "{errors:#?}"
    );
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

#[test]
fn duplicate_code_is_refused_case_insensitively() {
    let bytes = small_edited(|d| {
        let mut copy = d["members"][0].clone();
        copy["code"] = json!("sgp");
        d["members"].as_array_mut().unwrap().push(copy);
    });
    let errors = invalid(refused(&bytes));
    assert_eq!(
        errors,
        [r#"members[2].code: duplicate member code "SGP" (first at members[0])"#]
    );
}

#[test]
fn impossible_date_is_refused() {
    let gbr = index_of(&fixture_value("small.json"), "partners", "GBR");
    let bytes = small_edited(|d| d["partners"][gbr]["statuses"][0]["from"] = json!("2021-02-30"));
    let errors = invalid(refused(&bytes));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(&format!(
            r#"partners[{gbr}].statuses[0].from: "2021-02-30" is not a date"#
        )),
        "{errors:#?}"
    );
}

#[test]
fn impossible_meeting_date_is_refused() {
    let bytes = small_edited(|d| d["meetings"][0]["startDate"] = json!("2021-02-30"));
    let errors = invalid(refused(&bytes));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(r#"meetings[0].startDate: "2021-02-30" is not a date"#),
        "{errors:#?}"
    );
}

#[test]
fn meeting_ending_before_it_starts_is_refused() {
    let bytes = small_edited(|d| d["meetings"][0]["endDate"] = json!("2021-03-24"));
    let errors = invalid(refused(&bytes));
    assert_eq!(
        errors,
        ["meetings[0].endDate: 2021-03-24 is before startDate (2021-03-25)"]
    );
}

#[test]
fn initiative_ending_before_it_starts_is_refused() {
    let wp4 = index_of(&fixture_value("small.json"), "initiatives", "IAI-WP4");
    let bytes = small_edited(|d| d["initiatives"][wp4]["endYear"] = json!(2020));
    let errors = invalid(refused(&bytes));
    assert_eq!(
        errors,
        [format!(
            "initiatives[{wp4}].endYear: 2020 is before startYear (2021)"
        )]
    );
}

#[test]
fn parent_cycle_is_refused() {
    let doc = fixture_value("small.json");
    let acc = index_of(&doc, "bodies", "ACC");
    let tf = index_of(&doc, "bodies", "IAI-TF");
    assert_eq!(doc["bodies"][tf]["parent"]["code"], "ACC");
    // ACC → IAI-TF → ACC.
    let bytes = small_edited(|d| {
        d["bodies"][acc]["parent"] = json!({"code": "IAI-TF", "sources": ["P25"]});
    });
    let errors = invalid(refused(&bytes));
    let acc_path = format!("bodies[{acc}].parent: ");
    let cycle = errors
        .iter()
        .find(|e| e.starts_with(&acc_path))
        .unwrap_or_else(|| panic!("no error at {acc_path}: {errors:#?}"));
    assert!(cycle.contains("cycle"), "{cycle}");
    assert!(cycle.contains("ACC → IAI-TF → ACC"), "{cycle}");
    assert!(
        errors.iter().all(|e| e.contains("cycle")),
        "only the cycle is wrong: {errors:#?}"
    );
}

#[test]
fn unknown_enum_value_is_refused() {
    let acc = index_of(&fixture_value("small.json"), "bodies", "ACC");
    let bytes = small_edited(|d| d["bodies"][acc]["pillar"] = json!("CROSS_PILLARS"));
    let errors = invalid(refused(&bytes));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert!(e.starts_with(&format!("bodies[{acc}].pillar: ")), "{e}");
    assert!(e.contains("CROSS_PILLARS"), "{e}");
}

#[test]
fn unknown_partner_kind_is_refused() {
    let bytes = small_edited(|d| d["partners"][0]["statuses"][0]["kind"] = json!("FRIEND"));
    let errors = invalid(refused(&bytes));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("partners[0].statuses[0].kind: "),
        "{errors:#?}"
    );
    assert!(errors[0].contains("FRIEND"), "{errors:#?}");
}

#[test]
fn negative_amount_is_refused() {
    let bytes = small_edited(|d| d["fundings"][0]["amountUsd"] = json!(-5));
    let errors = invalid(refused(&bytes));
    assert_eq!(
        errors,
        ["fundings[0].amountUsd: -5 is not a non-negative amount"]
    );
}

#[test]
fn truncated_json_is_refused_with_where_it_stopped() {
    let text = small();
    // Cut the file just after the meeting's start date.
    let cut =
        text.find(r#""startDate": "2021-03-25","#).unwrap() + r#""startDate": "2021-03-25","#.len();
    let message = unreadable(refused(&text.as_bytes()[..cut]));
    assert!(message.contains("EOF"), "{message}");
    assert!(message.starts_with("meetings[0]"), "{message}");
}

#[test]
fn empty_file_is_refused() {
    let message = unreadable(refused(b""));
    assert!(message.contains("EOF"), "{message}");
}

#[test]
fn non_utf8_bytes_are_refused_with_their_offset() {
    let text = small();
    let at = text.find("Singapore").unwrap();
    let mut bytes = text.into_bytes();
    bytes.insert(at, 0xFF);
    let message = unreadable(refused(&bytes));
    assert!(message.contains("not UTF-8"), "{message}");
    assert!(message.contains(&format!("offset {at}")), "{message}");
}

#[test]
fn unknown_field_is_refused() {
    let bytes = small_edited(|d| {
        d["members"][1]["nameVI"] = json!("Việt Nam");
    });
    let message = unreadable(refused(&bytes));
    assert!(
        message.starts_with("members[1].nameVI: unknown field"),
        "{message}"
    );
}

#[test]
fn unknown_top_level_list_is_refused() {
    let bytes = small_edited(|d| {
        d["countries"] = json!([]);
    });
    let message = unreadable(refused(&bytes));
    assert!(message.contains("unknown field"), "{message}");
    assert!(message.contains("countries"), "{message}");
}

#[test]
fn wrong_format_string_is_refused() {
    let bytes = small_edited(|d| d["format"] = json!("asean-graph/3"));
    let errors = invalid(refused(&bytes));
    assert_eq!(
        errors,
        [r#"format: "asean-graph/3" is not "asean-graph/2" (or "asean-graph/1")"#]
    );
}

#[test]
fn a_link_stated_twice_in_a_file_is_refused_with_both_paths() {
    let doc = fixture_value("small.json");
    let wp4 = index_of(&doc, "initiatives", "IAI-WP4");
    // The same lead body twice, with other sources: before, the second overwrote the first
    // in one index and not the other, and `check` found the store broken.
    let bytes = small_edited(|d| {
        let leads = d["initiatives"][wp4]["leadBodies"].as_array_mut().unwrap();
        let mut again = leads[0].clone();
        again["sources"] = json!(["P25"]);
        leads.push(again);
    });
    let errors = invalid(refused(&bytes));
    assert_eq!(
        errors,
        [format!(
            "initiatives[{wp4}].leadBodies[1]: the ledBy link Initiative:IAI-WP4 → Body:IAI-TF is \
             stated twice (first at initiatives[{wp4}].leadBodies[0])"
        )]
    );
}

#[test]
fn every_fault_in_a_file_is_reported_at_once() {
    let wp4 = index_of(&fixture_value("small.json"), "initiatives", "IAI-WP4");
    let bytes = small_edited(|d| {
        d["meetings"][0]["chair"]["code"] = json!("VMN");
        d["fundings"][0]["amountUsd"] = json!(-5);
        d["initiatives"][wp4]["endYear"] = json!(2020);
    });
    let errors = invalid(refused(&bytes));
    for expected in [
        r#"meetings[0].chair: no member "VMN""#.to_owned(),
        "fundings[0].amountUsd: -5 is not a non-negative amount".to_owned(),
        format!("initiatives[{wp4}].endYear: 2020 is before startYear (2021)"),
    ] {
        assert!(
            errors.contains(&expected),
            "{expected} missing: {errors:#?}"
        );
    }
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

// ----- non-empty stores and merge -----

#[test]
fn import_into_a_non_empty_store_is_refused_without_merge() {
    let store = TestStore::with(&small());
    let before = export(&store);
    let renamed = small_edited(|d| d["members"][0]["name"] = json!("Republic of Singapore"));
    let err = dataset::import(&store, &renamed, Mode::Refuse).unwrap_err();
    match &err {
        ImportError::NotEmpty { records, dir } => {
            assert_eq!(*records, store.counts().total_nodes());
            assert_eq!(dir, &store.dir().display().to_string());
        }
        other => panic!("expected NotEmpty, got {other:?}"),
    }
    assert!(err.to_string().contains("--merge"), "{err}");
    assert_eq!(export(&store), before);
    assert_eq!(store.member("SGP").unwrap().unwrap().name, "Singapore");
}

#[test]
fn a_merge_drops_the_meeting_links_speakers_and_chair_the_file_no_longer_states() {
    let store = TestStore::with(&bundled());
    let bundled: Value = serde_json::from_str(&bundled()).unwrap();
    let meeting = |code: &str| {
        bundled["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == code)
            .unwrap()
            .clone()
    };
    // The JCM without what it prepared, recommended and who spoke; the 63rd Task Force
    // meeting with another person in the chair.
    let mut jcm = meeting("JCM-2021-09-22");
    for list in ["prepares", "recommended", "speakers"] {
        jcm[list] = json!([]);
    }
    let mut tf63 = meeting("IAI-TF-63");
    tf63["presidedBy"] = json!({ "code": "TRAN-DUC-BINH", "sources": ["S2"] });
    let file = json!({ "format": "asean-graph/2", "meetings": [jcm, tf63] });
    dataset::import(&store, &to_bytes(&file), Mode::Merge).unwrap();

    let jcm = NodeRef::new(NodeKind::Meeting, "JCM-2021-09-22");
    for kind in [EdgeKind::Prepares, EdgeKind::Recommended] {
        assert!(store.edges_out(kind, &jcm).unwrap().is_empty(), "{kind:?}");
    }
    assert!(store.edges_in(EdgeKind::SpokeAt, &jcm).unwrap().is_empty());
    let chairs = store
        .edges_in(
            EdgeKind::Presided,
            &NodeRef::new(NodeKind::Meeting, "IAI-TF-63"),
        )
        .unwrap();
    assert_eq!(
        chairs
            .iter()
            .map(|e| e.from.code.as_str())
            .collect::<Vec<_>>(),
        ["TRAN-DUC-BINH"]
    );
    assert!(store.check().unwrap().is_clean());
}

#[test]
fn synthetic_copies_keep_one_figure_per_label_and_date() {
    // Two sources' figures of one label and date: the copies cite the synthetic source for
    // both, which would be one source's figure twice.
    let mut base = fixture_value("small.json");
    let wp3 = index_of(&base, "initiatives", "IAI-WP3");
    let figures = base["initiatives"][wp3]["figures"].as_array_mut().unwrap();
    let mut other = figures[0].clone();
    other["source"] = json!("S4");
    figures.push(other);
    let base = dataset::parse(&to_bytes(&base)).unwrap();
    let doc = dataset::generate(&base, 2, 1);
    let store = TestStore::new();
    dataset::import(
        &store,
        serde_json::to_string(&doc).unwrap().as_bytes(),
        Mode::Refuse,
    )
    .unwrap();
    assert!(store.check().unwrap().is_clean());
}

#[test]
fn merge_upserts_by_code_and_drops_relationships_the_file_no_longer_states() {
    let store = TestStore::with(&small());
    let meeting = NodeRef::new(NodeKind::Meeting, "IAI-TF-63");
    let sgp = NodeRef::new(NodeKind::Member, "SGP");
    let vnm = NodeRef::new(NodeKind::Member, "VNM");
    let participants = |s: &Store| -> Vec<NodeRef> {
        s.edges_out(EdgeKind::Participant, &meeting)
            .unwrap()
            .into_iter()
            .map(|e| e.to)
            .collect()
    };
    assert_eq!(participants(&store), [sgp.clone(), vnm.clone()]);
    let before: Value = serde_json::from_str(&export(&store)).unwrap();

    // The file: the meeting again, without Singapore and retitled, and a new member.
    let small = fixture_value("small.json");
    let mut m = small["meetings"][0].clone();
    m["participants"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["party"] != "Member:SGP");
    m["title"] = json!("63rd IAI Task Force Meeting");
    let tha = json!({
        "code": "THA", "name": "Thailand", "nameVi": "Thái Lan", "joinedOn": "1967-08-08",
        "clmv": false, "description": null, "sources": ["P2", "P3"], "claims": []
    });
    let file =
        json!({ "format": "asean-graph/1", "members": [tha.clone()], "meetings": [m.clone()] });

    // Without --merge: refused, nothing changes.
    assert!(matches!(
        dataset::import(&store, &to_bytes(&file), Mode::Refuse),
        Err(ImportError::NotEmpty { .. })
    ));
    assert_eq!(
        serde_json::from_str::<Value>(&export(&store)).unwrap(),
        before
    );

    let report = dataset::import(&store, &to_bytes(&file), Mode::Merge).unwrap();
    assert!(report.merged);
    assert_eq!(report.records, 2);

    // The participant edge is gone in both directions; the rest of the meeting stayed.
    assert_eq!(participants(&store), vec![vnm.clone()]);
    assert!(
        store
            .edges_in(EdgeKind::Participant, &sgp)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.edges_in(EdgeKind::Participant, &vnm).unwrap().len(),
        1
    );
    assert_eq!(
        store.meeting("IAI-TF-63").unwrap().unwrap().title,
        "63rd IAI Task Force Meeting"
    );
    assert!(
        store
            .edge_out_one(EdgeKind::ChairedBy, &meeting)
            .unwrap()
            .is_some()
    );
    // Records not in the file are untouched: Singapore and its funding are still there.
    assert!(store.member("SGP").unwrap().is_some());
    assert_eq!(store.edges_out(EdgeKind::Funds, &sgp).unwrap().len(), 1);
    assert_eq!(store.member("THA").unwrap().unwrap().name, "Thailand");

    // Exactly those changes, and nothing else: the export is the old one with the meeting
    // replaced and Thailand added in code order.
    let mut expected = before.clone();
    expected["meetings"][0] = m;
    let members = expected["members"].as_array_mut().unwrap();
    members.push(tha);
    members.sort_by(|a, b| a["code"].as_str().cmp(&b["code"].as_str()));
    let after: Value = serde_json::from_str(&export(&store)).unwrap();
    assert_eq!(after, expected);

    let check = store.check().unwrap();
    assert!(check.is_clean(), "{:?}", check.violations);
}

#[test]
fn merge_dropping_a_participant_drops_its_head_of_delegation_too() {
    let store = TestStore::with(&small());
    let meeting = NodeRef::new(NodeKind::Meeting, "IAI-TF-63");
    let person = NodeRef::new(NodeKind::Person, "NGUYEN-HAI-BANG");
    assert_eq!(
        store
            .edges_in(EdgeKind::Delegation, &meeting)
            .unwrap()
            .len(),
        1
    );
    let mut m = fixture_value("small.json")["meetings"][0].clone();
    m["participants"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["party"] != "Member:VNM");
    let file = json!({ "format": "asean-graph/1", "meetings": [m] });
    dataset::import(&store, &to_bytes(&file), Mode::Merge).unwrap();
    assert!(
        store
            .edges_in(EdgeKind::Delegation, &meeting)
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .edges_out(EdgeKind::Delegation, &person)
            .unwrap()
            .is_empty()
    );
    let left: Vec<NodeRef> = store
        .edges_out(EdgeKind::Participant, &meeting)
        .unwrap()
        .into_iter()
        .map(|e| e.to)
        .collect();
    assert_eq!(left, [NodeRef::new(NodeKind::Member, "SGP")]);
    // The person and whom they represent are untouched.
    assert!(store.person("NGUYEN-HAI-BANG").unwrap().is_some());
    assert_eq!(
        store
            .edges_out(EdgeKind::Represents, &person)
            .unwrap()
            .len(),
        1
    );
    let check = store.check().unwrap();
    assert!(check.is_clean(), "{:?}", check.violations);
}

#[test]
fn merge_can_move_a_body_to_another_parent() {
    let store = TestStore::with(&small());
    let small = fixture_value("small.json");
    let tf = index_of(&small, "bodies", "IAI-TF");
    let acc = index_of(&small, "bodies", "ACC");
    // Both bodies again: the Task Force without a parent, the Council under the Task Force
    // (not a real structure; it shows the old parent edge is dropped, so no cycle remains).
    let mut tf_doc = small["bodies"][tf].clone();
    tf_doc["parent"] = Value::Null;
    let mut acc_doc = small["bodies"][acc].clone();
    acc_doc["parent"] = json!({"code": "IAI-TF", "sources": ["P25"]});
    let file = json!({ "format": "asean-graph/1", "bodies": [acc_doc, tf_doc] });
    dataset::import(&store, &to_bytes(&file), Mode::Merge).unwrap();
    let body = |c: &str| NodeRef::new(NodeKind::Body, c);
    assert!(
        store
            .edges_out(EdgeKind::ReportsTo, &body("IAI-TF"))
            .unwrap()
            .is_empty()
    );
    let parent = store
        .edge_out_one(EdgeKind::ReportsTo, &body("ACC"))
        .unwrap()
        .unwrap();
    assert_eq!(parent.to, body("IAI-TF"));
    assert!(store.check().unwrap().is_clean());
}

/// A merge holding a bad value as well is checked as the merge would apply: the
/// relationships the file replaces are not reported as conflicts.
#[test]
fn merge_with_a_bad_value_reports_no_conflict_with_the_relationships_it_replaces() {
    let store = TestStore::with(&small());
    let before = export(&store);
    let small = fixture_value("small.json");
    let mut meeting = small["meetings"][0].clone();
    meeting["body"] = json!({"code": "ACC", "sources": ["S2"]});
    meeting["endDate"] = json!("2021-02-30");
    let file = json!({ "format": "asean-graph/1", "meetings": [meeting] });
    let errors = invalid(dataset::import(&store, &to_bytes(&file), Mode::Merge).unwrap_err());
    assert_eq!(
        errors,
        [r#"meetings[0].endDate: "2021-02-30" is not a date (YYYY-MM-DD)"#]
    );
    assert_eq!(export(&store), before);
}

#[test]
fn a_person_heading_two_delegations_to_one_meeting_is_refused() {
    let doc = fixture_value("small.json");
    let parts = doc["meetings"][0]["participants"].as_array().unwrap();
    let sgp = parts
        .iter()
        .position(|p| p["party"] == "Member:SGP")
        .unwrap();
    let head = parts
        .iter()
        .position(|p| p["party"] == "Member:VNM")
        .unwrap();
    assert_eq!(parts[head]["headOfDelegation"], "NGUYEN-HAI-BANG");
    let bytes = small_edited(|d| {
        d["meetings"][0]["participants"][sgp]["headOfDelegation"] = json!("NGUYEN-HAI-BANG");
    });
    let later = sgp.max(head);
    assert_eq!(
        invalid(refused(&bytes)),
        [format!(
            "meetings[0].participants[{later}].headOfDelegation: NGUYEN-HAI-BANG already heads \
             a delegation to this meeting (at participants[{}])",
            sgp.min(head)
        )]
    );
}

// ----- round trips -----

/// Imports `json` into a fresh store and exports it; imports that export into another fresh
/// store and exports again. Returns both exports.
fn round_trip(json: &str) -> (String, String) {
    let first = TestStore::with(json);
    let check = first.check().unwrap();
    assert!(check.is_clean(), "{:?}", check.violations);
    let e1 = export(&first);
    let second = TestStore::with(&e1);
    let e2 = export(&second);
    (e1, e2)
}

#[test]
fn small_fixture_export_import_export_is_byte_identical() {
    let (e1, e2) = round_trip(&small());
    assert_eq!(e1, e2);
    // And the first import lost nothing: the fixture is written in the export's own order
    // with every field, so the export says the same as the fixture.
    let exported: Value = serde_json::from_str(&e1).unwrap();
    assert_eq!(exported, fixture_value("small.json"));
}

#[test]
fn bundled_dataset_export_import_export_is_byte_identical() {
    let (e1, e2) = round_trip(&crate::common::bundled());
    assert_eq!(e1, e2);
    assert!(e1.ends_with('\n'));
}

#[test]
fn lower_case_codes_are_read_as_upper_case() {
    let bytes = small_edited(|d| {
        d["meetings"][0]["chair"]["code"] = json!("vnm");
        d["fundings"][1]["funder"] = json!("Partner:jpn");
    });
    let store = TestStore::new();
    dataset::import(&store, &bytes, Mode::Refuse).unwrap();
    assert_eq!(export(&store), export(&TestStore::with(&small())));
}
