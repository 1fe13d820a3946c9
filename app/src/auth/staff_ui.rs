//! "Équipe" (`/admin/staff`): admins see the staff, change a role or take access away (after
//! a confirmation), and invite a new staff member.

use crate::auth::mfa_api::ResetMfa;
use crate::auth::model::StaffMember;
use crate::auth::staff_api::{InviteStaff, SetStaffRole, SetStaffScope, staff_members};
use crate::error::AppError;
use crate::i18n::*;
use crate::org::model::StaffRole;
use crate::ui::forms::{
    ConfirmButton, FieldError, FormError, SendButton, action_error, has_error, successes, translated,
};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;

fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: &str) -> String {
    match role {
        "admin" => t_string!(i18n, staff.role_admin),
        "agent" => t_string!(i18n, staff.role_agent),
        _ => t_string!(i18n, staff.role_none),
    }
    .to_string()
}

/// Admins: the staff. Served as islands (`ui::islands::MODULES`, in the `team` module): the
/// page reads the staff and the partners and [`StaffTeam`], one island, shows them and acts on
/// them.
#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let members = Resource::new(|| (), |_| staff_members());
    let partners = Resource::new(|| (), |_| crate::org::api::list_partners());
    view! {
        <Title text=localized_title(move || t_string!(i18n, staff.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, staff.title)}</h1>
            <p>{t!(i18n, staff.intro)}</p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let partners = partners.await.unwrap_or_default();
                    view! { <StaffTeam members=members.await partners locale=i18n.get_locale() /> }
                })}
            </Suspense>
        </section>
    }
}

/// The staff, their roles, scopes and second factors, and the invitation, an island: its props
/// are the staff as `staff_members` read them, the partners (id, name) a scope may name and
/// the page's language; the staff are read again after each change.
#[island]
fn StaffTeam(
    /// The staff, or why they could not be read.
    members: Result<Vec<StaffMember>, AppError>,
    /// The partners, as `list_partners` read them.
    partners: Vec<(String, String)>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let invite = ServerAction::<InviteStaff>::new();
    let set_role = ServerAction::<SetStaffRole>::new();
    let set_scope = ServerAction::<SetStaffScope>::new();
    let reset_mfa = ServerAction::<ResetMfa>::new();
    let reset_done = successes(reset_mfa);
    let reset_error = action_error(reset_mfa);
    let invited = successes(invite);
    let changed = successes(set_role);
    let scoped = successes(set_scope);
    let members = read_again_on(
        members,
        move || invited.get() + changed.get() + scoped.get(),
        staff_members,
    );
    let role_error = action_error(set_role);
    let scope_error = action_error(set_scope);
    view! {
        {move || {
            (changed.get() > 0)
                .then(|| view! { <p class="notice success" role="status">{t!(i18n, staff.role_saved)}</p> })
        }}
        {move || {
            (reset_done.get() > 0)
                .then(|| view! { <p class="notice success" role="status">{t!(i18n, mfa.reset_done)}</p> })
        }}
        {move || {
            (scoped.get() > 0)
                .then(|| view! { <p class="notice success" role="status">{t!(i18n, queues.scope_saved)}</p> })
        }}
        <FormError error=role_error />
        <FormError error=scope_error />
        <FormError error=reset_error />
        {move || {
            let partners = partners.clone();
            match members.get() {
                Ok(members) => view! { <StaffList members set_role set_scope reset_mfa partners /> }.into_any(),
                Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
            }
        }}
        <InviteForm invite />
    }
}

