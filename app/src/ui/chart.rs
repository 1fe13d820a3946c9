//! A bar chart drawn as inline SVG on the server (no script, no chart library): one bar per
//! month, its value above it, the month below. Screen readers get the same figures as a table.

use crate::i18n::*;
use crate::ui::dates::{month_year, short_month};
use chrono::NaiveDate;
use leptos::prelude::*;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 180.0;
/// Room for the value above the tallest bar and the month below the axis.
const TOP: f64 = 18.0;
const BOTTOM: f64 = 22.0;

/// The height of each bar, in the chart's units, for `values` (the tallest fills the plot).
pub fn bar_heights(values: &[i64]) -> Vec<f64> {
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    values
        .iter()
        .map(|v| (*v).max(0) as f64 / max * (HEIGHT - TOP - BOTTOM))
        .collect()
}

#[component]
pub fn BarChart(
    /// Unique in the page: ties the caption to the drawing.
    id: &'static str,
    #[prop(into)] title: Signal<String>,
    bars: Vec<(NaiveDate, i64)>,
    /// Writes a value in the UI language ("1 234,56 €", "12").
    format: fn(Locale, i64) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    let caption_id = format!("{id}-caption");
    let values: Vec<i64> = bars.iter().map(|(_, v)| *v).collect();
    let heights = bar_heights(&values);
    let slot = WIDTH / bars.len().max(1) as f64;
    let bars = StoredValue::new(bars);
    let drawn = move || {
        let locale = i18n.get_locale();
        bars.with_value(|bars| {
            bars.iter()
                .zip(&heights)
                .enumerate()
                .map(|(i, ((month, value), height))| {
                    let x = i as f64 * slot;
                    let y = HEIGHT - BOTTOM - height;
                    let centre = x + slot / 2.0;
                    view! {
                        <g>
                            <rect
                                class="bar"
                                x=format!("{:.1}", x + slot * 0.15)
                                y=format!("{y:.1}")
                                width=format!("{:.1}", slot * 0.7)
                                height=format!("{height:.1}")
                            />
                            <text class="value" x=format!("{centre:.1}") y=format!("{:.1}", y - 4.0) text-anchor="middle">
                                {format(locale, *value)}
                            </text>
                            <text class="month" x=format!("{centre:.1}") y=format!("{:.1}", HEIGHT - 6.0) text-anchor="middle">
                                {short_month(locale, *month)}
                            </text>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    let rows = move || {
        let locale = i18n.get_locale();
        bars.with_value(|bars| {
            bars.iter()
                .map(|(month, value)| {
                    view! {
                        <tr>
                            <th scope="row">{month_year(locale, *month)}</th>
                            <td>{format(locale, *value)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <figure class="chart" data-testid=id>
            <figcaption id=caption_id.clone()>{title}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=caption_id focusable="false">
                <line class="axis" x1="0" y1=HEIGHT - BOTTOM x2=WIDTH y2=HEIGHT - BOTTOM />
                {drawn}
            </svg>
            // The hiding box is a div: a table ignores the 1 px width and, clipped or not,
            // would widen a phone's page by its full width.
            <div class="visually-hidden">
                <table>
                    <caption>{title}</caption>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </figure>
    }
}
