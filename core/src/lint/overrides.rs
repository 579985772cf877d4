//! Per-service Envoy overrides (`services.<name>.envoy`) that the service
//! chart ignores or that break the pod (OV309, OV310).
//!
//! The chart merges an override over `sidecars.envoy` for the service's
//! Envoy configuration and its volumes only; the Envoy container (image,
//! resources, probes, ports, TLS mounts) is built from `sidecars.envoy`.

// Its rules judge 6.2.10 files only: without the feature `release-6-2` (the browser wizard)
// `lint` leaves them out; `CONTAINER_ONLY` stays.
#![cfg_attr(not(feature = "release-6-2"), allow(dead_code, unused_imports))]

use serde_json::Value;

use crate::ChartName;
use crate::path::Path;

use super::merge::{Group, get, merge_overwrite, truthy};
use super::refused::delete_entry;
use super::{Sink, code, diag};

/// Keys of a per-service Envoy override (`services.<name>.envoy`) that only the Envoy
/// container reads, so an override of them has no effect (OV309).
pub const CONTAINER_ONLY: [&str; 10] = [
    "image",
    "imagePullPolicy",
    "securityContext",
    "logLevel",
    "resources",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "extraVolumeMounts",
    "service.hostname",
];

/// Checks each service's override against `sidecars.envoy`.
pub(crate) fn check(g: &Group<'_, '_>, sink: &mut Sink) {
    if g.chart.name != ChartName::Service {
        return;
    }
    let empty = Value::Object(Default::default());
    let base = g.get(&Path::keys("sidecars.envoy")).unwrap_or(&empty);
    for name in ["service", "logger", "agent"] {
        let at = Path::keys("services").key(name).key("envoy");
        let Some(over) = get(&g.user, &at).filter(|v| v.is_object()) else {
            continue;
        };
        let mut keys: Vec<&str> = CONTAINER_ONLY.to_vec();
        let mut merged = base.clone();
        merge_overwrite(&mut merged, over);
        let on = |v: &Value, k: &str| get(v, &Path::keys(k)).is_some_and(truthy);
        let port = |v: &Value| {
            if on(v, "ssl.enabled") {
                Some(Value::from(443))
            } else {
                v.get("listenerPort").cloned()
            }
        };
        let mismatch = if on(base, "enabled") != on(&merged, "enabled") {
            Some("enabled")
        } else if !on(base, "enabled") {
            None
        } else if on(base, "ssl.enabled") != on(&merged, "ssl.enabled") {
            Some("ssl.enabled")
        } else if port(base) != port(&merged) {
            Some("listenerPort")
        } else if on(base, "inClusterPaths.enabled") != on(&merged, "inClusterPaths.enabled") {
            Some("inClusterPaths.enabled")
        } else if on(base, "inClusterPaths.enabled")
            && get(base, &Path::keys("inClusterPaths.port"))
                != get(&merged, &Path::keys("inClusterPaths.port"))
        {
            Some("inClusterPaths.port")
        } else {
            None
        };
        if let Some(rel) = mismatch {
            mismatch_finding(g, &at, rel, sink);
        } else if on(base, "ssl.enabled") {
            // Envoy listens on 443 either way: the port is ignored.
            keys.push("listenerPort");
        }
        for rel in keys {
            let mut path = at.clone();
            for k in rel.split('.') {
                path = path.key(k);
            }
            for f in &g.files {
                let Some(span) = f.key_span(&path) else {
                    continue;
                };
                let mut d = diag(
                    code::ENVOY_OVERRIDE_IGNORED,
                    f.index,
                    span,
                    format!(
                        "`{path}` has no effect: the Envoy container uses `sidecars.envoy.{rel}`"
                    ),
                )
                .with_path(path.clone())
                .with_help(format!(
                    "delete it; set `sidecars.envoy.{rel}` for every service"
                ));
                if let Some(fix) = delete_entry(f, &path, &format!("delete {path}"), true) {
                    d = d.with_fix(fix);
                }
                sink.push(d);
            }
        }
    }
}

/// Reports the override key `rel` that makes the service's Envoy disagree
/// with its container, at the deepest key of it a file wrote.
fn mismatch_finding(g: &Group<'_, '_>, at: &Path, rel: &str, sink: &mut Sink) {
    let mut path = at.clone();
    let mut found = None;
    for k in rel.split('.') {
        path = path.key(k);
        if let Some(place) = g.last_key(&path) {
            found = Some((path.clone(), place));
        }
    }
    // Nothing written under the override: `null` or an emptied block above.
    let (path, (file, span)) = match found {
        Some(f) => f,
        None => match g.last_key(at) {
            Some(place) => (at.clone(), place),
            None => return,
        },
    };
    let why = if rel == "enabled" {
        "its Envoy container and config map follow `sidecars.envoy.enabled`: the pod cannot start"
    } else {
        "its Envoy container's ports and TLS mounts follow `sidecars.envoy`: the pod or its Service breaks"
    };
    sink.push(
        diag(
            code::ENVOY_OVERRIDE_MISMATCH,
            file,
            span,
            format!("`{path}` differs from `sidecars.envoy.{rel}`, but {why}"),
        )
        .with_path(path)
        .with_help(format!(
            "delete it, or set `sidecars.envoy.{rel}` for every service"
        )),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::{LintInput, LintOptions, lint};

    /// The codes found in a 6.2.10 service file, apart from the findings the
    /// chart defaults it leaves in place cause (these partial files never
    /// configure an identity provider).
    fn codes(text: &str) -> Vec<&'static str> {
        let input = LintInput {
            name: "osmo_values.yaml",
            source: text.as_bytes(),
        };
        let options = LintOptions {
            release: Some(crate::Release::V6_2_10),
            ..LintOptions::default()
        };
        let found = lint(&[input], &options).unwrap();
        found
            .iter()
            .filter(|d| {
                !d.note
                    .as_deref()
                    .is_some_and(|n| n.starts_with("chart default"))
            })
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn overrides_the_configuration_reads_are_clean() {
        let text = "services:\n  service:\n    envoy:\n      maxRequests: 200\n      listenerPort: 8080\n  logger:\n    envoy:\n      maxHeadersSizeKb: 256\n      jwt:\n        user_header: x-osmo-user\n";
        assert_eq!(codes(text), Vec::<&str>::new());
    }

    #[test]
    fn the_same_change_in_sidecars_envoy_is_clean() {
        let text = "sidecars:\n  envoy:\n    listenerPort: 9000\nservices:\n  logger:\n    envoy:\n      listenerPort: 9000\n";
        assert_eq!(codes(text), Vec::<&str>::new());
        let on = "sidecars:\n  envoy:\n    enabled: false\nservices:\n  agent:\n    envoy:\n      enabled: true\n";
        assert_eq!(codes(on), vec!["OV310"]);
    }

    #[test]
    fn listener_port_is_ignored_under_tls() {
        let text = "sidecars:\n  envoy:\n    ssl:\n      enabled: true\nservices:\n  agent:\n    envoy:\n      listenerPort: 8080\n";
        assert_eq!(codes(text), vec!["OV309"]);
    }
}
