//! Aggregates over a list's items: how many, and the sum, average, least and greatest of
//! each of their number and date fields ([`Summary`]); and the same per group of items that
//! share the values of some keys ([`Grouping`]), which a `having` condition ([`Having`])
//! keeps or drops and an ordering ([`GroupSort`]) sorts. Pure: related records are read
//! through [`Records`], as filters read them.

use super::filter::{Cmp, Records, Related, Relation, Subject, Value, field, related};
use super::id::{NodeKind, NodeRef};
use super::order::{encode, encode_record};
use std::collections::HashMap;
use std::sync::Arc;

/// The most steps a walk up an initiative's parents takes (the store has no cycles; this
/// bounds the walk whatever it holds).
const MAX_DEPTH: usize = 64;

/// The running statistics of one field over some items; nulls are left out.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// How many items had a value.
    n: usize,
    /// The sum of whole values, kept exact.
    int_sum: i128,
    /// The sum of fractional values.
    float_sum: f64,
    /// Whether any value was fractional (the sum is then a `Float`).
    fractional: bool,
    min: Option<Value>,
    max: Option<Value>,
}

impl Stats {
    fn add(&mut self, v: Value) {
        match &v {
            Value::Null => return,
            Value::Int(i) => self.int_sum += i128::from(*i),
            Value::Float(f) => {
                self.float_sum += f;
                self.fractional = true;
            }
            _ => {}
        }
        self.n += 1;
        if self
            .min
            .as_ref()
            .is_none_or(|m| v.order(m).is_some_and(|o| o.is_lt()))
        {
            self.min = Some(v.clone());
        }
        if self
            .max
            .as_ref()
            .is_none_or(|m| v.order(m).is_some_and(|o| o.is_gt()))
        {
            self.max = Some(v);
        }
    }

    /// The sum of the values: an `Int` if all were whole, a `Float` otherwise; null if there
    /// were none (or the field is not a number).
    pub fn sum(&self) -> Value {
        if self.n == 0 || !matches!(self.min, Some(Value::Int(_) | Value::Float(_))) {
            return Value::Null;
        }
        if self.fractional {
            Value::Float(self.float_sum + wide_as_float(self.int_sum))
        } else {
            i64::try_from(self.int_sum)
                .map_or(Value::Float(wide_as_float(self.int_sum)), Value::Int)
        }
    }

    /// The mean of the values; null if there were none (or the field is not a number).
    pub fn avg(&self) -> Value {
        match self.sum() {
            Value::Int(s) => Value::Float(wide_as_float(i128::from(s)) / count_as_float(self.n)),
            Value::Float(s) => Value::Float(s / count_as_float(self.n)),
            _ => Value::Null,
        }
    }

    pub fn min(&self) -> Value {
        self.min.clone().unwrap_or(Value::Null)
    }

    pub fn max(&self) -> Value {
        self.max.clone().unwrap_or(Value::Null)
    }
}

#[expect(
    clippy::cast_precision_loss,
    reason = "a sum or average as a Float is approximate by nature"
)]
fn wide_as_float(n: i128) -> f64 {
    n as f64
}

#[expect(
    clippy::cast_precision_loss,
    reason = "an item count is far below 2^53"
)]
fn count_as_float(n: usize) -> f64 {
    n as f64
}

/// What an aggregate computes over a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Sum,
    Avg,
    Min,
    Max,
}

