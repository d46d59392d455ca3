//! Relationship mutations: plain links (parents, lead bodies, a meeting's body, chair,
//! initiatives and links to other meetings, whom a person represents, who spoke at or
//! chaired a meeting), participants, fundings, chairmanships.

// One Rust argument per GraphQL argument: a participant takes several.
#![allow(clippy::too_many_arguments)]

use super::write::{WriteError, existing, write};
use crate::graphql::auth::Role;
use crate::graphql::codes::code_arg;
use crate::graphql::error::{NOT_FOUND, bad_input, coded};
use crate::graphql::integers::{int_arg, opt_int_arg};
use crate::graphql::types::{Chairmanship, Funding, Node, Participation};
use crate::model::{Edge, EdgeKind, EdgeProps, NodeKind, NodeRef, PROJECT_COUNTS, YEARS};
use crate::store::{Change, EdgeId};
use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, Result};

pub(super) fn id_arg(name: &str, id: &str, kinds: &[NodeKind]) -> Result<NodeRef> {
    NodeRef::parse_of(id, kinds).map_err(|e| bad_input(format!("{name}: {e}")))
}

pub(super) fn sources_arg(sources: &[String]) -> Result<Vec<String>> {
    sources
        .iter()
        .enumerate()
        .map(|(i, s)| code_arg(&format!("sources[{i}]"), s))
        .collect()
}

fn missing_edge(what: &str) -> WriteError {
    WriteError::Client(coded(NOT_FOUND, format!("no {what}")))
}

/// The plain relationships `link` and `unlink` manage.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// Body → the body it reports to (its parent; at most one).
    ReportsTo,
    /// Initiative → the initiative it belongs to (its parent; at most one).
    PartOf,
    /// Initiative → a body leading it.
    LedBy,
    /// Meeting → the body that held it (at most one).
    HeldBy,
    /// Meeting → the member state that chaired it (at most one).
    ChairedBy,
    /// Meeting → an initiative it dealt with.
    Discussed,
    /// Meeting → an initiative it approved or adopted.
    Approved,
    /// Person → the member state, or body, the person represents (at most one).
    Represents,
    /// Meeting → the meeting it reports to.
    ReportsToMeeting,
    /// Meeting → a meeting it prepares.
    Prepares,
    /// Meeting → the meeting at which its results were reported.
    ReportedAt,
    /// Meeting → an initiative it recommended for adoption.
    Recommended,
    /// Person → a meeting at which the person spoke.
    SpokeAt,
    /// Person → a meeting the person chaired (one person a meeting).
    Presided,
}

impl LinkKind {
    fn edge_kind(self) -> EdgeKind {
        match self {
            LinkKind::ReportsTo => EdgeKind::ReportsTo,
            LinkKind::PartOf => EdgeKind::PartOf,
            LinkKind::LedBy => EdgeKind::LedBy,
            LinkKind::HeldBy => EdgeKind::HeldBy,
            LinkKind::ChairedBy => EdgeKind::ChairedBy,
            LinkKind::Discussed => EdgeKind::Discussed,
            LinkKind::Approved => EdgeKind::Approved,
            LinkKind::Represents => EdgeKind::Represents,
            LinkKind::ReportsToMeeting => EdgeKind::ReportsToMeeting,
            LinkKind::Prepares => EdgeKind::Prepares,
            LinkKind::ReportedAt => EdgeKind::ReportedAt,
            LinkKind::Recommended => EdgeKind::Recommended,
            LinkKind::SpokeAt => EdgeKind::SpokeAt,
            LinkKind::Presided => EdgeKind::Presided,
        }
    }
}

/// A new funding.
#[derive(InputObject)]
pub struct FundingInput {
    /// Who funds: `"Member:SGP"` or `"Partner:JPN"`.
    pub funder: ID,
    /// What is funded: `"Initiative:IAI-WP4"` or `"Meeting:…"`.
    pub target: ID,
    /// Amount in US dollars.
    pub amount_usd: Option<f64>,
    /// Number of projects funded.
    pub project_count: Option<i64>,
    /// Code of the meeting that approved it.
    pub approved_at: Option<String>,
    /// A remark, in your own words.
    pub note: Option<String>,
    /// Codes of the sources that report it (at least one).
    pub sources: Vec<String>,
}

/// Changes to a funding: only the fields given change.
#[derive(InputObject)]
pub struct FundingPatch {
    /// Amount in US dollars (null clears it).
    pub amount_usd: MaybeUndefined<f64>,
    /// Number of projects (null clears it).
    pub project_count: MaybeUndefined<i64>,
    /// Code of the approving meeting (null clears it).
    pub approved_at: MaybeUndefined<String>,
    /// A remark (null clears it).
    pub note: MaybeUndefined<String>,
    /// Codes of the sources, replacing the list.
    pub sources: Option<Vec<String>>,
}

