//! `cargo xtask codegen [--check]`: every committed file that is generated from the library, in
//! one table.
//!
//! Each generator is a function that makes its files in memory, from the library's own
//! functions (a chart's schema, its key tree, the rules table, the spec's schema): nothing is
//! read back from a test's side effects. `codegen` writes the files that differ; `--check`
//! writes nothing, prints each stale file with the command that fixes it and fails.
//!
//! To add a generated file, add a row to [`GENERATORS`].

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use osmo_values::lint::suggest::Shape;
use osmo_values::{Chart, DeploymentSpec, lint, schema};

/// The command that regenerates every file, as printed beside a stale one.
pub const FIX: &str = "cargo xtask codegen";

/// One generated file: where it lives (relative to the workspace root) and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Path from the workspace root, `/`-separated.
    pub path: String,
    /// The whole contents.
    pub contents: String,
}

/// A row of the table: what the files are, and the function that makes them.
pub struct Generator {
    /// What the files are, in a few words (shown by `codegen`).
    pub what: &'static str,
    /// Makes the files in memory.
    pub make: fn() -> Vec<Generated>,
}

/// Every generated file of the repository.
pub const GENERATORS: &[Generator] = &[
    Generator {
        what: "JSON Schemas of the charts' values",
        make: chart_schemas,
    },
    Generator {
        what: "JSON Schema of the deployment spec",
        make: spec_schema,
    },
    Generator {
        what: "the linter's key trees",
        make: key_trees,
    },
    Generator {
        what: "the linter's validation schemas",
        make: validation_schemas,
    },
    Generator {
        what: "the rules reference",
        make: rules_doc,
    },
];

/// `schemas/<release>/<chart>.values.schema.json`, from each chart's typed model.
fn chart_schemas() -> Vec<Generated> {
    Chart::every()
        .map(|chart| Generated {
            path: format!("schemas/{}", chart.schema_file()),
            contents: schema::to_pretty(&chart.schema()),
        })
        .collect()
}

/// `schemas/deployment-spec.schema.json`, from [`DeploymentSpec`].
fn spec_schema() -> Vec<Generated> {
    vec![Generated {
        path: "schemas/deployment-spec.schema.json".into(),
        contents: schema::to_pretty(&DeploymentSpec::schema()),
    }]
}

/// `core/src/lint/keys/<release>/<chart>.keys`: the key tree of each chart's schema, which
/// the linter embeds instead of building the schema.
fn key_trees() -> Vec<Generated> {
    Chart::every()
        .map(|chart| Generated {
            path: format!("core/src/lint/keys/{}/{}.keys", chart.release, chart.name),
            contents: Shape::from_schema(&chart.schema()).encode(),
        })
        .collect()
}

/// `core/src/lint/schemas/<release>/<chart>.json`: each chart's schema as the linter's
/// validator reads it (references kept, annotations dropped).
fn validation_schemas() -> Vec<Generated> {
    Chart::every()
        .map(|chart| Generated {
            path: format!(
                "core/src/lint/schemas/{}/{}.json",
                chart.release, chart.name
            ),
            contents: schema::to_pretty(&lint::validation_schema(chart)),
        })
        .collect()
}

/// `docs/rules.md`, from the rules table.
fn rules_doc() -> Vec<Generated> {
    vec![Generated {
        path: "docs/rules.md".into(),
        contents: lint::rules_markdown(),
    }]
}

/// Every generated file, in table order.
#[cfg(test)]
fn generate_all() -> Vec<Generated> {
    GENERATORS.iter().flat_map(|g| (g.make)()).collect()
}

/// The files under `root` whose committed contents differ from `files` (missing ones too).
pub fn stale(root: &Path, files: &[Generated]) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(root.join(&f.path)).ok().as_deref() != Some(f.contents.as_str())
        })
        .map(|f| PathBuf::from(&f.path))
        .collect()
}

/// Writes the generated files that differ from what is under `root` (or, with `check`, only
/// reports them and fails).
pub fn run(root: &Path, check: bool) -> Result<()> {
    let mut count = 0;
    let mut stale_files: Vec<(&str, Generated)> = Vec::new();
    for generator in GENERATORS {
        let files = (generator.make)();
        count += files.len();
        let old = stale(root, &files);
        stale_files.extend(
            files
                .into_iter()
                .filter(|f| old.contains(&PathBuf::from(&f.path)))
                .map(|f| (generator.what, f)),
        );
    }
    if stale_files.is_empty() {
        println!("xtask: the {count} generated files are up to date");
        return Ok(());
    }
    if check {
        for (what, file) in &stale_files {
            println!("stale: {} ({what}); fix: {FIX}", file.path);
        }
        bail!(
            "{} generated file{} out of date: run `{FIX}` and commit the result",
            stale_files.len(),
            if stale_files.len() == 1 {
                " is"
            } else {
                "s are"
            }
        );
    }
    for (what, file) in &stale_files {
        let path = root.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&path, &file.contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("xtask: wrote {} ({what})", file.path);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generator_makes_files_with_distinct_paths() {
        let files = generate_all();
        for g in GENERATORS {
            assert!(!(g.make)().is_empty(), "{} makes no file", g.what);
        }
        let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        paths.sort_unstable();
        let count = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), count, "two generators write the same path");
        assert!(files.iter().all(|f| !f.contents.is_empty()));
    }

    #[test]
    fn codegen_writes_what_check_then_finds_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let files = generate_all();
        assert_eq!(stale(dir.path(), &files).len(), files.len());
        run(dir.path(), true).unwrap_err();
        run(dir.path(), false).unwrap();
        assert!(stale(dir.path(), &files).is_empty());
        run(dir.path(), true).unwrap();
        let edited = dir.path().join(&files[0].path);
        std::fs::write(&edited, "{}").unwrap();
        assert_eq!(
            stale(dir.path(), &files),
            vec![PathBuf::from(&files[0].path)]
        );
    }
}
