//! Property tests of the store's private layers: the value codec (round trips, refusal of a
//! wrong version byte, of truncated and of trailing input, no panic on any input) and the key
//! layout (edge keys decode back; byte order is the order scans rely on; a code never
//! prefix-matches a longer one).

use super::codec::{self, DecodeError, VALUE_VERSION};
use super::keys::{
    EdgeId, Facet, SearchRun, approval_key, date_key, edge_prefix, prefix_end, push_code, push_ref,
    search_key, search_prefix,
};
use super::{decode_node, encode_node};
use crate::model::{
    Claim, Date, DatePrecision, EdgeKind, EdgeProps, Figure, Initiative, InitiativeKind,
    InitiativeStage, Meeting, MeetingFormat, Member, Node, NodeKind, NodeRef, Partner, PartnerKind,
    PartnerStatus, Qualifier, StatusStage,
};
use proptest::prelude::*;
use proptest::test_runner::Config;

fn config() -> Config {
    Config {
        cases: 128,
        failure_persistence: None,
        ..Config::default()
    }
}

// ----- strategies -----

fn date() -> impl Strategy<Value = Date> {
    (1000u16..=9999, 1u8..=12, 1u8..=31)
        .prop_filter_map("a real date", |(y, m, d)| Date::new(y, m, d))
}

/// A valid code: what `normalize_code` accepts.
fn code() -> impl Strategy<Value = String> {
    "[A-Z0-9][A-Z0-9-]{0,15}"
}

/// Codes from a tiny alphabet, so that one is often a prefix of another.
fn short_code() -> impl Strategy<Value = String> {
    "[AB][AB-]{0,3}"
}

fn text() -> impl Strategy<Value = String> {
    any::<String>()
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn codes() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(code(), 0..4)
}

fn node_kind() -> impl Strategy<Value = NodeKind> {
    prop::sample::select(&NodeKind::ALL[..])
}

fn edge_kind() -> impl Strategy<Value = EdgeKind> {
    prop::sample::select(&EdgeKind::ALL[..])
}

fn node_ref() -> impl Strategy<Value = NodeRef> {
    (node_kind(), code()).prop_map(|(k, c)| NodeRef::new(k, c))
}

fn precision() -> impl Strategy<Value = DatePrecision> {
    prop::sample::select(vec![
        DatePrecision::Day,
        DatePrecision::Month,
        DatePrecision::Year,
    ])
}

/// Any number but NaN (which is not equal to itself, so no round trip could show it).
fn number() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("not NaN", |x| !x.is_nan())
}

fn claim() -> impl Strategy<Value = Claim> {
    (text(), text(), code(), opt_text()).prop_map(|(field, value, source, note)| Claim {
        field,
        value,
        source,
        note,
    })
}

fn claims() -> impl Strategy<Value = Vec<Claim>> {
    prop::collection::vec(claim(), 0..3)
}

fn member() -> impl Strategy<Value = Member> {
    (
        code(),
        text(),
        opt_text(),
        proptest::option::of(date()),
        any::<bool>(),
        opt_text(),
        codes(),
        claims(),
    )
        .prop_map(
            |(code, name, name_vi, joined_on, clmv, description, sources, claims)| Member {
                code,
                name,
                name_vi,
                joined_on,
                clmv,
                description,
                sources,
                claims,
            },
        )
}

fn partner_status() -> impl Strategy<Value = PartnerStatus> {
    (
        prop::sample::select(vec![
            PartnerKind::DialoguePartner,
            PartnerKind::SectoralDialoguePartner,
            PartnerKind::DevelopmentPartner,
            PartnerKind::ExternalOrganization,
        ]),
        prop::sample::select(vec![
            StatusStage::Applied,
            StatusStage::Decided,
            StatusStage::Conferred,
        ]),
        date(),
        precision(),
        proptest::option::of(date()),
        proptest::option::of(code()),
        codes(),
        opt_text(),
    )
        .prop_map(
            |(kind, stage, from, from_precision, to, decided_at, sources, note)| PartnerStatus {
                kind,
                stage,
                from,
                from_precision,
                to,
                decided_at,
                sources,
                note,
            },
        )
}

