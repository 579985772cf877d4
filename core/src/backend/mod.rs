//! Backend clusters: their kinds, the requirements the create-backend guides
//! set for them ([`requirements`](mod@requirements)), and where the backend operator and the
//! workflows run on them ([`Placement`]).

pub mod requirements;
pub mod version;

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::release::Release;
use crate::values::common::{TaintEffect, Toleration, TolerationOperator};
use requirements::{OPERATOR_LABEL, requirements};

/// What kind of cluster a backend is: it chooses the guide's requirements and suggestions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum BackendKind {
    /// A cluster you run on your own hardware (the on-premises guide: its control plane
    /// sizes, Ubuntu 22.04+ on compute nodes, Jetson pools).
    OnPremises,
    /// Amazon Elastic Kubernetes Service.
    Eks,
    /// Azure Kubernetes Service.
    Aks,
    /// Google Kubernetes Engine.
    Gke,
    /// Any other cluster: the requirements every backend shares, Kubernetes v1.30.0 or
    /// later as for managed clouds, and no instance types suggested.
    #[default]
    Other,
}

impl BackendKind {
    /// Every kind, in the order the wizard offers them.
    pub const ALL: [BackendKind; 5] = [
        BackendKind::OnPremises,
        BackendKind::Eks,
        BackendKind::Aks,
        BackendKind::Gke,
        BackendKind::Other,
    ];

    /// The kind as a spec writes it: `onPremises`, `eks`, `aks`, `gke`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::OnPremises => "onPremises",
            BackendKind::Eks => "eks",
            BackendKind::Aks => "aks",
            BackendKind::Gke => "gke",
            BackendKind::Other => "other",
        }
    }

    /// The kind for people: `on-premises cluster`, `Amazon EKS`, ...
    pub fn title(self) -> &'static str {
        match self {
            BackendKind::OnPremises => "on-premises cluster",
            BackendKind::Eks => "Amazon EKS",
            BackendKind::Aks => "Azure AKS",
            BackendKind::Gke => "Google GKE",
            BackendKind::Other => "Kubernetes cluster",
        }
    }

    /// Whether the kind is a managed cloud service (its control plane is not visible).
    pub fn is_managed(self) -> bool {
        matches!(self, BackendKind::Eks | BackendKind::Aks | BackendKind::Gke)
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown backend kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown backend kind `{0}`: expected one of onPremises, eks, aks, gke, other")]
pub struct UnknownKind(pub String);

impl std::str::FromStr for BackendKind {
    type Err = UnknownKind;

    /// ```
    /// use osmo_values::backend::BackendKind;
    /// assert_eq!("onPremises".parse::<BackendKind>().unwrap(), BackendKind::OnPremises);
    /// assert!("EKS".parse::<BackendKind>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BackendKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

/// A node label, `key=value`, such as `node-type=operator`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeLabel {
    /// Label key, with an optional `prefix/`.
    pub key: String,
    /// Label value (may be empty).
    pub value: String,
}

impl NodeLabel {
    /// Reads `key=value`; the error says what is wrong in an operator's words.
    ///
    /// ```
    /// use osmo_values::backend::NodeLabel;
    /// let l = NodeLabel::parse("example.com/pool=a100").unwrap();
    /// assert_eq!((l.key.as_str(), l.value.as_str()), ("example.com/pool", "a100"));
    /// assert!(NodeLabel::parse("node-type").is_err());
    /// assert!(NodeLabel::parse("node type=gpu").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<NodeLabel, String> {
        let Some((key, value)) = text.split_once('=') else {
            return Err(format!(
                "`{}` is not a label: write key=value, such as node-type=operator",
                text.escape_debug()
            ));
        };
        check_label_key(key)?;
        check_label_value(value)?;
        Ok(NodeLabel {
            key: key.to_owned(),
            value: value.to_owned(),
        })
    }

    /// Whether a node with these labels carries this one.
    pub fn is_on(&self, labels: &std::collections::BTreeMap<String, String>) -> bool {
        labels.get(&self.key) == Some(&self.value)
    }
}

