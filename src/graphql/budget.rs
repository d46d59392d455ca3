//! One request's budget: how long it may run, how many reads of the store it may make, and
//! how large its answer may grow. An HTTP request holds one budget, whatever the number of
//! queries its batch holds, and so do the operations one `/ws` socket runs at once: ten
//! queries in one batch get what one query gets, not ten times as much.
//!
//! The server makes the budget of each HTTP request ([`Budget::new`]) and gives it to every
//! query of the batch as request data; a socket gives its operations a [`Joint`], through
//! which those running at the same time share one. A request given neither (the CLI's
//! `query`, a schema run in a test) gets a budget of its own.

use super::limits::Limits;
use crate::store::Reads;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// What one request may still spend, shared by every query it runs.
#[derive(Debug)]
pub struct Budget {
    /// When the request began.
    started: Instant,
    /// Reads of the store left to its counts, filters, aggregates and searches.
    pub reads: Arc<Reads>,
    /// Bytes of answer resolved so far, about, by all its queries.
    answer_bytes: AtomicUsize,
    /// The time limit has passed: every field still to run fails at once.
    stopped: AtomicBool,
    /// The answer outgrew the limit: every field still to run fails at once.
    too_large: AtomicBool,
    /// Fields resolved so far, for reading the clock every so many.
    resolved: AtomicUsize,
    /// The request has run for [`LONG`].
    long: AtomicBool,
}

/// Set once a request's write has begun. The write then runs on a blocking thread to its end,
/// whether or not anyone waits for it: whoever enforces a time limit on the request (the
/// server's per-request timeout) must then wait for the answer and send it, since a client
/// told that a committed write failed may send it again. The server puts one in each HTTP
/// request's data; a mutation marks it ([`WriteBegun::mark`]) before its transaction starts.
#[derive(Clone, Debug, Default)]
pub struct WriteBegun(Arc<AtomicBool>);

impl WriteBegun {
    /// Records that a write has begun.
    pub fn mark(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a write of the request has begun.
    pub fn began(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// The clock is read once every this many fields.
const CLOCK_EVERY: usize = 16;

/// How long a request runs on a worker of the runtime before its queries go on in place of
/// it: resolvers read the store synchronously, so a query holds its thread until it ends,
/// and the tasks waiting on that worker (accepting connections, `/health`, other clients'
/// requests) would wait with it. Past this, the limits' extension runs the query on as
/// blocking code ([`tokio::task::block_in_place`]) while another thread takes the
/// worker's tasks. Most queries end well before it, and pay nothing for the hand-over.
pub const LONG: Duration = Duration::from_millis(20);

impl Budget {
    /// A new request's budget under `limits`, its clock started now.
    pub fn new(limits: &Limits) -> Arc<Budget> {
        Arc::new(Budget {
            started: Instant::now(),
            reads: Arc::new(Reads::new(limits.max_filter_reads)),
            answer_bytes: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
            too_large: AtomicBool::new(false),
            resolved: AtomicUsize::new(0),
            long: AtomicBool::new(false),
        })
    }

    /// Counts a field, and reads the clock at every `root` field (an alias of a query can
    /// be one long count) and every [`CLOCK_EVERY`] fields: whether the request has run past
    /// `limit` (once past, always past).
    pub fn past(&self, limit: Option<Duration>, root: bool) -> bool {
        if self.resolved.fetch_add(1, Ordering::Relaxed) % CLOCK_EVERY == 0 || root {
            let elapsed = self.started.elapsed();
            if elapsed > LONG {
                self.long.store(true, Ordering::Relaxed);
            }
            if limit.is_some_and(|limit| elapsed > limit) {
                self.stopped.store(true, Ordering::Relaxed);
            }
        }
        self.stopped.load(Ordering::Relaxed)
    }

    /// Whether the request has run for [`LONG`] (as the clock last read it).
    pub fn long(&self) -> bool {
        self.long.load(Ordering::Relaxed)
    }

    /// Whether the answer has outgrown its limit.
    pub fn too_large(&self) -> bool {
        self.too_large.load(Ordering::Relaxed)
    }

    /// Adds `bytes` to the answer; `false` (and too large from now on) once the answer
    /// holds more than `limit`.
    pub fn answer(&self, bytes: usize, limit: usize) -> bool {
        let total = self.answer_bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if total > limit {
            self.too_large.store(true, Ordering::Relaxed);
            return false;
        }
        true
    }
}

/// The budget of the operations one socket runs at once: an operation that starts while
/// others run shares theirs; once none runs, the next starts a new one. Subscriptions,
/// which live as long as their socket, keep budgets of their own.
#[derive(Debug, Default)]
pub struct Joint(Mutex<Weak<Budget>>);

impl Joint {
    /// The budget of the operations running now, or a new one if none runs.
    pub fn join(&self, limits: &Limits) -> Arc<Budget> {
        let mut current = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(budget) = current.upgrade() {
            return budget;
        }
        let budget = Budget::new(limits);
        *current = Arc::downgrade(&budget);
        budget
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_running_at_once_share_a_budget_and_the_next_alone_gets_a_new_one() {
        let limits = Limits::default();
        let joint = Joint::default();
        let a = joint.join(&limits);
        let b = joint.join(&limits);
        assert!(Arc::ptr_eq(&a, &b));
        drop((a, b));
        let c = joint.join(&limits);
        c.reads.spend(5, "count").unwrap();
        assert_eq!(c.reads.left(), limits.max_filter_reads - 5);
        drop(c);
        assert_eq!(joint.join(&limits).reads.left(), limits.max_filter_reads);
    }

    #[test]
    fn an_answer_past_its_limit_stays_too_large() {
        let budget = Budget::new(&Limits::default());
        assert!(budget.answer(10, 15));
        assert!(!budget.too_large());
        assert!(!budget.answer(10, 15));
        assert!(budget.too_large());
    }
}
