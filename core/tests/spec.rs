//! The deployment spec: its committed schema, the examples, parsing errors
//! with key paths, and validation messages with field paths.

mod common;

use std::path::PathBuf;

use osmo_values::schema;
use osmo_values::spec::{Authentication, DeploymentSpec, EntraId, Override};

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas/deployment-spec.schema.json")
}

/// Regenerate with `cargo xtask codegen`.
#[test]
fn committed_spec_schema_is_fresh() {
    let fresh = schema::to_pretty(&DeploymentSpec::schema());
    let committed = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        committed == fresh,
        "schemas/deployment-spec.schema.json is stale: run `cargo xtask codegen`"
    );
}

#[test]
fn examples_validate_against_the_schema_and_have_no_problems() {
    let schema = DeploymentSpec::schema();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let mut count = 0;
    for entry in std::fs::read_dir(common::examples_dir()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        count += 1;
    }
    assert!(count >= 8);
    for (name, spec) in common::examples() {
        assert!(spec.validate().is_empty(), "{name}: {:?}", spec.validate());
    }
}

#[test]
fn every_identity_provider_and_ingress_kind_has_an_example() {
    let examples = common::examples();
    let providers: std::collections::BTreeSet<&str> = examples
        .iter()
        .map(|(_, s)| match s.authentication {
            Authentication::MicrosoftEntraId(_) => "entra",
            Authentication::Google(_) => "google",
            Authentication::AwsIdentityCenter(_) => "aws",
            Authentication::Keycloak(_) => "keycloak",
            Authentication::Okta(_) => "okta",
            Authentication::Auth0(_) => "auth0",
            Authentication::Oidc(_) => "oidc",
            Authentication::None => "none",
        })
        .collect();
    assert_eq!(providers.len(), 8, "{providers:?}");
    let classes: std::collections::BTreeSet<&str> = examples
        .iter()
        .map(|(_, s)| match s.ingress.class_name.as_str() {
            "nginx" | "alb" => s.ingress.class_name.as_str(),
            _ => "other",
        })
        .collect();
    assert_eq!(classes.len(), 3, "{classes:?}");
}

#[test]
fn unknown_keys_are_refused_with_their_path() {
    let err = common::parse_spec(
        "domain: osmo.example.com\npostgres: {host: db}\nredis: {host: r}\n\
         authentication: {provider: microsoftEntraId, tenantId: t, clientId: c, clientSecret: x}\n",
    )
    .unwrap_err();
    assert!(err.contains("clientSecret"), "{err}");
    let err = common::parse_spec(
        "domain: osmo.example.com\npostgres: {host: db, prot: 1}\nredis: {host: r}\n",
    )
    .unwrap_err();
    assert!(err.starts_with("2:"), "{err}");
    assert!(err.contains("postgres.prot"), "{err}");
    let err = common::parse_spec(
        "domain: osmo.example.com\npostgres: {host: db}\nredis: {host: r}\nauthentication: {provider: github}\n",
    )
    .unwrap_err();
    assert!(err.contains("github"), "{err}");
}

#[test]
fn defaults_are_what_an_operator_expects() {
    let spec =
        common::parse_spec("domain: osmo.example.com\npostgres: {host: db}\nredis: {host: r}\n")
            .unwrap();
    assert_eq!(spec.images.registry, "nvcr.io/nvidia/osmo");
    assert_eq!(spec.images.tag, osmo_values::Release::V6_2_10.as_str());
    assert_eq!(spec.authentication, Authentication::None);
    assert_eq!(spec.ingress.class_name, "nginx");
    assert_eq!(
        (spec.postgres.port, spec.postgres.database.as_str()),
        (5432, "osmo")
    );
    assert_eq!((spec.redis.port, spec.redis.tls), (6379, true));
    assert_eq!(spec.backends.len(), 1);
    assert_eq!(
        spec.service_url(&spec.backends[0]),
        "https://osmo.example.com"
    );
    assert_eq!(spec.backends[0].namespace, "osmo-workflows");
    assert_eq!(spec.backends[0].operator_namespace, "osmo-operator");
    // Placement: the guides' operator label, no taint, the kind's compute labels.
    let b = &spec.backends[0];
    assert_eq!(b.kind, osmo_values::backend::BackendKind::Other);
    assert_eq!(b.operator_nodes.as_deref(), Some("node-type=operator"));
    assert!(b.operator_taint.is_none() && b.compute_pools.is_empty());
    let placement = b.placement(osmo_values::Release::LATEST);
    let pools: Vec<String> = placement
        .compute_pools
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        pools,
        ["node-type=compute", "node-type=gpu", "node-type=jetson"]
    );
    // `operatorNodes: null` turns the dedicated nodes off; the taint's effect defaults.
    let spec = common::parse_spec(
        "domain: osmo.example.com\npostgres: {host: db}\nredis: {host: r}\nbackends:\n  - name: a\n    kind: eks\n    operatorNodes: null\n  - name: b\n    operatorTaint: {key: dedicated}\n",
    )
    .unwrap();
    assert_eq!(spec.backends[0].operator_nodes, None);
    assert!(
        spec.backends[0]
            .placement(osmo_values::Release::LATEST)
            .operator_nodes
            .is_none()
    );
    assert_eq!(
        spec.backends[1]
            .operator_taint
            .as_ref()
            .unwrap()
            .to_string(),
        "dedicated:NoSchedule"
    );
    assert!(problems(&spec).is_empty());
}

