//! The linter's checks of `services.configs`: a pure function of the
//! effective block (the chart's defaults merged with the user's files) that
//! returns findings with the values path of the offending key.

mod authz;
mod model;
mod refs;
mod runtime;

use serde::Serialize;
use serde_json::Value;

use super::render::{go_truthy, prepare_document, render_config_map};
use crate::diagnostic::Severity;
use crate::lint::code;
use crate::path::{Path, Segment};

/// What the checks need besides the block itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckContext<'a> {
    /// `services.service.hostname` of the effective values: the chart derives
    /// `service.service_base_url` from it.
    pub service_hostname: Option<&'a str>,
    /// `services.configs` as the user's files set it, without the chart's
    /// defaults: tells a block written while ConfigMap mode is off.
    pub user_configs: Option<&'a Value>,
}

/// Another place that explains a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedPath {
    /// The values path.
    pub path: Path,
    /// What is there.
    pub message: String,
}

/// A fix the linter can offer for a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ConfigFix {
    /// Rename the key at the finding's path; `machine_applicable` when no
    /// key of the new name exists beside it.
    RenameKey {
        /// The new key.
        to: String,
        /// Whether it can be applied without a person looking.
        machine_applicable: bool,
    },
}

/// One finding about `services.configs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigFinding {
    /// The rule's code (`OV6xx`).
    pub code: &'static str,
    /// How serious it is (the rule's severity, lowered for harmless cases).
    pub severity: Severity,
    /// What is wrong and what it breaks, in one line.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The values path of the offending key or value, from the root of the
    /// values (`services.configs.workflow.default_exec_timeout`).
    pub path: Path,
    /// Other places that explain the finding.
    pub related: Vec<RelatedPath>,
    /// A fix, when one can be offered.
    pub fix: Option<ConfigFix>,
}

