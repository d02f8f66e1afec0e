//! `router(service)`: every route of the spec, by axum path.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Method, Tell};

use super::bounds::body_bound;

use super::*;

impl Ctx<'_> {
    pub(super) fn router(&self) -> TokenStream {
        let bound = ident(&self.plan.service);
        // Routes by axum path: every segment holding a parameter becomes `{sN}`.
        let mut routes: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        // Axum refuses two handlers for one method and route; lowering
        // warned about the operations after the first (E0050).
        for op in ops(self.api).filter(|op| !self.shadowed.contains_key(&op.type_name)) {
            let route = op.path.route();
            if !routes.contains_key(&route) {
                order.push(route.clone());
            }
            routes.entry(route).or_default().push(op);
        }
        let registrations = order.iter().map(|route| {
            let methods = runtime::server::methods();
            let mut chain = quote! { #methods() };
            // Methods axum has no filter for (QUERY, 3.2 additional
            // operations) are told apart in the route's fallback.
            let mut other = Vec::new();
            for (method, group) in by_method(&routes[route]) {
                match method {
                    Method::Other(name) => {
                        let answer = self.dispatch(&group);
                        other.push(quote! {
                            #name => IntoResponse::into_response(#answer),
                        });
                    }
                    standard => {
                        let method = ident(&standard.as_str().to_ascii_lowercase());
                        // One body bound for the route's method: the largest
                        // of its operations', if each has one.
                        let bound = group
                            .iter()
                            .map(|op| {
                                op.request_body
                                    .as_ref()
                                    .and_then(|b| body_bound(&self.api.types, &b.contents))
                            })
                            .collect::<Option<Vec<u64>>>()
                            .and_then(|b| b.into_iter().max())
                            .map(|b| usize::try_from(b).unwrap_or(usize::MAX));
                        let handler = match group.as_slice() {
                            [op] => {
                                let handler = self.handler_name(op);
                                quote! { #handler::<S> }
                            }
                            _ => {
                                let (raw, answer) = (runtime::server::raw(), self.dispatch(&group));
                                quote! { |state: State<Arc<S>>, raw: #raw| async move { #answer } }
                            }
                        };
                        chain = match bound {
                            // The spec bounds this body below any sensible
                            // default: the route reads no more.
                            Some(bound) => {
                                let layer = runtime::axum::handler_layer();
                                quote! { #chain.#method(#layer(#handler, limits.body_within(#bound))) }
                            }
                            None => quote! { #chain.#method(#handler) },
                        };
                    }
                }
            }
            // The tag is outermost, so the caller's layer sees the operation.
            let ops = routes[route].iter().map(|op| {
                let name = ident(&self.plan.operation(op).constant);
                quote! { op::#name }
            });
            let tag = runtime::server::tag_new();
            if other.is_empty() {
                return quote! { routes = routes.route(#route, #tag(&[#(#ops),*]).route(#chain, &layer)); };
            }
            // Axum cannot tell these methods apart, so the fallback names
            // every method of the route itself.
            let allow = routes[route]
                .iter()
                .map(|op| op.method.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let (http_method, raw) = (runtime::axum::method(), runtime::server::raw());
            let not_allowed = runtime::server::reply_method_not_allowed();
            quote! {
                routes = routes.route(#route, #tag(&[#(#ops),*]).around(
                    #chain.fallback(|method: #http_method, state: State<Arc<S>>, raw: #raw| async move {
                        match method.as_str() {
                            #(#other)*
                            _ => #not_allowed(#allow),
                        }
                    }),
                    &layer,
                ));
            }
        });
        let (router, new_router) = (runtime::axum::router(), runtime::axum::router_new());
        // A literal segment starting with `:` or `*` (`/webhooks/feed/:token`,
        // Express's style written into an OpenAPI path) is only literal to
        // axum 0.8 without its checks for 0.7's capture syntax: with them,
        // building the router panics.
        let legacy_looking = order
            .iter()
            .any(|r| r.split('/').any(|seg| seg.starts_with([':', '*'])));
        let new_routes = if legacy_looking {
            quote! { #new_router().without_v07_checks() }
        } else {
            quote! { #new_router() }
        };
        let identity = runtime::axum::identity_new();
        let operation_layer = runtime::server::operation_layer();
        let not_found = runtime::server::reply_not_found();
        let with_challenge = runtime::server::reply_with_challenge();
        quote! {
            /// Every route of the spec, served by `service`, with the default
            /// [`Limits`]; serve it with [`serve`] (or any axum server).
            pub fn router<S: #bound>(service: Arc<S>) -> #router {
                router_with(service, &Limits::default())
            }

            /// Like [`router`] with `limits`: body size (lower for an operation
            /// whose spec bounds its body), body and handler timeouts,
            /// concurrency, panics. [`serve`] it with the same `limits` for the
            /// connection-level ones.
            pub fn router_with<S: #bound>(service: Arc<S>, limits: &Limits) -> #router {
                router_layered(service, limits, #identity())
            }

            /// Like [`router_with`], with `layer` around every operation's
            /// handler. Each request it sees carries its
            /// [`Operation`](::codegen_runtime::Operation) in the request
            /// extensions, so it can apply per-operation policies (rate
            /// limits, auth) without matching paths.
            pub fn router_layered<S: #bound>(service: Arc<S>, limits: &Limits, layer: impl #operation_layer) -> #router {
                // One statement per route, not one method chain: a chain
                // nests one expression per route, and a document of
                // thousands of paths overflowed the formatter's stack.
                let mut routes = #new_routes;
                #(#registrations)*
                let routes = routes
                    .fallback(|| async { #not_found() })
                    .with_state(service);
                #with_challenge(limits.apply(routes), AUTHENTICATE_CHALLENGE)
            }
        }
    }
}

impl Ctx<'_> {
    /// The answer of the operations of one method and axum route (in
    /// `state` and `raw`): the first whose template the path fits, most
    /// literal first (`/pulls/{index}.{diffType}` before `/pulls/{index}`);
    /// the last takes what no other fits.
    ///
    /// Operations told apart by a header of one value (AWS's
    /// `X-Amz-Target`: [`Operation::told_by`]) go before the others of
    /// their template and are taken when the header holds it.
    fn dispatch(&self, group: &[&Operation]) -> TokenStream {
        let mut ordered = group.to_vec();
        // Most keys first: `?lat=..&lon=..` before `?lat=..`.
        let keys = |op: &Operation| match &op.told_by {
            Some(Tell::QueryKeys(keys)) => keys.len(),
            _ => 0,
        };
        ordered.sort_by_key(|op| {
            (
                std::cmp::Reverse(literal_length(&op.path.raw)),
                op.told_by.is_none(),
                std::cmp::Reverse(keys(op)),
            )
        });
        let Some((last, first)) = ordered.split_last() else {
            return quote! {};
        };
        let fallback = self.handler_name(last);
        if first.is_empty() {
            return quote! { #fallback::<S>(state, raw).await };
        }
        // One flat `match` of guarded arms, not nested `if`/`else`: AWS
        // query APIs put a thousand operations on `/`, and nesting that
        // deep overflows the stacks of every parser that reads it.
        let arms = first.iter().map(|op| {
            let handler = self.handler_name(op);
            let condition = taken_when(op);
            quote! { () if #condition => #handler::<S>(state, raw).await, }
        });
        quote! {
            match () {
                #(#arms)*
                () => #fallback::<S>(state, raw).await,
            }
        }
    }
}

/// When the router gives a request to `op` rather than to an operation
/// after it: its path fits `op`'s literals, and its header tells it.
fn taken_when(op: &Operation) -> TokenStream {
    let segments = fitted_segments(&op.path.raw);
    let fits = (!segments.is_empty() || op.told_by.is_none()).then(|| {
        let segments = segments.into_iter().map(|(capture, literals)| {
            quote! { (#capture, &[#(#literals),*]) }
        });
        quote! { raw.fits(&[#(#segments),*]) }
    });
    let told = op.told_by.as_ref().map(|t| match t {
        Tell::Header { name, value } => quote! { raw.header_is(#name, #value) },
        Tell::Query { name, value } => quote! { raw.query_is(#name, #value) },
        Tell::QueryKeys(keys) => quote! { raw.query_has(&[#(#keys),*]) },
    });
    match (fits, told) {
        (Some(fits), Some(told)) => quote! { #fits && #told },
        (fits, told) => quote! { #fits #told },
    }
}

/// The operations of one route by method, in document order.
fn by_method<'o>(ops: &[&'o Operation]) -> Vec<(&'o Method, Vec<&'o Operation>)> {
    let mut out: Vec<(&Method, Vec<&Operation>)> = Vec::new();
    for op in ops {
        match out.iter_mut().find(|(m, _)| **m == op.method) {
            Some((_, group)) => group.push(op),
            None => out.push((&op.method, vec![op])),
        }
    }
    out
}

/// How many literal characters share URL segments with parameters.
fn literal_length(path: &str) -> usize {
    fitted_segments(path)
        .iter()
        .map(|(_, literals)| literals.iter().map(String::len).sum::<usize>())
        .sum()
}

/// Each URL segment holding a parameter and literals besides: (axum name
/// `sN`, the literals around its parameters).
fn fitted_segments(path: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (capture, _, literals, _) in url_segments(path) {
        if literals.iter().all(String::is_empty) || out.iter().any(|(c, _)| *c == capture) {
            continue;
        }
        out.push((capture, literals));
    }
    out
}

/// For each path parameter: (axum name `sN` of its URL segment, parameter,
/// the segment's literals around its parameters, the parameter's index
/// among them). `v{version}` is `["v", ""]`, `{base}...{head}` is
/// `["", "...", ""]`.
pub(super) fn url_segments(path: &str) -> Vec<(String, String, Vec<String>, usize)> {
    // A query part (`?lat={lat}`) or fragment is not the path.
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut out = Vec::new();
    for (i, seg) in path.split('/').enumerate() {
        let mut literals = vec![String::new()];
        let mut names = Vec::new();
        let mut rest = seg;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| c + open) else {
                break;
            };
            if let Some(l) = literals.last_mut() {
                l.push_str(&rest[..open]);
            }
            names.push(rest[open + 1..close].to_string());
            literals.push(String::new());
            rest = &rest[close + 1..];
        }
        if names.is_empty() {
            continue;
        }
        if let Some(l) = literals.last_mut() {
            l.push_str(rest);
        }
        for (index, name) in names.into_iter().enumerate() {
            out.push((format!("s{i}"), name, literals.clone(), index));
        }
    }
    out
}
