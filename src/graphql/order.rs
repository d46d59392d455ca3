//! `orderBy:` on the root lists: one `<Kind>OrderField` enum and one `<Kind>Order` input per
//! kind, each declared once in an [`order_input!`] table that maps every field onto the
//! model's sort keys ([`crate::model::order`]). [`apply`] turns a list (already filtered)
//! into its items keyed by the encoded sort values, then the code, so that the connection's
//! key order is the ordering and its cursors stay valid across pages.

use super::connection::{Backing, Window, store};
use super::error::{GqlResult, bad_input};
use super::filter::{Of, Stands};
use crate::model::filter::{Relation, Subject};
use crate::model::order::{SortKey, encode, encode_code, value};
use crate::model::{EdgeKind, NodeRef};
use crate::store::{Item, Store};
use async_graphql::{Context, Enum, InputObject, Result};
use std::sync::Arc;

/// The most keys one `orderBy` may hold.
pub const MAX_KEYS: usize = 5;

/// Which way a key orders.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum OrderDirection {
    /// Smallest first: A to Z, oldest first, fewest first; nulls last.
    #[default]
    Asc,
    /// Largest first: Z to A, newest first, most first; nulls first.
    Desc,
}

/// One key of an `orderBy`: what it reads and which way.
pub trait OrderKey {
    fn sort_key(&self) -> SortKey;
    fn descending(&self) -> bool;
    /// The key as a cursor's tag names it.
    fn tag(&self) -> String;
}

