//! The server's token codes (`app::token::generate_code`): the domain's pure draw fed by
//! the operating system's CSPRNG.

use app::token::generate_code;

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
