//! The DuckDB database: opening it (waiting briefly while another process holds it),
//! applying the schema migrations in order, and loading the configured rule lists into
//! temporary tables for the queries.
//!
//! DuckDB is compiled without ICU here, so no time-zone function is ever used in SQL: times
//! are naive local timestamps and zone arithmetic happens in Rust. Extension autoloading
//! is off, so a query that would need an extension fails at once instead of trying the
//! network.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use duckdb::{params, Connection};

use crate::config::Config;
use crate::normalize::AddressNormalizer;
use crate::queries;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database {path} is busy: another hotline-ledger process{holder} is using it; try again when it has finished")]
    Busy { path: PathBuf, holder: String },
    #[error("cannot open the database {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("cannot create the folder {path} for the database: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the database {path} has schema version {found}, newer than this program knows ({known}): use a newer hotline-ledger")]
    TooNew {
        path: PathBuf,
        found: i32,
        known: i32,
    },
    #[error("there is no database at {path}: nothing has been loaded yet (ingest an export first, or check [paths] database in the config)")]
    Missing { path: PathBuf },
    #[error("database error: {0}")]
    Sql(#[from] duckdb::Error),
}

/// An open database with the schema applied and the rules loaded.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Set while a `trial` runs: every `in_transaction` inside it joins the trial's
    /// transaction instead of beginning and committing its own.
    in_trial: std::cell::Cell<bool>,
}

fn connection_config() -> duckdb::Result<duckdb::Config> {
    duckdb::Config::default()
        .enable_autoload_extension(false)?
        .with("autoinstall_known_extensions", "false")
}

impl Store {
    /// Opens (creating if needed) the configured database.
    pub fn open(config: &Config) -> Result<Store, StoreError> {
        let path = config.database_path();
        let timeout = Duration::from_secs(u64::from(config.ingest.busy_timeout_secs));
        let t0 = Instant::now();
        let conn = open_waiting(&path, timeout)?;
        let store = Store {
            conn,
            path,
            in_trial: std::cell::Cell::new(false),
        };
        store.migrate()?;
        store.load_rules(config)?;
        store.renormalize_if_needed(config)?;
        tracing::debug!(elapsed = ?t0.elapsed(), "store opened");
        Ok(store)
    }

