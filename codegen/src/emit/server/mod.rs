//! The `server` part: one trait per resource with a default `501` per
//! operation, `router(service)` wiring every route, and handlers that
//! extract, parse and validate every input before calling the trait.

mod bounds;
mod chunks;
mod handlers;
mod inputs;
mod responses;
mod router;
mod shapes;
mod traits;
mod validation;

use handlers::location_name;
use router::url_segments;
use shapes::allows_null;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::responses::{header_repr, HeaderRepr};
use super::variants::{carries_status, variants};
use super::{body_kind, docs, is_form, is_json, runtime, BodyKind, TypeRenderer};
use crate::ir::{
    Api, Operation, Parameter, ParameterLocation, SecurityKind, SecurityScheme, StatusCode,
    StringFormat, Ty, TypeExpr, TypeId, TypeKind,
};
use crate::naming::ident;
use crate::plan::Plan;

/// The part in chunks of whole items (the first holds the inner
/// attributes), emitted one at a time as the formatter asks: only one
/// chunk's tokens are alive at once. Handlers request validators, shapes
/// and patterns as they are emitted, and those come after them.
pub fn server<'a>(api: &'a Api, plan: &'a Plan) -> Box<dyn Iterator<Item = TokenStream> + 'a> {
    let r = TypeRenderer::new(api, quote! { types:: });
    let schemes: Vec<&SecurityScheme> = api
        .security_schemes
        .iter()
        .filter(|s| !matches!(s.kind, SecurityKind::Other { .. }))
        .collect();
    let ctx = Ctx {
        api,
        plan,
        r,
        patterns: BTreeSet::new(),
        validators: BTreeSet::new(),
        shapes: BTreeSet::new(),
        schemes,
        shadowed: api.shadowed_operations(),
        chosen_enums: validation::chosen_enums(api),
    };
    let head = head(&ctx);
    Box::new(chunks::Chunks::new(ctx, head))
}

/// The inner attributes, imports, the service trait and the credentials.
fn head(ctx: &Ctx<'_>) -> TokenStream {
    let (api, plan) = (ctx.api, ctx.plan);
    let challenge = challenge(&ctx.schemes);
    let credentials = ctx.credentials();
    let service_trait = service_trait(plan);
    let types_import = ops(api)
        .next()
        .is_some()
        .then(|| quote! { use super::types; use super::operations as op; });
    // What handlers name; a spec without operations has none.
    let handler_imports = ops(api).next().is_some().then(|| {
        let (state, response) = (runtime::axum::use_state(), runtime::axum::use_response());
        quote! {
            #state
            use ::std::future::Future;
            #response
        }
    });
    let (reexports, alias) = (runtime::server::reexports(), runtime::server::alias());
    let head = quote! {
        #![doc = " Axum server stubs: implement one trait per resource (every method"]
        #![doc = " defaults to `501 Not Implemented`), then serve [`router`]. Every input"]
        #![doc = " is parsed and validated against the spec before a method is called;"]
        #![doc = " a rejected request gets a JSON [`Problem`] and the method never runs."]
        // Docs quote the spec's Markdown as written.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        // Handlers are lists of runtime calls, some of whose results an
        // operation does not use; validators check deprecated fields too.
        #![allow(unused_mut, unused_variables, clippy::let_unit_value, deprecated)]

        #reexports
        #alias
        #types_import
        #handler_imports
        use ::std::sync::Arc;

        #service_trait

        /// The `WWW-Authenticate` challenge of a `401`: one per security scheme of the spec.
        pub const AUTHENTICATE_CHALLENGE: &str = #challenge;

        #credentials
    };
    head
}

fn ops(api: &Api) -> impl Iterator<Item = &Operation> {
    api.resources.iter().flat_map(|r| &r.operations)
}

/// The service trait: every resource trait at once, implemented for any
/// type that implements them all (handlers and the router bound on it).
fn service_trait(plan: &Plan) -> TokenStream {
    let name = ident(&plan.service);
    let traits: Vec<_> = plan.traits.iter().map(|t| ident(t)).collect();
    // What `Router::with_state` needs of a service.
    let bound = quote! { ::std::marker::Send + ::std::marker::Sync + 'static #(+ #traits)* };
    quote! {
        /// Every resource trait: what [`router`] serves. Implemented for
        /// any type that implements them all.
        pub trait #name: #bound {}
        impl<T: #bound> #name for T {}
    }
}

struct Ctx<'a> {
    api: &'a Api,
    plan: &'a Plan,
    r: TypeRenderer<'a>,
    /// Patterns whose static is needed.
    patterns: BTreeSet<String>,
    /// Types whose `validate_*` function is needed.
    validators: BTreeSet<TypeId>,
    /// Structs whose JSON shape a request body needs checked (`SHAPE_*` statics).
    shapes: BTreeSet<TypeId>,
    schemes: Vec<&'a SecurityScheme>,
    /// Operations another one's route shadows (`Api::shadowed_operations`):
    /// not routed.
    shadowed: BTreeMap<String, String>,
    /// Open enums that tell untagged `oneOf` alternatives apart (see
    /// `validation::chosen_enums`): not checked as listed.
    chosen_enums: BTreeSet<TypeId>,
}

impl Ctx<'_> {
    fn scheme_variant(&self, s: &SecurityScheme) -> proc_macro2::Ident {
        ident(&self.plan.scheme_variants[&s.name])
    }

    fn input_type(&self, op: &Operation) -> proc_macro2::Ident {
        ident(&self.plan.operation(op).input)
    }

    fn handler_name(&self, op: &Operation) -> proc_macro2::Ident {
        ident(&self.plan.operation(op).handler)
    }

    fn shape_name(&self, id: TypeId) -> proc_macro2::Ident {
        ident(&self.plan.shapes[&id])
    }

    fn validator_name(&self, id: TypeId) -> proc_macro2::Ident {
        ident(&self.plan.validators[&id])
    }

    /// Input fields of the parameters, as the plan names them.
    fn param_fields<'o>(&self, op: &'o Operation) -> Vec<(&'o Parameter, proc_macro2::Ident)> {
        op.parameters
            .iter()
            .zip(&self.plan.operation(op).input_fields)
            .map(|(p, f)| (p, ident(f)))
            .collect()
    }

    fn pattern_static(&mut self, pattern: &str) -> proc_macro2::Ident {
        self.patterns.insert(pattern.to_string());
        ident(&self.plan.patterns[pattern])
    }
}

/// `Bearer, Basic, ApiKey header="API-Key"`: every scheme a client may
/// answer a `401` with. API keys have no registered scheme; the name says
/// where the key goes.
fn challenge(schemes: &[&SecurityScheme]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for s in schemes {
        let part = match &s.kind {
            SecurityKind::Bearer { .. } => "Bearer".to_string(),
            SecurityKind::Basic => "Basic".to_string(),
            SecurityKind::ApiKeyHeader { header } => {
                format!("ApiKey header=\"{}\"", quotable(header))
            }
            SecurityKind::ApiKeyQuery { parameter } => {
                format!("ApiKey query=\"{}\"", quotable(parameter))
            }
            SecurityKind::ApiKeyCookie { cookie } => {
                format!("ApiKey cookie=\"{}\"", quotable(cookie))
            }
            SecurityKind::Other { .. } => continue,
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        // Nothing to name: still a valid challenge.
        parts.push("Bearer".to_string());
    }
    parts.join(", ")
}

/// What of a spec's name may sit in a quoted header parameter (the value
/// becomes a `HeaderValue::from_static`, which must not panic).
fn quotable(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\')
        .collect()
}
