//! Identity-provider presets: ONE table from which every endpoint, issuer,
//! JWKS URI, user claim and Envoy IdP host of a deployment is derived.
//!
//! Each row holds URL templates with `{placeholders}` that the spec's
//! provider settings fill in ([`Idp::from_auth`]). The chart values read
//! the derived [`Idp`]:
//! - `sidecars.envoy.jwt.providers[]` (issuer, audience = client id, jwks_uri, user_claim,
//!   cluster `idp`) and `sidecars.envoy.idp.host` (the host of the JWKS URI);
//! - `sidecars.oauth2Proxy.oidcIssuerUrl` (= the JWT issuer) and `clientId`;
//! - `services.service.auth` (device, browser, token and logout endpoints).
//!
//! ```
//! use osmo_values::idp::Idp;
//! use osmo_values::spec::{Authentication, EntraId};
//! let auth = Authentication::MicrosoftEntraId(EntraId {
//!     tenant_id: "t1".into(),
//!     client_id: "c1".into(),
//! });
//! let idp = Idp::from_auth(&auth).unwrap();
//! assert_eq!(idp.issuer, "https://login.microsoftonline.com/t1/v2.0");
//! assert_eq!(idp.jwks_host, "login.microsoftonline.com");
//! ```

use serde::Serialize;

use crate::spec::{Authentication, split_url};

/// Which kind of identity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ProviderKind {
    /// Microsoft Entra ID.
    MicrosoftEntraId,
    /// Google.
    Google,
    /// AWS IAM Identity Center.
    AwsIdentityCenter,
    /// Keycloak.
    Keycloak,
    /// Okta.
    Okta,
    /// Auth0.
    Auth0,
    /// A generic OpenID Connect provider.
    Oidc,
}

/// One row of the preset table: URL templates with `{placeholders}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// Which provider.
    pub kind: ProviderKind,
    /// The provider's name for people.
    pub title: &'static str,
    /// Token issuer (`iss`); also oauth2-proxy's OIDC issuer URL.
    pub issuer: &'static str,
    /// Signing keys (JWKS) URL.
    pub jwks_uri: &'static str,
    /// Browser authorization endpoint.
    pub authorize: &'static str,
    /// Token endpoint.
    pub token: &'static str,
    /// Device authorization endpoint (OSMO CLI login).
    pub device: &'static str,
    /// Logout (end-session) endpoint.
    pub logout: &'static str,
    /// Claim naming the user.
    pub user_claim: &'static str,
    /// Scopes oauth2-proxy requests.
    pub scope: &'static str,
    /// Where the application is registered, for NEXT_STEPS.md.
    pub console: &'static str,
}

const SCOPE: &str = "openid email profile";

