//! Drawing and arranging a paper for one candidate, from a seed: pure functions, no database.
//!
//! Rules may overlap (a question can match several rules), and no question may appear twice
//! in a paper, so "can the bank satisfy these rules?" is a flow problem: rules on one side
//! (each needing `count` questions), questions on the other, grouped into classes by the set
//! of rules they match. [`max_draw`] is the maximum flow; the rules are satisfiable exactly
//! when it equals the sum of the counts. [`generate`] finds such a flow with the classes in a
//! seeded random order, then deals each class's (seeded, shuffled) questions to its rules, so
//! every feasible paper can come out and the same seed always gives the same paper.

mod flow;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use shared::questions::{Choice, QuestionContent};

use flow::Network;

/// A question that can appear in the paper: its pinned version and content.
#[derive(Debug, Clone)]
pub struct PoolQuestion {
    pub id: String,
    pub version: i32,
    pub content: QuestionContent,
}

/// A rule as indices into the pool: which questions match it, how many to draw, and their
/// points.
#[derive(Debug, Clone)]
pub struct RuleSpec {
    pub matches: Vec<usize>,
    pub count: usize,
    pub points_centi: i32,
}

/// A section: chosen questions (pool index, points) first, then rules.
#[derive(Debug, Clone, Default)]
pub struct SectionPlan {
    pub fixed: Vec<(usize, i32)>,
    pub rules: Vec<RuleSpec>,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub sections: Vec<SectionPlan>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
}

/// One question of a generated paper: the version, points and the candidate's order of its
/// options/items/answers (ids; empty: as authored), and of each composite part's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    pub question_id: String,
    pub version: i32,
    pub points_centi: i32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Vec<String>>,
}

/// A generated paper: its sections' questions in the candidate's order.
pub type Arrangement = Vec<Vec<Placed>>;

/// The flow network of `rules`.
fn network_of(rules: &[&RuleSpec]) -> Network {
    let matches: Vec<&[usize]> = rules.iter().map(|r| r.matches.as_slice()).collect();
    Network::build(&matches)
}

/// The most questions these rules can draw together without repeating a question.
pub fn max_draw(rules: &[&RuleSpec]) -> usize {
    let network = network_of(rules);
    let counts: Vec<usize> = rules.iter().map(|r| r.count).collect();
    let order: Vec<usize> = (0..network.classes.len()).collect();
    network.max_flow(&counts, &order).0
}

/// Whether every rule of the plan can be satisfied at once.
pub fn feasible(plan: &Plan) -> bool {
    let rules: Vec<&RuleSpec> = plan.sections.iter().flat_map(|s| &s.rules).collect();
    max_draw(&rules) == rules.iter().map(|r| r.count).sum::<usize>()
}

/// The paper for `seed`, or `None` when the rules cannot be satisfied from the pool.
pub fn generate(plan: &Plan, pool: &[PoolQuestion], seed: u64) -> Option<Arrangement> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rules: Vec<&RuleSpec> = plan.sections.iter().flat_map(|s| &s.rules).collect();
    let network = network_of(&rules);
    let counts: Vec<usize> = rules.iter().map(|r| r.count).collect();
    let mut order: Vec<usize> = (0..network.classes.len()).collect();
    order.shuffle(&mut rng);
    let (total, flow) = network.max_flow(&counts, &order);
    if total != counts.iter().sum::<usize>() {
        return None;
    }
    // Deal each class's shuffled members to the rules by the flow.
    let mut drawn: Vec<Vec<usize>> = vec![Vec::new(); rules.len()];
    for (k, (_, members)) in network.classes.iter().enumerate() {
        let mut members = members.clone();
        members.shuffle(&mut rng);
        let mut next = members.into_iter();
        for (rule, picks) in drawn.iter_mut().enumerate() {
            picks.extend(next.by_ref().take(flow[rule][k]));
        }
    }
    let mut rule_index = 0;
    let mut sections = Vec::with_capacity(plan.sections.len());
    for section in &plan.sections {
        let mut picks: Vec<(usize, i32)> = section.fixed.clone();
        for rule in &section.rules {
            let mut mine = std::mem::take(&mut drawn[rule_index]);
            mine.shuffle(&mut rng);
            picks.extend(mine.into_iter().map(|q| (q, rule.points_centi)));
            rule_index += 1;
        }
        if plan.shuffle_questions {
            picks.shuffle(&mut rng);
        }
        let mut placed = Vec::with_capacity(picks.len());
        for (q, points_centi) in picks {
            let question = pool.get(q)?;
            let (order, parts) = arrange(&question.content, plan.shuffle_options, &mut rng);
            placed.push(Placed {
                question_id: question.id.clone(),
                version: question.version,
                points_centi,
                order,
                parts,
            });
        }
        sections.push(placed);
    }
    Some(sections)
}

