//! Diagnostics: what went wrong, where in the spec, and what to do about it.

pub(crate) use crate::pointer::{escape_segment, join, push_segment};
use std::fmt;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;

pub use crate::repairs::Repair;
use crate::source::{Position, SourceFile};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on; the construct was skipped or approximated.
    Warning,
    /// Generation cannot produce correct code for this spec.
    Error,
}

/// Every problem the loader or the lowering step can report.
///
/// The `Display` text is the one-line message; [`DiagnosticKind::hint`] says
/// what to do about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The spec file could not be read.
    #[error("cannot read the spec: {reason}")]
    Unreadable {
        /// Why the file could not be read.
        reason: String,
    },
    /// The spec is not UTF-8.
    #[error("the spec is not valid UTF-8 (invalid byte at offset {offset})")]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The spec holds nothing.
    #[error("the spec is empty")]
    Empty,
    /// The spec is larger than the generator reads.
    #[error("the spec is {} ({bytes} bytes); the generator reads at most {}", mib(*bytes), mib(*limit))]
    TooLarge {
        /// The spec's size in bytes.
        bytes: u64,
        /// The largest size the generator reads.
        limit: u64,
    },
    /// The YAML or JSON does not parse.
    #[error("malformed {format}: {message}")]
    Malformed {
        /// `YAML` or `JSON`.
        format: &'static str,
        /// The parser's message.
        message: String,
    },
    /// The document is not a mapping.
    #[error("the document root must be a mapping, found {found}")]
    RootNotMapping {
        /// What the root is instead.
        found: &'static str,
    },
    /// A version this generator does not read.
    #[error(
        "unsupported version `{version}`; Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2 are supported"
    )]
    UnsupportedVersion {
        /// The version the document declares.
        version: String,
    },
    /// No `openapi` field.
    #[error("the document has no `openapi` (or `swagger`) version field")]
    MissingVersion,
    /// A node does not have the shape OpenAPI gives it.
    #[error("invalid OpenAPI document: {message}")]
    InvalidDocument {
        /// The parser's message.
        message: String,
    },
    /// A `$ref` whose target does not exist.
    #[error("unresolvable $ref `{reference}`")]
    UnresolvedRef {
        /// The `$ref` as written.
        reference: String,
    },
    /// A `$ref` that is not a JSON pointer (an anchor, a `$id`).
    #[error("unsupported $ref `{reference}`: only JSON pointers (`#/a/b`, `file.yaml#/a/b`) are followed")]
    UnsupportedRef {
        /// The `$ref` as written.
        reference: String,
    },
    /// A `$ref` to another file that cannot be followed.
    #[error("cannot follow $ref `{reference}`: {reason}")]
    ExternalRef {
        /// The `$ref` as written.
        reference: String,
        /// Why (missing file, directory, network...).
        reason: String,
    },
    /// An overlay file that cannot be read or is not an Overlay 1.x document.
    #[error("invalid overlay: {message}")]
    InvalidOverlay {
        /// What is wrong with it.
        message: String,
    },
    /// An overlay action's `target` outside the JSONPath subset read.
    #[error("unsupported JSONPath `{target}`: {what}")]
    UnsupportedJsonPath {
        /// The target as written.
        target: String,
        /// The construct not supported, or the syntax error.
        what: String,
    },
    /// An overlay action whose `target` selects nothing (a warning).
    #[error("overlay target `{target}` selects nothing; the action changes nothing")]
    OverlayNoMatch {
        /// The target as written.
        target: String,
    },
    /// An overlay action that cannot be applied as written (an error), or
    /// that does less than it says (a warning).
    #[error("overlay action: {message}")]
    OverlayAction {
        /// What is wrong with it.
        message: String,
    },
    /// A construct carried over with a different or reduced meaning (a warning).
    #[error("{what}")]
    Approximated {
        /// What was changed or left out, and how.
        what: String,
    },
    /// A common mistake generated as its clear intent (a warning; an error
    /// under the strict policy).
    #[error("{what}")]
    Repaired {
        /// Which repair: its code and hint.
        repair: Repair,
        /// What was found and what was generated instead.
        what: String,
    },
    /// References that only point at each other.
    #[error("$ref cycle `{cycle}` never reaches a schema")]
    RefCycle {
        /// The references of the cycle.
        cycle: String,
    },
    /// Two operations share an operationId.
    #[error("duplicate operationId `{operation_id}` (first used at {first})")]
    DuplicateOperationId {
        /// The repeated operationId.
        operation_id: String,
        /// Where it was first used.
        first: String,
    },
    /// A path template names a parameter nobody declares.
    #[error(
        "path parameter `{name}` appears in the template `{path}` but no parameter declares it"
    )]
    UndeclaredPathParameter {
        /// The name as written in the spec.
        name: String,
        /// The path template.
        path: String,
    },
    /// A path parameter the template does not hold.
    #[error("path parameter `{name}` is declared but the template `{path}` has no `{{{name}}}`")]
    PathParameterNotInTemplate {
        /// The name as written in the spec.
        name: String,
        /// The path template.
        path: String,
    },
    /// A path parameter that is not `required: true`.
    #[error("path parameter `{name}` must be `required: true`")]
    OptionalPathParameter {
        /// The name as written in the spec.
        name: String,
    },
    /// A schema `type` OpenAPI does not define.
    #[error("unknown schema type `{type_name}`")]
    UnknownType {
        /// The type as written.
        type_name: String,
    },
    /// A security requirement naming an undefined scheme.
    #[error("unknown security scheme `{name}`")]
    UnknownSecurityScheme {
        /// The name as written in the spec.
        name: String,
    },
    /// A construct the generator does not support (an error or, with `--unsupported skip`, a warning).
    #[error("unsupported: {what}")]
    Unsupported {
        /// The construct that is not supported.
        what: String,
    },
    /// A tag filter that matches no operation.
    #[error("tag `{tag}` (from the tag filter) matches no operation")]
    UnknownTag {
        /// The tag asked for.
        tag: String,
        /// The tags the spec's operations have.
        known: Vec<String>,
    },
    /// A settings file (`codegen.toml`) or inline settings that cannot be used.
    #[error("bad setting: {message}")]
    BadSetting {
        /// What is wrong.
        message: String,
        /// What to write instead.
        hint: String,
    },
    /// A setting that names something the spec does not have.
    #[error("setting `{key}` matches nothing in the spec{}", if known.is_empty() { String::new() } else { format!(" (did you mean {}?)", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")) })]
    UnusedSetting {
        /// The setting, as a dotted key (`rename.operations.getUser`).
        key: String,
        /// The spec's names closest to it (at most three).
        known: Vec<String>,
    },
    /// An example decoded with its generated type and re-encoded the same.
    #[error("{what}: decoded and round-tripped")]
    ExampleChecked {
        /// Which example.
        what: String,
    },
    /// An example decoded, but re-encoded differently.
    #[error("{what}: decoded, but re-encoded differently:\n  {}", differences.join("\n  "))]
    ExampleDiffers {
        /// Which example.
        what: String,
        /// One line per difference.
        differences: Vec<String>,
    },
    /// An example the generated type refuses.
    #[error("{what} does not decode: at `{path}`: {message}")]
    ExampleRejected {
        /// Which example.
        what: String,
        /// serde's path into the example.
        path: String,
        /// serde's message.
        message: String,
    },
    /// An example that is not checked.
    #[error("example not checked: {why}")]
    ExampleSkipped {
        /// Why.
        why: String,
    },
    /// An example the generated server took as the spec says: a request
    /// body reached its operation, a response came back unchanged.
    #[error("{what}: {how}")]
    ExampleServed {
        /// Which example.
        what: String,
        /// What the server did with it.
        how: String,
    },
    /// A request example the generated server refused, or sent to the
    /// wrong operation.
    #[error("{what} is refused by the generated server: {message}")]
    ExampleRefusedByServer {
        /// Which example.
        what: String,
        /// The server's answer.
        message: String,
    },
    /// A response example the generated server answered differently.
    #[error("{what}: the generated server answers it differently:\n  {}", differences.join("\n  "))]
    ExampleAnsweredDifferently {
        /// Which example.
        what: String,
        /// One line per difference.
        differences: Vec<String>,
    },
    /// An operation with the method and route of an earlier one: the
    /// server cannot tell their requests apart.
    #[error("`{method} {path}` has the same route on the server as `{method} {other_path}` (operation `{other}`), which gets its requests; the client still calls it")]
    RouteShadowed {
        /// The method.
        method: String,
        /// This operation's path.
        path: String,
        /// The operation that gets the requests.
        other: String,
        /// Its path.
        other_path: String,
    },
    /// A header parameter OpenAPI says to ignore.
    #[error("header parameter `{name}` is ignored: OpenAPI says a header parameter named Accept, Content-Type or Authorization SHALL be ignored ({set_by})")]
    ReservedHeader {
        /// The parameter's name, as the spec writes it.
        name: String,
        /// What sets the header instead.
        set_by: String,
    },
    /// An operation every call of `--conformance` passed for.
    #[error(
        "{what}: {calls} call(s) pass; {negatives} invalid request(s) refused or judged valid"
    )]
    ConformancePassed {
        /// The operation (`getPet` (GET /pets/{id})).
        what: String,
        /// How many calls were made.
        calls: usize,
        /// How many negative cases were sent.
        negatives: usize,
    },
    /// An operation a call of `--conformance` failed for, or that could
    /// not be called.
    #[error("{what}: {outcome}: {message}")]
    ConformanceFailed {
        /// The operation.
        what: String,
        /// The outcome (`server refused a valid request`...).
        outcome: String,
        /// What happened.
        message: String,
    },
    /// An example not sent to the generated server.
    #[error("{what}: not checked on the server: {why}")]
    ExampleNotServed {
        /// Which example.
        what: String,
        /// Why.
        why: String,
    },
}

