//! The 6.3.1 service chart's defaults of `services.configs`, as data.
//!
//! The linter merges these under the user's files (maps merge, lists
//! replace, `null` deletes) before it checks the block, because the
//! defaults stay unless the user removes them: the default pool, backend,
//! templates, validations and five roles.

use serde_json::{Value, json};

/// One policy allowing `actions` on every resource.
fn allow_all(actions: &[&str]) -> Value {
    json!({"effect": "Allow", "actions": actions, "resources": ["*"]})
}

/// A resource validation pair: `variable <upper> capacity` and
/// `variable <lower> 0`. (The chart's messages are its own prose; ours say
/// the same in our words, and the linter never reads them.)
fn bounds(variable: &str, capacity: &str, upper: &str, lower: &str) -> Value {
    let v = format!("{{{{{variable}}}}}");
    json!([
        {"operator": upper, "left_operand": v, "right_operand": format!("{{{{{capacity}}}}}"),
         "assert_message": format!("{v} is more than the node offers")},
        {"operator": lower, "left_operand": v, "right_operand": "0",
         "assert_message": format!("{v} is out of range")}
    ])
}

/// The chart's `services.configs` defaults (service chart 1.3.1, OSMO 6.3.1),
/// key for key; only the descriptions and messages are our own words:
/// ConfigMap mode off; `workflow` with 100 tasks, 7-day default and 30-day
/// longest run time; the `default_ctrl` and `default_user` pod templates;
/// CPU, memory, GPU and storage validations; the roles `osmo-admin`,
/// `osmo-user` (which may submit only to `pool/default`), `osmo-default`,
/// `osmo-ctrl` and `osmo-backend`; backend `default` on the KAI scheduler;
/// pool `default` on it with platform `default`.
///
/// ```
/// let d = osmo_values::configs::default_configs();
/// assert_eq!(d["enabled"], false);
/// assert_eq!(d["workflow"]["default_exec_timeout"], "7d");
/// assert_eq!(d["pools"]["default"]["backend"], "default");
/// assert_eq!(d["roles"].as_object().unwrap().len(), 5);
/// ```
pub fn default_configs() -> Value {
    let user_resources = json!({
        "limits": {"cpu": "{{USER_CPU}}", "memory": "{{USER_MEMORY}}",
                   "nvidia.com/gpu": "{{USER_GPU}}", "ephemeral-storage": "{{USER_STORAGE}}"},
        "requests": {"cpu": "{{USER_CPU}}", "memory": "{{USER_MEMORY}}",
                     "nvidia.com/gpu": "{{USER_GPU}}", "ephemeral-storage": "{{USER_STORAGE}}"}
    });
    json!({
        "enabled": false,
        "extraAnnotations": {},
        "service": {},
        "workflow": {
            "max_num_tasks": 100,
            "max_exec_timeout": "30d",
            "default_exec_timeout": "7d"
        },
        "dataset": {},
        "podTemplates": {
            "default_ctrl": {"spec": {"containers": [{
                "name": "osmo-ctrl",
                "resources": {
                    "limits": {"cpu": "{{USER_CPU}}", "memory": "{{USER_MEMORY}}",
                               "ephemeral-storage": "{{USER_STORAGE}}"},
                    "requests": {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "1Gi"}
                }
            }]}},
            "default_user": {"spec": {"containers": [{
                "name": "{{USER_CONTAINER_NAME}}",
                "resources": user_resources
            }]}}
        },
        "resourceValidations": {
            "default_cpu": bounds("USER_CPU", "K8_CPU", "LE", "GT"),
            "default_memory": bounds("USER_MEMORY", "K8_MEMORY", "LE", "GT"),
            "default_gpu": bounds("USER_GPU", "K8_GPU", "LE", "GE"),
            "default_storage": bounds("USER_STORAGE", "K8_STORAGE", "LT", "GT")
        },
        "roles": {
            "osmo-admin": {
                "description": "Administrators: every action",
                "policies": [allow_all(&["*:*"])],
                "external_roles": ["osmo-admin"]
            },
            "osmo-user": {
                "description": "Users: workflows, data and credentials",
                "policies": [
                    allow_all(&["app:*", "auth:Token", "credentials:*", "dataset:*", "pool:List",
                                "profile:Read", "profile:Update", "resources:Read", "user:List",
                                "workflow:List", "workflow:Read"]),
                    {"effect": "Allow", "actions": ["workflow:*"], "resources": ["pool/default"]}
                ],
                "external_roles": ["osmo-user"]
            },
            "osmo-default": {
                "description": "Everyone: log-in and profile",
                "policies": [allow_all(&["auth:Login", "auth:Refresh", "auth:Token", "profile:*",
                                          "system:Health"])],
                "external_roles": []
            },
            "osmo-ctrl": {
                "description": "OSMO's own task containers",
                "policies": [allow_all(&["internal:Logger", "internal:Router"])],
                "external_roles": ["osmo-ctrl"]
            },
            "osmo-backend": {
                "description": "Backend operators",
                "policies": [allow_all(&["internal:Operator", "config:Read", "pool:List"])],
                "external_roles": ["osmo-backend"]
            }
        },
        "backends": {
            "default": {
                "description": "The default backend",
                "scheduler_settings": {
                    "scheduler_type": "kai",
                    "scheduler_name": "kai-scheduler",
                    "scheduler_timeout": 30
                }
            }
        },
        "pools": {
            "default": {
                "description": "The default pool",
                "backend": "default",
                "default_platform": "default",
                "common_pod_template": ["default_ctrl", "default_user"],
                "common_resource_validations": ["default_cpu", "default_memory",
                                                "default_storage", "default_gpu"],
                "common_default_variables": {
                    "USER_CPU": 1, "USER_GPU": 0, "USER_MEMORY": "1Gi", "USER_STORAGE": "1Gi"
                },
                "platforms": {"default": {}}
            }
        },
        "backendTests": {},
        "groupTemplates": {},
        "secretRefs": []
    })
}
