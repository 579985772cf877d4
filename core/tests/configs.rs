//! The ConfigMap-mode checks (`services.configs`) over small inputs: one
//! service values file per case under `tests/fixtures/configs/`, merged over
//! the chart's defaults as Helm merges it. Each case's findings are an insta
//! snapshot showing where the finding points in the file (`line:column`, or
//! `~line:column` when the value comes from the chart's defaults and the
//! nearest key written in the file is shown), the message, the help, related
//! paths and the fix.
//!
//! `bad-*` cases must produce findings, `good-*` cases none, and `upstream-*`
//! cases (shaped like the 6.3.1 guides and deploy scripts) only the true
//! alarms FACTS-6.3 §4.3 describes for them.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path as FsPath, PathBuf};

use osmo_values::configs::{
    self, CheckContext, ConfigAnswers, ConfigFinding, ConfigFix, PoolAnswer, StorageAnswer,
    StorageAuth, check, check_backend_name, default_configs, minimal_configs,
};
use osmo_values::lint::code;
use osmo_values::lint::merge::helm_merge;
use osmo_values::path::Path;
use osmo_values::yaml::{self, Node};
use serde_json::{Value, json};

fn fixtures() -> PathBuf {
    FsPath::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/configs")
}

/// The service chart's values: the chart's `services.configs` defaults with
/// the user's values merged over them.
fn effective(user: &Value) -> Value {
    let mut values = json!({"services": {"configs": default_configs()}});
    helm_merge(&mut values, user);
    values
}

/// Checks one service values file as the linter will.
fn check_values(user: &Value) -> Vec<ConfigFinding> {
    let values = effective(user);
    let ctx = CheckContext {
        service_hostname: values
            .pointer("/services/service/hostname")
            .and_then(Value::as_str),
        user_configs: user.pointer("/services/configs"),
    };
    check(&values["services"]["configs"], &ctx)
}

/// Where a path points in the file: the key (or list item), or the nearest
/// written ancestor marked with `~`.
fn locate(root: &Node, path: &Path) -> String {
    let mut p = path.clone();
    let mut exact = true;
    loop {
        let node = root
            .key_at(&p)
            .or_else(|| root.at(&p).filter(|_| !p.is_root()));
        if let Some(n) = node {
            let mark = if exact { "" } else { "~" };
            return format!("{mark}{}:{}", n.span.start.line, n.span.start.column);
        }
        exact = false;
        match p.parent() {
            Some(parent) if !parent.is_root() => p = parent,
            _ => return "-".into(),
        }
    }
}

fn render(root: &Node, found: &[ConfigFinding]) -> String {
    let mut out = String::new();
    for f in found {
        writeln!(
            out,
            "{} {}[{}] {}",
            locate(root, &f.path),
            f.severity,
            f.code,
            f.message
        )
        .unwrap();
        writeln!(out, "    path: {}", f.path).unwrap();
        if let Some(h) = &f.help {
            writeln!(out, "    help: {h}").unwrap();
        }
        for r in &f.related {
            writeln!(out, "    related {}: {}", r.path, r.message).unwrap();
        }
        if let Some(ConfigFix::RenameKey {
            to,
            machine_applicable,
        }) = &f.fix
        {
            let kind = if *machine_applicable {
                "machine-applicable"
            } else {
                "suggested"
            };
            writeln!(out, "    fix ({kind}): rename the key to `{to}`").unwrap();
        }
    }
    out
}

fn check_file(path: &FsPath) -> (String, Vec<ConfigFinding>) {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = yaml::parse(&text).unwrap();
    let found = check_values(&doc.root.to_json());
    (render(&doc.root, &found), found)
}

/// Codes FACTS-6.3 §4.3 expects for the upstream samples: they leave out
/// what ConfigMap mode does not fill in.
const TRUE_ALARMS_OF_UPSTREAM_SAMPLES: [&str; 3] = [
    code::CONFIGS_SERVICE_BASE_URL,
    code::CONFIGS_BACKEND_IMAGES,
    code::CONFIGS_ROUTER_ADDRESS,
];

#[test]
fn fixture_cases() {
    insta::glob!("../../tests/fixtures/configs", "*.yaml", |path| {
        let (shown, found) = check_file(path);
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with("bad-") {
            assert!(
                !found.is_empty(),
                "{name} is a bad input but produced no finding"
            );
        } else if name.starts_with("good-") {
            assert!(found.is_empty(), "{name} should be quiet:\n{shown}");
        } else if name.starts_with("upstream-") {
            for f in &found {
                assert!(
                    TRUE_ALARMS_OF_UPSTREAM_SAMPLES.contains(&f.code),
                    "{name}: unexpected finding\n{shown}"
                );
            }
        } else {
            panic!("fixture {name} must start with bad-, good- or upstream-");
        }
        insta::assert_snapshot!(shown);
    });
}

