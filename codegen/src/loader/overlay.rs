//! OpenAPI Overlay 1.0: documents of `overlay: 1.0.0`, `info` and
//! `actions`, each a `target` (JSONPath, see `jsonpath.rs`) with an
//! `update` or `remove: true`, applied in order to the root document's
//! JSON tree as parsed (any version), before bundling and conversion.
//!
//! - `update` merges into each selected mapping (mappings key by key,
//!   other values replaced) and appends to each selected sequence (a
//!   sequence's items, or the value itself);
//! - `remove: true` removes each selected node from its parent (and wins
//!   over an `update` beside it, with a warning); the root cannot go;
//! - a target that selects nothing is a warning, as is an action that
//!   does nothing; `extends` is not read (the overlay applies to the spec
//!   it is given with).
//!
//! Diagnostics point into the overlay file (`/actions/2/target`). Nodes an
//! overlay adds or moves have no place in the spec's text: diagnostics
//! about them fall back to the nearest ancestor written there.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::jsonpath::JsonPath;
use super::parse::{self, kind_name};
use super::MAX_SPEC_BYTES;
use crate::diagnostic::{Diagnostic, DiagnosticKind, Diagnostics, Severity};
use crate::source::SourceFile;

/// Applies the overlays at `paths`, in order, to `doc`; returns the
/// warnings, or every error of the first overlay that has any.
pub(crate) fn apply_files(
    doc: &mut Value,
    paths: &[PathBuf],
) -> Result<Vec<Diagnostic>, Diagnostics> {
    let mut warnings = Vec::new();
    for path in paths {
        let file = read(path)?;
        warnings.extend(apply(doc, &file)?);
    }
    Ok(warnings)
}

/// The overlay at `path` as a source file.
fn read(path: &Path) -> Result<Arc<SourceFile>, Diagnostics> {
    let fail = |kind| {
        let file = Arc::new(SourceFile::new(path, String::new()));
        Diagnostics(vec![Diagnostic::error(kind, "").in_file(&file)])
    };
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.len() > MAX_SPEC_BYTES {
            return Err(fail(DiagnosticKind::TooLarge {
                bytes: meta.len(),
                limit: MAX_SPEC_BYTES,
            }));
        }
    }
    let bytes = std::fs::read(path).map_err(|e| {
        let reason = if path.is_dir() {
            "it is a directory".to_string()
        } else {
            e.to_string()
        };
        fail(DiagnosticKind::InvalidOverlay {
            message: format!("cannot read the overlay: {reason}"),
        })
    })?;
    String::from_utf8(bytes)
        .map(|text| Arc::new(SourceFile::new(path, text)))
        .map_err(|e| {
            fail(DiagnosticKind::NotUtf8 {
                offset: e.utf8_error().valid_up_to(),
            })
        })
}

/// Applies the overlay held in `file` to `doc`; returns the warnings, or
/// the errors (the document is then partly changed, and not to be used).
pub(crate) fn apply(
    doc: &mut Value,
    file: &Arc<SourceFile>,
) -> Result<Vec<Diagnostic>, Diagnostics> {
    let fail = |message: String| Diagnostics(vec![invalid(message, "").in_file(file)]);
    if file.text().trim().is_empty() {
        return Err(fail("the file is empty".into()));
    }
    let overlay = parse::parse(file).map_err(|d| Diagnostics(vec![*d]))?;
    let Value::Object(root) = &overlay else {
        let found = kind_name(&overlay);
        return Err(fail(format!("the root must be a mapping, found {found}")));
    };
    let mut diagnostics = check_header(root);
    let actions = read_actions(root, &mut diagnostics);
    if !diagnostics.iter().any(|d| d.severity == Severity::Error) {
        for action in &actions {
            diagnostics.extend(action.apply(doc));
        }
    }
    let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics
        .into_iter()
        .map(|d| d.in_file(file))
        .partition(|d| d.severity == Severity::Error);
    if errors.is_empty() {
        Ok(warnings)
    } else {
        Err(Diagnostics(errors))
    }
}

fn invalid(message: impl Into<String>, pointer: &str) -> Diagnostic {
    Diagnostic::error(
        DiagnosticKind::InvalidOverlay {
            message: message.into(),
        },
        pointer,
    )
}

