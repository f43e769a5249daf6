use super::*;

/// Made with Python's `zipfile`: a folder, two files in it, a Unicode name and a link.
const PYTHON_STORED: &[u8] =
    include_bytes!("../../../../tests/fixtures/formats/zip/python-stored.zip");
/// Made with Python's `zipfile` writing to a stream it cannot seek: Deflate entries with
/// data descriptors (sizes after the data, zeros in the local headers).
const PYTHON_DEFLATED: &[u8] =
    include_bytes!("../../../../tests/fixtures/formats/zip/python-deflated-descriptors.zip");
/// Made with Python's `zipfile` with its Zip64 threshold lowered to 8 bytes: Zip64 end
/// records, and the sizes in a Zip64 extra field.
const PYTHON_ZIP64: &[u8] =
    include_bytes!("../../../../tests/fixtures/formats/zip/python-zip64.zip");
/// Made with Python's `zipfile` with its Zip64 threshold lowered to 1,000 bytes, writing
/// a Deflate entry of 3,401 bytes with `force_zip64` and then a small stored one: the
/// first entry's sizes are in Zip64 extra fields, and there are no Zip64 end records.
const PYTHON_ZIP64_ENTRY: &[u8] =
    include_bytes!("../../../../tests/fixtures/formats/zip/python-zip64-central-extra.zip");

const TEXT: &str = "Kerry denied it.\n";
const ANN: &str = "T1\tActor 0 5\tKerry\n";

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

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// The offset of the central directory entry in a one-entry archive.
fn central(zip: &[u8]) -> usize {
    zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap()
}

/// A one-entry archive written field by field (independently of `pack`), for entries that
/// `write` does not make: other flags, methods, attributes, extra fields, false sizes.
struct Raw {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    data: Vec<u8>,
    size: u32,
    extra: Vec<u8>,
    made_by: u16,
    external: u32,
}