/// The preset table.
pub const PRESETS: [Preset; 7] = [
    Preset {
        kind: ProviderKind::MicrosoftEntraId,
        title: "Microsoft Entra ID",
        issuer: "https://login.microsoftonline.com/{tenantId}/v2.0",
        jwks_uri: "https://login.microsoftonline.com/{tenantId}/discovery/v2.0/keys",
        authorize: "https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/authorize",
        token: "https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token",
        device: "https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/devicecode",
        logout: "https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/logout",
        user_claim: "preferred_username",
        scope: SCOPE,
        console: "Microsoft Entra admin center > App registrations > (your app) > Authentication",
    },
    Preset {
        kind: ProviderKind::Google,
        title: "Google",
        issuer: "https://accounts.google.com",
        jwks_uri: "https://www.googleapis.com/oauth2/v3/certs",
        authorize: "https://accounts.google.com/o/oauth2/v2/auth",
        token: "https://oauth2.googleapis.com/token",
        device: "https://oauth2.googleapis.com/device/code",
        logout: "https://accounts.google.com/Logout",
        user_claim: "email",
        scope: SCOPE,
        console: "Google Cloud console > APIs & Services > Credentials > (your OAuth client)",
    },
    Preset {
        kind: ProviderKind::AwsIdentityCenter,
        title: "AWS IAM Identity Center",
        issuer: "https://identitycenter.{region}.amazonaws.com/ssoins-{instanceId}",
        jwks_uri: "https://oidc.{region}.amazonaws.com/keys",
        authorize: "https://{instanceId}.awsapps.com/start/authorize",
        token: "https://oidc.{region}.amazonaws.com/token",
        device: "https://oidc.{region}.amazonaws.com/device_authorization",
        logout: "https://{instanceId}.awsapps.com/start/logout",
        user_claim: "{userClaim}",
        scope: SCOPE,
        console: "IAM Identity Center console > Applications > (your application)",
    },
    Preset {
        kind: ProviderKind::Keycloak,
        title: "Keycloak",
        issuer: "{baseUrl}/realms/{realm}",
        jwks_uri: "{baseUrl}/realms/{realm}/protocol/openid-connect/certs",
        authorize: "{baseUrl}/realms/{realm}/protocol/openid-connect/auth",
        token: "{baseUrl}/realms/{realm}/protocol/openid-connect/token",
        device: "{baseUrl}/realms/{realm}/protocol/openid-connect/auth/device",
        logout: "{baseUrl}/realms/{realm}/protocol/openid-connect/logout",
        user_claim: "preferred_username",
        scope: SCOPE,
        console: "Keycloak admin console > (your realm) > Clients > (your client) > Settings",
    },
    Preset {
        kind: ProviderKind::Okta,
        title: "Okta",
        issuer: "https://{domain}{issuerPath}",
        jwks_uri: "https://{domain}{apiPath}/v1/keys",
        authorize: "https://{domain}{apiPath}/v1/authorize",
        token: "https://{domain}{apiPath}/v1/token",
        device: "https://{domain}{apiPath}/v1/device/authorize",
        logout: "https://{domain}{apiPath}/v1/logout",
        user_claim: "preferred_username",
        scope: SCOPE,
        console: "Okta Admin Console > Applications > (your app) > General",
    },
    Preset {
        kind: ProviderKind::Auth0,
        title: "Auth0",
        issuer: "https://{domain}/",
        jwks_uri: "https://{domain}/.well-known/jwks.json",
        authorize: "https://{domain}/authorize",
        token: "https://{domain}/oauth/token",
        device: "https://{domain}/oauth/device/code",
        logout: "https://{domain}/oidc/logout",
        user_claim: "email",
        scope: SCOPE,
        console: "Auth0 Dashboard > Applications > (your application) > Settings",
    },
    Preset {
        kind: ProviderKind::Oidc,
        title: "OpenID Connect provider",
        issuer: "{issuer}",
        jwks_uri: "{jwksUri}",
        authorize: "{authorizationEndpoint}",
        token: "{tokenEndpoint}",
        device: "{deviceAuthorizationEndpoint}",
        logout: "{endSessionEndpoint}",
        user_claim: "{userClaim}",
        scope: SCOPE,
        console: "your identity provider's application settings",
    },
];

/// The preset row of a provider.
pub fn preset(kind: ProviderKind) -> &'static Preset {
    PRESETS
        .iter()
        .find(|p| p.kind == kind)
        .unwrap_or(&PRESETS[PRESETS.len() - 1])
}

/// Everything a deployment needs to know about its identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Idp {
    /// Which provider.
    pub kind: ProviderKind,
    /// The provider's name for people.
    pub title: &'static str,
    /// OAuth client id: the tokens' audience and oauth2-proxy's client id.
    pub client_id: String,
    /// Token issuer; also oauth2-proxy's OIDC issuer URL.
    pub issuer: String,
    /// JWKS URL.
    pub jwks_uri: String,
    /// Host of the JWKS URL: Envoy's `sidecars.envoy.idp.host`.
    pub jwks_host: String,
    /// Browser authorization endpoint.
    pub authorize: String,
    /// Token endpoint.
    pub token: String,
    /// Device authorization endpoint.
    pub device: String,
    /// Logout endpoint.
    pub logout: String,
    /// Claim naming the user.
    pub user_claim: String,
    /// Scopes oauth2-proxy requests.
    pub scope: &'static str,
    /// Where the application is registered.
    pub console: &'static str,
}

