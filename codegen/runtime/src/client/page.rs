//! Pagination: a paginated call as a stream of pages or of items, by the
//! scheme the spec declares (page number, offset, cursor, next URL,
//! RFC 8288 `Link` header).

use std::collections::HashSet;

use futures_util::stream::{self, Stream, TryStreamExt};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::auth::Apply;
use super::decode::{self, Read};
use super::encode::Query;
use super::{Call, Error, ErrorKind, Retry, Transport};
use crate::{Operation, Style};

/// Where a value is in a page's JSON body: object keys, and array indexes
/// (`-1` is the last item).
pub type Path = &'static [&'static str];

/// How the next page is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// A page-number query parameter, incremented per page; `size` is the
    /// page-size parameter (a shorter page is the last), `start` the
    /// first page's number when the request does not set it.
    Page {
        /// The page-number parameter.
        param: &'static str,
        /// The page-size parameter, if any.
        size: Option<&'static str>,
        /// The number of the first page.
        start: i64,
    },
    /// An offset query parameter, advanced by the items received; `limit`
    /// is the page-size parameter (a shorter page is the last).
    Offset {
        /// The offset parameter.
        param: &'static str,
        /// The page-size parameter, if any.
        limit: Option<&'static str>,
    },
    /// A cursor the response carries at `next`, sent back in the query
    /// parameter (or top-level JSON body property, `in_body`) `param`; an
    /// absent, `null` or empty cursor ends the list.
    Cursor {
        /// The cursor parameter or body property.
        param: &'static str,
        /// Whether `param` is a property of the JSON request body.
        in_body: bool,
        /// Where the next cursor is in the response body.
        next: Path,
    },
    /// The next page's URL (absolute or relative) at `next` in the body.
    NextUrl {
        /// Where the URL is in the response body.
        next: Path,
    },
    /// The `Link` header's `rel="next"` URL (RFC 8288).
    Link,
}

/// A paginated operation's scheme and where its items are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pager {
    scheme: Scheme,
    items: Path,
    total: Option<Path>,
    pages: Option<Path>,
    has_more: Option<Path>,
}

impl Pager {
    /// Pages by `scheme`, with the items of each page at `items`.
    pub const fn new(scheme: Scheme, items: Path) -> Self {
        Pager {
            scheme,
            items,
            total: None,
            pages: None,
            has_more: None,
        }
    }

    /// The total number of items is at `path`: the list ends once that
    /// many were received.
    pub const fn total(mut self, path: Path) -> Self {
        self.total = Some(path);
        self
    }

    /// The number of pages is at `path` (page-number scheme): the list
    /// ends at that page.
    pub const fn pages(mut self, path: Path) -> Self {
        self.pages = Some(path);
        self
    }

    /// A boolean at `path` says whether more pages follow.
    pub const fn has_more(mut self, path: Path) -> Self {
        self.has_more = Some(path);
        self
    }
}

/// The value at `path` in `value`.
pub fn walk<'v>(mut value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    for key in path {
        value = match value {
            Value::Object(map) => map.get(*key)?,
            Value::Array(items) => {
                let i: i64 = key.parse().ok()?;
                let i = if i < 0 {
                    items.len().checked_sub(i.unsigned_abs() as usize)?
                } else {
                    i as usize
                };
                items.get(i)?
            }
            _ => return None,
        };
    }
    Some(value)
}

/// [`walk`], for a value the caller owns.
fn walk_mut<'v>(mut value: &'v mut Value, path: &[&str]) -> Option<&'v mut Value> {
    for key in path {
        value = match value {
            Value::Object(map) => map.get_mut(*key)?,
            Value::Array(items) => {
                let i: i64 = key.parse().ok()?;
                let len = items.len();
                let i = if i < 0 {
                    len.checked_sub(i.unsigned_abs() as usize)?
                } else {
                    i as usize
                };
                items.get_mut(i)?
            }
            _ => return None,
        };
    }
    Some(value)
}

