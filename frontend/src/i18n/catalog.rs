//! `catalog!`: declares a message enum from a table of texts, one zh-CN and one English text per
//! message, with its [`Text`](super::Text) implementation and (for tests) the list of every
//! message. The table form keeps each message's two texts side by side and cannot leave a
//! language out.

macro_rules! catalog {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($variant:ident => ($zh:expr, $en:expr),)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant,)+
        }

        impl $name {
            #[cfg(test)]
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn text(self, lang: shared::Lang) -> &'static str {
                match (self, lang) {
                    $(
                        ($name::$variant, shared::Lang::ZhCn) => $zh,
                        ($name::$variant, shared::Lang::En) => $en,
                    )+
                }
            }
        }

        impl super::Text for $name {
            fn text(self, lang: shared::Lang) -> &'static str {
                $name::text(self, lang)
            }
        }
    };
}

pub(crate) use catalog;

/// Checks that every message of a catalog has a text in both languages and that the two differ
/// (a text left untranslated would be the same in both).
#[cfg(test)]
pub fn assert_complete<M: super::Text + std::fmt::Debug>(all: &[M]) {
    use shared::Lang;
    for msg in all {
        for lang in Lang::ALL {
            assert!(!msg.text(lang).trim().is_empty(), "{msg:?} in {lang:?}");
        }
        assert_ne!(msg.text(Lang::ZhCn), msg.text(Lang::En), "{msg:?}");
    }
}
