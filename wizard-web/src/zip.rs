//! A small store-only ZIP writer (no compression), enough to hand the
//! generated bundle over as one download. Entries carry Unix permissions so
//! `unzip` restores `install.sh` as executable and the secrets as 0600.
//!
//! ```
//! let mut zip = wizard_web::zip::ZipWriter::new(wizard_web::zip::DosTime::EPOCH);
//! zip.add("hello.txt", b"hi\n", 0o644);
//! let bytes = zip.finish();
//! assert_eq!(&bytes[..4], b"PK\x03\x04");
//! ```

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as ZIP uses it.
pub fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = TABLE[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc ^ 0xFFFF_FFFF
}

/// A modification time in MS-DOS format, as ZIP headers store it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosTime {
    /// Packed time: hour << 11 | minute << 5 | second / 2.
    pub time: u16,
    /// Packed date: (year - 1980) << 9 | month << 5 | day.
    pub date: u16,
}

impl DosTime {
    /// 1980-01-01 00:00:00, the earliest time ZIP can store.
    pub const EPOCH: DosTime = DosTime {
        time: 0,
        date: (1 << 5) | 1,
    };

    /// Packs a calendar time; out-of-range fields are clamped to what ZIP can store.
    pub fn new(year: u32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> DosTime {
        let year = year.clamp(1980, 2107) - 1980;
        DosTime {
            time: ((hour.min(23) << 11) | (minute.min(59) << 5) | (second.min(59) / 2)) as u16,
            date: ((year << 9) | (month.clamp(1, 12) << 5) | day.clamp(1, 31)) as u16,
        }
    }
}

struct Entry {
    name: Vec<u8>,
    crc: u32,
    size: u32,
    offset: u32,
    mode: u32,
}

/// Builds a ZIP archive in memory, entries stored uncompressed.
pub struct ZipWriter {
    out: Vec<u8>,
    entries: Vec<Entry>,
    mtime: DosTime,
}

/// General-purpose flag bit 11: names are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// "Version made by": Unix (3) in the high byte, spec 2.0 in the low byte.
const MADE_BY_UNIX: u16 = (3 << 8) | 20;
const VERSION_NEEDED: u16 = 20;

impl ZipWriter {
    /// An empty archive whose entries all carry `mtime`.
    pub fn new(mtime: DosTime) -> ZipWriter {
        ZipWriter {
            out: Vec::new(),
            entries: Vec::new(),
            mtime,
        }
    }

