//! The one error envelope every API error uses, and the stable machine-readable codes.
//!
//! A code is part of the public contract: clients branch on it, so a code is never renamed or
//! reused for another meaning. Human messages may change; they exist in every [`Lang`].

use serde::{Deserialize, Serialize};

use crate::Lang;

/// Stable, snake_case error codes. The HTTP status that goes with each is given by
/// [`ErrorCode::status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the request is malformed in a way no more specific code describes.
    BadRequest,
    /// 400: the body is not valid JSON, or does not have the expected shape.
    InvalidJson,
    /// 422: the body is well-formed but some fields are invalid; `details` names them.
    ValidationFailed,
    /// 422: an import file has errors; nothing was imported. `details` is the import report
    /// with every bad row named.
    ImportRejected,
    /// 401: no valid credentials were presented.
    Unauthorized,
    /// 401: the account, password or code is wrong (deliberately not saying which).
    InvalidCredentials,
    /// 403: the caller is known but may not do this.
    Forbidden,
    /// 403: a cookie-authenticated change came without the anti-CSRF header or from another
    /// site.
    CsrfRejected,
    /// 403: the exam accepts candidates only from its IP ranges, and this request came from
    /// elsewhere.
    IpNotAllowed,
    /// 404: no such resource (or not visible to the caller).
    NotFound,
    /// 405: the resource exists but not with this method.
    MethodNotAllowed,
    /// 409: the request conflicts with the current state (for example a duplicate).
    Conflict,
    /// 409: the attempt was taken over by another device (one active device per attempt);
    /// continue there, or start/resume here to take it back.
    AnotherDevice,
    /// 409: someone registered for this exam before with the same name and phone, email or ID
    /// number; nobody is signed in until they prove it is them (resume token or a code sent to
    /// the registered contact). `details` is a `RegistrationExists`.
    RegistrationExists,
    /// 410: the resource existed but is gone for good (a data export already downloaded or
    /// past its expiry).
    Gone,
    /// 413: the body is larger than this endpoint accepts.
    PayloadTooLarge,
    /// 413: an uploaded file goes past one of the import limits (rows, columns, cells, a zip
    /// entry's or the whole zip's uncompressed size, compression ratio, XML depth);
    /// `details.limit` names it and `details.max` gives its value.
    FileTooLarge,
    /// 415: the body's content type is not one this endpoint accepts.
    UnsupportedMediaType,
    /// 429: too many requests; `Retry-After` says when to try again.
    RateLimited,
    /// 503: the service cannot serve this request right now.
    ServiceUnavailable,
    /// 503: the server is at capacity for this kind of work (password hashing) right now;
    /// `Retry-After` says when to try again.
    ServerBusy,
    /// 500: something failed on our side; the response carries only the request id.
    InternalError,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 22] = [
        ErrorCode::BadRequest,
        ErrorCode::InvalidJson,
        ErrorCode::ValidationFailed,
        ErrorCode::ImportRejected,
        ErrorCode::Unauthorized,
        ErrorCode::InvalidCredentials,
        ErrorCode::Forbidden,
        ErrorCode::CsrfRejected,
        ErrorCode::IpNotAllowed,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Conflict,
        ErrorCode::AnotherDevice,
        ErrorCode::RegistrationExists,
        ErrorCode::Gone,
        ErrorCode::PayloadTooLarge,
        ErrorCode::FileTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::RateLimited,
        ErrorCode::ServiceUnavailable,
        ErrorCode::ServerBusy,
        ErrorCode::InternalError,
    ];

    /// The snake_case code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::ImportRejected => "import_rejected",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::CsrfRejected => "csrf_rejected",
            ErrorCode::IpNotAllowed => "ip_not_allowed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::AnotherDevice => "another_device",
            ErrorCode::RegistrationExists => "registration_exists",
            ErrorCode::Gone => "gone",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::FileTooLarge => "file_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::ServiceUnavailable => "service_unavailable",
            ErrorCode::ServerBusy => "server_busy",
            ErrorCode::InternalError => "internal_error",
        }
    }

    /// The HTTP status code that accompanies this error code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest | ErrorCode::InvalidJson => 400,
            ErrorCode::Unauthorized | ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden | ErrorCode::CsrfRejected | ErrorCode::IpNotAllowed => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict | ErrorCode::AnotherDevice | ErrorCode::RegistrationExists => 409,
            ErrorCode::Gone => 410,
            ErrorCode::PayloadTooLarge | ErrorCode::FileTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::ValidationFailed | ErrorCode::ImportRejected => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::InternalError => 500,
            ErrorCode::ServiceUnavailable | ErrorCode::ServerBusy => 503,
        }
    }

    /// The default human message in the given language. Handlers may send a more specific one.
    pub fn message(self, lang: Lang) -> &'static str {
        use ErrorCode::*;
        match (self, lang) {
            (BadRequest, Lang::ZhCn) => "请求无效。",
            (BadRequest, Lang::En) => "The request is invalid.",
            (InvalidJson, Lang::ZhCn) => "请求体不是有效的 JSON，或其结构不符合要求。",
            (InvalidJson, Lang::En) => {
                "The request body is not valid JSON or does not have the expected shape."
            }
            (ValidationFailed, Lang::ZhCn) => "部分字段无效，请检查后重试。",
            (ValidationFailed, Lang::En) => "Some fields are invalid; please check them and retry.",
            (ImportRejected, Lang::ZhCn) => {
                "导入文件中有错误，未导入任何数据。请按行修正后重新导入。"
            }
            (ImportRejected, Lang::En) => {
                "The file has errors, so nothing was imported. Fix the rows listed and import again."
            }
            (Unauthorized, Lang::ZhCn) => "请先登录。",
            (Unauthorized, Lang::En) => "Please sign in first.",
            (InvalidCredentials, Lang::ZhCn) => "账号、密码或验证码错误。",
            (InvalidCredentials, Lang::En) => "The account, password or code is incorrect.",
            (CsrfRejected, Lang::ZhCn) => {
                "请求来源无法验证（使用会话 Cookie 的修改请求须带请求头 X-ExamCloud-CSRF: 1，且来自本站页面），请刷新页面后重试。"
            }
            (CsrfRejected, Lang::En) => {
                "The request's origin could not be verified: a change made with a session cookie must carry the header X-ExamCloud-CSRF: 1 and come from this site's pages. Reload the page and try again."
            }
            (IpNotAllowed, Lang::ZhCn) => "当前网络不在本场考试允许的 IP 范围内，无法作答。",
            (IpNotAllowed, Lang::En) => {
                "This exam cannot be taken from your current network (IP address not allowed)."
            }
            (Forbidden, Lang::ZhCn) => "您没有执行此操作的权限。",
            (Forbidden, Lang::En) => "You do not have permission to do this.",
            (NotFound, Lang::ZhCn) => "请求的资源不存在。",
            (NotFound, Lang::En) => "The requested resource does not exist.",
            (MethodNotAllowed, Lang::ZhCn) => "该资源不支持此请求方法。",
            (MethodNotAllowed, Lang::En) => "This method is not allowed on this resource.",
            (Conflict, Lang::ZhCn) => "请求与当前状态冲突。",
            (Conflict, Lang::En) => "The request conflicts with the current state.",
            (Gone, Lang::ZhCn) => "该资源已不存在（已被下载或已过期）。",
            (Gone, Lang::En) => "This is gone for good (already downloaded or expired).",
            (AnotherDevice, Lang::ZhCn) => "该考试已在另一台设备上继续作答，本设备已停止作答。",
            (AnotherDevice, Lang::En) => {
                "This attempt was continued on another device; this device can no longer answer."
            }
            (RegistrationExists, Lang::ZhCn) => {
                "已有人使用相同的姓名和联系方式报名本场考试。如果是您本人，请输入首次报名时获得的恢复码，或获取发送到报名手机号/邮箱的验证码；都没有时请联系考试组织者。"
            }
            (RegistrationExists, Lang::En) => {
                "Someone already registered for this exam with this name and contact. If it was you, enter the resume token from your first registration or a code sent to the phone or email you registered; if you have neither, contact the exam's organiser."
            }
            (PayloadTooLarge, Lang::ZhCn) => "请求体过大。",
            (PayloadTooLarge, Lang::En) => "The request body is too large.",
            (FileTooLarge, Lang::ZhCn) => {
                "文件超出导入限制（行数、列数、单元格数或解压后大小），未导入任何数据。请拆分后重试。"
            }
            (FileTooLarge, Lang::En) => {
                "The file exceeds an import limit (rows, columns, cells or uncompressed size); nothing was imported. Split it and try again."
            }
            (UnsupportedMediaType, Lang::ZhCn) => {
                "不支持的内容类型，请使用 Content-Type: application/json。"
            }
            (UnsupportedMediaType, Lang::En) => {
                "Unsupported content type; send Content-Type: application/json."
            }
            (RateLimited, Lang::ZhCn) => "请求过于频繁，请稍后再试。",
            (RateLimited, Lang::En) => "Too many requests; please try again later.",
            (ServiceUnavailable, Lang::ZhCn) => "服务暂时不可用，请稍后再试。",
            (ServiceUnavailable, Lang::En) => {
                "The service is temporarily unavailable; please try again later."
            }
            (ServerBusy, Lang::ZhCn) => "当前登录人数过多，请稍后重试。",
            (ServerBusy, Lang::En) => {
                "The server is busy with other sign-ins; please try again in a moment."
            }
            (InternalError, Lang::ZhCn) => "服务器内部错误。请将请求编号提供给技术支持。",
            (InternalError, Lang::En) => "Internal error. Please give the request id to support.",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The JSON body of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// Human-readable message in the language chosen by `Accept-Language`.
    pub message: String,
    /// Optional structured details, for example the invalid fields of a `validation_failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
    /// The id of the request, also sent as the `X-Request-Id` header; quote it to support.
    pub request_id: String,
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;
    use crate::Lang;

    #[test]
    fn wire_names_match_serde_and_every_code_has_messages() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap_or_default();
            assert_eq!(json, serde_json::Value::String(code.as_str().to_owned()));
            for lang in Lang::ALL {
                assert!(!code.message(lang).is_empty());
            }
            assert!((400..600).contains(&code.status()));
        }
    }
}
