//! The JSON Schema keywords a type cannot express, checked on the value as
//! JSON: `if`/`then`/`else`, `dependentSchemas`, `contains` (with
//! `minContains`/`maxContains`), `propertyNames` and `not`, with the usual
//! assertion keywords inside them.
//!
//! Inside a rule, `$ref`, `format`, `unevaluated*` and keywords this module
//! does not know are not checked (they pass): a rule never refuses a value
//! for a reason it cannot state.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::{Map, Value};

use super::checks::Compiled;
use super::{violation, Violation};

/// A type's rules, as the generator wrote them (JSON text), parsed on
/// first use.
#[derive(Debug)]
pub struct Rules {
    source: &'static str,
    parsed: OnceLock<Value>,
}

impl Rules {
    /// Rules for a `static`.
    pub const fn new(source: &'static str) -> Self {
        Rules {
            source,
            parsed: OnceLock::new(),
        }
    }

    fn schema(&self) -> &Value {
        self.parsed
            .get_or_init(|| serde_json::from_str(self.source).unwrap_or(Value::Bool(true)))
    }

    /// Checks `value` (serialized as the wire has it) against the rules,
    /// pushing one violation at `field` per rule it breaks. Only a rule
    /// that surely fails is a violation: one whose outcome hangs on
    /// something this module does not check (a `$ref`, a `format`) passes.
    pub fn check<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
        field: &str,
        out: &mut Vec<Violation>,
    ) {
        let Ok(value) = serde_json::to_value(value) else {
            return;
        };
        let Some(rules) = self.schema().as_object() else {
            return;
        };
        let at = if field.is_empty() { "body" } else { field };
        if let Some(condition) = rules.get("if") {
            let branch = |name: &str| rules.get(name).map_or(Truth::Holds, |b| judge(b, &value));
            match judge(condition, &value) {
                Truth::Holds if branch("then") == Truth::Fails => out.push(violation(
                    at,
                    "must satisfy the schema's `then` (its `if` holds)",
                )),
                Truth::Fails if branch("else") == Truth::Fails => out.push(violation(
                    at,
                    "must satisfy the schema's `else` (its `if` does not hold)",
                )),
                Truth::Unknown
                    if branch("then") == Truth::Fails && branch("else") == Truth::Fails =>
                {
                    out.push(violation(
                        at,
                        "must satisfy the schema's `then` or its `else`",
                    ))
                }
                _ => {}
            }
        }
        if let (Some(Value::Object(deps)), Value::Object(object)) =
            (rules.get("dependentSchemas"), &value)
        {
            for (property, schema) in deps {
                if object.contains_key(property) && judge(schema, &value) == Truth::Fails {
                    out.push(violation(
                        at,
                        format!("must satisfy the schema `{property}` brings (`dependentSchemas`)"),
                    ));
                }
            }
        }
        if let (_, Some(message)) = contains(rules, &value) {
            out.push(violation(at, message));
        }
        if let (Some(names), Value::Object(object)) = (rules.get("propertyNames"), &value) {
            for name in object.keys() {
                if judge(names, &Value::String(name.clone())) == Truth::Fails {
                    out.push(violation(
                        at,
                        format!("property name `{name}` breaks `propertyNames`"),
                    ));
                }
            }
        }
        if let Some(not) = rules.get("not") {
            if judge(not, &value) == Truth::Holds {
                out.push(violation(at, "must not match the schema's `not`"));
            }
        }
    }
}

/// What a schema says of a value: it holds, it fails, or it hangs on a
/// keyword this module does not check (`$ref`, `format`, `unevaluated*`,
/// a pattern that does not compile). Unknown is never a violation, and
/// `not` of unknown is unknown: a rule never refuses a value for a reason
/// it cannot state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    Holds,
    Fails,
    Unknown,
}

impl Truth {
    fn of(holds: bool) -> Truth {
        if holds {
            Truth::Holds
        } else {
            Truth::Fails
        }
    }

