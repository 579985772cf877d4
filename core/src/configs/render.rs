//! From `services.configs` to the ConfigMap's `config.yaml`, as the 6.3
//! chart renders it, and the service's own preparation before it validates.

use serde_json::{Map, Value};

use super::Section;
use crate::path::{Path, Segment};

/// Truthiness as Go templates judge it: `false`, `0`, `""`, `null` and empty
/// lists and maps are false.
pub(crate) fn go_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Removes `null` map entries, as Helm does when it merges values (not
/// inside lists, which Helm copies as they are).
fn strip_nulls(v: &mut Value) {
    if let Value::Object(map) = v {
        map.retain(|_, v| !v.is_null());
        map.values_mut().for_each(strip_nulls);
    }
}

/// The content of the ConfigMap's `config.yaml` that the chart renders from
/// `configs` (the effective `services.configs`), as JSON.
///
/// Each section is written only when its value is not empty, under its
/// snake_case key; `service.service_base_url` becomes
/// `https://<services.service.hostname>` when the service section is not
/// empty, does not set it, and a host name is given. Other keys under
/// `services.configs` are not written.
///
/// ```
/// use serde_json::json;
/// use osmo_values::configs::render_config_map;
/// let doc = render_config_map(
///     &json!({"service": {"agent_queue_size": 2048}, "podTemplates": {"t": {"spec": {}}},
///             "dataset": {}, "pod_templates": {"lost": {}}}),
///     Some("osmo.example.com"),
/// );
/// assert_eq!(doc, json!({
///     "service": {"agent_queue_size": 2048, "service_base_url": "https://osmo.example.com"},
///     "pod_templates": {"t": {"spec": {}}}
/// }));
/// ```
pub fn render_config_map(configs: &Value, service_hostname: Option<&str>) -> Value {
    let mut doc = Map::new();
    let Some(block) = configs.as_object() else {
        return Value::Object(doc);
    };
    for section in Section::ALL {
        let Some(value) = block.get(section.helm_key()) else {
            continue;
        };
        if !go_truthy(value) {
            continue;
        }
        let mut value = value.clone();
        strip_nulls(&mut value);
        if section == Section::Service
            && let Value::Object(service) = &mut value
            && !service.get("service_base_url").is_some_and(go_truthy)
            && let Some(host) = service_hostname.filter(|h| !h.is_empty())
        {
            service.insert(
                "service_base_url".into(),
                Value::String(format!("https://{host}")),
            );
        }
        doc.insert(section.configmap_key().into(), value);
    }
    Value::Object(doc)
}

/// What the service does to the rendered document before validating it,
/// apart from reading Secrets: a bucket's `default_credential` without
/// `endpoint` gets the bucket's `dataset_path`.
///
/// ```
/// use serde_json::json;
/// let mut doc = json!({"dataset": {"buckets": {"b": {"dataset_path": "s3://d",
///     "default_credential": {"access_key_id": "k", "access_key": "s"}}}}});
/// osmo_values::configs::prepare_document(&mut doc);
/// assert_eq!(doc["dataset"]["buckets"]["b"]["default_credential"]["endpoint"], "s3://d");
/// ```
pub fn prepare_document(doc: &mut Value) {
    let Some(buckets) = doc
        .pointer_mut("/dataset/buckets")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for bucket in buckets.values_mut() {
        let Some(bucket) = bucket.as_object_mut() else {
            continue;
        };
        // A missing or non-text path is reported on its own; do not report
        // it a second time through a copied endpoint.
        let Some(path) = bucket
            .get("dataset_path")
            .filter(|p| p.is_string())
            .cloned()
        else {
            continue;
        };
        if let Some(Value::Object(cred)) = bucket.get_mut("default_credential")
            && !cred.contains_key("endpoint")
            && !super::validate::is_secret_reference(cred)
        {
            cred.insert("endpoint".into(), path);
        }
    }
}

/// The values path (`services.configs.podTemplates...`) of a path into the
/// rendered document (`pod_templates...`).
pub(crate) fn helm_path(doc_path: &Path) -> Path {
    let mut out = super::configs_path();
    for (i, seg) in doc_path.0.iter().enumerate() {
        match seg {
            Segment::Key(k) if i == 0 => {
                let key = match Section::from_configmap_key(k) {
                    Some(section) => section.helm_key().to_owned(),
                    None => k.clone(),
                };
                out.push(Segment::Key(key));
            }
            other => out.push(other.clone()),
        }
    }
    out
}
