//! Zip archives: several downloaded files in one, and archives of files to open.
//!
//! A small zip of its own rather than a zip crate, to keep the browser build small: it writes
//! stored (uncompressed) entries, which suit the small text files Spanmark downloads, and reads
//! stored entries everywhere and Deflate-compressed ones (what most zip tools make) in the
//! native build only, through `flate2`. Zip64 records (for archives over 4 GB or 65,535
//! entries, which some streaming writers add to small archives too) are read; writing never
//! needs them. Split archives and encryption are refused with a message.
//!
//! Nothing here reads the system clock (asking for it panics in the browser): every entry
//! written gets an explicit modification time, 1980-01-01 00:00 unless the caller gives one.
//!
//! Reading trusts the central directory (the list at the end of an archive) for names and
//! sizes, so entries written with data descriptors (sizes after the data) read like the rest.
//! Every field is bounds-checked: damaged or hostile bytes give a [`FormatError`], never a
//! panic, and nothing unpacks past [`MAX_UNPACKED_BYTES`] whatever sizes an archive states.

use std::collections::HashSet;

use crate::error::FormatError;
use crate::names::first_unseen;

/// The most an archive may unpack to, all entries together: 20 MB.
pub const MAX_UNPACKED_BYTES: u64 = 20 * 1024 * 1024;

/// Whether this build unpacks Deflate-compressed entries (the native build does; the browser
/// build does not, to stay small).
pub const READS_DEFLATE: bool = cfg!(not(target_arch = "wasm32"));

