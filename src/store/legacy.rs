//! The records as format 4 laid them out, which `upgrade` reads to write them again in this
//! format. bincode is positional: these are the same fields in the same order as the
//! records were then. Format 5 added `relationsSince` to partners, `decidedAt` to their
//! statuses, `stage` to initiatives, `openLists` to meetings and `publishedTime` to
//! sources; the other kinds kept their layout and only their version byte moves.

use super::codec::{self, DecodeError};
use crate::model::{
    self, Claim, Date, DatePrecision, Figure, InitiativeKind, MeetingFormat, Node, NodeKind,
    PartnerKind, SourceCode, StatusStage,
};
use serde::Deserialize;

/// The version byte of a record's value in format 4 (and 3).
pub const RECORD_VERSION: u8 = 1;

#[derive(Deserialize)]
struct PartnerStatus {
    kind: PartnerKind,
    stage: StatusStage,
    from: Date,
    from_precision: DatePrecision,
    to: Option<Date>,
    sources: Vec<SourceCode>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct Partner {
    code: String,
    name: String,
    name_vi: Option<String>,
    description: Option<String>,
    statuses: Vec<PartnerStatus>,
    sources: Vec<SourceCode>,
    claims: Vec<Claim>,
}

#[derive(Deserialize)]
struct Initiative {
    code: String,
    name: String,
    name_vi: Option<String>,
    aliases: Vec<String>,
    kind: InitiativeKind,
    start_year: Option<u16>,
    end_year: Option<u16>,
    end_date: Option<Date>,
    end_date_precision: DatePrecision,
    description: Option<String>,
    figures: Vec<Figure>,
    sources: Vec<SourceCode>,
    claims: Vec<Claim>,
}

#[derive(Deserialize)]
struct Source {
    code: String,
    title: String,
    publisher: Option<String>,
    author: Option<String>,
    published_on: Option<Date>,
    as_of: Option<Date>,
    language: Option<String>,
    file: Option<String>,
    url: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct Meeting {
    code: String,
    title: String,
    title_vi: Option<String>,
    number: Option<u32>,
    start_date: Date,
    end_date: Option<Date>,
    date_precision: DatePrecision,
    format: Option<MeetingFormat>,
    location: Option<String>,
    description: Option<String>,
    figures: Vec<Figure>,
    sources: Vec<SourceCode>,
    claims: Vec<Claim>,
}

impl From<PartnerStatus> for model::PartnerStatus {
    fn from(s: PartnerStatus) -> model::PartnerStatus {
        model::PartnerStatus {
            kind: s.kind,
            stage: s.stage,
            from: s.from,
            from_precision: s.from_precision,
            to: s.to,
            decided_at: None,
            sources: s.sources,
            note: s.note,
        }
    }
}

impl From<Partner> for model::Partner {
    fn from(p: Partner) -> model::Partner {
        model::Partner {
            code: p.code,
            name: p.name,
            name_vi: p.name_vi,
            description: p.description,
            relations_since: None,
            relations_since_precision: DatePrecision::default(),
            statuses: p.statuses.into_iter().map(Into::into).collect(),
            sources: p.sources,
            claims: p.claims,
        }
    }
}

impl From<Initiative> for model::Initiative {
    fn from(i: Initiative) -> model::Initiative {
        model::Initiative {
            code: i.code,
            name: i.name,
            name_vi: i.name_vi,
            aliases: i.aliases,
            kind: i.kind,
            stage: model::InitiativeStage::default(),
            start_year: i.start_year,
            end_year: i.end_year,
            end_date: i.end_date,
            end_date_precision: i.end_date_precision,
            description: i.description,
            figures: i.figures,
            sources: i.sources,
            claims: i.claims,
        }
    }
}

impl From<Source> for model::Source {
    fn from(s: Source) -> model::Source {
        model::Source {
            code: s.code,
            title: s.title,
            publisher: s.publisher,
            author: s.author,
            published_on: s.published_on,
            published_time: None,
            as_of: s.as_of,
            language: s.language,
            file: s.file,
            url: s.url,
            note: s.note,
        }
    }
}

impl From<Meeting> for model::Meeting {
    fn from(m: Meeting) -> model::Meeting {
        model::Meeting {
            code: m.code,
            title: m.title,
            title_vi: m.title_vi,
            number: m.number,
            start_date: m.start_date,
            end_date: m.end_date,
            date_precision: m.date_precision,
            format: m.format,
            location: m.location,
            description: m.description,
            figures: m.figures,
            open_lists: Vec::new(),
            sources: m.sources,
            claims: m.claims,
        }
    }
}

/// A record of `kind` as format 4 stored it.
pub fn decode_node(kind: NodeKind, bytes: &[u8]) -> Result<Node, DecodeError> {
    let v = RECORD_VERSION;
    Ok(match kind {
        NodeKind::Member => Node::Member(codec::decode_as(v, bytes)?),
        NodeKind::Partner => Node::Partner(codec::decode_as::<Partner>(v, bytes)?.into()),
        NodeKind::Body => Node::Body(codec::decode_as(v, bytes)?),
        NodeKind::Meeting => Node::Meeting(codec::decode_as::<Meeting>(v, bytes)?.into()),
        NodeKind::Initiative => Node::Initiative(codec::decode_as::<Initiative>(v, bytes)?.into()),
        NodeKind::Person => Node::Person(codec::decode_as(v, bytes)?),
        NodeKind::Source => Node::Source(codec::decode_as::<Source>(v, bytes)?.into()),
    })
}
