//! Many rows at once (the benchmark seeds a million users with it): multi-row INSERTs of up
//! to 200 rows a statement, in the caller's transaction. The tables' own modules say which
//! columns a row has (`users::insert_many` and so on); this only builds the statement.

use super::conn::query;
use super::{Conn, Result};

/// One value of a row. A NULL carries its column's type (PostgreSQL refuses a text NULL for a
/// number column).
#[derive(Debug, Clone)]
pub enum Value {
    Int(i64),
    Text(String),
    NullInt,
    NullText,
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Value::NullInt, Value::Int)
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        v.map_or(Value::NullText, Value::from)
    }
}

const PER_STATEMENT: usize = 200;

/// Inserts `rows` (each with one value per column of `cols`) into `table`.
pub(super) fn insert(conn: &mut Conn, table: &str, cols: &[&str], rows: &[Vec<Value>]) -> Result<()> {
    for chunk in rows.chunks(PER_STATEMENT) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        let mut n = 0;
        for (r, row) in chunk.iter().enumerate() {
            debug_assert_eq!(row.len(), cols.len());
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..row.len() {
                n += 1;
                sql.push_str(&format!("{}${n}", if c == 0 { "" } else { ", " }));
            }
            sql.push(')');
        }
        let mut q = query(&sql);
        for v in chunk.iter().flatten() {
            q = match v {
                Value::Int(i) => q.bind(*i),
                Value::Text(t) => q.bind(t.clone()),
                Value::NullInt => q.bind(None::<i64>),
                Value::NullText => q.bind(None::<String>),
            };
        }
        q.execute(&mut *conn)?;
    }
    Ok(())
}
