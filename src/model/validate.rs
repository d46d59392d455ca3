//! The rules every record and edge obeys, as pure functions shared by import, writes and
//! `check`. Each returns every violation found, with a path relative to the record
//! (`statuses[1].to`), so callers can prefix where the record sits.

use super::date::DatePrecision;
use super::edge::{Edge, EdgeKind};
use super::id::normalize_code;
use super::ranges::{IntRange, MEETING_NUMBERS, PROJECT_COUNTS, YEARS};
use super::records::{Claim, Figure, Meeting, Node, PartnerStatus};
use super::source_url::check_source_url;
use std::collections::HashSet;
use std::fmt;

/// The longest name, title or other one-line text.
pub const MAX_TEXT: usize = 500;
/// The longest description or note.
pub const MAX_LONG_TEXT: usize = 4000;

/// One broken rule: where (`statuses[1].to`) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub path: String,
    pub message: String,
}

impl Violation {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Violation {
        Violation {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The same violation under a parent path (`meetings[3]` + `chair` → `meetings[3].chair`).
    pub fn under(mut self, parent: &str) -> Violation {
        self.path = join_path(parent, &self.path);
        self
    }
}

/// `a` + `b` as a JSON-ish path: `a.b`, or `a[0]` when `b` is an index.
pub fn join_path(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_owned(),
        (_, true) => a.to_owned(),
        _ if b.starts_with('[') => format!("{a}{b}"),
        _ => format!("{a}.{b}"),
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Collects violations while walking a record.
#[derive(Default)]
struct Report(Vec<Violation>);

impl Report {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Violation::new(path, message));
    }

    fn code(&mut self, path: &str, code: &str) {
        match normalize_code(code) {
            Ok(c) if c == code => {}
            Ok(c) => self.add(path, format!("code {code:?} must be upper-case ({c:?})")),
            Err(e) => self.add(path, e.to_string()),
        }
    }

    fn text(&mut self, path: &str, text: &str, max: usize) {
        if text.trim().is_empty() {
            self.add(path, "must not be empty");
        } else if text.chars().count() > max {
            self.add(path, format!("is longer than {max} characters"));
        } else if text.chars().any(|c| c.is_control() && c != '\n') {
            self.add(path, "contains a control character");
        }
    }

    fn opt_text(&mut self, path: &str, text: &Option<String>, max: usize) {
        if let Some(t) = text {
            self.text(path, t, max);
        }
    }

    fn sources(&mut self, path: &str, sources: &[String]) {
        if sources.is_empty() {
            self.add(path, "must cite at least one source");
        }
        let mut seen = HashSet::new();
        for (i, s) in sources.iter().enumerate() {
            self.code(&format!("{path}[{i}]"), s);
            if !seen.insert(s) {
                self.add(
                    format!("{path}[{i}]"),
                    format!("source {s:?} is cited twice"),
                );
            }
        }
    }

    /// An integer field's value, if any, must lie in its range.
    fn int(&mut self, path: &str, value: Option<impl Into<i64>>, range: IntRange) {
        if let Some(v) = value.map(Into::into)
            && !range.contains(v)
        {
            self.add(path, range.refuse(v).to_string());
        }
    }

    fn claims(&mut self, claims: &[Claim]) {
        for (i, c) in claims.iter().enumerate() {
            let p = format!("claims[{i}]");
            self.text(&format!("{p}.field"), &c.field, MAX_TEXT);
            self.text(&format!("{p}.value"), &c.value, MAX_LONG_TEXT);
            self.code(&format!("{p}.source"), &c.source);
            self.opt_text(&format!("{p}.note"), &c.note, MAX_LONG_TEXT);
        }
    }

    fn figures(&mut self, figures: &[Figure]) {
        for (i, f) in figures.iter().enumerate() {
            let p = format!("figures[{i}]");
            self.text(&format!("{p}.label"), &f.label, MAX_TEXT);
            if !f.value.is_finite() {
                self.add(format!("{p}.value"), "must be a finite number");
            }
            self.opt_text(&format!("{p}.unit"), &f.unit, MAX_TEXT);
            self.code(&format!("{p}.source"), &f.source);
            self.opt_text(&format!("{p}.note"), &f.note, MAX_LONG_TEXT);
            // One source's figure of one label and date is given once.
            let same =
                |g: &Figure| g.label == f.label && g.as_of == f.as_of && g.source == f.source;
            if let Some(first) = figures[..i].iter().position(same) {
                self.add(
                    format!("{p}.label"),
                    format!(
                        "{:?} from {} is already given (at figures[{first}])",
                        f.label, f.source
                    ),
                );
            }
        }
    }

