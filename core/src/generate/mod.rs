//! Generation of every file an OSMO deployment needs from a [`DeploymentSpec`]:
//! the charts' values files, the MEK ConfigMap, the secrets, an install
//! script, next steps and the spec itself.
//!
//! One generator serves every release: the spec's `release` picks the
//! template set ([`TemplateSet`]). OSMO 6.2.10 gets the values of its four
//! charts (`service`, `router`, `web-ui`, `backend-operator`); OSMO 6.3.1 one
//! `osmo_values.yaml` for the service chart (router, web UI and gateway
//! included, with `services.configs` in ConfigMap mode from
//! [`crate::configs::minimal_configs`]) and the backend operators'. Templates
//! whose text is the same for both (the backend operator's values,
//! `secrets.yaml`, the shared macros) are shared.
//!
//! The files are rendered from the minijinja templates in `core/templates/`
//! (inside this crate, embedded at build time). Every value a template prints is
//! escaped for the file's language by [`escape::format_value`].
//!
//! ```
//! use osmo_values::Release;
//! use osmo_values::spec::{DeploymentSpec, StaticKeys, Storage, StorageCredentials};
//! use rand::SeedableRng;
//! let mut spec = DeploymentSpec::minimal("osmo.example.com", "db.example.com", "redis.example.com");
//! spec.storage = Some(Storage {
//!     log_uri: "s3://osmo/logs".into(),
//!     data_uri: "s3://osmo/data".into(),
//!     region: Some("us-east-1".into()),
//!     override_url: None,
//!     credentials: StorageCredentials::Static(StaticKeys::default()),
//! });
//! let mut rng = rand::rngs::StdRng::seed_from_u64(1);
//! let bundle = osmo_values::generate(&spec, &mut rng).unwrap();
//! let names: Vec<&str> = bundle.files.iter().map(|f| f.name.as_str()).collect();
//! assert_eq!(names[0], "osmo_values.yaml"); // 6.3.1: one file for the service chart
//! assert!(names.contains(&"install.sh") && !names.contains(&"router_values.yaml"));
//! assert!(bundle.get("mek-configmap.yaml").unwrap().sensitive);
//! // The same generator writes 6.2.10's four charts.
//! spec.release = Release::V6_2_10;
//! spec.storage = None;
//! let old = osmo_values::generate(&spec, &mut rng).unwrap();
//! assert!(old.get("router_values.yaml").is_some() && old.get("ui_values.yaml").is_some());
//! ```

mod context;
pub mod escape;
pub mod filters;
pub mod mek;
pub mod secrets;
mod v6_3;

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE;
use minijinja::Environment;
use serde::Serialize;

use crate::Release;
pub use crate::chart::SCHEMA_BASE_URL;
use crate::spec::{DeploymentSpec, SpecProblem};
use context::{Backend, Context, GeneratedSecrets, SecretEntry};
pub use v6_3::{AZURE_WORKLOAD_IDENTITY_LABEL, STORAGE_PODS, pool_of};

/// The marker written in place of a secret the operator must supply; `install.sh` refuses to
/// apply a `secrets.yaml` that still contains it.
pub const FILL_ME: &str = "FILL-ME-IN";

/// The charts' default `skipAuthPaths` (one list, shared with the linter). A values file's
/// `skipAuthPaths` replaces the chart's list, so the generated list repeats these.
pub use crate::release::v6_2::{ROUTER_SKIP_AUTH_PATHS, SERVICE_SKIP_AUTH_PATHS};

/// Length of the default admin's password. The API service (6.2.10 and 6.3.1 alike) makes the
/// password the admin's OSMO access token and refuses to start unless it has exactly the length
/// of its own tokens: 43 characters (32 random bytes in unpadded base64).
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
    /// The access key id of the workflow storage (6.3.1, static storage credentials).
    pub storage_access_key_id: Option<String>,
    /// The secret access key of the workflow storage (6.3.1, static storage credentials).
    pub storage_access_key: Option<String>,
}

