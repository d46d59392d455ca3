//! Turning a [`Document`] into store changes, each with the JSON path it came from, and
//! collecting every value that does not parse.

use super::document::*;
use crate::model::{
    Body, Claim, Date, DatePrecision, Edge, EdgeKind, EdgeProps, Figure, Initiative,
    InitiativeStage, IntRange, MEETING_NUMBERS, Meeting, Member, Node, NodeKind, NodeRef,
    PROJECT_COUNTS, Partner, PartnerStatus, Person, Source, Violation, YEARS, normalize_code,
};
use crate::store::{Change, EdgeId};
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// What a document asks of the store.
#[derive(Default)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// The JSON path of each change.
    pub paths: Vec<String>,
    /// Values that did not parse, and duplicates within the file.
    pub errors: Vec<Violation>,
    /// Every record the file declares, parsed or not.
    pub declared: Vec<NodeRef>,
    /// How many records the file declares, parsed or not.
    pub records: usize,
    /// Set for a streamed import, which cannot hold what every record and relationship of
    /// a large file was: nothing below is kept, and a record or relationship stated twice
    /// is found in the store instead, as a key written twice.
    streaming: bool,
    /// The path of each relationship the file states, to refuse one stated twice.
    edges: HashMap<EdgeId, String>,
    /// The path of each record declared.
    seen: HashMap<NodeRef, String>,
    /// Where each funding (funder, target) was stated.
    fundings: HashMap<(NodeRef, NodeRef), usize>,
    /// Where each chair of a body in a year was stated.
    chairs: HashMap<(NodeRef, u16), usize>,
}

impl Plan {
    /// A plan for a streamed import: see the field `streaming`.
    pub(super) fn streaming() -> Plan {
        Plan {
            streaming: true,
            ..Plan::default()
        }
    }

