//! createX / updateX / deleteX for every node kind. A create input or a patch is merged into
//! the record's JSON and read back through the model, so every rule import applies holds
//! here too, with the same messages.

use super::inputs::*;
use super::write::{WriteResult, existing, node_from_json, node_json, write};
use crate::graphql::auth::Role;
use crate::graphql::codes::code_arg;
use crate::graphql::error::bad_input;
use crate::graphql::integers::check_int_fields;
use crate::graphql::types::{Body, Initiative, Meeting, Member, Partner, Person, Source};
use crate::model::{self, EdgeKind, NodeKind, NodeRef};
use crate::store::{Change, EdgeId, Store};
use async_graphql::{Context, Object, Result};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashSet;

/// The input as a JSON object with canonical codes.
fn input_json(input: &impl Serialize) -> Result<serde_json::Map<String, Value>> {
    let Ok(Value::Object(mut map)) = serde_json::to_value(input) else {
        return Err(bad_input("input: not an object"));
    };
    if let Some(Value::String(code)) = map.get("code") {
        let code = code_arg("input.code", code)?;
        map.insert("code".into(), Value::String(code));
    }
    if let Some(Value::Array(sources)) = map.get("sources") {
        let mut canonical = Vec::with_capacity(sources.len());
        for (i, s) in sources.iter().enumerate() {
            let s = s.as_str().unwrap_or_default();
            canonical.push(Value::String(code_arg(&format!("input.sources[{i}]"), s)?));
        }
        map.insert("sources".into(), Value::Array(canonical));
    }
    check_int_fields("input", &map)?;
    Ok(map)
}

async fn create(ctx: &Context<'_>, kind: NodeKind, input: &impl Serialize) -> Result<model::Node> {
    let mut map = input_json(input)?;
    let lists: &[&str] = match kind {
        NodeKind::Source => &[],
        NodeKind::Partner => &["claims", "statuses"],
        NodeKind::Initiative => &["claims", "figures"],
        _ => &["claims"],
    };
    for key in lists {
        map.entry(*key).or_insert_with(|| json!([]));
    }
    let node = node_from_json(kind, Value::Object(map))?;
    let op = format!("create{}", kind.type_name());
    write(ctx, Role::Editor, &op, move |_, log| {
        let entry = log.node(None, Some(&node));
        Ok((vec![Change::InsertNode(node.clone()), entry], node))
    })
    .await
}

async fn update(
    ctx: &Context<'_>,
    kind: NodeKind,
    code: &str,
    patch: &impl Serialize,
) -> Result<model::Node> {
    let r = NodeRef::new(kind, code_arg("code", code)?);
    let patch = input_json(patch)?;
    let op = format!("update{}", kind.type_name());
    write(ctx, Role::Editor, &op, move |store, log| {
        let before = existing(store, &r)?;
        let Value::Object(mut record) = node_json(&before) else {
            return Ok((vec![], before));
        };
        record.extend(patch);
        let after = node_from_json(kind, Value::Object(record))?;
        let entry = log.node(Some(&before), Some(&after));
        Ok((vec![Change::PutNode(after.clone()), entry], after))
    })
    .await
}

