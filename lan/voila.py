# Voila settings of `make serve-lan`, on top of ../voila.json (the Makefile names this folder first).
# Participants reach serve-lan by this computer's network address, so jupyter_server's Host check,
# which voila.json turns on for `make serve` (allow_remote_access false: only requests addressed to
# localhost, 127.0.0.1 or [::1]), is turned off here; the token protects this server instead.
c = get_config()  # noqa: F821 (given by traitlets when it runs a config file)
c.Voila.tornado_settings.update({"allow_remote_access": True})
