//! Zip archives: several downloaded files in one, and archives of files to open.
//!
//! This runs in the browser too, where asking the system clock panics: every entry written
//! gets an explicit modification time (1980-01-01 00:00 unless the caller gives one), and the
//! `zip` crate is built without its `time` feature, so nothing reads the clock.
//!
//! Written entries are stored (not compressed): the files are small text and the browser
//! build stays small. Reading takes stored entries everywhere and Deflate-compressed ones
//! (what most zip tools make) in the native build only.

use std::collections::HashSet;
use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::FormatError;

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

/// A zip archive of `files` (name, content), every entry dated 1980-01-01 00:00.
pub fn write(files: &[(String, String)]) -> Vec<u8> {
    write_at(files, None)
}

/// A zip archive of `files` (name, content), every entry dated `stamp` (1980-01-01 00:00 when
/// `None` or out of zip's range). A name that repeats one before it (ignoring case) gets
/// ` (2)`, ` (3)`… before its extension.
pub fn write_at(files: &[(String, String)], stamp: Option<Stamp>) -> Vec<u8> {
    let time = stamp
        .and_then(|s| {
            DateTime::from_date_and_time(s.year, s.month, s.day, s.hour, s.minute, s.second).ok()
        })
        .unwrap_or_default();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let mut seen = HashSet::new();
    for (name, content) in files {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(time)
            .unix_permissions(0o644)
            .large_file(content.len() as u64 >= u64::from(u32::MAX));
        let name = unique_name(name, &mut seen);
        // Writing to memory fails only past zip's limits, far beyond what a browser holds.
        if zip.start_file(name, options).is_err() || zip.write_all(content.as_bytes()).is_err() {
            return Vec::new();
        }
    }
    zip.finish()
        .map(Cursor::into_inner)
        .unwrap_or_else(|_| Vec::new())
}

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
    (1..)
        .map(|n| {
            if n == 1 {
                name.to_owned()
            } else {
                format!("{folder}{stem} ({n}){ext}")
            }
        })
        .find(|candidate| seen.insert(candidate.to_lowercase()))
        .unwrap_or_else(|| name.to_owned())
}

fn invalid(at: impl Into<String>, message: impl Into<String>) -> FormatError {
    FormatError::Invalid {
        at: at.into(),
        message: message.into(),
    }
}

