//! Generation of every file an OSMO deployment needs from a [`DeploymentSpec`]:
//! the four charts' values files, the MEK ConfigMap, the secrets, an install
//! script, next steps and the spec itself.
//!
//! The files are rendered from the minijinja templates in `core/templates/`
//! (inside this crate, embedded at build time). Every value a template prints is
//! escaped for the file's language by [`escape::format_value`].
//!
//! ```
//! use osmo_values::spec::DeploymentSpec;
//! use rand::SeedableRng;
//! let spec = DeploymentSpec::minimal("osmo.example.com", "db.example.com", "redis.example.com");
//! let mut rng = rand::rngs::StdRng::seed_from_u64(1);
//! let bundle = osmo_values::generate(&spec, &mut rng).unwrap();
//! let names: Vec<&str> = bundle.files.iter().map(|f| f.name.as_str()).collect();
//! assert!(names.contains(&"osmo_values.yaml") && names.contains(&"install.sh"));
//! assert!(bundle.get("mek-configmap.yaml").unwrap().sensitive);
//! ```

pub mod escape;
pub mod filters;
pub mod mek;
pub mod secrets;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE;
use minijinja::Environment;
use serde::Serialize;

use crate::Release;
pub use crate::chart::SCHEMA_BASE_URL;
use crate::chart::{Chart, ChartName};
use crate::idp::{Idp, redirect_uris};
use crate::sizing::{ResolvedSizing, resolve};
use crate::spec::{Authentication, DeploymentSpec, SpecProblem};

/// The release the generator writes bundles for.
pub const RELEASE: Release = Release::V6_2_10;

/// The marker written in place of a secret the operator must supply; `install.sh` refuses to
/// apply a `secrets.yaml` that still contains it.
pub const FILL_ME: &str = "FILL-ME-IN";

/// The charts' default `skipAuthPaths` (one list, shared with the linter). A values file's
/// `skipAuthPaths` replaces the chart's list, so the generated list repeats these.
pub use crate::release::v6_2::{ROUTER_SKIP_AUTH_PATHS, SERVICE_SKIP_AUTH_PATHS};

/// Length of the default admin's password. The 6.2 API service makes the password the admin's
/// OSMO access token and refuses to start unless it has exactly the length of its own tokens:
/// 43 characters (32 random bytes in unpadded base64).
pub const ADMIN_PASSWORD_LEN: usize = 43;

/// Annotations the guides add on nginx ingresses so the IdP's large OAuth2 response headers
/// fit in nginx's buffers.
pub const NGINX_LARGE_HEADER_ANNOTATIONS: &[(&str, &str)] = &[
    ("nginx.ingress.kubernetes.io/proxy-buffer-size", "16k"),
    ("nginx.ingress.kubernetes.io/proxy-buffers", "8 16k"),
    ("nginx.ingress.kubernetes.io/proxy-busy-buffers-size", "32k"),
    (
        "nginx.ingress.kubernetes.io/large-client-header-buffers",
        "4 16k",
    ),
];

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratedFile {
    /// File name, relative to the output directory.
    pub name: String,
    /// Full contents.
    pub contents: String,
    /// Holds key material or passwords: write it readable by the owner only (0600).
    pub sensitive: bool,
    /// A script to make executable.
    pub executable: bool,
}

/// Every generated file, in the order an operator reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bundle {
    /// The files.
    pub files: Vec<GeneratedFile>,
}

impl Bundle {
    /// The file with this name.
    pub fn get(&self, name: &str) -> Option<&GeneratedFile> {
        self.files.iter().find(|f| f.name == name)
    }
}

/// Secret values the operator supplies; `None` leaves a [`FILL_ME`] marker. Never stored in
/// the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserSecrets {
    /// The IdP application's client secret (oauth2-proxy).
    pub idp_client_secret: Option<String>,
    /// The PostgreSQL user's password.
    pub db_password: Option<String>,
    /// The Redis password (empty when Redis has none).
    pub redis_password: Option<String>,
}

/// Where the secrets come from at install time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// `secrets.yaml` holds every secret: generated ones, and the supplied ones or markers.
    File(UserSecrets),
    /// No secret is written: `install.sh` creates them from environment variables
    /// (`OSMO_DB_PASSWORD`, `OSMO_REDIS_PASSWORD`, `OSMO_IDP_CLIENT_SECRET`) and generates
    /// the cookie secret and admin password itself. The MEK is still generated.
    Environment,
}

/// Generation options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Where the secrets come from.
    pub secrets: SecretSource,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            secrets: SecretSource::File(UserSecrets::default()),
        }
    }
}

