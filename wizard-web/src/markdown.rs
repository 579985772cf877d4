//! The little Markdown the generated `NEXT_STEPS.md` uses, shown as formatted
//! text: ATX headings, paragraphs, bulleted and numbered lists (nested by
//! indentation, with paragraphs and code blocks inside items), fenced code
//! blocks, inline code and strong emphasis. Anything else is shown as the text
//! it is. Parsing is separate from rendering, so the structure is tested
//! natively.

use yew::prelude::*;

/// A block of a Markdown document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading: its level (1 for `#`) and text.
    Heading(u8, String),
    /// A paragraph: its lines joined by spaces.
    Paragraph(String),
    /// A list: numbered or not, and each item's blocks.
    List(bool, Vec<Vec<Block>>),
    /// A fenced code block: its text, every line ending with a newline.
    Code(String),
}

/// Reads a document into blocks.
///
/// ```
/// use wizard_web::markdown::{parse, Block};
/// let doc = parse("# Title\n\n- one `x`\n  - two\n\n```bash\nls\n```\n");
/// assert_eq!(doc, [
///     Block::Heading(1, "Title".into()),
///     Block::List(false, vec![vec![
///         Block::Paragraph("one `x`".into()),
///         Block::List(false, vec![vec![Block::Paragraph("two".into())]]),
///     ]]),
///     Block::Code("ls\n".into()),
/// ]);
/// ```
pub fn parse(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    blocks(&lines)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The list marker a line starts with (after its indentation): numbered or not, and the
/// marker's width with the space after it.
fn marker(line: &str) -> Option<(bool, usize)> {
    let t = line.trim_start_matches(' ');
    if t.starts_with("- ") || t.starts_with("* ") || t == "-" {
        return Some((false, 2));
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) && t[digits..].starts_with(". ") {
        return Some((true, digits + 2));
    }
    None
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let t = line.trim_start_matches(' ');
    let level = t.bytes().take_while(|b| *b == b'#').count();
    if (1..=6).contains(&level) && t[level..].starts_with(' ') {
        return Some((level as u8, t[level..].trim()));
    }
    None
}

fn fence(line: &str) -> bool {
    line.trim_start_matches(' ').starts_with("```")
}

/// Removes up to `n` leading spaces.
fn dedent(line: &str, n: usize) -> &str {
    &line[indent(line).min(n)..]
}

fn blocks(lines: &[&str]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        let at = indent(line);
        if fence(line) {
            let mut code = String::new();
            i += 1;
            while i < lines.len() && !fence(lines[i]) {
                code.push_str(dedent(lines[i], at));
                code.push('\n');
                i += 1;
            }
            i += 1; // the closing fence
            out.push(Block::Code(code));
        } else if let Some((level, text)) = heading(line) {
            out.push(Block::Heading(level, text.to_owned()));
            i += 1;
        } else if let Some((numbered, _)) = marker(line) {
            let mut items = Vec::new();
            while i < lines.len() {
                let Some((n, width)) = marker(lines[i]).filter(|_| indent(lines[i]) == at) else {
                    break;
                };
                if n != numbered {
                    break;
                }
                let content = at + width;
                let mut item: Vec<&str> = vec![lines[i][content.min(lines[i].len())..].trim_end()];
                i += 1;
                while i < lines.len() {
                    let l = lines[i];
                    if l.trim().is_empty() {
                        // A blank line ends the item unless more of it follows, indented.
                        let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
                        if next.is_some_and(|n| indent(n) >= content) {
                            item.push("");
                            i += 1;
                            continue;
                        }
                        break;
                    }
                    if indent(l) >= content || (indent(l) > at && marker(l).is_none()) {
                        item.push(dedent(l, content));
                    } else if indent(l) <= at
                        && (marker(l).is_some() || heading(l).is_some() || fence(l))
                    {
                        break;
                    } else {
                        // A lazy continuation of the item's paragraph.
                        item.push(l.trim_start());
                    }
                    i += 1;
                }
                items.push(blocks(&item));
                // Blank lines between the items of one list.
                let mut j = i;
                while j < lines.len() && lines[j].trim().is_empty() {
                    j += 1;
                }
                if j < lines.len()
                    && indent(lines[j]) == at
                    && marker(lines[j]).is_some_and(|m| m.0 == numbered)
                {
                    i = j;
                }
            }
            out.push(Block::List(numbered, items));
        } else {
            let mut text = String::new();
            while i < lines.len() {
                let l = lines[i];
                if l.trim().is_empty()
                    || fence(l)
                    || heading(l).is_some()
                    || (!text.is_empty() && marker(l).is_some())
                {
                    break;
                }
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(l.trim());
                i += 1;
            }
            out.push(Block::Paragraph(text));
        }
    }
    out
}

