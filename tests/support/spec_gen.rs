//! Random valid deployment specs from a seeded generator, for the render tests.
//!
//! The categorical answers cycle with the spec's index so that any run of 24
//! (6.2.10) or 32 (6.3.1) or more specs covers every identity provider with
//! every ingress kind (6.3.1: every exposure of the gateway), and every TLS
//! choice, sizing preset, backend count and, at 6.3.1, storage credential kind,
//! ConfigMap mode and upstream TLS; everything else (names, hosts, ports,
//! overrides, annotations, namespaces, placement) is drawn at random.

use std::collections::BTreeMap;

use osmo_values::Release;
use osmo_values::backend::{BackendKind, OperatorTaint};
use osmo_values::spec::{
    Alb, AlbScheme, Auth0, Authentication, AwsIdentityCenter, AwsIrsa, AzureWorkloadIdentity,
    Backend, DeploymentSpec, EntraId, Exposure, GcpWorkloadIdentity, GenericOidc, Google, Keycloak,
    Okta, Override, Preset, StaticKeys, Storage, StorageCredentials,
};
use osmo_values::values::common::TaintEffect;
use rand::RngExt;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

/// The identity providers in the order specs cycle through them (`none` included).
pub const PROVIDERS: [&str; 8] = [
    "none",
    "microsoftEntraId",
    "google",
    "awsIdentityCenter",
    "keycloak",
    "okta",
    "auth0",
    "oidc",
];

/// The kinds of ingress a spec can ask for.
pub const INGRESS_KINDS: [&str; 3] = ["nginx", "alb", "other"];

/// How a 6.3.1 gateway is reached: its own load balancer, or an Ingress of each kind.
pub const EXPOSURES: [&str; 4] = ["loadBalancer", "nginx", "alb", "other"];

/// The kinds of storage credentials.
pub const STORAGE_KINDS: [&str; 4] = [
    "awsIrsa",
    "azureWorkloadIdentity",
    "gcpWorkloadIdentity",
    "static",
];

/// `n` valid specs of `release` drawn from `seed`, each named
/// `random-<release>-<seed>-<i>`.
pub fn random_specs(seed: u64, n: usize, release: Release) -> Vec<(String, DeploymentSpec)> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let spec = random_spec(&mut rng, i, release);
            let problems = spec.validate();
            assert!(
                problems.is_empty(),
                "the spec generator made an invalid spec #{i}: {problems:?}\n{spec:#?}"
            );
            (format!("random-{release}-{seed}-{i}"), spec)
        })
        .collect()
}

/// Whether PostgreSQL and Redis ask for a password, the choices the random specs cycle over.
pub const PASSWORDS: [(bool, bool); 4] =
    [(true, true), (true, false), (false, false), (false, true)];

/// The spec's categories, as the coverage check reads them: (category, value).
pub fn categories(spec: &DeploymentSpec) -> Vec<(&'static str, String)> {
    let provider = spec.to_json()["authentication"]["provider"]
        .as_str()
        .unwrap_or("none")
        .to_owned();
    let class = match spec.ingress.class_name.as_str() {
        "nginx" => "nginx",
        "alb" => "alb",
        _ => "other",
    };
    let kind = match spec.gateway.exposure {
        Exposure::LoadBalancer if spec.release.has_gateway() => "loadBalancer",
        _ => class,
    };
    let tls = if spec.gateway.tls_secret.is_some() {
        "tls at the gateway"
    } else if spec.gateway.exposure == Exposure::LoadBalancer {
        "tls in front of the gateway"
    } else if spec.ingress.alb.is_some() {
        "alb certificate"
    } else if spec.ingress.tls_secret.is_some() {
        "tls secret"
    } else {
        "no tls"
    };
    let mut out = vec![
        ("provider", provider),
        ("exposure", kind.to_owned()),
        ("tls", tls.to_owned()),
        ("sizing", spec.sizing.preset.as_str().to_owned()),
        (
            "backends",
            if spec.backends.len() == 1 {
                "one backend".to_owned()
            } else {
                "several backends".to_owned()
            },
        ),
        (
            "passwords",
            format!(
                "database {}, redis {}",
                spec.postgres.password, spec.redis.password
            ),
        ),
        (
            "placement",
            if spec.backends.iter().any(|b| b.operator_taint.is_some()) {
                "operator taint".to_owned()
            } else if spec.backends.iter().any(|b| b.operator_nodes.is_none()) {
                "operator anywhere".to_owned()
            } else {
                "operator nodes".to_owned()
            },
        ),
    ];
    if spec.release.has_gateway() {
        out.push((
            "storage",
            spec.storage
                .as_ref()
                .map_or("none", |s| s.credentials.kind())
                .to_owned(),
        ));
        out.push((
            "config",
            if spec.config_map_mode {
                "configmap"
            } else {
                "database"
            }
            .to_owned(),
        ));
        out.push((
            "upstream tls",
            if spec.gateway.upstream_tls {
                "on"
            } else {
                "off"
            }
            .to_owned(),
        ));
    }
    out
}

