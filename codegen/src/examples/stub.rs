//! The stub the server-side check serves: every resource trait
//! implemented by one struct whose methods record that they ran (through
//! `codegen_runtime::verify::serve::Slot`) and answer with the response
//! example handed to them, as the variant of the operation's response
//! enum it documents.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::variants::{carries_status, variants, Rep, Variant};
use crate::emit::{runtime, BodyKind};
use crate::ir::Api;
use crate::naming::ident;
use crate::plan::Plan;

/// How the stub answers with an example of this variant: `Some(None)`, a
/// JSON body; `Some(Some(rep))`, the JSON representation `rep` of a body
/// the server negotiates; `None`, it cannot (no JSON body).
pub fn answers_with<'v>(v: &'v Variant<'_>) -> Option<Option<&'v Rep<'v>>> {
    if v.response.body_type.is_none() {
        return matches!(v.body, BodyKind::Json(_)).then_some(None);
    }
    v.reps
        .iter()
        .find(|r| matches!(r.kind, BodyKind::Json(_)))
        .map(Some)
}

/// How the stub reads its example for a body of this kind (the method of
/// `verify::serve::Canned`): JSON as the type, text from a JSON string,
/// bytes from a JSON string, a JSON sequence or events from a JSON array,
/// a multipart body from its text. `None`: a kind it cannot make (a form
/// struct, which only requests have).
pub fn read_method(kind: &BodyKind<'_>) -> Option<TokenStream> {
    Some(match kind {
        BodyKind::Json(_) | BodyKind::Text => quote! { body() },
        BodyKind::Binary(_) => quote! { bytes() },
        BodyKind::JsonSeq(..) => quote! { json_stream() },
        BodyKind::Events(_) => quote! { events() },
        // The parts and delimiters, as text.
        BodyKind::Multipart(_) => quote! { body::<String>().map(String::into_bytes) },
        _ => return None,
    })
}

/// What the stub answers a variant with when it has a body: the
/// representation (`None`: the single body) and its kind. JSON is
/// preferred; else the first representation the stub can make.
pub fn stub_body<'v>(v: &'v Variant<'_>) -> Option<(Option<&'v Rep<'v>>, &'v BodyKind<'v>)> {
    if let Some(rep) = answers_with(v) {
        return Some((rep, rep.map_or(&v.body, |r| &r.kind)));
    }
    if v.response.body_type.is_none() {
        return read_method(&v.body).map(|_| (None, &v.body));
    }
    v.reps
        .iter()
        .find(|r| read_method(&r.kind).is_some())
        .map(|r| (Some(r), &r.kind))
}

/// The variant has no body at all: the stub answers it as it is.
pub fn answers_empty(v: &Variant<'_>) -> bool {
    v.response.body_type.is_none() && matches!(v.body, BodyKind::None)
}

/// The documented headers of variant `v` as the stub gives them: each
/// the value its canned answer holds for it (`None` without one).
fn headers_value(v: &Variant<'_>, module: &TokenStream) -> TokenStream {
    let Some(name) = &v.response.headers_type else {
        return quote! {};
    };
    let name = ident(name);
    let fields = v.response.headers.iter().map(|h| {
        let (f, wire) = (ident(&h.rust_name), &h.name);
        quote! { #f: canned.header(#wire) }
    });
    quote! { #module::types::#name { #(#fields,)* } }
}

/// The arm answering variant `i`, which has no body.
fn empty_arm(i: usize, v: &Variant<'_>, module: &TokenStream) -> TokenStream {
    let vname = ident(&v.name);
    let status = carries_status(v.response.status).then(|| quote! { status: canned.status, });
    let value = if v.response.headers_type.is_some() {
        let headers = headers_value(v, module);
        quote! { Answer::#vname { #status headers: #headers } }
    } else if status.is_some() {
        quote! { Answer::#vname { #status } }
    } else {
        quote! { Answer::#vname }
    };
    quote! { #i => Ok(#value), }
}

/// The `Stub` struct and its trait impls; `module` is the path of the
/// generated module (`verify_examples::pets`).
pub fn stub(api: &Api, plan: &Plan, module: &TokenStream) -> TokenStream {
    let impls = api.resources.iter().enumerate().map(|(index, res)| {
        let name = ident(plan.trait_name(index));
        let methods = res.operations.iter().map(|op| {
            let names = plan.operation(op);
            let m = ident(&names.method);
            let input = ident(&names.input);
            let response = ident(&op.response_type);
            let id = &op.id;
            let arms: Vec<TokenStream> = variants(plan, op)
                .into_iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let vname = ident(&v.name);
                    if answers_empty(&v) {
                        return Some(empty_arm(i, &v, module));
                    }
                    let (rep, kind) = stub_body(&v)?;
                    let read = read_method(kind)?;
                    let body = match (rep, &v.response.body_type) {
                        (Some(rep), Some(enum_name)) => {
                            let (e, r) = (ident(enum_name), ident(rep.name));
                            quote! { #module::types::#e::#r(body) }
                        }
                        _ => quote! { body },
                    };
                    let status = carries_status(v.response.status)
                        .then(|| quote! { status: canned.status, });
                    let value = if v.response.headers_type.is_some() {
                        let headers = headers_value(&v, module);
                        quote! { Answer::#vname { #status body: #body, headers: #headers } }
                    } else if status.is_some() {
                        quote! { Answer::#vname { #status body: #body } }
                    } else {
                        quote! { Answer::#vname(#body) }
                    };
                    Some(quote! { #i => canned.#read.map(|body| #value), })
                })
                .collect();
            let alias =
                (!arms.is_empty()).then(|| quote! { type Answer = #module::types::#response; });
            let outcome = runtime::server::outcome();
            quote! {
                fn #m(
                    &self,
                    _input: #module::server::#input,
                ) -> impl ::std::future::Future<
                    Output = #outcome<#module::types::#response>,
                > + ::std::marker::Send {
                    #alias
                    let answer = self.0.reach(#id).and_then(|canned| match canned.variant {
                        #(#arms)*
                        _ => Err(canned.unknown()),
                    });
                    ::std::future::ready(answer)
                }
            }
        });
        quote! {
            impl #module::server::#name for Stub {
                #(#methods)*
            }
        }
    });
    let slot = runtime::verify::slot();
    quote! {
        /// Every operation of the spec: records that it ran, answers with
        /// the example it is handed.
        struct Stub(::std::sync::Arc<#slot>);
        #(#impls)*
    }
}
