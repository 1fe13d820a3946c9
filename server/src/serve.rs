//! The accept loop: every connection the portal serves, in production and in the tests, goes
//! through [`serve`]. It holds what `axum::serve` does not: a timer, so a request's head must
//! arrive within the header-read timeout; an idle timeout; and caps on open connections,
//! overall and per client address, past which a connection gets a short 503 and is closed
//! before any HTTP machinery is spent on it.

use app::config::HttpLimits;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// What a connection past a cap is sent before it is closed.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
    Content-Type: text/plain; charset=utf-8\r\n\
    Retry-After: 5\r\n\
    Connection: close\r\n\
    Content-Length: 34\r\n\
    \r\n\
    too many connections: retry later\n";

/// Refused connections being answered at once. Past this (a flood), a refused connection is
/// sent the 503 in one non-blocking write and closed at once.
const REFUSALS_IN_FLIGHT: usize = 64;

/// How long a refused connection is given to take its 503 and say what it had to say.
const REFUSAL_LINGER: Duration = Duration::from_secs(1);

/// After an accept error that is not one connection's (out of file descriptors, out of
/// memory): the pause before the next accept, so the loop does not spin on the error.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// File descriptors kept for everything but client connections: the database pool (a SQLite
/// connection holds three files), the log, the site's files being served, refused connections
/// being answered, the mailer's connection.
const RESERVED_DESCRIPTORS: u64 = 256;

/// Raises the process' open-file soft limit to its hard limit and returns the soft limit now in
/// force (None when it cannot be read: nothing is capped by it then).
pub fn raise_open_file_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(limit),
        Err(error) => {
            tracing::warn!(%error, "the open-file limit could not be raised");
            rlimit::getrlimit(rlimit::Resource::NOFILE).ok().map(|(soft, _)| soft)
        }
    }
}

/// `limits` with the overall cap lowered, if need be, below the open-file limit `nofile` less
/// what the rest of the process needs, so that a full house answers 503s instead of failing
/// to accept (`Too many open files`) for everyone.
pub fn fit_to_open_file_limit(mut limits: HttpLimits, nofile: Option<u64>, database_connections: u32) -> HttpLimits {
    let Some(nofile) = nofile else {
        return limits;
    };
    let reserved = RESERVED_DESCRIPTORS + 3 * u64::from(database_connections);
    let room = usize::try_from(nofile.saturating_sub(reserved))
        .unwrap_or(usize::MAX)
        .max(1);
    if limits.max_connections > room {
        tracing::warn!(
            configured = limits.max_connections,
            nofile,
            "HTTP_MAX_CONNECTIONS lowered to {room} to fit the open-file limit"
        );
        limits.max_connections = room;
    }
    limits
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting and waits for
/// the open connections to finish the requests they are serving.
///
/// Each request carries the TCP peer's address as axum's `ConnectInfo<SocketAddr>`, which
/// `CLIENT_IP_SOURCE=ConnectInfo` reads.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: HttpLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    // HTTP/1 only. No browser speaks HTTP/2 without TLS (h2c), and TLS ends at the reverse
    // proxy, which speaks HTTP/1.1 to the portal. Serving h2c too means sniffing each
    // connection's first 24 bytes before hyper's timer starts, so a connection that sent
    // nothing was held until the idle timeout instead of the header timeout.
    let mut builder = Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let counts = Arc::new(ConnectionCounts::new(limits.clone()));
    let refusals = Arc::new(Semaphore::new(REFUSALS_IN_FLIGHT));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    on_accept_error(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = counts.admit(peer.ip()) else {
            refuse(stream, &refusals);
            continue;
        };
        // A streamed page goes out in several small writes; without TCP_NODELAY Nagle's
        // algorithm holds each back until the client's delayed ACK (about 40 ms).
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY not set");
        }
        let io = TokioIo::new(IdleTimeout::new(stream, limits.idle_timeout));
        let service = router
            .clone()
            .map_request(move |mut request: axum::http::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request.map(Body::new)
            });
        let connection = builder
            .serve_connection(io, TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// An accept error: one connection's (it went away before it was taken) is ignored; any other
/// (no file descriptor left, no memory) is logged and waited out a little.
async fn on_accept_error(error: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset, Interrupted};
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset | Interrupted
    ) {
        return;
    }
    tracing::error!(%error, "accept error: pausing {ACCEPT_ERROR_PAUSE:?}");
    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
}

/// Answers a connection past a cap with [`REFUSAL`] and closes it. The request it may have
/// sent is read and dropped for a moment first: closing a socket with unread data resets the
/// connection, and the client could lose the 503 with it.
fn refuse(stream: TcpStream, refusals: &Arc<Semaphore>) {
    let Ok(permit) = Arc::clone(refusals).try_acquire_owned() else {
        let _ = stream.try_write(REFUSAL);
        return;
    };
    tokio::spawn(async move {
        let mut stream = stream;
        let _ = tokio::time::timeout(REFUSAL_LINGER, async {
            stream.write_all(REFUSAL).await?;
            stream.shutdown().await?;
            let mut sink = [0u8; 4096];
            let mut left: usize = 64 * 1024;
            while left > 0 {
                let read = stream.read(&mut sink).await?;
                if read == 0 {
                    break;
                }
                left = left.saturating_sub(read);
            }
            Ok::<(), std::io::Error>(())
        })
        .await;
        drop(permit);
    });
}

