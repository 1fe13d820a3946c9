//! Staff: "Messages reçus" (`/admin/contact`), the inbox of the contact form's conversations,
//! and one conversation (`/admin/contact/:id`) with its messages, "Attribuer", the answer by
//! e-mail, "Clore" and "Rouvrir". The filter lives in the query string (a plain GET form), so
//! a view can be bookmarked and works before the WASM loads. Both are served as islands: the
//! inbox is the server's HTML, one conversation one island of the `conversation` module.

use crate::contact::api::{
    AnswerConversation, AssignConversation, SetConversationStatus, list_conversations, load_conversation,
};
use crate::contact::labels::topic_label;
use crate::contact::model::{Conversation, ConversationSummary, Inbox, Topic};
use crate::contact::rules::MAX_MESSAGE_CHARS;
use crate::error::AppError;
use crate::i18n::*;
use crate::inquiry::ui::language_name;
use crate::ui::forms::{
    ConfirmButton, FieldError, FormError, LoadError, Loading, SendButton, SubmitButton, action_error, has_error,
    successes, translated,
};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::pager::pager;
use crate::ui::title::localized_title;
use crate::ui::url::percent_encode;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// "2026-12-05 14:03" from an RFC 3339 instant (UTC, as stored).
fn when(instant: &str) -> String {
    instant.chars().take(16).collect::<String>().replace('T', " ")
}

fn topic_text(i18n: leptos_i18n::I18nContext<Locale>, topic: &str) -> String {
    Topic::parse(topic).map_or_else(|| topic.to_owned(), |t| topic_label(i18n.get_locale(), t))
}

/// The inbox's filter as the query string holds it.
#[derive(Clone, PartialEq)]
struct Filter {
    status: String,
    mine: bool,
    search: String,
    page: i64,
}

impl Filter {
    /// `/admin/contact?status=…&mine=true&q=…&page=n`.
    fn href(&self, page: i64) -> String {
        let mut href = format!("/admin/contact?status={}&page={page}", self.status);
        if self.mine {
            href.push_str("&mine=true");
        }
        if !self.search.is_empty() {
            href.push_str("&q=");
            href.push_str(&percent_encode(&self.search));
        }
        href
    }
}

