"""Query functions, one module per area. Handlers call these; they hold no business rule of their own."""
