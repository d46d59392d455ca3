//! `completions SHELL` and `man` through the real binary. What they must name comes from
//! clap's own `Command` for the CLI, so a new subcommand or flag is covered without editing
//! a list here.

use asean_graph::cli::Args;
use clap::CommandFactory;
use std::path::Path;
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_asean-graph"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run asean-graph");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(args: &[&str]) -> String {
    String::from_utf8(cli(args).stdout).expect("UTF-8 output")
}

/// Each subcommand (not clap's `help`) with its long flags, global ones included.
fn subcommands() -> Vec<(String, Vec<String>)> {
    let mut command = Args::command();
    command.build();
    let subs: Vec<_> = command
        .get_subcommands()
        .filter(|s| s.get_name() != "help" && !s.is_hide_set())
        .map(|s| (s.get_name().to_owned(), long_flags(s)))
        .collect();
    assert!(subs.len() >= 9, "{subs:?}");
    subs
}

/// `--name` for every argument of `command` that has a long form.
fn long_flags(command: &clap::Command) -> Vec<String> {
    command
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| Some(format!("--{}", a.get_long()?)))
        .collect()
}

/// What bash's completion offers for `line` (the word being completed is its last, empty
/// when `line` ends in a space), with the script of `completions bash` sourced and the
/// function it registers for `asean-graph` called as bash would call it.
fn bash_completes(script: &Path, line: &str) -> Vec<String> {
    const CALL: &str = r#"
        source "$1" || exit 3
        spec=$(complete -p asean-graph) || exit 4
        fn=${spec#*-F }; fn=${fn%% *}
        COMP_LINE=$2; COMP_POINT=${#COMP_LINE}
        read -ra COMP_WORDS <<<"$COMP_LINE"
        [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        "$fn" asean-graph "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let out = Command::new("bash")
        .args(["-c", CALL, "bash"])
        .arg(script)
        .arg(line)
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{line:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn bash_completion_parses_and_offers_every_subcommand_and_flag() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("asean-graph.bash");
    std::fs::write(&script, stdout(&["completions", "bash"])).unwrap();

    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&syntax.stderr)
    );

    let subs = subcommands();
    let offered = bash_completes(&script, "asean-graph ");
    for (name, _) in &subs {
        assert!(
            offered.contains(name),
            "`asean-graph ` lacks {name}: {offered:?}"
        );
    }
    for (name, flags) in &subs {
        let offered = bash_completes(&script, &format!("asean-graph {name} --"));
        for flag in flags {
            assert!(
                offered.contains(flag),
                "`asean-graph {name} --` lacks {flag}: {offered:?}"
            );
        }
    }
}

#[test]
fn every_shell_gets_a_script_for_the_binary() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout(&["completions", shell]);
        assert!(script.contains("asean-graph"), "{shell}: {script}");
        for (name, _) in subcommands() {
            assert!(script.contains(&name), "{shell} script lacks {name}");
        }
    }
    let refused = Command::new(env!("CARGO_BIN_EXE_asean-graph"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
}

/// The page's text as a reader sees it, its runs of blanks (justification) made one space:
/// rendered by `man -l` where man is installed, else the roff source with its escaped dashes
/// undone.
fn readable(page: &Path) -> String {
    let text = render(page);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn render(page: &Path) -> String {
    let rendered = Command::new("man")
        .args(["--warnings", "-l"])
        .arg(page)
        .env("MANWIDTH", "300")
        .output();
    match rendered {
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && stderr.is_empty(),
                "man -l {page:?}: {stderr}"
            );
            String::from_utf8(out.stdout).unwrap()
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::read_to_string(page).unwrap().replace(r"\-", "-")
        }
        Err(e) => panic!("man: {e}"),
    }
}

#[test]
fn man_pages_name_every_subcommand_and_flag() {
    let printed = stdout(&["man"]);
    assert!(
        printed.starts_with(".ie") || printed.contains(".TH asean-graph 1"),
        "{printed}"
    );

    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    cli(&["man", "--dir", pages.to_str().unwrap()]);
    let main_page = pages.join("asean-graph.1");
    assert_eq!(std::fs::read_to_string(&main_page).unwrap(), printed);

    let main_text = readable(&main_page);
    let subs = subcommands();
    for flag in long_flags(&Args::command()) {
        assert!(main_text.contains(&flag), "asean-graph(1) lacks {flag}");
    }
    for (name, flags) in &subs {
        let page_name = format!("asean-graph-{name}");
        assert!(
            main_text.contains(&format!("{page_name}(1)")),
            "asean-graph(1) lacks {name}"
        );
        let text = readable(&pages.join(format!("{page_name}.1")));
        assert!(
            text.contains(&format!("asean-graph {name}")),
            "{page_name}: {text}"
        );
        for flag in flags {
            assert!(text.contains(flag.as_str()), "{page_name}(1) lacks {flag}");
        }
    }
}
