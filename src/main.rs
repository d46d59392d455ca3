use std::process::ExitCode;

/// jemalloc instead of the system allocator: a request allocates and frees many small values
/// (parsed documents, resolved fields, the answer's JSON), and glibc's malloc and free took a
/// fifth of the server's time under load (`perf`, the product question at scale 1,000).
/// jemalloc answers 5–14 % more requests for 8 MiB more memory; mimalloc was as fast but held
/// 55 MiB more (benches/RESULTS.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    asean_graph::cli::run()
}
