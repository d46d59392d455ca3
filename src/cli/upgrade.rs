//! `upgrade`: rewrites a store of an earlier format in place, then checks it.

use super::progress::Bars;
use crate::store::{Options, Store, Upgrade};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

pub fn run(data: &Path) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let bars = Bars::new();
    let done = Store::upgrade(data, &Options::default(), &bars)?;
    bars.finish();
    let from = match done {
        Upgrade::Current => {
            println!(
                "{}: already format version {}; nothing to do",
                data.display(),
                crate::store::FORMAT_VERSION
            );
            return Ok(ExitCode::SUCCESS);
        }
        Upgrade::Upgraded { from, resumed } => {
            if resumed {
                println!("{}: finishing the upgrade that was stopped", data.display());
            }
            from
        }
    };
    let store = Store::open_existing(data)?;
    let report = store.check_with(&bars)?;
    bars.finish();
    let seconds = started.elapsed().as_secs_f64();
    if report.is_clean() {
        println!(
            "{}: upgraded from format version {from} to {} in {seconds:.3} s; check: clean ({})",
            data.display(),
            crate::store::FORMAT_VERSION,
            report.counts
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{}: upgraded, but check found {} violation(s)",
            data.display(),
            report.violations.len()
        );
        for v in &report.violations {
            eprintln!("  {v}");
        }
        Ok(ExitCode::FAILURE)
    }
}
