//! Mutations of what a record holds in itself: a partner's statuses, an initiative's or a
//! meeting's figures, any record's claims and cited sources.

use super::links::{id_arg, sources_arg};
use super::write::{WriteError, WriteResult, existing, write};
use crate::graphql::auth::Role;
use crate::graphql::codes::code_arg;
use crate::graphql::enums::{PartnerKind, Precision, Qualifier, StatusStage};
use crate::graphql::error::{NOT_FOUND, bad_input, coded};
use crate::graphql::scalars::Date;
use crate::graphql::types::{Initiative, Meeting, Node, Partner};
use crate::model::{self, NodeKind, NodeRef};
use crate::store::Change;
use async_graphql::{Context, ID, InputObject, Object, Result};

async fn add_figure(
    ctx: &Context<'_>,
    r: NodeRef,
    operation: &'static str,
    input: FigureInput,
) -> Result<model::Node> {
    let figure = model::Figure {
        label: input.label,
        value: input.value,
        qualifier: input.qualifier.map(Into::into),
        unit: input.unit,
        as_of: input.as_of.map(|d| d.0),
        source: code_arg("input.source", &input.source)?,
        note: input.note,
    };
    modify(ctx, r, operation, move |node| {
        if let Some(figures) = node.figures_mut() {
            figures.push(figure);
        }
        Ok(())
    })
    .await
}

async fn remove_figure(
    ctx: &Context<'_>,
    r: NodeRef,
    operation: &'static str,
    label: String,
    as_of: Option<Date>,
) -> Result<model::Node> {
    modify(ctx, r.clone(), operation, move |node| {
        if let Some(figures) = node.figures_mut() {
            let before = figures.len();
            figures.retain(|f| !(f.label == label && as_of.is_none_or(|d| f.as_of == Some(d.0))));
            if figures.len() == before {
                return Err(not_found(format!("{r} has no figure {label:?}")));
            }
        }
        Ok(())
    })
    .await
}

/// A status a partner held.
#[derive(InputObject)]
pub struct PartnerStatusInput {
    /// The status.
    pub kind: PartnerKind,
    /// How far it had gone (applied for, decided, conferred).
    #[graphql(default_with = "StatusStage::Conferred")]
    pub stage: StatusStage,
    /// Its first day.
    pub from: Date,
    /// How precisely `from` is known.
    #[graphql(default_with = "Precision::Day")]
    pub from_precision: Precision,
    /// Its last day; omit while it holds.
    pub to: Option<Date>,
    /// The code of the meeting at which it was decided or conferred, where a source names it.
    pub decided_at: Option<String>,
    /// A remark, in your own words.
    pub note: Option<String>,
    /// Codes of the sources that report it (at least one).
    pub sources: Vec<String>,
}

/// A figure about an initiative or a meeting.
#[derive(InputObject)]
pub struct FigureInput {
    /// What it counts or measures.
    pub label: String,
    /// The value.
    pub value: f64,
    /// How the source qualifies it ("nearly"); omit for a value given plainly.
    pub qualifier: Option<Qualifier>,
    /// Its unit, if any.
    pub unit: Option<String>,
    /// The date it describes.
    pub as_of: Option<Date>,
    /// Code of the source that reports it.
    pub source: String,
    /// A remark, in your own words.
    pub note: Option<String>,
}

/// One source's value for a field where sources disagree.
#[derive(InputObject)]
pub struct ClaimInput {
    /// The field the claim is about.
    pub field: String,
    /// The value the source gives.
    pub value: String,
    /// Code of the source.
    pub source: String,
    /// A remark, in your own words.
    pub note: Option<String>,
}

/// Reads `r`, changes it with `edit`, writes it back with a log entry.
async fn modify(
    ctx: &Context<'_>,
    r: NodeRef,
    op: &str,
    edit: impl FnOnce(&mut model::Node) -> WriteResult<()> + Send + 'static,
) -> Result<model::Node> {
    write(ctx, Role::Editor, op, move |store, log| {
        let before = existing(store, &r)?;
        let mut after = before.clone();
        edit(&mut after)?;
        Ok((
            vec![
                log.node(Some(&before), Some(&after)),
                Change::PutNode(after.clone()),
            ],
            after,
        ))
    })
    .await
}