/// The backend operator's `backendName` against the service's backends.
fn cross_case(dir: &FsPath) -> (String, Vec<ConfigFinding>) {
    let service_text = std::fs::read_to_string(dir.join("osmo_values.yaml")).unwrap();
    let operator_text = std::fs::read_to_string(dir.join("backend_operator_values.yaml")).unwrap();
    let service = yaml::parse(&service_text).unwrap();
    let operator = yaml::parse(&operator_text).unwrap();
    let values = effective(&service.root.to_json());
    let mut found = check_values(&service.root.to_json());
    let name_path = Path::keys("global.backendName");
    let name = operator.root.to_json()["global"]["backendName"]
        .as_str()
        .unwrap_or("default")
        .to_owned();
    found.extend(check_backend_name(
        &values["services"]["configs"],
        &name,
        name_path,
    ));
    (render(&operator.root, &found), found)
}

#[test]
fn cross_file_cases() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("cross"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let (shown, found) = cross_case(&dir);
        assert!(!found.is_empty(), "{} produced no finding", dir.display());
        let name = format!("cross__{}", dir.file_name().unwrap().to_string_lossy());
        insta::assert_snapshot!(name, shown);
    }
}

#[test]
fn every_configs_rule_has_a_case() {
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            seen.extend(check_file(&path).1.into_iter().map(|f| f.code));
        }
    }
    for entry in std::fs::read_dir(fixtures().join("cross")).unwrap() {
        seen.extend(
            cross_case(&entry.unwrap().path())
                .1
                .into_iter()
                .map(|f| f.code),
        );
    }
    let missing: Vec<&str> = osmo_values::lint::rules()
        .iter()
        .map(|r| r.code)
        .filter(|c| c.starts_with("OV6") && !seen.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "OV6xx rules with no fixture: {missing:?}"
    );
}

#[test]
fn findings_use_their_rules_severity_or_lower() {
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        for f in check_file(&path).1 {
            let rule = osmo_values::lint::rule(f.code).expect("a rule of the table");
            assert!(
                f.severity <= rule.severity,
                "{}: {}",
                path.display(),
                f.code
            );
            assert!(
                f.path.to_string().starts_with("services.configs"),
                "{}",
                f.path
            );
        }
    }
}

/// The chart's defaults alone: quiet while ConfigMap mode is off; once on,
/// the models accept every default and only what ConfigMap mode leaves
/// empty is reported.
#[test]
fn chart_defaults_raise_no_false_alarm() {
    assert!(check_values(&json!({})).is_empty());
    let found = check_values(&json!({"services": {"configs": {"enabled": true}}}));
    let codes: BTreeSet<&str> = found.iter().map(|f| f.code).collect();
    assert_eq!(
        codes,
        TRUE_ALARMS_OF_UPSTREAM_SAMPLES.into_iter().collect(),
        "{found:#?}"
    );
    let typed: configs::Configs = serde_json::from_value(default_configs()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), default_configs());
}

/// Our defaults against the real 6.3.1 chart's: the same keys and values,
/// except the descriptions and messages, which are our own words.
#[test]
fn defaults_match_the_reference_chart() {
    let Some(shared) = common::shared_or_skip("the checks against the 6.3.1 configs models") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "../shared is required under CI"
        );
        return;
    };
    let text =
        std::fs::read_to_string(shared.join("reference/osmo-6.3.1/service/values.yaml")).unwrap();
    let chart = yaml::parse(&text).unwrap().root.to_json();
    let mut theirs = chart["services"]["configs"].clone();
    let mut ours = default_configs();
    fn without_prose(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for key in ["description", "assert_message"] {
                    if m.get(key).is_some_and(Value::is_string) {
                        m.insert(key.into(), Value::String("(prose)".into()));
                    }
                }
                m.values_mut().for_each(without_prose);
            }
            Value::Array(items) => items.iter_mut().for_each(without_prose),
            _ => {}
        }
    }
    without_prose(&mut theirs);
    without_prose(&mut ours);
    assert_eq!(ours, theirs);
    // And the reference chart's own block, switched on, lints like ours.
    let mut user = json!({"services": {"configs": chart["services"]["configs"].clone()}});
    user["services"]["configs"]["enabled"] = json!(true);
    let codes: BTreeSet<&str> = check_values(&user).iter().map(|f| f.code).collect();
    assert!(codes.is_subset(&TRUE_ALARMS_OF_UPSTREAM_SAMPLES.into_iter().collect()));
}

