//! One connection, to SQLite (rusqlite) or PostgreSQL (the `postgres` crate), behind one small
//! interface: a statement is written once, with `$N` placeholders, and runs on either; rows are
//! read by column name. Both drivers run on the calling thread (no thread of their own per
//! connection): the store's work for a request runs as one synchronous unit (see `Db`), with
//! its statements prepared once per connection and cached.

use std::collections::HashMap;

use postgres::types::{ToSql, Type};

use super::{DbError, Result, StoreError};

/// One value bound to a statement. A NULL carries its column's type (PostgreSQL types each
/// parameter from it).
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

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}

impl From<&i64> for Value {
    fn from(v: &i64) -> Self {
        Value::Int(*v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
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

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        v.map_or(Value::NullText, Value::Text)
    }
}

impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        v.as_deref().into()
    }
}

impl Value {
    fn pg_type(&self) -> Type {
        match self {
            Value::Int(_) | Value::NullInt => Type::INT8,
            Value::Text(_) | Value::NullText => Type::TEXT,
        }
    }

    fn pg(&self) -> &(dyn ToSql + Sync) {
        const NULL_INT: Option<i64> = None;
        const NULL_TEXT: Option<String> = None;
        match self {
            Value::Int(i) => i,
            Value::Text(t) => t,
            Value::NullInt => &NULL_INT,
            Value::NullText => &NULL_TEXT,
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::NullInt | Value::NullText => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

/// A SQLite connection with what the pool must know of it.
pub struct SqliteConn {
    pub(super) conn: rusqlite::Connection,
    /// A COMMIT or ROLLBACK failed, or a statement of transaction control was cut short: the
    /// pool closes it instead of handing it out again.
    pub(super) broken: bool,
    /// Opened and not handed out yet (see the writer's `reopen_while`).
    pub(super) fresh: bool,
}

/// A PostgreSQL connection with its prepared statements.
pub struct PgConn {
    pub(super) client: Option<postgres::Client>,
    statements: HashMap<(String, Vec<Type>), postgres::Statement>,
    pub(super) in_transaction: bool,
    pub(super) broken: bool,
    /// When a statement last went to the server (see `PgManager::is_valid`).
    pub(super) last_used: std::time::Instant,
}

impl PgConn {
    pub(super) fn new(client: postgres::Client) -> Self {
        Self {
            client: Some(client),
            statements: HashMap::new(),
            in_transaction: false,
            broken: false,
            last_used: std::time::Instant::now(),
        }
    }

    fn client(&mut self) -> Result<&mut postgres::Client> {
        self.last_used = std::time::Instant::now();
        self.client.as_mut().ok_or(StoreError::Finished)
    }

    /// Asks the server whether this connection still works.
    pub(super) fn check(&mut self, timeout: std::time::Duration) -> std::result::Result<(), DbError> {
        self.last_used = std::time::Instant::now();
        match self.client.as_mut() {
            Some(c) => c.is_valid(timeout).map_err(DbError::Pg),
            None => Err(DbError::Closed),
        }
    }

    pub(super) fn is_closed(&self) -> bool {
        self.client.as_ref().is_none_or(|c| c.is_closed())
    }

    fn statement(&mut self, sql: &str, types: Vec<Type>) -> Result<postgres::Statement> {
        let key = (sql.to_string(), types);
        if let Some(s) = self.statements.get(&key) {
            return Ok(s.clone());
        }
        let s = self.client()?.prepare_typed(sql, &key.1).map_err(pg_error)?;
        self.statements.insert(key, s.clone());
        Ok(s)
    }
}

impl Drop for PgConn {
    /// The `postgres` client closes its connection by blocking on its own runtime, which may not
    /// be done on a thread of the service's runtime: it is closed on a thread of its own.
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = std::thread::Builder::new().name("pg-close".into()).spawn(move || drop(client));
        }
    }
}

pub(super) fn pg_error(e: postgres::Error) -> StoreError {
    StoreError::from(DbError::Pg(e))
}

pub(super) fn sqlite_error(e: rusqlite::Error) -> StoreError {
    StoreError::from(DbError::Sqlite(e))
}

/// A pooled connection of either kind. It lives on the stack of one `Db` call, borrowed by the
/// closure: boxing the larger variant would cost an allocation per request for nothing.
#[allow(clippy::large_enum_variant)]
pub enum Conn {
    Sqlite(r2d2::PooledConnection<super::pool::SqliteManager>),
    Pg(r2d2::PooledConnection<super::pool::PgManager>),
}

/// `$1` becomes `?1`: SQLite's own numbered parameters, bound by position (`$1` would be a
/// named parameter to it, numbered by first appearance).
fn sqlite_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

impl Conn {
    /// Runs a statement; the number of rows it changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let r = self.execute_inner(sql, params);
        self.after(r)
    }

