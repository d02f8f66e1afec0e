//! One handler per operation: a list of runtime calls that extract,
//! parse and check every input, then call the trait.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;
use crate::emit::form::FormKind;
use crate::ir::{ParamShape, ParamStyle};

impl Ctx<'_> {
    /// A parameter's parser and the checks of its parsed value (bound to
    /// `value`, a reference).
    pub(super) fn param_parser(
        &mut self,
        p: &Parameter,
        field: &str,
    ) -> (TokenStream, TokenStream) {
        let parser = parse_scalar(self.api, &p.schema.ty, &self.r);
        let checks = self.checks(
            &p.schema,
            quote! { value },
            &quote! { #field },
            &quote! { &mut inp.violations },
        );
        (parser, checks)
    }

    pub(super) fn handler(&mut self, resource: usize, op: &Operation) -> TokenStream {
        let name = self.handler_name(op);
        let input = self.input_type(op);
        let method = ident(&self.plan.operation(op).method);
        let trait_name = ident(self.plan.trait_name(resource));
        let segments = url_segments(&op.path.raw);

        // Path parameters.
        let mut path_stmts = Vec::new();
        let mut field_inits = Vec::new();
        let fields = self.param_fields(op);
        for (p, field_name) in &fields {
            // Parameters are bound to `p_<field>` locals: the generated body's
            // own locals never start with `p_`, so no spec name can shadow them.
            let f = &quote::format_ident!("p_{}", field_name);
            let field = format!("{}.{}", location_name(p.location), p.name);
            match p.location {
                ParameterLocation::Path
                | ParameterLocation::Query
                | ParameterLocation::Header
                | ParameterLocation::Cookie => {
                    let name = &p.name;
                    let explode = p.explode;
                    let style = crate::emit::style_tokens(p.style);
                    // Where the parameter is, for the runtime's style readers.
                    let mut at_path = None;
                    let param = match p.location {
                        ParameterLocation::Path => {
                            let Some((seg_name, literals, index)) = segments
                                .iter()
                                .find(|s| s.1 == p.name)
                                .map(|s| (s.0.clone(), s.2.clone(), s.3))
                            else {
                                continue;
                            };
                            let index = proc_macro2::Literal::usize_unsuffixed(index);
                            let param = quote! { rt::style::Param::path(#name, #seg_name, &[#(#literals),*], #index, #style, #explode) };
                            at_path = Some(quote! { #seg_name, &[#(#literals),*], #index });
                            param
                        }
                        ParameterLocation::Query => {
                            quote! { rt::style::Param::query(#name, #style, #explode) }
                        }
                        ParameterLocation::Header => {
                            quote! { rt::style::Param::header(#name, #explode) }
                        }
                        _ => quote! { rt::style::Param::cookie(#name, #style, #explode) },
                    };
                    let stmt = match &p.shape {
                        ParamShape::List => {
                            let Ty::Array(item) = &p.schema.ty else {
                                continue;
                            };
                            let item_param = Parameter {
                                schema: (**item).clone(),
                                ..(*p).clone()
                            };
                            let item_field = format!("{field}[]");
                            let (parser, checks) = self.param_parser(&item_param, &item_field);
                            let parse = quote! { rt::parse::one(raw, #item_field, &mut inp.violations, #parser) };
                            let each = if checks.is_empty() {
                                quote! { |raw| { #parse } }
                            } else {
                                quote! { |raw| {
                                    let item = #parse?;
                                    { let value = &item; #checks }
                                    Some(item)
                                } }
                            };
                            let c = &p.schema.constraints;
                            let (min, max, unique) = (
                                opt_usize(c.min_items),
                                opt_usize(c.max_items),
                                c.unique_items,
                            );
                            quote! {
                                let #f = match inp.items(#param)? {
                                    Some(raws) => {
                                        let items: Vec<_> = raws.iter().filter_map(#each).collect();
                                        rt::checks::items(&items, #field, #min, #max, #unique, &mut inp.violations);
                                        Some(items)
                                    }
                                    None => None,
                                };
                            }
                        }
                        ParamShape::Object { keys } => {
                            let t = self.r.ty(&p.schema);
                            let keys = match keys {
                                Some(keys) => quote! { rt::style::Keys::Only(&[#(#keys),*]) },
                                None => {
                                    let others = fields
                                        .iter()
                                        .filter(|(o, _)| {
                                            o.location == p.location && o.name != p.name
                                        })
                                        .map(|(o, _)| o.name.as_str());
                                    quote! { rt::style::Keys::Except(&[#(#others),*]) }
                                }
                            };
                            let checks = self.checks(
                                &p.schema,
                                quote! { value },
                                &quote! { #field },
                                &quote! { &mut inp.violations },
                            );
                            let checks = checked(f, checks);
                            quote! {
                                let #f: Option<#t> = inp.object(#param, #keys)?;
                                #checks
                            }
                        }
                        ParamShape::Scalar | ParamShape::Json => {
                            let (parser, checks) = self.param_parser(p, &field);
                            let parser = if p.shape == ParamShape::Json {
                                let t = self.r.ty(&p.schema);
                                quote! { rt::parse::json::<#t> }
                            } else {
                                parser
                            };
                            let checks = checked(f, checks);
                            // A scalar reads the same in every query style and
                            // in `simple` paths: the short calls.
                            let call = match (p.location, &at_path) {
                                (ParameterLocation::Path, Some(at))
                                    if p.style == ParamStyle::Simple =>
                                {
                                    quote! { inp.path(#at, #name, #parser)? }
                                }
                                (ParameterLocation::Query, _) => {
                                    quote! { inp.query(#name, #parser) }
                                }
                                (ParameterLocation::Header, _) => {
                                    quote! { inp.header(#name, #parser) }
                                }
                                _ => quote! { inp.value(#param, #parser)? },
                            };
                            quote! {
                                let #f = #call;
                                #checks
                            }
                        }
                    };
                    path_stmts.push(stmt);
                    if p.location == ParameterLocation::Path {
                        let required = p.name.clone();
                        field_inits.push(quote! { #field_name: rt::required(#f, #required)? });
                    } else if p.required {
                        path_stmts.push(quote! { inp.require(#f.is_some(), #field); });
                        let required = p.name.clone();
                        field_inits.push(quote! { #field_name: rt::required(#f, #required)? });
                    } else {
                        field_inits.push(quote! { #field_name: #f });
                    }
                }
                ParameterLocation::QueryString => {
                    let t = self.r.ty(&p.schema);
                    let checks = self.checks(
                        &p.schema,
                        quote! { value },
                        &quote! { "query" },
                        &quote! { &mut inp.violations },
                    );
                    let checks = checked(f, checks);
                    let required = p.required;
                    path_stmts.push(quote! {
                        let #f: Option<#t> = rt::query::form(uri.query(), #required, &mut inp.violations);
                        #checks
                    });
                    if p.required {
                        let required = p.name.clone();
                        field_inits.push(quote! { #field_name: rt::required(#f, #required)? });
                    } else {
                        field_inits.push(quote! { #field_name: #f });
                    }
                }
            }
        }

        // Body.
        let mut body_stmts = quote! {};
        if let Some(b) = &op.request_body {
            let kind = crate::emit::form::request_kind(self.api, b);
            let accepts_json = b.contents.iter().any(|c| is_json(&c.media_type));
            let accepts_form = b.contents.iter().any(|c| is_form(&c.media_type));
            let accepted: Vec<&str> = b.contents.iter().map(|c| c.media_type.as_str()).collect();
            let accepted = accepted.join(" or ");
            let validate = match kind {
                BodyKind::Json(Some(e)) | BodyKind::Form(e) => self.checks(
                    e,
                    quote! { value },
                    &quote! { "body" },
                    &quote! { &mut inp.violations },
                ),
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
                        self.shape_in_fn(e),
                    ),
                    _ => (true, quote! { &rt::body::Shape::Any }),
                };
                let validate = (!validate.is_empty())
                    .then(|| quote! { if let Some(value) = &body { #validate } });
                body_stmts = quote! {
                    let body: Option<#body_ty> = rt::body::decode(&bytes, &headers, &rt::body::BodyRule {
                        json: #accepts_json,
                        form: #accepts_form,
                        accepted: #accepted,
                        required: #required,
                        nullable: #nullable,
                        shape: #shape,
                    }, &mut inp.violations)?;
                    #validate
                };
                field_inits.push(if required {
                    quote! { body: rt::required(body, "body")? }
                } else {
                    quote! { body }
                });
            }
            if let BodyKind::Parts(form_type) = kind {
                // Parts are read here (files spooled), and checked like
                // parameters: each a `b_` local, the struct built after
                // `finish`.
                let fields = crate::emit::form::form_fields(self.api, b).unwrap_or_default();
                let files = fields
                    .iter()
                    .filter(|f| matches!(f.kind, FormKind::File | FormKind::Files))
                    .map(|f| f.wire);
                let locals: Vec<_> = fields
                    .iter()
                    .map(|f| quote::format_ident!("b_{}", f.rust.trim_start_matches("r#")))
                    .collect();
                let reads = fields.iter().zip(&locals).map(|(f, local)| {
                    let wire = f.wire;
                    let required = if f.required { quote! { present } } else { quote! { false } };
                    let read = match f.kind {
                        FormKind::File => quote! { form.file(#wire, #required, &mut inp.violations) },
                        FormKind::Files => quote! { form.files(#wire) },
                        FormKind::Value(e, as_text) => {
                            let t = self.r.ty(e);
                            quote! { form.value::<#t>(#wire, #as_text, #required, &mut inp.violations) }
                        }
                        FormKind::Values(e, as_text) => {
                            let t = self.r.ty(e);
                            quote! { form.values::<#t>(#wire, #as_text, &mut inp.violations) }
                        }
                    };
                    quote! { let #local = #read; }
                });
                let inits = fields.iter().zip(&locals).map(|(f, local)| {
                    let rust = ident(f.rust);
                    let wire = f.wire;
                    match f.kind {
                        FormKind::File | FormKind::Value(..) if f.required => {
                            quote! { #rust: rt::required(#local, #wire)? }
                        }
                        _ => quote! { #rust: #local },
                    }
                });
                let form_type = ident(form_type);
                let needs_present = !required
                    || fields.iter().any(|f| {
                        f.required && matches!(f.kind, FormKind::File | FormKind::Value(..))
                    });
                let present = needs_present.then(|| quote! { let present = form.is_some(); });
                // Files are taken out of the form; values only read.
                let takes = fields
                    .iter()
                    .any(|f| matches!(f.kind, FormKind::File | FormKind::Files));
                let binding = if takes {
                    quote! { mut form }
                } else {
                    quote! { form }
                };
                body_stmts = quote! {
                    let form = rt::multipart::read(bytes, &headers, &[#(#files),*], #required, &mut inp.violations).await?;
                    #present
                    let #binding = form.unwrap_or_default();
                    #(#reads)*
                };
                let value = quote! { types::#form_type { #(#inits,)* } };
                field_inits.push(if required {
                    quote! { body: #value }
                } else {
                    quote! { body: if present { Some(#value) } else { None } }
                });
            } else if kind.streams() {
                // Read as it arrives, by the implementation.
                let value = kind.decode_stream(quote! { body });
                let map =
                    (!matches!(kind, BodyKind::Binary(_))).then(|| quote! { .map(|body| #value) });
                body_stmts = quote! {
                    let body = rt::body::stream(bytes, &headers, #required, &mut inp.violations)#map;
                };
                field_inits.push(if required {
                    quote! { body: rt::required(body, "body")? }
                } else {
                    quote! { body }
                });
            }
            let decode = match kind {
                BodyKind::Text => Some(quote! { rt::body::text }),
                BodyKind::Multipart(_) => Some(quote! { rt::body::raw }),
                _ => None,
            };
            if let Some(decode) = decode {
                let validate = (!validate.is_empty())
                    .then(|| quote! { if let Some(value) = &body { #validate } });
                body_stmts = quote! {
                    let body = #decode(&bytes, &headers, #accepts_form, #required, &mut inp.violations);
                    #validate
                };
                field_inits.push(if required {
                    quote! { body: rt::required(body, "body")? }
                } else {
                    quote! { body }
                });
            }
        }

        // Negotiation: nothing documented is acceptable is a `406`.
        let accept = crate::emit::responses::offered(op).map(|all| {
            field_inits.push(quote! { accept });
            quote! { let accept = rt::headers::accept(&headers, &[#(#all),*])?; }
        });

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
                    SecurityKind::ApiKeyHeader { header } => {
                        quote! { rt::credentials::api_key(&headers, #header) }
                    }
                    SecurityKind::ApiKeyQuery { parameter } => {
                        quote! { rt::credentials::api_key_in_query(&query, #parameter) }
                    }
                    SecurityKind::ApiKeyCookie { cookie } => {
                        quote! { rt::credentials::api_key_in_cookie(&headers, #cookie) }
                    }
                    SecurityKind::Other { .. } => return None,
                };
                Some(quote! { .or_else(|| #extract.map(Credentials::#v)) })
            });
            let names: Vec<String> = alternatives
                .iter()
                .flat_map(|a| a.schemes.iter().map(|(n, _)| n.clone()))
                .collect();
            let message = format!("this operation needs credentials ({})", names.join(" or "));
            if op.security.iter().any(|a| a.schemes.is_empty()) {
                // `{}` among the alternatives: credentials are optional.
                quote! {
                    let credentials = None #(#tries)*.unwrap_or(Credentials::None);
                }
            } else {
                quote! {
                    let credentials = None #(#tries)*.ok_or_else(|| rt::reply::unauthorized(#message))?;
                }
            }
        };

        let needs_query = op.parameters.iter().any(|p| {
            matches!(
                p.location,
                ParameterLocation::Query | ParameterLocation::QueryString
            )
        }) || op.security.iter().flat_map(|a| &a.schemes).any(|(n, _)| {
            self.schemes
                .iter()
                .any(|s| &s.name == n && matches!(s.kind, SecurityKind::ApiKeyQuery { .. }))
        });
        let (query, query_arg) = if needs_query {
            (
                quote! { let query = rt::query::pairs(uri.query()); },
                quote! { &query },
            )
        } else {
            (quote! {}, quote! { &[] })
        };
        let body_used = op.request_body.as_ref().is_some_and(|b| {
            !matches!(crate::emit::form::request_kind(self.api, b), BodyKind::None)
        });
        let bytes_arg = if body_used {
            quote! { bytes }
        } else {
            quote! { _bytes }
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
        let service = ident(&self.plan.service);
        let streams = op
            .request_body
            .as_ref()
            .is_some_and(|b| crate::emit::form::request_kind(self.api, b).streams());
        let read = if streams {
            quote! { let (params, #uri_arg, headers, #bytes_arg) = raw.open(&[#((#markers, #segment_fields)),*])?; }
        } else {
            quote! { let (params, #uri_arg, headers, #bytes_arg) = raw.read(&[#((#markers, #segment_fields)),*], #body_used).await?; }
        };
        // Not routed: the earlier operation with its method and route gets
        // its requests (E0050). Kept rather than dropped, so the validators
        // only it uses are not dead code either.
        let unrouted = self
            .shadowed
            .contains_key(&op.type_name)
            .then(|| quote! { #[allow(dead_code)] });
        quote! {
            #unrouted
            async fn #name<S: #service>(State(service): State<Arc<S>>, raw: rt::Raw) -> rt::Answer {
                // Rejections of axum's own extractors become JSON problems too.
                #read
                #query
                let mut inp = rt::Inputs::new(&params, #query_arg, &headers);
                #(#path_stmts)*
                #body_stmts
                #accept
                #credentials
                inp.finish()?;
                let input = #input { #(#field_inits,)* credentials };
                let outcome = <S as #trait_name>::#method(&service, input).await;
                rt::reply::answer(outcome)
            }
        }
    }
}

/// Checks of an optional parsed value, bound as `value` when present.
pub(super) fn checked(f: &proc_macro2::Ident, checks: TokenStream) -> TokenStream {
    if checks.is_empty() {
        return checks;
    }
    quote! { if let Some(value) = &#f { #checks } }
}

/// `raw: &str` -> `Result<T, String>` for a parameter's type.
pub(super) fn parse_scalar(api: &Api, ty: &Ty, r: &TypeRenderer<'_>) -> TokenStream {
    // A function from `&str` to `Result<T, String>`: a support parser, or a
    // closure. Closures get a block body: prettyplease adds one when it breaks
    // the line, and the macro's expansion must format as the CLI's file does.
    match ty {
        Ty::String(StringFormat::DateTime) => quote! { rt::parse::date_time },
        Ty::String(StringFormat::Date) => quote! { rt::parse::date },
        // A mapped type reads its own JSON string form.
        Ty::String(StringFormat::Mapped(_)) => {
            let t = r.base_ty(ty);
            quote! { rt::parse::from_string::<#t> }
        }
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
                    quote! { rt::parse::enumerated::<#t>(#message) }
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

pub(super) fn location_name(l: ParameterLocation) -> &'static str {
    match l {
        ParameterLocation::Path => "path",
        ParameterLocation::Query | ParameterLocation::QueryString => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}
