//! Full bundle generation, for each release: `cargo bench -p osmo-values --bench generate`.
//! Issue 12's target: a full OSMO 6.3.1 bundle in under 1 ms.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use osmo_values::spec::DeploymentSpec;
use rand::SeedableRng;
use rand::rngs::StdRng;

/// `examples/<path>.yaml`.
fn example(path: &str) -> DeploymentSpec {
    let path = format!("{}/../examples/{path}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: serde_json::Value = serde_yaml::from_str(&text).expect("example is YAML");
    DeploymentSpec::from_json(value).expect("example is a spec")
}

fn bench(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    for path in [
        // OSMO 6.3.1: one backend with workload identity; three backends behind an ALB;
        // the default admin with two backends.
        "6.3.1/entra-nginx",
        "6.3.1/auth0-alb-internal",
        "6.3.1/default-admin-nginx",
        // OSMO 6.2.10, the four charts.
        "entra-nginx",
        "default-admin-nginx",
    ] {
        let spec = example(path);
        // Compile the templates once, outside the measurement.
        osmo_values::generate(&spec, &mut rng).expect("generates");
        let name = format!(
            "generate bundle ({} {})",
            spec.release,
            path.rsplit('/').next().unwrap_or(path)
        );
        c.bench_function(&name, |b| {
            b.iter(|| osmo_values::generate(black_box(&spec), &mut rng).expect("generates"))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
