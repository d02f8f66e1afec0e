//! The source map of a strict JSON text, from a scan of its bytes.
//!
//! JSON bundles run to tens of megabytes on one line, and the YAML event
//! parse that maps any spec ([`super::yaml_map`]) is slow on them and
//! allocates a string per scalar. This scanner records exactly the entries
//! the YAML path records for the same text (see [`super::MapBuilder`]):
//!
//! - a member at its key's opening quote (a container value included);
//! - an item at its first character;
//! - the root at its first character;
//! - a mapping without a key of its own (the root, an item) then moved to
//!   its first key, as the YAML path moves it;
//! - for a duplicate key, the first member's entry, but a later duplicate
//!   still moves a keyless mapping (the YAML path's `or_insert`/`insert`).
//!
//! The scan is linear: no recursion (an explicit stack; the depth is the
//! document's), one pointer buffer pushed and truncated along the stack (the
//! map's keys are the only allocations per node), and positions from a
//! cursor moving forward with the offsets. It runs twice, to check and count,
//! then to build (see [`build`]).
//!
//! Anything that is not strict JSON (RFC 8259) gives `None`, and the caller
//! falls back to the YAML parse: a YAML flow mapping such as `{a: 1}` starts
//! like JSON. A bare carriage return does too, as YAML counts it as a line
//! break and the file's line index does not: the YAML path's positions stay
//! what they were.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::{Position, SourceFile};

/// Whether the text starts like JSON: its first non-whitespace character
/// opens an object or an array.
pub(super) fn looks_like_json(text: &str) -> bool {
    matches!(
        text.bytes()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')),
        Some(b'{' | b'[')
    )
}

/// The map of `file`'s text, or `None` if the text is not strict JSON.
///
/// A first pass checks the text and counts its nodes, allocating nothing:
/// no map is built for a text that turns out not to be JSON, and the map is
/// sized once (growing it would hash every pointer again).
pub(super) fn build(file: &SourceFile) -> Option<HashMap<String, Position>> {
    let nodes = scan::<false>(file, HashMap::new(), None)?.1;
    scan::<true>(file, HashMap::with_capacity(nodes), None).map(|(map, _)| map)
}

/// The entries of `file`'s map whose pointers are in `wanted`, in one
/// pass that allocates only for those (a few diagnostics of a large
/// document need a few entries, not a string per node); `None` if the
/// text is not strict JSON.
pub(super) fn build_only(
    file: &SourceFile,
    wanted: &HashSet<String>,
) -> Option<HashMap<String, Position>> {
    scan::<true>(file, HashMap::with_capacity(wanted.len()), Some(wanted)).map(|(map, _)| map)
}