    /// A connection that met a lost server (or an I/O error) is not reused.
    fn after<T>(&mut self, r: Result<T>) -> Result<T> {
        if r.as_ref().is_err_and(StoreError::breaks_connection) {
            self.mark_broken();
        }
        r
    }

    fn execute_inner(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        match self {
            Conn::Sqlite(c) => {
                let mut stmt = c.conn.prepare_cached(&sqlite_sql(sql)).map_err(sqlite_error)?;
                let n = stmt.execute(rusqlite::params_from_iter(params.iter())).map_err(sqlite_error)?;
                Ok(n as u64)
            }
            Conn::Pg(c) => {
                let stmt = c.statement(sql, params.iter().map(Value::pg_type).collect())?;
                let args: Vec<&(dyn ToSql + Sync)> = params.iter().map(Value::pg).collect();
                c.client()?.execute(&stmt, &args).map_err(pg_error)
            }
        }
    }

    /// Runs a query and reads every row with `read`.
    pub fn query_with<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        read: impl Fn(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let r = self.query_inner(sql, params, read);
        self.after(r)
    }

    fn query_inner<T>(&mut self, sql: &str, params: &[Value], read: impl Fn(&Row<'_>) -> Result<T>) -> Result<Vec<T>> {
        match self {
            Conn::Sqlite(c) => {
                let mut stmt = c.conn.prepare_cached(&sqlite_sql(sql)).map_err(sqlite_error)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params.iter())).map_err(sqlite_error)?;
                let mut out = Vec::new();
                while let Some(r) = rows.next().map_err(sqlite_error)? {
                    out.push(read(&Row::Sqlite(r))?);
                }
                Ok(out)
            }
            Conn::Pg(c) => {
                let stmt = c.statement(sql, params.iter().map(Value::pg_type).collect())?;
                let args: Vec<&(dyn ToSql + Sync)> = params.iter().map(Value::pg).collect();
                let rows = c.client()?.query(&stmt, &args).map_err(pg_error)?;
                rows.iter().map(|r| read(&Row::Pg(r))).collect()
            }
        }
    }

    /// Runs several statements written out in full (migrations, transaction control).
    pub fn batch(&mut self, sql: &str) -> Result<()> {
        let r = match self {
            Conn::Sqlite(c) => c.conn.execute_batch(sql).map_err(sqlite_error),
            Conn::Pg(c) => c.client().and_then(|cl| cl.batch_execute(sql).map_err(pg_error)),
        };
        self.after(r)
    }

    /// Which database this is.
    pub fn dialect(&self) -> super::Dialect {
        match self {
            Conn::Sqlite(_) => super::Dialect::Sqlite,
            Conn::Pg(_) => super::Dialect::Postgres,
        }
    }

    pub(super) fn mark_broken(&mut self) {
        match self {
            Conn::Sqlite(c) => c.broken = true,
            Conn::Pg(c) => c.broken = true,
        }
    }

    pub(super) fn set_in_transaction(&mut self, on: bool) {
        if let Conn::Pg(c) = self {
            c.in_transaction = on;
        }
    }
}

