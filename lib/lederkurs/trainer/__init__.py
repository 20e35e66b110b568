"""For trainers: reading a cohort of answers files, batch rendering with papermill, the cohort view."""
