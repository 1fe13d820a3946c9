//! The people of an organisation, as the account holder and as staff see them.

use crate::i18n::*;
use crate::org::api::{CancelInvitation, InviteMember, RemoveMember, TransferHolder};
use crate::org::model::{MemberInfo, MemberRole, PendingInvitation};
use crate::ui::forms::{FormError, SubmitButton, TextField, action_error, translated};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The people of the organisation and its pending invitations; the account holder invites
/// and removes members, and cancels invitations.
#[component]
pub(super) fn MembersSection(
    members: Vec<MemberInfo>,
    invitations: Vec<PendingInvitation>,
    is_holder: Signal<bool>,
    invite: ServerAction<InviteMember>,
    remove: ServerAction<RemoveMember>,
    cancel: ServerAction<CancelInvitation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let invite_error = action_error(invite);
    let remove_error = action_error(remove);
    let invited = move || matches!(invite.value().get(), Some(Ok(())));
    // The member whose removal waits for confirmation.
    let confirming = RwSignal::new(None::<String>);
    let members = StoredValue::new(members);
    view! {
        <section class="card" aria-labelledby="members-title">
            <h3 id="members-title">{t!(i18n, members.title)}</h3>
            <FormError error=remove_error />
            <ul class="members">
                {move || {
                    members
                        .get_value()
                        .into_iter()
                        .map(|m| {
                            let holder = m.role == MemberRole::AccountHolder;
                            let id = m.person_id.clone();
                            let id_confirm = m.person_id.clone();
                            let id_remove = m.person_id.clone();
                            let name = m.full_name.clone();
                            view! {
                                <li>
                                    {member_summary(i18n, &m)}
                                    {move || {
                                        (is_holder.get() && !holder)
                                            .then(|| {
                                                let id = id.clone();
                                                let id_confirm = id_confirm.clone();
                                                let id_remove = id_remove.clone();
                                                let name = name.clone();
                                                if confirming.get().as_deref() == Some(id.as_str()) {
                                                    view! {
                                                        <div class="confirm" role="group">
                                                            <p>{t!(i18n, members.confirm_remove)} " " {name}</p>
                                                            <button
                                                                type="button"
                                                                class="button"
                                                                on:click=move |_| {
                                                                    remove.dispatch(RemoveMember { person_id: id_remove.clone() });
                                                                    confirming.set(None);
                                                                }
                                                            >
                                                                {t!(i18n, members.confirm_yes)}
                                                            </button>
                                                            " "
                                                            <button type="button" class="button" on:click=move |_| confirming.set(None)>
                                                                {t!(i18n, members.cancel)}
                                                            </button>
                                                        </div>
                                                    }
                                                        .into_any()
                                                } else {
                                                    view! {
                                                        " "
                                                        <button
                                                            type="button"
                                                            class="link-button"
                                                            on:click=move |_| confirming.set(Some(id_confirm.clone()))
                                                        >
                                                            {t!(i18n, members.remove)}
                                                            <span class="visually-hidden">" " {name.clone()}</span>
                                                        </button>
                                                    }
                                                        .into_any()
                                                }
                                            })
                                    }}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <PendingInvitations invitations is_holder cancel />
            <Show when=move || is_holder.get()>
                <h4>{t!(i18n, members.invite_title)}</h4>
                <FormError error=invite_error />
                <ActionForm action=invite>
                    <TextField
                        field="full_name"
                        name="full_name"
                        id="invite-name"
                        label=translated(i18n, |i| t_string!(i, register.holder_name).to_string())
                        error=invite_error
                    />
                    <TextField
                        field="email"
                        name="email"
                        kind="email"
                        id="invite-email"
                        label=translated(i18n, |i| t_string!(i, members.email).to_string())
                        error=invite_error
                    />
                    <SubmitButton pending=invite.pending()>
                        {t!(i18n, members.invite_button)}
                    </SubmitButton>
                </ActionForm>
                <Show when=invited>
                    <p class="notice success" role="status">
                        {t!(i18n, members.invited)}
                    </p>
                </Show>
            </Show>
        </section>
    }
}

/// "Invitations en attente": every invitation sent and not yet accepted, cancelled nor
/// expired, alike whether or not the address already had an account. The holder may cancel
/// one, after a confirmation.
#[component]
fn PendingInvitations(
    invitations: Vec<PendingInvitation>,
    is_holder: Signal<bool>,
    cancel: ServerAction<CancelInvitation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cancel_error = action_error(cancel);
    let cancelled = move || matches!(cancel.value().get(), Some(Ok(())));
    // The invitation whose cancellation waits for confirmation.
    let confirming = RwSignal::new(None::<String>);
    let empty = invitations.is_empty();
    let invitations = StoredValue::new(invitations);
    let day = move |date: &str| {
        date.parse::<chrono::NaiveDate>()
            .map(|d| crate::ui::dates::long_date(i18n.get_locale(), d))
            .unwrap_or_else(|_| date.to_owned())
    };
    view! {
        <h4 id="invitations-title">{t!(i18n, members.pending_title)}</h4>
        <p class="hint">{t!(i18n, members.pending_hint)}</p>
        <FormError error=cancel_error />
        <Show when=cancelled>
            <p class="notice success" role="status">
                {t!(i18n, members.invitation_cancelled)}
            </p>
        </Show>
        {empty.then(|| view! { <p data-testid="no-invitations">{t!(i18n, members.pending_none)}</p> })}
        <ul class="members" aria-labelledby="invitations-title" data-testid="pending-invitations">
            {move || {
                invitations
                    .get_value()
                    .into_iter()
                    .map(|invitation| {
                        let id = invitation.invitation_id.clone();
                        let email = invitation.email.clone();
                        let email_control = email.clone();
                        let email_attr = email.clone();
                        let sent = day(&invitation.sent_on);
                        let expires = day(&invitation.expires_on);
                        view! {
                            <li data-invitation=email_attr>
                                <span class="partner">{email}</span>
                                " · "
                                {t!(i18n, members.sent_on)}
                                " "
                                {sent}
                                " · "
                                {t!(i18n, members.expires_on)}
                                " "
                                {expires}
                                {move || {
                                    is_holder
                                        .get()
                                        .then(|| cancel_control(i18n, cancel, confirming, id.clone(), email_control.clone()))
                                }}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

/// "Annuler l'invitation", then "Oui, annuler l'invitation" / "Non, la garder".
fn cancel_control(
    i18n: leptos_i18n::I18nContext<Locale>,
    cancel: ServerAction<CancelInvitation>,
    confirming: RwSignal<Option<String>>,
    id: String,
    email: String,
) -> impl IntoView + use<> {
    if confirming.get().as_deref() == Some(id.as_str()) {
        view! {
            <div class="confirm" role="group">
                <p>{t_string!(i18n, members.confirm_cancel_invitation, email = email.clone()).to_string()}</p>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        cancel.dispatch(CancelInvitation { invitation_id: id.clone() });
                        confirming.set(None);
                    }
                >
                    {t!(i18n, members.confirm_cancel_yes)}
                </button>
                " "
                <button type="button" class="button" on:click=move |_| confirming.set(None)>
                    {t!(i18n, members.keep)}
                </button>
            </div>
        }
        .into_any()
    } else {
        view! {
            " "
            <button type="button" class="link-button" on:click=move |_| confirming.set(Some(id.clone()))>
                {t!(i18n, members.cancel_invitation)}
                <span class="visually-hidden">" " {email}</span>
            </button>
        }
        .into_any()
    }
}

/// Staff: the people of an organisation, with "make account holder" for each member.
#[component]
pub(super) fn StaffMembers(
    organisation_id: String,
    members: Vec<MemberInfo>,
    action: ServerAction<TransferHolder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="staff-members-title">
            <h2 id="staff-members-title">{t!(i18n, members.title)}</h2>
            <FormError error />
            <ul class="members">
                {members
                    .into_iter()
                    .map(|m| {
                        let holder = m.role == MemberRole::AccountHolder;
                        let organisation_id = organisation_id.clone();
                        let person_id = m.person_id.clone();
                        let name = m.full_name.clone();
                        view! {
                            <li>
                                {member_summary(i18n, &m)}
                                {(!holder)
                                    .then(|| {
                                        view! {
                                            " "
                                            <button
                                                type="button"
                                                class="link-button"
                                                on:click=move |_| {
                                                    action
                                                        .dispatch(TransferHolder {
                                                            organisation_id: organisation_id.clone(),
                                                            person_id: person_id.clone(),
                                                        });
                                                }
                                            >
                                                {t!(i18n, members.make_holder)}
                                                <span class="visually-hidden">" " {name}</span>
                                            </button>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// "Name · email · role", the start of each member's line.
fn member_summary(i18n: leptos_i18n::I18nContext<Locale>, member: &MemberInfo) -> impl IntoView + use<> {
    let role = if member.role == MemberRole::AccountHolder {
        t_string!(i18n, members.holder).to_string()
    } else {
        t_string!(i18n, members.member).to_string()
    };
    view! {
        <span class="partner">{member.full_name.clone()}</span>
        " · "
        {member.email.clone()}
        " · "
        {role}
    }
}
