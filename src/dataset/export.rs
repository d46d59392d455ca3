//! The whole store as a [`Document`], in a deterministic order.

use super::document::*;
use crate::model::progress::{Progress, Quiet, Ticker, units};
use crate::model::{Claim, Edge, EdgeKind, Figure, InitiativeStage, Node, NodeKind, NodeRef};
use crate::store::{Result, Store};

fn link(edge: &Edge) -> LinkDoc {
    LinkDoc {
        code: edge.to.code.clone(),
        sources: edge.props.sources.clone(),
        note: edge.props.note.clone(),
    }
}

fn links(mut edges: Vec<Edge>) -> Vec<LinkDoc> {
    edges.sort_by(|a, b| a.to.code.cmp(&b.to.code));
    edges.iter().map(link).collect()
}

fn one(store: &Store, kind: EdgeKind, from: &NodeRef) -> Result<Option<LinkDoc>> {
    Ok(store.edge_out_one(kind, from)?.as_ref().map(link))
}

fn date(d: Option<crate::model::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// The text of an enum value as the document writes it.
fn name<T: serde::Serialize>(value: &T) -> String {
    crate::model::api_name(value)
}

fn claims(c: &[Claim]) -> Vec<Claim> {
    c.to_vec()
}

fn figures(figures: Vec<Figure>) -> Vec<FigureDoc> {
    figures
        .into_iter()
        .map(|f| FigureDoc {
            label: f.label,
            value: f.value,
            qualifier: f.qualifier.as_ref().map(name),
            unit: f.unit,
            as_of: date(f.as_of),
            source: f.source,
            note: f.note,
        })
        .collect()
}

/// Links from people to the meeting `r` (speakers, the person in the chair), by person.
fn people(store: &Store, kind: EdgeKind, r: &NodeRef) -> Result<Vec<LinkDoc>> {
    let mut edges = store.edges_in(kind, r)?;
    edges.sort_by(|a, b| a.from.code.cmp(&b.from.code));
    Ok(edges
        .into_iter()
        .map(|e| LinkDoc {
            code: e.from.code,
            sources: e.props.sources,
            note: e.props.note,
        })
        .collect())
}

/// Builds the document of everything the store holds.
pub fn document(store: &Store) -> Result<Document> {
    document_with(store, &Quiet)
}

/// [`document`], telling `progress` of each record read.
pub fn document_with(store: &Store, progress: &dyn Progress) -> Result<Document> {
    progress.phase("reading", units(store.counts().total_nodes()), "records");
    let mut ticker = Ticker::new(progress);
    let mut doc = Document {
        format: FORMAT.to_owned(),
        ..Document::default()
    };
    for kind in NodeKind::ALL {
        for node in store.nodes(kind) {
            let node = node?;
            ticker.tick();
            let r = node.node_ref();
            match node {
                Node::Source(s) => doc.sources.push(SourceDoc {
                    code: s.code,
                    title: s.title,
                    publisher: s.publisher,
                    author: s.author,
                    published_on: date(s.published_on),
                    published_time: s.published_time,
                    as_of: date(s.as_of),
                    language: s.language,
                    file: s.file,
                    url: s.url,
                    note: s.note,
                }),
                Node::Member(m) => doc.members.push(MemberDoc {
                    code: m.code,
                    name: m.name,
                    name_vi: m.name_vi,
                    joined_on: date(m.joined_on),
                    clmv: m.clmv,
                    description: m.description,
                    sources: m.sources,
                    claims: claims(&m.claims),
                }),
                Node::Partner(p) => {
                    let mut statuses = p.statuses;
                    statuses.sort_by_key(|s| s.from);
                    doc.partners.push(PartnerDoc {
                        code: p.code,
                        name: p.name,
                        name_vi: p.name_vi,
                        description: p.description,
                        relations_since: date(p.relations_since),
                        relations_since_precision: p
                            .relations_since
                            .map(|_| name(&p.relations_since_precision)),
                        statuses: statuses
                            .into_iter()
                            .map(|s| StatusDoc {
                                kind: name(&s.kind),
                                stage: name(&s.stage),
                                from: s.from.to_string(),
                                from_precision: name(&s.from_precision),
                                to: date(s.to),
                                decided_at: s.decided_at,
                                sources: s.sources,
                                note: s.note,
                            })
                            .collect(),
                        sources: p.sources,
                        claims: p.claims,
                    })
                }
                Node::Body(b) => doc.bodies.push(BodyDoc {
                    parent: one(store, EdgeKind::ReportsTo, &r)?,
                    code: b.code,
                    name: b.name,
                    name_vi: b.name_vi,
                    pillar: b.pillar.as_ref().map(name),
                    description: b.description,
                    sources: b.sources,
                    claims: b.claims,
                }),
                Node::Person(p) => doc.people.push(PersonDoc {
                    represents: store.edge_out_one(EdgeKind::Represents, &r)?.map(|e| {
                        // A member state by its code, a body by its global id.
                        let code = match e.to.kind {
                            NodeKind::Member => e.to.code.clone(),
                            _ => e.to.id(),
                        };
                        LinkDoc {
                            code,
                            sources: e.props.sources,
                            note: e.props.note,
                        }
                    }),
                    code: p.code,
                    name: p.name,
                    name_vi: p.name_vi,
                    title: p.title,
                    description: p.description,
                    sources: p.sources,
                    claims: p.claims,
                }),
                Node::Initiative(i) => doc.initiatives.push(InitiativeDoc {
                    parent: one(store, EdgeKind::PartOf, &r)?,
                    lead_bodies: links(store.edges_out(EdgeKind::LedBy, &r)?),
                    code: i.code,
                    name: i.name,
                    name_vi: i.name_vi,
                    aliases: i.aliases,
                    kind: name(&i.kind),
                    stage: (i.stage != InitiativeStage::Adopted).then(|| name(&i.stage)),
                    start_year: i.start_year.map(i64::from),
                    end_year: i.end_year.map(i64::from),
                    end_date: date(i.end_date),
                    end_date_precision: name(&i.end_date_precision),
                    description: i.description,
                    figures: figures(i.figures),
                    sources: i.sources,
                    claims: i.claims,
                }),
                Node::Meeting(m) => {
                    let heads = store.edges_in(EdgeKind::Delegation, &r)?;
                    let mut participants = store.edges_out(EdgeKind::Participant, &r)?;
                    participants.sort_by_key(|e| e.to.id());
                    doc.meetings.push(MeetingDoc {
                        body: one(store, EdgeKind::HeldBy, &r)?,
                        chair: one(store, EdgeKind::ChairedBy, &r)?,
                        presided_by: people(store, EdgeKind::Presided, &r)?.pop(),
                        speakers: people(store, EdgeKind::SpokeAt, &r)?,
                        recommended: links(store.edges_out(EdgeKind::Recommended, &r)?),
                        reports_to: links(store.edges_out(EdgeKind::ReportsToMeeting, &r)?),
                        prepares: links(store.edges_out(EdgeKind::Prepares, &r)?),
                        reported_at: links(store.edges_out(EdgeKind::ReportedAt, &r)?),
                        participants: participants
                            .into_iter()
                            .map(|e| ParticipantDoc {
                                head_of_delegation: heads
                                    .iter()
                                    .find(|h| h.props.party.as_ref() == Some(&e.to))
                                    .map(|h| h.from.code.clone()),
                                party: e.to.id(),
                                role: e.props.role,
                                sources: e.props.sources,
                                note: e.props.note,
                            })
                            .collect(),
                        initiatives: links(store.edges_out(EdgeKind::Discussed, &r)?),
                        approved: links(store.edges_out(EdgeKind::Approved, &r)?),
                        code: m.code,
                        title: m.title,
                        title_vi: m.title_vi,
                        number: m.number.map(i64::from),
                        start_date: m.start_date.to_string(),
                        end_date: date(m.end_date),
                        date_precision: name(&m.date_precision),
                        format: m.format.as_ref().map(name),
                        location: m.location,
                        description: m.description,
                        figures: figures(m.figures),
                        open_lists: m.open_lists,
                        sources: m.sources,
                        claims: m.claims,
                    })
                }
            }
        }
    }
    let mut fundings = store.edges_of_kind(EdgeKind::Funds)?;
    fundings.sort_by_key(|e| (e.from.id(), e.to.id()));
    doc.fundings = fundings
        .into_iter()
        .map(|e| FundingDoc {
            funder: e.from.id(),
            target: e.to.id(),
            amount_usd: e.props.amount_usd,
            project_count: e.props.project_count.map(i64::from),
            approved_at: e.props.approved_at,
            sources: e.props.sources,
            note: e.props.note,
        })
        .collect();
    let mut chairs = store.edges_of_kind(EdgeKind::Chairs)?;
    chairs.sort_by_key(|e| (e.to.code.clone(), e.year));
    doc.chairmanships = chairs
        .into_iter()
        .map(|e| ChairmanshipDoc {
            body: (!e.to.is_asean()).then(|| e.to.code.clone()),
            member: e.from.code,
            year: e.year.map_or(0, i64::from),
            sources: e.props.sources,
            claims: e.props.claims,
        })
        .collect();
    Ok(doc)
}

/// The document as pretty-printed JSON with a final newline.
pub fn to_json(doc: &Document) -> String {
    let mut text = serde_json::to_string_pretty(doc).unwrap_or_default();
    text.push('\n');
    text
}
