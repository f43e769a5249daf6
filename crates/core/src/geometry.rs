//! Geometry of the relation arcs, pure so that it is tested on the host.

/// The path of an arc from the top of one span to the top of another, and where its label sits.
///
/// Spans on the same line get an arc that rises above both. Spans on different lines are
/// joined through the left margin (`gutter` is its x), so the link never crosses the text
/// it skips; the label then sits near the source span.
pub fn arc_geometry(from: (f64, f64), to: (f64, f64), gutter: f64) -> (String, f64, f64) {
    let ((x1, y1), (x2, y2)) = (from, to);
    if (y1 - y2).abs() < 20.0 {
        let rise = 16.0 + ((x2 - x1).abs() * 0.08).min(18.0);
        let top = y1.min(y2) - rise;
        let path = format!("M{x1:.1},{y1:.1} C{x1:.1},{top:.1} {x2:.1},{top:.1} {x2:.1},{y2:.1}");
        let mid_y = 0.125 * (y1 + y2) + 0.75 * top;
        return (path, (x1 + x2) / 2.0, mid_y);
    }
    let (t1, t2) = (y1 - 12.0, y2 - 12.0);
    let path = format!(
        "M{x1:.1},{y1:.1} C{x1:.1},{t1:.1} {x1:.1},{t1:.1} {:.1},{t1:.1} L{g:.1},{t1:.1} L{g:.1},{t2:.1} L{:.1},{t2:.1} C{x2:.1},{t2:.1} {x2:.1},{t2:.1} {x2:.1},{y2:.1}",
        x1 - 8.0,
        x2 - 8.0,
        g = gutter,
    );
    (path, (x1 + gutter) / 2.0, t1 - 3.0)
}

#[cfg(test)]
mod tests {
    use super::arc_geometry;

    #[test]
    fn arcs_rise_above_both_ends_with_the_label_at_the_top() {
        let (path, x, y) = arc_geometry((10.0, 100.0), (210.0, 95.0), 8.0);
        assert!(path.starts_with("M10.0,100.0 C10.0,"));
        assert!(path.ends_with("210.0,95.0"));
        assert_eq!(x, 110.0);
        assert!(y < 95.0, "the label sits above the higher end: {y}");
    }

    #[test]
    fn arcs_between_lines_go_through_the_gutter() {
        let (path, x, y) = arc_geometry((300.0, 400.0), (120.0, 40.0), 8.0);
        assert!(path.contains("L8.0,388.0 L8.0,28.0"), "{path}");
        assert!(path.ends_with("120.0,40.0"));
        assert_eq!((x, y), (154.0, 385.0));
    }
}
