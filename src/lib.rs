pub mod core;
pub mod formats;
