//! The people of an organisation, as the account holder and as staff see them.

use crate::i18n::*;
use crate::org::api::{InviteMember, RemoveMember, TransferHolder};
use crate::org::model::{MemberInfo, MemberRole};
use crate::ui::forms::{FormError, SubmitButton, TextField, action_error, translated};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The people of the organisation; the account holder invites and removes members.
#[component]
pub(super) fn MembersSection(
    members: Vec<MemberInfo>,
    is_holder: Signal<bool>,
    invite: ServerAction<InviteMember>,
    remove: ServerAction<RemoveMember>,
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
