//! Clients of the 6.3.1 gateway inside the cluster: the web UI's
//! `services.ui.apiHostname` must reach the gateway (OV313) and speak its
//! scheme (OV314). The backend operator's `global.serviceUrl` is judged
//! the same way across files (see `operator.rs`), with [`ServiceView`].

use serde_json::Value;

use crate::ChartName;
use crate::diagnostic::Span;
use crate::path::Path;
use crate::release::v6_3;

use super::gateway::{anchor, default_note};
use super::merge::{Group, get, truthy};
use super::runtime::{has_placeholder, url_host};
use super::{Sink, code, diag, related};

/// What a client needs to know of the service chart's effective values:
/// the gateway's name and TLS, and the names of the Services behind it.
pub(crate) struct ServiceView<'v> {
    /// The effective values (the chart defaults when no service file is
    /// linted with the client).
    pub effective: &'v Value,
}

/// Where an address points, as far as the gateway is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Points {
    /// At the gateway's Service.
    Gateway,
    /// At the default gateway name while the gateway has another one.
    OldGatewayName(String),
    /// At an OSMO Service behind the gateway (words naming it).
    Behind(String),
    /// Elsewhere (a public host name, another proxy): not judged here.
    Elsewhere,
}

impl<'v> ServiceView<'v> {
    fn str(&self, p: &str) -> Option<&'v str> {
        get(self.effective, &Path::keys(p))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The gateway's name (its Service's name).
    pub fn gateway_name(&self) -> &'v str {
        self.str("gateway.name").unwrap_or(v6_3::GATEWAY_NAME)
    }

    /// Whether the gateway listens with TLS.
    pub fn gateway_tls(&self) -> bool {
        get(self.effective, &Path::keys("gateway.envoy.ssl.enabled")).is_some_and(truthy)
    }

    /// The OSMO Services behind the gateway, as (Service name, words).
    fn behind(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let services = [
            ("service", "osmo-service", "the API service"),
            ("router", "osmo-router", "the router"),
            ("ui", "osmo-ui", "the web UI"),
            ("worker", "osmo-worker", "the worker"),
            ("logger", "osmo-logger", "the logger"),
            ("agent", "osmo-agent", "the agent"),
            (
                "delayedJobMonitor",
                "osmo-delayed-job-monitor",
                "the delayed-job monitor",
            ),
        ];
        for (key, default, words) in services {
            let name = self
                .str(&format!("services.{key}.serviceName"))
                .unwrap_or(default);
            out.push((name.to_owned(), format!("{words}'s Service `{name}`")));
            if matches!(key, "router" | "logger") {
                let headless = format!("{name}-headless");
                out.push((headless.clone(), format!("{words}'s Service `{headless}`")));
            }
        }
        for up in ["service", "router", "ui", "agent", "logger"] {
            if let Some(host) = self.str(&format!("gateway.upstreams.{up}.host")) {
                let label = first_label(host).to_owned();
                if !out.iter().any(|(n, _)| n.eq_ignore_ascii_case(&label)) {
                    out.push((
                        label.clone(),
                        format!("the gateway's `{up}` upstream `{label}`"),
                    ));
                }
            }
        }
        out
    }

    /// Where `host` (a host name, without scheme or port) points.
    pub fn points(&self, host: &str) -> Points {
        let label = first_label(host);
        let gateway = self.gateway_name();
        if label.eq_ignore_ascii_case(gateway) {
            return Points::Gateway;
        }
        if label.eq_ignore_ascii_case(v6_3::GATEWAY_NAME) {
            return Points::OldGatewayName(gateway.to_owned());
        }
        match self
            .behind()
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(label))
        {
            Some((_, words)) => Points::Behind(words),
            None => Points::Elsewhere,
        }
    }
}

/// The first DNS label of a host name (`osmo-gateway` of
/// `osmo-gateway.osmo.svc.cluster.local`).
pub(crate) fn first_label(host: &str) -> &str {
    host.split('.').next().unwrap_or(host)
}

/// Whether a host is the machine itself (clients there speak plain HTTP).
fn local(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.starts_with("127.")
}

