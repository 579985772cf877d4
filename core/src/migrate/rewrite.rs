//! The value rewrites of [`Rewrite`]: what a key's value becomes in 6.3.1.

use serde_json::Value;

use super::input::Leaf;
use super::resolve::{Ctx, Join, Put, Verdict, chart_words, same, shown};
use super::tree::{Entry, Item, Key, Scalar, Tree};
use crate::ChartName;
use crate::path::Path;
use crate::release::moves::{CLUSTER_RENAMES, INTERNAL_JWKS_URI_TLS, OSMO_JWKS_URIS_6_2, Rewrite};
use crate::release::v6_3;

/// The verdict on `leaf` under rewrite `rw`, written at `target`.
pub fn apply(ctx: &Ctx<'_>, leaf: &Leaf, target: Path, rw: Rewrite) -> Verdict {
    let json = leaf.item.to_json();
    match rw {
        Rewrite::ReleaseTag => release_tag(ctx, leaf, target, &json),
        Rewrite::Image { was, now } => image(leaf, target, &json, was, now),
        Rewrite::JwtProviders => jwt_providers(ctx, leaf, target),
        Rewrite::SkipAuthPaths { default } => skip_auth_paths(leaf, target, default),
        Rewrite::Routes => routes(leaf, target),
        Rewrite::GatewayIngress => Verdict::to(target, leaf.item.clone(), Join::No),
        Rewrite::EnvoySwitch => envoy_switch(leaf, target, &json),
        Rewrite::RateLimitSwitch => match json {
            Value::Bool(false) => Verdict::to(target, leaf.item.clone(), Join::No),
            _ => Verdict::ask(
                "6.2.10's rate-limit sidecar applied the chart's own limits; 6.3.1's gateway limits \
                 nothing unless routes (gateway.envoy.serviceRoutes or extraRoutes) carry rate_limits \
                 actions that gateway.rateLimit.config.descriptors match, and it needs its own Redis \
                 (gateway.rateLimit.redis.serviceName): set those up, then turn gateway.rateLimit.enabled \
                 on",
            ),
        },
        Rewrite::UiApiHostname => ui_api_hostname(leaf, target, &json),
        Rewrite::ServiceUrl => service_url(leaf, target, &json),
        Rewrite::RouterServiceAccount => router_service_account(ctx, leaf, target, &json),
        Rewrite::OAuth2ProxyRedis { copy_to, default } => {
            oauth2_proxy_redis(ctx, leaf, target, &json, copy_to, default)
        }
    }
}

/// `leaf`'s item with another scalar value, keeping its comments.
fn with_value(leaf: &Leaf, json: Value) -> Item {
    Item {
        value: Tree::Scalar(Scalar::of(json)),
        comments: leaf.item.comments.clone(),
    }
}

fn release_tag(ctx: &Ctx<'_>, leaf: &Leaf, target: Path, json: &Value) -> Verdict {
    let tag = Value::String(ctx.to.as_str().to_owned());
    if *json == tag {
        return Verdict::to(target, leaf.item.clone(), Join::No);
    }
    Verdict::Move {
        puts: vec![Put {
            path: target,
            item: with_value(leaf, tag),
            join: Join::No,
        }],
        note: Some(format!(
            "was {}: the images of the new release",
            shown(json)
        )),
    }
}

/// `repository:tag` split at the tag's colon (a registry port is not a tag).
fn split_image(image: &str) -> (&str, Option<&str>) {
    match image.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, Some(tag)),
        _ => (image, None),
    }
}

fn image(leaf: &Leaf, target: Path, json: &Value, was: &str, now: &str) -> Verdict {
    let Some(value) = json.as_str() else {
        return Verdict::ask(format!(
            "an image is text such as `{now}`; {} is not",
            shown(json)
        ));
    };
    if value == was {
        return Verdict::Drop(format!(
            "the 6.2.10 chart's default image; 6.3.1 brings its own default, {now}"
        ));
    }
    if value == now {
        return Verdict::to(target, leaf.item.clone(), Join::No);
    }
    let (repo, tag) = split_image(value);
    let (_, was_tag) = split_image(was);
    let (_, now_tag) = split_image(now);
    let proposed = format!("{repo}:{}", now_tag.unwrap_or("latest"));
    let puts = vec![Put {
        path: target,
        item: with_value(leaf, Value::String(proposed.clone())),
        join: Join::No,
    }];
    if tag == was_tag && !value.contains('@') {
        let note = (proposed != value).then(|| {
            format!("was {value}: your repository, at the version 6.3.1 is made for ({proposed}); mirror it")
        });
        Verdict::Move { puts, note }
    } else {
        Verdict::Decide {
            question: format!(
                "6.2.10 ran {value}; 6.3.1's gateway is configured for {now}: {proposed} is written \
                 (mirror it), or keep a version of your choice that supports 6.3.1's configuration"
            ),
            puts,
        }
    }
}

