//! `allOf` with one part that is a choice (`oneOf`/`anyOf` of objects)
//! and object parts beside it: the choice distributes over the parts,
//! `allOf: [oneOf: [A, B], C]` is `oneOf: [allOf: [A, C], allOf: [B, C]]`.
//! The two are the same set of values (C holds, and exactly one of A and
//! B does), and the second is one struct per alternative, where the first
//! could only be any JSON value. Lichess's broadcast forms, shipengine's
//! rate requests (a `oneOf` beside `allOf`, which the loader makes a part)
//! and wiremock's delay settings are written so.

use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaData, SchemaKind};

use super::unescape;
use super::{At, Members, Merged, SCHEMA_PREFIX};
use crate::diagnostic::join;
use crate::ir::{OneOfType, OneOfVariant, Ty, TypeExpr, TypeKind};
use crate::lower::Lowerer;
use crate::naming::Namespace;

/// More alternatives than this stay any JSON value: each is a struct of
/// every property the other parts bring.
const MOST_ALTERNATIVES: usize = 64;

/// The choice part found: where it is and its alternatives.
struct Choice {
    /// Index of the part among `allOf`'s.
    part: usize,
    /// `oneOf` or `anyOf`, under `pointer`.
    keyword: &'static str,
    /// The choice schema's own place (the part, or the component it names).
    pointer: String,
    alternatives: Vec<ReferenceOr<Schema>>,
    /// What the choice part says beside its alternatives (properties,
    /// `required`: shipengine's), merged into each; `None` for a bare choice.
    beside: Option<ReferenceOr<Schema>>,
    /// The choice's own, or the whole schema's.
    discriminator: Option<Discriminator>,
}

