//! The staff dashboard ("Tableau de bord"): the queues with their counts, the programme's
//! counters and twelve months of registrations, orders and savings.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::home::model::MonthFigures;
use crate::home::model::StaffDashboard;
#[cfg(feature = "ssr")]
use chrono::NaiveDate;
use leptos::prelude::*;

/// Staff (admin and agent): the dashboard.
#[server(prefix = "/api", endpoint = "staff_dashboard")]
pub async fn load_staff_dashboard() -> Result<StaffDashboard, AppError> {
    use crate::home::db;
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let now = crate::db::now();
        let today = now.with_timezone(&domain::calendar::BELGIUM).date_naive();
        let overdue_before = domain::calendar::business_day_start(crate::org::rules::review_overdue_before(today));
        let (reviews_pending, reviews_overdue) = crate::org::db::review_queue_counts(&state.db, overdue_before).await?;
        // The order queues' counts are those `/admin/orders` shows for the same staff member
        // (an agent scoped to partners counts their orders only).
        let scope = crate::auth::scope::order_scope(&state, &staff).await?;
        let mut tx = state.db.begin_read().await?;
        let (statuses, order_queues) = crate::order::db::staff_counts(&mut tx, scope.partners(), now).await?;
        tx.commit().await?;
        let status_count = |status| statuses.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
        let queue_count = |queue| order_queues.iter().find(|(q, _)| *q == queue).map_or(0, |(_, n)| *n);
        use crate::order::model::{OrderQueue, OrderStatus};
        let orders_awaiting_payment = queue_count(OrderQueue::Unpaid);
        let orders_to_transmit = status_count(OrderStatus::Paid);
        let orders_transmitted = status_count(OrderStatus::Transmitted);
        let refund_requests = queue_count(OrderQueue::Refunds);
        let (change_requests, _) = db::requests_to_answer(&state.db).await?;
        let aggregates = &state.aggregates;
        let counters = crate::home::api::shared_counters(&state.db, aggregates).await?;
        let months = aggregates
            .months
            .get(
                &state.db,
                today,
                |db, today| async move { twelve_months(&db, today).await },
            )
            .await?;
        Ok(StaffDashboard {
            reviews_pending,
            reviews_overdue,
            orders_awaiting_payment,
            orders_to_transmit,
            orders_transmitted,
            change_requests,
            refund_requests,
            order_queues,
            counters,
            months,
            is_admin: staff.staff_role == Some(crate::org::model::StaffRole::Admin),
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Registrations, orders and savings of the [`CHART_MONTHS`](crate::home::model::CHART_MONTHS) months ending with `today`'s.
#[cfg(feature = "ssr")]
pub async fn twelve_months(db: &crate::db::Db, today: NaiveDate) -> Result<Vec<MonthFigures>, sqlx::Error> {
    use crate::home::db;
    use crate::home::model::{add_to_month, chart_months};
    let mut months: Vec<MonthFigures> = chart_months(today)
        .into_iter()
        .map(|month| MonthFigures {
            month,
            registrations: 0,
            orders: 0,
            saved_cents: 0,
        })
        .collect();
    let Some(from) = months.first().map(|m| domain::calendar::business_day_start(m.month)) else {
        return Ok(months);
    };
    for at in db::registrations_since(db, from).await? {
        add_to_month(
            &mut months,
            at.with_timezone(&domain::calendar::BELGIUM).date_naive(),
            |m| m.registrations += 1,
        );
    }
    for at in db::orders_since(db, from).await? {
        add_to_month(
            &mut months,
            at.with_timezone(&domain::calendar::BELGIUM).date_naive(),
            |m| m.orders += 1,
        );
    }
    for (at, saved) in db::savings_since(db, from).await? {
        add_to_month(
            &mut months,
            at.with_timezone(&domain::calendar::BELGIUM).date_naive(),
            |m| m.saved_cents += saved,
        );
    }
    Ok(months)
}
