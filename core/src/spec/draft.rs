//! A spec from answers still being given: what the browser wizard previews
//! from the first keystroke.
//!
//! [`draft`] reads the answers as they are and returns every problem (of
//! shape, in words, and of [`DeploymentSpec::validate`]) together with a spec
//! that generates. Where an answer is missing or wrong, the spec carries the
//! field's default, leaves an optional field out, or, for an answer only the
//! operator can give (the domain, a host, an IdP's IDs), a placeholder that
//! says `unanswered` and is valid where it stands. Each placeholder is listed
//! with its field, so a preview can mark it; a draft with placeholders or
//! problems is never ready to ship ([`Draft::ready`]).
//!
//! ```
//! use osmo_values::spec::draft::{draft, PLACEHOLDER_MARK};
//! let d = draft(&serde_json::json!({"postgres": {"host": "db.example.com", "port": "x"}}));
//! let spec = d.spec.as_ref().unwrap();
//! assert!(spec.validate().is_empty());
//! assert_eq!(spec.postgres.port, 5432);
//! let fields: Vec<String> = d.placeholders.iter().map(|p| p.path.to_string()).collect();
//! assert_eq!(&fields[..3], ["domain", "redis.host", "storage.logUri"]);
//! assert!(spec.domain.contains(PLACEHOLDER_MARK));
//! assert!(!d.ready());
//! ```

use serde_json::{Map, Value};

use super::read::{self, shape_problems};
use super::{DeploymentSpec, SpecProblem};
use crate::path::{Path, Segment};

/// The word every placeholder contains, for a preview to find and mark.
pub const PLACEHOLDER_MARK: &str = "unanswered";

/// A field the draft filled with a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// The field.
    pub path: Path,
    /// The placeholder it holds in the draft's spec.
    pub text: String,
}

/// Answers being given, read as far as they go.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// A spec that generates: the answers, with defaults and placeholders where an answer is
    /// missing or wrong. `None` only when no repair made the answers valid.
    pub spec: Option<DeploymentSpec>,
    /// Every problem of the answers, each at its field: first those of shape (a wrong type,
    /// an unknown key), then those [`DeploymentSpec::validate`] finds.
    pub problems: Vec<SpecProblem>,
    /// The fields holding a placeholder, in the order they were filled.
    pub placeholders: Vec<Placeholder>,
}

impl Draft {
    /// Whether the answers are complete and valid: the spec is the operator's own.
    pub fn ready(&self) -> bool {
        self.spec.is_some() && self.problems.is_empty() && self.placeholders.is_empty()
    }
}

/// Reads answers as far as they go (see the [module](self) documentation).
pub fn draft(answers: &Value) -> Draft {
    let mut problems = shape_problems(answers);
    let mut repaired = answers.clone();
    if !repaired.is_object() {
        repaired = Value::Object(Map::new());
    }
    let mut placeholders = Vec::new();
    let mut validated = false;
    let mut spec = None;
    for _ in 0..8 {
        // Shape first: each round repairs what the previous one exposed (an object put in
        // place of a wrong value may lack its required keys).
        for _ in 0..8 {
            let found = shape_problems(&repaired);
            if found.is_empty() {
                break;
            }
            for p in found {
                repair(&mut repaired, &p, &mut placeholders);
            }
        }
        let Ok(s) = serde_json::from_value::<DeploymentSpec>(repaired.clone()) else {
            break;
        };
        let found = s.validate();
        if !validated {
            // The operator's answers as given (repairs of shape aside) are what the
            // problems describe.
            problems.extend(found.iter().cloned());
            validated = true;
        }
        if found.is_empty() {
            spec = Some(s);
            break;
        }
        for p in found {
            repair(&mut repaired, &p, &mut placeholders);
        }
    }
    // An answer counts once, however many rounds it took.
    placeholders.dedup_by(|a, b| a.path == b.path);
    Draft {
        spec,
        problems,
        placeholders,
    }
}