/// Renders a document. Headings go `shift` levels down (a document's `#` under a page's
/// `<h3>` is an `<h4>` with a shift of 3); `text` renders each run of plain text (to mark
/// parts of it).
pub fn render(doc: &[Block], shift: u8, text: &dyn Fn(&str) -> Html) -> Html {
    html! { <>{ for doc.iter().map(|b| block(b, shift, text)) }</> }
}

fn block(b: &Block, shift: u8, text: &dyn Fn(&str) -> Html) -> Html {
    match b {
        Block::Heading(level, t) => {
            let tag = format!("h{}", (level + shift).min(6));
            html! { <@{tag}>{ inline(t, text) }</@> }
        }
        Block::Paragraph(t) => html! { <p>{ inline(t, text) }</p> },
        Block::List(numbered, items) => {
            let items = items
                .iter()
                .map(|item| html! { <li>{ render(item, shift, text) }</li> });
            if *numbered {
                html! { <ol>{ for items }</ol> }
            } else {
                html! { <ul>{ for items }</ul> }
            }
        }
        Block::Code(code) => html! { <pre class="code"><code>{ text(code) }</code></pre> },
    }
}

/// Inline code between backticks, strong emphasis between `**`, and plain text.
fn inline(t: &str, text: &dyn Fn(&str) -> Html) -> Html {
    html! {
        <>
            { for t.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
                html! { <code>{ text(part) }</code> }
            } else {
                html! { { for part.split("**").enumerate().map(|(j, p)| if j % 2 == 1 {
                    html! { <strong>{ text(p) }</strong> }
                } else {
                    text(p)
                }) } }
            }) }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_hold_paragraphs_code_and_nested_lists() {
        let doc = parse(
            "## 1. Before\n\n- Create the database `osmo` on\n  PostgreSQL `db`, for example:\n\n  ```bash\n  kubectl run x \\\n    --rm\n  ```\n- Register:\n  - `https://a/b` (login)\n  - `https://a/c`\n- Last\nlazy line\n\nAfter the list.\n1. one\n2. two\n",
        );
        assert_eq!(
            doc,
            [
                Block::Heading(2, "1. Before".into()),
                Block::List(
                    false,
                    vec![
                        vec![
                            Block::Paragraph(
                                "Create the database `osmo` on PostgreSQL `db`, for example:"
                                    .into()
                            ),
                            Block::Code("kubectl run x \\\n  --rm\n".into()),
                        ],
                        vec![
                            Block::Paragraph("Register:".into()),
                            Block::List(
                                false,
                                vec![
                                    vec![Block::Paragraph("`https://a/b` (login)".into())],
                                    vec![Block::Paragraph("`https://a/c`".into())],
                                ]
                            ),
                        ],
                        vec![Block::Paragraph("Last lazy line".into())],
                    ]
                ),
                Block::Paragraph("After the list.".into()),
                Block::List(
                    true,
                    vec![
                        vec![Block::Paragraph("one".into())],
                        vec![Block::Paragraph("two".into())],
                    ]
                ),
            ]
        );
    }

    #[test]
    fn code_blocks_keep_their_text_and_headings_their_level() {
        let doc = parse(
            "### Backend `gpu` (EKS)\n\n```bash\n# a comment, not a heading\n- not a list\n```\n",
        );
        assert_eq!(
            doc,
            [
                Block::Heading(3, "Backend `gpu` (EKS)".into()),
                Block::Code("# a comment, not a heading\n- not a list\n".into()),
            ]
        );
    }

    /// Every generated NEXT_STEPS.md reads back without losing a word.
    #[test]
    fn a_generated_next_steps_keeps_every_word() {
        let spec = crate::checks::tests::minimal();
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
        let bundle = osmo_values::generate(&spec, &mut rng).unwrap();
        let md = &bundle.get("NEXT_STEPS.md").unwrap().contents;
        let doc = parse(md);
        fn words(b: &[Block], out: &mut Vec<String>) {
            for b in b {
                match b {
                    Block::Heading(_, t) | Block::Paragraph(t) | Block::Code(t) => {
                        out.extend(t.split_whitespace().map(str::to_owned))
                    }
                    Block::List(_, items) => items.iter().for_each(|i| words(i, out)),
                }
            }
        }
        let mut got = Vec::new();
        words(&doc, &mut got);
        let want: Vec<String> = md
            .lines()
            .filter(|l| !fence(l))
            .flat_map(|l| {
                let t = l.trim_start();
                let t = match (heading(t), marker(t)) {
                    (Some((_, h)), _) => h,
                    (None, Some((_, w))) => &t[w.min(t.len())..],
                    (None, None) => t,
                };
                t.split_whitespace().map(str::to_owned).collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(got, want);
        assert!(doc.iter().any(|b| matches!(b, Block::List(..))));
        assert!(doc.iter().any(|b| matches!(b, Block::Code(_))));
    }
}
