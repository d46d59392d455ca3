//! Filters over records and relationships: a plain tree that the API builds from its
//! `filter:` inputs, evaluated here over whatever holds the graph ([`Records`]), with no I/O
//! of its own. Fields are named as the API names them (`startDate`, `amountUsd`): the table
//! of each kind's fields is [`field`].

use super::date::Date;
use super::edge::{Edge, EdgeKind};
use super::id::{NodeKind, NodeRef};
use super::records::{Claim, Node};
use super::search::fold;

/// The code of the source that stands for general knowledge, unverified: a fact resting on
/// it alone is not verified.
pub const GENERAL_KNOWLEDGE: &str = "GK";

/// Whether a fact citing `sources` is verified: it rests on some source other than general
/// knowledge.
pub fn verified(sources: &[String]) -> bool {
    sources.iter().any(|s| s.as_str() != GENERAL_KNOWLEDGE)
}

/// The most steps `under` walks up an initiative's parents (the store has no cycles; this
/// bounds the walk whatever it holds).
const MAX_ANCESTORS: usize = 64;

/// What a filter reads the graph through.
pub trait Records {
    type Error;
    /// The record `r` names, if it exists.
    fn record(&self, r: &NodeRef) -> Result<Option<Node>, Self::Error>;
    /// The edges of `kind` leaving `node` (`outgoing`) or arriving at it.
    fn edges(
        &self,
        kind: EdgeKind,
        node: &NodeRef,
        outgoing: bool,
    ) -> Result<Vec<Edge>, Self::Error>;
    /// The initiative `r` is part of, if any.
    fn parent(&self, r: &NodeRef) -> Result<Option<NodeRef>, Self::Error> {
        Ok(self
            .edges(EdgeKind::PartOf, r, true)?
            .into_iter()
            .next()
            .map(|e| e.to))
    }
}

/// A field's value, as filters compare it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Date(Date),
    Bool(bool),
    /// An enum value by its API name (`DIALOGUE_PARTNER`).
    Enum(String),
}

impl Value {
    fn text(s: &str) -> Value {
        Value::Text(s.to_owned())
    }

    fn opt_text(s: Option<&String>) -> Value {
        s.map_or(Value::Null, |s| Value::text(s))
    }

    fn opt_date(d: Option<Date>) -> Value {
        d.map_or(Value::Null, Value::Date)
    }

    fn opt_int(n: Option<impl Into<i64>>) -> Value {
        n.map_or(Value::Null, |n| Value::Int(n.into()))
    }

    /// The order of two values of one field; `None` if they cannot be ordered (null, or of
    /// different types). Text is ordered as folded (case and diacritics aside).
    pub(super) fn order(&self, other: &Value) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Value::Text(a), Value::Text(b)) => Some(fold(a).cmp(&fold(b))),
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (Value::Float(a), Value::Float(b)) => a.partial_cmp(b),
            (Value::Int(a), Value::Float(b)) => int_as_float(*a).partial_cmp(b),
            (Value::Float(a), Value::Int(b)) => a.partial_cmp(&int_as_float(*b)),
            (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
            (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
            (Value::Enum(a), Value::Enum(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// Equality as filters mean it: text ignoring case and diacritics, numbers by value.
    fn same(&self, other: &Value) -> bool {
        self.order(other) == Some(std::cmp::Ordering::Equal)
    }
}

#[expect(
    clippy::cast_precision_loss,
    reason = "the whole numbers compared (years, counts) are far below 2^53"
)]
fn int_as_float(n: i64) -> f64 {
    n as f64
}

/// A comparison of one field.
#[derive(Clone, Debug, PartialEq)]
pub enum Cmp {
    Eq(Value),
    Ne(Value),
    In(Vec<Value>),
    NotIn(Vec<Value>),
    /// `true`: the field has no value; `false`: it has one.
    IsNull(bool),
    Lt(Value),
    Lte(Value),
    Gt(Value),
    Gte(Value),
    /// Text starting with this, folded (case and diacritics aside, as search does).
    StartsWith(String),
    /// Text containing this, folded.
    Contains(String),
}

impl Cmp {
    /// Whether `v` passes. A null passes only `isNull: true`, `ne` and `notIn`.
    pub fn passes(&self, v: &Value) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let null = *v == Value::Null;
        match self {
            Cmp::IsNull(want) => null == *want,
            Cmp::Eq(x) => v.same(x),
            Cmp::Ne(x) => !v.same(x),
            Cmp::In(xs) => xs.iter().any(|x| v.same(x)),
            Cmp::NotIn(xs) => !xs.iter().any(|x| v.same(x)),
            Cmp::Lt(x) => v.order(x) == Some(Less),
            Cmp::Lte(x) => matches!(v.order(x), Some(Less | Equal)),
            Cmp::Gt(x) => v.order(x) == Some(Greater),
            Cmp::Gte(x) => matches!(v.order(x), Some(Greater | Equal)),
            Cmp::StartsWith(s) => matches!(v, Value::Text(t) if fold(t).starts_with(&fold(s))),
            Cmp::Contains(s) => matches!(v, Value::Text(t) if fold(t).contains(&fold(s))),
        }
    }
}

