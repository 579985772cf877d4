//! Which `.Values` keys a chart's templates read, derived from the templates.
//!
//! A small abstract interpreter of Go templates: it parses every action of
//! every template, follows what `.` and each `$variable` denote (a place in
//! the values, the release's root context, a `dict` built for a helper, or
//! something else), and records each values path that is read. It follows
//! `.Values.a.b` and `$.Values.a.b`, `$x := .Values.a` then `$x.b`, `with`
//! (dot rebinding, `else` restoring it), `range` (elements, and `$k, $v :=`),
//! `index`/`dig`/`get`/`hasKey`/`pluck`, `default`/`coalesce`/`ternary`,
//! `deepCopy` and the merge functions (a merged map aliases every source),
//! helper calls (`include`/`template` with `.`, a values subtree, a `dict`
//! or a `list`: the helper's body runs with that argument), and `toYaml`
//! and friends (the whole subtree counts as read, unless the text only goes
//! into a hash such as `sha256sum`). `NOTES.txt` is not scanned: it changes
//! no object.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// One step of a values path: a named key, or any key or list element.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    /// A named key.
    Key(String),
    /// Any element (a `range`, an `index` with a computed key).
    Any,
}

/// A path into the values, from `.Values`.
pub type VPath = Vec<Seg>;

/// How a path is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReadKind {
    /// The value itself (printed, tested, iterated...).
    Value,
    /// The whole subtree (serialised by `toYaml`/`toJson`).
    Subtree,
}

/// Writes a path the way the charts' keys are written: `a.b[*].c`.
pub fn show(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Any => out.push_str("[*]"),
        }
    }
    out
}

/// The values paths a chart's templates read.
#[derive(Debug, Default, Clone)]
pub struct Scan {
    /// Each path read, with the strongest way it is read.
    pub reads: BTreeMap<VPath, ReadKind>,
    /// The template files (not helpers: the files rendered) whose output reads each path.
    pub readers: BTreeMap<VPath, BTreeSet<String>>,
    /// Template files scanned.
    pub files: usize,
    /// Helper calls whose name is computed (`include (print ...)`): not followed.
    pub unresolved_calls: usize,
}

/// Scans every template of the chart directory `chart`.
pub fn scan_chart(chart: &Path) -> Scan {
    let dir = chart.join("templates");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    let mut defines: BTreeMap<String, Vec<Node>> = BTreeMap::new();
    let mut mains = Vec::new();
    for path in &entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "NOTES.txt" {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("template text");
        let nodes = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut body = Vec::new();
        for n in nodes {
            match n {
                Node::Define(name, body) => {
                    defines.insert(name, body);
                }
                other => body.push(other),
            }
        }
        if !name.starts_with('_') {
            mains.push((name, body));
        }
    }
    let mut it = Interp {
        defines,
        scan: Scan {
            files: entries.len(),
            ..Scan::default()
        },
        seen_calls: HashSet::new(),
        depth: 0,
        current: String::new(),
    };
    for (name, body) in &mains {
        it.current = name.clone();
        it.seen_calls.clear();
        let mut scope = Scope {
            dot: Val::one(Atom::Root),
            root: Val::one(Atom::Root),
            vars: Vec::new(),
        };
        it.exec(body, &mut scope);
    }
    it.scan
}

// ---------------------------------------------------------------------------
// Parsing

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str(String),
    Lit,
    Field(Vec<String>),
    Var(String, Vec<String>),
    Chain(Vec<String>),
    Ident(String),
    LParen,
    RParen,
    Pipe,
    Declare,
    Assign,
    Comma,
}

#[derive(Debug, Clone)]
enum Operand {
    Str(String),
    Lit,
    Field(Vec<String>),
    Var(String, Vec<String>),
    Ident(String),
    Sub(Pipe, Vec<String>),
}

