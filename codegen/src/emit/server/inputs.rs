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
                /// None presented: the operation requires none, or lists `{}` (anonymous) among its alternatives.
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
            let mut from = format!("The `{}` {} parameter", p.name, location_name(p.location));
            match &p.default {
                Some(d) => from.push_str(&format!("; when absent, the spec's default is `{d}`.")),
                None => from.push('.'),
            }
            let paragraphs = match &p.description {
                Some(d) => vec![d.clone(), from],
                None => vec![from],
            };
            let doc = docs::attrs(paragraphs.iter().map(String::as_str));
            quote! { #doc pub #f: #t }
        });
        let body = op.request_body.as_ref().and_then(|b| {
            let t = self
                .r
                .body_type(&crate::emit::form::request_kind(self.api, b))?;
            let doc = docs::attrs([b.description.as_deref().unwrap_or("The request body.")]);
            Some(if b.required {
                quote! { #doc pub body: #t, }
            } else {
                quote! { #doc pub body: Option<#t>, }
            })
        });
        let accept = crate::emit::variants::offered(op).map(|all| {
            let text = format!(
                " The request's `Accept` (it allows one of {} at least, or the request was answered `406`): choose the representation with `accept.choose(..)`.",
                all.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
            );
            let accept = runtime::server::accept();
            quote! { #[doc = #text] pub accept: #accept, }
        });
        let scopes = &op.accepted_scopes;
        let scopes_doc = format!(
            " The scopes of which a caller must hold one: {}.",
            scopes
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        // Only operations that list scopes (`x-accepted-scopes`) get the check.
        let scopes = (!scopes.is_empty()).then(|| {
            quote! {
                impl #name {
                    #[doc = #scopes_doc]
                    pub const ACCEPTED_SCOPES: &'static [&'static str] = &[#(#scopes),*];

                    /// Whether a caller holding `held` scopes may call this operation
                    /// (any one accepted scope suffices).
                    pub fn scopes_allow<S: ::std::convert::AsRef<str>>(held: &[S]) -> bool {
                        held.iter().any(|h| Self::ACCEPTED_SCOPES.contains(&h.as_ref()))
                    }
                }
            }
        });
        // A streamed body can be read once: such an input is not `Clone`.
        let derives = if op
            .request_body
            .as_ref()
            .is_some_and(|b| crate::emit::form::request_kind(self.api, b).streams())
        {
            quote! { #[derive(Debug)] }
        } else {
            quote! { #[derive(Clone, Debug)] }
        };
        quote! {
            #[doc = #doc]
            #derives
            pub struct #name {
                #(#fields,)*
                #body
                #accept
                /// The credentials that satisfied the operation's security.
                pub credentials: Credentials,
            }

            #scopes
        }
    }
}
