"""Findings: what stands between a packet and a first-time pass on 信用中国."""
