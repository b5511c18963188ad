//! The order ids stored when a file starts loading, kept as hashes, so a row can be sent
//! straight to `work_orders` when its id is new. Reads the ids once; writes nothing.

use std::collections::HashSet;

use duckdb::Connection;

/// The order ids stored when a file starts loading, as hashes: a row whose id is not among
/// them, nor earlier in the same file, is a new order. A hash collision only sends a new
/// order the slower way, through staging and comparison.
#[derive(Debug, Default)]
pub struct KnownIds {
    pub hashes: IdSet,
}

/// A set of id hashes. The hashes are already well mixed, so the set uses a fast hasher.
pub type IdSet = HashSet<u64, foldhash::fast::FixedState>;

impl KnownIds {
    pub fn load(conn: &Connection) -> Result<Self, duckdb::Error> {
        let mut stmt = conn.prepare(crate::queries::INGEST_KNOWN_IDS)?;
        let mut hashes = IdSet::default();
        for batch in stmt.query_arrow([])? {
            let ids = batch.column(0);
            let ids = ids
                .as_any()
                .downcast_ref::<duckdb::arrow::array::StringArray>()
                .expect("order_id is VARCHAR");
            hashes.extend(ids.iter().flatten().map(id_hash));
        }
        Ok(KnownIds { hashes })
    }
}

pub fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x0068_6f74_6c69_6e65).hash_one(id)
}