/// Values that look close to a finding but are right.
#[test]
fn quiet_cases() {
    let base = json!({
        "enabled": true,
        "service": {"service_base_url": "https://osmo.example.com"},
        "workflow": {"backend_images": {"init": "r/init-container:1", "client": "r/client:1"}},
        "backends": {"default": {"router_address": "wss://osmo.example.com"}}
    });
    let cases = [
        // A pool covered through `pool/*` in a custom role.
        json!({"pools": {"gpu": {"backend": "default"}},
               "roles": {"gpu-users": {"description": "d",
                   "policies": [{"actions": ["workflow:Create"], "resources": ["pool/*"]}]}}}),
        // A Kubernetes secret volume in a pod template is not a credential.
        json!({"podTemplates": {"t": {"spec": {"volumes": [{"name": "v",
               "secret": {"secretName": "not-in-secret-refs"}}]}}}}),
        // A Secret may hold a whole text value (`{value: ...}`).
        json!({"secretRefs": [{"secretName": "slack"}],
               "workflow": {"workflow_alerts": {"slack_token": {"secretName": "slack"}}}}),
        // Bucket credential without endpoint: the bucket's path is used.
        json!({"dataset": {"buckets": {"b": {"dataset_path": "swift://acct/container/datasets",
               "default_credential": {"access_key_id": "k", "access_key": "s"}}}}}),
        // YAML 1.1 boolean words the authorization service still reads.
        json!({"roles": {"osmo-ctrl": {"immutable": "yes"}}}),
    ];
    for extra in cases {
        let mut user = json!({"services": {"configs": base.clone()}});
        helm_merge(&mut user["services"]["configs"], &extra);
        let found = check_values(&user);
        assert!(found.is_empty(), "{extra}\n{found:#?}");
    }
}

#[test]
fn disabled_block_is_quiet_without_user_settings() {
    // The chart's defaults alone do not count as "settings the user wrote".
    let values = effective(&json!({}));
    let ctx = CheckContext {
        service_hostname: None,
        user_configs: Some(&json!({"enabled": false})),
    };
    assert!(check(&values["services"]["configs"], &ctx).is_empty());
}

fn answers(auth: StorageAuth) -> ConfigAnswers {
    ConfigAnswers {
        hostname: "osmo.example.com".into(),
        image_registry: "nvcr.io/nvidia/osmo".into(),
        image_tag: "6.3.1".into(),
        storage: StorageAnswer {
            auth,
            data_uri: "s3://osmo-data/workflows".into(),
            log_uri: "s3://osmo-data/logs".into(),
            region: Some("us-east-1".into()),
            override_url: None,
        },
        backends: vec![
            configs::BackendAnswer {
                name: "gpu-east".into(),
            },
            configs::BackendAnswer {
                name: "cpu-west".into(),
            },
        ],
        pools: vec![
            PoolAnswer {
                name: "default".into(),
                backend: None,
                platforms: vec![],
            },
            PoolAnswer {
                name: "cpu".into(),
                backend: Some("cpu-west".into()),
                platforms: vec![
                    configs::PlatformAnswer::named("small"),
                    configs::PlatformAnswer {
                        name: "large".into(),
                        node_selector: [("node-type".to_owned(), "large".to_owned())].into(),
                    },
                ],
            },
        ],
    }
}

/// The generator's minimal block is a valid model and lints clean over the
/// chart's defaults, for both storage kinds and for the smallest answers.
#[test]
fn minimal_block_lints_clean() {
    let mut all = vec![
        answers(StorageAuth::WorkloadIdentity),
        answers(StorageAuth::StaticSecrets),
    ];
    let mut smallest = answers(StorageAuth::WorkloadIdentity);
    smallest.backends.clear();
    smallest.pools.clear();
    all.push(smallest);
    for a in all {
        let block = minimal_configs(&a);
        let user = json!({"services": {"configs": block}});
        let found = check_values(&user);
        assert!(found.is_empty(), "{a:?}\n{found:#?}");
        let values = effective(&user);
        let typed: configs::Configs =
            serde_json::from_value(values["services"]["configs"].clone()).unwrap();
        assert_eq!(typed.enabled, Some(true));
        let pools = typed.pools.unwrap();
        assert_eq!(
            pools["default"].backend,
            a.backends.first().map_or("default", |b| b.name.as_str())
        );
        let backend_name = a.backends.first().map_or("default", |b| b.name.as_str());
        assert!(configs::has_backend(
            &values["services"]["configs"],
            backend_name
        ));
    }
}

/// The schema the checks read is committed (`core/src/configs/document.schema.json`) and equal
/// to what the models generate. Regenerate with
/// `OSMO_VALUES_UPDATE_SCHEMAS=1 cargo test -p osmo-values --test configs committed`.
#[test]
fn committed_document_schema_is_fresh() {
    let fresh = osmo_values::configs::generate_document_schema();
    let text = serde_json::to_string(&fresh).unwrap() + "\n";
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/configs/document.schema.json");
    if std::env::var_os("OSMO_VALUES_UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is stale: regenerate with OSMO_VALUES_UPDATE_SCHEMAS=1 cargo test -p osmo-values --test configs committed",
        path.display()
    );
    assert_eq!(osmo_values::configs::document_schema(), &fresh);
}
