//! Aggregates over a list's items: how many, and the sum, average, least and greatest of
//! each of their number and date fields ([`Summary`]); and the same per group of items that
//! share the values of some keys ([`Grouping`]), which a `having` condition ([`Having`])
//! keeps or drops and an ordering ([`GroupSort`]) sorts. Pure: related records are read
//! through [`Records`], as filters read them.

use super::filter::{Cmp, Records, Related, Relation, Subject, Value, field, related};
use super::id::{NodeKind, NodeRef};
use super::order::{encode, encode_record};
use std::collections::HashMap;

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
    if let (Relation::DecidedAt, Subject::Node(n)) = (relation, subject) {
        return Some(super::filter::decided_at(n));
    }
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
        Relation::Edges { .. } | Relation::Ends { .. } | Relation::DecidedAt => None,
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
///
/// Grouping reads every item of a list, and nearly every item may be a group of its own
/// (23,000 fundings by funder and work plan): a group allocates only when first met, an
/// item's key values are read into buffers kept from item to item, and the items of a
/// group are listed only for the groups [`Grouping::finish`] keeps.
pub struct Grouping {
    keys: Vec<KeyOf>,
    fields: Vec<&'static str>,
    /// The groups, in the order first met.
    groups: Vec<Group>,
    /// Each group's position in `groups`, by the encoding of its key.
    index: HashMap<Vec<u8>, usize, Fast>,
    /// Which group each item joined: (group, item), in the order items came.
    joined: Vec<(usize, usize)>,
    /// The encoding of the key being looked up, reused.
    scratch: Vec<u8>,
    /// The values of each key for the item being added, reused.
    key_values: Vec<Vec<KeyValue>>,
    /// By level, each initiative met as a parent so far: its depth, and its initiative at
    /// that level (see [`Grouping::placed`]).
    placed: HashMap<usize, Placed>,
    /// Fields of related records already read, by record and field.
    fields_of: HashMap<(NodeRef, &'static str), KeyValue, Fast>,
}

/// A fast hasher for maps of keys read from the store, seeded per process.
type Fast = foldhash::fast::RandomState;

/// Initiatives placed in their trees: each one's depth, and its initiative at a level.
type Placed = HashMap<NodeRef, (usize, Option<NodeRef>), Fast>;

impl Grouping {
    pub fn new(keys: Vec<KeyOf>, fields: &[&'static str]) -> Grouping {
        Grouping {
            keys,
            fields: fields.to_vec(),
            groups: Vec::new(),
            index: HashMap::default(),
            joined: Vec::new(),
            scratch: Vec::new(),
            key_values: Vec::new(),
            placed: HashMap::default(),
            fields_of: HashMap::default(),
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
        // The values of each key, in buffers kept from item to item.
        let mut values = std::mem::take(&mut self.key_values);
        values.resize_with(self.keys.len(), Vec::new);
        for (k, out) in values.iter_mut().enumerate() {
            out.clear();
            self.values(graph, subject, self.keys[k], out)?;
            if out.is_empty() {
                out.push(KeyValue::NULL);
            }
        }
        if values.iter().all(|v| v.len() == 1) {
            // One value of each key (the usual case): one group, whose key is copied only
            // if it is new.
            let at = self.group_at(&values, |v| &v[0]);
            self.join(at, index, subject);
        } else {
            // The item is in the group of each combination of its keys' values.
            let mut combos: Vec<Vec<&KeyValue>> = vec![Vec::new()];
            for vs in &values {
                combos = combos
                    .into_iter()
                    .flat_map(|c| {
                        vs.iter().map(move |v| {
                            let mut c = c.clone();
                            c.push(v);
                            c
                        })
                    })
                    .collect();
            }
            for combo in combos {
                let at = self.group_at(&combo, |v| *v);
                self.join(at, index, subject);
            }
        }
        self.key_values = values;
        Ok(())
    }

    /// The position of the group of the key values `key` (each read by `value`), made if
    /// it is new.
    fn group_at<T>(&mut self, key: &[T], value: impl Fn(&T) -> &KeyValue) -> usize {
        self.scratch.clear();
        for v in key {
            value(v).encode(false, &mut self.scratch);
        }
        if let Some(&at) = self.index.get(self.scratch.as_slice()) {
            return at;
        }
        let at = self.groups.len();
        self.index.insert(self.scratch.clone(), at);
        self.groups.push(Group {
            key: key.iter().map(|v| value(v).clone()).collect(),
            summary: Summary::new(&self.fields),
            items: Vec::new(),
            // Taken from `index` by `finish`.
            encoded: Vec::new(),
        });
        at
    }

    /// Counts the item at `index` into the group at `at`.
    fn join(&mut self, at: usize, index: usize, subject: Subject<'_>) {
        if let Some(group) = self.groups.get_mut(at) {
            group.summary.add(subject);
        }
        self.joined.push((at, index));
    }

    /// Appends the values `key` takes for `subject` to `out`.
    fn values<G: Records>(
        &mut self,
        graph: &G,
        subject: Subject<'_>,
        key: KeyOf,
        out: &mut Vec<KeyValue>,
    ) -> Result<(), G::Error> {
        let ends = |relation| -> Result<Vec<NodeRef>, G::Error> {
            if let Some(refs) = named_ends(subject, relation) {
                return Ok(refs);
            }
            Ok(match related(graph, subject, relation)? {
                Related::Nodes(nodes) => nodes.iter().map(|n| n.node_ref()).collect(),
                Related::Edges(_) => Vec::new(),
            })
        };
        match key {
            KeyOf::Field(name) => {
                out.push(KeyValue::Value(field(subject, name).unwrap_or(Value::Null)));
            }
            KeyOf::YearOf(name) => out.push(KeyValue::Value(match field(subject, name) {
                Some(Value::Date(d)) => Value::Int(i64::from(d.year())),
                _ => Value::Null,
            })),
            KeyOf::Records(relation) => {
                out.extend(ends(relation)?.into_iter().map(KeyValue::Record))
            }
            KeyOf::FieldOf(relation, name) => {
                for r in ends(relation)? {
                    out.push(self.field_of(graph, r, name)?);
                }
            }
            KeyOf::Sources => out.extend(
                subject
                    .sources()
                    .iter()
                    .map(|c| KeyValue::Record(NodeRef::new(NodeKind::Source, c.as_str()))),
            ),
            KeyOf::KindOf(relation) => {
                out.extend(ends(relation)?.into_iter().map(|r| KeyValue::Kind(r.kind)))
            }
            KeyOf::Ancestor(relation, level) => {
                for r in ends(relation)? {
                    out.push(self.ancestor(graph, r, level)?);
                }
            }
        }
        Ok(())
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

    /// The initiative at `level` on the way down from the root of `r`'s tree to `r` (`r`
    /// itself at its own depth); null if `r` lies above `level`.
    fn ancestor<G: Records>(
        &mut self,
        graph: &G,
        r: NodeRef,
        level: usize,
    ) -> Result<KeyValue, G::Error> {
        if r.kind != NodeKind::Initiative {
            return Ok(KeyValue::NULL);
        }
        // Items' targets are mostly leaves that share their parents: only parents are
        // remembered.
        let (depth, below) = match graph.parent(&r)? {
            Some(parent) => {
                let (depth, below) = self.placed(graph, parent, level)?;
                (depth + 1, below)
            }
            None => (0, None),
        };
        Ok(match depth.cmp(&level) {
            std::cmp::Ordering::Less => KeyValue::NULL,
            std::cmp::Ordering::Equal => KeyValue::Record(r),
            std::cmp::Ordering::Greater => below.map_or(KeyValue::NULL, KeyValue::Record),
        })
    }

    /// The depth of the initiative `r` (0: the root of its tree) and, if it lies at `level`
    /// or below, its initiative at `level`; remembered for every initiative on the way up
    /// (each is walked once).
    fn placed<G: Records>(
        &mut self,
        graph: &G,
        r: NodeRef,
        level: usize,
    ) -> Result<(usize, Option<NodeRef>), G::Error> {
        let placed = self.placed.entry(level).or_default();
        // Up from `r` to the first initiative already placed (or the root)…
        let mut up = vec![r];
        let mut above: Option<(usize, Option<NodeRef>)> = None;
        while let Some(at) = up.last() {
            if let Some(known) = placed.get(at) {
                above = Some(known.clone());
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
        // …then down again, placing each.
        while let Some(at) = up.pop() {
            let depth = above.as_ref().map_or(0, |(d, _)| d + 1);
            let at_level = match depth.cmp(&level) {
                std::cmp::Ordering::Less => None,
                std::cmp::Ordering::Equal => Some(at.clone()),
                std::cmp::Ordering::Greater => above.and_then(|(_, a)| a),
            };
            placed.insert(at, (depth, at_level.clone()));
            above = Some((depth, at_level));
        }
        Ok(above.unwrap_or((0, None)))
    }

    /// The first `first` groups that pass `having`, in the order `sort` gives (the keys' own
    /// order last).
    pub fn finish(self, having: &Having, sort: &[(GroupSort, bool)], first: usize) -> Vec<Group> {
        let Grouping {
            groups,
            index,
            joined,
            ..
        } = self;
        let mut groups: Vec<Option<Group>> = groups.into_iter().map(Some).collect();
        for (encoded, at) in index {
            if let Some(Some(g)) = groups.get_mut(at) {
                g.encoded = encoded;
            }
        }
        // (order, the key's encoding, position), for the groups that pass.
        let mut kept: Vec<(Vec<u8>, &[u8], usize)> = groups
            .iter()
            .enumerate()
            .filter_map(|(at, g)| Some((at, g.as_ref()?)))
            .filter(|(_, g)| having.passes(&g.summary))
            .map(|(at, g)| {
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
                (order, g.encoded.as_slice(), at)
            })
            .collect();
        let by = |a: &(Vec<u8>, &[u8], usize), b: &(Vec<u8>, &[u8], usize)| {
            a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1))
        };
        // Only the first `first` are sorted: the rest are only set apart.
        if first < kept.len() {
            kept.select_nth_unstable_by(first, by);
            kept.truncate(first);
        }
        kept.sort_unstable_by(by);
        let kept: Vec<usize> = kept.into_iter().map(|(_, _, at)| at).collect();
        // The items of the groups kept, in the order they came.
        let mut slot = vec![None; groups.len()];
        for (i, &at) in kept.iter().enumerate() {
            slot[at] = Some(i);
        }
        let mut items: Vec<Vec<usize>> = vec![Vec::new(); kept.len()];
        for (at, item) in joined {
            if let Some(&Some(i)) = slot.get(at) {
                items[i].push(item);
            }
        }
        kept.into_iter()
            .zip(items)
            .filter_map(|(at, items)| {
                let mut g = groups.get_mut(at)?.take()?;
                g.items = items;
                Some(g)
            })
            .collect()
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