    /// Adds a regular file with Unix permission bits `mode` (such as `0o644`).
    pub fn add(&mut self, name: &str, data: &[u8], mode: u32) {
        let crc = crc32(data);
        // A bundle is a few hundred kilobytes; sizes beyond 4 GiB (ZIP64) never occur here.
        let size = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let offset = u32::try_from(self.out.len()).unwrap_or(u32::MAX);
        let name = name.as_bytes().to_vec();
        let o = &mut self.out;
        o.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        o.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
        o.extend_from_slice(&UTF8_NAMES.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes()); // method: stored
        o.extend_from_slice(&self.mtime.time.to_le_bytes());
        o.extend_from_slice(&self.mtime.date.to_le_bytes());
        o.extend_from_slice(&crc.to_le_bytes());
        o.extend_from_slice(&size.to_le_bytes()); // compressed size
        o.extend_from_slice(&size.to_le_bytes()); // uncompressed size
        o.extend_from_slice(&(name.len() as u16).to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        o.extend_from_slice(&name);
        o.extend_from_slice(data);
        self.entries.push(Entry {
            name,
            crc,
            size,
            offset,
            mode,
        });
    }

    /// Writes the central directory and returns the archive's bytes.
    pub fn finish(mut self) -> Vec<u8> {
        let start = self.out.len() as u32;
        let o = &mut self.out;
        for e in &self.entries {
            o.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            o.extend_from_slice(&MADE_BY_UNIX.to_le_bytes());
            o.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
            o.extend_from_slice(&UTF8_NAMES.to_le_bytes());
            o.extend_from_slice(&0u16.to_le_bytes()); // stored
            o.extend_from_slice(&self.mtime.time.to_le_bytes());
            o.extend_from_slice(&self.mtime.date.to_le_bytes());
            o.extend_from_slice(&e.crc.to_le_bytes());
            o.extend_from_slice(&e.size.to_le_bytes());
            o.extend_from_slice(&e.size.to_le_bytes());
            o.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            o.extend_from_slice(&0u16.to_le_bytes()); // extra
            o.extend_from_slice(&0u16.to_le_bytes()); // comment
            o.extend_from_slice(&0u16.to_le_bytes()); // disk number
            o.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
            // External attributes: the Unix file type and mode in the high 16 bits.
            let attrs = (0o100_000 | (e.mode & 0o7777)) << 16;
            o.extend_from_slice(&attrs.to_le_bytes());
            o.extend_from_slice(&e.offset.to_le_bytes());
            o.extend_from_slice(&e.name);
        }
        let size = self.out.len() as u32 - start;
        let count = self.entries.len() as u16;
        let o = &mut self.out;
        o.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes()); // this disk
        o.extend_from_slice(&0u16.to_le_bytes()); // disk with the directory
        o.extend_from_slice(&count.to_le_bytes());
        o.extend_from_slice(&count.to_le_bytes());
        o.extend_from_slice(&size.to_le_bytes());
        o.extend_from_slice(&start.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes()); // comment length
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn dos_time_packs_fields() {
        let t = DosTime::new(2025, 3, 14, 15, 9, 26);
        assert_eq!(t.date, (45 << 9) | (3 << 5) | 14);
        assert_eq!(t.time, (15 << 11) | (9 << 5) | 13);
        assert_eq!(
            DosTime::new(1970, 0, 0, 99, 99, 99),
            DosTime::new(1980, 1, 1, 23, 59, 59)
        );
    }

    /// Python's zipfile reads the archive back: names, contents, CRCs and modes.
    #[test]
    fn python_reads_it_back() {
        let files: [(&str, &[u8], u32); 4] = [
            ("osmo_values.yaml", b"services:\n  service: {}\n", 0o644),
            ("install.sh", b"#!/bin/sh\necho ok\n", 0o755),
            ("secrets.yaml", b"kind: Secret\n", 0o600),
            ("empty.txt", b"", 0o644),
        ];
        let mut zip = ZipWriter::new(DosTime::new(2025, 6, 1, 12, 30, 0));
        for (name, data, mode) in files {
            zip.add(name, data, mode);
        }
        let bytes = zip.finish();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        std::fs::write(&path, &bytes).unwrap();
        let script = r#"
import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, z.read(i).decode(), (i.external_attr >> 16) & 0o7777, i.compress_type, list(i.date_time)] for i in z.infolist()]))
"#;
        let out = Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(&path)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read: Vec<(String, String, u32, u32, Vec<u32>)> =
            serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(read.len(), files.len());
        for ((name, data, mode), (rname, rdata, rmode, method, date)) in files.iter().zip(&read) {
            assert_eq!(name, rname);
            assert_eq!(std::str::from_utf8(data).unwrap(), rdata);
            assert_eq!(mode, rmode);
            assert_eq!(*method, 0);
            assert_eq!(date, &[2025, 6, 1, 12, 30, 0]);
        }
    }

    /// Info-ZIP's `unzip -t`, when installed, finds no error either.
    #[test]
    fn unzip_tests_it_clean() {
        let Ok(probe) = Command::new("unzip").arg("-v").output() else {
            eprintln!("unzip not installed; covered by python_reads_it_back");
            return;
        };
        assert!(probe.status.success());
        let mut zip = ZipWriter::new(DosTime::EPOCH);
        zip.add("a/b.txt", "naïve\n".as_bytes(), 0o644);
        zip.add("c.sh", b"#!/bin/sh\n", 0o755);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.zip");
        std::fs::write(&path, zip.finish()).unwrap();
        let out = Command::new("unzip").arg("-t").arg(&path).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(text.contains("No errors detected"), "{text}");
    }
}
