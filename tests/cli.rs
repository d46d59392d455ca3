//! The command line end to end, through the real binary: import, check, export and query;
//! only `import` and `serve` create a store, and a failed import leaves nothing behind.

use crate::common::imports::small_edited;
use crate::common::{TestStore, export, fixture_value, small};
use asean_graph::model::NodeKind;
use asean_graph::store::Store;
use serde_json::{Value, json};
use std::process::{Command, Output};

fn cli(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asean-graph"))
        .args(args)
        .env_remove("ASEAN_GRAPH_DATA")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run asean-graph")
}

/// Runs the binary on the store at `data`.
fn cli_at(data: &std::path::Path, args: &[&std::ffi::OsStr]) -> Output {
    let mut all: Vec<&std::ffi::OsStr> = vec!["--data".as_ref(), data.as_os_str()];
    all.extend_from_slice(args);
    cli(&all)
}

/// Imports a file holding `bytes` into the store at `data`: it must be refused (exit 1).
/// Returns stderr.
fn import_refused(work: &std::path::Path, data: &std::path::Path, bytes: &[u8]) -> String {
    let file = work.join("bad.json");
    std::fs::write(&file, bytes).unwrap();
    let out = cli_at(data, &["import".as_ref(), file.as_os_str()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    stderr
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn cli_import_check_export() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("store");
    let file = work.path().join("small.json");
    std::fs::write(&file, small()).unwrap();
    let out_file = work.path().join("out.json");

    let import = cli(&[
        "--data".as_ref(),
        data.as_os_str(),
        "import".as_ref(),
        file.as_os_str(),
    ]);
    assert!(import.status.success(), "{}", text(&import.stderr));
    assert!(
        text(&import.stdout).contains("imported"),
        "{}",
        text(&import.stdout)
    );

    let check = cli(&["--data".as_ref(), data.as_os_str(), "check".as_ref()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));

    let export_file = cli(&[
        "--data".as_ref(),
        data.as_os_str(),
        "export".as_ref(),
        out_file.as_os_str(),
    ]);
    assert!(
        export_file.status.success(),
        "{}",
        text(&export_file.stderr)
    );
    let export_stdout = cli(&["--data".as_ref(), data.as_os_str(), "export".as_ref()]);
    assert!(
        export_stdout.status.success(),
        "{}",
        text(&export_stdout.stderr)
    );

    // The CLI has exited: open the same store in-process and compare.
    let store = Store::open(&data).unwrap();
    let stdout = text(&check.stdout);
    assert!(stdout.contains("clean"), "{stdout}");
    assert!(
        stdout.contains(&store.counts().to_string()),
        "check must print the counts ({}): {stdout}",
        store.counts()
    );
    assert_eq!(store.counts().of(NodeKind::Member), 2);
    let library = export(&store);
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), library);
    assert_eq!(text(&export_stdout.stdout), library);
    assert_eq!(
        serde_json::from_str::<Value>(&library).unwrap(),
        fixture_value("small.json")
    );
}

