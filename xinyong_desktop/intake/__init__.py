"""Intake: find the files of a packet, parse each in a sandboxed child process, render and OCR pages."""
