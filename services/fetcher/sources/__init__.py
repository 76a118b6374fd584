"""fetcher/sources"""