#[derive(Debug, Clone, Default)]
struct Pipe {
    decl: Vec<String>,
    assign: bool,
    cmds: Vec<Vec<Operand>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum BranchKind {
    If,
    With,
}

#[derive(Debug, Clone)]
enum Node {
    Action(Pipe),
    Branches(Vec<(BranchKind, Option<Pipe>, Vec<Node>)>),
    Range(Pipe, Vec<Node>, Vec<Node>),
    Call(String, Option<Pipe>),
    Define(String, Vec<Node>),
}

/// The text inside each `{{ ... }}` of a template, comments dropped.
fn actions(text: &str) -> Result<Vec<String>, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find("{{") {
        let start = i + off + 2;
        let mut j = start;
        let mut quote: Option<u8> = None;
        loop {
            if j + 1 >= bytes.len() {
                return Err(format!("unclosed action at byte {start}"));
            }
            match quote {
                Some(q) => {
                    if bytes[j] == b'\\' && q == b'"' {
                        j += 1;
                    } else if bytes[j] == q {
                        quote = None;
                    }
                }
                None => {
                    if bytes[j] == b'"' || bytes[j] == b'`' {
                        quote = Some(bytes[j]);
                    } else if bytes[j] == b'}' && bytes[j + 1] == b'}' {
                        break;
                    }
                }
            }
            j += 1;
        }
        let mut inner = text[start..j].trim();
        inner = inner.strip_prefix('-').unwrap_or(inner);
        inner = inner.strip_suffix('-').unwrap_or(inner);
        let inner = inner.trim();
        if !inner.starts_with("/*") {
            out.push(inner.to_owned());
        }
        i = j + 2;
    }
    Ok(out)
}

fn lex(action: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = action.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let fields = |chars: &[char], i: &mut usize| -> Vec<String> {
        let mut out = Vec::new();
        while *i < chars.len() && chars[*i] == '.' {
            *i += 1;
            let s = *i;
            while *i < chars.len() && ident(chars[*i]) {
                *i += 1;
            }
            if *i > s {
                out.push(chars[s..*i].iter().collect());
            }
        }
        out
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '"' => {
                let mut s = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    s.push(chars[i]);
                    i += 1;
                }
                i += 1;
                toks.push(Tok::Str(s));
            }
            '`' => {
                let mut s = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '`' {
                    s.push(chars[i]);
                    i += 1;
                }
                i += 1;
                toks.push(Tok::Str(s));
            }
            '\'' => {
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                toks.push(Tok::Lit);
            }
            '(' => {
                toks.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                toks.push(Tok::RParen);
                i += 1;
                if i < chars.len() && chars[i] == '.' {
                    toks.push(Tok::Chain(fields(&chars, &mut i)));
                }
            }
            '|' => {
                toks.push(Tok::Pipe);
                i += 1;
            }
            ',' => {
                toks.push(Tok::Comma);
                i += 1;
            }
            ':' if chars.get(i + 1) == Some(&'=') => {
                toks.push(Tok::Declare);
                i += 2;
            }
            '=' => {
                toks.push(Tok::Assign);
                i += 1;
            }
            '.' => {
                if chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
                    while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                        i += 1;
                    }
                    toks.push(Tok::Lit);
                } else {
                    toks.push(Tok::Field(fields(&chars, &mut i)));
                }
            }
            '$' => {
                i += 1;
                let s = i;
                while i < chars.len() && ident(chars[i]) {
                    i += 1;
                }
                let name: String = chars[s..i].iter().collect();
                toks.push(Tok::Var(name, fields(&chars, &mut i)));
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' => {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '.') {
                    i += 1;
                }
                toks.push(Tok::Lit);
            }
            c if ident(c) => {
                let s = i;
                while i < chars.len() && ident(chars[i]) {
                    i += 1;
                }
                let word: String = chars[s..i].iter().collect();
                match word.as_str() {
                    "true" | "false" | "nil" => toks.push(Tok::Lit),
                    _ => toks.push(Tok::Ident(word)),
                }
            }
            other => return Err(format!("unexpected `{other}` in `{action}`")),
        }
    }
    Ok(toks)
}