    fn push(&mut self, path: String, change: Change) {
        if let Change::PutEdge(edge) = &change
            && !self.streaming
        {
            if let Some(first) = self.edges.get(&EdgeId::of(edge)) {
                let message = format!(
                    "the {} link {} → {} is stated twice (first at {first})",
                    edge.kind.name(),
                    edge.from,
                    edge.to
                );
                self.error(path, message);
                return;
            }
            self.edges.insert(EdgeId::of(edge), path.clone());
        }
        self.paths.push(path);
        self.changes.push(change);
    }

    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Violation::new(path, message));
    }

    fn code(&mut self, path: &str, text: &str) -> Option<String> {
        normalize_code(text)
            .map_err(|e| self.error(path, e.to_string()))
            .ok()
    }

    fn codes(&mut self, path: &str, texts: &[String]) -> Vec<String> {
        texts
            .iter()
            .enumerate()
            .filter_map(|(i, t)| self.code(&format!("{path}[{i}]"), t))
            .collect()
    }

    fn node_ref(&mut self, path: &str, id: &str, kinds: &[NodeKind]) -> Option<NodeRef> {
        NodeRef::parse_of(id, kinds)
            .map_err(|e| self.error(path, e.to_string()))
            .ok()
    }

    fn date(&mut self, path: &str, text: &str) -> Option<Date> {
        text.parse()
            .map_err(|e: crate::model::DateError| self.error(path, e.to_string()))
            .ok()
    }

    /// `Ok(None)` for an absent date, `Err(())` for a bad one (already reported).
    fn opt_date(&mut self, path: &str, text: &Option<String>) -> Result<Option<Date>, ()> {
        match text {
            None => Ok(None),
            Some(t) => self.date(path, t).map(Some).ok_or(()),
        }
    }

    /// An integer as its field's type, `Err(())` (reported) if outside the field's range.
    fn int<T: TryFrom<i64>>(&mut self, path: &str, value: i64, range: IntRange) -> Result<T, ()> {
        range
            .check(value)
            .map_err(|e| self.error(path, e.to_string()))
    }

    /// An optional integer, as [`Plan::int`].
    fn opt_int<T: TryFrom<i64>>(
        &mut self,
        path: &str,
        value: Option<i64>,
        range: IntRange,
    ) -> Result<Option<T>, ()> {
        value.map(|v| self.int(path, v, range)).transpose()
    }

    fn enumeration<T: DeserializeOwned>(&mut self, path: &str, text: &str) -> Option<T> {
        serde_json::from_value(serde_json::Value::String(text.to_owned()))
            .map_err(|e| self.error(path, e.to_string().replace('`', "")))
            .ok()
    }

    fn claims(&mut self, path: &str, claims: &[Claim]) -> Vec<Claim> {
        claims
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let source = self
                    .code(&format!("{path}.claims[{i}].source"), &c.source)
                    .unwrap_or_default();
                Claim {
                    source,
                    ..c.clone()
                }
            })
            .collect()
    }

    /// The link `link` states from `from` to a record of `to_kind`.
    fn link(
        &mut self,
        path: String,
        kind: EdgeKind,
        from: &NodeRef,
        to_kind: NodeKind,
        link: &LinkDoc,
    ) {
        if let Some(code) = self.code(&format!("{path}.code"), &link.code) {
            let to = NodeRef::new(to_kind, code);
            self.edge(path, kind, from.clone(), to, link);
        }
    }

    /// The link `link` states into `to` from a record of `from_kind` (a person's role at a
    /// meeting, stated under the meeting).
    fn link_into(
        &mut self,
        path: String,
        kind: EdgeKind,
        from_kind: NodeKind,
        to: &NodeRef,
        link: &LinkDoc,
    ) {
        if let Some(code) = self.code(&format!("{path}.code"), &link.code) {
            let from = NodeRef::new(from_kind, code);
            self.edge(path, kind, from, to.clone(), link);
        }
    }

    /// The edge between `from` and `to` with `link`'s sources and note.
    fn edge(&mut self, path: String, kind: EdgeKind, from: NodeRef, to: NodeRef, link: &LinkDoc) {
        let sources = self.codes(&format!("{path}.sources"), &link.sources);
        let mut edge = Edge::new(kind, from, to, sources);
        edge.props.note = link.note.clone();
        self.push(path, Change::PutEdge(edge));
    }

    fn links(
        &mut self,
        path: &str,
        kind: EdgeKind,
        from: &NodeRef,
        to: NodeKind,
        links: &[LinkDoc],
    ) {
        for (i, l) in links.iter().enumerate() {
            self.link(format!("{path}[{i}]"), kind, from, to, l);
        }
    }

    /// A record's figures; `Err(())` (reported) if any does not parse.
    fn figures(&mut self, path: &str, docs: &[FigureDoc]) -> Result<Vec<Figure>, ()> {
        let mut figures = Vec::new();
        let mut ok = true;
        for (j, f) in docs.iter().enumerate() {
            let fp = format!("{path}.figures[{j}]");
            let as_of = self.opt_date(&format!("{fp}.asOf"), &f.as_of);
            let source = self.code(&format!("{fp}.source"), &f.source);
            let qualifier = match &f.qualifier {
                None => Ok(None),
                Some(t) => self
                    .enumeration(&format!("{fp}.qualifier"), t)
                    .map(Some)
                    .ok_or(()),
            };
            match (as_of, source, qualifier) {
                (Ok(as_of), Some(source), Ok(qualifier)) => figures.push(Figure {
                    label: f.label.clone(),
                    value: f.value,
                    qualifier,
                    unit: f.unit.clone(),
                    as_of,
                    source,
                    note: f.note.clone(),
                }),
                _ => ok = false,
            }
        }
        if ok { Ok(figures) } else { Err(()) }
    }

    fn node(&mut self, path: String, node: Option<Node>) {
        if let Some(node) = node {
            self.push(path, Change::PutNode(node));
        }
    }
}

