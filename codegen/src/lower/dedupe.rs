//! Inline types that are the same type under another name become aliases
//! of the first of them.
//!
//! Large descriptions repeat inline schemas: GitHub's has 20 identical
//! `direction` enums and dozens of identical error bodies, each given its
//! own name by its place. Every copy costs its lines, its serde derives
//! (most of a generated crate's check time) and its server validator. An
//! alias keeps every name (and so every public path) and costs one line.
//!
//! "The same" is strict: same kind, same fields (names, docs, types,
//! constraints, flags), same rules, and for enums the same openness (an
//! enum reachable from a response keeps unknown values). Types that refer to duplicates
//! are compared through them, so nested copies fold too (repeated to a
//! fixed point). Component schemas are never turned into aliases: their
//! names are the spec's, and a user expects each as written.

use std::collections::HashMap;

use crate::ir::{Ty, TypeDef, TypeExpr, TypeId, TypeKind};

/// Rewrites duplicates in place; returns how many became aliases.
pub(crate) fn alias_duplicates(types: &mut [TypeDef]) -> usize {
    let n = types.len();
    let mut canon: Vec<usize> = (0..n).collect();
    // Components first: an inline copy of a component aliases the component.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (!is_component(&types[i]), i));
    loop {
        let mut changed = false;
        // By a hash of the type read through the duplicates found so far;
        // a hit is confirmed by equality, so a collision merges nothing.
        let mut seen: HashMap<u64, Vec<(usize, TypeKind)>> = HashMap::new();
        for &i in &order {
            if canon[i] != i || matches!(types[i].kind, TypeKind::Alias(_)) {
                continue;
            }
            let kind = through(&types[i].kind, &canon);
            let t = &types[i];
            let bucket = seen.entry(fingerprint(&kind, t)).or_default();
            let same = bucket.iter().find(|(j, k)| {
                *k == kind
                    && open(&types[*j]) == open(t)
                    && types[*j].rules == t.rules
                    && types[*j].derives == t.derives
                    && types[*j].attributes == t.attributes
            });
            match same {
                Some(&(first, _)) if !is_component(t) => {
                    canon[i] = first;
                    changed = true;
                }
                Some(_) => {}
                None => bucket.push((i, kind)),
            }
        }
        if !changed {
            break;
        }
    }
    let mut aliased = 0;
    for (i, t) in types.iter_mut().enumerate() {
        let target = root(&canon, i);
        if target != i {
            t.kind = TypeKind::Alias(TypeExpr::new(Ty::Named(TypeId(target))));
            t.rules = None;
            aliased += 1;
        }
    }
    aliased
}

/// Whether the type is an open enum (reachable from a response, it keeps
/// unknown values): the one way response-ness changes a type itself.
fn open(t: &TypeDef) -> bool {
    t.in_response && matches!(t.kind, TypeKind::Enum(_))
}

/// A component schema's own type (not a type inline inside one).
fn is_component(t: &TypeDef) -> bool {
    t.pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'))
}

fn root(canon: &[usize], mut i: usize) -> usize {
    while canon[i] != i {
        i = canon[i];
    }
    i
}

/// `kind` with every reference read through the duplicates found so far.
fn through(kind: &TypeKind, canon: &[usize]) -> TypeKind {
    let mut kind = kind.clone();
    each_expr(&mut kind, &mut |e| remap(e, canon));
    kind
}

/// A hash of most of what makes two types the same: names, docs, flags and
/// type shapes (constraints and rules are left to the equality check that
/// confirms every hit). Hashing the types' `Debug` text instead was a
/// tenth of a large document's generation time.
fn fingerprint(kind: &TypeKind, t: &TypeDef) -> u64 {
    use std::hash::{Hash, Hasher};

    let mut h = std::collections::hash_map::DefaultHasher::new();
    open(t).hash(&mut h);
    std::mem::discriminant(kind).hash(&mut h);
    match kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                (&f.spec_name, &f.rust_name, &f.description).hash(&mut h);
                (
                    f.required,
                    f.secret,
                    f.deprecated,
                    f.read_only,
                    f.write_only,
                )
                    .hash(&mut h);
                shape(&f.schema, &mut h);
            }
            if let Some(extra) = &s.additional {
                shape(extra, &mut h);
            }
        }
        TypeKind::Enum(e) => {
            for v in &e.variants {
                (&v.value, &v.rust_name).hash(&mut h);
            }
        }
        TypeKind::OneOf(o) => {
            o.discriminator.hash(&mut h);
            for v in &o.variants {
                (&v.rust_name, &v.discriminator_values).hash(&mut h);
                shape(&v.schema, &mut h);
            }
        }
        TypeKind::Alias(e) => shape(e, &mut h),
    }
    h.finish()
}

