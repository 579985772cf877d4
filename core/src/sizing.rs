//! Sizing presets and their resolution with a spec's overrides.
//!
//! ```
//! use osmo_values::spec::{Override, Preset, Sizing};
//! let mut sizing = Sizing { preset: Preset::Medium, ..Sizing::default() };
//! sizing.overrides.worker = Some(Override { replicas: Some(4), ..Override::default() });
//! let r = osmo_values::sizing::resolve(&sizing);
//! assert_eq!(r.worker.replicas, 4);
//! assert_eq!(r.service.replicas, 3);
//! ```

use serde::Serialize;

use crate::spec::{Override, Preset, Sizing};

/// The resolved size of one component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentSize {
    /// The component's key in `sizing.overrides`.
    pub key: &'static str,
    /// Replicas, or the autoscaler's minimum.
    pub replicas: u32,
    /// The autoscaler's maximum, for autoscaled components.
    pub max_replicas: Option<u32>,
    /// CPU request.
    pub cpu: String,
    /// Memory request.
    pub memory: String,
    /// CPU limit, if any.
    pub cpu_limit: Option<String>,
    /// Memory limit.
    pub memory_limit: String,
}

/// Every component's resolved size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedSizing {
    /// Preset the figures started from.
    pub preset: &'static str,
    /// API service.
    pub service: ComponentSize,
    /// Worker.
    pub worker: ComponentSize,
    /// Logger.
    pub logger: ComponentSize,
    /// Agent.
    pub agent: ComponentSize,
    /// Delayed job monitor.
    pub delayed_job_monitor: ComponentSize,
    /// Router.
    pub router: ComponentSize,
    /// Web UI.
    pub ui: ComponentSize,
    /// Backend listener.
    pub backend_listener: ComponentSize,
    /// Backend worker.
    pub backend_worker: ComponentSize,
}

impl ResolvedSizing {
    /// All components, in the order of [`crate::spec::Overrides::entries`].
    pub fn iter(&self) -> impl Iterator<Item = &ComponentSize> {
        [
            &self.service,
            &self.worker,
            &self.logger,
            &self.agent,
            &self.delayed_job_monitor,
            &self.router,
            &self.ui,
            &self.backend_listener,
            &self.backend_worker,
        ]
        .into_iter()
    }
}

/// One preset row: key, replicas, max replicas (0 = not autoscaled), cpu, memory, memory limit.
type Row = (
    &'static str,
    u32,
    u32,
    &'static str,
    &'static str,
    &'static str,
);

/// The preset table, one row per component and preset, in component order.
const PRESETS: [(Preset, [Row; 9]); 3] = [
    (
        Preset::Small,
        [
            ("service", 1, 3, "1", "1Gi", "1Gi"),
            ("worker", 1, 3, "500m", "400Mi", "800Mi"),
            ("logger", 1, 3, "200m", "256Mi", "512Mi"),
            ("agent", 1, 1, "100m", "128Mi", "256Mi"),
            ("delayedJobMonitor", 1, 0, "200m", "512Mi", "512Mi"),
            ("router", 1, 2, "500m", "512Mi", "512Mi"),
            ("ui", 1, 0, "500m", "512Mi", "512Mi"),
            ("backendListener", 1, 0, "1", "1Gi", "1Gi"),
            ("backendWorker", 1, 0, "1", "1Gi", "1Gi"),
        ],
    ),
    (
        Preset::Medium,
        [
            ("service", 3, 9, "1", "2Gi", "2Gi"),
            ("worker", 2, 10, "500m", "1Gi", "1Gi"),
            ("logger", 3, 9, "1", "1Gi", "1Gi"),
            ("agent", 1, 9, "500m", "500Mi", "500Mi"),
            ("delayedJobMonitor", 1, 0, "200m", "512Mi", "512Mi"),
            ("router", 3, 5, "500m", "1Gi", "1Gi"),
            ("ui", 2, 0, "500m", "512Mi", "512Mi"),
            ("backendListener", 1, 0, "1", "2Gi", "2Gi"),
            ("backendWorker", 1, 0, "1", "1Gi", "1Gi"),
        ],
    ),
    (
        Preset::Large,
        [
            ("service", 5, 15, "2", "4Gi", "4Gi"),
            ("worker", 4, 20, "1", "2Gi", "2Gi"),
            ("logger", 5, 15, "1", "2Gi", "2Gi"),
            ("agent", 3, 9, "1", "1Gi", "1Gi"),
            ("delayedJobMonitor", 1, 0, "500m", "1Gi", "1Gi"),
            ("router", 5, 10, "1", "2Gi", "2Gi"),
            ("ui", 3, 0, "1", "1Gi", "1Gi"),
            ("backendListener", 1, 0, "2", "4Gi", "4Gi"),
            ("backendWorker", 1, 0, "2", "2Gi", "2Gi"),
        ],
    ),
];

