//! Pagination declared by extensions: our `x-pagination`, and the shapes
//! of Speakeasy (`x-speakeasy-pagination`) and Fern (`x-fern-pagination`)
//! so specs annotated for those tools page without changes. Every form
//! lowers to one `ir::Pagination`; a declaration that cannot be followed
//! is a located warning and the operation keeps only `send()`.

use serde_json::Value;

use super::Lowerer;
use crate::diagnostic::join;
use crate::ir::{
    PageScheme, Pagination, Parameter, ParameterLocation, RequestBody, Response, StatusCode, Ty,
    TypeExpr, TypeKind,
};

/// What an extension declares, before it is checked against the operation.
#[derive(Debug, Default, PartialEq)]
struct Declared {
    scheme: Option<Scheme>,
    items: Option<Vec<String>>,
    total: Option<Vec<String>>,
    pages: Option<Vec<String>>,
    has_more: Option<Vec<String>>,
}

#[derive(Debug, PartialEq)]
enum Scheme {
    Page {
        param: String,
        size: Option<String>,
    },
    Offset {
        param: String,
        limit: Option<String>,
    },
    Cursor {
        param: String,
        next: Vec<String>,
    },
    NextUrl {
        next: Vec<String>,
    },
    Link,
}

/// The operation's parts pagination is checked against.
pub(super) struct Target<'o> {
    pub(super) params: &'o [Parameter],
    pub(super) body: Option<&'o RequestBody>,
    pub(super) responses: &'o [Response],
}

impl Lowerer<'_> {
    pub(super) fn pagination(
        &mut self,
        extensions: &indexmap::IndexMap<String, Value>,
        target: &Target<'_>,
        pointer: &str,
    ) -> Option<Pagination> {
        let (name, declared) = self.declared(extensions)?;
        let at = join(pointer, name);
        let declared = match declared {
            Ok(d) => d,
            Err(why) => {
                self.approximated(
                    &format!("`{name}` is not followed ({why}): the operation has `send()` only"),
                    &at,
                );
                return None;
            }
        };
        match self.check(declared, target) {
            Ok(mut p) => {
                p.declared_by = name.to_string();
                Some(p)
            }
            Err(why) => {
                self.approximated(
                    &format!("`{name}` is not followed ({why}): the operation has `send()` only"),
                    &at,
                );
                None
            }
        }
    }

    /// The first pagination extension the operation carries, parsed.
    fn declared(
        &self,
        extensions: &indexmap::IndexMap<String, Value>,
    ) -> Option<(&'static str, Result<Declared, String>)> {
        if let Some(v) = extensions.get("x-pagination") {
            return Some(("x-pagination", ours(v)));
        }
        if let Some(v) = extensions.get("x-speakeasy-pagination") {
            return Some(("x-speakeasy-pagination", speakeasy(v)));
        }
        match extensions.get("x-fern-pagination") {
            // `true` takes the document's own `x-fern-pagination` object.
            Some(Value::Bool(true)) => {
                let root = self.doc.extensions.get("x-fern-pagination");
                let parsed = match root {
                    Some(v @ Value::Object(_)) => fern(v),
                    _ => Err(
                        "`true` needs an `x-fern-pagination` object at the document's top level"
                            .into(),
                    ),
                };
                Some(("x-fern-pagination", parsed))
            }
            Some(Value::Bool(false)) | None => None,
            Some(v) => Some(("x-fern-pagination", fern(v))),
        }
    }

    /// The declaration against the operation: parameters that exist, a
    /// success body with an array where the items are said to be.
    fn check(&self, d: Declared, target: &Target<'_>) -> Result<Pagination, String> {
        let scheme = d
            .scheme
            .ok_or("no scheme: say `page`, `offset`, `cursor`, `next_url` or `link`")?;
        let page = success_body(target.responses).ok_or("no success response with a JSON body")?;
        let items = d.items.ok_or("no `items`: where a page's items are")?;
        let item = self.array_item(page, &items)?;
        let query = |name: &str| -> Result<&Parameter, String> {
            target
                .params
                .iter()
                .find(|p| p.name == name && p.location == ParameterLocation::Query)
                .ok_or_else(|| format!("no query parameter `{name}`"))
        };
        let scheme = match scheme {
            Scheme::Page { param, size } => {
                let p = query(&param)?;
                if let Some(size) = &size {
                    query(size)?;
                }
                PageScheme::Page {
                    start: first_page(&p.schema),
                    param,
                    size,
                }
            }
            Scheme::Offset { param, limit } => {
                query(&param)?;
                if let Some(limit) = &limit {
                    query(limit)?;
                }
                PageScheme::Offset { param, limit }
            }
            Scheme::Cursor { param, next } => {
                let in_body = if query(&param).is_ok() {
                    false
                } else if self.body_has(target.body, &param) {
                    true
                } else {
                    return Err(format!(
                        "no query parameter or JSON body property `{param}` for the cursor"
                    ));
                };
                PageScheme::Cursor {
                    param,
                    in_body,
                    next,
                }
            }
            Scheme::NextUrl { next } => PageScheme::NextUrl { next },
            Scheme::Link => PageScheme::Link,
        };
        Ok(Pagination {
            scheme,
            items,
            total: d.total,
            pages: d.pages,
            has_more: d.has_more,
            page: page.clone(),
            item,
            declared_by: String::new(),
        })
    }

    /// The item type of the array at `path` in `body`.
    fn array_item(&self, body: &TypeExpr, path: &[String]) -> Result<TypeExpr, String> {
        let mut at = body;
        for key in path {
            at = self
                .property(at, key)
                .ok_or_else(|| format!("the success body has no property `{}`", path.join(".")))?;
        }
        match &self.resolved(at).ty {
            Ty::Array(item) => Ok((**item).clone()),
            _ => Err(format!(
                "`{}` in the success body is not an array",
                path.join(".")
            )),
        }
    }

    /// Follows aliases to the type expression a name stands for.
    fn resolved<'e>(&'e self, mut expr: &'e TypeExpr) -> &'e TypeExpr {
        // Bounded: an alias cycle is refused before lowering gets here.
        for _ in 0..64 {
            match &expr.ty {
                Ty::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(inner) => expr = inner,
                    _ => return expr,
                },
                _ => return expr,
            }
        }
        expr
    }

    fn property<'e>(&'e self, expr: &'e TypeExpr, key: &str) -> Option<&'e TypeExpr> {
        match &self.resolved(expr).ty {
            Ty::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .find(|f| f.spec_name == key)
                    .map(|f| &f.schema),
                _ => None,
            },
            _ => None,
        }
    }

    fn body_has(&self, body: Option<&RequestBody>, name: &str) -> bool {
        body.and_then(|b| {
            b.contents
                .iter()
                .find(|c| crate::media::is_json(&c.media_type))
        })
        .and_then(|c| c.schema.as_ref())
        .is_some_and(|s| self.property(s, name).is_some())
    }
}

