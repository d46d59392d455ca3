//! `aggregate` on every connection, and `groupedAggregates` on the lists of fundings,
//! meetings, initiatives and partners: counts, distinct counts, sums, averages and extremes
//! over the whole list after its filter, in all and per group.
//!
//! A connection's aggregate object is generic ([`Aggregate`]); what it offers beyond `count`
//! depends on the kind, and is flattened into it from the kind's stats object
//! ([`Aggregated::Stats`]), declared once per kind in `kinds.rs` by [`stats!`]: its number
//! fields (sum, average, least, greatest) and its date fields (least, greatest). Grouping is
//! flattened into the connection the same way ([`Aggregated::Grouping`]), declared by
//! [`grouping!`](grouping). The computing is the model's ([`crate::model::aggregate`]).

mod grouping;
mod kinds;

pub use grouping::GroupOrderBy;
pub use kinds::*;

use super::connection::{Backing, Keyed};
use super::error::{GqlResult, internal};
use super::filter::{Of, Stands};
use crate::model::aggregate::{Function, Summary, distinct};
use crate::model::filter::{Records, Subject, Value};
use crate::model::order::{SortKey, value};
use crate::store::{Item, ReadBudget, Store};
use async_graphql::parser::types::Field;
use async_graphql::registry::{MetaType, MetaTypeId, Registry};
use async_graphql::{
    ContainerType, Context, ContextSelectionSet, Object, OutputType, Positioned, Result,
    ServerResult, TypeName,
};
use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::Arc;

/// A node type whose connections aggregate.
pub trait Aggregated: OutputType {
    /// The number and date fields its summaries read (API names).
    const FIELDS: &'static [&'static str];
    /// What its aggregate offers beyond `count`, flattened into [`Aggregate`].
    type Stats: ContainerType + OutputType;
    fn stats(part: Arc<Part>) -> Self::Stats;
    /// What its connection offers for grouping (`groupedAggregates`, or nothing), flattened
    /// into the connection.
    type Grouping: ContainerType + OutputType;
    fn grouping(list: List) -> Self::Grouping;
}

/// A connection's whole list, as it was narrowed by its filter: what its aggregates read.
#[derive(Clone)]
pub struct List {
    pub backing: Backing,
    pub of: Of,
}

/// A list as its aggregates read it: its items, streamed from the store (never all held at
/// once), and a reader of their records under the filters' budget.
pub struct Listed {
    list: List,
    reader: ReadBudget,
    /// The items of a list read from the store, once some of them are asked for by
    /// position (a group's): read once, then indexed.
    held: std::sync::OnceLock<Keyed>,
}

impl Listed {
    pub fn read(ctx: &Context<'_>, list: &List) -> Result<Arc<Listed>> {
        let store: Arc<Store> = Arc::clone(ctx.data_unchecked::<Arc<Store>>());
        let reads = super::filter::reads(ctx);
        // Every item the list reads, and every record of it, is a read of the request's.
        let mut list = list.clone();
        if let Backing::Listing(l) = list.backing {
            list.backing = Backing::Listing(l.spending(Arc::clone(&reads), "aggregate"));
        }
        Ok(Arc::new(Listed {
            list,
            reader: ReadBudget::sharing(store, reads, "aggregate"),
            held: std::sync::OnceLock::new(),
        }))
    }

    /// The list's items in memory: held already, or read from the store once.
    fn items(&self) -> Result<&Keyed> {
        if let Some(items) = self.list.backing.held() {
            return Ok(items);
        }
        if let Some(items) = self.held.get() {
            return Ok(items);
        }
        let read = match &self.list.backing {
            Backing::Listing(l) => l.all().collect::<crate::store::Result<Vec<_>>>().gql()?,
            _ => Vec::new(),
        };
        Ok(self.held.get_or_init(|| Arc::new(read)))
    }

