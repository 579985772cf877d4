//! What becomes of one key, from the table of moves and the deployment's
//! merged values: a [`Verdict`] with the values to write.

use serde_json::Value;

use super::input::{self, Deployment, Leaf, get};
use super::report::path_text;
use super::rewrite;
use super::tree::Item;
use crate::path::{Path, Segment};
use crate::release::moves::{self, ENVOY_SWITCH, To};
use crate::{Chart, ChartName, Release};

/// How values written to the same place by several keys combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// One value: the service chart's wins, a different one is a decision.
    No,
    /// Lists joined, duplicates once.
    Union,
    /// Lists joined; an item only a router or web-ui list has is a
    /// decision (JWT providers: 6.3.1 accepts them on every route).
    UnionFromService,
}

/// A value to write, at a path of the 6.3.1 file of the key's layer.
#[derive(Debug, Clone)]
pub struct Put {
    /// Where.
    pub path: Path,
    /// What, with the comments that go along.
    pub item: Item,
    /// How it combines with other keys' values there.
    pub join: Join,
}

/// What becomes of a key.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Written (`note` says what changed on the way).
    Move {
        /// The values to write.
        puts: Vec<Put>,
        /// What changed, if anything.
        note: Option<String>,
    },
    /// Not written.
    Drop(String),
    /// A question; `puts` is written meanwhile.
    Decide {
        /// What to decide.
        question: String,
        /// The values written meanwhile.
        puts: Vec<Put>,
    },
}

impl Verdict {
    /// A move of `item` to `path`.
    pub fn to(path: Path, item: Item, join: Join) -> Verdict {
        Verdict::Move {
            puts: vec![Put { path, item, join }],
            note: None,
        }
    }

    /// A decision with nothing written.
    pub fn ask(question: impl Into<String>) -> Verdict {
        Verdict::Decide {
            question: question.into(),
            puts: Vec::new(),
        }
    }
}

/// What resolving keys reads: the deployment and each install's merged values.
pub struct Ctx<'a> {
    /// The deployment.
    pub dep: &'a Deployment,
    /// The target release.
    pub to: Release,
    /// Merged values per install.
    merged: Vec<Value>,
}

impl<'a> Ctx<'a> {
    /// The context of a deployment.
    pub fn new(dep: &'a Deployment, to: Release) -> Ctx<'a> {
        let merged = dep.installs.iter().map(|i| dep.merged_install(i)).collect();
        Ctx { dep, to, merged }
    }

    /// The merged value at `path` of the install `file` belongs to.
    pub fn value(&self, file: usize, path: &Path) -> Option<&Value> {
        get(&self.merged[self.dep.install_of(file)], path)
    }

    /// The merged value at `path` of the chart's (first) install.
    pub fn chart_value(&self, chart: ChartName, path: &Path) -> Option<&Value> {
        let i = self.dep.installs.iter().position(|i| i.chart == chart)?;
        get(&self.merged[i], path)
    }

    /// A switch of the install `file` belongs to, as the templates test it
    /// (unset: `default`).
    pub fn switch(&self, file: usize, path: &str, default: bool) -> bool {
        self.value(file, &Path::keys(path)).map_or(default, truthy)
    }

    /// A switch of the chart's install (unset or no install: `default`).
    pub fn chart_switch(&self, chart: ChartName, path: &str, default: bool) -> bool {
        self.chart_value(chart, &Path::keys(path))
            .map_or(default, truthy)
    }

    /// Whether the chart's Envoy sidecar was on.
    pub fn envoy_on(&self, chart: ChartName) -> bool {
        chart == ChartName::BackendOperator || self.chart_switch(chart, ENVOY_SWITCH, true)
    }

    /// The chart of a file.
    pub fn chart(&self, file: usize) -> ChartName {
        self.dep.sources[file].chart
    }
}

/// Go templates' truth: false, 0, "", null, empty lists and maps are false.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// The words for a chart in the report.
pub fn chart_words(chart: ChartName) -> &'static str {
    match chart {
        ChartName::Service => "service chart",
        ChartName::Router => "router chart",
        ChartName::WebUi => "web-ui chart",
        ChartName::BackendOperator => "backend-operator chart",
    }
}