#[component]
fn StaffList(
    members: Vec<StaffMember>,
    set_role: ServerAction<SetStaffRole>,
    set_scope: ServerAction<SetStaffScope>,
    reset_mfa: ServerAction<ResetMfa>,
    partners: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let partners = StoredValue::new(partners);
    let rows = members
        .into_iter()
        .map(|member| {
            let scope_cell = if member.role == StaffRole::Agent {
                view! { <td><ScopeForm member=member.clone() partners=partners.get_value() set_scope /></td> }
                    .into_any()
            } else {
                view! { <td>{t!(i18n, queues.scope_all)}</td> }.into_any()
            };
            let current = member.role.as_str();
            let select_id = format!("role-{}", member.person_id);
            let name = member.full_name.clone();
            let role_cell = if member.is_you {
                view! { <td>{move || role_label(i18n, current)} " " {t!(i18n, staff.you)}</td> }.into_any()
            } else {
                let person_id = member.person_id.clone();
                let remove_name = name.clone();
                let reset_name = name.clone();
                let reset_id = member.person_id.clone();
                view! {
                    <td>
                        <ActionForm action=set_role attr:class="inline-form">
                            <input type="hidden" name="person_id" value=member.person_id.clone() />
                            <div class="field">
                                <label for=select_id.clone()>
                                    {t!(i18n, staff.role_of)} " " {name.clone()}
                                </label>
                                <select id=select_id name="role">
                                    {["admin", "agent"]
                                        .into_iter()
                                        .map(|role| {
                                            view! {
                                                <option value=role selected=role == current>
                                                    {move || role_label(i18n, role)}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                            <button type="submit" class="button secondary" disabled=move || set_role.pending().get()>
                                {t!(i18n, staff.save)}
                            </button>
                        </ActionForm>
                        // Taking access away asks first; a role change does not.
                        <ConfirmButton
                            label=Signal::derive(move || t_string!(i18n, staff.remove).to_string())
                            question=Signal::derive(move || {
                                t_string!(i18n, staff.confirm_remove, name = remove_name.clone()).to_string()
                            })
                            yes=Signal::derive(move || t_string!(i18n, staff.remove_yes).to_string())
                            no=Signal::derive(move || t_string!(i18n, staff.remove_no).to_string())
                            pending=set_role.pending()
                            on_confirm=Callback::new(move |()| {
                                set_role
                                    .dispatch(SetStaffRole {
                                        person_id: person_id.clone(),
                                        role: "none".to_owned(),
                                    });
                            })
                        />
                        // A lost phone: the person enrols again at their next login.
                        <ConfirmButton
                            label=Signal::derive(move || t_string!(i18n, mfa.reset_button).to_string())
                            question=Signal::derive(move || {
                                t_string!(i18n, mfa.reset_question, name = reset_name.clone()).to_string()
                            })
                            yes=Signal::derive(move || t_string!(i18n, mfa.reset_yes).to_string())
                            no=Signal::derive(move || t_string!(i18n, mfa.reset_no).to_string())
                            pending=reset_mfa.pending()
                            on_confirm=Callback::new(move |()| {
                                reset_mfa
                                    .dispatch(ResetMfa {
                                        person_id: reset_id.clone(),
                                    });
                            })
                        />
                    </td>
                }
                .into_any()
            };
            view! {
                <tr>
                    <td>{member.full_name}</td>
                    <td>{member.email}</td>
                    {role_cell}
                    {scope_cell}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-labelledby="staff-caption">
            <table class="lines">
                <caption id="staff-caption" class="h2">{t!(i18n, staff.members)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, staff.name)}</th>
                        <th scope="col">{t!(i18n, staff.email)}</th>
                        <th scope="col">{t!(i18n, staff.role)}</th>
                        <th scope="col">{t!(i18n, queues.scope_column)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The partners an agent is limited to (a "Cisco desk"); none ticked: every partner.
#[component]
fn ScopeForm(
    member: StaffMember,
    partners: Vec<(String, String)>,
    set_scope: ServerAction<SetStaffScope>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(member.partners.clone());
    let person_id = StoredValue::new(member.person_id.clone());
    let name = member.full_name.clone();
    let hint_id = format!("scope-hint-{}", member.person_id);
    let hint_ref = hint_id.clone();
    view! {
        <form
            class="inline-form scope-form"
            on:submit=move |ev| {
                ev.prevent_default();
                set_scope
                    .dispatch(SetStaffScope {
                        person_id: person_id.get_value(),
                        partners: chosen.get_untracked(),
                    });
            }
        >
            <fieldset aria-describedby=hint_ref>
                <legend>{t!(i18n, queues.scope_legend, name = name.clone())}</legend>
                {partners
                    .into_iter()
                    .map(|(id, label)| {
                        let input_id = format!("scope-{}-{id}", member.person_id);
                        let checked_id = id.clone();
                        let toggle_id = id.clone();
                        view! {
                            <div class="checkbox">
                                <input
                                    type="checkbox"
                                    id=input_id.clone()
                                    value=id.clone()
                                    prop:checked=move || chosen.with(|c| c.contains(&checked_id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            c.retain(|p| *p != toggle_id);
                                            if on {
                                                c.push(toggle_id.clone());
                                            }
                                        });
                                    }
                                />
                                <label for=input_id>{label}</label>
                            </div>
                        }
                    })
                    .collect_view()}
                <p id=hint_id class="hint">{t!(i18n, queues.scope_hint)}</p>
            </fieldset>
            <button type="submit" class="button secondary" disabled=move || set_scope.pending().get()>
                {t!(i18n, queues.scope_save)}
            </button>
        </form>
    }
}

#[component]
fn InviteForm(invite: ServerAction<InviteStaff>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(invite);
    let invited = successes(invite);
    view! {
        <section class="card" aria-labelledby="invite-staff-title">
            <h2 id="invite-staff-title">{t!(i18n, staff.invite_title)}</h2>
            {move || {
                (invited.get() > 0)
                    .then(|| view! { <p class="notice success" role="status">{t!(i18n, staff.invited)}</p> })
            }}
            <ActionForm action=invite>
                <FormError error />
                <div class="field">
                    <label for="staff-full-name">{t!(i18n, staff.name)}</label>
                    <input
                        id="staff-full-name"
                        name="full_name"
                        type="text"
                        autocomplete="off"
                        aria-describedby="full_name-error"
                        aria-invalid=has_error(error, "full_name")
                    />
                    <FieldError field="full_name" error />
                </div>
                <div class="field">
                    <label for="staff-email">{t!(i18n, staff.email)}</label>
                    <input
                        id="staff-email"
                        name="email"
                        type="email"
                        autocomplete="off"
                        aria-describedby="email-error"
                        aria-invalid=has_error(error, "email")
                    />
                    <FieldError field="email" error />
                </div>
                <div class="field">
                    <label for="staff-role">{t!(i18n, staff.role)}</label>
                    <select id="staff-role" name="role">
                        <option value=StaffRole::Agent.as_str() selected=true>
                            {move || role_label(i18n, "agent")}
                        </option>
                        <option value=StaffRole::Admin.as_str()>{move || role_label(i18n, "admin")}</option>
                    </select>
                </div>
                <SendButton pending=invite.pending() label=translated(i18n, |i| t_string!(i, staff.invite).to_string()) />
            </ActionForm>
        </section>
    }
}
