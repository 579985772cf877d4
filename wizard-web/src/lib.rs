//! The osmo-values browser wizard: a Yew app compiled to WebAssembly that asks
//! for a deployment spec step by step, shows every generated file as the
//! operator types, and downloads the bundle. Everything runs in the page:
//! core's `generate` renders the files, core's `lint` checks the values files
//! (the findings are shown with the preview), the browser's CSPRNG seeds the secrets
//! and the MEK, and nothing is sent anywhere.

pub mod app;
pub mod browser;
pub mod checks;
pub mod form;
pub mod import_values;
pub mod markdown;
pub mod preview;
pub mod sizing;
pub mod words;
pub mod zip;

use osmo_values::generate::Bundle;

/// The bundle as a ZIP under `osmo-deployment/`: scripts executable, sensitive files
/// readable by the owner only.
pub fn bundle_zip(bundle: &Bundle, mtime: zip::DosTime) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(mtime);
    for f in &bundle.files {
        let mode = if f.sensitive {
            0o600
        } else if f.executable {
            0o755
        } else {
            0o644
        };
        w.add(
            &format!("osmo-deployment/{}", f.name),
            f.contents.as_bytes(),
            mode,
        );
    }
    w.finish()
}

/// Starts the wizard in the page's `#app` element (or the body).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn the_bundle_zip_holds_every_file_with_its_mode() {
        let spec = crate::checks::tests::minimal();
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let bundle = osmo_values::generate(&spec, &mut rng).unwrap();
        let bytes = bundle_zip(&bundle, zip::DosTime::EPOCH);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.zip");
        std::fs::write(&path, &bytes).unwrap();
        let out = std::process::Command::new("python3")
            .arg("-c")
            .arg("import sys,zipfile,json; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps({i.filename: [z.read(i).decode(), (i.external_attr>>16)&0o777] for i in z.infolist()}))")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read: std::collections::BTreeMap<String, (String, u32)> =
            serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(read.len(), bundle.files.len());
        for f in &bundle.files {
            let (contents, mode) = &read[&format!("osmo-deployment/{}", f.name)];
            assert_eq!(contents, &f.contents);
            let want = match (f.sensitive, f.executable) {
                (true, _) => 0o600,
                (false, true) => 0o755,
                _ => 0o644,
            };
            assert_eq!(*mode, want, "{}", f.name);
        }
    }
}