/// Why generation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    /// The spec has problems; each names its field.
    #[error("the deployment spec has {} problem(s): {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    InvalidSpec(Vec<SpecProblem>),
    /// A template failed to render (a bug in this crate).
    #[error("template {name} failed: {message}")]
    Template {
        /// Template name.
        name: String,
        /// minijinja's message.
        message: String,
    },
}

/// Generates the bundle, with markers in place of the secrets the operator must supply.
pub fn generate<R: rand::CryptoRng + ?Sized>(
    spec: &DeploymentSpec,
    rng: &mut R,
) -> Result<Bundle, GenerateError> {
    generate_with(spec, &Options::default(), rng)
}

/// Generates the bundle with the secrets the operator supplied written into `secrets.yaml`.
pub fn generate_with_secrets<R: rand::CryptoRng + ?Sized>(
    spec: &DeploymentSpec,
    secrets: &UserSecrets,
    rng: &mut R,
) -> Result<Bundle, GenerateError> {
    let options = Options {
        secrets: SecretSource::File(secrets.clone()),
    };
    generate_with(spec, &options, rng)
}

/// Generates the bundle with explicit options.
pub fn generate_with<R: rand::CryptoRng + ?Sized>(
    spec: &DeploymentSpec,
    options: &Options,
    rng: &mut R,
) -> Result<Bundle, GenerateError> {
    generate_reusing(spec, options, &Existing::default(), rng).map(|r| r.bundle)
}

/// Key material and secret values of an earlier bundle, to carry over when generating again
/// (see [`generate_reusing`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Existing {
    /// The MEK set of the earlier `mek-configmap.yaml` ([`mek::parse_configmap`]).
    pub mek: Option<mek::MekSet>,
    /// The values of the earlier `secrets.yaml` ([`secrets::parse_secrets`]).
    pub secrets: Option<secrets::ExistingSecrets>,
}

/// One value of a Kubernetes Secret: the secret's name and the key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SecretRef {
    /// Name of the Secret, such as `db-secret`.
    pub name: String,
    /// Key in the Secret, such as `db-password`.
    pub key: String,
}

impl std::fmt::Display for SecretRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.name, self.key)
    }
}

/// What [`generate_reusing`] did with the [`Existing`] material it was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reuse {
    /// The existing MEK set was written unchanged (always, when one was given).
    pub mek_kept: bool,
    /// Values taken over from the existing secrets.
    pub kept: Vec<SecretRef>,
    /// Values the spec needs that the existing secrets lacked: generated fresh, supplied, or
    /// left as a [`FILL_ME`] marker. Also generated values that were empty, now drawn anew.
    pub added: Vec<SecretRef>,
    /// Existing values, or [`FILL_ME`] markers, replaced by a different value the operator
    /// supplied ([`UserSecrets`]). A marker that stays a marker is in no list.
    pub replaced: Vec<SecretRef>,
    /// Existing values the spec no longer needs: not written.
    pub dropped: Vec<SecretRef>,
}

/// A bundle generated by [`generate_reusing`], with what became of the existing material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regenerated {
    /// Every file.
    pub bundle: Bundle,
    /// What was kept, added, replaced and dropped.
    pub reuse: Reuse,
    /// The secrets still holding a [`FILL_ME`] marker in `secrets.yaml`, with the environment
    /// variable that supplies each (`OSMO_DB_PASSWORD`, ...).
    pub unfilled: Vec<(SecretRef, String)>,
}

