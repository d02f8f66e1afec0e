//! The `server` part: one trait per resource with a default `501` per
//! operation, `router(service)` wiring every route, and handlers that
//! extract, parse and validate every input before calling the trait.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::responses::{carries_status, header_repr, variants, HeaderRepr};
use super::{body_kind, docs, is_form, is_json, BodyKind, TypeRenderer};
use crate::ir::{
    Api, Constraints, Operation, Parameter, ParameterLocation, SecurityKind, SecurityScheme,
    StatusCode, StringFormat, Ty, TypeExpr, TypeId, TypeKind,
};
use crate::naming::ident;
use crate::plan::Plan;

/// The part in chunks of whole items (the first holds the inner attributes).
/// Handlers request validators, shapes and patterns as they are emitted, so
/// the chunks are built together, then formatted one at a time.
pub fn server<'a>(api: &'a Api, plan: &'a Plan) -> Vec<TokenStream> {
    let r = TypeRenderer::new(api, quote! { super::types:: });
    let schemes: Vec<&SecurityScheme> = api
        .security_schemes
        .iter()
        .filter(|s| !matches!(s.kind, SecurityKind::Other { .. }))
        .collect();
    let mut ctx = Ctx {
        api,
        plan,
        r,
        patterns: BTreeSet::new(),
        validators: BTreeSet::new(),
        shapes: BTreeSet::new(),
        schemes,
    };

    let challenge = challenge(&ctx.schemes);
    let credentials = ctx.credentials();
    let inputs: Vec<TokenStream> = ops(api).map(|op| ctx.input_struct(op)).collect();
    let traits: Vec<TokenStream> = api
        .resources
        .iter()
        .enumerate()
        .map(|(i, res)| ctx.resource_trait(i, res))
        .collect();
    let handlers: Vec<TokenStream> = api
        .resources
        .iter()
        .enumerate()
        .flat_map(|(i, res)| res.operations.iter().map(move |op| (i, op)))
        .map(|(i, op)| ctx.handler(i, op))
        .collect();
    let router = ctx.router();
    let into_responses: Vec<TokenStream> = ops(api).map(|op| ctx.response_impl(op)).collect();
    // Validators are requested while emitting handlers; emit them (and what they request) until none is new.
    let mut emitted = BTreeSet::new();
    let mut validators = Vec::new();
    loop {
        let pending: Vec<TypeId> = ctx.validators.difference(&emitted).copied().collect();
        if pending.is_empty() {
            break;
        }
        for id in pending {
            emitted.insert(id);
            validators.push(ctx.validator(id));
        }
    }
    let mut shapes = Vec::new();
    let mut emitted = BTreeSet::new();
    loop {
        let pending: Vec<TypeId> = ctx.shapes.difference(&emitted).copied().collect();
        if pending.is_empty() {
            break;
        }
        for id in pending {
            emitted.insert(id);
            shapes.push(ctx.shape_static(id));
        }
    }
    let patterns = ctx.patterns.iter().map(|pattern| {
        let name = ident(&plan.patterns[pattern]);
        quote! {
            static #name: rt::checks::Pattern = rt::checks::Pattern::new(#pattern);
        }
    });
    let head = quote! {
        #![doc = " Axum server stubs: implement one trait per resource (every method"]
        #![doc = " defaults to `501 Not Implemented`), then serve [`router`]. Every input"]
        #![doc = " is parsed and validated against the spec before a method is called;"]
        #![doc = " a rejected request gets a JSON [`Problem`] and the method never runs."]
        // Docs quote the spec's Markdown as written.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        pub use ::codegen_runtime::server::{ApiKey, BasicCredentials, BearerToken, Outcome, Problem, Violation, DEFAULT_BODY_LIMIT};
        use ::codegen_runtime::server as rt;

        /// The `WWW-Authenticate` challenge of a `401`: one per security scheme of the spec.
        pub const AUTHENTICATE_CHALLENGE: &str = #challenge;

        #credentials
    };
    let mut chunks = vec![head];
    chunks.extend(inputs);
    chunks.extend(traits);
    chunks.push(router);
    chunks.extend(handlers);
    chunks.extend(into_responses);
    chunks.extend(validators);
    chunks.extend(shapes);
    chunks.extend(patterns);
    chunks
}

fn ops(api: &Api) -> impl Iterator<Item = &Operation> {
    api.resources.iter().flat_map(|r| &r.operations)
}

