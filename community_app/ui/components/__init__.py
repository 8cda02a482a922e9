"""Small component functions shared by the pages."""
