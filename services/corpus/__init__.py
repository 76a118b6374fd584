"""A realistic, seeded news corpus for tests and benchmarks (see build.generate)."""
