//! The JSONPath (RFC 9535) subset overlay targets are written in: a small
//! hand-written parser and an evaluator that returns the JSON pointers of
//! the selected nodes, in document order, each once.
//!
//! Read:
//! - `$` (the root), then any number of segments;
//! - child segments: `.name`, `.*`, `['name']` / `["name"]` (escapes `\'`,
//!   `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`), `[n]`
//!   (negative `n` counts from the end), `[*]`, and unions of these
//!   (`['a','b']`, `[0,1]`, `['a',?@.x]`);
//! - descendant segments: `..name`, `..*`, `..[selectors]`;
//! - filters `[?expr]`, where `expr` is `||`, `&&`, `!`, parentheses,
//!   existence tests (`@.key`) and `==` / `!=` between relative paths and
//!   string, number, `true`, `false` and `null` literals. A relative path
//!   is `@` followed by `.name` / `['name']` segments only.
//!
//! Not read, each reported by name: slices (`[1:2]`), functions
//! (`length()`, `match()`...), `<`, `<=`, `>`, `>=`, `$` inside filters and
//! anything but names in a filter's relative path. Shorthand names may hold
//! `-` (extension keys such as `x-go-name`), which RFC 9535 does not allow.
//!
//! A selector list (a union) yields each node once, in document order,
//! rather than in selector order: an overlay applies an action to each
//! selected node once, so repeats would append or remove twice.

use serde_json::Value;

use crate::diagnostic::join;

/// A parsed target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsonPath {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Child(Vec<Selector>),
    Descendants(Vec<Selector>),
}

#[derive(Debug, Clone, PartialEq)]
enum Selector {
    Name(String),
    Index(i64),
    Wildcard,
    Filter(Expr),
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Exists(Vec<String>),
    /// `left == right` (`equal: true`) or `left != right`.
    Compare {
        left: Operand,
        equal: bool,
        right: Operand,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    /// `@` and the member names after it.
    Relative(Vec<String>),
    Literal(Value),
}

/// Why a target cannot be read: a construct outside the subset, or a
/// syntax error; the text names it and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PathError {
    pub what: String,
}

impl JsonPath {
    /// Parses a target.
    pub(crate) fn parse(text: &str) -> Result<Self, PathError> {
        let mut p = Parser {
            chars: text.chars().collect(),
            at: 0,
            operators: 0,
        };
        let segments = p.query()?;
        Ok(JsonPath { segments })
    }

    /// The pointers of the nodes of `root` the path selects, in document
    /// order, each once.
    pub(crate) fn select(&self, root: &Value) -> Vec<String> {
        let mut nodes = vec![Node {
            order: Vec::new(),
            pointer: String::new(),
            value: root,
        }];
        for segment in &self.segments {
            let mut next = Vec::new();
            for node in &nodes {
                match segment {
                    Segment::Child(selectors) => select_children(node, selectors, &mut next),
                    Segment::Descendants(selectors) => {
                        for d in descendants(node) {
                            select_children(&d, selectors, &mut next);
                        }
                    }
                }
            }
            // Deduplicated at each step: `..*..*` would otherwise grow
            // with every segment.
            next.sort_by(|a, b| a.order.cmp(&b.order));
            next.dedup_by(|a, b| a.order == b.order);
            nodes = next;
        }
        nodes.into_iter().map(|n| n.pointer).collect()
    }
}

// --- parsing ---

struct Parser {
    chars: Vec<char>,
    at: usize,
    /// `||`, `&&`, `!` and `(` read so far, against [`MAX_OPERATORS`].
    operators: usize,
}

/// The most filter operators a target may hold: filters nest as deep as
/// they have operators, and parsing, testing and dropping them recurse.
const MAX_OPERATORS: usize = 128;

