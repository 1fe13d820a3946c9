//! Connections before any request is read: a client that opens connections and sends nothing,
//! or a request's head byte by byte, cannot hold the portal (issue 21, item 1). Small caps and
//! timeouts are set for each test; the accept loop is the production one (`server::serve`).

use crate::common;

use common::spawn_app_with;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A connection to `addr` from the loopback address `from` (127.0.0.1, 127.0.0.2, …).
async fn connect_from(from: [u8; 4], addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::from((from, 0)))
        .expect("bind a loopback address");
    socket.connect(addr).await.expect("connect")
}

/// Sends a GET for `path` on `stream` and reads the whole answer (the server closes after it).
async fn get_on(mut stream: TcpStream, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("an answer within 10 s")
        .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

/// Opens `n` connections from `from` that each send the start of a request head. The server
/// takes connections in the order they came, and counts each as it takes it: a connection
/// made after these is judged with these counted.
async fn hold(n: usize, from: [u8; 4], addr: SocketAddr) -> Vec<TcpStream> {
    let mut held = Vec::new();
    for _ in 0..n {
        let mut stream = connect_from(from, addr).await;
        stream.write_all(b"GET /healthz HTTP/1.1\r\n").await.expect("send");
        held.push(stream);
    }
    held
}

#[tokio::test]
async fn a_request_head_that_never_ends_is_closed_after_the_header_timeout() {
    let app = spawn_app_with(&[("HTTP_HEADER_READ_TIMEOUT_SECS", "1")]).await;
    let mut partial = TcpStream::connect(app.addr).await.expect("connect");
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: portal\r\nX-Slow: ")
        .await
        .expect("send");
    let mut silent = TcpStream::connect(app.addr).await.expect("connect");
    let started = Instant::now();
    for stream in [&mut partial, &mut silent] {
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest)).await;
        // Closed (an end of stream, or a reset), not still waiting for the rest.
        assert!(closed.is_ok(), "still open after 5 s with a 1 s header timeout");
        assert!(!String::from_utf8_lossy(&rest).contains(" 200 "), "{rest:?}");
    }
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "closed before its timeout"
    );
    // A request that arrives whole is still served.
    let answer = get_on(TcpStream::connect(app.addr).await.expect("connect"), "/healthz").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn one_address_past_its_cap_gets_a_fast_503_while_others_are_served() {
    let app = spawn_app_with(&[
        ("HTTP_MAX_CONNECTIONS_PER_ADDRESS", "3"),
        ("HTTP_MAX_CONNECTIONS", "50"),
    ])
    .await;
    let mut held = hold(3, [127, 0, 0, 1], app.addr).await;

    let started = Instant::now();
    let refused = get_on(connect_from([127, 0, 0, 1], app.addr).await, "/healthz").await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("Retry-After: "), "{refused}");
    assert!(refused.contains("Connection: close"), "{refused}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the refusal took {:?}",
        started.elapsed()
    );

    // Another client is still served.
    let other = get_on(connect_from([127, 0, 0, 2], app.addr).await, "/healthz").await;
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");

    // A connection closed gives its place back.
    drop(held.pop());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = get_on(connect_from([127, 0, 0, 1], app.addr).await, "/healthz").await;
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "the place was not given back: {answer}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn past_the_overall_cap_every_address_gets_a_503() {
    let app = spawn_app_with(&[("HTTP_MAX_CONNECTIONS", "4"), ("HTTP_MAX_CONNECTIONS_PER_ADDRESS", "0")]).await;
    let _held = hold(3, [127, 0, 0, 1], app.addr).await;
    let _fourth = hold(1, [127, 0, 0, 3], app.addr).await;
    for from in [[127, 0, 0, 1], [127, 0, 0, 2]] {
        let started = Instant::now();
        let refused = get_on(connect_from(from, app.addr).await, "/healthz").await;
        assert!(refused.starts_with("HTTP/1.1 503"), "{from:?}: {refused}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

#[tokio::test]
async fn a_connection_on_which_nothing_moves_is_closed_after_the_idle_timeout() {
    // A long header timeout, a short idle one: a request whose head arrived and whose body
    // stops coming holds the connection until the idle timeout, not the request timeout.
    let app = spawn_app_with(&[
        ("HTTP_HEADER_READ_TIMEOUT_SECS", "30"),
        ("HTTP_IDLE_TIMEOUT_SECS", "1"),
        ("REQUEST_TIMEOUT_SECS", "30"),
    ])
    .await;
    let mut stalled = TcpStream::connect(app.addr).await.expect("connect");
    stalled
        .write_all(
            b"POST /api/login HTTP/1.1\r\nHost: portal\r\nContent-Type: application/x-www-form-urlencoded\r\n\
              Content-Length: 100\r\n\r\nidentifier=",
        )
        .await
        .expect("send");
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), stalled.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "still open after 5 s with a 1 s idle timeout");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "closed before its timeout"
    );
}
