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
    /// pushing one violation at `field` per rule it breaks.
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
            let (branch, name) = if valid(condition, &value) {
                (rules.get("then"), "then")
            } else {
                (rules.get("else"), "else")
            };
            if let Some(branch) = branch {
                if !valid(branch, &value) {
                    let holds = if name == "then" {
                        "holds"
                    } else {
                        "does not hold"
                    };
                    out.push(violation(
                        at,
                        format!("must satisfy the schema's `{name}` (its `if` {holds})"),
                    ));
                }
            }
        }
        if let (Some(Value::Object(deps)), Value::Object(object)) =
            (rules.get("dependentSchemas"), &value)
        {
            for (property, schema) in deps {
                if object.contains_key(property) && !valid(schema, &value) {
                    out.push(violation(
                        at,
                        format!("must satisfy the schema `{property}` brings (`dependentSchemas`)"),
                    ));
                }
            }
        }
        if let Some(message) = contains(rules, &value) {
            out.push(violation(at, message));
        }
        if let (Some(names), Value::Object(object)) = (rules.get("propertyNames"), &value) {
            for name in object.keys() {
                if !valid(names, &Value::String(name.clone())) {
                    out.push(violation(
                        at,
                        format!("property name `{name}` breaks `propertyNames`"),
                    ));
                }
            }
        }
        if let Some(not) = rules.get("not") {
            if valid(not, &value) {
                out.push(violation(at, "must not match the schema's `not`"));
            }
        }
    }
}

/// `contains` with `minContains`/`maxContains` on an array: why it fails.
fn contains(rules: &Map<String, Value>, value: &Value) -> Option<String> {
    let (schema, Value::Array(items)) = (rules.get("contains")?, value) else {
        return None;
    };
    let n = items.iter().filter(|i| valid(schema, i)).count() as u64;
    let min = rules
        .get("minContains")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    let max = rules.get("maxContains").and_then(Value::as_u64);
    if n < min {
        return Some(format!(
            "must hold at least {min} item(s) matching `contains` (holds {n})"
        ));
    }
    match max {
        Some(max) if n > max => Some(format!(
            "must hold at most {max} item(s) matching `contains` (holds {n})"
        )),
        _ => None,
    }
}