/// Where the secrets come from at install time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// `secrets.yaml` holds every secret: generated ones, and the supplied ones or markers.
    File(UserSecrets),
    /// No secret is written: `install.sh` creates them from environment variables
    /// (`OSMO_DB_PASSWORD`, `OSMO_REDIS_PASSWORD`, `OSMO_IDP_CLIENT_SECRET`,
    /// `OSMO_STORAGE_ACCESS_KEY_ID`, `OSMO_STORAGE_ACCESS_KEY`) and generates the cookie
    /// secret and admin password itself. The MEK is still generated.
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
/// use osmo_values::Release;
/// use osmo_values::spec::{Authentication, DeploymentSpec, Google};
/// use rand::SeedableRng;
/// let mut rng = rand::rngs::StdRng::seed_from_u64(1);
/// let mut spec = DeploymentSpec::minimal("osmo.example.com", "db.example.com", "redis.example.com");
/// spec.release = Release::V6_2_10;
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
    let mut problems = spec.validate();
    if let SecretSource::File(user) = &options.secrets {
        problems.extend(passwords_without_server_password(spec, user));
    }
    if !GENERATES_6_2 && spec.release == Release::V6_2_10 {
        problems.push(SpecProblem {
            path: crate::path::Path::root().key("release"),
            message: format!(
                "OSMO {} bundles come from the command line (osmo-values generate); this build \
                 generates OSMO {}",
                Release::V6_2_10,
                Release::LATEST
            ),
        });
    }
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
    let set = TemplateSet::of(spec.release);
    for (template, file) in set.charts {
        render(template, (*file).to_owned(), false, None)?;
    }
    for backend in &ctx.backends {
        render(
            set.backend_operator,
            backend.values_file.clone(),
            false,
            Some(backend),
        )?;
    }
    if ctx.secrets_in_file {
        render(set.secrets, "secrets.yaml".into(), true, None)?;
    }
    render(set.install, "install.sh".into(), false, None)?;
    render(set.next_steps, "NEXT_STEPS.md".into(), false, None)?;
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

/// A password supplied for a server the spec says has none: refused rather than dropped, so
/// that neither the spec nor the operator's password is silently wrong. An empty one agrees.
fn passwords_without_server_password(
    spec: &DeploymentSpec,
    user: &UserSecrets,
) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    for (section, has_password, given, what, env) in [
        (
            "postgres",
            spec.postgres.password,
            &user.db_password,
            "PostgreSQL",
            "OSMO_DB_PASSWORD",
        ),
        (
            "redis",
            spec.redis.password,
            &user.redis_password,
            "Redis",
            "OSMO_REDIS_PASSWORD",
        ),
    ] {
        if !has_password && given.as_deref().is_some_and(|p| !p.is_empty()) {
            out.push(SpecProblem {
                path: crate::path::Path::root().key(section).key("password"),
                message: format!(
                    "the spec says {what} has no password, but one was given ({env}): \
                     set {section}.password: true to use it, or give none"
                ),
            });
        }
    }
    out
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
        for (name, source) in TEMPLATES.iter().chain(TEMPLATES_6_2_ONLY) {
            // The templates are part of this crate; the tests render every one of them.
            if let Err(e) = env.add_template(name, source) {
                panic!("template {name} does not compile: {e}");
            }
        }
        env
    })
}

/// The templates of one release's bundle, by the file each renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateSet {
    /// The control plane's values files, in install order: (template, file name).
    pub charts: &'static [(&'static str, &'static str)],
    /// The backend operator's values (one file per backend).
    pub backend_operator: &'static str,
    /// `secrets.yaml`.
    pub secrets: &'static str,
    /// `install.sh`.
    pub install: &'static str,
    /// `NEXT_STEPS.md`.
    pub next_steps: &'static str,
}

