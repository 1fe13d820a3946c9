//! The texts of every e-mail the programme sends, in French, Dutch and English.
//! Plain text only: it reads well in every client and on every phone.

use crate::i18n::Locale;

/// A message to write to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Email {
    /// "Inscription reçue": sent to the organisation's contact address.
    RegistrationReceived { organisation: String },
    /// The programme eligibility decision, with the reason when refused.
    EligibilityDecided {
        organisation: String,
        eligible: bool,
        reason: String,
    },
    /// Per-partner qualification changed: one line per partner ("Microsoft: qualifiée").
    QualificationChanged { organisation: String, lines: Vec<String> },
    /// Staff need more information; the question is shown in the account too.
    InformationRequested { organisation: String, question: String },
    /// "Demander un nouveau mot de passe": a single-use link.
    PasswordReset { full_name: String, link: String },
    /// The account holder added a member: a link to choose a password.
    MemberInvited {
        organisation: String,
        inviter: String,
        link: String,
    },
    /// An admin added a staff member: the link sets their password.
    StaffInvited { inviter: String, link: String },
    /// Someone tried to add an address that already has an account (it is not moved).
    AlreadyHasAccount { organisation: String },
    /// Staff made someone the account holder.
    HolderTransferred { organisation: String, holder: String },
    /// Staff accepted or refused a change request (with the reason when refused).
    ChangeRequestDecided {
        organisation: String,
        accepted: bool,
        reason: String,
    },
    /// "Continuer" created an order: its invoice and how to pay it. Amounts and dates come
    /// formatted in the reader's language.
    InvoiceIssued {
        order: OrderMail,
        total: String,
        due_on: String,
    },
    /// An unpaid order will expire soon.
    PaymentReminder {
        order: OrderMail,
        total: String,
        due_on: String,
    },
    /// An unpaid order expired: cancelled, its quota freed.
    OrderExpired { order: OrderMail },
    /// The transfer arrived: the order is paid.
    PaymentReceived { order: OrderMail },
    /// Staff moved an order on, or the organisation cancelled lines or asked for a refund:
    /// what happened, with the note staff wrote.
    OrderUpdated {
        organisation: String,
        reference: String,
        news: OrderNews,
        note: String,
        /// The order's page.
        link: String,
    },
    /// A yearly product (Zoom code, Autodesk subscription, AWS credits) runs out soon.
    RenewalDue {
        organisation: String,
        product: String,
        expires_on: String,
        days_left: i64,
        /// The order's page, with its "Renouveler" button.
        link: String,
    },
    /// A validation token expires in 7 days: to the person it was made for and the holder.
    /// The code itself is not in the message.
    TokenExpiring {
        organisation: String,
        recipient: String,
        purpose: String,
        expires_on: String,
        days_left: i64,
        /// The "Jeton de validation" tab.
        link: String,
    },
}

/// What happened to an order, for [`Email::OrderUpdated`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderNews {
    Status(crate::order::model::OrderStatus),
    LinesCancelled,
    CiscoApproved,
    CiscoRefused,
    Shipped,
    CodesAvailable,
    RefundRequested,
    RefundAccepted,
    RefundRefused,
}

