//! The codec worker (`spanmark-codecs`): answers the page's jobs for the file formats; nothing
//! else (see `codecs.rs`).

fn main() {
    console_error_panic_hook::set_once();
    spanmark::codecs::serve();
}
