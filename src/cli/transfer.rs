//! `import` and `export`.

use super::progress::Bars;
use crate::dataset::{self, ImportError, Mode};
use crate::store::Store;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The dataset file (JSON interchange format, docs/dataset.md).
    pub file: PathBuf,
    /// Into a store that already holds records, upsert the file's records by code instead
    /// of refusing.
    #[arg(long)]
    pub merge: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Where to write; stdout when omitted.
    pub file: Option<PathBuf>,
}

/// Imports the file; a store directory this import created is removed again unless the
/// import succeeded (a directory that existed before is never removed).
pub fn import(data: &Path, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let created = outermost_missing(data);
    let result = import_file(data, file, args);
    if let Some(dir) = created.filter(|_| !matches!(result, Ok(true))) {
        // The store is closed by now (dropped inside `import_file`).
        if let Err(e) = std::fs::remove_dir_all(&dir) {
            eprintln!("could not remove {}: {e}", dir.display());
        }
    }
    match result {
        Ok(true) => Ok(ExitCode::SUCCESS),
        Ok(false) => Ok(ExitCode::FAILURE),
        Err(e) => Err(e),
    }
}

/// The outermost directory that creating `path` would create, if `path` does not exist.
fn outermost_missing(path: &Path) -> Option<PathBuf> {
    if path.exists() {
        return None;
    }
    let mut top = path;
    while let Some(parent) = top.parent()
        && !parent.as_os_str().is_empty()
        && !parent.exists()
    {
        top = parent;
    }
    Some(top.to_owned())
}

/// Imports into the store at `data`; `Ok(false)` when the file was refused (reported).
fn import_file(data: &Path, file: std::fs::File, args: &ImportArgs) -> anyhow::Result<bool> {
    let store = Store::open(data)?;
    let mode = if args.merge {
        Mode::Merge
    } else {
        Mode::Refuse
    };
    let started = Instant::now();
    let bars = Bars::new();
    let result = dataset::import_file(&store, file, mode, &bars);
    bars.finish();
    match result {
        Ok(report) => {
            let secs = started.elapsed().as_secs_f64();
            // A rate to print: counts past 2^32 records are not exact, and need not be.
            let per_second =
                |n: usize| f64::from(u32::try_from(n).unwrap_or(u32::MAX)) / secs.max(1e-9);
            println!(
                "{report} from {} into {} in {:.3} s ({:.0} records/s; {:.0} records and relationships/s)",
                args.file.display(),
                data.display(),
                secs,
                per_second(report.records),
                per_second(report.records + report.relationships)
            );
            Ok(true)
        }
        Err(ImportError::Invalid(errors)) => {
            eprintln!(
                "{}: {} error(s); nothing was imported",
                args.file.display(),
                errors.len()
            );
            for e in errors {
                eprintln!("  {e}");
            }
            Ok(false)
        }
        Err(ImportError::Unreadable(e)) => {
            eprintln!("{}: {e}; nothing was imported", args.file.display());
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn export(data: &Path, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_existing(data)?;
    let bars = Bars::new();
    let json = dataset::export_with(&store, &bars)?;
    bars.finish();
    match &args.file {
        Some(path) => {
            let tmp = path.with_extension("json.tmp");
            std::fs::write(&tmp, json)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(json.as_bytes()).and_then(|()| out.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e.into());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// How many times larger than the bundled dataset (1 is the bundled dataset itself).
    #[arg(long, default_value_t = 1)]
    pub scale: usize,
    /// Where to write the dataset.
    #[arg(long)]
    pub output: PathBuf,
    /// The seed: the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn generate(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let base = dataset::parse(dataset::BUNDLED.as_bytes())?;
    let bars = Bars::new();
    let doc = dataset::generate_with(&base, args.scale, args.seed, &bars);
    bars.finish();
    let json = serde_json::to_string(&doc)? + "\n";
    let tmp = args.output.with_extension("json.tmp");
    std::fs::write(&tmp, &json).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let records = doc.sources.len()
        + doc.members.len()
        + doc.partners.len()
        + doc.bodies.len()
        + doc.people.len()
        + doc.initiatives.len()
        + doc.meetings.len();
    println!(
        "wrote {} ({} records, {} fundings, {} bytes) at scale {} with seed {}",
        args.output.display(),
        records,
        doc.fundings.len(),
        json.len(),
        args.scale,
        args.seed
    );
    Ok(ExitCode::SUCCESS)
}
