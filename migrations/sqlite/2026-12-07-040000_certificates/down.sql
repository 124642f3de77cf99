DROP TABLE certificates;
DROP TABLE certificate_templates;
