//! Mounts the app; everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    leptos::mount::mount_to_body(spanmark::App);
}

/// The app runs only in the browser; a native build of this binary just says so.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("spanmark-web is the browser app: build it with `trunk build` (`make serve`). The native command is `spanmark`.");
    std::process::exit(2);
}
