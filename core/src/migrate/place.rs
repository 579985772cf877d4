//! Where the values go: the 6.3.1 files (one per layer), the values each
//! key writes there, what happens when several keys write the same place,
//! and the files' trees with their comments.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::emit;
use super::input::Deployment;
use super::report::path_text;
use super::resolve::{Join, Put, Verdict, chart_words, same, shown, target_chart};
use super::tree::{Comments, Entry, Item, Key, Tree};
use super::{MigrateError, MigrateOptions};
use crate::chart::SCHEMA_BASE_URL;
use crate::generate::escape::one_line;
use crate::lint::LayerOrder;
use crate::lint::suggest::Shape;
use crate::path::{Path, Segment};
use crate::release::moves;
use crate::{Chart, ChartName, Release};

/// One 6.3.1 values file to write.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Its name.
    pub name: String,
    /// Its 6.3.1 chart.
    pub chart: Chart,
    /// The input files that write into it.
    pub sources: Vec<usize>,
    /// For a backend operator, the index of its install in the deployment.
    pub install: Option<usize>,
}

/// The files to write, each Helm install's in merge order.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// Service files first (base, then overlays), then each operator install's.
    pub files: Vec<OutFile>,
    /// The output file of each input file.
    pub of_source: Vec<usize>,
}

impl Outputs {
    /// One service file per layer of the service, router and web-ui charts
    /// (`osmo_values.yaml`, `osmo_values.prod.yaml`, ...), one operator file
    /// per operator file.
    pub fn plan(dep: &Deployment, options: &MigrateOptions) -> Result<Outputs, MigrateError> {
        let mut layers: Vec<(Option<String>, Vec<usize>)> = Vec::new();
        for (i, s) in dep.sources.iter().enumerate() {
            if s.chart == ChartName::BackendOperator {
                continue;
            }
            let suffix = s.suffix.as_ref().map(|(_, x)| x.clone());
            match layers.iter_mut().find(|(k, _)| *k == suffix) {
                Some((_, files)) => files.push(i),
                None => layers.push((suffix, vec![i])),
            }
        }
        if options.order == LayerOrder::BaseFirst {
            layers.sort_by(|a, b| a.0.is_some().cmp(&b.0.is_some()).then(a.0.cmp(&b.0)));
        }
        let mut files = Vec::new();
        let mut of_source = vec![0; dep.sources.len()];
        for (suffix, members) in layers {
            let name = match &suffix {
                None => "osmo_values.yaml".to_owned(),
                Some(s) => {
                    let sep = members
                        .iter()
                        .map(|&i| &dep.sources[i])
                        .min_by_key(|s| s.chart)
                        .and_then(|s| s.suffix.as_ref().map(|(c, _)| *c))
                        .unwrap_or('.');
                    format!("osmo_values{sep}{s}.yaml")
                }
            };
            for &m in &members {
                of_source[m] = files.len();
            }
            files.push(OutFile {
                name,
                chart: target_chart(ChartName::Service),
                sources: members,
                install: None,
            });
        }
        for (k, install) in dep.installs.iter().enumerate() {
            if install.chart != ChartName::BackendOperator {
                continue;
            }
            for &f in &install.files {
                of_source[f] = files.len();
                files.push(OutFile {
                    name: dep.sources[f].base.clone(),
                    chart: target_chart(ChartName::BackendOperator),
                    sources: vec![f],
                    install: Some(k),
                });
            }
        }
        let mut seen = std::collections::HashSet::new();
        for f in &files {
            if !seen.insert(f.name.as_str()) {
                return Err(MigrateError::SameOutput(f.name.clone()));
            }
        }
        Ok(Outputs { files, of_source })
    }

    /// Indexes of the service files, in merge order.
    pub fn service_files(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.files.len()).filter(|&i| self.files[i].install.is_none())
    }
}

/// Why a value was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loss {
    /// Another key writes the same value there.
    Same(String),
    /// A later file of the same chart writes there (Helm used that one).
    Overridden(String),
    /// Another key writes a different value there: a decision.
    Conflict(String),
}

/// What became of one value to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Written.
    Alive,
    /// Joined into the list another key writes (placement index).
    Joined(usize),
    /// Not written.
    Lost(Loss),
}

/// One value to write into one output file.
#[derive(Debug, Clone)]
pub struct Placement {
    /// The key writing it (`None`: written by the migration itself).
    pub leaf: Option<usize>,
    /// The output file.
    pub out: usize,
    /// What and where.
    pub put: Put,
    /// Chart priority (service first) and position in the chart's merge order.
    pub rank: (usize, usize),
    /// Written or not.
    pub status: Status,
}

