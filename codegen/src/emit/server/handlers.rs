//! One handler per operation: a list of runtime calls that extract,
//! parse and check every input, then call the trait.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;
use crate::emit::form::{FormField, FormKind};
use crate::ir::{ParamShape, ParamStyle, RequestBody};

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

    /// One operation's handler: the request is extracted, every input
    /// parsed and checked, the credentials found; only then is the trait
    /// called, and its outcome is the reply.
    pub(super) fn handler(&mut self, resource: usize, op: &Operation) -> TokenStream {
        let name = self.handler_name(op);
        let segments = url_segments(&op.path.raw);
        let (param_stmts, mut field_inits) = self.param_checks(op, &segments);
        let (body_stmts, body_init) = self.body_checks(op).unzip();
        field_inits.extend(body_init);
        // Negotiation: nothing documented is acceptable is a `406`.
        let accept = crate::emit::variants::offered(op).map(|all| {
            field_inits.push(quote! { accept });
            let accept = runtime::server::headers_accept();
            quote! { let accept = #accept(&headers, &[#(#all),*])?; }
        });
        let credentials = self.presented_credentials(op);
        let needs_query = self.needs_query(op);
        let read = self.read_request(op, &segments, needs_query);
        let (query, query_arg) = if needs_query {
            let pairs = runtime::server::query_pairs();
            (
                quote! { let query = #pairs(uri.query()); },
                quote! { &query },
            )
        } else {
            (quote! {}, quote! { &[] })
        };
        let call = self.call(resource, op, &field_inits);
        let service = ident(&self.plan.service);
        // Not routed: the earlier operation with its method and route gets
        // its requests (E0050). Kept rather than dropped, so the validators
        // only it uses are not dead code either.
        let unrouted = self
            .shadowed
            .contains_key(&op.type_name)
            .then(|| quote! { #[allow(dead_code)] });
        let (raw, answer) = (runtime::server::raw(), runtime::server::answer());
        let new_inputs = runtime::server::inputs_new();
        quote! {
            #unrouted
            async fn #name<S: #service>(State(service): State<Arc<S>>, raw: #raw) -> #answer {
                // Rejections of axum's own extractors become JSON problems too.
                #read
                #query
                let mut inp = #new_inputs(&params, #query_arg, &headers);
                #(#param_stmts)*
                #body_stmts
                #accept
                #credentials
                #call
            }
        }
    }

    /// The call, once every input passed: the input struct built from
    /// `field_inits`, the trait's method called, its outcome the reply.
    fn call(&self, resource: usize, op: &Operation, field_inits: &[TokenStream]) -> TokenStream {
        let input = self.input_type(op);
        let method = ident(&self.plan.operation(op).method);
        let trait_name = ident(self.plan.trait_name(resource));
        let answer = runtime::server::reply_answer();
        quote! {
            inp.finish()?;
            let input = #input { #(#field_inits,)* credentials };
            let outcome = <S as #trait_name>::#method(&service, input).await;
            #answer(outcome)
        }
    }

    /// Whether the handler reads the query: a query parameter, or an API
    /// key sent there.
    fn needs_query(&self, op: &Operation) -> bool {
        op.parameters.iter().any(|p| {
            matches!(
                p.location,
                ParameterLocation::Query | ParameterLocation::QueryString
            )
        }) || op.security.iter().flat_map(|a| &a.schemes).any(|(n, _)| {
            self.schemes
                .iter()
                .any(|s| &s.name == n && matches!(s.kind, SecurityKind::ApiKeyQuery { .. }))
        })
    }

    /// The request's parts: a streamed body is left to arrive, any other
    /// read whole. What the handler does not use is bound with a leading `_`.
    fn read_request(
        &self,
        op: &Operation,
        segments: &[(String, String, Vec<String>, usize)],
        needs_query: bool,
    ) -> TokenStream {
        let kind = op
            .request_body
            .as_ref()
            .map(|b| crate::emit::form::request_kind(self.api, b));
        let body_used = kind.is_some_and(|k| !matches!(k, BodyKind::None));
        let bytes_arg = if body_used {
            quote! { bytes }
        } else {
            quote! { _bytes }
        };
        let uri_arg = if needs_query {
            quote! { uri }
        } else {
            quote! { _uri }
        };
        // One (marker, field) pair per URL segment holding parameters, named by
        // its first parameter; a path without parameters cannot hold invalid UTF-8.
        let mut seen = BTreeSet::new();
        let first_per_segment: Vec<_> = segments.iter().filter(|s| seen.insert(&s.0)).collect();
        let markers = first_per_segment.iter().map(|(seg, ..)| format!("`{seg}`"));
        let segment_fields = first_per_segment
            .iter()
            .map(|(_, name, ..)| format!("path.{name}"));
        if kind.is_some_and(|k| k.streams()) {
            quote! { let (params, #uri_arg, headers, #bytes_arg) = raw.open(&[#((#markers, #segment_fields)),*])?; }
        } else {
            let read = if body_used {
                quote! { read_with_body }
            } else {
                quote! { read_without_body }
            };
            quote! { let (params, #uri_arg, headers, #bytes_arg) = raw.#read(&[#((#markers, #segment_fields)),*]).await?; }
        }
    }

    /// Every parameter's statements (extract, parse, check), and its input
    /// field's init. Parameters are bound to `p_<field>` locals: the
    /// generated body's own locals never start with `p_`, so no spec name
    /// can shadow them.
    fn param_checks(
        &mut self,
        op: &Operation,
        segments: &[(String, String, Vec<String>, usize)],
    ) -> (Vec<TokenStream>, Vec<TokenStream>) {
        let mut stmts = Vec::new();
        let mut inits = Vec::new();
        let fields = self.param_fields(op);
        let required_fn = runtime::server::required();
        for (p, field_name) in &fields {
            let f = &quote::format_ident!("p_{}", field_name);
            let field = format!("{}.{}", location_name(p.location), p.name);
            let checked = match p.location {
                ParameterLocation::QueryString => Some(self.querystring_param(p, f)),
                _ => self.styled_param(p, f, &field, &fields, segments),
            };
            // A parameter the path or its type cannot hold is left out.
            let Some(checked) = checked else {
                continue;
            };
            stmts.push(checked);
            let required = &p.name;
            let from_required = quote! { #field_name: #required_fn(#f, #required)? };
            match p.location {
                // Its route matched: a path parameter is there.
                ParameterLocation::Path => inits.push(from_required),
                _ if !p.required => inits.push(quote! { #field_name: #f }),
                // Its reader reports a missing query string.
                ParameterLocation::QueryString => inits.push(from_required),
                _ => {
                    stmts.push(quote! { inp.require(#f.is_some(), #field); });
                    inits.push(from_required);
                }
            }
        }
        (stmts, inits)
    }

    /// A path, query, header or cookie parameter read in its style into
    /// `f` (an `Option`), then checked. `None` when it cannot be read: a
    /// path parameter the route lacks, a list whose type is not one.
    fn styled_param(
        &mut self,
        p: &Parameter,
        f: &proc_macro2::Ident,
        field: &str,
        fields: &[(&Parameter, proc_macro2::Ident)],
        segments: &[(String, String, Vec<String>, usize)],
    ) -> Option<TokenStream> {
        let (param, at_path) = style_param(p, segments)?;
        match &p.shape {
            ParamShape::List => self.list_param(p, f, field, &param),
            ParamShape::Object { keys } => {
                let keys = match keys {
                    Some(keys) => {
                        let only = runtime::server::keys_only();
                        quote! { #only(&[#(#keys),*]) }
                    }
                    // Free-form: the object's keys are the names no other
                    // parameter here takes.
                    None => {
                        let others = fields
                            .iter()
                            .filter(|(o, _)| o.location == p.location && o.name != p.name)
                            .map(|(o, _)| o.name.as_str());
                        let except = runtime::server::keys_except();
                        quote! { #except(&[#(#others),*]) }
                    }
                };
                Some(self.object_param(p, f, field, &param, keys))
            }
            ParamShape::Scalar | ParamShape::Json => {
                Some(self.scalar_param(p, f, field, &param, at_path.as_ref()))
            }
        }
    }

    /// A list parameter: each item parsed and checked on its own
    /// (`field[]`), then the list's own limits.
    fn list_param(
        &mut self,
        p: &Parameter,
        f: &proc_macro2::Ident,
        field: &str,
        param: &TokenStream,
    ) -> Option<TokenStream> {
        let Ty::Array(item) = &p.schema.ty else {
            return None;
        };
        let item_param = Parameter {
            schema: (**item).clone(),
            ..p.clone()
        };
        let item_field = format!("{field}[]");
        let (parser, checks) = self.param_parser(&item_param, &item_field);
        let one = runtime::server::parse_one();
        let parse = quote! { #one(raw, #item_field, &mut inp.violations, #parser) };
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
        let limited = c.min_items.is_some() || c.max_items.is_some() || c.unique_items;
        let check_items = limited.then(|| {
            let count = super::validation::count(c.min_items, c.max_items, c.unique_items);
            let items = runtime::server::checks_items();
            quote! { #items(&items, #field, #count, &mut inp.violations); }
        });
        Some(quote! {
            let #f = match inp.items(#param)? {
                Some(raws) => {
                    let items: Vec<_> = raws.iter().filter_map(#each).collect();
                    #check_items
                    Some(items)
                }
                None => None,
            };
        })
    }

    /// An object parameter (its members named by `keys`), decoded whole
    /// and checked.
    fn object_param(
        &mut self,
        p: &Parameter,
        f: &proc_macro2::Ident,
        field: &str,
        param: &TokenStream,
        keys: TokenStream,
    ) -> TokenStream {
        let t = self.r.ty(&p.schema);
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

    /// A scalar parameter, or one given as JSON text (`content`), parsed
    /// and checked. `at_path`: how a path parameter is read from the URL
    /// (`segment` and its capture, or `path` and its `Segment::part`).
    fn scalar_param(
        &mut self,
        p: &Parameter,
        f: &proc_macro2::Ident,
        field: &str,
        param: &TokenStream,
        at_path: Option<&(TokenStream, TokenStream)>,
    ) -> TokenStream {
        let name = &p.name;
        let (parser, checks) = self.param_parser(p, field);
        let parser = if p.shape == ParamShape::Json {
            let (t, json) = (self.r.ty(&p.schema), runtime::server::parse_json());
            quote! { #json::<#t> }
        } else {
            parser
        };
        let checks = checked(f, checks);
        // A scalar reads the same in every query style and in `simple`
        // paths: the short calls.
        let call = match (p.location, at_path) {
            (ParameterLocation::Path, Some((method, at))) if p.style == ParamStyle::Simple => {
                quote! { inp.#method(#at, #name, #parser)? }
            }
            (ParameterLocation::Query, _) => quote! { inp.query(#name, #parser) },
            (ParameterLocation::Header, _) => quote! { inp.header(#name, #parser) },
            _ => quote! { inp.value(#param, #parser)? },
        };
        quote! {
            let #f = #call;
            #checks
        }
    }

    /// A 3.2 querystring parameter: the whole query decoded as a form,
    /// then checked.
    fn querystring_param(&mut self, p: &Parameter, f: &proc_macro2::Ident) -> TokenStream {
        let t = self.r.ty(&p.schema);
        let checks = self.checks(
            &p.schema,
            quote! { value },
            &quote! { "query" },
            &quote! { &mut inp.violations },
        );
        let checks = checked(f, checks);
        let presence = presence(p.required);
        let form = runtime::server::query_form();
        quote! {
            let #f: Option<#t> = #form(uri.query(), #presence, &mut inp.violations);
            #checks
        }
    }

    /// The body's statements (read, decode, check) and its input field's
    /// init; `None` without a body.
    fn body_checks(&mut self, op: &Operation) -> Option<(TokenStream, TokenStream)> {
        let b = op.request_body.as_ref()?;
        let kind = crate::emit::form::request_kind(self.api, b);
        let stmts = match kind {
            BodyKind::Json(_) | BodyKind::Form(_) => self.decoded_body(b, kind)?,
            BodyKind::Parts(form_type) => return Some(self.parts_body(b, form_type)),
            BodyKind::Text => whole_body(b, runtime::server::body_text()),
            BodyKind::Multipart(_) => whole_body(b, runtime::server::body_raw()),
            BodyKind::Events(_) | BodyKind::JsonSeq(..) | BodyKind::Binary(_) => {
                streamed_body(b, kind)
            }
            BodyKind::None => return None,
        };
        let init = if b.required {
            let required = runtime::server::required();
            quote! { body: #required(body, "body")? }
        } else {
            quote! { body }
        };
        Some((stmts, init))
    }

    /// A JSON and/or form body, the common case: one call decodes it
    /// (checking its shape), then its constraints are checked.
    fn decoded_body(&mut self, b: &RequestBody, kind: BodyKind<'_>) -> Option<TokenStream> {
        let accepts_json = b.contents.iter().any(|c| is_json(&c.media_type));
        let accepts_form = b.contents.iter().any(|c| is_form(&c.media_type));
        let accepted = accepted_media(b);
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
        let body_ty = self.r.body_type(&kind)?;
        let (nullable, shape) = match kind {
            BodyKind::Json(Some(e)) => (
                allows_null(self.api, e, &mut BTreeSet::new()),
                self.shape_in_fn(e),
            ),
            _ => {
                let any = runtime::server::shape_any();
                (true, quote! { &#any })
            }
        };
        let validate =
            (!validate.is_empty()).then(|| quote! { if let Some(value) = &body { #validate } });
        let (decode, rule) = (runtime::server::body_decode(), runtime::server::body_rule());
        Some(quote! {
            let body: Option<#body_ty> = #decode(&bytes, &headers, &#rule {
                json: #accepts_json,
                form: #accepts_form,
                accepted: #accepted,
                required: #required,
                nullable: #nullable,
                shape: #shape,
            }, &mut inp.violations)?;
            #validate
        })
    }

    /// A typed `multipart/form-data` body: parts are read here (files
    /// spooled), and checked like parameters: each a `b_` local, the
    /// struct built after `finish`. Its statements and its field's init.
    fn parts_body(&mut self, b: &RequestBody, form_type: &str) -> (TokenStream, TokenStream) {
        let required = b.required;
        let fields = crate::emit::form::form_fields(self.api, b).unwrap_or_default();
        let files = fields
            .iter()
            .filter(|f| matches!(f.kind, FormKind::File | FormKind::Files))
            .map(|f| f.wire);
        let locals: Vec<_> = fields
            .iter()
            .map(|f| quote::format_ident!("b_{}", f.rust.trim_start_matches("r#")))
            .collect();
        let reads = fields
            .iter()
            .zip(&locals)
            .map(|(f, local)| self.part_read(f, local));
        let required_fn = runtime::server::required();
        let inits = fields.iter().zip(&locals).map(|(f, local)| {
            let rust = ident(f.rust);
            let wire = f.wire;
            match f.kind {
                FormKind::File | FormKind::Value(..) if f.required => {
                    quote! { #rust: #required_fn(#local, #wire)? }
                }
                _ => quote! { #rust: #local },
            }
        });
        let form_type = ident(form_type);
        let needs_present = !required
            || fields
                .iter()
                .any(|f| f.required && matches!(f.kind, FormKind::File | FormKind::Value(..)));
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
        let read = runtime::server::multipart_read();
        let presence = presence(required);
        let stmts = quote! {
            let form = #read(bytes, &headers, &[#(#files),*], #presence, &mut inp.violations).await?;
            #present
            let #binding = form.unwrap_or_default();
            #(#reads)*
        };
        let value = quote! { types::#form_type { #(#inits,)* } };
        let init = if required {
            quote! { body: #value }
        } else {
            quote! { body: if present { Some(#value) } else { None } }
        };
        (stmts, init)
    }

    /// One part of a typed form read into its `b_` local (`local`). A
    /// required part is required only when the form is `present`.
    fn part_read(&self, f: &FormField<'_>, local: &proc_macro2::Ident) -> TokenStream {
        let wire = f.wire;
        let presence = if f.required {
            let required_if = runtime::server::presence_required_if();
            quote! { #required_if(present) }
        } else {
            presence(false)
        };
        let read = match f.kind {
            FormKind::File => quote! { form.file(#wire, #presence, &mut inp.violations) },
            FormKind::Files => quote! { form.files(#wire) },
            FormKind::Value(e, true) => {
                let t = self.r.ty(e);
                quote! { form.text::<#t>(#wire, #presence, &mut inp.violations) }
            }
            FormKind::Value(e, false) => {
                let t = self.r.ty(e);
                quote! { form.json::<#t>(#wire, #presence, &mut inp.violations) }
            }
            FormKind::Values(e, true) => {
                let t = self.r.ty(e);
                quote! { form.texts::<#t>(#wire, &mut inp.violations) }
            }
            FormKind::Values(e, false) => {
                let t = self.r.ty(e);
                quote! { form.json_values::<#t>(#wire, &mut inp.violations) }
            }
        };
        quote! { let #local = #read; }
    }

    /// Credentials: the first alternative fully present (`Credentials::None`
    /// when the operation needs none, or `{}` is among its alternatives);
    /// none present is a `401`.
    fn presented_credentials(&self, op: &Operation) -> TokenStream {
        let alternatives: Vec<_> = op
            .security
            .iter()
            .filter(|a| !a.schemes.is_empty())
            .collect();
        if alternatives.is_empty() {
            return quote! { let credentials = Credentials::None; };
        }
        // Use the first scheme of an alternative as the presented credential.
        let mut tries = alternatives
            .iter()
            .filter_map(|alt| self.credential_try(&alt.schemes.first()?.0));
        // The first scheme's credential, else the next one's...
        let chain = match tries.next() {
            Some(first) => quote! { #first #(.or_else(|| #tries))* },
            // No scheme the server can read.
            None => quote! { None::<Credentials> },
        };
        let names: Vec<String> = alternatives
            .iter()
            .flat_map(|a| a.schemes.iter().map(|(n, _)| n.clone()))
            .collect();
        let message = format!("this operation needs credentials ({})", names.join(" or "));
        if op.security.iter().any(|a| a.schemes.is_empty()) {
            // `{}` among the alternatives: credentials are optional.
            quote! {
                let credentials = #chain.unwrap_or(Credentials::None);
            }
        } else {
            let unauthorized = runtime::server::reply_unauthorized();
            quote! {
                let credentials = #chain.ok_or_else(|| #unauthorized(#message))?;
            }
        }
    }

    /// The credential of the scheme `name` (an `Option`), taken from where
    /// the scheme puts it (`None`: a scheme the server cannot read).
    fn credential_try(&self, name: &str) -> Option<TokenStream> {
        let s = self.schemes.iter().find(|s| s.name == name)?;
        let v = self.scheme_variant(s);
        let extract = match &s.kind {
            SecurityKind::Bearer { .. } => {
                let bearer = runtime::server::credentials_bearer();
                quote! { #bearer(&headers) }
            }
            SecurityKind::Basic => {
                let basic = runtime::server::credentials_basic();
                quote! { #basic(&headers) }
            }
            SecurityKind::ApiKeyHeader { header } => {
                let api_key = runtime::server::credentials_api_key();
                quote! { #api_key(&headers, #header) }
            }
            SecurityKind::ApiKeyQuery { parameter } => {
                let api_key = runtime::server::credentials_api_key_in_query();
                quote! { #api_key(&query, #parameter) }
            }
            SecurityKind::ApiKeyCookie { cookie } => {
                let api_key = runtime::server::credentials_api_key_in_cookie();
                quote! { #api_key(&headers, #cookie) }
            }
            SecurityKind::Other { .. } => return None,
        };
        Some(quote! { #extract.map(Credentials::#v) })
    }
}

/// Where a parameter is, for the runtime's style readers (`Param`); for a
/// path parameter also how `Inputs` reads it (`segment("s3", ..)` for a
/// whole URL segment, `path(Segment::part(..), ..)` for one between
/// literals). `None`: a path parameter no segment of the route holds.
#[allow(clippy::type_complexity)]
fn style_param(
    p: &Parameter,
    segments: &[(String, String, Vec<String>, usize)],
) -> Option<(TokenStream, Option<(TokenStream, TokenStream)>)> {
    let name = &p.name;
    let exploded = p.explode.then(|| quote! { .exploded() });
    let style = crate::emit::style_tokens(p.style);
    Some(match p.location {
        ParameterLocation::Path => {
            let (seg_name, _, literals, index) = segments.iter().find(|s| s.1 == p.name)?;
            let at = segment(seg_name, literals, *index);
            let path = runtime::server::param_path();
            let param = quote! { #path(#name, #at, #style) #exploded };
            let read = if is_whole(literals, *index) {
                (quote! { segment }, quote! { #seg_name })
            } else {
                (quote! { path }, at)
            };
            (param, Some(read))
        }
        ParameterLocation::Query => {
            let query = runtime::server::param_query();
            (quote! { #query(#name, #style) #exploded }, None)
        }
        ParameterLocation::Header => {
            let header = runtime::server::param_header();
            (quote! { #header(#name) #exploded }, None)
        }
        _ => {
            let cookie = runtime::server::param_cookie();
            (quote! { #cookie(#name, #style) #exploded }, None)
        }
    })
}

/// `rt::path::Segment::whole("s3")`, or `Segment::part("s2", &["v", ""],
/// 0)` for a parameter between literals: where a path parameter is.
fn segment(capture: &str, literals: &[String], index: usize) -> TokenStream {
    if is_whole(literals, index) {
        let whole = runtime::server::segment_whole();
        return quote! { #whole(#capture) };
    }
    let part = runtime::server::segment_part();
    let index = proc_macro2::Literal::usize_unsuffixed(index);
    quote! { #part(#capture, &[#(#literals),*], #index) }
}

/// Whether a path parameter is its whole URL segment (no literals around).
fn is_whole(literals: &[String], index: usize) -> bool {
    index == 0 && literals.len() == 2 && literals.iter().all(String::is_empty)
}

/// `rt::Presence::Required` or `Optional`: whether an input must be sent.
fn presence(required: bool) -> TokenStream {
    if required {
        runtime::server::presence_required()
    } else {
        runtime::server::presence_optional()
    }
}

/// The media types a body may come as, for the `415` of any other.
fn accepted_media(b: &RequestBody) -> String {
    let accepted: Vec<&str> = b.contents.iter().map(|c| c.media_type.as_str()).collect();
    accepted.join(" or ")
}

/// A text or raw multipart body, read whole.
fn whole_body(b: &RequestBody, decode: TokenStream) -> TokenStream {
    let accepts_form = b.contents.iter().any(|c| is_form(&c.media_type));
    let (rule, presence) = (runtime::server::whole_rule(), presence(b.required));
    quote! {
        let body = #decode(
            &bytes,
            &headers,
            &#rule { accepts_form: #accepts_form, presence: #presence },
            &mut inp.violations,
        );
    }
}

/// A streamed body: read as it arrives, by the implementation.
fn streamed_body(b: &RequestBody, kind: BodyKind<'_>) -> TokenStream {
    let presence = presence(b.required);
    let value = kind.decode_stream(quote! { body });
    let map = (!matches!(kind, BodyKind::Binary(_))).then(|| quote! { .map(|body| #value) });
    let stream = runtime::server::body_stream();
    quote! {
        let body = #stream(bytes, &headers, #presence, &mut inp.violations)#map;
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
        Ty::String(StringFormat::DateTime) => runtime::server::parse_date_time(),
        Ty::String(StringFormat::Date) => runtime::server::parse_date(),
        // A mapped type reads its own JSON string form.
        Ty::String(StringFormat::Mapped(_)) => {
            let (parse, t) = (runtime::server::parse_from_string(), r.base_ty(ty));
            quote! { #parse::<#t> }
        }
        Ty::String(_) => runtime::server::parse_text(),
        Ty::Integer(f) => {
            let parse = runtime::server::parse_integer();
            let t = r.base_ty(&Ty::Integer(*f));
            quote! { #parse::<#t> }
        }
        Ty::Number(f) => {
            let parse = runtime::server::parse_number();
            let t = r.base_ty(&Ty::Number(*f));
            quote! { #parse::<#t> }
        }
        Ty::Boolean => runtime::server::parse_boolean(),
        Ty::Named(id) => {
            let t = r.base_ty(ty);
            match &api.types.get(*id).kind {
                TypeKind::Enum(e) => {
                    let values: Vec<String> = e.variants.iter().map(|v| v.value.clone()).collect();
                    let message = format!("must be one of: {}", values.join(", "));
                    // An open enum (it appears in answers) parses any value;
                    // its validator refuses an unlisted one.
                    let parse = runtime::server::parse_enumerated();
                    quote! { #parse::<#t>(#message) }
                }
                // An alias of a number (or a nullable one, `Option<i32>`)
                // has no JSON string form: read what it stands for.
                TypeKind::Alias(inner) if reads_as_text(&inner.ty) && inner.nullable => {
                    let parse = parse_scalar(api, &inner.ty, r);
                    quote! {
                        |raw: &str| -> Result<#t, String> { #parse(raw).map(Some) }
                    }
                }
                TypeKind::Alias(inner) if reads_as_text(&inner.ty) => {
                    parse_scalar(api, &inner.ty, r)
                }
                // An object where no style defines one (a list's item, a
                // property too deep) is JSON text, as the client writes it.
                TypeKind::Struct(_) => {
                    let (parse, t) = (runtime::server::parse_json(), r.base_ty(ty));
                    quote! { #parse::<#t> }
                }
                _ => {
                    let parse = runtime::server::parse_from_string();
                    quote! { #parse::<#t> }
                }
            }
        }
        _ => {
            let (parse, t) = (runtime::server::parse_json(), r.base_ty(ty));
            quote! { #parse::<#t> }
        }
    }
}

/// Whether an alias's target is read from the text by its own parser
/// rather than as a JSON string: a number, a boolean or a date. (An alias
/// of such an alias is still read as a JSON string: not seen in a spec.)
fn reads_as_text(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::Integer(_)
            | Ty::Number(_)
            | Ty::Boolean
            | Ty::String(StringFormat::DateTime | StringFormat::Date)
    )
}

pub(super) fn location_name(l: ParameterLocation) -> &'static str {
    match l {
        ParameterLocation::Path => "path",
        ParameterLocation::Query | ParameterLocation::QueryString => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}
