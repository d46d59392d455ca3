//! The node records of the graph: what each kind of node knows about itself. Relationships
//! between nodes are [`Edge`](super::Edge)s, not fields here.

use super::date::{Date, DatePrecision};
use super::id::{NodeKind, NodeRef};
use serde::{Deserialize, Serialize};

/// The code of a [`Source`] record.
pub type SourceCode = String;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PartnerKind {
    DialoguePartner,
    SectoralDialoguePartner,
    DevelopmentPartner,
    ExternalOrganization,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Pillar {
    PoliticalSecurity,
    Economic,
    SocioCultural,
    CrossPillar,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MeetingFormat {
    InPerson,
    Virtual,
    Hybrid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InitiativeKind {
    Programme,
    Plan,
    WorkPlan,
    StrategicArea,
    ActionLine,
    Project,
    Strategy,
    Declaration,
    Roadmap,
    Vision,
    Report,
    Review,
    Mechanism,
    TermsOfReference,
}

/// The name an enum value has in the API and the interchange format: its serde name
/// (`DIALOGUE_PARTNER`); empty for a value that is not a plain variant.
pub fn api_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// One source's value for a field where sources disagree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Claim {
    pub field: String,
    pub value: String,
    pub source: SourceCode,
    #[serde(default)]
    pub note: Option<String>,
}

/// How a source qualifies a figure it reports ("nearly USD 31 million").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Qualifier {
    /// "about", "some".
    About,
    /// "nearly", "almost": a little under.
    Nearly,
    /// "more than", "over".
    MoreThan,
}

/// Whether an initiative was adopted or only proposed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InitiativeStage {
    /// Adopted, or simply in force (the default).
    #[default]
    Adopted,
    /// Proposed, in a draft, and not (yet) known to be adopted.
    Proposed,
}

/// A figure reported about an initiative or a meeting (`22 of 26 action lines`,
/// `127 projects`, `150 delegates`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Figure {
    pub label: String,
    pub value: f64,
    /// How the source qualifies the value; `None` is a value given without a qualifier.
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub as_of: Option<Date>,
    pub source: SourceCode,
    #[serde(default)]
    pub note: Option<String>,
}

/// How far a partner status had gone: asked for, decided, or in force.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StatusStage {
    /// Requested, under consideration: the partner does not hold the kind yet.
    Applied,
    /// Agreed by ASEAN (e.g. at a ministers' meeting), not yet formally conferred.
    Decided,
    /// Formally conferred, or simply held (the default).
    #[default]
    Conferred,
}

/// A partner's status over a period: `to` is `None` while it still holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartnerStatus {
    pub kind: PartnerKind,
    #[serde(default)]
    pub stage: StatusStage,
    pub from: Date,
    #[serde(default)]
    pub from_precision: DatePrecision,
    #[serde(default)]
    pub to: Option<Date>,
    /// The code of the meeting at which the status was decided or conferred, where a source
    /// names it.
    #[serde(default)]
    pub decided_at: Option<String>,
    pub sources: Vec<SourceCode>,
    #[serde(default)]
    pub note: Option<String>,
}

