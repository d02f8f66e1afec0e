//! Values made up from schemas, for the inputs of the server check that
//! no example gives: an enum's first value, else the spec's example or
//! default, else a value within the schema's constraints (`minimum`,
//! `multipleOf`, `minLength`, formats, and a `pattern` in the common
//! subset [`from_pattern`] reads). A value that breaks its schema anyway
//! is refused by the server, and the check says so.

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
                _ if c.pattern.is_some() => patterned(c)?,
                _ if c.format.is_some() => by_format(c.format.as_deref().unwrap_or_default())
                    .map_or_else(
                        || "a".repeat(c.min_length.unwrap_or(1).max(1)),
                        str::to_string,
                    ),
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

/// A value of a string format the OpenAPI Format Registry lists, for a
/// format the generated type does not parse itself (a plain `String`).
fn by_format(format: &str) -> Option<&'static str> {
    Some(match format {
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" | "idn-email" => "user@example.com",
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => "https://example.com/",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "127.0.0.1",
        "ipv6" => "::1",
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05Z",
        "duration" => "P1D",
        "byte" => "AAAA",
        "int32" | "int64" | "decimal" | "number" => "1",
        _ => return None,
    })
}

/// A string matching the constraints' `pattern` (checked as the generated
/// server checks it: the `regex` crate, else `fancy-regex` for look-around)
/// within its lengths: [`from_pattern`]'s, its last character repeated up
/// to `minLength` or a few lengths (a pattern's least match may be shorter
/// than a look-ahead's `(?=.{3,63}$)` asks), else a few plain guesses.
fn patterned(c: &crate::ir::Constraints) -> Result<String, String> {
    let pattern = c.pattern.as_deref().unwrap_or_default();
    let linear = regex::Regex::new(pattern).ok();
    let backtracking = match linear {
        Some(_) => None,
        None => fancy_regex::Regex::new(pattern).ok(),
    };
    let matches = |text: &str| match (&linear, &backtracking) {
        (Some(r), _) => r.is_match(text),
        (None, Some(r)) => r.is_match(text).unwrap_or(false),
        (None, None) => true,
    };
    let min = c.min_length.unwrap_or(0);
    let max = c.max_length.unwrap_or(usize::MAX);
    let fits = |text: &str| {
        let n = text.chars().count();
        n >= min && n <= max && matches(text)
    };
    let mut candidates = Vec::new();
    for text in super::pattern::sample(pattern)
        .into_iter()
        .chain(from_pattern(pattern))
    {
        candidates.push(text.clone());
        if let Some(last) = text.chars().last() {
            for length in [min, 3, 8] {
                let mut longer = text.clone();
                while longer.chars().count() < length {
                    longer.push(last);
                }
                candidates.push(longer);
            }
        }
    }
    let padded = "a".repeat(min.max(1));
    candidates.extend([padded, "a1".into(), "1".into(), "A".into()]);
    candidates
        .into_iter()
        .find(|t| fits(t))
        .ok_or_else(|| "its `pattern` is beyond the made-up values' subset".into())
}

/// A JSON value of `schema`: the type's own example if it has one, else
/// an object of its required fields, an enum's first value, a `oneOf`'s
/// first alternative (with its discriminator value), an array of
/// `minItems` items. `None` where nothing can be made (a user's type, or
/// nesting deeper than eight levels). Made for a request: its `writeOnly`
/// required properties in, its `readOnly` ones out.
pub fn made_up_json(api: &Api, schema: &TypeExpr, depth: usize) -> Option<Value> {
    made_up_value(api, schema, depth, Made::request())
}

/// [`made_up_json`] without the types' own examples, for when an example
/// does not fit its schema (a spec bug the generated types refuse).
pub fn made_up_from_schema(api: &Api, schema: &TypeExpr) -> Option<Value> {
    made_up_value(
        api,
        schema,
        0,
        Made {
            examples: false,
            ..Made::request()
        },
    )
}

/// [`made_up_json`] for an answer: its `readOnly` required properties
/// in (every answer carries them), its `writeOnly` ones out.
pub fn made_up_answer(api: &Api, schema: &TypeExpr, depth: usize) -> Option<Value> {
    made_up_value(api, schema, depth, Made::answer())
}

/// [`made_up_from_schema`] for an answer.
pub fn made_up_answer_from_schema(api: &Api, schema: &TypeExpr) -> Option<Value> {
    made_up_value(
        api,
        schema,
        0,
        Made {
            examples: false,
            ..Made::answer()
        },
    )
}

/// How a value is made up: whether the types' own examples are used, and
/// for which direction (`readOnly`/`writeOnly` required properties).
#[derive(Clone, Copy)]
struct Made {
    examples: bool,
    answer: bool,
}

impl Made {
    fn request() -> Self {
        Made {
            examples: true,
            answer: false,
        }
    }

    fn answer() -> Self {
        Made {
            examples: true,
            answer: true,
        }
    }