/// One pass over the text: with `BUILD`, records the map's entries in
/// `map`; without, only checks the text. Returns the map and the count of
/// nodes (an entry's pointer may repeat, with a duplicate key).
fn scan<const BUILD: bool>(
    file: &SourceFile,
    map: HashMap<String, Position>,
    wanted: Option<&HashSet<String>>,
) -> Option<(HashMap<String, Position>, usize)> {
    let text = file.text();
    let bytes = text.as_bytes();
    let mut s = Scan {
        file,
        map,
        wanted,
        pointer: String::new(),
        keyless: String::new(),
        keyless_set: false,
        line: 0,
        chars: (0, 0),
        stop: if BUILD { token_end(text, 0) } else { 0 },
    };
    let mut nodes = 1;
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = skip_ws(bytes, 0)?;
    if BUILD {
        let root = s.position(i);
        s.record(String::new(), root, true);
    }
    let mut state = State::Value;
    loop {
        match state {
            // At a value's first byte; `pointer` is the value's, and its
            // entry is recorded.
            State::Value => {
                // A container no wanted pointer goes through: skipped whole.
                let unwanted = s.wanted.is_some_and(|w| !w.contains(s.pointer.as_str()));
                if BUILD && unwanted && matches!(byte(bytes, i), b'{' | b'[') {
                    i = skip_container(bytes, i)?;
                    state = State::After;
                    continue;
                }
                match byte(bytes, i) {
                    b'{' => {
                        if BUILD && !matches!(stack.last(), Some(Frame { object: true, .. })) {
                            s.keyless.clear();
                            s.keyless.push_str(&s.pointer);
                            s.keyless_set = true;
                        }
                        stack.push(Frame {
                            object: true,
                            len: s.pointer.len(),
                            index: 0,
                        });
                        i = skip_ws(bytes, i + 1)?;
                        if byte(bytes, i) == b'}' {
                            i += 1;
                            stack.pop();
                            state = State::After;
                        } else {
                            state = State::Member;
                        }
                        continue;
                    }
                    b'[' => {
                        stack.push(Frame {
                            object: false,
                            len: s.pointer.len(),
                            index: 0,
                        });
                        i = skip_ws(bytes, i + 1)?;
                        if byte(bytes, i) == b']' {
                            i += 1;
                            stack.pop();
                            state = State::After;
                        } else {
                            state = State::Item;
                        }
                        continue;
                    }
                    b'"' => i = string(text, i, None)?,
                    b't' => i = literal(bytes, i, b"true")?,
                    b'f' => i = literal(bytes, i, b"false")?,
                    b'n' => i = literal(bytes, i, b"null")?,
                    b'-' | b'0'..=b'9' => i = number(bytes, i)?,
                    _ => return None,
                }
                state = State::After;
            }
            // At a member's key, in an object.
            State::Member => {
                if byte(bytes, i) != b'"' {
                    return None;
                }
                nodes += 1;
                if BUILD {
                    let key = s.position(i);
                    s.pointer.truncate(stack.last()?.len);
                    if s.keyless_set && s.keyless == s.pointer {
                        s.record_current(key, true);
                        s.keyless_set = false;
                    }
                    s.pointer.push('/');
                    i = string(text, i, Some(&mut s.pointer))?;
                    s.record_current(key, false);
                } else {
                    i = string(text, i, None)?;
                }
                i = skip_ws(bytes, i)?;
                if byte(bytes, i) != b':' {
                    return None;
                }
                i = skip_ws(bytes, i + 1)?;
                state = State::Value;
            }
            // At an item's first byte, in an array.
            State::Item => {
                nodes += 1;
                if BUILD {
                    let frame = stack.last_mut()?;
                    s.pointer.truncate(frame.len);
                    // Writing to a `String` cannot fail.
                    let _ = write!(s.pointer, "/{}", frame.index);
                    frame.index += 1;
                    let pos = s.position(i);
                    s.record_current(pos, false);
                }
                state = State::Value;
            }
            // Just past a value.
            State::After => {
                i = skip_ws(bytes, i)?;
                let Some(frame) = stack.last() else {
                    return (i == bytes.len()).then_some((s.map, nodes));
                };
                match (byte(bytes, i), frame.object) {
                    (b',', object) => {
                        i = skip_ws(bytes, i + 1)?;
                        state = if object { State::Member } else { State::Item };
                    }
                    (b'}', true) | (b']', false) => {
                        i += 1;
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum State {
    Value,
    Member,
    Item,
    After,
}

/// An open object or array.
struct Frame {
    object: bool,
    /// The byte length of its pointer (a prefix of the pointer buffer).
    len: usize,
    /// The next item's index (arrays).
    index: usize,
}

struct Scan<'a> {
    file: &'a SourceFile,
    map: HashMap<String, Position>,
    /// Only these pointers' entries (`None`: every node's).
    wanted: Option<&'a HashSet<String>>,
    /// The current value's pointer.
    pointer: String,
    /// The YAML path's `keyless_mapping`: the pointer of the last mapping
    /// opened without a key, until its first key.
    keyless: String,
    keyless_set: bool,
    /// The cursor: the 0-based line of the last offset asked for, and (in a
    /// text that is not ASCII) a byte offset with its character index.
    line: usize,
    chars: (usize, usize),
    /// The first token end (whitespace, `:`, `,`, `}`, `]`) at or after the
    /// last offset asked for: nested openings (`[[[[`) share one token,
    /// which is walked once.
    stop: usize,
}

impl Scan<'_> {
    /// Records the current pointer's entry: replacing an earlier one
    /// (`replace`, a keyless mapping moved to its first key) or not (the
    /// first of duplicate keys stays).
    fn record_current(&mut self, at: Position, replace: bool) {
        if self
            .wanted
            .is_some_and(|w| !w.contains(self.pointer.as_str()))
        {
            return;
        }
        let pointer = self.pointer.clone();
        self.record(pointer, at, replace);
    }

    fn record(&mut self, pointer: String, at: Position, replace: bool) {
        if self.wanted.is_some_and(|w| !w.contains(pointer.as_str())) {
            return;
        }
        if replace {
            self.map.insert(pointer, at);
        } else {
            self.map.entry(pointer).or_insert(at);
        }
    }

    /// The position of byte `offset`, not before any offset asked for
    /// before: what `SourceFile::position_of_offset` gives, in amortized
    /// constant time.
    fn position(&mut self, offset: usize) -> Position {
        let lines = &self.file.lines;
        let starts = &lines.line_starts;
        while starts.get(self.line + 1).is_some_and(|&s| s <= offset) {
            self.line += 1;
        }
        let column = if lines.ascii() {
            offset - starts[self.line] + 1
        } else {
            let (from, index) = self.chars;
            let index = index
                + self.file.text.as_bytes()[from..offset]
                    .iter()
                    .filter(|&&b| b & 0xC0 != 0x80)
                    .count();
            self.chars = (offset, index);
            index - lines.line_chars[self.line] + 1
        };
        if self.stop < offset {
            self.stop = token_end(&self.file.text, offset);
        }
        Position {
            line: self.line + 1,
            column,
            offset,
            len: (self.stop - offset).max(1),
        }
    }
}

/// Where the token starting at `from` ends, as `SourceFile::token_len` reads
/// a token.
fn token_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, ':' | ',' | '}' | ']'))
        .map_or(text.len(), |(i, _)| from + i)
}

/// The byte at `i`, or 0 (never valid there) past the end.
fn byte(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).copied().unwrap_or(0)
}

