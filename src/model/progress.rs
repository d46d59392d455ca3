//! How long work (import, export, check, generate) tells whoever watches how far it is,
//! without knowing who watches: the command line draws a bar on a terminal, everything else
//! passes [`Quiet`].

/// Work in phases, each with a known amount of units, reported as it is done. Totals are
/// estimates where the work is on a store that may be damaged (`check`): a phase may do more
/// or fewer units than it announced.
pub trait Progress: Sync {
    /// A new phase begins: `what` it does ("writing"), `total` units of it, called `unit`
    /// ("entries"). It ends where the next begins, or the work ends.
    fn phase(&self, what: &'static str, total: u64, unit: &'static str);
    /// `n` more units of the current phase are done.
    fn advance(&self, n: u64);
}

/// Progress nobody watches.
pub struct Quiet;

impl Progress for Quiet {
    fn phase(&self, _: &'static str, _: u64, _: &'static str) {}
    fn advance(&self, _: u64) {}
}

/// A count as progress units (counts past `u64::MAX` do not occur).
pub fn units(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Counts units as they are done and tells a [`Progress`] in steps (a call per unit would cost
/// more than some units), the rest when dropped.
pub struct Ticker<'a> {
    progress: &'a dyn Progress,
    pending: u64,
}

impl<'a> Ticker<'a> {
    /// Units told at once.
    const STEP: u64 = 1024;

    pub fn new(progress: &'a dyn Progress) -> Self {
        Ticker {
            progress,
            pending: 0,
        }
    }

    /// One more unit done.
    pub fn tick(&mut self) {
        self.pending += 1;
        if self.pending == Self::STEP {
            self.progress.advance(Self::STEP);
            self.pending = 0;
        }
    }
}

impl Drop for Ticker<'_> {
    fn drop(&mut self) {
        if self.pending > 0 {
            self.progress.advance(self.pending);
        }
    }
}
