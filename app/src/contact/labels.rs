//! The contact form's topics in the reader's language, for the form, the inbox and the
//! acknowledgement e-mail alike.

use crate::contact::model::Topic;
use crate::i18n::{Locale, td_string};

/// "Le programme", "Éligibilité et inscription"… in `locale`.
pub fn topic_label(locale: Locale, topic: Topic) -> String {
    match topic {
        Topic::Programme => td_string!(locale, contact.topic_programme).to_string(),
        Topic::Eligibility => td_string!(locale, contact.topic_eligibility).to_string(),
        Topic::Order => td_string!(locale, contact.topic_order).to_string(),
        Topic::Invoice => td_string!(locale, contact.topic_invoice).to_string(),
        Topic::Partner => td_string!(locale, contact.topic_partner).to_string(),
        Topic::Other => td_string!(locale, contact.topic_other).to_string(),
    }
}
