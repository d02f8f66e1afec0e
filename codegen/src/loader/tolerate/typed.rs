//! Reading the 3.0 tree into the document model, repairing where it
//! refuses a node instead of refusing the whole document.
//!
//! serde reports where a value failed, but an untagged enum (every
//! `ReferenceOr`, a schema's kind) hides the path below it. So the fault is
//! found by descent: the failing node is checked as its own kind, then its
//! children of known kinds one by one; the deepest failing node holds the
//! fault, at the path serde gives inside it. Each fix is local, and the
//! subtree is checked again, so a document with k faults costs about k
//! reads of their subtrees, not k reads of the document.

use std::collections::HashSet;

use openapiv3::{
    Callback, Example, Header, Link, MediaType, OpenAPI, Operation, Parameter, PathItem,
    ReferenceOr, RequestBody, Response, Schema, SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::{note, Note};
use crate::diagnostic::Repair;
use crate::loader::relocate::is_prefix;
use crate::loader::walk::{visit, Kind};

/// Fixes per document before giving up (each one is a located warning).
const MAX_FIXES: usize = 10_000;

/// What the model refused: the deepest failing node of a known kind, and
/// the place and message serde gave inside it.
struct Fault {
    node: String,
    kind: Kind,
    at: String,
    message: String,
}

/// The document model, repairing what it refuses. `Err` (pointer,
/// message) when the root itself cannot be read.
pub(crate) fn typed(doc: &mut Value, notes: &mut Vec<Note>) -> Result<OpenAPI, (String, String)> {
    let mut fixed = Fixed::default();
    let first = match read::<OpenAPI>(doc) {
        Ok(api) => return Ok(api),
        Err(e) => e,
    };
    // Unit by unit (each path item, each component), so that a fault
    // costs a read of its unit.
    for (pointer, kind) in units(doc) {
        while fixed.count < MAX_FIXES {
            match locate(doc, &pointer, kind) {
                Some(fault) => {
                    if !fix(doc, fault, notes, &mut fixed) {
                        break;
                    }
                }
                None => break,
            }
        }
    }
    let mut last = first;
    while fixed.count < MAX_FIXES {
        match read::<OpenAPI>(doc) {
            Ok(api) => return Ok(api),
            Err(e) => last = e,
        }
        let Some(fault) = locate(doc, "", Kind::Root) else {
            break;
        };
        if !fix(doc, fault, notes, &mut fixed) {
            break;
        }
    }
    Err(last)
}

/// The root's children of known kinds: path items and components.
fn units(doc: &Value) -> Vec<(String, Kind)> {
    let mut all = Vec::new();
    visit(doc, Kind::Root, "", false, &mut |p, k, _| {
        all.push((p.to_string(), k))
    });
    direct_children("", all)
}

/// Of a pre-order list of nodes under `parent` (itself first), those with
/// no other listed node between them and `parent`.
fn direct_children(parent: &str, all: Vec<(String, Kind)>) -> Vec<(String, Kind)> {
    let mut out: Vec<(String, Kind)> = Vec::new();
    for (p, k) in all {
        if p == parent {
            continue;
        }
        if out.last().is_some_and(|(last, _)| is_prefix(last, &p)) {
            continue;
        }
        out.push((p, k));
    }
    out
}

/// The deepest node of a known kind at or under `pointer` that the model
/// refuses, with serde's place and message inside it.
fn locate(doc: &Value, pointer: &str, kind: Kind) -> Option<Fault> {
    let (mut current, mut current_kind) = (pointer.to_string(), kind);
    let mut failure = check(doc.pointer(pointer)?, kind).err()?;
    'descend: loop {
        let node = doc.pointer(&current)?;
        let mut all = Vec::new();
        visit(node, current_kind, &current, false, &mut |p, k, _| {
            all.push((p.to_string(), k))
        });
        for (child, child_kind) in direct_children(&current, all) {
            let Some(value) = doc.pointer(&child) else {
                continue;
            };
            if let Err(f) = check(value, child_kind) {
                current = child;
                current_kind = child_kind;
                failure = f;
                continue 'descend;
            }
        }
        let at = format!("{current}{}", failure.0);
        return Some(Fault {
            node: current,
            kind: current_kind,
            at,
            message: failure.1,
        });
    }
}

