//! Long work reports its progress: import, export, check and generate announce their phases,
//! and the units each phase reports done add up to what it announced (on a clean store,
//! where the totals are exact). Off a terminal the command line stays quiet: one summary line
//! on stdout, nothing on stderr.

use crate::common::{TestStore, bundled};
use asean_graph::dataset::{self, Mode};
use asean_graph::model::progress::Progress;
use std::process::Command;
use std::sync::Mutex;

/// Records every phase: (what, announced total, units reported done).
#[derive(Default)]
struct Recorded(Mutex<Vec<(&'static str, u64, u64)>>);

impl Progress for Recorded {
    fn phase(&self, what: &'static str, total: u64, _unit: &'static str) {
        self.0.lock().unwrap().push((what, total, 0));
    }
    fn advance(&self, n: u64) {
        self.0
            .lock()
            .unwrap()
            .last_mut()
            .expect("advance within a phase")
            .2 += n;
    }
}

impl Recorded {
    /// The phases, each checked to have done what it announced.
    fn phases(self) -> Vec<&'static str> {
        let phases = self.0.into_inner().unwrap();
        for (what, total, done) in &phases {
            assert_eq!(done, total, "{what}: {done} of {total} done");
        }
        phases.iter().map(|p| p.0).collect()
    }
}

#[test]
fn import_export_check_and_generate_finish_every_phase_they_announce() {
    let base = dataset::parse(bundled().as_bytes()).unwrap();
    let generated = Recorded::default();
    let doc = dataset::generate_with(&base, 3, 7, &generated);
    assert_eq!(generated.phases(), ["generating"]);
    let json = serde_json::to_string(&doc).unwrap();

    let store = TestStore::new();
    let imported = Recorded::default();
    dataset::import_with(&store, json.as_bytes(), Mode::Refuse, &imported).unwrap();
    assert_eq!(
        imported.phases(),
        ["reading", "verifying", "indexing", "writing"]
    );

    let merged = Recorded::default();
    dataset::import_with(&store, json.as_bytes(), Mode::Merge, &merged).unwrap();
    // A merge is written in batches as the file is read, then the store is verified whole
    // (and the merge undone if a rule is broken).
    assert_eq!(merged.phases(), ["merging", "verifying"]);

    let checked = Recorded::default();
    assert!(store.check_with(&checked).unwrap().is_clean());
    assert_eq!(
        checked.phases(),
        [
            "checking records",
            "checking relationships",
            "checking indexes"
        ]
    );

    let exported = Recorded::default();
    let out = dataset::export_with(&store, &exported).unwrap();
    assert_eq!(exported.phases(), ["reading"]);
    assert_eq!(out, dataset::export(&store).unwrap());
}

/// What a test, a pipe or a log file sees: no bar, no escape codes.
#[test]
fn off_a_terminal_the_long_commands_print_one_summary_line_and_no_bar() {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("generated.json");
    let data = work.path().join("store");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = Command::new(env!("CARGO_BIN_EXE_asean-graph"))
            .arg("--data")
            .arg(&data)
            .args(args)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(out.stderr.is_empty(), "{args:?}: stderr {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let lines = |s: &str| s.lines().count();
    let scale = ["--scale".as_ref(), "2".as_ref()];
    let generated = run(&[
        &["generate".as_ref()],
        &scale[..],
        &["--output".as_ref(), file.as_os_str()],
    ]
    .concat());
    assert_eq!(lines(&generated), 1, "{generated}");
    let imported = run(&["import".as_ref(), file.as_os_str()]);
    assert_eq!(lines(&imported), 1, "{imported}");
    let checked = run(&["check".as_ref()]);
    assert_eq!(lines(&checked), 1, "{checked}");
    let exported = run(&["export".as_ref(), work.path().join("out.json").as_os_str()]);
    assert!(exported.is_empty(), "{exported}");
}
