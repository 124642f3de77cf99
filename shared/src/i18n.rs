//! The languages the product speaks, and how a language is chosen from a request or a setting.

use serde::{Deserialize, Serialize};

/// A user-facing language. zh-CN is the product's primary language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag, as used in `Accept-Language`, `<html lang>` and stored preferences.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses one language tag leniently: `zh`, `zh-CN`, `zh-Hans-CN`, `en-GB`, `EN`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the best supported language from an `Accept-Language` header value, honouring
    /// q-values; falls back to zh-CN when nothing matches.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best: Option<(Lang, f32)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q.is_nan() || q <= 0.0 {
                continue;
            }
            if let Some(lang) = Lang::from_tag(tag)
                && best.is_none_or(|(_, best_q)| q > best_q)
            {
                best = Some((lang, q));
            }
        }
        best.map(|(lang, _)| lang).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn negotiate_honours_q_values_and_falls_back_to_chinese() {
        assert_eq!(Lang::negotiate("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::negotiate("fr-FR, en;q=0.5, zh-CN;q=0.8"), Lang::ZhCn);
        assert_eq!(Lang::negotiate("zh-Hans-CN"), Lang::ZhCn);
        assert_eq!(Lang::negotiate("de"), Lang::ZhCn);
        assert_eq!(Lang::negotiate(""), Lang::ZhCn);
        assert_eq!(Lang::negotiate("en;q=0, zh;q=0.1"), Lang::ZhCn);
        assert_eq!(Lang::negotiate("EN"), Lang::En);
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }
}