fn parse_pipe(toks: &[Tok]) -> Result<Pipe, String> {
    let mut pipe = Pipe::default();
    let mut rest = toks;
    // Declarations: `$x :=`, `$k, $v :=`, `$x =`.
    if let Some(pos) = toks
        .iter()
        .position(|t| matches!(t, Tok::Declare | Tok::Assign))
    {
        let head = &toks[..pos];
        let vars: Vec<String> = head
            .iter()
            .filter_map(|t| match t {
                Tok::Var(n, f) if f.is_empty() => Some(n.clone()),
                _ => None,
            })
            .collect();
        if !vars.is_empty() && head.iter().all(|t| matches!(t, Tok::Var(..) | Tok::Comma)) {
            pipe.decl = vars;
            pipe.assign = matches!(toks[pos], Tok::Assign);
            rest = &toks[pos + 1..];
        }
    }
    let mut i = 0;
    let mut cmd = Vec::new();
    while i < rest.len() {
        match &rest[i] {
            Tok::Pipe => {
                pipe.cmds.push(std::mem::take(&mut cmd));
                i += 1;
            }
            Tok::LParen => {
                let mut depth = 0;
                let start = i + 1;
                let mut j = i;
                loop {
                    match rest.get(j) {
                        Some(Tok::LParen) => depth += 1,
                        Some(Tok::RParen) => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Some(_) => {}
                        None => return Err("unbalanced parenthesis".into()),
                    }
                    j += 1;
                }
                let inner = parse_pipe(&rest[start..j])?;
                let chain = match rest.get(j + 1) {
                    Some(Tok::Chain(f)) => {
                        j += 1;
                        f.clone()
                    }
                    _ => Vec::new(),
                };
                cmd.push(Operand::Sub(inner, chain));
                i = j + 1;
            }
            Tok::Str(s) => {
                cmd.push(Operand::Str(s.clone()));
                i += 1;
            }
            Tok::Lit => {
                cmd.push(Operand::Lit);
                i += 1;
            }
            Tok::Field(f) => {
                cmd.push(Operand::Field(f.clone()));
                i += 1;
            }
            Tok::Var(n, f) => {
                cmd.push(Operand::Var(n.clone(), f.clone()));
                i += 1;
            }
            Tok::Ident(w) => {
                cmd.push(Operand::Ident(w.clone()));
                i += 1;
            }
            other => return Err(format!("unexpected {other:?}")),
        }
    }
    if !cmd.is_empty() {
        pipe.cmds.push(cmd);
    }
    Ok(pipe)
}

/// Parses a template into nodes (text is dropped: only actions matter).
fn parse(text: &str) -> Result<Vec<Node>, String> {
    let acts = actions(text)?;
    let mut toks = Vec::with_capacity(acts.len());
    for a in &acts {
        toks.push(lex(a)?);
    }
    let mut pos = 0;
    let (nodes, end) = parse_list(&toks, &mut pos)?;
    if end.is_some() {
        return Err("`end` or `else` without a block".into());
    }
    Ok(nodes)
}

