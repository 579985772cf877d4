//! The wizard's Yew component: the steps of the chosen release, a live preview of every generated
//! file with core's lint findings, downloads, spec export and import.

use std::collections::HashSet;

use osmo_values::Release;
use osmo_values::diagnostic::Diagnostic;
use osmo_values::generate::{
    Bundle, Existing, FILL_ME, GENERATES_6_2, GenerateError, Options, SecretSource, UserSecrets,
    generate_reusing, spec_yaml,
};
use osmo_values::path::{Path, Segment};
use osmo_values::spec::DeploymentSpec;
use osmo_values::spec::draft::{self, Placeholder};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::browser;
use crate::checks::{self, Findings};
use crate::form::{self, FieldInfo, Kind, Problem, SpecSchema};
use crate::sizing::{self, SizingOverrides};
use crate::{markdown, preview};

/// A step of the wizard. A release shows the steps it has: 6.2.10 has no
/// Storage step (its storage is configured after installing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepId {
    /// Release, domain, images, sizing and monitoring.
    Basics,
    /// The identity provider.
    Auth,
    /// Ingress and TLS (6.2.10), or the gateway (6.3.1).
    Exposure,
    /// The workflow storage and ConfigMap mode (6.3.1).
    Storage,
    /// PostgreSQL and Redis.
    Databases,
    /// The backends: kind and placement.
    Backends,
    /// The findings, the downloads and the spec.
    Review,
}

const ALL_STEPS: [StepId; 7] = [
    StepId::Basics,
    StepId::Auth,
    StepId::Exposure,
    StepId::Storage,
    StepId::Databases,
    StepId::Backends,
    StepId::Review,
];

impl StepId {
    /// The spec keys the step edits.
    fn keys(self) -> &'static [&'static str] {
        match self {
            StepId::Basics => &["release", "domain", "images", "sizing", "monitoring"],
            StepId::Auth => &["authentication"],
            StepId::Exposure => &["ingress", "gateway"],
            StepId::Storage => &["storage", "configMapMode"],
            StepId::Databases => &["postgres", "redis"],
            StepId::Backends => &["backends"],
            StepId::Review => &[],
        }
    }

    fn title(self, gateway: bool) -> &'static str {
        match self {
            StepId::Basics => "Basics",
            StepId::Auth => "Authentication",
            StepId::Exposure if gateway => "Gateway",
            StepId::Exposure => "Ingress and TLS",
            StepId::Storage => "Storage",
            StepId::Databases => "Databases",
            StepId::Backends => "Backends",
            StepId::Review => "Review",
        }
    }
}

/// Where the "remember my answers" copy of the spec (never a secret) is kept.
const STORAGE_KEY: &str = "osmo-values-wizard.spec";

/// The secrets the operator may type; they go into `secrets.yaml` only, never the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretField {
    /// The IdP application's client secret.
    IdpClientSecret,
    /// The PostgreSQL password.
    DbPassword,
    /// The Redis password.
    RedisPassword,
    /// The access key id of the workflow storage (static credentials).
    StorageKeyId,
    /// The secret access key of the workflow storage (static credentials).
    StorageKey,
}

impl SecretField {
    fn id(self) -> &'static str {
        match self {
            SecretField::IdpClientSecret => "s-idp-client-secret",
            SecretField::DbPassword => "s-db-password",
            SecretField::RedisPassword => "s-redis-password",
            SecretField::StorageKeyId => "s-storage-key-id",
            SecretField::StorageKey => "s-storage-key",
        }
    }

    fn slot(self, secrets: &mut UserSecrets) -> &mut Option<String> {
        match self {
            SecretField::IdpClientSecret => &mut secrets.idp_client_secret,
            SecretField::DbPassword => &mut secrets.db_password,
            SecretField::RedisPassword => &mut secrets.redis_password,
            SecretField::StorageKeyId => &mut secrets.storage_access_key_id,
            SecretField::StorageKey => &mut secrets.storage_access_key,
        }
    }
}

/// The wizard's messages.
pub enum Msg {
    /// A field was edited.
    Edit(Path, String),
    /// A check box changed.
    Check(Path, bool),
    /// A cell of the sizing-overrides table was edited.
    Sizing(Path, String),
    /// A field lost focus: show its problems from now on.
    Touch(Path),
    /// Another identity provider was chosen.
    Provider(String),
    /// A secret was typed.
    Secret(SecretField, String),
    /// Show or hide a secret.
    ToggleSecret(SecretField),
    /// Next step (the step's form was submitted).
    Next,
    /// Previous step.
    Back,
    /// Jump to a step.
    Go(StepId),
    /// Open the step of a field and focus it.
    GoField(Path),
    /// Show a file with one line highlighted: where a lint finding is (0-based line).
    ShowLine(String, usize),
    /// A backend's operator taint was turned on or off.
    Taint(usize, bool),
    /// A backend's compute pool labels were edited (comma-separated).
    Pools(usize, String),
    /// Add a backend.
    AddBackend,
    /// Remove a backend.
    RemoveBackend(usize),
    /// An annotation row's name (`false`) or value (`true`) was edited.
    Annotation(usize, bool, String),
    /// Add an annotation row.
    AddAnnotation,
    /// Remove an annotation row.
    RemoveAnnotation(usize),
    /// Show a file in the preview.
    Tab(String),
    /// Copy a file to the clipboard.
    Copy(String),
    /// The clipboard answered.
    Copied(String, bool),
    /// Download one file.
    Download(String),
    /// Download every file as a ZIP.
    DownloadZip,
    /// Download spec.yaml.
    ExportSpec,
    /// A spec.yaml file was chosen for import.
    ImportFile(web_sys::File),
    /// The text of an imported spec.yaml.
    Import(String),
    /// Values files of an existing deployment were chosen for import.
    ImportValuesFiles(Vec<web_sys::File>),
    /// The values files' names and texts, read.
    ImportValues(Vec<(String, String)>),
    /// Remember the answers (not the secrets) in this browser, or forget them.
    Remember(bool),
    /// Draw new random secrets and a new MEK.
    NewSecrets,
    /// Show or hide sensitive files in the preview.
    RevealSensitive,
    /// The form is on screen: generate the preview.
    Started,
}

/// The wizard.
pub struct App {
    schema: SpecSchema,
    step: StepId,
    /// Answers put aside when a choice changed (`authentication.provider=google` and the like),
    /// restored when the choice comes back.
    stash: std::collections::HashMap<String, Vec<(Path, Option<Value>)>>,
    spec: Value,
    /// The extra ingress annotations as edited, in row order (the spec holds them as a map).
    annotations: Vec<(String, String)>,
    secrets: UserSecrets,
    shown: HashSet<SecretField>,
    touched: HashSet<Path>,
    attempted: [bool; ALL_STEPS.len()],
    seed: [u8; 32],
    problems: Vec<Problem>,
    bundle: Option<Bundle>,
    findings: Findings,
    regen_ms: f64,
    tab: String,
    import_status: Option<Result<String, String>>,
    /// What the last import of values files found.
    values_import: Option<crate::import_values::Report>,
    copy_status: Option<String>,
    remember: bool,
    reveal: bool,
    focus: Option<String>,
    storage_error: Option<String>,
    /// The secrets `secrets.yaml` leaves as markers (`db-secret/db-password`, ...).
    unfilled: Vec<String>,
    /// The compute pools as typed, per backend (the spec holds them as a list).
    pools: std::collections::HashMap<usize, String>,
    /// The fields core's draft filled with a placeholder (the preview marks and lists them).
    placeholders: Vec<Placeholder>,
    /// The answers are complete and valid: the bundle holds no placeholder.
    answers_ready: bool,
    /// The lines of the shown file that the last regeneration changed (0-based, sorted).
    changed: Vec<usize>,
    /// Scroll the shown file to its first changed line after the next render.
    reveal_change: bool,
    /// The line of the shown file a lint finding pointed at (0-based), highlighted until
    /// another file is shown or the files change.
    finding_line: Option<usize>,
    /// Why core refused to generate the draft, when it did.
    refused: Option<String>,
    /// What the bundle was last generated from (answers, secrets, seed): the same again is
    /// no regeneration.
    generated_from: Option<(Value, UserSecrets, [u8; 32])>,
    /// Answers typed since the last download or export (leaving the page asks first).
    dirty: bool,
    /// The page is starting: the answers are checked, the preview waits until the form
    /// has been painted.
    starting: bool,
}

