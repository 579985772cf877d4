//! What ConfigMap mode leaves to the operator: the Helm keys the chart
//! reads, the Secrets it mounts, and the settings database mode would have
//! filled in.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::super::formats::secret_volume_name;
use super::super::render::{Misread, go_truthy, helm_path, misread};
use super::super::validate::{is_secret_reference, truthy};
use super::super::{HELM_KEYS, Section, configs_path};
use super::{ConfigFinding, ConfigFix, kind_of};
use crate::lint::code;
use crate::lint::suggest::closest;
use crate::path::Path;

/// Warns when the user's files fill `services.configs` while it is off.
pub(super) fn disabled(
    block: &Map<String, Value>,
    ctx: &super::CheckContext<'_>,
    out: &mut Vec<ConfigFinding>,
) {
    let Some(Value::Object(user)) = ctx.user_configs else {
        return;
    };
    let Some(first) = user
        .iter()
        .find(|(k, v)| k.as_str() != "enabled" && go_truthy(v))
        .map(|(k, _)| k)
    else {
        return;
    };
    let mut f = ConfigFinding::new(
        code::CONFIGS_DISABLED,
        configs_path().key(first.clone()),
        "ConfigMap mode is off (`services.configs.enabled` is not true): the settings under \
         `services.configs` have no effect",
    )
    .help("set `services.configs.enabled: true`, or remove the settings");
    if block.contains_key("enabled") {
        f = f.related(
            configs_path().key("enabled"),
            "ConfigMap mode is switched here",
        );
    }
    out.push(f);
}

/// Keys under `services.configs` spelt the ConfigMap's way or in another case.
/// A rename is machine-applicable when the user's own files (or, without
/// them, the effective block) do not have the camelCase key already.
pub(super) fn dropped_keys(
    block: &Map<String, Value>,
    ctx: &super::CheckContext<'_>,
    out: &mut Vec<ConfigFinding>,
) {
    let own = ctx.user_configs.and_then(Value::as_object).unwrap_or(block);
    for key in block.keys() {
        if HELM_KEYS.contains(&key.as_str()) {
            continue;
        }
        let Some(helm) = closest(key, HELM_KEYS) else {
            continue;
        };
        if normalize(helm) != normalize(key) {
            continue;
        }
        let taken = own.contains_key(helm);
        let mut f = ConfigFinding::new(
            code::CONFIGS_DROPPED_KEY,
            configs_path().key(key.clone()),
            format!(
                "`services.configs.{key}` is not read by the chart (it reads `{helm}`): \
                 everything under it is silently dropped"
            ),
        );
        f = if taken {
            f.help(format!(
                "move its entries under the existing `{helm}` and delete `{key}`"
            ))
            .related(configs_path().key(helm), "the key the chart reads")
        } else {
            f.help(format!("rename `{key}` to `{helm}`"))
        };
        f.fix = Some(ConfigFix::RenameKey {
            to: helm.to_owned(),
            machine_applicable: !taken,
        });
        out.push(f);
    }
}

