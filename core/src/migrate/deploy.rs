//! What the deployment as a whole needs beyond its keys: the release's image
//! tag, the Ingress turned into the gateway's exposure, and the questions no
//! single key raises.

use serde_json::Value;

use super::place::{Outputs, Placed};
use super::resolve::{Ctx, truthy};
use super::{Added, Place};
use crate::ChartName;
use crate::path::Path;

/// Adds the values the deployment needs, recording each; pushes the
/// deployment-wide questions onto `decisions`.
pub fn complete(
    ctx: &Ctx<'_>,
    outs: &Outputs,
    placed: &mut Placed,
    decisions: &mut Vec<String>,
) -> Vec<Added> {
    let mut added = Vec::new();
    let mut add = |placed: &mut Placed, out: usize, path: &str, value: Value, why: String| {
        let path = Path::keys(path);
        if placed.writes(out, &path) {
            return;
        }
        placed.add(out, path.clone(), value.clone());
        added.push(Added {
            place: Place {
                file: outs.files[out].name.clone(),
                path,
            },
            value,
            why,
        });
    };
    let tag = Value::String(ctx.to.as_str().to_owned());
    let tag_why = format!(
        "6.3.1's charts default to the image tag `latest`; the migration pins the release ({})",
        ctx.to
    );
    let service_outs: Vec<usize> = outs.service_files().collect();
    if let Some(&base) = service_outs.first() {
        let tag_path = Path::keys("global.osmoImageTag");
        if !service_outs
            .iter()
            .any(|&o| placed.written(o, &tag_path).is_some())
        {
            add(
                placed,
                base,
                "global.osmoImageTag",
                tag.clone(),
                tag_why.clone(),
            );
        }
    }
    for (k, install) in ctx.dep.installs.iter().enumerate() {
        if install.chart != ChartName::BackendOperator {
            continue;
        }
        let files: Vec<usize> = (0..outs.files.len())
            .filter(|&o| outs.files[o].install == Some(k))
            .collect();
        let tag_path = Path::keys("global.osmoImageTag");
        if let Some(&base) = files.first()
            && !files
                .iter()
                .any(|&o| placed.written(o, &tag_path).is_some())
        {
            add(
                placed,
                base,
                "global.osmoImageTag",
                tag.clone(),
                tag_why.clone(),
            );
        }
    }
    if (ctx.dep.has(ChartName::Router) || ctx.dep.has(ChartName::WebUi))
        && !ctx.dep.has(ChartName::Service)
    {
        decisions.push(
            "the router's or the web UI's values were given without the service chart's: 6.3.1 \
             installs all three from one release, and upgrading it with these files alone would \
             reset the API service's settings to the chart's defaults; migrate with \
             osmo_values.yaml as well"
                .to_owned(),
        );
    }
    if let Some(&base) = service_outs.first()
        && ctx.dep.has(ChartName::Service)
    {
        gateway_exposure(ctx, base, &service_outs, placed, decisions, &mut add);
        gateway_placement(ctx, outs, &service_outs, placed, &mut add);
    }
    added
}

/// The gateway's pods where the 6.2 sidecars ran: in the API service's pods,
/// placed by `global.nodeSelector`, `services.service.nodeSelector` and
/// `services.service.tolerations`, which 6.3.1's gateway pods do not read.
/// Written layer by layer where the values the layers merge to change.
fn gateway_placement(
    ctx: &Ctx<'_>,
    outs: &Outputs,
    service_outs: &[usize],
    placed: &mut Placed,
    add: &mut impl FnMut(&mut Placed, usize, &str, Value, String),
) {
    let components: Vec<&str> = ["envoy", "oauth2Proxy", "authz"]
        .into_iter()
        .filter(|c| {
            let switch = Path::keys(&format!("gateway.{c}.enabled"));
            !service_outs
                .iter()
                .any(|&o| placed.written(o, &switch) == Some(Value::Bool(false)))
        })
        .collect();
    let mut merged = Value::Object(Default::default());
    let mut last: (Value, Value) = (Value::Null, Value::Null);
    for &out in service_outs {
        for &s in &outs.files[out].sources {
            if ctx.dep.sources[s].chart == ChartName::Service {
                super::input::merge(&mut merged, &ctx.dep.sources[s].json);
            }
        }
        let at = |p: &str| super::input::get(&merged, &Path::keys(p)).cloned();
        let mut selector = Value::Object(Default::default());
        for p in ["global.nodeSelector", "services.service.nodeSelector"] {
            if let Some(v @ Value::Object(_)) = at(p) {
                super::input::merge(&mut selector, &v);
            }
        }
        let tolerations = at("services.service.tolerations").unwrap_or(Value::Null);
        let now = (selector, tolerations);
        for (key, value, was) in [
            ("nodeSelector", &now.0, &last.0),
            ("tolerations", &now.1, &last.1),
        ] {
            if !truthy(value) || value == was {
                continue;
            }
            for c in &components {
                add(
                    placed,
                    out,
                    &format!("gateway.{c}.{key}"),
                    value.clone(),
                    format!(
                        "6.2.10 ran this inside the API service's pods, placed by global.nodeSelector, \
                         services.service.nodeSelector and services.service.tolerations; 6.3.1's gateway \
                         pods read only gateway.{c}.{key}"
                    ),
                );
            }
        }
        last = now;
    }
}