fn label(rng: &mut StdRng, min: usize, max: usize) -> String {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let len = rng.random_range(min..=max);
    let mut s = String::new();
    s.push(*FIRST.choose(rng).unwrap() as char);
    while s.len() < len {
        s.push(*REST.choose(rng).unwrap() as char);
    }
    s
}

fn alnum(rng: &mut StdRng, len: usize) -> String {
    const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| *SET.choose(rng).unwrap() as char)
        .collect()
}

fn hex(rng: &mut StdRng, len: usize) -> String {
    (0..len)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap())
        .collect()
}

fn guid(rng: &mut StdRng) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 4),
        hex(rng, 4),
        hex(rng, 12)
    )
}

fn domain(rng: &mut StdRng) -> String {
    let tld = *["com", "io", "net", "org"].choose(rng).unwrap();
    format!("{}.{}.example.{tld}", label(rng, 2, 8), label(rng, 3, 10))
}

fn authentication(rng: &mut StdRng, provider: &str, domain: &str) -> Authentication {
    match provider {
        "none" => Authentication::None,
        "microsoftEntraId" => Authentication::MicrosoftEntraId(EntraId {
            tenant_id: if rng.random_bool(0.8) {
                guid(rng)
            } else {
                format!("{}.onmicrosoft.com", label(rng, 3, 10))
            },
            client_id: guid(rng),
        }),
        "google" => Authentication::Google(Google {
            client_id: format!(
                "{}-{}.apps.googleusercontent.com",
                rng.random_range(100_000_000_000u64..999_999_999_999),
                label(rng, 20, 32)
            ),
        }),
        "awsIdentityCenter" => Authentication::AwsIdentityCenter(AwsIdentityCenter {
            region: (*["us-east-1", "us-west-2", "eu-central-1", "ap-southeast-2"]
                .choose(rng)
                .unwrap())
            .to_owned(),
            instance_id: format!(
                "{}{}",
                if rng.random_bool(0.5) { "ssoins-" } else { "" },
                hex(rng, 16)
            ),
            client_id: alnum(rng, 24),
            user_claim: [None, Some("email"), Some("sub")]
                .choose(rng)
                .unwrap()
                .map(str::to_owned),
        }),
        "keycloak" => Authentication::Keycloak(Keycloak {
            base_url: format!(
                "https://auth.{domain}{}",
                if rng.random_bool(0.3) { "/auth" } else { "" }
            ),
            realm: label(rng, 3, 12),
            client_id: label(rng, 3, 12),
        }),
        "okta" => Authentication::Okta(Okta {
            domain: format!("{}.okta.com", label(rng, 3, 12)),
            client_id: format!("0oa{}", alnum(rng, 17)),
            authorization_server: [
                None,
                Some("default".to_owned()),
                Some(format!("aus{}", alnum(rng, 10))),
            ]
            .choose(rng)
            .unwrap()
            .clone(),
        }),
        "auth0" => Authentication::Auth0(Auth0 {
            domain: format!(
                "{}.{}.auth0.com",
                label(rng, 3, 12),
                ["us", "eu", "au"].choose(rng).unwrap()
            ),
            client_id: alnum(rng, 32),
        }),
        "oidc" => {
            let host = format!("sso.{domain}");
            let base = if rng.random_bool(0.5) {
                format!("https://{host}")
            } else {
                format!("https://{host}/{}", label(rng, 3, 8))
            };
            Authentication::Oidc(GenericOidc {
                issuer: base.clone(),
                jwks_uri: if rng.random_bool(0.2) {
                    format!("https://{host}:443/keys")
                } else {
                    format!("{base}/keys")
                },
                authorization_endpoint: format!("{base}/authorize"),
                token_endpoint: format!("{base}/token"),
                device_authorization_endpoint: format!("{base}/device"),
                end_session_endpoint: format!("{base}/logout"),
                user_claim: [None, Some("email"), Some("preferred_username")]
                    .choose(rng)
                    .unwrap()
                    .map(str::to_owned),
                client_id: label(rng, 3, 16),
            })
        }
        other => unreachable!("provider {other}"),
    }
}