/// The `rel="next"` target of a `Link` header (RFC 8288), if any.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(value) = value.to_str() else { continue };
        for link in split_links(value) {
            let mut parts = link.split(';');
            let target = parts.next()?.trim();
            let Some(target) = target.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
                continue;
            };
            let is_next = parts.any(|p| {
                let Some((name, rels)) = p.split_once('=') else {
                    return false;
                };
                name.trim().eq_ignore_ascii_case("rel")
                    && rels
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return Some(target.to_string());
            }
        }
    }
    None
}

/// Splits a `Link` value at the commas between links (not those inside
/// `<...>` or quotes).
fn split_links(value: &str) -> Vec<&str> {
    let (mut out, mut start, mut angle, mut quote) = (Vec::new(), 0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            '<' if !quote => angle = true,
            '>' if !quote => angle = false,
            '"' if !angle => quote = !quote,
            ',' if !angle && !quote => {
                out.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&value[start..]);
    out
}

/// One page as received: the response and its parsed body.
struct Page {
    read: Read,
    value: Value,
}

/// Where the walk is: the next request to send, and what ends it.
struct State<'a> {
    transport: &'a Transport,
    op: Operation,
    auth: Vec<Apply<'a>>,
    retry: Option<Retry>,
    pager: &'static Pager,
    next: Option<reqwest::Request>,
    // Why the walk cannot go on, reported after the page that said so.
    failed: Option<Error>,
    received: u64,
    seen: HashSet<String>,
}

/// Every page's raw answer, following the pager.
fn raw<'a>(
    first: Result<Call<'a>, Error>,
    retry: Option<Retry>,
    pager: &'static Pager,
) -> impl Stream<Item = Result<Page, Error>> + 'a {
    let start = first.and_then(|call| {
        let request = call.request.build().map_err(Error::transport)?;
        Ok(State {
            transport: call.transport,
            op: call.op,
            auth: call.auth,
            retry,
            pager,
            next: Some(request),
            failed: None,
            received: 0,
            seen: HashSet::new(),
        })
    });
    stream::once(async move { start })
        .map_ok(|state| stream::try_unfold(state, step))
        .try_flatten()
}

async fn step(mut state: State<'_>) -> Result<Option<(Page, State<'_>)>, Error> {
    if let Some(e) = state.failed.take() {
        return Err(e);
    }
    let Some(request) = state.next.take() else {
        return Ok(None);
    };
    let Some(copy) = request.try_clone() else {
        return Err(ErrorKind::InvalidRequest(
            "a paginated request's body must be reusable".into(),
        )
        .into());
    };
    let read = state
        .transport
        .execute(state.op, request, &state.auth, state.retry.as_ref())
        .await?;
    let (status, headers, body) = read;
    if !(200..300).contains(&status) {
        return Err(ErrorKind::Page { status, body }.into());
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        // The same parse again, for the located error (the body moves into it).
        Err(_) => return decode::json::<Value>(status, headers, body).map(|_| None),
    };
    let count = walk(&value, state.pager.items)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    state.received += count as u64;
    match next_request(&mut state, copy, &headers, &value, count) {
        Ok(next) => state.next = next,
        Err(e) => state.failed = Some(e),
    }
    Ok(Some((
        Page {
            read: (status, headers, body),
            value,
        },
        state,
    )))
}