/// The candidate's order of a question's options (when shuffling options), ordering items
/// (always shuffled) and matching answers (always shuffled); and of each composite part's.
///
/// Every shuffle is uniform, the right order included: a shuffle that avoided the right order
/// would tell the candidate something (with two items, the answer is the reverse of what is
/// shown). The candidate sees labels, not ids, so ids carry nothing either
/// (`papers::labels`).
pub(crate) fn arrange(
    content: &QuestionContent,
    shuffle_options: bool,
    rng: &mut ChaCha8Rng,
) -> (Vec<String>, Vec<Vec<String>>) {
    let ids = |list: &[Choice]| -> Vec<String> { list.iter().map(|c| c.id.clone()).collect() };
    match content {
        QuestionContent::SingleChoice { options, .. }
        | QuestionContent::MultipleChoice { options, .. }
            if shuffle_options =>
        {
            let mut order = ids(options);
            order.shuffle(rng);
            (order, Vec::new())
        }
        QuestionContent::Ordering { items, .. } => {
            let mut order = ids(items);
            order.shuffle(rng);
            (order, Vec::new())
        }
        QuestionContent::Matching { answers, .. } => {
            let mut order = ids(answers);
            order.shuffle(rng);
            (order, Vec::new())
        }
        QuestionContent::Composite { parts, .. } => (
            Vec::new(),
            parts
                .iter()
                .map(|p| arrange(&p.content, shuffle_options, rng).0)
                .collect(),
        ),
        _ => (Vec::new(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashSet};

    use proptest::prelude::*;
    use shared::questions::QuestionType;

    use super::*;

    /// A question of the generated pool: its type, difficulty, tag and category (0–3 each).
    #[derive(Debug, Clone)]
    struct Meta {
        qtype: QuestionType,
        difficulty: i32,
        tag: u8,
        category: u8,
    }

    /// A rule as criteria over [`Meta`].
    #[derive(Debug, Clone)]
    struct Criteria {
        qtype: QuestionType,
        difficulty: Option<i32>,
        tag: Option<u8>,
        category: Option<u8>,
        count: usize,
    }

    impl Criteria {
        fn accepts(&self, m: &Meta) -> bool {
            m.qtype == self.qtype
                && self.difficulty.is_none_or(|d| d == m.difficulty)
                && self.tag.is_none_or(|t| t == m.tag)
                && self.category.is_none_or(|c| c == m.category)
        }
    }

    fn choices(n: usize) -> Vec<Choice> {
        (0..n)
            .map(|i| Choice {
                id: char::from(b'A' + u8::try_from(i).unwrap_or(0)).to_string(),
                text: format!("<p>{i}</p>"),
            })
            .collect()
    }

    fn content(qtype: QuestionType, i: usize) -> QuestionContent {
        let stem = format!("<p>Q{i}</p>");
        match qtype {
            QuestionType::SingleChoice => QuestionContent::SingleChoice {
                stem,
                options: choices(4),
                answer: "A".into(),
            },
            QuestionType::MultipleChoice => QuestionContent::MultipleChoice {
                stem,
                options: choices(5),
                answers: vec!["A".into(), "C".into()],
            },
            QuestionType::Ordering => QuestionContent::Ordering {
                stem,
                items: choices(3),
            },
            _ => QuestionContent::TrueFalse { stem, answer: true },
        }
    }

    fn meta() -> impl Strategy<Value = Meta> {
        (
            prop::sample::select(vec![
                QuestionType::SingleChoice,
                QuestionType::MultipleChoice,
                QuestionType::TrueFalse,
                QuestionType::Ordering,
            ]),
            1..=5i32,
            0..3u8,
            0..3u8,
        )
            .prop_map(|(qtype, difficulty, tag, category)| Meta {
                qtype,
                difficulty,
                tag,
                category,
            })
    }

    fn criteria() -> impl Strategy<Value = Criteria> {
        (
            prop::sample::select(vec![
                QuestionType::SingleChoice,
                QuestionType::MultipleChoice,
                QuestionType::TrueFalse,
                QuestionType::Ordering,
            ]),
            prop::option::weighted(0.3, 1..=5i32),
            prop::option::weighted(0.3, 0..3u8),
            prop::option::weighted(0.3, 0..3u8),
            1..5usize,
        )
            .prop_map(|(qtype, difficulty, tag, category, count)| Criteria {
                qtype,
                difficulty,
                tag,
                category,
                count,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 1000,
            max_global_rejects: 100_000,
            ..ProptestConfig::default()
        })]

        /// 1,000 random papers over random pools (cases whose rules cannot be met are checked
        /// to produce no paper, then drawn again, so 1,000 papers are checked): a paper is
        /// generated exactly when the rules are satisfiable; it obeys every rule (count, criteria, points), repeats no
        /// question, keeps chosen questions, shuffles within sections only, and the same
        /// seed gives the same paper.
        #[test]
        fn every_generated_paper_obeys_its_rules_and_its_seed(
            pool_meta in prop::collection::vec(meta(), 0..120),
            sections in prop::collection::vec(prop::collection::vec(criteria(), 0..4), 1..4),
            fixed_count in 0..3usize,
            shuffle_questions in any::<bool>(),
            shuffle_options in any::<bool>(),
            seed in any::<u64>(),
        ) {
            let pool: Vec<PoolQuestion> = pool_meta
                .iter()
                .enumerate()
                .map(|(i, m)| PoolQuestion {
                    id: format!("q{i}"),
                    version: 1 + (i % 3) as i32,
                    content: content(m.qtype, i),
                })
                .collect();
            // The first `fixed_count` pool questions are chosen by hand in section 0 and
            // excluded from every rule.
            let fixed: Vec<usize> = (0..fixed_count.min(pool.len())).collect();
            let plan = Plan {
                sections: sections
                    .iter()
                    .enumerate()
                    .map(|(s, rules)| SectionPlan {
                        fixed: if s == 0 {
                            fixed.iter().map(|q| (*q, 150)).collect()
                        } else {
                            Vec::new()
                        },
                        rules: rules
                            .iter()
                            .enumerate()
                            .map(|(r, c)| RuleSpec {
                                matches: (0..pool.len())
                                    .filter(|q| !fixed.contains(q) && c.accepts(&pool_meta[*q]))
                                    .collect(),
                                count: c.count,
                                points_centi: 100 * (1 + r as i32),
                            })
                            .collect(),
                    })
                    .collect(),
                shuffle_questions,
                shuffle_options,
            };
            let paper = generate(&plan, &pool, seed);
            prop_assert_eq!(paper.is_some(), feasible(&plan));
            prop_assume!(paper.is_some());
            let Some(paper) = paper else { return Ok(()); };
            prop_assert_eq!(generate(&plan, &pool, seed), Some(paper.clone()));

            let index_of = |id: &str| pool.iter().position(|p| p.id == id);
            let mut seen = HashSet::new();
            for (s, placed) in paper.iter().enumerate() {
                let section = &plan.sections[s];
                let expected: usize =
                    section.fixed.len() + section.rules.iter().map(|r| r.count).sum::<usize>();
                prop_assert_eq!(placed.len(), expected);
                // Every chosen question is there with its points.
                for (q, points) in &section.fixed {
                    let p = placed.iter().find(|p| p.question_id == pool[*q].id);
                    prop_assert!(p.is_some_and(|p| p.points_centi == *points));
                }
                if !shuffle_questions {
                    for (i, (q, _)) in section.fixed.iter().enumerate() {
                        prop_assert_eq!(&placed[i].question_id, &pool[*q].id);
                    }
                }
                // The drawn questions can be assigned to the rules: each rule gets exactly
                // its count of questions it accepts, with its points.
                let drawn: Vec<&Placed> = placed
                    .iter()
                    .filter(|p| !section.fixed.iter().any(|(q, _)| pool[*q].id == p.question_id))
                    .collect();
                let mut by_points: BTreeMap<i32, usize> = BTreeMap::new();
                for p in &drawn {
                    *by_points.entry(p.points_centi).or_default() += 1;
                }
                for (r, rule) in section.rules.iter().enumerate() {
                    let points = 100 * (1 + r as i32);
                    prop_assert_eq!(by_points.get(&points).copied().unwrap_or(0), rule.count);
                    for p in drawn.iter().filter(|p| p.points_centi == points) {
                        let q = index_of(&p.question_id);
                        prop_assert!(q.is_some_and(|q| rule.matches.contains(&q)),
                            "{} does not match rule {}", p.question_id, r);
                    }
                }
                for p in placed {
                    prop_assert!(seen.insert(p.question_id.clone()), "{} twice", p.question_id);
                    let q = index_of(&p.question_id).unwrap_or(usize::MAX);
                    prop_assert_eq!(p.version, pool[q].version);
                    // Orders are permutations of the question's own ids.
                    match &pool[q].content {
                        QuestionContent::SingleChoice { options, .. }
                        | QuestionContent::MultipleChoice { options, .. } => {
                            if shuffle_options {
                                let mut a = p.order.clone();
                                a.sort();
                                let mut b: Vec<String> = options.iter().map(|o| o.id.clone()).collect();
                                b.sort();
                                prop_assert_eq!(a, b);
                            } else {
                                prop_assert!(p.order.is_empty());
                            }
                        }
                        QuestionContent::Ordering { items, .. } => {
                            let mut correct: Vec<String> = items.iter().map(|o| o.id.clone()).collect();
                            correct.sort();
                            let mut a = p.order.clone();
                            a.sort();
                            prop_assert_eq!(a, correct);
                        }
                        _ => prop_assert!(p.order.is_empty()),
                    }
                }
            }
        }
    }

    #[test]
    fn overlapping_rules_are_satisfied_when_a_greedy_draw_would_fail() {
        // Rule 1 accepts questions 0 and 1; rule 2 only question 0. Drawing rule 1 first at
        // random could take question 0 and starve rule 2; the flow never does.
        let pool: Vec<PoolQuestion> = (0..2)
            .map(|i| PoolQuestion {
                id: format!("q{i}"),
                version: 1,
                content: content(QuestionType::TrueFalse, i),
            })
            .collect();
        let plan = Plan {
            sections: vec![SectionPlan {
                fixed: Vec::new(),
                rules: vec![
                    RuleSpec {
                        matches: vec![0, 1],
                        count: 1,
                        points_centi: 100,
                    },
                    RuleSpec {
                        matches: vec![0],
                        count: 1,
                        points_centi: 200,
                    },
                ],
            }],
            ..Plan::default()
        };
        for seed in 0..50 {
            let paper = generate(&plan, &pool, seed).unwrap_or_default();
            let q0 = paper[0].iter().find(|p| p.question_id == "q0");
            assert_eq!(q0.map(|p| p.points_centi), Some(200), "seed {seed}");
        }
        let mut too_many = plan.clone();
        too_many.sections[0].rules[0].count = 2;
        assert!(!feasible(&too_many));
        assert_eq!(generate(&too_many, &pool, 1), None);
    }

    #[test]
    fn different_seeds_give_different_papers() {
        let pool: Vec<PoolQuestion> = (0..30)
            .map(|i| PoolQuestion {
                id: format!("q{i}"),
                version: 1,
                content: content(QuestionType::SingleChoice, i),
            })
            .collect();
        let plan = Plan {
            sections: vec![SectionPlan {
                fixed: Vec::new(),
                rules: vec![RuleSpec {
                    matches: (0..30).collect(),
                    count: 10,
                    points_centi: 100,
                }],
            }],
            shuffle_questions: true,
            shuffle_options: true,
        };
        let papers: HashSet<String> = (0..20)
            .map(|seed| format!("{:?}", generate(&plan, &pool, seed)))
            .collect();
        assert!(papers.len() > 15, "{} distinct papers of 20", papers.len());
    }
}