fn normalize(key: &str) -> String {
    key.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Checks `secretRefs`; returns the names the chart mounts.
pub(super) fn secret_refs(
    block: &Map<String, Value>,
    out: &mut Vec<ConfigFinding>,
) -> BTreeSet<String> {
    let mut mounted = BTreeSet::new();
    let Some(refs) = block.get("secretRefs") else {
        return mounted;
    };
    let base = configs_path().key("secretRefs");
    let items = match refs {
        Value::Array(items) => items,
        other if !go_truthy(other) => return mounted,
        other => {
            out.push(
                ConfigFinding::new(
                    code::CONFIGS_SECRET_REF_INVALID,
                    base,
                    format!(
                        "`secretRefs` is {}, not a list: Helm cannot render the Deployments",
                        kind_of(other)
                    ),
                )
                .help("write a list: `- secretName: <name>`"),
            );
            return mounted;
        }
    };
    let mut first_at: Vec<(String, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = base.clone().index(i);
        let Value::Object(entry) = item else {
            out.push(
                ConfigFinding::new(
                    code::CONFIGS_SECRET_REF_INVALID,
                    at,
                    format!(
                        "`secretRefs[{i}]` is {}, not a map: Helm cannot render the Deployments",
                        kind_of(item)
                    ),
                )
                .help("write the entry as `- secretName: <name>`"),
            );
            continue;
        };
        let name = match entry.get("secretName") {
            Some(Value::String(n)) if !n.is_empty() => n,
            Some(other) => {
                out.push(
                    ConfigFinding::new(
                        code::CONFIGS_SECRET_REF_INVALID,
                        at.key("secretName"),
                        format!("`secretName` is {}, not a Secret's name: Kubernetes refuses the Deployments", kind_of(other)),
                    )
                    .help("write the Secret's name as text"),
                );
                continue;
            }
            None => {
                out.push(
                    ConfigFinding::new(
                        code::CONFIGS_SECRET_REF_INVALID,
                        at,
                        format!("`secretRefs[{i}]` has no `secretName`: the chart mounts a volume without a Secret, which Kubernetes refuses"),
                    )
                    .help("add `secretName: <name>`"),
                );
                continue;
            }
        };
        if let Err(why) = secret_volume_name(name) {
            out.push(
                ConfigFinding::new(
                    code::CONFIGS_SECRET_REF_INVALID,
                    at.clone().key("secretName"),
                    format!("the Secret name `{name}` {why}: Kubernetes refuses the Deployments"),
                )
                .help("rename the Secret to lowercase letters, digits and `-`"),
            );
        }
        if let Some((_, first)) = first_at.iter().find(|(n, _)| n == name) {
            out.push(
                ConfigFinding::new(
                    code::CONFIGS_SECRET_REF_INVALID,
                    at.key("secretName"),
                    format!("the Secret `{name}` is listed twice: two volumes of the same name, which Kubernetes refuses"),
                )
                .help("remove this entry")
                .related(base.clone().index(*first), "first listed here"),
            );
            continue;
        }
        first_at.push((name.clone(), i));
        mounted.insert(name.clone());
    }
    mounted
}

/// `secretName` references in the sections validated at start whose Secret
/// is not mounted.
pub(super) fn unmounted_secrets(
    doc: &Value,
    mounted: &BTreeSet<String>,
    out: &mut Vec<ConfigFinding>,
) {
    for section in [Section::Service, Section::Workflow, Section::Dataset] {
        if let Some(Value::Object(map)) = doc.get(section.configmap_key()) {
            let path = Path::root().key(section.configmap_key());
            walk(map, &path, mounted, out);
        }
    }
}

/// The loader's walk: into maps, never into lists; a reference ends it.
fn walk(
    map: &Map<String, Value>,
    path: &Path,
    mounted: &BTreeSet<String>,
    out: &mut Vec<ConfigFinding>,
) {
    for (key, value) in map {
        let Value::Object(child) = value else {
            continue;
        };
        let at = path.clone().key(key.clone());
        if child.get("secret_file").is_some_and(truthy) {
            continue;
        }
        match child.get("secretName") {
            Some(Value::String(name)) if !name.is_empty() => {
                if !mounted.contains(name) {
                    out.push(
                        ConfigFinding::new(
                            code::CONFIGS_SECRET_NOT_MOUNTED,
                            helm_path(&at.clone().key("secretName")),
                            format!(
                                "the Secret `{name}` is not listed in `services.configs.secretRefs`, \
                                 so it is never mounted: the service cannot read it and refuses to start"
                            ),
                        )
                        .help(format!("add `- secretName: {name}` to `services.configs.secretRefs`"))
                        .related(configs_path().key("secretRefs"), "the Secrets the chart mounts"),
                    );
                }
            }
            Some(v) if truthy(v) => {}
            _ => walk(child, &at, mounted, out),
        }
    }
}

/// What database mode fills in and ConfigMap mode leaves empty.
pub(super) fn missing_defaults(
    doc: &Value,
    block: &Map<String, Value>,
    ctx: &super::CheckContext<'_>,
    out: &mut Vec<ConfigFinding>,
) {
    let text = |p: &str| {
        doc.pointer(p)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    let deepest = |keys: &[&str]| {
        let mut at = configs_path();
        let mut v = Value::Object(block.clone());
        for k in keys {
            match v.get(*k) {
                Some(next @ Value::Object(_)) => {
                    at = at.key(*k);
                    v = next.clone();
                }
                _ => break,
            }
        }
        at
    };
    if doc
        .pointer("/service/service_base_url")
        .is_none_or(|v| v.as_str().is_none_or(str::is_empty))
    {
        let host = ctx.service_hostname.filter(|h| !h.is_empty());
        let service_empty = !block.get("service").is_some_and(go_truthy);
        let why = match (host, service_empty) {
            (Some(_), true) => {
                " (the chart derives it from `services.service.hostname` only when \
                 `services.configs.service` has at least one key)"
            }
            _ => "",
        };
        let url = host.map_or_else(
            || "https://<your hostname>".to_owned(),
            |h| format!("https://{h}"),
        );
        let mut f = ConfigFinding::new(
            code::CONFIGS_SERVICE_BASE_URL,
            deepest(&["service"]),
            format!(
                "ConfigMap mode is on but `service.service_base_url` is not set{why}: workflow \
                 pods get no URL to reach OSMO"
            ),
        )
        .help(format!(
            "set `services.configs.service.service_base_url: {url}`"
        ));
        if host.is_some() {
            f = f.related(
                Path::keys("services.service.hostname"),
                "the service's host name",
            );
        }
        out.push(f);
    }
    let missing: Vec<&str> = ["init", "client"]
        .into_iter()
        .filter(|k| !text(&format!("/workflow/backend_images/{k}")))
        .collect();
    if !missing.is_empty() {
        let list = missing
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        out.push(
            ConfigFinding::new(
                code::CONFIGS_BACKEND_IMAGES,
                deepest(&["workflow", "backend_images"]),
                format!(
                    "ConfigMap mode is on but `workflow.backend_images` has no {list} image: \
                     workflow pods are created without an image and never start"
                ),
            )
            .help(
                "set `services.configs.workflow.backend_images.init: <registry>/init-container:<tag>` \
                 and `client: <registry>/client:<tag>` with your OSMO image registry and tag",
            ),
        );
    }
    if let Some(Value::Object(backends)) = doc.get("backends") {
        for (name, backend) in backends {
            if backend
                .get("router_address")
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
            {
                continue;
            }
            if !backend.is_object() {
                continue;
            }
            let host = ctx
                .service_hostname
                .filter(|h| !h.is_empty())
                .unwrap_or("<your hostname>");
            out.push(
                ConfigFinding::new(
                    code::CONFIGS_ROUTER_ADDRESS,
                    helm_path(&Path::root().key("backends").key(name.clone())),
                    format!(
                        "backend `{name}` has no `router_address`, which ConfigMap mode does not \
                         fill in: `osmo workflow exec`, port-forward and rsync fail on it"
                    ),
                )
                .help(format!("set `router_address: wss://{host}`")),
            );
        }
    }
}

/// Warns about signing keys written into the ConfigMap.
pub(super) fn service_auth(doc: &Value, out: &mut Vec<ConfigFinding>) {
    let auth = doc.pointer("/service/service_auth");
    if auth.is_some()
        && !auth
            .and_then(Value::as_object)
            .is_some_and(is_secret_reference)
    {
        out.push(
            ConfigFinding::new(
                code::CONFIGS_SERVICE_AUTH,
                helm_path(&Path::keys("service.service_auth")),
                "`service.service_auth` replaces the token-signing keys the service keeps in its \
                 database and puts private keys in a ConfigMap",
            )
            .help("remove it, unless you mean to pin the keys; then read them from a Secret with `secretName`"),
        );
    }
}

/// Text the chart writes unquoted and the service reads as something else.
pub(super) fn misread_text(doc: &Value, out: &mut Vec<ConfigFinding>) {
    fn walk(v: &Value, path: &Path, out: &mut Vec<ConfigFinding>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    let at = path.clone().key(k.clone());
                    report(k, &at, true, out);
                    walk(child, &at, out);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &path.clone().index(i), out);
                }
            }
            Value::String(s) => report(s, path, false, out),
            _ => {}
        }
    }
    fn report(text: &str, at: &Path, is_key: bool, out: &mut Vec<ConfigFinding>) {
        let what = if is_key { "the key" } else { "the text" };
        let start =
            at.0.first()
                .and_then(|s| match s {
                    crate::path::Segment::Key(k) => Section::from_configmap_key(k),
                    crate::path::Segment::Index(_) => None,
                })
                .is_some_and(Section::validated_at_start);
        let finding = match misread(text) {
            Some(Misread::Unreadable) => ConfigFinding::new(
                code::CONFIGS_STARTUP_INVALID,
                helm_path(at),
                format!(
                    "the chart writes {what} `{text}` without quotes, and the service cannot read \
                     a ConfigMap holding it: it refuses to start"
                ),
            ),
            Some(Misread::DateTime) => ConfigFinding::new(
                if start {
                    code::CONFIGS_STARTUP_INVALID
                } else {
                    code::CONFIGS_ENTRY_INVALID
                },
                helm_path(at),
                format!(
                    "the chart writes {what} `{text}` without quotes, and the service reads it as \
                     a date and time, not as text"
                ),
            ),
            None => return,
        };
        out.push(finding.help("change the text (the chart does not keep quotes you write)"));
    }
    walk(doc, &Path::root(), out);
}
