//! The spec's text and a source map from JSON pointers to positions.
//!
//! The map is built lazily: a spec that lowers without diagnostics never
//! pays for it. A JSON text is mapped by a one-pass scanner over its bytes
//! ([`json_map`]); anything else (or a text that starts like JSON but is not
//! strict JSON, such as a YAML flow mapping) by a second, event-only YAML
//! parse. Both give the same entries for the same JSON text.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::pointer::escape_segment;

mod json_map;

/// A place in the spec's text. `line` and `column` are 1-based; `offset` is
/// a byte offset; `len` the byte length of the node's first token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Byte offset in the file.
    pub offset: usize,
    /// Byte length of the node's first token.
    pub len: usize,
}

/// One spec file, its text and (on demand) its source map.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    lines: LineIndex,
    map: OnceLock<HashMap<String, Position>>,
    /// The map for a known few pointers and their ancestors ([`SourceFile::prepare`]).
    partial: OnceLock<(HashSet<String>, HashMap<String, Position>)>,
}

/// Characters between two entries of [`LineIndex::char_marks`]: a lookup
/// walks at most this many characters, whatever the length of the line.
const CHAR_STRIDE: usize = 64;

/// Line starts and character offsets, precomputed once so that every
/// position lookup is a binary search plus a bounded walk. Scanning a line
/// from its start instead made one-line (minified) documents quadratic.
#[derive(Debug)]
struct LineIndex {
    /// Byte offset of each line's first byte.
    line_starts: Vec<usize>,
    /// Empty when the text is ASCII (a character is a byte); else the
    /// character index of each line's first character, and the byte offset
    /// of every `CHAR_STRIDE`-th character.
    line_chars: Vec<usize>,
    char_marks: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0).chain(newline_ends(text)).collect();
        if text.is_ascii() {
            return LineIndex {
                line_starts,
                line_chars: Vec::new(),
                char_marks: Vec::new(),
            };
        }
        let mut line_chars = vec![0];
        let mut char_marks = Vec::with_capacity(text.len() / CHAR_STRIDE + 1);
        for (ci, (bi, c)) in text.char_indices().enumerate() {
            if ci % CHAR_STRIDE == 0 {
                char_marks.push(bi);
            }
            if c == '\n' {
                line_chars.push(ci + 1);
            }
        }
        LineIndex {
            line_starts,
            line_chars,
            char_marks,
        }
    }

    fn ascii(&self) -> bool {
        self.char_marks.is_empty()
    }

    /// The character index of a line's first character.
    fn line_char(&self, line: usize) -> usize {
        if self.ascii() {
            self.line_starts[line]
        } else {
            self.line_chars[line]
        }
    }

    /// The byte offset of character `ci` (the text's length past its end).
    fn byte_of_char(&self, text: &str, ci: usize) -> usize {
        if self.ascii() {
            return ci.min(text.len());
        }
        let Some(&base) = self.char_marks.get(ci / CHAR_STRIDE) else {
            return text.len();
        };
        text[base..]
            .char_indices()
            .nth(ci % CHAR_STRIDE)
            .map_or(text.len(), |(i, _)| base + i)
    }

    /// The character index of the character holding byte `offset` (a char
    /// boundary).
    fn char_of_byte(&self, text: &str, offset: usize) -> usize {
        if self.ascii() {
            return offset;
        }
        let k = self
            .char_marks
            .partition_point(|&b| b <= offset)
            .saturating_sub(1);
        let base = self.char_marks.get(k).copied().unwrap_or(0);
        k * CHAR_STRIDE + text[base..offset].chars().count()
    }
}

/// Byte offsets just past each newline.
fn newline_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i + 1)
}

