//! Asks for a user that does not exist and handles the documented `404`.
//!
//! ```text
//! PEEKER_API_KEY=pk_test_... cargo run -p peeker-partner-api --example handle_not_found
//! ```
//!
//! `PEEKER_BASE_URL` overrides the server (for example a local mock).

use peeker_partner_api::types::ErrorEnvelopeErrorCode;
use peeker_partner_api::{Client, Error};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    // Errors print with `Display`: the API's message and the request id, not a `Debug` dump.
    run().await.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    })
}

async fn run() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let Ok(key) = std::env::var("PEEKER_API_KEY") else {
        eprintln!("set PEEKER_API_KEY to a Peeker Partner API key (pk_test_... for the sandbox)");
        return Ok(ExitCode::from(2));
    };
    let mut builder = Client::builder().credential(key);
    if let Ok(url) = std::env::var("PEEKER_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    match client.get_user("usr_does_not_exist").await {
        Ok(envelope) => println!("unexpectedly found {}", envelope.data.id),
        // The documented error body is decoded: match on its code.
        Err(Error::Api(e)) if e.body.error.code == ErrorEnvelopeErrorCode::NotFound => {
            println!(
                "no such user ({} {}): {} (request id {})",
                e.response.status,
                e.body.error.code,
                e.body.error.message,
                e.response.request_id().unwrap_or("none"),
            );
        }
        // Another documented error: its code says what went wrong.
        Err(Error::Api(e)) => {
            eprintln!("the API refused ({}): {}", e.body.error.code, e.body.error.message);
            return Ok(ExitCode::FAILURE);
        }
        // Anything else: an undocumented status, an undecodable body, a network failure.
        Err(other) => return Err(other.into()),
    }
    Ok(ExitCode::SUCCESS)
}
