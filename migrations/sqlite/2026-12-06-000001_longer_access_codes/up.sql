-- Access codes grow from 6 digits to 10 characters of an alphabet without look-alikes, so the
-- per-portal guessing budget makes finding one hopeless. A 6-digit code could be found within
-- that budget, so none is kept: every existing code is replaced by a fresh random one (the
-- console shows the new code; organisers hand it out again).
UPDATE exams SET access_code =
    substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + (random() % 31 + 31) % 31, 1)
    || substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + (random() % 31 + 31) % 31, 1)
    || substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + (random() % 31 + 31) % 31, 1)
    || substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + (random() % 31 + 31) % 31, 1)
    || substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + (random() % 31 + 31) % 31, 1)
    || substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + (random() % 31 + 31) % 31, 1)
    || substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + (random() % 31 + 31) % 31, 1)
    || substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + (random() % 31 + 31) % 31, 1)
    || substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + (random() % 31 + 31) % 31, 1)
    || substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + (random() % 31 + 31) % 31, 1)
WHERE access_code IS NOT NULL;
