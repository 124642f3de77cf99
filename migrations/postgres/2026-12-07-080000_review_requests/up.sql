-- Why an item is in the grading queue: an answer that needs a person (`essay`: essays and the
-- essay parts of composites, made by the queue's sync), or an automatically graded answer an
-- admin sent for review (`review`, always a whole question, part -1), whose final mark
-- replaces the question's automatic points.
ALTER TABLE grading_items
    ADD COLUMN origin TEXT NOT NULL DEFAULT 'essay' CHECK (origin IN ('essay', 'review'));