/// The JSON body of the first success response.
fn success_body(responses: &[Response]) -> Option<&TypeExpr> {
    responses
        .iter()
        .filter(|r| match r.status {
            StatusCode::Code(c) => (200..300).contains(&c),
            StatusCode::Range(r) => r == 2,
            StatusCode::Default => false,
        })
        .find_map(|r| {
            r.contents
                .iter()
                .find(|c| crate::media::is_json(&c.media_type))
                .and_then(|c| c.schema.as_ref())
        })
}

/// The first page's number: the parameter's default, else its minimum,
/// else 1.
fn first_page(schema: &TypeExpr) -> i64 {
    schema
        .default
        .as_ref()
        .and_then(|d| d.as_i64().or_else(|| d.as_str()?.parse().ok()))
        .or(schema
            .constraints
            .minimum
            .and_then(|m| (m.fract() == 0.0).then_some(m as i64)))
        .unwrap_or(1)
}

/// A path into a response: `$.a.b[0]`, `$response.a.b`, `a.b`, `/a/b`.
pub(super) fn path(text: &str) -> Result<Vec<String>, String> {
    let t = text.trim();
    let rest = t
        .strip_prefix("$response")
        .or_else(|| t.strip_prefix('$'))
        .unwrap_or(t);
    let mut out = Vec::new();
    if rest.starts_with('/') {
        // A JSON pointer.
        for seg in rest.split('/').skip(1) {
            out.push(seg.replace("~1", "/").replace("~0", "~"));
        }
        return Ok(out);
    }
    for part in rest.split('.').filter(|p| !p.is_empty()) {
        let (key, mut indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(key.to_string());
        }
        while let Some(close) = indexes.find(']') {
            let inner = indexes[1..close].trim_matches(|c| c == '\'' || c == '"');
            if inner.is_empty() || inner.contains('*') || inner.contains('?') || inner.contains(':')
            {
                return Err(format!("`{text}` selects more than one value"));
            }
            out.push(inner.to_string());
            indexes = &indexes[close + 1..];
        }
    }
    if out.iter().any(|s| s == "*") {
        return Err(format!("`{text}` selects more than one value"));
    }
    Ok(out)
}

fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn path_at(v: &Value, key: &str) -> Result<Option<Vec<String>>, String> {
    text(v, key).map(path).transpose()
}