const TEMPLATES_6_2: TemplateSet = TemplateSet {
    charts: &[
        ("osmo_values.yaml", "osmo_values.yaml"),
        ("router_values.yaml", "router_values.yaml"),
        ("ui_values.yaml", "ui_values.yaml"),
    ],
    backend_operator: "backend_operator_values.yaml",
    secrets: "secrets.yaml",
    install: "install.sh",
    next_steps: "NEXT_STEPS.md",
};

const TEMPLATES_6_3: TemplateSet = TemplateSet {
    charts: &[("6.3.1/osmo_values.yaml", "osmo_values.yaml")],
    backend_operator: "backend_operator_values.yaml",
    secrets: "secrets.yaml",
    install: "install.sh",
    next_steps: "6.3.1/NEXT_STEPS.md",
};

impl TemplateSet {
    /// The templates a bundle of `release` is rendered from.
    ///
    /// ```
    /// use osmo_values::Release;
    /// use osmo_values::generate::TemplateSet;
    /// assert_eq!(TemplateSet::of(Release::V6_2_10).charts.len(), 3);
    /// assert_eq!(TemplateSet::of(Release::V6_3_1).charts, [("6.3.1/osmo_values.yaml", "osmo_values.yaml")]);
    /// ```
    pub fn of(release: Release) -> &'static TemplateSet {
        match release {
            Release::V6_2_10 => &TEMPLATES_6_2,
            Release::V6_3_1 => &TEMPLATES_6_3,
        }
    }
}

/// The embedded templates, by name: those every release renders, then the 6.2.10 ones
/// ([`TEMPLATES_6_2_ONLY`]).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("_macros.yaml", include_str!("../../templates/_macros.yaml")),
    (
        "_next_steps.md",
        include_str!("../../templates/_next_steps.md"),
    ),
    (
        "backend_operator_values.yaml",
        include_str!("../../templates/backend_operator_values.yaml"),
    ),
    ("secrets.yaml", include_str!("../../templates/secrets.yaml")),
    ("install.sh", include_str!("../../templates/install.sh")),
    (
        "6.3.1/osmo_values.yaml",
        include_str!("../../templates/6.3.1/osmo_values.yaml"),
    ),
    (
        "6.3.1/NEXT_STEPS.md",
        include_str!("../../templates/6.3.1/NEXT_STEPS.md"),
    ),
];

/// The templates only OSMO 6.2.10 bundles (and the migration's `upgrade.sh`) render; empty
/// without the `release-6-2` feature.
#[cfg(feature = "release-6-2")]
pub const TEMPLATES_6_2_ONLY: &[(&str, &str)] = &[
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
    ("upgrade.sh", include_str!("../../templates/upgrade.sh")),
    (
        "NEXT_STEPS.md",
        include_str!("../../templates/NEXT_STEPS.md"),
    ),
];

/// The templates only OSMO 6.2.10 bundles render: none in this build.
#[cfg(not(feature = "release-6-2"))]
pub const TEMPLATES_6_2_ONLY: &[(&str, &str)] = &[];

/// Whether this build generates OSMO 6.2.10 bundles (feature `release-6-2`, on by default;
/// the browser wizard leaves it out).
pub const GENERATES_6_2: bool = cfg!(feature = "release-6-2");

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::secrets::{ExistingSecrets, parse_secrets};
    use super::*;
    use crate::spec::{Authentication, AwsIrsa, Google, Storage, StorageCredentials};

    /// A 6.3.1 spec whose storage needs no secret (a workload identity): its secrets are
    /// the same as a 6.2.10 spec's.
    fn spec() -> DeploymentSpec {
        let mut spec =
            DeploymentSpec::minimal("osmo.example.com", "db.example.com", "redis.example.com");
        spec.storage = Some(Storage {
            log_uri: "s3://osmo/logs".into(),
            data_uri: "s3://osmo/data".into(),
            region: Some("us-east-1".into()),
            override_url: None,
            credentials: StorageCredentials::AwsIrsa(AwsIrsa {
                role_arn: "arn:aws:iam::123456789012:role/osmo".into(),
            }),
        });
        spec
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
            ..UserSecrets::default()
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
                ..UserSecrets::default()
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
