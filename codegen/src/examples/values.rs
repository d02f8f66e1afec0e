//! Values made up from schemas, for the inputs of the server check that
//! no example gives: an enum's first value, else the spec's example or
//! default, else a value within the schema's constraints (`minimum`,
//! `multipleOf`, `minLength`, formats). A `pattern` is not followed: a
//! value that breaks one is refused, and the check says so.

use serde_json::{json, Map, Value};

use crate::ir::{Api, Ty, TypeExpr, TypeKind};
use crate::settings::FormatType;

/// A value of a parameter, as text: an enum's first value, else the
/// spec's example (a scalar, or an array's first item), else its default,
/// else one made up within the schema's constraints.
pub fn sample(
    api: &Api,
    schema: &TypeExpr,
    example: Option<&Value>,
    default: Option<&Value>,
) -> Result<String, String> {
    if let Some(first) = schema.constraints.allowed.first() {
        return scalar(first).ok_or_else(|| "its first allowed value is not a scalar".into());
    }
    if let Ty::Named(id) = &schema.ty {
        match &api.types.get(*id).kind {
            TypeKind::Enum(e) => {
                if let Some(v) = e.variants.first() {
                    return Ok(v.value.clone());
                }
            }
            TypeKind::Alias(inner) => return sample(api, inner, example, default),
            _ => {}
        }
    }
    let given = |v: Option<&Value>| {
        v.and_then(|v| match v {
            Value::Array(items) => items.first().and_then(scalar),
            v => scalar(v),
        })
    };
    if let Some(v) = given(example).or_else(|| given(default)) {
        return Ok(v);
    }
    made_up(api, schema)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn made_up(api: &Api, schema: &TypeExpr) -> Result<String, String> {
    let c = &schema.constraints;
    match &schema.ty {
        Ty::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Alias(inner) => made_up(api, inner),
            _ => Err("no value can be made up for an object".into()),
        },
        Ty::String(format) => {
            use crate::ir::StringFormat as F;
            Ok(match format {
                F::DateTime => "2024-01-02T03:04:05Z".into(),
                F::Date => "2024-01-02".into(),
                F::Byte => "AAAA".into(),
                F::Mapped(FormatType::Uuid) => "3fa85f64-5717-4562-b3fc-2c963f66afa6".into(),
                F::Mapped(FormatType::Url) => "https://example.com/".into(),
                F::Mapped(FormatType::Decimal) => "1".into(),
                F::Mapped(FormatType::IpAddr | FormatType::Ipv4Addr) => "127.0.0.1".into(),
                F::Mapped(FormatType::Ipv6Addr) => "::1".into(),
                F::Mapped(FormatType::ChronoDateTime) => "2024-01-02T03:04:05Z".into(),
                F::Mapped(FormatType::ChronoDate) => "2024-01-02".into(),
                _ => {
                    let len = c
                        .min_length
                        .unwrap_or(1)
                        .max(1)
                        .min(c.max_length.unwrap_or(usize::MAX));
                    "a".repeat(len)
                }
            })
        }
        Ty::Integer(_) | Ty::Number(_) => {
            let mut v: f64 = 1.0;
            if let Some(min) = c.minimum {
                v = if c.exclusive_minimum {
                    min.floor() + 1.0
                } else {
                    min.ceil()
                };
            } else if let Some(max) = c.maximum {
                if max < 1.0 {
                    v = if c.exclusive_maximum {
                        max.ceil() - 1.0
                    } else {
                        max.floor()
                    };
                }
            }
            if let Some(m) = c.multiple_of.filter(|m| *m > 0.0) {
                v = (v / m).ceil() * m;
            }
            Ok(if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{}", v as i64)
            } else {
                v.to_string()
            })
        }
        Ty::Boolean => Ok("true".into()),
        Ty::Array(items) => made_up(api, items),
        _ => Err("no value can be made up for this schema".into()),
    }
}

