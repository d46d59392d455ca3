//! `/ws`: GraphQL over WebSocket, both the graphql-transport-ws and the legacy graphql-ws
//! subprotocols. The token, where needed, comes in the connection_init payload
//! (`{"Authorization": "Bearer <secret>"}`).

use super::AppState;
use async_graphql::Data;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;

pub async fn upgrade(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let access = std::sync::Arc::clone(&state.config.graphql.access);
    let metrics = std::sync::Arc::clone(&state.metrics);
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| async move {
            use std::sync::atomic::Ordering;
            metrics.subscriptions.fetch_add(1, Ordering::Relaxed);
            GraphQLWebSocket::new(stream, state.schema.clone(), protocol)
                .on_connection_init(move |payload| async move {
                    let authorization = ["Authorization", "authorization"]
                        .iter()
                        .find_map(|k| payload.get(k).and_then(|v| v.as_str()))
                        .map(str::to_owned);
                    let caller = access.tokens.identify(authorization.as_deref());
                    access
                        .check_read(&caller)
                        .map_err(|(_, message)| async_graphql::Error::new(message))?;
                    let mut data = Data::default();
                    data.insert(caller);
                    Ok(data)
                })
                .serve()
                .await;
            metrics.subscriptions.fetch_sub(1, Ordering::Relaxed);
        })
}
