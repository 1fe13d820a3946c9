//! "Mes données" (`/account/privacy`): the downloads and "Supprimer mon compte"; and the admin's
//! "Effacer une personne" (`/admin/privacy`).

use crate::auth::ui::Session;
use crate::error::AppError;
use crate::i18n::*;
use crate::privacy::api::{EraseMyAccount, ErasePerson, find_people};
use crate::privacy::model::PersonSummary;
use crate::ui::forms::FieldError;
use crate::ui::forms::{FormError, LoadError, Loading, SubmitButton, TextField, action_error, has_error, translated};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// "Mes données": what every logged-in person may download, and the erasure of their account.
#[component]
pub fn MyDataPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_context::<Session>();
    let erase = ServerAction::<EraseMyAccount>::new();
    let user = Resource::new(
        || (),
        move |_| async move {
            match session {
                Some(session) => session.0.await.ok().flatten(),
                None => None,
            }
        },
    );
    view! {
        <Title text=localized_title(move || t_string!(i18n, privacy_data.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, privacy_data.title)}</h1>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let Some(user) = user.await else {
                        return view! { <p><a href="/login">{t!(i18n, privacy_data.login_first)}</a></p> }.into_any();
                    };
                    let is_holder = user.membership.as_ref().is_some_and(|m| user.is_holder_of(&m.organisation_id));
                    let is_member = user.membership.is_some();
                    let is_staff = user.is_staff();
                    view! {
                        {is_member.then(|| view! { <crate::token::ui::AccountTabs current="privacy" /> })}
                        <p class="lead">
                            {t!(i18n, privacy_data.intro)} " "
                            <a href="/privacy">{t!(i18n, privacy_data.notice_link)}</a>
                        </p>
                        <section class="card" aria-labelledby="mine-title">
                            <h2 id="mine-title">{t!(i18n, privacy_data.mine_title)}</h2>
                            <p>{t!(i18n, privacy_data.mine_text)}</p>
                            <p>
                                <a class="button secondary" href="/account/my-data.zip" download rel="external">
                                    {t!(i18n, privacy_data.mine_button)}
                                </a>
                            </p>
                        </section>
                        {is_holder.then(|| view! {
                            <section class="card" aria-labelledby="organisation-data-title">
                                <h2 id="organisation-data-title">{t!(i18n, privacy_data.organisation_title)}</h2>
                                <p>{t!(i18n, privacy_data.organisation_text)}</p>
                                <p>
                                    <a class="button secondary" href="/account/organisation-data.zip" download rel="external">
                                        {t!(i18n, privacy_data.organisation_button)}
                                    </a>
                                </p>
                            </section>
                        })}
                        {(!is_staff).then(|| view! { <EraseSection erase is_holder /> })}
                    }
                        .into_any()
                })}
            </Suspense>
        </section>
    }
}

/// "Supprimer mon compte": the password and a tick, then the account is anonymised.
#[component]
fn EraseSection(erase: ServerAction<EraseMyAccount>, is_holder: bool) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(erase);
    let done = move || erase.value().with(|v| matches!(v, Some(Ok(()))));
    view! {
        <section class="card" aria-labelledby="erase-title">
            <h2 id="erase-title">{t!(i18n, privacy_data.erase_title)}</h2>
            <p>{t!(i18n, privacy_data.erase_text)}</p>
            {is_holder.then(|| view! { <p class="notice" role="note">{t!(i18n, privacy_data.erase_holder)}</p> })}
            <Show
                when=done
                fallback=move || {
                    view! {
                        <FormError error />
                        <ActionForm action=erase>
                            <TextField
                                field="password"
                                name="password"
                                kind="password"
                                autocomplete="current-password"
                                label=translated(i18n, |i| t_string!(i, privacy_data.erase_password).to_string())
                                error
                            />
                            <div class="field checkbox">
                                <input
                                    id="erase-confirm"
                                    name="confirm"
                                    type="checkbox"
                                    value="yes"
                                    aria-describedby="confirm-error"
                                    aria-invalid=has_error(error, "confirm")
                                />
                                <label for="erase-confirm">{t!(i18n, privacy_data.erase_confirm)}</label>
                                <FieldError field="confirm" error />
                            </div>
                            <SubmitButton pending=erase.pending() class="button danger">
                                {t!(i18n, privacy_data.erase_button)}
                            </SubmitButton>
                        </ActionForm>
                    }
                }
            >
                <p class="notice" role="status" data-testid="erased">
                    {t!(i18n, privacy_data.erased)} " " <a href="/">{t!(i18n, privacy_data.home)}</a>
                </p>
            </Show>
        </section>
    }
}