fn unsupported(what: &str) -> PathError {
    PathError {
        what: format!("{what} are not supported"),
    }
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        self.at += usize::from(c.is_some());
        c
    }

    fn skip_blank(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.at += 1;
        }
    }

    /// "expected X at character N, found Y".
    fn expected(&self, what: &str) -> PathError {
        let found = match self.peek() {
            Some(c) => format!("`{c}`"),
            None => "the end".to_string(),
        };
        PathError {
            what: format!(
                "expected {what} at character {}, found {found}",
                self.at + 1
            ),
        }
    }

    fn eat(&mut self, c: char, what: &str) -> Result<(), PathError> {
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    fn query(&mut self) -> Result<Vec<Segment>, PathError> {
        if self.peek() == Some('@') {
            return Err(PathError {
                what: "`@` is the current node of a filter; a target starts with `$`".into(),
            });
        }
        self.eat('$', "`$`")?;
        let mut segments = Vec::new();
        loop {
            self.skip_blank();
            match self.peek() {
                None => return Ok(segments),
                Some('.') if self.peek_at(1) == Some('.') => {
                    self.at += 2;
                    segments.push(Segment::Descendants(self.descendant_selectors()?));
                }
                Some('.') => {
                    self.at += 1;
                    segments.push(Segment::Child(vec![self.dot_selector()?]));
                }
                Some('[') => segments.push(Segment::Child(self.bracket()?)),
                Some(_) => return Err(self.expected("`.`, `..` or `[`")),
            }
        }
    }

    fn descendant_selectors(&mut self) -> Result<Vec<Selector>, PathError> {
        if self.peek() == Some('[') {
            self.bracket()
        } else {
            Ok(vec![self.dot_selector()?])
        }
    }

    /// What follows `.` or `..`: a name or `*`.
    fn dot_selector(&mut self) -> Result<Selector, PathError> {
        if self.peek() == Some('*') {
            self.at += 1;
            return Ok(Selector::Wildcard);
        }
        let name = self.shorthand_name()?;
        if self.peek() == Some('(') {
            return Err(unsupported(&format!("functions (`{name}()`)")));
        }
        Ok(Selector::Name(name))
    }

    fn shorthand_name(&mut self) -> Result<String, PathError> {
        let first = |c: char| c.is_alphabetic() || c == '_' || !c.is_ascii();
        if !self.peek().is_some_and(first) {
            return Err(self.expected("a name or `*`"));
        }
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| first(c) || c.is_ascii_digit() || c == '-')
        {
            self.at += 1;
        }
        Ok(self.chars[start..self.at].iter().collect())
    }

    /// `[selector, selector...]`.
    fn bracket(&mut self) -> Result<Vec<Selector>, PathError> {
        self.eat('[', "`[`")?;
        let mut selectors = Vec::new();
        loop {
            self.skip_blank();
            selectors.push(self.selector()?);
            self.skip_blank();
            match self.peek() {
                Some(',') => self.at += 1,
                Some(']') => {
                    self.at += 1;
                    return Ok(selectors);
                }
                Some(':') => return Err(unsupported("slices (`[start:end]`)")),
                _ => return Err(self.expected("`,` or `]`")),
            }
        }
    }

    fn selector(&mut self) -> Result<Selector, PathError> {
        match self.peek() {
            Some('\'' | '"') => Ok(Selector::Name(self.string()?)),
            Some('*') => {
                self.at += 1;
                Ok(Selector::Wildcard)
            }
            Some('?') => {
                self.at += 1;
                self.skip_blank();
                Ok(Selector::Filter(self.or()?))
            }
            Some(':') => Err(unsupported("slices (`[start:end]`)")),
            Some(c) if c == '-' || c.is_ascii_digit() => Ok(Selector::Index(self.index()?)),
            _ => Err(self.expected("a quoted name, an index, `*` or `?filter`")),
        }
    }

    fn index(&mut self) -> Result<i64, PathError> {
        let start = self.at;
        if self.peek() == Some('-') {
            self.at += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        let digits = text.trim_start_matches('-');
        // RFC 9535 writes indexes without leading zeros, and `-0` not at all.
        let canonical = text == "0" || (!digits.is_empty() && !digits.starts_with('0'));
        match text.parse::<i64>() {
            Ok(n) if canonical => Ok(n),
            _ => {
                self.at = start;
                Err(self.expected("an index (an integer without leading zeros)"))
            }
        }
    }

    /// A quoted string, its escapes decoded.
    fn string(&mut self) -> Result<String, PathError> {
        let Some(quote) = self.bump() else {
            return Err(self.expected("a quoted string"));
        };
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.expected(&format!("the closing {quote}"))),
                Some(c) if c == quote => return Ok(out),
                Some('\\') => out.push(self.escape()?),
                Some(c) => out.push(c),
            }
        }
    }

    /// The character an escape (after its `\`) stands for.
    fn escape(&mut self) -> Result<char, PathError> {
        let c = match self.bump() {
            Some(c @ ('\'' | '"' | '\\' | '/')) => c,
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => return self.unicode_escape(),
            _ => {
                self.at = self.at.saturating_sub(1);
                return Err(self.expected("an escape (`\\'`, `\\\"`, `\\\\`, `\\n`, `\\uXXXX`...)"));
            }
        };
        Ok(c)
    }

    /// `XXXX` after `\u`, and the low half after a high surrogate.
    fn unicode_escape(&mut self) -> Result<char, PathError> {
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high) {
            self.eat('\\', "the low surrogate `\\uXXXX`")?;
            self.eat('u', "the low surrogate `\\uXXXX`")?;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.expected("a low surrogate (`\\uDC00` to `\\uDFFF`)"));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.expected("a Unicode scalar value"))
    }

    fn hex4(&mut self) -> Result<u32, PathError> {
        let mut code = 0;
        for _ in 0..4 {
            let Some(digit) = self.peek().and_then(|c| c.to_digit(16)) else {
                return Err(self.expected("four hexadecimal digits"));
            };
            self.at += 1;
            code = code * 16 + digit;
        }
        Ok(code)
    }

    // --- filters ---

    /// Counts an operator; too many is an error (see [`MAX_OPERATORS`]).
    fn operator(&mut self) -> Result<(), PathError> {
        self.operators += 1;
        if self.operators > MAX_OPERATORS {
            return Err(unsupported(&format!(
                "filters with more than {MAX_OPERATORS} operators"
            )));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, PathError> {
        let mut left = self.and()?;
        while self.peek() == Some('|') {
            self.eat_pair('|')?;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, PathError> {
        let mut left = self.unary()?;
        while self.peek() == Some('&') {
            self.eat_pair('&')?;
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    /// `||` or `&&`, and the blanks after it.
    fn eat_pair(&mut self, c: char) -> Result<(), PathError> {
        self.operator()?;
        self.at += 1;
        self.eat(c, &format!("`{c}{c}`"))?;
        self.skip_blank();
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr, PathError> {
        let expr = match self.peek() {
            Some('!') => {
                self.operator()?;
                self.at += 1;
                self.skip_blank();
                Expr::Not(Box::new(self.unary()?))
            }
            Some('(') => {
                self.operator()?;
                self.at += 1;
                self.skip_blank();
                let inner = self.or()?;
                self.eat(')', "`)`")?;
                inner
            }
            _ => self.test()?,
        };
        self.skip_blank();
        Ok(expr)
    }

    /// An existence test or a comparison.
    fn test(&mut self) -> Result<Expr, PathError> {
        let left = self.operand()?;
        self.skip_blank();
        let equal = match (self.peek(), self.peek_at(1)) {
            (Some('='), Some('=')) => true,
            (Some('!'), Some('=')) => false,
            (Some('='), _) => return Err(self.expected("`==`")),
            (Some('<' | '>'), _) => {
                return Err(unsupported("comparisons `<`, `<=`, `>` and `>=`"));
            }
            _ => {
                return match left {
                    Operand::Relative(names) => Ok(Expr::Exists(names)),
                    Operand::Literal(_) => Err(self.expected("`==` or `!=` after a literal")),
                };
            }
        };
        self.at += 2;
        self.skip_blank();
        let right = self.operand()?;
        Ok(Expr::Compare { left, equal, right })
    }

    fn operand(&mut self) -> Result<Operand, PathError> {
        match self.peek() {
            Some('@') => {
                self.at += 1;
                Ok(Operand::Relative(self.relative()?))
            }
            Some('$') => Err(unsupported("absolute paths (`$`) inside filters")),
            Some('\'' | '"') => Ok(Operand::Literal(Value::String(self.string()?))),
            Some(c) if c == '-' || c.is_ascii_digit() => Ok(Operand::Literal(self.number()?)),
            Some(c) if c.is_ascii_alphabetic() => self.word(),
            _ => Err(self.expected("`@`, a literal, `!` or `(`")),
        }
    }

    /// `.name` and `['name']` segments after `@`.
    fn relative(&mut self) -> Result<Vec<String>, PathError> {
        let mut names = Vec::new();
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some('.'), Some('.')) => {
                    return Err(unsupported("descendant segments (`..`) inside filters"));
                }
                (Some('.'), Some('*')) | (Some('['), Some('*')) => {
                    return Err(unsupported("wildcards inside filters"));
                }
                (Some('.'), _) => {
                    self.at += 1;
                    let name = self.shorthand_name()?;
                    if self.peek() == Some('(') {
                        return Err(unsupported(&format!("functions (`{name}()`)")));
                    }
                    names.push(name);
                }
                (Some('['), _) => names.push(self.relative_bracket()?),
                _ => return Ok(names),
            }
        }
    }

    fn relative_bracket(&mut self) -> Result<String, PathError> {
        self.at += 1;
        self.skip_blank();
        if !matches!(self.peek(), Some('\'' | '"')) {
            return Err(unsupported(
                "indexes, slices and filters inside a filter's path (only `.name` and `['name']`)",
            ));
        }
        let name = self.string()?;
        self.skip_blank();
        self.eat(']', "`]`")?;
        Ok(name)
    }

    fn number(&mut self) -> Result<Value, PathError> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        serde_json::from_str::<serde_json::Number>(&text)
            .map(Value::Number)
            .map_err(|_| {
                self.at = start;
                self.expected("a number")
            })
    }

    /// `true`, `false`, `null`, or a function's name (not supported).
    fn word(&mut self) -> Result<Operand, PathError> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.at += 1;
        }
        let word: String = self.chars[start..self.at].iter().collect();
        match word.as_str() {
            "true" => Ok(Operand::Literal(Value::Bool(true))),
            "false" => Ok(Operand::Literal(Value::Bool(false))),
            "null" => Ok(Operand::Literal(Value::Null)),
            _ if self.peek() == Some('(') => Err(unsupported(&format!("functions (`{word}()`)"))),
            _ => {
                self.at = start;
                Err(self.expected("`@`, a literal, `!` or `(`"))
            }
        }
    }
}