/// Generates the bundle again over an earlier one: the existing MEK set is written as it is
/// (every key, the same current key), and each secret value the spec needs is taken from the
/// existing secrets when they hold it. Values the existing secrets lack are generated fresh
/// (or come from [`UserSecrets`], or stay [`FILL_ME`] markers); values the spec no longer
/// needs are dropped. A value the operator supplies in [`UserSecrets`] wins over the existing
/// one ([`Reuse::replaced`]); an existing [`FILL_ME`] marker, or an empty generated value,
/// counts as absent. With [`SecretSource::Environment`] no `secrets.yaml` is written and the
/// existing secrets are not used. Random bytes are drawn only for what is not reused.
///
/// ```
/// use osmo_values::generate::{Existing, generate, generate_reusing, mek, secrets, Options};
/// use osmo_values::spec::{Authentication, DeploymentSpec, Google};
/// use rand::SeedableRng;
/// let mut rng = rand::rngs::StdRng::seed_from_u64(1);
/// let spec = DeploymentSpec::minimal("osmo.example.com", "db.example.com", "redis.example.com");
/// let first = generate(&spec, &mut rng).unwrap();
/// let existing = Existing {
///     mek: Some(mek::parse_configmap(&first.get("mek-configmap.yaml").unwrap().contents).unwrap()),
///     secrets: Some(secrets::parse_secrets(&first.get("secrets.yaml").unwrap().contents).unwrap()),
/// };
/// // Same spec: the MEK and the secrets come out identical.
/// let again = generate_reusing(&spec, &Options::default(), &existing, &mut rng).unwrap();
/// assert_eq!(again.bundle.get("mek-configmap.yaml"), first.get("mek-configmap.yaml"));
/// assert_eq!(again.bundle.get("secrets.yaml"), first.get("secrets.yaml"));
/// assert!(again.reuse.mek_kept);
/// // Switching to an identity provider: the admin password goes, a cookie secret comes.
/// let mut idp = spec.clone();
/// idp.authentication = Authentication::Google(Google { client_id: "id.apps.googleusercontent.com".into() });
/// let switched = generate_reusing(&idp, &Options::default(), &existing, &mut rng).unwrap();
/// let dropped: Vec<String> = switched.reuse.dropped.iter().map(ToString::to_string).collect();
/// assert_eq!(dropped, ["default-admin-secret/password"]);
/// assert!(switched.reuse.added.iter().any(|s| s.key == "cookie_secret"));
/// assert_eq!(switched.bundle.get("mek-configmap.yaml"), first.get("mek-configmap.yaml"));
/// ```
pub fn generate_reusing<R: rand::CryptoRng + ?Sized>(
    spec: &DeploymentSpec,
    options: &Options,
    existing: &Existing,
    rng: &mut R,
) -> Result<Regenerated, GenerateError> {
    let problems = spec.validate();
    if !problems.is_empty() {
        return Err(GenerateError::InvalidSpec(problems));
    }
    // The draws stay in this order (MEK, cookie secret, admin password) so that a seeded
    // generator gives the same bundle as before existing material could be passed.
    let mek = match &existing.mek {
        Some(set) => set.clone(),
        None => mek::new(rng),
    };
    let reusable = |name: &str, key: &str| {
        existing
            .secrets
            .as_ref()
            .and_then(|s| s.get(name, key))
            .is_some_and(|v| !v.starts_with(FILL_ME) && generated_value_ok(name, key, v))
    };
    let generated = GeneratedSecrets {
        cookie_secret: if reusable("oauth2-proxy-secrets", "cookie_secret") {
            String::new()
        } else {
            URL_SAFE.encode(random_bytes::<32, R>(rng))
        },
        admin_password: if reusable("default-admin-secret", "password") {
            String::new()
        } else {
            random_password(rng, ADMIN_PASSWORD_LEN)
        },
    };
    let mut ctx = Context::new(spec, options, &generated);
    let mut reuse = Reuse {
        mek_kept: existing.mek.is_some(),
        ..Reuse::default()
    };
    if let (true, Some(old)) = (ctx.secrets_in_file, &existing.secrets) {
        reuse_secrets(&mut ctx.secrets, old, &mut reuse);
    }
    let unfilled = if ctx.secrets_in_file {
        ctx.secrets
            .iter()
            .filter(|e| e.value.starts_with(FILL_ME))
            .filter_map(|e| {
                Some((
                    SecretRef {
                        name: e.name.clone(),
                        key: e.key.clone(),
                    },
                    e.env.clone()?,
                ))
            })
            .collect()
    } else {
        Vec::new()
    };
    let env = environment();
    // Converted once: every template renders from the same value.
    let ctx_value = minijinja::Value::from_serialize(&ctx);
    let mut files = Vec::new();
    let mut render = |template: &str, name: String, sensitive: bool, extra: Option<&Backend>| {
        let tmpl = env
            .get_template(template)
            .map_err(|e| template_error(template, e))?;
        let contents = match extra {
            Some(backend) => tmpl.render(minijinja::context! {
                backend => minijinja::Value::from_serialize(backend),
                ..ctx_value.clone()
            }),
            None => tmpl.render(&ctx_value),
        }
        .map_err(|e| template_error(template, e))?;
        files.push(GeneratedFile {
            executable: name.ends_with(".sh"),
            name,
            contents,
            sensitive,
        });
        Ok::<(), GenerateError>(())
    };
    render("osmo_values.yaml", "osmo_values.yaml".into(), false, None)?;
    render(
        "router_values.yaml",
        "router_values.yaml".into(),
        false,
        None,
    )?;
    render("ui_values.yaml", "ui_values.yaml".into(), false, None)?;
    for backend in &ctx.backends {
        render(
            "backend_operator_values.yaml",
            backend.values_file.clone(),
            false,
            Some(backend),
        )?;
    }
    if ctx.secrets_in_file {
        render("secrets.yaml", "secrets.yaml".into(), true, None)?;
    }
    render("install.sh", "install.sh".into(), false, None)?;
    render("NEXT_STEPS.md", "NEXT_STEPS.md".into(), false, None)?;
    let mek_at = files
        .iter()
        .position(|f| f.name == "secrets.yaml" || f.name == "install.sh")
        .unwrap_or(files.len());
    files.insert(
        mek_at,
        GeneratedFile {
            name: "mek-configmap.yaml".into(),
            contents: mek.to_configmap(),
            sensitive: true,
            executable: false,
        },
    );
    files.push(GeneratedFile {
        name: "spec.yaml".into(),
        contents: spec_yaml(spec),
        sensitive: false,
        executable: false,
    });
    Ok(Regenerated {
        bundle: Bundle { files },
        reuse,
        unfilled,
    })
}