impl SourceFile {
    /// `name` is what diagnostics show (usually the path as given).
    pub fn new(path: impl AsRef<Path>, text: String) -> Self {
        let path = path.as_ref().to_path_buf();
        let name = path.display().to_string();
        let lines = LineIndex::new(&text);
        SourceFile {
            name,
            text,
            lines,
            map: OnceLock::new(),
            partial: OnceLock::new(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 0-based line holding byte `offset`.
    pub(crate) fn line_index(&self, offset: usize) -> usize {
        self.lines
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The byte range of 0-based line `line` (its newline included).
    pub(crate) fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.lines.line_starts.get(line)?;
        let end = self
            .lines
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(start..end)
    }

    /// The position of a 1-based line and 1-based character column.
    pub fn position_at(&self, line: usize, column: usize) -> Position {
        let line = line.clamp(1, self.lines.line_starts.len());
        let range = self.line_range(line - 1).unwrap_or(0..0);
        let line_end = if self.text[range.clone()].ends_with('\n') {
            range.end - 1
        } else {
            range.end
        };
        let first_char = self.lines.line_char(line - 1);
        let offset = self
            .lines
            .byte_of_char(&self.text, first_char + column.saturating_sub(1))
            .clamp(range.start, line_end);
        Position {
            line,
            column: column.max(1),
            offset,
            len: self.token_len(offset),
        }
    }

    /// The byte length of the token starting at `offset` (at least 1).
    fn token_len(&self, offset: usize) -> usize {
        self.text[offset..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ':' | ',' | '}' | ']'))
            .map(char::len_utf8)
            .sum::<usize>()
            .max(1)
    }

    /// The position of a byte offset.
    pub fn position_of_offset(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_index(offset);
        let column = self.lines.char_of_byte(&self.text, offset) - self.lines.line_char(line) + 1;
        self.position_at(line + 1, column)
    }

    /// Maps only `pointers` (and their ancestors) when the text is JSON:
    /// what placing a few diagnostics needs, in one pass that allocates
    /// only for them. [`SourceFile::locate`] of another pointer still
    /// builds the whole map.
    pub(crate) fn prepare<'p>(&self, pointers: impl IntoIterator<Item = &'p str>) {
        if self.map.get().is_some() || !json_map::looks_like_json(&self.text) {
            return;
        }
        let mut wanted = HashSet::new();
        for pointer in pointers {
            let mut p = pointer;
            loop {
                if !wanted.insert(p.to_string()) || p.is_empty() {
                    break;
                }
                p = &p[..p.rfind('/').unwrap_or(0)];
            }
        }
        if let Some(map) = json_map::build_only(self, &wanted) {
            let _ = self.partial.set((wanted, map));
        }
    }

    /// Where a JSON pointer lands; falls back to the nearest ancestor that exists.
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        if let Some((wanted, map)) = self.partial.get() {
            if wanted.contains(pointer) {
                return nearest(map, pointer);
            }
        }
        let map = self.map.get_or_init(|| build_map(self));
        nearest(map, pointer)
    }
}

/// The entry of `pointer`, else of its nearest ancestor in `map`.
fn nearest(map: &HashMap<String, Position>, pointer: &str) -> Option<Position> {
    let mut p = pointer;
    loop {
        if let Some(pos) = map.get(p) {
            return Some(*pos);
        }
        if p.is_empty() {
            return None;
        }
        p = &p[..p.rfind('/').unwrap_or(0)];
    }
}

fn build_map(file: &SourceFile) -> HashMap<String, Position> {
    if json_map::looks_like_json(&file.text) {
        if let Some(map) = json_map::build(file) {
            return map;
        }
    }
    yaml_map(file)
}

/// The map from a YAML event parse (YAML is a superset of JSON, so this maps
/// any spec; [`json_map`] is its fast path for JSON).
fn yaml_map(file: &SourceFile) -> HashMap<String, Position> {
    let mut builder = MapBuilder {
        file,
        map: HashMap::new(),
        stack: Vec::new(),
        pending_key: None,
        keyless_mapping: None,
    };
    let mut parser = Parser::new_from_str(&file.text);
    // A scan error leaves a partial map, which is still useful.
    let _ = parser.load(&mut builder, false);
    builder.map
}

enum Frame {
    Map {
        pointer: String,
        expecting_key: bool,
    },
    Seq {
        pointer: String,
        index: usize,
    },
}

