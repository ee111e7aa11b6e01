//! Encryption at rest: the passphrase is stretched with Argon2id into a raw SQLCipher key.
//!
//! Why not SQLCipher's own PBKDF2: Argon2id is memory-hard, which matters for the threat we
//! design against first — a stolen laptop attacked offline with GPUs. SQLCipher keeps the
//! random salt in the file's first 16 bytes; we pass it back explicitly on open.
//!
//! Every page is enciphered with AES-256 under a random IV per write and authenticated by
//! an HMAC. How pages are laid out has changed twice ([`PageFormat`]): registries created
//! now have 16 KiB pages authenticated by HMAC-SHA256, older ones HMAC-SHA512 over 16 KiB
//! or 4 KiB pages. Larger pages mean a quarter as many page headers, HMACs and B-tree
//! splits when a batch of 80,000 events is written. Every page written or read from disk
//! pays its HMAC, and most processors of the last years (AMD since 2017, most Intel since
//! 2021, 64-bit ARM) compute SHA-256 with instructions of their own, over twice as fast as
//! SHA-512; older Intel ones, without them, are somewhat slower at SHA-256. Both are sound
//! HMACs for a 256-bit key. The format is not stored in the clear, so opening tries each,
//! newest first: a page read in the wrong format fails its HMAC, like a wrong key.

use crate::error::StoreError;
use argon2::{Algorithm, Argon2, Params, Version};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::io::Read;
use std::path::Path;
use zeroize::Zeroizing;

const SALT_LEN: usize = 16;

/// How a registry's pages are enciphered, beyond the key: what differs between
/// registries created at different times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageFormat {
    /// Bytes per page.
    pub page_size: u64,
    /// The HMAC over each page.
    pub hmac: PageHmac,
}

/// The HMAC that authenticates each page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageHmac {
    Sha256,
    Sha512,
}

impl PageHmac {
    fn pragma_value(self) -> &'static str {
        match self {
            Self::Sha256 => "HMAC_SHA256",
            Self::Sha512 => "HMAC_SHA512",
        }
    }
}

/// The format of registries created now.
const CURRENT_FORMAT: PageFormat = PageFormat {
    page_size: 16 * 1024,
    hmac: PageHmac::Sha256,
};
/// Formats a registry may have, tried in this order on open: newest first.
const FORMATS: [PageFormat; 3] = [
    CURRENT_FORMAT,
    PageFormat {
        page_size: 16 * 1024,
        hmac: PageHmac::Sha512,
    },
    PageFormat {
        page_size: 4096,
        hmac: PageHmac::Sha512,
    },
];
/// The smallest page size: no registry file is shorter than one such page.
const MIN_PAGE_SIZE: u64 = 4096;
/// Page cache, in KiB: room for a whole demo-sized batch, so one large append does not
/// spill half-written pages to the WAL (encrypting them) only to read and rewrite them.
const CACHE_KIB: i64 = 256 * 1024;
/// Argon2id with 64 MiB and 3 passes: about a quarter of a second on a field laptop.
const KDF_MEMORY_KIB: u32 = 64 * 1024;
const KDF_PASSES: u32 = 3;

fn derive_key(passphrase: &str, salt: &[u8; SALT_LEN]) -> Result<Zeroizing<[u8; 32]>, StoreError> {
    let params = Params::new(KDF_MEMORY_KIB, KDF_PASSES, 1, Some(32))
        .map_err(|e| StoreError::Kdf(e.to_string()))?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| StoreError::Kdf(e.to_string()))?;
    Ok(key)
}

/// What opening a registry's file again takes once the passphrase has been stretched: the
/// raw key and the page format. Zeroed when dropped.
pub(crate) struct RawKey {
    literal: Zeroizing<String>,
    format: PageFormat,
}

impl RawKey {
    fn new(key: &[u8; 32], salt: &[u8; SALT_LEN], format: PageFormat) -> Self {
        Self {
            literal: raw_key_literal(key, salt),
            format,
        }
    }
}

/// A second connection to an open registry, keyed without stretching the passphrase again.
pub(crate) fn reconnect(path: &Path, key: &RawKey) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    apply_key(&conn, key)?;
    Ok(conn)
}

/// The key as SQLCipher takes it raw: `x'<key><salt>'`.
fn raw_key_literal(key: &[u8; 32], salt: &[u8; SALT_LEN]) -> Zeroizing<String> {
    let mut hex = Zeroizing::new(String::with_capacity(2 * (32 + SALT_LEN) + 3));
    hex.push_str("x'");
    for b in key.iter().chain(salt.iter()) {
        hex.push_str(&format!("{b:02x}"));
    }
    hex.push('\'');
    hex
}

/// Copies the open registry at `path` into a new file `dest` in `format`, under the same
/// passphrase and salt (for tests of registries made in older formats).
pub(crate) fn export_in_format(
    conn: &Connection,
    path: &Path,
    passphrase: &str,
    dest: &Path,
    format: PageFormat,
) -> Result<(), StoreError> {
    let salt = read_salt(path)?;
    let key = derive_key(passphrase, &salt)?;
    let literal = raw_key_literal(&key, &salt);
    // The connection may not create files; an empty file is an empty database.
    std::fs::File::create_new(dest)?;
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS copy KEY \"{}\"", literal.as_str()),
        [dest.to_string_lossy()],
    )?;
    set_format(conn, "copy", format)?;
    conn.query_row("SELECT sqlcipher_export('copy')", [], |_| Ok(()))?;
    conn.execute_batch("DETACH DATABASE copy")?;
    Ok(())
}