#[test]
fn cli_import_of_a_bad_file_exits_1_listing_every_error() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("store");
    let bad = small_edited(|d| {
        d["meetings"][0]["chair"]["code"] = json!("VMN");
        d["fundings"][0]["amountUsd"] = json!(-5);
    });
    let stderr = import_refused(work.path(), &data, &bad);
    assert!(
        stderr.contains(r#"meetings[0].chair: no member "VMN""#),
        "{stderr}"
    );
    assert!(
        stderr.contains("fundings[0].amountUsd: -5 is not a non-negative amount"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !data.exists(),
        "the failed import left {} behind",
        data.display()
    );
}

#[test]
fn cli_import_of_unreadable_file_exits_1() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("store");
    let whole = small();
    let stderr = import_refused(work.path(), &data, &whole.as_bytes()[..whole.len() / 2]);
    assert!(stderr.contains("EOF"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(
        !data.exists(),
        "the failed import left {} behind",
        data.display()
    );
}

#[test]
fn cli_on_a_store_held_by_another_process_fails_naming_the_directory() {
    let store = TestStore::with(&small());
    let out = cli(&[
        "--data".as_ref(),
        store.path().as_os_str(),
        "check".as_ref(),
    ]);
    let stderr = text(&out.stderr);
    assert!(
        !out.status.success(),
        "check succeeded on a locked store: {stderr}"
    );
    assert_ne!(out.status.code(), None, "killed by a signal: {stderr}");
    assert!(
        stderr.contains(&store.path().display().to_string()),
        "the message must name the directory: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The holder is unaffected.
    assert!(store.check().unwrap().is_clean());
}

/// `query` prints the same bytes from the local store as through a server's `--endpoint`,
/// for every report and every format; and while a server holds the store, the local form
/// fails at once, pointing to `--endpoint`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_prints_the_same_bytes_locally_and_through_an_endpoint() {
    let server = crate::common::TestServer::start().await;
    let endpoint = format!("{}/graphql", server.base);
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("store");
    let bundled = crate::common::crate_file("data/asean.json");
    let reports: Vec<_> = std::fs::read_dir(crate::common::crate_file("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(reports.len() >= 6, "{reports:?}");
    let outputs = tokio::task::spawn_blocking(move || {
        let imported = cli(&[
            "--data".as_ref(),
            data.as_os_str(),
            "import".as_ref(),
            bundled.as_os_str(),
        ]);
        assert!(imported.status.success(), "{}", text(&imported.stderr));
        let mut outputs = Vec::new();
        for report in &reports {
            for format in ["csv", "json", "table"] {
                let query = |extra: &[&std::ffi::OsStr]| {
                    let mut args: Vec<&std::ffi::OsStr> = vec![
                        "query".as_ref(),
                        report.as_os_str(),
                        "--format".as_ref(),
                        format.as_ref(),
                    ];
                    args.extend_from_slice(extra);
                    cli(&args)
                };
                let local = query(&["--data".as_ref(), data.as_os_str()]);
                let remote = query(&["--endpoint".as_ref(), endpoint.as_ref()]);
                outputs.push((report.clone(), format, local, remote));
            }
        }
        outputs
    })
    .await
    .unwrap();
    for (report, format, local, remote) in outputs {
        let what = format!("{} --format {format}", report.display());
        assert!(local.status.success(), "{what}: {}", text(&local.stderr));
        assert!(remote.status.success(), "{what}: {}", text(&remote.stderr));
        assert!(!local.stdout.is_empty(), "{what}: no output");
        assert_eq!(text(&local.stdout), text(&remote.stdout), "{what}");
    }

    let held = TestStore::with(&small());
    let out = cli(&[
        "--data".as_ref(),
        held.path().as_os_str(),
        "query".as_ref(),
        crate::common::crate_file("reports/chairs-by-year.graphql").as_os_str(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--endpoint"),
        "{}",
        text(&out.stderr)
    );
}

// ----- only import and serve create a store -----

/// `args` run against `--data` pointing at a directory that does not exist: the command
/// must say `no store at DIR`, exit 2 and create nothing.
fn refused_without_a_store(args: &[&str]) {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("mistyped");
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    let out = cli_at(&data, &args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(
        stderr.contains(&format!("no store at {}", data.display())),
        "{args:?}: {stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "{args:?} printed {}",
        text(&out.stdout)
    );
    assert!(!data.exists(), "{args:?} created {}", data.display());
}

#[test]
fn check_with_a_mistyped_data_dir_says_no_store_and_exits_2() {
    refused_without_a_store(&["check"]);
}

#[test]
fn export_with_a_mistyped_data_dir_says_no_store_and_exits_2() {
    refused_without_a_store(&["export"]);
}

#[test]
fn query_with_a_mistyped_data_dir_says_no_store_and_exits_2() {
    let report = crate::common::crate_file("reports/chairs-by-year.graphql");
    refused_without_a_store(&["query", report.to_str().unwrap()]);
}

#[test]
fn failed_import_into_a_new_nested_directory_leaves_nothing() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("new").join("store");
    import_refused(
        work.path(),
        &data,
        b"{\"format\": \"asean-graph/1\", \"members\": [{}]}",
    );
    assert!(
        !work.path().join("new").exists(),
        "the failed import left {} behind",
        work.path().join("new").display()
    );
}

#[test]
fn failed_import_into_an_existing_directory_keeps_the_directory() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("store");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("keep.txt"), b"mine").unwrap();
    import_refused(work.path(), &data, b"not json");
    assert_eq!(std::fs::read(data.join("keep.txt")).unwrap(), b"mine");
}

// ----- merge obeys every rule -----

/// The finding as reported: a merge file holding only a second Chair of ASEAN for 2018 is
/// refused with its JSON path, the store is unchanged, `check` stays clean and the export
/// still imports.
#[test]
fn cli_merge_refuses_a_second_chair_of_asean_in_a_year() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("store");
    let base = work.path().join("small.json");
    std::fs::write(&base, small()).unwrap();
    let merge = work.path().join("merge.json");
    let chair = json!({
        "format": "asean-graph/1",
        "chairmanships": [{"body": null, "member": "VNM", "year": 2018, "sources": ["P38"]}]
    });
    std::fs::write(&merge, chair.to_string()).unwrap();
    let run = |args: &[&std::ffi::OsStr]| cli_at(&data, args);
    let imported = run(&["import".as_ref(), base.as_os_str()]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));

    let merged = run(&["import".as_ref(), "--merge".as_ref(), merge.as_os_str()]);
    let stderr = text(&merged.stderr);
    assert_eq!(
        merged.status.code(),
        Some(1),
        "the merge was accepted: {stderr}"
    );
    assert!(
        stderr.contains("chairmanships[0]: a second chair of ASEAN in 2018: Member:SGP"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");

    let check = run(&["check".as_ref()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let exported = run(&["export".as_ref()]);
    assert!(exported.status.success());
    let restored = TestStore::new();
    asean_graph::dataset::import(
        &restored,
        &exported.stdout,
        asean_graph::dataset::Mode::Refuse,
    )
    .expect("the export imports into a fresh store");
    assert_eq!(text(&exported.stdout), export(&TestStore::with(&small())));
}
