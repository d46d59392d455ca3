//! Progress bars for the long commands (`import`, `export`, `check`, `generate`): on a
//! terminal, one bar per phase with units done, rate and time left; a finished phase stays on
//! screen as a line. When stderr is not a terminal indicatif draws nothing, so a log or a
//! pipe gets only the command's one summary line, as before.

use crate::model::progress::Progress;
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::sync::Mutex;

/// A [`Progress`] drawn on stderr.
pub struct Bars {
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    pub fn new() -> Self {
        Bars {
            current: Mutex::new(None),
        }
    }

    /// Ends the last phase, leaving its line.
    pub fn finish(&self) {
        if let Some(bar) = self.lock().take() {
            end(&bar);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<ProgressBar>> {
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The look of a phase's bar; bytes as sizes, other units as counts.
fn style(unit: &str) -> ProgressStyle {
    let counts = if unit == "bytes" {
        "{bytes}/{total_bytes} · {bytes_per_sec}"
    } else {
        "{human_pos}/{human_len} {msg} · {rate}"
    };
    let template = format!("{{prefix:>22}} [{{bar:30}}] {counts} · {{eta}} left");
    ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                // Whole units a second: indicatif's own {per_sec} shows four decimals.
                let _ = write!(w, "{}/s", HumanCount(whole(state.per_sec())));
            },
        )
        .progress_chars("=> ")
}

/// A rate as a whole number (rates here are far below 2^53, and never negative).
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a finite rate rounded and clamped to u64's range first"
)]
fn whole(rate: f64) -> u64 {
    if rate.is_finite() {
        rate.round().clamp(0.0, 1e18) as u64
    } else {
        0
    }
}

/// A phase's bar once it is done: what it did and how long it took.
fn end(bar: &ProgressBar) {
    let style =
        ProgressStyle::with_template("{prefix:>22} [{bar:30}] {human_pos} {msg} in {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    bar.set_style(style);
    bar.finish();
}

impl Progress for Bars {
    fn phase(&self, what: &'static str, total: u64, unit: &'static str) {
        let mut current = self.lock();
        if let Some(bar) = current.take() {
            end(&bar);
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
            .with_style(style(unit))
            .with_prefix(what)
            .with_message(unit);
        *current = Some(bar);
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = self.lock().as_ref() {
            bar.inc(n);
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        self.finish();
    }
}