/// Repairs the field of one problem: its default, else leaving it out when it is optional,
/// else a placeholder, else leaving out the optional group it belongs to.
fn repair(spec: &mut Value, problem: &SpecProblem, placeholders: &mut Vec<Placeholder>) {
    let mut path = problem.path.clone();
    loop {
        let info = read::field(spec, &path);
        let current = pointer(spec, &path);
        if let Some(default) = info.as_ref().and_then(|f| f.default.clone())
            && current != Some(&default)
        {
            set(spec, &path, Some(default));
            return;
        }
        if let Some(text) = placeholder(spec, &path)
            && current.and_then(Value::as_str) != Some(text.as_str())
            // A union's `kind` is no field of the union until it is chosen.
            && info
                .as_ref()
                .map_or(path.last() == Some(&Segment::Key("kind".into())), |f| f.string)
        {
            set(spec, &path, Some(Value::String(text.clone())));
            placeholders.retain(|p| p.path != path);
            placeholders.push(Placeholder { path, text });
            return;
        }
        let optional = info.as_ref().is_none_or(|f| f.optional);
        if optional && current.is_some() && !path.is_root() {
            set(spec, &path, None);
            placeholders.retain(|p| !p.path.0.starts_with(&path.0));
            return;
        }
        if current.is_none() && info.as_ref().is_some_and(|f| f.object) {
            set(spec, &path, Some(Value::Object(Map::new())));
            return;
        }
        match path.parent() {
            Some(parent) if !parent.is_root() => path = parent,
            _ => return,
        }
    }
}

/// The placeholder of a field only the operator can answer, valid where it stands in
/// `answers`.
///
/// ```
/// use osmo_values::path::Path;
/// use osmo_values::spec::draft::placeholder;
/// let google = serde_json::json!({"authentication": {"provider": "google"}});
/// let id = placeholder(&google, &Path::keys("authentication.clientId")).unwrap();
/// assert!(id.ends_with(".apps.googleusercontent.com"));
/// assert_eq!(placeholder(&google, &Path::keys("images.tag")), None);
/// ```
pub fn placeholder(answers: &Value, path: &Path) -> Option<String> {
    let is_google = || answers.pointer("/authentication/provider") == Some(&"google".into());
    let keys: Vec<&str> = path
        .0
        .iter()
        .map(|s| match s {
            Segment::Key(k) => k.as_str(),
            Segment::Index(_) => "",
        })
        .collect();
    let text = match keys.as_slice() {
        ["domain"] => "unanswered.domain".to_owned(),
        ["postgres", "host"] => "unanswered.postgres.host".to_owned(),
        ["redis", "host"] => "unanswered.redis.host".to_owned(),
        ["authentication", "clientId"] if is_google() => {
            "unanswered.apps.googleusercontent.com".to_owned()
        }
        ["authentication", "region"] => "xx-unanswered-1".to_owned(),
        ["authentication", "domain"] => "unanswered.idp.domain".to_owned(),
        ["authentication", "baseUrl"] => "https://unanswered.idp.host".to_owned(),
        ["authentication", url] if url.ends_with("Uri") || url.ends_with("Endpoint") => {
            format!("https://unanswered.idp.host/{url}")
        }
        ["authentication", "issuer"] => "https://unanswered.idp.host".to_owned(),
        ["authentication", _] => "unanswered".to_owned(),
        ["ingress", "alb", "certificateArn"] => {
            "arn:aws:acm:xx-unanswered-1:000000000000:certificate/unanswered".to_owned()
        }
        ["storage", "logUri"] => "s3://unanswered/logs".to_owned(),
        ["storage", "dataUri"] => "s3://unanswered/data".to_owned(),
        ["storage", "region"] => "xx-unanswered-1".to_owned(),
        ["storage", "credentials", "kind"] => "static".to_owned(),
        ["storage", "credentials", "roleArn"] => {
            "arn:aws:iam::000000000000:role/unanswered".to_owned()
        }
        // A GUID cannot say it: the field is listed all the same.
        ["storage", "credentials", "clientId"] => "00000000-0000-0000-0000-000000000000".to_owned(),
        ["storage", "credentials", "serviceAccount"] => {
            "unanswered@unanswered.iam.gserviceaccount.com".to_owned()
        }
        ["backends", "", "name"] => match path.0.get(1) {
            Some(Segment::Index(i)) => format!("unanswered-{}", i + 1),
            _ => return None,
        },
        _ => return None,
    };
    Some(text)
}

