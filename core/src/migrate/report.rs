//! The report: what became of every key ([`super::Report`]) and its
//! Markdown form, `MIGRATION.md`, whose open-decision lines `upgrade.sh`
//! refuses to run past.

use super::input::Deployment;
use super::place::{Loss, Outputs, Placed, Status};
use super::resolve::{Verdict, chart_words, shown};
use super::{Added, Fate, InputFile, KeyFate, OutputFile, Place, Report};
use crate::Release;
use crate::generate::escape::one_line;
use crate::path::{Path, Segment};
use crate::release::moves::DEFAULT_CHANGES;

/// The report's file name.
pub const REPORT_FILE: &str = "MIGRATION.md";

/// What starts every open decision's line in `MIGRATION.md` (after `- [ ] `):
/// `upgrade.sh` refuses to run while one is left.
pub const DECISION_MARKER: &str = "OPEN-DECISION";

/// Puts the report together.
pub fn assemble(
    dep: &Deployment,
    outs: &Outputs,
    placed: &Placed,
    leftover: Vec<Vec<String>>,
    added: Vec<Added>,
    decisions: Vec<String>,
    to: Release,
) -> Report {
    let mut keys = Vec::with_capacity(dep.leaves.len());
    let mut order: Vec<usize> = (0..dep.leaves.len()).collect();
    // The service chart's keys first, then the router's, the UI's and the
    // operators'; each file's in source order.
    order.sort_by_key(|&l| {
        let file = dep.leaves[l].file;
        (dep.sources[file].chart, file, l)
    });
    let mut leftover: Vec<Option<Vec<String>>> = leftover.into_iter().map(Some).collect();
    for l in order {
        let leaf = &dep.leaves[l];
        let comments = leftover[l].take().unwrap_or_default();
        let mut written = Vec::new();
        let mut conflicts = Vec::new();
        let mut losses = Vec::new();
        for p in placed.placements.iter().filter(|p| p.leaf == Some(l)) {
            match &p.status {
                Status::Alive | Status::Joined(_) => written.push(Place {
                    file: outs.files[p.out].name.clone(),
                    path: p.put.path.clone(),
                }),
                Status::Lost(Loss::Conflict(q)) => conflicts.push(q.clone()),
                Status::Lost(Loss::Same(r) | Loss::Overridden(r)) => losses.push(r.clone()),
            }
        }
        let fate = match &placed.verdicts[l] {
            Verdict::Drop(reason) => Fate::Dropped {
                reason: reason.clone(),
            },
            Verdict::Decide { question, .. } => {
                let mut question = question.clone();
                for c in conflicts {
                    question.push_str("; ");
                    question.push_str(&c);
                }
                Fate::Decide { question, written }
            }
            Verdict::Move { note, .. } => {
                if !conflicts.is_empty() {
                    Fate::Decide {
                        question: conflicts.join("; "),
                        written,
                    }
                } else if !written.is_empty() {
                    Fate::Moved {
                        to: written,
                        note: note.clone(),
                    }
                } else {
                    Fate::Dropped {
                        reason: losses.join("; "),
                    }
                }
            }
        };
        keys.push(KeyFate {
            file: leaf.file,
            line: leaf.pos.line,
            column: leaf.pos.column,
            path: leaf.path.clone(),
            value: leaf.item.to_json(),
            comments,
            fate,
        });
    }
    let loose_comments = dep
        .sources
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.loose.iter().map(move |c| (i, c.line, c.text.clone())))
        .collect();
    let default_changes = DEFAULT_CHANGES
        .iter()
        .filter(|c| {
            dep.has(c.chart)
                && (c.key.is_empty()
                    || super::input::get(&dep.merged(c.chart), &Path::keys(c.key)).is_none())
        })
        .collect();
    Report {
        from: Release::V6_2_10,
        to,
        inputs: dep
            .sources
            .iter()
            .map(|s| InputFile {
                name: s.name.clone(),
                chart: s.chart,
            })
            .collect(),
        outputs: outs
            .files
            .iter()
            .map(|f| OutputFile {
                name: f.name.clone(),
                chart: f.chart.name,
                install: f.install.map(|k| {
                    dep.installs[k]
                        .backend
                        .clone()
                        .unwrap_or_else(|| dep.sources[dep.installs[k].files[0]].base.clone())
                }),
            })
            .collect(),
        keys,
        added,
        decisions,
        loose_comments,
        default_changes,
    }
}