/// Reads the whole document. Every record becomes a `PutNode`, every relationship a
/// `PutEdge`; what does not parse is in [`Plan::errors`].
pub fn plan(doc: Document) -> Plan {
    let mut p = Plan::default();
    p.format(&doc.format);
    for (i, s) in doc.sources.into_iter().enumerate() {
        p.source(i, s);
    }
    for (i, m) in doc.members.into_iter().enumerate() {
        p.member(i, m);
    }
    for (i, d) in doc.partners.into_iter().enumerate() {
        p.partner(i, d);
    }
    for (i, b) in doc.bodies.into_iter().enumerate() {
        p.body(i, b);
    }
    for (i, d) in doc.people.into_iter().enumerate() {
        p.person(i, d);
    }
    for (i, d) in doc.initiatives.into_iter().enumerate() {
        p.initiative(i, d);
    }
    for (i, d) in doc.meetings.into_iter().enumerate() {
        p.meeting(i, d);
    }
    for (i, f) in doc.fundings.into_iter().enumerate() {
        p.funding(i, f);
    }
    for (i, c) in doc.chairmanships.into_iter().enumerate() {
        p.chairmanship(i, c);
    }
    p
}

/// Each record of a document, planned on its own: [`plan`] calls these for a whole
/// document, and a streamed import as each record is read.
impl Plan {
    pub(super) fn format(&mut self, format: &str) {
        if format != FORMAT && format != FORMAT_1 {
            self.error(
                "format",
                format!("{format:?} is not {FORMAT:?} (or {FORMAT_1:?})"),
            );
        }
    }

    /// The record `kind` `code` declared at `path`, or `None` if its code does not parse or
    /// (unless streaming) was declared before.
    fn declare(&mut self, path: &str, kind: NodeKind, code: &str) -> Option<NodeRef> {
        let code = self.code(&format!("{path}.code"), code)?;
        let r = NodeRef::new(kind, code);
        self.records += 1;
        if self.streaming {
            return Some(r);
        }
        if let Some(first) = self.seen.get(&r) {
            self.error(
                format!("{path}.code"),
                format!(
                    "duplicate {} code {:?} (first at {first})",
                    kind.noun(),
                    r.code
                ),
            );
            return None;
        }
        self.seen.insert(r.clone(), path.to_owned());
        self.declared.push(r.clone());
        Some(r)
    }

    /// Where the funding of `target` by `funder` was first stated, if it was (never while
    /// streaming).
    fn remember_funding(
        &mut self,
        (funder, target): (NodeRef, NodeRef),
        i: usize,
    ) -> Option<usize> {
        if self.streaming {
            return None;
        }
        self.fundings.insert((funder, target), i)
    }

    /// Where the chair of `body` in `year` was first stated, if it was (never while
    /// streaming).
    fn remember_chair(&mut self, (body, year): (NodeRef, u16), i: usize) -> Option<usize> {
        if self.streaming {
            return None;
        }
        self.chairs.insert((body, year), i)
    }

    /// The record at `sources[i]`.
    pub(super) fn source(&mut self, i: usize, s: SourceDoc) {
        let path = format!("sources[{i}]");
        let Some(r) = self.declare(&path, NodeKind::Source, &s.code) else {
            return;
        };
        let published_on = self.opt_date(&format!("{path}.publishedOn"), &s.published_on);
        let as_of = self.opt_date(&format!("{path}.asOf"), &s.as_of);
        let node = published_on
            .ok()
            .zip(as_of.ok())
            .map(|(published_on, as_of)| {
                Node::Source(Source {
                    code: r.code.clone(),
                    title: s.title.clone(),
                    publisher: s.publisher.clone(),
                    author: s.author.clone(),
                    published_on,
                    published_time: s.published_time.clone(),
                    as_of,
                    language: s.language.clone(),
                    file: s.file.clone(),
                    url: s.url.clone(),
                    note: s.note.clone(),
                })
            });
        self.node(path, node);
    }

