//! Helpers shared by the generator's tests.
#![allow(dead_code)]

use std::path::PathBuf;

use osmo_values::spec::DeploymentSpec;

/// The repository's `examples/` directory.
pub fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// Every example spec: (name, spec). The OSMO 6.2.10 examples are `examples/*.yaml`, named
/// by their file stem; the OSMO 6.3.1 ones are `examples/6.3.1/*.yaml`, named
/// `6.3.1-<stem>`.
pub fn examples() -> Vec<(String, DeploymentSpec)> {
    let mut out = examples_in(&examples_dir(), "");
    out.extend(examples_in(&examples_dir().join("6.3.1"), "6.3.1-"));
    out
}

/// The example specs of one OSMO release.
pub fn examples_of(release: osmo_values::Release) -> Vec<(String, DeploymentSpec)> {
    examples()
        .into_iter()
        .filter(|(_, s)| s.release == release)
        .collect()
}

fn examples_in(dir: &std::path::Path, prefix: &str) -> Vec<(String, DeploymentSpec)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable example");
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let spec = parse_spec(&text).unwrap_or_else(|e| panic!("{stem}: {e}"));
            (format!("{prefix}{stem}"), spec)
        })
        .collect()
}

/// Parses a spec from YAML text.
pub fn parse_spec(text: &str) -> Result<DeploymentSpec, String> {
    DeploymentSpec::parse(text)
        .map(|(spec, _)| spec)
        .map_err(|e| e.to_string())
}

/// The helpers the root package's tests use too (one copy of each).
#[path = "../../../tests/support/common.rs"]
mod shared;

#[allow(unused_imports)]
pub use shared::{leaves, root, shared_or_skip, yaml_to_json};

/// `../shared/reference/<release>/` beside the checkout, for tests that read
/// the upstream charts of one release; see [`shared_or_skip`].
pub fn reference_release(release: &str) -> Option<PathBuf> {
    let dir = shared_or_skip(&format!("the checks against the upstream {release} charts"))?
        .join("reference")
        .join(release);
    assert!(dir.is_dir(), "{} is missing", dir.display());
    Some(dir)
}

/// The repository's `tests/fixtures/` directory.
pub fn fixtures_dir() -> PathBuf {
    root().join("tests/fixtures")
}

/// The YAML block of `file` in a reStructuredText guide (`.. dropdown::
/// ``file``` followed by `.. code-block:: yaml`) or a markdown one (a
/// heading naming the file followed by a ```yaml fence).
pub fn extract(guide: &str, file: &str) -> Option<String> {
    let lines: Vec<&str> = guide.lines().collect();
    let named = lines.iter().position(|l| {
        (l.contains(".. dropdown::") && l.contains(&format!("``{file}``")))
            || (l.starts_with('#') && l.contains(&format!("`{file}`")))
    })?;
    let rest = &lines[named + 1..];
    if let Some(fence) = rest.iter().position(|l| l.trim() == "```yaml") {
        let body: Vec<&str> = rest[fence + 1..]
            .iter()
            .take_while(|l| l.trim() != "```")
            .copied()
            .collect();
        return Some(body.join("\n") + "\n");
    }
    let block = rest
        .iter()
        .position(|l| l.trim() == ".. code-block:: yaml")?;
    let after = &rest[block + 1..];
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    let directive = indent_of(after.first()?);
    // Skip the directive's options (`:emphasize-lines:`) and the blank line.
    let start = after
        .iter()
        .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with(':'))?;
    let body_indent = indent_of(after[start]);
    assert!(body_indent >= directive);
    let mut body = Vec::new();
    for l in &after[start..] {
        if !l.trim().is_empty() && indent_of(l) < body_indent {
            break;
        }
        body.push(if l.len() >= body_indent {
            &l[body_indent..]
        } else {
            ""
        });
    }
    while body.last().is_some_and(|l| l.trim().is_empty()) {
        body.pop();
    }
    Some(body.join("\n") + "\n")
}

/// The guides' sample of `file`, or `None` (after a notice) when `../shared`
/// is absent outside CI. With `../shared` present, a missing sample fails.
pub fn sample(file: &str) -> Option<String> {
    let dir = shared_or_skip("the guides' samples")?.join("seeds");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let found = names
        .iter()
        .find_map(|p| extract(&std::fs::read_to_string(p).ok()?, file));
    assert!(found.is_some(), "no sample of {file} in {}", dir.display());
    found
}
