//! One request builder per operation: optional inputs as setters, and
//! `send()`, which encodes the request and decodes every documented answer
//! (the decoding is in [`super::answers`]).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::form::{form_fields, request_kind, FormKind};
use crate::emit::variants::offered;
use crate::emit::{docs, is_form, is_json, runtime, BodyKind, TypeRenderer};
use crate::ir::{
    Operation, ParamShape, ParamStyle, Parameter, ParameterLocation, RequestBody, SecurityKind,
    SecurityRequirement, SecurityScheme, Segment, StringFormat, Ty,
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

/// `impl Into<String>` for plain strings, the type itself otherwise.
pub(crate) fn arg_type(p: &Parameter, r: &TypeRenderer<'_>) -> (TokenStream, bool) {
    if matches!(
        p.schema.ty,
        Ty::String(StringFormat::Plain | StringFormat::Other | StringFormat::Password)
    ) && !p.schema.nullable
    {
        (quote! { impl Into<String> }, true)
    } else {
        (r.ty(&p.schema), false)
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

/// The request builder of one operation: its struct, its setters, `send()`,
/// `prepare()` (the request as set) and, when it pages, its streams.
pub(super) fn request_builder(
    plan: &Plan,
    op: &Operation,
    r: &TypeRenderer<'_>,
    schemes: &[&SecurityScheme],
    scheme_methods: &[String],
) -> TokenStream {
    let b = Builder::new(plan, op, r);
    let req = request_type(plan, op);
    let builder_struct = b.builder_struct(&req);
    let setters = b.setters();
    let self_param = b.self_param();
    let send = super::answers::send(plan, op, r, &self_param);
    let prepare = b.prepare(schemes, scheme_methods);
    let paging = op
        .pagination
        .as_ref()
        .map(|p| super::paging::methods(p, r, &self_param, &plan.operation(op).constant));
    let request_builder = runtime::macros::request_builder();
    quote! {
        #builder_struct

        #request_builder!(#req);

        impl<'a> #req<'a> {
            #setters
            #send
            #prepare
            #paging
        }
    }
}

/// What the fragments of one request builder share.
struct Builder<'a> {
    plan: &'a Plan,
    op: &'a Operation,
    r: &'a TypeRenderer<'a>,
    slots: Vec<ParamSlot<'a>>,
    /// The request body, and how it travels.
    body: Option<(&'a RequestBody, BodyKind<'a>)>,
}

impl<'a> Builder<'a> {
    fn new(plan: &'a Plan, op: &'a Operation, r: &'a TypeRenderer<'a>) -> Self {
        let body = op
            .request_body
            .as_ref()
            .map(|b| (b, request_kind(r.api(), b)));
        Builder {
            plan,
            op,
            r,
            slots: slots(plan, op),
            body,
        }
    }

    /// The parameters at `location`.
    fn slots_in(&self, location: ParameterLocation) -> impl Iterator<Item = &ParamSlot<'a>> {
        self.slots
            .iter()
            .filter(move |s| s.param.location == location)
    }

    /// A streamed request body is taken out of the builder when sent: `send`,
    /// `prepare` and the paging streams then take the builder mutably.
    fn takes_body(&self) -> bool {
        self.body.as_ref().is_some_and(|(_, k)| k.streams())
    }

    /// The receiver of `send()` and of the paging streams.
    fn self_param(&self) -> TokenStream {
        if self.takes_body() {
            quote! { mut self }
        } else {
            quote! { self }
        }
    }

    /// The builder's struct: every input as set so far.
    fn builder_struct(&self, req: &proc_macro2::Ident) -> TokenStream {
        let doc = docs::attrs([format!(
            "A pending `{}` call: set optional inputs, then `.send().await`.",
            self.op.id
        )
        .as_str()]);
        let fields = self.slots.iter().map(|s| self.param_field(s));
        let body_field = self.body_field();
        let encoding_field =
            has_encoding_choice(self.op).then(|| quote! { encoding: RequestEncoding, });
        let content_type_field = multipart_media(self.r.api(), self.op)
            .is_some()
            .then(|| quote! { content_type: Option<String>, });
        let accept_field = accepted(self.op).map(|_| quote! { accept: Option<&'static str>, });
        let retry = runtime::client::retry();
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
                retry: Option<#retry>,
            }
        }
    }

    /// A parameter's field: held as given (a string as `String`), optional
    /// ones as an `Option`.
    fn param_field(&self, s: &ParamSlot<'_>) -> TokenStream {
        let f = &s.field;
        let (t, into) = arg_type(s.param, self.r);
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
    }

    fn body_field(&self) -> Option<TokenStream> {
        let (b, k) = self.body.as_ref()?;
        let t = self.r.body_type(k)?;
        // A stream is taken out when sent: held as an `Option` even when required.
        Some(if b.required && !k.streams() {
            quote! { body: #t, }
        } else {
            quote! { body: Option<#t>, }
        })
    }

    /// Setters of the optional inputs: parameters, body, encoding,
    /// `Content-Type`, `Accept`.
    fn setters(&self) -> TokenStream {
        let params = self
            .slots
            .iter()
            .filter(|s| !s.param.required)
            .map(|s| self.param_setter(s));
        let body = self.body_setter();
        let encoding = has_encoding_choice(self.op).then(|| {
            quote! {
                /// Send the body as JSON (default) or as a form.
                pub fn encoding(mut self, encoding: RequestEncoding) -> Self {
                    self.encoding = encoding;
                    self
                }
            }
        });
        let content_type = self.content_type_setter();
        let accept = self.accept_setter();
        quote! {
            #(#params)*
            #body
            #encoding
            #content_type
            #accept
        }
    }

    /// The setter of an optional parameter, documented by the spec (a
    /// default is named: it is the server's, not sent).
    fn param_setter(&self, s: &ParamSlot<'_>) -> TokenStream {
        let f = &s.field;
        let (t, into) = arg_type(s.param, self.r);
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
    }

    /// An optional body's setter (a required one is an argument).
    fn body_setter(&self) -> Option<TokenStream> {
        let (b, k) = self.body.as_ref()?;
        if b.required {
            return None;
        }
        let t = self.r.body_type(k)?;
        Some(quote! {
            /// The request body.
            pub fn body(mut self, body: #t) -> Self {
                self.body = Some(body);
                self
            }
        })
    }

    fn content_type_setter(&self) -> Option<TokenStream> {
        let media = multipart_media(self.r.api(), self.op)?;
        let doc = format!(
            " The body's `Content-Type`, with its boundary: `{media}; boundary=...`. \
             The body must be encoded with that boundary; without this, `{media}` is sent bare."
        );
        Some(quote! {
            #[doc = #doc]
            pub fn content_type(mut self, value: impl Into<String>) -> Self {
                self.content_type = Some(value.into());
                self
            }
        })
    }

    fn accept_setter(&self) -> Option<TokenStream> {
        let all = accepted(self.op)?;
        let doc = format!(
            " Asks for this representation of the answer (`Accept`); by default every documented one: `{all}`."
        );
        Some(quote! {
            #[doc = #doc]
            pub fn accept(mut self, media_type: &'static str) -> Self {
                self.accept = Some(media_type);
                self
            }
        })
    }

    /// `prepare()`: the request as set (path, query, headers, cookies,
    /// credentials, body), ready for the transport; `send()` and the
    /// paging streams start from it.
    fn prepare(&self, schemes: &[&SecurityScheme], scheme_methods: &[String]) -> TokenStream {
        let prepare_self = if self.takes_body() {
            quote! { &mut self }
        } else {
            quote! { &self }
        };
        let (path_decl, path_arg) = self.path();
        let (query_decl, path_arg) = self.query(path_arg);
        let method = http_method(self.op);
        let header_pushes = self.header_params();
        let accept_header = accepted(self.op).map(|all| {
            let accept = runtime::reqwest::header_accept();
            quote! {
                request = request.header(#accept, self.accept.unwrap_or(#all));
            }
        });
        let cookies = self.cookies();
        let (auth, auth_arg) = self.credentials(schemes, scheme_methods);
        let querystring = self.querystring();
        let body_send = self.body_send();
        let operation = ident(&self.plan.operation(self.op).constant);
        let call = runtime::client::call();
        quote! {
            /// The request as set, with the credentials that go on it.
            fn prepare(#prepare_self) -> Result<#call<'a>, Error> {
                #path_decl
                #query_decl
                let mut request = self.client.transport.request(#method, #path_arg);
                #header_pushes
                #accept_header
                #cookies
                #auth
                #querystring
                #body_send
                // A local keeps the call on one line, however long the name.
                let operation = op::#operation;
                Ok(self.client.transport.call(operation, request, #auth_arg))
            }
        }
    }

    /// The path: the literal pieces and the percent-encoded parameters,
    /// joined. Its declaration, and how the request names it.
    fn path(&self) -> (TokenStream, TokenStream) {
        let mut pieces: Vec<TokenStream> = Vec::new();
        let mut literal = String::new();
        for seg in &self.op.path.segments {
            match seg {
                Segment::Literal(l) => literal.push_str(l),
                Segment::Parameter(name) => {
                    let Some(s) = self
                        .slots_in(ParameterLocation::Path)
                        .find(|s| &s.param.name == name)
                    else {
                        continue;
                    };
                    if !literal.is_empty() {
                        pieces.push(quote! { #literal });
                        literal.clear();
                    }
                    pieces.push(path_piece(s));
                }
            }
        }
        if pieces.is_empty() {
            return (quote! { let path = #literal; }, quote! { path });
        }
        if !literal.is_empty() {
            pieces.push(quote! { #literal });
        }
        (
            quote! { let path = [#(#pieces),*].concat(); },
            quote! { &path },
        )
    }

    /// The query parameters, appended to the path when there are any.
    fn query(&self, path_arg: TokenStream) -> (TokenStream, TokenStream) {
        // The template's own constant pairs (`/rest?method=...`) first.
        let form = runtime::style::form();
        let constants = self.op.path.query.iter().map(|(name, value)| {
            quote! { query.add(#name, #form, #value); }
        });
        let pushes: Vec<TokenStream> = constants
            .chain(self.slots_in(ParameterLocation::Query).map(|s| {
                let value = param_value(s);
                let how = crate::emit::styled_tokens(
                    s.param.style,
                    s.param.explode,
                    s.param.allow_reserved,
                );
                let name = &s.param.name;
                quote! { query.add(#name, #how, #value); }
            }))
            .collect();
        if pushes.is_empty() {
            return (quote! {}, path_arg);
        }
        let new_query = runtime::client::encode_query_new();
        (
            quote! {
                let mut query = #new_query();
                #(#pushes)*
                let path = query.after(#path_arg);
            },
            quote! { &path },
        )
    }

    /// A 3.2 querystring parameter is the whole (flat) form: reqwest
    /// form-encodes it and appends it to the query.
    fn querystring(&self) -> TokenStream {
        let sets = self.slots_in(ParameterLocation::QueryString).map(|s| {
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
        quote! { #(#sets)* }
    }

    /// Header parameters; one left unset (or empty) is not sent.
    fn header_params(&self) -> TokenStream {
        let styled_header = runtime::client::encode_styled_header();
        let pushes = self.slots_in(ParameterLocation::Header).map(|s| {
            let value = param_value(s);
            let how = crate::emit::styled_tokens(s.param.style, s.param.explode, false);
            let name = &s.param.name;
            quote! {
                if let Some(value) = #styled_header(#name, #how, #value)? {
                    request = request.header(#name, value);
                }
            }
        });
        quote! { #(#pushes)* }
    }

    /// Cookie parameters: one `Cookie` header for them all.
    fn cookies(&self) -> Option<TokenStream> {
        let pushes: Vec<TokenStream> = self
            .slots_in(ParameterLocation::Cookie)
            .map(|s| {
                let value = param_value(s);
                let how = crate::emit::styled_tokens(s.param.style, s.param.explode, false);
                let name = &s.param.name;
                quote! { cookies.add(#name, #how, #value); }
            })
            .collect();
        (!pushes.is_empty()).then(|| {
            let new_cookies = runtime::client::encode_cookies_new();
            let cookie = runtime::reqwest::header_cookie();
            quote! {
                let mut cookies = #new_cookies();
                #(#pushes)*
                if let Some(value) = cookies.value() {
                    request = request.header(#cookie, value);
                }
            }
        })
    }

    /// Credentials: the first alternative whose schemes are all configured.
    /// The statements that gather them, and what the call takes.
    fn credentials(
        &self,
        schemes: &[&SecurityScheme],
        scheme_methods: &[String],
    ) -> (TokenStream, TokenStream) {
        let alternatives: Vec<TokenStream> = self
            .op
            .security
            .iter()
            .filter(|alt| !alt.schemes.is_empty())
            .filter_map(|alt| credential_alternative(alt, schemes, scheme_methods))
            .collect();
        if alternatives.is_empty() {
            return (quote! {}, quote! { Vec::new() });
        }
        (
            quote! {
                let creds = &self.client.credentials;
                let mut auth = Vec::new();
                #(#alternatives)else*
            },
            quote! { auth },
        )
    }

    /// The body, encoded as it travels.
    fn body_send(&self) -> Option<TokenStream> {
        let (b, k) = self.body.as_ref()?;
        Some(if let BodyKind::Parts(_) = k {
            self.parts_send(b)
        } else if k.streams() {
            // A stream is sent once: `prepare` takes it out of the builder.
            let media = k.stream_media();
            let bytes = k.encode_stream(quote! { body });
            let encode_body = runtime::client::encode_body();
            quote! {
                if let Some(body) = self.body.take() {
                    request = #encode_body(request, #media, #bytes);
                }
            }
        } else if matches!(k, BodyKind::None) {
            quote! {}
        } else if b.required {
            self.held_body_send(b, k, quote! { &self.body })
        } else {
            let inner = self.held_body_send(b, k, quote! { body });
            quote! { if let Some(body) = &self.body { #inner } }
        })
    }

    /// A body held whole (`v`, a reference to it) set on the request.
    fn held_body_send(&self, b: &RequestBody, k: &BodyKind<'_>, v: TokenStream) -> TokenStream {
        match k {
            BodyKind::Json(_) if has_encoding_choice(self.op) => {
                let form = runtime::client::encode_form();
                quote! {
                    request = match self.encoding {
                        RequestEncoding::Json => request.json(#v),
                        RequestEncoding::Form => #form(request, #v)?,
                    };
                }
            }
            BodyKind::Json(_) => quote! { request = request.json(#v); },
            BodyKind::Form(_) => {
                let form = runtime::client::encode_form();
                quote! { request = #form(request, #v)?; }
            }
            BodyKind::Text => {
                let media = b
                    .contents
                    .first()
                    .map(|c| c.media_type.clone())
                    .unwrap_or_default();
                let header = runtime::reqwest::header_content_type();
                quote! { request = request.header(#header, #media).body(::std::string::ToString::to_string(#v)); }
            }
            BodyKind::Multipart(media) => {
                let header = runtime::reqwest::header_content_type();
                quote! {
                    let content_type = self.content_type.as_deref().unwrap_or(#media);
                    request = request.header(#header, content_type).body(::std::clone::Clone::clone(#v));
                }
            }
            // Streams are taken out of the builder (see `body_send`).
            BodyKind::Events(_)
            | BodyKind::JsonSeq(..)
            | BodyKind::Binary(_)
            | BodyKind::Parts(_)
            | BodyKind::None => quote! {},
        }
    }

    /// A typed form: each property a part; files stream from their source.
    fn parts_send(&self, b: &RequestBody) -> TokenStream {
        let writes = form_fields(self.r.api(), b)
            .unwrap_or_default()
            .into_iter()
            .map(|f| {
                let (wire, rust) = (f.wire, ident(f.rust));
                match f.kind {
                    FormKind::File => quote! { form.file(#wire, body.#rust); },
                    FormKind::Files => quote! { form.files(#wire, body.#rust); },
                    FormKind::Value(_, true) => quote! { form.text(#wire, &body.#rust)?; },
                    FormKind::Value(_, false) => quote! { form.json(#wire, &body.#rust)?; },
                    FormKind::Values(_, true) => quote! { form.texts(#wire, &body.#rust)?; },
                    FormKind::Values(_, false) => {
                        quote! { form.json_values(#wire, &body.#rust)?; }
                    }
                }
            });
        let new_form = runtime::client::multipart_new();
        quote! {
            if let Some(body) = self.body.take() {
                let mut form = #new_form();
                #(#writes)*
                request = form.send(request);
            }
        }
    }
}

/// One path parameter, percent-encoded as its style writes it.
fn path_piece(s: &ParamSlot<'_>) -> TokenStream {
    let value = param_value(s);
    let (name, explode) = (&s.param.name, s.param.explode);
    if s.param.style == ParamStyle::Simple && !explode {
        let segment = runtime::client::encode_segment();
        quote! { &#segment(#value) }
    } else {
        let how = crate::emit::styled_tokens(s.param.style, explode, false);
        let styled_path = runtime::client::encode_styled_path();
        quote! { &#styled_path(#how, #name, #value) }
    }
}

/// One security alternative: applied when every one of its schemes is
/// configured (`None` for a scheme the client does not know).
fn credential_alternative(
    alt: &SecurityRequirement,
    schemes: &[&SecurityScheme],
    scheme_methods: &[String],
) -> Option<TokenStream> {
    let mut conds = Vec::new();
    let mut applies = Vec::new();
    for (name, _) in &alt.schemes {
        let i = schemes.iter().position(|s| &s.name == name)?;
        let f = ident(&scheme_methods[i]);
        conds.push(quote! { creds.#f.is_some() });
        applies.push(apply_credential(&schemes[i].kind, &f));
    }
    Some(if applies.len() == 1 {
        // One scheme: its own `if let` is the whole condition.
        let only = &applies[0];
        quote! { #only }
    } else {
        quote! { if #(#conds)&&* { #(#applies)* } }
    })
}

/// A configured credential (the builder's field `f`) put on the request as
/// its scheme says.
fn apply_credential(kind: &SecurityKind, f: &proc_macro2::Ident) -> TokenStream {
    match kind {
        SecurityKind::Bearer { .. } => {
            let bearer = runtime::client::apply_bearer();
            quote! { if let Some(token) = &creds.#f { auth.push(#bearer(token)); } }
        }
        SecurityKind::Basic => {
            let basic = runtime::client::apply_basic();
            quote! { if let Some((user, password)) = &creds.#f { auth.push(#basic(user, password)); } }
        }
        SecurityKind::ApiKeyHeader { header } => {
            let in_header = runtime::client::apply_header();
            quote! { if let Some(key) = &creds.#f { auth.push(#in_header(#header, key)); } }
        }
        SecurityKind::ApiKeyQuery { parameter } => {
            let in_query = runtime::client::apply_query();
            quote! { if let Some(key) = &creds.#f { auth.push(#in_query(#parameter, key)); } }
        }
        SecurityKind::ApiKeyCookie { cookie } => {
            let in_cookie = runtime::client::apply_cookie();
            quote! { if let Some(key) = &creds.#f { auth.push(#in_cookie(#cookie, key)); } }
        }
        SecurityKind::Other { .. } => quote! {},
    }
}

/// The request's method.
fn http_method(op: &Operation) -> TokenStream {
    match &op.method {
        // A token lowering checked (3.2 `query`, `additionalOperations`).
        crate::ir::Method::Other(name) => {
            let name = proc_macro2::Literal::byte_string(name.as_bytes());
            quote! { Method::from_bytes(#name).expect("an HTTP method token, checked when generated") }
        }
        standard => {
            let name = format_ident!("{}", standard.as_str());
            quote! { Method::#name }
        }
    }
}

/// A parameter's value as the runtime's encoders take it: a reference to
/// the field, or to its JSON text for a `content` parameter.
fn param_value(s: &ParamSlot<'_>) -> TokenStream {
    let f = &s.field;
    match (&s.param.shape, s.param.required) {
        (ParamShape::Json, true) => {
            let json = runtime::client::encode_json();
            quote! { &#json(&self.#f) }
        }
        (ParamShape::Json, false) => {
            let json = runtime::client::encode_json();
            quote! { &self.#f.as_ref().map(#json) }
        }
        _ => quote! { &self.#f },
    }
}
