//! `roles` as the Go authorization service reads them: a strict YAML
//! decoder into lists and strings, then action and resource matching.

use serde_json::{Map, Value};

use super::super::render::helm_path;
use super::{ConfigFinding, kind_of};
use crate::lint::code;
use crate::path::Path;

/// YAML 1.1 booleans the Go decoder still accepts for a boolean field.
const GO_BOOL_WORDS: [&str; 16] = [
    "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off",
    "OFF",
];

fn is_scalar(v: &Value) -> bool {
    !(v.is_array() || v.is_object())
}

/// Reports what stops the authorization service or makes it skip a role;
/// returns the document paths reported.
pub(super) fn check(doc: &Value, out: &mut Vec<ConfigFinding>) -> Vec<Path> {
    let mut seen = Vec::new();
    let Some(Value::Object(roles)) = doc.get("roles") else {
        return seen;
    };
    let mut report = |path: Path, message: String, help: &str, out: &mut Vec<ConfigFinding>| {
        out.push(
            ConfigFinding::new(code::CONFIGS_AUTHZ_ROLES, helm_path(&path), message).help(help),
        );
        seen.push(path);
    };
    let stops = "the authorization service stops at start and every API call fails";
    for (name, role) in roles {
        let base = Path::root().key("roles").key(name.clone());
        let role = match role {
            Value::Null => continue,
            Value::Object(r) => r,
            other => {
                report(
                    base,
                    format!("role `{name}` is {}, not a map: {stops}", kind_of(other)),
                    "write the role as a map with `description` and `policies`",
                    out,
                );
                continue;
            }
        };
        if let Some(d) = role.get("description")
            && !is_scalar(d)
        {
            report(
                base.clone().key("description"),
                format!(
                    "the description of role `{name}` is {}: {stops}",
                    kind_of(d)
                ),
                "write the description as text",
                out,
            );
        }
        if let Some(i) = role.get("immutable")
            && !(i.is_boolean()
                || i.is_null()
                || i.as_str().is_some_and(|s| GO_BOOL_WORDS.contains(&s)))
        {
            report(
                base.clone().key("immutable"),
                format!(
                    "`immutable` of role `{name}` is {} `{}`, not true or false: {stops}",
                    kind_of(i),
                    i.as_str().map_or_else(|| i.to_string(), str::to_owned)
                ),
                "write `true` or `false` without quotes",
                out,
            );
        }
        list_of_scalars(role, "external_roles", &base, name, &mut report, out);
        match role.get("policies") {
            None | Some(Value::Null) => {}
            Some(Value::Array(policies)) => {
                for (i, p) in policies.iter().enumerate() {
                    let at = base.clone().key("policies").index(i);
                    match p {
                        Value::Null => {}
                        Value::Object(policy) => check_policy(policy, &at, name, &mut report, out),
                        other => report(
                            at,
                            format!(
                                "policy {i} of role `{name}` is {}, not a map: {stops}",
                                kind_of(other)
                            ),
                            "write each policy as a map with `actions` and `resources`",
                            out,
                        ),
                    }
                }
            }
            Some(other) => report(
                base.clone().key("policies"),
                format!(
                    "`policies` of role `{name}` is {}, not a list: {stops}",
                    kind_of(other)
                ),
                "write `policies` as a list of maps: `- actions: [...]`",
                out,
            ),
        }
    }
    seen
}

type Report<'r> = dyn FnMut(Path, String, &str, &mut Vec<ConfigFinding>) + 'r;

fn list_of_scalars(
    map: &Map<String, Value>,
    key: &str,
    base: &Path,
    role: &str,
    report: &mut Report<'_>,
    out: &mut Vec<ConfigFinding>,
) {
    let stops = "the authorization service stops at start and every API call fails";
    match map.get(key) {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if !is_scalar(item) {
                    report(
                        base.clone().key(key).index(i),
                        format!(
                            "`{key}[{i}]` of role `{role}` is {}, not text: {stops}",
                            kind_of(item)
                        ),
                        "write each item as text",
                        out,
                    );
                }
            }
        }
        Some(other) => report(
            base.clone().key(key),
            format!(
                "`{key}` of role `{role}` is {}, not a list: {stops}",
                kind_of(other)
            ),
            "write a list, even of one item: `[\"...\"]`",
            out,
        ),
    }
}

fn check_policy(
    policy: &Map<String, Value>,
    at: &Path,
    role: &str,
    report: &mut Report<'_>,
    out: &mut Vec<ConfigFinding>,
) {
    let stops = "the authorization service stops at start and every API call fails";
    if let Some(e) = policy.get("effect")
        && !is_scalar(e)
    {
        report(
            at.clone().key("effect"),
            format!("`effect` in role `{role}` is {}: {stops}", kind_of(e)),
            "write `Allow` or `Deny`",
            out,
        );
    }
    list_of_scalars(policy, "resources", at, role, report, out);
    match policy.get("actions") {
        None | Some(Value::Null) => {}
        Some(Value::Array(actions)) => {
            for (j, a) in actions.iter().enumerate() {
                match a {
                    Value::String(_) | Value::Object(_) => {}
                    other => report(
                        at.clone().key("actions").index(j),
                        format!(
                            "action {j} of role `{role}` is {}, not text: the authorization \
                             service skips the whole role, so its users lose every permission it gives",
                            kind_of(other)
                        ),
                        "write the action as text in quotes, such as \"workflow:Create\"",
                        out,
                    ),
                }
            }
        }
        Some(other) => report(
            at.clone().key("actions"),
            format!(
                "`actions` in role `{role}` is {}, not a list: {stops}",
                kind_of(other)
            ),
            "write a list, even of one action: `[\"workflow:*\"]`",
            out,
        ),
    }
}

