//! One trait per resource, every method defaulting to `501`.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;

impl Ctx<'_> {
    pub(super) fn resource_trait(&self, index: usize, res: &crate::ir::Resource) -> TokenStream {
        let name = ident(self.plan.trait_name(index));
        let line = format!(
            "The `{}` resource. Every method defaults to `501 Not Implemented`.",
            res.tag
        );
        let doc = docs::attrs([line.as_str(), res.description.as_deref().unwrap_or("")]);
        let methods = res.operations.iter().map(|op| {
            let m = ident(&self.plan.operation(op).method);
            let input = self.input_type(op);
            let response = ident(&op.response_type);
            let mut paragraphs: Vec<String> = Vec::new();
            if let Some(s) = &op.summary {
                paragraphs.push(s.clone());
            }
            if let Some(d) = &op.description {
                if op.summary.as_deref() != Some(d.as_str()) {
                    paragraphs.push(d.clone());
                }
            }
            paragraphs.push(format!("`{} {}` (operation `{}`).", op.method.as_str(), op.path.raw, op.id));
            let doc = docs::attrs(paragraphs.iter().map(String::as_str));
            let id = &op.id;
            let not_implemented = runtime::server::reply_not_implemented();
            quote! {
                #doc
                fn #m(&self, input: #input) -> impl Future<Output = Outcome<types::#response>> + Send {
                    #not_implemented(#id, input)
                }
            }
        });
        quote! {
            #doc
            // Methods are named as the spec names operations (`new`, `into_x`...).
            #[allow(clippy::new_ret_no_self, clippy::should_implement_trait, clippy::wrong_self_convention)]
            pub trait #name: ::std::marker::Send + ::std::marker::Sync + 'static {
                #(#methods)*
            }
        }
    }
}
