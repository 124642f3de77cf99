//! The organisation's audit log: a page of entries, and the address of the CSV export with the
//! same filters.

use shared::accounts::AuditPage;

use super::{AuthApi, Error};
use crate::routes::encode_query_value;

const AUDIT: &str = "/api/audit";
const AUDIT_EXPORT: &str = "/api/audit/export";

/// The filters `GET /api/audit` and `GET /api/audit/export` take; unset ones are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// An exact action (`auth.login`) or a prefix ending in `.` (`auth.`).
    pub action: Option<String>,
    /// `success` or `failure`.
    pub outcome: Option<String>,
    /// From this instant (RFC 3339), inclusive.
    pub from: Option<String>,
    /// Until this instant (RFC 3339), exclusive.
    pub to: Option<String>,
}

impl AuditFilter {
    /// The query string (with its `?`, or empty), plus the paging parameters when given.
    fn query(&self, limit: Option<u32>, before_seq: Option<i64>) -> String {
        let limit = limit.map(|l| l.to_string());
        let before_seq = before_seq.map(|s| s.to_string());
        let pairs = [
            ("action", self.action.as_deref()),
            ("outcome", self.outcome.as_deref()),
            ("from", self.from.as_deref()),
            ("to", self.to.as_deref()),
            ("limit", limit.as_deref()),
            ("before_seq", before_seq.as_deref()),
        ];
        let query: Vec<String> = pairs
            .into_iter()
            .filter_map(|(name, value)| {
                let value = value?.trim();
                (!value.is_empty()).then(|| format!("{name}={}", encode_query_value(value)))
            })
            .collect();
        if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        }
    }

    /// The CSV export of every entry these filters select (a plain link: the browser downloads
    /// it with the session cookie).
    pub fn export_url(&self) -> String {
        format!("{AUDIT_EXPORT}{}", self.query(None, None))
    }
}

impl AuthApi {
    /// `GET /api/audit`: up to `limit` entries older than `before_seq`, newest first.
    pub async fn list_audit(
        &self,
        filter: &AuditFilter,
        limit: u32,
        before_seq: Option<i64>,
    ) -> Result<AuditPage, Error> {
        let path = format!("{AUDIT}{}", filter.query(Some(limit), before_seq));
        self.client.get(&path).await
    }
}

#[cfg(test)]
mod tests {
    use super::AuditFilter;

    #[test]
    fn no_filter_means_no_query() {
        let filter = AuditFilter::default();
        assert_eq!(filter.export_url(), "/api/audit/export");
        assert_eq!(filter.query(None, None), "");
    }

    #[test]
    fn the_list_and_the_export_carry_the_same_encoded_filters() {
        let filter = AuditFilter {
            action: Some("auth.".to_owned()),
            outcome: Some("success".to_owned()),
            from: Some("2026-05-01T00:00:00+08:00".to_owned()),
            to: Some("  ".to_owned()),
        };
        let filters = "action=auth.&outcome=success&from=2026-05-01T00%3A00%3A00%2B08%3A00";
        assert_eq!(filter.export_url(), format!("/api/audit/export?{filters}"));
        assert_eq!(
            filter.query(Some(20), Some(41)),
            format!("?{filters}&limit=20&before_seq=41")
        );
    }
}