fn apply_key(conn: &Connection, key: &RawKey) -> Result<(), StoreError> {
    // A wrong key is an expected event with its own clear error; keep SQLCipher's own
    // log lines off the user's terminal.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    conn.pragma_update(None, "key", key.literal.as_str())?;
    set_format(conn, "main", key.format)
}

/// Must come before the first read or write of the database `schema`.
fn set_format(conn: &Connection, schema: &str, format: PageFormat) -> Result<(), StoreError> {
    conn.pragma_update(Some(schema), "cipher_page_size", format.page_size as i64)?;
    conn.pragma_update(
        Some(schema),
        "cipher_hmac_algorithm",
        format.hmac.pragma_value(),
    )?;
    Ok(())
}

fn tune(conn: &Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Encrypted pages are decrypted once per read from disk; a larger cache avoids repeats.
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    Ok(())
}

pub(crate) fn create_encrypted(
    path: &Path,
    passphrase: &str,
) -> Result<(Connection, RawKey), StoreError> {
    if passphrase.is_empty() {
        return Err(StoreError::WeakPassphrase);
    }
    if path.exists() {
        return Err(StoreError::AlreadyExists(path.to_path_buf()));
    }
    let salt = crate::random_bytes::<SALT_LEN>()?;
    let key = derive_key(passphrase, &salt)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    let key = RawKey::new(&key, &salt, CURRENT_FORMAT);
    apply_key(&conn, &key)?;
    tune(&conn)?;
    Ok((conn, key))
}

pub(crate) fn open_encrypted(
    path: &Path,
    passphrase: &str,
) -> Result<(Connection, RawKey), StoreError> {
    let salt = read_salt(path)?;
    let key = derive_key(passphrase, &salt)?;
    let mut opened = None;
    for format in FORMATS {
        let key = RawKey::new(&key, &salt, format);
        if let Some(conn) = try_key(path, &key)? {
            opened = Some((conn, key));
            break;
        }
    }
    let (conn, key) =
        opened.ok_or_else(|| StoreError::WrongPassphraseOrNotRegistry(path.to_path_buf()))?;
    check_length(&conn, path, key.format.page_size)?;
    tune(&conn).map_err(|e| match e {
        StoreError::Sqlite(e) => damaged(path, e),
        other => other,
    })?;
    Ok((conn, key))
}

/// Opens `path` with `key` and its page format; `None` if page 1 does not decrypt (a wrong
/// key, another format, or not a registry).
fn try_key(path: &Path, key: &RawKey) -> Result<Option<Connection>, StoreError> {
    let conn = reconnect(path, key)?;
    // SQLite copies a log a crash left behind into the file when its last connection
    // closes, whether or not it could read a page: a failed attempt must change nothing.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    // The first read decrypts page 1; a wrong key or a foreign file fails here.
    let probe: Result<i64, _> =
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0));
    match probe {
        Ok(_) => {
            // The registry's own connection, closed last, leaves no log behind.
            conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
            Ok(Some(conn))
        }
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            Ok(None)
        }
        Err(e) => Err(damaged(path, e)),
    }
}

fn damaged(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Damaged {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Reads the salt, refusing early what cannot be a registry (missing, plain SQLite, too short).
fn read_salt(path: &Path) -> Result<[u8; SALT_LEN], StoreError> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NotFound(path.to_path_buf()))
        }
        Err(e) => return Err(e.into()),
    };
    let len = file.metadata()?.len();
    let mut salt = [0u8; SALT_LEN];
    if len < MIN_PAGE_SIZE {
        return Err(if len == 0 {
            StoreError::WrongPassphraseOrNotRegistry(path.to_path_buf())
        } else {
            damaged(
                path,
                format!("the file is {len} bytes, smaller than one page"),
            )
        });
    }
    file.read_exact(&mut salt)?;
    if &salt == b"SQLite format 3\0" {
        return Err(StoreError::PlainSqlite(path.to_path_buf()));
    }
    Ok(salt)
}

/// A file cut short at a page boundary still decrypts page 1; compare the page count the
/// header records with what is on disk (the WAL may hold pages not yet checkpointed).
fn check_length(conn: &Connection, path: &Path, page_size: u64) -> Result<(), StoreError> {
    let len = std::fs::metadata(path)?.len();
    if len % page_size != 0 {
        return Err(damaged(
            path,
            format!("the file is {len} bytes, not a whole number of pages"),
        ));
    }
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal = std::path::PathBuf::from(wal);
    if wal.exists() {
        return Ok(());
    }
    let pages: u64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))
        .map(|p| p as u64)
        .map_err(|e| damaged(path, e))?;
    if pages * page_size > len {
        return Err(damaged(
            path,
            format!(
                "the header records {pages} pages but the file holds {}",
                len / page_size
            ),
        ));
    }
    Ok(())
}
