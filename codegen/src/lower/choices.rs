//! The user's own choices (settings: renames, replacements, format
//! mappings) as lowering applies them. Every name the user gives still
//! goes through [`crate::naming`] and a namespace, so a rename can make a
//! name valid and unique but never break either. Settings that match
//! nothing in the spec are reported once lowering is done.

use std::collections::BTreeSet;

use crate::attributes::parse_attributes;
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::ir::{StringFormat, TypeExpr};
use crate::settings::FormatType;

use super::Lowerer;

/// Settings keys used while lowering one spec (`rename.types.Pet`...).
#[derive(Debug, Default)]
pub(super) struct Used(BTreeSet<String>);

const SCHEMAS: &str = "/components/schemas/";

impl Lowerer<'_> {
    /// The user's name for a component schema's type, if renamed: by the
    /// schema's name, or by the Rust name it would have had (`ApiTokens`
    /// for `apiTokens`).
    pub(super) fn renamed_type(&mut self, schema: &str) -> Option<String> {
        let types = &self.settings.renames().types;
        let rust = crate::naming::type_name(schema);
        let (key, new) = types
            .get_key_value(schema)
            .or_else(|| types.get_key_value(&rust))?;
        let (key, new) = (key.clone(), new.clone());
        self.used.0.insert(format!("rename.types.{key}"));
        Some(new)
    }

    /// The user's name for a property's field, if renamed: by
    /// `Schema.property` (component schemas) or by the property's JSON
    /// pointer (`#/components/schemas/Pet/properties/id`, any schema).
    pub(super) fn renamed_property(&mut self, object: &str, property: &str) -> Option<String> {
        let renames = &self.settings.renames().properties;
        let pointer = format!(
            "#{}",
            crate::diagnostic::join(&crate::diagnostic::join(object, "properties"), property)
        );
        if let Some(new) = renames.get(&pointer) {
            let new = new.clone();
            self.used.0.insert(format!("rename.properties.{pointer}"));
            return Some(new);
        }
        let schema = object.strip_prefix(SCHEMAS).filter(|s| !s.contains('/'))?;
        let schema = schema.replace("~1", "/").replace("~0", "~");
        let key = format!("{schema}.{property}");
        let new = renames.get(&key)?.clone();
        self.used.0.insert(format!("rename.properties.{key}"));
        Some(new)
    }

    /// The user's name for an operation, if renamed (by operationId).
    pub(super) fn renamed_operation(&mut self, id: &str) -> Option<String> {
        let new = self.settings.renames().operations.get(id)?.clone();
        self.used.0.insert(format!("rename.operations.{id}"));
        Some(new)
    }

    /// The user's name for a tag's resource, if renamed.
    pub(super) fn renamed_tag(&mut self, tag: &str) -> Option<String> {
        let new = self.settings.renames().tags.get(tag)?.clone();
        self.used.0.insert(format!("rename.tags.{tag}"));
        Some(new)
    }

    /// The user's type replacing a component schema, if any (by name or
    /// by `#/components/schemas/Name`).
    pub(super) fn replacement(&mut self, schema: &str) -> Option<String> {
        let replacements = self.settings.replacements();
        let pointer = format!(
            "#{}",
            crate::diagnostic::join("/components/schemas", schema)
        );
        let (key, path) = replacements
            .get_key_value(schema)
            .or_else(|| replacements.get_key_value(&pointer))?;
        let (key, path) = (key.clone(), path.clone());
        self.used.0.insert(format!("replace.{key}"));
        Some(path)
    }

    /// A string's format as generated: the user's mapping for `format`,
    /// else `builtin`. A mapped type parses its own text, so string
    /// bounds on it are not checked: a warning says so.
    pub(super) fn string_format(
        &mut self,
        format: Option<&str>,
        builtin: StringFormat,
        e: &mut TypeExpr,
        pointer: &str,
    ) -> StringFormat {
        let Some(mapped) = format.and_then(|f| self.settings.formats().get(f)).copied() else {
            return builtin;
        };
        let format = match mapped {
            FormatType::String => StringFormat::Plain,
            FormatType::ChronoDateTime => StringFormat::DateTime,
            FormatType::ChronoDate => StringFormat::Date,
            other => StringFormat::Mapped(other),
        };
        let c = &mut e.constraints;
        if matches!(
            format,
            StringFormat::Mapped(_) | StringFormat::DateTime | StringFormat::Date
        ) && (c.pattern.is_some() || c.min_length.is_some() || c.max_length.is_some())
        {
            c.pattern = None;
            c.min_length = None;
            c.max_length = None;
            self.approximated(
                &format!(
                    "`pattern`/`minLength`/`maxLength` on a string generated as `{}` (settings: formats): not checked; the type's own parsing checks the value",
                    mapped.path()
                ),
                pointer,
            );
        }
        format
    }

    /// Gives every struct, enum and one-of the derives and attributes the
    /// settings ask for it (by schema name, Rust name, or `*`). Each must
    /// parse as Rust; one that does not is an error, not a broken module.
    pub(super) fn attach_user_attributes(&mut self) {
        let s = self.settings;
        if s.derives().is_empty() && s.attributes().is_empty() {
            return;
        }
        for (key, derives) in s.derives() {
            for d in derives {
                if syn::parse_str::<syn::Path>(d).is_err() {
                    self.error(
                        DiagnosticKind::BadSetting {
                            message: format!("derive `{d}` (for `{key}`) is not a Rust path"),
                            hint: "name a derive macro: `Hash`, `Eq`, `serde::Serialize`".into(),
                        },
                        "",
                    );
                }
            }
        }
        for (key, attributes) in s.attributes() {
            for a in attributes {
                if parse_attributes(a).is_none() {
                    self.error(
                        DiagnosticKind::BadSetting {
                            message: format!(
                                "attribute `{a}` (for `{key}`) is not an outer attribute"
                            ),
                            hint: "write it as in Rust source: `#[non_exhaustive]`".into(),
                        },
                        "",
                    );
                }
            }
        }
        let lookup = |map: &std::collections::BTreeMap<String, Vec<String>>,
                      t: &crate::ir::TypeDef| {
            let mut out: Vec<String> = Vec::new();
            for key in [
                crate::settings::ALL_TYPES,
                t.spec_name.as_str(),
                t.rust_name.as_str(),
            ] {
                for v in map.get(key).into_iter().flatten() {
                    if !out.contains(v) {
                        out.push(v.clone());
                    }
                }
            }
            out
        };
        let mut aliases = Vec::new();
        for t in &mut self.types {
            let derives = lookup(s.derives(), t);
            let attributes = lookup(s.attributes(), t);
            if matches!(t.kind, crate::ir::TypeKind::Alias(_)) {
                // Only an explicit request is worth a word: `*` means "where it applies".
                let named = |m: &std::collections::BTreeMap<String, Vec<String>>| {
                    m.contains_key(&t.spec_name) || m.contains_key(&t.rust_name)
                };
                if named(s.derives()) || named(s.attributes()) {
                    aliases.push(t.pointer.clone());
                }
                continue;
            }
            t.derives = derives;
            t.attributes = attributes;
        }
        for pointer in aliases {
            self.approximated(
                "derives and attributes from the settings on a type generated as an alias (`pub type`): left out; they apply to structs, enums and one-ofs",
                &pointer,
            );
        }
    }

    /// One warning per rename, replacement, derive or attribute that
    /// named nothing in the spec (a typo there would silently do nothing).
    pub(super) fn unused_settings(&mut self, resources: &[crate::ir::Resource]) {
        let s = self.settings;
        let mut keys: Vec<String> = Vec::new();
        let r = s.renames();
        for (section, map) in [
            ("operations", &r.operations),
            ("tags", &r.tags),
            ("types", &r.types),
            ("properties", &r.properties),
        ] {
            keys.extend(map.keys().map(|k| format!("rename.{section}.{k}")));
        }
        keys.extend(s.replacements().keys().map(|k| format!("replace.{k}")));
        let named: BTreeSet<&str> = self
            .types
            .iter()
            .flat_map(|t| [t.spec_name.as_str(), t.rust_name.as_str()])
            .collect();
        for (section, map) in [("derive", s.derives()), ("attributes", s.attributes())] {
            for ty in map.keys() {
                if ty != crate::settings::ALL_TYPES && !named.contains(ty.as_str()) {
                    keys.push(format!("{section}.{ty}"));
                }
            }
        }
        // Only tags filtered out make a tag rename look unused: not a typo.
        let filtered = s.tags().is_some();
        for key in keys {
            let derive_or_attr = key.starts_with("derive.") || key.starts_with("attributes.");
            if derive_or_attr || !self.used.0.contains(&key) {
                if filtered
                    && (key.starts_with("rename.tags.") || key.starts_with("rename.operations."))
                {
                    continue;
                }
                // Named by its key: the settings file locates it there
                // (`Config::locate`); the spec has no place for it.
                self.diagnostics.push(Diagnostic::warning(
                    DiagnosticKind::UnusedSetting {
                        known: self.close_names(&key, resources),
                        key: key.clone(),
                    },
                    key,
                ));
            }
        }
    }
}

