//! Every Rust name the generator emits comes from here.
//!
//! Spec names can be anything: keywords, leading digits, punctuation
//! (`active?`, `all.User`, `userApiToken.*`, `+1`), the empty string, or
//! several names that only differ in case. These functions always return a
//! valid, lint-clean Rust identifier; [`Namespace`] makes them unique. The
//! spec's own name is kept beside the Rust name in the IR for serde renames.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition (strict, reserved and 2018+), which cannot be
/// plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `name` is a Rust keyword in some edition.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Turns punctuation that carries meaning into words and everything else
/// that is not ASCII alphanumeric into word breaks.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            c if c.is_ascii_alphanumeric() => out.push(c),
            '*' => out.push_str(" star "),
            '+' => out.push_str(" plus "),
            '-' if at_start && chars.peek().is_some_and(|n| n.is_ascii_digit()) => {
                out.push_str(" minus ")
            }
            _ => out.push(' '),
        }
        at_start = false;
    }
    out
}

/// `UpperCamelCase` for types and enum variants.
pub fn type_name(raw: &str) -> String {
    camel(raw, "Empty", "T")
}

/// `UpperCamelCase` for enum variants (a leading digit gets a `V` prefix).
pub fn variant_name(raw: &str) -> String {
    camel(raw, "Empty", "V")
}

/// `snake_case` for fields, functions, methods and modules.
pub fn snake_name(raw: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s = "empty".into();
    }
    // `_0` is legal but clippy rejects it (`just_underscores_and_digits`),
    // and `p_` + `_0` is not snake case: a letter goes first.
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

fn camel(raw: &str, empty: &str, digit_prefix: &str) -> String {
    let mut s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = empty.into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, digit_prefix);
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

/// One scope of names (a module's items, a struct's fields, an enum's
/// variants); later claims of a taken name get a numeric suffix.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    used: HashSet<String>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks names the generator itself emits in this scope.
    pub fn reserve<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        self.used.extend(names.into_iter().map(str::to_string));
    }

    /// Returns `candidate`, or `candidate2`, `candidate3`... (snake case:
    /// `candidate_2`) if it is taken; the result is then taken.
    pub fn claim(&mut self, candidate: String) -> String {
        if self.used.insert(candidate.clone()) {
            return candidate;
        }
        let sep = if candidate.starts_with(|c: char| c.is_ascii_uppercase())
            || candidate.ends_with('_')
        {
            ""
        } else {
            "_"
        };
        let mut n = 2;
        loop {
            let next = format!("{candidate}{sep}{n}");
            if self.used.insert(next.clone()) {
                return next;
            }
            n += 1;
        }
    }
}

/// A type name made of a type name and a suffix (`Self_` + `Client` is
/// `SelfClient`, not `Self_Client`).
pub fn compose(base: &str, suffix: &str) -> String {
    type_name(&format!("{}{suffix}", base.trim_end_matches('_')))
}

/// A `proc_macro2::Ident` for a name produced by this module.
pub fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let table = [
            ("apiToken", "ApiToken"),
            ("apiTokenPatch", "ApiTokenPatch"),
            ("all.User", "AllUser"),
            ("userApiToken.*", "UserApiTokenStar"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("a-1", "A1"),
            ("1st", "T1st"),
            ("", "Empty"),
            ("???", "Empty"),
            ("Self", "Self_"),
            ("self", "Self_"),
            (
                "Mindbody.PublicApi.Dto.Models.V6.User",
                "MindbodyPublicApiDtoModelsV6User",
            ),
            ("IssueRequest", "IssueRequest"),
            ("USER", "User"),
            ("naïve", "NaVe"),
        ];
        for (raw, want) in table {
            assert_eq!(type_name(raw), want, "type_name({raw:?})");
        }
    }

    #[test]
    fn variant_names() {
        let table = [
            ("active", "Active"),
            ("1", "V1"),
            ("", "Empty"),
            ("all.User.read", "AllUserRead"),
            ("None", "None"),
        ];
        for (raw, want) in table {
            assert_eq!(variant_name(raw), want, "variant_name({raw:?})");
        }
    }

    #[test]
    fn snake_names() {
        let table = [
            ("active?", "active"),
            ("revoked?", "revoked"),
            ("apiTokenId", "api_token_id"),
            ("user_id", "user_id"),
            ("type", "type_"),
            ("match", "match_"),
            ("self", "self_"),
            ("Self", "self_"),
            ("crate", "crate_"),
            ("async", "async_"),
            ("try", "try_"),
            ("2fa_enabled", "n2fa_enabled"),
            ("1st", "n1st"),
            ("", "empty"),
            ("@type", "type_"),
            ("+1", "plus_1"),
            ("foo bar", "foo_bar"),
            ("x.y.z", "x_y_z"),
            ("siteId", "site_id"),
            ("API-Key", "api_key"),
            ("TokenType", "token_type"),
        ];
        for (raw, want) in table {
            assert_eq!(snake_name(raw), want, "snake_name({raw:?})");
        }
    }

    #[test]
    fn collisions_get_suffixes_in_claim_order() {
        let mut ns = Namespace::new();
        let names: Vec<_> = ["fooBar", "foo_bar", "FooBar", "foo-bar"]
            .iter()
            .map(|r| ns.claim(snake_name(r)))
            .collect();
        assert_eq!(names, ["foo_bar", "foo_bar_2", "foo_bar_3", "foo_bar_4"]);
        let mut ns = Namespace::new();
        ns.reserve(["Client"]);
        let names: Vec<_> = ["user", "User", "USER", "client"]
            .iter()
            .map(|r| ns.claim(type_name(r)))
            .collect();
        assert_eq!(names, ["User", "User2", "User3", "Client2"]);
        let mut ns = Namespace::new();
        let names: Vec<_> = ["self", "Self"]
            .iter()
            .map(|r| ns.claim(snake_name(r)))
            .collect();
        assert_eq!(names, ["self_", "self_2"]);
        assert_eq!(compose("Self_", "Client"), "SelfClient");
        assert_eq!(compose("UserApiToken", "Client"), "UserApiTokenClient");
    }

    #[test]
    fn every_output_is_a_valid_identifier() {
        let nasty = [
            "", " ", "*", "?", "_", "__", "0", "9lives", "type", "Self", "self", "super", "crate",
            "r#type", "a\"b", "*/", "#[", "\n", "\u{0}", "日本", "é", "-", "+", "--1", "_1",
            "a__b", "union", "gen", "dyn",
        ];
        for raw in nasty {
            for name in [type_name(raw), variant_name(raw), snake_name(raw)] {
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok(),
                    "{raw:?} gave invalid {name:?}"
                );
            }
        }
    }
}
