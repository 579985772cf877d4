//! Full bundle generation: `cargo bench -p osmo-values --bench generate`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use osmo_values::spec::DeploymentSpec;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn example(name: &str) -> DeploymentSpec {
    let path = format!("{}/../examples/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("example exists");
    let value: serde_json::Value = serde_yaml::from_str(&text).expect("example is YAML");
    DeploymentSpec::from_json(value).expect("example is a spec")
}

fn bench(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    for name in ["entra-nginx", "default-admin-nginx"] {
        let spec = example(name);
        // Compile the templates once, outside the measurement.
        osmo_values::generate(&spec, &mut rng).expect("generates");
        c.bench_function(&format!("generate bundle ({name})"), |b| {
            b.iter(|| osmo_values::generate(black_box(&spec), &mut rng).expect("generates"))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
