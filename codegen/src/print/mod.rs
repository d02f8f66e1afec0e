//! A one-pass printer of token streams: the layout of output too large for
//! syn + prettyplease in reasonable time.
//!
//! syn's parse of the emitted tokens and prettyplease's print are about
//! two thirds of a large document's generation (15 of graph-beta's 27 s of
//! CPU go to the parse alone). This printer reads the tokens once, without a
//! syntax tree: a brace group that holds statements, fields, variants or
//! arms is broken into indented lines, everything else stays on its line,
//! and doc attributes become `///` lines. Lines are not wrapped at a width.
//! Spacing is chosen for reading, under one rule that keeps the text
//! meaning what the tokens mean: two operators are never printed touching
//! where they would lex as one longer operator.

mod docs;
mod ops;

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Group, Ident, Spacing, TokenStream, TokenTree};

use ops::Role;

/// A whole file's tokens as indented text, ending in a newline.
pub fn print(tokens: TokenStream) -> String {
    let mut printer = Printer {
        line_start: true,
        ..Printer::default()
    };
    printer.sequence(
        tokens.into_iter().collect(),
        Layout::Lines { commas: false },
    );
    printer.newline();
    printer.out
}

/// How a group's content is laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// One statement, item, field, variant or arm per line; `commas` when
    /// a top-level `,` ends an element (the group holds no `;`).
    Lines { commas: bool },
    /// On the current line: parentheses, brackets, short braces.
    Inline,
}

/// The last thing printed, which decides the space before the next.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Last {
    #[default]
    Start,
    Word {
        keyword: bool,
        /// `<` after it opens generics (`Vec<`, `impl<`, `fn get<`).
        opens_generics: bool,
        /// It is `fn`, `struct`...: the name after it takes generics.
        declares: bool,
    },
    Literal,
    Op(Role),
    Open,
    Close,
}

/// What is about to be printed, for the space before it.
#[derive(Clone, Copy)]
enum Next {
    Word,
    Literal,
    Op(Role),
    Open(Delimiter),
}

/// Per group: generic depth, closure parameters, an attribute in progress.
#[derive(Default)]
struct Scope {
    angle: usize,
    closure: bool,
    attribute: bool,
    /// A keyword whose braces always hold lines (`fn`, `impl`, `match`,
    /// `if`...) was seen, and its brace has not come yet.
    block_next: bool,
}

#[derive(Default)]
struct Printer {
    out: String,
    indent: usize,
    line_start: bool,
    last: Last,
    /// The last punctuation was joint to the token that follows.
    glue: bool,
    /// The last operator's text, when `last` is an operator.
    last_op: String,
}

impl Printer {
    fn sequence(&mut self, mut trees: Vec<TokenTree>, layout: Layout) {
        let mut scope = Scope::default();
        let mut i = 0;
        while i < trees.len() {
            if let (Layout::Lines { .. }, Some(doc)) = (layout, docs::doc_attribute(&trees[i..])) {
                self.doc(&doc);
                i += doc.consumed;
                continue;
            }
            let (current, rest) = trees.split_at_mut(i + 1);
            match &mut current[i] {
                TokenTree::Punct(_) => {
                    i = self.operators(&trees, i, layout, &mut scope);
                    continue;
                }
                // Taken, not borrowed: a group held once gives up its
                // tokens without copying them.
                TokenTree::Group(group) => {
                    let group =
                        std::mem::replace(group, Group::new(Delimiter::None, TokenStream::new()));
                    self.group(group, rest.first(), layout, &mut scope);
                }
                TokenTree::Ident(ident) => self.word(ident, &mut scope),
                TokenTree::Literal(literal) => {
                    self.space(Next::Literal);
                    let _ = write!(self.out, "{literal}");
                    self.last = Last::Literal;
                }
            }
            i += 1;
        }
    }

    fn word(&mut self, ident: &Ident, scope: &mut Scope) {
        let after_declaration = matches!(self.last, Last::Word { declares: true, .. });
        self.space(Next::Word);
        let start = self.out.len();
        let _ = write!(self.out, "{ident}");
        let word = &self.out[start..];
        scope.block_next |= ops::opens_block(word);
        self.last = Last::Word {
            keyword: ops::is_keyword(word),
            opens_generics: word.starts_with(|c: char| c.is_ascii_uppercase())
                || word == "impl"
                || after_declaration,
            declares: ops::declares_generics(word),
        };
    }

    /// A run of joint punctuation from `trees[start]`, split into Rust's
    /// operators; returns the index after it.
    fn operators(
        &mut self,
        trees: &[TokenTree],
        start: usize,
        layout: Layout,
        scope: &mut Scope,
    ) -> usize {
        let mut run = String::new();
        let mut end = start;
        let mut joint_to_next = false;
        while let Some(TokenTree::Punct(p)) = trees.get(end) {
            run.push(p.as_char());
            end += 1;
            if p.spacing() == Spacing::Alone {
                break;
            }
            joint_to_next = !matches!(trees.get(end), Some(TokenTree::Punct(_)));
        }
        let mut rest = run.as_str();
        let mut first = true;
        while !rest.is_empty() {
            let op = split_operator(rest);
            rest = &rest[op.len()..];
            self.glue |= !first;
            first = false;
            self.operator(op, trees.get(end), layout, scope);
        }
        self.glue = joint_to_next;
        end
    }