/// The cluster a 6.2 cluster name became.
fn renamed(cluster: &str) -> Option<&'static str> {
    CLUSTER_RENAMES
        .iter()
        .find(|(old, _)| *old == cluster)
        .map(|(_, new)| *new)
}

/// Whether a JWKS URI is one of 6.2's addresses of OSMO's own keys.
fn osmo_jwks(uri: &str) -> bool {
    OSMO_JWKS_URIS_6_2.contains(&uri)
}

/// Replaces (or adds) the value of `key` in a map item.
fn set_entry(item: &mut Item, key: &str, value: Value) {
    let Tree::Map(entries) = &mut item.value else {
        return;
    };
    match entries
        .iter_mut()
        .rev()
        .find(|e| e.key.name == key && !e.shadowed)
    {
        Some(e) => e.item.value = Tree::Scalar(Scalar::of(value)),
        None => entries.push(Entry {
            key: Key::new(key),
            item: Item::scalar(value),
            shadowed: false,
            pos: None,
        }),
    }
}

fn jwt_providers(ctx: &Ctx<'_>, leaf: &Leaf, target: Path) -> Verdict {
    let Tree::Seq(items) = &leaf.item.value else {
        return Verdict::ask(
            "the providers must be a list; this is not, so 6.2.10 read no provider here",
        );
    };
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut questions = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let json = item.to_json();
        let field = |k: &str| json.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        let (cluster, uri, issuer) = (field("cluster"), field("jwks_uri"), field("issuer"));
        if issuer.is_empty() && uri.is_empty() {
            notes.push(format!(
                "provider {i} (empty: no issuer, no JWKS URI) left out"
            ));
            continue;
        }
        let mut item = item.clone();
        match cluster.as_str() {
            "idp" => {}
            "service" | "osmoauth" if osmo_jwks(&uri) => {
                set_entry(&mut item, "cluster", Value::String(v6_3::INTERNAL_JWKS_CLUSTER.to_owned()));
                set_entry(&mut item, "jwks_uri", Value::String(INTERNAL_JWKS_URI_TLS.to_owned()));
                notes.push(format!(
                    "provider {i} ({issuer}): cluster {cluster} → {}, JWKS {uri} → {INTERNAL_JWKS_URI_TLS} \
                     (the API service through the gateway's internal JWKS cluster, TLS on)",
                    v6_3::INTERNAL_JWKS_CLUSTER
                ));
            }
            "service" | "osmoauth" => {
                let new = renamed(&cluster).unwrap_or(v6_3::INTERNAL_JWKS_CLUSTER);
                set_entry(&mut item, "cluster", Value::String(new.to_owned()));
                questions.push(format!(
                    "provider {i} ({issuer}) fetched keys through cluster {cluster} from {uri}; 6.3.1's \
                     cluster for the API service's keys is {new} (gateway.envoy.internalJwks), which \
                     serves {INTERNAL_JWKS_URI_TLS}: check the JWKS URI"
                ));
            }
            other => questions.push(format!(
                "provider {i} ({issuer}) uses cluster `{other}`, which 6.3.1's gateway does not define: \
                 add it with gateway.envoy.extraClusters, or move the provider to cluster idp"
            )),
        }
        out.push(item);
    }
    let _ = ctx;
    let item = Item {
        value: Tree::Seq(out),
        comments: leaf.item.comments.clone(),
    };
    let puts = vec![Put {
        path: target,
        item,
        join: Join::UnionFromService,
    }];
    let note = (!notes.is_empty()).then(|| notes.join("; "));
    if questions.is_empty() {
        Verdict::Move { puts, note }
    } else {
        Verdict::Decide {
            question: questions.join("; "),
            puts,
        }
    }
}

