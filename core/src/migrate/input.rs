//! The 6.2.10 deployment read in: each file's chart and layer, its tree with
//! comments, its keys (leaves) and each chart's merged values.

use serde_json::Value;

use super::tree::{self, Comments, Item, Loose, Tree};
use super::{MigrateError, MigrateInput, MigrateOptions};
use crate::lint::LintOptions;
use crate::lint::plan::{self, PlanFile};
use crate::path::{Path, Segment};
use crate::yaml::{Document, Pos};
use crate::{Chart, ChartName, Release};

/// One input file.
#[derive(Debug)]
pub struct Source {
    /// The name as given.
    pub name: String,
    /// The file name without directories.
    pub base: String,
    /// Its 6.2.10 chart.
    pub chart: ChartName,
    /// Its overlay suffix (`prod` of `osmo_values.prod.yaml`) and the
    /// character before it; `None` for a base file.
    pub suffix: Option<(char, String)>,
    /// The tree, with comments.
    pub tree: Item,
    /// Comments on no key.
    pub loose: Vec<Loose>,
    /// The values as Helm reads them.
    pub json: Value,
}

/// One key of an input file: a scalar, a list or an empty map, with what
/// is written below it.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// Index of the file.
    pub file: usize,
    /// Its path.
    pub path: Path,
    /// The value with the comments on the key.
    pub item: Item,
    /// Where the key is written.
    pub pos: Pos,
    /// An earlier copy of a key written twice in its map (Helm ignores it).
    pub shadowed: bool,
}

/// A map key that holds other keys, and the comments on it.
#[derive(Debug, Clone)]
pub struct Block {
    /// Index of the file.
    pub file: usize,
    /// Its path.
    pub path: Path,
    /// Its comments.
    pub comments: Comments,
    /// Indexes of the leaves below it, in order.
    pub leaves: std::ops::Range<usize>,
}

/// One Helm install of the 6.2.10 deployment and its files in merge order.
#[derive(Debug, Clone)]
pub struct Install {
    /// The chart.
    pub chart: ChartName,
    /// The backend an operator install serves, when known.
    pub backend: Option<String>,
    /// Indexes of its files, in merge order.
    pub files: Vec<usize>,
}

/// The deployment: files, installs, keys and merged values.
#[derive(Debug)]
pub struct Deployment {
    /// The files, in input order.
    pub sources: Vec<Source>,
    /// The installs, in chart install order.
    pub installs: Vec<Install>,
    /// Every key of every file, file by file in source order.
    pub leaves: Vec<Leaf>,
    /// The map keys above them that carry comments.
    pub blocks: Vec<Block>,
}