impl Raw {
    fn stored(name: &[u8], content: &[u8]) -> Raw {
        Raw {
            name: name.to_vec(),
            flags: 0,
            method: STORED,
            crc: crc32(content),
            data: content.to_vec(),
            size: content.len() as u32,
            extra: Vec::new(),
            made_by: 3 << 8 | 20,
            external: 0o100_644 << 16,
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn deflated(name: &[u8], content: &[u8]) -> Raw {
        use std::io::Write;
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(content).unwrap();
        Raw {
            method: DEFLATED,
            data: encoder.finish().unwrap(),
            ..Raw::stored(name, content)
        }
    }

    fn zip(&self) -> Vec<u8> {
        archive(std::slice::from_ref(self))
    }
}

/// An archive of `entries`, written field by field.
fn archive(entries: &[Raw]) -> Vec<u8> {
    let mut zip = Vec::new();
    let mut directory = Vec::new();
    for raw in entries {
        let mut common = Vec::new();
        for v in [20, raw.flags, raw.method, 0, 0x21] {
            common.extend_from_slice(&u16::to_le_bytes(v));
        }
        for v in [raw.crc, raw.data.len() as u32, raw.size] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        for v in [raw.name.len() as u16, raw.extra.len() as u16] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        directory.extend_from_slice(b"PK\x01\x02");
        directory.extend_from_slice(&raw.made_by.to_le_bytes());
        directory.extend_from_slice(&common);
        directory.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        directory.extend_from_slice(&raw.external.to_le_bytes());
        directory.extend_from_slice(&(zip.len() as u32).to_le_bytes());
        directory.extend_from_slice(&raw.name);
        directory.extend_from_slice(&raw.extra);
        zip.extend_from_slice(b"PK\x03\x04");
        zip.extend_from_slice(&common);
        zip.extend_from_slice(&raw.name);
        zip.extend_from_slice(&raw.extra);
        zip.extend_from_slice(&raw.data);
    }
    let offset = zip.len() as u32;
    zip.extend_from_slice(&directory);
    zip.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    let count = entries.len() as u16;
    zip.extend_from_slice(&count.to_le_bytes());
    zip.extend_from_slice(&count.to_le_bytes());
    zip.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    zip.extend_from_slice(&offset.to_le_bytes());
    zip.extend_from_slice(&[0, 0]);
    zip
}

/// An archive of `list` (name, content) with everything it can in Zip64 records, written
/// field by field: each entry's sizes, offset and disk in a Zip64 extra field (sizes only
/// in the local header), and a Zip64 end record with `extensible` data, its locator and an
/// end record of 0xFFFF(FFFF)s; `before` comes before it.
fn zip64(list: &[(String, String)], before: &[u8], extensible: &[u8]) -> Vec<u8> {
    let mut zip = Vec::new();
    let mut directory = Vec::new();
    for (name, content) in list {
        let (name, content) = (name.as_bytes(), content.as_bytes());
        let len = content.len() as u64;
        let mut local = vec![1, 0, 16, 0];
        local.extend_from_slice(&len.to_le_bytes());
        local.extend_from_slice(&len.to_le_bytes());
        let mut central = vec![1, 0, 28, 0];
        for v in [len, len, zip.len() as u64] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&0u32.to_le_bytes());
        let mut common = Vec::new();
        for v in [45, 0, STORED, 0, 0x21] {
            common.extend_from_slice(&u16::to_le_bytes(v));
        }
        for v in [crc32(content), u32::MAX, u32::MAX] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());

        zip.extend_from_slice(b"PK\x03\x04");
        zip.extend_from_slice(&common);
        zip.extend_from_slice(&(local.len() as u16).to_le_bytes());
        zip.extend_from_slice(name);
        zip.extend_from_slice(&local);
        zip.extend_from_slice(content);

        directory.extend_from_slice(b"PK\x01\x02");
        directory.extend_from_slice(&(3u16 << 8 | 45).to_le_bytes());
        directory.extend_from_slice(&common);
        directory.extend_from_slice(&(central.len() as u16).to_le_bytes());
        // Comment length, disk (in the extra field), internal attributes.
        directory.extend_from_slice(&[0, 0, 0xff, 0xff, 0, 0]);
        directory.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
        directory.extend_from_slice(&u32::MAX.to_le_bytes());
        directory.extend_from_slice(name);
        directory.extend_from_slice(&central);
    }
    let offset = zip.len() as u64;
    zip.extend_from_slice(&directory);
    let record = zip.len() as u64;
    zip.extend_from_slice(b"PK\x06\x06");
    zip.extend_from_slice(&(44 + extensible.len() as u64).to_le_bytes());
    zip.extend_from_slice(&(3u16 << 8 | 45).to_le_bytes());
    zip.extend_from_slice(&45u16.to_le_bytes());
    zip.extend_from_slice(&[0; 8]); // this disk, the central directory's
    let count = list.len() as u64;
    for v in [count, count, directory.len() as u64, offset] {
        zip.extend_from_slice(&v.to_le_bytes());
    }
    zip.extend_from_slice(extensible);
    zip.extend_from_slice(b"PK\x06\x07\0\0\0\0");
    zip.extend_from_slice(&record.to_le_bytes());
    zip.extend_from_slice(&1u32.to_le_bytes());
    zip.extend_from_slice(b"PK\x05\x06");
    zip.extend_from_slice(&[0xff; 16]);
    zip.extend_from_slice(&[0, 0]);
    let mut out = before.to_vec();
    out.extend_from_slice(&zip);
    out
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
    // No files, still an archive.
    assert_eq!(read(&write(&[])).unwrap(), []);
}

#[test]
fn crc32_is_zips() {
    // The standard check value, and Python's zlib.crc32 of the others.
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b""), 0);
    assert_eq!(crc32(TEXT.as_bytes()), 0x1B58_3396);
}

