//! The `client` part: `Client::new(base_url)`, a builder for credentials and
//! transport settings, one accessor per resource, one request builder per
//! operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::responses::{carries_status, header_repr, variants, HeaderRepr};
use super::{body_kind, docs, is_form, is_json, BodyKind, TypeRenderer};
use crate::ir::{
    Api, Operation, Parameter, ParameterLocation, Resource, SecurityKind, Segment, StringFormat, Ty,
};
use crate::plan::Plan;
use crate::naming::{ident, Namespace};

/// The part in chunks of whole items (the first holds the inner attributes),
/// one per resource after the first, each built when the formatter asks for it.
pub fn client<'a>(api: &'a Api, plan: &'a Plan) -> super::Chunks<'a> {
    let r = TypeRenderer::new(api, quote! { types:: });
    let schemes: Vec<_> = api
        .security_schemes
        .iter()
        .filter(|s| !matches!(s.kind, SecurityKind::Other { .. }))
        .collect();

    // Builder methods: fixed ones first, then one per security scheme.
    let mut builder_names = Namespace::new();
    builder_names.reserve([
        "new",
        "build",
        "timeout",
        "default_header",
        "http_client",
        "base_url",
    ]);
    let scheme_methods: Vec<String> = schemes
        .iter()
        .map(|s| builder_names.claim(s.rust_name.clone()))
        .collect();

    let cred_fields = schemes.iter().zip(&scheme_methods).map(|(s, m)| {
        let f = ident(m);
        match s.kind {
            SecurityKind::Basic => {
                quote! { #f: Option<(String, String)> }
            }
            _ => quote! { #f: Option<String> },
        }
    });
    let cred_debug = scheme_methods.iter().map(|m| {
        let f = ident(m);
        quote! { .field(#m, &self.#f.as_ref().map(|_| "<redacted>")) }
    });
    let scheme_setters = schemes.iter().zip(&scheme_methods).map(|(s, m)| {
        let f = ident(m);
        let what = match &s.kind {
            SecurityKind::Bearer { .. } => format!("Bearer token for the `{}` scheme (`Authorization: Bearer ...`).", s.name),
            SecurityKind::Basic => format!("User name and password for the `{}` scheme (HTTP basic).", s.name),
            SecurityKind::ApiKeyHeader { header } => format!("API key for the `{}` scheme, sent as the `{header}` header.", s.name),
            SecurityKind::ApiKeyQuery { parameter } => {
                format!("API key for the `{}` scheme, sent as the `{parameter}` query parameter.", s.name)
            }
            SecurityKind::Other { .. } => String::new(),
        };
        let doc = docs::attrs([what.as_str(), s.description.as_deref().unwrap_or("")]);
        match s.kind {
            SecurityKind::Basic => quote! {
                #doc
                pub fn #f(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                    self.credentials.#f = Some((username.into(), password.into()));
                    self
                }
            },
            _ => quote! {
                #doc
                pub fn #f(mut self, secret: impl Into<String>) -> Self {
                    self.credentials.#f = Some(secret.into());
                    self
                }
            },
        }
    });

    let needs_encoding = api.resources.iter().flat_map(|r| &r.operations).any(|op| {
        op.request_body.as_ref().is_some_and(|b| {
            b.contents.iter().any(|c| is_json(&c.media_type))
                && b.contents.iter().any(|c| is_form(&c.media_type))
        })
    });
    let encoding_enum = needs_encoding.then(|| {
        quote! {
            /// How to encode a request body, for operations that accept several.
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
            pub enum RequestEncoding {
                /// `application/json` (the default).
                #[default]
                Json,
                /// `application/x-www-form-urlencoded`.
                Form,
            }
        }
    });

    let accessors = api
        .resources
        .iter()
        .enumerate()
        .map(|(i, res)| resource_accessor(plan, i, res));
    // A spec without operations leaves the request plumbing unused.
    let unused = api
        .resources
        .is_empty()
        .then(|| quote! { #[allow(dead_code)] });
    let rt_import = (!api.resources.is_empty()).then(|| {
        quote! {
            use super::types;
            use ::codegen_runtime::client as rt;
            use ::codegen_runtime::reqwest::Method;
        }
    });
    let head = quote! {
        #![doc = " Async HTTP client: `Client::new(base_url)` or `Client::builder(base_url)`,"]
        #![doc = " then one accessor per resource, one request builder per operation."]
        // Docs quote the spec's Markdown as written.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        // An operation without query, headers or body does not change its request.
        #![allow(unused_mut)]

        pub use ::codegen_runtime::client::Error;
        #rt_import

        #encoding_enum

        #[derive(Clone, Default)]
        struct Credentials { #(#cred_fields,)* }

        impl ::std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Credentials") #(#cred_debug)* .finish()
            }
        }

        /// The API client. Cheap to clone: clones share one connection pool.
        #[derive(Clone, Debug)]
        #unused
        pub struct Client {
            base_url: String,
            http: ::codegen_runtime::reqwest::Client,
            // Unread when no operation needs credentials.
            #[allow(dead_code)]
            credentials: Credentials,
            headers: ::codegen_runtime::reqwest::header::HeaderMap,
            timeout: Option<::std::time::Duration>,
        }

        /// Settings for a [`Client`]: credentials, timeout, default headers, HTTP client.
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            base_url: String,
            http: Option<::codegen_runtime::reqwest::Client>,
            credentials: Credentials,
            headers: ::codegen_runtime::reqwest::header::HeaderMap,
            timeout: Option<::std::time::Duration>,
        }

        impl ClientBuilder {
            #(#scheme_setters)*

            /// Fails any call that takes longer than this (whole request and response).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// A header sent with every request (operation headers win).
            pub fn default_header(mut self, name: ::codegen_runtime::reqwest::header::HeaderName, value: ::codegen_runtime::reqwest::header::HeaderValue) -> Self {
                self.headers.insert(name, value);
                self
            }

            /// Use this `reqwest::Client` (its pool, proxy and TLS settings).
            pub fn http_client(mut self, http: ::codegen_runtime::reqwest::Client) -> Self {
                self.http = Some(http);
                self
            }

            /// The client.
            pub fn build(self) -> Client {
                Client {
                    base_url: self.base_url.trim_end_matches('/').to_string(),
                    http: self.http.unwrap_or_default(),
                    credentials: self.credentials,
                    headers: self.headers,
                    timeout: self.timeout,
                }
            }
        }

        impl Client {
            /// A client for the API at `base_url` (e.g. `https://api.example.com`), without credentials.
            pub fn new(base_url: impl Into<String>) -> Self {
                Self::builder(base_url).build()
            }

            /// Starts a [`ClientBuilder`] for the API at `base_url`.
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                ClientBuilder {
                    base_url: base_url.into(),
                    http: None,
                    credentials: Credentials::default(),
                    headers: ::codegen_runtime::reqwest::header::HeaderMap::new(),
                    timeout: None,
                }
            }

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            #unused
            fn request(&self, method: ::codegen_runtime::reqwest::Method, path: &str) -> ::codegen_runtime::reqwest::RequestBuilder {
                let mut request = self.http.request(method, format!("{}{}", self.base_url, path)).headers(self.headers.clone());
                if let Some(timeout) = self.timeout {
                    request = request.timeout(timeout);
                }
                request
            }

            #(#accessors)*
        }


    };
    let resources = api
        .resources
        .iter()
        .enumerate()
        .map(move |(i, res)| resource(plan, i, res, &r, &schemes, &scheme_methods));
    Box::new(std::iter::once(head).chain(resources))
}

fn resource_accessor(plan: &Plan, index: usize, res: &Resource) -> TokenStream {
    let (method, ty) = plan.accessor(index);
    let (f, ty) = (ident(method), ident(ty));
    let line = format!("Operations of the `{}` resource.", res.tag);
    let doc = docs::attrs([line.as_str(), res.description.as_deref().unwrap_or("")]);
    quote! {
        #doc
        pub fn #f(&self) -> #ty<'_> {
            #ty { client: self }
        }
    }
}

