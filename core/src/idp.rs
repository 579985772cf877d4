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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Auth0, AwsIdentityCenter, EntraId, GenericOidc, Google, Keycloak, Okta};

    /// Every placeholder of every row is one its provider supplies.
    #[test]
    fn every_placeholder_is_known() {
        let known: &[(ProviderKind, &[&str])] = &[
            (ProviderKind::MicrosoftEntraId, &["tenantId"]),
            (ProviderKind::Google, &[]),
            (
                ProviderKind::AwsIdentityCenter,
                &["region", "instanceId", "userClaim"],
            ),
            (ProviderKind::Keycloak, &["baseUrl", "realm"]),
            (ProviderKind::Okta, &["domain", "issuerPath", "apiPath"]),
            (ProviderKind::Auth0, &["domain"]),
            (
                ProviderKind::Oidc,
                &[
                    "issuer",
                    "jwksUri",
                    "authorizationEndpoint",
                    "tokenEndpoint",
                    "deviceAuthorizationEndpoint",
                    "endSessionEndpoint",
                    "userClaim",
                ],
            ),
        ];
        assert_eq!(known.len(), PRESETS.len());
        for (kind, names) in known {
            let p = preset(*kind);
            assert_eq!(p.kind, *kind);
            let params: Vec<(&str, &str)> = names.iter().map(|n| (*n, "x")).collect();
            for t in [
                p.issuer,
                p.jwks_uri,
                p.authorize,
                p.token,
                p.device,
                p.logout,
                p.user_claim,
            ] {
                let out = expand(t, &params).unwrap_or_else(|| panic!("{kind:?}: {t}"));
                assert!(!out.contains('{'), "{kind:?}: {out}");
            }
        }
    }

    #[test]
    fn expand_reports_missing_placeholders() {
        assert_eq!(expand("a{b}c", &[("b", "X")]).as_deref(), Some("aXc"));
        assert_eq!(expand("a{b}c", &[]), None);
        assert_eq!(expand("a{b", &[("b", "X")]), None);
    }

    fn idp(auth: Authentication) -> Idp {
        Idp::from_auth(&auth).expect("provider")
    }

    #[test]
    fn entra_matches_the_guides() {
        let i = idp(Authentication::MicrosoftEntraId(EntraId {
            tenant_id: "T".into(),
            client_id: "C".into(),
        }));
        assert_eq!(i.issuer, "https://login.microsoftonline.com/T/v2.0");
        assert_eq!(
            i.jwks_uri,
            "https://login.microsoftonline.com/T/discovery/v2.0/keys"
        );
        assert_eq!(
            i.authorize,
            "https://login.microsoftonline.com/T/oauth2/v2.0/authorize"
        );
        assert_eq!(
            i.token,
            "https://login.microsoftonline.com/T/oauth2/v2.0/token"
        );
        assert_eq!(
            i.device,
            "https://login.microsoftonline.com/T/oauth2/v2.0/devicecode"
        );
        assert_eq!(i.user_claim, "preferred_username");
        assert_eq!(i.jwks_host, "login.microsoftonline.com");
        assert_eq!(i.client_id, "C");
    }

    #[test]
    fn google_keys_live_on_another_host() {
        let i = idp(Authentication::Google(Google {
            client_id: "1-a.apps.googleusercontent.com".into(),
        }));
        assert_eq!(i.issuer, "https://accounts.google.com");
        assert_eq!(i.jwks_host, "www.googleapis.com");
        assert_eq!(i.token, "https://oauth2.googleapis.com/token");
        assert_eq!(i.authorize, "https://accounts.google.com/o/oauth2/v2/auth");
        assert_eq!(i.user_claim, "email");
        assert_eq!(i.client_id, "1-a.apps.googleusercontent.com");
    }

    #[test]
    fn aws_drops_a_leading_ssoins() {
        for id in ["abc123", "ssoins-abc123"] {
            let i = idp(Authentication::AwsIdentityCenter(AwsIdentityCenter {
                region: "eu-west-1".into(),
                instance_id: id.into(),
                client_id: "c".into(),
                user_claim: None,
            }));
            assert_eq!(
                i.issuer,
                "https://identitycenter.eu-west-1.amazonaws.com/ssoins-abc123"
            );
            assert_eq!(i.jwks_uri, "https://oidc.eu-west-1.amazonaws.com/keys");
            assert_eq!(i.jwks_host, "oidc.eu-west-1.amazonaws.com");
            assert_eq!(i.authorize, "https://abc123.awsapps.com/start/authorize");
            assert_eq!(i.token, "https://oidc.eu-west-1.amazonaws.com/token");
            assert_eq!(i.user_claim, "email");
        }
    }

    #[test]
    fn keycloak_okta_auth0_and_oidc() {
        let k = idp(Authentication::Keycloak(Keycloak {
            base_url: "https://kc.example.com/".into(),
            realm: "r".into(),
            client_id: "c".into(),
        }));
        assert_eq!(k.issuer, "https://kc.example.com/realms/r");
        assert_eq!(
            k.jwks_uri,
            "https://kc.example.com/realms/r/protocol/openid-connect/certs"
        );
        assert_eq!(k.jwks_host, "kc.example.com");

        let org = idp(Authentication::Okta(Okta {
            domain: "x.okta.com".into(),
            client_id: "c".into(),
            authorization_server: None,
        }));
        assert_eq!(org.issuer, "https://x.okta.com");
        assert_eq!(org.jwks_uri, "https://x.okta.com/oauth2/v1/keys");
        let custom = idp(Authentication::Okta(Okta {
            domain: "x.okta.com".into(),
            client_id: "c".into(),
            authorization_server: Some("default".into()),
        }));
        assert_eq!(custom.issuer, "https://x.okta.com/oauth2/default");
        assert_eq!(custom.jwks_uri, "https://x.okta.com/oauth2/default/v1/keys");

        let a = idp(Authentication::Auth0(Auth0 {
            domain: "t.us.auth0.com".into(),
            client_id: "c".into(),
        }));
        assert_eq!(
            a.issuer, "https://t.us.auth0.com/",
            "Auth0 issuers end with a slash"
        );
        assert_eq!(a.jwks_uri, "https://t.us.auth0.com/.well-known/jwks.json");

        let o = idp(Authentication::Oidc(GenericOidc {
            issuer: "https://i.example.com".into(),
            jwks_uri: "https://keys.example.com/jwks".into(),
            authorization_endpoint: "https://i.example.com/a".into(),
            token_endpoint: "https://i.example.com/t".into(),
            device_authorization_endpoint: "https://i.example.com/d".into(),
            end_session_endpoint: "https://i.example.com/l".into(),
            user_claim: None,
            client_id: "c".into(),
        }));
        assert_eq!(o.jwks_host, "keys.example.com");
        assert_eq!(o.user_claim, "email");
        assert_eq!(o.device, "https://i.example.com/d");
    }

    #[test]
    fn no_provider_no_idp() {
        assert!(Idp::from_auth(&Authentication::None).is_none());
    }
}
