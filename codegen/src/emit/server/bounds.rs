//! The body limit a spec implies for an operation: when every value its
//! request body schema admits has a bounded encoding (`maxLength` strings,
//! `maxItems` arrays of bounded items, closed objects of bounded fields),
//! the server need not read more than that.
//!
//! The bound is generous on purpose: it must never refuse a body the spec
//! allows. Every character counts as a 12-byte escaped surrogate pair
//! (`\ud83e\udd80`), and the compact size is doubled and padded with 1 KiB
//! for the whitespace a pretty-printing client adds.

use crate::ir::{MediaContent, Ty, TypeExpr, TypeKind, TypeSpace};

use super::{body_kind, BodyKind};

/// Bytes of one escaped character in the worst case.
const CHAR: u64 = 12;
/// Nesting beyond which a schema counts as unbounded (recursive types).
const DEPTH: usize = 16;

/// The spec's bound on a request body, in bytes, or `None`: for the
/// media type the server reads (see [`body_kind`]).
pub(super) fn body_bound(types: &TypeSpace, contents: &[MediaContent]) -> Option<u64> {
    let compact = match body_kind(contents) {
        BodyKind::Json(Some(expr)) => json(types, expr, 0)?,
        BodyKind::Text => {
            let text = contents
                .iter()
                .find(|c| c.media_type.to_ascii_lowercase().starts_with("text/"))?;
            raw(text.schema.as_ref()?)?
        }
        BodyKind::Multipart(_) => raw(contents.first()?.schema.as_ref()?)?,
        // Streamed bodies have their own limit (`Limits::streamed_body`).
        BodyKind::Events(_) | BodyKind::JsonSeq(..) | BodyKind::Binary(_) | BodyKind::Parts(_) => {
            return None
        }
        BodyKind::None | BodyKind::Json(None) | BodyKind::Form(_) => return None,
    };
    Some(compact.saturating_mul(2).saturating_add(1024))
}

/// A text or raw body is the string itself: at most 4 bytes of UTF-8 per
/// character.
fn raw(expr: &TypeExpr) -> Option<u64> {
    match expr.ty {
        Ty::String(_) => Some(4 * expr.constraints.max_length? as u64),
        _ => None,
    }
}

/// Most bytes of the compact JSON encoding of any value of `expr`.
fn json(types: &TypeSpace, expr: &TypeExpr, depth: usize) -> Option<u64> {
    if depth > DEPTH {
        return None;
    }
    let value = match &expr.ty {
        Ty::Boolean => 5,
        // "-9223372036854775808"; serde refuses other spellings of integers.
        Ty::Integer(_) => 20,
        // A number may be written with any number of digits.
        Ty::Number(_) | Ty::Map(_) | Ty::Object | Ty::Any | Ty::External(_) => return None,
        Ty::String(_) => string(expr.constraints.max_length? as u64),
        Ty::Array(items) => {
            let n = expr.constraints.max_items? as u64;
            2 + n.checked_mul(json(types, items, depth + 1)? + 1)?
        }
        Ty::Tuple(items) => {
            let mut sum: u64 = 2;
            for item in items {
                sum = sum.checked_add(json(types, item, depth + 1)? + 1)?;
            }
            sum
        }
        Ty::Named(id) => named(types, &types.get(*id).kind, depth)?,
    };
    Some(if expr.nullable { value.max(4) } else { value })
}

fn named(types: &TypeSpace, kind: &TypeKind, depth: usize) -> Option<u64> {
    match kind {
        TypeKind::Enum(e) => e
            .variants
            .iter()
            .map(|v| string(v.value.chars().count() as u64))
            .max(),
        TypeKind::Alias(expr) => json(types, expr, depth + 1),
        TypeKind::OneOf(one) => {
            let mut most = 0;
            for v in &one.variants {
                most = json(types, &v.schema, depth + 1)?.max(most);
            }
            Some(most)
        }
        // Open objects take any property, so only closed ones are bounded.
        TypeKind::Struct(s) if s.deny_unknown && s.additional.is_none() => {
            let mut sum: u64 = 2;
            for f in &s.fields {
                let key = string(f.spec_name.chars().count() as u64);
                sum = sum.checked_add(key + 1 + json(types, &f.schema, depth + 1)? + 1)?;
            }
            Some(sum)
        }
        TypeKind::Struct(_) => None,
    }
}

fn string(chars: u64) -> u64 {
    chars.saturating_mul(CHAR).saturating_add(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Constraints, IntegerFormat, NumberFormat, StringFormat};

    fn body(media_type: &str, schema: &TypeExpr) -> Vec<MediaContent> {
        vec![MediaContent {
            media_type: media_type.to_string(),
            schema: Some(schema.clone()),
            item: None,
            example: None,
        }]
    }

    fn json_bound(schema: &TypeExpr) -> Option<u64> {
        body_bound(&TypeSpace::default(), &body("application/json", schema))
    }

    fn with(ty: Ty, constraints: Constraints) -> TypeExpr {
        TypeExpr {
            constraints,
            ..TypeExpr::new(ty)
        }
    }

    fn short_string() -> TypeExpr {
        with(
            Ty::String(StringFormat::Plain),
            Constraints {
                max_length: Some(8),
                ..Constraints::default()
            },
        )
    }

    #[test]
    fn bounded_arrays_of_bounded_strings() {
        let labels = with(
            Ty::Array(Box::new(short_string())),
            Constraints {
                max_items: Some(3),
                ..Constraints::default()
            },
        );
        // 3 strings of 8 escaped surrogate pairs, quotes and commas, brackets.
        let compact = 2 + 3 * (2 + 8 * CHAR + 1);
        assert_eq!(json_bound(&labels), Some(compact * 2 + 1024));
    }

    #[test]
    fn unbounded_shapes_have_no_bound() {
        let types = TypeSpace::default();
        let plain = TypeExpr::new(Ty::String(StringFormat::Plain));
        let number = TypeExpr::new(Ty::Number(NumberFormat::Double));
        let open_array = TypeExpr::new(Ty::Array(Box::new(short_string())));
        let integers = with(
            Ty::Array(Box::new(TypeExpr::new(Ty::Integer(IntegerFormat::Int64)))),
            Constraints {
                max_items: Some(2),
                ..Constraints::default()
            },
        );
        for expr in [&plain, &number, &open_array] {
            assert_eq!(json_bound(expr), None);
        }
        let form = body("application/x-www-form-urlencoded", &short_string());
        assert_eq!(body_bound(&types, &form), None);
        assert_eq!(json_bound(&integers), Some((2 + 2 * 21) * 2 + 1024));
    }

    #[test]
    fn text_bodies_count_utf8_bytes() {
        let types = TypeSpace::default();
        let text = body("text/plain", &short_string());
        assert_eq!(body_bound(&types, &text), Some(4 * 8 * 2 + 1024));
        let untyped = vec![MediaContent {
            media_type: "application/octet-stream".into(),
            schema: None,
            item: None,
            example: None,
        }];
        assert_eq!(body_bound(&types, &untyped), None);
    }
}
