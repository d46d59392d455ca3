//! Flattening a GraphQL result into rows, for `query --format csv|table`.
//!
//! The rule (documented in docs/reports.md, "How a result becomes CSV"):
//! - a scalar is one cell, its column named by its path of field names (aliases where the
//!   query gives them), joined with `.`; the connection wrappers `nodes`, `edges` and `node`
//!   are left out of names, so `partners.nodes.name` is the column `partners.name`;
//! - an object is one row holding the cells of all its fields; where two fields each give
//!   several rows, the object gives every combination (so ask for one list per level);
//! - a list gives one row per element (an empty list, one row of empty cells), so there is
//!   one row per element of the deepest lists — the leaf list elements;
//! - columns come in the order they first appear; a row lacking a column has an empty cell.

use crate::model::exact_integer;
use serde_json::Value;

/// Rows of (column, cell) pairs, and the columns in order.
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

const WRAPPERS: [&str; 3] = ["nodes", "edges", "node"];

fn join(prefix: &str, name: &str) -> String {
    if WRAPPERS.contains(&name) {
        prefix.to_owned()
    } else if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

type Row = Vec<(String, String)>;

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64().filter(|_| n.is_f64()).and_then(exact_integer) {
            Some(i) => i.to_string(),
            None => n.to_string(),
        },
        other => other.to_string(),
    }
}

fn rows(value: &Value, path: &str) -> Vec<Row> {
    match value {
        Value::Object(map) => {
            let mut acc: Vec<Row> = vec![Vec::new()];
            for (name, v) in map {
                let sub = rows(v, &join(path, name));
                let mut next = Vec::with_capacity(acc.len() * sub.len().max(1));
                for left in &acc {
                    for right in &sub {
                        let mut row = left.clone();
                        row.extend(right.iter().cloned());
                        next.push(row);
                    }
                }
                acc = next;
            }
            acc
        }
        Value::Array(items) if items.is_empty() => vec![Vec::new()],
        Value::Array(items) => items.iter().flat_map(|v| rows(v, path)).collect(),
        // A null object or value has no cells: its columns come from rows where it is set.
        Value::Null => vec![Vec::new()],
        scalar => vec![vec![(path.to_owned(), cell(scalar))]],
    }
}

/// The fields seen at each level, in the order the query selected them (merged across list
/// elements and union members), so that columns follow the query.
#[derive(Default)]
struct Shape {
    fields: Vec<(String, Shape)>,
    leaf: bool,
}

impl Shape {
    fn learn(&mut self, value: &Value) {
        match value {
            Value::Object(map) => {
                for (name, v) in map {
                    let at = match self.fields.iter().position(|(n, _)| n == name) {
                        Some(i) => i,
                        None => {
                            self.fields.push((name.clone(), Shape::default()));
                            self.fields.len() - 1
                        }
                    };
                    self.fields[at].1.learn(v);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.learn(v)),
            Value::Null => {}
            _ => self.leaf = true,
        }
    }

    fn columns(&self, path: &str, out: &mut Vec<String>) {
        if self.leaf && !out.iter().any(|c| c == path) {
            out.push(path.to_owned());
        }
        for (name, shape) in &self.fields {
            shape.columns(&join(path, name), out);
        }
    }
}

/// Flattens `data` by the rule above.
pub fn flatten(data: &Value) -> Table {
    let raw = rows(data, "");
    let mut shape = Shape::default();
    shape.learn(data);
    let mut columns: Vec<String> = Vec::new();
    shape.columns("", &mut columns);
    let rows = raw
        .into_iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| {
                    row.iter()
                        .find(|(k, _)| k == c)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    Table { columns, rows }
}

impl Table {
    /// RFC 4180 CSV with a header line, written by the `csv` crate: a field is quoted when it
    /// holds `,`, `"`, CR or LF (quotes doubled), lines end in CRLF, and a row whose only
    /// cell is empty is written `""` so that a reader does not take it for a blank line.
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        out.write_record(&self.columns)?;
        for row in &self.rows {
            out.write_record(row)?;
        }
        let bytes = out
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))?;
        // Every cell is a `String`, so the bytes are UTF-8.
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Columns aligned with spaces, for a terminal.
    pub fn to_text(&self) -> String {
        let width = |i: usize| {
            self.rows
                .iter()
                .map(|r| r[i].chars().count())
                .chain([self.columns[i].chars().count()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..self.columns.len()).map(width).collect();
        let line = |cells: &[String]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
                .collect();
            padded.join("  ").trim_end().to_owned() + "\n"
        };
        let mut out = line(&self.columns);
        out.push_str(&line(
            &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
        ));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_row_per_leaf_list_element_with_path_columns() {
        let data = json!({ "partners": { "nodes": [
            { "name": "Japan", "fundings": { "nodes": [
                { "projectCount": 1, "target": { "code": "IAI-WP4" } } ] } },
            { "name": "Canada", "fundings": { "nodes": [] } } ] } });
        let t = flatten(&data);
        assert_eq!(
            t.columns,
            [
                "partners.name",
                "partners.fundings.projectCount",
                "partners.fundings.target.code"
            ]
        );
        assert_eq!(
            t.rows,
            [vec!["Japan", "1", "IAI-WP4"], vec!["Canada", "", ""]]
        );
        assert_eq!(
            t.to_csv().unwrap(),
            "partners.name,partners.fundings.projectCount,partners.fundings.target.code\r\nJapan,1,IAI-WP4\r\nCanada,,\r\n"
        );
    }

    fn csv(columns: &[&str], rows: &[&[&str]]) -> String {
        let strings = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect();
        Table {
            columns: strings(columns),
            rows: rows.iter().map(|r| strings(r)).collect(),
        }
        .to_csv()
        .unwrap()
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(
            csv(
                &["a", "b"],
                &[
                    &["a,b", "say \"hi\""],
                    &["two\nlines", "cr\r"],
                    &["plain", ""]
                ]
            ),
            "a,b\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",\"cr\r\"\r\nplain,\r\n"
        );
    }

    #[test]
    fn a_row_whose_one_cell_is_empty_is_not_a_blank_line() {
        assert_eq!(
            csv(&["name"], &[&["Japan"], &[""]]),
            "name\r\nJapan\r\n\"\"\r\n"
        );
    }
}
