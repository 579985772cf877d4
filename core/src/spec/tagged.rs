//! Reading the spec's two choices named by a field of their own, `authentication.provider`
//! and `storage.credentials.kind`, by hand instead of serde's derive.
//!
//! serde reads an internally tagged enum by buffering the whole map in its private `Content`
//! type and reading the variant again from that, which costs the browser wizard about 25 KB
//! of WebAssembly; these read the map as JSON, take the tag out, and read the variant's
//! fields from the rest. What they accept and refuse is the derive's: the tag is required, a
//! variant of fields refuses unknown ones, `none` ignores any other field, and an unknown
//! tag is an error naming the known ones, in the derive's words. Only a list in place of the
//! map, which the derive would read by position, is refused. (The spec's reader finds every
//! such problem first, in words, at the field's path: see [`super::read`].)

use std::fmt;

use serde::de::{
    Deserialize, DeserializeOwned, Deserializer, Error, MapAccess, Unexpected, Visitor,
};
use serde_json::{Map, Value};

use super::{Authentication, StorageCredentials};

/// The variants' names of `authentication.provider`, as the spec writes them.
const PROVIDERS: &[&str] = &[
    "microsoftEntraId",
    "google",
    "awsIdentityCenter",
    "keycloak",
    "okta",
    "auth0",
    "oidc",
    "none",
];

/// The variants' names of `storage.credentials.kind`, as the spec writes them.
const KINDS: &[&str] = &[
    "awsIrsa",
    "azureWorkloadIdentity",
    "gcpWorkloadIdentity",
    "static",
];

/// A map read from `d` for the enum `name`, split into the string at `tag` and the other
/// fields.
fn split<'de, D: Deserializer<'de>>(
    d: D,
    name: &'static str,
    tag: &'static str,
) -> Result<(String, Value), D::Error> {
    let mut map = d.deserialize_any(Fields(name))?;
    match map.shift_remove(tag) {
        Some(Value::String(name)) => Ok((name, Value::Object(map))),
        Some(other) => Err(D::Error::invalid_type(
            unexpected(&other),
            &"variant identifier",
        )),
        None => Err(D::Error::missing_field(tag)),
    }
}

/// Reads a map of fields (of the enum it names, for the error when it is not a map).
struct Fields(&'static str);

impl<'de> Visitor<'de> for Fields {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "internally tagged enum {}", self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut map = Map::new();
        while let Some((key, value)) = access.next_entry::<String, Value>()? {
            map.insert(key, value);
        }
        Ok(map)
    }
}

/// What serde calls a JSON value in its type errors.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => n
            .as_i64()
            .map(Unexpected::Signed)
            .or_else(|| n.as_f64().map(Unexpected::Float))
            .unwrap_or(Unexpected::Other("a number")),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// The fields of one variant, read from the map without its tag.
fn fields<'de, T: DeserializeOwned, D: Deserializer<'de>>(rest: Value) -> Result<T, D::Error> {
    serde_json::from_value(rest).map_err(D::Error::custom)
}

impl<'de> Deserialize<'de> for Authentication {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (provider, rest) = split(d, "Authentication", "provider")?;
        Ok(match provider.as_str() {
            "microsoftEntraId" => Authentication::MicrosoftEntraId(fields::<_, D>(rest)?),
            "google" => Authentication::Google(fields::<_, D>(rest)?),
            "awsIdentityCenter" => Authentication::AwsIdentityCenter(fields::<_, D>(rest)?),
            "keycloak" => Authentication::Keycloak(fields::<_, D>(rest)?),
            "okta" => Authentication::Okta(fields::<_, D>(rest)?),
            "auth0" => Authentication::Auth0(fields::<_, D>(rest)?),
            "oidc" => Authentication::Oidc(fields::<_, D>(rest)?),
            "none" => Authentication::None,
            other => return Err(D::Error::unknown_variant(other, PROVIDERS)),
        })
    }
}