/// Past JSON whitespace; `None` at a carriage return without its newline.
/// Past the object or array opening at `i`, looking at nothing inside
/// but strings and brackets; `None` where the text is not JSON as the
/// full scan would say (an unclosed container, a bare carriage return).
fn skip_container(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        match *bytes.get(i)? {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' => loop {
                i += 1;
                match *bytes.get(i)? {
                    b'\\' => i += 1,
                    b'"' => break,
                    _ => {}
                }
            },
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => return None,
            _ => {}
        }
        i += 1;
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match byte(bytes, i) {
            b' ' | b'\t' | b'\n' => i += 1,
            b'\r' if byte(bytes, i + 1) == b'\n' => i += 2,
            b'\r' => return None,
            _ => return Some(i),
        }
    }
}

fn literal(bytes: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    bytes[i..].starts_with(word).then_some(i + word.len())
}

/// Past a number at `i` (RFC 8259's grammar).
fn number(bytes: &[u8], mut i: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        let start = i;
        while byte(bytes, i).is_ascii_digit() {
            i += 1;
        }
        (i > start).then_some(i)
    };
    if byte(bytes, i) == b'-' {
        i += 1;
    }
    i = match byte(bytes, i) {
        b'0' => i + 1,
        b'1'..=b'9' => digits(i)?,
        _ => return None,
    };
    if byte(bytes, i) == b'.' {
        i = digits(i + 1)?;
    }
    if matches!(byte(bytes, i), b'e' | b'E') {
        i += 1;
        if matches!(byte(bytes, i), b'+' | b'-') {
            i += 1;
        }
        i = digits(i)?;
    }
    Some(i)
}