/// Fields of a request builder: reserved names first, then parameters.
struct ParamSlot<'a> {
    param: &'a Parameter,
    field: proc_macro2::Ident,
}

fn resource(
    plan: &Plan,
    index: usize,
    res: &Resource,
    r: &TypeRenderer<'_>,
    schemes: &[&crate::ir::SecurityScheme],
    scheme_methods: &[String],
) -> TokenStream {
    let (method, ty) = plan.accessor(index);
    let ty = ident(ty);
    // Our own text with an intra-doc link: not through `docs`, which escapes
    // the brackets of spec prose. The tag sits in a code span, control
    // characters removed.
    let tag: String = res
        .tag
        .chars()
        .filter(|c| !c.is_control() && *c != '`')
        .collect();
    let doc_line = format!(
        " Operations of the `{tag}` resource; see [`Client::{method}`]."
    );
    let doc = quote! { #[doc = #doc_line] };
    let methods = res
        .operations
        .iter()
        .map(|op| operation_method(plan, op, r));
    let requests = res
        .operations
        .iter()
        .map(|op| request_builder(plan, op, r, schemes, scheme_methods));
    quote! {
        #doc
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            client: &'a Client,
        }

        // Methods are named as the spec names operations (`new`, `into_x`...).
        #[allow(clippy::new_ret_no_self, clippy::should_implement_trait, clippy::wrong_self_convention)]
        impl<'a> #ty<'a> {
            #(#methods)*
        }

        #(#requests)*
    }
}

