//! Reading the values files of an existing deployment back into a [`DeploymentSpec`].
//!
//! The files may be a bundle this crate generated or files written by hand, of either
//! supported release. The linter's planning tells the release (schema line, then content)
//! and each file's chart (file name, then schema line); the files of each Helm install are
//! merged in the linter's layer order, and the settings the spec can carry are read from the
//! merged values. What the spec cannot carry is listed as [`Unmapped`], key by key, found by
//! generating the values files again from the imported spec and comparing them with the
//! given ones: every key whose value the generated files do not reproduce is listed. When
//! that is not possible (the imported spec has problems, or this build does not generate the
//! release) the keys the reading did not use are listed instead ([`Comparison`]).
//!
//! ```
//! use osmo_values::spec::from_values::{ValuesFile, from_values};
//! let text = r#"
//! global:
//!   hostname: osmo.example.com
//!   osmoImageTag: "6.3.1"
//! gateway:
//!   envoy:
//!     service:
//!       type: LoadBalancer
//! services:
//!   postgres:
//!     serviceName: db.example.com
//!   redis:
//!     serviceName: redis.example.com
//!     port: 6380
//!   configs:
//!     enabled: false
//! "#;
//! let imported = from_values(&[ValuesFile { name: "osmo_values.yaml", text }]).unwrap();
//! assert_eq!(imported.spec.domain, "osmo.example.com");
//! assert_eq!(imported.spec.redis.port, 6380);
//! assert!(!imported.spec.config_map_mode);
//! assert_eq!(imported.spec.gateway.exposure.as_str(), "loadBalancer");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::backend::{BackendKind, NodeLabel, chart_default_tolerations, default_compute_pools};
use crate::diagnostic::Diagnostic;
use crate::generate::NGINX_LARGE_HEADER_ANNOTATIONS;
use crate::idp::Idp;
use crate::lint::{LintError, LintInput, LintOptions, ReleaseChoice, lint_report};
use crate::path::{Path, Segment};
use crate::sizing::{ComponentSize, resolve};
use crate::spec::{
    Alb, AlbScheme, Auth0, Authentication, AwsIdentityCenter, AwsIrsa, AzureWorkloadIdentity,
    Backend, DeploymentSpec, EntraId, Exposure, GcpWorkloadIdentity, GenericOidc, Google, Keycloak,
    Okta, Override, Overrides, Preset, Sizing, StaticKeys, Storage, StorageCredentials,
};
use crate::{ChartName, Release};

/// One values file to import: its name (it tells the chart, as for `osmo-values lint`) and
/// its text.
#[derive(Debug, Clone, Copy)]
pub struct ValuesFile<'a> {
    /// The file's name or path, such as `osmo_values.yaml` or `deploy/router_values.yaml`.
    pub name: &'a str,
    /// The file's text.
    pub text: &'a str,
}

/// What importing found: the spec, what it could not carry, and the files' findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The spec read from the files. It may not validate (a setting the files leave out,
    /// such as the domain, is empty): [`DeploymentSpec::validate`] tells.
    pub spec: DeploymentSpec,
    /// The release the files are for, and why.
    pub release: ReleaseChoice,
    /// Each file's chart, by index of the input.
    pub charts: Vec<ChartName>,
    /// The keys of the files the spec cannot carry, by file, then position.
    pub unmapped: Vec<Unmapped>,
    /// How `unmapped` was found.
    pub comparison: Comparison,
    /// The spec settings the files cannot tell (left at their defaults): check them.
    pub missing: Vec<Missing>,
    /// The lint findings of the imported files (file indexes are the input's).
    pub findings: Vec<Diagnostic>,
}

/// One key of an imported file that the spec does not reproduce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// Index of the file in the input.
    pub file: usize,
    /// The key's path, such as `services.service.scaling.maxReplicas`.
    pub path: Path,
    /// Line of the key, from 1 (0 when unknown).
    pub line: usize,
    /// Column of the key, from 1 (0 when unknown).
    pub column: usize,
    /// Why, in an operator's words.
    pub reason: String,
}

/// How the unmapped keys were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// The values files were generated from the imported spec and compared key by key: what
    /// is listed is exactly what a bundle generated from the spec would change.
    Generated,
    /// No comparison was possible (the reason says why): the keys listed are those the
    /// reading did not use; keys it used may still hold values a generated bundle changes.
    KeysRead {
        /// Why the files were not compared with generated ones.
        why: String,
    },
}

/// Why the files could not be imported at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// No file given.
    #[error("no values file given")]
    NoFiles,
    /// The chart of a file cannot be told.
    #[error("{0}")]
    Chart(#[from] LintError),
    /// A file is not readable YAML.
    #[error("{name}:{line}:{column}: {message}")]
    Unreadable {
        /// The file's name.
        name: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// No file is for the chart that holds most of the spec.
    #[error(
        "no values file of the `service` chart (osmo_values.yaml) among the files: it holds the \
         domain, the database and Redis"
    )]
    NoService,
}

