//! The four OSMO charts: names, versions, the guides' file, release and
//! namespace names, and each chart's schema and typed model.
//!
//! The chart version is data ([`Release`]), not an assumption: OSMO 6.2
//! (chart 1.2.1) is the first release modelled, not the only one possible.

use std::fmt;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::path::{Path, Segment};
use crate::schema;
use crate::values::{BackendOperatorValues, RouterValues, ServiceValues, WebUiValues};

/// An OSMO release whose charts this crate models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Release {
    /// The OSMO release tag the models were read from, such as `6.2.10`.
    pub osmo: &'static str,
    /// The Helm chart version of all four charts, such as `1.2.1`.
    pub chart_version: &'static str,
    /// The charts' `appVersion`, such as `6.2`.
    pub app_version: &'static str,
}

/// OSMO 6.2.10: charts 1.2.1, appVersion 6.2.
pub const OSMO_6_2: Release = Release {
    osmo: "6.2.10",
    chart_version: "1.2.1",
    app_version: "6.2",
};

/// Every supported release, newest last.
pub const RELEASES: &[Release] = &[OSMO_6_2];

/// The newest supported release.
pub const LATEST: Release = RELEASES[RELEASES.len() - 1];

/// Which of the four OSMO charts.
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
    /// All four charts, in install order.
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
/// use osmo_values::{Chart, ChartName};
/// let chart = Chart::latest(ChartName::Router);
/// assert_eq!(chart.values_file(), "router_values.yaml");
/// assert_eq!(chart.release.chart_version, "1.2.1");
/// assert_eq!((chart.release_name(), chart.namespace()), ("router", "osmo"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chart {
    /// Which chart.
    pub name: ChartName,
    /// Which release of it.
    pub release: Release,
}

impl Chart {
    /// The chart at the newest supported release.
    pub fn latest(name: ChartName) -> Chart {
        Chart {
            name,
            release: LATEST,
        }
    }

    /// All four charts at the newest supported release.
    pub fn all() -> impl Iterator<Item = Chart> {
        ChartName::ALL.into_iter().map(Chart::latest)
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

    /// The file name of the chart's committed schema in `schemas/`.
    pub fn schema_file(&self) -> String {
        format!("{}.values.schema.json", self.name)
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
            self.name, self.release.chart_version, self.release.osmo
        );
        match self.name {
            ChartName::Service => schema::generate_with_refs::<ServiceValues>(&title),
            ChartName::Router => schema::generate_with_refs::<RouterValues>(&title),
            ChartName::WebUi => schema::generate_with_refs::<WebUiValues>(&title),
            ChartName::BackendOperator => {
                schema::generate_with_refs::<BackendOperatorValues>(&title)
            }
        }
    }

    /// Reads a values file into the chart's typed model, as Helm reads it
    /// (see [`crate::yaml`]).
    ///
    /// Errors carry the line and column: of the YAML problem, of an unknown
    /// key (the key itself), or of a value of the wrong type (the value).
    ///
    /// ```
    /// use osmo_values::{Chart, ChartName};
    /// let chart = Chart::latest(ChartName::WebUi);
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
        Ok(match self.name {
            ChartName::Service => ChartValues::Service(Box::new(deserialize_json(value)?)),
            ChartName::Router => ChartValues::Router(Box::new(deserialize_json(value)?)),
            ChartName::WebUi => ChartValues::WebUi(Box::new(deserialize_json(value)?)),
            ChartName::BackendOperator => {
                ChartValues::BackendOperator(Box::new(deserialize_json(value)?))
            }
        })
    }
}

/// The typed values of one chart.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartValues {
    /// Values of the `service` chart.
    Service(Box<ServiceValues>),
    /// Values of the `router` chart.
    Router(Box<RouterValues>),
    /// Values of the `web-ui` chart.
    WebUi(Box<WebUiValues>),
    /// Values of the `backend-operator` chart.
    BackendOperator(Box<BackendOperatorValues>),
}

impl ChartValues {
    /// Serializes the typed values back to JSON.
    pub fn to_json(&self) -> Value {
        let result = match self {
            ChartValues::Service(v) => serde_json::to_value(v),
            ChartValues::Router(v) => serde_json::to_value(v),
            ChartValues::WebUi(v) => serde_json::to_value(v),
            ChartValues::BackendOperator(v) => serde_json::to_value(v),
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
