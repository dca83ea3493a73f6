//! A program written against the crate generated from `v1.yaml`. `tests/tests/evolution.rs`
//! builds it against that crate and again against the crate generated from `v2.yaml`, whose
//! spec only adds (optional properties in requests and responses, an enum value, an
//! operation): it must compile against both.

use evolving_api::types::{CreateRepoBody, CreateRepoBodyVisibility, License, Repository};
use evolving_api::{Client, Error};

fn body() -> CreateRepoBody {
    CreateRepoBody::new("hello-world")
        .description("My first repository")
        .private(true)
        .visibility(CreateRepoBodyVisibility::Private)
        .homepage(None)
        .license(License::default().key("mit"))
}

fn show(repo: &Repository) -> String {
    let Repository { id, name, .. } = repo;
    format!("{id} {name} {:?}", repo.private)
}

fn visibility(v: &CreateRepoBodyVisibility) -> &'static str {
    match v {
        CreateRepoBodyVisibility::Public => "public",
        CreateRepoBodyVisibility::Private => "private",
        _ => "other",
    }
}

async fn create(client: &Client) -> Result<String, Error<()>> {
    let mut body = body();
    body.name = "renamed".into();
    let repo = client.create_repo(body).await?;
    Ok(show(&repo))
}

fn main() {
    let client = Client::builder().base_url("http://127.0.0.1:9").build().expect("client");
    let _ = create(&client);
    println!("{}", visibility(&CreateRepoBodyVisibility::Public));
}
