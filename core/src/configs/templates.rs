//! `podTemplates`, `groupTemplates`, `resourceValidations` and
//! `backendTests`: named building blocks that pools and backends refer to.
//!
//! Pod and group templates are Kubernetes fragments the service merges
//! without a schema, so they stay free-form here; [`super::check`] looks
//! only at the parts the service itself walks through.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use super::credential::checked_string;
use super::formats::Check;

/// A pod template: a fragment of a Kubernetes pod (`spec.containers`,
/// `spec.tolerations`, `spec.nodeSelector`...) merged into task pods,
/// containers by name. Text may hold `{{USER_CPU}}`-style variables.
pub type PodTemplate = serde_json::Map<String, serde_json::Value>;

/// A group template: a whole Kubernetes object (`apiVersion`, `kind`,
/// `metadata.name`) created with each workflow.
pub type GroupTemplate = serde_json::Map<String, serde_json::Value>;

/// How a resource validation compares its operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Operator {
    /// Left greater than right.
    #[serde(rename = "GT")]
    Gt,
    /// Left greater than or equal to right.
    #[serde(rename = "GE")]
    Ge,
    /// Left less than right.
    #[serde(rename = "LT")]
    Lt,
    /// Left less than or equal to right.
    #[serde(rename = "LE")]
    Le,
    /// Left equal to right.
    #[serde(rename = "EQ")]
    Eq,
}

/// One check of a resource validation: a task is refused when
/// `left_operand <operator> right_operand` is false.
///
/// ```
/// use osmo_values::configs::ResourceAssertion;
/// let a: ResourceAssertion = serde_json::from_value(serde_json::json!({
///     "operator": "LE", "left_operand": "{{USER_CPU}}", "right_operand": "{{K8_CPU}}",
///     "assert_message": "too many CPUs"})).unwrap();
/// assert!(serde_json::from_value::<ResourceAssertion>(serde_json::json!({
///     "operator": "LE", "left_operand": "{{USER_GPU}}", "right_operand": 0,
///     "assert_message": "x"})).is_err(), "operands are text: write \"0\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceAssertion {
    /// The comparison.
    pub operator: Operator,
    /// Left side: a number, a quantity or a `{{VARIABLE}}`, as text.
    pub left_operand: String,
    /// Right side: a number, a quantity or a `{{VARIABLE}}`, as text.
    pub right_operand: String,
    /// Shown when the check fails.
    pub assert_message: String,
}

checked_string!(
    /// A backend test name: a lowercase DNS subdomain (it names a CronJob).
    BackendTestName, Check::Rfc1123Subdomain
);
checked_string!(
    /// A five-field cron schedule, such as `0 2 * * *`.
    CronSchedule, Check::CronSchedule
);
checked_string!(
    /// A backend test timeout, such as `300s` or `1h30m` (30 s to 24 h).
    TestTimeout, Check::TestTimeout
);
checked_string!(
    /// A node condition type, such as `Ready` or `example.com/gpu-ok`.
    NodeConditionType, Check::NodeCondition
);

/// A backend test run on a schedule (unknown keys are ignored by the
/// service). The service builds it from the entry alone, so `name` must be
/// written inside too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BackendTest {
    /// The test's name; repeat the key here.
    pub name: BackendTestName,
    /// What the test checks.
    pub description: String,
    /// When it runs.
    pub cron_schedule: CronSchedule,
    /// How long it may run (`300s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_timeout: Option<TestTimeout>,
    /// Node conditions the test sets; at least one.
    pub node_conditions: NonEmpty<NodeConditionType>,
    /// Pod templates of the test pod, keys of `podTemplates`; at least one.
    pub common_pod_template: NonEmpty<String>,
    /// Computed by the service from `common_pod_template`; leave it unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parsed_pod_template: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A list with at least one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct NonEmpty<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for NonEmpty<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<T>::deserialize(d)?;
        if items.is_empty() {
            return Err(D::Error::custom("expected at least one item"));
        }
        Ok(NonEmpty(items))
    }
}

impl<T: JsonSchema> JsonSchema for NonEmpty<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("NonEmpty_{}", T::schema_name()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = Vec::<T>::json_schema(generator);
        schema.insert("minItems".into(), 1.into());
        schema
    }
}