/// Takes the existing values into `entries` as [`generate_reusing`] describes, recording what
/// was done in `reuse`.
fn reuse_secrets(entries: &mut [SecretEntry], old: &secrets::ExistingSecrets, reuse: &mut Reuse) {
    for e in entries.iter_mut() {
        let at = SecretRef {
            name: e.name.clone(),
            key: e.key.clone(),
        };
        let raw = old.get(&e.name, &e.key);
        let usable = raw.filter(|v| {
            !(v.starts_with(FILL_ME) || (e.generated && !generated_value_ok(&e.name, &e.key, v)))
        });
        match (usable, raw) {
            (Some(v), _) | (None, Some(v)) if e.supplied && v != e.value => {
                reuse.replaced.push(at);
            }
            (Some(v), _) => {
                e.value = v.to_owned();
                reuse.kept.push(at);
            }
            // An empty or unusable generated value: a new one was drawn.
            (None, Some(_)) if e.generated => reuse.added.push(at),
            // A marker that stays a marker.
            (None, Some(_)) => {}
            (None, None) => reuse.added.push(at),
        }
    }
    for (name, key, _) in old.iter() {
        if !entries.iter().any(|e| e.name == name && e.key == key) {
            reuse.dropped.push(SecretRef {
                name: name.to_owned(),
                key: key.to_owned(),
            });
        }
    }
}

/// Whether an earlier generated value can be kept: not empty, and for the default admin's
/// password the length the API service demands (earlier versions wrote 32 characters).
fn generated_value_ok(name: &str, key: &str, value: &str) -> bool {
    match (name, key) {
        ("default-admin-secret", "password") => value.chars().count() == ADMIN_PASSWORD_LEN,
        _ => !value.is_empty(),
    }
}

/// The spec as commented YAML, every default written out, for regenerating later.
pub fn spec_yaml(spec: &DeploymentSpec) -> String {
    let mut out = format!(
        "# yaml-language-server: $schema={SCHEMA_BASE_URL}deployment-spec.schema.json\n\
         # The answers this deployment was generated from (no secrets). Regenerate with:\n\
         #   osmo-values generate --spec spec.yaml --out <folder>\n"
    );
    out.push_str(&escape::to_yaml_block(&spec.to_json()));
    out
}

fn template_error(name: &str, e: minijinja::Error) -> GenerateError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    GenerateError::Template {
        name: name.to_owned(),
        message,
    }
}

fn random_bytes<const N: usize, R: rand::CryptoRng + ?Sized>(rng: &mut R) -> [u8; N] {
    let mut bytes = [0u8; N];
    rng.fill_bytes(&mut bytes);
    bytes
}

/// A password of `len` letters and digits, uniformly drawn.
fn random_password<R: rand::CryptoRng + ?Sized>(rng: &mut R, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut byte = [0u8; 1];
        rng.fill_bytes(&mut byte);
        // 62 * 4 = 248: rejecting bytes above keeps every character equally likely.
        if (byte[0] as usize) < ALPHABET.len() * 4 {
            out.push(ALPHABET[byte[0] as usize % ALPHABET.len()] as char);
        }
    }
    out
}

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

/// Sets up an environment the way the generator's is: strict undefined values, block
/// trimming, escaping by file name ([`escape::format_value`]) and the `comment`, `sh` and
/// `chomp` filters, and minijinja's `length`, `items` and `groupby` ([`filters`]: the engine is
/// built without its `builtins`). Public so that tests can render their own templates the same way.
pub fn configure(env: &mut Environment<'_>) {
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(escape::auto_escape_for);
    env.set_formatter(escape::format_value);
    env.add_filter("comment", escape::comment_filter);
    env.add_filter("sh", escape::sh_filter);
    env.add_filter("chomp", escape::chomp_filter);
    env.add_filter("length", filters::length);
    env.add_filter("items", filters::items);
    env.add_filter("groupby", filters::groupby);
}