/// Every key's verdict and the placements they make.
#[derive(Debug)]
pub struct Placed {
    /// Per key.
    pub verdicts: Vec<Verdict>,
    /// Every value to write.
    pub placements: Vec<Placement>,
}

fn chart_rank(chart: ChartName) -> usize {
    ChartName::ALL.iter().position(|c| *c == chart).unwrap_or(0)
}

impl Placed {
    /// The placements of every key's verdict.
    pub fn new(dep: &Deployment, outs: &Outputs, verdicts: Vec<Verdict>) -> Placed {
        let mut placements = Vec::new();
        for (l, v) in verdicts.iter().enumerate() {
            let leaf = &dep.leaves[l];
            let puts = match v {
                Verdict::Move { puts, .. } | Verdict::Decide { puts, .. } => puts,
                Verdict::Drop(_) => continue,
            };
            let chart = dep.sources[leaf.file].chart;
            for p in puts {
                placements.push(Placement {
                    leaf: Some(l),
                    out: outs.of_source[leaf.file],
                    put: p.clone(),
                    rank: (chart_rank(chart), dep.layer_rank(leaf.file)),
                    status: Status::Alive,
                });
            }
        }
        Placed {
            verdicts,
            placements,
        }
    }

    fn describe(&self, dep: &Deployment, p: usize) -> String {
        match self.placements[p].leaf {
            Some(l) => {
                let leaf = &dep.leaves[l];
                format!(
                    "{} ({}:{}:{}, `{}`)",
                    chart_words(dep.sources[leaf.file].chart),
                    dep.sources[leaf.file].name,
                    leaf.pos.line,
                    leaf.pos.column,
                    path_text(&leaf.path)
                )
            }
            None => "the migration".to_owned(),
        }
    }

    fn chart_of(&self, dep: &Deployment, p: usize) -> Option<ChartName> {
        self.placements[p]
            .leaf
            .map(|l| dep.sources[dep.leaves[l].file].chart)
    }

    /// Settles values written to the same place: lists joined, one value
    /// otherwise (the service chart's, a later layer's), equal values
    /// merged, different ones a decision; then checks across layers that
    /// each chart's final value is the one written.
    pub fn settle(&mut self, dep: &Deployment) {
        let mut groups: BTreeMap<(usize, Path), Vec<usize>> = BTreeMap::new();
        for (i, p) in self.placements.iter().enumerate() {
            groups
                .entry((p.out, p.put.path.clone()))
                .or_default()
                .push(i);
        }
        for ((_, path), members) in &groups {
            if members.len() > 1 {
                self.settle_group(dep, path, members);
            }
        }
        self.settle_prefixes(dep, &groups);
        self.settle_across_layers(dep);
    }

    fn settle_group(&mut self, dep: &Deployment, path: &Path, members: &[usize]) {
        let mut order = members.to_vec();
        // The winner first: service chart before router before web-ui, and a
        // chart's later layer before its earlier ones.
        order.sort_by(|&a, &b| {
            let (ra, rb) = (self.placements[a].rank, self.placements[b].rank);
            ra.0.cmp(&rb.0).then(rb.1.cmp(&ra.1)).then(a.cmp(&b))
        });
        let joined = order
            .iter()
            .all(|&i| self.placements[i].put.join != Join::No);
        let winner = order[0];
        if joined {
            self.join(dep, winner, &order[1..]);
            return;
        }
        let win_json = self.placements[winner].put.item.to_json();
        for &other in &order[1..] {
            let json = self.placements[other].put.item.to_json();
            let by = self.describe(dep, winner);
            let loss = if self.placements[other].rank.0 == self.placements[winner].rank.0 {
                Loss::Overridden(format!(
                    "overridden: {by} sets `{}` too, later in Helm's merge order, and that value was \
                     the one in effect",
                    path_text(path)
                ))
            } else if same(&json, &win_json) {
                Loss::Same(format!(
                    "the same value as {by}, which moves to `{}`",
                    path_text(path)
                ))
            } else {
                Loss::Conflict(format!(
                    "6.3.1 has one `{}`: this sets {}, the {by} sets {}, and the latter is written; \
                     decide which one the deployment needs",
                    path_text(path),
                    shown(&json),
                    shown(&win_json)
                ))
            };
            self.placements[other].status = Status::Lost(loss);
        }
    }

