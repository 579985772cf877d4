//! Storage and registry credentials, and references to Kubernetes Secrets.
//!
//! A storage credential is either *static* (an access key pair, refused
//! without both keys) or *workload identity* (only the endpoint: the cloud
//! SDK finds the credentials of the pod's service account). Both refuse
//! unknown keys. Any mapping in the `service`, `workflow` and `dataset`
//! sections may instead name a Kubernetes Secret with `secretName` (and
//! optionally `secretKey`): the service reads the Secret's files from
//! `/etc/osmo/secrets/<secretName>/` at start and merges them in, so the
//! Secret must be listed in `services.configs.secretRefs` to be mounted.

use schemars::JsonSchema;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use super::formats::Check;

macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Checks `text` and wraps it.
            pub fn new(text: impl Into<String>) -> Result<Self, String> {
                let text = text.into();
                $check.check(&text).map(|()| $name(text))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as ::serde::Deserialize>::deserialize(d)?;
                $name::new(text).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let check: $crate::configs::formats::Check = $check;
                let mut schema = ::schemars::json_schema!({"type": "string", "x-osmo-check": check.name()});
                if let Some(p) = check.pattern() {
                    schema.insert("pattern".into(), p.into());
                }
                if let Some(min) = check.min_length() {
                    schema.insert("minLength".into(), min.into());
                }
                schema
            }
        }
    };
}
pub(crate) use checked_string;

checked_string!(
    /// A storage URI for a credential's `endpoint`, such as `s3://bucket` or
    /// `azure://account`. An HTTP URL is refused: it belongs in `override_url`.
    ///
    /// ```
    /// use osmo_values::configs::StorageEndpoint;
    /// assert!(StorageEndpoint::new("gs://my-bucket/logs").is_ok());
    /// assert!(StorageEndpoint::new("http://minio:9000/bucket").is_err());
    /// ```
    StorageEndpoint, Check::StorageEndpoint
);

/// How S3 requests name the bucket (for S3-compatible services).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AddressingStyle {
    /// `https://bucket.host/key` (needed by providers that refuse path style).
    Virtual,
    /// `https://host/bucket/key` (MinIO, localstack).
    Path,
    /// Let the SDK choose.
    Auto,
}

/// A storage credential with an access key pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaticCredential {
    /// Storage URI of the bucket or container, such as `s3://bucket/prefix`.
    pub endpoint: StorageEndpoint,
    /// Region of the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub region: Option<String>,
    /// HTTP(S) URL of an S3-compatible service (MinIO, Ceph...); unset for the
    /// cloud providers' own storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub override_url: Option<String>,
    /// S3 addressing style for S3-compatible services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub addressing_style: Option<AddressingStyle>,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub access_key: String,
}

/// A storage credential resolved by the cloud SDK from the pod's identity
/// (workload identity, instance metadata, environment): only the endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkloadIdentityCredential {
    /// Storage URI of the bucket or container, such as `s3://bucket/prefix`.
    pub endpoint: StorageEndpoint,
    /// Region of the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub region: Option<String>,
    /// HTTP(S) URL of an S3-compatible service; unset for the cloud providers'
    /// own storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub override_url: Option<String>,
    /// S3 addressing style for S3-compatible services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub addressing_style: Option<AddressingStyle>,
}

/// A storage credential read from a Kubernetes Secret at start: the Secret's
/// keys (`access_key_id`, `access_key`, optionally `endpoint`, `region`...)
/// are merged over the keys written here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretCredential {
    /// Name of the Secret; it must also be listed in `secretRefs`.
    #[serde(rename = "secretName")]
    pub secret_name: SecretName,
    /// One key of the Secret holding the whole credential as YAML or JSON;
    /// without it the service reads `cred.yaml`, or else one file per key.
    #[serde(rename = "secretKey", default, skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<String>,
    /// Storage URI, when the Secret does not hold it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<StorageEndpoint>,
    /// Region, when the Secret does not hold it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub region: Option<String>,
    /// HTTP(S) URL of an S3-compatible service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub override_url: Option<String>,
    /// S3 addressing style for S3-compatible services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub addressing_style: Option<AddressingStyle>,
}

