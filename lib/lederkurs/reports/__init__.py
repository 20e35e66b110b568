"""HTML written by Jinja2 templates, the personal report and its export formats, rendered notebook pages."""
