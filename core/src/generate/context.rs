//! What the templates read: the [`Context`] built from a spec and the
//! options, one value for every template of a bundle. The parts only OSMO
//! 6.3.1 reads (the gateway, the storage, the ConfigMap-mode block) are in
//! [`super::v6_3`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::v6_3::{GatewayCtx, StorageCtx, configs_block};
use super::{FILL_ME, NGINX_LARGE_HEADER_ANNOTATIONS, Options, SecretSource};
use crate::chart::{Chart, ChartName, SCHEMA_BASE_URL};
use crate::idp::{Idp, redirect_uris};
use crate::sizing::{ResolvedSizing, resolve};
use crate::spec::{Authentication, DeploymentSpec, StorageCredentials};

/// Namespaces `secrets.yaml` creates: `osmo`, and the namespaces of the backends that run
/// in the current kubectl context.
fn namespaces(spec: &DeploymentSpec) -> Vec<String> {
    let mut out = vec!["osmo".to_owned()];
    for b in spec.backends.iter().filter(|b| b.kube_context.is_none()) {
        for ns in [&b.operator_namespace, &b.namespace] {
            if !out.contains(ns) {
                out.push(ns.clone());
            }
        }
    }
    out
}

/// The secret values drawn at random for this bundle (empty when an earlier one is reused).
pub(super) struct GeneratedSecrets {
    pub(super) cookie_secret: String,
    pub(super) admin_password: String,
}

/// One backend as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Backend {
    pub(super) values_file: String,
    name: String,
    namespace: String,
    operator_namespace: String,
    service_url: String,
    kube_context: Option<String>,
    token_env: String,
    /// The kind as the spec writes it, and for people.
    kind: &'static str,
    kind_title: &'static str,
    /// The operator's node selector, when it runs on dedicated nodes.
    operator_selector: Option<LabelCtx>,
    /// The taint on the operator nodes, `key=value:Effect`.
    operator_taint: Option<String>,
    /// Every toleration of the operator pods when a taint is set (the chart's own first);
    /// empty leaves the chart's default list alone.
    tolerations: Vec<TolerationCtx>,
    /// The compute pools, with what the guide says of each.
    pools: Vec<PoolCtx>,
    /// The guide's requirements for the backend's kind.
    needs: NeedsCtx,
    /// OSMO 6.3.1: the pool that submits to this backend.
    pool: String,
    /// OSMO 6.3.1: the pool's platforms, one per compute pool.
    platforms: Vec<PlatformCtx>,
}

/// A platform of a backend's pool, and the node label that places its pods.
#[derive(Debug, Clone, Serialize)]
struct PlatformCtx {
    name: String,
    label: String,
}

#[derive(Debug, Clone, Serialize)]
struct LabelCtx {
    key: String,
    value: String,
    text: String,
}

#[derive(Debug, Clone, Serialize)]
struct TolerationCtx {
    key: String,
    operator: &'static str,
    value: Option<String>,
    effect: &'static str,
    /// Written by the chart, not by the spec.
    chart_default: bool,
}

#[derive(Debug, Clone, Serialize)]
struct PoolCtx {
    label: String,
    /// `CPU`, `GPU`, `Jetson`, or empty for a label the guides do not name.
    purpose: &'static str,
    instance_type: Option<&'static str>,
    hardware: Option<&'static str>,
}

/// The figures of [`crate::backend::requirements::Requirements`] the templates print.
#[derive(Debug, Clone, Serialize)]
struct NeedsCtx {
    guide: &'static str,
    kubernetes: Option<&'static str>,
    containerd: &'static str,
    driver: &'static str,
    cuda: &'static str,
    jetpack: &'static str,
    operator_cpu: u32,
    operator_memory_gb: u32,
    operator_disk_gb: u32,
    operator_nodes: Option<String>,
    operator_instance: Option<&'static str>,
    storage_class: Option<&'static str>,
    registries: String,
    /// The host of the spec's image registry, when it is not one of the guides' registries.
    image_registry: Option<String>,
    compute_os: Option<String>,
    control_plane: Option<String>,
}