impl App {
    /// Generates the preview from the answers as they are (core's draft: defaults and marked
    /// placeholders where an answer is missing or wrong), lints it, and notes the lines of
    /// the shown file that changed. Nothing is kept from an earlier generation: when the
    /// answers cannot be generated, there is no preview.
    fn regenerate(&mut self) {
        let from = (self.spec.clone(), self.secrets.clone(), self.seed);
        if self.generated_from.as_ref() == Some(&from) {
            return;
        }
        if self
            .generated_from
            .as_ref()
            .is_some_and(|(spec, secrets, _)| *spec != from.0 || *secrets != from.1)
        {
            self.dirty = true;
        }
        let t0 = browser::now();
        let d = draft::draft(&self.spec);
        self.answers_ready = d.ready() && !self.starting;
        self.problems = d
            .problems
            .into_iter()
            .map(|p| Problem {
                path: p.path,
                message: p.message,
            })
            .collect();
        self.placeholders = d.placeholders;
        if self.starting {
            return;
        }
        let before = self
            .bundle
            .take()
            .and_then(|b| b.get(&self.tab).map(|f| f.contents.clone()));
        self.changed.clear();
        self.finding_line = None;
        self.refused = None;
        self.unfilled.clear();
        self.findings = Findings::default();
        if let Some(spec) = d.spec {
            let mut rng = StdRng::from_seed(self.seed);
            // A password typed for a server the spec says has none is not used (its field is
            // hidden); the password comes back if the box is ticked again.
            let mut secrets = self.secrets.clone();
            if !spec.postgres.password {
                secrets.db_password = None;
            }
            if !spec.redis.password {
                secrets.redis_password = None;
            }
            let options = Options {
                secrets: SecretSource::File(secrets),
            };
            // What `generate_with_secrets` does, with the secrets it leaves to fill in.
            match generate_reusing(&spec, &options, &Existing::default(), &mut rng) {
                Ok(done) => {
                    self.findings = Findings::of(&done.bundle, &spec);
                    self.unfilled = done.unfilled.iter().map(|(r, _)| r.to_string()).collect();
                    if let (Some(old), Some(new)) = (&before, done.bundle.get(&self.tab)) {
                        self.changed = preview::changed_lines(old, &new.contents);
                        self.reveal_change = !self.changed.is_empty();
                    }
                    self.bundle = Some(done.bundle);
                }
                Err(GenerateError::InvalidSpec(found)) => {
                    self.answers_ready = false;
                    self.refused = found
                        .iter()
                        .find(|p| !self.problems.iter().any(|q| q.path == p.path))
                        .or(found.first())
                        .map(|p| p.message.clone());
                    self.problems.extend(found.into_iter().map(|p| Problem {
                        path: p.path,
                        message: p.message,
                    }));
                }
                Err(e) => {
                    self.answers_ready = false;
                    self.refused = Some(e.to_string());
                    self.problems.push(Problem {
                        path: Path::root(),
                        message: e.to_string(),
                    });
                }
            }
        }
        self.regen_ms = browser::now() - t0;
        browser::record_regen(self.regen_ms);
        self.generated_from = Some(from);
        if let Some(b) = &self.bundle
            && b.get(&self.tab).is_none()
        {
            self.tab = b.files.first().map(|f| f.name.clone()).unwrap_or_default();
        }
        if self.remember {
            self.storage_error = browser::store(STORAGE_KEY, Some(&self.spec.to_string())).err();
        }
        self.leave_warning();
    }

    /// Arms the question before leaving while answers typed are kept nowhere else.
    fn leave_warning(&self) {
        browser::warn_before_leaving(self.dirty && !self.remember);
    }

    fn annotations_path(&self) -> Path {
        annotations_path_of(&self.spec)
    }

    /// Whether the 6.3.1 gateway is exposed by its own LoadBalancer Service.
    fn load_balancer(&self) -> bool {
        self.release().has_gateway() && self.annotations_path() != Path::keys("ingress.annotations")
    }

    /// Writes the annotation rows into the spec and regenerates.
    fn sync_annotations(&mut self) {
        let ann = self.annotations_path();
        form::set(
            &mut self.spec,
            &ann,
            Some(Value::Object(Default::default())),
        );
        for (k, v) in &self.annotations {
            form::set(
                &mut self.spec,
                &ann.clone().key(k.clone()),
                Some(Value::from(v.as_str())),
            );
        }
        self.regenerate();
    }

    /// The id of the input that edits `path` (an annotation's name input for its key).
    fn input_id(&self, path: &Path) -> String {
        let ann = self.annotations_path();
        match self
            .annotations
            .iter()
            .position(|(k, _)| ann.clone().key(k.clone()) == *path)
        {
            Some(i) => form::field_id(&ann.index(i)),
            None => form::field_id(path),
        }
    }

    /// The release the answers are for.
    fn release(&self) -> Release {
        serde_json::from_value(self.spec["release"].clone()).unwrap_or(Release::LATEST)
    }

    /// The steps of the chosen release, in order.
    fn steps(&self) -> Vec<StepId> {
        let storage = self.release().has_configmap_mode();
        ALL_STEPS
            .into_iter()
            .filter(|s| *s != StepId::Storage || storage)
            .collect()
    }

    /// The position of a step among [`App::steps`] (the last one when it is not shown).
    fn pos(&self, step: StepId) -> usize {
        let steps = self.steps();
        steps
            .iter()
            .position(|s| *s == step)
            .unwrap_or(steps.len() - 1)
    }

    fn title(&self, step: StepId) -> String {
        format!(
            "{}. {}",
            self.pos(step) + 1,
            step.title(self.release().has_gateway())
        )
    }

    fn step_of(path: &Path) -> StepId {
        match path.0.first() {
            Some(Segment::Key(k)) => ALL_STEPS
                .into_iter()
                .find(|s| s.keys().contains(&k.as_str()))
                .unwrap_or(StepId::Review),
            _ => StepId::Review,
        }
    }

    fn step_problems(&self, step: StepId) -> Vec<&Problem> {
        self.problems
            .iter()
            .filter(|p| step == StepId::Review || Self::step_of(&p.path) == step)
            .collect()
    }

    fn reachable(&self, step: StepId) -> bool {
        let at = self.pos(step);
        at <= self.pos(self.step)
            || self.steps()[..at]
                .iter()
                .all(|s| self.step_problems(*s).is_empty())
    }

    fn field_problem(&self, path: &Path) -> Option<&Problem> {
        let show = self.touched.contains(path) || self.attempted[Self::step_of(path) as usize];
        self.problems
            .iter()
            .find(|p| show && (&p.path == path || Self::shown_at(&p.path) == *path))
    }

    /// The problems shown under `prefix` (the fields touched, or the whole step after Next):
    /// path and core's message.
    fn shown_problems_under(&self, prefix: &Path) -> Vec<(Path, String)> {
        self.problems
            .iter()
            .filter(|p| p.path.0.starts_with(&prefix.0))
            .filter(|p| {
                self.touched.contains(&p.path) || self.attempted[Self::step_of(&p.path) as usize]
            })
            .map(|p| (p.path.clone(), p.message.clone()))
            .collect()
    }

    /// The field that shows a problem: a compute pool's label shows on the pools' input.
    fn shown_at(path: &Path) -> Path {
        match path.0.as_slice() {
            [
                Segment::Key(b),
                Segment::Index(i),
                Segment::Key(k),
                Segment::Index(_),
            ] if b == "backends" && k == "computePools" => {
                Path::keys("backends").index(*i).key("computePools")
            }
            _ => path.clone(),
        }
    }

    /// The fields a step renders, for focusing the first one with a problem.
    fn step_fields(&self, step: StepId) -> Vec<Path> {
        let mut out = Vec::new();
        match step {
            StepId::Basics => {
                for k in [
                    "release",
                    "domain",
                    "images.registry",
                    "images.tag",
                    "images.pullSecret",
                    "sizing.preset",
                    "monitoring.podMonitor",
                ] {
                    out.push(Path::keys(k));
                }
                out.extend(sizing::fields(&self.spec));
            }
            StepId::Auth => {
                let auth = Path::keys("authentication");
                out.push(auth.clone().key("provider"));
                for k in self.schema.keys(&self.spec, &auth) {
                    out.push(auth.clone().key(k));
                }
            }
            StepId::Exposure => {
                let gateway = self.release().has_gateway();
                let lb = self.load_balancer();
                if gateway {
                    out.push(Path::keys("gateway.exposure"));
                }
                if lb {
                    out.push(Path::keys("gateway.tlsSecret"));
                } else {
                    for k in ["ingress.className", "ingress.tlsSecret"] {
                        out.push(Path::keys(k));
                    }
                }
                if gateway {
                    out.push(Path::keys("gateway.upstreamTls"));
                }
                if form::pointer(&self.spec, &Path::keys("ingress.alb")).is_some() {
                    let alb = Path::keys("ingress.alb");
                    for k in self.schema.keys(&self.spec, &alb) {
                        out.push(alb.clone().key(k));
                    }
                }
                for (k, _) in &self.annotations {
                    out.push(self.annotations_path().key(k.clone()));
                }
            }
            StepId::Storage => {
                out.push(Path::keys("configMapMode"));
                let st = Path::keys("storage");
                if form::pointer(&self.spec, &st).is_some() {
                    for k in ["logUri", "dataUri", "region", "overrideUrl"] {
                        out.push(st.clone().key(k));
                    }
                    let cred = st.key("credentials");
                    out.push(cred.clone().key("kind"));
                    for k in self.schema.keys(&self.spec, &cred) {
                        out.push(cred.clone().key(k));
                    }
                }
            }
            StepId::Databases => {
                for section in ["postgres", "redis"] {
                    let p = Path::keys(section);
                    for k in self.schema.keys(&self.spec, &p) {
                        out.push(p.clone().key(k));
                    }
                }
            }
            StepId::Backends => {
                let n = self.spec["backends"].as_array().map_or(0, Vec::len);
                for i in 0..n {
                    let b = Path::keys("backends").index(i);
                    for k in self.schema.keys(&self.spec, &b) {
                        if k == "operatorTaint" {
                            let t = b.clone().key("operatorTaint");
                            out.push(t.clone());
                            for k in ["key", "value", "effect"] {
                                out.push(t.clone().key(k));
                            }
                        } else {
                            out.push(b.clone().key(k));
                        }
                    }
                }
            }
            StepId::Review => {}
        }
        out
    }

