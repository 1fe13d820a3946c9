//! The invoice document's formatting (`app::order::document`).
//! Moved from `app/src/order/document.rs`'s unit tests.

use app::i18n::Locale;
use app::order::document::vat_rate;

#[test]
fn vat_rates_read_as_percentages() {
    assert_eq!(vat_rate(Locale::fr, 2100), "21\u{a0}%");
    assert_eq!(vat_rate(Locale::fr, 550), "5,5\u{a0}%");
    assert_eq!(vat_rate(Locale::en, 550), "5.5\u{a0}%");
    assert_eq!(vat_rate(Locale::nl, 1725), "17,25\u{a0}%");
}
