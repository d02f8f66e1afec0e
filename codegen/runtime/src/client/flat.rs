//! A parameter value as the styles see it: nothing, one scalar, a list of
//! scalars or an object of scalar properties (in declaration order, which
//! for generated types is the spec's property order).

use serde::ser::{self, Impossible, Serialize};

/// A value flattened for a parameter style.
#[derive(Debug, PartialEq)]
pub(crate) enum Flat {
    /// `None`: the parameter is not sent.
    Absent,
    Scalar(String),
    Items(Vec<String>),
    Pairs(Vec<(String, String)>),
}

/// `value` flattened. Values nested deeper than a style can carry (a list
/// of objects, an object property that is a list) are written as JSON:
/// the generator warns about such parameters.
pub(crate) fn flatten<T: Serialize + ?Sized>(value: &T) -> Flat {
    value.serialize(Flattener).unwrap_or(Flat::Absent)
}

/// One item or property value as text; `None` when absent.
pub(crate) fn text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    match flatten(value) {
        Flat::Absent => None,
        Flat::Scalar(s) => Some(s),
        Flat::Items(_) | Flat::Pairs(_) => serde_json::to_string(value).ok(),
    }
}

#[derive(Debug)]
pub(crate) struct Unsupported(String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

struct Flattener;

/// Collects a list's items.
pub(crate) struct Items(Vec<String>);

/// Collects an object's properties.
pub(crate) struct Pairs {
    pairs: Vec<(String, String)>,
    key: Option<String>,
}

type Result<T> = std::result::Result<T, Unsupported>;

macro_rules! scalar {
    ($($method:ident: $t:ty),*) => {
        $(fn $method(self, v: $t) -> Result<Flat> {
            Ok(Flat::Scalar(v.to_string()))
        })*
    };
}

impl ser::Serializer for Flattener {
    type Ok = Flat;
    type Error = Unsupported;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    type SerializeTupleVariant = Impossible<Flat, Unsupported>;
    type SerializeMap = Pairs;
    type SerializeStruct = Pairs;
    type SerializeStructVariant = Impossible<Flat, Unsupported>;

    scalar!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char,
        serialize_str: &str);

    fn serialize_f32(self, v: f32) -> Result<Flat> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Flat> {
        // JSON's number text (`1.5`, `100.0`), as the server parses it.
        Ok(Flat::Scalar(
            serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string()),
        ))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Flat> {
        Ok(Flat::Scalar(String::from_utf8_lossy(v).into_owned()))
    }
    fn serialize_none(self) -> Result<Flat> {
        Ok(Flat::Absent)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Flat> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Flat> {
        Ok(Flat::Absent)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Flat> {
        Ok(Flat::Absent)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Flat> {
        Ok(Flat::Scalar(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Flat> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<Flat> {
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Items> {
        Ok(Items(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Items> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Items> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(ser::Error::custom(format!("{name}: not a parameter value")))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Pairs> {
        Ok(Pairs {
            pairs: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Pairs> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(ser::Error::custom(format!("{name}: not a parameter value")))
    }
}

impl Items {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) {
        if let Some(item) = text(value) {
            self.0.push(item);
        }
    }
}

impl ser::SerializeSeq for Items {
    type Ok = Flat;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value);
        Ok(())
    }
    fn end(self) -> Result<Flat> {
        Ok(Flat::Items(self.0))
    }
}

impl ser::SerializeTuple for Items {
    type Ok = Flat;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value);
        Ok(())
    }
    fn end(self) -> Result<Flat> {
        Ok(Flat::Items(self.0))
    }
}

impl ser::SerializeTupleStruct for Items {
    type Ok = Flat;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value);
        Ok(())
    }
    fn end(self) -> Result<Flat> {
        Ok(Flat::Items(self.0))
    }
}

impl ser::SerializeMap for Pairs {
    type Ok = Flat;
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = text(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        if let (Some(key), Some(value)) = (self.key.take(), text(value)) {
            self.pairs.push((key, value));
        }
        Ok(())
    }
    fn end(self) -> Result<Flat> {
        Ok(Flat::Pairs(self.pairs))
    }
}

impl ser::SerializeStruct for Pairs {
    type Ok = Flat;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        // An absent optional property is left out, as JSON would.
        if let Some(value) = text(value) {
            self.pairs.push((key.to_string(), value));
        }
        Ok(())
    }
    fn end(self) -> Result<Flat> {
        Ok(Flat::Pairs(self.pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Color {
        #[serde(rename = "R")]
        r: u8,
        #[serde(rename = "G")]
        g: u8,
        #[serde(rename = "B")]
        b: Option<u8>,
    }

    #[derive(serde::Serialize)]
    enum Kind {
        #[serde(rename = "big-one")]
        Big,
    }

    #[test]
    fn flattens_scalars_lists_and_objects_in_declaration_order() {
        assert_eq!(flatten("blue"), Flat::Scalar("blue".into()));
        assert_eq!(flatten(&1.5), Flat::Scalar("1.5".into()));
        assert_eq!(flatten(&Kind::Big), Flat::Scalar("big-one".into()));
        assert_eq!(flatten(&None::<u8>), Flat::Absent);
        assert_eq!(
            flatten(&["a", "b"]),
            Flat::Items(vec!["a".into(), "b".into()])
        );
        let c = Color {
            r: 100,
            g: 200,
            b: None,
        };
        assert_eq!(
            flatten(&c),
            Flat::Pairs(vec![("R".into(), "100".into()), ("G".into(), "200".into())])
        );
    }

    #[test]
    fn nested_values_are_json() {
        assert_eq!(flatten(&[vec![1, 2]]), Flat::Items(vec!["[1,2]".into()]));
    }
}
