//! Writes core's JSON Schema of the deployment spec into OUT_DIR, for the wizard
//! to embed (generating it in the page would ship schemars in the WebAssembly).

fn main() {
    let schema =
        osmo_values::schema::generate::<osmo_values::spec::DeploymentSpec>("OSMO deployment spec");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(
        out.join("deployment-spec.schema.json"),
        serde_json::to_string(&schema).expect("a JSON value serializes"),
    )
    .expect("OUT_DIR is writable");
    println!("cargo::rerun-if-changed=build.rs");
}
