//! `osmo-values init`: ask for a deployment spec in the terminal, then write it and the
//! bundle generated from it.
//!
//! Every answer is checked with the library's own spec validation (only the problems of the
//! field just asked about) and asked again when it is wrong. Without a terminal on stdin the
//! command stops at once: scripts use `generate --spec` instead.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use osmo_values::Release;
use osmo_values::path::Path;
use osmo_values::spec::{
    Alb, AlbScheme, Auth0, Authentication, AwsIdentityCenter, AwsIrsa, AzureWorkloadIdentity,
    Backend, DeploymentSpec, EntraId, Exposure, GcpWorkloadIdentity, GenericOidc, Google, Keycloak,
    Okta, Preset, StaticKeys, Storage, StorageCredentials,
};
use serde::de::DeserializeOwned;

use super::generate;

/// Ask for a deployment spec in the terminal and write it with the generated bundle.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write spec.yaml and the bundle into (created when missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// Replace an existing mek-configmap.yaml or secrets.yaml in DIR (replaces the MEK).
    #[arg(long)]
    force: bool,
    /// Write no secrets.yaml: install.sh reads the secret values from environment variables.
    #[arg(long)]
    no_secrets: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if !std::io::stdin().is_terminal() {
        eprintln!(
            "error: `osmo-values init` asks questions and needs a terminal on stdin.\n\
             Without one, write a spec and run `osmo-values generate --spec spec.yaml --out DIR`,\n\
             or start from the built-in example: `osmo-values generate --example --out DIR`."
        );
        return Ok(ExitCode::from(2));
    }
    // Fail before the questions, not after them.
    generate::check_out_dir(&args.out, args.force)?;
    let stdin = std::io::stdin();
    let mut prompter = Prompter {
        input: stdin.lock(),
        out: std::io::stdout(),
        spec: DeploymentSpec::minimal("", "", ""),
    };
    prompter.interview()?;
    let spec = prompter.spec;
    let rendered = generate::render(&spec, args.no_secrets)?;
    println!();
    generate::write_bundle(&args.out, &rendered, args.force, false)?;
    Ok(ExitCode::SUCCESS)
}

/// Asks the questions and builds the spec, one checked field at a time.
struct Prompter<R, W> {
    input: R,
    out: W,
    spec: DeploymentSpec,
}

/// What to do with an empty answer.
enum Default<'a> {
    /// An answer is required.
    Required,
    /// Use this answer.
    Value(&'a str),
    /// The field is optional: leave it unset (also for the answer `none`).
    Unset,
}

type Apply<'f> = dyn Fn(&mut DeploymentSpec, Option<&str>) -> Result<(), String> + 'f;