fn partner() -> impl Strategy<Value = Partner> {
    (
        code(),
        text(),
        opt_text(),
        opt_text(),
        (proptest::option::of(date()), precision()),
        prop::collection::vec(partner_status(), 0..3),
        codes(),
        claims(),
    )
        .prop_map(
            |(
                code,
                name,
                name_vi,
                description,
                (relations_since, relations_since_precision),
                statuses,
                sources,
                claims,
            )| Partner {
                code,
                name,
                name_vi,
                description,
                relations_since,
                relations_since_precision,
                statuses,
                sources,
                claims,
            },
        )
}

fn meeting() -> impl Strategy<Value = Meeting> {
    (
        (
            code(),
            text(),
            opt_text(),
            proptest::option::of(any::<u32>()),
        ),
        (date(), proptest::option::of(date()), precision()),
        proptest::option::of(prop::sample::select(vec![
            MeetingFormat::InPerson,
            MeetingFormat::Virtual,
            MeetingFormat::Hybrid,
        ])),
        (opt_text(), opt_text(), figures(), codes(), claims()),
        prop::collection::vec(prop::sample::select(Meeting::LISTS.to_vec()), 0..3),
    )
        .prop_map(
            |(
                (code, title, title_vi, number),
                (start_date, end_date, date_precision),
                format,
                (location, description, figures, sources, claims),
                open_lists,
            )| Meeting {
                code,
                title,
                title_vi,
                number,
                start_date,
                end_date,
                date_precision,
                format,
                location,
                description,
                figures,
                open_lists: open_lists.into_iter().map(str::to_owned).collect(),
                sources,
                claims,
            },
        )
}

fn figures() -> impl Strategy<Value = Vec<Figure>> {
    prop::collection::vec(figure(), 0..2)
}

fn figure() -> impl Strategy<Value = Figure> {
    (
        text(),
        number(),
        proptest::option::of(prop::sample::select(vec![
            Qualifier::About,
            Qualifier::Nearly,
            Qualifier::MoreThan,
        ])),
        opt_text(),
        proptest::option::of(date()),
        code(),
        opt_text(),
    )
        .prop_map(
            |(label, value, qualifier, unit, as_of, source, note)| Figure {
                label,
                value,
                qualifier,
                unit,
                as_of,
                source,
                note,
            },
        )
}

fn initiative() -> impl Strategy<Value = Initiative> {
    (
        (
            code(),
            text(),
            opt_text(),
            prop::collection::vec(text(), 0..3),
        ),
        prop::sample::select(vec![
            InitiativeKind::Programme,
            InitiativeKind::WorkPlan,
            InitiativeKind::ActionLine,
            InitiativeKind::Vision,
            InitiativeKind::TermsOfReference,
        ]),
        prop::sample::select(vec![InitiativeStage::Adopted, InitiativeStage::Proposed]),
        (
            proptest::option::of(any::<u16>()),
            proptest::option::of(any::<u16>()),
            proptest::option::of(date()),
            precision(),
        ),
        (
            opt_text(),
            prop::collection::vec(figure(), 0..3),
            codes(),
            claims(),
        ),
    )
        .prop_map(
            |(
                (code, name, name_vi, aliases),
                kind,
                stage,
                (start_year, end_year, end_date, end_date_precision),
                (description, figures, sources, claims),
            )| Initiative {
                code,
                name,
                name_vi,
                aliases,
                kind,
                stage,
                start_year,
                end_year,
                end_date,
                end_date_precision,
                description,
                figures,
                sources,
                claims,
            },
        )
}

