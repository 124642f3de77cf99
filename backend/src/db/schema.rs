//! The database schema, written by hand (diesel's CLI would print engine-specific types; ours
//! are the engine-neutral ones from [`super::types::sql`]). Keep it in step with both
//! `migrations/postgres` and `migrations/sqlite`.

diesel::table! {
    use diesel::sql_types::{Integer, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Fingerprints of the keys this database's data depends on. A node whose key file does not
    /// match refuses to start, instead of writing data no other node can read.
    key_fingerprints (id) {
        id -> Uuid,
        purpose -> Text,
        key_id -> Integer,
        fingerprint -> Text,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{BigInt, Binary, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// The append-only, hash-chained audit log (see `crate::audit`).
    audit_log (seq) {
        seq -> BigInt,
        id -> Uuid,
        occurred_at -> Instant,
        org_id -> Nullable<Uuid>,
        actor_kind -> Text,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        target_kind -> Nullable<Text>,
        target_id -> Nullable<Text>,
        outcome -> Text,
        request_id -> Nullable<Text>,
        details -> Text,
        pii_enc -> Nullable<Binary>,
        pii_state -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::{BigInt, Integer, Text};

    /// The single row holding the last sequence number and hash of the audit chain.
    audit_chain_head (id) {
        id -> Integer,
        last_seq -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::{Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Organisations (tenants).
    orgs (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        candidate_app_name -> Nullable<Text>,
        logo_path -> Nullable<Text>,
        status -> Text,
        created_at -> Instant,
        updated_at -> Instant,
        cancel_requested_at -> Nullable<Instant>,
        cancel_effective_at -> Nullable<Instant>,
        cancelled_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Organisation accounts (owner, admins, graders). Personal fields are `*_enc` ciphertexts
    /// with `*_bidx` blind indexes for lookups.
    users (id) {
        id -> Uuid,
        org_id -> Uuid,
        role -> Text,
        login_account_enc -> Nullable<Binary>,
        login_account_bidx -> Nullable<Binary>,
        email_enc -> Nullable<Binary>,
        email_bidx -> Nullable<Binary>,
        phone_enc -> Nullable<Binary>,
        phone_bidx -> Nullable<Binary>,
        display_name_enc -> Nullable<Binary>,
        password_hash -> Text,
        status -> Text,
        created_at -> Instant,
        updated_at -> Instant,
        last_login_at -> Nullable<Instant>,
        permissions -> Text,
        scope_groups -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Platform staff (support, finance, security); they belong to no organisation.
    staff (id) {
        id -> Uuid,
        role -> Text,
        login_account_enc -> Binary,
        login_account_bidx -> Binary,
        display_name_enc -> Nullable<Binary>,
        password_hash -> Text,
        status -> Text,
        created_at -> Instant,
        updated_at -> Instant,
        last_login_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Candidates of an organisation; account, email and phone are unique within the org.
    candidates (id) {
        id -> Uuid,
        org_id -> Uuid,
        account_enc -> Binary,
        account_bidx -> Binary,
        name_enc -> Binary,
        email_enc -> Nullable<Binary>,
        email_bidx -> Nullable<Binary>,
        phone_enc -> Nullable<Binary>,
        phone_bidx -> Nullable<Binary>,
        id_number_enc -> Nullable<Binary>,
        password_hash -> Nullable<Text>,
        status -> Text,
        created_at -> Instant,
        updated_at -> Instant,
        last_login_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::Text;
    use crate::db::types::sql::{Instant, Uuid};

    /// Named groups of candidates (classes, departments).
    candidate_groups (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        created_at -> Instant,
        updated_at -> Instant,
    }
}

diesel::table! {
    use crate::db::types::sql::Uuid;

    /// Which candidate is in which group.
    candidate_group_members (group_id, candidate_id) {
        org_id -> Uuid,
        group_id -> Uuid,
        candidate_id -> Uuid,
    }
}

diesel::table! {
    use diesel::sql_types::{Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Integrators' API keys (the secret is stored as a SHA-256 hash).
    api_keys (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        prefix -> Text,
        secret_hash -> Text,
        scopes -> Text,
        rate_limit_per_minute -> Integer,
        expires_at -> Nullable<Instant>,
        revoked_at -> Nullable<Instant>,
        last_used_at -> Nullable<Instant>,
        created_by -> Nullable<Uuid>,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Signed-in devices of users, candidates and staff: each is a family of refresh tokens.
    sessions (id) {
        id -> Uuid,
        org_id -> Nullable<Uuid>,
        principal_kind -> Text,
        principal_id -> Uuid,
        created_at -> Instant,
        last_used_at -> Instant,
        expires_at -> Instant,
        revoked_at -> Nullable<Instant>,
        revoke_reason -> Nullable<Text>,
        device_enc -> Nullable<Binary>,
    }
}

diesel::table! {
    use diesel::sql_types::{Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Refresh tokens (hashed), single-use: each use rotates to a new one in the same session.
    refresh_tokens (id) {
        id -> Uuid,
        session_id -> Uuid,
        token_hash -> Text,
        used_at -> Nullable<Instant>,
        created_at -> Instant,
        expires_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// One row per code request (also when nothing was sent).
    verification_codes (id) {
        id -> Uuid,
        purpose -> Text,
        destination_bidx -> Binary,
        ip_bidx -> Nullable<Binary>,
        code_hash -> Nullable<Text>,
        attempts -> Integer,
        expires_at -> Instant,
        consumed_at -> Nullable<Instant>,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Bool, Nullable};
    use crate::db::types::sql::{Instant, Uuid};

    /// Login attempts per identifier and client, for throttling.
    login_attempts (id) {
        id -> Uuid,
        identifier_bidx -> Binary,
        ip_bidx -> Nullable<Binary>,
        succeeded -> Bool,
        created_at -> Instant,
        settled_at -> Nullable<Instant>,
    }
}

diesel::joinable!(users -> orgs (org_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(candidates -> orgs (org_id));
diesel::joinable!(candidate_groups -> orgs (org_id));
diesel::joinable!(candidate_group_members -> candidates (candidate_id));
diesel::joinable!(candidate_group_members -> candidate_groups (group_id));
diesel::joinable!(api_keys -> orgs (org_id));
diesel::allow_tables_to_appear_in_same_query!(
    orgs,
    users,
    staff,
    sessions,
    refresh_tokens,
    candidates,
    candidate_groups,
    candidate_group_members,
    api_keys
);

diesel::table! {
    use diesel::sql_types::{Binary, Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Queued email and SMS, delivered by the outbox worker (see `crate::notifications`).
    notification_outbox (id) {
        id -> Uuid,
        org_id -> Nullable<Uuid>,
        channel -> Text,
        template -> Text,
        destination_enc -> Binary,
        content_enc -> Binary,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Instant,
        locked_until -> Nullable<Instant>,
        last_error -> Nullable<Text>,
        created_at -> Instant,
        sent_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::{BigInt, Integer};
    use crate::db::types::sql::Instant;

    /// Encryptions made under each key, summed over every node (see `crate::crypto::usage`).
    key_usage (key_id) {
        key_id -> Integer,
        encryptions -> BigInt,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::Text;
    use crate::db::types::sql::{Instant, Uuid};

    /// An organisation's question banks.
    question_banks (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        description -> Text,
        created_at -> Instant,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Questions: the current state for listing and filtering; content lives in versions.
    questions (id) {
        id -> Uuid,
        org_id -> Uuid,
        bank_id -> Uuid,
        category_id -> Nullable<Uuid>,
        qtype -> Text,
        current_version -> Integer,
        difficulty -> Integer,
        points_centi -> Integer,
        search_text -> Text,
        status -> Text,
        created_at -> Instant,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Every version of every question (never changed once written).
    question_versions (id) {
        id -> Uuid,
        org_id -> Uuid,
        question_id -> Uuid,
        version -> Integer,
        content -> Text,
        points_centi -> Integer,
        difficulty -> Integer,
        explanation -> Text,
        tags -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::Text;
    use crate::db::types::sql::Uuid;

    /// The current version's tags of each question, for filtering.
    question_tags (question_id, tag) {
        org_id -> Uuid,
        question_id -> Uuid,
        tag -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::{Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// A bank's category tree.
    question_categories (id) {
        id -> Uuid,
        org_id -> Uuid,
        bank_id -> Uuid,
        parent_id -> Nullable<Uuid>,
        name -> Text,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{BigInt, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Images, audio and video of a bank's questions; the bytes are in storage.
    attachments (id) {
        id -> Uuid,
        org_id -> Uuid,
        bank_id -> Uuid,
        mime -> Text,
        size_bytes -> BigInt,
        storage_key -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Instant,
    }
}

diesel::joinable!(questions -> question_banks (bank_id));
diesel::joinable!(question_versions -> questions (question_id));
diesel::joinable!(question_tags -> questions (question_id));
diesel::allow_tables_to_appear_in_same_query!(
    question_banks,
    question_categories,
    questions,
    question_versions,
    question_tags
);

diesel::table! {
    use diesel::sql_types::{Bool, Integer, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Papers: sections of pinned question versions and rules (`spec`, JSON).
    papers (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        description -> Text,
        kind -> Text,
        spec -> Text,
        shuffle_questions -> Bool,
        shuffle_options -> Bool,
        question_count -> Integer,
        total_points_centi -> Integer,
        revision -> Integer,
        status -> Text,
        created_at -> Instant,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Integer, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// A paper generated for one candidate (drawn versions and orders, JSON).
    paper_instances (id) {
        id -> Uuid,
        org_id -> Uuid,
        paper_id -> Uuid,
        candidate_id -> Uuid,
        revision -> Integer,
        seed -> Text,
        arrangement -> Text,
        created_at -> Instant,
    }
}

diesel::joinable!(paper_instances -> papers (paper_id));
diesel::allow_tables_to_appear_in_same_query!(papers, paper_instances);

diesel::table! {
    use diesel::sql_types::{Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Exams: a paper given to assigned candidates within a window (see `crate::exams`).
    exams (id) {
        id -> Uuid,
        org_id -> Uuid,
        paper_id -> Uuid,
        name -> Text,
        settings -> Text,
        opens_at -> Instant,
        closes_at -> Instant,
        status -> Text,
        created_at -> Instant,
        updated_at -> Instant,
        open_token -> Nullable<Text>,
        access_code -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::{Integer, Nullable};
    use crate::db::types::sql::{Instant, Uuid};

    /// Candidates assigned to an exam, with their accommodations.
    exam_assignments (id) {
        id -> Uuid,
        org_id -> Uuid,
        exam_id -> Uuid,
        candidate_id -> Uuid,
        group_id -> Nullable<Uuid>,
        extra_minutes -> Integer,
        extra_percent -> Integer,
        extra_attempts -> Integer,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Bool, Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Attempts of candidates at exams.
    attempts (id) {
        id -> Uuid,
        org_id -> Uuid,
        exam_id -> Uuid,
        candidate_id -> Uuid,
        number -> Integer,
        seed -> Text,
        arrangement -> Text,
        status -> Text,
        started_at -> Instant,
        deadline -> Instant,
        submitted_at -> Nullable<Instant>,
        auto_submitted -> Bool,
        receipt -> Nullable<Text>,
        score_centi -> Nullable<Integer>,
        max_score_centi -> Integer,
        needs_manual_grading -> Bool,
        grading -> Nullable<Text>,
        session_id -> Nullable<Uuid>,
        single_device -> Bool,
        submitted_reason -> Nullable<Text>,
        last_activity_at -> Nullable<Instant>,
        last_ip_enc -> Nullable<Binary>,
        keys_shown_at -> Nullable<Instant>,
        result_notified_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::{BigInt, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// The latest answer to each question of an attempt.
    attempt_answers (attempt_id, question_id) {
        attempt_id -> Uuid,
        question_id -> Uuid,
        org_id -> Uuid,
        answer -> Text,
        seq -> BigInt,
        saved_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// The database-backed job queue (see `crate::jobs`).
    jobs (id) {
        id -> Uuid,
        kind -> Text,
        run_at -> Instant,
        payload -> Text,
        locked_until -> Nullable<Instant>,
        attempts -> Integer,
        done_at -> Nullable<Instant>,
        last_error -> Nullable<Text>,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Nullable};
    use crate::db::types::sql::{Instant, Uuid};

    /// What people entering by open link or access code registered with (see
    /// `crate::exams::registrations`): every value encrypted, identifying ones blind-indexed.
    exam_registrations (id) {
        id -> Uuid,
        org_id -> Uuid,
        exam_id -> Uuid,
        candidate_id -> Uuid,
        values_enc -> Binary,
        name_bidx -> Binary,
        phone_bidx -> Nullable<Binary>,
        email_bidx -> Nullable<Binary>,
        id_number_bidx -> Nullable<Binary>,
        created_at -> Instant,
        resume_token_hash -> Nullable<Binary>,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// What happened during an attempt (see `crate::exams::integrity`); `*_enc` are
    /// ciphertexts.
    attempt_events (id) {
        id -> Uuid,
        org_id -> Uuid,
        attempt_id -> Uuid,
        kind -> Text,
        occurred_at -> Instant,
        client_time -> Nullable<Instant>,
        idle_seconds -> Nullable<Integer>,
        detail_enc -> Nullable<Binary>,
        ip_enc -> Nullable<Binary>,
    }
}

diesel::joinable!(exam_assignments -> exams (exam_id));
diesel::joinable!(attempt_events -> attempts (attempt_id));
diesel::joinable!(attempts -> exams (exam_id));
diesel::joinable!(attempt_answers -> attempts (attempt_id));
diesel::joinable!(exam_registrations -> exams (exam_id));
diesel::allow_tables_to_appear_in_same_query!(
    exams,
    exam_assignments,
    attempts,
    attempt_answers,
    exam_registrations,
    attempt_events
);

diesel::table! {
    use diesel::sql_types::Integer;
    use crate::db::types::sql::{Instant, Uuid};

    /// How an exam's answers that need a person are marked.
    exam_marking (exam_id) {
        exam_id -> Uuid,
        org_id -> Uuid,
        graders_per_answer -> Integer,
        tolerance_centi -> Integer,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Answers (or essay parts) of submitted attempts that need a person.
    grading_items (id) {
        id -> Uuid,
        org_id -> Uuid,
        exam_id -> Uuid,
        attempt_id -> Uuid,
        attempt_submitted_at -> Instant,
        question_id -> Uuid,
        question_version -> Integer,
        question_number -> Integer,
        part -> Integer,
        max_centi -> Integer,
        anonymous_code -> Text,
        status -> Text,
        marks_count -> Integer,
        final_centi -> Nullable<Integer>,
        lease_user_id -> Nullable<Uuid>,
        lease_until -> Nullable<Instant>,
        created_at -> Instant,
        origin -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::{Bool, Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Graders' marks on grading items (one per grader; the arbiter's is final).
    grading_marks (id) {
        id -> Uuid,
        org_id -> Uuid,
        item_id -> Uuid,
        grader_id -> Uuid,
        arbiter -> Bool,
        points_centi -> Integer,
        rubric -> Nullable<Text>,
        comment -> Text,
        created_at -> Instant,
        updated_at -> Instant,
    }
}

diesel::joinable!(grading_marks -> grading_items (item_id));
diesel::allow_tables_to_appear_in_same_query!(grading_items, grading_marks, attempts);
diesel::allow_tables_to_appear_in_same_query!(grading_items, candidate_group_members);
diesel::allow_tables_to_appear_in_same_query!(attempts, candidate_group_members);

diesel::table! {
    use diesel::sql_types::Text;
    use crate::db::types::sql::{Instant, Uuid};

    /// Graders limited at an exam to some questions and/or candidate groups.
    grader_limits (exam_id, user_id) {
        exam_id -> Uuid,
        user_id -> Uuid,
        org_id -> Uuid,
        question_ids -> Text,
        group_ids -> Text,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::{Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// An organisation's certificate designs (see `crate::certificates`).
    certificate_templates (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        title -> Text,
        body -> Text,
        orientation -> Text,
        name_display -> Text,
        status -> Text,
        created_at -> Instant,
        updated_at -> Instant,
        logo_path -> Nullable<Text>,
        signature_path -> Nullable<Text>,
        background_path -> Nullable<Text>,
        signatory -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::{Binary, Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Certificates issued for graded attempts; `holder_name_enc` is a ciphertext.
    certificates (id) {
        id -> Uuid,
        org_id -> Uuid,
        number -> Text,
        template_id -> Uuid,
        exam_id -> Uuid,
        attempt_id -> Uuid,
        candidate_id -> Uuid,
        holder_name_enc -> Binary,
        exam_name -> Text,
        score_centi -> Integer,
        max_score_centi -> Integer,
        issued_at -> Instant,
        issued_by -> Nullable<Uuid>,
        revoked_at -> Nullable<Instant>,
        revoke_reason -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(certificates, candidate_group_members);

diesel::table! {
    use diesel::sql_types::{Integer, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Re-grade runs of a question's finished attempts (see `crate::regrade`); `exam_ids` and
    /// `differences` are JSON.
    regrades (id) {
        id -> Uuid,
        org_id -> Uuid,
        question_id -> Uuid,
        version -> Integer,
        exam_ids -> Text,
        status -> Text,
        examined -> Integer,
        changed -> Integer,
        differences -> Text,
        last_attempt_id -> Nullable<Uuid>,
        error -> Nullable<Text>,
        created_by -> Nullable<Uuid>,
        created_at -> Instant,
        finished_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::{Bool, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Published versions of the privacy statement and the terms (see `crate::privacy`).
    policy_versions (id) {
        id -> Uuid,
        kind -> Text,
        version -> Text,
        major -> Bool,
        effective_on -> Text,
        summary_zh -> Text,
        summary_en -> Text,
        body_zh -> Text,
        body_en -> Text,
        published_at -> Instant,
        published_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    use diesel::sql_types::{Bool, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// Consent records, append-only: the latest per subject, purpose and context counts.
    consents (id) {
        id -> Uuid,
        org_id -> Uuid,
        subject_kind -> Text,
        subject_id -> Uuid,
        purpose -> Text,
        policy_version_id -> Nullable<Uuid>,
        context -> Nullable<Text>,
        granted -> Bool,
        method -> Text,
        by_guardian -> Bool,
        created_at -> Instant,
    }
}

diesel::joinable!(consents -> policy_versions (policy_version_id));
diesel::allow_tables_to_appear_in_same_query!(consents, policy_versions);

diesel::table! {
    use diesel::sql_types::{BigInt, Nullable, Text};
    use crate::db::types::sql::{Instant, Uuid};

    /// A person's exports of their own data (see `crate::privacy::my_data`).
    data_exports (id) {
        id -> Uuid,
        org_id -> Uuid,
        subject_kind -> Text,
        subject_id -> Uuid,
        status -> Text,
        storage_key -> Nullable<Text>,
        size_bytes -> Nullable<BigInt>,
        requested_at -> Instant,
        ready_at -> Nullable<Instant>,
        expires_at -> Nullable<Instant>,
        downloaded_at -> Nullable<Instant>,
    }
}
