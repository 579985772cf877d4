//! The deployment spec: the few answers an operator gives, from which every
//! file of an OSMO deployment is generated.
//!
//! A spec never holds a secret (client secrets and passwords are passed to
//! [`crate::generate::generate_with_secrets`] separately), so `spec.yaml` can
//! be committed.
//!
//! A spec names its OSMO [`Release`] (`release`, default the newest, 6.3.1);
//! a spec written before releases were a field and naming a 6.2 image tag is
//! refused with a message saying to add `release: "6.2.10"`. At 6.3.1 the
//! spec also says how the gateway is exposed ([`Gateway`]), where workflow
//! data and logs are stored ([`Storage`]) and whether OSMO reads its
//! configuration from the chart's ConfigMap (`configMapMode`).
//!
//! ```
//! use osmo_values::Release;
//! use osmo_values::spec::DeploymentSpec;
//! let spec = DeploymentSpec::from_json(serde_json::json!({
//!     "domain": "osmo.example.com",
//!     "postgres": {"host": "db.example.com"},
//!     "redis": {"host": "redis.example.com"},
//!     "storage": {
//!         "logUri": "s3://osmo-logs", "dataUri": "s3://osmo-data", "region": "us-east-1",
//!         "credentials": {"kind": "awsIrsa", "roleArn": "arn:aws:iam::123456789012:role/osmo"}
//!     },
//! }))
//! .unwrap();
//! assert!(spec.validate().is_empty());
//! assert_eq!(spec.release, Release::V6_3_1);
//! assert_eq!(spec.image_tag(), "6.3.1");
//! assert_eq!(spec.backends[0].name, "default");
//! ```

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Release;
use crate::backend::requirements::OPERATOR_LABEL;
use crate::backend::{
    BackendKind, NodeLabel, OperatorTaint, Placement, check_label_key, check_label_value,
    default_compute_pools,
};
use crate::chart::ModelError;
use crate::parse::{ParseError, locate};
use crate::path::Path;
use crate::values::common::is_quantity;
use crate::yaml::Document;

pub mod draft;
pub mod from_values;
pub mod read;
mod tagged;

/// Where the OSMO images are pulled from when the spec does not say.
pub const DEFAULT_IMAGE_REGISTRY: &str = "nvcr.io/nvidia/osmo";

/// Everything the generator needs to know about one OSMO deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeploymentSpec {
    /// The OSMO release to deploy: `6.3.1` (default: the newest) or `6.2.10`. It chooses the
    /// charts, their versions and the default image tag.
    #[serde(default = "latest_release")]
    pub release: Release,
    /// Host name OSMO is served on, without scheme or path, such as `osmo.example.com`.
    /// Every ingress, redirect URI and cookie is derived from it.
    pub domain: String,
    /// Where the OSMO images come from and which tag to run.
    #[serde(default)]
    pub images: Images,
    /// How people sign in: one identity provider, or none (a default admin user).
    #[serde(default)]
    pub authentication: Authentication,
    /// How traffic reaches OSMO through an Ingress: class, TLS and extra annotations. At 6.2.10
    /// every chart's Ingress; at 6.3.1 the gateway's, when `gateway.exposure` is `ingress`.
    #[serde(default)]
    pub ingress: Ingress,
    /// OSMO 6.3.1's gateway (one Envoy in front of every service): how it is exposed and where
    /// TLS ends. Not for 6.2.10, which has no gateway.
    #[serde(default, skip_serializing_if = "Gateway::is_default")]
    pub gateway: Gateway,
    /// Where workflow logs and data are stored, and how OSMO's pods get access (6.3.1).
    /// Required in ConfigMap mode, where the storage can only be set in the values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Storage>,
    /// Whether OSMO 6.3.1 reads its configuration (service URL, workflow images, storage,
    /// backends, pools, roles) from the ConfigMap the service chart renders from the values
    /// (default true, as the 6.3.1 install guide does). Off, OSMO keeps it in its database and
    /// it is set with the `osmo config` commands after installing. Not for 6.2.10.
    #[serde(default = "yes")]
    pub config_map_mode: bool,
    /// The external PostgreSQL database OSMO stores its state in.
    pub postgres: Postgres,
    /// The external Redis OSMO uses for queues, caches and login sessions.
    pub redis: Redis,
    /// How many replicas and how much CPU and memory each component gets.
    #[serde(default)]
    pub sizing: Sizing,
    /// The compute clusters that run workflows: one backend operator each.
    #[serde(default = "default_backends")]
    pub backends: Vec<Backend>,
    /// Monitoring integration.
    #[serde(default)]
    pub monitoring: Monitoring,
}

/// Container images: registry, tag and pull secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Images {
    /// Registry path of the OSMO images, without a trailing slash (default `nvcr.io/nvidia/osmo`).
    #[serde(default = "default_registry")]
    pub registry: String,
    /// Image tag of every OSMO component, always a string (default: the spec's `release`, such
    /// as `6.3.1`). A tag of another OSMO minor release than `release` is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Name of an existing image pull secret (type `kubernetes.io/dockerconfigjson`) in each
    /// namespace, for private registries; leave out for public images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_secret: Option<String>,
}

impl Default for Images {
    fn default() -> Self {
        Images {
            registry: default_registry(),
            tag: None,
            pull_secret: None,
        }
    }
}

fn default_registry() -> String {
    DEFAULT_IMAGE_REGISTRY.to_owned()
}

fn latest_release() -> Release {
    Release::LATEST
}

/// The identity provider people sign in with, chosen by `provider`.
// Deserialize is written by hand in spec/tagged.rs (smaller in the browser wizard).
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "provider", rename_all = "camelCase")]
pub enum Authentication {
    /// Microsoft Entra ID (formerly Azure AD).
    MicrosoftEntraId(EntraId),
    /// Google (Google Workspace or Cloud Identity accounts).
    Google(Google),
    /// AWS IAM Identity Center.
    AwsIdentityCenter(AwsIdentityCenter),
    /// Keycloak, one realm.
    Keycloak(Keycloak),
    /// Okta.
    Okta(Okta),
    /// Auth0.
    Auth0(Auth0),
    /// Any other OpenID Connect provider, with every endpoint given.
    Oidc(GenericOidc),
    /// No identity provider: OSMO creates an `admin` user whose password is generated into
    /// the secret `default-admin-secret`.
    #[default]
    None,
}

/// Microsoft Entra ID application registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EntraId {
    /// Directory (tenant) ID, a GUID, or the tenant's primary domain.
    pub tenant_id: String,
    /// Application (client) ID of the OSMO app registration.
    pub client_id: String,
}

/// Google OAuth client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Google {
    /// The full OAuth client ID, ending in `.apps.googleusercontent.com`.
    pub client_id: String,
}

/// AWS IAM Identity Center application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsIdentityCenter {
    /// AWS region of the Identity Center instance, such as `us-east-1`.
    pub region: String,
    /// Identity Center instance ID: the part after `ssoins-` in the instance ARN
    /// (a leading `ssoins-` is accepted and dropped).
    pub instance_id: String,
    /// Client ID of the OSMO application.
    pub client_id: String,
    /// Token claim that names the user: `email` (default) or `sub`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_claim: Option<String>,
}

/// Keycloak realm and client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Keycloak {
    /// Base URL of the Keycloak server, such as `https://auth.example.com` (add `/auth` for
    /// servers older than Keycloak 17).
    pub base_url: String,
    /// Realm the OSMO client lives in.
    pub realm: String,
    /// Client ID of the OSMO client in that realm.
    pub client_id: String,
}