/// The changes that delete `r` with everything referring to it: its relationships, the
/// delegations that led it, and (for a meeting) the approval of fundings it approved and
/// the partner statuses decided at it, which lose their `decidedAt`.
pub fn cascade(store: &Store, r: &NodeRef, log: &super::write::Logger) -> WriteResult<Vec<Change>> {
    let mut edges = store.edges_touching(r)?;
    for participation in store.edges_in(EdgeKind::Participant, r)? {
        for d in store.edges_in(EdgeKind::Delegation, &participation.from)? {
            if d.props.party.as_ref() == Some(r) {
                edges.push(d);
            }
        }
    }
    let mut seen = HashSet::new();
    let mut changes = Vec::new();
    for e in edges {
        if seen.insert(EdgeId::of(&e)) {
            changes.push(log.edge(Some(&e), None));
            changes.push(Change::DeleteEdge(EdgeId::of(&e)));
        }
    }
    if r.kind == NodeKind::Meeting {
        for f in store.fundings_approved_at(&r.code)? {
            let mut cleared = f.clone();
            cleared.props.approved_at = None;
            changes.push(log.edge(Some(&f), Some(&cleared)));
            changes.push(Change::PutEdge(cleared));
        }
        for code in store.partners_decided_at(&r.code)? {
            let Some(before) = store.get(&NodeRef::new(NodeKind::Partner, code))? else {
                continue;
            };
            let mut after = before.clone();
            if let model::Node::Partner(p) = &mut after {
                for s in &mut p.statuses {
                    if s.decided_at.as_deref() == Some(r.code.as_str()) {
                        s.decided_at = None;
                    }
                }
            }
            changes.push(log.node(Some(&before), Some(&after)));
            changes.push(Change::PutNode(after));
        }
    }
    Ok(changes)
}

async fn delete(ctx: &Context<'_>, kind: NodeKind, code: &str, with_cascade: bool) -> Result<bool> {
    let r = NodeRef::new(kind, code_arg("code", code)?);
    let role = if with_cascade {
        Role::Admin
    } else {
        Role::Editor
    };
    let op = format!("delete{}", kind.type_name());
    write(ctx, role, &op, move |store, log| {
        let before = existing(store, &r)?;
        let mut changes = if with_cascade {
            cascade(store, &r, log)?
        } else {
            vec![]
        };
        changes.push(log.node(Some(&before), None));
        changes.push(Change::DeleteNode(r));
        Ok((changes, true))
    })
    .await
}

macro_rules! pick {
    ($node:expr, $variant:ident) => {
        match $node {
            model::Node::$variant(x) => $variant(x),
            _ => unreachable!("a write of one kind returns that kind"),
        }
    };
}

/// Create, update and delete records. Each needs an editor token (a cascading delete, an
/// admin token), is one transaction, and is durable when it returns.
#[derive(Default)]
pub struct NodeMutation;

