//! MEK generation and rotation.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use osmo_values::generate::mek::{self, MekError};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::Value;

fn decode(encoded: &str) -> Value {
    serde_json::from_slice(&STANDARD.decode(encoded).unwrap()).unwrap()
}

#[test]
fn a_new_mek_is_a_base64_jwk_of_32_random_bytes() {
    let set = mek::new(&mut StdRng::seed_from_u64(3));
    assert_eq!(set.current, "key1");
    assert_eq!(set.keys.len(), 1);
    let jwk = decode(&set.keys[0].1);
    assert_eq!(jwk["kid"], "key1");
    assert_eq!(jwk["kty"], "oct");
    let k = STANDARD.decode(jwk["k"].as_str().unwrap()).unwrap();
    assert_eq!(k.len(), 32);
    let raw = String::from_utf8(STANDARD.decode(&set.keys[0].1).unwrap()).unwrap();
    assert!(raw.starts_with("{\"k\":\"") && raw.ends_with("\"kid\":\"key1\",\"kty\":\"oct\"}"));
    assert_ne!(set, mek::new(&mut StdRng::seed_from_u64(4)));
}

#[test]
fn the_configmap_is_the_guides_shape() {
    let set = mek::new(&mut StdRng::seed_from_u64(3));
    let cm: Value = serde_yaml::from_str(&set.to_configmap()).unwrap();
    assert_eq!(cm["kind"], "ConfigMap");
    assert_eq!(cm["metadata"]["name"], "mek-config");
    assert_eq!(cm["metadata"]["namespace"], "osmo");
    let inner: Value = serde_yaml::from_str(cm["data"]["mek.yaml"].as_str().unwrap()).unwrap();
    assert_eq!(inner["currentMek"], "key1");
    assert_eq!(inner["meks"]["key1"], set.keys[0].1.as_str());
}

#[test]
fn rotation_adds_a_current_key_and_keeps_every_older_one() {
    let mut rng = StdRng::seed_from_u64(9);
    let first = mek::new(&mut rng);
    let second = mek::rotate(&first.to_configmap(), &mut rng).unwrap();
    let third = mek::rotate(&second.to_configmap(), &mut rng).unwrap();
    assert_eq!(third.current, "key3");
    let ids: Vec<&str> = third.keys.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(ids, ["key1", "key2", "key3"]);
    assert_eq!(third.keys[0], first.keys[0]);
    assert_eq!(third.keys[1], second.keys[1]);
    assert_eq!(decode(&third.keys[2].1)["kid"], "key3");
    let cm: Value = serde_yaml::from_str(&third.to_configmap()).unwrap();
    let inner: Value = serde_yaml::from_str(cm["data"]["mek.yaml"].as_str().unwrap()).unwrap();
    assert_eq!(inner["currentMek"], "key3");
    assert_eq!(inner["meks"].as_object().unwrap().len(), 3);
}

#[test]
fn rotation_reads_what_kubectl_prints() {
    let mut rng = StdRng::seed_from_u64(1);
    let key = mek::encode_jwk("prod-2024", &[7u8; 32]);
    let text = format!(
        "apiVersion: v1\ndata:\n  mek.yaml: \"currentMek: prod-2024\\nmeks:\\n  prod-2024: {key}\\n\"\n\
         kind: ConfigMap\nmetadata:\n  creationTimestamp: \"2026-01-01T00:00:00Z\"\n  name: mek-config\n  \
         namespace: osmo\n  resourceVersion: \"123\"\n"
    );
    let set = mek::rotate(&text, &mut rng).unwrap();
    assert_eq!(set.current, "key1");
    assert_eq!(set.keys[0], ("prod-2024".to_owned(), key));
}

#[test]
fn rotation_refuses_what_it_cannot_trust() {
    let mut rng = StdRng::seed_from_u64(1);
    assert_eq!(
        mek::rotate("kind: ConfigMap\n", &mut rng),
        Err(MekError::NoData)
    );
    let key = mek::encode_jwk("key1", &[1u8; 32]);
    let unknown =
        format!("data:\n  mek.yaml: |\n    currentMek: key9\n    meks:\n      key1: {key}\n");
    assert_eq!(
        mek::rotate(&unknown, &mut rng),
        Err(MekError::UnknownCurrent("key9".into()))
    );
    let bad = "data:\n  mek.yaml: |\n    currentMek: key1\n    meks:\n      key1: notbase64!\n";
    assert_eq!(
        mek::rotate(bad, &mut rng),
        Err(MekError::BadKey("key1".into()))
    );
    assert!(matches!(
        mek::rotate("a: [", &mut rng),
        Err(MekError::Yaml(_))
    ));
}
