//! What the QTI fixture packages hold: their questions and the problems of their broken
//! items, located.

use question_formats::{Located, MediaFile, Problem, Question};
use shared::questions::{Blank, Pair, Part, QuestionContent, RubricItem};

use super::{PNG, blank, choice, located, problem, with_points};

/// What both packages (2.1 and the same items in 3.0) hold.
pub(crate) fn package_questions() -> Vec<Located> {
    vec![
        located(
            "items/choice-multiple.xml#choice-multiple",
            with_points(
                QuestionContent::MultipleChoice {
                    stem: "<p>下列哪些数是质数？（公式 $p \\mid ab$ 见下图）</p>\n    <p><img src=\"images/formula.png\" alt=\"公式\"></p>".into(),
                    options: vec![choice("A", "2"), choice("B", "4"), choice("C", "7")],
                    answers: vec!["A".into(), "C".into()],
                },
                2.0,
            ),
        ),
        located(
            "items/truefalse.xml#truefalse",
            Question {
                difficulty: 1,
                explanation: "<p>公转周期约 365 天。</p>".into(),
                tags: vec!["地理".into(), "天文,常识".into()],
                category: Some("科学/地理".into()),
                ..Question::new(QuestionContent::TrueFalse {
                    stem: "地球绕太阳公转。".into(),
                    answer: true,
                })
            },
        ),
        located(
            "items/fill-blank.xml#fill-blank",
            with_points(
                QuestionContent::FillBlank {
                    stem: "<p>中国的首都是{{1}}，$\\pi$ 约等于{{2}}。</p>".into(),
                    blanks: vec![
                        Blank {
                            case_sensitive: true,
                            ..blank(&["北京", "Beijing"])
                        },
                        Blank {
                            numeric_tolerance: Some(0.01),
                            ..blank(&["3.14"])
                        },
                    ],
                },
                2.0,
            ),
        ),
        located(
            "items/essay.xml#essay",
            with_points(
                QuestionContent::Essay {
                    stem: "<p>谈谈你对可再生能源的看法（不少于 200 字）。</p>".into(),
                    reference_answer: "<p>可再生能源包括太阳能、风能……</p>".into(),
                    rubric: vec![
                        RubricItem {
                            criterion: "论点清楚".into(),
                            points: 4.0,
                        },
                        RubricItem {
                            criterion: "论据充分 & 结构完整".into(),
                            points: 6.0,
                        },
                    ],
                },
                10.0,
            ),
        ),
        // Keywords and difficulty from the manifest's LOM metadata.
        located(
            "items/order.xml#order",
            Question {
                difficulty: 4,
                tags: vec!["历史".into(), "朝代".into()],
                ..Question::new(QuestionContent::Ordering {
                    stem: "按时间先后排列下列朝代。".into(),
                    items: vec![choice("qin", "秦"), choice("han", "汉"), choice("tang", "唐")],
                })
            },
        ),
        located(
            "items/match.xml#match",
            with_points(
                QuestionContent::Matching {
                    stem: "<p>将化学式与物质配对。</p>".into(),
                    prompts: vec![choice("H2O", "H<sub>2</sub>O"), choice("NACL", "NaCl")],
                    answers: vec![
                        choice("WATER", "水"),
                        choice("SALT", "盐"),
                        choice("SUGAR", "糖"),
                    ],
                    pairs: vec![
                        Pair {
                            prompt: "H2O".into(),
                            answer: "WATER".into(),
                        },
                        Pair {
                            prompt: "NACL".into(),
                            answer: "SALT".into(),
                        },
                    ],
                },
                2.0,
            ),
        ),
        located(
            "items/composite.xml#composite",
            with_points(
                QuestionContent::Composite {
                    passage: "<div class=\"passage\"><p>阅读下面的材料：“横眉冷对千夫指，俯首甘为孺子牛。”</p></div>".into(),
                    parts: vec![
                        Part {
                            content: QuestionContent::SingleChoice {
                                stem: "这句诗表达了什么？".into(),
                                options: vec![choice("A", "爱憎分明"), choice("B", "思乡之情")],
                                answer: "A".into(),
                            },
                            points: 1.0,
                        },
                        Part {
                            content: QuestionContent::FillBlank {
                                stem: "<p>作者是{{1}}。</p>".into(),
                                blanks: vec![blank(&["鲁迅", "周树人"])],
                            },
                            points: 3.0,
                        },
                    ],
                },
                4.0,
            ),
        ),
        located(
            "items/missing-media.xml#missing-media",
            Question::new(QuestionContent::SingleChoice {
                stem: "<p>图中是什么？</p>\n    <p><img src=\"images/missing.png\" alt=\"缺失\"></p>".into(),
                options: vec![choice("A", "猫"), choice("B", "狗")],
                answer: "B".into(),
            }),
        ),
    ]
}

pub(crate) fn package_problems() -> Vec<Problem> {
    vec![
        problem(
            2,
            "items/empty-option.xml#empty-option",
            "options[1].text",
            "required",
        ),
        problem(
            2,
            "items/duplicate-ids.xml#duplicate-ids",
            "options[1].id",
            "duplicate",
        ),
        problem(
            2,
            "items/copy-of-truefalse.xml#truefalse",
            "identifier",
            "duplicate",
        ),
        problem(
            8,
            "items/hotspot.xml#hotspot",
            "type",
            "type_not_supported_by_format",
        ),
        problem(
            8,
            "items/missing-media.xml#missing-media",
            "media",
            "missing_media",
        ),
        problem(4, "items/malformed.xml", "file", "syntax_error"),
    ]
}

pub(crate) fn formula() -> MediaFile {
    MediaFile {
        name: "images/formula.png".into(),
        bytes: PNG.to_vec(),
    }
}
