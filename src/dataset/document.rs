//! The interchange document as JSON sees it (docs/dataset.md). Dates, enums and codes are
//! kept as text here so that reading can report every bad value with its path, rather than
//! stopping at the first.

use crate::model::{Claim, exact_integer};
use serde::{Deserialize, Serialize, Serializer};

/// The value of `format` this build writes.
pub const FORMAT: &str = "asean-graph/2";

/// The earlier format this build still reads: format 2 only adds fields, each optional.
pub const FORMAT_1: &str = "asean-graph/1";

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Document {
    pub format: String,
    #[serde(default)]
    pub sources: Vec<SourceDoc>,
    #[serde(default)]
    pub members: Vec<MemberDoc>,
    #[serde(default)]
    pub partners: Vec<PartnerDoc>,
    #[serde(default)]
    pub bodies: Vec<BodyDoc>,
    #[serde(default)]
    pub people: Vec<PersonDoc>,
    #[serde(default)]
    pub initiatives: Vec<InitiativeDoc>,
    #[serde(default)]
    pub meetings: Vec<MeetingDoc>,
    #[serde(default)]
    pub fundings: Vec<FundingDoc>,
    #[serde(default)]
    pub chairmanships: Vec<ChairmanshipDoc>,
}

/// A reference to another record, with the sources for the relationship.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkDoc {
    pub code: String,
    pub sources: Vec<String>,
    /// A remark on the relationship, in our words (what a speaker said, why a link holds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SourceDoc {
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub published_on: Option<String>,
    /// The time of day it was published (`"08:12"`), as the publisher shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_time: Option<String>,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberDoc {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_vi: Option<String>,
    #[serde(default)]
    pub joined_on: Option<String>,
    #[serde(default)]
    pub clmv: bool,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub claims: Vec<Claim>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusDoc {
    pub kind: String,
    #[serde(default = "conferred")]
    pub stage: String,
    pub from: String,
    #[serde(default = "day")]
    pub from_precision: String,
    #[serde(default)]
    pub to: Option<String>,
    /// The code of the meeting that decided or conferred it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

fn day() -> String {
    "DAY".into()
}

fn conferred() -> String {
    "CONFERRED".into()
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartnerDoc {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_vi: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Where relations began before the first status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relations_since: Option<String>,
    /// How precisely `relationsSince` is known (DAY when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relations_since_precision: Option<String>,
    #[serde(default)]
    pub statuses: Vec<StatusDoc>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub claims: Vec<Claim>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BodyDoc {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_vi: Option<String>,
    #[serde(default)]
    pub pillar: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parent: Option<LinkDoc>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub claims: Vec<Claim>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersonDoc {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_vi: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// A member state's code, or a body's global id (`"Body:ASEC"`).
    #[serde(default)]
    pub represents: Option<LinkDoc>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub claims: Vec<Claim>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FigureDoc {
    pub label: String,
    #[serde(serialize_with = "number")]
    pub value: f64,
    #[serde(default)]
    pub qualifier: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub as_of: Option<String>,
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitiativeDoc {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_vi: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: String,
    /// `PROPOSED` for an initiative only proposed; absent for an adopted one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(default)]
    pub start_year: Option<i64>,
    #[serde(default)]
    pub end_year: Option<i64>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default = "day")]
    pub end_date_precision: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parent: Option<LinkDoc>,
    #[serde(default)]
    pub lead_bodies: Vec<LinkDoc>,
    #[serde(default)]
    pub figures: Vec<FigureDoc>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub claims: Vec<Claim>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParticipantDoc {
    pub party: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub head_of_delegation: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// A remark on the party's part, in our words (what its unnamed representative said).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeetingDoc {
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub title_vi: Option<String>,
    #[serde(default)]
    pub body: Option<LinkDoc>,
    #[serde(default)]
    pub number: Option<i64>,
    pub start_date: String,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default = "day")]
    pub date_precision: String,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub figures: Vec<FigureDoc>,
    /// The lists its sources leave open, by their `Meeting` field names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_lists: Vec<String>,
    #[serde(default)]
    pub chair: Option<LinkDoc>,
    /// The person in the chair (a person's code).
    #[serde(default)]
    pub presided_by: Option<LinkDoc>,
    #[serde(default)]
    pub participants: Vec<ParticipantDoc>,
    /// People who spoke at it (persons' codes).
    #[serde(default)]
    pub speakers: Vec<LinkDoc>,
    #[serde(default)]
    pub initiatives: Vec<LinkDoc>,
    #[serde(default)]
    pub approved: Vec<LinkDoc>,
    /// Initiatives it recommended for adoption.
    #[serde(default)]
    pub recommended: Vec<LinkDoc>,
    /// Meetings it reports to (meetings' codes).
    #[serde(default)]
    pub reports_to: Vec<LinkDoc>,
    /// Meetings it prepares.
    #[serde(default)]
    pub prepares: Vec<LinkDoc>,
    /// Meetings at which its results were reported.
    #[serde(default)]
    pub reported_at: Vec<LinkDoc>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub claims: Vec<Claim>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FundingDoc {
    pub funder: String,
    pub target: String,
    #[serde(default, serialize_with = "opt_number")]
    pub amount_usd: Option<f64>,
    #[serde(default)]
    pub project_count: Option<i64>,
    #[serde(default)]
    pub approved_at: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChairmanshipDoc {
    #[serde(default)]
    pub body: Option<String>,
    pub member: String,
    pub year: i64,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub claims: Vec<Claim>,
}

/// Whole numbers are written without a fraction (`16`, not `16.0`).
fn number<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    match exact_integer(*value) {
        Some(i) => s.serialize_i64(i),
        None => s.serialize_f64(*value),
    }
}

fn opt_number<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => number(v, s),
        None => s.serialize_none(),
    }
}