fn storage(rng: &mut StdRng, kind: &str, domain: &str) -> Storage {
    let bucket = label(rng, 3, 12);
    let (scheme, region) = match kind {
        "azureWorkloadIdentity" => ("azure", None),
        "gcpWorkloadIdentity" => ("gs", None),
        _ => (
            "s3",
            Some(
                (*["us-east-1", "us-west-2", "eu-central-1"]
                    .choose(rng)
                    .unwrap())
                .to_owned(),
            ),
        ),
    };
    let (log_uri, data_uri) = if scheme == "azure" {
        (
            format!("azure://{bucket}/logs"),
            format!("azure://{bucket}/data"),
        )
    } else if rng.random_bool(0.5) {
        (
            format!("{scheme}://{bucket}/logs"),
            format!("{scheme}://{bucket}/data"),
        )
    } else {
        (
            format!("{scheme}://{bucket}-logs"),
            format!("{scheme}://{bucket}-data"),
        )
    };
    let credentials = match kind {
        "awsIrsa" => StorageCredentials::AwsIrsa(AwsIrsa {
            role_arn: format!(
                "arn:aws:iam::{}:role/{}",
                rng.random_range(100_000_000_000u64..999_999_999_999),
                label(rng, 3, 12)
            ),
        }),
        "azureWorkloadIdentity" => {
            StorageCredentials::AzureWorkloadIdentity(AzureWorkloadIdentity {
                client_id: guid(rng),
            })
        }
        "gcpWorkloadIdentity" => StorageCredentials::GcpWorkloadIdentity(GcpWorkloadIdentity {
            service_account: format!(
                "{}@{}.iam.gserviceaccount.com",
                label(rng, 3, 12),
                label(rng, 6, 12)
            ),
        }),
        _ => StorageCredentials::Static(StaticKeys::default()),
    };
    let override_url =
        (kind == "static" && rng.random_bool(0.5)).then(|| format!("https://minio.{domain}:9000"));
    Storage {
        log_uri,
        data_uri,
        region,
        override_url,
        credentials,
    }
}

fn random_override(rng: &mut StdRng, key: &str) -> Override {
    const CPU: [&str; 4] = ["250m", "500m", "1", "2"];
    const MEMORY: [&str; 4] = ["512Mi", "1Gi", "2Gi", "4Gi"];
    let fixed = matches!(key, "backendListener" | "backendWorker");
    let mut o = Override::default();
    if !fixed && rng.random_bool(0.5) {
        let replicas = rng.random_range(1..=4);
        o.replicas = Some(replicas);
        if key != "delayedJobMonitor" && rng.random_bool(0.5) {
            o.max_replicas = Some(replicas + rng.random_range(0..=4));
        }
    }
    if key == "delayedJobMonitor" {
        // Its container gets the API service's resources: only replicas apply.
        o.replicas.get_or_insert(1);
        return o;
    }
    if rng.random_bool(0.6) {
        let cpu = rng.random_range(0..CPU.len());
        o.cpu = Some(CPU[cpu].to_owned());
        if rng.random_bool(0.3) {
            o.cpu_limit = Some(CPU[rng.random_range(cpu..CPU.len())].to_owned());
        }
    }
    if rng.random_bool(0.6) {
        let memory = rng.random_range(0..MEMORY.len());
        o.memory = Some(MEMORY[memory].to_owned());
        if rng.random_bool(0.5) {
            o.memory_limit = Some(MEMORY[rng.random_range(memory..MEMORY.len())].to_owned());
        }
    }
    o
}