// --- evaluation ---

/// A selected node: where it sits (each step's position among its
/// parent's children, for document order), its pointer and its value.
struct Node<'v> {
    order: Vec<usize>,
    pointer: String,
    value: &'v Value,
}

impl<'v> Node<'v> {
    fn child(&self, position: usize, segment: impl std::fmt::Display, value: &'v Value) -> Self {
        let mut order = Vec::with_capacity(self.order.len() + 1);
        order.extend_from_slice(&self.order);
        order.push(position);
        Node {
            order,
            pointer: join(&self.pointer, segment),
            value,
        }
    }

    fn children(&self) -> Vec<Node<'v>> {
        match self.value {
            Value::Object(map) => map
                .iter()
                .enumerate()
                .map(|(i, (k, v))| self.child(i, k, v))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| self.child(i, i, v))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The node and everything under it, in document order (an explicit
/// stack: no recursion on the document's depth).
fn descendants<'v>(node: &Node<'v>) -> Vec<Node<'v>> {
    let mut out = Vec::new();
    let mut stack = vec![Node {
        order: node.order.clone(),
        pointer: node.pointer.clone(),
        value: node.value,
    }];
    while let Some(n) = stack.pop() {
        stack.extend(n.children().into_iter().rev());
        out.push(n);
    }
    out
}

