//! The preview's reading of a generated file: which lines changed since the
//! last regeneration (a line diff of the shown file only), and where the
//! placeholders of unanswered fields stand (core's `spec::draft` fills them,
//! each containing [`PLACEHOLDER_MARK`]), so the preview can mark both and never
//! pass a placeholder off as an answer.

use osmo_values::path::Path;
use osmo_values::spec::draft::{PLACEHOLDER_MARK, Placeholder};
use yew::prelude::*;

use crate::form;

/// The lines (0-based, in `new`) that are not in `old`: a shortest line diff (Myers), run
/// on what lies between the common first and last lines. When the two differ in more than
/// [`MAX_EDITS`] lines, every line between those is reported (a cheap answer for a file
/// that changed wholesale).
///
/// ```
/// use wizard_web::preview::changed_lines;
/// assert_eq!(changed_lines("a\nb\nc\n", "a\nB\nc\n"), [1]);
/// assert_eq!(changed_lines("a\nc\n", "a\nb\nc\n"), [1]);
/// assert_eq!(changed_lines("a\nb\n", "a\n"), Vec::<usize>::new());
/// ```
pub fn changed_lines(old: &str, new: &str) -> Vec<usize> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    if b.is_empty() {
        return Vec::new();
    }
    if a.is_empty() {
        return (prefix..prefix + b.len()).collect();
    }
    match inserted(a, b) {
        Some(lines) => lines.into_iter().map(|i| i + prefix).collect(),
        None => (prefix..prefix + b.len()).collect(),
    }
}

/// The most lines a diff traces before calling the whole middle changed.
pub const MAX_EDITS: usize = 400;

/// Myers' greedy diff: the indexes of `b` that are not part of a longest common
/// subsequence with `a`, or `None` beyond [`MAX_EDITS`] edits.
fn inserted(a: &[&str], b: &[&str]) -> Option<Vec<usize>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = ((n + m) as usize).min(MAX_EDITS) as isize;
    let off = max + 1;
    let mut v = vec![0isize; 2 * off as usize + 1];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'outer: for d in 0..=max {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let i = (k + off) as usize;
            let mut x = if k == -d || (k != d && v[i - 1] < v[i + 1]) {
                v[i + 1]
            } else {
                v[i - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[i] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'outer;
            }
            k += 2;
        }
    }
    let d_end = found?;
    // Walk back through the snapshots, collecting the lines of `b` inserted.
    let mut out = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..=d_end).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let i = (k + off) as usize;
        let down = k == -d || (k != d && v[i - 1] < v[i + 1]);
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = v[(prev_k + off) as usize];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
        }
        if down {
            out.push((prev_y) as usize);
        }
        x = prev_x;
        y = prev_y;
    }
    out.reverse();
    Some(out)
}

/// A stretch of a line that holds a placeholder, and the field it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Byte range in the line.
    pub range: std::ops::Range<usize>,
    /// The field left unanswered, when the placeholder names one.
    pub field: Option<Path>,
}

/// The placeholders in one line of a generated file: every word holding core's
/// [`PLACEHOLDER_MARK`] (a URL or host built from a placeholder is marked whole), and every
/// placeholder without the mark (an all-zero GUID) found as it is. Each names the field
/// whose placeholder text is the longest found in the word.
///
/// ```
/// use osmo_values::path::Path;
/// use osmo_values::spec::draft::Placeholder;
/// use wizard_web::preview::marks;
/// let domain = Placeholder { path: Path::keys("domain"), text: "unanswered.domain".into() };
/// let found = marks(r#"  url: "https://unanswered.domain/api""#, &[domain]);
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].field, Some(Path::keys("domain")));
/// assert_eq!(&r#"  url: "https://unanswered.domain/api""#[found[0].range.clone()], "https://unanswered.domain/api");
/// ```
pub fn marks(line: &str, placeholders: &[Placeholder]) -> Vec<Mark> {
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut add = |at: usize, len: usize| {
        let range = word_around(line, at, len);
        if !ranges
            .iter()
            .any(|r| r.start < range.end && range.start < r.end)
        {
            ranges.push(range);
        }
    };
    for (at, _) in line.match_indices(PLACEHOLDER_MARK) {
        add(at, PLACEHOLDER_MARK.len());
    }
    for p in placeholders {
        if p.text.len() >= 8 && !p.text.contains(PLACEHOLDER_MARK) {
            for (at, _) in line.match_indices(p.text.as_str()) {
                add(at, p.text.len());
            }
        }
    }
    ranges.sort_by_key(|r| r.start);
    ranges
        .into_iter()
        .map(|range| {
            let word = &line[range.clone()];
            let field = placeholders
                .iter()
                .filter(|p| word.contains(p.text.as_str()))
                .max_by_key(|p| p.text.len())
                .map(|p| p.path.clone());
            Mark { range, field }
        })
        .collect()
}

