//! `check`: every invariant of the store.

use super::progress::Bars;
use crate::store::Store;
use std::path::Path;
use std::process::ExitCode;

pub fn run(data: &Path) -> anyhow::Result<ExitCode> {
    let store = Store::open_existing(data)?;
    let bars = Bars::new();
    let report = store.check_with(&bars)?;
    bars.finish();
    if report.is_clean() {
        println!(
            "{}: clean ({}; index entries: {})",
            data.display(),
            report.counts,
            report.index_entries
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{}: {} violation(s)",
            data.display(),
            report.violations.len()
        );
        for v in &report.violations {
            eprintln!("  {v}");
        }
        Ok(ExitCode::FAILURE)
    }
}