/// Open connections, overall and per client address.
struct ConnectionCounts {
    limits: HttpLimits,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

impl ConnectionCounts {
    fn new(limits: HttpLimits) -> Self {
        ConnectionCounts {
            limits,
            open: Mutex::new(Open::default()),
        }
    }

    /// A place for one more connection from `address`, if both caps leave one; it is given
    /// back when the [`Slot`] is dropped.
    fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Slot> {
        // An IPv4 client reached over an IPv6 socket is counted as the IPv4 address it is.
        let address = address.to_canonical();
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.total >= self.limits.max_connections {
            tracing::warn!(%address, open = open.total, "connection refused: HTTP_MAX_CONNECTIONS reached");
            return None;
        }
        let per_address = self.limits.max_connections_per_address;
        let from_address = open.by_address.entry(address).or_insert(0);
        if per_address > 0 && *from_address >= per_address {
            tracing::warn!(%address, "connection refused: HTTP_MAX_CONNECTIONS_PER_ADDRESS reached");
            return None;
        }
        *from_address += 1;
        open.total += 1;
        Some(Slot {
            counts: Arc::clone(self),
            address,
        })
    }
}

/// One admitted connection's place in [`ConnectionCounts`].
struct Slot {
    counts: Arc<ConnectionCounts>,
    address: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.counts.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.total = open.total.saturating_sub(1);
        if let Some(count) = open.by_address.get_mut(&self.address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.by_address.remove(&self.address);
            }
        }
    }
}

/// A TCP stream that reads as ended, and fails to write, once nothing has moved on it either
/// way for its idle timeout: hyper then closes the connection as if the client had.
struct IdleTimeout {
    stream: TcpStream,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl IdleTimeout {
    fn new(stream: TcpStream, idle: Duration) -> Self {
        IdleTimeout {
            stream,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
        }
    }

    fn moved(&mut self) {
        self.deadline.as_mut().reset(Instant::now() + self.idle);
    }

    /// A write that moved bytes moves the deadline; one the client does not take (it stopped
    /// reading) fails once the deadline has passed.
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<std::io::Result<usize>>,
    ) -> Poll<std::io::Result<usize>> {
        match result {
            Poll::Ready(Ok(written)) if written > 0 => {
                self.moved();
                Poll::Ready(Ok(written))
            }
            Poll::Pending if self.deadline.as_mut().poll(cx).is_ready() => {
                Poll::Ready(Err(std::io::ErrorKind::TimedOut.into()))
            }
            other => other,
        }
    }
}

impl AsyncRead for IdleTimeout {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.moved();
                }
                Poll::Ready(result)
            }
            // Nothing read and nothing to read: past the deadline, the end of the stream.
            Poll::Pending => match this.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Ok(())),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for IdleTimeout {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.after_write(cx, result)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.after_write(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_connections: usize, per_address: usize) -> HttpLimits {
        HttpLimits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections,
            max_connections_per_address: per_address,
            whole_page_deadline: Duration::from_secs(8),
        }
    }

    #[test]
    fn the_refusal_says_its_length_right() {
        let text = std::str::from_utf8(REFUSAL).unwrap_or_default();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or_default();
        assert!(head.contains(&format!("Content-Length: {}", body.len())), "{text}");
    }

    #[test]
    fn the_overall_cap_stays_below_the_open_file_limit() {
        assert_eq!(
            fit_to_open_file_limit(limits(2_000, 200), Some(1_024), 10).max_connections,
            738
        );
        assert_eq!(
            fit_to_open_file_limit(limits(2_000, 200), Some(1_048_576), 10).max_connections,
            2_000
        );
        assert_eq!(
            fit_to_open_file_limit(limits(2_000, 200), None, 10).max_connections,
            2_000
        );
        assert_eq!(
            fit_to_open_file_limit(limits(2_000, 200), Some(10), 10).max_connections,
            1
        );
    }

    #[test]
    fn slots_are_counted_per_address_and_given_back() {
        let counts = Arc::new(ConnectionCounts::new(limits(3, 2)));
        let a: IpAddr = [127, 0, 0, 1].into();
        let b: IpAddr = [127, 0, 0, 2].into();
        let first = counts.admit(a);
        let second = counts.admit(a);
        assert!(first.is_some() && second.is_some());
        assert!(counts.admit(a).is_none(), "a third from one address");
        let _third = counts.admit(b);
        assert!(_third.is_some());
        assert!(counts.admit(b).is_none(), "a fourth overall");
        drop(first);
        assert!(counts.admit(a).is_some(), "a place given back is free again");
        // An IPv4 address seen through an IPv6 socket is the same client.
        let counts = Arc::new(ConnectionCounts::new(limits(10, 1)));
        let mapped: IpAddr = std::net::Ipv4Addr::new(127, 0, 0, 2).to_ipv6_mapped().into();
        let _held = counts.admit(b);
        assert!(counts.admit(mapped).is_none());
        // 0: no cap per address.
        let counts = Arc::new(ConnectionCounts::new(limits(10, 0)));
        let held: Vec<_> = (0..10).filter_map(|_| counts.admit(a)).collect();
        assert_eq!(held.len(), 10);
    }
}