/// Okta application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Okta {
    /// Okta org domain, such as `example.okta.com`.
    pub domain: String,
    /// Client ID of the OSMO app integration.
    pub client_id: String,
    /// ID of a custom authorization server (such as `default`); leave out to use the org
    /// authorization server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_server: Option<String>,
}

/// Auth0 application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Auth0 {
    /// Auth0 tenant domain (or custom domain), such as `example.us.auth0.com`.
    pub domain: String,
    /// Client ID of the OSMO application.
    pub client_id: String,
}

/// A generic OpenID Connect provider: copy the values from its
/// `/.well-known/openid-configuration` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GenericOidc {
    /// Issuer (`issuer`), exactly as it appears in the tokens' `iss` claim.
    pub issuer: String,
    /// URL of the signing keys (`jwks_uri`); must be https on port 443.
    pub jwks_uri: String,
    /// Browser login endpoint (`authorization_endpoint`).
    pub authorization_endpoint: String,
    /// Token endpoint (`token_endpoint`).
    pub token_endpoint: String,
    /// Device authorization endpoint (`device_authorization_endpoint`), used by the OSMO CLI.
    pub device_authorization_endpoint: String,
    /// Logout endpoint (`end_session_endpoint`).
    pub end_session_endpoint: String,
    /// Token claim that names the user (default `email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_claim: Option<String>,
    /// Client ID of the OSMO application.
    pub client_id: String,
}

/// How traffic enters the cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Ingress {
    /// Ingress class name: `nginx` (default), `alb` (AWS Load Balancer Controller) or any other
    /// installed class.
    #[serde(default = "default_ingress_class")]
    pub class_name: String,
    /// Name of the TLS secret (in namespace `osmo`) the ingress serves HTTPS with; leave out
    /// when TLS ends before the ingress, or with `alb`, which uses `alb.certificateArn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_secret: Option<String>,
    /// AWS ALB settings; required when `className` is `alb`, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alb: Option<Alb>,
    /// Extra annotations put on every OSMO ingress (added to the ones generated for the class).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl Default for Ingress {
    fn default() -> Self {
        Ingress {
            class_name: default_ingress_class(),
            tls_secret: None,
            alb: None,
            annotations: BTreeMap::new(),
        }
    }
}

fn default_ingress_class() -> String {
    "nginx".to_owned()
}

/// AWS Application Load Balancer settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Alb {
    /// ARN of the ACM certificate for the domain, such as
    /// `arn:aws:acm:us-west-2:123456789012:certificate/...`.
    pub certificate_arn: String,
    /// Whether the load balancer is reachable from the internet (default) or only inside the VPC.
    #[serde(default)]
    pub scheme: AlbScheme,
}

/// Where an AWS ALB is reachable from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AlbScheme {
    /// Public subnets, reachable from the internet.
    #[default]
    InternetFacing,
    /// Private subnets, reachable only inside the VPC.
    Internal,
}

impl AlbScheme {
    /// The annotation value: `internet-facing` or `internal`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlbScheme::InternetFacing => "internet-facing",
            AlbScheme::Internal => "internal",
        }
    }
}

/// OSMO 6.3.1's gateway: how clients reach it and where TLS ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Gateway {
    /// How clients reach the gateway: `ingress` (default), an Ingress of `ingress.className`
    /// with the `ingress` settings in front of the gateway's ClusterIP Service; or
    /// `loadBalancer`, the gateway's own Service of type LoadBalancer.
    #[serde(default)]
    pub exposure: Exposure,
    /// Annotations on the gateway's LoadBalancer Service (`exposure: loadBalancer` only), such
    /// as the cloud's annotation for an internal load balancer or a TLS certificate.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub service_annotations: BTreeMap<String, String>,
    /// Name of a `kubernetes.io/tls` Secret (keys `tls.crt`, `tls.key`) in namespace `osmo`
    /// for `domain`: the gateway then serves HTTPS itself, on both ports of its Service
    /// (`exposure: loadBalancer` only; with an Ingress, TLS ends at the Ingress). Leave out
    /// when TLS ends in front of the gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_secret: Option<String>,
    /// Whether the gateway speaks TLS to OSMO's API service, router, agent and logger (default
    /// true, the chart's default: each serves HTTPS with a certificate it makes itself).
    #[serde(default = "yes")]
    pub upstream_tls: bool,
}

impl Default for Gateway {
    fn default() -> Self {
        Gateway {
            exposure: Exposure::default(),
            service_annotations: BTreeMap::new(),
            tls_secret: None,
            upstream_tls: true,
        }
    }
}

impl Gateway {
    /// Whether every setting is the default (then `spec.yaml` leaves the block out).
    pub fn is_default(&self) -> bool {
        self == &Gateway::default()
    }
}

/// How clients reach the 6.3.1 gateway.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Exposure {
    /// An Ingress to the gateway, of class `ingress.className` (nginx, alb or any
    /// other); the gateway's Service is then of type ClusterIP.
    #[default]
    Ingress,
    /// The gateway's Service is of type LoadBalancer: the cloud's load balancer forwards
    /// ports 80 and 443 to it.
    LoadBalancer,
}

impl Exposure {
    /// The name as a spec writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::Ingress => "ingress",
            Exposure::LoadBalancer => "loadBalancer",
        }
    }
}

/// Where OSMO 6.3.1 keeps workflow logs and data, and how its pods get access.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Storage {
    /// Storage URI of the workflow logs, such as `s3://osmo-logs/workflows`
    /// (`s3://`, `gs://`, `azure://<account>/<container>`, `swift://`, `tos://`).
    pub log_uri: String,
    /// Storage URI of the workflow data (task specs, outputs passed between tasks), such as
    /// `s3://osmo-data/workflows`; may be the same bucket as the logs.
    pub data_uri: String,
    /// Region of the buckets, such as `us-west-2` (S3 and S3-compatible storage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// URL of an S3-compatible service such as MinIO (`https://minio.example.com:9000`); leave
    /// out for the cloud providers' own storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_url: Option<String>,
    /// How OSMO's pods authenticate to the storage: a cloud workload identity, or access keys.
    pub credentials: StorageCredentials,
}

/// How OSMO's pods authenticate to the workflow storage, chosen by `kind`.
// Deserialize is written by hand in spec/tagged.rs (smaller in the browser wizard).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StorageCredentials {
    /// AWS IAM Roles for Service Accounts (EKS): the ServiceAccount `osmo` is annotated with
    /// the role, which needs read and write access to both buckets.
    AwsIrsa(AwsIrsa),
    /// Azure Workload Identity (AKS): the ServiceAccount `osmo` is annotated with the managed
    /// identity's client id, and the pods that read storage are labelled to use it.
    AzureWorkloadIdentity(AzureWorkloadIdentity),
    /// GKE Workload Identity: the ServiceAccount `osmo` is annotated with the Google service
    /// account.
    GcpWorkloadIdentity(GcpWorkloadIdentity),
    /// An access key pair in the Secrets `osmo-workflow-log-cred` and
    /// `osmo-workflow-data-cred` (secrets.yaml; `OSMO_STORAGE_ACCESS_KEY_ID` and
    /// `OSMO_STORAGE_ACCESS_KEY` fill them in).
    Static(StaticKeys),
}

