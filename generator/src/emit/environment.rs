//! `src/environment.rs`: which environment an API key targets, for APIs whose keys say it in
//! their prefix (`pk_live_...` / `pk_test_...`), so callers never parse key strings.

use super::docs::{code_span, doc_attrs};
use super::ident;
use crate::ir::Api;
use crate::naming;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub(crate) fn emit_environment(api: &Api) -> Option<TokenStream> {
    let envs = &api.info.key_environments;
    if envs.is_empty() {
        return None;
    }
    let mut scope = naming::Scope::new();
    let variants: Vec<_> = envs.iter().map(|e| ident(&scope.claim(&naming::type_ident(&e.name)))).collect();
    let docs = envs.iter().map(|e| doc_attrs(&format!("A key starting with {}.", code_span(&e.prefix))));
    let prefixes: Vec<Literal> = envs.iter().map(|e| Literal::string(&e.prefix)).collect();
    let is_live: Vec<bool> = envs.iter().map(|e| matches!(e.name.as_str(), "live" | "prod" | "production")).collect();
    Some(quote! {
        //! Which environment an API key targets, from its prefix.

        use crate::client::Client;

        /// The environment an API key targets, as its prefix says.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Environment {
            #( #docs #variants, )*
        }

        impl Environment {
            /// The environment a key targets, or `None` for a key with no known prefix.
            pub fn from_key(key: &str) -> ::std::option::Option<Self> {
                #( if key.starts_with(#prefixes) { return Some(Self::#variants); } )*
                None
            }

            /// The key prefix of this environment.
            pub fn key_prefix(self) -> &'static str {
                match self {
                    #( Self::#variants => #prefixes, )*
                }
            }

            /// Whether calls in this environment act on real (production) data.
            pub fn is_live(self) -> bool {
                match self {
                    #( Self::#variants => #is_live, )*
                }
            }
        }

        impl Client {
            /// The environment the configured key targets (`None` without a key or with a key of
            /// unknown prefix).
            pub fn environment(&self) -> ::std::option::Option<Environment> {
                self.credential.as_ref().and_then(|key| Environment::from_key(key.expose()))
            }
        }
    })
}
