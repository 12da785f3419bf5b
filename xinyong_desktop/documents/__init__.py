"""PDF documents with the embedded CJK font: pre-filled forms and the review record."""
