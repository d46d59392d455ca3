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
    /// A declaration or statement adopted by leaders.
    Declaration,
    /// A roadmap.
    Roadmap,
    /// A vision document.
    Vision,
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

/// Who gives a funding.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum FunderKind {
    /// An ASEAN member state (e.g. Singapore).
    Member,
    /// An external partner (e.g. Japan).
    Partner,
}
