//! The crisis trend of `homeward crisis --svg`: the operator's per-camp counts drawn by
//! [`server::chart`], the same chart the web Camps page shows from a user's suppressed
//! counts.

use model::crisis::CrisisCounts;
use server::chart::{Line, Panel};
use store::CampCrisis;

/// The count each line of [`server::chart::LINES`] draws.
const VALUES: [fn(&CrisisCounts) -> u64; 4] = [
    |c| c.unaccounted_for,
    |c| c.on_the_move,
    |c| c.in_custody,
    |c| c.accounted_for,
];

/// An SVG document with a panel for each camp that has a trend. None if no camp has one.
/// The operator's chart: every count is drawn (nothing is withheld from the operator).
pub fn crisis_svg(camps: &[CampCrisis]) -> Option<String> {
    let panels: Vec<Panel> = camps
        .iter()
        .map(|camp| Panel {
            title: match &camp.change {
                Some(c) => format!(
                    "{}: {} on {}",
                    camp.camp.place.name,
                    c.status.as_str(),
                    c.at
                ),
                None => camp.camp.place.name.clone(),
            },
            days: camp.trend.iter().map(|(d, _)| *d).collect(),
            lines: server::chart::LINES
                .iter()
                .zip(VALUES)
                .map(|((label, _), value)| Line {
                    label,
                    values: camp.trend.iter().map(|(_, c)| Some(value(c))).collect(),
                })
                .collect(),
        })
        .collect();
    server::chart::svg(&panels, "Crisis trend per camp")
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::ids::PlaceId;
    use model::place::{Place, PlaceKind, PlaceStatus, PlaceStatusChange};
    use model::projection::PlaceView;
    use model::time::{Timestamp, MS_PER_DAY};
    use server::chart::{MARGIN, PANEL_H};

    fn camp(name: &str, trend: &[(u64, u64)]) -> CampCrisis {
        let at = Timestamp(1_570_000_000_000);
        CampCrisis {
            camp: PlaceView {
                place: Place {
                    id: PlaceId::from_u128(1),
                    name: name.into(),
                    kind: PlaceKind::Camp,
                    parent: None,
                },
                statuses: vec![],
            },
            counts: CrisisCounts::default(),
            change: Some(PlaceStatusChange {
                status: PlaceStatus::Unguarded,
                at,
                report: None,
            }),
            trend: trend
                .iter()
                .enumerate()
                .map(|(i, (acc, un))| {
                    (
                        at.plus_ms(i as i64 * MS_PER_DAY),
                        CrisisCounts {
                            accounted_for: *acc,
                            unaccounted_for: *un,
                            ..Default::default()
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn one_panel_per_camp_with_a_line_per_series() {
        let svg = crisis_svg(&[
            camp("Ain Issa <annex> & co", &[(100, 0), (20, 80), (40, 60)]),
            camp("Roj", &[(10, 0), (10, 0)]),
        ])
        .unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>\n"));
        assert_eq!(svg.matches("<polyline").count(), 8);
        assert!(svg.contains("Ain Issa &lt;annex&gt; &amp; co: unguarded"));
        assert!(!svg.contains("<annex>"));
        // The unaccounted-for line rises from the axis (y0) at the change.
        let panel_bottom = PANEL_H - 28.0;
        assert!(svg.contains(&format!("{MARGIN:.1},{panel_bottom:.1}")));
    }

    #[test]
    fn nothing_to_draw_without_a_trend() {
        assert!(crisis_svg(&[camp("Roj", &[(10, 0)])]).is_none());
        assert!(crisis_svg(&[]).is_none());
    }
}