/// Reads `node` as the model's type for `kind`; `Err` (pointer inside
/// `node`, message).
fn check(node: &Value, kind: Kind) -> Result<(), (String, String)> {
    let by_ref = node.get("$ref").is_some();
    macro_rules! as_kind {
        ($t:ty) => {
            if by_ref {
                read::<ReferenceOr<$t>>(node).map(drop)
            } else {
                read::<$t>(node).map(drop)
            }
        };
    }
    match kind {
        Kind::Root => read::<OpenAPI>(node).map(drop),
        Kind::Schema => as_kind!(Schema),
        Kind::Parameter => as_kind!(Parameter),
        Kind::Response => as_kind!(Response),
        Kind::RequestBody => as_kind!(RequestBody),
        Kind::Header => as_kind!(Header),
        Kind::Example => as_kind!(Example),
        Kind::Link => as_kind!(Link),
        Kind::Callback => read::<Callback>(node).map(drop),
        Kind::PathItem => as_kind!(PathItem),
        Kind::Operation => read::<Operation>(node).map(drop),
        Kind::MediaType => read::<MediaType>(node).map(drop),
        Kind::SecurityScheme => as_kind!(SecurityScheme),
        Kind::Map(_) => Ok(()),
    }
}

fn read<T: DeserializeOwned>(node: &Value) -> Result<T, (String, String)> {
    // Tracking the path costs a string per map key read: read plainly
    // first, and again with the path only to say where a read failed.
    if let Ok(value) = T::deserialize(node) {
        return Ok(value);
    }
    serde_path_to_error::deserialize(node).map_err(|e| {
        (
            crate::loader::path_to_pointer(e.path()),
            e.inner().to_string(),
        )
    })
}

/// Places fixed so far: a place that fails again is escalated (its node
/// replaced or left out) rather than converted again. Items removed from
/// lists are remembered, so that warnings name the items as written.
#[derive(Default)]
struct Fixed {
    places: HashSet<String>,
    count: usize,
    /// List pointer (as it is now) -> indices removed (as written).
    removed: std::collections::HashMap<String, Vec<usize>>,
}

impl Fixed {
    /// The index as written of the item now at `index` of the list at `list`.
    fn written_index(&self, list: &str, index: usize) -> usize {
        let Some(gone) = self.removed.get(list) else {
            return index;
        };
        let mut kept = 0;
        let mut i = 0;
        loop {
            if !gone.contains(&i) {
                if kept == index {
                    return i;
                }
                kept += 1;
            }
            i += 1;
        }
    }

    /// `pointer` (now) as the document was written, list items shifted back.
    fn as_written(&self, pointer: &str) -> String {
        if self.removed.is_empty() {
            return pointer.to_string();
        }
        let mut now = String::new();
        let mut written = String::new();
        for segment in pointer.split('/').skip(1) {
            let shown = match segment.parse::<usize>() {
                Ok(i) if self.removed.contains_key(&now) => self.written_index(&now, i).to_string(),
                _ => segment.to_string(),
            };
            now.push('/');
            now.push_str(segment);
            written.push('/');
            written.push_str(&shown);
        }
        written
    }

    fn note(&self, pointer: &str, repair: Repair, message: String) -> Note {
        note(&self.as_written(pointer), repair, message)
    }
}

/// Applies the least change that lets the model read the fault's place;
/// `false` when nothing can (the root itself).
fn fix(doc: &mut Value, fault: Fault, notes: &mut Vec<Note>, fixed: &mut Fixed) -> bool {
    fixed.count += 1;
    let again = !fixed
        .places
        .insert(format!("{}\n{}", fault.at, fault.message));
    if !again {
        if let Some(missing) = missing_field(&fault.message) {
            return fill_missing(doc, &fault, missing, notes, fixed);
        }
        if let Some(value) = doc.pointer(&fault.at) {
            if let Some(new) = converted(value, &fault.message) {
                notes.push(fixed.note(
                    &fault.at,
                    Repair::OffTypeValue,
                    format!(
                        "{} where the model wants another type ({}): converted",
                        crate::loader::parse::kind_name(value),
                        short(&fault.message)
                    ),
                ));
                if let Some(slot) = doc.pointer_mut(&fault.at) {
                    *slot = new;
                }
                return true;
            }
        }
    }
    if fault.at != fault.node && !again {
        let written = fixed.as_written(&fault.at);
        if remove(doc, &fault.at, fixed) {
            notes.push(note(
                &written,
                Repair::NotUnderstood,
                format!("not understood ({}): ignored", short(&fault.message)),
            ));
            return true;
        }
    }
    escalate(doc, &fault, notes, fixed)
}

