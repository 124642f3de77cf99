//! Local stand-ins for the outside services, started by the tests themselves: an SMTP sink
//! and an SMS gateway. They speak the real protocols over real sockets, so the providers are
//! tested exactly as they run in production.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as the SMTP sink received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The DATA section with dot-stuffing undone, as the client sent it (MIME-encoded).
    pub data: Vec<u8>,
}

/// A minimal SMTP server: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. It answers
/// RCPT with `rcpt_reply` (250 unless told otherwise) and records every accepted message.
pub struct SmtpSink {
    pub port: u16,
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        SmtpSink::start_with_rcpt_reply("250 2.1.5 OK").await
    }

    pub async fn start_with_rcpt_reply(rcpt_reply: &'static str) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind SMTP sink");
        let port = listener.local_addr().expect("addr").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let store = mails.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    // A client that hangs up mid-conversation is not the sink's problem.
                    let _ = serve_smtp(socket, rcpt_reply, store).await;
                });
            }
        });
        SmtpSink { port, mails }
    }

    pub fn mails(&self) -> Vec<ReceivedMail> {
        self.mails.lock().expect("lock").clone()
    }
}

async fn serve_smtp(
    socket: tokio::net::TcpStream,
    rcpt_reply: &str,
    store: Arc<Mutex<Vec<ReceivedMail>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP\r\n").await?;
    let (mut from, mut rcpt) = (String::new(), Vec::new());
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let command = String::from_utf8_lossy(&line).trim_end().to_owned();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: String = match verb.as_str() {
            "EHLO" => "250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8".to_owned(),
            "HELO" | "NOOP" => "250 OK".to_owned(),
            "RSET" => {
                (from, rcpt) = (String::new(), Vec::new());
                "250 OK".to_owned()
            }
            "MAIL" => {
                from = command[10..].to_owned();
                "250 2.1.0 OK".to_owned()
            }
            "RCPT" => {
                if rcpt_reply.starts_with('2') {
                    rcpt.push(command[8..].to_owned());
                }
                rcpt_reply.to_owned()
            }
            "DATA" => {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = Vec::new();
                loop {
                    line.clear();
                    if lines.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" {
                        break;
                    }
                    // Undo dot-stuffing (RFC 5321 §4.5.2).
                    let start = usize::from(line.starts_with(b".."));
                    data.extend_from_slice(&line[start..]);
                }
                store.lock().expect("lock").push(ReceivedMail {
                    mail_from: std::mem::take(&mut from),
                    rcpt_to: std::mem::take(&mut rcpt),
                    data,
                });
                "250 2.0.0 queued".to_owned()
            }
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => "502 5.5.2 not implemented".to_owned(),
        };
        write.write_all(format!("{reply}\r\n").as_bytes()).await?;
    }
}

/// One request as the SMS gateway received it.
#[derive(Debug, Clone)]
pub struct GatewayRequest {
    /// Lower-case header names.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl GatewayRequest {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the gateway received JSON")
    }
}

struct GatewayState {
    /// The status of each successive reply; the last one repeats.
    statuses: Vec<u16>,
    requests: Mutex<Vec<GatewayRequest>>,
}

/// An HTTP SMS gateway (actix-web on port 0) that records requests and answers with a script
/// of statuses, e.g. `[503, 200]`: first an outage, then success.
pub struct SmsGateway {
    pub url: String,
    state: web::Data<GatewayState>,
    handle: actix_web::dev::ServerHandle,
}

impl SmsGateway {
    pub async fn start(statuses: &[u16]) -> SmsGateway {
        let state = web::Data::new(GatewayState {
            statuses: statuses.to_vec(),
            requests: Mutex::new(Vec::new()),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind gateway");
        let port = listener.local_addr().expect("addr").port();
        let app_state = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(app_state.clone())
                .route("/sms/send", web::post().to(receive))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        SmsGateway {
            url: format!("http://127.0.0.1:{port}/sms/send"),
            state,
            handle,
        }
    }

    pub fn requests(&self) -> Vec<GatewayRequest> {
        self.state.requests.lock().expect("lock").clone()
    }
}

impl Drop for SmsGateway {
    fn drop(&mut self) {
        // Not awaited: the test runtime ends with the test anyway.
        drop(self.handle.stop(false));
    }
}

async fn receive(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<GatewayState>,
) -> HttpResponse {
    let mut requests = state.requests.lock().expect("lock");
    let status = state
        .statuses
        .get(requests.len())
        .or(state.statuses.last())
        .copied()
        .unwrap_or(200);
    requests.push(GatewayRequest {
        headers: req
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    });
    let status = actix_web::http::StatusCode::from_u16(status).expect("status");
    HttpResponse::build(status).json(serde_json::json!({ "status": status.as_u16() }))
}

/// A TCP server that accepts connections and never answers: for time-outs.
pub async fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    port
}
