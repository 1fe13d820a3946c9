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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::generate_code;

    /// The token shape, written independently of `TokenCode::parse` (as in the domain's
    /// property tests).
    fn has_token_shape(text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        chars.len() == 25
            && chars[8] == '@'
            && chars
                .iter()
                .enumerate()
                .all(|(i, c)| i == 8 || c.is_ascii_digit() || c.is_ascii_lowercase())
    }

    #[test]
    fn generated_codes_have_the_shape() {
        for _ in 0..1_000 {
            let code = generate_code();
            assert!(has_token_shape(code.as_str()), "{}", code.as_str());
        }
    }

    /// Two million codes from the server's generator: no two alike. A generator with a weak
    /// seed or a short random part would repeat itself well before that.
    #[test]
    fn two_million_generated_codes_have_no_duplicate() {
        const COUNT: usize = 2_000_000;
        let mut codes: Vec<u128> = (0..COUNT).map(|_| generate_code().to_u128()).collect();
        codes.sort_unstable();
        let duplicates = codes.windows(2).filter(|pair| pair[0] == pair[1]).count();
        assert_eq!(codes.len(), COUNT);
        assert_eq!(duplicates, 0);
    }
}
