//! Input structs (one per operation) and the `Credentials` enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;

impl Ctx<'_> {
    pub(super) fn credentials(&self) -> TokenStream {
        let variants = self.schemes.iter().map(|s| {
            let v = self.scheme_variant(s);
            let doc = format!(" The `{}` scheme.", s.name);
            let payload = match s.kind {
                SecurityKind::Bearer { .. } => quote! { BearerToken },
                SecurityKind::Basic => quote! { BasicCredentials },
                _ => quote! { ApiKey },
            };
            quote! { #[doc = #doc] #v(#payload) }
        });
        quote! {
            /// The credentials a request presented, by security scheme.
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub enum Credentials {
                #(#variants,)*
                /// The operation requires no credentials.
                None,
            }
        }
    }

    pub(super) fn input_struct(&mut self, op: &Operation) -> TokenStream {
        let name = self.input_type(op);
        let doc = format!(
            " Inputs of `{}` (`{} {}`), parsed and validated.",
            op.id,
            op.method.as_str(),
            op.path.raw
        );
        let fields = self.param_fields(op).into_iter().map(|(p, f)| {
            let t = self.r.ty(&p.schema);
            let t = if p.required {
                t
            } else {
                quote! { Option<#t> }
            };
            let mut paragraphs = vec![p
                .description
                .clone()
                .unwrap_or_else(|| format!("The `{}` parameter.", p.name))];
            paragraphs.push(format!(
                "From `{}` `{}`.",
                location_name(p.location),
                p.name
            ));
            if let Some(d) = &p.default {
                paragraphs.push(format!("When absent, the spec's default is `{d}`."));
            }
            let doc = docs::attrs(paragraphs.iter().map(String::as_str));
            quote! { #doc pub #f: #t }
        });
        let body = op.request_body.as_ref().and_then(|b| {
            let t = self.r.body_type(&body_kind(&b.contents))?;
            let doc = docs::attrs([b.description.as_deref().unwrap_or("The request body.")]);
            Some(if b.required {
                quote! { #doc pub body: #t, }
            } else {
                quote! { #doc pub body: Option<#t>, }
            })
        });
        let scopes = &op.accepted_scopes;
        let scopes_doc = if scopes.is_empty() {
            " The scopes of which a caller must hold one (`x-accepted-scopes`; none listed)."
                .to_string()
        } else {
            format!(
                " The scopes of which a caller must hold one: {}.",
                scopes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub struct #name {
                #(#fields,)*
                #body
                /// The credentials that satisfied the operation's security.
                pub credentials: Credentials,
            }

            impl #name {
                #[doc = #scopes_doc]
                pub const ACCEPTED_SCOPES: &'static [&'static str] = &[#(#scopes),*];

                /// Whether a caller holding `held` scopes may call this operation
                /// (any one accepted scope suffices; no listed scopes: anyone).
                pub fn scopes_allow<S: ::std::convert::AsRef<str>>(held: &[S]) -> bool {
                    Self::ACCEPTED_SCOPES.is_empty() || held.iter().any(|h| Self::ACCEPTED_SCOPES.contains(&h.as_ref()))
                }
            }
        }
    }
}