    /// Both must hold: a failure decides, else an unknown.
    fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::Fails, _) | (_, Truth::Fails) => Truth::Fails,
            (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
            _ => Truth::Holds,
        }
    }

    fn not(self) -> Truth {
        match self {
            Truth::Holds => Truth::Fails,
            Truth::Fails => Truth::Holds,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// Keywords whose outcome this module cannot decide.
const UNDECIDED: [&str; 6] = [
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
    "format",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// `contains` with `minContains`/`maxContains` on an array: its truth, and
/// why it fails when it surely does.
fn contains(rules: &Map<String, Value>, value: &Value) -> (Truth, Option<String>) {
    let (Some(schema), Value::Array(items)) = (rules.get("contains"), value) else {
        return (Truth::Holds, None);
    };
    let (mut sure, mut maybe) = (0u64, 0u64);
    for item in items {
        match judge(schema, item) {
            Truth::Holds => sure += 1,
            Truth::Unknown => maybe += 1,
            Truth::Fails => {}
        }
    }
    let min = rules
        .get("minContains")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    let max = rules.get("maxContains").and_then(Value::as_u64);
    if sure + maybe < min {
        return (
            Truth::Fails,
            Some(format!(
                "must hold at least {min} item(s) matching `contains` (holds {sure})"
            )),
        );
    }
    if let Some(max) = max.filter(|&max| sure > max) {
        return (
            Truth::Fails,
            Some(format!(
                "must hold at most {max} item(s) matching `contains` (holds {sure})"
            )),
        );
    }
    let decided = sure >= min && max.is_none_or(|max| sure + maybe <= max);
    (
        if decided {
            Truth::Holds
        } else {
            Truth::Unknown
        },
        None,
    )
}

/// Whether `value` may be valid against `schema` (the subset this module
/// knows; see the module's documentation): `false` only when it surely is
/// not.
pub fn valid(schema: &Value, value: &Value) -> bool {
    judge(schema, value) != Truth::Fails
}

fn judge(schema: &Value, value: &Value) -> Truth {
    let s = match schema {
        Value::Bool(b) => return Truth::of(*b),
        Value::Object(s) => s,
        _ => return Truth::Holds,
    };
    // The generator hands rules over in OpenAPI 3.0 form: `nullable`, and
    // `exclusiveMinimum: true` beside `minimum`.
    let nullable = s.get("nullable") == Some(&Value::Bool(true));
    if nullable && value.is_null() {
        return Truth::Holds;
    }
    if !kind_holds(s, value) {
        return Truth::Fails;
    }
    let undecided = if UNDECIDED.iter().any(|k| s.contains_key(*k)) {
        Truth::Unknown
    } else {
        Truth::Holds
    };
    let parts = match value {
        Value::Number(n) => match n.as_f64() {
            Some(x) => Truth::of(!number_fails(s, x)),
            // Not a float: nothing more is known of it.
            None => return undecided,
        },
        Value::String(text) => string(s, text),
        Value::Array(items) => array(s, items, value),
        Value::Object(object) => object_rules(s, object, value),
        _ => Truth::Holds,
    };
    let truth = undecided.and(parts);
    if truth == Truth::Fails {
        return truth;
    }
    applicators(s, value, truth)
}

type Schema = serde_json::Map<String, Value>;

/// `s`'s number keyword `k`.
fn num(s: &Schema, k: &str) -> Option<f64> {
    s.get(k).and_then(Value::as_f64)
}

/// `type`, `enum` and `const` allow `value`.
fn kind_holds(s: &Schema, value: &Value) -> bool {
    if let Some(t) = s.get("type") {
        let ok = match t {
            Value::String(t) => is_type(t, value),
            Value::Array(ts) => ts
                .iter()
                .filter_map(Value::as_str)
                .any(|t| is_type(t, value)),
            _ => true,
        };
        if !ok {
            return false;
        }
    }
    if let Some(Value::Array(options)) = s.get("enum") {
        if !options.iter().any(|o| same(o, value)) {
            return false;
        }
    }
    s.get("const").is_none_or(|c| same(c, value))
}

/// A number out of its bounds or not a multiple.
fn number_fails(s: &Schema, x: f64) -> bool {
    let exclusive = |k: &str| s.get(k) == Some(&Value::Bool(true));
    let (lo_open, hi_open) = (exclusive("exclusiveMinimum"), exclusive("exclusiveMaximum"));
    num(s, "minimum").is_some_and(|m| x < m || (lo_open && x == m))
        || num(s, "maximum").is_some_and(|m| x > m || (hi_open && x == m))
        || num(s, "exclusiveMinimum").is_some_and(|m| x <= m)
        || num(s, "exclusiveMaximum").is_some_and(|m| x >= m)
        || num(s, "multipleOf").is_some_and(|m| m > 0.0 && (x / m).fract().abs() > 1e-9)
}

fn string(s: &Schema, text: &str) -> Truth {
    let chars = text.chars().count() as f64;
    if num(s, "minLength").is_some_and(|m| chars < m)
        || num(s, "maxLength").is_some_and(|m| chars > m)
    {
        return Truth::Fails;
    }
    match s.get("pattern").and_then(Value::as_str) {
        Some(p) => match matches_pattern(p, text) {
            Some(holds) => Truth::of(holds),
            None => Truth::Unknown,
        },
        None => Truth::Holds,
    }
}

/// Every subschema in `pairs` applied to its part, stopping at the first
/// failure.
fn all_parts<'a>(pairs: impl IntoIterator<Item = (&'a Value, &'a Value)>) -> Truth {
    let mut truth = Truth::Holds;
    for (sub, part) in pairs {
        truth = truth.and(judge(sub, part));
        if truth == Truth::Fails {
            break;
        }
    }
    truth
}

fn array(s: &Schema, items: &[Value], value: &Value) -> Truth {
    let len = items.len() as f64;
    if num(s, "minItems").is_some_and(|m| len < m) || num(s, "maxItems").is_some_and(|m| len > m) {
        return Truth::Fails;
    }
    if s.get("uniqueItems") == Some(&Value::Bool(true))
        && items
            .iter()
            .enumerate()
            .any(|(i, a)| items[..i].iter().any(|b| same(a, b)))
    {
        return Truth::Fails;
    }
    let prefix = match s.get("prefixItems") {
        Some(Value::Array(p)) => p.as_slice(),
        _ => &[],
    };
    let mut truth = all_parts(prefix.iter().zip(items));
    if let Some(rest) = s.get("items") {
        truth = truth.and(all_parts(
            items.iter().skip(prefix.len()).map(|i| (rest, i)),
        ));
    }
    truth.and(contains(s, value).0)
}

fn object_rules(s: &Schema, object: &Schema, value: &Value) -> Truth {
    let len = object.len() as f64;
    if num(s, "minProperties").is_some_and(|m| len < m)
        || num(s, "maxProperties").is_some_and(|m| len > m)
    {
        return Truth::Fails;
    }
    if let Some(Value::Array(required)) = s.get("required") {
        if required
            .iter()
            .filter_map(Value::as_str)
            .any(|r| !object.contains_key(r))
        {
            return Truth::Fails;
        }
    }
    if dependent_required_fails(s, object) {
        return Truth::Fails;
    }
    let properties = s.get("properties").and_then(Value::as_object);
    let mut truth = match properties {
        Some(properties) => all_parts(
            properties
                .iter()
                .filter_map(|(k, p)| object.get(k).map(|v| (p, v))),
        ),
        None => Truth::Holds,
    };
    if let Some(extra) = s.get("additionalProperties") {
        let declared = |k: &String| properties.is_some_and(|p| p.contains_key(k));
        truth = truth.and(all_parts(
            object
                .iter()
                .filter(|(k, _)| !declared(k))
                .map(|(_, v)| (extra, v)),
        ));
    }
    if let Some(names) = s.get("propertyNames") {
        let names_hold = object
            .keys()
            .map(|k| judge(names, &Value::String(k.clone())))
            .fold(Truth::Holds, Truth::and);
        truth = truth.and(names_hold);
    }
    if let Some(Value::Object(deps)) = s.get("dependentSchemas") {
        truth = truth.and(all_parts(
            deps.iter()
                .filter(|(k, _)| object.contains_key(*k))
                .map(|(_, d)| (d, value)),
        ));
    }
    truth
}

/// A present property whose `dependentRequired` names are not all there.
fn dependent_required_fails(s: &Schema, object: &Schema) -> bool {
    let Some(Value::Object(deps)) = s.get("dependentRequired") else {
        return false;
    };
    deps.iter().any(|(k, names)| {
        object.contains_key(k)
            && names
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .any(|n| !object.contains_key(n))
    })
}

/// `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else` on top of what
/// is known (`truth`).
fn applicators(s: &Schema, value: &Value, mut truth: Truth) -> Truth {
    let list = |k: &str| match s.get(k) {
        Some(Value::Array(list)) => Some(list.iter().map(|o| judge(o, value)).collect::<Vec<_>>()),
        _ => None,
    };
    if let Some(all) = list("allOf") {
        truth = all.into_iter().fold(truth, Truth::and);
    }
    let tally = |judged: &[Truth]| {
        let holds = judged.iter().filter(|t| **t == Truth::Holds).count();
        let unknown = judged.iter().filter(|t| **t == Truth::Unknown).count();
        (holds, unknown)
    };
    if let Some(any) = list("anyOf") {
        truth = truth.and(match tally(&any) {
            (h, _) if h > 0 => Truth::Holds,
            (_, 0) => Truth::Fails,
            _ => Truth::Unknown,
        });
    }
    if let Some(one) = list("oneOf") {
        truth = truth.and(match tally(&one) {
            (h, _) if h > 1 => Truth::Fails,
            (1, 0) => Truth::Holds,
            (0, 0) => Truth::Fails,
            _ => Truth::Unknown,
        });
    }
    if let Some(not) = s.get("not") {
        truth = truth.and(judge(not, value).not());
    }
    if let Some(condition) = s.get("if") {
        let branch = |name: &str| s.get(name).map_or(Truth::Holds, |b| judge(b, value));
        truth = truth.and(match judge(condition, value) {
            Truth::Holds => branch("then"),
            Truth::Fails => branch("else"),
            Truth::Unknown => match (branch("then"), branch("else")) {
                (a, b) if a == b => a,
                _ => Truth::Unknown,
            },
        });
    }
    truth
}

/// Whether `text` matches the rule's `pattern` (`None`: it does not
/// compile, and passes). Compiled once per pattern: rules run on every
/// request, and a spec has few patterns (the cache stops growing past
/// [`MAX_CACHED_PATTERNS`]; further ones are compiled each time).
fn matches_pattern(pattern: &str, text: &str) -> Option<bool> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Compiled>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(compiled) = cache.get(pattern) {
        return compiled.as_ref().and_then(|r| r.is_match(text));
    }
    let compiled = Compiled::new(pattern);
    let found = compiled.as_ref().and_then(|r| r.is_match(text));
    if cache.len() < MAX_CACHED_PATTERNS {
        cache.insert(pattern.to_string(), compiled);
    }
    found
}

/// Most patterns [`matches_pattern`] keeps compiled.
const MAX_CACHED_PATTERNS: usize = 256;

fn is_type(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.as_f64().is_some_and(|x| x.fract() == 0.0),
        _ => true,
    }
}

