//! `-o` respects the system (issue 15, item 4): it never writes where the shell's `>`
//! would be refused (a read-only file; another user's link in a sticky, world-writable
//! folder), and its temporary file is removed when a signal ends taper mid-write.

mod common;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PLAN: &[&str] = &[
    "plan",
    "citalopram",
    "--from",
    "20mg",
    "--start",
    "2027-01-04",
];

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("taper")
}

fn am_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A read-only file is not replaced, as `>` would not write it. As root (who may write
/// any file) the check runs as `nobody`, through `setpriv`.
#[test]
fn a_read_only_file_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let target = dir.path().join("plan.txt");
    std::fs::write(&target, "keep me").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut command = if am_root() {
        std::os::unix::fs::chown(&target, Some(65534), Some(65534)).unwrap();
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin());
        c
    } else {
        Command::new(bin())
    };
    let out = command.args(PLAN).arg("-o").arg(&target).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    assert_eq!(entries(dir.path()), ["plan.txt"]);
}

/// Another user's link in a sticky, world-writable folder (the /tmp attack) is not
/// followed, existing target or not; our own link there is.
#[test]
fn another_users_link_in_a_sticky_folder_is_not_followed() {
    if !am_root() {
        eprintln!("skipped: making a link owned by another user needs root");
        return;
    }
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    let safe = tempfile::tempdir().unwrap();
    let victim = safe.path().join("victim.conf");
    std::fs::write(&victim, "root's file").unwrap();
    let planted = shared.path().join("plan.txt");
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    std::os::unix::fs::lchown(&planted, Some(65534), Some(65534)).unwrap();
    let dangling = shared.path().join("new.txt");
    std::os::unix::fs::symlink(safe.path().join("made.conf"), &dangling).unwrap();
    std::os::unix::fs::lchown(&dangling, Some(65534), Some(65534)).unwrap();
    for link in [&planted, &dangling] {
        let out = Command::new(bin())
            .args(PLAN)
            .arg("-o")
            .arg(link)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("link another user made"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "root's file");
    assert_eq!(entries(safe.path()), ["victim.conf"]);
    assert_eq!(entries(shared.path()), ["new.txt", "plan.txt"]);
    // Our own link in the same folder is followed, as the shell would.
    let ours = shared.path().join("ours.txt");
    std::os::unix::fs::symlink(&victim, &ours).unwrap();
    let out = Command::new(bin())
        .args(PLAN)
        .arg("-o")
        .arg(&ours)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&victim)
            .unwrap()
            .contains("citalopram")
    );
}

/// A batch writing to a file keeps its temporary file while it waits for input; a
/// signal then ends it, and the temporary file goes with it.
#[test]
fn signals_remove_the_temporary_file() {
    for signal in ["TERM", "INT", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("results.jsonl");
        let mut child = Command::new(bin())
            .args(["batch", "-o"])
            .arg(&target)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !entries(dir.path()).iter().any(|n| n.starts_with(".taper-")) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no temporary file appeared"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
        let ended = child.wait().unwrap();
        assert_eq!(
            ended.code(),
            None,
            "{signal}: ended by the signal, not an exit"
        );
        drop(child.stdin.take());
        assert_eq!(entries(dir.path()), Vec::<String>::new(), "{signal}");
    }
}
