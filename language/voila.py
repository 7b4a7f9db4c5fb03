# Voila settings for the server's language, read by `make serve` and `make serve-lan` before
# voila.json (a folder listed first in Voila.config_file_paths; update() keeps voila.json's
# other tornado settings). COURSE_LANGUAGE=es (exported as COOPCOURSE_LANGUAGE) makes the root
# open the Spanish landing page and the root's words Spanish; every course page shows its own
# language whatever this says.
import os

c = get_config()  # noqa: F821 (Voila's config loader provides it)
c.Voila.tornado_settings.update(
    {"jinja_template_vars": {"coop_default_language": os.environ.get("COOPCOURSE_LANGUAGE", "en")}}
)
