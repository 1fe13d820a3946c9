//! Request bodies are held to their route's limit before anything reads them (issue 21, item
//! 4): an oversized post is refused with 413 without being read whole, on any path, whether
//! it declares its length or comes in chunks; the uploads keep their larger limits.

use crate::common;

use common::{TestApp, spawn_app};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const FIFTEEN_MIB: usize = 15 * 1024 * 1024;

/// Reads the status line of the answer on `stream`, within 5 s.
async fn status_line(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(5), async {
        while !answer.windows(2).any(|w| w == b"\r\n") {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "no answer within 5 s: the body is being waited for");
    let text = String::from_utf8_lossy(&answer).into_owned();
    text.lines().next().unwrap_or_default().to_owned()
}

/// A POST declaring a 15 MiB body of `content_type` to `path`, of which only 64 KiB are sent.
async fn declare_fifteen_mib(app: &TestApp, path: &str, content_type: &str) -> String {
    let mut stream = TcpStream::connect(app.addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: portal\r\nContent-Type: {content_type}\r\n\
         Content-Length: {FIFTEEN_MIB}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("send the head");
    let _ = stream.write_all(&vec![b'a'; 64 * 1024]).await;
    status_line(&mut stream).await
}

#[tokio::test]
async fn a_declared_oversized_body_is_refused_unread_on_any_path() {
    let app = spawn_app().await;
    for (path, content_type) in [
        ("/nowhere", "application/x-www-form-urlencoded"),
        ("/api/login", "application/x-www-form-urlencoded"),
        ("/api/login", "application/json"),
        ("/api/login", "multipart/form-data; boundary=x"),
        ("/api/v1/tokens/verify", "application/json"),
        // The uploads' own limits are larger, but not this large.
        ("/documents", "multipart/form-data; boundary=x"),
        ("/admin/payments/import", "multipart/form-data; boundary=x"),
        ("/admin/import/migration", "multipart/form-data; boundary=x"),
    ] {
        let status = declare_fifteen_mib(&app, path, content_type).await;
        assert!(status.starts_with("HTTP/1.1 413"), "{path} ({content_type}): {status}");
    }
}

#[tokio::test]
async fn a_chunked_body_is_cut_at_the_limit() {
    let app = spawn_app().await;
    for path in ["/nowhere", "/api/login"] {
        let mut stream = TcpStream::connect(app.addr).await.expect("connect");
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: portal\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Transfer-Encoding: chunked\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.expect("send the head");
        // 2 MiB in 64 KiB chunks, never ended: past the 1 MiB limit, the server answers.
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..32 {
            let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
            if stream.write_all(&framed).await.is_err() {
                break;
            }
        }
        let status = status_line(&mut stream).await;
        assert!(status.starts_with("HTTP/1.1 413"), "{path}: {status}");
    }
}

#[tokio::test]
async fn a_body_under_the_limit_still_reaches_its_route() {
    let app = spawn_app().await;
    // 900 KiB of form: over what any form sends, under the limit; the route answers.
    let padding = "a".repeat(900 * 1024);
    let response = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(format!("identifier=nobody&password=wrong&padding={padding}"))
        .send()
        .await
        .expect("request");
    assert_ne!(response.status().as_u16(), 413);
    assert!(response.status().as_u16() < 500, "{}", response.status());
}

#[tokio::test]
async fn uploads_of_their_allowed_size_still_work() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", common::DEMO_PASSWORD).await;
    // A PDF of just under the 5 MiB a document may be: five times the default body limit.
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(app::org::registration::MAX_DOCUMENT_BYTES - 1024, b' ');
    pdf.extend_from_slice(b"\n%%EOF\n");
    let boundary = "----portal-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nstatutes\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"statuts.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&pdf);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = app
        .client
        .post(app.url("/documents"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("cookie", holder.cookie.clone().unwrap_or_default())
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/account?upload=ok");
}
