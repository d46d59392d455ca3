//! `import --merge` is written in batches (one transaction over a whole file held all of it
//! in memory), and stays all or nothing: killed with SIGKILL between two batches, the next
//! open finds the store as it was before the merge, and the same merge run again lands
//! whole.

use crate::common::{TestStore, bundled, export, reopen, sled_open};
use asean_graph::dataset::{self, Mode};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// A synthetic file of the bundled data's shape, many batches long.
fn synthetic(scale: usize) -> String {
    let base = dataset::parse(bundled().as_bytes()).unwrap();
    dataset::to_json(&dataset::generate(&base, scale, 7))
}

/// Runs `import --merge file` on the store at `dir` and kills it with SIGKILL once it has
/// committed `batches` batches. Returns how many it had committed.
fn merge_killed_after(dir: &Path, file: &Path, batches: usize) -> usize {
    let mut child = Command::new(env!("CARGO_BIN_EXE_asean-graph"))
        .arg("--data")
        .arg(dir)
        .args(["import", "--merge"])
        .arg(file)
        .env_remove("ASEAN_GRAPH_DATA")
        .env("RUST_LOG", "warn,asean_graph=debug")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run asean-graph");
    let stderr = child.stderr.take().unwrap();
    let mut committed = 0;
    for line in BufReader::new(stderr).lines() {
        if line.unwrap().contains("merge batch committed") {
            committed += 1;
            if committed == batches {
                break;
            }
        }
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the merge ended before it could be killed (after {committed} batches)"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    committed
}

#[test]
fn a_merge_killed_midway_leaves_the_store_as_it_was_and_runs_again_whole() {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("synthetic.json");
    let json = synthetic(20);
    std::fs::write(&file, &json).unwrap();

    // What a merge that is not interrupted gives.
    let reference = TestStore::with(&bundled());
    let before = export(&reference);
    dataset::import(&reference, json.as_bytes(), Mode::Merge).unwrap();
    let after = export(&reference);
    assert_ne!(before, after);

    for batches in [1, 5] {
        let dir = TestStore::with(&bundled()).close();
        assert_eq!(
            merge_killed_after(dir.path(), &file, batches),
            batches,
            "fewer batches than the test needs"
        );
        {
            let store = reopen(dir.path());
            assert_eq!(export(&store), before, "killed after {batches} batches");
            let report = store.check().unwrap();
            assert!(report.is_clean(), "{:?}", report.violations);
        }
        {
            // Nothing of the merge is left behind: no marker, no kept values.
            let db = sled_open(dir.path());
            assert_eq!(db.open_tree("meta").unwrap().get("merging").unwrap(), None);
            assert!(db.open_tree("undo").unwrap().is_empty());
        }
        let store = reopen(dir.path());
        dataset::import(&store, json.as_bytes(), Mode::Merge).unwrap();
        assert_eq!(export(&store), after, "the merge run again");
        assert_eq!(store.counts(), reference.counts());
        assert!(store.check().unwrap().is_clean());
    }
}

#[test]
fn a_merge_of_many_batches_equals_the_same_file_imported_into_an_empty_store() {
    let json = synthetic(10);
    let merged = TestStore::with(&bundled());
    dataset::import(&merged, json.as_bytes(), Mode::Merge).unwrap();
    // The synthetic file holds the bundled records as they are, and more.
    let plain = TestStore::with(&json);
    assert_eq!(export(&merged), export(&plain));
    assert_eq!(merged.counts(), plain.counts());
    let report = merged.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.violations);
}
