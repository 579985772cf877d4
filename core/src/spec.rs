//! The deployment spec: the few answers an operator gives, from which every
//! file of an OSMO deployment is generated.
//!
//! A spec never holds a secret (client secrets and passwords are passed to
//! [`crate::generate::generate_with_secrets`] separately), so `spec.yaml` can
//! be committed.
//!
//! ```
//! use osmo_values::spec::DeploymentSpec;
//! let spec = DeploymentSpec::from_json(serde_json::json!({
//!     "domain": "osmo.example.com",
//!     "postgres": {"host": "db.example.com"},
//!     "redis": {"host": "redis.example.com"},
//! }))
//! .unwrap();
//! assert!(spec.validate().is_empty());
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
pub mod read;

/// Where the OSMO images are pulled from when the spec does not say.
pub const DEFAULT_IMAGE_REGISTRY: &str = "nvcr.io/nvidia/osmo";

/// Everything the generator needs to know about one OSMO deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeploymentSpec {
    /// Host name OSMO is served on, without scheme or path, such as `osmo.example.com`.
    /// Every ingress, redirect URI and cookie is derived from it.
    pub domain: String,
    /// Where the OSMO images come from and which release to run.
    #[serde(default)]
    pub images: Images,
    /// How people sign in: one identity provider, or none (a default admin user).
    #[serde(default)]
    pub authentication: Authentication,
    /// How traffic reaches OSMO: ingress class, TLS and extra annotations.
    #[serde(default)]
    pub ingress: Ingress,
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
    /// Image tag of every OSMO component, always a string (default: the OSMO release the charts
    /// belong to, such as `6.2.10`).
    #[serde(default = "default_tag")]
    pub tag: String,
    /// Name of an existing image pull secret (type `kubernetes.io/dockerconfigjson`) in each
    /// namespace, for private registries; leave out for public images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_secret: Option<String>,
}

impl Default for Images {
    fn default() -> Self {
        Images {
            registry: default_registry(),
            tag: default_tag(),
            pull_secret: None,
        }
    }
}

fn default_registry() -> String {
    DEFAULT_IMAGE_REGISTRY.to_owned()
}

fn default_tag() -> String {
    Release::V6_2_10.as_str().to_owned()
}

/// The identity provider people sign in with, chosen by `provider`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    pub fn minimal(domain: &str, postgres_host: &str, redis_host: &str) -> DeploymentSpec {
        DeploymentSpec {
            domain: domain.to_owned(),
            images: Images::default(),
            authentication: Authentication::None,
            ingress: Ingress::default(),
            postgres: Postgres {
                host: postgres_host.to_owned(),
                port: default_pg_port(),
                database: default_pg_db(),
                user: default_pg_user(),
            },
            redis: Redis {
                host: redis_host.to_owned(),
                port: default_redis_port(),
                tls: true,
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
        match read::from_json(document.root.to_json()) {
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
        read::from_json(value)
    }

    /// The spec as JSON, with every default written out.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
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
    /// assert_eq!(paths, ["domain", "backends[1].name"]);
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
        let tag = &self.images.tag;
        let tag_ok = !tag.is_empty()
            && tag.len() <= 128
            && !tag.starts_with(['.', '-'])
            && tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !tag_ok {
            v.push(
                p.clone().key("tag"),
                "must be an image tag such as 6.2.10 (letters, digits, `.`, `_`, `-`; at most 128 characters)",
            );
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
        for key in ing.annotations.keys() {
            let ok = !key.is_empty()
                && key.len() <= 316
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "./-_".contains(c));
            if !ok {
                v.push(
                    p.clone().key("annotations").key(key.clone()),
                    "annotation names are letters, digits, `.`, `-`, `_` with an optional `prefix/`",
                );
            }
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
            if name == "delayedJobMonitor" && o.max_replicas.is_some() {
                v.push(
                    p.clone().key("maxReplicas"),
                    "the delayed job monitor is not autoscaled; set replicas only",
                );
            }
            if name == "delayedJobMonitor" {
                for (key, set) in [
                    ("cpu", o.cpu.is_some()),
                    ("memory", o.memory.is_some()),
                    ("cpuLimit", o.cpu_limit.is_some()),
                    ("memoryLimit", o.memory_limit.is_some()),
                ] {
                    if set {
                        v.push(
                            p.clone().key(key),
                            "the 6.2.10 chart gives the delayed job monitor the API service's resources; size it under `service`",
                        );
                    }
                }
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
                        if !host.eq_ignore_ascii_case(&self.domain) && !is_in_cluster_host(host) {
                            v.push(
                                bp.clone().key("serviceUrl"),
                                format!(
                                    "must reach OSMO at its domain `{}` or at an in-cluster service name \
                                     (such as `osmo-agent.osmo.svc.cluster.local`), not at `{host}`",
                                    self.domain
                                ),
                            );
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
