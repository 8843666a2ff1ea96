//! The languages Latchkey speaks, and which one a browser asks for.

/// A language of the pages and emails. Adding one: a variant here, its folder of `.ftl` files
/// under `locales/`, and its line in `catalog::SOURCES` (README, "Adding a language").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    En,
    Id,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Id];

    /// The BCP 47 tag, as `<html lang>`, the cookie and the database keep it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
        }
    }

    /// The language's name in itself, for the switcher and the settings.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Id => "Bahasa Indonesia",
        }
    }

    /// A stored or posted tag: "id", "id-ID", "en-GB"; "in" is Indonesian's older code, which
    /// some Android browsers still send.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if primary.eq_ignore_ascii_case("id") || primary.eq_ignore_ascii_case("in") {
            Some(Lang::Id)
        } else {
            None
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Id => 1,
        }
    }

    /// The language an `Accept-Language` header prefers most among those Latchkey has: the
    /// highest quality wins, the header's order breaks ties, `q=0` means "not this one".
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(u16, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else { continue };
            let q = parts.filter_map(|p| p.trim().strip_prefix("q=")).map(quality).next().unwrap_or(1000);
            if q > 0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

/// A quality value ("0.8") in thousandths; anything unreadable counts as 0.
fn quality(q: &str) -> u16 {
    let q = q.trim();
    let Ok(v) = q.parse::<f32>() else { return 0 };
    (v.clamp(0.0, 1.0) * 1000.0).round() as u16
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn tags_are_read_by_their_primary_language() {
        assert_eq!(Lang::parse("id-ID"), Some(Lang::Id));
        assert_eq!(Lang::parse("in"), Some(Lang::Id));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn the_browser_preference_with_the_highest_quality_wins() {
        assert_eq!(Lang::from_accept_language("id"), Some(Lang::Id));
        assert_eq!(Lang::from_accept_language("fr-FR, id;q=0.8, en;q=0.5"), Some(Lang::Id));
        assert_eq!(Lang::from_accept_language("en;q=0.4, id;q=0.9"), Some(Lang::Id));
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,id;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("id;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::from_accept_language("id;q=abc"), None);
    }
}
