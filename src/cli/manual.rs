//! `man`: manual pages in roff, generated from the clap definition. Like git and cargo, one
//! page per command: `asean-graph(1)` lists the subcommands, and `asean-graph-serve(1)` and
//! the others hold each one's arguments (with the global `--data`).

use anyhow::Context;
use clap::CommandFactory;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write every page (asean-graph.1, asean-graph-serve.1, …) into this directory instead
    /// of printing asean-graph.1 alone; the directory is created if missing.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: &ManArgs) -> anyhow::Result<ExitCode> {
    // As `generate_to` does for every page: `help` is no command of its own to document.
    let command = super::Args::command().disable_help_subcommand(true);
    match &args.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, dir)
                .with_context(|| format!("cannot write the pages into {}", dir.display()))?;
            println!("wrote the manual pages into {}", dir.display());
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            std::io::stdout().lock().write_all(&page)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
