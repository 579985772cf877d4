//! The Master Encryption Key (MEK): new keys, rotation, and the `mek-config`
//! ConfigMap that holds them.
//!
//! A key is a JWK `{"k":"<base64 of 32 random bytes>","kid":"<id>","kty":"oct"}`,
//! base64-encoded as a whole. The ConfigMap's data key `mek.yaml` holds
//! `currentMek: <id>` and `meks: {<id>: <encoded JWK>, ...}`. Rotation adds a
//! key and makes it current, keeping every older key: the data they
//! encrypted stays readable.
//!
//! ```
//! use rand::SeedableRng;
//! let mut rng = rand::rngs::StdRng::seed_from_u64(7);
//! let first = osmo_values::generate::mek::new(&mut rng);
//! assert_eq!(first.current, "key1");
//! let rotated = osmo_values::generate::mek::rotate(&first.to_configmap(), &mut rng).unwrap();
//! assert_eq!(rotated.current, "key2");
//! assert_eq!(rotated.keys[0], first.keys[0]);
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// Name of the ConfigMap holding the MEK.
pub const CONFIGMAP_NAME: &str = "mek-config";
/// Namespace of the ConfigMap.
pub const NAMESPACE: &str = "osmo";
/// Data key of the ConfigMap.
pub const DATA_KEY: &str = "mek.yaml";

/// A set of MEKs: which one is current, and every key by id (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MekSet {
    /// Id of the key new data is encrypted with.
    pub current: String,
    /// Every key: id and base64-encoded JWK.
    pub keys: Vec<(String, String)>,
}

/// Why an existing MEK ConfigMap could not be rotated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MekError {
    /// The text is not YAML this module can read.
    #[error("not readable YAML: {0}")]
    Yaml(String),
    /// The ConfigMap lacks `data.mek.yaml`.
    #[error("no `data.\"mek.yaml\"` in the ConfigMap")]
    NoData,
    /// `mek.yaml` lacks `currentMek` or `meks`.
    #[error("mek.yaml needs `currentMek` and a non-empty `meks` map")]
    Incomplete,
    /// `currentMek` names no key in `meks`.
    #[error("currentMek `{0}` is not one of the keys in meks")]
    UnknownCurrent(String),
    /// A key is not a base64-encoded JWK of type `oct`.
    #[error("key `{0}` is not a base64-encoded JWK with kty oct")]
    BadKey(String),
}

/// Encodes a key as the MEK format: the JWK as JSON, base64-encoded whole.
pub fn encode_jwk(kid: &str, key: &[u8; 32]) -> String {
    let jwk = serde_json::json!({"k": STANDARD.encode(key), "kid": kid, "kty": "oct"});
    STANDARD.encode(jwk.to_string())
}

fn random_key<R: rand::CryptoRng + ?Sized>(rng: &mut R) -> [u8; 32] {
    let mut key = [0u8; 32];
    rng.fill_bytes(&mut key);
    key
}

/// A first MEK set: one key, `key1`, current.
pub fn new<R: rand::CryptoRng + ?Sized>(rng: &mut R) -> MekSet {
    let key = random_key(rng);
    MekSet {
        current: "key1".to_owned(),
        keys: vec![("key1".to_owned(), encode_jwk("key1", &key))],
    }
}

/// Reads an existing `mek-config` ConfigMap (as `kubectl get configmap mek-config -o yaml`
/// prints it, or as generated) and returns it with a new key added and made current.
/// The new key's id is `key<N+1>` where N is the highest numbered `key<N>` id.
pub fn rotate<R: rand::CryptoRng + ?Sized>(
    existing_configmap_text: &str,
    rng: &mut R,
) -> Result<MekSet, MekError> {
    let mut set = parse_configmap(existing_configmap_text)?;
    let next = set
        .keys
        .iter()
        .filter_map(|(id, _)| id.strip_prefix("key")?.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    let mut n = next;
    let mut kid = format!("key{n}");
    while set.keys.iter().any(|(id, _)| *id == kid) {
        n += 1;
        kid = format!("key{n}");
    }
    let key = random_key(rng);
    set.keys.push((kid.clone(), encode_jwk(&kid, &key)));
    set.current = kid;
    Ok(set)
}

/// Reads the MEK set out of a ConfigMap's text.
pub fn parse_configmap(text: &str) -> Result<MekSet, MekError> {
    let root = load(text)?;
    let mek_yaml = root
        .get("data")
        .and_then(|d| d.get(DATA_KEY))
        .and_then(Value::as_str)
        .ok_or(MekError::NoData)?;
    let inner = load(mek_yaml)?;
    let current = inner
        .get("currentMek")
        .and_then(text_of)
        .ok_or(MekError::Incomplete)?;
    let Some(Value::Object(meks)) = inner.get("meks") else {
        return Err(MekError::Incomplete);
    };
    let mut keys = Vec::new();
    for (id, value) in meks {
        let encoded = value.as_str().ok_or_else(|| MekError::BadKey(id.clone()))?;
        check_key(id, encoded)?;
        keys.push((id.clone(), encoded.to_owned()));
    }
    if keys.is_empty() {
        return Err(MekError::Incomplete);
    }
    if !keys.iter().any(|(id, _)| *id == current) {
        return Err(MekError::UnknownCurrent(current));
    }
    Ok(MekSet { current, keys })
}

fn check_key(id: &str, encoded: &str) -> Result<(), MekError> {
    let bad = || MekError::BadKey(id.to_owned());
    let json = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let jwk: serde_json::Value = serde_json::from_slice(&json).map_err(|_| bad())?;
    if jwk["kty"] != "oct" || !jwk["k"].is_string() {
        return Err(bad());
    }
    Ok(())
}

impl MekSet {
    /// The `mek.yaml` document.
    pub fn mek_yaml(&self) -> String {
        let mut out = format!("currentMek: {}\nmeks:\n", self.current);
        for (id, key) in &self.keys {
            out.push_str(&format!("  {id}: {key}\n"));
        }
        out
    }

    /// The whole ConfigMap manifest, commented.
    pub fn to_configmap(&self) -> String {
        let mut out = String::from(
            "# Master Encryption Key (MEK) of OSMO. KEEP THIS FILE SECRET and back it up:\n\
             # OSMO encrypts secrets in its database with these keys; losing them loses that data.\n\
             # install.sh applies it only when the cluster has no mek-config yet.\n\
             # To rotate, run `osmo-values mek rotate` on the cluster's current copy: it adds\n\
             # a key, makes it current and keeps every older key.\n",
        );
        out.push_str(&format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {CONFIGMAP_NAME}\n  namespace: {NAMESPACE}\ndata:\n  {DATA_KEY}: |\n"
        ));
        for line in self.mek_yaml().lines() {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// Loads one YAML document as Helm would read it.
fn load(text: &str) -> Result<Value, MekError> {
    crate::yaml::parse(text)
        .map(|doc| doc.root.to_json())
        .map_err(|e| MekError::Yaml(e.to_string()))
}

/// A scalar as text: key ids such as `1` or `yes` read back as the text they were.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