/// Reads the values files of one deployment back into a spec (see the module docs).
///
/// Files of the same chart are layers of one install, merged in the linter's order (the
/// guides' file name first, then its overlays by name); each backend operator's files are
/// one backend.
pub fn from_values(files: &[ValuesFile<'_>]) -> Result<Imported, ImportError> {
    if files.is_empty() {
        return Err(ImportError::NoFiles);
    }
    let mut docs = Vec::with_capacity(files.len());
    for f in files {
        match crate::yaml::parse(f.text) {
            Ok(doc) => docs.push(doc),
            Err(e) => {
                return Err(ImportError::Unreadable {
                    name: f.name.to_owned(),
                    line: e.pos.line,
                    column: e.pos.column,
                    message: e.message,
                });
            }
        }
    }
    let inputs: Vec<LintInput<'_>> = files
        .iter()
        .map(|f| LintInput {
            name: f.name,
            source: f.text.as_bytes(),
        })
        .collect();
    let report = lint_report(&inputs, &LintOptions::default())?;
    let release = report.release.release;
    let json: Vec<Value> = docs.iter().map(|d| d.root.to_json()).collect();
    let mut charts = vec![ChartName::Service; files.len()];
    let mut installs: Vec<(ChartName, Vec<usize>, Value)> = Vec::new();
    for install in &report.installs {
        for &i in &install.files {
            charts[i] = install.chart.name;
        }
        let mut merged = Value::Object(Map::new());
        for &i in &install.files {
            merge(&mut merged, &json[i]);
        }
        installs.push((install.chart.name, install.files.clone(), merged));
    }
    let of = |chart: ChartName| installs.iter().filter(move |(c, ..)| *c == chart);
    let service = of(ChartName::Service)
        .next()
        .map(|(_, _, v)| v)
        .ok_or(ImportError::NoService)?;
    let mut reader = Reader {
        release,
        read: BTreeSet::new(),
        kind_told: false,
        redis_password_told: false,
    };
    let router = of(ChartName::Router).next().map(|(_, _, v)| v);
    let ui = of(ChartName::WebUi).next().map(|(_, _, v)| v);
    let mut operators: Vec<(usize, &Value)> = of(ChartName::BackendOperator)
        .map(|(_, files, v)| (files.iter().copied().min().unwrap_or(0), v))
        .collect();
    // The spec's order of backends is the order of `services.configs.backends` (6.3.1,
    // ConfigMap mode), else the order the files are given in.
    operators.sort_by_key(|(first, _)| *first);
    let mut operators: Vec<&Value> = operators.into_iter().map(|(_, v)| v).collect();
    if let Some(order) = at(service, "services.configs.backends").and_then(Value::as_object) {
        let rank = |op: &&Value| {
            at(op, "global.backendName")
                .and_then(Value::as_str)
                .and_then(|n| order.keys().position(|k| k == n))
                .unwrap_or(usize::MAX)
        };
        operators.sort_by_key(rank);
    }
    let spec = reader.spec(service, router, ui, &operators);
    let missing = missing(&spec, &reader, operators.len());

    let (unmapped, comparison) = match generated_values(&spec) {
        Ok(generated) => {
            let mut out = Vec::new();
            for (chart, order, merged) in &installs {
                let file = match chart {
                    ChartName::BackendOperator => {
                        let name = at(merged, "global.backendName");
                        generated.iter().find(|(n, v)| {
                            n.starts_with("backend_operator_values")
                                && at(v, "global.backendName") == name
                        })
                    }
                    c => generated.iter().find(|(n, _)| n == values_file(*c)),
                };
                let absent = Value::Null;
                let theirs = file.map_or(&absent, |(_, v)| v);
                for &i in order {
                    compare_file(i, &docs[i], &json[i], merged, theirs, &mut out);
                }
            }
            (out, Comparison::Generated)
        }
        Err(why) => {
            let mut out = Vec::new();
            for (chart, order, merged) in &installs {
                for &i in order {
                    unread_keys(
                        i,
                        &docs[i],
                        &json[i],
                        merged,
                        &reader.read,
                        *chart,
                        &mut out,
                    );
                }
            }
            (out, Comparison::KeysRead { why })
        }
    };
    let mut unmapped = unmapped;
    unmapped.sort_by_key(|a| (a.file, a.line, a.column));
    Ok(Imported {
        spec,
        release: report.release,
        charts,
        unmapped,
        comparison,
        missing,
        findings: report.diagnostics,
    })
}

/// A setting of the spec that values files do not hold, so the import could not read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The spec field, such as `backends[].kind`.
    pub field: &'static str,
    /// Why the files do not tell, and what it is for.
    pub why: &'static str,
}

/// The spec settings an import cannot read from values files, for this spec.
fn missing(spec: &DeploymentSpec, reader: &Reader, operators: usize) -> Vec<Missing> {
    let mut out = Vec::new();
    // The charts read both passwords from Secrets (`db-secret`, `redis-secret`) whatever
    // they hold, so no values file tells whether a server asks for one.
    out.push(Missing {
        field: "postgres.password",
        why: "values files do not say whether PostgreSQL asks for a password (the chart reads \
              it from the `db-secret` Secret either way): the import assumes it does; say no \
              for a server without one",
    });
    if !reader.redis_password_told {
        out.push(Missing {
            field: "redis.password",
            why: "values files do not say whether Redis asks for a password (the chart reads \
                  it from the `redis-secret` Secret either way) unless the gateway's \
                  oauth2-proxy keeps its sessions there: the import assumes it does; say no \
                  for a server without one",
        });
    }
    if operators == 0 {
        out.push(Missing {
            field: "backends",
            why: "no backend operator's values file was given: the spec keeps one backend named \
                  `default` with the guides' settings",
        });
    }
    if !reader.kind_told && !spec.backends.is_empty() {
        out.push(Missing {
            field: "backends[].kind",
            why: "values files do not say what kind of cluster a backend is (on premises, EKS, AKS, \
                  GKE); it chooses the requirements `osmo-values preflight` checks and the node \
                  pools NEXT_STEPS.md suggests",
        });
    }
    if !spec.backends.is_empty() {
        out.push(Missing {
            field: "backends[].kubeContext",
            why: "the kubectl context of a backend's cluster is in install.sh, not in the values",
        });
    }
    if spec.release == Release::V6_2_10 && !spec.backends.is_empty() {
        out.push(Missing {
            field: "backends[].computePools",
            why: "OSMO 6.2.10 values do not name the compute nodes' labels (pools are set with \
                  the osmo CLI after installing)",
        });
    }
    if spec.release.has_configmap_mode() && !spec.config_map_mode && spec.storage.is_none() {
        out.push(Missing {
            field: "storage",
            why: "with ConfigMap mode off, the workflow storage is set with `osmo config` after \
                  installing: the values hold at most the storage identity's annotation",
        });
    }
    out
}

