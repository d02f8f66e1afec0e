//! `pages()` and `items()` of a paginated operation's request builder:
//! streams that follow the operation's declared pagination.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{runtime, TypeRenderer};
use crate::ir::{PageScheme, Pagination};

/// The two stream methods.
pub(super) fn methods(
    p: &Pagination,
    r: &TypeRenderer<'_>,
    self_param: &TokenStream,
    constant: &str,
) -> TokenStream {
    let operation = crate::naming::ident(constant);
    let page = r.ty(&p.page);
    let item = r.ty(&p.item);
    let pager = pager(p);
    let how = describe(p);
    let pages_doc = format!(
        " Every page of the list, as one stream: this request is the first page, then {how} \
         (declared by `{}`). A page answering anything but success ends the stream with \
         [`ErrorKind::Page`]; a repeated cursor with [`ErrorKind::RepeatedCursor`].",
        p.declared_by
    );
    let items_doc = format!(
        " Every item of every page (at `{}` in each page), as one stream; see `pages()`.",
        p.items.join(".")
    );
    let (pager_type, stream) = (runtime::client::pager(), runtime::client::stream());
    let (pages, items) = (runtime::client::page_pages(), runtime::client::page_items());
    quote! {
        /// How this operation's pages follow each other.
        const PAGER: #pager_type = #pager;

        #[doc = #pages_doc]
        pub fn pages(#self_param) -> impl #stream<Item = Result<#page, Error>> + 'a {
            #pages(op::#operation, self.prepare(), self.retry, &Self::PAGER)
        }

        #[doc = #items_doc]
        pub fn items(#self_param) -> impl #stream<Item = Result<#item, Error>> + 'a {
            #items(op::#operation, self.prepare(), self.retry, &Self::PAGER)
        }
    }
}

fn path(p: &[String]) -> TokenStream {
    quote! { &[#(#p),*] }
}

fn pager(p: &Pagination) -> TokenStream {
    let opt = |o: &Option<String>| match o {
        Some(s) => quote! { Some(#s) },
        None => quote! { None },
    };
    let scheme = match &p.scheme {
        PageScheme::Page { param, size, start } => {
            let size = opt(size);
            let page = runtime::client::scheme_page();
            quote! { #page { param: #param, size: #size, start: #start } }
        }
        PageScheme::Offset { param, limit } => {
            let limit = opt(limit);
            let offset = runtime::client::scheme_offset();
            quote! { #offset { param: #param, limit: #limit } }
        }
        PageScheme::Cursor {
            param,
            in_body,
            next,
        } => {
            let next = path(next);
            let cursor = runtime::client::scheme_cursor();
            quote! { #cursor { param: #param, in_body: #in_body, next: #next } }
        }
        PageScheme::NextUrl { next } => {
            let next = path(next);
            let next_url = runtime::client::scheme_next_url();
            quote! { #next_url { next: #next } }
        }
        PageScheme::Link => runtime::client::scheme_link(),
    };
    let items = path(&p.items);
    let total = p.total.as_deref().map(|t| {
        let t = path(t);
        quote! { .total(#t) }
    });
    let pages = p.pages.as_deref().map(|t| {
        let t = path(t);
        quote! { .pages(#t) }
    });
    let more = p.has_more.as_deref().map(|t| {
        let t = path(t);
        quote! { .has_more(#t) }
    });
    let new = runtime::client::pager_new();
    quote! { #new(#scheme, #items) #total #pages #more }
}

/// How the next page is asked for, in words.
fn describe(p: &Pagination) -> String {
    match &p.scheme {
        PageScheme::Page { param, .. } => format!("the next page number in `{param}`"),
        PageScheme::Offset { param, .. } => {
            format!("the offset in `{param}` advanced by the items received")
        }
        PageScheme::Cursor { param, next, .. } => {
            format!(
                "the cursor at `{}` of each page sent back as `{param}`",
                next.join(".")
            )
        }
        PageScheme::NextUrl { next } => format!("the URL at `{}` of each page", next.join(".")),
        PageScheme::Link => "the `Link: <...>; rel=\"next\"` URL of each page".into(),
    }
}