/// The request for the page after this one, or `None` at the last page.
fn next_request(
    state: &mut State<'_>,
    mut request: reqwest::Request,
    headers: &HeaderMap,
    value: &Value,
    count: usize,
) -> Result<Option<reqwest::Request>, Error> {
    let pager = state.pager;
    if let Some(more) = pager
        .has_more
        .and_then(|p| walk(value, p))
        .and_then(Value::as_bool)
    {
        if !more {
            return Ok(None);
        }
    }
    let total = pager
        .total
        .and_then(|p| walk(value, p))
        .and_then(Value::as_u64);
    if total.is_some_and(|t| state.received >= t) {
        return Ok(None);
    }
    let short = |size: Option<&str>, request: &reqwest::Request| {
        size.and_then(|s| query_value(request, s))
            .and_then(|s| s.parse::<usize>().ok())
            .is_some_and(|size| count < size)
    };
    match pager.scheme {
        Scheme::Page { param, size, start } => {
            if count == 0 || short(size, &request) {
                return Ok(None);
            }
            let page = query_value(&request, param)
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(start);
            let last = pager
                .pages
                .and_then(|p| walk(value, p))
                .and_then(Value::as_i64);
            // Pages count from `start`: page `start + n - 1` is the last of n.
            if last.is_some_and(|n| page >= start + n - 1) {
                return Ok(None);
            }
            set_query(&mut request, param, &(page + 1).to_string());
        }
        Scheme::Offset { param, limit } => {
            if count == 0 || short(limit, &request) {
                return Ok(None);
            }
            let offset = query_value(&request, param)
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(0);
            set_query(&mut request, param, &(offset + count as u64).to_string());
        }
        Scheme::Cursor {
            param,
            in_body,
            next,
        } => {
            let cursor = match walk(value, next) {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return Ok(None),
            };
            if !state.seen.insert(cursor.clone()) {
                return Err(ErrorKind::RepeatedCursor(cursor).into());
            }
            if in_body {
                set_body(&mut request, param, Value::String(cursor))?;
            } else {
                set_query(&mut request, param, &cursor);
            }
        }
        Scheme::NextUrl { next } => {
            let Some(url) = walk(value, next)
                .and_then(Value::as_str)
                .filter(|u| !u.is_empty())
            else {
                return Ok(None);
            };
            follow(state, &mut request, url)?;
        }
        Scheme::Link => {
            let Some(url) = next_link(headers) else {
                return Ok(None);
            };
            follow(state, &mut request, &url)?;
        }
    }
    Ok(Some(request))
}

/// Points `request` at `target` (relative to its URL), refusing a URL the
/// walk has already visited.
fn follow(
    state: &mut State<'_>,
    request: &mut reqwest::Request,
    target: &str,
) -> Result<(), Error> {
    let url = request.url().join(target).map_err(|e| {
        Error::from(ErrorKind::InvalidRequest(format!(
            "the next page's URL: {e}"
        )))
    })?;
    if !state.seen.insert(url.to_string()) {
        return Err(ErrorKind::RepeatedCursor(url.to_string()).into());
    }
    *request.url_mut() = url;
    Ok(())
}

fn query_value(request: &reqwest::Request, name: &str) -> Option<String> {
    request
        .url()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Replaces every `name` pair of the query with one `name=value`; the
/// other pairs keep their text as the parameter styles wrote it.
fn set_query(request: &mut reqwest::Request, name: &str, value: &str) {
    let mut query = Query::new();
    query.add(name, Style::Form, value);
    let added = query.after("");
    let kept: Vec<&str> = request
        .url()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| {
            let key = pair.split_once('=').map_or(*pair, |(k, _)| k);
            !pair.is_empty() && key != name && key != super::encode::path(name)
        })
        .collect();
    let mut text = kept.join("&");
    if !text.is_empty() {
        text.push('&');
    }
    text.push_str(&added[1..]);
    request.url_mut().set_query(Some(&text));
}

/// Sets a top-level property of the JSON request body.
fn set_body(request: &mut reqwest::Request, name: &str, value: Value) -> Result<(), Error> {
    let bytes = request.body().and_then(|b| b.as_bytes()).unwrap_or(b"{}");
    let mut body: Value = serde_json::from_slice(bytes).map_err(|_| {
        Error::from(ErrorKind::InvalidRequest(
            "a cursor goes in a JSON object body".into(),
        ))
    })?;
    let Some(object) = body.as_object_mut() else {
        return Err(ErrorKind::InvalidRequest("a cursor goes in a JSON object body".into()).into());
    };
    object.insert(name.to_string(), value);
    let bytes = serde_json::to_vec(&body)
        .map_err(|e| Error::from(ErrorKind::InvalidRequest(e.to_string())))?;
    *request.body_mut() = Some(bytes.into());
    Ok(())
}

/// Every page of a paginated call, decoded as `P` (the success body).
/// Every error names `op`, the paginated operation.
pub fn pages<'a, P: DeserializeOwned + 'a>(
    op: Operation,
    first: Result<Call<'a>, Error>,
    retry: Option<Retry>,
    pager: &'static Pager,
) -> impl Stream<Item = Result<P, Error>> + 'a {
    raw(first, retry, pager)
        .and_then(|page| async move {
            let (status, headers, body) = page.read;
            decode::json(status, headers, body)
        })
        .map_err(move |e| e.in_operation(op))
}