    /// Joins lists into the winner's.
    fn join(&mut self, dep: &Deployment, winner: usize, others: &[usize]) {
        let mut items: Vec<Item> = match &self.placements[winner].put.item.value {
            Tree::Seq(items) => items.clone(),
            _ => vec![self.placements[winner].put.item.clone()],
        };
        let service_items: Vec<Value> = [winner]
            .iter()
            .chain(others)
            .filter(|&&i| self.chart_of(dep, i) == Some(ChartName::Service))
            .flat_map(|&i| match self.placements[i].put.item.to_json() {
                Value::Array(a) => a,
                other => vec![other],
            })
            .collect();
        let mut comments = self.placements[winner].put.item.comments.clone();
        for &o in others {
            let put = &self.placements[o].put;
            let theirs: Vec<Item> = match &put.item.value {
                Tree::Seq(items) => items.clone(),
                _ => vec![put.item.clone()],
            };
            let mut news = Vec::new();
            for item in theirs {
                let json = item.to_json();
                if !items.iter().any(|i| i.to_json() == json) {
                    news.push(json.clone());
                    items.push(item);
                }
            }
            comments.absorb(&put.item.comments);
            let from_service = self.chart_of(dep, o) == Some(ChartName::Service);
            let unchecked = put.join == Join::UnionFromService
                && !from_service
                && !service_items.is_empty()
                && news.iter().any(|n| !service_items.contains(n));
            self.placements[o].status = if unchecked {
                Status::Lost(Loss::Conflict(format!(
                    "this list has entries the API service's did not: {}; 6.3.1's gateway applies one \
                     list to every route, so they now apply to the API too (written): keep or remove them",
                    news.iter()
                        .filter(|n| !service_items.contains(n))
                        .map(shown)
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            } else {
                Status::Joined(winner)
            };
        }
        let w = &mut self.placements[winner].put.item;
        w.value = Tree::Seq(items);
        w.comments = comments;
    }

    /// A value written below a place that another key writes a scalar or a
    /// list to cannot be written.
    fn settle_prefixes(&mut self, dep: &Deployment, groups: &BTreeMap<(usize, Path), Vec<usize>>) {
        let mut alive: HashMap<(usize, Path), usize> = HashMap::new();
        for ((out, path), members) in groups {
            if let Some(&m) = members
                .iter()
                .find(|&&m| self.placements[m].status == Status::Alive)
            {
                alive.insert((*out, path.clone()), m);
            }
        }
        for i in 0..self.placements.len() {
            if self.placements[i].status != Status::Alive {
                continue;
            }
            let (out, path) = (self.placements[i].out, self.placements[i].put.path.clone());
            for n in 1..path.0.len() {
                let prefix = Path(path.0[..n].to_vec());
                if let Some(&m) = alive.get(&(out, prefix.clone()))
                    && !matches!(self.placements[m].put.item.value, Tree::Map(_))
                {
                    let by = self.describe(dep, m);
                    self.placements[i].status = Status::Lost(Loss::Conflict(format!(
                        "the {by} writes `{}` as a whole, which leaves no place for this key: \
                         decide which one the deployment needs",
                        path_text(&prefix)
                    )));
                    break;
                }
            }
        }
    }

    /// Across layers: where several charts wrote one place, each chart's
    /// final value must be the one in effect after the merge.
    fn settle_across_layers(&mut self, dep: &Deployment) {
        let mut by_path: BTreeMap<Path, Vec<usize>> = BTreeMap::new();
        for (i, p) in self.placements.iter().enumerate() {
            if p.put.join == Join::No && p.leaf.is_some() && dep_is_service_side(dep, self, i) {
                by_path.entry(p.put.path.clone()).or_default().push(i);
            }
        }
        for (path, members) in by_path {
            let charts: std::collections::BTreeSet<ChartName> = members
                .iter()
                .filter_map(|&m| self.chart_of(dep, m))
                .collect();
            if charts.len() < 2 {
                continue;
            }
            let Some(&final_one) = members
                .iter()
                .filter(|&&m| self.placements[m].status == Status::Alive)
                .max_by_key(|&&m| self.placements[m].out)
            else {
                continue;
            };
            let final_json = self.placements[final_one].put.item.to_json();
            for chart in charts {
                let Some(&last) = members
                    .iter()
                    .filter(|&&m| self.chart_of(dep, m) == Some(chart))
                    .max_by_key(|&&m| (self.placements[m].out, self.placements[m].rank.1))
                else {
                    continue;
                };
                let json = self.placements[last].put.item.to_json();
                if !same(&json, &final_json)
                    && !matches!(
                        self.placements[last].status,
                        Status::Lost(Loss::Conflict(_))
                    )
                {
                    let by = self.describe(dep, final_one);
                    self.placements[last].status = Status::Lost(Loss::Conflict(format!(
                        "after Helm merges the layers, 6.3.1's one `{}` is the {by}'s {}, but this \
                         chart's was {}: decide which one the deployment needs",
                        path_text(&path),
                        shown(&final_json),
                        shown(&json)
                    )));
                }
            }
        }
    }

    /// Whether an alive placement writes `path` (or a block holding it) in `out`.
    pub fn writes(&self, out: usize, path: &Path) -> bool {
        self.placements.iter().any(|p| {
            p.out == out
                && p.status == Status::Alive
                && (p.put.path == *path
                    || path.0.starts_with(&p.put.path.0)
                    || p.put.path.0.starts_with(&path.0))
        })
    }

    /// The value an alive placement writes at exactly `path` in `out`.
    pub fn written(&self, out: usize, path: &Path) -> Option<Value> {
        self.placements
            .iter()
            .find(|p| p.out == out && p.status == Status::Alive && p.put.path == *path)
            .map(|p| p.put.item.to_json())
    }

    /// Adds a value the migration writes itself.
    pub fn add(&mut self, out: usize, path: Path, value: Value) {
        self.placements.push(Placement {
            leaf: None,
            out,
            put: Put {
                path,
                item: Item::from_json(&value),
                join: Join::No,
            },
            rank: (usize::MAX, 0),
            status: Status::Alive,
        });
    }

    /// The tree of every output file, and per key the comments that found
    /// no place in them.
    pub fn build(&self, dep: &Deployment, outs: &Outputs) -> (Vec<Item>, Vec<Vec<String>>) {
        let mut trees: Vec<Item> = outs
            .files
            .iter()
            .map(|_| Item::bare(Tree::Map(Vec::new())))
            .collect();
        let mut leftover: Vec<Vec<String>> = vec![Vec::new(); dep.leaves.len()];
        let mut written = vec![false; dep.leaves.len()];
        for p in &self.placements {
            if p.status != Status::Alive {
                continue;
            }
            let hint = p
                .leaf
                .and_then(|l| last_key(&dep.sources[dep.leaves[l].file].tree, &dep.leaves[l].path));
            insert(&mut trees[p.out], &p.put.path, p.put.item.clone(), hint);
            if let Some(l) = p.leaf {
                written[l] = true;
            }
        }
        for (l, leaf) in dep.leaves.iter().enumerate() {
            if !written[l] {
                leftover[l].extend(comment_lines(&leaf.item.comments));
            }
        }
        for block in &dep.blocks {
            let out = outs.of_source[block.file];
            let chart = dep.sources[block.file].chart;
            let target = moves::lookup(chart, &block.path)
                .filter(|f| f.matched <= block.path.0.len())
                .and_then(|f| f.target);
            if let Some(t) = target
                && let Some(node) = node_mut(&mut trees[out], &t)
            {
                node.comments.absorb(&block.comments);
                continue;
            }
            // A block without a row of its own (`sidecars`, `services`): its
            // comments go to where its first written key went, at the block's
            // depth (`sidecars` → `gateway`, `sidecars.envoy` → `gateway.envoy`).
            let first_written = block.leaves.clone().find_map(|l| {
                self.placements
                    .iter()
                    .find(|p| p.leaf == Some(l) && p.status == Status::Alive && p.out == out)
                    .map(|p| {
                        let depth = block.path.0.len().min(p.put.path.0.len());
                        Path(p.put.path.0[..depth].to_vec())
                    })
            });
            match first_written.and_then(|p| node_mut(&mut trees[out], &p)) {
                Some(node) => {
                    let mut before = block.comments.before.clone();
                    before.extend(node.comments.before.iter().cloned());
                    node.comments.before = before;
                    if node.comments.trailing.is_none() {
                        node.comments.trailing = block.comments.trailing.clone();
                    }
                }
                None => {
                    if let Some(first) = block.leaves.clone().next() {
                        let mut lines = comment_lines(&block.comments);
                        lines.append(&mut leftover[first]);
                        leftover[first] = lines;
                    }
                }
            }
        }
        for (tree, out) in trees.iter_mut().zip(&outs.files) {
            sort_by_shape(tree, Some(crate::lint::shape(out.chart)));
        }
        (trees, leftover)
    }
}

fn dep_is_service_side(dep: &Deployment, placed: &Placed, i: usize) -> bool {
    placed
        .chart_of(dep, i)
        .is_some_and(|c| c != ChartName::BackendOperator)
}

fn comment_lines(c: &Comments) -> Vec<String> {
    let mut out = c.before.clone();
    out.extend(c.trailing.clone());
    out
}

/// The source key of the last segment of `path` in `tree`.
fn last_key(tree: &Item, path: &Path) -> Option<Key> {
    let mut node = tree;
    let mut key = None;
    for seg in &path.0 {
        let Segment::Key(k) = seg else { return None };
        let Tree::Map(entries) = &node.value else {
            return None;
        };
        let e = entries.iter().rev().find(|e| e.key.name == *k)?;
        key = Some(e.key.clone());
        node = &e.item;
    }
    key
}

/// The node at `path`, when every step is a map key.
fn node_mut<'t>(root: &'t mut Item, path: &Path) -> Option<&'t mut Item> {
    let mut node = root;
    for seg in &path.0 {
        let Segment::Key(k) = seg else { return None };
        let Tree::Map(entries) = &mut node.value else {
            return None;
        };
        node = &mut entries
            .iter_mut()
            .rev()
            .find(|e| e.key.name == *k && !e.shadowed)?
            .item;
    }
    Some(node)
}

/// Writes `item` at `path`, creating the maps above it.
fn insert(root: &mut Item, path: &Path, item: Item, hint: Option<Key>) {
    let mut node = root;
    let n = path.0.len();
    for (i, seg) in path.0.iter().enumerate() {
        let Segment::Key(k) = seg else { return };
        if !matches!(node.value, Tree::Map(_)) {
            node.value = Tree::Map(Vec::new());
        }
        let Tree::Map(entries) = &mut node.value else {
            return;
        };
        let at = match entries.iter().position(|e| e.key.name == *k && !e.shadowed) {
            Some(at) => at,
            None => {
                let key = match &hint {
                    Some(h) if i + 1 == n && h.name == *k => h.clone(),
                    _ => Key::new(k),
                };
                entries.push(Entry {
                    key,
                    item: Item::bare(Tree::Map(Vec::new())),
                    shadowed: false,
                    pos: None,
                });
                entries.len() - 1
            }
        };
        if i + 1 == n {
            let slot = &mut entries[at].item;
            match (&mut slot.value, item.value) {
                (Tree::Map(existing), Tree::Map(new)) => {
                    existing.extend(new);
                    slot.comments.absorb(&item.comments);
                }
                (_, value) => {
                    let mut comments = item.comments;
                    comments.absorb(&slot.comments);
                    *slot = Item { value, comments };
                }
            }
            return;
        }
        node = &mut entries[at].item;
    }
}

/// Orders every map's keys as the 6.3.1 chart's values list them; keys
/// the chart does not list keep their order, after the others.
fn sort_by_shape(item: &mut Item, shape: Option<&Shape>) {
    match &mut item.value {
        Tree::Map(entries) => {
            if let Some(s) = shape
                && !s.order.is_empty()
            {
                entries.sort_by_key(|e| {
                    s.order
                        .iter()
                        .position(|k| *k == e.key.name)
                        .unwrap_or(usize::MAX)
                });
            }
            for e in entries.iter_mut() {
                let child =
                    shape.and_then(|s| s.props.get(&e.key.name).or(s.additional.as_deref()));
                sort_by_shape(&mut e.item, child);
            }
        }
        Tree::Seq(items) => {
            for i in items.iter_mut() {
                sort_by_shape(i, shape.and_then(|s| s.items.as_deref()));
            }
        }
        Tree::Scalar(_) => {}
    }
}

/// The text of an output file: its schema line, a header naming where it
/// came from, and the values.
pub fn file_text(out: &OutFile, tree: &Item, dep: &Deployment) -> String {
    let from: Vec<String> = out
        .sources
        .iter()
        .map(|&s| one_line(&dep.sources[s].name))
        .collect();
    let mut text = format!(
        "# yaml-language-server: $schema={SCHEMA_BASE_URL}{}\n#\n# Values of the OSMO `{}` chart {} (OSMO {}), migrated by osmo-values from\n# OSMO {}: {}.\n# What became of every key: MIGRATION.md. Upgrade with ./upgrade.sh.\n\n",
        out.chart.schema_file(),
        out.chart.name,
        out.chart.version(),
        out.chart.release,
        Release::V6_2_10,
        from.join(", ")
    );
    text.push_str(&emit::document(tree));
    text
}
