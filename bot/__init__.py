"""Assembly and runtime of the Field CRM bot: settings, dispatcher, middlewares, keyboards, CLI."""
