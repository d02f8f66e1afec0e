//! A handler's parameters, read one call per parameter: the generated
//! handler says where each parameter is and how to parse it; [`Inputs`]
//! finds its text, parses it, names it in violations (`query.page`) and
//! collects them, so that one `400` lists every problem.

use std::borrow::Cow;

use axum::extract::RawPathParams;
use axum::http::HeaderMap;
use axum::response::Response;

use super::style::{self, At, Found, Keys, Param, Shape};
use super::{headers, parse, path, query, reply, Violation};
use crate::Style;

/// The raw inputs of one request and the violations found so far.
pub struct Inputs<'r> {
    params: &'r RawPathParams,
    query: &'r [(Cow<'r, str>, Cow<'r, str>)],
    headers: &'r HeaderMap,
    cookies: Option<Vec<(Cow<'r, str>, Cow<'r, str>)>>,
    /// What is wrong with the request so far; checks push here.
    pub violations: Vec<Violation>,
}

impl<'r> Inputs<'r> {
    /// Inputs read from these path parameters, query pairs and headers.
    pub fn new(
        params: &'r RawPathParams,
        query: &'r [(Cow<'r, str>, Cow<'r, str>)],
        headers: &'r HeaderMap,
    ) -> Self {
        Inputs {
            params,
            query,
            headers,
            cookies: None,
            violations: Vec::new(),
        }
    }

    /// The path parameter `name`, at `at` in the URL (see
    /// [`path::split_segment`]), parsed: `Err` (`404`) when the path does
    /// not match, `None` (and a violation) when it does not parse.
    pub fn path<T>(
        &mut self,
        at: path::Segment<'_>,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, Response> {
        let raw = path::value(self.params, at).ok_or_else(reply::not_found)?;
        Ok(parse::one(
            raw,
            &format!("path.{name}"),
            &mut self.violations,
            parse,
        ))
    }

    /// The path parameter `name` that is the whole URL segment the router
    /// captures as `capture` (`/pets/{id}`), parsed, as [`Inputs::path`].
    pub fn segment<T>(
        &mut self,
        capture: &str,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, Response> {
        self.path(path::Segment::whole(capture), name, parse)
    }

    /// The query parameter `name`, given at most once, parsed.
    pub fn query<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let mut raws = query::values(self.query, name).peekable();
        raws.peek()?;
        parse::single(raws, &format!("query.{name}"), &mut self.violations, parse)
    }

    /// Every value of the query parameter `name`, as given.
    pub fn query_values(&self, name: &'r str) -> Vec<&'r str> {
        query::values(self.query, name).collect()
    }

    /// The header `name`, parsed.
    pub fn header<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let raw = headers::text(self.headers, name, &mut self.violations)?;
        parse::one(raw, &format!("header.{name}"), &mut self.violations, parse)
    }

