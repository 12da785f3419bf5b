"""Rosters of penalty records: reading office spreadsheets and the eligibility board."""