/// Admin: find a person by e-mail, login or name, and erase them. Served as islands
/// (`ui::islands::MODULES`, in the `erasure` module): the search is a GET form of the
/// server's HTML; the page reads its results and [`PeopleFound`], one island, shows them and
/// erases.
#[component]
pub fn PrivacyAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let people = Resource::new(move || q.get(), find_people);
    view! {
        <Title text=localized_title(move || t_string!(i18n, privacy_data.admin_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, privacy_data.admin_title)}</h1>
            <p class="lead">{t!(i18n, privacy_data.admin_intro)}</p>
            <form method="get" action="/admin/privacy" role="search" aria-label=move || t_string!(i18n, privacy_data.search_label).to_string()>
                <div class="field">
                    <label for="people-q">{t!(i18n, privacy_data.search_label)}</label>
                    <input id="people-q" name="q" type="search" value=move || q.get() />
                </div>
                <button type="submit" class="button secondary">{t!(i18n, privacy_data.search_button)}</button>
            </form>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    view! { <PeopleFound query=q.get_untracked() people=people.await locale=i18n.get_locale() /> }
                })}
            </Suspense>
        </section>
    }
}

/// The people the search found and their erasure, an island: its props are the search, the
/// people as `find_people` read them and the page's language; they are read again after each
/// erasure.
#[island]
fn PeopleFound(
    /// What was searched for (`?q=`).
    query: String,
    /// The people found, or why they could not be read.
    people: Result<Vec<PersonSummary>, AppError>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let erase = ServerAction::<ErasePerson>::new();
    let erased = crate::ui::forms::successes(erase);
    let searched = query.clone();
    let people = read_again_on(people, move || erased.get(), move || find_people(searched.clone()));
    let error = action_error(erase);
    let searched_nothing = query.trim().is_empty();
    view! {
        <FormError error />
        <Show when={move || erased.get() > 0}>
            <p class="notice" role="status">{t!(i18n, privacy_data.admin_erased)}</p>
        </Show>
        {move || match people.get() {
            Ok(people) if people.is_empty() && !searched_nothing => {
                view! { <p class="empty">{t!(i18n, privacy_data.nobody)}</p> }.into_any()
            }
            Ok(people) => view! {
                <ul class="people">
                    {people.into_iter().map(|person| view! { <PersonItem person erase /> }).collect_view()}
                </ul>
            }
                .into_any(),
            Err(error) => view! { <LoadError error /> }.into_any(),
        }}
    }
}

#[component]
fn PersonItem(person: PersonSummary, erase: ServerAction<ErasePerson>) -> impl IntoView {
    let i18n = use_i18n();
    let holder = person.organisations.iter().any(|(_, role)| role == "account_holder");
    let organisations = person
        .organisations
        .iter()
        .map(|(name, role)| {
            let role = if role == "account_holder" {
                t_string!(i18n, privacy_data.role_holder).to_string()
            } else {
                t_string!(i18n, privacy_data.role_member).to_string()
            };
            format!("{name} ({role})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let person_id = person.person_id.clone();
    view! {
        <li class="card">
            <p>
                <strong>{person.full_name.clone()}</strong>
                " · " {person.email.clone()} " · " {person.username.clone()}
                {person.staff_role.clone().map(|role| format!(" · {role}"))}
            </p>
            {(!organisations.is_empty()).then(|| view! { <p class="muted">{organisations}</p> })}
            {if holder {
                view! { <p class="hint">{t!(i18n, privacy_data.holder_first)}</p> }.into_any()
            } else {
                view! {
                    <crate::ui::forms::ConfirmButton
                        label=translated(i18n, |i| t_string!(i, privacy_data.erase_person).to_string())
                        question=translated(i18n, |i| t_string!(i, privacy_data.erase_person_question).to_string())
                        yes=translated(i18n, |i| t_string!(i, privacy_data.erase_person_yes).to_string())
                        no=translated(i18n, |i| t_string!(i, privacy_data.erase_person_no).to_string())
                        pending=erase.pending()
                        on_confirm=Callback::new(move |()| {
                            erase.dispatch(ErasePerson { person_id: person_id.clone() });
                        })
                    />
                }
                    .into_any()
            }}
        </li>
    }
}
