//! The two subprotocols of `/ws` on the wire: what a client may send (a message enum read
//! from JSON), what the server sends back, and how each protocol ends a connection.
//!
//! - `graphql-transport-ws` (<https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>):
//!   `connection_init`, `ping`/`pong`, `subscribe`, `next`, `error`, `complete`; a protocol
//!   fault closes the socket with a 44xx code.
//! - the legacy `graphql-ws` of subscriptions-transport-ws: `connection_init`, `start`,
//!   `data`, `error`, `stop`, `complete`, `connection_terminate`; a fault is first told in a
//!   `connection_error` message, then the socket closes with the same code as above.

use async_graphql::{Request, Response, ServerError};
use axum::extract::ws::{CloseFrame, Message};
use serde_json::{Value, json};

/// The longest operation id taken: an id is repeated in every message of its operation, and
/// a socket holds one per running operation.
pub const MAX_ID_BYTES: usize = 128;

/// The subprotocol a socket speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `graphql-transport-ws`.
    TransportWs,
    /// The legacy `graphql-ws` (subscriptions-transport-ws).
    Legacy,
}

impl Protocol {
    /// The `Sec-WebSocket-Protocol` names, the server's preference first.
    pub const NAMES: [&str; 2] = ["graphql-transport-ws", "graphql-ws"];

    /// The protocol of a name in [`Protocol::NAMES`].
    pub fn named(name: &[u8]) -> Option<Protocol> {
        match name {
            b"graphql-transport-ws" => Some(Protocol::TransportWs),
            b"graphql-ws" => Some(Protocol::Legacy),
            _ => None,
        }
    }
}

/// What a client message asks for, whatever its protocol calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    ConnectionInit,
    Ping,
    Pong,
    Subscribe,
    Complete,
    Terminate,
}

/// Each protocol's client message types.
const TRANSPORT_WS_TYPES: &[(&str, Kind)] = &[
    ("connection_init", Kind::ConnectionInit),
    ("ping", Kind::Ping),
    ("pong", Kind::Pong),
    ("subscribe", Kind::Subscribe),
    ("complete", Kind::Complete),
];
const LEGACY_TYPES: &[(&str, Kind)] = &[
    ("connection_init", Kind::ConnectionInit),
    ("start", Kind::Subscribe),
    ("stop", Kind::Complete),
    ("connection_terminate", Kind::Terminate),
];

/// A message from the client.
#[derive(Debug)]
pub enum ClientMessage {
    ConnectionInit {
        payload: Value,
    },
    Ping,
    Pong,
    Subscribe {
        id: String,
        request: Box<Request>,
    },
    Complete {
        id: String,
    },
    /// Legacy only: the client is leaving.
    Terminate,
}

impl Protocol {
    /// Reads one client message; `Err` says what is wrong with it (the socket closes 4400).
    pub fn parse(self, bytes: &[u8]) -> Result<ClientMessage, String> {
        let mut message: serde_json::Map<String, Value> =
            serde_json::from_slice(bytes).map_err(|e| format!("not a JSON object: {e}"))?;
        let name = match message.remove("type") {
            Some(Value::String(name)) => name,
            _ => return Err("no \"type\"".into()),
        };
        let types = match self {
            Protocol::TransportWs => TRANSPORT_WS_TYPES,
            Protocol::Legacy => LEGACY_TYPES,
        };
        let Some(&(_, kind)) = types.iter().find(|(n, _)| *n == name) else {
            return Err(format!("unknown message type {:?}", clip(&name, 40)));
        };
        let mut id = || match message.remove("id") {
            Some(Value::String(id)) if id.len() <= MAX_ID_BYTES => Ok(id),
            Some(Value::String(id)) => Err(format!(
                "{name}: an id of {} bytes; ids take at most {MAX_ID_BYTES}",
                id.len()
            )),
            _ => Err(format!("{name}: no string \"id\"")),
        };
        Ok(match kind {
            Kind::ConnectionInit => ClientMessage::ConnectionInit {
                payload: message.remove("payload").unwrap_or(Value::Null),
            },
            Kind::Ping => ClientMessage::Ping,
            Kind::Pong => ClientMessage::Pong,
            Kind::Subscribe => {
                let id = id()?;
                let payload = message.remove("payload").unwrap_or(Value::Null);
                let request = serde_json::from_value(payload)
                    .map_err(|e| format!("{name}: the payload is not a GraphQL request: {e}"))?;
                ClientMessage::Subscribe {
                    id,
                    request: Box::new(request),
                }
            }
            Kind::Complete => ClientMessage::Complete { id: id()? },
            Kind::Terminate => ClientMessage::Terminate,
        })
    }

