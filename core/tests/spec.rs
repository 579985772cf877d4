//! The deployment spec: its committed schema, the examples, parsing errors
//! with key paths, and validation messages with field paths.

mod common;

use std::path::PathBuf;

use std::collections::BTreeSet;

use osmo_values::Release;
use osmo_values::schema;
use osmo_values::spec::{
    Authentication, AwsIrsa, AzureWorkloadIdentity, DeploymentSpec, EntraId, Exposure, Gateway,
    GcpWorkloadIdentity, Override, StaticKeys, Storage, StorageCredentials,
};

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
    let files = std::fs::read_dir(common::examples_dir())
        .unwrap()
        .chain(std::fs::read_dir(common::examples_dir().join("6.3.1")).unwrap());
    for entry in files {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        count += 1;
    }
    assert!(count >= 16);
    for (name, spec) in common::examples() {
        assert!(spec.validate().is_empty(), "{name}: {:?}", spec.validate());
    }
}

#[test]
fn every_identity_provider_and_ingress_kind_has_an_example() {
    for release in Release::ALL {
        let examples = common::examples_of(release);
        let providers: BTreeSet<&str> = examples
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
        assert_eq!(providers.len(), 8, "{release}: {providers:?}");
        // How traffic enters: an Ingress of each kind, and at 6.3.1 the gateway's own
        // load balancer too.
        let kinds: BTreeSet<&str> = examples
            .iter()
            .map(
                |(_, s)| match (s.gateway.exposure, s.ingress.class_name.as_str()) {
                    (Exposure::LoadBalancer, _) => "loadBalancer",
                    (_, c @ ("nginx" | "alb")) => c,
                    _ => "other",
                },
            )
            .collect();
        let expected = if release.has_gateway() { 4 } else { 3 };
        assert_eq!(kinds.len(), expected, "{release}: {kinds:?}");
        if release.has_gateway() {
            // Storage by each kind of credential, ConfigMap mode on and off, TLS at the
            // gateway and upstream TLS off.
            let storage: BTreeSet<&str> = examples
                .iter()
                .filter_map(|(_, s)| s.storage.as_ref().map(|st| st.credentials.kind()))
                .collect();
            assert_eq!(storage.len(), 4, "{storage:?}");
            assert!(examples.iter().any(|(_, s)| !s.config_map_mode));
            assert!(examples.iter().any(|(_, s)| s.gateway.tls_secret.is_some()));
            assert!(examples.iter().any(|(_, s)| !s.gateway.upstream_tls));
        }
    }
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

/// Workflow storage by access keys, which 6.3.1 in ConfigMap mode needs.
const STORAGE: &str =
    "storage: {logUri: s3://osmo/logs, dataUri: s3://osmo/data, credentials: {kind: static}}\n";

#[test]
fn defaults_are_what_an_operator_expects() {
    let minimal = "domain: osmo.example.com\npostgres: {host: db}\nredis: {host: r}\n";
    let spec = common::parse_spec(minimal).unwrap();
    // The newest release, whose ConfigMap mode needs the storage.
    assert_eq!(spec.release, Release::V6_3_1);
    let p = problems(&spec);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "storage");
    assert!(p[0].1.contains("configMapMode: false"), "{}", p[0].1);
    let spec = common::parse_spec(&format!("{minimal}{STORAGE}")).unwrap();
    assert!(problems(&spec).is_empty(), "{:?}", problems(&spec));
    assert!(spec.config_map_mode);
    assert_eq!(spec.gateway, Gateway::default());
    assert_eq!(spec.gateway.exposure, Exposure::Ingress);
    assert!(spec.gateway.upstream_tls && spec.gateway.tls_secret.is_none());
    assert_eq!(spec.images.registry, "nvcr.io/nvidia/osmo");
    // The image tag is the release's, written out when the spec is read.
    assert_eq!(spec.images.tag.as_deref(), Some("6.3.1"));
    assert_eq!(spec.image_tag(), "6.3.1");
    let old = common::parse_spec(&format!("release: \"6.2.10\"\n{minimal}")).unwrap();
    assert_eq!(old.image_tag(), "6.2.10");
    assert!(problems(&old).is_empty());
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
    let spec = common::parse_spec(&format!(
        "{minimal}{STORAGE}backends:\n  - name: a\n    kind: eks\n    operatorNodes: null\n  - name: b\n    operatorTaint: {{key: dedicated}}\n",
    ))
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

/// A minimal 6.3.1 spec with storage by access keys.
fn base() -> DeploymentSpec {
    let mut spec = DeploymentSpec::minimal("osmo.example.com", "db.example.com", "redis");
    spec.storage = Some(storage(StorageCredentials::Static(StaticKeys::default())));
    spec
}

fn storage(credentials: StorageCredentials) -> Storage {
    Storage {
        log_uri: "s3://osmo/logs".into(),
        data_uri: "s3://osmo/data".into(),
        region: Some("us-east-1".into()),
        override_url: None,
        credentials,
    }
}

#[test]
fn validation_names_each_field() {
    let base = base();
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
    s.images.tag = Some("6.2 ".into());
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

/// A spec written before `release` was a field names a 6.2 image tag: read today it would
/// be 6.3.1 with 6.2 images, so it is refused, and the message says what to write.
#[test]
fn a_tag_of_another_release_is_refused_naming_both_fields() {
    let old = common::parse_spec(&format!(
        "domain: osmo.example.com\nimages: {{tag: 6.2.10}}\npostgres: {{host: db}}\nredis: {{host: r}}\n{STORAGE}"
    ))
    .unwrap();
    let p = problems(&old);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "images.tag");
    for fragment in [
        "OSMO 6.2 image tag",
        "`release` is 6.3.1",
        "release: \"6.2.10\"",
    ] {
        assert!(p[0].1.contains(fragment), "{fragment}: {}", p[0].1);
    }
    let mut s = base();
    for (tag, ok) in [
        ("6.3.1", true),
        ("6.3.1-hotfix.2", true),
        ("v6.3.0", true),
        ("latest", true),
        ("main-2026-06-01", true),
        ("6.2.10-hotfix.1", false),
        ("6.4.0", false),
    ] {
        s.images.tag = Some(tag.into());
        assert_eq!(problems(&s).is_empty(), ok, "{tag}: {:?}", problems(&s));
    }
    let mut s = DeploymentSpec::minimal("osmo.example.com", "db", "r");
    s.release = Release::V6_2_10;
    s.images.tag = Some("6.3.1".into());
    let p = problems(&s);
    assert_eq!(p[0].0, "images.tag");
    assert!(p[0].1.contains("release: \"6.3.1\""), "{}", p[0].1);
}

#[test]
fn the_631_settings_are_refused_at_6_2_10() {
    let mut s = DeploymentSpec::minimal("osmo.example.com", "db", "r");
    s.release = Release::V6_2_10;
    assert!(problems(&s).is_empty());
    s.gateway.exposure = Exposure::LoadBalancer;
    s.storage = base().storage;
    s.config_map_mode = false;
    let paths: Vec<String> = problems(&s).into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["gateway", "storage", "configMapMode"]);
    // spec.yaml of a 6.2.10 spec leaves the 6.3.1 settings out.
    let s = common::parse_spec(
        "release: \"6.2.10\"\ndomain: osmo.example.com\npostgres: {host: db}\nredis: {host: r}\n",
    )
    .unwrap();
    let json = s.to_json();
    for key in ["gateway", "storage", "configMapMode"] {
        assert!(json.get(key).is_none(), "{key}: {json}");
    }
    assert_eq!(json["release"], "6.2.10");
    assert_eq!(json["images"]["tag"], "6.2.10");
}

