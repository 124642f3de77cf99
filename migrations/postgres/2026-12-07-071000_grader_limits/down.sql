DROP TABLE grader_limits;