/// The override fields of a component, as `sizing.overrides` writes them.
pub const FIELDS: [&str; 6] = [
    "replicas",
    "maxReplicas",
    "cpu",
    "memory",
    "cpuLimit",
    "memoryLimit",
];

/// Whether the charts read an override `field` (one of [`FIELDS`]) of `component` (a key of
/// [`crate::spec::Overrides::entries`]): the backend-operator chart runs one replica of its
/// listener and worker, and the service chart gives the delayed job monitor a replica count
/// only (its container gets the API service's resources, and it is not autoscaled).
/// [`crate::spec::DeploymentSpec::validate`] refuses the others.
///
/// ```
/// use osmo_values::sizing::settable;
/// assert!(settable("worker", "maxReplicas"));
/// assert!(!settable("backendWorker", "replicas"));
/// assert!(settable("delayedJobMonitor", "replicas") && !settable("delayedJobMonitor", "cpu"));
/// ```
pub fn settable(component: &str, field: &str) -> bool {
    match component {
        "backendListener" | "backendWorker" => !matches!(field, "replicas" | "maxReplicas"),
        "delayedJobMonitor" => field == "replicas",
        _ => FIELDS.contains(&field),
    }
}

/// The preset's figures with the overrides applied.
pub fn resolve(sizing: &Sizing) -> ResolvedSizing {
    let rows = PRESETS
        .iter()
        .find(|(p, _)| *p == sizing.preset)
        .map(|(_, rows)| rows)
        .unwrap_or(&PRESETS[0].1);
    let entries = sizing.overrides.entries();
    let mut sizes = rows.iter().zip(entries).map(|(row, (key, o))| {
        debug_assert_eq!(row.0, key);
        apply(row, o)
    });
    let mut next = || sizes.next().unwrap_or_else(|| apply(&rows[0], None));
    ResolvedSizing {
        preset: sizing.preset.as_str(),
        service: next(),
        worker: next(),
        logger: next(),
        agent: next(),
        delayed_job_monitor: next(),
        router: next(),
        ui: next(),
        backend_listener: next(),
        backend_worker: next(),
    }
}

fn apply(row: &Row, o: Option<&Override>) -> ComponentSize {
    let (key, replicas, max, cpu, memory, memory_limit) = *row;
    let o = o.cloned().unwrap_or_default();
    let replicas = o.replicas.unwrap_or(replicas);
    // The UI autoscales only when an override asks for a maximum above the replicas.
    let max_replicas = match key {
        "ui" => o.max_replicas.filter(|m| *m > replicas),
        _ if max == 0 => None,
        _ => Some(o.max_replicas.unwrap_or(max.max(replicas))),
    };
    let memory_req = o.memory.clone().unwrap_or_else(|| memory.to_owned());
    // When only the memory request is overridden, the limit follows it, so the limit is
    // never below the request.
    let memory_limit = o
        .memory_limit
        .or_else(|| o.memory.as_ref().map(|_| memory_req.clone()))
        .unwrap_or_else(|| memory_limit.to_owned());
    ComponentSize {
        key,
        replicas,
        max_replicas,
        cpu: o.cpu.unwrap_or_else(|| cpu.to_owned()),
        memory: memory_req,
        cpu_limit: o.cpu_limit,
        memory_limit,
    }
}