/// One policy as the authorization service evaluates it.
struct GoPolicy {
    deny: bool,
    other_effect: bool,
    actions: Vec<String>,
    resources: Vec<String>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn go_policies(role: &Value) -> Vec<GoPolicy> {
    role.get("policies")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .filter_map(Value::as_object)
                .map(|p| {
                    let effect = p.get("effect").and_then(Value::as_str).unwrap_or("");
                    GoPolicy {
                        deny: effect == "Deny",
                        other_effect: !matches!(effect, "" | "Allow" | "Deny"),
                        actions: strings(p.get("actions")),
                        resources: strings(p.get("resources")),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A policy action pattern against an action: `*`, `*:*`, `workflow:*`, `*:Read`.
fn action_matches(pattern: &str, action: &str) -> bool {
    if pattern == action || pattern == "*" || pattern == "*:*" {
        return true;
    }
    if let Some(prefix) = pattern.strip_suffix(":*") {
        return action.starts_with(&format!("{prefix}:"));
    }
    if let Some(suffix) = pattern.strip_prefix("*:") {
        return action.ends_with(&format!(":{suffix}"));
    }
    false
}

/// A policy resource pattern against a resource: `*`, `pool/*`, `pool/team-*`.
fn resource_matches(pattern: &str, resource: &str) -> bool {
    if resource.is_empty() || pattern == resource || pattern == "*" {
        return true;
    }
    if let Some(prefix) = pattern.strip_suffix("/*") {
        return resource.starts_with(&format!("{prefix}/")) || resource == format!("{prefix}/*");
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return resource.starts_with(prefix);
    }
    false
}

/// Whether a role allows `action` on `resource`; a matching Deny wins.
fn allows(role: &Value, action: &str, resource: &str) -> bool {
    let mut allowed = false;
    for p in go_policies(role) {
        if p.other_effect || !p.actions.iter().any(|a| action_matches(a, action)) {
            continue;
        }
        let on = if p.resources.is_empty() {
            resource.is_empty()
        } else {
            p.resources.iter().any(|r| resource_matches(r, resource))
        };
        if on {
            if p.deny {
                return false;
            }
            allowed = true;
        }
    }
    allowed
}

/// A role that allows everything everywhere (an administrator).
fn is_administrator(role: &Value) -> bool {
    allows(role, "anything:Whatever", "anything/whatever")
}

/// Warns about pools no role other than an administrator's may submit to.
pub(super) fn pool_coverage(doc: &Value, out: &mut Vec<ConfigFinding>) {
    let Some(Value::Object(pools)) = doc.get("pools") else {
        return;
    };
    let roles = doc
        .get("roles")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let users: Vec<(&String, &Value)> =
        roles.iter().filter(|(_, r)| !is_administrator(r)).collect();
    for name in pools.keys() {
        let resource = format!("pool/{name}");
        if users
            .iter()
            .any(|(_, r)| allows(r, "workflow:Create", &resource))
        {
            continue;
        }
        let mut f = ConfigFinding::new(
            code::CONFIGS_POOL_NOT_SUBMITTABLE,
            helm_path(&Path::root().key("pools").key(name.clone())),
            format!(
                "no role except administrators' allows `workflow:Create` on `pool/{name}`: \
                 users get 403 when they submit workflows to pool `{name}`"
            ),
        )
        .help(format!(
            "add `pool/{name}` to the `resources` of the policy giving `workflow:*` in the \
             role your users have (osmo-user); setting `policies` replaces the chart's list, \
             so repeat the policies you keep"
        ));
        if roles.contains_key("osmo-user") {
            f = f.related(
                helm_path(&Path::root().key("roles").key("osmo-user").key("policies")),
                "the chart's user role; it allows `workflow:*` only on the pools listed here",
            );
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matching_follows_the_authorization_service() {
        assert!(action_matches("workflow:*", "workflow:Create"));
        assert!(action_matches("*:Create", "workflow:Create"));
        assert!(!action_matches("workflow:Read", "workflow:Create"));
        assert!(resource_matches("pool/*", "pool/gpu"));
        assert!(resource_matches("pool/team-*", "pool/team-a"));
        assert!(!resource_matches("pool/default", "pool/gpu"));
        let user = json!({"policies": [
            {"actions": ["workflow:*"], "resources": ["pool/*"]},
            {"effect": "Deny", "actions": ["workflow:Create"], "resources": ["pool/secret"]}]});
        assert!(allows(&user, "workflow:Create", "pool/gpu"));
        assert!(!allows(&user, "workflow:Create", "pool/secret"));
        let unscoped = json!({"policies": [{"actions": ["workflow:*"]}]});
        assert!(!allows(&unscoped, "workflow:Create", "pool/gpu"));
        assert!(is_administrator(
            &json!({"policies": [{"actions": ["*:*"], "resources": ["*"]}]})
        ));
        assert!(!is_administrator(&user));
    }
}
