//! Helpers shared by the integration tests: [`common`] (also included by
//! core's tests), the render harness and the ConfigMap-mode check of what it
//! rendered, the migration round trip, random specs
//! and the template scanner, and process output helpers.
#![allow(dead_code)]

pub mod common;
pub mod configmap;
pub mod render;
pub mod roundtrip;
pub mod spec_gen;
pub mod template_scan;

pub use common::*;

use std::process::Output;

/// A finished command's standard output, as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A finished command's standard error, as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts a command succeeded, showing what it printed when it did not.
pub fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    );
}

/// Asserts a command exited with 2 (usage or I/O error).
pub fn assert_exit2(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}
