//! IR -> Rust tokens -> formatted source. One submodule per output part.

mod builders;
mod client;
pub mod docs;
pub mod form;
mod operations;
pub(crate) mod responses;
mod results;
pub mod runtime;
mod server;
mod types;
pub(crate) mod variants;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{
    Api, IntegerFormat, MediaContent, NumberFormat, StringFormat, Ty, TypeExpr, TypeId,
};
use crate::media::Media;
use crate::naming::ident;
use crate::plan::Plan;
use crate::settings::{FormatType, Settings};
use crate::GenerateError;

/// The module's statement of the runtime version it needs: one clear
/// compile error when the crate depends on an incompatible runtime.
pub fn runtime_contract() -> TokenStream {
    let mut parts = crate::RUNTIME_VERSION
        .split('.')
        .map(|p| p.parse::<u64>().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    let (major, minor, patch) = (next(), next(), next());
    let (major, minor, patch) = (
        proc_macro2::Literal::u64_unsuffixed(major),
        proc_macro2::Literal::u64_unsuffixed(minor),
        proc_macro2::Literal::u64_unsuffixed(patch),
    );
    let require_version = runtime::macros::require_version();
    quote! { #require_version!(#major, #minor, #patch); }
}

/// A part's tokens in chunks of whole items, built as they are consumed.
pub type Chunks<'a> = Box<dyn Iterator<Item = TokenStream> + 'a>;

/// Which part of a module: each is emitted independently from the same IR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Types,
    /// Present whenever the client or the server is.
    Operations,
    Client,
    Server,
}

impl PartKind {
    /// The part's module (and file) name.
    pub fn name(self) -> &'static str {
        match self {
            PartKind::Types => "types",
            PartKind::Operations => "operations",
            PartKind::Client => "client",
            PartKind::Server => "server",
        }
    }

    /// The part's tokens, in chunks of whole items: the first holds the
    /// part's inner attributes. Chunks let the formatter parse and print a
    /// large part a piece at a time instead of holding all of its syntax tree.
    pub fn emit_chunks<'a>(self, api: &'a Api, plan: &'a Plan) -> Chunks<'a> {
        match self {
            PartKind::Types => types::types(api, plan),
            PartKind::Operations => Box::new(std::iter::once(operations::operations(api, plan))),
            PartKind::Client => client::client(api, plan),
            PartKind::Server => server::server(api, plan),
        }
    }

    /// The part's tokens, whole.
    pub fn emit(self, api: &Api, plan: &Plan) -> TokenStream {
        self.emit_chunks(api, plan).collect()
    }

    /// The parts the settings ask for, in module order.
    pub fn selected(settings: &Settings) -> Vec<PartKind> {
        let parts = settings.parts();
        [
            (parts.types, PartKind::Types),
            (parts.client || parts.server, PartKind::Operations),
            (parts.client, PartKind::Client),
            (parts.server, PartKind::Server),
        ]
        .into_iter()
        .filter_map(|(wanted, kind)| wanted.then_some(kind))
        .collect()
    }
}

/// Parses a part's tokens, consuming them.
pub fn parse_part(name: &str, tokens: TokenStream) -> Result<syn::File, GenerateError> {
    // For generator development: see the tokens that do not parse.
    let dump = std::env::var_os("CODEGEN_DUMP").map(|path| (path, tokens.to_string()));
    syn::parse2::<syn::File>(tokens).map_err(|e| {
        if let Some((path, text)) = dump {
            let _ = std::fs::write(path, text);
        }
        GenerateError::InvalidOutput {
            part: name.to_string(),
            message: e.to_string(),
        }
    })
}

/// The module's own doc attributes, from the spec's title and description.
pub fn module_docs(api: &Api) -> TokenStream {
    let mut paragraphs: Vec<String> = vec![format!("{} (version {})", api.title, api.version)];
    if let Some(d) = &api.description {
        paragraphs.push(d.clone());
    }
    paragraphs.push(format!(
        "Generated from `{}` by `codegen`.",
        file_name(&api.source)
    ));
    docs::inner_attrs(paragraphs.iter().map(String::as_str))
}

