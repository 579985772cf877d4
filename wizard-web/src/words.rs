//! The help the wizard shows under a field, where the spec's own description
//! (core's doc comments, written for people editing `spec.yaml`) speaks in keys
//! and YAML values the form does not show (`operatorNodes`, `null`,
//! `exposure: loadBalancer`): the same facts in the words of the form.

use osmo_values::path::{Path, Segment};

/// The wizard's help for the field at `path`, when the spec's description names keys.
///
/// ```
/// use osmo_values::path::Path;
/// let nodes = Path::keys("backends").index(0).key("operatorNodes");
/// assert!(wizard_web::words::hint(&nodes).unwrap().contains("any node"));
/// assert_eq!(wizard_web::words::hint(&Path::keys("domain")), None);
/// ```
pub fn hint(path: &Path) -> Option<&'static str> {
    // The path without list indexes: `backends[1].kind` → `backends.kind`.
    let keys: Vec<&str> = path
        .0
        .iter()
        .filter_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            Segment::Index(_) => None,
        })
        .collect();
    Some(match keys.as_slice() {
        ["ingress", "tlsSecret"] => {
            "Name of the TLS secret (in namespace `osmo`) the Ingress serves HTTPS with. Leave it empty when TLS ends in front of the Ingress, or with the `alb` Ingress class (AWS), which serves the ACM certificate given below instead."
        }
        ["ingress", "alb"] => {
            "Settings of the AWS Application Load Balancer, needed with the `alb` Ingress class."
        }
        ["gateway", "exposure"] => {
            "How clients reach the gateway: through an Ingress of the class chosen below, in front of the gateway (default); or through the gateway's own Service of type LoadBalancer, which the cloud's load balancer forwards to."
        }
        ["gateway", "tlsSecret"] => {
            "Name of a `kubernetes.io/tls` Secret (keys `tls.crt`, `tls.key`) in namespace `osmo` for the domain: the gateway then serves HTTPS itself, on both ports of its load balancer. Leave it empty when TLS ends in front of the gateway."
        }
        ["gateway", "serviceAnnotations"] => {
            "Annotations on the gateway's load balancer Service, such as the cloud's annotation for an internal load balancer or a TLS certificate."
        }
        ["backends", "kind"] => {
            "What kind of cluster it is: on-premises, Amazon EKS, Azure AKS, Google GKE or another (default). It chooses the guide's requirements that `osmo-values preflight` checks and the node pools NEXT_STEPS.md suggests."
        }
        ["backends", "operatorNodes"] => {
            "Label of the dedicated nodes the operator runs on, as `key=value`; left empty, the guides' label `node-type=operator` is used. An operator that runs on any node (no label at all) is set in spec.yaml, not in this form."
        }
        ["backends", "operatorTaint"] => {
            "A taint on the operator nodes that the operator tolerates and workflow pods do not, such as key `dedicated`, value `osmo-operator`, effect No schedule. It needs the operator nodes' label above."
        }
        ["backends", "operatorTaint", "effect"] => {
            "What the taint does to pods that do not tolerate it (default: No schedule, new pods are not scheduled on the node)."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::form::{SpecSchema, initial_spec, set};
    use osmo_values::path::Path;
    use serde_json::{Value, json};

    /// Whether a help text names a spec key or a YAML value the form does not show:
    /// a camelCase word or a dotted key path in code, or `null`.
    fn names_a_key(hint: &str) -> Option<String> {
        hint.split('`')
            .skip(1)
            .step_by(2)
            .find(|code| {
                let camel = code.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && code.chars().any(|c| c.is_ascii_uppercase())
                    && !code.contains(' ');
                camel || *code == "null" || code.contains(": ")
            })
            .map(str::to_owned)
    }

    /// Every field the form shows, under every choice that changes the fields shown.
    #[test]
    fn no_help_the_form_shows_names_a_spec_key() {
        let schema = SpecSchema::new();
        let mut specs = Vec::new();
        for provider in schema.variants(&Path::keys("authentication")) {
            let mut spec = initial_spec();
            let skeleton = schema.skeleton(
                &spec,
                &Path::keys("authentication"),
                &[("provider", &provider.1)],
            );
            set(&mut spec, &Path::keys("authentication"), Some(skeleton));
            specs.push(spec);
        }
        for kind in schema.variants(&Path::keys("storage.credentials")) {
            let mut spec = initial_spec();
            set(
                &mut spec,
                &Path::keys("storage.credentials"),
                Some(json!({"kind": kind.1})),
            );
            specs.push(spec);
        }
        let mut alb = initial_spec();
        set(
            &mut alb,
            &Path::keys("ingress.className"),
            Some(Value::from("alb")),
        );
        set(&mut alb, &Path::keys("ingress.alb"), Some(json!({})));
        set(
            &mut alb,
            &Path::keys("gateway.exposure"),
            Some(Value::from("loadBalancer")),
        );
        set(
            &mut alb,
            &Path::keys("backends").index(0).key("operatorTaint"),
            Some(json!({"key": "k"})),
        );
        specs.push(alb);
        let mut found = Vec::new();
        for spec in &specs {
            let mut paths = Vec::new();
            // The sections the steps show (the sizing overrides are no field of the form).
            for section in [
                "release",
                "domain",
                "images",
                "monitoring",
                "authentication",
                "ingress",
                "gateway",
                "storage",
                "configMapMode",
                "postgres",
                "redis",
            ] {
                walk(&schema, spec, Path::keys(section), &mut paths);
            }
            paths.push(Path::keys("sizing.preset"));
            walk(&schema, spec, Path::keys("backends").index(0), &mut paths);
            for path in paths {
                let Some(info) = schema.field(spec, &path) else {
                    continue;
                };
                if let Some(key) = names_a_key(&info.hint) {
                    found.push(format!("{path}: `{key}` in {:?}", info.hint));
                }
            }
        }
        found.sort();
        found.dedup();
        assert_eq!(found, Vec::<String>::new());
    }

    fn walk(schema: &SpecSchema, spec: &Value, at: Path, out: &mut Vec<Path>) {
        out.push(at.clone());
        for k in schema.keys(spec, &at) {
            walk(schema, spec, at.clone().key(k), out);
        }
    }
}