impl<R: BufRead, W: Write> Prompter<R, W> {
    fn interview(&mut self) -> Result<()> {
        self.say(
            "Answer each question; press Enter to take the default shown in [brackets].\n\
             Secrets are not asked for: they come from environment variables or secrets.yaml.\n",
        )?;
        let latest = Release::LATEST.as_str();
        self.ask(
            &format!(
                "OSMO release ({})",
                Release::ALL
                    .iter()
                    .rev()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Default::Value(latest),
            "release",
            &|s, v| {
                s.release = v
                    .unwrap_or_default()
                    .parse::<Release>()
                    .map_err(|e| e.to_string())?;
                Ok(())
            },
        )?;
        self.ask(
            "Domain OSMO is served on (such as osmo.example.com)",
            Default::Required,
            "domain",
            &|s, v| {
                s.domain = v.unwrap_or_default().to_owned();
                Ok(())
            },
        )?;
        let registry = self.spec.images.registry.clone();
        self.ask(
            "Image registry",
            Default::Value(&registry),
            "images.registry",
            &|s, v| {
                s.images.registry = v.unwrap_or_default().to_owned();
                Ok(())
            },
        )?;
        let tag = self.spec.image_tag().to_owned();
        self.ask("Image tag", Default::Value(&tag), "images.tag", &|s, v| {
            s.images.tag = v.map(str::to_owned);
            Ok(())
        })?;
        self.ask(
            "Image pull secret name (for private registries)",
            Default::Unset,
            "images.pullSecret",
            &|s, v| {
                s.images.pull_secret = v.map(str::to_owned);
                Ok(())
            },
        )?;
        self.authentication()?;
        if self.spec.release.has_gateway() {
            self.gateway()?;
        } else {
            self.ingress()?;
        }
        if self.spec.release.has_configmap_mode() {
            self.storage()?;
        }
        self.databases()?;
        self.ask(
            "Sizing preset (small, medium, large)",
            Default::Value("small"),
            "sizing.preset",
            &|s, v| {
                s.sizing.preset = enum_value::<Preset>(v.unwrap_or_default())?;
                Ok(())
            },
        )?;
        self.ask(
            "Backend names, separated by commas (one backend operator each)",
            Default::Value("default"),
            "backends",
            &|s, v| {
                s.backends = v
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(Backend::named)
                    .collect();
                Ok(())
            },
        )?;
        self.ask(
            "Create Prometheus PodMonitors (needs the Prometheus Operator CRDs)",
            Default::Value("no"),
            "monitoring.podMonitor",
            &|s, v| {
                s.monitoring.pod_monitor = yes_no(v.unwrap_or_default())?;
                Ok(())
            },
        )?;
        let problems = self.spec.validate();
        if !problems.is_empty() {
            // Every field was checked as it was asked; a problem here spans several fields.
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            bail!("the answers do not make a usable spec: {}", list.join("; "));
        }
        Ok(())
    }

    fn authentication(&mut self) -> Result<()> {
        const PROVIDERS: [&str; 8] = [
            "none",
            "microsoftEntraId",
            "google",
            "awsIdentityCenter",
            "keycloak",
            "okta",
            "auth0",
            "oidc",
        ];
        self.say("\nIdentity providers:")?;
        for (i, name) in PROVIDERS.iter().enumerate() {
            let note = if *name == "none" {
                " (a default admin user with a generated password)"
            } else {
                ""
            };
            self.say(&format!("  {}. {name}{note}", i + 1))?;
        }
        self.ask(
            "Identity provider (number or name)",
            Default::Value("none"),
            // The provider's own fields are asked next: only the choice itself is checked here.
            "authentication.provider",
            &|s, v| {
                let v = v.unwrap_or_default();
                let name = match v.parse::<usize>() {
                    Ok(n) if (1..=PROVIDERS.len()).contains(&n) => PROVIDERS[n - 1],
                    _ => PROVIDERS
                        .into_iter()
                        .find(|p| p.eq_ignore_ascii_case(v))
                        .ok_or_else(|| format!("choose one of: {}", PROVIDERS.join(", ")))?,
                };
                s.authentication = empty_provider(name);
                Ok(())
            },
        )?;
        let auth = |key: &str| format!("authentication.{key}");
        macro_rules! field {
            ($question:expr, $default:expr, $key:literal, $variant:ident, $field:ident, required) => {
                self.ask($question, $default, &auth($key), &|s, v| {
                    if let Authentication::$variant(a) = &mut s.authentication {
                        a.$field = v.unwrap_or_default().to_owned();
                    }
                    Ok(())
                })?
            };
            ($question:expr, $key:literal, $variant:ident, $field:ident, optional) => {
                self.ask($question, Default::Unset, &auth($key), &|s, v| {
                    if let Authentication::$variant(a) = &mut s.authentication {
                        a.$field = v.map(str::to_owned);
                    }
                    Ok(())
                })?
            };
        }
        match self.spec.authentication {
            Authentication::MicrosoftEntraId(_) => {
                field!(
                    "Directory (tenant) ID",
                    Default::Required,
                    "tenantId",
                    MicrosoftEntraId,
                    tenant_id,
                    required
                );
                field!(
                    "Application (client) ID",
                    Default::Required,
                    "clientId",
                    MicrosoftEntraId,
                    client_id,
                    required
                );
            }
            Authentication::Google(_) => {
                field!(
                    "OAuth client ID (…apps.googleusercontent.com)",
                    Default::Required,
                    "clientId",
                    Google,
                    client_id,
                    required
                );
            }
            Authentication::AwsIdentityCenter(_) => {
                field!(
                    "AWS region (such as us-east-1)",
                    Default::Required,
                    "region",
                    AwsIdentityCenter,
                    region,
                    required
                );
                field!(
                    "Identity Center instance ID (ssoins-…)",
                    Default::Required,
                    "instanceId",
                    AwsIdentityCenter,
                    instance_id,
                    required
                );
                field!(
                    "Client ID",
                    Default::Required,
                    "clientId",
                    AwsIdentityCenter,
                    client_id,
                    required
                );
                field!(
                    "Claim naming the user (default: email)",
                    "userClaim",
                    AwsIdentityCenter,
                    user_claim,
                    optional
                );
            }
            Authentication::Keycloak(_) => {
                field!(
                    "Keycloak base URL (such as https://auth.example.com)",
                    Default::Required,
                    "baseUrl",
                    Keycloak,
                    base_url,
                    required
                );
                field!(
                    "Realm",
                    Default::Required,
                    "realm",
                    Keycloak,
                    realm,
                    required
                );
                field!(
                    "Client ID",
                    Default::Required,
                    "clientId",
                    Keycloak,
                    client_id,
                    required
                );
            }
            Authentication::Okta(_) => {
                field!(
                    "Okta domain (such as example.okta.com)",
                    Default::Required,
                    "domain",
                    Okta,
                    domain,
                    required
                );
                field!(
                    "Client ID",
                    Default::Required,
                    "clientId",
                    Okta,
                    client_id,
                    required
                );
                field!(
                    "Authorization server ID (such as default)",
                    "authorizationServer",
                    Okta,
                    authorization_server,
                    optional
                );
            }
            Authentication::Auth0(_) => {
                field!(
                    "Auth0 domain (such as example.us.auth0.com)",
                    Default::Required,
                    "domain",
                    Auth0,
                    domain,
                    required
                );
                field!(
                    "Client ID",
                    Default::Required,
                    "clientId",
                    Auth0,
                    client_id,
                    required
                );
            }
            Authentication::Oidc(_) => {
                field!(
                    "Issuer URL",
                    Default::Required,
                    "issuer",
                    Oidc,
                    issuer,
                    required
                );
                field!(
                    "JWKS URI (signing keys)",
                    Default::Required,
                    "jwksUri",
                    Oidc,
                    jwks_uri,
                    required
                );
                field!(
                    "Authorization endpoint",
                    Default::Required,
                    "authorizationEndpoint",
                    Oidc,
                    authorization_endpoint,
                    required
                );
                field!(
                    "Token endpoint",
                    Default::Required,
                    "tokenEndpoint",
                    Oidc,
                    token_endpoint,
                    required
                );
                field!(
                    "Device authorization endpoint",
                    Default::Required,
                    "deviceAuthorizationEndpoint",
                    Oidc,
                    device_authorization_endpoint,
                    required
                );
                field!(
                    "End-session (logout) endpoint",
                    Default::Required,
                    "endSessionEndpoint",
                    Oidc,
                    end_session_endpoint,
                    required
                );
                field!(
                    "Client ID",
                    Default::Required,
                    "clientId",
                    Oidc,
                    client_id,
                    required
                );
                field!(
                    "Claim naming the user (default: preferred_username)",
                    "userClaim",
                    Oidc,
                    user_claim,
                    optional
                );
            }
            Authentication::None => {}
        }
        Ok(())
    }

    fn ingress(&mut self) -> Result<()> {
        self.say("")?;
        self.ask(
            "Ingress class (nginx, alb, or another installed class)",
            Default::Value("nginx"),
            "ingress.className",
            &|s, v| {
                s.ingress.class_name = v.unwrap_or_default().to_owned();
                // ALB settings go with the alb class only; they are asked next.
                s.ingress.alb = s.is_alb().then(|| Alb {
                    certificate_arn: String::new(),
                    scheme: AlbScheme::default(),
                });
                Ok(())
            },
        )?;
        if self.spec.is_alb() {
            self.ask(
                "ACM certificate ARN for the domain",
                Default::Required,
                "ingress.alb.certificateArn",
                &|s, v| {
                    if let Some(alb) = &mut s.ingress.alb {
                        alb.certificate_arn = v.unwrap_or_default().to_owned();
                    }
                    Ok(())
                },
            )?;
            self.ask(
                "Load balancer scheme (internet-facing, internal)",
                Default::Value("internet-facing"),
                "ingress.alb.scheme",
                &|s, v| {
                    if let Some(alb) = &mut s.ingress.alb {
                        alb.scheme = enum_value::<AlbScheme>(v.unwrap_or_default())?;
                    }
                    Ok(())
                },
            )?;
        } else {
            self.ask(
                "TLS secret in namespace osmo the ingress serves HTTPS with",
                Default::Unset,
                "ingress.tlsSecret",
                &|s, v| {
                    s.ingress.tls_secret = v.map(str::to_owned);
                    Ok(())
                },
            )?;
        }
        Ok(())
    }

    /// OSMO 6.3.1: how the gateway is exposed, TLS at it and behind it.
    fn gateway(&mut self) -> Result<()> {
        self.say("")?;
        self.ask(
            "How clients reach the gateway (ingress, loadBalancer)",
            Default::Value("ingress"),
            "gateway.exposure",
            &|s, v| {
                s.gateway.exposure = enum_value::<Exposure>(v.unwrap_or_default())?;
                Ok(())
            },
        )?;
        match self.spec.gateway.exposure {
            Exposure::Ingress => self.ingress()?,
            Exposure::LoadBalancer => {
                self.ask(
                    "TLS secret in namespace osmo the gateway serves HTTPS with (none: TLS ends at the load balancer)",
                    Default::Unset,
                    "gateway.tlsSecret",
                    &|s, v| {
                        s.gateway.tls_secret = v.map(str::to_owned);
                        Ok(())
                    },
                )?;
            }
        }
        self.ask(
            "TLS between the gateway and OSMO's services",
            Default::Value("yes"),
            "gateway.upstreamTls",
            &|s, v| {
                s.gateway.upstream_tls = yes_no(v.unwrap_or_default())?;
                Ok(())
            },
        )?;
        Ok(())
    }

    /// OSMO 6.3.1: ConfigMap mode and the workflow storage.
    fn storage(&mut self) -> Result<()> {
        self.say("")?;
        self.ask(
            "Keep OSMO's configuration in the chart's ConfigMap (ConfigMap mode)",
            Default::Value("yes"),
            "configMapMode",
            &|s, v| {
                s.config_map_mode = yes_no(v.unwrap_or_default())?;
                Ok(())
            },
        )?;
        if !self.spec.config_map_mode {
            let wanted = std::cell::Cell::new(false);
            self.ask(
                "Configure the workflow storage now (else with the osmo CLI later)",
                Default::Value("no"),
                "storage",
                &|_, v| {
                    wanted.set(yes_no(v.unwrap_or_default())?);
                    Ok(())
                },
            )?;
            if !wanted.get() {
                return Ok(());
            }
        }
        self.spec.storage = Some(Storage {
            log_uri: String::new(),
            data_uri: String::new(),
            region: None,
            override_url: None,
            credentials: StorageCredentials::Static(StaticKeys::default()),
        });
        macro_rules! storage_field {
            ($question:expr, $default:expr, $key:literal, $field:ident, required) => {
                self.ask($question, $default, concat!("storage.", $key), &|s, v| {
                    if let Some(st) = &mut s.storage {
                        st.$field = v.unwrap_or_default().to_owned();
                    }
                    Ok(())
                })?
            };
            ($question:expr, $key:literal, $field:ident, optional) => {
                self.ask(
                    $question,
                    Default::Unset,
                    concat!("storage.", $key),
                    &|s, v| {
                        if let Some(st) = &mut s.storage {
                            st.$field = v.map(str::to_owned);
                        }
                        Ok(())
                    },
                )?
            };
        }
        storage_field!(
            "Storage URI of the workflow logs (such as s3://osmo-logs/workflows)",
            Default::Required,
            "logUri",
            log_uri,
            required
        );
        let logs = self
            .spec
            .storage
            .as_ref()
            .map(|s| s.log_uri.clone())
            .unwrap_or_default();
        storage_field!(
            "Storage URI of the workflow data",
            Default::Value(&logs),
            "dataUri",
            data_uri,
            required
        );
        storage_field!(
            "Storage region (such as us-west-2)",
            "region",
            region,
            optional
        );
        storage_field!(
            "URL of an S3-compatible service such as MinIO (none for the cloud's own storage)",
            "overrideUrl",
            override_url,
            optional
        );
        const KINDS: [&str; 4] = [
            "awsIrsa",
            "azureWorkloadIdentity",
            "gcpWorkloadIdentity",
            "static",
        ];
        self.say("\nStorage credentials:")?;
        self.say("  1. awsIrsa (an IAM role for the ServiceAccount osmo)")?;
        self.say("  2. azureWorkloadIdentity (a managed identity for the ServiceAccount osmo)")?;
        self.say(
            "  3. gcpWorkloadIdentity (a Google service account for the ServiceAccount osmo)",
        )?;
        self.say("  4. static (an access key pair in Secrets; from secrets.yaml)")?;
        self.ask(
            "Storage credentials (number or name)",
            Default::Value("static"),
            // The kind's own field is asked next: only the choice itself is checked here.
            "storage.credentials.kind",
            &|s, v| {
                let v = v.unwrap_or_default();
                let kind = match v.parse::<usize>() {
                    Ok(n) if (1..=KINDS.len()).contains(&n) => KINDS[n - 1],
                    _ => KINDS
                        .into_iter()
                        .find(|k| k.eq_ignore_ascii_case(v))
                        .ok_or_else(|| format!("choose one of: {}", KINDS.join(", ")))?,
                };
                if let Some(st) = &mut s.storage {
                    st.credentials = match kind {
                        "awsIrsa" => StorageCredentials::AwsIrsa(AwsIrsa {
                            role_arn: String::new(),
                        }),
                        "azureWorkloadIdentity" => {
                            StorageCredentials::AzureWorkloadIdentity(AzureWorkloadIdentity {
                                client_id: String::new(),
                            })
                        }
                        "gcpWorkloadIdentity" => {
                            StorageCredentials::GcpWorkloadIdentity(GcpWorkloadIdentity {
                                service_account: String::new(),
                            })
                        }
                        _ => StorageCredentials::Static(StaticKeys::default()),
                    };
                }
                Ok(())
            },
        )?;
        let credential = |s: &mut DeploymentSpec, v: Option<&str>| {
            let v = v.unwrap_or_default().to_owned();
            match s.storage.as_mut().map(|st| &mut st.credentials) {
                Some(StorageCredentials::AwsIrsa(a)) => a.role_arn = v,
                Some(StorageCredentials::AzureWorkloadIdentity(a)) => a.client_id = v,
                Some(StorageCredentials::GcpWorkloadIdentity(a)) => a.service_account = v,
                _ => {}
            }
            Ok(())
        };
        match self.spec.storage.as_ref().map(|s| &s.credentials) {
            Some(StorageCredentials::AwsIrsa(_)) => self.ask(
                "IAM role ARN (arn:aws:iam::<account>:role/<name>)",
                Default::Required,
                "storage.credentials.roleArn",
                &credential,
            )?,
            Some(StorageCredentials::AzureWorkloadIdentity(_)) => self.ask(
                "Managed identity client ID",
                Default::Required,
                "storage.credentials.clientId",
                &credential,
            )?,
            Some(StorageCredentials::GcpWorkloadIdentity(_)) => self.ask(
                "Google service account (name@project.iam.gserviceaccount.com)",
                Default::Required,
                "storage.credentials.serviceAccount",
                &credential,
            )?,
            _ => {}
        }
        Ok(())
    }

    fn databases(&mut self) -> Result<()> {
        self.say("")?;
        self.ask(
            "PostgreSQL host",
            Default::Required,
            "postgres.host",
            &|s, v| {
                s.postgres.host = v.unwrap_or_default().to_owned();
                Ok(())
            },
        )?;
        self.ask(
            "PostgreSQL port",
            Default::Value("5432"),
            "postgres.port",
            &|s, v| {
                s.postgres.port = port(v.unwrap_or_default())?;
                Ok(())
            },
        )?;
        self.ask(
            "PostgreSQL database",
            Default::Value("osmo"),
            "postgres.database",
            &|s, v| {
                s.postgres.database = v.unwrap_or_default().to_owned();
                Ok(())
            },
        )?;
        self.ask(
            "PostgreSQL user",
            Default::Value("postgres"),
            "postgres.user",
            &|s, v| {
                s.postgres.user = v.unwrap_or_default().to_owned();
                Ok(())
            },
        )?;
        self.ask("Redis host", Default::Required, "redis.host", &|s, v| {
            s.redis.host = v.unwrap_or_default().to_owned();
            Ok(())
        })?;
        self.ask(
            "Redis port",
            Default::Value("6379"),
            "redis.port",
            &|s, v| {
                s.redis.port = port(v.unwrap_or_default())?;
                Ok(())
            },
        )?;
        self.ask(
            "Redis over TLS",
            Default::Value("yes"),
            "redis.tls",
            &|s, v| {
                s.redis.tls = yes_no(v.unwrap_or_default())?;
                Ok(())
            },
        )?;
        Ok(())
    }

    fn say(&mut self, text: &str) -> Result<()> {
        writeln!(self.out, "{text}")?;
        Ok(())
    }

    /// Asks until the answer applies and the spec has no problem under `field` (a dotted path).
    fn ask(
        &mut self,
        question: &str,
        default: Default<'_>,
        field: &str,
        apply: &Apply<'_>,
    ) -> Result<()> {
        let path = Path::keys(field);
        let hint = match default {
            Default::Required => String::new(),
            Default::Value(v) => format!(" [{v}]"),
            Default::Unset => " [none]".to_owned(),
        };
        loop {
            write!(self.out, "{question}{hint}: ")?;
            self.out.flush()?;
            let mut line = String::new();
            if self.input.read_line(&mut line)? == 0 {
                writeln!(self.out)?;
                bail!("input ended before every question was answered; nothing was written");
            }
            let answer = line.trim();
            let value = match (&default, answer) {
                (Default::Required, "") => {
                    writeln!(self.out, "  an answer is needed")?;
                    continue;
                }
                (Default::Value(v), "") => Some(*v),
                (Default::Unset, "" | "none" | "-") => None,
                (_, a) => Some(a),
            };
            let mut candidate = self.spec.clone();
            if let Err(message) = apply(&mut candidate, value) {
                writeln!(self.out, "  {message}")?;
                continue;
            }
            let problems: Vec<_> = candidate
                .validate()
                .into_iter()
                .filter(|p| p.path.0.starts_with(&path.0))
                .collect();
            if problems.is_empty() {
                self.spec = candidate;
                return Ok(());
            }
            for p in problems {
                writeln!(self.out, "  {}: {}", p.path, p.message)?;
            }
        }
    }
}

fn empty_provider(name: &str) -> Authentication {
    let s = String::new;
    match name {
        "microsoftEntraId" => Authentication::MicrosoftEntraId(EntraId {
            tenant_id: s(),
            client_id: s(),
        }),
        "google" => Authentication::Google(Google { client_id: s() }),
        "awsIdentityCenter" => Authentication::AwsIdentityCenter(AwsIdentityCenter {
            region: s(),
            instance_id: s(),
            client_id: s(),
            user_claim: None,
        }),
        "keycloak" => Authentication::Keycloak(Keycloak {
            base_url: s(),
            realm: s(),
            client_id: s(),
        }),
        "okta" => Authentication::Okta(Okta {
            domain: s(),
            client_id: s(),
            authorization_server: None,
        }),
        "auth0" => Authentication::Auth0(Auth0 {
            domain: s(),
            client_id: s(),
        }),
        "oidc" => Authentication::Oidc(GenericOidc {
            issuer: s(),
            jwks_uri: s(),
            authorization_endpoint: s(),
            token_endpoint: s(),
            device_authorization_endpoint: s(),
            end_session_endpoint: s(),
            user_claim: None,
            client_id: s(),
        }),
        _ => Authentication::None,
    }
}

/// Reads a closed-set answer the way the spec file does (its serde names).
fn enum_value<T: DeserializeOwned>(answer: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(answer.to_owned())).map_err(|e| e.to_string())
}

fn port(answer: &str) -> Result<u16, String> {
    answer
        .parse::<u16>()
        .map_err(|_| format!("`{answer}` is not a port number (1-65535)"))
}

fn yes_no(answer: &str) -> Result<bool, String> {
    match answer.to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" => Ok(true),
        "n" | "no" | "false" => Ok(false),
        _ => Err("answer yes or no".to_owned()),
    }
}
