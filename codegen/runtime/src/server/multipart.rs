//! `multipart/form-data` request bodies, parsed into their parts as they
//! arrive: values as text, files kept in memory up to
//! [`FilePart::IN_MEMORY`] bytes and in a temporary file beyond.

use super::Presence;
use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::{reply, violation, Problem, Violation};
use crate::stream::StreamError;
use crate::{ByteStream, FilePart};

/// The largest value part (not a file) read into memory: 1 MiB.
pub const MAX_VALUE_PART: usize = 1024 * 1024;

/// A multipart body's parts, by name, in the order sent.
#[derive(Debug, Default)]
pub struct Form {
    parts: Vec<(String, Part)>,
}

#[derive(Debug)]
enum Part {
    Text(String),
    File(FilePart),
}

/// Reads a multipart body: `None` when the request has none (a violation
/// when `required`). Parts named in `files` are files; the others are
/// values, which must be UTF-8 text. A body that is not multipart is a
/// `415`, a malformed one a `400`, one over the streamed-body limit a
/// `413`.
pub async fn read(
    body: ByteStream,
    headers: &HeaderMap,
    files: &[&str],
    presence: Presence,
    out: &mut Vec<Violation>,
) -> Result<Option<Form>, Response> {
    let Some(body) = super::body::stream(body, headers, presence, out) else {
        return Ok(None);
    };
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| reply::unsupported_media_type("multipart/form-data with a boundary"))?;
    let mut multipart = multer::Multipart::new(body, boundary);
    let mut form = Form::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(malformed(e)),
        };
        let name = field.name().unwrap_or("").to_string();
        if files.contains(&name.as_str()) {
            let file_name = field.file_name().map(str::to_string);
            let content_type = field.content_type().map(|m| m.to_string());
            let body = spool(field).await?;
            form.parts.push((
                name,
                Part::File(FilePart {
                    file_name,
                    content_type,
                    body,
                }),
            ));
        } else {
            let mut text = Vec::new();
            let mut field = field;
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                if text.len() + chunk.len() > MAX_VALUE_PART {
                    return Err(reply::problem(Problem::new(
                        413,
                        "payload_too_large",
                        format!("part `{name}` is larger than {MAX_VALUE_PART} bytes"),
                    )));
                }
                text.extend_from_slice(&chunk);
            }
            match String::from_utf8(text) {
                Ok(text) => form.parts.push((name, Part::Text(text))),
                Err(_) => out.push(violation(&format!("body.{name}"), "must be UTF-8 text")),
            }
        }
    }
    Ok(Some(form))
}

/// A part's bytes, in memory while small, in an anonymous temporary file
/// (removed when dropped) once larger.
async fn spool(mut field: multer::Field<'static>) -> Result<ByteStream, Response> {
    use tokio::io::AsyncWriteExt;
    let mut memory: Vec<u8> = Vec::new();
    let mut file: Option<tokio::fs::File> = None;
    while let Some(chunk) = field.chunk().await.map_err(malformed)? {
        match &mut file {
            Some(f) => f.write_all(&chunk).await.map_err(storage)?,
            None if memory.len() + chunk.len() <= FilePart::IN_MEMORY => {
                memory.extend_from_slice(&chunk)
            }
            None => {
                let mut f = tokio::fs::File::from_std(tempfile::tempfile().map_err(storage)?);
                f.write_all(&memory).await.map_err(storage)?;
                f.write_all(&chunk).await.map_err(storage)?;
                memory = Vec::new();
                file = Some(f);
            }
        }
    }
    let Some(mut f) = file else {
        return Ok(ByteStream::from(memory));
    };
    use tokio::io::AsyncSeekExt;
    f.flush().await.map_err(storage)?;
    f.seek(std::io::SeekFrom::Start(0)).await.map_err(storage)?;
    Ok(ByteStream::new(futures_util::stream::unfold(
        f,
        |mut f| async move {
            use tokio::io::AsyncReadExt;
            let mut buf = vec![0u8; 64 * 1024];
            match f.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(Bytes::from(buf)), f))
                }
                Err(e) => Some((Err(e), f)),
            }
        },
    )))
}

fn storage(e: std::io::Error) -> Response {
    reply::problem(Problem::new(
        503,
        "storage",
        format!("the upload could not be stored: {e}"),
    ))
}

/// A body multer could not read: over the size limit (`413`) or malformed
/// (`400`).
fn malformed(e: multer::Error) -> Response {
    if let multer::Error::StreamReadFailed(source) = &e {
        if let Some(s) = source.downcast_ref::<StreamError>() {
            let status = if s.is_too_large() { 413 } else { 400 };
            let error = if s.is_too_large() {
                "payload_too_large"
            } else {
                "body_unreadable"
            };
            return reply::problem(Problem::new(status, error, s.to_string()));
        }
    }
    reply::problem(Problem::new(
        400,
        "malformed_body",
        format!("the multipart body is malformed: {e}"),
    ))
}

impl Form {
    /// The first file part `name` (taken out of the form); a violation
    /// when it is required and there is none.
    pub fn file(
        &mut self,
        name: &str,
        presence: Presence,
        out: &mut Vec<Violation>,
    ) -> Option<FilePart> {
        let at = self
            .parts
            .iter()
            .position(|(n, p)| n == name && matches!(p, Part::File(_)));
        match at.map(|at| self.parts.remove(at).1) {
            Some(Part::File(file)) => Some(file),
            _ => {
                if presence.is_required() {
                    out.push(violation(&format!("body.{name}"), "is required"));
                }
                None
            }
        }
    }

