DROP TABLE regrades;
