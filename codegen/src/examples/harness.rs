//! The program `--verify-examples` builds: the module's `types` part in a
//! library, and a `main` that runs every example through
//! `codegen_runtime::verify::check` for its Rust type (one check per
//! distinct type, so a spec with thousands of examples instantiates each
//! type's serde code once). With the server check, the library holds the
//! `server` part too, and `main` then serves its router on loopback with
//! the stub of [`super::stub`] and sends it every exchange.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::collect::Example;
use crate::emit::{runtime, TypeRenderer};
use crate::ir::Api;
use crate::plan::Plan;

/// The library crate's name (`src/lib.rs` holds `pub mod <module>;`).
pub const CRATE: &str = "verify_examples";

/// `src/main.rs` and `examples.json` (`[{id, check, value}]`) for
/// `examples`; with `server` (the module's plan), `main` then sends the
/// exchanges of `exchanges.json` to the served stub.
pub fn program(api: &Api, examples: &[Example], server: Option<&Plan>) -> (TokenStream, String) {
    let module = format_ident!("{}", api.module);
    let krate = format_ident!("{}", CRATE);
    let r = TypeRenderer::new(api, quote! { #krate::#module::types:: });
    let mut checks: BTreeMap<String, (usize, TokenStream)> = BTreeMap::new();
    let mut inputs = Vec::with_capacity(examples.len());
    for (id, e) in examples.iter().enumerate() {
        let ty = r.ty(&e.ty);
        let next = checks.len();
        let (check, _) = checks.entry(ty.to_string()).or_insert((next, ty));
        inputs.push(serde_json::json!({"id": id, "check": *check, "value": e.value}));
    }
    let mut ordered: Vec<(usize, TokenStream)> = checks.into_values().collect();
    ordered.sort_by_key(|(i, _)| *i);
    let types = ordered.into_iter().map(|(_, t)| t);
    let (serve, stub) = match server {
        Some(plan) => {
            let new_slot = runtime::verify::slot_default();
            let serve = runtime::verify::serve_run();
            (
                quote! {
                    let slot = ::std::sync::Arc::new(#new_slot());
                    let router = #krate::#module::server::router(::std::sync::Arc::new(Stub(slot.clone())));
                    #serve(router, slot, include_str!("../exchanges.json"))?;
                },
                super::stub::stub(api, plan, &quote! { #krate::#module }),
            )
        }
        None => (quote! {}, quote! {}),
    };
    let (value, outcome) = (runtime::serde_json::value(), runtime::verify::outcome());
    let (check, run) = (runtime::verify::check(), runtime::verify::run());
    let main = quote! {
        //! Runs every example of the spec through its generated type
        //! (written by `codegen --verify-examples`; rewritten each run).
        fn main() -> ::std::io::Result<()> {
            let checks: &[fn(&#value) -> #outcome] = &[
                #(#check::<#types>,)*
            ];
            #run(include_str!("../examples.json"), checks)?;
            #serve
            Ok(())
        }
        #stub
    };
    (main, serde_json::Value::Array(inputs).to_string())
}