/// The 6.2 service Ingress as the gateway's: what the operator relied on
/// from the 6.2 defaults, the Service type and the host name.
fn gateway_exposure(
    ctx: &Ctx<'_>,
    base: usize,
    service_outs: &[usize],
    placed: &mut Placed,
    decisions: &mut Vec<String>,
    add: &mut impl FnMut(&mut Placed, usize, &str, Value, String),
) {
    let ingress = |key: &str| {
        ctx.chart_value(
            ChartName::Service,
            &Path::keys(&format!("services.service.ingress.{key}")),
        )
    };
    let set_any = ctx
        .chart_value(ChartName::Service, &Path::keys("services.service.ingress"))
        .is_some();
    if !set_any {
        return;
    }
    let enabled = ingress("enabled").is_none_or(truthy);
    if !enabled {
        decisions.push(
            "the 6.2 service chart's Ingress was off (services.service.ingress.enabled: false), so OSMO \
             was exposed some other way; in 6.3.1 every request enters through the gateway's Service \
             osmo-gateway, a LoadBalancer by default: point your own Ingress or load balancer at it, \
             or set gateway.envoy.service.type (ClusterIP) or gateway.envoy.ingress"
                .to_owned(),
        );
        return;
    }
    let relied = [
        ("enabled", Value::Bool(true), "off"),
        ("ingressClass", Value::String("nginx".to_owned()), "`alb`"),
        ("sslEnabled", Value::Bool(true), "false"),
    ];
    for (key, was, now) in relied {
        if ingress(key).is_none() {
            add(
                placed,
                base,
                &format!("gateway.envoy.ingress.{key}"),
                was.clone(),
                format!(
                    "the 6.2.10 default ({was}) the service's Ingress used; 6.3.1's gateway Ingress \
                     default is {now}"
                ),
            );
        }
    }
    add(
        placed,
        base,
        "gateway.envoy.service.type",
        Value::String("ClusterIP".to_owned()),
        "traffic enters through the Ingress, as it did in 6.2; the 6.3.1 default (LoadBalancer) would \
         expose the gateway a second way"
            .to_owned(),
    );
    let host = ctx
        .chart_value(ChartName::Service, &Path::keys("services.service.hostname"))
        .and_then(Value::as_str)
        .filter(|h| !h.is_empty());
    let gateway_host = Path::keys("gateway.envoy.hostname");
    let written = service_outs
        .iter()
        .rev()
        .find_map(|&o| placed.written(o, &gateway_host));
    match (host, written) {
        (Some(h), None) => add(
            placed,
            base,
            "gateway.envoy.hostname",
            Value::String(h.to_owned()),
            "the host the 6.2 Ingress served (services.service.hostname); 6.3.1's Ingress and \
             oauth2-proxy's redirect take gateway.envoy.hostname"
                .to_owned(),
        ),
        (Some(h), Some(Value::String(g))) if g != h => decisions.push(format!(
            "the 6.2 Ingress served {h} (services.service.hostname) while oauth2-proxy redirected to {g} \
             (sidecars.envoy.service.hostname); 6.3.1's gateway uses gateway.envoy.hostname ({g} is \
             written) for both: decide which host OSMO answers on"
        )),
        _ => {}
    }
}
