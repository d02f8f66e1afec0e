//! The spec's text and a source map from JSON pointers to positions.
//!
//! The map is built lazily: a spec that lowers without diagnostics never
//! pays for it (a second, event-only YAML parse).

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::escape_segment;

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
    line_starts: Vec<usize>,
    map: OnceLock<HashMap<String, Position>>,
}

impl SourceFile {
    /// `name` is what diagnostics show (usually the path as given).
    pub fn new(path: impl AsRef<Path>, text: String) -> Self {
        let path = path.as_ref().to_path_buf();
        let name = path.display().to_string();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name,
            text,
            line_starts,
            map: OnceLock::new(),
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
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The byte range of 0-based line `line` (its newline included).
    pub(crate) fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(start..end)
    }

    /// The position of a 1-based line and 1-based character column.
    pub fn position_at(&self, line: usize, column: usize) -> Position {
        let line = line.clamp(1, self.line_starts.len());
        let start = self.line_starts[line - 1];
        let rest = &self.text[start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        let offset = start
            + line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map(|(i, _)| i)
                .unwrap_or(line_text.len());
        let len = self.text[offset..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ':' | ',' | '}' | ']'))
            .map(char::len_utf8)
            .sum::<usize>()
            .max(1);
        Position {
            line,
            column: column.max(1),
            offset,
            len,
        }
    }

    /// The position of a byte offset.
    pub fn position_of_offset(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        self.position_at(line, column)
    }

    /// Where a JSON pointer lands; falls back to the nearest ancestor that exists.
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        let map = self.map.get_or_init(|| build_map(self));
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
}

fn build_map(file: &SourceFile) -> HashMap<String, Position> {
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