/// Staff: the conversations, one page at a time. Served as islands
/// (`ui::islands::ISLAND_PAGES`): a GET form, links and a pager, all the server's HTML, so the
/// form's fields are written with the filter the page was asked for.
#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with_untracked(|q| Filter {
            status: q
                .get("status")
                .filter(|s| s == "closed" || s == "all")
                .unwrap_or_else(|| "open".to_owned()),
            mine: q.get("mine").as_deref() == Some("true"),
            search: q.get("q").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1),
        })
    });
    let inbox = Resource::new(
        move || filter.get(),
        |f| list_conversations(Some(f.status), Some(f.mine.to_string()), Some(f.search), Some(f.page)),
    );
    let status_option = move |value: &'static str, label: String| {
        let chosen = filter.with_untracked(|f| f.status == value);
        view! {
            <option value=value selected=chosen>
                {label}
            </option>
        }
    };
    let (searched, mine) = filter.with_untracked(|f| (f.search.clone(), f.mine));
    view! {
        <Title text=localized_title(move || t_string!(i18n, inbox.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, inbox.title)}</h1>
            <p class="lead">{t!(i18n, inbox.intro)}</p>
            <form method="get" action="/admin/contact" class="filters" role="search">
                <div class="field">
                    <label for="inbox-status">{t!(i18n, inbox.status_label)}</label>
                    <select id="inbox-status" name="status">
                        {move || status_option("open", t_string!(i18n, inbox.status_open).to_string())}
                        {move || status_option("closed", t_string!(i18n, inbox.status_closed).to_string())}
                        {move || status_option("all", t_string!(i18n, inbox.status_all).to_string())}
                    </select>
                </div>
                <div class="field">
                    <label for="inbox-search">{t!(i18n, inbox.search_label)}</label>
                    <input
                        id="inbox-search"
                        name="q"
                        type="search"
                        maxlength="200"
                        value=searched
                        aria-describedby="inbox-search-hint"
                    />
                    <p class="hint" id="inbox-search-hint">
                        {t!(i18n, inbox.search_hint)}
                    </p>
                </div>
                <div class="field checkbox">
                    <input
                        id="inbox-mine"
                        name="mine"
                        type="checkbox"
                        value="true"
                        checked=mine
                    />
                    <label for="inbox-mine">{t!(i18n, inbox.mine)}</label>
                </div>
                <button type="submit" class="button">
                    {t!(i18n, inbox.filter)}
                </button>
            </form>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match inbox.await {
                        Ok(inbox) => view! { <InboxList inbox filter=filter.get_untracked() /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn InboxList(inbox: Inbox, filter: Filter) -> impl IntoView {
    let i18n = use_i18n();
    let counts = t_string!(i18n, inbox.counts, total = inbox.total, open = inbox.open_total).to_string();
    if inbox.items.is_empty() {
        return view! {
            <p role="status">{counts}</p>
            <p class="empty">{t!(i18n, inbox.none)}</p>
        }
        .into_any();
    }
    let pages = ((inbox.total + inbox.page_size - 1) / inbox.page_size.max(1)).max(1);
    let page = inbox.page;
    view! {
        <p role="status">{counts}</p>
        <ul class="inquiry-list inbox-list">
            {inbox.items.into_iter().map(|item| view! { <InboxItem item /> }).collect_view()}
        </ul>
        {pager(i18n, page, pages, move |n| filter.href(n))}
    }
    .into_any()
}

#[component]
fn InboxItem(item: ConversationSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/admin/contact/{}", item.conversation_id);
    let status = if item.status == "closed" {
        t_string!(i18n, inbox.closed_badge).to_string()
    } else {
        t_string!(i18n, inbox.open_badge).to_string()
    };
    let assigned = match item.assigned_to {
        Some(name) => t_string!(i18n, inbox.assigned, name).to_string(),
        None => t_string!(i18n, inbox.unassigned).to_string(),
    };
    let sender = match item.organisation {
        Some(organisation) => format!("{} ({organisation}) · {}", item.sender_name, item.sender_email),
        None => format!("{} · {}", item.sender_name, item.sender_email),
    };
    view! {
        <li data-conversation=item.conversation_id.clone()>
            <h2 class="item-title">
                <a href=href>{item.subject}</a>
            </h2>
            <p>{sender}</p>
            <p>
                {status} " · " {topic_text(i18n, &item.topic)} " · " {assigned} " · "
                {t_string!(i18n, inbox.messages, count = item.messages).to_string()} " · " {when(&item.updated_at)}
            </p>
        </li>
    }
}

/// Staff: one conversation. Served as islands (`ui::islands::MODULES`, in the
/// `conversation` module): the page reads the conversation and [`StaffConversation`], one island, shows it and
/// acts on it.
#[component]
pub fn ConversationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let conversation_id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let conversation = Resource::new(
        move || conversation_id.clone(),
        |id| async move { (load_conversation(id.clone()).await, id) },
    );
    view! {
        <Title text=localized_title(move || t_string!(i18n, inbox.conversation_title).to_string()) />
        <section class="page">
            <p>
                <a href="/admin/contact">{t!(i18n, inbox.back)}</a>
            </p>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let (conversation, conversation_id) = conversation.await;
                    view! { <StaffConversation conversation_id conversation locale=i18n.get_locale() /> }
                })}
            </Suspense>
        </section>
    }
}