/// How the gateway is exposed decides where TLS may end: with an Ingress at the Ingress,
/// with the load balancer at the gateway (or in front of it).
#[test]
fn gateway_settings_follow_the_exposure() {
    let mut s = base();
    s.gateway.tls_secret = Some("osmo-tls".into());
    s.gateway.service_annotations = [("example.com/x".to_owned(), "y".to_owned())].into();
    let p = problems(&s);
    let paths: Vec<&str> = p.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["gateway.serviceAnnotations", "gateway.tlsSecret"]);
    assert!(p[1].1.contains("exposure: loadBalancer"), "{}", p[1].1);

    let mut s = base();
    s.gateway.exposure = Exposure::LoadBalancer;
    s.gateway.tls_secret = Some("osmo-tls".into());
    assert!(problems(&s).is_empty(), "{:?}", problems(&s));
    s.ingress.class_name = "alb".into();
    s.ingress.alb = Some(osmo_values::spec::Alb {
        certificate_arn: "arn:aws:acm:us-west-2:123456789012:certificate/x".into(),
        scheme: Default::default(),
    });
    s.ingress.tls_secret = Some("x".into());
    s.ingress.annotations = [("a".to_owned(), "b".to_owned())].into();
    s.gateway.tls_secret = Some("Bad_Name".into());
    let paths: Vec<String> = problems(&s).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        [
            "ingress.tlsSecret",
            "gateway.tlsSecret",
            "ingress.className",
            "ingress.tlsSecret",
            "ingress.alb",
            "ingress.annotations"
        ]
    );
}

