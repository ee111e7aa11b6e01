//! The crisis trend as a hand-written SVG chart: one panel per camp, one line per count
//! (unaccounted for, on the move, in custody, accounted for), days along the bottom. Self-
//! contained (no fonts, scripts or links beyond the SVG namespace) so a coordinator can
//! paste it into a report.

use model::crisis::CrisisCounts;
use std::fmt::Write as _;
use store::CampCrisis;

const PANEL_W: f64 = 640.0;
const PANEL_H: f64 = 220.0;
const MARGIN: f64 = 48.0;

/// A line of the chart: its label, colour, and the count it draws.
type Series = (&'static str, &'static str, fn(&CrisisCounts) -> u64);

/// The series drawn, with their colours (distinguishable in grey print too).
const SERIES: [Series; 4] = [
    ("unaccounted for", "#c0392b", |c| c.unaccounted_for),
    ("on the move", "#e67e22", |c| c.on_the_move),
    ("in custody", "#7d3c98", |c| c.in_custody),
    ("accounted for", "#1e8449", |c| c.accounted_for),
];

/// Text safe inside SVG: camp names come from the registry.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SVG document with a panel for each camp that has a trend. None if no camp has one.
pub fn crisis_svg(camps: &[CampCrisis]) -> Option<String> {
    let with_trend: Vec<&CampCrisis> = camps.iter().filter(|c| c.trend.len() > 1).collect();
    if with_trend.is_empty() {
        return None;
    }
    let height = PANEL_H * with_trend.len() as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{PANEL_W}" height="{height}" viewBox="0 0 {PANEL_W} {height}" font-family="sans-serif" font-size="11">"#
    );
    for (i, camp) in with_trend.iter().enumerate() {
        panel(&mut svg, camp, PANEL_H * i as f64);
    }
    svg.push_str("</svg>\n");
    Some(svg)
}

fn panel(svg: &mut String, camp: &CampCrisis, top: f64) {
    let n = camp.trend.len();
    let max = camp
        .trend
        .iter()
        .flat_map(|(_, c)| SERIES.iter().map(move |(_, _, f)| f(c)))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let (x0, x1) = (MARGIN, PANEL_W - 12.0);
    let (y0, y1) = (top + PANEL_H - 28.0, top + 30.0);
    let x = |i: usize| x0 + (x1 - x0) * i as f64 / (n - 1).max(1) as f64;
    let y = |v: u64| y0 - (y0 - y1) * v as f64 / max;
    let title = match &camp.change {
        Some(c) => format!(
            "{}: {} on {}",
            camp.camp.place.name,
            c.status.as_str(),
            c.at
        ),
        None => camp.camp.place.name.clone(),
    };
    let _ = write!(
        svg,
        r#"<text x="{x0}" y="{}" font-weight="bold">{}</text>"#,
        top + 16.0,
        escape(&title)
    );
    let _ = write!(
        svg,
        r##"<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#888"/><line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#888"/><text x="{}" y="{}" text-anchor="end">{}</text><text x="{}" y="{}" text-anchor="end">0</text>"##,
        x0 - 4.0,
        y1 + 4.0,
        max as u64,
        x0 - 4.0,
        y0 + 4.0
    );
    for (i, (day, _)) in camp.trend.iter().enumerate() {
        if n <= 10 || i % n.div_ceil(10) == 0 || i == n - 1 {
            let label = day
                .date()
                .map(|d| d.format("%d %b").to_string())
                .unwrap_or_default();
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" text-anchor="middle">{label}</text>"#,
                x(i),
                y0 + 16.0
            );
        }
    }
    for (k, (name, colour, value)) in SERIES.iter().enumerate() {
        let points: Vec<String> = camp
            .trend
            .iter()
            .enumerate()
            .map(|(i, (_, c))| format!("{:.1},{:.1}", x(i), y(value(c))))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"><title>{name}</title></polyline>"#,
            points.join(" ")
        );
        let lx = x0 + 8.0 + 130.0 * k as f64;
        let _ = write!(
            svg,
            r#"<rect x="{lx}" y="{}" width="10" height="10" fill="{colour}"/><text x="{}" y="{}">{name}</text>"#,
            top + 20.0,
            lx + 14.0,
            top + 29.0
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::ids::PlaceId;
    use model::place::{Place, PlaceKind, PlaceStatus, PlaceStatusChange};
    use model::projection::PlaceView;
    use model::time::{Timestamp, MS_PER_DAY};

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