    /// Whether `f` is in every value made for this direction.
    fn requires(self, f: &crate::ir::Field) -> bool {
        f.required
            || if self.answer {
                f.response_required
            } else {
                f.request_required
            }
    }

    /// Whether `f` may be in a value made for this direction.
    fn allows(self, f: &crate::ir::Field) -> bool {
        if self.answer {
            !f.write_only
        } else {
            !f.read_only
        }
    }
}

fn made_up_value(api: &Api, schema: &TypeExpr, depth: usize, made: Made) -> Option<Value> {
    let made_up_json =
        |api: &Api, schema: &TypeExpr, depth: usize| made_up_value(api, schema, depth, made);
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
            if let Some(example) = t.example.as_ref().filter(|_| made.examples) {
                return Some(example.clone());
            }
            match &t.kind {
                TypeKind::Struct(s) => {
                    let mut object = Map::new();
                    for f in s.fields.iter().filter(|f| made.requires(f)) {
                        object.insert(
                            f.spec_name.clone(),
                            made_up_json(api, &f.schema, depth + 1)?,
                        );
                    }
                    // An object with nothing required: its first property
                    // that can be made (an empty object is no value where a
                    // parameter must be sent).
                    if object.is_empty() {
                        if let Some((name, v)) =
                            s.fields.iter().filter(|f| made.allows(f)).find_map(|f| {
                                Some((
                                    f.spec_name.clone(),
                                    made_up_json(api, &f.schema, depth + 1)?,
                                ))
                            })
                        {
                            object.insert(name, v);
                        }
                    }
                    // `minProperties`: optional properties until there are enough.
                    let min = c.min_properties.unwrap_or(0);
                    for f in s.fields.iter().filter(|f| made.allows(f)) {
                        if object.len() >= min {
                            break;
                        }
                        if object.contains_key(&f.spec_name) {
                            continue;
                        }
                        if let Some(v) = made_up_json(api, &f.schema, depth + 1) {
                            object.insert(f.spec_name.clone(), v);
                        }
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
        Ty::Map(item) => members(c.min_properties, || made_up_json(api, item, depth + 1))?,
        Ty::Object => members(c.min_properties, || Some(json!(1)))?,
        Ty::Any => json!({}),
        Ty::External(_) => return None,
    })
}

/// An object of `min` members (`k0`, `k1`...: `minProperties`), each a
/// made-up value; the empty object without a minimum.
fn members(min: Option<usize>, value: impl Fn() -> Option<Value>) -> Option<Value> {
    let min = min.unwrap_or(0);
    let one = if min > 0 { Some(value()?) } else { None };
    let map: Map<String, Value> = one
        .iter()
        .flat_map(|v| (0..min).map(move |i| (format!("k{i}"), v.clone())))
        .collect();
    Some(Value::Object(map))
}

/// A string matching `pattern`, for the common subset of regular
/// expressions identifiers are written in: literals, escapes (`\d`, `\w`,
/// `\.`), `.`, classes (their first member), groups and alternation
/// (the first branch), anchors, lookaheads (skipped), and quantifiers
/// (their least count, at least one for `+`). `None` beyond it.
pub fn from_pattern(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    let out = alternation(&chars, &mut at)?;
    (at == chars.len()).then_some(out)
}

fn alternation(p: &[char], at: &mut usize) -> Option<String> {
    let first = sequence(p, at)?;
    while p.get(*at) == Some(&'|') {
        *at += 1;
        sequence(p, at)?;
    }
    Some(first)
}

fn sequence(p: &[char], at: &mut usize) -> Option<String> {
    let mut out = String::new();
    while let Some(&c) = p.get(*at) {
        if c == '|' || c == ')' {
            break;
        }
        let piece = atom(p, at)?;
        let (min, _) = quantifier(p, at)?;
        for _ in 0..min {
            out.push_str(&piece);
        }
    }
    Some(out)
}

/// One atom's text (what one repetition of it writes).
fn atom(p: &[char], at: &mut usize) -> Option<String> {
    let c = *p.get(*at)?;
    *at += 1;
    Some(match c {
        '^' | '$' => String::new(),
        '.' => "a".into(),
        '\\' => {
            let e = *p.get(*at)?;
            *at += 1;
            match e {
                'd' => "0".into(),
                'w' => "a".into(),
                's' => " ".into(),
                'b' | 'B' | 'A' | 'z' | 'Z' => String::new(),
                e if e.is_ascii_alphanumeric() => return None,
                e => e.to_string(),
            }
        }
        '[' => class(p, at)?.to_string(),
        '(' => {
            let lookahead = p.get(*at) == Some(&'?') && matches!(p.get(*at + 1), Some('=' | '!'));
            if p.get(*at) == Some(&'?') {
                match p.get(*at + 1) {
                    Some(':' | '=' | '!') => *at += 2,
                    _ => return None,
                }
            }
            let inner = alternation(p, at)?;
            if p.get(*at) != Some(&')') {
                return None;
            }
            *at += 1;
            if lookahead {
                String::new()
            } else {
                inner
            }
        }
        '*' | '+' | '?' | '{' | ')' | ']' => return None,
        c => c.to_string(),
    })
}

/// A class's first member (`[^...]`: a letter or digit it does not exclude).
fn class(p: &[char], at: &mut usize) -> Option<char> {
    let negated = p.get(*at) == Some(&'^');
    if negated {
        *at += 1;
    }
    let mut members: Vec<(char, char)> = Vec::new();
    let mut first = true;
    loop {
        let c = *p.get(*at)?;
        *at += 1;
        if c == ']' && !first {
            break;
        }
        first = false;
        let c = if c == '\\' {
            let e = *p.get(*at)?;
            *at += 1;
            match e {
                'd' => {
                    members.push(('0', '9'));
                    continue;
                }
                'w' => {
                    members.push(('a', 'z'));
                    continue;
                }
                's' => ' ',
                e if e.is_ascii_alphanumeric() => return None,
                e => e,
            }
        } else {
            c
        };
        if p.get(*at) == Some(&'-') && p.get(*at + 1).is_some_and(|n| *n != ']') {
            let end = *p.get(*at + 1)?;
            *at += 2;
            members.push((c, end));
        } else {
            members.push((c, c));
        }
    }
    if negated {
        return ['a', 'x', '0', 'Z', '_']
            .into_iter()
            .find(|c| !members.iter().any(|(lo, hi)| (lo..=hi).contains(&c)));
    }
    members.first().map(|(lo, _)| *lo)
}

/// The quantifier after an atom: (least count, most), `(1, 1)` if none.
fn quantifier(p: &[char], at: &mut usize) -> Option<(usize, Option<usize>)> {
    let q = match p.get(*at) {
        Some('*') => (0, None),
        Some('+') => (1, None),
        Some('?') => (0, Some(1)),
        Some('{') => {
            let close = p[*at..].iter().position(|c| *c == '}')? + *at;
            let body: String = p[*at + 1..close].iter().collect();
            let (min, max) = match body.split_once(',') {
                Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()),
                None => {
                    let n = body.trim().parse().ok()?;
                    (n, Some(n))
                }
            };
            *at = close;
            (min, max)
        }
        _ => return Some((1, Some(1))),
    };
    *at += 1;
    // Lazy and possessive forms match the same strings.
    if matches!(p.get(*at), Some('?' | '+')) {
        *at += 1;
    }
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{IntegerFormat, StringFormat};

    fn api() -> Api {
        Api::default()
    }

    /// `yaml` lowered, and the expression of its schema `name`.
    fn lowered(yaml: &str, name: &str) -> (Api, TypeExpr) {
        let doc = crate::loader::load_str(std::path::Path::new("t.yaml"), yaml.into()).unwrap();
        let api = crate::lower::lower(&doc, "t", &crate::Settings::default())
            .unwrap()
            .api;
        let id = api
            .types
            .types
            .iter()
            .position(|t| t.spec_name == name)
            .unwrap();
        (api, TypeExpr::new(Ty::Named(crate::ir::TypeId(id))))
    }

    #[test]
    fn look_ahead_patterns_get_a_value_they_match() {
        let mut s = TypeExpr::new(Ty::String(StringFormat::Plain));
        s.constraints.pattern =
            Some("^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*(?:[.][a-z0-9]+(?:-[a-z0-9]+)*)*$".into());
        let v = sample(&api(), &s, None, None).unwrap();
        assert!(
            v.len() >= 3 && v.bytes().all(|b| b.is_ascii_lowercase()),
            "{v}"
        );
    }

    #[test]
    fn answers_carry_read_only_required_properties_and_requests_write_only_ones() {
        let (api, item) = lowered(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Item:
      type: object
      required: [id, name, secret]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        secret: {type: string, writeOnly: true}
"#,
            "Item",
        );
        let keys = |v: Value| {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(
            keys(made_up_answer(&api, &item, 0).unwrap()),
            ["id", "name"]
        );
        assert_eq!(
            keys(made_up_json(&api, &item, 0).unwrap()),
            ["name", "secret"]
        );
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
    fn patterns_of_identifiers_get_a_matching_value() {
        for (pattern, value) in [
            ("^bck_[a-zA-Z0-9]+$", "bck_a"),
            ("^ord_[0-9a-f]{26}$", "ord_00000000000000000000000000"),
            (
                "^[{]?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}[}]?$",
                "00000000-0000-0000-0000-000000000000",
            ),
            ("^(?!https://)[a-z]{1,3}\\.(html?|pdf)$", "a.htm"),
            ("^v\\d+(\\.\\d+)*$", "v0"),
            ("[^0-9]x", "ax"),
        ] {
            assert_eq!(from_pattern(pattern).as_deref(), Some(value), "{pattern}");
        }
        // Backreferences, unbalanced groups: beyond the subset.
        assert_eq!(from_pattern("(a)\\1"), None);
        assert_eq!(from_pattern("(a"), None);
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
