//! Input objects of the node mutations. A create input holds the record's own fields; a
//! patch holds only what changes (an absent field stays, an explicit null clears it).
//! Relationships have their own mutations.

use crate::graphql::enums::{InitiativeKind, InitiativeStage, MeetingFormat, Pillar, Precision};
use crate::graphql::scalars::Date;
use async_graphql::{InputObject, MaybeUndefined};
use serde::Serialize;

/// A new member state.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberInput {
    /// ISO 3166-1 alpha-3 code (case-insensitive).
    pub code: String,
    /// English name.
    pub name: String,
    /// Vietnamese name.
    pub name_vi: Option<String>,
    /// The day it joined ASEAN.
    pub joined_on: Option<Date>,
    /// Whether it is a CLMV country.
    #[graphql(default = false)]
    pub clmv: bool,
    /// A short description, in your own words.
    pub description: Option<String>,
    /// Codes of the sources for the record (at least one).
    pub sources: Vec<String>,
}

/// Changes to a member state: only the fields given change.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberPatch {
    /// English name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Vietnamese name (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub name_vi: MaybeUndefined<String>,
    /// The day it joined ASEAN (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub joined_on: MaybeUndefined<Date>,
    /// Whether it is a CLMV country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clmv: Option<bool>,
    /// A short description (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub description: MaybeUndefined<String>,
    /// Codes of the sources for the record, replacing the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
}

/// A new partner. Its status history is added with `addPartnerStatus`.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnerInput {
    /// ISO 3166-1 alpha-3 code for a state, acronym for an organisation (case-insensitive).
    pub code: String,
    /// English name.
    pub name: String,
    /// Vietnamese name.
    pub name_vi: Option<String>,
    /// A short description, in your own words.
    pub description: Option<String>,
    /// Where relations began before its first status.
    pub relations_since: Option<Date>,
    /// How precisely `relationsSince` is known.
    #[graphql(default_with = "Precision::Day")]
    pub relations_since_precision: Precision,
    /// Codes of the sources for the record (at least one).
    pub sources: Vec<String>,
}

/// Changes to a partner: only the fields given change.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnerPatch {
    /// English name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Vietnamese name (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub name_vi: MaybeUndefined<String>,
    /// A short description (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub description: MaybeUndefined<String>,
    /// Where relations began before its first status (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub relations_since: MaybeUndefined<Date>,
    /// How precisely `relationsSince` is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relations_since_precision: Option<Precision>,
    /// Codes of the sources for the record, replacing the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
}

/// A new body. Its parent is set with `link(kind: REPORTS_TO …)`.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BodyInput {
    /// The usual acronym (case-insensitive).
    pub code: String,
    /// English name.
    pub name: String,
    /// Vietnamese name.
    pub name_vi: Option<String>,
    /// The Community pillar.
    pub pillar: Option<Pillar>,
    /// A short description, in your own words.
    pub description: Option<String>,
    /// Codes of the sources for the record (at least one).
    pub sources: Vec<String>,
}

/// Changes to a body: only the fields given change.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BodyPatch {
    /// English name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Vietnamese name (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub name_vi: MaybeUndefined<String>,
    /// The Community pillar (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub pillar: MaybeUndefined<Pillar>,
    /// A short description (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub description: MaybeUndefined<String>,
    /// Codes of the sources for the record, replacing the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
}

/// A new meeting. Its body, chair, participants and initiatives have their own mutations.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingInput {
    /// Body and number (`IAI-TF-66`) or body, year and number (`ACCC-2021-4`).
    pub code: String,
    /// English title.
    pub title: String,
    /// Vietnamese title.
    pub title_vi: Option<String>,
    /// Its number in the body's series.
    pub number: Option<i64>,
    /// The (first) day.
    pub start_date: Date,
    /// The last day, for meetings of more than one day.
    pub end_date: Option<Date>,
    /// How precisely the dates are known.
    #[graphql(default_with = "Precision::Day")]
    pub date_precision: Precision,
    /// In person, online or both.
    pub format: Option<MeetingFormat>,
    /// Where it was held.
    pub location: Option<String>,
    /// A short description, in your own words.
    pub description: Option<String>,
    /// The names of its list fields its sources leave open (`participants`, `recommended` …).
    #[graphql(default)]
    pub open_lists: Vec<String>,
    /// Codes of the sources for the record (at least one).
    pub sources: Vec<String>,
}

/// Changes to a meeting: only the fields given change.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingPatch {
    /// English title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Vietnamese title (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub title_vi: MaybeUndefined<String>,
    /// Its number in the body's series (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub number: MaybeUndefined<i64>,
    /// The (first) day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    /// The last day (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub end_date: MaybeUndefined<Date>,
    /// How precisely the dates are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_precision: Option<Precision>,
    /// In person, online or both (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub format: MaybeUndefined<MeetingFormat>,
    /// Where it was held (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub location: MaybeUndefined<String>,
    /// A short description (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub description: MaybeUndefined<String>,
    /// The names of its list fields its sources leave open, replacing the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_lists: Option<Vec<String>>,
    /// Codes of the sources for the record, replacing the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
}