    /// The comma-separated items of the list header `name`, as given.
    pub fn header_values(&mut self, name: &str) -> Vec<&'r str> {
        headers::items(self.headers, name, &mut self.violations)
    }

    /// What the parameter `p` holds, read as `shape`: `Err` (`404`) when
    /// the path does not match, `None` when absent or (with a violation)
    /// not written in its style.
    fn found(
        &mut self,
        p: &Param<'_>,
        shape: Shape,
        keys: Keys<'_>,
    ) -> Result<Option<Found<'r>>, Response> {
        let (style, explode, name) = (p.style, p.explode, p.name);
        let found = match p.at {
            At::Path(at) => {
                let raw = path::value(self.params, at).ok_or_else(reply::not_found)?;
                Some(style::unpath(raw, style, explode, name, shape))
            }
            At::Header => headers::text(self.headers, name, &mut self.violations)
                .map(|raw| style::unpath(raw, style, explode, name, shape)),
            At::Query => style::unquery(self.query, name, style, explode, shape, keys),
            // `cookie` style is rare: read as it is, each time.
            At::Cookie if style == Style::Cookie => {
                let cookies = style::cookies(self.headers, style);
                style::unquery(&cookies, name, style, explode, shape, keys)
            }
            At::Cookie => {
                let headers = self.headers;
                let cookies = self
                    .cookies
                    .get_or_insert_with(|| style::cookies(headers, Style::Form));
                style::unquery(cookies, name, style, explode, shape, keys)
            }
        };
        Ok(match found {
            Some(Some(found)) => Some(found),
            Some(None) => {
                let what = match shape {
                    Shape::Scalar => "a value",
                    Shape::Items => "a list",
                    Shape::Pairs => "an object",
                };
                let message = format!("must be {what} in `{style:?}` style (explode: {explode})");
                self.violations.push(super::violation(&p.field(), &message));
                None
            }
            None => None,
        })
    }

    /// The scalar parameter `p`, parsed (see [`Param`] for where it is).
    pub fn value<T>(
        &mut self,
        p: Param<'_>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, Response> {
        Ok(match self.found(&p, Shape::Scalar, Keys::Only(&[]))? {
            Some(Found::Scalar(raw)) => parse::one(&raw, &p.field(), &mut self.violations, parse),
            _ => None,
        })
    }

    /// The items of the list parameter `p`, as given; `None` when absent.
    pub fn items(&mut self, p: Param<'_>) -> Result<Option<Vec<Cow<'r, str>>>, Response> {
        Ok(match self.found(&p, Shape::Items, Keys::Only(&[]))? {
            Some(Found::Items(items)) => Some(items),
            _ => None,
        })
    }

    /// The object parameter `p` as `T` (its properties parsed as form
    /// fields are); `keys` picks an exploded `form` object's pairs.
    pub fn object<T: serde::de::DeserializeOwned>(
        &mut self,
        p: Param<'_>,
        keys: Keys<'_>,
    ) -> Result<Option<T>, Response> {
        Ok(match self.found(&p, Shape::Pairs, keys)? {
            Some(Found::Pairs(pairs)) => match style::object(&pairs) {
                Ok(value) => Some(value),
                Err(e) => {
                    let message = format!("must be an object of the documented properties: {e}");
                    self.violations.push(super::violation(&p.field(), &message));
                    None
                }
            },
            _ => None,
        })
    }

    /// Flags the required input `field` (`query.page`) when absent.
    pub fn require(&mut self, present: bool, field: &str) {
        parse::require(present, field, &mut self.violations);
    }

    /// `Err` (`400` listing every violation) when any input is invalid.
    pub fn finish(&mut self) -> Result<(), Response> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(reply::invalid(std::mem::take(&mut self.violations)))
        }
    }
}

/// A required input's value once [`Inputs::finish`] passed (`Err`: a `400`
/// naming `name`, which only a generator bug could cause).
pub fn required<T>(value: Option<T>, name: &str) -> Result<T, Response> {
    value.ok_or_else(|| reply::missing(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn check(
        params: RawPathParams,
        uri: axum::http::Uri,
        headers: HeaderMap,
    ) -> &'static str {
        let q = query::pairs(uri.query());
        let mut inputs = Inputs::new(&params, &q, &headers);
        assert_eq!(
            inputs
                .path(
                    path::Segment::part("s2", &["v", ""], 0),
                    "version",
                    parse::integer::<u8>
                )
                .unwrap(),
            Some(6)
        );
        assert_eq!(
            inputs
                .path(path::Segment::whole("s1"), "id", parse::integer::<u8>)
                .unwrap(),
            None
        );
        assert_eq!(
            inputs
                .path(path::Segment::whole("s9"), "x", parse::text)
                .unwrap_err()
                .status(),
            404
        );
        assert_eq!(inputs.query("page", parse::integer::<i32>), Some(2));
        assert_eq!(inputs.query("size", parse::integer::<i32>), None);
        assert_eq!(inputs.query("absent", parse::integer::<i32>), None);
        assert_eq!(inputs.header("x-n", parse::integer::<i32>), Some(7));
        assert_eq!(inputs.header_values("x-list"), ["a", "b"]);
        assert_eq!(inputs.query_values("page"), ["2", "3"]);
        inputs.require(false, "query.absent");
        let fields: Vec<&str> = inputs.violations.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(
            fields,
            ["path.id", "query.page", "query.size", "query.absent"]
        );
        assert_eq!(inputs.finish().unwrap_err().status(), 400);
        assert!(inputs.finish().is_ok(), "violations are answered once");
        assert!(required(None::<u8>, "x").is_err());
        "checked"
    }

    #[tokio::test]
    async fn reads_names_and_collects() {
        use tower::ServiceExt as _;
        let app = axum::Router::new().route("/items/{s1}/{s2}", axum::routing::get(check));
        let request = axum::http::Request::get("/items/x/v6?page=2&page=3&size=x")
            .header("x-n", "7")
            .header("x-list", "a, b")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200);
    }
}
