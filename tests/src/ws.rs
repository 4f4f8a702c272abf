//! A `graphql-transport-ws` client for tests.

use super::*;

/// A `graphql-transport-ws` client, as a test drives it: raw messages, so
/// that tests can send what a library would not.
pub struct WsClient {
    pub(super) socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

/// How a WebSocket exchange ended for a test.
#[derive(Debug, PartialEq, Eq)]
pub enum WsEnd {
    /// The server closed with this code.
    Closed(u16),
    /// Nothing arrived in time.
    Silent,
}

/// A WebSocket upgrade request to `url` (`http://…/graphql`) offering
/// `graphql-transport-ws`, with `headers`.
pub fn ws_request(
    url: &str,
    headers: &[(&str, &str)],
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::http::HeaderName;
    let mut request = url
        .replacen("http", "ws", 1)
        .into_client_request()
        .expect("a WebSocket request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("a header value"),
    );
    for (name, value) in headers {
        request.headers_mut().insert(
            name.parse::<HeaderName>().expect("a header name"),
            value.parse().expect("a header value"),
        );
    }
    request
}

impl WsClient {
    /// Opens a socket at `url` (`http://…/graphql`) speaking
    /// `graphql-transport-ws`, with an `Authorization` header on the upgrade
    /// when given.
    pub async fn open(url: &str, authorization: Option<&str>) -> WsClient {
        let headers: Vec<(&str, &str)> = authorization
            .map(|value| ("authorization", value))
            .into_iter()
            .collect();
        let request = ws_request(url, &headers);
        let (socket, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the WebSocket upgrade");
        assert_eq!(
            response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok()),
            Some("graphql-transport-ws")
        );
        WsClient { socket }
    }

    /// Opens a socket and initializes it with `payload`; panics unless acked.
    pub async fn connect(url: &str, payload: Value) -> WsClient {
        let mut client = Self::open(url, None).await;
        client
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let ack = client.next(std::time::Duration::from_secs(5)).await;
        assert_eq!(
            ack.as_ref().map(|m| m["type"].clone()),
            Ok(json!("connection_ack")),
            "{ack:?}"
        );
        client
    }

    /// Opens a socket as the holder of `token` (in `connection_init`).
    pub async fn connect_as(url: &str, token: &str) -> WsClient {
        Self::connect(url, json!({ "Authorization": format!("Bearer {token}") })).await
    }

    pub async fn send(&mut self, message: Value) {
        self.send_text(&message.to_string()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        use futures_util::SinkExt;
        self.socket
            .send(tokio_tungstenite::tungstenite::Message::text(text))
            .await
            .expect("send a message");
    }

    /// Starts an operation.
    pub async fn subscribe(&mut self, id: &str, query: &str) {
        self.send(json!({ "type": "subscribe", "id": id, "payload": { "query": query } }))
            .await;
    }

    /// The next protocol message within `wait`, or how the exchange ended.
    pub async fn next(&mut self, wait: std::time::Duration) -> Result<Value, WsEnd> {
        use futures_util::StreamExt;
        use tokio_tungstenite::tungstenite::Message;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let message = match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return Err(WsEnd::Silent),
                Ok(None) => return Err(WsEnd::Closed(1006)),
                Ok(Some(Err(_))) => return Err(WsEnd::Closed(1006)),
                Ok(Some(Ok(message))) => message,
            };
            match message {
                Message::Text(text) => {
                    return Ok(serde_json::from_str(&text).expect("a JSON message"));
                }
                Message::Close(frame) => {
                    return Err(WsEnd::Closed(frame.map_or(1005, |f| u16::from(f.code))));
                }
                _ => continue,
            }
        }
    }
}
