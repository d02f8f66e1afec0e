//! The program `--conformance` builds: the module (types, operations,
//! client, server) in a library, and a `main` with one caller per
//! operation that calls it through the generated client with the inputs
//! of a call and says which variant the answer decoded into; the router
//! is served with the stub of `--verify-examples` (`examples::stub`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::calls::{makes_body, param_key, part_key, Coverage};
use crate::emit::form::{form_fields, request_kind, FormField, FormKind};
use crate::emit::variants::variants;
use crate::emit::{arg_type, runtime, BodyKind, TypeRenderer};
use crate::examples::harness::CRATE;
use crate::ir::{Api, Operation, SecurityKind};
use crate::naming::ident;
use crate::plan::Plan;

/// `src/main.rs`: callers for the operations of `callers` (indices into
/// `coverage`), in that order.
pub fn program(
    api: &Api,
    plan: &Plan,
    coverage: &[Coverage<'_>],
    callers: &[usize],
) -> TokenStream {
    let module = format_ident!("{}", api.module);
    let krate = format_ident!("{}", CRATE);
    let m = quote! { #krate::#module };
    let r = TypeRenderer::new(api, quote! { #m::types:: });
    let index_of = operation_indices(api);
    let fns: Vec<TokenStream> = callers
        .iter()
        .enumerate()
        .map(|(n, &i)| caller(plan, coverage[i].op, index_of(coverage[i].op), n, &r, &m))
        .collect();
    let names = (0..callers.len()).map(|n| format_ident!("call_{}", n));
    let stub = crate::examples::stub::stub(api, plan, &m);
    let client = client_builder(api, plan, &m);
    let (slot, new_slot) = (runtime::verify::slot(), runtime::verify::slot_default());
    let (run, options, caller_ty) = (
        runtime::verify::conform_run(),
        runtime::verify::conform_options(),
        runtime::verify::conform_caller(),
    );
    quote! {
        //! Calls every operation of the spec through the generated client
        //! (written by `codegen --conformance`; rewritten each run).
        fn main() -> ::std::io::Result<()> {
            let options = #options::parse(::std::env::args().skip(1))?;
            let slot: ::std::sync::Arc<#slot> = ::std::sync::Arc::new(#new_slot());
            let router = #m::server::router(::std::sync::Arc::new(Stub(slot.clone())));
            let lists = (include_str!("../calls.json"), include_str!("../negatives.json"));
            #run(lists, CALLERS, |base, tap| #client, router, slot, &options)
        }
        const CALLERS: &[#caller_ty<#m::client::Client>] = &[#(#names),*];
        #(#fns)*
        #stub
    }
}

/// Each operation's position among the resources' accessors: (resource
/// index) for `plan.accessor`.
fn operation_indices(api: &Api) -> impl Fn(&Operation) -> usize + '_ {
    move |op: &Operation| {
        api.resources
            .iter()
            .position(|r| r.operations.iter().any(|o| std::ptr::eq(o, op)))
            .unwrap_or(0)
    }
}

/// `Client::builder(base)`, every scheme the client presents given a
/// made-up secret, the answers tapped (`tap`: their bodies name a judge's
/// reasons), built.
fn client_builder(api: &Api, plan: &Plan, m: &TokenStream) -> TokenStream {
    let setters = api
        .security_schemes
        .iter()
        .filter(|s| !matches!(s.kind, SecurityKind::Other { .. }))
        .filter_map(|s| {
            let f = ident(plan.scheme_setters.get(&s.name)?);
            Some(match s.kind {
                SecurityKind::Basic => quote! { .#f("conformance", "password") },
                _ => quote! { .#f("conformance") },
            })
        });
    let timeout = runtime::verify::conform_timeout();
    quote! { #m::client::Client::builder(base) #(#setters)* .layer(tap).timeout(#timeout).build() }
}

/// `call_<n>`: operation `op` of resource `resource` called with the
/// inputs of a call; the index of the variant its answer decoded into.
fn caller(
    plan: &Plan,
    op: &Operation,
    resource: usize,
    n: usize,
    r: &TypeRenderer<'_>,
    m: &TokenStream,
) -> TokenStream {
    let name = format_ident!("call_{}", n);
    let names = plan.operation(op);
    let accessor = ident(plan.accessor(resource).0);
    let method = ident(&names.method);
    let response = ident(&op.response_type);
    let (input, optional) = (
        runtime::verify::conform_input(),
        runtime::verify::conform_optional(),
    );
    let response_enum = runtime::response_enum();
    let (value, pending) = (
        runtime::serde_json::value(),
        runtime::verify::conform_pending(),
    );
    let typed = |p: &crate::ir::Parameter| {
        let (t, into) = arg_type(p, r);
        if into {
            quote! { String }
        } else {
            t
        }
    };
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for (p, field) in op.parameters.iter().zip(&names.request_fields) {
        let (t, key, f) = (typed(p), param_key(field), ident(field));
        if p.required {
            args.push(quote! { #input::<#t>(inputs, #key)? });
        } else {
            setters.push(quote! {
                let call = match #optional::<#t>(inputs, #key)? { Some(v) => call.#f(v), None => call };
            });
        }
    }
    if let Some(b) = &op.request_body {
        let kind = request_kind(r.api(), b);
        if let (BodyKind::Parts(_), Some(t), Some(fields)) =
            (&kind, r.body_type(&kind), form_fields(r.api(), b))
        {
            let form = form_value(&t, &fields, r);
            if b.required {
                args.push(form);
            } else {
                setters.push(quote! {
                    let call = match #optional::<bool>(inputs, "body")? { Some(_) => call.body(#form), None => call };
                });
            }
        } else if let Some(t) = r.body_type(&kind).filter(|_| makes_body(&kind)) {
            // Bytes are made from text.
            let (read, wrap) = match kind {
                BodyKind::Binary(_) => (quote! { String }, quote! { #t::from }),
                _ => (t, quote! {}),
            };
            if b.required {
                args.push(quote! { #wrap(#input::<#read>(inputs, "body")?) });
            } else {
                setters.push(quote! {
                    let call = match #optional::<#read>(inputs, "body")? { Some(v) => call.body(#wrap(v)), None => call };
                });
            }
        }
    }
    let arms = variants(plan, op).into_iter().enumerate().map(|(i, v)| {
        let v = ident(&v.name);
        quote! { Answer::#v { .. } => #i, }
    });
    quote! {
        #[allow(deprecated, unused_variables)]
        fn #name<'a>(client: &'a #m::client::Client, inputs: &'a #value) -> #pending<'a> {
            Box::pin(async move {
                type Answer = #m::types::#response;
                let call = client.#accessor().#method(#(#args),*);
                #(#setters)*
                let answer = call.send().await?;
                let status = #response_enum::status_code(&answer);
                Ok((match answer { #(#arms)* }, status))
            })
        }
    }
}

/// A form struct built from the `f:<part>` inputs: files of the text
/// given, values decoded; an optional part the call does not set is left
/// out (an empty list).
fn form_value(t: &TokenStream, fields: &[FormField<'_>], r: &TypeRenderer<'_>) -> TokenStream {
    let (input, optional) = (
        runtime::verify::conform_input(),
        runtime::verify::conform_optional(),
    );
    let file = runtime::file_part();
    let inits = fields.iter().map(|f| {
        let (name, key) = (ident(f.rust), part_key(f.wire));
        let value = match (&f.kind, f.required) {
            (FormKind::File, true) => quote! { #file::new(#input::<String>(inputs, #key)?) },
            (FormKind::File, false) => quote! { #optional::<String>(inputs, #key)?.map(#file::new) },
            (FormKind::Files, _) => quote! {
                #optional::<Vec<String>>(inputs, #key)?.unwrap_or_default().into_iter().map(#file::new).collect()
            },
            (FormKind::Value(e, _), true) => {
                let t = r.ty(e);
                quote! { #input::<#t>(inputs, #key)? }
            }
            (FormKind::Value(e, _), false) => {
                let t = r.ty(e);
                quote! { #optional::<#t>(inputs, #key)? }
            }
            (FormKind::Values(e, _), _) => {
                let t = r.ty(e);
                quote! { #optional::<Vec<#t>>(inputs, #key)?.unwrap_or_default() }
            }
        };
        quote! { #name: #value }
    });
    quote! { #t { #(#inits),* } }
}