fn problems(spec: &DeploymentSpec) -> Vec<(String, String)> {
    spec.validate()
        .into_iter()
        .map(|p| (p.path.to_string(), p.message))
        .collect()
}

#[test]
fn validation_names_each_field() {
    let base = DeploymentSpec::minimal("osmo.example.com", "db.example.com", "redis");
    assert!(problems(&base).is_empty());

    for (domain, fragment) in [
        ("https://osmo.example.com", "without https://"),
        ("osmo.example.com:443", "without a port"),
        ("OSMO.example.com", "lowercase"),
        ("osmo", "at least one dot"),
        ("osmo..example.com", "host name"),
        ("*.example.com", "wildcard"),
        ("10.0.0.1", "not an IP address"),
        ("", "empty"),
    ] {
        let mut s = base.clone();
        s.domain = domain.into();
        let p = problems(&s);
        assert_eq!(p.len(), 1, "{domain}: {p:?}");
        assert_eq!(p[0].0, "domain");
        assert!(p[0].1.contains(fragment), "{domain}: {}", p[0].1);
    }

    let mut s = base.clone();
    s.authentication = Authentication::MicrosoftEntraId(EntraId {
        tenant_id: " ".into(),
        client_id: "a/b".into(),
    });
    s.images.tag = "6.2 ".into();
    s.ingress.class_name = "alb".into();
    s.sizing.overrides.service = Some(Override {
        replicas: Some(5),
        max_replicas: Some(2),
        memory: Some("1GB".into()),
        ..Override::default()
    });
    s.sizing.overrides.backend_worker = Some(Override {
        replicas: Some(2),
        ..Override::default()
    });
    let paths: Vec<String> = problems(&s).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        [
            "images.tag",
            "authentication.tenantId",
            "authentication.clientId",
            "ingress.alb",
            "sizing.overrides.service.memory",
            "sizing.overrides.backendWorker.replicas",
            "sizing.overrides.service.maxReplicas",
        ]
    );

    // Placement: labels as key=value, a taint only on dedicated nodes, distinct pools.
    let mut s = base.clone();
    let b = &mut s.backends[0];
    b.operator_nodes = Some("node-type".into());
    b.compute_pools = vec![
        "node-type=gpu".into(),
        "bad label=x".into(),
        "node-type=gpu".into(),
    ];
    b.operator_taint = Some(osmo_values::backend::OperatorTaint {
        key: "-dedicated".into(),
        value: Some("osmo operator".into()),
        effect: osmo_values::values::common::TaintEffect::NoSchedule,
    });
    let p = problems(&s);
    let paths: Vec<&str> = p.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "backends[0].operatorNodes",
            "backends[0].operatorTaint.key",
            "backends[0].operatorTaint.value",
            "backends[0].computePools[1]",
            "backends[0].computePools[2]",
        ]
    );
    assert!(p[0].1.contains("write key=value"), "{}", p[0].1);
    assert!(p[4].1.contains("listed twice"), "{}", p[4].1);
    let mut s = base.clone();
    s.backends[0].operator_nodes = None;
    s.backends[0].operator_taint = Some(osmo_values::backend::OperatorTaint {
        key: "dedicated".into(),
        value: None,
        effect: osmo_values::values::common::TaintEffect::NoSchedule,
    });
    s.backends[0].compute_pools = vec!["node-type=operator".into()];
    let p = problems(&s);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "backends[0].operatorTaint");
    assert!(p[0].1.contains("set operatorNodes too"), "{}", p[0].1);
    let mut s = base.clone();
    s.backends[0].compute_pools = vec!["node-type=operator".into()];
    let p = problems(&s);
    assert_eq!(p[0].0, "backends[0].computePools[0]");
    assert!(p[0].1.contains("the operator nodes' label"), "{}", p[0].1);
}
