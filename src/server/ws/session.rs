//! One socket's state machine: waiting for `connection_init`, then running operations until
//! either side ends the connection. Every way it can end is a [`Fault`] with its close code
//! (graphql-transport-ws's codes, used by both subprotocols):
//!
//! | code | when |
//! | --- | --- |
//! | 1000 | the client sent (legacy) `connection_terminate` |
//! | 1001 | the server is shutting down |
//! | 1007 | a text message that is not UTF-8 |
//! | 1009 | a message larger than the limit |
//! | 4400 | a message that is not one of the protocol's |
//! | 4401 | `subscribe` before the connection was acknowledged |
//! | 4403 | `connection_init` without a token where reads need one |
//! | 4408 | no `connection_init` within [`INIT_TIMEOUT`] |
//! | 4409 | `subscribe` with the id of an operation still running |
//! | 4429 | a second `connection_init` |

use super::protocol::{ClientMessage, Fault, Protocol, clip};
use super::runner::{Outcome, Runner};
use crate::graphql::error::{self, BAD_USER_INPUT, RATE_LIMITED};
use crate::graphql::{Access, auth::init_payload_authorization};
use async_graphql::{Data, Executor};
use axum::extract::ws::{Message, WebSocket};
use futures_util::stream::{self, AbortHandle, BoxStream, SelectAll, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How long a new socket may take to send `connection_init`.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the server waits for the client's answer to its close frame.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// The limits of one socket.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest message the client may send, in bytes.
    pub max_message_bytes: usize,
    /// The most operations running at once; one more is refused with `RATE_LIMITED`.
    pub max_operations: usize,
}

/// One message of a running operation, or its end (`outcome: None`). `generation` tells
/// an operation from an earlier one that had the same id.
struct Event {
    id: String,
    generation: u64,
    outcome: Option<Outcome>,
}

/// What to do after a client message.
enum Flow {
    Reply(Option<Message>),
    End(Fault),
}

pub struct Session<E> {
    protocol: Protocol,
    runner: Runner<E>,
    access: Arc<Access>,
    limits: Limits,
    /// What every operation runs with (the caller), once `connection_init` was accepted.
    data: Option<Arc<Data>>,
    /// Running operations by id: their generation, and the handle that stops them.
    running: HashMap<String, (u64, AbortHandle)>,
    generations: u64,
    events: SelectAll<BoxStream<'static, Event>>,
}

impl<E: Executor> Session<E> {
    pub fn new(protocol: Protocol, runner: Runner<E>, access: Arc<Access>, limits: Limits) -> Self {
        Session {
            protocol,
            runner,
            access,
            limits,
            data: None,
            running: HashMap::new(),
            generations: 0,
            events: SelectAll::new(),
        }
    }

