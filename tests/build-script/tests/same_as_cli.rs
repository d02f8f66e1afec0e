//! The build script's module for the settings fixture, generated from its
//! `codegen.toml` entry, is what the CLI wrote with `--config` for the same
//! spec (`generated/src/pets/`), part by part: the settings file means the
//! same to both front ends. (The macro's side: `macros/src/tests.rs`.)

use std::path::Path;

/// Each `pub mod part { .. }` of `pub mod pets { .. }`, formatted.
fn build_script_parts() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/pets.rs")).unwrap();
    let file = syn::parse_file(&text).unwrap();
    let [syn::Item::Mod(pets)] = &file.items[..] else {
        panic!("one item, `pub mod pets`")
    };
    pets.content
        .iter()
        .flat_map(|(_, items)| items)
        .filter_map(|item| match item {
            syn::Item::Mod(m) => {
                Some((m.ident.to_string(), format(&m.content.as_ref().unwrap().1)))
            }
            _ => None,
        })
        .collect()
}

/// Items only: inner attributes and comments differ by form (a file's
/// `rustfmt::skip`, the header), not by meaning.
fn format(items: &[syn::Item]) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: items.to_vec(),
    })
}

#[test]
fn the_settings_file_means_the_same_to_the_build_script_and_the_cli() {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../generated/src/pets");
    let parts = build_script_parts();
    assert_eq!(
        parts.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        ["types", "operations", "client", "server"]
    );
    for (name, built) in parts {
        let text = std::fs::read_to_string(cli.join(format!("{name}.rs"))).unwrap();
        let written = format(&syn::parse_file(&text).unwrap().items);
        assert!(
            built == written,
            "part `{name}` differs from generated/src/pets/{name}.rs (run the README's regeneration command?)"
        );
    }
}

#[test]
fn the_settings_apply_in_the_build_scripts_module() {
    use build_script::pets::types::Animal;
    // Renamed (`Pet`), mapped (`uuid`), derived (`Hash`).
    let mut set = std::collections::HashSet::new();
    let pet: Animal = serde_json::from_value(serde_json::json!({
        "id": "6f9619ff-8b86-d011-b42d-00c04fc964ff",
        "name": "Rex",
        "price": {"amount": "1.00", "currency": "EUR"}
    }))
    .unwrap();
    assert_eq!(pet.price.cents, 100);
    assert!(set.insert(pet));
}