/// Nodes until an `end` or `else` (returned, with what follows `else`).
fn parse_list(toks: &[Vec<Tok>], pos: &mut usize) -> Result<(Vec<Node>, Option<Vec<Tok>>), String> {
    let mut out = Vec::new();
    while *pos < toks.len() {
        let t = &toks[*pos];
        *pos += 1;
        let keyword = match t.first() {
            Some(Tok::Ident(w)) => w.as_str(),
            _ => "",
        };
        match keyword {
            "end" | "else" => return Ok((out, Some(t.clone()))),
            "if" | "with" => {
                let mut kind = if keyword == "if" {
                    BranchKind::If
                } else {
                    BranchKind::With
                };
                let mut cond = Some(parse_pipe(&t[1..])?);
                let mut branches = Vec::new();
                loop {
                    let (body, stop) = parse_list(toks, pos)?;
                    branches.push((kind, cond.take(), body));
                    let stop = stop.ok_or("block without `end`")?;
                    if stop.len() == 1 && stop[0] == Tok::Ident("end".into()) {
                        break;
                    }
                    // `else`, `else if ...`, `else with ...`
                    match stop.get(1) {
                        Some(Tok::Ident(w)) if w == "if" => {
                            kind = BranchKind::If;
                            cond = Some(parse_pipe(&stop[2..])?);
                        }
                        Some(Tok::Ident(w)) if w == "with" => {
                            kind = BranchKind::With;
                            cond = Some(parse_pipe(&stop[2..])?);
                        }
                        _ => {
                            kind = BranchKind::If;
                            cond = None;
                        }
                    }
                }
                out.push(Node::Branches(branches));
            }
            "range" => {
                let pipe = parse_pipe(&t[1..])?;
                let (body, stop) = parse_list(toks, pos)?;
                let stop = stop.ok_or("range without `end`")?;
                let else_body = if stop.first() == Some(&Tok::Ident("else".into())) {
                    let (b, s) = parse_list(toks, pos)?;
                    s.ok_or("range else without `end`")?;
                    b
                } else {
                    Vec::new()
                };
                out.push(Node::Range(pipe, body, else_body));
            }
            "define" | "block" => {
                let name = match t.get(1) {
                    Some(Tok::Str(s)) => s.clone(),
                    _ => return Err("define without a name".into()),
                };
                let (body, stop) = parse_list(toks, pos)?;
                stop.ok_or("define without `end`")?;
                if keyword == "block" {
                    out.push(Node::Call(name.clone(), Some(parse_pipe(&t[2..])?)));
                }
                out.push(Node::Define(name, body));
            }
            "template" => {
                let name = match t.get(1) {
                    Some(Tok::Str(s)) => s.clone(),
                    _ => return Err("template without a name".into()),
                };
                let arg = if t.len() > 2 {
                    Some(parse_pipe(&t[2..])?)
                } else {
                    None
                };
                out.push(Node::Call(name, arg));
            }
            "break" | "continue" => {}
            _ => out.push(Node::Action(parse_pipe(t)?)),
        }
    }
    Ok((out, None))
}

// ---------------------------------------------------------------------------
// Abstract values

#[derive(Debug, Clone, PartialEq)]
enum Atom {
    /// A place in the values.
    Values(VPath),
    /// The release's top context (`.Values`, `.Release`, ...).
    Root,
    /// A map built with `dict`.
    Dict(BTreeMap<String, Val>),
    /// A list built with `list`.
    List(Vec<Val>),
    /// Anything else: text, numbers, other contexts.
    Other,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Val {
    atoms: Vec<Atom>,
    /// Serialised (`toYaml`) text of the atoms: read as whole subtrees once used.
    serialized: bool,
}

impl Val {
    fn one(a: Atom) -> Val {
        Val {
            atoms: vec![a],
            serialized: false,
        }
    }
    fn other() -> Val {
        Val::one(Atom::Other)
    }
    fn union(vals: impl IntoIterator<Item = Val>) -> Val {
        let mut out = Val::default();
        for v in vals {
            for a in v.atoms {
                if !out.atoms.contains(&a) {
                    out.atoms.push(a);
                }
            }
            out.serialized |= v.serialized;
        }
        if out.atoms.is_empty() {
            out.atoms.push(Atom::Other);
        }
        out
    }
}

struct Scope {
    dot: Val,
    root: Val,
    vars: Vec<(String, Val)>,
}

struct Interp {
    defines: BTreeMap<String, Vec<Node>>,
    scan: Scan,
    seen_calls: HashSet<String>,
    depth: usize,
    /// The template file being rendered.
    current: String,
}

const HASHES: &[&str] = &["sha256sum", "sha1sum", "adler32sum"];
const SERIALISE: &[&str] = &[
    "toYaml",
    "toJson",
    "toPrettyJson",
    "toRawJson",
    "mustToJson",
    "mustToPrettyJson",
    "mustToRawJson",
];
const PASS_THROUGH: &[&str] = &[
    "deepCopy",
    "mustDeepCopy",
    "required",
    "omit",
    "set",
    "unset",
];
const UNION: &[&str] = &[
    "default",
    "coalesce",
    "ternary",
    "and",
    "or",
    "merge",
    "mergeOverwrite",
    "mustMerge",
    "mustMergeOverwrite",
];

impl Interp {
    fn read(&mut self, path: &VPath, kind: ReadKind) {
        let e = self.scan.reads.entry(path.clone()).or_insert(kind);
        if kind > *e {
            *e = kind;
        }
        self.scan
            .readers
            .entry(path.clone())
            .or_default()
            .insert(self.current.clone());
    }

