//! Files named on the command line as evidence: an interview's recordings and photographs
//! (hashed, never stored), a signed consent form (hashed), a transcript (read as text).
//!
//! A path is hostile until checked: it may name a directory, a FIFO that blocks forever,
//! a device such as `/dev/zero` that never ends, a `/proc` file whose size says 0, or a
//! file that grows while it is read. The file is opened first and the checks are made on
//! the open handle (so a swap between check and read changes nothing): it must be a
//! regular file, not empty, within the size limit, and read to exactly the size it
//! declared. Names are printed escaped, so a file name cannot write to the terminal.

use anyhow::{bail, Context as _};
use model::interview::{Attachment, MediaType};
use model::report::AttachmentHash;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Largest file hashed as evidence (a long video recording).
pub const MAX_ATTACHMENT_BYTES: u64 = 8 << 30;

/// Opens `path` as a regular, non-empty file of at most `max` bytes; returns it and its size.
fn open_regular(path: &Path, max: u64) -> anyhow::Result<(File, u64)> {
    let shown = format!("{:?}", path.as_os_str());
    let not_regular = || {
        anyhow::anyhow!(
            "{shown} is not a regular file (a directory, device, pipe or socket): give the file itself"
        )
    };
    // Looked at before opening: opening a pipe waits for a writer that may never come.
    let before =
        std::fs::metadata(path).with_context(|| format!("cannot open the file {shown}"))?;
    if !before.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // And opened without waiting, should it have been swapped for a pipe meanwhile.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options
        .open(path)
        .with_context(|| format!("cannot open the file {shown}"))?;
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read what kind of file {shown} is"))?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let size = meta.len();
    if size == 0 {
        bail!("{shown} is empty (or a special file that says so): give the file with its content");
    }
    if size > max {
        bail!("{shown} is {size} bytes, more than the {max} allowed");
    }
    Ok((file, size))
}

/// Reads exactly `size` bytes through `sink`; refuses a file that is shorter or longer.
fn read_exactly(
    file: File,
    size: u64,
    path: &Path,
    mut sink: impl FnMut(&[u8]),
) -> anyhow::Result<()> {
    let shown = format!("{:?}", path.as_os_str());
    let mut reader = file.take(size + 1);
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = reader
            .read(&mut buf)
            .with_context(|| format!("cannot read {shown}"))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        sink(&buf[..n]);
    }
    if total != size {
        bail!("{shown} changed while it was read ({size} bytes declared, {total} read): hash it again when it is complete");
    }
    Ok(())
}

/// The BLAKE3 hash, size and first bytes of a file.
fn digest(path: &Path) -> anyhow::Result<(AttachmentHash, u64, Vec<u8>)> {
    const HEAD: usize = 8192;
    let (file, size) = open_regular(path, MAX_ATTACHMENT_BYTES)?;
    let mut hasher = blake3::Hasher::new();
    let mut head: Vec<u8> = Vec::with_capacity(HEAD);
    read_exactly(file, size, path, |chunk| {
        hasher.update(chunk);
        let room = HEAD - head.len();
        head.extend_from_slice(&chunk[..chunk.len().min(room)]);
    })?;
    Ok((AttachmentHash(*hasher.finalize().as_bytes()), size, head))
}

/// The BLAKE3 hash of a file (a signed form kept outside the registry).
pub fn hash_file(path: &Path) -> anyhow::Result<AttachmentHash> {
    Ok(digest(path)?.0)
}

/// The media type of a file: from its first bytes where they say (a JPEG, an Ogg
/// recording), else from its extension, else `application/octet-stream`.
fn media_type(path: &Path, head: &[u8]) -> MediaType {
    let sniffed = infer::get(head).map(|t| t.mime_type().to_string());
    let guessed = || {
        mime_guess::from_path(path)
            .first()
            .map(|m| m.essence_str().to_string())
    };
    sniffed
        .or_else(guessed)
        .and_then(|t| MediaType::parse(&t).ok())
        .unwrap_or_else(MediaType::octet_stream)
}

/// A file recorded during an interview, by hash.
pub fn attachment(path: &Path) -> anyhow::Result<Attachment> {
    let (hash, size, head) = digest(path)?;
    Ok(Attachment {
        hash,
        size,
        media_type: media_type(path, &head),
    })
}

/// A text file (a transcript) of at most `max` bytes, as UTF-8; `-` reads standard input.
pub fn read_text(path: &Path, max: u64) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(max + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        if bytes.len() as u64 > max {
            bail!("the text on standard input is more than {max} bytes");
        }
    } else {
        let (file, size) = open_regular(path, max)?;
        read_exactly(file, size, path, |chunk| bytes.extend_from_slice(chunk))?;
    }
    String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{:?} is not UTF-8 text: save the transcript as UTF-8",
            path.as_os_str()
        )
    })
}
