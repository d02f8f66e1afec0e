//! The answers of an operation as the emitters see them: one variant per
//! documented status, named by the plan, with the representations of its
//! body. The response enums (`responses.rs`), their `into_result()`
//! (`results.rs`), the client's decoding and the server's encoding all
//! read this model.

use super::{body_kind, kind_of, BodyKind};
use crate::ir::{Operation, Response, StatusCode};
use crate::plan::Plan;

/// How a response variant is named and what it carries.
pub struct Variant<'a> {
    pub name: String,
    pub response: &'a Response,
    /// The preferred representation (the only one without `reps`).
    pub body: BodyKind<'a>,
    /// The representations the server chooses among by `Accept`, when
    /// there are several (the body is then `response.body_type`).
    pub reps: Vec<Rep<'a>>,
}

/// One representation of a body.
pub struct Rep<'a> {
    /// Its variant in the body enum.
    pub name: &'static str,
    pub kind: BodyKind<'a>,
    /// The media types it stands for (essences), the one sent first.
    pub media: Vec<String>,
}

impl Variant<'_> {
    /// Some body of this answer streams.
    pub fn streams(&self) -> bool {
        self.body.streams() || self.reps.iter().any(|r| r.kind.streams())
    }
}

impl Rep<'_> {
    /// The media type a server sends this representation as.
    pub fn sent_as(&self) -> &str {
        match self.kind {
            BodyKind::Events(_) => "text/event-stream",
            _ => self
                .media
                .first()
                .map_or("application/octet-stream", String::as_str),
        }
    }
}

/// The representations of a response whose body has several.
fn reps(r: &Response) -> Vec<Rep<'_>> {
    if r.body_type.is_none() {
        return Vec::new();
    }
    crate::media::representations(&r.contents)
        .into_iter()
        .map(|c| Rep {
            name: crate::plan::representation_name(c),
            kind: kind_of(c),
            media: r
                .contents
                .iter()
                .filter(|o| crate::media::rank(o) == crate::media::rank(c))
                .map(|o| crate::media::essence(&o.media_type))
                .fold(Vec::new(), |mut seen, m| {
                    if !seen.contains(&m) {
                        seen.push(m);
                    }
                    seen
                }),
        })
        .collect()
}

/// The variants of an operation's response enum, in spec order, named by
/// the plan.
pub fn variants<'a>(plan: &'a Plan, op: &'a Operation) -> Vec<Variant<'a>> {
    op.responses
        .iter()
        .zip(&plan.operation(op).variants)
        .map(|(r, name)| Variant {
            name: name.clone(),
            response: r,
            body: body_kind(&r.contents),
            reps: reps(r),
        })
        .collect()
}

/// The media types an operation whose answers come in several
/// representations offers: every documented one, each answer's preferred
/// first. `None` when no answer has a choice.
pub fn offered(op: &Operation) -> Option<Vec<String>> {
    if op.responses.iter().all(|r| r.body_type.is_none()) {
        return None;
    }
    let mut all: Vec<String> = Vec::new();
    for r in &op.responses {
        for c in crate::media::representations(&r.contents) {
            let rank = crate::media::rank(c);
            for o in r.contents.iter().filter(|o| crate::media::rank(o) == rank) {
                let m = crate::media::essence(&o.media_type);
                if !all.contains(&m) {
                    all.push(m);
                }
            }
        }
    }
    Some(all)
}

/// Whether a variant carries the status (ranges and `default` do).
pub fn carries_status(status: StatusCode) -> bool {
    !matches!(status, StatusCode::Code(_))
}