/// Past the string whose opening quote is at `i`; with `key`, appends its
/// unescaped text to it as an escaped pointer segment.
fn string(text: &str, mut i: usize, mut key: Option<&mut String>) -> Option<usize> {
    let bytes = text.as_bytes();
    i += 1;
    let mut run = i;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                if let Some(key) = key.as_deref_mut() {
                    push_segment(key, &text[run..i]);
                }
                return Some(i + 1);
            }
            b'\\' => {
                let (c, next) = escape(bytes, i)?;
                if let Some(key) = key.as_deref_mut() {
                    push_segment(key, &text[run..i]);
                    push_char(key, c);
                }
                i = next;
                run = i;
            }
            0..=0x1F => return None,
            _ => i += 1,
        }
    }
}

/// The character escaped at `i` (a backslash) and the offset past it. A
/// surrogate pair is one character; a lone surrogate is not text.
fn escape(bytes: &[u8], i: usize) -> Option<(char, usize)> {
    let c = match byte(bytes, i + 1) {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let high = hex4(bytes, i + 2)?;
            return match high {
                0xD800..=0xDBFF => {
                    if !bytes[i + 6..].starts_with(b"\\u") {
                        return None;
                    }
                    let low = hex4(bytes, i + 8)?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return None;
                    }
                    let c = char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?;
                    Some((c, i + 12))
                }
                _ => Some((char::from_u32(high)?, i + 6)),
            };
        }
        _ => return None,
    };
    Some((c, i + 2))
}

fn hex4(bytes: &[u8], i: usize) -> Option<u32> {
    let digits = bytes.get(i..i + 4)?;
    digits
        .iter()
        .try_fold(0, |n, &b| Some(n * 16 + char::from(b).to_digit(16)?))
}

/// Appends `segment` escaped for a JSON pointer (RFC 6901).
fn push_segment(out: &mut String, segment: &str) {
    if segment.contains(['~', '/']) {
        segment.chars().for_each(|c| push_char(out, c));
    } else {
        out.push_str(segment);
    }
}