/// The word of `line` around the bytes `at..at + len`: up to a space, a quote, a bracket
/// or a comma on either side.
fn word_around(line: &str, at: usize, len: usize) -> std::ops::Range<usize> {
    let stop = |c: char| c.is_whitespace() || "\"'`,()[]{}<>".contains(c);
    let start = line[..at].rfind(stop).map_or(0, |i| i + 1);
    let end = line[at + len..]
        .find(stop)
        .map_or(line.len(), |i| at + len + i);
    // Punctuation after the word (`for unanswered.domain:`) is no part of it.
    let end = at
        + len
        + line[at + len..end]
            .trim_end_matches(['.', ':', ';', '!', '?'])
            .len();
    start..end
}

/// Line numbers (1-based) as short text: `3, 7–9, 12`.
///
/// ```
/// assert_eq!(wizard_web::preview::line_list(&[2, 6, 7, 8, 11]), "3, 7–9, 12");
/// ```
pub fn line_list(lines: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            (lines[i] + 1).to_string()
        } else {
            format!("{}–{}", lines[i] + 1, lines[j] + 1)
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// The text of a file (or of a part of one) as the preview shows it: each placeholder in a
/// `<mark>` that names its field (in its title, and after it for screen readers, by the
/// style sheet, so the text stays the file's), and the lines listed in `changed` (sorted,
/// 0-based) each in a highlighted span. Runs of plain lines stay one text node.
pub fn text(contents: &str, placeholders: &[Placeholder], changed: &[usize]) -> Html {
    let mut nodes: Vec<Html> = Vec::new();
    let mut plain = String::new();
    let probe = !placeholders.is_empty() && contents.contains(PLACEHOLDER_MARK)
        || placeholders
            .iter()
            .any(|p| !p.text.contains(PLACEHOLDER_MARK));
    for (i, line) in contents.split_inclusive('\n').enumerate() {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let found = if probe {
            marks(body, placeholders)
        } else {
            Vec::new()
        };
        let is_changed = changed.binary_search(&i).is_ok();
        if found.is_empty() && !is_changed {
            plain.push_str(line);
            continue;
        }
        if !plain.is_empty() {
            nodes.push(Html::from(std::mem::take(&mut plain)));
        }
        let mut parts: Vec<Html> = Vec::new();
        let mut at = 0;
        for m in found {
            if m.range.start > at {
                parts.push(Html::from(body[at..m.range.start].to_owned()));
            }
            let name = m
                .field
                .as_ref()
                .map_or_else(|| "an answer".to_owned(), form::label_of);
            parts.push(html! {
                <mark class="ph" data-field={name.clone()} title={format!("Not answered yet: {name}")}>
                    { body[m.range.clone()].to_owned() }
                </mark>
            });
            at = m.range.end;
        }
        if at < body.len() {
            parts.push(Html::from(body[at..].to_owned()));
        }
        if is_changed {
            nodes.push(html! { <span class="chg">{ for parts }</span> });
        } else {
            nodes.extend(parts);
        }
        if line.ends_with('\n') {
            plain.push('\n');
        }
    }
    if !plain.is_empty() {
        nodes.push(Html::from(plain));
    }
    html! { <>{ for nodes }</> }
}

/// The fields still holding a placeholder, each a button that opens the field.
pub fn unanswered(placeholders: &[Placeholder], go: &Callback<Path>) -> Html {
    if placeholders.is_empty() {
        return html! {};
    }
    html! {
        <div id="unanswered" class="unanswered">
            <p id="unanswered-title">
                <span aria-hidden="true" class="ph-key">{ "unanswered" }</span>
                { format!(" Not answered yet ({}): the preview holds a placeholder for each, marked like this. Nothing can be copied or downloaded until they are answered.", placeholders.len()) }
            </p>
            <ul aria-labelledby="unanswered-title">
                { for placeholders.iter().map(|p| {
                    let path = p.path.clone();
                    let go = go.clone();
                    html! {
                        <li>
                            <button type="button" class="fieldlink"
                                onclick={Callback::from(move |_| go.emit(path.clone()))}>
                                { form::label_of(&p.path) }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(old: &str, new: &str) -> usize {
        // The length of the longest common subsequence, by dynamic programming.
        let a: Vec<&str> = old.lines().collect();
        let b: Vec<&str> = new.lines().collect();
        let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                t[i][j] = if a[i] == b[j] {
                    t[i + 1][j + 1] + 1
                } else {
                    t[i + 1][j].max(t[i][j + 1])
                };
            }
        }
        t[0][0]
    }

    #[test]
    fn the_diff_marks_exactly_the_lines_outside_a_longest_common_subsequence() {
        let cases = [
            ("a\nb\nc\nd\n", "a\nx\nc\nd\ny\n"),
            ("a\nb\na\nb\n", "b\na\nb\na\n"),
            ("", "a\nb\n"),
            ("a\nb\n", ""),
            ("x\ny\nz\n", "x\ny\nz\n"),
            (
                "h: d\nu: https://d/a\nk: 1\nw: https://d/b\n",
                "h: e\nu: https://e/a\nk: 1\nw: https://e/b\n",
            ),
            ("1\n2\n3\n4\n5\n6\n", "1\n3\n2\n4\n6\n5\n7\n"),
        ];
        for (old, new) in cases {
            let changed = changed_lines(old, new);
            let b: Vec<&str> = new.lines().collect();
            // Each changed line is really in `new`, and what is left is a common subsequence
            // as long as the longest.
            assert!(changed.iter().all(|&i| i < b.len()), "{old:?} → {new:?}");
            assert_eq!(
                b.len() - changed.len(),
                naive(old, new),
                "{old:?} → {new:?}: {changed:?}"
            );
            let kept: Vec<&str> = b
                .iter()
                .enumerate()
                .filter(|(i, _)| !changed.contains(i))
                .map(|(_, l)| *l)
                .collect();
            let mut a = old.lines();
            assert!(kept.iter().all(|l| a.any(|x| x == *l)), "{old:?} → {new:?}");
        }
        assert_eq!(
            changed_lines(
                "h: d\nu: https://d/a\nk: 1\n",
                "h: e\nu: https://e/a\nk: 1\n"
            ),
            [0, 1]
        );
    }

    #[test]
    fn a_file_changed_wholesale_is_changed_throughout() {
        let old: String = (0..1000).map(|i| format!("a{i}\n")).collect();
        let new: String = (0..1000).map(|i| format!("b{i}\n")).collect();
        assert_eq!(changed_lines(&old, &new), (0..1000).collect::<Vec<_>>());
    }

    #[test]
    fn placeholders_are_marked_by_word_and_named_by_field() {
        let ph = |p: &str, t: &str| Placeholder {
            path: Path::keys(p),
            text: t.into(),
        };
        let list = [
            ph("domain", "unanswered.domain"),
            ph("authentication.tenantId", "unanswered"),
            ph(
                "storage.credentials.clientId",
                "00000000-0000-0000-0000-000000000000",
            ),
        ];
        let line =
            r#"  issuer: "https://login.example.com/unanswered/v2.0", host: unanswered.domain"#;
        let found = marks(line, &list);
        let words: Vec<(&str, Option<String>)> = found
            .iter()
            .map(|m| {
                (
                    &line[m.range.clone()],
                    m.field.as_ref().map(ToString::to_string),
                )
            })
            .collect();
        assert_eq!(
            words,
            [
                (
                    "https://login.example.com/unanswered/v2.0",
                    Some("authentication.tenantId".into())
                ),
                ("unanswered.domain", Some("domain".into())),
            ]
        );
        let guid = "  client-id: 00000000-0000-0000-0000-000000000000";
        let found = marks(guid, &list);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].field,
            Some(Path::keys("storage.credentials.clientId"))
        );
        assert_eq!(marks("  plain: value", &list), []);
        let comment = "# Values for unanswered.domain: the API";
        let found = marks(comment, &list);
        assert_eq!(&comment[found[0].range.clone()], "unanswered.domain");
    }

    #[test]
    fn line_lists_join_runs() {
        assert_eq!(line_list(&[0]), "1");
        assert_eq!(line_list(&[0, 1, 2, 5]), "1–3, 6");
        assert_eq!(line_list(&[]), "");
    }
}