impl Deployment {
    /// Reads the files: every one must parse, have a chart and be a 6.2.10
    /// file.
    pub fn read(
        inputs: &[MigrateInput<'_>],
        options: &MigrateOptions,
    ) -> Result<Deployment, MigrateError> {
        if inputs.is_empty() {
            return Err(MigrateError::NoInput);
        }
        let mut docs: Vec<(Document, &str)> = Vec::with_capacity(inputs.len());
        for input in inputs {
            let doc =
                crate::yaml::parse_bytes(input.source).map_err(|e| MigrateError::Unreadable {
                    file: input.name.to_owned(),
                    line: e.pos.line,
                    column: e.pos.column,
                    message: e.message.clone(),
                })?;
            // The bytes parsed, so they are UTF-8.
            let text = std::str::from_utf8(input.source).unwrap_or_default();
            docs.push((doc, text));
        }
        let plan_files: Vec<PlanFile<'_>> = inputs
            .iter()
            .zip(&docs)
            .map(|(i, (doc, text))| PlanFile {
                name: i.name,
                text: Some(text),
                doc: Some(doc),
            })
            .collect();
        let lint_options = LintOptions {
            chart: options.chart,
            release: Some(Release::V6_2_10),
            order: options.order,
            backends: options
                .backends
                .as_ref()
                .map(|b| b.iter().map(|b| b.name.clone()).collect()),
            secrets: None,
        };
        let charts = plan::charts(&plan_files, &lint_options).map_err(|e| match e {
            crate::lint::LintError::NoChart { file } => MigrateError::UnknownChart { file },
            crate::lint::LintError::MixedCharts {
                file,
                chart,
                detected,
            } => MigrateError::MixedCharts {
                file,
                chart,
                detected,
            },
        })?;
        let mut sources = Vec::with_capacity(inputs.len());
        for (i, (input, (doc, text))) in inputs.iter().zip(&docs).enumerate() {
            check_release(input.name, charts[i], doc, text)?;
            let (tree, loose) = tree::build(doc, text);
            let base = input
                .name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(input.name)
                .to_owned();
            sources.push(Source {
                name: input.name.to_owned(),
                suffix: suffix_of(&base, charts[i]),
                base,
                chart: charts[i],
                json: doc.root.to_json(),
                tree,
                loose,
            });
        }
        let names: Vec<&str> = inputs.iter().map(|i| i.name).collect();
        let installs = plan::installs(&names, &charts, Release::V6_2_10, &lint_options)
            .into_iter()
            .map(|i| Install {
                chart: i.chart.name,
                backend: i.backend,
                files: i.files,
            })
            .collect();
        let mut leaves = Vec::new();
        let mut blocks = Vec::new();
        for (file, s) in sources.iter().enumerate() {
            collect(
                file,
                &s.tree,
                &Path::root(),
                None,
                false,
                &mut leaves,
                &mut blocks,
            );
        }
        Ok(Deployment {
            sources,
            installs,
            leaves,
            blocks,
        })
    }

    /// The merged values of the install of `chart` (the first one for the
    /// backend operator), or an empty map when the deployment has none.
    pub fn merged(&self, chart: ChartName) -> Value {
        self.installs.iter().find(|i| i.chart == chart).map_or_else(
            || Value::Object(Default::default()),
            |i| self.merged_install(i),
        )
    }

    /// The merged values of one install.
    pub fn merged_install(&self, install: &Install) -> Value {
        let mut out = Value::Object(Default::default());
        for &f in &install.files {
            merge(&mut out, &self.sources[f].json);
        }
        out
    }

    /// The install a file belongs to.
    pub fn install_of(&self, file: usize) -> usize {
        self.installs
            .iter()
            .position(|i| i.files.contains(&file))
            .unwrap_or(0)
    }

    /// Whether the deployment has files of `chart`.
    pub fn has(&self, chart: ChartName) -> bool {
        self.sources.iter().any(|s| s.chart == chart)
    }

    /// The position of a file in its install's merge order.
    pub fn layer_rank(&self, file: usize) -> usize {
        let install = &self.installs[self.install_of(file)];
        install.files.iter().position(|&f| f == file).unwrap_or(0)
    }
}

/// Merges `over` into `base` as `helm -f base -f over` does: maps key by
/// key, anything else replaced.
pub fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// The value at `path`, if any.
pub fn get<'v>(value: &'v Value, path: &Path) -> Option<&'v Value> {
    let mut v = value;
    for seg in &path.0 {
        v = match (v, seg) {
            (Value::Object(m), Segment::Key(k)) => m.get(k)?,
            (Value::Array(a), Segment::Index(i)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Walks a tree, recording its leaves and the blocks above them.
fn collect(
    file: usize,
    item: &Item,
    path: &Path,
    pos: Option<Pos>,
    shadowed: bool,
    leaves: &mut Vec<Leaf>,
    blocks: &mut Vec<Block>,
) {
    match &item.value {
        Tree::Map(entries) if entries.iter().any(|_| true) => {
            let first = leaves.len();
            let block = (!path.is_root() && !item.comments.is_empty()).then_some(blocks.len());
            if block.is_some() {
                blocks.push(Block {
                    file,
                    path: path.clone(),
                    comments: item.comments.clone(),
                    leaves: 0..0,
                });
            }
            for e in entries {
                let child = path.clone().key(e.key.name.clone());
                collect(
                    file,
                    &e.item,
                    &child,
                    e.pos,
                    shadowed || e.shadowed,
                    leaves,
                    blocks,
                );
            }
            if let Some(b) = block {
                blocks[b].leaves = first..leaves.len();
            }
        }
        _ if path.is_root() => {}
        _ => leaves.push(Leaf {
            file,
            path: path.clone(),
            item: item.clone(),
            pos: pos.unwrap_or_default(),
            shadowed,
        }),
    }
}

/// The overlay suffix of a file name and the character before it.
fn suffix_of(base: &str, chart: ChartName) -> Option<(char, String)> {
    let (named, suffix) = plan::name_parts(base)?;
    if named != chart {
        return None;
    }
    let suffix = suffix?;
    let stem = plan::guide_stem(chart);
    let sep = base[stem.len()..].chars().next().unwrap_or('.');
    Some((sep, suffix.to_owned()))
}

/// Refuses a file that is already for a later release, pointing at what
/// says so.
fn check_release(
    name: &str,
    chart: ChartName,
    doc: &Document,
    text: &str,
) -> Result<(), MigrateError> {
    let refuse = |pos: Pos, release: Release, evidence: String| MigrateError::NotFrom {
        file: name.to_owned(),
        line: pos.line,
        column: pos.column,
        release,
        evidence,
    };
    if let Some(url) = plan::modeline(text)
        && let (Some(release), _) = plan::schema_target(url)
        && release != Release::V6_2_10
    {
        let line = text
            .lines()
            .position(|l| l.contains("yaml-language-server"))
            .map_or(1, |i| i + 1);
        let pos = Pos {
            offset: 0,
            line,
            column: 1,
        };
        return Err(refuse(pos, release, "its schema line names it".to_owned()));
    }
    let keys: &[&str] = match chart {
        ChartName::Service => &[
            "gateway",
            "services.router",
            "services.ui",
            "services.configs",
        ],
        ChartName::BackendOperator => &["global.networkPolicy"],
        _ => &[],
    };
    for key in keys {
        if let Some(node) = doc.root.key_at(&Path::keys(key)) {
            return Err(refuse(
                node.span.start,
                Release::V6_3_1,
                format!("it has a `{key}` block, which only 6.3 has"),
            ));
        }
    }
    Ok(())
}

/// Whether `path` is a key of the 6.2.10 `chart` (free-form maps take any
/// key below them).
pub fn known(chart: ChartName, path: &Path) -> bool {
    let Some(chart) = Chart::new(Release::V6_2_10, chart) else {
        return false;
    };
    crate::lint::shape(chart).allows(path)
}
