//! References that point anywhere but straight at a `components` entry
//! (`#/components/schemas/Tag/allOf/0`, `#/paths/~1pets/get/parameters/0`,
//! `#/$defs/Node`) become references to a new `components` entry holding
//! the target, which is moved there (its old place refers to it), so the
//! type is defined once. Path items and media types, which 3.0 cannot
//! reference, are inlined.

use std::collections::{BTreeMap, HashSet};

use serde_json::{json, Value};

use super::pointer::{ensure_object, find, segments, split_ref};
use super::relocate::Relocations;
use super::swagger2::Note;
use super::walk::{refs, Kind};
use crate::diagnostic::join;

/// Rounds of inlining (a path item inlined may hold another reference).
const MAX_INLINE_ROUNDS: usize = 8;

/// Rounds of hoisting: a moved target may hold references the first walk
/// could not see (a root `$defs` is outside the structure walked).
const MAX_HOIST_ROUNDS: usize = 8;

pub(crate) fn hoist(doc: &mut Value, moves: &mut Relocations, notes: &mut Vec<Note>) {
    inline(doc, moves, notes);
    let mut taken: BTreeMap<&'static str, HashSet<String>> = BTreeMap::new();
    // (old pointer, new pointer) of every target moved so far.
    let mut moved: Vec<(String, String)> = Vec::new();
    for _ in 0..MAX_HOIST_ROUNDS {
        if !hoist_round(doc, moves, &mut taken, &mut moved) {
            return;
        }
    }
}

