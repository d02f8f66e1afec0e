//! Multi-file specs: every `$ref` to another file is followed and its
//! target brought into the root document, so later steps see one document.
//!
//! Referenced objects are hoisted into the section their position calls for
//! (`components/schemas`, `definitions`...) under their own name, once per
//! (file, pointer) however many routes reach them; path items, operations
//! and media types have no section in 3.0 and are inlined. Every moved
//! subtree is recorded so that diagnostics name the file it was written in.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::pointer::{ensure_object, find, segments, split_ref};
use super::walk::{mapping_refs, refs, Kind};
use crate::diagnostic::{join, Diagnostic, DiagnosticKind};
use crate::source::SourceFile;

/// The root document with every other file's referenced parts inside.
pub(crate) struct Bundle {
    pub doc: Value,
    pub files: Vec<Arc<SourceFile>>,
    pub bundled: Vec<(String, usize, String)>,
    /// Located problems (errors make loading fail).
    pub diagnostics: Vec<Diagnostic>,
}

/// Where `Kind::section` may put a hoisted object, per format.
const SECTIONS: [&str; 9] = [
    "/components/schemas",
    "/components/parameters",
    "/components/responses",
    "/components/requestBodies",
    "/components/headers",
    "/components/examples",
    "/components/links",
    "/components/callbacks",
    "/components/securitySchemes",
];
const SWAGGER2_SECTIONS: [&str; 3] = ["/definitions", "/parameters", "/responses"];

/// How deep inlined path items may nest through files (a loop guard).
const MAX_INLINE_DEPTH: usize = 32;

