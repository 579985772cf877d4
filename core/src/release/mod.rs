//! The OSMO releases this crate models, as an ordered type that code asks
//! questions of, and each release's table of charts.
//!
//! A release is a value ([`Release`]), not an assumption: 6.2.10 ships four
//! charts (`service`, `router`, `web-ui`, `backend-operator`) with an Envoy
//! sidecar in every pod; 6.3.1 ships two (`service`, with the router, the web
//! UI and a central Envoy gateway merged in, and `backend-operator`). Code
//! that depends on the difference asks the release ([`Release::has_gateway`],
//! [`Release::charts`]) instead of comparing version strings, and the chart
//! facts that differ per release (the defaults the rules read, Envoy cluster
//! names, skip-auth paths, host-name keys, images) live in one module per
//! release: [`v6_2`] and [`v6_3`].
//!
//! ```
//! use osmo_values::{ChartName, Release};
//! assert!(Release::V6_2_10 < Release::V6_3_1);
//! assert_eq!(Release::LATEST, Release::V6_3_1);
//! assert_eq!("6.2.10".parse::<Release>().unwrap(), Release::V6_2_10);
//! assert_eq!(Release::V6_3_1.charts(), [ChartName::Service, ChartName::BackendOperator]);
//! assert!(Release::V6_3_1.has_gateway() && !Release::V6_2_10.has_gateway());
//! assert_eq!(Release::V6_2_10.chart_version(), "1.2.1");
//! ```

pub mod moves;
pub mod v6_2;
pub mod v6_3;

use std::fmt;
use std::str::FromStr;

use crate::chart::ChartName;

/// The Helm repository NVIDIA publishes the OSMO charts in (`helm repo add
/// osmo ...`), for every release.
pub const HELM_REPO: &str = "https://helm.ngc.nvidia.com/nvidia/osmo";

/// An OSMO release whose charts this crate models. Releases are ordered by
/// age, so `release >= Release::V6_3_1` reads as "6.3.1 or later".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Release {
    /// OSMO 6.2.10 (March 2026): four charts at version 1.2.1, appVersion 6.2.
    V6_2_10,
    /// OSMO 6.3.1 (June 2026): `service` (router, web UI and gateway merged
    /// in) and `backend-operator`, both at version 1.3.1.
    V6_3_1,
}

/// The table of one release: its tags and its charts.
#[derive(Debug)]
struct Table {
    /// The release tag, such as `6.2.10`.
    osmo: &'static str,
    /// The charts' `appVersion`.
    app_version: &'static str,
    /// The Helm chart version every chart of the release has.
    chart_version: &'static str,
    /// The charts, in install order.
    charts: &'static [ChartName],
}

const V6_2_10: Table = Table {
    osmo: "6.2.10",
    app_version: "6.2",
    chart_version: "1.2.1",
    charts: &[
        ChartName::Service,
        ChartName::Router,
        ChartName::WebUi,
        ChartName::BackendOperator,
    ],
};

const V6_3_1: Table = Table {
    osmo: "6.3.1",
    app_version: "6.3.1",
    chart_version: "1.3.1",
    charts: &[ChartName::Service, ChartName::BackendOperator],
};

impl Release {
    /// Every supported release, oldest first.
    pub const ALL: [Release; 2] = [Release::V6_2_10, Release::V6_3_1];

    /// The newest supported release: what a new deployment gets by default.
    pub const LATEST: Release = Release::V6_3_1;