    fn operator(&mut self, op: &str, after: Option<&TokenTree>, layout: Layout, scope: &mut Scope) {
        let role = self.role(op, after, scope);
        match role {
            Role::GenericOpen => scope.angle += 1,
            Role::GenericClose => scope.angle = scope.angle.saturating_sub(op.len()),
            Role::ClosureOpen => scope.closure = true,
            Role::ClosureClose => scope.closure = false,
            _ => {}
        }
        if op == "#" {
            scope.attribute = true;
        }
        if matches!(op, ";" | "=>") || (op == "," && scope.angle == 0) {
            scope.block_next = false;
        }
        self.token(Next::Op(role), op);
        self.last = Last::Op(role);
        self.last_op.clear();
        self.last_op.push_str(op);
        let ends_line = match (op, layout) {
            (";", Layout::Lines { .. }) => true,
            (",", Layout::Lines { commas }) => commas && scope.angle == 0 && !scope.closure,
            _ => false,
        };
        if ends_line {
            self.newline();
        }
    }

    /// What `op` is where it stands.
    fn role(&self, op: &str, after: Option<&TokenTree>, scope: &Scope) -> Role {
        if let Some(role) = ops::fixed_role(op) {
            return role;
        }
        let prefix = self.prefix_position();
        match op {
            "!" if matches!(self.last, Last::Word { keyword: false, .. })
                && matches!(after, Some(TokenTree::Group(_))) =>
            {
                Role::MacroBang
            }
            "<" if self.opens_generics() => Role::GenericOpen,
            ">" | ">>" if scope.angle > 0 => Role::GenericClose,
            "|" if scope.closure => Role::ClosureClose,
            "|" if prefix => Role::ClosureOpen,
            _ if prefix && ops::can_be_prefix(op) => Role::Prefix,
            _ => Role::Binary,
        }
    }

    /// Whether an operator here applies to what follows (`&x`, `-1`).
    fn prefix_position(&self) -> bool {
        match self.last {
            Last::Start | Last::Open => true,
            Last::Word { keyword, .. } => keyword,
            Last::Op(role) => !matches!(role, Role::GenericClose | Role::Postfix),
            Last::Literal | Last::Close => false,
        }
    }

    fn opens_generics(&self) -> bool {
        matches!(
            self.last,
            Last::Op(Role::Path)
                | Last::Word {
                    opens_generics: true,
                    ..
                }
        )
    }

    fn group(
        &mut self,
        group: Group,
        after: Option<&TokenTree>,
        layout: Layout,
        scope: &mut Scope,
    ) {
        let delimiter = group.delimiter();
        let stream = group.stream();
        drop(group);
        let trees: Vec<TokenTree> = stream.into_iter().collect();
        let (open, close) = match delimiter {
            Delimiter::None => return self.sequence(trees, layout),
            Delimiter::Brace => {
                let lines = std::mem::take(&mut scope.block_next);
                return self.brace(trees, after, layout, lines);
            }
            Delimiter::Parenthesis => ("(", ")"),
            Delimiter::Bracket => ("[", "]"),
        };
        self.token(Next::Open(delimiter), open);
        self.last = Last::Open;
        self.sequence(trees, Layout::Inline);
        self.out.push_str(close);
        self.last = Last::Close;
        if delimiter == Delimiter::Bracket && std::mem::take(&mut scope.attribute) {
            if let Layout::Lines { .. } = layout {
                self.newline();
            }
        }
    }

    /// A brace group: `{}`, a use tree, a short group on its line, or a
    /// block of lines (always for `lines`: an item's or a control flow's).
    fn brace(
        &mut self,
        trees: Vec<TokenTree>,
        after: Option<&TokenTree>,
        layout: Layout,
        lines: bool,
    ) {
        let use_tree = self.last == Last::Op(Role::Path);
        self.token(Next::Open(Delimiter::Brace), "{");
        self.last = Last::Open;
        if trees.is_empty() || use_tree {
            self.sequence(trees, Layout::Inline);
        } else if !lines && is_short(&trees) {
            self.out.push(' ');
            self.sequence(trees, Layout::Inline);
            self.out.push(' ');
        } else {
            self.block(trees);
        }
        self.token(Next::Op(Role::Postfix), "}");
        self.last = Last::Close;
        if matches!(layout, Layout::Lines { .. }) && starts_statement(after) {
            self.newline();
        }
    }

