//! Plain text tables for the terminal, aligned by display width (a Chinese character takes
//! two columns), and CSV output for the same rows.

use unicode_width::UnicodeWidthStr;

pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Cells wider than this are cut with an ellipsis in the terminal view.
    max_width: usize,
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            max_width: 40,
        }
    }

    pub fn max_width(mut self, width: usize) -> Self {
        self.max_width = width.max(4);
        self
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn cut(&self, cell: &str) -> String {
        let one_line: String = cell
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if one_line.width() <= self.max_width {
            return one_line;
        }
        let mut out = String::new();
        let mut width = 0;
        for c in one_line.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if width + w > self.max_width - 1 {
                break;
            }
            out.push(c);
            width += w;
        }
        out.push('…');
        out
    }

    /// The table aligned for a terminal.
    pub fn render(&self) -> String {
        let cells: Vec<Vec<String>> = std::iter::once(&self.headers)
            .chain(&self.rows)
            .map(|r| r.iter().map(|c| self.cut(c)).collect())
            .collect();
        let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                cells
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for (n, row) in cells.iter().enumerate() {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.push_str(&" ".repeat(widths[i].saturating_sub(cell.width())));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if n == 0 {
                let total: usize = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
                out.push_str(&"-".repeat(total));
                out.push('\n');
            }
        }
        out
    }

    /// The same rows as CSV (UTF-8, header first), every cell safe to open in a
    /// spreadsheet (see `neutralize`).
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer
            .write_record(self.headers.iter().map(|c| neutralize(c).into_owned()))
            .expect("in-memory write");
        for row in &self.rows {
            writer
                .write_record(row.iter().map(|c| neutralize(c).into_owned()))
                .expect("in-memory write");
        }
        String::from_utf8(writer.into_inner().expect("in-memory flush"))
            .expect("UTF-8 in, UTF-8 out")
    }
}

/// A cell as it can be opened in Excel or WPS without running anything: text that starts
/// (after any spaces) with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
/// formula (`=HYPERLINK(...)` typed into an address by a caller), so it gets a leading `'`,
/// which makes the spreadsheet show it as text (OWASP's advice on CSV injection). Every
/// other cell is left as it is.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.trim_start_matches(' ').chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}
