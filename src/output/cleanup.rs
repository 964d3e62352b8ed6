//! Temporary files removed when SIGINT, SIGTERM or SIGHUP ends the process (Ctrl-C, a
//! pipeline's timeout, a closed terminal), not only when taper ends normally: a large
//! plan being written would otherwise leave a hidden `.taper-XXXX` file behind.
//!
//! No crate is needed: the three C functions used (`signal`, `unlink`, `raise`) are in
//! the C library the standard library already links, and all three are
//! async-signal-safe (POSIX.1-2017, 2.4.3). The handler only swaps pointers out of a
//! fixed table, unlinks them and re-raises the signal with its default action, so the
//! exit status is what it would have been (killed by the signal).

use std::ffi::{CString, c_char, c_int};
use std::path::Path;
use std::sync::Once;
use std::sync::atomic::{AtomicPtr, Ordering};

/// Temporary files that may exist at once: one per output being written.
const SLOTS: usize = 8;

static PATHS: [AtomicPtr<c_char>; SLOTS] = [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
static INSTALL: Once = Once::new();

// The same numbers on Linux, the BSDs and macOS (POSIX's historical values).
const SIGHUP: c_int = 1;
const SIGINT: c_int = 2;
const SIGTERM: c_int = 15;
const SIG_DFL: usize = 0;

#[cfg(unix)]
unsafe extern "C" {
    fn signal(signum: c_int, handler: usize) -> usize;
    fn unlink(path: *const c_char) -> c_int;
    fn raise(signum: c_int) -> c_int;
}

#[cfg(unix)]
extern "C" fn on_signal(signum: c_int) {
    for slot in &PATHS {
        let path = slot.swap(std::ptr::null_mut(), Ordering::SeqCst);
        if !path.is_null() {
            // SAFETY: a NUL-terminated path leaked by `register`; never freed once
            // taken here, as the process is ending.
            unsafe { unlink(path) };
        }
    }
    // SAFETY: restoring the default action and re-raising are async-signal-safe.
    unsafe {
        signal(signum, SIG_DFL);
        raise(signum);
    }
}

/// Keeps a temporary file's path registered until dropped.
pub struct Guard(Option<usize>);

/// Registers `path` to be removed if a signal ends the process before the guard drops.
/// Full table or a path with a NUL: nothing is registered (the file is still removed on
/// every ordinary error path by its own destructor).
pub fn register(path: &Path) -> Guard {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        INSTALL.call_once(|| {
            for signum in [SIGHUP, SIGINT, SIGTERM] {
                // SAFETY: installs a handler that only does async-signal-safe work.
                unsafe { signal(signum, on_signal as extern "C" fn(c_int) as usize) };
            }
        });
        let Ok(owned) = CString::new(path.as_os_str().as_bytes()) else {
            return Guard(None);
        };
        let raw = owned.into_raw();
        for (i, slot) in PATHS.iter().enumerate() {
            if slot
                .compare_exchange(
                    std::ptr::null_mut(),
                    raw,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
            {
                return Guard(Some(i));
            }
        }
        // SAFETY: `raw` came from `into_raw` just above and was not stored.
        drop(unsafe { CString::from_raw(raw) });
    }
    Guard(None)
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(i) = self.0 {
            let raw = PATHS[i].swap(std::ptr::null_mut(), Ordering::SeqCst);
            if !raw.is_null() {
                // SAFETY: stored by `register` from `into_raw`; the swap gave it to us
                // alone (a handler that took it first left null).
                drop(unsafe { CString::from_raw(raw) });
            }
        }
    }
}