/// A type expression's shape: its kind, nullability and the types it names.
fn shape(e: &TypeExpr, h: &mut impl std::hash::Hasher) {
    use std::hash::Hash;
    e.nullable.hash(h);
    std::mem::discriminant(&e.ty).hash(h);
    match &e.ty {
        Ty::Named(id) => id.0.hash(h),
        Ty::Array(inner) | Ty::Map(inner) => shape(inner, h),
        Ty::Tuple(items) => items.iter().for_each(|i| shape(i, h)),
        _ => {}
    }
}

fn remap(e: &mut TypeExpr, canon: &[usize]) {
    match &mut e.ty {
        Ty::Named(id) => *id = TypeId(root(canon, id.0)),
        Ty::Array(inner) | Ty::Map(inner) => remap(inner, canon),
        Ty::Tuple(items) => items.iter_mut().for_each(|i| remap(i, canon)),
        _ => {}
    }
}

/// Calls `f` on every type expression directly inside `kind`.
pub(super) fn each_expr(kind: &mut TypeKind, f: &mut dyn FnMut(&mut TypeExpr)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|field| f(&mut field.schema));
            if let Some(extra) = &mut s.additional {
                f(extra);
            }
        }
        TypeKind::OneOf(o) => o.variants.iter_mut().for_each(|v| f(&mut v.schema)),
        TypeKind::Alias(e) => f(e),
        TypeKind::Enum(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{EnumType, EnumVariant, Field, StringFormat, StructType};

    fn def(name: &str, pointer: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            description: Some(format!("{name}'s own doc")),
            ..TypeDef::named(name, pointer, kind)
        }
    }

    fn direction() -> TypeKind {
        TypeKind::Enum(EnumType {
            variants: ["asc", "desc"]
                .map(|v| EnumVariant {
                    value: v.into(),
                    rust_name: v.into(),
                })
                .to_vec(),
        })
    }

    fn holder(of: usize) -> TypeKind {
        TypeKind::Struct(StructType {
            fields: vec![Field {
                spec_name: "direction".into(),
                rust_name: "direction".into(),
                description: None,
                required: false,
                schema: TypeExpr::new(Ty::Named(TypeId(of))),
                secret: false,
                deprecated: false,
                read_only: false,
                write_only: false,
                request_required: false,
                response_required: false,
            }],
            deny_unknown: false,
            additional: None,
            additional_field: "additional_properties".into(),
            dependent_required: Vec::new(),
            conditional_required: None,
        })
    }

    #[test]
    fn nested_copies_fold_into_the_first() {
        let mut types = vec![
            def(
                "ADirection",
                "/paths/~1a/get/parameters/0/schema",
                direction(),
            ),
            def(
                "BDirection",
                "/paths/~1b/get/parameters/0/schema",
                direction(),
            ),
            def("ABody", "/paths/~1a/post/requestBody", holder(0)),
            def("BBody", "/paths/~1b/post/requestBody", holder(1)),
        ];
        assert_eq!(alias_duplicates(&mut types), 2);
        let alias_of = |i: usize| match &types[i].kind {
            TypeKind::Alias(TypeExpr {
                ty: Ty::Named(TypeId(t)),
                ..
            }) => Some(*t),
            _ => None,
        };
        assert_eq!(alias_of(1), Some(0));
        assert_eq!(alias_of(3), Some(2));
        assert_eq!(alias_of(0), None);
        // The alias keeps its own name and doc.
        assert_eq!(types[3].rust_name, "BBody");
        assert_eq!(types[3].description.as_deref(), Some("BBody's own doc"));
    }

    #[test]
    fn components_stay_and_differences_count() {
        let mut response_enum = def("CDirection", "/paths/~1c/get/responses/200", direction());
        response_enum.in_response = true;
        let mut types = vec![
            def("Inline", "/paths/~1a/get/parameters/0/schema", direction()),
            def("Direction", "/components/schemas/Direction", direction()),
            def("Order", "/components/schemas/Order", direction()),
            response_enum,
            def(
                "Text",
                "/paths/~1d/get/parameters/0/schema",
                TypeKind::Alias(TypeExpr::new(Ty::String(StringFormat::Plain))),
            ),
        ];
        assert_eq!(alias_duplicates(&mut types), 1);
        // The inline copy aliases the component, not the other way round.
        assert!(matches!(
            &types[0].kind,
            TypeKind::Alias(TypeExpr {
                ty: Ty::Named(TypeId(1)),
                ..
            })
        ));
        assert!(matches!(types[2].kind, TypeKind::Enum(_)));
        assert!(matches!(types[3].kind, TypeKind::Enum(_)));
    }
}