    /// A brace group's content, one element per line, indented.
    fn block(&mut self, trees: Vec<TokenTree>) {
        let commas = !trees
            .iter()
            .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'));
        self.indent += 1;
        self.newline();
        self.sequence(trees, Layout::Lines { commas });
        self.newline();
        self.indent -= 1;
    }

    fn doc(&mut self, doc: &docs::Doc) {
        self.newline();
        let marker = if doc.inner { "//!" } else { "///" };
        for line in doc.text.split('\n') {
            self.indentation();
            self.out.push_str(marker);
            self.out.push_str(line);
            self.out.push('\n');
        }
        self.line_start = true;
        self.last = Last::Start;
    }

    /// Prints `text` with the space (or indentation) `next` needs before it.
    fn token(&mut self, next: Next, text: &str) {
        if self.line_start {
            self.indentation();
        } else if !std::mem::take(&mut self.glue)
            && (self.space_before(next) || self.would_fuse(next, text))
        {
            self.out.push(' ');
        }
        self.glue = false;
        self.line_start = false;
        self.out.push_str(text);
    }

    /// The space (or indentation) a word or literal needs before it.
    fn space(&mut self, next: Next) {
        if self.line_start {
            self.indentation();
        } else if !std::mem::take(&mut self.glue) && self.space_before(next) {
            self.out.push(' ');
        }
        self.glue = false;
        self.line_start = false;
    }

    fn space_before(&self, next: Next) -> bool {
        match self.last {
            Last::Start | Last::Open => return false,
            Last::Op(
                Role::Prefix
                | Role::Path
                | Role::Dot
                | Role::MacroBang
                | Role::GenericOpen
                | Role::ClosureOpen,
            ) => return false,
            _ => {}
        }
        let keyword = matches!(self.last, Last::Word { keyword: true, .. });
        match next {
            Next::Word | Next::Literal => true,
            Next::Op(Role::Path) => {
                keyword
                    || matches!(
                        self.last,
                        Last::Op(Role::Binary | Role::Separator | Role::ClosureClose)
                    )
            }
            Next::Op(Role::Binary | Role::Prefix | Role::ClosureOpen) => true,
            Next::Op(_) => false,
            Next::Open(Delimiter::Parenthesis | Delimiter::Bracket) => match self.last {
                Last::Word { keyword, .. } => keyword,
                Last::Close | Last::Literal | Last::Op(Role::GenericClose) => false,
                _ => true,
            },
            Next::Open(_) => true,
        }
    }

    /// Whether operator `text` printed touching the last one would lex as
    /// one operator with it (`>` `>` closing two generic lists may).
    fn would_fuse(&self, next: Next, text: &str) -> bool {
        match (self.last, next) {
            (Last::Op(Role::GenericClose), Next::Op(Role::GenericClose)) => false,
            (Last::Op(_), Next::Op(_)) => ops::would_fuse(&self.last_op, text),
            _ => false,
        }
    }

    fn indentation(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
    }

    fn newline(&mut self) {
        if !self.line_start {
            self.out.push('\n');
            self.line_start = true;
        }
    }
}

/// The longest Rust operator `run` starts with.
fn split_operator(run: &str) -> &str {
    const LONG: [&str; 24] = [
        "..=", "...", "<<=", ">>=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=",
        "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>", "..",
    ];
    LONG.iter().find(|op| run.starts_with(*op)).map_or_else(
        || &run[..run.chars().next().map_or(0, char::len_utf8)],
        |op| &run[..op.len()],
    )
}

/// A brace group small enough for one line: `Self { client }`, at most
/// 16 token trees, no statements, attributes, nested braces or trailing
/// comma. A parenthesised or bracketed group counts as 4 without being
/// looked into: reading a group's tokens copies them.
fn is_short(trees: &[TokenTree]) -> bool {
    let trailing_comma = matches!(trees.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',');
    let mut weight = 0;
    !trailing_comma
        && trees.iter().all(|t| {
            weight += match t {
                TokenTree::Group(_) => 4,
                _ => 1,
            };
            weight <= 16
                && match t {
                    TokenTree::Group(g) => g.delimiter() != Delimiter::Brace,
                    TokenTree::Punct(p) => !matches!(p.as_char(), ';' | '#'),
                    _ => true,
                }
        })
}

/// Whether the token after a closing brace starts a new statement or item
/// (a line of its own) rather than continuing the expression.
fn starts_statement(after: Option<&TokenTree>) -> bool {
    match after {
        Some(TokenTree::Ident(word)) => !matches!(word.to_string().as_str(), "else" | "as"),
        // An attribute, or a path (`::m::mac!(..);`).
        Some(TokenTree::Punct(p)) => matches!(p.as_char(), '#' | ':'),
        // A bare block after a block is a statement of its own.
        Some(TokenTree::Group(g)) => g.delimiter() == Delimiter::Brace,
        Some(TokenTree::Literal(_)) => true,
        None => false,
    }
}

#[cfg(test)]
mod tests;
