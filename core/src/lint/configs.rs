//! `services.configs` of the 6.3 service chart (ConfigMap mode), judged by
//! [`crate::configs::check`] on the effective block, and the backend
//! operators' `backendName` against its backends (OV6xx). This module only
//! places the findings in the files.

use crate::ChartName;
use crate::configs::{self, CheckContext, ConfigFinding, ConfigFix};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::path::Path;

use super::merge::{Group, get};
use super::{Sink, related};

/// The checks of a service install's `services.configs`.
pub(crate) fn check(g: &Group<'_, '_>, sink: &mut Sink) {
    if g.chart.name != ChartName::Service || !g.chart.release.has_configmap_mode() {
        return;
    }
    let block = Path::keys("services.configs");
    let Some(effective) = g.get(&block) else {
        return;
    };
    let hostname = g.str(&Path::keys("services.service.hostname"));
    let user = get(&g.user, &block);
    let ctx = CheckContext {
        service_hostname: hostname,
        user_configs: user,
    };
    for finding in configs::check(effective, &ctx) {
        sink.push(place(g, finding));
    }
}

/// Every backend operator's `global.backendName` is a backend of the
/// service's ConfigMap when ConfigMap mode is on.
pub(crate) fn cross(groups: &[Group<'_, '_>], sink: &mut Sink) {
    let block = Path::keys("services.configs");
    let Some(service) = groups
        .iter()
        .find(|g| g.chart.name == ChartName::Service && g.chart.release.has_configmap_mode())
    else {
        return;
    };
    let Some(effective) = service.get(&block) else {
        return;
    };
    let name_p = Path::keys("global.backendName");
    for g in groups
        .iter()
        .filter(|g| g.chart.name == ChartName::BackendOperator)
    {
        let Some(name) = g.str(&name_p) else { continue };
        let Some(finding) = configs::check_backend_name(effective, name, name_p.clone()) else {
            continue;
        };
        let (file, span) = g.value_at(&name_p).unwrap_or_else(|| g.missing_at(&name_p));
        let mut d = diagnostic(finding, file, span);
        if g.value_at(&name_p).is_none() {
            d = d.with_note(format!(
                "chart default: `global.backendName` is `{name}`; these files leave it in place"
            ));
        }
        let backends = block.clone().key("backends");
        if let Some((f, s)) = service.key_at(&backends) {
            d = d.with_related(related(f, s, "the backends of ConfigMap mode"));
        }
        sink.push(d);
    }
}

/// A finding at the place its path is written, or where the missing
/// setting belongs (with a note) when the chart defaults supply it.
fn place(g: &Group<'_, '_>, finding: ConfigFinding) -> Diagnostic {
    let written = g
        .key_at(&finding.path)
        .or_else(|| g.last_key(&finding.path));
    let value_at = g.value_at(&finding.path);
    let (file, span) = value_at
        .filter(|_| !is_key_finding(&finding))
        .or(written)
        .unwrap_or_else(|| g.missing_at(&finding.path));
    let from_default = written.is_none() && value_at.is_none();
    let fix = match (&finding.fix, g.last_key(&finding.path)) {
        (
            Some(ConfigFix::RenameKey {
                to,
                machine_applicable,
            }),
            Some((f, key)),
        ) => Some(Fix {
            description: format!("rename the key to `{to}`"),
            edits: vec![Edit {
                file: f,
                start: key.start.offset,
                end: key.end.offset,
                replacement: to.clone(),
            }],
            machine_applicable: *machine_applicable,
        }),
        _ => None,
    };
    let mut related_places = Vec::new();
    for r in &finding.related {
        if let Some((f, s)) = g.value_at(&r.path).or_else(|| g.key_at(&r.path)) {
            related_places.push(related(f, s, r.message.clone()));
        }
    }
    let mut d = diagnostic(finding, file, span);
    for r in related_places {
        d = d.with_related(r);
    }
    if let Some(fix) = fix {
        d = d.with_fix(fix);
    }
    if from_default {
        let path = d.path.clone().unwrap_or_default();
        d = d.with_note(format!(
            "chart default: `{path}` is the chart's default; these files do not set it"
        ));
    }
    d
}

/// Findings about a key itself (a dropped or ignored key) point at the key.
fn is_key_finding(f: &ConfigFinding) -> bool {
    matches!(f.fix, Some(ConfigFix::RenameKey { .. }))
        || f.code == super::code::CONFIGS_IGNORED_KEY
        || f.code == super::code::CONFIGS_DROPPED_KEY
}

fn diagnostic(f: ConfigFinding, file: usize, span: crate::diagnostic::Span) -> Diagnostic {
    let mut d = Diagnostic::new(f.code, f.severity, f.message)
        .at(file, span)
        .with_path(f.path);
    if let Some(h) = f.help {
        d = d.with_help(h);
    }
    d
}
