//! The `dataset` section: the buckets datasets are stored in.
//!
//! Validated when the service starts and at every reload; an unknown key or
//! a value of the wrong type stops the service (FACTS-6.3 §5.3).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::credential::{BucketCredential, checked_string};
use super::formats::Check;
use super::workflow::advised_string;

checked_string!(
    /// A bucket's storage URI: `s3://bucket`, `gs://bucket`,
    /// `azure://account/container`, `tos://bucket/path` or
    /// `swift://account/container/path`.
    ///
    /// ```
    /// use osmo_values::configs::dataset::DatasetPath;
    /// assert!(DatasetPath::new("azure://acct/datasets").is_ok());
    /// assert!(DatasetPath::new("azure://acct").is_err());
    /// ```
    DatasetPath, Check::DatasetPath
);

advised_string!(
    /// Who may use a bucket: `read-only` or `read-write`. The service takes
    /// any text but then refuses every access for any other word.
    BucketMode, "bucket-mode"
);

/// The `dataset` section.
///
/// ```
/// use osmo_values::configs::DatasetConfig;
/// let ok: DatasetConfig = serde_json::from_value(serde_json::json!({
///     "buckets": {"main": {"dataset_path": "s3://datasets"}},
///     "default_bucket": "main"})).unwrap();
/// assert!(ok.buckets.unwrap().contains_key("main"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetConfig {
    /// Buckets by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buckets: Option<BTreeMap<String, BucketConfig>>,
    /// The bucket used when a dataset names none; a key of `buckets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_bucket: Option<String>,
}

/// One bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BucketConfig {
    /// Storage URI of the bucket.
    pub dataset_path: DatasetPath,
    /// Region (`us-east-1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// What the bucket is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `read-only` or `read-write` (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<BucketMode>,
    /// Access keys workflows use for this bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub default_credential: Option<BucketCredential>,
}
