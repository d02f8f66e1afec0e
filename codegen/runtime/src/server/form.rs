//! Form bodies (`application/x-www-form-urlencoded`) read as OpenAPI's
//! default encoding writes them: each property `name=value`, a list's
//! items as the name repeated (style `form`, exploded), a value nested
//! deeper as JSON text. serde_urlencoded reads no lists at all, so a form
//! with an array property (Swagger 2.0's `formData` arrays) was refused.

use std::collections::HashMap;

use serde::de::value::{SeqDeserializer, StringDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, MapAccess, Visitor};
use serde::forward_to_deserialize_any;

use super::query::pairs;

/// Why a form does not decode as the type.
#[derive(Debug)]
pub struct FormError(String);

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormError {}

impl de::Error for FormError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        FormError(msg.to_string())
    }
}

/// `body` decoded as `T`, a struct (or map) of its properties.
///
/// ```
/// use codegen_runtime::server::form::from_bytes;
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Order { tag: Vec<String>, count: u32, gift: Option<bool> }
/// let order: Order = from_bytes(b"tag=a+b&count=2&tag=%C3%A9").unwrap();
/// assert_eq!(order, Order { tag: vec!["a b".into(), "é".into()], count: 2, gift: None });
/// ```
pub fn from_bytes<T: DeserializeOwned>(body: &[u8]) -> Result<T, FormError> {
    let text = String::from_utf8_lossy(body);
    // A type that buffers what it reads (an untagged union of structs, a
    // struct that collects unknown properties) asks for the value before
    // it knows its type, and the text is a string then: `time=5` is not
    // the integer its alternative wants. Read again guessing the text's
    // type (number, boolean, else string) before refusing the form: the
    // fields are split again then, not copied for every form.
    match T::deserialize(Form(fields(&text), Guess::No)) {
        Ok(value) => Ok(value),
        Err(error) => T::deserialize(Form(fields(&text), Guess::Yes)).map_err(|_| error),
    }
}

/// The form's properties in the order first sent, each with its values.
fn fields(text: &str) -> Vec<(String, Vec<String>)> {
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (key, value) in pairs(Some(text)) {
        match at.get(key.as_ref()) {
            Some(&i) => fields[i].1.push(value.into_owned()),
            None => {
                at.insert(key.to_string(), fields.len());
                fields.push((key.into_owned(), vec![value.into_owned()]));
            }
        }
    }
    fields
}

/// Whether a value read before its type is known (`deserialize_any`) is
/// its text (`No`), or a number or boolean where its text reads as one.
#[derive(Clone, Copy)]
enum Guess {
    No,
    Yes,
}

/// The whole form: a map of property name to its values.
struct Form(Vec<(String, Vec<String>)>, Guess);