/// A modification time for the entries of an archive, as zip keeps it (local time, years
/// 1980–2107, two-second steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Stamp {
    /// The time `secs` seconds after 1970-01-01T00:00:00 UTC, in UTC (years past what a
    /// `u16` holds give 1980, zip's first year).
    pub fn from_unix(secs: u64) -> Stamp {
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Stamp {
            year: u16::try_from(year).unwrap_or(1980),
            month: month as u8,
            day: day as u8,
            hour: (rem / 3_600) as u8,
            minute: (rem / 60 % 60) as u8,
            second: (rem % 60) as u8,
        }
    }

    /// The time as ISO 8601 (`2026-12-04T13:05:00Z`; a stamp from [`Stamp::from_unix`] is UTC).
    pub fn iso(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_DIRECTORY: u32 = 0x0605_4b50;
const ZIP64_END: u32 = 0x0606_4b50;
const ZIP64_END_LOCATOR: u32 = 0x0706_4b50;
/// The fixed part of an end of central directory record, before its comment.
const END_LEN: usize = 22;
/// The fixed part of a Zip64 end of central directory record, before its extensible data,
/// and the Zip64 end of central directory locator.
const ZIP64_END_LEN: usize = 56;
const ZIP64_LOCATOR_LEN: usize = 20;
/// The Zip64 extended information extra field.
const ZIP64_EXTRA: u16 = 0x0001;
/// The Info-ZIP Unicode path extra field.
const UNICODE_PATH_EXTRA: u16 = 0x7075;

/// General purpose flags: encrypted (bit 0), strong encryption (bit 6), UTF-8 names (bit 11).
const FLAG_ENCRYPTED: u16 = 1 | 1 << 6;
const FLAG_UTF8: u16 = 1 << 11;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// Version 1.0 (stored entries) is enough to extract; "made by" Unix (3) with zip 2.0, so that
/// tools read the permissions in the external attributes.
const VERSION_NEEDED: u16 = 10;
const VERSION_MADE_BY: u16 = 3 << 8 | 20;
/// A regular file (`S_IFREG`), `rw-r--r--`, in the high half of the external attributes.
const EXTERNAL_FILE: u32 = 0o100_644 << 16;
/// 1980-01-01 00:00 as an MS-DOS (time, date).
const EPOCH: (u16, u16) = (0, 1 << 5 | 1);

/// A zip archive of `files` (name, content), every entry dated 1980-01-01 00:00.
pub fn write(files: &[(String, String)]) -> Vec<u8> {
    write_at(files, None)
}

/// A zip archive of `files` (name, content), every entry dated `stamp` (1980-01-01 00:00 when
/// `None` or out of zip's range). A name that repeats one before it (ignoring case) gets
/// ` (2)`, ` (3)`… before its extension.
///
/// Empty past zip's limits without Zip64 (65,535 entries, 4 GB, names of 64 KB), far beyond
/// what a browser holds.
pub fn write_at(files: &[(String, String)], stamp: Option<Stamp>) -> Vec<u8> {
    let (time, date) = stamp.and_then(dos_time).unwrap_or(EPOCH);
    let mut seen = HashSet::new();
    let entries = files
        .iter()
        .map(|(name, content)| (unique_name(name, &mut seen), content.as_bytes()));
    pack(entries, time, date).unwrap_or_default()
}

/// The archive of `entries` (name, content), stored, or `None` past the limits of zip without
/// Zip64.
fn pack<'a>(
    entries: impl Iterator<Item = (String, &'a [u8])>,
    time: u16,
    date: u16,
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    let mut count: u16 = 0;
    for (name, data) in entries {
        let offset = u32::try_from(out.len()).ok()?;
        // The fields from "version needed" to "extra field length" are the same in the local
        // header and the central directory.
        let mut common = Vec::with_capacity(26);
        put16(&mut common, VERSION_NEEDED);
        put16(&mut common, FLAG_UTF8);
        put16(&mut common, STORED);
        put16(&mut common, time);
        put16(&mut common, date);
        put32(&mut common, crc32(data));
        let size = u32::try_from(data.len()).ok()?;
        put32(&mut common, size); // in the archive
        put32(&mut common, size); // unpacked
        put16(&mut common, u16::try_from(name.len()).ok()?);
        put16(&mut common, 0); // extra field length

        put32(&mut out, LOCAL_HEADER);
        out.extend_from_slice(&common);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        put32(&mut directory, CENTRAL_HEADER);
        put16(&mut directory, VERSION_MADE_BY);
        directory.extend_from_slice(&common);
        put16(&mut directory, 0); // comment length
        put16(&mut directory, 0); // disk number
        put16(&mut directory, 0); // internal attributes
        put32(&mut directory, EXTERNAL_FILE);
        put32(&mut directory, offset);
        directory.extend_from_slice(name.as_bytes());
        count = count.checked_add(1)?;
    }
    let directory_offset = u32::try_from(out.len()).ok()?;
    let directory_len = u32::try_from(directory.len()).ok()?;
    out.extend_from_slice(&directory);
    put32(&mut out, END_OF_DIRECTORY);
    put16(&mut out, 0); // this disk
    put16(&mut out, 0); // the disk where the central directory starts
    put16(&mut out, count); // entries on this disk
    put16(&mut out, count); // entries in all
    put32(&mut out, directory_len);
    put32(&mut out, directory_offset);
    put16(&mut out, 0); // comment length
    Some(out)
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// `stamp` as an MS-DOS (time, date), if zip can hold it: years 1980–2107, real calendar days,
/// seconds rounded down to even (a leap second to 58).
fn dos_time(stamp: Stamp) -> Option<(u16, u16)> {
    let Stamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
    } = stamp;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1980..=2107).contains(&year)
        || !(1..=days).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let time = u16::from(hour) << 11 | u16::from(minute) << 5 | u16::from(second.min(58) / 2);
    let date = (year - 1980) << 9 | u16::from(month) << 5 | u16::from(day);
    Some((time, date))
}

/// The CRC-32 (ISO-HDLC, as zip uses it) of `bytes`.
fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |crc, &b| {
        CRC_TABLE[usize::from(crc as u8 ^ b)] ^ crc >> 8
    })
}

/// The CRC-32 of each byte value, for the reflected polynomial 0xEDB88320.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                0xEDB8_8320 ^ crc >> 1
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

