//! `completions SHELL`: the shell's completion script, generated from the clap definition so
//! that it always names today's subcommands and flags.

use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut command = super::Args::command();
    let name = command.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, &name, &mut script);
    let mut script = String::from_utf8(script)?;
    if args.shell == Shell::Bash {
        script = mend_bash_states(&script, &name);
    }
    std::io::stdout().lock().write_all(script.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// clap_complete 4.6.11's bash script never completes a subcommand's flags when the binary's
/// name has a hyphen (clap-rs/clap#6421, open): its loop names the state of
/// `asean-graph serve` `asean__graph__subcmd__serve`, but the case arms spell it
/// `asean__subcmd__graph__subcmd__serve`. Respells the arms the loop's way; once upstream
/// is fixed the broken spelling no longer occurs and this changes nothing.
fn mend_bash_states(script: &str, name: &str) -> String {
    let arm = |hyphen: &str| format!("{}__subcmd__", name.replace('-', hyphen));
    script.replace(&arm("__subcmd__"), &arm("__"))
}