pub(crate) fn bundle(root_file: Arc<SourceFile>, root: Value, swagger2: bool) -> Bundle {
    let mut b = Bundler {
        swagger2,
        files: vec![root_file],
        values: vec![Tree::Unread],
        by_id: HashMap::new(),
        by_name: HashMap::new(),
        imported: HashMap::new(),
        taken: HashMap::new(),
        additions: Vec::new(),
        bundled: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut doc = root;
    let external = refs(&doc, Kind::Root, "", swagger2)
        .iter()
        .any(|(_, _, r)| !r.starts_with('#'));
    if external {
        if let Some(id) = std::fs::metadata(b.files[0].name())
            .ok()
            .and_then(|m| FileId::of(Path::new(b.files[0].name()), &m))
        {
            b.by_id.insert(id, 0);
        }
        // The names the root already uses, per section a hoisted object
        // may land in (the root itself is not copied: references into it
        // stay local).
        let sections: &[&'static str] = if swagger2 {
            &SWAGGER2_SECTIONS
        } else {
            &SECTIONS
        };
        for &section in sections {
            let existing = find(&doc, section)
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            b.taken.insert(section, existing);
        }
        b.rewrite(0, &mut doc, Kind::Root, "", "", 0);
        for (section, name, content) in std::mem::take(&mut b.additions) {
            if let Some(map) = ensure_object(&mut doc, section) {
                map.insert(name, content);
            }
        }
    }
    Bundle {
        doc,
        files: b.files,
        bundled: b.bundled,
        diagnostics: b.diagnostics,
    }
}

struct Bundler {
    swagger2: bool,
    files: Vec<Arc<SourceFile>>,
    /// Each file's parsed tree (`None` for the root, which is being rewritten).
    values: Vec<Tree>,
    /// Each file read, by its identity: the same file reached by two
    /// routes (`a/../b.yaml`, a symlink) is read once.
    by_id: HashMap<FileId, usize>,
    /// Each file read, by the (cleaned) path a reference named it with:
    /// a file reached again by the same name skips the file system (a
    /// `stat` per reference costs about as much as a small file's parse).
    by_name: HashMap<PathBuf, usize>,
    /// (file, pointer) already hoisted -> its local reference.
    imported: HashMap<(usize, String), String>,
    /// Names used per section.
    taken: HashMap<&'static str, HashSet<String>>,
    additions: Vec<(&'static str, String, Value)>,
    bundled: Vec<(String, usize, String)>,
    diagnostics: Vec<Diagnostic>,
}

/// A file's parsed tree, as bundling uses it.
enum Tree {
    /// Not parsed: the root (being rewritten; references into it stay
    /// local) or a file that failed to parse (its error is reported).
    Unread,
    Parsed(Value),
    /// Moved out whole into the bundle.
    Taken,
}

/// What a reference becomes.
enum Target {
    Local(String),
    Inline(Value),
}

impl Bundler {
    /// Rewrites every reference under `node` (written in file `file` at
    /// `at_in_file`, placed in the bundle at `at_in_bundle`).
    fn rewrite(
        &mut self,
        file: usize,
        node: &mut Value,
        kind: Kind,
        at_in_file: &str,
        at_in_bundle: &str,
        depth: usize,
    ) {
        for (holder, ref_kind, reference) in refs(node, kind, "", self.swagger2) {
            if file == 0 && reference.starts_with('#') {
                continue;
            }
            let site = format!("{at_in_file}{holder}");
            let Some(target) = self.follow(
                file,
                &site,
                &format!("{at_in_bundle}{holder}"),
                ref_kind,
                &reference,
                depth,
            ) else {
                continue;
            };
            let Some(slot) = node.pointer_mut(&holder) else {
                continue;
            };
            match target {
                Target::Local(local) => {
                    if let Some(map) = slot.as_object_mut() {
                        map.insert("$ref".into(), Value::String(local));
                    }
                }
                Target::Inline(mut content) => {
                    // The use site's own keys (summary, description) win.
                    if let (Some(c), Some(s)) = (content.as_object_mut(), slot.as_object()) {
                        for (k, v) in s {
                            if k != "$ref" {
                                c.insert(k.clone(), v.clone());
                            }
                        }
                    }
                    *slot = content;
                }
            }
        }
        // A discriminator's mapping names its schemas by reference too
        // (`dog: ./Dog.yaml`): they point at the hoisted components.
        for (at, reference) in mapping_refs(node, kind, "", self.swagger2) {
            if file == 0 && reference.starts_with('#') {
                continue;
            }
            let site = format!("{at_in_file}{at}");
            let in_bundle = format!("{at_in_bundle}{at}");
            if let Some(Target::Local(local)) =
                self.follow(file, &site, &in_bundle, Kind::Schema, &reference, depth)
            {
                if let Some(slot) = node.pointer_mut(&at) {
                    *slot = Value::String(local);
                }
            }
        }
    }

    /// Resolves one reference written in `file` at `site`.
    fn follow(
        &mut self,
        file: usize,
        site: &str,
        site_in_bundle: &str,
        kind: Kind,
        reference: &str,
        depth: usize,
    ) -> Option<Target> {
        let ref_site = join(site, "$ref");
        let Some((path, fragment)) = split_ref(reference) else {
            self.error(
                file,
                &ref_site,
                DiagnosticKind::UnsupportedRef {
                    reference: reference.into(),
                },
            );
            return None;
        };
        let target_file = if path.is_empty() {
            file
        } else {
            self.open(file, &ref_site, reference, &path)?
        };
        // Inside the root document: a local reference (a dangling one is
        // repaired later, R0005, like any other).
        if target_file == 0 {
            return Some(Target::Local(format!("#{fragment}")));
        }
        let section = kind.section(self.swagger2);
        // Already brought in: no copy of the target is made again.
        if section.is_some() {
            if let Some(local) = self.imported.get(&(target_file, fragment.clone())) {
                return Some(Target::Local(local.clone()));
            }
        }
        let Some(node) = self.node(target_file, &fragment) else {
            self.error(
                file,
                &ref_site,
                DiagnosticKind::UnresolvedRef {
                    reference: reference.into(),
                },
            );
            return None;
        };
        match section {
            Some(section) => Some(Target::Local(self.hoist(
                target_file,
                &fragment,
                kind,
                section,
                node,
            ))),
            None => {
                if depth >= MAX_INLINE_DEPTH {
                    self.error(
                        file,
                        &ref_site,
                        DiagnosticKind::RefCycle {
                            cycle: reference.into(),
                        },
                    );
                    return None;
                }
                if kind == Kind::Operation {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticKind::Approximated {
                                what: "an operation given by `$ref` (OpenAPI does not allow it; split specs do it) was read from its target".into(),
                            },
                            ref_site.clone(),
                        )
                        .in_file(&self.files[file]),
                    );
                }
                let mut content = node;
                self.bundled
                    .push((site_in_bundle.to_string(), target_file, fragment.clone()));
                self.rewrite(
                    target_file,
                    &mut content,
                    kind,
                    &fragment,
                    site_in_bundle,
                    depth + 1,
                );
                Some(Target::Inline(content))
            }
        }
    }

    /// Brings `node` (file `file` at `fragment`) into `section`; its local reference.
    fn hoist(
        &mut self,
        file: usize,
        fragment: &str,
        kind: Kind,
        section: &'static str,
        node: Value,
    ) -> String {
        let key = (file, fragment.to_string());
        if let Some(local) = self.imported.get(&key) {
            return local.clone();
        }
        let name = self.name(file, fragment, section);
        let at = join(section, &name);
        let local = format!("#{at}");
        self.imported.insert(key, local.clone());
        self.bundled.push((at.clone(), file, fragment.to_string()));
        let mut content = node;
        self.rewrite(file, &mut content, kind, fragment, &at, 0);
        self.additions.push((section, name, content));
        local
    }

    /// A name for a hoisted object: the pointer's last name, else the file
    /// stem; numbered when the section already has it.
    fn name(&mut self, file: usize, fragment: &str, section: &'static str) -> String {
        let segs = segments(fragment);
        let from_pointer = segs.last().filter(|s| {
            s.parse::<usize>().is_err() && !matches!(s.as_str(), "schema" | "items" | "content")
        });
        let stem = Path::new(self.files[file].name())
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Imported".into());
        let base = from_pointer.cloned().unwrap_or(stem);
        super::hoist::unique(self.taken.entry(section).or_default(), &base)
    }

    /// The target of a reference into `file`. A whole file is moved out of
    /// its tree rather than copied (split specs mostly reference whole
    /// files, each once: what is hoisted is found again by `imported`);
    /// a file whose tree was moved out is parsed again if another
    /// reference points into it.
    fn node(&mut self, file: usize, fragment: &str) -> Option<Value> {
        if matches!(self.values.get(file)?, Tree::Taken) {
            let again = super::parse::parse(&self.files[file]).ok()?;
            self.values[file] = Tree::Parsed(again);
        }
        let Tree::Parsed(tree) = &mut self.values[file] else {
            return None;
        };
        if fragment.is_empty() {
            let whole = std::mem::take(tree);
            self.values[file] = Tree::Taken;
            return Some(whole);
        }
        find(tree, fragment).cloned()
    }

    /// Reads (once) the file `path` names relative to file `from`.
    fn open(&mut self, from: usize, ref_site: &str, reference: &str, path: &str) -> Option<usize> {
        let fail = |this: &mut Self, reason: String| {
            this.error(
                from,
                ref_site,
                DiagnosticKind::ExternalRef {
                    reference: reference.into(),
                    reason,
                },
            );
            None
        };
        if path.contains("://") {
            return fail(self, "references over the network are not followed".into());
        }
        let base = Path::new(self.files[from].name())
            .parent()
            .unwrap_or(Path::new(""));
        let joined = clean(&base.join(path));
        if let Some(&i) = self.by_name.get(&joined) {
            return Some(i);
        }
        // One `stat` answers everything asked before reading: what the path
        // is, its size, and which file it is (a `realpath` costs a syscall
        // per path component, 10-20% of a many-file load).
        let meta = match std::fs::metadata(&joined) {
            Ok(m) => m,
            Err(e) => return fail(self, format!("cannot read `{}`: {e}", joined.display())),
        };
        if meta.is_dir() {
            return fail(self, format!("`{}` is a directory", joined.display()));
        }
        // Only regular files: a device (`/dev/zero`) or a FIFO would never end.
        if !meta.is_file() {
            return fail(
                self,
                format!("`{}` is not a regular file", joined.display()),
            );
        }
        if meta.len() > super::MAX_SPEC_BYTES {
            return fail(
                self,
                format!(
                    "`{}` is larger than {} bytes",
                    joined.display(),
                    super::MAX_SPEC_BYTES
                ),
            );
        }
        let id = FileId::of(&joined, &meta);
        if let Some(&i) = id.as_ref().and_then(|id| self.by_id.get(id)) {
            self.by_name.insert(joined, i);
            return Some(i);
        }
        let bytes = match std::fs::read(&joined) {
            Ok(b) => b,
            Err(e) => return fail(self, format!("cannot read `{}`: {e}", joined.display())),
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return fail(self, format!("`{}` is not UTF-8", joined.display()));
        };
        let source = Arc::new(SourceFile::new(&joined, text));
        let index = self.files.len();
        if let Some(id) = id {
            self.by_id.insert(id, index);
        }
        self.by_name.insert(joined, index);
        self.files.push(Arc::clone(&source));
        match super::parse::parse(&source) {
            Ok(v) => self.values.push(Tree::Parsed(v)),
            Err(d) => {
                self.values.push(Tree::Unread);
                self.diagnostics.push(*d);
            }
        }
        Some(index)
    }

    fn error(&mut self, file: usize, pointer: &str, kind: DiagnosticKind) {
        self.diagnostics
            .push(Diagnostic::error(kind, pointer).in_file(&self.files[file]));
    }
}