    /// The record at `members[i]`.
    pub(super) fn member(&mut self, i: usize, m: MemberDoc) {
        let path = format!("members[{i}]");
        let Some(r) = self.declare(&path, NodeKind::Member, &m.code) else {
            return;
        };
        let joined_on = self.opt_date(&format!("{path}.joinedOn"), &m.joined_on);
        let sources = self.codes(&format!("{path}.sources"), &m.sources);
        let claims = self.claims(&path, &m.claims);
        let node = joined_on.ok().map(|joined_on| {
            Node::Member(Member {
                code: r.code.clone(),
                name: m.name.clone(),
                name_vi: m.name_vi.clone(),
                joined_on,
                clmv: m.clmv,
                description: m.description.clone(),
                sources,
                claims,
            })
        });
        self.node(path, node);
    }

    /// The record at `partners[i]`.
    pub(super) fn partner(&mut self, i: usize, d: PartnerDoc) {
        let path = format!("partners[{i}]");
        let Some(r) = self.declare(&path, NodeKind::Partner, &d.code) else {
            return;
        };
        let mut statuses = Vec::new();
        let mut ok = true;
        for (j, s) in d.statuses.iter().enumerate() {
            let sp = format!("{path}.statuses[{j}]");
            let kind = self.enumeration(&format!("{sp}.kind"), &s.kind);
            let stage = self.enumeration(&format!("{sp}.stage"), &s.stage);
            let from = self.date(&format!("{sp}.from"), &s.from);
            let precision = self.enumeration(&format!("{sp}.fromPrecision"), &s.from_precision);
            let to = self.opt_date(&format!("{sp}.to"), &s.to);
            let decided_at = match &s.decided_at {
                None => Ok(None),
                Some(m) => self.code(&format!("{sp}.decidedAt"), m).map(Some).ok_or(()),
            };
            let sources = self.codes(&format!("{sp}.sources"), &s.sources);
            match (kind, stage, from, precision, to, decided_at) {
                (
                    Some(kind),
                    Some(stage),
                    Some(from),
                    Some(from_precision),
                    Ok(to),
                    Ok(decided_at),
                ) => statuses.push(PartnerStatus {
                    kind,
                    stage,
                    from,
                    from_precision,
                    to,
                    decided_at,
                    sources,
                    note: s.note.clone(),
                }),
                _ => ok = false,
            }
        }
        let relations_since = self.opt_date(&format!("{path}.relationsSince"), &d.relations_since);
        let relations_since_precision: Option<DatePrecision> = match &d.relations_since_precision {
            None => Some(DatePrecision::default()),
            Some(t) => self.enumeration(&format!("{path}.relationsSincePrecision"), t),
        };
        let (relations_since, relations_since_precision) =
            match (relations_since, relations_since_precision) {
                (Ok(since), Some(precision)) => (since, precision),
                _ => {
                    ok = false;
                    (None, DatePrecision::default())
                }
            };
        let sources = self.codes(&format!("{path}.sources"), &d.sources);
        let claims = self.claims(&path, &d.claims);
        let node = ok.then(|| {
            Node::Partner(Partner {
                code: r.code.clone(),
                name: d.name.clone(),
                name_vi: d.name_vi.clone(),
                description: d.description.clone(),
                relations_since,
                relations_since_precision,
                statuses,
                sources,
                claims,
            })
        });
        self.node(path, node);
    }

    /// The record at `bodies[i]`.
    pub(super) fn body(&mut self, i: usize, b: BodyDoc) {
        let path = format!("bodies[{i}]");
        let Some(r) = self.declare(&path, NodeKind::Body, &b.code) else {
            return;
        };
        let pillar = match &b.pillar {
            None => Ok(None),
            Some(t) => self
                .enumeration(&format!("{path}.pillar"), t)
                .map(Some)
                .ok_or(()),
        };
        let sources = self.codes(&format!("{path}.sources"), &b.sources);
        let claims = self.claims(&path, &b.claims);
        let node = pillar.ok().map(|pillar| {
            Node::Body(Body {
                code: r.code.clone(),
                name: b.name.clone(),
                name_vi: b.name_vi.clone(),
                pillar,
                description: b.description.clone(),
                sources,
                claims,
            })
        });
        self.node(path.clone(), node);
        if let Some(parent) = &b.parent {
            self.link(
                format!("{path}.parent"),
                EdgeKind::ReportsTo,
                &r,
                NodeKind::Body,
                parent,
            );
        }
    }

