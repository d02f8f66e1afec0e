//! `IntoResponse` for each operation's response enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;

impl Ctx<'_> {
    pub(super) fn response_impl(&self, op: &Operation) -> TokenStream {
        // An alias of an earlier operation's enum has that one's impl.
        if self.plan.same_responses.contains_key(&op.type_name) {
            return TokenStream::new();
        }
        let name = ident(&op.response_type);
        let arms = variants(self.plan, op).into_iter().map(|v| {
            let vname = ident(&v.name);
            let status = match v.response.status {
                StatusCode::Code(c) => {
                    let c = proc_macro2::Literal::u16_unsuffixed(c);
                    quote! { #c }
                }
                _ => quote! { status },
            };
            let reply = |kind: &BodyKind<'_>, media: Option<&str>| match kind {
                // Forms are request bodies only.
                BodyKind::None | BodyKind::Parts(_) => {
                    let empty = runtime::server::reply_empty();
                    quote! { #empty(#status) }
                }
                BodyKind::Json(_) | BodyKind::Form(_) => match media {
                    Some(media) => {
                        let json_as = runtime::server::reply_json_as();
                        quote! { #json_as(#status, #media, body) }
                    }
                    None => {
                        let json = runtime::server::reply_json();
                        quote! { #json(#status, body) }
                    }
                },
                BodyKind::Text => {
                    let media = media.unwrap_or("text/plain; charset=utf-8");
                    let typed = runtime::server::reply_typed();
                    quote! { #typed(#status, #media, body) }
                }
                BodyKind::Multipart(media) => {
                    let multipart = runtime::server::reply_multipart();
                    quote! { #multipart(#status, #media, body) }
                }
                kind @ (BodyKind::Events(_) | BodyKind::JsonSeq(..) | BodyKind::Binary(_)) => {
                    let media = kind.stream_media();
                    let bytes = kind.encode_stream(quote! { body });
                    let stream = runtime::server::reply_stream();
                    quote! { #stream(#status, #media, #bytes) }
                }
            };
            let body = match &v.response.body_type {
                // Each representation as its own media type.
                Some(enum_name) => {
                    let enum_name = ident(enum_name);
                    let arms = v.reps.iter().map(|rep| {
                        let rname = ident(rep.name);
                        let reply = reply(&rep.kind, Some(rep.sent_as()));
                        quote! { types::#enum_name::#rname(body) => #reply }
                    });
                    quote! { match body { #(#arms,)* } }
                }
                None => reply(&v.body, documented_media(&v).as_deref()),
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
                    let set_header = runtime::server::reply_set_header();
                    quote! {
                        if let Some(value) = &headers.#f {
                            #set_header(&mut response, #name, #text);
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
        let empty = op.responses.is_empty();
        let matcher = if empty {
            quote! { match self {} }
        } else {
            quote! { match self { #(#arms,)* } }
        };
        quote! {
            impl IntoResponse for types::#name {
                fn into_response(self) -> Response {
                    #matcher
                }
            }
        }
    }
}

/// The media type a one-representation answer is sent as, from the spec
/// (`application/json; charset=utf-8`, `application/hal+json`,
/// `text/html`): a validator compares it with the documented one. Text
/// without a `charset` is marked UTF-8 (what a Rust string is). `None`
/// for plain `application/json` (the default) and for a range or a text
/// no header can carry.
fn documented_media(v: &crate::emit::variants::Variant<'_>) -> Option<String> {
    let text = match v.body {
        BodyKind::Json(_) => false,
        BodyKind::Text => true,
        _ => return None,
    };
    let c = crate::media::representations(&v.response.contents)
        .into_iter()
        .next()?;
    let m = c.media_type.trim();
    let sendable = !m.is_empty()
        && !m.contains('*')
        && m.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
    if !sendable || m.eq_ignore_ascii_case("application/json") {
        return None;
    }
    Some(if text && !m.contains(';') {
        format!("{m}; charset=utf-8")
    } else {
        m.to_string()
    })
}