impl Lowerer<'_> {
    /// The spec's names closest to what an unused setting names (a typo's
    /// likely intent), at most three.
    fn close_names(&self, key: &str, resources: &[crate::ir::Resource]) -> Vec<String> {
        let (section, name) = match key.split_once('.') {
            Some(("rename", rest)) => rest.split_once('.').unwrap_or((rest, "")),
            Some((section, name)) => (section, name),
            None => return Vec::new(),
        };
        let components = self
            .types
            .iter()
            .filter(|t| t.parent.is_none() && t.pointer.starts_with(SCHEMAS));
        let candidates: Vec<String> = match section {
            "operations" => resources
                .iter()
                .flat_map(|r| &r.operations)
                .map(|o| o.id.clone())
                .collect(),
            "tags" => resources.iter().map(|r| r.tag.clone()).collect(),
            "properties" => components
                .filter_map(|t| match &t.kind {
                    crate::ir::TypeKind::Struct(s) => Some((t, s)),
                    _ => None,
                })
                .flat_map(|(t, s)| {
                    s.fields
                        .iter()
                        .map(move |f| format!("{}.{}", t.spec_name, f.spec_name))
                })
                .collect(),
            _ => components.map(|t| t.spec_name.clone()).collect(),
        };
        let mut scored: Vec<(usize, String)> = candidates
            .into_iter()
            .map(|c| (distance(&c.to_lowercase(), &name.to_lowercase()), c))
            .filter(|(d, c)| *d <= 2.max(c.len() / 3))
            .collect();
        scored.sort();
        scored.dedup();
        scored.into_iter().take(3).map(|(_, c)| c).collect()
    }
}

/// Levenshtein distance (names are short; quadratic is fine).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("listPet", "listPets"), 1);
        assert_eq!(distance("Pett", "Pet"), 1);
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