fn edge_props() -> impl Strategy<Value = EdgeProps> {
    (
        (codes(), opt_text(), proptest::option::of(node_ref())),
        (
            proptest::option::of(number()),
            proptest::option::of(any::<u32>()),
            proptest::option::of(code()),
        ),
        (opt_text(), claims()),
    )
        .prop_map(
            |((sources, role, party), (amount_usd, project_count, approved_at), (note, claims))| {
                EdgeProps {
                    sources,
                    role,
                    party,
                    amount_usd,
                    project_count,
                    approved_at,
                    note,
                    claims,
                }
            },
        )
}

fn any_node() -> impl Strategy<Value = Node> {
    prop_oneof![
        member().prop_map(Node::Member),
        partner().prop_map(Node::Partner),
        meeting().prop_map(Node::Meeting),
        initiative().prop_map(Node::Initiative),
    ]
}

fn edge_id() -> impl Strategy<Value = EdgeId> {
    (
        edge_kind(),
        node_ref(),
        // The ASEAN stand-in body has an empty code.
        prop_oneof![4 => node_ref(), 1 => Just(NodeRef::asean())],
        proptest::option::of(any::<u16>()),
    )
        .prop_map(|(kind, from, to, year)| EdgeId {
            kind,
            from,
            to,
            year,
        })
}

/// Checks that `bytes`, a valid encoding, is refused once its version byte changes, once
/// cut short anywhere, and once a byte is appended.
fn assert_refuses_damage<T>(bytes: &[u8], other_version: u8) -> Result<(), TestCaseError>
where
    T: serde::de::DeserializeOwned + std::fmt::Debug,
{
    prop_assert_eq!(bytes[0], VALUE_VERSION);
    let mut wrong = bytes.to_vec();
    wrong[0] = other_version;
    match codec::decode::<T>(&wrong) {
        Err(DecodeError::Version { found, .. }) => prop_assert_eq!(found, other_version),
        other => prop_assert!(false, "version {} decoded as {:?}", other_version, other),
    }
    for cut in 0..bytes.len() {
        let result = codec::decode::<T>(&bytes[..cut]);
        prop_assert!(result.is_err(), "{} of {} bytes decoded", cut, bytes.len());
    }
    let mut longer = bytes.to_vec();
    longer.push(0);
    match codec::decode::<T>(&longer) {
        Err(DecodeError::Trailing(1)) => {}
        other => prop_assert!(false, "a trailing byte gave {:?}", other),
    }
    Ok(())
}

fn other_version() -> impl Strategy<Value = u8> {
    any::<u8>().prop_filter("not the current version", |v| *v != VALUE_VERSION)
}

// ----- the codec -----

proptest! {
    #![proptest_config(config())]

    #[test]
    fn members_round_trip(m in member(), v in other_version()) {
        let bytes = codec::encode(&m);
        prop_assert_eq!(codec::decode::<Member>(&bytes).unwrap(), m);
        assert_refuses_damage::<Member>(&bytes, v)?;
    }

    #[test]
    fn partners_round_trip(p in partner(), v in other_version()) {
        let bytes = codec::encode(&p);
        prop_assert_eq!(codec::decode::<Partner>(&bytes).unwrap(), p);
        assert_refuses_damage::<Partner>(&bytes, v)?;
    }

    #[test]
    fn meetings_round_trip(m in meeting(), v in other_version()) {
        let bytes = codec::encode(&m);
        prop_assert_eq!(codec::decode::<Meeting>(&bytes).unwrap(), m);
        assert_refuses_damage::<Meeting>(&bytes, v)?;
    }

    #[test]
    fn initiatives_round_trip(i in initiative(), v in other_version()) {
        let bytes = codec::encode(&i);
        prop_assert_eq!(codec::decode::<Initiative>(&bytes).unwrap(), i);
        assert_refuses_damage::<Initiative>(&bytes, v)?;
    }

    #[test]
    fn edge_props_round_trip(p in edge_props(), v in other_version()) {
        let bytes = codec::encode(&p);
        prop_assert_eq!(codec::decode::<EdgeProps>(&bytes).unwrap(), p);
        assert_refuses_damage::<EdgeProps>(&bytes, v)?;
    }

    #[test]
    fn nodes_round_trip_through_their_kind(n in any_node()) {
        let bytes = encode_node(&n);
        prop_assert_eq!(decode_node(n.kind(), &bytes).unwrap(), n);
    }

    /// Any bytes after the version byte: an error or a value, never a panic; a value that
    /// decodes re-encodes to something that decodes to the same value.
    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..200)) {
        let mut bytes = vec![VALUE_VERSION];
        bytes.extend_from_slice(&body);
        if let Ok(m) = codec::decode::<Member>(&bytes) {
            prop_assert_eq!(codec::decode::<Member>(&codec::encode(&m)).unwrap(), m);
        }
        if let Ok(p) = codec::decode::<EdgeProps>(&bytes) {
            let again = codec::decode::<EdgeProps>(&codec::encode(&p)).unwrap();
            // NaN amounts may decode from raw bytes; compare their encodings instead.
            prop_assert_eq!(codec::encode(&again), codec::encode(&p));
        }
        bytes[0] = super::RECORD_VERSION;
        for kind in NodeKind::ALL {
            let _ = decode_node(kind, &bytes);
        }
    }
}

