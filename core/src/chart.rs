//! The OSMO charts: names, the guides' file, release and namespace names,
//! and each chart's schema and typed model at each [`Release`].
//!
//! A chart is a name at a release ([`Chart`]): the `service` chart of 6.2.10
//! and the one of 6.3.1 are different charts with different models.

use std::fmt;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::path::{Path, Segment};
use crate::release::{ChartFacts, Release};
use crate::schema;
use crate::values::{BackendOperatorValues, RouterValues, ServiceValues, WebUiValues, v6_3};

/// Base URL of the committed JSON Schemas (`schemas/` in the repository):
/// each schema's `$id`, and the schema each generated values file names.
pub const SCHEMA_BASE_URL: &str =
    "https://raw.githubusercontent.com/osmo-values/osmo-values/main/schemas/";

/// Which OSMO chart (see [`Release::charts`] for the charts of a release).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChartName {
    /// `service`: API service, worker, logger, agent, delayed-job monitor.
    Service,
    /// `router`: the router service.
    Router,
    /// `web-ui`: the web user interface.
    WebUi,
    /// `backend-operator`: the operator that runs workflows on a cluster.
    BackendOperator,
}

impl ChartName {
    /// Every chart name any release has, in install order.
    pub const ALL: [ChartName; 4] = [
        ChartName::Service,
        ChartName::Router,
        ChartName::WebUi,
        ChartName::BackendOperator,
    ];

    /// The upstream chart name: `service`, `router`, `web-ui`, `backend-operator`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChartName::Service => "service",
            ChartName::Router => "router",
            ChartName::WebUi => "web-ui",
            ChartName::BackendOperator => "backend-operator",
        }
    }
}

impl fmt::Display for ChartName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown chart name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown chart `{0}`: expected one of service, router, web-ui, backend-operator")]
pub struct UnknownChart(pub String);

impl FromStr for ChartName {
    type Err = UnknownChart;

    /// ```
    /// use osmo_values::ChartName;
    /// assert_eq!("web-ui".parse::<ChartName>().unwrap(), ChartName::WebUi);
    /// assert!("webui".parse::<ChartName>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChartName::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownChart(s.to_owned()))
    }
}

/// One chart at one release.
///
/// ```
/// use osmo_values::{Chart, ChartName, Release};
/// let chart = Chart::new(Release::V6_2_10, ChartName::Router).unwrap();
/// assert_eq!(chart.values_file(), "router_values.yaml");
/// assert_eq!(chart.version(), "1.2.1");
/// assert_eq!((chart.release_name(), chart.namespace()), ("router", "osmo"));
/// assert!(Chart::new(Release::V6_3_1, ChartName::Router).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Chart {
    /// Which release of OSMO.
    pub release: Release,
    /// Which chart.
    pub name: ChartName,
}

impl Chart {
    /// The chart `name` at `release`, or `None` when the release has no
    /// such chart (the router and web-ui charts are part of `service` since
    /// 6.3).
    pub fn new(release: Release, name: ChartName) -> Option<Chart> {
        release.has_chart(name).then_some(Chart { release, name })
    }

    /// Every chart of `release`, in install order.
    pub fn all(release: Release) -> impl Iterator<Item = Chart> {
        release
            .charts()
            .iter()
            .map(move |&name| Chart { release, name })
    }

    /// Every chart of every supported release, oldest release first.
    pub fn every() -> impl Iterator<Item = Chart> {
        Release::ALL.into_iter().flat_map(Chart::all)
    }