/// The spec for OSMO 6.3.1 from one read off 6.2.10 files: the same answers, with the
/// release's own image tag when the files pinned a 6.2 one. Storage, which 6.2.10 values
/// do not hold, stays to be given (ConfigMap mode needs it); `osmo-values migrate` upgrades
/// an installed 6.2.10 deployment's files themselves.
///
/// ```
/// use osmo_values::Release;
/// use osmo_values::spec::DeploymentSpec;
/// use osmo_values::spec::from_values::for_latest;
/// let mut old = DeploymentSpec::minimal("osmo.example.com", "db", "redis");
/// old.release = Release::V6_2_10;
/// old.images.tag = Some("6.2.10".into());
/// let new = for_latest(&old);
/// assert_eq!(new.release, Release::V6_3_1);
/// assert_eq!(new.image_tag(), "6.3.1");
/// ```
pub fn for_latest(spec: &DeploymentSpec) -> DeploymentSpec {
    let mut out = spec.clone();
    if out.release != Release::LATEST {
        out.release = Release::LATEST;
        out.images.tag = None;
        out.fill_defaults();
    }
    out
}

/// The file name the generator gives a chart's values.
fn values_file(chart: ChartName) -> &'static str {
    match chart {
        ChartName::Service => "osmo_values.yaml",
        ChartName::Router => "router_values.yaml",
        ChartName::WebUi => "ui_values.yaml",
        ChartName::BackendOperator => "backend_operator_values.yaml",
    }
}

