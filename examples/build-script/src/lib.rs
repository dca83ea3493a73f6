//! A crate that generates its API client in its build script: `pets` is the module
//! `sdkgen::Generator` writes into `OUT_DIR` (named after the crate `package.name` sets).

include!(concat!(env!("OUT_DIR"), "/pets.rs"));

pub use pets::{types, Client};
