DROP TABLE jobs;
DROP TABLE attempt_answers;
DROP TABLE attempts;
DROP TABLE exam_assignments;
DROP TABLE exams;
