//! Fetches one user and prints it.
//!
//! ```text
//! PEEKER_API_KEY=pk_test_... cargo run -p peeker-partner-api --example fetch_user -- usr_01HZX...
//! ```
//!
//! `PEEKER_BASE_URL` overrides the server (for example a local mock).

use peeker_partner_api::Client;
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
    let user_id = std::env::args().nth(1).unwrap_or_else(|| "usr_01HZX".to_string());

    let mut builder = Client::builder().credential(key);
    if let Ok(url) = std::env::var("PEEKER_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;
    println!("environment: {:?}", client.environment());

    let user = client.get_user(user_id).await?.data;

    let name =
        [user.first_name.as_deref(), user.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    println!("{} ({}): {}", user.id, user.status, user.email.as_deref().unwrap_or("no email"));
    if !name.is_empty() {
        println!("name: {name}");
    }
    println!("created at: {}", user.created_at);
    Ok(ExitCode::SUCCESS)
}