    /// Calls `f` with the position of each item and what it stands for, in the list's
    /// order, for every item `only` holds (positions; all without it), skipping items whose
    /// record is gone, and changes. The whole list is streamed from the store; some of its
    /// items are read by position from the list in memory.
    pub fn each(
        &self,
        only: Option<&[usize]>,
        mut f: impl FnMut(usize, &ReadBudget, Subject<'_>) -> crate::store::Result<()>,
    ) -> Result<()> {
        let mut visit = |i: usize, item: &Item| -> Result<()> {
            match self.list.of.stands_for(item) {
                Stands::Record(r) => {
                    if let Some(n) = Records::record(&self.reader, r).gql()? {
                        f(i, &self.reader, Subject::Node(&n)).gql()?;
                    }
                }
                Stands::Relationship(e) => f(i, &self.reader, Subject::Edge(e)).gql()?,
                Stands::Nothing => {}
            }
            Ok(())
        };
        match (only, &self.list.backing) {
            (Some(positions), _) => {
                let items = self.items()?;
                for &i in positions {
                    if let Some((_, item)) = items.get(i) {
                        visit(i, item)?;
                    }
                }
            }
            (None, Backing::Listing(l)) => {
                for (i, read) in l.all().enumerate() {
                    let (_, item) = read.gql()?;
                    visit(i, &item)?;
                }
            }
            (None, _) => {
                for (i, (_, item)) in self.items()?.iter().enumerate() {
                    visit(i, item)?;
                }
            }
        }
        Ok(())
    }
}

/// Some items of a list (all of them, or a group's) and their summary.
pub struct Part {
    list: Arc<Listed>,
    /// The positions of the items in the list; `None`: all.
    items: Option<Vec<usize>>,
    summary: Summary,
}

impl Part {
    /// All the items of `list`, summarised over `fields`.
    pub fn whole(list: Arc<Listed>, fields: &[&'static str]) -> Result<Part> {
        let mut summary = Summary::new(fields);
        list.each(None, |_, _, s| {
            summary.add(s);
            Ok(())
        })?;
        Ok(Part {
            list,
            items: None,
            summary,
        })
    }

    /// A group's items.
    pub fn group(list: Arc<Listed>, items: Vec<usize>, summary: Summary) -> Part {
        Part {
            list,
            items: Some(items),
            summary,
        }
    }

    pub fn count(&self) -> Result<i32> {
        super::integers::count("count", self.summary.count)
    }

    /// `function` of the field `name`, as `T`; `what` names it for the server log.
    pub fn value<T: Out>(&self, function: Function, name: &str, what: &str) -> Result<Option<T>> {
        T::out(self.summary.value(function, name), what)
    }

    /// How many distinct non-null values `key` reads from the items.
    pub fn distinct(&self, key: SortKey) -> Result<i32> {
        let mut values = Vec::new();
        self.list.each(self.items.as_deref(), |_, g, s| {
            values.push(value(g, s, key)?);
            Ok(())
        })?;
        super::integers::count("distinctCount", distinct(values))
    }
}

/// A value of an aggregate as the API serves it.
pub trait Out: Sized {
    fn out(v: Value, what: &str) -> Result<Option<Self>>;
}

impl Out for f64 {
    fn out(v: Value, what: &str) -> Result<Option<f64>> {
        match v {
            Value::Null => Ok(None),
            Value::Float(x) => Ok(Some(x)),
            Value::Int(n) => Ok(Some(int_as_float(n))),
            other => Err(internal(format!("{what}: {other:?} is not a number"))),
        }
    }
}

impl Out for i32 {
    fn out(v: Value, what: &str) -> Result<Option<i32>> {
        match v {
            Value::Null => Ok(None),
            Value::Int(n) => super::integers::served(what, n).map(Some),
            other => Err(internal(format!("{what}: {other:?} is not a whole number"))),
        }
    }
}

impl Out for super::scalars::Date {
    fn out(v: Value, what: &str) -> Result<Option<super::scalars::Date>> {
        match v {
            Value::Null => Ok(None),
            Value::Date(d) => Ok(Some(super::scalars::Date(d))),
            other => Err(internal(format!("{what}: {other:?} is not a date"))),
        }
    }
}

#[expect(
    clippy::cast_precision_loss,
    reason = "a whole sum served as a Float is approximate by nature"
)]
fn int_as_float(n: i64) -> f64 {
    n as f64
}

/// The aggregates of a list, named `<Node>Aggregate`: how many items, and what the kind's
/// stats offer.
pub struct Aggregate<N> {
    part: Arc<Part>,
    node: PhantomData<N>,
}

impl<N> Aggregate<N> {
    pub fn new(part: Part) -> Aggregate<N> {
        Aggregate {
            part: Arc::new(part),
            node: PhantomData,
        }
    }
}

impl<N: OutputType> TypeName for Aggregate<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Aggregate", N::type_name()).into()
    }
}

/// Aggregates over the whole list (every page), after its filter.
#[Object(name_type)]
impl<N: Aggregated> Aggregate<N> {
    /// How many items the list holds.
    async fn count(&self) -> Result<i32> {
        self.part.count()
    }

    #[graphql(flatten)]
    async fn stats(&self) -> N::Stats {
        N::stats(Arc::clone(&self.part))
    }
}

/// Nothing to add: the stats of a kind without fields to aggregate, the grouping of a kind
/// that does not group. Only ever flattened into another object, which takes its (no)
/// fields; the derive refuses an object without fields, so it is written out here, and the
/// schema drops the type itself, which nothing names.
pub struct Nothing;

impl OutputType for Nothing {
    fn type_name() -> Cow<'static, str> {
        "Nothing".into()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        registry.create_output_type::<Self, _>(MetaTypeId::Object, |_| MetaType::Object {
            name: Self::type_name().into_owned(),
            description: None,
            fields: Default::default(),
            cache_control: Default::default(),
            extends: false,
            shareable: false,
            resolvable: true,
            keys: None,
            visible: None,
            inaccessible: false,
            interface_object: false,
            tags: Vec::new(),
            is_subscription: false,
            rust_typename: Some(std::any::type_name::<Self>()),
            directive_invocations: Vec::new(),
            requires_scopes: Vec::new(),
        })
    }

    async fn resolve(
        &self,
        _: &ContextSelectionSet<'_>,
        _: &Positioned<Field>,
    ) -> ServerResult<async_graphql::Value> {
        Ok(async_graphql::Value::Null)
    }
}

impl ContainerType for Nothing {
    async fn resolve_field(&self, _: &Context<'_>) -> ServerResult<Option<async_graphql::Value>> {
        Ok(None)
    }
}