impl DiagnosticKind {
    /// A stable short code, for docs, tests and grepping.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "E0001",
            Self::NotUtf8 { .. } => "E0002",
            Self::Empty => "E0003",
            Self::TooLarge { .. } => "E0021",
            Self::Malformed { .. } => "E0004",
            Self::RootNotMapping { .. } => "E0005",
            Self::UnsupportedVersion { .. } => "E0008",
            Self::MissingVersion => "E0009",
            Self::InvalidDocument { .. } => "E0010",
            Self::UnresolvedRef { .. } => "E0011",
            Self::UnsupportedRef { .. } => "E0012",
            Self::RefCycle { .. } => "E0013",
            Self::DuplicateOperationId { .. } => "E0014",
            Self::UndeclaredPathParameter { .. } => "E0015",
            Self::PathParameterNotInTemplate { .. } => "E0016",
            Self::OptionalPathParameter { .. } => "E0017",
            Self::UnknownType { .. } => "E0018",
            Self::UnknownSecurityScheme { .. } => "E0019",
            Self::Unsupported { .. } => "E0020",
            Self::UnknownTag { .. } => "E0022",
            Self::BadSetting { .. } => "E0040",
            Self::UnusedSetting { .. } => "E0041",
            Self::ExampleChecked { .. } => "E0042",
            Self::ExampleDiffers { .. } => "E0043",
            Self::ExampleRejected { .. } => "E0044",
            Self::ExampleSkipped { .. } => "E0045",
            Self::ExampleServed { .. } => "E0046",
            Self::ExampleRefusedByServer { .. } => "E0047",
            Self::ExampleAnsweredDifferently { .. } => "E0048",
            Self::ExampleNotServed { .. } => "E0049",
            Self::ReservedHeader { .. } => "E0053",
            Self::ConformancePassed { .. } => "E0051",
            Self::ConformanceFailed { .. } => "E0052",
            Self::RouteShadowed { .. } => "E0050",
            Self::ExternalRef { .. } => "E0023",
            Self::Approximated { .. } => "E0024",
            Self::InvalidOverlay { .. } => "E0025",
            Self::UnsupportedJsonPath { .. } => "E0026",
            Self::OverlayNoMatch { .. } => "E0027",
            Self::OverlayAction { .. } => "E0028",
            Self::Repaired { repair, .. } => repair.code(),
        }
    }

    /// One line telling the user what to do.
    pub fn hint(&self) -> String {
        match self {
            Self::Unreadable { .. } => "check the path: it must name a readable file".into(),
            Self::NotUtf8 { .. } => "save the spec as UTF-8".into(),
            Self::Empty => "the file must hold an OpenAPI (3.0, 3.1, 3.2) or Swagger 2.0 document".into(),
            Self::TooLarge { .. } => "split the document over several files (external $refs are followed) or strip its examples".into(),
            Self::Malformed { message, .. } if message.contains("recursion limit") => {
                "the document nests deeper than the parser allows (128 levels); move deep schemas into `components` and `$ref` them".into()
            }
            Self::Malformed { message, .. } if message.contains("repetition limit") => {
                "YAML aliases expand beyond the parser's limit (an alias bomb?): write the repeated nodes out or use `$ref`".into()
            }
            Self::Malformed { format, .. } => format!("fix the {format} syntax at the marked position"),
            Self::RootNotMapping { .. } => "an OpenAPI document is a mapping with `openapi`, `info` and `paths`".into(),
            Self::UnsupportedVersion { .. } => "declare `openapi: 3.1.0` (or `3.0.3`, or `swagger: \"2.0\"`) and use that version's constructs".into(),
            Self::MissingVersion => "add `openapi: 3.1.0` (or `swagger: \"2.0\"`) at the top of the document".into(),
            Self::InvalidDocument { .. } => "compare the node with the OpenAPI specification of the document's version".into(),
            Self::UnresolvedRef { .. } => "define the target under `components`, or fix the reference's spelling".into(),
            Self::UnsupportedRef { .. } => "write the reference as a JSON pointer: `#/components/schemas/Name` or `file.yaml#/Name`".into(),
            Self::ExternalRef { reason, .. } if reason.contains("network") => "no network access: download the document and reference it by a relative path".into(),
            Self::ExternalRef { .. } => "references to other files are relative to the referencing file's directory; fix the path".into(),
            Self::Approximated { .. } => "the generated code differs from the spec here; change the spec if that matters".into(),
            Self::InvalidOverlay { message } if message.starts_with("cannot read") => {
                "check the path: it must name a readable overlay file".into()
            }
            Self::InvalidOverlay { .. } => "an overlay is a mapping with `overlay: 1.0.0`, `info` (`title`, `version`) and `actions`: a list of `target` with `update` or `remove: true`".into(),
            Self::UnsupportedJsonPath { .. } => "the JSONPath subset read: `$`, `.name`, `['name']`, `[n]` (negative too), `.*`, `[*]`, `..name`, `..*`, unions `['a','b']` and `[0,1]`, filters `[?@.key == 'value']` with `==`, `!=`, existence `[?@.key]`, `&&`, `||`, `!` and parentheses".into(),
            Self::OverlayNoMatch { .. } => "check the target against the document as the earlier actions left it (names are case-sensitive; a path is selected as `$.paths['/a/b']`)".into(),
            Self::OverlayAction { .. } => "`update` merges into the mappings and appends to the sequences the target selects; `remove: true` removes what it selects, except the root `$`".into(),
            Self::Repaired { repair, .. } => repair.hint().into(),
            Self::RefCycle { .. } => "make one of the references point to a real schema".into(),
            Self::DuplicateOperationId { .. } => "operationIds must be unique across the document; rename one".into(),
            Self::UndeclaredPathParameter { name, .. } => {
                format!("add a parameter with `name: {name}`, `in: path`, `required: true`")
            }
            Self::PathParameterNotInTemplate { name, .. } => {
                format!("add `{{{name}}}` to the path template or remove the parameter")
            }
            Self::OptionalPathParameter { .. } => "path parameters are always required in OpenAPI 3.0".into(),
            Self::UnknownType { .. } => {
                "use one of string, number, integer, boolean, array, object".into()
            }
            Self::UnknownSecurityScheme { .. } => {
                "declare it under `components/securitySchemes`".into()
            }
            Self::Unsupported { .. } => {
                "rewrite the construct, or generate with `--unsupported=skip` to leave it out".into()
            }
            Self::UnknownTag { known, .. } if known.is_empty() => {
                "the spec has no operations; drop the tag filter".into()
            }
            Self::UnknownTag { known, .. } => {
                format!("the operations' tags are: {}", known.join(", "))
            }
            Self::BadSetting { hint, .. } => hint.clone(),
            Self::UnusedSetting { .. } => {
                "fix the name (names are the spec's: operationIds, tags, schema names), or drop the setting".into()
            }
            Self::ExampleChecked { .. } => "nothing to do".into(),
            Self::ExampleDiffers { .. } => "a dropped member is a property the schema does not declare (declare it, or allow additionalProperties); a changed value is one the type stores differently".into(),
            Self::ExampleRejected { .. } => "if a JSON Schema validator accepts the example, the generator is wrong (report it); if not, the example or its schema is (cross-check: tests/examples-check/cross-check.sh)".into(),
            Self::ExampleSkipped { .. } => "only JSON examples with a `value` are decoded".into(),
            Self::ExampleServed { .. } => "nothing to do".into(),
            Self::ExampleRefusedByServer { .. } => "if a JSON Schema validator accepts the example, the generated server is wrong (report it); if not, the example or its schema is".into(),
            Self::ExampleAnsweredDifferently { .. } => "a dropped member is a property the schema does not declare; a changed status or value is the server's".into(),
            Self::RouteShadowed { .. } => "paths that differ only in parameter names are the same path (OpenAPI: such templates must not both exist); give the operations distinct paths".into(),
            Self::ReservedHeader { .. } => "the client sends `Accept` and `Content-Type` from the media types the operation documents, and `Authorization` from its security schemes; remove the parameter".into(),
            Self::ConformancePassed { .. } => "nothing to do".into(),
            Self::ConformanceFailed { outcome, .. } if outcome.starts_with("judge") => "the independent validator disagrees with the generated code: if the spec allows what it refuses, the validator is wrong; else the generator is (report it)".into(),
            Self::ConformanceFailed { .. } => "the generated client and server disagree with each other or with the spec on this operation: report it with the spec".into(),
            Self::ExampleNotServed { .. } => "the server check makes up the other inputs an operation needs; where it cannot, or the server refuses them, the example is only decoded".into(),
        }
    }
}

