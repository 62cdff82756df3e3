//! The benchmark's floor: the least a USSD gateway on actix-web and Redis can do per hop. It
//! parses Africa's Talking's form, reads the session (one GET), writes it back (one SET with a
//! TTL) and answers `CON`/`END` text. `benches/ussd_load.sh` runs it next to Salama so the
//! gateway's figures can be read as a fraction of what this machine allows.
//!
//! Run: `cargo run --release --example floor -- 127.0.0.1:8090 redis://127.0.0.1:6379`.
//! Each actix worker drives its own Redis connection, so no call crosses threads.

use actix_web::{App, HttpResponse, HttpServer, web};
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Hop {
    session_id: String,
    phone_number: String,
    text: Option<String>,
}

const LANGUAGE: &str = "Choose language / Chagua lugha:\n1. English\n2. Kiswahili\n00 Exit";
const SCREEN: &str = "Choose what happened:\n1. I am in danger now\n2. Intimate images\n3. Phone tracked\n\
                      4. Information posted\n5. Threats\n6. Fake images\n7. Talk to a counsellor\n00 Exit";

async fn ussd(form: web::Form<Hop>, redis: web::Data<ConnectionManager>) -> HttpResponse {
    let key = format!("floor:ussd:{}", form.session_id);
    let mut connection = redis.get_ref().clone();
    let seen: Result<Option<String>, _> = connection.get(&key).await;
    let text = form.text.as_deref().unwrap_or_default();
    let depth = if text.is_empty() { 0 } else { text.split('*').count() };
    let saved: Result<(), _> = connection.set_ex(&key, format!("{}|{text}", form.phone_number.len()), 240).await;
    if seen.is_err() || saved.is_err() {
        return HttpResponse::ServiceUnavailable().body("END Try again later.");
    }
    let screen = if depth == 0 { LANGUAGE } else { SCREEN };
    let body = format!("{} {screen}", if depth >= 9 { "END" } else { "CON" });
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(body)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let bind = args.next().unwrap_or_else(|| "127.0.0.1:8090".into());
    let url = args.next().unwrap_or_else(|| "redis://127.0.0.1:6379".into());
    let client = redis::Client::open(url).map_err(std::io::Error::other)?;
    HttpServer::new(move || {
        // Made on the worker's own thread: its connection task runs on that worker's runtime.
        let connection = ConnectionManager::new_lazy_with_config(client.clone(), Default::default())
            .expect("a Redis connection manager");
        App::new().app_data(web::Data::new(connection)).route("/v1/ussd/africastalking", web::post().to(ussd))
    })
    .bind(bind)?
    .run()
    .await
}