/// A value in the report's words: JSON, shortened.
pub fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// The verdict on one key.
pub fn leaf(ctx: &Ctx<'_>, leaf: &Leaf) -> Verdict {
    let chart = ctx.chart(leaf.file);
    if leaf.shadowed {
        return Verdict::Drop(
            "written twice in the same block: Helm keeps only the later one, so this one never had an \
             effect"
                .to_owned(),
        );
    }
    let unknown = || {
        // Name the first key the chart does not know, not the leaf below it.
        let first = (1..=leaf.path.0.len())
            .map(|n| Path(leaf.path.0[..n].to_vec()))
            .find(|p| !input::known(chart, p))
            .unwrap_or_else(|| leaf.path.clone());
        Verdict::ask(format!(
            "`{}` is not a key the 6.2.10 {} reads (a typo, or a key of another release), so this had \
             no effect; if it meant something, write it under its 6.3.1 name",
            path_text(&first),
            chart_words(chart)
        ))
    };
    let Some(found) = moves::lookup(chart, &leaf.path) else {
        return unknown();
    };
    // A block the table drops as a whole (removed in 1.2.1, per-pod Envoy
    // settings) goes with everything in it, known keys or not.
    if let To::Dropped(reason) = found.row.to {
        return Verdict::Drop(reason.to_owned());
    }
    if !input::known(chart, &leaf.path) {
        return unknown();
    }
    let is_sidecar = matches!(leaf.path.0.first(), Some(Segment::Key(k)) if k == "sidecars");
    if is_sidecar && !ctx.envoy_on(chart) && leaf.path != Path::keys(ENVOY_SWITCH) {
        return Verdict::Drop(format!(
            "no effect in 6.2.10: the {}'s Envoy was off (sidecars.envoy.enabled: false), so no request \
             reached this sidecar setting",
            chart_words(chart)
        ));
    }
    let json = leaf.item.to_json();
    let verdict = match found.row.to {
        To::Path(_) => Verdict::to(target(&found), leaf.item.clone(), Join::No),
        To::Join(_) => Verdict::to(target(&found), leaf.item.clone(), Join::Union),
        To::Rewrite(_, rw) => rewrite::apply(ctx, leaf, target(&found), rw),
        To::SameAsService {
            path,
            default,
            otherwise,
        } => {
            let service_path =
                moves::instantiate(path, &found.captured, &leaf.path.0[found.matched..]);
            let service = ctx
                .chart_value(ChartName::Service, &service_path)
                .cloned()
                .unwrap_or_else(|| serde_json::from_str(default).unwrap_or(Value::Null));
            // The value in effect for this chart after its layers merge.
            let mine = ctx
                .value(leaf.file, &leaf.path)
                .cloned()
                .unwrap_or_else(|| json.clone());
            if same(&mine, &service) {
                Verdict::Drop(format!(
                    "the same as the service chart's `{}`; 6.3.1 has one for the router, the UI and the \
                     API together",
                    path_text(&service_path)
                ))
            } else if otherwise.is_some() {
                Verdict::Move {
                    puts: vec![Put {
                        path: target(&found),
                        item: leaf.item.clone(),
                        join: Join::No,
                    }],
                    note: Some(format!(
                        "the service chart's `{}` is {}: this value is kept for this component only",
                        path_text(&service_path),
                        shown(&service)
                    )),
                }
            } else {
                Verdict::ask(format!(
                    "the {} sets {}, the service chart {} (`{}`); 6.3.1 has one value for both, and the \
                     service chart's applies: set it there if this one \
                     must win",
                    chart_words(chart),
                    shown(&mine),
                    shown(&service),
                    path_text(&service_path)
                ))
            }
        }
        To::Inert {
            switch,
            default_on,
            reason,
            question,
        } => {
            if ctx.switch(leaf.file, switch, default_on) {
                Verdict::ask(question)
            } else {
                Verdict::Drop(reason.to_owned())
            }
        }
        To::DroppedIf {
            value,
            reason,
            question,
        } => {
            let safe: Value = serde_json::from_str(value).unwrap_or(Value::Null);
            if same(&json, &safe) {
                Verdict::Drop(reason.to_owned())
            } else {
                Verdict::ask(question)
            }
        }
        To::Dropped(reason) => Verdict::Drop(reason.to_owned()),
        To::Decide(question) => Verdict::ask(question),
    };
    refuse_null_blocks(verdict, &json, chart)
}

/// Values equal as Helm compares them (numbers by value).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn target(found: &moves::Found) -> Path {
    found.target.clone().unwrap_or_default()
}

/// A `null` would delete a whole default block of the 6.3.1 chart, which
/// its templates dereference (a render error): not written, a decision.
fn refuse_null_blocks(verdict: Verdict, json: &Value, chart: ChartName) -> Verdict {
    if !json.is_null() {
        return verdict;
    }
    let Verdict::Move { puts, .. } = &verdict else {
        return verdict;
    };
    let shape = crate::lint::shape(target_chart(chart));
    let block = puts
        .iter()
        .find(|p| shape.at(&p.path).is_some_and(|s| !s.props.is_empty()));
    match block {
        Some(p) => Verdict::ask(format!(
            "`null` here deleted a whole block of 6.2.10 defaults; at `{}` it would delete the 6.3.1 \
             chart's defaults, which its templates need (the render fails); set \
             the keys inside instead",
            path_text(&p.path)
        )),
        None => verdict,
    }
}

/// The 6.3.1 chart a 6.2.10 chart's keys go to.
pub fn target_chart(chart: ChartName) -> Chart {
    let name = match chart {
        ChartName::BackendOperator => ChartName::BackendOperator,
        _ => ChartName::Service,
    };
    Chart {
        release: Release::V6_3_1,
        name,
    }
}