/// One located problem in a spec.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What the problem is (its code, message and hint).
    pub kind: DiagnosticKind,
    /// JSON pointer of the offending node (`""` is the document root).
    pub pointer: String,
    /// The spec the pointer refers to; `None` for problems before a file was read.
    pub(crate) file: Option<Arc<SourceFile>>,
    /// A position known directly (e.g. from a parser), which wins over the pointer's.
    pub(crate) at: Option<Position>,
}

impl Diagnostic {
    pub(crate) fn error(kind: DiagnosticKind, pointer: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            pointer: pointer.into(),
            file: None,
            at: None,
        }
    }

    pub(crate) fn warning(kind: DiagnosticKind, pointer: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            kind,
            pointer: pointer.into(),
            file: None,
            at: None,
        }
    }

    pub(crate) fn in_file(mut self, file: &Arc<SourceFile>) -> Self {
        self.file = Some(Arc::clone(file));
        self
    }

    pub(crate) fn at(mut self, position: Position) -> Self {
        self.at = Some(position);
        self
    }

    /// Where the problem is in the file, if it can be found.
    pub fn position(&self) -> Option<Position> {
        self.at
            .or_else(|| self.file.as_ref()?.locate(&self.pointer))
    }

    /// The spec file the problem is in (as named on the command line);
    /// `None` for problems found before a file was read.
    pub fn file_name(&self) -> Option<&str> {
        self.file.as_ref().map(|f| f.name())
    }

    /// `file:line:col` (or just the file name when no position is known).
    pub fn location(&self) -> String {
        let name = self.file.as_ref().map(|f| f.name()).unwrap_or("<input>");
        match self.position() {
            Some(p) => format!("{name}:{}:{}", p.line, p.column),
            None => name.to_string(),
        }
    }

    /// rustc-style rendering with the offending source lines.
    pub fn render(&self) -> String {
        let mut cs = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_code(self.kind.code())
        .with_message(self.kind.to_string());
        let pointer = if self.pointer.is_empty() {
            "(document root)"
        } else {
            &self.pointer
        };
        let mut notes = vec![format!("at: {pointer}")];
        let file = self.file.as_deref();
        let position = self.position();
        match (file, position) {
            // A very long line (minified JSON, a flow sequence thousands deep)
            // would flood the terminal: show the part around the column.
            (Some(file), Some(pos)) if line_len(file, pos.offset) > MAX_SHOWN_LINE => {
                notes.insert(
                    0,
                    format!(
                        "in: {}:{}:{} (a long line; the part around column {}):\n{}",
                        file.name(),
                        pos.line,
                        pos.column,
                        pos.column,
                        excerpt(file, pos)
                    ),
                );
            }
            (Some(file), Some(pos)) => {
                let end = file.text().len().min(pos.offset + pos.len.max(1));
                let start = pos.offset.min(end);
                cs = cs.with_labels(vec![Label::primary((), start..end)]);
            }
            (Some(file), None) => notes.insert(0, format!("in: {}", file.name())),
            (None, _) => {}
        }
        notes.push(format!("hint: {}", self.kind.hint()));
        cs = cs.with_notes(notes);
        let config = term::Config::default();
        let rendered = match file {
            // The file's own line index: building one per diagnostic (as
            // `SimpleFile` does) made thousands of diagnostics quadratic.
            Some(f) => term::emit_into_string(&config, &Indexed(f), &cs),
            None => term::emit_into_string(&config, &SimpleFile::new("<input>", ""), &cs),
        };
        rendered.unwrap_or_else(|_| format!("{}: {}\n", self.location(), self.kind))
    }
}

