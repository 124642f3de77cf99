DROP TABLE grading_marks;
DROP TABLE grading_items;
DROP TABLE exam_marking;