/// How many of a to-many relation's items must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    /// At least one.
    Some,
    /// All of them (true of none).
    Every,
    /// Not one.
    None,
}

/// The way from what a filter tests to related records or relationships.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// From a record: the edges of `kind` leaving it (`outgoing`) or arriving at it; the
    /// nested filter tests each edge (a funding).
    Edges { kind: EdgeKind, outgoing: bool },
    /// From a record: the records at the other end of its edges of `kind`.
    Ends { kind: EdgeKind, outgoing: bool },
    /// From a relationship: the record it starts at.
    From,
    /// From a relationship: the record it ends at.
    To,
    /// From a funding: the meeting that approved it.
    ApprovedAt,
    /// From a partner: the meetings at which its statuses were decided (`decidedAt`).
    DecidedAt,
}

/// A filter.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// Everything passes (an empty filter).
    All,
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    /// A field, by its API name, compared.
    Field(&'static str, Cmp),
    /// A record of one of these kinds (a polymorphic end's `type`).
    Kind(Vec<NodeKind>),
    /// The one related record or relationship exists and passes.
    One(Relation, Box<Filter>),
    /// So many of the related records or relationships pass.
    Many(Relation, Quantifier, Box<Filter>),
    /// An initiative anywhere below the one with this code (not that one itself).
    Under(String),
    /// Cited by at least one of these sources.
    SourcedBy(Vec<String>),
    /// Has claims (sources disagree about it), or has none.
    Disputed(bool),
    /// Rests on some source other than general knowledge, or on general knowledge alone.
    Verified(bool),
    /// So many of its sources pass.
    Sources(Quantifier, Box<Filter>),
}

/// What a filter tests: a record, or a relationship.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    Node(&'a Node),
    Edge(&'a Edge),
}

impl Subject<'_> {
    pub(super) fn sources(&self) -> &[String] {
        match self {
            Subject::Edge(e) => &e.props.sources,
            Subject::Node(n) => n.sources(),
        }
    }

    fn claims(&self) -> &[Claim] {
        match self {
            Subject::Edge(e) => &e.props.claims,
            Subject::Node(n) => n.claims(),
        }
    }
}