/// The fault's node itself: a schema becomes any value, anything else is
/// left out of its parent.
fn escalate(doc: &mut Value, fault: &Fault, notes: &mut Vec<Note>, fixed: &mut Fixed) -> bool {
    if fault.node.is_empty() {
        return false;
    }
    if fault.kind == Kind::Schema && fixed.places.insert(format!("{} (any)", fault.node)) {
        let Some(slot) = doc.pointer_mut(&fault.node) else {
            return false;
        };
        let mut any = serde_json::Map::new();
        if let Some(Value::String(d)) = slot.get("description") {
            any.insert("description".into(), Value::String(d.clone()));
        }
        *slot = Value::Object(any);
        notes.push(fixed.note(
            &fault.node,
            Repair::NotUnderstood,
            format!(
                "schema not understood ({}): any JSON value",
                short(&fault.message)
            ),
        ));
        return true;
    }
    let written = fixed.as_written(&fault.node);
    if remove(doc, &fault.node, fixed) {
        notes.push(note(
            &written,
            Repair::NotUnderstood,
            format!("not understood ({}): left out", short(&fault.message)),
        ));
        return true;
    }
    false
}

/// Removes the value at `pointer` from its parent mapping or list.
fn remove(doc: &mut Value, pointer: &str, fixed: &mut Fixed) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let key = crate::loader::pointer::unescape(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => m.shift_remove(key.as_ref()).is_some(),
        Some(Value::Array(items)) => match key.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                let written = fixed.written_index(parent, i);
                fixed
                    .removed
                    .entry(parent.to_string())
                    .or_default()
                    .push(written);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// `missing field `x``: the field's name.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

/// A required field left out: an empty value of its type where it has
/// one everyone agrees on, else the node is not understood.
fn fill_missing(
    doc: &mut Value,
    fault: &Fault,
    field: &str,
    notes: &mut Vec<Note>,
    fixed: &mut Fixed,
) -> bool {
    let value = match field {
        "title" | "version" | "description" | "name" | "url" | "propertyName" => json!(""),
        "responses" | "paths" | "content" => json!({}),
        "info" => json!({"title": "", "version": ""}),
        _ => return escalate(doc, fault, notes, fixed),
    };
    let Some(Value::Object(m)) = doc.pointer_mut(&fault.at) else {
        return escalate(doc, fault, notes, fixed);
    };
    m.insert(field.to_string(), value);
    notes.push(fixed.note(
        &fault.at,
        Repair::OffTypeValue,
        format!("the required field `{field}` is missing: read as empty"),
    ));
    true
}

/// The value in the type serde's message asks for, when it says the same
/// thing in that type.
fn converted(value: &Value, message: &str) -> Option<Value> {
    let expected = message.rsplit_once("expected ").map(|(_, e)| e)?;
    let text = match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    if expected.contains("string") {
        return text.filter(|_| !value.is_string()).map(Value::String);
    }
    if expected.contains("bool") {
        return match text.as_deref() {
            Some("true" | "1") => Some(Value::Bool(true)),
            Some("false" | "0") => Some(Value::Bool(false)),
            _ => None,
        };
    }
    if expected.contains("sequence") {
        return (!value.is_array() && !value.is_null()).then(|| json!([value]));
    }
    let numeric = [
        "u64", "usize", "i64", "u32", "i32", "f64", "f32", "integer", "number",
    ];
    if numeric.iter().any(|n| expected.contains(n)) && value.is_string() {
        let t = text?;
        if let Ok(i) = t.parse::<i64>() {
            return Some(json!(i));
        }
        if let Ok(u) = t.parse::<u64>() {
            return Some(json!(u));
        }
        return t
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number);
    }
    None
}

/// serde's message, cut to a readable length.
fn short(message: &str) -> String {
    const MAX: usize = 160;
    if message.chars().count() <= MAX {
        message.to_string()
    } else {
        let cut: String = message.chars().take(MAX).collect();
        format!("{cut}…")
    }
}