    /// The chart's Helm version, such as `1.2.1`.
    pub fn version(&self) -> &'static str {
        self.release.chart_version()
    }

    /// The values file name the deployment guides use.
    pub fn values_file(&self) -> &'static str {
        match self.name {
            ChartName::Service => "osmo_values.yaml",
            ChartName::Router => "router_values.yaml",
            ChartName::WebUi => "ui_values.yaml",
            ChartName::BackendOperator => "backend_operator_values.yaml",
        }
    }

    /// The Helm release name the deployment guides use.
    pub fn release_name(&self) -> &'static str {
        match self.name {
            ChartName::Service => "service",
            ChartName::Router => "router",
            ChartName::WebUi => "ui",
            ChartName::BackendOperator => "osmo-operator",
        }
    }

    /// The namespace the deployment guides install the chart into.
    pub fn namespace(&self) -> &'static str {
        match self.name {
            ChartName::BackendOperator => "osmo-operator",
            _ => "osmo",
        }
    }

    /// Facts about the chart that rules and the generator read (see
    /// [`Release::facts`]).
    pub fn facts(&self) -> &'static ChartFacts {
        match self.release {
            Release::V6_2_10 => crate::release::v6_2::facts(self.name),
            Release::V6_3_1 => crate::release::v6_3::facts(self.name),
        }
    }

    /// The path of the chart's committed schema under `schemas/`, such as
    /// `6.3.1/service.values.schema.json`.
    pub fn schema_file(&self) -> String {
        format!("{}/{}.values.schema.json", self.release, self.name)
    }

    /// The `$id` of the chart's schema: where the committed copy is published.
    ///
    /// ```
    /// use osmo_values::{Chart, ChartName, Release};
    /// let chart = Chart::new(Release::V6_3_1, ChartName::Service).unwrap();
    /// assert!(chart.schema_id().ends_with("/schemas/6.3.1/service.values.schema.json"));
    /// assert_eq!(chart.schema()["$id"], chart.schema_id());
    /// ```
    pub fn schema_id(&self) -> String {
        format!("{SCHEMA_BASE_URL}{}", self.schema_file())
    }

    /// The chart's draft-07 values schema, generated from its typed model.
    pub fn schema(&self) -> Value {
        let mut value = self.schema_with_refs();
        schema::inline_nullable_refs(&mut value);
        value
    }

    /// [`Chart::schema`] with the nullable references left as references
    /// (what the linter compiles; see [`schema::generate_with_refs`]).
    pub(crate) fn schema_with_refs(&self) -> Value {
        let title = format!(
            "Values of the OSMO {} chart {} (OSMO {})",
            self.name,
            self.version(),
            self.release
        );
        let mut value = match (self.release, self.name) {
            (Release::V6_2_10, ChartName::Service) => {
                schema::generate_with_refs::<ServiceValues>(&title)
            }
            (Release::V6_2_10, ChartName::Router) => {
                schema::generate_with_refs::<RouterValues>(&title)
            }
            (Release::V6_2_10, ChartName::WebUi) => {
                schema::generate_with_refs::<WebUiValues>(&title)
            }
            (Release::V6_2_10, ChartName::BackendOperator) => {
                schema::generate_with_refs::<BackendOperatorValues>(&title)
            }
            (Release::V6_3_1, ChartName::BackendOperator) => {
                schema::generate_with_refs::<v6_3::BackendOperatorValues>(&title)
            }
            (Release::V6_3_1, _) => schema::generate_with_refs::<v6_3::ServiceValues>(&title),
        };
        if let Value::Object(map) = &mut value {
            // `$id` right after `$schema`, as editors show it.
            let mut ordered = serde_json::Map::new();
            for (k, v) in std::mem::take(map) {
                let first = k == "$schema";
                ordered.insert(k, v);
                if first {
                    ordered.insert("$id".into(), Value::String(self.schema_id()));
                }
            }
            ordered
                .entry("$id")
                .or_insert_with(|| Value::String(self.schema_id()));
            *map = ordered;
        }
        value
    }

    /// Reads a values file into the chart's typed model, as Helm reads it
    /// (see [`crate::yaml`]).
    ///
    /// Errors carry the line and column: of the YAML problem, of an unknown
    /// key (the key itself), or of a value of the wrong type (the value).
    ///
    /// ```
    /// use osmo_values::{Chart, ChartName, Release};
    /// let chart = Chart::new(Release::V6_2_10, ChartName::WebUi).unwrap();
    /// let err = chart.parse("nameOverride:\n  - ui\n").unwrap_err();
    /// assert_eq!((err.line, err.column), (2, 3));
    /// assert_eq!(err.to_string().split(':').take(3).collect::<Vec<_>>(), ["2", "3", " nameOverride"]);
    /// ```
    pub fn parse(&self, text: &str) -> Result<ChartValues, crate::parse::ParseError> {
        let document = crate::yaml::parse(text)?;
        self.from_json(document.root.to_json())
            .map_err(|err| crate::parse::locate(&document, err))
    }

    /// Reads values already converted to JSON into the chart's typed model.
    ///
    /// The error names the path of the offending key; [`Chart::parse`] maps
    /// it back to a line and column.
    pub fn from_json(&self, value: Value) -> Result<ChartValues, ModelError> {
        Ok(match (self.release, self.name) {
            (Release::V6_2_10, ChartName::Service) => {
                ChartValues::Service(Box::new(deserialize_json(value)?))
            }
            (Release::V6_2_10, ChartName::Router) => {
                ChartValues::Router(Box::new(deserialize_json(value)?))
            }
            (Release::V6_2_10, ChartName::WebUi) => {
                ChartValues::WebUi(Box::new(deserialize_json(value)?))
            }
            (Release::V6_2_10, ChartName::BackendOperator) => {
                ChartValues::BackendOperator(Box::new(deserialize_json(value)?))
            }
            (Release::V6_3_1, ChartName::BackendOperator) => {
                ChartValues::BackendOperator6_3(Box::new(deserialize_json(value)?))
            }
            (Release::V6_3_1, _) => ChartValues::Service6_3(Box::new(deserialize_json(value)?)),
        })
    }
}