/// How many items, and the statistics of the fields asked for.
#[derive(Clone, Debug)]
pub struct Summary {
    pub count: usize,
    fields: Vec<(&'static str, Stats)>,
}

impl Summary {
    /// An empty summary of the fields `fields` (API names, as [`field`] reads them).
    pub fn new(fields: &[&'static str]) -> Summary {
        Summary {
            count: 0,
            fields: fields.iter().map(|f| (*f, Stats::default())).collect(),
        }
    }

    /// Counts `subject` in.
    pub fn add(&mut self, subject: Subject<'_>) {
        self.count += 1;
        for (name, stats) in &mut self.fields {
            if let Some(v) = field(subject, name) {
                stats.add(v);
            }
        }
    }

    /// `function` of the field `name`; null if it is not one of this summary's.
    pub fn value(&self, function: Function, name: &str) -> Value {
        let Some((_, s)) = self.fields.iter().find(|(n, _)| *n == name) else {
            return Value::Null;
        };
        match function {
            Function::Sum => s.sum(),
            Function::Avg => s.avg(),
            Function::Min => s.min(),
            Function::Max => s.max(),
        }
    }

    /// How many items, as a value.
    pub fn count_value(&self) -> Value {
        Value::Int(i64::try_from(self.count).unwrap_or(i64::MAX))
    }
}

/// What a group key reads from an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOf {
    /// A scalar field of the item, by its API name.
    Field(&'static str),
    /// The year of a date field of the item.
    YearOf(&'static str),
    /// The records the relation leads to: the item is in the group of each (of none: the
    /// null group).
    Records(Relation),
    /// The kind of the record the relation leads to.
    KindOf(Relation),
    /// A scalar field of the records the relation leads to.
    FieldOf(Relation, &'static str),
    /// The sources that report the item: it is in the group of each.
    Sources,
    /// The initiative at `level` (0: the root of its tree) on the way from the root down to
    /// the initiative the relation leads to; null if that initiative lies above the level.
    Ancestor(Relation, usize),
}

/// The records at the ends of a relationship that the relationship itself names (its
/// `from`, its `to`, the meeting that approved it), without reading them; `None` for a
/// relation that must be read.
fn named_ends(subject: Subject<'_>, relation: Relation) -> Option<Vec<NodeRef>> {
    let Subject::Edge(e) = subject else {
        return None;
    };
    match relation {
        Relation::From => Some(vec![e.from.clone()]),
        Relation::To => Some(vec![e.to.clone()]),
        Relation::ApprovedAt => Some(
            e.props
                .approved_at
                .iter()
                .map(|c| NodeRef::new(NodeKind::Meeting, c.as_str()))
                .collect(),
        ),
        Relation::Edges { .. } | Relation::Ends { .. } => None,
    }
}

/// One value of a group key.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyValue {
    Value(Value),
    Record(NodeRef),
    Kind(NodeKind),
}

impl KeyValue {
    const NULL: KeyValue = KeyValue::Value(Value::Null);

    /// Appends the key's order-preserving encoding (records by type then code).
    fn encode(&self, descending: bool, out: &mut Vec<u8>) {
        match self {
            KeyValue::Value(v) => encode(v, descending, out),
            KeyValue::Record(r) => encode_record(r.kind.type_name(), &r.code, descending, out),
            KeyValue::Kind(k) => encode_record(k.type_name(), "", descending, out),
        }
    }
}

/// A group: its key values (one per key), its summary, and which items it holds (by their
/// position in the list).
#[derive(Clone, Debug)]
pub struct Group {
    pub key: Vec<KeyValue>,
    pub summary: Summary,
    pub items: Vec<usize>,
    /// The encoding of `key`: the groups' own order.
    encoded: Vec<u8>,
}

/// Puts items into groups by the values of `keys`, summarising each group's `fields`.
pub struct Grouping {
    keys: Vec<KeyOf>,
    fields: Vec<&'static str>,
    groups: HashMap<Vec<u8>, Group>,
    /// The way down from its root to each initiative met so far.
    paths: HashMap<NodeRef, Arc<Vec<NodeRef>>>,
    /// Fields of related records already read, by record and field.
    fields_of: HashMap<(NodeRef, &'static str), KeyValue>,
}

impl Grouping {
    pub fn new(keys: Vec<KeyOf>, fields: &[&'static str]) -> Grouping {
        Grouping {
            keys,
            fields: fields.to_vec(),
            groups: HashMap::new(),
            paths: HashMap::new(),
            fields_of: HashMap::new(),
        }
    }

    /// Puts `subject`, the list's item at `index`, into its groups (one per combination of
    /// its key values), reading related records through `graph`.
    pub fn add<G: Records>(
        &mut self,
        graph: &G,
        index: usize,
        subject: Subject<'_>,
    ) -> Result<(), G::Error> {
        let mut combos: Vec<Vec<KeyValue>> = vec![Vec::with_capacity(self.keys.len())];
        for k in 0..self.keys.len() {
            let mut values = self.values(graph, subject, self.keys[k])?;
            if values.len() == 1 {
                // One value (the usual case): every combination takes it, no copies.
                let v = values.pop().unwrap_or(KeyValue::NULL);
                let last = combos.len() - 1;
                for c in &mut combos[..last] {
                    c.push(v.clone());
                }
                combos[last].push(v);
                continue;
            }
            if values.is_empty() {
                values.push(KeyValue::NULL);
            }
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    values.iter().map(move |v| {
                        let mut c = c.clone();
                        c.push(v.clone());
                        c
                    })
                })
                .collect();
        }
        for key in combos {
            let mut encoded = Vec::new();
            for v in &key {
                v.encode(false, &mut encoded);
            }
            let group = match self.groups.get_mut(&encoded) {
                Some(group) => group,
                None => self.groups.entry(encoded.clone()).or_insert(Group {
                    key,
                    summary: Summary::new(&self.fields),
                    items: Vec::new(),
                    encoded,
                }),
            };
            group.summary.add(subject);
            group.items.push(index);
        }
        Ok(())
    }

    fn values<G: Records>(
        &mut self,
        graph: &G,
        subject: Subject<'_>,
        key: KeyOf,
    ) -> Result<Vec<KeyValue>, G::Error> {
        let ends = |relation| -> Result<Vec<NodeRef>, G::Error> {
            if let Some(refs) = named_ends(subject, relation) {
                return Ok(refs);
            }
            Ok(match related(graph, subject, relation)? {
                Related::Nodes(nodes) => nodes.iter().map(|n| n.node_ref()).collect(),
                Related::Edges(_) => Vec::new(),
            })
        };
        Ok(match key {
            KeyOf::Field(name) => {
                vec![KeyValue::Value(field(subject, name).unwrap_or(Value::Null))]
            }
            KeyOf::YearOf(name) => vec![KeyValue::Value(match field(subject, name) {
                Some(Value::Date(d)) => Value::Int(i64::from(d.year())),
                _ => Value::Null,
            })],
            KeyOf::Records(relation) => ends(relation)?.into_iter().map(KeyValue::Record).collect(),
            KeyOf::FieldOf(relation, name) => {
                let mut out = Vec::new();
                for r in ends(relation)? {
                    out.push(self.field_of(graph, r, name)?);
                }
                out
            }
            KeyOf::Sources => subject
                .sources()
                .iter()
                .map(|c| KeyValue::Record(NodeRef::new(NodeKind::Source, c.as_str())))
                .collect(),
            KeyOf::KindOf(relation) => ends(relation)?
                .into_iter()
                .map(|r| KeyValue::Kind(r.kind))
                .collect(),
            KeyOf::Ancestor(relation, level) => {
                let mut out = Vec::new();
                for r in ends(relation)? {
                    out.push(self.ancestor(graph, r, level)?);
                }
                out
            }
        })
    }

    /// The field `name` of the record `r`, remembered.
    fn field_of<G: Records>(
        &mut self,
        graph: &G,
        r: NodeRef,
        name: &'static str,
    ) -> Result<KeyValue, G::Error> {
        let cache = (r, name);
        if let Some(v) = self.fields_of.get(&cache) {
            return Ok(v.clone());
        }
        let v = graph
            .record(&cache.0)?
            .and_then(|n| field(Subject::Node(&n), name))
            .unwrap_or(Value::Null);
        let v = KeyValue::Value(v);
        self.fields_of.insert(cache, v.clone());
        Ok(v)
    }

    /// The initiative at `level` above `r` (or `r` itself).
    fn ancestor<G: Records>(
        &mut self,
        graph: &G,
        r: NodeRef,
        level: usize,
    ) -> Result<KeyValue, G::Error> {
        if r.kind != NodeKind::Initiative {
            return Ok(KeyValue::NULL);
        }
        let path = self.path(graph, r)?;
        Ok(path
            .get(level)
            .map_or(KeyValue::NULL, |r| KeyValue::Record(r.clone())))
    }

    /// The way from the root of `r`'s tree down to `r`, remembered for every initiative on
    /// it: items share targets, and targets share parents, so each is walked once.
    fn path<G: Records>(&mut self, graph: &G, r: NodeRef) -> Result<Arc<Vec<NodeRef>>, G::Error> {
        // Up from `r` to the first initiative whose path is known (or the root)…
        let mut up = vec![r];
        let mut known = None;
        while let Some(at) = up.last() {
            if let Some(p) = self.paths.get(at) {
                known = Some(Arc::clone(p));
                up.pop();
                break;
            }
            if up.len() > MAX_DEPTH {
                break;
            }
            match graph.parent(at)? {
                Some(parent) => up.push(parent),
                None => break,
            }
        }
        // …then down again, remembering each.
        let mut path = known.unwrap_or_default();
        while let Some(at) = up.pop() {
            let mut longer = Vec::with_capacity(path.len() + 1);
            longer.extend(path.iter().cloned());
            longer.push(at.clone());
            path = Arc::new(longer);
            self.paths.insert(at, Arc::clone(&path));
        }
        Ok(path)
    }

    /// The first `first` groups that pass `having`, in the order `sort` gives (the keys' own
    /// order last).
    pub fn finish(self, having: &Having, sort: &[(GroupSort, bool)], first: usize) -> Vec<Group> {
        let mut groups: Vec<(Vec<u8>, Group)> = self
            .groups
            .into_values()
            .filter(|g| having.passes(&g.summary))
            .map(|g| {
                let mut order = Vec::new();
                for (s, descending) in sort {
                    match s {
                        GroupSort::Key => {
                            for v in &g.key {
                                v.encode(*descending, &mut order);
                            }
                        }
                        GroupSort::Count => {
                            encode(&g.summary.count_value(), *descending, &mut order)
                        }
                        GroupSort::Of(f, name) => {
                            encode(&g.summary.value(*f, name), *descending, &mut order);
                        }
                    }
                }
                (order, g)
            })
            .collect();
        let by = |a: &(Vec<u8>, Group), b: &(Vec<u8>, Group)| {
            a.0.cmp(&b.0).then_with(|| a.1.encoded.cmp(&b.1.encoded))
        };
        // Only the first `first` are sorted: the rest are only set apart.
        if first < groups.len() {
            groups.select_nth_unstable_by(first, by);
            groups.truncate(first);
        }
        groups.sort_unstable_by(by);
        groups.into_iter().map(|(_, g)| g).collect()
    }
}

/// What groups are ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupSort {
    /// The key values, in the order of the keys.
    Key,
    /// How many items the group holds.
    Count,
    /// A function of one field.
    Of(Function, &'static str),
}

/// A condition on a group's aggregates.
#[derive(Clone, Debug, PartialEq)]
pub enum Having {
    All(Vec<Having>),
    Any(Vec<Having>),
    Not(Box<Having>),
    /// The group's item count compared.
    Count(Cmp),
    /// A function of one field compared.
    Of(Function, &'static str, Cmp),
}

impl Having {
    pub fn passes(&self, s: &Summary) -> bool {
        match self {
            Having::All(all) => all.iter().all(|h| h.passes(s)),
            Having::Any(any) => any.iter().any(|h| h.passes(s)),
            Having::Not(h) => !h.passes(s),
            Having::Count(cmp) => cmp.passes(&s.count_value()),
            Having::Of(f, name, cmp) => cmp.passes(&s.value(*f, name)),
        }
    }

    /// How many conditions it holds: what the limits count.
    pub fn size(&self) -> usize {
        1 + match self {
            Having::All(hs) | Having::Any(hs) => hs.iter().map(Having::size).sum(),
            Having::Not(h) => h.size(),
            _ => 0,
        }
    }
}

/// The number of distinct non-null values among `values` (text folded, as filters compare).
pub fn distinct(values: impl IntoIterator<Item = Value>) -> usize {
    let mut seen = std::collections::HashSet::new();
    for v in values {
        if v != Value::Null {
            let mut key = Vec::new();
            encode(&v, false, &mut key);
            seen.insert(key);
        }
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;

    fn stats(values: &[Value]) -> Stats {
        let mut s = Stats::default();
        for v in values {
            s.add(v.clone());
        }
        s
    }

    #[test]
    fn sums_stay_whole_until_a_fraction_and_skip_nulls() {
        let s = stats(&[Value::Int(3), Value::Null, Value::Int(4)]);
        assert_eq!(s.sum(), Value::Int(7));
        assert_eq!(s.avg(), Value::Float(3.5));
        assert_eq!((s.min(), s.max()), (Value::Int(3), Value::Int(4)));
        let s = stats(&[Value::Int(1), Value::Float(0.5)]);
        assert_eq!(s.sum(), Value::Float(1.5));
        assert_eq!(stats(&[]).sum(), Value::Null);
        assert_eq!(stats(&[Value::Null]).avg(), Value::Null);
    }

    #[test]
    fn dates_have_extremes_but_no_sum() {
        let d = |y| Value::Date(Date::new(y, 1, 1).unwrap());
        let s = stats(&[d(2010), d(2001), d(2020)]);
        assert_eq!((s.min(), s.max()), (d(2001), d(2020)));
        assert_eq!(s.sum(), Value::Null);
    }

    #[test]
    fn having_and_distinct() {
        let mut s = Summary::new(&[]);
        s.count = 3;
        assert!(Having::Count(Cmp::Gte(Value::Int(3))).passes(&s));
        assert!(!Having::Not(Box::new(Having::Count(Cmp::Eq(Value::Int(3))))).passes(&s));
        let texts = ["Việt Nam", "viet nam", "Japan"].map(|t| Value::Text(t.into()));
        assert_eq!(distinct(texts.into_iter().chain([Value::Null])), 2);
    }
}