/// `A + B + ...` of every resource trait.
fn trait_bound(plan: &Plan) -> TokenStream {
    let traits: Vec<_> = plan.traits.iter().map(|t| ident(t)).collect();
    if traits.is_empty() {
        // What `Router::with_state` needs of a service when no trait applies.
        quote! { ::std::marker::Send + ::std::marker::Sync + 'static }
    } else {
        quote! { #(#traits)+* }
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
}

/// Whether JSON `null` is a valid value of this type.
fn allows_null(api: &Api, e: &TypeExpr, aliases: &mut BTreeSet<TypeId>) -> bool {
    e.nullable
        || match &e.ty {
            Ty::Any => true,
            Ty::Named(id) => match &api.types.get(*id).kind {
                TypeKind::Alias(inner) if aliases.insert(*id) => allows_null(api, inner, aliases),
                _ => false,
            },
            _ => false,
        }
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

    fn credentials(&self) -> TokenStream {
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

    fn input_struct(&mut self, op: &Operation) -> TokenStream {
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
                quote! { ::std::option::Option<#t> }
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
                quote! { #doc pub body: ::std::option::Option<#t>, }
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

    fn resource_trait(&self, index: usize, res: &crate::ir::Resource) -> TokenStream {
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
            quote! {
                #doc
                fn #m(&self, input: #input) -> impl ::std::future::Future<Output = Outcome<super::types::#response>> + ::std::marker::Send {
                    let _ = input;
                    async move { ::std::result::Result::Err(Problem::not_implemented(#id)) }
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

    fn router(&self) -> TokenStream {
        let bound = trait_bound(self.plan);
        // Routes by axum path: every segment holding a parameter becomes `{sN}`.
        let mut routes: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for op in ops(self.api) {
            let route = route_path(&op.path.raw);
            if !routes.contains_key(&route) {
                order.push(route.clone());
            }
            routes.entry(route).or_default().push(op);
        }
        let registrations = order.iter().map(|route| {
            let mut chain = quote! { ::codegen_runtime::axum::routing::MethodRouter::new() };
            let mut allow: Vec<&str> = Vec::new();
            for op in &routes[route] {
                let method = ident(&op.method.as_str().to_ascii_lowercase());
                let handler = self.handler_name(op);
                chain = quote! { #chain.#method(#handler::<S>) };
                allow.push(op.method.as_str());
            }
            let allow = allow.join(", ");
            chain = quote! { #chain.fallback(|| async { rt::reply::method_not_allowed(#allow) }) };
            quote! { .route(#route, #chain) }
        });
        quote! {
            /// Every route of the spec, served by `service`, with a [`DEFAULT_BODY_LIMIT`] body limit.
            pub fn router<S: #bound>(service: ::std::sync::Arc<S>) -> ::codegen_runtime::axum::Router {
                router_with_limit(service, DEFAULT_BODY_LIMIT)
            }

            /// Like [`router`] with a body limit of `body_limit` bytes (larger bodies get `413`).
            pub fn router_with_limit<S: #bound>(service: ::std::sync::Arc<S>, body_limit: usize) -> ::codegen_runtime::axum::Router {
                let routes = ::codegen_runtime::axum::Router::new()
                    #(#registrations)*
                    .fallback(|| async { rt::reply::not_found() })
                    .layer(::codegen_runtime::axum::extract::DefaultBodyLimit::max(body_limit))
                    .with_state(service);
                rt::reply::with_challenge(routes, AUTHENTICATE_CHALLENGE)
            }
        }
    }

    /// A parameter's parser and the checks of its parsed value (bound to
    /// `value`, a reference).
    fn param_parser(&mut self, p: &Parameter, field: &str) -> (TokenStream, TokenStream) {
        let parser = parse_scalar(self.api, &p.schema.ty, &self.r);
        let checks = self.scalar_checks(&p.schema, field, quote! { value });
        (parser, checks)
    }

    /// Constraint checks on a parsed scalar bound to `value` (by value or reference).
    /// `value` is a reference to the parsed scalar.
    fn scalar_checks(&mut self, e: &TypeExpr, field: &str, value: TokenStream) -> TokenStream {
        let c = &e.constraints;
        match &e.ty {
            Ty::String(_) => {
                let length = (c.min_length.is_some() || c.max_length.is_some()).then(|| {
                    let min = opt_usize(c.min_length);
                    let max = opt_usize(c.max_length);
                    quote! { rt::checks::length(#value, #field, #min, #max, &mut violations); }
                });
                let pattern = c.pattern.as_ref().map(|pat| {
                    let stat = self.pattern_static(pat);
                    quote! { rt::checks::pattern(#value, #field, &#stat, &mut violations); }
                });
                quote! { #length #pattern }
            }
            Ty::Integer(_) | Ty::Number(_) => range_check(
                c,
                field,
                quote! { *#value as f64 },
                quote! { &mut violations },
            ),
            _ => quote! {},
        }
    }

    fn pattern_static(&mut self, pattern: &str) -> proc_macro2::Ident {
        self.patterns.insert(pattern.to_string());
        ident(&self.plan.patterns[pattern])
    }

    fn handler(&mut self, resource: usize, op: &Operation) -> TokenStream {
        let name = self.handler_name(op);
        let input = self.input_type(op);
        let method = ident(&self.plan.operation(op).method);
        let trait_name = ident(self.plan.trait_name(resource));
        let bound = trait_bound(self.plan);
        let segments = url_segments(&op.path.raw);

        // Path parameters.
        let mut path_stmts = Vec::new();
        let mut field_inits = Vec::new();
        // Required inputs: `Option`s until the violation check, then bound.
        let mut required_binds: Vec<proc_macro2::Ident> = Vec::new();
        let fields = self.param_fields(op);
        for (p, field_name) in &fields {
            // Parameters are bound to `p_<field>` locals: the generated body's
            // own locals never start with `p_`, so no spec name can shadow them.
            let f = &quote::format_ident!("p_{}", field_name);
            let field = format!("{}.{}", location_name(p.location), p.name);
            match p.location {
                ParameterLocation::Path => {
                    let Some((seg_name, literals, index)) = segments
                        .iter()
                        .find(|s| s.1 == p.name)
                        .map(|s| (s.0.clone(), s.2.clone(), s.3))
                    else {
                        continue;
                    };
                    let (parser, checks) = self.param_parser(p, &field);
                    let checks = checked(f, checks);
                    path_stmts.push(quote! {
                        let ::std::option::Option::Some(raw) = rt::path::value(&params, #seg_name, &[#(#literals),*], #index) else {
                            return rt::reply::not_found();
                        };
                        let #f = rt::parse::one(raw, #field, &mut violations, #parser);
                        #checks
                    });
                    required_binds.push(f.clone());
                    field_inits.push(quote! { #field_name: #f });
                }
                ParameterLocation::Query | ParameterLocation::Header => {
                    let name = &p.name;
                    let array = matches!(p.schema.ty, Ty::Array(_));
                    let values = match (p.location, array) {
                        (ParameterLocation::Query, false) => quote! { rt::query::values(&query, #name) },
                        (ParameterLocation::Query, true) => {
                            quote! { rt::query::values(&query, #name).collect::<::std::vec::Vec<_>>() }
                        }
                        (_, true) => quote! { rt::headers::items(&headers, #name, &mut violations) },
                        (_, false) => quote! { rt::headers::text(&headers, #name, &mut violations) },
                    };
                    let stmt = match &p.schema.ty {
                        Ty::Array(item) => {
                            let item_param = Parameter {
                                schema: (**item).clone(),
                                ..(*p).clone()
                            };
                            let item_field = format!("{field}[]");
                            let (parser, checks) = self.param_parser(&item_param, &item_field);
                            let parse =
                                quote! { rt::parse::one(raw, #item_field, &mut violations, #parser) };
                            let each = if checks.is_empty() {
                                quote! { |raw| { #parse } }
                            } else {
                                quote! { |raw| {
                                    let item = #parse?;
                                    { let value = &item; #checks }
                                    ::std::option::Option::Some(item)
                                } }
                            };
                            let c = &p.schema.constraints;
                            let (min, max, unique) = (
                                opt_usize(c.min_items),
                                opt_usize(c.max_items),
                                c.unique_items,
                            );
                            quote! {
                                let #f = {
                                    let raws = #values;
                                    let items: ::std::vec::Vec<_> = raws.iter().filter_map(#each).collect();
                                    rt::checks::items(&items, #field, #min, #max, #unique, &mut violations);
                                    (!raws.is_empty()).then_some(items)
                                };
                            }
                        }
                        _ => {
                            let (parser, checks) = self.param_parser(p, &field);
                            let checks = checked(f, checks);
                            quote! {
                                let #f = rt::parse::single(#values, #field, &mut violations, #parser);
                                #checks
                            }
                        }
                    };
                    path_stmts.push(stmt);
                    if p.required {
                        path_stmts.push(quote! { rt::parse::require(#f.is_some(), #field, &mut violations); });
                        required_binds.push(f.clone());
                    }
                    field_inits.push(quote! { #field_name: #f });
                }
                ParameterLocation::Cookie => {}
            }
        }

        // Body.
        let mut body_stmts = quote! {};
        if let Some(b) = &op.request_body {
            let kind = body_kind(&b.contents);
            let accepts_json = b.contents.iter().any(|c| is_json(&c.media_type));
            let accepts_form = b.contents.iter().any(|c| is_form(&c.media_type));
            let accepted: Vec<&str> = b.contents.iter().map(|c| c.media_type.as_str()).collect();
            let accepted = accepted.join(" or ");
            let validate = match kind {
                BodyKind::Json(Some(e)) | BodyKind::Form(e) => {
                    self.value_checks(e, "body", quote! { value })
                }
                _ => quote! {},
            };
            let required = b.required;
            if let (BodyKind::Json(_) | BodyKind::Form(_), Some(body_ty)) =
                (kind, self.r.body_type(&kind))
            {
                // The common case, JSON and/or form, is one call.
                let (nullable, shape) = match kind {
                    BodyKind::Json(Some(e)) => (
                        allows_null(self.api, e, &mut BTreeSet::new()),
                        self.shape_ref(e, &mut BTreeSet::new()),
                    ),
                    _ => (true, quote! { &rt::body::Shape::Any }),
                };
                let validate = (!validate.is_empty()).then(
                    || quote! { if let ::std::option::Option::Some(value) = &body { #validate } },
                );
                body_stmts = quote! {
                    let body: ::std::option::Option<#body_ty> = match rt::body::decode(&bytes, &headers, &rt::body::BodyRule {
                        json: #accepts_json,
                        form: #accepts_form,
                        accepted: #accepted,
                        required: #required,
                        nullable: #nullable,
                        shape: #shape,
                    }, &mut violations) {
                        ::std::result::Result::Ok(body) => body,
                        ::std::result::Result::Err(response) => return response,
                    };
                    #validate
                };
                if required {
                    required_binds.push(ident("body"));
                }
                field_inits.push(quote! { body });
            }
            let decode = match kind {
                BodyKind::Text => Some(quote! { rt::body::text }),
                BodyKind::Bytes(_) => Some(quote! { rt::body::raw }),
                _ => None,
            };
            if let Some(decode) = decode {
                let validate = (!validate.is_empty()).then(
                    || quote! { if let ::std::option::Option::Some(value) = &body { #validate } },
                );
                body_stmts = quote! {
                    let body = #decode(&bytes, &headers, #accepts_form, #required, &mut violations);
                    #validate
                };
                if required {
                    required_binds.push(ident("body"));
                }
                field_inits.push(quote! { body });
            }
        }

        // Credentials: the first alternative fully present.
        let alternatives: Vec<_> = op
            .security
            .iter()
            .filter(|a| !a.schemes.is_empty())
            .collect();
        let credentials = if alternatives.is_empty() {
            quote! { let credentials = Credentials::None; }
        } else {
            let tries = alternatives.iter().filter_map(|alt| {
                // Use the first scheme of an alternative as the presented credential.
                let (name, _) = alt.schemes.first()?;
                let s = self.schemes.iter().find(|s| &s.name == name)?;
                let v = self.scheme_variant(s);
                let extract = match &s.kind {
                    SecurityKind::Bearer { .. } => quote! { rt::credentials::bearer(&headers) },
                    SecurityKind::Basic => quote! { rt::credentials::basic(&headers) },
                    SecurityKind::ApiKeyHeader { header } => quote! { rt::credentials::api_key(&headers, #header) },
                    SecurityKind::ApiKeyQuery { parameter } => quote! { rt::credentials::api_key_in_query(&query, #parameter) },
                    SecurityKind::Other { .. } => return None,
                };
                Some(quote! { .or_else(|| #extract.map(Credentials::#v)) })
            });
            let names: Vec<String> = alternatives
                .iter()
                .flat_map(|a| a.schemes.iter().map(|(n, _)| n.clone()))
                .collect();
            let message = format!("this operation needs credentials ({})", names.join(" or "));
            quote! {
                let ::std::option::Option::Some(credentials) = ::std::option::Option::None #(#tries)* else {
                    return rt::reply::unauthorized(#message);
                };
            }
        };

        let needs_query = op
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Query)
            || op.security.iter().flat_map(|a| &a.schemes).any(|(n, _)| {
                self.schemes
                    .iter()
                    .any(|s| &s.name == n && matches!(s.kind, SecurityKind::ApiKeyQuery { .. }))
            });
        let query = needs_query.then(|| quote! { let query = rt::query::pairs(uri.query()); });
        let body_used = op
            .request_body
            .as_ref()
            .is_some_and(|b| !matches!(body_kind(&b.contents), BodyKind::None));
        let bytes_arg = if body_used {
            quote! { bytes }
        } else {
            quote! { _bytes }
        };
        let params_arg = if fields
            .iter()
            .any(|(p, _)| p.location == ParameterLocation::Path)
        {
            quote! { params }
        } else {
            quote! { _params }
        };
        // One (marker, field) pair per URL segment holding parameters, named by
        // its first parameter; a path without parameters cannot hold invalid UTF-8.
        let mut seen = BTreeSet::new();
        let first_per_segment: Vec<_> = segments.iter().filter(|s| seen.insert(&s.0)).collect();
        let markers = first_per_segment.iter().map(|(seg, ..)| format!("`{seg}`"));
        let segment_fields = first_per_segment
            .iter()
            .map(|(_, name, ..)| format!("path.{name}"));
        let uri_arg = if needs_query {
            quote! { uri }
        } else {
            quote! { _uri }
        };
        let required_names = required_binds.iter().map(|b| {
            let b = b.to_string();
            b.strip_prefix("p_").unwrap_or(&b).to_string()
        });
        quote! {
            #[allow(unused_mut, unused_variables, clippy::let_unit_value)]
            async fn #name<S: #bound>(
                ::codegen_runtime::axum::extract::State(service): ::codegen_runtime::axum::extract::State<::std::sync::Arc<S>>,
                params: rt::path::Params,
                request: ::codegen_runtime::axum::extract::Request,
            ) -> ::codegen_runtime::axum::response::Response {
                // Rejections of axum's own extractors become JSON problems too.
                let (#params_arg, #uri_arg, headers, #bytes_arg) = match rt::reply::extract(params, &[#((#markers, #segment_fields)),*], request, #body_used).await {
                    ::std::result::Result::Ok(extracted) => extracted,
                    ::std::result::Result::Err(response) => return response,
                };
                let mut violations: ::std::vec::Vec<Violation> = ::std::vec::Vec::new();
                #query
                #(#path_stmts)*
                #body_stmts
                #credentials
                if !violations.is_empty() {
                    return rt::reply::invalid(violations);
                }
                #(
                    let ::std::option::Option::Some(#required_binds) = #required_binds else {
                        return rt::reply::missing(#required_names);
                    };
                )*
                let input = #input { #(#field_inits,)* credentials };
                rt::reply::respond(<S as #trait_name>::#method(&service, input).await)
            }
        }
    }

    /// Checks of a decoded value bound to `value` (a reference) at `field`.
    fn value_checks(&mut self, e: &TypeExpr, field: &str, value: TokenStream) -> TokenStream {
        let inner = match &e.ty {
            Ty::Named(id) => {
                if !needs_validation(self.api, *id, &mut BTreeSet::new()) {
                    return quote! {};
                }
                self.validators.insert(*id);
                let f = self.validator_name(*id);
                quote! { #f(v, #field, &mut violations); }
            }
            Ty::String(_) | Ty::Integer(_) | Ty::Number(_) => {
                let checks = self.scalar_checks(
                    &TypeExpr {
                        nullable: false,
                        ..e.clone()
                    },
                    field,
                    quote! { v },
                );
                if checks.is_empty() {
                    return quote! {};
                }
                quote! { #checks }
            }
            Ty::Array(item) => {
                let c = &e.constraints;
                let (min, max, unique) = (
                    opt_usize(c.min_items),
                    opt_usize(c.max_items),
                    c.unique_items,
                );
                let item_field = format!("{field}[]");
                let item_checks = self.value_checks(item, &item_field, quote! { item });
                let each = (!item_checks.is_empty())
                    .then(|| quote! { for item in v.iter() { #item_checks } });
                quote! {
                    rt::checks::items(v, #field, #min, #max, #unique, &mut violations);
                    #each
                }
            }
            Ty::Map(item) => {
                let item_checks = self.value_checks(item, &format!("{field}.*"), quote! { item });
                if item_checks.is_empty() {
                    return quote! {};
                }
                quote! { for item in v.values() { #item_checks } }
            }
            _ => return quote! {},
        };
        let nullable = e.nullable && !matches!(e.ty, Ty::Any);
        if nullable {
            quote! { if let ::std::option::Option::Some(v) = (#value).as_ref() { #inner } }
        } else {
            quote! { { let v = &#value; #inner } }
        }
    }

    fn validator(&mut self, id: TypeId) -> TokenStream {
        let name = self.validator_name(id);
        let def = self.api.types.get(id);
        let ty = self.r.base_ty(&Ty::Named(id));
        let body = match &def.kind {
            TypeKind::Struct(s) => {
                let mut stmts = Vec::new();
                for f in &s.fields {
                    let fname = ident(&f.rust_name);
                    let spec = &f.spec_name;
                    let checks = self.value_checks_dyn(&f.schema, quote! { item });
                    if checks.is_empty() {
                        continue;
                    }
                    if f.required {
                        stmts.push(quote! { { let field = format!("{at}.{}", #spec); let item = &value.#fname; #checks } });
                    } else {
                        stmts.push(quote! {
                            if let ::std::option::Option::Some(item) = &value.#fname {
                                let field = format!("{at}.{}", #spec);
                                #checks
                            }
                        });
                    }
                }
                quote! { #(#stmts)* }
            }
            TypeKind::OneOf(o) => {
                let arms = o.variants.iter().map(|v| {
                    let vname = ident(&v.rust_name);
                    let checks = self.value_checks_dyn(&v.schema, quote! { item });
                    quote! { #ty::#vname(item) => { let field = at.to_string(); #checks } }
                });
                quote! {
                    #[allow(unreachable_patterns)]
                    match value { #(#arms)* }
                }
            }
            TypeKind::Alias(e) => {
                let checks = self.value_checks_dyn(e, quote! { item });
                quote! { let item = value; let field = at.to_string(); #checks }
            }
            TypeKind::Enum(_) => quote! {},
        };
        quote! {
            #[allow(unused_variables, clippy::needless_borrow, clippy::single_match)]
            fn #name(value: &#ty, at: &str, violations: &mut ::std::vec::Vec<Violation>) {
                #body
            }
        }
    }

    /// Like `value_checks`, but the field name is the runtime `field: String`.
    fn value_checks_dyn(&mut self, e: &TypeExpr, value: TokenStream) -> TokenStream {
        let c = &e.constraints;
        let inner = match &e.ty {
            Ty::Named(id) => {
                if !needs_validation(self.api, *id, &mut BTreeSet::new()) {
                    return quote! {};
                }
                self.validators.insert(*id);
                let f = self.validator_name(*id);
                quote! { #f(v, &field, violations); }
            }
            Ty::String(_) => {
                let length = (c.min_length.is_some() || c.max_length.is_some()).then(|| {
                    let (min, max) = (opt_usize(c.min_length), opt_usize(c.max_length));
                    quote! { rt::checks::length(v, &field, #min, #max, violations); }
                });
                let pattern = c.pattern.as_ref().map(|pat| {
                    let stat = self.pattern_static(pat);
                    quote! { rt::checks::pattern(v, &field, &#stat, violations); }
                });
                if length.is_none() && pattern.is_none() {
                    return quote! {};
                }
                quote! { #length #pattern }
            }
            Ty::Integer(_) | Ty::Number(_) => {
                if c.minimum.is_none() && c.maximum.is_none() {
                    return quote! {};
                }
                let check = range_check_dyn(c);
                quote! { #check }
            }
            Ty::Array(item) => {
                let (min, max, unique) = (
                    opt_usize(c.min_items),
                    opt_usize(c.max_items),
                    c.unique_items,
                );
                let item_checks = self.value_checks_dyn(item, quote! { element });
                let has_limits = c.min_items.is_some() || c.max_items.is_some() || unique;
                if item_checks.is_empty() && !has_limits {
                    return quote! {};
                }
                let each = (!item_checks.is_empty()).then(|| {
                    quote! {
                        for (i, element) in v.iter().enumerate() {
                            let field = format!("{field}[{i}]");
                            #item_checks
                        }
                    }
                });
                quote! {
                    rt::checks::items(v, &field, #min, #max, #unique, violations);
                    #each
                }
            }
            Ty::Map(item) => {
                let item_checks = self.value_checks_dyn(item, quote! { element });
                if item_checks.is_empty() {
                    return quote! {};
                }
                quote! {
                    for (key, element) in v.iter() {
                        let field = format!("{field}.{key}");
                        #item_checks
                    }
                }
            }
            _ => return quote! {},
        };
        if e.nullable && !matches!(e.ty, Ty::Any) {
            quote! { if let ::std::option::Option::Some(v) = (#value).as_ref() { #inner } }
        } else {
            quote! { { let v = #value; #inner } }
        }
    }

    /// `nullable, &shape` for a JSON value of this type.
    fn slot(&mut self, e: &TypeExpr) -> TokenStream {
        let nullable = allows_null(self.api, e, &mut BTreeSet::new());
        let shape = self.shape_ref(e, &mut BTreeSet::new());
        quote! { #nullable, #shape }
    }

    /// A `&'static Shape` expression for a JSON value of this type.
    fn shape_ref(&mut self, e: &TypeExpr, aliases: &mut BTreeSet<TypeId>) -> TokenStream {
        match &e.ty {
            Ty::Named(id) => match &self.api.types.get(*id).kind {
                TypeKind::Struct(_) => {
                    self.shapes.insert(*id);
                    let name = self.shape_name(*id);
                    quote! { &#name }
                }
                TypeKind::Alias(inner) if aliases.insert(*id) => self.shape_ref(inner, aliases),
                _ => quote! { &rt::body::Shape::Any },
            },
            Ty::Array(item) => {
                let slot = self.slot(item);
                quote! { &rt::body::Shape::Array(#slot) }
            }
            Ty::Map(item) => {
                let slot = self.slot(item);
                quote! { &rt::body::Shape::Map(#slot) }
            }
            _ => quote! { &rt::body::Shape::Any },
        }
    }

    fn shape_static(&mut self, id: TypeId) -> TokenStream {
        let name = self.shape_name(id);
        let properties: Vec<TokenStream> = match &self.api.types.get(id).kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| {
                    let spec = &f.spec_name;
                    let slot = self.slot(&f.schema);
                    quote! { (#spec, #slot) }
                })
                .collect(),
            _ => Vec::new(),
        };
        quote! {
            static #name: rt::body::Shape = rt::body::Shape::Object(&[#(#properties),*]);
        }
    }

    fn response_impl(&self, op: &Operation) -> TokenStream {
        let name = ident(&op.response_type);
        let arms = variants(op).into_iter().map(|v| {
            let vname = ident(&v.name);
            let payload = match v.body {
                BodyKind::None => quote! { () },
                BodyKind::Json(_) | BodyKind::Form(_) => quote! { ::codegen_runtime::axum::Json(body) },
                BodyKind::Text => quote! {
                    ([(::codegen_runtime::axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
                },
                BodyKind::Bytes(media) => quote! {
                    ([(::codegen_runtime::axum::http::header::CONTENT_TYPE, #media)], body)
                },
            };
            let body = match v.response.status {
                StatusCode::Code(401) => quote! { rt::reply::reply(401, #payload) },
                StatusCode::Code(c) => quote! { rt::reply::reply(#c, #payload) },
                _ => quote! { rt::reply::reply(status, #payload) },
            };
            if v.response.headers_type.is_some() {
                let sets = v.response.headers.iter().map(|h| {
                    let f = ident(&h.rust_name);
                    let name = &h.name;
                    let text = match header_repr(self.api, h) {
                        HeaderRepr::Text => quote! { value.clone() },
                        HeaderRepr::Parsed => quote! { value.to_string() },
                        HeaderRepr::DateTime => quote! { value.to_rfc3339() },
                    };
                    quote! {
                        if let ::std::option::Option::Some(value) = &headers.#f {
                            rt::reply::set_header(&mut response, #name, #text);
                        }
                    }
                });
                let status = carries_status(v.response.status).then(|| quote! { status, });
                let body_field = (!matches!(v.body, BodyKind::None)).then(|| quote! { body, });
                return quote! {
                    Self::#vname { #status #body_field headers } => {
                        let mut response = #body;
                        #(#sets)*
                        response
                    }
                };
            }
            match (
                carries_status(v.response.status),
                matches!(v.body, BodyKind::None),
            ) {
                (false, true) => quote! { Self::#vname => #body },
                (false, false) => quote! { Self::#vname(body) => #body },
                (true, true) => quote! { Self::#vname { status } => #body },
                (true, false) => quote! { Self::#vname { status, body } => #body },
            }
        });
        let empty = variants(op).is_empty();
        let matcher = if empty {
            quote! { match self {} }
        } else {
            quote! { match self { #(#arms,)* } }
        };
        quote! {
            impl ::codegen_runtime::axum::response::IntoResponse for super::types::#name {
                fn into_response(self) -> ::codegen_runtime::axum::response::Response {
                    #matcher
                }
            }
        }
    }
}

/// Checks of an optional parsed value, bound as `value` when present.
fn checked(f: &proc_macro2::Ident, checks: TokenStream) -> TokenStream {
    if checks.is_empty() {
        return checks;
    }
    quote! { if let ::std::option::Option::Some(value) = &#f { #checks } }
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

fn opt_usize(v: Option<usize>) -> TokenStream {
    match v {
        Some(n) => quote! { ::std::option::Option::Some(#n) },
        None => quote! { ::std::option::Option::None },
    }
}

fn bound(v: Option<f64>, exclusive: bool) -> TokenStream {
    match v {
        Some(n) => quote! { ::std::option::Option::Some((#n, #exclusive)) },
        None => quote! { ::std::option::Option::None },
    }
}

fn range_check(c: &Constraints, field: &str, value: TokenStream, out: TokenStream) -> TokenStream {
    if c.minimum.is_none() && c.maximum.is_none() {
        return quote! {};
    }
    let (min, max) = (
        bound(c.minimum, c.exclusive_minimum),
        bound(c.maximum, c.exclusive_maximum),
    );
    quote! { rt::checks::range(#value, #field, #min, #max, #out); }
}

fn range_check_dyn(c: &Constraints) -> TokenStream {
    let (min, max) = (
        bound(c.minimum, c.exclusive_minimum),
        bound(c.maximum, c.exclusive_maximum),
    );
    quote! { rt::checks::range(*v as f64, &field, #min, #max, violations); }
}

/// Whether a named type (or anything it holds) carries a constraint the
/// server must check beyond what serde enforces.
fn needs_validation(api: &Api, id: TypeId, seen: &mut BTreeSet<TypeId>) -> bool {
    if !seen.insert(id) {
        return false;
    }
    let expr_needs =
        |e: &TypeExpr, seen: &mut BTreeSet<TypeId>| -> bool { expr_needs_validation(api, e, seen) };
    match &api.types.get(id).kind {
        TypeKind::Struct(s) => {
            s.fields.iter().any(|f| expr_needs(&f.schema, seen))
                || s.additional.as_ref().is_some_and(|a| expr_needs(a, seen))
        }
        TypeKind::OneOf(o) => o.variants.iter().any(|v| expr_needs(&v.schema, seen)),
        TypeKind::Alias(e) => expr_needs(e, seen),
        TypeKind::Enum(_) => false,
    }
}

fn expr_needs_validation(api: &Api, e: &TypeExpr, seen: &mut BTreeSet<TypeId>) -> bool {
    let c = &e.constraints;
    let own = c.pattern.is_some()
        || c.min_length.is_some()
        || c.max_length.is_some()
        || c.minimum.is_some()
        || c.maximum.is_some()
        || c.min_items.is_some()
        || c.max_items.is_some()
        || c.unique_items;
    own || match &e.ty {
        Ty::Named(id) => needs_validation(api, *id, seen),
        Ty::Array(i) | Ty::Map(i) => expr_needs_validation(api, i, seen),
        _ => false,
    }
}

fn location_name(l: ParameterLocation) -> &'static str {
    match l {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

/// For each path parameter: (axum name `sN` of its URL segment, parameter,
/// the segment's literals around its parameters, the parameter's index
/// among them). `v{version}` is `["v", ""]`, `{base}...{head}` is
/// `["", "...", ""]`.
fn url_segments(path: &str) -> Vec<(String, String, Vec<String>, usize)> {
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

/// The axum route for a spec path: parameter segments become `{sN}`.
fn route_path(path: &str) -> String {
    path.split('/')
        .enumerate()
        .map(|(i, seg)| {
            if seg.contains('{') {
                format!("{{s{i}}}")
            } else {
                seg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `raw: &str` -> `Result<T, String>` for a parameter's type.
fn parse_scalar(api: &Api, ty: &Ty, r: &TypeRenderer<'_>) -> TokenStream {
    // A function from `&str` to `Result<T, String>`: a support parser, or a
    // closure. Closures get a block body: prettyplease adds one when it breaks
    // the line, and the macro's expansion must format as the CLI's file does.
    match ty {
        Ty::String(StringFormat::DateTime) => quote! { rt::parse::date_time },
        Ty::String(StringFormat::Date) => quote! { rt::parse::date },
        Ty::String(_) => quote! { rt::parse::text },
        Ty::Integer(f) => {
            let t = r.base_ty(&Ty::Integer(*f));
            quote! { rt::parse::integer::<#t> }
        }
        Ty::Number(f) => {
            let t = r.base_ty(&Ty::Number(*f));
            quote! { rt::parse::number::<#t> }
        }
        Ty::Boolean => quote! { rt::parse::boolean },
        Ty::Named(id) => {
            let t = r.base_ty(ty);
            match &api.types.get(*id).kind {
                TypeKind::Enum(e) => {
                    let values: Vec<String> = e.variants.iter().map(|v| v.value.clone()).collect();
                    let message = format!("must be one of: {}", values.join(", "));
                    quote! { |raw: &str| { rt::parse::enumerated::<#t>(raw, #message) } }
                }
                _ => quote! { rt::parse::from_string::<#t> },
            }
        }
        _ => {
            let t = r.base_ty(ty);
            quote! { rt::parse::json::<#t> }
        }
    }
}
