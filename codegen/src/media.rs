//! What a media type says about how a body travels: decided here once,
//! for the loader (which 3.2 `itemSchema`s to keep), lowering (which
//! responses get a type per representation) and the emitters.

use crate::ir::MediaContent;

/// How a body of one media type is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Media {
    /// `application/json`, `text/json`, `*+json`, and `*/*`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/event-stream`: server-sent events.
    EventStream,
    /// A JSON text per line: `application/x-ndjson`, `application/jsonl`...
    JsonLines,
    /// RFC 7464 `application/json-seq` (and `*+json-seq`).
    JsonSeq,
    /// `multipart/*`.
    Multipart,
    /// Any other `text/*`.
    Text,
    /// Anything else: bytes.
    Binary,
}

/// Whether a body of `media_type` is JSON.
pub(crate) fn is_json(media_type: &str) -> bool {
    Media::of(media_type) == Media::Json
}

/// Whether a body of `media_type` is a URL-encoded form.
pub(crate) fn is_form(media_type: &str) -> bool {
    Media::of(media_type) == Media::Form
}

impl Media {
    pub(crate) fn of(media_type: &str) -> Media {
        let m = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match m.as_str() {
            "text/event-stream" => Media::EventStream,
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonl"
            | "application/jsonlines"
            | "application/x-jsonlines"
            | "application/json-lines" => Media::JsonLines,
            _ if m == "application/json-seq" || m.ends_with("+json-seq") => Media::JsonSeq,
            "application/json" | "text/json" | "*/*" => Media::Json,
            _ if m.ends_with("+json") => Media::Json,
            "application/x-www-form-urlencoded" => Media::Form,
            _ if m.starts_with("multipart/") => Media::Multipart,
            _ if m.starts_with("text/") => Media::Text,
            _ => Media::Binary,
        }
    }

    /// A sequence of items read and written one by one.
    pub(crate) fn is_sequential(self) -> bool {
        matches!(self, Media::EventStream | Media::JsonLines | Media::JsonSeq)
    }
}

/// One content per way of carrying a body, best first: JSON, a form,
/// events, JSON sequences, text, multipart, bytes. With more than one,
/// the server chooses among them by `Accept`.
pub(crate) fn representations(contents: &[MediaContent]) -> Vec<&MediaContent> {
    let mut out: Vec<(u8, &MediaContent)> = Vec::new();
    for c in contents {
        let r = rank(c);
        if !out.iter().any(|(seen, _)| *seen == r) {
            out.push((r, c));
        }
    }
    out.sort_by_key(|(r, _)| *r);
    out.into_iter().map(|(_, c)| c).collect()
}

/// The way of carrying a body `c` belongs to, best first.
pub(crate) fn rank(c: &MediaContent) -> u8 {
    match Media::of(&c.media_type) {
        Media::Json => 0,
        // A form without a schema travels as bytes.
        Media::Form if c.schema.is_some() => 1,
        Media::EventStream => 2,
        Media::JsonLines | Media::JsonSeq => 3,
        Media::Text => 4,
        Media::Multipart => 5,
        Media::Form | Media::Binary => 6,
    }
}

/// A media type's essence: no parameters, lowercase.
pub(crate) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::Media;

    #[test]
    fn media_types_are_classified_by_their_essence() {
        for (m, want) in [
            ("application/json; charset=utf-8", Media::Json),
            ("application/problem+json", Media::Json),
            ("*/*", Media::Json),
            ("Text/Event-Stream", Media::EventStream),
            ("application/x-ndjson", Media::JsonLines),
            ("application/jsonl", Media::JsonLines),
            ("application/json-seq", Media::JsonSeq),
            ("application/geo+json-seq", Media::JsonSeq),
            ("application/x-www-form-urlencoded", Media::Form),
            ("multipart/form-data", Media::Multipart),
            ("text/plain", Media::Text),
            ("application/octet-stream", Media::Binary),
            ("image/png", Media::Binary),
        ] {
            assert_eq!(Media::of(m), want, "{m}");
        }
        assert!(Media::JsonSeq.is_sequential() && !Media::Text.is_sequential());
    }
}