/// The values files generated from `spec`, parsed; the reason in words when that is not
/// possible.
fn generated_values(spec: &DeploymentSpec) -> Result<Vec<(String, Value)>, String> {
    use rand::SeedableRng;
    if spec.release == Release::V6_2_10 && !crate::generate::GENERATES_6_2 {
        return Err(
            "this build does not generate OSMO 6.2.10 files to compare with: the keys listed are \
             those not read into the spec"
                .to_owned(),
        );
    }
    let problems = spec.validate();
    if !problems.is_empty() {
        return Err(format!(
            "the imported spec is incomplete ({}), so no bundle could be generated to compare \
             with: the keys listed are those not read into the spec",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    // Only the values files are kept, and they do not depend on the generator's randomness
    // (which makes the MEK and the secrets): a fixed seed keeps the import a pure function.
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let bundle = crate::generate::generate(spec, &mut rng).map_err(|e| e.to_string())?;
    Ok(bundle
        .files
        .iter()
        .filter(|f| f.name.ends_with("values.yaml") || f.name.contains("_values."))
        .filter_map(|f| {
            let doc = crate::yaml::parse(&f.contents).ok()?;
            Some((f.name.clone(), doc.root.to_json()))
        })
        .collect())
}

/// Merges `over` into `base` the way Helm merges values files: maps key by key, anything
/// else replaced, `null` deleting the key.
fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                if v.is_null() {
                    b.shift_remove(k);
                } else if let Some(slot) = b.get_mut(k) {
                    merge(slot, v);
                } else {
                    b.insert(k.clone(), v.clone());
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// The value at a dotted path of plain keys.
fn at<'v>(v: &'v Value, dotted: &str) -> Option<&'v Value> {
    dotted
        .split('.')
        .try_fold(v, |v, k| v.as_object()?.get(k))
        .filter(|v| !v.is_null())
}

/// A scalar as text: strings as they are, numbers and booleans as Helm prints them.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads the spec's settings out of merged values, remembering the keys it used.
struct Reader {
    release: Release,
    /// `chart:dotted.path` of every key read.
    read: BTreeSet<String>,
    /// Whether the kind of the backends' clusters was told by the storage identity.
    kind_told: bool,
    /// Whether the files told if Redis asks for a password (the 6.3.1 gateway's
    /// oauth2-proxy is given one, or not, when it keeps sessions in Redis).
    redis_password_told: bool,
}

impl Reader {
    fn get<'v>(&mut self, chart: ChartName, v: &'v Value, dotted: &str) -> Option<&'v Value> {
        let found = at(v, dotted);
        if found.is_some() {
            self.read.insert(format!("{}:{dotted}", chart.as_str()));
        }
        found
    }

    fn text(&mut self, chart: ChartName, v: &Value, dotted: &str) -> Option<String> {
        self.get(chart, v, dotted).and_then(scalar_text)
    }

    fn flag(&mut self, chart: ChartName, v: &Value, dotted: &str) -> Option<bool> {
        match self.get(chart, v, dotted)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    fn number(&mut self, chart: ChartName, v: &Value, dotted: &str) -> Option<u64> {
        let v = self.get(chart, v, dotted)?;
        v.as_u64().or_else(|| v.as_str()?.parse().ok())
    }

    fn string_map(
        &mut self,
        chart: ChartName,
        v: &Value,
        dotted: &str,
    ) -> BTreeMap<String, String> {
        self.get(chart, v, dotted)
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), scalar_text(v)?)))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn spec(
        &mut self,
        service: &Value,
        router: Option<&Value>,
        ui: Option<&Value>,
        operators: &[&Value],
    ) -> DeploymentSpec {
        use ChartName::Service as S;
        let v6_3 = self.release.has_gateway();
        let mut spec = DeploymentSpec::minimal("", "", "");
        spec.release = self.release;
        let domain = if v6_3 {
            self.text(S, service, "global.hostname")
        } else {
            self.text(S, service, "services.service.hostname")
                .or_else(|| self.text(S, service, "sidecars.envoy.service.hostname"))
        };
        spec.domain = domain.unwrap_or_default();
        let first_operator = operators.first().copied();
        self.images(&mut spec, service, first_operator);
        if let Some(host) = self.text(S, service, "services.postgres.serviceName") {
            spec.postgres.host = host;
        }
        if let Some(port) = self.number(S, service, "services.postgres.port") {
            spec.postgres.port = u16::try_from(port).unwrap_or(0);
        }
        if let Some(db) = self.text(S, service, "services.postgres.db") {
            spec.postgres.database = db;
        }
        if let Some(user) = self.text(S, service, "services.postgres.user") {
            spec.postgres.user = user;
        }
        if let Some(host) = self.text(S, service, "services.redis.serviceName") {
            spec.redis.host = host;
        }
        if let Some(port) = self.number(S, service, "services.redis.port") {
            spec.redis.port = u16::try_from(port).unwrap_or(0);
        }
        if let Some(tls) = self.flag(S, service, "services.redis.tlsEnabled") {
            spec.redis.tls = tls;
        }
        if v6_3
            && self
                .get(S, service, "gateway.oauth2Proxy.redis.serviceName")
                .is_some()
        {
            // The proxy reads a Redis password only from its environment.
            spec.redis.password = self
                .get(S, service, "gateway.oauth2Proxy.extraEnv")
                .and_then(Value::as_array)
                .is_some_and(|env| {
                    env.iter()
                        .any(|e| e["name"] == "OAUTH2_PROXY_REDIS_PASSWORD")
                });
            self.redis_password_told = true;
        }
        spec.authentication = self.authentication(service);
        let ingress_at = if v6_3 {
            "gateway.envoy.ingress"
        } else {
            "services.service.ingress"
        };
        self.ingress(&mut spec, service, ingress_at);
        if v6_3 {
            self.gateway(&mut spec, service);
            spec.config_map_mode = self
                .flag(S, service, "services.configs.enabled")
                .unwrap_or(false);
            spec.storage = self.storage(service);
        }
        spec.monitoring.pod_monitor = self.flag(S, service, "podMonitor.enabled").unwrap_or(false);
        if !operators.is_empty() {
            spec.backends = operators
                .iter()
                .enumerate()
                .map(|(i, op)| self.backend(&spec, service, op, i))
                .collect();
        }
        spec.sizing = self.sizing(service, router, ui, first_operator);
        spec.fill_defaults();
        spec
    }

    fn images(&mut self, spec: &mut DeploymentSpec, service: &Value, operator: Option<&Value>) {
        use ChartName::{BackendOperator as B, Service as S};
        let registry = self
            .text(S, service, "global.osmoImageLocation")
            .or_else(|| operator.and_then(|o| self.text(B, o, "global.osmoImageLocation")));
        if let Some(r) = registry {
            spec.images.registry = r.trim_end_matches('/').to_owned();
        }
        spec.images.tag = self
            .text(S, service, "global.osmoImageTag")
            .or_else(|| operator.and_then(|o| self.text(B, o, "global.osmoImageTag")));
        spec.images.pull_secret = self
            .text(S, service, "global.imagePullSecret")
            .or_else(|| operator.and_then(|o| self.text(B, o, "global.imagePullSecret")));
    }

    /// The identity provider: the JWT provider that is not OSMO's own, oauth2-proxy and the
    /// API service's login endpoints, matched against the provider table of [`crate::idp`].
    fn authentication(&mut self, service: &Value) -> Authentication {
        use ChartName::Service as S;
        let envoy = if self.release.has_gateway() {
            "gateway.envoy"
        } else {
            "sidecars.envoy"
        };
        let proxy = if self.release.has_gateway() {
            "gateway.oauth2Proxy"
        } else {
            "sidecars.oauth2Proxy"
        };
        let providers = self
            .get(S, service, &format!("{envoy}.jwt.providers"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let provider = providers
            .iter()
            .find(|p| p["cluster"] == "idp")
            .or_else(|| providers.iter().find(|p| p["issuer"] != "osmo"));
        let field = |key: &str| provider.and_then(|p| scalar_text(&p[key]));
        let auth_enabled = self
            .flag(S, service, "services.service.auth.enabled")
            .unwrap_or(false);
        let mut endpoint = |key: &str| {
            if auth_enabled {
                self.text(S, service, &format!("services.service.auth.{key}"))
            } else {
                None
            }
        };
        let seen = Seen {
            device: endpoint("device_endpoint"),
            authorize: endpoint("browser_endpoint"),
            token: endpoint("token_endpoint"),
            logout: endpoint("logout_endpoint"),
            client: endpoint("browser_client_id").or_else(|| endpoint("device_client_id")),
            issuer: field("issuer"),
            jwks_uri: field("jwks_uri"),
            audience: field("audience"),
            user_claim: field("user_claim"),
        };
        let proxy_issuer = self.text(S, service, &format!("{proxy}.oidcIssuerUrl"));
        let proxy_client = self.text(S, service, &format!("{proxy}.clientId"));
        let issuer = seen.issuer.clone().or(proxy_issuer);
        let client_id = seen
            .audience
            .clone()
            .or(proxy_client)
            .or_else(|| seen.client.clone());
        let (Some(issuer), Some(client_id)) = (issuer, client_id) else {
            return Authentication::None;
        };
        let candidates = candidates(&issuer, &client_id, seen.user_claim.as_deref());
        if let Some(found) = candidates
            .into_iter()
            .find(|a| Idp::from_auth(a).is_some_and(|idp| seen.matches(&idp)))
        {
            return found;
        }
        Authentication::Oidc(GenericOidc {
            jwks_uri: seen.jwks_uri.unwrap_or_default(),
            authorization_endpoint: seen.authorize.unwrap_or_default(),
            token_endpoint: seen.token.unwrap_or_default(),
            device_authorization_endpoint: seen.device.unwrap_or_default(),
            end_session_endpoint: seen.logout.unwrap_or_default(),
            user_claim: seen.user_claim.filter(|c| c != "email"),
            issuer,
            client_id,
        })
    }

    fn ingress(&mut self, spec: &mut DeploymentSpec, service: &Value, base: &str) {
        use ChartName::Service as S;
        let key = |k: &str| format!("{base}.{k}");
        if let Some(class) = self.text(S, service, &key("ingressClass")) {
            spec.ingress.class_name = class;
        }
        let ssl = self.flag(S, service, &key("sslEnabled")).unwrap_or(false);
        let secret = self.text(S, service, &key("sslSecret"));
        spec.ingress.tls_secret = secret.filter(|_| ssl);
        let mut annotations = self.string_map(S, service, &key("annotations"));
        let alb = self
            .flag(S, service, &key("albAnnotations.enabled"))
            .unwrap_or(false);
        if alb {
            let scheme = match annotations
                .get("alb.ingress.kubernetes.io/scheme")
                .map(String::as_str)
            {
                Some("internal") => AlbScheme::Internal,
                _ => AlbScheme::InternetFacing,
            };
            spec.ingress.alb = Some(Alb {
                certificate_arn: self
                    .text(S, service, &key("albAnnotations.sslCertArn"))
                    .unwrap_or_default(),
                scheme,
            });
            // The generator writes these three for the class alb.
            for (k, v) in [
                ("alb.ingress.kubernetes.io/scheme", scheme.as_str()),
                (
                    "alb.ingress.kubernetes.io/listen-ports",
                    r#"[{"HTTP": 80}, {"HTTPS": 443}]"#,
                ),
                ("alb.ingress.kubernetes.io/ssl-redirect", "443"),
            ] {
                if annotations.get(k).is_some_and(|x| x == v) {
                    annotations.remove(k);
                }
            }
        }
        if spec.ingress.class_name == "nginx"
            && !matches!(spec.authentication, Authentication::None)
        {
            for (k, v) in NGINX_LARGE_HEADER_ANNOTATIONS {
                if annotations.get(*k).is_some_and(|x| x == v) {
                    annotations.remove(*k);
                }
            }
        }
        spec.ingress.annotations = annotations;
    }

    fn gateway(&mut self, spec: &mut DeploymentSpec, service: &Value) {
        use ChartName::Service as S;
        let lb = self
            .text(S, service, "gateway.envoy.service.type")
            .is_some_and(|t| t == "LoadBalancer");
        if lb {
            spec.gateway.exposure = Exposure::LoadBalancer;
            spec.gateway.service_annotations =
                self.string_map(S, service, "gateway.envoy.service.annotations");
        }
        if self
            .flag(S, service, "gateway.envoy.ssl.enabled")
            .unwrap_or(false)
        {
            spec.gateway.tls_secret = self.text(S, service, "gateway.envoy.ssl.secretName");
        }
        if let Some(tls) = self.flag(S, service, "gateway.tls.enabled") {
            spec.gateway.upstream_tls = tls;
        }
    }

    fn storage(&mut self, service: &Value) -> Option<Storage> {
        use ChartName::Service as S;
        let base = "services.configs.workflow";
        let log = self.text(
            S,
            service,
            &format!("{base}.workflow_log.credential.endpoint"),
        );
        let data = self
            .text(
                S,
                service,
                &format!("{base}.workflow_data.credential.endpoint"),
            )
            .or_else(|| self.text(S, service, &format!("{base}.workflow_data.base_url")));
        let region = self.text(
            S,
            service,
            &format!("{base}.workflow_log.credential.region"),
        );
        let override_url = self.text(
            S,
            service,
            &format!("{base}.workflow_log.credential.override_url"),
        );
        let annotations = self.string_map(S, service, "serviceAccount.annotations");
        let credentials = if let Some(arn) = annotations.get("eks.amazonaws.com/role-arn") {
            StorageCredentials::AwsIrsa(AwsIrsa {
                role_arn: arn.clone(),
            })
        } else if let Some(id) = annotations.get("azure.workload.identity/client-id") {
            StorageCredentials::AzureWorkloadIdentity(AzureWorkloadIdentity {
                client_id: id.clone(),
            })
        } else if let Some(sa) = annotations.get("iam.gke.io/gcp-service-account") {
            StorageCredentials::GcpWorkloadIdentity(GcpWorkloadIdentity {
                service_account: sa.clone(),
            })
        } else {
            StorageCredentials::Static(StaticKeys {})
        };
        if log.is_none() && data.is_none() {
            return None;
        }
        Some(Storage {
            log_uri: log.unwrap_or_default(),
            data_uri: data.unwrap_or_default(),
            region,
            override_url,
            credentials,
        })
    }

    fn backend(
        &mut self,
        spec: &DeploymentSpec,
        service: &Value,
        operator: &Value,
        index: usize,
    ) -> Backend {
        use ChartName::BackendOperator as B;
        let name = self
            .text(B, operator, "global.backendName")
            .unwrap_or_else(|| {
                if index == 0 {
                    "default".into()
                } else {
                    format!("backend-{}", index + 1)
                }
            });
        let mut b = Backend::named(&name);
        if let Some(ns) = self.text(B, operator, "global.backendNamespace") {
            b.namespace = ns;
        }
        if let Some(ns) = self.text(B, operator, "global.agentNamespace") {
            b.operator_namespace = ns;
        }
        b.service_url = self
            .text(B, operator, "global.serviceUrl")
            .filter(|u| *u != format!("https://{}", spec.domain));
        let selector = self.string_map(B, operator, "services.backendListener.nodeSelector");
        self.read
            .insert("backend-operator:services.backendWorker.nodeSelector".into());
        b.operator_nodes = selector.iter().next().map(|(k, v)| format!("{k}={v}"));
        if let Some(list) = self
            .get(B, operator, "global.tolerations")
            .and_then(Value::as_array)
        {
            let chart: Vec<Option<String>> = chart_default_tolerations()
                .iter()
                .map(|t| t.key.clone())
                .collect();
            b.operator_taint = list
                .iter()
                .filter(|t| !chart.contains(&t["key"].as_str().map(str::to_owned)))
                .find_map(|t| {
                    let taint = serde_json::json!({
                        "key": t["key"], "value": t.get("value"), "effect": t.get("effect").filter(|e| !e.is_null()).cloned().unwrap_or("NoSchedule".into()),
                    });
                    let mut taint = taint;
                    if taint["value"].is_null()
                        && let Some(m) = taint.as_object_mut()
                    {
                        m.shift_remove("value");
                    }
                    serde_json::from_value(taint).ok()
                });
        }
        // A cloud's workload identity works on that cloud's Kubernetes only.
        let cloud = match spec.storage.as_ref().map(|s| &s.credentials) {
            Some(StorageCredentials::AwsIrsa(_)) => Some(BackendKind::Eks),
            Some(StorageCredentials::AzureWorkloadIdentity(_)) => Some(BackendKind::Aks),
            Some(StorageCredentials::GcpWorkloadIdentity(_)) => Some(BackendKind::Gke),
            _ => None,
        };
        if let Some(kind) = cloud {
            b.kind = kind;
            self.kind_told = true;
        }
        if self.release.has_gateway() {
            b.compute_pools = self.compute_pools(service, &name, index, b.kind);
        }
        b
    }

    /// The node labels of the platforms of the pool that submits to backend `name`
    /// (ConfigMap mode): empty when they are the guides' labels.
    fn compute_pools(
        &mut self,
        service: &Value,
        name: &str,
        index: usize,
        kind: BackendKind,
    ) -> Vec<String> {
        use ChartName::Service as S;
        let Some(pools) = self
            .get(S, service, "services.configs.pools")
            .and_then(Value::as_object)
            .cloned()
        else {
            return Vec::new();
        };
        let templates = self
            .get(S, service, "services.configs.podTemplates")
            .cloned()
            .unwrap_or(Value::Null);
        let pool = pools
            .values()
            .filter(|p| !p.is_null())
            .find(|p| p["backend"] == name)
            .or_else(|| (index == 0).then(|| pools.get("default")).flatten());
        let Some(platforms) = pool.and_then(|p| p["platforms"].as_object()) else {
            return Vec::new();
        };
        let mut labels = Vec::new();
        for platform in platforms.values().filter(|p| !p.is_null()) {
            for t in platform["override_pod_template"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let Some(t) = t.as_str() else { continue };
                if let Some(sel) = templates[t]["spec"]["nodeSelector"].as_object() {
                    for (k, v) in sel {
                        if let Some(v) = scalar_text(v) {
                            labels.push(format!("{k}={v}"));
                        }
                    }
                }
            }
        }
        let guides: Vec<String> = default_compute_pools(kind, self.release)
            .iter()
            .map(NodeLabel::to_string)
            .collect();
        if labels == guides { Vec::new() } else { labels }
    }

    fn sizing(
        &mut self,
        service: &Value,
        router: Option<&Value>,
        ui: Option<&Value>,
        operator: Option<&Value>,
    ) -> Sizing {
        use ChartName::{BackendOperator as B, Router as R, Service as S, WebUi as U};
        let v6_3 = self.release.has_gateway();
        let mut seen: BTreeMap<&'static str, Observed> = BTreeMap::new();
        for key in ["service", "worker", "logger", "agent"] {
            let o = self.observe(S, service, &format!("services.{key}"), true);
            seen.insert(key, o);
        }
        let djm = Observed {
            replicas: self.count(S, service, "services.delayedJobMonitor.replicas"),
            ..Observed::default()
        };
        seen.insert("delayedJobMonitor", djm);
        let (router_chart, router_values, router_at) = if v6_3 {
            (S, Some(service), "services.router")
        } else {
            (R, router, "services.service")
        };
        if let Some(v) = router_values {
            let o = self.observe(router_chart, v, router_at, true);
            seen.insert("router", o);
        }
        let (ui_chart, ui_values) = if v6_3 { (S, Some(service)) } else { (U, ui) };
        if let Some(v) = ui_values {
            let mut o = self.observe(ui_chart, v, "services.ui", false);
            o.replicas = self.count(ui_chart, v, "services.ui.replicas");
            if self
                .flag(ui_chart, v, "services.ui.scaling.enabled")
                .unwrap_or(false)
            {
                o.max = self.count(ui_chart, v, "services.ui.scaling.maxReplicas");
            }
            seen.insert("ui", o);
        }
        if let Some(op) = operator {
            for (key, at) in [
                ("backendListener", "services.backendListener"),
                ("backendWorker", "services.backendWorker"),
            ] {
                let o = self.observe(B, op, at, false);
                seen.insert(key, o);
            }
        }
        fit_sizing(&seen)
    }

    fn count(&mut self, chart: ChartName, v: &Value, dotted: &str) -> Option<u32> {
        self.number(chart, v, dotted)
            .and_then(|n| u32::try_from(n).ok())
    }

    fn observe(&mut self, chart: ChartName, v: &Value, base: &str, scaled: bool) -> Observed {
        let k = |s: &str| format!("{base}.{s}");
        Observed {
            replicas: if scaled {
                self.count(chart, v, &k("scaling.minReplicas"))
            } else {
                None
            },
            max: if scaled {
                self.count(chart, v, &k("scaling.maxReplicas"))
            } else {
                None
            },
            cpu: self.text(chart, v, &k("resources.requests.cpu")),
            memory: self.text(chart, v, &k("resources.requests.memory")),
            cpu_limit: self.text(chart, v, &k("resources.limits.cpu")),
            memory_limit: self.text(chart, v, &k("resources.limits.memory")),
        }
    }
}

/// The IdP settings found in the files.
struct Seen {
    issuer: Option<String>,
    jwks_uri: Option<String>,
    audience: Option<String>,
    user_claim: Option<String>,
    device: Option<String>,
    authorize: Option<String>,
    token: Option<String>,
    logout: Option<String>,
    client: Option<String>,
}

impl Seen {
    /// Whether every setting found is the one `idp` derives.
    fn matches(&self, idp: &Idp) -> bool {
        let same =
            |seen: &Option<String>, derived: &str| seen.as_deref().is_none_or(|s| s == derived);
        same(&self.issuer, &idp.issuer)
            && same(&self.jwks_uri, &idp.jwks_uri)
            && same(&self.user_claim, &idp.user_claim)
            && same(&self.device, &idp.device)
            && same(&self.authorize, &idp.authorize)
            && same(&self.token, &idp.token)
            && same(&self.logout, &idp.logout)
    }
}

/// The presets' settings that could give `issuer`, to be checked against every other
/// setting found.
fn candidates(issuer: &str, client_id: &str, claim: Option<&str>) -> Vec<Authentication> {
    let client_id = client_id.to_owned();
    let mut out = Vec::new();
    if let Some(tenant) = issuer
        .strip_prefix("https://login.microsoftonline.com/")
        .and_then(|r| r.strip_suffix("/v2.0"))
    {
        out.push(Authentication::MicrosoftEntraId(EntraId {
            tenant_id: tenant.to_owned(),
            client_id: client_id.clone(),
        }));
    }
    if issuer == "https://accounts.google.com" {
        out.push(Authentication::Google(Google {
            client_id: client_id.clone(),
        }));
    }
    if let Some((region, instance)) = issuer
        .strip_prefix("https://identitycenter.")
        .and_then(|r| r.split_once(".amazonaws.com/ssoins-"))
    {
        out.push(Authentication::AwsIdentityCenter(AwsIdentityCenter {
            region: region.to_owned(),
            instance_id: instance.to_owned(),
            client_id: client_id.clone(),
            user_claim: claim.filter(|c| *c != "email").map(str::to_owned),
        }));
    }
    if let Some((base, realm)) = issuer.rsplit_once("/realms/") {
        out.push(Authentication::Keycloak(Keycloak {
            base_url: base.to_owned(),
            realm: realm.to_owned(),
            client_id: client_id.clone(),
        }));
    }
    if let Some(rest) = issuer.strip_prefix("https://") {
        match rest.split_once("/oauth2/") {
            Some((domain, server)) if !server.contains('/') => {
                out.push(Authentication::Okta(Okta {
                    domain: domain.to_owned(),
                    client_id: client_id.clone(),
                    authorization_server: Some(server.to_owned()),
                }));
            }
            None if !rest.contains('/') => out.push(Authentication::Okta(Okta {
                domain: rest.to_owned(),
                client_id: client_id.clone(),
                authorization_server: None,
            })),
            _ => {}
        }
        if let Some(domain) = rest.strip_suffix('/').filter(|d| !d.contains('/')) {
            out.push(Authentication::Auth0(Auth0 {
                domain: domain.to_owned(),
                client_id: client_id.clone(),
            }));
        }
    }
    out
}

/// Sizing figures found for one component.
#[derive(Debug, Clone, Default)]
struct Observed {
    replicas: Option<u32>,
    max: Option<u32>,
    cpu: Option<String>,
    memory: Option<String>,
    cpu_limit: Option<String>,
    memory_limit: Option<String>,
}

/// The preset the figures need the fewest overrides from, with those overrides.
fn fit_sizing(seen: &BTreeMap<&'static str, Observed>) -> Sizing {
    let mut best: Option<(usize, Sizing)> = None;
    for preset in [Preset::Small, Preset::Medium, Preset::Large] {
        let mut sizing = Sizing {
            preset,
            overrides: Overrides::default(),
        };
        let mut count = 0;
        for (key, _) in Overrides::default().entries() {
            let Some(o) = seen.get(key) else { continue };
            let mut ov = Override::default();
            let now = |ov: &Override| -> ComponentSize {
                let mut s = sizing.clone();
                *s.overrides.slot_mut(key).expect("a component's key") = Some(ov.clone());
                component(&resolve(&s), key)
            };
            if let Some(r) = o.replicas
                && now(&ov).replicas != r
            {
                ov.replicas = Some(r);
            }
            if let Some(m) = o.max
                && now(&ov).max_replicas != Some(m)
            {
                ov.max_replicas = Some(m);
            }
            if let Some(c) = &o.cpu
                && now(&ov).cpu != *c
            {
                ov.cpu = Some(c.clone());
            }
            if let Some(m) = &o.memory
                && now(&ov).memory != *m
            {
                ov.memory = Some(m.clone());
            }
            if o.cpu_limit.is_some() && now(&ov).cpu_limit != o.cpu_limit {
                ov.cpu_limit = o.cpu_limit.clone();
            }
            if let Some(m) = &o.memory_limit
                && now(&ov).memory_limit != *m
            {
                ov.memory_limit = Some(m.clone());
            }
            let fields = [
                ov.replicas.is_some(),
                ov.max_replicas.is_some(),
                ov.cpu.is_some(),
                ov.memory.is_some(),
                ov.cpu_limit.is_some(),
                ov.memory_limit.is_some(),
            ];
            let n = fields.iter().filter(|f| **f).count();
            if n > 0 {
                count += n;
                *sizing.overrides.slot_mut(key).expect("a component's key") = Some(ov);
            }
        }
        if best.as_ref().is_none_or(|(c, _)| count < *c) {
            best = Some((count, sizing));
        }
    }
    best.map(|(_, s)| s).unwrap_or_default()
}

fn component(r: &crate::sizing::ResolvedSizing, key: &str) -> ComponentSize {
    r.iter()
        .find(|c| c.key == key)
        .cloned()
        .unwrap_or_else(|| r.service.clone())
}

/// Every leaf of a values document (a scalar, a list or an empty map) with its path.
fn leaves(v: &Value, path: Path, out: &mut Vec<(Path, Value)>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                leaves(x, path.clone().key(k.clone()), out);
            }
        }
        _ => out.push((path, v.clone())),
    }
}

