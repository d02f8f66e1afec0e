//! A component schema that is itself nullable (`nullable: true`, 3.1's
//! `type: [object, "null"]`, or an enum listing `null`) accepts `null`
//! wherever it is used. A struct, enum or one-of type cannot hold that
//! `null` itself, so every use of it becomes nullable (`Option<T>`); an
//! alias already carries it (`pub type X = Option<..>`).
//!
//! Found by the examples check: Plaid's `item.error` (`$ref: PlaidError`,
//! an object with `nullable: true`) and Lob's `use_type` (an enum listing
//! `null`) are `null` in the APIs' own examples, which the types refused.

use std::collections::BTreeSet;

use crate::ir::{Operation, Resource, Ty, TypeDef, TypeExpr, TypeId};

/// Makes every use of the types in `nullable` nullable.
pub(super) fn nullable_uses(
    types: &mut [TypeDef],
    resources: &mut [Resource],
    nullable: &BTreeSet<TypeId>,
) {
    if nullable.is_empty() {
        return;
    }
    for t in types.iter_mut() {
        super::dedupe::each_expr(&mut t.kind, &mut |e| visit(e, nullable));
    }
    for op in resources.iter_mut().flat_map(|r| &mut r.operations) {
        operation(op, nullable);
    }
}

fn operation(op: &mut Operation, nullable: &BTreeSet<TypeId>) {
    // Parameters are text: never `null` (lowering made them not nullable).
    let bodies = op
        .request_body
        .iter_mut()
        .flat_map(|b| &mut b.contents)
        .chain(op.responses.iter_mut().flat_map(|r| &mut r.contents));
    for c in bodies {
        for e in c.schema.iter_mut().chain(c.item.iter_mut()) {
            visit(e, nullable);
        }
    }
    for h in op.responses.iter_mut().flat_map(|r| &mut r.headers) {
        visit(&mut h.schema, nullable);
    }
    if let Some(p) = &mut op.pagination {
        visit(&mut p.page, nullable);
        visit(&mut p.item, nullable);
    }
}

fn visit(e: &mut TypeExpr, nullable: &BTreeSet<TypeId>) {
    match &mut e.ty {
        Ty::Named(id) if nullable.contains(id) => e.nullable = true,
        Ty::Array(inner) | Ty::Map(inner) => visit(inner, nullable),
        Ty::Tuple(items) => items.iter_mut().for_each(|i| visit(i, nullable)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{EnumType, Field, StructType, TypeKind};

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef::named(name, &format!("/components/schemas/{name}"), kind)
    }

    fn object(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(StructType {
            fields,
            deny_unknown: false,
            additional: None,
            additional_field: "additional_properties".into(),
            dependent_required: Vec::new(),
            conditional_required: None,
        })
    }

    fn field(name: &str, schema: TypeExpr) -> Field {
        Field {
            spec_name: name.into(),
            rust_name: name.into(),
            description: None,
            required: true,
            request_required: false,
            response_required: false,
            schema,
            secret: false,
            deprecated: false,
            read_only: false,
            write_only: false,
        }
    }

    #[test]
    fn uses_of_a_nullable_component_become_nullable_at_any_depth() {
        let named = |i| TypeExpr::new(Ty::Named(TypeId(i)));
        let mut types = vec![
            def("Error", object(Vec::new())),
            def(
                "Kind",
                TypeKind::Enum(EnumType {
                    variants: Vec::new(),
                }),
            ),
            def(
                "Item",
                object(vec![
                    field("error", named(0)),
                    field("kinds", TypeExpr::new(Ty::Array(Box::new(named(1))))),
                    field("other", named(2)),
                ]),
            ),
        ];
        nullable_uses(&mut types, &mut [], &BTreeSet::from([TypeId(0), TypeId(1)]));
        let TypeKind::Struct(s) = &types[2].kind else {
            unreachable!()
        };
        assert!(s.fields[0].schema.nullable);
        let Ty::Array(inner) = &s.fields[1].schema.ty else {
            unreachable!()
        };
        assert!(inner.nullable && !s.fields[1].schema.nullable);
        assert!(!s.fields[2].schema.nullable);
    }
}