impl Lowerer<'_> {
    /// The distributed choice, or `None` when the parts are not one choice
    /// of objects and objects (then `allOf` falls back as before).
    pub(super) fn all_of_choice(
        &mut self,
        at: At<'_>,
        data: &SchemaData,
        shaping: &[usize],
        parts: &[ReferenceOr<Schema>],
    ) -> Option<TypeExpr> {
        let choice = self.single_choice(at.pointer, data, shaping, parts)?;
        let merged = self.merge_alternatives(at.pointer, shaping, parts, &choice)?;
        let id = self.slot(at, data);
        let union_name = self.types[id.0].rust_name.clone();
        let mut names = Namespace::new();
        let mut variants = Vec::with_capacity(merged.len());
        for (k, members) in merged.iter().enumerate() {
            let alternative = &choice.alternatives[k];
            let rust_name = names.claim(self.alternative_name(alternative));
            let pointer = join(&join(&choice.pointer, choice.keyword), k);
            let hint = format!("{union_name}{rust_name}");
            let own = self.alternative_data(alternative);
            let schema = self.object(
                At {
                    pointer: &pointer,
                    hint: &hint,
                    parent: Some(id),
                    target: None,
                },
                &own,
                Members {
                    properties: &members.properties,
                    required: &members.required,
                    additional: members.additional.as_ref(),
                    sources: Some(&members.sources),
                },
                (None, None),
            );
            let discriminator_values =
                self.discriminator_values(choice.discriminator.as_ref(), alternative);
            variants.push(OneOfVariant {
                rust_name,
                schema,
                discriminator_values,
            });
        }
        let discriminator = choice
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone());
        self.types[id.0].kind = TypeKind::OneOf(OneOfType {
            variants,
            discriminator,
        });
        Some(TypeExpr::new(Ty::Named(id)))
    }

    /// The one part that is a choice (a `oneOf`/`anyOf`, alone or with
    /// object keywords beside it) of at most [`MOST_ALTERNATIVES`]; `None`
    /// if there is none or more than one.
    fn single_choice(
        &self,
        pointer: &str,
        data: &SchemaData,
        shaping: &[usize],
        parts: &[ReferenceOr<Schema>],
    ) -> Option<Choice> {
        let mut found = None;
        for &i in shaping {
            let part_pointer = join(&join(pointer, "allOf"), i);
            let Some((schema, place)) = self.component_or_item(&parts[i], part_pointer) else {
                continue;
            };
            let Some(ChoiceParts {
                keyword,
                alternatives,
                beside,
            }) = choice_of(&schema)
            else {
                continue;
            };
            if found.is_some() || alternatives.is_empty() || alternatives.len() > MOST_ALTERNATIVES
            {
                return None;
            }
            // Alternatives that only require (`oneOf: [{required: [a]},
            // {required: [b]}]`, lob's `sort_by`) say which properties must
            // be there, not what shape it has: no structs of their own.
            if alternatives
                .iter()
                .any(|alt| !self.declares_properties(alt))
            {
                return None;
            }
            let discriminator = schema
                .schema_data
                .discriminator
                .clone()
                .or_else(|| data.discriminator.clone());
            found = Some(Choice {
                part: i,
                keyword,
                pointer: place,
                alternatives,
                beside,
                discriminator,
            });
        }
        found
    }

    /// Whether an alternative declares properties of its own (following a
    /// `$ref` to a component, and its `allOf` parts one level down).
    fn declares_properties(&self, alternative: &ReferenceOr<Schema>) -> bool {
        let Some((schema, _)) = self.component_or_item(alternative, String::new()) else {
            return true;
        };
        let own = |s: &Schema| match &s.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(o)) => !o.properties.is_empty(),
            SchemaKind::Any(a) => !a.properties.is_empty(),
            _ => false,
        };
        let parts = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(a) => a.all_of.as_slice(),
            _ => &[],
        };
        own(&schema)
            || parts.iter().any(|p| {
                self.component_or_item(p, String::new())
                    .is_some_and(|(s, _)| own(&s))
            })
    }

    /// A part as written, or the component schema its `$ref` names (one
    /// level), with its place.
    fn component_or_item(
        &self,
        part: &ReferenceOr<Schema>,
        pointer: String,
    ) -> Option<(Schema, String)> {
        match part {
            ReferenceOr::Item(s) => Some((s.clone(), pointer)),
            ReferenceOr::Reference { reference } => {
                let name = unescape(reference.strip_prefix(SCHEMA_PREFIX)?);
                match self.doc.components.as_ref()?.schemas.get(&name)? {
                    ReferenceOr::Item(s) => {
                        Some((s.clone(), reference.trim_start_matches('#').to_string()))
                    }
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    /// Every alternative's members, or `None` (and no diagnostics: the
    /// fallback finds them again). The other parts are read once per
    /// alternative; what they say is said once.
    fn merge_alternatives(
        &mut self,
        pointer: &str,
        shaping: &[usize],
        parts: &[ReferenceOr<Schema>],
        choice: &Choice,
    ) -> Option<Vec<Merged>> {
        let mark = self.diagnostics.len();
        let mut merged = Vec::with_capacity(choice.alternatives.len());
        for (k, alternative) in choice.alternatives.iter().enumerate() {
            match self.merge_alternative(pointer, shaping, parts, choice, k, alternative) {
                Some(m) => merged.push(m),
                None => {
                    self.diagnostics.truncate(mark);
                    return None;
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        let fresh = self.diagnostics.split_off(mark);
        self.diagnostics
            .extend(fresh.into_iter().filter(|d| seen.insert(format!("{d:?}"))));
        Some(merged)
    }

    /// Alternative `k`'s members: every part's in the order written, the
    /// alternative standing for the choice. `None` if one is not an object.
    fn merge_alternative(
        &mut self,
        pointer: &str,
        shaping: &[usize],
        parts: &[ReferenceOr<Schema>],
        choice: &Choice,
        k: usize,
        alternative: &ReferenceOr<Schema>,
    ) -> Option<Merged> {
        let mut merged = Merged::default();
        for &i in shaping {
            let ok = if i == choice.part {
                let beside = choice.beside.as_ref().is_none_or(|b| {
                    self.collect_object(b, &choice.pointer, &choice.pointer, &mut merged, 0)
                });
                let place = join(&join(&choice.pointer, choice.keyword), k);
                beside && self.collect_object(alternative, &place, &place, &mut merged, 0)
            } else {
                let place = join(&join(pointer, "allOf"), i);
                self.collect_object(&parts[i], &place, &place, &mut merged, 0)
            };
            if !ok {
                return None;
            }
        }
        Some(merged)
    }

    /// An alternative's title and description, for its struct's docs.
    fn alternative_data(&self, alternative: &ReferenceOr<Schema>) -> SchemaData {
        let data = match alternative {
            ReferenceOr::Item(s) => Some(&s.schema_data),
            ReferenceOr::Reference { reference } => self.referenced_data(reference),
        };
        data.map(|d| SchemaData {
            title: d.title.clone(),
            description: d.description.clone(),
            ..SchemaData::default()
        })
        .unwrap_or_default()
    }
}

/// What a schema's choice is made of.
struct ChoiceParts {
    keyword: &'static str,
    alternatives: Vec<ReferenceOr<Schema>>,
    /// A copy of the schema without the choice, when it says more.
    beside: Option<ReferenceOr<Schema>>,
}

/// A schema's choice; `None` when it is not one, or is two (`oneOf` and
/// `anyOf`) or has `allOf` too.
fn choice_of(schema: &Schema) -> Option<ChoiceParts> {
    let bare = |keyword, alternatives: &Vec<ReferenceOr<Schema>>| ChoiceParts {
        keyword,
        alternatives: alternatives.clone(),
        beside: None,
    };
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => Some(bare("oneOf", one_of)),
        SchemaKind::AnyOf { any_of } => Some(bare("anyOf", any_of)),
        SchemaKind::Any(a)
            if a.all_of.is_empty() && (a.one_of.is_empty() != a.any_of.is_empty()) =>
        {
            let mut parts = if a.one_of.is_empty() {
                bare("anyOf", &a.any_of)
            } else {
                bare("oneOf", &a.one_of)
            };
            let mut rest = a.clone();
            rest.one_of.clear();
            rest.any_of.clear();
            parts.beside = Some(ReferenceOr::Item(Schema {
                schema_data: SchemaData::default(),
                schema_kind: SchemaKind::Any(rest),
            }));
            Some(parts)
        }
        _ => None,
    }
}