    /// A choice at `choice` changes to `to`: the answers at `paths` are put aside under the
    /// old choice, and those put aside under the new one (if any) come back.
    fn switch(&mut self, choice: &str, paths: &[&str], to: &str) {
        let at = Path::keys(choice);
        let mut from = form::display(form::pointer(&self.spec, &at));
        if from.is_empty() {
            // Not in the answers yet: the schema's default is the choice in force.
            from = form::display(
                self.schema
                    .field(&self.spec, &at)
                    .and_then(|f| f.default)
                    .as_ref(),
            );
        }
        if from == to {
            return;
        }
        let paths: Vec<Path> = paths.iter().map(|p| Path::keys(p)).collect();
        let kept: Vec<(Path, Option<Value>)> = paths
            .iter()
            .map(|p| (p.clone(), form::pointer(&self.spec, p).cloned()))
            .collect();
        self.stash.insert(format!("{choice}={from}"), kept);
        for p in &paths {
            form::set(&mut self.spec, p, None);
        }
        if let Some(back) = self.stash.remove(&format!("{choice}={to}")) {
            for (p, v) in back {
                form::set(&mut self.spec, &p, v);
            }
        }
        form::set(&mut self.spec, &at, Some(Value::from(to)));
    }

    fn download(&self, name: &str) {
        if let Some(f) = self.bundle.as_ref().and_then(|b| b.get(name)) {
            browser::download(name, f.contents.as_bytes(), mime(name));
        }
    }
}

/// Where the annotation rows go: the Ingress's, or the gateway's LoadBalancer Service's.
fn annotations_path_of(spec: &Value) -> Path {
    if form::display(form::pointer(spec, &Path::keys("gateway.exposure"))) == "loadBalancer" {
        Path::keys("gateway.serviceAnnotations")
    } else {
        Path::keys("ingress.annotations")
    }
}

/// The annotation rows of a spec.
fn annotation_rows(spec: &Value) -> Vec<(String, String)> {
    form::pointer(spec, &annotations_path_of(spec))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), form::display(Some(v))))
                .collect()
        })
        .unwrap_or_default()
}