fn set<T>(field: &mut Option<T>, value: MaybeUndefined<T>) {
    match value {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *field = None,
        MaybeUndefined::Value(v) => *field = Some(v),
    }
}

/// Add and remove relationships. Each needs an editor token.
#[derive(Default)]
pub struct LinkMutation;

/// Add and remove relationships.
#[Object]
impl LinkMutation {
    /// Links two records; for kinds that allow one link (a parent, a meeting's body or
    /// chair, whom a person represents) the new link replaces the old. Returns the `from`
    /// record.
    async fn link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which relationship.")] kind: LinkKind,
        #[graphql(desc = "Global id of the record the link starts at (e.g. \"Body:IAI-TF\").")]
        from: ID,
        #[graphql(desc = "Global id of the record it points to (e.g. \"Body:ACC\").")] to: ID,
        #[graphql(desc = "Codes of the sources that report the relationship (at least one).")]
        sources: Vec<String>,
        #[graphql(
            desc = "A remark on the relationship, in your own words (e.g. what a speaker said)."
        )]
        note: Option<String>,
    ) -> Result<Node> {
        let kind = kind.edge_kind();
        let from = id_arg("from", &from, kind.from_kinds())?;
        let to = id_arg("to", &to, kind.to_kinds())?;
        let mut edge = Edge::new(kind, from.clone(), to, sources_arg(&sources)?);
        edge.props.note = note;
        write(ctx, Role::Editor, "link", move |store, log| {
            let node = existing(store, &from)?;
            let mut changes = Vec::new();
            if kind.single_valued() {
                for old in store.edges_out(kind, &from)? {
                    if old.to != edge.to {
                        changes.push(log.edge(Some(&old), None));
                        changes.push(Change::DeleteEdge(EdgeId::of(&old)));
                    }
                }
            }
            let before = store.edge(&EdgeId::of(&edge))?;
            changes.push(log.edge(before.as_ref(), Some(&edge)));
            changes.push(Change::PutEdge(edge));
            Ok((changes, Node::from(node)))
        })
        .await
    }

    /// Removes a link; NOT_FOUND if there is none.
    async fn unlink(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which relationship.")] kind: LinkKind,
        #[graphql(desc = "Global id of the record the link starts at.")] from: ID,
        #[graphql(desc = "Global id of the record it points to.")] to: ID,
    ) -> Result<bool> {
        let kind = kind.edge_kind();
        let id = EdgeId {
            kind,
            from: id_arg("from", &from, kind.from_kinds())?,
            to: id_arg("to", &to, kind.to_kinds())?,
            year: None,
        };
        write(ctx, Role::Editor, "unlink", move |store, log| {
            let old = store.edge(&id)?.ok_or_else(|| {
                missing_edge(&format!("{} link {} → {}", kind.name(), id.from, id.to))
            })?;
            Ok((
                vec![log.edge(Some(&old), None), Change::DeleteEdge(id)],
                true,
            ))
        })
        .await
    }

    /// Adds a party to a meeting (or replaces its role and head of delegation).
    async fn add_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's code.")] meeting: String,
        #[graphql(desc = "Global id of the member state, partner or body taking part.")] party: ID,
        #[graphql(desc = "Its role (e.g. \"chair\", \"observer\").")] role: Option<String>,
        #[graphql(desc = "Code of the person heading its delegation.")] head_of_delegation: Option<
            String,
        >,
        #[graphql(desc = "Codes of the sources that report it (at least one).")] sources: Vec<
            String,
        >,
        #[graphql(
            desc = "A remark on the party's part, in your own words (e.g. what its representative said)."
        )]
        note: Option<String>,
    ) -> Result<Participation> {
        let meeting = NodeRef::new(NodeKind::Meeting, code_arg("meeting", &meeting)?);
        let party = id_arg("party", &party, EdgeKind::Participant.to_kinds())?;
        let head = head_of_delegation
            .map(|h| code_arg("headOfDelegation", &h))
            .transpose()?;
        let sources = sources_arg(&sources)?;
        write(ctx, Role::Editor, "addParticipant", move |store, log| {
            let mut edge = Edge::new(
                EdgeKind::Participant,
                meeting.clone(),
                party.clone(),
                sources.clone(),
            );
            edge.props.role = role;
            edge.props.note = note;
            let mut changes = Vec::new();
            let before = store.edge(&EdgeId::of(&edge))?;
            changes.push(log.edge(before.as_ref(), Some(&edge)));
            changes.push(Change::PutEdge(edge.clone()));
            for d in store.edges_in(EdgeKind::Delegation, &meeting)? {
                if d.props.party.as_ref() == Some(&party) {
                    changes.push(log.edge(Some(&d), None));
                    changes.push(Change::DeleteEdge(EdgeId::of(&d)));
                }
            }
            if let Some(head) = head {
                let person = NodeRef::new(NodeKind::Person, head);
                // A person heads one delegation to a meeting: another party's is a conflict,
                // not a silent move.
                let heading = EdgeId {
                    kind: EdgeKind::Delegation,
                    from: person.clone(),
                    to: meeting.clone(),
                    year: None,
                };
                if let Some(other) = store.edge(&heading)?
                    && let Some(other_party) = other.props.party.filter(|p| p != &party)
                {
                    return Err(WriteError::Client(coded(
                        crate::graphql::error::CONFLICT,
                        format!("{person} already heads {other_party}'s delegation to {meeting}"),
                    )));
                }
                let delegation = Edge {
                    kind: EdgeKind::Delegation,
                    from: person,
                    to: meeting,
                    year: None,
                    props: EdgeProps {
                        sources,
                        party: Some(party),
                        ..EdgeProps::default()
                    },
                };
                changes.push(log.edge(None, Some(&delegation)));
                changes.push(Change::PutEdge(delegation));
            }
            Ok((changes, Participation(edge)))
        })
        .await
    }

    /// Removes a party from a meeting, with its head of delegation.
    async fn remove_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's code.")] meeting: String,
        #[graphql(desc = "Global id of the party.")] party: ID,
    ) -> Result<bool> {
        let meeting = NodeRef::new(NodeKind::Meeting, code_arg("meeting", &meeting)?);
        let party = id_arg("party", &party, EdgeKind::Participant.to_kinds())?;
        write(ctx, Role::Editor, "removeParticipant", move |store, log| {
            let id = EdgeId {
                kind: EdgeKind::Participant,
                from: meeting.clone(),
                to: party.clone(),
                year: None,
            };
            let old = store
                .edge(&id)?
                .ok_or_else(|| missing_edge(&format!("participant {party} of {meeting}")))?;
            let mut changes = vec![log.edge(Some(&old), None), Change::DeleteEdge(id)];
            for d in store.edges_in(EdgeKind::Delegation, &meeting)? {
                if d.props.party.as_ref() == Some(&party) {
                    changes.push(log.edge(Some(&d), None));
                    changes.push(Change::DeleteEdge(EdgeId::of(&d)));
                }
            }
            Ok((changes, true))
        })
        .await
    }

    /// Records a funding; CONFLICT if this funder already funds this target.
    async fn add_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding.")] input: FundingInput,
    ) -> Result<Funding> {
        let edge = Edge {
            kind: EdgeKind::Funds,
            from: id_arg("input.funder", &input.funder, EdgeKind::Funds.from_kinds())?,
            to: id_arg("input.target", &input.target, EdgeKind::Funds.to_kinds())?,
            year: None,
            props: EdgeProps {
                sources: sources_arg(&input.sources)?,
                amount_usd: input.amount_usd,
                project_count: opt_int_arg(
                    "input.projectCount",
                    input.project_count,
                    PROJECT_COUNTS,
                )?,
                approved_at: input
                    .approved_at
                    .map(|m| code_arg("input.approvedAt", &m))
                    .transpose()?,
                note: input.note,
                ..EdgeProps::default()
            },
        };
        write(ctx, Role::Editor, "addFunding", move |_, log| {
            Ok((
                vec![
                    log.edge(None, Some(&edge)),
                    Change::InsertEdge(edge.clone()),
                ],
                Funding(edge),
            ))
        })
        .await
    }

    /// Changes the given fields of a funding.
    async fn update_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the funder.")] funder: ID,
        #[graphql(desc = "Global id of the target.")] target: ID,
        #[graphql(desc = "The fields to change.")] input: FundingPatch,
    ) -> Result<Funding> {
        let id = EdgeId {
            kind: EdgeKind::Funds,
            from: id_arg("funder", &funder, EdgeKind::Funds.from_kinds())?,
            to: id_arg("target", &target, EdgeKind::Funds.to_kinds())?,
            year: None,
        };
        let approved_at = match input.approved_at {
            MaybeUndefined::Value(m) => MaybeUndefined::Value(code_arg("input.approvedAt", &m)?),
            other => other,
        };
        let project_count = input
            .project_count
            .map_value(|n| int_arg("input.projectCount", n, PROJECT_COUNTS))
            .transpose()?;
        let sources = input.sources.as_deref().map(sources_arg).transpose()?;
        write(ctx, Role::Editor, "updateFunding", move |store, log| {
            let before = store
                .edge(&id)?
                .ok_or_else(|| missing_edge(&format!("funding of {} by {}", id.to, id.from)))?;
            let mut after = before.clone();
            set(&mut after.props.amount_usd, input.amount_usd);
            set(&mut after.props.project_count, project_count);
            set(&mut after.props.approved_at, approved_at);
            set(&mut after.props.note, input.note);
            if let Some(s) = sources {
                after.props.sources = s;
            }
            Ok((
                vec![
                    log.edge(Some(&before), Some(&after)),
                    Change::PutEdge(after.clone()),
                ],
                Funding(after),
            ))
        })
        .await
    }

    /// Removes a funding; NOT_FOUND if there is none.
    async fn remove_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the funder.")] funder: ID,
        #[graphql(desc = "Global id of the target.")] target: ID,
    ) -> Result<bool> {
        let id = EdgeId {
            kind: EdgeKind::Funds,
            from: id_arg("funder", &funder, EdgeKind::Funds.from_kinds())?,
            to: id_arg("target", &target, EdgeKind::Funds.to_kinds())?,
            year: None,
        };
        write(ctx, Role::Editor, "removeFunding", move |store, log| {
            let old = store
                .edge(&id)?
                .ok_or_else(|| missing_edge(&format!("funding of {} by {}", id.to, id.from)))?;
            Ok((
                vec![log.edge(Some(&old), None), Change::DeleteEdge(id)],
                true,
            ))
        })
        .await
    }

    /// Records who chaired a body (or ASEAN itself, with no body) in a year; CONFLICT if
    /// that body already has a chair that year.
    async fn add_chair(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The body's code; omit for the Chair of ASEAN.")] body: Option<String>,
        #[graphql(desc = "The member state's code.")] member: String,
        #[graphql(desc = "The year (1900 to 2100).")] year: i64,
        #[graphql(desc = "Codes of the sources that report it (at least one).")] sources: Vec<
            String,
        >,
    ) -> Result<Chairmanship> {
        let year: u16 = int_arg("year", year, YEARS)?;
        let chaired = match body {
            None => NodeRef::asean(),
            Some(b) => NodeRef::new(NodeKind::Body, code_arg("body", &b)?),
        };
        let mut edge = Edge::new(
            EdgeKind::Chairs,
            NodeRef::new(NodeKind::Member, code_arg("member", &member)?),
            chaired,
            sources_arg(&sources)?,
        );
        edge.year = Some(year);
        write(ctx, Role::Editor, "addChair", move |store, log| {
            for other in store.edges_in(EdgeKind::Chairs, &edge.to)? {
                if other.year == edge.year {
                    return Err(WriteError::Client(coded(
                        crate::graphql::error::CONFLICT,
                        format!(
                            "{} already has a chair in {year}: {}",
                            describe(&edge.to),
                            other.from
                        ),
                    )));
                }
            }
            Ok((
                vec![
                    log.edge(None, Some(&edge)),
                    Change::InsertEdge(edge.clone()),
                ],
                Chairmanship(edge),
            ))
        })
        .await
    }

    /// Removes the chair of a body (or of ASEAN) in a year; NOT_FOUND if there is none.
    async fn remove_chair(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The body's code; omit for the Chair of ASEAN.")] body: Option<String>,
        #[graphql(desc = "The year (1900 to 2100).")] year: i64,
    ) -> Result<bool> {
        let year: u16 = int_arg("year", year, YEARS)?;
        let chaired = match body {
            None => NodeRef::asean(),
            Some(b) => NodeRef::new(NodeKind::Body, code_arg("body", &b)?),
        };
        write(ctx, Role::Editor, "removeChair", move |store, log| {
            let old = store
                .edges_in(EdgeKind::Chairs, &chaired)?
                .into_iter()
                .find(|e| e.year == Some(year))
                .ok_or_else(|| {
                    missing_edge(&format!("chair of {} in {year}", describe(&chaired)))
                })?;
            Ok((
                vec![
                    log.edge(Some(&old), None),
                    Change::DeleteEdge(EdgeId::of(&old)),
                ],
                true,
            ))
        })
        .await
    }
}

fn describe(chaired: &NodeRef) -> String {
    if chaired.is_asean() {
        "ASEAN".into()
    } else {
        chaired.to_string()
    }
}