#[test]
fn empty_values_are_refused() {
    assert!(matches!(
        codec::decode::<Member>(&[]),
        Err(DecodeError::Empty)
    ));
}

// ----- the key layout -----

proptest! {
    #![proptest_config(config())]

    #[test]
    fn edge_keys_decode_back_to_the_edge(id in edge_id()) {
        prop_assert_eq!(EdgeId::decode(&id.out_key(), true), Some(id.clone()));
        prop_assert_eq!(EdgeId::decode(&id.in_key(), false), Some(id.clone()));
        // Each key leads with the prefix of its own end's scan.
        prop_assert!(id.out_key().starts_with(&edge_prefix(id.kind, &id.from)));
        prop_assert!(id.in_key().starts_with(&edge_prefix(id.kind, &id.to)));
    }

    #[test]
    fn damaged_edge_keys_do_not_decode_or_panic(id in edge_id(), cut in any::<prop::sample::Index>()) {
        let key = id.out_key();
        let short = &key[..cut.index(key.len())];
        let decoded = EdgeId::decode(short, true);
        // Cut inside a ref or inside the year, a key does not decode; cut exactly before
        // the year, it is another edge (the same ends, no year), never this one.
        if id.year.is_none() || short.len() != key.len() - 2 {
            prop_assert_eq!(decoded, None);
        } else {
            prop_assert_eq!(decoded, Some(EdgeId { year: None, ..id }));
        }
    }

    /// Node refs sort by kind then code, and so do their keys.
    #[test]
    fn ref_keys_sort_like_refs(
        a in (node_kind(), short_code()),
        b in (node_kind(), short_code()),
    ) {
        let (a, b) = (NodeRef::new(a.0, a.1), NodeRef::new(b.0, b.1));
        let (mut ka, mut kb) = (Vec::new(), Vec::new());
        push_ref(&mut ka, &a);
        push_ref(&mut kb, &b);
        prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
    }

    /// Edge keys of one kind sort by (from, to, year): a scan is in the order of the
    /// other end.
    #[test]
    fn edge_keys_sort_like_their_ends(
        kind in edge_kind(),
        a in (short_code(), short_code()),
        b in (short_code(), short_code()),
    ) {
        let id = |(from, to): (String, String)| EdgeId {
            kind,
            from: NodeRef::new(NodeKind::Member, from),
            to: NodeRef::new(NodeKind::Body, to),
            year: None,
        };
        let (a, b) = (id(a), id(b));
        prop_assert_eq!(a.out_key().cmp(&b.out_key()), (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        prop_assert_eq!(a.in_key().cmp(&b.in_key()), (&a.to, &a.from).cmp(&(&b.to, &b.from)));
    }

    #[test]
    fn date_keys_sort_like_dates(a in date(), b in date()) {
        prop_assert_eq!(a.to_key().cmp(&b.to_key()), a.cmp(&b));
        prop_assert_eq!(Date::from_key(a.to_key()), Some(a));
    }

    /// The meeting date index sorts by date, then code.
    #[test]
    fn meeting_date_keys_sort_by_date_then_code(
        a in (date(), short_code()),
        b in (date(), short_code()),
    ) {
        prop_assert_eq!(date_key(a.0, &a.1).cmp(&date_key(b.0, &b.1)), a.cmp(&b));
    }

    /// Partner statuses of one kind sort by start date, then code.
    #[test]
    fn status_facet_keys_sort_by_start_then_code(
        a in (date(), short_code()),
        b in (date(), short_code()),
    ) {
        let key = |(from, code): &(Date, String)| {
            Facet::Status(PartnerKind::DialoguePartner, *from).key(code)
        };
        prop_assert_eq!(key(&a).cmp(&key(&b)), a.cmp(&b));
        prop_assert!(key(&a).starts_with(&Facet::status_prefix(PartnerKind::DialoguePartner)));
    }

    /// For two distinct codes, nothing built on one is ever matched by a scan for the other.
    #[test]
    fn a_code_never_prefix_matches_another(
        a in short_code(),
        b in short_code(),
        kind in edge_kind(),
        node_kind in node_kind(),
        other in node_ref(),
        year in proptest::option::of(any::<u16>()),
        token in short_code(),
    ) {
        prop_assume!(a != b);
        let on_a = NodeRef::new(node_kind, a.clone());
        let on_b = NodeRef::new(node_kind, b.clone());
        let prefix = edge_prefix(kind, &on_a);
        let out_b = EdgeId { kind, from: on_b.clone(), to: other.clone(), year };
        let in_b = EdgeId { kind, from: other.clone(), to: on_b.clone(), year };
        prop_assert!(!out_b.out_key().starts_with(&prefix));
        prop_assert!(!in_b.in_key().starts_with(&prefix));
        // The scan for `a` does find `a`'s own edges.
        let out_a = EdgeId { kind, from: on_a.clone(), to: other.clone(), year };
        prop_assert!(out_a.out_key().starts_with(&prefix));

        let mut code_a = Vec::new();
        push_code(&mut code_a, &a);
        // Fundings approved at a meeting; search tokens; the date index.
        prop_assert!(!approval_key(&b, &on_b, &other).starts_with(&code_a));
        prop_assert!(approval_key(&a, &on_b, &other).starts_with(&code_a));
        for run in [SearchRun::Word, SearchRun::Start] {
            prop_assert!(!search_key(run, &b, 7, &other).starts_with(&search_prefix(run, &a)));
            prop_assert!(search_key(run, &a, 7, &other).starts_with(&search_prefix(run, &a)));
            prop_assert!(!search_key(run, &token, 7, &on_b)
                .starts_with(&search_key(run, &token, 7, &on_a)));
        }
        let day = Date::new(2021, 3, 25).unwrap();
        prop_assert!(!date_key(day, &b).starts_with(&date_key(day, &a)));
    }

    /// `prefix_end(p)` bounds exactly the keys starting with `p`.
    #[test]
    fn prefix_end_bounds_the_prefix(
        prefix in prop::collection::vec(any::<u8>(), 0..4),
        key in prop::collection::vec(any::<u8>(), 0..6),
    ) {
        match prefix_end(&prefix) {
            Some(end) => {
                if key.starts_with(&prefix) {
                    prop_assert!(key < end);
                } else if key > prefix {
                    prop_assert!(key >= end);
                }
            }
            // Only a prefix of all 0xFF bytes has no end: every longer key starts with it or
            // sorts before it.
            None => prop_assert!(prefix.iter().all(|&b| b == u8::MAX)),
        }
    }
}
