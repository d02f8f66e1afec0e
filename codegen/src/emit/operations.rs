//! The `operations` part: one constant per operation, the
//! [`Operation`](::codegen_runtime::Operation) the client's requests and
//! the server's routes both carry, so a `tower` layer on either side can
//! compare with it, and neither part spells it again.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime;
use crate::ir::{Api, Operation, ParameterLocation, StatusCode};
use crate::naming::ident;
use crate::plan::Plan;

/// The part's tokens.
pub fn operations(api: &Api, plan: &Plan) -> TokenStream {
    let import = api
        .resources
        .iter()
        .any(|r| !r.operations.is_empty())
        .then(runtime::use_operation);
    let constants = api.resources.iter().flat_map(|r| &r.operations).map(|op| {
        let name = ident(&plan.operation(op).constant);
        let value = value(op);
        let doc = format!(
            " `{} {}` (operation `{}`).",
            op.method.as_str(),
            op.path.raw,
            op.id
        );
        quote! {
            #[doc = #doc]
            pub const #name: Operation = #value;
        }
    });
    quote! {
        #![doc = " Every operation of the spec, as the client tags its requests and the server its"]
        #![doc = " routes: a `tower` layer on either side finds the request's own in its extensions"]
        #![doc = " (`request.extensions().get::<Operation>()`) and can compare it with these."]
        #import
        #(#constants)*
    }
}

/// The operation's value: id, method, route; whether it documents a
/// redirect (then the client returns it instead of following it); and,
/// when a header parameter is an idempotency key, that header (only then
/// may a client retry a `POST`).
fn value(op: &Operation) -> TokenStream {
    let (id, method, route) = (&op.id, op.method.as_str(), &op.path.raw);
    let key = op
        .parameters
        .iter()
        .find(|p| {
            p.location == ParameterLocation::Header
                && p.name.to_ascii_lowercase().ends_with("idempotency-key")
        })
        .map(|p| {
            let name = &p.name;
            quote! { .with_idempotency_key(#name) }
        });
    let redirects = op
        .responses
        .iter()
        .any(|r| match r.status {
            StatusCode::Code(code) => (300..400).contains(&code),
            StatusCode::Range(class) => class == 3,
            StatusCode::Default => false,
        })
        .then(|| quote! { .keeping_redirects() });
    quote! { Operation::new(#id, #method, #route) #redirects #key }
}
