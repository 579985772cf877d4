//! The 6.3.1 service chart and its backend operators, judged together
//! (OV5xx): the image tag (OV504), where `global.serviceUrl` points (the
//! public host name OV505, the gateway rather than a Service behind it
//! OV313, in the gateway's scheme OV314). The operator's backend among
//! `services.configs.backends` is the ConfigMap checks' (OV609).
//!
//! The operator's `serviceUrl` is also checked without a service file,
//! against the service chart's defaults, for what does not depend on the
//! service's values (an OSMO Service behind the gateway).

use crate::ChartName;
use crate::path::Path;

use super::clients::{Points, ServiceView};
use super::cross::{collect, compare};
use super::gateway::public_host;
use super::merge::{Group, get, truthy};
use super::runtime::{has_placeholder, url_host};
use super::{Sink, code, diag, related};

/// Checks the installs of one 6.3.1 deployment against each other.
pub(crate) fn check(groups: &[Group<'_, '_>], sink: &mut Sink) {
    let service = groups.iter().find(|g| g.chart.name == ChartName::Service);
    let operators: Vec<&Group<'_, '_>> = groups
        .iter()
        .filter(|g| g.chart.name == ChartName::BackendOperator)
        .collect();
    if groups.len() >= 2 {
        compare(
            &collect(groups, |_| Some(Path::keys("global.osmoImageTag"))),
            code::IMAGE_TAG_MISMATCH,
            "image tag",
            false,
            sink,
        );
    }
    let defaults;
    let view = match service {
        Some(s) => ServiceView {
            effective: &s.effective,
        },
        None => {
            defaults = crate::Release::V6_3_1.rule_defaults(ChartName::Service);
            ServiceView {
                effective: &defaults,
            }
        }
    };
    for op in &operators {
        service_url(op, service, &view, sink);
    }
}

/// Where the operator's `global.serviceUrl` points.
fn service_url(
    op: &Group<'_, '_>,
    service: Option<&Group<'_, '_>>,
    view: &ServiceView<'_>,
    sink: &mut Sink,
) {
    let url_p = Path::keys("global.serviceUrl");
    let Some(url) = op.str(&url_p) else {
        return;
    };
    if has_placeholder(url) {
        return;
    }
    let Some((file, at)) = op.value_at(&url_p) else {
        return;
    };
    let Some(host) = url_host(url) else {
        return;
    };
    let scheme = url
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default();
    match view.points(host) {
        Points::Behind(words) => {
            let tls = if get(view.effective, &Path::keys("gateway.tls.enabled")).is_some_and(truthy)
            {
                ", and with `gateway.tls.enabled` on, OSMO's services speak only HTTPS on port 8000"
            } else {
                ""
            };
            sink.push(
                diag(
                    code::GATEWAY_BYPASS,
                    file,
                    at,
                    format!(
                        "`global.serviceUrl` points the backend operator straight at {words}, around the gateway: \
                         it cannot log in or reach the agent routes{tls}"
                    ),
                )
                .with_path(url_p.clone())
                .with_help(format!(
                    "use the public URL, or the gateway inside the cluster: `http://{}.<namespace>.svc.cluster.local`",
                    view.gateway_name()
                )),
            );
        }
        Points::OldGatewayName(gateway) if service.is_some() => {
            let mut d = diag(
                code::GATEWAY_BYPASS,
                file,
                at,
                format!(
                    "`global.serviceUrl` names `{host}`, but the gateway is named `{gateway}`: the backend operator \
                     cannot connect"
                ),
            )
            .with_path(url_p.clone())
            .with_help(format!("use `{gateway}` in the URL"));
            if let Some(s) = service
                && let Some((f, sp)) = s.value_at(&Path::keys("gateway.name"))
            {
                d = d.with_related(related(f, sp, "the gateway's name"));
            }
            sink.push(d);
        }
        Points::Gateway => {
            let Some(s) = service else {
                return;
            };
            let tls = view.gateway_tls();
            let wrong = match scheme.as_str() {
                "http" | "ws" => tls,
                "https" | "wss" => !tls,
                _ => false,
            };
            if !wrong {
                return;
            }
            let ssl_p = Path::keys("gateway.envoy.ssl.enabled");
            let mut d = diag(
                code::TLS_SCHEME_MISMATCH,
                file,
                at,
                if tls {
                    format!(
                        "the backend operator speaks plain HTTP to `{host}`, but the gateway listens with TLS \
                         (`gateway.envoy.ssl.enabled` is true): it cannot connect"
                    )
                } else {
                    format!(
                        "the backend operator speaks HTTPS to `{host}`, but the gateway listens in plain HTTP \
                         (`gateway.envoy.ssl.enabled` is off): the TLS handshake fails"
                    )
                },
            )
            .with_path(url_p.clone())
            .with_help(if tls {
                "use `https://` and a host name the gateway's certificate is valid for (the public URL)"
            } else {
                "use `http://` for the gateway inside the cluster, or the public URL"
            });
            if let Some((f, sp)) = s.value_at(&ssl_p) {
                d = d.with_related(related(f, sp, "the gateway's TLS"));
            }
            sink.push(d);
        }
        Points::Elsewhere => {
            let Some(s) = service else {
                return;
            };
            // The public host name, as the users' files set it.
            let Some((public, public_p)) = public_host(&s.user) else {
                return;
            };
            let also = s.str(&Path::keys("services.service.hostname"));
            if has_placeholder(public)
                || host.eq_ignore_ascii_case(public)
                || also.is_some_and(|h| host.eq_ignore_ascii_case(h))
            {
                return;
            }
            let mut d = diag(
                code::SERVICE_URL_MISMATCH,
                file,
                at,
                format!(
                    "`global.serviceUrl` points at `{host}`, but the service's host name is `{public}`: the backend \
                     operator never registers"
                ),
            )
            .with_path(url_p.clone())
            .with_help(format!("set `serviceUrl: https://{public}`"));
            if let Some((f, sp)) = s.value_at(&public_p) {
                d = d.with_related(related(f, sp, "the service's host name"));
            }
            sink.push(d);
        }
        Points::OldGatewayName(_) => {}
    }
}