/// The templates, compiled once.
pub fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        configure(&mut env);
        for (name, source) in TEMPLATES {
            // The templates are part of this crate; the tests render every one of them.
            if let Err(e) = env.add_template(name, source) {
                panic!("template {name} does not compile: {e}");
            }
        }
        env
    })
}

/// The embedded templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("_macros.yaml", include_str!("../../templates/_macros.yaml")),
    (
        "osmo_values.yaml",
        include_str!("../../templates/osmo_values.yaml"),
    ),
    (
        "router_values.yaml",
        include_str!("../../templates/router_values.yaml"),
    ),
    (
        "ui_values.yaml",
        include_str!("../../templates/ui_values.yaml"),
    ),
    (
        "backend_operator_values.yaml",
        include_str!("../../templates/backend_operator_values.yaml"),
    ),
    ("secrets.yaml", include_str!("../../templates/secrets.yaml")),
    ("install.sh", include_str!("../../templates/install.sh")),
    ("upgrade.sh", include_str!("../../templates/upgrade.sh")),
    (
        "NEXT_STEPS.md",
        include_str!("../../templates/NEXT_STEPS.md"),
    ),
];

struct GeneratedSecrets {
    cookie_secret: String,
    admin_password: String,
}

/// One backend as the templates see it.
#[derive(Debug, Clone, Serialize)]
struct Backend {
    name: String,
    namespace: String,
    operator_namespace: String,
    service_url: String,
    kube_context: Option<String>,
    values_file: String,
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
    fn new(spec: &DeploymentSpec, b: &crate::spec::Backend, several: bool) -> Backend {
        use crate::backend::requirements::requirements;
        use crate::backend::{chart_default_tolerations, effect_name};
        use crate::values::common::{Toleration, TolerationOperator};
        let release = RELEASE;
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
        Backend {
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

#[derive(Debug, Clone, Serialize)]
struct SecretEntry {
    name: String,
    key: String,
    value: String,
    what: String,
    env: Option<String>,
    generated: bool,
    /// The value is one the operator supplied (not a marker, not generated).
    #[serde(skip)]
    supplied: bool,
    /// Shell expression install.sh reads the value from when secrets come from the
    /// environment (a constant of this crate, never user text).
    shell_source: &'static str,
}

/// Everything the templates read.
#[derive(Debug, Clone, Serialize)]
struct Context {
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
    backends: Vec<Backend>,
    pod_monitor: bool,
    namespaces: Vec<String>,
    skip_auth: BTreeMap<&'static str, &'static [&'static str]>,
    secrets_in_file: bool,
    secrets: Vec<SecretEntry>,
    fill_me: &'static str,
    release: BTreeMap<&'static str, ReleaseInfo>,
    spec_auth_provider: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct ReleaseInfo {
    chart: &'static str,
    release: &'static str,
    namespace: &'static str,
    values: &'static str,
}

impl Context {
    fn new(spec: &DeploymentSpec, options: &Options, generated: &GeneratedSecrets) -> Context {
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
            .map(|b| Backend::new(spec, b, several))
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
        let mut secrets = vec![
            SecretEntry {
                name: "db-secret".into(),
                key: "db-password".into(),
                value: supplied(user.map(|u| &u.db_password), "PostgreSQL password"),
                what: format!("password of PostgreSQL user {}", spec.postgres.user),
                env: Some("OSMO_DB_PASSWORD".into()),
                generated: false,
                supplied: user.is_some_and(|u| u.db_password.is_some()),
                shell_source: "${OSMO_DB_PASSWORD}",
            },
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
                shell_source: "${OSMO_REDIS_PASSWORD}",
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
                shell_source: "${OSMO_IDP_CLIENT_SECRET}",
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
                shell_source: "$(openssl rand -base64 32 | tr -- '+/' '-_')",
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
                shell_source: "$(openssl rand -hex 32 | cut -c 1-43)",
            });
        }
        let mut release = BTreeMap::new();
        for chart in Chart::all(RELEASE) {
            let key = match chart.name {
                ChartName::Service => "service",
                ChartName::Router => "router",
                ChartName::WebUi => "ui",
                ChartName::BackendOperator => "backend",
            };
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
        let paths = |name| RELEASE.facts(name).map_or(&[][..], |f| f.skip_auth_paths);
        skip_auth.insert("service", paths(ChartName::Service));
        skip_auth.insert("router", paths(ChartName::Router));
        skip_auth.insert("ui", paths(ChartName::WebUi));
        Context {
            domain: spec.domain.clone(),
            schema_base: format!("{SCHEMA_BASE_URL}{RELEASE}/"),
            osmo_release: RELEASE.as_str(),
            chart_version: RELEASE.chart_version(),
            helm_repo: crate::release::HELM_REPO,
            images: ImagesCtx {
                registry: spec.images.registry.clone(),
                tag: spec.images.tag.clone(),
                pull_secret: spec.images.pull_secret.clone(),
            },
            redirect_uris: redirect_uris(&spec.domain),
            cookie_domain: format!(".{}", spec.domain),
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
            fill_me: FILL_ME,
            release,
            spec_auth_provider: match spec.authentication {
                Authentication::None => "none",
                _ => "idp",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::secrets::{ExistingSecrets, parse_secrets};
    use super::*;
    use crate::spec::Google;

    fn spec() -> DeploymentSpec {
        DeploymentSpec::minimal("osmo.example.com", "db.example.com", "redis.example.com")
    }

    fn google(spec: &DeploymentSpec) -> DeploymentSpec {
        let mut s = spec.clone();
        s.authentication = Authentication::Google(Google {
            client_id: "1234-abc.apps.googleusercontent.com".into(),
        });
        s
    }

    fn file<'b>(bundle: &'b Bundle, name: &str) -> &'b str {
        &bundle.get(name).unwrap().contents
    }

    /// What the CLI reads back from a bundle written to disk.
    fn existing_of(bundle: &Bundle) -> Existing {
        Existing {
            mek: Some(mek::parse_configmap(file(bundle, "mek-configmap.yaml")).unwrap()),
            secrets: bundle
                .get("secrets.yaml")
                .map(|f| parse_secrets(&f.contents).unwrap()),
        }
    }

    fn refs(list: &[SecretRef]) -> Vec<String> {
        list.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn regenerating_the_same_spec_changes_nothing() {
        let user = UserSecrets {
            db_password: Some("db pw".into()),
            redis_password: Some(String::new()),
            idp_client_secret: None,
        };
        let options = Options {
            secrets: SecretSource::File(user),
        };
        for spec in [spec(), google(&spec())] {
            let first = generate_with(&spec, &options, &mut StdRng::seed_from_u64(1)).unwrap();
            // Another seed: anything not reused would come out different.
            let again = generate_reusing(
                &spec,
                &options,
                &existing_of(&first),
                &mut StdRng::seed_from_u64(2),
            )
            .unwrap();
            assert_eq!(again.bundle, first);
            assert!(again.reuse.mek_kept);
            assert!(again.reuse.added.is_empty() && again.reuse.dropped.is_empty());
            assert!(again.reuse.replaced.is_empty());
            assert_eq!(again.reuse.kept.len(), 3);
        }
    }

    #[test]
    fn without_existing_material_the_seeded_bundle_is_the_same_as_generate() {
        let spec = google(&spec());
        let plain = generate(&spec, &mut StdRng::seed_from_u64(9)).unwrap();
        let reusing = generate_reusing(
            &spec,
            &Options::default(),
            &Existing::default(),
            &mut StdRng::seed_from_u64(9),
        )
        .unwrap();
        assert_eq!(reusing.bundle, plain);
        assert_eq!(reusing.reuse, Reuse::default());
        let unfilled: Vec<&str> = reusing.unfilled.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(
            unfilled,
            [
                "OSMO_DB_PASSWORD",
                "OSMO_REDIS_PASSWORD",
                "OSMO_IDP_CLIENT_SECRET"
            ]
        );
    }

    #[test]
    fn a_spec_change_updates_the_values_and_keeps_the_secrets() {
        let first = generate(&spec(), &mut StdRng::seed_from_u64(1)).unwrap();
        let mut changed = spec();
        changed.domain = "osmo.other.example.com".into();
        let again = generate_reusing(
            &changed,
            &Options::default(),
            &existing_of(&first),
            &mut StdRng::seed_from_u64(2),
        )
        .unwrap();
        assert_eq!(
            file(&again.bundle, "mek-configmap.yaml"),
            file(&first, "mek-configmap.yaml")
        );
        assert_eq!(
            file(&again.bundle, "secrets.yaml"),
            file(&first, "secrets.yaml")
        );
        let values = file(&again.bundle, "osmo_values.yaml");
        assert!(values.contains("osmo.other.example.com"));
        assert_ne!(values, file(&first, "osmo_values.yaml"));
    }

    #[test]
    fn a_rotated_mek_is_kept_whole() {
        let first = generate(&spec(), &mut StdRng::seed_from_u64(1)).unwrap();
        let mut rng = StdRng::seed_from_u64(3);
        let mut text = file(&first, "mek-configmap.yaml").to_owned();
        // Past key9, so that ids sorting as text (key10 < key2) would show.
        for _ in 0..10 {
            text = mek::rotate(&text, &mut rng).unwrap().to_configmap();
        }
        let rotated = mek::parse_configmap(&text).unwrap();
        assert_eq!(rotated.keys.len(), 11);
        assert_eq!(rotated.current, "key11");
        let existing = Existing {
            mek: Some(rotated.clone()),
            secrets: None,
        };
        let again = generate_reusing(&spec(), &Options::default(), &existing, &mut rng).unwrap();
        assert_eq!(file(&again.bundle, "mek-configmap.yaml"), text);
        assert_eq!(
            mek::parse_configmap(file(&again.bundle, "mek-configmap.yaml")).unwrap(),
            rotated
        );
        // No secrets were given: they are new, and none counts as kept.
        assert!(again.reuse.kept.is_empty());
        assert_ne!(
            file(&again.bundle, "secrets.yaml"),
            file(&first, "secrets.yaml")
        );
    }

    #[test]
    fn switching_to_an_identity_provider_adds_and_drops_secrets() {
        let first = generate(&spec(), &mut StdRng::seed_from_u64(1)).unwrap();
        let old = existing_of(&first);
        let admin = old
            .secrets
            .as_ref()
            .unwrap()
            .get("default-admin-secret", "password")
            .unwrap()
            .to_owned();
        let idp = generate_reusing(
            &google(&spec()),
            &Options::default(),
            &old,
            &mut StdRng::seed_from_u64(2),
        )
        .unwrap();
        assert_eq!(refs(&idp.reuse.dropped), ["default-admin-secret/password"]);
        assert_eq!(
            refs(&idp.reuse.added),
            [
                "oauth2-proxy-secrets/client_secret",
                "oauth2-proxy-secrets/cookie_secret"
            ]
        );
        // The markers of the database passwords are not values worth keeping.
        assert!(idp.reuse.kept.is_empty());
        let written = parse_secrets(file(&idp.bundle, "secrets.yaml")).unwrap();
        assert_eq!(written.get("default-admin-secret", "password"), None);
        let cookie = written
            .get("oauth2-proxy-secrets", "cookie_secret")
            .unwrap();
        assert_eq!(URL_SAFE.decode(cookie).unwrap().len(), 32);
        assert_eq!(
            file(&idp.bundle, "mek-configmap.yaml"),
            file(&first, "mek-configmap.yaml")
        );

        // And back: the cookie secret goes, a new admin password comes.
        let back = generate_reusing(
            &spec(),
            &Options::default(),
            &existing_of(&idp.bundle),
            &mut StdRng::seed_from_u64(3),
        )
        .unwrap();
        assert_eq!(
            refs(&back.reuse.dropped),
            [
                "oauth2-proxy-secrets/client_secret",
                "oauth2-proxy-secrets/cookie_secret"
            ]
        );
        assert_eq!(refs(&back.reuse.added), ["default-admin-secret/password"]);
        let written = parse_secrets(file(&back.bundle, "secrets.yaml")).unwrap();
        let new_admin = written.get("default-admin-secret", "password").unwrap();
        assert_eq!(new_admin.len(), ADMIN_PASSWORD_LEN);
        assert_ne!(new_admin, admin);
    }

    /// Bundles before the fix wrote a 32-character admin password, which the API service
    /// refuses: generating again replaces it, and keeps one of the right length.
    #[test]
    fn an_admin_password_of_the_wrong_length_is_drawn_anew() {
        let mut old = ExistingSecrets::new();
        old.insert("default-admin-secret", "password", &"x".repeat(32));
        let existing = Existing {
            mek: None,
            secrets: Some(old),
        };
        let r = generate_reusing(
            &spec(),
            &Options::default(),
            &existing,
            &mut StdRng::seed_from_u64(5),
        )
        .unwrap();
        assert!(refs(&r.reuse.added).contains(&"default-admin-secret/password".to_owned()));
        assert!(r.reuse.kept.is_empty());
        let written = parse_secrets(file(&r.bundle, "secrets.yaml")).unwrap();
        let password = written.get("default-admin-secret", "password").unwrap();
        assert_eq!(password.len(), ADMIN_PASSWORD_LEN);
        assert!(password.chars().all(|c| c.is_ascii_alphanumeric()));

        let again = generate_reusing(
            &spec(),
            &Options::default(),
            &existing_of(&r.bundle),
            &mut StdRng::seed_from_u64(6),
        )
        .unwrap();
        assert!(refs(&again.reuse.kept).contains(&"default-admin-secret/password".to_owned()));
    }

    #[test]
    fn supplied_values_fill_markers_and_replace_different_values() {
        let mut old = ExistingSecrets::new();
        old.insert("db-secret", "db-password", "old-db");
        old.insert(
            "redis-secret",
            "redis-password",
            "FILL-ME-IN: Redis password",
        );
        old.insert("default-admin-secret", "password", "");
        old.insert("custom", "token", "t");
        let existing = Existing {
            mek: None,
            secrets: Some(old),
        };
        let options = |db: &str| Options {
            secrets: SecretSource::File(UserSecrets {
                db_password: Some(db.into()),
                redis_password: Some("redis-pw".into()),
                idp_client_secret: None,
            }),
        };
        let r = generate_reusing(
            &spec(),
            &options("new-db"),
            &existing,
            &mut StdRng::seed_from_u64(4),
        )
        .unwrap();
        assert!(!r.reuse.mek_kept);
        assert_eq!(
            refs(&r.reuse.replaced),
            ["db-secret/db-password", "redis-secret/redis-password"]
        );
        // The empty generated password counts as absent.
        assert_eq!(refs(&r.reuse.added), ["default-admin-secret/password"]);
        assert_eq!(refs(&r.reuse.dropped), ["custom/token"]);
        assert!(r.unfilled.is_empty());
        let written = parse_secrets(file(&r.bundle, "secrets.yaml")).unwrap();
        assert_eq!(written.get("db-secret", "db-password"), Some("new-db"));
        assert_eq!(
            written.get("redis-secret", "redis-password"),
            Some("redis-pw")
        );
        assert_eq!(
            written
                .get("default-admin-secret", "password")
                .map(str::len),
            Some(ADMIN_PASSWORD_LEN)
        );
        // The same value as before is simply kept.
        let same = generate_reusing(
            &spec(),
            &options("old-db"),
            &existing,
            &mut StdRng::seed_from_u64(4),
        )
        .unwrap();
        assert_eq!(refs(&same.reuse.replaced), ["redis-secret/redis-password"]);
        assert_eq!(refs(&same.reuse.kept), ["db-secret/db-password"]);
    }

    #[test]
    fn kept_values_survive_the_file_byte_for_byte() {
        let tricky = [
            "pa\"ss\\word",
            "line one\nline two\n",
            "  spaced  ",
            "ünïcødé ✓",
            "# not a comment",
            "yes",
            "{not: a map}",
            "'quoted'",
        ];
        for value in tricky {
            let mut old = ExistingSecrets::new();
            old.insert("db-secret", "db-password", value);
            old.insert("redis-secret", "redis-password", value);
            // The admin password is kept only at the length the API service demands.
            let admin: String = value
                .chars()
                .chain(std::iter::repeat('x'))
                .take(ADMIN_PASSWORD_LEN)
                .collect();
            old.insert("default-admin-secret", "password", &admin);
            let existing = Existing {
                mek: None,
                secrets: Some(old.clone()),
            };
            let r = generate_reusing(
                &spec(),
                &Options::default(),
                &existing,
                &mut StdRng::seed_from_u64(5),
            )
            .unwrap();
            let back = parse_secrets(file(&r.bundle, "secrets.yaml")).unwrap();
            assert_eq!(back, old, "{value:?}");
        }
    }

    #[test]
    fn secrets_from_the_environment_ignore_the_existing_file_but_keep_the_mek() {
        let first = generate(&google(&spec()), &mut StdRng::seed_from_u64(1)).unwrap();
        let options = Options {
            secrets: SecretSource::Environment,
        };
        let r = generate_reusing(
            &google(&spec()),
            &options,
            &existing_of(&first),
            &mut StdRng::seed_from_u64(2),
        )
        .unwrap();
        assert!(r.bundle.get("secrets.yaml").is_none());
        assert!(r.reuse.mek_kept);
        assert_eq!(
            (r.reuse.kept.len(), r.reuse.dropped.len(), r.unfilled.len()),
            (0, 0, 0)
        );
        assert_eq!(
            file(&r.bundle, "mek-configmap.yaml"),
            file(&first, "mek-configmap.yaml")
        );
    }

    #[test]
    fn an_invalid_spec_is_refused_before_anything_is_reused() {
        let bad = DeploymentSpec::minimal("", "", "");
        let err = generate_reusing(
            &bad,
            &Options::default(),
            &Existing::default(),
            &mut StdRng::seed_from_u64(1),
        )
        .unwrap_err();
        assert!(matches!(err, GenerateError::InvalidSpec(p) if p.len() >= 2));
    }
}