fn not_found(what: String) -> WriteError {
    WriteError::Client(coded(NOT_FOUND, what))
}

fn claims_of(node: &mut model::Node) -> Option<&mut Vec<model::Claim>> {
    match node {
        model::Node::Member(n) => Some(&mut n.claims),
        model::Node::Partner(n) => Some(&mut n.claims),
        model::Node::Body(n) => Some(&mut n.claims),
        model::Node::Meeting(n) => Some(&mut n.claims),
        model::Node::Initiative(n) => Some(&mut n.claims),
        model::Node::Person(n) => Some(&mut n.claims),
        model::Node::Source(_) => None,
    }
}

fn sources_of(node: &mut model::Node) -> Option<&mut Vec<String>> {
    match node {
        model::Node::Member(n) => Some(&mut n.sources),
        model::Node::Partner(n) => Some(&mut n.sources),
        model::Node::Body(n) => Some(&mut n.sources),
        model::Node::Meeting(n) => Some(&mut n.sources),
        model::Node::Initiative(n) => Some(&mut n.sources),
        model::Node::Person(n) => Some(&mut n.sources),
        model::Node::Source(_) => None,
    }
}

const CITING: [NodeKind; 6] = [
    NodeKind::Member,
    NodeKind::Partner,
    NodeKind::Body,
    NodeKind::Meeting,
    NodeKind::Initiative,
    NodeKind::Person,
];

/// Change what records hold in themselves. Each needs an editor token.
#[derive(Default)]
pub struct AttributeMutation;

