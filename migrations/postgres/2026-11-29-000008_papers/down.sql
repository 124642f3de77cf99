DROP TABLE paper_instances;
DROP TABLE papers;