/// Declares a kind's `OrderField` enum and `Order` input, and their sort keys.
macro_rules! order_input {
    (
        $(#[$doc:meta])*
        $order:ident, $field:ident, $what:literal {
            $($(#[$vdoc:meta])* $variant:ident = $key:expr,)*
        }
    ) => {
        #[doc = concat!("What ", $what, " can be ordered by.")]
        #[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
        pub enum $field {
            $($(#[$vdoc])* $variant,)*
        }

        $(#[$doc])*
        #[derive(InputObject, Clone, Copy, Debug)]
        pub struct $order {
            /// The field to order by.
            pub field: $field,
            /// Which way: ASC (the default) or DESC.
            #[graphql(default)]
            pub direction: OrderDirection,
        }

        impl OrderKey for $order {
            fn sort_key(&self) -> SortKey {
                match self.field {
                    $($field::$variant => $key,)*
                }
            }

            fn descending(&self) -> bool {
                self.direction == OrderDirection::Desc
            }

            fn tag(&self) -> String {
                format!("{:?} {:?}", self.field, self.direction)
            }
        }
    };
}

order_input! {
    /// A key to order member states by: a field and a direction.
    MemberOrder, MemberOrderField, "member states" {
        /// The ISO alpha-3 code.
        Code = SortKey::Field("code"),
        /// The English name (ignoring case and diacritics).
        Name = SortKey::Field("name"),
        /// The date it joined ASEAN.
        JoinedOn = SortKey::Field("joinedOn"),
        /// How many fundings it gives.
        FundingsCount = SortKey::Count(Relation::Edges { kind: EdgeKind::Funds, outgoing: true }),
    }
}

order_input! {
    /// A key to order partners by: a field and a direction.
    PartnerOrder, PartnerOrderField, "partners" {
        /// The English name (ignoring case and diacritics).
        Name = SortKey::Field("name"),
        /// The code.
        Code = SortKey::Field("code"),
        /// The current standing, by its name (DEVELOPMENT_PARTNER, DIALOGUE_PARTNER, …).
        Kind = SortKey::Field("kind"),
        /// The start of its current status.
        Since = SortKey::Field("since"),
        /// How many fundings it gives.
        FundingsCount = SortKey::Count(Relation::Edges { kind: EdgeKind::Funds, outgoing: true }),
        /// How many meetings it took part in.
        MeetingsCount = SortKey::Count(Relation::Edges { kind: EdgeKind::Participant, outgoing: false }),
    }
}

order_input! {
    /// A key to order bodies by: a field and a direction.
    BodyOrder, BodyOrderField, "bodies" {
        /// The acronym.
        Code = SortKey::Field("code"),
        /// The English name (ignoring case and diacritics).
        Name = SortKey::Field("name"),
        /// The pillar, by its name (CROSS_PILLAR, ECONOMIC, …); bodies without one last.
        Pillar = SortKey::Field("pillar"),
    }
}

order_input! {
    /// A key to order meetings by: a field and a direction.
    MeetingOrder, MeetingOrderField, "meetings" {
        /// The date it started.
        StartDate = SortKey::Field("startDate"),
        /// The code.
        Code = SortKey::Field("code"),
        /// The English title (ignoring case and diacritics).
        Title = SortKey::Field("title"),
        /// Its number in its body's series; meetings without one last.
        Number = SortKey::Field("number"),
        /// The name of the body that held it.
        BodyName = SortKey::Related(Relation::Ends { kind: EdgeKind::HeldBy, outgoing: true }, &["name"]),
    }
}

order_input! {
    /// A key to order initiatives by: a field and a direction.
    InitiativeOrder, InitiativeOrderField, "initiatives" {
        /// The code.
        Code = SortKey::Field("code"),
        /// The English name (ignoring case and diacritics).
        Name = SortKey::Field("name"),
        /// The kind, by its name (ACTION_LINE, DECLARATION, …).
        Kind = SortKey::Field("kind"),
        /// The year it started; initiatives without one last.
        StartYear = SortKey::Field("startYear"),
        /// How many fundings it receives directly.
        FundingsCount = SortKey::Count(Relation::Edges { kind: EdgeKind::Funds, outgoing: false }),
    }
}

order_input! {
    /// A key to order fundings by: a field and a direction.
    FundingOrder, FundingOrderField, "fundings" {
        /// The name of who gives it (ignoring case and diacritics).
        FunderName = SortKey::Related(Relation::From, &["name"]),
        /// The name of what it funds: an initiative's name, a meeting's title.
        TargetName = SortKey::Related(Relation::To, &["name", "title"]),
        /// The amount in US dollars; fundings without one last.
        AmountUsd = SortKey::Field("amountUsd"),
        /// How many projects it covers; fundings without a count last.
        ProjectCount = SortKey::Field("projectCount"),
        /// The start date of the meeting that approved it; fundings without one last.
        ApprovedAt = SortKey::Related(Relation::ApprovedAt, &["startDate"]),
    }
}

order_input! {
    /// A key to order people by: a field and a direction.
    PersonOrder, PersonOrderField, "people" {
        /// The code.
        Code = SortKey::Field("code"),
        /// The name (ignoring case and diacritics).
        Name = SortKey::Field("name"),
    }
}

order_input! {
    /// A key to order sources by: a field and a direction.
    SourceOrder, SourceOrderField, "sources" {
        /// The code.
        Code = SortKey::Field("code"),
        /// The title (ignoring case and diacritics).
        Title = SortKey::Field("title"),
        /// The date it was published; sources without one last.
        PublishedOn = SortKey::Field("publishedOn"),
    }
}

/// `backing` in the order `order_by` gives (unchanged without one), and `window` set to
/// tag its cursors with that ordering. Reads each item's record once.
pub fn apply<O: OrderKey>(
    ctx: &Context<'_>,
    backing: Backing,
    of: Of,
    order_by: Option<&[O]>,
    window: &mut Window,
) -> Result<Backing> {
    let keys = order_by.unwrap_or_default();
    if keys.is_empty() {
        return Ok(backing);
    }
    if keys.len() > MAX_KEYS {
        return Err(bad_input(format!(
            "orderBy: {} keys; give at most {MAX_KEYS}",
            keys.len()
        )));
    }
    let tags: Vec<String> = keys.iter().map(OrderKey::tag).collect();
    window.ordering = format!(" orderBy {}", tags.join(", "));
    let store: &Store = store(ctx);
    let keyed = |sort: &mut Vec<u8>, subject: Subject<'_>| sort_values(store, keys, subject, sort);
    // Each item read, and its values for the keys, are reads of the request's.
    let reads = super::filter::reads(ctx);
    let per_item = u64::try_from(keys.len()).map_or(u64::MAX, |k| k.saturating_add(1));
    let mut items = Vec::new();
    let mut add = |key: Vec<u8>, item: Item| -> Result<()> {
        reads.spend(per_item, "orderBy").gql()?;
        let mut sort = Vec::new();
        let r: &NodeRef = match of.stands_for(&item) {
            Stands::Relationship(e) => {
                keyed(&mut sort, Subject::Edge(e))?;
                // A funding's own key (funder, then target) is its code.
                sort.extend_from_slice(&key);
                items.push((sort, item));
                return Ok(());
            }
            Stands::Record(r) => r,
            Stands::Nothing => return Ok(()),
        };
        // A record gone since it was listed is left out, as its page would leave it.
        let Some(n) = store.get(r).gql()? else {
            return Ok(());
        };
        keyed(&mut sort, Subject::Node(&n))?;
        encode_code(&r.code, &mut sort);
        items.push((sort, item));
        Ok(())
    };
    match backing {
        Backing::Listing(l) => {
            for entry in l.all() {
                let (key, item) = entry.gql()?;
                add(key, item)?;
            }
        }
        Backing::Items(list) | Backing::Held(_, list) => {
            for (key, item) in Arc::unwrap_or_clone(list) {
                add(key, item)?;
            }
        }
    }
    Ok(Backing::items(items))
}

/// Appends the encoded values of `keys` for `subject` to `out`.
fn sort_values<O: OrderKey>(
    store: &Store,
    keys: &[O],
    subject: Subject<'_>,
    out: &mut Vec<u8>,
) -> Result<()> {
    for k in keys {
        encode(
            &value(store, subject, k.sort_key()).gql()?,
            k.descending(),
            out,
        );
    }
    Ok(())
}