fn select_children<'v>(node: &Node<'v>, selectors: &[Selector], out: &mut Vec<Node<'v>>) {
    for selector in selectors {
        match (selector, node.value) {
            (Selector::Name(name), Value::Object(map)) => {
                if let Some((i, (k, v))) = map.iter().enumerate().find(|(_, (k, _))| *k == name) {
                    out.push(node.child(i, k, v));
                }
            }
            (Selector::Index(index), Value::Array(items)) => {
                let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                let at = if *index < 0 { len + index } else { *index };
                if let Ok(i) = usize::try_from(at) {
                    if let Some(v) = items.get(i) {
                        out.push(node.child(i, i, v));
                    }
                }
            }
            (Selector::Wildcard, _) => out.extend(node.children()),
            (Selector::Filter(expr), _) => {
                out.extend(node.children().into_iter().filter(|c| expr.holds(c.value)))
            }
            _ => {}
        }
    }
}

impl Expr {
    fn holds(&self, current: &Value) -> bool {
        match self {
            Expr::Or(a, b) => a.holds(current) || b.holds(current),
            Expr::And(a, b) => a.holds(current) && b.holds(current),
            Expr::Not(e) => !e.holds(current),
            Expr::Exists(names) => relative(current, names).is_some(),
            Expr::Compare { left, equal, right } => {
                // RFC 9535: two absent values are equal, an absent and a
                // present one are not.
                let same = match (left.value(current), right.value(current)) {
                    (None, None) => true,
                    (Some(a), Some(b)) => same_value(a, b),
                    _ => false,
                };
                same == *equal
            }
        }
    }
}

