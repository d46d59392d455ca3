//! Candidate sets: for a filter over the records of one kind, a superset of the records that
//! can pass it, read from the indexes instead of a scan of the whole kind. A list then reads
//! only those records ([`super::Listing::restrict`]) and still evaluates the whole filter on
//! each, so a candidate set only ever has to hold every record that passes, never only those.
//!
//! What the indexes answer:
//! - `code` `eq`/`in` (direct gets) and `startsWith` (the whole folded code is a search token);
//! - partner and initiative `kind`, body `pillar`, member `clmv` `eq`/`in` (the facets);
//! - meeting `startDate` and `year` `eq`/`in`/`lt`/`lte`/`gt`/`gte` (the date index);
//! - the indexed texts (`name`, `nameVi`, `title` …, as search reads them) `eq`/`in`/
//!   `startsWith`/`contains`, by a search token only where the text's folded words must
//!   hold it: a word of the operand with a separator (or, for `startsWith` and `eq`, the
//!   start) before it begins a word of the text, and is that whole word if a separator
//!   follows it; `contains: "iet"` gives none;
//! - `under` (the subtree, by `PartOf` edges), `sourcedBy` (the citation index);
//! - a to-one relation, or a to-many one under `some`, whose nested filter has candidates:
//!   the records at the near end of the edges reaching those (the funders of the fundings
//!   into the IAI's subtree);
//! - `and` intersects its parts' sets (those that have one); `or` unites them if every
//!   branch has one. `not`, `every`, `none` and the rest give none.
//!
//! Every index entry read is taken from the list's [`ReadBudget`].

use super::budget::ReadBudget;
use super::keys::Facet;
use super::trees::TreeId;
use super::{Counts, Item, Result, Store};
use crate::model::filter::{Cmp, Filter, Quantifier, Relation, Value};
use crate::model::search::fold;
use crate::model::{Date, EdgeKind, NodeKind, NodeRef};
use std::collections::BTreeSet;

/// Records, a superset of those that can pass a filter.
pub type Candidates = BTreeSet<NodeRef>;

/// How many records of each kind the store holds, and how many fundings: what a list with
/// no index to narrow it must read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sizes {
    pub counts: Counts,
    pub fundings: usize,
}

impl Store {
    /// The store's [`Sizes`], counted once per write: the records from the tally kept in
    /// `meta`, the fundings by a scan of their `edge/out` entries, made by the first call
    /// after a write (the others return what it counted).
    pub fn sizes(&self) -> Result<Sizes> {
        let generation = self.generation();
        let mut cached = self.sizes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, sizes)) = &*cached
            && *at == generation
        {
            return Ok(sizes.clone());
        }
        let mut fundings = 0;
        for kv in self
            .trees
            .scan_prefix(TreeId::Out, &[EdgeKind::Funds.tag()])
        {
            kv?;
            fundings += 1;
        }
        let sizes = Sizes {
            counts: self.counts(),
            fundings,
        };
        *cached = Some((generation, sizes.clone()));
        Ok(sizes)
    }
}

impl ReadBudget {
    /// A superset of the records of `kind` that can pass `filter`, from the indexes, of at
    /// most `cap` records; `None` when the indexes cannot narrow it that far (the list must
    /// be scanned). An index read that passes the cap stops there.
    pub fn candidates(
        &self,
        kind: NodeKind,
        filter: &Filter,
        cap: usize,
    ) -> Result<Option<Candidates>> {
        let found = Finder { budget: self, cap }.records(Some(kind), filter)?;
        Ok(found.filter(|set| set.len() <= cap))
    }
}

struct Finder<'a> {
    budget: &'a ReadBudget,
    /// The largest set worth having: past it, a set is given up (`None`).
    cap: usize,
}

/// A bound of a date range: the day, and whether it is included.
type Bound = Option<Date>;

/// One set more: the intersection with what `acc` holds so far.
fn intersect(acc: Option<Candidates>, set: Candidates) -> Candidates {
    match acc {
        None => set,
        Some(a) => a.intersection(&set).cloned().collect(),
    }
}