struct MapBuilder<'a> {
    file: &'a SourceFile,
    map: HashMap<String, Position>,
    stack: Vec<Frame>,
    /// The pointer and position of a key whose value comes next.
    pending_key: Option<(String, Position)>,
    /// A mapping without a key of its own (the root, a sequence item): the
    /// parser marks it at its first `:`, so its first key's position wins.
    keyless_mapping: Option<String>,
}

impl MapBuilder<'_> {
    fn pos(&self, mark: &Marker) -> Position {
        self.file.position_at(mark.line(), mark.col() + 1)
    }

    /// Handles a node that starts at `mark`; returns its pointer if it is a value.
    fn node(&mut self, mark: &Marker, key_text: Option<&str>) -> Option<String> {
        let pos = self.pos(mark);
        match self.stack.last_mut() {
            None => {
                self.map.entry(String::new()).or_insert(pos);
                Some(String::new())
            }
            Some(Frame::Map {
                pointer,
                expecting_key,
            }) => {
                if *expecting_key {
                    *expecting_key = false;
                    let key = key_text.unwrap_or("?");
                    let child = format!("{pointer}/{}", escape_segment(key));
                    if self.keyless_mapping.as_deref() == Some(pointer.as_str()) {
                        self.map.insert(pointer.clone(), pos);
                        self.keyless_mapping = None;
                    }
                    self.pending_key = Some((child, pos));
                    None
                } else {
                    *expecting_key = true;
                    let (child, key_pos) = self.pending_key.take()?;
                    // The key's line is where a reader looks for `name:`.
                    self.map.entry(child.clone()).or_insert(key_pos);
                    Some(child)
                }
            }
            Some(Frame::Seq { pointer, index }) => {
                let child = format!("{pointer}/{index}");
                *index += 1;
                self.map.entry(child.clone()).or_insert(pos);
                Some(child)
            }
        }
    }
}

impl MarkedEventReceiver for MapBuilder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => {
                self.node(&mark, Some(&value));
            }
            Event::Alias(_) => {
                self.node(&mark, None);
            }
            Event::MappingStart(..) => {
                let keyless = !matches!(self.stack.last(), Some(Frame::Map { .. }));
                // A mapping used as a key has no pointer; track it anyway.
                let pointer = self.node(&mark, None).unwrap_or_default();
                if keyless {
                    self.keyless_mapping = Some(pointer.clone());
                }
                self.stack.push(Frame::Map {
                    pointer,
                    expecting_key: true,
                });
            }
            Event::SequenceStart(..) => {
                let pointer = self.node(&mark, None).unwrap_or_default();
                self.stack.push(Frame::Seq { pointer, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_keys_items_and_falls_back_to_ancestors() {
        let text = "openapi: 3.0.3\npaths:\n  /a/{b}:\n    get:\n      tags: [x, y]\n".to_string();
        let f = SourceFile::new("t.yaml", text);
        let p = f.locate("/paths/~1a~1{b}/get").unwrap();
        assert_eq!((p.line, p.column), (4, 5));
        let p = f.locate("/paths/~1a~1{b}/get/tags/1").unwrap();
        assert_eq!((p.line, p.column), (5, 17));
        let p = f.locate("/paths/~1a~1{b}/get/missing").unwrap();
        assert_eq!((p.line, p.column), (4, 5));
        assert_eq!(f.locate("").map(|p| (p.line, p.column)), Some((1, 1)));
        let f = SourceFile::new("t.yaml", "a:\n  - name: x\n    in: y\n".to_string());
        assert_eq!(f.locate("/a/0").map(|p| (p.line, p.column)), Some((2, 5)));
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let f = SourceFile::new("t.yaml", "a: \"é\"\nb: 1\n".to_string());
        let p = f.locate("/b").unwrap();
        assert_eq!((p.line, p.column, p.offset), (2, 1, 8));
        assert_eq!(f.position_of_offset(8).line, 2);
        // Inside the two bytes of `é`: floors to its start.
        assert_eq!(f.position_of_offset(5).column, 5);
    }
}
