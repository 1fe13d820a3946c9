//! The bar chart's geometry (`app::ui::chart`).
//! Moved from `app/src/ui/chart.rs`'s unit tests.

use app::ui::chart::bar_heights;

#[test]
fn the_tallest_bar_fills_the_plot() {
    let heights = bar_heights(&[0, 5, 10]);
    assert_eq!(heights, vec![0.0, 70.0, 140.0]);
    // All zero: flat bars, no division by zero.
    assert_eq!(bar_heights(&[0, 0]), vec![0.0, 0.0]);
    assert!(bar_heights(&[]).is_empty());
}