fn request_type(plan: &Plan, op: &Operation) -> proc_macro2::Ident {
    ident(&plan.operation(op).request)
}

fn slots<'o>(plan: &Plan, op: &'o Operation) -> Vec<ParamSlot<'o>> {
    op.parameters
        .iter()
        .zip(&plan.operation(op).request_fields)
        .map(|(p, f)| ParamSlot {
            param: p,
            field: ident(f),
        })
        .collect()
}

/// `impl Into<String>` for plain strings, the type itself otherwise.
fn arg_type(p: &Parameter, r: &TypeRenderer<'_>) -> (TokenStream, bool) {
    if matches!(
        p.schema.ty,
        Ty::String(StringFormat::Plain | StringFormat::Other | StringFormat::Password)
    ) && !p.schema.nullable
    {
        (
            quote! { impl Into<String> },
            true,
        )
    } else {
        (r.ty(&p.schema), false)
    }
}

fn operation_doc(op: &Operation) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(s) = &op.summary {
        paragraphs.push(s.clone());
    }
    if let Some(d) = &op.description {
        if op.summary.as_deref() != Some(d.as_str()) {
            paragraphs.push(d.clone());
        }
    }
    paragraphs.push(format!(
        "`{} {}` (operation `{}`).",
        op.method.as_str(),
        op.path.raw,
        op.id
    ));
    if !op.accepted_scopes.is_empty() {
        let scopes: Vec<String> = op
            .accepted_scopes
            .iter()
            .map(|s| format!("`{s}`"))
            .collect();
        paragraphs.push(format!("Accepted scopes (any one): {}.", scopes.join(", ")));
    }
    docs::attrs(paragraphs.iter().map(String::as_str))
}

