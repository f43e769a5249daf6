//! The colour themes a user can choose.

/// A colour theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// The name used in `data-theme` and in the stored preferences.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The theme with this name, if it is one.
    pub fn from_name(name: &str) -> Option<Theme> {
        match name {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    /// The other theme.
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_names_round_trip_and_toggle() {
        for t in [Theme::Light, Theme::Dark] {
            assert_eq!(Theme::from_name(t.as_str()), Some(t));
            assert_eq!(t.toggled().toggled(), t);
            assert_ne!(t.toggled(), t);
        }
        assert_eq!(Theme::from_name("Dark"), None);
        assert_eq!(Theme::from_name(""), None);
    }
}
