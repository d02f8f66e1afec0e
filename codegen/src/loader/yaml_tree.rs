//! YAML text straight into a JSON tree, without `serde_yaml::Value` on the
//! way: that model holds integers in 64 bits and refused
//! `maximum: 18446744073709552000`, a valid YAML (and JSON Schema) number.
//! Integers that fit 64 bits stay exact; larger ones become the nearest
//! `f64`, as JSON parsers read them. Merge keys (`<<: *anchor`) are applied
//! and non-string keys (`200:`) become strings; tags are dropped.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The merge key of YAML 1.1 (`<<: *base` or `<<: [*a, *b]`).
const MERGE: &str = "<<";

/// A JSON value read from any serde data format.
pub(crate) struct Tree(pub(crate) Value);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

fn float(f: f64) -> Value {
    // Non-finite numbers (`.inf`, `.nan`) have no JSON form.
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Tree::deserialize(d).map(|t| t.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Tree(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merged = Vec::new();
        while let Some(Tree(key)) = map.next_key()? {
            let Tree(value) = map.next_value()?;
            let key = key_text(key);
            if key == MERGE {
                merged.push(value);
            } else {
                out.insert(key, value);
            }
        }
        for value in merged {
            merge_into(&mut out, value);
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged node (`!Ref x`): the tag carries no OpenAPI meaning.
        use de::VariantAccess;
        let (_tag, variant): (Tree, _) = data.variant()?;
        variant.newtype_variant::<Tree>().map(|t| t.0)
    }
}

/// Merge keys never override the mapping's own keys, and earlier merged
/// mappings win over later ones (YAML 1.1 merge semantics).
fn merge_into(out: &mut Map<String, Value>, value: Value) {
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                out.entry(k).or_insert(v);
            }
        }
        Value::Array(items) => {
            for item in items {
                if let Value::Object(_) = item {
                    merge_into(out, item);
                }
            }
        }
        // A malformed merge is ignored, as before.
        _ => {}
    }
}

/// A key as a string: `200` -> "200", `true` -> "true", `null` -> "null".
fn key_text(k: Value) -> String {
    match k {
        Value::String(s) => s,
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}