/// Which file a path names, whatever the route to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    /// Device and inode, from the `stat` already made.
    #[cfg(unix)]
    Inode(u64, u64),
    /// Elsewhere, the canonical path.
    #[cfg(not(unix))]
    Path(PathBuf),
}

impl FileId {
    #[cfg(unix)]
    fn of(_path: &Path, meta: &std::fs::Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId::Inode(meta.dev(), meta.ino()))
    }

    #[cfg(not(unix))]
    fn of(path: &Path, _meta: &std::fs::Metadata) -> Option<FileId> {
        std::fs::canonicalize(path).ok().map(FileId::Path)
    }
}

/// `a/b/../c` -> `a/c`, without touching the file system (the name shown
/// in diagnostics; symlinks are resolved separately to read a file once).
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if out.file_name().is_some() {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hoist_section_has_its_names_reserved() {
        let kinds = [
            Kind::Root,
            Kind::Schema,
            Kind::Parameter,
            Kind::Response,
            Kind::RequestBody,
            Kind::Header,
            Kind::Example,
            Kind::Link,
            Kind::Callback,
            Kind::PathItem,
            Kind::Operation,
            Kind::MediaType,
            Kind::SecurityScheme,
        ];
        for kind in kinds {
            if let Some(s) = kind.section(false) {
                assert!(SECTIONS.contains(&s), "{s} missing from SECTIONS");
            }
            if let Some(s) = kind.section(true) {
                assert!(
                    SWAGGER2_SECTIONS.contains(&s),
                    "{s} missing from SWAGGER2_SECTIONS"
                );
            }
        }
    }

    #[test]
    fn clean_folds_parent_segments() {
        assert_eq!(clean(Path::new("a/b/../c")), PathBuf::from("a/c"));
        assert_eq!(clean(Path::new("../x/./y")), PathBuf::from("../x/y"));
    }

    #[test]
    fn a_file_moved_out_whole_is_read_again_for_a_pointer_into_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pet.yaml"),
            "type: object\nproperties:\n  tag: {type: string, maxLength: 3}\n",
        )
        .unwrap();
        let root = dir.path().join("api.yaml");
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'pet.yaml'}\n    B: {$ref: 'pet.yaml#/properties/tag'}\n    C: {$ref: 'pet.yaml'}\n";
        std::fs::write(&root, text).unwrap();
        let doc = crate::loader::load_file(&root).unwrap();
        let schemas = &doc.openapi.components.as_ref().unwrap().schemas;
        let json = serde_json::to_value(schemas).unwrap();
        // A and C share one hoisted copy of the whole file; B is its part.
        assert_eq!(json["A"], json["C"]);
        let pet = json["A"]["$ref"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap();
        assert_eq!(json[pet]["properties"]["tag"]["maxLength"], 3);
        let tag = json["B"]["$ref"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap();
        assert_eq!(json[tag]["maxLength"], 3);
    }
}