    /// Serves `socket` until the client leaves, a fault ends it, or `going_away` turns true
    /// (or its sender is dropped): then the client gets close 1001.
    pub async fn serve(mut self, mut socket: WebSocket, mut going_away: watch::Receiver<bool>) {
        let init_deadline = tokio::time::Instant::now() + INIT_TIMEOUT;
        let fault = loop {
            let reply = tokio::select! {
                biased;
                () = stopping(&mut going_away) => break Some(Fault {
                    close: 1001,
                    reason: "the server is shutting down".into(),
                    code: None,
                }),
                () = tokio::time::sleep_until(init_deadline), if self.data.is_none() => {
                    break Some(fault(4408, "Connection initialisation timeout", None));
                }
                message = socket.recv() => match message {
                    Some(Ok(Message::Text(text))) => self.on_message(text.as_bytes()),
                    Some(Ok(Message::Binary(bytes))) => self.on_message(&bytes),
                    // The library answers a close frame itself, sending the answer on the next
                    // read, which then ends the stream.
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Close(_))) => {
                        Flow::Reply(None)
                    }
                    None => break None,
                    Some(Err(e)) => {
                        if let Some(fault) = read_fault(&e, self.limits.max_message_bytes) {
                            linger(&mut socket, self.protocol.end(&fault)).await;
                        }
                        return;
                    }
                },
                Some(event) = self.events.next(), if !self.events.is_empty() => {
                    Flow::Reply(self.on_event(event))
                }
            };
            match reply {
                Flow::Reply(Some(message)) => {
                    if socket.send(message).await.is_err() {
                        return;
                    }
                }
                Flow::Reply(None) => {}
                Flow::End(fault) => break Some(fault),
            }
        };
        for (_, stop) in self.running.values() {
            stop.abort();
        }
        if let Some(fault) = fault {
            for m in self.protocol.end(&fault) {
                if socket.send(m).await.is_err() {
                    return;
                }
            }
            // The client answers with its own close frame, then the connection ends.
            let _ = tokio::time::timeout(CLOSE_WAIT, async {
                while let Some(Ok(_)) = socket.recv().await {}
            })
            .await;
        }
    }

    fn on_message(&mut self, bytes: &[u8]) -> Flow {
        let message = match self.protocol.parse(bytes) {
            Ok(message) => message,
            Err(what) => return Flow::End(fault(4400, &what, Some(BAD_USER_INPUT))),
        };
        match message {
            ClientMessage::ConnectionInit { .. } if self.data.is_some() => Flow::End(fault(
                4429,
                "Too many initialisation requests",
                Some(BAD_USER_INPUT),
            )),
            ClientMessage::ConnectionInit { payload } => self.init(&payload),
            ClientMessage::Ping => Flow::Reply(Some(self.protocol.pong())),
            ClientMessage::Pong => Flow::Reply(None),
            ClientMessage::Subscribe { id, request } => self.subscribe(id, *request),
            ClientMessage::Complete { id } => {
                let Some((_, stop)) = self.running.remove(&id) else {
                    return Flow::Reply(None);
                };
                stop.abort();
                Flow::Reply(Some(self.protocol.complete(&id)))
            }
            ClientMessage::Terminate => Flow::End(fault(1000, "connection_terminate", None)),
        }
    }

    /// Accepts `connection_init` whose payload holds the token (`Authorization`, in any case;
    /// at most one), if reads need none or it is valid.
    fn init(&mut self, payload: &serde_json::Value) -> Flow {
        let authorization = init_payload_authorization(payload);
        let caller = match self.access.tokens.identify(&authorization) {
            Ok(caller) => caller,
            Err(message) => {
                return Flow::End(fault(
                    4400,
                    &format!("Bad request: {message}"),
                    Some(BAD_USER_INPUT),
                ));
            }
        };
        if let Err((code, message)) = self.access.check_read(&caller) {
            return Flow::End(fault(4403, &format!("Forbidden: {message}"), Some(code)));
        }
        let mut data = Data::default();
        data.insert(caller);
        self.data = Some(Arc::new(data));
        Flow::Reply(Some(self.protocol.ack()))
    }

    fn subscribe(&mut self, id: String, request: async_graphql::Request) -> Flow {
        let Some(data) = self.data.clone() else {
            return Flow::End(fault(4401, "Unauthorized", Some(error::UNAUTHENTICATED)));
        };
        if self.running.contains_key(&id) {
            let reason = format!("Subscriber for {} already exists", clip(&id, 64));
            return Flow::End(fault(4409, &reason, Some(BAD_USER_INPUT)));
        }
        if self.running.len() >= self.limits.max_operations {
            self.runner.metrics.refuse("subscriptions_per_socket");
            let e = error::coded(
                RATE_LIMITED,
                format!(
                    "this socket already runs {} operations, the most it may: complete one \
                     before starting another",
                    self.running.len()
                ),
            );
            let mut refusal = e.into_server_error(Default::default());
            // Not a fault of the document: no place in it to point at.
            refusal.locations.clear();
            return Flow::Reply(Some(self.protocol.error(&id, &[refusal])));
        }
        self.generations += 1;
        let generation = self.generations;
        let (outcomes, stop) = stream::abortable(self.runner.run(request, data));
        self.running.insert(id.clone(), (generation, stop));
        let end = Event {
            id: id.clone(),
            generation,
            outcome: None,
        };
        let events = outcomes
            .map(move |outcome| Event {
                id: id.clone(),
                generation,
                outcome: Some(outcome),
            })
            .chain(stream::once(async move { end }));
        self.events.push(events.boxed());
        Flow::Reply(None)
    }

    /// The message for an event of a running operation; nothing for one that was stopped.
    fn on_event(&mut self, event: Event) -> Option<Message> {
        let current = self.running.get(&event.id).map(|(g, _)| *g) == Some(event.generation);
        if !current {
            return None;
        }
        match event.outcome {
            Some(Outcome::Next(response)) => Some(self.protocol.next(&event.id, &response)),
            Some(Outcome::Refused(errors)) => {
                self.running.remove(&event.id);
                Some(self.protocol.error(&event.id, &errors))
            }
            None => {
                self.running.remove(&event.id);
                Some(self.protocol.complete(&event.id))
            }
        }
    }
}

/// Sends the messages that end the connection after an oversized message, then keeps the
/// connection open for [`CLOSE_WAIT`] without reading: nothing more can be read, since the
/// rest of that message is still arriving, and closing a socket with unread data resets
/// it at once, which may discard the close frame before it was sent.
async fn linger(socket: &mut WebSocket, ending: Vec<Message>) {
    for m in ending {
        if socket.send(m).await.is_err() {
            return;
        }
    }
    tokio::time::sleep(CLOSE_WAIT).await;
}

/// Completes when the server is stopping (or gone).
async fn stopping(going_away: &mut watch::Receiver<bool>) {
    let _ = going_away.wait_for(|stop| *stop).await;
}

fn fault(close: u16, reason: &str, code: Option<&'static str>) -> Fault {
    Fault {
        close,
        reason: reason.to_owned(),
        code,
    }
}

/// The fault for a read error the client caused: a message over the limit (1009), or a
/// text message that is not UTF-8 (1007). Other read errors end the socket silently.
fn read_fault(e: &axum::Error, limit: usize) -> Option<Fault> {
    use tungstenite::Error;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        match s.downcast_ref::<Error>() {
            Some(Error::Capacity(_)) => {
                return Some(fault(
                    1009,
                    &format!("message too big: the most a message may hold is {limit} bytes"),
                    Some(BAD_USER_INPUT),
                ));
            }
            Some(Error::Utf8(_)) => {
                return Some(fault(
                    1007,
                    "a text message that is not UTF-8",
                    Some(BAD_USER_INPUT),
                ));
            }
            _ => {}
        }
        source = s.source();
    }
    None
}