fn mime(name: &str) -> &'static str {
    if name.ends_with(".sh") {
        "text/x-shellscript"
    } else if name.ends_with(".md") {
        "text/markdown"
    } else if name.ends_with(".zip") {
        "application/zip"
    } else {
        "application/yaml"
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(_ctx: &Context<Self>) -> Self {
        let stored = browser::load(STORAGE_KEY)
            .and_then(|s| serde_json::from_str::<Value>(&s).ok())
            .filter(Value::is_object);
        let remember = stored.is_some();
        let spec = stored.unwrap_or_else(form::initial_spec);
        let mut app = App {
            schema: SpecSchema::new(),
            step: StepId::Basics,
            stash: Default::default(),
            annotations: annotation_rows(&spec),
            spec,
            secrets: UserSecrets::default(),
            shown: HashSet::new(),
            touched: HashSet::new(),
            attempted: [false; ALL_STEPS.len()],
            seed: browser::random_seed(),
            problems: Vec::new(),
            bundle: None,
            findings: Findings::default(),
            regen_ms: 0.0,
            tab: "osmo_values.yaml".into(),
            import_status: None,
            values_import: None,
            copy_status: None,
            remember,
            reveal: false,
            focus: None,
            storage_error: None,
            pools: Default::default(),
            unfilled: Vec::new(),
            placeholders: Vec::new(),
            answers_ready: false,
            changed: Vec::new(),
            reveal_change: false,
            finding_line: None,
            refused: None,
            generated_from: None,
            dirty: false,
            starting: true,
        };
        app.regenerate();
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Edit(path, text) => {
                if path == Path::keys("release") {
                    self.switch(
                        "release",
                        &["images.tag", "gateway", "storage", "configMapMode"],
                        &text,
                    );
                    if let Ok(release) = text.parse::<Release>() {
                        let tag = Path::keys("images.tag");
                        if form::pointer(&self.spec, &tag).is_none() {
                            form::set(&mut self.spec, &tag, Some(Value::from(release.as_str())));
                        }
                        if release.has_configmap_mode() {
                            form::set(
                                &mut self.spec,
                                &Path::keys("configMapMode"),
                                Some(Value::Bool(true)),
                            );
                            if form::pointer(&self.spec, &Path::keys("storage")).is_none() {
                                let st = form::initial_storage(&self.schema, &self.spec);
                                form::set(&mut self.spec, &Path::keys("storage"), Some(st));
                            }
                        }
                    }
                    self.annotations = annotation_rows(&self.spec);
                    self.focus = Some("f-release".into());
                    self.regenerate();
                    return true;
                }
                if path == Path::keys("gateway.exposure") {
                    self.switch(
                        "gateway.exposure",
                        &["ingress", "gateway.tlsSecret", "gateway.serviceAnnotations"],
                        &text,
                    );
                    self.annotations = annotation_rows(&self.spec);
                    self.focus = Some("f-gateway-exposure".into());
                    self.regenerate();
                    return true;
                }
                if path == Path::keys("storage.credentials.kind") {
                    self.switch("storage.credentials.kind", &["storage.credentials"], &text);
                    if form::pointer(&self.spec, &path).is_none() {
                        let cred = Path::keys("storage.credentials");
                        let skeleton = self.schema.skeleton(&self.spec, &cred, &[("kind", &text)]);
                        form::set(&mut self.spec, &cred, Some(skeleton));
                    }
                    if text != "static" {
                        self.secrets.storage_access_key_id = None;
                        self.secrets.storage_access_key = None;
                    }
                    self.focus = Some("f-storage-credentials-kind".into());
                    self.regenerate();
                    return true;
                }
                if let Some(info) = self.schema.field(&self.spec, &path) {
                    let value = form::parse_input(&text, &info);
                    form::set(&mut self.spec, &path, value);
                    if path == Path::keys("ingress.className") {
                        let alb = Path::keys("ingress.alb");
                        let has = form::pointer(&self.spec, &alb).is_some();
                        if form::class_is_alb(&text) && !has {
                            let skeleton = self.schema.skeleton(&self.spec, &alb, &[]);
                            form::set(&mut self.spec, &alb, Some(skeleton));
                        } else if !form::class_is_alb(&text) && has {
                            form::set(&mut self.spec, &alb, None);
                        }
                    }
                    self.regenerate();
                }
            }
            Msg::Check(path, on) => {
                if path == Path::keys("configMapMode") {
                    // Off, the storage is configured after installing: its answers are put
                    // aside until ConfigMap mode is on again.
                    self.switch("configMapMode", &["storage"], &on.to_string());
                    if on && form::pointer(&self.spec, &Path::keys("storage")).is_none() {
                        let st = form::initial_storage(&self.schema, &self.spec);
                        form::set(&mut self.spec, &Path::keys("storage"), Some(st));
                    }
                }
                form::set(&mut self.spec, &path, Some(Value::Bool(on)));
                self.touched.insert(path);
                self.regenerate();
            }
            Msg::Sizing(path, text) => {
                sizing::edit(&self.schema, &mut self.spec, &path, &text);
                self.regenerate();
            }
            Msg::GoField(path) => {
                let step = Self::step_of(&path);
                self.step = step;
                self.attempted[step as usize] = true;
                self.focus = Some(self.input_id(&path));
            }
            Msg::Taint(i, on) => {
                let t = Path::keys("backends").index(i).key("operatorTaint");
                let value = on.then(|| self.schema.skeleton(&self.spec, &t, &[]));
                form::set(&mut self.spec, &t, value);
                self.regenerate();
            }
            Msg::Pools(i, text) => {
                let p = Path::keys("backends").index(i).key("computePools");
                let pools: Vec<Value> = text
                    .split(',')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(Value::from)
                    .collect();
                form::set(
                    &mut self.spec,
                    &p,
                    (!pools.is_empty()).then_some(Value::Array(pools)),
                );
                self.pools.insert(i, text);
                self.regenerate();
            }
            Msg::Touch(path) => {
                self.touched.insert(path);
            }
            Msg::Provider(provider) => {
                let auth = Path::keys("authentication");
                let from = form::display(form::pointer(&self.spec, &auth.clone().key("provider")));
                // Each provider's answers are put aside, and come back with it.
                self.switch("authentication.provider", &["authentication"], &provider);
                if form::pointer(&self.spec, &auth.clone().key("provider")).is_none() {
                    let skeleton =
                        self.schema
                            .skeleton(&self.spec, &auth, &[("provider", &provider)]);
                    form::set(&mut self.spec, &auth, Some(skeleton));
                }
                self.touched.retain(|p| !p.0.starts_with(&auth.0));
                // The client secret typed for the previous provider is put aside too.
                if let Some(old) = self.secrets.idp_client_secret.take() {
                    self.stash.insert(
                        format!("secret={from}"),
                        vec![(Path::root(), Some(Value::from(old)))],
                    );
                }
                self.secrets.idp_client_secret = self
                    .stash
                    .remove(&format!("secret={provider}"))
                    .and_then(|v| v.into_iter().next()?.1)
                    .and_then(|v| v.as_str().map(str::to_owned));
                self.focus = Some("f-authentication-provider".into());
                self.regenerate();
            }
            Msg::Secret(which, text) => {
                *which.slot(&mut self.secrets) = (!text.is_empty()).then_some(text);
                self.regenerate();
            }
            Msg::ToggleSecret(which) => {
                if !self.shown.remove(&which) {
                    self.shown.insert(which);
                }
            }
            Msg::Next => {
                if self.step == StepId::Review {
                    return false;
                }
                if self.step_problems(self.step).is_empty() {
                    let steps = self.steps();
                    self.step = steps[(self.pos(self.step) + 1).min(steps.len() - 1)];
                    self.focus = Some("step-title".into());
                } else {
                    self.attempted[self.step as usize] = true;
                    let fields = self.step_fields(self.step);
                    let first = fields
                        .iter()
                        .find(|f| self.problems.iter().any(|p| &p.path == *f));
                    self.focus = Some(match first {
                        Some(f) => self.input_id(f),
                        None => "step-problems".into(),
                    });
                }
            }
            Msg::Back => {
                let steps = self.steps();
                self.step = steps[self.pos(self.step).saturating_sub(1)];
                self.focus = Some("step-title".into());
            }
            Msg::Go(step) => {
                if self.reachable(step) {
                    self.step = step;
                    self.focus = Some("step-title".into());
                }
            }
            Msg::AddBackend => {
                let n = self.spec["backends"].as_array().map_or(0, Vec::len);
                let path = Path::keys("backends").index(n);
                let skeleton = self.schema.skeleton(&self.spec, &path, &[]);
                match self.spec.get_mut("backends").and_then(Value::as_array_mut) {
                    Some(list) => list.push(skeleton),
                    None => form::set(
                        &mut self.spec,
                        &Path::keys("backends"),
                        Some(Value::Array(vec![skeleton])),
                    ),
                }
                self.focus = Some(form::field_id(&path.key("name")));
                self.regenerate();
            }
            Msg::RemoveBackend(i) => {
                form::set(&mut self.spec, &Path::keys("backends").index(i), None);
                self.touched
                    .retain(|p| !p.0.starts_with(&[Segment::Key("backends".into())]));
                self.focus = Some("add-backend".into());
                self.regenerate();
            }
            Msg::Annotation(i, value, text) => {
                if let Some(row) = self.annotations.get_mut(i) {
                    *(if value { &mut row.1 } else { &mut row.0 }) = text;
                }
                self.sync_annotations();
            }
            Msg::AddAnnotation => {
                let n = self.annotations.len();
                self.focus = Some(form::field_id(&self.annotations_path().index(n)));
                self.annotations.push(Default::default());
                self.sync_annotations();
            }
            Msg::RemoveAnnotation(i) => {
                self.annotations.remove(i);
                self.focus = Some("add-annotation".into());
                self.sync_annotations();
            }
            Msg::ShowLine(name, line) => {
                self.changed.clear();
                self.tab = name;
                self.finding_line = Some(line);
                self.reveal_change = true;
                self.copy_status = None;
            }
            Msg::Tab(name) => {
                if name != self.tab {
                    self.changed.clear();
                    self.finding_line = None;
                }
                self.tab = name;
                self.copy_status = None;
            }
            Msg::Copy(name) => {
                if !self.answers_ready {
                    return false;
                }
                if let Some(f) = self.bundle.as_ref().and_then(|b| b.get(&name)) {
                    let link = ctx.link().clone();
                    let text = f.contents.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let ok = browser::copy(&text).await;
                        link.send_message(Msg::Copied(name, ok));
                    });
                }
                return false;
            }
            Msg::Copied(name, ok) => {
                self.copy_status = Some(if ok {
                    format!("Copied {name} to the clipboard.")
                } else {
                    format!(
                        "The browser refused the clipboard: select the text of {name} and copy it."
                    )
                });
            }
            Msg::Download(name) => {
                if self.answers_ready {
                    self.download(&name);
                }
                return false;
            }
            Msg::DownloadZip => {
                if let Some(b) = self.bundle.as_ref().filter(|_| self.answers_ready) {
                    let bytes = crate::bundle_zip(b, browser::dos_now());
                    browser::download("osmo-deployment.zip", &bytes, "application/zip");
                    self.dirty = false;
                    self.leave_warning();
                }
                return false;
            }
            Msg::ExportSpec => {
                if let Ok(spec) = DeploymentSpec::from_json(self.spec.clone()) {
                    browser::download("spec.yaml", spec_yaml(&spec).as_bytes(), "application/yaml");
                    self.dirty = false;
                    self.leave_warning();
                }
                return false;
            }
            Msg::ImportFile(file) => {
                let link = ctx.link().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match browser::file_text(&file).await {
                        Some(text) => link.send_message(Msg::Import(text)),
                        None => link.send_message(Msg::Import(String::from("\u{0}"))),
                    }
                });
                return false;
            }
            Msg::Import(text) => {
                match DeploymentSpec::parse(&text) {
                    Ok((spec, _)) => {
                        self.spec = spec.to_json();
                        self.annotations = annotation_rows(&self.spec);
                        self.touched.clear();
                        self.attempted = [true; ALL_STEPS.len()];
                        self.import_status = Some(Ok(format!(
                            "Imported the spec for {}.",
                            if spec.domain.is_empty() {
                                "(no domain)"
                            } else {
                                &spec.domain
                            }
                        )));
                        self.regenerate();
                        // The answers come from a file: nothing typed is lost by leaving.
                        self.dirty = false;
                        self.leave_warning();
                    }
                    Err(e) => self.import_status = Some(Err(e.to_string())),
                }
                self.focus = Some("import-status".into());
            }
            Msg::ImportValuesFiles(files) => {
                let link = ctx.link().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let mut read = Vec::with_capacity(files.len());
                    for file in &files {
                        let text = browser::file_text(file).await.unwrap_or_default();
                        read.push((file.name(), text));
                    }
                    link.send_message(Msg::ImportValues(read));
                });
                return false;
            }
            Msg::ImportValues(files) => {
                self.values_import = None;
                match crate::import_values::import(&files) {
                    Ok((spec, report)) => {
                        self.spec = spec.to_json();
                        self.annotations = annotation_rows(&self.spec);
                        self.touched.clear();
                        self.attempted = [true; ALL_STEPS.len()];
                        self.import_status = Some(Ok(format!(
                            "Imported {} values file{} into the form.",
                            files.len(),
                            if files.len() == 1 { "" } else { "s" }
                        )));
                        self.values_import = Some(report);
                        self.regenerate();
                        // The answers come from files: nothing typed is lost by leaving.
                        self.dirty = false;
                        self.leave_warning();
                        self.focus = Some("values-import".into());
                    }
                    Err(e) => {
                        self.import_status = Some(Err(e));
                        self.focus = Some("import-status".into());
                    }
                }
            }
            Msg::Remember(on) => {
                self.remember = on;
                let value = on.then(|| self.spec.to_string());
                self.storage_error = browser::store(STORAGE_KEY, value.as_deref()).err();
                self.leave_warning();
            }
            Msg::NewSecrets => {
                self.seed = browser::random_seed();
                self.regenerate();
            }
            Msg::RevealSensitive => self.reveal = !self.reveal,
            Msg::Started => {
                self.starting = false;
                self.regenerate();
            }
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            browser::mark_ready();
            // The first preview is generated once the form is painted.
            let link = ctx.link().clone();
            browser::after_paint(move || link.send_message(Msg::Started));
        }
        if let Some(id) = self.focus.take() {
            browser::focus(&id);
        }
        if std::mem::take(&mut self.reveal_change) {
            browser::reveal_in("file-content", ".chg");
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let onsubmit = link.callback(|e: SubmitEvent| {
            e.prevent_default();
            Msg::Next
        });
        let body = match self.step {
            StepId::Basics => self.view_basics(ctx),
            StepId::Auth => self.view_auth(ctx),
            StepId::Exposure => self.view_ingress(ctx),
            StepId::Storage => self.view_storage(ctx),
            StepId::Databases => self.view_databases(ctx),
            StepId::Backends => self.view_backends(ctx),
            StepId::Review => self.view_review(ctx),
        };
        html! {
            <div class="layout">
                <header class="top">
                    <h1>{ "OSMO deployment wizard" }</h1>
                    <p class="lede">{ "Answer a few questions; every file of the deployment is generated in this page, as you type. Nothing leaves your browser." }</p>
                    { self.view_import(ctx) }
                    { self.view_nav(ctx) }
                </header>
                <main class="step">
                    <form {onsubmit} novalidate=true aria-labelledby="step-title">
                        <h2 id="step-title" tabindex="-1">{ self.title(self.step) }</h2>
                        { self.view_step_problems(ctx) }
                        { body }
                        <div class="buttons">
                            if self.step != StepId::Basics {
                                <button type="button" id="back" onclick={link.callback(|_| Msg::Back)}>{ "Back" }</button>
                            }
                            if self.step != StepId::Review {
                                <button type="submit" id="next" class="primary">{ "Next" }</button>
                            }
                        </div>
                    </form>
                </main>
                { self.view_preview(ctx) }
                <footer>
                    <p id="regen-time">{ self.timing() }</p>
                </footer>
            </div>
        }
    }
}