/// A spec file as codespan reads it, through its precomputed line starts.
struct Indexed<'f>(&'f SourceFile);

impl<'f> codespan_reporting::files::Files<'f> for Indexed<'f> {
    type FileId = ();
    type Name = &'f str;
    type Source = &'f str;

    fn name(&'f self, (): ()) -> Result<&'f str, codespan_reporting::files::Error> {
        Ok(self.0.name())
    }

    fn source(&'f self, (): ()) -> Result<&'f str, codespan_reporting::files::Error> {
        Ok(self.0.text())
    }

    fn line_index(
        &'f self,
        (): (),
        offset: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.0.line_index(offset))
    }

    fn line_range(
        &'f self,
        (): (),
        line: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        self.0
            .line_range(line)
            .ok_or(codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: self.0.line_index(self.0.text().len()),
            })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}: {severity}[{}]: {} (at {}; hint: {})",
            self.location(),
            self.kind.code(),
            self.kind,
            if self.pointer.is_empty() {
                "/"
            } else {
                &self.pointer
            },
            self.kind.hint()
        )
    }
}

/// A non-empty set of diagnostics that stopped generation.
#[derive(Debug, Clone, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Each diagnostic, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// All diagnostics, rendered rustc-style, one after another.
    pub fn render(&self) -> String {
        self.0
            .iter()
            .map(Diagnostic::render)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// `50.0 MiB`.
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Longest source line a rendered diagnostic quotes, in bytes.
const MAX_SHOWN_LINE: usize = 400;

/// The length of the line holding byte `offset`.
/// The byte length of the line holding `offset`, from the file's line index.
fn line_len(file: &SourceFile, offset: usize) -> usize {
    file.line_range(file.line_index(offset))
        .map_or(0, |r| r.len())
}

/// Characters shown on each side of a position in a long line.
const EXCERPT_SIDE: usize = 60;

/// `…text around the position…` and a caret line under its token, both
/// indented for a note; at most `2 * EXCERPT_SIDE` characters of the line.
fn excerpt(file: &SourceFile, pos: Position) -> String {
    let text = file.text();
    let line = file.line_range(pos.line - 1).unwrap_or(0..0);
    let line_text = text[line.clone()].trim_end_matches(['\n', '\r']);
    let at = pos.offset.clamp(line.start, line.start + line_text.len()) - line.start;
    let before: String = {
        let mut chars: Vec<char> = line_text[..at].chars().rev().take(EXCERPT_SIDE).collect();
        chars.reverse();
        chars.into_iter().collect()
    };
    let after: String = line_text[at..].chars().take(EXCERPT_SIDE).collect();
    let cut_before = before.len() < at;
    let cut_after = at + after.len() < line_text.len();
    let prefix = if cut_before { "…" } else { "" };
    let suffix = if cut_after { "…" } else { "" };
    let shown = |s: &str| s.replace(['\t', '\r'], " ");
    let caret_at = prefix.chars().count() + before.chars().count();
    let token = text[pos.offset.min(text.len())..]
        .get(..pos.len.min(after.len()).max(1))
        .map_or(1, |t| t.chars().count().max(1));
    format!(
        "    {prefix}{}{}{suffix}\n    {}{}",
        shown(&before),
        shown(&after),
        " ".repeat(caret_at),
        "^".repeat(token.min(EXCERPT_SIDE))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_escapes_what_it_appends_only() {
        assert_eq!(join("/paths/~1a", "b/c~d"), "/paths/~1a/b~1c~0d");
        assert_eq!(join("", 3), "/3");
        assert_eq!(join("/x", ""), "/x/");
        assert_eq!(join("/x", format_args!("{}/{}", "a", "b")), "/x/a~1b");
    }
}