/// One walk: rewrites references to moved targets, moves new ones. `false`
/// when nothing changed.
fn hoist_round(
    doc: &mut Value,
    moves: &mut Relocations,
    taken: &mut BTreeMap<&'static str, HashSet<String>>,
    moved: &mut Vec<(String, String)>,
) -> bool {
    let found = refs(doc, Kind::Root, "", false);
    // Target pointer -> (section, new name).
    let mut targets: BTreeMap<String, (&'static str, String)> = BTreeMap::new();
    let mut rewrites = Vec::new();
    for (holder, kind, reference) in &found {
        let Some(section) = kind.section(false) else {
            continue;
        };
        let Some((file, fragment)) = split_ref(reference) else {
            continue;
        };
        if !file.is_empty() {
            continue;
        }
        let fragment = translate(&fragment, moved);
        if is_entry_of(&fragment, section) || is_entry_of_any_section(&fragment) {
            let local = format!("#{fragment}");
            if &local != reference {
                rewrites.push((holder.clone(), local));
            }
            continue;
        }
        if find(doc, &fragment).is_none() {
            // Lowering reports it, at the reference.
            continue;
        }
        if !targets.contains_key(&fragment) {
            let names = taken.entry(section).or_insert_with(|| {
                find(doc, section)
                    .and_then(Value::as_object)
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default()
            });
            let name = unique(names, &name_for(&fragment));
            targets.insert(fragment.clone(), (section, name));
        }
        let (section, name) = &targets[&fragment];
        rewrites.push((holder.clone(), format!("#{}", join(section, name))));
    }
    let changed = !rewrites.is_empty() || !targets.is_empty();
    for (holder, local) in rewrites {
        if let Some(Value::Object(m)) = doc.pointer_mut(&holder) {
            m.insert("$ref".into(), Value::String(local));
        }
    }
    // Deepest first: moving a target never changes the pointer of a
    // shallower one, and a target inside another travels with it.
    let mut order: Vec<(&String, &(&'static str, String))> = targets.iter().collect();
    order.sort_by_key(|(p, _)| std::cmp::Reverse(segments(p).len()));
    for (fragment, (section, name)) in order {
        let new = join(section, name);
        let local = format!("#{new}");
        let node = match doc.pointer_mut(fragment) {
            Some(slot) => std::mem::replace(slot, json!({ "$ref": local })),
            // Reached through another reference: copy what it lands on.
            None => match find(doc, fragment) {
                Some(n) => n.clone(),
                None => continue,
            },
        };
        if let Some(map) = ensure_object(doc, section) {
            map.insert(name.clone(), node);
            moves.record(new.clone(), fragment.clone());
            moved.push((fragment.clone(), new));
        }
    }
    changed
}

/// `pointer` with a moved target's old place replaced by its new one.
fn translate(pointer: &str, moved: &[(String, String)]) -> String {
    let mut p = pointer.to_string();
    // Later moves may have carried earlier ones along: apply in reverse order until stable.
    for _ in 0..moved.len().min(16) + 1 {
        let best = moved
            .iter()
            .filter(|(old, _)| super::relocate::is_prefix(old, &p))
            .max_by_key(|(old, _)| old.len());
        match best {
            Some((old, new)) => p = format!("{new}{}", &p[old.len()..]),
            None => break,
        }
    }
    p
}

/// Replaces references to path items and media types by their targets.
fn inline(doc: &mut Value, moves: &mut Relocations, notes: &mut Vec<Note>) {
    for _ in 0..MAX_INLINE_ROUNDS {
        let pending: Vec<(String, String)> = refs(doc, Kind::Root, "", false)
            .into_iter()
            .filter(|(_, kind, _)| {
                matches!(
                    kind,
                    Kind::PathItem | Kind::MediaType | Kind::Operation | Kind::Map(_)
                )
            })
            .map(|(holder, kind, r)| {
                if let Kind::Map(_) = kind {
                    notes.push(Note {
                        pointer: join(&holder, "$ref"),
                        message: "a `$ref` stands for a whole map (OpenAPI references single objects); the map it points at is copied in".into(),
                        repair: Some(crate::diagnostic::Repair::RefStandsForMap),
                    });
                }
                if kind == Kind::Operation {
                    notes.push(Note {
                        pointer: join(&holder, "$ref"),
                        message: "an operation given by `$ref` (OpenAPI does not allow it; split specs do it) was read from its target".into(),
                        repair: None,
                    });
                }
                (holder, r)
            })
            .collect();
        if pending.is_empty() {
            return;
        }
        for (holder, reference) in pending {
            let target = split_ref(&reference)
                .filter(|(file, _)| file.is_empty())
                .and_then(|(_, fragment)| Some((find(doc, &fragment)?.clone(), fragment)));
            let Some((mut content, fragment)) = target else {
                notes.push(Note {
                    pointer: join(&holder, "$ref"),
                    message: format!("unresolvable $ref `{reference}` left out"),
                    repair: Some(crate::diagnostic::Repair::DanglingRef),
                });
                if let Some(Value::Object(m)) = doc.pointer_mut(&holder) {
                    m.remove("$ref");
                }
                continue;
            };
            if let Some(slot) = doc.pointer_mut(&holder) {
                if let (Some(c), Some(s)) = (content.as_object_mut(), slot.as_object()) {
                    for (k, v) in s {
                        if k != "$ref" {
                            c.insert(k.clone(), v.clone());
                        }
                    }
                }
                *slot = content;
                moves.record(holder.clone(), fragment);
            }
        }
    }
    notes.push(Note {
        pointer: String::new(),
        message: "path item references nest too deep (a cycle?); the rest are left out".into(),
        repair: None,
    });
    for (holder, kind, _) in refs(doc, Kind::Root, "", false) {
        if matches!(
            kind,
            Kind::PathItem | Kind::MediaType | Kind::Operation | Kind::Map(_)
        ) {
            if let Some(Value::Object(m)) = doc.pointer_mut(&holder) {
                m.remove("$ref");
            }
        }
    }
}

/// `/components/<section>/<name>` exactly.
fn is_entry_of(fragment: &str, section: &str) -> bool {
    fragment
        .strip_prefix(section)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| !name.contains('/'))
}

/// A direct entry of another section (a kind mismatch lowering reports).
fn is_entry_of_any_section(fragment: &str) -> bool {
    let segs = segments(fragment);
    segs.len() == 3 && segs[0] == "components" && segs[1] != "schemas"
}

/// A readable name from where the target was: the `$defs` name if it has
/// one, else the meaningful segments joined.
fn name_for(fragment: &str) -> String {
    let segs = segments(fragment);
    if let Some(i) = segs
        .iter()
        .rposition(|s| s == "$defs" || s == "definitions")
    {
        if let Some(name) = segs.get(i + 1) {
            if i + 2 == segs.len() {
                return name.clone();
            }
        }
    }
    const NOISE: [&str; 10] = [
        "components",
        "schemas",
        "paths",
        "content",
        "schema",
        "properties",
        "$defs",
        "definitions",
        "parameters",
        "responses",
    ];
    let parts: Vec<&str> = segs
        .iter()
        .map(String::as_str)
        .filter(|s| !NOISE.contains(s) && !s.contains('/'))
        .collect();
    if parts.is_empty() {
        "Hoisted".into()
    } else {
        parts.join("_")
    }
}

/// `base`, or `base2`, `base3`... whichever `taken` does not hold yet (then it does).
pub(crate) fn unique(taken: &mut HashSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_into_members_and_defs_become_components() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "paths": {},
            "$defs": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}},
            "components": {"schemas": {
                "Tag": {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"required": ["a"]}]},
                "Use": {"properties": {"t": {"$ref": "#/components/schemas/Tag/allOf/0"}, "n": {"$ref": "#/$defs/Node"}}}
            }}
        });
        let mut moves = Relocations::default();
        hoist(&mut doc, &mut moves, &mut Vec::new());
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["Tag"]["allOf"][0],
            json!({"$ref": "#/components/schemas/Tag_allOf_0"})
        );
        assert_eq!(s["Tag_allOf_0"]["properties"]["a"]["type"], "string");
        assert_eq!(
            s["Use"]["properties"]["n"],
            json!({"$ref": "#/components/schemas/Node"})
        );
        assert_eq!(
            s["Node"]["properties"]["next"],
            json!({"$ref": "#/components/schemas/Node"})
        );
        assert_eq!(
            moves.back("/components/schemas/Node/type"),
            "/$defs/Node/type"
        );
    }

    #[test]
    fn path_item_refs_are_inlined() {
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "s"}},
            "components": {"pathItems": {"A": {"get": {"responses": {}}}}}});
        let mut moves = Relocations::default();
        hoist(&mut doc, &mut moves, &mut Vec::new());
        assert_eq!(
            doc["paths"]["/a"],
            json!({"get": {"responses": {}}, "summary": "s"})
        );
        assert_eq!(moves.back("/paths/~1a/get"), "/components/pathItems/A/get");
    }
}
