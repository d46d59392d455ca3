use std::process::ExitCode;

fn main() -> ExitCode {
    asean_graph::cli::run()
}