impl fmt::Display for Chart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version())
    }
}

/// The typed values of one chart.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartValues {
    /// Values of the `service` chart 1.2.1 (OSMO 6.2.10).
    Service(Box<ServiceValues>),
    /// Values of the `router` chart 1.2.1 (OSMO 6.2.10).
    Router(Box<RouterValues>),
    /// Values of the `web-ui` chart 1.2.1 (OSMO 6.2.10).
    WebUi(Box<WebUiValues>),
    /// Values of the `backend-operator` chart 1.2.1 (OSMO 6.2.10).
    BackendOperator(Box<BackendOperatorValues>),
    /// Values of the `service` chart 1.3.1 (OSMO 6.3.1).
    Service6_3(Box<v6_3::ServiceValues>),
    /// Values of the `backend-operator` chart 1.3.1 (OSMO 6.3.1).
    BackendOperator6_3(Box<v6_3::BackendOperatorValues>),
}

impl ChartValues {
    /// Serializes the typed values back to JSON.
    pub fn to_json(&self) -> Value {
        let result = match self {
            ChartValues::Service(v) => serde_json::to_value(v),
            ChartValues::Router(v) => serde_json::to_value(v),
            ChartValues::WebUi(v) => serde_json::to_value(v),
            ChartValues::BackendOperator(v) => serde_json::to_value(v),
            ChartValues::Service6_3(v) => serde_json::to_value(v),
            ChartValues::BackendOperator6_3(v) => serde_json::to_value(v),
        };
        result.expect("typed values always serialize")
    }
}

/// Values that do not fit a chart's model, with the path of the offending key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ModelError {
    /// Where the problem is. For an unknown key, the path ends with that key.
    pub path: Path,
    /// What is wrong, in serde's words.
    pub message: String,
}

/// Deserializes JSON into `T`, naming the path of the first offending key.
///
/// For an unknown key the path ends with that key, so a caller can point at
/// it in the source document.
///
/// ```
/// use osmo_values::chart::deserialize_json;
/// use osmo_values::values::common::Probe;
/// let err = deserialize_json::<Probe>(serde_json::json!({"grpc": {"prot": 1}})).unwrap_err();
/// assert_eq!(err.path.to_string(), "grpc.prot");
/// ```
pub fn deserialize_json<T: DeserializeOwned>(value: Value) -> Result<T, ModelError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let mut path: Path = err
            .path()
            .iter()
            .filter_map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
                serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
                serde_path_to_error::Segment::Enum { variant } => {
                    Some(Segment::Key(variant.clone()))
                }
                serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        let message = err.into_inner().to_string();
        if let Some(key) = unknown_field(&message)
            && path.last() != Some(&Segment::Key(key.to_owned()))
        {
            path.push(Segment::Key(key.to_owned()));
        }
        ModelError { path, message }
    })
}

/// The key named by serde's "unknown field `x`" message.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split_once('`').map(|(key, _)| key)
}