fn lookup<'v>(v: &'v Value, path: &Path) -> Option<&'v Value> {
    path.0.iter().try_fold(v, |v, s| match s {
        Segment::Key(k) => v.as_object()?.get(k),
        Segment::Index(i) => v.as_array()?.get(*i),
    })
}

/// Whether two values say the same: equal, or scalars Helm prints the same.
fn same(a: &Value, b: &Value) -> bool {
    a == b
        || matches!((scalar_text(a), scalar_text(b)), (Some(x), Some(y)) if x == y)
        || (is_empty_map(a) && b.is_null() || a.is_null() && is_empty_map(b))
}

fn is_empty_map(v: &Value) -> bool {
    v.as_object().is_some_and(Map::is_empty)
}

/// A value for a message: short, on one line.
fn show(v: &Value) -> String {
    let text = match v {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    };
    if text.chars().count() > 72 {
        let cut: String = text.chars().take(68).collect();
        format!("{cut}…`")
    } else {
        text
    }
}

fn position(doc: &crate::yaml::Document, path: &Path) -> (usize, usize) {
    doc.root
        .key_at(path)
        .or_else(|| doc.root.at(path))
        .map_or((0, 0), |n| (n.span.start.line, n.span.start.column))
}

/// The keys of file `index` that survive the merge (no later layer replaces them) and that
/// the generated file (`theirs`) does not reproduce.
fn compare_file(
    index: usize,
    doc: &crate::yaml::Document,
    mine: &Value,
    merged: &Value,
    theirs: &Value,
    out: &mut Vec<Unmapped>,
) {
    let mut all = Vec::new();
    leaves(mine, Path::root(), &mut all);
    for (path, value) in all {
        if path.is_root() || !lookup(merged, &path).is_some_and(|m| same(m, &value)) {
            continue;
        }
        let reason = match lookup(theirs, &path) {
            Some(g) if same(g, &value) => continue,
            None if value.is_null() => continue,
            Some(Value::Array(g)) if value.is_array() => {
                let mine = value.as_array().map(Vec::as_slice).unwrap_or_default();
                let lost: Vec<&Value> = mine.iter().filter(|x| !g.contains(x)).collect();
                let added: Vec<&Value> = g.iter().filter(|x| !mine.contains(x)).collect();
                match (lost.first(), added.first()) {
                    (None, Some(a)) => format!(
                        "a bundle generated from the imported spec keeps every item of this list \
                         and adds {} ({})",
                        added.len(),
                        show(a)
                    ),
                    (Some(l), _) => format!(
                        "the spec cannot say this: a bundle generated from the imported spec \
                         leaves out {} item(s) of this list ({})",
                        lost.len(),
                        show(l)
                    ),
                    (None, None) => "a bundle generated from the imported spec orders this list \
                                     differently"
                        .to_owned(),
                }
            }
            Some(g) => format!(
                "the spec cannot say this: a bundle generated from the imported spec has {} here",
                show(g)
            ),
            None => "the spec has no setting for this: a bundle generated from the imported spec \
                     leaves it to the chart's default"
                .to_owned(),
        };
        let (line, column) = position(doc, &path);
        out.push(Unmapped {
            file: index,
            path,
            line,
            column,
            reason: format!("{} (the file has {})", reason, show(&value)),
        });
    }
}

