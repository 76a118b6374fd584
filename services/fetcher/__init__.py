"""fetcher"""
