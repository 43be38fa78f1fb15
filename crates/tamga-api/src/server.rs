//! The HTTP/1.1 server loop: a cap on concurrent connections, a deadline for reading a
//! request's headers, and one for a keep-alive connection left idle.
//!
//! Each connection is watched: a new connection must complete its first request's headers
//! within `header_read_timeout`, as must a kept-alive one from the first byte of a request;
//! between requests a connection may stay idle (no request in flight) for `idle_timeout`. A connection past either deadline is closed. While a request is
//! in flight (its response not yet fully written, e.g. a stream of server-sent events) neither
//! deadline applies. Connections beyond `max_connections` wait in the listen backlog until one
//! closes. Client addresses reach handlers as `ConnectInfo<SocketAddr>`.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore};
use tokio::time::Instant;

/// Limits of the server loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// From a request's first byte until its headers are complete.
    pub header_read_timeout: Duration,
    /// How long a connection may wait, with no request in flight, for its next request.
    pub idle_timeout: Duration,
    /// Connections served at once; further ones wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then drains open
/// requests.
pub async fn serve_with(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // e.g. out of file descriptors: wait rather than spin
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let service = connection_service(app.clone(), remote, activity.clone());
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(None)
            .serve_connection(
                TokioIo::new(Watched {
                    inner: stream,
                    activity: activity.clone(),
                }),
                service,
            );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _permit = permit;
            tokio::select! {
                result = connection => if let Err(e) = result {
                    tracing::debug!(error = %e, %remote, "connection ended with an error");
                },
                why = activity.watchdog(limits) => {
                    tracing::debug!(%remote, why, "connection closed");
                }
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

fn connection_service(
    app: Router,
    remote: SocketAddr,
    activity: Arc<Activity>,
) -> hyper_util::service::TowerToHyperService<
    impl tower::Service<
            hyper::Request<Incoming>,
            Response = axum::response::Response,
            Error = Infallible,
            Future = impl Future<Output = Result<axum::response::Response, Infallible>> + Send,
        > + Clone,
> {
    let service = tower::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(remote));
        let guard = InFlight::begin(activity.clone());
        let answer = tower::ServiceExt::oneshot(app.clone(), request);
        async move {
            let response = answer.await?;
            Ok(response.map(|body| {
                Body::new(Guarded {
                    inner: body,
                    _guard: guard,
                })
            }))
        }
    });
    hyper_util::service::TowerToHyperService::new(service)
}

/// What the watchdog knows of a connection.
#[derive(Debug)]
struct Activity {
    state: Mutex<State>,
    head_started: Notify,
}

#[derive(Debug)]
struct State {
    in_flight: usize,
    idle_since: Instant,
    head_started: Option<Instant>,
}

impl Activity {
    fn new() -> Self {
        Self {
            state: Mutex::new(State {
                in_flight: 0,
                idle_since: Instant::now(),
                // A new connection owes its first request's headers from the start.
                head_started: Some(Instant::now()),
            }),
            head_started: Notify::new(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes arrived: with no request in flight, they start a request's headers.
    fn read(&self) {
        let mut state = self.state();
        if state.in_flight == 0 && state.head_started.is_none() {
            state.head_started = Some(Instant::now());
            self.head_started.notify_one();
        }
    }

    /// Completes when the connection is past a deadline, naming which.
    async fn watchdog(&self, limits: ServerLimits) -> &'static str {
        loop {
            let (deadline, why) = {
                let state = self.state();
                match state.head_started {
                    _ if state.in_flight > 0 => (None, ""),
                    Some(start) => (
                        Some(start + limits.header_read_timeout),
                        "request headers not complete in time",
                    ),
                    None => (
                        Some(state.idle_since + limits.idle_timeout),
                        "idle for too long",
                    ),
                }
            };
            let wait = match deadline {
                Some(deadline) if deadline <= Instant::now() => return why,
                Some(deadline) => deadline,
                // A request in flight: look again when the shorter deadline would have passed.
                None => Instant::now() + limits.header_read_timeout.min(limits.idle_timeout),
            };
            tokio::select! {
                () = tokio::time::sleep_until(wait) => {}
                () = self.head_started.notified() => {}
            }
        }
    }
}

/// A request in flight, until its response is written (or abandoned).
#[derive(Debug)]
struct InFlight(Arc<Activity>);

impl InFlight {
    fn begin(activity: Arc<Activity>) -> Self {
        {
            let mut state = activity.state();
            state.in_flight += 1;
            state.head_started = None;
        }
        InFlight(activity)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.in_flight = state.in_flight.saturating_sub(1);
        state.idle_since = Instant::now();
    }
}

/// A response body that keeps its request in flight until written.
struct Guarded {
    inner: Body,
    _guard: InFlight,
}

impl http_body::Body for Guarded {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// A socket that tells its [`Activity`] when bytes arrive.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