/// The conversation, "Attribuer", the answer, "Clore" and "Rouvrir", an island: its props are
/// the conversation as `load_conversation` read it for this agent and the page's language; it
/// is read again after each step.
#[island]
fn StaffConversation(
    /// The conversation's id, from the page's address.
    conversation_id: String,
    /// The conversation, or why it could not be read.
    conversation: Result<Conversation, AppError>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let assign = ServerAction::<AssignConversation>::new();
    let answer = ServerAction::<AnswerConversation>::new();
    let status = ServerAction::<SetConversationStatus>::new();
    let (assigned, answered, moved) = (successes(assign), successes(answer), successes(status));
    let conversation = read_again_on(
        conversation,
        move || assigned.get() + answered.get() + moved.get(),
        move || load_conversation(conversation_id.clone()),
    );
    move || match conversation.get() {
        Ok(conversation) => view! { <ConversationView conversation assign answer status /> }.into_any(),
        Err(error) => view! {
            <h1>{t!(i18n, inbox.conversation_title)}</h1>
            <LoadError error />
        }
        .into_any(),
    }
}

#[component]
fn ConversationView(
    conversation: Conversation,
    assign: ServerAction<AssignConversation>,
    answer: ServerAction<AnswerConversation>,
    status: ServerAction<SetConversationStatus>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(conversation.conversation_id.clone());
    let is_open = conversation.status == "open";
    let organisation = match (conversation.organisation_id.clone(), conversation.organisation.clone()) {
        (Some(organisation_id), Some(name)) => {
            view! { <a href=format!("/admin/organisations/{organisation_id}")>{name}</a> }.into_any()
        }
        _ => view! { <span>{t!(i18n, inbox.no_organisation)}</span> }.into_any(),
    };
    let assigned = conversation
        .assigned_to
        .clone()
        .unwrap_or_else(|| t_string!(i18n, inbox.unassigned).to_string());
    let state = if is_open {
        t_string!(i18n, inbox.open_badge).to_string()
    } else {
        t_string!(i18n, inbox.closed_badge).to_string()
    };
    let messages = conversation
        .messages
        .iter()
        .map(|message| {
            let heading = if message.direction == "outgoing" {
                t_string!(i18n, inbox.outgoing, name = message.author.clone()).to_string()
            } else {
                t_string!(i18n, inbox.incoming, name = message.author.clone()).to_string()
            };
            view! {
                <li class=format!("message {}", message.direction)>
                    <p class="meta">
                        <strong>{heading}</strong>
                        " · "
                        {when(&message.created_at)}
                    </p>
                    <div class="answer-text">{message.body.clone()}</div>
                </li>
            }
        })
        .collect_view();
    let sender_email = conversation.sender_email.clone();
    view! {
        <h1>{conversation.subject.clone()}</h1>
        <dl class="facts conversation-facts">
            <div>
                <dt>{t!(i18n, inbox.from)}</dt>
                <dd>
                    {conversation.sender_name.clone()} " · "
                    <a href=format!("mailto:{}", conversation.sender_email)>{conversation.sender_email.clone()}</a>
                </dd>
            </div>
            <div>
                <dt>{t!(i18n, inbox.organisation)}</dt>
                <dd>{organisation}</dd>
            </div>
            <div>
                <dt>{t!(i18n, inbox.topic)}</dt>
                <dd>{topic_text(i18n, &conversation.topic)}</dd>
            </div>
            <div>
                <dt>{t!(i18n, inbox.language)}</dt>
                <dd>{language_name(i18n, &conversation.language)}</dd>
            </div>
            <div>
                <dt>{t!(i18n, inbox.received)}</dt>
                <dd>{when(&conversation.created_at)}</dd>
            </div>
            <div>
                <dt>{t!(i18n, inbox.status_label)}</dt>
                <dd data-testid="conversation-status">{state}</dd>
            </div>
            <div>
                <dt>{t!(i18n, inbox.assigned_label)}</dt>
                <dd data-testid="conversation-assignee">{assigned}</dd>
            </div>
        </dl>
        <h2>{t!(i18n, inbox.messages_title)}</h2>
        <ol class="inquiry-list messages">{messages}</ol>
        <AssignForm conversation=conversation.clone() assign />
        {if is_open {
            view! {
                <AnswerForm id=id.get_value() sender_email answer />
                <CloseButton id status />
            }
                .into_any()
        } else {
            view! { <ReopenForm id=id.get_value() status /> }.into_any()
        }}
    }
}

