//! Validation tokens ("jetons de validation"): how an organisation proves to a partner that
//! the programme validated it, and the API partners check them with.

pub mod api;
pub use domain::token::model;
pub mod partner_ui;
pub use domain::token::rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod verify;
#[cfg(feature = "ssr")]
pub mod worker;

#[cfg(feature = "ssr")]
use argon2::password_hash::rand_core::{OsRng, RngCore};
#[cfg(feature = "ssr")]
use rules::{ALPHABET, TokenCode};

/// A fresh code from the operating system's CSPRNG, drawn by the domain's pure
/// [`TokenCode::draw`]; the random source is the server's, so it stays here.
#[cfg(feature = "ssr")]
pub fn generate_code() -> TokenCode {
    let mut buffer = [0u8; 64];
    let mut used = buffer.len();
    TokenCode::draw(|| {
        if used == buffer.len() {
            OsRng.fill_bytes(&mut buffer);
            used = 0;
        }
        used += 1;
        buffer[used - 1]
    })
}

/// A partner API key: `vk_` and 40 symbols of [`ALPHABET`] (206 bits). Only its SHA-256 is
/// stored; the key is shown once, when staff create the client.
#[cfg(feature = "ssr")]
pub fn new_api_key() -> String {
    let mut key = String::from("vk_");
    while key.len() < 43 {
        let mut byte = [0u8; 1];
        OsRng.fill_bytes(&mut byte);
        if byte[0] < 252 {
            key.push(char::from(ALPHABET[usize::from(byte[0] % 36)]));
        }
    }
    key
}