/// The value of the field `name` of `subject`, as the API names it; `None` if the subject
/// has no such field (the API never builds such a filter).
pub fn field(subject: Subject<'_>, name: &str) -> Option<Value> {
    use Value as V;
    let code = |c: &str| Some(V::text(c));
    Some(match subject {
        Subject::Edge(e) => match name {
            "amountUsd" => e.props.amount_usd.map_or(V::Null, V::Float),
            "projectCount" => V::opt_int(e.props.project_count),
            "role" => V::opt_text(e.props.role.as_ref()),
            "year" => V::opt_int(e.year),
            _ => return None,
        },
        Subject::Node(Node::Member(m)) => match name {
            "code" => return code(&m.code),
            "name" => V::text(&m.name),
            "nameVi" => V::opt_text(m.name_vi.as_ref()),
            "joinedOn" => V::opt_date(m.joined_on),
            "clmv" => V::Bool(m.clmv),
            "description" => V::opt_text(m.description.as_ref()),
            _ => return None,
        },
        Subject::Node(Node::Partner(p)) => match name {
            "code" => return code(&p.code),
            "name" => V::text(&p.name),
            "nameVi" => V::opt_text(p.name_vi.as_ref()),
            "kind" => enum_value(p.kind()),
            "since" => V::opt_date(p.current_status().map(|s| s.from)),
            "relationsSince" => V::opt_date(p.relations_since),
            "description" => V::opt_text(p.description.as_ref()),
            _ => return None,
        },
        Subject::Node(Node::Body(b)) => match name {
            "code" => return code(&b.code),
            "name" => V::text(&b.name),
            "nameVi" => V::opt_text(b.name_vi.as_ref()),
            "pillar" => b.pillar.map_or(V::Null, enum_value),
            "description" => V::opt_text(b.description.as_ref()),
            _ => return None,
        },
        Subject::Node(Node::Meeting(m)) => match name {
            "code" => return code(&m.code),
            "title" => V::text(&m.title),
            "titleVi" => V::opt_text(m.title_vi.as_ref()),
            "number" => V::opt_int(m.number),
            "startDate" => V::Date(m.start_date),
            "endDate" => V::opt_date(m.end_date),
            "year" => V::Int(i64::from(m.start_date.year())),
            "format" => m.format.map_or(V::Null, enum_value),
            "location" => V::opt_text(m.location.as_ref()),
            "description" => V::opt_text(m.description.as_ref()),
            _ => return None,
        },
        Subject::Node(Node::Initiative(i)) => match name {
            "code" => return code(&i.code),
            "name" => V::text(&i.name),
            "nameVi" => V::opt_text(i.name_vi.as_ref()),
            "kind" => enum_value(i.kind),
            "stage" => enum_value(i.stage),
            "startYear" => V::opt_int(i.start_year),
            "endYear" => V::opt_int(i.end_year),
            "endDate" => V::opt_date(i.end_date),
            "description" => V::opt_text(i.description.as_ref()),
            _ => return None,
        },
        Subject::Node(Node::Person(p)) => match name {
            "code" => return code(&p.code),
            "name" => V::text(&p.name),
            "nameVi" => V::opt_text(p.name_vi.as_ref()),
            "title" => V::opt_text(p.title.as_ref()),
            "description" => V::opt_text(p.description.as_ref()),
            _ => return None,
        },
        Subject::Node(Node::Source(s)) => match name {
            "code" => return code(&s.code),
            "title" => V::text(&s.title),
            "publisher" => V::opt_text(s.publisher.as_ref()),
            "author" => V::opt_text(s.author.as_ref()),
            "publishedOn" => V::opt_date(s.published_on),
            "asOf" => V::opt_date(s.as_of),
            "language" => V::opt_text(s.language.as_ref()),
            "url" => V::opt_text(s.url.as_ref()),
            _ => return None,
        },
    })
}

/// An enum value by its API name, which is its serde name (both SCREAMING_SNAKE_CASE).
fn enum_value<T: serde::Serialize>(v: T) -> Value {
    match super::records::api_name(&v) {
        name if name.is_empty() => Value::Null,
        name => Value::Enum(name),
    }
}

/// What a relation leads to from one subject.
pub(super) enum Related {
    Nodes(Vec<Node>),
    Edges(Vec<Edge>),
}