#[test]
fn written_headers_are_what_zip_tools_expect() {
    let zip = write(&files(&[("Москва.txt", TEXT)]));
    let name = "Москва.txt".as_bytes();
    let central = central(&zip);
    let end = zip.len() - 22;
    // Local header: version 1.0, UTF-8 names, stored, sizes, the name and the text.
    assert_eq!(&zip[..4], b"PK\x03\x04");
    assert_eq!(u16_at(&zip, 4), 10);
    assert_eq!(u16_at(&zip, 6), 1 << 11);
    assert_eq!(u16_at(&zip, 8), 0);
    assert_eq!(u32_at(&zip, 14), crc32(TEXT.as_bytes()));
    assert_eq!(u32_at(&zip, 18), TEXT.len() as u32);
    assert_eq!(u32_at(&zip, 22), TEXT.len() as u32);
    assert_eq!(u16_at(&zip, 26) as usize, name.len());
    assert_eq!(u16_at(&zip, 28), 0);
    assert_eq!(&zip[30..30 + name.len()], name);
    assert_eq!(&zip[30 + name.len()..central], TEXT.as_bytes());
    // Central directory: made by Unix, the same fields, a regular rw-r--r-- file at 0.
    assert_eq!(u16_at(&zip, central + 4), 3 << 8 | 20);
    assert_eq!(zip[central + 6..central + 32], zip[4..30]);
    assert_eq!(u32_at(&zip, central + 38), 0o100_644 << 16);
    assert_eq!(u32_at(&zip, central + 42), 0);
    assert_eq!(&zip[central + 46..end], name);
    // End of central directory: one entry, the directory's size and offset, no comment.
    assert_eq!(&zip[end..end + 4], b"PK\x05\x06");
    assert_eq!(u16_at(&zip, end + 8), 1);
    assert_eq!(u16_at(&zip, end + 10), 1);
    assert_eq!(u32_at(&zip, end + 12) as usize, end - central);
    assert_eq!(u32_at(&zip, end + 16) as usize, central);
    assert_eq!(u16_at(&zip, end + 20), 0);
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
        let (time, date) = (u16_at(zip, 10), u16_at(zip, 12));
        // The central directory says the same.
        let central = central(zip);
        assert_eq!(
            (u16_at(zip, central + 12), u16_at(zip, central + 14)),
            (time, date)
        );
        (
            (date >> 9) + 1980,
            date >> 5 & 15,
            date & 31,
            time >> 11,
            time >> 5 & 63,
            (time & 31) * 2,
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
    let at = |stamp| dated(&write_at(&list, Some(stamp)));
    assert_eq!(at(stamp), (2026, 11, 27, 13, 5, 42));
    // Two-second steps; a leap second is kept as 58.
    assert_eq!(
        at(Stamp {
            second: 43,
            ..stamp
        }),
        (2026, 11, 27, 13, 5, 42)
    );
    assert_eq!(
        at(Stamp {
            second: 60,
            ..stamp
        }),
        (2026, 11, 27, 13, 5, 58)
    );
    // The ends of zip's range, and leap days.
    for (y, mo, d, h, mi, s) in [(1980, 1, 1, 0, 0, 0), (2107, 12, 31, 23, 59, 58)] {
        let edge = Stamp {
            year: y,
            month: mo,
            day: d,
            hour: h,
            minute: mi,
            second: s,
        };
        let [mo, d, h, mi, s] = [mo, d, h, mi, s].map(u16::from);
        assert_eq!(at(edge), (y, mo, d, h, mi, s));
    }
    let leap = Stamp {
        year: 2024,
        month: 2,
        day: 29,
        ..stamp
    };
    assert_eq!(at(leap), (2024, 2, 29, 13, 5, 42));
    // Out of range: 1980-01-01 00:00.
    for bad in [
        Stamp { month: 13, ..stamp },
        Stamp { month: 0, ..stamp },
        Stamp { day: 0, ..stamp },
        Stamp { day: 31, ..stamp },
        Stamp { year: 2023, ..leap },
        Stamp { year: 2100, ..leap },
        Stamp {
            year: 1979,
            ..stamp
        },
        Stamp {
            year: 2108,
            ..stamp
        },
        Stamp { hour: 24, ..stamp },
        Stamp {
            minute: 60,
            ..stamp
        },
        Stamp {
            second: 61,
            ..stamp
        },
    ] {
        assert_eq!(at(bad), (1980, 1, 1, 0, 0, 0), "{bad:?}");
    }
    assert_eq!(at(Stamp { year: 2000, ..leap }), (2000, 2, 29, 13, 5, 42));
}

#[test]
fn reads_what_python_writes_leaving_out_folders_and_links() {
    let expected = [
        ("dir/article.txt", TEXT),
        ("dir/article.ann", ANN),
        ("Москва 東京.txt", "Москва и 東京\n"),
    ];
    let expected: Vec<(String, Vec<u8>)> = expected
        .iter()
        .map(|(n, c)| ((*n).to_owned(), c.as_bytes().to_vec()))
        .collect();
    assert_eq!(read(PYTHON_STORED).unwrap(), expected);
    // Folders by name, by MS-DOS attribute or by Unix mode.
    let folder = |raw: Raw| read(&raw.zip()).unwrap();
    assert_eq!(folder(Raw::stored(b"dir/", b"")), []);
    assert_eq!(folder(Raw::stored(b"dir\\", b"")), []);
    let dos = Raw {
        made_by: 20,
        external: 0x10,
        ..Raw::stored(b"dir", b"")
    };
    assert_eq!(folder(dos), []);
    let unix = Raw {
        external: 0o040_755 << 16,
        ..Raw::stored(b"dir", b"")
    };
    assert_eq!(folder(unix), []);
    // A Unix mode means nothing from an MS-DOS host.
    let file = Raw {
        made_by: 20,
        external: 0o120_777 << 16,
        ..Raw::stored(b"a.txt", b"A")
    };
    assert_eq!(folder(file), [("a.txt".to_owned(), b"A".to_vec())]);
}

/// Checks one of Python's archives of Deflate-compressed entries: in a build that reads
/// Deflate, it holds the long `article.txt`, `article.ann` and then `more`; in one that does
/// not, reading it says so.
#[track_caller]
fn reads_deflated(zip: &[u8], more: &[(&str, &str)]) {
    let got = read(zip);
    if !READS_DEFLATE {
        let err = got.unwrap_err().to_string();
        assert!(err.contains("Deflate"), "{err}");
        return;
    }
    let long = format!("{}\n", "Kerry denied it. ".repeat(200));
    let expected: Vec<(String, Vec<u8>)> = [("article.txt", long.as_str()), ("article.ann", ANN)]
        .iter()
        .chain(more)
        .map(|(n, c)| ((*n).to_owned(), c.as_bytes().to_vec()))
        .collect();
    assert_eq!(got.unwrap(), expected);
}

#[test]
fn deflated_entries_with_data_descriptors_are_read_in_the_native_build() {
    reads_deflated(
        PYTHON_DEFLATED,
        &[("empty.txt", ""), ("Ünïcödé.txt", "ü\n")],
    );
}

#[test]
fn names_in_code_page_437_or_a_unicode_path_field() {
    // Not UTF-8 and not flagged as such: code page 437, the old default.
    let zip = Raw::stored(b"Cura\x87ao \xc9\xcd\xbb.txt", b"x").zip();
    assert_eq!(read(&zip).unwrap()[0].0, "Curaçao ╔═╗.txt");
    // Flagged as UTF-8 but not: replacement characters, not a guess.
    let zip = Raw {
        flags: 1 << 11,
        ..Raw::stored(b"Cura\x87ao.txt", b"x")
    }
    .zip();
    assert_eq!(read(&zip).unwrap()[0].0, "Cura\u{fffd}ao.txt");
    // UTF-8 without the flag (as some tools write it).
    let zip = Raw::stored("Ünïcödé.txt".as_bytes(), b"x").zip();
    assert_eq!(read(&zip).unwrap()[0].0, "Ünïcödé.txt");
    // An Info-ZIP Unicode path field for the very name in the header wins.
    let raw_name = b"Cura?ao.txt";
    let unicode_field = |crc: u32| {
        let name = "Curaçao.txt".as_bytes();
        let mut field = vec![0x75, 0x70];
        field.extend_from_slice(&(5 + name.len() as u16).to_le_bytes());
        field.push(1);
        field.extend_from_slice(&crc.to_le_bytes());
        field.extend_from_slice(name);
        // Another field after it.
        field.extend_from_slice(&[0x55, 0x54, 1, 0, 0]);
        field
    };
    let zip = Raw {
        extra: unicode_field(crc32(raw_name)),
        ..Raw::stored(raw_name, b"x")
    }
    .zip();
    assert_eq!(read(&zip).unwrap()[0].0, "Curaçao.txt");
    // A stale one (for another name) is ignored.
    let zip = Raw {
        extra: unicode_field(crc32(b"other")),
        ..Raw::stored(raw_name, b"x")
    }
    .zip();
    assert_eq!(read(&zip).unwrap()[0].0, "Cura?ao.txt");
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
    let err = read(&zip).unwrap_err().to_string();
    assert!(err.contains("bzip2"), "{err}");
    assert!(err.contains("unpack the archive"), "{err}");
}

#[test]
fn zip64_archives_are_read() {
    // Python's, with Zip64 end records and the sizes in a Zip64 extra field.
    assert_eq!(
        read(PYTHON_ZIP64).unwrap(),
        [("article.txt".to_owned(), TEXT.as_bytes().to_vec())]
    );
    // Every value in Zip64 records: sizes, offsets, counts and disk numbers.
    let list = files(&[("a.txt", TEXT), ("Москва.ann", ANN), ("empty.txt", "")]);
    assert_eq!(read(&zip64(&list, b"", b"")).unwrap(), as_bytes(&list));
    // After a self-extractor's stub (the Zip64 end record is found before its locator), and
    // with extensible data in the Zip64 end record (found where the locator says).
    let stub = b"#!/bin/sh\nexit 0\n";
    assert_eq!(read(&zip64(&list, stub, b"")).unwrap(), as_bytes(&list));
    let extensible = [0x99, 0x99, 4, 0, 1, 2, 3, 4];
    assert_eq!(
        read(&zip64(&list, b"", &extensible)).unwrap(),
        as_bytes(&list)
    );
    // A Zip64 extra field after another one.
    let mut extra = vec![0x55, 0x54, 1, 0, 0];
    extra.extend_from_slice(&[1, 0, 8, 0]);
    extra.extend_from_slice(&1u64.to_le_bytes());
    let zip = Raw {
        size: u32::MAX,
        extra,
        ..Raw::stored(b"a.txt", b"A")
    }
    .zip();
    assert_eq!(read(&zip).unwrap(), [("a.txt".to_owned(), b"A".to_vec())]);
}

#[test]
fn zip64_sizes_only_in_the_central_directory_are_read() {
    // Python's, writing with `force_zip64`: the sizes of the first entry are in Zip64 extra
    // fields, but there are no Zip64 end records.
    reads_deflated(PYTHON_ZIP64_ENTRY, &[]);
}

#[test]
fn damaged_zip64_archives_are_errors() {
    let list = files(&[("a.txt", TEXT), ("b.ann", ANN)]);
    let zip = zip64(&list, b"", b"");
    let read_err = |zip: &[u8]| read(zip).unwrap_err().to_string();
    // Every cut.
    for cut in 0..zip.len() {
        assert!(read(&zip[..cut]).is_err(), "cut at {cut}");
    }
    // The first entry's Zip64 extra field: unpacked size, size in the archive, offset.
    let extra = central(&zip) + 46 + 5 + 4;
    let with = |at: usize, value: u64| {
        let mut changed = zip.clone();
        changed[at..at + 8].copy_from_slice(&value.to_le_bytes());
        changed
    };
    for size in [MAX_UNPACKED_BYTES + 1, u64::from(u32::MAX) + 1, u64::MAX] {
        let err = read_err(&with(extra, size));
        assert!(err.contains("20 MB"), "{err}");
    }
    for value in [1000, u64::from(u32::MAX), u64::MAX] {
        assert!(read(&with(extra + 8, value)).is_err());
        assert!(read(&with(extra + 16, value)).is_err());
    }
    // No Zip64 extra field (another id), or one too short for the values it should hold.
    let mut other = zip.clone();
    other[extra - 4] = 2;
    let err = read_err(&other);
    assert!(err.contains("entry 1") && err.contains("damaged"), "{err}");
    let short = Raw {
        size: u32::MAX,
        extra: vec![1, 0, 4, 0, 1, 0, 0, 0],
        ..Raw::stored(b"a.txt", b"A")
    };
    let err = read_err(&short.zip());
    assert!(err.contains("damaged"), "{err}");
    // Without the Zip64 end records, an end record that needs them.
    let mut plain = write(&list);
    let end = plain.len() - 22;
    plain[end + 16..end + 20].copy_from_slice(&u32::MAX.to_le_bytes());
    let err = read_err(&plain);
    assert!(err.contains("Zip64"), "{err}");
    // A locator, but no Zip64 end record where it says nor before it.
    let locator = zip.len() - 42;
    let record = locator - 56;
    let mut lost = zip.clone();
    lost[record] = b'X';
    let err = read_err(&lost);
    assert!(err.contains("Zip64"), "{err}");
    // A locator that says the record is elsewhere: it is found right before the locator.
    assert_eq!(read(&with(locator + 8, 7)).unwrap(), as_bytes(&list));
    // Counts and bounds past what the archive holds.
    for (at, value) in [
        (record + 32, 3),
        (record + 32, u64::MAX),
        (record + 40, 1),
        (record + 40, u64::MAX),
        (record + 48, 1),
        (record + 48, u64::MAX),
    ] {
        assert!(read(&with(at, value)).is_err(), "{at}: {value}");
    }
    // Part of a split archive, by the locator or the Zip64 end record.
    for at in [locator + 4, locator + 16, record + 16, record + 20] {
        let mut split = zip.clone();
        split[at] = 2;
        let err = read_err(&split);
        assert!(err.contains("split"), "{err}");
    }
}

#[test]
fn archives_that_unpack_too_big_are_refused() {
    // Two entries that fit alone but not together.
    let half = "a".repeat((MAX_UNPACKED_BYTES / 2 + 1) as usize);
    let zip = write(&files(&[("a.txt", &half), ("b.txt", &half)]));
    let err = read(&zip).unwrap_err();
    assert!(err.to_string().contains("20 MB"), "{err}");
    // One that fits exactly.
    let full = "a".repeat(MAX_UNPACKED_BYTES as usize);
    assert_eq!(
        read(&write(&files(&[("a.txt", &full)]))).unwrap()[0]
            .1
            .len(),
        full.len()
    );
    // A stated size over the limit, whatever the data.
    let zip = Raw {
        size: MAX_UNPACKED_BYTES as u32 + 1,
        ..Raw::stored(b"a.txt", b"A")
    }
    .zip();
    let err = read(&zip).unwrap_err();
    assert!(err.to_string().contains("20 MB"), "{err}");
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn deflate_bombs_are_refused() {
    // A Deflate entry whose stated size is small but that unpacks to more than the limit.
    let big = vec![b'a'; MAX_UNPACKED_BYTES as usize + 10];
    let bomb = Raw {
        size: 10,
        ..Raw::deflated(b"a.txt", &big)
    };
    assert!(bomb.data.len() < 100_000);
    let err = read(&bomb.zip()).unwrap_err();
    assert!(err.to_string().contains("20 MB"), "{err}");
    // The same after an entry that takes most of the limit.
    let most = vec![b'a'; MAX_UNPACKED_BYTES as usize - 100];
    let second = Raw {
        size: 10,
        ..Raw::deflated(b"b.txt", &most)
    };
    let zip = archive(&[Raw::deflated(b"a.txt", &most), second]);
    let err = read(&zip).unwrap_err();
    assert!(err.to_string().contains("20 MB"), "{err}");
    // Stated sizes that do not match the data are an error, not a silent cut.
    let short = Raw {
        size: 5,
        ..Raw::deflated(b"a.txt", b"Kerry denied it.")
    };
    let err = read(&short.zip()).unwrap_err();
    assert!(err.to_string().contains("states 5"), "{err}");
    // A cut Deflate stream.
    let mut cut = Raw::deflated(b"a.txt", TEXT.as_bytes());
    cut.data.truncate(cut.data.len() / 2);
    assert!(read(&cut.zip()).is_err());
}

#[test]
fn damaged_archives_are_errors() {
    let zip = write(&files(&[("a.txt", TEXT), ("b.ann", ANN)]));
    // Every cut.
    for cut in 0..zip.len() {
        assert!(read(&zip[..cut]).is_err(), "cut at {cut}");
    }
    // A changed byte of the data: the checksum does not match.
    let mut changed = zip.clone();
    changed[30 + 5] ^= 1;
    let err = read(&changed).unwrap_err().to_string();
    assert!(err.contains("checksum"), "{err}");
    // A local header offset past the end.
    let mut far = zip.clone();
    let central = central(&far);
    far[central + 42..central + 46].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(read(&far).is_err());
    far[central + 42..central + 46].copy_from_slice(&1000u32.to_le_bytes());
    assert!(read(&far).is_err());
    // More entries than the central directory holds.
    let mut more = zip.clone();
    let end = more.len() - 22;
    more[end + 10] = 3;
    assert!(read(&more).is_err());
    // A stored entry whose sizes differ.
    let differ = Raw {
        size: 2,
        ..Raw::stored(b"a.txt", b"A")
    };
    assert!(read(&differ.zip()).is_err());
    // Part of a split archive.
    let mut split = zip.clone();
    split[end + 4] = 1;
    let err = read(&split).unwrap_err().to_string();
    assert!(err.contains("split"), "{err}");
}

#[test]
fn what_comes_before_or_after_an_archive_is_skipped() {
    let list = files(&[("a.txt", TEXT), ("b.ann", ANN)]);
    let zip = write(&list);
    // A self-extractor's stub before it, and bytes after it.
    let mut wrapped = b"#!/bin/sh\nexit 0\n".to_vec();
    wrapped.extend_from_slice(&zip);
    wrapped.extend_from_slice(b"\0\0");
    assert_eq!(read(&wrapped).unwrap(), as_bytes(&list));
    // An archive comment.
    let mut commented = zip.clone();
    let end = commented.len() - 22;
    commented[end + 20] = 5;
    commented.extend_from_slice(b"hello");
    assert_eq!(read(&commented).unwrap(), as_bytes(&list));
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

    fn mutate(zip: &[u8], at: usize, with: &[u8]) -> Vec<u8> {
        let mut mutated = zip.to_vec();
        let at = at % zip.len().max(1);
        for (i, b) in with.iter().enumerate() {
            if let Some(slot) = mutated.get_mut(at + i) {
                *slot = *b;
            }
        }
        mutated
    }

    proptest! {
        #[test]
        fn read_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = read(&bytes);
        }

        #[test]
        fn read_never_panics_on_bytes_that_end_like_an_archive(
            bytes in proptest::collection::vec(any::<u8>(), 0..200),
            end in proptest::collection::vec(any::<u8>(), 18),
        ) {
            let mut zip = bytes;
            zip.extend_from_slice(b"PK\x05\x06");
            zip.extend_from_slice(&end);
            let _ = read(&zip);
        }

        #[test]
        fn read_never_panics_on_mutated_archives(
            at in 0usize..2000,
            with in proptest::collection::vec(any::<u8>(), 1..6),
            cut in 0usize..2000,
        ) {
            let zip = write(&[
                ("a.ann".to_owned(), "T1\tActor 0 5\tKerry\n".to_owned()),
                ("a.txt".to_owned(), "Kerry denied it.".to_owned()),
            ]);
            let wide = zip64(&files(&[("a.txt", "Kerry denied it.")]), b"", b"");
            for zip in [
                &zip[..],
                &wide,
                PYTHON_STORED,
                PYTHON_DEFLATED,
                PYTHON_ZIP64,
                PYTHON_ZIP64_ENTRY,
            ] {
                let _ = read(&mutate(zip, at, &with));
                let _ = read(&zip[..cut.min(zip.len())]);
            }
        }

        #[test]
        fn written_archives_read_back(names in proptest::collection::vec("[^/\\\\\\p{C}]{1,12}", 0..6)) {
            let list: Vec<(String, String)> = names.iter().map(|n| (n.clone(), format!("content of {n}"))).collect();
            let got = read(&write(&list)).unwrap();
            prop_assert_eq!(got.len(), list.len());
            for ((_, a), (_, b)) in got.iter().zip(&list) {
                prop_assert_eq!(a, b.as_bytes());
            }
        }
    }
}

#[test]
fn unix_times_become_civil_dates_and_iso_text() {
    assert_eq!(Stamp::from_unix(0).iso(), "1970-01-01T00:00:00Z");
    assert_eq!(Stamp::from_unix(951_782_400).iso(), "2000-02-29T00:00:00Z");
    assert_eq!(
        Stamp::from_unix(1_796_390_725).iso(),
        "2026-12-04T13:25:25Z"
    );
}