impl ConfigFinding {
    pub(crate) fn new(code: &'static str, path: Path, message: impl Into<String>) -> Self {
        // `severity` rather than a lookup in the rules table: it leaves the rules'
        // explanations out of programs that only lint (the browser wizard).
        let severity = crate::lint::rules::severity(code).unwrap_or(Severity::Error);
        ConfigFinding {
            code,
            severity,
            message: message.into(),
            help: None,
            path,
            related: Vec::new(),
            fix: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn related(mut self, path: Path, message: impl Into<String>) -> Self {
        self.related.push(RelatedPath {
            path,
            message: message.into(),
        });
        self
    }

    pub(crate) fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// Checks the effective `services.configs` block (chart defaults merged with
/// the user's files; lists replace, maps merge, `null` deletes) the way the
/// chart renders it and the service, worker and authorization service read
/// it. Returns nothing when ConfigMap mode is off, except a warning when the
/// user's own files fill the block anyway.
///
/// ```
/// use serde_json::json;
/// use osmo_values::configs::{check, default_configs, CheckContext};
/// use osmo_values::lint::merge::helm_merge;
/// let mut effective = json!({"services": {"configs": default_configs()}});
/// helm_merge(&mut effective, &json!({"services": {"configs": {
///     "enabled": true,
///     "pools": {"gpu": {"backend": "gpu-cluster"}}}}}));
/// let found = check(&effective["services"]["configs"], &CheckContext::default());
/// let unknown = found.iter().find(|f| f.code == "OV608").unwrap();
/// assert_eq!(unknown.path.to_string(), "services.configs.pools.gpu.backend");
/// ```
pub fn check(configs: &Value, ctx: &CheckContext<'_>) -> Vec<ConfigFinding> {
    let mut out = Vec::new();
    let Some(block) = configs.as_object() else {
        return out;
    };
    if !block.get("enabled").is_some_and(go_truthy) {
        runtime::disabled(block, ctx, &mut out);
        return out;
    }
    runtime::dropped_keys(block, ctx, &mut out);
    let mounted = runtime::secret_refs(block, &mut out);
    let mut doc = render_config_map(configs, ctx.service_hostname);
    if doc.as_object().is_none_or(|d| d.is_empty()) {
        out.push(
            ConfigFinding::new(
                code::CONFIGS_STARTUP_INVALID,
                super::configs_path(),
                "ConfigMap mode is on but every section of `services.configs` is empty: the \
                 ConfigMap's config.yaml is empty and the service refuses to start",
            )
            .help("set at least the `workflow` section (the chart's defaults do), or turn ConfigMap mode off"),
        );
        return out;
    }
    runtime::misread_text(&doc, &mut out);
    prepare_document(&mut doc);
    runtime::unmounted_secrets(&doc, &mounted, &mut out);
    let authz_paths = authz::check(&doc, &mut out);
    let refs_paths = refs::check(&doc, &mut out);
    model::check(&doc, &authz_paths, &refs_paths, &mut out);
    runtime::missing_defaults(&doc, block, ctx, &mut out);
    authz::pool_coverage(&doc, &mut out);
    runtime::service_auth(&doc, &mut out);
    out.sort_by(|a, b| (&a.path, a.code, &a.message).cmp(&(&b.path, b.code, &b.message)));
    out.dedup();
    out
}

/// The names of the backends in the effective block (`services.configs.backends`).
///
/// ```
/// use osmo_values::configs::{backend_names, default_configs};
/// assert_eq!(backend_names(&default_configs()), vec!["default".to_string()]);
/// ```
pub fn backend_names(configs: &Value) -> Vec<String> {
    configs
        .get("backends")
        .and_then(Value::as_object)
        .map(|b| b.keys().cloned().collect())
        .unwrap_or_default()
}

/// Whether `name` is a key of the effective `services.configs.backends`.
pub fn has_backend(configs: &Value, name: &str) -> bool {
    configs
        .get("backends")
        .and_then(Value::as_object)
        .is_some_and(|b| b.contains_key(name))
}

/// The cross-file check: a backend operator's `global.backendName` (at
/// `at`, a path in the operator's values) must be a key of the service
/// chart's effective `services.configs.backends` when ConfigMap mode is on,
/// or the backend never registers.
///
/// ```
/// use serde_json::json;
/// use osmo_values::configs::check_backend_name;
/// use osmo_values::path::Path;
/// let configs = json!({"enabled": true, "backends": {"default": {}}});
/// let at = Path::keys("global.backendName");
/// assert!(check_backend_name(&configs, "default", at.clone()).is_none());
/// let f = check_backend_name(&configs, "gpu-east", at).unwrap();
/// assert_eq!(f.code, "OV609");
/// ```
pub fn check_backend_name(configs: &Value, backend_name: &str, at: Path) -> Option<ConfigFinding> {
    if !configs.get("enabled").is_some_and(go_truthy) || has_backend(configs, backend_name) {
        return None;
    }
    let known = backend_names(configs);
    let known_text = if known.is_empty() {
        "it has none".to_owned()
    } else {
        format!("it has {}", quoted_list(&known))
    };
    Some(
        ConfigFinding::new(
            code::CONFIGS_BACKEND_NOT_CONFIGURED,
            at,
            format!(
                "the backend operator registers as `{backend_name}`, which is not a backend of \
                 the service's `services.configs.backends` ({known_text}): in ConfigMap mode the \
                 backend never registers"
            ),
        )
        .help(format!(
            "add `{backend_name}:` under `services.configs.backends` in the service chart's \
             values (with `router_address`), or set the operator's `global.backendName` to one \
             of its keys"
        ))
        .related(
            super::configs_path().key("backends"),
            "the backends the service knows in ConfigMap mode",
        ),
    )
}

/// `a`, `b` and `c` in backquotes.
pub(crate) fn quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// The value at a path of the rendered document.
pub(crate) fn value_at<'a>(doc: &'a Value, path: &Path) -> Option<&'a Value> {
    let mut v = doc;
    for seg in &path.0 {
        v = match seg {
            Segment::Key(k) => v.get(k)?,
            Segment::Index(i) => v.get(*i)?,
        };
    }
    Some(v)
}

/// A value's kind in words.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}