    /// Every file part `name`, in order.
    pub fn files(&mut self, name: &str) -> Vec<FilePart> {
        let mut files = Vec::new();
        while let Some(file) = self.file(name, Presence::Optional, &mut Vec::new()) {
            files.push(file);
        }
        files
    }

    /// The value part `name` as `T`, read from its text itself (the
    /// schema says string). A violation when it does not decode, or is
    /// missing and required.
    pub fn text<T: DeserializeOwned>(
        &self,
        name: &str,
        presence: Presence,
        out: &mut Vec<Violation>,
    ) -> Option<T> {
        self.value(name, Reading::Text, presence, out)
    }

    /// The value part `name` as `T`, read as JSON. A violation when it
    /// does not decode, or is missing and required.
    pub fn json<T: DeserializeOwned>(
        &self,
        name: &str,
        presence: Presence,
        out: &mut Vec<Violation>,
    ) -> Option<T> {
        self.value(name, Reading::Json, presence, out)
    }

    /// Every value part `name`, each read from its text as a `T`.
    pub fn texts<T: DeserializeOwned>(&self, name: &str, out: &mut Vec<Violation>) -> Vec<T> {
        self.values(name, Reading::Text, out)
    }

    /// Every value part `name`, each read as JSON as a `T`.
    pub fn json_values<T: DeserializeOwned>(&self, name: &str, out: &mut Vec<Violation>) -> Vec<T> {
        self.values(name, Reading::Json, out)
    }

    fn value<T: DeserializeOwned>(
        &self,
        name: &str,
        reading: Reading,
        presence: Presence,
        out: &mut Vec<Violation>,
    ) -> Option<T> {
        let text = self.raw_texts(name).next();
        let Some(text) = text else {
            if presence.is_required() {
                out.push(violation(&format!("body.{name}"), "is required"));
            }
            return None;
        };
        decode(name, text, reading, out)
    }

    fn values<T: DeserializeOwned>(
        &self,
        name: &str,
        reading: Reading,
        out: &mut Vec<Violation>,
    ) -> Vec<T> {
        self.raw_texts(name)
            .filter_map(|text| decode(name, text, reading, out))
            .collect()
    }

    fn raw_texts<'f>(&'f self, name: &'f str) -> impl Iterator<Item = &'f str> + 'f {
        self.parts.iter().filter_map(move |(n, p)| match p {
            Part::Text(t) if n == name => Some(t.as_str()),
            _ => None,
        })
    }
}

/// How a value part is read: its text as a string value, or as JSON.
#[derive(Clone, Copy)]
enum Reading {
    Text,
    Json,
}

fn decode<T: DeserializeOwned>(
    name: &str,
    text: &str,
    reading: Reading,
    out: &mut Vec<Violation>,
) -> Option<T> {
    let decoded = if matches!(reading, Reading::Text) {
        serde_json::from_value(serde_json::Value::String(text.to_string()))
    } else {
        serde_json::from_str(text)
    };
    match decoded {
        Ok(value) => Some(value),
        Err(e) => {
            out.push(violation(
                &format!("body.{name}"),
                super::body::serde_message(&e),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;
    use proptest::prelude::*;

    fn headers(content_type: &str, length: usize) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::CONTENT_TYPE,
            content_type.parse().unwrap(),
        );
        h.insert(axum::http::header::CONTENT_LENGTH, length.into());
        h
    }

    fn read_now(body: &'static str, out: &mut Vec<Violation>) -> Result<Option<Form>, u16> {
        read(
            ByteStream::from(body),
            &headers("multipart/form-data; boundary=X", body.len()),
            &["file"],
            Presence::Required,
            out,
        )
        .now_or_never()
        .expect("an in-memory body reads at once")
        .map_err(|r| r.status().as_u16())
    }

    #[test]
    fn parts_become_values_and_files() {
        let mut out = Vec::new();
        let mut form = read_now(
            "--X\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n42\r\n\
             --X\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nhi\r\n\
             --X\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nho\r\n\
             --X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\nContent-Type: text/plain\r\n\r\nabc\r\n--X--\r\n",
            &mut out,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            form.json::<u32>("n", Presence::Required, &mut out),
            Some(42)
        );
        assert_eq!(form.texts::<String>("t", &mut out), ["hi", "ho"]);
        let file = form.file("file", Presence::Required, &mut out).unwrap();
        assert_eq!(file.file_name.as_deref(), Some("f.txt"));
        assert_eq!(file.content_type.as_deref(), Some("text/plain"));
        assert_eq!(file.body.collect().now_or_never().unwrap().unwrap(), b"abc");
        assert_eq!(
            form.json::<u32>("missing", Presence::Required, &mut out),
            None
        );
        assert_eq!(form.json::<u32>("t", Presence::Optional, &mut out), None);
        let fields: Vec<&str> = out.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["body.missing", "body.t"]);
    }

    #[test]
    fn a_body_without_a_boundary_or_cut_short_is_refused() {
        let mut out = Vec::new();
        let no_boundary = read(
            ByteStream::from("x"),
            &headers("application/json", 1),
            &[],
            Presence::Required,
            &mut out,
        )
        .now_or_never()
        .unwrap();
        assert_eq!(no_boundary.unwrap_err().status(), 415);
        assert_eq!(
            read_now(
                "--X\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n4",
                &mut out
            )
            .unwrap_err(),
            400
        );
    }

    proptest! {
        #[test]
        fn any_body_reads_without_panicking(body in "(--X|\r\n|Content-Disposition: form-data; name=\"[a-z]{0,3}\"|filename=\"f\"|[a-z0-9 ]{0,8}){0,12}") {
            let body: &'static str = Box::leak(body.into_boxed_str());
            let _ = read_now(body, &mut Vec::new());
        }
    }
}