/// The spec's file name, for headers.
pub fn source_name(api: &Api) -> String {
    file_name(&api.source)
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// Renders IR type expressions as Rust types. `prefix` is the path to the
/// types module from where the tokens land (empty inside it).
pub struct TypeRenderer<'a> {
    api: &'a Api,
    prefix: TokenStream,
}

impl<'a> TypeRenderer<'a> {
    pub fn api(&self) -> &'a Api {
        self.api
    }

    pub fn new(api: &'a Api, prefix: TokenStream) -> Self {
        TypeRenderer { api, prefix }
    }

    /// The Rust type of an expression (with `Option` for nullable).
    pub fn ty(&self, e: &TypeExpr) -> TokenStream {
        self.ty_with(e, &|_| false)
    }

    pub fn base_ty(&self, ty: &Ty) -> TokenStream {
        self.base_ty_with(ty, &|_| false)
    }

    /// [`TypeRenderer::ty`], with each named type for which `erased`
    /// holds, wherever it appears, held in `::codegen_runtime::Boxed`
    /// (the references within a large cycle of types: see
    /// `types::Erasure`).
    pub fn ty_with(&self, e: &TypeExpr, erased: &dyn Fn(TypeId) -> bool) -> TokenStream {
        let base = self.base_ty_with(&e.ty, erased);
        if e.nullable && !matches!(e.ty, Ty::Any) {
            quote! { Option<#base> }
        } else {
            base
        }
    }

    /// [`TypeRenderer::base_ty`], with `erased` as in [`TypeRenderer::ty_with`].
    pub fn base_ty_with(&self, ty: &Ty, erased: &dyn Fn(TypeId) -> bool) -> TokenStream {
        match ty {
            Ty::Named(id) => {
                let name = ident(&self.api.types.get(*id).rust_name);
                let prefix = &self.prefix;
                if erased(*id) {
                    let boxed = runtime::boxed();
                    quote! { #boxed<#prefix #name> }
                } else {
                    quote! { #prefix #name }
                }
            }
            Ty::String(StringFormat::DateTime) => runtime::chrono::date_time_utc(),
            Ty::String(StringFormat::Date) => runtime::chrono::naive_date(),
            Ty::String(StringFormat::Mapped(t)) => mapped_type(*t),
            Ty::String(_) => quote! { String },
            Ty::Integer(IntegerFormat::Int32) => quote! { i32 },
            Ty::Integer(IntegerFormat::Int64) => quote! { i64 },
            Ty::Number(NumberFormat::Float) => quote! { f32 },
            Ty::Number(NumberFormat::Double) => quote! { f64 },
            Ty::Boolean => quote! { bool },
            Ty::Array(inner) => {
                let inner = self.ty_with(inner, erased);
                quote! { Vec<#inner> }
            }
            Ty::Map(inner) => {
                let inner = self.ty_with(inner, erased);
                quote! { ::std::collections::BTreeMap<String, #inner> }
            }
            Ty::Tuple(items) => {
                let items = items.iter().map(|i| self.ty_with(i, erased));
                quote! { (#(#items,)*) }
            }
            Ty::Object => runtime::serde_json::object(),
            Ty::Any => runtime::serde_json::value(),
            Ty::External(path) => external_type(path),
        }
    }

    /// The Rust type a response or request body of this kind carries.
    pub fn body_type(&self, body: &BodyKind<'_>) -> Option<TokenStream> {
        match body {
            BodyKind::None => None,
            BodyKind::Json(Some(e)) | BodyKind::Form(e) => Some(self.ty(e)),
            BodyKind::Json(None) => Some(runtime::serde_json::value()),
            BodyKind::Text => Some(quote! { String }),
            BodyKind::Events(data) => {
                let data = data.map_or_else(|| quote! { String }, |e| self.ty(e));
                let stream = runtime::event_stream();
                Some(quote! { #stream<#data> })
            }
            BodyKind::JsonSeq(_, item) => {
                let item = item.map_or_else(runtime::serde_json::value, |e| self.ty(e));
                let stream = runtime::json_stream();
                Some(quote! { #stream<#item> })
            }
            BodyKind::Multipart(_) => Some(quote! { Vec<u8> }),
            BodyKind::Binary(_) => Some(runtime::byte_stream()),
            BodyKind::Parts(name) => {
                let name = ident(name);
                let prefix = &self.prefix;
                Some(quote! { #prefix #name })
            }
        }
    }
}

/// How a body travels, decided from its media types.
#[derive(Debug, Clone, Copy)]
pub enum BodyKind<'a> {
    None,
    /// JSON, with its schema (`None`: any JSON).
    Json(Option<&'a TypeExpr>),
    /// `application/x-www-form-urlencoded`.
    Form(&'a TypeExpr),
    /// `text/*`.
    Text,
    /// Server-sent events, streamed: each event's data is JSON of this
    /// type, or text (`None`).
    Events(Option<&'a TypeExpr>),
    /// A JSON sequence of this media type, streamed; items of this type
    /// (`None`: any JSON).
    JsonSeq(&'a str, Option<&'a TypeExpr>),
    /// `multipart/*`, as the caller encoded it (its boundary is theirs).
    Multipart(&'a str),
    /// Anything else: bytes of this media type, streamed.
    Binary(&'a str),
    /// A `multipart/form-data` body as this form struct (see [`form`]).
    Parts(&'a str),
}

impl BodyKind<'_> {
    /// The body is a stream, never held whole.
    pub fn streams(&self) -> bool {
        matches!(
            self,
            BodyKind::Events(_) | BodyKind::JsonSeq(..) | BodyKind::Binary(_) | BodyKind::Parts(_)
        )
    }

    /// The media type a streamed body is sent with.
    pub fn stream_media(&self) -> &str {
        match self {
            BodyKind::Events(_) => "text/event-stream",
            BodyKind::JsonSeq(media, _) | BodyKind::Binary(media) => media,
            _ => "",
        }
    }

    fn framing(media: &str) -> TokenStream {
        if Media::of(media) == Media::JsonSeq {
            runtime::framing_record_separated()
        } else {
            runtime::framing_lines()
        }
    }

    /// A streamed body's value from `bytes` (a `ByteStream`).
    pub fn decode_stream(&self, bytes: TokenStream) -> TokenStream {
        match self {
            BodyKind::Events(Some(_)) => {
                let decode = runtime::event_stream_decode_json();
                quote! { #decode(#bytes) }
            }
            BodyKind::Events(None) => {
                let decode = runtime::event_stream_decode_text();
                quote! { #decode(#bytes) }
            }
            BodyKind::JsonSeq(media, _) => {
                let framing = Self::framing(media);
                let decode = runtime::json_stream_decode();
                quote! { #decode(#bytes, #framing) }
            }
            _ => bytes,
        }
    }

    /// A streamed body's `value` as a `ByteStream`.
    pub fn encode_stream(&self, value: TokenStream) -> TokenStream {
        match self {
            BodyKind::Events(Some(_)) => quote! { #value.encode_json() },
            BodyKind::Events(None) => quote! { #value.encode_text() },
            BodyKind::JsonSeq(media, _) => {
                let framing = Self::framing(media);
                quote! { #value.encode(#framing) }
            }
            _ => value,
        }
    }
}

pub(crate) use crate::media::{is_form, is_json};
/// How the client takes a parameter: the conformance program calls it.
pub(crate) use client::arg_type;

/// The preferred way to carry a body: JSON first, then a form, events,
/// JSON sequences, text, and bytes last (see
/// [`crate::media::representations`]).
pub fn body_kind(contents: &[MediaContent]) -> BodyKind<'_> {
    crate::media::representations(contents)
        .first()
        .map_or(BodyKind::None, |c| kind_of(c))
}

/// How a body of this one media type travels.
pub fn kind_of(c: &MediaContent) -> BodyKind<'_> {
    match Media::of(&c.media_type) {
        // Any media type, the content bytes (`*/*` with `format: binary`,
        // as apideck's downloads): not JSON text to decode.
        Media::Json
            if c.media_type.contains('*')
                && c.schema.as_ref().is_some_and(|s| {
                    matches!(s.ty, Ty::String(crate::ir::StringFormat::Binary))
                }) =>
        {
            BodyKind::Binary("application/octet-stream")
        }
        Media::Json => BodyKind::Json(c.schema.as_ref()),
        Media::Form if c.schema.is_some() => {
            c.schema.as_ref().map_or(BodyKind::None, BodyKind::Form)
        }
        Media::EventStream => {
            // String data is the text itself.
            let data = c
                .item
                .as_ref()
                .or(c.schema.as_ref())
                .filter(|t| !matches!(t.ty, Ty::String(_)));
            BodyKind::Events(data)
        }
        Media::JsonLines | Media::JsonSeq => {
            // A `schema` of a sequence describes it as an array of its items.
            let item = c.item.as_ref().or_else(|| {
                c.schema.as_ref().map(|s| match &s.ty {
                    Ty::Array(inner) => &**inner,
                    _ => s,
                })
            });
            BodyKind::JsonSeq(&c.media_type, item)
        }
        Media::Text => BodyKind::Text,
        Media::Multipart => BodyKind::Multipart(&c.media_type),
        Media::Form | Media::Binary => BodyKind::Binary(&c.media_type),
    }
}

/// The runtime's name of a style.
pub(crate) fn style_tokens(style: crate::ir::ParamStyle) -> TokenStream {
    use crate::ir::ParamStyle;
    match style {
        ParamStyle::Simple => runtime::style::simple(),
        ParamStyle::Label => runtime::style::label(),
        ParamStyle::Matrix => runtime::style::matrix(),
        ParamStyle::Form => runtime::style::form(),
        ParamStyle::SpaceDelimited => runtime::style::space_delimited(),
        ParamStyle::PipeDelimited => runtime::style::pipe_delimited(),
        ParamStyle::DeepObject => runtime::style::deep_object(),
        ParamStyle::Cookie => runtime::style::cookie(),
    }
}

/// A parameter's serialization rule as a reader would write it: the
/// style, then only what differs from OpenAPI's defaults (`explode` for
/// `form` and `cookie` only; reserved characters escaped), as the
/// runtime's `Styled` reads a bare style.
pub(crate) fn styled_tokens(
    style: crate::ir::ParamStyle,
    explode: bool,
    allow_reserved: bool,
) -> TokenStream {
    use crate::ir::ParamStyle;
    let base = style_tokens(style);
    let default_explode = matches!(style, ParamStyle::Form | ParamStyle::Cookie);
    let explode = match (explode, default_explode) {
        (true, false) => quote! { .exploded() },
        (false, true) => quote! { .unexploded() },
        _ => quote! {},
    };
    let reserved = allow_reserved.then(|| quote! { .allowing_reserved() });
    quote! { #base #explode #reserved }
}

/// The Rust type of a mapped string format: the runtime re-exports the
/// crates (generated code names no other crate), the standard library's
/// types are named by full path.
fn mapped_type(t: FormatType) -> TokenStream {
    match t {
        FormatType::String => quote! { String },
        FormatType::ChronoDateTime => runtime::chrono::date_time_utc(),
        FormatType::ChronoDate => runtime::chrono::naive_date(),
        FormatType::Uuid => runtime::formats::uuid(),
        FormatType::Url => runtime::formats::url(),
        FormatType::Decimal => runtime::formats::decimal(),
        FormatType::IpAddr => quote! { ::std::net::IpAddr },
        FormatType::Ipv4Addr => quote! { ::std::net::Ipv4Addr },
        FormatType::Ipv6Addr => quote! { ::std::net::Ipv6Addr },
    }
}

/// A user's type path (checked to parse as a type when the settings were
/// read; an unparsable one falls back to `serde_json::Value`, which
/// always compiles).
fn external_type(path: &str) -> TokenStream {
    syn::parse_str::<syn::Type>(path)
        .map_or_else(|_| runtime::serde_json::value(), |t| quote! { #t })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{MediaContent, StringFormat, TypeExpr};

    fn content(media_type: &str, ty: Ty) -> MediaContent {
        MediaContent {
            media_type: media_type.into(),
            schema: Some(TypeExpr::new(ty)),
            item: None,
            example: None,
        }
    }

    #[test]
    fn any_media_type_of_binary_content_is_bytes_not_json() {
        let any = content("*/*", Ty::String(StringFormat::Binary));
        assert!(matches!(kind_of(&any), BodyKind::Binary(_)));
        let text = content("*/*", Ty::String(StringFormat::Plain));
        assert!(matches!(kind_of(&text), BodyKind::Json(_)));
        let json = content("application/json", Ty::String(StringFormat::Binary));
        assert!(matches!(kind_of(&json), BodyKind::Json(_)));
    }
}
