"""sink/stores"""