impl App {
    fn view_nav(&self, ctx: &Context<Self>) -> Html {
        html! {
            <nav aria-label="Steps">
                <ol class="steps">
                    { for self.steps().into_iter().enumerate().map(|(i, s)| {
                        let current = s == self.step;
                        let bad = s != StepId::Review && !self.step_problems(s).is_empty() && (self.attempted[s as usize] || i < self.pos(self.step));
                        let class = classes!("stepbtn", current.then_some("current"), bad.then_some("bad"));
                        html! {
                            <li>
                                <button type="button" id={format!("nav-{i}")} {class}
                                    aria-current={current.then_some("step")}
                                    disabled={!self.reachable(s)}
                                    onclick={ctx.link().callback(move |_| Msg::Go(s))}>
                                    { self.title(s) }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            </nav>
        }
    }

    /// Problems of the step that no field shows (such as a missing backend list).
    fn view_step_problems(&self, ctx: &Context<Self>) -> Html {
        let fields = self.step_fields(self.step);
        let shown_elsewhere = |p: &Problem| fields.contains(&p.path);
        let visible = self.step == StepId::Review || self.attempted[self.step as usize];
        let list: Vec<&Problem> = self
            .step_problems(self.step)
            .into_iter()
            .filter(|p| !shown_elsewhere(p) && visible)
            .collect();
        if list.is_empty() {
            return html! {};
        }
        html! {
            <div id="step-problems" class="problems" role="alert" tabindex="-1">
                <p>{ "Fix these first:" }</p>
                <ul>
                    { for list.iter().map(|p| html! { <li>{ self.problem_place(ctx, p) }{ rich(&p.message) }</li> }) }
                </ul>
            </div>
        }
    }

    /// One field, as core's schema describes it.
    fn field(&self, ctx: &Context<Self>, path: Path, label: Option<&str>) -> Html {
        let Some(info) = self.schema.field(&self.spec, &path) else {
            return html! {};
        };
        let key = match path.last() {
            Some(Segment::Key(k)) => k.clone(),
            _ => String::new(),
        };
        let label = label
            .map(str::to_owned)
            .unwrap_or_else(|| form::label(&key));
        let id = form::field_id(&path);
        let hint_id = format!("{id}-hint");
        let err_id = format!("{id}-error");
        let problem = self.field_problem(&path);
        let described = match problem {
            Some(_) => format!("{err_id} {hint_id}"),
            None => hint_id.clone(),
        };
        let value = form::pointer(&self.spec, &path);
        let input = match &info.kind {
            Kind::Bool => {
                let p = path.clone();
                let onchange = ctx.link().callback(move |e: Event| {
                    Msg::Check(
                        p.clone(),
                        e.target_unchecked_into::<HtmlInputElement>().checked(),
                    )
                });
                html! {
                    <input type="checkbox" id={id.clone()} checked={value.and_then(Value::as_bool).unwrap_or(false)}
                        aria-describedby={described.clone()} {onchange} />
                }
            }
            Kind::Select(options) => {
                let p = path.clone();
                let onchange = ctx.link().callback(move |e: Event| {
                    Msg::Edit(
                        p.clone(),
                        e.target_unchecked_into::<HtmlSelectElement>().value(),
                    )
                });
                // Not answered yet: the default is the choice in force (and shown selected,
                // else the browser keeps the selection of the element it reuses).
                let current = match value {
                    Some(v) => form::display(Some(v)),
                    None => form::display(info.default.as_ref()),
                };
                html! {
                    <select id={id.clone()} aria-describedby={described.clone()} {onchange}>
                        { for options.iter().map(|(v, d)| html! {
                            <option value={v.clone()} selected={*v == current}>{ d.clone() }</option>
                        }) }
                    </select>
                }
            }
            Kind::Text | Kind::Integer => {
                let p = path.clone();
                let oninput = ctx.link().callback(move |e: InputEvent| {
                    Msg::Edit(
                        p.clone(),
                        e.target_unchecked_into::<HtmlInputElement>().value(),
                    )
                });
                let p = path.clone();
                let onblur = ctx
                    .link()
                    .callback(move |_: FocusEvent| Msg::Touch(p.clone()));
                let numeric = info.kind == Kind::Integer;
                html! {
                    <input type="text" id={id.clone()} value={form::display(value)}
                        inputmode={numeric.then_some("numeric")}
                        spellcheck="false" autocomplete="off" autocapitalize="off"
                        placeholder={placeholder(&info)}
                        aria-invalid={problem.is_some().then_some("true")}
                        aria-required={(!info.optional).then_some("true")}
                        aria-describedby={described.clone()} {oninput} {onblur} />
                }
            }
        };
        let class = classes!(
            "field",
            problem.is_some().then_some("invalid"),
            (info.kind == Kind::Bool).then_some("check")
        );
        html! {
            <div {class}>
                <label for={id.clone()}>
                    { label }
                    if info.optional && matches!(info.kind, Kind::Text | Kind::Integer) { <span class="opt">{ " (optional)" }</span> }
                </label>
                { input }
                if let Some(p) = problem {
                    <p class="error" id={err_id}>{ rich(&p.message) }</p>
                }
                <p class="hint" id={hint_id}>{ rich(&info.hint) }</p>
            </div>
        }
    }

    fn secret(&self, ctx: &Context<Self>, which: SecretField, label: &str, hint: &str) -> Html {
        let value = which
            .slot(&mut self.secrets.clone())
            .clone()
            .unwrap_or_default();
        let shown = self.shown.contains(&which);
        let id = which.id();
        let hint_id = format!("{id}-hint");
        let oninput = ctx.link().callback(move |e: InputEvent| {
            Msg::Secret(which, e.target_unchecked_into::<HtmlInputElement>().value())
        });
        html! {
            <div class="field secret">
                <label for={id}>{ label }<span class="opt">{ " (optional)" }</span></label>
                <div class="row">
                    <input id={id} type={if shown { "text" } else { "password" }} {value}
                        autocomplete="off" spellcheck="false" aria-describedby={hint_id.clone()} {oninput} />
                    <button type="button" id={format!("{id}-toggle")} class="toggle" aria-pressed={shown.to_string()}
                        aria-controls={id}
                        onclick={ctx.link().callback(move |_| Msg::ToggleSecret(which))}>
                        { if shown { "Hide" } else { "Show" } }
                    </button>
                </div>
                <p class="hint" id={hint_id}>{ hint }</p>
            </div>
        }
    }

    fn view_basics(&self, ctx: &Context<Self>) -> Html {
        html! {
            <>
                { self.field(ctx, Path::keys("release"), Some("OSMO release")) }
                if !GENERATES_6_2 {
                    <p class="hint" id="release-note">{ "This page generates OSMO 6.3.1 bundles. For OSMO 6.2.10, write the spec here, export it and run " }<code>{ "osmo-values generate --spec spec.yaml" }</code>{ "." }</p>
                }
                { self.field(ctx, Path::keys("domain"), None) }
                <fieldset>
                    <legend>{ "Images" }</legend>
                    { self.field(ctx, Path::keys("images.registry"), Some("Image registry")) }
                    { self.field(ctx, Path::keys("images.tag"), Some("Image tag")) }
                    { self.field(ctx, Path::keys("images.pullSecret"), Some("Image pull secret")) }
                </fieldset>
                <fieldset>
                    <legend>{ "Size and monitoring" }</legend>
                    { self.field(ctx, Path::keys("sizing.preset"), Some("Sizing preset")) }
                    <SizingOverrides spec={self.spec.clone()} problems={self.shown_problems_under(&sizing::overrides_path())}
                        on_edit={ctx.link().callback(|(p, t)| Msg::Sizing(p, t))}
                        on_blur={ctx.link().callback(Msg::Touch)} />
                    { self.field(ctx, Path::keys("monitoring.podMonitor"), Some("Create PodMonitors")) }
                </fieldset>
            </>
        }
    }

    fn view_auth(&self, ctx: &Context<Self>) -> Html {
        let auth = Path::keys("authentication");
        let current = form::display(form::pointer(&self.spec, &auth.clone().key("provider")));
        let variants = self.schema.variants(&auth);
        let onchange = ctx.link().callback(|e: Event| {
            Msg::Provider(e.target_unchecked_into::<HtmlSelectElement>().value())
        });
        let description = variants
            .iter()
            .find(|v| v.1 == current)
            .map(|v| v.2.clone())
            .unwrap_or_default();
        let keys = self.schema.keys(&self.spec, &auth);
        html! {
            <>
                <div class="field">
                    <label for="f-authentication-provider">{ "Identity provider" }</label>
                    <select id="f-authentication-provider" aria-describedby="f-authentication-provider-hint" {onchange}>
                        { for variants.iter().map(|(_, v, d)| html! {
                            <option value={v.clone()} selected={*v == current}>{ form::option_text(v, d) }</option>
                        }) }
                    </select>
                    <p class="hint" id="f-authentication-provider-hint">{ rich(&description) }</p>
                </div>
                { for keys.into_iter().map(|k| self.field(ctx, auth.clone().key(k), None)) }
                if current != "none" {
                    { self.secret(ctx, SecretField::IdpClientSecret, "Client secret",
                        "The client secret of the OSMO application at the identity provider. Written to secrets.yaml only, never to spec.yaml; leave empty to fill it in later.") }
                }
            </>
        }
    }

    /// Ingress and TLS (6.2.10), or the gateway's exposure (6.3.1): only the fields of the
    /// exposure chosen.
    fn view_ingress(&self, ctx: &Context<Self>) -> Html {
        let alb = Path::keys("ingress.alb");
        let gateway = self.release().has_gateway();
        let lb = self.load_balancer();
        html! {
            <>
                if gateway {
                    { self.field(ctx, Path::keys("gateway.exposure"), Some("How clients reach the gateway")) }
                }
                if lb {
                    { self.field(ctx, Path::keys("gateway.tlsSecret"), Some("TLS secret of the gateway")) }
                } else {
                    { self.field(ctx, Path::keys("ingress.className"), Some("Ingress class")) }
                    { self.field(ctx, Path::keys("ingress.tlsSecret"), Some("TLS secret")) }
                    if form::pointer(&self.spec, &alb).is_some() {
                        <fieldset>
                            <legend>{ "AWS Application Load Balancer" }</legend>
                            { for self.schema.keys(&self.spec, &alb).into_iter().map(|k| self.field(ctx, alb.clone().key(k), None)) }
                        </fieldset>
                    }
                }
                { self.view_annotations(ctx) }
                if gateway {
                    { self.field(ctx, Path::keys("gateway.upstreamTls"), Some("TLS from the gateway to OSMO's services")) }
                }
            </>
        }
    }

    /// Where workflow logs and data go (6.3.1): the credentials' fields of the kind chosen.
    fn view_storage(&self, ctx: &Context<Self>) -> Html {
        let st = Path::keys("storage");
        let cred = st.clone().key("credentials");
        let on = self.spec["configMapMode"].as_bool().unwrap_or(true);
        let has = form::pointer(&self.spec, &st).is_some();
        let kind = form::display(form::pointer(&self.spec, &cred.clone().key("kind")));
        html! {
            <>
                { self.field(ctx, Path::keys("configMapMode"), Some("Configuration in the values (ConfigMap mode)")) }
                if has {
                    <fieldset>
                        <legend>{ "Buckets" }</legend>
                        { self.field(ctx, st.clone().key("logUri"), Some("Workflow logs URI")) }
                        { self.field(ctx, st.clone().key("dataUri"), Some("Workflow data URI")) }
                        { self.field(ctx, st.clone().key("region"), None) }
                        { self.field(ctx, st.clone().key("overrideUrl"), Some("S3-compatible service URL")) }
                    </fieldset>
                    <fieldset>
                        <legend>{ "Credentials" }</legend>
                        { self.field(ctx, cred.clone().key("kind"), Some("How OSMO's pods reach the buckets")) }
                        { for self.schema.keys(&self.spec, &cred).into_iter().map(|k| self.field(ctx, cred.clone().key(k), None)) }
                        if kind == "static" {
                            { self.secret(ctx, SecretField::StorageKeyId, "Access key ID",
                                "Written to secrets.yaml only, never to spec.yaml; leave empty to fill it in later.") }
                            { self.secret(ctx, SecretField::StorageKey, "Secret access key",
                                "Written to secrets.yaml only, never to spec.yaml; leave empty to fill it in later.") }
                        }
                    </fieldset>
                } else if !on {
                    <p class="hint">{ "OSMO keeps its configuration in its database: set the workflow storage with the osmo CLI after installing (NEXT_STEPS.md says how)." }</p>
                }
            </>
        }
    }

    /// The extra ingress annotations: a name and a value per row, core's message beside a
    /// row whose name it refuses.
    fn view_annotations(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let ann = self.annotations_path();
        let prefix = form::field_id(&ann) + "-";
        let prefix2 = prefix.clone();
        let hint = self
            .schema
            .field(&self.spec, &ann)
            .map(|f| f.hint)
            .unwrap_or_default();
        // One listener each for every row: the target's id names the row.
        let oninput = link.batch_callback(move |e: InputEvent| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let id = input.id();
            let row = id.strip_prefix(prefix.as_str())?;
            let (i, value) = match row.strip_suffix("-value") {
                Some(i) => (i, true),
                None => (row, false),
            };
            Some(Msg::Annotation(i.parse().ok()?, value, input.value()))
        });
        let onclick = link.batch_callback(move |e: MouseEvent| {
            let id = e.target_unchecked_into::<web_sys::Element>().id();
            if id == "add-annotation" {
                return Some(Msg::AddAnnotation);
            }
            let i = id.strip_prefix(prefix2.as_str())?.strip_suffix("-remove")?;
            Some(Msg::RemoveAnnotation(i.parse().ok()?))
        });
        html! {
            <fieldset {oninput} {onclick}>
                <legend>{ "Extra annotations" }</legend>
                <p class="hint">{ rich(&hint) }</p>
                { for self.annotations.iter().enumerate().map(|(i, (k, v))| {
                    let id = form::field_id(&ann.clone().index(i));
                    let show = !k.is_empty() || self.attempted[StepId::Exposure as usize];
                    let path = ann.clone().key(k.clone());
                    let problem = self.problems.iter().find(|p| show && p.path == path);
                    html! {
                        <div class={if problem.is_some() { "field invalid" } else { "field" }}>
                            <div class="row">
                                { self.annotation_input(i, false, k, &id, problem.is_some()) }
                                { self.annotation_input(i, true, v, &id, false) }
                                <button type="button" id={id.clone() + "-remove"}
                                    aria-label={format!("Remove annotation {}", i + 1)}>{ "Remove" }</button>
                            </div>
                            if let Some(p) = problem {
                                <p class="error" id={id + "-error"}>{ rich(&p.message) }</p>
                            }
                        </div>
                    }
                }) }
                <button type="button" id="add-annotation">{ "Add an annotation" }</button>
            </fieldset>
        }
    }

    /// One input of an annotation row: its name (`value` false) or its value.
    fn annotation_input(
        &self,
        i: usize,
        value: bool,
        text: &str,
        row_id: &str,
        invalid: bool,
    ) -> Html {
        let (id, what) = match value {
            true => (row_id.to_owned() + "-value", "value"),
            false => (row_id.to_owned(), "name"),
        };
        html! {
            <input type="text" {id} value={text.to_owned()} placeholder={what}
                aria-label={format!("Annotation {} {what}", i + 1)}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={row_id.to_owned() + "-error"}
                spellcheck="false" autocomplete="off" />
        }
    }

    fn view_databases(&self, ctx: &Context<Self>) -> Html {
        let section = |name: &str, title: &str, secret: Html| {
            let p = Path::keys(name);
            // A server without a password (the spec's `password: false`) has none to type.
            let secret = match form::pointer(&self.spec, &p.clone().key("password")) {
                Some(Value::Bool(false)) => html! {},
                _ => secret,
            };
            html! {
                <fieldset>
                    <legend>{ title.to_owned() }</legend>
                    { for self.schema.keys(&self.spec, &p).into_iter().map(|k| {
                        let label = (k == "password").then_some("Asks for a password");
                        self.field(ctx, p.clone().key(k), label)
                    }) }
                    { secret }
                </fieldset>
            }
        };
        html! {
            <>
                { section("postgres", "PostgreSQL", self.secret(ctx, SecretField::DbPassword, "PostgreSQL password",
                    "Password of the PostgreSQL user. Written to secrets.yaml only; leave empty to fill it in later.")) }
                { section("redis", "Redis", self.secret(ctx, SecretField::RedisPassword, "Redis password",
                    "Written to secrets.yaml only; leave empty to fill it in later.")) }
            </>
        }
    }

    fn view_backends(&self, ctx: &Context<Self>) -> Html {
        let n = self.spec["backends"].as_array().map_or(0, Vec::len);
        html! {
            <>
                { for (0..n).map(|i| {
                    let b = Path::keys("backends").index(i);
                    let name = form::display(form::pointer(&self.spec, &b.clone().key("name")));
                    html! {
                        <fieldset class="backend">
                            <legend>{ format!("Backend {}{}", i + 1, if name.is_empty() { String::new() } else { format!(": {name}") }) }</legend>
                            { for self.schema.keys(&self.spec, &b).into_iter().map(|k| match k.as_str() {
                                "operatorTaint" => self.view_taint(ctx, i),
                                "computePools" => self.view_pools(ctx, i),
                                "kind" => self.field(ctx, b.clone().key(k), Some("Kind of cluster")),
                                "operatorNodes" => self.field(ctx, b.clone().key(k), Some("Operator nodes (label)")),
                                _ => self.field(ctx, b.clone().key(k), None),
                            }) }
                            <button type="button" id={format!("remove-backend-{i}")}
                                onclick={ctx.link().callback(move |_| Msg::RemoveBackend(i))}>
                                { format!("Remove backend {}", i + 1) }
                            </button>
                        </fieldset>
                    }
                }) }
                <button type="button" id="add-backend" onclick={ctx.link().callback(|_| Msg::AddBackend)}>{ "Add a backend" }</button>
            </>
        }
    }

    /// The optional taint on a backend's operator nodes: a check box, then its key, value
    /// and effect.
    fn view_taint(&self, ctx: &Context<Self>, i: usize) -> Html {
        let t = Path::keys("backends").index(i).key("operatorTaint");
        let on = form::pointer(&self.spec, &t).is_some_and(Value::is_object);
        let id = form::field_id(&t);
        let hint = self
            .schema
            .field(&self.spec, &t)
            .map(|f| f.hint)
            .unwrap_or_default();
        let onchange = ctx.link().callback(move |e: Event| {
            Msg::Taint(i, e.target_unchecked_into::<HtmlInputElement>().checked())
        });
        html! {
            <>
                <div class="field check">
                    <input type="checkbox" id={id.clone()} checked={on} aria-describedby={format!("{id}-hint")} {onchange} />
                    <label for={id.clone()}>{ "Taint the operator nodes" }</label>
                    <p class="hint" id={format!("{id}-hint")}>{ rich(&hint) }</p>
                </div>
                if on {
                    <fieldset>
                        <legend>{ "Operator node taint" }</legend>
                        { for ["key", "value", "effect"].into_iter().map(|k| self.field(ctx, t.clone().key(k), None)) }
                    </fieldset>
                }
            </>
        }
    }

    /// A backend's compute pool labels, comma-separated in one input.
    fn view_pools(&self, ctx: &Context<Self>, i: usize) -> Html {
        let p = Path::keys("backends").index(i).key("computePools");
        let id = form::field_id(&p);
        let hint = self
            .schema
            .field(&self.spec, &p)
            .map(|f| f.hint)
            .unwrap_or_default();
        let text = self.pools.get(&i).cloned().unwrap_or_else(|| {
            form::pointer(&self.spec, &p)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|v| form::display(Some(v)))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        });
        let problem = self.field_problem(&p);
        let oninput = ctx.link().callback(move |e: InputEvent| {
            Msg::Pools(i, e.target_unchecked_into::<HtmlInputElement>().value())
        });
        let pt = p.clone();
        let onblur = ctx
            .link()
            .callback(move |_: FocusEvent| Msg::Touch(pt.clone()));
        html! {
            <div class={classes!("field", problem.is_some().then_some("invalid"))}>
                <label for={id.clone()}>{ "Compute pool labels" }<span class="opt">{ " (optional, comma-separated)" }</span></label>
                <input type="text" id={id.clone()} value={text} spellcheck="false" autocomplete="off" autocapitalize="off"
                    placeholder="node-type=gpu, node-type=compute"
                    aria-invalid={problem.is_some().then_some("true")}
                    aria-describedby={if problem.is_some() { format!("{id}-error {id}-hint") } else { format!("{id}-hint") }}
                    {oninput} {onblur} />
                if let Some(pr) = problem {
                    <p class="error" id={format!("{id}-error")}>{ rich(&pr.message) }</p>
                }
                <p class="hint" id={format!("{id}-hint")}>{ rich(&hint) }</p>
            </div>
        }
    }

    /// Where a problem is: the field's name, a button that opens its step and focuses it.
    fn problem_place(&self, ctx: &Context<Self>, p: &Problem) -> Html {
        if p.path.is_root() {
            return html! {};
        }
        let at = Self::shown_at(&p.path);
        let to = at.clone();
        html! {
            <><button type="button" class="loc fieldlink" onclick={ctx.link().callback(move |_| Msg::GoField(to.clone()))}>{ form::label_of(&at) }</button>{ ": " }</>
        }
    }

    /// The time the last regeneration took (not announced: it changes with every keystroke).
    fn timing(&self) -> String {
        if self.starting {
            return "Generating the files…".to_owned();
        }
        if self.bundle.is_none() {
            return "Nothing generated: the answers cannot be generated yet.".to_owned();
        }
        let tenths = (self.regen_ms * 10.0).round() as u64;
        if tenths == 0 {
            return "Generated in under 0.1 ms.".to_owned();
        }
        format!("Generated in {}.{} ms.", tenths / 10, tenths % 10)
    }

    /// Import a spec.yaml, and keep the answers in this browser: on every step, from the
    /// first screen on.
    fn view_import(&self, ctx: &Context<Self>) -> Html {
        let onremember = ctx.link().callback(|e: Event| {
            Msg::Remember(e.target_unchecked_into::<HtmlInputElement>().checked())
        });
        let onimport = ctx.link().batch_callback(|e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let file = input.files().and_then(|f| f.get(0));
            input.set_value("");
            file.map(Msg::ImportFile)
        });
        let onvalues = ctx.link().batch_callback(|e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let files: Vec<web_sys::File> = input
                .files()
                .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
                .unwrap_or_default();
            input.set_value("");
            (!files.is_empty()).then_some(Msg::ImportValuesFiles(files))
        });
        html! {
            <div class="importbar">
                <input type="file" id="import-spec" accept=".yaml,.yml,.json,application/yaml,text/yaml,application/json" onchange={onimport} />
                <label for="import-spec" class="filebtn">{ "Import spec.yaml" }</label>
                <input type="file" id="import-values" multiple=true accept=".yaml,.yml,application/yaml,text/yaml" onchange={onvalues} />
                <label for="import-values" class="filebtn">{ "Import values files" }</label>
                <p id="import-status" tabindex="-1" role="status"
                    class={classes!(matches!(self.import_status, Some(Err(_))).then_some("error"))}>
                    { match &self.import_status {
                        Some(Ok(m)) => m.clone(),
                        Some(Err(e)) => format!("Could not import: {e}"),
                        None => String::new(),
                    } }
                </p>
                <div class="field check">
                    <input type="checkbox" id="remember" checked={self.remember} onchange={onremember} />
                    <label for="remember">{ "Remember my answers in this browser as I type (never the secrets)" }</label>
                    if let Some(e) = &self.storage_error { <p class="error">{ e.clone() }</p> }
                </div>
                if let Some(r) = &self.values_import { { crate::import_values::view(r) } }
            </div>
        }
    }

