//! Relationships between nodes. Each edge has a kind, a `from` and a `to` node, an optional
//! year (chairmanships) and properties that say where it comes from.

use super::id::{NodeKind, NodeRef};
use super::records::{Claim, SourceCode};
use serde::{Deserialize, Serialize};

/// The kinds of relationship. The discriminant is a stable tag used in storage keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum EdgeKind {
    /// Body → Body it reports to.
    ReportsTo = 1,
    /// Initiative → its parent Initiative.
    PartOf = 2,
    /// Initiative → Body leading it.
    LedBy = 3,
    /// Meeting → Body that held it.
    HeldBy = 4,
    /// Meeting → Member that chaired it.
    ChairedBy = 5,
    /// Meeting → Member, Partner or Body taking part (`role`).
    Participant = 6,
    /// Person → Meeting where the person headed `party`'s delegation.
    Delegation = 7,
    /// Meeting → Initiative it dealt with.
    Discussed = 8,
    /// Meeting → Initiative it approved or adopted.
    Approved = 9,
    /// Person → Member, or Body (the ASEAN Secretariat), the person represents.
    Represents = 10,
    /// Member or Partner → Initiative or Meeting it funds (`amount_usd`, `project_count`,
    /// `approved_at`).
    Funds = 11,
    /// Member → Body it chaired in `year`; the body [`NodeRef::asean`] is ASEAN itself.
    Chairs = 12,
    /// Meeting → the meeting it reports to (its work goes on to the other's agenda).
    ReportsToMeeting = 13,
    /// Meeting → a meeting it prepares.
    Prepares = 14,
    /// Meeting → the meeting at which its results were reported.
    ReportedAt = 15,
    /// Meeting → Initiative it recommended for adoption (not itself adopting it).
    Recommended = 16,
    /// Person → Meeting at which the person spoke.
    SpokeAt = 17,
    /// Person → Meeting the person chaired (at most one a meeting).
    Presided = 18,
}

use NodeKind as K;

impl EdgeKind {
    pub const ALL: [EdgeKind; 18] = [
        EdgeKind::ReportsTo,
        EdgeKind::PartOf,
        EdgeKind::LedBy,
        EdgeKind::HeldBy,
        EdgeKind::ChairedBy,
        EdgeKind::Participant,
        EdgeKind::Delegation,
        EdgeKind::Discussed,
        EdgeKind::Approved,
        EdgeKind::Represents,
        EdgeKind::Funds,
        EdgeKind::Chairs,
        EdgeKind::ReportsToMeeting,
        EdgeKind::Prepares,
        EdgeKind::ReportedAt,
        EdgeKind::Recommended,
        EdgeKind::SpokeAt,
        EdgeKind::Presided,
    ];

    /// The links between meetings (reports to, prepares, reported at): one way only
    /// between two meetings, and listed together from either end.
    pub const MEETING_LINKS: [EdgeKind; 3] = [
        EdgeKind::ReportsToMeeting,
        EdgeKind::Prepares,
        EdgeKind::ReportedAt,
    ];

    pub fn tag(self) -> u8 {
        self as u8
    }