    /// The record at `people[i]`.
    pub(super) fn person(&mut self, i: usize, d: PersonDoc) {
        let path = format!("people[{i}]");
        let Some(r) = self.declare(&path, NodeKind::Person, &d.code) else {
            return;
        };
        let sources = self.codes(&format!("{path}.sources"), &d.sources);
        let claims = self.claims(&path, &d.claims);
        let node = Node::Person(Person {
            code: r.code.clone(),
            name: d.name.clone(),
            name_vi: d.name_vi.clone(),
            title: d.title.clone(),
            description: d.description.clone(),
            sources,
            claims,
        });
        self.node(path.clone(), Some(node));
        if let Some(m) = &d.represents {
            // A bare code is a member state's; a body is named by its global id.
            let path = format!("{path}.represents");
            if m.code.contains(':') {
                let kinds = EdgeKind::Represents.to_kinds();
                if let Some(to) = self.node_ref(&format!("{path}.code"), &m.code, kinds) {
                    self.edge(path, EdgeKind::Represents, r.clone(), to, m);
                }
            } else {
                self.link(path, EdgeKind::Represents, &r, NodeKind::Member, m);
            }
        }
    }

    /// The record at `initiatives[i]`.
    pub(super) fn initiative(&mut self, i: usize, d: InitiativeDoc) {
        let path = format!("initiatives[{i}]");
        let Some(r) = self.declare(&path, NodeKind::Initiative, &d.code) else {
            return;
        };
        let kind = self.enumeration(&format!("{path}.kind"), &d.kind);
        let start_year = self.opt_int(&format!("{path}.startYear"), d.start_year, YEARS);
        let end_year = self.opt_int(&format!("{path}.endYear"), d.end_year, YEARS);
        let end_date = self.opt_date(&format!("{path}.endDate"), &d.end_date);
        let end_date_precision: Option<DatePrecision> =
            self.enumeration(&format!("{path}.endDatePrecision"), &d.end_date_precision);
        let figures = self.figures(&path, &d.figures);
        let stage: Option<InitiativeStage> = match &d.stage {
            None => Some(InitiativeStage::default()),
            Some(t) => self.enumeration(&format!("{path}.stage"), t),
        };
        let ok = kind.is_some()
            && stage.is_some()
            && start_year.is_ok()
            && end_year.is_ok()
            && end_date.is_ok()
            && end_date_precision.is_some();
        let sources = self.codes(&format!("{path}.sources"), &d.sources);
        let claims = self.claims(&path, &d.claims);
        let node = match (ok, kind, figures) {
            (true, Some(kind), Ok(figures)) => Some(Node::Initiative(Initiative {
                code: r.code.clone(),
                name: d.name.clone(),
                name_vi: d.name_vi.clone(),
                aliases: d.aliases.clone(),
                kind,
                stage: stage.unwrap_or_default(),
                start_year: start_year.unwrap_or_default(),
                end_year: end_year.unwrap_or_default(),
                end_date: end_date.unwrap_or_default(),
                end_date_precision: end_date_precision.unwrap_or_default(),
                description: d.description.clone(),
                figures,
                sources,
                claims,
            })),
            _ => None,
        };
        self.node(path.clone(), node);
        if let Some(parent) = &d.parent {
            self.link(
                format!("{path}.parent"),
                EdgeKind::PartOf,
                &r,
                NodeKind::Initiative,
                parent,
            );
        }
        self.links(
            &format!("{path}.leadBodies"),
            EdgeKind::LedBy,
            &r,
            NodeKind::Body,
            &d.lead_bodies,
        );
    }

