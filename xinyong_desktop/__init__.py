"""信用修复小班审核台: review desk for credit-repair (信用修复) training classes."""

__version__ = "0.1.0"