fn pointer<'a>(v: &'a Value, path: &Path) -> Option<&'a Value> {
    path.0.iter().try_fold(v, |v, seg| match seg {
        Segment::Key(k) => v.get(k),
        Segment::Index(i) => v.get(*i),
    })
}

fn set(v: &mut Value, path: &Path, new: Option<Value>) {
    let Some((last, parents)) = path.0.split_last() else {
        return;
    };
    let mut at = v;
    for seg in parents {
        at = match seg {
            Segment::Key(k) => {
                if !at.is_object() {
                    *at = Value::Object(Map::new());
                }
                match at.as_object_mut() {
                    Some(m) => m.entry(k.clone()).or_insert(Value::Object(Map::new())),
                    None => return,
                }
            }
            Segment::Index(i) => match at.get_mut(*i) {
                Some(x) => x,
                None => return,
            },
        };
    }
    match (last, new) {
        (Segment::Key(k), Some(n)) => {
            if !at.is_object() {
                *at = Value::Object(Map::new());
            }
            if let Some(m) = at.as_object_mut() {
                m.insert(k.clone(), n);
            }
        }
        (Segment::Key(k), None) => {
            if let Some(m) = at.as_object_mut() {
                m.shift_remove(k);
            }
        }
        (Segment::Index(i), Some(n)) => {
            if let Some(x) = at.get_mut(*i) {
                *x = n;
            }
        }
        (Segment::Index(i), None) => {
            if let Some(a) = at.as_array_mut()
                && *i < a.len()
            {
                a.remove(*i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(d: &Draft) -> Vec<String> {
        d.placeholders.iter().map(|p| p.path.to_string()).collect()
    }

    #[test]
    fn nothing_answered_still_generates_with_every_answer_marked() {
        let d = draft(&json!({}));
        let spec = d.spec.as_ref().expect("a spec");
        assert_eq!(spec.validate(), vec![]);
        assert_eq!(
            paths(&d),
            [
                "domain",
                "postgres.host",
                "redis.host",
                "storage.logUri",
                "storage.dataUri",
                "storage.credentials.kind"
            ]
        );
        for p in &d.placeholders[..5] {
            assert!(p.text.contains(PLACEHOLDER_MARK), "{}", p.text);
        }
        let problems: Vec<String> = d.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "domain: is required",
                "postgres: is required",
                "redis: is required",
                "storage: in ConfigMap mode OSMO reads the workflow storage from the values only (its `osmo config` commands are refused): give storage.logUri, storage.dataUri and storage.credentials, or set configMapMode: false and configure the storage with the osmo CLI after installing",
            ]
        );
        assert!(!d.ready());
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
        assert!(crate::generate(spec, &mut rng).is_ok());
    }

    /// A complete 6.3.1 spec: the minimal one with its storage.
    fn complete() -> Value {
        let mut answers = DeploymentSpec::minimal("osmo.example.com", "db", "r").to_json();
        answers["storage"] = json!({"logUri": "s3://logs", "dataUri": "s3://data",
            "credentials": {"kind": "static"}});
        answers
    }

    #[test]
    fn a_complete_spec_is_ready_and_unchanged() {
        let answers = complete();
        let d = draft(&answers);
        assert!(d.ready(), "{d:?}");
        assert_eq!(d.spec.unwrap().to_json(), answers);
    }

    #[test]
    fn every_provider_drafts_from_empty_answers() {
        for provider in [
            "microsoftEntraId",
            "google",
            "awsIdentityCenter",
            "keycloak",
            "okta",
            "auth0",
            "oidc",
            "none",
        ] {
            let d = draft(&json!({"authentication": {"provider": provider}}));
            let spec = d
                .spec
                .as_ref()
                .unwrap_or_else(|| panic!("{provider}: {d:?}"));
            assert_eq!(spec.validate(), vec![], "{provider}");
            assert!(d.placeholders.len() >= 3, "{provider}: {:?}", paths(&d));
        }
    }

    #[test]
    fn wrong_answers_are_problems_and_defaults_or_placeholders() {
        let mut answers = complete();
        answers["domain"] = json!("https://osmo.example.com");
        answers["redis"]["port"] = json!("abc");
        answers["ingress"]["tlsSecret"] = json!("Bad Name");
        answers["ingress"]["className"] = json!("alb");
        answers["backends"] = json!([{"name": "gpu"}, {"name": "gpu"}]);
        answers["sizing"] = json!({"overrides": {"worker": {"cpu": "lots"}}});
        let d = draft(&answers);
        let spec = d.spec.as_ref().unwrap_or_else(|| panic!("no spec: {d:?}"));
        assert_eq!(spec.validate(), vec![]);
        let problems: Vec<String> = d.problems.iter().map(|p| p.path.to_string()).collect();
        assert_eq!(problems[0], "redis.port");
        for p in [
            "domain",
            "ingress.tlsSecret",
            "ingress.alb",
            "backends[1].name",
            "sizing.overrides.worker.cpu",
        ] {
            assert!(problems.contains(&p.to_owned()), "{p}: {problems:?}");
        }
        assert_eq!(spec.redis.port, 6379);
        assert_eq!(
            paths(&d),
            ["domain", "backends[1].name", "ingress.alb.certificateArn"]
        );
        assert_eq!(spec.backends[1].name, "unanswered-2");
    }

    #[test]
    fn every_field_left_empty_drafts_a_valid_spec() {
        // Every text field of a full spec, emptied in turn: the draft still validates.
        let full = json!({
            "domain": "osmo.example.com",
            "authentication": {"provider": "keycloak", "baseUrl": "https://auth.example.com",
                "realm": "osmo", "clientId": "osmo"},
            "ingress": {"className": "alb", "alb": {"certificateArn": "arn:aws:acm:us-west-2:1:certificate/x"},
                "annotations": {"a.example.com/x": "1"}},
            "postgres": {"host": "db", "database": "osmo", "user": "osmo"},
            "redis": {"host": "r"},
            "storage": {"logUri": "s3://logs", "dataUri": "s3://data", "region": "us-west-2",
                "credentials": {"kind": "awsIrsa", "roleArn": "arn:aws:iam::123456789012:role/osmo"}},
            "backends": [{"name": "a", "kind": "eks", "serviceUrl": "https://osmo.example.com",
                "kubeContext": "ctx", "operatorNodes": "pool=op",
                "operatorTaint": {"key": "dedicated", "value": "op"},
                "computePools": ["pool=gpu"]}],
        });
        let mut strings = Vec::new();
        fn walk(v: &Value, at: Path, out: &mut Vec<Path>) {
            match v {
                Value::Object(m) => m
                    .iter()
                    .for_each(|(k, x)| walk(x, at.clone().key(k.clone()), out)),
                Value::Array(a) => a
                    .iter()
                    .enumerate()
                    .for_each(|(i, x)| walk(x, at.clone().index(i), out)),
                Value::String(_) => out.push(at),
                _ => {}
            }
        }
        walk(&full, Path::root(), &mut strings);
        for path in strings {
            let mut answers = full.clone();
            set(&mut answers, &path, Some(json!("")));
            let d = draft(&answers);
            let spec = d.spec.unwrap_or_else(|| panic!("{path}: no spec"));
            assert_eq!(spec.validate(), vec![], "{path}");
        }
    }
}