fn skip_auth_paths(leaf: &Leaf, target: Path, default: &[&str]) -> Verdict {
    let Tree::Seq(items) = &leaf.item.value else {
        return Verdict::ask(
            "skipAuthPaths must be a list; this is not (the 6.2.10 chart failed to render it)",
        );
    };
    let paths: Vec<String> = items
        .iter()
        .map(|i| match i.to_json() {
            Value::String(s) => s,
            other => other.to_string(),
        })
        .collect();
    let removed: Vec<&str> = default
        .iter()
        .copied()
        .filter(|d| !paths.iter().any(|p| p == d))
        .collect();
    let extra: Vec<Item> = items
        .iter()
        .zip(&paths)
        .filter(|(_, p)| !v6_3::SKIP_AUTH_PATHS.contains(&p.as_str()))
        .map(|(i, _)| i.clone())
        .collect();
    let puts = if extra.is_empty() {
        Vec::new()
    } else {
        vec![Put {
            path: target,
            item: Item {
                value: Tree::Seq(extra),
                comments: leaf.item.comments.clone(),
            },
            join: Join::Union,
        }]
    };
    if !removed.is_empty() {
        return Verdict::Decide {
            question: format!(
                "this list left out {} of the chart's default paths, so they needed a token; 6.3.1's \
                 default list (gateway.envoy.skipAuthPaths) lets them through: keep that, or replace the \
                 whole list",
                removed.join(", ")
            ),
            puts,
        };
    }
    if puts.is_empty() {
        return Verdict::Drop(
            "every path is in 6.3.1's default list (gateway.envoy.skipAuthPaths), which applies"
                .to_owned(),
        );
    }
    Verdict::Move {
        puts,
        note: Some(
            "only the paths 6.3.1's default list lacks, added with extraSkipAuthPaths (a skipAuthPaths \
             list would replace the defaults)"
                .to_owned(),
        ),
    }
}

/// Renames clusters in every `cluster` of a route table.
fn rename_clusters(item: &mut Item, renames: &mut Vec<String>) {
    match &mut item.value {
        Tree::Map(entries) => {
            for e in entries {
                if e.key.name == "cluster"
                    && let Tree::Scalar(s) = &e.item.value
                    && let Some(old) = s.json.as_str()
                    && let Some(new) = renamed(old)
                {
                    renames.push(format!("{old} → {new}"));
                    e.item.value = Tree::Scalar(Scalar::of(Value::String(new.to_owned())));
                } else {
                    rename_clusters(&mut e.item, renames);
                }
            }
        }
        Tree::Seq(items) => items.iter_mut().for_each(|i| rename_clusters(i, renames)),
        Tree::Scalar(_) => {}
    }
}

fn routes(leaf: &Leaf, target: Path) -> Verdict {
    let mut item = leaf.item.clone();
    let mut renames = Vec::new();
    rename_clusters(&mut item, &mut renames);
    renames.dedup();
    Verdict::Decide {
        question: format!(
            "6.2.10's routes replaced the sidecar's own; 6.3.1's gateway routes /api/router, /api/agent, \
             /api/logger and the UI (/) itself, and gateway.envoy.serviceRoutes replaces only its routes \
             to the API service. Written there with the clusters renamed ({}): check that no route \
             catches paths the gateway routes elsewhere, or move routes to gateway.envoy.extraRoutes",
            if renames.is_empty() {
                "none needed".to_owned()
            } else {
                renames.join(", ")
            }
        ),
        puts: vec![Put {
            path: target,
            item,
            join: Join::No,
        }],
    }
}

fn envoy_switch(leaf: &Leaf, target: Path, json: &Value) -> Verdict {
    match json {
        Value::Bool(true) => Verdict::to(target, leaf.item.clone(), Join::No),
        Value::Bool(false) => {
            let off = |path: &str, first: bool| Put {
                path: Path::keys(path),
                item: if first {
                    with_value(leaf, Value::Bool(false))
                } else {
                    Item::scalar(Value::Bool(false))
                },
                join: Join::No,
            };
            Verdict::Move {
                puts: vec![off("gateway.oauth2Proxy.enabled", true), off("gateway.authz.enabled", false)],
                note: Some(
                    "6.2.10 ran the service without Envoy, so nothing checked requests; 6.3.1 always \
                     routes through the gateway's Envoy, which checks nothing either with oauth2-proxy \
                     and authz off and no JWT providers (its minimal mode)"
                        .to_owned(),
                ),
            }
        }
        other => Verdict::ask(format!(
            "sidecars.envoy.enabled is {}, not true or false: decide whether the gateway checks requests",
            shown(other)
        )),
    }
}

/// The host of `host:port` or of a URL.
fn host_of(s: &str) -> &str {
    let s = s.split_once("://").map_or(s, |(_, rest)| rest);
    let s = s.split(['/', '?', '#']).next().unwrap_or(s);
    s.rsplit_once(':').map_or(s, |(h, _)| h)
}

