//! Cart types and the checks on what may be stored in a cart (the partner rules are the
//! engine's business, not these).

use crate::quota::model::{CartInput, Verdict};
use serde::{Deserialize, Serialize};

/// A stored cart line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartItem {
    pub id: String,
    pub input: CartInput,
}

/// What "Continuer" answered. It lives with the cart, not the order: the order's types sit below
/// the rules engine whose verdict a refusal carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckoutOutcome {
    /// The orders were created (or had been, by an earlier request with the same key): see
    /// the confirmation page of this checkout.
    Placed { checkout_id: String },
    /// Something changed since "Vérifier la qualification": the verdict as it stands now.
    Refused(Verdict),
}

/// Zoom add-ons an organisation may ask for with its plan (the partner prices them itself).
pub const ZOOM_ADDONS: [&str; 3] = ["large_meetings", "webinars", "cloud_recording"];

/// The most units of one line.
pub const MAX_QUANTITY: u32 = 999;
/// The most lines in one cart.
pub const MAX_LINES: usize = 50;
/// The longest text a line field takes (an e-mail address, an AWS account name).
pub const MAX_TEXT: usize = 200;

/// Why a line cannot be stored: the field and the message code.
pub type LineError = (&'static str, &'static str);

/// The units one line may hold (1 to [`MAX_QUANTITY`]): the cart, "Vérifier la
/// qualification" and checkout all take the same bound, so that no verdict is given for a
/// quantity checkout would refuse.
pub fn check_quantity(quantity: u32) -> Result<(), LineError> {
    if (1..=MAX_QUANTITY).contains(&quantity) {
        Ok(())
    } else {
        Err(("quantity", "quantity_invalid"))
    }
}

/// Checks what may be stored of one line: its quantity, the length of its texts and its add-ons.
/// Whether the line may be *ordered* (a filled-in AWS account, a named user…) is the rules
/// engine's verdict, shown beside the line; a cart may hold a line still being filled in.
pub fn check_line(input: &CartInput, is_zoom: bool) -> Result<(), LineError> {
    check_quantity(input.quantity)?;
    for (field, value) in [
        ("aws_account_id", &input.aws_account_id),
        ("aws_account_name", &input.aws_account_name),
        ("named_user", &input.named_user),
    ] {
        if value.chars().count() > MAX_TEXT || value.chars().any(char::is_control) {
            return Err((field, "text_invalid"));
        }
    }
    if !input.zoom_addons.is_empty() && !is_zoom {
        return Err(("zoom_addons", "choose_one"));
    }
    let mut seen = Vec::new();
    for addon in &input.zoom_addons {
        if !ZOOM_ADDONS.contains(&addon.as_str()) || seen.contains(&addon) {
            return Err(("zoom_addons", "choose_one"));
        }
        seen.push(addon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: u32) -> CartInput {
        CartInput {
            slug: "office".into(),
            quantity,
            ..CartInput::default()
        }
    }

    #[test]
    fn quantities_outside_one_to_999_are_refused() {
        assert_eq!(check_line(&line(0), false), Err(("quantity", "quantity_invalid")));
        assert_eq!(check_line(&line(1), false), Ok(()));
        assert_eq!(check_line(&line(999), false), Ok(()));
        assert_eq!(check_line(&line(1000), false), Err(("quantity", "quantity_invalid")));
    }

    #[test]
    fn texts_and_addons_are_bounded() {
        let long = CartInput {
            named_user: "a".repeat(MAX_TEXT + 1),
            ..line(1)
        };
        assert_eq!(check_line(&long, false), Err(("named_user", "text_invalid")));
        let control = CartInput {
            aws_account_name: "asbl\u{0}".into(),
            ..line(1)
        };
        assert_eq!(check_line(&control, false), Err(("aws_account_name", "text_invalid")));
        let addons = CartInput {
            zoom_addons: vec!["webinars".into()],
            ..line(1)
        };
        assert_eq!(check_line(&addons, true), Ok(()));
        assert_eq!(check_line(&addons, false), Err(("zoom_addons", "choose_one")));
        let twice = CartInput {
            zoom_addons: vec!["webinars".into(), "webinars".into()],
            ..line(1)
        };
        assert_eq!(check_line(&twice, true), Err(("zoom_addons", "choose_one")));
        let unknown = CartInput {
            zoom_addons: vec!["<script>".into()],
            ..line(1)
        };
        assert_eq!(check_line(&unknown, true), Err(("zoom_addons", "choose_one")));
    }
}
