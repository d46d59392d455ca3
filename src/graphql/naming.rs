//! The name of the operation a request runs, where the request gives none but its document
//! holds one named operation (`query MemberNames { … }` posted without `operationName`):
//! logs and metrics name it as its trace span does. It is read from the document the schema
//! parses, in this extension's `parse_query` hook, never by parsing again, and handed to the
//! server in the response's `http_headers` under [`OPERATION_NAME_HEADER`].

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerResult, Variables};
use std::sync::{Arc, OnceLock};

/// The header of a response's `http_headers` that holds the document's operation name.
pub const OPERATION_NAME_HEADER: &str = "x-asean-graph-operation-name";

/// Installs [`Naming`] on every request.
pub struct OperationNaming;

impl ExtensionFactory for OperationNaming {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Naming::default())
    }
}

/// One request's naming: the name its document gives its only operation, once parsed.
#[derive(Default)]
struct Naming {
    name: OnceLock<String>,
}

#[async_trait::async_trait]
impl Extension for Naming {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        if let Some(value) = self
            .name
            .get()
            .and_then(|name| http::HeaderValue::from_str(name).ok())
        {
            response.http_headers.insert(OPERATION_NAME_HEADER, value);
        }
        response
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        // With no name asked, what runs is the document's only operation, named or not.
        if let Some((_, Some(name))) = super::trace::runs(&doc, None) {
            let _ = self.name.set(name);
        }
        Ok(doc)
    }
}