/// `name`, or `name (n)` (before the extension) when `seen` has it already.
fn unique_name(name: &str, seen: &mut HashSet<String>) -> String {
    let folder_end = name.rfind('/').map_or(0, |i| i + 1);
    let (folder, base) = name.split_at(folder_end);
    // The extension starts at the first dot that does not start the name: `a.spanmark.json`.
    let dot = base
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '.')
        .map_or(base.len(), |(i, _)| i);
    let (stem, ext) = base.split_at(dot);
    first_unseen(seen, name, |n| format!("{folder}{stem} ({n}){ext}"))
}

fn invalid(at: impl Into<String>, message: impl Into<String>) -> FormatError {
    FormatError::Invalid {
        at: at.into(),
        message: message.into(),
    }
}

fn unreadable(why: impl std::fmt::Display) -> FormatError {
    invalid(
        "archive",
        format!("it is not a zip archive that can be read ({why})"),
    )
}

fn split() -> FormatError {
    unreadable("it is one part of an archive split into several files")
}

fn too_big() -> FormatError {
    invalid(
        "archive",
        format!(
            "it unpacks to more than the {} MB Spanmark opens",
            MAX_UNPACKED_BYTES / 1_048_576
        ),
    )
}

/// The files of a zip archive: (path inside the archive, bytes), in archive order. Folders
/// and links are left out. Encrypted entries, compression methods this build does not unpack
/// and archives that unpack to more than [`MAX_UNPACKED_BYTES`] are refused.
pub fn read(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, FormatError> {
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for record in directory(bytes)? {
        let at = format!("archive entry {:?}", record.name);
        if record.flags & FLAG_ENCRYPTED != 0 {
            return Err(invalid(at, "it is encrypted; unpack it first"));
        }
        match record.method {
            STORED => {}
            // Keep in step with READS_DEFLATE and Cargo.toml's native-only flate2.
            #[cfg(not(target_arch = "wasm32"))]
            DEFLATED => {}
            method => {
                return Err(invalid(
                    at,
                    format!(
                        "it is compressed with {}, which Spanmark does not unpack here; \
                         unpack the archive and open its files",
                        method_name(method)
                    ),
                ))
            }
        }
        // What is left of the limit; the sizes an archive states are checked first, then
        // what the entry really unpacks to.
        let room = MAX_UNPACKED_BYTES.saturating_sub(total);
        if record.size > room {
            return Err(too_big());
        }
        if !record.is_file {
            continue;
        }
        let data = unpack(bytes, &record, room, &at)?;
        total += data.len() as u64;
        out.push((record.name, data));
    }
    Ok(out)
}

fn method_name(method: u16) -> String {
    match method {
        DEFLATED => "Deflate",
        9 => "Deflate64",
        12 => "bzip2",
        14 => "LZMA",
        93 => "Zstandard",
        95 => "XZ",
        98 => "PPMd",
        _ => return format!("compression method {method}"),
    }
    .to_owned()
}

/// One entry of the central directory.
#[derive(Debug)]
struct Record {
    name: String,
    flags: u16,
    method: u16,
    crc: u32,
    /// Its size in the archive and unpacked.
    compressed: u64,
    size: u64,
    /// Where its local header starts in the bytes read.
    offset: usize,
    /// Not a folder nor a link.
    is_file: bool,
}

/// Where the central directory is, as the end records state it.
struct Bounds {
    /// How many entries it holds.
    count: u64,
    /// Its length, and where it starts counted from the start of the archive.
    len: u64,
    offset: u64,
    /// Where it ends in the bytes read: where the (Zip64) end record that follows it starts.
    end: usize,
}

/// The entries of the central directory of the archive `bytes`.
fn directory(bytes: &[u8]) -> Result<Vec<Record>, FormatError> {
    let end = find_end(bytes).ok_or_else(|| unreadable("it has no end of central directory"))?;
    let damaged_end = || unreadable("its end of central directory is cut short");
    let mut fields = Fields::at(bytes, end + 4).ok_or_else(damaged_end)?;
    let (Some(disk), Some(directory_disk), Some(_), Some(count), Some(len), Some(offset)) = (
        fields.u16(),
        fields.u16(),
        fields.u16(),
        fields.u16(),
        fields.u32(),
        fields.u32(),
    ) else {
        return Err(damaged_end());
    };
    // A Zip64 archive keeps its real counts and offsets in a Zip64 end record, found through
    // a locator just before the end record; its fields that are too small say 0xFFFF(FFFF).
    // Some writers add the Zip64 records to small archives too, so with a locator its record
    // is what counts. Without one, 65,535 entries may be just that many.
    let bounds = match zip64_end(bytes, end)? {
        Some(bounds) => bounds,
        None if len == u32::MAX || offset == u32::MAX => {
            return Err(unreadable(
                "it is a Zip64 archive whose Zip64 end of central directory is missing",
            ))
        }
        None if disk != 0 || directory_disk != 0 => return Err(split()),
        None => Bounds {
            count: u64::from(count),
            len: u64::from(len),
            offset: u64::from(offset),
            end,
        },
    };
    // When the central directory starts later than its stated offset, something (a
    // self-extractor, say) comes before the archive, and every offset in it is that much
    // further on.
    let outside = || unreadable("its central directory lies outside it");
    let len = usize::try_from(bounds.len).map_err(|_| outside())?;
    let offset = usize::try_from(bounds.offset).map_err(|_| outside())?;
    let start = bounds.end.checked_sub(len).ok_or_else(outside)?;
    let shift = start.checked_sub(offset).ok_or_else(outside)?;
    let mut fields = Fields(bytes.get(start..bounds.end).ok_or_else(outside)?);
    // A damaged entry ends the reading, so a count far past what the directory holds costs
    // nothing.
    (1..=bounds.count)
        .map(|i| {
            parse_record(&mut fields, shift).ok_or_else(|| {
                unreadable(format_args!(
                    "entry {i} of its central directory is damaged"
                ))
            })
        })
        .collect()
}

/// The last end of central directory record whose comment fits in `bytes`.
fn find_end(bytes: &[u8]) -> Option<usize> {
    let last = bytes.len().checked_sub(END_LEN)?;
    let first = last.saturating_sub(usize::from(u16::MAX));
    (first..=last).rev().find(|&at| {
        read32(bytes, at) == Some(END_OF_DIRECTORY)
            && Fields::at(bytes, at + 20)
                .and_then(|mut f| f.u16())
                .is_some_and(|comment| at + END_LEN + usize::from(comment) <= bytes.len())
    })
}

/// The central directory as the Zip64 end record states it, when a Zip64 end of central
/// directory locator comes just before the end record at `end`.
fn zip64_end(bytes: &[u8], end: usize) -> Result<Option<Bounds>, FormatError> {
    let Some(locator) = end.checked_sub(ZIP64_LOCATOR_LEN) else {
        return Ok(None);
    };
    let mut fields = Fields(bytes.get(locator..end).unwrap_or_default());
    if fields.u32() != Some(ZIP64_END_LOCATOR) {
        return Ok(None);
    }
    let damaged = || unreadable("its Zip64 end of central directory is missing or damaged");
    let (Some(record_disk), Some(stated), Some(disks)) = (fields.u32(), fields.u64(), fields.u32())
    else {
        return Err(damaged());
    };
    if record_disk != 0 || disks > 1 {
        return Err(split());
    }
    // The locator states where the record starts from the start of the archive; with
    // something before the archive it is further on, right before the locator (unless it
    // carries extensible data, which is rare).
    let found = [
        usize::try_from(stated).ok(),
        locator.checked_sub(ZIP64_END_LEN),
    ]
    .into_iter()
    .flatten()
    .filter(|&at| at.checked_add(ZIP64_END_LEN).is_some_and(|e| e <= locator))
    .find_map(|at| {
        let mut fields = Fields::at(bytes, at)?;
        if fields.u32()? != ZIP64_END {
            return None;
        }
        // The record's size, and the versions that made it and that it needs.
        fields.take(12)?;
        let (disk, directory_disk) = (fields.u32()?, fields.u32()?);
        let (_, count) = (fields.u64()?, fields.u64()?);
        let (len, offset) = (fields.u64()?, fields.u64()?);
        Some((disk, directory_disk, count, len, offset, at))
    });
    let (disk, directory_disk, count, len, offset, at) = found.ok_or_else(damaged)?;
    if disk != 0 || directory_disk != 0 {
        return Err(split());
    }
    Ok(Some(Bounds {
        count,
        len,
        offset,
        end: at,
    }))
}

/// The next central directory record in `fields`: `None` when it is damaged.
fn parse_record(fields: &mut Fields, shift: usize) -> Option<Record> {
    if fields.u32()? != CENTRAL_HEADER {
        return None;
    }
    let made_by = fields.u16()?;
    let _needed = fields.u16()?;
    let flags = fields.u16()?;
    let method = fields.u16()?;
    let _time_and_date = fields.u32()?;
    let crc = fields.u32()?;
    let compressed = fields.u32()?;
    let size = fields.u32()?;
    let name_len = fields.u16()?;
    let extra_len = fields.u16()?;
    let comment_len = fields.u16()?;
    // Split archives are refused by their end records.
    let _disk = fields.u16()?;
    let _internal = fields.u16()?;
    let external = fields.u32()?;
    let offset = fields.u32()?;
    let raw_name = fields.take(usize::from(name_len))?;
    let extra = fields.take(usize::from(extra_len))?;
    fields.take(usize::from(comment_len))?;
    // Sizes and an offset too big for their fields are 0xFFFFFFFF there, and in a Zip64 extra
    // field instead: those (and only those), in this order (then a disk number, not needed).
    let mut zip64 = Fields(
        extra_fields(extra)
            .find(|&(id, _)| id == ZIP64_EXTRA)
            .map_or(&[][..], |(_, data)| data),
    );
    let mut wide = |narrow: u32| match narrow {
        u32::MAX => zip64.u64(),
        _ => Some(u64::from(narrow)),
    };
    let size = wide(size)?;
    let compressed = wide(compressed)?;
    let offset = wide(offset)?;
    let name = entry_name(raw_name, flags, extra);
    // Unix hosts (3, and 19 for macOS) keep the file type and permissions in the high half of
    // the external attributes; bit 4 of the low half is the MS-DOS folder attribute.
    let unix_type = if matches!(made_by >> 8, 3 | 19) {
        external >> 16 & 0o170_000
    } else {
        0
    };
    let is_folder = name.ends_with(['/', '\\']) || external & 0x10 != 0 || unix_type == 0o040_000;
    let is_link = unix_type == 0o120_000;
    Some(Record {
        name,
        flags,
        method,
        crc,
        compressed,
        size,
        offset: shift.checked_add(usize::try_from(offset).ok()?)?,
        is_file: !is_folder && !is_link,
    })
}

/// The extra fields in `extra`: (id, data), up to the first that is cut short.
fn extra_fields(extra: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut fields = Fields(extra);
    std::iter::from_fn(move || {
        let id = fields.u16()?;
        let len = fields.u16()?;
        Some((id, fields.take(usize::from(len))?))
    })
}

/// An entry's name: UTF-8 when it is valid UTF-8 (whether or not the entry says so, as some
/// tools do not), else code page 437 (the old zip default), unless an Info-ZIP Unicode path
/// extra field gives the UTF-8 name for these very bytes.
fn entry_name(raw: &[u8], flags: u16, extra: &[u8]) -> String {
    if let Some(name) = unicode_path(raw, extra) {
        return name;
    }
    match std::str::from_utf8(raw) {
        Ok(name) => name.to_owned(),
        Err(_) if flags & FLAG_UTF8 != 0 => String::from_utf8_lossy(raw).into_owned(),
        Err(_) => raw
            .iter()
            .map(|&b| match b.checked_sub(0x80) {
                None => char::from(b),
                Some(high) => CP437_HIGH
                    .chars()
                    .nth(usize::from(high))
                    .unwrap_or(char::REPLACEMENT_CHARACTER),
            })
            .collect(),
    }
}

/// Code page 437, bytes 0x80 to 0xFF (the lower half is ASCII).
const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";

/// The name in an Info-ZIP Unicode path extra field, if there is one for `raw`.
fn unicode_path(raw: &[u8], extra: &[u8]) -> Option<String> {
    extra_fields(extra)
        .filter(|&(id, _)| id == UNICODE_PATH_EXTRA)
        .find_map(|(_, data)| {
            // Version 1, then the CRC-32 of the header's name (an older name is stale).
            let mut field = Fields(data);
            if field.take(1)? == [1] && field.u32()? == crc32(raw) {
                String::from_utf8(field.0.to_vec()).ok()
            } else {
                None
            }
        })
}

/// The unpacked bytes of `record`, at most `room` of them.
fn unpack(bytes: &[u8], record: &Record, room: u64, at: &str) -> Result<Vec<u8>, FormatError> {
    let data =
        packed(bytes, record).ok_or_else(|| invalid(at, "its data is missing or cut short"))?;
    let data = match record.method {
        STORED if record.compressed == record.size => data.to_vec(),
        STORED => return Err(invalid(at, "its stored and unpacked sizes differ")),
        #[cfg(not(target_arch = "wasm32"))]
        DEFLATED => {
            inflate(data, room).map_err(|e| invalid(at, format!("it cannot be unpacked ({e})")))?
        }
        method => {
            return Err(invalid(
                at,
                format!("it is compressed with {}", method_name(method)),
            ))
        }
    };
    let len = data.len() as u64;
    if len > room {
        return Err(too_big());
    }
    if len != record.size {
        return Err(invalid(
            at,
            format!(
                "it unpacks to {len} bytes where the archive states {}",
                record.size
            ),
        ));
    }
    if crc32(&data) != record.crc {
        return Err(invalid(at, "it is damaged (its checksum does not match)"));
    }
    Ok(data)
}

/// The bytes of `record` as the archive holds them, after its local header.
fn packed<'a>(bytes: &'a [u8], record: &Record) -> Option<&'a [u8]> {
    let mut fields = Fields::at(bytes, record.offset)?;
    if fields.u32()? != LOCAL_HEADER {
        return None;
    }
    // Version, flags, method, time, date, CRC-32 and sizes: those of the central directory
    // are the ones to trust (with a data descriptor, these are zeros).
    fields.take(22)?;
    let name_len = fields.u16()?;
    let extra_len = fields.u16()?;
    fields.take(usize::from(name_len) + usize::from(extra_len))?;
    fields.take(usize::try_from(record.compressed).ok()?)
}

