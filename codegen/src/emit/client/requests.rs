//! One request builder per operation: optional inputs as setters, and
//! `send()`, which encodes the request and decodes every documented answer.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::resources::arg_type;
use crate::emit::form::{request_kind, FormKind};
use crate::emit::responses::{carries_status, header_repr, offered, variants, HeaderRepr};
use crate::emit::{docs, is_form, is_json, BodyKind, TypeRenderer};
use crate::ir::{
    Operation, ParamShape, ParamStyle, Parameter, ParameterLocation, SecurityKind, Segment,
};
use crate::naming::ident;
use crate::plan::Plan;

/// Fields of a request builder: reserved names first, then parameters.
pub(super) struct ParamSlot<'a> {
    pub(super) param: &'a Parameter,
    pub(super) field: proc_macro2::Ident,
}

pub(super) fn request_type(plan: &Plan, op: &Operation) -> proc_macro2::Ident {
    ident(&plan.operation(op).request)
}

pub(super) fn slots<'o>(plan: &Plan, op: &'o Operation) -> Vec<ParamSlot<'o>> {
    op.parameters
        .iter()
        .zip(&plan.operation(op).request_fields)
        .map(|(p, f)| ParamSlot {
            param: p,
            field: ident(f),
        })
        .collect()
}

pub(super) fn has_encoding_choice(op: &Operation) -> bool {
    op.request_body.as_ref().is_some_and(|b| {
        b.contents.iter().any(|c| is_json(&c.media_type))
            && b.contents.iter().any(|c| is_form(&c.media_type))
    })
}