/// A path in the report's words: keys with dots or odd characters quoted
/// (`annotations["nginx.ingress.kubernetes.io/x"]`).
pub fn path_text(path: &Path) -> String {
    if path.is_root() {
        return "(the file)".to_owned();
    }
    let mut out = String::new();
    for (i, seg) in path.0.iter().enumerate() {
        match seg {
            Segment::Key(k)
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
            {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Key(k) => out.push_str(&format!("[{}]", serde_json::Value::String(k.clone()))),
            Segment::Index(n) => out.push_str(&format!("[{n}]")),
        }
    }
    out
}

/// Inline code for Markdown: text on one line, in a run of backticks longer
/// than any inside it.
pub fn code(s: &str) -> String {
    let s = one_line(s).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A cell ending with a full stop.
fn sentence(s: &str) -> String {
    let mut out = cell(s.trim_end());
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

/// Text for a Markdown table cell or list line.
fn cell(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}

fn places(to: &[Place]) -> String {
    to.iter()
        .map(|p| format!("{} {}", cell(&p.file), code(&path_text(&p.path))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `MIGRATION.md`.
pub fn markdown(r: &Report) -> String {
    let mut md = String::new();
    let inputs: Vec<String> = r.inputs.iter().map(|i| code(&i.name)).collect();
    let outputs: Vec<String> = r.outputs.iter().map(|o| code(&o.name)).collect();
    let (moved, dropped, decide) = r.counts();
    md.push_str(&format!("# Migrating OSMO {} to {}\n\n", r.from, r.to));
    md.push_str(&format!(
        "Written by `osmo-values migrate` from {}. It wrote {} and `upgrade.sh`.\n\n",
        inputs.join(", "),
        outputs.join(", ")
    ));
    md.push_str(&format!(
        "**{} keys: {moved} moved, {dropped} dropped, {decide} need a decision.**",
        r.keys.len()
    ));
    if !r.decisions.is_empty() {
        md.push_str(&format!(
            " And {} question{} about the deployment as a whole.",
            r.decisions.len(),
            if r.decisions.len() == 1 { "" } else { "s" }
        ));
    }
    md.push_str("\n\n");
    md.push_str(&format!(
        "`upgrade.sh` refuses to run while a line below starts with `- [ ] {DECISION_MARKER}`. Act \
         on each one (edit the values files if needed), then mark it done by changing the start of \
         its line to `- [x] DECIDED`.\n\n"
    ));

    md.push_str("## Decisions\n\n");
    if r.open_decisions() == 0 {
        md.push_str("None: nothing needs a decision before the upgrade.\n\n");
    }
    for d in &r.decisions {
        md.push_str(&format!(
            "- [ ] {DECISION_MARKER}: the deployment: {}\n",
            sentence(d)
        ));
    }
    for k in &r.keys {
        if let Fate::Decide { question, written } = &k.fate {
            let written = if written.is_empty() {
                "Nothing written.".to_owned()
            } else {
                format!("Written: {}.", places(written))
            };
            md.push_str(&format!(
                "- [ ] {DECISION_MARKER}: {} {} = {}: {} {written}\n",
                where_(r, k),
                code(&path_text(&k.path)),
                code(&shown(&k.value)),
                sentence(question),
            ));
            for c in &k.comments {
                md.push_str(&format!("  - comment on it: {}\n", code(c)));
            }
        }
    }
    md.push('\n');

    md.push_str("## Moved\n\n");
    let moved: Vec<&KeyFate> = r
        .keys
        .iter()
        .filter(|k| matches!(k.fate, Fate::Moved { .. }))
        .collect();
    if moved.is_empty() {
        md.push_str("No key moved.\n\n");
    } else {
        md.push_str("| Key | In | To | Note |\n| --- | --- | --- | --- |\n");
        for k in moved {
            if let Fate::Moved { to, note } = &k.fate {
                md.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    code(&path_text(&k.path)),
                    where_(r, k),
                    places(to),
                    note.as_deref().map(cell).unwrap_or_default()
                ));
            }
        }
        md.push('\n');
    }

    md.push_str("## Dropped\n\n");
    let dropped: Vec<&KeyFate> = r
        .keys
        .iter()
        .filter(|k| matches!(k.fate, Fate::Dropped { .. }))
        .collect();
    if dropped.is_empty() {
        md.push_str("No key was dropped.\n\n");
    } else {
        md.push_str("| Key | In | Value | Why |\n| --- | --- | --- | --- |\n");
        for k in dropped {
            if let Fate::Dropped { reason } = &k.fate {
                let mut why = cell(reason);
                for c in &k.comments {
                    why.push_str(&format!(" (comment on it: {})", code(c)));
                }
                md.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    code(&path_text(&k.path)),
                    where_(r, k),
                    code(&shown(&k.value)),
                    why
                ));
            }
        }
        md.push('\n');
    }

    md.push_str("## Written by the migration\n\n");
    if r.added.is_empty() {
        md.push_str("Nothing beyond the keys above.\n\n");
    } else {
        md.push_str("Values no input key set, and why they are needed.\n\n");
        md.push_str("| Key | In | Value | Why |\n| --- | --- | --- | --- |\n");
        for a in &r.added {
            md.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                code(&path_text(&a.place.path)),
                cell(&a.place.file),
                code(&shown(&a.value)),
                cell(&a.why)
            ));
        }
        md.push('\n');
    }

    if !r.loose_comments.is_empty() {
        md.push_str("## Comments on no key\n\n");
        md.push_str("These comments sat on no key (a file's header, or a block followed by a blank line).\n\n");
        for (file, line, text) in &r.loose_comments {
            md.push_str(&format!(
                "- {}:{line}: {}\n",
                cell(&r.inputs[*file].name),
                code(text)
            ));
        }
        md.push('\n');
    }

    if !r.default_changes.is_empty() {
        md.push_str(&format!(
            "## {} defaults this deployment relied on that {} changed\n\n",
            r.from, r.to
        ));
        md.push_str("Nothing was written for these: the operator never set them. Set them if the old behaviour is wanted.\n\n");
        for c in &r.default_changes {
            let key = if c.key.is_empty() {
                String::new()
            } else {
                format!(" ({} `{}`)", chart_words(c.chart), c.key)
            };
            md.push_str(&format!(
                "- Was{key}: {}. Now: {}.\n",
                cell(c.was),
                cell(c.now)
            ));
        }
        md.push('\n');
    }

    md.push_str("## Upgrade\n\n");
    md.push_str(
        "Once no decision is open, run `./upgrade.sh` in this folder. It uninstalls the router and \
         web UI releases (6.3.1's service release owns their objects), upgrades the service release, \
         then each backend operator, all at pinned chart versions. The release names and namespaces \
         are the deployment guides' (`service`, `router` and `ui` in `osmo`, `osmo-operator` in \
         `osmo-operator`); override them with the variables the script's header lists (upstream's \
         upgrade guide names the service release `osmo`: `OSMO_SERVICE_RELEASE=osmo ./upgrade.sh`).\n\n\
         The Master Encryption Key (ConfigMap `mek-config`) and the secrets (`db-secret`, \
         `redis-secret`, `oauth2-proxy-secrets`, `default-admin-secret`, `osmo-operator-token`) stay \
         as they are: 6.3.1 reads them under the same names, and the migration writes none of them.\n",
    );
    md
}

/// `file:line:column` of a key.
fn where_(r: &Report, k: &KeyFate) -> String {
    cell(&format!(
        "{}:{}:{}",
        r.inputs[k.file].name, k.line, k.column
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_code_read_right_in_markdown() {
        let p = Path::keys("a.b")
            .key("nginx.ingress.kubernetes.io/x")
            .index(2);
        assert_eq!(path_text(&p), "a.b[\"nginx.ingress.kubernetes.io/x\"][2]");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("x`y"), "``x`y``");
        assert_eq!(code("`y"), "`` `y ``");
    }
}