#[test]
fn storage_is_checked_field_by_field() {
    // ConfigMap mode needs it; the database mode does not.
    let mut s = base();
    s.storage = None;
    assert_eq!(problems(&s)[0].0, "storage");
    s.config_map_mode = false;
    assert!(problems(&s).is_empty());

    let mut s = base();
    let st = s.storage.as_mut().unwrap();
    st.log_uri = "https://bucket.s3.amazonaws.com/logs".into();
    st.data_uri = "s3://osmo/`data`".into();
    st.region = Some("US East".into());
    st.override_url = Some("minio:9000".into());
    let paths: Vec<String> = problems(&s).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        [
            "storage.logUri",
            "storage.dataUri",
            "storage.region",
            "storage.overrideUrl"
        ]
    );
    for (credentials, path, ok) in [
        (
            StorageCredentials::AwsIrsa(AwsIrsa {
                role_arn: "arn:aws:iam::123456789012:role/osmo/storage".into(),
            }),
            "storage.credentials.roleArn",
            true,
        ),
        (
            StorageCredentials::AwsIrsa(AwsIrsa {
                role_arn: "arn:aws:iam::1234:user/osmo".into(),
            }),
            "storage.credentials.roleArn",
            false,
        ),
        (
            StorageCredentials::AzureWorkloadIdentity(AzureWorkloadIdentity {
                client_id: "5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d".into(),
            }),
            "storage.credentials.clientId",
            true,
        ),
        (
            StorageCredentials::AzureWorkloadIdentity(AzureWorkloadIdentity {
                client_id: "osmo-identity".into(),
            }),
            "storage.credentials.clientId",
            false,
        ),
        (
            StorageCredentials::GcpWorkloadIdentity(GcpWorkloadIdentity {
                service_account: "osmo@project-1.iam.gserviceaccount.com".into(),
            }),
            "storage.credentials.serviceAccount",
            true,
        ),
        (
            StorageCredentials::GcpWorkloadIdentity(GcpWorkloadIdentity {
                service_account: "osmo@example.com".into(),
            }),
            "storage.credentials.serviceAccount",
            false,
        ),
    ] {
        let mut s = base();
        s.storage = Some(storage(credentials));
        let p = problems(&s);
        assert_eq!(p.is_empty(), ok, "{path}: {p:?}");
        if !ok {
            assert_eq!(p[0].0, path);
        }
    }
}

/// At 6.3.1 an operator in OSMO's cluster reaches it through the gateway, over plain
/// HTTP on port 80, unless the gateway serves TLS with the domain's certificate.
#[test]
fn in_cluster_service_urls_go_through_the_gateway() {
    for (url, tls, ok) in [
        ("http://osmo-gateway.osmo.svc.cluster.local", false, true),
        ("http://osmo-gateway", false, true),
        ("http://osmo-gateway.osmo:80", false, true),
        ("https://osmo.example.com", true, true),
        ("http://osmo-agent.osmo.svc.cluster.local", false, false),
        ("https://osmo-gateway.osmo.svc.cluster.local", false, false),
        ("http://osmo-gateway.other.svc.cluster.local", false, false),
        ("http://osmo-gateway.osmo.svc.cluster.local", true, false),
    ] {
        let mut s = base();
        if tls {
            s.gateway.exposure = Exposure::LoadBalancer;
            s.gateway.tls_secret = Some("osmo-tls".into());
        }
        s.backends[0].service_url = Some(url.into());
        let p = problems(&s);
        assert_eq!(p.is_empty(), ok, "{url} (tls {tls}): {p:?}");
        if !ok {
            assert_eq!(p[0].0, "backends[0].serviceUrl");
        }
    }
    // 6.2.10 has no gateway: its operators reached the agent.
    let mut s = DeploymentSpec::minimal("osmo.example.com", "db", "r");
    s.release = Release::V6_2_10;
    s.backends[0].service_url = Some("http://osmo-agent.osmo.svc.cluster.local".into());
    assert!(problems(&s).is_empty());
}