/// Fills `{name}` placeholders from `params`; `None` when one is missing.
pub fn expand(template: &str, params: &[(&str, &str)]) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find('}')?;
        let name = &after[..end];
        let value = params.iter().find(|(k, _)| *k == name)?.1;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

impl Idp {
    /// Derives the provider settings from the spec's authentication; `None` without an IdP.
    pub fn from_auth(auth: &Authentication) -> Option<Idp> {
        let okta_paths;
        let (kind, client_id, params): (ProviderKind, &str, Vec<(&str, &str)>) = match auth {
            Authentication::None => return None,
            Authentication::MicrosoftEntraId(a) => (
                ProviderKind::MicrosoftEntraId,
                &a.client_id,
                vec![("tenantId", &a.tenant_id)],
            ),
            Authentication::Google(a) => (ProviderKind::Google, &a.client_id, vec![]),
            Authentication::AwsIdentityCenter(a) => (
                ProviderKind::AwsIdentityCenter,
                &a.client_id,
                vec![
                    ("region", &a.region),
                    (
                        "instanceId",
                        a.instance_id
                            .strip_prefix("ssoins-")
                            .unwrap_or(&a.instance_id),
                    ),
                    ("userClaim", a.user_claim.as_deref().unwrap_or("email")),
                ],
            ),
            Authentication::Keycloak(a) => (
                ProviderKind::Keycloak,
                &a.client_id,
                vec![
                    ("baseUrl", a.base_url.trim_end_matches('/')),
                    ("realm", &a.realm),
                ],
            ),
            Authentication::Okta(a) => {
                okta_paths = match &a.authorization_server {
                    Some(id) => (format!("/oauth2/{id}"), format!("/oauth2/{id}")),
                    None => (String::new(), "/oauth2".to_owned()),
                };
                (
                    ProviderKind::Okta,
                    &a.client_id,
                    vec![
                        ("domain", &a.domain),
                        ("issuerPath", &okta_paths.0),
                        ("apiPath", &okta_paths.1),
                    ],
                )
            }
            Authentication::Auth0(a) => (
                ProviderKind::Auth0,
                &a.client_id,
                vec![("domain", &a.domain)],
            ),
            Authentication::Oidc(a) => (
                ProviderKind::Oidc,
                &a.client_id,
                vec![
                    ("issuer", &a.issuer),
                    ("jwksUri", &a.jwks_uri),
                    ("authorizationEndpoint", &a.authorization_endpoint),
                    ("tokenEndpoint", &a.token_endpoint),
                    (
                        "deviceAuthorizationEndpoint",
                        &a.device_authorization_endpoint,
                    ),
                    ("endSessionEndpoint", &a.end_session_endpoint),
                    ("userClaim", a.user_claim.as_deref().unwrap_or("email")),
                ],
            ),
        };
        let p = preset(kind);
        let x = |t: &str| expand(t, &params).unwrap_or_default();
        let jwks_uri = x(p.jwks_uri);
        let jwks_host = split_url(&jwks_uri)
            .map(|u| u.host.to_owned())
            .unwrap_or_default();
        Some(Idp {
            kind,
            title: p.title,
            client_id: client_id.to_owned(),
            issuer: x(p.issuer),
            jwks_host,
            jwks_uri,
            authorize: x(p.authorize),
            token: x(p.token),
            device: x(p.device),
            logout: x(p.logout),
            user_claim: x(p.user_claim),
            scope: p.scope,
            console: p.console,
        })
    }
}

/// The redirect URIs to register at the IdP: OSMO's login callback and oauth2-proxy's.
///
/// ```
/// assert_eq!(
///     osmo_values::idp::redirect_uris("osmo.example.com"),
///     ["https://osmo.example.com/api/auth/getAToken", "https://osmo.example.com/oauth2/callback"]
/// );
/// ```
pub fn redirect_uris(domain: &str) -> [String; 2] {
    [
        format!("https://{domain}/api/auth/getAToken"),
        format!("https://{domain}/oauth2/callback"),
    ]
}
