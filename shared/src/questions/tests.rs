//! The checks and the blank matching of questions, type by type.

use super::*;

fn choice(id: &str, text: &str) -> Choice {
    Choice {
        id: id.to_owned(),
        text: text.to_owned(),
    }
}

#[test]
fn a_valid_question_of_every_type_passes_and_broken_ones_name_the_field() {
    let single = QuestionContent::SingleChoice {
        stem: "<p>1+1=?</p>".into(),
        options: vec![choice("A", "1"), choice("B", "2")],
        answer: "B".into(),
    };
    assert!(single.validate("").is_empty());
    let broken = QuestionContent::SingleChoice {
        stem: "<p> </p>".into(),
        options: vec![choice("A", "1"), choice("A", "")],
        answer: "C".into(),
    };
    let problems: Vec<(String, &str)> = broken
        .validate("")
        .into_iter()
        .map(|p| (p.field, p.reason))
        .collect();
    assert_eq!(
        problems,
        vec![
            ("stem".to_owned(), "required"),
            ("options[1].id".to_owned(), "duplicate"),
            ("options[1].text".to_owned(), "required"),
            ("answer".to_owned(), "unknown_option"),
        ]
    );
    let fill = QuestionContent::FillBlank {
        stem: "中国的首都是{{1}}，最大的城市是{{2}}。".into(),
        blanks: vec![
            Blank {
                answers: vec!["北京".into()],
                case_sensitive: false,
                exact_spaces: false,
                width_sensitive: false,
                numeric_tolerance: None,
            },
            Blank {
                answers: vec!["上海".into(), "上海市".into()],
                case_sensitive: false,
                exact_spaces: false,
                width_sensitive: false,
                numeric_tolerance: None,
            },
        ],
    };
    assert!(fill.validate("").is_empty());
    let composite = QuestionContent::Composite {
        passage: "<p>阅读材料</p>".into(),
        parts: vec![
            Part {
                content: single.clone(),
                points: 2.0,
            },
            Part {
                content: QuestionContent::Composite {
                    passage: "x".into(),
                    parts: vec![],
                },
                points: 1.0,
            },
        ],
    };
    let problems = composite.validate("content");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, "content.parts[1].content");
    let matching = QuestionContent::Matching {
        stem: "配对".into(),
        prompts: vec![choice("1", "H2O"), choice("2", "NaCl")],
        answers: vec![choice("a", "水"), choice("b", "盐"), choice("c", "糖")],
        pairs: vec![
            Pair {
                prompt: "1".into(),
                answer: "a".into(),
            },
            Pair {
                prompt: "2".into(),
                answer: "b".into(),
            },
        ],
    };
    assert!(matching.validate("").is_empty());
}

#[test]
fn blanks_match_by_their_rules() {
    let b = Blank {
        answers: vec!["Hello World".into()],
        case_sensitive: false,
        exact_spaces: false,
        width_sensitive: false,
        numeric_tolerance: None,
    };
    assert!(b.matches("  hello   world "));
    assert!(b.matches("ＨＥＬＬＯ　ｗｏｒｌｄ"));
    assert!(!b.matches("helloworld"));
    let strict = Blank {
        case_sensitive: true,
        exact_spaces: true,
        width_sensitive: true,
        ..b.clone()
    };
    assert!(!strict.matches("hello world"));
    assert!(!strict.matches("Hello  World"));
    assert!(strict.matches(" Hello World "));
    let numeric = Blank {
        answers: vec!["3.14".into()],
        numeric_tolerance: Some(0.01),
        ..b
    };
    assert!(numeric.matches("3.149"));
    assert!(numeric.matches("３.１４"));
    assert!(!numeric.matches("3.16"));
    assert!(!numeric.matches("pi"));
}

#[test]
fn markers_and_points() {
    assert_eq!(blank_markers("a {{1}} b {{ 2 }} c {{x}}"), vec![1, 2]);
    assert!(valid_points(2.5));
    assert!(!valid_points(0.0));
    assert!(!valid_points(1.005));
    assert!(!valid_points(f64::NAN));
}