/// An AWS IAM role for the ServiceAccount `osmo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsIrsa {
    /// ARN of the IAM role, such as `arn:aws:iam::123456789012:role/osmo-storage`; its trust
    /// policy names `system:serviceaccount:osmo:osmo`.
    pub role_arn: String,
}

/// An Azure managed identity for the ServiceAccount `osmo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AzureWorkloadIdentity {
    /// Client id (a GUID) of the user-assigned managed identity, federated with
    /// `system:serviceaccount:osmo:osmo`.
    pub client_id: String,
}

/// A Google service account for the ServiceAccount `osmo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GcpWorkloadIdentity {
    /// The Google service account's email, such as `osmo@my-project.iam.gserviceaccount.com`,
    /// bound to `my-project.svc.id.goog[osmo/osmo]`.
    pub service_account: String,
}

/// Static access keys: nothing to say in the spec (the keys are secrets).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaticKeys {}

impl StorageCredentials {
    /// The kind as a spec writes it.
    pub fn kind(&self) -> &'static str {
        match self {
            StorageCredentials::AwsIrsa(_) => "awsIrsa",
            StorageCredentials::AzureWorkloadIdentity(_) => "azureWorkloadIdentity",
            StorageCredentials::GcpWorkloadIdentity(_) => "gcpWorkloadIdentity",
            StorageCredentials::Static(_) => "static",
        }
    }

    /// The annotation that ties the ServiceAccount `osmo` to the cloud identity, if any.
    ///
    /// ```
    /// use osmo_values::spec::{AwsIrsa, StorageCredentials};
    /// let irsa = StorageCredentials::AwsIrsa(AwsIrsa { role_arn: "arn:aws:iam::1:role/r".into() });
    /// assert_eq!(irsa.service_account_annotation().unwrap().0, "eks.amazonaws.com/role-arn");
    /// ```
    pub fn service_account_annotation(&self) -> Option<(&'static str, &str)> {
        match self {
            StorageCredentials::AwsIrsa(a) => Some(("eks.amazonaws.com/role-arn", &a.role_arn)),
            StorageCredentials::AzureWorkloadIdentity(a) => {
                Some(("azure.workload.identity/client-id", &a.client_id))
            }
            StorageCredentials::GcpWorkloadIdentity(a) => {
                Some(("iam.gke.io/gcp-service-account", &a.service_account))
            }
            StorageCredentials::Static(_) => None,
        }
    }
}

/// External PostgreSQL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Postgres {
    /// Host name or IP address of the PostgreSQL server.
    pub host: String,
    /// Port (default 5432).
    #[serde(default = "default_pg_port")]
    pub port: u16,
    /// Database OSMO uses; create it before installing (default `osmo`).
    #[serde(default = "default_pg_db")]
    pub database: String,
    /// User OSMO connects as (default `postgres`); its password goes into `db-secret`.
    #[serde(default = "default_pg_user")]
    pub user: String,
    /// Whether the server asks OSMO for a password (default true). The password itself is
    /// never in the spec: it is given when generating (`OSMO_DB_PASSWORD`) or in
    /// `secrets.yaml`. `false` only for a server that lets OSMO's pods in without one
    /// (`trust` in `pg_hba.conf`): `db-secret` then holds an empty password, which the charts
    /// still need to exist.
    #[serde(default = "yes")]
    pub password: bool,
}

fn default_pg_port() -> u16 {
    5432
}
fn default_pg_db() -> String {
    "osmo".to_owned()
}
fn default_pg_user() -> String {
    "postgres".to_owned()
}

/// External Redis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Redis {
    /// Host name or IP address of the Redis server.
    pub host: String,
    /// Port (default 6379).
    #[serde(default = "default_redis_port")]
    pub port: u16,
    /// Whether Redis is reached over TLS (default true).
    #[serde(default = "yes")]
    pub tls: bool,
    /// Whether Redis asks for a password (default true). The password itself is never in
    /// the spec: it is given when generating (`OSMO_REDIS_PASSWORD`) or in `secrets.yaml`.
    /// `false` for a Redis without one: `redis-secret` then holds an empty password, which
    /// the charts still need to exist, and nothing is left to fill in.
    #[serde(default = "yes")]
    pub password: bool,
}

fn default_redis_port() -> u16 {
    6379
}
fn yes() -> bool {
    true
}

/// Named sizing presets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Preset {
    /// One replica of everything, the figures of the deployment guides: trials and small teams.
    #[default]
    Small,
    /// Several replicas with autoscaling, close to the charts' own defaults.
    Medium,
    /// More replicas and memory for many users and workflows.
    Large,
}

impl Preset {
    /// The preset's name as written in a spec.
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Small => "small",
            Preset::Medium => "medium",
            Preset::Large => "large",
        }
    }
}

/// Replicas and resources: a preset plus per-component overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Sizing {
    /// Starting point for every component (default `small`).
    #[serde(default)]
    pub preset: Preset,
    /// Per-component changes to the preset.
    #[serde(default, skip_serializing_if = "Overrides::is_empty")]
    pub overrides: Overrides,
}

/// Per-component sizing overrides; a component left out keeps the preset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Overrides {
    /// API service (chart `service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Override>,
    /// Worker (chart `service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<Override>,
    /// Logger (chart `service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logger: Option<Override>,
    /// Agent (chart `service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Override>,
    /// Delayed job monitor (chart `service`): `replicas` only; its container gets the API
    /// service's resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delayed_job_monitor: Option<Override>,
    /// Router (chart `router`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<Override>,
    /// Web UI (chart `web-ui`); a `maxReplicas` above `replicas` turns on autoscaling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<Override>,
    /// Backend listener (chart `backend-operator`); runs exactly one replica.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_listener: Option<Override>,
    /// Backend worker (chart `backend-operator`); runs exactly one replica.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_worker: Option<Override>,
}

impl Overrides {
    /// Whether no component is overridden.
    pub fn is_empty(&self) -> bool {
        self == &Overrides::default()
    }

    /// Each override with its spec key.
    pub fn entries(&self) -> [(&'static str, Option<&Override>); 9] {
        [
            ("service", self.service.as_ref()),
            ("worker", self.worker.as_ref()),
            ("logger", self.logger.as_ref()),
            ("agent", self.agent.as_ref()),
            ("delayedJobMonitor", self.delayed_job_monitor.as_ref()),
            ("router", self.router.as_ref()),
            ("ui", self.ui.as_ref()),
            ("backendListener", self.backend_listener.as_ref()),
            ("backendWorker", self.backend_worker.as_ref()),
        ]
    }

    /// The override of the component with spec key `key` (one of [`Overrides::entries`]'s
    /// keys), to set or clear; `None` for a key that names no component.
    pub fn slot_mut(&mut self, key: &str) -> Option<&mut Option<Override>> {
        Some(match key {
            "service" => &mut self.service,
            "worker" => &mut self.worker,
            "logger" => &mut self.logger,
            "agent" => &mut self.agent,
            "delayedJobMonitor" => &mut self.delayed_job_monitor,
            "router" => &mut self.router,
            "ui" => &mut self.ui,
            "backendListener" => &mut self.backend_listener,
            "backendWorker" => &mut self.backend_worker,
            _ => return None,
        })
    }
}

/// Sizing of one component; every field left out keeps the preset's figure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Override {
    /// Replicas (the autoscaler's minimum for autoscaled components).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Most replicas the autoscaler may start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replicas: Option<u32>,
    /// CPU reserved per replica, a Kubernetes quantity such as `500m` or `2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Memory reserved per replica, such as `1Gi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    /// CPU limit per replica (none by default: CPU limits throttle Python services).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<String>,
    /// Memory limit per replica (default: the preset's, at least the request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<String>,
}