impl PartnerStatus {
    /// Whether the status held on `date` (`to` is the last day it held).
    pub fn holds_on(&self, date: Date) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }

    /// Whether the partner holds the status's kind while it lasts: an application does not
    /// make a partner.
    pub fn grants_kind(&self) -> bool {
        self.stage != StatusStage::Applied
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Source {
    pub code: String,
    pub title: String,
    pub publisher: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    pub published_on: Option<Date>,
    /// The time of day it was published, as the publisher shows it (`"08:12"`, its local
    /// time), where it shows one; only with `published_on`.
    #[serde(default)]
    pub published_time: Option<String>,
    /// Where the publication date is unknown, the day the source speaks as of: the last day
    /// of the latest event it reports as past.
    #[serde(default)]
    pub as_of: Option<Date>,
    pub language: Option<String>,
    pub file: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
}

impl Source {
    /// The day the source speaks as of: its publication date, or failing that `as_of`.
    pub fn dated(&self) -> Option<Date> {
        self.published_on.or(self.as_of)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Member {
    pub code: String,
    pub name: String,
    pub name_vi: Option<String>,
    pub joined_on: Option<Date>,
    pub clmv: bool,
    pub description: Option<String>,
    pub sources: Vec<SourceCode>,
    pub claims: Vec<Claim>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Partner {
    pub code: String,
    pub name: String,
    pub name_vi: Option<String>,
    pub description: Option<String>,
    /// Where relations began before the partner's first status (China and Russia in 1991,
    /// five years before they became dialogue partners): the day, to `relations_since_precision`.
    #[serde(default)]
    pub relations_since: Option<Date>,
    #[serde(default)]
    pub relations_since_precision: DatePrecision,
    /// Sorted by `from`; never overlapping.
    pub statuses: Vec<PartnerStatus>,
    pub sources: Vec<SourceCode>,
    pub claims: Vec<Claim>,
}

impl Partner {
    /// The latest status that grants its kind (not an application), which gives the
    /// partner's current kind.
    pub fn current_status(&self) -> Option<&PartnerStatus> {
        self.statuses
            .iter()
            .filter(|s| s.grants_kind())
            .max_by_key(|s| s.from)
    }

    pub fn kind(&self) -> PartnerKind {
        self.current_status()
            .map_or(PartnerKind::ExternalOrganization, |s| s.kind)
    }

    /// The partner's kind on `date`; `None` if it held no status then (an application
    /// grants none). A partner with no status that grants a kind (none at all, or only
    /// applications) is an external organisation at any date.
    pub fn kind_on(&self, date: Date) -> Option<PartnerKind> {
        if !self.statuses.iter().any(PartnerStatus::grants_kind) {
            return Some(PartnerKind::ExternalOrganization);
        }
        self.statuses
            .iter()
            .find(|s| s.grants_kind() && s.holds_on(date))
            .map(|s| s.kind)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Body {
    pub code: String,
    pub name: String,
    pub name_vi: Option<String>,
    pub pillar: Option<Pillar>,
    pub description: Option<String>,
    pub sources: Vec<SourceCode>,
    pub claims: Vec<Claim>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Person {
    pub code: String,
    pub name: String,
    pub name_vi: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub sources: Vec<SourceCode>,
    pub claims: Vec<Claim>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Initiative {
    pub code: String,
    pub name: String,
    pub name_vi: Option<String>,
    pub aliases: Vec<String>,
    pub kind: InitiativeKind,
    /// Adopted, or only proposed (a draft's new area): a count of what a plan holds counts
    /// the adopted ones.
    #[serde(default)]
    pub stage: InitiativeStage,
    pub start_year: Option<u16>,
    pub end_year: Option<u16>,
    /// The day it ended or is to end, where a source gives one (to the month, for
    /// precision MONTH): a work plan's end may fall after the last year of its label.
    #[serde(default)]
    pub end_date: Option<Date>,
    #[serde(default)]
    pub end_date_precision: DatePrecision,
    pub description: Option<String>,
    pub figures: Vec<Figure>,
    pub sources: Vec<SourceCode>,
    pub claims: Vec<Claim>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Meeting {
    pub code: String,
    pub title: String,
    pub title_vi: Option<String>,
    pub number: Option<u32>,
    pub start_date: Date,
    pub end_date: Option<Date>,
    pub date_precision: DatePrecision,
    pub format: Option<MeetingFormat>,
    pub location: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// The lists of the meeting its sources leave open ("…"), by their `Meeting` field names
    /// ([`Meeting::LISTS`]): a count over one is a lower bound.
    #[serde(default)]
    pub open_lists: Vec<String>,
    pub sources: Vec<SourceCode>,
    pub claims: Vec<Claim>,
}

/// Whether a meeting had taken place by the time a source reported on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MeetingStatus {
    /// Announced: it was still to come as of its latest dated source.
    Planned,
    /// Its latest dated source speaks as of its last day or later.
    Held,
}

impl Meeting {
    /// The lists of a meeting that `open_lists` may name: its `Meeting` fields that list
    /// parties, people, initiatives, fundings or meetings, and each kind of meeting link by
    /// the name the interchange format gives it.
    pub const LISTS: [&'static str; 11] = [
        "participants",
        "speakers",
        "initiatives",
        "approved",
        "recommended",
        "fundings",
        "approvedFundings",
        "meetingLinks",
        "reportsTo",
        "prepares",
        "reportedAt",
    ];

    /// The meeting's last day (its first, for a meeting of one day).
    pub fn last_day(&self) -> Date {
        self.end_date.unwrap_or(self.start_date)
    }

    /// What a source dated `dated` could say of it: held if the source speaks as of its
    /// last day or later (a report of the meeting), planned if earlier.
    pub fn status_as_of(&self, dated: Date) -> MeetingStatus {
        if dated >= self.last_day() {
            MeetingStatus::Held
        } else {
            MeetingStatus::Planned
        }
    }
}

/// Any node record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Node {
    Member(Member),
    Partner(Partner),
    Body(Body),
    Meeting(Meeting),
    Initiative(Initiative),
    Person(Person),
    Source(Source),
}

impl Node {
    pub fn kind(&self) -> NodeKind {
        match self {
            Node::Member(_) => NodeKind::Member,
            Node::Partner(_) => NodeKind::Partner,
            Node::Body(_) => NodeKind::Body,
            Node::Meeting(_) => NodeKind::Meeting,
            Node::Initiative(_) => NodeKind::Initiative,
            Node::Person(_) => NodeKind::Person,
            Node::Source(_) => NodeKind::Source,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Node::Member(n) => &n.code,
            Node::Partner(n) => &n.code,
            Node::Body(n) => &n.code,
            Node::Meeting(n) => &n.code,
            Node::Initiative(n) => &n.code,
            Node::Person(n) => &n.code,
            Node::Source(n) => &n.code,
        }
    }

    pub fn node_ref(&self) -> NodeRef {
        NodeRef::new(self.kind(), self.code())
    }

    /// The record's main name or title.
    pub fn label(&self) -> &str {
        match self {
            Node::Member(n) => &n.name,
            Node::Partner(n) => &n.name,
            Node::Body(n) => &n.name,
            Node::Meeting(n) => &n.title,
            Node::Initiative(n) => &n.name,
            Node::Person(n) => &n.name,
            Node::Source(n) => &n.title,
        }
    }

    /// The texts search looks in besides the code, each with the name of its GraphQL field:
    /// names, Vietnamese names, titles, aliases, a source's publisher and author.
    pub fn search_fields(&self) -> Vec<(&'static str, &str)> {
        let label = match self {
            Node::Meeting(_) | Node::Source(_) => "title",
            _ => "name",
        };
        let extra: Vec<(&'static str, &Option<String>)> = match self {
            Node::Member(n) => vec![("nameVi", &n.name_vi)],
            Node::Partner(n) => vec![("nameVi", &n.name_vi)],
            Node::Body(n) => vec![("nameVi", &n.name_vi)],
            Node::Meeting(n) => vec![("titleVi", &n.title_vi)],
            Node::Person(n) => vec![("nameVi", &n.name_vi), ("title", &n.title)],
            Node::Source(n) => vec![("publisher", &n.publisher), ("author", &n.author)],
            Node::Initiative(n) => vec![("nameVi", &n.name_vi)],
        };
        let mut fields = vec![(label, self.label())];
        fields.extend(
            extra
                .into_iter()
                .filter_map(|(name, text)| Some((name, text.as_deref()?))),
        );
        if let Node::Initiative(n) = self {
            fields.extend(n.aliases.iter().map(|a| ("aliases", a.as_str())));
        }
        fields
    }

    /// The sources the record itself cites (not those of its figures or claims).
    pub fn sources(&self) -> &[SourceCode] {
        match self {
            Node::Member(n) => &n.sources,
            Node::Partner(n) => &n.sources,
            Node::Body(n) => &n.sources,
            Node::Meeting(n) => &n.sources,
            Node::Initiative(n) => &n.sources,
            Node::Person(n) => &n.sources,
            Node::Source(_) => &[],
        }
    }

    pub fn claims(&self) -> &[Claim] {
        match self {
            Node::Member(n) => &n.claims,
            Node::Partner(n) => &n.claims,
            Node::Body(n) => &n.claims,
            Node::Meeting(n) => &n.claims,
            Node::Initiative(n) => &n.claims,
            Node::Person(n) => &n.claims,
            Node::Source(_) => &[],
        }
    }

    /// The record's figures (initiatives and meetings have them; other kinds none).
    pub fn figures(&self) -> &[Figure] {
        match self {
            Node::Initiative(n) => &n.figures,
            Node::Meeting(n) => &n.figures,
            _ => &[],
        }
    }

    /// The record's figures, for the kinds that have them (initiatives, meetings).
    pub fn figures_mut(&mut self) -> Option<&mut Vec<Figure>> {
        match self {
            Node::Initiative(n) => Some(&mut n.figures),
            Node::Meeting(n) => Some(&mut n.figures),
            _ => None,
        }
    }

    /// The meetings the record names by code, each with the path of the field naming it: a
    /// partner status's `decidedAt`.
    pub fn named_meetings(&self) -> Vec<(String, &str)> {
        match self {
            Node::Partner(p) => p
                .statuses
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let code = s.decided_at.as_deref()?;
                    Some((format!("statuses[{i}].decidedAt"), code))
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Every source code the record refers to, its figures', statuses' and claims' included.
    pub fn cited_sources(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.sources().iter().map(String::as_str).collect();
        out.extend(self.claims().iter().map(|c| c.source.as_str()));
        out.extend(self.figures().iter().map(|f| f.source.as_str()));
        if let Node::Partner(p) = self {
            for s in &p.statuses {
                out.extend(s.sources.iter().map(String::as_str));
            }
        }
        out
    }
}
