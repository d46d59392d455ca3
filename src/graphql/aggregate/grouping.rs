//! `groupedAggregates` on the lists of fundings, meetings, initiatives and partners: the
//! list's items (after its filter) put into groups by the values of 1 to
//! [`MAX_GROUP_KEYS`] keys, each group with its key values (records you select fields of)
//! and the aggregates of its items; `having` keeps the groups whose aggregates pass,
//! `orderBy` sorts them (by their keys by default), `first` takes so many.
//!
//! Each kind's keys, and the number fields its `having` and `orderBy` read, are declared
//! once in a [`grouping!`] invocation below.

use super::{Aggregated, List, Listed, Part};
use crate::graphql::connection::{limit, list_cost, store};
use crate::graphql::enums::{FunderKind, InitiativeKind, MeetingFormat, PartnerKind};
use crate::graphql::error::{QUERY_TOO_COMPLEX, bad_input, coded};
use crate::graphql::filter::{FloatFilter, IntFilter, MAX_CONDITIONS, Ops};
use crate::graphql::order::{MAX_KEYS, OrderDirection};
use crate::graphql::types::{
    Body, Fundable, Funder, Funding, Initiative, Meeting, Member, Partner, Source, load_as,
};
use crate::model::aggregate::{Function, Group, GroupSort, Grouping, Having, KeyOf, KeyValue};
use crate::model::filter::{Relation, Value};
use crate::model::{self, EdgeKind};
use crate::store::Store;
use async_graphql::resolver_utils::EnumType;
use async_graphql::{Context, Enum, InputObject, Object, Result};
use std::sync::Arc;

/// The most keys one `groupBy` may hold: every key more multiplies the groups.
pub const MAX_GROUP_KEYS: usize = 3;
/// The most groups one `groupedAggregates` returns.
pub const MAX_GROUPS: usize = 1_000;

/// What groups are ordered by.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum GroupOrderBy {
    /// The key values, in the order of `groupBy` (records by code).
    Key,
    /// How many items the group holds.
    Count,
    /// The sum of `field`.
    Sum,
    /// The mean of `field`.
    Avg,
    /// The least `field`.
    Min,
    /// The greatest `field`.
    Max,
}

impl GroupOrderBy {
    /// The group sort this names, reading `field` where it needs one (of a kind that has
    /// number fields if `numbers`).
    fn sort(self, at: &str, field: Option<&'static str>, numbers: bool) -> Result<GroupSort> {
        let function = match self {
            GroupOrderBy::Key => return Ok(GroupSort::Key),
            GroupOrderBy::Count => return Ok(GroupSort::Count),
            GroupOrderBy::Sum => Function::Sum,
            GroupOrderBy::Avg => Function::Avg,
            GroupOrderBy::Min => Function::Min,
            GroupOrderBy::Max => Function::Max,
        };
        let field = field.ok_or_else(|| {
            let by = enum_name(self);
            bad_input(if numbers {
                format!("{at}.field: ordering by {by} needs the number field it reads")
            } else {
                format!(
                    "{at}.by: {by} reads a number field, and these groups have none; order \
                     by KEY or COUNT"
                )
            })
        })?;
        Ok(GroupSort::Of(function, field))
    }
}

/// An enum value's API name.
fn enum_name<T: EnumType + PartialEq>(v: T) -> &'static str {
    T::items()
        .iter()
        .find(|i| i.value == v)
        .map_or("?", |i| i.name)
}

/// A key value as the API serves it.
pub trait FromKey: Sized {
    fn from_key(store: &Store, v: &KeyValue) -> Result<Option<Self>>;
}

/// Record types served from a key's record.
macro_rules! record_keys {
    ($($ty:ty => $pick:expr;)*) => {$(
        impl FromKey for $ty {
            fn from_key(store: &Store, v: &KeyValue) -> Result<Option<$ty>> {
                match v {
                    KeyValue::Record(r) => load_as(store, r, $pick),
                    _ => Ok(None),
                }
            }
        }
    )*};
}

