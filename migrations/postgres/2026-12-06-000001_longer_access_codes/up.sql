-- Access codes grow from 6 digits to 10 characters of an alphabet without look-alikes, so the
-- per-portal guessing budget makes finding one hopeless. A 6-digit code could be found within
-- that budget, so none is kept: every existing code is replaced by a fresh random one (the
-- console shows the new code; organisers hand it out again).
-- Two random bytes of a fresh UUIDv4 per character (gen_random_uuid: a strong random source,
-- no extension needed); the subquery names the row so it is evaluated per exam.
UPDATE exams SET access_code = (
    SELECT string_agg(
        substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ',
            1 + ((get_byte(uuid_send(gen_random_uuid()), 0) * 256
                + get_byte(uuid_send(gen_random_uuid()), 1)) % 31),
            1),
        '')
    FROM generate_series(1, 10) AS g(i)
    WHERE exams.id IS NOT NULL
)
WHERE access_code IS NOT NULL;