    /// What still blocks the bundle: problems, error findings, secrets left to fill in.
    fn blockers(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.bundle.is_none() {
            out.push(format!(
                "Nothing can be generated yet: {} answer(s) to fix (listed above).",
                self.problems.len().max(1)
            ));
            return out;
        }
        if !self.problems.is_empty() {
            out.push(format!(
                "{} answer(s) to fix (listed above).",
                self.problems.len()
            ));
        }
        if !self.placeholders.is_empty() {
            let names: Vec<String> = self
                .placeholders
                .iter()
                .map(|p| form::label_of(&p.path))
                .collect();
            out.push(format!(
                "Not answered yet: {} (the preview shows placeholders for them).",
                names.join(", ")
            ));
        }
        let errors = self
            .findings
            .count(osmo_values::diagnostic::Severity::Error);
        if errors > 0 {
            out.push(format!("{errors} lint error(s) in the generated files."));
        }
        if self.findings.error.is_some() {
            out.push("The linter could not run.".to_owned());
        }
        if !self.unfilled.is_empty() {
            out.push(format!(
                "secrets.yaml holds a {FILL_ME} marker for {}: type it in the form, or fill it in before running install.sh (which refuses to run while a marker remains).",
                self.unfilled.join(", ")
            ));
        }
        out
    }