/// Create, update and delete records.
#[Object]
impl NodeMutation {
    /// Creates a member state; CONFLICT if the code exists.
    async fn create_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new record.")] input: MemberInput,
    ) -> Result<Member> {
        Ok(pick!(create(ctx, NodeKind::Member, &input).await?, Member))
    }
    /// Changes the given fields of a member state.
    async fn update_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(desc = "The fields to change.")] input: MemberPatch,
    ) -> Result<Member> {
        Ok(pick!(
            update(ctx, NodeKind::Member, &code, &input).await?,
            Member
        ))
    }
    /// Deletes a member state; CONFLICT if anything refers to it, unless `cascade`.
    async fn delete_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(
            desc = "Also delete every relationship that refers to it (admin only).",
            default = false
        )]
        cascade: bool,
    ) -> Result<bool> {
        delete(ctx, NodeKind::Member, &code, cascade).await
    }

    /// Creates a partner; CONFLICT if the code exists.
    async fn create_partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new record.")] input: PartnerInput,
    ) -> Result<Partner> {
        Ok(pick!(
            create(ctx, NodeKind::Partner, &input).await?,
            Partner
        ))
    }
    /// Changes the given fields of a partner.
    async fn update_partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(desc = "The fields to change.")] input: PartnerPatch,
    ) -> Result<Partner> {
        Ok(pick!(
            update(ctx, NodeKind::Partner, &code, &input).await?,
            Partner
        ))
    }
    /// Deletes a partner; CONFLICT if anything refers to it, unless `cascade`.
    async fn delete_partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(
            desc = "Also delete every relationship that refers to it (admin only).",
            default = false
        )]
        cascade: bool,
    ) -> Result<bool> {
        delete(ctx, NodeKind::Partner, &code, cascade).await
    }

    /// Creates a body; CONFLICT if the code exists.
    async fn create_body(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new record.")] input: BodyInput,
    ) -> Result<Body> {
        Ok(pick!(create(ctx, NodeKind::Body, &input).await?, Body))
    }
    /// Changes the given fields of a body.
    async fn update_body(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(desc = "The fields to change.")] input: BodyPatch,
    ) -> Result<Body> {
        Ok(pick!(
            update(ctx, NodeKind::Body, &code, &input).await?,
            Body
        ))
    }
    /// Deletes a body; CONFLICT if anything refers to it, unless `cascade`.
    async fn delete_body(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(
            desc = "Also delete every relationship that refers to it (admin only).",
            default = false
        )]
        cascade: bool,
    ) -> Result<bool> {
        delete(ctx, NodeKind::Body, &code, cascade).await
    }

    /// Creates a meeting; CONFLICT if the code exists.
    async fn create_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new record.")] input: MeetingInput,
    ) -> Result<Meeting> {
        Ok(pick!(
            create(ctx, NodeKind::Meeting, &input).await?,
            Meeting
        ))
    }
    /// Changes the given fields of a meeting.
    async fn update_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(desc = "The fields to change.")] input: MeetingPatch,
    ) -> Result<Meeting> {
        Ok(pick!(
            update(ctx, NodeKind::Meeting, &code, &input).await?,
            Meeting
        ))
    }
    /// Deletes a meeting; CONFLICT if anything refers to it, unless `cascade`.
    async fn delete_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(
            desc = "Also delete every relationship that refers to it (admin only).",
            default = false
        )]
        cascade: bool,
    ) -> Result<bool> {
        delete(ctx, NodeKind::Meeting, &code, cascade).await
    }

    /// Creates an initiative; CONFLICT if the code exists.
    async fn create_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new record.")] input: InitiativeInput,
    ) -> Result<Initiative> {
        Ok(pick!(
            create(ctx, NodeKind::Initiative, &input).await?,
            Initiative
        ))
    }
    /// Changes the given fields of an initiative.
    async fn update_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(desc = "The fields to change.")] input: InitiativePatch,
    ) -> Result<Initiative> {
        Ok(pick!(
            update(ctx, NodeKind::Initiative, &code, &input).await?,
            Initiative
        ))
    }
    /// Deletes an initiative; CONFLICT if anything refers to it, unless `cascade`.
    async fn delete_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(
            desc = "Also delete every relationship that refers to it (admin only).",
            default = false
        )]
        cascade: bool,
    ) -> Result<bool> {
        delete(ctx, NodeKind::Initiative, &code, cascade).await
    }

    /// Creates a person; CONFLICT if the code exists.
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new record.")] input: PersonInput,
    ) -> Result<Person> {
        Ok(pick!(create(ctx, NodeKind::Person, &input).await?, Person))
    }
    /// Changes the given fields of a person.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(desc = "The fields to change.")] input: PersonPatch,
    ) -> Result<Person> {
        Ok(pick!(
            update(ctx, NodeKind::Person, &code, &input).await?,
            Person
        ))
    }
    /// Deletes a person; CONFLICT if anything refers to it, unless `cascade`.
    async fn delete_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(
            desc = "Also delete every relationship that refers to it (admin only).",
            default = false
        )]
        cascade: bool,
    ) -> Result<bool> {
        delete(ctx, NodeKind::Person, &code, cascade).await
    }

    /// Creates a source; CONFLICT if the code exists.
    async fn create_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new record.")] input: SourceInput,
    ) -> Result<Source> {
        Ok(pick!(create(ctx, NodeKind::Source, &input).await?, Source))
    }
    /// Changes the given fields of a source.
    async fn update_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(desc = "The fields to change.")] input: SourcePatch,
    ) -> Result<Source> {
        Ok(pick!(
            update(ctx, NodeKind::Source, &code, &input).await?,
            Source
        ))
    }
    /// Deletes a source; CONFLICT while any record or relationship cites it (cascade removes
    /// relationships, never citations).
    async fn delete_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(
            desc = "Also delete every relationship that refers to it (admin only).",
            default = false
        )]
        cascade: bool,
    ) -> Result<bool> {
        delete(ctx, NodeKind::Source, &code, cascade).await
    }
}
