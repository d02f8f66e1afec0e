//! Path parameters. The generated router names each URL segment that holds
//! parameters `{sN}` (N: the segment's index); a segment may hold several
//! parameters between literals (`v{version}`, `{base}...{head}`).

use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::RawPathParams;
use axum::response::Response;

use axum::response::IntoResponse as _;

use super::{violation, Problem};

/// What axum's path extractor gives a generated handler.
pub type Params = Result<RawPathParams, RawPathParamsRejection>;

/// Where a path parameter is: in the URL segment the router captures as
/// `capture` (`s3`), alone ([`Segment::whole`]) or the `index`th between
/// literals ([`Segment::part`]).
#[derive(Clone, Copy, Debug)]
pub struct Segment<'a> {
    capture: &'a str,
    literals: &'a [&'a str],
    index: usize,
}

impl<'a> Segment<'a> {
    /// The whole segment `capture` is the parameter (`/pets/{id}`).
    pub const fn whole(capture: &'a str) -> Self {
        Segment {
            capture,
            literals: &["", ""],
            index: 0,
        }
    }

    /// The `index`th parameter of the segment `capture`, whose literals
    /// around its parameters are `literals` (`v{version}` is `["v", ""]`,
    /// see [`split_segment`]).
    pub const fn part(capture: &'a str, literals: &'a [&'a str], index: usize) -> Self {
        Segment {
            capture,
            literals,
            index,
        }
    }
}

/// The `index`th parameter of a segment's decoded text `raw`, whose
/// literals around its parameters are `literals` (`v{version}` is
/// `["v", ""]`; each parameter ends at the first occurrence of the literal
/// after it). `None`: the segment does not match.
///
/// ```
/// use codegen_runtime::server::path::split_segment;
/// assert_eq!(split_segment("main...dev", &["", "...", ""], 1), Some("dev"));
/// assert_eq!(split_segment("v6", &["v", ""], 0), Some("6"));
/// assert_eq!(split_segment("x6", &["v", ""], 0), None);
/// ```
pub fn split_segment<'r>(raw: &'r str, literals: &[&str], index: usize) -> Option<&'r str> {
    let mut rest = raw.strip_prefix(*literals.first()?)?;
    let count = literals.len().checked_sub(1)?;
    for (i, next) in literals.iter().skip(1).enumerate() {
        let value = if i + 1 == count {
            let value = rest.strip_suffix(*next)?;
            rest = "";
            value
        } else {
            let at = if next.is_empty() {
                rest.len()
            } else {
                rest.find(*next)?
            };
            let value = &rest[..at];
            rest = &rest[at + next.len()..];
            value
        };
        if i == index {
            return Some(value);
        }
    }
    None
}

/// The value of the parameter `at` (see [`split_segment`]); `None`: the
/// path does not match.
pub fn value<'p>(params: &'p RawPathParams, at: Segment<'_>) -> Option<&'p str> {
    let raw = params
        .iter()
        .find(|(k, _)| *k == at.capture)
        .map(|(_, v)| v)?;
    split_segment(raw, at.literals, at.index)
}

/// The path parameters, or the answer to a path axum could not decode.
/// `segments` pairs each URL segment's marker (`` `s0` ``) with the field
/// its first parameter names: axum names the segment only in its message.
pub fn params(params: Params, segments: &[(&str, &str)]) -> Result<RawPathParams, Response> {
    match params {
        Ok(params) => Ok(params),
        Err(RawPathParamsRejection::InvalidUtf8InPathParam(rejection)) if !segments.is_empty() => {
            let text = rejection.body_text();
            let field = segments
                .iter()
                .find(|(marker, _)| text.contains(marker))
                .map_or("path", |(_, field)| field);
            Err(
                Problem::invalid(vec![violation(field, "must be UTF-8 once percent-decoded")])
                    .into_response(),
            )
        }
        Err(rejection) => {
            Err(Problem::rejected(rejection.status(), rejection.body_text()).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_between_literals() {
        let lits = ["", "...", ""];
        assert_eq!(split_segment("a...b", &lits, 0), Some("a"));
        assert_eq!(split_segment("a...b...c", &lits, 1), Some("b...c"));
        assert_eq!(split_segment("ab", &lits, 0), None);
        assert_eq!(split_segment("id", &["", ""], 0), Some("id"));
        assert_eq!(split_segment("x.json", &["", ".json"], 0), Some("x"));
        assert_eq!(split_segment("x", &[], 0), None);
    }

    proptest! {
        #[test]
        fn never_panics(raw in ".*", lits in proptest::collection::vec(".{0,3}", 0..4), index in 0usize..4) {
            let lits: Vec<&str> = lits.iter().map(String::as_str).collect();
            let _ = split_segment(&raw, &lits, index);
        }

        #[test]
        fn round_trips_a_single_parameter(prefix in "[a-z]{0,3}", value in ".*") {
            let raw = format!("{prefix}{value}");
            prop_assert_eq!(split_segment(&raw, &[prefix.as_str(), ""], 0), Some(value.as_str()));
        }
    }
}