/// One compute backend: a cluster with a backend operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Backend {
    /// Backend name as OSMO shows it (lowercase letters, digits and `-`, such as `gpu-east`).
    pub name: String,
    /// What kind of cluster it is: `onPremises`, `eks`, `aks`, `gke` or `other` (default). It
    /// chooses the guide's requirements that `osmo-values preflight` checks and the node pools
    /// NEXT_STEPS.md suggests.
    #[serde(default)]
    pub kind: BackendKind,
    /// Namespace workflow pods run in (default `osmo-workflows`).
    #[serde(default = "default_workflow_ns")]
    pub namespace: String,
    /// Namespace of the backend operator (default `osmo-operator`).
    #[serde(default = "default_operator_ns")]
    pub operator_namespace: String,
    /// URL the operator reaches OSMO at (default `https://<domain>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_url: Option<String>,
    /// kubectl context of the backend's cluster, when it is not the current context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_context: Option<String>,
    /// Label of the dedicated nodes the operator runs on, `key=value` (default
    /// `node-type=operator`, the guides' label); `null` lets it run on any node.
    #[serde(default = "default_operator_nodes")]
    pub operator_nodes: Option<String>,
    /// A taint on the operator nodes that the operator tolerates and workflow pods do not,
    /// such as `{key: dedicated, value: osmo-operator, effect: NoSchedule}`; needs
    /// `operatorNodes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_taint: Option<OperatorTaint>,
    /// Labels of the compute pools, `key=value` each; leave out for the guides' labels for the
    /// kind (`node-type=compute` and `node-type=gpu`, and `node-type=jetson` on premises and
    /// for `other`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compute_pools: Vec<String>,
}

impl Backend {
    /// A backend with this name and the default namespaces.
    pub fn named(name: &str) -> Backend {
        Backend {
            name: name.to_owned(),
            kind: BackendKind::default(),
            namespace: default_workflow_ns(),
            operator_namespace: default_operator_ns(),
            service_url: None,
            kube_context: None,
            operator_nodes: default_operator_nodes(),
            operator_taint: None,
            compute_pools: Vec::new(),
        }
    }

    /// Where the operator and the workflows are expected to run, at `release`: the labels
    /// the spec gives, else the guides'. Labels that do not parse (which
    /// [`DeploymentSpec::validate`] reports) are left out.
    ///
    /// ```
    /// use osmo_values::Release;
    /// use osmo_values::spec::Backend;
    /// let mut b = Backend::named("gpu");
    /// b.compute_pools = vec!["pool=a100".into()];
    /// let p = b.placement(Release::LATEST);
    /// assert_eq!(p.operator_nodes.unwrap().to_string(), "node-type=operator");
    /// assert_eq!(p.compute_pools[0].to_string(), "pool=a100");
    /// ```
    pub fn placement(&self, release: Release) -> Placement {
        Placement {
            operator_nodes: self
                .operator_nodes
                .as_deref()
                .and_then(|l| NodeLabel::parse(l).ok()),
            operator_taint: self.operator_taint.clone(),
            compute_pools: if self.compute_pools.is_empty() {
                default_compute_pools(self.kind, release)
            } else {
                self.compute_pools
                    .iter()
                    .filter_map(|l| NodeLabel::parse(l).ok())
                    .collect()
            },
        }
    }
}

fn default_operator_nodes() -> Option<String> {
    Some(OPERATOR_LABEL.to_string())
}

fn default_workflow_ns() -> String {
    "osmo-workflows".to_owned()
}
fn default_operator_ns() -> String {
    "osmo-operator".to_owned()
}
fn default_backends() -> Vec<Backend> {
    vec![Backend::named("default")]
}

/// Monitoring integration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Monitoring {
    /// Create Prometheus Operator `PodMonitor`s (default false: `helm install` fails when the
    /// PodMonitor CRD is not installed).
    #[serde(default)]
    pub pod_monitor: bool,
}

