//! The two serde forms of generated structs (issue 35, item 7): the
//! runtime's `object!` (the checked-in module, the CLI's default) and
//! `#[derive(Serialize, Deserialize)]` with `#[serde]` attributes (the
//! same spec through the macro with `serde = "derive"`). Each is the
//! other's oracle on the wire; a derive of the user's that reads
//! `#[serde]` attributes (schemars' `JsonSchema`) sees the wire names.

#![allow(deprecated)] // `old` is deprecated in the spec, and tested here.

use generated::wire_forms::types as object;

#[macros::token_api(
    "fixtures/edge/wire-forms.yaml",
    parts = "types",
    settings = "serde = \"derive\"\nderive = { \"*\" = [\"schemars::JsonSchema\"] }"
)]
pub mod derived {}

use derived::types as derive;

/// JSON documents of every case: valid and not, with and without the
/// optional, nullable and undeclared properties.
const RECORDS: &[&str] = &[
    r#"{"id":1,"display-name":"a","note":null}"#,
    r#"{"id":1,"display-name":"a","note":"n","tag":"t","comment":"c","type":"k","old":"o","child":{"name":"x"},"children":[{"name":"y"},{}],"extra":5}"#,
    r#"{"id":1,"display-name":"a","note":null,"tag":null,"comment":null}"#,
    r#"{"id":1,"display-name":"a"}"#,
    r#"{"id":1,"note":null}"#,
    r#"{"id":"1","display-name":"a","note":null}"#,
    r#"{"id":1,"display-name":"a","note":null,"extra":"not an integer"}"#,
    r#"{"id":1,"display-name":"a","note":null,"child":{"name":7}}"#,
    r#"[1]"#,
];

const STRICTS: &[&str] = &[
    r#"{"a":1}"#,
    r#"{"a":1,"b":"x"}"#,
    r#"{"a":1,"c":2}"#,
    r#"{}"#,
];

/// Decodes `json` as both forms; both must accept it or both refuse it,
/// and what they accept must re-encode to the same JSON.
fn agree<O, D>(json: &str)
where
    O: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
    D: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let by_object = serde_json::from_str::<O>(json);
    let by_derive = serde_json::from_str::<D>(json);
    match (&by_object, &by_derive) {
        (Ok(o), Ok(d)) => {
            let (o, d) = (
                serde_json::to_value(o).unwrap(),
                serde_json::to_value(d).unwrap(),
            );
            assert_eq!(o, d, "{json}");
        }
        (Err(_), Err(_)) => {}
        _ => panic!("{json}: object! {by_object:?}, derive {by_derive:?}"),
    }
}

#[test]
fn both_forms_read_and_write_the_same_json() {
    for json in RECORDS {
        agree::<object::Record, derive::Record>(json);
    }
    for json in STRICTS {
        agree::<object::Strict, derive::Strict>(json);
    }
    // A present `null` and an absent property stay apart in both.
    let json = r#"{"id":1,"display-name":"a","note":null,"comment":null}"#;
    let o: object::Record = serde_json::from_str(json).unwrap();
    let d: derive::Record = serde_json::from_str(json).unwrap();
    assert_eq!((o.comment, d.comment), (Some(None), Some(None)));
}

#[test]
fn the_same_values_encode_the_same() {
    let o = object::Record::new(7, "seven", None)
        .with_type("kind")
        .with_comment(None)
        .with_children([object::Child::default().with_name("c")]);
    let d = derive::Record::new(7, "seven", None)
        .with_type("kind")
        .with_comment(None)
        .with_children([derive::Child::default().with_name("c")]);
    assert_eq!(
        serde_json::to_value(&o).unwrap(),
        serde_json::to_value(&d).unwrap()
    );
}

#[test]
fn a_users_derive_sees_the_wire_names() {
    let schema = serde_json::to_value(schemars::schema_for!(derive::Record)).unwrap();
    let properties = schema["properties"].as_object().expect("properties");
    for wire in ["id", "display-name", "note", "type", "children"] {
        assert!(properties.contains_key(wire), "{wire} in {properties:?}");
    }
    assert!(!properties.contains_key("display_name"), "{properties:?}");
    let required = schema["required"].as_array().expect("required");
    assert!(required.contains(&"display-name".into()), "{required:?}");
    assert!(!required.contains(&"tag".into()), "{required:?}");
}