    /// The record at `meetings[i]`.
    pub(super) fn meeting(&mut self, i: usize, d: MeetingDoc) {
        let path = format!("meetings[{i}]");
        let Some(r) = self.declare(&path, NodeKind::Meeting, &d.code) else {
            return;
        };
        let start = self.date(&format!("{path}.startDate"), &d.start_date);
        let end = self.opt_date(&format!("{path}.endDate"), &d.end_date);
        let precision: Option<DatePrecision> =
            self.enumeration(&format!("{path}.datePrecision"), &d.date_precision);
        let format = match &d.format {
            None => Ok(None),
            Some(t) => self
                .enumeration(&format!("{path}.format"), t)
                .map(Some)
                .ok_or(()),
        };
        let number = self.opt_int(&format!("{path}.number"), d.number, MEETING_NUMBERS);
        let figures = self.figures(&path, &d.figures);
        let sources = self.codes(&format!("{path}.sources"), &d.sources);
        let claims = self.claims(&path, &d.claims);
        let node = match (start, end, precision, format, number, figures) {
            (
                Some(start_date),
                Ok(end_date),
                Some(date_precision),
                Ok(format),
                Ok(number),
                Ok(figures),
            ) => Some(Node::Meeting(Meeting {
                code: r.code.clone(),
                title: d.title.clone(),
                title_vi: d.title_vi.clone(),
                number,
                start_date,
                end_date,
                date_precision,
                format,
                location: d.location.clone(),
                description: d.description.clone(),
                figures,
                open_lists: d.open_lists.clone(),
                sources,
                claims,
            })),
            _ => None,
        };
        self.node(path.clone(), node);
        if let Some(body) = &d.body {
            self.link(
                format!("{path}.body"),
                EdgeKind::HeldBy,
                &r,
                NodeKind::Body,
                body,
            );
        }
        if let Some(chair) = &d.chair {
            self.link(
                format!("{path}.chair"),
                EdgeKind::ChairedBy,
                &r,
                NodeKind::Member,
                chair,
            );
        }
        let mut parties: HashMap<NodeRef, usize> = HashMap::new();
        // A person heads one delegation per meeting (the store keys it by person and meeting).
        let mut heads: HashMap<String, usize> = HashMap::new();
        for (j, part) in d.participants.iter().enumerate() {
            let pp = format!("{path}.participants[{j}]");
            let kinds = [NodeKind::Member, NodeKind::Partner, NodeKind::Body];
            let party = self.node_ref(&format!("{pp}.party"), &part.party, &kinds);
            let sources = self.codes(&format!("{pp}.sources"), &part.sources);
            let head = part
                .head_of_delegation
                .as_ref()
                .map(|h| self.code(&format!("{pp}.headOfDelegation"), h));
            let Some(party) = party else { continue };
            if let Some(first) = parties.insert(party.clone(), j) {
                self.error(
                    format!("{pp}.party"),
                    format!("{party} is listed twice (first at participants[{first}])"),
                );
                continue;
            }
            let mut edge = Edge::new(
                EdgeKind::Participant,
                r.clone(),
                party.clone(),
                sources.clone(),
            );
            edge.props.role = part.role.clone();
            edge.props.note = part.note.clone();
            self.push(pp.clone(), Change::PutEdge(edge));
            if let Some(Some(head)) = head {
                if let Some(first) = heads.insert(head.clone(), j) {
                    self.error(
                    format!("{pp}.headOfDelegation"),
                    format!(
                        "{head} already heads a delegation to this meeting (at participants[{first}])"
                    ),
                );
                    continue;
                }
                let delegation = Edge {
                    kind: EdgeKind::Delegation,
                    from: NodeRef::new(NodeKind::Person, head),
                    to: r.clone(),
                    year: None,
                    props: EdgeProps {
                        sources,
                        party: Some(party),
                        ..EdgeProps::default()
                    },
                };
                self.push(
                    format!("{pp}.headOfDelegation"),
                    Change::PutEdge(delegation),
                );
            }
        }
        self.links(
            &format!("{path}.initiatives"),
            EdgeKind::Discussed,
            &r,
            NodeKind::Initiative,
            &d.initiatives,
        );
        self.links(
            &format!("{path}.approved"),
            EdgeKind::Approved,
            &r,
            NodeKind::Initiative,
            &d.approved,
        );
        self.links(
            &format!("{path}.recommended"),
            EdgeKind::Recommended,
            &r,
            NodeKind::Initiative,
            &d.recommended,
        );
        for (field, kind, links) in [
            ("reportsTo", EdgeKind::ReportsToMeeting, &d.reports_to),
            ("prepares", EdgeKind::Prepares, &d.prepares),
            ("reportedAt", EdgeKind::ReportedAt, &d.reported_at),
        ] {
            self.links(
                &format!("{path}.{field}"),
                kind,
                &r,
                NodeKind::Meeting,
                links,
            );
        }
        // People's roles at the meeting are edges from the person to the meeting.
        let people = d
            .speakers
            .iter()
            .enumerate()
            .map(|(j, l)| (format!("{path}.speakers[{j}]"), EdgeKind::SpokeAt, l))
            .chain(
                d.presided_by
                    .iter()
                    .map(|l| (format!("{path}.presidedBy"), EdgeKind::Presided, l)),
            );
        for (lp, kind, l) in people.collect::<Vec<_>>() {
            self.link_into(lp, kind, NodeKind::Person, &r, l);
        }
    }

