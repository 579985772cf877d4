//! The 6.3.1 service chart's defaults of `services.configs`, as data.
//!
//! The linter merges these under the user's files (maps merge, lists
//! replace, `null` deletes) before it checks the block, because the
//! defaults stay unless the user removes them: the default pool, backend,
//! templates, validations and five roles.

use serde_json::Value;

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
    // Data, not `json!`: the browser wizard carries the text, much smaller than the code the
    // macro expands to. The tests read it (a broken text fails every lint test).
    serde_json::from_str(DEFAULT_CONFIGS).unwrap_or_default()
}

/// [`default_configs`] as JSON text.
const DEFAULT_CONFIGS: &str = r##"{
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
  "default_ctrl": {
   "spec": {
    "containers": [
     {
      "name": "osmo-ctrl",
      "resources": {
       "limits": {
        "cpu": "{{USER_CPU}}",
        "memory": "{{USER_MEMORY}}",
        "ephemeral-storage": "{{USER_STORAGE}}"
       },
       "requests": {
        "cpu": "1",
        "memory": "1Gi",
        "ephemeral-storage": "1Gi"
       }
      }
     }
    ]
   }
  },
  "default_user": {
   "spec": {
    "containers": [
     {
      "name": "{{USER_CONTAINER_NAME}}",
      "resources": {
       "limits": {
        "cpu": "{{USER_CPU}}",
        "memory": "{{USER_MEMORY}}",
        "nvidia.com/gpu": "{{USER_GPU}}",
        "ephemeral-storage": "{{USER_STORAGE}}"
       },
       "requests": {
        "cpu": "{{USER_CPU}}",
        "memory": "{{USER_MEMORY}}",
        "nvidia.com/gpu": "{{USER_GPU}}",
        "ephemeral-storage": "{{USER_STORAGE}}"
       }
      }
     }
    ]
   }
  }
 },
 "resourceValidations": {
  "default_cpu": [
   {
    "operator": "LE",
    "left_operand": "{{USER_CPU}}",
    "right_operand": "{{K8_CPU}}",
    "assert_message": "{{USER_CPU}} is more than the node offers"
   },
   {
    "operator": "GT",
    "left_operand": "{{USER_CPU}}",
    "right_operand": "0",
    "assert_message": "{{USER_CPU}} is out of range"
   }
  ],
  "default_memory": [
   {
    "operator": "LE",
    "left_operand": "{{USER_MEMORY}}",
    "right_operand": "{{K8_MEMORY}}",
    "assert_message": "{{USER_MEMORY}} is more than the node offers"
   },
   {
    "operator": "GT",
    "left_operand": "{{USER_MEMORY}}",
    "right_operand": "0",
    "assert_message": "{{USER_MEMORY}} is out of range"
   }
  ],
  "default_gpu": [
   {
    "operator": "LE",
    "left_operand": "{{USER_GPU}}",
    "right_operand": "{{K8_GPU}}",
    "assert_message": "{{USER_GPU}} is more than the node offers"
   },
   {
    "operator": "GE",
    "left_operand": "{{USER_GPU}}",
    "right_operand": "0",
    "assert_message": "{{USER_GPU}} is out of range"
   }
  ],
  "default_storage": [
   {
    "operator": "LT",
    "left_operand": "{{USER_STORAGE}}",
    "right_operand": "{{K8_STORAGE}}",
    "assert_message": "{{USER_STORAGE}} is more than the node offers"
   },
   {
    "operator": "GT",
    "left_operand": "{{USER_STORAGE}}",
    "right_operand": "0",
    "assert_message": "{{USER_STORAGE}} is out of range"
   }
  ]
 },
 "roles": {
  "osmo-admin": {
   "description": "Administrators: every action",
   "policies": [
    {
     "effect": "Allow",
     "actions": [
      "*:*"
     ],
     "resources": [
      "*"
     ]
    }
   ],
   "external_roles": [
    "osmo-admin"
   ]
  },
  "osmo-user": {
   "description": "Users: workflows, data and credentials",
   "policies": [
    {
     "effect": "Allow",
     "actions": [
      "app:*",
      "auth:Token",
      "credentials:*",
      "dataset:*",
      "pool:List",
      "profile:Read",
      "profile:Update",
      "resources:Read",
      "user:List",
      "workflow:List",
      "workflow:Read"
     ],
     "resources": [
      "*"
     ]
    },
    {
     "effect": "Allow",
     "actions": [
      "workflow:*"
     ],
     "resources": [
      "pool/default"
     ]
    }
   ],
   "external_roles": [
    "osmo-user"
   ]
  },
  "osmo-default": {
   "description": "Everyone: log-in and profile",
   "policies": [
    {
     "effect": "Allow",
     "actions": [
      "auth:Login",
      "auth:Refresh",
      "auth:Token",
      "profile:*",
      "system:Health"
     ],
     "resources": [
      "*"
     ]
    }
   ],
   "external_roles": []
  },
  "osmo-ctrl": {
   "description": "OSMO's own task containers",
   "policies": [
    {
     "effect": "Allow",
     "actions": [
      "internal:Logger",
      "internal:Router"
     ],
     "resources": [
      "*"
     ]
    }
   ],
   "external_roles": [
    "osmo-ctrl"
   ]
  },
  "osmo-backend": {
   "description": "Backend operators",
   "policies": [
    {
     "effect": "Allow",
     "actions": [
      "internal:Operator",
      "config:Read",
      "pool:List"
     ],
     "resources": [
      "*"
     ]
    }
   ],
   "external_roles": [
    "osmo-backend"
   ]
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
   "common_pod_template": [
    "default_ctrl",
    "default_user"
   ],
   "common_resource_validations": [
    "default_cpu",
    "default_memory",
    "default_storage",
    "default_gpu"
   ],
   "common_default_variables": {
    "USER_CPU": 1,
    "USER_GPU": 0,
    "USER_MEMORY": "1Gi",
    "USER_STORAGE": "1Gi"
   },
   "platforms": {
    "default": {}
   }
  }
 },
 "backendTests": {},
 "groupTemplates": {},
 "secretRefs": []
}"##;