/// JSON equality, with numbers equal by value (`1` is `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, a)| y.get(k).is_some_and(|b| same(a, b)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn check(rules: &'static str, value: Value) -> Vec<String> {
        let mut out = Vec::new();
        Rules::new(rules).check(&value, "body", &mut out);
        out.into_iter().map(|v| v.message).collect()
    }

    #[test]
    fn if_then_else_in_general() {
        let rules = r#"{"if": {"properties": {"country": {"const": "US"}}},
            "then": {"properties": {"zip": {"pattern": "^[0-9]{5}$"}}},
            "else": {"properties": {"zip": {"minLength": 3}}}}"#;
        assert!(check(rules, json!({"country": "US", "zip": "12345"})).is_empty());
        assert_eq!(
            check(rules, json!({"country": "US", "zip": "K1A"})),
            ["must satisfy the schema's `then` (its `if` holds)"]
        );
        assert!(check(rules, json!({"country": "CA", "zip": "K1A"})).is_empty());
        assert_eq!(check(rules, json!({"country": "CA", "zip": "K"})).len(), 1);
    }

    #[test]
    fn dependent_schemas_contains_property_names_and_not() {
        let deps = r#"{"dependentSchemas": {"card": {"required": ["cvv"], "properties": {"cvv": {"type": "string", "minLength": 3}}}}}"#;
        assert!(check(deps, json!({"name": "x"})).is_empty());
        assert!(check(deps, json!({"card": "4111", "cvv": "123"})).is_empty());
        assert_eq!(check(deps, json!({"card": "4111"})).len(), 1);
        assert_eq!(check(deps, json!({"card": "4111", "cvv": "1"})).len(), 1);

        let contains = r#"{"contains": {"type": "integer", "minimum": 10}, "minContains": 2}"#;
        assert!(check(contains, json!([10, 1, 11])).is_empty());
        assert!(check(contains, json!([10, 1]))[0].contains("at least 2"));

        let names = r#"{"propertyNames": {"pattern": "^[a-z]+$"}}"#;
        assert!(check(names, json!({"ok": 1})).is_empty());
        assert_eq!(
            check(names, json!({"ok": 1, "Bad": 2})),
            ["property name `Bad` breaks `propertyNames`"]
        );

        let not = r#"{"not": {"required": ["both"]}}"#;
        assert!(check(not, json!({"one": 1})).is_empty());
        assert_eq!(check(not, json!({"both": 1})).len(), 1);
    }

    #[test]
    fn unknown_keywords_and_refs_pass() {
        assert!(valid(
            &json!({"$ref": "#/x", "format": "email", "x-y": 1}),
            &json!("not an email")
        ));
        assert!(valid(&json!({"type": ["integer", "null"]}), &json!(null)));
        assert!(valid(&json!({"type": "integer"}), &json!(2.0)));
        assert!(!valid(&json!({"type": "integer"}), &json!(2.5)));
        assert!(valid(&json!({"enum": [1, "a"]}), &json!(1.0)));
        assert!(!valid(
            &json!({"oneOf": [{"type": "number"}, {"type": "integer"}]}),
            &json!(1)
        ));
        assert!(!valid(&json!({"uniqueItems": true}), &json!([1, 1.0])));
        assert!(Rules::new("not json").schema().as_bool() == Some(true));
        // The 3.0 forms the generator writes rules in.
        assert!(valid(
            &json!({"type": "string", "nullable": true}),
            &json!(null)
        ));
        assert!(!valid(
            &json!({"minimum": 5, "exclusiveMinimum": true}),
            &json!(5)
        ));
        assert!(valid(
            &json!({"minimum": 5, "exclusiveMinimum": true}),
            &json!(6)
        ));
    }

    #[test]
    fn what_hangs_on_an_unchecked_keyword_is_never_refused() {
        let text = json!("x");
        // `not` of something undecided stays undecided.
        assert!(valid(&json!({"not": {"$ref": "#/x"}}), &text));
        assert!(valid(&json!({"not": {"format": "email"}}), &text));
        assert!(!valid(&json!({"not": {"type": "string"}}), &text));
        // A sure failure beside an undecided keyword still fails.
        assert!(!valid(&json!({"$ref": "#/x", "type": "integer"}), &text));
        // oneOf: two undecided members are not two matches.
        assert!(valid(
            &json!({"oneOf": [{"$ref": "#/a"}, {"$ref": "#/b"}]}),
            &text
        ));
        assert!(!valid(
            &json!({"oneOf": [{"type": "string"}, {"minLength": 1}, {"$ref": "#/b"}]}),
            &text
        ));
        assert!(!valid(
            &json!({"anyOf": [{"type": "integer"}, {"type": "null"}]}),
            &text
        ));
        assert!(valid(
            &json!({"anyOf": [{"type": "integer"}, {"$ref": "#/b"}]}),
            &text
        ));
        // An undecided `if` applies neither branch unless both fail.
        let rules = r##"{"if": {"$ref": "#/c"}, "then": {"required": ["a"]}, "else": {"required": ["b"]}}"##;
        assert!(check(rules, json!({"a": 1})).is_empty());
        assert_eq!(
            check(rules, json!({"c": 1})),
            ["must satisfy the schema's `then` or its `else`"]
        );
        // A pattern that does not compile decides nothing.
        assert!(valid(&json!({"not": {"pattern": "("}}), &text));
        let not = r##"{"not": {"properties": {"kind": {"$ref": "#/k"}}}}"##;
        assert!(check(not, json!({"kind": "a"})).is_empty());
        // contains: undecided items count for neither bound.
        let contains = r##"{"contains": {"$ref": "#/i"}, "maxContains": 1}"##;
        assert!(check(contains, json!([1, 2, 3])).is_empty());
        let contains = r#"{"contains": {"type": "integer"}, "minContains": 2}"#;
        assert!(check(contains, json!(["a", 1])).len() == 1);
    }

    proptest! {
        #[test]
        fn any_schema_and_value_evaluate_without_panicking(schema in json_value(), value in json_value()) {
            let _ = valid(&schema, &value);
        }

        #[test]
        fn not_flips_only_what_is_decided(schema in json_value(), value in json_value()) {
            let once = judge(&json!({"not": schema.clone()}), &value);
            prop_assert_eq!(once, judge(&schema, &value).not());
            prop_assert_eq!(judge(&json!({"not": {"not": schema.clone()}}), &value), judge(&schema, &value));
        }
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(|n| json!(n)),
            (-1e6f64..1e6).prop_map(|n| json!(n)),
            prop::sample::select(vec![
                "type", "integer", "minimum", "items", "not", "if", "then", "else", "contains",
                "a", "[", "^a+$"
            ])
            .prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop::sample::select(vec![
                            "type",
                            "minimum",
                            "maxLength",
                            "items",
                            "not",
                            "if",
                            "then",
                            "else",
                            "contains",
                            "required",
                            "properties",
                            "enum",
                            "const",
                            "allOf",
                            "anyOf",
                            "oneOf",
                            "pattern",
                            "prefixItems",
                            "dependentSchemas",
                            "propertyNames"
                        ]),
                        inner
                    ),
                    0..4
                )
                .prop_map(|kv| Value::Object(
                    kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
                )),
            ]
        })
    }
}