/// Our `x-pagination`: one of `page`, `offset`, `cursor` (a parameter
/// name), `next_url` (a path) or `link: true`; `size`/`limit`, `next`,
/// `items`, `total`, `pages`, `has_more`.
fn ours(v: &Value) -> Result<Declared, String> {
    if !v.is_object() {
        return Err("it must be an object".into());
    }
    let name = |key: &str| text(v, key).map(str::to_string);
    let scheme = if let Some(param) = name("page") {
        Scheme::Page {
            param,
            size: name("size"),
        }
    } else if let Some(param) = name("offset") {
        Scheme::Offset {
            param,
            limit: name("limit"),
        }
    } else if let Some(param) = name("cursor") {
        let next = path_at(v, "next")?
            .ok_or("`cursor` needs `next`: where the response holds the next cursor")?;
        Scheme::Cursor { param, next }
    } else if let Some(next) = path_at(v, "next_url")? {
        Scheme::NextUrl { next }
    } else if v.get("link") == Some(&Value::Bool(true)) {
        Scheme::Link
    } else {
        return Err("no scheme: say `page`, `offset`, `cursor`, `next_url` or `link: true`".into());
    };
    Ok(Declared {
        scheme: Some(scheme),
        items: path_at(v, "items")?,
        total: path_at(v, "total")?,
        pages: path_at(v, "pages")?,
        has_more: path_at(v, "has_more")?,
    })
}

/// Speakeasy: `type` (`offsetLimit`, `cursor`, `url`), `inputs` (`name`,
/// `in`, `type`: page, offset, limit, cursor) and `outputs` (`results`,
/// `nextCursor`, `numPages`, `nextUrl`).
fn speakeasy(v: &Value) -> Result<Declared, String> {
    let inputs: Vec<(&str, &str)> = v
        .get("inputs")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|i| Some((text(i, "name")?, text(i, "type")?)))
                .collect()
        })
        .unwrap_or_default();
    let input = |kind: &str| {
        inputs
            .iter()
            .find(|(_, t)| *t == kind)
            .map(|(n, _)| n.to_string())
    };
    let outputs = v.get("outputs").cloned().unwrap_or(Value::Null);
    let scheme = match text(v, "type") {
        Some("offsetLimit") => match (input("page"), input("offset")) {
            (Some(param), _) => Scheme::Page {
                param,
                size: input("limit"),
            },
            (None, Some(param)) => Scheme::Offset {
                param,
                limit: input("limit"),
            },
            (None, None) => return Err("`offsetLimit` needs a `page` or `offset` input".into()),
        },
        Some("cursor") => Scheme::Cursor {
            param: input("cursor").ok_or("`cursor` needs a `cursor` input")?,
            next: path_at(&outputs, "nextCursor")?.ok_or("`cursor` needs `outputs.nextCursor`")?,
        },
        Some("url") => Scheme::NextUrl {
            next: path_at(&outputs, "nextUrl")?.ok_or("`url` needs `outputs.nextUrl`")?,
        },
        other => return Err(format!("unknown `type` {other:?}")),
    };
    Ok(Declared {
        scheme: Some(scheme),
        items: path_at(&outputs, "results")?,
        total: None,
        pages: path_at(&outputs, "numPages")?,
        has_more: None,
    })
}