impl From<requirements::GuideLabel> for NodeLabel {
    fn from(l: requirements::GuideLabel) -> Self {
        NodeLabel {
            key: l.key.to_owned(),
            value: l.value.to_owned(),
        }
    }
}

impl fmt::Display for NodeLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

/// Checks a label (or taint) key: an optional DNS-subdomain prefix and `/`, then a name of at
/// most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
pub fn check_label_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix
        && !crate::spec::is_k8s_name(p)
    {
        return Err(format!(
            "the prefix of key `{}` must be a lowercase DNS name such as example.com",
            key.escape_debug()
        ));
    }
    if !is_label_name(name) {
        return Err(format!(
            "key `{}` must be at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit (with an optional prefix/)",
            key.escape_debug()
        ));
    }
    Ok(())
}

/// Checks a label (or taint) value: empty, or at most 63 letters, digits, `-`, `_` and `.`,
/// starting and ending with a letter or digit.
pub fn check_label_value(value: &str) -> Result<(), String> {
    if value.is_empty() || is_label_name(value) {
        Ok(())
    } else {
        Err(format!(
            "value `{}` must be at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit",
            value.escape_debug()
        ))
    }
}

fn is_label_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// A taint on the operator nodes, which the operator's pods tolerate; it keeps workflow pods
/// (which do not tolerate it) off those nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OperatorTaint {
    /// Taint key, such as `dedicated`.
    pub key: String,
    /// Taint value, such as `osmo-operator`; leave out for a taint without a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What the taint does to pods that do not tolerate it (default `NoSchedule`).
    #[serde(default = "no_schedule")]
    pub effect: TaintEffect,
}

fn no_schedule() -> TaintEffect {
    TaintEffect::NoSchedule
}

/// The name Kubernetes gives a taint effect.
pub fn effect_name(effect: TaintEffect) -> &'static str {
    match effect {
        TaintEffect::NoSchedule => "NoSchedule",
        TaintEffect::PreferNoSchedule => "PreferNoSchedule",
        TaintEffect::NoExecute => "NoExecute",
    }
}

impl OperatorTaint {
    /// The toleration the operator's pods carry for it: `Equal` on the value, or `Exists`
    /// for a taint without one.
    pub fn toleration(&self) -> Toleration {
        Toleration {
            key: Some(self.key.clone()),
            operator: Some(match self.value {
                Some(_) => TolerationOperator::Equal,
                None => TolerationOperator::Exists,
            }),
            value: self.value.clone(),
            effect: Some(self.effect),
            toleration_seconds: None,
        }
    }
}

impl fmt::Display for OperatorTaint {
    /// As `kubectl taint` writes it: `key=value:Effect` or `key:Effect`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(v) => write!(f, "{}={}:{}", self.key, v, effect_name(self.effect)),
            None => write!(f, "{}:{}", self.key, effect_name(self.effect)),
        }
    }
}

/// The toleration the backend-operator chart gives its pods by default (`global.tolerations`,
/// the same at 6.2.10 and 6.3.1): any taint with key `ops` and effect `NoSchedule`. A values
/// file that sets `global.tolerations` replaces it, so the generator writes it again.
pub fn chart_default_tolerations() -> Vec<Toleration> {
    vec![Toleration {
        key: Some("ops".to_owned()),
        operator: Some(TolerationOperator::Exists),
        value: None,
        effect: Some(TaintEffect::NoSchedule),
        toleration_seconds: None,
    }]
}

/// Where a backend's operator and workflows are expected to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The label of the dedicated operator nodes; `None` lets the operator run on any node.
    pub operator_nodes: Option<NodeLabel>,
    /// The taint on the operator nodes, which the operator tolerates.
    pub operator_taint: Option<OperatorTaint>,
    /// The labels of the compute pools.
    pub compute_pools: Vec<NodeLabel>,
}

