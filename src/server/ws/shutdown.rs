//! Telling every open socket that the server is stopping, and waiting until they have said
//! goodbye (close 1001) before the process exits.

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The open sockets, as the server's shutdown sees them. Each socket holds a receiver;
/// they are all gone once every socket has ended.
#[derive(Clone, Debug)]
pub struct Sockets(Arc<watch::Sender<bool>>);

impl Default for Sockets {
    fn default() -> Sockets {
        Sockets(Arc::new(watch::Sender::new(false)))
    }
}

impl Sockets {
    /// What a new socket watches: it says goodbye when this turns true.
    pub fn going_away(&self) -> watch::Receiver<bool> {
        self.0.subscribe()
    }

    /// Asks every socket, open now or opened later, to close.
    pub fn close_all(&self) {
        self.0.send_replace(true);
    }

    /// Waits until every socket has ended, at most `wait`; false if some had not.
    pub async fn closed_within(&self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.0.closed()).await.is_ok()
    }

    /// How many sockets are open.
    pub fn open(&self) -> usize {
        self.0.receiver_count()
    }
}
