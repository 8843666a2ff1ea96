//! Many rows at once (the benchmark seeds a million users with it): multi-row INSERTs of up
//! to 200 rows a statement, in the caller's transaction. The tables' own modules say which
//! columns a row has (`users::insert_many` and so on); this only builds the statement.

use super::conn::query;
use super::{Conn, Result};

/// One value of a row: the store's own parameter value (a NULL carries its column's type,
/// since PostgreSQL refuses a text NULL for a number column).
pub use super::conn::Value;

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
            q = q.bind(v.clone());
        }
        q.execute(&mut *conn)?;
    }
    Ok(())
}