#[component]
fn AssignForm(conversation: Conversation, assign: ServerAction<AssignConversation>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(assign);
    let current = conversation.assigned_to_id.clone().unwrap_or_default();
    let options = conversation
        .staff
        .into_iter()
        .map(|member| {
            let chosen = member.person_id == current;
            view! {
                <option value=member.person_id selected=chosen>
                    {member.full_name}
                </option>
            }
        })
        .collect_view();
    view! {
        <h2>{t!(i18n, inbox.assign_title)}</h2>
        <ActionForm action=assign attr:class="assign-form">
            <input type="hidden" name="conversation_id" value=conversation.conversation_id />
            <FormError error />
            <div class="field">
                <label for="assignee">{t!(i18n, inbox.assign_label)}</label>
                <select id="assignee" name="assignee" aria-describedby="assignee-error" aria-invalid=has_error(error, "assignee")>
                    <option value="" selected=current.is_empty()>
                        {t!(i18n, inbox.nobody)}
                    </option>
                    {options}
                </select>
                <FieldError field="assignee" error />
            </div>
            <SubmitButton pending=assign.pending() class="button secondary">
                {t!(i18n, inbox.assign)}
            </SubmitButton>
        </ActionForm>
    }
}

/// "Répondre par e-mail": the answer goes to the sender in the message's language.
#[component]
fn AnswerForm(id: String, sender_email: String, answer: ServerAction<AnswerConversation>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(answer);
    let sent = successes(answer);
    let email = StoredValue::new(sender_email);
    view! {
        <h2>{t!(i18n, inbox.answer_title)}</h2>
        {move || {
            (sent.get() > 0)
                .then(|| {
                    view! {
                        <p class="notice success" role="status">
                            {t_string!(i18n, inbox.answered_notice, email = email.get_value()).to_string()}
                        </p>
                    }
                })
        }}
        <ActionForm action=answer attr:class="answer-form">
            <input type="hidden" name="conversation_id" value=id />
            <FormError error />
            <div class="field">
                <label for="answer-text">{t!(i18n, inbox.answer_label)}</label>
                <textarea
                    id="answer-text"
                    name="text"
                    rows="8"
                    maxlength=MAX_MESSAGE_CHARS.to_string()
                    aria-describedby="answer-hint text-error"
                    aria-invalid=has_error(error, "text")
                ></textarea>
                <p class="hint" id="answer-hint">
                    {move || t_string!(i18n, inbox.answer_hint, email = email.get_value()).to_string()}
                </p>
                <FieldError field="text" error />
            </div>
            <SendButton pending=answer.pending() label=translated(i18n, |i| t_string!(i, inbox.send).to_string()) />
        </ActionForm>
    }
}

/// "Clore la conversation", after a confirmation.
#[component]
fn CloseButton(id: StoredValue<String>, status: ServerAction<SetConversationStatus>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(status);
    view! {
        <div class="conversation-close">
            <FormError error />
            <ConfirmButton
                label=Signal::derive(move || t_string!(i18n, inbox.close).to_string())
                question=Signal::derive(move || t_string!(i18n, inbox.close_confirm).to_string())
                yes=Signal::derive(move || t_string!(i18n, inbox.close_yes).to_string())
                no=Signal::derive(move || t_string!(i18n, inbox.close_no).to_string())
                pending=status.pending()
                on_confirm=Callback::new(move |()| {
                    status
                        .dispatch(SetConversationStatus {
                            conversation_id: id.get_value(),
                            status: "closed".to_owned(),
                        });
                })
            />
        </div>
    }
}

/// "Rouvrir": a closed conversation takes answers again.
#[component]
fn ReopenForm(id: String, status: ServerAction<SetConversationStatus>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(status);
    view! {
        <p class="notice" role="status">
            {t!(i18n, inbox.closed_notice)}
        </p>
        <ActionForm action=status>
            <input type="hidden" name="conversation_id" value=id />
            <input type="hidden" name="status" value="open" />
            <FormError error />
            <SubmitButton pending=status.pending() class="button secondary">
                {t!(i18n, inbox.reopen)}
            </SubmitButton>
        </ActionForm>
    }
}