record_keys! {
    Funder => Funder::from_node;
    Fundable => Fundable::from_node;
    Initiative => |n| match n { model::Node::Initiative(x) => Some(Initiative(x)), _ => None };
    Meeting => |n| match n { model::Node::Meeting(x) => Some(Meeting(x)), _ => None };
    Body => |n| match n { model::Node::Body(x) => Some(Body(x)), _ => None };
    Member => |n| match n { model::Node::Member(x) => Some(Member(x)), _ => None };
    Source => |n| match n { model::Node::Source(x) => Some(Source(x)), _ => None };
}

/// Enum types served from a key's value, by API name (a record kind by its type's name).
macro_rules! enum_keys {
    ($($ty:ty),*) => {$(
        impl FromKey for $ty {
            fn from_key(_: &Store, v: &KeyValue) -> Result<Option<$ty>> {
                let name = match v {
                    KeyValue::Value(Value::Enum(name)) => name.clone(),
                    KeyValue::Kind(k) => k.type_name().to_ascii_uppercase(),
                    _ => return Ok(None),
                };
                Ok(<$ty as EnumType>::items()
                    .iter()
                    .find(|i| i.name == name)
                    .map(|i| i.value))
            }
        }
    )*};
}

enum_keys!(FunderKind, PartnerKind, MeetingFormat, InitiativeKind);

impl FromKey for i32 {
    fn from_key(_: &Store, v: &KeyValue) -> Result<Option<i32>> {
        match v {
            KeyValue::Value(Value::Int(n)) => crate::graphql::integers::served("key", *n).map(Some),
            _ => Ok(None),
        }
    }
}

/// The checked arguments of one `groupedAggregates`.
struct Asked {
    keys: Vec<KeyOf>,
    having: Having,
    sort: Vec<(GroupSort, bool)>,
    first: usize,
}

/// Checks `groupBy` (1 to [`MAX_GROUP_KEYS`] keys, each once) and `first`.
fn check_keys<K: EnumType + PartialEq + Copy>(group_by: &[K], first: i32) -> Result<usize> {
    if group_by.is_empty() {
        return Err(bad_input(format!(
            "groupBy: give 1 to {MAX_GROUP_KEYS} keys to group by"
        )));
    }
    if group_by.len() > MAX_GROUP_KEYS {
        return Err(coded(
            QUERY_TOO_COMPLEX,
            format!(
                "groupBy: {} keys; the limit is {MAX_GROUP_KEYS}",
                group_by.len()
            ),
        ));
    }
    for (i, k) in group_by.iter().enumerate() {
        if group_by[..i].contains(k) {
            return Err(bad_input(format!(
                "groupBy[{i}]: {} is given twice",
                enum_name(*k)
            )));
        }
    }
    limit("first", i64::from(first), MAX_GROUPS)
}

/// Checks `having` against the limits and `orderBy`'s length.
fn check_rest(having: Having, sorts: usize) -> Result<Having> {
    let size = having.size();
    if size > MAX_CONDITIONS {
        return Err(coded(
            QUERY_TOO_COMPLEX,
            format!("having: {size} conditions; the limit is {MAX_CONDITIONS}"),
        ));
    }
    if sorts > MAX_KEYS {
        // As a list's `orderBy` says it.
        return Err(bad_input(format!(
            "orderBy: {sorts} keys; give at most {MAX_KEYS}"
        )));
    }
    Ok(having)
}

/// The groups of `list` as `asked`, each with the list it is part of.
fn groups<N: Aggregated>(
    ctx: &Context<'_>,
    list: &List,
    asked: Asked,
) -> Result<(Arc<Listed>, Vec<Group>)> {
    let listed = Listed::read(ctx, list)?;
    let mut grouping = Grouping::new(asked.keys, N::FIELDS);
    listed.each(None, |i, graph, subject| grouping.add(graph, i, subject))?;
    let groups = grouping.finish(&asked.having, &asked.sort, asked.first);
    Ok((listed, groups))
}