    /// Uses a value: its serialised subtrees count as read.
    fn commit(&mut self, v: &Val) {
        if v.serialized {
            for a in &v.atoms {
                if let Atom::Values(p) = a {
                    self.read(&p.clone(), ReadKind::Subtree);
                }
            }
        }
    }

    fn field(&mut self, v: &Val, name: &str) -> Val {
        let mut out = Vec::new();
        for a in &v.atoms {
            match a {
                Atom::Root if name == "Values" => out.push(Val::one(Atom::Values(Vec::new()))),
                Atom::Values(p) => {
                    let mut p = p.clone();
                    p.push(Seg::Key(name.to_owned()));
                    self.read(&p, ReadKind::Value);
                    out.push(Val::one(Atom::Values(p)));
                }
                Atom::Dict(m) => out.push(m.get(name).cloned().unwrap_or_else(Val::other)),
                _ => out.push(Val::other()),
            }
        }
        Val::union(out)
    }

    fn fields(&mut self, v: Val, names: &[String]) -> Val {
        names.iter().fold(v, |v, n| self.field(&v, n))
    }

    fn elements(&mut self, v: &Val) -> Val {
        let mut out = Vec::new();
        for a in &v.atoms {
            match a {
                Atom::Values(p) => {
                    let mut p = p.clone();
                    p.push(Seg::Any);
                    self.read(&p, ReadKind::Value);
                    out.push(Val::one(Atom::Values(p)));
                }
                Atom::Dict(m) => out.extend(m.values().cloned()),
                Atom::List(items) => out.extend(items.iter().cloned()),
                _ => out.push(Val::other()),
            }
        }
        Val::union(out)
    }

    fn lookup(&self, scope: &Scope, name: &str) -> Val {
        if name.is_empty() {
            return scope.root.clone();
        }
        scope
            .vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(Val::other)
    }

    fn operand(&mut self, op: &Operand, scope: &mut Scope) -> Val {
        match op {
            Operand::Str(_) | Operand::Lit => Val::other(),
            Operand::Field(f) => {
                let dot = scope.dot.clone();
                self.fields(dot, f)
            }
            Operand::Var(n, f) => {
                let v = self.lookup(scope, n);
                self.fields(v, f)
            }
            Operand::Sub(p, chain) => {
                let v = self.pipe(p, scope);
                self.fields(v, chain)
            }
            Operand::Ident(_) => Val::other(),
        }
    }

    fn pipe(&mut self, p: &Pipe, scope: &mut Scope) -> Val {
        let mut prev: Option<Val> = None;
        for cmd in &p.cmds {
            prev = Some(self.command(cmd, prev, scope));
        }
        prev.unwrap_or_else(Val::other)
    }

