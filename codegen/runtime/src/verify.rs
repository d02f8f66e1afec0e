//! Example verification (feature `verify`): a spec's examples decoded with
//! the generated type for their place, through the same serde path the
//! generated client and server use, re-encoded, and compared with the
//! original. `codegen --verify-examples` generates a small program that
//! calls [`run`] with one [`check`] per Rust type the examples need.
//!
//! The comparison ([`compare`]) is equality of JSON after a normalisation
//! that ignores what a faithful decoder may change without losing meaning:
//!
//! - the order of an object's members;
//! - how a number is written (`1`, `1.0` and `1e0` are the same number);
//! - a member whose value is `null` on one side and absent on the other
//!   (an optional or three-state field writes "absent" as either);
//! - how an RFC 3339 date-time is written, when both sides denote the same
//!   instant (`2024-01-01T00:00:00.000+00:00` and `2024-01-01T00:00:00Z`).
//!
//! Anything else is a [`Difference`]: a member the type dropped (a
//! property the spec does not declare, skipped on decoding), one it added
//! (a default), or a value it changed.

#[cfg(all(feature = "server", feature = "client"))]
pub mod conform;
#[cfg(all(feature = "server", feature = "client"))]
pub mod serve;
#[cfg(all(feature = "server", feature = "client"))]
pub mod tap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// What became of one example.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Decoded, and re-encoded to the same JSON (after normalisation).
    RoundTripped,
    /// Decoded, but re-encoded differently.
    Differences(Vec<Difference>),
    /// The type refused it: serde's path to the failure and its message.
    Rejected {
        /// Where in the example decoding failed (`items[0].createdAt`; `.` for the root).
        path: String,
        /// serde's message.
        message: String,
    },
}

/// One way the re-encoded example differs from the original.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// JSON pointer into the example.
    pub pointer: String,
    /// What happened there.
    pub kind: DifferenceKind,
}

/// The kind of a [`Difference`].
#[derive(Debug, Clone, PartialEq)]
pub enum DifferenceKind {
    /// The original has a member the re-encoding lacks.
    Dropped(Value),
    /// The re-encoding has a member the original lacks.
    Added(Value),
    /// Both have a value here, and they differ.
    Changed {
        /// The example's value.
        original: Value,
        /// What the type wrote.
        encoded: Value,
    },
}

/// Decodes `example` as `T` (serde_path_to_error names where it fails),
/// re-encodes it, and compares.
pub fn check<T: Serialize + DeserializeOwned>(example: &Value) -> Outcome {
    let decoded: T = match serde_path_to_error::deserialize(example) {
        Ok(t) => t,
        Err(e) => {
            return Outcome::Rejected {
                path: e.path().to_string(),
                message: e.inner().to_string(),
            }
        }
    };
    // Through the text, as the client and server write bodies: an `f32`
    // is written by its shortest decimal (`0.68`), which `to_value`'s
    // widening to `f64` would not keep (`0.6800000071525574`).
    let encoded =
        serde_json::to_string(&decoded).and_then(|text| serde_json::from_str::<Value>(&text));
    match encoded {
        Ok(encoded) => {
            let differences = compare(example, &encoded);
            if differences.is_empty() {
                Outcome::RoundTripped
            } else {
                Outcome::Differences(differences)
            }
        }
        Err(e) => Outcome::Rejected {
            path: ".".into(),
            message: format!("decoded, but does not encode: {e}"),
        },
    }
}

/// The differences between an example and its re-encoding, under the
/// normalisation of this module's documentation.
pub fn compare(original: &Value, encoded: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk(original, encoded, &mut String::new(), &mut out);
    out
}

fn walk(original: &Value, encoded: &Value, pointer: &mut String, out: &mut Vec<Difference>) {
    match (original, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let len = pointer.len();
                push_segment(pointer, key);
                match b.get(key) {
                    Some(other) => walk(value, other, pointer, out),
                    None if value.is_null() => {}
                    None => out.push(Difference {
                        pointer: pointer.clone(),
                        kind: DifferenceKind::Dropped(value.clone()),
                    }),
                }
                pointer.truncate(len);
            }
            for (key, value) in b {
                if !a.contains_key(key) && !value.is_null() {
                    let len = pointer.len();
                    push_segment(pointer, key);
                    out.push(Difference {
                        pointer: pointer.clone(),
                        kind: DifferenceKind::Added(value.clone()),
                    });
                    pointer.truncate(len);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                walk(x, y, pointer, out);
                pointer.truncate(len);
            }
        }
        (a, b) if same_scalar(a, b) => {}
        (a, b) => out.push(Difference {
            pointer: pointer.clone(),
            kind: DifferenceKind::Changed {
                original: a.clone(),
                encoded: b.clone(),
            },
        }),
    }
}

fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(i), Some(j)) => i == j,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::String(x), Value::String(y)) => x == y || same_instant(x, y),
        _ => a == b,
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn push_segment(pointer: &mut String, key: &str) {
    pointer.push('/');
    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
}

