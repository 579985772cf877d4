//! The sizing-overrides table of the first step: one row per component of
//! `sizing.overrides`, one column per field of an override (replicas, the
//! autoscaler's maximum, CPU and memory requests and limits), so that every
//! override a spec can say, imported ones too, is visible and editable.
//!
//! Core says everything here: the components and their order
//! ([`Overrides::entries`]), the fields ([`sizing::FIELDS`]), which fields the
//! charts read for which component ([`sizing::settable`]), the preset's
//! figures an empty cell keeps ([`sizing::resolve`], shown as the cell's
//! placeholder), the components' names (the schema's descriptions) and every
//! problem (core's messages, under the component's row). A field the charts do
//! not read for a component gets no input, unless the spec sets it: then it is
//! shown, with core's message, so that it can be removed.

use osmo_values::path::{Path, Segment};
use osmo_values::sizing::{self, ComponentSize};
use osmo_values::spec::{Overrides, Preset, Sizing};
use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::rich;
use crate::form::{self, SpecSchema};

/// Where the overrides are in the spec.
pub fn overrides_path() -> Path {
    Path::keys("sizing.overrides")
}

/// The component keys of `sizing.overrides`, in core's order.
fn components() -> impl Iterator<Item = &'static str> {
    let keys: Vec<&'static str> = Overrides::default()
        .entries()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    keys.into_iter()
}

/// The path of one cell.
fn cell(component: &str, field: &str) -> Path {
    overrides_path().key(component).key(field)
}

/// The cells a spec answers, in the table's order (for focusing the first problem).
pub fn fields(spec: &Value) -> Vec<Path> {
    let mut out = Vec::new();
    for c in components() {
        for f in sizing::FIELDS {
            let p = cell(c, f);
            if form::pointer(spec, &p).is_some() {
                out.push(p);
            }
        }
    }
    out
}

/// How many components the spec overrides.
pub fn count(spec: &Value) -> usize {
    form::pointer(spec, &overrides_path())
        .and_then(Value::as_object)
        .map_or(0, |m| m.len())
}

/// Sets one cell from the text typed, as core's schema reads it (a whole number stays text
/// when it does not parse, for core to refuse in words; the text is kept as typed, spaces
/// too, since the cell shows what the spec holds). An emptied cell is removed, then an
/// emptied component and an emptied `overrides`, so the spec says only what is overridden.
pub fn edit(schema: &SpecSchema, spec: &mut Value, path: &Path, text: &str) {
    let value = match schema.field(spec, path) {
        Some(info) => form::parse_input(text, &info),
        None => return,
    };
    form::set(spec, path, value);
    let mut at = path.clone();
    while at.0.len() > 2 {
        at.0.pop();
        let empty = form::pointer(spec, &at)
            .and_then(Value::as_object)
            .is_some_and(|m| m.is_empty());
        if !empty {
            break;
        }
        form::set(spec, &at, None);
    }
}

/// A component's name for people: its description up to the chart it belongs to, such as
/// `API service` from "API service (chart `service`)."
fn component_name(schema: &SpecSchema, spec: &Value, component: &str) -> String {
    let hint = schema
        .field(spec, &overrides_path().key(component))
        .map(|f| f.hint)
        .unwrap_or_default();
    let name = hint.split(" (").next().unwrap_or_default().trim();
    if name.is_empty() {
        form::label(component)
    } else {
        name.to_owned()
    }
}

/// The preset's figure of one field, for a cell left empty.
fn preset_figure(size: &ComponentSize, field: &str) -> String {
    let none = || "none".to_owned();
    match field {
        "replicas" => size.replicas.to_string(),
        "maxReplicas" => size.max_replicas.map_or_else(none, |m| m.to_string()),
        "cpu" => size.cpu.clone(),
        "memory" => size.memory.clone(),
        "cpuLimit" => size.cpu_limit.clone().unwrap_or_else(none),
        _ => size.memory_limit.clone(),
    }
}

/// What the table shows.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The spec being edited.
    pub spec: Value,
    /// The problems to show (core's, under `sizing.overrides`): path and message.
    pub problems: Vec<(Path, String)>,
    /// A cell was edited: its path and text.
    pub on_edit: Callback<(Path, String)>,
    /// A cell lost focus.
    pub on_blur: Callback<Path>,
}

/// The table, in a disclosure that opens when the spec overrides something (typed or
/// imported) and is never closed by the page, only by the person.
pub struct SizingOverrides {
    schema: SpecSchema,
    /// Whether the page has opened the disclosure: once true, always true (the attribute
    /// then stays as it is, and the browser keeps what the person does with it).
    open: bool,
}

