//! The `Node` interface, the unions, and loading any record by reference.

use super::{Body, Initiative, Meeting, Member, Partner, Person, Source};
use crate::graphql::error::GqlResult;
use crate::graphql::history::Change;
use crate::model::{self, NodeRef};
use crate::store::Store;
use async_graphql::{ID, Interface, Result, Union};

/// Anything with a global id that `node(id:)` resolves: a record, `"<Type>:<code>"` (e.g.
/// `"Member:VNM"`), or a change, `"Change:<seq>"`.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Global id, `\"<Type>:<code>\"` (a change's: `\"Change:<seq>\"`)."
))]
pub enum Node {
    Member(Member),
    Partner(Partner),
    Body(Body),
    Meeting(Meeting),
    Initiative(Initiative),
    Person(Person),
    Source(Source),
    Change(Change),
}

impl From<model::Node> for Node {
    fn from(n: model::Node) -> Node {
        match n {
            model::Node::Member(x) => Node::Member(Member(x)),
            model::Node::Partner(x) => Node::Partner(Partner(x)),
            model::Node::Body(x) => Node::Body(Body(x)),
            model::Node::Meeting(x) => Node::Meeting(Meeting(x)),
            model::Node::Initiative(x) => Node::Initiative(Initiative(x)),
            model::Node::Person(x) => Node::Person(Person(x)),
            model::Node::Source(x) => Node::Source(Source(x)),
        }
    }
}

/// Who can fund: a member state or a partner.
#[derive(Union)]
pub enum Funder {
    Member(Member),
    Partner(Partner),
}

impl Funder {
    pub fn from_node(n: model::Node) -> Option<Funder> {
        match n {
            model::Node::Member(x) => Some(Funder::Member(Member(x))),
            model::Node::Partner(x) => Some(Funder::Partner(Partner(x))),
            _ => None,
        }
    }
}

/// What can be funded: an initiative or a meeting.
#[derive(Union)]
pub enum Fundable {
    Initiative(Initiative),
    Meeting(Meeting),
}

impl Fundable {
    pub fn from_node(n: model::Node) -> Option<Fundable> {
        match n {
            model::Node::Initiative(x) => Some(Fundable::Initiative(Initiative(x))),
            model::Node::Meeting(x) => Some(Fundable::Meeting(Meeting(x))),
            _ => None,
        }
    }
}

/// Who can take part in a meeting: a member state, a partner or a body.
#[derive(Union)]
pub enum Party {
    Member(Member),
    Partner(Partner),
    Body(Body),
}

impl Party {
    pub fn from_node(n: model::Node) -> Option<Party> {
        match n {
            model::Node::Member(x) => Some(Party::Member(Member(x))),
            model::Node::Partner(x) => Some(Party::Partner(Partner(x))),
            model::Node::Body(x) => Some(Party::Body(Body(x))),
            _ => None,
        }
    }
}

/// The record `r` names, if it exists.
pub fn load(store: &Store, r: &NodeRef) -> Result<Option<model::Node>> {
    store.get(r).gql()
}

/// The record `r` names, as the type `pick` makes of it.
pub fn load_as<T>(
    store: &Store,
    r: &NodeRef,
    pick: impl FnOnce(model::Node) -> Option<T>,
) -> Result<Option<T>> {
    Ok(load(store, r)?.and_then(pick))
}