/// One problem found in a spec, with the path of the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// Field the problem is about, such as `backends[1].name`.
    pub path: Path,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for SpecProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl DeploymentSpec {
    /// A minimal spec: a domain, a database and a Redis; everything else defaulted.
    ///
    /// It is for the newest release, where ConfigMap mode (on by default) needs `storage` too:
    /// set it, or set `release` to [`Release::V6_2_10`].
    pub fn minimal(domain: &str, postgres_host: &str, redis_host: &str) -> DeploymentSpec {
        DeploymentSpec {
            release: Release::LATEST,
            domain: domain.to_owned(),
            images: Images::default(),
            authentication: Authentication::None,
            ingress: Ingress::default(),
            gateway: Gateway::default(),
            storage: None,
            config_map_mode: true,
            postgres: Postgres {
                host: postgres_host.to_owned(),
                port: default_pg_port(),
                database: default_pg_db(),
                user: default_pg_user(),
                password: true,
            },
            redis: Redis {
                host: redis_host.to_owned(),
                port: default_redis_port(),
                tls: true,
                password: true,
            },
            sizing: Sizing::default(),
            backends: default_backends(),
            monitoring: Monitoring::default(),
        }
    }

    /// The draft-07 JSON Schema of the spec (committed as `schemas/deployment-spec.schema.json`).
    pub fn schema() -> Value {
        crate::schema::generate::<DeploymentSpec>("OSMO deployment spec (osmo-values)")
    }

    /// Reads a spec from YAML or JSON text; errors carry the line and column (and, for a
    /// wrong key or value, its path). The document is returned for positions.
    ///
    /// ```
    /// use osmo_values::spec::DeploymentSpec;
    /// let err = DeploymentSpec::parse("domain: osmo.example.com\npostgres: {host: db}\nredis: {host: r, tsl: true}\n")
    ///     .unwrap_err();
    /// assert_eq!((err.line, err.column), (3, 18));
    /// assert_eq!(err.path.unwrap().to_string(), "redis.tsl");
    /// ```
    pub fn parse(text: &str) -> Result<(DeploymentSpec, Document), ParseError> {
        let document = crate::yaml::parse(text)?;
        match Self::from_json(document.root.to_json()) {
            Ok(spec) => Ok((spec, document)),
            Err(err) => Err(locate(&document, err)),
        }
    }

    /// Reads a spec already converted to JSON; the error names the offending key's path and
    /// says what is wrong in words ([`read::shape_problems`] lists every such problem).
    ///
    /// ```
    /// use osmo_values::spec::DeploymentSpec;
    /// let err = DeploymentSpec::from_json(serde_json::json!({
    ///     "domain": "osmo.example.com", "postgres": {"host": "db", "port": "abc"}, "redis": {"host": "r"},
    /// })).unwrap_err();
    /// assert_eq!(err.to_string(), "postgres.port: a port is a number from 1 to 65535");
    /// ```
    pub fn from_json(value: Value) -> Result<DeploymentSpec, ModelError> {
        read::from_json(value).map(|mut spec| {
            spec.fill_defaults();
            spec
        })
    }

    /// Writes out the defaults that depend on other fields: the image tag is the release's.
    fn fill_defaults(&mut self) {
        if self.images.tag.is_none() {
            self.images.tag = Some(self.release.as_str().to_owned());
        }
    }

    /// The spec as JSON, with every default written out (the image tag too). A 6.2.10 spec
    /// leaves out the settings only 6.3.1 has, while they hold their defaults.
    pub fn to_json(&self) -> Value {
        let mut spec = self.clone();
        spec.fill_defaults();
        let mut value = serde_json::to_value(&spec).unwrap_or(Value::Null);
        if !self.release.has_configmap_mode()
            && self.config_map_mode
            && let Some(map) = value.as_object_mut()
        {
            map.shift_remove("configMapMode");
        }
        value
    }

    /// The image tag of every OSMO component: `images.tag`, else the release's own tag.
    pub fn image_tag(&self) -> &str {
        self.images
            .tag
            .as_deref()
            .unwrap_or_else(|| self.release.as_str())
    }

    /// The URL a backend operator reaches OSMO at.
    pub fn service_url(&self, backend: &Backend) -> String {
        backend
            .service_url
            .clone()
            .unwrap_or_else(|| format!("https://{}", self.domain))
    }

    /// Whether the ingress class is the AWS Load Balancer Controller's.
    pub fn is_alb(&self) -> bool {
        self.ingress.class_name == "alb"
    }

    /// Every problem in the spec, each with its field path; empty when the spec is usable.
    ///
    /// ```
    /// use osmo_values::spec::DeploymentSpec;
    /// let mut spec = DeploymentSpec::minimal("https://osmo.example.com", "db", "redis");
    /// spec.backends.push(spec.backends[0].clone());
    /// let problems = spec.validate();
    /// let paths: Vec<String> = problems.iter().map(|p| p.path.to_string()).collect();
    /// // The newest release keeps its configuration in a ConfigMap, with the storage.
    /// assert_eq!(paths, ["domain", "storage", "backends[1].name"]);
    /// ```
    pub fn validate(&self) -> Vec<SpecProblem> {
        let mut v = Validator::default();
        let root = Path::root();
        if let Err(m) = check_domain(&self.domain) {
            v.push(root.clone().key("domain"), m);
        }
        self.validate_images(&mut v);
        self.validate_auth(&mut v);
        self.validate_ingress(&mut v);
        self.validate_gateway(&mut v);
        self.validate_storage(&mut v);
        let pg = root.clone().key("postgres");
        v.host(pg.clone().key("host"), &self.postgres.host);
        v.port(pg.clone().key("port"), self.postgres.port);
        v.word(pg.clone().key("database"), &self.postgres.database);
        v.word(pg.key("user"), &self.postgres.user);
        let redis = root.clone().key("redis");
        v.host(redis.clone().key("host"), &self.redis.host);
        v.port(redis.key("port"), self.redis.port);
        self.validate_sizing(&mut v);
        self.validate_backends(&mut v);
        v.problems
    }

    fn validate_images(&self, v: &mut Validator) {
        let p = Path::root().key("images");
        let reg = &self.images.registry;
        if reg.is_empty() {
            v.push(p.clone().key("registry"), "must not be empty");
        } else if reg.contains("://") {
            v.push(
                p.clone().key("registry"),
                "give the registry path without a scheme, such as nvcr.io/nvidia/osmo",
            );
        } else if reg.ends_with('/')
            || !reg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "./-_:".contains(c))
        {
            v.push(
                p.clone().key("registry"),
                "must be a registry path such as nvcr.io/nvidia/osmo (letters, digits, `.`, `/`, `-`, `_`, `:`; no trailing `/`)",
            );
        }
        if let Some(tag) = &self.images.tag {
            let tag_ok = !tag.is_empty()
                && tag.len() <= 128
                && !tag.starts_with(['.', '-'])
                && tag
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
            if !tag_ok {
                v.push(
                    p.clone().key("tag"),
                    format!(
                        "must be an image tag such as {} (letters, digits, `.`, `_`, `-`; at most 128 characters)",
                        self.release
                    ),
                );
            } else if let Some(minor) = tag_minor(tag)
                && minor != release_minor(self.release)
            {
                let hint = match Release::ALL
                    .into_iter()
                    .find(|r| release_minor(*r) == minor)
                {
                    Some(r) => format!(
                        "write `release: \"{r}\"` to deploy OSMO {r}, or leave out images.tag to run the images of {}",
                        self.release
                    ),
                    None => format!(
                        "use an OSMO {} image tag, or leave out images.tag",
                        release_minor(self.release)
                    ),
                };
                v.push(
                    p.clone().key("tag"),
                    format!(
                        "`{tag}` is an OSMO {minor} image tag, but `release` is {} (the default when the spec names no release): {hint}",
                        self.release
                    ),
                );
            }
        }
        if let Some(secret) = &self.images.pull_secret {
            v.k8s_name(p.key("pullSecret"), secret);
        }
    }

    fn validate_auth(&self, v: &mut Validator) {
        let p = Path::root().key("authentication");
        match &self.authentication {
            Authentication::MicrosoftEntraId(a) => {
                v.segment(p.clone().key("tenantId"), &a.tenant_id);
                v.segment(p.key("clientId"), &a.client_id);
            }
            Authentication::Google(a) => {
                if v.segment(p.clone().key("clientId"), &a.client_id)
                    && !a.client_id.ends_with(".apps.googleusercontent.com")
                {
                    v.push(
                        p.key("clientId"),
                        "give the full client ID, ending in .apps.googleusercontent.com: it is the tokens' audience",
                    );
                }
            }
            Authentication::AwsIdentityCenter(a) => {
                if !is_aws_region(&a.region) {
                    v.push(
                        p.clone().key("region"),
                        "must be an AWS region such as us-east-1",
                    );
                }
                let id = a
                    .instance_id
                    .strip_prefix("ssoins-")
                    .unwrap_or(&a.instance_id);
                if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
                    v.push(
                        p.clone().key("instanceId"),
                        "must be the Identity Center instance ID (letters and digits, the part after ssoins- in the instance ARN)",
                    );
                }
                v.segment(p.clone().key("clientId"), &a.client_id);
                if let Some(claim) = &a.user_claim {
                    v.word(p.key("userClaim"), claim);
                }
            }
            Authentication::Keycloak(a) => {
                if let Err(m) = check_https_url(&a.base_url) {
                    v.push(p.clone().key("baseUrl"), m);
                } else if a.base_url.ends_with('/') || a.base_url.contains("/realms/") {
                    v.push(
                        p.clone().key("baseUrl"),
                        "give the server's base URL without a trailing `/` or `/realms/...`, such as https://auth.example.com",
                    );
                }
                v.segment(p.clone().key("realm"), &a.realm);
                v.segment(p.key("clientId"), &a.client_id);
            }
            Authentication::Okta(a) => {
                if let Err(m) = check_domain(&a.domain) {
                    v.push(p.clone().key("domain"), m);
                }
                v.segment(p.clone().key("clientId"), &a.client_id);
                if let Some(server) = &a.authorization_server {
                    v.segment(p.key("authorizationServer"), server);
                }
            }
            Authentication::Auth0(a) => {
                if let Err(m) = check_domain(&a.domain) {
                    v.push(p.clone().key("domain"), m);
                }
                v.segment(p.key("clientId"), &a.client_id);
            }
            Authentication::Oidc(a) => {
                for (key, url) in [
                    ("issuer", &a.issuer),
                    ("authorizationEndpoint", &a.authorization_endpoint),
                    ("tokenEndpoint", &a.token_endpoint),
                    (
                        "deviceAuthorizationEndpoint",
                        &a.device_authorization_endpoint,
                    ),
                    ("endSessionEndpoint", &a.end_session_endpoint),
                ] {
                    if let Err(m) = check_https_url(url) {
                        v.push(p.clone().key(key), m);
                    }
                }
                match check_https_url(&a.jwks_uri) {
                    Err(m) => v.push(p.clone().key("jwksUri"), m),
                    Ok(parts) if parts.port.is_some_and(|port| port != 443) => v.push(
                        p.clone().key("jwksUri"),
                        "must use port 443: the charts' Envoy fetches the signing keys from the IdP host on port 443",
                    ),
                    Ok(_) => {}
                }
                if let Some(claim) = &a.user_claim {
                    v.word(p.clone().key("userClaim"), claim);
                }
                v.segment(p.key("clientId"), &a.client_id);
            }
            Authentication::None => {}
        }
    }

    fn validate_ingress(&self, v: &mut Validator) {
        let p = Path::root().key("ingress");
        let ing = &self.ingress;
        v.k8s_name(p.clone().key("className"), &ing.class_name);
        if let Some(secret) = &ing.tls_secret {
            v.k8s_name(p.clone().key("tlsSecret"), secret);
        }
        match (&ing.alb, self.is_alb()) {
            (None, true) => v.push(
                p.clone().key("alb"),
                "className alb needs alb.certificateArn (the ACM certificate for the domain)",
            ),
            (Some(_), false) => v.push(
                p.clone().key("alb"),
                "alb settings apply only with className alb; remove them or set className: alb",
            ),
            (Some(alb), true) => {
                if !alb.certificate_arn.starts_with("arn:")
                    || alb.certificate_arn.split(':').count() < 6
                    || alb
                        .certificate_arn
                        .chars()
                        .any(|c| c.is_whitespace() || c.is_control())
                {
                    v.push(
                        p.clone().key("alb").key("certificateArn"),
                        "must be an ACM certificate ARN such as arn:aws:acm:us-west-2:123456789012:certificate/...",
                    );
                }
                if ing.tls_secret.is_some() {
                    v.push(
                        p.clone().key("tlsSecret"),
                        "an ALB serves TLS with alb.certificateArn; remove tlsSecret",
                    );
                }
            }
            (None, false) => {}
        }
        v.annotation_names(p.key("annotations"), &ing.annotations);
    }

    /// The gateway settings: 6.3.1 only, and TLS where the exposure allows it.
    fn validate_gateway(&self, v: &mut Validator) {
        let p = Path::root().key("gateway");
        let gw = &self.gateway;
        if !self.release.has_gateway() {
            if !gw.is_default() {
                v.push(
                    p,
                    format!(
                        "OSMO {} has no gateway (each service runs its own Envoy): remove `gateway`, \
                         or set `release: \"{}\"`",
                        self.release,
                        Release::LATEST
                    ),
                );
            }
            return;
        }
        if let Some(secret) = &gw.tls_secret {
            v.k8s_name(p.clone().key("tlsSecret"), secret);
        }
        v.annotation_names(p.clone().key("serviceAnnotations"), &gw.service_annotations);
        let ing = Path::root().key("ingress");
        match gw.exposure {
            Exposure::LoadBalancer => {
                let why = "the gateway is exposed by its LoadBalancer Service (gateway.exposure), so no Ingress is made";
                if self.ingress.class_name != default_ingress_class() {
                    v.push(
                        ing.clone().key("className"),
                        format!("{why}: remove className, or set gateway.exposure: ingress"),
                    );
                }
                if self.ingress.tls_secret.is_some() {
                    v.push(
                        ing.clone().key("tlsSecret"),
                        format!("{why}: for TLS at the gateway set gateway.tlsSecret instead"),
                    );
                }
                if self.ingress.alb.is_some() {
                    v.push(
                        ing.clone().key("alb"),
                        format!("{why}: remove alb, or set gateway.exposure: ingress"),
                    );
                }
                if !self.ingress.annotations.is_empty() {
                    v.push(
                        ing.key("annotations"),
                        format!(
                            "{why}: put annotations for the load balancer under gateway.serviceAnnotations"
                        ),
                    );
                }
            }
            Exposure::Ingress => {
                if !gw.service_annotations.is_empty() {
                    v.push(
                        p.clone().key("serviceAnnotations"),
                        "these annotate the gateway's LoadBalancer Service (gateway.exposure: loadBalancer); \
                         with an Ingress in front, annotate the Ingress under ingress.annotations",
                    );
                }
                if gw.tls_secret.is_some() {
                    v.push(
                        p.key("tlsSecret"),
                        "TLS at the gateway itself needs gateway.exposure: loadBalancer: behind an Ingress the \
                         controller would have to speak HTTPS to the gateway. End TLS at the Ingress \
                         (ingress.tlsSecret, or the ALB certificate) instead",
                    );
                }
            }
        }
    }

    /// The workflow storage: 6.3.1 only, required in ConfigMap mode.
    fn validate_storage(&self, v: &mut Validator) {
        let p = Path::root().key("storage");
        if !self.release.has_configmap_mode() {
            if self.storage.is_some() {
                v.push(
                    p,
                    format!(
                        "OSMO {} keeps its storage settings in its database: remove `storage` and \
                         configure it with the osmo CLI after installing, or set `release: \"{}\"`",
                        self.release,
                        Release::LATEST
                    ),
                );
            }
            if !self.config_map_mode {
                v.push(
                    Path::root().key("configMapMode"),
                    format!(
                        "ConfigMap mode is new in OSMO {}: remove configMapMode for {}",
                        Release::V6_3_1,
                        self.release
                    ),
                );
            }
            return;
        }
        let Some(st) = &self.storage else {
            if self.config_map_mode {
                v.push(
                    p,
                    "in ConfigMap mode OSMO reads the workflow storage from the values only (its `osmo config` \
                     commands are refused): give storage.logUri, storage.dataUri and storage.credentials, or set \
                     configMapMode: false and configure the storage with the osmo CLI after installing",
                );
            }
            return;
        };
        for (key, uri) in [("logUri", &st.log_uri), ("dataUri", &st.data_uri)] {
            if uri
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "`\"'\\".contains(c))
            {
                v.push(
                    p.clone().key(key),
                    "must be a storage URI without spaces, quotes, backticks or backslashes",
                );
            } else if let Err(m) = crate::configs::formats::Check::StorageEndpoint.check(uri) {
                v.push(p.clone().key(key), m);
            }
        }
        if let Some(region) = &st.region
            && (region.is_empty()
                || !region
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        {
            v.push(
                p.clone().key("region"),
                "must be a region name such as us-west-2 (lowercase letters, digits and `-`)",
            );
        }
        if let Some(url) = &st.override_url
            && let Err(m) = check_http_url(url)
        {
            v.push(p.clone().key("overrideUrl"), m);
        }
        let cp = p.key("credentials");
        match &st.credentials {
            StorageCredentials::AwsIrsa(a) => {
                if !is_iam_role_arn(&a.role_arn) {
                    v.push(
                        cp.key("roleArn"),
                        "must be an IAM role ARN such as arn:aws:iam::123456789012:role/osmo-storage",
                    );
                }
            }
            StorageCredentials::AzureWorkloadIdentity(a) => {
                if !is_guid(&a.client_id) {
                    v.push(
                        cp.key("clientId"),
                        "must be the managed identity's client id, a GUID such as 0c7e6c2a-1b1e-4a57-9d36-5c0f0a1f2b3c",
                    );
                }
            }
            StorageCredentials::GcpWorkloadIdentity(a) => {
                if !is_gcp_service_account(&a.service_account) {
                    v.push(
                        cp.key("serviceAccount"),
                        "must be a Google service account's email such as osmo@my-project.iam.gserviceaccount.com",
                    );
                }
            }
            StorageCredentials::Static(_) => {}
        }
    }

    fn validate_sizing(&self, v: &mut Validator) {
        let p = Path::root().key("sizing").key("overrides");
        for (name, o) in self.sizing.overrides.entries() {
            let Some(o) = o else { continue };
            let p = p.clone().key(name);
            let fixed = matches!(name, "backendListener" | "backendWorker");
            if fixed && (o.replicas.is_some() || o.max_replicas.is_some()) {
                v.push(
                    p.clone().key("replicas"),
                    "the backend-operator chart always runs one replica of this component; set only cpu and memory",
                );
            }
            let set = [
                ("replicas", o.replicas.is_some()),
                ("maxReplicas", o.max_replicas.is_some()),
                ("cpu", o.cpu.is_some()),
                ("memory", o.memory.is_some()),
                ("cpuLimit", o.cpu_limit.is_some()),
                ("memoryLimit", o.memory_limit.is_some()),
            ];
            for (key, is_set) in set {
                if fixed || !is_set || crate::sizing::settable(name, key) {
                    continue;
                }
                // The delayed job monitor: replicas only.
                v.push(
                    p.clone().key(key),
                    if key == "maxReplicas" {
                        "the delayed job monitor is not autoscaled; set replicas only".to_owned()
                    } else {
                        format!(
                            "the {} service chart gives the delayed job monitor the API service's resources; size it under `service`",
                            self.release
                        )
                    },
                );
            }
            if o.replicas == Some(0) {
                v.push(p.clone().key("replicas"), "must be at least 1");
            }
            if o.max_replicas == Some(0) {
                v.push(p.clone().key("maxReplicas"), "must be at least 1");
            }
            for (key, q) in [
                ("cpu", &o.cpu),
                ("memory", &o.memory),
                ("cpuLimit", &o.cpu_limit),
                ("memoryLimit", &o.memory_limit),
            ] {
                if let Some(q) = q
                    && !is_quantity(q)
                {
                    v.push(
                        p.clone().key(key),
                        format!(
                            "`{}` is not a Kubernetes quantity (examples: 500m, 2, 512Mi, 1Gi)",
                            q.escape_debug()
                        ),
                    );
                }
            }
        }
        // Replica bounds are checked on the resolved figures, where the preset fills gaps.
        let resolved = crate::sizing::resolve(&self.sizing);
        for c in resolved.iter() {
            if let Some(max) = c.max_replicas
                && max < c.replicas
            {
                v.push(
                    p.clone().key(c.key).key("maxReplicas"),
                    format!(
                        "must be at least replicas ({}), which comes from the override or the preset",
                        c.replicas
                    ),
                );
            }
        }
    }

    fn validate_backends(&self, v: &mut Validator) {
        let p = Path::root().key("backends");
        if self.backends.is_empty() {
            v.push(p.clone(), "list at least one backend");
        }
        let mut seen = HashSet::new();
        for (i, b) in self.backends.iter().enumerate() {
            let bp = p.clone().index(i);
            if !is_dns_label(&b.name) {
                v.push(
                    bp.clone().key("name"),
                    "must be lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters",
                );
            } else if !seen.insert(b.name.as_str()) {
                v.push(
                    bp.clone().key("name"),
                    format!("backend `{}` is listed twice; names must be unique", b.name),
                );
            }
            v.k8s_name(bp.clone().key("namespace"), &b.namespace);
            v.k8s_name(bp.clone().key("operatorNamespace"), &b.operator_namespace);
            if b.namespace == b.operator_namespace && is_dns_label(&b.namespace) {
                v.push(
                    bp.clone().key("namespace"),
                    "workflows need their own namespace, apart from the operator's",
                );
            }
            if let Some(url) = &b.service_url {
                match check_http_url(url) {
                    Err(m) => v.push(bp.clone().key("serviceUrl"), m),
                    Ok(parts) => {
                        let host = parts.host;
                        let example = if self.release.has_gateway() {
                            "osmo-gateway.osmo.svc.cluster.local"
                        } else {
                            "osmo-agent.osmo.svc.cluster.local"
                        };
                        if !host.eq_ignore_ascii_case(&self.domain) && !is_in_cluster_host(host) {
                            v.push(
                                bp.clone().key("serviceUrl"),
                                format!(
                                    "must reach OSMO at its domain `{}` or at an in-cluster service name \
                                     (such as `{example}`), not at `{host}`",
                                    self.domain
                                ),
                            );
                        } else if self.release.has_gateway()
                            && is_in_cluster_host(host)
                            && let Some(m) = self.gateway_url_problem(&parts)
                        {
                            v.push(bp.clone().key("serviceUrl"), m);
                        }
                    }
                }
            }
            if let Some(ctx) = &b.kube_context
                && (ctx.is_empty() || ctx.chars().any(|c| c.is_control()))
            {
                v.push(
                    bp.clone().key("kubeContext"),
                    "must be a kubectl context name (not empty, no control characters)",
                );
            }
            validate_placement(b, &bp, v);
        }
    }
}