impl Filter {
    /// Whether `subject` passes, reading related records through `graph`.
    pub fn passes<G: Records>(&self, graph: &G, subject: Subject<'_>) -> Result<bool, G::Error> {
        Ok(match self {
            Filter::All => true,
            Filter::And(all) => {
                for f in all {
                    if !f.passes(graph, subject)? {
                        return Ok(false);
                    }
                }
                true
            }
            Filter::Or(any) => {
                for f in any {
                    if f.passes(graph, subject)? {
                        return Ok(true);
                    }
                }
                false
            }
            Filter::Not(f) => !f.passes(graph, subject)?,
            Filter::Field(name, cmp) => field(subject, name).is_some_and(|v| cmp.passes(&v)),
            Filter::Kind(kinds) => match subject {
                Subject::Node(n) => kinds.contains(&n.node_ref().kind),
                Subject::Edge(_) => false,
            },
            Filter::One(relation, f) => match related(graph, subject, *relation)? {
                Related::Nodes(nodes) => match nodes.first() {
                    Some(n) => f.passes(graph, Subject::Node(n))?,
                    None => false,
                },
                Related::Edges(edges) => match edges.first() {
                    Some(e) => f.passes(graph, Subject::Edge(e))?,
                    None => false,
                },
            },
            Filter::Many(relation, quantifier, f) => match related(graph, subject, *relation)? {
                Related::Nodes(nodes) => quantified(*quantifier, nodes.iter(), |n| {
                    f.passes(graph, Subject::Node(n))
                })?,
                Related::Edges(edges) => quantified(*quantifier, edges.iter(), |e| {
                    f.passes(graph, Subject::Edge(e))
                })?,
            },
            Filter::Under(root) => match subject {
                Subject::Node(n @ Node::Initiative(_)) => is_under(graph, &n.node_ref(), root)?,
                _ => false,
            },
            Filter::SourcedBy(codes) => subject
                .sources()
                .iter()
                .any(|s| codes.iter().any(|c| c.eq_ignore_ascii_case(s))),
            Filter::Disputed(want) => subject.claims().is_empty() != *want,
            Filter::Verified(want) => verified(subject.sources()) == *want,
            Filter::Sources(quantifier, f) => {
                quantified(*quantifier, subject.sources().iter(), |code| {
                    let r = NodeRef::new(NodeKind::Source, code.as_str());
                    match graph.record(&r)? {
                        Some(source) => f.passes(graph, Subject::Node(&source)),
                        None => Ok(false),
                    }
                })?
            }
        })
    }

    /// How deeply its quantifiers (`some`, `every`, `none` over a to-many relation or the
    /// sources) nest: each multiplies the work per item by a relation's length.
    pub fn quantifier_depth(&self) -> usize {
        match self {
            Filter::And(fs) | Filter::Or(fs) => {
                fs.iter().map(Filter::quantifier_depth).max().unwrap_or(0)
            }
            Filter::Not(f) | Filter::One(_, f) => f.quantifier_depth(),
            Filter::Many(_, _, f) | Filter::Sources(_, f) => 1 + f.quantifier_depth(),
            _ => 0,
        }
    }

    /// How many conditions the filter holds: what the limits count.
    pub fn size(&self) -> usize {
        1 + match self {
            Filter::And(fs) | Filter::Or(fs) => fs.iter().map(Filter::size).sum(),
            Filter::Not(f) | Filter::One(_, f) | Filter::Many(_, _, f) | Filter::Sources(_, f) => {
                f.size()
            }
            _ => 0,
        }
    }
}

/// Whether so many of `items` pass `test`, testing no more of them than it takes to know.
fn quantified<T, E>(
    q: Quantifier,
    items: impl Iterator<Item = T>,
    mut test: impl FnMut(T) -> Result<bool, E>,
) -> Result<bool, E> {
    for item in items {
        let passes = test(item)?;
        match (q, passes) {
            (Quantifier::Some, true) => return Ok(true),
            (Quantifier::Every, false) | (Quantifier::None, true) => return Ok(false),
            _ => {}
        }
    }
    Ok(q != Quantifier::Some)
}