impl Backend {
    fn new(
        spec: &DeploymentSpec,
        b: &crate::spec::Backend,
        index: usize,
        several: bool,
    ) -> Backend {
        use crate::backend::requirements::requirements;
        use crate::backend::{chart_default_tolerations, effect_name};
        use crate::values::common::{Toleration, TolerationOperator};
        let release = spec.release;
        let req = requirements(b.kind, release);
        let placement = b.placement(release);
        let toleration = |t: &Toleration, chart_default: bool| TolerationCtx {
            key: t.key.clone().unwrap_or_default(),
            operator: match t.operator {
                Some(TolerationOperator::Exists) => "Exists",
                _ => "Equal",
            },
            value: t.value.clone(),
            effect: t.effect.map_or("", effect_name),
            chart_default,
        };
        let tolerations = match &placement.operator_taint {
            Some(taint) => chart_default_tolerations()
                .iter()
                .map(|t| toleration(t, true))
                .chain([toleration(&taint.toleration(), false)])
                .collect(),
            None => Vec::new(),
        };
        let pools = placement
            .compute_pools
            .iter()
            .map(|label| {
                let known = req
                    .compute_pools
                    .iter()
                    .find(|p| p.label.key == label.key && p.label.value == label.value);
                PoolCtx {
                    label: label.to_string(),
                    purpose: known.map_or("", |p| p.purpose.title()),
                    instance_type: known.and_then(|p| p.instance_type),
                    hardware: known.and_then(|p| p.hardware),
                }
            })
            .collect();
        let op = &req.operator_pool;
        let pool = super::v6_3::pool_of(spec, index);
        Backend {
            platforms: pool
                .platforms
                .iter()
                .map(|p| PlatformCtx {
                    name: p.name.clone(),
                    label: p
                        .node_selector
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(","),
                })
                .collect(),
            pool: pool.name,
            name: b.name.clone(),
            namespace: b.namespace.clone(),
            operator_namespace: b.operator_namespace.clone(),
            service_url: spec.service_url(b),
            kube_context: b.kube_context.clone(),
            token_env: if several {
                format!(
                    "OSMO_SERVICE_TOKEN_{}",
                    b.name.to_ascii_uppercase().replace('-', "_")
                )
            } else {
                "OSMO_SERVICE_TOKEN".to_owned()
            },
            values_file: if several {
                format!("backend_operator_values.{}.yaml", b.name)
            } else {
                "backend_operator_values.yaml".to_owned()
            },
            kind: b.kind.as_str(),
            kind_title: b.kind.title(),
            operator_selector: placement.operator_nodes.as_ref().map(|l| LabelCtx {
                key: l.key.clone(),
                value: l.value.clone(),
                text: l.to_string(),
            }),
            operator_taint: placement.operator_taint.as_ref().map(ToString::to_string),
            tolerations,
            pools,
            needs: NeedsCtx {
                guide: req.guide,
                kubernetes: req.kubernetes.map(|f| f.text),
                containerd: req.containerd.text,
                driver: req.gpu.driver.text,
                cuda: req.gpu.cuda.text,
                jetpack: req.jetson.jetpack,
                operator_cpu: op.cpu,
                operator_memory_gb: op.memory_gb,
                operator_disk_gb: op.disk_gb,
                operator_nodes: op.autoscale.map(|(lo, hi)| format!("{lo} to {hi}")),
                operator_instance: op.instance_type,
                storage_class: req.storage_class_example,
                registries: req.registries.join(", "),
                image_registry: Some(crate::preflight::registry_host(&spec.images.registry))
                    .filter(|h| !req.registries.contains(&h.as_str())),
                compute_os: req
                    .compute_os
                    .map(|o| format!("{} {} or later", o.name, o.release)),
                control_plane: req.control_plane.map(|c| {
                    format!(
                        "{} CPU, {} GB memory and {} GB disk per node, {}+ nodes for production",
                        c.cpu, c.memory_gb, c.disk_gb, c.ha_nodes
                    )
                }),
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct ImagesCtx {
    registry: String,
    tag: String,
    pull_secret: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct Ingress {
    class_name: String,
    alb: bool,
    ssl_enabled: bool,
    tls_secret: Option<String>,
    certificate_arn: Option<String>,
    annotations: BTreeMap<String, String>,
}

/// One value of a Secret the bundle creates.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SecretEntry {
    pub(super) name: String,
    pub(super) key: String,
    pub(super) value: String,
    what: String,
    pub(super) env: Option<String>,
    pub(super) generated: bool,
    /// The value is one the operator supplied, or one the spec says (not a marker, not
    /// generated): a different value replaces an existing one.
    #[serde(skip)]
    pub(super) supplied: bool,
    /// Shell expression install.sh reads the value from when secrets come from the
    /// environment (a constant of this crate, never user text); `None` for a value the spec
    /// gives, which the script writes as a quoted word.
    shell_source: Option<&'static str>,
}

/// Everything the templates read.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Context {
    domain: String,
    schema_base: String,
    osmo_release: &'static str,
    chart_version: &'static str,
    helm_repo: &'static str,
    images: ImagesCtx,
    idp: Option<Idp>,
    redirect_uris: [String; 2],
    cookie_domain: String,
    ingress: Ingress,
    postgres: crate::spec::Postgres,
    redis: crate::spec::Redis,
    sizing: ResolvedSizing,
    pub(super) backends: Vec<Backend>,
    pod_monitor: bool,
    namespaces: Vec<String>,
    skip_auth: BTreeMap<&'static str, &'static [&'static str]>,
    pub(super) secrets_in_file: bool,
    pub(super) secrets: Vec<SecretEntry>,
    /// The environment variables the secrets come from, each once: (variable, what).
    env_secrets: Vec<(String, String)>,
    /// Some secret is the operator's to supply (a password, a client secret, a key), rather
    /// than generated or said by the spec.
    operator_secrets: bool,
    fill_me: &'static str,
    release: BTreeMap<&'static str, ReleaseInfo>,
    /// The Helm releases of the control plane, in install order (keys of `release`).
    control_plane: Vec<&'static str>,
    spec_auth_provider: &'static str,
    /// OSMO 6.3.1: the gateway.
    gateway: GatewayCtx,
    /// OSMO 6.3.1: the workflow storage, when the spec gives it.
    storage: Option<StorageCtx>,
    /// OSMO 6.3.1: whether OSMO reads its configuration from the chart's ConfigMap.
    config_map_mode: bool,
    /// OSMO 6.3.1 in ConfigMap mode: `services.configs` as the values set it, already written
    /// as YAML indented under `services.configs` (every string double-quoted, keys in the
    /// builder's order; minijinja's maps would sort them).
    configs: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct ReleaseInfo {
    chart: &'static str,
    release: &'static str,
    namespace: &'static str,
    values: &'static str,
}

impl Context {
    pub(super) fn new(
        spec: &DeploymentSpec,
        options: &Options,
        generated: &GeneratedSecrets,
    ) -> Context {
        let release_of = spec.release;
        let idp = Idp::from_auth(&spec.authentication);
        let alb = spec.is_alb();
        let mut annotations = BTreeMap::new();
        if spec.ingress.class_name == "nginx" && idp.is_some() {
            for (k, v) in NGINX_LARGE_HEADER_ANNOTATIONS {
                annotations.insert((*k).to_owned(), (*v).to_owned());
            }
        }
        if let (true, Some(a)) = (alb, &spec.ingress.alb) {
            annotations.insert(
                "alb.ingress.kubernetes.io/scheme".into(),
                a.scheme.as_str().into(),
            );
            annotations.insert(
                "alb.ingress.kubernetes.io/listen-ports".into(),
                r#"[{"HTTP": 80}, {"HTTPS": 443}]"#.into(),
            );
            annotations.insert(
                "alb.ingress.kubernetes.io/ssl-redirect".into(),
                "443".into(),
            );
        }
        for (k, v) in &spec.ingress.annotations {
            annotations.insert(k.clone(), v.clone());
        }
        let ingress = Ingress {
            class_name: spec.ingress.class_name.clone(),
            alb,
            ssl_enabled: !alb && spec.ingress.tls_secret.is_some(),
            tls_secret: spec.ingress.tls_secret.clone(),
            certificate_arn: spec.ingress.alb.as_ref().map(|a| a.certificate_arn.clone()),
            annotations,
        };
        let several = spec.backends.len() > 1;
        let backends = spec
            .backends
            .iter()
            .enumerate()
            .map(|(i, b)| Backend::new(spec, b, i, several))
            .collect();
        let (secrets_in_file, user) = match &options.secrets {
            SecretSource::File(user) => (true, Some(user)),
            SecretSource::Environment => (false, None),
        };
        let supplied = |value: Option<&Option<String>>, what: &str| -> String {
            match value.and_then(|v| v.as_ref()) {
                Some(v) => v.clone(),
                None => format!("{FILL_ME}: {what}"),
            }
        };
        // Every OSMO pod reads both passwords from these two Secrets (the charts' references
        // are not optional), so a server without a password still gets its Secret, empty.
        let none = |name: &str, key: &str, what: String| SecretEntry {
            name: name.into(),
            key: key.into(),
            value: String::new(),
            what,
            env: None,
            generated: false,
            supplied: true,
            shell_source: None,
        };
        let mut secrets = vec![
            if spec.postgres.password {
                SecretEntry {
                    name: "db-secret".into(),
                    key: "db-password".into(),
                    value: supplied(user.map(|u| &u.db_password), "PostgreSQL password"),
                    what: format!("password of PostgreSQL user {}", spec.postgres.user),
                    env: Some("OSMO_DB_PASSWORD".into()),
                    generated: false,
                    supplied: user.is_some_and(|u| u.db_password.is_some()),
                    shell_source: Some("${OSMO_DB_PASSWORD}"),
                }
            } else {
                none(
                    "db-secret",
                    "db-password",
                    format!(
                        "none: PostgreSQL user {} connects without a password (spec.yaml: postgres.password false)",
                        spec.postgres.user
                    ),
                )
            },
            if spec.redis.password {
                SecretEntry {
                    name: "redis-secret".into(),
                    key: "redis-password".into(),
                    value: supplied(
                        user.map(|u| &u.redis_password),
                        "Redis password (empty string when Redis has none)",
                    ),
                    what: "Redis password (empty when Redis has none)".into(),
                    env: Some("OSMO_REDIS_PASSWORD".into()),
                    generated: false,
                    supplied: user.is_some_and(|u| u.redis_password.is_some()),
                    shell_source: Some("${OSMO_REDIS_PASSWORD}"),
                }
            } else {
                none(
                    "redis-secret",
                    "redis-password",
                    "none: Redis has no password (spec.yaml: redis.password false)".into(),
                )
            },
        ];
        if idp.is_some() {
            secrets.push(SecretEntry {
                name: "oauth2-proxy-secrets".into(),
                key: "client_secret".into(),
                value: supplied(user.map(|u| &u.idp_client_secret), "IdP client secret"),
                what: "client secret of the IdP application".into(),
                env: Some("OSMO_IDP_CLIENT_SECRET".into()),
                generated: false,
                supplied: user.is_some_and(|u| u.idp_client_secret.is_some()),
                shell_source: Some("${OSMO_IDP_CLIENT_SECRET}"),
            });
            secrets.push(SecretEntry {
                name: "oauth2-proxy-secrets".into(),
                key: "cookie_secret".into(),
                value: generated.cookie_secret.clone(),
                what: "session cookie encryption key (generated)".into(),
                env: None,
                generated: true,
                supplied: false,
                // oauth2-proxy needs 16, 24 or 32 bytes; it decodes URL-safe base64 only.
                shell_source: Some("$(openssl rand -base64 32 | tr -- '+/' '-_')"),
            });
        } else {
            secrets.push(SecretEntry {
                name: "default-admin-secret".into(),
                key: "password".into(),
                value: generated.admin_password.clone(),
                what: "password of the default admin user (generated)".into(),
                env: None,
                generated: true,
                supplied: false,
                // 43 characters (ADMIN_PASSWORD_LEN), as the API service demands.
                shell_source: Some("$(openssl rand -hex 32 | cut -c 1-43)"),
            });
        }
        // The storage Secrets are read only in ConfigMap mode (mounted by `secretRefs`); in
        // the database mode the keys are set with the osmo CLI.
        let config_map_mode = release_of.has_configmap_mode() && spec.config_map_mode;
        if let Some(st) = spec.storage.as_ref().filter(|_| config_map_mode)
            && matches!(st.credentials, StorageCredentials::Static(_))
        {
            for (name, uri, what) in [
                (crate::configs::LOG_SECRET, &st.log_uri, "workflow logs"),
                (crate::configs::DATA_SECRET, &st.data_uri, "workflow data"),
            ] {
                let from_spec = |key: &str, value: &str, about: &str| SecretEntry {
                    name: name.into(),
                    key: key.into(),
                    value: value.to_owned(),
                    what: format!("{about} of the {what} storage (from spec.yaml)"),
                    env: None,
                    generated: false,
                    supplied: true,
                    shell_source: None,
                };
                secrets.push(from_spec("endpoint", uri, "URI"));
                if let Some(region) = &st.region {
                    secrets.push(from_spec("region", region, "region"));
                }
                if let Some(url) = &st.override_url {
                    secrets.push(from_spec("override_url", url, "service URL"));
                }
                secrets.push(SecretEntry {
                    name: name.into(),
                    key: "access_key_id".into(),
                    value: supplied(
                        user.map(|u| &u.storage_access_key_id),
                        "storage access key id",
                    ),
                    what: format!("access key id for the {what} storage"),
                    env: Some("OSMO_STORAGE_ACCESS_KEY_ID".into()),
                    generated: false,
                    supplied: user.is_some_and(|u| u.storage_access_key_id.is_some()),
                    shell_source: Some("${OSMO_STORAGE_ACCESS_KEY_ID}"),
                });
                secrets.push(SecretEntry {
                    name: name.into(),
                    key: "access_key".into(),
                    value: supplied(
                        user.map(|u| &u.storage_access_key),
                        "storage secret access key",
                    ),
                    what: format!("secret access key for the {what} storage"),
                    env: Some("OSMO_STORAGE_ACCESS_KEY".into()),
                    generated: false,
                    supplied: user.is_some_and(|u| u.storage_access_key.is_some()),
                    shell_source: Some("${OSMO_STORAGE_ACCESS_KEY}"),
                });
            }
        }
        let mut release = BTreeMap::new();
        let mut control_plane = Vec::new();
        for chart in Chart::all(release_of) {
            let key = match chart.name {
                ChartName::Service => "service",
                ChartName::Router => "router",
                ChartName::WebUi => "ui",
                ChartName::BackendOperator => "backend",
            };
            if chart.name != ChartName::BackendOperator {
                control_plane.push(key);
            }
            release.insert(
                key,
                ReleaseInfo {
                    chart: chart.name.as_str(),
                    release: chart.release_name(),
                    namespace: chart.namespace(),
                    values: chart.values_file(),
                },
            );
        }
        let mut skip_auth = BTreeMap::new();
        let paths = |name| {
            release_of
                .facts(name)
                .map_or(&[][..], |f| f.skip_auth_paths)
        };
        skip_auth.insert("service", paths(ChartName::Service));
        skip_auth.insert("router", paths(ChartName::Router));
        skip_auth.insert("ui", paths(ChartName::WebUi));
        let mut env_secrets: Vec<(String, String)> = Vec::new();
        for e in &secrets {
            if let Some(env) = &e.env
                && !env_secrets.iter().any(|(v, _)| v == env)
            {
                env_secrets.push((env.clone(), e.what.clone()));
            }
        }
        Context {
            domain: spec.domain.clone(),
            schema_base: format!("{SCHEMA_BASE_URL}{release_of}/"),
            osmo_release: release_of.as_str(),
            chart_version: release_of.chart_version(),
            helm_repo: crate::release::HELM_REPO,
            images: ImagesCtx {
                registry: spec.images.registry.clone(),
                tag: spec.image_tag().to_owned(),
                pull_secret: spec.images.pull_secret.clone(),
            },
            redirect_uris: redirect_uris(&spec.domain),
            cookie_domain: format!(".{}", spec.domain),
            gateway: GatewayCtx::new(spec, idp.is_some()),
            storage: spec
                .storage
                .as_ref()
                .map(|st| StorageCtx::new(st, config_map_mode)),
            config_map_mode,
            configs: config_map_mode
                .then(|| configs_block(spec))
                .flatten()
                .map(|block| super::escape::indent(&super::escape::to_yaml_block(&block), 4)),
            idp,
            ingress,
            postgres: spec.postgres.clone(),
            redis: spec.redis.clone(),
            sizing: resolve(&spec.sizing),
            backends,
            pod_monitor: spec.monitoring.pod_monitor,
            namespaces: namespaces(spec),
            skip_auth,
            secrets_in_file,
            secrets,
            operator_secrets: !env_secrets.is_empty(),
            env_secrets,
            fill_me: FILL_ME,
            release,
            control_plane,
            spec_auth_provider: match spec.authentication {
                Authentication::None => "none",
                _ => "idp",
            },
        }
    }
}