/// The headline of `news` in `locale`: "La demande DON-2026-000001 est transmise au partenaire".
fn order_headline(news: OrderNews, locale: Locale, reference: &str) -> String {
    use crate::order::model::OrderStatus::*;
    match (locale, news) {
        (Locale::fr, OrderNews::Status(Submitted)) => format!("La demande {reference} est enregistrée"),
        (Locale::fr, OrderNews::Status(Paid)) => format!("La demande {reference} est payée"),
        (Locale::fr, OrderNews::Status(Transmitted)) => format!("La demande {reference} est transmise au partenaire"),
        (Locale::fr, OrderNews::Status(Fulfilled)) => format!("La demande {reference} est exécutée"),
        (Locale::fr, OrderNews::Status(Cancelled)) => format!("La demande {reference} est annulée"),
        (Locale::fr, OrderNews::Status(Refunded)) => format!("La demande {reference} est remboursée"),
        (Locale::fr, OrderNews::LinesCancelled) => format!("Des lignes de la demande {reference} sont annulées"),
        (Locale::fr, OrderNews::CiscoApproved) => format!("Cisco a approuvé la demande {reference}"),
        (Locale::fr, OrderNews::CiscoRefused) => format!("Cisco a refusé la demande {reference}"),
        (Locale::fr, OrderNews::Shipped) => format!("Un colis de la demande {reference} est expédié"),
        (Locale::fr, OrderNews::CodesAvailable) => format!("Les codes de la demande {reference} sont disponibles"),
        (Locale::fr, OrderNews::RefundRequested) => format!("Demande de remboursement reçue pour {reference}"),
        (Locale::fr, OrderNews::RefundAccepted) => format!("Remboursement accepté pour {reference}"),
        (Locale::fr, OrderNews::RefundRefused) => format!("Remboursement refusé pour {reference}"),
        (Locale::nl, OrderNews::Status(Submitted)) => format!("Aanvraag {reference} is geregistreerd"),
        (Locale::nl, OrderNews::Status(Paid)) => format!("Aanvraag {reference} is betaald"),
        (Locale::nl, OrderNews::Status(Transmitted)) => format!("Aanvraag {reference} is aan de partner doorgegeven"),
        (Locale::nl, OrderNews::Status(Fulfilled)) => format!("Aanvraag {reference} is uitgevoerd"),
        (Locale::nl, OrderNews::Status(Cancelled)) => format!("Aanvraag {reference} is geannuleerd"),
        (Locale::nl, OrderNews::Status(Refunded)) => format!("Aanvraag {reference} is terugbetaald"),
        (Locale::nl, OrderNews::LinesCancelled) => format!("Lijnen van aanvraag {reference} zijn geannuleerd"),
        (Locale::nl, OrderNews::CiscoApproved) => format!("Cisco heeft aanvraag {reference} goedgekeurd"),
        (Locale::nl, OrderNews::CiscoRefused) => format!("Cisco heeft aanvraag {reference} geweigerd"),
        (Locale::nl, OrderNews::Shipped) => format!("Een pakket van aanvraag {reference} is verzonden"),
        (Locale::nl, OrderNews::CodesAvailable) => format!("De codes van aanvraag {reference} zijn beschikbaar"),
        (Locale::nl, OrderNews::RefundRequested) => format!("Terugbetalingsverzoek ontvangen voor {reference}"),
        (Locale::nl, OrderNews::RefundAccepted) => format!("Terugbetaling aanvaard voor {reference}"),
        (Locale::nl, OrderNews::RefundRefused) => format!("Terugbetaling geweigerd voor {reference}"),
        (Locale::en, OrderNews::Status(Submitted)) => format!("Request {reference} is registered"),
        (Locale::en, OrderNews::Status(Paid)) => format!("Request {reference} is paid"),
        (Locale::en, OrderNews::Status(Transmitted)) => format!("Request {reference} is transmitted to the partner"),
        (Locale::en, OrderNews::Status(Fulfilled)) => format!("Request {reference} is fulfilled"),
        (Locale::en, OrderNews::Status(Cancelled)) => format!("Request {reference} is cancelled"),
        (Locale::en, OrderNews::Status(Refunded)) => format!("Request {reference} is refunded"),
        (Locale::en, OrderNews::LinesCancelled) => format!("Lines of request {reference} are cancelled"),
        (Locale::en, OrderNews::CiscoApproved) => format!("Cisco approved request {reference}"),
        (Locale::en, OrderNews::CiscoRefused) => format!("Cisco refused request {reference}"),
        (Locale::en, OrderNews::Shipped) => format!("A parcel of request {reference} has shipped"),
        (Locale::en, OrderNews::CodesAvailable) => format!("The codes of request {reference} are available"),
        (Locale::en, OrderNews::RefundRequested) => format!("Refund request received for {reference}"),
        (Locale::en, OrderNews::RefundAccepted) => format!("Refund accepted for {reference}"),
        (Locale::en, OrderNews::RefundRefused) => format!("Refund refused for {reference}"),
    }
}