/// `overlay` (an error unless 1.x) and `info` (a warning if not as the
/// specification requires: the overlay still applies without it).
fn check_header(root: &Map<String, Value>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let version = match root.get("overlay") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => Some(kind_name(other).to_string()),
        None => None,
    };
    match version {
        None => out.push(invalid(
            "no `overlay` version field: this is not an overlay document",
            "",
        )),
        Some(v) if v == "1" || v.starts_with("1.") => {}
        Some(v) => out.push(invalid(
            format!("overlay version `{v}` is not supported; 1.x is"),
            "/overlay",
        )),
    }
    let info_ok = root.get("info").is_some_and(|info| {
        ["title", "version"]
            .iter()
            .all(|k| info.get(k).is_some_and(Value::is_string))
    });
    if !info_ok {
        let pointer = if root.contains_key("info") {
            "/info"
        } else {
            ""
        };
        out.push(Diagnostic::warning(
            DiagnosticKind::InvalidOverlay {
                message: "`info` with a `title` and a `version` is required".into(),
            },
            pointer,
        ));
    }
    out
}

/// One action, checked.
struct Action {
    /// Where it is: `/actions/<n>`.
    pointer: String,
    target: String,
    path: JsonPath,
    update: Option<Value>,
    remove: bool,
}

/// Every action of `actions`; problems go to `out`.
fn read_actions(root: &Map<String, Value>, out: &mut Vec<Diagnostic>) -> Vec<Action> {
    let items = match root.get("actions") {
        None => {
            out.push(invalid(
                "no `actions`: an overlay lists what it changes",
                "",
            ));
            return Vec::new();
        }
        Some(Value::Array(items)) => items,
        Some(other) => {
            let found = kind_name(other);
            out.push(invalid(
                format!("`actions` must be a sequence, found {found}"),
                "/actions",
            ));
            return Vec::new();
        }
    };
    if items.is_empty() {
        out.push(action_warning(
            "`actions` is empty: the overlay changes nothing",
            "/actions",
        ));
    }
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| read_action(format!("/actions/{i}"), item, out))
        .collect()
}

fn read_action(pointer: String, item: &Value, out: &mut Vec<Diagnostic>) -> Option<Action> {
    let Value::Object(fields) = item else {
        let found = kind_name(item);
        out.push(invalid(
            format!("an action must be a mapping, found {found}"),
            &pointer,
        ));
        return None;
    };
    let target = match fields.get("target") {
        Some(Value::String(t)) => t.clone(),
        Some(other) => {
            let found = kind_name(other);
            out.push(invalid(
                format!("`target` must be a JSONPath string, found {found}"),
                &format!("{pointer}/target"),
            ));
            return None;
        }
        None => {
            out.push(invalid("the action has no `target`", &pointer));
            return None;
        }
    };
    let remove = match fields.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            let found = kind_name(other);
            out.push(invalid(
                format!("`remove` must be a boolean, found {found}"),
                &format!("{pointer}/remove"),
            ));
            return None;
        }
    };
    let path = match JsonPath::parse(&target) {
        Ok(path) => path,
        Err(e) => {
            out.push(Diagnostic::error(
                DiagnosticKind::UnsupportedJsonPath {
                    target,
                    what: e.what,
                },
                format!("{pointer}/target"),
            ));
            return None;
        }
    };
    let update = fields.get("update").cloned();
    if remove && update.is_some() {
        out.push(action_warning(
            "the action has both `update` and `remove: true`: the selected nodes are removed",
            &pointer,
        ));
    } else if !remove && update.is_none() {
        out.push(action_warning(
            "the action has neither `update` nor `remove: true`: it changes nothing",
            &pointer,
        ));
    }
    Some(Action {
        pointer,
        target,
        path,
        update,
        remove,
    })
}

fn action_warning(message: &str, pointer: &str) -> Diagnostic {
    Diagnostic::warning(
        DiagnosticKind::OverlayAction {
            message: message.into(),
        },
        pointer,
    )
}

fn action_error(message: String, pointer: String) -> Diagnostic {
    Diagnostic::error(DiagnosticKind::OverlayAction { message }, pointer)
}

impl Action {
    /// Applies the action to `doc` as earlier actions left it.
    fn apply(&self, doc: &mut Value) -> Vec<Diagnostic> {
        let selected = self.path.select(doc);
        let target_pointer = format!("{}/target", self.pointer);
        if selected.is_empty() {
            return vec![Diagnostic::warning(
                DiagnosticKind::OverlayNoMatch {
                    target: self.target.clone(),
                },
                target_pointer,
            )];
        }
        let result = if self.remove {
            remove_all(doc, &selected)
        } else if let Some(update) = &self.update {
            update_all(doc, &selected, update)
        } else {
            Ok(())
        };
        match result {
            Ok(()) => Vec::new(),
            Err(message) => vec![action_error(message, target_pointer)],
        }
    }
}