/// A new initiative. Its parent and lead bodies are set with `link`; figures with
/// `addFigure`.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InitiativeInput {
    /// Upper-case slug (case-insensitive), e.g. `IAI-WP5`.
    pub code: String,
    /// English name.
    pub name: String,
    /// Vietnamese name.
    pub name_vi: Option<String>,
    /// Other names, for search.
    #[graphql(default)]
    pub aliases: Vec<String>,
    /// What sort of initiative it is.
    pub kind: InitiativeKind,
    /// Adopted (the default), or only proposed.
    #[graphql(default_with = "InitiativeStage::Adopted")]
    pub stage: InitiativeStage,
    /// The first year it covers.
    pub start_year: Option<i64>,
    /// The last year it covers, by its label.
    pub end_year: Option<i64>,
    /// The day it ended or is to end, where a source gives one.
    pub end_date: Option<Date>,
    /// How precisely `endDate` is known.
    #[graphql(default_with = "Precision::Day")]
    pub end_date_precision: Precision,
    /// A short description, in your own words.
    pub description: Option<String>,
    /// Codes of the sources for the record (at least one).
    pub sources: Vec<String>,
}

/// Changes to an initiative: only the fields given change.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InitiativePatch {
    /// English name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Vietnamese name (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub name_vi: MaybeUndefined<String>,
    /// Other names, replacing the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aliases: Option<Vec<String>>,
    /// What sort of initiative it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<InitiativeKind>,
    /// Adopted, or only proposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<InitiativeStage>,
    /// The first year it covers (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub start_year: MaybeUndefined<i64>,
    /// The last year it covers (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub end_year: MaybeUndefined<i64>,
    /// The day it ended or is to end (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub end_date: MaybeUndefined<Date>,
    /// How precisely `endDate` is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date_precision: Option<Precision>,
    /// A short description (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub description: MaybeUndefined<String>,
    /// Codes of the sources for the record, replacing the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
}

/// A new person. Whom they represent is set with `link(kind: REPRESENTS …)`.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonInput {
    /// Upper-case slug of the name (case-insensitive), e.g. `NGUYEN-HAI-BANG`.
    pub code: String,
    /// Name in Latin letters.
    pub name: String,
    /// Name as Vietnamese sources write it.
    pub name_vi: Option<String>,
    /// Title or role.
    pub title: Option<String>,
    /// A short description, in your own words.
    pub description: Option<String>,
    /// Codes of the sources for the record (at least one).
    pub sources: Vec<String>,
}

/// Changes to a person: only the fields given change.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonPatch {
    /// Name in Latin letters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Name as Vietnamese sources write it (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub name_vi: MaybeUndefined<String>,
    /// Title or role (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub title: MaybeUndefined<String>,
    /// A short description (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub description: MaybeUndefined<String>,
    /// Codes of the sources for the record, replacing the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
}

/// A new source.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceInput {
    /// Short code (case-insensitive), e.g. `P48`.
    pub code: String,
    /// The title, as published.
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// Who wrote it, where the source names an author.
    pub author: Option<String>,
    /// When it was published.
    pub published_on: Option<Date>,
    /// The time of day it was published, as the publisher shows it (`"08:12"`).
    pub published_time: Option<String>,
    /// Where the publication date is unknown: the day it speaks as of (the last day of the
    /// latest event it reports as past).
    pub as_of: Option<Date>,
    /// Its language, as a BCP 47 tag.
    pub language: Option<String>,
    /// A file name, for an archived copy.
    pub file: Option<String>,
    /// Where to read it (http or https).
    pub url: Option<String>,
    /// A remark on the source.
    pub note: Option<String>,
}

/// Changes to a source: only the fields given change.
#[derive(InputObject, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourcePatch {
    /// The title, as published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Who published it (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub publisher: MaybeUndefined<String>,
    /// Who wrote it (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub author: MaybeUndefined<String>,
    /// When it was published (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub published_on: MaybeUndefined<Date>,
    /// The time of day it was published (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub published_time: MaybeUndefined<String>,
    /// The day it speaks as of (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub as_of: MaybeUndefined<Date>,
    /// Its language (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub language: MaybeUndefined<String>,
    /// A file name (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub file: MaybeUndefined<String>,
    /// Where to read it (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub url: MaybeUndefined<String>,
    /// A remark (null clears it).
    #[serde(skip_serializing_if = "MaybeUndefined::is_undefined")]
    pub note: MaybeUndefined<String>,
}