    fn view_review(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let usable = self.bundle.is_some() && self.answers_ready;
        let blockers = self.blockers();
        let ready = blockers.is_empty();
        let next_steps = self
            .bundle
            .as_ref()
            .and_then(|b| b.get("NEXT_STEPS.md"))
            .map(|f| markdown::parse(&f.contents))
            .unwrap_or_default();
        let placeholders = &self.placeholders;
        let marked = |t: &str| preview::text(t, placeholders, &[]);
        html! {
            <>
                <section aria-labelledby="dl-title">
                    <h3 id="dl-title">{ "Download" }</h3>
                    if ready {
                        <p id="status" class="ready">{ "Ready: no problem, no lint error, no secret left to fill in." }</p>
                        <p>{ "The MEK and the generated passwords come from this browser's cryptographic random generator and exist only in this page and in what you download." }</p>
                    } else {
                        <div id="status" class="blocked">
                            <p>{ if usable { "Not ready to install yet:" } else { "Not ready to download: answer and fix these first." } }</p>
                            <ul>{ for blockers.iter().map(|b| html! { <li>{ b.clone() }</li> }) }</ul>
                        </div>
                    }
                    <div class="buttons">
                        <button type="button" id="download-zip" class={classes!(ready.then_some("primary"))} disabled={!usable}
                            onclick={link.callback(|_| Msg::DownloadZip)}>{ "Download everything (.zip)" }</button>
                        <button type="button" id="new-secrets" onclick={link.callback(|_| Msg::NewSecrets)}>{ "Draw new secrets and MEK" }</button>
                    </div>
                </section>
                { self.view_lint(ctx) }
                <section aria-labelledby="spec-title">
                    <h3 id="spec-title">{ "Spec" }</h3>
                    <p>{ "spec.yaml holds your answers without any secret: keep it in version control and regenerate later, here or with the osmo-values command." }</p>
                    <div class="buttons">
                        <button type="button" id="export-spec" disabled={DeploymentSpec::from_json(self.spec.clone()).is_err()}
                            onclick={link.callback(|_| Msg::ExportSpec)}>{ "Export spec.yaml" }</button>
                    </div>
                </section>
                <section aria-labelledby="next-title">
                    <h3 id="next-title">{ "Next steps" }</h3>
                    <div id="next-steps" class="markdown">{ markdown::render(&next_steps, 3, &marked) }</div>
                </section>
            </>
        }
    }