fn operation_method(plan: &Plan, op: &Operation, r: &TypeRenderer<'_>) -> TokenStream {
    let name = ident(&plan.operation(op).method);
    let req = request_type(plan, op);
    let doc = operation_doc(op);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let slots = slots(plan, op);
    let required: Vec<&ParamSlot> = slots.iter().filter(|s| s.param.required).collect();
    let args = required.iter().map(|s| {
        let f = &s.field;
        let (t, _) = arg_type(s.param, r);
        quote! { #f: #t }
    });
    let body = op
        .request_body
        .as_ref()
        .map(|b| (b, body_kind(&b.contents)));
    let body_arg = body.as_ref().and_then(|(b, kind)| {
        let t = r.body_type(kind)?;
        Some(if b.required {
            quote! { body: #t }
        } else {
            quote! {}
        })
    });
    let body_required = body
        .as_ref()
        .is_some_and(|(b, k)| b.required && !matches!(k, BodyKind::None));
    let mut inits: Vec<TokenStream> = Vec::new();
    for s in &slots {
        let f = &s.field;
        let (_, into) = arg_type(s.param, r);
        inits.push(match (s.param.required, into) {
            (true, true) => quote! { #f: #f.into() },
            (true, false) => quote! { #f },
            (false, _) => quote! { #f: None },
        });
    }
    if body
        .as_ref()
        .is_some_and(|(_, k)| !matches!(k, BodyKind::None))
    {
        inits.push(if body_required {
            quote! { body }
        } else {
            quote! { body: None }
        });
    }
    if has_encoding_choice(op) {
        inits.push(quote! { encoding: RequestEncoding::Json });
    }
    if multipart_media(op).is_some() {
        inits.push(quote! { content_type: None });
    }
    let comma_body = body_arg.filter(|t| !t.is_empty()).map(|t| quote! { , #t });
    quote! {
        #doc
        #deprecated
        pub fn #name(&self #(, #args)* #comma_body) -> #req<'a> {
            #req { client: self.client, #(#inits,)* }
        }
    }
}

fn has_encoding_choice(op: &Operation) -> bool {
    op.request_body.as_ref().is_some_and(|b| {
        b.contents.iter().any(|c| is_json(&c.media_type))
            && b.contents.iter().any(|c| is_form(&c.media_type))
    })
}

fn request_builder(
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
        .map(|b| (b, body_kind(&b.contents)));
    let body_field = body.as_ref().and_then(|(b, k)| {
        let t = r.body_type(k)?;
        Some(if b.required {
            quote! { body: #t, }
        } else {
            quote! { body: Option<#t>, }
        })
    });
    let encoding_field = has_encoding_choice(op).then(|| quote! { encoding: RequestEncoding, });
    let content_type_field = multipart_media(op)
        .is_some()
        .then(|| quote! { content_type: Option<String>, });
    let content_type_setter = multipart_media(op).map(|media| {
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
                    let f = &s.field;
                    pieces.push(quote! { &rt::encode::segment(&self.#f) });
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
        (quote! { let path = [#(#pieces),*].concat(); }, quote! { &path })
    };

    let query_pushes = slots.iter().filter(|s| s.param.location == ParameterLocation::Query).map(|s| {
        let f = &s.field;
        let name = &s.param.name;
        match (&s.param.schema.ty, s.param.explode, s.param.required) {
            (Ty::Array(_), true, true) => quote! { query.each(#name, &self.#f); },
            (Ty::Array(_), true, false) => quote! { query.each(#name, self.#f.as_deref().unwrap_or_default()); },
            (Ty::Array(_), false, true) => quote! { query.joined(#name, Some(&self.#f)); },
            (Ty::Array(_), false, false) => quote! { query.joined(#name, self.#f.as_deref()); },
            (_, _, true) => quote! { query.one(#name, &self.#f); },
            (_, _, false) => quote! { query.opt(#name, &self.#f); },
        }
    });

    let header_pushes = slots.iter().filter(|s| s.param.location == ParameterLocation::Header).map(|s| {
        let f = &s.field;
        let name = &s.param.name;
        let value = |v: TokenStream| -> TokenStream {
            match &s.param.schema.ty {
                Ty::Array(_) => quote! { #v.iter().map(|item| rt::encode::param(item)).collect::<Vec<_>>().join(",") },
                _ => quote! { rt::encode::param(#v) },
            }
        };
        if s.param.required {
            let v = value(quote! { &self.#f });
            quote! { request = request.header(#name, rt::encode::header(#name, &#v)?); }
        } else {
            let v = value(quote! { value });
            quote! {
                if let Some(value) = &self.#f {
                    request = request.header(#name, rt::encode::header(#name, &#v)?);
                }
            }
        }
    });

    // Credentials: the first alternative whose schemes are all configured.
    let auth = {
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
                            if let Some(token) = &creds.#f { request = request.bearer_auth(token); }
                        },
                        SecurityKind::Basic => quote! {
                            if let Some((user, password)) = &creds.#f { request = request.basic_auth(user, Some(password)); }
                        },
                        SecurityKind::ApiKeyHeader { header } => quote! {
                            if let Some(key) = &creds.#f {
                                let mut value = rt::encode::header(#header, key)?;
                                value.set_sensitive(true);
                                request = request.header(#header, value);
                            }
                        },
                        SecurityKind::ApiKeyQuery { parameter } => quote! {
                            if let Some(key) = &creds.#f { query.text(#parameter, key); }
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
            quote! {}
        } else {
            quote! {
                let creds = &self.client.credentials;
                #(#alternatives)else*
            }
        }
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
                BodyKind::Bytes(media) if media.starts_with("multipart/") => quote! {
                    let content_type = self.content_type.as_deref().unwrap_or(#media);
                    request = request.header(::codegen_runtime::reqwest::header::CONTENT_TYPE, content_type).body(Vec::from(#v.as_slice()));
                },
                BodyKind::Bytes(media) => quote! {
                    request = request.header(::codegen_runtime::reqwest::header::CONTENT_TYPE, #media).body(Vec::from(#v.as_slice()));
                },
                BodyKind::None => quote! {},
            }
        };
        if matches!(k, BodyKind::None) {
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
    let vs = variants(op);
    let mut arms = Vec::new();
    let mut range_arms = Vec::new();
    let mut default_arm = quote! {
        _ => rt::decode::unexpected(status, headers, body),
    };
    for v in &vs {
        let vname = ident(&v.name);
        let decoded = match v.body {
            BodyKind::None => None,
            BodyKind::Json(_) | BodyKind::Form(_) => {
                Some(quote! { rt::decode::json(status, headers, body)? })
            }
            BodyKind::Text => Some(quote! { rt::decode::text(status, headers, body)? }),
            BodyKind::Bytes(_) => Some(quote! { body }),
        };
        let value = if let Some(h) = &v.response.headers_type {
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
            let body = decoded.map(|d| quote! { body: #d, });
            // Headers first: fields are evaluated in the order written, and
            // the body's decoding takes the headers.
            quote! {
                #response_ty::#vname { #status headers: types::#h { #(#fields,)* }, #body }
            }
        } else {
            match (carries_status(v.response.status), decoded) {
                (false, None) => quote! { #response_ty::#vname },
                (false, Some(d)) => quote! { #response_ty::#vname(#d) },
                (true, None) => quote! { #response_ty::#vname { status } },
                (true, Some(d)) => quote! { #response_ty::#vname { status, body: #d } },
            }
        };
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
            crate::ir::StatusCode::Default => {
                default_arm = quote! { _ => Ok(#value), }
            }
        }
    }
    let method = format_ident!("{}", op.method.as_str());
    let default_overridden = vs
        .iter()
        .any(|v| v.response.status == crate::ir::StatusCode::Default);
    let uses_body = !default_overridden || vs.iter().any(|v| !matches!(v.body, BodyKind::None));
    let uses_headers = !default_overridden
        || vs.iter().any(|v| v.response.headers_type.is_some())
        || vs.iter().any(|v| {
            matches!(
                v.body,
                BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Text
            )
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
        .any(|s| s.param.location == ParameterLocation::Query)
        || op.security.iter().flat_map(|a| &a.schemes).any(|(n, _)| {
            schemes
                .iter()
                .any(|s| &s.name == n && matches!(s.kind, SecurityKind::ApiKeyQuery { .. }))
        });
    let (query_decl, query_apply) = if has_query {
        (
            quote! { let mut query = rt::encode::Query::new(); },
            quote! { request = query.apply(request); },
        )
    } else {
        (quote! {}, quote! {})
    };
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
        }

        ::codegen_runtime::request_debug!(#req);

        impl #req<'_> {
            #(#setters)*
            #body_setter
            #encoding_setter
            #content_type_setter

            #[doc = #send_doc]
            pub async fn send(self) -> Result<#response_ty, Error> {
                #path_decl
                let mut request = self.client.request(Method::#method, #path_arg);
                #query_decl
                #(#query_pushes)*
                #(#header_pushes)*
                #auth
                #query_apply
                #body_send
                let (status, #headers_binding, #body_binding) = rt::decode::send(request).await?;
                match status {
                    #(#arms)*
                    #(#range_arms)*
                    #default_arm
                }
            }
        }
    }
}

/// The multipart media type of an operation's body, if it travels as one:
/// its `Content-Type` needs a boundary that only the caller knows.
fn multipart_media(op: &Operation) -> Option<&str> {
    let b = op.request_body.as_ref()?;
    match body_kind(&b.contents) {
        BodyKind::Bytes(media) if media.starts_with("multipart/") => Some(media),
        _ => None,
    }
}
