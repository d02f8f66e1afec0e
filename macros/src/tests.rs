//! The expansion, checked outside rustc (proc_macro2's fallback tokens).

use super::*;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn without_rustfmt_skip(attrs: &mut Vec<syn::Attribute>) {
    attrs.retain(|a| {
        let text = quote!(#a).to_string();
        !(text.contains("cfg_attr") && text.contains("rustfmt"))
    });
}

/// What the CLI wrote for `specs/tokens.yaml` (`generated/src/tokens/`), as
/// one inline module: `mod.rs` (the runtime version contract, then) with each `pub mod part;` replaced by the
/// contents of `part.rs`. Comments (the `@generated` header) are not items;
/// the `rustfmt::skip` attributes exist only for the checked-in files.
fn cli_module(name: &str) -> syn::File {
    let dir = workspace().join("generated/src").join(name);
    let read = |file: &str| -> syn::File {
        let text = std::fs::read_to_string(dir.join(file)).expect("read the CLI's output");
        let mut parsed = syn::parse_file(&text).expect("the CLI's output parses");
        without_rustfmt_skip(&mut parsed.attrs);
        parsed
    };
    let root = read("mod.rs");
    let mut items = Vec::new();
    for item in root.items {
        // The runtime version contract stays as it is; parts are inlined.
        let Item::Mod(mut m) = item else {
            assert!(
                quote!(#item).to_string().contains("require_version"),
                "mod.rs holds only the version contract and `pub mod part;` declarations"
            );
            items.push(item);
            continue;
        };
        assert!(m.content.is_none());
        let part = read(&format!("{}.rs", m.ident));
        m.attrs.extend(part.attrs);
        m.content = Some((Default::default(), part.items));
        m.semi = None;
        items.push(Item::Mod(m));
    }
    let ident = syn::Ident::new(name, Span::call_site());
    let attrs = root.attrs;
    syn::parse_quote! {
        pub mod #ident {
            #(#attrs)*
            #(#items)*
        }
    }
}

/// Expands and parses; panics with the expansion on compile errors.
fn expand_ok(args: TokenStream, item: TokenStream) -> syn::File {
    let out = expand_in(&workspace(), args, item);
    let text = out.to_string();
    assert!(!text.contains("compile_error"), "{text}");
    syn::parse2(out).expect("the expansion parses")
}

/// Removes the `const _` items whose text holds `marker` (the file-tracking
/// `include_bytes!`, the warnings' `token_api_warning`); returns how many
/// there were.
fn strip_consts(file: &mut syn::File, marker: &str) -> usize {
    let Some(Item::Mod(m)) = file.items.first_mut() else {
        panic!("one module")
    };
    let items = &mut m.content.as_mut().expect("inline").1;
    let before = items.len();
    items.retain(|i| !matches!(i, Item::Const(c) if quote!(#c).to_string().contains(marker)));
    before - items.len()
}

#[test]
fn expansion_equals_the_cli_output() {
    let mut expanded = expand_ok(
        quote!("specs/tokens.yaml"),
        quote!(
            pub mod tokens {}
        ),
    );
    assert_eq!(
        strip_consts(&mut expanded, "include_bytes"),
        1,
        "the spec is tracked"
    );
    assert_same_as_cli(&expanded, "tokens");
    assert!(prettyplease::unparse(&expanded).contains("pub mod server"));
}

/// Panics with the first differing lines unless the expansion is what the
/// CLI wrote for `name`.
fn assert_same_as_cli(expanded: &syn::File, name: &str) {
    let expanded = prettyplease::unparse(expanded);
    let cli = prettyplease::unparse(&cli_module(name));
    if let Some(first) = expanded
        .lines()
        .zip(cli.lines())
        .position(|(a, b)| a != b)
        .or((expanded.lines().count() != cli.lines().count()).then_some(0))
    {
        let show = |s: &str| {
            s.lines()
                .skip(first.saturating_sub(3))
                .take(8)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "the macro's expansion differs from generated/src/{name}/ (run the README's regeneration command?) at line {}:\n--- macro\n{}\n--- CLI\n{}",
            first + 1,
            show(&expanded),
            show(&cli)
        );
    }
}

/// The settings fixture's entry, through `config = ...` and inline as
/// `settings = ...` (the same keys), expands to what the CLI wrote with
/// `--config` (`generated/src/pets/`): one settings model, three front
/// ends. The build-script crate checks the third (tests/build-script).
#[test]
fn settings_file_and_inline_settings_expand_as_the_cli_wrote() {
    let file = workspace().join("tests/fixtures/settings/codegen.toml");
    let text = std::fs::read_to_string(&file).expect("the fixture's settings");
    let entry = text
        .split_once("[[spec]]")
        .expect("a [[spec]]")
        .1
        .split("[[spec]]")
        .next()
        .unwrap_or_default()
        .replace("[spec.", "[")
        .replace("path = \"pets.yaml\"", "")
        .replace(
            "overlays/pets.yaml",
            "tests/fixtures/settings/overlays/pets.yaml",
        );
    for (args, tracked) in [
        (
            quote!(
                "tests/fixtures/settings/pets.yaml",
                config = "tests/fixtures/settings/codegen.toml"
            ),
            3,
        ),
        (
            quote!("tests/fixtures/settings/pets.yaml", settings = #entry),
            2,
        ),
    ] {
        let mut expanded = expand_ok(
            args,
            quote!(
                pub mod pets {}
            ),
        );
        // The spec, the settings file (when there is one) and the overlay.
        assert_eq!(strip_consts(&mut expanded, "include_bytes"), tracked);
        // The fixture's one warning (a bound on a mapped string), which
        // the CLI prints instead.
        assert_eq!(strip_consts(&mut expanded, "token_api_warning"), 1);
        assert_same_as_cli(&expanded, "pets");
    }
}

#[test]
fn settings_problems_are_errors_on_the_literal() {
    let e = expand_err(
        quote!(
            "specs/tokens.yaml",
            settings = "formats = { uuid = \"my::Uuid\" }"
        ),
        quote!(
            mod m {}
        ),
    );
    assert!(
        e.contains("is not a type a format can be generated as"),
        "{e}"
    );
    let e = expand_err(
        quote!(
            "specs/tokens.yaml",
            config = "tests/fixtures/settings/codegen.toml"
        ),
        quote!(
            mod m {}
        ),
    );
    assert!(e.contains("lists no `[[spec]]` for this spec"), "{e}");
    let e = expand_err(
        quote!("specs/tokens.yaml", config = "a.toml", settings = ""),
        quote!(
            mod m {}
        ),
    );
    assert!(e.contains("not both"), "{e}");
}

#[test]
fn user_items_and_attributes_are_kept() {
    let file = expand_ok(
        quote!("specs/tokens.yaml", parts = "types"),
        quote! {
            /// Mine.
            #[allow(dead_code)]
            pub(crate) mod api {
                #![allow(unused)]
                pub const MINE: u8 = 1;
                fn helper() -> types::Problem { todo!() }
            }
        },
    );
    let Some(Item::Mod(m)) = file.items.first() else {
        panic!()
    };
    assert_eq!(m.ident, "api");
    assert!(matches!(m.vis, syn::Visibility::Restricted(_)));
    let outer = m
        .attrs
        .iter()
        .filter(|a| matches!(a.style, syn::AttrStyle::Outer))
        .count();
    assert_eq!(outer, 2, "doc and allow stay outer");
    let inner = quote!(#m).to_string();
    assert!(inner.contains("allow (unused)"));
    let items = &m.content.as_ref().unwrap().1;
    let names: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Item::Mod(m) => Some(m.ident.to_string()),
            Item::Const(c) => Some(c.ident.to_string()),
            Item::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["types", "_", "MINE", "helper"]);
}

#[test]
fn parts_and_tags_filter() {
    let mut file = expand_ok(
        quote!(
            "specs/tokens.yaml",
            parts = "types, client",
            tag = "userToken"
        ),
        quote!(
            mod t {}
        ),
    );
    strip_consts(&mut file, "include_bytes");
    let text = prettyplease::unparse(&file);
    assert!(text.contains("pub mod client") && !text.contains("pub mod server"));
    assert!(text.contains("pub fn user_token(&self)"));
    assert!(!text.contains("pub fn user_api_tokens(&self)"));

    let listed = expand_ok(
        quote!(
            "specs/tokens.yaml",
            parts = "types,client",
            tag = ["userToken", "userApiTokens"],
            tag = "userApiToken"
        ),
        quote!(
            mod t {}
        ),
    );
    let text = prettyplease::unparse(&listed);
    assert!(text.contains("pub fn user_api_tokens(&self)"));
    assert!(text.contains("pub fn user_api_token(&self)"));
    assert!(!text.contains("pub fn personal_access_tokens(&self)"));
}

fn expand_err(args: TokenStream, item: TokenStream) -> String {
    let out = expand_in(&workspace(), args, item).to_string();
    assert!(out.contains("compile_error"), "{out}");
    out
}

#[test]
fn option_errors_name_the_valid_ones() {
    let m = || {
        quote!(
            mod t {}
        )
    };
    let e = expand_err(quote!("specs/tokens.yaml", part = "types"), m());
    assert!(
        e.contains("unknown option `part`") && e.contains("parts =") && e.contains("unsupported ="),
        "{e}"
    );
    let e = expand_err(quote!("specs/tokens.yaml", parts = "types,clients"), m());
    assert!(
        e.contains("unknown part `clients`; valid parts: types, client, server"),
        "{e}"
    );
    let e = expand_err(quote!("specs/tokens.yaml", unsupported = "warn"), m());
    assert!(e.contains("valid modes"), "{e}");
    let e = expand_err(quote!("specs/tokens.yaml", parts = "client"), m());
    assert!(e.contains("use the `types` part"), "{e}");
    let e = expand_err(quote!(), m());
    assert!(e.contains("expected the spec's path"), "{e}");
    let e = expand_err(quote!(specs), m());
    assert!(e.contains("string literal"), "{e}");
    let e = expand_err(quote!("/etc/tokens.yaml"), m());
    assert!(e.contains("absolute"), "{e}");
    let e = expand_err(
        quote!("specs/tokens.yaml"),
        quote!(
            fn f() {}
        ),
    );
    assert!(e.contains("goes on an inline module"), "{e}");
    // A body that brings its own `types` may ask for the client alone.
    expand_ok(
        quote!("specs/tokens.yaml", parts = "client"),
        quote!(
            mod t {
                use super::elsewhere::types;
            }
        ),
    );
}

#[test]
fn spec_errors_carry_the_located_diagnostics() {
    let e = expand_err(
        quote!("macros/tests/ui/specs/several-problems.yaml", strict = true),
        quote!(
            mod t {}
        ),
    );
    assert_eq!(e.matches("compile_error").count(), 4, "{e}");
    assert!(
        e.contains("macros/tests/ui/specs/several-problems.yaml:15:24"),
        "{e}"
    );
    assert!(e.contains("hint: "), "{e}");
    assert!(e.contains("at: /paths/"), "{e}");
    assert!(
        !e.contains(&workspace().display().to_string()),
        "no absolute path: {e}"
    );
}

#[test]
fn strict_refuses_what_is_repaired_by_default() {
    let m = || {
        quote!(
            mod t {}
        )
    };
    let spec = "tests/fixtures/formats/lenient-repairs.yaml";
    expand_ok(quote!(#spec), m());
    expand_ok(quote!(#spec, strict = false), m());
    let e = expand_err(quote!(#spec, strict = true), m());
    assert!(
        e.contains("R0001") && e.contains("add `required: true`"),
        "{e}"
    );
    let e = expand_err(quote!(#spec, strict = true, unsupported = "skip"), m());
    assert!(e.contains("given twice"), "{e}");
    let e = expand_err(quote!(#spec, strict = "yes"), m());
    assert!(e.contains("expected boolean literal"), "{e}");
}