pub(super) fn related<G: Records>(
    graph: &G,
    subject: Subject<'_>,
    relation: Relation,
) -> Result<Related, G::Error> {
    let nodes = |refs: Vec<NodeRef>| -> Result<Related, G::Error> {
        let mut out = Vec::with_capacity(refs.len());
        for r in refs {
            if let Some(n) = graph.record(&r)? {
                out.push(n);
            }
        }
        Ok(Related::Nodes(out))
    };
    match (relation, subject) {
        (Relation::Edges { kind, outgoing }, Subject::Node(n)) => Ok(Related::Edges(graph.edges(
            kind,
            &n.node_ref(),
            outgoing,
        )?)),
        (Relation::Ends { kind, outgoing }, Subject::Node(n)) => {
            let edges = graph.edges(kind, &n.node_ref(), outgoing)?;
            nodes(
                edges
                    .into_iter()
                    .map(|e| if outgoing { e.to } else { e.from })
                    .filter(|r| !r.is_asean())
                    .collect(),
            )
        }
        (Relation::From, Subject::Edge(e)) => nodes(vec![e.from.clone()]),
        (Relation::To, Subject::Edge(e)) => nodes(vec![e.to.clone()]),
        (Relation::ApprovedAt, Subject::Edge(e)) => nodes(
            e.props
                .approved_at
                .iter()
                .map(|c| NodeRef::new(NodeKind::Meeting, c.as_str()))
                .collect(),
        ),
        (Relation::DecidedAt, Subject::Node(n)) => nodes(decided_at(n)),
        _ => Ok(Related::Nodes(Vec::new())),
    }
}

/// The meetings at which a partner's statuses were decided, each once, by code.
pub(super) fn decided_at(n: &Node) -> Vec<NodeRef> {
    let mut codes: Vec<&str> = n.named_meetings().into_iter().map(|(_, m)| m).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
        .into_iter()
        .map(|c| NodeRef::new(NodeKind::Meeting, c))
        .collect()
}

/// Whether the initiative `r` lies anywhere below the one coded `root`.
fn is_under<G: Records>(graph: &G, r: &NodeRef, root: &str) -> Result<bool, G::Error> {
    let mut at = r.clone();
    for _ in 0..MAX_ANCESTORS {
        let Some(parent) = graph.parent(&at)? else {
            return Ok(false);
        };
        if parent.code.eq_ignore_ascii_case(root) {
            return Ok(true);
        }
        at = parent;
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_fold_text_and_treat_null_as_no_value() {
        let viet = Value::text("Việt Nam");
        assert!(Cmp::StartsWith("viet".into()).passes(&viet));
        assert!(Cmp::Contains("NAM".into()).passes(&viet));
        assert!(Cmp::Eq(Value::text("viet nam")).passes(&viet));
        assert!(!Cmp::Eq(Value::text("viet")).passes(&viet));
        assert!(Cmp::IsNull(true).passes(&Value::Null));
        assert!(!Cmp::Lt(Value::Int(3)).passes(&Value::Null));
        assert!(Cmp::Ne(Value::Int(3)).passes(&Value::Null));
        assert!(Cmp::NotIn(vec![Value::Int(3)]).passes(&Value::Null));
        assert!(
            !Cmp::In(vec![]).passes(&Value::Int(3)),
            "an empty in matches nothing"
        );
        assert!(Cmp::Gte(Value::Int(2)).passes(&Value::Float(2.0)));
    }

    #[test]
    fn quantifiers_over_nothing_and_short_circuits() {
        let q = |q, items: &[bool]| {
            let mut tested = 0;
            let out = quantified(q, items.iter(), |b| {
                tested += 1;
                Ok::<_, ()>(*b)
            });
            (out.unwrap(), tested)
        };
        assert_eq!(q(Quantifier::Some, &[]), (false, 0));
        assert_eq!(q(Quantifier::Every, &[]), (true, 0));
        assert_eq!(q(Quantifier::None, &[]), (true, 0));
        assert_eq!(q(Quantifier::Some, &[false, true, false]), (true, 2));
        assert_eq!(q(Quantifier::Every, &[true, false, true]), (false, 2));
        assert_eq!(q(Quantifier::None, &[false, true, false]), (false, 2));
        assert_eq!(q(Quantifier::Every, &[true, true]), (true, 2));
    }

    #[test]
    fn size_counts_every_condition() {
        let f = Filter::And(vec![
            Filter::All,
            Filter::Not(Box::new(Filter::Disputed(true))),
        ]);
        assert_eq!(f.size(), 4);
    }
}