fn push_char(out: &mut String, c: char) {
    match c {
        '~' => out.push_str("~0"),
        '/' => out.push_str("~1"),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::super::yaml_map;
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.json", text.to_string())
    }

    /// The JSON scanner's map, which must exist and equal the YAML path's.
    #[track_caller]
    fn same_as_yaml(text: &str) -> HashMap<String, Position> {
        let f = file(text);
        let json = build(&f).unwrap_or_else(|| panic!("not strict JSON: {text:?}"));
        assert_eq!(json, yaml_map(&f), "for {text:?}");
        json
    }

    const PRETTY: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "T", "version": "1"},
  "paths": {
    "/a/{b}": {
      "get": {
        "tags": ["x", "y"],
        "parameters": [
          {"name": "b", "in": "path", "required": true, "schema": {"type": "string"}},
          {},
          [],
          [[1, 2], {"n": null}]
        ],
        "responses": {"200": {"description": "ok"}}
      }
    }
  },
  "x-~tilde/slash": {"~": 1, "/": 2, "~1": false}
}
"#;

    #[test]
    fn handcrafted_documents_map_as_the_yaml_path_does() {
        let minified: String = {
            let mut out = String::new();
            let mut in_string = false;
            let mut escaped = false;
            for c in PRETTY.chars() {
                if in_string {
                    in_string = escaped || c != '"';
                    escaped = !escaped && c == '\\';
                } else if c == '"' {
                    in_string = true;
                } else if c.is_whitespace() {
                    continue;
                }
                out.push(c);
            }
            out
        };
        let docs = [
            PRETTY.to_string(),
            minified.clone(),
            PRETTY.replace('\n', "\r\n"),
            PRETTY.replace("  ", "\t"),
            format!("  \n\t{minified}\r\n \n"),
            // Escaped keys.
            r#"{"a\"b": 1, "new\nline": 2, "tab\t": 3, "\u00e9\u00E9": 4, "slash\/": 5,
               "~til/de": {"x~1": [1]}, "\\": {"\b\f\r": [true]}, "": {"": ""},
               "\u007e\u002f": 6, "mixed é \u65e5 😀": 7}"#
                .to_string(),
            // Multi-byte characters before keys and items on the same line.
            r#"{"é": {"日本語": ["ü", {"ß": null}, "😀😀"]}, "k": "ǅ", "after": [true, "x"]}"#
                .to_string(),
            "{\"a\": \"x\u{a0}y\u{2028}z\", \"b\u{3000}c\": [\"\u{85}\", 1]}".to_string(),
            // Empty containers, at the root and inside.
            "{}".to_string(),
            "[]".to_string(),
            "[{}]".to_string(),
            "[[]]".to_string(),
            r#"{"a": {}, "b": [], "c": [{}, [], [[]], {"d": {}}, [{}]]}"#.to_string(),
            // Numbers and literals.
            "[0, -0, 1.5, -2e10, 3E+2, 4.25e-3, 123456789012345678901234567890, -0.0e-0]"
                .to_string(),
            r#"{"t": true, "f": false, "n": null, "l": [true, false, null]}"#.to_string(),
            // Arrays of objects (a keyless mapping moves to its first key).
            r#"[{"a": 1}, {"b": [{"c": 2}, {"d": {"e": [{}]}}]}, {"f": 3}]"#.to_string(),
            "[\n  {\n    \"a\": 1\n  },\n  [\n    {\"b\": 2}\n  ]\n]".to_string(),
            // Duplicate keys, and a keyless mapping that stayed empty.
            r#"{"a": 1, "a": {"x": 1}, "b": [{"y": 1}], "b": [{"z": 2}], "c": {"x": 1}, "c": {"x": 2}}"#
                .to_string(),
            r#"{"x": [{}], "x": {"0": {"k": 1}}}"#.to_string(),
            r#"[{}, {"a": 1}, {}, {"b": {}}]"#.to_string(),
            // A key apart from its colon, long keys, long lines.
            "{\"a\"\n  :\n 1, \"b\" :[ 2 ] }".to_string(),
            format!(r#"{{"{}": {{"{}": 1}}}}"#, "k".repeat(2000), "é".repeat(1500)),
            format!("[{}]", vec!["\"word\""; 500].join(",")),
            // Nested openings share one token.
            "[[[[[[1]]], [[2, [[]]]]]]]".to_string(),
            r#"{"a":{"b":{"c":[[{"d":[[[{}]]]}]]}}}"#.to_string(),
        ];
        for doc in &docs {
            same_as_yaml(doc);
        }
        let m = same_as_yaml(PRETTY);
        // The root mapping is at its first key, as on the YAML path.
        assert_eq!((m[""].line, m[""].column), (2, 3));
        let get = m["/paths/~1a~1{b}/get"];
        assert_eq!((get.line, get.column, get.len), (6, 7, 5));
        let item = m["/paths/~1a~1{b}/get/parameters/0"];
        assert_eq!((item.line, item.column), (9, 12));
        assert_eq!(m["/paths/~1a~1{b}/get/parameters/1"].column, 11);
        assert_eq!(m["/x-~0tilde~1slash/~01"].len, 4);
    }

    /// A deterministic xorshift generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const KEY_PARTS: &[&str] = &[
        "a", "name", "~", "/", "~1", "é", "日本", "😀", "\"", "\\", "\n", "\t", " ", "x y",
        "\u{7f}", "\u{a0}", "-", "0", "",
    ];

    /// A JSON string of random key parts, some characters escaped.
    fn json_string(rng: &mut Rng, out: &mut String) {
        out.push('"');
        for _ in 0..rng.below(4) {
            for c in KEY_PARTS[rng.below(KEY_PARTS.len())].chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str(["\\n", "\\u000a"][rng.below(2)]),
                    '\t' => out.push_str(["\\t", "\\u0009"][rng.below(2)]),
                    '/' if rng.below(2) == 0 => out.push_str("\\/"),
                    // YAML reads no surrogate pair: escape BMP characters only.
                    c if (c as u32) < 0x10000 && rng.below(4) == 0 => {
                        let _ = write!(out, "\\u{:04x}", c as u32);
                    }
                    c => out.push(c),
                }
            }
        }
        out.push('"');
    }

    /// Between tokens: nothing, spaces, or a line break and indentation.
    fn gap(rng: &mut Rng, style: usize, depth: usize, out: &mut String) {
        match style {
            0 => {}
            1 => out.push_str(&" ".repeat(rng.below(3))),
            2 => {
                out.push('\n');
                out.push_str(&"  ".repeat(depth));
            }
            _ => {
                out.push_str("\r\n");
                out.push_str(&"\t".repeat(depth));
            }
        }
    }

    fn json_value(rng: &mut Rng, style: usize, depth: usize, out: &mut String) {
        let kind = if depth == 0 {
            rng.below(2)
        } else if depth > 5 {
            2 + rng.below(5)
        } else {
            rng.below(7)
        };
        match kind {
            0 | 1 => {
                let object = kind == 0;
                out.push(if object { '{' } else { '[' });
                let n = rng.below(5);
                for k in 0..n {
                    if k > 0 {
                        out.push(',');
                    }
                    gap(rng, style, depth + 1, out);
                    if object {
                        json_string(rng, out);
                        gap(rng, style.min(1), depth + 1, out);
                        out.push(':');
                        gap(rng, style.min(1), depth + 1, out);
                    }
                    json_value(rng, style, depth + 1, out);
                }
                if n > 0 {
                    gap(rng, style, depth, out);
                }
                out.push(if object { '}' } else { ']' });
            }
            2 => json_string(rng, out),
            3 => out.push_str(["0", "-1", "2.5", "1e3", "-0.25E-2", "17"][rng.below(6)]),
            4 => out.push_str(["true", "false", "null"][rng.below(3)]),
            5 => out.push_str("{}"),
            _ => out.push_str("[]"),
        }
    }

    #[test]
    fn generated_documents_map_as_the_yaml_path_does() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..400 {
            let mut doc = String::new();
            if case % 5 == 0 {
                doc.push_str(" \r\n\t");
            }
            json_value(&mut rng, case % 4, 0, &mut doc);
            same_as_yaml(&doc);
        }
    }

    #[test]
    fn a_map_of_a_few_pointers_agrees_with_the_whole_map() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for case in 0..300 {
            let mut doc = String::new();
            json_value(&mut rng, case % 4, 0, &mut doc);
            let f = file(&doc);
            let Some(whole) = build(&f) else { continue };
            let mut pointers: Vec<&String> = whole.keys().collect();
            pointers.sort();
            // A few pointers and every ancestor, as `SourceFile::prepare` asks.
            let mut wanted = HashSet::new();
            for p in pointers.iter().step_by(7) {
                let mut p = p.as_str();
                loop {
                    wanted.insert(p.to_string());
                    if p.is_empty() {
                        break;
                    }
                    p = &p[..p.rfind('/').unwrap_or(0)];
                }
            }
            let few = build_only(&f, &wanted).expect("the same text is JSON");
            for p in &wanted {
                assert_eq!(few.get(p), whole.get(p), "{p} in {doc}");
            }
            assert!(few.keys().all(|k| wanted.contains(k)));
        }
    }

    #[test]
    fn a_large_minified_document_maps_in_one_pass() {
        // 25,000 paths of 8 nodes each on one line, multi-byte characters
        // all along it: about 200,000 nodes.
        let mut doc = String::from(r#"{"openapi":"3.0.3","paths":{"#);
        for k in 0..25_000 {
            if k > 0 {
                doc.push(',');
            }
            let _ = write!(
                doc,
                r#""/p{k}/é":{{"get":{{"summary":"日本{k}","responses":{{"200":{{"description":"ok","x":[{k},[{{"deep":true}}]]}}}}}}}}"#
            );
        }
        doc.push_str("}}");
        assert!(!doc.contains('\n'));
        let f = file(&doc);
        let map = build(&f).expect("strict JSON");
        assert_eq!(map.len(), 1 + 2 + 25_000 * 11);
        for k in [0, 1, 12_345, 24_999] {
            let key = format!(r#""/p{k}/é""#);
            let at = doc.find(&format!("{key}:")).unwrap();
            let pointer = format!("/paths/~1p{k}~1é/get/responses/200/x/1/0/deep");
            let deep = f.locate(&pointer).unwrap();
            let deep_at = at + doc[at..].find(r#""deep""#).unwrap();
            assert_eq!(deep, f.position_of_offset(deep_at), "{pointer}");
            assert_eq!(deep.len, 6);
            let path = map[&format!("/paths/~1p{k}~1é")];
            assert_eq!(path, f.position_of_offset(at));
            assert_eq!(path.column, doc[..at].chars().count() + 1);
            let item = map[&format!("/paths/~1p{k}~1é/get/responses/200/x/1")];
            assert_eq!(item.offset, deep_at - 2);
            assert_eq!(item.len, 8, "`[{{\"deep\"` up to the colon");
        }
    }

    #[test]
    fn deep_nesting_needs_no_recursion() {
        let depth = 3_000;
        let doc = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let f = file(&doc);
        let map = build(&f).expect("strict JSON");
        assert_eq!(map.len(), depth + 1);
        let innermost = map[&"/0".repeat(depth)];
        assert_eq!((innermost.offset, innermost.len), (depth, 1));
        let outer = map["/0"];
        assert_eq!((outer.offset, outer.len), (1, depth));
        let doc = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        let f = file(&doc);
        let map = build(&f).expect("strict JSON");
        assert_eq!(map[&"/a".repeat(depth)].offset, 5 * (depth - 1) + 1);
    }

    #[test]
    fn surrogate_pairs_make_one_character() {
        // The YAML path stops at a surrogate escape; the scanner reads it.
        let f = file(r#"{"\ud83d\ude00/": {"x": 1}, "b": 2}"#);
        let map = build(&f).unwrap();
        assert_eq!(map["/😀~1/x"].column, 20);
        assert_eq!(map["/b"].column, 29);
        assert!(build(&file(r#"{"\ud83d": 1}"#)).is_none());
        assert!(build(&file(r#"{"\ude00\ud83d": 1}"#)).is_none());
        assert!(build(&file(r#"["\ud83dx"]"#)).is_none());
    }

    #[test]
    fn what_is_not_strict_json_falls_back_to_the_yaml_path() {
        let cases = [
            // (text, pointer, line, column)
            ("{\"a\": 1,\n \"b\": 2,}", "/b", 2, 2),
            ("[1, 2,]", "/1", 1, 5),
            ("{'a': 1, 'b': 'x'}", "/b", 1, 10),
            ("{a: 1, b: {c: 2}}", "/b/c", 1, 12),
            ("{\"a\": 1} # a comment\n", "/a", 1, 2),
            ("{\"a\": 1}\n---\n", "/a", 1, 2),
            ("{\"a\": \"\\x41\", \"b\": 1}", "/b", 1, 15),
            ("{\"a\": 01, \"b\": 1}", "/b", 1, 11),
            ("{\"a\": .5, \"b\": 1}", "/b", 1, 11),
            ("{\"a\": \"x\ty\", \"b\": 1}", "/b", 1, 14),
            // YAML's line 2 is not the line index's (which breaks at `\n`
            // only): the YAML path lands on the line's start, as before.
            ("{\"a\": 1,\r\"b\": 2}", "/b", 1, 1),
            (
                "{\"a\": [1, 2], \"b\": {\"c\": [3]}} trailing",
                "/b/c/0",
                1,
                27,
            ),
        ];
        for (text, pointer, line, column) in cases {
            assert!(looks_like_json(text), "{text:?}");
            let f = file(text);
            assert!(build(&f).is_none(), "{text:?} is not strict JSON");
            let p = f
                .locate(pointer)
                .unwrap_or_else(|| panic!("{text:?}: {pointer}"));
            assert_eq!((p.line, p.column), (line, column), "{text:?}: {pointer}");
        }
        // Not JSON-like at all: the YAML path directly.
        assert!(!looks_like_json("a: {\"b\": 1}\n"));
        assert!(!looks_like_json("\u{feff}{}"));
        assert!(looks_like_json(" \r\n\t[1]"));
    }
}