/// Spec number `i` of a run of `release`: categories from `i`, details from `rng`.
pub fn random_spec(rng: &mut StdRng, i: usize, release: Release) -> DeploymentSpec {
    let domain = domain(rng);
    let host = |rng: &mut StdRng, what: &str| {
        if rng.random_bool(0.2) {
            format!(
                "10.{}.{}.{}",
                rng.random_range(0..255),
                rng.random_range(0..255),
                rng.random_range(1..255)
            )
        } else {
            format!("{what}.{}.example.com", label(rng, 2, 8))
        }
    };
    let mut spec = DeploymentSpec::minimal(&domain, &host(rng, "db"), &host(rng, "redis"));
    spec.release = release;
    spec.authentication = authentication(rng, PROVIDERS[i % PROVIDERS.len()], &domain);
    let gateway = release.has_gateway();

    if rng.random_bool(0.3) {
        spec.images.registry = format!("registry.{}.example.com/osmo", label(rng, 2, 6));
    }
    if rng.random_bool(0.3) {
        let tags = if gateway {
            ["6.3.1", "6.3.1-hotfix.1", "6.3.0", "latest"]
        } else {
            ["6.2.10", "6.2.10-hotfix.1", "6.2.8", "latest"]
        };
        spec.images.tag = Some((*tags.choose(rng).unwrap()).to_owned());
    }
    if rng.random_bool(0.3) {
        spec.images.pull_secret = Some(format!("{}-pull", label(rng, 3, 8)));
    }

    let tls = (i / 9).is_multiple_of(2);
    // 6.3.1: the exposure cycles over 32 specs with the providers; 6.2.10: the ingress
    // class over 24.
    let kind = if gateway {
        EXPOSURES[(i / PROVIDERS.len()) % EXPOSURES.len()]
    } else {
        INGRESS_KINDS[i % INGRESS_KINDS.len()]
    };
    match kind {
        "loadBalancer" => {
            spec.gateway.exposure = Exposure::LoadBalancer;
            if tls {
                spec.gateway.tls_secret = Some(format!("{}-tls", label(rng, 3, 10)));
            } else if rng.random_bool(0.5) {
                spec.gateway.service_annotations.insert(
                    "service.beta.kubernetes.io/aws-load-balancer-ssl-ports".into(),
                    "443".into(),
                );
            }
        }
        "nginx" => spec.ingress.class_name = "nginx".into(),
        "alb" => {
            spec.ingress.class_name = "alb".into();
            spec.ingress.alb = Some(Alb {
                certificate_arn: format!(
                    "arn:aws:acm:us-east-1:{}:certificate/{}",
                    rng.random_range(100_000_000_000u64..999_999_999_999),
                    guid(rng)
                ),
                scheme: if tls {
                    AlbScheme::InternetFacing
                } else {
                    AlbScheme::Internal
                },
            });
        }
        _ => {
            spec.ingress.class_name = (*["traefik", "haproxy", "contour", "istio"]
                .choose(rng)
                .unwrap())
            .to_owned()
        }
    }
    let ingress = spec.gateway.exposure == Exposure::Ingress;
    if tls && ingress && spec.ingress.alb.is_none() {
        spec.ingress.tls_secret = Some(format!("{}-tls", label(rng, 3, 10)));
    }
    if ingress && rng.random_bool(0.3) {
        let mut extra = BTreeMap::new();
        extra.insert(
            format!("example.com/{}", label(rng, 3, 8)),
            label(rng, 1, 12),
        );
        spec.ingress.annotations = extra;
    }

    spec.postgres.port = *[5432, 5433, 6432].choose(rng).unwrap();
    if rng.random_bool(0.3) {
        spec.postgres.database = label(rng, 3, 10);
        spec.postgres.user = label(rng, 3, 10);
    }
    spec.redis.port = *[6379, 6380].choose(rng).unwrap();
    spec.redis.tls = rng.random_bool(0.7);
    // Servers without a password cycle with `i` (drawing would shift every later draw).
    (spec.postgres.password, spec.redis.password) = PASSWORDS[(i / 2) % PASSWORDS.len()];

    spec.sizing.preset = [Preset::Small, Preset::Medium, Preset::Large][(i / 3) % 3];
    if rng.random_bool(0.4) {
        let o = &mut spec.sizing.overrides;
        for (key, _) in osmo_values::spec::Overrides::default().entries() {
            if !rng.random_bool(0.3) {
                continue;
            }
            *o.slot_mut(key).expect("a component's key") = Some(random_override(rng, key));
        }
        // A max below the preset's replicas would be refused: keep the pair consistent.
        let resolved = osmo_values::sizing::resolve(&spec.sizing);
        for c in resolved.iter() {
            if let Some(max) = c.max_replicas
                && max < c.replicas
            {
                spec.sizing.overrides = Default::default();
                break;
            }
        }
    }

    let count = 1 + (i / 5) % 3;
    let mut names: Vec<String> = Vec::new();
    while names.len() < count {
        let name = label(rng, 3, 12);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let in_cluster = if gateway {
        // Through the gateway, which speaks plain HTTP inside the cluster unless it serves
        // TLS itself (then only the domain's name matches its certificate).
        spec.gateway
            .tls_secret
            .is_none()
            .then_some("http://osmo-gateway.osmo.svc.cluster.local")
    } else {
        Some("http://osmo-agent.osmo.svc.cluster.local")
    };
    let placement = (i / 4) % 3;
    spec.backends = names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let mut b = Backend::named(name);
            b.kind = *[
                BackendKind::Other,
                BackendKind::Eks,
                BackendKind::Aks,
                BackendKind::Gke,
                BackendKind::OnPremises,
            ]
            .choose(rng)
            .unwrap();
            if rng.random_bool(0.4) {
                b.namespace = format!("{name}-workflows");
                b.operator_namespace = format!("{name}-operator");
            }
            if rng.random_bool(0.3) {
                // The domain, or the in-cluster way (a backend in OSMO's cluster).
                b.service_url = Some(match in_cluster {
                    Some(url) if rng.random_bool(0.5) => url.to_owned(),
                    _ => format!("https://{domain}"),
                });
            }
            if count > 1 && rng.random_bool(0.5) {
                b.kube_context = Some(format!("{name}-admin"));
            }
            match (placement, k) {
                (1, 0) => {
                    b.operator_taint = Some(OperatorTaint {
                        key: "dedicated".into(),
                        value: Some("osmo-operator".into()),
                        effect: TaintEffect::NoSchedule,
                    })
                }
                (2, 0) => b.operator_nodes = None,
                _ => {}
            }
            if rng.random_bool(0.3) {
                b.compute_pools = vec![
                    format!("pool={}", label(rng, 2, 8)),
                    format!("example.com/accelerator={}", label(rng, 2, 8)),
                ];
            }
            b
        })
        .collect();
    if gateway {
        spec.gateway.upstream_tls = !i.is_multiple_of(3);
        spec.config_map_mode = i % 7 != 3;
        if spec.config_map_mode || rng.random_bool(0.5) {
            spec.storage = Some(storage(
                rng,
                STORAGE_KINDS[(i / 3) % STORAGE_KINDS.len()],
                &domain,
            ));
        }
    }
    spec.monitoring.pod_monitor = rng.random_bool(0.3);
    spec
}
