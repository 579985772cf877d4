//! Cross-file checks (OV5xx): the charts of one deployment must agree.

// `check` judges 6.2.10 deployments only: without the feature `release-6-2` (the browser
// wizard) `lint` leaves it out; `collect` and `compare` serve the 6.3.1 operator rules too.
#![cfg_attr(not(feature = "release-6-2"), allow(dead_code, unused_imports))]

use serde_json::Value;

use crate::path::Path;
use crate::{Chart, ChartName};

use super::merge::{Group, get};
use super::runtime::{has_placeholder, hostname_path, url_host};
use super::{Sink, code, diag, related};

/// A concrete value of one chart: its text and where it was set.
pub(crate) struct Seen {
    chart: ChartName,
    text: String,
    file: usize,
    span: crate::diagnostic::Span,
}

pub(crate) fn collect(
    groups: &[Group<'_, '_>],
    path_of: impl Fn(Chart) -> Option<Path>,
) -> Vec<Seen> {
    let mut out = Vec::new();
    for g in groups {
        let Some(p) = path_of(g.chart) else {
            continue;
        };
        let text = match get(&g.user, &p) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => continue,
        };
        if text.is_empty() || has_placeholder(&text) {
            continue;
        }
        let Some((file, span)) = g.value_at(&p) else {
            continue;
        };
        out.push(Seen {
            chart: g.chart.name,
            text,
            file,
            span,
        });
    }
    out
}

pub(crate) fn compare(
    seen: &[Seen],
    rule: &'static str,
    what: &str,
    fold_case: bool,
    sink: &mut Sink,
) {
    let Some(first) = seen.first() else { return };
    for s in &seen[1..] {
        let same = if fold_case {
            s.text.eq_ignore_ascii_case(&first.text)
        } else {
            s.text == first.text
        };
        if same {
            continue;
        }
        sink.push(
            diag(
                rule,
                s.file,
                s.span,
                format!(
                    "the {} chart's {what} `{}` differs from the {} chart's `{}`",
                    s.chart, s.text, first.chart, first.text
                ),
            )
            .with_related(related(
                first.file,
                first.span,
                format!("the {} chart's {what}", first.chart),
            ))
            .with_help(format!("use one {what} in every chart")),
        );
    }
}

/// Compares the charts linted together.
pub(crate) fn check(groups: &[Group<'_, '_>], sink: &mut Sink) {
    if groups.len() < 2 {
        return;
    }
    let auth = |c: ChartName| c != ChartName::BackendOperator;
    compare(
        &collect(groups, hostname_path),
        code::HOSTNAME_MISMATCH,
        "host name",
        true,
        sink,
    );
    compare(
        &collect(groups, |c| {
            auth(c.name).then(|| Path::keys("sidecars.oauth2Proxy.clientId"))
        }),
        code::CLIENT_ID_MISMATCH,
        "oauth2-proxy client id",
        false,
        sink,
    );
    compare(
        &collect(groups, |c| {
            auth(c.name).then(|| Path::keys("sidecars.oauth2Proxy.oidcIssuerUrl"))
        }),
        code::ISSUER_CROSS_MISMATCH,
        "oauth2-proxy issuer",
        false,
        sink,
    );
    compare(
        &collect(groups, |_| Some(Path::keys("global.osmoImageTag"))),
        code::IMAGE_TAG_MISMATCH,
        "image tag",
        false,
        sink,
    );
    // The backend operator must reach the service's host.
    let service_host = collect(groups, |c| {
        (c.name == ChartName::Service).then(|| Path::keys("services.service.hostname"))
    });
    let url = collect(groups, |c| {
        (c.name == ChartName::BackendOperator).then(|| Path::keys("global.serviceUrl"))
    });
    let Some(h) = service_host.first() else {
        return;
    };
    // Every backend operator (one install per backend) must reach it.
    for u in &url {
        let Some(host) = url_host(&u.text) else {
            continue;
        };
        // The service's host name, or a Service inside the cluster.
        if host.eq_ignore_ascii_case(&h.text) || crate::spec::is_in_cluster_host(host) {
            continue;
        }
        sink.push(
            diag(
                code::SERVICE_URL_MISMATCH,
                u.file,
                u.span,
                format!(
                    "`global.serviceUrl` points at `{host}`, but the service's host name is `{}`",
                    h.text
                ),
            )
            .with_path(Path::keys("global.serviceUrl"))
            .with_related(related(h.file, h.span, "the service chart's host name"))
            .with_help(format!("set `serviceUrl: https://{}`", h.text)),
        );
    }
}
