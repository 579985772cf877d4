//! File writing: atomic replacement, private modes, and refusing to clobber.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Creates `dir` and its parents when missing, with a clear error otherwise.
pub fn ensure_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create directory {}", dir.display()))
}

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory is written, flushed and renamed over `path`, so a reader sees
/// the old file or the new one, never a partial one. `mode` (Unix
/// permission bits, e.g. `0o600`) is set before any byte is written.
pub fn write_atomic(path: &Path, contents: &[u8], mode: Option<u32>) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".osmo-values-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write into {}", dir.display()))?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set permissions in {}", dir.display()))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// One file of a set written together by [`write_all_atomic`].
pub struct FileToWrite<'a> {
    /// File name inside the directory.
    pub name: &'a str,
    /// Full contents.
    pub contents: &'a [u8],
    /// Unix permission bits, such as `0o600`.
    pub mode: u32,
}

/// Writes several files into `dir` as one step: every file is first written
/// to a temporary file beside its target, and only when all of them are
/// complete are they renamed into place. An error while writing (disk full,
/// permissions) removes the temporary files and leaves `dir` as it was.
/// Returns the paths written, in order.
pub fn write_all_atomic(dir: &Path, files: &[FileToWrite<'_>]) -> Result<Vec<std::path::PathBuf>> {
    let mut staged = Vec::with_capacity(files.len());
    for file in files {
        let path = dir.join(file.name);
        let mut tmp = tempfile::Builder::new()
            .prefix(".osmo-values-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .with_context(|| format!("cannot write into {}", dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(fs::Permissions::from_mode(file.mode))
                .with_context(|| format!("cannot set permissions in {}", dir.display()))?;
        }
        tmp.write_all(file.contents)
            .and_then(|()| tmp.as_file().sync_all())
            .with_context(|| format!("cannot write {}", path.display()))?;
        staged.push((path, tmp));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (path, tmp) in staged {
        tmp.persist(&path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