impl DeploymentSpec {
    /// What is wrong with an in-cluster URL of OSMO 6.3.1, where every client goes through
    /// the gateway: `http://osmo-gateway.osmo.svc.cluster.local` (port 80), while the gateway
    /// speaks plain HTTP there.
    fn gateway_url_problem(&self, url: &UrlParts<'_>) -> Option<String> {
        use crate::release::v6_3::GATEWAY_NAME;
        let host = url.host.to_ascii_lowercase();
        let mut labels = host.split('.');
        let name = labels.next().unwrap_or_default();
        let namespace = labels.next();
        let gateway = format!("http://{GATEWAY_NAME}.osmo.svc.cluster.local");
        if self.gateway.tls_secret.is_some() {
            return Some(format!(
                "the gateway serves TLS with a certificate for `{}` (gateway.tlsSecret), which an in-cluster \
                 name does not match: use https://{}",
                self.domain, self.domain
            ));
        }
        if name != GATEWAY_NAME || namespace.is_some_and(|ns| ns != "osmo") {
            return Some(format!(
                "at {} every client reaches OSMO through the gateway: use `{gateway}` or https://{}, \
                 not `{}`",
                self.release, self.domain, url.host
            ));
        }
        if url.scheme != "http" || url.port.is_some_and(|p| p != 80) {
            return Some(format!(
                "the gateway's Service speaks plain HTTP on port 80 inside the cluster: use `{gateway}`"
            ));
        }
        None
    }
}