/// One example to check, as the generated program embeds them.
#[derive(Debug, serde::Deserialize)]
struct Input {
    /// The example's index in the report.
    id: usize,
    /// Which of the program's checks (one per Rust type) applies.
    check: usize,
    value: Value,
}

/// Runs every example of `examples` (a JSON array of `{id, check, value}`)
/// through its check, printing one JSON line per example on stdout:
/// `{"id": 3, "outcome": "rejected", "path": "items[0]", "message": "..."}`
/// (`round-tripped`, `differences` with a `differences` list, `rejected`).
pub fn run(examples: &str, checks: &[fn(&Value) -> Outcome]) -> std::io::Result<()> {
    use std::io::Write;
    let inputs: Vec<Input> = serde_json::from_str(examples).map_err(std::io::Error::other)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for input in inputs {
        let outcome = match checks.get(input.check) {
            Some(check) => check(&input.value),
            None => Outcome::Rejected {
                path: ".".into(),
                message: format!("no check #{}", input.check),
            },
        };
        writeln!(out, "{}", line(input.id, &outcome))?;
    }
    out.flush()
}

fn line(id: usize, outcome: &Outcome) -> Value {
    match outcome {
        Outcome::RoundTripped => serde_json::json!({"id": id, "outcome": "round-tripped"}),
        Outcome::Rejected { path, message } => {
            serde_json::json!({"id": id, "outcome": "rejected", "path": path, "message": message})
        }
        Outcome::Differences(list) => {
            serde_json::json!({"id": id, "outcome": "differences", "differences": differences_json(list)})
        }
    }
}

/// Each difference as `{pointer, dropped | added | original and encoded}`.
fn differences_json(list: &[Difference]) -> Vec<Value> {
    list.iter()
        .map(|d| match &d.kind {
            DifferenceKind::Dropped(v) => serde_json::json!({"pointer": d.pointer, "dropped": v}),
            DifferenceKind::Added(v) => serde_json::json!({"pointer": d.pointer, "added": v}),
            DifferenceKind::Changed { original, encoded } => serde_json::json!(
                {"pointer": d.pointer, "original": original, "encoded": encoded}
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalisation_ignores_order_number_spelling_nulls_and_instant_spelling() {
        let original = json!({"b": 1.0, "a": [1, {"x": null}], "at": "2024-01-01T00:00:00.000+00:00", "n": null});
        let encoded = json!({"a": [1.0, {}], "b": 1, "at": "2024-01-01T00:00:00Z"});
        assert_eq!(compare(&original, &encoded), []);
    }

    #[test]
    fn drops_additions_and_changes_are_located() {
        let original = json!({"keep": 1, "extra/x": {"deep": true}, "list": [1, 2], "s": "a"});
        let encoded = json!({"keep": 1, "list": [1], "s": "b", "default": 5});
        let d = compare(&original, &encoded);
        assert_eq!(
            d,
            [
                Difference {
                    pointer: "/extra~1x".into(),
                    kind: DifferenceKind::Dropped(json!({"deep": true}))
                },
                Difference {
                    pointer: "/list".into(),
                    kind: DifferenceKind::Changed {
                        original: json!([1, 2]),
                        encoded: json!([1])
                    }
                },
                Difference {
                    pointer: "/s".into(),
                    kind: DifferenceKind::Changed {
                        original: json!("a"),
                        encoded: json!("b")
                    }
                },
                Difference {
                    pointer: "/default".into(),
                    kind: DifferenceKind::Added(json!(5))
                },
            ]
        );
    }

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    struct Pet {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        age: Option<u8>,
    }

    #[test]
    fn check_decodes_reencodes_and_names_where_decoding_fails() {
        assert_eq!(check::<Pet>(&json!({"name": "Rex"})), Outcome::RoundTripped);
        assert_eq!(
            check::<Pet>(&json!({"name": "Rex", "age": null})),
            Outcome::RoundTripped
        );
        let Outcome::Differences(d) = check::<Pet>(&json!({"name": "Rex", "color": "brown"}))
        else {
            panic!("an undeclared member is dropped")
        };
        assert_eq!(d[0].pointer, "/color");
        assert_eq!(
            check::<Vec<Pet>>(&json!([{"name": "a"}, {"name": "b", "age": "old"}])),
            Outcome::Rejected {
                path: "[1].age".into(),
                message: "invalid type: string \"old\", expected u8".into()
            }
        );
    }

    #[test]
    fn a_float_is_compared_as_written_on_the_wire() {
        assert_eq!(check::<f32>(&json!(0.68)), Outcome::RoundTripped);
        assert_eq!(
            check::<Vec<f32>>(&json!([95.3, -5.883])),
            Outcome::RoundTripped
        );
    }

    #[test]
    fn different_instants_and_other_strings_differ() {
        assert!(!same_instant(
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:01Z"
        ));
        assert!(!same_instant("2024-01-01", "2024-01-01"));
        assert!(same_scalar(&json!("2024-01-01"), &json!("2024-01-01")));
        assert!(!same_scalar(&json!(1), &json!("1")));
        assert!(same_scalar(&json!(u64::MAX), &json!(u64::MAX)));
    }
}
