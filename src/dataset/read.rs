//! Turning a [`Document`] into store changes, each with the JSON path it came from, and
//! collecting every value that does not parse.

use super::document::*;
use crate::model::{
    Body, Claim, Date, DatePrecision, Edge, EdgeKind, EdgeProps, Figure, Initiative, IntRange,
    MEETING_NUMBERS, Meeting, Member, Node, NodeKind, NodeRef, PROJECT_COUNTS, Partner,
    PartnerStatus, Person, Source, Violation, YEARS, normalize_code,
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
    /// The path of each relationship the file states, to refuse one stated twice.
    edges: HashMap<EdgeId, String>,
}

impl Plan {
    fn push(&mut self, path: String, change: Change) {
        if let Change::PutEdge(edge) = &change {
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
    if doc.format != FORMAT && doc.format != FORMAT_1 {
        p.error(
            "format",
            format!("{:?} is not {FORMAT:?} (or {FORMAT_1:?})", doc.format),
        );
    }
    let mut seen: HashMap<NodeRef, String> = HashMap::new();
    let mut declare = |p: &mut Plan, path: &str, kind: NodeKind, code: &str| -> Option<NodeRef> {
        let code = p.code(&format!("{path}.code"), code)?;
        let r = NodeRef::new(kind, code);
        if let Some(first) = seen.get(&r) {
            p.error(
                format!("{path}.code"),
                format!(
                    "duplicate {} code {:?} (first at {first})",
                    kind.noun(),
                    r.code
                ),
            );
            return None;
        }
        seen.insert(r.clone(), path.to_owned());
        p.declared.push(r.clone());
        Some(r)
    };

    for (i, s) in doc.sources.into_iter().enumerate() {
        let path = format!("sources[{i}]");
        let Some(r) = declare(&mut p, &path, NodeKind::Source, &s.code) else {
            continue;
        };
        let published_on = p.opt_date(&format!("{path}.publishedOn"), &s.published_on);
        let as_of = p.opt_date(&format!("{path}.asOf"), &s.as_of);
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
                    as_of,
                    language: s.language.clone(),
                    file: s.file.clone(),
                    url: s.url.clone(),
                    note: s.note.clone(),
                })
            });
        p.node(path, node);
    }

    for (i, m) in doc.members.into_iter().enumerate() {
        let path = format!("members[{i}]");
        let Some(r) = declare(&mut p, &path, NodeKind::Member, &m.code) else {
            continue;
        };
        let joined_on = p.opt_date(&format!("{path}.joinedOn"), &m.joined_on);
        let sources = p.codes(&format!("{path}.sources"), &m.sources);
        let claims = p.claims(&path, &m.claims);
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
        p.node(path, node);
    }

    for (i, d) in doc.partners.into_iter().enumerate() {
        let path = format!("partners[{i}]");
        let Some(r) = declare(&mut p, &path, NodeKind::Partner, &d.code) else {
            continue;
        };
        let mut statuses = Vec::new();
        let mut ok = true;
        for (j, s) in d.statuses.iter().enumerate() {
            let sp = format!("{path}.statuses[{j}]");
            let kind = p.enumeration(&format!("{sp}.kind"), &s.kind);
            let stage = p.enumeration(&format!("{sp}.stage"), &s.stage);
            let from = p.date(&format!("{sp}.from"), &s.from);
            let precision = p.enumeration(&format!("{sp}.fromPrecision"), &s.from_precision);
            let to = p.opt_date(&format!("{sp}.to"), &s.to);
            let sources = p.codes(&format!("{sp}.sources"), &s.sources);
            match (kind, stage, from, precision, to) {
                (Some(kind), Some(stage), Some(from), Some(from_precision), Ok(to)) => statuses
                    .push(PartnerStatus {
                        kind,
                        stage,
                        from,
                        from_precision,
                        to,
                        sources,
                        note: s.note.clone(),
                    }),
                _ => ok = false,
            }
        }
        let sources = p.codes(&format!("{path}.sources"), &d.sources);
        let claims = p.claims(&path, &d.claims);
        let node = ok.then(|| {
            Node::Partner(Partner {
                code: r.code.clone(),
                name: d.name.clone(),
                name_vi: d.name_vi.clone(),
                description: d.description.clone(),
                statuses,
                sources,
                claims,
            })
        });
        p.node(path, node);
    }

    for (i, b) in doc.bodies.into_iter().enumerate() {
        let path = format!("bodies[{i}]");
        let Some(r) = declare(&mut p, &path, NodeKind::Body, &b.code) else {
            continue;
        };
        let pillar = match &b.pillar {
            None => Ok(None),
            Some(t) => p
                .enumeration(&format!("{path}.pillar"), t)
                .map(Some)
                .ok_or(()),
        };
        let sources = p.codes(&format!("{path}.sources"), &b.sources);
        let claims = p.claims(&path, &b.claims);
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
        p.node(path.clone(), node);
        if let Some(parent) = &b.parent {
            p.link(
                format!("{path}.parent"),
                EdgeKind::ReportsTo,
                &r,
                NodeKind::Body,
                parent,
            );
        }
    }

    for (i, d) in doc.people.into_iter().enumerate() {
        let path = format!("people[{i}]");
        let Some(r) = declare(&mut p, &path, NodeKind::Person, &d.code) else {
            continue;
        };
        let sources = p.codes(&format!("{path}.sources"), &d.sources);
        let claims = p.claims(&path, &d.claims);
        let node = Node::Person(Person {
            code: r.code.clone(),
            name: d.name.clone(),
            name_vi: d.name_vi.clone(),
            title: d.title.clone(),
            description: d.description.clone(),
            sources,
            claims,
        });
        p.node(path.clone(), Some(node));
        if let Some(m) = &d.represents {
            // A bare code is a member state's; a body is named by its global id.
            let path = format!("{path}.represents");
            if m.code.contains(':') {
                let kinds = EdgeKind::Represents.to_kinds();
                if let Some(to) = p.node_ref(&format!("{path}.code"), &m.code, kinds) {
                    p.edge(path, EdgeKind::Represents, r.clone(), to, m);
                }
            } else {
                p.link(path, EdgeKind::Represents, &r, NodeKind::Member, m);
            }
        }
    }

    for (i, d) in doc.initiatives.into_iter().enumerate() {
        let path = format!("initiatives[{i}]");
        let Some(r) = declare(&mut p, &path, NodeKind::Initiative, &d.code) else {
            continue;
        };
        let kind = p.enumeration(&format!("{path}.kind"), &d.kind);
        let start_year = p.opt_int(&format!("{path}.startYear"), d.start_year, YEARS);
        let end_year = p.opt_int(&format!("{path}.endYear"), d.end_year, YEARS);
        let end_date = p.opt_date(&format!("{path}.endDate"), &d.end_date);
        let end_date_precision: Option<DatePrecision> =
            p.enumeration(&format!("{path}.endDatePrecision"), &d.end_date_precision);
        let figures = p.figures(&path, &d.figures);
        let ok = kind.is_some()
            && start_year.is_ok()
            && end_year.is_ok()
            && end_date.is_ok()
            && end_date_precision.is_some();
        let sources = p.codes(&format!("{path}.sources"), &d.sources);
        let claims = p.claims(&path, &d.claims);
        let node = match (ok, kind, figures) {
            (true, Some(kind), Ok(figures)) => Some(Node::Initiative(Initiative {
                code: r.code.clone(),
                name: d.name.clone(),
                name_vi: d.name_vi.clone(),
                aliases: d.aliases.clone(),
                kind,
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
        p.node(path.clone(), node);
        if let Some(parent) = &d.parent {
            p.link(
                format!("{path}.parent"),
                EdgeKind::PartOf,
                &r,
                NodeKind::Initiative,
                parent,
            );
        }
        p.links(
            &format!("{path}.leadBodies"),
            EdgeKind::LedBy,
            &r,
            NodeKind::Body,
            &d.lead_bodies,
        );
    }

    for (i, d) in doc.meetings.into_iter().enumerate() {
        let path = format!("meetings[{i}]");
        let Some(r) = declare(&mut p, &path, NodeKind::Meeting, &d.code) else {
            continue;
        };
        let start = p.date(&format!("{path}.startDate"), &d.start_date);
        let end = p.opt_date(&format!("{path}.endDate"), &d.end_date);
        let precision: Option<DatePrecision> =
            p.enumeration(&format!("{path}.datePrecision"), &d.date_precision);
        let format = match &d.format {
            None => Ok(None),
            Some(t) => p
                .enumeration(&format!("{path}.format"), t)
                .map(Some)
                .ok_or(()),
        };
        let number = p.opt_int(&format!("{path}.number"), d.number, MEETING_NUMBERS);
        let figures = p.figures(&path, &d.figures);
        let sources = p.codes(&format!("{path}.sources"), &d.sources);
        let claims = p.claims(&path, &d.claims);
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
                sources,
                claims,
            })),
            _ => None,
        };
        p.node(path.clone(), node);
        if let Some(body) = &d.body {
            p.link(
                format!("{path}.body"),
                EdgeKind::HeldBy,
                &r,
                NodeKind::Body,
                body,
            );
        }
        if let Some(chair) = &d.chair {
            p.link(
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
            let party = p.node_ref(&format!("{pp}.party"), &part.party, &kinds);
            let sources = p.codes(&format!("{pp}.sources"), &part.sources);
            let head = part
                .head_of_delegation
                .as_ref()
                .map(|h| p.code(&format!("{pp}.headOfDelegation"), h));
            let Some(party) = party else { continue };
            if let Some(first) = parties.insert(party.clone(), j) {
                p.error(
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
            p.push(pp.clone(), Change::PutEdge(edge));
            if let Some(Some(head)) = head {
                if let Some(first) = heads.insert(head.clone(), j) {
                    p.error(
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
                p.push(
                    format!("{pp}.headOfDelegation"),
                    Change::PutEdge(delegation),
                );
            }
        }
        p.links(
            &format!("{path}.initiatives"),
            EdgeKind::Discussed,
            &r,
            NodeKind::Initiative,
            &d.initiatives,
        );
        p.links(
            &format!("{path}.approved"),
            EdgeKind::Approved,
            &r,
            NodeKind::Initiative,
            &d.approved,
        );
        p.links(
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
            p.links(
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
            p.link_into(lp, kind, NodeKind::Person, &r, l);
        }
    }

    let mut fundings: HashMap<(NodeRef, NodeRef), usize> = HashMap::new();
    for (i, f) in doc.fundings.into_iter().enumerate() {
        let path = format!("fundings[{i}]");
        let funder = p.node_ref(
            &format!("{path}.funder"),
            &f.funder,
            &[NodeKind::Member, NodeKind::Partner],
        );
        let target = p.node_ref(
            &format!("{path}.target"),
            &f.target,
            &[NodeKind::Initiative, NodeKind::Meeting],
        );
        let approved_at = f
            .approved_at
            .as_ref()
            .map(|m| p.code(&format!("{path}.approvedAt"), m));
        let project_count = p.opt_int(
            &format!("{path}.projectCount"),
            f.project_count,
            PROJECT_COUNTS,
        );
        let sources = p.codes(&format!("{path}.sources"), &f.sources);
        let (Some(funder), Some(target), Ok(project_count)) = (funder, target, project_count)
        else {
            continue;
        };
        if let Some(first) = fundings.insert((funder.clone(), target.clone()), i) {
            p.error(
                path,
                format!("a second funding of {target} by {funder} (first at fundings[{first}])"),
            );
            continue;
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
        p.push(path, Change::PutEdge(edge));
    }

    let mut chairs: HashMap<(NodeRef, u16), usize> = HashMap::new();
    for (i, c) in doc.chairmanships.into_iter().enumerate() {
        let path = format!("chairmanships[{i}]");
        let body = match &c.body {
            None => Some(NodeRef::asean()),
            Some(b) => p
                .code(&format!("{path}.body"), b)
                .map(|b| NodeRef::new(NodeKind::Body, b)),
        };
        let member = p.code(&format!("{path}.member"), &c.member);
        let year = p.int(&format!("{path}.year"), c.year, YEARS);
        let sources = p.codes(&format!("{path}.sources"), &c.sources);
        let claims = p.claims(&path, &c.claims);
        let (Some(body), Some(member), Ok(year)) = (body, member, year) else {
            continue;
        };
        if let Some(first) = chairs.insert((body.clone(), year), i) {
            p.error(
                path,
                format!("a second chair of {body} in {year} (first at chairmanships[{first}])"),
            );
            continue;
        }
        let mut edge = Edge::new(
            EdgeKind::Chairs,
            NodeRef::new(NodeKind::Member, member),
            body,
            sources,
        );
        edge.year = Some(year);
        edge.props.claims = claims;
        p.push(path, Change::PutEdge(edge));
    }
    p
}