    /// An answer of operation `id`.
    pub fn next(self, id: &str, response: &Response) -> Message {
        let kind = match self {
            Protocol::TransportWs => "next",
            Protocol::Legacy => "data",
        };
        text(json!({ "id": id, "type": kind, "payload": response }))
    }

    /// Operation `id` was refused before it ran: the payload is the list of its errors. No
    /// `complete` follows (the operation is over).
    pub fn error(self, id: &str, errors: &[ServerError]) -> Message {
        text(json!({ "id": id, "type": "error", "payload": errors }))
    }

    /// Operation `id` is over.
    pub fn complete(self, id: &str) -> Message {
        text(json!({ "id": id, "type": "complete" }))
    }

    pub fn ack(self) -> Message {
        text(json!({ "type": "connection_ack" }))
    }

    pub fn pong(self) -> Message {
        text(json!({ "type": "pong" }))
    }

    /// What ends the connection for `fault`: a close frame, after, in the legacy protocol,
    /// a `connection_error` saying the same with its error code (its clients read that, not
    /// the close code).
    pub fn end(self, fault: &Fault) -> Vec<Message> {
        let close = Message::Close(Some(CloseFrame {
            code: fault.close,
            reason: clip(&fault.reason, MAX_REASON_BYTES).into(),
        }));
        match (self, fault.code) {
            (Protocol::Legacy, Some(code)) => vec![
                text(json!({ "type": "connection_error", "payload": {
                    "message": fault.reason, "extensions": { "code": code } } })),
                close,
            ],
            _ => vec![close],
        }
    }
}

/// Why the server ends a connection: the close code and reason, and the error code of the
/// legacy protocol's `connection_error` (none when the client did nothing wrong).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub close: u16,
    pub reason: String,
    pub code: Option<&'static str>,
}

/// RFC 6455 §5.5: a control frame's payload is at most 125 bytes, 2 of them the code.
pub const MAX_REASON_BYTES: usize = 123;

/// `text` cut to at most `max` bytes at a character boundary, with `…` when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let ellipsis = '…';
    let mut end = max - ellipsis.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{ellipsis}", &text[..end])
}

fn text(value: Value) -> Message {
    Message::Text(value.to_string().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_cut_to_fit_a_close_frame_at_a_character_boundary() {
        let long = "é".repeat(100);
        let cut = clip(&long, MAX_REASON_BYTES);
        assert!(cut.len() <= MAX_REASON_BYTES, "{}", cut.len());
        assert!(cut.ends_with('…'));
        assert_eq!(clip("short", MAX_REASON_BYTES), "short");
    }

    #[test]
    fn each_protocol_reads_only_its_own_message_types() {
        let start = br#"{"type":"start","id":"1","payload":{"query":"{ a }"}}"#;
        assert!(matches!(
            Protocol::Legacy.parse(start),
            Ok(ClientMessage::Subscribe { .. })
        ));
        let refused = Protocol::TransportWs.parse(start).unwrap_err();
        assert_eq!(refused, "unknown message type \"start\"");
        for (bytes, says) in [
            (&b"[1]"[..], "not a JSON object"),
            (br#"{"id":"1"}"#, "no \"type\""),
            (
                br#"{"type":"subscribe","payload":{}}"#,
                "subscribe: no string \"id\"",
            ),
            (
                br#"{"type":"subscribe","id":"1","payload":{"query":1}}"#,
                "subscribe: the payload is not a GraphQL request",
            ),
        ] {
            let e = Protocol::TransportWs.parse(bytes).unwrap_err();
            assert!(e.starts_with(says), "{e}");
        }
    }
}