impl Operand {
    fn value<'v>(&'v self, current: &'v Value) -> Option<&'v Value> {
        match self {
            Operand::Relative(names) => relative(current, names),
            Operand::Literal(v) => Some(v),
        }
    }
}

fn relative<'v>(current: &'v Value, names: &[String]) -> Option<&'v Value> {
    names.iter().try_fold(current, |node, name| node.get(name))
}

/// JSON equality with numbers compared by value (`1 == 1.0`).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, a)| y.get(k).is_some_and(|b| same_value(a, b)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn select(path: &str, doc: &Value) -> Vec<String> {
        JsonPath::parse(path).unwrap().select(doc)
    }

    fn error(path: &str) -> String {
        JsonPath::parse(path).unwrap_err().what
    }

    fn doc() -> Value {
        json!({
            "info": {"title": "t", "x-go-name": "g"},
            "paths": {
                "/a/{id}": {"get": {"operationId": "getA", "tags": ["x"]}},
                "/b~c": {"post": {"operationId": "postB", "deprecated": true}},
            },
            "tags": [{"name": "x", "n": 1}, {"name": "y", "n": 2.0}, {"name": "z"}],
        })
    }

    #[test]
    fn names_indexes_and_wildcards_select_pointers() {
        let d = doc();
        assert_eq!(select("$", &d), vec![""]);
        assert_eq!(select("$.info.title", &d), vec!["/info/title"]);
        assert_eq!(select("$.info.x-go-name", &d), vec!["/info/x-go-name"]);
        assert_eq!(
            select("$.paths['/a/{id}'].get", &d),
            vec!["/paths/~1a~1{id}/get"]
        );
        assert_eq!(select(r#"$["paths"]["/b~c"]"#, &d), vec!["/paths/~1b~0c"]);
        assert_eq!(select("$.tags[0]", &d), vec!["/tags/0"]);
        assert_eq!(select("$.tags[-1]", &d), vec!["/tags/2"]);
        assert!(select("$.tags[3]", &d).is_empty());
        assert!(select("$.tags[-4]", &d).is_empty());
        assert!(select("$.missing.x", &d).is_empty());
        assert_eq!(
            select("$.paths.*", &d),
            vec!["/paths/~1a~1{id}", "/paths/~1b~0c"]
        );
        assert_eq!(select("$.tags[*].name", &d).len(), 3);
        assert_eq!(
            select(" $ .info [ 'title' ] ".trim_start(), &d),
            vec!["/info/title"]
        );
    }

    #[test]
    fn quoted_names_decode_escapes() {
        let d = json!({"it's": 1, "a\"b": 2, "back\\slash": 3, "é": 4, "😀": 5});
        assert_eq!(select(r"$['it\'s']", &d), vec!["/it's"]);
        assert_eq!(select(r#"$["a\"b"]"#, &d), vec!["/a\"b"]);
        assert_eq!(select(r"$['back\\slash']", &d), vec!["/back\\slash"]);
        assert_eq!(select(r"$['\u00e9']", &d), vec!["/é"]);
        assert_eq!(select(r"$['\ud83d\ude00']", &d), vec!["/😀"]);
        assert_eq!(select("$.é", &d), vec!["/é"]);
    }

    #[test]
    fn descendants_come_in_document_order() {
        let d = doc();
        assert_eq!(
            select("$..operationId", &d),
            vec![
                "/paths/~1a~1{id}/get/operationId",
                "/paths/~1b~0c/post/operationId"
            ]
        );
        assert_eq!(
            select("$..name", &d),
            vec!["/tags/0/name", "/tags/1/name", "/tags/2/name"]
        );
        let all = select("$.paths..*", &d);
        assert_eq!(all.first().map(String::as_str), Some("/paths/~1a~1{id}"));
        assert_eq!(all.len(), 9);
        assert_eq!(
            select("$..[0]", &d),
            vec!["/paths/~1a~1{id}/get/tags/0", "/tags/0"]
        );
        // Overlapping descendant segments still yield each node once.
        assert_eq!(select("$..*..operationId", &d).len(), 2);
    }

    #[test]
    fn unions_yield_each_node_once_in_document_order() {
        let d = doc();
        assert_eq!(select("$.tags[2,0,0]", &d), vec!["/tags/0", "/tags/2"]);
        assert_eq!(select("$['tags','info']", &d), vec!["/info", "/tags"]);
        assert_eq!(select("$.tags[0,*]", &d).len(), 3);
    }

    #[test]
    fn filters_compare_test_and_combine() {
        let d = doc();
        let ids = |path: &str| select(path, &d);
        assert_eq!(ids("$.tags[?@.name == 'y']"), vec!["/tags/1"]);
        assert_eq!(ids("$.tags[?(@.name == \"y\")]"), vec!["/tags/1"]);
        assert_eq!(ids("$.tags[?@.name != 'y']"), vec!["/tags/0", "/tags/2"]);
        assert_eq!(ids("$.tags[?@.n == 2]"), vec!["/tags/1"]);
        assert_eq!(ids("$.tags[?@.n]"), vec!["/tags/0", "/tags/1"]);
        assert_eq!(ids("$.tags[?!@.n]"), vec!["/tags/2"]);
        assert_eq!(
            ids("$.tags[?@.n == 1 || @.name == 'z']"),
            vec!["/tags/0", "/tags/2"]
        );
        assert_eq!(ids("$.tags[?@.n && @.name != 'x']"), vec!["/tags/1"]);
        assert_eq!(ids("$.tags[?!(@.n == 1 || @.n == 2)]"), vec!["/tags/2"]);
        assert_eq!(ids("$.tags[?'x' == @['name']]"), vec!["/tags/0"]);
        assert_eq!(ids("$.tags[?@.missing == null]"), Vec::<String>::new());
        assert_eq!(
            ids("$.paths.*[?@.deprecated == true]"),
            vec!["/paths/~1b~0c/post"]
        );
        assert_eq!(
            ids("$.paths.*.*.tags[?@ == 'x']"),
            vec!["/paths/~1a~1{id}/get/tags/0"]
        );
        assert_eq!(
            ids("$..[?@.operationId == 'getA']"),
            vec!["/paths/~1a~1{id}/get"]
        );
    }

    #[test]
    fn constructs_outside_the_subset_are_named() {
        for (path, what) in [
            ("$.tags[1:2]", "slices"),
            ("$.tags[:2]", "slices"),
            ("$.tags[?length(@.name) == 1]", "functions (`length()`)"),
            ("$.tags[?match(@.name, 'x')]", "functions (`match()`)"),
            ("$.tags[?@.n < 2]", "comparisons"),
            ("$.tags[?@.n >= 2]", "comparisons"),
            ("$.tags[?@.name == $.info.title]", "absolute paths"),
            ("$.tags[?@.a[0]]", "indexes"),
            ("$.tags[?@..a]", "descendant"),
            ("$.tags[?@.*]", "wildcards"),
            ("$.length()", "functions"),
        ] {
            let e = error(path);
            assert!(
                e.contains(what) && e.contains("not supported"),
                "{path}: {e}"
            );
        }
    }

    #[test]
    fn deep_filters_are_refused_not_overflowed() {
        let deep = format!("$[?{}@.a{}]", "(".repeat(100_000), ")".repeat(100_000));
        assert!(error(&deep).contains("more than 128 operators"));
        let long = format!("$[?@.a{}]", " || @.a".repeat(100_000));
        assert!(error(&long).contains("more than 128 operators"));
        let nots = format!("$[?{}@.a]", "!".repeat(100_000));
        assert!(error(&nots).contains("more than 128 operators"));
        let fine = format!("$[?@.a{}]", " || @.b".repeat(100));
        assert!(JsonPath::parse(&fine).is_ok());
    }

    #[test]
    fn syntax_errors_say_where() {
        for (path, what) in [
            ("", "expected `$` at character 1, found the end"),
            ("@.a", "`@` is the current node"),
            ("paths", "expected `$` at character 1, found `p`"),
            ("$.", "expected a name or `*` at character 3"),
            ("$['a'", "expected `,` or `]` at character 6"),
            ("$['a]", "the closing '"),
            ("$[01]", "an index"),
            ("$[-0]", "an index"),
            ("$.a b", "expected `.`, `..` or `[` at character 5"),
            ("$[?@.a = 'x']", "expected `==` at character 8"),
            ("$[?@.a | @.b]", "`||`"),
            ("$[?'x']", "`==` or `!=` after a literal"),
            ("$[?(@.a]", "`)`"),
            (r"$['\q']", "an escape"),
        ] {
            let e = error(path);
            assert!(e.contains(what), "{path}: {e}");
        }
    }
}
