//! Messages that take a value: a wait time, a countdown, a destination, a page number.

use shared::Lang;

/// A wait of `seconds`, rounded up to a readable unit: "45 秒", "15 分钟", "2 hours".
pub fn wait_text(seconds: u64, lang: Lang) -> String {
    let (amount, unit) = if seconds <= 60 {
        (seconds.max(1), Unit::Second)
    } else if seconds <= 3600 {
        (seconds.div_ceil(60), Unit::Minute)
    } else {
        (seconds.div_ceil(3600), Unit::Hour)
    };
    match lang {
        Lang::ZhCn => {
            let unit = match unit {
                Unit::Second => "秒",
                Unit::Minute => "分钟",
                Unit::Hour => "小时",
            };
            format!("{amount} {unit}")
        }
        Lang::En => {
            let unit = match unit {
                Unit::Second => "second",
                Unit::Minute => "minute",
                Unit::Hour => "hour",
            };
            let plural = if amount == 1 { "" } else { "s" };
            format!("{amount} {unit}{plural}")
        }
    }
}

enum Unit {
    Second,
    Minute,
    Hour,
}

/// The countdown on the send-code button while another code may not be requested yet: by the
/// second for the usual minute, in rounded-up units for the long waits of a rate limit.
pub fn cooldown_text(seconds: u64, lang: Lang) -> String {
    match (lang, seconds <= 60) {
        (Lang::ZhCn, true) => format!("{seconds} 秒后可重新获取"),
        (Lang::En, true) => format!("Send again in {seconds} s"),
        (Lang::ZhCn, false) => format!("{}后可重新获取", wait_text(seconds, lang)),
        (Lang::En, false) => format!("Send again in {}", wait_text(seconds, lang)),
    }
}

/// The notice after a code was sent.
pub fn code_sent_text(destination: &str, valid_for_seconds: u64, lang: Lang) -> String {
    let valid_for = wait_text(valid_for_seconds, lang);
    match lang {
        Lang::ZhCn => format!("验证码已发送至 {destination}，{valid_for}内有效。"),
        Lang::En => format!("A code has been sent to {destination}. It is valid for {valid_for}."),
    }
}

/// "Too many tries; wait": after repeated failed sign-ins (`locked`) or too many requests.
pub fn too_many_text(retry_after: Option<u64>, locked: bool, lang: Lang) -> String {
    let wait = retry_after.map(|seconds| wait_text(seconds, lang));
    match (lang, locked, wait) {
        (Lang::ZhCn, true, Some(wait)) => {
            format!("登录失败次数过多，账号已暂时锁定，请 {wait}后再试。")
        }
        (Lang::ZhCn, true, None) => "登录失败次数过多，账号已暂时锁定，请稍后再试。".to_owned(),
        (Lang::ZhCn, false, Some(wait)) => format!("操作过于频繁，请 {wait}后再试。"),
        (Lang::ZhCn, false, None) => "操作过于频繁，请稍后再试。".to_owned(),
        (Lang::En, true, Some(wait)) => {
            format!("Too many failed sign-in attempts. Try again in {wait}.")
        }
        (Lang::En, true, None) => "Too many failed sign-in attempts. Try again later.".to_owned(),
        (Lang::En, false, Some(wait)) => format!("Too many requests. Try again in {wait}."),
        (Lang::En, false, None) => "Too many requests. Try again later.".to_owned(),
    }
}

/// The number of a page of a list, counted from 1.
pub fn page_text(page: usize, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("第 {page} 页"),
        Lang::En => format!("Page {page}"),
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::{code_sent_text, cooldown_text, page_text, too_many_text, wait_text};

    #[test]
    fn waits_round_up_to_seconds_minutes_or_hours() {
        assert_eq!(wait_text(0, Lang::En), "1 second");
        assert_eq!(wait_text(1, Lang::En), "1 second");
        assert_eq!(wait_text(45, Lang::En), "45 seconds");
        assert_eq!(wait_text(60, Lang::ZhCn), "60 秒");
        assert_eq!(wait_text(61, Lang::En), "2 minutes");
        assert_eq!(wait_text(300, Lang::ZhCn), "5 分钟");
        assert_eq!(wait_text(899, Lang::En), "15 minutes");
        assert_eq!(wait_text(3600, Lang::En), "60 minutes");
        assert_eq!(wait_text(3601, Lang::En), "2 hours");
        assert_eq!(wait_text(86_400, Lang::ZhCn), "24 小时");
    }

    #[test]
    fn parameterised_messages_include_their_values() {
        assert_eq!(cooldown_text(59, Lang::ZhCn), "59 秒后可重新获取");
        assert_eq!(cooldown_text(7, Lang::En), "Send again in 7 s");
        assert_eq!(cooldown_text(61, Lang::ZhCn), "2 分钟后可重新获取");
        assert_eq!(cooldown_text(3000, Lang::En), "Send again in 50 minutes");
        assert_eq!(
            code_sent_text("a@example.com", 300, Lang::ZhCn),
            "验证码已发送至 a@example.com，5 分钟内有效。"
        );
        assert_eq!(
            code_sent_text("13800138000", 300, Lang::En),
            "A code has been sent to 13800138000. It is valid for 5 minutes."
        );
        assert_eq!(
            too_many_text(Some(840), true, Lang::ZhCn),
            "登录失败次数过多，账号已暂时锁定，请 14 分钟后再试。"
        );
        assert_eq!(
            too_many_text(Some(30), false, Lang::En),
            "Too many requests. Try again in 30 seconds."
        );
        assert!(too_many_text(None, true, Lang::En).ends_with("later."));
        assert_eq!(page_text(2, Lang::ZhCn), "第 2 页");
        assert_eq!(page_text(3, Lang::En), "Page 3");
    }
}