    fn table(self) -> &'static Table {
        match self {
            Release::V6_2_10 => &V6_2_10,
            Release::V6_3_1 => &V6_3_1,
        }
    }

    /// The release tag, such as `6.2.10`; also the default image tag.
    pub fn as_str(self) -> &'static str {
        self.table().osmo
    }

    /// The charts' `appVersion`, such as `6.2`.
    pub fn app_version(self) -> &'static str {
        self.table().app_version
    }

    /// The Helm chart version of every chart of the release, such as `1.2.1`.
    pub fn chart_version(self) -> &'static str {
        self.table().chart_version
    }

    /// The release's charts, in install order.
    pub fn charts(self) -> &'static [ChartName] {
        self.table().charts
    }

    /// Whether the release ships `chart`.
    ///
    /// ```
    /// use osmo_values::{ChartName, Release};
    /// assert!(Release::V6_2_10.has_chart(ChartName::Router));
    /// assert!(!Release::V6_3_1.has_chart(ChartName::Router));
    /// ```
    pub fn has_chart(self, chart: ChartName) -> bool {
        self.charts().contains(&chart)
    }

    /// Whether traffic enters through one central Envoy gateway (`gateway.*`
    /// of the service chart) instead of an Envoy sidecar per pod.
    pub fn has_gateway(self) -> bool {
        self >= Release::V6_3_1
    }

    /// Whether the service chart can render OSMO's configuration into a
    /// ConfigMap (`services.configs`).
    pub fn has_configmap_mode(self) -> bool {
        self >= Release::V6_3_1
    }

    /// Whether the charts refuse known-bad values at render time (6.2 has
    /// `validation.yaml` templates; 6.3 refuses nothing).
    pub fn refuses_bad_values(self) -> bool {
        self == Release::V6_2_10
    }

    /// The release a version string names: the full tag (`6.3.1`) or its
    /// minor version (`6.3`).
    ///
    /// ```
    /// use osmo_values::Release;
    /// assert_eq!(Release::parse_tag("6.3"), Some(Release::V6_3_1));
    /// assert_eq!(Release::parse_tag("v6.2.10"), Some(Release::V6_2_10));
    /// assert_eq!(Release::parse_tag("6.4.0"), None);
    /// ```
    pub fn parse_tag(s: &str) -> Option<Release> {
        let s = s.trim().trim_start_matches('v');
        Release::ALL.into_iter().find(|r| {
            r.as_str() == s
                || r.as_str()
                    .rsplit_once('.')
                    .is_some_and(|(minor, _)| minor == s)
        })
    }
}

impl Release {
    /// Facts about `chart` at this release that rules and the generator
    /// read, or `None` when the release has no such chart.
    ///
    /// ```
    /// use osmo_values::{ChartName, Release};
    /// let facts = Release::V6_2_10.facts(ChartName::Router).unwrap();
    /// assert_eq!(facts.skip_auth_paths, ["/api/router/version"]);
    /// assert!(Release::V6_3_1.facts(ChartName::Router).is_none());
    /// ```
    pub fn facts(self, chart: ChartName) -> Option<&'static ChartFacts> {
        if !self.has_chart(chart) {
            return None;
        }
        Some(match self {
            Release::V6_2_10 => v6_2::facts(chart),
            Release::V6_3_1 => v6_3::facts(chart),
        })
    }

    /// The defaults of `chart` at this release that the rules read (not
    /// the whole `values.yaml`: the keys the rules judge merged values
    /// with), or an empty map when the release has no such chart.
    pub fn rule_defaults(self, chart: ChartName) -> serde_json::Value {
        if !self.has_chart(chart) {
            return serde_json::Value::Object(Default::default());
        }
        match self {
            #[cfg(feature = "release-6-2")]
            Release::V6_2_10 => v6_2::defaults(chart),
            // Without 6.2.10 (the browser wizard), no 6.2.10 file is linted.
            #[cfg(not(feature = "release-6-2"))]
            Release::V6_2_10 => serde_json::Value::Object(Default::default()),
            Release::V6_3_1 => v6_3::defaults(chart),
        }
    }
}

impl Release {
    /// [`Release::rule_defaults`], built once per process and shared by
    /// every thread (the linter merges every install over them).
    pub fn shared_rule_defaults(self, chart: ChartName) -> &'static serde_json::Value {
        use std::sync::OnceLock;
        const SLOTS: usize = Release::ALL.len() * ChartName::ALL.len();
        static CELLS: [OnceLock<serde_json::Value>; SLOTS] = [const { OnceLock::new() }; SLOTS];
        let r = Release::ALL.iter().position(|x| *x == self).unwrap_or(0);
        let c = ChartName::ALL.iter().position(|x| *x == chart).unwrap_or(0);
        CELLS[r * ChartName::ALL.len() + c].get_or_init(|| self.rule_defaults(chart))
    }
}

