"""issues_api."""
