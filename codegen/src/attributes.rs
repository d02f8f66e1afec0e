//! Attributes the settings give as text (`attributes = ["#[a]"]`), parsed
//! where they are read: by the settings check, lowering and the types
//! emitter, all of which sit above this file.

/// `#[a] #[b]` as outer attributes, if it parses as such.
pub(crate) fn parse_attributes(text: &str) -> Option<Vec<syn::Attribute>> {
    use syn::parse::Parser;
    syn::Attribute::parse_outer
        .parse_str(text)
        .ok()
        .filter(|a| !a.is_empty())
}
