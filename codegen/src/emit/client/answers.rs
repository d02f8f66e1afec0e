//! `send()` of a request builder: the request goes out, and every
//! documented answer is decoded into its variant of the operation's
//! response enum.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::responses::{header_repr, HeaderRepr};
use crate::emit::variants::{carries_status, variants, Rep, Variant};
use crate::emit::{runtime, BodyKind, TypeRenderer};
use crate::ir::{Operation, StatusCode};
use crate::naming::ident;
use crate::plan::Plan;

/// `send()`: reads the answer (streamed ones returned before the body is
/// read), then matches its status to the documented answers.
pub(super) fn send(
    plan: &Plan,
    op: &Operation,
    r: &TypeRenderer<'_>,
    self_param: &TokenStream,
) -> TokenStream {
    let response_ty = {
        let name = ident(&op.response_type);
        quote! { types::#name }
    };
    let vs = variants(plan, op);
    let arms = arms(&vs, r);
    let read = read(&vs, &arms.streams);
    let overlap = arms.overlap();
    let answer = arms.answer();
    // A short local name for the response enum keeps each answer's arm on
    // one line; spec names never appear unqualified in a body, so it
    // cannot shadow one.
    let answer_alias = (!vs.is_empty()).then(|| quote! { type Answer = #response_ty; });
    let send_doc = format!(
        " Sends the request and decodes the documented answer into [`types::{}`].",
        op.response_type
    );
    let operation = ident(&plan.operation(op).constant);
    // `send()` names the operation in every error `answer()` returns, from
    // preparing the request to decoding the answer.
    quote! {
        #[doc = #send_doc]
        pub async fn send(self) -> Result<#response_ty, Error> {
            self.answer().await.map_err(|e| e.in_operation(op::#operation))
        }
        #overlap
        async fn answer(#self_param) -> Result<#response_ty, Error> {
            #answer_alias
            #read
            #answer
        }
    }
}

/// The documented answers, by where they are matched.
struct Arms {
    /// `200 => ..`: one per documented code.
    codes: Vec<TokenStream>,
    /// `200..=299 => ..`: one per documented range.
    ranges: Vec<TokenStream>,
    /// Streamed answers, returned before the body is read.
    streams: Vec<TokenStream>,
    /// The `default` answer, else the error of an undocumented one.
    default: TokenStream,
}

impl Arms {
    /// `200 => .., 200..=299 => ..`: the first arm wins, on purpose.
    fn overlap(&self) -> TokenStream {
        if !self.codes.is_empty() && !self.ranges.is_empty() {
            quote! { #[allow(clippy::match_overlapping_arm)] }
        } else {
            TokenStream::new()
        }
    }

    /// The answer for `status`: a lone default arm is the whole answer (a
    /// one-arm `match` is a lint).
    fn answer(self) -> TokenStream {
        let Arms {
            codes,
            ranges,
            default,
            ..
        } = self;
        if codes.is_empty() && ranges.is_empty() {
            return default;
        }
        quote! {
            match status {
                #(#codes)*
                #(#ranges)*
                _ => #default,
            }
        }
    }
}

/// Each documented answer's arm, and its early return when it streams.
fn arms(vs: &[Variant<'_>], r: &TypeRenderer<'_>) -> Arms {
    let mut arms = Arms {
        codes: Vec::new(),
        ranges: Vec::new(),
        streams: Vec::new(),
        default: {
            let unexpected = runtime::client::decode_unexpected();
            quote! { #unexpected(status, headers, body) }
        },
    };
    for v in vs {
        // A streamed answer is returned before the body is read.
        if let Some(cond) = status_condition(v, vs) {
            arms.streams.extend(streamed_returns(v, r, &cond));
            // The whole answer streams: it has no arm.
            if v.response.body_type.is_none() && v.body.streams() {
                continue;
            }
        }
        let value = answer_value(v, r, decoded(v));
        match v.response.status {
            StatusCode::Code(c) => {
                let c = Literal::u16_unsuffixed(c);
                arms.codes.push(quote! { #c => Ok(#value), })
            }
            StatusCode::Range(x) => {
                let lo = Literal::u16_unsuffixed(x * 100);
                let hi = Literal::u16_unsuffixed(x * 100 + 99);
                arms.ranges.push(quote! { #lo..=#hi => Ok(#value), });
            }
            StatusCode::Default => arms.default = quote! { Ok(#value) },
        }
    }
    arms
}

/// A body of this kind from the body read whole (`None`: the answer has no
/// body).
fn decode_body(kind: &BodyKind<'_>) -> Option<TokenStream> {
    match kind {
        // Forms are request bodies only.
        BodyKind::None | BodyKind::Parts(_) => None,
        BodyKind::Json(_) | BodyKind::Form(_) => {
            let json = runtime::client::decode_json();
            Some(quote! { #json(status, headers, body)? })
        }
        BodyKind::Text => {
            let text = runtime::client::decode_text();
            Some(quote! { #text(status, headers, body)? })
        }
        BodyKind::Multipart(_) => Some(quote! { body }),
        // Read whole already (a `default` answer, or a representation
        // chosen after reading): streamed from memory.
        BodyKind::Events(_) | BodyKind::JsonSeq(..) | BodyKind::Binary(_) => {
            let from = runtime::byte_stream_from();
            Some(kind.decode_stream(quote! { #from(body) }))
        }
    }
}

/// The body of an answer read whole. Several representations: the
/// `Content-Type` says which came; anything else is taken for the
/// preferred one.
fn decoded(v: &Variant<'_>) -> Option<TokenStream> {
    let (Some(e), Some((first, rest))) = (&v.response.body_type, v.reps.split_first()) else {
        return decode_body(&v.body);
    };
    let e = ident(e);
    // A streamed representation came back before this (but a `default`
    // answer's is read here).
    let read_here =
        |rep: &&Rep<'_>| !rep.kind.streams() || v.response.status == StatusCode::Default;
    let arms: Vec<_> = rest
        .iter()
        .filter(read_here)
        .map(|rep| {
            let rname = ident(rep.name);
            let pats = &rep.media;
            let d = decode_body(&rep.kind);
            quote! { #(#pats)|* => types::#e::#rname(#d), }
        })
        .collect();
    let fname = ident(first.name);
    let fallback = decode_body(&first.kind);
    Some(if arms.is_empty() {
        quote! { types::#e::#fname(#fallback) }
    } else {
        let media_type = runtime::client::decode_media_type();
        quote! {
            match #media_type(&headers).as_str() {
                #(#arms)*
                _ => types::#e::#fname(#fallback),
            }
        }
    })
}

/// An answer's value in the response enum (`Answer`), its body `decoded`.
fn answer_value(
    v: &Variant<'_>,
    r: &TypeRenderer<'_>,
    decoded: Option<TokenStream>,
) -> TokenStream {
    let vname = ident(&v.name);
    // Bytes are the body as received: field init shorthand.
    let bare = v.reps.is_empty() && matches!(v.body, BodyKind::Multipart(_));
    let Some(h) = &v.response.headers_type else {
        return match (carries_status(v.response.status), decoded) {
            (false, None) => quote! { Answer::#vname },
            (false, Some(d)) => quote! { Answer::#vname(#d) },
            (true, None) => quote! { Answer::#vname { status } },
            (true, Some(_)) if bare => quote! { Answer::#vname { status, body } },
            (true, Some(d)) => quote! { Answer::#vname { status, body: #d } },
        };
    };
    let h = ident(h);
    let fields = header_reads(v, r);
    let status = carries_status(v.response.status).then(|| quote! { status, });
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
}

/// The documented headers of an answer, each field read from `headers`.
fn header_reads(v: &Variant<'_>, r: &TypeRenderer<'_>) -> Vec<TokenStream> {
    v.response
        .headers
        .iter()
        .map(|hd| {
            let f = ident(&hd.rust_name);
            let name = &hd.name;
            let read = match header_repr(r.api(), hd) {
                HeaderRepr::Text => runtime::client::decode_header_text(),
                HeaderRepr::Parsed | HeaderRepr::DateTime => {
                    runtime::client::decode_header_parsed()
                }
            };
            quote! { #f: #read(&headers, #name) }
        })
        .collect()
}

/// Whether the status is this answer's, as an expression of `status` (a
/// `default` answer has none: it is read whole, see [`decode_body`]).
fn status_condition(v: &Variant<'_>, vs: &[Variant<'_>]) -> Option<TokenStream> {
    match v.response.status {
        StatusCode::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            Some(quote! { status == #c })
        }
        StatusCode::Range(x) => {
            let lo = Literal::u16_unsuffixed(x * 100);
            let hi = Literal::u16_unsuffixed(x * 100 + 99);
            // A documented code in the range has its own answer.
            let codes: Vec<_> = vs
                .iter()
                .filter_map(|o| match o.response.status {
                    StatusCode::Code(c) if c / 100 == x => Some(Literal::u16_unsuffixed(c)),
                    _ => None,
                })
                .collect();
            Some(if codes.is_empty() {
                quote! { (#lo..=#hi).contains(&status) }
            } else {
                quote! { (#lo..=#hi).contains(&status) && !matches!(status, #(#codes)|*) }
            })
        }
        StatusCode::Default => None,
    }
}

/// The early returns of an answer that streams (`cond`: its status), one
/// per streamed representation: the body is left to the caller unread.
fn streamed_returns(v: &Variant<'_>, r: &TypeRenderer<'_>, cond: &TokenStream) -> Vec<TokenStream> {
    let head = v.response.headers_type.is_some().then(|| {
        let head = runtime::client::decode_head();
        quote! { let headers = #head(&response); }
    });
    let stream = runtime::client::decode_stream();
    let Some(e) = &v.response.body_type else {
        if !v.body.streams() {
            return Vec::new();
        }
        let d = v.body.decode_stream(quote! { #stream(response) });
        let value = answer_value(v, r, Some(d));
        return vec![quote! {
            if #cond {
                #head
                return Ok(#value);
            }
        }];
    };
    let e = ident(e);
    let media_type = runtime::client::decode_media_type();
    v.reps
        .iter()
        .filter(|rep| rep.kind.streams())
        .map(|rep| {
            let rname = ident(rep.name);
            let pats = &rep.media;
            let d = rep.kind.decode_stream(quote! { #stream(response) });
            let value = answer_value(v, r, Some(quote! { types::#e::#rname(#d) }));
            quote! {
                if #cond && matches!(#media_type(response.headers()).as_str(), #(#pats)|*) {
                    #head
                    return Ok(#value);
                }
            }
        })
        .collect()
}

/// How the answer is read: opened first when some answer streams (its
/// early returns, `streams`, come before the body is read), else read
/// whole. What no answer uses is bound with a leading `_`.
fn read(vs: &[Variant<'_>], streams: &[TokenStream]) -> TokenStream {
    let headers_binding = if reads_headers(vs) {
        quote! { headers }
    } else {
        quote! { _headers }
    };
    let body_binding = if reads_body(vs) {
        quote! { body }
    } else {
        quote! { _body }
    };
    if streams.is_empty() {
        quote! {
            let (status, #headers_binding, #body_binding) = self.prepare()?.send(self.retry.as_ref()).await?;
        }
    } else {
        let read = runtime::client::decode_read();
        quote! {
            let response = self.prepare()?.open(self.retry.as_ref()).await?;
            let status = response.status().as_u16();
            #(#streams)*
            let (status, #headers_binding, #body_binding) = #read(response).await?;
        }
    }
}

/// The answers read after the body is read whole (what they use is bound):
/// a streamed answer returned before that uses neither headers nor body.
fn read_whole<'v, 'a>(vs: &'v [Variant<'a>]) -> impl Iterator<Item = &'v Variant<'a>> {
    vs.iter().filter(|v| {
        !(v.reps.is_empty() && v.body.streams() && v.response.status != StatusCode::Default)
    })
}

/// A `default` answer is documented: without one, the error of an
/// undocumented answer takes both headers and body.
fn default_overridden(vs: &[Variant<'_>]) -> bool {
    vs.iter().any(|v| v.response.status == StatusCode::Default)
}

fn reads_body(vs: &[Variant<'_>]) -> bool {
    !default_overridden(vs)
        || read_whole(vs).any(|v| !v.reps.is_empty() || !matches!(v.body, BodyKind::None))
}

fn reads_headers(vs: &[Variant<'_>]) -> bool {
    let takes_headers =
        |k: &BodyKind<'_>| matches!(k, BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Text);
    !default_overridden(vs)
        || read_whole(vs).any(|v| {
            let chosen_by_type = v.reps.split_first().is_some_and(|(first, rest)| {
                takes_headers(&first.kind)
                    || rest
                        .iter()
                        .any(|r| !r.kind.streams() || v.response.status == StatusCode::Default)
            });
            v.response.headers_type.is_some()
                || chosen_by_type
                || (v.reps.is_empty() && takes_headers(&v.body))
        })
}
