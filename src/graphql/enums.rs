//! GraphQL enums, mirroring the model's.

use crate::model;
use async_graphql::Enum;

/// The standing of an external partner with ASEAN.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "model::PartnerKind")]
pub enum PartnerKind {
    /// A full dialogue partner (e.g. Japan; the United Kingdom since August 2021).
    DialoguePartner,
    /// A sectoral dialogue partner (e.g. Pakistan, Norway).
    SectoralDialoguePartner,
    /// A development partner (e.g. Germany).
    DevelopmentPartner,
    /// An organisation with no formal partner status (a fund, a bank, a centre).
    ExternalOrganization,
}

/// The ASEAN Community pillar a body belongs to.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "model::Pillar")]
pub enum Pillar {
    /// ASEAN Political-Security Community.
    PoliticalSecurity,
    /// ASEAN Economic Community.
    Economic,
    /// ASEAN Socio-Cultural Community.
    SocioCultural,
    /// Across the pillars (coordination bodies such as the ACC, the ACCC, the IAI Task Force).
    CrossPillar,
}

/// How a meeting was held.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "model::MeetingFormat")]
pub enum MeetingFormat {
    /// Face to face.
    InPerson,
    /// Online only.
    Virtual,
    /// Partly in person, partly online.
    Hybrid,
}

/// What sort of initiative a record is.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "model::InitiativeKind")]
pub enum InitiativeKind {
    /// A long-running programme (e.g. the IAI).
    Programme,
    /// A master plan (e.g. MPAC 2025).
    Plan,
    /// A work plan of a programme (e.g. IAI Work Plan IV).
    WorkPlan,
    /// A strategic area of a plan or work plan.
    StrategicArea,
    /// An action line or initiative within a strategic area.
    ActionLine,
    /// A single project.
    Project,
    /// A strategy document.
    Strategy,
    /// A declaration or statement of leaders (adopted, or recommended for adoption: see
    /// the meetings' `approved` and `recommended`).
    Declaration,
    /// A roadmap.
    Roadmap,
    /// A vision document.
    Vision,
    /// A report (e.g. the third MPAC 2025 progress report).
    Report,
    /// A review of a plan (e.g. the MPAC 2025 Mid-Term Review).
    Review,
    /// A standing mechanism (e.g. MPAC 2025's monitoring, review and evaluation).
    Mechanism,
    /// Terms of reference of a body.
    TermsOfReference,
}

/// How precisely a source gave a date: a date of precision MONTH is the first of its month.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "model::DatePrecision")]
pub enum Precision {
    /// The exact day is known.
    Day,
    /// Only the month is known; the date is the first of the month.
    Month,
    /// Only the year is known; the date is 1 January.
    Year,
}

/// Whether an initiative was adopted or only proposed.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "model::InitiativeStage")]
pub enum InitiativeStage {
    /// Adopted, or simply in force.
    Adopted,
    /// Proposed in a draft and not known to be adopted (the three new areas of the July 2020
    /// draft of IAI Work Plan IV).
    Proposed,
}

/// How far a partner status had gone.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "model::StatusStage")]
pub enum StatusStage {
    /// Requested and under consideration: the partner does not hold the status yet (Brazil's
    /// request for sectoral dialogue partnership in September 2021).
    Applied,
    /// Agreed by ASEAN, not yet formally conferred (the UAE's sectoral dialogue partnership,
    /// agreed at the 54th AMM in August 2021).
    Decided,
    /// Formally conferred, or simply held.
    Conferred,
}

/// How a source qualifies a figure.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "model::Qualifier")]
pub enum Qualifier {
    /// "about", "some".
    About,
    /// "nearly", "almost": a little under the value.
    Nearly,
    /// "more than", "over".
    MoreThan,
}

/// Whether a meeting had taken place as of its latest dated source.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "model::MeetingStatus")]
pub enum MeetingStatus {
    /// Still to come: its latest dated source speaks as of a day before its last.
    Planned,
    /// Its latest dated source (published on, or speaking as of) is its last day or later.
    Held,
}

/// Every kind of relationship the graph holds.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "model::EdgeKind")]
pub enum RelationshipKind {
    /// Body → the body it reports to.
    ReportsTo,
    /// Initiative → the initiative it belongs to.
    PartOf,
    /// Initiative → a body leading it.
    LedBy,
    /// Meeting → the body that held it.
    HeldBy,
    /// Meeting → the member state that chaired it.
    ChairedBy,
    /// Meeting → a member state, partner or body taking part.
    Participant,
    /// Person → a meeting where the person headed a party's delegation.
    Delegation,
    /// Meeting → an initiative it dealt with.
    Discussed,
    /// Meeting → an initiative it approved or adopted.
    Approved,
    /// Person → the member state or body the person represents.
    Represents,
    /// Member state or partner → an initiative or meeting it funds.
    Funds,
    /// Member state → the body (or ASEAN itself) it chaired in a year.
    Chairs,
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
    /// Person → a meeting the person chaired.
    Presided,
}

/// How one meeting is linked to another.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum MeetingLinkKind {
    /// `from` reports to `to` (the 3rd ACCC meeting of 2021 → the 30th ACC).
    ReportsTo,
    /// `from` prepares `to` (the Joint Consultative Meeting → the 38th and 39th Summits).
    Prepares,
    /// `from`'s results were reported at `to` (the 65th IAI Task Force meeting → the JCM).
    ReportedAt,
}

impl MeetingLinkKind {
    pub const ALL: [MeetingLinkKind; 3] = [
        MeetingLinkKind::ReportsTo,
        MeetingLinkKind::Prepares,
        MeetingLinkKind::ReportedAt,
    ];

    pub fn edge_kind(self) -> model::EdgeKind {
        match self {
            MeetingLinkKind::ReportsTo => model::EdgeKind::ReportsToMeeting,
            MeetingLinkKind::Prepares => model::EdgeKind::Prepares,
            MeetingLinkKind::ReportedAt => model::EdgeKind::ReportedAt,
        }
    }
}

/// Who gives a funding.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum FunderKind {
    /// An ASEAN member state (e.g. Singapore).
    Member,
    /// An external partner (e.g. Japan).
    Partner,
}