impl<'de> de::Deserializer<'de> for Form {
    type Error = FormError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_map(Fields {
            fields: self.0.into_iter(),
            values: None,
            guess: self.1,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct Fields {
    fields: std::vec::IntoIter<(String, Vec<String>)>,
    values: Option<Vec<String>>,
    guess: Guess,
}

impl<'de> MapAccess<'de> for Fields {
    type Error = FormError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, FormError> {
        let Some((key, values)) = self.fields.next() else {
            return Ok(None);
        };
        self.values = Some(values);
        let key: StringDeserializer<FormError> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, FormError> {
        seed.deserialize(Values(self.values.take().unwrap_or_default(), self.guess))
    }
}

/// One property's values: a list takes them all, anything else exactly one.
struct Values(Vec<String>, Guess);

impl Values {
    fn one(self) -> Result<Text, FormError> {
        let mut values = self.0.into_iter();
        match (values.next(), values.next()) {
            (Some(value), None) => Ok(Text(value, self.1)),
            _ => Err(de::Error::custom("a single value is given more than once")),
        }
    }

    fn items<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        let guess = self.1;
        let items = self.0.into_iter().map(|text| Text(text, guess));
        visitor.visit_seq(SeqDeserializer::new(items))
    }
}

/// Forwards the named methods to the one value's [`Text`].
macro_rules! one_value {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
            de::Deserializer::$method(self.one()?, visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Values {
    type Error = FormError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        if self.0.len() == 1 {
            de::Deserializer::deserialize_any(self.one()?, visitor)
        } else {
            self.items(visitor)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        self.items(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        self.items(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        self.items(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_unit()
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FormError> {
        de::Deserializer::deserialize_map(self.one()?, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FormError> {
        de::Deserializer::deserialize_enum(self.one()?, name, variants, visitor)
    }

    one_value! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16
        deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_map deserialize_identifier
    }

    // A property the type does not declare is skipped, however often it
    // comes (Schemathesis sent one repeated).
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_unit()
    }
}

/// One value's text: numbers and booleans parsed from it, an object or a
/// list nested in an item or property read as its JSON text.
struct Text(String, Guess);

impl Text {
    fn json<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        let fail = |e: serde_json::Error| de::Error::custom(format!("{e} (in `{}`)", self.0));
        let json: serde_json::Value = serde_json::from_str(&self.0).map_err(fail)?;
        de::Deserializer::deserialize_any(json, visitor).map_err(fail)
    }
}

/// `text` visited as a boolean or a number where it reads as one (plain
/// decimals only: `inf` and `NaN` stay words), else as itself.
fn guessed<'de, V: Visitor<'de>>(text: String, visitor: V) -> Result<V::Value, FormError> {
    match text.as_str() {
        "true" => return visitor.visit_bool(true),
        "false" => return visitor.visit_bool(false),
        _ => {}
    }
    if let Ok(n) = text.parse::<u64>() {
        return visitor.visit_u64(n);
    }
    if let Ok(n) = text.parse::<i64>() {
        return visitor.visit_i64(n);
    }
    let decimal = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    match text.parse::<f64>() {
        Ok(n) if decimal && n.is_finite() => visitor.visit_f64(n),
        _ => visitor.visit_string(text),
    }
}

/// Parses the text for the named methods, visiting the value.
macro_rules! parsed {
    ($($method:ident => $visit:ident,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
            match self.0.trim().parse() {
                Ok(value) => visitor.$visit(value),
                Err(_) => Err(de::Error::invalid_value(de::Unexpected::Str(&self.0), &visitor)),
            }
        }
    )*};
}

impl<'de> IntoDeserializer<'de, FormError> for Text {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Text {
    type Error = FormError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        match self.1 {
            Guess::Yes => guessed(self.0, visitor),
            Guess::No => visitor.visit_string(self.0),
        }
    }

    parsed! {
        deserialize_bool => visit_bool,
        deserialize_i8 => visit_i8,
        deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64,
        deserialize_i128 => visit_i128,
        deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64,
        deserialize_u128 => visit_u128,
        deserialize_f32 => visit_f32,
        deserialize_f64 => visit_f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FormError> {
        let text: StringDeserializer<FormError> = self.0.into_deserializer();
        visitor.visit_enum(text)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        self.json(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        self.json(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FormError> {
        self.json(visitor)
    }

    forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct tuple tuple_struct
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Size {
        S,
        M,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Order {
        sizes: Vec<Size>,
        size: Option<Size>,
        count: Option<i64>,
        price: Option<f64>,
        gift: Option<bool>,
        note: Option<String>,
        address: Option<BTreeMap<String, String>>,
    }

    #[test]
    fn a_repeated_name_is_a_list_and_a_single_one_a_list_of_one() {
        let o: Order = from_bytes(b"sizes=s&sizes=m&count=-3&price=1.5&gift=true").unwrap();
        assert_eq!(o.sizes, [Size::S, Size::M]);
        assert_eq!(
            (o.count, o.price, o.gift),
            (Some(-3), Some(1.5), Some(true))
        );
        let o: Order = from_bytes(b"sizes=m&size=s&note=a+b%26c").unwrap();
        assert_eq!((o.sizes, o.size), (vec![Size::M], Some(Size::S)));
        assert_eq!(o.note.as_deref(), Some("a b&c"));
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct RealTime {
        time: f64,
        increment: u32,
        rated: Option<bool>,
        variant: Option<String>,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Correspondence {
        days: u32,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum Seek {
        RealTime(RealTime),
        Correspondence(Correspondence),
    }

    #[test]
    fn an_untagged_union_of_structs_reads_numbers_and_booleans() {
        let seek: Seek = from_bytes(b"time=5&increment=3&rated=true&variant=chess960").unwrap();
        let expected = RealTime {
            time: 5.0,
            increment: 3,
            rated: Some(true),
            variant: Some("chess960".into()),
        };
        assert_eq!(seek, Seek::RealTime(expected));
        let seek: Seek = from_bytes(b"days=3").unwrap();
        assert_eq!(seek, Seek::Correspondence(Correspondence { days: 3 }));
        // Refused, with the first reading's message.
        let e = from_bytes::<Seek>(b"days=three").unwrap_err();
        assert!(e.to_string().contains("did not match any variant"), "{e}");
    }

    #[test]
    fn a_nested_object_is_its_json_text() {
        let o: Order = from_bytes(b"sizes=s&address=%7B%22city%22%3A%22Oslo%22%7D").unwrap();
        assert_eq!(o.address.unwrap()["city"], "Oslo");
    }

    #[test]
    fn wrong_values_are_errors_naming_what_was_given() {
        let e = from_bytes::<Order>(b"sizes=s&count=two").unwrap_err();
        assert!(e.to_string().contains("two"), "{e}");
        let e = from_bytes::<Order>(b"sizes=s&count=1&count=2").unwrap_err();
        assert!(e.to_string().contains("more than once"), "{e}");
        let e = from_bytes::<Order>(b"sizes=xl").unwrap_err();
        assert!(e.to_string().contains("xl"), "{e}");
        assert!(from_bytes::<Order>(b"count=1").is_err(), "a required list");
    }

    #[test]
    fn an_undeclared_property_is_skipped_even_repeated() {
        let o: Order = from_bytes(b"sizes=s&extra=1&extra=2").unwrap();
        assert_eq!(o.sizes, [Size::S]);
    }

    #[test]
    fn a_loose_value_decodes_as_text_or_list() {
        let v: BTreeMap<String, serde_json::Value> = from_bytes(b"a=1&b=x&b=y").unwrap();
        assert_eq!(v["a"], "1");
        assert_eq!(v["b"], serde_json::json!(["x", "y"]));
    }
}