    pub fn from_tag(tag: u8) -> Option<EdgeKind> {
        EdgeKind::ALL.into_iter().find(|k| k.tag() == tag)
    }

    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::ReportsTo => "reportsTo",
            EdgeKind::PartOf => "partOf",
            EdgeKind::LedBy => "ledBy",
            EdgeKind::HeldBy => "heldBy",
            EdgeKind::ChairedBy => "chairedBy",
            EdgeKind::Participant => "participant",
            EdgeKind::Delegation => "delegation",
            EdgeKind::Discussed => "discussed",
            EdgeKind::Approved => "approved",
            EdgeKind::Represents => "represents",
            EdgeKind::Funds => "funds",
            EdgeKind::Chairs => "chairs",
            EdgeKind::ReportsToMeeting => "reportsToMeeting",
            EdgeKind::Prepares => "prepares",
            EdgeKind::ReportedAt => "reportedAt",
            EdgeKind::Recommended => "recommended",
            EdgeKind::SpokeAt => "spokeAt",
            EdgeKind::Presided => "presided",
        }
    }

    /// The node kinds allowed at the `from` end.
    pub fn from_kinds(self) -> &'static [NodeKind] {
        match self {
            EdgeKind::ReportsTo => &[K::Body],
            EdgeKind::PartOf | EdgeKind::LedBy => &[K::Initiative],
            EdgeKind::HeldBy
            | EdgeKind::ChairedBy
            | EdgeKind::Participant
            | EdgeKind::Discussed
            | EdgeKind::Approved
            | EdgeKind::ReportsToMeeting
            | EdgeKind::Prepares
            | EdgeKind::ReportedAt
            | EdgeKind::Recommended => &[K::Meeting],
            EdgeKind::Delegation
            | EdgeKind::Represents
            | EdgeKind::SpokeAt
            | EdgeKind::Presided => &[K::Person],
            EdgeKind::Funds => &[K::Member, K::Partner],
            EdgeKind::Chairs => &[K::Member],
        }
    }

    /// The node kinds allowed at the `to` end.
    pub fn to_kinds(self) -> &'static [NodeKind] {
        match self {
            EdgeKind::ReportsTo | EdgeKind::LedBy | EdgeKind::HeldBy | EdgeKind::Chairs => {
                &[K::Body]
            }
            EdgeKind::PartOf | EdgeKind::Discussed | EdgeKind::Approved | EdgeKind::Recommended => {
                &[K::Initiative]
            }
            EdgeKind::ChairedBy => &[K::Member],
            EdgeKind::Represents => &[K::Member, K::Body],
            EdgeKind::Participant => &[K::Member, K::Partner, K::Body],
            EdgeKind::Delegation
            | EdgeKind::ReportsToMeeting
            | EdgeKind::Prepares
            | EdgeKind::ReportedAt
            | EdgeKind::SpokeAt
            | EdgeKind::Presided => &[K::Meeting],
            EdgeKind::Funds => &[K::Initiative, K::Meeting],
        }
    }

    /// Whether a node may have at most one edge of this kind going out (a parent, a chair).
    pub fn single_valued(self) -> bool {
        matches!(
            self,
            EdgeKind::ReportsTo
                | EdgeKind::PartOf
                | EdgeKind::HeldBy
                | EdgeKind::ChairedBy
                | EdgeKind::Represents
        )
    }
}

/// What an edge says beyond its ends. Fields that do not apply to the edge's kind are empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EdgeProps {
    pub sources: Vec<SourceCode>,
    /// Participant: the party's role (`"chair"`, `"observer"`).
    pub role: Option<String>,
    /// Delegation: the party whose delegation the person headed.
    pub party: Option<NodeRef>,
    /// Funds: amount in US dollars.
    pub amount_usd: Option<f64>,
    /// Funds: number of projects funded.
    pub project_count: Option<u32>,
    /// Funds: code of the meeting that approved the funding.
    pub approved_at: Option<String>,
    pub note: Option<String>,
    pub claims: Vec<Claim>,
}

/// One relationship.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub kind: EdgeKind,
    pub from: NodeRef,
    pub to: NodeRef,
    /// Chairs: the year of the chairmanship. Part of the edge's identity.
    pub year: Option<u16>,
    pub props: EdgeProps,
}

impl Edge {
    pub fn new(kind: EdgeKind, from: NodeRef, to: NodeRef, sources: Vec<SourceCode>) -> Edge {
        Edge {
            kind,
            from,
            to,
            year: None,
            props: EdgeProps {
                sources,
                ..EdgeProps::default()
            },
        }
    }

    /// Whether the edge's role holds `words` (already [`phrase`](super::search::phrase)d):
    /// the same words in the same order, whole, case and accents aside, so "organiser"
    /// finds "host and organiser" and "partner" finds "partner (head of mission)".
    pub fn role_holds(&self, words: &str) -> bool {
        self.props.role.as_deref().is_some_and(|role| {
            format!(" {} ", super::search::phrase(role)).contains(&format!(" {words} "))
        })
    }

    /// Whether the edge rests on some source other than general knowledge.
    pub fn verified(&self) -> bool {
        super::filter::verified(&self.props.sources)
    }

    /// Every source code the edge refers to.
    pub fn cited_sources(&self) -> impl Iterator<Item = &str> {
        let props = &self.props;
        props
            .sources
            .iter()
            .map(String::as_str)
            .chain(props.claims.iter().map(|c| c.source.as_str()))
    }
}

impl NodeRef {
    /// The stand-in body of a chairmanship of ASEAN itself (the ASEAN Chair): a body with
    /// an empty code, which no real body can have.
    pub fn asean() -> NodeRef {
        NodeRef::new(NodeKind::Body, "")
    }

    pub fn is_asean(&self) -> bool {
        self.kind == NodeKind::Body && self.code.is_empty()
    }
}
