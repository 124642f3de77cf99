//! A paper's saved spec: its sections, the chosen questions pinned to a version with their
//! points, and the rules that draw the others.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use shared::papers::{PaperKind, PaperRule};

use crate::db::types::DbUuid;

/// A chosen question as saved: pinned version and points in this paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecQuestion {
    pub question_id: DbUuid,
    pub version: i32,
    pub points_centi: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecSection {
    pub title: String,
    pub description: String,
    pub questions: Vec<SpecQuestion>,
    pub rules: Vec<PaperRule>,
}

/// The paper as saved (`papers.spec`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    pub sections: Vec<SpecSection>,
}

impl Spec {
    pub fn kind(&self) -> PaperKind {
        if self.sections.iter().any(|s| !s.rules.is_empty()) {
            PaperKind::Random
        } else {
            PaperKind::Fixed
        }
    }

    pub fn question_count(&self) -> usize {
        self.sections
            .iter()
            .map(|s| s.questions.len() + s.rules.iter().map(|r| r.count as usize).sum::<usize>())
            .sum()
    }

    pub fn total_points_centi(&self) -> i64 {
        self.sections
            .iter()
            .map(|s| {
                s.questions
                    .iter()
                    .map(|q| i64::from(q.points_centi))
                    .sum::<i64>()
                    + s.rules
                        .iter()
                        .map(|r| i64::from(r.count) * centi(r.points))
                        .sum::<i64>()
            })
            .sum()
    }

    pub fn fixed_ids(&self) -> HashSet<DbUuid> {
        self.sections
            .iter()
            .flat_map(|s| s.questions.iter().map(|q| q.question_id))
            .collect()
    }
}

pub fn centi(points: f64) -> i64 {
    (points * 100.0).round() as i64
}