/// The keys of file `index` that survive the merge and that the reading did not use.
fn unread_keys(
    index: usize,
    doc: &crate::yaml::Document,
    mine: &Value,
    merged: &Value,
    read: &BTreeSet<String>,
    chart: ChartName,
    out: &mut Vec<Unmapped>,
) {
    let mut all = Vec::new();
    leaves(mine, Path::root(), &mut all);
    for (path, value) in all {
        if path.is_root() || !lookup(merged, &path).is_some_and(|m| same(m, &value)) {
            continue;
        }
        let dotted = path.to_string();
        let used = read.iter().any(|r| {
            r.strip_prefix(chart.as_str())
                .and_then(|r| r.strip_prefix(':'))
                .is_some_and(|r| {
                    dotted == r
                        || dotted.starts_with(&format!("{r}."))
                        || dotted.starts_with(&format!("{r}["))
                })
        });
        if used {
            continue;
        }
        let (line, column) = position(doc, &path);
        out.push(Unmapped {
            file: index,
            path,
            line,
            column,
            reason: format!("not read into the spec (the file has {})", show(&value)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_deletes_with_null_and_replaces_lists() {
        let mut base = serde_json::json!({"a": {"b": 1, "c": [1, 2]}, "d": 1});
        merge(&mut base, &serde_json::json!({"a": {"c": [3]}, "d": null}));
        assert_eq!(base, serde_json::json!({"a": {"b": 1, "c": [3]}}));
    }

    #[test]
    fn sizing_fits_the_preset_with_fewest_overrides() {
        let mut seen = BTreeMap::new();
        seen.insert(
            "service",
            Observed {
                replicas: Some(3),
                max: Some(9),
                cpu: Some("1".into()),
                memory: Some("2Gi".into()),
                cpu_limit: None,
                memory_limit: Some("2Gi".into()),
            },
        );
        let s = fit_sizing(&seen);
        assert_eq!(s.preset, Preset::Medium);
        assert!(s.overrides.is_empty());
        seen.get_mut("service").unwrap().memory = Some("3Gi".into());
        let s = fit_sizing(&seen);
        assert_eq!(s.preset, Preset::Medium);
        let o = s.overrides.service.unwrap();
        assert_eq!(o.memory.as_deref(), Some("3Gi"));
        assert_eq!(o.memory_limit.as_deref(), Some("2Gi"));
    }

    #[test]
    fn no_service_file_is_an_error() {
        let err = from_values(&[ValuesFile {
            name: "ui_values.yaml",
            text: "{}\n",
        }])
        .unwrap_err();
        assert_eq!(err, ImportError::NoService);
    }

    #[test]
    fn unreadable_file_names_line_and_column() {
        let err = from_values(&[ValuesFile {
            name: "osmo_values.yaml",
            text: "a: [\n",
        }])
        .unwrap_err();
        assert!(
            matches!(err, ImportError::Unreadable { line: 2, .. }),
            "{err}"
        );
    }
}