    fn statuses(&mut self, statuses: &[PartnerStatus]) {
        for (i, s) in statuses.iter().enumerate() {
            let p = format!("statuses[{i}]");
            if let Some(to) = s.to
                && to < s.from
            {
                self.add(
                    format!("{p}.to"),
                    format!("{to} is before from ({})", s.from),
                );
            }
            if let Some(m) = &s.decided_at {
                self.code(&format!("{p}.decidedAt"), m);
            }
            self.sources(&format!("{p}.sources"), &s.sources);
            self.opt_text(&format!("{p}.note"), &s.note, MAX_LONG_TEXT);
        }
        // Statuses held do not overlap; an application may run beside one (a development
        // partner asking to become a dialogue partner).
        let mut order: Vec<(usize, &PartnerStatus)> = statuses
            .iter()
            .enumerate()
            .filter(|(_, s)| s.grants_kind())
            .collect();
        order.sort_by_key(|(_, s)| s.from);
        for pair in order.windows(2) {
            let ((_, a), (j, b)) = (pair[0], pair[1]);
            match a.to {
                Some(to) if to < b.from => {}
                _ => self.add(
                    format!("statuses[{j}].from"),
                    format!(
                        "{} overlaps the status from {} (give the earlier status a `to` before it)",
                        b.from, a.from
                    ),
                ),
            }
        }
    }
}

/// Whether `t` is a time of day as `HH:MM`, 00:00 to 23:59.
fn is_time_of_day(t: &str) -> bool {
    match t.as_bytes() {
        [h1, h2, b':', m1, m2] if [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()) => {
            (*h1 - b'0') * 10 + (*h2 - b'0') < 24 && *m1 < b'6'
        }
        _ => false,
    }
}

/// Checks a node record on its own (references to other records are checked by whoever
/// knows the whole graph).
pub fn validate_node(node: &Node) -> Vec<Violation> {
    let mut r = Report::default();
    r.code("code", node.code());
    let name_field = match node {
        Node::Meeting(_) | Node::Source(_) => "title",
        _ => "name",
    };
    r.text(name_field, node.label(), MAX_TEXT);
    if !matches!(node, Node::Source(_)) {
        r.sources("sources", node.sources());
        r.claims(node.claims());
    }
    match node {
        Node::Member(m) => {
            r.opt_text("nameVi", &m.name_vi, MAX_TEXT);
            r.opt_text("description", &m.description, MAX_LONG_TEXT);
        }
        Node::Partner(p) => {
            r.opt_text("nameVi", &p.name_vi, MAX_TEXT);
            r.opt_text("description", &p.description, MAX_LONG_TEXT);
            r.statuses(&p.statuses);
            match (p.relations_since, p.statuses.iter().map(|s| s.from).min()) {
                (Some(since), Some(first)) if since > first => r.add(
                    "relationsSince",
                    format!("{since} is after the first status's from ({first})"),
                ),
                (None, _) if p.relations_since_precision != DatePrecision::Day => {
                    r.add("relationsSincePrecision", "is given without relationsSince")
                }
                _ => {}
            }
        }
        Node::Body(b) => {
            r.opt_text("nameVi", &b.name_vi, MAX_TEXT);
            r.opt_text("description", &b.description, MAX_LONG_TEXT);
        }
        Node::Person(p) => {
            r.opt_text("nameVi", &p.name_vi, MAX_TEXT);
            r.opt_text("title", &p.title, MAX_TEXT);
            r.opt_text("description", &p.description, MAX_LONG_TEXT);
        }
        Node::Initiative(i) => {
            r.opt_text("nameVi", &i.name_vi, MAX_TEXT);
            for (n, a) in i.aliases.iter().enumerate() {
                r.text(&format!("aliases[{n}]"), a, MAX_TEXT);
            }
            r.opt_text("description", &i.description, MAX_LONG_TEXT);
            r.int("startYear", i.start_year, YEARS);
            r.int("endYear", i.end_year, YEARS);
            if let (Some(s), Some(end)) = (i.start_year, i.end_date)
                && end.year() < s
            {
                r.add("endDate", format!("{end} is before startYear ({s})"));
            }
            if let (Some(s), Some(e)) = (i.start_year, i.end_year)
                && e < s
            {
                r.add("endYear", format!("{e} is before startYear ({s})"));
            }
            r.figures(&i.figures);
        }
        Node::Meeting(m) => {
            r.opt_text("titleVi", &m.title_vi, MAX_TEXT);
            r.opt_text("location", &m.location, MAX_TEXT);
            r.int("number", m.number, MEETING_NUMBERS);
            r.opt_text("description", &m.description, MAX_LONG_TEXT);
            if let Some(end) = m.end_date
                && end < m.start_date
            {
                r.add(
                    "endDate",
                    format!("{end} is before startDate ({})", m.start_date),
                );
            }
            r.figures(&m.figures);
            for (i, list) in m.open_lists.iter().enumerate() {
                let path = format!("openLists[{i}]");
                if !Meeting::LISTS.contains(&list.as_str()) {
                    r.add(
                        path,
                        format!(
                            "{list:?} is not a list of a meeting (one of {})",
                            Meeting::LISTS.join(", ")
                        ),
                    );
                } else if m.open_lists[..i].contains(list) {
                    r.add(path, format!("{list:?} is named twice"));
                }
            }
        }
        Node::Source(s) => {
            r.opt_text("publisher", &s.publisher, MAX_TEXT);
            r.opt_text("author", &s.author, MAX_TEXT);
            r.opt_text("file", &s.file, MAX_TEXT);
            r.opt_text("note", &s.note, MAX_LONG_TEXT);
            match (&s.published_time, s.published_on) {
                (Some(t), _) if !is_time_of_day(t) => {
                    r.add(
                        "publishedTime",
                        format!("{t:?} is not a time of day (HH:MM)"),
                    );
                }
                (Some(_), None) => r.add("publishedTime", "is given without publishedOn"),
                _ => {}
            }
            if let Some(lang) = &s.language {
                let ok = !lang.is_empty()
                    && lang.len() <= 35
                    && lang.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if !ok {
                    r.add(
                        "language",
                        format!("{lang:?} is not a language tag (e.g. \"vi\")"),
                    );
                }
            }
            if let Some(Err(e)) = s.url.as_deref().map(check_source_url) {
                r.add("url", e);
            }
        }
    }
    r.0
}

/// Checks an edge on its own: end kinds, properties that fit its kind, sources.
pub fn validate_edge(edge: &Edge) -> Vec<Violation> {
    let mut r = Report::default();
    let kind = edge.kind;
    if !kind.from_kinds().contains(&edge.from.kind) {
        r.add(
            "",
            format!(
                "a {} edge cannot start at a {}",
                kind.name(),
                edge.from.kind.noun()
            ),
        );
    }
    if !kind.to_kinds().contains(&edge.to.kind) {
        r.add(
            "",
            format!(
                "a {} edge cannot end at a {}",
                kind.name(),
                edge.to.kind.noun()
            ),
        );
    }
    r.code("from", &edge.from.code);
    if !(kind == EdgeKind::Chairs && edge.to.is_asean()) {
        r.code("to", &edge.to.code);
    }
    if edge.from == edge.to {
        r.add("", format!("{} cannot refer to itself", edge.from));
    }
    match (kind, edge.year) {
        (EdgeKind::Chairs, None) => r.add("year", "a chairmanship needs a year"),
        (EdgeKind::Chairs, y) => r.int("year", y, YEARS),
        (_, Some(_)) => r.add("year", "only a chairmanship has a year"),
        _ => {}
    }
    let p = &edge.props;
    r.sources("sources", &p.sources);
    r.claims(&p.claims);
    r.opt_text("note", &p.note, MAX_LONG_TEXT);
    r.opt_text("role", &p.role, MAX_TEXT);
    if p.role.is_some() && kind != EdgeKind::Participant {
        r.add("role", "only a participant has a role");
    }
    match (kind, &p.party) {
        (EdgeKind::Delegation, None) => r.add("party", "a delegation needs the party it led"),
        (EdgeKind::Delegation, Some(_)) | (_, None) => {}
        (_, Some(_)) => r.add("party", "only a delegation has a party"),
    }
    if kind != EdgeKind::Funds
        && (p.amount_usd.is_some() || p.project_count.is_some() || p.approved_at.is_some())
    {
        r.add(
            "",
            "only a funding has an amount, a project count or an approving meeting",
        );
    }
    if let Some(a) = p.amount_usd
        && !(a.is_finite() && a >= 0.0)
    {
        r.add("amountUsd", format!("{a} is not a non-negative amount"));
    }
    r.int("projectCount", p.project_count, PROJECT_COUNTS);
    if let Some(m) = &p.approved_at {
        r.code("approvedAt", m);
    }
    r.0
}

/// Follows `parent` links from `start`; returns the loop (codes in order, `start` first and
/// last) if the chain comes back to a code it has already seen.
pub fn find_cycle(
    start: &str,
    mut parent: impl FnMut(&str) -> Option<String>,
) -> Option<Vec<String>> {
    let mut chain = vec![start.to_owned()];
    let mut seen: HashSet<String> = HashSet::from([start.to_owned()]);
    let mut current = start.to_owned();
    while let Some(next) = parent(&current) {
        chain.push(next.clone());
        if !seen.insert(next.clone()) {
            let at = chain.iter().position(|c| *c == next).unwrap_or(0);
            return Some(chain[at..].to_vec());
        }
        current = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, DatePrecision, Member, NodeKind, NodeRef, Partner, PartnerKind};

    fn member() -> Member {
        Member {
            code: "VNM".into(),
            name: "Viet Nam".into(),
            name_vi: Some("Việt Nam".into()),
            joined_on: Date::new(1995, 7, 28),
            clmv: true,
            description: None,
            sources: vec!["P2".into()],
            claims: vec![],
        }
    }

    #[test]
    fn a_good_member_passes_and_a_bad_one_names_each_fault() {
        assert!(validate_node(&Node::Member(member())).is_empty());
        let mut bad = member();
        bad.code = "vnm".into();
        bad.name = " ".into();
        bad.sources.clear();
        let paths: Vec<String> = validate_node(&Node::Member(bad))
            .into_iter()
            .map(|v| v.path)
            .collect();
        assert_eq!(paths, ["code", "name", "sources"]);
    }

    #[test]
    fn overlapping_statuses_are_refused() {
        let status = |from: Date, to: Option<Date>| PartnerStatus {
            stage: crate::model::StatusStage::Conferred,
            kind: PartnerKind::DialoguePartner,
            from,
            from_precision: DatePrecision::Day,
            to,
            decided_at: None,
            sources: vec!["P7".into()],
            note: None,
        };
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        let partner = Partner {
            code: "KOR".into(),
            name: "Republic of Korea".into(),
            name_vi: None,
            description: None,
            relations_since: None,
            relations_since_precision: DatePrecision::Day,
            statuses: vec![status(d(1989, 11, 1), None), status(d(1991, 7, 1), None)],
            sources: vec!["P7".into()],
            claims: vec![],
        };
        let v = validate_node(&Node::Partner(partner));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].path, "statuses[1].from");
    }

    #[test]
    fn funding_amounts_must_be_non_negative() {
        let mut e = Edge::new(
            EdgeKind::Funds,
            NodeRef::new(NodeKind::Partner, "JPN"),
            NodeRef::new(NodeKind::Initiative, "IAI-WP4"),
            vec!["S2".into()],
        );
        assert!(validate_edge(&e).is_empty());
        e.props.amount_usd = Some(-1.0);
        assert_eq!(validate_edge(&e)[0].path, "amountUsd");
    }

    #[test]
    fn cycles_are_found() {
        let parent = |c: &str| match c {
            "A" => Some("B".to_owned()),
            "B" => Some("C".to_owned()),
            "C" => Some("A".to_owned()),
            _ => None,
        };
        assert_eq!(find_cycle("A", parent).unwrap(), ["A", "B", "C", "A"]);
        assert!(find_cycle("D", parent).is_none());
    }
}