/// Checks a backend's `operatorNodes`, `operatorTaint` and `computePools`.
fn validate_placement(b: &Backend, bp: &Path, v: &mut Validator) {
    let operator = match &b.operator_nodes {
        Some(text) => match NodeLabel::parse(text) {
            Ok(l) => Some(l),
            Err(m) => {
                v.push(bp.clone().key("operatorNodes"), m);
                None
            }
        },
        None => None,
    };
    if let Some(taint) = &b.operator_taint {
        let tp = bp.clone().key("operatorTaint");
        if let Err(m) = check_label_key(&taint.key) {
            v.push(tp.clone().key("key"), m);
        }
        if let Some(value) = &taint.value
            && let Err(m) = check_label_value(value)
        {
            v.push(tp.clone().key("value"), m);
        }
        if b.operator_nodes.is_none() {
            v.push(
                tp,
                "a taint is put on the dedicated operator nodes: set operatorNodes too (such as node-type=operator)",
            );
        }
    }
    let mut seen = HashSet::new();
    for (j, text) in b.compute_pools.iter().enumerate() {
        let pp = bp.clone().key("computePools").index(j);
        match NodeLabel::parse(text) {
            Err(m) => v.push(pp, m),
            Ok(l) if operator.as_ref() == Some(&l) => v.push(
                pp,
                format!(
                    "`{l}` is the operator nodes' label; compute pools need labels of their own"
                ),
            ),
            Ok(l) => {
                if !seen.insert(l.clone()) {
                    v.push(pp, format!("`{l}` is listed twice"));
                }
            }
        }
    }
}

