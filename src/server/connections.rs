//! How many TCP connections the server holds: at most so many in all and so many per client
//! address, so that one client cannot take every file descriptor (an outside test held
//! 19,980 idle connections to a server without these caps).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// The open connections, counted in all and by client address.
#[derive(Debug)]
pub struct Connections {
    max_total: usize,
    max_per_client: usize,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    by_client: HashMap<IpAddr, usize>,
}

/// Which cap a connection was over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverCap {
    Total,
    PerClient,
}

/// One admitted connection; dropping it frees its place.
#[derive(Debug)]
pub struct Admitted {
    connections: Arc<Connections>,
    client: IpAddr,
}

impl Connections {
    /// At most `max_total` connections, `max_per_client` of them from one address; 0 turns
    /// a cap off.
    pub fn new(max_total: usize, max_per_client: usize) -> Arc<Connections> {
        Arc::new(Connections {
            max_total,
            max_per_client,
            open: Mutex::new(Open::default()),
        })
    }

    /// How many connections are open (admitted and not yet closed), upgraded ones included.
    pub fn open(&self) -> usize {
        self.open.lock().unwrap_or_else(|p| p.into_inner()).total
    }

    /// A place for a new connection from `client`, unless it would pass a cap.
    pub fn admit(self: &Arc<Self>, client: IpAddr) -> Result<Admitted, OverCap> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if self.max_total > 0 && open.total >= self.max_total {
            return Err(OverCap::Total);
        }
        let from_client = open.by_client.get(&client).copied().unwrap_or(0);
        if self.max_per_client > 0 && from_client >= self.max_per_client {
            return Err(OverCap::PerClient);
        }
        open.total += 1;
        open.by_client.insert(client, from_client + 1);
        Ok(Admitted {
            connections: Arc::clone(self),
            client,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self
            .connections
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(n) = open.by_client.get_mut(&self.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.by_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn a_client_gets_its_share_and_no_more() {
        let connections = Connections::new(10, 2);
        let first = connections.admit(A).unwrap();
        let _second = connections.admit(A).unwrap();
        assert_eq!(connections.admit(A).unwrap_err(), OverCap::PerClient);
        assert!(
            connections.admit(B).is_ok(),
            "another client is not affected"
        );
        drop(first);
        assert!(
            connections.admit(A).is_ok(),
            "a closed connection frees its place"
        );
    }

    #[test]
    fn the_total_caps_all_clients_together() {
        let connections = Connections::new(2, 0);
        let held = [connections.admit(A).unwrap(), connections.admit(B).unwrap()];
        assert_eq!(connections.admit(A).unwrap_err(), OverCap::Total);
        assert_eq!(connections.open.lock().unwrap().total, 2);
        drop(held);
        assert_eq!(connections.open.lock().unwrap().total, 0);
        assert!(connections.open.lock().unwrap().by_client.is_empty());
    }
}