/// The UI checks of the service chart's effective values.
pub(crate) fn check(g: &Group<'_, '_>, sink: &mut Sink) {
    if g.chart.name != ChartName::Service
        || !g.chart.release.has_gateway()
        || !g.truthy(&Path::keys("services.ui.enabled"))
    {
        return;
    }
    let api_p = Path::keys("services.ui.apiHostname");
    let Some(api) = g.str(&api_p) else {
        return;
    };
    let Some(host) = url_host(api) else {
        return;
    };
    if has_placeholder(api) || local(host) {
        return;
    }
    let view = ServiceView {
        effective: &g.effective,
    };
    let name_p = Path::keys("gateway.name");
    match view.points(host) {
        Points::Gateway => ui_scheme(g, &view, api, sink),
        Points::OldGatewayName(gateway) => {
            let (file, at) = if g.changed(&api_p) {
                g.value_at(&api_p)
            } else {
                g.value_at(&name_p)
            }
            .unwrap_or_else(|| anchor(g, &[api_p.clone(), name_p.clone()]));
            let mut d = diag(
                code::GATEWAY_BYPASS,
                file,
                at,
                format!(
                    "`services.ui.apiHostname` is `{api}`{}, but the gateway is named `{gateway}` (`gateway.name`): \
                     no Service `{}` exists and the UI cannot reach the API",
                    if g.changed(&api_p) { "" } else { " (the chart's default)" },
                    v6_3::GATEWAY_NAME
                ),
            )
            .with_path(api_p.clone())
            .with_help(format!("set `services.ui.apiHostname: {gateway}:80`"));
            if g.changed(&api_p)
                && let Some((f, s)) = g.value_at(&name_p)
            {
                d = d.with_related(related(f, s, "the gateway's name"));
            }
            sink.push(d);
        }
        Points::Behind(words) => {
            let Some((file, at)) = g.value_at(&api_p) else {
                return;
            };
            let tls = if g.truthy(&Path::keys("gateway.tls.enabled")) {
                ", and with `gateway.tls.enabled` on, the service speaks only HTTPS on port 8000"
            } else {
                ""
            };
            sink.push(
                diag(
                    code::GATEWAY_BYPASS,
                    file,
                    at,
                    format!(
                        "`services.ui.apiHostname` sends the UI's API calls straight to {words}, around the \
                         gateway: they carry no user identity{tls}"
                    ),
                )
                .with_path(api_p.clone())
                .with_help(format!(
                    "point it at the gateway: `services.ui.apiHostname: {}:80`",
                    view.gateway_name()
                )),
            );
        }
        Points::Elsewhere => {}
    }
}

/// How the UI's scheme is set: the `NEXT_PUBLIC_OSMO_SSL_ENABLED` entry of
/// `extraEnvs` when there is one (it comes after the chart's), else
/// `nextjsSslEnabled`. `None` when it comes from a `valueFrom`.
fn ui_ssl(g: &Group<'_, '_>) -> Option<(bool, Path)> {
    let envs_p = Path::keys("services.ui.extraEnvs");
    if let Some(Value::Array(envs)) = g.get(&envs_p)
        && let Some((i, e)) = envs.iter().enumerate().rfind(|(_, e)| {
            e.get("name").and_then(Value::as_str) == Some("NEXT_PUBLIC_OSMO_SSL_ENABLED")
        })
    {
        let v = e.get("value")?;
        return Some((rendered(v) != "false", envs_p.index(i).key("value")));
    }
    let p = Path::keys("services.ui.nextjsSslEnabled");
    let v = g.get(&p).cloned().unwrap_or(Value::Null);
    Some((rendered(&v) != "false", p))
}

/// A value as the chart renders it into an environment variable.
fn rendered(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// OV314 for the UI: its scheme against the gateway's listener.
fn ui_scheme(g: &Group<'_, '_>, view: &ServiceView<'_>, api: &str, sink: &mut Sink) {
    let Some((https, ssl_p)) = ui_ssl(g) else {
        return;
    };
    let tls = view.gateway_tls();
    if https == tls {
        return;
    }
    let api_p = Path::keys("services.ui.apiHostname");
    let gw_p = Path::keys("gateway.envoy.ssl.enabled");
    let at: Option<(usize, Span, &Path)> = [&ssl_p, &api_p, &gw_p]
        .into_iter()
        .filter(|p| g.changed(p))
        .find_map(|p| g.value_at(p).map(|(f, s)| (f, s, p)));
    let (file, at, at_p) = at.unwrap_or_else(|| {
        let (f, s) = anchor(g, std::slice::from_ref(&gw_p));
        (f, s, &gw_p)
    });
    let (message, help) = if tls {
        (
            format!(
                "the UI speaks plain HTTP to `{api}`{}, but the gateway listens with TLS \
                 (`gateway.envoy.ssl.enabled` is true): every API call from the UI fails",
                default_note(g, &ssl_p)
            ),
            "set `services.ui.nextjsSslEnabled: true` and use a host name the gateway's certificate is valid \
             for, or turn `gateway.envoy.ssl.enabled` off",
        )
    } else {
        (
            format!(
                "the UI speaks HTTPS to `{api}`, but the gateway listens in plain HTTP{}: the TLS handshake fails",
                default_note(g, &gw_p)
            ),
            if ssl_p
                .0
                .iter()
                .any(|s| matches!(s, crate::path::Segment::Key(k) if k == "extraEnvs"))
            {
                "set this `NEXT_PUBLIC_OSMO_SSL_ENABLED` entry to \"false\" (it wins over `nextjsSslEnabled`), \
                 or turn `gateway.envoy.ssl.enabled` on"
            } else {
                "set `services.ui.nextjsSslEnabled: false`, or turn `gateway.envoy.ssl.enabled` on"
            },
        )
    };
    let mut d = diag(code::TLS_SCHEME_MISMATCH, file, at, message)
        .with_path(at_p.clone())
        .with_help(help);
    if g.changed(&gw_p)
        && let Some((f, s)) = g.value_at(&gw_p)
        && (f, s) != (file, at)
    {
        d = d.with_related(related(f, s, "the gateway's TLS"));
    }
    sink.push(d);
}