#[derive(Default)]
struct Validator {
    problems: Vec<SpecProblem>,
}

impl Validator {
    fn push(&mut self, path: Path, message: impl Into<String>) {
        self.problems.push(SpecProblem {
            path,
            message: message.into(),
        });
    }

    /// A non-empty value safe inside a URL path segment; returns whether it was.
    fn segment(&mut self, path: Path, s: &str) -> bool {
        if s.trim().is_empty() {
            self.push(path, "must not be empty");
            false
        } else if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
        {
            self.push(
                path,
                "may contain only letters, digits, `-`, `.`, `_` and `~` (copy it from the IdP console)",
            );
            false
        } else {
            true
        }
    }

    fn word(&mut self, path: Path, s: &str) {
        if s.is_empty() {
            self.push(path, "must not be empty");
        } else if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
        {
            self.push(path, "may contain only letters, digits, `-`, `.` and `_`");
        }
    }

    fn host(&mut self, path: Path, s: &str) {
        if s.is_empty() {
            self.push(path, "must not be empty");
        } else if s.contains("://") {
            self.push(path, "give the host name only, without a scheme");
        } else if !(is_hostname(s) || is_ip(s)) {
            self.push(
                path,
                "must be a host name (letters, digits, `-`, `.`) or an IP address",
            );
        }
    }

    fn port(&mut self, path: Path, port: u16) {
        if port == 0 {
            self.push(path, read::PORT_MESSAGE);
        }
    }

    fn annotation_names(&mut self, path: Path, map: &BTreeMap<String, String>) {
        for key in map.keys() {
            let ok = !key.is_empty()
                && key.len() <= 316
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "./-_".contains(c));
            if !ok {
                self.push(
                    path.clone().key(key.clone()),
                    "annotation names are letters, digits, `.`, `-`, `_` with an optional `prefix/`",
                );
            }
        }
    }

    fn k8s_name(&mut self, path: Path, s: &str) {
        if !is_k8s_name(s) {
            self.push(
                path,
                "must be a Kubernetes name: lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit",
            );
        }
    }
}

/// Checks a host name such as `osmo.example.com`: lowercase DNS labels, at least two.
pub fn check_domain(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.contains("://") || s.contains('/') {
        return Err(
            "give the host name only, without https:// or a path, such as osmo.example.com".into(),
        );
    }
    if s.contains(':') {
        return Err("give the host name without a port".into());
    }
    if s.starts_with("*.") {
        return Err("must be one host name, not a wildcard".into());
    }
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "must be lowercase (`{}`): cookies and certificates compare host names in lowercase",
            s.to_ascii_lowercase().escape_debug()
        ));
    }
    if !is_hostname(s) {
        return Err("must be a host name such as osmo.example.com (letters, digits and `-` in dot-separated labels of at most 63 characters)".into());
    }
    if !s.contains('.') {
        return Err(
            "must be a fully qualified name with at least one dot, such as osmo.example.com".into(),
        );
    }
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(
            "must be a host name, not an IP address: the ingress and cookies need a name".into(),
        );
    }
    Ok(())
}

/// Whether a host is a Kubernetes Service name inside the cluster: a bare
/// name (`osmo-gateway`), `name.namespace`, or a name ending in `.svc` or
/// `.svc.cluster.local`.
///
/// ```
/// use osmo_values::spec::is_in_cluster_host;
/// assert!(is_in_cluster_host("osmo-agent.osmo.svc.cluster.local"));
/// assert!(is_in_cluster_host("osmo-gateway"));
/// assert!(is_in_cluster_host("osmo-gateway.osmo"));
/// assert!(!is_in_cluster_host("osmo.example.com"));
/// ```
pub fn is_in_cluster_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let labels = host.split('.').count();
    labels <= 2 && !host.is_empty() && host.split('.').all(is_dns_label)
        || host.ends_with(".svc")
        || host.ends_with(".svc.cluster.local")
}

/// Whether `s` is a DNS name: dot-separated labels of letters, digits and `-`.
pub fn is_hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// Whether `s` is a DNS-1123 label (lowercase, digits, `-`, at most 63).
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Whether `s` is a DNS-1123 subdomain, the rule for most Kubernetes object names.
pub fn is_k8s_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// The `major.minor` of an OSMO version tag such as `6.2.10` or `6.3.1-hotfix.1`; `None` for
/// tags that name no version (`latest`, `main`).
fn tag_minor(tag: &str) -> Option<String> {
    let tag = tag.strip_prefix('v').unwrap_or(tag);
    let mut parts = tag.splitn(3, |c: char| !c.is_ascii_digit());
    let major = parts.next().filter(|p| !p.is_empty())?;
    let rest = &tag[major.len()..];
    let rest = rest.strip_prefix('.')?;
    let minor: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!minor.is_empty()).then(|| format!("{major}.{minor}"))
}

/// The `major.minor` of a release, such as `6.3`.
fn release_minor(release: Release) -> String {
    tag_minor(release.as_str()).unwrap_or_default()
}

/// `arn:<partition>:iam::<12 digits>:role/<name>`.
fn is_iam_role_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5].strip_prefix("role/").is_some_and(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c))
        })
}

/// A GUID: 8-4-4-4-12 hexadecimal digits.
fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A Google service account's email: `<name>@<project>.iam.gserviceaccount.com` (or a
/// Google-managed `...gserviceaccount.com` account).
fn is_gcp_service_account(s: &str) -> bool {
    s.split_once('@').is_some_and(|(name, domain)| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && domain.ends_with("gserviceaccount.com")
            && is_hostname(domain)
    })
}

fn is_aws_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// The parts of an absolute http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// `http` or `https`.
    pub scheme: &'a str,
    /// Host name or IP address.
    pub host: &'a str,
    /// Explicit port, if any.
    pub port: Option<u16>,
    /// Path and query, starting with `/`, or empty.
    pub rest: &'a str,
}

/// Splits an absolute http or https URL; `None` when it is not one.
pub fn split_url(s: &str) -> Option<UrlParts<'_>> {
    let (scheme, after) = s.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    if authority.contains('@') {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse::<u16>().ok().filter(|p| *p != 0)?)),
        None => (authority, None),
    };
    if !(is_hostname(host) || is_ip(host)) {
        return None;
    }
    if rest
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
    {
        return None;
    }
    Some(UrlParts {
        scheme,
        host,
        port,
        rest,
    })
}

fn check_http_url(s: &str) -> Result<UrlParts<'_>, String> {
    split_url(s).ok_or_else(|| {
        "must be an absolute URL such as https://osmo.example.com (no spaces or quotes)".to_owned()
    })
}

fn check_https_url(s: &str) -> Result<UrlParts<'_>, String> {
    let parts = check_http_url(s)?;
    if parts.scheme != "https" {
        return Err("must use https".into());
    }
    Ok(parts)
}
