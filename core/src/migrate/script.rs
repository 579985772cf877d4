//! `upgrade.sh`: uninstall the router and web UI releases, upgrade the
//! service release, then the backend operators, at pinned chart versions;
//! refuse while `MIGRATION.md` lists an open decision.

use serde::Serialize;
use serde_json::Value;

use super::input::{Deployment, get};
use super::place::Outputs;
use super::report::{DECISION_MARKER, REPORT_FILE};
use super::{MigrateOptions, Report};
use crate::path::Path;
use crate::release::HELM_REPO;
use crate::{Chart, ChartName, Release};

/// The script's file name.
pub const SCRIPT_FILE: &str = "upgrade.sh";

#[derive(Serialize)]
struct Operator {
    name: String,
    namespace: String,
    kube_context: Option<String>,
    files: Vec<String>,
}

#[derive(Serialize)]
struct Context {
    from_release: &'static str,
    osmo_release: &'static str,
    chart_version: &'static str,
    helm_repo: &'static str,
    service_release: &'static str,
    router_release: &'static str,
    ui_release: &'static str,
    namespace: &'static str,
    operator_release: &'static str,
    report: &'static str,
    open_pattern: String,
    service_files: Vec<String>,
    operators: Vec<Operator>,
}

fn chart(name: ChartName) -> Chart {
    Chart {
        release: Release::V6_2_10,
        name,
    }
}

/// The text of `upgrade.sh`.
pub fn upgrade_sh(
    dep: &Deployment,
    outs: &Outputs,
    report: &Report,
    options: &MigrateOptions,
) -> String {
    let service_files = outs
        .service_files()
        .map(|i| outs.files[i].name.clone())
        .collect();
    let mut operators = Vec::new();
    for (k, install) in dep.installs.iter().enumerate() {
        if install.chart != ChartName::BackendOperator {
            continue;
        }
        let files: Vec<String> = outs
            .files
            .iter()
            .filter(|f| f.install == Some(k))
            .map(|f| f.name.clone())
            .collect();
        let name = install
            .backend
            .clone()
            .unwrap_or_else(|| files.first().cloned().unwrap_or_default());
        let target = options
            .backends
            .iter()
            .flatten()
            .find(|b| Some(&b.name) == install.backend.as_ref());
        let agent_namespace = get(
            &dep.merged_install(install),
            &Path::keys("global.agentNamespace"),
        )
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
        let namespace = target
            .map(|t| t.operator_namespace.clone())
            .or(agent_namespace)
            .unwrap_or_else(|| chart(ChartName::BackendOperator).namespace().to_owned());
        operators.push(Operator {
            name,
            namespace,
            kube_context: target.and_then(|t| t.kube_context.clone()),
            files,
        });
    }
    let ctx = Context {
        from_release: report.from.as_str(),
        osmo_release: report.to.as_str(),
        chart_version: report.to.chart_version(),
        helm_repo: HELM_REPO,
        service_release: chart(ChartName::Service).release_name(),
        router_release: chart(ChartName::Router).release_name(),
        ui_release: chart(ChartName::WebUi).release_name(),
        namespace: chart(ChartName::Service).namespace(),
        operator_release: chart(ChartName::BackendOperator).release_name(),
        report: REPORT_FILE,
        open_pattern: format!("^- \\[ \\] {DECISION_MARKER}"),
        service_files,
        operators,
    };
    crate::generate::environment()
        .get_template(SCRIPT_FILE)
        .and_then(|t| t.render(&ctx))
        // The template is part of this crate and its tests render it.
        .unwrap_or_else(|e| panic!("upgrade.sh does not render: {e}"))
}