/// Every item of every page of a paginated call, decoded as `T`. Every
/// error names `op`, the paginated operation.
pub fn items<'a, T: DeserializeOwned + 'a>(
    op: Operation,
    first: Result<Call<'a>, Error>,
    retry: Option<Retry>,
    pager: &'static Pager,
) -> impl Stream<Item = Result<T, Error>> + 'a {
    raw(first, retry, pager)
        .map_ok(move |mut page| {
            let status = page.read.0;
            // The page is ours: its items are moved out, not copied.
            let items = match walk_mut(&mut page.value, pager.items) {
                Some(Value::Array(items)) => std::mem::take(items),
                _ => Vec::new(),
            };
            let decoded = items.into_iter().enumerate().map(move |(i, item)| {
                serde_json::from_value(item).map_err(|e| {
                    Error::from(ErrorKind::Decode {
                        status,
                        headers: Box::default(),
                        body: Vec::new(),
                        reason: format!("item {i} of a page: {:?} error", e.classify()),
                    })
                })
            });
            stream::iter(decoded)
        })
        .try_flatten()
        .map_err(move |e| e.in_operation(op))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use serde_json::json;

    #[test]
    fn walk_follows_keys_and_indexes() {
        let v = json!({"data": {"items": [{"id": 1}, {"id": 2}]}});
        assert_eq!(walk(&v, &["data", "items", "-1", "id"]), Some(&json!(2)));
        assert_eq!(walk(&v, &["data", "items", "0", "id"]), Some(&json!(1)));
        assert_eq!(walk(&v, &["data", "items", "5"]), None);
        assert_eq!(walk(&v, &["data", "missing"]), None);
        assert_eq!(walk(&v, &[]), Some(&v));
        let mut owned = v.clone();
        assert_eq!(
            walk_mut(&mut owned, &["data", "items", "-1", "id"]),
            Some(&mut json!(2))
        );
        assert_eq!(walk_mut(&mut owned, &["data", "items", "-9"]), None);
    }

    #[test]
    fn next_link_reads_rfc_8288() {
        let mut h = HeaderMap::new();
        h.insert(
            "link",
            HeaderValue::from_static(
                r#"<https://a/x?page=1>; rel="prev", <https://a/x?page=3,b>; rel="next last"; title="a, b""#,
            ),
        );
        assert_eq!(next_link(&h).as_deref(), Some("https://a/x?page=3,b"));
        h.insert("link", HeaderValue::from_static(r#"</x?page=2>; REL=next"#));
        assert_eq!(next_link(&h).as_deref(), Some("/x?page=2"));
        h.insert(
            "link",
            HeaderValue::from_static(r#"<https://a/x?page=1>; rel="prev""#),
        );
        assert_eq!(next_link(&h), None);
    }

    #[test]
    fn query_values_are_replaced_not_repeated() {
        let client = reqwest::Client::new();
        let mut r = client
            .get("http://h/p?page=2&q=a%20b&page=9")
            .build()
            .unwrap();
        set_query(&mut r, "page", "3");
        // The other pairs keep their text (`%20`, not `+`).
        assert_eq!(r.url().query(), Some("q=a%20b&page=3"));
        assert_eq!(query_value(&r, "page").as_deref(), Some("3"));
    }

    #[test]
    fn a_body_cursor_sets_a_property_and_keeps_the_others() {
        let client = reqwest::Client::new();
        let mut r = client
            .post("http://h/search")
            .json(&json!({"q": "x"}))
            .build()
            .unwrap();
        set_body(&mut r, "after", json!("c1")).unwrap();
        let body: Value = serde_json::from_slice(r.body().unwrap().as_bytes().unwrap()).unwrap();
        assert_eq!(body, json!({"q": "x", "after": "c1"}));
    }

    proptest::proptest! {
        #[test]
        fn split_links_never_panics_and_next_link_is_total(value in "[ -~]{0,80}") {
            let _ = split_links(&value);
            if let Ok(v) = HeaderValue::from_str(&value) {
                let mut h = HeaderMap::new();
                h.insert("link", v);
                let _ = next_link(&h);
            }
        }
    }
}