impl<'de> Deserialize<'de> for StorageCredentials {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (kind, rest) = split(d, "StorageCredentials", "kind")?;
        Ok(match kind.as_str() {
            "awsIrsa" => StorageCredentials::AwsIrsa(fields::<_, D>(rest)?),
            "azureWorkloadIdentity" => {
                StorageCredentials::AzureWorkloadIdentity(fields::<_, D>(rest)?)
            }
            "gcpWorkloadIdentity" => StorageCredentials::GcpWorkloadIdentity(fields::<_, D>(rest)?),
            "static" => StorageCredentials::Static(fields::<_, D>(rest)?),
            other => return Err(D::Error::unknown_variant(other, KINDS)),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec::{
        Auth0, AwsIdentityCenter, AwsIrsa, AzureWorkloadIdentity, EntraId, GcpWorkloadIdentity,
        GenericOidc, Google, Keycloak, Okta, StaticKeys,
    };

    fn every_provider() -> Vec<Authentication> {
        vec![
            Authentication::MicrosoftEntraId(EntraId {
                tenant_id: "t".into(),
                client_id: "c".into(),
            }),
            Authentication::Google(Google {
                client_id: "c.apps.googleusercontent.com".into(),
            }),
            Authentication::AwsIdentityCenter(AwsIdentityCenter {
                region: "us-east-1".into(),
                instance_id: "i".into(),
                client_id: "c".into(),
                user_claim: Some("sub".into()),
            }),
            Authentication::Keycloak(Keycloak {
                base_url: "https://auth.example.com".into(),
                realm: "r".into(),
                client_id: "c".into(),
            }),
            Authentication::Okta(Okta {
                domain: "example.okta.com".into(),
                client_id: "c".into(),
                authorization_server: None,
            }),
            Authentication::Auth0(Auth0 {
                domain: "example.us.auth0.com".into(),
                client_id: "c".into(),
            }),
            Authentication::Oidc(
                serde_json::from_value::<GenericOidc>(json!({
                    "issuer": "https://idp.example.com",
                    "jwksUri": "https://idp.example.com/keys",
                    "authorizationEndpoint": "https://idp.example.com/authorize",
                    "tokenEndpoint": "https://idp.example.com/token",
                    "deviceAuthorizationEndpoint": "https://idp.example.com/device",
                    "endSessionEndpoint": "https://idp.example.com/logout",
                    "clientId": "c",
                }))
                .unwrap(),
            ),
            Authentication::None,
        ]
    }

    fn every_kind() -> Vec<StorageCredentials> {
        vec![
            StorageCredentials::AwsIrsa(AwsIrsa {
                role_arn: "arn:aws:iam::1:role/r".into(),
            }),
            StorageCredentials::AzureWorkloadIdentity(AzureWorkloadIdentity {
                client_id: "c".into(),
            }),
            StorageCredentials::GcpWorkloadIdentity(GcpWorkloadIdentity {
                service_account: "osmo@p.iam.gserviceaccount.com".into(),
            }),
            StorageCredentials::Static(StaticKeys {}),
        ]
    }

    #[test]
    fn every_variant_reads_back_what_the_derived_serialize_writes() {
        let providers = every_provider();
        assert_eq!(providers.len(), PROVIDERS.len());
        for (auth, name) in providers.into_iter().zip(PROVIDERS) {
            let json = serde_json::to_value(&auth).unwrap();
            assert_eq!(json["provider"], *name, "the names follow serde's renaming");
            assert_eq!(
                serde_json::from_value::<Authentication>(json).unwrap(),
                auth
            );
        }
        let kinds = every_kind();
        assert_eq!(kinds.len(), KINDS.len());
        for (creds, name) in kinds.into_iter().zip(KINDS) {
            let json = serde_json::to_value(&creds).unwrap();
            assert_eq!(json["kind"], *name);
            assert_eq!(json["kind"], creds.kind());
            assert_eq!(
                serde_json::from_value::<StorageCredentials>(json).unwrap(),
                creds
            );
        }
    }

    /// What serde's derive makes of the same enums: the behaviour to keep.
    mod derived {
        // The variants' fields are read through `Debug` only.
        #![allow(dead_code)]

        use serde::Deserialize;

        use crate::spec::{
            Auth0, AwsIdentityCenter, AwsIrsa, AzureWorkloadIdentity, EntraId, GcpWorkloadIdentity,
            GenericOidc, Google, Keycloak, Okta, StaticKeys,
        };

        #[derive(Debug, Deserialize)]
        #[serde(tag = "provider", rename_all = "camelCase")]
        pub enum Authentication {
            MicrosoftEntraId(EntraId),
            Google(Google),
            AwsIdentityCenter(AwsIdentityCenter),
            Keycloak(Keycloak),
            Okta(Okta),
            Auth0(Auth0),
            Oidc(GenericOidc),
            None,
        }

        #[derive(Debug, Deserialize)]
        #[serde(tag = "kind", rename_all = "camelCase")]
        pub enum StorageCredentials {
            AwsIrsa(AwsIrsa),
            AzureWorkloadIdentity(AzureWorkloadIdentity),
            GcpWorkloadIdentity(GcpWorkloadIdentity),
            Static(StaticKeys),
        }
    }

    /// The outcome of reading `v` both ways, as text (the value's Debug, or the error).
    fn both<A: DeserializeOwned + std::fmt::Debug, B: DeserializeOwned + std::fmt::Debug>(
        v: &Value,
    ) -> (String, String) {
        let show = |r: Result<String, serde_json::Error>| r.unwrap_or_else(|e| e.to_string());
        let ours = show(serde_json::from_value::<A>(v.clone()).map(|x| format!("{x:?}")));
        let theirs = show(serde_json::from_value::<B>(v.clone()).map(|x| format!("{x:?}")));
        (ours, theirs)
    }

    #[test]
    fn accepts_and_refuses_what_the_derive_does() {
        let auth = [
            json!({"provider": "google", "clientId": "c"}),
            json!({"clientId": "c", "provider": "google"}),
            json!({"clientId": "c"}),
            json!({"provider": "github"}),
            json!({"provider": 3}),
            json!({"provider": null}),
            json!({"provider": "google", "clientId": "c", "tenantId": "t"}),
            json!({"provider": "okta", "domain": "d"}),
            json!({"provider": "okta", "domain": "d", "clientId": 5}),
            json!({"provider": "awsIdentityCenter", "region": "r", "instanceId": "i", "clientId": "c", "userClaim": null}),
            json!({"provider": "none"}),
            json!({"provider": "none", "x": 1}),
            json!("google"),
            json!(null),
        ];
        for v in &auth {
            let (ours, theirs) = both::<Authentication, derived::Authentication>(v);
            // The same outcome; a variant's Debug differs only by its enum's path.
            assert_eq!(ours, theirs, "{v}");
        }
        let kinds = [
            json!({"kind": "awsIrsa", "roleArn": "a"}),
            json!({"kind": "static"}),
            json!({"kind": "static", "x": 1}),
            json!({"roleArn": "a"}),
            json!({"kind": "ftp"}),
            json!({"kind": "gcpWorkloadIdentity"}),
            json!({"kind": ["static"]}),
            json!(7),
        ];
        for v in &kinds {
            let (ours, theirs) = both::<StorageCredentials, derived::StorageCredentials>(v);
            assert_eq!(ours, theirs, "{v}");
        }
    }
}