pub(super) fn request_builder(
    plan: &Plan,
    op: &Operation,
    r: &TypeRenderer<'_>,
    schemes: &[&crate::ir::SecurityScheme],
    scheme_methods: &[String],
) -> TokenStream {
    let req = request_type(plan, op);
    let slots = slots(plan, op);
    let doc = docs::attrs([format!(
        "A pending `{}` call: set optional inputs, then `.send().await`.",
        op.id
    )
    .as_str()]);

    let fields = slots.iter().map(|s| {
        let f = &s.field;
        let (t, into) = arg_type(s.param, r);
        let t = if into {
            quote! { String }
        } else {
            t
        };
        if s.param.required {
            quote! { #f: #t }
        } else {
            quote! { #f: Option<#t> }
        }
    });
    let body = op
        .request_body
        .as_ref()
        .map(|b| (b, request_kind(r.api(), b)));
    let body_field = body.as_ref().and_then(|(b, k)| {
        let t = r.body_type(k)?;
        // A stream is taken out when sent: held as an `Option` even when required.
        Some(if b.required && !k.streams() {
            quote! { body: #t, }
        } else {
            quote! { body: Option<#t>, }
        })
    });
    let encoding_field = has_encoding_choice(op).then(|| quote! { encoding: RequestEncoding, });
    let content_type_field = multipart_media(r.api(), op)
        .is_some()
        .then(|| quote! { content_type: Option<String>, });
    let content_type_setter = multipart_media(r.api(), op).map(|media| {
        let doc = format!(
            " The body's `Content-Type`, with its boundary: `{media}; boundary=...`. \
             The body must be encoded with that boundary; without this, `{media}` is sent bare."
        );
        quote! {
            #[doc = #doc]
            pub fn content_type(mut self, value: impl Into<String>) -> Self {
                self.content_type = Some(value.into());
                self
            }
        }
    });

    let setters = slots.iter().filter(|s| !s.param.required).map(|s| {
        let f = &s.field;
        let (t, into) = arg_type(s.param, r);
        let mut paragraphs: Vec<String> = Vec::new();
        paragraphs.push(
            s.param
                .description
                .clone()
                .unwrap_or_else(|| format!("The `{}` parameter.", s.param.name)),
        );
        if let Some(d) = &s.param.default {
            paragraphs.push(format!(
                "The spec's default is `{d}`; it is not sent unless set here."
            ));
        }
        let doc = docs::attrs(paragraphs.iter().map(String::as_str));
        let value = if into {
            quote! { value.into() }
        } else {
            quote! { value }
        };
        quote! {
            #doc
            pub fn #f(mut self, value: #t) -> Self {
                self.#f = Some(#value);
                self
            }
        }
    });
    let body_setter = body.as_ref().and_then(|(b, k)| {
        if b.required {
            return None;
        }
        let t = r.body_type(k)?;
        Some(quote! {
            /// The request body.
            pub fn body(mut self, body: #t) -> Self {
                self.body = Some(body);
                self
            }
        })
    });
    let accept = accepted(op);
    let accept_field = accept
        .as_ref()
        .map(|_| quote! { accept: Option<&'static str>, });
    let accept_setter = accept.as_ref().map(|all| {
        let doc = format!(
            " Asks for this representation of the answer (`Accept`); by default every documented one: `{all}`."
        );
        quote! {
            #[doc = #doc]
            pub fn accept(mut self, media_type: &'static str) -> Self {
                self.accept = Some(media_type);
                self
            }
        }
    });
    let accept_header = accept.as_ref().map(|all| {
        quote! {
            request = request.header(::codegen_runtime::reqwest::header::ACCEPT, self.accept.unwrap_or(#all));
        }
    });
    let encoding_setter = has_encoding_choice(op).then(|| {
        quote! {
            /// Send the body as JSON (default) or as a form.
            pub fn encoding(mut self, encoding: RequestEncoding) -> Self {
                self.encoding = encoding;
                self
            }
        }
    });

    // Path: the literal pieces and the percent-encoded parameters, joined.
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut literal = String::new();
    for seg in &op.path.segments {
        match seg {
            Segment::Literal(l) => literal.push_str(l),
            Segment::Parameter(name) => {
                if let Some(s) = slots
                    .iter()
                    .find(|s| s.param.location == ParameterLocation::Path && &s.param.name == name)
                {
                    if !literal.is_empty() {
                        pieces.push(quote! { #literal });
                        literal.clear();
                    }
                    let value = param_value(s);
                    let style = crate::emit::style_tokens(s.param.style);
                    let (name, explode) = (&s.param.name, s.param.explode);
                    pieces.push(if s.param.style == ParamStyle::Simple && !explode {
                        quote! { &rt::encode::segment(#value) }
                    } else {
                        quote! { &rt::encode::path_param(#style, #explode, #name, #value) }
                    });
                }
            }
        }
    }
    let (path_decl, path_arg) = if pieces.is_empty() {
        (quote! { let path = #literal; }, quote! { path })
    } else {
        if !literal.is_empty() {
            pieces.push(quote! { #literal });
        }
        (
            quote! { let path = [#(#pieces),*].concat(); },
            quote! { &path },
        )
    };

    let query_pushes = slots
        .iter()
        .filter(|s| s.param.location == ParameterLocation::Query)
        .map(|s| {
            let value = param_value(s);
            let style = crate::emit::style_tokens(s.param.style);
            let (name, explode, reserved) =
                (&s.param.name, s.param.explode, s.param.allow_reserved);
            quote! { query.param(#name, #style, #explode, #reserved, #value); }
        });

    let header_pushes = slots
        .iter()
        .filter(|s| s.param.location == ParameterLocation::Header)
        .map(|s| {
            let value = param_value(s);
            let (name, explode) = (&s.param.name, s.param.explode);
            quote! {
                if let Some(value) = rt::encode::header_param(#name, #explode, #value)? {
                    request = request.header(#name, value);
                }
            }
        });

    let cookie_pushes: Vec<TokenStream> = slots
        .iter()
        .filter(|s| s.param.location == ParameterLocation::Cookie)
        .map(|s| {
            let value = param_value(s);
            let (name, explode) = (&s.param.name, s.param.explode);
            let style = crate::emit::style_tokens(s.param.style);
            quote! { cookies.param(#name, #style, #explode, #value); }
        })
        .collect();
    let cookies = (!cookie_pushes.is_empty()).then(|| {
        quote! {
            let mut cookies = rt::encode::Cookies::new();
            #(#cookie_pushes)*
            if let Some(value) = cookies.value() {
                request = request.header(::codegen_runtime::reqwest::header::COOKIE, value);
            }
        }
    });

    // Credentials: the first alternative whose schemes are all configured.
    let (auth, auth_arg) = {
        let alternatives: Vec<TokenStream> = op
            .security
            .iter()
            .filter(|alt| !alt.schemes.is_empty())
            .filter_map(|alt| {
                let mut conds = Vec::new();
                let mut applies = Vec::new();
                for (name, _) in &alt.schemes {
                    let i = schemes.iter().position(|s| &s.name == name)?;
                    let f = ident(&scheme_methods[i]);
                    conds.push(quote! { creds.#f.is_some() });
                    applies.push(match &schemes[i].kind {
                        SecurityKind::Bearer { .. } => quote! {
                            if let Some(token) = &creds.#f { auth.push(rt::Apply::Bearer(token)); }
                        },
                        SecurityKind::Basic => quote! {
                            if let Some((user, password)) = &creds.#f { auth.push(rt::Apply::Basic(user, password)); }
                        },
                        SecurityKind::ApiKeyHeader { header } => quote! {
                            if let Some(key) = &creds.#f { auth.push(rt::Apply::Header(#header, key)); }
                        },
                        SecurityKind::ApiKeyQuery { parameter } => quote! {
                            if let Some(key) = &creds.#f { auth.push(rt::Apply::Query(#parameter, key)); }
                        },
                        SecurityKind::ApiKeyCookie { cookie } => quote! {
                            if let Some(key) = &creds.#f { auth.push(rt::Apply::Cookie(#cookie, key)); }
                        },
                        SecurityKind::Other { .. } => quote! {},
                    });
                }
                Some(if applies.len() == 1 {
                    // One scheme: its own `if let` is the whole condition.
                    let only = &applies[0];
                    quote! { #only }
                } else {
                    quote! { if #(#conds)&&* { #(#applies)* } }
                })
            })
            .collect();
        if alternatives.is_empty() {
            (quote! {}, quote! { Vec::new() })
        } else {
            (
                quote! {
                    let creds = &self.client.credentials;
                    let mut auth = Vec::new();
                    #(#alternatives)else*
                },
                quote! { auth },
            )
        }
    };
    let operation = {
        let name = ident(&plan.operation(op).constant);
        quote! { op::#name }
    };

    let body_send = body.as_ref().map(|(b, k)| {
        let apply = |v: TokenStream| -> TokenStream {
            match k {
                BodyKind::Json(_) if has_encoding_choice(op) => quote! {
                    request = match self.encoding {
                        RequestEncoding::Json => request.json(#v),
                        RequestEncoding::Form => request.form(#v),
                    };
                },
                BodyKind::Json(_) => quote! { request = request.json(#v); },
                BodyKind::Form(_) => quote! { request = request.form(#v); },
                BodyKind::Text => {
                    let media = b.contents.first().map(|c| c.media_type.clone()).unwrap_or_default();
                    quote! { request = request.header(::codegen_runtime::reqwest::header::CONTENT_TYPE, #media).body(::std::string::ToString::to_string(#v)); }
                }
                BodyKind::Multipart(media) => quote! {
                    let content_type = self.content_type.as_deref().unwrap_or(#media);
                    request = request.header(::codegen_runtime::reqwest::header::CONTENT_TYPE, content_type).body(::std::clone::Clone::clone(#v));
                },
                // Streams are taken out of the builder, below.
                BodyKind::Events(_)
                | BodyKind::JsonSeq(..)
                | BodyKind::Binary(_)
                | BodyKind::Parts(_)
                | BodyKind::None => quote! {},
            }
        };
        if let BodyKind::Parts(_) = k {
            // Each property a part; files stream from their source.
            let writes = super::super::form::form_fields(r.api(), b)
                .unwrap_or_default()
                .into_iter()
                .map(|f| {
                    let (wire, rust) = (f.wire, ident(f.rust));
                    match f.kind {
                        FormKind::File => quote! { form.file(#wire, body.#rust); },
                        FormKind::Files => quote! { form.files(#wire, body.#rust); },
                        FormKind::Value(_, as_text) => {
                            quote! { form.value(#wire, #as_text, &body.#rust)?; }
                        }
                        FormKind::Values(_, as_text) => {
                            quote! { form.values(#wire, #as_text, &body.#rust)?; }
                        }
                    }
                });
            quote! {
                if let Some(body) = self.body.take() {
                    let mut form = rt::multipart::Multipart::new();
                    #(#writes)*
                    request = form.send(request);
                }
            }
        } else if k.streams() {
            // A stream is sent once: `prepare` takes it out of the builder.
            let media = k.stream_media();
            let bytes = k.encode_stream(quote! { body });
            quote! {
                if let Some(body) = self.body.take() {
                    request = rt::encode::body(request, #media, #bytes);
                }
            }
        } else if matches!(k, BodyKind::None) {
            quote! {}
        } else if b.required {
            apply(quote! { &self.body })
        } else {
            let inner = apply(quote! { body });
            quote! { if let Some(body) = &self.body { #inner } }
        }
    });

    let response_ty = {
        let name = ident(&op.response_type);
        quote! { types::#name }
    };
    let vs = variants(plan, op);
    let mut arms = Vec::new();
    let mut range_arms = Vec::new();
    let mut stream_ifs = Vec::new();
    let mut default_value = quote! { rt::decode::unexpected(status, headers, body) };
    for v in &vs {
        let vname = ident(&v.name);
        let decode = |kind: &BodyKind<'_>| match kind {
            // Forms are request bodies only.
            BodyKind::None | BodyKind::Parts(_) => None,
            BodyKind::Json(_) | BodyKind::Form(_) => {
                Some(quote! { rt::decode::json(status, headers, body)? })
            }
            BodyKind::Text => Some(quote! { rt::decode::text(status, headers, body)? }),
            BodyKind::Multipart(_) => Some(quote! { body }),
            // Read whole already (a `default` answer, or a representation
            // chosen after reading): streamed from memory.
            BodyKind::Events(_) | BodyKind::JsonSeq(..) | BodyKind::Binary(_) => {
                Some(kind.decode_stream(quote! { ::codegen_runtime::ByteStream::from(body) }))
            }
        };
        let body_enum = v.response.body_type.as_ref().map(|e| ident(e));
        // Several representations: the `Content-Type` says which came;
        // anything else is taken for the preferred one.
        let decoded = match (&body_enum, v.reps.split_first()) {
            (Some(e), Some((first, rest))) => {
                // A streamed representation came back before this (but a
                // `default` answer's is read here).
                let read_here = |rep: &&crate::emit::responses::Rep<'_>| {
                    !rep.kind.streams() || v.response.status == crate::ir::StatusCode::Default
                };
                let arms: Vec<_> = rest
                    .iter()
                    .filter(read_here)
                    .map(|rep| {
                        let rname = ident(rep.name);
                        let pats = &rep.media;
                        let d = decode(&rep.kind);
                        quote! { #(#pats)|* => types::#e::#rname(#d), }
                    })
                    .collect();
                let fname = ident(first.name);
                let fallback = decode(&first.kind);
                Some(if arms.is_empty() {
                    quote! { types::#e::#fname(#fallback) }
                } else {
                    quote! {
                        match rt::decode::media_type(&headers).as_str() {
                            #(#arms)*
                            _ => types::#e::#fname(#fallback),
                        }
                    }
                })
            }
            _ => decode(&v.body),
        };
        let value_of = |decoded: Option<TokenStream>| {
            if let Some(h) = &v.response.headers_type {
                let h = ident(h);
                let fields = v.response.headers.iter().map(|hd| {
                    let f = ident(&hd.rust_name);
                    let name = &hd.name;
                    let read = match header_repr(r.api(), hd) {
                        HeaderRepr::Text => quote! { rt::decode::header_text(&headers, #name) },
                        HeaderRepr::Parsed | HeaderRepr::DateTime => {
                            quote! { rt::decode::header_parsed(&headers, #name) }
                        }
                    };
                    quote! { #f: #read }
                });
                let status = carries_status(v.response.status).then(|| quote! { status, });
                // Bytes are the body as received: field init shorthand.
                let bare = v.reps.is_empty() && matches!(v.body, BodyKind::Multipart(_));
                let body = decoded.map(|d| {
                    if bare {
                        quote! { body, }
                    } else {
                        quote! { body: #d, }
                    }
                });
                // Headers first: fields are evaluated in the order written, and
                // the body's decoding takes the headers.
                quote! {
                    Answer::#vname { #status headers: types::#h { #(#fields,)* }, #body }
                }
            } else {
                match (carries_status(v.response.status), decoded) {
                    (false, None) => quote! { Answer::#vname },
                    (false, Some(d)) => quote! { Answer::#vname(#d) },
                    (true, None) => quote! { Answer::#vname { status } },
                    (true, Some(_))
                        if v.reps.is_empty() && matches!(v.body, BodyKind::Multipart(_)) =>
                    {
                        quote! { Answer::#vname { status, body } }
                    }
                    (true, Some(d)) => quote! { Answer::#vname { status, body: #d } },
                }
            }
        };
        // A streamed answer is returned before the body is read.
        let cond = match v.response.status {
            crate::ir::StatusCode::Code(c) => {
                let c = proc_macro2::Literal::u16_unsuffixed(c);
                Some(quote! { status == #c })
            }
            crate::ir::StatusCode::Range(x) => {
                let lo = proc_macro2::Literal::u16_unsuffixed(x * 100);
                let hi = proc_macro2::Literal::u16_unsuffixed(x * 100 + 99);
                // A documented code in the range has its own answer.
                let codes: Vec<_> = vs
                    .iter()
                    .filter_map(|o| match o.response.status {
                        crate::ir::StatusCode::Code(c) if c / 100 == x => {
                            Some(proc_macro2::Literal::u16_unsuffixed(c))
                        }
                        _ => None,
                    })
                    .collect();
                Some(if codes.is_empty() {
                    quote! { (#lo..=#hi).contains(&status) }
                } else {
                    quote! { (#lo..=#hi).contains(&status) && !matches!(status, #(#codes)|*) }
                })
            }
            // A `default` answer is read whole (see `decode`).
            crate::ir::StatusCode::Default => None,
        };
        let head = v
            .response
            .headers_type
            .is_some()
            .then(|| quote! { let headers = rt::decode::head(&response); });
        if let Some(cond) = &cond {
            match &body_enum {
                Some(e) => {
                    for rep in v.reps.iter().filter(|r| r.kind.streams()) {
                        let rname = ident(rep.name);
                        let pats = &rep.media;
                        let d = rep
                            .kind
                            .decode_stream(quote! { rt::decode::stream(response) });
                        let value = value_of(Some(quote! { types::#e::#rname(#d) }));
                        stream_ifs.push(quote! {
                            if #cond && matches!(rt::decode::media_type(response.headers()).as_str(), #(#pats)|*) {
                                #head
                                return Ok(#value);
                            }
                        });
                    }
                }
                None if v.body.streams() => {
                    let d = v
                        .body
                        .decode_stream(quote! { rt::decode::stream(response) });
                    let value = value_of(Some(d));
                    stream_ifs.push(quote! {
                        if #cond {
                            #head
                            return Ok(#value);
                        }
                    });
                    continue;
                }
                None => {}
            }
        }
        let value = value_of(decoded);
        match v.response.status {
            crate::ir::StatusCode::Code(c) => {
                let c = proc_macro2::Literal::u16_unsuffixed(c);
                arms.push(quote! { #c => Ok(#value), })
            }
            crate::ir::StatusCode::Range(x) => {
                let lo = proc_macro2::Literal::u16_unsuffixed(x * 100);
                let hi = proc_macro2::Literal::u16_unsuffixed(x * 100 + 99);
                range_arms.push(quote! { #lo..=#hi => Ok(#value), });
            }
            crate::ir::StatusCode::Default => default_value = quote! { Ok(#value) },
        }
    }
    // `200 => .., 200..=299 => ..`: the first arm wins, on purpose.
    let overlap = if !arms.is_empty() && !range_arms.is_empty() {
        quote! { #[allow(clippy::match_overlapping_arm)] }
    } else {
        TokenStream::new()
    };
    // A lone default arm is the whole answer (a one-arm `match` is a lint).
    let answer = if arms.is_empty() && range_arms.is_empty() {
        default_value
    } else {
        quote! {
            match status {
                #(#arms)*
                #(#range_arms)*
                _ => #default_value,
            }
        }
    };
    let method = match &op.method {
        // A token lowering checked (3.2 `query`, `additionalOperations`).
        crate::ir::Method::Other(name) => {
            let name = proc_macro2::Literal::byte_string(name.as_bytes());
            quote! { Method::from_bytes(#name).expect("an HTTP method token, checked when generated") }
        }
        standard => {
            let name = format_ident!("{}", standard.as_str());
            quote! { Method::#name }
        }
    };
    let default_overridden = vs
        .iter()
        .any(|v| v.response.status == crate::ir::StatusCode::Default);
    // What the answers read after the body is read whole use: a streamed
    // answer returned before that uses neither.
    let takes_headers =
        |k: &BodyKind<'_>| matches!(k, BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Text);
    let read_whole = |v: &&crate::emit::responses::Variant<'_>| {
        !(v.reps.is_empty()
            && v.body.streams()
            && v.response.status != crate::ir::StatusCode::Default)
    };
    let uses_body = !default_overridden
        || vs
            .iter()
            .filter(read_whole)
            .any(|v| !v.reps.is_empty() || !matches!(v.body, BodyKind::None));
    let uses_headers = !default_overridden
        || vs.iter().filter(read_whole).any(|v| {
            let chosen_by_type = v.reps.split_first().is_some_and(|(first, rest)| {
                takes_headers(&first.kind)
                    || rest.iter().any(|r| {
                        !r.kind.streams() || v.response.status == crate::ir::StatusCode::Default
                    })
            });
            v.response.headers_type.is_some()
                || chosen_by_type
                || (v.reps.is_empty() && takes_headers(&v.body))
        });
    let headers_binding = if uses_headers {
        quote! { headers }
    } else {
        quote! { _headers }
    };
    let body_binding = if uses_body {
        quote! { body }
    } else {
        quote! { _body }
    };
    let has_query = slots
        .iter()
        .any(|s| s.param.location == ParameterLocation::Query);
    let (query_decl, path_arg) = if has_query {
        (
            quote! {
                let mut query = rt::encode::Query::new();
                #(#query_pushes)*
                let path = query.after(#path_arg);
            },
            quote! { &path },
        )
    } else {
        (quote! {}, path_arg)
    };
    // A 3.2 querystring parameter is the whole (flat) form: reqwest
    // form-encodes it and appends it to the query.
    let querystring = slots
        .iter()
        .filter(|s| s.param.location == ParameterLocation::QueryString)
        .map(|s| {
            let f = &s.field;
            if s.param.required {
                quote! { request = request.query(&self.#f); }
            } else {
                quote! {
                    if let Some(form) = &self.#f {
                        request = request.query(form);
                    }
                }
            }
        });
    // A streamed request body is taken out of the builder when sent.
    let takes_body = body.as_ref().is_some_and(|(_, k)| k.streams());
    let (self_param, prepare_self) = if takes_body {
        (quote! { mut self }, quote! { &mut self })
    } else {
        (quote! { self }, quote! { &self })
    };
    let read = if stream_ifs.is_empty() {
        quote! {
            let (status, #headers_binding, #body_binding) = self.prepare()?.send(self.retry.as_ref()).await?;
        }
    } else {
        quote! {
            let response = self.prepare()?.open(self.retry.as_ref()).await?;
            let status = response.status().as_u16();
            #(#stream_ifs)*
            let (status, #headers_binding, #body_binding) = rt::decode::read(response).await?;
        }
    };
    // A short local name for the response enum keeps each answer's arm on
    // one line; spec names never appear unqualified in a body, so it
    // cannot shadow one.
    let answer_alias = (!vs.is_empty()).then(|| quote! { type Answer = #response_ty; });
    let paging = op
        .pagination
        .as_ref()
        .map(|p| super::paging::methods(p, r, &self_param));
    let send_doc = format!(
        " Sends the request and decodes the documented answer into [`types::{}`].",
        op.response_type
    );
    quote! {
        #doc
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #req<'a> {
            client: &'a Client,
            #(#fields,)*
            #body_field
            #encoding_field
            #content_type_field
            #accept_field
            retry: Option<::codegen_runtime::client::Retry>,
        }

        ::codegen_runtime::request_builder!(#req);

        impl<'a> #req<'a> {
            #(#setters)*
            #body_setter
            #encoding_setter
            #content_type_setter
            #accept_setter


            #[doc = #send_doc]
            #overlap
            pub async fn send(#self_param) -> Result<#response_ty, Error> {
                #answer_alias
                #read
                #answer
            }

            /// The request as set, with the credentials that go on it.
            fn prepare(#prepare_self) -> Result<rt::Call<'a>, Error> {
                #path_decl
                #query_decl
                let mut request = self.client.transport.request(#method, #path_arg);
                #(#header_pushes)*
                #accept_header
                #cookies
                #auth
                #(#querystring)*
                #body_send
                // A local keeps the call on one line, however long the name.
                let operation = #operation;
                Ok(self.client.transport.call(operation, request, #auth_arg))
            }

            #paging
        }
    }
}

/// The `Accept` header of an operation whose answers come in several
/// representations (see [`offered`]).
pub(super) fn accepted(op: &Operation) -> Option<String> {
    offered(op).map(|all| all.join(", "))
}

/// The multipart media type of an operation's body, if it travels as one:
/// its `Content-Type` needs a boundary that only the caller knows.
pub(super) fn multipart_media<'a>(api: &'a crate::ir::Api, op: &'a Operation) -> Option<&'a str> {
    let b = op.request_body.as_ref()?;
    match request_kind(api, b) {
        BodyKind::Multipart(media) => Some(media),
        _ => None,
    }
}

/// A parameter's value as the runtime's encoders take it: a reference to
/// the field, or to its JSON text for a `content` parameter.
fn param_value(s: &ParamSlot<'_>) -> TokenStream {
    let f = &s.field;
    match (&s.param.shape, s.param.required) {
        (ParamShape::Json, true) => quote! { &rt::encode::Json(&self.#f) },
        (ParamShape::Json, false) => quote! { &self.#f.as_ref().map(rt::encode::Json) },
        _ => quote! { &self.#f },
    }
}