/// A JSON value of `schema`: the type's own example if it has one, else
/// an object of its required fields, an enum's first value, a `oneOf`'s
/// first alternative (with its discriminator value), an array of
/// `minItems` items. `None` where nothing can be made (a user's type, or
/// nesting deeper than eight levels).
pub fn made_up_json(api: &Api, schema: &TypeExpr, depth: usize) -> Option<Value> {
    if depth > 8 {
        return None;
    }
    if let Some(v) = schema.default.clone() {
        return Some(v);
    }
    if let Some(first) = schema.constraints.allowed.first() {
        return Some(first.clone());
    }
    let c = &schema.constraints;
    Some(match &schema.ty {
        Ty::Named(id) => {
            let t = api.types.get(*id);
            if let Some(example) = &t.example {
                return Some(example.clone());
            }
            match &t.kind {
                TypeKind::Struct(s) => {
                    let mut object = Map::new();
                    for f in s.fields.iter().filter(|f| f.required || f.request_required) {
                        object.insert(
                            f.spec_name.clone(),
                            made_up_json(api, &f.schema, depth + 1)?,
                        );
                    }
                    Value::Object(object)
                }
                TypeKind::Enum(e) => Value::String(e.variants.first()?.value.clone()),
                TypeKind::OneOf(o) => {
                    let first = o.variants.first()?;
                    let mut v = made_up_json(api, &first.schema, depth + 1)?;
                    if let (Some(property), Some(value), Value::Object(m)) =
                        (&o.discriminator, first.discriminator_values.first(), &mut v)
                    {
                        m.insert(property.clone(), Value::String(value.clone()));
                    }
                    v
                }
                TypeKind::Alias(inner) => return made_up_json(api, inner, depth + 1),
            }
        }
        Ty::String(_) => Value::String(made_up(api, schema).ok()?),
        Ty::Integer(_) | Ty::Number(_) => serde_json::from_str(&made_up(api, schema).ok()?).ok()?,
        Ty::Boolean => Value::Bool(true),
        Ty::Array(items) => {
            let n = c.min_items.unwrap_or(0);
            let item = if n > 0 {
                Some(made_up_json(api, items, depth + 1)?)
            } else {
                None
            };
            Value::Array(item.into_iter().cycle().take(n).collect())
        }
        Ty::Tuple(items) => Value::Array(
            items
                .iter()
                .map(|i| made_up_json(api, i, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Ty::Map(_) | Ty::Object | Ty::Any => json!({}),
        Ty::External(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{IntegerFormat, StringFormat};

    fn api() -> Api {
        Api::default()
    }

    #[test]
    fn made_up_values_keep_within_constraints() {
        let mut n = TypeExpr::new(Ty::Integer(IntegerFormat::Int32));
        assert_eq!(sample(&api(), &n, None, None).unwrap(), "1");
        n.constraints.minimum = Some(10.0);
        n.constraints.multiple_of = Some(4.0);
        assert_eq!(sample(&api(), &n, None, None).unwrap(), "12");
        let mut s = TypeExpr::new(Ty::String(StringFormat::Plain));
        s.constraints.min_length = Some(3);
        assert_eq!(sample(&api(), &s, None, None).unwrap(), "aaa");
        assert_eq!(
            sample(&api(), &s, Some(&json!(["x", "y"])), None).unwrap(),
            "x"
        );
        s.constraints.allowed = vec![json!("first")];
        assert_eq!(
            sample(&api(), &s, Some(&json!("x")), None).unwrap(),
            "first"
        );
        assert!(sample(&api(), &TypeExpr::new(Ty::Object), None, None).is_err());
    }

    #[test]
    fn a_made_up_body_has_what_its_schema_requires() {
        let mut list = TypeExpr::new(Ty::Array(Box::new(TypeExpr::new(Ty::Boolean))));
        assert_eq!(made_up_json(&api(), &list, 0), Some(json!([])));
        list.constraints.min_items = Some(2);
        assert_eq!(made_up_json(&api(), &list, 0), Some(json!([true, true])));
        let date = TypeExpr::new(Ty::String(StringFormat::Date));
        assert_eq!(made_up_json(&api(), &date, 0), Some(json!("2024-01-02")));
        let user = TypeExpr::new(Ty::External("money::Money".into()));
        assert_eq!(made_up_json(&api(), &user, 0), None);
    }
}