/// Change what records hold in themselves.
#[Object]
impl AttributeMutation {
    /// Adds a status to a partner's history (statuses may not overlap).
    async fn add_partner_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The partner's code.")] partner: String,
        #[graphql(desc = "The status.")] input: PartnerStatusInput,
    ) -> Result<Partner> {
        let r = NodeRef::new(NodeKind::Partner, code_arg("partner", &partner)?);
        let status = model::PartnerStatus {
            kind: input.kind.into(),
            stage: input.stage.into(),
            from: input.from.0,
            from_precision: input.from_precision.into(),
            to: input.to.map(|d| d.0),
            decided_at: input
                .decided_at
                .map(|m| code_arg("input.decidedAt", &m))
                .transpose()?,
            sources: sources_arg(&input.sources)?,
            note: input.note,
        };
        let node = modify(ctx, r, "addPartnerStatus", move |node| {
            if let model::Node::Partner(p) = node {
                p.statuses.push(status);
                p.statuses.sort_by_key(|s| s.from);
            }
            Ok(())
        })
        .await?;
        match node {
            model::Node::Partner(p) => Ok(Partner(p)),
            _ => Err(bad_input("not a partner")),
        }
    }

    /// Removes the status starting on `from` from a partner's history.
    async fn remove_partner_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The partner's code.")] partner: String,
        #[graphql(desc = "The first day of the status to remove.")] from: Date,
    ) -> Result<Partner> {
        let r = NodeRef::new(NodeKind::Partner, code_arg("partner", &partner)?);
        let node = modify(ctx, r.clone(), "removePartnerStatus", move |node| {
            if let model::Node::Partner(p) = node {
                let before = p.statuses.len();
                p.statuses.retain(|s| s.from != from.0);
                if p.statuses.len() == before {
                    return Err(not_found(format!("{r} has no status from {}", from.0)));
                }
            }
            Ok(())
        })
        .await?;
        match node {
            model::Node::Partner(p) => Ok(Partner(p)),
            _ => Err(bad_input("not a partner")),
        }
    }

    /// Adds a figure to an initiative.
    async fn add_figure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The initiative's code.")] initiative: String,
        #[graphql(desc = "The figure.")] input: FigureInput,
    ) -> Result<Initiative> {
        let r = NodeRef::new(NodeKind::Initiative, code_arg("initiative", &initiative)?);
        match add_figure(ctx, r, "addFigure", input).await? {
            model::Node::Initiative(i) => Ok(Initiative(i)),
            _ => Err(bad_input("not an initiative")),
        }
    }

    /// Removes the figures with this label (and date, if given) from an initiative.
    async fn remove_figure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The initiative's code.")] initiative: String,
        #[graphql(desc = "The figure's label.")] label: String,
        #[graphql(desc = "Only the figure of this date.")] as_of: Option<Date>,
    ) -> Result<Initiative> {
        let r = NodeRef::new(NodeKind::Initiative, code_arg("initiative", &initiative)?);
        match remove_figure(ctx, r, "removeFigure", label, as_of).await? {
            model::Node::Initiative(i) => Ok(Initiative(i)),
            _ => Err(bad_input("not an initiative")),
        }
    }

    /// Adds a figure to a meeting (delegates, summits held, documents before it).
    async fn add_meeting_figure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's code.")] meeting: String,
        #[graphql(desc = "The figure.")] input: FigureInput,
    ) -> Result<Meeting> {
        let r = NodeRef::new(NodeKind::Meeting, code_arg("meeting", &meeting)?);
        match add_figure(ctx, r, "addMeetingFigure", input).await? {
            model::Node::Meeting(m) => Ok(Meeting(m)),
            _ => Err(bad_input("not a meeting")),
        }
    }

    /// Removes the figures with this label (and date, if given) from a meeting.
    async fn remove_meeting_figure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's code.")] meeting: String,
        #[graphql(desc = "The figure's label.")] label: String,
        #[graphql(desc = "Only the figure of this date.")] as_of: Option<Date>,
    ) -> Result<Meeting> {
        let r = NodeRef::new(NodeKind::Meeting, code_arg("meeting", &meeting)?);
        match remove_figure(ctx, r, "removeMeetingFigure", label, as_of).await? {
            model::Node::Meeting(m) => Ok(Meeting(m)),
            _ => Err(bad_input("not a meeting")),
        }
    }

    /// Records a source's claim about a field of any record (not a source).
    async fn add_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the record.")] id: ID,
        #[graphql(desc = "The claim.")] input: ClaimInput,
    ) -> Result<Node> {
        let r = id_arg("id", &id, &CITING)?;
        let claim = model::Claim {
            field: input.field,
            value: input.value,
            source: code_arg("input.source", &input.source)?,
            note: input.note,
        };
        let node = modify(ctx, r, "addClaim", move |node| {
            if let Some(claims) = claims_of(node) {
                claims.push(claim);
            }
            Ok(())
        })
        .await?;
        Ok(Node::from(node))
    }

    /// Removes a source's claims about a field of a record.
    async fn remove_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the record.")] id: ID,
        #[graphql(desc = "The field the claim is about.")] field: String,
        #[graphql(desc = "Code of the source making it.")] source: String,
    ) -> Result<Node> {
        let r = id_arg("id", &id, &CITING)?;
        let source = code_arg("source", &source)?;
        let node = modify(ctx, r.clone(), "removeClaim", move |node| {
            if let Some(claims) = claims_of(node) {
                let before = claims.len();
                claims.retain(|c| !(c.field == field && c.source == source));
                if claims.len() == before {
                    return Err(not_found(format!(
                        "{r} has no claim of {source} about {field:?}"
                    )));
                }
            }
            Ok(())
        })
        .await?;
        Ok(Node::from(node))
    }

    /// Adds a source to a record's citations.
    async fn add_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the record (not a source).")] id: ID,
        #[graphql(desc = "Code of the source to cite.")] source: String,
    ) -> Result<Node> {
        let r = id_arg("id", &id, &CITING)?;
        let source = code_arg("source", &source)?;
        let node = modify(ctx, r, "addSource", move |node| {
            if let Some(sources) = sources_of(node)
                && !sources.contains(&source)
            {
                sources.push(source);
            }
            Ok(())
        })
        .await?;
        Ok(Node::from(node))
    }

    /// Removes a source from a record's citations (a record keeps at least one).
    async fn remove_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the record (not a source).")] id: ID,
        #[graphql(desc = "Code of the source to drop.")] source: String,
    ) -> Result<Node> {
        let r = id_arg("id", &id, &CITING)?;
        let source = code_arg("source", &source)?;
        let node = modify(ctx, r.clone(), "removeSource", move |node| {
            if let Some(sources) = sources_of(node) {
                let before = sources.len();
                sources.retain(|s| *s != source);
                if sources.len() == before {
                    return Err(not_found(format!("{r} does not cite {source}")));
                }
            }
            Ok(())
        })
        .await?;
        Ok(Node::from(node))
    }
}