impl Placement {
    /// What the guides describe for a kind: the operator on `node-type=operator` nodes, no
    /// taint, and the kind's compute pool labels.
    ///
    /// ```
    /// use osmo_values::backend::{BackendKind, Placement};
    /// use osmo_values::Release;
    /// let p = Placement::guides(BackendKind::Eks, Release::LATEST);
    /// assert_eq!(p.operator_nodes.unwrap().to_string(), "node-type=operator");
    /// let pools: Vec<String> = p.compute_pools.iter().map(ToString::to_string).collect();
    /// assert_eq!(pools, ["node-type=compute", "node-type=gpu"]);
    /// ```
    pub fn guides(kind: BackendKind, release: Release) -> Placement {
        Placement {
            operator_nodes: Some(OPERATOR_LABEL.into()),
            operator_taint: None,
            compute_pools: default_compute_pools(kind, release),
        }
    }

    /// Every toleration of the operator's pods: the chart's own and the one for
    /// [`Placement::operator_taint`].
    pub fn operator_tolerations(&self) -> Vec<Toleration> {
        let mut out = chart_default_tolerations();
        out.extend(self.operator_taint.as_ref().map(OperatorTaint::toleration));
        out
    }
}

/// The guides' compute pool labels for a kind.
pub fn default_compute_pools(kind: BackendKind, release: Release) -> Vec<NodeLabel> {
    requirements(kind, release)
        .compute_pools
        .iter()
        .map(|p| p.label.into())
        .collect()
}

/// Whether a pod with `tolerations` may be scheduled onto a node with a taint of `key`,
/// `value` and `effect` (Kubernetes' matching rules).
pub fn tolerates(
    tolerations: &[Toleration],
    key: &str,
    value: Option<&str>,
    effect: Option<TaintEffect>,
) -> bool {
    tolerations.iter().any(|t| {
        let key_ok = match t.key.as_deref() {
            None | Some("") => t.operator == Some(TolerationOperator::Exists),
            Some(k) => k == key,
        };
        let value_ok = match t.operator {
            Some(TolerationOperator::Exists) => true,
            _ => t.value.as_deref().unwrap_or("") == value.unwrap_or(""),
        };
        let effect_ok = t.effect.is_none() || t.effect == effect;
        key_ok && value_ok && effect_ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_checked_as_kubernetes_does() {
        for ok in [
            "node-type=operator",
            "example.com/pool=a100",
            "k=",
            "a.b_c-d=E.f_g-h",
        ] {
            assert!(NodeLabel::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "=x",
            "node-type",
            "-a=b",
            "a=b-",
            "Example.com/a=b",
            "a/b/c=d",
            &format!("{}=x", "a".repeat(64)),
            "a=b c",
        ] {
            assert!(NodeLabel::parse(bad).is_err(), "{bad}");
        }
        let err = NodeLabel::parse("node-type").unwrap_err();
        assert!(err.contains("key=value"), "{err}");
    }

    #[test]
    fn tolerations_match_as_kubernetes_matches_them() {
        let taint = OperatorTaint {
            key: "dedicated".into(),
            value: Some("osmo".into()),
            effect: TaintEffect::NoSchedule,
        };
        let mut p = Placement::guides(BackendKind::Other, Release::LATEST);
        p.operator_taint = Some(taint.clone());
        let tol = p.operator_tolerations();
        assert_eq!(tol.len(), 2);
        assert!(tolerates(
            &tol,
            "dedicated",
            Some("osmo"),
            Some(TaintEffect::NoSchedule)
        ));
        assert!(!tolerates(
            &tol,
            "dedicated",
            Some("other"),
            Some(TaintEffect::NoSchedule)
        ));
        assert!(!tolerates(
            &tol,
            "dedicated",
            Some("osmo"),
            Some(TaintEffect::NoExecute)
        ));
        // The chart's own toleration: key ops, any value.
        assert!(tolerates(
            &tol,
            "ops",
            Some("anything"),
            Some(TaintEffect::NoSchedule)
        ));
        assert_eq!(taint.to_string(), "dedicated=osmo:NoSchedule");
        let bare = OperatorTaint {
            value: None,
            ..taint
        };
        assert_eq!(bare.to_string(), "dedicated:NoSchedule");
        assert!(tolerates(
            &[bare.toleration()],
            "dedicated",
            Some("x"),
            Some(TaintEffect::NoSchedule)
        ));
    }
}
