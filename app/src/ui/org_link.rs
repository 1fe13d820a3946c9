//! An organisation's name in the back office, linked to its 360 page.

use leptos::prelude::*;

/// The 360 page of an organisation (`/admin/organisations/{id}`).
pub fn organisation_href(organisation_id: &str) -> String {
    format!("/admin/organisations/{organisation_id}")
}

/// An organisation's name linking to its 360 page. For staff pages only: the page refuses
/// everyone else.
#[component]
pub fn OrgLink(#[prop(into)] id: String, #[prop(into)] name: String) -> impl IntoView {
    view! {
        <a class="org-link" href=organisation_href(&id)>
            {name}
        </a>
    }
}
