//! What a set of values files is: which OSMO release, which chart each file
//! is for, and which files are layers of one Helm install (`-f base -f
//! overlay`) versus separate installs of the same chart (one backend
//! operator per backend).
//!
//! The release comes from, in this order: the caller ([`LintOptions::release`]),
//! a file's `yaml-language-server` schema line, what the files contain (a
//! `gateway:` block is 6.3, `sidecars.envoy` is 6.2), and otherwise the
//! newest release, with a note saying so. The chart of a file comes from the
//! caller, its name, or its schema line.
//!
//! Layers of one install merge in an order that does not depend on the
//! order of the arguments: the file with the guides' name
//! (`osmo_values.yaml`) first, then its overlays (`osmo_values.prod.yaml`,
//! `osmo_values-staging.yaml`) by name. [`LayerOrder::AsGiven`] keeps the
//! caller's order instead, like `helm -f a -f b`.

use crate::path::Path;
use crate::yaml::{Document, NodeValue};
use crate::{Chart, ChartName, Release};

use super::LintOptions;

/// How the layers of one install are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LayerOrder {
    /// The base file (the guides' name) first, then its overlays sorted by
    /// file name: the same result whatever order the files are given in.
    #[default]
    BaseFirst,
    /// In the order the files are given, as `helm -f` merges them.
    AsGiven,
}

/// Why the linter judged the files against the release it chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseReason {
    /// The caller asked for it (`--release`).
    Given,
    /// A file's schema line names it.
    Modeline {
        /// Index of the file.
        file: usize,
    },
    /// What a file contains is only found in this release.
    Content {
        /// Index of the file.
        file: usize,
        /// What was found, in the operator's words (`a gateway block`).
        evidence: String,
    },
    /// Nothing told; the newest release was assumed.
    Latest,
}

/// The release the files were judged against, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseChoice {
    /// The release.
    pub release: Release,
    /// Why.
    pub reason: ReleaseReason,
}

impl ReleaseChoice {
    /// A sentence saying which release and why, naming files by `names`.
    ///
    /// ```
    /// use osmo_values::Release;
    /// use osmo_values::lint::{ReleaseChoice, ReleaseReason};
    /// let c = ReleaseChoice { release: Release::V6_3_1, reason: ReleaseReason::Latest };
    /// assert_eq!(c.describe(&[]), "OSMO 6.3.1 (nothing in the files names a release: the newest is assumed; pass --release to choose)");
    /// ```
    pub fn describe(&self, names: &[&str]) -> String {
        let name = |i: usize| names.get(i).copied().unwrap_or("a file");
        let why = match &self.reason {
            ReleaseReason::Given => "as asked".to_owned(),
            ReleaseReason::Modeline { file } => {
                format!("from the schema line of {}", name(*file))
            }
            ReleaseReason::Content { file, evidence } => {
                format!("{} has {evidence}", name(*file))
            }
            ReleaseReason::Latest => {
                "nothing in the files names a release: the newest is assumed; pass --release to choose"
                    .to_owned()
            }
        };
        format!("OSMO {} ({why})", self.release)
    }
}

/// One Helm install the files describe: a chart and its values files in
/// merge order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Install {
    /// The chart.
    pub chart: Chart,
    /// The backend this install of the backend operator serves, when the
    /// files say (`backend_operator_values.<backend>.yaml`).
    pub backend: Option<String>,
    /// Indexes of the files, in the order they merge (later wins).
    pub files: Vec<usize>,
}

/// The chart a file is for, from its base name: `osmo_values.yaml`
/// (service), `router_values.yaml`, `ui_values.yaml` (web-ui),
/// `backend_operator_values.yaml`, also with a suffix such as
/// `osmo_values.prod.yaml` or `osmo_values-prod.yml`.
///
/// ```
/// use osmo_values::{lint::detect_chart, ChartName};
/// assert_eq!(detect_chart("deploy/osmo_values.prod.yaml"), Some(ChartName::Service));
/// assert_eq!(detect_chart("C:\\x\\ui_values-staging.yml"), Some(ChartName::WebUi));
/// assert_eq!(detect_chart("values.yaml"), None);
/// ```
pub fn detect_chart(file_name: &str) -> Option<ChartName> {
    name_parts(file_name).map(|(chart, _)| chart)
}

