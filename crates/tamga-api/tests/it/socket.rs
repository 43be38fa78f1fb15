//! The server over a real socket on port 0.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn serves_over_tcp_and_shuts_down() {
    let db = tamga_store::testing::TestStore::sqlite().await;
    let app = tamga_api::router(tamga_api::AppState::new(
        db.store.clone(),
        Default::default(),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(tamga_api::serve(listener, app, async {
        let _ = stopped.await;
    }));
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.to_ascii_lowercase().contains("x-request-id"),
        "{response}"
    );
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// A server with short timeouts, for the tests below.
async fn limited(
    limits: tamga_api::ServerLimits,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tamga_store::testing::TestStore,
) {
    let db = tamga_store::testing::TestStore::sqlite().await;
    let app = tamga_api::router(tamga_api::AppState::new(
        db.store.clone(),
        Default::default(),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(tamga_api::serve_with(listener, app, limits, async {
        let _ = stopped.await;
    }));
    (address, stop, db)
}

/// Reads until the server closes the connection; what was read and when it closed.
async fn until_closed(stream: &mut tokio::net::TcpStream) -> (String, Duration) {
    let start = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server kept the connection open for 10 s"),
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), start.elapsed())
}

use std::time::{Duration, Instant};

const HEADER_TIMEOUT: Duration = Duration::from_millis(400);
const IDLE_TIMEOUT: Duration = Duration::from_millis(1200);

fn short() -> tamga_api::ServerLimits {
    tamga_api::ServerLimits {
        header_read_timeout: HEADER_TIMEOUT,
        idle_timeout: IDLE_TIMEOUT,
        max_connections: 8,
    }
}

#[tokio::test]
async fn a_slow_header_client_is_disconnected_within_the_timeout() {
    let (address, _stop, _db) = limited(short()).await;
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let start = Instant::now();
    let (mut reader, mut writer) = stream.split();
    // Half a request, then a byte every 100 ms for 5 s, never the blank line that ends the
    // headers: a slowloris client. Each byte would reset a timeout of inactivity; this one is not.
    let trickle = async {
        let _ = writer
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
            .await;
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if writer.write_all(b"X").await.is_err() {
                break;
            }
        }
        std::future::pending::<()>().await;
    };
    let mut buf = [0u8; 1024];
    let read = tokio::select! {
        read = reader.read(&mut buf) => read,
        () = trickle => unreachable!(),
    };
    let closed = start.elapsed();
    assert!(
        matches!(read, Ok(0) | Err(_)),
        "the server answered: {read:?}"
    );
    assert!(
        closed >= HEADER_TIMEOUT - Duration::from_millis(50),
        "{closed:?}"
    );
    assert!(
        closed < HEADER_TIMEOUT + Duration::from_millis(700),
        "{closed:?}"
    );
}

#[tokio::test]
async fn silent_and_idle_connections_are_closed_in_time_and_not_before() {
    let (address, _stop, _db) = limited(short()).await;
    // A new connection that never sends a request owes its headers from the start.
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let (_, silent) = until_closed(&mut stream).await;
    assert!(
        silent >= HEADER_TIMEOUT - Duration::from_millis(50),
        "{silent:?}"
    );
    assert!(silent < IDLE_TIMEOUT, "{silent:?}");

    // Kept alive after a request, for the idle time, longer than the header timeout.
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let (answer, kept) = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(kept > HEADER_TIMEOUT * 2, "{kept:?}");
    assert!(kept < IDLE_TIMEOUT * 2, "{kept:?}");
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_one_to_close() {
    let (address, _stop, _db) = limited(tamga_api::ServerLimits {
        max_connections: 1,
        ..short()
    })
    .await;
    let mut first = tokio::net::TcpStream::connect(address).await.unwrap();
    first
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut head = [0u8; 12];
    first.read_exact(&mut head).await.unwrap();
    let start = Instant::now();
    let mut second = tokio::net::TcpStream::connect(address).await.unwrap();
    second
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = until_closed(&mut second).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Served only once the first connection, kept alive and idle, was closed.
    assert!(
        start.elapsed() >= IDLE_TIMEOUT - Duration::from_millis(100),
        "{:?}",
        start.elapsed()
    );
}