    /// Refuses when the configured database does not exist yet: a command that only reads
    /// says so instead of creating an empty one and reporting nothing as if all were well.
    /// Only the commands that load data (and the daemon and console, which do) create it.
    pub fn require_existing(config: &Config) -> Result<(), StoreError> {
        let path = config.database_path();
        if path.exists() {
            Ok(())
        } else {
            Err(StoreError::Missing { path })
        }
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `work` with the database file let go (for work that needs no database, such as
    /// laying out a long PDF), then opens it again, waiting while another process holds
    /// it as `open` does. Work that takes seconds then never turns a command run beside it
    /// away as busy.
    pub fn released<T>(
        &mut self,
        config: &Config,
        work: impl FnOnce() -> T,
    ) -> Result<T, StoreError> {
        // An in-memory database takes the file's place: it holds no lock.
        let held = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        drop(held);
        let out = work();
        let timeout = Duration::from_secs(u64::from(config.ingest.busy_timeout_secs));
        self.conn = open_waiting(&self.path, timeout)?;
        // The rules live in temporary tables of the connection.
        self.load_rules(config)?;
        Ok(out)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Applies every migration not applied yet, each in its own transaction.
    fn migrate(&self) -> Result<(), StoreError> {
        let applied = || -> duckdb::Result<Vec<i32>> {
            self.conn
                .prepare(queries::STORE_APPLIED)?
                .query_map([], |r| r.get(0))?
                .collect()
        };
        // A database made before holds the table: reading it is all an opening needs.
        let applied = match applied() {
            Ok(versions) => versions,
            Err(_) => {
                self.conn.execute_batch(queries::STORE_MIGRATIONS_TABLE)?;
                applied()?
            }
        };
        let known = queries::MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
        if let Some(&found) = applied.iter().max() {
            if found > known {
                return Err(StoreError::TooNew {
                    path: self.path.clone(),
                    found,
                    known,
                });
            }
        }
        for &(version, name, sql) in queries::MIGRATIONS {
            if applied.contains(&version) {
                continue;
            }
            self.in_transaction(StoreError::from, || {
                self.conn.execute_batch(sql)?;
                self.conn
                    .execute(queries::STORE_RECORD_MIGRATION, params![version, name])?;
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Fills the temporary rule tables from the config.
    fn load_rules(&self, config: &Config) -> Result<(), StoreError> {
        // One transaction for all of them: a statement each would commit each.
        self.in_transaction(StoreError::from, || self.fill_rules(config))
    }

    /// Runs `work` in one transaction: committed when it succeeds, rolled back when it or
    /// the commit fails, so what it writes is never half there. `fail` makes the caller's
    /// error of a failure to begin or to commit.
    pub fn in_transaction<T, E>(
        &self,
        fail: impl Fn(duckdb::Error) -> E,
        work: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if self.in_trial.get() {
            return work();
        }
        self.conn
            .execute_batch("BEGIN TRANSACTION")
            .map_err(&fail)?;
        let done = work();
        let ended = match &done {
            Ok(_) => self.conn.execute_batch("COMMIT"),
            Err(_) => Ok(()),
        };
        if done.is_err() || ended.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        ended.map_err(fail)?;
        done
    }

    /// Runs `work` in one transaction that is always rolled back: what it writes (a
    /// decision, the subjects and facts made again after it) is seen by `work` alone and
    /// then gone, so a question such as "what would joining these two make" is answered
    /// by the very code that would make it. The transactions of the steps inside join
    /// this one.
    pub fn trial<T, E>(
        &self,
        fail: impl Fn(duckdb::Error) -> E,
        work: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn
            .execute_batch("BEGIN TRANSACTION")
            .map_err(&fail)?;
        self.in_trial.set(true);
        let done = work();
        self.in_trial.set(false);
        let ended = self.conn.execute_batch("ROLLBACK").map_err(fail);
        let out = done?;
        ended?;
        Ok(out)
    }

    fn fill_rules(&self, config: &Config) -> Result<(), StoreError> {
        self.conn.execute_batch(queries::RULES_CREATE)?;
        let mut tier = self.conn.prepare(queries::RULES_INSERT_TIER)?;
        for (t, from, below) in config.rules.tiers() {
            tier.execute(params![t.as_str(), t.lead_role().as_str(), from, below])?;
        }
        let mut closed = self.conn.prepare(queries::RULES_INSERT_CLOSED_STATUS)?;
        for status in &config.rules.closed_statuses {
            closed.execute(params![status.trim()])?;
        }
        let mut alias = self.conn.prepare(queries::RULES_INSERT_CATEGORY_ALIAS)?;
        for (canonical, aliases) in &config.category_aliases {
            for a in aliases {
                alias.execute(params![a.trim(), canonical.trim()])?;
            }
        }
        let mut hazard = self.conn.prepare(queries::RULES_INSERT_HAZARD_KEYWORD)?;
        for keyword in &config.rules.hazard_keywords {
            hazard.execute(params![keyword.trim()])?;
        }
        let mut mode = self.conn.prepare(queries::RULES_INSERT_CATEGORY_MODE)?;
        for category in &config.rules.joint_categories {
            mode.execute(params![category.trim(), "joint"])?;
        }
        for category in &config.rules.special_categories {
            mode.execute(params![category.trim(), "special"])?;
        }
        Ok(())
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let mut stmt = self.conn.prepare(queries::STORE_SETTING_GET)?;
        let mut rows = stmt.query(params![key])?;
        Ok(match rows.next()? {
            Some(row) => Some(row.get(0)?),
            None => None,
        })
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(queries::STORE_SETTING_PUT, params![key, value])?;
        Ok(())
    }

    /// Stored addresses were normalized with the rules of their time; when the configured
    /// prefixes or vague words change, every stored address is normalized again so that
    /// old and new orders keep meeting in the same subjects.
    fn renormalize_if_needed(&self, config: &Config) -> Result<(), StoreError> {
        let normalizer =
            AddressNormalizer::new(&config.address.prefixes, &config.address.vague_suffixes);
        let fingerprint = normalizer.fingerprint();
        match self.setting(ADDRESS_RULES_KEY)? {
            Some(stored) if stored == fingerprint => return Ok(()),
            None => {
                let orders: i64 = self
                    .conn
                    .query_row(queries::STORE_ORDER_COUNT, [], |r| r.get(0))?;
                if orders == 0 {
                    return self.set_setting(ADDRESS_RULES_KEY, &fingerprint);
                }
            }
            Some(_) => {}
        }
        self.conn.execute_batch("BEGIN TRANSACTION")?;
        let result = (|| -> Result<(), StoreError> {
            self.conn.execute_batch(queries::STORE_RENORMALIZE_STAGE)?;
            {
                let mut read = self.conn.prepare(queries::STORE_ADDRESSES)?;
                let mut rows = read.query([])?;
                let mut app =
                    self.conn
                        .appender_to_catalog_and_db("renormalized", "temp", "main")?;
                while let Some(row) = rows.next()? {
                    let address: String = row.get(0)?;
                    let norm = normalizer.normalize(&address);
                    app.append_row(params![address, norm])?;
                }
                app.flush()?;
            }
            self.conn.execute_batch(queries::STORE_RENORMALIZE_APPLY)?;
            self.set_setting(ADDRESS_RULES_KEY, &fingerprint)
        })();
        match result {
            Ok(()) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(())
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

/// The setting that records which address rules the stored `address_norm` follow.
pub const ADDRESS_RULES_KEY: &str = "address_rules";

/// Opens the database file, retrying while another process holds DuckDB's file lock.
fn open_waiting(path: &Path, timeout: Duration) -> Result<Connection, StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let started = Instant::now();
    loop {
        let config = connection_config()?;
        match Connection::open_with_flags(path, config) {
            Ok(conn) => return Ok(conn),
            Err(e) => {
                let message = e.to_string();
                if !message.contains("Could not set lock") && !message.contains("Conflicting lock")
                {
                    return Err(StoreError::Open {
                        path: path.to_path_buf(),
                        message,
                    });
                }
                if started.elapsed() >= timeout {
                    return Err(StoreError::Busy {
                        path: path.to_path_buf(),
                        holder: lock_holder(&message),
                    });
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }
}

/// " (PID 1234)" from DuckDB's lock message, when it names one.
fn lock_holder(message: &str) -> String {
    message
        .find("PID ")
        .map(|i| {
            let digits: String = message[i + 4..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            format!(" (PID {digits})")
        })
        .unwrap_or_default()
}

/// DuckDB's settings while a big piece of work runs (a file loaded, the subjects grouped
/// again); the defaults return when dropped.
/// - A memory limit: past it DuckDB spills to a temporary folder beside the database
///   instead of growing, so the memory the work takes stays bounded whatever the data's size.
/// - While a file is loaded, one core fewer for DuckDB's threads: the program's own reader
///   thread has one to itself. (Measured on two cores: DuckDB's second thread mostly spun
///   waiting for work the reader had not produced yet, taking the reader's core; the 1M-row
///   CSV ingest took 10.4-11.7 s of CPU and 6.2-7.0 s, against 7.1-7.8 s and 4.9-5.4 s with
///   one thread.) Grouping waits for each query, so its queries keep every core.
pub struct Bounded<'c> {
    conn: &'c Connection,
    memory: bool,
    threads: bool,
}

impl<'c> Bounded<'c> {
    /// For loading a file: the memory limit and one core kept for the reader. `memory_mb` 0
    /// leaves DuckDB's memory limit as it is.
    pub fn set(conn: &'c Connection, memory_mb: u32) -> Result<Self, duckdb::Error> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        conn.execute_batch(&format!("SET threads = {}", cores.saturating_sub(1).max(1)))?;
        let mut bounded = Bounded::memory(conn, memory_mb)?;
        bounded.threads = true;
        Ok(bounded)
    }

    /// The memory limit alone (`memory_mb` 0: none), for work that waits for its queries.
    pub fn memory(conn: &'c Connection, memory_mb: u32) -> Result<Self, duckdb::Error> {
        if memory_mb != 0 {
            conn.execute_batch(&format!("SET memory_limit = '{memory_mb}MB'"))?;
        }
        Ok(Bounded {
            conn,
            memory: memory_mb != 0,
            threads: false,
        })
    }
}

impl Drop for Bounded<'_> {
    fn drop(&mut self) {
        if self.threads {
            let _ = self.conn.execute_batch("RESET threads");
        }
        if self.memory {
            let _ = self.conn.execute_batch("RESET memory_limit");
        }
    }
}
