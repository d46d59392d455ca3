//! Issue 24's spike: what sled 0.34 holds in memory for a store of a given size, by how its
//! bytes are cut into keys. The same entries are written either one to a key (today's
//! format: about 2.86 million keys at scale 1,000) or `GROUP` to a key, in key order as the
//! bulk load writes them; then a fresh process opens the tree with a small cache and reports
//! its resident memory at open, after reading every key, and after random reads.
//!
//! ```sh
//! cargo bench --bench sled_keys -- build DIR ENTRIES VALUE_BYTES GROUP
//! cargo bench --bench sled_keys -- open DIR CACHE_MB
//! ```
//!
//! It names sled directly (nothing else outside `src/store` does): it measures sled itself,
//! to choose the store's next format. Results: `benches/RESULTS.md`.

// A benchmark, not the library (Cargo.toml's lints are for src/): a failed step ends the
// run with its reason, and figures are printed.
#![allow(clippy::expect_used, clippy::print_stdout)]

use std::time::Instant;

/// The allocator the server runs with (`src/main.rs`), so that what is resident is what the
/// server would hold; `SYSTEM_ALLOCATOR` figures came from a build without these lines.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The process's resident and peak resident memory, in MiB.
fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Key `i` of a layout: big-endian, so that key order is insertion order.
fn key(i: u64) -> [u8; 8] {
    i.to_be_bytes()
}

fn build(dir: &str, entries: u64, value_bytes: usize, group: u64) {
    let started = Instant::now();
    let db = sled::Config::new()
        .path(dir)
        .cache_capacity(4 << 20)
        .open()
        .expect("open");
    let tree = db.open_tree("t").expect("tree");
    let value = vec![7u8; value_bytes * usize::try_from(group).expect("a group fits")];
    let keys = entries.div_ceil(group);
    for i in 0..keys {
        tree.insert(key(i), value.as_slice()).expect("insert");
    }
    db.flush().expect("flush");
    println!(
        "built {keys} keys of {} bytes ({entries} entries, {group} a key) in {:.1} s; on disk {} MiB",
        value.len(),
        started.elapsed().as_secs_f64(),
        db.size_on_disk().expect("size") >> 20
    );
}

fn open(dir: &str, cache_mb: u64) {
    let (before, _) = rss();
    let started = Instant::now();
    let db = sled::Config::new()
        .path(dir)
        .cache_capacity(cache_mb << 20)
        .open()
        .expect("open");
    let tree = db.open_tree("t").expect("tree");
    let opened = started.elapsed();
    let (at_open, _) = rss();
    let started = Instant::now();
    let mut keys = 0u64;
    for kv in tree.iter() {
        kv.expect("read");
        keys += 1;
    }
    let scanned = started.elapsed();
    let (after_scan, _) = rss();
    // Random reads: a fixed sequence (an LCG), 100,000 gets.
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    let started = Instant::now();
    for _ in 0..100_000 {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        tree.get(key(x % keys.max(1))).expect("get");
    }
    let got = started.elapsed();
    let (after_gets, peak) = rss();
    println!(
        "cache {cache_mb} MiB, {keys} keys: RSS {before} MiB before open, {at_open} MiB after ({:.2} s), \
         {after_scan} MiB after reading every key ({:.2} s), {after_gets} MiB after 100,000 random gets \
         ({:.2} s); peak {peak} MiB",
        opened.as_secs_f64(),
        scanned.as_secs_f64(),
        got.as_secs_f64()
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let number = |i: usize| -> u64 { args[i].parse().expect("a number") };
    match args.first().map(String::as_str) {
        Some("build") if args.len() == 5 => build(
            &args[1],
            number(2),
            usize::try_from(number(3)).expect("a size"),
            number(4).max(1),
        ),
        Some("open") if args.len() == 3 => open(&args[1], number(2)),
        _ => println!(
            "usage: sled_keys build DIR ENTRIES VALUE_BYTES GROUP | sled_keys open DIR CACHE_MB"
        ),
    }
}