/// The credential of `workflow_data`, `workflow_log` or `workflow_app`.
///
/// ```
/// use osmo_values::configs::DataCredential;
/// let wi: DataCredential = serde_json::from_value(serde_json::json!({
///     "endpoint": "s3://logs", "region": "us-east-1"})).unwrap();
/// assert!(matches!(wi, DataCredential::WorkloadIdentity(_)));
/// let half: Result<DataCredential, _> = serde_json::from_value(serde_json::json!({
///     "endpoint": "s3://logs", "access_key_id": "AKIA"}));
/// assert!(half.is_err(), "a static credential needs both keys");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DataCredential {
    /// An access key pair.
    Static(StaticCredential),
    /// The pod's own cloud identity.
    WorkloadIdentity(WorkloadIdentityCredential),
    /// Read from a Kubernetes Secret at start.
    FromSecret(SecretCredential),
}

/// A bucket's default credential: always a key pair (workload identity is not
/// offered here), written inline or read from a Secret. Without `endpoint`
/// the service uses the bucket's `dataset_path`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum BucketCredential {
    /// An access key pair; `endpoint` may be left out.
    Static(BucketStaticCredential),
    /// Read from a Kubernetes Secret at start.
    FromSecret(SecretCredential),
}

/// [`StaticCredential`] whose endpoint defaults to the bucket's path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BucketStaticCredential {
    /// Storage URI; the bucket's `dataset_path` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<StorageEndpoint>,
    /// Region of the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub region: Option<String>,
    /// HTTP(S) URL of an S3-compatible service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub override_url: Option<String>,
    /// S3 addressing style for S3-compatible services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub addressing_style: Option<AddressingStyle>,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub access_key: String,
}

/// Credentials to pull the workflow images from a private registry:
/// written here, or read from a Kubernetes Secret (such as an image pull
/// secret) at start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RegistryCredential {
    /// Written here.
    Inline(InlineRegistryCredential),
    /// Read from a Kubernetes Secret.
    FromSecret(RegistrySecret),
}

/// Registry credentials written out. `password` is another name for `auth`;
/// give one of them, not both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = {"required": ["auth", "password"]}))]
pub struct InlineRegistryCredential {
    /// Registry host, such as `nvcr.io`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// User name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Password or token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<String>,
    /// Password or token (the same setting as `auth`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// Registry credentials read from a Kubernetes Secret at start; a
/// `.dockerconfigjson` Secret gives the registry, user name and password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrySecret {
    /// Name of the Secret; it must also be listed in `secretRefs`.
    #[serde(rename = "secretName")]
    pub secret_name: SecretName,
    /// The Secret's key holding the credential (`.dockerconfigjson`).
    #[serde(rename = "secretKey", default, skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<String>,
    /// Registry host, when the Secret does not give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// User name, when the Secret does not give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// The name of a Kubernetes Secret: not empty (an empty name is not a
/// reference at all, and its key is refused).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SecretName(pub String);

impl<'de> Deserialize<'de> for SecretName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        if name.is_empty() {
            return Err(D::Error::custom("expected the name of a Secret"));
        }
        Ok(SecretName(name))
    }
}

impl JsonSchema for SecretName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SecretName".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "minLength": 1})
    }
}

/// One entry of `services.configs.secretRefs`: a Secret the chart mounts
/// into the service, worker, agent and logger pods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SecretRef {
    /// Name of the Kubernetes Secret, mounted at `/etc/osmo/secrets/<name>/`.
    #[serde(rename = "secretName")]
    pub secret_name: String,
}

/// Deserializes a [`RegistryCredential`] and refuses `auth` with `password`.
pub(crate) fn registry_credential<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<RegistryCredential>, D::Error> {
    let c = Option::<RegistryCredential>::deserialize(d)?;
    if let Some(RegistryCredential::Inline(i)) = &c
        && i.auth.is_some()
        && i.password.is_some()
    {
        return Err(D::Error::custom(
            "`auth` and `password` are the same setting",
        ));
    }
    Ok(c)
}
