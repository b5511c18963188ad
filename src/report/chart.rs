//! Drawing a chart: bars or lines for one or more series over category labels, with a
//! legend, a value axis on a 1-2-5 scale and grid lines; crowded labels are thinned.
//!
//! Part of the layout engine: a chart is placed whole, through `Layout`, and nothing here
//! decides what comes before or after it.

use super::font::metrics;
use super::layout::Layout;
use super::model::{Chart, ChartKind, Rgb};
use super::page::Prim;
use super::wrap::wrap;

impl Layout<'_> {
    /// The heights of a chart's legend band above the plot and label band below it.
    fn bands(&self) -> (f32, f32) {
        let s = self.style.small;
        (Self::line_h(s) + 6.0, Self::line_h(s) * 2.0 + 4.0)
    }

    /// The height a chart needs below the current position: a chart is placed whole.
    pub(super) fn chart_lead(&self, chart: &Chart) -> f32 {
        let (legend_h, axis_h) = self.bands();
        chart.height + legend_h + axis_h
    }

    pub(super) fn chart(&mut self, chart: &Chart) {
        let s = self.style.small;
        let (legend_h, axis_h) = self.bands();
        self.ensure(self.chart_lead(chart));
        let top = self.y;
        let label_w = 28.0;
        let x0 = self.left() + label_w;
        let plot_w = self.width() - label_w;
        let plot_top = top + legend_h;
        let plot_h = chart.height;
        let max = chart
            .series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0f64, f64::max);
        let (step, top_value) = nice_scale(max);
        // Legend.
        let mut lx = x0;
        for series in &chart.series {
            self.page().prims.push(Prim::Fill {
                x: lx,
                y: top + 2.0,
                w: 10.0,
                h: 7.0,
                color: series.color,
            });
            self.text(lx + 13.0, top, s, Rgb::BLACK, &series.label);
            lx += 13.0 + metrics().width(&series.label, s) + 14.0;
        }
        // Grid and value axis.
        let y_of = |v: f64| plot_top + plot_h - (v / top_value) as f32 * plot_h;
        let mut v = 0.0;
        while v <= top_value + 1e-9 {
            let y = y_of(v);
            self.page().prims.push(Prim::Line {
                points: vec![(x0, y), (x0 + plot_w, y)],
                color: if v == 0.0 { Rgb::GREY } else { Rgb::LIGHT },
                width: 0.5,
            });
            let label = format_number(v);
            let lw = metrics().width(&label, s);
            self.text(
                x0 - 4.0 - lw,
                y - metrics().ascent(s) / 2.0 - 1.0,
                s,
                Rgb::GREY,
                &label,
            );
            v += step;
        }
        // Category axis labels (thinned when crowded).
        let n = chart.labels.len().max(1);
        let slot = plot_w / n as f32;
        let every = ((metrics().width("00-00", s) + 4.0) / slot).ceil().max(1.0) as usize;
        for (i, label) in chart.labels.iter().enumerate() {
            if i % every != 0 {
                continue;
            }
            let lines = wrap(label, s, (slot * every as f32).max(20.0));
            let mut ly = plot_top + plot_h + 3.0;
            for line in lines.iter().take(2) {
                let lw = metrics().width(line, s);
                let lx = x0 + slot * (i as f32 + 0.5) - lw / 2.0;
                self.text(lx, ly, s, Rgb::GREY, line);
                ly += Self::line_h(s);
            }
        }
        match chart.kind {
            ChartKind::Bar => {
                let k = chart.series.len().max(1) as f32;
                let bar_w = slot * 0.7 / k;
                for (j, series) in chart.series.iter().enumerate() {
                    for (i, v) in series.values.iter().enumerate() {
                        if *v <= 0.0 {
                            continue;
                        }
                        let x = x0 + slot * i as f32 + slot * 0.15 + bar_w * j as f32;
                        let y = y_of(*v);
                        self.page().prims.push(Prim::Fill {
                            x,
                            y,
                            w: bar_w,
                            h: plot_top + plot_h - y,
                            color: series.color,
                        });
                    }
                }
            }
            ChartKind::Line => {
                for series in &chart.series {
                    let points: Vec<(f32, f32)> = series
                        .values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (x0 + slot * (i as f32 + 0.5), y_of(*v)))
                        .collect();
                    self.page().prims.push(Prim::Line {
                        points: points.clone(),
                        color: series.color,
                        width: 1.6,
                    });
                    for (x, y) in points {
                        self.page().prims.push(Prim::Shape {
                            points: vec![(x - 2.2, y), (x, y - 2.2), (x + 2.2, y), (x, y + 2.2)],
                            color: series.color,
                        });
                    }
                }
            }
        }
        self.y = plot_top + plot_h + axis_h + 6.0;
    }
}

fn format_number(v: f64) -> String {
    if v.fract().abs() < 1e-9 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// A tick step and a top value for an axis up to `max` (1, 2 or 5 times a power of ten).
fn nice_scale(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 4.0);
    }
    let rough = max / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power)
        .max(1.0);
    (step, (max / step).ceil() * step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_scales() {
        assert_eq!(nice_scale(0.0), (1.0, 4.0));
        assert_eq!(nice_scale(7.0), (2.0, 8.0));
        assert_eq!(nice_scale(23.0), (10.0, 30.0));
        assert_eq!(nice_scale(1234.0), (500.0, 1500.0));
    }
}