impl Component for SizingOverrides {
    type Message = ();
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        SizingOverrides {
            schema: SpecSchema::new(),
            open: count(&ctx.props().spec) > 0,
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &Props) -> bool {
        self.open |= count(&ctx.props().spec) > 0;
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let spec = &props.spec;
        let preset = form::pointer(spec, &Path::keys("sizing.preset"))
            .and_then(|v| serde_json::from_value::<Preset>(v.clone()).ok())
            .unwrap_or_default();
        let figures = sizing::resolve(&Sizing {
            preset,
            overrides: Overrides::default(),
        });
        let columns: Vec<(&str, String)> = sizing::FIELDS
            .iter()
            .map(|f| (*f, form::label(f)))
            .collect();
        let n = count(spec);
        let summary = match n {
            0 => "Per-component overrides".to_owned(),
            1 => "Per-component overrides (1 component)".to_owned(),
            n => format!("Per-component overrides ({n} components)"),
        };
        let rows = components().map(|c| {
            let name = component_name(&self.schema, spec, c);
            let size = figures.iter().find(|s| s.key == c);
            let problems: Vec<(String, String)> = props
                .problems
                .iter()
                .filter(|(p, _)| p.0.starts_with(&overrides_path().key(c).0))
                .map(|(p, m)| {
                    let what = match p.last() {
                        Some(Segment::Key(k)) if k != c => format!("{}: ", form::label(k)),
                        _ => String::new(),
                    };
                    (form::field_id(p), format!("{what}{m}"))
                })
                .collect();
            let cells = columns.iter().map(|(f, label)| {
                let path = cell(c, f);
                let value = form::pointer(spec, &path);
                if value.is_none() && !sizing::settable(c, f) {
                    return html! {
                        <td class="na"><span aria-hidden="true">{ "—" }</span><span class="vh">{ format!("{name}: {label}, fixed by the chart") }</span></td>
                    };
                }
                let id = form::field_id(&path);
                let err_id = format!("{id}-error");
                let invalid = problems.iter().any(|(pid, _)| *pid == id);
                let p = path.clone();
                let oninput = props.on_edit.reform(move |e: InputEvent| {
                    (p.clone(), e.target_unchecked_into::<HtmlInputElement>().value())
                });
                let p = path.clone();
                let onblur = props.on_blur.reform(move |_: FocusEvent| p.clone());
                let numeric = matches!(*f, "replicas" | "maxReplicas");
                html! {
                    <td data-label={label.clone()}>
                        <input type="text" {id} value={form::display(value)}
                            aria-label={format!("{name}: {label}")}
                            placeholder={size.map(|s| preset_figure(s, f))}
                            inputmode={numeric.then_some("numeric")}
                            spellcheck="false" autocomplete="off" autocapitalize="off"
                            aria-invalid={invalid.then_some("true")}
                            aria-describedby={invalid.then_some(err_id)}
                            {oninput} {onblur} />
                    </td>
                }
            });
            html! {
                <>
                    <tr class="component">
                        <th scope="row">{ name.clone() }</th>
                        { for cells }
                    </tr>
                    if !problems.is_empty() {
                        <tr class="errors">
                            <td colspan={(columns.len() + 1).to_string()}>
                                { for problems.iter().map(|(id, m)| html! {
                                    <p class="error" id={format!("{id}-error")}>{ rich(m) }</p>
                                }) }
                            </td>
                        </tr>
                    }
                </>
            }
        });
        html! {
            <details class="sizing" id="sizing-overrides"
                open={self.open}>
                <summary id="sizing-summary">{ summary }</summary>
                <p class="hint" id="sizing-hint">
                    { "Each component starts from the preset; a cell left empty keeps the preset's figure, shown in grey. CPU and memory are per replica, as Kubernetes quantities such as " }
                    <code>{ "500m" }</code>{ ", " }<code>{ "2" }</code>{ ", " }<code>{ "512Mi" }</code>{ " or " }<code>{ "1Gi" }</code>{ "." }
                </p>
                <div class="sizing-wrap">
                    <table class="sizing" aria-describedby="sizing-hint">
                        <thead>
                            <tr>
                                <th scope="col">{ "Component" }</th>
                                { for columns.iter().map(|(_, label)| html! { <th scope="col">{ label.clone() }</th> }) }
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            </details>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Path {
        Path::keys(s)
    }

    #[test]
    fn editing_a_cell_sets_it_and_emptying_it_leaves_nothing_behind() {
        let schema = SpecSchema::new();
        let mut spec = form::initial_spec();
        edit(
            &schema,
            &mut spec,
            &p("sizing.overrides.worker.replicas"),
            "4",
        );
        edit(
            &schema,
            &mut spec,
            &p("sizing.overrides.worker.memory"),
            "2Gi",
        );
        assert_eq!(
            spec["sizing"]["overrides"]["worker"],
            serde_json::json!({"replicas": 4, "memory": "2Gi"})
        );
        assert_eq!(count(&spec), 1);
        assert_eq!(
            fields(&spec),
            [
                p("sizing.overrides.worker.replicas"),
                p("sizing.overrides.worker.memory")
            ]
        );
        // A number that does not parse stays text, for core to refuse in words.
        edit(
            &schema,
            &mut spec,
            &p("sizing.overrides.worker.replicas"),
            "four",
        );
        let (_, problems) = form::check(&spec);
        assert_eq!(problems[0].path, p("sizing.overrides.worker.replicas"));
        assert_eq!(problems[0].message, "must be a whole number, such as 2");
        edit(
            &schema,
            &mut spec,
            &p("sizing.overrides.worker.replicas"),
            "",
        );
        edit(&schema, &mut spec, &p("sizing.overrides.worker.memory"), "");
        assert_eq!(spec["sizing"].get("overrides"), None, "{spec}");
        assert_eq!(spec["sizing"]["preset"], "small");
    }

    #[test]
    fn names_and_figures_come_from_core() {
        let schema = SpecSchema::new();
        let spec = form::initial_spec();
        let names: Vec<String> = components()
            .map(|c| component_name(&schema, &spec, c))
            .collect();
        assert_eq!(names[0], "API service");
        assert_eq!(names[4], "Delayed job monitor");
        assert!(
            names.iter().all(|n| !n.contains('`') && !n.is_empty()),
            "{names:?}"
        );
        let figures = sizing::resolve(&Sizing::default());
        let ui = figures.iter().find(|s| s.key == "ui").unwrap();
        assert_eq!(preset_figure(ui, "maxReplicas"), "none");
        assert_eq!(preset_figure(ui, "memory"), ui.memory);
        assert_eq!(form::label("cpuLimit"), "CPU limit");
    }
}