/// The kind an edge of `kind` leads to from its near end, if it is one kind.
fn far_kind(kind: EdgeKind, outgoing: bool) -> Option<NodeKind> {
    match if outgoing {
        kind.to_kinds()
    } else {
        kind.from_kinds()
    } {
        [one] => Some(*one),
        _ => None,
    }
}

/// Whether search indexes the text field `name` of records of `kind` (see
/// [`crate::model::Node::search_fields`]).
fn indexed_text(kind: NodeKind, name: &str) -> bool {
    matches!(
        (kind, name),
        (
            NodeKind::Member | NodeKind::Partner | NodeKind::Body | NodeKind::Initiative,
            "name" | "nameVi"
        ) | (NodeKind::Meeting, "title" | "titleVi")
            | (NodeKind::Person, "name" | "nameVi" | "title")
            | (NodeKind::Source, "title" | "publisher")
    )
}

/// The search token a text holding the folded `operand` must have, and whether exactly
/// (else as a prefix): the longest word of the operand known to begin a word of the text
/// (after a separator, or at the start if `anchored`), a whole word among equals. `None` if no
/// word of the operand is known to begin one.
fn token_of(operand: &str, anchored: bool) -> Option<(String, bool)> {
    let chars: Vec<char> = operand.chars().collect();
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if start > 0 || anchored {
            words.push((chars[start..i].iter().collect(), i < chars.len()));
        }
    }
    words
        .into_iter()
        .max_by_key(|(word, whole)| (word.len(), *whole))
}

/// The range of start dates a condition on a meeting's `startDate` or `year` bounds it
/// to, if it is a comparison with one bound (`gt`, `gte`, `lt`, `lte`).
fn date_bound(f: &Filter) -> Option<(Bound, Bound)> {
    let Filter::Field(name @ ("startDate" | "year"), cmp) = f else {
        return None;
    };
    let day = |v: &Value, last: bool| -> Option<Date> {
        match (*name, v) {
            ("startDate", Value::Date(d)) => Some(*d),
            ("year", Value::Int(y)) => {
                let y = u16::try_from(*y).ok()?;
                if last {
                    Date::new(y, 12, 31)
                } else {
                    Date::new(y, 1, 1)
                }
            }
            _ => None,
        }
    };
    match cmp {
        Cmp::Gt(v) | Cmp::Gte(v) => Some((Some(day(v, false)?), None)),
        Cmp::Lt(v) | Cmp::Lte(v) => Some((None, Some(day(v, true)?))),
        _ => None,
    }
}

/// The values an `eq` or `in` compares with; `None` for any other comparison.
fn equal_to(cmp: &Cmp) -> Option<&[Value]> {
    match cmp {
        Cmp::Eq(v) => Some(std::slice::from_ref(v)),
        Cmp::In(vs) => Some(vs),
        _ => None,
    }
}

/// The enum of an API enum value (`DIALOGUE_PARTNER`), by its serde name.
fn enum_of<T: serde::de::DeserializeOwned>(v: &Value) -> Option<T> {
    match v {
        Value::Enum(name) => serde_json::from_value(serde_json::Value::String(name.clone())).ok(),
        _ => None,
    }
}