/// Removes the nodes at `pointers` (in document order), last first so
/// that removing an item does not shift the index of one still to go.
fn remove_all(doc: &mut Value, pointers: &[String]) -> Result<(), String> {
    if pointers.iter().any(String::is_empty) {
        return Err("the target selects the root `$`, which cannot be removed".into());
    }
    for pointer in pointers.iter().rev() {
        remove(doc, pointer);
    }
    Ok(())
}

fn remove(doc: &mut Value, pointer: &str) {
    let Some(split) = pointer.rfind('/') else {
        return;
    };
    let last = pointer[split + 1..].replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(&pointer[..split]) {
        // `shift_remove` keeps the other keys' order (the document's).
        Some(Value::Object(map)) => {
            map.shift_remove(&last);
        }
        Some(Value::Array(items)) => {
            if let Some(i) = last.parse::<usize>().ok().filter(|i| *i < items.len()) {
                items.remove(i);
            }
        }
        _ => {}
    }
}

/// Applies `update` to each node at `pointers`, in document order; the
/// first node it cannot apply to stops the action.
fn update_all(doc: &mut Value, pointers: &[String], update: &Value) -> Result<(), String> {
    for pointer in pointers {
        // An earlier node's update may have replaced this one.
        let Some(node) = doc.pointer_mut(pointer) else {
            continue;
        };
        let shown = if pointer.is_empty() {
            "the root"
        } else {
            pointer
        };
        match (node, update) {
            (Value::Object(target), Value::Object(fields)) => merge(target, fields),
            (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
            (Value::Array(items), value) => items.push(value.clone()),
            (Value::Object(_), other) => {
                return Err(format!(
                    "`update` must be a mapping to merge into the mapping at `{shown}`, found {}",
                    kind_name(other)
                ));
            }
            (other, _) => {
                return Err(format!(
                    "the target selects {} at `{shown}`; `update` applies to mappings and sequences (select the parent mapping and update the key)",
                    kind_name(other)
                ));
            }
        }
    }
    Ok(())
}

/// Merges `update` into `target`: mappings key by key, other values
/// replaced (a replaced key keeps its place).
fn merge(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(fields)) => merge(inner, fields),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::new("o.yaml", text.to_string()))
    }

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "Pets", "version": "1"},
            "tags": [{"name": "pets"}],
            "paths": {
                "/pets": {"get": {"operationId": "listPets", "tags": ["pets"]}},
                "/pets/{id}": {"get": {"operationId": "getPet"}, "delete": {"operationId": "deletePet"}},
            },
        })
    }

    const HEAD: &str = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\n";

    fn apply_text(doc: &mut Value, actions: &str) -> Result<Vec<Diagnostic>, Diagnostics> {
        apply(doc, &overlay(&format!("{HEAD}actions:\n{actions}")))
    }

    fn line(d: &Diagnostic) -> usize {
        d.position().map_or(0, |p| p.line)
    }

    #[test]
    fn update_merges_and_remove_removes_in_order() {
        let mut doc = spec();
        let warnings = apply_text(
            &mut doc,
            "  - target: $.paths['/pets'].get\n    update: {operationId: findPets, summary: Find}\n  - target: $.paths['/pets/{id}'].delete\n    remove: true\n  - target: $.info\n    update: {x-a: {b: 1}}\n  - target: $.info\n    update: {x-a: {c: 2}, title: New}\n",
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let get = &doc["paths"]["/pets"]["get"];
        assert_eq!(get["operationId"], "findPets");
        assert_eq!(get["summary"], "Find");
        assert_eq!(get["tags"], json!(["pets"]));
        assert!(doc["paths"]["/pets/{id}"].get("delete").is_none());
        assert_eq!(
            doc["info"],
            json!({"title": "New", "version": "1", "x-a": {"b": 1, "c": 2}})
        );
        // Merging keeps the document's key order.
        let keys: Vec<_> = doc["info"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["title", "version", "x-a"]);
    }

    #[test]
    fn sequences_get_items_or_the_value_appended() {
        let mut doc = spec();
        apply_text(
            &mut doc,
            "  - target: $.tags\n    update: [{name: a}, {name: b}]\n  - target: $.tags\n    update: {name: c}\n  - target: $.paths.*.*.tags\n    update: extra\n",
        )
        .unwrap();
        let names: Vec<_> = doc["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].clone())
            .collect();
        assert_eq!(names, [json!("pets"), json!("a"), json!("b"), json!("c")]);
        assert_eq!(
            doc["paths"]["/pets"]["get"]["tags"],
            json!(["pets", "extra"])
        );
    }

    #[test]
    fn actions_see_earlier_actions_and_remove_many_items() {
        let mut doc = json!({"openapi": "3.0.3", "list": [1, 2, 3, 4, 5]});
        apply_text(
            &mut doc,
            "  - target: $\n    update: {x-new: {a: 1}}\n  - target: $.x-new\n    update: {b: 2}\n  - target: $.list[?@ == 2 || @ == 4]\n    remove: true\n  - target: $.list[0,-1]\n    remove: true\n",
        )
        .unwrap();
        assert_eq!(doc["x-new"], json!({"a": 1, "b": 2}));
        assert_eq!(doc["list"], json!([3]));
    }

    #[test]
    fn a_target_selecting_nothing_is_a_located_warning() {
        let mut doc = spec();
        let before = doc.clone();
        let warnings =
            apply_text(&mut doc, "  - target: $.paths['/nope']\n    remove: true\n").unwrap();
        assert_eq!(doc, before);
        assert_eq!(warnings.len(), 1);
        let w = &warnings[0];
        assert_eq!(w.severity, Severity::Warning);
        assert_eq!(w.kind.code(), "E0027");
        assert_eq!(w.pointer, "/actions/0/target");
        assert_eq!(w.file_name(), Some("o.yaml"));
        assert_eq!(line(w), 4);
    }

    #[test]
    fn an_unsupported_jsonpath_is_a_located_error_with_the_subset() {
        let mut doc = spec();
        let errors = apply_text(
            &mut doc,
            "  - target: $.tags\n    update: {name: x}\n  - target: $.paths[?length(@) > 1]\n    remove: true\n  - target: $.tags[0:1]\n    remove: true\n",
        )
        .unwrap_err();
        assert_eq!(doc, spec(), "nothing applies when an action is bad");
        let errors: Vec<_> = errors.iter().collect();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].kind.code(), "E0026");
        assert_eq!(errors[0].pointer, "/actions/1/target");
        assert_eq!(line(errors[0]), 6);
        assert!(errors[0]
            .kind
            .to_string()
            .contains("functions (`length()`)"));
        assert!(errors[0].kind.hint().contains("[?@.key == 'value']"));
        assert!(errors[1].kind.to_string().contains("slices"));
        assert_eq!(line(errors[1]), 8);
    }

    #[test]
    fn the_root_cannot_be_removed() {
        let mut doc = spec();
        let errors = apply_text(&mut doc, "  - target: $\n    remove: true\n").unwrap_err();
        let e = &errors.0[0];
        assert_eq!(
            (e.kind.code(), e.pointer.as_str()),
            ("E0028", "/actions/0/target")
        );
        assert!(e.kind.to_string().contains("root"));
    }

    #[test]
    fn updating_a_scalar_or_a_mapping_with_a_scalar_is_an_error() {
        let mut doc = spec();
        let errors =
            apply_text(&mut doc, "  - target: $.info.title\n    update: New\n").unwrap_err();
        assert!(errors.0[0]
            .kind
            .to_string()
            .contains("selects a string at `/info/title`"));
        let errors = apply_text(&mut doc, "  - target: $.info\n    update: New\n").unwrap_err();
        assert!(errors.0[0].kind.to_string().contains("must be a mapping"));
    }

    #[test]
    fn remove_wins_over_update_with_a_warning() {
        let mut doc = spec();
        let warnings = apply_text(
            &mut doc,
            "  - target: $.tags\n    update: [{name: x}]\n    remove: true\n  - target: $.info\n",
        )
        .unwrap();
        assert!(doc.get("tags").is_none());
        let codes: Vec<_> = warnings
            .iter()
            .map(|w| (w.kind.code(), w.pointer.as_str()))
            .collect();
        assert_eq!(codes, [("E0028", "/actions/0"), ("E0028", "/actions/1")]);
    }

    #[test]
    fn the_overlay_document_is_checked() {
        let mut doc = spec();
        let error = |text: &str| {
            let mut doc = spec();
            let e = apply(&mut doc, &overlay(text)).unwrap_err();
            (e.0[0].kind.to_string(), e.0[0].pointer.clone())
        };
        let (message, pointer) = error("info: {title: t, version: '1'}\nactions: []\n");
        assert!(message.contains("no `overlay`"), "{message}");
        assert_eq!(pointer, "");
        let (message, pointer) = error("overlay: 2.0.0\nactions: []\n");
        assert!(message.contains("`2.0.0` is not supported"), "{message}");
        assert_eq!(pointer, "/overlay");
        let (message, _) = error(HEAD);
        assert!(message.contains("no `actions`"), "{message}");
        let (message, _) = error("- a\n");
        assert!(message.contains("must be a mapping"), "{message}");
        let (message, _) = error("overlay: [1\n");
        assert!(message.contains("malformed YAML"), "{message}");
        let (message, pointer) = error(&format!("{HEAD}actions:\n  - remove: true\n  - target: 1\n  - target: $\n    remove: yes please\n"));
        assert!(message.contains("no `target`"), "{message}");
        assert_eq!(pointer, "/actions/0");
        // Version 1.x and a missing `info` (a warning) still apply.
        let warnings = apply(
            &mut doc,
            &overlay("overlay: 1.1.0\nactions:\n  - target: $.tags\n    remove: true\n"),
        )
        .unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].kind.code(), "E0025");
        assert!(doc.get("tags").is_none());
    }

    #[test]
    fn an_unreadable_overlay_file_is_an_error() {
        let mut doc = spec();
        let missing = PathBuf::from("/nonexistent/dir/o.yaml");
        let e = apply_files(&mut doc, &[missing]).unwrap_err();
        assert_eq!(e.0[0].kind.code(), "E0025");
        assert!(e.0[0].kind.to_string().contains("cannot read the overlay"));
        assert_eq!(e.0[0].file_name(), Some("/nonexistent/dir/o.yaml"));
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/overlay")
            .join(name)
    }

    #[test]
    fn fixtures_load_with_their_overlays() {
        let spec = fixture("petstore.yaml");
        let plain = crate::loader::load_file(&spec).unwrap();
        assert_eq!(plain.openapi.paths.paths.len(), 3);
        let doc = crate::loader::load_file_with_overlays(
            &spec,
            &[fixture("rename-and-remove.overlay.yaml")],
        )
        .unwrap();
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        assert_eq!(doc.openapi.paths.paths.len(), 2);
        let ids: Vec<_> = doc
            .openapi
            .operations()
            .filter_map(|(_, _, op)| op.operation_id.clone())
            .collect();
        assert!(ids.contains(&"findPets".to_string()), "{ids:?}");
        assert!(!ids.contains(&"listPets".to_string()), "{ids:?}");

        let bad = fixture("bad-target.overlay.yaml");
        let errors = crate::loader::load_file_with_overlays(&spec, &[bad]).unwrap_err();
        let e = &errors.0[0];
        assert_eq!(e.kind.code(), "E0026");
        assert!(e
            .file_name()
            .is_some_and(|f| f.ends_with("bad-target.overlay.yaml")));
        assert!(e.pointer.ends_with("/target"));
    }

    #[test]
    fn overlays_apply_to_swagger2_as_written_and_warn_into_the_document() {
        let dir = std::env::temp_dir().join(format!("codegen-overlay-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("o.yaml");
        std::fs::write(
            &path,
            format!("{HEAD}actions:\n  - target: $.definitions.Pet.properties\n    update: {{tag: {{type: string}}}}\n  - target: $.nothing\n    remove: true\n"),
        )
        .unwrap();
        let spec = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  Pet:\n    type: object\n    properties:\n      id: {type: integer}\n";
        let doc = crate::loader::load_str_with_overlays(Path::new("s.yaml"), spec.into(), &[path])
            .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let schemas = &doc.openapi.components.as_ref().unwrap().schemas;
        let openapiv3::ReferenceOr::Item(pet) = &schemas["Pet"] else {
            panic!("Pet is not inline");
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &pet.schema_kind else {
            panic!("Pet is not an object");
        };
        assert!(object.properties.contains_key("tag"));
        let codes: Vec<_> = doc.warnings.iter().map(|w| w.kind.code()).collect();
        assert_eq!(codes, ["E0027"]);
        assert!(doc.warnings[0]
            .file_name()
            .is_some_and(|f| f.ends_with("o.yaml")));
    }
}
