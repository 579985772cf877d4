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

/// The content of the ConfigMap's `config.yaml` that the chart renders from
/// `configs` (the effective `services.configs`), as JSON.
///
/// Each section is written only when its value is not empty, under its
/// snake_case key; `service.service_base_url` becomes
/// `https://<services.service.hostname>` when the service section is not
/// empty, does not set it, and a host name is given. Other keys under
/// `services.configs` are not written. A `null` that Helm kept (a key set
/// to `null` that the chart's defaults do not have) is written as `null`.
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

/// How the service misreads a text value the chart writes into the
/// ConfigMap: the chart's YAML writer leaves some text unquoted that the
/// service's YAML reader (PyYAML, YAML 1.1) reads otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misread {
    /// `=`, `<<` or an impossible date such as `2024-13-01`: the service
    /// cannot read the ConfigMap at all.
    Unreadable,
    /// Read as a date and time, not text.
    DateTime,
}

/// Whether the service misreads this text once the chart has written it
/// (measured with the Helm engine and PyYAML).
///
/// ```
/// use osmo_values::configs::render::{misread, Misread};
/// assert_eq!(misread("="), Some(Misread::Unreadable));
/// assert_eq!(misread("2024-05-01 10:00:00Z"), Some(Misread::DateTime));
/// assert_eq!(misread("2024-05-01 10:00:00"), None, "the chart quotes this one");
/// assert_eq!(misread("7d"), None);
/// ```
pub fn misread(text: &str) -> Option<Misread> {
    if text == "=" || text == "<<" {
        return Some(Misread::Unreadable);
    }
    if text.contains('\t') || text.contains("  ") {
        // The chart's writer quotes text with tabs or runs of spaces.
        return None;
    }
    if !yaml11_timestamp(text) || go_timestamp(text) {
        return None;
    }
    // PyYAML builds the date and time, and fails on an impossible one.
    Some(if timestamp_fields_valid(text) {
        Misread::DateTime
    } else {
        Misread::Unreadable
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Whether a YAML 1.1 timestamp names a real date and time.
fn timestamp_fields_valid(s: &str) -> bool {
    let Some(((y, mo, d), rest)) = date(s, false) else {
        return false;
    };
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || y == 0 {
        return false;
    }
    let rest = rest.trim_start_matches(['T', 't', ' ', '\t']);
    if rest.is_empty() {
        return true;
    }
    clock(rest, 2, usize::MAX).is_some_and(|((h, m, sec), _)| h < 24 && m < 60 && sec < 60)
}

/// Splits `n` ASCII digits (between `min` and `max` of them) off the front.
fn digits(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    (n >= min).then(|| (s[..n].parse().unwrap_or(u32::MAX), &s[n..]))
}

/// `YYYY-M-D` (one or two digits for month and day); the rest.
fn date(s: &str, two_digit: bool) -> Option<((u32, u32, u32), &str)> {
    let min = if two_digit { 2 } else { 1 };
    let (y, r) = digits(s, 4, 4)?;
    let (m, r) = digits(r.strip_prefix('-')?, min, 2)?;
    let (d, r) = digits(r.strip_prefix('-')?, min, 2)?;
    Some(((y, m, d), r))
}

/// `H:MM:SS` with an optional fraction (`min_digits` for the hour and
/// minutes); the rest.
fn clock(s: &str, minute_digits: usize, max_fraction: usize) -> Option<((u32, u32, u32), &str)> {
    let (h, r) = digits(s, 1, 2)?;
    let (m, r) = digits(r.strip_prefix(':')?, minute_digits, 2)?;
    let (sec, mut r) = digits(r.strip_prefix(':')?, minute_digits, 2)?;
    if let Some(f) = r.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n > max_fraction || (n == 0 && max_fraction < usize::MAX) {
            return None;
        }
        r = &f[n..];
    }
    Some(((h, m, sec), r))
}

/// PyYAML's timestamp: a date, or a date, `T`/`t`/blanks, a time, an
/// optional fraction and an optional zone (`Z`, `+1`, `-05:00`).
fn yaml11_timestamp(s: &str) -> bool {
    if let Some((_, "")) = date(s, true) {
        return true;
    }
    let Some((_, rest)) = date(s, false) else {
        return false;
    };
    let rest = match rest.strip_prefix(['T', 't']) {
        Some(r) => r,
        None => {
            let trimmed = rest.trim_start_matches([' ', '\t']);
            if trimmed.len() == rest.len() {
                return false;
            }
            trimmed
        }
    };
    let Some((_, zone)) = clock(rest, 2, usize::MAX) else {
        return false;
    };
    let zone = zone.trim_start_matches([' ', '\t']);
    if zone.is_empty() || zone == "Z" {
        return true;
    }
    let Some(z) = zone.strip_prefix(['+', '-']) else {
        return false;
    };
    match digits(z, 1, 2) {
        Some((_, "")) => true,
        Some((_, r)) => r
            .strip_prefix(':')
            .and_then(|m| digits(m, 2, 2))
            .is_some_and(|(_, r)| r.is_empty()),
        None => false,
    }
}

/// The timestamps the chart's writer recognises (and so quotes): Go's
/// `2006-1-2T15:4:5.999999999Z07:00` (also with `t`), `2006-1-2 15:4:5.999999999`
/// and `2006-1-2`, with valid field ranges.
fn go_timestamp(s: &str) -> bool {
    let Some(((y, mo, d), rest)) = date(s, false) else {
        return false;
    };
    let valid_date = (1..=12).contains(&mo) && d >= 1 && d <= days_in_month(y, mo);
    if rest.is_empty() {
        return valid_date;
    }
    let (zoned, rest) = match rest.as_bytes()[0] {
        b'T' | b't' => (true, &rest[1..]),
        b' ' => (false, &rest[1..]),
        _ => return false,
    };
    let Some(((h, m, sec), zone)) = clock(rest, 1, 9) else {
        return false;
    };
    let valid = valid_date && h < 24 && m < 60 && sec < 60;
    if !zoned {
        return valid && zone.is_empty();
    }
    let zone_ok = zone == "Z"
        || zone.strip_prefix(['+', '-']).is_some_and(|z| {
            z.len() == 5
                && z.as_bytes()[2] == b':'
                && z.bytes()
                    .enumerate()
                    .all(|(i, b)| i == 2 || b.is_ascii_digit())
        });
    valid && zone_ok
}