impl Finder<'_> {
    fn store(&self) -> &Store {
        self.budget.store()
    }

    /// Takes the reads of `entries` index entries (and of the look-up) from the budget.
    fn spend(&self, entries: usize) -> Result<()> {
        self.budget
            .spend_n(u64::try_from(entries).unwrap_or(u64::MAX).saturating_add(1))
    }

    /// A superset of the records (of `kind`, if known) that pass `f`.
    fn records(&self, kind: Option<NodeKind>, f: &Filter) -> Result<Option<Candidates>> {
        Ok(match f {
            Filter::And(parts) => {
                // A part naming the record's one kind tells the others what they test.
                let kind = kind.or_else(|| {
                    parts.iter().find_map(|p| match p {
                        Filter::Kind(kinds) => match kinds.as_slice() {
                            [one] => Some(*one),
                            _ => None,
                        },
                        _ => None,
                    })
                });
                let mut acc = None;
                // Bounds on a meeting's start date, side by side, are one range of the index.
                let (ranged, rest): (Vec<&Filter>, Vec<&Filter>) = parts
                    .iter()
                    .partition(|p| kind == Some(NodeKind::Meeting) && date_bound(p).is_some());
                if ranged.len() > 1 {
                    let (mut from, mut to): (Bound, Bound) = (None, None);
                    for (lo, hi) in ranged.iter().filter_map(|p| date_bound(p)) {
                        from = from.max(lo);
                        to = match (to, hi) {
                            (Some(a), Some(b)) => Some(a.min(b)),
                            (a, b) => a.or(b),
                        };
                    }
                    acc = self.range(from, to)?;
                }
                let parts = if ranged.len() > 1 {
                    rest
                } else {
                    parts.iter().collect()
                };
                for p in parts {
                    if let Some(set) = self.records(kind, p)? {
                        let set = intersect(acc, set);
                        let empty = set.is_empty();
                        acc = Some(set);
                        if empty {
                            break;
                        }
                    }
                }
                acc
            }
            Filter::Or(branches) => {
                let mut all = Candidates::new();
                for b in branches {
                    match self.records(kind, b)? {
                        Some(set) => all.extend(set),
                        None => return Ok(None),
                    }
                }
                Some(all)
            }
            Filter::Field(name, cmp) => match kind {
                Some(kind) => self.field(kind, name, cmp)?,
                None => None,
            },
            Filter::Kind(kinds) => match kind {
                Some(k) if !kinds.contains(&k) => Some(Candidates::new()),
                _ => None,
            },
            Filter::One(relation, g) | Filter::Many(relation, Quantifier::Some, g) => {
                self.related(kind, *relation, g)?
            }
            Filter::Under(root) => match kind {
                Some(k) if k != NodeKind::Initiative => Some(Candidates::new()),
                _ => Some(self.below(root)?),
            },
            Filter::SourcedBy(codes) => {
                let mut out = Candidates::new();
                for code in codes {
                    let (nodes, _) = self.store().citations(code, self.budget.reads())?;
                    self.spend(nodes.len())?;
                    out.extend(
                        nodes
                            .into_iter()
                            .filter(|n| kind.is_none_or(|k| n.kind == k)),
                    );
                }
                Some(out)
            }
            Filter::All
            | Filter::Not(_)
            | Filter::Many(..)
            | Filter::Disputed(_)
            | Filter::Verified(_)
            | Filter::Sources(..) => None,
        })
    }

    /// A superset of the records (of `kind`) whose relation passes `g`: those at the near
    /// end of the edges reaching the candidates of `g`'s far end.
    fn related(
        &self,
        kind: Option<NodeKind>,
        relation: Relation,
        g: &Filter,
    ) -> Result<Option<Candidates>> {
        let (edge_kind, outgoing, far) = match relation {
            Relation::Edges {
                kind: edge_kind,
                outgoing,
            } => (edge_kind, outgoing, self.far_ends(edge_kind, outgoing, g)?),
            Relation::Ends {
                kind: edge_kind,
                outgoing,
            } => (
                edge_kind,
                outgoing,
                self.records(far_kind(edge_kind, outgoing), g)?,
            ),
            Relation::From | Relation::To | Relation::ApprovedAt | Relation::DecidedAt => {
                return Ok(None);
            }
        };
        let Some(far) = far else {
            return Ok(None);
        };
        let mut near = Candidates::new();
        for n in &far {
            let edges = if outgoing {
                self.store().edges_in(edge_kind, n)?
            } else {
                self.store().edges_out(edge_kind, n)?
            };
            self.spend(edges.len())?;
            near.extend(
                edges
                    .into_iter()
                    .map(|e| if outgoing { e.from } else { e.to })
                    .filter(|r| kind.is_none_or(|k| r.kind == k)),
            );
            if near.len() > self.cap {
                return Ok(None);
            }
        }
        Ok(Some(near))
    }

    /// A superset of the far ends (`to` if `outgoing`) of the edges of `edge_kind` that
    /// pass `g`.
    fn far_ends(
        &self,
        edge_kind: EdgeKind,
        outgoing: bool,
        g: &Filter,
    ) -> Result<Option<Candidates>> {
        Ok(match g {
            Filter::And(parts) => {
                let mut acc = None;
                for p in parts {
                    if let Some(set) = self.far_ends(edge_kind, outgoing, p)? {
                        acc = Some(intersect(acc, set));
                    }
                }
                acc
            }
            Filter::Or(branches) => {
                let mut all = Candidates::new();
                for b in branches {
                    match self.far_ends(edge_kind, outgoing, b)? {
                        Some(set) => all.extend(set),
                        None => return Ok(None),
                    }
                }
                Some(all)
            }
            Filter::One(Relation::To, h) if outgoing => {
                self.records(far_kind(edge_kind, true), h)?
            }
            Filter::One(Relation::From, h) if !outgoing => {
                self.records(far_kind(edge_kind, false), h)?
            }
            _ => None,
        })
    }

    /// The initiatives anywhere below `root`.
    fn below(&self, root: &str) -> Result<Candidates> {
        let mut out = Candidates::new();
        let mut todo = vec![NodeRef::new(NodeKind::Initiative, root)];
        while let Some(at) = todo.pop() {
            let children = self.store().edges_in(EdgeKind::PartOf, &at)?;
            self.spend(children.len())?;
            for e in children {
                if out.insert(e.from.clone()) {
                    todo.push(e.from);
                }
            }
        }
        Ok(out)
    }

    /// A superset of the records of `kind` whose field `name` passes `cmp`.
    fn field(&self, kind: NodeKind, name: &str, cmp: &Cmp) -> Result<Option<Candidates>> {
        Ok(match (kind, name) {
            (_, "code") => self.code(kind, cmp)?,
            (NodeKind::Partner, "kind") => {
                self.facets(kind, cmp, |v| enum_of(v).map(Facet::PartnerKind))?
            }
            (NodeKind::Initiative, "kind") => {
                self.facets(kind, cmp, |v| enum_of(v).map(Facet::InitiativeKind))?
            }
            (NodeKind::Body, "pillar") => {
                self.facets(kind, cmp, |v| enum_of(v).map(Facet::Pillar))?
            }
            (NodeKind::Member, "clmv") => self.facets(kind, cmp, |v| match v {
                Value::Bool(b) => Some(Facet::Clmv(*b)),
                _ => None,
            })?,
            (NodeKind::Meeting, "startDate") => self.dates(cmp, |v| match v {
                Value::Date(d) => Some((*d, *d)),
                _ => None,
            })?,
            (NodeKind::Meeting, "year") => self.dates(cmp, |v| {
                let Value::Int(y) = v else { return None };
                let y = u16::try_from(*y).ok()?;
                Some((Date::new(y, 1, 1)?, Date::new(y, 12, 31)?))
            })?,
            (kind, name) if indexed_text(kind, name) => self.text(kind, cmp)?,
            _ => None,
        })
    }

    /// Codes: `eq`/`in` by the code itself (codes are upper-case ASCII, so the one code
    /// equal to a folded operand is its upper case), `startsWith` by the whole-code token.
    fn code(&self, kind: NodeKind, cmp: &Cmp) -> Result<Option<Candidates>> {
        if let Cmp::StartsWith(s) = cmp {
            let prefix = fold(s);
            if prefix.is_empty() {
                return Ok(None);
            }
            return self.tokens(kind, &prefix, true);
        }
        Ok(equal_to(cmp).map(|values| {
            values
                .iter()
                .filter_map(|v| match v {
                    Value::Text(c) => Some(NodeRef::new(kind, fold(c).to_ascii_uppercase())),
                    _ => None,
                })
                .collect()
        }))
    }

    /// An enum or flag field with a facet index: the records of each value `eq`/`in` names
    /// (a value no record can hold names none).
    fn facets(
        &self,
        kind: NodeKind,
        cmp: &Cmp,
        facet: impl Fn(&Value) -> Option<Facet>,
    ) -> Result<Option<Candidates>> {
        let Some(values) = equal_to(cmp) else {
            return Ok(None);
        };
        let mut out = Candidates::new();
        for f in values.iter().filter_map(facet) {
            let mut entries = 0;
            for item in self.store().list_facet(kind, f).all() {
                if let (_, Item::Node(r)) = item? {
                    out.insert(r);
                }
                entries += 1;
                if out.len() > self.cap {
                    self.spend(entries)?;
                    return Ok(None);
                }
            }
            self.spend(entries)?;
        }
        Ok(Some(out))
    }

    /// Meetings by start date: `span` gives the first and last day a value covers.
    fn dates(
        &self,
        cmp: &Cmp,
        span: impl Fn(&Value) -> Option<(Date, Date)>,
    ) -> Result<Option<Candidates>> {
        let ranges: Vec<(Option<Date>, Option<Date>)> = match cmp {
            Cmp::Eq(_) | Cmp::In(_) => {
                let Some(values) = equal_to(cmp) else {
                    return Ok(None);
                };
                let mut ranges = Vec::new();
                for v in values {
                    match span(v) {
                        Some((from, to)) => ranges.push((Some(from), Some(to))),
                        // A value no date or year can equal names none; anything else
                        // (a year past u16, a float) is not understood here.
                        None if matches!(
                            v,
                            Value::Text(_) | Value::Enum(_) | Value::Bool(_) | Value::Null
                        ) => {}
                        None => return Ok(None),
                    }
                }
                ranges
            }
            Cmp::Gt(v) | Cmp::Gte(v) => match span(v) {
                Some((from, _)) => vec![(Some(from), None)],
                None => return Ok(None),
            },
            Cmp::Lt(v) | Cmp::Lte(v) => match span(v) {
                Some((_, to)) => vec![(None, Some(to))],
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        let mut out = Candidates::new();
        for (from, to) in ranges {
            match self.range(from, to)? {
                Some(set) if out.len() + set.len() <= self.cap => out.extend(set),
                _ => return Ok(None),
            }
        }
        Ok(Some(out))
    }

    /// The meetings starting within `[from, to]`; `None` past the cap.
    fn range(&self, from: Bound, to: Bound) -> Result<Option<Candidates>> {
        let mut out = Candidates::new();
        let mut entries = 0;
        for item in self.store().list_meetings_by_date(from, to).all() {
            if let (_, Item::Node(r)) = item? {
                out.insert(r);
            }
            entries += 1;
            // Spend as the range is read.
            if entries % 64 == 0 {
                self.spend(63)?;
            }
            if out.len() > self.cap {
                return Ok(None);
            }
        }
        self.spend(entries % 64)?;
        Ok(Some(out))
    }

    /// An indexed text: by the search token its folded words must hold (see [`token_of`]).
    fn text(&self, kind: NodeKind, cmp: &Cmp) -> Result<Option<Candidates>> {
        let operands: Vec<(&str, bool)> = match cmp {
            Cmp::StartsWith(s) => vec![(s.as_str(), true)],
            Cmp::Contains(s) => vec![(s.as_str(), false)],
            _ => match equal_to(cmp) {
                Some(values) => values
                    .iter()
                    .filter_map(|v| match v {
                        Value::Text(s) => Some((s.as_str(), true)),
                        _ => None,
                    })
                    .collect(),
                None => return Ok(None),
            },
        };
        let mut out = Candidates::new();
        for (operand, anchored) in operands {
            let Some((token, whole)) = token_of(&fold(operand), anchored) else {
                return Ok(None);
            };
            match self.tokens(kind, &token, !whole)? {
                Some(set) => out.extend(set),
                None => return Ok(None),
            }
        }
        Ok(Some(out))
    }

    /// Records of `kind` having the search token `token` (or one starting with it); `None`
    /// past the cap.
    fn tokens(&self, kind: NodeKind, token: &str, prefix: bool) -> Result<Option<Candidates>> {
        let refs = self.store().search_token(token, prefix)?;
        self.spend(refs.len())?;
        let set: Candidates = refs.into_iter().filter(|r| r.kind == kind).collect();
        Ok(Some(set).filter(|set| set.len() <= self.cap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_used_only_where_the_text_must_hold_it() {
        assert_eq!(token_of("viet", true), Some(("viet".into(), false)));
        assert_eq!(token_of("iet", false), None, "inside a word");
        assert_eq!(token_of("iet nam", false), Some(("nam".into(), false)));
        assert_eq!(token_of("iet nam x", false), Some(("nam".into(), true)));
        assert_eq!(token_of("viet nam", true), Some(("viet".into(), true)));
        assert_eq!(token_of("iai work", true), Some(("work".into(), false)));
        assert_eq!(token_of(" -", true), None);
        assert_eq!(token_of("", true), None);
    }
}