/// Fern: `cursor`/`next_cursor`, `offset` (with `step`: an offset, without:
/// a page number), `next_uri`/`next_path`, `results`, `has-next-page`;
/// request values as `$request.name`, response values as `$response.a.b`.
fn fern(v: &Value) -> Result<Declared, String> {
    let request = |key: &str| -> Result<Option<String>, String> {
        let Some(t) = text(v, key) else {
            return Ok(None);
        };
        let name = t.trim().strip_prefix("$request.").unwrap_or(t.trim());
        if name.contains('.') {
            return Err(format!(
                "`{key}: {t}` is nested; only a top-level parameter or property is followed"
            ));
        }
        Ok(Some(name.to_string()))
    };
    let scheme = if let Some(param) = request("cursor")? {
        let next = path_at(v, "next_cursor")?.ok_or("`cursor` needs `next_cursor`")?;
        Scheme::Cursor { param, next }
    } else if let Some(param) = request("offset")? {
        match request("step")? {
            Some(limit) => Scheme::Offset {
                param,
                limit: Some(limit),
            },
            None => Scheme::Page { param, size: None },
        }
    } else if let Some(next) = path_at(v, "next_uri")?.or(path_at(v, "next_path")?) {
        Scheme::NextUrl { next }
    } else {
        return Err("no `cursor`, `offset`, `next_uri` or `next_path`".into());
    };
    Ok(Declared {
        scheme: Some(scheme),
        items: path_at(v, "results")?,
        total: None,
        pages: None,
        has_more: path_at(v, "has-next-page")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn paths_read_jsonpath_fern_expressions_and_pointers() {
        assert_eq!(path("$.data.items").unwrap(), p(&["data", "items"]));
        assert_eq!(path("$response.meta.next").unwrap(), p(&["meta", "next"]));
        assert_eq!(
            path("$.data.resultArray[-1].created_at").unwrap(),
            p(&["data", "resultArray", "-1", "created_at"])
        );
        assert_eq!(path("$['data'].items").unwrap(), p(&["data", "items"]));
        assert_eq!(path("/data/a~1b").unwrap(), p(&["data", "a/b"]));
        assert_eq!(path("results").unwrap(), p(&["results"]));
        assert!(path("$.data[*].id").is_err());
    }

    #[test]
    fn our_shape_names_one_scheme() {
        let d = ours(&json!({"page": "page", "size": "perPage", "items": "$.items", "total": "$.totalCount"})).unwrap();
        assert_eq!(
            d.scheme,
            Some(Scheme::Page {
                param: "page".into(),
                size: Some("perPage".into())
            })
        );
        assert_eq!(d.total, Some(p(&["totalCount"])));
        let d =
            ours(&json!({"cursor": "after", "next": "$.meta.next", "items": "$.data"})).unwrap();
        assert_eq!(
            d.scheme,
            Some(Scheme::Cursor {
                param: "after".into(),
                next: p(&["meta", "next"])
            })
        );
        assert_eq!(
            ours(&json!({"link": true, "items": "$"})).unwrap().scheme,
            Some(Scheme::Link)
        );
        assert!(ours(&json!({"items": "$.x"})).is_err());
        assert!(ours(&json!({"cursor": "c"})).unwrap_err().contains("next"));
    }

    #[test]
    fn speakeasy_shapes_map_onto_ours() {
        let d = speakeasy(&json!({
            "type": "offsetLimit",
            "inputs": [{"name": "page", "in": "parameters", "type": "page"}, {"name": "limit", "in": "parameters", "type": "limit"}],
            "outputs": {"results": "$.data.resultArray", "numPages": "$.meta.pages"}
        }))
        .unwrap();
        assert_eq!(
            d.scheme,
            Some(Scheme::Page {
                param: "page".into(),
                size: Some("limit".into())
            })
        );
        assert_eq!(d.items, Some(p(&["data", "resultArray"])));
        assert_eq!(d.pages, Some(p(&["meta", "pages"])));
        let d = speakeasy(&json!({
            "type": "cursor",
            "inputs": [{"name": "since", "in": "requestBody", "type": "cursor"}],
            "outputs": {"nextCursor": "$.data.resultArray[-1].created_at", "results": "$.data.resultArray"}
        }))
        .unwrap();
        assert_eq!(
            d.scheme,
            Some(Scheme::Cursor {
                param: "since".into(),
                next: p(&["data", "resultArray", "-1", "created_at"])
            })
        );
        let d = speakeasy(
            &json!({"type": "url", "outputs": {"nextUrl": "$.next", "results": "$.items"}}),
        )
        .unwrap();
        assert_eq!(d.scheme, Some(Scheme::NextUrl { next: p(&["next"]) }));
        assert!(speakeasy(&json!({"type": "weird"})).is_err());
    }

    #[test]
    fn fern_shapes_map_onto_ours() {
        let d = fern(&json!({"cursor": "$request.cursor", "next_cursor": "$response.next", "results": "$response.data"})).unwrap();
        assert_eq!(
            d.scheme,
            Some(Scheme::Cursor {
                param: "cursor".into(),
                next: p(&["next"])
            })
        );
        assert_eq!(d.items, Some(p(&["data"])));
        let d = fern(&json!({"offset": "$request.page", "results": "$response.items", "has-next-page": "$response.more"})).unwrap();
        assert_eq!(
            d.scheme,
            Some(Scheme::Page {
                param: "page".into(),
                size: None
            })
        );
        assert_eq!(d.has_more, Some(p(&["more"])));
        let d = fern(&json!({"offset": "$request.offset", "step": "$request.limit", "results": "$response.items"})).unwrap();
        assert_eq!(
            d.scheme,
            Some(Scheme::Offset {
                param: "offset".into(),
                limit: Some("limit".into())
            })
        );
        let d = fern(&json!({"next_uri": "$response.links.next", "results": "$response.items"}))
            .unwrap();
        assert_eq!(
            d.scheme,
            Some(Scheme::NextUrl {
                next: p(&["links", "next"])
            })
        );
        assert!(
            fern(&json!({"cursor": "$request.page.cursor", "next_cursor": "$response.n"})).is_err()
        );
    }
}