    fn command(&mut self, cmd: &[Operand], piped: Option<Val>, scope: &mut Scope) -> Val {
        let Some(first) = cmd.first() else {
            return Val::other();
        };
        let Operand::Ident(f) = first else {
            let v = self.operand(first, scope);
            if let Some(p) = piped {
                self.commit(&p);
            }
            return v;
        };
        let f = f.as_str();
        // Helper calls: the name is the first argument.
        if f == "include" || f == "template" {
            let name = match cmd.get(1) {
                Some(Operand::Str(s)) => Some(s.clone()),
                _ => None,
            };
            let mut arg = match cmd.get(2) {
                Some(op) => self.operand(op, scope),
                None => Val::other(),
            };
            if let Some(p) = piped {
                arg = p;
            }
            match name {
                Some(n) => self.call(&n, arg),
                None => self.scan.unresolved_calls += 1,
            }
            return Val::other();
        }
        let strs: Vec<Option<String>> = cmd[1..]
            .iter()
            .map(|o| match o {
                Operand::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        let mut args: Vec<Val> = cmd[1..].iter().map(|o| self.operand(o, scope)).collect();
        if let Some(p) = piped {
            args.push(p);
        }
        match f {
            _ if HASHES.contains(&f) => Val::other(),
            _ if SERIALISE.contains(&f) => {
                let mut v = Val::union(args);
                v.serialized = true;
                v
            }
            _ if PASS_THROUGH.contains(&f) => args.into_iter().next().unwrap_or_else(Val::other),
            _ if UNION.contains(&f) => {
                let v = Val::union(args);
                self.commit(&v);
                Val {
                    serialized: false,
                    ..v
                }
            }
            "index" => {
                let mut v = args.first().cloned().unwrap_or_else(Val::other);
                for key in strs.iter().skip(1) {
                    v = match key {
                        Some(k) => self.field(&v, k),
                        None => self.elements(&v),
                    };
                }
                v
            }
            "dig" => {
                // dig "a" "b" DEFAULT MAP
                let n = args.len();
                if n < 2 {
                    return Val::other();
                }
                let mut v = args[n - 1].clone();
                for key in strs.iter().take(n - 2) {
                    v = match key {
                        Some(k) => self.field(&v, k),
                        None => self.elements(&v),
                    };
                }
                Val::union([v, args[n - 2].clone()])
            }
            "get" | "hasKey" => {
                let v = args.first().cloned().unwrap_or_else(Val::other);
                let got = match strs.get(1) {
                    Some(Some(k)) => self.field(&v, k),
                    _ => self.elements(&v),
                };
                if f == "get" { got } else { Val::other() }
            }
            "pluck" => {
                let key = strs.first().cloned().flatten();
                let maps: Vec<Val> = args.iter().skip(1).cloned().collect();
                let mut out = Vec::new();
                for m in maps {
                    out.push(match &key {
                        Some(k) => self.field(&m, k),
                        None => self.elements(&m),
                    });
                }
                Val::union(out)
            }
            "first" | "last" | "values" => {
                let v = args.first().cloned().unwrap_or_else(Val::other);
                self.elements(&v)
            }
            "dict" => {
                let mut m = BTreeMap::new();
                let mut i = 0;
                while i + 1 < args.len() {
                    if let Some(k) = &strs[i] {
                        m.insert(k.clone(), args[i + 1].clone());
                    }
                    i += 2;
                }
                Val::one(Atom::Dict(m))
            }
            "list" => Val::one(Atom::List(args)),
            _ => {
                for a in &args {
                    self.commit(a);
                }
                Val::other()
            }
        }
    }

    fn call(&mut self, name: &str, arg: Val) {
        let key = format!("{name}|{arg:?}");
        if self.depth > 40 || !self.seen_calls.insert(key) {
            return;
        }
        let Some(body) = self.defines.get(name).cloned() else {
            return;
        };
        self.depth += 1;
        let mut scope = Scope {
            dot: arg.clone(),
            root: arg,
            vars: Vec::new(),
        };
        self.exec(&body, &mut scope);
        self.depth -= 1;
    }

    fn bind(&mut self, p: &Pipe, v: &Val, scope: &mut Scope) {
        if p.decl.is_empty() {
            return;
        }
        self.commit(v);
        let v = Val {
            serialized: false,
            ..v.clone()
        };
        if p.assign {
            for name in &p.decl {
                let old = self.lookup(scope, name);
                scope
                    .vars
                    .push((name.clone(), Val::union([old, v.clone()])));
            }
        } else {
            for name in &p.decl {
                scope.vars.push((name.clone(), v.clone()));
            }
        }
    }

    fn exec(&mut self, nodes: &[Node], scope: &mut Scope) {
        for n in nodes {
            match n {
                Node::Action(p) => {
                    let v = self.pipe(p, scope);
                    if p.decl.is_empty() {
                        self.commit(&v);
                    } else {
                        self.bind(p, &v, scope);
                    }
                }
                Node::Branches(branches) => {
                    let outer = scope.dot.clone();
                    for (kind, cond, body) in branches {
                        let mark = scope.vars.len();
                        if let Some(c) = cond {
                            let v = self.pipe(c, scope);
                            self.bind(c, &v, scope);
                            if *kind == BranchKind::With {
                                self.commit(&v);
                                scope.dot = Val {
                                    serialized: false,
                                    ..v
                                };
                            }
                        }
                        self.exec(body, scope);
                        scope.vars.truncate(mark);
                        scope.dot = outer.clone();
                    }
                }
                Node::Range(p, body, else_body) => {
                    let outer = scope.dot.clone();
                    let mark = scope.vars.len();
                    let v = self.pipe(p, scope);
                    let elem = self.elements(&v);
                    match p.decl.len() {
                        0 => {}
                        1 => scope.vars.push((p.decl[0].clone(), elem.clone())),
                        _ => {
                            scope.vars.push((p.decl[0].clone(), Val::other()));
                            scope.vars.push((p.decl[1].clone(), elem.clone()));
                        }
                    }
                    scope.dot = elem;
                    self.exec(body, scope);
                    scope.vars.truncate(mark);
                    scope.dot = outer;
                    self.exec(else_body, scope);
                }
                Node::Call(name, arg) => {
                    let v = match arg {
                        Some(p) => self.pipe(p, scope),
                        None => Val::other(),
                    };
                    self.call(name, v);
                }
                Node::Define(..) => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Comparing with the model's key tree

use osmo_values::lint::suggest::Shape;

/// Why a read path is not in the model, or `None` when it is (or lies in a
/// free-form map, whose keys the model does not name).
pub fn unmodelled(shape: &Shape, path: &[Seg]) -> Option<String> {
    fn go(shape: &Shape, path: &[Seg]) -> bool {
        let Some((seg, rest)) = path.split_first() else {
            return true;
        };
        if shape.open {
            return true;
        }
        match seg {
            Seg::Key(k) => match shape.props.get(k) {
                Some(s) => go(s, rest),
                None => match &shape.additional {
                    Some(a) => go(a, rest),
                    None => false,
                },
            },
            Seg::Any => {
                if let Some(i) = &shape.items {
                    go(i, rest)
                } else if let Some(a) = &shape.additional {
                    go(a, rest)
                } else {
                    !shape.props.is_empty()
                        && (rest.is_empty() || shape.props.values().any(|s| go(s, rest)))
                }
            }
        }
    }
    if go(shape, path) {
        None
    } else {
        Some(show(path))
    }
}

fn seg_matches(read: &Seg, model: &str) -> bool {
    match read {
        Seg::Key(k) => k == model,
        Seg::Any => true,
    }
}

/// The modelled keys no template reads: the top-most key of each unread
/// subtree, as dotted paths. Lists' items and free-form maps' values are not
/// entered (their keys belong to Kubernetes, not to the chart).
pub fn unread(shape: &Shape, reads: &BTreeMap<VPath, ReadKind>) -> Vec<String> {
    fn go(
        shape: &Shape,
        prefix: &mut Vec<String>,
        reads: &BTreeMap<VPath, ReadKind>,
        out: &mut Vec<String>,
    ) {
        for key in &shape.order {
            prefix.push(key.clone());
            let under = |r: &VPath| {
                r.len() >= prefix.len() && prefix.iter().zip(r).all(|(m, s)| seg_matches(s, m))
            };
            let whole = |r: &VPath, k: &ReadKind| {
                *k == ReadKind::Subtree
                    && r.len() <= prefix.len()
                    && r.iter().zip(prefix.iter()).all(|(s, m)| seg_matches(s, m))
            };
            if reads.iter().any(|(r, k)| whole(r, k)) {
                // Serialised whole: every key below is read.
            } else if !reads.keys().any(under) {
                out.push(prefix.join("."));
            } else {
                go(&shape.props[key], prefix, reads, out);
            }
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    go(shape, &mut Vec::new(), reads, &mut out);
    out
}

/// Distinct read paths, without those that are a prefix of another (the
/// report's "keys read").
pub fn leaves(reads: &BTreeMap<VPath, ReadKind>) -> BTreeSet<VPath> {
    let all: Vec<&VPath> = reads.keys().collect();
    all.iter()
        .filter(|p| !all.iter().any(|q| q.len() > p.len() && q.starts_with(p)))
        .map(|p| (*p).clone())
        .collect()
}
