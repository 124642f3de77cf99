-- Exam integrity: why an attempt was submitted, its latest activity and address (for idle
-- timeouts and `ip_changed`), and the attempt's event log for the proctor. Addresses and the
-- client's free-text details are personal data: AES-GCM ciphertext bound to table, column and
-- row (`*_enc`). Exams keep their integrity settings in `exams.settings` (JSON).
ALTER TABLE attempts ADD COLUMN submitted_reason TEXT
    CHECK (submitted_reason IN ('candidate', 'deadline', 'integrity_limit', 'proctor'));
ALTER TABLE attempts ADD COLUMN last_activity_at timestamptz;
ALTER TABLE attempts ADD COLUMN last_ip_enc bytea;

-- What happened during an attempt: reported by the client (focus lost, tab hidden, copy or
-- paste attempts, fullscreen exits, idle, resumed) or seen by the server (`ip_changed`).
-- `occurred_at` is the server's time; `client_time` is what the client said.
CREATE TABLE attempt_events (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    attempt_id    uuid NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('focus_lost', 'tab_hidden', 'copy_attempt',
                      'paste_attempt', 'fullscreen_exit', 'idle', 'resumed', 'ip_changed')),
    occurred_at   timestamptz NOT NULL,
    client_time   timestamptz,
    idle_seconds  INTEGER,
    detail_enc    bytea,
    ip_enc        bytea
);
CREATE INDEX attempt_events_attempt ON attempt_events (attempt_id, occurred_at);
CREATE INDEX attempt_events_org ON attempt_events (org_id);
