"""Verified export of ready packets to a USB stick or shared folder, and verification of an export."""