/// The Deflate stream `data` unpacked: at most `room` bytes plus one (to tell that there was
/// more), and never more memory than that, whatever the stream holds.
#[cfg(not(target_arch = "wasm32"))]
fn inflate(data: &[u8], room: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{ErrorKind, Read};
    let cap = usize::try_from(room.saturating_add(1)).unwrap_or(usize::MAX);
    let mut stream = flate2::read::DeflateDecoder::new(data).take(room.saturating_add(1));
    let mut out = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let piece = chunk.get(..n).unwrap_or_default();
        if out.capacity() - out.len() < piece.len() {
            // Double, but never past the cap (`take` keeps the bytes read within it).
            let want = (out.len() + piece.len())
                .max(out.capacity().saturating_mul(2))
                .min(cap);
            out.reserve_exact(want.saturating_sub(out.len()));
        }
        out.extend_from_slice(piece);
    }
    out.shrink_to_fit();
    Ok(out)
}

/// Little-endian fields read from the front of a byte slice; `None` past its end.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn at(bytes: &'a [u8], at: usize) -> Option<Self> {
        bytes.get(at..).map(Fields)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

fn read32(bytes: &[u8], at: usize) -> Option<u32> {
    Fields::at(bytes, at)?.u32()
}

#[cfg(test)]
mod tests;
