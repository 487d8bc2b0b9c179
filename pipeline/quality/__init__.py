"""Measuring the extractor: the gold annotation format and the scorer behind `paradip evaluate`.
May import every other role (it builds and reads releases); nothing but the command line imports it."""
