//! The crisis trend as a hand-written SVG chart: one panel per camp, one line per count
//! (unaccounted for, on the move, in custody, accounted for), days along the bottom.
//! Self-contained — no fonts, scripts, styles or links beyond the SVG namespace — so a
//! coordinator can paste it into a report, and the web UI can put it inline under its
//! Content-Security-Policy.
//!
//! A day whose count is withheld (`None`, small-cell suppression) is a **gap** in its
//! line, never a zero: the line stops before it and starts again after; a count standing
//! alone between gaps is a dot.

use model::time::Timestamp;
use std::fmt::Write as _;

pub const PANEL_W: f64 = 640.0;
pub const PANEL_H: f64 = 220.0;
pub const MARGIN: f64 = 48.0;

/// The lines of the crisis chart and their colours (distinguishable in grey print too),
/// in drawing order.
pub const LINES: [(&str, &str); 4] = [
    ("unaccounted for", "#c0392b"),
    ("on the move", "#e67e22"),
    ("in custody", "#7d3c98"),
    ("accounted for", "#1e8449"),
];

/// One line: a label from [`LINES`] and a count per day (`None`: withheld).
pub struct Line {
    pub label: &'static str,
    pub values: Vec<Option<u64>>,
}

/// One camp's panel.
pub struct Panel {
    pub title: String,
    pub days: Vec<Timestamp>,
    pub lines: Vec<Line>,
}

/// Text safe inside SVG: camp names come from the registry.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn colour(label: &str) -> &'static str {
    LINES
        .iter()
        .find(|(l, _)| *l == label)
        .map_or("#555555", |(_, c)| c)
}

/// An SVG document with a panel for each panel of more than one day; None if there is
/// none. `label` names the chart for screen readers.
pub fn svg(panels: &[Panel], label: &str) -> Option<String> {
    let drawn: Vec<&Panel> = panels.iter().filter(|p| p.days.len() > 1).collect();
    if drawn.is_empty() {
        return None;
    }
    let height = PANEL_H * drawn.len() as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{PANEL_W}" height="{height}" viewBox="0 0 {PANEL_W} {height}" font-family="sans-serif" font-size="11" role="img" aria-label="{}"><title>{}</title>"#,
        escape(label),
        escape(label)
    );
    for (i, p) in drawn.iter().enumerate() {
        panel(&mut svg, p, PANEL_H * i as f64);
    }
    svg.push_str("</svg>\n");
    Some(svg)
}

/// Runs of consecutive published values: (first index, values).
fn runs(values: &[Option<u64>]) -> Vec<(usize, Vec<u64>)> {
    let mut out: Vec<(usize, Vec<u64>)> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match (v, out.last_mut()) {
            (Some(v), Some((start, run))) if *start + run.len() == i => run.push(*v),
            (Some(v), _) => out.push((i, vec![*v])),
            (None, _) => {}
        }
    }
    out
}

fn panel(svg: &mut String, p: &Panel, top: f64) {
    let n = p.days.len();
    let max = p
        .lines
        .iter()
        .flat_map(|l| l.values.iter().flatten().copied())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let (x0, x1) = (MARGIN, PANEL_W - 12.0);
    let (y0, y1) = (top + PANEL_H - 28.0, top + 30.0);
    let x = |i: usize| x0 + (x1 - x0) * i as f64 / (n - 1).max(1) as f64;
    let y = |v: u64| y0 - (y0 - y1) * v as f64 / max;
    let _ = write!(
        svg,
        r#"<text x="{x0}" y="{}" font-weight="bold">{}</text>"#,
        top + 16.0,
        escape(&p.title)
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
    for (i, day) in p.days.iter().enumerate() {
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
    for (k, line) in p.lines.iter().enumerate() {
        let c = colour(line.label);
        let name = escape(line.label);
        for (start, run) in runs(&line.values) {
            if run.len() == 1 {
                let _ = write!(
                    svg,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{c}"><title>{name}</title></circle>"#,
                    x(start),
                    y(run[0])
                );
                continue;
            }
            let points: Vec<String> = run
                .iter()
                .enumerate()
                .map(|(j, v)| format!("{:.1},{:.1}", x(start + j), y(*v)))
                .collect();
            let _ = write!(
                svg,
                r#"<polyline fill="none" stroke="{c}" stroke-width="2" points="{}"><title>{name}</title></polyline>"#,
                points.join(" ")
            );
        }
        let lx = x0 + 8.0 + 130.0 * k as f64;
        let _ = write!(
            svg,
            r#"<rect x="{lx}" y="{}" width="10" height="10" fill="{c}"/><text x="{}" y="{}">{name}</text>"#,
            top + 20.0,
            lx + 14.0,
            top + 29.0
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::time::MS_PER_DAY;

    fn panel(values: Vec<Option<u64>>) -> Panel {
        let at = Timestamp(1_570_000_000_000);
        Panel {
            title: "Ain Issa <annex>: unguarded".into(),
            days: (0..values.len() as i64)
                .map(|i| at.plus_ms(i * MS_PER_DAY))
                .collect(),
            lines: vec![Line {
                label: "unaccounted for",
                values,
            }],
        }
    }

    #[test]
    fn a_withheld_day_is_a_gap_not_a_zero() {
        let svg = svg(
            &[panel(vec![
                Some(10),
                Some(40),
                None,
                Some(30),
                Some(20),
                None,
                Some(5),
            ])],
            "trend",
        )
        .unwrap();
        // Two lines around the first gap, a dot after the second.
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 1);
        // No point is drawn on the axis (a zero) for the withheld days.
        let bottom = PANEL_H - 28.0;
        assert!(!svg.contains(&format!(",{bottom:.1}")), "{svg}");
        assert!(svg.contains("Ain Issa &lt;annex&gt;") && !svg.contains("<annex>"));
        assert!(svg.contains(r#"role="img" aria-label="trend""#));
    }

    #[test]
    fn runs_split_at_gaps() {
        assert_eq!(
            runs(&[Some(1), None, Some(2), Some(3)]),
            vec![(0, vec![1]), (2, vec![2, 3])]
        );
        assert!(runs(&[None, None]).is_empty());
    }

    #[test]
    fn nothing_to_draw_without_two_days() {
        assert!(svg(&[panel(vec![Some(1)])], "t").is_none());
        assert!(svg(&[], "t").is_none());
    }
}