/// The files of a zip archive: (path inside the archive, bytes), in archive order. Folders
/// and links are left out. Encrypted entries, compression methods this build does not unpack
/// and archives that unpack to more than [`MAX_UNPACKED_BYTES`] are refused.
pub fn read(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, FormatError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        invalid(
            "archive",
            format!("it is not a zip archive that can be read ({e})"),
        )
    })?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let (name, entry_is_file) = {
            let entry = zip
                .by_index_raw(i)
                .map_err(|e| invalid(format!("archive entry {}", i + 1), e.to_string()))?;
            let name = entry.name().to_owned();
            let at = format!("archive entry {name:?}");
            if entry.encrypted() {
                return Err(invalid(at, "it is encrypted; unpack it first"));
            }
            match entry.compression() {
                CompressionMethod::Stored => {}
                // Keep in step with READS_DEFLATE and Cargo.toml's native-only zip features.
                #[cfg(not(target_arch = "wasm32"))]
                CompressionMethod::Deflated => {}
                method => {
                    return Err(invalid(
                        at,
                        format!(
                            "it is compressed with {method}, which Spanmark does not unpack here; \
                             unpack the archive and open its files"
                        ),
                    ))
                }
            }
            if entry.size() > MAX_UNPACKED_BYTES.saturating_sub(total) {
                return Err(too_big());
            }
            (name, entry.is_file())
        };
        if !entry_is_file {
            continue;
        }
        let at = format!("archive entry {name:?}");
        let entry = zip.by_index(i).map_err(|e| invalid(&at, e.to_string()))?;
        // The sizes an archive states can lie: read no more than what is left, plus one byte
        // to tell that there was more.
        let mut data = Vec::new();
        entry
            .take(MAX_UNPACKED_BYTES - total + 1)
            .read_to_end(&mut data)
            .map_err(|e| invalid(&at, format!("it cannot be unpacked ({e})")))?;
        total += data.len() as u64;
        if total > MAX_UNPACKED_BYTES {
            return Err(too_big());
        }
        out.push((name, data));
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, c)| ((*n).to_owned(), (*c).to_owned()))
            .collect()
    }

    fn as_bytes(list: &[(String, String)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(n, c)| (n.clone(), c.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn round_trips_files_with_unicode_names_and_text() {
        let list = files(&[
            ("article.ann", "T1\tActor 0 5\tKerry\n"),
            ("article.txt", "Kerry denied it.\r\n"),
            ("Москва 🇷🇺.spanmark.json", "{\"x\": \"東京\"}"),
            ("empty.txt", ""),
        ]);
        let zip = write(&list);
        assert_eq!(read(&zip).unwrap(), as_bytes(&list));
        // Deterministic: the same files give the same bytes.
        assert_eq!(write(&list), zip);
    }

    #[test]
    fn repeated_names_get_numbers() {
        let list = files(&[
            ("a.spanmark.json", "1"),
            ("A.spanmark.json", "2"),
            ("a.spanmark.json", "3"),
            ("dir/.hidden", "4"),
            ("dir/.hidden", "5"),
            ("noext", "6"),
            ("noext", "7"),
        ]);
        let names: Vec<String> = read(&write(&list))
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            names,
            [
                "a.spanmark.json",
                "A (2).spanmark.json",
                "a (3).spanmark.json",
                "dir/.hidden",
                "dir/.hidden (2)",
                "noext",
                "noext (2)",
            ]
        );
    }

    #[test]
    fn entries_carry_the_given_time_or_1980() {
        let list = files(&[("a.txt", "a")]);
        let dated = |zip: &[u8]| {
            let mut z = ZipArchive::new(Cursor::new(zip)).unwrap();
            let f = z.by_index(0).unwrap();
            let t = f.last_modified().unwrap();
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
            )
        };
        assert_eq!(dated(&write(&list)), (1980, 1, 1, 0, 0, 0));
        let stamp = Stamp {
            year: 2026,
            month: 11,
            day: 27,
            hour: 13,
            minute: 5,
            second: 42,
        };
        assert_eq!(
            dated(&write_at(&list, Some(stamp))),
            (2026, 11, 27, 13, 5, 42)
        );
        let bad = Stamp { month: 13, ..stamp };
        assert_eq!(dated(&write_at(&list, Some(bad))), (1980, 1, 1, 0, 0, 0));
    }

    fn zip_with(build: impl FnOnce(&mut ZipWriter<Cursor<Vec<u8>>>)) -> Vec<u8> {
        let mut z = ZipWriter::new(Cursor::new(Vec::new()));
        build(&mut z);
        z.finish().unwrap().into_inner()
    }

    fn stored() -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(DateTime::default())
    }

    #[test]
    fn folders_are_left_out() {
        let zip = zip_with(|z| {
            z.add_directory("dir/", stored()).unwrap();
            z.start_file("dir/a.txt", stored()).unwrap();
            z.write_all(b"A").unwrap();
        });
        assert_eq!(
            read(&zip).unwrap(),
            [("dir/a.txt".to_owned(), b"A".to_vec())]
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn deflated_entries_are_read_in_the_native_build() {
        let zip = zip_with(|z| {
            let options = stored().compression_method(CompressionMethod::Deflated);
            z.start_file("a.txt", options).unwrap();
            z.write_all("Kerry ".repeat(1000).as_bytes()).unwrap();
        });
        let got = read(&zip).unwrap();
        assert_eq!(got[0].1.len(), 6000);
    }

    /// The offset of the central directory entry in a one-entry archive.
    fn central(zip: &[u8]) -> usize {
        zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap()
    }

    #[test]
    fn encrypted_entries_are_refused() {
        let mut zip = write(&files(&[("a.txt", "hidden")]));
        // Set the "encrypted" flag (bit 0 of the general purpose flags) in both headers.
        let central = central(&zip);
        for at in [6, central + 8] {
            zip[at] |= 1;
        }
        let err = read(&zip).unwrap_err();
        assert!(err.to_string().contains("encrypted"), "{err}");
    }

    #[test]
    fn other_compression_methods_are_refused() {
        let mut zip = write(&files(&[("a.txt", "bzip")]));
        // Method 12 (bzip2) in both headers.
        let central = central(&zip);
        for at in [8, central + 10] {
            zip[at] = 12;
        }
        let err = read(&zip).unwrap_err();
        assert!(err.to_string().contains("unpack the archive"), "{err}");
    }

    #[test]
    fn archives_that_unpack_too_big_are_refused() {
        // Two entries that fit alone but not together.
        let half = "a".repeat((MAX_UNPACKED_BYTES / 2 + 1) as usize);
        let zip = write(&files(&[("a.txt", &half), ("b.txt", &half)]));
        let err = read(&zip).unwrap_err();
        assert!(err.to_string().contains("20 MB"), "{err}");
        // A Deflate entry whose stated size is small but that unpacks to more.
        #[cfg(not(target_arch = "wasm32"))]
        {
            let big = "a".repeat(MAX_UNPACKED_BYTES as usize + 10);
            let mut zip = zip_with(|z| {
                let options = stored().compression_method(CompressionMethod::Deflated);
                z.start_file("a.txt", options).unwrap();
                z.write_all(big.as_bytes()).unwrap();
            });
            // Patch the uncompressed size (local header at 22, central directory entry at 24).
            let size = (MAX_UNPACKED_BYTES as u32 + 10).to_le_bytes();
            let central = central(&zip);
            for at in [22, central + 24] {
                assert_eq!(zip[at..at + 4], size);
                zip[at..at + 4].copy_from_slice(&10u32.to_le_bytes());
            }
            let err = read(&zip).unwrap_err();
            assert!(err.to_string().contains("20 MB"), "{err}");
        }
    }

    #[test]
    fn what_is_not_a_zip_is_an_error() {
        for bytes in [&b""[..], b"PK", b"not a zip at all", b"PK\x05\x06"] {
            assert!(read(bytes).is_err());
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn read_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
                let _ = read(&bytes);
            }

            #[test]
            fn read_never_panics_on_mutated_archives(
                at in 0usize..400,
                with in proptest::collection::vec(any::<u8>(), 1..6),
                cut in 0usize..400,
            ) {
                let zip = write(&[
                    ("a.ann".to_owned(), "T1\tActor 0 5\tKerry\n".to_owned()),
                    ("a.txt".to_owned(), "Kerry denied it.".to_owned()),
                ]);
                let mut mutated = zip.clone();
                for (i, b) in with.iter().enumerate() {
                    if let Some(slot) = mutated.get_mut(at + i) {
                        *slot = *b;
                    }
                }
                let _ = read(&mutated);
                let _ = read(&zip[..cut.min(zip.len())]);
            }

            #[test]
            fn written_archives_read_back(names in proptest::collection::vec("[a-zA-Z0-9 ._-]{1,12}", 0..6)) {
                let list: Vec<(String, String)> = names.iter().map(|n| (n.clone(), format!("content of {n}"))).collect();
                let got = read(&write(&list)).unwrap();
                prop_assert_eq!(got.len(), list.len());
                for ((_, a), (_, b)) in got.iter().zip(&list) {
                    prop_assert_eq!(a, b.as_bytes());
                }
            }
        }
    }
}