    fn view_preview(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let Some(bundle) = &self.bundle else {
            if self.starting {
                return html! {
                    <aside class="preview" aria-label="Generated files">
                        <h2>{ "Generated files" }</h2>
                        <p id="preview-starting">{ "Generating the files…" }</p>
                    </aside>
                };
            }
            return html! {
                <aside class="preview" aria-label="Generated files">
                    <h2>{ "Generated files" }</h2>
                    <p id="preview-empty" class="stale">{ match &self.refused {
                        // Core refused to generate (a release this page does not generate).
                        Some(why) => html! { <>{ "No preview: " }{ rich(why) }{ "." }</> },
                        None => html! { { format!("No preview: these answers cannot be generated yet ({} problem(s) to fix, listed with the fields).", self.problems.len().max(1)) } },
                    } }</p>
                </aside>
            };
        };
        let file = bundle.get(&self.tab).or(bundle.files.first());
        let tab = file.map(|f| f.name.clone()).unwrap_or_default();
        let ready = self.answers_ready;
        let not_ready = (!ready).then(|| {
            let n = self.problems.len();
            if self.placeholders.is_empty() {
                format!("Not ready to copy or download: {n} answer(s) to fix.")
            } else {
                format!(
                    "Not ready to copy or download: {} answer(s) not given yet{}.",
                    self.placeholders.len(),
                    if n > 0 {
                        format!(", {n} to fix")
                    } else {
                        String::new()
                    }
                )
            }
        });
        let go = link.callback(Msg::GoField);
        html! {
            <aside class="preview" aria-label="Generated files">
                <h2>{ "Generated files" }</h2>
                { preview::unanswered(&self.placeholders, &go) }
                <div role="tablist" aria-label="Files" class="tabs">
                    { for bundle.files.iter().map(|f| {
                        let selected = f.name == tab;
                        let name = f.name.clone();
                        html! {
                            <button type="button" role="tab" id={format!("tab-{}", f.name)}
                                aria-selected={selected.to_string()} aria-controls="file-panel"
                                tabindex={if selected { "0" } else { "-1" }}
                                class={classes!("tab", selected.then_some("selected"))}
                                onclick={link.callback(move |_| Msg::Tab(name.clone()))}
                                onkeydown={self.tab_keys(ctx, bundle, &f.name)}>
                                { &f.name }
                                { self.view_badge(&f.name) }
                            </button>
                        }
                    }) }
                </div>
                if let Some(f) = file {
                    <div id="file-panel" role="tabpanel" aria-labelledby={format!("tab-{}", f.name)}>
                        <div class="buttons">
                            <button type="button" id="copy-file" disabled={!ready} aria-describedby={(!ready).then_some("not-ready")}
                                onclick={{ let n = f.name.clone(); link.callback(move |_| Msg::Copy(n.clone())) }}>{ "Copy" }</button>
                            <button type="button" id="download-file" disabled={!ready} aria-describedby={(!ready).then_some("not-ready")}
                                onclick={{ let n = f.name.clone(); link.callback(move |_| Msg::Download(n.clone())) }}>{ format!("Download {}", f.name) }</button>
                            if f.sensitive {
                                <button type="button" id="reveal" aria-pressed={self.reveal.to_string()} onclick={link.callback(|_| Msg::RevealSensitive)}>
                                    { if self.reveal { "Hide secrets" } else { "Show secrets" } }
                                </button>
                            }
                        </div>
                        if let Some(text) = not_ready { <p id="not-ready" class="blocked">{ text }</p> }
                        if let Some(s) = &self.copy_status { <p role="status" class="status">{ s.clone() }</p> }
                        { self.view_file_findings(&f.name) }
                        if f.sensitive && !self.reveal {
                            <p class="masked" id="file-masked">{ format!("{} holds secrets; it is hidden until you choose Show secrets.", f.name) }</p>
                        } else {
                            if !self.changed.is_empty() && f.name == self.tab {
                                <p id="changed-lines" class="hint">{ format!("Changed by the last answer (highlighted): line {}.", preview::line_list(&self.changed)) }</p>
                            } else if let (Some(line), true) = (self.finding_line, f.name == self.tab) {
                                <p id="changed-lines" class="hint">{ format!("Where the lint finding is (highlighted): line {}.", line + 1) }</p>
                            }
                            <pre id="file-content" class="code" tabindex="0"
                                aria-describedby={(!self.marked_lines(&f.name).is_empty()).then_some("changed-lines")}>
                                { preview::text(&f.contents, &self.placeholders, &self.marked_lines(&f.name)) }
                            </pre>
                        }
                    </div>
                }
            </aside>
        }
    }

    /// The count of a values file's findings on its tab, with the worst severity's mark.
    fn view_badge(&self, name: &str) -> Html {
        let Some((worst, n)) = self.findings.badge(name) else {
            return html! {};
        };
        let words = if n == 1 { "finding" } else { "findings" };
        html! {
            <span class={classes!("badge", format!("sev-{worst}"))} id={format!("badge-{name}")} data-count={n.to_string()}>
                <span aria-hidden="true">{ format!("{} {n}", checks::mark(worst)) }</span>
                <span class="vh">{ format!(", {n} lint {words}, worst: {worst}") }</span>
            </span>
        }
    }

    /// The lines of file `name` the preview highlights: those the last answer changed, else
    /// the line a lint finding pointed at.
    fn marked_lines(&self, name: &str) -> Vec<usize> {
        if name != self.tab {
            Vec::new()
        } else if !self.changed.is_empty() {
            self.changed.clone()
        } else {
            self.finding_line.into_iter().collect()
        }
    }

    /// The linter's findings in the file shown in the preview.
    fn view_file_findings(&self, name: &str) -> Html {
        if !self.findings.linted(name) {
            return html! {};
        }
        let list: Vec<_> = self.findings.in_file(name).collect();
        if list.is_empty() {
            return html! {
                <p id="file-lint" class="lint-clean"><span aria-hidden="true">{ "✔ " }</span>{ format!("No lint findings in {name}.") }</p>
            };
        }
        html! {
            <section id="file-lint" aria-label={format!("Lint findings in {name}")}>
                <ul class="findings">
                    { for list.into_iter().map(|d| self.view_finding(None, d)) }
                </ul>
            </section>
        }
    }

    /// The linter's verdict on the whole bundle, for the Review step.
    fn view_lint(&self, ctx: &Context<Self>) -> Html {
        if self.bundle.is_none() {
            return html! {};
        }
        let f = &self.findings;
        let clean = f.list.is_empty() && f.error.is_none();
        html! {
            <section aria-labelledby="lint-title">
                <h3 id="lint-title">{ "Lint" }</h3>
                <p id="lint-summary" class={classes!(if clean { "lint-clean" } else { "lint-found" })}>
                    <span aria-hidden="true">{ match f.list.iter().map(|d| d.severity).max() {
                        Some(worst) => format!("{} ", checks::mark(worst)),
                        None => "✔ ".to_owned(),
                    } }</span>
                    { f.summary() }
                </p>
                if !f.list.is_empty() {
                    <ul id="lint-findings" class="findings">
                        { for f.list.iter().map(|d| self.view_finding(Some(ctx), d)) }
                    </ul>
                }
                <p class="hint">{ "The same rules as osmo-values lint. The checks of value types and ranges against the charts' JSON Schemas run only in the command line." }</p>
            </section>
        }
    }

    /// One finding: severity (mark and word), rule code, position, message, help and
    /// related places. With a context, the position is a button that shows the file.
    fn view_finding(&self, ctx: Option<&Context<Self>>, d: &Diagnostic) -> Html {
        let file = self.findings.file_name(d.file).to_owned();
        let at = checks::line_column(d);
        let line = d.span.map(|s| s.start.line.saturating_sub(1));
        let place = match ctx {
            Some(ctx) => {
                let name = file.clone();
                html! {
                    <button type="button" class="loc" onclick={ctx.link().callback(move |_| match line {
                        Some(line) => Msg::ShowLine(name.clone(), line),
                        None => Msg::Tab(name.clone()),
                    })}>
                        { format!("{file}:{at}") }
                    </button>
                }
            }
            None => html! { <span class="loc">{ at }</span> },
        };
        // The answer the finding comes from, when its line carries one: a way to the field.
        let answer = ctx.zip(line).and_then(|(ctx, line)| {
            let text = self.bundle.as_ref()?.get(&file)?.contents.lines().nth(line)?;
            let path = Self::shown_at(&checks::answer_on_line(&self.spec, text)?);
            let to = path.clone();
            Some(html! {
                <p class="answer">{ "From the answer: " }
                    <button type="button" class="loc fieldlink" onclick={ctx.link().callback(move |_| Msg::GoField(to.clone()))}>{ form::label_of(&path) }</button>
                </p>
            })
        });
        html! {
            <li class={classes!("finding", format!("sev-{}", d.severity))} data-code={d.code}>
                <p class="head">
                    <span class="sev"><span aria-hidden="true">{ checks::mark(d.severity) }</span>{ format!(" {}", d.severity) }</span>
                    <code class="rule">{ d.code }</code>
                    { place }
                </p>
                <p class="msg">{ rich(&d.message) }</p>
                if let Some(help) = &d.help {
                    <p class="help"><span class="label">{ "help: " }</span>{ rich(help) }</p>
                }
                { for answer }
                { for d.related.iter().map(|r| html! {
                    <p class="related">{ format!("{}:{}:{}: ", self.findings.file_name(r.file), r.span.start.line, r.span.start.column) }{ rich(&r.message) }</p>
                }) }
            </li>
        }
    }

    /// Arrow keys, Home and End move between tabs (the tab list pattern).
    fn tab_keys(
        &self,
        ctx: &Context<Self>,
        bundle: &Bundle,
        name: &str,
    ) -> Callback<KeyboardEvent> {
        let names: Vec<String> = bundle.files.iter().map(|f| f.name.clone()).collect();
        let at = names.iter().position(|n| n == name).unwrap_or(0);
        ctx.link().batch_callback(move |e: KeyboardEvent| {
            let to = match e.key().as_str() {
                "ArrowRight" => (at + 1) % names.len(),
                "ArrowLeft" => (at + names.len() - 1) % names.len(),
                "Home" => 0,
                "End" => names.len() - 1,
                _ => return None,
            };
            e.prevent_default();
            browser::focus(&format!("tab-{}", names[to]));
            Some(Msg::Tab(names[to].clone()))
        })
    }
}

/// Core's descriptions mark code with backticks: show those parts as code.
pub(crate) fn rich(text: &str) -> Html {
    html! {
        <>
            { for text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
                html! { <code>{ part.to_owned() }</code> }
            } else {
                html! { { part.to_owned() } }
            }) }
        </>
    }
}

fn placeholder(info: &FieldInfo) -> Option<String> {
    info.default.as_ref().map(|d| form::display(Some(d)))
}
