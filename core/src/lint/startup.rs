//! What the 6.3.1 service pods need to start, judged on the effective
//! values: a database password (`services.configFile`, OV317) and the
//! default admin's Secret (OV316).

use crate::ChartName;
use crate::diagnostic::Severity;
use crate::path::Path;

use super::gateway::anchor;
use super::merge::Group;
use super::{Sink, code, diag};

/// The start-up checks of the service chart's effective values.
/// `secrets`: the Secrets the deployment is known to create, if known.
pub(crate) fn check(g: &Group<'_, '_>, secrets: Option<&[String]>, sink: &mut Sink) {
    if g.chart.name != ChartName::Service || !g.chart.release.has_gateway() {
        return;
    }
    config_file(g, sink);
    default_admin(g, secrets, sink);
}

/// OV317: without `services.configFile.enabled` and without a plain-text
/// password, no pod gets a database password.
fn config_file(g: &Group<'_, '_>, sink: &mut Sink) {
    let enabled_p = Path::keys("services.configFile.enabled");
    if g.truthy(&enabled_p) || g.truthy(&Path::keys("services.postgres.password")) {
        return;
    }
    let (file, at) = g.value_at(&enabled_p).unwrap_or_else(|| {
        anchor(
            g,
            &[
                Path::keys("services.configFile"),
                Path::keys("services.postgres"),
            ],
        )
    });
    let why = if g.changed(&enabled_p) {
        "`services.configFile.enabled` is off"
    } else {
        "`services.configFile.enabled` is off (the chart's default)"
    };
    sink.push(
        diag(
            code::CONFIG_FILE_OFF,
            file,
            at,
            format!(
                "{why} and `services.postgres.password` is not set: no pod gets a database password (nor the \
                 Redis password, nor the MEK), so the service, worker, agent, logger and authz cannot start"
            ),
        )
        .with_path(enabled_p)
        .with_help(
            "set `services.configFile.enabled: true`: it mounts the MEK ConfigMap `mek-config` and passes the \
             passwords from the Secrets `db-secret` (key `db-password`) and `redis-secret` (key `redis-password`)",
        ),
    );
}

/// OV316: the default admin needs a user name and a complete Secret
/// reference; the Secret itself is the operator's to create (a reminder,
/// unless `secrets` says the deployment creates it).
fn default_admin(g: &Group<'_, '_>, secrets: Option<&[String]>, sink: &mut Sink) {
    let base = Path::keys("services.defaultAdmin");
    let enabled_p = base.clone().key("enabled");
    if !g.truthy(&enabled_p) {
        return;
    }
    let missing: Vec<Path> = ["username", "passwordSecretName", "passwordSecretKey"]
        .into_iter()
        .map(|k| base.clone().key(k))
        .filter(|p| g.str(p).is_none())
        .collect();
    if !missing.is_empty() {
        let (file, at) = missing
            .iter()
            .find_map(|p| g.value_at(p).or_else(|| g.last_key(p)))
            .or_else(|| g.value_at(&enabled_p))
            .unwrap_or_else(|| anchor(g, std::slice::from_ref(&base)));
        sink.push(
            diag(
                code::DEFAULT_ADMIN_SECRET,
                file,
                at,
                format!(
                    "the default admin is enabled without {}: the API service's pod cannot be created",
                    missing
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            )
            .with_path(base.clone())
            .with_help("set the user name and the Secret's name and key (default `default-admin-secret`, key `password`)"),
        );
        return;
    }
    let name = g
        .str(&base.clone().key("passwordSecretName"))
        .unwrap_or_default();
    let key = g
        .str(&base.clone().key("passwordSecretKey"))
        .unwrap_or_default();
    if secrets.is_some_and(|s| s.iter().any(|s| s == name)) {
        return;
    }
    let Some((file, at)) = g.value_at(&enabled_p) else {
        return;
    };
    let mut d = diag(
        code::DEFAULT_ADMIN_SECRET,
        file,
        at,
        format!(
            "the default admin's password is read from the Secret `{name}` (key `{key}`), which the chart does not \
             create: until it exists in the release's namespace the API pod stays in CreateContainerConfigError"
        ),
    )
    .with_path(enabled_p.clone())
    .with_help(format!(
        "create it before installing: `kubectl create secret generic {name} --namespace <namespace> \
         --from-literal={key}=<password>`"
    ));
    d.severity = Severity::Info;
    sink.push(d);
}