/// One row of a result, read by column name.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    /// The value of the column `name`.
    pub fn get<T: Column>(&self, name: &str) -> Result<T> {
        match self {
            Row::Sqlite(r) => T::from_sqlite(r, name),
            Row::Pg(r) => T::from_pg(r, name),
        }
    }

    /// The value of the first column (scalar queries).
    pub fn first<T: Column>(&self) -> Result<T> {
        self.at(0)
    }

    /// The value of column `i` (from 0).
    pub fn at<T: Column>(&self, i: usize) -> Result<T> {
        match self {
            Row::Sqlite(r) => T::from_sqlite_at(r, i),
            Row::Pg(r) => T::from_pg_at(r, i),
        }
    }
}

/// A type a column is read into: the database's BIGINT and TEXT, possibly NULL, and the domain
/// types stored by name.
pub trait Column: Sized {
    fn from_sqlite(r: &rusqlite::Row<'_>, name: &str) -> Result<Self>;
    fn from_pg(r: &postgres::Row, name: &str) -> Result<Self>;
    fn from_sqlite_at(r: &rusqlite::Row<'_>, i: usize) -> Result<Self>;
    fn from_pg_at(r: &postgres::Row, i: usize) -> Result<Self>;
}

macro_rules! column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_sqlite(r: &rusqlite::Row<'_>, name: &str) -> Result<Self> {
                r.get(name).map_err(sqlite_error)
            }
            fn from_pg(r: &postgres::Row, name: &str) -> Result<Self> {
                r.try_get(name).map_err(pg_error)
            }
            fn from_sqlite_at(r: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
                r.get(i).map_err(sqlite_error)
            }
            fn from_pg_at(r: &postgres::Row, i: usize) -> Result<Self> {
                r.try_get(i).map_err(pg_error)
            }
        }
    )*};
}

column!(String, Option<String>);

/// PostgreSQL's integers of any width (a literal or a CASE is INTEGER, a column BIGINT).
fn pg_int<I: postgres::row::RowIndex + std::fmt::Display + Copy>(r: &postgres::Row, i: I) -> Result<Option<i64>> {
    match r.try_get::<_, Option<i64>>(i) {
        Ok(v) => Ok(v),
        Err(_) => match r.try_get::<_, Option<i32>>(i) {
            Ok(v) => Ok(v.map(i64::from)),
            Err(_) => r.try_get::<_, Option<i16>>(i).map(|v| v.map(i64::from)).map_err(pg_error),
        },
    }
}

fn not_null(v: Option<i64>) -> Result<i64> {
    v.ok_or_else(|| StoreError::Decode("a NULL where a number was expected".into()))
}

impl Column for Option<i64> {
    fn from_sqlite(r: &rusqlite::Row<'_>, name: &str) -> Result<Self> {
        r.get(name).map_err(sqlite_error)
    }
    fn from_pg(r: &postgres::Row, name: &str) -> Result<Self> {
        pg_int(r, name)
    }
    fn from_sqlite_at(r: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
        r.get(i).map_err(sqlite_error)
    }
    fn from_pg_at(r: &postgres::Row, i: usize) -> Result<Self> {
        pg_int(r, i)
    }
}

impl Column for i64 {
    fn from_sqlite(r: &rusqlite::Row<'_>, name: &str) -> Result<Self> {
        r.get(name).map_err(sqlite_error)
    }
    fn from_pg(r: &postgres::Row, name: &str) -> Result<Self> {
        not_null(pg_int(r, name)?)
    }
    fn from_sqlite_at(r: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
        r.get(i).map_err(sqlite_error)
    }
    fn from_pg_at(r: &postgres::Row, i: usize) -> Result<Self> {
        not_null(pg_int(r, i)?)
    }
}