fn ui_api_hostname(leaf: &Leaf, target: Path, json: &Value) -> Verdict {
    let value = json.as_str().unwrap_or_default();
    let host = host_of(value);
    if host == "osmo-service" || host.starts_with("osmo-service.") {
        Verdict::Drop(format!(
            "6.3.1's UI must reach the API through the gateway (its upstream TLS is on); its default, \
             {}:80, does",
            v6_3::GATEWAY_NAME
        ))
    } else if host.starts_with("osmo-") {
        Verdict::ask(format!(
            "the UI called the API at {value}; 6.3.1's UI must go through the gateway: its default \
             {}:80 does",
            v6_3::GATEWAY_NAME
        ))
    } else {
        Verdict::to(target, leaf.item.clone(), Join::No)
    }
}

fn service_url(leaf: &Leaf, target: Path, json: &Value) -> Verdict {
    let Some(value) = json.as_str() else {
        return Verdict::to(target, leaf.item.clone(), Join::No);
    };
    let host = host_of(value);
    let mut labels = host.split('.');
    let first = labels.next().unwrap_or_default();
    if first != "osmo-agent" && first != "osmo-service" {
        return Verdict::to(target, leaf.item.clone(), Join::No);
    }
    let namespace = labels.next().filter(|n| !n.is_empty()).unwrap_or("osmo");
    let url = format!(
        "http://{}.{namespace}.svc.cluster.local",
        v6_3::GATEWAY_NAME
    );
    Verdict::Move {
        puts: vec![Put {
            path: target,
            item: with_value(leaf, Value::String(url.clone())),
            join: Join::No,
        }],
        note: Some(format!(
            "was {value}: 6.3.1 serves the agent's routes through the gateway, and {first} itself now \
             speaks only TLS"
        )),
    }
}

fn router_service_account(ctx: &Ctx<'_>, leaf: &Leaf, target: Path, json: &Value) -> Verdict {
    let created = ctx.switch(leaf.file, "serviceAccount.create", true);
    let name = ctx
        .value(leaf.file, &Path::keys("serviceAccount.name"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("router");
    if created && json.as_str() == Some(name) {
        Verdict::Drop(format!(
            "the ServiceAccount {name} belonged to the router release, which the upgrade uninstalls; \
             6.3.1 runs the router as the service chart's account (global.serviceAccountName), whose \
             annotations serviceAccount.annotations sets"
        ))
    } else {
        Verdict::to(target, leaf.item.clone(), Join::No)
    }
}

fn oauth2_proxy_redis(
    ctx: &Ctx<'_>,
    leaf: &Leaf,
    target: Path,
    json: &Value,
    copy_to: &str,
    default: &str,
) -> Verdict {
    let sessions = ctx.envoy_on(ChartName::Service)
        && ctx.chart_switch(ChartName::Service, "sidecars.oauth2Proxy.enabled", true)
        && ctx.chart_switch(
            ChartName::Service,
            "sidecars.oauth2Proxy.redisSessionStore",
            true,
        );
    let default: Value = serde_json::from_str(default).unwrap_or(Value::Null);
    let mut puts = vec![Put {
        path: target,
        item: leaf.item.clone(),
        join: Join::No,
    }];
    if !sessions || same(json, &default) {
        return Verdict::Move { puts, note: None };
    }
    puts.push(Put {
        path: Path::keys(copy_to),
        item: Item::scalar(json.clone()),
        join: Join::No,
    });
    Verdict::Move {
        puts,
        note: Some(format!(
            "also {copy_to}: 6.2.10's oauth2-proxy kept its sessions in this Redis, 6.3.1's reads its own \
             setting (default {}) for the {}",
            shown(&default),
            chart_words(ChartName::Service)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_at_the_tag_not_the_registry_port() {
        assert_eq!(
            split_image("reg:5000/envoy:v1"),
            ("reg:5000/envoy", Some("v1"))
        );
        assert_eq!(split_image("reg:5000/envoy"), ("reg:5000/envoy", None));
        assert_eq!(
            host_of("http://osmo-agent.osmo.svc.cluster.local:80/x"),
            "osmo-agent.osmo.svc.cluster.local"
        );
        assert_eq!(
            host_of("osmo-service.osmo.svc.cluster.local:80"),
            "osmo-service.osmo.svc.cluster.local"
        );
    }
}