    /// The record at `fundings[i]`.
    pub(super) fn funding(&mut self, i: usize, f: FundingDoc) {
        let path = format!("fundings[{i}]");
        let funder = self.node_ref(
            &format!("{path}.funder"),
            &f.funder,
            &[NodeKind::Member, NodeKind::Partner],
        );
        let target = self.node_ref(
            &format!("{path}.target"),
            &f.target,
            &[NodeKind::Initiative, NodeKind::Meeting],
        );
        let approved_at = f
            .approved_at
            .as_ref()
            .map(|m| self.code(&format!("{path}.approvedAt"), m));
        let project_count = self.opt_int(
            &format!("{path}.projectCount"),
            f.project_count,
            PROJECT_COUNTS,
        );
        let sources = self.codes(&format!("{path}.sources"), &f.sources);
        let (Some(funder), Some(target), Ok(project_count)) = (funder, target, project_count)
        else {
            return;
        };
        if let Some(first) = self.remember_funding((funder.clone(), target.clone()), i) {
            self.error(
                path,
                format!("a second funding of {target} by {funder} (first at fundings[{first}])"),
            );
            return;
        }
        let edge = Edge {
            kind: EdgeKind::Funds,
            from: funder,
            to: target,
            year: None,
            props: EdgeProps {
                sources,
                amount_usd: f.amount_usd,
                project_count,
                approved_at: approved_at.flatten(),
                note: f.note.clone(),
                ..EdgeProps::default()
            },
        };
        self.push(path, Change::PutEdge(edge));
    }

    /// The record at `chairmanships[i]`.
    pub(super) fn chairmanship(&mut self, i: usize, c: ChairmanshipDoc) {
        let path = format!("chairmanships[{i}]");
        let body = match &c.body {
            None => Some(NodeRef::asean()),
            Some(b) => self
                .code(&format!("{path}.body"), b)
                .map(|b| NodeRef::new(NodeKind::Body, b)),
        };
        let member = self.code(&format!("{path}.member"), &c.member);
        let year = self.int(&format!("{path}.year"), c.year, YEARS);
        let sources = self.codes(&format!("{path}.sources"), &c.sources);
        let claims = self.claims(&path, &c.claims);
        let (Some(body), Some(member), Ok(year)) = (body, member, year) else {
            return;
        };
        if let Some(first) = self.remember_chair((body.clone(), year), i) {
            self.error(
                path,
                format!("a second chair of {body} in {year} (first at chairmanships[{first}])"),
            );
            return;
        }
        let mut edge = Edge::new(
            EdgeKind::Chairs,
            NodeRef::new(NodeKind::Member, member),
            body,
            sources,
        );
        edge.year = Some(year);
        edge.props.claims = claims;
        self.push(path, Change::PutEdge(edge));
    }
}