/// Declares a kind's grouping: its `<Kind>GroupBy` keys, the `<Kind>GroupKey` object of a
/// group's key values, its `<Kind>Group`, its `having` and `orderBy` inputs, and the
/// `groupedAggregates` field flattened into its connection.
macro_rules! grouping {
    (
        $node:ty, $what:literal => $grouping:ident, $group:ident, $key:ident, $by:ident,
        $having:ident, $gorder:ident {
            keys {
                $($(#[$kdoc:meta])* $variant:ident => $kfield:ident: $kty:ty = $kof:expr,)*
            }
            $(numbers $nfield:ident, $nfilter:ident {
                $($nvariant:ident $nv:ident $napi:literal,)*
            })?
            $(ancestors: $adoc:literal)?
        }
    ) => {
        #[doc = concat!("What ", $what, " can be grouped by.")]
        #[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
        pub enum $by {
            $($(#[$kdoc])* $variant,)*
        }

        impl $by {
            /// What this key reads; `level` for keys that name an ancestor.
            fn key(self, level: usize) -> KeyOf {
                let _ = level;
                match self {
                    $($by::$variant => ($kof)(level),)*
                }
            }
        }

        #[doc = concat!("The key values a group of ", $what, " shares; null for keys not grouped by.")]
        pub struct $key {
            by: Vec<$by>,
            values: Vec<KeyValue>,
        }

        impl $key {
            fn value(&self, by: $by) -> Option<&KeyValue> {
                let i = self.by.iter().position(|b| *b == by)?;
                self.values.get(i)
            }
        }

        #[doc = concat!("The key values a group of ", $what, " shares; null for keys not grouped by.")]
        #[Object]
        impl $key {
            $(
                $(#[$kdoc])*
                async fn $kfield(&self, ctx: &Context<'_>) -> Result<Option<$kty>> {
                    match self.value($by::$variant) {
                        Some(v) => <$kty as FromKey>::from_key(store(ctx), v),
                        None => Ok(None),
                    }
                }
            )*
        }

        #[doc = concat!("A group of ", $what, ": the key values its items share and their aggregates.")]
        pub struct $group {
            key: $key,
            part: Arc<Part>,
        }

        #[doc = concat!("A group of ", $what, ": the key values its items share and their aggregates.")]
        #[Object]
        impl $group {
            /// The key values the group's items share.
            async fn key(&self) -> &$key {
                &self.key
            }

            /// How many items the group holds.
            async fn count(&self) -> Result<i32> {
                self.part.count()
            }

            #[graphql(flatten)]
            async fn stats(&self) -> <$node as Aggregated>::Stats {
                <$node as Aggregated>::stats(Arc::clone(&self.part))
            }
        }

        $(
            #[doc = concat!("The number fields of ", $what, " a group's aggregates read.")]
            #[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
            pub enum $nfield {
                $(#[doc = concat!("`", $napi, "`.")] $nvariant,)*
            }

            impl $nfield {
                fn api(self) -> &'static str {
                    match self {
                        $($nfield::$nvariant => $napi,)*
                    }
                }
            }

            #[doc = concat!("Conditions on one aggregate of each number field of ", $what, ".")]
            #[derive(InputObject, Default, Clone)]
            pub struct $nfilter {
                $(
                    #[doc = concat!("Conditions on this aggregate of `", $napi, "`.")]
                    #[graphql(name = $napi)]
                    $nv: Option<FloatFilter>,
                )*
            }

            impl $nfilter {
                fn tree(&self, f: Function, out: &mut Vec<Having>) {
                    $(
                        if let Some(x) = &self.$nv {
                            out.extend(x.cmps().into_iter().map(|c| Having::Of(f, $napi, c)));
                        }
                    )*
                }
            }
        )?

        #[doc = concat!("Conditions on a group of ", $what, ": on its count and aggregates.")]
        #[derive(InputObject, Default, Clone)]
        pub struct $having {
            /// Conditions on how many items the group holds.
            count: Option<IntFilter>,
            $(
                /// Conditions on the sums.
                sum: Option<$nfilter>,
                /// Conditions on the means.
                avg: Option<$nfilter>,
                /// Conditions on the least values.
                min: Option<$nfilter>,
                /// Conditions on the greatest values.
                max: Option<$nfilter>,
            )?
            /// Every one of these conditions.
            and: Option<Vec<$having>>,
            /// At least one of these conditions (none of an empty list).
            or: Option<Vec<$having>>,
            /// Not this condition.
            not: Option<Box<$having>>,
        }

        impl $having {
            fn tree(&self) -> Having {
                let mut all = Vec::new();
                if let Some(c) = &self.count {
                    all.extend(c.cmps().into_iter().map(Having::Count));
                }
                $(
                    let parts: [(Function, &Option<$nfilter>); 4] = [
                        (Function::Sum, &self.sum),
                        (Function::Avg, &self.avg),
                        (Function::Min, &self.min),
                        (Function::Max, &self.max),
                    ];
                    for (f, filter) in parts {
                        if let Some(filter) = filter {
                            filter.tree(f, &mut all);
                        }
                    }
                )?
                if let Some(hs) = &self.and {
                    all.extend(hs.iter().map($having::tree));
                }
                if let Some(hs) = &self.or {
                    all.push(Having::Any(hs.iter().map($having::tree).collect()));
                }
                if let Some(h) = &self.not {
                    all.push(Having::Not(Box::new(h.tree())));
                }
                // One condition stands for itself, so that conditions count as a filter's do.
                if all.len() == 1 {
                    all.remove(0)
                } else {
                    Having::All(all)
                }
            }
        }

        #[doc = concat!("A key to order groups of ", $what, " by.")]
        #[derive(InputObject, Clone, Copy)]
        pub struct $gorder {
            /// What to order by: the keys, the count, or an aggregate of `field`.
            by: GroupOrderBy,
            $(
                /// The number field SUM, AVG, MIN and MAX read.
                field: Option<$nfield>,
            )?
            /// Which way: ASC (the default) or DESC.
            #[graphql(default)]
            direction: OrderDirection,
        }

        impl $gorder {
            fn sort(&self, at: &str) -> Result<(GroupSort, bool)> {
                // Without number fields, none; with them, the one given (shadowing).
                let (_field, _numbers): (Option<&'static str>, bool) = (None, false);
                $(let (_field, _numbers) = (self.field.map(<$nfield>::api), true);)?
                Ok((self.by.sort(at, _field, _numbers)?, self.direction == OrderDirection::Desc))
            }
        }

        #[doc = concat!("Grouping of a list of ", $what, ".")]
        pub struct $grouping(List);

        impl From<List> for $grouping {
            fn from(list: List) -> $grouping {
                $grouping(list)
            }
        }

        #[doc = concat!("Grouping of a list of ", $what, ".")]
        #[Object]
        impl $grouping {
            /// The list's items (all pages, after its filter) in groups by the values of
            /// `groupBy`, each group with its key values and the aggregates of its items: an
            /// item is in the group of each value of a key that has several (a meeting with
            /// two chairs), in the null group of a key without one.
            #[graphql(complexity = "list_cost(i64::from(first), MAX_GROUPS, child_complexity)")]
            async fn grouped_aggregates(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The keys to group by: 1 to 3, each once.")]
                group_by: Vec<$by>,
                #[graphql(desc = "Keeps the groups whose count and aggregates pass.")]
                having: Option<$having>,
                #[graphql(desc = "How to order the groups (by their keys if not given).")]
                order_by: Option<Vec<$gorder>>,
                #[graphql(desc = "How many groups to return, 1 to 1000.", default = 100)]
                first: i32,
                $(
                    #[graphql(desc = $adoc, default = 1)]
                    ancestor_level: i32,
                )?
            ) -> Result<Vec<$group>> {
                let first = check_keys(&group_by, first)?;
                #[allow(unused_variables, reason = "read only by kinds with ancestor keys")]
                let level = 0;
                $(
                    let _: &str = $adoc;
                    let level = usize::try_from(ancestor_level).map_err(|_| {
                        bad_input(format!("ancestorLevel: {ancestor_level} is negative"))
                    })?;
                )?
                let order_by = order_by.unwrap_or_default();
                let mut sort = Vec::with_capacity(order_by.len() + 1);
                for (i, o) in order_by.iter().enumerate() {
                    sort.push(o.sort(&format!("orderBy[{i}]"))?);
                }
                let having = check_rest(having.as_ref().map_or(Having::All(Vec::new()), $having::tree), sort.len())?;
                let asked = Asked {
                    keys: group_by.iter().map(|b| b.key(level)).collect(),
                    having,
                    sort,
                    first,
                };
                let (listed, groups) = groups::<$node>(ctx, &self.0, asked)?;
                Ok(groups
                    .into_iter()
                    .map(|g| $group {
                        key: $key { by: group_by.clone(), values: g.key },
                        part: Arc::new(Part::group(Arc::clone(&listed), g.items, g.summary)),
                    })
                    .collect())
            }
        }
    };
}

grouping! {
    Funding, "fundings" => FundingGrouping, FundingGroup, FundingGroupKey, FundingGroupBy,
    FundingGroupHaving, FundingGroupOrder {
        keys {
            /// Who gives the funding.
            Funder => funder: Funder = |_| KeyOf::Records(Relation::From),
            /// Whether the funder is a member state or a partner.
            FunderKind => funder_kind: FunderKind = |_| KeyOf::KindOf(Relation::From),
            /// What is funded.
            Target => target: Fundable = |_| KeyOf::Records(Relation::To),
            /// The initiative at `ancestorLevel` on the way down from the target's programme
            /// to the target (level 1 of the IAI: its work plans); null for a target above
            /// that level or a meeting.
            TargetAncestor => target_ancestor: Initiative = |level| KeyOf::Ancestor(Relation::To, level),
            /// The meeting that approved the funding.
            ApprovedAt => approved_at: Meeting = |_| KeyOf::Records(Relation::ApprovedAt),
            /// The year of the meeting that approved the funding.
            Year => year: i32 = |_| KeyOf::FieldOf(Relation::ApprovedAt, "year"),
            /// A source that reports it: an item is in the group of each of its sources.
            Source => source: Source = |_| KeyOf::Sources,
        }
        numbers FundingNumberField, FundingNumbersFilter {
            AmountUsd amount_usd "amountUsd",
            ProjectCount project_count "projectCount",
        }
        ancestors: "For TARGET_ANCESTOR: the level of the ancestor, counted from the target's \
                    programme (0) down (1: an IAI work plan)."
    }
}

grouping! {
    Meeting, "meetings" => MeetingGrouping, MeetingGroup, MeetingGroupKey, MeetingGroupBy,
    MeetingGroupHaving, MeetingGroupOrder {
        keys {
            /// The body that held the meeting.
            Body => body: Body = |_| KeyOf::Records(Relation::Ends { kind: EdgeKind::HeldBy, outgoing: true }),
            /// The year the meeting began.
            Year => year: i32 = |_| KeyOf::Field("year"),
            /// How the meeting was held.
            Format => format: MeetingFormat = |_| KeyOf::Field("format"),
            /// The member state that chaired the meeting.
            Chair => chair: Member = |_| KeyOf::Records(Relation::Ends { kind: EdgeKind::ChairedBy, outgoing: true }),
            /// A source that reports it: an item is in the group of each of its sources.
            Source => source: Source = |_| KeyOf::Sources,
        }
    }
}

grouping! {
    Initiative, "initiatives" => InitiativeGrouping, InitiativeGroup, InitiativeGroupKey,
    InitiativeGroupBy, InitiativeGroupHaving, InitiativeGroupOrder {
        keys {
            /// What kind of initiative it is.
            Kind => kind: InitiativeKind = |_| KeyOf::Field("kind"),
            /// The initiative it is part of.
            Parent => parent: Initiative = |_| KeyOf::Records(Relation::Ends { kind: EdgeKind::PartOf, outgoing: true }),
            /// The body leading it.
            LedBy => led_by: Body = |_| KeyOf::Records(Relation::Ends { kind: EdgeKind::LedBy, outgoing: true }),
            /// A source that reports it: an item is in the group of each of its sources.
            Source => source: Source = |_| KeyOf::Sources,
        }
    }
}

grouping! {
    Partner, "partners" => PartnerGrouping, PartnerGroup, PartnerGroupKey, PartnerGroupBy,
    PartnerGroupHaving, PartnerGroupOrder {
        keys {
            /// The partner's current standing.
            Kind => kind: PartnerKind = |_| KeyOf::Field("kind"),
            /// The year its current standing began.
            StatusYear => status_year: i32 = |_| KeyOf::YearOf("since"),
            /// A source that reports it: an item is in the group of each of its sources.
            Source => source: Source = |_| KeyOf::Sources,
        }
    }
}