/// The chart of a file name and the suffix after the guides' stem
/// (`Some("prod")` for `osmo_values.prod.yaml`, `None` for the base file).
pub(crate) fn name_parts(file_name: &str) -> Option<(ChartName, Option<&str>)> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = base
        .strip_suffix(".yaml")
        .or_else(|| base.strip_suffix(".yml"))?;
    ChartName::ALL.into_iter().find_map(|c| {
        let want = guide_stem(c);
        let rest = stem.strip_prefix(want)?;
        if rest.is_empty() {
            Some((c, None))
        } else if rest.starts_with(['.', '-', '_']) && rest.len() > 1 {
            Some((c, Some(&rest[1..])))
        } else {
            None
        }
    })
}

/// The guides' file name of a chart without `.yaml`.
pub(crate) fn guide_stem(chart: ChartName) -> &'static str {
    match chart {
        ChartName::Service => "osmo_values",
        ChartName::Router => "router_values",
        ChartName::WebUi => "ui_values",
        ChartName::BackendOperator => "backend_operator_values",
    }
}

/// The schema a file's `# yaml-language-server: $schema=...` line names.
pub(crate) fn modeline(text: &str) -> Option<&str> {
    text.lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .find_map(|l| {
            let rest = l.trim_start().strip_prefix('#')?.trim_start();
            let rest = rest.strip_prefix("yaml-language-server:")?.trim_start();
            rest.strip_prefix("$schema=").map(str::trim)
        })
}

/// The release and chart a schema URL names: `.../schemas/6.3.1/service.values.schema.json`.
/// A schema without a release folder is one of the 6.2.10 schemas published
/// before releases had folders.
///
/// ```
/// use osmo_values::lint::schema_target;
/// use osmo_values::{ChartName, Release};
/// let url = "https://example.org/schemas/6.3.1/backend-operator.values.schema.json";
/// assert_eq!(schema_target(url), (Some(Release::V6_3_1), Some(ChartName::BackendOperator)));
/// assert_eq!(schema_target("../schemas/router.values.schema.json"), (Some(Release::V6_2_10), Some(ChartName::Router)));
/// assert_eq!(schema_target("https://json.schemastore.org/x.json"), (None, None));
/// ```
pub fn schema_target(url: &str) -> (Option<Release>, Option<ChartName>) {
    let mut parts = url.rsplit('/');
    let file = parts.next().unwrap_or_default();
    let Some(chart) = file
        .strip_suffix(".values.schema.json")
        .and_then(|n| n.parse::<ChartName>().ok())
    else {
        return (None, None);
    };
    let folder = parts.next().unwrap_or_default();
    let release = match Release::ALL.into_iter().find(|r| r.as_str() == folder) {
        Some(r) => Some(r),
        None if folder == "schemas" => Some(Release::V6_2_10),
        None => None,
    };
    (release, Some(chart))
}

/// What a file's content says about its release: the first telling key
/// found, with words for it.
pub(crate) fn content_release(chart: ChartName, doc: &Document) -> Option<(Release, String)> {
    let has = |p: &str| doc.root.at(&Path::keys(p)).is_some();
    let tag = doc
        .root
        .at(&Path::keys("global.osmoImageTag"))
        .and_then(|n| match &n.value {
            NodeValue::String(s) => Some(s.clone()),
            _ => None,
        });
    match chart {
        ChartName::Router | ChartName::WebUi => {
            return Some((Release::V6_2_10, format!("the {chart} chart's values")));
        }
        ChartName::Service => {
            for (key, words) in [
                ("gateway", "a `gateway` block"),
                ("services.router", "a `services.router` block"),
                ("services.ui", "a `services.ui` block"),
                ("services.configs", "a `services.configs` block"),
            ] {
                if has(key) {
                    return Some((Release::V6_3_1, words.to_owned()));
                }
            }
            for (key, words) in [
                ("sidecars", "a `sidecars` block"),
                (
                    "services.service.ingress",
                    "a `services.service.ingress` block",
                ),
            ] {
                if has(key) {
                    return Some((Release::V6_2_10, words.to_owned()));
                }
            }
        }
        ChartName::BackendOperator => {
            if has("global.networkPolicy") {
                return Some((Release::V6_3_1, "a `global.networkPolicy` block".to_owned()));
            }
            if has("global.network") {
                return Some((Release::V6_2_10, "a `global.network` block".to_owned()));
            }
        }
    }
    let tag = tag?;
    let release = Release::ALL.into_iter().find(|r| {
        let minor = r.as_str().rsplit_once('.').map_or(r.as_str(), |(m, _)| m);
        tag == r.as_str()
            || tag
                .strip_prefix(minor)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '-']))
    })?;
    Some((release, format!("the image tag `{tag}`")))
}