/// A domain type stored by name: read as text, then parsed.
macro_rules! column_by_name {
    ($t:ty, $parse:expr) => {
        impl Column for $t {
            fn from_sqlite(r: &rusqlite::Row<'_>, name: &str) -> Result<Self> {
                $parse(String::from_sqlite(r, name)?)
            }
            fn from_pg(r: &postgres::Row, name: &str) -> Result<Self> {
                $parse(String::from_pg(r, name)?)
            }
            fn from_sqlite_at(r: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
                $parse(String::from_sqlite_at(r, i)?)
            }
            fn from_pg_at(r: &postgres::Row, i: usize) -> Result<Self> {
                $parse(String::from_pg_at(r, i)?)
            }
        }
    };
}

column_by_name!(crate::domain::account::Role, |s: String| crate::domain::account::Role::try_from(s)
    .map_err(|e| StoreError::Decode(e.to_string())));
column_by_name!(crate::domain::authn::Authn, |s: String| Ok(crate::domain::authn::Authn::parse(&s)));

/// A row type a query reads into (by column name).
pub trait FromRow: Sized {
    fn from_row(r: &Row<'_>) -> Result<Self>;
}

/// A row read as a tuple, by position.
impl<A: Column, B: Column> FromRow for (A, B) {
    fn from_row(r: &Row<'_>) -> Result<Self> {
        Ok((r.at(0)?, r.at(1)?))
    }
}

impl<A: Column, B: Column, C: Column> FromRow for (A, B, C) {
    fn from_row(r: &Row<'_>) -> Result<Self> {
        Ok((r.at(0)?, r.at(1)?, r.at(2)?))
    }
}

/// Implements `FromRow` for a struct whose fields are columns of the same names.
#[macro_export]
macro_rules! from_row {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl $crate::store::conn::FromRow for $t {
            fn from_row(r: &$crate::store::conn::Row<'_>) -> $crate::store::Result<Self> {
                Ok($t { $($f: r.get(stringify!($f))?,)* })
            }
        }
    };
}

/// A statement and its parameters, in the shape the store's functions use:
/// `query(sql).bind(a).bind(b).execute(conn)`.
pub struct Query<'q> {
    sql: std::borrow::Cow<'q, str>,
    params: Vec<Value>,
}

pub fn query<'q>(sql: impl Into<std::borrow::Cow<'q, str>>) -> Query<'q> {
    Query { sql: sql.into(), params: Vec::new() }
}

impl Query<'_> {
    pub fn bind(mut self, v: impl Into<Value>) -> Self {
        self.params.push(v.into());
        self
    }

    pub fn execute(self, conn: &mut Conn) -> Result<u64> {
        conn.execute(&self.sql, &self.params)
    }

    /// Every row, as `T`.
    pub fn fetch_all<T: FromRow>(self, conn: &mut Conn) -> Result<Vec<T>> {
        conn.query_with(&self.sql, &self.params, T::from_row)
    }

    /// The first row, if there is one.
    pub fn fetch_optional<T: FromRow>(self, conn: &mut Conn) -> Result<Option<T>> {
        Ok(self.fetch_all(conn)?.into_iter().next())
    }

    /// The one row there must be.
    pub fn fetch_one<T: FromRow>(self, conn: &mut Conn) -> Result<T> {
        self.fetch_optional(conn)?.ok_or(StoreError::NoRow)
    }

    /// The first column of every row.
    pub fn scalars<T: Column>(self, conn: &mut Conn) -> Result<Vec<T>> {
        conn.query_with(&self.sql, &self.params, |r| r.first())
    }

    /// The first column of the first row, if there is one.
    pub fn scalar_optional<T: Column>(self, conn: &mut Conn) -> Result<Option<T>> {
        Ok(self.scalars(conn)?.into_iter().next())
    }

    /// The first column of the one row there must be.
    pub fn scalar<T: Column>(self, conn: &mut Conn) -> Result<T> {
        self.scalar_optional(conn)?.ok_or(StoreError::NoRow)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbered_placeholders_become_sqlites_own() {
        assert_eq!(
            super::sqlite_sql("SELECT $1, $12 WHERE a = '$' AND b = $2"),
            "SELECT ?1, ?12 WHERE a = '$' AND b = ?2"
        );
    }
}
