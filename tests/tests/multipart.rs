//! `multipart/form-data` as typed parts over loopback
//! (`tests/fixtures/edge/multipart.yaml`): two kinds of file part (one of
//! them larger than what the server holds in memory, so it goes through a
//! temporary file) and values of several types, from the generated client
//! to the generated server; and the 4xx answers of bad forms.

use codegen_runtime::server::{Outcome, Problem};
use codegen_runtime::{ByteStream, FilePart};
use futures_util::StreamExt;
use generated::multipart::client::Client;
use generated::multipart::server::{router, Default as Albums, UploadPhotosInput};
use generated::multipart::types::*;

/// FNV-1a, 64 bits, as hex.
fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

struct Server;

async fn summary(part: &str, file: FilePart) -> Result<ReceivedFilesItem, Problem> {
    let mut body = file.body;
    let mut all = Vec::new();
    while let Some(chunk) = body.next().await {
        all.extend_from_slice(&chunk?);
    }
    Ok(ReceivedFilesItem {
        part: part.into(),
        file_name: file.file_name,
        content_type: file.content_type,
        bytes: all.len() as i64,
        checksum: fnv(&all),
    })
}

impl Albums for Server {
    async fn upload_photos(&self, input: UploadPhotosInput) -> Outcome<UploadPhotosResponse> {
        let form = input.body;
        let mut files = vec![summary("cover", form.cover).await?];
        for extra in form.extras {
            files.push(summary("extras", extra).await?);
        }
        Ok(UploadPhotosResponse::Ok(Received {
            title: form.title,
            rating: form.rating,
            tags: Some(form.tags),
            camera: form.meta.and_then(|m| m.camera),
            kind: form.kind.map(|k| format!("{k:?}")),
            files,
        }))
    }
}

async fn serve() -> String {
    tests::serve_loopback(router(std::sync::Arc::new(Server))).await
}

#[tokio::test]
async fn two_kinds_of_file_and_typed_values_arrive_as_typed_parts() {
    let base = serve().await;
    // A cover of 3 MiB, sent from a stream of chunks: above what the
    // server keeps in memory, and above the 1 MiB body limit of buffered
    // bodies (a form streams).
    let cover: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 253) as u8).collect();
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = cover
        .chunks(64 * 1024)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let form = UploadPhotosForm {
        cover: FilePart::new(ByteStream::new(futures_util::stream::iter(chunks)))
            .file_name("cover.jpg")
            .content_type("image/jpeg"),
        extras: vec![
            FilePart::new(b"first".to_vec()).file_name("a.txt"),
            FilePart::new(b"second \"quoted\"".to_vec()).file_name("b \"2\".txt"),
        ],
        title: "Holiday, \"2026\"".into(),
        rating: Some(5),
        tags: vec!["sea".into(), "sun".into()],
        meta: Some(PhotoUploadMeta {
            camera: Some("x100".into()),
        }),
        kind: Some(PhotoUploadKind::Landscape),
    };
    let UploadPhotosResponse::Ok(got) = Client::new(&base)
        .default()
        .upload_photos(7, form)
        .send()
        .await
        .unwrap();
    assert_eq!(got.title, "Holiday, \"2026\"");
    assert_eq!(got.rating, Some(5));
    assert_eq!(got.tags, Some(vec!["sea".to_string(), "sun".to_string()]));
    assert_eq!(got.camera.as_deref(), Some("x100"));
    assert_eq!(got.kind.as_deref(), Some("Landscape"));
    let files: Vec<_> = got
        .files
        .iter()
        .map(|f| {
            (
                f.part.as_str(),
                f.file_name.as_deref(),
                f.content_type.as_deref(),
                f.bytes,
                f.checksum.clone(),
            )
        })
        .collect();
    assert_eq!(
        files,
        vec![
            (
                "cover",
                Some("cover.jpg"),
                Some("image/jpeg"),
                cover.len() as i64,
                fnv(&cover)
            ),
            (
                "extras",
                Some("a.txt"),
                Some("application/octet-stream"),
                5,
                fnv(b"first")
            ),
            (
                "extras",
                Some("b %222%22.txt"),
                Some("application/octet-stream"),
                15,
                fnv(b"second \"quoted\"")
            ),
        ]
    );
}

#[tokio::test]
async fn bad_forms_are_4xx_problems_naming_the_part() {
    let base = serve().await;
    let http = reqwest::Client::new();
    let post = |content_type: &'static str, body: &'static str| {
        http.post(format!("{base}/albums/1/photos"))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let form = "multipart/form-data; boundary=X";
    // No title (required), a rating that is not an integer.
    let missing = post(
        form,
        "--X\r\nContent-Disposition: form-data; name=\"cover\"; filename=\"c\"\r\n\r\nc\r\n\
         --X\r\nContent-Disposition: form-data; name=\"rating\"\r\n\r\nfive\r\n--X--\r\n",
    )
    .await
    .unwrap();
    assert_eq!(missing.status(), 400);
    let problem: serde_json::Value = missing.json().await.unwrap();
    let text = problem.to_string();
    assert!(
        text.contains("body.title") && text.contains("body.rating"),
        "{text}"
    );

    // No cover file.
    let no_file = post(
        form,
        "--X\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nt\r\n--X--\r\n",
    )
    .await
    .unwrap();
    assert_eq!(no_file.status(), 400);
    assert!(no_file.text().await.unwrap().contains("body.cover"));

    // Cut short, and not multipart at all.
    let cut = post(
        form,
        "--X\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nt",
    )
    .await
    .unwrap();
    assert_eq!(cut.status(), 400);
    let json = post("application/json", "{}").await.unwrap();
    assert_eq!(json.status(), 415);
}
