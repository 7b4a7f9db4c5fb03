"""Manage.Coop exercises, one module per topic (governance, communication, conflict, growth,
human resources, finance). A notebook imports the module it needs, e.g.
``from coopcourse.exercises.manage_coop import finance; finance.surplus_distribution()``."""