/// Facts about one chart at one release that rules and the generator read.
#[derive(Debug)]
pub struct ChartFacts {
    /// Values path of the public host name the chart serves, if any.
    pub hostname: Option<&'static str>,
    /// Values path of the chart's Ingress block, if it has one.
    pub ingress: Option<&'static str>,
    /// The paths the chart lets through without a token by default (its
    /// `skipAuthPaths`; a values list replaces it).
    pub skip_auth_paths: &'static [&'static str],
    /// Values path of that list, if the chart has one.
    pub skip_auth_key: Option<&'static str>,
    /// Values path of the list that adds paths to it without replacing
    /// it, if the chart has one.
    pub extra_skip_auth_key: Option<&'static str>,
    /// The Envoy clusters the chart's Envoy configuration can define.
    pub envoy_clusters: &'static [EnvoyCluster],
    /// Keys the chart no longer reads since an earlier chart version:
    /// accepted, with no effect.
    pub removed_keys: &'static [&'static str],
    /// The OSMO images the chart runs.
    pub images: &'static [Image],
    /// Maps of the chart's defaults whose keys the templates read without
    /// checking that the map exists: a `null` that deletes one makes Helm
    /// fail to render (6.3.1; the 6.2 charts are not described here).
    pub required_maps: &'static [RequiredMap],
}

/// A map of a chart's defaults that the templates dereference: deleting it
/// with `null` (or an empty `key:`) makes `helm install` fail with a nil
/// pointer error, while the switches in `when` hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequiredMap {
    /// Values path of the map.
    pub path: &'static str,
    /// The switches under which the templates read it: each values path
    /// must be truthy (`true`) or falsy (`false`); empty means always.
    pub when: &'static [(&'static str, bool)],
}

impl ChartFacts {
    /// The cluster named `name`, if the chart can define it.
    pub fn cluster(&self, name: &str) -> Option<&'static EnvoyCluster> {
        self.envoy_clusters.iter().find(|c| c.name == name)
    }
}

/// An Envoy cluster a chart's configuration defines, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvoyCluster {
    /// The cluster name routes and JWT providers refer to.
    pub name: &'static str,
    /// When the chart defines it.
    pub defined: Defined,
}

/// When a chart defines an Envoy cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defined {
    /// Always (while Envoy itself is on).
    Always,
    /// When the boolean at this values path is true.
    Switch(&'static str),
    /// When the string at this values path is not empty.
    NonEmpty(&'static str),
}

/// An OSMO image a chart runs: `<osmoImageLocation>/<name>:<osmoImageTag>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Image {
    /// Values path of the key that names the image.
    pub name_key: &'static str,
    /// The chart's default image name.
    pub default_name: &'static str,
}

impl Image {
    /// An OSMO image named at `name_key`, `default_name` by default.
    pub const fn osmo(name_key: &'static str, default_name: &'static str) -> Image {
        Image {
            name_key,
            default_name,
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A release this crate does not model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown OSMO release `{0}`: expected 6.2.10 or 6.3.1")]
pub struct UnknownRelease(pub String);

impl FromStr for Release {
    type Err = UnknownRelease;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Release::parse_tag(s).ok_or_else(|| UnknownRelease(s.to_owned()))
    }
}

impl serde::Serialize for Release {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Release {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Release {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Release".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let tags: Vec<&str> = Release::ALL.iter().map(|r| r.as_str()).collect();
        schemars::json_schema!({
            "type": "string",
            "enum": tags,
            "description": "An OSMO release: 6.2.10 (four charts) or 6.3.1 (service with the gateway, and backend-operator)."
        })
    }
}