/// Whether `value` is valid against `schema` (the subset this module
/// knows; see the module's documentation).
pub fn valid(schema: &Value, value: &Value) -> bool {
    let s = match schema {
        Value::Bool(b) => return *b,
        Value::Object(s) => s,
        _ => return true,
    };
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    // The generator hands rules over in OpenAPI 3.0 form: `nullable`, and
    // `exclusiveMinimum: true` beside `minimum`.
    let nullable = s.get("nullable") == Some(&Value::Bool(true));
    if nullable && value.is_null() {
        return true;
    }
    let exclusive = |k: &str| s.get(k) == Some(&Value::Bool(true));
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
    if let Some(c) = s.get("const") {
        if !same(c, value) {
            return false;
        }
    }
    match value {
        Value::Number(n) => {
            let Some(x) = n.as_f64() else { return true };
            let (lo_open, hi_open) = (exclusive("exclusiveMinimum"), exclusive("exclusiveMaximum"));
            if num("minimum").is_some_and(|m| x < m || (lo_open && x == m))
                || num("maximum").is_some_and(|m| x > m || (hi_open && x == m))
                || num("exclusiveMinimum").is_some_and(|m| x <= m)
                || num("exclusiveMaximum").is_some_and(|m| x >= m)
                || num("multipleOf").is_some_and(|m| m > 0.0 && (x / m).fract().abs() > 1e-9)
            {
                return false;
            }
        }
        Value::String(text) => {
            let chars = text.chars().count() as f64;
            if num("minLength").is_some_and(|m| chars < m)
                || num("maxLength").is_some_and(|m| chars > m)
            {
                return false;
            }
            if let Some(p) = s.get("pattern").and_then(Value::as_str) {
                if matches_pattern(p, text) == Some(false) {
                    return false;
                }
            }
        }
        Value::Array(items) => {
            let len = items.len() as f64;
            if num("minItems").is_some_and(|m| len < m) || num("maxItems").is_some_and(|m| len > m)
            {
                return false;
            }
            if s.get("uniqueItems") == Some(&Value::Bool(true))
                && items
                    .iter()
                    .enumerate()
                    .any(|(i, a)| items[..i].iter().any(|b| same(a, b)))
            {
                return false;
            }
            let prefix = match s.get("prefixItems") {
                Some(Value::Array(p)) => p.as_slice(),
                _ => &[],
            };
            if items.iter().zip(prefix).any(|(i, p)| !valid(p, i)) {
                return false;
            }
            if let Some(each) = s.get("items") {
                if items.iter().skip(prefix.len()).any(|i| !valid(each, i)) {
                    return false;
                }
            }
            if contains(s, value).is_some() {
                return false;
            }
        }
        Value::Object(object) => {
            let len = object.len() as f64;
            if num("minProperties").is_some_and(|m| len < m)
                || num("maxProperties").is_some_and(|m| len > m)
            {
                return false;
            }
            if let Some(Value::Array(required)) = s.get("required") {
                if required
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|r| !object.contains_key(r))
                {
                    return false;
                }
            }
            let properties = s.get("properties").and_then(Value::as_object);
            if let Some(properties) = properties {
                if properties
                    .iter()
                    .any(|(k, p)| object.get(k).is_some_and(|v| !valid(p, v)))
                {
                    return false;
                }
            }
            if let Some(extra) = s.get("additionalProperties") {
                let declared = |k: &String| properties.is_some_and(|p| p.contains_key(k));
                if object.iter().any(|(k, v)| !declared(k) && !valid(extra, v)) {
                    return false;
                }
            }
            if let Some(names) = s.get("propertyNames") {
                if object
                    .keys()
                    .any(|k| !valid(names, &Value::String(k.clone())))
                {
                    return false;
                }
            }
            if let Some(Value::Object(deps)) = s.get("dependentRequired") {
                for (k, names) in deps {
                    if object.contains_key(k)
                        && names
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .any(|n| !object.contains_key(n))
                    {
                        return false;
                    }
                }
            }
            if let Some(Value::Object(deps)) = s.get("dependentSchemas") {
                if deps
                    .iter()
                    .any(|(k, d)| object.contains_key(k) && !valid(d, value))
                {
                    return false;
                }
            }
        }
        _ => {}
    }
    let all = |k: &str| match s.get(k) {
        Some(Value::Array(list)) => Some(list.iter().filter(|o| valid(o, value)).count()),
        _ => None,
    };
    let count = |k: &str| s.get(k).and_then(Value::as_array).map_or(0, Vec::len);
    if all("allOf").is_some_and(|n| n < count("allOf"))
        || all("anyOf") == Some(0)
        || all("oneOf").is_some_and(|n| n != 1)
        || s.get("not").is_some_and(|n| valid(n, value))
    {
        return false;
    }
    if let Some(condition) = s.get("if") {
        let branch = if valid(condition, value) {
            "then"
        } else {
            "else"
        };
        if s.get(branch).is_some_and(|b| !valid(b, value)) {
            return false;
        }
    }
    true
}

/// Whether `text` matches the rule's `pattern` (`None`: it does not
/// compile, and passes). Compiled once per pattern: rules run on every
/// request, and a spec has few patterns (the cache stops growing past
/// [`MAX_CACHED_PATTERNS`]; further ones are compiled each time).
fn matches_pattern(pattern: &str, text: &str) -> Option<bool> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(compiled) = cache.get(pattern) {
        return compiled.as_ref().map(|r| r.is_match(text));
    }
    let compiled = regex::Regex::new(pattern).ok();
    let found = compiled.as_ref().map(|r| r.is_match(text));
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

    proptest! {
        #[test]
        fn any_schema_and_value_evaluate_without_panicking(schema in json_value(), value in json_value()) {
            let _ = valid(&schema, &value);
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