/// A file as the planner sees it.
pub(crate) struct PlanFile<'a> {
    /// The name as given.
    pub name: &'a str,
    /// The text, when the file could be read.
    pub text: Option<&'a str>,
    /// The parsed document, when the file could be read.
    pub doc: Option<&'a Document>,
}

/// The chart of each file, in input order, or the first file whose chart
/// cannot be told: by the caller, by name, or by schema line.
pub(crate) fn charts(
    files: &[PlanFile<'_>],
    options: &LintOptions,
) -> Result<Vec<ChartName>, super::LintError> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let by_name = detect_chart(f.name);
        let chart = match (options.chart, by_name) {
            (Some(c), Some(d)) if c != d => {
                return Err(super::LintError::MixedCharts {
                    file: f.name.to_owned(),
                    chart: c,
                    detected: d,
                });
            }
            (Some(c), _) => c,
            (None, Some(d)) => d,
            (None, None) => match f.text.and_then(modeline).and_then(|m| schema_target(m).1) {
                Some(c) => c,
                None => {
                    return Err(super::LintError::NoChart {
                        file: f.name.to_owned(),
                    });
                }
            },
        };
        out.push(chart);
    }
    Ok(out)
}

/// The release to judge the files against, and why.
pub(crate) fn release(
    files: &[PlanFile<'_>],
    charts: &[ChartName],
    options: &LintOptions,
) -> ReleaseChoice {
    if let Some(release) = options.release {
        return ReleaseChoice {
            release,
            reason: ReleaseReason::Given,
        };
    }
    for (i, f) in files.iter().enumerate() {
        if let Some(release) = f.text.and_then(modeline).and_then(|m| schema_target(m).0) {
            return ReleaseChoice {
                release,
                reason: ReleaseReason::Modeline { file: i },
            };
        }
    }
    for (i, f) in files.iter().enumerate() {
        if let Some((release, evidence)) = f.doc.and_then(|d| content_release(charts[i], d)) {
            return ReleaseChoice {
                release,
                reason: ReleaseReason::Content { file: i, evidence },
            };
        }
    }
    ReleaseChoice {
        release: Release::LATEST,
        reason: ReleaseReason::Latest,
    }
}

/// The installs the files make up, in chart install order.
///
/// Files of a chart are layers of one install, except backend-operator
/// files named `backend_operator_values.<backend>.yaml`: each is an install
/// of its own when `<backend>` is one of `options.backends` (the bundle's
/// `spec.yaml` lists them), or, when no backends are given, when no base
/// `backend_operator_values.yaml` is among the files.
pub(crate) fn installs(
    names: &[&str],
    charts: &[ChartName],
    release: Release,
    options: &LintOptions,
) -> Vec<Install> {
    let mut out: Vec<Install> = Vec::new();
    for chart in ChartName::ALL {
        let members: Vec<usize> = (0..names.len()).filter(|&i| charts[i] == chart).collect();
        if members.is_empty() {
            continue;
        }
        let chart_at = Chart {
            release,
            name: chart,
        };
        let suffix = |i: usize| name_parts(names[i]).and_then(|(_, s)| s);
        let mut layers: Vec<usize> = Vec::new();
        if chart == ChartName::BackendOperator {
            let has_base = members
                .iter()
                .any(|&i| name_parts(names[i]).is_some_and(|(_, s)| s.is_none()));
            for &i in &members {
                let separate = suffix(i).filter(|s| match &options.backends {
                    Some(backends) => backends.iter().any(|b| b == s),
                    None => !has_base,
                });
                match separate {
                    Some(backend) => out.push(Install {
                        chart: chart_at,
                        backend: Some(backend.to_owned()),
                        files: vec![i],
                    }),
                    None => layers.push(i),
                }
            }
            if layers.is_empty() {
                continue;
            }
        } else {
            layers = members;
        }
        if options.order == LayerOrder::BaseFirst {
            // Stable: files with the same key keep the caller's order.
            layers.sort_by_key(|&i| match name_parts(names[i]) {
                Some((_, None)) => (0, ""),
                Some((_, Some(s))) => (1, s),
                None => (2, ""),
            });
        }
        let backend = match (&options.backends, chart) {
            (Some(b), ChartName::BackendOperator) if b.len() == 1 => Some(b[0].clone()),
            _ => None,
        };
        out.push(Install {
            chart: chart_at,
            backend,
            files: layers,
        });
    }
    out.sort_by_key(|i| {
        (
            ChartName::ALL.iter().position(|c| *c == i.chart.name),
            i.backend.clone(),
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(names: &[&str], options: &LintOptions) -> Vec<(ChartName, Option<String>, Vec<usize>)> {
        let charts: Vec<ChartName> = names.iter().map(|n| detect_chart(n).unwrap()).collect();
        installs(names, &charts, Release::V6_2_10, options)
            .into_iter()
            .map(|i| (i.chart.name, i.backend, i.files))
            .collect()
    }

    #[test]
    fn the_base_merges_first_whatever_the_argument_order() {
        let o = LintOptions::default();
        let a = plan(&["osmo_values.prod.yaml", "osmo_values.yaml"], &o);
        assert_eq!(a, vec![(ChartName::Service, None, vec![1, 0])]);
        let given = LintOptions {
            order: LayerOrder::AsGiven,
            ..LintOptions::default()
        };
        let b = plan(&["osmo_values.prod.yaml", "osmo_values.yaml"], &given);
        assert_eq!(b, vec![(ChartName::Service, None, vec![0, 1])]);
        let c = plan(
            &[
                "osmo_values-z.yaml",
                "osmo_values.a.yaml",
                "osmo_values.yaml",
            ],
            &o,
        );
        assert_eq!(c, vec![(ChartName::Service, None, vec![2, 1, 0])]);
    }

    #[test]
    fn per_backend_files_are_installs_of_their_own() {
        let o = LintOptions::default();
        let names = [
            "backend_operator_values.gpu.yaml",
            "osmo_values.yaml",
            "backend_operator_values.cpu.yaml",
        ];
        assert_eq!(
            plan(&names, &o),
            vec![
                (ChartName::Service, None, vec![1]),
                (ChartName::BackendOperator, Some("cpu".into()), vec![2]),
                (ChartName::BackendOperator, Some("gpu".into()), vec![0]),
            ]
        );
        // With a base file, a suffixed file is an overlay of it...
        let names = [
            "backend_operator_values.prod.yaml",
            "backend_operator_values.yaml",
        ];
        assert_eq!(
            plan(&names, &o),
            vec![(ChartName::BackendOperator, None, vec![1, 0])]
        );
        // ...unless the spec names it as a backend.
        let spec = LintOptions {
            backends: Some(vec!["prod".into(), "default".into()]),
            ..LintOptions::default()
        };
        assert_eq!(
            plan(&names, &spec),
            vec![
                (ChartName::BackendOperator, None, vec![1]),
                (ChartName::BackendOperator, Some("prod".into()), vec![0]),
            ]
        );
    }

    #[test]
    fn modelines_and_content_tell_the_release() {
        let text = "# yaml-language-server: $schema=https://x/schemas/6.3.1/service.values.schema.json\nglobal: {}\n";
        assert_eq!(
            modeline(text),
            Some("https://x/schemas/6.3.1/service.values.schema.json")
        );
        assert_eq!(
            modeline("global: {}\n# yaml-language-server: $schema=x\n"),
            None
        );
        let doc = crate::yaml::parse("gateway:\n  envoy: {}\n").unwrap();
        assert_eq!(
            content_release(ChartName::Service, &doc).map(|(r, _)| r),
            Some(Release::V6_3_1)
        );
        let doc = crate::yaml::parse("global:\n  osmoImageTag: \"6.2.10\"\n").unwrap();
        assert_eq!(
            content_release(ChartName::Service, &doc).map(|(r, _)| r),
            Some(Release::V6_2_10)
        );
        let doc = crate::yaml::parse("global:\n  osmoImageTag: \"6.20\"\n").unwrap();
        assert_eq!(content_release(ChartName::Service, &doc), None);
    }
}