/// What every order message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderMail {
    pub organisation: String,
    pub reference: String,
    pub invoice_number: String,
    pub communication: String,
    pub iban: String,
    pub bic: String,
    /// The invoice page.
    pub link: String,
}

/// Subject and body of `email` in `locale`, signed with the programme's name.
pub fn render(email: &Email, locale: Locale, programme: &str, site: &str) -> (String, String) {
    let (subject, body) = match (email, locale) {
        (Email::RegistrationReceived { organisation }, Locale::fr) => (
            format!("Inscription reçue : {organisation}"),
            format!(
                "Bonjour,\n\nNous avons bien reçu l'inscription de {organisation}. Notre équipe l'examine dans les deux jours ouvrables et vous informera du résultat par e-mail.\n\nVous pouvez suivre l'état de votre dossier sur {site}/account."
            ),
        ),
        (Email::RegistrationReceived { organisation }, Locale::nl) => (
            format!("Registratie ontvangen: {organisation}"),
            format!(
                "Goeddag,\n\nWe hebben de registratie van {organisation} goed ontvangen. Ons team bekijkt ze binnen twee werkdagen en laat u het resultaat per e-mail weten.\n\nU kunt uw dossier volgen op {site}/account."
            ),
        ),
        (Email::RegistrationReceived { organisation }, Locale::en) => (
            format!("Registration received: {organisation}"),
            format!(
                "Hello,\n\nWe have received the registration of {organisation}. Our team reviews it within two business days and will tell you the outcome by e-mail.\n\nYou can follow your file at {site}/account."
            ),
        ),
        (
            Email::EligibilityDecided {
                organisation,
                eligible,
                reason,
            },
            locale,
        ) => {
            let (subject, verdict) = match (locale, eligible) {
                (Locale::fr, true) => (
                    "Votre organisation est éligible",
                    "est éligible au programme. Vous pouvez commander les offres des partenaires pour lesquels elle est qualifiée.",
                ),
                (Locale::fr, false) => (
                    "Votre organisation n'est pas éligible",
                    "n'est pas éligible au programme.",
                ),
                (Locale::nl, true) => (
                    "Uw organisatie komt in aanmerking",
                    "komt in aanmerking voor het programma. U kunt de aanbiedingen bestellen van de partners waarvoor ze gekwalificeerd is.",
                ),
                (Locale::nl, false) => (
                    "Uw organisatie komt niet in aanmerking",
                    "komt niet in aanmerking voor het programma.",
                ),
                (Locale::en, true) => (
                    "Your organisation is eligible",
                    "is eligible for the programme. You can order the offers of the partners it is qualified for.",
                ),
                (Locale::en, false) => (
                    "Your organisation is not eligible",
                    "is not eligible for the programme.",
                ),
            };
            let reason_label = match locale {
                Locale::fr => "Motif",
                Locale::nl => "Reden",
                Locale::en => "Reason",
            };
            let reason = if reason.trim().is_empty() {
                String::new()
            } else {
                format!("\n\n{reason_label} : {reason}")
            };
            (
                subject.to_owned(),
                format!("{organisation} {verdict}{reason}\n\n{site}/account"),
            )
        }
        (Email::QualificationChanged { organisation, lines }, locale) => {
            let (subject, intro) = match locale {
                Locale::fr => (
                    "Qualification par partenaire mise à jour",
                    "La qualification de votre organisation a changé",
                ),
                Locale::nl => (
                    "Kwalificatie per partner bijgewerkt",
                    "De kwalificatie van uw organisatie is gewijzigd",
                ),
                Locale::en => (
                    "Qualification per partner updated",
                    "Your organisation's qualification has changed",
                ),
            };
            (
                subject.to_owned(),
                format!("{intro} ({organisation}):\n\n{}\n\n{site}/account", lines.join("\n")),
            )
        }
        (Email::InformationRequested { organisation, question }, locale) => {
            let (subject, intro, answer) = match locale {
                Locale::fr => (
                    "Informations complémentaires demandées",
                    "Pour examiner le dossier de",
                    "Répondez depuis votre compte",
                ),
                Locale::nl => (
                    "Bijkomende informatie gevraagd",
                    "Om het dossier te bekijken van",
                    "Antwoord vanuit uw account",
                ),
                Locale::en => (
                    "More information needed",
                    "To review the file of",
                    "Answer from your account",
                ),
            };
            (
                subject.to_owned(),
                format!("{intro} {organisation} :\n\n{question}\n\n{answer} : {site}/account"),
            )
        }
        (Email::PasswordReset { full_name, link }, locale) => {
            let (subject, text) = match locale {
                Locale::fr => (
                    "Nouveau mot de passe",
                    "Pour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, une seule fois) :",
                ),
                Locale::nl => (
                    "Nieuw wachtwoord",
                    "Open deze link om een nieuw wachtwoord te kiezen (één uur geldig, één keer te gebruiken):",
                ),
                Locale::en => (
                    "New password",
                    "To choose a new password, open this link (valid for one hour, once):",
                ),
            };
            let ignore = match locale {
                Locale::fr => "Si vous n'avez rien demandé, ignorez ce message.",
                Locale::nl => "Hebt u niets gevraagd? Negeer dan dit bericht.",
                Locale::en => "If you did not ask for this, ignore this message.",
            };
            (
                subject.to_owned(),
                format!("{full_name},\n\n{text}\n{link}\n\n{ignore}"),
            )
        }
        (
            Email::MemberInvited {
                organisation,
                inviter,
                link,
            },
            locale,
        ) => {
            let (subject, text) = match locale {
                Locale::fr => (
                    format!("Invitation : {organisation}"),
                    format!(
                        "{inviter} vous a ajouté(e) comme membre de {organisation}. Choisissez votre mot de passe avec ce lien (valable 7 jours, une seule fois) :"
                    ),
                ),
                Locale::nl => (
                    format!("Uitnodiging: {organisation}"),
                    format!(
                        "{inviter} heeft u toegevoegd als lid van {organisation}. Kies uw wachtwoord met deze link (7 dagen geldig, één keer te gebruiken):"
                    ),
                ),
                Locale::en => (
                    format!("Invitation: {organisation}"),
                    format!(
                        "{inviter} added you as a member of {organisation}. Choose your password with this link (valid for 7 days, once):"
                    ),
                ),
            };
            (subject, format!("{text}\n{link}"))
        }
        (Email::StaffInvited { inviter, link }, locale) => {
            let (subject, text) = match locale {
                Locale::fr => (
                    "Vous rejoignez l'équipe du programme".to_owned(),
                    format!(
                        "{inviter} vous a ajouté(e) à l'équipe du programme de dons. Choisissez votre mot de passe avec ce lien (valable 7 jours, une seule fois) :"
                    ),
                ),
                Locale::nl => (
                    "U maakt deel uit van het programmateam".to_owned(),
                    format!(
                        "{inviter} heeft u toegevoegd aan het team van het donatieprogramma. Kies uw wachtwoord met deze link (7 dagen geldig, één keer te gebruiken):"
                    ),
                ),
                Locale::en => (
                    "You have joined the programme's team".to_owned(),
                    format!(
                        "{inviter} added you to the donation programme's team. Choose your password with this link (valid for 7 days, once):"
                    ),
                ),
            };
            (subject, format!("{text}\n{link}"))
        }
        (Email::AlreadyHasAccount { organisation }, locale) => match locale {
            Locale::fr => (
                "Invitation non appliquée".to_owned(),
                format!(
                    "{organisation} a voulu vous ajouter comme membre, mais votre adresse a déjà un compte sur notre portail. Rien n'a changé ; contactez le support si vous souhaitez changer d'organisation."
                ),
            ),
            Locale::nl => (
                "Uitnodiging niet toegepast".to_owned(),
                format!(
                    "{organisation} wilde u als lid toevoegen, maar uw adres heeft al een account op ons portaal. Er is niets gewijzigd; neem contact op met de support als u van organisatie wilt veranderen."
                ),
            ),
            Locale::en => (
                "Invitation not applied".to_owned(),
                format!(
                    "{organisation} tried to add you as a member, but your address already has an account on our portal. Nothing changed; contact support if you want to change organisation."
                ),
            ),
        },
        (Email::HolderTransferred { organisation, holder }, locale) => match locale {
            Locale::fr => (
                "Nouveau titulaire du compte".to_owned(),
                format!("{holder} est désormais titulaire du compte de {organisation}.\n\n{site}/account"),
            ),
            Locale::nl => (
                "Nieuwe accounthouder".to_owned(),
                format!("{holder} is voortaan accounthouder van {organisation}.\n\n{site}/account"),
            ),
            Locale::en => (
                "New account holder".to_owned(),
                format!("{holder} is now the account holder of {organisation}.\n\n{site}/account"),
            ),
        },
        (
            Email::ChangeRequestDecided {
                organisation,
                accepted,
                reason,
            },
            locale,
        ) => {
            let subject = match (locale, accepted) {
                (Locale::fr, true) => "Demande de modification acceptée",
                (Locale::fr, false) => "Demande de modification refusée",
                (Locale::nl, true) => "Wijzigingsaanvraag aanvaard",
                (Locale::nl, false) => "Wijzigingsaanvraag geweigerd",
                (Locale::en, true) => "Change request accepted",
                (Locale::en, false) => "Change request refused",
            };
            let reason_label = match locale {
                Locale::fr => "Motif",
                Locale::nl => "Reden",
                Locale::en => "Reason",
            };
            let reason = if reason.is_empty() {
                String::new()
            } else {
                format!("\n\n{reason_label} : {reason}")
            };
            (
                subject.to_owned(),
                format!("{organisation} — {subject}.{reason}\n\n{site}/account"),
            )
        }
        (Email::InvoiceIssued { order, total, due_on }, locale) => {
            let o = order;
            match locale {
                Locale::fr => (
                    format!("Facture {} — demande {}", o.invoice_number, o.reference),
                    format!(
                        "Bonjour,\n\nMerci pour la demande {} de {}. La facture {} des frais administratifs s'élève à {total} TVAC.\n\nVeuillez la payer par virement avant le {due_on} :\n  IBAN : {}\n  BIC : {}\n  Communication structurée : {}\n\nSans paiement à cette date, la demande expire et les quotas qu'elle réserve sont libérés.\n\nLa facture : {}",
                        o.reference, o.organisation, o.invoice_number, o.iban, o.bic, o.communication, o.link
                    ),
                ),
                Locale::nl => (
                    format!("Factuur {} — aanvraag {}", o.invoice_number, o.reference),
                    format!(
                        "Goeddag,\n\nBedankt voor aanvraag {} van {}. Factuur {} voor de administratiekosten bedraagt {total} incl. btw.\n\nGelieve ze vóór {due_on} over te schrijven:\n  IBAN: {}\n  BIC: {}\n  Gestructureerde mededeling: {}\n\nZonder betaling op die datum vervalt de aanvraag en komen de quota die ze reserveert weer vrij.\n\nDe factuur: {}",
                        o.reference, o.organisation, o.invoice_number, o.iban, o.bic, o.communication, o.link
                    ),
                ),
                Locale::en => (
                    format!("Invoice {} — request {}", o.invoice_number, o.reference),
                    format!(
                        "Hello,\n\nThank you for request {} from {}. Invoice {} for the administrative fees comes to {total} incl. VAT.\n\nPlease pay it by bank transfer before {due_on}:\n  IBAN: {}\n  BIC: {}\n  Structured communication: {}\n\nWithout payment by then, the request expires and the quotas it holds are freed.\n\nThe invoice: {}",
                        o.reference, o.organisation, o.invoice_number, o.iban, o.bic, o.communication, o.link
                    ),
                ),
            }
        }
        (Email::PaymentReminder { order, total, due_on }, locale) => {
            let o = order;
            match locale {
                Locale::fr => (
                    format!("Rappel : facture {} à payer avant le {due_on}", o.invoice_number),
                    format!(
                        "Bonjour,\n\nNous n'avons pas encore reçu le paiement de la facture {} ({total}) pour la demande {}. Sans paiement avant le {due_on}, la demande expire.\n\n  IBAN : {}\n  BIC : {}\n  Communication structurée : {}\n\nLa facture : {}",
                        o.invoice_number, o.reference, o.iban, o.bic, o.communication, o.link
                    ),
                ),
                Locale::nl => (
                    format!("Herinnering: factuur {} te betalen vóór {due_on}", o.invoice_number),
                    format!(
                        "Goeddag,\n\nWe hebben de betaling van factuur {} ({total}) voor aanvraag {} nog niet ontvangen. Zonder betaling vóór {due_on} vervalt de aanvraag.\n\n  IBAN: {}\n  BIC: {}\n  Gestructureerde mededeling: {}\n\nDe factuur: {}",
                        o.invoice_number, o.reference, o.iban, o.bic, o.communication, o.link
                    ),
                ),
                Locale::en => (
                    format!("Reminder: invoice {} due by {due_on}", o.invoice_number),
                    format!(
                        "Hello,\n\nWe have not yet received payment of invoice {} ({total}) for request {}. Without payment by {due_on}, the request expires.\n\n  IBAN: {}\n  BIC: {}\n  Structured communication: {}\n\nThe invoice: {}",
                        o.invoice_number, o.reference, o.iban, o.bic, o.communication, o.link
                    ),
                ),
            }
        }
        (Email::OrderExpired { order: o }, Locale::fr) => (
            format!("Demande {} expirée", o.reference),
            format!(
                "Bonjour,\n\nLa facture {} n'a pas été payée à temps : la demande {} de {} est annulée et les quotas qu'elle réservait sont libérés. Vous pouvez refaire une demande depuis le catalogue.\n\n{}",
                o.invoice_number, o.reference, o.organisation, o.link
            ),
        ),
        (Email::OrderExpired { order: o }, Locale::nl) => (
            format!("Aanvraag {} vervallen", o.reference),
            format!(
                "Goeddag,\n\nFactuur {} werd niet op tijd betaald: aanvraag {} van {} is geannuleerd en de quota die ze reserveerde zijn weer vrij. U kunt een nieuwe aanvraag doen vanuit de catalogus.\n\n{}",
                o.invoice_number, o.reference, o.organisation, o.link
            ),
        ),
        (Email::OrderExpired { order: o }, Locale::en) => (
            format!("Request {} expired", o.reference),
            format!(
                "Hello,\n\nInvoice {} was not paid in time: request {} from {} is cancelled and the quotas it held are freed. You can place a new request from the catalogue.\n\n{}",
                o.invoice_number, o.reference, o.organisation, o.link
            ),
        ),
        (Email::PaymentReceived { order: o }, Locale::fr) => (
            format!("Paiement reçu — demande {}", o.reference),
            format!(
                "Bonjour,\n\nNous avons reçu le paiement de la facture {}. La demande {} de {} est payée et part chez le partenaire.\n\n{}",
                o.invoice_number, o.reference, o.organisation, o.link
            ),
        ),
        (Email::PaymentReceived { order: o }, Locale::nl) => (
            format!("Betaling ontvangen — aanvraag {}", o.reference),
            format!(
                "Goeddag,\n\nWe hebben de betaling van factuur {} ontvangen. Aanvraag {} van {} is betaald en gaat naar de partner.\n\n{}",
                o.invoice_number, o.reference, o.organisation, o.link
            ),
        ),
        (Email::PaymentReceived { order: o }, Locale::en) => (
            format!("Payment received — request {}", o.reference),
            format!(
                "Hello,\n\nWe have received payment of invoice {}. Request {} from {} is paid and goes to the partner.\n\n{}",
                o.invoice_number, o.reference, o.organisation, o.link
            ),
        ),
        (
            Email::OrderUpdated {
                organisation,
                reference,
                news,
                note,
                link,
            },
            locale,
        ) => {
            let headline = order_headline(*news, locale, reference);
            let (hello, note_label, follow) = match locale {
                Locale::fr => ("Bonjour,", "Note de l'équipe", "Suivez la demande de"),
                Locale::nl => ("Goeddag,", "Opmerking van het team", "Volg de aanvraag van"),
                Locale::en => ("Hello,", "Note from the team", "Follow the request of"),
            };
            // French puts a space before the colon.
            let colon = if locale == Locale::fr { " :" } else { ":" };
            let note = if note.trim().is_empty() {
                String::new()
            } else {
                format!("\n\n{note_label}{colon} {}", note.trim())
            };
            (
                headline.clone(),
                format!("{hello}\n\n{headline}.{note}\n\n{follow} {organisation}{colon} {link}"),
            )
        }
        (
            Email::RenewalDue {
                organisation,
                product,
                expires_on,
                days_left,
                link,
            },
            locale,
        ) => match locale {
            Locale::fr => (
                format!("{product} expire dans {days_left} jours"),
                format!(
                    "Bonjour,\n\n{product} de {organisation} expire le {expires_on}, dans {days_left} jours. Pour le renouveler, cliquez sur « Renouveler » sur la page de la demande : le même produit sera mis dans votre panier.\n\n{link}"
                ),
            ),
            Locale::nl => (
                format!("{product} vervalt over {days_left} dagen"),
                format!(
                    "Goeddag,\n\n{product} van {organisation} vervalt op {expires_on}, over {days_left} dagen. Klik op „Vernieuwen” op de pagina van de aanvraag om te verlengen: hetzelfde product komt in uw winkelmandje.\n\n{link}"
                ),
            ),
            Locale::en => (
                format!("{product} expires in {days_left} days"),
                format!(
                    "Hello,\n\n{product} of {organisation} expires on {expires_on}, in {days_left} days. To renew it, click \"Renew\" on the request's page: the same product goes into your cart.\n\n{link}"
                ),
            ),
        },
        (
            Email::TokenExpiring {
                organisation,
                recipient,
                purpose,
                expires_on,
                days_left,
                link,
            },
            locale,
        ) => {
            let purpose = if purpose.is_empty() {
                String::new()
            } else {
                format!(" ({purpose})")
            };
            match locale {
                Locale::fr => (
                    format!("Un jeton de validation expire dans {days_left} jours"),
                    format!(
                        "Bonjour,\n\nLe jeton de validation de {organisation} créé pour {recipient}{purpose} expire le {expires_on}, dans {days_left} jours. Les services déjà obtenus ne sont pas touchés. Une fois le jeton expiré, le titulaire du compte peut le mettre à jour dans l'onglet « Jeton de validation » : un nouveau code remplace l'ancien pour 60 jours.\n\n{link}"
                    ),
                ),
                Locale::nl => (
                    format!("Een validatietoken vervalt over {days_left} dagen"),
                    format!(
                        "Goeddag,\n\nHet validatietoken van {organisation} aangemaakt voor {recipient}{purpose} vervalt op {expires_on}, over {days_left} dagen. Reeds verkregen diensten blijven behouden. Zodra het token vervallen is, kan de accounthouder het bijwerken in het tabblad „Validatietoken”: een nieuwe code vervangt de oude voor 60 dagen.\n\n{link}"
                    ),
                ),
                Locale::en => (
                    format!("A validation token expires in {days_left} days"),
                    format!(
                        "Hello,\n\nThe validation token of {organisation} created for {recipient}{purpose} expires on {expires_on}, in {days_left} days. Services already obtained are not affected. Once it has expired, the account holder can refresh it in the \"Validation token\" tab: a new code replaces the old one for 60 days.\n\n{link}"
                    ),
                ),
            }
        }
    };
    (format!("[{programme}] {subject}"), format!("{body}\n\n— {programme}\n"))
}
